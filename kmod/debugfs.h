/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: /sys/kernel/debug/vireo, the module's own accounting.
 */
#ifndef VIREO_DEBUGFS_H
#define VIREO_DEBUGFS_H

void vireo_debugfs_init(void);
void vireo_debugfs_exit(void);

#endif /* VIREO_DEBUGFS_H */

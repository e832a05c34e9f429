/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the /dev/vireo misc device.
 */
#ifndef VIREO_DEV_H
#define VIREO_DEV_H

int vireo_dev_register(void);
void vireo_dev_unregister(void);
long vireo_check_cap(unsigned long cap);

#endif /* VIREO_DEV_H */

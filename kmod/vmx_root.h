/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: VMX root operation on every online CPU, while vireo has users.
 */
#ifndef VIREO_VMX_ROOT_H
#define VIREO_VMX_ROOT_H

#include <linux/seq_file.h>
#include <linux/types.h>

int vireo_vmx_root_init(void);
void vireo_vmx_root_exit(void);
int vireo_vmx_get(void);
void vireo_vmx_put(void);
bool vireo_vmx_this_cpu_on(void);
void vireo_vmx_root_show(struct seq_file *m);

#endif /* VIREO_VMX_ROOT_H */

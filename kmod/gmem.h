/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: reading and writing guest memory from the host.
 */
#ifndef VIREO_GMEM_H
#define VIREO_GMEM_H

#include <linux/types.h>

struct vireo_vm;
struct vireo_vcpu;

int vireo_gpa_read(struct vireo_vm *vm, u64 gpa, void *buf, size_t len);
int vireo_gpa_write(struct vireo_vm *vm, u64 gpa, const void *buf, size_t len);
int vireo_gva_to_gpa(struct vireo_vcpu *vcpu, u64 gva, bool write, u64 *gpa);
int vireo_gva_read(struct vireo_vcpu *vcpu, u64 gva, void *buf, size_t len);
int vireo_gva_write(struct vireo_vcpu *vcpu, u64 gva, const void *buf, size_t len);

#endif /* VIREO_GMEM_H */

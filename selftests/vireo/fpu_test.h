/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fpu_test's assembly (fpu_test.S).
 */
#ifndef VIREO_FPU_TEST_H
#define VIREO_FPU_TEST_H

#include "types.h"

void sse_exits(const void *in, void *out, u32 n, u16 port);
void avx_exits(const void *in, void *out, u32 n, u16 port);
long sse_ioctl(long fd, long cmd, const void *in, void *out);
long avx_ioctl(long fd, long cmd, const void *in, void *out);

#endif

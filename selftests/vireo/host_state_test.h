/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * host_state_test's assembly (host_state_test.S) and what it updates.
 */
#ifndef VIREO_HOST_STATE_TEST_H
#define VIREO_HOST_STATE_TEST_H

#include "types.h"

extern const char guest_syscall_entry[];
extern u64 syscall_count, syscall_rflags;

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hand-written guest code of cpu_modes_test (cpu_modes_test.S).
 */
#ifndef VIREO_CPU_MODES_TEST_H
#define VIREO_CPU_MODES_TEST_H

extern const char blob16_start[], blob16_end[];
extern const char blob32_start[], blob32_end[];
extern const char blob_irq_start[], blob_irq_isr[], blob_irq_end[];

#endif

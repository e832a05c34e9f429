/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hcguest: a tiny 64-bit guest kernel that `vireoctl run` boots like Linux
 * and that makes vireo's hypercalls itself, right and wrong, to test the
 * real device backends of vireoctl and the hypercall path of vireo.ko
 * (selftests/guest/hcg-lib.sh runs it; hcguest.c has the checks).
 *
 * This header is its whole runtime: types, port I/O, VMCALL, CPUID, a
 * printf to COM1 and TAP results, the interrupt frame, and what head.S
 * and lib.c provide. No libc: the guest runs on nothing but the PC that
 * vireoctl builds.
 */
#ifndef HCGUEST_H
#define HCGUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s64 s64;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __aligned(n)	__attribute__((aligned(n)))
#define __noreturn	__attribute__((noreturn))
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

static inline void barrier(void)
{
	asm volatile("" ::: "memory");
}

static inline void outb(u16 port, u8 v)
{
	asm volatile("out %0, %1" : : "a" (v), "Nd" (port));
}

static inline void outw(u16 port, u16 v)
{
	asm volatile("out %0, %1" : : "a" (v), "Nd" (port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("in %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static inline s64 hypercall(u64 nr, u64 a0, u64 a1)
{
	s64 ret;

	asm volatile("vmcall" : "=a" (ret) : "a" (nr), "b" (a0), "c" (a1) : "memory");
	return ret;
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "=a" (*a), "=b" (*b), "=c" (*c), "=d" (*d) : "a" (leaf), "c" (0));
}

/* The stack as isr_common (head.S) leaves it. */
struct frame {
	u64 r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	u64 vec, err;
	u64 rip, cs, rflags, rsp, ss;
};

/* One hypercall of run_user(): ret is RAX after the VMCALL at CPL 3. */
struct user_call {
	u64 nr, a0, a1, ret;
};

/* head.S */
void run_user(struct user_call *calls, u64 n);
void cpu_load(const void *gdt_desc, const void *idt_desc);
extern const u8 isr_stubs[];
extern const u8 user_return_stub[];
extern u8 tss_stack_top[];

/* lib.c */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* To COM1, a byte per OUT (vireoctl's UART sends at once). */
void print(const char *fmt, ...) __printf(1, 2);
/* A TAP result: "ok N desc" or "not ok N desc"; returns @ok. */
bool check(bool ok, const char *fmt, ...) __printf(2, 3);
/* A hypercall's result against the expected one, named as VIREO_E* codes. */
bool expect_ret(s64 got, s64 want, const char *fmt, ...) __printf(3, 4);
extern int results;
/* The name of a hypercall result: "0", "-EFAULT", ... */
const char *ret_name(s64 ret, char *buf, size_t len);

#endif

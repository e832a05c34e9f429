// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pv console backend (see console.h; the guest ABI is
 * Documentation/virt/vireo/hypercalls.rst).
 */
#include <string.h>
#include <linux/vireo_para.h>

#include "console.h"

static void count(u64 *counter, u64 n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

void pv_console_init(struct pv_console *c, const struct guest_mem *mem, struct irq_line irq,
		     struct console *out)
{
	memset(c, 0, sizeof(*c));
	c->mem = mem;
	c->irq = irq;
	c->out = out;
	pthread_mutex_init(&c->lock, NULL);
}

void pv_console_destroy(struct pv_console *c)
{
	pthread_mutex_destroy(&c->lock);
}

/* The checks both hypercalls make; the host address, or NULL with *@err set. */
static void *guest_buffer(struct pv_console *c, u64 gpa, u64 len, s64 *err)
{
	void *hva;

	if (len > VIREO_CONSOLE_MAX) {
		*err = -VIREO_E2BIG;
		return NULL;
	}
	hva = gpa_to_hva(c->mem, gpa, len);
	if (!hva)
		*err = -VIREO_EFAULT;
	return hva;
}

/*
 * vireoctl blocks on its output rather than refuse it, so the guest never
 * sees -VIREO_EAGAIN: a console that cannot be written (closed) drops the
 * bytes, as the UART does.
 */
static s64 console_write_hc(struct pv_console *c, u64 gpa, u64 len)
{
	u8 copy[VIREO_CONSOLE_MAX];
	s64 err = 0;
	void *src;

	if (!len)
		return 0;
	src = guest_buffer(c, gpa, len, &err);
	if (!src)
		return err;
	memcpy(copy, src, len);		/* the guest may change it meanwhile */
	if (c->out)
		console_write(c->out, copy, len);
	count(&c->writes, 1);
	count(&c->bytes_out, len);
	return len;
}

static s64 console_read_hc(struct pv_console *c, u64 gpa, u64 len)
{
	s64 err = 0;
	u8 *dst;
	u32 n, first;

	if (!len)
		return 0;
	dst = guest_buffer(c, gpa, len, &err);
	if (!dst)
		return err;
	pthread_mutex_lock(&c->lock);
	n = c->in_count < len ? c->in_count : len;
	first = PV_CONSOLE_INPUT - c->in_head;
	if (first > n)
		first = n;
	memcpy(dst, c->in + c->in_head, first);
	memcpy(dst + first, c->in, n - first);
	c->in_head = (c->in_head + n) % PV_CONSOLE_INPUT;
	c->in_count -= n;
	pthread_mutex_unlock(&c->lock);
	count(&c->reads, 1);
	count(&c->bytes_in, n);
	return n;
}

s64 pv_console_hypercall(struct pv_console *c, u64 nr, const u64 *args)
{
	s64 ret;

	__atomic_store_n(&c->active, true, __ATOMIC_RELEASE);
	switch (nr) {
	case VIREO_HC_CONSOLE_WRITE:
		ret = console_write_hc(c, args[0], args[1]);
		break;
	case VIREO_HC_CONSOLE_READ:
		ret = console_read_hc(c, args[0], args[1]);
		break;
	default:
		ret = -VIREO_ENOSYS;
		break;
	}
	if (ret < 0)
		count(&c->errors, 1);
	return ret;
}

size_t pv_console_receive(struct pv_console *c, const u8 *buf, size_t len)
{
	size_t n, i, tail;

	pthread_mutex_lock(&c->lock);
	n = PV_CONSOLE_INPUT - c->in_count;
	if (n > len)
		n = len;
	tail = (c->in_head + c->in_count) % PV_CONSOLE_INPUT;
	for (i = 0; i < n; i++)
		c->in[(tail + i) % PV_CONSOLE_INPUT] = buf[i];
	c->in_count += n;
	pthread_mutex_unlock(&c->lock);
	if (n) {
		irq_line_pulse(&c->irq);
		count(&c->irqs, 1);
	}
	return n;
}

void pv_console_print_state(struct pv_console *c, FILE *out)
{
	pthread_mutex_lock(&c->lock);
	fprintf(out, "  pv console: %s, %u bytes of input waiting, IRQ %u\n",
		pv_console_active(c) ? "in use" : "never called", c->in_count, c->irq.pin);
	pthread_mutex_unlock(&c->lock);
	fprintf(out, "  pv console: %llu writes (%llu bytes), %llu reads (%llu bytes)",
		(unsigned long long)c->writes, (unsigned long long)c->bytes_out,
		(unsigned long long)c->reads, (unsigned long long)c->bytes_in);
	fprintf(out, ", %llu IRQs, %llu errors\n", (unsigned long long)c->irqs,
		(unsigned long long)c->errors);
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An interrupt request line from a device to an interrupt controller.
 *
 * A device model holds a struct irq_line and drives its level; it never
 * knows which controller is behind it (the 8259 pair in vireoctl run, a
 * recorder in the native tests). Edge-triggered inputs see a pulse as one
 * request. The controller's set_level must be callable from any thread
 * and with the device's own lock held (lock order: device, then
 * controller).
 */
#ifndef VMM_IRQ_H
#define VMM_IRQ_H

struct irq_line {
	void (*set_level)(void *chip, unsigned int pin, int level);
	void *chip;
	unsigned int pin;
};

static inline void irq_line_set(const struct irq_line *line, int level)
{
	if (line->set_level)
		line->set_level(line->chip, line->pin, level);
}

/* One edge: raise and drop the line. */
static inline void irq_line_pulse(const struct irq_line *line)
{
	irq_line_set(line, 1);
	irq_line_set(line, 0);
}

#endif

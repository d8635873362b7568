/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/interrupt.h, per-CPU interrupts only (the
 * async-PF page-ready PPI). An irq number comes from acpi_register_gsi();
 * see docs/kshim.md for the mapping. The handler runs in the platform's IRQ
 * vector on the CPU that took the interrupt, with dev_id = that CPU's
 * instance of the __percpu pointer given to request_percpu_irq().
 */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/irqreturn.h>
#include <linux/percpu.h>
#include <linux/types.h>

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

/* Return: 0, -EINVAL (unknown irq, no handler or dev_id), -EBUSY (requested). */
int request_percpu_irq(unsigned int irq, irq_handler_t handler, const char *devname,
		       void __percpu *percpu_dev_id);
/* WARN and nothing freed when @percpu_dev_id does not match or a CPU still has it enabled. */
void free_percpu_irq(unsigned int irq, void __percpu *percpu_dev_id);
/* On the calling CPU: trigger type (IRQ_TYPE_*, NONE = as registered), priority, enable. */
void enable_percpu_irq(unsigned int irq, unsigned int type);
void disable_percpu_irq(unsigned int irq);
bool irq_percpu_is_enabled(unsigned int irq);

#endif /* _LINUX_INTERRUPT_H */

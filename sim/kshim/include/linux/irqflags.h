/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/irqflags.h. The mask is per simulated CPU and is
 * what kshim_irqs_disabled() reports to the interrupt-delivery hooks;
 * re-enabling is a schedule point where a pending interrupt may be taken.
 * With the platform attached the mask is the vCPU's PSTATE.I (host code
 * in host mode has its own), and each task's PSTATE follows it across
 * CPUs (docs/kshim.md).
 */
#ifndef _LINUX_TRACE_IRQFLAGS_H
#define _LINUX_TRACE_IRQFLAGS_H

#include <linux/kshim.h>

#define local_irq_save(flags) ((flags) = kshim_irq_save())
#define local_irq_restore(flags) kshim_irq_restore(flags)
#define local_irq_disable() ((void)kshim_irq_save())
#define local_irq_enable() kshim_irq_restore(0)
#define irqs_disabled() kshim_irqs_disabled_self()
#define in_hardirq() kshim_in_hardirq()
#define in_irq() kshim_in_hardirq()
#define in_interrupt() kshim_in_hardirq()

#endif /* _LINUX_TRACE_IRQFLAGS_H */

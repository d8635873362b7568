/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/hardirq.h and preempt.h's context tests. The
 * hardirq and NMI depths are per vCPU: the IRQ vector enters hardirq
 * context, the SDEI handler NMI context (which counts as hardirq too, as
 * nmi_enter() does). Host code on a vCPU in host mode is in neither.
 */
#ifndef LINUX_HARDIRQ_H
#define LINUX_HARDIRQ_H

#include <linux/irqflags.h>
#include <linux/kshim.h>
#include <linux/preempt.h>

bool kshim_in_nmi(void);

#define in_nmi() kshim_in_nmi()
#define in_task() (!in_interrupt())

#endif /* LINUX_HARDIRQ_H */

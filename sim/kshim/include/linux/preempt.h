/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/preempt.h. The count lives in the task (as
 * arm64's thread_info.preempt_count); sleeping while it is non-zero is a
 * "sleep-in-atomic" finding. preempt_enable() does not preempt: the
 * simulation reschedules at schedule() and at the return to user mode.
 */
#ifndef __LINUX_PREEMPT_H
#define __LINUX_PREEMPT_H

#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/kshim.h>

#define preempt_disable()                   \
	do {                                \
		kshim_preempt_count_add(1); \
		barrier();                  \
	} while (0)

#define preempt_enable()                     \
	do {                                 \
		barrier();                   \
		kshim_preempt_count_add(-1); \
	} while (0)

#define preempt_enable_no_resched() preempt_enable()
#define preempt_count() kshim_preempt_count()
#define in_atomic() (kshim_preempt_count() != 0)
#define might_sleep() kshim_might_sleep(__FILE__, __LINE__)
#define cant_sleep() WARN_ON_ONCE(!in_atomic() && !irqs_disabled())

#endif /* __LINUX_PREEMPT_H */

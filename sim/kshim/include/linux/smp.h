/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/smp.h. smp_processor_id() is the caller's vCPU
 * (0 on host threads). With the platform attached, on_each_cpu() and
 * smp_call_function_single() run the callback ON each target vCPU (a kshim
 * worker task bound to it, interrupts masked) and wait for it, and
 * smp_send_reschedule() is SGI 0; without it the callback runs on the
 * calling thread with smp_processor_id() returning the target CPU. See
 * docs/kshim.md.
 */
#ifndef __LINUX_SMP_H
#define __LINUX_SMP_H

#include <linux/cpumask.h>
#include <linux/kshim.h>
#include <linux/preempt.h>

typedef void (*smp_call_func_t)(void *info);

#define smp_processor_id() kshim_smp_processor_id()
#define raw_smp_processor_id() kshim_smp_processor_id()
#define get_cpu() ({ preempt_disable(); smp_processor_id(); })
#define put_cpu() preempt_enable()

void kshim_smp_send_reschedule(int cpu);
int kshim_smp_call_function_single(int cpu, smp_call_func_t func, void *info);

static inline void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	(void)wait; /* the callbacks have run when it returns */
	kshim_on_each_cpu(func, info);
}

/* Return: 0, -ENXIO (offline CPU), -EINVAL. Always waits. */
static inline int smp_call_function_single(int cpu, smp_call_func_t func, void *info, int wait)
{
	(void)wait;
	return kshim_smp_call_function_single(cpu, func, info);
}

/* The reschedule IPI: TIF_NEED_RESCHED on the task running on @cpu. */
static inline void smp_send_reschedule(int cpu)
{
	kshim_smp_send_reschedule(cpu);
}

#endif /* __LINUX_SMP_H */

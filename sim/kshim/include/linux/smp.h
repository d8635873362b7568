/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/smp.h. smp_processor_id() is the caller's vCPU
 * (0 on host threads). on_each_cpu() runs the callback on the calling thread
 * once per online CPU with smp_processor_id() returning that CPU; see
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

static inline void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	(void)wait; /* the callbacks have run when it returns */
	kshim_on_each_cpu(func, info);
}

#endif /* __LINUX_SMP_H */

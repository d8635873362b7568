/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/percpu.h, include/linux/percpu-defs.h. As in
 * the kernel, a per-CPU pointer is an address plus a per-CPU offset: the
 * static variables live in the "kshim_percpu" section, which acts as the
 * template copied into one unit per CPU at the start of every execution;
 * alloc_percpu() hands out offsets in the same units.
 */
#ifndef __LINUX_PERCPU_H
#define __LINUX_PERCPU_H

#include <linux/gfp.h>
#include <linux/kshim.h>
#include <linux/smp.h>
#include <linux/types.h>

#define __kshim_percpu __attribute__((section("kshim_percpu"), aligned(64), used))
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
#define DEFINE_PER_CPU(type, name) __kshim_percpu __typeof__(type) name
#define DEFINE_PER_CPU_ALIGNED(type, name) DEFINE_PER_CPU(type, name)
/* Shared with the host in the kernel (SEV); plain per-CPU data here. */
#define DEFINE_PER_CPU_DECRYPTED(type, name) DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU_DECRYPTED(type, name) DECLARE_PER_CPU(type, name)
#define __percpu

#define per_cpu_offset(cpu) kshim_per_cpu_offset(cpu)
#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((unsigned long)(ptr) + kshim_per_cpu_offset(cpu)))
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), (cpu)))
#define this_cpu_ptr(ptr) per_cpu_ptr((ptr), (unsigned int)smp_processor_id())
#define raw_cpu_ptr(ptr) this_cpu_ptr(ptr)
#define __this_cpu_read(var) (*this_cpu_ptr(&(var)))
#define __this_cpu_write(var, val) (*this_cpu_ptr(&(var)) = (val))
#define this_cpu_read(var) __this_cpu_read(var)
#define this_cpu_write(var, val) __this_cpu_write(var, val)
#define get_cpu_var(var) (*({ preempt_disable(); this_cpu_ptr(&(var)); }))
#define put_cpu_var(var) preempt_enable()

#define __alloc_percpu(size, align) kshim_alloc_percpu((size), (align))
#define alloc_percpu(type) \
	((__typeof__(type) *)kshim_alloc_percpu(sizeof(type), __alignof__(type)))
#define alloc_percpu_gfp(type, gfp) alloc_percpu(type)
#define free_percpu(ptr) kshim_free_percpu(ptr)

#endif /* __LINUX_PERCPU_H */

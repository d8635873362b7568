/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: no upstream counterpart. The entry points of the simulation
 * runtime (the .c files of sim/kshim) that the other shim headers expand to. Kernel code
 * never includes this file itself; a port into a kernel tree drops it with
 * the rest of sim/kshim/include. Declared here, without libc or sim/
 * headers, so kernel code sees only kernel names.
 */
#ifndef _LINUX_KSHIM_H
#define _LINUX_KSHIM_H

#include <linux/types.h>

struct task_struct;

/* The state behind spinlock_t, raw_spinlock_t and struct mutex. */
struct kshim_lock {
	unsigned int owner;  /* sim thread id + 1; 0 when free */
	unsigned int sleeps; /* 0: spinlock (keeps the vCPU), 1: mutex */
	const char *reason;  /* static "spinlock NAME" / "mutex NAME" */
};

#define KSHIM_LOCK_INIT(kind_name, name, sleeps_flag) \
	{ .owner = 0, .sleeps = (sleeps_flag), .reason = kind_name " " name }

enum kshim_access {
	KSHIM_ACCESS_READ = 0,
	KSHIM_ACCESS_WRITE,
	KSHIM_ACCESS_ATOMIC,
	KSHIM_ACCESS_BARRIER,
};

/* A schedule point for a marked shared access (no-op outside a run). */
void kshim_access_point(enum kshim_access kind, const char *label);

/* A number unique to the running execution (0 outside one). */
unsigned long kshim_execution_id(void);

/* WARN: records a "warn" finding at @file:@line; returns nothing. */
void kshim_warn(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* printk: a line in the execution's trace (stderr outside a run). */
void kshim_printk(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* BUG: a fatal "bug" finding; does not return inside a run. */
void kshim_bug(const char *file, int line) __attribute__((noreturn));

/* Locks: spinlocks keep the vCPU while contended, mutexes give it up. */
void kshim_lock_acquire(struct kshim_lock *lock);
bool kshim_lock_try(struct kshim_lock *lock);
void kshim_lock_release(struct kshim_lock *lock);
bool kshim_lock_held(const struct kshim_lock *lock);

/* Interrupt mask of the caller's CPU. */
unsigned long kshim_irq_save(void);
void kshim_irq_restore(unsigned long flags);
bool kshim_irqs_disabled_self(void);
bool kshim_in_hardirq(void);

/* Scheduling. */
struct task_struct *kshim_current(void);
void kshim_schedule(void);
void kshim_resched(void);
void kshim_task_state_changed(struct task_struct *task);
int kshim_wake_up_process(struct task_struct *task);
void kshim_might_sleep(const char *file, int line);
void kshim_preempt_count_add(int delta);
int kshim_preempt_count(void);

/* CPUs. */
int kshim_smp_processor_id(void);
unsigned int kshim_nr_cpu_ids(void);
bool kshim_cpu_online(unsigned int cpu);
unsigned long kshim_per_cpu_offset(unsigned int cpu);
void *kshim_alloc_percpu(size_t size, size_t align);
void kshim_free_percpu(void *ptr);
void kshim_on_each_cpu(void (*fn)(void *info), void *info);

/* Memory. */
void *kshim_kmalloc(size_t size, gfp_t flags, const char *file, int line);
void kshim_kfree(const void *ptr);
size_t kshim_ksize(const void *ptr);

/* Time: virtual ticks since the start of the execution. */
u64 kshim_now_ticks(void);
void kshim_sleep_ticks(u64 ticks);

#endif /* _LINUX_KSHIM_H */

/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU table of tasks that wait for an asynchronous page fault to be
 * resolved (the guest side of arm64 async PF, apf-protocol.md section 5.3).
 *
 * One table per CPU, sized at twice the host's SLOTS (128 entries for a v4
 * host), guarded by one lock. An entry is in use while its task pointer is
 * set: the token is never used to tell a free entry from a used one, because
 * 0 is a valid token (vCPU 0's first fault, and every wrap of the host's
 * counter). A task in the table has TIF_ASYNC_PF set and its
 * thread_struct.data pointing at its entry's wait queue; removing the entry
 * clears both and wakes the queue.
 *
 * The table code has no dependency on the platform: it is unit-tested on its
 * own, and the driver (kvm.c) owns one table per CPU.
 */
#ifndef _KVM_APF_TABLE_H
#define _KVM_APF_TABLE_H

#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/swait.h>
#include <linux/types.h>

/* Entries per table are limited so that one table fits a per-CPU chunk. */
#define KVM_APF_TABLE_CAPACITY_MAX	256U

/**
 * struct kvm_apf_entry - one waiting task.
 * @task: the task, or NULL when the entry is free.
 * @token: the host's token of the fault the task waits for.
 * @wq: the queue the task sleeps on (see kvm_async_pf_task_wait()).
 */
struct kvm_apf_entry {
	struct task_struct *task;
	u32 token;
	struct swait_queue_head wq;
};

/**
 * struct kvm_apf_table - the waiting tasks of one CPU.
 * @lock: guards @count and every entry's @task and @token.
 * @count: entries in use.
 * @capacity: entries in @entries.
 * @entries: the entries.
 */
struct kvm_apf_table {
	raw_spinlock_t lock;
	unsigned int count;
	unsigned int capacity;
	struct kvm_apf_entry entries[];
};

/*
 * The wait queue a task parks on is kept in thread_struct.data (patch 13 of
 * the series). The casts go through the field's own type, so they compile
 * whether a tree declares it as a pointer or as a u64.
 */
static inline struct swait_queue_head *kvm_apf_task_wq(struct task_struct *task)
{
	return (struct swait_queue_head *)(unsigned long)READ_ONCE(task->thread.data);
}

static inline void kvm_apf_task_set_wq(struct task_struct *task,
				       struct swait_queue_head *wq)
{
	WRITE_ONCE(task->thread.data,
		   (__typeof__(task->thread.data))(unsigned long)wq);
}

size_t kvm_apf_table_size(unsigned int capacity);
int kvm_apf_table_init(struct kvm_apf_table *table, unsigned int capacity);
int kvm_apf_table_add(struct kvm_apf_table *table, struct task_struct *task,
		      u32 token);
unsigned int kvm_apf_table_wake(struct kvm_apf_table *table, u32 token);
unsigned int kvm_apf_table_wake_all(struct kvm_apf_table *table);
unsigned int kvm_apf_table_used(const struct kvm_apf_table *table);
int kvm_apf_table_entry(const struct kvm_apf_table *table, unsigned int index,
			u32 *token, struct task_struct **task);

#endif /* _KVM_APF_TABLE_H */

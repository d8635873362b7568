// SPDX-License-Identifier: MIT
/*
 * Per-CPU table of tasks waiting for an asynchronous page fault; see
 * apf_table.h. Every function that changes the table takes its lock with
 * interrupts saved, so the table may be used from the SDEI handler, the
 * page-ready interrupt handler and process context alike.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/swait.h>

#include "apf_table.h"

/**
 * kvm_apf_table_size() - bytes needed for a table of @capacity entries.
 * @capacity: entries, 1 .. KVM_APF_TABLE_CAPACITY_MAX.
 *
 * Return: the size, or 0 when @capacity is out of range.
 */
size_t kvm_apf_table_size(unsigned int capacity)
{
	if (capacity == 0 || capacity > KVM_APF_TABLE_CAPACITY_MAX)
		return 0;
	return sizeof(struct kvm_apf_table) +
	       (size_t)capacity * sizeof(struct kvm_apf_entry);
}

/**
 * kvm_apf_table_init() - initialise an empty table in place.
 * @table: memory of at least kvm_apf_table_size(@capacity) bytes.
 * @capacity: entries, 1 .. KVM_APF_TABLE_CAPACITY_MAX.
 *
 * Context: process context, the table not yet visible to other CPUs.
 * Return: 0, or -EINVAL for a bad @capacity.
 */
int kvm_apf_table_init(struct kvm_apf_table *table, unsigned int capacity)
{
	unsigned int i;

	if (!kvm_apf_table_size(capacity))
		return -EINVAL;

	raw_spin_lock_init(&table->lock);
	table->count = 0;
	table->capacity = capacity;
	for (i = 0; i < capacity; i++) {
		table->entries[i].task = NULL;
		table->entries[i].token = 0;
		init_swait_queue_head(&table->entries[i].wq);
	}
	return 0;
}

/**
 * kvm_apf_table_add() - record that @task waits for @token.
 * @table: the table of the CPU that took the page-not-present notification.
 * @task: the task that faulted.
 * @token: the host's token; any value, 0 included.
 *
 * On success @task has TIF_ASYNC_PF set and its wait queue recorded, so it
 * parks on its next return to user mode.
 *
 * Context: any; takes the table lock with interrupts saved.
 * Return: 0; -ENOSPC when the table is full; -EEXIST when @task already has
 * an entry (a task in the table is parked and cannot fault again, so this
 * is a guest bug and warns once).
 */
int kvm_apf_table_add(struct kvm_apf_table *table, struct task_struct *task,
		      u32 token)
{
	struct kvm_apf_entry *entry = NULL;
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	raw_spin_lock_irqsave(&table->lock, flags);
	if (table->count >= table->capacity) {
		ret = -ENOSPC;
		goto unlock;
	}

	for (i = 0; i < table->capacity; i++) {
		struct kvm_apf_entry *cur = &table->entries[i];

		/* fix: G1 - a free entry has no task; token 0 is valid */
		if (!cur->task) {
			if (!entry)
				entry = cur;
			continue;
		}
		if (WARN_ON_ONCE(cur->task == task)) {
			ret = -EEXIST;
			goto unlock;
		}
	}
	if (WARN_ON_ONCE(!entry)) {
		/* count said there was room: the table is inconsistent */
		ret = -ENOSPC;
		goto unlock;
	}

	entry->task = task;
	entry->token = token;
	table->count++;
	/* The queue first: the parking task reads the flag, then the queue. */
	kvm_apf_task_set_wq(task, &entry->wq);
	set_tsk_thread_flag(task, TIF_ASYNC_PF);

unlock:
	raw_spin_unlock_irqrestore(&table->lock, flags);
	return ret;
}

/*
 * Free entry @entry and wake its task. The flag is cleared before the queue
 * pointer, so a parking task that still sees the flag also sees the queue.
 * Caller holds the table lock.
 */
static void kvm_apf_table_remove(struct kvm_apf_table *table,
				 struct kvm_apf_entry *entry)
{
	struct task_struct *task = entry->task;

	entry->task = NULL;
	entry->token = 0;
	table->count--;
	clear_tsk_thread_flag(task, TIF_ASYNC_PF);
	kvm_apf_task_set_wq(task, NULL);
	swake_up_one(&entry->wq);
}

/**
 * kvm_apf_table_wake() - wake the task waiting for @token.
 * @table: the table of the CPU that took the page-ready notification.
 * @token: the token; the wake-all value is not special here (see
 *         kvm_apf_table_wake_all()).
 *
 * Context: any; takes the table lock with interrupts saved.
 * Return: 1 if a task was woken, 0 if no entry has @token (a page-ready for
 * a fault whose notification the guest did not record).
 */
unsigned int kvm_apf_table_wake(struct kvm_apf_table *table, u32 token)
{
	unsigned long flags;
	unsigned int i, woken = 0;

	raw_spin_lock_irqsave(&table->lock, flags);
	for (i = 0; i < table->capacity; i++) {
		struct kvm_apf_entry *entry = &table->entries[i];

		/* fix: G1 - match on the task; a token of 0 is a real token */
		if (entry->task && entry->token == token) {
			kvm_apf_table_remove(table, entry);
			woken = 1;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&table->lock, flags);
	return woken;
}

/**
 * kvm_apf_table_wake_all() - wake every task of the table.
 * @table: the table.
 *
 * Used for the host's wake-all token and when the CPU stops taking
 * notifications (offline, reboot).
 *
 * Context: any; takes the table lock with interrupts saved.
 * Return: the number of tasks woken.
 */
unsigned int kvm_apf_table_wake_all(struct kvm_apf_table *table)
{
	unsigned long flags;
	unsigned int i, woken = 0;

	raw_spin_lock_irqsave(&table->lock, flags);
	for (i = 0; i < table->capacity; i++) {
		struct kvm_apf_entry *entry = &table->entries[i];

		if (entry->task) {
			kvm_apf_table_remove(table, entry);
			woken++;
		}
	}
	raw_spin_unlock_irqrestore(&table->lock, flags);
	return woken;
}

/**
 * kvm_apf_table_used() - entries in use.
 * @table: the table.
 *
 * Context: any. Lockless snapshot for introspection, no side effect; exact
 * when nothing changes the table concurrently.
 * Return: the count.
 */
unsigned int kvm_apf_table_used(const struct kvm_apf_table *table)
{
	return table->count;
}

/**
 * kvm_apf_table_entry() - read entry @index.
 * @table: the table.
 * @index: 0 .. capacity - 1.
 * @token: the entry's token (may be NULL).
 * @task: the entry's task (may be NULL).
 *
 * Context: any. Lockless snapshot, as kvm_apf_table_used().
 * Return: 0 for an entry in use, -ENOENT for a free one, -EINVAL for a bad
 * @index.
 */
int kvm_apf_table_entry(const struct kvm_apf_table *table, unsigned int index,
			u32 *token, struct task_struct **task)
{
	const struct kvm_apf_entry *entry;

	if (index >= table->capacity)
		return -EINVAL;
	entry = &table->entries[index];
	if (token)
		*token = entry->token;
	if (task)
		*task = entry->task;
	return entry->task ? 0 : -ENOENT;
}

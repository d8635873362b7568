// SPDX-License-Identifier: MIT
/*
 * swait queues, wait queues and completions, written as kernel code against
 * the shim headers (after kernel/sched/swait.c, wait.c and completion.c):
 * the blocking itself is set_current_state() + schedule() + wake_up_process().
 */
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/swait.h>
#include <linux/wait.h>

void __init_swait_queue_head(struct swait_queue_head *q, const char *reason)
{
	kshim_lock_init(&q->lock.lock, reason, 0);
	INIT_LIST_HEAD(&q->task_list);
}

/* Wake the first waiter; the caller holds q->lock. */
void swake_up_locked(struct swait_queue_head *q)
{
	struct swait_queue *curr;

	if (list_empty(&q->task_list))
		return;
	curr = list_first_entry(&q->task_list, struct swait_queue, task_list);
	wake_up_process(curr->task);
	list_del_init(&curr->task_list);
}

void swake_up_one(struct swait_queue_head *q)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&q->lock, flags);
	swake_up_locked(q);
	raw_spin_unlock_irqrestore(&q->lock, flags);
}

/* Every waiter; the list is finite and each pass removes one entry. */
void swake_up_all(struct swait_queue_head *q)
{
	struct swait_queue *curr, *next;

	raw_spin_lock_irq(&q->lock);
	list_for_each_entry_safe(curr, next, &q->task_list, task_list) {
		wake_up_process(curr->task);
		list_del_init(&curr->task_list);
	}
	raw_spin_unlock_irq(&q->lock);
}

void prepare_to_swait_exclusive(struct swait_queue_head *q, struct swait_queue *wait, int state)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&q->lock, flags);
	if (list_empty(&wait->task_list))
		list_add_tail(&wait->task_list, &q->task_list);
	set_current_state(state);
	raw_spin_unlock_irqrestore(&q->lock, flags);
}

void finish_swait(struct swait_queue_head *q, struct swait_queue *wait)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	if (!list_empty_careful(&wait->task_list)) {
		raw_spin_lock_irqsave(&q->lock, flags);
		list_del_init(&wait->task_list);
		raw_spin_unlock_irqrestore(&q->lock, flags);
	}
}

/* ---- wait queues ---- */

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *reason)
{
	kshim_lock_init(&wq_head->lock.rlock.lock, reason, 0);
	INIT_LIST_HEAD(&wq_head->head);
}

static void prepare_to_wait_common(struct wait_queue_head *wq_head,
				   struct wait_queue_entry *wq_entry, int state,
				   unsigned int flags)
{
	unsigned long irq_flags;

	wq_entry->flags = flags;
	spin_lock_irqsave(&wq_head->lock, irq_flags);
	if (list_empty(&wq_entry->entry))
		list_add_tail(&wq_entry->entry, &wq_head->head);
	set_current_state(state);
	spin_unlock_irqrestore(&wq_head->lock, irq_flags);
}

void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
		     int state)
{
	prepare_to_wait_common(wq_head, wq_entry, state, 0);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state)
{
	prepare_to_wait_common(wq_head, wq_entry, state, WQ_FLAG_EXCLUSIVE);
}

void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	if (!list_empty_careful(&wq_entry->entry)) {
		spin_lock_irqsave(&wq_head->lock, flags);
		list_del_init(&wq_entry->entry);
		spin_unlock_irqrestore(&wq_head->lock, flags);
	}
}

/*
 * Wake non-exclusive waiters and up to @nr_exclusive exclusive ones (0: all).
 * Woken entries leave the list (autoremove_wake_function).
 */
void __wake_up(struct wait_queue_head *wq_head, int nr_exclusive)
{
	struct wait_queue_entry *curr, *next;
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		bool exclusive = (curr->flags & WQ_FLAG_EXCLUSIVE) != 0;

		wake_up_process(curr->private);
		list_del_init(&curr->entry);
		if (exclusive && --nr_exclusive == 0)
			break;
	}
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

/* ---- completions ---- */

void __init_completion(struct completion *x, const char *reason)
{
	x->done = 0;
	__init_swait_queue_head(&x->wait, reason);
}

void complete(struct completion *x)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done != UINT_MAX)
		x->done++;
	swake_up_locked(&x->wait);
	raw_spin_unlock_irqrestore(&x->wait.lock, flags);
}

void complete_all(struct completion *x)
{
	struct swait_queue *curr, *next;
	unsigned long flags;

	raw_spin_lock_irqsave(&x->wait.lock, flags);
	x->done = UINT_MAX;
	list_for_each_entry_safe(curr, next, &x->wait.task_list, task_list) {
		wake_up_process(curr->task);
		list_del_init(&curr->task_list);
	}
	raw_spin_unlock_irqrestore(&x->wait.lock, flags);
}

void wait_for_completion(struct completion *x)
{
	might_sleep();
	raw_spin_lock_irq(&x->wait.lock);
	if (!x->done) {
		DECLARE_SWAITQUEUE(wait);

		do {
			if (list_empty(&wait.task_list))
				list_add_tail(&wait.task_list, &x->wait.task_list);
			__set_current_state(TASK_UNINTERRUPTIBLE);
			raw_spin_unlock_irq(&x->wait.lock);
			schedule();
			raw_spin_lock_irq(&x->wait.lock);
		} while (!x->done);
		if (!list_empty(&wait.task_list))
			list_del_init(&wait.task_list);
	}
	if (x->done != UINT_MAX)
		x->done--;
	raw_spin_unlock_irq(&x->wait.lock);
}

bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret = true;

	raw_spin_lock_irqsave(&x->wait.lock, flags);
	if (!x->done)
		ret = false;
	else if (x->done != UINT_MAX)
		x->done--;
	raw_spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}

bool completion_done(struct completion *x)
{
	return READ_ONCE(x->done) != 0;
}

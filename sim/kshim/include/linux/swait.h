/* SPDX-License-Identifier: MIT */
/*
 * DUPLICATED: include/linux/swait.h (simple wait queues), over the
 * simulated schedule(). Implemented in sim/kshim/wait.c.
 */
#ifndef _LINUX_SWAIT_H
#define _LINUX_SWAIT_H

#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

struct swait_queue_head {
	raw_spinlock_t lock;
	struct list_head task_list;
};

struct swait_queue {
	struct task_struct *task;
	struct list_head task_list;
};

#define DECLARE_SWAITQUEUE(name) \
	struct swait_queue name = { .task = current, .task_list = LIST_HEAD_INIT((name).task_list) }

#define __SWAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ .lock = __RAW_SPIN_LOCK_UNLOCKED(name.lock), .task_list = LIST_HEAD_INIT((name).task_list) }
#define DECLARE_SWAIT_QUEUE_HEAD(name) \
	struct swait_queue_head name = __SWAIT_QUEUE_HEAD_INITIALIZER(name)

void __init_swait_queue_head(struct swait_queue_head *q, const char *reason);
#define init_swait_queue_head(q) __init_swait_queue_head((q), "spinlock swait " #q)

static inline bool swait_active(struct swait_queue_head *wq)
{
	return !list_empty(&wq->task_list);
}

void swake_up_one(struct swait_queue_head *q);
void swake_up_all(struct swait_queue_head *q);
void swake_up_locked(struct swait_queue_head *q);
void prepare_to_swait_exclusive(struct swait_queue_head *q, struct swait_queue *wait,
				int state);
void finish_swait(struct swait_queue_head *q, struct swait_queue *wait);

#define swait_event_exclusive(wq, condition)                                     \
	do {                                                                     \
		if (condition)                                                   \
			break;                                                   \
		DECLARE_SWAITQUEUE(__wait);                                      \
		for (;;) {                                                       \
			prepare_to_swait_exclusive(&(wq), &__wait,               \
						   TASK_UNINTERRUPTIBLE);        \
			if (condition)                                           \
				break;                                           \
			schedule();                                              \
		}                                                                \
		finish_swait(&(wq), &__wait);                                    \
	} while (0)

#endif /* _LINUX_SWAIT_H */

/* SPDX-License-Identifier: MIT */
/*
 * DUPLICATED (simplified): include/linux/wait.h. Entries are woken in
 * order; wake_up() wakes every non-exclusive waiter and one exclusive one.
 * Implemented in sim/kshim/wait.c.
 */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#define WQ_FLAG_EXCLUSIVE 0x01

struct wait_queue_entry {
	unsigned int flags;
	struct task_struct *private;
	struct list_head entry;
};

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};

typedef struct wait_queue_head wait_queue_head_t;
typedef struct wait_queue_entry wait_queue_entry_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

#define DEFINE_WAIT(name)                                                      \
	struct wait_queue_entry name = { .flags = 0,                           \
					 .private = current,                   \
					 .entry = LIST_HEAD_INIT((name).entry) }

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *reason);
#define init_waitqueue_head(wq) __init_waitqueue_head((wq), "spinlock waitqueue " #wq)

void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
		     int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void __wake_up(struct wait_queue_head *wq_head, int nr_exclusive);

#define wake_up(wq) __wake_up((wq), 1)
#define wake_up_all(wq) __wake_up((wq), 0)
#define wake_up_interruptible(wq) __wake_up((wq), 1)

static inline bool waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

#define wait_event(wq_head, condition)                                         \
	do {                                                                   \
		if (condition)                                                 \
			break;                                                 \
		DEFINE_WAIT(__wq_entry);                                       \
		for (;;) {                                                     \
			prepare_to_wait(&(wq_head), &__wq_entry,               \
					TASK_UNINTERRUPTIBLE);                 \
			if (condition)                                         \
				break;                                         \
			schedule();                                            \
		}                                                              \
		finish_wait(&(wq_head), &__wq_entry);                          \
	} while (0)

#endif /* _LINUX_WAIT_H */

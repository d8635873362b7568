/* SPDX-License-Identifier: MIT */
/* DUPLICATED: include/linux/completion.h over swait (sim/kshim/wait.c). */
#ifndef __LINUX_COMPLETION_H
#define __LINUX_COMPLETION_H

#include <linux/swait.h>

struct completion {
	unsigned int done;
	struct swait_queue_head wait;
};

#define COMPLETION_INITIALIZER(work) \
	{ 0, __SWAIT_QUEUE_HEAD_INITIALIZER((work).wait) }
#define DECLARE_COMPLETION(work) struct completion work = COMPLETION_INITIALIZER(work)

void __init_completion(struct completion *x, const char *reason);
#define init_completion(x) __init_completion((x), "spinlock completion " #x)
#define reinit_completion(x) ((x)->done = 0)

void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

#endif /* __LINUX_COMPLETION_H */

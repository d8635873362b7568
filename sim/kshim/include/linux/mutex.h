/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/mutex.h. A contended mutex gives up the vCPU;
 * taking one in atomic context is a "sleep-in-atomic" finding.
 */
#ifndef __LINUX_MUTEX_H
#define __LINUX_MUTEX_H

#include <linux/kshim.h>
#include <linux/spinlock.h>

/* The lock must stay the first member (lockdep_assert_held casts). */
struct mutex {
	struct kshim_lock lock;
};

#define __MUTEX_INITIALIZER(name) { .lock = KSHIM_LOCK_INIT("mutex", #name, 1) }
#define DEFINE_MUTEX(name) struct mutex name = __MUTEX_INITIALIZER(name)
#define mutex_init(m) kshim_lock_init(&(m)->lock, "mutex " #m, 1)

static inline void mutex_destroy(struct mutex *m)
{
	(void)m;
}

#define mutex_lock(m)                                       \
	do {                                                \
		kshim_might_sleep(__FILE__, __LINE__);      \
		kshim_lock_acquire(&(m)->lock);             \
	} while (0)

static inline int mutex_trylock(struct mutex *m)
{
	return kshim_lock_try(&m->lock) ? 1 : 0;
}

static inline void mutex_unlock(struct mutex *m)
{
	kshim_lock_release(&m->lock);
}

static inline bool mutex_is_locked(struct mutex *m)
{
	return kshim_lock_held(&m->lock);
}

#endif /* __LINUX_MUTEX_H */

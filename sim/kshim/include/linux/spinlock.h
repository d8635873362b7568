/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/spinlock.h. Acquire and release are schedule
 * points. A contended spinlock blocks its thread but keeps the vCPU (as a
 * spinning CPU does), so a lock-order inversion ends in a deadlock finding.
 * The _irq variants mask interrupts on the current CPU; lock disables
 * preemption.
 */
#ifndef __LINUX_SPINLOCK_H
#define __LINUX_SPINLOCK_H

#include <linux/bug.h>
#include <linux/irqflags.h>
#include <linux/kshim.h>
#include <linux/preempt.h>
#include <linux/spinlock_types.h>

static inline void kshim_lock_init(struct kshim_lock *lock, const char *reason,
				   unsigned int sleeps)
{
	lock->owner = 0;
	lock->sleeps = sleeps;
	lock->reason = reason;
}

#define raw_spin_lock_init(l) kshim_lock_init(&(l)->lock, "spinlock " #l, 0)
#define spin_lock_init(l) kshim_lock_init(&(l)->rlock.lock, "spinlock " #l, 0)

static inline void raw_spin_lock(raw_spinlock_t *lock)
{
	preempt_disable();
	kshim_lock_acquire(&lock->lock);
}

static inline void raw_spin_unlock(raw_spinlock_t *lock)
{
	kshim_lock_release(&lock->lock);
	preempt_enable();
}

static inline int raw_spin_trylock(raw_spinlock_t *lock)
{
	preempt_disable();
	if (kshim_lock_try(&lock->lock))
		return 1;
	preempt_enable();
	return 0;
}

#define raw_spin_lock_irqsave(l, flags)          \
	do {                                     \
		(flags) = kshim_irq_save();      \
		raw_spin_lock(l);                \
	} while (0)
#define raw_spin_unlock_irqrestore(l, flags)     \
	do {                                     \
		raw_spin_unlock(l);              \
		kshim_irq_restore(flags);        \
	} while (0)
#define raw_spin_lock_irq(l)                     \
	do {                                     \
		local_irq_disable();             \
		raw_spin_lock(l);                \
	} while (0)
#define raw_spin_unlock_irq(l)                   \
	do {                                     \
		raw_spin_unlock(l);              \
		local_irq_enable();              \
	} while (0)
#define raw_spin_is_locked(l) kshim_lock_held(&(l)->lock)

#define spin_lock(l) raw_spin_lock(&(l)->rlock)
#define spin_unlock(l) raw_spin_unlock(&(l)->rlock)
#define spin_trylock(l) raw_spin_trylock(&(l)->rlock)
#define spin_lock_irqsave(l, flags) raw_spin_lock_irqsave(&(l)->rlock, flags)
#define spin_unlock_irqrestore(l, flags) raw_spin_unlock_irqrestore(&(l)->rlock, flags)
#define spin_lock_irq(l) raw_spin_lock_irq(&(l)->rlock)
#define spin_unlock_irq(l) raw_spin_unlock_irq(&(l)->rlock)
#define spin_lock_bh(l) spin_lock(l)
#define spin_unlock_bh(l) spin_unlock(l)
#define spin_is_locked(l) raw_spin_is_locked(&(l)->rlock)
#define assert_spin_locked(l) WARN_ON(!spin_is_locked(l))

/* Held by anyone (the kernel's lockdep checks the holder; see docs/kshim.md). */
#define lockdep_assert_held(l) WARN_ON(!kshim_lock_held(__kshim_lock_of(l)))

struct mutex;
#define __kshim_lock_of(l)                                                  \
	_Generic((l),                                                       \
		spinlock_t *: &((spinlock_t *)(void *)(l))->rlock.lock,     \
		raw_spinlock_t *: &((raw_spinlock_t *)(void *)(l))->lock,   \
		struct mutex *: (struct kshim_lock *)(void *)(l))

#endif /* __LINUX_SPINLOCK_H */

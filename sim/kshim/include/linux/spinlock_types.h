/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/spinlock_types.h. A lock is a struct kshim_lock
 * whose name (the variable's spelling) is the blocking reason shown in
 * deadlock findings.
 */
#ifndef __LINUX_SPINLOCK_TYPES_H
#define __LINUX_SPINLOCK_TYPES_H

#include <linux/kshim.h>

typedef struct raw_spinlock {
	struct kshim_lock lock;
} raw_spinlock_t;

typedef struct spinlock {
	struct raw_spinlock rlock;
} spinlock_t;

#define __RAW_SPIN_LOCK_UNLOCKED(name) { .lock = KSHIM_LOCK_INIT("spinlock", #name, 0) }
#define __SPIN_LOCK_UNLOCKED(name) { .rlock = __RAW_SPIN_LOCK_UNLOCKED(name) }
#define DEFINE_RAW_SPINLOCK(x) raw_spinlock_t x = __RAW_SPIN_LOCK_UNLOCKED(x)
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

#endif /* __LINUX_SPINLOCK_TYPES_H */

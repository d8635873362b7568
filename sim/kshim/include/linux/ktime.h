/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/ktime.h. ktime_get() is the virtual clock in
 * nanoseconds at KSHIM_TICKS_PER_MSEC ticks per millisecond.
 */
#ifndef _LINUX_KTIME_H
#define _LINUX_KTIME_H

#include <linux/jiffies.h>
#include <linux/types.h>

typedef s64 ktime_t;

#define NSEC_PER_USEC 1000L
#define NSEC_PER_MSEC 1000000L
#define NSEC_PER_SEC 1000000000L

static inline ktime_t ktime_get(void)
{
	return (ktime_t)(kshim_now_ticks() * (u64)(NSEC_PER_MSEC / KSHIM_TICKS_PER_MSEC));
}

static inline s64 ktime_to_ns(ktime_t kt)
{
	return kt;
}

static inline ktime_t ktime_sub(ktime_t a, ktime_t b)
{
	return a - b;
}

static inline u64 ktime_get_ns(void)
{
	return (u64)ktime_get();
}

#endif /* _LINUX_KTIME_H */

/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/jiffies.h. Time is the engine's virtual clock:
 * one tick per schedule point. HZ is 100 and one jiffy is
 * KSHIM_TICKS_PER_JIFFY ticks, so 1 ms is 10 ticks and 1 us rounds up to
 * one tick; see docs/kshim.md.
 */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <linux/kshim.h>
#include <linux/types.h>

#define HZ 100
#define KSHIM_TICKS_PER_JIFFY 100ull
#define KSHIM_TICKS_PER_MSEC (KSHIM_TICKS_PER_JIFFY * HZ / 1000)
#define jiffies ((unsigned long)(kshim_now_ticks() / KSHIM_TICKS_PER_JIFFY))
#define jiffies_64 ((u64)(kshim_now_ticks() / KSHIM_TICKS_PER_JIFFY))

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)

static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return (m + (1000 / HZ) - 1) / (1000 / HZ);
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)(j * (1000 / HZ));
}

#endif /* _LINUX_JIFFIES_H */

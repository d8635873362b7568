/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/delay.h. Virtual sleeps on the engine clock
 * (see <linux/jiffies.h> for the scale); msleep in atomic context is a
 * finding; udelay busy-waits on schedule points.
 */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

#include <linux/jiffies.h>
#include <linux/kshim.h>

static inline void msleep(unsigned int msecs)
{
	kshim_sleep_ticks((u64)msecs * KSHIM_TICKS_PER_MSEC);
}

/* A busy wait: schedule points (one tick each), the CPU is kept. */
static inline void udelay(unsigned long usecs)
{
	unsigned long tick_count = (usecs * KSHIM_TICKS_PER_MSEC + 999) / 1000;
	unsigned long i;

	for (i = 0; i < tick_count; i++)
		kshim_access_point(KSHIM_ACCESS_BARRIER, "udelay");
}

#define usleep_range(min_us, max_us) udelay(min_us)

#endif /* _LINUX_DELAY_H */

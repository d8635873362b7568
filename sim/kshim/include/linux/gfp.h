/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/gfp_types.h. Only the bits the simulation
 * reads: __GFP_DIRECT_RECLAIM (may sleep: checked in atomic context),
 * __GFP_ZERO, __GFP_NOFAIL (never injected to fail) and __GFP_NOWARN.
 */
#ifndef __LINUX_GFP_H
#define __LINUX_GFP_H

#include <linux/types.h>

#define __GFP_HIGH 0x20u
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define __GFP_DIRECT_RECLAIM 0x400u
#define __GFP_KSWAPD_RECLAIM 0x800u
#define __GFP_NOFAIL 0x8000u
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT GFP_KERNEL

static inline bool gfpflags_allow_blocking(gfp_t gfp_flags)
{
	return (gfp_flags & __GFP_DIRECT_RECLAIM) != 0;
}

#endif /* __LINUX_GFP_H */

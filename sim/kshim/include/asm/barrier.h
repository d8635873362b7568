/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: arch/arm64/include/asm/barrier.h. Every barrier is a schedule
 * point (SIM_POINT_BARRIER). In deterministic mode one thread runs at a time,
 * so the memory model is sequentially consistent; the points are where a
 * reordering-free interleaving may still switch threads.
 */
#ifndef __ASM_BARRIER_H
#define __ASM_BARRIER_H

#include <linux/kshim.h>

#define __kshim_barrier(label)                                         \
	do {                                                           \
		__atomic_thread_fence(__ATOMIC_SEQ_CST);               \
		kshim_access_point(KSHIM_ACCESS_BARRIER, label);       \
	} while (0)

#define mb() __kshim_barrier("mb")
#define rmb() __kshim_barrier("rmb")
#define wmb() __kshim_barrier("wmb")
#define smp_mb() __kshim_barrier("smp_mb")
#define smp_rmb() __kshim_barrier("smp_rmb")
#define smp_wmb() __kshim_barrier("smp_wmb")
#define smp_mb__before_atomic() __kshim_barrier("smp_mb__before_atomic")
#define smp_mb__after_atomic() __kshim_barrier("smp_mb__after_atomic")
#define isb() __kshim_barrier("isb")
#define dsb(opt) __kshim_barrier("dsb")

#define smp_store_release(p, v) \
	do {                    \
		smp_mb();       \
		WRITE_ONCE(*(p), (v)); \
	} while (0)
#define smp_load_acquire(p)                        \
	({                                         \
		__typeof__(*(p)) ___v = READ_ONCE(*(p)); \
		smp_mb();                          \
		___v;                              \
	})

#endif /* __ASM_BARRIER_H */

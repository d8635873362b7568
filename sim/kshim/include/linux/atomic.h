/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/atomic.h. Each operation is one schedule point
 * (SIM_POINT_ATOMIC) followed by a sequentially consistent builtin, so it is
 * atomic in free-run mode as well.
 */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <asm/barrier.h>
#include <linux/compiler.h>
#include <linux/kshim.h>
#include <linux/types.h>

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

typedef atomic64_t atomic_long_t;

#define ATOMIC_INIT(i) { (i) }
#define ATOMIC64_INIT(i) { (i) }

#define __kshim_atomic_point(label) kshim_access_point(KSHIM_ACCESS_ATOMIC, label)

#define __KSHIM_ATOMIC_OPS(pfx, atype, ctype)                                     \
	static inline ctype pfx##_read(const atype *v)                            \
	{                                                                         \
		__kshim_atomic_point(#pfx "_read");                               \
		return __atomic_load_n(&v->counter, __ATOMIC_SEQ_CST);            \
	}                                                                         \
	static inline void pfx##_set(atype *v, ctype i)                           \
	{                                                                         \
		__kshim_atomic_point(#pfx "_set");                                \
		__atomic_store_n(&v->counter, i, __ATOMIC_SEQ_CST);               \
	}                                                                         \
	static inline ctype pfx##_add_return(ctype i, atype *v)                   \
	{                                                                         \
		__kshim_atomic_point(#pfx "_add_return");                         \
		return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);      \
	}                                                                         \
	static inline ctype pfx##_fetch_add(ctype i, atype *v)                    \
	{                                                                         \
		__kshim_atomic_point(#pfx "_fetch_add");                          \
		return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST);      \
	}                                                                         \
	static inline ctype pfx##_xchg(atype *v, ctype i)                         \
	{                                                                         \
		__kshim_atomic_point(#pfx "_xchg");                               \
		return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST);     \
	}                                                                         \
	static inline ctype pfx##_cmpxchg(atype *v, ctype old, ctype new_value)   \
	{                                                                         \
		__kshim_atomic_point(#pfx "_cmpxchg");                            \
		__atomic_compare_exchange_n(&v->counter, &old, new_value, false,  \
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);  \
		return old;                                                       \
	}                                                                         \
	static inline void pfx##_add(ctype i, atype *v)                           \
	{                                                                         \
		(void)pfx##_add_return(i, v);                                     \
	}                                                                         \
	static inline void pfx##_sub(ctype i, atype *v)                           \
	{                                                                         \
		(void)pfx##_add_return(-i, v);                                    \
	}                                                                         \
	static inline void pfx##_inc(atype *v)                                    \
	{                                                                         \
		(void)pfx##_add_return(1, v);                                     \
	}                                                                         \
	static inline void pfx##_dec(atype *v)                                    \
	{                                                                         \
		(void)pfx##_add_return(-1, v);                                    \
	}                                                                         \
	static inline ctype pfx##_sub_return(ctype i, atype *v)                   \
	{                                                                         \
		return pfx##_add_return(-i, v);                                   \
	}                                                                         \
	static inline ctype pfx##_inc_return(atype *v)                            \
	{                                                                         \
		return pfx##_add_return(1, v);                                    \
	}                                                                         \
	static inline ctype pfx##_dec_return(atype *v)                            \
	{                                                                         \
		return pfx##_add_return(-1, v);                                   \
	}                                                                         \
	static inline bool pfx##_dec_and_test(atype *v)                           \
	{                                                                         \
		return pfx##_add_return(-1, v) == 0;                              \
	}                                                                         \
	static inline bool pfx##_inc_and_test(atype *v)                           \
	{                                                                         \
		return pfx##_add_return(1, v) == 0;                               \
	}

__KSHIM_ATOMIC_OPS(atomic, atomic_t, int)
__KSHIM_ATOMIC_OPS(atomic64, atomic64_t, s64)

#define atomic_long_read atomic64_read
#define atomic_long_set atomic64_set
#define atomic_long_inc atomic64_inc
#define atomic_long_dec atomic64_dec
#define atomic_long_add atomic64_add

/* Plain variables, as the kernel's xchg()/cmpxchg() on any scalar. */
#define xchg(ptr, v)                                                        \
	({                                                                  \
		__kshim_atomic_point("xchg");                               \
		__atomic_exchange_n((ptr), (v), __ATOMIC_SEQ_CST);          \
	})
#define cmpxchg(ptr, old, new_value)                                        \
	({                                                                  \
		__typeof__(*(ptr)) __old = (old);                           \
		__kshim_atomic_point("cmpxchg");                            \
		__atomic_compare_exchange_n((ptr), &__old, (new_value), false, \
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
		__old;                                                      \
	})

#endif /* _LINUX_ATOMIC_H */

/* SPDX-License-Identifier: MIT */
/*
 * DUPLICATED: include/linux/kernel.h, include/linux/container_of.h,
 * include/linux/array_size.h, include/linux/minmax.h (simplified: the type
 * checks of min/max are kept, the constant-expression variants dropped).
 */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/bits.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/stddef.h>
#include <linux/types.h>

#define container_of(ptr, type, member)                               \
	({                                                            \
		void *__mptr = (void *)(ptr);                         \
		((type *)((char *)__mptr - offsetof(type, member))); \
	})

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))

#define __kshim_cmp(op, x, y)                              \
	({                                                 \
		__typeof__(x) __x = (x);                   \
		__typeof__(y) __y = (y);                   \
		(void)(&__x == &__y);                      \
		__x op __y ? __x : __y;                    \
	})
#define min(x, y) __kshim_cmp(<, x, y)
#define max(x, y) __kshim_cmp(>, x, y)
#define min_t(type, x, y) __kshim_cmp(<, (type)(x), (type)(y))
#define max_t(type, x, y) __kshim_cmp(>, (type)(x), (type)(y))
#define clamp(val, lo, hi) min(max(val, lo), hi)

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define INT_MAX ((int)(~0U >> 1))
#define UINT_MAX (~0U)
#define ULONG_MAX (~0UL)

#endif /* _LINUX_KERNEL_H */

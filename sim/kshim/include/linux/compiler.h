/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/compiler.h, include/asm-generic/rwonce.h.
 * READ_ONCE/WRITE_ONCE and the barriers are schedule points, so the
 * strategy may switch threads at every shared access the kernel code marks.
 */
#ifndef __LINUX_COMPILER_H
#define __LINUX_COMPILER_H

#include <linux/kshim.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" : : : "memory")
#ifndef __always_inline /* glibc's <sys/cdefs.h> has the same definition */
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define noinline __attribute__((__noinline__))
#define __maybe_unused __attribute__((__unused__))
#define __always_unused __attribute__((__unused__))
#define __must_check __attribute__((__warn_unused_result__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __cacheline_aligned __aligned(64)
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#define __same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define fallthrough __attribute__((__fallthrough__))
#define __read_mostly
#define __init
#define __exit
#define __initdata

/* Schedule point, then one volatile load. */
#define READ_ONCE(x)                                                          \
	({                                                                    \
		kshim_access_point(KSHIM_ACCESS_READ,                         \
				   __FILE__ ":" __stringify(__LINE__));       \
		*(const volatile __typeof__(x) *)&(x);                        \
	})

/* Schedule point, then one volatile store. */
#define WRITE_ONCE(x, val)                                                    \
	do {                                                                  \
		kshim_access_point(KSHIM_ACCESS_WRITE,                        \
				   __FILE__ ":" __stringify(__LINE__));       \
		*(volatile __typeof__(x) *)&(x) = (val);                      \
	} while (0)

#endif /* __LINUX_COMPILER_H */

/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/types.h. The fixed-width __u8 .. __u64, __le*,
 * __be* and __aligned_u64 come from the uapi header (as in the kernel, which
 * includes uapi/linux/types.h); this file adds the kernel-internal names.
 */
/*
 * The guard is not the kernel's _LINUX_TYPES_H: the uapi header installed
 * by linux-libc-dev uses that name, and it must still be included next.
 */
#ifndef _KSHIM_LINUX_TYPES_H
#define _KSHIM_LINUX_TYPES_H

#include_next <linux/types.h>

#ifndef __aligned_u64
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#endif

typedef __u8 u8;
typedef __s8 s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

/* Same spellings as <stdbool.h>, so both may be included in any order. */
#ifndef __cplusplus
#define bool _Bool
#define true 1
#define false 0
#endif

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ssize_t;
typedef unsigned long uintptr_t;
typedef u64 phys_addr_t;
typedef u64 gfn_t;
typedef u64 gpa_t;
typedef u64 gva_t;
typedef u64 hva_t;
typedef u64 hpa_t;
typedef u64 hfn_t;
typedef u64 kvm_pfn_t;
typedef unsigned int gfp_t;

#ifndef NULL
#define NULL ((void *)0)
#endif

/* DUPLICATED: include/linux/types.h (list heads, the intrusive list nodes). */
struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif /* _KSHIM_LINUX_TYPES_H */

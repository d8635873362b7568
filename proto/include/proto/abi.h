/* SPDX-License-Identifier: MIT */
/*
 * Common base of the proto/ ABI headers.
 *
 * Every proto header is uapi style: fixed-width __u8 .. __u64 types from
 * <linux/types.h>, explicit padding, stated alignment and a compile-time
 * check of every size and offset. This file provides the checks and makes
 * sure the few kernel type helpers the layouts rely on exist, so that the
 * headers compile both in user space (Debian's linux-libc-dev) and in
 * kernel-style code built against a kernel-shim <linux/types.h>.
 *
 * Naming: every name defined by proto/ is PROTO_<upstream name> for macros
 * and struct proto_<upstream name> for layouts, where the upstream name is
 * the spelling of the Linux, Xen or Arm header that defines the item (or of
 * the patch series that introduced it). The prefix keeps the headers
 * includable next to the real headers they are cross-checked against; see
 * docs/abi.md.
 */
#ifndef PROTO_ABI_H
#define PROTO_ABI_H

#include <linux/types.h>

/*
 * __aligned_u64 forces 8-byte alignment of a 64-bit field so that a layout is
 * identical on 32-bit and 64-bit builds. The uapi <linux/types.h> defines it;
 * a minimal kernel-shim <linux/types.h> might not.
 */
#ifndef __aligned_u64
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#endif

/* Compile-time layout checks; no <stddef.h>, so the builtin offsetof. */
#define PROTO_ASSERT_SIZE(type, size_bytes) \
	_Static_assert(sizeof(type) == (size_bytes), "sizeof(" #type ") must be " #size_bytes)
#define PROTO_ASSERT_ALIGN(type, align_bytes)                 \
	_Static_assert(_Alignof(type) == (align_bytes),       \
		       "_Alignof(" #type ") must be " #align_bytes)
#define PROTO_ASSERT_OFFSET(type, member, offset_bytes)                    \
	_Static_assert(__builtin_offsetof(type, member) == (offset_bytes), \
		       #type "." #member " must be at offset " #offset_bytes)
#define PROTO_ASSERT_VALUE(expr, value) \
	_Static_assert((expr) == (value), #expr " must be " #value)

PROTO_ASSERT_SIZE(__u8, 1);
PROTO_ASSERT_SIZE(__u16, 2);
PROTO_ASSERT_SIZE(__u32, 4);
PROTO_ASSERT_SIZE(__u64, 8);
PROTO_ASSERT_SIZE(__s16, 2);
PROTO_ASSERT_SIZE(__s32, 4);
PROTO_ASSERT_SIZE(__s64, 8);

#endif /* PROTO_ABI_H */

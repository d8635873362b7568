/* SPDX-License-Identifier: MIT */
/* DUPLICATED: include/linux/stddef.h (NULL, offsetof, sizeof_field). */
#ifndef _LINUX_STDDEF_H
#define _LINUX_STDDEF_H

#include <linux/types.h>

#ifndef offsetof
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif
#define sizeof_field(type, member) sizeof((((type *)0)->member))

#endif /* _LINUX_STDDEF_H */

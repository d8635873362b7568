/* SPDX-License-Identifier: MIT */
/* DUPLICATED: include/linux/poison.h (values without the POISON_POINTER_DELTA). */
#ifndef _LINUX_POISON_H
#define _LINUX_POISON_H

#define LIST_POISON1 ((void *)0x100)
#define LIST_POISON2 ((void *)0x122)
#define POISON_FREE 0x6b

#endif /* _LINUX_POISON_H */

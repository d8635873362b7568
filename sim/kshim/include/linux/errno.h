/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/errno.h. The uapi numbers (EINVAL ...) come from
 * the uapi header, as in the kernel; the kernel-internal ones are
 * DUPLICATED from include/linux/errno.h.
 */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H

#include_next <linux/errno.h>

#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ENOIOCTLCMD 515
#define EPROBE_DEFER 517
#define EOPENSTALE 518
#define ENOPARAM 519
#define EBADHANDLE 521
#define ENOTSUPP 524
#define EIOCBQUEUED 529

#endif /* _LINUX_ERRNO_H */

/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/ptrace.h, reduced to what kernel code of the
 * halves uses: struct pt_regs and its accessors from <asm/ptrace.h>.
 */
#ifndef _KSHIM_LINUX_PTRACE_H
#define _KSHIM_LINUX_PTRACE_H

#include <asm/ptrace.h>

#endif /* _KSHIM_LINUX_PTRACE_H */

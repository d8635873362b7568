/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: arch/arm64/include/asm/ptrace.h and its uapi part. The
 * exception frame the SDEI client hands to its callbacks: x0..x30, sp, pc
 * and pstate of the interrupted context, with the arm64 PSTATE bits. Not
 * include_next'ed: the build host's <asm/ptrace.h> is x86's.
 */
#ifndef __ASM_PTRACE_H
#define __ASM_PTRACE_H

#include <linux/types.h>

/* PSTATE / SPSR bits (AArch64), as arch/arm64/include/uapi/asm/ptrace.h. */
#define PSR_MODE_EL0t 0x00000000
#define PSR_MODE_EL1t 0x00000004
#define PSR_MODE_EL1h 0x00000005
#define PSR_MODE_EL2t 0x00000008
#define PSR_MODE_EL2h 0x00000009
#define PSR_MODE_MASK 0x0000000f
#define PSR_MODE32_BIT 0x00000010
#define PSR_F_BIT 0x00000040
#define PSR_I_BIT 0x00000080
#define PSR_A_BIT 0x00000100
#define PSR_D_BIT 0x00000200

struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};

struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			u64 regs[31];
			u64 sp;
			u64 pc;
			u64 pstate;
		};
	};
	u64 orig_x0;
	s32 syscallno;
	u32 unused2;
	u64 sdei_ttbr1;
	u64 pmr_save;
	u64 stackframe[2];
};

#define user_mode(regs) (((regs)->pstate & PSR_MODE_MASK) == PSR_MODE_EL0t)
#define compat_user_mode(regs) \
	(((regs)->pstate & (PSR_MODE32_BIT | PSR_MODE_MASK)) == (PSR_MODE32_BIT | PSR_MODE_EL0t))
#define interrupts_enabled(regs) (!((regs)->pstate & PSR_I_BIT))
#define fast_interrupts_enabled(regs) (!((regs)->pstate & PSR_F_BIT))
#define instruction_pointer(regs) ((regs)->pc)

#endif /* __ASM_PTRACE_H */

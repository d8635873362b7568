/* SPDX-License-Identifier: MIT */
/*
 * Architectural state of a simulated arm64 vCPU that the platform models:
 * the general registers an SMCCC call or an SDEI dispatch touches, the PC,
 * and PSTATE (exception level and the DAIF mask bits). Owned by the platform
 * (struct sim_platform keeps one per vCPU); the SDEI dispatcher saves and
 * restores it, the GIC reads PSTATE.I.
 */
#ifndef SIM_ARM_H
#define SIM_ARM_H

#include <stdint.h>

#define SIM_ARM_GPR_COUNT 31u

/* PSTATE bits as in SPSR_ELx (AArch64). */
#define SIM_PSTATE_M_MASK 0xfull   /* M[3:0]: exception level and SP select */
#define SIM_PSTATE_EL0t 0x0ull
#define SIM_PSTATE_EL1t 0x4ull
#define SIM_PSTATE_EL1h 0x5ull
#define SIM_PSTATE_F (1ull << 6)
#define SIM_PSTATE_I (1ull << 7)
#define SIM_PSTATE_A (1ull << 8)
#define SIM_PSTATE_D (1ull << 9)
#define SIM_PSTATE_DAIF (SIM_PSTATE_D | SIM_PSTATE_A | SIM_PSTATE_I | SIM_PSTATE_F)

struct sim_arm_regs {
	uint64_t x[SIM_ARM_GPR_COUNT];
	uint64_t pc;
	uint64_t pstate;
};

static inline unsigned int sim_arm_el(uint64_t pstate)
{
	return (unsigned int)((pstate & SIM_PSTATE_M_MASK) >> 2);
}

#endif /* SIM_ARM_H */

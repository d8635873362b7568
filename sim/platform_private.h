/* SPDX-License-Identifier: MIT */
/*
 * Platform internals: the composition of one execution's platform. Never
 * included outside sim/.
 */
#ifndef SIM_PLATFORM_PRIVATE_H
#define SIM_PLATFORM_PRIVATE_H

#include "sim/limits.h"
#include "sim/platform.h"

/* SDEI functions the dispatcher implements: 0x20 .. 0x32 (SHARED_RESET). */
#define PLATFORM_SDEI_FUNCTION_FIRST_ 0x20u
#define PLATFORM_SDEI_FUNCTION_LAST_ 0x3Fu
#define PLATFORM_SDEI_FUNCTION_IMPLEMENTED_LAST_ 0x32u

/* Where a CPU_ON target starts; read by its entry task. */
struct platform_cpu_start {
	struct sim_platform *platform;
	uint32_t vcpu;
	uint64_t entry;
	uint64_t context_id;
};

struct sim_platform {
	struct sim *sim;
	uint32_t vcpu_count;
	struct sim_gic *gic;
	struct sim_sdei *sdei;
	struct sim_smccc *smccc;
	struct sim_psci *psci;
	struct sim_memory *memory;
	struct sim_platform_guest_ops guest_ops;
	void *guest_ctx;
	struct sim_platform_host_ops host_ops;
	void *host_ctx;
	sim_stage2_fault_fn host_fault;
	void *host_fault_ctx;
	struct sim_platform_stats stats;
	/* PPIs handed to the SDEI dispatcher by INTERRUPT_BIND (bit = INTID). */
	uint32_t sdei_bound_intids;
	struct sim_arm_regs regs[SIM_VCPU_COUNT_MAX];
	/* ELR_EL1 / SPSR_EL1 as written by an SDEI COMPLETE_AND_RESUME. */
	uint64_t elr_el1[SIM_VCPU_COUNT_MAX];
	uint64_t spsr_el1[SIM_VCPU_COUNT_MAX];
	/* IRQ vectors and SDEI handlers running on the vCPU (nesting depth). */
	uint32_t exception_depth[SIM_VCPU_COUNT_MAX];
	/* Host-mode nesting (exits, guest entry); nothing is delivered while > 0. */
	uint32_t host_depth[SIM_VCPU_COUNT_MAX];
	struct platform_cpu_start cpu_start[SIM_VCPU_COUNT_MAX];
};

#endif /* SIM_PLATFORM_PRIVATE_H */

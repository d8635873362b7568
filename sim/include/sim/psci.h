/* SPDX-License-Identifier: MIT */
/*
 * Simulated PSCI (Arm DEN0022, version 1.0 subset) for hotplug and reboot:
 * PSCI_VERSION, CPU_ON, CPU_OFF, AFFINITY_INFO, MIGRATE_INFO_TYPE,
 * SYSTEM_OFF, SYSTEM_RESET and PSCI_FEATURES. Everything else (CPU_SUSPEND,
 * MIGRATE, SYSTEM_SUSPEND, ...) returns NOT_SUPPORTED.
 *
 * MPIDR scheme (KVM's reset_mpidr): Aff0 = vcpu[3:0], Aff1 = vcpu[11:4],
 * Aff2 = Aff3 = 0. So vCPU 17 is MPIDR 0x101.
 *
 * Per-vCPU power state, as a table of transitions (see psci.c):
 *   OFF --CPU_ON--> ON_PENDING --entered--> ON --CPU_OFF--> OFF
 * CPU_ON returns once the target is powered (ON_PENDING); the target becomes
 * ON when it starts executing at its entry point (sim_psci_cpu_entered()).
 * The engine work (vCPU online/offline, resets, the entry thread) is done by
 * the platform through struct sim_psci_ops.
 */
#ifndef SIM_PSCI_H
#define SIM_PSCI_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/psci.h"
#include "sim/smccc.h"

struct sim_psci;

/* Implemented version: PSCI 1.0. */
#define SIM_PSCI_VERSION PROTO_PSCI_VERSION(1, 0)
/* The MPIDR bits that hold affinity: Aff3 [39:32], Aff2..Aff0 [23:0]. */
#define SIM_PSCI_MPIDR_AFFINITY_MASK 0xff00ffffffull

/* Values are the AFFINITY_INFO results. */
enum sim_psci_state {
	SIM_PSCI_STATE_ON = PROTO_PSCI_0_2_AFFINITY_LEVEL_ON,
	SIM_PSCI_STATE_OFF = PROTO_PSCI_0_2_AFFINITY_LEVEL_OFF,
	SIM_PSCI_STATE_ON_PENDING = PROTO_PSCI_0_2_AFFINITY_LEVEL_ON_PENDING,
	SIM_PSCI_STATE_COUNT,
};

enum sim_psci_system_event {
	SIM_PSCI_SYSTEM_OFF = 0,
	SIM_PSCI_SYSTEM_RESET = 1,
};

/*
 * What the platform does for a power change. Each returns PROTO_PSCI_RET_*;
 * on an error the PSCI state is rolled back and the code goes to the caller.
 */
struct sim_psci_ops {
	/* Power @target on; it is to start at @entry with x0 = @context_id. */
	int64_t (*cpu_on)(void *ctx, uint32_t caller, uint32_t target, uint64_t entry,
			  uint64_t context_id);
	/* Power the calling vCPU off (DENIED for the last one). */
	int64_t (*cpu_off)(void *ctx, uint32_t vcpu);
	/* SYSTEM_OFF / SYSTEM_RESET. NULL: NOT_SUPPORTED. */
	int64_t (*system_event)(void *ctx, uint32_t vcpu, enum sim_psci_system_event event);
};

/**
 * sim_psci_create() - PSCI state for @vcpu_count vCPUs, all ON.
 * @out: the new instance.
 * @vcpu_count: 1 .. SIM_VCPU_COUNT_MAX.
 * @ops: copied; cpu_on and cpu_off are required.
 * @ctx: passed to the ops.
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
__attribute__((warn_unused_result)) int sim_psci_create(struct sim_psci **out,
							uint32_t vcpu_count,
							const struct sim_psci_ops *ops, void *ctx);

/** sim_psci_destroy() - free (NULL is ignored). */
void sim_psci_destroy(struct sim_psci *psci);

/**
 * sim_psci_register() - route the PSCI ranges of @conduit (owner STANDARD,
 * functions 0x00..0x1F, SMC32 and SMC64) to @psci.
 * Return: 0 or the error of sim_smccc_register().
 */
__attribute__((warn_unused_result)) int sim_psci_register(struct sim_psci *psci,
							  struct sim_smccc *conduit);

/**
 * sim_psci_call() - execute one PSCI call from @vcpu (SMC32 arguments already
 * truncated by the conduit).
 * Return: true (every PSCI call returns in the simulator; a successful
 * CPU_OFF returns SUCCESS to a caller that now runs on another vCPU).
 */
bool sim_psci_call(struct sim_psci *psci, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
		   uint64_t res[SIM_SMCCC_RESULT_COUNT]);

/** sim_psci_implements() - is @function_id one of the implemented calls? */
bool sim_psci_implements(uint32_t function_id);

/**
 * sim_psci_cpu_entered() - @vcpu started executing at its entry point:
 * ON_PENDING becomes ON.
 * Return: 0, -EINVAL when @vcpu is out of range or not ON_PENDING.
 */
int sim_psci_cpu_entered(struct sim_psci *psci, uint32_t vcpu);

/**
 * sim_psci_set_state() - set the boot state of @vcpu (before the guest runs).
 * Return: 0, -EINVAL.
 */
int sim_psci_set_state(struct sim_psci *psci, uint32_t vcpu, enum sim_psci_state state);

/** sim_psci_state() - power state of @vcpu. */
enum sim_psci_state sim_psci_state(const struct sim_psci *psci, uint32_t vcpu);

/** sim_psci_vcpu_to_mpidr() - the MPIDR affinity of @vcpu. */
uint64_t sim_psci_vcpu_to_mpidr(uint32_t vcpu);

/**
 * sim_psci_mpidr_to_vcpu() - the vCPU with affinity @mpidr.
 * Return: the vCPU, or -1 when no vCPU below @vcpu_count has it (including
 * bits set outside the affinity fields).
 */
int sim_psci_mpidr_to_vcpu(uint64_t mpidr, uint32_t vcpu_count);

#endif /* SIM_PSCI_H */

// SPDX-License-Identifier: MIT
/*
 * PSCI subset: per-vCPU power states as a transition table, MPIDR decoding,
 * and a table of implemented functions. The engine-facing work of a power
 * change is delegated to the platform (struct sim_psci_ops).
 */
#include <errno.h>
#include <stdlib.h>

#include "proto/psci.h"
#include "proto/smccc.h"
#include "sim/assert.h"
#include "sim/limits.h"
#include "sim/psci.h"

#define PSCI_FUNCTION_LAST_ 0x1Fu /* PSCI owns functions 0x00..0x1F of STANDARD */
#define PSCI_AFFINITY_LEVEL_MAX_ 3u

struct sim_psci {
	uint32_t vcpu_count;
	struct sim_psci_ops ops;
	void *ctx;
	uint8_t states[SIM_VCPU_COUNT_MAX]; /* enum sim_psci_state */
};

enum psci_action {
	PSCI_ACTION_CPU_ON = 0, /* another vCPU asks to power this one on */
	PSCI_ACTION_ENTERED,    /* this vCPU reached its entry point */
	PSCI_ACTION_CPU_OFF,    /* this vCPU powers itself off */
	PSCI_ACTION_COUNT,
};

#define PSCI_STAY_ 0xffu
SIM_STATIC_ASSERT(PSCI_STAY_ >= SIM_PSCI_STATE_COUNT, "the stay marker is not a state");

/* [state][action] -> next state (or stay) and the PSCI result. */
static const struct {
	uint8_t next;
	int8_t ret;
} psci_table[SIM_PSCI_STATE_COUNT][PSCI_ACTION_COUNT] = {
	[SIM_PSCI_STATE_ON] = {
		[PSCI_ACTION_CPU_ON] = { PSCI_STAY_, PROTO_PSCI_RET_ALREADY_ON },
		[PSCI_ACTION_ENTERED] = { PSCI_STAY_, PROTO_PSCI_RET_INTERNAL_FAILURE },
		[PSCI_ACTION_CPU_OFF] = { SIM_PSCI_STATE_OFF, PROTO_PSCI_RET_SUCCESS },
	},
	[SIM_PSCI_STATE_OFF] = {
		[PSCI_ACTION_CPU_ON] = { SIM_PSCI_STATE_ON_PENDING, PROTO_PSCI_RET_SUCCESS },
		[PSCI_ACTION_ENTERED] = { PSCI_STAY_, PROTO_PSCI_RET_INTERNAL_FAILURE },
		[PSCI_ACTION_CPU_OFF] = { PSCI_STAY_, PROTO_PSCI_RET_DENIED },
	},
	[SIM_PSCI_STATE_ON_PENDING] = {
		[PSCI_ACTION_CPU_ON] = { PSCI_STAY_, PROTO_PSCI_RET_ON_PENDING },
		[PSCI_ACTION_ENTERED] = { SIM_PSCI_STATE_ON, PROTO_PSCI_RET_SUCCESS },
		[PSCI_ACTION_CPU_OFF] = { PSCI_STAY_, PROTO_PSCI_RET_DENIED },
	},
};

/*
 * Apply @action to @vcpu if the table allows it. Return: the PSCI result;
 * *backup_out is the state before (for a rollback).
 */
static int64_t psci_state_trans(struct sim_psci *psci, uint32_t vcpu, enum psci_action action,
				uint8_t *backup_out)
{
	uint8_t state = psci->states[vcpu];

	SIM_ASSERT(state < SIM_PSCI_STATE_COUNT);
	SIM_ASSERT((unsigned int)action < PSCI_ACTION_COUNT);
	*backup_out = state;
	if (psci_table[state][action].ret != PROTO_PSCI_RET_SUCCESS)
		return psci_table[state][action].ret;
	SIM_ASSERT(psci_table[state][action].next < SIM_PSCI_STATE_COUNT);
	psci->states[vcpu] = psci_table[state][action].next;
	return PROTO_PSCI_RET_SUCCESS;
}

uint64_t sim_psci_vcpu_to_mpidr(uint32_t vcpu)
{
	SIM_ASSERT(vcpu < SIM_VCPU_COUNT_MAX);
	SIM_STATIC_ASSERT(SIM_VCPU_COUNT_MAX <= 4096u, "Aff1:Aff0 hold 12 bits of vCPU index");
	return (uint64_t)(vcpu & 0xfu) | ((uint64_t)((vcpu >> 4) & 0xffu) << 8);
}

int sim_psci_mpidr_to_vcpu(uint64_t mpidr, uint32_t vcpu_count)
{
	uint64_t vcpu;

	SIM_ASSERT(vcpu_count <= SIM_VCPU_COUNT_MAX);
	if ((mpidr & ~SIM_PSCI_MPIDR_AFFINITY_MASK) != 0)
		return -1;
	/* Aff0 holds only vcpu[3:0] (a GICv3 SGI target list covers 16);
	 * Aff2 and Aff3 are always 0. */
	if ((mpidr & 0xf0u) != 0 || (mpidr & 0xff00ff0000ull) != 0)
		return -1;
	vcpu = (mpidr & 0xfu) | (((mpidr >> 8) & 0xffu) << 4);
	if (vcpu >= vcpu_count)
		return -1;
	SIM_ASSERT(sim_psci_vcpu_to_mpidr((uint32_t)vcpu) == mpidr);
	return (int)vcpu;
}

int sim_psci_create(struct sim_psci **out, uint32_t vcpu_count, const struct sim_psci_ops *ops,
		    void *ctx)
{
	struct sim_psci *psci;

	SIM_ASSERT(out != NULL);
	SIM_ASSERT(ops != NULL);
	*out = NULL;
	if (vcpu_count == 0 || vcpu_count > SIM_VCPU_COUNT_MAX)
		return -EINVAL;
	if (ops->cpu_on == NULL || ops->cpu_off == NULL)
		return -EINVAL;
	psci = calloc(1, sizeof(*psci));
	if (psci == NULL)
		return -ENOMEM;
	psci->vcpu_count = vcpu_count;
	psci->ops = *ops;
	psci->ctx = ctx;
	for (uint32_t v = 0; v < vcpu_count; v++)
		psci->states[v] = SIM_PSCI_STATE_ON;
	*out = psci;
	return 0;
}

void sim_psci_destroy(struct sim_psci *psci)
{
	if (psci == NULL)
		return;
	SIM_ASSERT(psci->vcpu_count > 0);
	free(psci);
}

static int64_t psci_cpu_on(struct sim_psci *psci, uint32_t vcpu, const uint64_t *x)
{
	int target = sim_psci_mpidr_to_vcpu(x[1], psci->vcpu_count);
	uint8_t backup;
	int64_t ret;

	if (target < 0)
		return PROTO_PSCI_RET_INVALID_PARAMS;
	/* ALREADY_ON and ON_PENDING take precedence over a bad entry point. */
	if (psci_table[psci->states[target]][PSCI_ACTION_CPU_ON].ret != PROTO_PSCI_RET_SUCCESS)
		return psci_table[psci->states[target]][PSCI_ACTION_CPU_ON].ret;
	if (x[2] == 0)
		return PROTO_PSCI_RET_INVALID_ADDRESS;
	ret = psci_state_trans(psci, (uint32_t)target, PSCI_ACTION_CPU_ON, &backup);
	SIM_ASSERT(ret == PROTO_PSCI_RET_SUCCESS);
	ret = psci->ops.cpu_on(psci->ctx, vcpu, (uint32_t)target, x[2], x[3]);
	if (ret != PROTO_PSCI_RET_SUCCESS)
		psci->states[target] = backup;
	return ret;
}

static int64_t psci_cpu_off(struct sim_psci *psci, uint32_t vcpu, const uint64_t *x)
{
	uint8_t backup;
	int64_t ret;

	SIM_ASSERT(x != NULL);
	ret = psci_state_trans(psci, vcpu, PSCI_ACTION_CPU_OFF, &backup);
	if (ret != PROTO_PSCI_RET_SUCCESS)
		return ret;
	ret = psci->ops.cpu_off(psci->ctx, vcpu);
	if (ret != PROTO_PSCI_RET_SUCCESS)
		psci->states[vcpu] = backup;
	return ret;
}

static uint64_t psci_affinity_mask(uint32_t lowest_level)
{
	static const uint64_t masks[PSCI_AFFINITY_LEVEL_MAX_ + 1] = {
		SIM_PSCI_MPIDR_AFFINITY_MASK, /* Aff3..Aff0 */
		0xff00ffff00ull,              /* Aff3..Aff1 */
		0xff00ff0000ull,              /* Aff3..Aff2 */
		0xff00000000ull,              /* Aff3 */
	};

	SIM_ASSERT(lowest_level <= PSCI_AFFINITY_LEVEL_MAX_);
	return masks[lowest_level];
}

/* ON if any vCPU of the affinity instance is ON, else ON_PENDING if any is,
 * else OFF (DEN0022 §5.7). */
static int64_t psci_affinity_info(struct sim_psci *psci, uint32_t vcpu, const uint64_t *x)
{
	uint64_t mask;
	bool matched = false, pending = false;

	SIM_ASSERT(vcpu < psci->vcpu_count);
	if (x[2] > PSCI_AFFINITY_LEVEL_MAX_ || (x[1] & ~SIM_PSCI_MPIDR_AFFINITY_MASK) != 0)
		return PROTO_PSCI_RET_INVALID_PARAMS;
	mask = psci_affinity_mask((uint32_t)x[2]);
	for (uint32_t v = 0; v < psci->vcpu_count; v++) {
		if ((sim_psci_vcpu_to_mpidr(v) & mask) != (x[1] & mask))
			continue;
		matched = true;
		if (psci->states[v] == SIM_PSCI_STATE_ON)
			return PROTO_PSCI_0_2_AFFINITY_LEVEL_ON;
		pending = pending || psci->states[v] == SIM_PSCI_STATE_ON_PENDING;
	}
	if (!matched)
		return PROTO_PSCI_RET_INVALID_PARAMS;
	return pending ? PROTO_PSCI_0_2_AFFINITY_LEVEL_ON_PENDING : PROTO_PSCI_0_2_AFFINITY_LEVEL_OFF;
}

static int64_t psci_version(struct sim_psci *psci, uint32_t vcpu, const uint64_t *x)
{
	SIM_ASSERT(vcpu < psci->vcpu_count);
	SIM_ASSERT(x != NULL);
	return SIM_PSCI_VERSION;
}

static int64_t psci_migrate_info_type(struct sim_psci *psci, uint32_t vcpu, const uint64_t *x)
{
	SIM_ASSERT(vcpu < psci->vcpu_count);
	SIM_ASSERT(x != NULL);
	return PROTO_PSCI_0_2_TOS_MP; /* no Trusted OS to migrate */
}

static int64_t psci_system_event(struct sim_psci *psci, uint32_t vcpu,
				 enum sim_psci_system_event event)
{
	SIM_ASSERT(vcpu < psci->vcpu_count);
	SIM_ASSERT(event == SIM_PSCI_SYSTEM_OFF || event == SIM_PSCI_SYSTEM_RESET);
	if (psci->ops.system_event == NULL)
		return PROTO_PSCI_RET_NOT_SUPPORTED;
	return psci->ops.system_event(psci->ctx, vcpu, event);
}

static int64_t psci_system_off(struct sim_psci *psci, uint32_t vcpu, const uint64_t *x)
{
	SIM_ASSERT(x != NULL);
	return psci_system_event(psci, vcpu, SIM_PSCI_SYSTEM_OFF);
}

static int64_t psci_system_reset(struct sim_psci *psci, uint32_t vcpu, const uint64_t *x)
{
	SIM_ASSERT(x != NULL);
	return psci_system_event(psci, vcpu, SIM_PSCI_SYSTEM_RESET);
}

static int64_t psci_features(struct sim_psci *psci, uint32_t vcpu, const uint64_t *x)
{
	SIM_ASSERT(vcpu < psci->vcpu_count);
	/* The queried ID is a 32-bit function ID whatever the call width. */
	if (x[1] > UINT32_MAX || !sim_psci_implements((uint32_t)x[1]))
		return PROTO_PSCI_RET_NOT_SUPPORTED;
	return PROTO_PSCI_RET_SUCCESS;
}

typedef int64_t (*psci_fn)(struct sim_psci *psci, uint32_t vcpu, const uint64_t *x);

/* The implemented functions. */
static const struct {
	uint32_t function_id;
	psci_fn fn;
} psci_functions[] = {
	{ PROTO_PSCI_0_2_FN_PSCI_VERSION, psci_version },
	{ PROTO_PSCI_0_2_FN_CPU_OFF, psci_cpu_off },
	{ PROTO_PSCI_0_2_FN_CPU_ON, psci_cpu_on },
	{ PROTO_PSCI_0_2_FN64_CPU_ON, psci_cpu_on },
	{ PROTO_PSCI_0_2_FN_AFFINITY_INFO, psci_affinity_info },
	{ PROTO_PSCI_0_2_FN64_AFFINITY_INFO, psci_affinity_info },
	{ PROTO_PSCI_0_2_FN_MIGRATE_INFO_TYPE, psci_migrate_info_type },
	{ PROTO_PSCI_0_2_FN_SYSTEM_OFF, psci_system_off },
	{ PROTO_PSCI_0_2_FN_SYSTEM_RESET, psci_system_reset },
	{ PROTO_PSCI_1_0_FN_PSCI_FEATURES, psci_features },
};

#define PSCI_FUNCTION_COUNT_ (sizeof(psci_functions) / sizeof(psci_functions[0]))

static psci_fn psci_lookup(uint32_t function_id)
{
	for (uint32_t i = 0; i < PSCI_FUNCTION_COUNT_; i++)
		if (psci_functions[i].function_id == function_id)
			return psci_functions[i].fn;
	return NULL;
}

bool sim_psci_implements(uint32_t function_id)
{
	return psci_lookup(function_id) != NULL;
}

bool sim_psci_call(struct sim_psci *psci, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
		   uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	psci_fn fn;

	SIM_ASSERT(psci != NULL);
	SIM_ASSERT(vcpu < psci->vcpu_count);
	fn = psci_lookup((uint32_t)x[0]);
	res[0] = (uint64_t)(fn == NULL ? PROTO_PSCI_RET_NOT_SUPPORTED : fn(psci, vcpu, x));
	res[1] = 0;
	res[2] = 0;
	res[3] = 0;
	return true;
}

static bool psci_service_call(void *ctx, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
			      uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	return sim_psci_call(ctx, vcpu, x, res);
}

static bool psci_service_implements(void *ctx, uint32_t function_id)
{
	SIM_ASSERT(ctx != NULL);
	return sim_psci_implements(function_id);
}

int sim_psci_register(struct sim_psci *psci, struct sim_smccc *conduit)
{
	struct sim_smccc_service service = {
		.name = "psci",
		.owner = PROTO_ARM_SMCCC_OWNER_STANDARD,
		.conv = SIM_SMCCC_CONV_SMC32,
		.function_min = 0,
		.function_max = PSCI_FUNCTION_LAST_,
		.call = psci_service_call,
		.implements = psci_service_implements,
		.ctx = psci,
	};
	int ret;

	SIM_ASSERT(psci != NULL);
	SIM_ASSERT(conduit != NULL);
	ret = sim_smccc_register(conduit, &service);
	if (ret != 0)
		return ret;
	service.conv = SIM_SMCCC_CONV_SMC64;
	return sim_smccc_register(conduit, &service);
}

int sim_psci_cpu_entered(struct sim_psci *psci, uint32_t vcpu)
{
	uint8_t backup;

	SIM_ASSERT(psci != NULL);
	if (vcpu >= psci->vcpu_count)
		return -EINVAL;
	if (psci_state_trans(psci, vcpu, PSCI_ACTION_ENTERED, &backup) != PROTO_PSCI_RET_SUCCESS)
		return -EINVAL;
	SIM_ASSERT(psci->states[vcpu] == SIM_PSCI_STATE_ON);
	return 0;
}

int sim_psci_set_state(struct sim_psci *psci, uint32_t vcpu, enum sim_psci_state state)
{
	SIM_ASSERT(psci != NULL);
	if (vcpu >= psci->vcpu_count || (unsigned int)state >= SIM_PSCI_STATE_COUNT)
		return -EINVAL;
	psci->states[vcpu] = (uint8_t)state;
	return 0;
}

enum sim_psci_state sim_psci_state(const struct sim_psci *psci, uint32_t vcpu)
{
	SIM_ASSERT(psci != NULL);
	SIM_ASSERT(vcpu < psci->vcpu_count);
	return (enum sim_psci_state)psci->states[vcpu];
}

// SPDX-License-Identifier: MIT
/*
 * SMCCC conduit: decodes a function ID (DEN0028 §2.5), routes it to the
 * service registered for its owner, convention and function number, and
 * implements the Arm architecture calls SMCCC_VERSION and
 * SMCCC_ARCH_FEATURES itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto/smccc.h"
#include "sim/assert.h"
#include "sim/limits.h"
#include "sim/sim.h"
#include "sim/smccc.h"
#include "sim/trace.h"

/* Bits 23:16 of a function ID must be zero in SMCCC 1.1. */
#define SMCCC_RESERVED_MASK_ 0x00FF0000u
#define SMCCC_OWNER_COUNT_ (PROTO_ARM_SMCCC_OWNER_MASK + 1u)

SIM_STATIC_ASSERT(SIM_SMCCC_ARG_COUNT == 18u, "SMCCC 1.1 passes x0..x17");
SIM_STATIC_ASSERT(SIM_SMCCC_RESULT_COUNT == 4u, "SMCCC 1.1 returns x0..x3");

struct sim_smccc {
	struct sim *sim;
	uint32_t vcpu_count;
	uint32_t service_count;
	struct sim_smccc_service services[SIM_SMCCC_SERVICE_COUNT_MAX];
	struct sim_smccc_stats stats;
};

static const struct sim_smccc_service *smccc_lookup(const struct sim_smccc *conduit,
						     uint32_t function_id)
{
	uint32_t owner = proto_smccc_owner_num(function_id);
	uint32_t function = proto_smccc_func_num(function_id);
	enum sim_smccc_conv conv =
		proto_smccc_is_64(function_id) ? SIM_SMCCC_CONV_SMC64 : SIM_SMCCC_CONV_SMC32;

	SIM_ASSERT(conduit->service_count <= SIM_SMCCC_SERVICE_COUNT_MAX);
	/* Yielding calls belong to Trusted OSes, which the platform has not. */
	if (!proto_smccc_is_fast_call(function_id))
		return NULL;
	if ((function_id & SMCCC_RESERVED_MASK_) != 0)
		return NULL;
	for (uint32_t i = 0; i < conduit->service_count; i++) {
		const struct sim_smccc_service *s = &conduit->services[i];

		if (s->owner == owner && s->conv == conv && function >= s->function_min &&
		    function <= s->function_max)
			return s;
	}
	return NULL;
}

bool sim_smccc_implemented(const struct sim_smccc *conduit, uint32_t function_id)
{
	const struct sim_smccc_service *service;

	SIM_ASSERT(conduit != NULL);
	service = smccc_lookup(conduit, function_id);
	if (service == NULL)
		return false;
	SIM_ASSERT(service->call != NULL);
	return service->implements == NULL || service->implements(service->ctx, function_id);
}

static bool smccc_arch_implements(void *ctx, uint32_t function_id)
{
	SIM_ASSERT(ctx != NULL);
	SIM_ASSERT(proto_smccc_owner_num(function_id) == PROTO_ARM_SMCCC_OWNER_ARCH);
	return function_id == PROTO_ARM_SMCCC_VERSION_FUNC_ID ||
	       function_id == PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID;
}

static bool smccc_arch_call(void *ctx, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
			    uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	const struct sim_smccc *conduit = ctx;

	SIM_ASSERT(conduit != NULL);
	SIM_ASSERT(vcpu < conduit->vcpu_count);
	switch (x[0]) {
	case PROTO_ARM_SMCCC_VERSION_FUNC_ID:
		res[0] = PROTO_ARM_SMCCC_VERSION_1_1;
		break;
	case PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID:
		/* SMC32: the queried ID is the low 32 bits of x1. */
		res[0] = sim_smccc_implemented(conduit, (uint32_t)x[1])
				 ? (uint64_t)PROTO_SMCCC_RET_SUCCESS
				 : (uint64_t)(int64_t)PROTO_SMCCC_RET_NOT_SUPPORTED;
		break;
	default:
		break; /* res[] keeps NOT_SUPPORTED */
	}
	return true;
}

int sim_smccc_create(struct sim_smccc **out, struct sim *sim, uint32_t vcpu_count)
{
	struct sim_smccc *conduit;
	int ret;

	SIM_ASSERT(out != NULL);
	*out = NULL;
	if (vcpu_count == 0 || vcpu_count > SIM_VCPU_COUNT_MAX)
		return -EINVAL;
	conduit = calloc(1, sizeof(*conduit));
	if (conduit == NULL)
		return -ENOMEM;
	conduit->sim = sim;
	conduit->vcpu_count = vcpu_count;
	ret = sim_smccc_register(conduit, &(const struct sim_smccc_service){
		.name = "smccc-arch",
		.owner = PROTO_ARM_SMCCC_OWNER_ARCH,
		.conv = SIM_SMCCC_CONV_SMC32,
		.function_min = 0,
		.function_max = PROTO_ARM_SMCCC_FUNC_MASK,
		.call = smccc_arch_call,
		.implements = smccc_arch_implements,
		.ctx = conduit,
	});
	SIM_ASSERT(ret == 0);
	*out = conduit;
	return 0;
}

void sim_smccc_destroy(struct sim_smccc *conduit)
{
	if (conduit == NULL)
		return;
	SIM_ASSERT(conduit->service_count <= SIM_SMCCC_SERVICE_COUNT_MAX);
	free(conduit);
}

static bool smccc_service_valid(const struct sim_smccc_service *service)
{
	if (service->name == NULL || service->call == NULL)
		return false;
	if (service->owner >= SMCCC_OWNER_COUNT_)
		return false;
	if (service->conv != SIM_SMCCC_CONV_SMC32 && service->conv != SIM_SMCCC_CONV_SMC64)
		return false;
	return service->function_min <= service->function_max &&
	       service->function_max <= PROTO_ARM_SMCCC_FUNC_MASK;
}

int sim_smccc_register(struct sim_smccc *conduit, const struct sim_smccc_service *service)
{
	SIM_ASSERT(conduit != NULL);
	SIM_ASSERT(service != NULL);
	if (!smccc_service_valid(service))
		return -EINVAL;
	for (uint32_t i = 0; i < conduit->service_count; i++) {
		const struct sim_smccc_service *s = &conduit->services[i];

		if (s->owner != service->owner || s->conv != service->conv)
			continue;
		if (service->function_min <= s->function_max &&
		    s->function_min <= service->function_max)
			return -EEXIST;
	}
	if (conduit->service_count == SIM_SMCCC_SERVICE_COUNT_MAX)
		return -ENOSPC;
	conduit->services[conduit->service_count++] = *service;
	return 0;
}

bool sim_smccc_call(struct sim_smccc *conduit, uint32_t vcpu, struct sim_smccc_regs *regs)
{
	const struct sim_smccc_service *service;
	uint64_t x[SIM_SMCCC_ARG_COUNT];
	uint64_t res[SIM_SMCCC_RESULT_COUNT] = { (uint64_t)(int64_t)PROTO_SMCCC_RET_NOT_SUPPORTED,
						 0, 0, 0 };
	uint32_t function_id;
	const char *label;
	bool returned = true;

	SIM_ASSERT(conduit != NULL);
	SIM_ASSERT(regs != NULL);
	SIM_ASSERT(vcpu < conduit->vcpu_count);
	/* The function ID is W0: the upper half of x0 is ignored. */
	function_id = (uint32_t)regs->x[0];
	service = smccc_lookup(conduit, function_id);
	label = service != NULL ? service->name : "smccc-unknown";
	sim_point(SIM_POINT_SMCCC, label);
	sim_trace(conduit->sim, SIM_TRACE_SMCCC, label, function_id, regs->x[1]);
	__atomic_fetch_add(&conduit->stats.call_count, 1, __ATOMIC_RELAXED);

	x[0] = function_id;
	for (uint32_t i = 1; i < SIM_SMCCC_ARG_COUNT; i++)
		x[i] = proto_smccc_is_64(function_id) ? regs->x[i] : (uint32_t)regs->x[i];
	if (service == NULL)
		__atomic_fetch_add(&conduit->stats.unknown_count, 1, __ATOMIC_RELAXED);
	else
		returned = service->call(service->ctx, vcpu, x, res);
	if (returned)
		memcpy(regs->a, res, sizeof(res));
	return returned;
}

const struct sim_smccc_stats *sim_smccc_stats(const struct sim_smccc *conduit)
{
	SIM_ASSERT(conduit != NULL);
	SIM_ASSERT(conduit->service_count >= 1); /* the architecture service */
	return &conduit->stats;
}

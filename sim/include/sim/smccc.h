/* SPDX-License-Identifier: MIT */
/*
 * Simulated SMCCC conduit (Arm DEN0028, SMCCC 1.1 over HVC): a guest call
 * carries x0 (function ID) .. x17 and gets x0..x3 back. The conduit routes a
 * call by owner, calling convention and function number to a registered
 * service; it implements the Arm architecture service itself (SMCCC_VERSION,
 * SMCCC_ARCH_FEATURES). Unknown IDs return NOT_SUPPORTED with x1..x3 = 0.
 *
 * Every call is a schedule point (SIM_POINT_SMCCC) and a trace event
 * (SIM_TRACE_SMCCC, a = function ID, b = x1) when it runs inside an
 * execution; outside one (unit tests) both are no-ops.
 *
 * Registration happens before the guest runs; calls only read the table.
 */
#ifndef SIM_SMCCC_H
#define SIM_SMCCC_H

#include <stdbool.h>
#include <stdint.h>

struct sim;
struct sim_smccc;

#define SIM_SMCCC_ARG_COUNT 18u    /* x0 .. x17 */
#define SIM_SMCCC_RESULT_COUNT 4u  /* x0 .. x3 */
#define SIM_SMCCC_SERVICE_COUNT_MAX 16u

/* Calling conventions of a function ID (bit 30). */
enum sim_smccc_conv {
	SIM_SMCCC_CONV_SMC32 = 0,
	SIM_SMCCC_CONV_SMC64 = 1,
};

/* One guest call: registers in, results out. */
struct sim_smccc_regs {
	uint64_t x[SIM_SMCCC_ARG_COUNT];
	uint64_t a[SIM_SMCCC_RESULT_COUNT];
};

/*
 * A service. The conduit calls call() with the function ID in x[0] (32 bits)
 * and, for SMC32 IDs, every argument already truncated to its low 32 bits.
 * res[] starts as {NOT_SUPPORTED, 0, 0, 0}. call() returns true when the call
 * returns to the caller (res is the result), false when it did not return
 * (e.g. a successful SDEI_EVENT_COMPLETE: the vCPU's registers already hold
 * the resumed context).
 */
struct sim_smccc_service {
	const char *name; /* static; the trace label */
	uint32_t owner;   /* 0 .. 63 */
	enum sim_smccc_conv conv;
	uint32_t function_min; /* inclusive, 0 .. 0xFFFF */
	uint32_t function_max;
	bool (*call)(void *ctx, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
		     uint64_t res[SIM_SMCCC_RESULT_COUNT]);
	/* For SMCCC_ARCH_FEATURES; NULL: every ID of the range is implemented. */
	bool (*implements)(void *ctx, uint32_t function_id);
	void *ctx;
};

/* Counters for tests and oracles; they only grow. */
struct sim_smccc_stats {
	uint64_t call_count;
	uint64_t unknown_count; /* calls that reached no service */
};

/**
 * sim_smccc_create() - create a conduit with the architecture service.
 * @out: the new conduit.
 * @sim: the execution (for trace events), or NULL outside one.
 * @vcpu_count: vCPUs that may call, 1 .. SIM_VCPU_COUNT_MAX.
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
__attribute__((warn_unused_result)) int
sim_smccc_create(struct sim_smccc **out, struct sim *sim, uint32_t vcpu_count);

/** sim_smccc_destroy() - free a conduit (NULL is ignored). */
void sim_smccc_destroy(struct sim_smccc *conduit);

/**
 * sim_smccc_register() - route a range of fast-call IDs to a service.
 * @conduit: the conduit.
 * @service: copied; name and call are required.
 *
 * Return: 0; -EINVAL for a bad owner, convention, range or a missing
 * callback; -EEXIST when the range overlaps a registered one of the same
 * owner and convention; -ENOSPC beyond SIM_SMCCC_SERVICE_COUNT_MAX.
 */
__attribute__((warn_unused_result)) int
sim_smccc_register(struct sim_smccc *conduit, const struct sim_smccc_service *service);

/**
 * sim_smccc_call() - make one call from vCPU @vcpu.
 * @conduit: the conduit.
 * @vcpu: the caller's vCPU.
 * @regs: x[] in; a[] out (left alone when the call did not return).
 *
 * Context: the thread running on @vcpu; a schedule point.
 * Return: true if the call returned to its caller, false if it did not.
 */
bool sim_smccc_call(struct sim_smccc *conduit, uint32_t vcpu, struct sim_smccc_regs *regs);

/**
 * sim_smccc_implemented() - would SMCCC_ARCH_FEATURES(@function_id) say SUCCESS?
 */
bool sim_smccc_implemented(const struct sim_smccc *conduit, uint32_t function_id);

/** sim_smccc_stats() - the conduit's counters. */
const struct sim_smccc_stats *sim_smccc_stats(const struct sim_smccc *conduit);

#endif /* SIM_SMCCC_H */

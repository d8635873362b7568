// SPDX-License-Identifier: MIT
/*
 * Goal: the PSCI subset follows DEN0022 for hotplug and reboot: the power
 * state table (OFF -> ON_PENDING -> ON -> OFF), every error code CPU_ON,
 * CPU_OFF and AFFINITY_INFO can return, rollback when the platform refuses a
 * power change, the MPIDR scheme, PSCI_FEATURES, and SMC32 calls through the
 * conduit. Method: a PSCI instance with fake platform ops that record calls
 * and can be told to fail; no engine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "proto/psci.h"
#include "proto/smccc.h"
#include "sim/limits.h"
#include "sim/psci.h"
#include "sim/smccc.h"

struct fake_platform {
	uint32_t on_count;
	uint32_t off_count;
	uint32_t system_count;
	uint32_t last_caller;
	uint32_t last_target;
	uint64_t last_entry;
	uint64_t last_context_id;
	enum sim_psci_system_event last_event;
	int64_t on_result;
	int64_t off_result;
};

static int64_t fake_cpu_on(void *ctx, uint32_t caller, uint32_t target, uint64_t entry,
			   uint64_t context_id)
{
	struct fake_platform *fake = ctx;

	fake->on_count++;
	fake->last_caller = caller;
	fake->last_target = target;
	fake->last_entry = entry;
	fake->last_context_id = context_id;
	return fake->on_result;
}

static int64_t fake_cpu_off(void *ctx, uint32_t vcpu)
{
	struct fake_platform *fake = ctx;

	fake->off_count++;
	fake->last_target = vcpu;
	return fake->off_result;
}

static int64_t fake_system_event(void *ctx, uint32_t vcpu, enum sim_psci_system_event event)
{
	struct fake_platform *fake = ctx;

	fake->system_count++;
	fake->last_caller = vcpu;
	fake->last_event = event;
	return PROTO_PSCI_RET_SUCCESS;
}

static const struct sim_psci_ops fake_ops = {
	.cpu_on = fake_cpu_on,
	.cpu_off = fake_cpu_off,
	.system_event = fake_system_event,
};

static struct sim_psci *psci_new(uint32_t vcpu_count, struct fake_platform *fake,
				 const struct sim_psci_ops *ops)
{
	struct sim_psci *psci = NULL;

	memset(fake, 0, sizeof(*fake));
	assert_int_equal(sim_psci_create(&psci, vcpu_count, ops, fake), 0);
	assert_non_null(psci);
	return psci;
}

/* One call; checks that x1..x3 come back zero. Returns x0 as signed. */
static int64_t psci(struct sim_psci *psci, uint32_t vcpu, uint64_t fid, uint64_t x1,
		    uint64_t x2, uint64_t x3)
{
	uint64_t x[SIM_SMCCC_ARG_COUNT] = { fid, x1, x2, x3 };
	uint64_t res[SIM_SMCCC_RESULT_COUNT] = { 1, 2, 3, 4 };

	assert_true(sim_psci_call(psci, vcpu, x, res));
	assert_int_equal(res[1] | res[2] | res[3], 0);
	return (int64_t)res[0];
}

static void test_psci_version_features_and_unsupported(void **unused)
{
	struct fake_platform fake;
	struct sim_psci *p = psci_new(2, &fake, &fake_ops);
	const uint64_t features = PROTO_PSCI_1_0_FN_PSCI_FEATURES;

	(void)unused;
	assert_int_equal(psci(p, 0, PROTO_PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0), 0x10000);
	assert_int_equal(psci(p, 0, features, PROTO_PSCI_0_2_FN_CPU_ON, 0, 0), 0);
	assert_int_equal(psci(p, 0, features, PROTO_PSCI_0_2_FN64_CPU_ON, 0, 0), 0);
	assert_int_equal(psci(p, 0, features, PROTO_PSCI_0_2_FN_SYSTEM_RESET, 0, 0), 0);
	assert_int_equal(psci(p, 0, features, PROTO_PSCI_0_2_FN_CPU_SUSPEND, 0, 0),
			 PROTO_PSCI_RET_NOT_SUPPORTED);
	assert_int_equal(psci(p, 0, features, 0x1ull << 32 | PROTO_PSCI_0_2_FN_CPU_ON, 0, 0),
			 PROTO_PSCI_RET_NOT_SUPPORTED);
	assert_int_equal(psci(p, 0, PROTO_PSCI_0_2_FN_CPU_SUSPEND, 0, 0, 0),
			 PROTO_PSCI_RET_NOT_SUPPORTED);
	assert_int_equal(psci(p, 0, PROTO_PSCI_0_2_FN_MIGRATE_INFO_TYPE, 0, 0, 0),
			 PROTO_PSCI_0_2_TOS_MP);
	assert_int_equal(fake.on_count + fake.off_count + fake.system_count, 0);
	sim_psci_destroy(p);
}

static void test_psci_cpu_on_state_transitions(void **unused)
{
	struct fake_platform fake;
	struct sim_psci *p = psci_new(4, &fake, &fake_ops);
	const uint64_t on = PROTO_PSCI_0_2_FN64_CPU_ON;
	const uint64_t info = PROTO_PSCI_0_2_FN64_AFFINITY_INFO;

	(void)unused;
	assert_int_equal(sim_psci_set_state(p, 2, SIM_PSCI_STATE_OFF), 0);
	assert_int_equal(psci(p, 0, info, 2, 0, 0), PROTO_PSCI_0_2_AFFINITY_LEVEL_OFF);
	assert_int_equal(psci(p, 1, on, 2, 0x80001000, 42), PROTO_PSCI_RET_SUCCESS);
	assert_int_equal(fake.on_count, 1);
	assert_int_equal(fake.last_caller, 1);
	assert_int_equal(fake.last_target, 2);
	assert_int_equal(fake.last_entry, 0x80001000);
	assert_int_equal(fake.last_context_id, 42);
	assert_int_equal(sim_psci_state(p, 2), SIM_PSCI_STATE_ON_PENDING);
	assert_int_equal(psci(p, 0, info, 2, 0, 0), PROTO_PSCI_0_2_AFFINITY_LEVEL_ON_PENDING);
	assert_int_equal(psci(p, 0, on, 2, 0x80001000, 0), PROTO_PSCI_RET_ON_PENDING);
	assert_int_equal(sim_psci_cpu_entered(p, 2), 0);
	assert_int_equal(sim_psci_state(p, 2), SIM_PSCI_STATE_ON);
	assert_int_equal(psci(p, 0, info, 2, 0, 0), PROTO_PSCI_0_2_AFFINITY_LEVEL_ON);
	assert_int_equal(psci(p, 0, on, 2, 0x80001000, 0), PROTO_PSCI_RET_ALREADY_ON);
	assert_int_equal(sim_psci_cpu_entered(p, 2), -EINVAL);
	assert_int_equal(sim_psci_cpu_entered(p, 9), -EINVAL);
	assert_int_equal(fake.on_count, 1);
	sim_psci_destroy(p);
}

static void test_psci_cpu_on_errors_and_rollback(void **unused)
{
	static const uint64_t bad_mpidr[] = {
		0x4,                  /* vCPU 4 of 4 */
		0x10,                 /* Aff0 holds only 4 bits of vCPU index */
		0x100,                /* vCPU 16 */
		0x10000,              /* Aff2 */
		0x100000000ull,       /* Aff3 */
		0x80000000ull,        /* bit 31 is not affinity */
	};
	struct fake_platform fake;
	struct sim_psci *p = psci_new(4, &fake, &fake_ops);
	const uint64_t on = PROTO_PSCI_0_2_FN64_CPU_ON;

	(void)unused;
	assert_int_equal(sim_psci_set_state(p, 3, SIM_PSCI_STATE_OFF), 0);
	for (size_t i = 0; i < sizeof(bad_mpidr) / sizeof(bad_mpidr[0]); i++)
		assert_int_equal(psci(p, 0, on, bad_mpidr[i], 0x1000, 0),
				 PROTO_PSCI_RET_INVALID_PARAMS);
	assert_int_equal(psci(p, 0, on, 3, 0, 0), PROTO_PSCI_RET_INVALID_ADDRESS);
	assert_int_equal(sim_psci_state(p, 3), SIM_PSCI_STATE_OFF);
	assert_int_equal(fake.on_count, 0);
	/* The platform refuses: the state is rolled back. */
	fake.on_result = PROTO_PSCI_RET_INTERNAL_FAILURE;
	assert_int_equal(psci(p, 0, on, 3, 0x1000, 0), PROTO_PSCI_RET_INTERNAL_FAILURE);
	assert_int_equal(sim_psci_state(p, 3), SIM_PSCI_STATE_OFF);
	fake.on_result = PROTO_PSCI_RET_SUCCESS;
	assert_int_equal(psci(p, 0, on, 3, 0x1000, 0), PROTO_PSCI_RET_SUCCESS);
	assert_int_equal(fake.on_count, 2);
	sim_psci_destroy(p);
}

static void test_psci_cpu_off_transitions(void **unused)
{
	struct fake_platform fake;
	struct sim_psci *p = psci_new(3, &fake, &fake_ops);

	(void)unused;
	fake.off_result = PROTO_PSCI_RET_DENIED;
	assert_int_equal(psci(p, 1, PROTO_PSCI_0_2_FN_CPU_OFF, 0, 0, 0), PROTO_PSCI_RET_DENIED);
	assert_int_equal(sim_psci_state(p, 1), SIM_PSCI_STATE_ON);
	fake.off_result = PROTO_PSCI_RET_SUCCESS;
	assert_int_equal(psci(p, 1, PROTO_PSCI_0_2_FN_CPU_OFF, 0, 0, 0), PROTO_PSCI_RET_SUCCESS);
	assert_int_equal(fake.last_target, 1);
	assert_int_equal(sim_psci_state(p, 1), SIM_PSCI_STATE_OFF);
	assert_int_equal(psci(p, 0, PROTO_PSCI_0_2_FN_AFFINITY_INFO, 1, 0, 0),
			 PROTO_PSCI_0_2_AFFINITY_LEVEL_OFF);
	/* An OFF or ON_PENDING vCPU cannot be executing CPU_OFF. */
	assert_int_equal(psci(p, 1, PROTO_PSCI_0_2_FN_CPU_OFF, 0, 0, 0), PROTO_PSCI_RET_DENIED);
	assert_int_equal(psci(p, 0, PROTO_PSCI_0_2_FN64_CPU_ON, 1, 0x1000, 0), 0);
	assert_int_equal(psci(p, 1, PROTO_PSCI_0_2_FN_CPU_OFF, 0, 0, 0), PROTO_PSCI_RET_DENIED);
	assert_int_equal(fake.off_count, 2);
	sim_psci_destroy(p);
}

static void test_psci_affinity_info_levels(void **unused)
{
	struct fake_platform fake;
	struct sim_psci *p = psci_new(20, &fake, &fake_ops);
	const uint64_t info = PROTO_PSCI_0_2_FN64_AFFINITY_INFO;

	(void)unused;
	for (uint32_t v = 16; v < 20; v++)
		assert_int_equal(sim_psci_set_state(p, v, SIM_PSCI_STATE_OFF), 0);
	assert_int_equal(sim_psci_set_state(p, 17, SIM_PSCI_STATE_ON_PENDING), 0);
	assert_int_equal(psci(p, 0, info, 0x100, 0, 0), PROTO_PSCI_0_2_AFFINITY_LEVEL_OFF);
	assert_int_equal(psci(p, 0, info, 0x101, 0, 0), PROTO_PSCI_0_2_AFFINITY_LEVEL_ON_PENDING);
	/* Level 1: the cluster of vCPUs 16..19 (Aff1 = 1). */
	assert_int_equal(psci(p, 0, info, 0x103, 1, 0), PROTO_PSCI_0_2_AFFINITY_LEVEL_ON_PENDING);
	assert_int_equal(sim_psci_set_state(p, 18, SIM_PSCI_STATE_ON), 0);
	assert_int_equal(psci(p, 0, info, 0x100, 1, 0), PROTO_PSCI_0_2_AFFINITY_LEVEL_ON);
	assert_int_equal(psci(p, 0, info, 0x0, 2, 0), PROTO_PSCI_0_2_AFFINITY_LEVEL_ON);
	assert_int_equal(psci(p, 0, info, 0x0, 4, 0), PROTO_PSCI_RET_INVALID_PARAMS);
	assert_int_equal(psci(p, 0, info, 0x200, 1, 0), PROTO_PSCI_RET_INVALID_PARAMS);
	assert_int_equal(psci(p, 0, info, 0x114, 0, 0), PROTO_PSCI_RET_INVALID_PARAMS);
	assert_int_equal(psci(p, 0, info, 1ull << 63, 0, 0), PROTO_PSCI_RET_INVALID_PARAMS);
	sim_psci_destroy(p);
}

static void test_psci_smc32_through_conduit(void **unused)
{
	struct fake_platform fake;
	struct sim_psci *p = psci_new(4, &fake, &fake_ops);
	struct sim_smccc *conduit = NULL;
	struct sim_smccc_regs regs = { 0 };

	(void)unused;
	assert_int_equal(sim_smccc_create(&conduit, NULL, 4), 0);
	assert_int_equal(sim_psci_register(p, conduit), 0);
	assert_int_equal(sim_psci_register(p, conduit), -EEXIST);
	assert_int_equal(sim_psci_set_state(p, 2, SIM_PSCI_STATE_OFF), 0);
	/* Junk in the upper halves: the SMC64 call sees it and refuses ... */
	regs.x[0] = PROTO_PSCI_0_2_FN64_CPU_ON;
	regs.x[1] = 0xffffffff00000002ull;
	regs.x[2] = 0x1000;
	assert_true(sim_smccc_call(conduit, 0, &regs));
	assert_int_equal((int64_t)regs.a[0], PROTO_PSCI_RET_INVALID_PARAMS);
	/* ... the SMC32 call only sees the low halves. */
	regs.x[0] = PROTO_PSCI_0_2_FN_CPU_ON;
	regs.x[2] = 0xabcd000000001000ull;
	assert_true(sim_smccc_call(conduit, 0, &regs));
	assert_int_equal(regs.a[0], PROTO_PSCI_RET_SUCCESS);
	assert_int_equal(fake.last_target, 2);
	assert_int_equal(fake.last_entry, 0x1000);
	regs.x[0] = PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID;
	regs.x[1] = PROTO_PSCI_0_2_FN_AFFINITY_INFO;
	assert_true(sim_smccc_call(conduit, 0, &regs));
	assert_int_equal(regs.a[0], 0);
	regs.x[1] = PROTO_PSCI_0_2_FN_CPU_SUSPEND;
	assert_true(sim_smccc_call(conduit, 0, &regs));
	assert_int_equal((int64_t)regs.a[0], PROTO_SMCCC_RET_NOT_SUPPORTED);
	sim_smccc_destroy(conduit);
	sim_psci_destroy(p);
}

static void test_psci_system_reset_and_off(void **unused)
{
	struct fake_platform fake;
	struct sim_psci_ops no_system = fake_ops;
	struct sim_psci *p = psci_new(2, &fake, &fake_ops);
	struct sim_psci *q;

	(void)unused;
	assert_int_equal(psci(p, 1, PROTO_PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0), 0);
	assert_int_equal(fake.last_event, SIM_PSCI_SYSTEM_RESET);
	assert_int_equal(fake.last_caller, 1);
	assert_int_equal(psci(p, 0, PROTO_PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0), 0);
	assert_int_equal(fake.last_event, SIM_PSCI_SYSTEM_OFF);
	assert_int_equal(fake.system_count, 2);
	sim_psci_destroy(p);
	no_system.system_event = NULL;
	q = psci_new(2, &fake, &no_system);
	assert_int_equal(psci(q, 0, PROTO_PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0),
			 PROTO_PSCI_RET_NOT_SUPPORTED);
	assert_int_equal(fake.system_count, 0);
	sim_psci_destroy(q);
}

static void test_psci_mpidr_scheme(void **unused)
{
	struct fake_platform fake;
	struct sim_psci_ops bad = fake_ops;
	struct sim_psci *none = NULL;

	(void)unused;
	assert_int_equal(sim_psci_vcpu_to_mpidr(5), 0x5);
	assert_int_equal(sim_psci_vcpu_to_mpidr(17), 0x101);
	assert_int_equal(sim_psci_vcpu_to_mpidr(63), 0x30f);
	for (uint32_t v = 0; v < SIM_VCPU_COUNT_MAX; v++)
		assert_int_equal(sim_psci_mpidr_to_vcpu(sim_psci_vcpu_to_mpidr(v),
							SIM_VCPU_COUNT_MAX),
				 (int)v);
	assert_int_equal(sim_psci_mpidr_to_vcpu(0x101, 17), -1);
	assert_int_equal(sim_psci_mpidr_to_vcpu(0x1f, 64), -1);
	bad.cpu_off = NULL;
	assert_int_equal(sim_psci_create(&none, 2, &bad, &fake), -EINVAL);
	assert_int_equal(sim_psci_create(&none, 0, &fake_ops, &fake), -EINVAL);
	assert_null(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psci_version_features_and_unsupported),
		cmocka_unit_test(test_psci_cpu_on_state_transitions),
		cmocka_unit_test(test_psci_cpu_on_errors_and_rollback),
		cmocka_unit_test(test_psci_cpu_off_transitions),
		cmocka_unit_test(test_psci_affinity_info_levels),
		cmocka_unit_test(test_psci_smc32_through_conduit),
		cmocka_unit_test(test_psci_system_reset_and_off),
		cmocka_unit_test(test_psci_mpidr_scheme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

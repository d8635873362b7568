// SPDX-License-Identifier: MIT
/*
 * Goal: the SMCCC conduit routes calls by owner, calling convention and
 * function number; truncates SMC32 arguments to 32 bits before the service
 * sees them; answers SMCCC_VERSION and SMCCC_ARCH_FEATURES; returns
 * NOT_SUPPORTED with zeroed x1..x3 for unknown IDs; and refuses overlapping
 * or malformed registrations. Method: register recording fake services on a
 * conduit outside any execution and compare what they saw and returned.
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
#include "sim/smccc.h"

#define NOT_SUPPORTED ((uint64_t)(int64_t)PROTO_SMCCC_RET_NOT_SUPPORTED)

struct fake_service {
	uint64_t tag;
	uint32_t call_count;
	uint32_t vcpu;
	uint64_t x[SIM_SMCCC_ARG_COUNT];
	bool returns;
	uint32_t implemented_function; /* for implements() */
};

static bool fake_call(void *ctx, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
		      uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	struct fake_service *fake = ctx;

	/* The conduit presets the default result. */
	assert_int_equal(res[0], NOT_SUPPORTED);
	assert_int_equal(res[1] | res[2] | res[3], 0);
	fake->call_count++;
	fake->vcpu = vcpu;
	memcpy(fake->x, x, sizeof(fake->x));
	res[0] = fake->tag;
	res[1] = fake->tag + 1;
	return fake->returns;
}

static bool fake_implements(void *ctx, uint32_t function_id)
{
	const struct fake_service *fake = ctx;

	return proto_smccc_func_num(function_id) == fake->implemented_function;
}

static struct sim_smccc_service service_of(const char *name, uint32_t owner,
					   enum sim_smccc_conv conv, uint32_t min, uint32_t max,
					   struct fake_service *fake)
{
	return (struct sim_smccc_service){
		.name = name, .owner = owner, .conv = conv, .function_min = min,
		.function_max = max, .call = fake_call, .ctx = fake,
	};
}

static struct sim_smccc *conduit_new(void)
{
	struct sim_smccc *conduit = NULL;

	assert_int_equal(sim_smccc_create(&conduit, NULL, 4), 0);
	assert_non_null(conduit);
	return conduit;
}

static struct sim_smccc_regs call(struct sim_smccc *conduit, uint32_t vcpu, uint64_t x0,
				  uint64_t x1)
{
	struct sim_smccc_regs regs;

	memset(&regs, 0xa5, sizeof(regs)); /* junk everywhere */
	regs.x[0] = x0;
	regs.x[1] = x1;
	assert_true(sim_smccc_call(conduit, vcpu, &regs));
	return regs;
}

static void test_smccc_version_is_1_1(void **unused)
{
	struct sim_smccc *conduit = conduit_new();
	struct sim_smccc_regs regs;

	(void)unused;
	regs = call(conduit, 0, PROTO_ARM_SMCCC_VERSION_FUNC_ID, 0);
	assert_int_equal(regs.a[0], 0x10001);
	assert_int_equal(regs.a[1] | regs.a[2] | regs.a[3], 0);
	/* The function ID is W0: the upper half of x0 does not matter. */
	regs = call(conduit, 0, 0xffffffff00000000ull | PROTO_ARM_SMCCC_VERSION_FUNC_ID, 0);
	assert_int_equal(regs.a[0], 0x10001);
	assert_int_equal(sim_smccc_stats(conduit)->call_count, 2);
	sim_smccc_destroy(conduit);
}

static void test_smccc_routes_by_owner_convention_and_function(void **unused)
{
	struct sim_smccc *conduit = conduit_new();
	struct fake_service vendor = { .tag = 100, .returns = true };
	struct fake_service std32 = { .tag = 200, .returns = true };
	struct fake_service std64 = { .tag = 300, .returns = true };
	struct sim_smccc_service s;
	struct sim_smccc_regs regs;

	(void)unused;
	s = service_of("vendor", PROTO_ARM_SMCCC_OWNER_VENDOR_HYP, SIM_SMCCC_CONV_SMC32, 0, 0xffff,
		       &vendor);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	s = service_of("std32", PROTO_ARM_SMCCC_OWNER_STANDARD, SIM_SMCCC_CONV_SMC32, 0, 0x1f,
		       &std32);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	s = service_of("std64", PROTO_ARM_SMCCC_OWNER_STANDARD, SIM_SMCCC_CONV_SMC64, 0x20, 0x3f,
		       &std64);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);

	regs = call(conduit, 3, PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID, 4);
	assert_int_equal(regs.a[0], 100);
	assert_int_equal(regs.a[1], 101);
	assert_int_equal(vendor.vcpu, 3);
	assert_int_equal(vendor.x[1], 4);
	regs = call(conduit, 1, PROTO_PSCI_0_2_FN_CPU_ON, 0);
	assert_int_equal(regs.a[0], 200);
	regs = call(conduit, 1, 0xC4000021u, 0); /* SDEI_EVENT_REGISTER */
	assert_int_equal(regs.a[0], 300);
	/* SMC64 function 3 of STANDARD: std32 covers only SMC32. */
	regs = call(conduit, 1, PROTO_PSCI_0_2_FN64_CPU_ON, 0);
	assert_int_equal(regs.a[0], NOT_SUPPORTED);
	assert_int_equal(vendor.call_count, 1);
	assert_int_equal(std32.call_count, 1);
	assert_int_equal(std64.call_count, 1);
	sim_smccc_destroy(conduit);
}

static void test_smccc_smc32_arguments_truncated(void **unused)
{
	struct sim_smccc *conduit = conduit_new();
	struct fake_service vendor = { .tag = 1, .returns = true };
	struct fake_service std64 = { .tag = 2, .returns = true };
	struct sim_smccc_service s;
	struct sim_smccc_regs regs;

	(void)unused;
	s = service_of("vendor", PROTO_ARM_SMCCC_OWNER_VENDOR_HYP, SIM_SMCCC_CONV_SMC32, 0, 0xffff,
		       &vendor);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	s = service_of("std64", PROTO_ARM_SMCCC_OWNER_STANDARD, SIM_SMCCC_CONV_SMC64, 0, 0x3f,
		       &std64);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	for (uint32_t i = 0; i < SIM_SMCCC_ARG_COUNT; i++)
		regs.x[i] = 0xdead000000000000ull | ((uint64_t)i << 32) | (0x1000u + i);
	regs.x[0] = PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID;
	assert_true(sim_smccc_call(conduit, 0, &regs));
	for (uint32_t i = 1; i < SIM_SMCCC_ARG_COUNT; i++)
		assert_int_equal(vendor.x[i], 0x1000u + i);
	assert_int_equal(vendor.x[0], PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID);
	/* The caller's registers are not modified by the truncation. */
	assert_int_equal(regs.x[2] >> 48, 0xdead);
	regs.x[0] = 0xC4000005u;
	assert_true(sim_smccc_call(conduit, 0, &regs));
	for (uint32_t i = 1; i < SIM_SMCCC_ARG_COUNT; i++)
		assert_int_equal(std64.x[i], regs.x[i]);
	sim_smccc_destroy(conduit);
}

static void test_smccc_unknown_id_not_supported_with_zero_results(void **unused)
{
	static const uint64_t unknown[] = {
		0x86000002u,          /* vendor service not registered yet */
		0x04000000u,          /* yielding call */
		0x84010000u,          /* reserved bits 23:16 set */
		0xB2000000u,          /* Trusted OS */
		PROTO_PSCI_0_2_FN_CPU_ON,
	};
	struct sim_smccc *conduit = conduit_new();

	(void)unused;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		struct sim_smccc_regs regs = call(conduit, 2, unknown[i], 77);

		assert_int_equal(regs.a[0], 0xFFFFFFFFFFFFFFFFull);
		assert_int_equal(regs.a[1], 0);
		assert_int_equal(regs.a[2], 0);
		assert_int_equal(regs.a[3], 0);
	}
	assert_int_equal(sim_smccc_stats(conduit)->unknown_count, 5);
	sim_smccc_destroy(conduit);
}

static void test_smccc_arch_features(void **unused)
{
	struct sim_smccc *conduit = conduit_new();
	struct fake_service vendor = { .tag = 1, .returns = true };
	struct fake_service psci = { .tag = 2, .returns = true, .implemented_function = 3 };
	struct sim_smccc_service s;
	const uint64_t features = PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID;

	(void)unused;
	s = service_of("vendor", PROTO_ARM_SMCCC_OWNER_VENDOR_HYP, SIM_SMCCC_CONV_SMC32, 0, 0xffff,
		       &vendor);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	s = service_of("psci", PROTO_ARM_SMCCC_OWNER_STANDARD, SIM_SMCCC_CONV_SMC32, 0, 0x1f,
		       &psci);
	s.implements = fake_implements;
	assert_int_equal(sim_smccc_register(conduit, &s), 0);

	assert_int_equal(call(conduit, 0, features, PROTO_ARM_SMCCC_VERSION_FUNC_ID).a[0], 0);
	assert_int_equal(call(conduit, 0, features, features).a[0], 0);
	assert_int_equal(call(conduit, 0, features, 0x86000002u).a[0], 0);
	assert_int_equal(call(conduit, 0, features, PROTO_PSCI_0_2_FN_CPU_ON).a[0], 0);
	assert_int_equal(call(conduit, 0, features, PROTO_PSCI_0_2_FN_AFFINITY_INFO).a[0],
			 NOT_SUPPORTED);
	assert_int_equal(call(conduit, 0, features, 0x80008000u).a[0], NOT_SUPPORTED);
	assert_int_equal(call(conduit, 0, features, 0xC4000021u).a[0], NOT_SUPPORTED);
	/* SMC32: only the low 32 bits of x1 name the queried ID. */
	assert_int_equal(call(conduit, 0, features, 0x1234567800000000ull | 0x86000000u).a[0], 0);
	assert_int_equal(vendor.call_count, 0);
	assert_int_equal(psci.call_count, 0);
	sim_smccc_destroy(conduit);
}

static void test_smccc_overlapping_registration_refused(void **unused)
{
	struct sim_smccc *conduit = conduit_new();
	struct fake_service fake = { .tag = 1, .returns = true };
	struct sim_smccc_service s;
	uint32_t owner = PROTO_ARM_SMCCC_OWNER_STANDARD;

	(void)unused;
	s = service_of("a", owner, SIM_SMCCC_CONV_SMC32, 0x10, 0x1f, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	s = service_of("b", owner, SIM_SMCCC_CONV_SMC32, 0x1f, 0x2f, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), -EEXIST);
	s = service_of("c", owner, SIM_SMCCC_CONV_SMC32, 0x00, 0x10, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), -EEXIST);
	s = service_of("d", owner, SIM_SMCCC_CONV_SMC32, 0x00, 0xffff, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), -EEXIST);
	/* Adjacent ranges, the other convention and another owner are fine. */
	s = service_of("e", owner, SIM_SMCCC_CONV_SMC32, 0x20, 0x2f, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	s = service_of("f", owner, SIM_SMCCC_CONV_SMC64, 0x10, 0x1f, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	s = service_of("g", 5, SIM_SMCCC_CONV_SMC32, 0x10, 0x1f, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	/* The built-in architecture service owns all of owner 0, SMC32. */
	s = service_of("h", PROTO_ARM_SMCCC_OWNER_ARCH, SIM_SMCCC_CONV_SMC32, 0x8000, 0x8000,
		       &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), -EEXIST);
	sim_smccc_destroy(conduit);
}

static void test_smccc_malformed_registration_and_capacity(void **unused)
{
	struct sim_smccc *conduit = conduit_new();
	struct fake_service fake = { .tag = 1, .returns = true };
	struct sim_smccc_service s;
	struct sim_smccc *none = NULL;

	(void)unused;
	s = service_of("x", 64, SIM_SMCCC_CONV_SMC32, 0, 1, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), -EINVAL);
	s = service_of("x", 7, SIM_SMCCC_CONV_SMC32, 5, 4, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), -EINVAL);
	s = service_of("x", 7, SIM_SMCCC_CONV_SMC32, 0, 0x10000, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), -EINVAL);
	s = service_of("x", 7, (enum sim_smccc_conv)2, 0, 1, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), -EINVAL);
	s = service_of("x", 7, SIM_SMCCC_CONV_SMC32, 0, 1, &fake);
	s.call = NULL;
	assert_int_equal(sim_smccc_register(conduit, &s), -EINVAL);
	/* The architecture service takes one slot. */
	for (uint32_t i = 1; i < SIM_SMCCC_SERVICE_COUNT_MAX; i++) {
		s = service_of("x", 7, SIM_SMCCC_CONV_SMC32, i, i, &fake);
		assert_int_equal(sim_smccc_register(conduit, &s), 0);
	}
	s = service_of("x", 7, SIM_SMCCC_CONV_SMC32, 0x100, 0x100, &fake);
	assert_int_equal(sim_smccc_register(conduit, &s), -ENOSPC);
	assert_int_equal(sim_smccc_create(&none, NULL, 0), -EINVAL);
	assert_null(none);
	sim_smccc_destroy(conduit);
}

static void test_smccc_call_that_does_not_return_keeps_results(void **unused)
{
	struct sim_smccc *conduit = conduit_new();
	struct fake_service sdei = { .tag = 9, .returns = false };
	struct sim_smccc_service s;
	struct sim_smccc_regs regs;

	(void)unused;
	s = service_of("sdei", PROTO_ARM_SMCCC_OWNER_STANDARD, SIM_SMCCC_CONV_SMC64, 0x20, 0x3f,
		       &sdei);
	assert_int_equal(sim_smccc_register(conduit, &s), 0);
	memset(&regs, 0x5a, sizeof(regs));
	regs.x[0] = 0xC4000025u; /* SDEI_EVENT_COMPLETE */
	assert_false(sim_smccc_call(conduit, 0, &regs));
	for (uint32_t i = 0; i < SIM_SMCCC_RESULT_COUNT; i++)
		assert_int_equal(regs.a[i], 0x5a5a5a5a5a5a5a5aull);
	assert_int_equal(sdei.call_count, 1);
	sim_smccc_destroy(conduit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smccc_version_is_1_1),
		cmocka_unit_test(test_smccc_routes_by_owner_convention_and_function),
		cmocka_unit_test(test_smccc_smc32_arguments_truncated),
		cmocka_unit_test(test_smccc_unknown_id_not_supported_with_zero_results),
		cmocka_unit_test(test_smccc_arch_features),
		cmocka_unit_test(test_smccc_overlapping_registration_refused),
		cmocka_unit_test(test_smccc_malformed_registration_and_capacity),
		cmocka_unit_test(test_smccc_call_that_does_not_return_keeps_results),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

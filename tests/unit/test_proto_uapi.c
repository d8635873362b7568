// SPDX-License-Identifier: MIT
/*
 * Goal: every proto/ constant and layout that Linux's installed uapi headers
 * also define has the same value (and signedness) there: PSCI against
 * <linux/psci.h>, SDEI against <linux/arm_sdei.h>, and the async-PF flags,
 * reasons and control-block layout against the x86 <asm/kvm_para.h>, whose
 * values arm64 shares. Method: include ours and the real headers in this one
 * translation unit (our names are PROTO_-prefixed, so nothing clashes) and
 * compare name by name; layouts by sizeof, _Alignof and offsetof.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/psci.h>
#include <linux/arm_sdei.h>
#include <asm/kvm_para.h>

#include "proto/apf.h"
#include "proto/psci.h"
#include "proto/sdei.h"
#include "proto/smccc.h"
#include "proto_check.h"

static void test_proto_psci_function_ids_match_uapi(void **state)
{
	(void)state;
	PROTO_CHECK(PSCI_0_2_FN_BASE);
	PROTO_CHECK(PSCI_0_2_64BIT);
	PROTO_CHECK(PSCI_0_2_FN64_BASE);
	PROTO_CHECK(PSCI_0_2_FN(0));
	PROTO_CHECK(PSCI_0_2_FN64(0));
	PROTO_CHECK(PSCI_0_2_FN_PSCI_VERSION);
	PROTO_CHECK(PSCI_0_2_FN_CPU_SUSPEND);
	PROTO_CHECK(PSCI_0_2_FN_CPU_OFF);
	PROTO_CHECK(PSCI_0_2_FN_CPU_ON);
	PROTO_CHECK(PSCI_0_2_FN_AFFINITY_INFO);
	PROTO_CHECK(PSCI_0_2_FN_MIGRATE_INFO_TYPE);
	PROTO_CHECK(PSCI_0_2_FN_SYSTEM_OFF);
	PROTO_CHECK(PSCI_0_2_FN_SYSTEM_RESET);
	PROTO_CHECK(PSCI_0_2_FN64_CPU_SUSPEND);
	PROTO_CHECK(PSCI_0_2_FN64_CPU_ON);
	PROTO_CHECK(PSCI_0_2_FN64_AFFINITY_INFO);
	PROTO_CHECK(PSCI_1_0_FN_PSCI_FEATURES);
}

static void test_proto_psci_results_match_uapi(void **state)
{
	(void)state;
	PROTO_CHECK(PSCI_0_2_AFFINITY_LEVEL_ON);
	PROTO_CHECK(PSCI_0_2_AFFINITY_LEVEL_OFF);
	PROTO_CHECK(PSCI_0_2_AFFINITY_LEVEL_ON_PENDING);
	PROTO_CHECK(PSCI_0_2_TOS_MP);
	PROTO_CHECK(PSCI_VERSION_MAJOR_SHIFT);
	PROTO_CHECK(PSCI_VERSION_MINOR_MASK);
	PROTO_CHECK(PSCI_VERSION_MAJOR_MASK);
	PROTO_CHECK(PSCI_VERSION(1, 1));
	PROTO_CHECK(PSCI_VERSION(0, 2));
	PROTO_CHECK(PSCI_RET_SUCCESS);
	PROTO_CHECK(PSCI_RET_NOT_SUPPORTED);
	PROTO_CHECK(PSCI_RET_INVALID_PARAMS);
	PROTO_CHECK(PSCI_RET_DENIED);
	PROTO_CHECK(PSCI_RET_ALREADY_ON);
	PROTO_CHECK(PSCI_RET_ON_PENDING);
	PROTO_CHECK(PSCI_RET_INTERNAL_FAILURE);
	PROTO_CHECK(PSCI_RET_NOT_PRESENT);
	PROTO_CHECK(PSCI_RET_DISABLED);
	PROTO_CHECK(PSCI_RET_INVALID_ADDRESS);
}

static void test_proto_sdei_function_ids_match_uapi(void **state)
{
	(void)state;
	PROTO_CHECK(SDEI_1_0_FN_BASE);
	PROTO_CHECK(SDEI_1_0_MASK);
	PROTO_CHECK(SDEI_1_0_FN(0x1F));
	PROTO_CHECK(SDEI_1_0_FN_SDEI_VERSION);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_REGISTER);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_ENABLE);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_DISABLE);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_CONTEXT);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_COMPLETE);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_UNREGISTER);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_STATUS);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_GET_INFO);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_ROUTING_SET);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_PE_MASK);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_PE_UNMASK);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_INTERRUPT_BIND);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_PRIVATE_RESET);
	PROTO_CHECK(SDEI_1_0_FN_SDEI_SHARED_RESET);
}

/*
 * The 6.1 uapi header predates SDEI v1.1, so EVENT_SIGNAL and FEATURES are
 * checked against its SDEI_1_0_FN() encoding with the DEN0054 v1.1 numbers.
 */
static void test_proto_sdei_v1_1_ids_use_uapi_encoding(void **state)
{
	(void)state;
	PROTO_CHECK_EQ(PROTO_SDEI_1_1_FN_SDEI_EVENT_SIGNAL, SDEI_1_0_FN(0x0F));
	PROTO_CHECK_EQ(PROTO_SDEI_1_1_FN_SDEI_FEATURES, SDEI_1_0_FN(0x10));
	assert_int_equal(PROTO_SDEI_1_1_FN_SDEI_EVENT_SIGNAL, 0xC400002FU);
	assert_int_equal(PROTO_SDEI_1_1_FN_SDEI_FEATURES, 0xC4000030U);
}

static void test_proto_sdei_values_match_uapi(void **state)
{
	(void)state;
	PROTO_CHECK(SDEI_VERSION_MAJOR_SHIFT);
	PROTO_CHECK(SDEI_VERSION_MAJOR_MASK);
	PROTO_CHECK(SDEI_VERSION_MINOR_SHIFT);
	PROTO_CHECK(SDEI_VERSION_MINOR_MASK);
	PROTO_CHECK(SDEI_VERSION_VENDOR_SHIFT);
	PROTO_CHECK(SDEI_VERSION_VENDOR_MASK);
	PROTO_CHECK(SDEI_SUCCESS);
	PROTO_CHECK(SDEI_NOT_SUPPORTED);
	PROTO_CHECK(SDEI_INVALID_PARAMETERS);
	PROTO_CHECK(SDEI_DENIED);
	PROTO_CHECK(SDEI_PENDING);
	PROTO_CHECK(SDEI_OUT_OF_RESOURCE);
	PROTO_CHECK(SDEI_EVENT_REGISTER_RM_ANY);
	PROTO_CHECK(SDEI_EVENT_REGISTER_RM_PE);
	PROTO_CHECK(SDEI_EVENT_STATUS_REGISTERED);
	PROTO_CHECK(SDEI_EVENT_STATUS_ENABLED);
	PROTO_CHECK(SDEI_EVENT_STATUS_RUNNING);
	PROTO_CHECK(SDEI_EV_HANDLED);
	PROTO_CHECK(SDEI_EV_FAILED);
	PROTO_CHECK(SDEI_EVENT_INFO_EV_TYPE);
	PROTO_CHECK(SDEI_EVENT_INFO_EV_SIGNALED);
	PROTO_CHECK(SDEI_EVENT_INFO_EV_PRIORITY);
	PROTO_CHECK(SDEI_EVENT_INFO_EV_ROUTING_MODE);
	PROTO_CHECK(SDEI_EVENT_INFO_EV_ROUTING_AFF);
	PROTO_CHECK(SDEI_EVENT_TYPE_PRIVATE);
	PROTO_CHECK(SDEI_EVENT_TYPE_SHARED);
	PROTO_CHECK(SDEI_EVENT_PRIORITY_NORMAL);
	PROTO_CHECK(SDEI_EVENT_PRIORITY_CRITICAL);
}

/* Our version helpers decode like the uapi accessor macros. */
static void test_proto_sdei_version_helpers_match_uapi_macros(void **state)
{
	static const __u64 samples[] = {
		0x0001000000000000ULL, 0x0001000100000000ULL, 0x00010001004b564dULL,
		0x7fffffffffffffffULL, 0xffffffffffffffffULL, 0x0000123400005678ULL,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		__u64 v = samples[i];

		assert_int_equal(proto_sdei_version_major(v), SDEI_VERSION_MAJOR(v));
		assert_int_equal(proto_sdei_version_minor(v), SDEI_VERSION_MINOR(v));
		assert_int_equal(proto_sdei_version_vendor(v), SDEI_VERSION_VENDOR(v));
	}
}

/* The x86 header shares the flag, reason and layout values with arm64. */
static void test_proto_apf_values_match_x86_uapi(void **state)
{
	(void)state;
	PROTO_CHECK(KVM_ASYNC_PF_ENABLED);
	PROTO_CHECK(KVM_ASYNC_PF_SEND_ALWAYS);
	PROTO_CHECK(KVM_PV_REASON_PAGE_NOT_PRESENT);
	PROTO_CHECK(KVM_PV_REASON_PAGE_READY);
	/* x86's delivery flags (bits 2, 3) fall inside the arm64 flag field. */
	assert_true((KVM_ASYNC_PF_DELIVERY_AS_PF_VMEXIT & ~PROTO_KVM_ASYNC_PF_FLAGS_MASK) == 0);
	assert_true((KVM_ASYNC_PF_DELIVERY_AS_INT & ~PROTO_KVM_ASYNC_PF_FLAGS_MASK) == 0);
	/* Same name, different ABI: the arm64 guest feature bit is 0, x86's is 4. */
	PROTO_CHECK_DIFFERS(KVM_FEATURE_ASYNC_PF, 0, 4);
}

/* arm64 spells the first field "reason", x86 renamed it "flags" in 2020. */
static void test_proto_apf_data_layout_matches_x86_uapi(void **state)
{
	(void)state;
	PROTO_CHECK_STRUCT(struct proto_kvm_vcpu_pv_apf_data, struct kvm_vcpu_pv_apf_data);
	PROTO_CHECK_MEMBER2(struct proto_kvm_vcpu_pv_apf_data, reason,
			    struct kvm_vcpu_pv_apf_data, flags);
	PROTO_CHECK_MEMBER(struct proto_kvm_vcpu_pv_apf_data, struct kvm_vcpu_pv_apf_data, token);
	PROTO_CHECK_MEMBER(struct proto_kvm_vcpu_pv_apf_data, struct kvm_vcpu_pv_apf_data, pad);
	PROTO_CHECK_MEMBER(struct proto_kvm_vcpu_pv_apf_data, struct kvm_vcpu_pv_apf_data,
			   enabled);
	PROTO_CHECK_EQ(PROTO_KVM_ASYNC_PF_HOST_AREA_SIZE,
		       offsetof(struct kvm_vcpu_pv_apf_data, token) + sizeof(__u32));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proto_psci_function_ids_match_uapi),
		cmocka_unit_test(test_proto_psci_results_match_uapi),
		cmocka_unit_test(test_proto_sdei_function_ids_match_uapi),
		cmocka_unit_test(test_proto_sdei_v1_1_ids_use_uapi_encoding),
		cmocka_unit_test(test_proto_sdei_values_match_uapi),
		cmocka_unit_test(test_proto_sdei_version_helpers_match_uapi_macros),
		cmocka_unit_test(test_proto_apf_values_match_x86_uapi),
		cmocka_unit_test(test_proto_apf_data_layout_matches_x86_uapi),
	};

	return cmocka_run_group_tests_name("proto_uapi", tests, NULL, NULL);
}

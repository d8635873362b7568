// SPDX-License-Identifier: MIT
/*
 * Goal: the proto/ headers are consistent on their own: every header compiles
 * together with the others, and the static inline encode/decode helpers
 * invert each other and honour the documented field boundaries (SMCCC IDs,
 * KVM feature bitmap, async-PF version, registration word, ENABLE argument
 * split, token, SDEI version and range, GIC INTID classes, Xen stub offsets).
 * Method: round trips over value sweeps that include every field edge, plus
 * the protocol's literal values (0x86000002, 0x010000, 0xFFFFFFFF, ...)
 * compared with what the helpers compute. Reference headers are compared in
 * the other test_proto_*.c files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "proto/abi.h"
#include "proto/apf.h"
#include "proto/gic.h"
#include "proto/psci.h"
#include "proto/sdei.h"
#include "proto/smccc.h"
#include "proto/xen.h"
#include "proto/xen_evtchn.h"
#include "proto/xen_gnttab.h"

static void test_proto_smccc_ids_decode_to_their_fields(void **state)
{
	const __u32 async_pf = PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID;
	const __u32 call_uid = PROTO_ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID;

	(void)state;
	assert_int_equal(async_pf, 0x86000002U);
	assert_true(proto_smccc_is_fast_call(async_pf));
	assert_false(proto_smccc_is_64(async_pf));
	assert_int_equal(proto_smccc_owner_num(async_pf), PROTO_ARM_SMCCC_OWNER_VENDOR_HYP);
	assert_int_equal(proto_smccc_func_num(async_pf), PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF);
	assert_int_equal(proto_smccc_func_num(call_uid), PROTO_ARM_SMCCC_FUNC_QUERY_CALL_UID);
	assert_true(proto_smccc_is_64(PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE));
	assert_int_equal(proto_smccc_owner_num(PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE),
			 PROTO_ARM_SMCCC_OWNER_STANDARD);
	assert_true(proto_smccc_is_64(PROTO_PSCI_0_2_FN64_CPU_ON));
	assert_false(proto_smccc_is_64(PROTO_PSCI_0_2_FN_CPU_OFF));
	assert_int_equal(PROTO_ARM_SMCCC_VERSION_FUNC_ID, 0x80000000U);
	assert_int_equal(PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID, 0x80000001U);
}

static void test_proto_smccc_call_val_round_trips(void **state)
{
	static const __u32 owners[] = { 0, 1, 6, 48, 49, 50, 63 };
	static const __u32 funcs[] = { 0, 1, 0x7fff, 0x8000, 0xff01, 0xffff };

	(void)state;
	for (__u32 i = 0; i < 2 * 2 * 7 * 6; i++) {
		_Bool fast = i & 1;
		_Bool smc64 = (i >> 1) & 1;
		__u32 owner = owners[(i >> 2) % 7];
		__u32 func = funcs[(i >> 2) / 7];
		__u32 id = proto_smccc_call_val(fast, smc64, owner, func);

		assert_int_equal(proto_smccc_is_fast_call(id), fast);
		assert_int_equal(proto_smccc_is_64(id), smc64);
		assert_int_equal(proto_smccc_owner_num(id), owner);
		assert_int_equal(proto_smccc_func_num(id), func);
		/* Bits 23:16 are never set by the encoder. */
		assert_int_equal(id & 0x00FF0000U, 0);
	}
	/* Out-of-range fields are masked, not spilled into neighbours. */
	assert_int_equal(proto_smccc_call_val(0, 0, 64, 0x10000), 0);
}

static void test_proto_smccc_kvm_feature_bitmap_selects_bits(void **state)
{
	__u64 regs[4] = { 0x7, 0, 0, 0 };

	(void)state;
	assert_true(proto_smccc_kvm_feature_test(regs, PROTO_ARM_SMCCC_KVM_FUNC_FEATURES));
	assert_true(proto_smccc_kvm_feature_test(regs, PROTO_ARM_SMCCC_KVM_FUNC_PTP));
	assert_true(proto_smccc_kvm_feature_test(regs, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF));
	assert_false(proto_smccc_kvm_feature_test(regs, 3));
	regs[0] = 0x3;
	assert_false(proto_smccc_kvm_feature_test(regs, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF));
	/* a1 covers 32..63, a3 covers 96..127; the upper register halves are ignored. */
	regs[1] = 1ULL << 1;
	regs[3] = (1ULL << 31) | (1ULL << 32);
	assert_true(proto_smccc_kvm_feature_test(regs, 33));
	assert_false(proto_smccc_kvm_feature_test(regs, 32));
	assert_true(proto_smccc_kvm_feature_test(regs, PROTO_ARM_SMCCC_KVM_FUNC_FEATURES_2));
	assert_false(proto_smccc_kvm_feature_test(regs, 96));
	assert_false(proto_smccc_kvm_feature_test(regs, PROTO_ARM_SMCCC_KVM_NUM_FUNCS));
}

static void test_proto_async_pf_version_fields(void **state)
{
	(void)state;
	assert_int_equal(proto_kvm_async_pf_version_make(1, 0, 0), PROTO_KVM_ASYNC_PF_VERSION);
	assert_int_equal(proto_kvm_async_pf_version_major(PROTO_KVM_ASYNC_PF_VERSION), 1);
	assert_int_equal(proto_kvm_async_pf_version_minor(PROTO_KVM_ASYNC_PF_VERSION), 0);
	assert_int_equal(proto_kvm_async_pf_version_revision(PROTO_KVM_ASYNC_PF_VERSION), 0);
	assert_int_equal(proto_kvm_async_pf_version_make(0x12, 0x34, 0x56), 0x123456);
	assert_int_equal(proto_kvm_async_pf_version_minor(0x123456), 0x34);
	assert_int_equal(proto_kvm_async_pf_version_revision(0x123456), 0x56);
	assert_int_equal(PROTO_KVM_ASYNC_PF_VERSION & PROTO_KVM_ASYNC_PF_VERSION_RESERVED_MASK, 0);
	assert_int_not_equal(0x01010000ULL & PROTO_KVM_ASYNC_PF_VERSION_RESERVED_MASK, 0);
}

static void test_proto_apf_control_word_round_trips(void **state)
{
	static const __u64 gpas[] = { 0, 0x40, 0x80000040ULL, 0x123456789ABCDEC0ULL,
				      0xFFFFFFFFFFFFFFC0ULL };

	(void)state;
	for (size_t i = 0; i < sizeof(gpas) / sizeof(gpas[0]); i++) {
		for (__u32 flags = 0; flags <= PROTO_KVM_ASYNC_PF_FLAGS_MASK; flags++) {
			__u64 control = proto_kvm_async_pf_control_make(gpas[i], flags);
			__u32 lo = proto_kvm_async_pf_enable_lo(control);
			__u32 hi = proto_kvm_async_pf_enable_hi(control);

			assert_int_equal(gpas[i] % PROTO_KVM_ASYNC_PF_DATA_ALIGN, 0);
			assert_int_equal(proto_kvm_async_pf_control_gpa(control), gpas[i]);
			assert_int_equal(proto_kvm_async_pf_control_flags(control), flags);
			assert_int_equal(proto_kvm_async_pf_enable_join(lo, hi), control);
			/* Junk in the upper halves of x2/x3 must not leak into the word. */
			assert_int_equal(proto_kvm_async_pf_enable_join(lo | 0xDEAD000000000000ULL,
									hi | 0xBEEF00000000ULL),
					 control);
		}
	}
	/* A misaligned GPA loses its low bits to the flag field. */
	assert_int_equal(proto_kvm_async_pf_control_gpa(0x1000 | 0x21), 0x1000);
	assert_int_equal(proto_kvm_async_pf_control_flags(0x1000 | 0x21), 0x21);
	assert_int_equal(proto_kvm_async_pf_control_make(0x2000, PROTO_KVM_ASYNC_PF_ENABLED),
			 0x2001);
}

static void test_proto_apf_token_round_trips(void **state)
{
	static const __u16 counters[] = { 0, 1, 2, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF };
	static const __u32 vcpus[] = { 0, 1, 63, 511, 4095 };

	(void)state;
	for (size_t c = 0; c < sizeof(counters) / sizeof(counters[0]); c++) {
		for (size_t v = 0; v < sizeof(vcpus) / sizeof(vcpus[0]); v++) {
			__u32 token = proto_kvm_async_pf_token_make(counters[c], vcpus[v]);

			assert_int_equal(token, ((__u32)counters[c] << 12) | vcpus[v]);
			assert_int_equal(proto_kvm_async_pf_token_counter(token), counters[c]);
			assert_int_equal(proto_kvm_async_pf_token_vcpu(token), vcpus[v]);
			assert_false(proto_kvm_async_pf_token_is_wake_all(token));
			assert_true(token <= 0x0FFFFFFFU);
		}
	}
	/* vCPU 0's first token is 0, which also reads as "slot empty". */
	assert_int_equal(proto_kvm_async_pf_token_make(0, 0), 0);
	assert_int_equal(proto_kvm_async_pf_token_make(1, 3), 0x1003);
	assert_true(proto_kvm_async_pf_token_is_wake_all(0xFFFFFFFFU));
	/* vCPU ids of 4096 and above would overlap the counter: they are cut. */
	assert_int_equal(proto_kvm_async_pf_token_vcpu(proto_kvm_async_pf_token_make(0, 4096)), 0);
}

static void test_proto_apf_constants_hold_protocol_values(void **state)
{
	struct proto_kvm_arm_async_pf_cmd cmd;

	(void)state;
	assert_int_equal(PROTO_ASYNC_PF_PER_VCPU, 64);
	assert_int_equal(PROTO_KVM_ASYNC_PF_GUEST_TABLE_SIZE, 128);
	assert_int_equal(PROTO_KVM_SDEI_ASYNC_PF_NUM, 0x40400001U);
	assert_int_equal(PROTO_KVM_SDEI_DEFAULT_NUM, 0x40400000U);
	assert_true(proto_kvm_sdei_is_kvm_event_num(PROTO_KVM_SDEI_ASYNC_PF_NUM));
	assert_true(proto_kvm_sdei_is_kvm_event_num(PROTO_KVM_SDEI_DEFAULT_NUM));
	assert_false(proto_kvm_sdei_is_kvm_event_num(PROTO_SDEI_SW_SIGNALED_EVENT));
	assert_false(proto_kvm_sdei_is_kvm_event_num(0x40800000U));
	assert_false(proto_kvm_sdei_is_kvm_event_num(0x140400001ULL));
	assert_int_equal(PROTO_KVM_ARM_ASYNC_PF_CMD_SET_CONTROL + 1,
			 PROTO_KVM_ARM_ASYNC_PF_CMD_COUNT);
	/* The argument union overlays: a 64-bit write reads back through its twin. */
	memset(&cmd, 0, sizeof(cmd));
	cmd.control = 0x123456789ABCDEF0ULL;
	assert_int_equal(cmd.sdei, 0x123456789ABCDEF0ULL);
	assert_int_equal(offsetof(struct proto_kvm_arm_async_pf_cmd, control), 8);
}

static void test_proto_sdei_version_and_range(void **state)
{
	__u64 v = proto_sdei_version_make(1, 1, 0x4b564d);

	(void)state;
	assert_int_equal(v, 0x00010001004b564dULL);
	assert_int_equal(proto_sdei_version_major(v), 1);
	assert_int_equal(proto_sdei_version_minor(v), 1);
	assert_int_equal(proto_sdei_version_vendor(v), 0x4b564d);
	/* The major field is 15 bits: bit 63 is not part of it. */
	assert_int_equal(proto_sdei_version_major(0xFFFF000000000000ULL), 0x7FFF);
	for (__u32 n = 0; n <= PROTO_SDEI_1_0_FN_SDEI_SHARED_RESET - PROTO_SDEI_1_0_FN_BASE; n++)
		assert_true(proto_sdei_is_sdei_fn(PROTO_SDEI_1_0_FN(n)));
	assert_true(proto_sdei_is_sdei_fn(0xC400003FU));
	assert_false(proto_sdei_is_sdei_fn(0xC400001FU));
	assert_false(proto_sdei_is_sdei_fn(0xC4000040U));
	/* The SMC32 twin of an SDEI ID is not an SDEI call. */
	assert_false(proto_sdei_is_sdei_fn(PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE & ~(1U << 30)));
	assert_int_equal(PROTO_SDEI_1_1_FN_SDEI_FEATURES, 0xC4000030U);
}

struct gic_case {
	__u32 intid;
	_Bool sgi, ppi, spi, special, eppi, espi;
};

static void test_proto_gic_intid_classes_at_edges(void **state)
{
	static const struct gic_case cases[] = {
		{ 0, 1, 0, 0, 0, 0, 0 },    { 15, 1, 0, 0, 0, 0, 0 },   { 16, 0, 1, 0, 0, 0, 0 },
		{ 31, 0, 1, 0, 0, 0, 0 },   { 32, 0, 0, 1, 0, 0, 0 },   { 1019, 0, 0, 1, 0, 0, 0 },
		{ 1020, 0, 0, 0, 1, 0, 0 }, { 1023, 0, 0, 0, 1, 0, 0 }, { 1024, 0, 0, 0, 0, 0, 0 },
		{ 1055, 0, 0, 0, 0, 0, 0 }, { 1056, 0, 0, 0, 0, 1, 0 }, { 1119, 0, 0, 0, 0, 1, 0 },
		{ 1120, 0, 0, 0, 0, 0, 0 }, { 4095, 0, 0, 0, 0, 0, 0 }, { 4096, 0, 0, 0, 0, 0, 1 },
		{ 5119, 0, 0, 0, 0, 0, 1 }, { 5120, 0, 0, 0, 0, 0, 0 }, { 8192, 0, 0, 0, 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct gic_case *c = &cases[i];

		assert_int_equal(proto_gic_intid_is_sgi(c->intid), c->sgi);
		assert_int_equal(proto_gic_intid_is_ppi(c->intid), c->ppi);
		assert_int_equal(proto_gic_intid_is_spi(c->intid), c->spi);
		assert_int_equal(proto_gic_intid_is_special(c->intid), c->special);
		assert_int_equal(proto_gic_intid_is_eppi(c->intid), c->eppi);
		assert_int_equal(proto_gic_intid_is_espi(c->intid), c->espi);
		assert_int_equal(proto_gic_intid_is_private(c->intid), c->sgi || c->ppi || c->eppi);
	}
	assert_true(proto_gic_intid_is_special(PROTO_GIC_INTID_SPURIOUS));
}

static void test_proto_xen_hypercall_page_geometry(void **state)
{
	(void)state;
	assert_int_equal(PROTO_XEN_HYPERCALL_STUB_COUNT, 128);
	assert_int_equal(proto_xen_hypercall_stub_offset(0), 0);
	assert_int_equal(proto_xen_hypercall_stub_offset(PROTO___HYPERVISOR_xen_version), 17 * 32);
	assert_int_equal(proto_xen_hypercall_stub_offset(PROTO_XEN_HYPERCALL_STUB_COUNT - 1) +
				 PROTO_XEN_HYPERCALL_STUB_SIZE,
			 PROTO_XEN_HYPERCALL_PAGE_SIZE);
	assert_true(PROTO___HYPERVISOR_arch_7 < PROTO_XEN_HYPERCALL_STUB_COUNT);
	assert_int_equal(PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME, 512);
	assert_int_equal(PROTO_EVTCHN_2L_NR_CHANNELS, 64 * 64);
	/* domid_t fields are 16 bits wide everywhere. */
	assert_int_equal(sizeof(((struct proto_evtchn_alloc_unbound *)0)->remote_dom), 2);
	assert_int_equal(PROTO_DOMID_SELF, PROTO_DOMID_FIRST_RESERVED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proto_smccc_ids_decode_to_their_fields),
		cmocka_unit_test(test_proto_smccc_call_val_round_trips),
		cmocka_unit_test(test_proto_smccc_kvm_feature_bitmap_selects_bits),
		cmocka_unit_test(test_proto_async_pf_version_fields),
		cmocka_unit_test(test_proto_apf_control_word_round_trips),
		cmocka_unit_test(test_proto_apf_token_round_trips),
		cmocka_unit_test(test_proto_apf_constants_hold_protocol_values),
		cmocka_unit_test(test_proto_sdei_version_and_range),
		cmocka_unit_test(test_proto_gic_intid_classes_at_edges),
		cmocka_unit_test(test_proto_xen_hypercall_page_geometry),
	};

	return cmocka_run_group_tests_name("proto_abi", tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Goal: every function of the KVM vendor-hypervisor service and every
 * ASYNC_PF sub-function answers v4's results for good and bad arguments
 * [R§2.2, R§2.3, R§4.8], with the fixed host's stricter answers where v4
 * was wrong (H5, H9, H10, H12), and the VMM command interface answers as
 * the series' ioctl [R§4.11] (H11). Method: a scripted guest task makes raw
 * HVCs (x0..x3 as given, including junk in SMC32 upper halves) and checks
 * a0..a3 and the host's state; the VMM calls run before the run (no
 * execution) and from a host thread.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "apf_world.h"
#include "check_support.h"
#include "proto/apf.h"
#include "proto/smccc.h"

#define NOT_SUPPORTED ((uint64_t)(int64_t)PROTO_SMCCC_RET_NOT_SUPPORTED)
#define NOT_REQUIRED ((uint64_t)(int64_t)PROTO_SMCCC_RET_NOT_REQUIRED)
#define INVALID ((uint64_t)(int64_t)PROTO_SMCCC_RET_INVALID_PARAMETER)
#define SUCCESS ((uint64_t)PROTO_SMCCC_RET_SUCCESS)
#define ENABLED PROTO_KVM_ASYNC_PF_ENABLED

static void run_one(struct apf_world_config *config,
		    void (*fn)(struct apf_world *w, uint32_t vcpu, void *arg))
{
	struct apf_world w;

	apf_world_init(&w, config);
	apf_world_spawn(&w, 0, "guest", fn, NULL);
	apf_world_run_clean(&w);
	apf_world_destroy(&w);
}

/* ---- CALL_UID, FEATURES, PTP, unknown IDs ---- */

static void task_uid_features(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint64_t a[4];

	(void)vcpu;
	(void)arg;
	APF_CHECK(w, apf_hvc(w, PROTO_ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, 0, 0, 0, a) ==
		     PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0);
	APF_CHECK(w, a[1] == PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1);
	APF_CHECK(w, a[2] == PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2);
	APF_CHECK(w, a[3] == PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3);
	/* FEATURES, PTP and ASYNC_PF: 0x7; the other words 0. */
	APF_CHECK(w, apf_hvc(w, PROTO_ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID, 0, 0, 0, a) == 0x7);
	APF_CHECK(w, a[1] == 0 && a[2] == 0 && a[3] == 0);
	{
		const __u64 words[4] = { a[0], a[1], a[2], a[3] };

		APF_CHECK(w, proto_smccc_kvm_feature_test(words, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF));
	}
	/* PTP: the time now, split into halves; a bad counter is refused. */
	APF_CHECK(w, apf_hvc(w, PROTO_ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID,
			     PROTO_KVM_PTP_VIRT_COUNTER, 0, 0, a) != NOT_SUPPORTED);
	APF_CHECK(w, ((a[0] << 32) | a[1]) == ((a[2] << 32) | a[3]));
	APF_CHECK(w, ((a[0] << 32) | a[1]) > 0);
	APF_CHECK(w, apf_hvc(w, PROTO_ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID, 7, 0, 0, a) ==
		     NOT_SUPPORTED);
	/* Unknown vendor function, SMC64 form of ASYNC_PF: no service answers. */
	APF_CHECK(w, apf_hvc(w, 0x86000003, 0, 0, 0, a) == NOT_SUPPORTED);
	APF_CHECK(w, a[1] == 0 && a[2] == 0 && a[3] == 0);
	APF_CHECK(w, apf_hvc(w, 0xC6000002, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION, 0, 0, a) ==
		     NOT_SUPPORTED);
	/* KVM answers SMCCC_ARCH_FEATURES only for its workarounds. */
	APF_CHECK(w, apf_hvc(w, PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
			     PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID, 0, 0, a) ==
		     NOT_SUPPORTED);
}

START_TEST(test_host_hvc_uid_features_ptp_unknown)
{
	struct apf_world_config config = { .seed = 1 };

	run_one(&config, task_uid_features);
}
END_TEST

/* vCPU 1 has no async-PF state: FEATURES lacks bit 2, ASYNC_PF is refused. */
static void task_absent(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint64_t a[4];

	(void)arg;
	if (vcpu == 0) {
		APF_CHECK(w, apf_hvc(w, PROTO_ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID, 0, 0, 0,
				     a) == 0x7);
		return;
	}
	APF_CHECK(w, apf_hvc(w, PROTO_ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID, 0, 0, 0, a) ==
		     0x3);
	for (uint64_t sub = 0; sub <= 6; sub++) {
		APF_CHECK(w, apf_call(w, sub, 0, 0, a) == NOT_SUPPORTED);
		APF_CHECK(w, a[1] == 0);
	}
	APF_CHECK(w, apf_enable(w, apf_world_block(vcpu) | ENABLED) == NOT_SUPPORTED);
	APF_CHECK(w, !apf_state(w, vcpu).present);
}

START_TEST(test_host_hvc_vcpu_without_async_pf)
{
	struct apf_world_config config = { .seed = 2, .vcpu_count = 2 };
	struct proto_kvm_arm_async_pf_cmd cmd = { .cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_GET_SDEI };
	struct apf_world w;

	config.kvm.apf_absent_vcpu_mask = 1u << 1;
	apf_world_init(&w, &config);
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 1, &cmd), -EPERM);
	apf_world_spawn(&w, 0, "guest0", task_absent, NULL);
	apf_world_spawn(&w, 1, "guest1", task_absent, NULL);
	apf_world_run_clean(&w);
	apf_world_destroy(&w);
}
END_TEST

/* ---- VERSION, SLOTS, SDEI, IRQ, IRQ_ACK, unknown ---- */

static void task_queries(struct apf_world *w, uint32_t vcpu, void *arg)
{
	bool vmm_set = arg == NULL;
	uint64_t a[4];

	(void)vcpu;
	APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION, 0, 0, a) == SUCCESS);
	APF_CHECK(w, a[1] == 0x010000 && a[2] == 0 && a[3] == 0);
	APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SLOTS, 0, 0, a) == SUCCESS);
	APF_CHECK(w, a[1] == 64);
	APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SDEI, 0, 0, a) == SUCCESS);
	APF_CHECK(w, a[1] == (vmm_set ? PROTO_KVM_SDEI_ASYNC_PF_NUM : 0));
	APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ, 0, 0, a) == SUCCESS);
	APF_CHECK(w, a[1] == (vmm_set ? APF_WORLD_PPI : 0));
	/* IRQ_ACK with nothing pending: a successful no-op. */
	APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK, 0, 0, a) == SUCCESS);
	APF_CHECK(w, apf_stats(w, 0).irq_ack == 1);
	/* Unknown sub-functions, also with junk above bit 31 of x1. */
	APF_CHECK(w, apf_call(w, 6, 0, 0, a) == NOT_SUPPORTED);
	APF_CHECK(w, apf_call(w, 0xffffffff, 0, 0, a) == NOT_SUPPORTED);
	APF_CHECK(w, apf_call(w, (1ull << 32) | PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION, 0, 0,
			      a) == SUCCESS);
	/* Without an SDEI event or PPI, ENABLE is refused. */
	if (!vmm_set)
		APF_CHECK(w, apf_enable(w, apf_world_block(0) | ENABLED) == INVALID);
}

START_TEST(test_host_hvc_queries_with_vmm_values)
{
	struct apf_world_config config = { .seed = 3 };

	run_one(&config, task_queries);
}
END_TEST

static void task_queries_unset(struct apf_world *w, uint32_t vcpu, void *arg)
{
	(void)arg;
	task_queries(w, vcpu, (void *)1);
}

START_TEST(test_host_hvc_queries_without_vmm_values)
{
	struct apf_world_config config = { .seed = 4, .no_vmm_setup = true };

	run_one(&config, task_queries_unset);
}
END_TEST

/* ---- ENABLE ---- */

static void task_enable(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint64_t block = apf_world_block(0);
	struct kvm_sim_apf_state state;

	(void)vcpu;
	(void)arg;
	apf_world_boot(w, false);
	/* Disable while disabled: nothing to do. */
	APF_CHECK(w, apf_enable(w, 0) == NOT_REQUIRED);
	/* Outside guest memory: the cache cannot map it. */
	APF_CHECK(w, apf_enable(w, 0x1000 | ENABLED) == NOT_SUPPORTED);
	/* Undefined flag bits 2..5 (H10). */
	APF_CHECK(w, apf_enable(w, block | ENABLED | (1u << 2)) == INVALID);
	APF_CHECK(w, apf_enable(w, block | ENABLED | (1u << 5)) == INVALID);
	APF_CHECK(w, !apf_state(w, 0).enabled);
	/* Enable; the same again is NOT_REQUIRED. */
	APF_CHECK(w, apf_enable(w, block | ENABLED) == SUCCESS);
	apf_wait_wakeall(w, 0, 1);
	state = apf_state(w, 0);
	APF_CHECK(w, state.enabled && state.control == (block | ENABLED));
	APF_CHECK(w, state.send_user_only);
	APF_CHECK(w, apf_enable(w, block | ENABLED) == NOT_REQUIRED);
	/* Disable, again, re-enable. */
	APF_CHECK(w, apf_enable(w, block) == SUCCESS);
	APF_CHECK(w, !apf_state(w, 0).enabled);
	APF_CHECK(w, apf_enable(w, 0) == NOT_REQUIRED);
	APF_CHECK(w, apf_enable(w, block | ENABLED) == SUCCESS);
	apf_wait_wakeall(w, 0, 2);
	/* SEND_ALWAYS is accepted but ignored: user mode only (H12). */
	APF_CHECK(w, apf_enable(w, 0) == SUCCESS);
	APF_CHECK(w, apf_enable(w, block | ENABLED | PROTO_KVM_ASYNC_PF_SEND_ALWAYS) == SUCCESS);
	apf_wait_wakeall(w, 0, 3);
	APF_CHECK(w, apf_state(w, 0).send_user_only);
	/* Junk in the upper half of x2 does not reach the GPA (H9). */
	APF_CHECK(w, apf_enable(w, 0) == SUCCESS);
	APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE,
			      (0xdeadbeefull << 32) | (block | ENABLED), 0, NULL) == SUCCESS);
	apf_wait_wakeall(w, 0, 4);
	APF_CHECK(w, apf_state(w, 0).control == (block | ENABLED));
	/* ... and x3 carries the high word. */
	APF_CHECK(w, apf_enable(w, 0) == SUCCESS);
	APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE, block | ENABLED, 1, NULL) ==
		     NOT_SUPPORTED);
}

START_TEST(test_host_hvc_enable_results)
{
	struct apf_world_config config = { .seed = 5 };

	run_one(&config, task_enable);
}
END_TEST

/* A different block while enabled moves the registration (H5). */
static void task_enable_move(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint64_t moved = apf_world_block(5);
	uint32_t reason, token;

	(void)vcpu;
	(void)arg;
	apf_world_boot(w, true);
	w->block[0] = moved;
	APF_CHECK(w, apf_enable(w, moved | ENABLED) == SUCCESS);
	APF_CHECK(w, apf_state(w, 0).control == (moved | ENABLED));
	/* The wake-all of the new registration is posted at the new block. */
	apf_slot(w, 5, &reason, &token);
	APF_CHECK(w, reason == PROTO_KVM_PV_REASON_PAGE_READY &&
		     token == PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL);
	apf_slot(w, 0, &reason, &token);
	APF_CHECK(w, reason == 0 && token == 0);
	APF_CHECK(w, apf_stats(w, 0).wakeall == 2);
}

START_TEST(test_host_hvc_enable_moves_registration)
{
	struct apf_world_config config = { .seed = 6 };

	run_one(&config, task_enable_move);
}
END_TEST

/* An event the VMM does not expose cannot be used (v4: notifier refused). */
static void task_enable_unexposed(struct apf_world *w, uint32_t vcpu, void *arg)
{
	(void)vcpu;
	(void)arg;
	APF_CHECK(w, apf_enable(w, apf_world_block(0) | ENABLED) == NOT_SUPPORTED);
	APF_CHECK(w, !apf_state(w, 0).enabled);
}

START_TEST(test_host_hvc_enable_unexposed_event)
{
	struct apf_world_config config = { .seed = 7 };
	struct proto_kvm_arm_async_pf_cmd cmd = {
		.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_SDEI, .sdei = PROTO_KVM_SDEI_DEFAULT_NUM,
	};
	struct apf_world w;

	apf_world_init(&w, &config);
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), 0);
	apf_world_spawn(&w, 0, "guest", task_enable_unexposed, NULL);
	apf_world_run_clean(&w);
	apf_world_destroy(&w);
}
END_TEST

/* ---- The VMM command interface ---- */

START_TEST(test_host_vmm_commands)
{
	struct apf_world_config config = { .seed = 8, .no_vmm_setup = true };
	struct proto_kvm_arm_async_pf_cmd cmd;
	struct apf_world w;

	apf_world_init(&w, &config);
	cmd = (struct proto_kvm_arm_async_pf_cmd){ .cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_GET_VERSION };
	ck_assert_int_eq(kvm_sim_vm_apf_command(w.kvm, &cmd), 0);
	ck_assert_uint_eq(cmd.version, 0x010000);
	/* GET_VERSION is a VM command; the others are vCPU commands. */
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), -EINVAL);
	cmd.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_GET_SDEI;
	ck_assert_int_eq(kvm_sim_vm_apf_command(w.kvm, &cmd), -EINVAL);
	cmd.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_COUNT;
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), -EINVAL);
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 7, &cmd), -EINVAL);
	/* Never set: zeros. */
	cmd = (struct proto_kvm_arm_async_pf_cmd){ .cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_GET_IRQ };
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), 0);
	ck_assert_uint_eq(cmd.irq, 0);
	/* SET_IRQ accepts PPIs only (H11). */
	cmd = (struct proto_kvm_arm_async_pf_cmd){ .cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_IRQ };
	cmd.irq = 5;
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), -EINVAL);
	cmd.irq = 32;
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), -EINVAL);
	cmd.irq = 31;
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), 0);
	cmd = (struct proto_kvm_arm_async_pf_cmd){ .cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_GET_IRQ };
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), 0);
	ck_assert_uint_eq(cmd.irq, 31);
	/* SET_CONTROL without an SDEI event: refused as -EIO. */
	cmd = (struct proto_kvm_arm_async_pf_cmd){
		.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_CONTROL,
		.control = apf_world_block(0) | ENABLED,
	};
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), -EIO);
	cmd = (struct proto_kvm_arm_async_pf_cmd){
		.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_SDEI, .sdei = PROTO_KVM_SDEI_ASYNC_PF_NUM,
	};
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), 0);
	cmd = (struct proto_kvm_arm_async_pf_cmd){
		.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_CONTROL,
		.control = apf_world_block(0) | ENABLED,
	};
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), 0);
	/* The same again: NOT_REQUIRED becomes -EIO. */
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), -EIO);
	cmd = (struct proto_kvm_arm_async_pf_cmd){ .cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_GET_CONTROL };
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), 0);
	ck_assert_uint_eq(cmd.control, apf_world_block(0) | ENABLED);
	/* Disable again before the run ends: the wake-all is dropped with it. */
	cmd = (struct proto_kvm_arm_async_pf_cmd){ .cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_CONTROL };
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 0, &cmd), 0);
	ck_assert_uint_eq(apf_state(&w, 0).queued, 0);
	apf_world_destroy(&w);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("host-hypercalls");
	TCase *tcase = tcase_create("hypercalls");

	tcase_add_test(tcase, test_host_hvc_uid_features_ptp_unknown);
	tcase_add_test(tcase, test_host_hvc_vcpu_without_async_pf);
	tcase_add_test(tcase, test_host_hvc_queries_with_vmm_values);
	tcase_add_test(tcase, test_host_hvc_queries_without_vmm_values);
	tcase_add_test(tcase, test_host_hvc_enable_results);
	tcase_add_test(tcase, test_host_hvc_enable_moves_registration);
	tcase_add_test(tcase, test_host_hvc_enable_unexposed_event);
	tcase_add_test(tcase, test_host_vmm_commands);
	suite_add_tcase(suite, tcase);
	return support_run_suite(suite);
}

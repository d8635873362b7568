// SPDX-License-Identifier: MIT
/*
 * Goal: each of v4's latent host bugs that hostlib fixes stays fixed; every
 * test here fails when its "fix: H<n>" hunk is reverted to v4's code
 * (docs/host.md, "Fixes"). H4, H7 are in test_host_lifecycle.c, H5, H9,
 * H10, H11 in test_host_hypercalls.c.
 *   H1  a failed SDEI injection is rolled back (slot, flag) [R§4.5, R§9.3]
 *   H2  a refault on a gfn being paged in waits in the host [R§4.3, R§9.4]
 *   H3  no page-ready for a page-not-present the guest never got [R§4.6]
 *   H6  no busy WFI while a page-ready awaits its IRQ_ACK [R§4.10, R§9.10]
 *   H8  ENABLE starts an idle channel: a stale slot does not block it
 *       [R§9.11, R§10.25]
 *   H12 SEND_ALWAYS does not make kernel-mode faults asynchronous [R§9.14]
 * Method: scripted guests that provoke each situation, with assertions on
 * the guest-visible slot, the host's counters and the guest's log.
 */
#include <check.h>
#include <stdlib.h>

#include "apf_world.h"
#include "check_support.h"
#include "proto/apf.h"
#include "proto/smccc.h"

#define USER_WRITE (SIM_MEMORY_ACCESS_WRITE | SIM_MEMORY_ACCESS_USER)
#define ENABLED PROTO_KVM_ASYNC_PF_ENABLED
#define SUCCESS ((uint64_t)PROTO_SMCCC_RET_SUCCESS)

/* ---- H1 and H3: the PE is masked, so the SDEI cannot be injected ---- */

static void task_masked_pe(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct kvm_sim_apf_state state;
	uint32_t rounds = 0;
	int ret;

	(void)arg;
	apf_world_boot(w, true);
	ret = apf_touch_once(w, apf_world_page(2), USER_WRITE);
	APF_CHECK(w, ret == SIM_STAGE2_ASYNC);
	state = apf_state(w, vcpu);
	/* H1: nothing of the failed notification is left behind. */
	APF_CHECK(w, state.slot_reason == 0 && state.slot_token == 0);
	APF_CHECK(w, !state.notpresent_pending);
	APF_CHECK(w, state.channel == KVM_SIM_APF_IDLE);
	/* The work is queued and its gfn hashed: the refault waits for it. */
	APF_CHECK(w, state.queued == 1 && state.hash_count == 1);
	APF_CHECK(w, apf_touch(w, apf_world_page(2), &rounds) != SIM_STAGE2_SYNC);
	/* A second page is still asynchronous: the channel was not blocked. */
	APF_CHECK(w, apf_touch_once(w, apf_world_page(3), USER_WRITE) == SIM_STAGE2_ASYNC);
	APF_CHECK(w, apf_touch(w, apf_world_page(3), NULL) != SIM_STAGE2_SYNC);
}

START_TEST(test_host_fix_h1_h3_injection_failure_rolled_back_and_silent)
{
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct apf_world_config config = { .seed = seed, .no_sdei_unmask = true };
		struct kvm_sim_apf_stats stats;
		struct apf_world w;

		apf_world_init(&w, &config);
		apf_world_spawn(&w, 0, "task", task_masked_pe, NULL);
		apf_world_run_clean(&w);
		stats = apf_stats(&w, 0);
		ck_assert_uint_eq(stats.async_fault, 2);
		ck_assert_uint_eq(stats.notpresent, 0);
		ck_assert_uint_eq(stats.notpresent_fail, 2);
		/* H3: the completions were not announced. */
		ck_assert_uint_eq(stats.pageready, 0);
		ck_assert_uint_eq(stats.suppressed, 2);
		ck_assert_uint_eq(w.unknown_pr_count, 0);
		ck_assert_uint_eq(w.guest[0].unknown_token_count, 0);
		ck_assert_uint_eq(apf_log_count(&w, APF_LOG_PR, 0), 1); /* the wake-all only */
		apf_world_destroy(&w);
	}
}
END_TEST

/* ---- H2: the guest does not park the task (table full, R§10.7) ---- */

static void task_no_park(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint32_t *rounds = arg;

	apf_world_boot(w, true);
	w->guest[vcpu].sdei_no_park = true;
	APF_CHECK(w, apf_touch(w, apf_world_page(7), rounds) != SIM_STAGE2_SYNC);
}

START_TEST(test_host_fix_h2_refault_waits_in_host)
{
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct apf_world_config config = {
			.seed = seed, .pagein_ticks_min = 2000, .pagein_ticks_max = 3000,
		};
		struct kvm_sim_apf_stats stats;
		uint32_t rounds = 0;
		struct apf_world w;

		apf_world_init(&w, &config);
		apf_world_spawn(&w, 0, "task", task_no_park, &rounds);
		apf_world_run_clean(&w);
		stats = apf_stats(&w, 0);
		/*
		 * The refault waits in the host until the page is in, and the
		 * access then completes. v4 refaults every few ticks for the
		 * whole page-in.
		 */
		ck_assert_uint_le(rounds, 3);
		ck_assert_uint_ge(stats.refault_halt, 1);
		ck_assert_uint_le(stats.refault_spin, 1);
		ck_assert_uint_eq(stats.async_fault, 1);
		apf_world_destroy(&w);
	}
}
END_TEST

/* ---- H6: a page-ready the guest cannot take yet must not spin the vCPU ---- */

struct wfi_probe {
	bool faults_done;
	uint64_t entries_idle;
};

static void task_fault_then_park(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint64_t page = (uintptr_t)arg;

	(void)vcpu;
	APF_CHECK(w, apf_touch(w, apf_world_page(page), NULL) >= 0);
}

static void task_boot_then_mask_ppi(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct wfi_probe *probe = w->user;

	(void)arg;
	apf_world_boot(w, true);
	/* The guest driver disabled its PPI (e.g. on the way offline). */
	APF_CHECK(w, sim_gic_set_enabled(w->gic, vcpu, APF_WORLD_PPI, false) == 0);
	apf_world_spawn(w, vcpu, "fault-a", task_fault_then_park, (void *)(uintptr_t)11);
	apf_world_spawn(w, vcpu, "fault-b", task_fault_then_park, (void *)(uintptr_t)12);
	probe->faults_done = true;
}

static void vmm_watch_wfi(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct wfi_probe *probe = w->user;
	uint64_t before;
	uint32_t round;

	(void)vcpu;
	(void)arg;
	for (round = 0; round < 100000; round++) {
		struct kvm_sim_apf_state state = apf_state(w, 0);

		/* Both pages in: one page-ready posted, one completion behind it. */
		if (probe->faults_done && state.pageready_pending && state.done_count >= 1)
			break;
		apf_sleep(50);
	}
	APF_CHECK(w, round < 100000);
	/* Both tasks are parked: vCPU 0 sits in WFI. */
	before = sim_platform_stats(w->platform)->host_entry_count;
	apf_sleep(20000);
	probe->entries_idle = sim_platform_stats(w->platform)->host_entry_count - before;
	/* Let the guest take the page-ready now. */
	APF_CHECK(w, sim_gic_set_enabled(w->gic, 0, APF_WORLD_PPI, true) == 0);
	sim_vcpu_kick(w->sim, 0);
}

START_TEST(test_host_fix_h6_no_busy_wfi_while_page_ready_unacked)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct apf_world_config config = {
			.seed = seed, .pagein_ticks_min = 100, .pagein_ticks_max = 200,
		};
		struct wfi_probe probe = { 0 };
		struct apf_world w;

		config.kshim.workqueue_worker_count = 2;
		apf_world_init(&w, &config);
		w.user = &probe;
		apf_world_spawn(&w, 0, "boot", task_boot_then_mask_ppi, NULL);
		apf_world_spawn_vmm(&w, "vmm", vmm_watch_wfi, NULL);
		apf_world_run_clean(&w);
		/* v4 re-entered the host at every step of the 20000 ticks. */
		ck_assert_uint_le(probe.entries_idle, 10);
		ck_assert_uint_eq(apf_stats(&w, 0).pageready, 2);
		ck_assert_int_eq(apf_state(&w, 0).channel, KVM_SIM_APF_IDLE);
		apf_world_destroy(&w);
	}
}
END_TEST

/* ---- H8: a stale slot at ENABLE (an earlier life of the guest) ---- */

static void task_stale_slot(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint64_t block = apf_world_block(vcpu);

	(void)arg;
	apf_world_boot(w, false);
	/* Left over by a kernel that was kexec'd or reset without a clear. */
	APF_CHECK(w, sim_memory_write_u32(w->memory, block + 4, 0x5001, "test: stale token") == 0);
	APF_CHECK(w, sim_memory_write_u32(w->memory, block, PROTO_KVM_PV_REASON_PAGE_READY,
					  "test: stale reason") == 0);
	APF_CHECK(w, apf_enable(w, block | ENABLED) == SUCCESS);
	/* The wake-all is posted: the channel started from IDLE. */
	apf_wait_wakeall(w, vcpu, 1);
	APF_CHECK(w, apf_touch(w, apf_world_page(9), NULL) == SIM_MEMORY_TOUCH_RESIDENT);
}

START_TEST(test_host_fix_h8_enable_clears_a_stale_slot)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct apf_world_config config = { .seed = seed };
		struct apf_world w;

		apf_world_init(&w, &config);
		apf_world_spawn(&w, 0, "task", task_stale_slot, NULL);
		apf_world_run_clean(&w);
		ck_assert_uint_eq(apf_stats(&w, 0).wakeall, 1);
		ck_assert_uint_eq(apf_stats(&w, 0).async_fault, 1);
		ck_assert_uint_eq(apf_log_count(&w, APF_LOG_PR_BAD, 0), 0);
		apf_world_destroy(&w);
	}
}
END_TEST

/* ---- H12: SEND_ALWAYS and a fault in kernel mode ---- */

static void task_send_always(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint64_t block = apf_world_block(vcpu);

	(void)arg;
	apf_world_boot(w, false);
	APF_CHECK(w, apf_enable(w, block | ENABLED | PROTO_KVM_ASYNC_PF_SEND_ALWAYS) == SUCCESS);
	apf_wait_wakeall(w, vcpu, 1);
	/* An EL1 access: no SDEI into the kernel, a synchronous page-in. */
	APF_CHECK(w, apf_touch_once(w, apf_world_page(5), SIM_MEMORY_ACCESS_WRITE) ==
		     SIM_STAGE2_SYNC);
	/* EL0 is still asynchronous. */
	APF_CHECK(w, apf_touch(w, apf_world_page(6), NULL) == SIM_MEMORY_TOUCH_RESIDENT);
}

START_TEST(test_host_fix_h12_send_always_is_ignored)
{
	struct apf_world_config config = { .seed = 3 };
	struct kvm_sim_apf_stats stats;
	struct apf_world w;

	apf_world_init(&w, &config);
	apf_world_spawn(&w, 0, "task", task_send_always, NULL);
	apf_world_run_clean(&w);
	stats = apf_stats(&w, 0);
	ck_assert_uint_eq(stats.sync_fault, 1);
	ck_assert_uint_eq(stats.async_fault, 1);
	ck_assert_uint_eq(w.guest[0].sdei_count, 1);
	apf_world_destroy(&w);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("host-fixes");
	TCase *tcase = tcase_create("fixes");

	tcase_set_timeout(tcase, 240);
	tcase_add_test(tcase, test_host_fix_h1_h3_injection_failure_rolled_back_and_silent);
	tcase_add_test(tcase, test_host_fix_h2_refault_waits_in_host);
	tcase_add_test(tcase, test_host_fix_h6_no_busy_wfi_while_page_ready_unacked);
	tcase_add_test(tcase, test_host_fix_h8_enable_clears_a_stale_slot);
	tcase_add_test(tcase, test_host_fix_h12_send_always_is_ignored);
	suite_add_tcase(suite, tcase);
	return support_run_suite(suite);
}

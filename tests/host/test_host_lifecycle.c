// SPDX-License-Identifier: MIT
/*
 * Goal: disable, vCPU reset (PSCI CPU_OFF then CPU_ON), SYSTEM_RESET and a
 * migration save/restore in the middle of traffic leave no stale host
 * state (queue, hash, flags, PPI line, registration), and the guest's
 * waiters are released by the wake-all of the next enable [R§4.8, R§4.11,
 * R§10.11, R§10.17-20, R§10.25]. Covers fixes H4 (reset) and H7 (disable);
 * each test fails with its hunk reverted. Method: scripted guests park
 * tasks on outstanding faults, then a control task or the VMM changes the
 * vCPU's life while works and notifications are in flight; the host's
 * state is checked right after, and the run must end with every task done.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "apf_world.h"
#include "check_support.h"
#include "proto/apf.h"
#include "proto/psci.h"
#include "proto/smccc.h"

#define ENABLED PROTO_KVM_ASYNC_PF_ENABLED
#define SUCCESS ((uint64_t)PROTO_SMCCC_RET_SUCCESS)
#define WAIT_ROUNDS 100000u

struct lifecycle {
	bool booted[SIM_VCPU_COUNT_MAX];
	uint32_t tasks[8];
	uint32_t task_count;
	bool checked;
	bool disabling;
	uint32_t trapped_while_disabling;
};

static void wait_until(struct apf_world *w, bool (*cond)(struct apf_world *w, uint32_t vcpu),
		       uint32_t vcpu)
{
	uint32_t round;

	for (round = 0; round < WAIT_ROUNDS && !cond(w, vcpu); round++)
		apf_sleep(20);
	APF_CHECK(w, round < WAIT_ROUNDS);
}

static bool cond_booted(struct apf_world *w, uint32_t vcpu)
{
	return ((struct lifecycle *)w->user)->booted[vcpu];
}

static bool cond_all_parked(struct apf_world *w, uint32_t vcpu)
{
	struct lifecycle *lc = w->user;

	(void)vcpu;
	for (uint32_t i = 0; i < lc->task_count; i++) {
		if (!w->parked[lc->tasks[i]])
			return false;
	}
	return lc->task_count > 0;
}

static bool cond_pageready(struct apf_world *w, uint32_t vcpu)
{
	return apf_state(w, vcpu).pageready_pending;
}

static void task_fault(struct apf_world *w, uint32_t vcpu, void *arg)
{
	wait_until(w, cond_booted, vcpu);
	APF_CHECK(w, apf_touch(w, apf_world_page((uintptr_t)arg), NULL) >= 0);
}

/* The host keeps nothing for @vcpu: queue, hash, flags, PPI line. */
static void check_clean(struct apf_world *w, uint32_t vcpu)
{
	struct kvm_sim_apf_state state = apf_state(w, vcpu);

	APF_CHECK(w, state.queued == 0);
	APF_CHECK(w, state.queue_count == 0 && state.done_count == 0);
	APF_CHECK(w, state.hash_count == 0);
	APF_CHECK(w, !state.notpresent_pending && !state.pageready_pending);
	APF_CHECK(w, !state.dequeue_blocked);
	APF_CHECK(w, !state.line_level);
}

static uint32_t spawn_faults(struct apf_world *w, struct lifecycle *lc, uint32_t vcpu,
			     uint32_t count, uint64_t first_page)
{
	for (uint32_t i = 0; i < count; i++)
		lc->tasks[lc->task_count++] = apf_world_spawn(w, vcpu, "fault", task_fault,
							      (void *)(uintptr_t)(first_page + i));
	return count;
}

static void run_lifecycle(uint64_t seed, uint32_t vcpu_count,
			  void (*control)(struct apf_world *w, uint32_t vcpu, void *arg),
			  uint32_t control_vcpu, uint32_t fault_vcpu, uint32_t fault_count,
			  struct apf_world *w)
{
	struct apf_world_config config = {
		.seed = seed, .vcpu_count = vcpu_count, .pagein_ticks_min = 2000,
		.pagein_ticks_max = 4000,
	};
	struct lifecycle *lc = calloc(1, sizeof(*lc));

	ck_assert_ptr_nonnull(lc);
	config.kshim.workqueue_worker_count = 4;
	apf_world_init(w, &config);
	w->user = lc;
	apf_world_spawn(w, control_vcpu, "control", control, NULL);
	spawn_faults(w, lc, fault_vcpu, fault_count, 20);
	apf_world_run_clean(w);
	ck_assert(lc->checked);
	ck_assert_uint_eq(apf_waiter_count(w), 0);
}

static void run_done(struct apf_world *w)
{
	free(w->user);
	apf_world_destroy(w);
}

/* ---- Disable with works outstanding, then enable (R§10.17, H7) ---- */

static void control_disable_outstanding(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct lifecycle *lc = w->user;
	uint64_t pageready;
	uint32_t reason, token;

	(void)arg;
	apf_world_boot(w, true);
	lc->booted[vcpu] = true;
	wait_until(w, cond_all_parked, vcpu);
	pageready = apf_stats(w, vcpu).pageready;
	APF_CHECK(w, apf_enable(w, 0) == SUCCESS);
	check_clean(w, vcpu);
	apf_slot(w, vcpu, &reason, &token);
	APF_CHECK(w, reason == 0 && token == 0);
	/* Nobody is told while disabled; the waiters stay parked. */
	apf_sleep(10000);
	APF_CHECK(w, apf_stats(w, vcpu).pageready == pageready);
	APF_CHECK(w, apf_waiter_count(w) == lc->task_count);
	APF_CHECK(w, apf_state(w, vcpu).queued == 0);
	/* The wake-all of the next enable releases them. */
	APF_CHECK(w, apf_enable(w, apf_world_block(vcpu) | ENABLED) == SUCCESS);
	apf_wait_wakeall(w, vcpu, 2);
	lc->checked = true;
}

START_TEST(test_host_lifecycle_disable_with_works_outstanding)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct apf_world w;

		run_lifecycle(seed, 1, control_disable_outstanding, 0, 0, 3, &w);
		ck_assert_uint_eq(apf_stats(&w, 0).wakeall, 2);
		ck_assert_int_eq(apf_state(&w, 0).channel, KVM_SIM_APF_IDLE);
		run_done(&w);
	}
}
END_TEST

/* ---- Disable while a page-ready is posted (R§10.18, H7) ---- */

static void control_disable_pageready(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct lifecycle *lc = w->user;
	uint32_t reason, token;

	(void)arg;
	apf_world_boot(w, true);
	APF_CHECK(w, sim_gic_set_enabled(w->gic, vcpu, APF_WORLD_PPI, false) == 0);
	lc->booted[vcpu] = true;
	wait_until(w, cond_pageready, vcpu);
	APF_CHECK(w, apf_state(w, vcpu).line_level);
	APF_CHECK(w, apf_enable(w, 0) == SUCCESS);
	/* The line, the flag and the slot are gone with the registration. */
	check_clean(w, vcpu);
	apf_slot(w, vcpu, &reason, &token);
	APF_CHECK(w, reason == 0 && token == 0);
	APF_CHECK(w, apf_state(w, vcpu).channel == KVM_SIM_APF_IDLE);
	APF_CHECK(w, sim_gic_set_enabled(w->gic, vcpu, APF_WORLD_PPI, true) == 0);
	APF_CHECK(w, apf_enable(w, apf_world_block(vcpu) | ENABLED) == SUCCESS);
	apf_wait_wakeall(w, vcpu, 2);
	lc->checked = true;
}

START_TEST(test_host_lifecycle_disable_while_page_ready_posted)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct apf_world w;

		run_lifecycle(seed, 1, control_disable_pageready, 0, 0, 1, &w);
		ck_assert_uint_eq(apf_log_count(&w, APF_LOG_PR_BAD, 0), 0);
		run_done(&w);
	}
}
END_TEST

/* ---- Disable sleeps for a running work while another task traps ---- */

static void task_busy_trap(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct lifecycle *lc = w->user;
	uint32_t round;

	(void)arg;
	wait_until(w, cond_all_parked, vcpu);
	/* Runs when the control task sleeps in cancel_work_sync(), and traps. */
	for (round = 0; round < WAIT_ROUNDS && !lc->disabling; round++)
		sim_resched();
	lc->trapped_while_disabling += lc->disabling;
	APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION, 0, 0, NULL) ==
		     SUCCESS);
}

static void control_disable_while_trapping(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct lifecycle *lc = w->user;

	(void)arg;
	apf_world_boot(w, true);
	lc->booted[vcpu] = true;
	wait_until(w, cond_all_parked, vcpu);
	lc->disabling = true;
	APF_CHECK(w, apf_enable(w, 0) == SUCCESS);
	lc->disabling = false;
	check_clean(w, vcpu);
	APF_CHECK(w, apf_enable(w, apf_world_block(vcpu) | ENABLED) == SUCCESS);
	lc->checked = true;
}

START_TEST(test_host_lifecycle_disable_while_another_task_traps)
{
	uint32_t trapped = 0;

	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct apf_world_config config = {
			.seed = seed, .pagein_ticks_min = 2000, .pagein_ticks_max = 4000,
		};
		struct lifecycle lc;
		struct apf_world w;

		memset(&lc, 0, sizeof(lc));
		config.kshim.workqueue_worker_count = 4;
		apf_world_init(&w, &config);
		w.user = &lc;
		apf_world_spawn(&w, 0, "control", control_disable_while_trapping, NULL);
		spawn_faults(&w, &lc, 0, 2, 20);
		apf_world_spawn(&w, 0, "busy", task_busy_trap, NULL);
		apf_world_run_clean(&w);
		ck_assert(lc.checked);
		trapped += lc.trapped_while_disabling;
		apf_world_destroy(&w);
	}
	/* The interleaving the test is about did occur. */
	ck_assert_uint_gt(trapped, 0);
}
END_TEST

/* ---- PSCI CPU_OFF then CPU_ON: the vCPU reset (R§10.20, H4) ---- */

static bool cond_vcpu1_off(struct apf_world *w, uint32_t vcpu)
{
	(void)vcpu;
	return !sim_vcpu_online(w->sim, 1);
}

static void control_cpu_off_on(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct lifecycle *lc = w->user;
	struct kvm_sim_apf_state state;

	(void)arg;
	if (vcpu == 1) {
		/* vCPU 1: boot, keep a page-ready pending, power off. */
		apf_world_boot(w, true);
		APF_CHECK(w, sim_gic_set_enabled(w->gic, 1, APF_WORLD_PPI, false) == 0);
		lc->booted[1] = true;
		wait_until(w, cond_pageready, 1);
		APF_CHECK(w, apf_hvc(w, PROTO_PSCI_0_2_FN_CPU_OFF, 0, 0, 0, NULL) == 0);
		return;
	}
	/* vCPU 0: power vCPU 1 back on; the host resets its state. */
	wait_until(w, cond_vcpu1_off, 0);
	APF_CHECK(w, apf_hvc(w, PROTO_PSCI_0_2_FN64_CPU_ON, 1, 0x2000, 0, NULL) == 0);
	state = apf_state(w, 1);
	APF_CHECK(w, state.control == 0 && !state.enabled);
	check_clean(w, 1);
	/* The host does not write the old block after a reset (kexec). */
	APF_CHECK(w, state.slot_valid == false);
	/* The guest's own recovery: its waiters died with that CPU. */
	apf_release_all(w, 1);
	lc->checked = true;
}

START_TEST(test_host_lifecycle_cpu_off_on_resets_host_state)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct apf_world_config config = {
			.seed = seed, .vcpu_count = 2, .pagein_ticks_min = 2000,
			.pagein_ticks_max = 4000,
		};
		struct lifecycle lc;
		struct apf_world w;

		memset(&lc, 0, sizeof(lc));
		apf_world_init(&w, &config);
		w.user = &lc;
		apf_world_spawn(&w, 1, "control1", control_cpu_off_on, NULL);
		apf_world_spawn(&w, 0, "control0", control_cpu_off_on, NULL);
		spawn_faults(&w, &lc, 1, 2, 30);
		apf_world_run_clean(&w);
		ck_assert(lc.checked);
		ck_assert_uint_eq(sim_platform_stats(w.platform)->vcpu_reset_count, 1);
		ck_assert(sim_vcpu_online(w.sim, 1));
		apf_world_destroy(&w);
	}
}
END_TEST

/* ---- SYSTEM_RESET (R§10.20, H4) ---- */

static void control_system_reset(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct lifecycle *lc = w->user;

	(void)arg;
	apf_world_boot(w, true);
	lc->booted[vcpu] = true;
	wait_until(w, cond_all_parked, vcpu);
	APF_CHECK(w, apf_hvc(w, PROTO_PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0, NULL) == 0);
	APF_CHECK(w, w->system_event_count == 1);
	for (uint32_t v = 0; v < w->config.vcpu_count; v++) {
		APF_CHECK(w, apf_state(w, v).control == 0);
		check_clean(w, v);
	}
	apf_release_all(w, UINT32_MAX);
	lc->checked = true;
}

START_TEST(test_host_lifecycle_system_reset)
{
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct apf_world w;

		run_lifecycle(seed, 2, control_system_reset, 0, 0, 2, &w);
		ck_assert_uint_eq(sim_platform_stats(w.platform)->vcpu_reset_count, 2);
		run_done(&w);
	}
}
END_TEST

/* ---- Migration: save and restore in the middle of traffic ---- */

struct migration {
	bool booted[SIM_VCPU_COUNT_MAX];
	uint64_t delay_ticks;
	struct kvm_sim_apf_saved saved[SIM_VCPU_COUNT_MAX];
	bool done;
	uint32_t mid_flight; /* works outstanding when the VMM saved */
};

static void task_mig_boot(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct migration *m = w->user;

	(void)arg;
	apf_world_boot(w, true);
	m->booted[vcpu] = true;
}

static void task_mig_fault(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct migration *m = w->user;
	uintptr_t first = (uintptr_t)arg;
	uint32_t round;

	for (round = 0; round < WAIT_ROUNDS && !m->booted[vcpu]; round++)
		sim_yield();
	for (uint64_t p = 0; p < 3; p++)
		APF_CHECK(w, apf_touch(w, apf_world_page(first + p), NULL) >= 0);
}

static void vmm_migrate(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct migration *m = w->user;

	(void)vcpu;
	(void)arg;
	apf_sleep(m->delay_ticks);
	for (uint32_t v = 0; v < w->config.vcpu_count; v++) {
		m->mid_flight += apf_state(w, v).queued;
		APF_CHECK(w, kvm_sim_vcpu_apf_save(w->kvm, v, &m->saved[v]) == 0);
	}
	for (uint32_t v = 0; v < w->config.vcpu_count; v++) {
		if (!m->booted[v])
			continue;
		APF_CHECK(w, m->saved[v].control == (apf_world_block(v) | ENABLED));
		APF_CHECK(w, m->saved[v].sdei == PROTO_KVM_SDEI_ASYNC_PF_NUM);
		APF_CHECK(w, m->saved[v].irq == APF_WORLD_PPI);
		APF_CHECK(w, kvm_sim_vcpu_apf_restore(w->kvm, v, &m->saved[v]) == 0);
		APF_CHECK(w, apf_state(w, v).enabled);
		APF_CHECK(w, apf_state(w, v).token_counter == 0 || apf_state(w, v).queued > 0);
	}
	m->done = true;
}

START_TEST(test_host_lifecycle_migration_mid_flight)
{
	uint32_t mid_flight = 0;

	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct apf_world_config config = {
			.seed = seed, .vcpu_count = 2, .pagein_ticks_min = 200,
			.pagein_ticks_max = 2000,
		};
		struct migration m = { .delay_ticks = 400 + 97 * seed };
		struct apf_world w;

		config.kshim.workqueue_worker_count = 4;
		apf_world_init(&w, &config);
		w.user = &m;
		for (uint32_t v = 0; v < 2; v++) {
			apf_world_spawn(&w, v, "boot", task_mig_boot, NULL);
			for (uintptr_t t = 0; t < 3; t++)
				apf_world_spawn(&w, v, "fault", task_mig_fault,
						(void *)(1 + (v * 3 + t) * 3));
		}
		apf_world_spawn_vmm(&w, "vmm", vmm_migrate, NULL);
		apf_world_run_clean(&w);
		ck_assert(m.done);
		mid_flight += m.mid_flight;
		for (uint32_t v = 0; v < 2; v++) {
			struct kvm_sim_apf_state state = apf_state(&w, v);

			ck_assert_uint_ge(apf_stats(&w, v).wakeall, 2);
			ck_assert_int_eq(state.channel, KVM_SIM_APF_IDLE);
			ck_assert_uint_eq(state.queued, 0);
			ck_assert_uint_eq(state.hash_count, 0);
			ck_assert(!state.line_level);
		}
		ck_assert_uint_eq(apf_log_count(&w, APF_LOG_PR_BAD, UINT32_MAX), 0);
		ck_assert_uint_eq(apf_log_count(&w, APF_LOG_NP_BAD, UINT32_MAX), 0);
		ck_assert_uint_eq(apf_waiter_count(&w), 0);
		apf_world_destroy(&w);
	}
	/* The saves did happen with works in flight. */
	ck_assert_uint_gt(mid_flight, 0);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("host-lifecycle");
	TCase *tcase = tcase_create("lifecycle");

	tcase_set_timeout(tcase, 240);
	tcase_add_test(tcase, test_host_lifecycle_disable_with_works_outstanding);
	tcase_add_test(tcase, test_host_lifecycle_disable_while_page_ready_posted);
	tcase_add_test(tcase, test_host_lifecycle_disable_while_another_task_traps);
	tcase_add_test(tcase, test_host_lifecycle_cpu_off_on_resets_host_state);
	tcase_add_test(tcase, test_host_lifecycle_system_reset);
	tcase_add_test(tcase, test_host_lifecycle_migration_mid_flight);
	suite_add_tcase(suite, tcase);
	return support_run_suite(suite);
}

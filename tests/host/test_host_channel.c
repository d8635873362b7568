// SPDX-License-Identifier: MIT
/*
 * Goal: the per-vCPU notification channel goes only through the states and
 * transitions of R§4.12: IDLE -> NP_POSTED (fault) -> NP_RUNNING (SDEI
 * delivered) -> IDLE (guest clears); NP_POSTED -> IDLE when the work
 * completes before the SDEI was dispatched (cancel, R§10.2: no SDEI, no
 * PPI, the guest's table untouched); IDLE -> PR_POSTED (dequeue) -> IDLE
 * (clear + IRQ_ACK), possibly straight back to PR_POSTED (back-to-back,
 * R§10.5). Method: (1) a fault taken inside an IRQ handler (an SGI the task
 * sends itself) is not dispatched at the exit, so NP_POSTED is observable
 * right after the access; whether the SDEI or the completion wins is up to
 * the schedule, so seeds are swept until both outcomes were seen; (2) a
 * workload of several tasks and pages, where the guest's handlers record the
 * channel the host shows at their entry, and the log is checked against
 * the table afterwards; across seeds back-to-back page-ready must occur.
 */
#include <check.h>
#include <stdlib.h>

#include "apf_world.h"
#include "check_support.h"
#include "proto/apf.h"

#define USER_WRITE (SIM_MEMORY_ACCESS_WRITE | SIM_MEMORY_ACCESS_USER)

struct posted {
	bool done;
	uint32_t token;
	int result;
	struct kvm_sim_apf_state state;
};

/* In the SGI handler: a user access that faults; the SDEI cannot be taken yet. */
static void hook_fault_in_handler(struct apf_world *w, uint32_t vcpu)
{
	struct posted *posted = w->user;

	posted->result = apf_touch_once(w, apf_world_page(4), USER_WRITE);
	posted->state = apf_state(w, vcpu);
	posted->token = posted->state.notpresent_token;
	posted->done = true;
}

static void task_np_posted(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct posted *posted = w->user;
	uint32_t self = sim_self_id();
	uint32_t round;

	(void)arg;
	apf_world_boot(w, true);
	w->sgi_hook = hook_fault_in_handler;
	apf_send_sgi(w, vcpu);
	for (round = 0; round < 100000 && !posted->done; round++)
		sim_yield();
	APF_CHECK(w, posted->done);
	/* Until the SDEI is dispatched or cancelled the slot stays busy. */
	for (round = 0; round < 100000 && apf_stats(w, vcpu).cancel == 0 &&
			w->guest[vcpu].sdei_count == 0; round++)
		sim_yield();
	/* Parked if the SDEI won; wait for the page-ready then. */
	for (round = 0; round < 100000 && w->parked[self] && !w->released[self]; round++)
		sim_yield();
	w->parked[self] = false;
	APF_CHECK(w, apf_touch(w, apf_world_page(4), NULL) == SIM_MEMORY_TOUCH_RESIDENT);
}

START_TEST(test_host_channel_np_posted_then_delivered_or_cancelled)
{
	uint32_t delivered = 0, cancelled = 0;

	for (uint64_t seed = 1; seed <= 60 && (delivered == 0 || cancelled == 0); seed++) {
		struct apf_world_config config = {
			.seed = seed, .pagein_ticks_min = 0, .pagein_ticks_max = 12,
		};
		struct posted posted = { 0 };
		struct kvm_sim_apf_stats stats;
		struct apf_world w;

		apf_world_init(&w, &config);
		w.user = &posted;
		apf_world_spawn(&w, 0, "task", task_np_posted, NULL);
		apf_world_run_clean(&w);
		/* Right after the access: posted, SDEI queued, nothing delivered. */
		ck_assert_int_eq(posted.result, SIM_STAGE2_ASYNC);
		ck_assert_int_eq(posted.state.channel, KVM_SIM_APF_NP_POSTED);
		ck_assert(posted.state.notpresent_pending);
		ck_assert_uint_eq(posted.state.slot_reason, PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT);
		ck_assert_uint_eq(posted.state.slot_token, posted.token);
		stats = apf_stats(&w, 0);
		ck_assert_uint_eq(stats.async_fault, 1);
		if (stats.cancel == 1) {
			/* The work won: no SDEI, no page-ready, no waiter, slot clear. */
			cancelled++;
			ck_assert_uint_eq(apf_log_count(&w, APF_LOG_NP, 0), 0);
			ck_assert_uint_eq(stats.pageready, 0);
			ck_assert_uint_eq(w.guest[0].sdei_count, 0);
			ck_assert_uint_eq(apf_waiter_count(&w), 0);
		} else {
			/* The SDEI won: NP_RUNNING at its entry, then one page-ready. */
			delivered++;
			ck_assert_uint_eq(stats.cancel, 0);
			ck_assert_uint_eq(apf_log_count(&w, APF_LOG_NP, 0), 1);
			ck_assert_int_eq(w.log[1].kind, APF_LOG_NP);
			ck_assert_int_eq(w.log[1].channel, KVM_SIM_APF_NP_RUNNING);
			ck_assert_uint_eq(w.log[1].token, posted.token);
			ck_assert_uint_eq(stats.pageready, 1);
			ck_assert_uint_eq(apf_log_count(&w, APF_LOG_PR, 0), 2);
		}
		ck_assert_int_eq(apf_state(&w, 0).channel, KVM_SIM_APF_IDLE);
		ck_assert_uint_eq(w.unknown_pr_count, 0);
		apf_world_destroy(&w);
	}
	ck_assert_uint_gt(delivered, 0);
	ck_assert_uint_gt(cancelled, 0);
}
END_TEST

/* ---- A workload: every entry of the log fits the table ---- */

#define WORKLOAD_TASKS_PER_VCPU 4u
#define WORKLOAD_PAGES_PER_TASK 4u

static void task_boot(struct apf_world *w, uint32_t vcpu, void *arg)
{
	bool *booted = arg;

	apf_world_boot(w, true);
	booted[vcpu] = true;
}

static void task_worker(struct apf_world *w, uint32_t vcpu, void *arg)
{
	const bool *booted = w->user;
	uintptr_t index = (uintptr_t)arg;
	uint32_t round;

	for (round = 0; round < 100000 && !booted[vcpu]; round++)
		sim_yield();
	for (uint32_t p = 0; p < WORKLOAD_PAGES_PER_TASK; p++) {
		uint64_t page = 1 + index * WORKLOAD_PAGES_PER_TASK + p;

		APF_CHECK(w, apf_touch(w, apf_world_page(page), NULL) >= 0);
	}
}

static void check_log(const struct apf_world *w)
{
	for (uint32_t i = 0; i < w->log_count; i++) {
		const struct apf_log_entry *e = &w->log[i];
		uint32_t pr_count = 0;

		ck_assert_msg(e->kind == APF_LOG_NP || e->kind == APF_LOG_PR,
			      "log %u: kind %d", i, e->kind);
		if (e->kind == APF_LOG_NP) {
			ck_assert_int_eq(e->channel, KVM_SIM_APF_NP_RUNNING);
			for (uint32_t j = i + 1; j < w->log_count; j++)
				pr_count += w->log[j].kind == APF_LOG_PR &&
					    w->log[j].vcpu == e->vcpu && w->log[j].token == e->token;
			ck_assert_uint_le(pr_count, 1);
		} else {
			ck_assert_int_eq(e->channel, KVM_SIM_APF_PR_POSTED);
		}
	}
}

static void run_workload(uint32_t vcpu_count, uint64_t seed, uint32_t *rearm)
{
	struct apf_world_config config = {
		.seed = seed, .vcpu_count = vcpu_count, .pagein_ticks_min = 5,
		.pagein_ticks_max = 300,
	};
	bool booted[SIM_VCPU_COUNT_MAX] = { false };
	struct apf_world w;

	config.kshim.workqueue_worker_count = 4;
	apf_world_init(&w, &config);
	w.user = booted;
	for (uint32_t v = 0; v < vcpu_count; v++) {
		apf_world_spawn(&w, v, "boot", task_boot, booted);
		for (uintptr_t t = 0; t < WORKLOAD_TASKS_PER_VCPU; t++)
			apf_world_spawn(&w, v, "task", task_worker,
					(void *)(v * WORKLOAD_TASKS_PER_VCPU + t));
	}
	apf_world_run_clean(&w);
	check_log(&w);
	ck_assert_uint_eq(w.unknown_pr_count, 0);
	ck_assert_uint_eq(apf_waiter_count(&w), 0);
	for (uint32_t v = 0; v < vcpu_count; v++) {
		struct kvm_sim_apf_state state = apf_state(&w, v);

		ck_assert_int_eq(state.channel, KVM_SIM_APF_IDLE);
		ck_assert_uint_eq(state.queued, 0);
		ck_assert_uint_eq(state.hash_count, 0);
		ck_assert(!state.line_level);
		ck_assert_uint_eq(w.guest[v].unknown_token_count, 0);
	}
	*rearm += w.ack_rearm_count;
	apf_world_destroy(&w);
}

START_TEST(test_host_channel_workload_follows_the_table)
{
	uint32_t rearm = 0;

	for (uint64_t seed = 1; seed <= 6; seed++) {
		run_workload(1, seed, &rearm);
		run_workload(2, seed + 100, &rearm);
	}
	/* Back-to-back: IRQ_ACK posted the next page-ready at once. */
	ck_assert_uint_gt(rearm, 0);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("host-channel");
	TCase *tcase = tcase_create("channel");

	tcase_set_timeout(tcase, 240);
	tcase_add_test(tcase, test_host_channel_np_posted_then_delivered_or_cancelled);
	tcase_add_test(tcase, test_host_channel_workload_follows_the_table);
	suite_add_tcase(suite, tcase);
	return support_run_suite(suite);
}

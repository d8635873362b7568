// SPDX-License-Identifier: MIT
/*
 * Goal: a vCPU has at most ASYNC_PF_PER_VCPU = 64 asynchronous faults
 * outstanding; the 65th is paged in synchronously, and everything resolves
 * afterwards [R§4.5, R§10.6]. Method: 65 tasks on one vCPU touch distinct
 * swapped-out pages whose page-in is much longer than the time all the
 * faults take; each of the first 64 is parked by the guest (its slot cleared
 * so the next fault may be posted), the 65th gets SYNC back. The host's
 * queue never exceeds 64 and its gfn hash follows the queue.
 */
#include <check.h>
#include <stdlib.h>

#include "apf_world.h"
#include "check_support.h"

#define TASKS 65u

struct limits {
	bool booted;
	uint32_t started;
	uint32_t sync_count;
	uint32_t queued_seen_max;
	uint32_t hash_seen_max;
};

static void task_boot(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct limits *limits = w->user;

	(void)vcpu;
	(void)arg;
	apf_world_boot(w, true);
	limits->booted = true;
}

static void task_one_page(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct limits *limits = w->user;
	uint64_t page = 1 + (uintptr_t)arg;
	struct kvm_sim_apf_state state;
	uint32_t round;
	int ret;

	/* sim_resched(): the tasks share vCPU 0, let the others run. */
	for (round = 0; round < 100000 && !limits->booted; round++)
		sim_resched();
	/* One task at a time, in order: task n faults with n works outstanding. */
	for (round = 0; round < 100000 && limits->started != (uintptr_t)arg; round++)
		sim_resched();
	APF_CHECK(w, limits->started == (uintptr_t)arg);
	limits->started++;
	ret = apf_touch_once(w, apf_world_page(page), SIM_MEMORY_ACCESS_WRITE |
			     SIM_MEMORY_ACCESS_USER);
	state = apf_state(w, vcpu);
	if (state.queued > limits->queued_seen_max)
		limits->queued_seen_max = state.queued;
	if (state.hash_count > limits->hash_seen_max)
		limits->hash_seen_max = state.hash_count;
	APF_CHECK(w, state.queued <= 64);
	if ((uintptr_t)arg < 64) {
		APF_CHECK(w, ret == SIM_STAGE2_ASYNC);
	} else {
		APF_CHECK(w, ret == SIM_STAGE2_SYNC);
		limits->sync_count++;
	}
	/* Parked by the guest's SDEI handler: wait for the page-ready first. */
	apf_park_wait(w);
	APF_CHECK(w, apf_touch(w, apf_world_page(page), NULL) >= 0);
}

START_TEST(test_host_limits_65th_fault_is_synchronous)
{
	for (uint64_t seed = 1; seed <= 2; seed++) {
		struct apf_world_config config = {
			.seed = seed, .page_count = 128, .pagein_ticks_min = 400000,
			.pagein_ticks_max = 500000,
		};
		struct limits limits = { 0 };
		struct kvm_sim_apf_stats stats;
		struct apf_world w;

		config.kshim.workqueue_worker_count = 16;
		apf_world_init(&w, &config);
		w.user = &limits;
		apf_world_spawn(&w, 0, "boot", task_boot, NULL);
		for (uintptr_t t = 0; t < TASKS; t++)
			apf_world_spawn(&w, 0, "task", task_one_page, (void *)t);
		apf_world_run_clean(&w);
		stats = apf_stats(&w, 0);
		ck_assert_uint_eq(limits.sync_count, 1);
		ck_assert_uint_eq(limits.queued_seen_max, 64);
		ck_assert_uint_eq(limits.hash_seen_max, 64);
		ck_assert_uint_eq(stats.queued_max, 64);
		ck_assert_uint_eq(stats.async_fault, 64);
		ck_assert_uint_eq(stats.sync_fault, 1);
		ck_assert_uint_eq(stats.notpresent, 64);
		ck_assert_uint_eq(stats.pageready, 64);
		ck_assert_uint_eq(apf_state(&w, 0).queued, 0);
		ck_assert_uint_eq(apf_state(&w, 0).hash_count, 0);
		apf_world_destroy(&w);
	}
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("host-limits");
	TCase *tcase = tcase_create("limits");

	tcase_set_timeout(tcase, 240);
	tcase_add_test(tcase, test_host_limits_65th_fault_is_synchronous);
	suite_add_tcase(suite, tcase);
	return support_run_suite(suite);
}

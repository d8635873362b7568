// SPDX-License-Identifier: MIT
/*
 * Goal: the scripted guest and the host half complete one asynchronous fault
 * end to end. Method: one vCPU boots (SDEI, PPI, ENABLE), touches a
 * swapped-out page; the host posts page-not-present, the guest parks the
 * task, the worker pages in, the host posts page-ready, the guest wakes the
 * task, which retries and completes.
 */
#include <check.h>
#include <stdlib.h>

#include "apf_world.h"
#include "check_support.h"

static void task_one_fault(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint32_t rounds = 0;

	(void)arg;
	apf_world_boot(w, true);
	APF_CHECK(w, apf_touch(w, apf_world_page(3), &rounds) == SIM_MEMORY_TOUCH_RESIDENT);
	APF_CHECK(w, rounds == 2);
	(void)vcpu;
}

START_TEST(test_host_smoke_one_async_fault)
{
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct apf_world_config config = { .seed = seed };
		struct apf_world w;
		struct kvm_sim_apf_stats stats;

		apf_world_init(&w, &config);
		apf_world_spawn(&w, 0, "task", task_one_fault, NULL);
		apf_world_run_clean(&w);
		stats = apf_stats(&w, 0);
		ck_assert_uint_eq(stats.async_fault, 1);
		ck_assert_uint_eq(stats.notpresent, 1);
		ck_assert_uint_eq(stats.pageready, 1);
		ck_assert_uint_eq(apf_log_count(&w, APF_LOG_NP, 0), 1);
		ck_assert_uint_eq(apf_log_count(&w, APF_LOG_PR, 0), 2); /* wake-all, then the page */
		ck_assert_int_eq(apf_state(&w, 0).channel, KVM_SIM_APF_IDLE);
		ck_assert_uint_eq(apf_state(&w, 0).queued, 0);
		apf_world_destroy(&w);
	}
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("host-smoke");
	TCase *tcase = tcase_create("smoke");

	tcase_add_test(tcase, test_host_smoke_one_async_fault);
	suite_add_tcase(suite, tcase);
	return support_run_suite(suite);
}

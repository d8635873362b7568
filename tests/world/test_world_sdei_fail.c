// SPDX-License-Identifier: MIT
/*
 * Goal: the `sdei-fail` injection (WORLD_INJECT_SDEI_FAIL,
 * kvm_sim_config.sdei_fail_ratio) makes the host's SDEI injection of
 * page-not-present fail as KVM's can (-EPERM: event not ready, PE masked
 * [R§10.15]); the failures are counted (kvm_sim_apf_stats.sdei_inject_failed)
 * and the fixed host rolls each one back (H1: slot cleared, no page-ready
 * later, H3) so that no stale state is left: every oracle stays silent,
 * every task finishes, and with every injection failing the channel is free
 * again after each failure (more failures than vCPUs, no task ever parked).
 * Without the injection bit, or once the liveness phase starts, nothing
 * fails. Method: whole executions under random and PCT over several seeds;
 * the names, the config check and the runtime setter on chosen values.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/kvm.h"
#include "sim/strategy.h"
#include "sim/world.h"
#include "check_support.h"

struct outcome {
	struct kvm_sim_apf_stats host;
	uint64_t guest_parked;
	uint64_t trace_hash;
	uint32_t tasks_finished;
	uint32_t task_count;
	uint32_t vcpu_count;
};

static void run_one(uint64_t seed, const char *strategy_name, bool inject, struct sim_ratio ratio,
		    struct outcome *out)
{
	struct world_config config;
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_strategy *strategy;
	struct world *world;
	char error[256] = "";

	world_config_default(&config);
	config.seed = seed;
	config.vcpu_count = 2;
	config.task_count = 6;
	config.touch_count = 6;
	config.page_count = 32;
	config.nonresident_ratio = (struct sim_ratio){ 1, 1 };
	/* Injections are on while events run: one event far beyond the
	 * workload's end keeps them on for the whole workload (it never fires:
	 * the event task stops once every user task is done). */
	config.events.count = 1;
	config.events.class_mask = 1u << WORLD_EVENT_HOTPLUG;
	config.events.gap_ticks_min = 10000000;
	config.events.gap_ticks_max = 10000000;
	config.inject_mask = inject ? WORLD_INJECT_SDEI_FAIL : 0;
	config.sdei_fail_ratio = ratio;
	ck_assert_int_eq(sim_strategy_create(strategy_name, &strategy_config, &strategy), 0);
	ck_assert_msg(world_create(&world, &config, strategy, error, sizeof(error)) == 0, "%s",
		      error);
	ck_assert_int_eq(world_run(world), 0);
	support_assert_no_finding(sim_result(world_sim(world)), seed);
	out->host = world_stats(world)->host;
	out->guest_parked = world_stats(world)->guest_parked;
	out->trace_hash = sim_result(world_sim(world))->trace_hash;
	out->tasks_finished = world_stats(world)->tasks_finished;
	out->task_count = config.task_count;
	out->vcpu_count = config.vcpu_count;
	world_destroy(world);
	sim_strategy_destroy(strategy);
}

START_TEST(names_and_checks)
{
	struct world_config config;
	char error[256] = "";

	ck_assert_uint_eq(WORLD_INJECT_SDEI_FAIL, 1u << 2);
	ck_assert_uint_eq(world_inject_parse("sdei-fail"), WORLD_INJECT_SDEI_FAIL);
	ck_assert_str_eq(world_inject_name(2), "sdei-fail");
	ck_assert_ptr_null(world_inject_name(WORLD_INJECT_COUNT));
	world_config_default(&config);
	ck_assert_uint_eq(config.inject_mask & WORLD_INJECT_SDEI_FAIL, 0);
	ck_assert_uint_eq(config.kvm.sdei_fail_ratio.numerator, 0);
	ck_assert_int_eq(world_config_check(&config, error, sizeof(error)), 0);
	config.sdei_fail_ratio = (struct sim_ratio){ 3, 2 };
	ck_assert_int_eq(world_config_check(&config, error, sizeof(error)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(error, "sdei_fail_ratio"));
	config.sdei_fail_ratio = (struct sim_ratio){ 1, 0 };
	ck_assert_int_eq(world_config_check(&config, error, sizeof(error)), -EINVAL);
	ck_assert_int_eq(kvm_sim_set_sdei_fail(NULL, (struct sim_ratio){ 0, 0 }), -EINVAL);
}
END_TEST

START_TEST(failures_happen_are_counted_and_rolled_back)
{
	uint64_t failed = 0, suppressed = 0;

	for (uint64_t seed = 1; seed <= 12; seed++) {
		struct outcome o;

		run_one(seed, seed % 2 ? "random" : "pct", true, (struct sim_ratio){ 1, 3 }, &o);
		ck_assert_uint_eq(o.tasks_finished, o.task_count);
		/* Every drawn failure went through the host's rollback (no write
		 * fails here: the notpresent_fail counter has no other source). */
		ck_assert_uint_eq(o.host.notpresent_fail, o.host.sdei_inject_failed);
		failed += o.host.sdei_inject_failed;
		suppressed += o.host.suppressed;
		/* Page-not-present still gets through most of the time. */
		ck_assert_uint_gt(o.host.notpresent, 0);
	}
	ck_assert_uint_gt(failed, 12);
	/* The works of failed injections complete without a page-ready (H3). */
	ck_assert_uint_gt(suppressed, 0);
	ck_assert_uint_le(suppressed, failed);
}
END_TEST

START_TEST(every_injection_failing_leaves_no_stale_slot)
{
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct outcome o;

		run_one(seed, seed % 2 ? "pct" : "random", true, (struct sim_ratio){ 1, 1 }, &o);
		ck_assert_uint_eq(o.tasks_finished, o.task_count);
		ck_assert_uint_eq(o.host.notpresent, 0);
		ck_assert_uint_eq(o.host.pageready, 0);
		ck_assert_uint_eq(o.guest_parked, 0);
		/* A slot left NOT_PRESENT would close allowed() for good: at most
		 * one failure per vCPU. Rolled back, every later fault tries again. */
		ck_assert_uint_gt(o.host.sdei_inject_failed, 2u * o.vcpu_count);
		ck_assert_uint_eq(o.host.notpresent_fail, o.host.sdei_inject_failed);
		/* The faulting access waited in the host for its page (H2). */
		ck_assert_uint_gt(o.host.refault_halt + o.host.mapped_fault, 0);
	}
}
END_TEST

START_TEST(off_without_the_bit_and_reproducible)
{
	struct outcome a, b, c;

	/* The ratio alone does nothing without the injection bit. */
	run_one(3, "pct", false, (struct sim_ratio){ 1, 1 }, &a);
	ck_assert_uint_eq(a.host.sdei_inject_failed, 0);
	ck_assert_uint_eq(a.host.notpresent_fail, 0);
	ck_assert_uint_gt(a.host.notpresent, 0);
	/* The same seed gives the same execution, failures included. */
	run_one(5, "random", true, (struct sim_ratio){ 1, 2 }, &b);
	run_one(5, "random", true, (struct sim_ratio){ 1, 2 }, &c);
	ck_assert_uint_gt(b.host.sdei_inject_failed, 0);
	ck_assert_uint_eq(b.host.sdei_inject_failed, c.host.sdei_inject_failed);
	ck_assert_uint_eq(b.trace_hash, c.trace_hash);
}
END_TEST

static Suite *world_sdei_fail_suite(void)
{
	Suite *s = suite_create("world_sdei_fail");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, names_and_checks);
	tcase_add_test(tc, failures_happen_are_counted_and_rolled_back);
	tcase_add_test(tc, every_injection_failing_leaves_no_stale_slot);
	tcase_add_test(tc, off_without_the_bit_and_reproducible);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return support_run_suite(world_sdei_fail_suite());
}

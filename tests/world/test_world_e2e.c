// SPDX-License-Identifier: MIT
/*
 * Goal: the two halves work together end to end on 1, 2 and 4 vCPUs: the
 * guest kernel boots and enables async PF on every CPU through the simulated
 * KVM, user tasks fault on swapped-out pages, park, are woken by page-ready
 * and finish, each woken exactly once (by its token or a wake-all) with no
 * waiter left behind; the host takes faults asynchronously (and synchronously
 * when it must); nothing is left at the end (no leak, no pending work, no finding).
 * The same seed gives the same trace hash. With no-kvmapf every fault is
 * synchronous. Method: whole executions (sim/world) under random and PCT,
 * several seeds each; counters after the run.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/strategy.h"
#include "sim/world.h"
#include "check_support.h"

#define SEED_COUNT 12u

struct outcome {
	uint64_t trace_hash;
	struct world_stats stats;
};

static void run_one(const struct world_config *config, const char *strategy_name,
		    struct outcome *out)
{
	struct sim_strategy_config strategy_config = { .seed = config->seed };
	struct sim_strategy *strategy;
	struct world *world;
	char error[256] = "";

	ck_assert_int_eq(sim_strategy_create(strategy_name, &strategy_config, &strategy), 0);
	ck_assert_msg(world_create(&world, config, strategy, error, sizeof(error)) == 0, "%s",
		      error);
	ck_assert_int_eq(world_run(world), 0);
	support_assert_no_finding(sim_result(world_sim(world)), config->seed);
	out->trace_hash = sim_result(world_sim(world))->trace_hash;
	out->stats = *world_stats(world);
	world_destroy(world);
	sim_strategy_destroy(strategy);
}

static void check_complete(const struct world_config *config, const struct outcome *o)
{
	ck_assert(o->stats.booted);
	ck_assert(o->stats.torn_down);
	ck_assert_uint_eq(o->stats.tasks_finished, config->task_count);
	ck_assert_uint_eq(o->stats.touch_count,
			  (uint64_t)config->task_count * config->touch_count);
	/* Every parked task was woken exactly once: by its own token or by a
	 * wake-all; nobody is left in a table when the workload is done. */
	ck_assert_uint_eq(o->stats.waiters_left, 0);
	ck_assert_uint_eq(o->stats.guest_parked,
			  o->stats.guest_woken_by_token + o->stats.guest_woken_by_wake_all);
}

static void e2e(uint32_t vcpu_count)
{
	uint64_t async_faults = 0, page_ready = 0, parked = 0;

	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world_config config;
		struct outcome o;

		world_config_default(&config);
		config.seed = seed;
		config.vcpu_count = vcpu_count;
		config.task_count = 2 * vcpu_count + 2;
		config.touch_count = 6;
		config.page_count = 32;
		run_one(&config, seed % 2 ? "random" : "pct", &o);
		check_complete(&config, &o);
		ck_assert(o.stats.guest_apf_ready);
		async_faults += o.stats.host.async_fault;
		parked += o.stats.guest_parked;
		page_ready += o.stats.host.pageready;
		/* An access the host resumed without mapping is retried: it was
		 * an asynchronous fault (unless a worker paged it in before the
		 * host looked again), or a refault on an outstanding page that
		 * returned at once (spin) or whose wait (halt) ended before the
		 * page came in [R§4.3]. */
		ck_assert_uint_le(o.stats.async_count,
				  o.stats.host.async_fault + o.stats.host.refault_halt +
					  o.stats.host.refault_spin);
	}
	/* The seeds exercised the asynchronous path and its wake-ups. */
	ck_assert_uint_gt(async_faults, 0);
	ck_assert_uint_gt(page_ready, 0);
	ck_assert_uint_gt(parked, 0);
}

START_TEST(test_world_e2e_1_vcpu)
{
	e2e(1);
}
END_TEST

START_TEST(test_world_e2e_2_vcpus)
{
	e2e(2);
}
END_TEST

START_TEST(test_world_e2e_4_vcpus)
{
	e2e(4);
}
END_TEST

START_TEST(test_world_same_seed_same_trace)
{
	struct world_config config;
	struct outcome a, b;

	world_config_default(&config);
	config.seed = 7;
	config.vcpu_count = 2;
	run_one(&config, "random", &a);
	run_one(&config, "random", &b);
	ck_assert_uint_eq(a.trace_hash, b.trace_hash);
	ck_assert_uint_eq(a.stats.async_count, b.stats.async_count);
	ck_assert_uint_eq(a.stats.host.async_fault, b.stats.host.async_fault);
}
END_TEST

START_TEST(test_world_no_kvmapf_is_synchronous)
{
	struct world_config config;
	struct outcome o;

	world_config_default(&config);
	config.seed = 3;
	snprintf(config.cmdline, sizeof(config.cmdline), "no-kvmapf");
	run_one(&config, "random", &o);
	check_complete(&config, &o);
	ck_assert(!o.stats.guest_apf_ready);
	ck_assert_uint_eq(o.stats.async_count, 0);
	ck_assert_uint_eq(o.stats.host.async_fault, 0);
	ck_assert_uint_gt(o.stats.host.sync_fault, 0);
}
END_TEST

START_TEST(test_world_config_errors_name_the_field)
{
	struct world_config config;
	char error[256] = "";

	world_config_default(&config);
	config.vcpu_count = 0;
	ck_assert_int_eq(world_config_check(&config, error, sizeof(error)), -EINVAL);
	ck_assert_msg(strstr(error, "vcpus") != NULL, "%s", error);
	world_config_default(&config);
	config.ppi = 40;
	ck_assert_int_eq(world_config_check(&config, error, sizeof(error)), -EINVAL);
	ck_assert_msg(strstr(error, "ppi") != NULL, "%s", error);
	world_config_default(&config);
	config.write_ratio = (struct sim_ratio){ 3, 2 };
	ck_assert_int_eq(world_config_check(&config, error, sizeof(error)), -EINVAL);
	ck_assert_msg(strstr(error, "write_ratio") != NULL, "%s", error);
	world_config_default(&config);
	ck_assert_int_eq(world_config_check(&config, error, sizeof(error)), 0);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("world");
	TCase *tc = tcase_create("e2e");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_world_config_errors_name_the_field);
	tcase_add_test(tc, test_world_e2e_1_vcpu);
	tcase_add_test(tc, test_world_e2e_2_vcpus);
	tcase_add_test(tc, test_world_e2e_4_vcpus);
	tcase_add_test(tc, test_world_same_seed_same_trace);
	tcase_add_test(tc, test_world_no_kvmapf_is_synchronous);
	suite_add_tcase(suite, tc);
	return support_run_suite(suite);
}

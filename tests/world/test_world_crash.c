// SPDX-License-Identifier: MIT
/*
 * Goal: the world event class "crash" (sim/world/world_crash.c; bug zoo
 * entries 07 and 08) fires in each of its three kinds (vCPU reset with the
 * block at the same address, vCPU reset with the dead kernel's block
 * elsewhere, kexec in place with it elsewhere), and with the fixed protocol
 * halves nothing is reported over many seeds: every task finishes, no
 * table entry is left, and after every crash the host holds exactly the new
 * kernel's registration (enabled, at the driver's slot). It is refused on a
 * single CPU (cpuhp keeps the last CPU up), it parses by name, it runs in
 * schedule-draws mode, and the same seed gives the same trace.
 * Method: whole executions under random and PCT; the crash module's
 * process-wide counters (deltas) and the world's statistics.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "sim/strategy.h"
#include "sim/world.h"
#include "check_support.h"
#include "world_crash.h"

#define CRASH_SEEDS 24u

static void config_crash(struct world_config *config, uint64_t seed, uint32_t vcpus)
{
	world_config_default(config);
	config->seed = seed;
	config->vcpu_count = vcpus;
	config->task_count = 3 * vcpus;
	config->touch_count = 8;
	config->page_count = 48;
	config->nonresident_ratio = (struct sim_ratio){ 1, 1 };
	config->pagein_ticks_min = 500;
	config->pagein_ticks_max = 3000;
	config->events.count = 4;
	config->events.class_mask = 1u << WORLD_EVENT_CRASH;
	config->events.gap_ticks_min = 100;
	config->events.gap_ticks_max = 1200;
}

/* Run @config; returns its statistics and trace hash; asserts no finding. */
static void run_clean(const struct world_config *config, const char *strategy_name,
		      struct world_stats *stats, uint64_t *hash)
{
	struct sim_strategy_config strategy_config = { .seed = config->seed };
	struct sim_strategy *strategy;
	struct world *world;
	char error[256] = "";

	world_strategy_config(config, &strategy_config);
	ck_assert_int_eq(sim_strategy_create(strategy_name, &strategy_config, &strategy), 0);
	ck_assert_msg(world_create(&world, config, strategy, error, sizeof(error)) == 0, "%s",
		      error);
	ck_assert_int_eq(world_run(world), 0);
	support_assert_no_finding(sim_result(world_sim(world)), config->seed);
	*stats = *world_stats(world);
	if (hash != NULL)
		*hash = sim_result(world_sim(world))->trace_hash;
	world_destroy(world);
	sim_strategy_destroy(strategy);
}

START_TEST(class_is_named_crash)
{
	ck_assert_int_eq(world_event_class_parse("crash"), WORLD_EVENT_CRASH);
	ck_assert_str_eq(world_event_class_name(WORLD_EVENT_CRASH), "crash");
	ck_assert_uint_ne(WORLD_EVENT_CLASS_ALL & (1u << WORLD_EVENT_CRASH), 0);
}
END_TEST

START_TEST(every_kind_fires_and_the_fixed_system_stays_clean)
{
	struct world_crash_counts before = world_crash_counts(), after;
	uint64_t fired = 0;

	for (uint64_t seed = 1; seed <= CRASH_SEEDS; seed++) {
		struct world_config config;
		struct world_stats stats;

		config_crash(&config, seed, 2 + (uint32_t)(seed % 3));
		run_clean(&config, seed % 2 ? "random" : "pct", &stats, NULL);
		ck_assert_uint_eq(stats.tasks_finished, config.task_count);
		ck_assert_uint_eq(stats.touch_count,
				  (uint64_t)config.task_count * config.touch_count);
		ck_assert_uint_eq(stats.waiters_left, 0);
		ck_assert(stats.guest_apf_ready && stats.torn_down);
		fired += stats.events_fired[WORLD_EVENT_CRASH];
	}
	after = world_crash_counts();
	ck_assert_uint_gt(fired, CRASH_SEEDS);
	for (unsigned int k = 0; k < WORLD_CRASH_KIND_COUNT; k++)
		ck_assert_msg(after.fired[k] > before.fired[k], "crash kind %u never fired", k);
	/* After every crash the host holds the new kernel's slot, enabled. */
	ck_assert_uint_eq(after.host_checked - before.host_checked, fired);
	ck_assert_uint_eq(after.host_matched - before.host_matched, fired);
}
END_TEST

START_TEST(mixed_with_every_class_and_injection)
{
	uint64_t fired = 0;

	for (uint64_t seed = 101; seed <= 108; seed++) {
		struct world_config config;
		struct world_stats stats;

		config_crash(&config, seed, 3);
		config.events.count = 8;
		config.events.class_mask = WORLD_EVENT_CLASS_ALL;
		config.events.weight[WORLD_EVENT_CRASH] = 3;
		config.inject_mask = WORLD_INJECT_ALL;
		run_clean(&config, seed % 2 ? "random" : "pct", &stats, NULL);
		ck_assert_uint_eq(stats.tasks_finished, config.task_count);
		fired += stats.events_fired[WORLD_EVENT_CRASH];
	}
	ck_assert_uint_gt(fired, 0);
}
END_TEST

START_TEST(refused_on_a_single_cpu)
{
	struct world_crash_counts before = world_crash_counts(), after;
	struct world_config config;
	struct world_stats stats;

	config_crash(&config, 7, 1);
	run_clean(&config, "random", &stats, NULL);
	after = world_crash_counts();
	ck_assert_uint_eq(stats.events_fired[WORLD_EVENT_CRASH], 0);
	ck_assert_uint_gt(stats.events_refused, 0);
	ck_assert_uint_eq(after.refused - before.refused, stats.events_refused);
	ck_assert_uint_eq(stats.tasks_finished, config.task_count);
}
END_TEST

START_TEST(schedule_draws_and_same_seed_same_trace)
{
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct world_config config;
		struct world_stats first, second;
		uint64_t hash1, hash2;

		config_crash(&config, seed, 2);
		config.draws = seed % 2 ? WORLD_DRAWS_SCHEDULE : WORLD_DRAWS_SEED;
		run_clean(&config, "random", &first, &hash1);
		run_clean(&config, "random", &second, &hash2);
		ck_assert_uint_eq(hash1, hash2);
		ck_assert_uint_eq(first.events_fired[WORLD_EVENT_CRASH],
				  second.events_fired[WORLD_EVENT_CRASH]);
	}
}
END_TEST

static Suite *crash_suite(void)
{
	Suite *suite = suite_create("sim_world_crash");
	TCase *tc = tcase_create("crash");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, class_is_named_crash);
	tcase_add_test(tc, every_kind_fires_and_the_fixed_system_stays_clean);
	tcase_add_test(tc, mixed_with_every_class_and_injection);
	tcase_add_test(tc, refused_on_a_single_cpu);
	tcase_add_test(tc, schedule_draws_and_same_seed_same_trace);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return support_run_suite(crash_suite());
}

// SPDX-License-Identifier: MIT
/*
 * Goal: PCT always runs the highest-priority eligible thread; initial
 * priorities are distinct (d .. d+m-1 over the m threads seen); d-1 distinct
 * change points lie in [1, k] and each drops the running thread to d-i;
 * threads that appear mid-execution land at a random place; n and k are
 * estimated from the previous execution when not configured; everything is
 * reproducible from the seeds. Method: synthetic struct sim_pick inputs
 * drawn from the test's own PRNG, checked against the priorities the
 * strategy reveals through its test accessor (strategy_private.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sim/limits.h"
#include "sim/prng.h"
#include "sim/strategy.h"
#include "strategy_private.h"

static struct sim_strategy *make(uint64_t seed, uint32_t depth, uint32_t n, uint64_t k)
{
	struct sim_strategy_config config = { 0 };
	struct sim_strategy *strategy = NULL;

	config.seed = seed;
	config.pct_depth = depth;
	config.pct_thread_count = n;
	config.pct_step_count = k;
	assert_int_equal(sim_strategy_create("pct", &config, &strategy), 0);
	return strategy;
}

static uint32_t pick_id(struct sim_strategy *strategy, const uint32_t *eligible, uint32_t count,
			uint32_t current)
{
	struct sim_pick pick = { .eligible = eligible, .eligible_count = count,
				 .current_id = current };
	uint32_t index = strategy->ops->pick_thread(strategy, &pick);

	assert_true(index < count);
	return eligible[index];
}

static void assert_highest(const struct sim_strategy *strategy, const uint32_t *eligible,
			   uint32_t count, uint32_t picked)
{
	uint64_t best = sim__strategy_pct_priority(strategy, picked);

	assert_true(best > 0);
	for (uint32_t i = 0; i < count; i++) {
		if (eligible[i] != picked)
			assert_true(sim__strategy_pct_priority(strategy, eligible[i]) < best);
	}
}

static void test_strategy_pct_picks_highest_priority(void **state)
{
	struct sim_prng prng;
	struct sim_strategy *strategy = make(5, 3, 0, 50);
	uint32_t eligible[8];

	(void)state;
	sim_prng_init(&prng, 1234);
	for (uint64_t execution = 0; execution < 20; execution++) {
		uint32_t current = SIM_THREAD_NONE;

		assert_int_equal(strategy->ops->execution_begin(strategy, execution), 0);
		for (int step = 0; step < 80; step++) {
			uint32_t count = 0;
			uint32_t picked;

			/* A random subset of threads 0..7, at least two. */
			for (uint32_t id = 0; id < 8; id++) {
				if (sim_prng_below(&prng, 2))
					eligible[count++] = id;
			}
			if (count < 2) {
				eligible[0] = 3;
				eligible[1] = 6;
				count = 2;
			}
			picked = pick_id(strategy, eligible, count, current);
			assert_highest(strategy, eligible, count, picked);
			current = sim_prng_below(&prng, 3) ? picked : SIM_THREAD_NONE;
		}
		assert_true(strategy->ops->execution_end(strategy, NULL, 80, 8));
	}
	sim_strategy_destroy(strategy);
}

static void test_strategy_pct_initial_priorities_distinct(void **state)
{
	static const uint32_t first[] = { 0, 1, 2 };
	static const uint32_t later[] = { 0, 1, 2, 3, 4 };
	/* d = 1: no change points, so every priority stays initial. */
	struct sim_strategy *strategy = make(8, 1, 0, 0);
	uint32_t depth, n;
	uint64_t k;
	bool seen[8] = { false };

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 1), 0);
	sim__strategy_pct_parameters(strategy, &depth, &n, &k);
	assert_int_equal(depth, 1);
	assert_int_equal(sim__strategy_pct_change_points(strategy, NULL, 0), 0);
	assert_int_equal(sim__strategy_pct_priority(strategy, 0), 0);
	pick_id(strategy, first, 3, SIM_THREAD_NONE);
	assert_int_equal(sim__strategy_pct_priority(strategy, 3), 0);
	/* Threads 3 and 4 appear mid-execution. */
	pick_id(strategy, later, 5, 0);
	for (uint32_t id = 0; id < 5; id++) {
		uint64_t priority = sim__strategy_pct_priority(strategy, id);

		/* d .. d+4, each once. */
		assert_in_range(priority, 1, 5);
		assert_false(seen[priority]);
		seen[priority] = true;
	}
	assert_int_equal(sim__strategy_pct_priority(strategy, SIM_THREAD_COUNT_MAX), 0);
	sim_strategy_destroy(strategy);
}

static void test_strategy_pct_same_thread_runs_until_change_point(void **state)
{
	static const uint32_t eligible[] = { 0, 1, 2, 3 };
	struct sim_strategy *strategy = make(3, 3, 0, 10);
	uint64_t points[4] = { 0 };
	uint32_t current, first;

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 77), 0);
	assert_int_equal(sim__strategy_pct_change_points(strategy, points, 4), 2);
	assert_in_range(points[0], 1, 10);
	assert_in_range(points[1], 1, 10);
	assert_true(points[0] < points[1]);
	current = SIM_THREAD_NONE;
	first = SIM_THREAD_NONE;
	for (uint64_t pick = 1; pick <= 12; pick++) {
		uint32_t running = current;
		uint32_t picked = pick_id(strategy, eligible, 4, current);

		assert_highest(strategy, eligible, 4, picked);
		if (pick == points[0] || pick == points[1]) {
			/* The running thread (or, at pick 1, the one about to
			 * run) drops to d - i and another thread takes over. */
			uint64_t expected = pick == points[0] ? 2 : 1;
			uint32_t lowered = running != SIM_THREAD_NONE ? running : first;

			if (running == SIM_THREAD_NONE) {
				/* Pick 1: nothing ran; find the lowered one. */
				for (uint32_t id = 0; id < 4; id++) {
					if (sim__strategy_pct_priority(strategy, id) == expected)
						lowered = id;
				}
			}
			assert_int_equal(sim__strategy_pct_priority(strategy, lowered), expected);
			assert_int_not_equal(picked, lowered);
		} else if (running != SIM_THREAD_NONE) {
			/* No change point: the running thread keeps the CPU. */
			assert_int_equal(picked, running);
		}
		if (first == SIM_THREAD_NONE)
			first = picked;
		current = picked;
	}
	sim_strategy_destroy(strategy);
}

static void test_strategy_pct_change_point_without_running_thread(void **state)
{
	static const uint32_t eligible[] = { 4, 9 };
	static const uint32_t other_than_4[] = { 9, 12 };
	static const uint32_t other_than_9[] = { 4, 12 };
	/* d = 2, k = 1: the only change point is pick 1, before anything ran. */
	struct sim_strategy *strategy = make(1, 2, 0, 1);
	uint64_t point = 0;
	uint32_t picked;

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 2), 0);
	assert_int_equal(sim__strategy_pct_change_points(strategy, &point, 1), 1);
	assert_int_equal(point, 1);
	picked = pick_id(strategy, eligible, 2, SIM_THREAD_NONE);
	/* The thread about to run was caught and dropped to d - 1 = 1. */
	assert_int_equal(sim__strategy_pct_priority(strategy, picked == 4 ? 9 : 4), 1);
	assert_true(sim__strategy_pct_priority(strategy, picked) >= 2);
	assert_true(strategy->ops->execution_end(strategy, NULL, 1, 2));
	sim_strategy_destroy(strategy);

	/* d = 2, k = 2: find an execution whose change point is pick 2. */
	strategy = make(6, 2, 0, 2);
	point = 0;
	for (uint64_t seed = 0; seed < 64 && point != 2; seed++) {
		assert_int_equal(strategy->ops->execution_begin(strategy, seed), 0);
		assert_int_equal(sim__strategy_pct_change_points(strategy, &point, 1), 1);
	}
	assert_int_equal(point, 2);
	picked = pick_id(strategy, eligible, 2, SIM_THREAD_NONE);
	/* Pick 2: the picked thread has blocked (current is NONE); the
	 * change point still catches it, as the thread that ran last. */
	pick_id(strategy, picked == 9 ? other_than_9 : other_than_4, 2, SIM_THREAD_NONE);
	assert_int_equal(sim__strategy_pct_priority(strategy, picked), 1);
	sim_strategy_destroy(strategy);
}

static void test_strategy_pct_change_points_capped_by_k(void **state)
{
	struct sim_strategy *strategy = make(2, 6, 0, 3);
	uint64_t points[8] = { 0 };

	(void)state;
	/* d - 1 = 5 points wanted, only 3 picks: all three, once each. */
	for (uint64_t seed = 0; seed < 20; seed++) {
		assert_int_equal(strategy->ops->execution_begin(strategy, seed), 0);
		assert_int_equal(sim__strategy_pct_change_points(strategy, points, 8), 3);
		assert_int_equal(points[0], 1);
		assert_int_equal(points[1], 2);
		assert_int_equal(points[2], 3);
	}
	/* A small capacity is honoured. */
	points[1] = 99;
	assert_int_equal(sim__strategy_pct_change_points(strategy, points, 1), 3);
	assert_int_equal(points[1], 99);
	sim_strategy_destroy(strategy);
}

static void test_strategy_pct_change_points_spread(void **state)
{
	struct sim_strategy *strategy = make(2, 3, 0, 4);
	unsigned int seen[5] = { 0 };
	uint64_t points[2];

	(void)state;
	/* Two distinct points in [1, 4]: each value has chance 1/2. */
	for (uint64_t seed = 0; seed < 2000; seed++) {
		assert_int_equal(strategy->ops->execution_begin(strategy, seed), 0);
		assert_int_equal(sim__strategy_pct_change_points(strategy, points, 2), 2);
		assert_true(points[0] < points[1]);
		assert_in_range(points[0], 1, 4);
		assert_in_range(points[1], 1, 4);
		seen[points[0]]++;
		seen[points[1]]++;
	}
	assert_int_equal(seen[0], 0);
	for (int v = 1; v <= 4; v++)
		assert_in_range(seen[v], 880, 1120);
	sim_strategy_destroy(strategy);
}

static void test_strategy_pct_new_thread_lands_at_random_place(void **state)
{
	static const uint32_t early[] = { 0, 1, 2 };
	static const uint32_t late[] = { 0, 1, 2, 3 };
	struct sim_strategy *strategy = make(9, 1, 0, 0);
	unsigned int newcomer_first = 0;

	(void)state;
	/* Thread 3 appears at the fifth pick: it should win 1 time in 4. */
	for (uint64_t seed = 0; seed < 2000; seed++) {
		uint32_t current = SIM_THREAD_NONE;

		assert_int_equal(strategy->ops->execution_begin(strategy, seed), 0);
		for (int i = 0; i < 4; i++)
			current = pick_id(strategy, early, 3, current);
		newcomer_first += pick_id(strategy, late, 4, current) == 3;
	}
	/* 500 +- 97 (5 sigma). */
	assert_in_range(newcomer_first, 403, 597);
	sim_strategy_destroy(strategy);
}

static uint64_t fingerprint(struct sim_strategy *strategy, uint64_t execution_seed)
{
	static const uint32_t eligible[] = { 0, 1, 2, 3, 4 };
	uint64_t hash = 0;
	uint32_t current = SIM_THREAD_NONE;

	assert_int_equal(strategy->ops->execution_begin(strategy, execution_seed), 0);
	for (uint64_t step = 0; step < 30; step++) {
		current = pick_id(strategy, eligible, 5, current);
		hash = hash * 7 + current;
		hash = hash * 7 +
		       strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 6, step);
	}
	return hash;
}

static void test_strategy_pct_reproducible_from_seeds(void **state)
{
	struct sim_strategy *a = make(1, 3, 0, 30);
	struct sim_strategy *b = make(1, 3, 0, 30);
	struct sim_strategy *c = make(2, 3, 0, 30);
	uint64_t first = fingerprint(a, 10);

	(void)state;
	assert_int_equal(fingerprint(b, 10), first);
	assert_int_equal(fingerprint(a, 10), first);
	assert_int_not_equal(fingerprint(a, 11), first);
	assert_int_not_equal(fingerprint(c, 10), first);
	sim_strategy_destroy(a);
	sim_strategy_destroy(b);
	sim_strategy_destroy(c);
}

static void test_strategy_pct_estimates_n_and_k(void **state)
{
	static const uint32_t eligible[] = { 0, 1 };
	struct sim_strategy *estimated = make(1, 0, 0, 0);
	struct sim_strategy *configured = make(1, 4, 6, 500);
	uint64_t points[4];
	uint32_t depth, n;
	uint64_t k;

	(void)state;
	/* Before any execution: d = 3 (default), n = 2 and k = 64 (guesses). */
	assert_int_equal(estimated->ops->execution_begin(estimated, 1), 0);
	sim__strategy_pct_parameters(estimated, &depth, &n, &k);
	assert_int_equal(depth, STRATEGY_PCT_DEPTH_DEFAULT_);
	assert_int_equal(n, STRATEGY_PCT_THREAD_COUNT_GUESS_);
	assert_int_equal(k, STRATEGY_PCT_STEP_COUNT_GUESS_);
	for (int i = 0; i < 37; i++)
		pick_id(estimated, eligible, 2, SIM_THREAD_NONE);
	/* k follows the picks made (37), not the steps (500). */
	assert_true(estimated->ops->execution_end(estimated, NULL, 500, 5));
	assert_int_equal(estimated->ops->execution_begin(estimated, 2), 0);
	sim__strategy_pct_parameters(estimated, &depth, &n, &k);
	assert_int_equal(n, 5);
	assert_int_equal(k, 37);
	assert_int_equal(sim__strategy_pct_change_points(estimated, points, 4), 2);
	assert_in_range(points[1], 2, 37);
	/* An execution without picks or threads keeps the estimates. */
	assert_true(estimated->ops->execution_end(estimated, NULL, 0, 0));
	sim__strategy_pct_parameters(estimated, &depth, &n, &k);
	assert_int_equal(n, 5);
	assert_int_equal(k, 37);
	/* Configured values are never replaced. */
	assert_int_equal(configured->ops->execution_begin(configured, 1), 0);
	pick_id(configured, eligible, 2, SIM_THREAD_NONE);
	assert_true(configured->ops->execution_end(configured, NULL, 9, 9));
	sim__strategy_pct_parameters(configured, &depth, &n, &k);
	assert_int_equal(depth, 4);
	assert_int_equal(n, 6);
	assert_int_equal(k, 500);
	assert_null(configured->ops->error(configured));
	sim_strategy_destroy(estimated);
	sim_strategy_destroy(configured);
}

static void test_strategy_pct_options_follow_configured_chance(void **state)
{
	struct sim_strategy_config config = { .seed = 3, .irq_take_numerator = 1,
					      .irq_take_denominator = 1 };
	struct sim_strategy *always = NULL;
	struct sim_strategy *never = NULL;
	unsigned int seen[3] = { 0 };

	(void)state;
	assert_int_equal(sim_strategy_create("pct", &config, &always), 0);
	config.irq_take_numerator = 0;
	assert_int_equal(sim_strategy_create("pct", &config, &never), 0);
	assert_int_equal(always->ops->execution_begin(always, 1), 0);
	assert_int_equal(never->ops->execution_begin(never, 1), 0);
	for (int i = 0; i < 300; i++) {
		uint32_t choice = always->ops->pick_option(always, SIM_DECISION_CHOICE, 3, 0);

		assert_int_equal(always->ops->pick_option(always, SIM_DECISION_IRQ, 2, 0), 0);
		assert_int_equal(never->ops->pick_option(never, SIM_DECISION_IRQ, 2, 0), 1);
		assert_true(choice < 3);
		seen[choice]++;
	}
	for (int v = 0; v < 3; v++)
		assert_in_range(seen[v], 50, 150);
	sim_strategy_destroy(always);
	sim_strategy_destroy(never);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_pct_picks_highest_priority),
		cmocka_unit_test(test_strategy_pct_initial_priorities_distinct),
		cmocka_unit_test(test_strategy_pct_same_thread_runs_until_change_point),
		cmocka_unit_test(test_strategy_pct_change_point_without_running_thread),
		cmocka_unit_test(test_strategy_pct_change_points_capped_by_k),
		cmocka_unit_test(test_strategy_pct_change_points_spread),
		cmocka_unit_test(test_strategy_pct_new_thread_lands_at_random_place),
		cmocka_unit_test(test_strategy_pct_reproducible_from_seeds),
		cmocka_unit_test(test_strategy_pct_estimates_n_and_k),
		cmocka_unit_test(test_strategy_pct_options_follow_configured_chance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

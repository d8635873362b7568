// SPDX-License-Identifier: MIT
/*
 * Goal: DFS enumerates exactly the leaves of a decision tree, each once,
 * respects the preemption bound, stops with -ENOSPC when the tree is done or
 * dfs_execution_max is reached, and stops with a clear message when the
 * program does not follow the explored prefix. Method: a tiny synthetic
 * "program" driven from the test (threads that each take a number of steps;
 * after every step the strategy picks who runs next among the threads with
 * steps left, the thread that just ran being the current one if it has
 * steps left). Each execution's step order is recorded as a string such as
 * "ABAB"; the strings must be distinct and their number must equal the
 * count worked out by hand in each test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/limits.h"
#include "sim/strategy.h"
#include "strategy_private.h"

#define THREAD_COUNT_MAX 4
#define TRACE_SIZE 32
#define LEAF_COUNT_MAX 200

struct leaves {
	char traces[LEAF_COUNT_MAX][TRACE_SIZE];
	unsigned int count;
};

static struct sim_strategy *make(uint32_t bound, uint64_t execution_max)
{
	struct sim_strategy_config config = { 0 };
	struct sim_strategy *strategy = NULL;

	config.dfs_preemption_bound = bound;
	config.dfs_execution_max = execution_max;
	assert_int_equal(sim_strategy_create("dfs", &config, &strategy), 0);
	return strategy;
}

/* One execution of @thread_count threads with @steps steps each. */
static bool run_threads(struct sim_strategy *strategy, uint32_t thread_count, uint32_t steps,
			char *trace)
{
	uint32_t left[THREAD_COUNT_MAX];
	uint32_t current = SIM_THREAD_NONE;
	size_t length = 0;

	for (uint32_t t = 0; t < thread_count; t++)
		left[t] = steps;
	for (;;) {
		uint32_t eligible[THREAD_COUNT_MAX];
		uint32_t count = 0;
		uint32_t chosen;

		for (uint32_t t = 0; t < thread_count; t++) {
			if (left[t] > 0)
				eligible[count++] = t;
		}
		if (count == 0)
			break;
		if (current != SIM_THREAD_NONE && left[current] == 0)
			current = SIM_THREAD_NONE;
		if (count >= 2) {
			struct sim_pick pick = { .eligible = eligible, .eligible_count = count,
						 .current_id = current, .step = length };
			uint32_t index = strategy->ops->pick_thread(strategy, &pick);

			assert_true(index < count);
			chosen = eligible[index];
		} else {
			/* One option: the engine does not ask. */
			chosen = eligible[0];
		}
		left[chosen]--;
		assert_true(length + 1 < TRACE_SIZE);
		trace[length++] = (char)('A' + chosen);
		current = chosen;
	}
	trace[length] = '\0';
	return strategy->ops->execution_end(strategy, NULL, length, thread_count);
}

static void record_leaf(struct leaves *leaves, const char *trace)
{
	for (unsigned int i = 0; i < leaves->count; i++) {
		if (strcmp(leaves->traces[i], trace) == 0)
			fail_msg("schedule %s explored twice", trace);
	}
	assert_true(leaves->count < LEAF_COUNT_MAX);
	snprintf(leaves->traces[leaves->count++], TRACE_SIZE, "%s", trace);
}

/* Run until DFS says -ENOSPC; return the leaves found. */
static void explore_threads(struct sim_strategy *strategy, uint32_t thread_count, uint32_t steps,
			    struct leaves *leaves)
{
	char trace[TRACE_SIZE];
	bool more = true;

	leaves->count = 0;
	for (unsigned int round = 0; round <= LEAF_COUNT_MAX; round++) {
		int err = strategy->ops->execution_begin(strategy, round);

		if (err == -ENOSPC)
			break;
		assert_int_equal(err, 0);
		/* execution_end() said false last time: begin must refuse. */
		assert_true(more);
		more = run_threads(strategy, thread_count, steps, trace);
		record_leaf(leaves, trace);
		assert_null(strategy->ops->error(strategy));
	}
	assert_false(more);
	assert_int_equal(sim__strategy_dfs_schedule_count(strategy), leaves->count);
	/* Exhausted stays exhausted. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), -ENOSPC);
}

static bool has_leaf(const struct leaves *leaves, const char *trace)
{
	for (unsigned int i = 0; i < leaves->count; i++) {
		if (strcmp(leaves->traces[i], trace) == 0)
			return true;
	}
	return false;
}

static void test_strategy_dfs_two_threads_two_steps_unbounded(void **state)
{
	struct sim_strategy *strategy = make(UINT32_MAX, 0);
	struct leaves *leaves = calloc(1, sizeof(*leaves));

	(void)state;
	/* Interleavings of AA and BB: C(4, 2) = 6. */
	explore_threads(strategy, 2, 2, leaves);
	assert_int_equal(leaves->count, 6);
	assert_true(sim__strategy_dfs_exhausted(strategy));
	/* Option 0 first: the first schedule keeps the first thread running. */
	assert_string_equal(leaves->traces[0], "AABB");
	free(leaves);
	sim_strategy_destroy(strategy);
}

static void test_strategy_dfs_two_threads_two_steps_bounded(void **state)
{
	struct sim_strategy *zero = make(0, 0);
	struct sim_strategy *one = make(1, 0);
	struct leaves *leaves = calloc(1, sizeof(*leaves));

	(void)state;
	/*
	 * Preemptions of each interleaving (a switch away from a thread that
	 * still has steps is a preemption; the switch when a thread finishes
	 * is not; the first pick has no current thread, so is free):
	 *   AABB 0, ABAB 2, ABBA 1, BAAB 1, BABA 2, BBAA 0.
	 * Bound 0 keeps AABB and BBAA: 2. Bound 1 adds ABBA and BAAB: 4.
	 */
	explore_threads(zero, 2, 2, leaves);
	assert_int_equal(leaves->count, 2);
	assert_true(has_leaf(leaves, "AABB"));
	assert_true(has_leaf(leaves, "BBAA"));
	explore_threads(one, 2, 2, leaves);
	assert_int_equal(leaves->count, 4);
	assert_true(has_leaf(leaves, "AABB"));
	assert_true(has_leaf(leaves, "ABBA"));
	assert_true(has_leaf(leaves, "BAAB"));
	assert_true(has_leaf(leaves, "BBAA"));
	free(leaves);
	sim_strategy_destroy(zero);
	sim_strategy_destroy(one);
}

static void test_strategy_dfs_two_threads_three_steps(void **state)
{
	struct sim_strategy *unbounded = make(UINT32_MAX, 0);
	struct sim_strategy *one = make(1, 0);
	struct sim_strategy *two = make(2, 0);
	struct leaves *leaves = calloc(1, sizeof(*leaves));

	(void)state;
	/* C(6, 3) = 20 interleavings. */
	explore_threads(unbounded, 2, 3, leaves);
	assert_int_equal(leaves->count, 20);
	/*
	 * At most one preemption: no preemption (AAABBB, BBBAAA), or one
	 * thread preempted once after a = 1 or 2 steps, the other running to
	 * its end, then the first finishing (A^a B^3 A^(3-a), and the same
	 * with B first): 2 + 2 * 2 = 6.
	 */
	explore_threads(one, 2, 3, leaves);
	assert_int_equal(leaves->count, 6);
	assert_true(has_leaf(leaves, "ABBBAA"));
	assert_true(has_leaf(leaves, "BBAAAB"));
	/*
	 * At most two: also the three-block schedules A^a B^b A^(3-a) B^(3-b)
	 * with a, b in {1, 2} (two preemptions: A then B), and the same with
	 * B first: 6 + 2 * 4 = 14.
	 */
	explore_threads(two, 2, 3, leaves);
	assert_int_equal(leaves->count, 14);
	free(leaves);
	sim_strategy_destroy(unbounded);
	sim_strategy_destroy(one);
	sim_strategy_destroy(two);
}

static void test_strategy_dfs_three_threads(void **state)
{
	struct sim_strategy *one_step = make(0, 0);
	struct sim_strategy *two_steps = make(UINT32_MAX, 0);
	struct sim_strategy *two_steps_zero = make(0, 0);
	struct leaves *leaves = calloc(1, sizeof(*leaves));

	(void)state;
	/* One step each: every switch follows an exit, none is a preemption,
	 * so even bound 0 gives all 3! = 6 orders. */
	explore_threads(one_step, 3, 1, leaves);
	assert_int_equal(leaves->count, 6);
	/* Two steps each: 6! / (2! 2! 2!) = 90 interleavings. */
	explore_threads(two_steps, 3, 2, leaves);
	assert_int_equal(leaves->count, 90);
	/* Bound 0: each thread runs to its end, 3! = 6 orders. */
	explore_threads(two_steps_zero, 3, 2, leaves);
	assert_int_equal(leaves->count, 6);
	assert_true(has_leaf(leaves, "CCBBAA"));
	free(leaves);
	sim_strategy_destroy(one_step);
	sim_strategy_destroy(two_steps);
	sim_strategy_destroy(two_steps_zero);
}

/* A thread pick between two threads, then a choice of 3, then an IRQ. */
static bool run_mixed(struct sim_strategy *strategy, char *trace)
{
	static const uint32_t eligible[] = { 0, 1 };
	struct sim_pick pick = { .eligible = eligible, .eligible_count = 2,
				 .current_id = SIM_THREAD_NONE };
	uint32_t thread = strategy->ops->pick_thread(strategy, &pick);
	uint32_t choice = strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 3, 1);
	uint32_t irq = strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 2);

	assert_true(thread < 2);
	assert_true(choice < 3);
	assert_true(irq < 2);
	snprintf(trace, TRACE_SIZE, "%c%u%u", 'A' + thread, choice, irq);
	return strategy->ops->execution_end(strategy, NULL, 3, 2);
}

static void test_strategy_dfs_explores_choices_and_irqs(void **state)
{
	struct sim_strategy *strategy = make(0, 0);
	struct leaves *leaves = calloc(1, sizeof(*leaves));
	char trace[TRACE_SIZE];

	(void)state;
	/* The bound limits preemptions only: options are all explored.
	 * 2 * 3 * 2 = 12 leaves, in depth-first order. */
	while (strategy->ops->execution_begin(strategy, 0) == 0) {
		run_mixed(strategy, trace);
		record_leaf(leaves, trace);
		assert_true(leaves->count <= 12);
	}
	assert_int_equal(leaves->count, 12);
	assert_string_equal(leaves->traces[0], "A00");
	assert_string_equal(leaves->traces[1], "A01");
	assert_string_equal(leaves->traces[2], "A10");
	assert_string_equal(leaves->traces[11], "B21");
	free(leaves);
	sim_strategy_destroy(strategy);
}

static void test_strategy_dfs_option_order_current_first(void **state)
{
	static const uint32_t eligible[] = { 4, 5, 6 };
	struct sim_pick pick = { .eligible = eligible, .eligible_count = 3, .current_id = 5 };
	struct sim_strategy *strategy = make(UINT32_MAX, 0);
	uint32_t order[3];

	(void)state;
	/* Options: current (5) first, then 4 and 6 in eligible order. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
		order[i] = eligible[strategy->ops->pick_thread(strategy, &pick)];
		assert_int_equal(strategy->ops->execution_end(strategy, NULL, 1, 3), i < 2);
	}
	assert_int_equal(order[0], 5);
	assert_int_equal(order[1], 4);
	assert_int_equal(order[2], 6);
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), -ENOSPC);
	sim_strategy_destroy(strategy);
}

static void test_strategy_dfs_execution_max_stops_early(void **state)
{
	struct sim_strategy *strategy = make(UINT32_MAX, 3);
	char trace[TRACE_SIZE];

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	assert_true(run_threads(strategy, 2, 2, trace));
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	assert_true(run_threads(strategy, 2, 2, trace));
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	/* The third of six schedules reaches the limit. */
	assert_false(run_threads(strategy, 2, 2, trace));
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), -ENOSPC);
	assert_int_equal(sim__strategy_dfs_schedule_count(strategy), 3);
	assert_false(sim__strategy_dfs_exhausted(strategy));
	assert_null(strategy->ops->error(strategy));
	sim_strategy_destroy(strategy);
}

static void test_strategy_dfs_detects_other_eligible_threads(void **state)
{
	static const uint32_t first[] = { 0, 1 };
	static const uint32_t second[] = { 0, 2 };
	struct sim_pick pick = { .eligible = first, .eligible_count = 2,
				 .current_id = SIM_THREAD_NONE };
	struct sim_strategy *strategy = make(UINT32_MAX, 0);
	const char *error;

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	assert_int_equal(strategy->ops->pick_thread(strategy, &pick), 0);
	assert_true(strategy->ops->execution_end(strategy, NULL, 1, 2));
	/* The replayed prefix now offers thread 2 instead of thread 1. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	pick.eligible = second;
	assert_int_equal(strategy->ops->pick_thread(strategy, &pick), SIM_PICK_DIVERGED);
	error = strategy->ops->error(strategy);
	assert_non_null(error);
	assert_non_null(strstr(error, "nondeterminism: decision 0 offered other threads"));
	/* Later calls keep failing rather than inventing answers. */
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 2, 0),
			 SIM_PICK_DIVERGED);
	assert_false(strategy->ops->execution_end(strategy, NULL, 1, 2));
	assert_non_null(strategy->ops->error(strategy));
	/* The search stops instead of looping. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), -ENOSPC);
	assert_false(sim__strategy_dfs_exhausted(strategy));
	sim_strategy_destroy(strategy);
}

static void test_strategy_dfs_detects_other_decision_kind(void **state)
{
	static const uint32_t eligible[] = { 0, 1 };
	struct sim_pick pick = { .eligible = eligible, .eligible_count = 2,
				 .current_id = SIM_THREAD_NONE };
	struct sim_strategy *strategy = make(UINT32_MAX, 0);
	const char *error;

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	assert_int_equal(strategy->ops->pick_thread(strategy, &pick), 0);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 1), 0);
	assert_true(strategy->ops->execution_end(strategy, NULL, 2, 2));
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	assert_int_equal(strategy->ops->pick_thread(strategy, &pick), 0);
	/* Decision 1 is now a choice of 4, not an interrupt. */
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 4, 1),
			 SIM_PICK_DIVERGED);
	error = strategy->ops->error(strategy);
	assert_non_null(error);
	assert_non_null(strstr(error, "decision 1 is a choice with 4 options, the explored "
				      "prefix had an irq decision with 2 options"));
	assert_false(strategy->ops->execution_end(strategy, NULL, 2, 2));
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), -ENOSPC);
	sim_strategy_destroy(strategy);
}

static void test_strategy_dfs_detects_early_end(void **state)
{
	static const uint32_t eligible[] = { 0, 1 };
	struct sim_pick pick = { .eligible = eligible, .eligible_count = 2,
				 .current_id = SIM_THREAD_NONE };
	struct sim_strategy *strategy = make(UINT32_MAX, 0);
	const char *error;

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	assert_int_equal(strategy->ops->pick_thread(strategy, &pick), 0);
	assert_int_equal(strategy->ops->pick_thread(strategy, &pick), 0);
	assert_true(strategy->ops->execution_end(strategy, NULL, 2, 2));
	/* The next execution ends after one decision of the two-deep prefix. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	assert_int_equal(strategy->ops->pick_thread(strategy, &pick), 0);
	assert_false(strategy->ops->execution_end(strategy, NULL, 1, 2));
	error = strategy->ops->error(strategy);
	assert_non_null(error);
	assert_non_null(strstr(error, "ended after 1 decisions, before decision 1"));
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), -ENOSPC);
	sim_strategy_destroy(strategy);
}

static void test_strategy_dfs_depth_limit_truncates(void **state)
{
	struct sim_strategy *strategy = make(UINT32_MAX, 0);
	uint64_t deep = STRATEGY_DFS_DEPTH_MAX_ + 100;

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	for (uint64_t i = 0; i < deep; i++)
		assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 2, i),
				 0);
	assert_true(strategy->ops->execution_end(strategy, NULL, deep, 1));
	assert_int_equal(sim__strategy_dfs_truncated_count(strategy), 1);
	/* The deepest kept point moved on to option 1; beyond it, option 0. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), 0);
	for (uint64_t i = 0; i < deep; i++) {
		uint32_t expected = i == STRATEGY_DFS_DEPTH_MAX_ - 1 ? 1 : 0;

		assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 2, i),
				 expected);
	}
	assert_true(strategy->ops->execution_end(strategy, NULL, deep, 1));
	assert_int_equal(sim__strategy_dfs_truncated_count(strategy), 2);
	assert_int_equal(sim__strategy_dfs_schedule_count(strategy), 2);
	assert_null(strategy->ops->error(strategy));
	sim_strategy_destroy(strategy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_dfs_two_threads_two_steps_unbounded),
		cmocka_unit_test(test_strategy_dfs_two_threads_two_steps_bounded),
		cmocka_unit_test(test_strategy_dfs_two_threads_three_steps),
		cmocka_unit_test(test_strategy_dfs_three_threads),
		cmocka_unit_test(test_strategy_dfs_explores_choices_and_irqs),
		cmocka_unit_test(test_strategy_dfs_option_order_current_first),
		cmocka_unit_test(test_strategy_dfs_execution_max_stops_early),
		cmocka_unit_test(test_strategy_dfs_detects_other_eligible_threads),
		cmocka_unit_test(test_strategy_dfs_detects_other_decision_kind),
		cmocka_unit_test(test_strategy_dfs_detects_early_end),
		cmocka_unit_test(test_strategy_dfs_depth_limit_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

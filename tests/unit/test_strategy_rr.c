// SPDX-License-Identifier: MIT
/*
 * Goal: round-robin picks the eligible thread with the next id after the
 * running one in cyclic id order, whatever order the eligible array is in;
 * with no running thread it continues after the thread it picked last;
 * interrupts are delivered and choices take option 0. Method: synthetic
 * struct sim_pick inputs with hand-computed expected picks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>

#include "sim/limits.h"
#include "sim/strategy.h"

static struct sim_strategy *make(void)
{
	struct sim_strategy_config config = { .seed = 99 };
	struct sim_strategy *strategy = NULL;

	assert_int_equal(sim_strategy_create("rr", &config, &strategy), 0);
	assert_int_equal(strategy->ops->execution_begin(strategy, 1), 0);
	return strategy;
}

/* The id round-robin picks among @eligible with @current running. */
static uint32_t pick_id(struct sim_strategy *strategy, const uint32_t *eligible, uint32_t count,
			uint32_t current)
{
	struct sim_pick pick = { .eligible = eligible, .eligible_count = count,
				 .current_id = current };
	uint32_t index = strategy->ops->pick_thread(strategy, &pick);

	assert_true(index < count);
	return eligible[index];
}

static void test_strategy_rr_cycles_in_id_order(void **state)
{
	static const uint32_t eligible[] = { 0, 1, 2 };
	struct sim_strategy *strategy = make();
	uint32_t current = 0;

	(void)state;
	/* Whoever runs, the next one in 0 -> 1 -> 2 -> 0 gets the CPU. */
	for (int i = 0; i < 9; i++) {
		uint32_t next = pick_id(strategy, eligible, 3, current);

		assert_int_equal(next, (current + 1) % 3);
		current = next;
	}
	sim_strategy_destroy(strategy);
}

static void test_strategy_rr_unsorted_eligible_and_gaps(void **state)
{
	static const uint32_t eligible[] = { 9, 2, 5 };
	struct sim_strategy *strategy = make();

	(void)state;
	assert_int_equal(pick_id(strategy, eligible, 3, 2), 5);
	assert_int_equal(pick_id(strategy, eligible, 3, 5), 9);
	/* Wraps to the smallest id. */
	assert_int_equal(pick_id(strategy, eligible, 3, 9), 2);
	sim_strategy_destroy(strategy);
}

static void test_strategy_rr_without_current_follows_last_pick(void **state)
{
	static const uint32_t all[] = { 4, 1, 7 };
	static const uint32_t without_one[] = { 4, 7 };
	struct sim_strategy *strategy = make();

	(void)state;
	/* Nothing picked yet: the smallest id. */
	assert_int_equal(pick_id(strategy, all, 3, SIM_THREAD_NONE), 1);
	/* Thread 1 blocked: after 1 comes 4. */
	assert_int_equal(pick_id(strategy, without_one, 2, SIM_THREAD_NONE), 4);
	assert_int_equal(pick_id(strategy, all, 3, SIM_THREAD_NONE), 7);
	assert_int_equal(pick_id(strategy, without_one, 2, SIM_THREAD_NONE), 4);
	/* A new execution forgets the last pick. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 2), 0);
	assert_int_equal(pick_id(strategy, all, 3, SIM_THREAD_NONE), 1);
	sim_strategy_destroy(strategy);
}

static void test_strategy_rr_current_not_eligible_id_between(void **state)
{
	static const uint32_t eligible[] = { 1, 8 };
	struct sim_strategy *strategy = make();

	(void)state;
	/* A current id that is not in the array still orders the cycle. */
	assert_int_equal(pick_id(strategy, eligible, 2, 3), 8);
	assert_int_equal(pick_id(strategy, eligible, 2, 8), 1);
	sim_strategy_destroy(strategy);
}

static void test_strategy_rr_options_and_end(void **state)
{
	struct sim_strategy *strategy = make();

	(void)state;
	for (uint32_t count = 1; count < 5; count++) {
		uint32_t irq = strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, count, 0);
		uint32_t choice = strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, count,
							     0);

		assert_int_equal(irq, 0);
		assert_int_equal(choice, 0);
	}
	/* One program, one schedule: nothing new after it. */
	assert_false(strategy->ops->execution_end(strategy, NULL, 10, 3));
	assert_null(strategy->ops->error(strategy));
	sim_strategy_destroy(strategy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_rr_cycles_in_id_order),
		cmocka_unit_test(test_strategy_rr_unsorted_eligible_and_gaps),
		cmocka_unit_test(test_strategy_rr_without_current_follows_last_pick),
		cmocka_unit_test(test_strategy_rr_current_not_eligible_id_between),
		cmocka_unit_test(test_strategy_rr_options_and_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

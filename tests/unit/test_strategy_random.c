// SPDX-License-Identifier: MIT
/*
 * Goal: the random strategy is reproducible from (config seed, execution
 * seed), differs when either changes, picks uniformly among the eligible
 * threads, takes interrupts with the configured chance, and answers choices
 * uniformly. Method: synthetic struct sim_pick inputs and counts over many
 * picks with fixed seeds; the tolerance bands are about 5 standard
 * deviations wide, so a correct strategy cannot fail them by chance on
 * these fixed seeds, and a biased one (e.g. always index 0) cannot pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>

#include "sim/limits.h"
#include "sim/strategy.h"

static const uint32_t eligible4[] = { 10, 11, 12, 13 };

static struct sim_strategy *make(uint64_t seed, uint32_t numerator, uint32_t denominator)
{
	struct sim_strategy_config config = { 0 };
	struct sim_strategy *strategy = NULL;

	config.seed = seed;
	config.irq_take_numerator = numerator;
	config.irq_take_denominator = denominator;
	assert_int_equal(sim_strategy_create("random", &config, &strategy), 0);
	return strategy;
}

static uint32_t pick4(struct sim_strategy *strategy, uint64_t step)
{
	struct sim_pick pick = {
		.eligible = eligible4, .eligible_count = 4, .current_id = 11, .step = step,
	};
	uint32_t index = strategy->ops->pick_thread(strategy, &pick);

	assert_true(index < 4);
	return index;
}

/* A mixed sequence of answers, folded into one number. */
static uint64_t fingerprint(struct sim_strategy *strategy, uint64_t execution_seed)
{
	uint64_t hash = 0;

	assert_int_equal(strategy->ops->execution_begin(strategy, execution_seed), 0);
	for (uint64_t step = 0; step < 64; step++) {
		hash = hash * 31 + pick4(strategy, step);
		hash = hash * 31 + strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, step);
		hash = hash * 31 + strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 7,
							      step);
	}
	return hash;
}

static void test_strategy_random_reproducible_from_seeds(void **state)
{
	struct sim_strategy *a = make(1, 0, 0);
	struct sim_strategy *b = make(1, 0, 0);
	struct sim_strategy *c = make(2, 0, 0);
	uint64_t first = fingerprint(a, 100);

	(void)state;
	assert_int_equal(fingerprint(b, 100), first);
	/* execution_begin() restarts the stream. */
	assert_int_equal(fingerprint(a, 100), first);
	assert_int_not_equal(fingerprint(a, 101), first);
	assert_int_not_equal(fingerprint(c, 100), first);
	/* Swapping the two seeds gives another stream too. */
	assert_int_not_equal(fingerprint(c, 1), fingerprint(a, 2));
	sim_strategy_destroy(a);
	sim_strategy_destroy(b);
	sim_strategy_destroy(c);
}

static void test_strategy_random_pick_is_uniform(void **state)
{
	struct sim_strategy *strategy = make(7, 0, 0);
	unsigned int seen[4] = { 0 };

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 3), 0);
	for (uint64_t i = 0; i < 40000; i++)
		seen[pick4(strategy, i)]++;
	/* Expect 10000 each; sigma is about 87. */
	for (int i = 0; i < 4; i++)
		assert_in_range(seen[i], 9550, 10450);
	sim_strategy_destroy(strategy);
}

static void test_strategy_random_pick_single_eligible(void **state)
{
	struct sim_strategy *strategy = make(7, 0, 0);
	const uint32_t one[] = { 5 };
	struct sim_pick pick = { .eligible = one, .eligible_count = 1,
				 .current_id = SIM_THREAD_NONE };

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 3), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(strategy->ops->pick_thread(strategy, &pick), 0);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 1, 0), 0);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 1, 0), 0);
	sim_strategy_destroy(strategy);
}

static unsigned int count_irq_taken(struct sim_strategy *strategy, unsigned int rounds)
{
	unsigned int taken = 0;

	assert_int_equal(strategy->ops->execution_begin(strategy, 9), 0);
	for (unsigned int i = 0; i < rounds; i++) {
		uint32_t option = strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, i);

		assert_true(option < 2);
		taken += option == 0;
	}
	return taken;
}

static void test_strategy_random_irq_chance(void **state)
{
	struct sim_strategy *half = make(1, 0, 0);
	struct sim_strategy *quarter = make(1, 1, 4);
	struct sim_strategy *never = make(1, 0, 5);
	struct sim_strategy *always = make(1, 3, 3);

	(void)state;
	/* 0/0 means 1/2: 5000 +- 250. */
	assert_in_range(count_irq_taken(half, 10000), 4750, 5250);
	/* 1/4: 2500 +- 217. */
	assert_in_range(count_irq_taken(quarter, 10000), 2283, 2717);
	assert_int_equal(count_irq_taken(never, 1000), 0);
	assert_int_equal(count_irq_taken(always, 1000), 1000);
	sim_strategy_destroy(half);
	sim_strategy_destroy(quarter);
	sim_strategy_destroy(never);
	sim_strategy_destroy(always);
}

static void test_strategy_random_irq_with_more_options_defers_uniformly(void **state)
{
	struct sim_strategy *never = make(4, 0, 1);
	unsigned int seen[3] = { 0 };

	(void)state;
	assert_int_equal(never->ops->execution_begin(never, 1), 0);
	/* Never taking means never option 0; the deferrals spread evenly. */
	for (unsigned int i = 0; i < 6000; i++) {
		uint32_t option = never->ops->pick_option(never, SIM_DECISION_IRQ, 3, i);

		assert_true(option >= 1);
		assert_true(option < 3);
		seen[option]++;
	}
	assert_int_equal(seen[0], 0);
	assert_in_range(seen[1], 2800, 3200);
	sim_strategy_destroy(never);
}

static void test_strategy_random_choice_is_uniform(void **state)
{
	struct sim_strategy *strategy = make(11, 0, 0);
	unsigned int seen[5] = { 0 };

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 5), 0);
	for (unsigned int i = 0; i < 50000; i++) {
		uint32_t option = strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 5, i);

		assert_true(option < 5);
		seen[option]++;
	}
	/* 10000 +- 90 each. */
	for (int i = 0; i < 5; i++)
		assert_in_range(seen[i], 9550, 10450);
	sim_strategy_destroy(strategy);
}

static void test_strategy_random_end_and_error(void **state)
{
	struct sim_strategy *strategy = make(1, 0, 0);

	(void)state;
	assert_int_equal(strategy->ops->execution_begin(strategy, 5), 0);
	pick4(strategy, 0);
	/* Another walk is always something new; random never diverges. */
	assert_true(strategy->ops->execution_end(strategy, NULL, 1, 4));
	assert_null(strategy->ops->error(strategy));
	sim_strategy_destroy(strategy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_random_reproducible_from_seeds),
		cmocka_unit_test(test_strategy_random_pick_is_uniform),
		cmocka_unit_test(test_strategy_random_pick_single_eligible),
		cmocka_unit_test(test_strategy_random_irq_chance),
		cmocka_unit_test(test_strategy_random_irq_with_more_options_defers_uniformly),
		cmocka_unit_test(test_strategy_random_choice_is_uniform),
		cmocka_unit_test(test_strategy_random_end_and_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Goal: the strategy registry finds every strategy by name and only those,
 * lists them NULL-terminated, creates and destroys instances, and refuses
 * unknown names and bad configurations with -EINVAL (never a half-built
 * instance). Method: direct calls on the registry with good and bad
 * configurations; no engine is needed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sim/schedule.h"
#include "sim/strategy.h"
#include "strategy_private.h"

static const char *const names[] = { "random", "pct", "dfs", "replay", "rr" };
#define NAME_COUNT (sizeof(names) / sizeof(names[0]))

static void test_strategy_registry_find_every_name(void **state)
{
	(void)state;
	for (size_t i = 0; i < NAME_COUNT; i++) {
		const struct sim_strategy_ops *ops = sim_strategy_find(names[i]);

		assert_non_null(ops);
		assert_string_equal(ops->name, names[i]);
		assert_non_null(ops->summary);
		assert_true(strlen(ops->summary) > 10);
		assert_non_null(ops->create);
		assert_non_null(ops->destroy);
		assert_non_null(ops->execution_begin);
		assert_non_null(ops->pick_thread);
		assert_non_null(ops->pick_option);
		assert_non_null(ops->execution_end);
		assert_non_null(ops->error);
	}
	assert_null(sim_strategy_find(NULL));
	assert_null(sim_strategy_find(""));
	assert_null(sim_strategy_find("Random"));
	assert_null(sim_strategy_find("random "));
	assert_null(sim_strategy_find("chess"));
}

static void test_strategy_registry_list_is_null_terminated(void **state)
{
	const struct sim_strategy_ops *const *list = sim_strategy_list();
	size_t count = 0;

	(void)state;
	assert_non_null(list);
	while (list[count] != NULL && count < 100) {
		assert_ptr_equal(sim_strategy_find(list[count]->name), list[count]);
		count++;
	}
	assert_int_equal(count, NAME_COUNT);
	for (size_t i = 0; i < NAME_COUNT; i++)
		assert_string_equal(list[i]->name, names[i]);
}

static void test_strategy_registry_create_defaults(void **state)
{
	(void)state;
	/* Every strategy but replay runs on an all-default configuration. */
	for (size_t i = 0; i < NAME_COUNT; i++) {
		struct sim_strategy *strategy = (struct sim_strategy *)&strategy;
		int err = sim_strategy_create(names[i], NULL, &strategy);

		if (strcmp(names[i], "replay") == 0) {
			assert_int_equal(err, -EINVAL);
			assert_null(strategy);
			continue;
		}
		assert_int_equal(err, 0);
		assert_non_null(strategy);
		assert_ptr_equal(strategy->ops, sim_strategy_find(names[i]));
		assert_int_equal(strategy->ops->execution_begin(strategy, 1), 0);
		assert_null(strategy->ops->error(strategy));
		sim_strategy_destroy(strategy);
	}
	sim_strategy_destroy(NULL);
}

static void test_strategy_registry_create_rejects_unknown_name(void **state)
{
	struct sim_strategy_config config = { 0 };
	struct sim_strategy *strategy = (struct sim_strategy *)&strategy;

	(void)state;
	assert_int_equal(sim_strategy_create("nope", &config, &strategy), -EINVAL);
	assert_null(strategy);
	assert_int_equal(sim_strategy_create(NULL, &config, &strategy), -EINVAL);
	assert_null(strategy);
}

static void expect_rejected(const char *name, const struct sim_strategy_config *config)
{
	struct sim_strategy *strategy = (struct sim_strategy *)&strategy;

	assert_int_equal(sim_strategy_create(name, config, &strategy), -EINVAL);
	assert_null(strategy);
}

static void expect_accepted(const char *name, const struct sim_strategy_config *config)
{
	struct sim_strategy *strategy = NULL;

	assert_int_equal(sim_strategy_create(name, config, &strategy), 0);
	assert_non_null(strategy);
	sim_strategy_destroy(strategy);
}

static void test_strategy_registry_create_rejects_bad_irq_ratio(void **state)
{
	struct sim_strategy_config config = { 0 };

	(void)state;
	config.irq_take_numerator = 1;
	config.irq_take_denominator = 0;
	expect_rejected("random", &config);
	expect_rejected("pct", &config);
	config.irq_take_numerator = 3;
	config.irq_take_denominator = 2;
	expect_rejected("random", &config);
	expect_rejected("pct", &config);
	config.irq_take_numerator = 2;
	expect_accepted("random", &config);
	config.irq_take_numerator = 0;
	expect_accepted("pct", &config);
}

static void test_strategy_registry_create_rejects_bad_pct(void **state)
{
	struct sim_strategy_config config = { 0 };

	(void)state;
	config.pct_depth = STRATEGY_PCT_DEPTH_MAX_ + 1;
	expect_rejected("pct", &config);
	config.pct_depth = STRATEGY_PCT_DEPTH_MAX_;
	expect_accepted("pct", &config);
	config.pct_depth = 0;
	config.pct_thread_count = SIM_THREAD_COUNT_MAX + 1;
	expect_rejected("pct", &config);
}

static void test_strategy_registry_create_rejects_bad_replay(void **state)
{
	struct sim_strategy_config config = { 0 };
	struct sim_schedule schedule;
	struct sim_decision bad = { .kind = 3, .value = 0 };

	(void)state;
	sim_schedule_init(&schedule);
	expect_rejected("replay", &config);
	config.replay_schedule = &schedule;
	expect_accepted("replay", &config);
	config.replay_continue_with = "nope";
	expect_rejected("replay", &config);
	/* Replay continuing with replay would recreate itself forever. */
	config.replay_continue_with = "replay";
	expect_rejected("replay", &config);
	config.replay_continue_with = "random";
	expect_accepted("replay", &config);
	/* The continuation gets the same configuration, and refuses it. */
	config.irq_take_numerator = 5;
	config.irq_take_denominator = 4;
	expect_rejected("replay", &config);
	config.irq_take_numerator = 0;
	config.irq_take_denominator = 0;
	/* A decision of an unknown kind: the schedule struct is filled by
	 * hand, since the container asserts on it. */
	struct sim_schedule forged = { .decisions = &bad, .count = 1, .capacity = 1 };

	config.replay_schedule = &forged;
	expect_rejected("replay", &config);
	forged.decisions = NULL;
	expect_rejected("replay", &config);
	sim_schedule_fini(&schedule);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_registry_find_every_name),
		cmocka_unit_test(test_strategy_registry_list_is_null_terminated),
		cmocka_unit_test(test_strategy_registry_create_defaults),
		cmocka_unit_test(test_strategy_registry_create_rejects_unknown_name),
		cmocka_unit_test(test_strategy_registry_create_rejects_bad_irq_ratio),
		cmocka_unit_test(test_strategy_registry_create_rejects_bad_pct),
		cmocka_unit_test(test_strategy_registry_create_rejects_bad_replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

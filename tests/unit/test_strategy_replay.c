// SPDX-License-Identifier: MIT
/*
 * Goal: replay reproduces a recorded schedule exactly; it diverges, with a
 * message naming the decision and what was expected against what was
 * available, when the program asks something the recording cannot answer;
 * strict mode diverges when the recording runs out and reports unconsumed
 * decisions at the end; prefix mode hands over to the named strategy.
 * Method: hand-built schedules and synthetic struct sim_pick inputs; exact
 * message comparison where the format is part of the contract.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sim/limits.h"
#include "sim/schedule.h"
#include "sim/strategy.h"
#include "strategy_private.h"

static void append(struct sim_schedule *schedule, uint8_t kind, uint32_t value)
{
	struct sim_decision decision = { .kind = kind, .value = value };

	assert_int_equal(sim_schedule_append(schedule, decision), 0);
}

/* T3 I1 T1 C2 T3 */
static void recording(struct sim_schedule *schedule)
{
	sim_schedule_init(schedule);
	append(schedule, SIM_DECISION_THREAD, 3);
	append(schedule, SIM_DECISION_IRQ, 1);
	append(schedule, SIM_DECISION_THREAD, 1);
	append(schedule, SIM_DECISION_CHOICE, 2);
	append(schedule, SIM_DECISION_THREAD, 3);
}

static struct sim_strategy *make(const struct sim_schedule *schedule, const char *continue_with)
{
	struct sim_strategy_config config = { 0 };
	struct sim_strategy *strategy = NULL;

	config.seed = 5;
	config.replay_schedule = schedule;
	config.replay_continue_with = continue_with;
	config.dfs_preemption_bound = UINT32_MAX;
	assert_int_equal(sim_strategy_create("replay", &config, &strategy), 0);
	assert_int_equal(strategy->ops->execution_begin(strategy, 1), 0);
	return strategy;
}

static uint32_t pick(struct sim_strategy *strategy, const uint32_t *eligible, uint32_t count,
		     uint32_t current)
{
	struct sim_pick p = { .eligible = eligible, .eligible_count = count,
			      .current_id = current };

	return strategy->ops->pick_thread(strategy, &p);
}

static const uint32_t all[] = { 1, 2, 3 };

/* Drive the whole recording; each answer must be the recorded one. */
static void play_recording(struct sim_strategy *strategy)
{
	assert_int_equal(all[pick(strategy, all, 3, 1)], 3);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 1), 1);
	assert_int_equal(all[pick(strategy, all, 3, 3)], 1);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 3, 3), 2);
	assert_int_equal(all[pick(strategy, all, 3, SIM_THREAD_NONE)], 3);
}

static void test_strategy_replay_reproduces_recording(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;

	(void)state;
	recording(&schedule);
	strategy = make(&schedule, NULL);
	/* The strategy keeps its own copy: changing ours changes nothing. */
	schedule.decisions[0].value = 2;
	play_recording(strategy);
	assert_null(strategy->ops->error(strategy));
	/* One recording, one schedule. */
	assert_false(strategy->ops->execution_end(strategy, &schedule, 5, 3));
	assert_null(strategy->ops->error(strategy));
	/* And again, from the start. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 2), 0);
	play_recording(strategy);
	assert_false(strategy->ops->execution_end(strategy, &schedule, 5, 3));
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_thread_not_eligible(void **state)
{
	static const uint32_t without_one[] = { 0, 2, 4 };
	struct sim_schedule schedule;
	struct sim_strategy *strategy;

	(void)state;
	recording(&schedule);
	strategy = make(&schedule, NULL);
	assert_int_equal(all[pick(strategy, all, 3, 1)], 3);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 1), 1);
	assert_int_equal(pick(strategy, without_one, 3, SIM_THREAD_NONE), SIM_PICK_DIVERGED);
	assert_string_equal(strategy->ops->error(strategy),
			    "decision 2: recorded thread 1 is not eligible (eligible: 0 2 4)");
	/* Diverged stays diverged. */
	assert_int_equal(pick(strategy, all, 3, 1), SIM_PICK_DIVERGED);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 3, 3),
			 SIM_PICK_DIVERGED);
	assert_false(strategy->ops->execution_end(strategy, &schedule, 3, 3));
	assert_string_equal(strategy->ops->error(strategy),
			    "decision 2: recorded thread 1 is not eligible (eligible: 0 2 4)");
	/* A new execution starts clean. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 2), 0);
	assert_null(strategy->ops->error(strategy));
	play_recording(strategy);
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_kind_mismatch(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;

	(void)state;
	recording(&schedule);
	/* A thread pick where an interrupt decision was recorded. */
	strategy = make(&schedule, NULL);
	assert_int_equal(all[pick(strategy, all, 3, 1)], 3);
	assert_int_equal(pick(strategy, all, 3, 3), SIM_PICK_DIVERGED);
	assert_string_equal(strategy->ops->error(strategy),
			    "decision 1: recorded an irq decision (value 1) but the program asks "
			    "for a thread pick (eligible: 1 2 3)");
	/* An option where a thread pick was recorded. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 2), 0);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 4, 0),
			 SIM_PICK_DIVERGED);
	assert_string_equal(strategy->ops->error(strategy),
			    "decision 0: recorded a thread pick (value 3) but the program asks "
			    "for a choice (4 options)");
	/* A choice where an interrupt decision was recorded. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 3), 0);
	assert_int_equal(all[pick(strategy, all, 3, 1)], 3);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 2, 1),
			 SIM_PICK_DIVERGED);
	assert_non_null(strstr(strategy->ops->error(strategy),
			       "recorded an irq decision (value 1) but the program asks for a "
			       "choice"));
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_option_out_of_range(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;

	(void)state;
	recording(&schedule);
	strategy = make(&schedule, NULL);
	assert_int_equal(all[pick(strategy, all, 3, 1)], 3);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 1), 1);
	assert_int_equal(all[pick(strategy, all, 3, 3)], 1);
	/* Choice 2 recorded, only 2 options now. */
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 2, 3),
			 SIM_PICK_DIVERGED);
	assert_string_equal(strategy->ops->error(strategy),
			    "decision 3: recorded option 2 of a choice is out of range "
			    "(2 options)");
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_strict_exhausted(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;

	(void)state;
	recording(&schedule);
	strategy = make(&schedule, NULL);
	play_recording(strategy);
	assert_int_equal(pick(strategy, all, 3, 3), SIM_PICK_DIVERGED);
	assert_string_equal(strategy->ops->error(strategy),
			    "schedule exhausted at decision 5 (strict replay)");
	/* The same for an option. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 2), 0);
	play_recording(strategy);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 9),
			 SIM_PICK_DIVERGED);
	assert_string_equal(strategy->ops->error(strategy),
			    "schedule exhausted at decision 5 (strict replay)");
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_strict_unconsumed_at_end(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;

	(void)state;
	recording(&schedule);
	strategy = make(&schedule, NULL);
	assert_int_equal(all[pick(strategy, all, 3, 1)], 3);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 1), 1);
	assert_null(strategy->ops->error(strategy));
	assert_false(strategy->ops->execution_end(strategy, &schedule, 2, 3));
	assert_string_equal(strategy->ops->error(strategy),
			    "the execution ended after 2 of 5 recorded decisions (strict replay)");
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_empty_schedule(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;

	(void)state;
	sim_schedule_init(&schedule);
	strategy = make(&schedule, NULL);
	/* An execution with no decisions matches an empty recording. */
	assert_false(strategy->ops->execution_end(strategy, &schedule, 1, 1));
	assert_null(strategy->ops->error(strategy));
	assert_int_equal(strategy->ops->execution_begin(strategy, 2), 0);
	assert_int_equal(pick(strategy, all, 3, 1), SIM_PICK_DIVERGED);
	assert_string_equal(strategy->ops->error(strategy),
			    "schedule exhausted at decision 0 (strict replay)");
	sim_strategy_destroy(strategy);
}

static void test_strategy_replay_prefix_continues_with_rr(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;

	(void)state;
	recording(&schedule);
	strategy = make(&schedule, "rr");
	play_recording(strategy);
	/* Past the recording, round-robin answers: after 3 comes 1. */
	assert_int_equal(all[pick(strategy, all, 3, 3)], 1);
	assert_int_equal(all[pick(strategy, all, 3, 1)], 2);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 9), 0);
	assert_null(strategy->ops->error(strategy));
	/* rr has nothing new to offer, and so neither has the replay. */
	assert_false(strategy->ops->execution_end(strategy, &schedule, 9, 3));
	/* An execution that ends inside the prefix is fine in prefix mode. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 2), 0);
	assert_int_equal(all[pick(strategy, all, 3, 1)], 3);
	assert_false(strategy->ops->execution_end(strategy, &schedule, 1, 3));
	assert_null(strategy->ops->error(strategy));
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_prefix_continues_with_random(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;
	unsigned int seen[3] = { 0 };

	(void)state;
	recording(&schedule);
	strategy = make(&schedule, "random");
	for (uint64_t seed = 0; seed < 300; seed++) {
		assert_int_equal(strategy->ops->execution_begin(strategy, seed), 0);
		play_recording(strategy);
		seen[pick(strategy, all, 3, 3)]++;
		assert_true(strategy->ops->execution_end(strategy, &schedule, 6, 3));
	}
	/* The suffix varies with the seed: every thread shows up. */
	for (int i = 0; i < 3; i++)
		assert_in_range(seen[i], 50, 150);
	/* A prefix that diverged says there is nothing more to try. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 1), 0);
	assert_int_equal(pick(strategy, all, 2, 2), SIM_PICK_DIVERGED);
	assert_false(strategy->ops->execution_end(strategy, &schedule, 1, 3));
	assert_non_null(strategy->ops->error(strategy));
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_prefix_continues_with_dfs(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;
	unsigned int executions = 0;
	bool more = true;

	(void)state;
	sim_schedule_init(&schedule);
	append(&schedule, SIM_DECISION_THREAD, 2);
	strategy = make(&schedule, "dfs");
	/* Every continuation of the prefix: a choice of 3 then an IRQ: 6. */
	while (more) {
		if (executions > 0)
			assert_int_equal(strategy->ops->execution_begin(strategy, executions), 0);
		assert_int_equal(all[pick(strategy, all, 3, 1)], 2);
		assert_true(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 3, 1) < 3);
		assert_true(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 2) < 2);
		more = strategy->ops->execution_end(strategy, &schedule, 3, 3);
		executions++;
		assert_true(executions <= 6);
	}
	assert_int_equal(executions, 6);
	assert_int_equal(strategy->ops->execution_begin(strategy, 0), -ENOSPC);
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_passes_on_continuation_error(void **state)
{
	struct sim_schedule schedule;
	struct sim_strategy *strategy;
	const char *error;

	(void)state;
	sim_schedule_init(&schedule);
	append(&schedule, SIM_DECISION_THREAD, 2);
	strategy = make(&schedule, "dfs");
	assert_int_equal(all[pick(strategy, all, 3, 1)], 2);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_CHOICE, 3, 1), 0);
	assert_true(strategy->ops->execution_end(strategy, &schedule, 2, 3));
	/* The continuation meets an interrupt where it explored a choice. */
	assert_int_equal(strategy->ops->execution_begin(strategy, 1), 0);
	assert_int_equal(all[pick(strategy, all, 3, 1)], 2);
	assert_int_equal(strategy->ops->pick_option(strategy, SIM_DECISION_IRQ, 2, 1),
			 SIM_PICK_DIVERGED);
	error = strategy->ops->error(strategy);
	assert_non_null(error);
	assert_non_null(strstr(error, "nondeterminism: decision 0"));
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void test_strategy_replay_long_eligible_list_is_cut(void **state)
{
	static const char expected[] = "decision 0: recorded thread 7 is not eligible "
				       "(eligible: 1000000000 1000000001 ";
	uint32_t eligible[200];
	struct sim_schedule schedule;
	struct sim_strategy *strategy;
	const char *error;
	size_t length;

	(void)state;
	for (uint32_t i = 0; i < 200; i++)
		eligible[i] = 1000000000u + i;
	sim_schedule_init(&schedule);
	append(&schedule, SIM_DECISION_THREAD, 7);
	strategy = make(&schedule, NULL);
	assert_int_equal(pick(strategy, eligible, 200, SIM_THREAD_NONE), SIM_PICK_DIVERGED);
	error = strategy->ops->error(strategy);
	length = strlen(error);
	assert_true(length < SIM_FINDING_MESSAGE_SIZE);
	assert_true(strncmp(error, expected, strlen(expected)) == 0);
	assert_string_equal(error + length - 5, " ...)");
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_replay_reproduces_recording),
		cmocka_unit_test(test_strategy_replay_thread_not_eligible),
		cmocka_unit_test(test_strategy_replay_kind_mismatch),
		cmocka_unit_test(test_strategy_replay_option_out_of_range),
		cmocka_unit_test(test_strategy_replay_strict_exhausted),
		cmocka_unit_test(test_strategy_replay_strict_unconsumed_at_end),
		cmocka_unit_test(test_strategy_replay_empty_schedule),
		cmocka_unit_test(test_strategy_replay_prefix_continues_with_rr),
		cmocka_unit_test(test_strategy_replay_prefix_continues_with_random),
		cmocka_unit_test(test_strategy_replay_prefix_continues_with_dfs),
		cmocka_unit_test(test_strategy_replay_passes_on_continuation_error),
		cmocka_unit_test(test_strategy_replay_long_eligible_list_is_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

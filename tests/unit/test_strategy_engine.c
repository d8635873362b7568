// SPDX-License-Identifier: MIT
/*
 * Goal: the strategies work end to end on the real engine: DFS enumerates
 * the hand-computed number of schedules of a small program, and every
 * schedule any strategy produces survives encode -> decode -> strict replay
 * with the same trace hash; replaying on a different program is reported as
 * a replay-divergence finding. Method: two host threads that each log a
 * letter and yield, twice; the engine records the schedule; the test
 * encodes it, decodes it and replays it with the "replay" strategy.
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

#include "sim/schedule.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "strategy_private.h"

#define LOG_SIZE 16
#define SCHEDULE_COUNT_MAX 32

/* Written only by the thread holding the engine's baton. */
static char letters[LOG_SIZE];
static unsigned int letter_count;

struct program {
	uint32_t yield_count[2]; /* per thread */
};

struct outcome {
	char letters[LOG_SIZE];
	uint64_t trace_hash;
	char *text;            /* the recorded schedule, encoded */
	bool diverged;
	char finding[SIM_FINDING_MESSAGE_SIZE];
};

static void worker(void *arg)
{
	const uint32_t *packed = arg;
	char letter = (char)('A' + packed[0]);

	/* No cmocka assertion here: it would longjmp across threads. */
	for (uint32_t i = 0; i < packed[1]; i++) {
		if (letter_count + 1 < LOG_SIZE)
			letters[letter_count++] = letter;
		sim_yield();
	}
}

static int run(struct sim_strategy *strategy, const struct program *program,
	       struct outcome *outcome)
{
	struct sim_config config = { .seed = 7, .vcpu_count = 1, .pin_cpu = -1 };
	uint32_t args[2][2] = { { 0, program->yield_count[0] }, { 1, program->yield_count[1] } };
	struct sim *sim = NULL;
	const struct sim_result *result;
	int err;

	memset(outcome, 0, sizeof(*outcome));
	err = sim_create(&sim, &config, strategy);
	assert_int_equal(err, 0);
	letter_count = 0;
	for (int t = 0; t < 2; t++) {
		struct sim_thread_attr attr = { .kind = SIM_THREAD_HOST, .name = t ? "b" : "a" };

		assert_int_not_equal(sim_spawn(sim, &attr, worker, args[t]), SIM_THREAD_NONE);
	}
	err = sim_run(sim);
	if (err == 0) {
		result = sim_result(sim);
		memcpy(outcome->letters, letters, letter_count);
		outcome->trace_hash = result->trace_hash;
		outcome->text = sim_schedule_encode(sim_recorded_schedule(sim));
		assert_non_null(outcome->text);
		for (uint32_t i = 0; i < result->finding_count; i++) {
			if (strcmp(result->findings[i].class_name, SIM_FINDING_DIVERGENCE) != 0)
				continue;
			outcome->diverged = true;
			snprintf(outcome->finding, sizeof(outcome->finding), "%s",
				 result->findings[i].message);
		}
	}
	sim_destroy(sim);
	return err;
}

/* Decode @original's schedule and replay it strictly on @program. */
static void replay(const struct outcome *original, const struct program *program,
		   struct outcome *replayed)
{
	struct sim_strategy_config config = { 0 };
	struct sim_strategy *strategy = NULL;
	struct sim_schedule schedule;
	char error[256] = "";

	sim_schedule_init(&schedule);
	if (sim_schedule_decode(original->text, &schedule, error, sizeof(error)) != 0)
		fail_msg("%s: %s", original->text, error);
	config.replay_schedule = &schedule;
	assert_int_equal(sim_strategy_create("replay", &config, &strategy), 0);
	assert_int_equal(run(strategy, program, replayed), 0);
	sim_strategy_destroy(strategy);
	sim_schedule_fini(&schedule);
}

static void expect_faithful_replay(const struct outcome *original, const struct program *program)
{
	struct outcome replayed;

	replay(original, program, &replayed);
	assert_false(replayed.diverged);
	assert_string_equal(replayed.letters, original->letters);
	assert_int_equal(replayed.trace_hash, original->trace_hash);
	assert_string_equal(replayed.text, original->text);
	free(replayed.text);
}

static unsigned int explore(uint32_t bound)
{
	static const struct program program = { .yield_count = { 2, 2 } };
	struct sim_strategy_config config = { .dfs_preemption_bound = bound };
	struct sim_strategy *dfs = NULL;
	char *seen[SCHEDULE_COUNT_MAX];
	unsigned int count = 0;

	assert_int_equal(sim_strategy_create("dfs", &config, &dfs), 0);
	for (;;) {
		struct outcome outcome;
		int err = run(dfs, &program, &outcome);

		if (err == -ENOSPC)
			break;
		assert_int_equal(err, 0);
		assert_false(outcome.diverged);
		for (unsigned int i = 0; i < count; i++)
			assert_string_not_equal(seen[i], outcome.text);
		expect_faithful_replay(&outcome, &program);
		assert_true(count < SCHEDULE_COUNT_MAX);
		seen[count++] = outcome.text;
	}
	assert_int_equal(sim__strategy_dfs_schedule_count(dfs), count);
	for (unsigned int i = 0; i < count; i++)
		free(seen[i]);
	sim_strategy_destroy(dfs);
	return count;
}

static void test_strategy_engine_dfs_counts_and_replays(void **state)
{
	(void)state;
	/*
	 * Each thread runs three segments between schedule points (start to
	 * first yield, first to second yield, second yield to exit), so the
	 * counts are those of two threads of three steps (see
	 * test_strategy_dfs.c): 2 with bound 0, 6 with bound 1, C(6, 3) = 20
	 * unbounded.
	 */
	assert_int_equal(explore(0), 2);
	assert_int_equal(explore(1), 6);
	assert_int_equal(explore(UINT32_MAX), 20);
}

static void test_strategy_engine_random_and_pct_replay(void **state)
{
	static const struct program program = { .yield_count = { 3, 2 } };
	static const char *const names[] = { "random", "pct", "rr" };

	(void)state;
	for (size_t n = 0; n < 3; n++) {
		struct sim_strategy_config config = { .seed = 11 };
		struct sim_strategy *strategy = NULL;

		assert_int_equal(sim_strategy_create(names[n], &config, &strategy), 0);
		for (int i = 0; i < 10; i++) {
			struct outcome outcome;

			assert_int_equal(run(strategy, &program, &outcome), 0);
			assert_false(outcome.diverged);
			assert_int_equal(strlen(outcome.letters), 5);
			expect_faithful_replay(&outcome, &program);
			free(outcome.text);
		}
		sim_strategy_destroy(strategy);
	}
}

static void test_strategy_engine_replay_on_other_program_diverges(void **state)
{
	static const struct program recorded_on = { .yield_count = { 2, 2 } };
	static const struct program shorter = { .yield_count = { 2, 0 } };
	struct sim_strategy_config config = { .seed = 3 };
	struct sim_strategy *strategy = NULL;
	struct outcome original, replayed;

	(void)state;
	/* Round-robin switches threads at every yield. */
	assert_int_equal(sim_strategy_create("rr", &config, &strategy), 0);
	assert_int_equal(run(strategy, &recorded_on, &original), 0);
	assert_string_equal(original.letters, "ABAB");
	/* Thread b now exits at once: the recording cannot be followed. */
	replay(&original, &shorter, &replayed);
	assert_true(replayed.diverged);
	if (strstr(replayed.finding, "decision") == NULL)
		fail_msg("unexpected divergence message: %s", replayed.finding);
	free(original.text);
	free(replayed.text);
	sim_strategy_destroy(strategy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_engine_dfs_counts_and_replays),
		cmocka_unit_test(test_strategy_engine_random_and_pct_replay),
		cmocka_unit_test(test_strategy_engine_replay_on_other_program_diverges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Goal: the engine makes interleavings controllable, recordable and exactly
 * reproducible. Method: run small programs (tests/support/programs.c) and
 * engine-level scenarios under each strategy; assert on findings, recorded
 * schedules, trace hashes, virtual time and the vCPU model. Check runs each
 * test in its own process, so a hang or abort fails only that test.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "programs.h"
#include "sim/schedule.h"
#include "sim/selfcheck.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "check_support.h"

/* Budgets stated in docs/engine.md. */
#define BUG_BUDGET_EXECUTIONS 2000u
#define REPLAY_REPETITIONS 100u
#define FIXED_EXECUTIONS 300u

static struct sim_strategy *strategy_new(const char *name, uint64_t seed)
{
	struct sim_strategy_config config = {.seed = seed, .pct_depth = 3};
	struct sim_strategy *s = NULL;

	ck_assert_int_eq(sim_strategy_create(name, &config, &s), 0);
	return s;
}

static struct sim_strategy *replay_new(const char *text)
{
	struct sim_strategy_config config = {0};
	struct sim_schedule schedule;
	struct sim_strategy *s = NULL;
	char error[128];

	sim_schedule_init(&schedule);
	ck_assert_msg(sim_schedule_decode(text, &schedule, error, sizeof(error)) == 0, "%s",
		      error);
	config.replay_schedule = &schedule;
	ck_assert_int_eq(sim_strategy_create("replay", &config, &s), 0);
	sim_schedule_fini(&schedule);
	return s;
}

/* Explore @id with @strategy_name until the bug shows; return executions used. */
static uint32_t find_bug(enum program_id id, const char *strategy_name, struct program_run *hit,
			 uint64_t *seed_out)
{
	struct program_options options = {.padding = 3};
	struct sim_strategy *s = strategy_new(strategy_name, 1);

	for (uint32_t n = 1; n <= BUG_BUDGET_EXECUTIONS; n++) {
		ck_assert_int_eq(program_run_once(id, &options, n, s, 1, hit), 0);
		if (hit->failed) {
			sim_strategy_destroy(s);
			*seed_out = n;
			return n;
		}
		program_run_fini(hit);
	}
	sim_strategy_destroy(s);
	return 0;
}

static void classic_bugs_found_by(const char *strategy_name)
{
	static const enum program_id buggy[] = {
		PROGRAM_LOST_UPDATE, PROGRAM_ORDER_DEPTH2, PROGRAM_ORDER_DEPTH3,
		PROGRAM_LOCK_INVERSION, PROGRAM_LOST_WAKEUP,
	};

	for (size_t i = 0; i < sizeof(buggy) / sizeof(buggy[0]); i++) {
		struct program_options options = {.padding = 3};
		struct program_run hit;
		uint64_t seed = 0;
		uint32_t used = find_bug(buggy[i], strategy_name, &hit, &seed);

		ck_assert_msg(used > 0, "%s: %s not found in %u executions", strategy_name,
			      program_name(buggy[i]), BUG_BUDGET_EXECUTIONS);
		ck_assert_str_eq(hit.finding_class, program_expected_class(buggy[i]));
		printf("%s: %s found after %u executions: %s\n", strategy_name,
		       program_name(buggy[i]), used, hit.finding_message);
		/* The recorded schedule reproduces the finding exactly, every time. */
		for (uint32_t r = 0; r < REPLAY_REPETITIONS; r++) {
			struct sim_strategy *replay = replay_new(hit.schedule_text);
			struct program_run again;

			ck_assert_int_eq(program_run_once(buggy[i], &options, seed, replay, 1, &again), 0);
			ck_assert_msg(again.failed, "replay %u did not fail", r);
			ck_assert_str_eq(again.finding_class, hit.finding_class);
			ck_assert_str_eq(again.finding_message, hit.finding_message);
			ck_assert_uint_eq(again.trace_hash, hit.trace_hash);
			ck_assert_str_eq(again.schedule_text, hit.schedule_text);
			program_run_fini(&again);
			sim_strategy_destroy(replay);
		}
		program_run_fini(&hit);
	}
}

START_TEST(test_engine_classic_bugs_found_by_pct)
{
	classic_bugs_found_by("pct");
}
END_TEST

START_TEST(test_engine_classic_bugs_found_by_random)
{
	classic_bugs_found_by("random");
}
END_TEST

START_TEST(test_engine_fixed_programs_never_fail)
{
	static const enum program_id fixed[] = {
		PROGRAM_LOST_UPDATE_FIXED, PROGRAM_ORDER_DEPTH2_FIXED, PROGRAM_ORDER_DEPTH3_FIXED,
		PROGRAM_LOCK_INVERSION_FIXED, PROGRAM_LOST_WAKEUP_FIXED,
	};
	static const char *const strategies[] = {"random", "pct", "rr"};

	for (size_t k = 0; k < 3; k++) {
		for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
			struct program_options options = {.padding = 3};
			struct sim_strategy *s = strategy_new(strategies[k], 7);

			for (uint32_t n = 1; n <= FIXED_EXECUTIONS; n++) {
				struct program_run run;

				ck_assert_int_eq(program_run_once(fixed[i], &options, n, s, 1, &run), 0);
				ck_assert_msg(!run.failed, "%s under %s seed %u: %s: %s",
					      program_name(fixed[i]), strategies[k], n,
					      run.finding_class, run.finding_message);
				program_run_fini(&run);
			}
			sim_strategy_destroy(s);
		}
	}
}
END_TEST

static uint64_t dfs_count(uint32_t points, uint32_t bound)
{
	struct sim_strategy_config config = {.seed = 1, .dfs_preemption_bound = bound};
	struct program_options options = {.tiny_points = points};
	struct sim_strategy *s = NULL;
	uint64_t count = 0;

	ck_assert_int_eq(sim_strategy_create("dfs", &config, &s), 0);
	for (uint32_t n = 0; n < 100000; n++) {
		struct program_run run;
		int err = program_run_once(PROGRAM_TINY, &options, 1, s, 1, &run);

		if (err == -ENOSPC) {
			program_run_fini(&run);
			break;
		}
		ck_assert_int_eq(err, 0);
		ck_assert_msg(!run.failed, "%s", run.finding_message);
		program_run_fini(&run);
		count++;
	}
	sim_strategy_destroy(s);
	return count;
}

/*
 * Two threads, each with p points, run in p + 1 segments. Without a bound
 * DFS enumerates every interleaving of the segments: C(2p + 2, p + 1), so 6
 * for p = 1 and 20 for p = 2. With no preemption allowed, only the first
 * pick varies: 2. With one preemption and p = 1: per first thread, either
 * it runs to the end, or it is preempted once at its point and the other
 * then runs to the end: 2 x 2 = 4.
 */
START_TEST(test_engine_dfs_enumerates_exact_schedule_counts)
{
	ck_assert_uint_eq(dfs_count(1, UINT32_MAX), 6);
	ck_assert_uint_eq(dfs_count(2, UINT32_MAX), 20);
	ck_assert_uint_eq(dfs_count(1, 0), 2);
	ck_assert_uint_eq(dfs_count(1, 1), 4);
}
END_TEST

struct tiny_ctx {
	struct program_options options;
	enum program_id id;
};

static int tiny_setup(struct sim *sim, void *ctx, void **state)
{
	struct tiny_ctx *c = ctx;

	*state = program_setup(sim, c->id, &c->options);
	return 0;
}

static void tiny_teardown(struct sim *sim, void *ctx, void *state)
{
	(void)ctx;
	program_teardown(sim, state);
}

static const struct sim_program_ops tiny_ops = {.setup = tiny_setup, .teardown = tiny_teardown};

START_TEST(test_engine_selfcheck_1000_seeds_deterministic)
{
	struct tiny_ctx ctx = {.options = {.padding = 2}, .id = PROGRAM_LOCK_INVERSION};
	const char *names[2] = {"random", "pct"};

	for (uint64_t seed = 1; seed <= 1000; seed++) {
		struct sim_config config = {.seed = seed, .vcpu_count = 2, .pin_cpu = -1};
		struct sim_strategy_config sc = {.seed = seed};
		struct sim_selfcheck check;
		char text[512];

		ck_assert_int_eq(sim_selfcheck_run(&config, names[seed % 2], &sc, &tiny_ops, &ctx,
						   &check), 0);
		sim_selfcheck_describe(&check, text, sizeof(text));
		ck_assert_msg(check.match, "seed %llu: %s", (unsigned long long)seed, text);
		struct sim_finding none;

		ck_assert(!sim_selfcheck_finding(&check, &none));
	}
}
END_TEST

START_TEST(test_engine_selfcheck_reports_nondeterminism)
{
	struct tiny_ctx ctx = {.options = {.tiny_points = 3, .nondeterministic = true},
			       .id = PROGRAM_TINY};
	struct sim_config config = {.seed = 5, .vcpu_count = 1, .pin_cpu = -1};
	struct sim_strategy_config sc = {.seed = 5};
	struct sim_selfcheck check;
	char text[512];

	ck_assert_int_eq(sim_selfcheck_run(&config, "random", &sc, &tiny_ops, &ctx, &check), 0);
	sim_selfcheck_describe(&check, text, sizeof(text));
	ck_assert_msg(!check.match, "%s", text);
	ck_assert(check.hash[0] != check.hash[1]);
	ck_assert(check.first_difference != UINT64_MAX);
	ck_assert(check.events_known);
	ck_assert_ptr_nonnull(strstr(text, "first difference at event"));
	printf("%s\n", text);
	struct sim_finding finding;

	ck_assert(sim_selfcheck_finding(&check, &finding));
	ck_assert_str_eq(finding.class_name, SIM_FINDING_NONDETERMINISM);
	ck_assert_ptr_nonnull(strstr(finding.message, "0x"));
	ck_assert_uint_eq(finding.step, check.event[1].step);
}
END_TEST

START_TEST(test_engine_replay_of_modified_program_diverges)
{
	struct program_options options = {.tiny_points = 3};
	struct program_options modified = {.tiny_points = 3, .extra_point = true};
	struct sim_strategy *s = strategy_new("random", 3);
	struct program_run run, again;
	struct sim_strategy *replay;

	ck_assert_int_eq(program_run_once(PROGRAM_TINY, &options, 3, s, 1, &run), 0);
	ck_assert(!run.failed);
	replay = replay_new(run.schedule_text);
	ck_assert_int_eq(program_run_once(PROGRAM_TINY, &modified, 3, replay, 1, &again), 0);
	ck_assert(again.failed);
	ck_assert_str_eq(again.finding_class, SIM_FINDING_DIVERGENCE);
	ck_assert_ptr_nonnull(strstr(again.finding_message, "decision"));
	printf("divergence: %s\n", again.finding_message);
	program_run_fini(&again);
	sim_strategy_destroy(replay);
	/* The unmodified program replays cleanly. */
	replay = replay_new(run.schedule_text);
	ck_assert_int_eq(program_run_once(PROGRAM_TINY, &options, 3, replay, 1, &again), 0);
	ck_assert_msg(!again.failed, "%s", again.finding_message);
	ck_assert_uint_eq(again.trace_hash, run.trace_hash);
	program_run_fini(&again);
	program_run_fini(&run);
	sim_strategy_destroy(replay);
	sim_strategy_destroy(s);
}
END_TEST

static Suite *engine_programs_suite(void)
{
	Suite *s = suite_create("engine-programs");
	TCase *tc = tcase_create("programs");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_engine_classic_bugs_found_by_pct);
	tcase_add_test(tc, test_engine_classic_bugs_found_by_random);
	tcase_add_test(tc, test_engine_fixed_programs_never_fail);
	tcase_add_test(tc, test_engine_dfs_enumerates_exact_schedule_counts);
	tcase_add_test(tc, test_engine_selfcheck_1000_seeds_deterministic);
	tcase_add_test(tc, test_engine_selfcheck_reports_nondeterminism);
	tcase_add_test(tc, test_engine_replay_of_modified_program_diverges);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return support_run_suite(engine_programs_suite());
}

// SPDX-License-Identifier: MIT
/*
 * The engine campaign demo (README command 1 until the apfsim CLI exists).
 *
 * For each classic concurrency bug (lost update, depth-2 and depth-3
 * ordering, lock-order inversion, lost wakeup) and each of PCT and random
 * walk: run executions from seed 1 up until the bug is found, print the seed,
 * the finding and the recorded schedule, then replay the schedule 10 times
 * and check that the same finding and the same trace hash come back. The
 * fixed version of every program must run clean for 200 executions.
 *
 * Exit: 0 all found, reproduced and clean; 1 otherwise; 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "programs.h"
#include "sim/schedule.h"
#include "sim/strategy.h"

#define BUDGET 2000u
#define REPLAYS 10u
#define CLEAN_RUNS 200u

static struct sim_strategy *make(const char *name, const char *schedule_text)
{
	struct sim_strategy_config config = {.seed = 1, .pct_depth = 3};
	struct sim_schedule schedule;
	struct sim_strategy *s = NULL;
	char error[128];

	sim_schedule_init(&schedule);
	if (schedule_text != NULL) {
		if (sim_schedule_decode(schedule_text, &schedule, error, sizeof(error)) != 0) {
			fprintf(stderr, "demo: bad schedule: %s\n", error);
			exit(1);
		}
		config.replay_schedule = &schedule;
	}
	if (sim_strategy_create(name, &config, &s) != 0) {
		fprintf(stderr, "demo: cannot create strategy %s\n", name);
		exit(1);
	}
	sim_schedule_fini(&schedule);
	return s;
}

static bool hunt(enum program_id id, const char *strategy_name)
{
	struct program_options options = {.padding = 3};
	struct sim_strategy *s = make(strategy_name, NULL);
	struct program_run hit = {0};
	uint32_t n, reproduced = 0;

	for (n = 1; n <= BUDGET; n++) {
		if (program_run_once(id, &options, n, s, 1, &hit) != 0 || hit.failed)
			break;
		program_run_fini(&hit);
	}
	sim_strategy_destroy(s);
	if (n > BUDGET || !hit.failed) {
		printf("%-15s %-7s NOT FOUND in %u executions\n", program_name(id), strategy_name,
		       BUDGET);
		return false;
	}
	for (uint32_t r = 0; r < REPLAYS; r++) {
		struct sim_strategy *replay = make("replay", hit.schedule_text);
		struct program_run again;

		if (program_run_once(id, &options, n, replay, 1, &again) == 0 && again.failed &&
		    strcmp(again.finding_class, hit.finding_class) == 0 &&
		    again.trace_hash == hit.trace_hash)
			reproduced++;
		program_run_fini(&again);
		sim_strategy_destroy(replay);
	}
	printf("%-15s %-7s %10u %6u %-10s %8u/%u  %.40s%s\n", program_name(id), strategy_name, n, n,
	       hit.finding_class, reproduced, REPLAYS, hit.schedule_text,
	       strlen(hit.schedule_text) > 40 ? "..." : "");
	printf("%33s finding: %s\n", "", hit.finding_message);
	program_run_fini(&hit);
	return reproduced == REPLAYS;
}

static bool clean(enum program_id id)
{
	struct program_options options = {.padding = 3};
	struct sim_strategy *s = make("random", NULL);
	uint32_t failures = 0;

	for (uint32_t n = 1; n <= CLEAN_RUNS; n++) {
		struct program_run run;

		if (program_run_once(id, &options, n, s, 1, &run) != 0 || run.failed)
			failures++;
		program_run_fini(&run);
	}
	sim_strategy_destroy(s);
	printf("%-22s %u executions, %u findings\n", program_name(id), CLEAN_RUNS, failures);
	return failures == 0;
}

int main(int argc, char **argv)
{
	static const enum program_id buggy[] = {
		PROGRAM_LOST_UPDATE, PROGRAM_ORDER_DEPTH2, PROGRAM_ORDER_DEPTH3,
		PROGRAM_LOCK_INVERSION, PROGRAM_LOST_WAKEUP,
	};
	bool ok = true;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: apfsim_demo (no arguments)\n");
		return 2;
	}
	printf("apfsim engine demo: classic concurrency bugs, found from a seed and replayed\n\n");
	printf("%-15s %-7s %10s %6s %-10s %10s  %s\n", "program", "strategy", "executions", "seed",
	       "class", "replayed", "schedule");
	for (size_t i = 0; i < sizeof(buggy) / sizeof(buggy[0]); i++) {
		ok &= hunt(buggy[i], "pct");
		ok &= hunt(buggy[i], "random");
	}
	printf("\nfixed versions (random walk):\n");
	for (size_t i = 0; i < sizeof(buggy) / sizeof(buggy[0]); i++)
		ok &= clean(buggy[i] + 1);
	printf("\n%s\n", ok ? "result: every bug found and reproduced; fixed versions clean"
			    : "result: FAILED");
	return ok ? 0 : 1;
}

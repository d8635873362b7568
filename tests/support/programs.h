/* SPDX-License-Identifier: MIT */
/*
 * Small programs on the engine, used by the engine tests and benchmarks:
 * classic concurrency bugs (and their correct versions) and a tiny program
 * whose schedules DFS can count.
 */
#ifndef APFSIM_TEST_PROGRAMS_H
#define APFSIM_TEST_PROGRAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/sim.h"
#include "sim/strategy.h"

/* Finding class every classic program reports when its bug shows. */
#define PROGRAM_FINDING "program-bug"

enum program_id {
	PROGRAM_LOST_UPDATE = 0,
	PROGRAM_LOST_UPDATE_FIXED,
	PROGRAM_ORDER_DEPTH2,
	PROGRAM_ORDER_DEPTH2_FIXED,
	PROGRAM_ORDER_DEPTH3,
	PROGRAM_ORDER_DEPTH3_FIXED,
	PROGRAM_LOCK_INVERSION,
	PROGRAM_LOCK_INVERSION_FIXED,
	PROGRAM_LOST_WAKEUP,
	PROGRAM_LOST_WAKEUP_FIXED,
	PROGRAM_TINY,      /* two threads, `tiny_points` points each */
	PROGRAM_PINGPONG,  /* two threads switching at every point (bench) */
	PROGRAM_COUNT,
};

struct program_state; /* per-execution state of a program */

struct program_options {
	uint32_t tiny_points;   /* PROGRAM_TINY: points per thread */
	uint32_t padding;       /* points around the interesting steps */
	uint32_t pingpong_rounds;
	bool extra_point;       /* a deliberately modified program (replay divergence) */
	bool nondeterministic;  /* behaves differently on every run (self-check) */
};

const char *program_name(enum program_id id);
/* Whether the program has a bug that an exploration must find. */
bool program_buggy(enum program_id id);
/* Expected finding class when the bug shows (deadlocks come from the engine). */
const char *program_expected_class(enum program_id id);

/* Spawn the program's threads on @sim. Returns per-execution state. */
struct program_state *program_setup(struct sim *sim, enum program_id id,
				    const struct program_options *options);
/* Check end-of-run assertions (after sim_run) and free the state. */
void program_teardown(struct sim *sim, struct program_state *state);

struct program_run {
	int run_error;        /* sim_run() result */
	bool failed;          /* any finding */
	char finding_class[64];
	char finding_message[256];
	uint64_t trace_hash;
	uint64_t step_count;
	uint64_t decision_count;
	char *schedule_text;  /* encoded recorded schedule (malloc'ed) */
};

/* One execution of @id with a given strategy instance. */
int program_run_once(enum program_id id, const struct program_options *options,
		     uint64_t seed, struct sim_strategy *strategy, uint32_t vcpu_count,
		     struct program_run *out);
void program_run_fini(struct program_run *run);

#endif /* APFSIM_TEST_PROGRAMS_H */

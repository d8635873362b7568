/* SPDX-License-Identifier: MIT */
/*
 * Determinism self-check: run one seed twice and compare the rolling hash of
 * the whole trace. A mismatch names both hashes and the first differing
 * event; sim_selfcheck_finding() turns it into a "nondeterminism" finding.
 */
#ifndef SIM_SELFCHECK_H
#define SIM_SELFCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"
#include "sim/strategy.h"
#include "sim/trace.h"

/* A program to run on an execution: setup spawns threads, teardown checks and frees. */
struct sim_program_ops {
	int (*setup)(struct sim *sim, void *ctx, void **state_out);
	void (*teardown)(struct sim *sim, void *ctx, void *state);
};

struct sim_selfcheck {
	bool match;
	uint64_t hash[2];
	uint64_t event_count[2];
	/* Index of the first differing event, UINT64_MAX when they match. */
	uint64_t first_difference;
	/* Copies of the differing events, when within the logged prefix. */
	bool events_known;
	struct sim_trace_event event[2];
};

/**
 * sim_selfcheck_run() - run @program twice from the same seed, with a fresh
 * instance of the strategy each time, and compare.
 *
 * Return: 0 (the verdict is in @out), or a negative errno if an execution
 * could not run.
 */
__attribute__((warn_unused_result)) int
sim_selfcheck_run(const struct sim_config *config, const char *strategy_name,
		  const struct sim_strategy_config *strategy_config,
		  const struct sim_program_ops *program, void *ctx, struct sim_selfcheck *out);

/*
 * Turn a mismatch into a "nondeterminism" finding (both hashes and the first
 * differing event in the message). Return: false when the runs matched.
 */
bool sim_selfcheck_finding(const struct sim_selfcheck *check, struct sim_finding *finding);

/* Describe a mismatch in one line (for a finding message or a log). */
void sim_selfcheck_describe(const struct sim_selfcheck *check, char *text, size_t size);

#endif /* SIM_SELFCHECK_H */

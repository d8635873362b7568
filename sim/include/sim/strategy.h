/* SPDX-License-Identifier: MIT */
/*
 * Scheduling strategies: one interface (a struct of function pointers),
 * chosen by name. A strategy instance lives across executions, so it can
 * carry state from one to the next (DFS backtracking, PCT estimates).
 *
 * The engine asks the strategy only where there is a real choice (two or more
 * options) and records every answer in the execution's schedule.
 */
#ifndef SIM_STRATEGY_H
#define SIM_STRATEGY_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/schedule.h"

#define SIM_PICK_DIVERGED 0xffffffffu

struct sim_strategy;

struct sim_strategy_config {
	uint64_t seed;           /* strategies' own stream (e.g. PCT priorities) */
	/* PCT */
	uint32_t pct_depth;      /* d >= 1; 0: 3 */
	uint32_t pct_thread_count; /* n; 0: estimate from the previous execution */
	uint64_t pct_step_count;   /* k; 0: estimate from the previous execution */
	/* DFS */
	uint32_t dfs_preemption_bound; /* max preemptions per schedule; UINT32_MAX: unbounded */
	uint64_t dfs_execution_max;    /* stop after this many schedules; 0: no limit */
	/* Replay */
	const struct sim_schedule *replay_schedule; /* copied at create */
	/* After the recorded decisions run out: NULL = strict (stop the
	 * execution as diverged if more decisions are needed), otherwise the
	 * name of a strategy to continue with (prefix replay). */
	const char *replay_continue_with;
	/* Interrupt delivery: chance that a deliverable interrupt is taken at a
	 * given point (random, PCT). 0/0: 1/2. */
	uint32_t irq_take_numerator;
	uint32_t irq_take_denominator;
};

struct sim_pick {
	const uint32_t *eligible;  /* thread ids, deterministic order */
	uint32_t eligible_count;   /* >= 2 */
	uint32_t current_id;       /* the thread at the point, SIM_THREAD_NONE if
				    * it is not among the eligible (blocked/exited) */
	uint64_t step;
	/* The current thread is at a SIM_POINT_YIELD (e.g. spinning politely
	 * on a lock held elsewhere, or an idle vCPU): strategies that would always pick it again (PCT)
	 * let another thread run first, so a spin-wait cannot starve the
	 * thread it waits for. */
	bool current_yielded;
};

struct sim_strategy_ops {
	const char *name;
	const char *summary;
	int (*create)(struct sim_strategy **out, const struct sim_strategy_config *config);
	void (*destroy)(struct sim_strategy *strategy);
	/* Start an execution. Return 0, or -ENOSPC when there is nothing left
	 * to explore (DFS exhausted). */
	int (*execution_begin)(struct sim_strategy *strategy, uint64_t seed);
	/* Index into pick->eligible, or SIM_PICK_DIVERGED (replay). */
	uint32_t (*pick_thread)(struct sim_strategy *strategy, const struct sim_pick *pick);
	/* An option in [0, option_count), or SIM_PICK_DIVERGED (replay). */
	uint32_t (*pick_option)(struct sim_strategy *strategy, enum sim_decision_kind kind,
				uint32_t option_count, uint64_t step);
	/* End of an execution: the decisions it made and how many steps it ran.
	 * Return: true if another execution can explore something new. */
	bool (*execution_end)(struct sim_strategy *strategy,
			      const struct sim_schedule *recorded, uint64_t step_count,
			      uint32_t thread_count);
	/* Human-readable reason of the last SIM_PICK_DIVERGED, or NULL. */
	const char *(*error)(const struct sim_strategy *strategy);
};

/* Every instance starts with this header (strategies embed it first). */
struct sim_strategy {
	const struct sim_strategy_ops *ops;
};

/* The registry of strategies, by name: random, pct, dfs, replay, rr. */
const struct sim_strategy_ops *sim_strategy_find(const char *name);
/* NULL-terminated list of all strategies. */
const struct sim_strategy_ops *const *sim_strategy_list(void);

/* Convenience wrappers. */
int sim_strategy_create(const char *name, const struct sim_strategy_config *config,
			struct sim_strategy **out);
void sim_strategy_destroy(struct sim_strategy *strategy);

#endif /* SIM_STRATEGY_H */

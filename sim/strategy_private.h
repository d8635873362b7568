/* SPDX-License-Identifier: MIT */
/*
 * Private to the strategies (sim/strategy*.c) and their unit tests: the ops
 * tables the registry lists, helpers the strategies share, and read-only
 * accessors that let tests and reports look inside PCT and DFS. Nothing
 * outside sim/ and tests/unit/test_strategy_*.c includes this header.
 */
#ifndef SIM_STRATEGY_PRIVATE_H
#define SIM_STRATEGY_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/limits.h"
#include "sim/prng.h"
#include "sim/strategy.h"

/* Size of a strategy's error message buffer: one finding message. */
#define STRATEGY_ERROR_SIZE_ SIM_FINDING_MESSAGE_SIZE

/* PCT depth when the configuration says 0, and the largest accepted. */
#define STRATEGY_PCT_DEPTH_DEFAULT_ 3u
#define STRATEGY_PCT_DEPTH_MAX_ 64u
/* PCT's first guesses, before any execution has been seen. */
#define STRATEGY_PCT_THREAD_COUNT_GUESS_ 2u
#define STRATEGY_PCT_STEP_COUNT_GUESS_ 64u

/* DFS keeps at most this many decision points; deeper ones take option 0. */
#define STRATEGY_DFS_DEPTH_MAX_ (1u << 18)

extern const struct sim_strategy_ops sim__strategy_random_ops;
extern const struct sim_strategy_ops sim__strategy_pct_ops;
extern const struct sim_strategy_ops sim__strategy_dfs_ops;
extern const struct sim_strategy_ops sim__strategy_replay_ops;
extern const struct sim_strategy_ops sim__strategy_rr_ops;

/**
 * sim__strategy_irq_ratio() - the interrupt-take chance of a configuration.
 * @config: the configuration (irq_take_numerator / irq_take_denominator).
 * @ratio_out: 1/2 for 0/0, else the configured ratio.
 *
 * Return: 0, or -EINVAL for a zero denominator with a non-zero numerator or
 * a numerator above the denominator.
 */
int sim__strategy_irq_ratio(const struct sim_strategy_config *config,
			    struct sim_ratio *ratio_out);

/**
 * sim__strategy_prng_init() - seed a strategy's stream for one execution.
 * @prng: the stream.
 * @config_seed: the strategy's configured seed.
 * @execution_seed: the seed the engine passes to execution_begin().
 * @salt: distinguishes strategies, so random and PCT differ on one seed.
 */
void sim__strategy_prng_init(struct sim_prng *prng, uint64_t config_seed,
			     uint64_t execution_seed, uint64_t salt);

/**
 * sim__strategy_option_random() - a random answer to an IRQ or CHOICE decision.
 * @prng: the strategy's stream.
 * @irq_ratio: chance that an interrupt is taken (option 0).
 * @kind: SIM_DECISION_IRQ or SIM_DECISION_CHOICE.
 * @option_count: options there are, at least 1.
 *
 * Return: an option in [0, @option_count).
 */
uint32_t sim__strategy_option_random(struct sim_prng *prng, struct sim_ratio irq_ratio,
				     enum sim_decision_kind kind, uint32_t option_count);

/**
 * sim__strategy_pct_priority() - a thread's PCT priority in this execution.
 * @strategy: a PCT strategy.
 * @thread_id: the thread.
 *
 * Initial priorities are d .. d+m-1 over the m threads seen so far (higher
 * runs first); a thread lowered at the i-th change point has d-i.
 *
 * Return: the priority, or 0 if the thread has not been seen yet.
 */
uint64_t sim__strategy_pct_priority(const struct sim_strategy *strategy, uint32_t thread_id);

/**
 * sim__strategy_pct_change_points() - this execution's change points.
 * @strategy: a PCT strategy.
 * @points_out: receives up to @capacity pick numbers (1-based), ascending.
 * @capacity: room in @points_out.
 *
 * Return: how many change points the execution has (may exceed @capacity).
 */
uint32_t sim__strategy_pct_change_points(const struct sim_strategy *strategy,
					 uint64_t *points_out, uint32_t capacity);

/**
 * sim__strategy_pct_parameters() - the d, n and k the current execution uses.
 * @strategy: a PCT strategy.
 * @depth_out: d.
 * @thread_count_out: n (configured or estimated).
 * @step_count_out: k in picks (configured or estimated).
 */
void sim__strategy_pct_parameters(const struct sim_strategy *strategy, uint32_t *depth_out,
				  uint32_t *thread_count_out, uint64_t *step_count_out);

/**
 * sim__strategy_dfs_schedule_count() - schedules DFS has explored so far.
 * @strategy: a DFS strategy.
 *
 * Return: the number of executions that ended (each is one schedule).
 */
uint64_t sim__strategy_dfs_schedule_count(const struct sim_strategy *strategy);

/**
 * sim__strategy_dfs_exhausted() - whether DFS has explored its whole tree.
 * @strategy: a DFS strategy.
 *
 * Return: true once every allowed schedule has run (false after an early stop
 * by dfs_execution_max or by nondeterminism).
 */
bool sim__strategy_dfs_exhausted(const struct sim_strategy *strategy);

/**
 * sim__strategy_dfs_truncated_count() - executions deeper than the DFS stack.
 * @strategy: a DFS strategy.
 *
 * Return: how many executions had decisions beyond STRATEGY_DFS_DEPTH_MAX_
 * (those decisions took option 0 and were not explored).
 */
uint64_t sim__strategy_dfs_truncated_count(const struct sim_strategy *strategy);

#endif /* SIM_STRATEGY_PRIVATE_H */

/* SPDX-License-Identifier: MIT */
/*
 * Token ordering: one fuzz input is a whole execution of the async-PF
 * system (docs/fuzzing.md, "token_order input"). Shared by the fuzz target
 * fuzz/fuzz_token_order.c, the benchmark bench/bench_token_order.c and the
 * CLI command `apfsim fuzz-import` (apfsim/fuzz_import.c).
 *
 *   header (TOKEN_ORDER_HEADER_BYTES)  a small bounded world configuration:
 *                                      vCPUs, tasks, touches, pages, swapped-
 *                                      out pages, event classes and count,
 *                                      flags (injection, absent async PF, ...),
 *                                      the seed; every oracle on and
 *                                      draws = WORLD_DRAWS_SCHEDULE
 *   script (the rest)                  read by the cursor strategy, in the
 *                                      order the engine asks: thread picks,
 *                                      interrupt take/defer, sim_choose()
 *                                      options (the world's pages and
 *                                      read/write, event gaps, classes, CPUs,
 *                                      offline times)
 *
 * The engine records every decision, so a run's recorded schedule replays
 * it with the `replay` strategy on the decoded configuration: that is what
 * turns a fuzz crash into an apfsim finding.
 */
#ifndef APFSIM_TOKEN_ORDER_H
#define APFSIM_TOKEN_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/world.h"

struct sim_strategy;

#define TOKEN_ORDER_HEADER_BYTES 8u
/* Bounds of the decoded configuration. */
#define TOKEN_ORDER_VCPUS_MAX 4u
#define TOKEN_ORDER_TASKS_MAX 6u
#define TOKEN_ORDER_TOUCHES_MAX 8u
#define TOKEN_ORDER_PAGES_MAX 8u
#define TOKEN_ORDER_EVENTS_MAX 8u
/* Schedule points of one execution before the engine's step-bound finding. */
#define TOKEN_ORDER_STEPS_MAX 200000u
#define TOKEN_ORDER_TRACE_RING 4096u
/* A "keep" byte keeps the current thread for at most this many picks. */
#define TOKEN_ORDER_KEEP_MAX 32u

/* Header flag bits (byte 6). */
#define TOKEN_ORDER_FLAG_ALLOC_FAIL (1u << 0)  /* inject alloc-fail (ratio 1/16) */
#define TOKEN_ORDER_FLAG_APF_ABSENT (1u << 1)  /* the last vCPU has no async-PF state (>= 2 vCPUs) */
#define TOKEN_ORDER_FLAG_ONE_WORKER (1u << 2)  /* one host workqueue worker instead of 2 */
#define TOKEN_ORDER_FLAG_SDEI_DEFAULT (1u << 3) /* also expose SDEI event 0x40400000 */
#define TOKEN_ORDER_FLAG_SLOW_PAGEIN (1u << 4) /* page-in 400..3000 ticks instead of 50..400 */

/**
 * token_order_config() - the world configuration of an input's header.
 * Bytes past the end of a short input read as 0. The result always passes
 * world_config_check() and the scenario format's rules.
 */
void token_order_config(const uint8_t *data, size_t size, struct world_config *out);

/**
 * token_order_strategy_create() - a cursor strategy reading @script (not
 * copied: it must outlive the strategy). Each execution_begin() rewinds it.
 * Return: 0 or -ENOMEM.
 */
int token_order_strategy_create(const uint8_t *script, size_t size, struct sim_strategy **out);

/** token_order_strategy_used() - script bytes the last execution read. */
size_t token_order_strategy_used(const struct sim_strategy *strategy);

/* One input run: the world stays alive for inspection until _end(). */
struct token_order_run {
	struct world_config config;
	struct sim_strategy *strategy;
	struct world *world;
};

/* What token_order_run() may change in the decoded configuration (0: keep). */
struct token_order_options {
	uint32_t trace_ring_size; /* else TOKEN_ORDER_TRACE_RING */
	uint64_t step_count_max;  /* else TOKEN_ORDER_STEPS_MAX */
};

/**
 * token_order_run() - decode @data, create the strategy and the world, run
 * it. @options may be NULL (the fuzz target's configuration). On 0, findings
 * are in sim_result(world_sim(run->world)). Always call token_order_run_end().
 * Return: 0, or a negative errno with a message in @error.
 */
int token_order_run(struct token_order_run *run, const uint8_t *data, size_t size,
		    const struct token_order_options *options, char *error, size_t error_size);
void token_order_run_end(struct token_order_run *run);

#endif /* APFSIM_TOKEN_ORDER_H */

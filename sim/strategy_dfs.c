// SPDX-License-Identifier: MIT
/*
 * Bounded exhaustive search: stateless depth-first search over every
 * decision (thread picks, interrupt and sim_choose() options) with a
 * preemption bound, in the manner of CHESS.
 *
 * "Stateless" means no program state is saved: each execution re-runs the
 * program from the start. The strategy keeps a stack of the decision points
 * of the last execution (option taken, option count, preemptions before the
 * point); the next execution replays the stack as a prefix, whose deepest
 * point has moved on to its next untried option, and takes option 0 at every
 * new point. The tree is exhausted when no point has an untried option left.
 *
 * Option order at a thread pick: the current thread first when it is
 * eligible, then the others in eligible order. Taking a non-current thread
 * while the current one is eligible is a preemption; at a point where the
 * bound is already reached only option 0 is allowed.
 *
 * A program that is not deterministic under a fixed schedule would make the
 * prefix meaningless; each point carries a signature of what was offered
 * (kind, option count, eligible ids and current thread), and a mismatch stops
 * the search with a message instead of exploring garbage or looping.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/assert.h"
#include "sim/limits.h"
#include "sim/prng.h"
#include "sim/strategy.h"
#include "strategy_private.h"

static const char *const dfs_kind_names[] = { "a thread pick", "an irq decision", "a choice" };

struct dfs_point {
	uint64_t signature;   /* what was offered, to detect nondeterminism */
	uint32_t option_index; /* the option this point takes now */
	uint32_t option_count;
	uint32_t preemptions; /* preemptions before this point */
	uint8_t kind;         /* enum sim_decision_kind */
	bool preemptible;     /* a thread pick whose current thread is eligible */
};

struct dfs_strategy {
	struct sim_strategy base;
	uint32_t preemption_bound;
	uint64_t execution_max;   /* 0: no limit */
	struct dfs_point *stack;
	uint64_t stack_count;
	uint64_t stack_capacity;
	/* The current execution. */
	uint64_t depth;           /* decision points met so far */
	uint32_t preemptions;
	bool active;
	bool diverged;
	bool truncated;
	/* Across executions. */
	uint64_t schedule_count;
	uint64_t truncated_count;
	bool exhausted;           /* the whole tree has been explored */
	bool stopped;             /* nondeterminism: no further executions */
	char error[STRATEGY_ERROR_SIZE_];
};

SIM_STATIC_ASSERT(STRATEGY_DFS_DEPTH_MAX_ >= 64, "DFS needs room for small programs");

static struct dfs_strategy *dfs_from(struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_dfs_ops);
	return (struct dfs_strategy *)strategy;
}

static const struct dfs_strategy *dfs_from_const(const struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_dfs_ops);
	return (const struct dfs_strategy *)strategy;
}

static int dfs_create(struct sim_strategy **out, const struct sim_strategy_config *config)
{
	struct dfs_strategy *dfs;

	SIM_ASSERT(out != NULL);
	SIM_ASSERT(config != NULL);
	dfs = calloc(1, sizeof(*dfs));
	if (dfs == NULL)
		return -ENOMEM;
	dfs->base.ops = &sim__strategy_dfs_ops;
	dfs->preemption_bound = config->dfs_preemption_bound;
	dfs->execution_max = config->dfs_execution_max;
	*out = &dfs->base;
	return 0;
}

static void dfs_destroy(struct sim_strategy *strategy)
{
	struct dfs_strategy *dfs = dfs_from(strategy);

	free(dfs->stack);
	free(dfs);
}

static bool dfs_limit_reached(const struct dfs_strategy *dfs)
{
	return dfs->execution_max != 0 && dfs->schedule_count >= dfs->execution_max;
}

static int dfs_execution_begin(struct sim_strategy *strategy, uint64_t seed)
{
	struct dfs_strategy *dfs = dfs_from(strategy);

	(void)seed;
	SIM_ASSERT(!dfs->active);
	if (dfs->exhausted || dfs->stopped || dfs_limit_reached(dfs))
		return -ENOSPC;
	dfs->depth = 0;
	dfs->preemptions = 0;
	dfs->active = true;
	dfs->diverged = false;
	dfs->truncated = false;
	SIM_ASSERT(dfs->error[0] == '\0');
	return 0;
}

static int dfs_push(struct dfs_strategy *dfs, const struct dfs_point *point)
{
	if (dfs->stack_count == dfs->stack_capacity) {
		uint64_t capacity = dfs->stack_capacity ? dfs->stack_capacity * 2 : 64;
		struct dfs_point *grown;

		if (capacity > STRATEGY_DFS_DEPTH_MAX_)
			capacity = STRATEGY_DFS_DEPTH_MAX_;
		if (capacity <= dfs->stack_count)
			return -ENOSPC;
		grown = realloc(dfs->stack, capacity * sizeof(*grown));
		if (grown == NULL)
			return -ENOMEM;
		dfs->stack = grown;
		dfs->stack_capacity = capacity;
	}
	SIM_ASSERT(dfs->stack_count < dfs->stack_capacity);
	dfs->stack[dfs->stack_count++] = *point;
	return 0;
}

/* The execution stopped following the prefix: stop the whole search. */
static uint32_t dfs_diverge(struct dfs_strategy *dfs, const struct dfs_point *expected,
			    const struct dfs_point *offered)
{
	SIM_ASSERT(expected->kind <= SIM_DECISION_CHOICE);
	SIM_ASSERT(offered->kind <= SIM_DECISION_CHOICE);
	if (expected->kind == offered->kind && expected->option_count == offered->option_count)
		snprintf(dfs->error, sizeof(dfs->error),
			 "nondeterminism: decision %" PRIu64 " offered other threads than the"
			 " explored prefix (%" PRIu32 " eligible); the program is not"
			 " deterministic under a fixed schedule",
			 dfs->depth, offered->option_count);
	else
		snprintf(dfs->error, sizeof(dfs->error),
			 "nondeterminism: decision %" PRIu64 " is %s with %" PRIu32
			 " options, the explored prefix had %s with %" PRIu32
			 " options; the program is not deterministic under a fixed schedule",
			 dfs->depth, dfs_kind_names[offered->kind], offered->option_count,
			 dfs_kind_names[expected->kind], expected->option_count);
	dfs->diverged = true;
	return SIM_PICK_DIVERGED;
}

/* Answer one decision point: replay the prefix, else open a new point. */
static uint32_t dfs_decide(struct dfs_strategy *dfs, const struct dfs_point *offered)
{
	uint32_t option = 0;

	SIM_ASSERT(dfs->active);
	SIM_ASSERT(offered->option_count > 0);
	if (dfs->diverged)
		return SIM_PICK_DIVERGED;
	if (dfs->depth < dfs->stack_count) {
		const struct dfs_point *point = &dfs->stack[dfs->depth];

		if (point->kind != offered->kind || point->option_count != offered->option_count ||
		    point->signature != offered->signature)
			return dfs_diverge(dfs, point, offered);
		/* Same offers at every earlier point, hence the same count. */
		SIM_ASSERT(point->preemptions == dfs->preemptions);
		option = point->option_index;
	} else if (!dfs->truncated) {
		struct dfs_point point = *offered;

		point.option_index = 0;
		point.preemptions = dfs->preemptions;
		/* A full stack leaves deeper points unexplored (option 0). */
		dfs->truncated = dfs_push(dfs, &point) != 0;
	}
	/* Points past a full stack are not counted: they are never replayed. */
	if (!dfs->truncated)
		dfs->depth++;
	SIM_ASSERT(option < offered->option_count);
	if (offered->preemptible && option > 0)
		dfs->preemptions++;
	return option;
}

static uint64_t dfs_signature(const struct sim_pick *pick)
{
	uint64_t hash = sim_mix64(pick->current_id);

	for (uint32_t i = 0; i < pick->eligible_count; i++)
		hash = sim_mix64(hash ^ pick->eligible[i]);
	return hash;
}

static uint32_t dfs_pick_thread(struct sim_strategy *strategy, const struct sim_pick *pick)
{
	struct dfs_strategy *dfs = dfs_from(strategy);
	struct dfs_point offered = { 0 };
	uint32_t current_index = SIM_THREAD_NONE;
	uint32_t option;

	SIM_ASSERT(pick->eligible_count > 0);
	SIM_ASSERT(pick->eligible != NULL);
	for (uint32_t i = 0; i < pick->eligible_count; i++) {
		if (pick->eligible[i] == pick->current_id)
			current_index = i;
	}
	offered.kind = SIM_DECISION_THREAD;
	offered.option_count = pick->eligible_count;
	offered.signature = dfs_signature(pick);
	offered.preemptible = current_index != SIM_THREAD_NONE;
	option = dfs_decide(dfs, &offered);
	if (option == SIM_PICK_DIVERGED || current_index == SIM_THREAD_NONE)
		return option;
	/* Options are [current, the others in eligible order]. */
	if (option == 0)
		return current_index;
	return option <= current_index ? option - 1 : option;
}

static uint32_t dfs_pick_option(struct sim_strategy *strategy, enum sim_decision_kind kind,
				uint32_t option_count, uint64_t step)
{
	struct dfs_strategy *dfs = dfs_from(strategy);
	struct dfs_point offered = { 0 };

	(void)step;
	SIM_ASSERT(kind == SIM_DECISION_IRQ || kind == SIM_DECISION_CHOICE);
	SIM_ASSERT(option_count > 0);
	offered.kind = (uint8_t)kind;
	offered.option_count = option_count;
	return dfs_decide(dfs, &offered);
}

static uint32_t dfs_allowed_count(const struct dfs_strategy *dfs, const struct dfs_point *point)
{
	if (point->preemptible && point->preemptions >= dfs->preemption_bound)
		return 1;
	return point->option_count;
}

/* Move the deepest point with an untried allowed option to that option. */
static bool dfs_backtrack(struct dfs_strategy *dfs)
{
	while (dfs->stack_count > 0) {
		struct dfs_point *point = &dfs->stack[dfs->stack_count - 1];

		SIM_ASSERT(point->option_index < point->option_count);
		if (point->option_index + 1 < dfs_allowed_count(dfs, point)) {
			point->option_index++;
			return true;
		}
		dfs->stack_count--;
	}
	dfs->exhausted = true;
	return false;
}

static bool dfs_execution_end(struct sim_strategy *strategy, const struct sim_schedule *recorded,
			      uint64_t step_count, uint32_t thread_count)
{
	struct dfs_strategy *dfs = dfs_from(strategy);

	(void)recorded;
	(void)step_count;
	(void)thread_count;
	SIM_ASSERT(dfs->active);
	SIM_ASSERT(dfs->depth <= dfs->stack_count);
	dfs->active = false;
	dfs->schedule_count++;
	dfs->truncated_count += dfs->truncated;
	if (!dfs->diverged && dfs->depth < dfs->stack_count) {
		snprintf(dfs->error, sizeof(dfs->error),
			 "nondeterminism: the execution ended after %" PRIu64
			 " decisions, before decision %" PRIu64
			 " of the explored prefix; the program is not deterministic under a"
			 " fixed schedule", dfs->depth, dfs->stack_count - 1);
		dfs->diverged = true;
	}
	if (dfs->diverged) {
		dfs->stopped = true;
		return false;
	}
	if (!dfs_backtrack(dfs))
		return false;
	return !dfs_limit_reached(dfs);
}

static const char *dfs_error(const struct sim_strategy *strategy)
{
	const struct dfs_strategy *dfs = dfs_from_const(strategy);

	SIM_ASSERT(dfs->error[0] == '\0' || dfs->diverged);
	return dfs->error[0] != '\0' ? dfs->error : NULL;
}

uint64_t sim__strategy_dfs_schedule_count(const struct sim_strategy *strategy)
{
	const struct dfs_strategy *dfs = dfs_from_const(strategy);

	SIM_ASSERT(dfs->stack_count <= STRATEGY_DFS_DEPTH_MAX_);
	return dfs->schedule_count;
}

bool sim__strategy_dfs_exhausted(const struct sim_strategy *strategy)
{
	const struct dfs_strategy *dfs = dfs_from_const(strategy);

	SIM_ASSERT(!dfs->exhausted || dfs->stack_count == 0);
	return dfs->exhausted;
}

uint64_t sim__strategy_dfs_truncated_count(const struct sim_strategy *strategy)
{
	const struct dfs_strategy *dfs = dfs_from_const(strategy);

	SIM_ASSERT(dfs->truncated_count <= dfs->schedule_count);
	return dfs->truncated_count;
}

const struct sim_strategy_ops sim__strategy_dfs_ops = {
	.name = "dfs",
	.summary = "bounded exhaustive depth-first search with a preemption bound",
	.create = dfs_create,
	.destroy = dfs_destroy,
	.execution_begin = dfs_execution_begin,
	.pick_thread = dfs_pick_thread,
	.pick_option = dfs_pick_option,
	.execution_end = dfs_execution_end,
	.error = dfs_error,
};

// SPDX-License-Identifier: MIT
/*
 * The round-robin strategy: at every choice, the eligible thread with the
 * next id after the running one, wrapping around. Interrupts are delivered
 * at once and sim_choose() gets option 0. It needs no seed and gives one
 * schedule, which makes it a reference run and a simple fairness baseline.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim/assert.h"
#include "sim/limits.h"
#include "sim/strategy.h"
#include "strategy_private.h"

struct rr_strategy {
	struct sim_strategy base;
	/* The thread this strategy picked last in the execution, or NONE. */
	uint32_t last_id;
};

static struct rr_strategy *rr_from(struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_rr_ops);
	return (struct rr_strategy *)strategy;
}

static int rr_create(struct sim_strategy **out, const struct sim_strategy_config *config)
{
	struct rr_strategy *rr;

	SIM_ASSERT(out != NULL);
	SIM_ASSERT(config != NULL);
	rr = calloc(1, sizeof(*rr));
	if (rr == NULL)
		return -ENOMEM;
	rr->base.ops = &sim__strategy_rr_ops;
	rr->last_id = SIM_THREAD_NONE;
	*out = &rr->base;
	return 0;
}

static void rr_destroy(struct sim_strategy *strategy)
{
	free(rr_from(strategy));
}

static int rr_execution_begin(struct sim_strategy *strategy, uint64_t seed)
{
	struct rr_strategy *rr = rr_from(strategy);

	(void)seed;
	rr->last_id = SIM_THREAD_NONE;
	return 0;
}

/*
 * The successor of @after in cyclic id order: the smallest eligible id above
 * it, else the smallest eligible id. With no reference thread (NONE), that is
 * the smallest id, since NONE is above every real id.
 */
static uint32_t rr_pick_thread(struct sim_strategy *strategy, const struct sim_pick *pick)
{
	struct rr_strategy *rr = rr_from(strategy);
	uint32_t after = pick->current_id != SIM_THREAD_NONE ? pick->current_id : rr->last_id;
	uint32_t next_index = SIM_THREAD_NONE;
	uint32_t lowest_index = 0;

	SIM_ASSERT(pick->eligible_count > 0);
	SIM_ASSERT(pick->eligible != NULL);
	for (uint32_t i = 0; i < pick->eligible_count; i++) {
		uint32_t id = pick->eligible[i];

		if (id < pick->eligible[lowest_index])
			lowest_index = i;
		if (after != SIM_THREAD_NONE && id > after &&
		    (next_index == SIM_THREAD_NONE || id < pick->eligible[next_index]))
			next_index = i;
	}
	if (next_index == SIM_THREAD_NONE)
		next_index = lowest_index;
	rr->last_id = pick->eligible[next_index];
	return next_index;
}

static uint32_t rr_pick_option(struct sim_strategy *strategy, enum sim_decision_kind kind,
			       uint32_t option_count, uint64_t step)
{
	(void)rr_from(strategy);
	(void)step;
	SIM_ASSERT(option_count > 0);
	SIM_ASSERT(kind == SIM_DECISION_IRQ || kind == SIM_DECISION_CHOICE);
	/* Option 0 delivers an interrupt now, or is the first choice. */
	return 0;
}

static bool rr_execution_end(struct sim_strategy *strategy, const struct sim_schedule *recorded,
			     uint64_t step_count, uint32_t thread_count)
{
	(void)rr_from(strategy);
	(void)recorded;
	(void)step_count;
	(void)thread_count;
	/* The same program gives the same schedule again: nothing new. */
	return false;
}

static const char *rr_error(const struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_rr_ops);
	return NULL;
}

const struct sim_strategy_ops sim__strategy_rr_ops = {
	.name = "rr",
	.summary = "round-robin by thread id; interrupts at once, first choice",
	.create = rr_create,
	.destroy = rr_destroy,
	.execution_begin = rr_execution_begin,
	.pick_thread = rr_pick_thread,
	.pick_option = rr_pick_option,
	.execution_end = rr_execution_end,
	.error = rr_error,
};

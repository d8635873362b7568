// SPDX-License-Identifier: MIT
/*
 * PCT, the probabilistic concurrency testing scheduler (Burckhardt, Kothari,
 * Musuvathi, Nagarakatte, ASPLOS 2010). Threads get random distinct
 * priorities and the highest-priority eligible thread always runs; d-1
 * change points drawn in [1, k] over the strategy's own pick counter each
 * drop the running thread below every initial priority. One execution finds
 * a bug of depth d with probability at least 1/(n * k^(d-1)).
 *
 * Priorities are drawn lazily: a thread gets a random 64-bit key when it is
 * first seen, so a thread created in mid-execution lands at a uniformly
 * random place among the others (ties, of chance 2^-64, go to the lower id).
 * Initial priority = d + the number of known threads with a smaller key; the
 * thread lowered at the i-th change point (in time order) gets d - i.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/limits.h"
#include "sim/prng.h"
#include "sim/strategy.h"
#include "strategy_private.h"

/* Stream salt: "pct" in ASCII. */
#define PCT_SALT_ 0x706374ull

#define PCT_CHANGE_POINT_COUNT_MAX_ (STRATEGY_PCT_DEPTH_MAX_ - 1)

struct pct_strategy {
	struct sim_strategy base;
	uint64_t config_seed;
	struct sim_ratio irq_ratio;
	uint32_t depth;               /* d */
	uint32_t thread_count_config; /* n from the configuration, 0: estimate */
	uint64_t step_count_config;   /* k from the configuration, 0: estimate */
	uint32_t thread_count;        /* n used by this execution */
	uint64_t step_count;          /* k used by this execution, in picks */
	struct sim_prng prng;
	uint64_t pick_count;          /* pick_thread() calls in this execution */
	uint32_t last_id;             /* last thread picked, or NONE */
	uint32_t change_point_count;
	uint32_t change_point_next;   /* index of the next change point to reach */
	uint64_t change_points[PCT_CHANGE_POINT_COUNT_MAX_]; /* ascending, in [1, k] */
	/* Per thread id: seen in this execution, random key, lowered priority
	 * (0 when not lowered; lowered priorities are 1 .. d-1). */
	bool known[SIM_THREAD_COUNT_MAX];
	uint64_t key[SIM_THREAD_COUNT_MAX];
	uint32_t lowered[SIM_THREAD_COUNT_MAX];
};

SIM_STATIC_ASSERT(STRATEGY_PCT_DEPTH_MAX_ >= 1, "the depth must allow d = 1");
SIM_STATIC_ASSERT(STRATEGY_PCT_DEPTH_DEFAULT_ <= STRATEGY_PCT_DEPTH_MAX_,
		  "the default depth must be accepted");

static struct pct_strategy *pct_from(struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_pct_ops);
	return (struct pct_strategy *)strategy;
}

static const struct pct_strategy *pct_from_const(const struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_pct_ops);
	return (const struct pct_strategy *)strategy;
}

/*
 * Draw min(d-1, k) distinct change points in [1, k] (Floyd's sampling: one
 * draw per point, no retry loop), then sort them so they are met in order.
 */
static void pct_draw_change_points(struct pct_strategy *pct)
{
	uint64_t wanted = pct->depth - 1;
	uint64_t k = pct->step_count;
	uint32_t count = 0;

	SIM_ASSERT(k > 0);
	SIM_ASSERT(wanted <= PCT_CHANGE_POINT_COUNT_MAX_);
	if (wanted > k)
		wanted = k;
	for (uint64_t j = k - wanted + 1; j <= k && count < wanted; j++) {
		uint64_t t = sim_prng_range(&pct->prng, 1, j);
		bool taken = false;

		for (uint32_t i = 0; i < count; i++)
			taken |= pct->change_points[i] == t;
		pct->change_points[count++] = taken ? j : t;
	}
	/* Insertion sort: at most 63 entries. */
	for (uint32_t i = 1; i < count; i++) {
		uint64_t point = pct->change_points[i];
		uint32_t at = i;

		for (; at > 0 && pct->change_points[at - 1] > point; at--)
			pct->change_points[at] = pct->change_points[at - 1];
		pct->change_points[at] = point;
	}
	pct->change_point_count = count;
	pct->change_point_next = 0;
}

static void pct_reset(struct pct_strategy *pct, uint64_t seed)
{
	sim__strategy_prng_init(&pct->prng, pct->config_seed, seed, PCT_SALT_);
	pct->pick_count = 0;
	pct->last_id = SIM_THREAD_NONE;
	memset(pct->known, 0, sizeof(pct->known));
	memset(pct->lowered, 0, sizeof(pct->lowered));
	pct_draw_change_points(pct);
}

static int pct_create(struct sim_strategy **out, const struct sim_strategy_config *config)
{
	struct pct_strategy *pct;
	struct sim_ratio ratio;
	int err;

	SIM_ASSERT(out != NULL);
	SIM_ASSERT(config != NULL);
	err = sim__strategy_irq_ratio(config, &ratio);
	if (err)
		return err;
	if (config->pct_depth > STRATEGY_PCT_DEPTH_MAX_)
		return -EINVAL;
	if (config->pct_thread_count > SIM_THREAD_COUNT_MAX)
		return -EINVAL;
	pct = calloc(1, sizeof(*pct));
	if (pct == NULL)
		return -ENOMEM;
	pct->base.ops = &sim__strategy_pct_ops;
	pct->config_seed = config->seed;
	pct->irq_ratio = ratio;
	pct->depth = config->pct_depth ? config->pct_depth : STRATEGY_PCT_DEPTH_DEFAULT_;
	pct->thread_count_config = config->pct_thread_count;
	pct->step_count_config = config->pct_step_count;
	pct->thread_count = pct->thread_count_config ? pct->thread_count_config
						     : STRATEGY_PCT_THREAD_COUNT_GUESS_;
	pct->step_count = pct->step_count_config ? pct->step_count_config
						 : STRATEGY_PCT_STEP_COUNT_GUESS_;
	pct_reset(pct, 0);
	*out = &pct->base;
	return 0;
}

static void pct_destroy(struct sim_strategy *strategy)
{
	free(pct_from(strategy));
}

static int pct_execution_begin(struct sim_strategy *strategy, uint64_t seed)
{
	struct pct_strategy *pct = pct_from(strategy);

	SIM_ASSERT(pct->depth >= 1);
	SIM_ASSERT(pct->step_count >= 1);
	pct_reset(pct, seed);
	return 0;
}

static void pct_see(struct pct_strategy *pct, uint32_t thread_id)
{
	SIM_ASSERT(thread_id < SIM_THREAD_COUNT_MAX);
	if (pct->known[thread_id])
		return;
	pct->known[thread_id] = true;
	pct->key[thread_id] = sim_prng_next(&pct->prng);
	pct->lowered[thread_id] = 0;
}

/* Whether thread @a runs before thread @b. */
static bool pct_higher(const struct pct_strategy *pct, uint32_t a, uint32_t b)
{
	SIM_ASSERT(pct->known[a]);
	SIM_ASSERT(pct->known[b]);
	if (pct->lowered[a] != 0 || pct->lowered[b] != 0) {
		/* A lowered priority (1 .. d-1) is below every initial one. */
		if (pct->lowered[a] == 0)
			return true;
		if (pct->lowered[b] == 0)
			return false;
		return pct->lowered[a] > pct->lowered[b];
	}
	if (pct->key[a] != pct->key[b])
		return pct->key[a] > pct->key[b];
	return a < b;
}

/* At a change point, the running thread drops to d - i. */
static void pct_change_point(struct pct_strategy *pct, const struct sim_pick *pick,
			     uint32_t best_id)
{
	uint32_t number = pct->change_point_next + 1; /* i, 1-based */
	uint32_t running = pick->current_id;

	SIM_ASSERT(number < pct->depth);
	if (running == SIM_THREAD_NONE)
		running = pct->last_id;
	/* Nothing ran yet in this execution: the thread about to run is the
	 * one the change point catches. */
	if (running == SIM_THREAD_NONE)
		running = best_id;
	pct_see(pct, running);
	pct->lowered[running] = pct->depth - number;
	pct->change_point_next++;
}

static uint32_t pct_best_index(const struct pct_strategy *pct, const struct sim_pick *pick)
{
	uint32_t best = 0;

	for (uint32_t i = 1; i < pick->eligible_count; i++) {
		if (pct_higher(pct, pick->eligible[i], pick->eligible[best]))
			best = i;
	}
	SIM_ASSERT(best < pick->eligible_count);
	return best;
}

static uint32_t pct_best_other_index(const struct pct_strategy *pct, const struct sim_pick *pick,
				     uint32_t skip)
{
	uint32_t best = skip == 0 ? 1 : 0;

	SIM_ASSERT(pick->eligible_count >= 2);
	for (uint32_t i = 0; i < pick->eligible_count; i++) {
		if (i != skip && pct_higher(pct, pick->eligible[i], pick->eligible[best]))
			best = i;
	}
	return best;
}

static uint32_t pct_pick_thread(struct sim_strategy *strategy, const struct sim_pick *pick)
{
	struct pct_strategy *pct = pct_from(strategy);
	uint32_t best;

	SIM_ASSERT(pick->eligible_count > 0);
	SIM_ASSERT(pick->eligible != NULL);
	/* Seen in eligible order, so keys follow a deterministic draw order. */
	for (uint32_t i = 0; i < pick->eligible_count; i++)
		pct_see(pct, pick->eligible[i]);
	pct->pick_count++;
	best = pct_best_index(pct, pick);
	if (pct->change_point_next < pct->change_point_count &&
	    pct->change_points[pct->change_point_next] == pct->pick_count) {
		pct_change_point(pct, pick, pick->eligible[best]);
		best = pct_best_index(pct, pick);
	}
	/* A yield lets the next-highest thread take this one step. */
	if (pick->current_yielded && pick->eligible[best] == pick->current_id)
		best = pct_best_other_index(pct, pick, best);
	pct->last_id = pick->eligible[best];
	return best;
}

static uint32_t pct_pick_option(struct sim_strategy *strategy, enum sim_decision_kind kind,
				uint32_t option_count, uint64_t step)
{
	struct pct_strategy *pct = pct_from(strategy);

	(void)step;
	return sim__strategy_option_random(&pct->prng, pct->irq_ratio, kind, option_count);
}

/*
 * Estimates for the next execution: n is the thread count of this one, k the
 * number of picks it made (change points count picks, not steps, and only
 * points with two or more eligible threads are picks).
 */
static bool pct_execution_end(struct sim_strategy *strategy, const struct sim_schedule *recorded,
			      uint64_t step_count, uint32_t thread_count)
{
	struct pct_strategy *pct = pct_from(strategy);

	(void)recorded;
	(void)step_count;
	SIM_ASSERT(pct->change_point_next <= pct->change_point_count);
	SIM_ASSERT(pct->change_point_count < pct->depth);
	if (pct->thread_count_config == 0 && thread_count > 0)
		pct->thread_count = thread_count;
	if (pct->step_count_config == 0 && pct->pick_count > 0)
		pct->step_count = pct->pick_count;
	return true;
}

static const char *pct_error(const struct sim_strategy *strategy)
{
	(void)pct_from_const(strategy);
	return NULL;
}

uint64_t sim__strategy_pct_priority(const struct sim_strategy *strategy, uint32_t thread_id)
{
	const struct pct_strategy *pct = pct_from_const(strategy);
	uint64_t below = 0;

	SIM_ASSERT(pct->depth >= 1);
	if (thread_id >= SIM_THREAD_COUNT_MAX || !pct->known[thread_id])
		return 0;
	if (pct->lowered[thread_id] != 0)
		return pct->lowered[thread_id];
	for (uint32_t id = 0; id < SIM_THREAD_COUNT_MAX; id++) {
		if (!pct->known[id] || id == thread_id)
			continue;
		if (pct->key[id] < pct->key[thread_id] ||
		    (pct->key[id] == pct->key[thread_id] && id > thread_id))
			below++;
	}
	return pct->depth + below;
}

uint32_t sim__strategy_pct_change_points(const struct sim_strategy *strategy,
					 uint64_t *points_out, uint32_t capacity)
{
	const struct pct_strategy *pct = pct_from_const(strategy);

	SIM_ASSERT(points_out != NULL || capacity == 0);
	SIM_ASSERT(pct->change_point_count < pct->depth);
	for (uint32_t i = 0; i < pct->change_point_count && i < capacity; i++)
		points_out[i] = pct->change_points[i];
	return pct->change_point_count;
}

void sim__strategy_pct_parameters(const struct sim_strategy *strategy, uint32_t *depth_out,
				  uint32_t *thread_count_out, uint64_t *step_count_out)
{
	const struct pct_strategy *pct = pct_from_const(strategy);

	SIM_ASSERT(depth_out != NULL);
	SIM_ASSERT(thread_count_out != NULL);
	SIM_ASSERT(step_count_out != NULL);
	*depth_out = pct->depth;
	*thread_count_out = pct->thread_count;
	*step_count_out = pct->step_count;
}

const struct sim_strategy_ops sim__strategy_pct_ops = {
	.name = "pct",
	.summary = "PCT: random priorities with d-1 priority change points",
	.create = pct_create,
	.destroy = pct_destroy,
	.execution_begin = pct_execution_begin,
	.pick_thread = pct_pick_thread,
	.pick_option = pct_pick_option,
	.execution_end = pct_execution_end,
	.error = pct_error,
};

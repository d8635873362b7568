// SPDX-License-Identifier: MIT
/*
 * The random strategy: a uniform walk. Every thread pick is uniform over the
 * eligible threads, an interrupt is taken with the configured chance and a
 * sim_choose() option is uniform. A strong baseline (SCTBench found naive
 * random scheduling at least as effective as schedule bounding) and cheap.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim/assert.h"
#include "sim/prng.h"
#include "sim/strategy.h"
#include "strategy_private.h"

/* Stream salt: "random" in ASCII. */
#define RANDOM_SALT_ 0x72616e646f6dull

struct random_strategy {
	struct sim_strategy base;
	uint64_t config_seed;
	struct sim_ratio irq_ratio;
	struct sim_prng prng;
};

static struct random_strategy *random_from(struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_random_ops);
	return (struct random_strategy *)strategy;
}

static int random_create(struct sim_strategy **out, const struct sim_strategy_config *config)
{
	struct random_strategy *random;
	struct sim_ratio ratio;
	int err;

	SIM_ASSERT(out != NULL);
	SIM_ASSERT(config != NULL);
	err = sim__strategy_irq_ratio(config, &ratio);
	if (err)
		return err;
	random = calloc(1, sizeof(*random));
	if (random == NULL)
		return -ENOMEM;
	random->base.ops = &sim__strategy_random_ops;
	random->config_seed = config->seed;
	random->irq_ratio = ratio;
	/* Usable before the first execution_begin(), with execution seed 0. */
	sim__strategy_prng_init(&random->prng, config->seed, 0, RANDOM_SALT_);
	*out = &random->base;
	return 0;
}

static void random_destroy(struct sim_strategy *strategy)
{
	free(random_from(strategy));
}

static int random_execution_begin(struct sim_strategy *strategy, uint64_t seed)
{
	struct random_strategy *random = random_from(strategy);

	sim__strategy_prng_init(&random->prng, random->config_seed, seed, RANDOM_SALT_);
	return 0;
}

static uint32_t random_pick_thread(struct sim_strategy *strategy, const struct sim_pick *pick)
{
	struct random_strategy *random = random_from(strategy);
	uint32_t index;

	SIM_ASSERT(pick != NULL);
	SIM_ASSERT(pick->eligible_count > 0);
	index = (uint32_t)sim_prng_below(&random->prng, pick->eligible_count);
	SIM_ASSERT(index < pick->eligible_count);
	return index;
}

static uint32_t random_pick_option(struct sim_strategy *strategy, enum sim_decision_kind kind,
				   uint32_t option_count, uint64_t step)
{
	struct random_strategy *random = random_from(strategy);

	(void)step;
	return sim__strategy_option_random(&random->prng, random->irq_ratio, kind,
					   option_count);
}

static bool random_execution_end(struct sim_strategy *strategy,
				 const struct sim_schedule *recorded, uint64_t step_count,
				 uint32_t thread_count)
{
	(void)random_from(strategy);
	(void)recorded;
	(void)step_count;
	(void)thread_count;
	/* Another seed always gives another walk. */
	return true;
}

static const char *random_error(const struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_random_ops);
	return NULL;
}

const struct sim_strategy_ops sim__strategy_random_ops = {
	.name = "random",
	.summary = "uniform random walk over threads, interrupts and choices",
	.create = random_create,
	.destroy = random_destroy,
	.execution_begin = random_execution_begin,
	.pick_thread = random_pick_thread,
	.pick_option = random_pick_option,
	.execution_end = random_execution_end,
	.error = random_error,
};

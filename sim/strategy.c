// SPDX-License-Identifier: MIT
/*
 * The strategy registry and the helpers every strategy shares. Strategies are
 * found by name so the CLI, the tests and replay's "continue with" option all
 * name them the same way.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/prng.h"
#include "sim/strategy.h"
#include "strategy_private.h"

static const struct sim_strategy_ops *const strategy_registry[] = {
	&sim__strategy_random_ops,
	&sim__strategy_pct_ops,
	&sim__strategy_dfs_ops,
	&sim__strategy_replay_ops,
	&sim__strategy_rr_ops,
	NULL,
};

#define STRATEGY_REGISTRY_COUNT_ \
	(sizeof(strategy_registry) / sizeof(strategy_registry[0]) - 1)

/**
 * sim_strategy_find() - look a strategy up by name.
 * @name: "random", "pct", "dfs", "replay" or "rr".
 *
 * Return: its ops table, or NULL for NULL or an unknown name.
 */
const struct sim_strategy_ops *sim_strategy_find(const char *name)
{
	SIM_ASSERT(STRATEGY_REGISTRY_COUNT_ > 0);
	SIM_ASSERT(strategy_registry[STRATEGY_REGISTRY_COUNT_] == NULL);
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < STRATEGY_REGISTRY_COUNT_; i++) {
		if (strcmp(strategy_registry[i]->name, name) == 0)
			return strategy_registry[i];
	}
	return NULL;
}

/**
 * sim_strategy_list() - every registered strategy.
 *
 * Return: a NULL-terminated array of ops tables, in a fixed order.
 */
const struct sim_strategy_ops *const *sim_strategy_list(void)
{
	SIM_ASSERT(strategy_registry[0] != NULL);
	SIM_ASSERT(strategy_registry[STRATEGY_REGISTRY_COUNT_] == NULL);
	return strategy_registry;
}

/**
 * sim_strategy_create() - create a strategy instance by name.
 * @name: a registered name.
 * @config: its configuration; NULL means all defaults (fields zero).
 * @out: the new instance, to be released with sim_strategy_destroy().
 *
 * Return: 0, -EINVAL for an unknown name or a bad configuration, -ENOMEM.
 */
int sim_strategy_create(const char *name, const struct sim_strategy_config *config,
			struct sim_strategy **out)
{
	static const struct sim_strategy_config defaults;
	const struct sim_strategy_ops *ops;
	int err;

	SIM_ASSERT(out != NULL);
	*out = NULL;
	ops = sim_strategy_find(name);
	if (ops == NULL)
		return -EINVAL;
	err = ops->create(out, config != NULL ? config : &defaults);
	if (err)
		return err;
	SIM_ASSERT(*out != NULL);
	SIM_ASSERT((*out)->ops == ops);
	return 0;
}

/**
 * sim_strategy_destroy() - release a strategy instance.
 * @strategy: the instance, or NULL (nothing happens).
 */
void sim_strategy_destroy(struct sim_strategy *strategy)
{
	if (strategy == NULL)
		return;
	SIM_ASSERT(strategy->ops != NULL);
	SIM_ASSERT(strategy->ops->destroy != NULL);
	strategy->ops->destroy(strategy);
}

int sim__strategy_irq_ratio(const struct sim_strategy_config *config,
			    struct sim_ratio *ratio_out)
{
	SIM_ASSERT(config != NULL);
	SIM_ASSERT(ratio_out != NULL);
	if (config->irq_take_denominator == 0) {
		if (config->irq_take_numerator != 0)
			return -EINVAL;
		ratio_out->numerator = 1;
		ratio_out->denominator = 2;
		return 0;
	}
	if (config->irq_take_numerator > config->irq_take_denominator)
		return -EINVAL;
	ratio_out->numerator = config->irq_take_numerator;
	ratio_out->denominator = config->irq_take_denominator;
	return 0;
}

void sim__strategy_prng_init(struct sim_prng *prng, uint64_t config_seed,
			     uint64_t execution_seed, uint64_t salt)
{
	uint64_t seed;

	SIM_ASSERT(prng != NULL);
	SIM_ASSERT(salt != 0);
	/* Mixing the configured seed before combining keeps (a, b) and (b, a)
	 * apart; the salt gives each strategy its own stream. */
	seed = sim_seed_derive(sim_mix64(config_seed) ^ execution_seed, salt);
	sim_prng_init(prng, seed);
}

uint32_t sim__strategy_option_random(struct sim_prng *prng, struct sim_ratio irq_ratio,
				     enum sim_decision_kind kind, uint32_t option_count)
{
	SIM_ASSERT(option_count > 0);
	SIM_ASSERT(kind == SIM_DECISION_IRQ || kind == SIM_DECISION_CHOICE);
	if (option_count == 1)
		return 0;
	if (kind == SIM_DECISION_CHOICE)
		return (uint32_t)sim_prng_below(prng, option_count);
	/* IRQ: option 0 delivers now; any other option defers. */
	if (sim_prng_chance(prng, irq_ratio))
		return 0;
	return 1 + (uint32_t)sim_prng_below(prng, option_count - 1);
}

// SPDX-License-Identifier: MIT
/*
 * Names of event classes and injections, swarm testing and the strategy
 * options a world configuration implies (see sim/world/include/sim/world.h).
 */
#include <stdio.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/strategy.h"
#include "sim/world.h"

static const char *const event_class_names[WORLD_EVENT_CLASS_COUNT] = {
	[WORLD_EVENT_HOTPLUG] = "hotplug", [WORLD_EVENT_DISABLE] = "disable",
	[WORLD_EVENT_RESET] = "reset",     [WORLD_EVENT_MIGRATE] = "migrate",
	[WORLD_EVENT_REBOOT] = "reboot",   [WORLD_EVENT_CRASH] = "crash",
};

static const char *const inject_names[WORLD_INJECT_COUNT] = { "alloc-fail", "irq-delay",
								"sdei-fail" };

bool world_cmdline_has(const struct world_config *config, const char *word)
{
	const char *p, *end;
	size_t len;

	if (config == NULL || word == NULL)
		return false;
	len = strlen(word);
	end = memchr(config->cmdline, '\0', sizeof(config->cmdline));
	if (end == NULL || len == 0)
		return false;
	for (p = config->cmdline; p < end;) {
		const char *word_end;

		while (p < end && *p == ' ')
			p++;
		word_end = p;
		while (word_end < end && *word_end != ' ')
			word_end++;
		if ((size_t)(word_end - p) == len && memcmp(p, word, len) == 0)
			return true;
		p = word_end;
	}
	return false;
}

const char *world_event_class_name(enum world_event_class event_class)
{
	if ((unsigned int)event_class >= WORLD_EVENT_CLASS_COUNT)
		return "unknown";
	return event_class_names[event_class];
}

int world_event_class_parse(const char *name)
{
	if (name == NULL)
		return -1;
	for (int c = 0; c < (int)WORLD_EVENT_CLASS_COUNT; c++) {
		if (strcmp(name, event_class_names[c]) == 0)
			return c;
	}
	return -1;
}

const char *world_inject_name(uint32_t bit_index)
{
	return bit_index < WORLD_INJECT_COUNT ? inject_names[bit_index] : NULL;
}

uint32_t world_inject_parse(const char *name)
{
	if (name == NULL)
		return 0;
	for (uint32_t i = 0; i < WORLD_INJECT_COUNT; i++) {
		if (strcmp(name, inject_names[i]) == 0)
			return 1u << i;
	}
	return 0;
}

const char *world_draws_name(enum world_draws draws)
{
	switch (draws) {
	case WORLD_DRAWS_SEED:
		return "seed";
	case WORLD_DRAWS_SCHEDULE:
		return "schedule";
	}
	return "unknown";
}

int world_draws_parse(const char *name)
{
	if (name == NULL)
		return -1;
	if (strcmp(name, "seed") == 0)
		return WORLD_DRAWS_SEED;
	if (strcmp(name, "schedule") == 0)
		return WORLD_DRAWS_SCHEDULE;
	return -1;
}

void world_swarm(struct world_config *config, uint64_t swarm_seed)
{
	struct sim_prng prng;
	uint64_t bits;

	SIM_ASSERT(config != NULL);
	/* A stream of its own, so the subset does not depend on anything
	 * else drawn from the seed. */
	sim_prng_init(&prng, swarm_seed ^ 0x737761726d000001ull);
	bits = sim_prng_next(&prng);
	config->events.class_mask &= (uint32_t)bits & WORLD_EVENT_CLASS_ALL;
	config->inject_mask &= (uint32_t)(bits >> 32) & WORLD_INJECT_ALL;
}

static size_t append(char *buf, size_t size, size_t at, const char *text)
{
	int n = snprintf(at < size ? buf + at : NULL, at < size ? size - at : 0, "%s", text);

	return at + (n > 0 ? (size_t)n : 0);
}

int world_swarm_banner(const struct world_config *config, char *buf, size_t size)
{
	size_t at = 0;
	bool first = true;

	SIM_ASSERT(config != NULL);
	if (buf != NULL && size > 0)
		buf[0] = '\0';
	else
		size = 0;
	at = append(buf, size, at, "events: ");
	for (uint32_t c = 0; c < WORLD_EVENT_CLASS_COUNT; c++) {
		if (!((config->events.class_mask >> c) & 1u))
			continue;
		at = append(buf, size, at, first ? "" : ",");
		at = append(buf, size, at, event_class_names[c]);
		first = false;
	}
	if (first || config->events.count == 0)
		at = append(buf, size, at, first ? "none" : " (count 0)");
	at = append(buf, size, at, "; inject: ");
	first = true;
	for (uint32_t i = 0; i < WORLD_INJECT_COUNT; i++) {
		if (!((config->inject_mask >> i) & 1u))
			continue;
		at = append(buf, size, at, first ? "" : ",");
		at = append(buf, size, at, inject_names[i]);
		first = false;
	}
	if (first)
		at = append(buf, size, at, "none");
	return (int)at;
}

void world_strategy_config(const struct world_config *config, struct sim_strategy_config *out)
{
	SIM_ASSERT(config != NULL && out != NULL);
	if ((config->inject_mask & WORLD_INJECT_IRQ_DELAY) &&
	    config->irq_delay_take_ratio.denominator > 0) {
		out->irq_take_numerator = config->irq_delay_take_ratio.numerator;
		out->irq_take_denominator = config->irq_delay_take_ratio.denominator;
	}
}

// SPDX-License-Identifier: MIT
/*
 * The schedule container: a growable array of decisions. The engine appends
 * to it at every decision; replay reads it. The text codec is in
 * schedule_codec.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/schedule.h"

/* A schedule never holds more decisions than this (2^32 steps is far beyond
 * any step bound). */
#define SCHEDULE_DECISION_COUNT_MAX (1ull << 32)

void sim_schedule_init(struct sim_schedule *schedule)
{
	SIM_ASSERT(schedule != NULL);
	schedule->decisions = NULL;
	schedule->count = 0;
	schedule->capacity = 0;
}

void sim_schedule_fini(struct sim_schedule *schedule)
{
	SIM_ASSERT(schedule != NULL);
	free(schedule->decisions);
	sim_schedule_init(schedule);
}

static int schedule_reserve(struct sim_schedule *schedule, uint64_t capacity)
{
	struct sim_decision *grown;
	uint64_t target = schedule->capacity ? schedule->capacity : 256;

	if (capacity <= schedule->capacity)
		return 0;
	if (capacity > SCHEDULE_DECISION_COUNT_MAX)
		return -ENOMEM;
	while (target < capacity)
		target *= 2;
	grown = realloc(schedule->decisions, target * sizeof(*grown));
	if (grown == NULL)
		return -ENOMEM;
	schedule->decisions = grown;
	schedule->capacity = target;
	return 0;
}

int sim_schedule_append(struct sim_schedule *schedule, struct sim_decision decision)
{
	int err;

	SIM_ASSERT(schedule->count <= schedule->capacity);
	SIM_ASSERT(decision.kind <= SIM_DECISION_CHOICE);
	err = schedule_reserve(schedule, schedule->count + 1);
	if (err)
		return err;
	schedule->decisions[schedule->count++] = decision;
	return 0;
}

int sim_schedule_copy(struct sim_schedule *target, const struct sim_schedule *source)
{
	int err;

	SIM_ASSERT(target != source);
	target->count = 0;
	err = schedule_reserve(target, source->count);
	if (err)
		return err;
	if (source->count)
		memcpy(target->decisions, source->decisions,
		       source->count * sizeof(*source->decisions));
	target->count = source->count;
	return 0;
}

void sim_schedule_truncate(struct sim_schedule *schedule, uint64_t count)
{
	SIM_ASSERT(schedule != NULL);
	if (count < schedule->count)
		schedule->count = count;
}

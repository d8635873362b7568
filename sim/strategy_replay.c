// SPDX-License-Identifier: MIT
/*
 * The replay strategy: answer each decision from a recorded schedule, and
 * fail loudly the moment the program asks something the recording cannot
 * answer (another kind of decision, a thread that is not eligible, an option
 * out of range). A silent best effort would turn a replay of a failure into
 * a different run that happens to pass.
 *
 * When the recording runs out, strict mode diverges; prefix mode hands the
 * rest of the execution to another strategy (e.g. "random" to explore around
 * a failure, "dfs" to search every continuation of a prefix exhaustively).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/limits.h"
#include "sim/schedule.h"
#include "sim/strategy.h"
#include "strategy_private.h"

struct replay_strategy {
	struct sim_strategy base;
	struct sim_schedule schedule;        /* our copy of the recording */
	struct sim_strategy *continuation;   /* prefix mode, else NULL */
	uint64_t index;                      /* next decision to consume */
	bool diverged;
	char error[STRATEGY_ERROR_SIZE_];
};

static const char *const replay_kind_names[] = { "a thread pick", "an irq decision",
						 "a choice" };

static struct replay_strategy *replay_from(struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_replay_ops);
	return (struct replay_strategy *)strategy;
}

static const struct replay_strategy *replay_from_const(const struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL);
	SIM_ASSERT(strategy->ops == &sim__strategy_replay_ops);
	return (const struct replay_strategy *)strategy;
}

static int replay_check_config(const struct sim_strategy_config *config)
{
	const struct sim_schedule *schedule = config->replay_schedule;

	if (schedule == NULL)
		return -EINVAL;
	if (schedule->count > 0 && schedule->decisions == NULL)
		return -EINVAL;
	for (uint64_t i = 0; i < schedule->count; i++) {
		if (schedule->decisions[i].kind > SIM_DECISION_CHOICE)
			return -EINVAL;
	}
	if (config->replay_continue_with == NULL)
		return 0;
	/* Replay continuing with replay would recreate itself forever. */
	if (strcmp(config->replay_continue_with, sim__strategy_replay_ops.name) == 0)
		return -EINVAL;
	return sim_strategy_find(config->replay_continue_with) != NULL ? 0 : -EINVAL;
}

static int replay_create(struct sim_strategy **out, const struct sim_strategy_config *config)
{
	struct replay_strategy *replay;
	int err;

	SIM_ASSERT(out != NULL);
	SIM_ASSERT(config != NULL);
	err = replay_check_config(config);
	if (err)
		return err;
	replay = calloc(1, sizeof(*replay));
	if (replay == NULL)
		return -ENOMEM;
	replay->base.ops = &sim__strategy_replay_ops;
	sim_schedule_init(&replay->schedule);
	err = sim_schedule_copy(&replay->schedule, config->replay_schedule);
	if (err)
		goto err_free_replay;
	if (config->replay_continue_with != NULL) {
		err = sim_strategy_create(config->replay_continue_with, config,
					  &replay->continuation);
		if (err)
			goto err_fini_schedule;
	}
	*out = &replay->base;
	return 0;

err_fini_schedule:
	sim_schedule_fini(&replay->schedule);
err_free_replay:
	free(replay);
	return err;
}

static void replay_destroy(struct sim_strategy *strategy)
{
	struct replay_strategy *replay = replay_from(strategy);

	sim_strategy_destroy(replay->continuation);
	sim_schedule_fini(&replay->schedule);
	free(replay);
}

static int replay_execution_begin(struct sim_strategy *strategy, uint64_t seed)
{
	struct replay_strategy *replay = replay_from(strategy);

	replay->index = 0;
	replay->diverged = false;
	replay->error[0] = '\0';
	if (replay->continuation == NULL)
		return 0;
	SIM_ASSERT(replay->continuation->ops->execution_begin != NULL);
	return replay->continuation->ops->execution_begin(replay->continuation, seed);
}

static uint32_t replay_diverge(struct replay_strategy *replay)
{
	SIM_ASSERT(replay->error[0] != '\0');
	SIM_ASSERT(!replay->diverged);
	replay->diverged = true;
	return SIM_PICK_DIVERGED;
}

static uint32_t replay_exhausted(struct replay_strategy *replay)
{
	snprintf(replay->error, sizeof(replay->error),
		 "schedule exhausted at decision %" PRIu64 " (strict replay)", replay->index);
	return replay_diverge(replay);
}

/* Append " id" for each eligible thread while there is room, then ")". */
static void replay_list_eligible(char *text, size_t text_size, const struct sim_pick *pick)
{
	size_t used = strlen(text);

	SIM_ASSERT(used < text_size);
	SIM_ASSERT(text_size > 8);
	/* The leading messages are far shorter than the buffer; this only
	 * keeps a future longer one from writing past the end. */
	if (used + 6 > text_size)
		return;
	for (uint32_t i = 0; i < pick->eligible_count; i++) {
		char item[16];
		int length = snprintf(item, sizeof(item), " %" PRIu32, pick->eligible[i]);

		SIM_ASSERT(length > 0);
		SIM_ASSERT((size_t)length < sizeof(item));
		/* Keep room for " ...)" and the terminator. */
		if (used + (size_t)length + 6 > text_size) {
			memcpy(text + used, " ...", 5);
			used += 4;
			break;
		}
		memcpy(text + used, item, (size_t)length + 1);
		used += (size_t)length;
	}
	memcpy(text + used, ")", 2);
}

static uint32_t replay_thread_mismatch(struct replay_strategy *replay,
				       const struct sim_decision *recorded,
				       const struct sim_pick *pick)
{
	if (recorded->kind != SIM_DECISION_THREAD)
		snprintf(replay->error, sizeof(replay->error),
			 "decision %" PRIu64 ": recorded %s (value %" PRIu32
			 ") but the program asks for a thread pick (eligible:",
			 replay->index, replay_kind_names[recorded->kind], recorded->value);
	else
		snprintf(replay->error, sizeof(replay->error),
			 "decision %" PRIu64 ": recorded thread %" PRIu32
			 " is not eligible (eligible:", replay->index, recorded->value);
	replay_list_eligible(replay->error, sizeof(replay->error), pick);
	return replay_diverge(replay);
}

static uint32_t replay_pick_thread(struct sim_strategy *strategy, const struct sim_pick *pick)
{
	struct replay_strategy *replay = replay_from(strategy);
	const struct sim_decision *recorded;

	SIM_ASSERT(pick->eligible_count > 0);
	SIM_ASSERT(pick->eligible != NULL);
	if (replay->diverged)
		return SIM_PICK_DIVERGED;
	if (replay->index >= replay->schedule.count) {
		if (replay->continuation == NULL)
			return replay_exhausted(replay);
		return replay->continuation->ops->pick_thread(replay->continuation, pick);
	}
	recorded = &replay->schedule.decisions[replay->index];
	if (recorded->kind == SIM_DECISION_THREAD) {
		for (uint32_t i = 0; i < pick->eligible_count; i++) {
			if (pick->eligible[i] == recorded->value) {
				replay->index++;
				return i;
			}
		}
	}
	return replay_thread_mismatch(replay, recorded, pick);
}

static uint32_t replay_option_mismatch(struct replay_strategy *replay,
				       const struct sim_decision *recorded,
				       enum sim_decision_kind kind, uint32_t option_count)
{
	SIM_ASSERT(kind <= SIM_DECISION_CHOICE);
	if (recorded->kind != kind)
		snprintf(replay->error, sizeof(replay->error),
			 "decision %" PRIu64 ": recorded %s (value %" PRIu32
			 ") but the program asks for %s (%" PRIu32 " options)",
			 replay->index, replay_kind_names[recorded->kind], recorded->value,
			 replay_kind_names[kind], option_count);
	else
		snprintf(replay->error, sizeof(replay->error),
			 "decision %" PRIu64 ": recorded option %" PRIu32 " of %s is out of range"
			 " (%" PRIu32 " options)", replay->index, recorded->value,
			 replay_kind_names[kind], option_count);
	return replay_diverge(replay);
}

static uint32_t replay_pick_option(struct sim_strategy *strategy, enum sim_decision_kind kind,
				   uint32_t option_count, uint64_t step)
{
	struct replay_strategy *replay = replay_from(strategy);
	const struct sim_decision *recorded;

	SIM_ASSERT(kind == SIM_DECISION_IRQ || kind == SIM_DECISION_CHOICE);
	SIM_ASSERT(option_count > 0);
	if (replay->diverged)
		return SIM_PICK_DIVERGED;
	if (replay->index >= replay->schedule.count) {
		if (replay->continuation == NULL)
			return replay_exhausted(replay);
		return replay->continuation->ops->pick_option(replay->continuation, kind,
							       option_count, step);
	}
	recorded = &replay->schedule.decisions[replay->index];
	if (recorded->kind != kind || recorded->value >= option_count)
		return replay_option_mismatch(replay, recorded, kind, option_count);
	replay->index++;
	return recorded->value;
}

static bool replay_execution_end(struct sim_strategy *strategy,
				 const struct sim_schedule *recorded, uint64_t step_count,
				 uint32_t thread_count)
{
	struct replay_strategy *replay = replay_from(strategy);

	SIM_ASSERT(replay->index <= replay->schedule.count);
	if (replay->continuation != NULL) {
		bool more = replay->continuation->ops->execution_end(replay->continuation,
								     recorded, step_count,
								     thread_count);

		/* A prefix that diverged once diverges again. */
		return more && !replay->diverged;
	}
	if (!replay->diverged && replay->index < replay->schedule.count) {
		snprintf(replay->error, sizeof(replay->error),
			 "the execution ended after %" PRIu64 " of %" PRIu64
			 " recorded decisions (strict replay)",
			 replay->index, replay->schedule.count);
		replay->diverged = true;
	}
	/* One recording is one schedule. */
	return false;
}

static const char *replay_error(const struct sim_strategy *strategy)
{
	const struct replay_strategy *replay = replay_from_const(strategy);

	SIM_ASSERT(replay->error[0] == '\0' || replay->diverged);
	if (replay->error[0] != '\0')
		return replay->error;
	if (replay->continuation != NULL)
		return replay->continuation->ops->error(replay->continuation);
	return NULL;
}

const struct sim_strategy_ops sim__strategy_replay_ops = {
	.name = "replay",
	.summary = "replay a recorded schedule, strictly or as a prefix",
	.create = replay_create,
	.destroy = replay_destroy,
	.execution_begin = replay_execution_begin,
	.pick_thread = replay_pick_thread,
	.pick_option = replay_pick_option,
	.execution_end = replay_execution_end,
	.error = replay_error,
};

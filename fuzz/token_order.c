// SPDX-License-Identifier: MIT
/*
 * Token ordering: an input's header as a world configuration, the rest read
 * by a structure-aware cursor strategy (see token_order.h and
 * docs/fuzzing.md).
 *
 * Script grammar, consumed in the order the engine asks:
 *   thread pick   one byte b. b & 0x80: keep the current thread for this pick
 *                 and the next (b & 0x7f) % TOKEN_ORDER_KEEP_MAX picks (read
 *                 no byte while they last); else eligible[(b & 0x7f) % n].
 *                 A kept run ends early when the current thread blocks or
 *                 yields (pick->current_yielded): then the next byte decides.
 *   IRQ           one bit (eight per byte, low bit first): 0 take the
 *                 interrupt now, 1 defer it.
 *   CHOICE        one byte mod n for n <= 256, a u16 for n <= 65536, else a
 *                 u32 (little-endian).
 * Once the script is exhausted the run goes on deterministically: the
 * current thread again unless it blocked or yielded, else the next thread
 * in cyclic id order (as rr), interrupts taken at once, option 0. Since the
 * current thread is left at every yield point, a spin-wait cannot starve
 * the thread it waits for (as with PCT).
 */
#include "token_order.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/strategy.h"

/* ---- The header ---- */

static uint8_t header_byte(const uint8_t *data, size_t size, size_t at)
{
	return data != NULL && at < size ? data[at] : 0;
}

void token_order_config(const uint8_t *data, size_t size, struct world_config *c)
{
	uint8_t b4 = header_byte(data, size, 4);
	uint8_t flags = header_byte(data, size, 6);

	SIM_ASSERT(c != NULL);
	world_config_default(c);
	c->seed = 1u + header_byte(data, size, 7);
	c->vcpu_count = 1u + header_byte(data, size, 0) % TOKEN_ORDER_VCPUS_MAX;
	c->task_count = 1u + header_byte(data, size, 1) % TOKEN_ORDER_TASKS_MAX;
	c->touch_count = 1u + header_byte(data, size, 2) % TOKEN_ORDER_TOUCHES_MAX;
	c->page_count = 1u + header_byte(data, size, 3) % TOKEN_ORDER_PAGES_MAX;
	c->write_ratio = (struct sim_ratio){ 1, 2 };
	c->nonresident_ratio = (struct sim_ratio){ (uint32_t)(b4 & 7u) % 5u, 4 };
	c->pagein_ticks_min = 50;
	c->pagein_ticks_max = 400;
	if (flags & TOKEN_ORDER_FLAG_SLOW_PAGEIN) {
		c->pagein_ticks_min = 400;
		c->pagein_ticks_max = 3000;
	}
	c->events.class_mask = header_byte(data, size, 5) & WORLD_EVENT_CLASS_ALL;
	c->events.count = c->events.class_mask != 0 ? (uint32_t)(b4 >> 3) % (TOKEN_ORDER_EVENTS_MAX + 1u)
						    : 0;
	/* Gaps 0, 50, .., 350 (WORLD_DRAWS_TICK_POINTS values): the workload
	 * lasts a few hundred ticks, so events land while tasks are parked. */
	c->events.gap_ticks_min = 0;
	c->events.gap_ticks_max = 350;
	c->events.offline_ticks_min = 20;
	c->events.offline_ticks_max = 370;
	c->inject_mask = (flags & TOKEN_ORDER_FLAG_ALLOC_FAIL) ? WORLD_INJECT_ALLOC_FAIL : 0;
	c->alloc_fail_ratio = (struct sim_ratio){ 1, 16 };
	if ((flags & TOKEN_ORDER_FLAG_APF_ABSENT) && c->vcpu_count >= 2)
		c->kvm.apf_absent_vcpu_mask = 1ull << (c->vcpu_count - 1u);
	if (flags & TOKEN_ORDER_FLAG_ONE_WORKER)
		c->kshim.workqueue_worker_count = 1;
	c->kvm.expose_default_sdei_event = (flags & TOKEN_ORDER_FLAG_SDEI_DEFAULT) != 0;
	c->step_count_max = TOKEN_ORDER_STEPS_MAX;
	c->trace_ring_size = TOKEN_ORDER_TRACE_RING;
	c->draws = WORLD_DRAWS_SCHEDULE;
	/* world_config_default() turns every oracle on; the storm bound and the
	 * liveness bound keep their defaults. */
}

/* ---- The cursor strategy ---- */

struct token_order_strategy {
	struct sim_strategy base;
	const uint8_t *script;
	size_t size;
	size_t pos;
	uint8_t bits;       /* IRQ bits not used yet, low bit next */
	uint8_t bit_count;
	uint32_t keep_left; /* picks the current thread still keeps */
	uint32_t last_id;   /* the thread picked last, for the cyclic order */
};

static const struct sim_strategy_ops token_order_ops;

static struct token_order_strategy *cursor_from(struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL && strategy->ops == &token_order_ops);
	return (struct token_order_strategy *)strategy;
}

static bool cursor_byte(struct token_order_strategy *t, uint8_t *out)
{
	if (t->pos >= t->size)
		return false;
	*out = t->script[t->pos++];
	return true;
}

static int cursor_create(struct sim_strategy **out, const struct sim_strategy_config *config)
{
	struct token_order_strategy *t = calloc(1, sizeof(*t));

	(void)config;
	if (t == NULL)
		return -ENOMEM;
	t->base.ops = &token_order_ops;
	t->last_id = SIM_THREAD_NONE;
	*out = &t->base;
	return 0;
}

static void cursor_destroy(struct sim_strategy *strategy)
{
	free(cursor_from(strategy));
}

static int cursor_begin(struct sim_strategy *strategy, uint64_t seed)
{
	struct token_order_strategy *t = cursor_from(strategy);

	(void)seed;
	t->pos = 0;
	t->bits = 0;
	t->bit_count = 0;
	t->keep_left = 0;
	t->last_id = SIM_THREAD_NONE;
	return 0;
}

/* The eligible thread after @after in cyclic id order (rr's rule). */
static uint32_t cyclic_next(const struct sim_pick *pick, uint32_t after)
{
	uint32_t next = SIM_THREAD_NONE, lowest = 0;

	for (uint32_t i = 0; i < pick->eligible_count; i++) {
		uint32_t id = pick->eligible[i];

		if (id < pick->eligible[lowest])
			lowest = i;
		if (after != SIM_THREAD_NONE && id > after &&
		    (next == SIM_THREAD_NONE || id < pick->eligible[next]))
			next = i;
	}
	return next != SIM_THREAD_NONE ? next : lowest;
}

static uint32_t index_of(const struct sim_pick *pick, uint32_t id)
{
	for (uint32_t i = 0; i < pick->eligible_count; i++)
		if (pick->eligible[i] == id)
			return i;
	return SIM_THREAD_NONE;
}

static uint32_t cursor_pick_thread(struct sim_strategy *strategy, const struct sim_pick *pick)
{
	struct token_order_strategy *t = cursor_from(strategy);
	bool can_keep = pick->current_id != SIM_THREAD_NONE && !pick->current_yielded;
	uint32_t index;
	uint8_t b;

	SIM_ASSERT(pick->eligible_count > 0 && pick->eligible != NULL);
	if (!can_keep)
		t->keep_left = 0;
	if (t->keep_left > 0) {
		t->keep_left--;
		index = index_of(pick, pick->current_id);
	} else if (cursor_byte(t, &b)) {
		if ((b & 0x80u) && can_keep) {
			t->keep_left = (b & 0x7fu) % TOKEN_ORDER_KEEP_MAX;
			index = index_of(pick, pick->current_id);
		} else {
			index = (uint32_t)(b & 0x7fu) % pick->eligible_count;
		}
	} else if (can_keep) {
		index = index_of(pick, pick->current_id);
	} else {
		uint32_t after = pick->current_id != SIM_THREAD_NONE ? pick->current_id : t->last_id;

		index = cyclic_next(pick, after);
	}
	SIM_ASSERT(index < pick->eligible_count);
	t->last_id = pick->eligible[index];
	return index;
}

static uint32_t cursor_pick_option(struct sim_strategy *strategy, enum sim_decision_kind kind,
				   uint32_t option_count, uint64_t step)
{
	struct token_order_strategy *t = cursor_from(strategy);
	uint32_t value = 0;
	uint8_t b;

	(void)step;
	SIM_ASSERT(option_count > 0);
	if (kind == SIM_DECISION_IRQ) {
		if (t->bit_count == 0) {
			if (!cursor_byte(t, &t->bits))
				return 0;
			t->bit_count = 8;
		}
		value = t->bits & 1u;
		t->bits >>= 1;
		t->bit_count--;
		return value % option_count;
	}
	for (uint32_t i = 0, bytes = option_count <= 256u ? 1u : option_count <= 65536u ? 2u : 4u;
	     i < bytes; i++) {
		if (!cursor_byte(t, &b))
			break;
		value |= (uint32_t)b << (8u * i);
	}
	return value % option_count;
}

static bool cursor_end(struct sim_strategy *strategy, const struct sim_schedule *recorded,
		       uint64_t step_count, uint32_t thread_count)
{
	(void)cursor_from(strategy);
	(void)recorded;
	(void)step_count;
	(void)thread_count;
	return false;
}

static const char *cursor_error(const struct sim_strategy *strategy)
{
	(void)strategy;
	return NULL;
}

static const struct sim_strategy_ops token_order_ops = {
	.name = "token-order",
	.summary = "fuzz input bytes as thread picks, interrupt bits and options",
	.create = cursor_create,
	.destroy = cursor_destroy,
	.execution_begin = cursor_begin,
	.pick_thread = cursor_pick_thread,
	.pick_option = cursor_pick_option,
	.execution_end = cursor_end,
	.error = cursor_error,
};

int token_order_strategy_create(const uint8_t *script, size_t size, struct sim_strategy **out)
{
	struct sim_strategy *strategy;
	int ret = cursor_create(&strategy, NULL);

	if (ret != 0)
		return ret;
	cursor_from(strategy)->script = script;
	cursor_from(strategy)->size = script != NULL ? size : 0;
	*out = strategy;
	return 0;
}

size_t token_order_strategy_used(const struct sim_strategy *strategy)
{
	SIM_ASSERT(strategy != NULL && strategy->ops == &token_order_ops);
	return ((const struct token_order_strategy *)strategy)->pos;
}

/* ---- One run ---- */

int token_order_run(struct token_order_run *run, const uint8_t *data, size_t size,
		    const struct token_order_options *options, char *error, size_t error_size)
{
	size_t header = size < TOKEN_ORDER_HEADER_BYTES ? size : TOKEN_ORDER_HEADER_BYTES;
	int ret;

	memset(run, 0, sizeof(*run));
	token_order_config(data, size, &run->config);
	if (options != NULL && options->trace_ring_size != 0)
		run->config.trace_ring_size = options->trace_ring_size;
	if (options != NULL && options->step_count_max != 0)
		run->config.step_count_max = options->step_count_max;
	ret = token_order_strategy_create(data != NULL ? data + header : NULL, size - header,
					  &run->strategy);
	if (ret != 0) {
		snprintf(error, error_size, "token-order strategy: %s", strerror(-ret));
		return ret;
	}
	ret = world_create(&run->world, &run->config, run->strategy, error, error_size);
	if (ret != 0) {
		run->world = NULL;
		return ret;
	}
	ret = world_run(run->world);
	if (ret != 0)
		snprintf(error, error_size, "world_run: %s", strerror(-ret));
	return ret;
}

void token_order_run_end(struct token_order_run *run)
{
	if (run->world != NULL)
		world_destroy(run->world);
	if (run->strategy != NULL)
		sim_strategy_destroy(run->strategy);
	run->world = NULL;
	run->strategy = NULL;
}

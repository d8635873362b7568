// SPDX-License-Identifier: MIT
/*
 * Virtual-time timers: a fixed pool of SIM_TIMER_COUNT_MAX records and a
 * binary min-heap ordered by (deadline, arming sequence), so timers with the
 * same deadline fire in the order they were armed. Cancelled timers are
 * removed from the heap at once.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine_private.h"

#define TIMER_INDEX_BITS_ 12u
#define TIMER_INDEX_MASK_ ((1u << TIMER_INDEX_BITS_) - 1u)
SIM_STATIC_ASSERT(SIM_TIMER_COUNT_MAX <= (1u << TIMER_INDEX_BITS_),
		  "timer ids keep the pool index in their low bits");

int sim__timers_init(struct sim *sim)
{
	sim->timers = calloc(SIM_TIMER_COUNT_MAX, sizeof(*sim->timers));
	sim->timer_heap = calloc(SIM_TIMER_COUNT_MAX, sizeof(*sim->timer_heap));
	if (sim->timers == NULL || sim->timer_heap == NULL)
		return -ENOMEM;
	sim->timer_heap_count = 0;
	sim->timer_sequence = 0;
	sim->timer_generation = 0;
	return 0;
}

void sim__timers_fini(struct sim *sim)
{
	free(sim->timers);
	free(sim->timer_heap);
	sim->timers = NULL;
	sim->timer_heap = NULL;
}

static bool timer_before(const struct sim *sim, uint32_t left, uint32_t right)
{
	const struct sim_timer *l = &sim->timers[left];
	const struct sim_timer *r = &sim->timers[right];

	if (l->deadline != r->deadline)
		return l->deadline < r->deadline;
	SIM_ASSERT(l->sequence != r->sequence);
	return l->sequence < r->sequence;
}

static void heap_swap(struct sim *sim, uint32_t i, uint32_t j)
{
	uint32_t t = sim->timer_heap[i];

	sim->timer_heap[i] = sim->timer_heap[j];
	sim->timer_heap[j] = t;
}

static void heap_up(struct sim *sim, uint32_t i)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!timer_before(sim, sim->timer_heap[i], sim->timer_heap[parent]))
			break;
		heap_swap(sim, i, parent);
		i = parent;
	}
}

static void heap_down(struct sim *sim, uint32_t i)
{
	for (;;) {
		uint32_t left = 2 * i + 1, right = left + 1, smallest = i;

		if (left < sim->timer_heap_count &&
		    timer_before(sim, sim->timer_heap[left], sim->timer_heap[smallest]))
			smallest = left;
		if (right < sim->timer_heap_count &&
		    timer_before(sim, sim->timer_heap[right], sim->timer_heap[smallest]))
			smallest = right;
		if (smallest == i)
			return;
		heap_swap(sim, i, smallest);
		i = smallest;
	}
}

static void heap_remove_at(struct sim *sim, uint32_t i)
{
	SIM_ASSERT(i < sim->timer_heap_count);
	sim->timer_heap_count--;
	if (i == sim->timer_heap_count)
		return;
	sim->timer_heap[i] = sim->timer_heap[sim->timer_heap_count];
	heap_down(sim, i);
	heap_up(sim, i);
}

/**
 * sim_timer_add() - arm a one-shot timer at @deadline_tick.
 * A deadline in the past fires at the next schedule point.
 *
 * Return: the timer id (never 0), or 0 when every timer is in use.
 */
uint64_t sim_timer_add(struct sim *sim, uint64_t deadline_tick, sim_timer_fn fn, void *arg)
{
	uint64_t id = 0;

	SIM_ASSERT(sim != NULL);
	SIM_ASSERT(fn != NULL);
	sim__lock(sim);
	for (uint32_t index = 0; index < SIM_TIMER_COUNT_MAX; index++) {
		struct sim_timer *timer = &sim->timers[index];

		if (timer->armed)
			continue;
		sim->timer_generation++;
		timer->armed = true;
		timer->deadline = deadline_tick;
		timer->sequence = sim->timer_sequence++;
		timer->fn = fn;
		timer->arg = arg;
		timer->id = (sim->timer_generation << TIMER_INDEX_BITS_) | index;
		SIM_ASSERT(sim->timer_heap_count < SIM_TIMER_COUNT_MAX);
		sim->timer_heap[sim->timer_heap_count++] = index;
		heap_up(sim, sim->timer_heap_count - 1);
		id = timer->id;
		break;
	}
	sim__unlock(sim);
	return id;
}

/**
 * sim_timer_cancel() - disarm a timer that has not fired.
 *
 * Return: true if it was armed (and now will not fire).
 */
bool sim_timer_cancel(struct sim *sim, uint64_t timer_id)
{
	uint32_t index = (uint32_t)(timer_id & TIMER_INDEX_MASK_);
	bool cancelled = false;

	SIM_ASSERT(sim != NULL);
	if (timer_id == 0 || index >= SIM_TIMER_COUNT_MAX)
		return false;
	sim__lock(sim);
	if (sim->timers[index].armed && sim->timers[index].id == timer_id) {
		for (uint32_t i = 0; i < sim->timer_heap_count; i++) {
			if (sim->timer_heap[i] != index)
				continue;
			heap_remove_at(sim, i);
			break;
		}
		sim->timers[index].armed = false;
		cancelled = true;
	}
	sim__unlock(sim);
	return cancelled;
}

bool sim__timer_pending(const struct sim *sim)
{
	return sim->timer_heap_count > 0;
}

uint64_t sim__timer_next_deadline(const struct sim *sim)
{
	SIM_ASSERT(sim->timer_heap_count > 0);
	return sim->timers[sim->timer_heap[0]].deadline;
}

/* Called with the engine lock held (free-run) and in engine context. */
uint32_t sim__timers_fire(struct sim *sim)
{
	uint32_t fired = 0;

	/* Each iteration removes one timer, so the loop is bounded by the pool. */
	for (uint32_t round = 0; round < SIM_TIMER_COUNT_MAX; round++) {
		struct sim_timer *timer;
		uint32_t index;

		if (sim->timer_heap_count == 0)
			break;
		index = sim->timer_heap[0];
		timer = &sim->timers[index];
		if (timer->deadline > sim->tick)
			break;
		heap_remove_at(sim, 0);
		SIM_ASSERT(timer->armed);
		timer->armed = false;
		sim_trace(sim, SIM_TRACE_TIMER, "timer", timer->id, timer->deadline);
		timer->fn(sim, timer->arg);
		fired++;
	}
	return fired;
}

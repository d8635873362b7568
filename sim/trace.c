// SPDX-License-Identifier: MIT
/*
 * The trace ring and the rolling trace hash.
 *
 * Every event is folded into a 64-bit rolling hash that fingerprints the
 * whole execution (the determinism self-check compares it), and kept in a
 * bounded ring for replay output and exports. Labels are hashed by content,
 * never by address, so the hash is the same across processes and builds with
 * address-space randomisation.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_private.h"

static const char *const trace_kind_names[SIM_TRACE_KIND_COUNT] = {
	[SIM_TRACE_SWITCH] = "switch",
	[SIM_TRACE_POINT] = "point",
	[SIM_TRACE_SPAWN] = "spawn",
	[SIM_TRACE_EXIT] = "exit",
	[SIM_TRACE_BLOCK] = "block",
	[SIM_TRACE_WAKE] = "wake",
	[SIM_TRACE_TIMER] = "timer",
	[SIM_TRACE_DECISION] = "decision",
	[SIM_TRACE_VCPU] = "vcpu",
	[SIM_TRACE_IRQ] = "irq",
	[SIM_TRACE_SDEI] = "sdei",
	[SIM_TRACE_SMCCC] = "smccc",
	[SIM_TRACE_TOKEN_NOT_PRESENT] = "token-not-present",
	[SIM_TRACE_TOKEN_READY] = "token-ready",
	[SIM_TRACE_TOKEN] = "token",
	[SIM_TRACE_LOG] = "log",
	[SIM_TRACE_FINDING] = "finding",
	[SIM_TRACE_USER] = "user",
};

const char *sim_trace_kind_name(enum sim_trace_kind kind)
{
	if ((unsigned int)kind >= SIM_TRACE_KIND_COUNT)
		return "unknown";
	SIM_ASSERT(trace_kind_names[kind] != NULL);
	return trace_kind_names[kind];
}

static uint64_t hash_string(const char *text)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

	if (text == NULL)
		return 0;
	/* Labels and log lines are short; the bound keeps a corrupt pointer
	 * from running away. */
	for (uint32_t i = 0; i < 4096 && text[i] != '\0'; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t label_hash(struct sim_trace_ring *ring, const char *label)
{
	uint32_t slot;

	if (label == NULL)
		return 0;
	slot = (uint32_t)(((uintptr_t)label >> 3) & 255u);
	if (ring->label_keys[slot] != label) {
		ring->label_keys[slot] = label;
		ring->label_hashes[slot] = hash_string(label);
	}
	return ring->label_hashes[slot];
}

static uint64_t event_hash_with(const struct sim_trace_event *event, uint64_t label_h,
				const char *text)
{
	uint64_t h = sim_mix64(event->kind ^ ((uint64_t)event->thread_id << 16) ^
			       ((uint64_t)(uint16_t)event->vcpu << 48));

	h = sim_mix64(h ^ event->step);
	h = sim_mix64(h ^ event->tick);
	h = sim_mix64(h ^ event->a);
	h = sim_mix64(h ^ event->b);
	h = sim_mix64(h ^ label_h);
	if (text != NULL)
		h = sim_mix64(h ^ hash_string(text));
	return h;
}

/**
 * sim_trace_event_hash() - the hash of one event as folded into the rolling
 * trace hash. @text is the log text of a SIM_TRACE_LOG event, else NULL.
 */
uint64_t sim_trace_event_hash(const struct sim_trace_event *event, const char *text)
{
	SIM_ASSERT(event != NULL);
	return event_hash_with(event, hash_string(event->label), text);
}

int sim__trace_init(struct sim *sim)
{
	struct sim_trace_ring *ring = &sim->trace;

	memset(ring, 0, sizeof(*ring));
	ring->capacity = sim->config.trace_ring_size;
	SIM_ASSERT(ring->capacity > 0);
	ring->events = calloc(ring->capacity, sizeof(*ring->events));
	ring->texts = calloc(SIM_TRACE_TEXT_COUNT_, sizeof(*ring->texts));
	if (ring->events == NULL || ring->texts == NULL)
		return -ENOMEM;
	ring->hash = 0x61706673696d0001ull; /* "apfsim", format 1 */
	return 0;
}

void sim__trace_fini(struct sim *sim)
{
	free(sim->trace.events);
	free(sim->trace.texts);
	sim->trace.events = NULL;
	sim->trace.texts = NULL;
}

static void trace_append(struct sim *sim, struct sim_trace_event *event, const char *text)
{
	struct sim_trace_ring *ring = &sim->trace;
	uint64_t h;

	event->seq = ring->emitted;
	event->step = sim->step;
	event->tick = sim->tick;
	h = event_hash_with(event, label_hash(ring, event->label), text);
	ring->hash = sim_mix64(ring->hash ^ h);
	if (event->seq < sim->config.event_hash_log_capacity)
		sim->config.event_hash_log[event->seq] = h;
	if (event->seq < sim->config.event_log_capacity)
		sim->config.event_log[event->seq] = *event;
	ring->events[ring->emitted % ring->capacity] = *event;
	ring->emitted++;
	if (ring->listener != NULL && !ring->in_listener) {
		ring->in_listener = true;
		ring->listener(ring->listener_ctx, event);
		ring->in_listener = false;
	}
}

/**
 * sim_set_trace_listener() - see sim/trace.h. Call before sim_run().
 */
void sim_set_trace_listener(struct sim *sim, sim_trace_listener_fn fn, void *ctx)
{
	SIM_ASSERT(sim != NULL);
	sim__lock(sim);
	sim->trace.listener = fn;
	sim->trace.listener_ctx = ctx;
	sim__unlock(sim);
}

/**
 * sim_trace() - emit one trace event from the calling thread.
 * A no-op outside an execution (sim NULL), so modules can be unit-tested
 * without an engine.
 */
void sim_trace(struct sim *sim, enum sim_trace_kind kind, const char *label, uint64_t a,
	       uint64_t b)
{
	struct sim_trace_event event;

	if (sim == NULL)
		return;
	SIM_ASSERT((unsigned int)kind < SIM_TRACE_KIND_COUNT);
	sim__lock(sim);
	event.kind = (uint16_t)kind;
	event.label = label;
	event.a = a;
	event.b = b;
	event.thread_id = sim__trace_thread_id(sim);
	event.vcpu = (int16_t)sim__trace_vcpu(sim);
	trace_append(sim, &event, NULL);
	sim__unlock(sim);
}

/**
 * sim_trace_log() - emit a formatted log line; the text is kept in a ring of
 * its own (SIM_TRACE_TEXT_COUNT_ lines) and is part of the trace hash.
 */
void sim_trace_log(struct sim *sim, const char *level, const char *fmt, ...)
{
	struct sim_trace_ring *ring;
	struct sim_trace_event event;
	va_list ap;
	char *text;
	int length;

	if (sim == NULL)
		return;
	sim__lock(sim);
	ring = &sim->trace;
	text = ring->texts[ring->text_count % SIM_TRACE_TEXT_COUNT_];
	va_start(ap, fmt);
	length = vsnprintf(text, SIM_TRACE_TEXT_SIZE_, fmt, ap);
	va_end(ap);
	if (length < 0)
		text[0] = '\0';
	event.kind = SIM_TRACE_LOG;
	event.label = level;
	event.a = ring->text_count++;
	event.b = length < 0 ? 0 : (uint64_t)length;
	event.thread_id = sim__trace_thread_id(sim);
	event.vcpu = (int16_t)sim__trace_vcpu(sim);
	trace_append(sim, &event, text);
	sim__unlock(sim);
}

/**
 * sim_trace_text() - the text of a SIM_TRACE_LOG event, or NULL if it is not
 * a log event or its text has been overwritten in the text ring.
 */
const char *sim_trace_text(const struct sim *sim, const struct sim_trace_event *event)
{
	const struct sim_trace_ring *ring = &sim->trace;

	if (event->kind != SIM_TRACE_LOG || event->a >= ring->text_count)
		return NULL;
	if (ring->text_count - event->a > SIM_TRACE_TEXT_COUNT_)
		return NULL;
	return ring->texts[event->a % SIM_TRACE_TEXT_COUNT_];
}

/**
 * sim_trace_snapshot() - copy the events still in the ring, oldest first.
 *
 * Return: the number of events copied (at most @capacity, the newest ones).
 */
uint64_t sim_trace_snapshot(const struct sim *sim, struct sim_trace_event *out,
			    uint64_t capacity)
{
	const struct sim_trace_ring *ring = &sim->trace;
	uint64_t kept = ring->emitted < ring->capacity ? ring->emitted : ring->capacity;
	uint64_t count = kept < capacity ? kept : capacity;
	uint64_t first = ring->emitted - count;

	for (uint64_t i = 0; i < count; i++)
		out[i] = ring->events[(first + i) % ring->capacity];
	return count;
}

/* Events emitted but no longer in the ring. */
uint64_t sim_trace_dropped(const struct sim *sim)
{
	const struct sim_trace_ring *ring = &sim->trace;

	return ring->emitted > ring->capacity ? ring->emitted - ring->capacity : 0;
}

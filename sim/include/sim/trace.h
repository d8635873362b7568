/* SPDX-License-Identifier: MIT */
/*
 * Trace: every event of an execution goes into a bounded in-memory ring and
 * into a rolling hash (the determinism fingerprint of the execution).
 * Exports: Chrome/Perfetto trace JSON and a plain text form.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdint.h>
#include <stdio.h>

struct sim;

enum sim_trace_kind {
	SIM_TRACE_SWITCH = 0,   /* a: from thread, b: to thread */
	SIM_TRACE_POINT,        /* a: enum sim_point_kind */
	SIM_TRACE_SPAWN,        /* a: new thread id */
	SIM_TRACE_EXIT,
	SIM_TRACE_BLOCK,        /* label: reason */
	SIM_TRACE_WAKE,         /* a: woken thread */
	SIM_TRACE_TIMER,        /* a: timer id */
	SIM_TRACE_DECISION,     /* a: enum sim_decision_kind, b: value */
	SIM_TRACE_VCPU,         /* a: vcpu, b: 1 online / 0 offline */
	SIM_TRACE_IRQ,          /* a: intid, b: layer-defined */
	SIM_TRACE_SDEI,         /* a: event number, b: layer-defined */
	SIM_TRACE_SMCCC,        /* a: function id, b: x1 */
	SIM_TRACE_TOKEN_NOT_PRESENT, /* a: token, b: gfn; starts a flow */
	SIM_TRACE_TOKEN_READY,  /* a: token, b: gfn; ends the flow */
	SIM_TRACE_TOKEN,        /* a: token, b: layer-defined (park, wake, ...) */
	SIM_TRACE_LOG,          /* a: index of the message in the text ring */
	SIM_TRACE_FINDING,
	SIM_TRACE_USER,         /* free for upper layers */
	SIM_TRACE_KIND_COUNT,
};

struct sim_trace_event {
	uint64_t seq;       /* event number in the execution, from 0 */
	uint64_t step;
	uint64_t tick;
	uint64_t a;
	uint64_t b;
	const char *label;  /* static string or NULL */
	uint32_t thread_id; /* thread that emitted it, SIM_THREAD_NONE for engine */
	int16_t vcpu;       /* -1 if none */
	uint16_t kind;      /* enum sim_trace_kind */
};

/* Emit an event from the calling thread (or engine context). */
void sim_trace(struct sim *sim, enum sim_trace_kind kind, const char *label,
	       uint64_t a, uint64_t b);
/* Emit a formatted log line (pr_info and friends); the text is kept in a
 * bounded ring of its own and hashed. */
__attribute__((format(printf, 3, 4))) void
sim_trace_log(struct sim *sim, const char *level, const char *fmt, ...);

/*
 * A listener sees every event as it is emitted (after it is hashed and
 * stored), on the emitting thread, with the engine's lock held: it must not
 * block, take a schedule point or emit events of its own (events emitted
 * while it runs, e.g. by sim_report(), are recorded but not passed to it).
 * Oracles use it. One listener per execution; NULL removes it.
 */
typedef void (*sim_trace_listener_fn)(void *ctx, const struct sim_trace_event *event);
void sim_set_trace_listener(struct sim *sim, sim_trace_listener_fn fn, void *ctx);

const char *sim_trace_kind_name(enum sim_trace_kind kind);
/* Hash of one event, as folded into the rolling hash. */
uint64_t sim_trace_event_hash(const struct sim_trace_event *event, const char *text);

/* Events still in the ring, oldest first. Return: count copied. */
uint64_t sim_trace_snapshot(const struct sim *sim, struct sim_trace_event *out,
			    uint64_t capacity);
uint64_t sim_trace_dropped(const struct sim *sim);
/* The text of a SIM_TRACE_LOG event, or NULL if it was overwritten. */
const char *sim_trace_text(const struct sim *sim, const struct sim_trace_event *event);

/* Exports of what is in the ring. Return: 0 or -errno. */
int sim_trace_export_text(const struct sim *sim, FILE *out);
int sim_trace_export_perfetto(const struct sim *sim, FILE *out);

#endif /* SIM_TRACE_H */

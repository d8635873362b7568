/* SPDX-License-Identifier: MIT */
/*
 * Trace exports, independent of a running engine.
 *
 * A struct sim_trace_view describes a trace as plain data: the events still in
 * the ring (oldest first), how many were dropped before them, and the threads
 * they refer to. sim_trace_export_text() and sim_trace_export_perfetto()
 * (trace.h) fill a view from a struct sim and call the exporters below, so the
 * exporters can be tested with synthetic event arrays. The formats are
 * described in docs/trace.md.
 */
#ifndef SIM_TRACE_EXPORT_H
#define SIM_TRACE_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "sim/limits.h"
#include "sim/trace.h"

/*
 * Perfetto thread id of the "engine" track, which carries events emitted from
 * engine context (thread_id SIM_THREAD_NONE). Real thread ids stay below
 * SIM_THREAD_COUNT_MAX, so it never collides with one.
 */
#define SIM_TRACE_ENGINE_TID SIM_THREAD_COUNT_MAX

/*
 * Longest string (label, name, log text) exported, in input bytes. Longer
 * strings are cut at a character boundary and end with "[...]".
 */
#define SIM_TRACE_EXPORT_STRING_BYTES_MAX 4096u

/* Most events one export accepts (a sanity bound far above any ring size). */
#define SIM_TRACE_EXPORT_EVENT_COUNT_MAX (1ull << 32)

struct sim_trace_thread_info {
	const char *name; /* NULL: shown as "thread<id>" */
	int kind;         /* enum sim_thread_kind */
	int vcpu;         /* IDLE and TASK: 0 .. SIM_VCPU_COUNT_MAX - 1; HOST: ignored */
};

struct sim_trace_view {
	const struct sim_trace_event *events; /* oldest first, seq and tick non-decreasing */
	uint64_t event_count;
	uint64_t dropped_count;  /* events lost before events[0] */
	const struct sim_trace_thread_info *threads; /* indexed by thread id */
	uint32_t thread_count;
	/* Text of a SIM_TRACE_LOG event or NULL if lost; the callback may be NULL. */
	const char *(*text)(const void *ctx, const struct sim_trace_event *event);
	const void *ctx;
	uint32_t vcpu_count;
	uint64_t seed;
};

/**
 * sim_trace_view_check() - validate a view before exporting it.
 * @view: the view.
 *
 * Checks the counts against the limits, that every event has a known kind, a
 * known thread (or SIM_THREAD_NONE), increasing seq and non-decreasing tick,
 * that switch events name known threads, and that every guest thread has a
 * vCPU.
 *
 * Return: 0, or -EINVAL for the first problem found.
 */
__attribute__((warn_unused_result)) int
sim_trace_view_check(const struct sim_trace_view *view);

/**
 * sim_trace_view_export_text() - write the plain text form of a view.
 * @view: the trace; checked with sim_trace_view_check() first.
 * @out: the stream; flushed at the end.
 *
 * Header lines start with '#'; then one line per event in fixed columns.
 *
 * Return: 0, -EINVAL for a bad view (nothing is written), -EIO when writing
 * failed.
 */
__attribute__((warn_unused_result)) int
sim_trace_view_export_text(const struct sim_trace_view *view, FILE *out);

/**
 * sim_trace_view_export_perfetto() - write a view as Chrome trace event JSON.
 * @view: the trace; checked with sim_trace_view_check() first.
 * @out: the stream; flushed at the end.
 *
 * One track per thread (guest vCPUs and tasks in pid 1, host threads and the
 * engine in pid 2), run slices from switch events, instants for the other
 * events, and flow arrows from page-not-present to page-ready. One virtual
 * tick is shown as one microsecond.
 *
 * Return: 0, -EINVAL for a bad view (nothing is written), -EIO when writing
 * failed.
 */
__attribute__((warn_unused_result)) int
sim_trace_view_export_perfetto(const struct sim_trace_view *view, FILE *out);

#endif /* SIM_TRACE_EXPORT_H */

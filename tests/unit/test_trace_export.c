// SPDX-License-Identifier: MIT
/*
 * Goal: the trace exports are correct and robust. The Perfetto JSON parses,
 * names every track once, derives run slices from switch events, links each
 * page-not-present to its page-ready with a unique flow id, escapes any
 * string, decodes a/b per kind and reports dropped events; the text form has
 * exact, fixed columns; bad views and write errors give negative errnos.
 * Method: synthetic event arrays exported to memory streams, JSON parsed back
 * with jansson and checked record by record; expected text compared line for
 * line; /dev/full and a read-only stream for write errors; finally a tiny
 * real execution on the engine exported through the sim_trace_export_*()
 * wrappers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sim/schedule.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "sim/trace.h"
#include "sim/trace_export.h"

#define EVENT_COUNT_MAX 64u

/*
 * The test links with -Wl,--wrap=calloc, so the exports' allocations can be
 * made to fail: the call after calloc_fail_skip further calls returns NULL
 * once. Every other call goes to the real calloc().
 */
void *__real_calloc(size_t count, size_t size);
void *__wrap_calloc(size_t count, size_t size);

static int calloc_fail_skip = -1; /* -1: never fail */

void *__wrap_calloc(size_t count, size_t size)
{
	if (calloc_fail_skip == 0) {
		calloc_fail_skip = -1;
		return NULL;
	}
	if (calloc_fail_skip > 0)
		calloc_fail_skip--;
	return __real_calloc(count, size);
}
#define NONE SIM_THREAD_NONE
#define ENGINE_TID ((json_int_t)SIM_TRACE_ENGINE_TID)

/* ---- Fixture: five threads on two vCPUs, one without a name ---- */

static const struct sim_trace_thread_info fixture_threads[] = {
	{ "vcpu0/idle", SIM_THREAD_IDLE, 0 },
	{ "vcpu1/idle", SIM_THREAD_IDLE, 1 },
	{ "task7", SIM_THREAD_TASK, 1 },
	{ "worker0", SIM_THREAD_HOST, -1 },
	{ "vmm", SIM_THREAD_HOST, -1 },
	{ NULL, SIM_THREAD_HOST, -1 },
};

#define FIXTURE_THREAD_COUNT ((uint32_t)(sizeof(fixture_threads) / sizeof(fixture_threads[0])))

struct builder {
	struct sim_trace_event events[EVENT_COUNT_MAX];
	struct sim_trace_view view;
};

static void builder_init(struct builder *b, uint64_t dropped_count)
{
	memset(b, 0, sizeof(*b));
	b->view.events = b->events;
	b->view.dropped_count = dropped_count;
	b->view.threads = fixture_threads;
	b->view.thread_count = FIXTURE_THREAD_COUNT;
	b->view.vcpu_count = 2;
	b->view.seed = 42;
}

/* Appends an event; seq follows the dropped count, step is seq + 100. */
static struct sim_trace_event *add(struct builder *b, uint64_t tick, enum sim_trace_kind kind,
				   uint32_t thread_id, int vcpu, const char *label, uint64_t a,
				   uint64_t value_b)
{
	struct sim_trace_event *event;

	assert_true(b->view.event_count < EVENT_COUNT_MAX);
	event = &b->events[b->view.event_count];
	event->seq = b->view.dropped_count + b->view.event_count;
	event->step = event->seq + 100;
	event->tick = tick;
	event->kind = (uint16_t)kind;
	event->thread_id = thread_id;
	event->vcpu = (int16_t)vcpu;
	event->label = label;
	event->a = a;
	event->b = value_b;
	b->view.event_count++;
	return event;
}

/* ---- Capturing output ---- */

struct capture {
	char *data;
	size_t size;
	FILE *file;
};

static void capture_open(struct capture *c)
{
	c->data = NULL;
	c->size = 0;
	c->file = open_memstream(&c->data, &c->size);
	assert_non_null(c->file);
}

static void capture_close(struct capture *c)
{
	assert_int_equal(fclose(c->file), 0);
	c->file = NULL;
	assert_non_null(c->data);
}

static json_t *parse_json(const char *data)
{
	json_error_t error;
	json_t *root = json_loads(data, 0, &error);

	if (root == NULL)
		fail_msg("invalid JSON at line %d: %s", error.line, error.text);
	assert_true(json_is_object(root));
	return root;
}

static json_t *export_json(const struct sim_trace_view *view)
{
	struct capture c;
	json_t *root;

	capture_open(&c);
	assert_int_equal(sim_trace_view_export_perfetto(view, c.file), 0);
	capture_close(&c);
	root = parse_json(c.data);
	free(c.data);
	return root;
}

static char *export_text(const struct sim_trace_view *view)
{
	struct capture c;

	capture_open(&c);
	assert_int_equal(sim_trace_view_export_text(view, c.file), 0);
	capture_close(&c);
	return c.data;
}

/* ---- Reading records back ---- */

static json_t *records(json_t *root)
{
	json_t *array = json_object_get(root, "traceEvents");

	assert_true(json_is_array(array));
	return array;
}

static const char *string_of(json_t *object, const char *key)
{
	json_t *value = json_object_get(object, key);

	return json_is_string(value) ? json_string_value(value) : NULL;
}

static json_int_t int_of(json_t *object, const char *key)
{
	json_t *value = json_object_get(object, key);

	if (!json_is_integer(value))
		fail_msg("key %s is not an integer", key);
	return json_integer_value(value);
}

static bool phase_is(json_t *record, const char *phase)
{
	const char *ph = string_of(record, "ph");

	return ph != NULL && strcmp(ph, phase) == 0;
}

static json_t *args_of(json_t *record)
{
	json_t *args = json_object_get(record, "args");

	assert_true(json_is_object(args));
	return args;
}

/* The instant or binding slice of the event with @seq. */
static json_t *record_of_seq(json_t *root, uint64_t seq)
{
	json_t *record;
	size_t index;

	json_array_foreach(records(root), index, record) {
		if (!phase_is(record, "i") && !phase_is(record, "X"))
			continue;
		json_t *args = json_object_get(record, "args");
		json_t *value = json_object_get(args, "seq");

		if (json_is_integer(value) && (uint64_t)json_integer_value(value) == seq)
			return record;
	}
	fail_msg("no record for seq %" PRIu64, seq);
	return NULL;
}

static size_t count_phase(json_t *root, const char *phase)
{
	json_t *record;
	size_t index, count = 0;

	json_array_foreach(records(root), index, record)
		count += phase_is(record, phase);
	return count;
}

static const char *thread_name_of(json_t *root, json_int_t pid, json_int_t tid)
{
	json_t *record;
	size_t index;
	const char *name = NULL;

	json_array_foreach(records(root), index, record) {
		if (!phase_is(record, "M") || strcmp(string_of(record, "name"), "thread_name"))
			continue;
		if (int_of(record, "pid") != pid || int_of(record, "tid") != tid)
			continue;
		assert_null(name); /* one thread_name per track */
		name = string_of(args_of(record), "name");
		assert_non_null(name);
	}
	return name;
}

static json_int_t sort_index_of(json_t *root, const char *kind, json_int_t pid, json_int_t tid)
{
	json_t *record;
	size_t index;

	json_array_foreach(records(root), index, record) {
		if (!phase_is(record, "M") || strcmp(string_of(record, "name"), kind))
			continue;
		if (int_of(record, "pid") != pid)
			continue;
		if (tid >= 0 && int_of(record, "tid") != tid)
			continue;
		return int_of(args_of(record), "sort_index");
	}
	fail_msg("no %s for pid %d tid %d", kind, (int)pid, (int)tid);
	return -1;
}

/* ---- Perfetto: structure and tracks ---- */

static void test_trace_export_perfetto_parses_with_metadata(void **state)
{
	struct builder b;
	json_t *root, *metadata;

	(void)state;
	builder_init(&b, 0);
	add(&b, 3, SIM_TRACE_POINT, 3, -1, "p", SIM_POINT_READ, 0);
	add(&b, 5, SIM_TRACE_USER, 4, -1, NULL, 1, 2);
	root = export_json(&b.view);
	assert_string_equal(string_of(root, "displayTimeUnit"), "ns");
	metadata = json_object_get(root, "metadata");
	assert_true(json_is_object(metadata));
	assert_string_equal(string_of(metadata, "seed"), "42");
	assert_int_equal(int_of(metadata, "vcpu_count"), 2);
	assert_int_equal(int_of(metadata, "thread_count"), FIXTURE_THREAD_COUNT);
	assert_int_equal(int_of(metadata, "event_count"), 2);
	assert_int_equal(int_of(metadata, "dropped_count"), 0);
	assert_int_equal(int_of(metadata, "first_seq"), 0);
	assert_int_equal(int_of(metadata, "first_tick"), 3);
	assert_int_equal(int_of(metadata, "last_tick"), 5);
	assert_true(json_is_true(json_object_get(metadata, "complete")));
	assert_non_null(strstr(string_of(metadata, "time_unit"), "1 us"));
	/* No global marker when nothing was dropped. */
	assert_int_equal(count_phase(root, "i"), 2);
	json_decref(root);
}

static void test_trace_export_perfetto_one_thread_name_per_thread(void **state)
{
	struct builder b;
	json_t *root, *record;
	size_t index, names = 0;

	(void)state;
	builder_init(&b, 0);
	root = export_json(&b.view);
	json_array_foreach(records(root), index, record)
		names += phase_is(record, "M") && !strcmp(string_of(record, "name"), "thread_name");
	assert_int_equal(names, FIXTURE_THREAD_COUNT + 1); /* + the engine track */
	assert_string_equal(thread_name_of(root, 1, 0), "vcpu0/idle");
	assert_string_equal(thread_name_of(root, 1, 1), "vcpu1/idle");
	assert_string_equal(thread_name_of(root, 1, 2), "task7 (vcpu1)");
	assert_string_equal(thread_name_of(root, 2, 3), "worker0");
	assert_string_equal(thread_name_of(root, 2, 4), "vmm");
	assert_string_equal(thread_name_of(root, 2, 5), "thread5");
	assert_string_equal(thread_name_of(root, 2, ENGINE_TID), "engine");
	assert_null(thread_name_of(root, 2, 0)); /* a guest thread is not in the host process */
	/* vCPUs first; on a vCPU, the idle thread first, then its tasks. */
	assert_true(sort_index_of(root, "process_sort_index", 1, -1) <
		    sort_index_of(root, "process_sort_index", 2, -1));
	assert_true(sort_index_of(root, "thread_sort_index", 1, 0) <
		    sort_index_of(root, "thread_sort_index", 1, 1));
	assert_true(sort_index_of(root, "thread_sort_index", 1, 1) <
		    sort_index_of(root, "thread_sort_index", 1, 2));
	assert_true(sort_index_of(root, "thread_sort_index", 2, 3) <
		    sort_index_of(root, "thread_sort_index", 2, ENGINE_TID));
	json_decref(root);
}

static void test_trace_export_perfetto_empty_thread_name_gets_id(void **state)
{
	static const struct sim_trace_thread_info threads[] = {
		{ "", SIM_THREAD_TASK, 0 },
	};
	struct builder b;
	json_t *root;

	(void)state;
	builder_init(&b, 0);
	b.view.threads = threads;
	b.view.thread_count = 1;
	root = export_json(&b.view);
	assert_string_equal(thread_name_of(root, 1, 0), "thread0 (vcpu0)");
	json_decref(root);
}

/* ---- Perfetto: run slices ---- */

struct slice {
	json_int_t tid;
	json_int_t ts;
	json_int_t dur;
};

static void expect_run_slices(json_t *root, const struct slice *expected, size_t count)
{
	json_t *record;
	size_t index, found = 0;

	json_array_foreach(records(root), index, record) {
		if (!phase_is(record, "X") || strcmp(string_of(record, "name"), "running"))
			continue;
		assert_true(found < count);
		assert_int_equal(int_of(record, "tid"), expected[found].tid);
		assert_int_equal(int_of(record, "ts"), expected[found].ts);
		assert_int_equal(int_of(record, "dur"), expected[found].dur);
		assert_int_equal(int_of(record, "pid"), expected[found].tid >= 3 ? 2 : 1);
		found++;
	}
	assert_int_equal(found, count);
}

static void test_trace_export_perfetto_switch_slices(void **state)
{
	static const struct slice expected[] = {
		{ 3, 2, 2 },  /* running before the trace starts, out at 4 */
		{ 0, 4, 5 },
		{ 2, 9, 6 },
		{ 3, 15, 5 }, /* still running at the end */
	};
	struct builder b;
	json_t *root;

	(void)state;
	builder_init(&b, 0);
	add(&b, 2, SIM_TRACE_POINT, 3, -1, "before", 0, 0);
	add(&b, 4, SIM_TRACE_SWITCH, 3, -1, NULL, 3, 0);
	add(&b, 9, SIM_TRACE_SWITCH, 0, 0, NULL, 0, 2);
	add(&b, 9, SIM_TRACE_POINT, 2, 1, "inside", 0, 0);
	add(&b, 15, SIM_TRACE_SWITCH, 2, 1, NULL, 2, 3);
	add(&b, 20, SIM_TRACE_USER, 3, -1, NULL, 0, 0);
	root = export_json(&b.view);
	expect_run_slices(root, expected, sizeof(expected) / sizeof(expected[0]));
	/* The switches themselves are slices, not instants. */
	assert_int_equal(count_phase(root, "i"), 3);
	json_decref(root);
}

static void test_trace_export_perfetto_switch_slices_irregular(void **state)
{
	static const struct slice expected[] = {
		{ 4, 1, 4 }, /* its first switch is a switch-out */
		{ 0, 1, 2 }, /* from the engine: no leading slice for "none" */
		{ 1, 3, 3 }, /* ended by its next switch-in (a switch-out is missing) */
		{ 3, 5, 3 }, /* by other threads' switches meanwhile */
		{ 1, 6, 2 }, /* to the end of the trace */
	};
	struct builder b;
	json_t *root, *record;

	(void)state;
	builder_init(&b, 0);
	add(&b, 1, SIM_TRACE_SWITCH, NONE, -1, NULL, NONE, 0);
	add(&b, 3, SIM_TRACE_SWITCH, 0, 0, NULL, 0, 1);
	add(&b, 5, SIM_TRACE_SWITCH, 4, -1, NULL, 4, 3);
	add(&b, 6, SIM_TRACE_SWITCH, NONE, -1, NULL, NONE, 1);
	add(&b, 8, SIM_TRACE_POINT, 1, 1, NULL, 0, 0);
	add(&b, 8, SIM_TRACE_SWITCH, 1, 1, NULL, 1, NONE);
	add(&b, 8, SIM_TRACE_SWITCH, 3, -1, NULL, 3, NONE);
	root = export_json(&b.view);
	expect_run_slices(root, expected, sizeof(expected) / sizeof(expected[0]));
	record = record_of_seq(root, 4);
	assert_true(phase_is(record, "i"));
	json_decref(root);
}

static void test_trace_export_perfetto_slice_args_name_switch(void **state)
{
	struct builder b;
	json_t *root, *record;
	size_t index, leading = 0, switched = 0;

	(void)state;
	builder_init(&b, 0);
	add(&b, 1, SIM_TRACE_USER, 3, -1, NULL, 0, 0);
	add(&b, 2, SIM_TRACE_SWITCH, 3, -1, NULL, 3, 4);
	root = export_json(&b.view);
	json_array_foreach(records(root), index, record) {
		if (!phase_is(record, "X"))
			continue;
		json_t *args = args_of(record);

		if (int_of(record, "tid") == 3) {
			assert_non_null(strstr(string_of(args, "note"), "trace starts"));
			leading++;
		} else {
			assert_int_equal(int_of(record, "tid"), 4);
			assert_int_equal(int_of(args, "switch_seq"), 1);
			switched++;
		}
	}
	assert_int_equal(leading, 1);
	assert_int_equal(switched, 1);
	json_decref(root);
}

/* ---- Perfetto: flows ---- */

/* The flow record right after the binding slice of the event with @seq. */
static json_t *flow_after(json_t *root, uint64_t seq, const char *phase)
{
	json_t *array = records(root), *binding, *flow;
	size_t index;

	json_array_foreach(array, index, binding) {
		json_t *value = json_object_get(json_object_get(binding, "args"), "seq");

		if (!json_is_integer(value) || (uint64_t)json_integer_value(value) != seq)
			continue;
		assert_true(phase_is(binding, "X"));
		assert_int_equal(int_of(binding, "dur"), 0);
		flow = json_array_get(array, index + 1);
		assert_non_null(flow);
		assert_true(phase_is(flow, phase));
		assert_int_equal(int_of(flow, "pid"), int_of(binding, "pid"));
		assert_int_equal(int_of(flow, "tid"), int_of(binding, "tid"));
		assert_int_equal(int_of(flow, "ts"), int_of(binding, "ts"));
		assert_string_equal(string_of(flow, "cat"), "apf");
		assert_string_equal(string_of(flow, "name"), "page");
		return flow;
	}
	fail_msg("no binding slice for seq %" PRIu64, seq);
	return NULL;
}

static void test_trace_export_perfetto_flow_pairs_tokens(void **state)
{
	struct builder b;
	json_t *root, *start1, *end1, *start2, *end2, *args;

	(void)state;
	builder_init(&b, 0);
	add(&b, 1, SIM_TRACE_TOKEN_NOT_PRESENT, 2, 1, NULL, 0x1001, 0x40);   /* seq 0 */
	add(&b, 3, SIM_TRACE_TOKEN, 3, -1, "park", 0x1001, 1);               /* seq 1 */
	add(&b, 5, SIM_TRACE_TOKEN_READY, 3, -1, NULL, 0x1001, 0x40);        /* seq 2 */
	add(&b, 6, SIM_TRACE_TOKEN_NOT_PRESENT, 2, 1, NULL, 0x1001, 0x41);   /* seq 3: reused */
	add(&b, 7, SIM_TRACE_TOKEN_NOT_PRESENT, 0, 0, NULL, 0x2000, 0x50);   /* seq 4: no ready */
	add(&b, 9, SIM_TRACE_TOKEN_READY, 3, -1, NULL, 0x1001, 0x41);        /* seq 5 */
	add(&b, 10, SIM_TRACE_TOKEN_READY, 3, -1, NULL, 0x1001, 0x41);       /* seq 6: duplicate */
	add(&b, 11, SIM_TRACE_TOKEN_READY, 4, -1, NULL, 0x3000, 0x60);       /* seq 7: unknown */
	root = export_json(&b.view);
	assert_int_equal(count_phase(root, "s"), 3);
	assert_int_equal(count_phase(root, "f"), 2);
	start1 = flow_after(root, 0, "s");
	end1 = flow_after(root, 2, "f");
	start2 = flow_after(root, 3, "s");
	end2 = flow_after(root, 5, "f");
	assert_int_equal(int_of(start1, "id"), int_of(end1, "id"));
	assert_int_equal(int_of(start2, "id"), int_of(end2, "id"));
	assert_true(int_of(start1, "id") != int_of(start2, "id"));
	assert_true(int_of(flow_after(root, 4, "s"), "id") != int_of(start1, "id"));
	assert_string_equal(string_of(end1, "bp"), "e");
	assert_null(json_object_get(start1, "bp"));
	/* The arrow goes from the faulting task's track to the worker's. */
	assert_int_equal(int_of(start1, "pid"), 1);
	assert_int_equal(int_of(end1, "pid"), 2);
	args = args_of(record_of_seq(root, 0));
	assert_string_equal(string_of(args, "token"), "0x1001");
	assert_string_equal(string_of(args, "gfn"), "0x40");
	assert_true(phase_is(record_of_seq(root, 6), "i"));
	assert_true(phase_is(record_of_seq(root, 7), "i"));
	assert_true(phase_is(record_of_seq(root, 1), "i"));
	json_decref(root);
}

/* ---- Perfetto: strings ---- */

static const char *nasty_text(const void *ctx, const struct sim_trace_event *event)
{
	(void)ctx;
	assert_int_equal(event->kind, SIM_TRACE_LOG);
	return event->a == 0 ? "log \"quoted\" \\ back\r\n\x1b[0m \xc3\xa9" : NULL;
}

static void test_trace_export_perfetto_escapes_round_trip(void **state)
{
	static const struct sim_trace_thread_info threads[] = {
		{ "w\"o\\r\tk", SIM_THREAD_HOST, -1 },
	};
	struct builder b;
	json_t *root;
	struct capture c;

	(void)state;
	builder_init(&b, 0);
	b.view.threads = threads;
	b.view.thread_count = 1;
	b.view.vcpu_count = 1;
	b.view.text = nasty_text;
	/* ASCII escapes, control characters, DEL, 2-, 3- and 4-byte UTF-8. */
	add(&b, 1, SIM_TRACE_USER, 0, -1,
	    "q\"b\\n\nt\t\x01\x1f\x7f \xc3\xa9\xe2\x9c\x93\xf0\x9d\x84\x9e", 0, 0);
	/* Not UTF-8: stray continuation, overlong, surrogate, > U+10FFFF,
	 * overlong 4-byte, bad lead, overlong 3-byte, bad third byte, then
	 * U+0800 (valid) and a sequence cut short by the end. */
	add(&b, 2, SIM_TRACE_USER, 0, -1,
	    "\x80|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xf0\x80\x80\x80|\xff|\xe0\x80\x80|"
	    "\xe2\x82\xc0|\xe0\xa0\x80|\xe2\x82", 0, 0);
	add(&b, 3, SIM_TRACE_LOG, 0, -1, "info", 0, 0);
	add(&b, 4, SIM_TRACE_LOG, 0, -1, "warn", 1, 0);
	capture_open(&c);
	assert_int_equal(sim_trace_view_export_perfetto(&b.view, c.file), 0);
	capture_close(&c);
	for (size_t index = 0; index < c.size; index++)
		assert_true((unsigned char)c.data[index] >= 0x20 || c.data[index] == '\n');
	root = parse_json(c.data);
	free(c.data);
	assert_string_equal(thread_name_of(root, 2, 0), "w\"o\\r\tk");
	assert_string_equal(string_of(record_of_seq(root, 0), "name"),
			    "user: q\"b\\n\nt\t\x01\x1f\x7f \xc3\xa9\xe2\x9c\x93\xf0\x9d\x84\x9e");
#define FFFD "\xef\xbf\xbd"
	assert_string_equal(string_of(record_of_seq(root, 1), "name"),
			    "user: " FFFD "|" FFFD FFFD "|" FFFD FFFD FFFD "|" FFFD FFFD FFFD FFFD
			    "|" FFFD FFFD FFFD FFFD "|" FFFD "|" FFFD FFFD FFFD "|" FFFD FFFD FFFD
			    "|\xe0\xa0\x80|" FFFD FFFD);
#undef FFFD
	assert_string_equal(string_of(args_of(record_of_seq(root, 2)), "text"),
			    "log \"quoted\" \\ back\r\n\x1b[0m \xc3\xa9");
	assert_string_equal(string_of(record_of_seq(root, 2), "name"), "log: info");
	/* A text lost from the text ring: its index instead. */
	assert_null(json_object_get(args_of(record_of_seq(root, 3)), "text"));
	assert_int_equal(int_of(args_of(record_of_seq(root, 3)), "index"), 1);
	json_decref(root);
}

static void test_trace_export_strings_cut_at_limit(void **state)
{
	const size_t limit = SIM_TRACE_EXPORT_STRING_BYTES_MAX;
	char *longer = malloc(limit + 100), *exact = malloc(limit + 1);
	char *split = malloc(limit + 2), *expected = malloc(limit + 100);
	struct builder b;
	json_t *root;

	(void)state;
	assert_non_null(longer);
	assert_non_null(exact);
	assert_non_null(split);
	assert_non_null(expected);
	memset(longer, 'x', limit + 99);
	longer[limit + 99] = '\0';
	memset(exact, 'y', limit);
	exact[limit] = '\0';
	/* A 2-byte character that would straddle the limit is left out whole. */
	memset(split, 'z', limit - 1);
	memcpy(&split[limit - 1], "\xc3\xa9", 3);
	builder_init(&b, 0);
	add(&b, 1, SIM_TRACE_USER, 3, -1, longer, 0, 0);
	add(&b, 2, SIM_TRACE_USER, 3, -1, exact, 0, 0);
	add(&b, 3, SIM_TRACE_USER, 3, -1, split, 0, 0);
	root = export_json(&b.view);
	snprintf(expected, limit + 100, "user: %.*s[...]", (int)limit, longer);
	assert_string_equal(string_of(record_of_seq(root, 0), "name"), expected);
	snprintf(expected, limit + 100, "user: %s", exact);
	assert_string_equal(string_of(record_of_seq(root, 1), "name"), expected);
	snprintf(expected, limit + 100, "user: %.*s[...]", (int)limit - 1, split);
	assert_string_equal(string_of(record_of_seq(root, 2), "name"), expected);
	json_decref(root);
	free(longer);
	free(exact);
	free(split);
	free(expected);
}

/* ---- Perfetto: decoded fields, dropped events ---- */

static void test_trace_export_perfetto_args_decoded_engine_kinds(void **state)
{
	struct builder b;
	json_t *root, *args;

	(void)state;
	builder_init(&b, 0);
	add(&b, 1, SIM_TRACE_POINT, 0, 0, "lock", SIM_POINT_LOCK_ACQUIRE, 0); /* 0 */
	add(&b, 1, SIM_TRACE_POINT, 0, 0, NULL, 99, 5);                       /* 1 */
	add(&b, 2, SIM_TRACE_SPAWN, 3, -1, "vmm", 4, SIM_THREAD_HOST);        /* 2 */
	add(&b, 2, SIM_TRACE_WAKE, NONE, -1, NULL, NONE, 0);                  /* 3 */
	add(&b, 3, SIM_TRACE_TIMER, NONE, -1, NULL, 7, 30);                   /* 4 */
	add(&b, 3, SIM_TRACE_DECISION, 3, -1, NULL, SIM_DECISION_IRQ, 0);     /* 5 */
	add(&b, 3, SIM_TRACE_DECISION, 3, -1, NULL, 9, 5);                    /* 6 */
	add(&b, 8, SIM_TRACE_SPAWN, NONE, -1, NULL, 5, 9);                    /* 7 */
	root = export_json(&b.view);
	args = args_of(record_of_seq(root, 0));
	assert_string_equal(string_of(args, "point"), "lock-acquire");
	assert_int_equal(int_of(args, "step"), 100);
	assert_int_equal(int_of(args, "vcpu"), 0);
	assert_null(json_object_get(args, "b")); /* undefined and zero: hidden */
	assert_string_equal(string_of(record_of_seq(root, 0), "cat"), "point");
	assert_string_equal(string_of(record_of_seq(root, 0), "name"), "point: lock");
	assert_string_equal(string_of(record_of_seq(root, 0), "s"), "t");
	args = args_of(record_of_seq(root, 1));
	assert_int_equal(int_of(args, "point"), 99);
	assert_string_equal(string_of(args, "b"), "0x5"); /* undefined, nonzero: raw */
	assert_string_equal(string_of(record_of_seq(root, 1), "name"), "point");
	args = args_of(record_of_seq(root, 2));
	assert_int_equal(int_of(args, "thread"), 4);
	assert_string_equal(string_of(args, "kind"), "host");
	assert_null(json_object_get(args, "vcpu"));
	args = args_of(record_of_seq(root, 3));
	assert_string_equal(string_of(args, "thread"), "none");
	assert_int_equal(json_object_size(args), 3); /* seq, step, thread */
	assert_int_equal(int_of(record_of_seq(root, 3), "tid"), ENGINE_TID);
	assert_int_equal(int_of(record_of_seq(root, 3), "pid"), 2);
	assert_int_equal(int_of(args_of(record_of_seq(root, 4)), "timer"), 7);
	assert_int_equal(int_of(args_of(record_of_seq(root, 4)), "deadline"), 30);
	args = args_of(record_of_seq(root, 5));
	assert_string_equal(string_of(args, "decision"), "irq");
	assert_int_equal(int_of(args, "value"), 0);
	assert_int_equal(int_of(args_of(record_of_seq(root, 6)), "decision"), 9);
	assert_int_equal(int_of(args_of(record_of_seq(root, 7)), "kind"), 9);
	json_decref(root);
}

static void test_trace_export_perfetto_args_decoded_other_kinds(void **state)
{
	struct builder b;
	json_t *root, *args;

	(void)state;
	builder_init(&b, 0);
	add(&b, 4, SIM_TRACE_VCPU, 4, -1, NULL, 1, 0);                        /* 0 */
	add(&b, 4, SIM_TRACE_IRQ, 1, 1, NULL, 27, 0);                         /* 1 */
	add(&b, 5, SIM_TRACE_SMCCC, 2, 1, NULL, 0xc6000000, 0x10);            /* 2 */
	add(&b, 5, SIM_TRACE_EXIT, 2, 1, "task7", 2, 0);                      /* 3 */
	add(&b, 6, SIM_TRACE_BLOCK, 2, 1, "waiting", 1, 0);                   /* 4 */
	add(&b, 6, SIM_TRACE_BLOCK, 2, 1, "waiting", 0, 0);                   /* 5 */
	add(&b, 6, SIM_TRACE_FINDING, 4, -1, "bug", 0, 2);                    /* 6 */
	add(&b, 7, SIM_TRACE_SDEI, 2, 1, NULL, 0x40200000, 1);                /* 7 */
	add(&b, 7, SIM_TRACE_LOG, 2, 1, NULL, 3, 12);                         /* 8 */
	root = export_json(&b.view);
	args = args_of(record_of_seq(root, 0));
	assert_int_equal(int_of(args, "target_vcpu"), 1);
	assert_int_equal(int_of(args, "online"), 0);
	args = args_of(record_of_seq(root, 1));
	assert_int_equal(int_of(args, "intid"), 27);
	assert_string_equal(string_of(args, "arg"), "0x0");
	args = args_of(record_of_seq(root, 2));
	assert_string_equal(string_of(args, "function"), "0xc6000000");
	assert_string_equal(string_of(args, "x1"), "0x10");
	assert_int_equal(int_of(args_of(record_of_seq(root, 3)), "thread"), 2);
	assert_int_equal(int_of(args_of(record_of_seq(root, 4)), "halt"), 1);
	args = args_of(record_of_seq(root, 5));
	assert_null(json_object_get(args, "halt")); /* a flag: shown only when set */
	assert_int_equal(json_object_size(args), 3); /* seq, step, vcpu */
	args = args_of(record_of_seq(root, 6));
	assert_int_equal(int_of(args, "finding"), 0);
	assert_string_equal(string_of(args, "b"), "0x2");
	assert_string_equal(string_of(args_of(record_of_seq(root, 7)), "event"), "0x40200000");
	/* No text callback: the index. */
	args = args_of(record_of_seq(root, 8));
	assert_int_equal(int_of(args, "index"), 3);
	assert_int_equal(int_of(args, "length"), 12);
	json_decref(root);
}

static void test_trace_export_perfetto_reports_dropped(void **state)
{
	struct builder b;
	json_t *root, *metadata, *record, *marker = NULL;
	size_t index;

	(void)state;
	builder_init(&b, 123);
	add(&b, 50, SIM_TRACE_POINT, 3, -1, NULL, 0, 0);
	add(&b, 51, SIM_TRACE_POINT, 3, -1, NULL, 0, 0);
	root = export_json(&b.view);
	metadata = json_object_get(root, "metadata");
	assert_int_equal(int_of(metadata, "dropped_count"), 123);
	assert_int_equal(int_of(metadata, "first_seq"), 123);
	assert_true(json_is_false(json_object_get(metadata, "complete")));
	json_array_foreach(records(root), index, record) {
		const char *scope = string_of(record, "s");

		if (phase_is(record, "i") && scope != NULL && !strcmp(scope, "g"))
			marker = record;
	}
	assert_non_null(marker);
	assert_int_equal(int_of(marker, "ts"), 50);
	assert_non_null(strstr(string_of(marker, "name"), "dropped 123 earlier events"));
	json_decref(root);
}

static void test_trace_export_perfetto_empty_trace(void **state)
{
	struct sim_trace_view view = { 0 };
	json_t *root, *metadata;

	(void)state;
	root = export_json(&view);
	metadata = json_object_get(root, "metadata");
	assert_int_equal(int_of(metadata, "event_count"), 0);
	assert_null(json_object_get(metadata, "first_seq"));
	assert_string_equal(thread_name_of(root, 2, ENGINE_TID), "engine");
	assert_int_equal(count_phase(root, "X") + count_phase(root, "i"), 0);
	json_decref(root);
}

/* ---- Text form ---- */

static const char *log_text(const void *ctx, const struct sim_trace_event *event)
{
	assert_ptr_equal(ctx, fixture_threads);
	return event->a == 0 ? "said \"hi\"\n" : NULL;
}

static void test_trace_export_text_exact_lines(void **state)
{
	static const char expected[] =
		"# apfsim trace, text form 1\n"
		"# seed 42, vcpus 2, threads 8, events 9, dropped 0\n"
		"#      seq       tick       step thread                  vcpu kind              "
		"label                    args\n"
		"         0          0        100 engine                     - switch            "
		"-                        from=none to=0\n"
		"         1          1        101 vcpu0/idle                 0 point             "
		"idle                     point=yield\n"
		"         2          2        102 worker0                    - token-not-present "
		"-                        token=0x1002 gfn=0x40\n"
		"         3          3        103 task7                      1 log               "
		"info                     text=\"said \\\"hi\\\"\\n\" length=10\n"
		"         4          4        104 thread5                    - "
		"block             -\n"
		"         5          4        105 vmm                        - user              "
		"a label longer than the column a=0x1 b=0x0\n"
		"         6          5        106 w\\to\xc3\xa9                      - "
		"log               "
		"warn\\x01\xe2\x9c\x93                index=1 length=0\n"
		"         7    1000000        107 a-thread-name-that-is-too-long    - "
		"finding           "
		"bug                      finding=0\n"
		"         8    1000000        108 worker0                    - block             "
		"bad\\xff                  b=0x3\n";
	static const struct sim_trace_thread_info threads[] = {
		{ "vcpu0/idle", SIM_THREAD_IDLE, 0 },
		{ "vcpu1/idle", SIM_THREAD_IDLE, 1 },
		{ "task7", SIM_THREAD_TASK, 1 },
		{ "worker0", SIM_THREAD_HOST, -1 },
		{ "vmm", SIM_THREAD_HOST, -1 },
		{ NULL, SIM_THREAD_HOST, -1 },
		{ "w\to\xc3\xa9", SIM_THREAD_HOST, -1 },
		{ "a-thread-name-that-is-too-long", SIM_THREAD_HOST, -1 },
	};
	struct builder b;
	char *text;

	(void)state;
	builder_init(&b, 0);
	b.view.threads = threads;
	b.view.thread_count = 8;
	b.view.text = log_text;
	b.view.ctx = fixture_threads;
	add(&b, 0, SIM_TRACE_SWITCH, NONE, -1, NULL, NONE, 0);
	add(&b, 1, SIM_TRACE_POINT, 0, 0, "idle", SIM_POINT_YIELD, 0);
	add(&b, 2, SIM_TRACE_TOKEN_NOT_PRESENT, 3, -1, NULL, 0x1002, 0x40);
	add(&b, 3, SIM_TRACE_LOG, 2, 1, "info", 0, 10);
	add(&b, 4, SIM_TRACE_BLOCK, 5, -1, NULL, 0, 0); /* no fields: no padding */
	add(&b, 4, SIM_TRACE_USER, 4, -1, "a label longer than the column", 1, 0);
	/* Escapes and 2- and 3-byte characters are padded by characters. */
	add(&b, 5, SIM_TRACE_LOG, 6, -1, "warn\x01\xe2\x9c\x93", 1, 0);
	add(&b, 1000000, SIM_TRACE_FINDING, 7, -1, "bug", 0, 0);
	/* Not UTF-8; a kind's first field hidden, its second shown. */
	add(&b, 1000000, SIM_TRACE_BLOCK, 3, -1, "bad\xff", 0, 3);
	text = export_text(&b.view);
	assert_string_equal(text, expected);
	free(text);
}

static void test_trace_export_text_dropped_header(void **state)
{
	struct builder b;
	char *text;

	(void)state;
	builder_init(&b, 7);
	add(&b, 9, SIM_TRACE_POINT, 3, -1, NULL, 0, 0);
	text = export_text(&b.view);
	assert_non_null(strstr(text, "# seed 42, vcpus 2, threads 6, events 1, dropped 7\n"
				     "# the ring dropped the first 7 events"));
	assert_non_null(strstr(text, "\n         7          9        107 worker0 "));
	free(text);
}

/* ---- Errors ---- */

/* Each breaks one rule of sim_trace_view_check() in a valid two-event view. */
static void bad_kind(struct builder *b)
{
	b->events[1].kind = SIM_TRACE_KIND_COUNT;
}

static void bad_thread(struct builder *b)
{
	b->events[1].thread_id = FIXTURE_THREAD_COUNT;
}

static void bad_vcpu_low(struct builder *b)
{
	b->events[1].vcpu = -2;
}

static void bad_vcpu_high(struct builder *b)
{
	b->events[1].vcpu = SIM_VCPU_COUNT_MAX;
}

static void bad_switch_from(struct builder *b)
{
	b->events[0].a = FIXTURE_THREAD_COUNT;
}

static void bad_switch_to(struct builder *b)
{
	b->events[0].b = FIXTURE_THREAD_COUNT;
}

static void bad_seq_repeat(struct builder *b)
{
	b->events[1].seq = b->events[0].seq;
}

static void bad_seq_max(struct builder *b)
{
	b->events[1].seq = UINT64_MAX;
}

static void bad_tick_back(struct builder *b)
{
	b->events[1].tick = b->events[0].tick - 1;
}

static void bad_events_null(struct builder *b)
{
	b->view.events = NULL;
}

static void bad_event_count(struct builder *b)
{
	b->view.event_count = SIM_TRACE_EXPORT_EVENT_COUNT_MAX + 1;
}

static void bad_threads_null(struct builder *b)
{
	b->view.threads = NULL;
}

static void bad_thread_count(struct builder *b)
{
	b->view.thread_count = SIM_THREAD_COUNT_MAX + 1;
}

static void bad_vcpu_count(struct builder *b)
{
	b->view.vcpu_count = SIM_VCPU_COUNT_MAX + 1;
}

static const struct sim_trace_thread_info bad_kind_threads[] = { { "x", 7, 0 } };
static const struct sim_trace_thread_info bad_task_vcpu_threads[] = {
	{ "x", SIM_THREAD_TASK, -1 },
};
static const struct sim_trace_thread_info bad_idle_vcpu_threads[] = {
	{ "x", SIM_THREAD_IDLE, 2 }, /* the view has 2 vCPUs */
};

static void bad_thread_kind(struct builder *b)
{
	b->view.threads = bad_kind_threads;
	b->view.thread_count = 1;
	b->events[0].b = 0;
	b->events[1].thread_id = 0;
}

static void bad_thread_vcpu_low(struct builder *b)
{
	bad_thread_kind(b);
	b->view.threads = bad_task_vcpu_threads;
}

static void bad_thread_vcpu_high(struct builder *b)
{
	bad_thread_kind(b);
	b->view.threads = bad_idle_vcpu_threads;
}

static void test_trace_export_rejects_bad_view(void **state)
{
	static void (*const mutations[])(struct builder *b) = {
		bad_kind, bad_thread, bad_vcpu_low, bad_vcpu_high, bad_switch_from,
		bad_switch_to, bad_seq_repeat, bad_seq_max, bad_tick_back, bad_events_null,
		bad_event_count, bad_threads_null, bad_thread_count, bad_vcpu_count,
		bad_thread_kind, bad_thread_vcpu_low, bad_thread_vcpu_high,
	};

	(void)state;
	for (size_t index = 0; index < sizeof(mutations) / sizeof(mutations[0]); index++) {
		struct builder b;
		struct capture c;

		builder_init(&b, 0);
		add(&b, 5, SIM_TRACE_SWITCH, 0, 0, NULL, 0, 3);
		add(&b, 6, SIM_TRACE_POINT, 3, -1, NULL, 0, 0);
		assert_int_equal(sim_trace_view_check(&b.view), 0);
		mutations[index](&b);
		assert_int_equal(sim_trace_view_check(&b.view), -EINVAL);
		capture_open(&c);
		assert_int_equal(sim_trace_view_export_text(&b.view, c.file), -EINVAL);
		assert_int_equal(sim_trace_view_export_perfetto(&b.view, c.file), -EINVAL);
		capture_close(&c);
		assert_int_equal(c.size, 0); /* nothing written */
		free(c.data);
	}
}

static void test_trace_export_accepts_valid_thread_table(void **state)
{
	static const struct sim_trace_thread_info threads[] = {
		{ "x", SIM_THREAD_TASK, 1 },
	};
	struct builder b;

	(void)state;
	/* The control for the thread-table mutations above: the same view
	 * with a valid table passes. */
	builder_init(&b, 0);
	add(&b, 5, SIM_TRACE_SWITCH, 0, 0, NULL, 0, 3);
	add(&b, 6, SIM_TRACE_POINT, 3, -1, NULL, 0, 0);
	bad_thread_kind(&b);
	b.view.threads = threads;
	assert_int_equal(sim_trace_view_check(&b.view), 0);
}

static void fill_many(struct builder *b)
{
	builder_init(b, 0);
	for (uint32_t index = 0; index < EVENT_COUNT_MAX; index++)
		add(b, index, SIM_TRACE_USER, 3, -1, "a label that makes the output long", index,
		    index);
}

static void test_trace_export_write_error_returns_eio(void **state)
{
	struct builder small, many;
	FILE *full;

	(void)state;
	builder_init(&small, 0);
	add(&small, 1, SIM_TRACE_POINT, 3, -1, NULL, 0, 0);
	fill_many(&many);
	/* Small: the error shows at the final flush. Many: while writing. */
	const struct sim_trace_view *views[] = { &small.view, &many.view };

	for (size_t index = 0; index < 2; index++) {
		full = fopen("/dev/full", "w");
		assert_non_null(full);
		assert_int_equal(sim_trace_view_export_text(views[index], full), -EIO);
		fclose(full);
		full = fopen("/dev/full", "w");
		assert_non_null(full);
		assert_int_equal(sim_trace_view_export_perfetto(views[index], full), -EIO);
		fclose(full);
	}
}

static void test_trace_export_unwritable_stream_returns_eio(void **state)
{
	struct sim_trace_view empty = { 0 };
	struct builder small;
	FILE *input;

	(void)state;
	builder_init(&small, 0);
	add(&small, 1, SIM_TRACE_POINT, 3, -1, NULL, 0, 0);
	/* A read-only stream: every write fails at once, the flush succeeds. */
	input = fopen("/dev/null", "r");
	assert_non_null(input);
	assert_int_equal(sim_trace_view_export_text(&empty, input), -EIO);
	clearerr(input);
	assert_int_equal(sim_trace_view_export_perfetto(&empty, input), -EIO);
	clearerr(input);
	assert_int_equal(sim_trace_view_export_text(&small.view, input), -EIO);
	clearerr(input);
	assert_int_equal(sim_trace_view_export_perfetto(&small.view, input), -EIO);
	fclose(input);
}

/* ---- Exports of a real execution ---- */

/* A strategy that hands over at every point: the first eligible thread other
 * than the current one. Threads and points decide the rest. */
static int alternate_begin(struct sim_strategy *strategy, uint64_t seed)
{
	(void)strategy;
	(void)seed;
	return 0;
}

static uint32_t alternate_pick_thread(struct sim_strategy *strategy, const struct sim_pick *pick)
{
	(void)strategy;
	for (uint32_t index = 0; index < pick->eligible_count; index++) {
		if (pick->eligible[index] != pick->current_id)
			return index;
	}
	return 0;
}

static uint32_t alternate_pick_option(struct sim_strategy *strategy, enum sim_decision_kind kind,
				      uint32_t option_count, uint64_t step)
{
	(void)strategy;
	(void)kind;
	(void)option_count;
	(void)step;
	return 0;
}

static bool alternate_end(struct sim_strategy *strategy, const struct sim_schedule *recorded,
			  uint64_t step_count, uint32_t thread_count)
{
	(void)strategy;
	(void)recorded;
	(void)step_count;
	(void)thread_count;
	return false;
}

static const struct sim_strategy_ops alternate_ops = {
	.name = "test-alternate",
	.summary = "switch at every point",
	.execution_begin = alternate_begin,
	.pick_thread = alternate_pick_thread,
	.pick_option = alternate_pick_option,
	.execution_end = alternate_end,
};

struct page_program {
	bool faulted;
	uint32_t bulk_count;  /* events the bulk thread emits before exporting */
	char *text;           /* its export from inside the execution */
	size_t text_size;
	int text_result;
};

static void faulter_main(void *arg)
{
	struct page_program *program = arg;
	struct sim *sim = sim_self();

	sim_point(SIM_POINT_YIELD, "before");
	sim_trace(sim, SIM_TRACE_TOKEN_NOT_PRESENT, NULL, 0x1000, 0x40);
	sim_trace_log(sim, "info", "fault on gfn %#x", 0x40);
	program->faulted = true;
	sim_point(SIM_POINT_YIELD, "after");
}

static void readier_main(void *arg)
{
	struct page_program *program = arg;

	for (uint32_t round = 0; round < 100 && !program->faulted; round++)
		sim_point(SIM_POINT_YIELD, "wait");
	assert_true(program->faulted);
	sim_trace(sim_self(), SIM_TRACE_TOKEN_READY, NULL, 0x1000, 0x40);
}

/* Emits many events, then exports while the execution still runs. */
static void bulk_main(void *arg)
{
	struct page_program *program = arg;
	FILE *file;

	for (uint32_t index = 0; index < program->bulk_count; index++)
		sim_trace(sim_self(), SIM_TRACE_USER, "bulk", index, 0);
	file = open_memstream(&program->text, &program->text_size);
	assert_non_null(file);
	program->text_result = sim_trace_export_text(sim_self(), file);
	fclose(file);
}

static struct sim *page_program_run(struct page_program *program, uint32_t trace_ring_size,
				    struct sim_strategy *strategy)
{
	struct sim_config config = {
		.seed = 7, .mode = SIM_MODE_DETERMINISTIC, .vcpu_count = 1, .pin_cpu = -1,
		.trace_ring_size = trace_ring_size,
	};
	struct sim_thread_attr faulter = { .kind = SIM_THREAD_HOST, .name = "faulter" };
	struct sim_thread_attr readier = { .kind = SIM_THREAD_HOST, .name = "readier" };
	struct sim_thread_attr bulk = { .kind = SIM_THREAD_HOST, .name = "bulk" };
	struct sim *sim;

	strategy->ops = &alternate_ops;
	assert_int_equal(sim_create(&sim, &config, strategy), 0);
	assert_int_equal(sim_spawn(sim, &faulter, faulter_main, program), 1);
	assert_int_equal(sim_spawn(sim, &readier, readier_main, program), 2);
	if (program->bulk_count > 0)
		assert_int_equal(sim_spawn(sim, &bulk, bulk_main, program), 3);
	assert_int_equal(sim_run(sim), 0);
	assert_int_equal(sim_result(sim)->finding_count, 0);
	return sim;
}

static json_t *export_sim_json(struct sim *sim)
{
	struct capture c;
	json_t *root;

	capture_open(&c);
	assert_int_equal(sim_trace_export_perfetto(sim, c.file), 0);
	capture_close(&c);
	root = parse_json(c.data);
	free(c.data);
	return root;
}

static size_t count_lines(const char *text)
{
	size_t count = 0;

	for (const char *at = strchr(text, '\n'); at != NULL; at = strchr(at + 1, '\n'))
		count++;
	return count;
}

static void test_trace_export_engine_execution(void **state)
{
	struct page_program program = { 0 };
	struct sim_strategy strategy;
	const struct sim_result *result;
	struct sim *sim;
	json_t *root, *record, *start = NULL, *end = NULL, *log = NULL;
	struct capture c;
	size_t index, runs[3] = { 0 };
	FILE *full;

	(void)state;
	sim = page_program_run(&program, 0, &strategy);
	result = sim_result(sim);
	root = export_sim_json(sim);
	assert_string_equal(thread_name_of(root, 1, 0), "vcpu0/idle");
	assert_string_equal(thread_name_of(root, 2, 1), "faulter");
	assert_string_equal(thread_name_of(root, 2, 2), "readier");
	assert_string_equal(string_of(json_object_get(root, "metadata"), "seed"), "7");
	assert_int_equal(int_of(json_object_get(root, "metadata"), "event_count"),
			 result->event_count);
	assert_int_equal(int_of(json_object_get(root, "metadata"), "dropped_count"), 0);
	json_array_foreach(records(root), index, record) {
		const char *name = string_of(record, "name");

		if (phase_is(record, "X") && !strcmp(name, "running"))
			runs[int_of(record, "tid") % 3]++;
		if (phase_is(record, "s"))
			start = record;
		if (phase_is(record, "f"))
			end = record;
		if (phase_is(record, "i") && !strcmp(name, "log: info"))
			log = record;
	}
	/* Both workers ran several times (the strategy switches at every point). */
	assert_true(runs[1] >= 2);
	assert_true(runs[2] >= 2);
	assert_non_null(start);
	assert_non_null(end);
	assert_int_equal(int_of(start, "id"), int_of(end, "id"));
	assert_int_equal(int_of(start, "tid"), 1);
	assert_int_equal(int_of(end, "tid"), 2);
	assert_non_null(log);
	assert_string_equal(string_of(args_of(log), "text"), "fault on gfn 0x40");
	json_decref(root);

	capture_open(&c);
	assert_int_equal(sim_trace_export_text(sim, c.file), 0);
	capture_close(&c);
	assert_int_equal(count_lines(c.data), 3 + result->event_count);
	assert_non_null(strstr(c.data, "# seed 7, vcpus 1, threads 3, events "));
	assert_non_null(strstr(c.data, " faulter                    - log               "
				       "info                     "
				       "text=\"fault on gfn 0x40\" length=17\n"));
	free(c.data);

	full = fopen("/dev/full", "w");
	assert_non_null(full);
	assert_int_equal(sim_trace_export_text(sim, full), -EIO);
	fclose(full);
	full = fopen("/dev/full", "w");
	assert_non_null(full);
	assert_int_equal(sim_trace_export_perfetto(sim, full), -EIO);
	fclose(full);
	sim_destroy(sim);
}

static void test_trace_export_engine_small_ring_reports_dropped(void **state)
{
	struct page_program program = { 0 };
	struct sim_strategy strategy;
	struct sim *sim;
	json_t *root, *metadata;

	(void)state;
	sim = page_program_run(&program, 4, &strategy);
	root = export_sim_json(sim);
	metadata = json_object_get(root, "metadata");
	assert_true(sim_result(sim)->event_count > 4);
	assert_int_equal(int_of(metadata, "event_count"), 4);
	assert_int_equal(int_of(metadata, "dropped_count"), sim_result(sim)->event_count - 4);
	assert_int_equal(int_of(metadata, "first_seq"), sim_result(sim)->event_count - 4);
	assert_true(json_is_false(json_object_get(metadata, "complete")));
	json_decref(root);
	sim_destroy(sim);
}

static void test_trace_export_engine_during_execution(void **state)
{
	struct page_program program = { .bulk_count = 1500 };
	struct sim_strategy strategy;
	struct capture c;
	struct sim *sim;
	char line[64];

	(void)state;
	/* Mid-run the result has no event count yet, so the copy of the ring
	 * has to grow past its first guess (1024 events). */
	sim = page_program_run(&program, 0, &strategy);
	assert_int_equal(program.text_result, 0);
	assert_non_null(program.text);
	assert_true(count_lines(program.text) > 3 + 1500);
	snprintf(line, sizeof(line), " bulk                       - user              bulk");
	assert_non_null(strstr(program.text, line));
	/* The 1500th event (index 1499). */
	assert_non_null(strstr(program.text, "bulk                     a=0x5db b=0x0\n"));
	free(program.text);
	/* After the run the result's count is the guess: one copy suffices. */
	capture_open(&c);
	assert_int_equal(sim_trace_export_text(sim, c.file), 0);
	capture_close(&c);
	assert_int_equal(count_lines(c.data), 3 + sim_result(sim)->event_count);
	free(c.data);
	sim_destroy(sim);
}

static void test_trace_export_engine_out_of_memory(void **state)
{
	struct page_program program = { 0 };
	struct sim_strategy strategy;
	struct capture c;
	struct sim *sim;

	(void)state;
	sim = page_program_run(&program, 0, &strategy);
	capture_open(&c);
	/* The copy of the thread table fails, then the copy of the ring. */
	for (int skip = 0; skip < 2; skip++) {
		calloc_fail_skip = skip;
		assert_int_equal(sim_trace_export_text(sim, c.file), -ENOMEM);
		assert_int_equal(calloc_fail_skip, -1);
		calloc_fail_skip = skip;
		assert_int_equal(sim_trace_export_perfetto(sim, c.file), -ENOMEM);
		assert_int_equal(calloc_fail_skip, -1);
	}
	capture_close(&c);
	assert_int_equal(c.size, 0);
	free(c.data);
	sim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_export_perfetto_parses_with_metadata),
		cmocka_unit_test(test_trace_export_perfetto_one_thread_name_per_thread),
		cmocka_unit_test(test_trace_export_perfetto_empty_thread_name_gets_id),
		cmocka_unit_test(test_trace_export_perfetto_switch_slices),
		cmocka_unit_test(test_trace_export_perfetto_switch_slices_irregular),
		cmocka_unit_test(test_trace_export_perfetto_slice_args_name_switch),
		cmocka_unit_test(test_trace_export_perfetto_flow_pairs_tokens),
		cmocka_unit_test(test_trace_export_perfetto_escapes_round_trip),
		cmocka_unit_test(test_trace_export_strings_cut_at_limit),
		cmocka_unit_test(test_trace_export_perfetto_args_decoded_engine_kinds),
		cmocka_unit_test(test_trace_export_perfetto_args_decoded_other_kinds),
		cmocka_unit_test(test_trace_export_perfetto_reports_dropped),
		cmocka_unit_test(test_trace_export_perfetto_empty_trace),
		cmocka_unit_test(test_trace_export_text_exact_lines),
		cmocka_unit_test(test_trace_export_text_dropped_header),
		cmocka_unit_test(test_trace_export_rejects_bad_view),
		cmocka_unit_test(test_trace_export_write_error_returns_eio),
		cmocka_unit_test(test_trace_export_unwritable_stream_returns_eio),
		cmocka_unit_test(test_trace_export_accepts_valid_thread_table),
		cmocka_unit_test(test_trace_export_engine_execution),
		cmocka_unit_test(test_trace_export_engine_small_ring_reports_dropped),
		cmocka_unit_test(test_trace_export_engine_during_execution),
		cmocka_unit_test(test_trace_export_engine_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

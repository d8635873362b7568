// SPDX-License-Identifier: MIT
/*
 * Trace exports: a plain text form and Chrome trace event JSON, which opens
 * in ui.perfetto.dev. The core works on a struct sim_trace_view, so it needs
 * no engine; sim_trace_export_text() and sim_trace_export_perfetto() at the
 * end fill a view from an execution. The formats are in docs/trace.md.
 *
 * Write errors are not checked call by call: a stdio stream keeps a sticky
 * error flag, which is tested after every event (to stop early on a full disk)
 * and once more after the final flush.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/limits.h"
#include "sim/schedule.h"
#include "sim/sim.h"
#include "sim/trace.h"
#include "sim/trace_export.h"

/* How the a and b fields of an event are shown. */
enum field_format {
	FIELD_NONE = 0, /* not defined for the kind: shown raw (hex) when nonzero */
	FIELD_FLAG,     /* decimal, shown only when nonzero */
	FIELD_DEC,
	FIELD_HEX,
	FIELD_THREAD,   /* a thread id, SIM_THREAD_NONE shown as "none" */
	FIELD_THREAD_KIND, /* enum sim_thread_kind */
	FIELD_POINT,    /* enum sim_point_kind */
	FIELD_DECISION, /* enum sim_decision_kind */
	FIELD_TEXT,     /* index of a log text: shown as the text itself */
};

struct field {
	const char *name; /* NULL: "a" or "b" */
	enum field_format format;
};

struct kind_format {
	const char *name;
	struct field a;
	struct field b;
};

#define FIELD_UNUSED { NULL, FIELD_NONE }

/*
 * The a/b meanings of trace.h, plus those the engine gives fields trace.h
 * leaves open (spawn kind, exit thread, block halt, timer deadline, log
 * length, finding index). Layer-defined fields are shown as "arg", in hex.
 */
static const struct kind_format kind_formats[] = {
	[SIM_TRACE_SWITCH] = { "switch", { "from", FIELD_THREAD }, { "to", FIELD_THREAD } },
	[SIM_TRACE_POINT] = { "point", { "point", FIELD_POINT }, FIELD_UNUSED },
	[SIM_TRACE_SPAWN] = { "spawn", { "thread", FIELD_THREAD },
			      { "kind", FIELD_THREAD_KIND } },
	[SIM_TRACE_EXIT] = { "exit", { "thread", FIELD_THREAD }, FIELD_UNUSED },
	[SIM_TRACE_BLOCK] = { "block", { "halt", FIELD_FLAG }, FIELD_UNUSED },
	[SIM_TRACE_WAKE] = { "wake", { "thread", FIELD_THREAD }, FIELD_UNUSED },
	[SIM_TRACE_TIMER] = { "timer", { "timer", FIELD_DEC }, { "deadline", FIELD_DEC } },
	[SIM_TRACE_DECISION] = { "decision", { "decision", FIELD_DECISION },
				 { "value", FIELD_DEC } },
	[SIM_TRACE_VCPU] = { "vcpu", { "target_vcpu", FIELD_DEC }, { "online", FIELD_DEC } },
	[SIM_TRACE_IRQ] = { "irq", { "intid", FIELD_DEC }, { "arg", FIELD_HEX } },
	[SIM_TRACE_SDEI] = { "sdei", { "event", FIELD_HEX }, { "arg", FIELD_HEX } },
	[SIM_TRACE_SMCCC] = { "smccc", { "function", FIELD_HEX }, { "x1", FIELD_HEX } },
	[SIM_TRACE_TOKEN_NOT_PRESENT] = { "token-not-present", { "token", FIELD_HEX },
					  { "gfn", FIELD_HEX } },
	[SIM_TRACE_TOKEN_READY] = { "token-ready", { "token", FIELD_HEX }, { "gfn", FIELD_HEX } },
	[SIM_TRACE_TOKEN] = { "token", { "token", FIELD_HEX }, { "arg", FIELD_HEX } },
	[SIM_TRACE_LOG] = { "log", { "text", FIELD_TEXT }, { "length", FIELD_DEC } },
	[SIM_TRACE_FINDING] = { "finding", { "finding", FIELD_DEC }, FIELD_UNUSED },
	[SIM_TRACE_USER] = { "user", { "a", FIELD_HEX }, { "b", FIELD_HEX } },
};

SIM_STATIC_ASSERT(sizeof(kind_formats) / sizeof(kind_formats[0]) == SIM_TRACE_KIND_COUNT,
		  "every trace kind needs a format");

static const char *const point_names[] = {
	[SIM_POINT_YIELD] = "yield",
	[SIM_POINT_LOCK_ACQUIRE] = "lock-acquire",
	[SIM_POINT_LOCK_RELEASE] = "lock-release",
	[SIM_POINT_READ] = "read",
	[SIM_POINT_WRITE] = "write",
	[SIM_POINT_ATOMIC] = "atomic",
	[SIM_POINT_BARRIER] = "barrier",
	[SIM_POINT_SMCCC] = "smccc",
	[SIM_POINT_SLEEP] = "sleep",
	[SIM_POINT_WAKE] = "wake",
	[SIM_POINT_IRQ_UNMASK] = "irq-unmask",
};

SIM_STATIC_ASSERT(sizeof(point_names) / sizeof(point_names[0]) == SIM_POINT_KIND_COUNT,
		  "every point kind needs a name");

static const char *const thread_kind_names[] = {
	[SIM_THREAD_IDLE] = "idle",
	[SIM_THREAD_TASK] = "task",
	[SIM_THREAD_HOST] = "host",
};

SIM_STATIC_ASSERT(sizeof(thread_kind_names) / sizeof(thread_kind_names[0]) ==
			  SIM_THREAD_HOST + 1,
		  "every thread kind needs a name");

static const char *const decision_names[] = {
	[SIM_DECISION_THREAD] = "thread",
	[SIM_DECISION_IRQ] = "irq",
	[SIM_DECISION_CHOICE] = "choice",
};

SIM_STATIC_ASSERT(sizeof(decision_names) / sizeof(decision_names[0]) ==
			  SIM_DECISION_CHOICE + 1,
		  "every decision kind needs a name");

/* Perfetto processes: guest vCPUs and tasks, host threads and the engine. */
#define PID_GUEST 1
#define PID_HOST 2
/* The guest process's own metadata needs a tid no thread of another process
 * uses: Perfetto ties a tid to the last pid it was seen with. */
#define TID_GUEST_PROCESS (SIM_TRACE_ENGINE_TID + 1u)

/* Text form: column widths (a wider value pushes the rest of its line). */
#define TEXT_THREAD_COLUMNS 23u
#define TEXT_KIND_COLUMNS 17u
#define TEXT_LABEL_COLUMNS 24u

/* Marks a string cut at SIM_TRACE_EXPORT_STRING_BYTES_MAX. */
#define STRING_CUT_MARK "[...]"

enum style {
	STYLE_TEXT = 0,
	STYLE_JSON = 1,
};

struct exporter {
	const struct sim_trace_view *view;
	FILE *out;
	uint64_t first_tick; /* of the first event in the view, 0 if none */
	uint64_t last_tick;
	uint64_t record_count; /* JSON records written, for the separators */
};

static const struct kind_format *kind_format_get(uint16_t kind)
{
	const struct kind_format *format;

	SIM_ASSERT(kind < SIM_TRACE_KIND_COUNT);
	format = &kind_formats[kind];
	SIM_ASSERT(format->name != NULL);
	return format;
}

/* ---- Validation ---- */

static bool thread_ref_valid(const struct sim_trace_view *view, uint64_t thread_id)
{
	return thread_id == SIM_THREAD_NONE || thread_id < view->thread_count;
}

static int check_threads(const struct sim_trace_view *view)
{
	SIM_ASSERT(view->thread_count <= SIM_THREAD_COUNT_MAX);
	for (uint32_t id = 0; id < view->thread_count; id++) {
		const struct sim_trace_thread_info *thread = &view->threads[id];

		if (thread->kind == SIM_THREAD_HOST)
			continue;
		if (thread->kind != SIM_THREAD_IDLE && thread->kind != SIM_THREAD_TASK)
			return -EINVAL;
		if (thread->vcpu < 0)
			return -EINVAL;
		if ((uint32_t)thread->vcpu >= view->vcpu_count)
			return -EINVAL;
	}
	return 0;
}

static int check_event(const struct sim_trace_view *view, const struct sim_trace_event *event)
{
	if (event->kind >= SIM_TRACE_KIND_COUNT)
		return -EINVAL;
	/* Flow ids are seq + 1, which must not wrap to 0. */
	if (event->seq == UINT64_MAX)
		return -EINVAL;
	if (!thread_ref_valid(view, event->thread_id))
		return -EINVAL;
	if (event->vcpu < -1)
		return -EINVAL;
	if (event->vcpu >= (int)SIM_VCPU_COUNT_MAX)
		return -EINVAL;
	if (event->kind != SIM_TRACE_SWITCH)
		return 0;
	if (!thread_ref_valid(view, event->a))
		return -EINVAL;
	if (!thread_ref_valid(view, event->b))
		return -EINVAL;
	return 0;
}

static int check_events(const struct sim_trace_view *view)
{
	const struct sim_trace_event *events = view->events;
	int err;

	SIM_ASSERT(view->event_count <= SIM_TRACE_EXPORT_EVENT_COUNT_MAX);
	for (uint64_t index = 0; index < view->event_count; index++) {
		err = check_event(view, &events[index]);
		if (err)
			return err;
		if (index == 0)
			continue;
		/* Slices are built from the order of events: time must not
		 * run backwards, and seq names every event once. */
		if (events[index].seq <= events[index - 1].seq)
			return -EINVAL;
		if (events[index].tick < events[index - 1].tick)
			return -EINVAL;
	}
	return 0;
}

int sim_trace_view_check(const struct sim_trace_view *view)
{
	int err;

	SIM_ASSERT(view != NULL);
	if (view->event_count > SIM_TRACE_EXPORT_EVENT_COUNT_MAX)
		return -EINVAL;
	if (view->event_count > 0 && view->events == NULL)
		return -EINVAL;
	if (view->thread_count > SIM_THREAD_COUNT_MAX)
		return -EINVAL;
	if (view->thread_count > 0 && view->threads == NULL)
		return -EINVAL;
	if (view->vcpu_count > SIM_VCPU_COUNT_MAX)
		return -EINVAL;
	err = check_threads(view);
	if (err)
		return err;
	return check_events(view);
}

/* ---- Strings ---- */

/*
 * Length of the well-formed UTF-8 sequence at @s, or 0 if the bytes there are
 * not one (stray continuation byte, overlong form, surrogate, beyond U+10FFFF,
 * cut short). A NUL is never a continuation byte, so this never reads past the
 * end of the string.
 */
static uint32_t utf8_sequence_length(const unsigned char *s)
{
	uint32_t length;
	unsigned char second_min = 0x80, second_max = 0xbf;

	SIM_ASSERT(s != NULL);
	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] < 0xe0) {
		length = 2;
	} else if (s[0] < 0xf0) {
		length = 3;
		if (s[0] == 0xe0)
			second_min = 0xa0; /* overlong */
		if (s[0] == 0xed)
			second_max = 0x9f; /* UTF-16 surrogates */
	} else {
		length = 4;
		if (s[0] == 0xf0)
			second_min = 0x90; /* overlong */
		if (s[0] == 0xf4)
			second_max = 0x8f; /* beyond U+10FFFF */
	}
	if (s[1] < second_min || s[1] > second_max)
		return 0;
	for (uint32_t index = 2; index < length; index++) {
		if (s[index] < 0x80 || s[index] > 0xbf)
			return 0;
	}
	SIM_ASSERT(length >= 2 && length <= 4);
	return length;
}

/* Writes one ASCII byte escaped for @style. Return: columns written. */
static uint32_t put_ascii(FILE *out, unsigned char c, enum style style)
{
	const char *escape = NULL;

	SIM_ASSERT(c < 0x80);
	switch (c) {
	case '"':
		escape = "\\\"";
		break;
	case '\\':
		escape = "\\\\";
		break;
	case '\n':
		escape = "\\n";
		break;
	case '\r':
		escape = "\\r";
		break;
	case '\t':
		escape = "\\t";
		break;
	default:
		break;
	}
	if (escape != NULL) {
		fputs(escape, out);
		return 2;
	}
	if (c >= 0x20 && c != 0x7f) {
		putc(c, out);
		return 1;
	}
	/* Other control characters, DEL included: Perfetto's JSON reader
	 * refuses any raw control character inside a string. */
	if (style == STYLE_JSON)
		return (uint32_t)fprintf(out, "\\u%04x", c);
	return (uint32_t)fprintf(out, "\\x%02x", c);
}

/*
 * Writes @s escaped for @style (without quotes): JSON escapes, or C-like
 * escapes for the text form so an event stays on one line. Bytes that are not
 * UTF-8 become U+FFFD (JSON) or \xNN (text), so the output is always valid
 * UTF-8. At most SIM_TRACE_EXPORT_STRING_BYTES_MAX bytes of @s are read.
 *
 * Return: columns written, a multi-byte character counting as one.
 */
static uint32_t put_escaped(FILE *out, const char *s, enum style style)
{
	const unsigned char *bytes = (const unsigned char *)s;
	uint32_t index = 0, columns = 0;

	SIM_ASSERT(out != NULL);
	SIM_ASSERT(s != NULL);
	while (index < SIM_TRACE_EXPORT_STRING_BYTES_MAX && bytes[index] != 0) {
		uint32_t length = utf8_sequence_length(&bytes[index]);

		if (length == 0) {
			if (style == STYLE_JSON)
				columns += (uint32_t)fprintf(out, "\\ufffd");
			else
				columns += (uint32_t)fprintf(out, "\\x%02x", bytes[index]);
			index++;
		} else if (length == 1) {
			columns += put_ascii(out, bytes[index], style);
			index++;
		} else {
			if (index + length > SIM_TRACE_EXPORT_STRING_BYTES_MAX)
				break;
			fwrite(&bytes[index], 1, length, out);
			columns++;
			index += length;
		}
	}
	if (bytes[index] != 0) {
		fputs(STRING_CUT_MARK, out);
		columns += (uint32_t)strlen(STRING_CUT_MARK);
	}
	return columns;
}

/*
 * Writes the display name of a thread: "vcpu<N>/idle" for an idle thread,
 * the name (with " (vcpu<N>)" for a task when @with_vcpu) otherwise, and
 * "engine" for SIM_THREAD_NONE. Return: columns written.
 */
static uint32_t put_thread_name(struct exporter *x, uint32_t thread_id, enum style style,
				bool with_vcpu)
{
	const struct sim_trace_thread_info *thread;
	uint32_t columns;

	SIM_ASSERT(thread_ref_valid(x->view, thread_id));
	if (thread_id == SIM_THREAD_NONE)
		return (uint32_t)fprintf(x->out, "engine");
	thread = &x->view->threads[thread_id];
	if (thread->kind == SIM_THREAD_IDLE)
		return (uint32_t)fprintf(x->out, "vcpu%d/idle", thread->vcpu);
	/* An empty name would leave the track unnamed (Perfetto drops it). */
	if (thread->name != NULL && thread->name[0] != '\0')
		columns = put_escaped(x->out, thread->name, style);
	else
		columns = (uint32_t)fprintf(x->out, "thread%" PRIu32, thread_id);
	if (with_vcpu && thread->kind == SIM_THREAD_TASK)
		columns += (uint32_t)fprintf(x->out, " (vcpu%d)", thread->vcpu);
	return columns;
}

/* ---- Fields ---- */

static bool field_shown(const struct field *field, uint64_t value)
{
	if (field->format == FIELD_NONE || field->format == FIELD_FLAG)
		return value != 0;
	return true;
}

/* The name of an enumerated value, or NULL when it is out of range. */
static const char *field_enum_name(enum field_format format, uint64_t value)
{
	switch (format) {
	case FIELD_POINT:
		return value < SIM_POINT_KIND_COUNT ? point_names[value] : NULL;
	case FIELD_DECISION:
		return value <= SIM_DECISION_CHOICE ? decision_names[value] : NULL;
	default:
		break;
	}
	SIM_ASSERT(format == FIELD_THREAD_KIND);
	return value <= SIM_THREAD_HOST ? thread_kind_names[value] : NULL;
}

static void put_key(struct exporter *x, const char *name, enum style style)
{
	if (style == STYLE_JSON)
		fprintf(x->out, "\"%s\":", name);
	else
		fprintf(x->out, "%s=", name);
}

static void put_word(struct exporter *x, const char *word, enum style style)
{
	if (style == STYLE_JSON)
		fprintf(x->out, "\"%s\"", word);
	else
		fputs(word, x->out);
}

/* A log text: the text itself, or its index when the text ring lost it. */
static void put_text_field(struct exporter *x, const struct sim_trace_event *event,
			   const char *name, enum style style)
{
	const char *text = NULL;

	SIM_ASSERT(event->kind == SIM_TRACE_LOG);
	if (x->view->text != NULL)
		text = x->view->text(x->view->ctx, event);
	if (text == NULL) {
		put_key(x, "index", style);
		fprintf(x->out, "%" PRIu64, event->a);
		return;
	}
	put_key(x, name, style);
	putc('"', x->out);
	put_escaped(x->out, text, style);
	putc('"', x->out);
}

static void put_value(struct exporter *x, enum field_format format, uint64_t value,
		      enum style style)
{
	const char *word;

	switch (format) {
	case FIELD_FLAG:
	case FIELD_DEC:
		fprintf(x->out, "%" PRIu64, value);
		return;
	case FIELD_THREAD:
		if (value == SIM_THREAD_NONE)
			put_word(x, "none", style);
		else
			fprintf(x->out, "%" PRIu64, value);
		return;
	case FIELD_THREAD_KIND:
	case FIELD_POINT:
	case FIELD_DECISION:
		word = field_enum_name(format, value);
		if (word != NULL)
			put_word(x, word, style);
		else
			fprintf(x->out, "%" PRIu64, value);
		return;
	default:
		break;
	}
	SIM_ASSERT(format == FIELD_HEX || format == FIELD_NONE);
	if (style == STYLE_JSON)
		fprintf(x->out, "\"0x%" PRIx64 "\"", value);
	else
		fprintf(x->out, "0x%" PRIx64, value);
}

/*
 * Writes one decoded field: " name=value" (text; no leading space for the
 * first) or ",\"name\":value" (JSON, after the fixed args).
 */
static void put_field(struct exporter *x, const struct sim_trace_event *event,
		      const struct field *field, uint64_t value, const char *raw_name,
		      enum style style, bool *first)
{
	const char *name = field->name != NULL ? field->name : raw_name;

	if (!field_shown(field, value))
		return;
	if (style == STYLE_JSON)
		putc(',', x->out);
	else if (!*first)
		putc(' ', x->out);
	*first = false;
	if (field->format == FIELD_TEXT) {
		put_text_field(x, event, name, style);
		return;
	}
	put_key(x, name, style);
	put_value(x, field->format, value, style);
}

static void put_fields(struct exporter *x, const struct sim_trace_event *event,
		       enum style style)
{
	const struct kind_format *format = kind_format_get(event->kind);
	bool first = true;

	put_field(x, event, &format->a, event->a, "a", style, &first);
	put_field(x, event, &format->b, event->b, "b", style, &first);
}

static bool event_has_fields(const struct sim_trace_event *event)
{
	const struct kind_format *format = kind_format_get(event->kind);

	return field_shown(&format->a, event->a) || field_shown(&format->b, event->b);
}

/* ---- Common ---- */

static void exporter_init(struct exporter *x, const struct sim_trace_view *view, FILE *out)
{
	SIM_ASSERT(view != NULL);
	SIM_ASSERT(out != NULL);
	x->view = view;
	x->out = out;
	x->first_tick = 0;
	x->last_tick = 0;
	x->record_count = 0;
	if (view->event_count > 0) {
		x->first_tick = view->events[0].tick;
		x->last_tick = view->events[view->event_count - 1].tick;
	}
}

/* The stream's sticky error flag, then the flush, decide the result. */
static int exporter_finish(struct exporter *x)
{
	if (fflush(x->out) != 0)
		return -EIO;
	if (ferror(x->out))
		return -EIO;
	return 0;
}

/* ---- Text form ---- */

static void text_pad(FILE *out, uint32_t columns, uint32_t width)
{
	for (uint32_t column = columns; column < width; column++)
		putc(' ', out);
	putc(' ', out);
}

static void text_write_header(struct exporter *x)
{
	const struct sim_trace_view *view = x->view;

	fprintf(x->out, "# apfsim trace, text form 1\n");
	fprintf(x->out, "# seed %" PRIu64 ", vcpus %" PRIu32 ", threads %" PRIu32
		", events %" PRIu64 ", dropped %" PRIu64 "\n",
		view->seed, view->vcpu_count, view->thread_count, view->event_count,
		view->dropped_count);
	if (view->dropped_count > 0)
		fprintf(x->out, "# the ring dropped the first %" PRIu64
			" events: this trace starts in the middle of the execution\n",
			view->dropped_count);
	fprintf(x->out, "#%9s %10s %10s %-*s %4s %-*s %-*s %s\n", "seq", "tick", "step",
		(int)TEXT_THREAD_COLUMNS, "thread", "vcpu", (int)TEXT_KIND_COLUMNS, "kind",
		(int)TEXT_LABEL_COLUMNS, "label", "args");
}

static void text_write_event(struct exporter *x, const struct sim_trace_event *event)
{
	const struct kind_format *format = kind_format_get(event->kind);
	bool has_fields = event_has_fields(event);
	uint32_t columns;

	fprintf(x->out, "%10" PRIu64 " %10" PRIu64 " %10" PRIu64 " ", event->seq, event->tick,
		event->step);
	columns = put_thread_name(x, event->thread_id, STYLE_TEXT, false);
	text_pad(x->out, columns, TEXT_THREAD_COLUMNS);
	if (event->vcpu < 0)
		fprintf(x->out, "%4s ", "-");
	else
		fprintf(x->out, "%4d ", event->vcpu);
	fprintf(x->out, "%-*s ", (int)TEXT_KIND_COLUMNS, format->name);
	if (event->label != NULL)
		columns = put_escaped(x->out, event->label, STYLE_TEXT);
	else
		columns = (uint32_t)fprintf(x->out, "-");
	if (has_fields) {
		text_pad(x->out, columns, TEXT_LABEL_COLUMNS);
		put_fields(x, event, STYLE_TEXT);
	}
	putc('\n', x->out);
}

int sim_trace_view_export_text(const struct sim_trace_view *view, FILE *out)
{
	struct exporter x;
	int err;

	SIM_ASSERT(view != NULL);
	SIM_ASSERT(out != NULL);
	err = sim_trace_view_check(view);
	if (err)
		return err;
	exporter_init(&x, view, out);
	text_write_header(&x);
	for (uint64_t index = 0; index < view->event_count; index++) {
		text_write_event(&x, &view->events[index]);
		if (ferror(out))
			return -EIO;
	}
	return exporter_finish(&x);
}

/* ---- Perfetto (Chrome trace event JSON) ---- */

static uint32_t thread_pid(const struct sim_trace_view *view, uint32_t thread_id)
{
	SIM_ASSERT(thread_ref_valid(view, thread_id));
	if (thread_id == SIM_THREAD_NONE)
		return PID_HOST;
	return view->threads[thread_id].kind == SIM_THREAD_HOST ? PID_HOST : PID_GUEST;
}

static uint32_t thread_tid(uint32_t thread_id)
{
	SIM_ASSERT(thread_id != SIM_TRACE_ENGINE_TID);
	return thread_id == SIM_THREAD_NONE ? SIM_TRACE_ENGINE_TID : thread_id;
}

/* Opens a record: {"ph":..,"pid":..,"tid":.. and, unless metadata, "ts". */
static void json_record_open(struct exporter *x, const char *phase, uint32_t pid,
			     uint32_t tid)
{
	fputs(x->record_count == 0 ? "\n" : ",\n", x->out);
	x->record_count++;
	fprintf(x->out, "{\"ph\":\"%s\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32, phase, pid, tid);
}

static void json_record_open_at(struct exporter *x, const char *phase, uint32_t thread_id,
				uint64_t tick)
{
	json_record_open(x, phase, thread_pid(x->view, thread_id), thread_tid(thread_id));
	fprintf(x->out, ",\"ts\":%" PRIu64, tick);
}

static void json_metadata(struct exporter *x, uint32_t pid, uint32_t tid, const char *name,
			  const char *key, uint64_t number, const char *string)
{
	json_record_open(x, "M", pid, tid);
	fprintf(x->out, ",\"name\":\"%s\",\"args\":{\"%s\":", name, key);
	if (string != NULL)
		fprintf(x->out, "\"%s\"}}", string);
	else
		fprintf(x->out, "%" PRIu64 "}}", number);
}

/* Tracks sort by vCPU, each idle thread first, then the tasks on that vCPU. */
static uint64_t thread_sort_index(const struct sim_trace_view *view, uint32_t thread_id)
{
	const struct sim_trace_thread_info *thread = &view->threads[thread_id];

	SIM_ASSERT(thread_id < view->thread_count);
	if (thread->kind == SIM_THREAD_HOST)
		return thread_id;
	SIM_ASSERT(thread->vcpu >= 0);
	return (uint64_t)thread->vcpu * (SIM_THREAD_COUNT_MAX + 1u) +
	       (thread->kind == SIM_THREAD_IDLE ? 0u : 1u + thread_id);
}

static void perfetto_write_tracks(struct exporter *x)
{
	const struct sim_trace_view *view = x->view;

	json_metadata(x, PID_GUEST, TID_GUEST_PROCESS, "process_name", "name", 0, "guest vCPUs");
	json_metadata(x, PID_GUEST, TID_GUEST_PROCESS, "process_sort_index", "sort_index", 0,
		      NULL);
	json_metadata(x, PID_HOST, SIM_TRACE_ENGINE_TID, "process_name", "name", 0, "host");
	json_metadata(x, PID_HOST, SIM_TRACE_ENGINE_TID, "process_sort_index", "sort_index", 1,
		      NULL);
	json_metadata(x, PID_HOST, SIM_TRACE_ENGINE_TID, "thread_name", "name", 0, "engine");
	json_metadata(x, PID_HOST, SIM_TRACE_ENGINE_TID, "thread_sort_index", "sort_index",
		      SIM_TRACE_ENGINE_TID, NULL);
	for (uint32_t id = 0; id < view->thread_count; id++) {
		json_record_open(x, "M", thread_pid(view, id), thread_tid(id));
		fputs(",\"name\":\"thread_name\",\"args\":{\"name\":\"", x->out);
		put_thread_name(x, id, STYLE_JSON, true);
		fputs("\"}}", x->out);
		json_metadata(x, thread_pid(view, id), thread_tid(id), "thread_sort_index",
			      "sort_index", thread_sort_index(view, id), NULL);
	}
}

static void perfetto_write_slice(struct exporter *x, uint32_t thread_id, uint64_t begin_tick,
				 uint64_t end_tick, const struct sim_trace_event *switch_in)
{
	SIM_ASSERT(thread_id != SIM_THREAD_NONE);
	SIM_ASSERT(end_tick >= begin_tick);
	json_record_open_at(x, "X", thread_id, begin_tick);
	fprintf(x->out, ",\"dur\":%" PRIu64 ",\"cat\":\"sched\",\"name\":\"running\"",
		end_tick - begin_tick);
	if (switch_in != NULL)
		fprintf(x->out, ",\"args\":{\"switch_seq\":%" PRIu64 "}}", switch_in->seq);
	else
		fputs(",\"args\":{\"note\":\"running when the trace starts\"}}", x->out);
}

/*
 * A thread whose first switch in the trace is a switch-out was running when
 * the trace starts (the ring dropped its switch-in, or it never had one): its
 * slice starts at the first event. A bitmap remembers which threads have been
 * seen in a switch.
 */
static void perfetto_write_leading_slices(struct exporter *x)
{
	uint8_t seen[(SIM_THREAD_COUNT_MAX + 7u) / 8u] = { 0 };
	const struct sim_trace_view *view = x->view;

	for (uint64_t index = 0; index < view->event_count; index++) {
		const struct sim_trace_event *event = &view->events[index];
		uint64_t ids[2] = { event->a, event->b };

		if (event->kind != SIM_TRACE_SWITCH)
			continue;
		if (event->a != SIM_THREAD_NONE && !(seen[event->a / 8u] & (1u << (event->a % 8u))))
			perfetto_write_slice(x, (uint32_t)event->a, x->first_tick, event->tick,
					     NULL);
		for (uint32_t side = 0; side < 2; side++) {
			if (ids[side] != SIM_THREAD_NONE)
				seen[ids[side] / 8u] |= (uint8_t)(1u << (ids[side] % 8u));
		}
	}
}

/*
 * The switch at @index puts its "to" thread on: its slice lasts until the next
 * switch that names it (out, or in again if a switch-out is missing), or to
 * the end of the trace.
 */
static void perfetto_write_run_slice(struct exporter *x, uint64_t index)
{
	const struct sim_trace_view *view = x->view;
	const struct sim_trace_event *switch_in = &view->events[index];
	uint64_t thread_id = switch_in->b, end_tick = x->last_tick;

	SIM_ASSERT(switch_in->kind == SIM_TRACE_SWITCH);
	if (thread_id == SIM_THREAD_NONE)
		return;
	for (uint64_t next = index + 1; next < view->event_count; next++) {
		const struct sim_trace_event *event = &view->events[next];

		if (event->kind != SIM_TRACE_SWITCH)
			continue;
		if (event->a == thread_id || event->b == thread_id) {
			end_tick = event->tick;
			break;
		}
	}
	perfetto_write_slice(x, (uint32_t)thread_id, switch_in->tick, end_tick, switch_in);
}

static void perfetto_write_name(struct exporter *x, const struct sim_trace_event *event)
{
	const struct kind_format *format = kind_format_get(event->kind);

	fprintf(x->out, ",\"cat\":\"%s\",\"name\":\"%s", format->name, format->name);
	if (event->label != NULL) {
		fputs(": ", x->out);
		put_escaped(x->out, event->label, STYLE_JSON);
	}
	putc('"', x->out);
}

static void perfetto_write_args(struct exporter *x, const struct sim_trace_event *event)
{
	fprintf(x->out, ",\"args\":{\"seq\":%" PRIu64 ",\"step\":%" PRIu64, event->seq,
		event->step);
	if (event->vcpu >= 0)
		fprintf(x->out, ",\"vcpu\":%d", event->vcpu);
	put_fields(x, event, STYLE_JSON);
	putc('}', x->out);
}

static void perfetto_write_instant(struct exporter *x, const struct sim_trace_event *event)
{
	json_record_open_at(x, "i", event->thread_id, event->tick);
	fputs(",\"s\":\"t\"", x->out);
	perfetto_write_name(x, event);
	perfetto_write_args(x, event);
	putc('}', x->out);
}

/*
 * A flow event binds to the enclosing slice of its thread, so each end of a
 * page flow gets a zero-length slice of its own (which also shows the event),
 * written just before the flow event.
 */
static void perfetto_write_flow(struct exporter *x, const struct sim_trace_event *event,
				const char *phase, uint64_t flow_id)
{
	SIM_ASSERT(event->kind == SIM_TRACE_TOKEN_NOT_PRESENT ||
		   event->kind == SIM_TRACE_TOKEN_READY);
	SIM_ASSERT(flow_id > 0);
	json_record_open_at(x, "X", event->thread_id, event->tick);
	fputs(",\"dur\":0", x->out);
	perfetto_write_name(x, event);
	perfetto_write_args(x, event);
	putc('}', x->out);
	json_record_open_at(x, phase, event->thread_id, event->tick);
	fprintf(x->out, ",\"cat\":\"apf\",\"name\":\"page\",\"id\":%" PRIu64, flow_id);
	if (phase[0] == 'f')
		fputs(",\"bp\":\"e\"", x->out);
	putc('}', x->out);
}

/*
 * The flow of a page-ready starts at the latest page-not-present of the same
 * token before it, unless a page-ready of that token came in between (then
 * the start was consumed, or is no longer in the ring). The flow id is the
 * page-not-present's seq + 1: unique even when a token value is reused, and
 * never 0. Return: the flow id, or 0 when there is no start.
 */
static uint64_t perfetto_flow_id_of_ready(const struct sim_trace_view *view, uint64_t index)
{
	const struct sim_trace_event *ready = &view->events[index];

	SIM_ASSERT(ready->kind == SIM_TRACE_TOKEN_READY);
	SIM_ASSERT(index < view->event_count);
	for (uint64_t before = index; before-- > 0;) {
		const struct sim_trace_event *event = &view->events[before];

		if (event->a != ready->a)
			continue;
		if (event->kind == SIM_TRACE_TOKEN_NOT_PRESENT)
			return event->seq + 1;
		if (event->kind == SIM_TRACE_TOKEN_READY)
			return 0;
	}
	return 0;
}

static void perfetto_write_event(struct exporter *x, uint64_t index)
{
	const struct sim_trace_event *event = &x->view->events[index];
	uint64_t flow_id;

	switch (event->kind) {
	case SIM_TRACE_SWITCH:
		perfetto_write_run_slice(x, index);
		break;
	case SIM_TRACE_TOKEN_NOT_PRESENT:
		perfetto_write_flow(x, event, "s", event->seq + 1);
		break;
	case SIM_TRACE_TOKEN_READY:
		flow_id = perfetto_flow_id_of_ready(x->view, index);
		if (flow_id != 0)
			perfetto_write_flow(x, event, "f", flow_id);
		else
			perfetto_write_instant(x, event);
		break;
	default:
		perfetto_write_instant(x, event);
		break;
	}
}

/* A trace that lost its beginning says so on the timeline too. */
static void perfetto_write_dropped_marker(struct exporter *x)
{
	if (x->view->dropped_count == 0)
		return;
	json_record_open_at(x, "i", SIM_THREAD_NONE, x->first_tick);
	fprintf(x->out, ",\"s\":\"g\",\"cat\":\"trace\",\"name\":\"trace starts here: the ring "
		"dropped %" PRIu64 " earlier events\"}", x->view->dropped_count);
}

static void perfetto_write_metadata(struct exporter *x)
{
	const struct sim_trace_view *view = x->view;

	fputs("\n],\n\"displayTimeUnit\":\"ns\",\n\"metadata\":{", x->out);
	fputs("\"generator\":\"apfsim\",\"format\":\"apfsim-trace-1\","
	      "\"time_unit\":\"1 virtual tick is shown as 1 us\",", x->out);
	/* A string: JSON readers in JavaScript lose precision above 2^53. */
	fprintf(x->out, "\"seed\":\"%" PRIu64 "\",\"vcpu_count\":%" PRIu32
		",\"thread_count\":%" PRIu32 ",\"event_count\":%" PRIu64
		",\"dropped_count\":%" PRIu64 ",\"complete\":%s",
		view->seed, view->vcpu_count, view->thread_count, view->event_count,
		view->dropped_count, view->dropped_count == 0 ? "true" : "false");
	if (view->event_count > 0)
		fprintf(x->out, ",\"first_seq\":%" PRIu64 ",\"first_tick\":%" PRIu64
			",\"last_tick\":%" PRIu64, view->events[0].seq, x->first_tick,
			x->last_tick);
	fputs("}\n}\n", x->out);
}

int sim_trace_view_export_perfetto(const struct sim_trace_view *view, FILE *out)
{
	struct exporter x;
	int err;

	SIM_ASSERT(view != NULL);
	SIM_ASSERT(out != NULL);
	err = sim_trace_view_check(view);
	if (err)
		return err;
	exporter_init(&x, view, out);
	fputs("{\"traceEvents\":[", out);
	perfetto_write_tracks(&x);
	perfetto_write_dropped_marker(&x);
	perfetto_write_leading_slices(&x);
	for (uint64_t index = 0; index < view->event_count; index++) {
		perfetto_write_event(&x, index);
		if (ferror(out))
			return -EIO;
	}
	perfetto_write_metadata(&x);
	return exporter_finish(&x);
}

/* ---- Exports of an execution ---- */

/* A view of an execution, with the copies it owns. */
struct sim_view {
	struct sim_trace_view view;
	struct sim_trace_event *events;
	struct sim_trace_thread_info *threads;
};

static const char *sim_view_text(const void *ctx, const struct sim_trace_event *event)
{
	SIM_ASSERT(ctx != NULL);
	SIM_ASSERT(event != NULL);
	return sim_trace_text(ctx, event);
}

/* First guess of the ring's size when the result cannot tell (mid-run). */
#define SIM_VIEW_EVENT_CAPACITY_MIN 1024u

/*
 * Copies the ring. Its size is not part of the API: the copy starts at a
 * guess (the events emitted after the run, else a minimum) and doubles until
 * the snapshot no longer fills it.
 */
static int sim_view_copy_events(struct sim_view *copy, const struct sim *sim)
{
	const struct sim_result *result = sim_result(sim);
	uint64_t dropped_count = sim_trace_dropped(sim);
	uint64_t capacity = SIM_VIEW_EVENT_CAPACITY_MIN, kept_guess = 0, count;

	SIM_ASSERT(result != NULL);
	if (result->event_count > dropped_count)
		kept_guess = result->event_count - dropped_count;
	if (kept_guess >= capacity)
		capacity = kept_guess + 1;
	for (uint32_t attempt = 0;; attempt++) {
		/* The ring's size is a uint32_t: 2^33 slots always suffice. */
		SIM_ASSERT(attempt < 24);
		copy->events = calloc(capacity, sizeof(*copy->events));
		if (copy->events == NULL)
			return -ENOMEM;
		count = sim_trace_snapshot(sim, copy->events, capacity);
		SIM_ASSERT(count <= capacity);
		if (count < capacity)
			break;
		free(copy->events);
		copy->events = NULL;
		capacity *= 2;
	}
	copy->view.events = copy->events;
	copy->view.event_count = count;
	copy->view.dropped_count = dropped_count;
	return 0;
}

static int sim_view_copy_threads(struct sim_view *copy, const struct sim *sim)
{
	uint32_t thread_count = sim_thread_count(sim);

	SIM_ASSERT(thread_count <= SIM_THREAD_COUNT_MAX);
	/* One more slot: calloc(0) may return NULL, which is not a failure. */
	copy->threads = calloc(thread_count + 1u, sizeof(*copy->threads));
	if (copy->threads == NULL)
		return -ENOMEM;
	for (uint32_t id = 0; id < thread_count; id++) {
		copy->threads[id].name = sim_thread_name(sim, id);
		copy->threads[id].kind = (int)sim_thread_kind(sim, id);
		copy->threads[id].vcpu = sim_thread_vcpu(sim, id);
	}
	copy->view.threads = copy->threads;
	copy->view.thread_count = thread_count;
	return 0;
}

static void sim_view_release(struct sim_view *copy)
{
	free(copy->events);
	free(copy->threads);
	copy->events = NULL;
	copy->threads = NULL;
}

static int sim_view_fill(struct sim_view *copy, const struct sim *sim)
{
	int err;

	SIM_ASSERT(copy != NULL);
	SIM_ASSERT(sim != NULL);
	memset(copy, 0, sizeof(*copy));
	copy->view.text = sim_view_text;
	copy->view.ctx = sim;
	copy->view.vcpu_count = sim_vcpu_count(sim);
	copy->view.seed = sim_seed(sim);
	err = sim_view_copy_threads(copy, sim);
	if (!err)
		err = sim_view_copy_events(copy, sim);
	if (err)
		sim_view_release(copy);
	return err;
}

/* Copy the ring into a view, export it with @export, release the copy. */
static int sim_export_with(const struct sim *sim, FILE *out,
			   int (*export)(const struct sim_trace_view *view, FILE *out))
{
	struct sim_view copy;
	int err;

	SIM_ASSERT(sim != NULL);
	SIM_ASSERT(out != NULL);
	err = sim_view_fill(&copy, sim);
	if (err)
		return err;
	err = export(&copy.view, out);
	sim_view_release(&copy);
	return err;
}

/**
 * sim_trace_export_text() - write the events in the ring as text.
 * @sim: the execution: after sim_run(), or from its running thread in
 *       deterministic mode (the ring must not change during the copy).
 * @out: the stream.
 *
 * Return: 0, -ENOMEM, -EINVAL if the ring is inconsistent, -EIO on a write
 * error.
 */
int sim_trace_export_text(const struct sim *sim, FILE *out)
{
	return sim_export_with(sim, out, sim_trace_view_export_text);
}

/**
 * sim_trace_export_perfetto() - write the events in the ring as Chrome trace
 * event JSON for ui.perfetto.dev.
 * @sim: the execution: after sim_run(), or from its running thread in
 *       deterministic mode (the ring must not change during the copy).
 * @out: the stream.
 *
 * Return: 0, -ENOMEM, -EINVAL if the ring is inconsistent, -EIO on a write
 * error.
 */
int sim_trace_export_perfetto(const struct sim *sim, FILE *out)
{
	return sim_export_with(sim, out, sim_trace_view_export_perfetto);
}

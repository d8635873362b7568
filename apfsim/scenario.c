// SPDX-License-Identifier: MIT
/*
 * Scenario files: JSON (jansson) to a world configuration plus campaign
 * defaults, every field validated with a message naming it; the built-in
 * scenarios embedded from scenarios/<name>.json; the canonical JSON writer.
 * The format: docs/scenario-format.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario.h"
#include "scenario_builtin.h"
#include "sim/assert.h"
#include "sim/strategy.h"
#include "sim/world_oracle.h"

/* JSON numbers are exact as integers up to 2^53 in every reader. */
#define SCENARIO_INTEGER_MAX (1ull << 53)
#define SCENARIO_PATH_BYTES 128
#define SCENARIO_WEIGHT_MAX 1000000u
#define SCENARIO_STEPS_MAX 1000000000000ull
#define SCENARIO_TRACE_RING_MAX (1u << 24)
#define SCENARIO_TICKS_MAX (1ull << 50)
#define SCENARIO_IRQ_STORM_BOUND_MAX 1000000u
#define SCENARIO_LIST_LENGTH_MAX 64u
/* Campaign defaults when the file has no "campaign" object or field. */
#define SCENARIO_DEFAULT_EXECUTIONS 100u
#define SCENARIO_DEFAULT_STRATEGY "pct"
#define SCENARIO_DEFAULT_SEED 1u

struct parse_ctx {
	const char *origin;
	char *error;
	size_t error_size;
};

static int parse_fail(struct parse_ctx *ctx, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int parse_fail(struct parse_ctx *ctx, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ctx->error == NULL || ctx->error_size == 0)
		return -EINVAL;
	n = snprintf(ctx->error, ctx->error_size, "%s: %s: ", ctx->origin, path);
	if (n < 0 || (size_t)n >= ctx->error_size)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(ctx->error + n, ctx->error_size - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void set_error(char *error, size_t error_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_error(char *error, size_t error_size, const char *fmt, ...)
{
	va_list ap;

	if (error == NULL || error_size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(error, error_size, fmt, ap);
	va_end(ap);
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a non-integer number";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "null";
	}
	return "an unknown value";
}

/* A path too long for the buffer (a silly key) is cut, never overflowed. */
static void path_cut(char *out, int written)
{
	if (written < 0)
		out[0] = '\0';
	else if (written >= SCENARIO_PATH_BYTES)
		memcpy(out + SCENARIO_PATH_BYTES - 4, "...", 4);
}

static void path_join(char *out, const char *parent, const char *key)
{
	if (parent[0] == '\0')
		path_cut(out, snprintf(out, SCENARIO_PATH_BYTES, "%s", key));
	else
		path_cut(out, snprintf(out, SCENARIO_PATH_BYTES, "%s.%s", parent, key));
}

static void path_index(char *out, const char *parent, size_t index)
{
	path_cut(out, snprintf(out, SCENARIO_PATH_BYTES, "%s[%zu]", parent, index));
}

/* ---- Scalars ---- */

static int parse_u64(struct parse_ctx *ctx, const json_t *v, const char *path, uint64_t min,
		     uint64_t max, uint64_t *out)
{
	json_int_t raw;
	uint64_t value;

	SIM_ASSERT(min <= max && max <= SCENARIO_INTEGER_MAX);
	if (json_is_real(v))
		return parse_fail(ctx, path, "expected an integer, got %.17g", json_real_value(v));
	if (!json_is_integer(v))
		return parse_fail(ctx, path, "expected an integer, got %s", json_kind(v));
	raw = json_integer_value(v);
	if (raw < 0)
		return parse_fail(ctx, path, "%lld is negative", (long long)raw);
	value = (uint64_t)raw;
	if (value > SCENARIO_INTEGER_MAX)
		return parse_fail(ctx, path, "%" PRIu64 " is above 2^53", value);
	if (value < min || value > max)
		return parse_fail(ctx, path, "%" PRIu64 " is outside %" PRIu64 "..%" PRIu64, value,
				  min, max);
	*out = value;
	return 0;
}

static int parse_u32(struct parse_ctx *ctx, const json_t *v, const char *path, uint32_t min,
		     uint32_t max, uint32_t *out)
{
	uint64_t value;
	int ret = parse_u64(ctx, v, path, min, max, &value);

	if (ret == 0)
		*out = (uint32_t)value;
	return ret;
}

static int parse_bool(struct parse_ctx *ctx, const json_t *v, const char *path, bool *out)
{
	if (!json_is_boolean(v))
		return parse_fail(ctx, path, "expected true or false, got %s", json_kind(v));
	*out = json_is_true(v);
	return 0;
}

/* A string of at most @size - 1 bytes without control characters. */
static int parse_string(struct parse_ctx *ctx, const json_t *v, const char *path, char *out,
			size_t size)
{
	const char *text;
	size_t length;

	if (!json_is_string(v))
		return parse_fail(ctx, path, "expected a string, got %s", json_kind(v));
	text = json_string_value(v);
	length = json_string_length(v);
	if (length >= size)
		return parse_fail(ctx, path, "%zu bytes long, at most %zu allowed", length,
				  size - 1);
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 || c == 0x7f)
			return parse_fail(ctx, path, "control character 0x%02x at byte %zu", c,
					  i);
	}
	memset(out, 0, size);
	memcpy(out, text, length);
	return 0;
}

/* Decimal digits only, no sign, no spaces; at most UINT32_MAX. */
static bool ratio_part(const char *text, size_t length, uint32_t *out)
{
	uint64_t value = 0;

	if (length == 0 || length > 10)
		return false;
	for (size_t i = 0; i < length; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		value = value * 10 + (uint64_t)(text[i] - '0');
	}
	if (value > UINT32_MAX)
		return false;
	*out = (uint32_t)value;
	return true;
}

/*
 * "n/d" with 0 <= n <= d, d > 0; "0/0" only where the field gives it a
 * meaning (@zero_zero).
 */
static int parse_ratio(struct parse_ctx *ctx, const json_t *v, const char *path, bool zero_zero,
		       struct sim_ratio *out)
{
	const char *text;
	const char *slash;
	struct sim_ratio r;

	if (!json_is_string(v))
		return parse_fail(ctx, path, "expected a ratio string \"n/d\", got %s",
				  json_kind(v));
	text = json_string_value(v);
	slash = strchr(text, '/');
	if (slash == NULL || strlen(text) > 21 ||
	    !ratio_part(text, (size_t)(slash - text), &r.numerator) ||
	    !ratio_part(slash + 1, strlen(slash + 1), &r.denominator))
		return parse_fail(ctx, path,
				  "\"%.32s\" is not a ratio \"n/d\" (decimal integers below 2^32)",
				  text);
	if (r.denominator == 0 && !(zero_zero && r.numerator == 0))
		return parse_fail(ctx, path, "\"%s\" has a zero denominator%s", text,
				  zero_zero ? " (only \"0/0\" is allowed here)" : "");
	if (r.numerator > r.denominator)
		return parse_fail(ctx, path, "\"%s\" is above 1", text);
	*out = r;
	return 0;
}

/* [min, max] of integers in @lo..@hi with min <= max. */
static int parse_range(struct parse_ctx *ctx, const json_t *v, const char *path, uint64_t lo,
		       uint64_t hi, uint64_t *min_out, uint64_t *max_out)
{
	char item[SCENARIO_PATH_BYTES];
	uint64_t value[2];
	int ret;

	if (!json_is_array(v) || json_array_size(v) != 2)
		return parse_fail(ctx, path, "expected [min, max], got %s%s", json_kind(v),
				  json_is_array(v) ? " whose length is not 2" : "");
	for (size_t i = 0; i < 2; i++) {
		path_index(item, path, i);
		ret = parse_u64(ctx, json_array_get(v, i), item, lo, hi, &value[i]);
		if (ret != 0)
			return ret;
	}
	if (value[0] > value[1])
		return parse_fail(ctx, path, "min %" PRIu64 " is above max %" PRIu64, value[0],
				  value[1]);
	*min_out = value[0];
	*max_out = value[1];
	return 0;
}

/* ---- Names ---- */

/* A registry of names for lists: lookup returns the bit index or -1. */
struct name_set {
	const char *what; /* "event class" */
	uint32_t count;
	const char *(*name)(uint32_t index);
};

static const char *event_class_at(uint32_t index)
{
	return world_event_class_name((enum world_event_class)index);
}

static const char *inject_at(uint32_t index)
{
	return world_inject_name(index);
}

static const char *oracle_at(uint32_t index)
{
	return world_oracle_list()[index]->name;
}

static int name_set_find(const struct name_set *set, const char *name)
{
	for (uint32_t i = 0; i < set->count; i++) {
		if (strcmp(set->name(i), name) == 0)
			return (int)i;
	}
	return -1;
}

static void name_set_known(const struct name_set *set, char *buf, size_t size)
{
	size_t at = 0;

	buf[0] = '\0';
	if (set->count == 0) {
		snprintf(buf, size, "none registered");
		return;
	}
	for (uint32_t i = 0; i < set->count && at < size; i++) {
		int n = snprintf(buf + at, size - at, "%s%s", i > 0 ? ", " : "", set->name(i));

		if (n < 0)
			break;
		at += (size_t)n;
	}
}

static int unknown_name(struct parse_ctx *ctx, const struct name_set *set, const char *path,
			const char *name)
{
	char known[256];

	name_set_known(set, known, sizeof(known));
	return parse_fail(ctx, path, "unknown %s \"%.64s\" (known: %s)", set->what, name, known);
}

/*
 * A list of distinct names to a bit mask; "all" (when @allow_all) stands
 * for every name.
 */
static int parse_name_list(struct parse_ctx *ctx, const json_t *v, const char *path,
			   const struct name_set *set, bool allow_all, uint32_t *mask_out)
{
	char item[SCENARIO_PATH_BYTES];
	uint32_t mask = 0;
	uint32_t all = set->count >= 32 ? UINT32_MAX : (1u << set->count) - 1u;
	size_t i;
	json_t *e;

	SIM_ASSERT(set->count <= 32);
	if (allow_all && json_is_string(v) && strcmp(json_string_value(v), "all") == 0) {
		*mask_out = all;
		return 0;
	}
	if (!json_is_array(v))
		return parse_fail(ctx, path, "expected an array of names%s, got %s",
				  allow_all ? " or \"all\"" : "", json_kind(v));
	if (json_array_size(v) > SCENARIO_LIST_LENGTH_MAX)
		return parse_fail(ctx, path, "%zu entries, at most %u", json_array_size(v),
				  SCENARIO_LIST_LENGTH_MAX);
	json_array_foreach(v, i, e) {
		int index;

		path_index(item, path, i);
		if (!json_is_string(e))
			return parse_fail(ctx, item, "expected a name, got %s", json_kind(e));
		if (allow_all && strcmp(json_string_value(e), "all") == 0) {
			mask |= all;
			continue;
		}
		index = name_set_find(set, json_string_value(e));
		if (index < 0)
			return unknown_name(ctx, set, item, json_string_value(e));
		if ((mask >> index) & 1u)
			return parse_fail(ctx, item, "\"%s\" is listed twice", set->name((uint32_t)index));
		mask |= 1u << index;
	}
	*mask_out = mask;
	return 0;
}

/* ---- Objects ---- */

/* Every key of @obj must be in @known (NULL-terminated). */
static int check_fields(struct parse_ctx *ctx, const json_t *obj, const char *path,
			const char *const *known)
{
	char field[SCENARIO_PATH_BYTES];
	char list[512];
	const char *key;
	json_t *value;

	json_object_foreach((json_t *)obj, key, value) {
		size_t at = 0;
		bool found = false;

		for (size_t i = 0; known[i] != NULL; i++)
			found = found || strcmp(key, known[i]) == 0;
		if (found)
			continue;
		list[0] = '\0';
		for (size_t i = 0; known[i] != NULL && at < sizeof(list); i++) {
			int n = snprintf(list + at, sizeof(list) - at, "%s%s", i > 0 ? ", " : "",
					 known[i]);

			if (n < 0)
				break;
			at += (size_t)n;
		}
		path_join(field, path, key);
		return parse_fail(ctx, field, "unknown field (known: %s)", list);
	}
	return 0;
}

/* @obj's field @key, or NULL; @path receives its path. */
static json_t *field(const json_t *obj, const char *parent, const char *key,
		     char path[SCENARIO_PATH_BYTES])
{
	path_join(path, parent, key);
	return json_object_get(obj, key);
}

static int expect_object(struct parse_ctx *ctx, const json_t *v, const char *path)
{
	if (!json_is_object(v))
		return parse_fail(ctx, path, "expected an object, got %s", json_kind(v));
	return 0;
}

static int parse_kvm(struct parse_ctx *ctx, const json_t *obj, struct scenario *s)
{
	static const char *const known[] = { "expose_default_sdei_event", "apf_absent_vcpus",
					     NULL };
	char path[SCENARIO_PATH_BYTES];
	char item[SCENARIO_PATH_BYTES];
	json_t *v;
	int ret;

	ret = expect_object(ctx, obj, "kvm");
	if (ret == 0)
		ret = check_fields(ctx, obj, "kvm", known);
	if (ret != 0)
		return ret;
	v = field(obj, "kvm", "expose_default_sdei_event", path);
	if (v != NULL) {
		ret = parse_bool(ctx, v, path, &s->world.kvm.expose_default_sdei_event);
		if (ret != 0)
			return ret;
	}
	v = field(obj, "kvm", "apf_absent_vcpus", path);
	if (v != NULL) {
		uint64_t mask = 0;
		size_t i;
		json_t *e;

		if (!json_is_array(v))
			return parse_fail(ctx, path, "expected an array of vCPU indices, got %s",
					  json_kind(v));
		json_array_foreach(v, i, e) {
			uint32_t vcpu;

			path_index(item, path, i);
			ret = parse_u32(ctx, e, item, 0, s->world.vcpu_count - 1, &vcpu);
			if (ret != 0)
				return ret;
			if ((mask >> vcpu) & 1u)
				return parse_fail(ctx, item, "vCPU %u is listed twice", vcpu);
			mask |= 1ull << vcpu;
		}
		s->world.kvm.apf_absent_vcpu_mask = mask;
	}
	return 0;
}

static int parse_weights(struct parse_ctx *ctx, const json_t *obj, const char *path,
			 struct world_events *events)
{
	static const struct name_set classes = { "event class", WORLD_EVENT_CLASS_COUNT,
						 event_class_at };
	char item[SCENARIO_PATH_BYTES];
	const char *key;
	json_t *value;
	int ret;

	ret = expect_object(ctx, obj, path);
	if (ret != 0)
		return ret;
	json_object_foreach((json_t *)obj, key, value) {
		int c = name_set_find(&classes, key);

		path_join(item, path, key);
		if (c < 0)
			return unknown_name(ctx, &classes, item, key);
		ret = parse_u32(ctx, value, item, 1, SCENARIO_WEIGHT_MAX, &events->weight[c]);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int parse_events(struct parse_ctx *ctx, const json_t *obj, struct scenario *s)
{
	static const char *const known[] = { "count", "classes", "weights", "gap_ticks",
					     "offline_ticks", NULL };
	static const struct name_set classes = { "event class", WORLD_EVENT_CLASS_COUNT,
						 event_class_at };
	struct world_events *e = &s->world.events;
	char path[SCENARIO_PATH_BYTES];
	json_t *v;
	int ret;

	ret = expect_object(ctx, obj, "events");
	if (ret == 0)
		ret = check_fields(ctx, obj, "events", known);
	if (ret == 0 && (v = field(obj, "events", "count", path)) != NULL)
		ret = parse_u32(ctx, v, path, 0, WORLD_EVENT_COUNT_MAX, &e->count);
	if (ret == 0 && (v = field(obj, "events", "classes", path)) != NULL)
		ret = parse_name_list(ctx, v, path, &classes, true, &e->class_mask);
	if (ret == 0 && (v = field(obj, "events", "weights", path)) != NULL)
		ret = parse_weights(ctx, v, path, e);
	if (ret == 0 && (v = field(obj, "events", "gap_ticks", path)) != NULL)
		ret = parse_range(ctx, v, path, 0, SCENARIO_TICKS_MAX, &e->gap_ticks_min,
				  &e->gap_ticks_max);
	if (ret == 0 && (v = field(obj, "events", "offline_ticks", path)) != NULL)
		ret = parse_range(ctx, v, path, 0, SCENARIO_TICKS_MAX, &e->offline_ticks_min,
				  &e->offline_ticks_max);
	if (ret == 0 && e->count > 0 && e->class_mask == 0)
		ret = parse_fail(ctx, "events.classes",
				 "no class enabled while events.count is %u", e->count);
	return ret;
}

static int parse_strategy(struct parse_ctx *ctx, const json_t *v, const char *path, char *out)
{
	char known[128];
	size_t at = 0;
	const struct sim_strategy_ops *const *list = sim_strategy_list();
	const struct sim_strategy_ops *ops;
	int ret;

	ret = parse_string(ctx, v, path, out, SCENARIO_STRATEGY_BYTES);
	if (ret != 0 && !json_is_string(v))
		return ret;
	ops = ret == 0 ? sim_strategy_find(out) : NULL;
	if (ops != NULL && strcmp(out, "replay") != 0)
		return 0;
	known[0] = '\0';
	for (size_t i = 0; list[i] != NULL && at < sizeof(known); i++) {
		int n;

		if (strcmp(list[i]->name, "replay") == 0)
			continue;
		n = snprintf(known + at, sizeof(known) - at, "%s%s", at > 0 ? ", " : "",
			     list[i]->name);
		if (n < 0)
			break;
		at += (size_t)n;
	}
	if (ops != NULL)
		return parse_fail(ctx, path,
				  "\"replay\" replays one finding and cannot run a campaign "
				  "(use: %s)", known);
	return parse_fail(ctx, path, "unknown strategy \"%.32s\" (known: %s)",
			  json_string_value(v), known);
}

/* An integer up to 2^53, or a string sim_seed_parse() reads (hex, 40-hex commit). */
static int parse_seed(struct parse_ctx *ctx, const json_t *v, const char *path, uint64_t *out)
{
	if (json_is_string(v)) {
		if (sim_seed_parse(json_string_value(v), out) != 0)
			return parse_fail(ctx, path,
					  "\"%.48s\" is not a seed (decimal, 0x-hex or a 40-hex "
					  "commit hash)", json_string_value(v));
		return 0;
	}
	return parse_u64(ctx, v, path, 0, SCENARIO_INTEGER_MAX, out);
}

static int parse_campaign(struct parse_ctx *ctx, const json_t *obj, struct scenario *s)
{
	static const char *const known[] = { "executions", "strategy", "seed", "swarm",
					     "pct_depth", NULL };
	char path[SCENARIO_PATH_BYTES];
	json_t *v;
	int ret;

	ret = expect_object(ctx, obj, "campaign");
	if (ret == 0)
		ret = check_fields(ctx, obj, "campaign", known);
	if (ret == 0 && (v = field(obj, "campaign", "executions", path)) != NULL)
		ret = parse_u64(ctx, v, path, 1, SCENARIO_EXECUTIONS_MAX, &s->executions);
	if (ret == 0 && (v = field(obj, "campaign", "strategy", path)) != NULL)
		ret = parse_strategy(ctx, v, path, s->strategy);
	if (ret == 0 && (v = field(obj, "campaign", "seed", path)) != NULL)
		ret = parse_seed(ctx, v, path, &s->seed);
	if (ret == 0 && (v = field(obj, "campaign", "swarm", path)) != NULL)
		ret = parse_bool(ctx, v, path, &s->swarm);
	if (ret == 0 && (v = field(obj, "campaign", "pct_depth", path)) != NULL)
		ret = parse_u32(ctx, v, path, 0, SCENARIO_PCT_DEPTH_MAX, &s->pct_depth);
	return ret;
}

static bool name_char_valid(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return !first && (c == '.' || c == '_' || c == '-');
}

static int parse_name(struct parse_ctx *ctx, const json_t *v, struct scenario *s)
{
	int ret = parse_string(ctx, v, "name", s->name, sizeof(s->name));

	if (ret != 0)
		return ret;
	if (s->name[0] == '\0')
		return parse_fail(ctx, "name", "empty");
	for (size_t i = 0; s->name[i] != '\0'; i++) {
		if (!name_char_valid(s->name[i], i == 0))
			return parse_fail(ctx, "name",
					  "\"%s\": only letters, digits, '.', '_' and '-', "
					  "starting with a letter or digit", s->name);
	}
	return 0;
}

/* The default name: @origin's base name without ".json", made valid. */
static void name_from_origin(const char *origin, char *out)
{
	const char *base = strrchr(origin, '/');
	const char *colon;
	size_t length;
	size_t n = 0;

	base = base != NULL ? base + 1 : origin;
	colon = strrchr(base, ':');
	if (colon != NULL)
		base = colon + 1;
	length = strlen(base);
	if (length > 5 && strcmp(base + length - 5, ".json") == 0)
		length -= 5;
	for (size_t i = 0; i < length && n < SCENARIO_NAME_BYTES - 1; i++) {
		if (n == 0 && !name_char_valid(base[i], true))
			continue; /* a name starts with a letter or digit */
		out[n++] = name_char_valid(base[i], false) ? base[i] : '_';
	}
	if (n == 0)
		out[n++] = 's';
	out[n] = '\0';
}

static void scenario_defaults(struct scenario *s, const char *origin)
{
	memset(s, 0, sizeof(*s));
	world_config_default(&s->world);
	name_from_origin(origin, s->name);
	s->executions = SCENARIO_DEFAULT_EXECUTIONS;
	snprintf(s->strategy, sizeof(s->strategy), "%s", SCENARIO_DEFAULT_STRATEGY);
	s->seed = SCENARIO_DEFAULT_SEED;
}

/* "draws": "seed" or "schedule" (enum world_draws). */
static int parse_draws(struct parse_ctx *ctx, const json_t *v, const char *path,
		       enum world_draws *out)
{
	char name[16];
	int draws;
	int ret = parse_string(ctx, v, path, name, sizeof(name));

	if (ret != 0 && json_is_string(v))
		return parse_fail(ctx, path, "unknown draws (known: seed, schedule)");
	if (ret != 0)
		return ret;
	draws = world_draws_parse(name);
	if (draws < 0)
		return parse_fail(ctx, path, "unknown draws \"%s\" (known: seed, schedule)", name);
	*out = (enum world_draws)draws;
	return 0;
}

/* The world fields, in the order of the format's table. */
static int parse_world(struct parse_ctx *ctx, const json_t *root, struct scenario *s)
{
	static const struct name_set injections = { "injection", WORLD_INJECT_COUNT, inject_at };
	struct name_set oracles = { "oracle", world_oracle_count(), oracle_at };
	struct world_config *w = &s->world;
	char path[SCENARIO_PATH_BYTES];
	json_t *v;
	int ret = 0;

	if ((v = field(root, "", "vcpus", path)) != NULL)
		ret = parse_u32(ctx, v, path, 1, SIM_VCPU_COUNT_MAX, &w->vcpu_count);
	if (ret == 0 && (v = field(root, "", "tasks", path)) != NULL)
		ret = parse_u32(ctx, v, path, 0, WORLD_TASK_COUNT_MAX, &w->task_count);
	if (ret == 0 && (v = field(root, "", "touches", path)) != NULL)
		ret = parse_u32(ctx, v, path, 0, WORLD_TOUCH_COUNT_MAX, &w->touch_count);
	if (ret == 0 && (v = field(root, "", "pages", path)) != NULL)
		ret = parse_u32(ctx, v, path, 1, WORLD_PAGE_COUNT_MAX, &w->page_count);
	if (ret == 0 && (v = field(root, "", "write_ratio", path)) != NULL)
		ret = parse_ratio(ctx, v, path, false, &w->write_ratio);
	if (ret == 0 && (v = field(root, "", "nonresident_ratio", path)) != NULL)
		ret = parse_ratio(ctx, v, path, false, &w->nonresident_ratio);
	if (ret == 0 && (v = field(root, "", "pagein_ticks", path)) != NULL)
		ret = parse_range(ctx, v, path, 1, SCENARIO_TICKS_MAX, &w->pagein_ticks_min,
				  &w->pagein_ticks_max);
	if (ret == 0 && (v = field(root, "", "ppi", path)) != NULL)
		ret = parse_u32(ctx, v, path, 16, 31, &w->ppi);
	if (ret == 0 && (v = field(root, "", "cmdline", path)) != NULL)
		ret = parse_string(ctx, v, path, w->cmdline, sizeof(w->cmdline));
	if (ret == 0 && (v = field(root, "", "steps_max", path)) != NULL)
		ret = parse_u64(ctx, v, path, 0, SCENARIO_STEPS_MAX, &w->step_count_max);
	if (ret == 0 && (v = field(root, "", "trace_ring_size", path)) != NULL)
		ret = parse_u32(ctx, v, path, 0, SCENARIO_TRACE_RING_MAX, &w->trace_ring_size);
	if (ret == 0 && (v = field(root, "", "kvm", path)) != NULL)
		ret = parse_kvm(ctx, v, s);
	if (ret == 0 && (v = field(root, "", "workers", path)) != NULL)
		ret = parse_u32(ctx, v, path, 0, KSHIM_WORKQUEUE_WORKER_COUNT_MAX,
				&w->kshim.workqueue_worker_count);
	if (ret == 0 && (v = field(root, "", "events", path)) != NULL)
		ret = parse_events(ctx, v, s);
	if (ret == 0 && (v = field(root, "", "inject", path)) != NULL)
		ret = parse_name_list(ctx, v, path, &injections, true, &w->inject_mask);
	if (ret == 0 && (v = field(root, "", "alloc_fail_ratio", path)) != NULL)
		ret = parse_ratio(ctx, v, path, true, &w->alloc_fail_ratio);
	if (ret == 0 && (v = field(root, "", "irq_delay_take_ratio", path)) != NULL)
		ret = parse_ratio(ctx, v, path, true, &w->irq_delay_take_ratio);
	if (ret == 0 && (v = field(root, "", "sdei_fail_ratio", path)) != NULL)
		ret = parse_ratio(ctx, v, path, false, &w->sdei_fail_ratio);
	if (ret == 0 && (v = field(root, "", "liveness_ticks", path)) != NULL)
		ret = parse_u64(ctx, v, path, 0, SCENARIO_TICKS_MAX, &w->liveness_ticks);
	if (ret == 0 && (v = field(root, "", "oracles", path)) != NULL)
		ret = parse_name_list(ctx, v, path, &oracles, true, &w->oracle_mask);
	if (ret == 0 && (v = field(root, "", "irq_storm_bound", path)) != NULL)
		ret = parse_u32(ctx, v, path, 0, SCENARIO_IRQ_STORM_BOUND_MAX,
				&w->irq_storm_bound);
	if (ret == 0 && (v = field(root, "", "draws", path)) != NULL)
		ret = parse_draws(ctx, v, path, &w->draws);
	return ret;
}

static int parse_root(struct parse_ctx *ctx, const json_t *root, struct scenario *s)
{
	static const char *const known[] = {
		"name", "description", "vcpus", "tasks", "touches", "pages", "write_ratio",
		"nonresident_ratio", "pagein_ticks", "ppi", "cmdline", "steps_max",
		"trace_ring_size", "kvm", "workers", "events", "inject", "alloc_fail_ratio",
		"irq_delay_take_ratio", "sdei_fail_ratio", "liveness_ticks", "oracles", "irq_storm_bound",
		"draws", "campaign", NULL,
	};
	char check[256];
	json_t *v;
	int ret;

	if (!json_is_object(root))
		return parse_fail(ctx, "(top level)", "expected an object, got %s",
				  json_kind(root));
	ret = check_fields(ctx, root, "", known);
	if (ret == 0 && (v = json_object_get(root, "name")) != NULL)
		ret = parse_name(ctx, v, s);
	if (ret == 0 && (v = json_object_get(root, "description")) != NULL)
		ret = parse_string(ctx, v, "description", s->description,
				   sizeof(s->description));
	if (ret == 0)
		ret = parse_world(ctx, root, s);
	if (ret == 0 && (v = json_object_get(root, "campaign")) != NULL)
		ret = parse_campaign(ctx, v, s);
	if (ret != 0)
		return ret;
	check[0] = '\0';
	if (world_config_check(&s->world, check, sizeof(check)) != 0) {
		set_error(ctx->error, ctx->error_size, "%s: %s", ctx->origin,
			  check[0] != '\0' ? check : "world: invalid configuration");
		return -EINVAL;
	}
	return 0;
}

static bool text_blank(const char *text, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
			return false;
	}
	return true;
}

int scenario_parse(const char *text, size_t length, const char *origin, struct scenario *out,
		   char *error, size_t error_size)
{
	struct parse_ctx ctx = { origin != NULL ? origin : "scenario", error, error_size };
	struct scenario s;
	json_error_t jerr;
	json_t *root;
	int ret;

	if (error != NULL && error_size > 0)
		error[0] = '\0';
	if (out == NULL || (text == NULL && length > 0)) {
		set_error(error, error_size, "%s: no scenario", ctx.origin);
		return -EINVAL;
	}
	if (text == NULL || text_blank(text, length)) {
		set_error(error, error_size, "%s: empty scenario (expected a JSON object)",
			  ctx.origin);
		return -EINVAL;
	}
	root = json_loadb(text, length, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		set_error(error, error_size, "%s: line %d column %d: %s", ctx.origin, jerr.line,
			  jerr.column, jerr.text);
		return -EINVAL;
	}
	scenario_defaults(&s, ctx.origin);
	ret = parse_root(&ctx, root, &s);
	json_decref(root);
	if (ret == 0)
		memcpy(out, &s, sizeof(s)); /* with the zeroed padding: memcmp() works */
	return ret;
}

/* ---- Files ---- */

int scenario_load_file(const char *path, struct scenario *out, char *error, size_t error_size)
{
	struct stat st;
	char *buf;
	size_t length = 0;
	int fd;
	int ret;

	if (path == NULL || path[0] == '\0') {
		set_error(error, error_size, "scenario: empty file name");
		return -ENOENT;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		set_error(error, error_size, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -errno;
		close(fd);
		set_error(error, error_size, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > SCENARIO_FILE_BYTES_MAX) {
		close(fd);
		set_error(error, error_size, "%s: %lld bytes, larger than the %u-byte limit",
			  path, (long long)st.st_size, SCENARIO_FILE_BYTES_MAX);
		return -EFBIG;
	}
	/* One byte more than the limit tells a too-long stream (pipe) apart. */
	buf = malloc(SCENARIO_FILE_BYTES_MAX + 1);
	if (buf == NULL) {
		close(fd);
		set_error(error, error_size, "%s: out of memory", path);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n = read(fd, buf + length, SCENARIO_FILE_BYTES_MAX + 1 - length);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			free(buf);
			close(fd);
			set_error(error, error_size, "%s: %s", path, strerror(-ret));
			return ret;
		}
		if (n == 0)
			break;
		length += (size_t)n;
		if (length > SCENARIO_FILE_BYTES_MAX) {
			free(buf);
			close(fd);
			set_error(error, error_size, "%s: larger than the %u-byte limit", path,
				  SCENARIO_FILE_BYTES_MAX);
			return -EFBIG;
		}
	}
	close(fd);
	ret = scenario_parse(buf, length, path, out, error, error_size);
	free(buf);
	return ret;
}

/* ---- Built-in scenarios ---- */

const char *const *scenario_builtin_names(void)
{
	return scenario_builtin_name_list;
}

static const struct scenario_builtin_entry *builtin_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < scenario_builtin_count; i++) {
		if (strcmp(scenario_builtin_table[i].name, name) == 0)
			return &scenario_builtin_table[i];
	}
	return NULL;
}

const char *scenario_builtin_text(const char *name)
{
	const struct scenario_builtin_entry *entry = builtin_find(name);

	return entry != NULL ? entry->text : NULL;
}

static void builtin_list(char *buf, size_t size)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < scenario_builtin_count && at < size; i++) {
		int n = snprintf(buf + at, size - at, "%s%s", i > 0 ? ", " : "",
				 scenario_builtin_table[i].name);

		if (n < 0)
			break;
		at += (size_t)n;
	}
}

int scenario_builtin(const char *name, struct scenario *out, char *error, size_t error_size)
{
	const struct scenario_builtin_entry *entry = builtin_find(name);
	char origin[SCENARIO_NAME_BYTES + 16];
	char list[512];

	if (entry == NULL) {
		builtin_list(list, sizeof(list));
		set_error(error, error_size, "%.64s: no such built-in scenario (built-in: %s)",
			  name != NULL ? name : "(null)", list);
		return -ENOENT;
	}
	snprintf(origin, sizeof(origin), "builtin:%s", entry->name);
	return scenario_parse(entry->text, entry->length, origin, out, error, error_size);
}

int scenario_resolve(const char *name_or_path, struct scenario *out, char *error,
		     size_t error_size)
{
	char list[512];
	int ret;

	if (name_or_path == NULL || name_or_path[0] == '\0') {
		set_error(error, error_size, "scenario: empty name");
		return -ENOENT;
	}
	if (builtin_find(name_or_path) != NULL)
		return scenario_builtin(name_or_path, out, error, error_size);
	ret = scenario_load_file(name_or_path, out, error, error_size);
	if (ret == -ENOENT && strchr(name_or_path, '/') == NULL &&
	    strstr(name_or_path, ".json") == NULL) {
		builtin_list(list, sizeof(list));
		set_error(error, error_size,
			  "%.128s: neither a built-in scenario (%s) nor a file", name_or_path,
			  list);
	}
	return ret;
}

/* ---- Canonical JSON ---- */

static json_t *json_ratio(struct sim_ratio r)
{
	char text[32];

	snprintf(text, sizeof(text), "%" PRIu32 "/%" PRIu32, r.numerator, r.denominator);
	return json_string(text);
}

static json_t *json_u64(uint64_t value)
{
	return json_integer((json_int_t)value);
}

static json_t *json_range(uint64_t min, uint64_t max)
{
	json_t *a = json_array();

	json_array_append_new(a, json_u64(min));
	json_array_append_new(a, json_u64(max));
	return a;
}

static json_t *json_names(uint32_t mask, uint32_t count, const char *(*name)(uint32_t))
{
	json_t *a = json_array();

	for (uint32_t i = 0; i < count && i < 32; i++) {
		if ((mask >> i) & 1u)
			json_array_append_new(a, json_string(name(i)));
	}
	return a;
}

static json_t *json_events(const struct world_events *e)
{
	json_t *o = json_object();
	json_t *weights = json_object();

	json_object_set_new(o, "count", json_u64(e->count));
	json_object_set_new(o, "classes",
			    json_names(e->class_mask, WORLD_EVENT_CLASS_COUNT, event_class_at));
	for (uint32_t c = 0; c < WORLD_EVENT_CLASS_COUNT; c++) {
		if (e->weight[c] != 0)
			json_object_set_new(weights, event_class_at(c), json_u64(e->weight[c]));
	}
	json_object_set_new(o, "weights", weights);
	json_object_set_new(o, "gap_ticks", json_range(e->gap_ticks_min, e->gap_ticks_max));
	json_object_set_new(o, "offline_ticks",
			    json_range(e->offline_ticks_min, e->offline_ticks_max));
	return o;
}

static json_t *json_seed(uint64_t seed)
{
	char text[32];

	if (seed <= SCENARIO_INTEGER_MAX)
		return json_u64(seed);
	snprintf(text, sizeof(text), "0x%016" PRIx64, seed);
	return json_string(text);
}

static json_t *json_oracles(uint32_t mask)
{
	uint32_t count = world_oracle_count();
	uint32_t all = count >= 32 ? UINT32_MAX : (1u << count) - 1u;

	if (count > 0 && mask == all)
		return json_string("all");
	return json_names(mask, count, oracle_at);
}

static json_t *json_scenario(const struct scenario *s)
{
	const struct world_config *w = &s->world;
	json_t *root = json_object();
	json_t *kvm = json_object();
	json_t *absent = json_array();
	json_t *campaign = json_object();

	json_object_set_new(root, "name", json_string(s->name));
	json_object_set_new(root, "description", json_string(s->description));
	json_object_set_new(root, "vcpus", json_u64(w->vcpu_count));
	json_object_set_new(root, "tasks", json_u64(w->task_count));
	json_object_set_new(root, "touches", json_u64(w->touch_count));
	json_object_set_new(root, "pages", json_u64(w->page_count));
	json_object_set_new(root, "write_ratio", json_ratio(w->write_ratio));
	json_object_set_new(root, "nonresident_ratio", json_ratio(w->nonresident_ratio));
	json_object_set_new(root, "pagein_ticks",
			    json_range(w->pagein_ticks_min, w->pagein_ticks_max));
	json_object_set_new(root, "ppi", json_u64(w->ppi));
	json_object_set_new(root, "cmdline", json_string(w->cmdline));
	json_object_set_new(root, "steps_max", json_u64(w->step_count_max));
	json_object_set_new(root, "trace_ring_size", json_u64(w->trace_ring_size));
	json_object_set_new(kvm, "expose_default_sdei_event",
			    json_boolean(w->kvm.expose_default_sdei_event));
	for (uint32_t v = 0; v < 64; v++) {
		if ((w->kvm.apf_absent_vcpu_mask >> v) & 1u)
			json_array_append_new(absent, json_u64(v));
	}
	json_object_set_new(kvm, "apf_absent_vcpus", absent);
	json_object_set_new(root, "kvm", kvm);
	json_object_set_new(root, "workers", json_u64(w->kshim.workqueue_worker_count));
	json_object_set_new(root, "events", json_events(&w->events));
	json_object_set_new(root, "inject", json_names(w->inject_mask, WORLD_INJECT_COUNT,
						       inject_at));
	json_object_set_new(root, "alloc_fail_ratio", json_ratio(w->alloc_fail_ratio));
	json_object_set_new(root, "irq_delay_take_ratio", json_ratio(w->irq_delay_take_ratio));
	json_object_set_new(root, "sdei_fail_ratio", json_ratio(w->sdei_fail_ratio));
	json_object_set_new(root, "liveness_ticks", json_u64(w->liveness_ticks));
	json_object_set_new(root, "oracles", json_oracles(w->oracle_mask));
	json_object_set_new(root, "irq_storm_bound", json_u64(w->irq_storm_bound));
	json_object_set_new(root, "draws", json_string(world_draws_name(w->draws)));
	json_object_set_new(campaign, "executions", json_u64(s->executions));
	json_object_set_new(campaign, "strategy", json_string(s->strategy));
	json_object_set_new(campaign, "seed", json_seed(s->seed));
	json_object_set_new(campaign, "swarm", json_boolean(s->swarm));
	json_object_set_new(campaign, "pct_depth", json_u64(s->pct_depth));
	json_object_set_new(root, "campaign", campaign);
	return root;
}

int scenario_to_json(const struct scenario *s, char **text)
{
	json_t *root;
	char *dumped;

	if (s == NULL || text == NULL ||
	    memchr(s->name, '\0', sizeof(s->name)) == NULL ||
	    memchr(s->description, '\0', sizeof(s->description)) == NULL ||
	    memchr(s->strategy, '\0', sizeof(s->strategy)) == NULL ||
	    memchr(s->world.cmdline, '\0', sizeof(s->world.cmdline)) == NULL)
		return -EINVAL;
	*text = NULL;
	root = json_scenario(s);
	if (root == NULL)
		return -ENOMEM;
	dumped = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (dumped == NULL)
		return -ENOMEM;
	/* jansson allocates with malloc() unless told otherwise (never here). */
	*text = dumped;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Determinism self-check (see sim/selfcheck.h). Both runs log the hash of
 * every event (up to a bound) and a full copy of the first events, so the
 * first difference can be named.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/selfcheck.h"

#define SELFCHECK_HASH_LOG_MAX (1ull << 22)
#define SELFCHECK_EVENT_LOG_MAX (1ull << 16)

struct selfcheck_log {
	uint64_t *hashes;
	struct sim_trace_event *events;
	uint64_t hash_capacity;
	uint64_t event_capacity;
};

static int selfcheck_once(const struct sim_config *base, const char *strategy_name,
			  const struct sim_strategy_config *strategy_config,
			  const struct sim_program_ops *program, void *ctx,
			  struct selfcheck_log *log, uint64_t *hash, uint64_t *event_count)
{
	struct sim_config config = *base;
	struct sim_strategy *strategy = NULL;
	struct sim *sim = NULL;
	void *state = NULL;
	int err;

	config.event_hash_log = log->hashes;
	config.event_hash_log_capacity = log->hash_capacity;
	config.event_log = log->events;
	config.event_log_capacity = log->event_capacity;
	err = sim_strategy_create(strategy_name, strategy_config, &strategy);
	if (err != 0)
		return err;
	err = sim_create(&sim, &config, strategy);
	if (err == 0)
		err = program->setup(sim, ctx, &state);
	if (err == 0)
		err = sim_run(sim);
	if (sim != NULL && program->teardown != NULL)
		program->teardown(sim, ctx, state);
	if (err == 0) {
		*hash = sim_result(sim)->trace_hash;
		*event_count = sim_result(sim)->event_count;
	}
	sim_destroy(sim);
	sim_strategy_destroy(strategy);
	return err;
}

static void selfcheck_compare(const struct selfcheck_log logs[2], struct sim_selfcheck *out)
{
	uint64_t shortest = out->event_count[0] < out->event_count[1] ? out->event_count[0]
								       : out->event_count[1];
	uint64_t logged = shortest < logs[0].hash_capacity ? shortest : logs[0].hash_capacity;

	out->match = out->hash[0] == out->hash[1] && out->event_count[0] == out->event_count[1];
	out->first_difference = UINT64_MAX;
	if (out->match)
		return;
	out->first_difference = logged; /* differs at the end, or beyond the log */
	for (uint64_t i = 0; i < logged; i++) {
		if (logs[0].hashes[i] != logs[1].hashes[i]) {
			out->first_difference = i;
			break;
		}
	}
	if (out->first_difference < logs[0].event_capacity &&
	    out->first_difference < shortest) {
		out->events_known = true;
		out->event[0] = logs[0].events[out->first_difference];
		out->event[1] = logs[1].events[out->first_difference];
	}
}

int sim_selfcheck_run(const struct sim_config *config, const char *strategy_name,
		      const struct sim_strategy_config *strategy_config,
		      const struct sim_program_ops *program, void *ctx, struct sim_selfcheck *out)
{
	struct selfcheck_log logs[2];
	int err = 0;

	SIM_ASSERT(config != NULL && program != NULL && program->setup != NULL);
	SIM_ASSERT(out != NULL);
	memset(out, 0, sizeof(*out));
	memset(logs, 0, sizeof(logs));
	for (int i = 0; i < 2 && err == 0; i++) {
		logs[i].hash_capacity = SELFCHECK_HASH_LOG_MAX;
		logs[i].event_capacity = SELFCHECK_EVENT_LOG_MAX;
		logs[i].hashes = calloc(logs[i].hash_capacity, sizeof(*logs[i].hashes));
		logs[i].events = calloc(logs[i].event_capacity, sizeof(*logs[i].events));
		if (logs[i].hashes == NULL || logs[i].events == NULL)
			err = -ENOMEM;
	}
	for (int i = 0; i < 2 && err == 0; i++)
		err = selfcheck_once(config, strategy_name, strategy_config, program, ctx,
				     &logs[i], &out->hash[i], &out->event_count[i]);
	if (err == 0)
		selfcheck_compare(logs, out);
	for (int i = 0; i < 2; i++) {
		free(logs[i].hashes);
		free(logs[i].events);
	}
	return err;
}

static int describe_event(char *text, size_t size, const struct sim_trace_event *e)
{
	return snprintf(text, size, "{%s thread %u step %" PRIu64 " tick %" PRIu64
			" label %s a 0x%" PRIx64 " b 0x%" PRIx64 "}",
			sim_trace_kind_name(e->kind), e->thread_id, e->step, e->tick,
			e->label != NULL ? e->label : "-", e->a, e->b);
}

void sim_selfcheck_describe(const struct sim_selfcheck *c, char *text, size_t size)
{
	int used;

	SIM_ASSERT(text != NULL && size > 0);
	if (c->match) {
		snprintf(text, size, "deterministic: hash 0x%016" PRIx64 " over %" PRIu64 " events",
			 c->hash[0], c->event_count[0]);
		return;
	}
	used = snprintf(text, size,
			"nondeterminism: hash 0x%016" PRIx64 " (%" PRIu64 " events) vs 0x%016" PRIx64
			" (%" PRIu64 " events); first difference at event %" PRIu64,
			c->hash[0], c->event_count[0], c->hash[1], c->event_count[1],
			c->first_difference);
	if (!c->events_known || used < 0 || (size_t)used >= size)
		return;
	used += snprintf(text + used, size - (size_t)used, ": first run ");
	if ((size_t)used < size)
		used += describe_event(text + used, size - (size_t)used, &c->event[0]);
	if ((size_t)used < size)
		used += snprintf(text + used, size - (size_t)used, ", second run ");
	if ((size_t)used < size)
		describe_event(text + used, size - (size_t)used, &c->event[1]);
}

bool sim_selfcheck_finding(const struct sim_selfcheck *check, struct sim_finding *finding)
{
	SIM_ASSERT(check != NULL && finding != NULL);
	memset(finding, 0, sizeof(*finding));
	if (check->match)
		return false;
	finding->class_name = SIM_FINDING_NONDETERMINISM;
	finding->file = __FILE__;
	finding->line = __LINE__;
	finding->thread_id = check->events_known ? check->event[1].thread_id : SIM_THREAD_NONE;
	finding->step = check->events_known ? check->event[1].step : 0;
	finding->tick = check->events_known ? check->event[1].tick : 0;
	sim_selfcheck_describe(check, finding->message, sizeof(finding->message));
	return true;
}

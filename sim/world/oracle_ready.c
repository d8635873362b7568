// SPDX-License-Identifier: MIT
/*
 * Oracle "ready-after-np" (docs/oracles.md): the host sends a page-ready
 * (apf-pr) of a token only if the guest can have received that token's
 * page-not-present [R§4.6, R§9.5]. A page-ready of a token
 *   - whose page-not-present the host withdrew before the guest could see
 *     it (apf-slot-clear while the slot still held the token's NOT_PRESENT:
 *     a failed SDEI injection rolled back [R§4.5, R§9.3], the cancel of
 *     [R§4.6], a failed write), or
 *   - never posted on that vCPU since its last apf-reset,
 * is "stray-page-ready": the guest wakes nobody (it counts an unknown
 * token) or, once the token is reused, the wrong task. x86 gates the
 * page-ready on notpresent_injected since 2020 [R§8.4]; v4 did not.
 *
 * Records per vCPU: token -> posted | withdrawn, set by apf-np and
 * apf-slot-clear, consumed by the token's apf-pr, all dropped by apf-reset
 * (the host dropped its works: no page-ready can follow for them). The
 * wake-all token (~0) is not a token of a work and is not checked.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim/assert.h"
#include "sim/limits.h"

#include "oracle_private.h"
#include "oracle_ready.h"

/*
 * Records kept per vCPU. Tokens posted and never completed (works dropped
 * by disable or hotplug stay until the next apf-reset) can pile up; at the
 * bound the oldest record is forgotten (counted in evicted) and, until the
 * next apf-reset, a page-ready of an unknown token is not reported.
 */
#define READY_RECORD_MAX 256u

enum ready_status {
	READY_POSTED = 1,
	READY_WITHDRAWN = 2,
};

struct ready_record {
	uint32_t token;
	enum ready_status status;
	uint64_t seq;
	uint64_t post_tick;     /* its apf-np (0 if none seen) */
	uint64_t withdraw_tick; /* its apf-slot-clear */
	uint32_t thread;        /* thread running at the apf-np */
};

struct ready_vcpu {
	struct ready_record records[READY_RECORD_MAX];
	uint32_t count;
	bool forgot;      /* a record was evicted since the last apf-reset */
	uint64_t reset_tick;
};

struct ready_state {
	struct oracle_view view;
	struct oracle_budget budget;
	struct ready_vcpu *vcpus;
	uint64_t evicted;
	uint64_t ignored;
	uint64_t checked; /* page-readys of a token checked */
};

static int record_find(const struct ready_vcpu *vcpu, uint32_t token)
{
	for (uint32_t i = 0; i < vcpu->count; i++) {
		if (vcpu->records[i].token == token)
			return (int)i;
	}
	return -1;
}

static void record_remove_at(struct ready_vcpu *vcpu, uint32_t index)
{
	SIM_ASSERT(index < vcpu->count);
	vcpu->count--;
	vcpu->records[index] = vcpu->records[vcpu->count];
}

/* The record of @token on @vcpu, made (evicting the oldest if full) if absent. */
static struct ready_record *record_get(struct ready_state *state, struct ready_vcpu *vcpu,
				       uint32_t token)
{
	int index = record_find(vcpu, token);
	struct ready_record *record;

	if (index >= 0)
		return &vcpu->records[index];
	if (vcpu->count == READY_RECORD_MAX) {
		uint32_t oldest = 0;

		for (uint32_t i = 1; i < vcpu->count; i++) {
			if (vcpu->records[i].seq < vcpu->records[oldest].seq)
				oldest = i;
		}
		record_remove_at(vcpu, oldest);
		vcpu->forgot = true;
		state->evicted++;
	}
	record = &vcpu->records[vcpu->count++];
	*record = (struct ready_record){ .token = token };
	return record;
}

static void on_ready(struct ready_state *state, const struct sim_trace_event *event, uint32_t v,
		     uint32_t token)
{
	struct ready_vcpu *vcpu = &state->vcpus[v];
	int index = record_find(vcpu, token);
	const struct ready_record *record;

	state->checked++;
	if (index < 0) {
		if (vcpu->forgot)
			return;
		(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_STRAY_PAGE_READY,
				    __FILE__, __LINE__,
				    "page-ready of token 0x%x on vCPU %u at tick %llu (thread %u "
				    "%s), but no page-not-present of it was posted on that vCPU "
				    "since tick %llu",
				    token, v, (unsigned long long)event->tick, event->thread_id,
				    oracle_thread_name(&state->view, event->thread_id),
				    (unsigned long long)vcpu->reset_tick);
		return;
	}
	record = &vcpu->records[index];
	if (record->status == READY_WITHDRAWN) {
		(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_STRAY_PAGE_READY,
				    __FILE__, __LINE__,
				    "page-ready of token 0x%x on vCPU %u at tick %llu (thread %u "
				    "%s), but its page-not-present (posted at tick %llu) was "
				    "withdrawn at tick %llu before the guest could see it",
				    token, v, (unsigned long long)event->tick, event->thread_id,
				    oracle_thread_name(&state->view, event->thread_id),
				    (unsigned long long)record->post_tick,
				    (unsigned long long)record->withdraw_tick);
	}
	record_remove_at(vcpu, (uint32_t)index);
}

static void ready_event(void *opaque, const struct world *world,
			const struct sim_trace_event *event)
{
	struct ready_state *state = opaque;
	struct oracle_probe_event probe;
	struct ready_record *record;

	(void)world;
	switch (oracle_probe_decode(event, &probe)) {
	case ORACLE_PROBE_NP:
	case ORACLE_PROBE_PR:
	case ORACLE_PROBE_SLOT_CLEAR:
	case ORACLE_PROBE_RESET:
		break;
	default:
		return;
	}
	if (probe.vcpu >= state->view.vcpu_count) {
		state->ignored++;
		return;
	}
	switch (probe.probe) {
	case ORACLE_PROBE_NP:
		record = record_get(state, &state->vcpus[probe.vcpu], probe.token);
		record->status = READY_POSTED;
		record->seq = event->seq;
		record->post_tick = event->tick;
		record->withdraw_tick = 0;
		record->thread = event->thread_id;
		break;
	case ORACLE_PROBE_SLOT_CLEAR:
		if (probe.reason != ORACLE_REASON_NOT_PRESENT)
			break;
		record = record_get(state, &state->vcpus[probe.vcpu], probe.token);
		record->status = READY_WITHDRAWN;
		record->seq = event->seq;
		record->withdraw_tick = event->tick;
		break;
	case ORACLE_PROBE_PR:
		if (probe.token != ORACLE_TOKEN_WAKE_ALL)
			on_ready(state, event, probe.vcpu, probe.token);
		break;
	case ORACLE_PROBE_RESET:
		state->vcpus[probe.vcpu].count = 0;
		state->vcpus[probe.vcpu].forgot = false;
		state->vcpus[probe.vcpu].reset_tick = event->tick;
		break;
	default:
		break;
	}
}

static void ready_finish(void *opaque, const struct world *world)
{
	(void)opaque;
	(void)world; /* posted tokens without page-ready are wake-once's business */
}

int oracle_ready_create_view(void **out, const struct oracle_view *view)
{
	return ORACLE_STATE_NEW(struct ready_state, out, view);
}

static int ready_create(void **out, const struct world *world)
{
	return oracle_create_from_world(out, world, oracle_ready_create_view);
}

static void ready_destroy(void *opaque)
{
	ORACLE_STATE_FREE(struct ready_state, opaque);
}

const struct world_oracle_ops oracle_ready_ops = {
	.name = "ready-after-np",
	.summary = "no page-ready of a token whose page-not-present the guest cannot have seen",
	.create = ready_create,
	.event = ready_event,
	.finish = ready_finish,
	.destroy = ready_destroy,
};

// SPDX-License-Identifier: MIT
/*
 * Oracle "token-unique" (docs/oracles.md): the host never posts a
 * page-not-present (apf-np) of a token that is still live on that vCPU.
 * A token is live from its apf-np until an apf-pr of it, a wake-all on the
 * vCPU (apf-pr with ~0 [R§3.2]), an apf-reset of the vCPU, or the host
 * clearing the slot while it still held that token's page-not-present (the
 * cancel of [R§4.6] or a failed write [R§4.5]: the guest never saw it).
 * A second post while live is token-reuse [R§10.10]: a page-ready could then
 * wake the wrong task.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim/limits.h"

#include "oracle_private.h"

/*
 * Live tokens remembered per vCPU. The host has at most 64 works per vCPU,
 * but tokens dropped without a page-ready (disable [R§4.8], hotplug) stay
 * live until a wake-all, so more can pile up; at the bound the oldest live
 * token is forgotten (counted in evicted) and its reuse goes unseen.
 */
#define TOKEN_LIVE_MAX 256u

struct token_live {
	uint32_t token;
	uint32_t thread;   /* thread that was running when it was posted */
	uint64_t seq;
	uint64_t tick;
};

struct token_vcpu {
	struct token_live live[TOKEN_LIVE_MAX];
	uint32_t count;
};

struct token_state {
	struct oracle_view view;
	struct oracle_budget budget;
	struct token_vcpu *vcpus;
	uint64_t evicted;
	uint64_t ignored;
};

static int live_find(const struct token_vcpu *vcpu, uint32_t token)
{
	for (uint32_t i = 0; i < vcpu->count; i++) {
		if (vcpu->live[i].token == token)
			return (int)i;
	}
	return -1;
}

static void live_remove_at(struct token_vcpu *vcpu, uint32_t index)
{
	SIM_ASSERT(index < vcpu->count);
	vcpu->count--;
	vcpu->live[index] = vcpu->live[vcpu->count];
}

static void live_remove(struct token_vcpu *vcpu, uint32_t token)
{
	int index = live_find(vcpu, token);

	if (index >= 0)
		live_remove_at(vcpu, (uint32_t)index);
}

static void on_post(struct token_state *state, const struct sim_trace_event *event,
		    uint32_t v, uint32_t token)
{
	struct token_vcpu *vcpu = &state->vcpus[v];
	int index = live_find(vcpu, token);
	struct token_live *entry;

	if (index >= 0) {
		entry = &vcpu->live[index];
		(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_TOKEN_REUSE,
				    __FILE__, __LINE__,
				    "token 0x%x posted again on vCPU %u at tick %llu "
				    "(thread %u %s) while still live since its post at tick %llu "
				    "(thread %u %s)",
				    token, v, (unsigned long long)event->tick, event->thread_id,
				    oracle_thread_name(&state->view, event->thread_id),
				    (unsigned long long)entry->tick, entry->thread,
				    oracle_thread_name(&state->view, entry->thread));
	} else {
		if (vcpu->count == TOKEN_LIVE_MAX) {
			uint32_t oldest = 0;

			for (uint32_t i = 1; i < vcpu->count; i++) {
				if (vcpu->live[i].seq < vcpu->live[oldest].seq)
					oldest = i;
			}
			live_remove_at(vcpu, oldest);
			state->evicted++;
		}
		entry = &vcpu->live[vcpu->count++];
		entry->token = token;
	}
	entry->thread = event->thread_id;
	entry->seq = event->seq;
	entry->tick = event->tick;
}

static void token_event(void *opaque, const struct world *world,
			const struct sim_trace_event *event)
{
	struct token_state *state = opaque;
	struct oracle_probe_event probe;

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
		on_post(state, event, probe.vcpu, probe.token);
		break;
	case ORACLE_PROBE_PR:
		if (probe.token == ORACLE_TOKEN_WAKE_ALL)
			state->vcpus[probe.vcpu].count = 0;
		else
			live_remove(&state->vcpus[probe.vcpu], probe.token);
		break;
	case ORACLE_PROBE_SLOT_CLEAR:
		if (probe.reason == ORACLE_REASON_NOT_PRESENT)
			live_remove(&state->vcpus[probe.vcpu], probe.token);
		break;
	case ORACLE_PROBE_RESET:
		state->vcpus[probe.vcpu].count = 0;
		break;
	default:
		break;
	}
}

static void token_finish(void *opaque, const struct world *world)
{
	(void)opaque;
	(void)world; /* tokens still live at the end are wake-once's business */
}

int oracle_token_create_view(void **out, const struct oracle_view *view)
{
	return ORACLE_STATE_NEW(struct token_state, out, view);
}

static int token_create(void **out, const struct world *world)
{
	return oracle_create_from_world(out, world, oracle_token_create_view);
}

static void token_destroy(void *opaque)
{
	ORACLE_STATE_FREE(struct token_state, opaque);
}

const struct world_oracle_ops oracle_token_ops = {
	.name = "token-unique",
	.summary = "no page-not-present reuses a token still live on its vCPU",
	.create = token_create,
	.event = token_event,
	.finish = token_finish,
	.destroy = token_destroy,
};

// SPDX-License-Identifier: MIT
/*
 * Oracle "slot-never-overwritten" (docs/oracles.md): the host writes a new
 * notification into a vCPU's shared slot only while the slot is free
 * [R§4.4, R§4.6, R§4.12]. It reads the host's slot writes (sim/kvm traces
 * every one, with what it replaced): a reason write (apf-np, apf-pr or an
 * odd value) over a reason != 0, or a non-zero token write (apf-slot-token)
 * while the reason is != 0, is slot-overwrite. Clearing (apf-slot-clear, and
 * the token write of 0 that follows it) is always allowed. One overwrite
 * shows as a token write then a reason write: it is reported once.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim/limits.h"

#include "oracle_private.h"

struct slot_vcpu {
	/* The last notification the host posted here (guest clears are not traced). */
	uint32_t post_reason;
	uint32_t post_token;
	uint64_t post_tick;
	/* A token write over an occupied slot was just reported for this token. */
	bool token_reported;
	uint32_t reported_token;
};

struct slot_state {
	struct oracle_view view;
	struct oracle_budget budget;
	struct slot_vcpu *vcpus;
	uint64_t ignored;
};

static const char *reason_name(uint32_t reason)
{
	switch (reason) {
	case 0:
		return "free";
	case ORACLE_REASON_NOT_PRESENT:
		return "page-not-present";
	case ORACLE_REASON_PAGE_READY:
		return "page-ready";
	default:
		return "unknown reason";
	}
}

static void report_overwrite(struct slot_state *state, const struct sim_trace_event *event,
			     const struct oracle_probe_event *probe, const char *what)
{
	const struct slot_vcpu *vcpu = &state->vcpus[probe->vcpu];

	(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_SLOT_OVERWRITE, __FILE__,
			    __LINE__,
			    "host wrote %s token 0x%x into vCPU %u's slot at tick %llu "
			    "(thread %u %s) while it held reason %u (%s); last host post there: "
			    "%s token 0x%x at tick %llu",
			    what, probe->token, probe->vcpu, (unsigned long long)event->tick,
			    event->thread_id, oracle_thread_name(&state->view, event->thread_id),
			    probe->reason, reason_name(probe->reason),
			    reason_name(vcpu->post_reason), vcpu->post_token,
			    (unsigned long long)vcpu->post_tick);
}

static void on_reason_write(struct slot_state *state, const struct sim_trace_event *event,
			    const struct oracle_probe_event *probe, uint32_t new_reason)
{
	struct slot_vcpu *vcpu = &state->vcpus[probe->vcpu];
	bool same = vcpu->token_reported && vcpu->reported_token == probe->token;
	const char *what = "an unknown reason with";

	if (new_reason == ORACLE_REASON_NOT_PRESENT)
		what = "page-not-present";
	else if (new_reason == ORACLE_REASON_PAGE_READY)
		what = "page-ready";
	vcpu->token_reported = false;
	if (probe->reason != 0 && !same)
		report_overwrite(state, event, probe, what);
	vcpu->post_reason = new_reason;
	vcpu->post_token = probe->token;
	vcpu->post_tick = event->tick;
}

static void slot_event(void *opaque, const struct world *world, const struct sim_trace_event *event)
{
	struct slot_state *state = opaque;
	struct oracle_probe_event probe;
	struct slot_vcpu *vcpu;

	(void)world;
	switch (oracle_probe_decode(event, &probe)) {
	case ORACLE_PROBE_NP:
	case ORACLE_PROBE_PR:
	case ORACLE_PROBE_SLOT_TOKEN:
	case ORACLE_PROBE_SLOT_CLEAR:
	case ORACLE_PROBE_SLOT_REASON:
		break;
	default:
		return;
	}
	if (probe.vcpu >= state->view.vcpu_count) {
		state->ignored++;
		return;
	}
	vcpu = &state->vcpus[probe.vcpu];
	switch (probe.probe) {
	case ORACLE_PROBE_NP:
		on_reason_write(state, event, &probe, ORACLE_REASON_NOT_PRESENT);
		break;
	case ORACLE_PROBE_PR:
		on_reason_write(state, event, &probe, ORACLE_REASON_PAGE_READY);
		break;
	case ORACLE_PROBE_SLOT_REASON:
		on_reason_write(state, event, &probe, 0xffffffffu);
		break;
	case ORACLE_PROBE_SLOT_TOKEN:
		/* Token 0 after a clear is part of clearing; a post of token 0 is
		 * still caught at its reason write. */
		vcpu->token_reported = false;
		if (probe.reason != 0 && probe.token != 0) {
			report_overwrite(state, event, &probe, "the");
			vcpu->token_reported = true;
			vcpu->reported_token = probe.token;
		}
		break;
	case ORACLE_PROBE_SLOT_CLEAR:
		vcpu->token_reported = false;
		vcpu->post_reason = 0;
		vcpu->post_token = 0;
		vcpu->post_tick = event->tick;
		break;
	default:
		break;
	}
}

static void slot_finish(void *opaque, const struct world *world)
{
	(void)opaque;
	(void)world;
}

int oracle_slot_create_view(void **out, const struct oracle_view *view)
{
	return ORACLE_STATE_NEW(struct slot_state, out, view);
}

static int slot_create(void **out, const struct world *world)
{
	return oracle_create_from_world(out, world, oracle_slot_create_view);
}

static void slot_destroy(void *opaque)
{
	ORACLE_STATE_FREE(struct slot_state, opaque);
}

const struct world_oracle_ops oracle_slot_ops = {
	.name = "slot-never-overwritten",
	.summary = "the host never writes a notification into an occupied shared slot",
	.create = slot_create,
	.event = slot_event,
	.finish = slot_finish,
	.destroy = slot_destroy,
};

// SPDX-License-Identifier: MIT
/*
 * Oracle "bounds" (docs/oracles.md): the host never has more than
 * ASYNC_PF_PER_VCPU (64) works outstanding on a vCPU [R§4.1, R§4.5], and a
 * guest CPU's waiter table never holds more than its capacity, twice the
 * host's SLOTS [R§5.2, R§5.3, R§10.6].
 *
 * Host: at every apf-np it reads the vCPU's queued count
 * (kvm_sim_vcpu_apf_state()); at the end the per-vCPU maximum
 * (kvm_sim_vcpu_apf_stats().queued_max) catches what happened between
 * posts. Guest: at every guest-park it reads the CPU's table count
 * (kvm_async_pf_table_count()) against kvm_async_pf_table_capacity(); at
 * the end the world's guest_table_max against guest_table_capacity.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim/limits.h"
#include "sim/world.h"

#include "oracle_private.h"

struct bounds_vcpu {
	bool host_reported;
	bool guest_reported;
};

struct bounds_state {
	struct oracle_view view;
	struct oracle_budget budget;
	struct bounds_vcpu *vcpus;
	uint32_t host_max;  /* most works seen at a post */
	uint32_t guest_max; /* most table entries seen at a park */
	uint64_t ignored;
};

static void check_host(struct bounds_state *state, const struct sim_trace_event *event,
		       const struct oracle_probe_event *probe)
{
	struct bounds_vcpu *vcpu = &state->vcpus[probe->vcpu];
	struct kvm_sim_apf_state host;

	if (state->view.host_state == NULL ||
	    state->view.host_state(state->view.ctx, probe->vcpu, &host) != 0)
		return;
	if (host.queued > state->host_max)
		state->host_max = host.queued;
	if (host.queued <= ORACLE_HOST_QUEUE_MAX || vcpu->host_reported)
		return;
	vcpu->host_reported = true;
	(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_HOST_QUEUE, __FILE__,
			    __LINE__,
			    "vCPU %u has %u works queued (limit %u) when posting token 0x%x at "
			    "tick %llu (thread %u %s)",
			    probe->vcpu, host.queued, ORACLE_HOST_QUEUE_MAX, probe->token,
			    (unsigned long long)event->tick, event->thread_id,
			    oracle_thread_name(&state->view, event->thread_id));
}

static void check_guest(struct bounds_state *state, const struct sim_trace_event *event,
			const struct oracle_probe_event *probe)
{
	struct bounds_vcpu *vcpu = &state->vcpus[probe->vcpu];
	uint32_t capacity;
	uint32_t count;

	if (state->view.guest_table_count == NULL || state->view.guest_table_capacity == NULL)
		return;
	capacity = state->view.guest_table_capacity(state->view.ctx);
	count = state->view.guest_table_count(state->view.ctx, probe->vcpu);
	if (count > state->guest_max)
		state->guest_max = count;
	if (capacity == 0 || count <= capacity || vcpu->guest_reported)
		return;
	vcpu->guest_reported = true;
	(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_GUEST_TABLE, __FILE__,
			    __LINE__,
			    "CPU %u's async-PF table holds %u entries (capacity %u) when thread %u "
			    "(%s) parks on token 0x%x at tick %llu",
			    probe->vcpu, count, capacity, probe->thread,
			    oracle_thread_name(&state->view, probe->thread), probe->token,
			    (unsigned long long)event->tick);
}

static void bounds_event(void *opaque, const struct world *world,
			 const struct sim_trace_event *event)
{
	struct bounds_state *state = opaque;
	struct oracle_probe_event probe;
	enum oracle_probe kind = oracle_probe_decode(event, &probe);

	(void)world;
	if (kind != ORACLE_PROBE_NP && kind != ORACLE_PROBE_PARK)
		return;
	if (probe.vcpu >= state->view.vcpu_count) {
		state->ignored++;
		return;
	}
	if (kind == ORACLE_PROBE_NP)
		check_host(state, event, &probe);
	else
		check_guest(state, event, &probe);
}

static void bounds_finish(void *opaque, const struct world *world)
{
	struct bounds_state *state = opaque;
	const struct world_stats *stats = NULL;

	(void)world;
	for (uint32_t v = 0; v < state->view.vcpu_count && state->view.host_stats != NULL; v++) {
		struct kvm_sim_apf_stats host;

		if (state->vcpus[v].host_reported ||
		    state->view.host_stats(state->view.ctx, v, &host) != 0 ||
		    host.queued_max <= ORACLE_HOST_QUEUE_MAX)
			continue;
		state->vcpus[v].host_reported = true;
		(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_HOST_QUEUE,
				    __FILE__, __LINE__,
				    "vCPU %u had up to %llu works queued during the run (limit %u)",
				    v, (unsigned long long)host.queued_max, ORACLE_HOST_QUEUE_MAX);
	}
	if (state->view.stats != NULL)
		stats = state->view.stats(state->view.ctx);
	if (stats == NULL || stats->guest_table_capacity == 0 ||
	    stats->guest_table_max <= stats->guest_table_capacity)
		return;
	for (uint32_t v = 0; v < state->view.vcpu_count; v++) {
		if (state->vcpus[v].guest_reported)
			return; /* already reported at a park */
	}
	(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_GUEST_TABLE, __FILE__,
			    __LINE__,
			    "a CPU's async-PF table held %u entries during the run (capacity %u)",
			    stats->guest_table_max, stats->guest_table_capacity);
}

int oracle_bounds_create_view(void **out, const struct oracle_view *view)
{
	return ORACLE_STATE_NEW(struct bounds_state, out, view);
}

static int bounds_create(void **out, const struct world *world)
{
	return oracle_create_from_world(out, world, oracle_bounds_create_view);
}

static void bounds_destroy(void *opaque)
{
	ORACLE_STATE_FREE(struct bounds_state, opaque);
}

const struct world_oracle_ops oracle_bounds_ops = {
	.name = "bounds",
	.summary = "at most 64 host works per vCPU; guest tables never beyond capacity",
	.create = bounds_create,
	.event = bounds_event,
	.finish = bounds_finish,
	.destroy = bounds_destroy,
};

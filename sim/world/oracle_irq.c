// SPDX-License-Identifier: MIT
/*
 * Oracle "irq-storm" (docs/oracles.md): the page-ready PPI is level
 * triggered; the host lowers it only at IRQ_ACK [R§4.7]. A guest that takes
 * it without acknowledging (a bad reason in the slot [R§5.6, R§9.6,
 * R§10.4]) sees it again and again. This oracle counts the IRQ exceptions
 * taken for the PPI on each vCPU (SIM_TRACE_IRQ "irq-vector*" events whose
 * highest pending INTID is the PPI) since the last apf-pr on that vCPU or
 * the last IRQ_ACK the host counted (kvm_sim_vcpu_apf_stats().irq_ack, read
 * at each such exception); more than the bound is irq-storm, reported once
 * per storm.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim/limits.h"

#include "oracle_private.h"

struct irq_vcpu {
	uint32_t count;        /* PPI exceptions since the last page-ready or IRQ_ACK */
	bool ack_known;
	uint64_t irq_ack;      /* host's IRQ_ACK count at the last exception */
	bool reported;         /* this storm was reported */
	uint32_t pr_token;     /* last page-ready posted here */
	uint64_t pr_tick;
	uint64_t first_tick;   /* first exception counted in this run of them */
};

struct irq_state {
	struct oracle_view view;
	struct oracle_budget budget;
	struct irq_vcpu *vcpus;
	uint32_t bound;
	uint32_t count_max;    /* longest run seen */
	uint64_t ignored;
};

static void irq_restart(struct irq_vcpu *vcpu)
{
	vcpu->count = 0;
	vcpu->reported = false;
}

static void on_exception(struct irq_state *state, const struct sim_trace_event *event,
			 uint32_t v)
{
	struct irq_vcpu *vcpu = &state->vcpus[v];
	struct kvm_sim_apf_stats stats;

	if (state->view.host_stats != NULL &&
	    state->view.host_stats(state->view.ctx, v, &stats) == 0) {
		if (vcpu->ack_known && stats.irq_ack != vcpu->irq_ack)
			irq_restart(vcpu);
		vcpu->ack_known = true;
		vcpu->irq_ack = stats.irq_ack;
	}
	if (vcpu->count == 0)
		vcpu->first_tick = event->tick;
	if (vcpu->count < UINT32_MAX)
		vcpu->count++;
	if (vcpu->count > state->count_max)
		state->count_max = vcpu->count;
	if (vcpu->count <= state->bound || vcpu->reported)
		return;
	vcpu->reported = true;
	(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_IRQ_STORM, __FILE__,
			    __LINE__,
			    "page-ready PPI %u taken %u times on vCPU %u from tick %llu to %llu "
			    "(thread %u %s) without a page-ready post or IRQ_ACK (bound %u; last "
			    "page-ready: token 0x%x at tick %llu)",
			    state->view.ppi, vcpu->count, v, (unsigned long long)vcpu->first_tick,
			    (unsigned long long)event->tick, event->thread_id,
			    oracle_thread_name(&state->view, event->thread_id), state->bound,
			    vcpu->pr_token, (unsigned long long)vcpu->pr_tick);
}

static void irq_event(void *opaque, const struct world *world, const struct sim_trace_event *event)
{
	struct irq_state *state = opaque;
	struct oracle_probe_event probe;
	enum oracle_probe kind = oracle_probe_decode(event, &probe);

	(void)world;
	if (kind != ORACLE_PROBE_PR && kind != ORACLE_PROBE_IRQ)
		return;
	if (probe.vcpu >= state->view.vcpu_count) {
		state->ignored++;
		return;
	}
	if (kind == ORACLE_PROBE_PR) {
		irq_restart(&state->vcpus[probe.vcpu]);
		state->vcpus[probe.vcpu].pr_token = probe.token;
		state->vcpus[probe.vcpu].pr_tick = event->tick;
	} else if (probe.intid == state->view.ppi) {
		on_exception(state, event, probe.vcpu);
	}
}

static void irq_finish(void *opaque, const struct world *world)
{
	(void)opaque;
	(void)world;
}

int oracle_irq_create_view(void **out, const struct oracle_view *view)
{
	int ret = ORACLE_STATE_NEW(struct irq_state, out, view);
	struct irq_state *state;

	if (ret != 0)
		return ret;
	state = *out;
	state->bound = view->irq_storm_bound != 0 ? view->irq_storm_bound
						  : ORACLE_IRQ_STORM_BOUND_DEFAULT;
	return 0;
}

static int irq_create(void **out, const struct world *world)
{
	return oracle_create_from_world(out, world, oracle_irq_create_view);
}

static void irq_destroy(void *opaque)
{
	ORACLE_STATE_FREE(struct irq_state, opaque);
}

const struct world_oracle_ops oracle_irq_ops = {
	.name = "irq-storm",
	.summary = "the level page-ready PPI is not taken over and over without page-ready/IRQ_ACK",
	.create = irq_create,
	.event = irq_event,
	.finish = irq_finish,
	.destroy = irq_destroy,
};

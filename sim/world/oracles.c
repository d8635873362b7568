// SPDX-License-Identifier: MIT
/*
 * The oracle registry (sim/world/include/sim/world_oracle.h) and what the
 * oracles share (oracle_private.h): the view of a world, the report budget
 * and the decoding of the probe events. See docs/oracles.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/limits.h"
#include "sim/sim.h"
#include "sim/world.h"
#include "sim/world_oracle.h"

#include "oracle_private.h"
#include "oracle_ready.h"
#include "sim/assert.h"

/* The guest half's read-only table accessors (lockless, engine context). */
#include "kvm_apf.h"

/* Bit n of world_config.oracle_mask is entry n: keep the order. */
static const struct world_oracle_ops *const oracle_list[] = {
	&oracle_wake_ops,
	&oracle_token_ops,
	&oracle_slot_ops,
	&oracle_bounds_ops,
	&oracle_irq_ops,
	&oracle_ready_ops, /* oracle_ready.c */
	NULL,
};

const struct world_oracle_ops *const *world_oracle_list(void)
{
	return oracle_list;
}

uint32_t world_oracle_count(void)
{
	return (uint32_t)(sizeof(oracle_list) / sizeof(oracle_list[0]) - 1);
}

int world_oracle_find(const char *name)
{
	for (uint32_t i = 0; name != NULL && oracle_list[i] != NULL; i++) {
		if (strcmp(oracle_list[i]->name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* ---- The view of a world ---- */

static const struct world *view_world(void *ctx)
{
	return ctx;
}

static void world_view_report(void *ctx, const char *class_name, const char *file, int line,
			      const char *message)
{
	sim_report(world_sim(view_world(ctx)), class_name, file, line, "%s", message);
}

static const char *world_view_thread_name(void *ctx, uint32_t thread_id)
{
	const struct sim *sim = world_sim(view_world(ctx));

	if (sim == NULL || thread_id >= sim_thread_count(sim))
		return NULL;
	return sim_thread_name(sim, thread_id);
}

static int world_view_host_state(void *ctx, uint32_t vcpu, struct kvm_sim_apf_state *out)
{
	const struct kvm_sim *kvm = world_kvm(view_world(ctx));

	return kvm == NULL ? -ENODEV : kvm_sim_vcpu_apf_state(kvm, vcpu, out);
}

static int world_view_host_stats(void *ctx, uint32_t vcpu, struct kvm_sim_apf_stats *out)
{
	const struct kvm_sim *kvm = world_kvm(view_world(ctx));

	return kvm == NULL ? -ENODEV : kvm_sim_vcpu_apf_stats(kvm, vcpu, out);
}

static uint32_t world_view_table_count(void *ctx, uint32_t cpu)
{
	(void)ctx;
	if (cpu >= SIM_VCPU_COUNT_MAX)
		return 0;
	return kvm_async_pf_table_count((int)cpu);
}

static uint32_t world_view_table_capacity(void *ctx)
{
	(void)ctx;
	return kvm_async_pf_table_capacity();
}

static const struct world_stats *world_view_stats(void *ctx)
{
	return world_stats(view_world(ctx));
}

static uint32_t world_view_finding_count(void *ctx)
{
	const struct sim *sim = world_sim(view_world(ctx));

	return sim == NULL ? 0 : sim_result(sim)->finding_count;
}

void oracle_view_of_world(struct oracle_view *view, const struct world *world)
{
	const struct world_config *config = world_config(world);

	memset(view, 0, sizeof(*view));
	/* The accessors take a const world; the view only passes it back to them. */
	view->ctx = (void *)(uintptr_t)world;
	view->vcpu_count = config->vcpu_count;
	view->ppi = config->ppi;
	view->irq_storm_bound = config->irq_storm_bound;
	view->report = world_view_report;
	view->thread_name = world_view_thread_name;
	view->host_state = world_view_host_state;
	view->host_stats = world_view_host_stats;
	view->guest_table_count = world_view_table_count;
	view->guest_table_capacity = world_view_table_capacity;
	view->stats = world_view_stats;
	view->finding_count = world_view_finding_count;
}

int oracle_view_check(const struct oracle_view *view)
{
	if (view == NULL || view->vcpu_count == 0 || view->vcpu_count > SIM_VCPU_COUNT_MAX)
		return -EINVAL;
	return 0;
}

/* ---- State ---- */

int oracle_state_new(void **out, const struct oracle_view *view, size_t state_size,
		     size_t view_offset, size_t vcpus_offset, size_t vcpu_size)
{
	char *state;
	void *vcpus;

	if (out == NULL || oracle_view_check(view) != 0)
		return -EINVAL;
	SIM_ASSERT(view_offset + sizeof(*view) <= state_size);
	SIM_ASSERT(vcpus_offset + sizeof(void *) <= state_size);
	state = calloc(1, state_size);
	vcpus = calloc(view->vcpu_count, vcpu_size);
	if (state == NULL || vcpus == NULL) {
		free(state);
		free(vcpus);
		return -ENOMEM;
	}
	memcpy(state + view_offset, view, sizeof(*view));
	memcpy(state + vcpus_offset, &vcpus, sizeof(vcpus));
	*out = state;
	return 0;
}

void oracle_state_free(void *state, size_t vcpus_offset)
{
	void *vcpus;

	if (state == NULL)
		return;
	memcpy(&vcpus, (char *)state + vcpus_offset, sizeof(vcpus));
	free(vcpus);
	free(state);
}

int oracle_create_from_world(void **out, const struct world *world,
			     int (*create_view)(void **out, const struct oracle_view *view))
{
	struct oracle_view view;

	oracle_view_of_world(&view, world);
	return create_view(out, &view);
}

/* ---- Reports ---- */

bool oracle_report(const struct oracle_view *view, struct oracle_budget *budget,
		   const char *class_name, const char *file, int line, const char *fmt, ...)
{
	char message[ORACLE_MESSAGE_SIZE];
	va_list ap;

	if (budget->reported >= ORACLE_REPORT_MAX) {
		budget->suppressed++;
		return false;
	}
	budget->reported++;
	va_start(ap, fmt);
	(void)vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (view->report != NULL)
		view->report(view->ctx, class_name, file, line, message);
	return true;
}

const char *oracle_thread_name(const struct oracle_view *view, uint32_t thread_id)
{
	const char *name = NULL;

	if (view->thread_name != NULL)
		name = view->thread_name(view->ctx, thread_id);
	return name != NULL ? name : "?";
}

/* ---- Probe events ---- */

static bool label_is(const struct sim_trace_event *event, const char *label)
{
	return event->label != NULL && strcmp(event->label, label) == 0;
}

static void decode_slot(const struct sim_trace_event *event, struct oracle_probe_event *out)
{
	out->token = (uint32_t)event->a;
	out->vcpu = (uint32_t)(event->b >> 32);
	out->reason = (uint32_t)event->b;
}

static enum oracle_probe decode_token(const struct sim_trace_event *event,
				      struct oracle_probe_event *out)
{
	if (label_is(event, "guest-park") || label_is(event, "guest-unpark")) {
		out->token = (uint32_t)event->a;
		out->vcpu = (uint32_t)(event->b >> 32);
		out->thread = (uint32_t)event->b;
		return label_is(event, "guest-park") ? ORACLE_PROBE_PARK : ORACLE_PROBE_UNPARK;
	}
	if (label_is(event, "apf-reset")) {
		out->vcpu = (uint32_t)event->b;
		return ORACLE_PROBE_RESET;
	}
	decode_slot(event, out);
	if (label_is(event, "apf-slot-token"))
		return ORACLE_PROBE_SLOT_TOKEN;
	if (label_is(event, "apf-slot-clear"))
		return ORACLE_PROBE_SLOT_CLEAR;
	if (label_is(event, "apf-slot-reason"))
		return ORACLE_PROBE_SLOT_REASON;
	return ORACLE_PROBE_NONE;
}

enum oracle_probe oracle_probe_decode(const struct sim_trace_event *event,
				      struct oracle_probe_event *out)
{
	enum oracle_probe probe = ORACLE_PROBE_NONE;

	memset(out, 0, sizeof(*out));
	switch (event->kind) {
	case SIM_TRACE_TOKEN_NOT_PRESENT:
		if (label_is(event, "apf-np")) {
			decode_slot(event, out);
			probe = ORACLE_PROBE_NP;
		}
		break;
	case SIM_TRACE_TOKEN_READY:
		if (label_is(event, "apf-pr")) {
			decode_slot(event, out);
			probe = ORACLE_PROBE_PR;
		}
		break;
	case SIM_TRACE_TOKEN:
		probe = decode_token(event, out);
		break;
	case SIM_TRACE_USER:
		if (label_is(event, "world-event")) {
			out->token = (uint32_t)event->a;
			/* ~0 (as a 32- or 64-bit value) means every CPU. */
			out->vcpu = event->b >= ORACLE_CPU_ALL ? ORACLE_CPU_ALL
							       : (uint32_t)event->b;
			probe = ORACLE_PROBE_WORLD_EVENT;
		} else if (label_is(event, "world-liveness")) {
			probe = ORACLE_PROBE_LIVENESS;
		}
		break;
	case SIM_TRACE_IRQ:
		/* platform_irq_exception(): "irq-vector" or "irq-vector-resume";
		 * "irq-line-*" and "sgi" are line changes, not exceptions. */
		if (event->label != NULL && strncmp(event->label, "irq-vector", 10) == 0) {
			out->intid = (uint32_t)event->a;
			out->vcpu = (uint32_t)event->b;
			probe = ORACLE_PROBE_IRQ;
		}
		break;
	default:
		break;
	}
	out->probe = probe;
	return probe;
}

/* SPDX-License-Identifier: MIT */
/*
 * Internals of the protocol oracles (sim/world/oracle_*.c, docs/oracles.md).
 *
 * Each oracle's logic works on the trace events it is fed and on a small
 * read-only "view" of the execution (configuration values and a few query
 * callbacks), so that unit tests can drive it with synthetic event
 * sequences and a fake view, without a world. The world_oracle_ops of an
 * oracle build the view from the world's accessors (oracle_view_of_world())
 * in create; event and finish use the view kept in the state and ignore
 * their world argument.
 */
#ifndef SIM_WORLD_ORACLE_PRIVATE_H
#define SIM_WORLD_ORACLE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/kvm.h"
#include "sim/trace.h"
#include "sim/world_oracle.h"

struct world_stats;

/* Findings one oracle reports at most per execution (the rest are counted). */
#define ORACLE_REPORT_MAX 3u
/* Longest message an oracle formats (the engine keeps SIM_FINDING_MESSAGE_SIZE). */
#define ORACLE_MESSAGE_SIZE 256u
/* The host's limit of outstanding works per vCPU (ASYNC_PF_PER_VCPU) [R§4.1]. */
#define ORACLE_HOST_QUEUE_MAX 64u
/* The wake-all token [R§3.2]. */
#define ORACLE_TOKEN_WAKE_ALL 0xffffffffu
/* irq-storm bound when the configuration leaves it 0. */
#define ORACLE_IRQ_STORM_BOUND_DEFAULT 16u
/* Shared-slot reasons [R§3.1]. */
#define ORACLE_REASON_NOT_PRESENT 1u
#define ORACLE_REASON_PAGE_READY 2u

/* What an oracle may look at besides the events; every callback may be NULL. */
struct oracle_view {
	void *ctx;
	uint32_t vcpu_count;      /* 1 .. SIM_VCPU_COUNT_MAX */
	uint32_t ppi;             /* the page-ready PPI */
	uint32_t irq_storm_bound; /* 0: ORACLE_IRQ_STORM_BOUND_DEFAULT */
	/* Record a finding (sim_report() for a world). */
	void (*report)(void *ctx, const char *class_name, const char *file, int line,
		       const char *message);
	/* Name of a thread, or NULL if unknown. */
	const char *(*thread_name)(void *ctx, uint32_t thread_id);
	/* Read-only snapshots of the host (kvm_sim_vcpu_apf_state/stats). Return: 0 or -errno. */
	int (*host_state)(void *ctx, uint32_t vcpu, struct kvm_sim_apf_state *out);
	int (*host_stats)(void *ctx, uint32_t vcpu, struct kvm_sim_apf_stats *out);
	/* The guest driver's table (kvm_async_pf_table_count/capacity); 0 without tables. */
	uint32_t (*guest_table_count)(void *ctx, uint32_t cpu);
	uint32_t (*guest_table_capacity)(void *ctx);
	/* End-of-run figures (world_stats()), or NULL. */
	const struct world_stats *(*stats)(void *ctx);
	/* Findings recorded so far in the execution (sim_result()->finding_count). */
	uint32_t (*finding_count)(void *ctx);
};

/* The view of a real world: its config, sim_report(), host and guest accessors. */
void oracle_view_of_world(struct oracle_view *view, const struct world *world);

/* Check a view (vcpu_count in range). Return: 0 or -EINVAL. */
int oracle_view_check(const struct oracle_view *view);

/*
 * The allocation every oracle's state shares: a zeroed state of
 * @state_size bytes holding a copy of @view at @view_offset and, at
 * @vcpus_offset, a pointer to a zeroed array of view->vcpu_count elements of
 * @vcpu_size bytes. Return: 0, -EINVAL (bad view), -ENOMEM.
 * Use ORACLE_STATE_NEW / ORACLE_STATE_FREE.
 */
int oracle_state_new(void **out, const struct oracle_view *view, size_t state_size,
		     size_t view_offset, size_t vcpus_offset, size_t vcpu_size);
void oracle_state_free(void *state, size_t vcpus_offset);
#define ORACLE_STATE_NEW(type, out_, view_)                                              \
	oracle_state_new(out_, view_, sizeof(type), offsetof(type, view),                \
			 offsetof(type, vcpus), sizeof(*((type *)NULL)->vcpus))
#define ORACLE_STATE_FREE(type, state_) oracle_state_free(state_, offsetof(type, vcpus))

/* An oracle's create(): the view of @world handed to its @create_view. */
int oracle_create_from_world(void **out, const struct world *world,
			     int (*create_view)(void **out, const struct oracle_view *view));

/* Report budget of one oracle. */
struct oracle_budget {
	uint32_t reported;
	uint32_t suppressed;
};

/*
 * Report a finding through @view unless @budget is spent (then it is only
 * counted). Return: true if it was reported.
 */
__attribute__((format(printf, 6, 7))) bool
oracle_report(const struct oracle_view *view, struct oracle_budget *budget,
	      const char *class_name, const char *file, int line, const char *fmt, ...);

/* "name" of a thread for messages ("?" if unknown). */
const char *oracle_thread_name(const struct oracle_view *view, uint32_t thread_id);

/* Probe events decoded (see the table in sim/world_oracle.h). */
enum oracle_probe {
	ORACLE_PROBE_NONE = 0,
	ORACLE_PROBE_NP,          /* apf-np: token, vcpu, old reason */
	ORACLE_PROBE_PR,          /* apf-pr: token, vcpu, old reason */
	ORACLE_PROBE_SLOT_TOKEN,  /* apf-slot-token: new token, vcpu, reason then */
	ORACLE_PROBE_SLOT_CLEAR,  /* apf-slot-clear: old token, vcpu, old reason */
	ORACLE_PROBE_SLOT_REASON, /* apf-slot-reason: token, vcpu, old reason (odd value) */
	ORACLE_PROBE_RESET,       /* apf-reset: vcpu */
	ORACLE_PROBE_PARK,        /* guest-park: token, cpu, thread */
	ORACLE_PROBE_UNPARK,      /* guest-unpark: token, cpu, thread */
	ORACLE_PROBE_WORLD_EVENT, /* world-event: class, cpu or all */
	ORACLE_PROBE_LIVENESS,    /* world-liveness */
	ORACLE_PROBE_IRQ,         /* IRQ exception: intid, vcpu */
};

struct oracle_probe_event {
	enum oracle_probe probe;
	uint32_t token;   /* token (NP, PR, slot, park) or event class */
	uint32_t vcpu;    /* vCPU or CPU; ORACLE_CPU_ALL for a world-event on all CPUs */
	uint32_t reason;  /* old reason / reason then (slot probes) */
	uint32_t thread;  /* park/unpark: the task's thread id */
	uint32_t intid;   /* IRQ exception */
};

#define ORACLE_CPU_ALL 0xffffffffu

/* Decode @event. Return: its probe (ORACLE_PROBE_NONE for anything else). */
enum oracle_probe oracle_probe_decode(const struct sim_trace_event *event,
				      struct oracle_probe_event *out);

/* The oracles, in registry order; and how tests create one on a fake view. */
extern const struct world_oracle_ops oracle_wake_ops;
extern const struct world_oracle_ops oracle_token_ops;
extern const struct world_oracle_ops oracle_slot_ops;
extern const struct world_oracle_ops oracle_bounds_ops;
extern const struct world_oracle_ops oracle_irq_ops;

int oracle_wake_create_view(void **state, const struct oracle_view *view);
int oracle_token_create_view(void **state, const struct oracle_view *view);
int oracle_slot_create_view(void **state, const struct oracle_view *view);
int oracle_bounds_create_view(void **state, const struct oracle_view *view);
int oracle_irq_create_view(void **state, const struct oracle_view *view);

#endif /* SIM_WORLD_ORACLE_PRIVATE_H */

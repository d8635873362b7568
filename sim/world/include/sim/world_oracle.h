/* SPDX-License-Identifier: MIT */
/*
 * Protocol oracles: separate modules that watch one world execution with
 * read-only access and report findings. Each sees every trace event as it
 * is emitted (the engine's trace listener) and gets a last look after the
 * run. They must not change the state they watch: no schedule point, no
 * blocking, no write to guest memory or to the host; only the read-only
 * accessors (kvm_sim_vcpu_apf_state(), kvm_sim_vcpu_apf_stats(),
 * sim_gic_*() queries, world_stats()) and sim_report().
 *
 * Probe events (emitted by the layers for the oracles; docs/world.md):
 *
 *   kind                         label              a              b
 *   SIM_TRACE_TOKEN_NOT_PRESENT  "apf-np"           token          vcpu << 32 | old reason
 *   SIM_TRACE_TOKEN_READY        "apf-pr"           token          vcpu << 32 | old reason
 *   SIM_TRACE_TOKEN              "apf-slot-token"   new token      vcpu << 32 | reason then
 *   SIM_TRACE_TOKEN              "apf-slot-clear"   token then     vcpu << 32 | old reason
 *   SIM_TRACE_TOKEN              "apf-slot-reason"  token then     vcpu << 32 | old reason
 *   SIM_TRACE_TOKEN              "apf-reset"        0              vcpu
 *   SIM_TRACE_TOKEN              "guest-park"       token          cpu << 32 | thread id
 *   SIM_TRACE_TOKEN              "guest-unpark"     token          cpu << 32 | thread id
 *   SIM_TRACE_USER               "world-event"      event class    cpu (or ~0 for all)
 *   SIM_TRACE_USER               "world-liveness"   0              0
 *   SIM_TRACE_IRQ                (platform)         intid          vcpu   (an IRQ exception)
 *
 * "apf-np"/"apf-pr"/"apf-slot-*" are the host's writes of vCPU v's shared
 * slot (sim/kvm sees every write of the slot: the token word first, the
 * reason word last); "old reason" is what the slot held just before the
 * store (read atomically with it), "token then"/"reason then" the other word
 * right after it. "apf-slot-reason" is a reason that is neither 0, 1 nor 2.
 * "apf-reset": the host dropped v's async-PF state (vCPU reset, migration
 * restore, or the guest disabled async PF). "guest-park": a task enters the
 * guest's async-PF wait on the way back to user mode (token found in its
 * CPU's table, 0 if none); "guest-unpark": it left the wait.
 */
#ifndef SIM_WORLD_ORACLE_H
#define SIM_WORLD_ORACLE_H

#include <stdint.h>

#include "sim/trace.h"

struct world;

/* Finding classes of the oracles. */
#define WORLD_FINDING_WRONG_WAKE "wrong-wake"         /* a parked task left its wait with
						       * neither its page-ready nor a wake-all */
#define WORLD_FINDING_LOST_WAKE "lost-wake"           /* a parked task never left its wait */
#define WORLD_FINDING_TOKEN_REUSE "token-reuse"       /* a token posted while still live */
#define WORLD_FINDING_SLOT_OVERWRITE "slot-overwrite" /* the host wrote an occupied slot */
#define WORLD_FINDING_HOST_QUEUE "host-queue-overflow" /* more than 64 works on a vCPU */
#define WORLD_FINDING_GUEST_TABLE "guest-table-overflow" /* more entries than SLOTS*2 */
#define WORLD_FINDING_IRQ_STORM "irq-storm"           /* the level PPI re-delivered unboundedly */
#define WORLD_FINDING_STRAY_PAGE_READY "stray-page-ready" /* a page-ready of a token whose
							   * page-not-present the guest never got */

struct world_oracle_ops {
	const char *name;    /* "wake-once", "token-unique", ... */
	const char *summary; /* one line for `apfsim oracles` */
	/* Allocate the oracle's state for one execution. Return: 0 or -ENOMEM. */
	int (*create)(void **state, const struct world *world);
	/* One trace event, in engine context (must not block). */
	void (*event)(void *state, const struct world *world, const struct sim_trace_event *event);
	/* After the run (the engine has stopped): end-of-execution checks. */
	void (*finish)(void *state, const struct world *world);
	void (*destroy)(void *state);
};

/* The oracles, NULL-terminated; bit n of world_config.oracle_mask is entry n. */
const struct world_oracle_ops *const *world_oracle_list(void);
/* Number of oracles in the list. */
uint32_t world_oracle_count(void);
/* Index of the oracle named @name, or -1. */
int world_oracle_find(const char *name);

#endif /* SIM_WORLD_ORACLE_H */

// SPDX-License-Identifier: MIT
/*
 * Simulated SDEI dispatcher (Arm DEN0054 v1.1), with the edge checks of
 * TF-A's services/std_svc/sdei. See docs/sdei.md for what is modelled.
 *
 * Layout: one struct sim_sdei, allocated once by sim_sdei_create(), holds the
 * event table (with per-PE entries for private events) and the per-PE state
 * (mask, dispatch stack). Nothing is allocated afterwards.
 *
 * Dispatch in the simulator: the platform calls sim_sdei_dispatch() from the
 * thread running on a vCPU. It pushes the interrupted context, sets up the
 * handler registers and calls hooks.enter(), which runs the handler on that
 * same thread. The handler's EVENT_COMPLETE (through sim_sdei_call()) pops the
 * frame and restores the registers at once, as the spec says the call does not
 * return; the handler code then returns from enter(). A Critical event may be
 * dispatched at a schedule point inside a running Normal handler, so dispatch
 * nests on the thread's stack, at most SIM_SDEI_NESTING_MAX deep.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sdei.h"
#include "sim/sim.h"
#include "sdei_private.h"

#define VCPU_NONE_ 0xffffffffu
#define INTID_NONE_ 0xffffffffu
#define FINDING_NO_COMPLETE_ "sdei-no-complete"
#define FINDING_CALL_AFTER_COMPLETE_ "sdei-call-after-complete"

SIM_STATIC_ASSERT(SIM_SDEI_NESTING_MAX == 2u, "one Normal plus one Critical level");
SIM_STATIC_ASSERT(SIM_SDEI_CONTEXT_REG_COUNT <= SIM_ARM_GPR_COUNT,
		  "the saved context is a prefix of the GPRs");
SIM_STATIC_ASSERT(SIM_VCPU_COUNT_MAX < SIM_SDEI_PE_NONE_, "PE indices fit the trace field");
SIM_STATIC_ASSERT(1u + SIM_SDEI_BIND_SLOT_PRIVATE_COUNT + SIM_SDEI_BIND_SLOT_SHARED_COUNT <
			  SIM_SDEI_EVENT_COUNT_MAX,
		  "event 0 and the bind slots leave room for platform events");

/* Registration of an event: per PE for a private event, one for a shared event. */
struct sdei_entry {
	uint64_t entry;       /* handler address */
	uint64_t arg;         /* handler argument (x1 at entry) */
	uint64_t affinity;    /* MPIDR affinity given with RM_PE */
	uint32_t route_vcpu;  /* PE of RM_PE routing, VCPU_NONE_ for RM_ANY */
	uint8_t route_mode;   /* PROTO_SDEI_EVENT_REGISTER_RM_* */
	uint8_t state;        /* enum sdei_state */
	bool pending;         /* a trigger waits to be dispatched */
};

struct sdei_event {
	uint32_t number;
	uint32_t intid;        /* INTID bound by INTERRUPT_BIND, or INTID_NONE_ */
	uint32_t reg_count;    /* PEs registered (private) or 0 / 1 (shared) */
	uint32_t running_vcpu; /* shared: the PE running its handler, or VCPU_NONE_ */
	enum sim_sdei_event_type type;
	enum sim_sdei_priority priority;
	bool signalable;
	bool dynamic;          /* an INTERRUPT_BIND slot */
	bool bound;            /* platform events always; dynamic ones once bound */
	struct sdei_entry entries[SIM_VCPU_COUNT_MAX]; /* private: per PE; shared: [0] */
};

/* The interrupted context saved at dispatch. */
struct sdei_frame {
	uint64_t x[SIM_SDEI_CONTEXT_REG_COUNT];
	uint64_t pc;
	uint64_t pstate;
	uint32_t event_index;
};

struct sdei_pe {
	struct sdei_frame stack[SIM_SDEI_NESTING_MAX];
	/* Whether the completion of each level was COMPLETE_AND_RESUME. */
	bool resumed[SIM_SDEI_NESTING_MAX];
	uint32_t depth;
	/* Bumped by sim_sdei_pe_reset(), so a dispatch can tell its frame is gone. */
	uint32_t generation;
	bool masked;
	/*
	 * The innermost handler has completed but its code has not returned
	 * from enter() yet; any SDEI call it still makes is a client bug.
	 */
	bool returning;
};

struct sim_sdei {
	struct sim_sdei_hooks hooks;
	void *ctx;
	uint32_t vcpu_count;
	uint32_t event_count;
	struct sim_sdei_stats stats;
	struct sdei_event events[SIM_SDEI_EVENT_COUNT_MAX];
	struct sdei_pe pes[SIM_VCPU_COUNT_MAX];
};

static uint64_t sdei_ret(int64_t code)
{
	return (uint64_t)code;
}

static struct sdei_event *event_find(struct sim_sdei *sdei, uint64_t number)
{
	uint32_t i;

	SIM_ASSERT(sdei->event_count <= SIM_SDEI_EVENT_COUNT_MAX);
	for (i = 0; i < sdei->event_count; i++) {
		if (sdei->events[i].number == number)
			return &sdei->events[i];
	}
	return NULL;
}

static bool event_private(const struct sdei_event *ev)
{
	return ev->type == SIM_SDEI_EVENT_PRIVATE;
}

static struct sdei_entry *event_entry(struct sdei_event *ev, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < SIM_VCPU_COUNT_MAX);
	return event_private(ev) ? &ev->entries[vcpu] : &ev->entries[0];
}

static const struct sdei_entry *event_entry_const(const struct sdei_event *ev, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < SIM_VCPU_COUNT_MAX);
	return event_private(ev) ? &ev->entries[vcpu] : &ev->entries[0];
}

static uint32_t event_trace_pe(const struct sdei_event *ev, uint32_t vcpu)
{
	return event_private(ev) ? vcpu : SIM_SDEI_PE_NONE_;
}

static bool event_trans(struct sdei_event *ev, uint32_t vcpu, enum sdei_action action)
{
	return sim__sdei_state_trans(&event_entry(ev, vcpu)->state, action, ev->number,
				     event_trace_pe(ev, vcpu));
}

static void report(const char *class_name, const char *message, uint32_t event, uint32_t vcpu)
{
	struct sim *sim = sim_self();

	SIM_ASSERT(class_name != NULL);
	SIM_ASSERT(message != NULL);
	/* Outside an execution the counters in sim_sdei_stats are the record. */
	if (sim != NULL)
		sim_report(sim, class_name, __FILE__, __LINE__, "event %u on vcpu %u: %s", event,
			   vcpu, message);
}

/* The PE with MPIDR @mpidr, or -1. Default layout: KVM's reset MPIDR. */
static int mpidr_to_vcpu(const struct sim_sdei *sdei, uint64_t mpidr)
{
	uint64_t affinity = mpidr & SDEI_MPIDR_AFFINITY_MASK_;
	uint64_t aff0 = affinity & 0xffu;
	uint64_t aff1 = (affinity >> 8) & 0xffu;
	int vcpu;

	SIM_ASSERT(sdei->vcpu_count <= SIM_VCPU_COUNT_MAX);
	if (sdei->hooks.mpidr_to_vcpu != NULL) {
		vcpu = sdei->hooks.mpidr_to_vcpu(sdei->ctx, affinity);
		return (vcpu >= 0 && (uint32_t)vcpu < sdei->vcpu_count) ? vcpu : -1;
	}
	/* Aff2 and Aff3 are 0 and Aff0 stays below 16 in KVM's layout. */
	if ((affinity >> 16) != 0 || aff0 >= 16u)
		return -1;
	vcpu = (int)((aff1 << 4) | aff0);
	SIM_ASSERT(vcpu >= 0);
	return (uint32_t)vcpu < sdei->vcpu_count ? vcpu : -1;
}

static bool address_valid(const struct sim_sdei *sdei, uint64_t address)
{
	if (address == 0)
		return false;
	return sdei->hooks.address_valid == NULL || sdei->hooks.address_valid(sdei->ctx, address);
}

static bool intid_active(const struct sim_sdei *sdei, const struct sdei_event *ev)
{
	if (ev->intid == INTID_NONE_ || sdei->hooks.intid_active == NULL)
		return false;
	return sdei->hooks.intid_active(sdei->ctx, ev->intid);
}

/*
 * REGISTER and ROUTING_SET flags: RM_ANY, or RM_PE with the MPIDR of a PE
 * (TF-A validate_flags()). Return: 0 or PROTO_SDEI_INVALID_PARAMETERS.
 */
static int64_t routing_validate(const struct sim_sdei *sdei, uint64_t mode, uint64_t affinity,
				uint32_t *route_vcpu)
{
	int vcpu;

	SIM_ASSERT(route_vcpu != NULL);
	if (mode == PROTO_SDEI_EVENT_REGISTER_RM_ANY) {
		*route_vcpu = VCPU_NONE_;
		return PROTO_SDEI_SUCCESS;
	}
	if (mode != PROTO_SDEI_EVENT_REGISTER_RM_PE)
		return PROTO_SDEI_INVALID_PARAMETERS;
	vcpu = mpidr_to_vcpu(sdei, affinity);
	if (vcpu < 0)
		return PROTO_SDEI_INVALID_PARAMETERS;
	*route_vcpu = (uint32_t)vcpu;
	SIM_ASSERT(*route_vcpu < sdei->vcpu_count);
	return PROTO_SDEI_SUCCESS;
}

/* ---- Dispatch conditions ---- */

static const struct sdei_event *pe_running_event(const struct sim_sdei *sdei,
						 const struct sdei_pe *pe)
{
	uint32_t index;

	if (pe->depth == 0)
		return NULL;
	SIM_ASSERT(pe->depth <= SIM_SDEI_NESTING_MAX);
	index = pe->stack[pe->depth - 1].event_index;
	SIM_ASSERT(index < sdei->event_count);
	return &sdei->events[index];
}

/*
 * May @ev be dispatched on @vcpu now? The six conditions of a dispatch (as
 * TF-A's sdei_intr_handler lists them), and how each holds here:
 * 1. signalled: the entry has a pending trigger;
 * 2. registered and enabled (and idle): the state table allows DISPATCH;
 * 3. this PE is a target: private entries are per PE, a shared RM_PE event
 *    targets its routing PE only, an RM_ANY one every PE;
 * 4. the PE is unmasked: checked by the callers, once per PE;
 * 5. a Normal event needs nothing running on the PE;
 * 6. a Critical event needs no Critical running (it may preempt a Normal).
 */
static bool event_dispatchable(const struct sim_sdei *sdei, const struct sdei_event *ev,
			       uint32_t vcpu)
{
	const struct sdei_pe *pe = &sdei->pes[vcpu];
	const struct sdei_entry *se = event_entry_const(ev, vcpu);
	const struct sdei_event *running;

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	SIM_ASSERT(pe->depth <= SIM_SDEI_NESTING_MAX);
	if (!se->pending)
		return false;
	if (sim__sdei_state_next(se->state, SDEI_DO_DISPATCH) == SDEI_STATE_DENIED_)
		return false;
	if (se->route_mode == PROTO_SDEI_EVENT_REGISTER_RM_PE && !event_private(ev) &&
	    se->route_vcpu != vcpu)
		return false;
	running = pe_running_event(sdei, pe);
	if (running == NULL)
		return true;
	if (ev->priority != SIM_SDEI_PRIORITY_CRITICAL)
		return false;
	return running->priority == SIM_SDEI_PRIORITY_NORMAL;
}

/* Critical before Normal, then in order of definition. */
static struct sdei_event *dispatch_pick(const struct sim_sdei *sdei, uint32_t vcpu)
{
	const struct sdei_event *normal = NULL;
	uint32_t i;

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	SIM_ASSERT(sdei->event_count <= SIM_SDEI_EVENT_COUNT_MAX);
	if (sdei->pes[vcpu].masked)
		return NULL;
	for (i = 0; i < sdei->event_count; i++) {
		const struct sdei_event *ev = &sdei->events[i];

		if (!event_dispatchable(sdei, ev, vcpu))
			continue;
		if (ev->priority == SIM_SDEI_PRIORITY_CRITICAL)
			return (struct sdei_event *)ev;
		if (normal == NULL)
			normal = ev;
	}
	return (struct sdei_event *)normal;
}

/* Tell the platform about every PE with something to dispatch. */
static void kick_dispatchable(const struct sim_sdei *sdei)
{
	uint32_t vcpu;

	SIM_ASSERT(sdei->vcpu_count <= SIM_VCPU_COUNT_MAX);
	if (sdei->hooks.kick == NULL)
		return;
	for (vcpu = 0; vcpu < sdei->vcpu_count; vcpu++) {
		if (dispatch_pick(sdei, vcpu) != NULL)
			sdei->hooks.kick(sdei->ctx, vcpu);
	}
}

/* ---- Dispatch stack ---- */

static struct sim_arm_regs *pe_regs(const struct sim_sdei *sdei, uint32_t vcpu)
{
	struct sim_arm_regs *regs = sdei->hooks.regs(sdei->ctx, vcpu);

	SIM_ASSERT(regs != NULL);
	return regs;
}

/*
 * Push the interrupted context and set up the handler's registers (DEN0054
 * event entry: x0 event, x1 argument, x2 interrupted PC, x3 interrupted
 * PSTATE; PC the handler; PSTATE the client EL, SP_ELx, DAIF all masked).
 */
static void dispatch_push(struct sim_sdei *sdei, uint32_t vcpu, struct sdei_event *ev)
{
	struct sdei_pe *pe = &sdei->pes[vcpu];
	struct sdei_entry *se = event_entry(ev, vcpu);
	struct sim_arm_regs *regs = pe_regs(sdei, vcpu);
	struct sdei_frame *frame;
	bool allowed;

	SIM_ASSERT(pe->depth < SIM_SDEI_NESTING_MAX);
	allowed = event_trans(ev, vcpu, SDEI_DO_DISPATCH);
	SIM_ASSERT(allowed);
	se->pending = false;
	if (!event_private(ev)) {
		SIM_ASSERT(ev->running_vcpu == VCPU_NONE_);
		ev->running_vcpu = vcpu;
	}
	frame = &pe->stack[pe->depth];
	frame->event_index = (uint32_t)(ev - sdei->events);
	memcpy(frame->x, regs->x, sizeof(frame->x));
	frame->pc = regs->pc;
	frame->pstate = regs->pstate;
	pe->resumed[pe->depth] = false;
	pe->depth++;

	regs->x[0] = ev->number;
	regs->x[1] = se->arg;
	regs->x[2] = frame->pc;
	regs->x[3] = frame->pstate;
	regs->pc = se->entry;
	regs->pstate = SIM_PSTATE_EL1h | SIM_PSTATE_DAIF;
	sdei->stats.dispatch_count++;
	sim__sdei_trace("sdei: enter", ev->number, ((uint64_t)vcpu << 8) | pe->depth);
}

/*
 * Pop the innermost dispatch of @vcpu: the handler state leaves running, the
 * interrupted x0-x17, PC and PSTATE come back exactly. With @resume, it then
 * looks as if an IRQ exception had been taken at @resume_address: ELR_EL1 and
 * SPSR_EL1 hold the interrupted PC and PSTATE, PC the resume address, PSTATE
 * EL1h with DAIF masked (DEN0054 EVENT_COMPLETE_AND_RESUME).
 */
static void dispatch_pop(struct sim_sdei *sdei, uint32_t vcpu, bool resume,
			 uint64_t resume_address)
{
	struct sdei_pe *pe = &sdei->pes[vcpu];
	struct sim_arm_regs *regs = pe_regs(sdei, vcpu);
	struct sdei_frame *frame;
	struct sdei_event *ev;
	bool allowed;

	SIM_ASSERT(pe->depth > 0);
	SIM_ASSERT(pe->depth <= SIM_SDEI_NESTING_MAX);
	frame = &pe->stack[pe->depth - 1];
	ev = &sdei->events[frame->event_index];
	allowed = event_trans(ev, vcpu, resume ? SDEI_DO_COMPLETE_RESUME : SDEI_DO_COMPLETE);
	SIM_ASSERT(allowed);
	if (!event_private(ev)) {
		SIM_ASSERT(ev->running_vcpu == vcpu);
		ev->running_vcpu = VCPU_NONE_;
	}
	memcpy(regs->x, frame->x, sizeof(frame->x));
	regs->pc = frame->pc;
	regs->pstate = frame->pstate;
	if (resume) {
		if (sdei->hooks.set_elr_spsr != NULL)
			sdei->hooks.set_elr_spsr(sdei->ctx, vcpu, frame->pc, frame->pstate);
		regs->pc = resume_address;
		regs->pstate = SIM_PSTATE_EL1h | SIM_PSTATE_DAIF;
	}
	pe->depth--;
	pe->resumed[pe->depth] = resume;
	sim__sdei_trace(resume ? "sdei: leave-resume" : "sdei: leave", ev->number,
			((uint64_t)vcpu << 8) | pe->depth);
	/* A trigger that arrived meanwhile may dispatch now, here or elsewhere. */
	kick_dispatchable(sdei);
}

/* ---- Calls ---- */

static uint64_t call_version(void)
{
	return proto_sdei_version_make(SDEI_VERSION_MAJOR_, SDEI_VERSION_MINOR_,
				       SDEI_VERSION_VENDOR_);
}

/* EVENT_REGISTER(x1 event, x2 entry, x3 arg, x4 routing mode, x5 affinity). */
static int64_t call_register(struct sim_sdei *sdei, uint32_t vcpu, const uint64_t *x)
{
	struct sdei_event *ev;
	struct sdei_entry *se;
	uint64_t mode = x[4];
	uint32_t route_vcpu;
	uint8_t backup;
	int64_t ret;

	if (!address_valid(sdei, x[2]))
		return PROTO_SDEI_INVALID_PARAMETERS;
	ret = routing_validate(sdei, mode, x[5], &route_vcpu);
	if (ret != PROTO_SDEI_SUCCESS)
		return ret;
	ev = event_find(sdei, x[1]);
	if (ev == NULL)
		return PROTO_SDEI_INVALID_PARAMETERS;
	/* A private event always targets the PE that registers it. */
	if (event_private(ev)) {
		mode = PROTO_SDEI_EVENT_REGISTER_RM_PE;
		route_vcpu = vcpu;
	}
	se = event_entry(ev, vcpu);
	backup = se->state;
	if (!event_trans(ev, vcpu, SDEI_DO_REGISTER))
		return PROTO_SDEI_DENIED;
	/* A dynamic event is registrable once bound; never while its INTID is active. */
	if (!ev->bound || intid_active(sdei, ev))
		goto fallback;
	SIM_ASSERT(event_private(ev) || ev->reg_count == 0);
	se->entry = x[2];
	se->arg = x[3];
	se->affinity = x[5] & SDEI_MPIDR_AFFINITY_MASK_;
	se->route_mode = (uint8_t)mode;
	se->route_vcpu = route_vcpu;
	se->pending = false;
	ev->reg_count++;
	SIM_ASSERT(ev->reg_count <= sdei->vcpu_count);
	return PROTO_SDEI_SUCCESS;

fallback:
	se->state = backup;
	sim__sdei_trace("sdei: rollback", ev->number, backup);
	return PROTO_SDEI_DENIED;
}

static int64_t call_enable(struct sim_sdei *sdei, uint32_t vcpu, uint64_t number, bool enable)
{
	struct sdei_event *ev = event_find(sdei, number);

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	if (ev == NULL)
		return PROTO_SDEI_INVALID_PARAMETERS;
	if (!event_trans(ev, vcpu, enable ? SDEI_DO_ENABLE : SDEI_DO_DISABLE))
		return PROTO_SDEI_DENIED;
	/* A trigger left pending while disabled dispatches now (TF-A). */
	if (enable)
		kick_dispatchable(sdei);
	return PROTO_SDEI_SUCCESS;
}

/*
 * UNREGISTER, also used by the resets. Unregistering a running handler
 * succeeds with PENDING and completes at EVENT_COMPLETE; a refused one while
 * running also says PENDING (TF-A sdei_event_unregister).
 */
static int64_t event_unregister(struct sim_sdei *sdei, struct sdei_event *ev, uint32_t vcpu)
{
	struct sdei_entry *se = event_entry(ev, vcpu);

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	if (!event_trans(ev, vcpu, SDEI_DO_UNREGISTER))
		return (se->state & SDEI_STATE_R_) ? PROTO_SDEI_PENDING : PROTO_SDEI_DENIED;
	SIM_ASSERT(ev->reg_count > 0);
	ev->reg_count--;
	SIM_ASSERT(event_private(ev) || ev->reg_count == 0);
	se->entry = 0;
	se->arg = 0;
	se->affinity = 0;
	se->route_mode = PROTO_SDEI_EVENT_REGISTER_RM_ANY;
	se->route_vcpu = VCPU_NONE_;
	/* Triggers of an unregistered event are dropped, pending ones too. */
	se->pending = false;
	return (se->state & SDEI_STATE_R_) ? PROTO_SDEI_PENDING : PROTO_SDEI_SUCCESS;
}

static uint64_t call_context(struct sim_sdei *sdei, uint32_t vcpu, uint64_t index)
{
	struct sdei_pe *pe = &sdei->pes[vcpu];
	const struct sdei_frame *frame;
	bool allowed;

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	if (index >= SIM_SDEI_CONTEXT_REG_COUNT)
		return sdei_ret(PROTO_SDEI_INVALID_PARAMETERS);
	if (pe->depth == 0)
		return sdei_ret(PROTO_SDEI_DENIED);
	frame = &pe->stack[pe->depth - 1];
	/* The event on top of the stack runs, and every running state allows CONTEXT. */
	allowed = event_trans(&sdei->events[frame->event_index], vcpu, SDEI_DO_CONTEXT);
	SIM_ASSERT(allowed);
	return frame->x[index];
}

/*
 * EVENT_COMPLETE(x1 status) and EVENT_COMPLETE_AND_RESUME(x1 address).
 * Return: true if the call failed and returns to the handler with *@res0.
 * The resume address is validated before anything changes, so a refused
 * call leaves the handler running (TF-A pops its dispatch first).
 */
static bool call_complete(struct sim_sdei *sdei, uint32_t vcpu, uint64_t x1, bool resume,
			  uint64_t *res0)
{
	struct sdei_pe *pe = &sdei->pes[vcpu];

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	SIM_ASSERT(res0 != NULL);
	if (pe->depth == 0 || (resume && !address_valid(sdei, x1))) {
		*res0 = sdei_ret(PROTO_SDEI_DENIED);
		return true;
	}
	dispatch_pop(sdei, vcpu, resume, x1);
	pe->returning = true;
	if (resume)
		sdei->stats.resume_count++;
	else
		sdei->stats.complete_count++;
	*res0 = sdei_ret(PROTO_SDEI_SUCCESS);
	return false;
}

static int64_t call_status(struct sim_sdei *sdei, uint32_t vcpu, uint64_t number)
{
	struct sdei_event *ev = event_find(sdei, number);

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	if (ev == NULL)
		return PROTO_SDEI_INVALID_PARAMETERS;
	return event_entry(ev, vcpu)->state;
}

/*
 * GET_INFO(x1 event, x2 selector). EV_SIGNALED answers as TF-A does, with
 * "not signalable" (its note: the v1.0 text mislabels the field). The routing
 * fields exist for shared events only and need a registration.
 */
static int64_t call_get_info(struct sim_sdei *sdei, uint32_t vcpu, uint64_t number,
			     uint64_t selector)
{
	struct sdei_event *ev = event_find(sdei, number);
	const struct sdei_entry *se;

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	if (ev == NULL)
		return PROTO_SDEI_INVALID_PARAMETERS;
	se = event_entry(ev, vcpu);
	switch (selector) {
	case PROTO_SDEI_EVENT_INFO_EV_TYPE:
		return ev->type == SIM_SDEI_EVENT_SHARED;
	case PROTO_SDEI_EVENT_INFO_EV_SIGNALED:
		return !ev->signalable;
	case PROTO_SDEI_EVENT_INFO_EV_PRIORITY:
		return ev->priority == SIM_SDEI_PRIORITY_CRITICAL;
	case PROTO_SDEI_EVENT_INFO_EV_ROUTING_MODE:
	case PROTO_SDEI_EVENT_INFO_EV_ROUTING_AFF:
		break;
	default:
		return PROTO_SDEI_INVALID_PARAMETERS;
	}
	if (event_private(ev))
		return PROTO_SDEI_INVALID_PARAMETERS;
	if ((se->state & SDEI_STATE_G_) == 0)
		return PROTO_SDEI_DENIED;
	if (selector == PROTO_SDEI_EVENT_INFO_EV_ROUTING_MODE)
		return se->route_mode == PROTO_SDEI_EVENT_REGISTER_RM_PE;
	if (se->route_mode != PROTO_SDEI_EVENT_REGISTER_RM_PE)
		return PROTO_SDEI_INVALID_PARAMETERS;
	return (int64_t)se->affinity;
}

/*
 * ROUTING_SET(x1 event, x2 mode, x3 affinity): shared events only, while
 * registered, disabled and idle. Unlike TF-A, the affinity is stored too, so
 * GET_INFO reports the routing in force.
 */
static int64_t call_routing_set(struct sim_sdei *sdei, uint32_t vcpu, const uint64_t *x)
{
	struct sdei_event *ev;
	struct sdei_entry *se;
	uint32_t route_vcpu;
	int64_t ret;

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	ret = routing_validate(sdei, x[2], x[3], &route_vcpu);
	if (ret != PROTO_SDEI_SUCCESS)
		return ret;
	ev = event_find(sdei, x[1]);
	if (ev == NULL || event_private(ev) || !ev->bound)
		return PROTO_SDEI_INVALID_PARAMETERS;
	if (!event_trans(ev, vcpu, SDEI_DO_ROUTING))
		return PROTO_SDEI_DENIED;
	se = event_entry(ev, vcpu);
	se->route_mode = (uint8_t)x[2];
	se->route_vcpu = route_vcpu;
	se->affinity = x[3] & SDEI_MPIDR_AFFINITY_MASK_;
	return PROTO_SDEI_SUCCESS;
}

/* PE_MASK answers 1 if the mask state changed, else 0 (TF-A sdei_pe_mask). */
static int64_t call_pe_mask(struct sim_sdei *sdei, uint32_t vcpu, bool mask)
{
	struct sdei_pe *pe = &sdei->pes[vcpu];
	bool was_masked = pe->masked;

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	pe->masked = mask;
	SIM_ASSERT(pe->masked == mask);
	if (mask)
		return !was_masked;
	/* Triggers deferred by the mask may dispatch now (TF-A pending enables). */
	kick_dispatchable(sdei);
	return PROTO_SDEI_SUCCESS;
}

static struct sdei_event *bind_find(struct sim_sdei *sdei, uint32_t intid, bool bound,
				    bool shared)
{
	uint32_t i;

	SIM_ASSERT(sdei->event_count <= SIM_SDEI_EVENT_COUNT_MAX);
	for (i = 0; i < sdei->event_count; i++) {
		struct sdei_event *ev = &sdei->events[i];

		if (!ev->dynamic || ev->bound != bound || event_private(ev) == shared)
			continue;
		if (!bound || ev->intid == intid)
			return ev;
	}
	return NULL;
}

/*
 * INTERRUPT_BIND(x1 INTID): PPIs bind to private slots, SPIs to shared ones,
 * SGIs never. Binding a bound INTID again returns its event.
 */
static int64_t call_bind(struct sim_sdei *sdei, uint64_t intid)
{
	struct sdei_event *ev;
	bool shared;

	SIM_ASSERT(sdei != NULL);
	if (intid < SDEI_INTID_PPI_MIN_ || intid > SDEI_INTID_SPI_MAX_)
		return PROTO_SDEI_INVALID_PARAMETERS;
	shared = intid >= SDEI_INTID_SPI_MIN_;
	ev = bind_find(sdei, (uint32_t)intid, true, shared);
	if (ev != NULL)
		return ev->number;
	/* TF-A: the INTID must still belong to the Non-secure world. */
	if (sdei->hooks.intid_bindable != NULL &&
	    !sdei->hooks.intid_bindable(sdei->ctx, (uint32_t)intid))
		return PROTO_SDEI_DENIED;
	ev = bind_find(sdei, 0, false, shared);
	if (ev == NULL)
		return PROTO_SDEI_OUT_OF_RESOURCE;
	ev->intid = (uint32_t)intid;
	ev->bound = true;
	SIM_ASSERT(ev->reg_count == 0);
	if (sdei->hooks.intid_bind != NULL)
		sdei->hooks.intid_bind(sdei->ctx, ev->intid, true);
	sim__sdei_trace("sdei: bind", ev->number, intid);
	return ev->number;
}

/*
 * INTERRUPT_RELEASE(x1 event): dynamic events only, unregistered on every
 * PE and idle everywhere (TF-A checks the caller's entry only), INTID not
 * active.
 */
static int64_t event_release(struct sim_sdei *sdei, struct sdei_event *ev, uint32_t vcpu)
{
	uint32_t count = event_private(ev) ? sdei->vcpu_count : 1;
	uint32_t i;

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	if (!ev->dynamic)
		return PROTO_SDEI_INVALID_PARAMETERS;
	if (ev->reg_count != 0)
		return PROTO_SDEI_DENIED;
	for (i = 0; i < count; i++) {
		if (sim__sdei_state_next(ev->entries[i].state, SDEI_DO_RELEASE) ==
		    SDEI_STATE_DENIED_)
			return PROTO_SDEI_DENIED;
	}
	if (!ev->bound)
		return PROTO_SDEI_INVALID_PARAMETERS;
	if (intid_active(sdei, ev))
		return PROTO_SDEI_DENIED;
	if (sdei->hooks.intid_bind != NULL)
		sdei->hooks.intid_bind(sdei->ctx, ev->intid, false);
	sim__sdei_trace("sdei: release", ev->number, ev->intid);
	ev->intid = INTID_NONE_;
	ev->bound = false;
	for (i = 0; i < count; i++)
		ev->entries[i].pending = false;
	return PROTO_SDEI_SUCCESS;
}

/*
 * PRIVATE_RESET / SHARED_RESET: unregister every private event of this PE
 * (every shared event); any that is running makes the call DENIED, the others
 * are still unregistered. SHARED_RESET then releases every binding, private
 * ones included (TF-A sdei_private_reset / sdei_shared_reset).
 */
static int64_t call_reset(struct sim_sdei *sdei, uint32_t vcpu, bool shared)
{
	int64_t result = PROTO_SDEI_SUCCESS;
	int64_t ret;
	uint32_t i;

	SIM_ASSERT(vcpu < sdei->vcpu_count);
	SIM_ASSERT(sdei->event_count <= SIM_SDEI_EVENT_COUNT_MAX);
	for (i = 0; i < sdei->event_count; i++) {
		if (event_private(&sdei->events[i]) == shared)
			continue;
		ret = event_unregister(sdei, &sdei->events[i], vcpu);
		if (ret == PROTO_SDEI_PENDING && result == PROTO_SDEI_SUCCESS)
			result = PROTO_SDEI_DENIED;
	}
	if (!shared || result != PROTO_SDEI_SUCCESS)
		return result;
	for (i = 0; i < sdei->event_count; i++) {
		if (!sdei->events[i].dynamic || !sdei->events[i].bound)
			continue;
		ret = event_release(sdei, &sdei->events[i], vcpu);
		if (ret != PROTO_SDEI_SUCCESS && result == PROTO_SDEI_SUCCESS)
			result = ret;
	}
	return result;
}

/*
 * EVENT_SIGNAL(x1 event, x2 target MPIDR): only event 0 (signalable), to a
 * valid PE that is unmasked and has event 0 registered and
 * enabled; then the trigger is pending on that PE.
 */
static int64_t call_signal(struct sim_sdei *sdei, uint64_t number, uint64_t target_mpidr)
{
	struct sdei_event *ev;
	struct sdei_entry *se;
	int target;

	if (number != 0)
		return PROTO_SDEI_INVALID_PARAMETERS;
	/* sim_sdei_create() defines event 0 private and signalable, for good. */
	ev = event_find(sdei, 0);
	SIM_ASSERT(ev != NULL);
	SIM_ASSERT(event_private(ev));
	SIM_ASSERT(ev->signalable);
	target = mpidr_to_vcpu(sdei, target_mpidr);
	if (target < 0)
		return PROTO_SDEI_INVALID_PARAMETERS;
	se = event_entry(ev, (uint32_t)target);
	if (sdei->pes[target].masked)
		return PROTO_SDEI_DENIED;
	if ((se->state & SDEI_STATE_G_) == 0 || (se->state & SDEI_STATE_E_) == 0)
		return PROTO_SDEI_DENIED;
	if (!se->pending)
		sdei->stats.signal_count++;
	se->pending = true;
	sim__sdei_trace("sdei: signal", 0, (uint64_t)target);
	kick_dispatchable(sdei);
	return PROTO_SDEI_SUCCESS;
}

static int64_t call_features(uint64_t feature)
{
	if (feature != PROTO_SDEI_FEATURE_BIND_SLOTS)
		return PROTO_SDEI_INVALID_PARAMETERS;
	return (int64_t)(SIM_SDEI_BIND_SLOT_PRIVATE_COUNT |
			 (SIM_SDEI_BIND_SLOT_SHARED_COUNT
			  << SDEI_FEATURE_BIND_SLOTS_SHARED_SHIFT_));
}

/* Every call that returns to its caller; the COMPLETEs are handled apart. */
static uint64_t call_returning(struct sim_sdei *sdei, uint32_t vcpu, const uint64_t *x)
{
	struct sdei_event *ev;

	switch ((uint32_t)x[0]) {
	case PROTO_SDEI_1_0_FN_SDEI_VERSION:
		return call_version();
	case PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER:
		return sdei_ret(call_register(sdei, vcpu, x));
	case PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE:
		return sdei_ret(call_enable(sdei, vcpu, x[1], true));
	case PROTO_SDEI_1_0_FN_SDEI_EVENT_DISABLE:
		return sdei_ret(call_enable(sdei, vcpu, x[1], false));
	case PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT:
		return call_context(sdei, vcpu, x[1]);
	case PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER:
		ev = event_find(sdei, x[1]);
		return sdei_ret(ev ? event_unregister(sdei, ev, vcpu)
				   : PROTO_SDEI_INVALID_PARAMETERS);
	case PROTO_SDEI_1_0_FN_SDEI_EVENT_STATUS:
		return sdei_ret(call_status(sdei, vcpu, x[1]));
	case PROTO_SDEI_1_0_FN_SDEI_EVENT_GET_INFO:
		return sdei_ret(call_get_info(sdei, vcpu, x[1], x[2]));
	case PROTO_SDEI_1_0_FN_SDEI_EVENT_ROUTING_SET:
		return sdei_ret(call_routing_set(sdei, vcpu, x));
	case PROTO_SDEI_1_0_FN_SDEI_PE_MASK:
		return sdei_ret(call_pe_mask(sdei, vcpu, true));
	case PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK:
		return sdei_ret(call_pe_mask(sdei, vcpu, false));
	case PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND:
		return sdei_ret(call_bind(sdei, x[1]));
	case PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE:
		ev = event_find(sdei, x[1]);
		return sdei_ret(ev ? event_release(sdei, ev, vcpu) : PROTO_SDEI_INVALID_PARAMETERS);
	case PROTO_SDEI_1_1_FN_SDEI_EVENT_SIGNAL:
		return sdei_ret(call_signal(sdei, x[1], x[2]));
	case PROTO_SDEI_1_1_FN_SDEI_FEATURES:
		return sdei_ret(call_features(x[1]));
	case PROTO_SDEI_1_0_FN_SDEI_PRIVATE_RESET:
		return sdei_ret(call_reset(sdei, vcpu, false));
	case PROTO_SDEI_1_0_FN_SDEI_SHARED_RESET:
		return sdei_ret(call_reset(sdei, vcpu, true));
	default:
		return sdei_ret(PROTO_SDEI_NOT_SUPPORTED);
	}
}

/* ---- Public API ---- */

static void event_init(struct sim_sdei *sdei, uint32_t number, enum sim_sdei_event_type type,
		       enum sim_sdei_priority priority, bool signalable, bool dynamic)
{
	struct sdei_event *ev;
	uint32_t i;

	SIM_ASSERT(sdei->event_count < SIM_SDEI_EVENT_COUNT_MAX);
	SIM_ASSERT(event_find(sdei, number) == NULL);
	ev = &sdei->events[sdei->event_count++];
	memset(ev, 0, sizeof(*ev));
	ev->number = number;
	ev->type = type;
	ev->priority = priority;
	ev->signalable = signalable;
	ev->dynamic = dynamic;
	/* Platform events are bound from the start, as in TF-A's mappings. */
	ev->bound = !dynamic;
	ev->intid = INTID_NONE_;
	ev->running_vcpu = VCPU_NONE_;
	for (i = 0; i < SIM_VCPU_COUNT_MAX; i++)
		ev->entries[i].route_vcpu = VCPU_NONE_;
}

int sim_sdei_create(struct sim_sdei **out, uint32_t vcpu_count, const struct sim_sdei_hooks *hooks,
		    void *ctx)
{
	struct sim_sdei *sdei;
	uint32_t i;

	SIM_ASSERT(out != NULL);
	*out = NULL;
	if (vcpu_count == 0 || vcpu_count > SIM_VCPU_COUNT_MAX)
		return -EINVAL;
	if (hooks == NULL || hooks->enter == NULL || hooks->regs == NULL)
		return -EINVAL;
	sdei = calloc(1, sizeof(*sdei));
	if (sdei == NULL)
		return -ENOMEM;
	sdei->hooks = *hooks;
	sdei->ctx = ctx;
	sdei->vcpu_count = vcpu_count;
	/* Every PE starts masked, as after CPU_ON. */
	for (i = 0; i < vcpu_count; i++)
		sdei->pes[i].masked = true;
	event_init(sdei, 0, SIM_SDEI_EVENT_PRIVATE, SIM_SDEI_PRIORITY_NORMAL, true, false);
	for (i = 0; i < SIM_SDEI_BIND_SLOT_PRIVATE_COUNT; i++)
		event_init(sdei, SIM_SDEI_BIND_EVENT_PRIVATE_BASE + i, SIM_SDEI_EVENT_PRIVATE,
			   SIM_SDEI_PRIORITY_NORMAL, false, true);
	for (i = 0; i < SIM_SDEI_BIND_SLOT_SHARED_COUNT; i++)
		event_init(sdei, SIM_SDEI_BIND_EVENT_SHARED_BASE + i, SIM_SDEI_EVENT_SHARED,
			   SIM_SDEI_PRIORITY_NORMAL, false, true);
	*out = sdei;
	return 0;
}

void sim_sdei_destroy(struct sim_sdei *sdei)
{
	free(sdei);
}

int sim_sdei_event_define(struct sim_sdei *sdei, uint32_t event, enum sim_sdei_event_type type,
			  enum sim_sdei_priority priority, bool signalable)
{
	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(sdei->event_count <= SIM_SDEI_EVENT_COUNT_MAX);
	if (type != SIM_SDEI_EVENT_PRIVATE && type != SIM_SDEI_EVENT_SHARED)
		return -EINVAL;
	if (priority != SIM_SDEI_PRIORITY_NORMAL && priority != SIM_SDEI_PRIORITY_CRITICAL)
		return -EINVAL;
	if (event_find(sdei, event) != NULL)
		return -EEXIST;
	if (sdei->event_count == SIM_SDEI_EVENT_COUNT_MAX)
		return -ENOSPC;
	event_init(sdei, event, type, priority, signalable, false);
	return 0;
}

bool sim_sdei_fid_is_sdei(uint64_t fid)
{
	/* SMCCC: the function ID is W0; the upper half of x0 is ignored. */
	return proto_sdei_is_sdei_fn((uint32_t)fid);
}

bool sim_sdei_call(struct sim_sdei *sdei, uint32_t vcpu, const uint64_t x[18], uint64_t res[4])
{
	struct sdei_pe *pe;
	uint32_t fid;

	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(vcpu < sdei->vcpu_count);
	SIM_ASSERT(x != NULL);
	SIM_ASSERT(res != NULL);
	pe = &sdei->pes[vcpu];
	fid = (uint32_t)x[0];
	res[0] = res[1] = res[2] = res[3] = 0;
	sdei->stats.call_count++;
	if (pe->returning) {
		/* The handler completed: on hardware this code would not run. */
		report(FINDING_CALL_AFTER_COMPLETE_, "SDEI call after the handler completed",
		       pe->depth > 0 ? sdei->events[pe->stack[pe->depth - 1].event_index].number
				     : 0,
		       vcpu);
		res[0] = sdei_ret(PROTO_SDEI_DENIED);
		return true;
	}
	if (fid == PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE)
		return call_complete(sdei, vcpu, x[1], false, &res[0]);
	if (fid == PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME)
		return call_complete(sdei, vcpu, x[1], true, &res[0]);
	res[0] = call_returning(sdei, vcpu, x);
	return true;
}

int sim_sdei_signal(struct sim_sdei *sdei, uint32_t vcpu, uint32_t event)
{
	struct sdei_event *ev;
	struct sdei_entry *se;

	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(sdei->vcpu_count <= SIM_VCPU_COUNT_MAX);
	ev = event_find(sdei, event);
	if (vcpu >= sdei->vcpu_count || ev == NULL)
		return -EINVAL;
	se = event_entry(ev, vcpu);
	if ((se->state & SDEI_STATE_G_) == 0) {
		sdei->stats.drop_count++;
		sim__sdei_trace("sdei: drop", event, vcpu);
		return -ENOENT;
	}
	if (se->pending)
		return -EALREADY;
	se->pending = true;
	sdei->stats.signal_count++;
	sim__sdei_trace("sdei: signal", event, vcpu);
	kick_dispatchable(sdei);
	return 0;
}

int sim_sdei_cancel(struct sim_sdei *sdei, uint32_t vcpu, uint32_t event, bool *was_pending)
{
	struct sdei_event *ev;
	struct sdei_entry *se;

	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(was_pending != NULL);
	*was_pending = false;
	ev = event_find(sdei, event);
	if (vcpu >= sdei->vcpu_count || ev == NULL)
		return -EINVAL;
	se = event_entry(ev, vcpu);
	if (se->pending) {
		se->pending = false;
		*was_pending = true;
		sdei->stats.cancel_count++;
		sim__sdei_trace("sdei: cancel", event, vcpu);
		return 0;
	}
	return (se->state & SDEI_STATE_R_) ? -EINPROGRESS : 0;
}

bool sim_sdei_dispatchable(const struct sim_sdei *sdei, uint32_t vcpu)
{
	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(vcpu < sdei->vcpu_count);
	return dispatch_pick(sdei, vcpu) != NULL;
}

/*
 * The handler returned from enter() still running: complete it on its behalf
 * so that the registers and the state table stay consistent, and report it.
 */
static void dispatch_unwind(struct sim_sdei *sdei, uint32_t vcpu, uint32_t depth_before)
{
	struct sdei_pe *pe = &sdei->pes[vcpu];
	const struct sdei_event *ev = pe_running_event(sdei, pe);

	SIM_ASSERT(ev != NULL);
	SIM_ASSERT(pe->depth == depth_before + 1);
	sdei->stats.no_complete_count++;
	report(FINDING_NO_COMPLETE_, "handler returned without EVENT_COMPLETE", ev->number, vcpu);
	dispatch_pop(sdei, vcpu, false, 0);
}

bool sim_sdei_dispatch(struct sim_sdei *sdei, uint32_t vcpu)
{
	struct sdei_pe *pe;
	struct sdei_event *ev;
	const struct sdei_entry *se;
	uint32_t depth_before;
	uint32_t generation;
	bool returning_before;

	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(vcpu < sdei->vcpu_count);
	pe = &sdei->pes[vcpu];
	ev = dispatch_pick(sdei, vcpu);
	if (ev == NULL)
		return false;
	depth_before = pe->depth;
	generation = pe->generation;
	dispatch_push(sdei, vcpu, ev);
	se = event_entry(ev, vcpu);
	/* A handler nested in one that completed is a fresh handler. */
	returning_before = pe->returning;
	pe->returning = false;
	sdei->hooks.enter(sdei->ctx, vcpu, se->entry, se->arg, ev->number);
	/* CPU_OFF or CPU_ON from inside the handler dropped the whole stack. */
	if (pe->generation != generation)
		return false;
	pe->returning = returning_before;
	if (pe->depth > depth_before)
		dispatch_unwind(sdei, vcpu, depth_before);
	SIM_ASSERT(pe->depth == depth_before);
	return pe->resumed[depth_before];
}

void sim_sdei_pe_reset(struct sim_sdei *sdei, uint32_t vcpu)
{
	struct sdei_pe *pe;
	uint32_t i;

	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(vcpu < sdei->vcpu_count);
	pe = &sdei->pes[vcpu];
	/* Shared handlers running here stop; private state is reset below. */
	for (; pe->depth > 0; pe->depth--) {
		struct sdei_event *ev = &sdei->events[pe->stack[pe->depth - 1].event_index];
		bool allowed;

		if (event_private(ev))
			continue;
		allowed = event_trans(ev, vcpu, SDEI_DO_COMPLETE);
		SIM_ASSERT(allowed);
		ev->running_vcpu = VCPU_NONE_;
	}
	for (i = 0; i < sdei->event_count; i++) {
		struct sdei_event *ev = &sdei->events[i];

		if (!event_private(ev))
			continue;
		if (ev->entries[vcpu].state & SDEI_STATE_G_)
			ev->reg_count--;
		memset(&ev->entries[vcpu], 0, sizeof(ev->entries[vcpu]));
		ev->entries[vcpu].route_vcpu = VCPU_NONE_;
	}
	pe->masked = true;
	pe->returning = false;
	pe->generation++;
	sim__sdei_trace("sdei: pe reset", 0, vcpu);
}

/* ---- Accessors ---- */

static const struct sdei_event *event_find_const(const struct sim_sdei *sdei, uint32_t number)
{
	return event_find((struct sim_sdei *)sdei, number);
}

int sim_sdei_event_status(const struct sim_sdei *sdei, uint32_t vcpu, uint32_t event)
{
	const struct sdei_event *ev;

	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(sdei->vcpu_count <= SIM_VCPU_COUNT_MAX);
	ev = event_find_const(sdei, event);
	if (vcpu >= sdei->vcpu_count || ev == NULL)
		return -EINVAL;
	return event_entry_const(ev, vcpu)->state;
}

bool sim_sdei_pending(const struct sim_sdei *sdei, uint32_t vcpu, uint32_t event)
{
	const struct sdei_event *ev;

	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(sdei->vcpu_count <= SIM_VCPU_COUNT_MAX);
	ev = event_find_const(sdei, event);
	if (vcpu >= sdei->vcpu_count || ev == NULL)
		return false;
	return event_entry_const(ev, vcpu)->pending;
}

bool sim_sdei_masked(const struct sim_sdei *sdei, uint32_t vcpu)
{
	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(vcpu < sdei->vcpu_count);
	return sdei->pes[vcpu].masked;
}

uint32_t sim_sdei_depth(const struct sim_sdei *sdei, uint32_t vcpu)
{
	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(vcpu < sdei->vcpu_count);
	return sdei->pes[vcpu].depth;
}

int64_t sim_sdei_running_event(const struct sim_sdei *sdei, uint32_t vcpu)
{
	const struct sdei_event *ev;

	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(vcpu < sdei->vcpu_count);
	ev = pe_running_event(sdei, &sdei->pes[vcpu]);
	return ev != NULL ? (int64_t)ev->number : -ENOENT;
}

int sim_sdei_event_for_intid(const struct sim_sdei *sdei, uint32_t intid, uint32_t *event)
{
	uint32_t i;

	SIM_ASSERT(sdei != NULL);
	SIM_ASSERT(event != NULL);
	for (i = 0; i < sdei->event_count; i++) {
		const struct sdei_event *ev = &sdei->events[i];

		if (ev->dynamic && ev->bound && ev->intid == intid) {
			*event = ev->number;
			return 0;
		}
	}
	return -ENOENT;
}

const struct sim_sdei_stats *sim_sdei_stats(const struct sim_sdei *sdei)
{
	SIM_ASSERT(sdei != NULL);
	return &sdei->stats;
}

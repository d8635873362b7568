/* SPDX-License-Identifier: MIT */
/*
 * Simulated SDEI dispatcher (Arm DEN0054 v1.1), modelled on the behaviour of
 * TF-A's services/std_svc/sdei rather than on KVM's SDEI virtualisation.
 *
 * The platform owns the vCPUs' architectural state and the SMCCC conduit. It
 * forwards every SDEI function ID to sim_sdei_call(), injects host events with
 * sim_sdei_signal(), and, from the thread running on a vCPU, asks
 * sim_sdei_dispatchable() / sim_sdei_dispatch() at its interrupt points. The
 * dispatcher enters the guest's handler through the enter() hook, which runs
 * the handler to completion on the calling thread.
 *
 * Nothing here sleeps or takes locks: every function must be called by the
 * thread that holds the engine's baton (deterministic mode), as all platform
 * code is. See docs/sdei.md for the model and the spec sections behind it.
 */
#ifndef SIM_SDEI_H
#define SIM_SDEI_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/arm.h"

struct sim_sdei;

/* Events the dispatcher can hold, dynamic (bindable) slots included. */
#define SIM_SDEI_EVENT_COUNT_MAX 16u
/* Nesting depth: one Normal handler preempted by one Critical (DEN0054, priorities). */
#define SIM_SDEI_NESTING_MAX 2u
/* Registers saved from the interrupted context and readable by EVENT_CONTEXT. */
#define SIM_SDEI_CONTEXT_REG_COUNT 18u
/*
 * Dynamic event slots for INTERRUPT_BIND, numbered as TF-A's FVP platform
 * numbers them (private from 1000, shared from 2000). Always Normal priority.
 */
#define SIM_SDEI_BIND_SLOT_PRIVATE_COUNT 2u
#define SIM_SDEI_BIND_SLOT_SHARED_COUNT 2u
#define SIM_SDEI_BIND_EVENT_PRIVATE_BASE 1000u
#define SIM_SDEI_BIND_EVENT_SHARED_BASE 2000u

/* Bits returned by sim_sdei_event_status(): the EVENT_STATUS encoding. */
#define SIM_SDEI_STATUS_REGISTERED (1u << 0)
#define SIM_SDEI_STATUS_ENABLED (1u << 1)
#define SIM_SDEI_STATUS_RUNNING (1u << 2)

enum sim_sdei_event_type {
	SIM_SDEI_EVENT_PRIVATE = 0, /* per-PE registration and state */
	SIM_SDEI_EVENT_SHARED = 1,  /* one registration, routed RM_ANY or RM_PE */
};

enum sim_sdei_priority {
	SIM_SDEI_PRIORITY_NORMAL = 0,
	SIM_SDEI_PRIORITY_CRITICAL = 1,
};

/*
 * Hooks into the platform. enter() and regs() are required, the others are
 * optional (NULL gives the documented default).
 */
struct sim_sdei_hooks {
	/*
	 * Enter the client handler on the calling thread (vCPU @vcpu). The
	 * registers are already set up as DEN0054 specifies for event entry: x0 = event, x1 = arg,
	 * x2 = interrupted PC, x3 = interrupted PSTATE, PC = @entry, PSTATE =
	 * EL1h with DAIF masked. The handler runs to completion and ends with
	 * EVENT_COMPLETE or EVENT_COMPLETE_AND_RESUME made through
	 * sim_sdei_call(); it must return right after that call, without
	 * another schedule point, because the interrupted registers are already
	 * back in place. Then enter() returns.
	 */
	void (*enter)(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg, uint32_t event);
	/* The vCPU's architectural state (sim/arm.h); never NULL for a valid vCPU. */
	struct sim_arm_regs *(*regs)(void *ctx, uint32_t vcpu);
	/*
	 * INTERRUPT_BIND: may @intid (already known to be a PPI 16..31 or an
	 * SPI 32..1019) be bound, e.g. does the GIC implement it and is it
	 * Non-secure? NULL: every PPI and SPI may.
	 */
	bool (*intid_bindable)(void *ctx, uint32_t intid);
	/* Is @intid active (REGISTER and RELEASE are DENIED then)? NULL: never. */
	bool (*intid_active)(void *ctx, uint32_t intid);
	/* @intid was bound to an event (@bound) or released: the GIC hands it over. */
	void (*intid_bind)(void *ctx, uint32_t intid, bool bound);
	/*
	 * The vCPU with MPIDR @mpidr (Aff3..Aff0 only), or -1 if none.
	 * NULL: KVM's reset layout, Aff0 = vcpu[3:0], Aff1 = vcpu[11:4].
	 */
	int (*mpidr_to_vcpu)(void *ctx, uint64_t mpidr);
	/* Is @entry a valid handler or resume address for the client? NULL: any non-zero. */
	bool (*address_valid)(void *ctx, uint64_t address);
	/*
	 * EVENT_COMPLETE_AND_RESUME: write ELR_EL1 := @elr (interrupted PC)
	 * and SPSR_EL1 := @spsr (interrupted PSTATE), as an IRQ exception
	 * taken at the resume address would. struct sim_arm_regs has no
	 * ELR/SPSR fields, so the platform keeps them. NULL: not written.
	 */
	void (*set_elr_spsr)(void *ctx, uint32_t vcpu, uint64_t elr, uint64_t spsr);
	/*
	 * Something may have become dispatchable on @vcpu through an action
	 * not taken on that vCPU's thread (a host signal, an ENABLE or
	 * ROUTING_SET of a shared event from another PE); the platform kicks
	 * it (sim_vcpu_kick). NULL: nothing is called.
	 */
	void (*kick)(void *ctx, uint32_t vcpu);
};

/* Counters for oracles and tests; they only grow. */
struct sim_sdei_stats {
	uint64_t call_count;        /* sim_sdei_call() */
	uint64_t signal_count;      /* triggers accepted (pending) */
	uint64_t drop_count;        /* triggers dropped: event not registered */
	uint64_t dispatch_count;    /* handlers entered */
	uint64_t complete_count;    /* EVENT_COMPLETE that succeeded */
	uint64_t resume_count;      /* EVENT_COMPLETE_AND_RESUME that succeeded */
	uint64_t no_complete_count; /* handlers that returned without completing */
	uint64_t cancel_count;      /* pending triggers withdrawn by sim_sdei_cancel() */
};

/**
 * sim_sdei_create() - create a dispatcher with every PE masked.
 * @out: the new dispatcher.
 * @vcpu_count: PEs, 1 .. SIM_VCPU_COUNT_MAX.
 * @hooks: platform hooks, copied; enter and regs are required.
 * @ctx: passed to every hook.
 *
 * Event 0 (private, Normal, signalable, as DEN0054 requires) and the dynamic
 * slots for INTERRUPT_BIND are defined here. All memory is allocated here.
 *
 * Return: 0, -EINVAL for a bad argument, -ENOMEM.
 */
__attribute__((warn_unused_result)) int
sim_sdei_create(struct sim_sdei **out, uint32_t vcpu_count, const struct sim_sdei_hooks *hooks,
		void *ctx);

/**
 * sim_sdei_destroy() - free a dispatcher.
 * @sdei: the dispatcher, or NULL.
 */
void sim_sdei_destroy(struct sim_sdei *sdei);

/**
 * sim_sdei_event_define() - define a platform event the client may register.
 * @sdei: the dispatcher.
 * @event: event number; only bits 31:0 are used by clients. Event 0 and the
 *         dynamic slot numbers are taken.
 * @type: private or shared.
 * @priority: Normal or Critical.
 * @signalable: whether EVENT_SIGNAL may raise it (only event 0 is, per
 *              DEN0054 SDEI_EVENT_SIGNAL; kept as a parameter for GET_INFO).
 *
 * Call before the guest runs. Host injections through sim_sdei_signal() do not
 * depend on @signalable.
 *
 * Return: 0, -EEXIST if @event is defined, -ENOSPC beyond
 * SIM_SDEI_EVENT_COUNT_MAX, -EINVAL for a bad type or priority.
 */
__attribute__((warn_unused_result)) int
sim_sdei_event_define(struct sim_sdei *sdei, uint32_t event, enum sim_sdei_event_type type,
		      enum sim_sdei_priority priority, bool signalable);

/**
 * sim_sdei_fid_is_sdei() - does @fid belong to the SDEI range?
 * @fid: SMCCC function ID (x0).
 *
 * Return: true for 0xC4000020 .. 0xC400003F (SMC64 fast calls, owner
 * STANDARD, function numbers 0x20..0x3F), the range the conduit forwards.
 */
bool sim_sdei_fid_is_sdei(uint64_t fid);

/**
 * sim_sdei_call() - execute one SDEI call made by vCPU @vcpu.
 * @sdei: the dispatcher.
 * @vcpu: the calling PE.
 * @x: x0 (function ID) .. x17 of the caller.
 * @res: results; res[0] is the value (or negative SDEI error code as an
 *       unsigned 64-bit value), res[1..3] are 0.
 *
 * Unknown SDEI function IDs return SDEI_NOT_SUPPORTED.
 *
 * Return: true if the call returns to its caller and the conduit writes
 * res[0..3] into x0..x3; false if it did not return (a successful
 * EVENT_COMPLETE or EVENT_COMPLETE_AND_RESUME): the vCPU's registers already
 * hold the resumed context and must not be touched.
 */
bool sim_sdei_call(struct sim_sdei *sdei, uint32_t vcpu, const uint64_t x[18], uint64_t res[4]);

/**
 * sim_sdei_signal() - host injection: trigger @event for PE @vcpu.
 * @sdei: the dispatcher.
 * @vcpu: target PE of a private event; for a shared event the routing chosen
 *        at registration decides and @vcpu only has to be valid.
 * @event: the event.
 *
 * The trigger stays pending until the event can be dispatched (registered,
 * enabled, PE unmasked, priority allows), like a pending interrupt; a second
 * trigger while one is pending merges with it.
 *
 * Return: 0 when the trigger is now pending, -EALREADY when one was pending
 * already (merged), -ENOENT when the event is not registered for that PE
 * (trigger dropped), -EINVAL for an unknown event or vCPU.
 */
int sim_sdei_signal(struct sim_sdei *sdei, uint32_t vcpu, uint32_t event);

/**
 * sim_sdei_cancel() - withdraw a trigger of @event for PE @vcpu not yet dispatched.
 * @sdei: the dispatcher.
 * @vcpu: as for sim_sdei_signal().
 * @event: the event.
 * @was_pending: set to whether a pending trigger was withdrawn.
 *
 * Return: 0 (whether or not a trigger was pending), -EINPROGRESS when nothing
 * was pending and the handler runs (too late to cancel), -EINVAL for an
 * unknown event or vCPU.
 */
int sim_sdei_cancel(struct sim_sdei *sdei, uint32_t vcpu, uint32_t event, bool *was_pending);

/**
 * sim_sdei_dispatchable() - could an event be dispatched on @vcpu now?
 * @sdei: the dispatcher.
 * @vcpu: the PE.
 *
 * True when the PE is unmasked and a pending event targeting it is registered,
 * enabled, not running, and allowed by priority (docs/sdei.md). The
 * client's PSTATE.DAIF does not matter: SDEI events are taken by firmware.
 */
bool sim_sdei_dispatchable(const struct sim_sdei *sdei, uint32_t vcpu);

/**
 * sim_sdei_dispatch() - dispatch the best dispatchable event on @vcpu.
 * @sdei: the dispatcher.
 * @vcpu: the PE; the caller is the thread running on it.
 *
 * Critical before Normal, then in order of definition. Saves x0-x17, PC and
 * PSTATE on the PE's dispatch stack, sets up the handler registers and calls
 * enter(). A handler that returns without completing is reported as the
 * finding "sdei-no-complete" and completed on its behalf.
 *
 * Return: true if the handler completed with EVENT_COMPLETE_AND_RESUME (the
 * vCPU now looks as if it took an IRQ exception; the platform takes pending
 * IRQs at once); false otherwise, also when nothing was dispatchable.
 */
bool sim_sdei_dispatch(struct sim_sdei *sdei, uint32_t vcpu);

/**
 * sim_sdei_pe_reset() - PE @vcpu goes through CPU_ON or CPU_OFF.
 * @sdei: the dispatcher.
 * @vcpu: the PE.
 *
 * The PE is masked, its private events go back to unregistered with no
 * pending trigger, its dispatch stack is dropped, and shared events running
 * on it stop running (as TF-A's sdei_cpu_on_init does). Its registers are
 * not touched: the power state change sets them.
 */
void sim_sdei_pe_reset(struct sim_sdei *sdei, uint32_t vcpu);

/* ---- Read-only accessors for oracles and tests ---- */

/**
 * sim_sdei_event_status() - handler state of @event as seen by PE @vcpu.
 * Return: SIM_SDEI_STATUS_* bits, or -EINVAL for an unknown event or vCPU.
 */
int sim_sdei_event_status(const struct sim_sdei *sdei, uint32_t vcpu, uint32_t event);

/**
 * sim_sdei_pending() - is a trigger of @event pending for PE @vcpu?
 * For a shared event, whether its one pending trigger exists.
 */
bool sim_sdei_pending(const struct sim_sdei *sdei, uint32_t vcpu, uint32_t event);

/** sim_sdei_masked() - is PE @vcpu masked (PE_MASK)? */
bool sim_sdei_masked(const struct sim_sdei *sdei, uint32_t vcpu);

/** sim_sdei_depth() - handlers running on PE @vcpu, 0 .. SIM_SDEI_NESTING_MAX. */
uint32_t sim_sdei_depth(const struct sim_sdei *sdei, uint32_t vcpu);

/**
 * sim_sdei_running_event() - event of the innermost handler on PE @vcpu.
 * Return: the event number, or -ENOENT if none runs there.
 */
int64_t sim_sdei_running_event(const struct sim_sdei *sdei, uint32_t vcpu);

/**
 * sim_sdei_event_for_intid() - event bound to @intid by INTERRUPT_BIND.
 * @event: set to the event number when found.
 * Return: 0, or -ENOENT when @intid is not bound.
 */
int sim_sdei_event_for_intid(const struct sim_sdei *sdei, uint32_t intid, uint32_t *event);

/** sim_sdei_stats() - the dispatcher's counters. */
const struct sim_sdei_stats *sim_sdei_stats(const struct sim_sdei *sdei);

#endif /* SIM_SDEI_H */

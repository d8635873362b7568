/* SPDX-License-Identifier: MIT */
/*
 * The simulated arm64 platform of one execution: per-vCPU architectural
 * state (struct sim_arm_regs), the GICv3, the SDEI dispatcher, the SMCCC
 * conduit with SDEI and PSCI registered, and guest memory. It registers its
 * interrupt hooks with the engine (sim_set_irq_ops), so interrupts and SDEI
 * events are taken at schedule points chosen by the strategy.
 *
 * Upper layers plug in through two surfaces:
 *   - the guest (kernel-API layer) registers struct sim_platform_guest_ops:
 *     the IRQ vector, the SDEI entry runner, the CPU_ON entry and the
 *     system-reset hook; and calls sim_platform_hvc(), the IRQ mask helpers
 *     and sim_platform_touch() from its tasks;
 *   - the host registers its services on sim_platform_smccc() (KVM vendor
 *     hypervisor service, owner 6), its stage-2 fault hook on
 *     sim_platform_memory(), defines SDEI events on sim_platform_sdei(), and
 *     drives the PPI line with sim_platform_irq_line().
 *
 * PSTATE.I lives in the vCPU's registers, not in the task: the kernel-API
 * layer keeps it consistent when tasks switch or migrate. An idle vCPU (no
 * current task) takes interrupts whatever PSTATE.I says, as a WFI in the idle
 * loop is woken by a pending interrupt and unmasks it.
 *
 * All calls come from engine threads holding the baton (deterministic mode),
 * except that the GIC and the residency map are safe to use concurrently.
 * See docs/platform.md.
 */
#ifndef SIM_PLATFORM_H
#define SIM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/arm.h"
#include "sim/gic.h"
#include "sim/memory.h"
#include "sim/psci.h"
#include "sim/sdei.h"
#include "sim/smccc.h"

struct sim;
struct sim_platform;

struct sim_platform_config {
	struct sim_memory_config memory;
};

/* Hooks of the guest (kernel-API) layer; any may be NULL. */
struct sim_platform_guest_ops {
	/*
	 * IRQ exception vector, run on the vCPU's thread with PSTATE.DAIF
	 * masked: acknowledge with sim_gic_ack(), handle, sim_gic_eoi(). NULL:
	 * the platform acknowledges and EOIs one interrupt itself.
	 */
	void (*irq_vector)(void *ctx, uint32_t vcpu);
	/*
	 * SDEI handler entry (see struct sim_sdei_hooks.enter): run the
	 * client's handler, then issue EVENT_COMPLETE or
	 * EVENT_COMPLETE_AND_RESUME through sim_platform_hvc() and return.
	 */
	void (*sdei_enter)(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg, uint32_t event);
	/*
	 * PSCI CPU_ON: @vcpu starts at @entry with x0 = @context_id. Runs on a
	 * new guest task bound to @vcpu (named "cpu-on"), after the vCPU
	 * became ON; the task ends when the hook returns.
	 */
	void (*cpu_entry)(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t context_id);
	/* PSCI SYSTEM_OFF / SYSTEM_RESET from @vcpu. NULL: NOT_SUPPORTED. */
	void (*system_event)(void *ctx, uint32_t vcpu, enum sim_psci_system_event event);
	/*
	 * An exception (IRQ, or SDEI completed with COMPLETE_AND_RESUME) is
	 * about to return to EL0 on @vcpu: the kernel's return-to-user work
	 * (do_notify_resume: thread flags, reschedule). Runs on the vCPU's
	 * thread after the handler, with the interrupted PC and PSTATE already
	 * restored and outside any exception (it may block).
	 */
	void (*return_to_user)(void *ctx, uint32_t vcpu);
};

/*
 * Hooks of the host (KVM) layer; any may be NULL. The host runs on the
 * vCPU's own thread in "host mode" (see sim_platform_host_enter()): during
 * an exit (HVC, stage-2 fault) and at guest entry. Nothing is delivered to
 * the guest on a vCPU while it is in host mode.
 */
struct sim_platform_host_ops {
	/*
	 * Does @vcpu have work to do before it next enters the guest (KVM
	 * requests)? Read-only and cheap: the engine asks it at schedule
	 * points, also for idle vCPUs. True makes the vCPU "exit": its thread
	 * runs @entry at its next delivery.
	 */
	bool (*entry_pending)(void *ctx, uint32_t vcpu);
	/* Guest entry on @vcpu's thread, in host mode: process the requests. */
	void (*entry)(void *ctx, uint32_t vcpu);
	/*
	 * @vcpu was reset by the VMM: PSCI CPU_ON (before the target runs) and
	 * SYSTEM_RESET (every vCPU, after the guest's system_event hook).
	 * Runs on the caller's thread in host mode.
	 */
	void (*vcpu_reset)(void *ctx, uint32_t vcpu);
};

/* Counters for oracles and tests; they only grow. */
struct sim_platform_stats {
	uint64_t irq_entry_count;     /* IRQ vector entries, all vCPUs */
	uint64_t resume_irq_count;    /* ... of which after COMPLETE_AND_RESUME */
	uint64_t default_irq_count;   /* interrupts EOI'd by the platform (no hook) */
	uint64_t cpu_on_count;        /* successful CPU_ON */
	uint64_t cpu_off_count;       /* successful CPU_OFF */
	uint64_t system_event_count;  /* SYSTEM_OFF / SYSTEM_RESET handed to the guest */
	uint64_t host_entry_count;    /* host entry hooks run (requests processed) */
	uint64_t exit_sdei_count;     /* SDEI events dispatched at guest entry after an exit */
	uint64_t return_to_user_count; /* return_to_user hooks run */
	uint64_t vcpu_reset_count;    /* vcpu_reset hooks run */
};

/**
 * sim_platform_config_check() - validate @config.
 * Return: 0, or -EINVAL with a message in @error.
 */
int sim_platform_config_check(const struct sim_platform_config *config, char *error,
			      size_t error_size);

/**
 * sim_platform_create() - build the platform of execution @sim.
 * @out: the new platform.
 * @sim: the execution, created and not yet run; one vCPU per engine vCPU.
 * @config: validated here.
 * @error, @error_size: a message on failure.
 *
 * Guest memory draws its residency from SIM_STREAM_FAULT and its latencies
 * from SIM_STREAM_LATENCY. vCPUs start in EL1h with DAIF clear; PSCI states
 * follow the engine's online flags.
 *
 * Return: 0, -EINVAL for a bad configuration, -ENOMEM.
 */
__attribute__((warn_unused_result)) int
sim_platform_create(struct sim_platform **out, struct sim *sim,
		    const struct sim_platform_config *config, char *error, size_t error_size);

/**
 * sim_platform_destroy() - free the platform (NULL is ignored). The engine
 * keeps a pointer to it until the execution is destroyed: destroy the
 * platform after sim_destroy(), or never run the execution again.
 */
void sim_platform_destroy(struct sim_platform *platform);

/** sim_platform_set_guest_ops() - install the guest hooks (copied). */
void sim_platform_set_guest_ops(struct sim_platform *platform,
				const struct sim_platform_guest_ops *ops, void *ctx);

/** sim_platform_set_host_ops() - install the host hooks (copied). */
void sim_platform_set_host_ops(struct sim_platform *platform,
			       const struct sim_platform_host_ops *ops, void *ctx);

/* ---- Parts ---- */

/** sim_platform_sim() - the execution the platform belongs to. */
struct sim *sim_platform_sim(const struct sim_platform *platform);
/** sim_platform_vcpu_count() - vCPUs, as configured in the execution. */
uint32_t sim_platform_vcpu_count(const struct sim_platform *platform);
/** sim_platform_gic() - the GIC; guest drivers program it directly. */
struct sim_gic *sim_platform_gic(const struct sim_platform *platform);
/** sim_platform_sdei() - the SDEI dispatcher; the host defines and signals events. */
struct sim_sdei *sim_platform_sdei(const struct sim_platform *platform);
/** sim_platform_smccc() - the conduit; the host registers its services here. */
struct sim_smccc *sim_platform_smccc(const struct sim_platform *platform);
/** sim_platform_psci() - PSCI state (read-only use: sim_psci_state()). */
struct sim_psci *sim_platform_psci(const struct sim_platform *platform);
/** sim_platform_memory() - guest memory; the host installs its fault hook here. */
struct sim_memory *sim_platform_memory(const struct sim_platform *platform);
/** sim_platform_regs() - architectural state of @vcpu (valid for the platform's life). */
struct sim_arm_regs *sim_platform_regs(struct sim_platform *platform, uint32_t vcpu);
/** sim_platform_stats() - the platform's counters. */
const struct sim_platform_stats *sim_platform_stats(const struct sim_platform *platform);

/* ---- Guest side: called by a task or idle thread on its vCPU ---- */

/**
 * sim_platform_hvc() - an HVC from the caller's vCPU: x0..x17 go into the
 * vCPU's registers, the conduit routes the call, and x0..x3 receive the
 * results unless the call did not return.
 * Context: a thread on a vCPU; a schedule point.
 * Return: true if the call returned.
 */
bool sim_platform_hvc(struct sim_platform *platform, struct sim_smccc_regs *regs);

/** sim_platform_irq_disable() - set PSTATE.I of the caller's vCPU. */
void sim_platform_irq_disable(struct sim_platform *platform);

/**
 * sim_platform_irq_enable() - clear PSTATE.I of the caller's vCPU; if it was
 * set, a schedule point (SIM_POINT_IRQ_UNMASK) where pending IRQs may be taken.
 */
void sim_platform_irq_enable(struct sim_platform *platform);

/** sim_platform_irq_save() - mask IRQs; return the previous PSTATE.I bit. */
uint64_t sim_platform_irq_save(struct sim_platform *platform);

/** sim_platform_irq_restore() - restore PSTATE.I from sim_platform_irq_save(). */
void sim_platform_irq_restore(struct sim_platform *platform, uint64_t flags);

/** sim_platform_irqs_disabled() - PSTATE.I of the caller's vCPU. */
bool sim_platform_irqs_disabled(const struct sim_platform *platform);

/**
 * sim_platform_touch() - a guest access to @gpa from the caller's vCPU (see
 * sim_memory_touch()).
 */
int sim_platform_touch(struct sim_platform *platform, uint64_t gpa, unsigned int access_flags);

/* ---- Host side ---- */

/**
 * sim_platform_host_enter() - the caller's vCPU enters host mode (nests).
 * While a vCPU is in host mode nothing is delivered to its guest, so a
 * schedule point reached by host code (a lock, a page-in) never runs a
 * guest handler in the middle of an exit. sim_platform_hvc() and the
 * stage-2 fault hook of sim_platform_touch() run in host mode already.
 */
void sim_platform_host_enter(struct sim_platform *platform);

/**
 * sim_platform_host_exit() - leave host mode. Leaving the outermost level
 * is a guest entry: the host's entry hook runs (in host mode) while it has
 * work pending, then a dispatchable SDEI event is dispatched at once, as
 * KVM delivers a queued SDEI event before it enters the guest.
 */
void sim_platform_host_exit(struct sim_platform *platform);

/** sim_platform_in_host() - is @vcpu in host mode? */
bool sim_platform_in_host(const struct sim_platform *platform, uint32_t vcpu);

/**
 * sim_platform_set_fault_hook() - the host's stage-2 fault handler. Unlike
 * sim_memory_set_fault_hook() on the bare memory, the handler runs as an
 * exit: in host mode, followed by a guest entry (sim_platform_host_exit()).
 * NULL removes it (faults become synchronous page-ins).
 */
void sim_platform_set_fault_hook(struct sim_platform *platform, sim_stage2_fault_fn fault,
				 void *ctx);

/**
 * sim_platform_irq_line() - drive PPI @intid of @vcpu (kvm_vgic_inject_irq),
 * then kick @vcpu. A PPI bound to an SDEI event by INTERRUPT_BIND signals the
 * event instead when the line is raised.
 * Return: 0, -EINVAL for a bad vCPU or INTID, or the error of
 * sim_sdei_signal() for a bound PPI.
 */
int sim_platform_irq_line(struct sim_platform *platform, uint32_t vcpu, uint32_t intid,
			  bool level);

/**
 * sim_platform_send_sgi() - SGI @intid to @vcpu (from the host or from a guest
 * IPI), then kick @vcpu.
 * Return: 0, -EINVAL.
 */
int sim_platform_send_sgi(struct sim_platform *platform, uint32_t vcpu, uint32_t intid);

/**
 * sim_platform_deliverable() - would the engine's deliverable() hook say yes
 * for @vcpu now (for oracles and tests)? Also true while an idle vCPU runs a
 * handler, so that the engine keeps scheduling its idle thread until the
 * handler returns.
 */
bool sim_platform_deliverable(const struct sim_platform *platform, uint32_t vcpu);

#endif /* SIM_PLATFORM_H */

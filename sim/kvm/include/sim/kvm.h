/* SPDX-License-Identifier: MIT */
/*
 * The simulated KVM: one VM with one KVM vCPU per platform vCPU, wired to the
 * platform and to the host half (hostlib/). This is simulator-side API for
 * scenario drivers, tests and oracles; kernel code never includes it.
 *
 *   kvm_sim_create(&kvm, platform, kshim, &config);   before sim_run()
 *   ... sim_run(): guest tasks make HVCs and touch memory ...
 *   kvm_sim_quiesce(kvm);                             last, inside the run
 *   kshim_finish(kshim);
 *   kvm_sim_destroy(kvm);                             before kshim_destroy()
 *
 * kvm_sim_create() exposes the async-PF SDEI event on the platform's
 * dispatcher, creates the vCPUs (the host half allocates its per-vCPU
 * state), registers the KVM vendor-hypervisor service (SMCCC owner 6), the
 * stage-2 fault hook and the host ops (requests at guest entry, vCPU reset).
 *
 * The VMM-facing calls (async-PF commands, memslots, migration) take the
 * vCPU's mutex as KVM's vCPU ioctls do: they wait until the vCPU is not in
 * the middle of an exit. See docs/host.md.
 */
#ifndef SIM_KVM_H
#define SIM_KVM_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/apf.h"
#include "sim/prng.h"
#include "sim/sdei.h"

struct kshim;
struct kvm;
struct kvm_sim;
struct kvm_vcpu;
struct sim_platform;

/* SDEI events the VMM can expose (the async-PF one is always exposed). */
#define KVM_SIM_SDEI_EVENT_COUNT_MAX 4u
/* Threads that page in for synchronous faults of vCPU threads. */
#define KVM_SIM_PAGER_COUNT_MAX 4u
/* Memslots (KVM_SIM_MEMSLOT_COUNT in <linux/kvm_host.h>). */
#define KVM_SIM_MEMSLOT_COUNT_MAX 8u

struct kvm_sim_config {
	/*
	 * Also expose KVM_SDEI_DEFAULT_NUM (0x40400000, private, critical,
	 * signalable), as the SDEI series' VMMs do.
	 */
	bool expose_default_sdei_event;
	/*
	 * vCPUs (bit n = vCPU n) created without async-PF state, as when the
	 * host half's allocation fails: FEATURES lacks the async-PF bit and
	 * ASYNC_PF answers NOT_SUPPORTED there [R§9.13].
	 */
	uint64_t apf_absent_vcpu_mask;
	/*
	 * Fault injection: an SDEI injection (kvm_sdei_inject(), i.e. the
	 * host's page-not-present) that KVM would accept fails with this
	 * chance, drawn from the execution's SIM_STREAM_FAULT stream, with
	 * -EPERM, as KVM's fails when the event is not registered and enabled
	 * at that moment or the PE is masked [R§6.5, R§10.15]. 0/0 or 0/n:
	 * never (nothing is drawn). Changed in a run by kvm_sim_set_sdei_fail().
	 */
	struct sim_ratio sdei_fail_ratio;
};

/* The per-vCPU notification channel [R§4.12]. */
enum kvm_sim_apf_channel {
	KVM_SIM_APF_IDLE = 0,       /* slot (0,0), no flag */
	KVM_SIM_APF_NP_POSTED = 1,  /* page-not-present written, SDEI not yet dispatched */
	KVM_SIM_APF_NP_RUNNING = 2, /* SDEI delivered, guest has not cleared the slot */
	KVM_SIM_APF_PR_POSTED = 3,  /* page-ready written, PPI raised, not acknowledged */
	KVM_SIM_APF_STALE = 4,      /* the slot holds something no flag accounts for */
};

/* A snapshot of one vCPU's async-PF state (no schedule point, no lock). */
struct kvm_sim_apf_state {
	bool present;            /* the vCPU has async-PF state */
	bool enabled;            /* control & ENABLED */
	uint64_t control;        /* GPA | flags */
	uint64_t sdei_event;
	uint32_t irq;
	bool send_user_only;
	uint16_t token_counter;  /* the u16 id of the next token */
	bool notpresent_pending; /* effective: SDEI still queued or pending */
	uint32_t notpresent_token;
	bool pageready_pending;
	bool dequeue_blocked;
	uint32_t queued;         /* works outstanding (vcpu->async_pf.queued) */
	uint32_t queue_count;    /* entries on async_pf.queue */
	uint32_t done_count;     /* entries on async_pf.done */
	uint32_t hash_count;     /* gfns in the slot hash */
	bool slot_valid;         /* the control block is mapped */
	uint32_t slot_reason;    /* guest memory, read without a schedule point */
	uint32_t slot_token;
	bool line_level;         /* the PPI line as the GIC sees it */
	uint64_t requests;
	bool in_exit;            /* the vCPU's mutex is held (an exit or VMM call) */
	enum kvm_sim_apf_channel channel;
};

/* Counters of one vCPU (copied from KVM's vcpu->stat). */
struct kvm_sim_apf_stats {
	uint64_t halt_wakeup;
	uint64_t hvc_exit;
	uint64_t s2_fault;
	uint64_t mmio_exit;
	uint64_t mapped_fault;
	uint64_t async_fault;
	uint64_t sync_fault;
	uint64_t refault_halt;
	uint64_t refault_spin;
	uint64_t notpresent;
	uint64_t notpresent_fail;
	uint64_t pageready;
	uint64_t wakeall;
	uint64_t suppressed;
	uint64_t cancel;
	uint64_t irq_ack;
	uint64_t dequeue_blocked;
	uint64_t replay_skipped;
	uint64_t queued_max;
	/* Kept by the simulator: */
	uint64_t sync_pagein;    /* synchronous page-ins on the vCPU's behalf */
	uint64_t sdei_signalled; /* queued SDEI events handed to the dispatcher */
	uint64_t sdei_dropped;   /* ... refused by it (not registered any more) */
	uint64_t queue_full;     /* faults answered synchronously with 64 works queued */
	uint64_t sdei_inject_failed; /* SDEI injections failed by sdei_fail_ratio */
};

/* The saved async-PF state of a vCPU, as QEMU's "cpu/async_pf" section. */
struct kvm_sim_apf_saved {
	uint64_t sdei;
	uint32_t irq;
	uint64_t control;
};

/**
 * kvm_sim_create() - create the VM of one execution.
 * @out: the new VM.
 * @platform: the platform, created and not yet running.
 * @kshim: the kernel-API layer of the same execution (host code needs it).
 * @config: options, or NULL for defaults.
 *
 * Return: 0, -EINVAL (bad argument, already created for @platform),
 * -ENOMEM, -EEXIST / -ENOSPC from the SMCCC or SDEI registration, -EAGAIN
 * when pager threads cannot be spawned.
 */
__attribute__((warn_unused_result)) int kvm_sim_create(struct kvm_sim **out,
						       struct sim_platform *platform,
						       struct kshim *kshim,
						       const struct kvm_sim_config *config);

/**
 * kvm_sim_destroy() - free the VM (NULL is ignored). Outside a run, after
 * kvm_sim_quiesce() ran inside it; before kshim_destroy().
 */
void kvm_sim_destroy(struct kvm_sim *kvm_sim);

/**
 * kvm_sim_quiesce() - flush every vCPU's async-PF works (cancel queued
 * ones, wait for running ones, free completed ones), as at VM teardown.
 * Call from a thread of the run (e.g. the scenario driver) once the guest
 * is done, so that nothing allocated in the run is left for the leak check.
 * Return: 0, -EINVAL outside a run.
 */
int kvm_sim_quiesce(struct kvm_sim *kvm_sim);

/* The kernel objects (for host-half unit tests). */
struct kvm *kvm_sim_kvm(struct kvm_sim *kvm_sim);
struct kvm_vcpu *kvm_sim_vcpu(struct kvm_sim *kvm_sim, uint32_t vcpu);
struct sim_platform *kvm_sim_platform(const struct kvm_sim *kvm_sim);
uint32_t kvm_sim_vcpu_count(const struct kvm_sim *kvm_sim);

/**
 * kvm_sim_set_sdei_fail() - change the SDEI injection failure chance
 * (kvm_sim_config.sdei_fail_ratio) from now on, e.g. 0/0 when a run's
 * injections stop. No schedule point.
 * Return: 0, -EINVAL (NULL, a ratio above 1 or n/0 with n > 0).
 */
int kvm_sim_set_sdei_fail(struct kvm_sim *kvm_sim, struct sim_ratio ratio);

/* ---- VMM: the KVM_ARM_ASYNC_PF_COMMAND ioctl [R§4.11] ---- */

/**
 * kvm_sim_vm_apf_command() - the ioctl on the VM fd (GET_VERSION).
 * Return: 0 or a negative errno, as the ioctl.
 */
int kvm_sim_vm_apf_command(struct kvm_sim *kvm_sim, struct proto_kvm_arm_async_pf_cmd *cmd);

/**
 * kvm_sim_vcpu_apf_command() - the ioctl on vCPU @vcpu's fd (GET/SET
 * SDEI, IRQ, CONTROL). Takes the vCPU's mutex.
 * Return: 0 or a negative errno (-EINVAL bad command or vCPU, -EPERM no
 * async-PF state, -EIO SET_CONTROL refused).
 */
int kvm_sim_vcpu_apf_command(struct kvm_sim *kvm_sim, uint32_t vcpu,
			     struct proto_kvm_arm_async_pf_cmd *cmd);

/* ---- VMM: migration [R§4.11, R§10.25] ---- */

/** kvm_sim_vcpu_apf_save() - GET_SDEI, GET_IRQ, GET_CONTROL. Return: 0 or -errno. */
int kvm_sim_vcpu_apf_save(struct kvm_sim *kvm_sim, uint32_t vcpu, struct kvm_sim_apf_saved *out);

/**
 * kvm_sim_vcpu_apf_restore() - make @vcpu a fresh destination vCPU (its
 * outstanding works are dropped, flags, hash and token counter reset, as
 * on a new host), then SET_SDEI, SET_IRQ, SET_CONTROL, each only when the
 * saved value is non-zero, as QEMU does. Guest memory, the GIC and the SDEI
 * dispatcher are the same platform's ("migrated" as they are).
 * Return: 0 or the first failing command's -errno.
 */
int kvm_sim_vcpu_apf_restore(struct kvm_sim *kvm_sim, uint32_t vcpu,
			     const struct kvm_sim_apf_saved *saved);

/* ---- VMM: memory layout [R§10.21, R§10.22] ---- */

/**
 * kvm_sim_set_memslot() - KVM_SET_USER_MEMORY_REGION: slot @slot maps
 * [@gpa, @gpa + @size_bytes) of guest memory; @size_bytes 0 deletes it.
 * @flags: 0 or KVM_MEM_READONLY (1 << 1).
 * At creation slot 0 covers all guest memory.
 * Return: 0, -EINVAL (bad slot, alignment, range, flags), -EEXIST (overlap).
 */
int kvm_sim_set_memslot(struct kvm_sim *kvm_sim, uint32_t slot, uint64_t gpa,
			uint64_t size_bytes, uint32_t flags);

/* ---- Oracles: read-only, no schedule point ---- */

/** kvm_sim_vcpu_apf_state() - snapshot of @vcpu. Return: 0, -EINVAL. */
int kvm_sim_vcpu_apf_state(const struct kvm_sim *kvm_sim, uint32_t vcpu,
			   struct kvm_sim_apf_state *out);

/** kvm_sim_vcpu_apf_stats() - counters of @vcpu. Return: 0, -EINVAL. */
int kvm_sim_vcpu_apf_stats(const struct kvm_sim *kvm_sim, uint32_t vcpu,
			   struct kvm_sim_apf_stats *out);

/** kvm_sim_apf_stats_sum() - the counters of every vCPU added up (maximum for queued_max). */
void kvm_sim_apf_stats_sum(const struct kvm_sim *kvm_sim, struct kvm_sim_apf_stats *out);

/** kvm_sim_channel_name() - "idle", "np-posted", ... */
const char *kvm_sim_channel_name(enum kvm_sim_apf_channel channel);

/** kvm_sim_users() - references held on the VM (1 when no work is in flight). */
int kvm_sim_users(const struct kvm_sim *kvm_sim);

#endif /* SIM_KVM_H */

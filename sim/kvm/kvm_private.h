/* SPDX-License-Identifier: MIT */
/*
 * Private state of the simulated KVM (the sim/kvm sources only). struct kvm_sim
 * owns the kernel objects (struct kvm, struct kvm_vcpu) and the simulation
 * state behind them: per-vCPU halt waits, the vCPU mutex of the VMM calls,
 * hypercall results, queued SDEI events and the pager threads that page in
 * for synchronous faults.
 */
#ifndef SIM_KVM_PRIVATE_H
#define SIM_KVM_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/kvm_host.h>

#include "sim/kvm.h"
#include "sim/limits.h"
#include "sim/platform.h"

/* Threads that may wait for one vCPU mutex at once (vCPU, VMM, resetters). */
/* Threads waiting for a vCPU's mutex: every task of the vCPU can be one. */
#define KVM_SIM_MUTEX_WAITER_COUNT_MAX SIM_THREAD_COUNT_MAX
/* Owner id of the vCPU mutex taken outside a run. */
#define KVM_SIM_OWNER_OUTSIDE_ (SIM_THREAD_NONE - 1u)
/* Nesting of the vCPU mutex by one thread. */
#define KVM_SIM_MUTEX_DEPTH_MAX_ 4u
/* Bounds of waiting loops (spurious wake-ups are possible but rare). */
#define KVM_SIM_WAIT_ROUND_MAX_ 100000u
/*
 * An idle thread cannot block: it waits for a vCPU mutex by yielding, one
 * attempt per schedule point, for as long as the holder keeps it (a VMM call
 * may wait out dozens of page-ins). The engine's progress window and step
 * bound end a wait that never succeeds long before this.
 */
#define KVM_SIM_IDLE_WAIT_ROUND_MAX_ (1u << 31)
/* A pager thread's requests served; a daemon, so the bound is generous. */
#define KVM_SIM_PAGER_LOOP_MAX_ (1u << 30)

struct kvm_sim_event {
	uint32_t number;
	enum sim_sdei_priority priority;
};

/* A synchronous page-in handed to a pager thread. */
struct kvm_sim_pagein {
	uint64_t gpa;
	uint32_t requester;  /* thread id, woken when done */
	bool done;
	int result;
};

struct kvm_sim_host_context {
	bool active;
	bool irqs_disabled;
	uint32_t hardirq_depth;
	int preempt_count;
};

struct kvm_sim_vcpu {
	struct kvm_vcpu vcpu;
	uint32_t index;
	/* kvm_vcpu_halt(): the halted thread and the pending wake-up. */
	uint32_t halt_thread;
	bool wake_pending;
	/* The vCPU mutex of VMM calls and exits. */
	uint32_t mutex_owner;
	uint32_t mutex_depth;
	uint32_t mutex_waiters[KVM_SIM_MUTEX_WAITER_COUNT_MAX];
	uint32_t mutex_waiter_count; /* slots in use, so unlock scans only when needed */
	/*
	 * The hypercall being handled: its x0..x3 as the caller passed them
	 * (all 64 bits) and where its results go; NULL outside one.
	 */
	const uint64_t *hvc_args;
	uint64_t *hvc_results;
	/* SDEI events queued by kvm_sdei_inject(), by index in kvm_sim->events. */
	bool sdei_queued[KVM_SIM_SDEI_EVENT_COUNT_MAX];
	/* The vCPU's synchronous page-in in flight. */
	struct kvm_sim_pagein pagein;
	/* Counters kept by the simulator. */
	uint64_t sync_pagein_count;
	uint64_t sdei_signal_count;
	uint64_t sdei_drop_count;
	uint64_t queue_full_count; /* faults made synchronous by the 64-work limit */
	uint64_t sdei_inject_fail_count; /* injections failed by sdei_fail_ratio */
};

struct kvm_sim {
	struct sim *sim;
	struct sim_platform *platform;
	struct sim_memory *memory;
	struct sim_sdei *sdei;
	struct kshim *kshim;
	struct kvm_sim_config config;
	struct kvm kvm;
	struct mm_struct mm;
	uint32_t vcpu_count;
	struct kvm_sim_vcpu *vcpus; /* [vcpu_count] */
	struct kvm_sim_event events[KVM_SIM_SDEI_EVENT_COUNT_MAX];
	uint32_t event_count;
	/* Pager threads and their FIFO of vCPU indices (one request per vCPU). */
	uint32_t pager_threads[KVM_SIM_PAGER_COUNT_MAX];
	uint32_t pager_count;
	uint32_t pager_fifo[SIM_VCPU_COUNT_MAX];
	uint32_t pager_head;
	uint32_t pager_tail; /* head == tail: empty; indices grow, taken modulo */
};

/* ---- kvm_main.c ---- */
struct kvm_sim *kvm_sim__of(const struct kvm *kvm);
struct kvm_sim_vcpu *kvm_sim__vcpu_of(const struct kvm_vcpu *vcpu);
/* Page in @gpa for the caller: at once on a host thread, else via a pager. */
int kvm_sim__pagein(struct kvm_sim *kvm_sim, uint64_t gpa);
void kvm_sim__pager_thread(void *arg);
/* Block the caller until woken; with @keep_vcpu a guest task keeps its vCPU. */
void kvm_sim__block(bool keep_vcpu);
void kvm_sim__memslots_init(struct kvm_sim *kvm_sim);

/* ---- kvm_arm.c ---- */
void kvm_sim__check_vcpu_requests(struct kvm_vcpu *vcpu);
int kvm_sim__event_index(const struct kvm_sim *kvm_sim, unsigned long num);

/* ---- kvm_sim.c ---- */
void kvm_sim__vcpu_lock(struct kvm_sim *kvm_sim, uint32_t vcpu);
void kvm_sim__vcpu_unlock(struct kvm_sim *kvm_sim, uint32_t vcpu);
void kvm_sim__host_context_enter(struct kvm_sim_host_context *context);
void kvm_sim__host_context_exit(struct kvm_sim_host_context *context);

#endif /* SIM_KVM_PRIVATE_H */

/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED (minimal subset): arch/arm64/include/asm/kvm_host.h, Linux 5.14,
 * plus what the async-PF series (patches 07/08) and the SDEI series add to
 * it. The arm64 vCPU state async PF touches: fault information of the last
 * stage-2 abort, the per-vCPU async-PF control block, the arch requests, the
 * counters, and the prototypes of the host half's entry points that the
 * simulated KVM core (sim/kvm) calls.
 */
#ifndef __ARM64_KVM_HOST_H__
#define __ARM64_KVM_HOST_H__

#include <linux/kvm_types.h>
#include <linux/types.h>

#include <proto/apf.h>

struct kvm;
struct kvm_vcpu;

/*
 * Arch requests (KVM_ARCH_REQ() is in <linux/kvm_host.h>). 5.14 uses 0..5;
 * the SDEI series adds KVM_REQ_SDEI (our reading of its number) and the
 * async-PF series KVM_REQ_ASYNC_PF = KVM_ARCH_REQ(7) [R§4.1].
 */
#define KVM_REQ_SDEI KVM_ARCH_REQ(6)
#define KVM_REQ_ASYNC_PF KVM_ARCH_REQ(7)

/* ESR_EL2, FAR_EL2 and HPFAR_EL2 of the last exit (kvm_vcpu_fault_info). */
struct kvm_vcpu_fault_info {
	u32 esr_el2;
	u64 far_el2;
	u64 hpfar_el2;
};

/*
 * struct kvm_arch_async_pf - arch part of one async fault (patch 07).
 * @token: the token the guest is told.
 * @gfn: the faulting guest frame.
 * @esr: the abort's ESR, kept to replay the fault (prefault).
 */
struct kvm_arch_async_pf {
	u32 token;
	gfn_t gfn;
	u32 esr;
};

/*
 * struct kvm_arch_async_pf_control - per-vCPU async-PF state (patches
 * 07/08; allocated by the host half when the vCPU is created, NULL when the
 * allocation failed: the feature is then off for that vCPU).
 * @cache: gfn_to_hva cache of the first 8 bytes of the guest's control
 *         block (reason, token).
 * @control_block: GPA | flags as last accepted by ENABLE / SET_CONTROL.
 * @send_user_only: page-not-present only while the vCPU is at EL0.
 * @sdei_event_num: SDEI event for page-not-present (SET_SDEI).
 * @irq: PPI for page-ready (SET_IRQ).
 * @id: token counter (u16, wraps).
 * @notpresent_pending: a page-not-present is posted and its SDEI not yet
 *                      delivered (NP_POSTED).
 * @notpresent_token: its token.
 * @pageready_pending: a page-ready is posted and not acknowledged
 *                     (PR_POSTED).
 * @dequeue_blocked: a completion waits for the guest to clear the slot
 *                   while its page-not-present handler is in flight (fix H6).
 */
struct kvm_arch_async_pf_control {
	struct gfn_to_hva_cache cache;
	u64 control_block;
	bool send_user_only;
	u64 sdei_event_num;
	u32 irq;
	u16 id;
	bool notpresent_pending;
	u32 notpresent_token;
	bool pageready_pending;
	bool dequeue_blocked;
};

/*
 * struct kvm_vcpu_arch - arm64 vCPU state (subset).
 * @fault: the last stage-2 abort.
 * @apf: async-PF state, or NULL.
 */
struct kvm_vcpu_arch {
	struct kvm_vcpu_fault_info fault;
	struct kvm_arch_async_pf_control *apf;
};

/*
 * struct kvm_vcpu_stat - counters (KVM's vcpu->stat), for the simulator's
 * oracles. They only grow, except apf_queued_max which is a maximum.
 */
struct kvm_vcpu_stat {
	u64 halt_wakeup;         /* kvm_vcpu_halt() that returned */
	u64 hvc_exit_stat;       /* vendor-hypervisor hypercalls */
	u64 s2_fault;            /* stage-2 faults handled */
	u64 mmio_exit_stat;      /* faults outside a memslot or RO writes */
	u64 apf_mapped_fault;    /* the page was resident: mapped */
	u64 apf_async_fault;     /* the fault became an async work */
	u64 apf_sync_fault;      /* paged in synchronously */
	u64 apf_refault_halt;    /* refaults on an outstanding gfn that halted */
	u64 apf_refault_spin;    /* refaults that returned at once (v4) */
	u64 apf_notpresent;      /* page-not-present injected */
	u64 apf_notpresent_fail; /* page-not-present that could not be sent */
	u64 apf_pageready;       /* page-ready raised (token) */
	u64 apf_wakeall;         /* page-ready raised (wake-all) */
	u64 apf_suppressed;      /* completions the guest is not told of */
	u64 apf_cancel;          /* page-not-present cancelled before delivery */
	u64 apf_irq_ack;         /* IRQ_ACK hypercalls */
	u64 apf_dequeue_blocked; /* completion checks stopped by a busy slot */
	u64 apf_replay_skipped;  /* prefault replays skipped (memslot gone) */
	u64 apf_queued_max;      /* most works outstanding at once */
};

/* ---- Entry points of the host half (hostlib/) called by the KVM core ---- */

/*
 * kvm_arch_async_pf_create_vcpu() - allocate @vcpu's async-PF state; on
 * failure the feature is silently off for that vCPU (v4 behaviour [R§4.1]).
 */
void kvm_arch_async_pf_create_vcpu(struct kvm_vcpu *vcpu);
/* kvm_arch_async_pf_destroy_vcpu() - flush and free @vcpu's async-PF state. */
void kvm_arch_async_pf_destroy_vcpu(struct kvm_vcpu *vcpu);
/* kvm_arch_async_pf_reset_vcpu() - vCPU reset (PSCI CPU_ON, SYSTEM_RESET). */
void kvm_arch_async_pf_reset_vcpu(struct kvm_vcpu *vcpu);
/*
 * kvm_arch_async_pf_restart_vcpu() - the state a freshly created vCPU has
 * (a migration destination): reset, and the token counter back to 0.
 */
void kvm_arch_async_pf_restart_vcpu(struct kvm_vcpu *vcpu);
/*
 * kvm_arch_async_pf_runnable() - async-PF part of kvm_arch_vcpu_runnable():
 * should a vCPU in WFI wake to check completions? Must not sleep, take
 * locks or reach a schedule point: the simulator asks it at every one.
 */
bool kvm_arch_async_pf_runnable(struct kvm_vcpu *vcpu);

/* kvm_hvc_call_handler() - the vendor-hypervisor service; returns 1. */
int kvm_hvc_call_handler(struct kvm_vcpu *vcpu);
/*
 * kvm_handle_guest_abort() - a stage-2 data abort described by
 * vcpu->arch.fault. Return: 1 (resume the guest), or -EFAULT when the
 * address is outside every memslot or a write hit a read-only one (an exit
 * to the VMM in KVM).
 */
int kvm_handle_guest_abort(struct kvm_vcpu *vcpu);

/* The KVM_ARM_ASYNC_PF_COMMAND ioctl (patch 10) on the VM and vCPU fds. */
long kvm_arm_async_pf_vm_ioctl(struct kvm *kvm, struct proto_kvm_arm_async_pf_cmd *cmd);
long kvm_arm_async_pf_vcpu_ioctl(struct kvm_vcpu *vcpu, struct proto_kvm_arm_async_pf_cmd *cmd);

#endif /* __ARM64_KVM_HOST_H__ */

/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: arch/arm64/include/asm/kvm_sdei.h of the SDEI virtualisation
 * series (v3/v4, 2021) [R§6.5], reduced to what the async-PF host uses, over
 * the simulated platform's SDEI dispatcher (sim/sdei.c).
 *
 * KVM's injection semantics are kept: kvm_sdei_inject() refuses an event
 * that is not registered and enabled for the vCPU or a masked PE (-EPERM),
 * and with @immediate a critical event when a critical one is queued or
 * running (-ENOSPC; for a normal event: when anything is). An accepted event
 * is queued and KVM_REQ_SDEI raised; the KVM core hands it to the dispatcher
 * when it processes the request at guest entry, after KVM_REQ_ASYNC_PF, as
 * the series orders them. The dispatcher then delivers it when it can (a PE
 * masked after the injection defers it, where KVM v4 delivered anyway).
 *
 * KVM's DELIVERED / COMPLETED notifier is not modelled; the host asks
 * kvm_sdei_event_pending() instead (queued or signalled, not yet dispatched).
 */
#ifndef __ARM64_KVM_SDEI_H__
#define __ARM64_KVM_SDEI_H__

#include <linux/types.h>

struct kvm;
struct kvm_vcpu;

/* kvm_sdei_inject() - see above. Return: 0, -EPERM, -ENOSPC, -EINVAL. */
int kvm_sdei_inject(struct kvm_vcpu *vcpu, unsigned long num, bool immediate);

/*
 * kvm_sdei_cancel() - withdraw a queued, not yet dispatched @num.
 * Return: 0, -EINPROGRESS (its handler runs and nothing is queued),
 * -EINVAL (nothing queued).
 */
int kvm_sdei_cancel(struct kvm_vcpu *vcpu, unsigned long num);

/* kvm_sdei_event_pending() - is @num queued or signalled, not yet dispatched? */
bool kvm_sdei_event_pending(struct kvm_vcpu *vcpu, unsigned long num);

/* kvm_sdei_vcpu_event_running() - does any SDEI handler run on @vcpu? */
bool kvm_sdei_vcpu_event_running(struct kvm_vcpu *vcpu);

/* kvm_sdei_vcpu_masked() - is @vcpu's PE masked (PE_MASK)? */
bool kvm_sdei_vcpu_masked(struct kvm_vcpu *vcpu);

/* kvm_sdei_event_ready() - is @num registered and enabled for @vcpu? */
bool kvm_sdei_event_ready(struct kvm_vcpu *vcpu, unsigned long num);

/* kvm_sdei_is_exposed() - does the VMM expose @num to the guest? */
bool kvm_sdei_is_exposed(struct kvm *kvm, unsigned long num);

#endif /* __ARM64_KVM_SDEI_H__ */

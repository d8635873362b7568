/* SPDX-License-Identifier: MIT */
/*
 * Internal declarations of the arm64 async-PF host (hostlib/): what
 * arch/arm64/kvm/{async_pf,mmu,hypercalls}.c share in the v4 series
 * (arch/arm64/include/asm/kvm_host.h there).
 */
#ifndef __HOSTLIB_ASYNC_PF_H
#define __HOSTLIB_ASYNC_PF_H

#include <linux/kvm_host.h>
#include <linux/types.h>
#include <asm/kvm_emulate.h>

/* Registration flags the host understands; bits 2..5 are undefined [R§3.1]. */
#define KVM_ASYNC_PF_DEFINED_FLAGS \
	(PROTO_KVM_ASYNC_PF_ENABLED | PROTO_KVM_ASYNC_PF_SEND_ALWAYS)

/* Bytes of the guest's control block the host maps: reason and token. */
#define KVM_ASYNC_PF_HOST_AREA_SIZE PROTO_KVM_ASYNC_PF_HOST_AREA_SIZE

/*
 * Does the abort with syndrome @esr write? Stage-1 walks do, instruction
 * fetches do not, data aborts say so in WnR (kvm_is_write_fault() on a
 * saved ESR, for the replay of a completed async fault).
 */
static inline bool kvm_esr_is_write_fault(u32 esr)
{
	if (esr & ESR_ELx_S1PTW)
		return true;
	if (ESR_ELx_EC(esr) == ESR_ELx_EC_IABT_LOW)
		return false;
	return !!(esr & ESR_ELx_WNR);
}

bool kvm_arch_async_not_present_allowed(struct kvm_vcpu *vcpu);
bool kvm_arch_setup_async_pf(struct kvm_vcpu *vcpu, u32 esr, gpa_t gpa, gfn_t gfn);
bool kvm_async_pf_gfn_in_flight(struct kvm_vcpu *vcpu, gfn_t gfn);
long kvm_arch_async_enable(struct kvm_vcpu *vcpu, u64 data);
void kvm_async_pf_hypercall(struct kvm_vcpu *vcpu, u64 *val);
int kvm_handle_user_mem_abort(struct kvm_vcpu *vcpu, gpa_t fault_ipa,
			      struct kvm_memory_slot *memslot, unsigned long hva, u32 esr,
			      bool prefault);

#endif /* __HOSTLIB_ASYNC_PF_H */

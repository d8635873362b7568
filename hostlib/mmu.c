// SPDX-License-Identifier: MIT
/*
 * The stage-2 fault path of the arm64 host as far as async PF is concerned
 * (arch/arm64/kvm/mmu.c: kvm_handle_guest_abort() and user_mem_abort(),
 * which the series' patch 05 exported as kvm_handle_user_mem_abort() and
 * patch 07 taught to fault asynchronously), written anew [R§4.3].
 *
 * In the simulator a page is mapped at stage 2 as soon as it is resident,
 * so "map" needs no page-table code here.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/kvm_host.h>
#include <asm/kvm_emulate.h>
#include <asm/kvm_vgic.h>

#include "async_pf.h"

/* Wake-ups a refault waits through (completions of other works, kicks). */
#define KVM_ASYNC_PF_REFAULT_WAIT_MAX 1024

/**
 * kvm_handle_user_mem_abort() - resolve a stage-2 fault on guest memory.
 * @vcpu: the faulting vCPU.
 * @fault_ipa: the faulting guest address.
 * @memslot: its memslot.
 * @hva: its host address.
 * @esr: the abort's syndrome.
 * @prefault: a replay by kvm_arch_async_page_ready(): never asynchronous.
 *
 * A resident page is mapped. A missing one becomes an async work when the
 * guest may be told; a refault on an outstanding gfn waits for it;
 * otherwise the page is faulted in synchronously.
 *
 * Context: the vCPU's thread; may sleep.
 * Return: 1 (resume the guest), -EFAULT.
 */
int kvm_handle_user_mem_abort(struct kvm_vcpu *vcpu, gpa_t fault_ipa,
			      struct kvm_memory_slot *memslot, unsigned long hva, u32 esr,
			      bool prefault)
{
	gfn_t gfn = gpa_to_gfn(fault_ipa);
	bool write_fault = kvm_esr_is_write_fault(esr);
	bool writable = false;
	bool async = false;
	kvm_pfn_t pfn;
	int i;

	if (WARN_ON_ONCE(kvm_is_error_hva(hva)))
		return -EFAULT;
	pfn = __gfn_to_pfn_memslot(memslot, gfn, false, &async, write_fault, &writable, NULL);
	if (!async) {
		if (!prefault)
			vcpu->stat.apf_mapped_fault++;
		goto map;
	}

	if (vcpu->arch.apf && !prefault && kvm_arch_async_not_present_allowed(vcpu)) {
		/*
		 * A refault on a gfn whose page-in still runs: the vCPU waits
		 * in the host until it is in (as x86 halts on KVM_REQ_APF_HALT)
		 * or an interrupt is pending, which the guest must be able to
		 * take (it may be the page-ready that frees the channel). v4
		 * returned to the guest at once, which re-executed the access
		 * and faulted again in a tight loop [R§4.3].
		 */
		if (kvm_async_pf_find_slot(vcpu, gfn)) {
			/* fix: H2 */
			for (i = 0; i < KVM_ASYNC_PF_REFAULT_WAIT_MAX; i++) {
				if (!kvm_async_pf_gfn_in_flight(vcpu, gfn) ||
				    kvm_vgic_vcpu_pending_irq(vcpu))
					break;
				if (!i)
					vcpu->stat.apf_refault_halt++;
				kvm_vcpu_halt(vcpu);
			}
			if (!i)
				vcpu->stat.apf_refault_spin++;
			return 1;
		}
		if (kvm_arch_setup_async_pf(vcpu, esr, fault_ipa, gfn)) {
			vcpu->stat.apf_async_fault++;
			return 1;
		}
	}

	pfn = __gfn_to_pfn_memslot(memslot, gfn, false, NULL, write_fault, &writable, NULL);
	if (!prefault)
		vcpu->stat.apf_sync_fault++;
map:
	if (is_error_noslot_pfn(pfn))
		return -EFAULT;
	return 1;
}

/**
 * kvm_handle_guest_abort() - a stage-2 abort described by vcpu->arch.fault.
 * @vcpu: the faulting vCPU.
 *
 * Context: the vCPU's thread; may sleep.
 * Return: 1 (resume the guest), or -EFAULT when the address is in no
 * memslot or a write hit a read-only one (KVM exits to the VMM then).
 */
int kvm_handle_guest_abort(struct kvm_vcpu *vcpu)
{
	gpa_t fault_ipa = kvm_vcpu_get_fault_ipa(vcpu);
	gfn_t gfn = gpa_to_gfn(fault_ipa);
	struct kvm_memory_slot *memslot;
	bool writable = false;
	unsigned long hva;

	fault_ipa |= kvm_vcpu_get_hfar(vcpu) & GENMASK(11, 0);
	memslot = gfn_to_memslot(vcpu->kvm, gfn);
	hva = gfn_to_hva_memslot_prot(memslot, gfn, &writable);
	if (kvm_is_error_hva(hva) || (kvm_is_write_fault(vcpu) && !writable))
		return -EFAULT;
	return kvm_handle_user_mem_abort(vcpu, fault_ipa, memslot, hva, kvm_vcpu_get_esr(vcpu),
					 false);
}

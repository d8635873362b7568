/* SPDX-License-Identifier: MIT */
/*
 * DUPLICATED (subset): include/linux/kvm_types.h, Linux 5.14. The address
 * types of KVM: guest frame and physical addresses, host virtual addresses
 * and host page frames.
 */
#ifndef __KVM_TYPES_H__
#define __KVM_TYPES_H__

#include <linux/types.h>

struct kvm;
struct kvm_vcpu;
struct kvm_memory_slot;

/*
 * gpa_t, gfn_t, hva_t, hpa_t, hfn_t and kvm_pfn_t come from the kernel-API
 * layer's <linux/types.h> (all u64 there; hva_t is unsigned long in the
 * kernel, the same width on arm64).
 */

/*
 * CUSTOMISED: KVM keeps a memslot pointer and a generation to revalidate the
 * cache after a memslot change; the simulator does the same.
 */
struct gfn_to_hva_cache {
	u64 generation;
	gpa_t gpa;
	unsigned long hva;
	unsigned long len;
	struct kvm_memory_slot *memslot;
};

#endif /* __KVM_TYPES_H__ */

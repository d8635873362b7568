// SPDX-License-Identifier: MIT
/*
 * The gfn slot hash of a vCPU's outstanding async page faults
 * (CONFIG_KVM_ASYNC_PF_SLOT, virt/kvm/async_pf.c after the series' patch 03),
 * written anew [R§4.2]: a power-of-two table of ASYNC_PF_PER_VCPU entries,
 * open addressing with linear probing from the home slot
 * hash_32(gfn & 0xffffffff, 6), ~0 marking an empty slot, and backward-shift
 * deletion so that lookups may stop at the first empty slot.
 *
 * The table never holds more gfns than the vCPU has outstanding works, and
 * kvm_setup_async_pf() refuses a work beyond ASYNC_PF_PER_VCPU, so a free
 * slot always exists when one is added.
 */
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/kvm_host.h>

#define ASYNC_PF_SLOT_BITS 6
#define ASYNC_PF_SLOT_EMPTY (~(gfn_t)0)

static u32 kvm_async_pf_hash(gfn_t gfn)
{
	BUILD_BUG_ON(ASYNC_PF_PER_VCPU != 1 << ASYNC_PF_SLOT_BITS);
	return hash_32(lower_32_bits(gfn), ASYNC_PF_SLOT_BITS);
}

static u32 kvm_async_pf_next_slot(u32 key)
{
	return (key + 1) & (ASYNC_PF_PER_VCPU - 1);
}

/**
 * kvm_async_pf_reset_slot() - empty @vcpu's gfn table.
 * @vcpu: the vCPU.
 *
 * Context: the vCPU's thread (or the VMM with the vCPU stopped).
 */
void kvm_async_pf_reset_slot(struct kvm_vcpu *vcpu)
{
	int i;

	for (i = 0; i < ASYNC_PF_PER_VCPU; i++)
		vcpu->async_pf.gfns[i] = ASYNC_PF_SLOT_EMPTY;
}

/**
 * kvm_async_pf_add_slot() - record @gfn as outstanding.
 * @vcpu: the vCPU.
 * @gfn: the guest frame; must not be recorded already.
 *
 * Context: the vCPU's thread.
 */
void kvm_async_pf_add_slot(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	u32 key = kvm_async_pf_hash(gfn);
	int i;

	for (i = 0; i < ASYNC_PF_PER_VCPU; i++) {
		if (vcpu->async_pf.gfns[key] == ASYNC_PF_SLOT_EMPTY) {
			vcpu->async_pf.gfns[key] = gfn;
			return;
		}
		key = kvm_async_pf_next_slot(key);
	}
	/* Full: more gfns than works, which kvm_setup_async_pf() prevents. */
	WARN_ON_ONCE(1);
}

/* The slot holding @gfn, or the empty slot where its probe run ends. */
static u32 kvm_async_pf_get_slot(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	u32 key = kvm_async_pf_hash(gfn);
	int i;

	for (i = 0; i < ASYNC_PF_PER_VCPU; i++) {
		if (vcpu->async_pf.gfns[key] == gfn ||
		    vcpu->async_pf.gfns[key] == ASYNC_PF_SLOT_EMPTY)
			break;
		key = kvm_async_pf_next_slot(key);
	}
	return key;
}

/**
 * kvm_async_pf_find_slot() - is @gfn outstanding?
 * @vcpu: the vCPU.
 * @gfn: the guest frame.
 *
 * Return: true if @gfn is in the table.
 */
bool kvm_async_pf_find_slot(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	return vcpu->async_pf.gfns[kvm_async_pf_get_slot(vcpu, gfn)] == gfn;
}

/* Is @home cyclically in ]@hole, @index]? Then that entry must stay put. */
static bool kvm_async_pf_slot_between(u32 hole, u32 home, u32 index)
{
	if (hole <= index)
		return hole < home && home <= index;
	return hole < home || home <= index;
}

/**
 * kvm_async_pf_remove_slot() - forget @gfn.
 * @vcpu: the vCPU.
 * @gfn: the guest frame; WARNs if it is not outstanding.
 *
 * Backward-shift deletion: after emptying the slot, every later entry of
 * the probe run whose home slot does not lie cyclically in ]hole, entry]
 * moves back into the hole, so no lookup stops early at the new gap.
 */
void kvm_async_pf_remove_slot(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	u32 hole = kvm_async_pf_get_slot(vcpu, gfn);
	u32 index = hole;
	int i;

	if (WARN_ON_ONCE(vcpu->async_pf.gfns[hole] != gfn))
		return;
	vcpu->async_pf.gfns[hole] = ASYNC_PF_SLOT_EMPTY;
	for (i = 0; i < ASYNC_PF_PER_VCPU; i++) {
		gfn_t entry;

		index = kvm_async_pf_next_slot(index);
		entry = vcpu->async_pf.gfns[index];
		if (entry == ASYNC_PF_SLOT_EMPTY)
			return;
		if (kvm_async_pf_slot_between(hole, kvm_async_pf_hash(entry), index))
			continue;
		vcpu->async_pf.gfns[hole] = entry;
		vcpu->async_pf.gfns[index] = ASYNC_PF_SLOT_EMPTY;
		hole = index;
	}
}

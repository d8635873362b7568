/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED (minimal subset): include/linux/kvm_host.h, Linux 5.14, with the
 * async-PF series' changes (patches 01-03). What the generic KVM core gives
 * the arm64 async-PF host: struct kvm and struct kvm_vcpu with the generic
 * per-vCPU async_pf block, vCPU requests, kick / wake / halt, memslots, the
 * gfn_to_hva cache, get_user_pages_remote() and the prototypes of the generic
 * async-PF machinery (virt/kvm/async_pf.c, implemented in hostlib/).
 *
 * The functions without a body here are implemented by the simulator
 * (sim/kvm/kvm_*.c) over the platform (guest memory, vCPUs, engine). Fields
 * named kvm_sim* are simulation bookkeeping; kernel code never touches them.
 * See docs/host.md ("The sim/kvm layer").
 */
#ifndef __KVM_HOST_H
#define __KVM_HOST_H

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/kvm_types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <asm/barrier.h>
#include <asm/kvm_host.h>

#ifndef PAGE_SHIFT
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#endif

struct kvm_sim;
struct page;
struct vm_area_struct;

/* ---- Address helpers ---- */

static inline gfn_t gpa_to_gfn(gpa_t gpa)
{
	return (gfn_t)(gpa >> PAGE_SHIFT);
}

static inline gpa_t gfn_to_gpa(gfn_t gfn)
{
	return (gpa_t)gfn << PAGE_SHIFT;
}

/*
 * Error values of hva_t and kvm_pfn_t, as in the kernel. The kernel puts the
 * bad hva at PAGE_OFFSET; the simulator's host addresses are user-space
 * pointers, which stay far below this bound.
 */
#define KVM_SIM_HVA_ERR_BASE (~0UL << 48)
#define KVM_HVA_ERR_BAD (KVM_SIM_HVA_ERR_BASE)
#define KVM_HVA_ERR_RO_BAD (KVM_SIM_HVA_ERR_BASE + PAGE_SIZE)

static inline bool kvm_is_error_hva(unsigned long addr)
{
	return addr >= KVM_SIM_HVA_ERR_BASE;
}

#define KVM_PFN_ERR_MASK (0x7ffULL << 52)
#define KVM_PFN_ERR_NOSLOT_MASK (0xfffULL << 52)
#define KVM_PFN_NOSLOT (0x1ULL << 63)
#define KVM_PFN_ERR_FAULT (KVM_PFN_ERR_MASK)
#define KVM_PFN_ERR_HWPOISON (KVM_PFN_ERR_MASK + 1)
#define KVM_PFN_ERR_RO_FAULT (KVM_PFN_ERR_MASK + 2)

static inline bool is_error_pfn(kvm_pfn_t pfn)
{
	return !!(pfn & KVM_PFN_ERR_MASK);
}

static inline bool is_error_noslot_pfn(kvm_pfn_t pfn)
{
	return !!(pfn & KVM_PFN_ERR_NOSLOT_MASK);
}

/* ---- Memslots ---- */

#define KVM_MEM_LOG_DIRTY_PAGES (1UL << 0)
#define KVM_MEM_READONLY (1UL << 1)

/* Memslots of one VM (KVM_USER_MEM_SLOTS is 512 on arm64; 8 are enough here). */
#define KVM_SIM_MEMSLOT_COUNT 8

struct kvm_memory_slot {
	gfn_t base_gfn;
	unsigned long npages;
	unsigned long userspace_addr;
	u32 flags;
	short id;
	bool kvm_sim_used; /* simulation bookkeeping: the slot exists */
};

struct kvm_memslots {
	u64 generation;
	struct kvm_memory_slot memslots[KVM_SIM_MEMSLOT_COUNT];
};

/* ---- The process address space (only what async PF uses) ---- */

/*
 * STUBBED: struct mm_struct. The simulator's "host process" is the VMM that
 * owns guest memory; mm_users counts the references works hold.
 */
struct mm_struct {
	int mm_users;
	struct kvm *kvm_sim_kvm; /* simulation bookkeeping */
};

#define FOLL_WRITE 0x01

/* STUBBED: the simulator has no mmap lock; a port uses the kernel's. */
static inline void mmap_read_lock(struct mm_struct *mm)
{
	(void)mm;
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
	(void)mm;
}

void mmget(struct mm_struct *mm);
void mmput(struct mm_struct *mm);

/*
 * get_user_pages_remote() - fault in @nr_pages pages at host address @start
 * of @mm. In the simulator: the guest pages behind @start are paged in from
 * the swap model (sim_memory_pagein: sleeps the page's latency, then maps it
 * at stage 2). Called by async-PF works on host worker threads.
 * @pages, @vmas: must be NULL (not modelled).
 * @locked: set to 1 (the mmap lock is "still held").
 * Return: pages faulted in, or -EFAULT when @start is not guest memory.
 */
long get_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages,
			   struct vm_area_struct **vmas, int *locked);

/* ---- The generic async_pf block of a vCPU ---- */

#define ASYNC_PF_PER_VCPU 64

/*
 * struct kvm_async_pf - one asynchronous page fault (the series' patch 01
 * moved it after struct kvm_vcpu; here it follows the vCPU block).
 * @work: runs async_pf_execute() on a worker.
 * @link: entry in vcpu->async_pf.done once the page is in.
 * @queue: entry in vcpu->async_pf.queue while outstanding.
 * @vcpu: the vCPU; NULL once the work has completed.
 * @mm: the VMM's address space (a reference is held).
 * @cr2_or_gpa: the faulting GPA.
 * @addr: the host address of the page.
 * @arch: arch data (token, gfn, esr).
 * @wakeup_all: the wake-all pseudo work (no page).
 * @notpresent_injected: page-not-present reached the guest's channel.
 */
struct kvm_async_pf {
	struct work_struct work;
	struct list_head link;
	struct list_head queue;
	struct kvm_vcpu *vcpu;
	struct mm_struct *mm;
	gpa_t cr2_or_gpa;
	unsigned long addr;
	struct kvm_arch_async_pf arch;
	bool wakeup_all;
	bool notpresent_injected;
};

/* ---- VM and vCPU ---- */

struct kvm_vcpu_async_pf {
	u32 queued;
	struct list_head queue;
	struct list_head done;
	spinlock_t lock;
	gfn_t gfns[ASYNC_PF_PER_VCPU];
};

/*
 * struct kvm_vcpu - one vCPU (subset).
 * @kvm: the VM.
 * @vcpu_id: the VMM's id (MPIDR-derived on arm64; here = the index).
 * @vcpu_idx: index in kvm->vcpus.
 * @requests: KVM_REQ_* bits.
 * @async_pf: the generic async-PF block (CONFIG_KVM_ASYNC_PF).
 * @arch: arm64 state.
 * @stat: counters.
 */
struct kvm_vcpu {
	struct kvm *kvm;
	int vcpu_id;
	int vcpu_idx;
	u64 requests;
	struct kvm_vcpu_async_pf async_pf;
	struct kvm_vcpu_arch arch;
	struct kvm_vcpu_stat stat;
};

/* vCPUs of one VM in the simulator (SIM_VCPU_COUNT_MAX). */
#define KVM_MAX_VCPUS 64

/*
 * struct kvm - one VM (subset).
 * @mm: the VMM's address space.
 * @users_count: references (kvm_get_kvm / kvm_put_kvm).
 * @online_vcpus: vCPUs created.
 * @vcpus: the vCPUs.
 * @memslots: guest memory layout.
 * @kvm_sim: simulation bookkeeping (platform, engine, per-vCPU waits).
 */
struct kvm {
	struct mm_struct *mm;
	int users_count;
	int online_vcpus;
	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS];
	struct kvm_memslots memslots;
	struct kvm_sim *kvm_sim;
};

static inline struct kvm_vcpu *kvm_get_vcpu(struct kvm *kvm, int i)
{
	if (i < 0 || i >= kvm->online_vcpus)
		return NULL;
	return kvm->vcpus[i];
}

#define kvm_for_each_vcpu(idx, vcpup, kvm)                                     \
	for (idx = 0; idx < (kvm)->online_vcpus && ((vcpup) = (kvm)->vcpus[idx]); \
	     idx++)

/* Reference counting of the VM (works hold one). */
void kvm_get_kvm(struct kvm *kvm);
void kvm_put_kvm(struct kvm *kvm);

/* ---- Requests ---- */

#define KVM_REQUEST_MASK GENMASK(7, 0)
#define KVM_REQUEST_NO_WAKEUP BIT(8)
#define KVM_REQUEST_WAIT BIT(9)
#define KVM_REQUEST_ARCH_BASE 8
#define KVM_ARCH_REQ_FLAGS(nr, flags) ({ \
	BUILD_BUG_ON((unsigned int)(nr) >= 64 - KVM_REQUEST_ARCH_BASE); \
	(unsigned int)(((nr) + KVM_REQUEST_ARCH_BASE) | (flags)); \
})
#define KVM_ARCH_REQ(nr) KVM_ARCH_REQ_FLAGS(nr, 0)

static inline void kvm_make_request(int req, struct kvm_vcpu *vcpu)
{
	/* Make the request's data visible before the request itself. */
	smp_wmb();
	set_bit(req & KVM_REQUEST_MASK, (unsigned long *)&vcpu->requests);
}

static inline bool kvm_request_pending(struct kvm_vcpu *vcpu)
{
	return READ_ONCE(vcpu->requests);
}

static inline bool kvm_test_request(int req, struct kvm_vcpu *vcpu)
{
	return test_bit(req & KVM_REQUEST_MASK, (unsigned long *)&vcpu->requests);
}

static inline void kvm_clear_request(int req, struct kvm_vcpu *vcpu)
{
	clear_bit(req & KVM_REQUEST_MASK, (unsigned long *)&vcpu->requests);
}

static inline bool kvm_check_request(int req, struct kvm_vcpu *vcpu)
{
	if (kvm_test_request(req, vcpu)) {
		kvm_clear_request(req, vcpu);
		/* Pairs with the barrier in kvm_make_request(). */
		smp_mb__after_atomic();
		return true;
	}
	return false;
}

/*
 * kvm_vcpu_kick() - make @vcpu notice new requests or interrupts: wake it
 * if it is halted in the host, and have the engine re-evaluate an idle
 * (WFI) vCPU. Context: any thread.
 */
void kvm_vcpu_kick(struct kvm_vcpu *vcpu);

/*
 * kvm_vcpu_wake_up() - wake @vcpu if it is halted in the host (the
 * rcuwait_wake_up() of vcpu->wait). A wake-up with nobody halted is kept,
 * so the next kvm_vcpu_halt() returns at once.
 * Return: true if a halted vCPU was woken.
 */
bool kvm_vcpu_wake_up(struct kvm_vcpu *vcpu);

/*
 * kvm_vcpu_halt() - block the calling vCPU in the host until
 * kvm_vcpu_wake_up() or kvm_vcpu_kick(), keeping the physical CPU (nothing
 * else runs on the vCPU and it takes no interrupts meanwhile), as
 * kvm_vcpu_block() does. Returns at once if a wake-up came since the last
 * halt. Context: the vCPU's own thread, in host mode.
 */
void kvm_vcpu_halt(struct kvm_vcpu *vcpu);

/* ---- Memslots and guest memory ---- */

struct kvm_memory_slot *gfn_to_memslot(struct kvm *kvm, gfn_t gfn);
unsigned long gfn_to_hva_memslot_prot(struct kvm_memory_slot *slot, gfn_t gfn,
				      bool *writable);

/*
 * __gfn_to_pfn_memslot() - the host page behind @gfn (5.14 signature).
 * @async: NULL to wait for the page (a synchronous page-in: the vCPU halts
 *         while a pager thread pages it in); otherwise a non-resident page
 *         sets *@async and returns KVM_PFN_ERR_FAULT without waiting.
 * @atomic: never wait; a non-resident page is KVM_PFN_ERR_FAULT.
 * Return: the pfn (= gfn in the simulator), KVM_PFN_NOSLOT without a slot,
 * KVM_PFN_ERR_RO_FAULT for a write to a read-only slot.
 */
kvm_pfn_t __gfn_to_pfn_memslot(struct kvm_memory_slot *slot, gfn_t gfn, bool atomic,
			       bool *async, bool write_fault, bool *writable, hva_t *hva);

int kvm_gfn_to_hva_cache_init(struct kvm *kvm, struct gfn_to_hva_cache *ghc, gpa_t gpa,
			      unsigned long len);
/*
 * kvm_write_guest_offset_cached() / kvm_read_guest_offset_cached() - copy
 * through the cache. In the simulator each aligned 32-bit word is one
 * single-copy-atomic guest access and a schedule point; @offset and @len
 * must be multiples of 4 (-EINVAL otherwise).
 * Return: 0, -EFAULT (cache invalid, memslot gone or read-only), -EINVAL.
 */
int kvm_write_guest_offset_cached(struct kvm *kvm, struct gfn_to_hva_cache *ghc, void *data,
				  unsigned int offset, unsigned long len);
int kvm_read_guest_offset_cached(struct kvm *kvm, struct gfn_to_hva_cache *ghc, void *data,
				 unsigned int offset, unsigned long len);

/* ---- The generic async-PF machinery (virt/kvm/async_pf.c, in hostlib/) ---- */

void kvm_async_pf_vcpu_init(struct kvm_vcpu *vcpu);
void kvm_check_async_pf_completion(struct kvm_vcpu *vcpu);
bool kvm_check_async_pf_completion_queue(struct kvm_vcpu *vcpu);
void kvm_clear_async_pf_completion_queue(struct kvm_vcpu *vcpu);
bool kvm_setup_async_pf(struct kvm_vcpu *vcpu, gpa_t cr2_or_gpa, unsigned long hva,
			struct kvm_arch_async_pf *arch);
int kvm_async_pf_wakeup_all(struct kvm_vcpu *vcpu);

/* GFN slot hash (CONFIG_KVM_ASYNC_PF_SLOT, patch 03). */
void kvm_async_pf_reset_slot(struct kvm_vcpu *vcpu);
void kvm_async_pf_add_slot(struct kvm_vcpu *vcpu, gfn_t gfn);
void kvm_async_pf_remove_slot(struct kvm_vcpu *vcpu, gfn_t gfn);
bool kvm_async_pf_find_slot(struct kvm_vcpu *vcpu, gfn_t gfn);

/* Arch hooks the generic machinery calls (arch/arm64/kvm/async_pf.c). */
bool kvm_arch_async_page_not_present(struct kvm_vcpu *vcpu, struct kvm_async_pf *work);
void kvm_arch_async_page_ready(struct kvm_vcpu *vcpu, struct kvm_async_pf *work);
void kvm_arch_async_page_present(struct kvm_vcpu *vcpu, struct kvm_async_pf *work);
void kvm_arch_async_page_present_queued(struct kvm_vcpu *vcpu);
bool kvm_arch_can_dequeue_async_page_present(struct kvm_vcpu *vcpu);

#endif /* __KVM_HOST_H */

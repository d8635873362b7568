// SPDX-License-Identifier: MIT
/*
 * The generic KVM core the async-PF host relies on (virt/kvm/kvm_main.c in
 * the kernel), over the simulated platform: VM references, kick / wake-up /
 * halt of vCPUs, memslots, gfn -> pfn with the no-wait mode async PF needs,
 * the gfn_to_hva cache, get_user_pages_remote(), and the pager threads that
 * page in for synchronous faults.
 *
 * Waiting: a vCPU that waits in the host (a halt, a synchronous page-in)
 * keeps its physical CPU, as a KVM vCPU thread blocked in the kernel does:
 * guest tasks block with sim_schedule_halt(), so nothing else runs on the
 * vCPU and it takes no interrupt meanwhile. Host threads block normally.
 */
#include <errno.h>
#include <string.h>

#include <linux/kvm_host.h>

#include "kvm_private.h"
#include "sim/assert.h"
#include "sim/memory.h"
#include "sim/sim.h"
#include "sim/trace.h"

SIM_STATIC_ASSERT(PAGE_SIZE == SIM_MEMORY_PAGE_SIZE_BYTES, "KVM pages are the platform's pages");
SIM_STATIC_ASSERT(KVM_SIM_MEMSLOT_COUNT == KVM_SIM_MEMSLOT_COUNT_MAX,
		  "the kernel header and the simulator API agree on memslots");
SIM_STATIC_ASSERT(KVM_MAX_VCPUS == SIM_VCPU_COUNT_MAX, "one KVM vCPU per platform vCPU");

struct kvm_sim *kvm_sim__of(const struct kvm *kvm)
{
	SIM_ASSERT(kvm != NULL);
	SIM_ASSERT(kvm->kvm_sim != NULL);
	return kvm->kvm_sim;
}

struct kvm_sim_vcpu *kvm_sim__vcpu_of(const struct kvm_vcpu *vcpu)
{
	struct kvm_sim *kvm_sim;

	SIM_ASSERT(vcpu != NULL);
	kvm_sim = kvm_sim__of(vcpu->kvm);
	SIM_ASSERT(vcpu->vcpu_idx >= 0 && (uint32_t)vcpu->vcpu_idx < kvm_sim->vcpu_count);
	return &kvm_sim->vcpus[vcpu->vcpu_idx];
}

/* ---- References ---- */

void mmget(struct mm_struct *mm)
{
	SIM_ASSERT(mm != NULL);
	SIM_ASSERT(__atomic_load_n(&mm->mm_users, __ATOMIC_SEQ_CST) > 0);
	__atomic_add_fetch(&mm->mm_users, 1, __ATOMIC_SEQ_CST);
}

void mmput(struct mm_struct *mm)
{
	int users;

	SIM_ASSERT(mm != NULL);
	users = __atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_SEQ_CST);
	/* The VMM's own reference is dropped only by kvm_sim_destroy(). */
	SIM_ASSERT(users > 0);
}

void kvm_get_kvm(struct kvm *kvm)
{
	SIM_ASSERT(kvm != NULL);
	SIM_ASSERT(__atomic_load_n(&kvm->users_count, __ATOMIC_SEQ_CST) > 0);
	__atomic_add_fetch(&kvm->users_count, 1, __ATOMIC_SEQ_CST);
}

void kvm_put_kvm(struct kvm *kvm)
{
	int users;

	SIM_ASSERT(kvm != NULL);
	users = __atomic_sub_fetch(&kvm->users_count, 1, __ATOMIC_SEQ_CST);
	SIM_ASSERT(users > 0);
}

/* ---- Kick, wake-up, halt ---- */

/*
 * Block the caller (after sim_set_blocking()). With @keep_vcpu a guest task
 * keeps its vCPU (halted), as a vCPU thread that waits in the host does.
 * A vCPU's idle thread runs host code only inside a delivery, where the
 * engine keeps it eligible and it cannot block: it yields instead, and its
 * caller re-checks what it waits for.
 */
void kvm_sim__block(bool keep_vcpu)
{
	struct sim *sim = sim_self();
	enum sim_thread_kind kind;

	SIM_ASSERT(sim != NULL);
	kind = sim_thread_kind(sim, sim_self_id());
	if (kind == SIM_THREAD_TASK && keep_vcpu) {
		sim_schedule_halt();
	} else if (kind == SIM_THREAD_IDLE) {
		sim_set_running();
		sim_yield();
	} else {
		sim_schedule();
	}
}

bool kvm_vcpu_wake_up(struct kvm_vcpu *vcpu)
{
	struct kvm_sim_vcpu *sv = kvm_sim__vcpu_of(vcpu);
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);
	uint32_t thread;

	__atomic_store_n(&sv->wake_pending, true, __ATOMIC_SEQ_CST);
	thread = __atomic_load_n(&sv->halt_thread, __ATOMIC_SEQ_CST);
	if (thread == SIM_THREAD_NONE || sim_self() == NULL)
		return false;
	return sim_wake(kvm_sim->sim, thread);
}

void kvm_vcpu_kick(struct kvm_vcpu *vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);

	(void)kvm_vcpu_wake_up(vcpu);
	if (sim_self() != NULL)
		sim_vcpu_kick(kvm_sim->sim, (uint32_t)vcpu->vcpu_idx);
}

void kvm_vcpu_halt(struct kvm_vcpu *vcpu)
{
	struct kvm_sim_vcpu *sv = kvm_sim__vcpu_of(vcpu);
	uint32_t self = sim_self_id();

	SIM_ASSERT(sim_self() != NULL);
	SIM_ASSERT(sim_self_vcpu() == vcpu->vcpu_idx);
	if (__atomic_exchange_n(&sv->wake_pending, false, __ATOMIC_SEQ_CST))
		goto woken;
	SIM_ASSERT(__atomic_load_n(&sv->halt_thread, __ATOMIC_SEQ_CST) == SIM_THREAD_NONE);
	__atomic_store_n(&sv->halt_thread, self, __ATOMIC_SEQ_CST);
	sim_set_blocking("kvm: vcpu halt", sv);
	/* A wake-up between the store above and here cancels the block. */
	if (__atomic_exchange_n(&sv->wake_pending, false, __ATOMIC_SEQ_CST))
		sim_set_running();
	else
		kvm_sim__block(true);
	__atomic_store_n(&sv->halt_thread, SIM_THREAD_NONE, __ATOMIC_SEQ_CST);
	/* Consume a wake-up that raced with the block. */
	__atomic_store_n(&sv->wake_pending, false, __ATOMIC_SEQ_CST);
woken:
	vcpu->stat.halt_wakeup++;
}

/* ---- Pager: synchronous page-ins for vCPU threads ---- */

static void pager_request(struct kvm_sim *kvm_sim, uint32_t vcpu)
{
	uint32_t i;

	SIM_ASSERT(kvm_sim->pager_tail - kvm_sim->pager_head < kvm_sim->vcpu_count);
	kvm_sim->pager_fifo[kvm_sim->pager_tail % kvm_sim->vcpu_count] = vcpu;
	kvm_sim->pager_tail++;
	for (i = 0; i < kvm_sim->pager_count; i++)
		(void)sim_wake(kvm_sim->sim, kvm_sim->pager_threads[i]);
}

/* A pager thread: take a request, page in, wake the requester. */
void kvm_sim__pager_thread(void *arg)
{
	struct kvm_sim *kvm_sim = arg;
	uint32_t round;

	SIM_ASSERT(kvm_sim != NULL);
	for (round = 0; round < KVM_SIM_PAGER_LOOP_MAX_; round++) {
		struct kvm_sim_pagein *request;
		uint32_t vcpu;

		sim_set_blocking("kvm: pager idle", kvm_sim);
		if (kvm_sim->pager_head == kvm_sim->pager_tail) {
			sim_schedule();
			continue;
		}
		sim_set_running();
		vcpu = kvm_sim->pager_fifo[kvm_sim->pager_head % kvm_sim->vcpu_count];
		kvm_sim->pager_head++;
		SIM_ASSERT(vcpu < kvm_sim->vcpu_count);
		request = &kvm_sim->vcpus[vcpu].pagein;
		request->result = sim_memory_pagein(kvm_sim->memory, request->gpa);
		__atomic_store_n(&request->done, true, __ATOMIC_SEQ_CST);
		(void)sim_wake(kvm_sim->sim, request->requester);
	}
	SIM_ASSERT(!"kvm pager: request bound reached");
}

int kvm_sim__pagein(struct kvm_sim *kvm_sim, uint64_t gpa)
{
	struct kvm_sim_pagein *request;
	struct kvm_sim_vcpu *sv;
	uint32_t round;
	int vcpu;

	if (sim_self() == NULL)
		return sim_memory_set_resident(kvm_sim->memory, gpa, true);
	vcpu = sim_self_vcpu();
	if (vcpu < 0)
		return sim_memory_pagein(kvm_sim->memory, gpa);
	/* A vCPU thread keeps its vCPU while a pager sleeps the latency. */
	SIM_ASSERT((uint32_t)vcpu < kvm_sim->vcpu_count);
	sv = &kvm_sim->vcpus[vcpu];
	request = &sv->pagein;
	SIM_ASSERT(request->requester == SIM_THREAD_NONE);
	*request = (struct kvm_sim_pagein){ .gpa = gpa, .requester = sim_self_id() };
	pager_request(kvm_sim, (uint32_t)vcpu);
	for (round = 0; round < KVM_SIM_WAIT_ROUND_MAX_; round++) {
		sim_set_blocking("kvm: synchronous page-in", request);
		if (__atomic_load_n(&request->done, __ATOMIC_SEQ_CST)) {
			sim_set_running();
			break;
		}
		kvm_sim__block(true);
	}
	SIM_ASSERT(request->done);
	request->requester = SIM_THREAD_NONE;
	sv->sync_pagein_count++;
	return request->result;
}

/* ---- Memslots ---- */

void kvm_sim__memslots_init(struct kvm_sim *kvm_sim)
{
	struct kvm_memslots *slots = &kvm_sim->kvm.memslots;
	uint64_t base = sim_memory_gpa_base(kvm_sim->memory);
	uint64_t pages = sim_memory_page_count(kvm_sim->memory);
	struct kvm_memory_slot *slot = &slots->memslots[0];
	uint32_t i;

	memset(slots, 0, sizeof(*slots));
	for (i = 0; i < KVM_SIM_MEMSLOT_COUNT; i++)
		slots->memslots[i].id = (short)i;
	slot->base_gfn = gpa_to_gfn(base);
	slot->npages = (unsigned long)pages;
	slot->userspace_addr =
		(unsigned long)sim_memory_gpa_to_hva(kvm_sim->memory, base, pages * PAGE_SIZE);
	slot->flags = 0;
	slot->kvm_sim_used = true;
	SIM_ASSERT(slot->userspace_addr != 0);
	slots->generation = 1;
}

struct kvm_memory_slot *gfn_to_memslot(struct kvm *kvm, gfn_t gfn)
{
	struct kvm_memslots *slots;
	uint32_t i;

	SIM_ASSERT(kvm != NULL);
	slots = &kvm->memslots;
	for (i = 0; i < KVM_SIM_MEMSLOT_COUNT; i++) {
		struct kvm_memory_slot *slot = &slots->memslots[i];

		if (slot->kvm_sim_used && gfn >= slot->base_gfn &&
		    gfn - slot->base_gfn < slot->npages)
			return slot;
	}
	return NULL;
}

unsigned long gfn_to_hva_memslot_prot(struct kvm_memory_slot *slot, gfn_t gfn, bool *writable)
{
	if (slot == NULL || !slot->kvm_sim_used || gfn < slot->base_gfn ||
	    gfn - slot->base_gfn >= slot->npages)
		return KVM_HVA_ERR_BAD;
	if (writable != NULL)
		*writable = (slot->flags & KVM_MEM_READONLY) == 0;
	return slot->userspace_addr + (unsigned long)((gfn - slot->base_gfn) * PAGE_SIZE);
}

/* The VM a memslot belongs to: every slot lives in kvm->memslots. */
static struct kvm_sim *memslot_owner(const struct kvm_memory_slot *slot)
{
	const struct kvm_memory_slot *first = slot - slot->id;
	const struct kvm_memslots *slots =
		(const struct kvm_memslots *)((const char *)first -
					      offsetof(struct kvm_memslots, memslots));
	const struct kvm *kvm =
		(const struct kvm *)((const char *)slots - offsetof(struct kvm, memslots));

	SIM_ASSERT(slot->id >= 0 && slot->id < KVM_SIM_MEMSLOT_COUNT);
	return kvm_sim__of(kvm);
}

kvm_pfn_t __gfn_to_pfn_memslot(struct kvm_memory_slot *slot, gfn_t gfn, bool atomic,
			       bool *async, bool write_fault, bool *writable, hva_t *hva)
{
	struct kvm_sim *kvm_sim;
	bool slot_writable = false;
	unsigned long address;
	int resident;
	int ret;

	if (async != NULL)
		*async = false;
	address = gfn_to_hva_memslot_prot(slot, gfn, &slot_writable);
	if (hva != NULL)
		*hva = address;
	if (kvm_is_error_hva(address))
		return KVM_PFN_NOSLOT;
	if (write_fault && !slot_writable)
		return KVM_PFN_ERR_RO_FAULT;
	if (writable != NULL)
		*writable = slot_writable;
	kvm_sim = memslot_owner(slot);
	resident = sim_memory_resident(kvm_sim->memory, gfn_to_gpa(gfn));
	if (resident < 0)
		return KVM_PFN_ERR_FAULT;
	if (resident == 1)
		return (kvm_pfn_t)gfn;
	if (atomic)
		return KVM_PFN_ERR_FAULT;
	if (async != NULL) {
		*async = true;
		return KVM_PFN_ERR_FAULT;
	}
	ret = kvm_sim__pagein(kvm_sim, gfn_to_gpa(gfn));
	return ret < 0 ? KVM_PFN_ERR_FAULT : (kvm_pfn_t)gfn;
}

long get_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages,
			   struct vm_area_struct **vmas, int *locked)
{
	struct kvm_sim *kvm_sim;
	unsigned long i;

	SIM_ASSERT(mm != NULL && mm->kvm_sim_kvm != NULL);
	SIM_ASSERT(pages == NULL && vmas == NULL);
	(void)gup_flags;
	kvm_sim = kvm_sim__of(mm->kvm_sim_kvm);
	if (locked != NULL)
		*locked = 1;
	for (i = 0; i < nr_pages && i < KVM_SIM_WAIT_ROUND_MAX_; i++) {
		uint64_t gpa;

		if (sim_memory_hva_to_gpa(kvm_sim->memory,
					  (const void *)(start + i * PAGE_SIZE), &gpa) != 0)
			return i > 0 ? (long)i : -EFAULT;
		if (kvm_sim__pagein(kvm_sim, gpa) < 0)
			return i > 0 ? (long)i : -EFAULT;
	}
	return (long)i;
}

/* ---- The gfn_to_hva cache ---- */

int kvm_gfn_to_hva_cache_init(struct kvm *kvm, struct gfn_to_hva_cache *ghc, gpa_t gpa,
			      unsigned long len)
{
	struct kvm_memory_slot *slot;
	bool writable = false;
	gfn_t last;

	SIM_ASSERT(kvm != NULL && ghc != NULL);
	memset(ghc, 0, sizeof(*ghc));
	ghc->generation = kvm->memslots.generation;
	ghc->gpa = gpa;
	ghc->len = len;
	ghc->hva = KVM_HVA_ERR_BAD;
	if (len == 0 || gpa + len < gpa)
		return -EFAULT;
	slot = gfn_to_memslot(kvm, gpa_to_gfn(gpa));
	last = gpa_to_gfn(gpa + len - 1);
	if (slot == NULL || last - slot->base_gfn >= slot->npages)
		return -EFAULT;
	ghc->hva = gfn_to_hva_memslot_prot(slot, gpa_to_gfn(gpa), &writable);
	/* Like __gfn_to_hva_many(..., write = true): a read-only slot fails. */
	if (kvm_is_error_hva(ghc->hva) || !writable) {
		ghc->hva = KVM_HVA_ERR_RO_BAD;
		return -EFAULT;
	}
	ghc->hva += gpa & ~PAGE_MASK;
	ghc->memslot = slot;
	return 0;
}

/* Revalidate after a memslot change, as KVM does with the generation. */
static int ghc_check(struct kvm *kvm, struct gfn_to_hva_cache *ghc, unsigned int offset,
		     unsigned long len)
{
	if (ghc->generation != kvm->memslots.generation &&
	    kvm_gfn_to_hva_cache_init(kvm, ghc, ghc->gpa, ghc->len) != 0)
		return -EFAULT;
	if (kvm_is_error_hva(ghc->hva) || ghc->memslot == NULL)
		return -EFAULT;
	if ((offset % 4) != 0 || (len % 4) != 0 || (ghc->gpa % 4) != 0 ||
	    offset + len > ghc->len)
		return -EINVAL;
	return 0;
}

/* Static labels for the schedule points of the words of a cached area. */
static const char *const ghc_write_labels[] = {
	"kvm: guest write +0", "kvm: guest write +4", "kvm: guest write +8",
	"kvm: guest write +12",
};
static const char *const ghc_read_labels[] = {
	"kvm: guest read +0", "kvm: guest read +4", "kvm: guest read +8",
	"kvm: guest read +12",
};

static const char *ghc_label(const char *const *labels, uint64_t word, const char *other)
{
	return word < 4 ? labels[word] : other;
}

/* The vCPU whose async-PF slot @ghc caches, or -1. */
static int apf_slot_vcpu(const struct kvm_sim *kvm_sim, const struct gfn_to_hva_cache *ghc)
{
	for (uint32_t v = 0; v < kvm_sim->vcpu_count; v++) {
		const struct kvm_arch_async_pf_control *apf = kvm_sim->vcpus[v].vcpu.arch.apf;

		if (apf != NULL && &apf->cache == ghc)
			return (int)v;
	}
	return -1;
}

/*
 * Probe events for the oracles (sim/world_oracle.h): the host's writes of a
 * vCPU's shared slot, with what they replaced. Word 0 is the reason, word 1
 * the token (struct proto_kvm_vcpu_pv_apf_data).
 */
static void apf_slot_probe(struct kvm_sim *kvm_sim, const struct gfn_to_hva_cache *ghc,
			   uint32_t vcpu, uint64_t word, uint32_t old, uint32_t value)
{
	uint32_t other = 0;
	uint64_t b;

	if (word > 1)
		return;
	(void)sim_memory_read(kvm_sim->memory, ghc->gpa + (word == 0 ? 4 : 0), &other,
			      sizeof(other));
	if (word == 1) {
		b = (uint64_t)vcpu << 32 | other;
		sim_trace(kvm_sim->sim, SIM_TRACE_TOKEN, "apf-slot-token", value, b);
		return;
	}
	b = (uint64_t)vcpu << 32 | old;
	if (value == PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT)
		sim_trace(kvm_sim->sim, SIM_TRACE_TOKEN_NOT_PRESENT, "apf-np", other, b);
	else if (value == PROTO_KVM_PV_REASON_PAGE_READY)
		sim_trace(kvm_sim->sim, SIM_TRACE_TOKEN_READY, "apf-pr", other, b);
	else if (value == 0)
		sim_trace(kvm_sim->sim, SIM_TRACE_TOKEN, "apf-slot-clear", other, b);
	else
		sim_trace(kvm_sim->sim, SIM_TRACE_TOKEN, "apf-slot-reason", other, b);
}

int kvm_write_guest_offset_cached(struct kvm *kvm, struct gfn_to_hva_cache *ghc, void *data,
				  unsigned int offset, unsigned long len)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(kvm);
	const u32 *words = data;
	unsigned long i;
	int slot_vcpu;
	int ret;

	SIM_ASSERT(data != NULL || len == 0);
	ret = ghc_check(kvm, ghc, offset, len);
	if (ret != 0)
		return ret;
	slot_vcpu = apf_slot_vcpu(kvm_sim, ghc);
	for (i = 0; i < len / 4; i++) {
		uint64_t word = offset / 4 + i;
		uint32_t old;

		ret = sim_memory_exchange_u32(kvm_sim->memory, ghc->gpa + word * 4, words[i],
					      ghc_label(ghc_write_labels, word, "kvm: guest write"),
					      &old);
		if (ret != 0)
			return -EFAULT;
		if (slot_vcpu >= 0)
			apf_slot_probe(kvm_sim, ghc, (uint32_t)slot_vcpu, word, old, words[i]);
	}
	return 0;
}

int kvm_read_guest_offset_cached(struct kvm *kvm, struct gfn_to_hva_cache *ghc, void *data,
				 unsigned int offset, unsigned long len)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(kvm);
	u32 *words = data;
	unsigned long i;
	int ret;

	SIM_ASSERT(data != NULL || len == 0);
	ret = ghc_check(kvm, ghc, offset, len);
	if (ret != 0)
		return ret;
	for (i = 0; i < len / 4; i++) {
		uint64_t word = offset / 4 + i;
		uint32_t value = 0;

		ret = sim_memory_read_u32(kvm_sim->memory, ghc->gpa + word * 4, &value,
					  ghc_label(ghc_read_labels, word, "kvm: guest read"));
		if (ret != 0)
			return -EFAULT;
		words[i] = value;
	}
	return 0;
}

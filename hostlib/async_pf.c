// SPDX-License-Identifier: MIT
/*
 * arm64 asynchronous page fault, host side (arch/arm64/kvm/async_pf.c of
 * Gavin Shan's v4 series, patches 07-10), written anew.
 *
 * Per vCPU the guest registers a control block whose first two words are
 * the notification slot (reason, token). Page-not-present: the host writes
 * the token, then reason = PAGE_NOT_PRESENT, and injects the SDEI event the
 * VMM chose. Page-ready: the host writes the token (or ~0 for wake-all),
 * then reason = PAGE_READY, and raises the VMM's level PPI; the guest clears
 * the slot and acknowledges with IRQ_ACK, which lowers the line and sends
 * the next one [R§3, R§4].
 *
 * v4's latent host bugs are fixed, each in one hunk marked "fix: H<n>"
 * (docs/host.md lists them with their origin).
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <asm/kvm_emulate.h>
#include <asm/kvm_hypercalls.h>
#include <asm/kvm_sdei.h>
#include <asm/kvm_vgic.h>

#include <proto/apf.h>
#include <proto/gic.h>
#include <proto/smccc.h>

#include "async_pf.h"

#define KVM_ASYNC_PF_REASON_OFFSET offsetof(struct proto_kvm_vcpu_pv_apf_data, reason)
#define KVM_ASYNC_PF_TOKEN_OFFSET offsetof(struct proto_kvm_vcpu_pv_apf_data, token)

static bool kvm_async_pf_enabled(struct kvm_arch_async_pf_control *apf)
{
	return apf && (apf->control_block & PROTO_KVM_ASYNC_PF_ENABLED);
}

static int kvm_async_pf_read(struct kvm_vcpu *vcpu, unsigned int offset, u32 *value)
{
	return kvm_read_guest_offset_cached(vcpu->kvm, &vcpu->arch.apf->cache, value, offset,
					    sizeof(*value));
}

static int kvm_async_pf_write(struct kvm_vcpu *vcpu, unsigned int offset, u32 value)
{
	return kvm_write_guest_offset_cached(vcpu->kvm, &vcpu->arch.apf->cache, &value, offset,
					     sizeof(value));
}

static int kvm_async_pf_read_slot(struct kvm_vcpu *vcpu, u32 *reason, u32 *token)
{
	int ret;

	ret = kvm_async_pf_read(vcpu, KVM_ASYNC_PF_REASON_OFFSET, reason);
	if (!ret)
		ret = kvm_async_pf_read(vcpu, KVM_ASYNC_PF_TOKEN_OFFSET, token);
	return ret;
}

/* Publish a notification: the token first, the reason last. */
static int kvm_async_pf_post(struct kvm_vcpu *vcpu, u32 reason, u32 token)
{
	int ret;

	ret = kvm_async_pf_write(vcpu, KVM_ASYNC_PF_TOKEN_OFFSET, token);
	if (!ret)
		ret = kvm_async_pf_write(vcpu, KVM_ASYNC_PF_REASON_OFFSET, reason);
	return ret;
}

/* Withdraw a notification the guest never saw: the reason first. */
static void kvm_async_pf_clear_slot(struct kvm_vcpu *vcpu)
{
	kvm_async_pf_write(vcpu, KVM_ASYNC_PF_REASON_OFFSET, 0);
	kvm_async_pf_write(vcpu, KVM_ASYNC_PF_TOKEN_OFFSET, 0);
}

/*
 * KVM's SDEI notifier clears notpresent_pending when the event is
 * delivered; the simulated dispatcher has no notifier, so the flag is
 * brought up to date whenever it is read.
 */
static void kvm_async_pf_sync_delivered(struct kvm_vcpu *vcpu)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;

	if (apf->notpresent_pending &&
	    !kvm_sdei_event_pending(vcpu, apf->sdei_event_num)) {
		apf->notpresent_pending = false;
		apf->notpresent_token = 0;
	}
}

/*
 * Back to an idle channel: no works, no outstanding gfn, no pending or
 * queued notification, the PPI line low. With @write_slot the slot is
 * cleared too, unless an SDEI handler runs (the guest owns it then); without
 * it the guest's memory is not touched (after a reset it may not be the
 * control block any more).
 */
static void kvm_async_pf_channel_reset(struct kvm_vcpu *vcpu, bool write_slot)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;

	kvm_clear_async_pf_completion_queue(vcpu);
	kvm_async_pf_reset_slot(vcpu);
	if (apf->sdei_event_num && kvm_sdei_event_pending(vcpu, apf->sdei_event_num))
		kvm_sdei_cancel(vcpu, apf->sdei_event_num);
	apf->notpresent_pending = false;
	apf->notpresent_token = 0;
	apf->pageready_pending = false;
	apf->dequeue_blocked = false;
	if (apf->irq)
		kvm_vgic_inject_irq(vcpu->kvm, vcpu->vcpu_idx, apf->irq, false, apf);
	if (write_slot && !kvm_sdei_vcpu_event_running(vcpu))
		kvm_async_pf_clear_slot(vcpu);
}

/**
 * kvm_arch_async_pf_create_vcpu() - allocate @vcpu's async-PF state.
 * @vcpu: the vCPU, being created.
 *
 * On failure the pointer stays NULL and async PF is off for that vCPU
 * (FEATURES lacks the bit, ASYNC_PF answers NOT_SUPPORTED).
 */
void kvm_arch_async_pf_create_vcpu(struct kvm_vcpu *vcpu)
{
	vcpu->arch.apf = kzalloc(sizeof(*vcpu->arch.apf), GFP_KERNEL_ACCOUNT);
}

/**
 * kvm_arch_async_pf_destroy_vcpu() - flush and free @vcpu's async-PF state.
 * @vcpu: the vCPU, being destroyed.
 *
 * Context: process context, may sleep.
 */
void kvm_arch_async_pf_destroy_vcpu(struct kvm_vcpu *vcpu)
{
	kvm_clear_async_pf_completion_queue(vcpu);
	kfree(vcpu->arch.apf);
	vcpu->arch.apf = NULL;
}

/**
 * kvm_arch_async_pf_reset_vcpu() - @vcpu is reset (PSCI CPU_ON, SYSTEM_RESET).
 * @vcpu: the vCPU.
 *
 * The registration and everything behind it goes: a rebooted or kexec'd
 * guest registers again, perhaps elsewhere, and its waiters are gone.
 *
 * Context: process context, may sleep; the vCPU does not run.
 */
void kvm_arch_async_pf_reset_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;

	if (!apf)
		return;
	/* fix: H4 */
	kvm_async_pf_channel_reset(vcpu, false);
	apf->control_block = 0;
	apf->send_user_only = false;
	apf->cache = (struct gfn_to_hva_cache){ .hva = KVM_HVA_ERR_BAD };
}

/**
 * kvm_arch_async_pf_restart_vcpu() - the state of a newly created vCPU.
 * @vcpu: the vCPU (a migration destination).
 *
 * Works, gfns, flags, the registration, the SDEI event and PPI numbers and
 * the token counter start afresh; guest memory, the GIC and the SDEI
 * dispatcher are migrated state and are not touched.
 *
 * Context: process context, may sleep; the vCPU does not run.
 */
void kvm_arch_async_pf_restart_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;

	if (!apf)
		return;
	kvm_clear_async_pf_completion_queue(vcpu);
	kvm_async_pf_reset_slot(vcpu);
	*apf = (struct kvm_arch_async_pf_control){ .cache.hva = KVM_HVA_ERR_BAD };
}

/**
 * kvm_arch_async_not_present_allowed() - may page-not-present be sent now?
 * @vcpu: the faulting vCPU.
 *
 * Enabled; at EL0 unless SEND_ALWAYS; an in-kernel GIC; no SDEI handler
 * running; and the guest has consumed the previous notification [R§4.4].
 *
 * Return: true if it may.
 */
bool kvm_arch_async_not_present_allowed(struct kvm_vcpu *vcpu)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;
	u32 reason, token;

	if (!kvm_async_pf_enabled(apf))
		return false;
	if (apf->send_user_only && vcpu_mode_priv(vcpu))
		return false;
	if (!irqchip_in_kernel(vcpu->kvm))
		return false;
	if (kvm_sdei_vcpu_event_running(vcpu))
		return false;
	if (kvm_async_pf_read_slot(vcpu, &reason, &token))
		return false;
	return !reason && !token;
}

/**
 * kvm_arch_setup_async_pf() - turn a stage-2 fault into an async work.
 * @vcpu: the faulting vCPU.
 * @esr: the abort's syndrome, kept to replay the fault.
 * @gpa: the faulting address.
 * @gfn: its frame.
 *
 * Return: true if a work was queued.
 */
bool kvm_arch_setup_async_pf(struct kvm_vcpu *vcpu, u32 esr, gpa_t gpa, gfn_t gfn)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;
	struct kvm_arch_async_pf arch;
	unsigned long hva;

	arch.token = proto_kvm_async_pf_token_make(apf->id++, vcpu->vcpu_id);
	arch.gfn = gfn;
	arch.esr = esr;
	hva = gfn_to_hva_memslot_prot(gfn_to_memslot(vcpu->kvm, gfn), gfn, NULL);
	return kvm_setup_async_pf(vcpu, gpa, hva, &arch);
}

/**
 * kvm_async_pf_gfn_in_flight() - is the page-in of @gfn still running?
 * @vcpu: the vCPU.
 * @gfn: an outstanding gfn.
 *
 * Return: true while its work has not completed.
 */
bool kvm_async_pf_gfn_in_flight(struct kvm_vcpu *vcpu, gfn_t gfn)
{
	struct kvm_async_pf *work;
	bool in_flight = false;
	u32 seen = 0;

	spin_lock(&vcpu->async_pf.lock);
	list_for_each_entry(work, &vcpu->async_pf.queue, queue) {
		if (WARN_ON_ONCE(++seen > ASYNC_PF_PER_VCPU))
			break;
		if (work->arch.gfn == gfn && work->vcpu) {
			in_flight = true;
			break;
		}
	}
	spin_unlock(&vcpu->async_pf.lock);
	return in_flight;
}

/* Undo a page-not-present the guest cannot have seen. */
static bool kvm_async_pf_notpresent_rollback(struct kvm_vcpu *vcpu)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;

	apf->notpresent_pending = false;
	apf->notpresent_token = 0;
	kvm_async_pf_clear_slot(vcpu);
	vcpu->stat.apf_notpresent_fail++;
	/*
	 * The gfn stays hashed until its work completes: a refault waits for
	 * the page and the completion's remove finds it.
	 */
	return false;
}

/**
 * kvm_arch_async_page_not_present() - tell the guest a page is not present.
 * @vcpu: the faulting vCPU.
 * @work: the new work.
 *
 * Return: true if the notification is posted and its SDEI event injected.
 */
bool kvm_arch_async_page_not_present(struct kvm_vcpu *vcpu, struct kvm_async_pf *work)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;
	u32 token = work->arch.token;

	kvm_async_pf_add_slot(vcpu, work->arch.gfn);
	if (kvm_async_pf_post(vcpu, PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT, token))
		return kvm_async_pf_notpresent_rollback(vcpu);

	apf->notpresent_pending = true;
	apf->notpresent_token = token;
	/* fix: H1 */
	if (kvm_sdei_inject(vcpu, apf->sdei_event_num, true))
		return kvm_async_pf_notpresent_rollback(vcpu);

	vcpu->stat.apf_notpresent++;
	return true;
}

/**
 * kvm_arch_async_page_present_queued() - the first work reached the done list.
 * @vcpu: its vCPU.
 *
 * Context: a host worker.
 */
void kvm_arch_async_page_present_queued(struct kvm_vcpu *vcpu)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;

	kvm_make_request(KVM_REQ_ASYNC_PF, vcpu);
	if (apf && !READ_ONCE(apf->pageready_pending))
		kvm_vcpu_kick(vcpu);
}

/*
 * The channel is busy: stop dequeuing. v4 re-raised KVM_REQ_ASYNC_PF here,
 * so the request never cleared and a vCPU in WFI never slept [R§4.10].
 * Instead, a posted page-ready is followed up by IRQ_ACK, and a slot the
 * guest still holds while its page-not-present handler is in flight is
 * re-checked once that handler is done (kvm_arch_async_pf_runnable()).
 */
static bool kvm_async_pf_dequeue_blocked(struct kvm_vcpu *vcpu)
{
	vcpu->stat.apf_dequeue_blocked++;
	/* fix: H6 */
	vcpu->arch.apf->dequeue_blocked =
		!vcpu->arch.apf->pageready_pending &&
		(kvm_sdei_vcpu_event_running(vcpu) ||
		 kvm_sdei_event_pending(vcpu, vcpu->arch.apf->sdei_event_num));
	return false;
}

/**
 * kvm_arch_can_dequeue_async_page_present() - may a completion be delivered?
 * @vcpu: the vCPU.
 *
 * Yes when async PF is off (the queue drains silently), when the slot is
 * free and no page-ready awaits its acknowledgment, or when the slot holds
 * the not yet delivered page-not-present of the head work, which
 * kvm_arch_async_page_present() then cancels [R§4.6].
 *
 * Return: true if it may.
 */
bool kvm_arch_can_dequeue_async_page_present(struct kvm_vcpu *vcpu)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;
	struct kvm_async_pf *work;
	u32 reason, token;

	if (!kvm_async_pf_enabled(apf))
		return true;
	apf->dequeue_blocked = false;
	if (apf->pageready_pending)
		return kvm_async_pf_dequeue_blocked(vcpu);
	if (kvm_async_pf_read_slot(vcpu, &reason, &token))
		return kvm_async_pf_dequeue_blocked(vcpu);

	kvm_async_pf_sync_delivered(vcpu);
	if (apf->notpresent_pending) {
		work = list_first_entry(&vcpu->async_pf.done, struct kvm_async_pf, link);
		if (!work->wakeup_all && work->arch.token == apf->notpresent_token &&
		    token == apf->notpresent_token &&
		    reason == PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT) {
			kvm_make_request(KVM_REQ_ASYNC_PF, vcpu);
			return true;
		}
	}
	if (reason || token)
		return kvm_async_pf_dequeue_blocked(vcpu);
	return true;
}

/**
 * kvm_arch_async_pf_runnable() - should a vCPU in WFI wake for async PF?
 * @vcpu: the vCPU.
 *
 * Only when a completion waits for a slot the guest held while its
 * page-not-present handler was in flight, and that handler is done.
 * Never because a page-ready awaits its acknowledgment [R§4.10].
 *
 * Context: any; no lock, no sleep (asked at every schedule point).
 * Return: true to wake and re-check the completions.
 */
bool kvm_arch_async_pf_runnable(struct kvm_vcpu *vcpu)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;

	if (!apf || !apf->dequeue_blocked)
		return false;
	return !kvm_sdei_vcpu_event_running(vcpu) &&
	       !kvm_sdei_event_pending(vcpu, apf->sdei_event_num);
}

/**
 * kvm_arch_async_page_ready() - map the page before the guest is told.
 * @vcpu: the vCPU.
 * @work: the completed work.
 *
 * Replays the fault with prefault set, unless the memslot went away or a
 * write meets a read-only one: the guest then retries and takes a normal
 * fault [R§10.21, R§10.22].
 */
void kvm_arch_async_page_ready(struct kvm_vcpu *vcpu, struct kvm_async_pf *work)
{
	struct kvm_memory_slot *memslot;
	bool writable = false;
	unsigned long hva;
	gfn_t gfn;

	if (work->wakeup_all)
		return;
	gfn = work->arch.gfn;
	memslot = gfn_to_memslot(vcpu->kvm, gfn);
	hva = gfn_to_hva_memslot_prot(memslot, gfn, &writable);
	if (kvm_is_error_hva(hva) || (kvm_esr_is_write_fault(work->arch.esr) && !writable)) {
		vcpu->stat.apf_replay_skipped++;
		return;
	}
	kvm_handle_user_mem_abort(vcpu, gfn_to_gpa(gfn), memslot, hva, work->arch.esr, true);
}

/**
 * kvm_arch_async_page_present() - tell the guest a page is ready.
 * @vcpu: the vCPU.
 * @work: the completed work (or the wake-all pseudo work).
 *
 * If the guest has not been told of the fault yet, its page-not-present is
 * cancelled and nothing is sent. Otherwise the token (~0 for wake-all) and
 * PAGE_READY are written and the PPI raised.
 */
void kvm_arch_async_page_present(struct kvm_vcpu *vcpu, struct kvm_async_pf *work)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;
	u32 token;

	if (work->wakeup_all) {
		token = PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL;
	} else {
		kvm_async_pf_remove_slot(vcpu, work->arch.gfn);
		token = work->arch.token;
		/* fix: H3 */
		if (!work->notpresent_injected) {
			vcpu->stat.apf_suppressed++;
			return;
		}
	}
	if (!kvm_async_pf_enabled(apf))
		return;

	kvm_async_pf_sync_delivered(vcpu);
	if (apf->notpresent_pending && apf->notpresent_token == token &&
	    !kvm_sdei_cancel(vcpu, apf->sdei_event_num)) {
		apf->notpresent_pending = false;
		apf->notpresent_token = 0;
		kvm_async_pf_clear_slot(vcpu);
		vcpu->stat.apf_cancel++;
		return;
	}

	if (kvm_async_pf_post(vcpu, PROTO_KVM_PV_REASON_PAGE_READY, token)) {
		pr_warn_ratelimited("kvm: vcpu %d: cannot post page-ready\n", vcpu->vcpu_idx);
		return;
	}
	apf->pageready_pending = true;
	if (work->wakeup_all)
		vcpu->stat.apf_wakeall++;
	else
		vcpu->stat.apf_pageready++;
	kvm_vgic_inject_irq(vcpu->kvm, vcpu->vcpu_idx, apf->irq, true, apf);
}

/* IRQ_ACK: the guest consumed the page-ready; send the next one. */
static void kvm_async_pf_irq_ack(struct kvm_vcpu *vcpu)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;
	u32 reason, token;

	vcpu->stat.apf_irq_ack++;
	if (!apf->pageready_pending)
		return;
	/*
	 * fix: H14 - the guest empties the slot before IRQ_ACK. A posted
	 * page-ready still in the slot was not consumed: this ACK is a late one
	 * of a handler that began before a migration restore, and must not
	 * take the line down under the wake-all the restore posted [R§10.25].
	 */
	if (!kvm_async_pf_read_slot(vcpu, &reason, &token) && (reason || token))
		return;
	kvm_vgic_inject_irq(vcpu->kvm, vcpu->vcpu_idx, apf->irq, false, apf);
	apf->pageready_pending = false;
	kvm_check_async_pf_completion(vcpu);
}

/**
 * kvm_arch_async_enable() - ENABLE hypercall and SET_CONTROL command.
 * @vcpu: the vCPU.
 * @data: GPA of the control block (64-byte aligned) | flags.
 *
 * Return: an SMCCC return code: SUCCESS, NOT_REQUIRED (no change),
 * INVALID_PARAMETER (undefined flags, no SDEI event or PPI set),
 * NOT_SUPPORTED (no async-PF state, unknown event, unmapped block) [R§4.8].
 */
long kvm_arch_async_enable(struct kvm_vcpu *vcpu, u64 data)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;
	gpa_t gpa = proto_kvm_async_pf_control_gpa(data);
	bool enable = !!(data & PROTO_KVM_ASYNC_PF_ENABLED);
	bool stale_ready;
	u32 reason, token;

	if (!apf || !irqchip_in_kernel(vcpu->kvm))
		return PROTO_SMCCC_RET_NOT_SUPPORTED;
	/* fix: H10 */
	if (data & PROTO_KVM_ASYNC_PF_FLAGS_MASK & ~KVM_ASYNC_PF_DEFINED_FLAGS)
		return PROTO_SMCCC_RET_INVALID_PARAMETER;

	if (enable == kvm_async_pf_enabled(apf)) {
		/* fix: H5 */
		if (!enable || data == apf->control_block)
			return PROTO_SMCCC_RET_NOT_REQUIRED;
		kvm_async_pf_channel_reset(vcpu, false);
		apf->control_block = 0;
	} else if (!enable) {
		/* fix: H7 */
		kvm_async_pf_channel_reset(vcpu, true);
		apf->control_block = data;
		return PROTO_SMCCC_RET_SUCCESS;
	}

	if (!apf->sdei_event_num || !apf->irq)
		return PROTO_SMCCC_RET_INVALID_PARAMETER;
	if (!kvm_sdei_is_exposed(vcpu->kvm, apf->sdei_event_num))
		return PROTO_SMCCC_RET_NOT_SUPPORTED;
	if (kvm_gfn_to_hva_cache_init(vcpu->kvm, &apf->cache, gpa, KVM_ASYNC_PF_HOST_AREA_SIZE))
		return PROTO_SMCCC_RET_NOT_SUPPORTED;

	/*
	 * fix: H14 - a page-ready in the slot (posted on a migration source)
	 * may be in the guest's hands: its handler clears it and sends IRQ_ACK
	 * later. Keep it posted (PR, line high) so that the wake-all follows
	 * that ACK instead of being overwritten and acknowledged by it.
	 */
	stale_ready = !kvm_async_pf_read_slot(vcpu, &reason, &token) &&
		      reason == PROTO_KVM_PV_REASON_PAGE_READY;
	/* fix: H8 */
	kvm_async_pf_channel_reset(vcpu, !stale_ready);
	kvm_async_pf_reset_slot(vcpu);
	/* fix: H12 */
	apf->send_user_only = true;
	apf->control_block = data;
	if (stale_ready) {
		apf->pageready_pending = true;
		kvm_vgic_inject_irq(vcpu->kvm, vcpu->vcpu_idx, apf->irq, true, apf);
	}
	if (kvm_async_pf_wakeup_all(vcpu))
		pr_warn_ratelimited("kvm: vcpu %d: no memory for wake-all\n", vcpu->vcpu_idx);
	kvm_make_request(KVM_REQ_ASYNC_PF, vcpu);
	return PROTO_SMCCC_RET_SUCCESS;
}

/**
 * kvm_async_pf_hypercall() - the ASYNC_PF function of the vendor service.
 * @vcpu: the calling vCPU.
 * @val: a0..a3; a0 is NOT_SUPPORTED on entry.
 */
void kvm_async_pf_hypercall(struct kvm_vcpu *vcpu, u64 *val)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;
	/* SMC32: only the low halves of x1..x3 are the caller's arguments. */
	/* fix: H9 */
	u32 function = lower_32_bits(smccc_get_arg1(vcpu));
	u64 low = lower_32_bits(smccc_get_arg2(vcpu));
	u64 high = lower_32_bits(smccc_get_arg3(vcpu));

	if (!apf)
		return;

	switch (function) {
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION:
		val[0] = PROTO_SMCCC_RET_SUCCESS;
		val[1] = PROTO_KVM_ASYNC_PF_VERSION;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SLOTS:
		val[0] = PROTO_SMCCC_RET_SUCCESS;
		val[1] = ASYNC_PF_PER_VCPU;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SDEI:
		val[0] = PROTO_SMCCC_RET_SUCCESS;
		val[1] = apf->sdei_event_num;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ:
		val[0] = PROTO_SMCCC_RET_SUCCESS;
		val[1] = apf->irq;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE:
		val[0] = kvm_arch_async_enable(vcpu, (high << 32) | low);
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK:
		kvm_async_pf_irq_ack(vcpu);
		val[0] = PROTO_SMCCC_RET_SUCCESS;
		break;
	default:
		break;
	}
}

/**
 * kvm_arm_async_pf_vm_ioctl() - KVM_ARM_ASYNC_PF_COMMAND on the VM fd.
 * @kvm: the VM.
 * @cmd: the command; GET_VERSION only.
 *
 * Return: 0, -EINVAL.
 */
long kvm_arm_async_pf_vm_ioctl(struct kvm *kvm, struct proto_kvm_arm_async_pf_cmd *cmd)
{
	if (WARN_ON_ONCE(!kvm))
		return -EINVAL;
	if (cmd->cmd != PROTO_KVM_ARM_ASYNC_PF_CMD_GET_VERSION)
		return -EINVAL;
	cmd->version = PROTO_KVM_ASYNC_PF_VERSION;
	return 0;
}

/**
 * kvm_arm_async_pf_vcpu_ioctl() - KVM_ARM_ASYNC_PF_COMMAND on a vCPU fd.
 * @vcpu: the vCPU (not running).
 * @cmd: GET/SET of SDEI, IRQ or CONTROL.
 *
 * Return: 0, -EPERM (no async-PF state), -EINVAL (unknown command, not a
 * PPI), -EIO (SET_CONTROL not accepted).
 */
long kvm_arm_async_pf_vcpu_ioctl(struct kvm_vcpu *vcpu, struct proto_kvm_arm_async_pf_cmd *cmd)
{
	struct kvm_arch_async_pf_control *apf = vcpu->arch.apf;

	if (!apf)
		return -EPERM;

	switch (cmd->cmd) {
	case PROTO_KVM_ARM_ASYNC_PF_CMD_GET_SDEI:
		cmd->sdei = apf->sdei_event_num;
		return 0;
	case PROTO_KVM_ARM_ASYNC_PF_CMD_GET_IRQ:
		cmd->irq = apf->irq;
		return 0;
	case PROTO_KVM_ARM_ASYNC_PF_CMD_GET_CONTROL:
		cmd->control = apf->control_block;
		return 0;
	case PROTO_KVM_ARM_ASYNC_PF_CMD_SET_SDEI:
		apf->sdei_event_num = cmd->sdei;
		return 0;
	case PROTO_KVM_ARM_ASYNC_PF_CMD_SET_IRQ:
		/* fix: H11 */
		if (!proto_gic_intid_is_ppi(cmd->irq))
			return -EINVAL;
		apf->irq = cmd->irq;
		return 0;
	case PROTO_KVM_ARM_ASYNC_PF_CMD_SET_CONTROL:
		if (kvm_arch_async_enable(vcpu, cmd->control) != PROTO_SMCCC_RET_SUCCESS)
			return -EIO;
		return 0;
	default:
		return -EINVAL;
	}
}

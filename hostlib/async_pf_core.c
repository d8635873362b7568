// SPDX-License-Identifier: MIT
/*
 * The generic async page fault machinery (virt/kvm/async_pf.c of Linux 5.14
 * with the series' patches 01-03), written anew [R§4.5, R§4.6]:
 *
 * - kvm_setup_async_pf() queues a work for a page that is not resident, at
 *   most ASYNC_PF_PER_VCPU per vCPU, tells the arch code (page-not-present)
 *   and schedules the work on a workqueue;
 * - the work, on a host worker, faults the page in, moves itself to the
 *   vCPU's done list and asks the vCPU to look (KVM_REQ_ASYNC_PF, kick);
 * - at guest entry kvm_check_async_pf_completion() takes done works while
 *   the arch code lets it, replays the fault and sends page-ready;
 * - kvm_clear_async_pf_completion_queue() drops everything (disable, reset);
 * - kvm_async_pf_wakeup_all() queues a pseudo work that wakes every waiter.
 *
 * Locking: vcpu->async_pf.lock protects the done list and work->vcpu (the
 * workers touch them); the queue list and the counter belong to the vCPU's
 * thread (or the VMM with the vCPU stopped).
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

/* Works a vCPU can have at once, the wake-all pseudo works included. */
#define ASYNC_PF_WORK_BOUND (2 * ASYNC_PF_PER_VCPU)

/**
 * kvm_async_pf_vcpu_init() - initialise @vcpu's async_pf block.
 * @vcpu: the vCPU, being created.
 */
void kvm_async_pf_vcpu_init(struct kvm_vcpu *vcpu)
{
	INIT_LIST_HEAD(&vcpu->async_pf.done);
	INIT_LIST_HEAD(&vcpu->async_pf.queue);
	spin_lock_init(&vcpu->async_pf.lock);
	vcpu->async_pf.queued = 0;
	kvm_async_pf_reset_slot(vcpu);
}

/* The worker: fault the page in, then hand the work to the vCPU. */
static void async_pf_execute(struct work_struct *work)
{
	struct kvm_async_pf *apf = container_of(work, struct kvm_async_pf, work);
	struct mm_struct *mm = apf->mm;
	struct kvm_vcpu *vcpu = apf->vcpu;
	unsigned long addr = apf->addr;
	int locked = 1;
	bool first;

	mmap_read_lock(mm);
	get_user_pages_remote(mm, addr, 1, FOLL_WRITE, NULL, NULL, &locked);
	if (locked)
		mmap_read_unlock(mm);

	spin_lock(&vcpu->async_pf.lock);
	first = list_empty(&vcpu->async_pf.done);
	list_add_tail(&apf->link, &vcpu->async_pf.done);
	/* From here on the vCPU may free apf. */
	apf->vcpu = NULL;
	spin_unlock(&vcpu->async_pf.lock);

	if (first)
		kvm_arch_async_page_present_queued(vcpu);
	kvm_vcpu_wake_up(vcpu);

	mmput(mm);
	kvm_put_kvm(vcpu->kvm);
}

/**
 * kvm_clear_async_pf_completion_queue() - drop every work of @vcpu.
 * @vcpu: the vCPU.
 *
 * Queued works are cancelled; a work that is running is waited for, lands
 * on the done list and is freed with the completed ones. Nobody is told:
 * the caller decides what the guest learns.
 *
 * Context: process context, may sleep (cancel_work_sync()).
 */
void kvm_clear_async_pf_completion_queue(struct kvm_vcpu *vcpu)
{
	struct kvm_async_pf *work;
	int n;

	spin_lock(&vcpu->async_pf.lock);
	for (n = 0; n < ASYNC_PF_WORK_BOUND && !list_empty(&vcpu->async_pf.queue); n++) {
		work = list_first_entry(&vcpu->async_pf.queue, struct kvm_async_pf, queue);
		list_del(&work->queue);
		/* Completed: it is on the done list and freed below. */
		if (!work->vcpu)
			continue;
		spin_unlock(&vcpu->async_pf.lock);
		if (cancel_work_sync(&work->work)) {
			mmput(work->mm);
			kvm_put_kvm(vcpu->kvm);
			kfree(work);
		}
		spin_lock(&vcpu->async_pf.lock);
	}
	WARN_ON_ONCE(!list_empty(&vcpu->async_pf.queue));

	for (n = 0; n < ASYNC_PF_WORK_BOUND && !list_empty(&vcpu->async_pf.done); n++) {
		work = list_first_entry(&vcpu->async_pf.done, struct kvm_async_pf, link);
		list_del(&work->link);
		kfree(work);
	}
	WARN_ON_ONCE(!list_empty(&vcpu->async_pf.done));
	spin_unlock(&vcpu->async_pf.lock);

	vcpu->async_pf.queued = 0;
}

/**
 * kvm_check_async_pf_completion() - deliver completed works.
 * @vcpu: the vCPU.
 *
 * While works are done and the arch code can notify the guest: replay the
 * fault (page ready), send page-ready (present), free the work.
 *
 * Context: the vCPU's thread at guest entry, or the IRQ_ACK hypercall.
 */
void kvm_check_async_pf_completion(struct kvm_vcpu *vcpu)
{
	struct kvm_async_pf *work;
	int n;

	for (n = 0; n < ASYNC_PF_WORK_BOUND; n++) {
		if (list_empty_careful(&vcpu->async_pf.done) ||
		    !kvm_arch_can_dequeue_async_page_present(vcpu))
			return;

		spin_lock(&vcpu->async_pf.lock);
		work = list_first_entry(&vcpu->async_pf.done, struct kvm_async_pf, link);
		list_del(&work->link);
		spin_unlock(&vcpu->async_pf.lock);

		kvm_arch_async_page_ready(vcpu, work);
		kvm_arch_async_page_present(vcpu, work);

		list_del(&work->queue);
		vcpu->async_pf.queued--;
		kfree(work);
	}
}

/**
 * kvm_check_async_pf_completion_queue() - are completed works waiting?
 * @vcpu: the vCPU.
 *
 * Return: true when the done list is not empty (read without the lock).
 */
bool kvm_check_async_pf_completion_queue(struct kvm_vcpu *vcpu)
{
	return !list_empty_careful(&vcpu->async_pf.done);
}

/**
 * kvm_setup_async_pf() - start an asynchronous page-in of @hva.
 * @vcpu: the faulting vCPU.
 * @cr2_or_gpa: the faulting guest address.
 * @hva: the host address of the page.
 * @arch: token, gfn and esr of the fault.
 *
 * Return: true if a work is queued (the fault is handled asynchronously,
 * whether or not the guest could be told); false to fault synchronously.
 */
bool kvm_setup_async_pf(struct kvm_vcpu *vcpu, gpa_t cr2_or_gpa, unsigned long hva,
			struct kvm_arch_async_pf *arch)
{
	struct kvm_async_pf *work;

	if (vcpu->async_pf.queued >= ASYNC_PF_PER_VCPU)
		return false;
	if (unlikely(kvm_is_error_hva(hva)))
		return false;

	/* Not GFP_KERNEL: the fault path must not wait for memory. */
	work = kzalloc(sizeof(*work), GFP_NOWAIT | __GFP_NOWARN);
	if (!work)
		return false;

	work->wakeup_all = false;
	work->vcpu = vcpu;
	work->cr2_or_gpa = cr2_or_gpa;
	work->addr = hva;
	work->arch = *arch;
	/* The kernel takes current->mm, the VMM's address space. */
	work->mm = vcpu->kvm->mm;
	mmget(work->mm);
	kvm_get_kvm(vcpu->kvm);

	INIT_WORK(&work->work, async_pf_execute);

	list_add_tail(&work->queue, &vcpu->async_pf.queue);
	vcpu->async_pf.queued++;
	if (vcpu->async_pf.queued > vcpu->stat.apf_queued_max)
		vcpu->stat.apf_queued_max = vcpu->async_pf.queued;
	work->notpresent_injected = kvm_arch_async_page_not_present(vcpu, work);

	schedule_work(&work->work);
	return true;
}

/**
 * kvm_async_pf_wakeup_all() - queue a page-ready that wakes every waiter.
 * @vcpu: the vCPU.
 *
 * Skipped while completed works are waiting (v4 and x86 behaviour; with
 * the channel reset at enable the done list is always empty here).
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOMEM (only if __GFP_NOFAIL is not honoured).
 */
int kvm_async_pf_wakeup_all(struct kvm_vcpu *vcpu)
{
	struct kvm_async_pf *work;

	if (!list_empty_careful(&vcpu->async_pf.done))
		return 0;

	/*
	 * fix: H13 - the wake-all is the only thing that releases tasks whose
	 * works an enable (or a restore) just dropped; an atomic allocation
	 * that fails leaves them parked for ever. The caller may sleep.
	 */
	work = kzalloc(sizeof(*work), GFP_KERNEL_ACCOUNT | __GFP_NOFAIL);
	if (!work)
		return -ENOMEM;

	work->wakeup_all = true;
	/* Not on the queue list; list_del() at completion needs a valid entry. */
	INIT_LIST_HEAD(&work->queue);

	spin_lock(&vcpu->async_pf.lock);
	list_add_tail(&work->link, &vcpu->async_pf.done);
	spin_unlock(&vcpu->async_pf.lock);

	vcpu->async_pf.queued++;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * The simulated KVM's glue to the platform and the VMM-facing API
 * (sim/kvm.h): creation, the vendor-hypervisor SMCCC service, the stage-2
 * fault hook, the host ops (guest entry, vCPU reset), the vCPU mutex, the
 * async-PF commands and migration, memslots, and the oracles' accessors.
 *
 * Host code runs on the vCPU's own thread during an exit. The kernel-API
 * layer keeps interrupt masks, hardirq depth and preemption count per task
 * and vCPU, so a guest task that traps from a handler would look "atomic" to
 * the host code it runs; kvm_sim__host_context_enter() gives host code a
 * clean process context for the exit and restores the guest's afterwards
 * (docs/host.md, "Host context").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm_host.h>

#include "sim/trace.h"
#include <asm/kvm_emulate.h>
#include <asm/kvm_sdei.h>

#include "kvm_private.h"
#include "sim/assert.h"
#include "sim/kshim.h"
#include "sim/sim.h"

/* Bound of kvm_sim__host_context_enter()'s unwinding of nested handlers. */
#define KVM_SIM_HARDIRQ_DEPTH_MAX_ 8u
#define KVM_SIM_PREEMPT_DEPTH_MAX_ 64

/* ---- Host context ---- */

void kvm_sim__host_context_enter(struct kvm_sim_host_context *context)
{
	int i;

	memset(context, 0, sizeof(*context));
	if (sim_self() == NULL)
		return;
	context->active = true;
	context->irqs_disabled = kshim_irqs_disabled_self();
	while (kshim_in_hardirq()) {
		SIM_ASSERT(context->hardirq_depth < KVM_SIM_HARDIRQ_DEPTH_MAX_);
		kshim_irq_exit();
		context->hardirq_depth++;
	}
	context->preempt_count = kshim_preempt_count();
	SIM_ASSERT(context->preempt_count >= 0 &&
		   context->preempt_count <= KVM_SIM_PREEMPT_DEPTH_MAX_);
	for (i = 0; i < context->preempt_count; i++)
		kshim_preempt_count_add(-1);
	if (kshim_irqs_disabled_self())
		kshim_irq_restore(0);
}

void kvm_sim__host_context_exit(struct kvm_sim_host_context *context)
{
	uint32_t n;
	int i;

	if (!context->active)
		return;
	SIM_ASSERT(kshim_preempt_count() == 0);
	SIM_ASSERT(!kshim_in_hardirq());
	/* Masking is not a schedule point; only unmasking is. */
	if (context->irqs_disabled || context->hardirq_depth > 0)
		(void)kshim_irq_save();
	for (n = 0; n < context->hardirq_depth; n++)
		kshim_irq_enter();
	if (!context->irqs_disabled && kshim_irqs_disabled_self())
		kshim_irq_restore(0);
	for (i = 0; i < context->preempt_count; i++)
		kshim_preempt_count_add(1);
	context->active = false;
}

/* ---- The vCPU mutex ---- */

static void mutex_waiter_set(struct kvm_sim_vcpu *sv, uint32_t self, bool add)
{
	uint32_t i;

	for (i = 0; i < KVM_SIM_MUTEX_WAITER_COUNT_MAX; i++) {
		if (add && sv->mutex_waiters[i] == SIM_THREAD_NONE) {
			sv->mutex_waiters[i] = self;
			sv->mutex_waiter_count++;
			return;
		}
		if (!add && sv->mutex_waiters[i] == self) {
			sv->mutex_waiters[i] = SIM_THREAD_NONE;
			SIM_ASSERT(sv->mutex_waiter_count > 0);
			sv->mutex_waiter_count--;
			return;
		}
	}
	SIM_ASSERT(!add); /* more waiters than KVM_SIM_MUTEX_WAITER_COUNT_MAX */
}

/*
 * A guest task that waits for a vCPU mutex is a vCPU thread blocked in the
 * host (KVM_RUN or an exit waiting for vcpu->mutex): it keeps its vCPU,
 * halted. Giving it up would let another task of that vCPU run and enter an
 * exit of its own; host mode is per vCPU, so when the first task is back in
 * the guest it would still look "in host" and halt in its next schedule()
 * with the vCPU, the other task never running again (migrate seed 139).
 * Only a holder that is itself a task of the caller's vCPU (a VMM call made
 * from a guest task, outside an exit) may need that vCPU to go on.
 */
static bool mutex_wait_keeps_vcpu(struct kvm_sim *kvm_sim, uint32_t owner)
{
	if (owner == KVM_SIM_OWNER_OUTSIDE_ || owner == SIM_THREAD_NONE)
		return true;
	return sim_thread_kind(kvm_sim->sim, owner) != SIM_THREAD_TASK ||
	       sim_thread_vcpu(kvm_sim->sim, owner) != sim_self_vcpu();
}

void kvm_sim__vcpu_lock(struct kvm_sim *kvm_sim, uint32_t vcpu)
{
	struct kvm_sim_vcpu *sv;
	uint32_t self;
	uint32_t round, round_max = KVM_SIM_WAIT_ROUND_MAX_;

	SIM_ASSERT(vcpu < kvm_sim->vcpu_count);
	sv = &kvm_sim->vcpus[vcpu];
	self = sim_self() != NULL ? sim_self_id() : KVM_SIM_OWNER_OUTSIDE_;
	if (sv->mutex_owner == self) {
		SIM_ASSERT(sv->mutex_depth < KVM_SIM_MUTEX_DEPTH_MAX_);
		sv->mutex_depth++;
		return;
	}
	if (self != KVM_SIM_OWNER_OUTSIDE_ &&
	    sim_thread_kind(kvm_sim->sim, self) == SIM_THREAD_IDLE)
		round_max = KVM_SIM_IDLE_WAIT_ROUND_MAX_;
	for (round = 0; round < round_max; round++) {
		if (sv->mutex_owner == SIM_THREAD_NONE) {
			sv->mutex_owner = self;
			sv->mutex_depth = 1;
			return;
		}
		/* Outside a run nothing else can hold it. */
		SIM_ASSERT(self != KVM_SIM_OWNER_OUTSIDE_);
		mutex_waiter_set(sv, self, true);
		sim_set_blocking("kvm: vcpu mutex", sv);
		if (sv->mutex_owner == SIM_THREAD_NONE)
			sim_set_running();
		else
			kvm_sim__block(mutex_wait_keeps_vcpu(kvm_sim, sv->mutex_owner));
		mutex_waiter_set(sv, self, false);
	}
	SIM_FAIL(kvm_sim->sim, SIM_FINDING_NO_PROGRESS, "vcpu %u mutex: %u attempts", vcpu, round);
}

void kvm_sim__vcpu_unlock(struct kvm_sim *kvm_sim, uint32_t vcpu)
{
	struct kvm_sim_vcpu *sv;
	uint32_t i;

	SIM_ASSERT(vcpu < kvm_sim->vcpu_count);
	sv = &kvm_sim->vcpus[vcpu];
	SIM_ASSERT(sv->mutex_depth > 0);
	SIM_ASSERT(sv->mutex_owner ==
		   (sim_self() != NULL ? sim_self_id() : KVM_SIM_OWNER_OUTSIDE_));
	if (--sv->mutex_depth > 0)
		return;
	sv->mutex_owner = SIM_THREAD_NONE;
	for (i = 0; sv->mutex_waiter_count > 0 && i < KVM_SIM_MUTEX_WAITER_COUNT_MAX; i++) {
		if (sv->mutex_waiters[i] != SIM_THREAD_NONE)
			(void)sim_wake(kvm_sim->sim, sv->mutex_waiters[i]);
	}
	/* An entry held back by the mutex may be due now (entry_pending). */
	if (sim_self() != NULL)
		sim_vcpu_kick(kvm_sim->sim, vcpu);
}

/* An exit or VMM call on @vcpu: its mutex and a clean host context. */
struct exit_scope {
	struct kvm_sim_host_context context;
};

static struct kvm_vcpu *exit_begin(struct kvm_sim *kvm_sim, uint32_t vcpu,
				   struct exit_scope *scope)
{
	kvm_sim__vcpu_lock(kvm_sim, vcpu);
	kvm_sim__host_context_enter(&scope->context);
	return &kvm_sim->vcpus[vcpu].vcpu;
}

static void exit_end(struct kvm_sim *kvm_sim, uint32_t vcpu, struct exit_scope *scope)
{
	kvm_sim__host_context_exit(&scope->context);
	kvm_sim__vcpu_unlock(kvm_sim, vcpu);
}

/* ---- Platform hooks ---- */

static struct kvm_sim *kvm_sim_of_ctx(void *ctx)
{
	struct kvm_sim *kvm_sim = ctx;

	SIM_ASSERT(kvm_sim != NULL);
	SIM_ASSERT(kvm_sim->kvm.kvm_sim == kvm_sim);
	return kvm_sim;
}

/* The vendor-hypervisor service (owner 6): KVM's kvm_hvc_call_handler(). */
static bool apf_enabled(const struct kvm_vcpu *kvcpu)
{
	return kvcpu->arch.apf != NULL &&
	       (kvcpu->arch.apf->control_block & PROTO_KVM_ASYNC_PF_ENABLED) != 0;
}

/* Probe for the oracles: @vcpu's async-PF state was dropped (sim/world_oracle.h). */
static void apf_reset_probe(struct kvm_sim *kvm_sim, uint32_t vcpu)
{
	sim_trace(kvm_sim->sim, SIM_TRACE_TOKEN, "apf-reset", 0, vcpu);
}

static bool kvm_sim_hvc(void *ctx, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
			uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	bool enabled;
	struct kvm_sim *kvm_sim = kvm_sim_of_ctx(ctx);
	struct sim_arm_regs *regs = sim_platform_regs(kvm_sim->platform, vcpu);
	struct kvm_sim_vcpu *sv = &kvm_sim->vcpus[vcpu];
	struct exit_scope scope;
	struct kvm_vcpu *kvcpu;
	uint64_t args[4];

	/*
	 * KVM reads the vCPU's registers (all 64 bits), not the conduit's
	 * truncated copy. Snapshot them now: while this call waits for the
	 * vCPU's mutex, another exit of the vCPU may return and overwrite
	 * x0..x3 with its results.
	 */
	(void)x;
	memcpy(args, regs->x, sizeof(args));
	kvcpu = exit_begin(kvm_sim, vcpu, &scope);
	SIM_ASSERT(sv->hvc_results == NULL && sv->hvc_args == NULL);
	sv->hvc_args = args;
	sv->hvc_results = res;
	kvcpu->stat.hvc_exit_stat++;
	enabled = apf_enabled(kvcpu);
	(void)kvm_hvc_call_handler(kvcpu);
	/* The guest turned async PF off: its outstanding tokens are dropped. */
	if (enabled && !apf_enabled(kvcpu))
		apf_reset_probe(kvm_sim, vcpu);
	sv->hvc_args = NULL;
	sv->hvc_results = NULL;
	exit_end(kvm_sim, vcpu, &scope);
	return true;
}

/* KVM answers SMCCC_ARCH_FEATURES only for its workaround IDs. */
static bool kvm_sim_hvc_implements(void *ctx, uint32_t function_id)
{
	(void)ctx;
	(void)function_id;
	return false;
}

/* The abort's syndrome as a data abort from a lower EL. */
static void fault_info_set(struct kvm_vcpu *vcpu, uint64_t gpa, unsigned int access_flags)
{
	u32 esr = (u32)((ESR_ELx_EC_DABT_LOW << ESR_ELx_EC_SHIFT) | ESR_ELx_IL);

	if (access_flags & SIM_MEMORY_ACCESS_WRITE)
		esr |= ESR_ELx_WNR;
	vcpu->arch.fault.esr_el2 = esr;
	vcpu->arch.fault.far_el2 = gpa;
	vcpu->arch.fault.hpfar_el2 = (gpa >> PAGE_SHIFT) << 4;
}

/*
 * The stage-2 fault hook (an exit). The access flags say at which EL the
 * access was made; PSTATE is made to agree for the exit, since the kernel
 * layer may not keep PSTATE.M for user tasks.
 */
static enum sim_stage2_result kvm_sim_fault(void *ctx, uint32_t vcpu, uint64_t gpa,
					    unsigned int access_flags)
{
	struct kvm_sim *kvm_sim = kvm_sim_of_ctx(ctx);
	struct kvm_sim_vcpu *sv = &kvm_sim->vcpus[vcpu];
	struct sim_arm_regs *regs = sim_platform_regs(kvm_sim->platform, vcpu);
	bool user = (access_flags & SIM_MEMORY_ACCESS_USER) != 0;
	enum sim_stage2_result result;
	uint64_t saved_pstate;
	uint64_t sync_before;
	uint64_t sync_fault_before;
	bool queue_full;
	struct exit_scope scope;
	struct kvm_vcpu *kvcpu;
	int ret;

	kvcpu = exit_begin(kvm_sim, vcpu, &scope);
	saved_pstate = regs->pstate;
	sync_before = sv->sync_pagein_count;
	regs->pstate = (regs->pstate & ~SIM_PSTATE_M_MASK) | (user ? SIM_PSTATE_EL0t : SIM_PSTATE_EL1h);
	fault_info_set(kvcpu, gpa, access_flags);
	kvcpu->stat.s2_fault++;
	queue_full = kvcpu->async_pf.queued >= ASYNC_PF_PER_VCPU;
	sync_fault_before = kvcpu->stat.apf_sync_fault;
	ret = kvm_handle_guest_abort(kvcpu);
	/* Slot exhaustion: answered synchronously at the 64-work limit. */
	if (queue_full && kvcpu->stat.apf_sync_fault != sync_fault_before)
		sv->queue_full_count++;
	regs->pstate = saved_pstate;
	if (ret < 0) {
		/* An exit to the VMM, which emulates the access: page it in. */
		kvcpu->stat.mmio_exit_stat++;
		ret = kvm_sim__pagein(kvm_sim, gpa & ~(uint64_t)(PAGE_SIZE - 1));
		SIM_ASSERT(ret >= 0);
	}
	if (sv->sync_pagein_count != sync_before)
		result = SIM_STAGE2_SYNC;
	else if (sim_memory_resident(kvm_sim->memory, gpa) == 1)
		result = SIM_STAGE2_MAPPED;
	else
		result = SIM_STAGE2_ASYNC;
	exit_end(kvm_sim, vcpu, &scope);
	return result;
}

/*
 * Does @vcpu have host work before its next guest entry? The engine asks at
 * schedule points, also for an idle vCPU (a WFI): pending requests, or what
 * the async-PF part of kvm_arch_vcpu_runnable() says. No schedule point here.
 */
static bool kvm_sim_entry_pending(void *ctx, uint32_t vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim_of_ctx(ctx);
	struct kvm_vcpu *kvcpu = &kvm_sim->vcpus[vcpu].vcpu;
	uint32_t owner = kvm_sim->vcpus[vcpu].mutex_owner;

	/*
	 * A VMM call holds the vCPU's mutex (e.g. a migration restore waiting
	 * in cancel_work_sync()): the vCPU cannot enter until it is released,
	 * as KVM_RUN waits for vcpu->mutex. Not pending meanwhile, so an idle
	 * vCPU does not spin; the unlock kicks it.
	 */
	if (owner != SIM_THREAD_NONE && (sim_self() == NULL || owner != sim_self_id()))
		return false;
	if (__atomic_load_n(&kvcpu->requests, __ATOMIC_SEQ_CST) != 0)
		return true;
	return kvm_arch_async_pf_runnable(kvcpu);
}

/* Guest entry: re-check completions if runnable says so, then the requests. */
static void kvm_sim_entry(void *ctx, uint32_t vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim_of_ctx(ctx);
	struct exit_scope scope;
	struct kvm_vcpu *kvcpu;

	kvcpu = exit_begin(kvm_sim, vcpu, &scope);
	if (kvm_arch_async_pf_runnable(kvcpu))
		kvm_make_request(KVM_REQ_ASYNC_PF, kvcpu);
	kvm_sim__check_vcpu_requests(kvcpu);
	exit_end(kvm_sim, vcpu, &scope);
}

/* The VMM resets @vcpu (PSCI CPU_ON, SYSTEM_RESET): KVM's kvm_reset_vcpu(). */
static void kvm_sim_vcpu_reset(void *ctx, uint32_t vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim_of_ctx(ctx);
	struct exit_scope scope;
	struct kvm_vcpu *kvcpu;
	uint32_t i;

	SIM_ASSERT(vcpu < kvm_sim->vcpu_count);
	kvcpu = exit_begin(kvm_sim, vcpu, &scope);
	kvm_arch_async_pf_reset_vcpu(kvcpu);
	apf_reset_probe(kvm_sim, vcpu);
	/* The platform reset the PE's SDEI state: nothing queued survives. */
	for (i = 0; i < KVM_SIM_SDEI_EVENT_COUNT_MAX; i++)
		kvm_sim->vcpus[vcpu].sdei_queued[i] = false;
	exit_end(kvm_sim, vcpu, &scope);
	/* A vCPU halted in the host re-checks what it waits for. */
	kvm_vcpu_kick(kvcpu);
}

static const struct sim_platform_host_ops kvm_sim_host_ops = {
	.entry_pending = kvm_sim_entry_pending,
	.entry = kvm_sim_entry,
	.vcpu_reset = kvm_sim_vcpu_reset,
};

/* ---- Creation ---- */

static int kvm_sim_events_define(struct kvm_sim *kvm_sim)
{
	uint32_t i;

	kvm_sim->events[kvm_sim->event_count++] = (struct kvm_sim_event){
		.number = PROTO_KVM_SDEI_ASYNC_PF_NUM, .priority = SIM_SDEI_PRIORITY_CRITICAL,
	};
	if (kvm_sim->config.expose_default_sdei_event)
		kvm_sim->events[kvm_sim->event_count++] = (struct kvm_sim_event){
			.number = PROTO_KVM_SDEI_DEFAULT_NUM,
			.priority = SIM_SDEI_PRIORITY_CRITICAL,
		};
	for (i = 0; i < kvm_sim->event_count; i++) {
		int ret = sim_sdei_event_define(kvm_sim->sdei, kvm_sim->events[i].number,
						SIM_SDEI_EVENT_PRIVATE,
						kvm_sim->events[i].priority, true);

		/* Another layer may have defined it already: the same event. */
		if (ret != 0 && ret != -EEXIST)
			return ret;
	}
	return 0;
}

static void kvm_sim_vcpu_init(struct kvm_sim *kvm_sim, uint32_t index)
{
	struct kvm_sim_vcpu *sv = &kvm_sim->vcpus[index];
	struct kvm_vcpu *vcpu = &sv->vcpu;
	uint32_t i;

	sv->index = index;
	sv->halt_thread = SIM_THREAD_NONE;
	sv->mutex_owner = SIM_THREAD_NONE;
	for (i = 0; i < KVM_SIM_MUTEX_WAITER_COUNT_MAX; i++)
		sv->mutex_waiters[i] = SIM_THREAD_NONE;
	sv->pagein.requester = SIM_THREAD_NONE;
	vcpu->kvm = &kvm_sim->kvm;
	vcpu->vcpu_id = (int)index;
	vcpu->vcpu_idx = (int)index;
	kvm_sim->kvm.vcpus[index] = vcpu;
	kvm_async_pf_vcpu_init(vcpu);
	if ((kvm_sim->config.apf_absent_vcpu_mask >> index) & 1)
		return;
	kvm_arch_async_pf_create_vcpu(vcpu);
}

static int kvm_sim_pagers_spawn(struct kvm_sim *kvm_sim)
{
	uint32_t count = kvm_sim->vcpu_count < KVM_SIM_PAGER_COUNT_MAX ? kvm_sim->vcpu_count
								      : KVM_SIM_PAGER_COUNT_MAX;
	struct sim_thread_attr attr = { .kind = SIM_THREAD_HOST, .name = "kvm-pager",
					.vcpu = 0, .daemon = true };
	uint32_t i;

	for (i = 0; i < count; i++) {
		uint32_t id = sim_spawn(kvm_sim->sim, &attr, kvm_sim__pager_thread, kvm_sim);

		if (id == SIM_THREAD_NONE)
			return -EAGAIN;
		kvm_sim->pager_threads[kvm_sim->pager_count++] = id;
	}
	return 0;
}

static int kvm_sim_register(struct kvm_sim *kvm_sim)
{
	const struct sim_smccc_service service = {
		.name = "kvm-vendor-hyp",
		.owner = PROTO_ARM_SMCCC_OWNER_VENDOR_HYP,
		.conv = SIM_SMCCC_CONV_SMC32,
		.function_min = 0,
		.function_max = PROTO_ARM_SMCCC_FUNC_MASK,
		.call = kvm_sim_hvc,
		.implements = kvm_sim_hvc_implements,
		.ctx = kvm_sim,
	};
	int ret;

	ret = sim_smccc_register(sim_platform_smccc(kvm_sim->platform), &service);
	if (ret != 0)
		return ret;
	sim_platform_set_fault_hook(kvm_sim->platform, kvm_sim_fault, kvm_sim);
	sim_platform_set_host_ops(kvm_sim->platform, &kvm_sim_host_ops, kvm_sim);
	return 0;
}

static bool kvm_sim_ratio_valid(struct sim_ratio r)
{
	return r.denominator == 0 ? r.numerator == 0 : r.numerator <= r.denominator;
}

int kvm_sim_set_sdei_fail(struct kvm_sim *kvm_sim, struct sim_ratio ratio)
{
	if (kvm_sim == NULL || !kvm_sim_ratio_valid(ratio))
		return -EINVAL;
	kvm_sim->config.sdei_fail_ratio = ratio;
	return 0;
}

int kvm_sim_create(struct kvm_sim **out, struct sim_platform *platform, struct kshim *kshim,
		   const struct kvm_sim_config *config)
{
	struct kvm_sim *kvm_sim;
	uint32_t i;
	int ret;

	if (out == NULL || platform == NULL || kshim == NULL)
		return -EINVAL;
	*out = NULL;
	kvm_sim = calloc(1, sizeof(*kvm_sim));
	if (kvm_sim == NULL)
		return -ENOMEM;
	kvm_sim->platform = platform;
	kvm_sim->sim = sim_platform_sim(platform);
	kvm_sim->memory = sim_platform_memory(platform);
	kvm_sim->sdei = sim_platform_sdei(platform);
	kvm_sim->kshim = kshim;
	if (config != NULL) {
		if (!kvm_sim_ratio_valid(config->sdei_fail_ratio)) {
			free(kvm_sim);
			return -EINVAL;
		}
		kvm_sim->config = *config;
	}
	kvm_sim->vcpu_count = sim_platform_vcpu_count(platform);
	SIM_ASSERT(kvm_sim->vcpu_count > 0 && kvm_sim->vcpu_count <= KVM_MAX_VCPUS);
	kvm_sim->vcpus = calloc(kvm_sim->vcpu_count, sizeof(*kvm_sim->vcpus));
	ret = -ENOMEM;
	if (kvm_sim->vcpus == NULL)
		goto fail;
	kvm_sim->kvm.kvm_sim = kvm_sim;
	kvm_sim->kvm.users_count = 1;
	kvm_sim->kvm.mm = &kvm_sim->mm;
	kvm_sim->mm.mm_users = 1;
	kvm_sim->mm.kvm_sim_kvm = &kvm_sim->kvm;
	kvm_sim__memslots_init(kvm_sim);
	ret = kvm_sim_events_define(kvm_sim);
	if (ret != 0)
		goto fail;
	for (i = 0; i < kvm_sim->vcpu_count; i++)
		kvm_sim_vcpu_init(kvm_sim, i);
	kvm_sim->kvm.online_vcpus = (int)kvm_sim->vcpu_count;
	ret = kvm_sim_pagers_spawn(kvm_sim);
	if (ret != 0)
		goto fail_vcpus;
	ret = kvm_sim_register(kvm_sim);
	if (ret != 0)
		goto fail_vcpus;
	*out = kvm_sim;
	return 0;
fail_vcpus:
	for (i = 0; i < kvm_sim->vcpu_count; i++)
		kvm_arch_async_pf_destroy_vcpu(&kvm_sim->vcpus[i].vcpu);
fail:
	free(kvm_sim->vcpus);
	free(kvm_sim);
	return ret;
}

void kvm_sim_destroy(struct kvm_sim *kvm_sim)
{
	uint32_t i;

	if (kvm_sim == NULL)
		return;
	SIM_ASSERT(sim_self() == NULL);
	sim_platform_set_host_ops(kvm_sim->platform, NULL, NULL);
	sim_platform_set_fault_hook(kvm_sim->platform, NULL, NULL);
	for (i = 0; i < kvm_sim->vcpu_count; i++) {
		struct kvm_vcpu *vcpu = &kvm_sim->vcpus[i].vcpu;

		/*
		 * Works left by a run that ended early (no kvm_sim_quiesce())
		 * were allocated inside it: kshim_finish() reported and freed
		 * them. Forget them without touching them.
		 */
		INIT_LIST_HEAD(&vcpu->async_pf.queue);
		INIT_LIST_HEAD(&vcpu->async_pf.done);
		vcpu->async_pf.queued = 0;
		kvm_arch_async_pf_destroy_vcpu(vcpu);
	}
	free(kvm_sim->vcpus);
	free(kvm_sim);
}

int kvm_sim_quiesce(struct kvm_sim *kvm_sim)
{
	uint32_t i;

	SIM_ASSERT(kvm_sim != NULL);
	if (sim_self() == NULL)
		return -EINVAL;
	for (i = 0; i < kvm_sim->vcpu_count; i++) {
		struct exit_scope scope;
		struct kvm_vcpu *vcpu = exit_begin(kvm_sim, i, &scope);

		kvm_clear_async_pf_completion_queue(vcpu);
		exit_end(kvm_sim, i, &scope);
	}
	/*
	 * A work that already moved itself to the done list is freed above
	 * without waiting; its worker may still be in its last lines. Each
	 * work holds a VM reference until its very end: wait for those.
	 */
	for (i = 0; i < KVM_SIM_WAIT_ROUND_MAX_ && kvm_sim_users(kvm_sim) > 1; i++)
		sim_yield();
	SIM_ASSERT(kvm_sim_users(kvm_sim) == 1);
	return 0;
}

struct kvm *kvm_sim_kvm(struct kvm_sim *kvm_sim)
{
	SIM_ASSERT(kvm_sim != NULL);
	return &kvm_sim->kvm;
}

struct kvm_vcpu *kvm_sim_vcpu(struct kvm_sim *kvm_sim, uint32_t vcpu)
{
	SIM_ASSERT(kvm_sim != NULL);
	if (vcpu >= kvm_sim->vcpu_count)
		return NULL;
	return &kvm_sim->vcpus[vcpu].vcpu;
}

struct sim_platform *kvm_sim_platform(const struct kvm_sim *kvm_sim)
{
	SIM_ASSERT(kvm_sim != NULL);
	return kvm_sim->platform;
}

uint32_t kvm_sim_vcpu_count(const struct kvm_sim *kvm_sim)
{
	SIM_ASSERT(kvm_sim != NULL);
	return kvm_sim->vcpu_count;
}

int kvm_sim_users(const struct kvm_sim *kvm_sim)
{
	SIM_ASSERT(kvm_sim != NULL);
	return __atomic_load_n(&kvm_sim->kvm.users_count, __ATOMIC_SEQ_CST);
}

/* ---- VMM: async-PF commands, migration, memslots ---- */

int kvm_sim_vm_apf_command(struct kvm_sim *kvm_sim, struct proto_kvm_arm_async_pf_cmd *cmd)
{
	if (kvm_sim == NULL || cmd == NULL)
		return -EINVAL;
	return (int)kvm_arm_async_pf_vm_ioctl(&kvm_sim->kvm, cmd);
}

int kvm_sim_vcpu_apf_command(struct kvm_sim *kvm_sim, uint32_t vcpu,
			     struct proto_kvm_arm_async_pf_cmd *cmd)
{
	struct exit_scope scope;
	struct kvm_vcpu *kvcpu;
	long ret;

	if (kvm_sim == NULL || cmd == NULL || vcpu >= kvm_sim->vcpu_count)
		return -EINVAL;
	kvcpu = exit_begin(kvm_sim, vcpu, &scope);
	ret = kvm_arm_async_pf_vcpu_ioctl(kvcpu, cmd);
	exit_end(kvm_sim, vcpu, &scope);
	return (int)ret;
}

static int vcpu_get(struct kvm_sim *kvm_sim, uint32_t vcpu, uint32_t command, uint64_t *value)
{
	struct proto_kvm_arm_async_pf_cmd cmd = { .cmd = command };
	int ret = kvm_sim_vcpu_apf_command(kvm_sim, vcpu, &cmd);

	if (ret != 0)
		return ret;
	*value = command == PROTO_KVM_ARM_ASYNC_PF_CMD_GET_IRQ ? cmd.irq : cmd.sdei;
	return 0;
}

int kvm_sim_vcpu_apf_save(struct kvm_sim *kvm_sim, uint32_t vcpu, struct kvm_sim_apf_saved *out)
{
	uint64_t irq = 0;
	int ret;

	if (kvm_sim == NULL || out == NULL || vcpu >= kvm_sim->vcpu_count)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	ret = vcpu_get(kvm_sim, vcpu, PROTO_KVM_ARM_ASYNC_PF_CMD_GET_SDEI, &out->sdei);
	if (ret == 0)
		ret = vcpu_get(kvm_sim, vcpu, PROTO_KVM_ARM_ASYNC_PF_CMD_GET_IRQ, &irq);
	if (ret == 0)
		ret = vcpu_get(kvm_sim, vcpu, PROTO_KVM_ARM_ASYNC_PF_CMD_GET_CONTROL, &out->control);
	out->irq = (uint32_t)irq;
	return ret;
}

int kvm_sim_vcpu_apf_restore(struct kvm_sim *kvm_sim, uint32_t vcpu,
			     const struct kvm_sim_apf_saved *saved)
{
	struct proto_kvm_arm_async_pf_cmd cmd;
	struct exit_scope scope;
	struct kvm_vcpu *kvcpu;
	int ret = 0;

	if (kvm_sim == NULL || saved == NULL || vcpu >= kvm_sim->vcpu_count)
		return -EINVAL;
	/* The destination's vCPU is new: no works, flags, hash or counter. */
	kvcpu = exit_begin(kvm_sim, vcpu, &scope);
	kvm_arch_async_pf_restart_vcpu(kvcpu);
	apf_reset_probe(kvm_sim, vcpu);
	exit_end(kvm_sim, vcpu, &scope);
	if (saved->sdei != 0) {
		cmd = (struct proto_kvm_arm_async_pf_cmd){
			.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_SDEI, .sdei = saved->sdei,
		};
		ret = kvm_sim_vcpu_apf_command(kvm_sim, vcpu, &cmd);
	}
	if (ret == 0 && saved->irq != 0) {
		cmd = (struct proto_kvm_arm_async_pf_cmd){
			.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_IRQ, .irq = saved->irq,
		};
		ret = kvm_sim_vcpu_apf_command(kvm_sim, vcpu, &cmd);
	}
	if (ret == 0 && saved->control != 0) {
		cmd = (struct proto_kvm_arm_async_pf_cmd){
			.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_CONTROL, .control = saved->control,
		};
		ret = kvm_sim_vcpu_apf_command(kvm_sim, vcpu, &cmd);
	}
	return ret;
}

static bool memslot_overlaps(const struct kvm_memslots *slots, uint32_t except, gfn_t base,
			     uint64_t npages)
{
	uint32_t i;

	for (i = 0; i < KVM_SIM_MEMSLOT_COUNT; i++) {
		const struct kvm_memory_slot *slot = &slots->memslots[i];

		if (i == except || !slot->kvm_sim_used)
			continue;
		if (base < slot->base_gfn + slot->npages && slot->base_gfn < base + npages)
			return true;
	}
	return false;
}

int kvm_sim_set_memslot(struct kvm_sim *kvm_sim, uint32_t slot, uint64_t gpa,
			uint64_t size_bytes, uint32_t flags)
{
	struct kvm_memslots *slots;
	struct kvm_memory_slot *memslot;

	if (kvm_sim == NULL || slot >= KVM_SIM_MEMSLOT_COUNT)
		return -EINVAL;
	slots = &kvm_sim->kvm.memslots;
	memslot = &slots->memslots[slot];
	if (size_bytes == 0) {
		memslot->kvm_sim_used = false;
		slots->generation++;
		return 0;
	}
	if ((flags & ~(uint32_t)KVM_MEM_READONLY) != 0 || gpa % PAGE_SIZE != 0 ||
	    size_bytes % PAGE_SIZE != 0 || !sim_memory_contains(kvm_sim->memory, gpa, size_bytes))
		return -EINVAL;
	if (memslot_overlaps(slots, slot, gpa_to_gfn(gpa), size_bytes / PAGE_SIZE))
		return -EEXIST;
	memslot->base_gfn = gpa_to_gfn(gpa);
	memslot->npages = (unsigned long)(size_bytes / PAGE_SIZE);
	memslot->userspace_addr =
		(unsigned long)sim_memory_gpa_to_hva(kvm_sim->memory, gpa, size_bytes);
	memslot->flags = flags;
	memslot->kvm_sim_used = true;
	slots->generation++;
	return 0;
}

/* ---- Oracles ---- */

static uint32_t list_length(const struct list_head *head)
{
	const struct list_head *pos;
	uint32_t count = 0;

	for (pos = head->next; pos != head && count <= 4 * ASYNC_PF_PER_VCPU; pos = pos->next)
		count++;
	return count;
}

static enum kvm_sim_apf_channel channel_of(const struct kvm_sim_apf_state *state)
{
	if (state->pageready_pending)
		return KVM_SIM_APF_PR_POSTED;
	if (state->notpresent_pending)
		return KVM_SIM_APF_NP_POSTED;
	if (!state->slot_valid || (state->slot_reason == 0 && state->slot_token == 0))
		return KVM_SIM_APF_IDLE;
	if (state->slot_reason == PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT)
		return KVM_SIM_APF_NP_RUNNING;
	return KVM_SIM_APF_STALE;
}

static void state_slot_read(const struct kvm_sim *kvm_sim,
			    const struct kvm_arch_async_pf_control *apf,
			    struct kvm_sim_apf_state *out)
{
	uint32_t words[2];

	if (apf->cache.len == 0 || kvm_is_error_hva(apf->cache.hva))
		return;
	if (sim_memory_read(kvm_sim->memory, apf->cache.gpa, words, sizeof(words)) != 0)
		return;
	out->slot_valid = true;
	out->slot_reason = words[0];
	out->slot_token = words[1];
}

int kvm_sim_vcpu_apf_state(const struct kvm_sim *kvm_sim, uint32_t vcpu,
			   struct kvm_sim_apf_state *out)
{
	const struct kvm_arch_async_pf_control *apf;
	struct kvm_vcpu *kvcpu;
	struct sim_gic_irq_state irq_state;
	uint32_t i;

	if (kvm_sim == NULL || out == NULL || vcpu >= kvm_sim->vcpu_count)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	kvcpu = &kvm_sim->vcpus[vcpu].vcpu;
	out->requests = __atomic_load_n(&kvcpu->requests, __ATOMIC_SEQ_CST);
	out->in_exit = kvm_sim->vcpus[vcpu].mutex_owner != SIM_THREAD_NONE;
	out->queued = kvcpu->async_pf.queued;
	out->queue_count = list_length(&kvcpu->async_pf.queue);
	out->done_count = list_length(&kvcpu->async_pf.done);
	for (i = 0; i < ASYNC_PF_PER_VCPU; i++)
		out->hash_count += kvcpu->async_pf.gfns[i] != ~(gfn_t)0;
	apf = kvcpu->arch.apf;
	if (apf == NULL)
		return 0;
	out->present = true;
	out->control = apf->control_block;
	out->enabled = (apf->control_block & PROTO_KVM_ASYNC_PF_ENABLED) != 0;
	out->sdei_event = apf->sdei_event_num;
	out->irq = apf->irq;
	out->send_user_only = apf->send_user_only;
	out->token_counter = apf->id;
	/* NP_POSTED lasts until the event is dispatched (the DELIVERED notifier). */
	out->notpresent_pending = apf->notpresent_pending &&
				  kvm_sdei_event_pending(kvcpu, apf->sdei_event_num);
	out->notpresent_token = apf->notpresent_token;
	out->pageready_pending = apf->pageready_pending;
	out->dequeue_blocked = apf->dequeue_blocked;
	state_slot_read(kvm_sim, apf, out);
	if (apf->irq >= 16 && apf->irq < 32 &&
	    sim_gic_irq_state(sim_platform_gic(kvm_sim->platform), vcpu, apf->irq, &irq_state) == 0)
		out->line_level = irq_state.line_level;
	out->channel = channel_of(out);
	return 0;
}

int kvm_sim_vcpu_apf_stats(const struct kvm_sim *kvm_sim, uint32_t vcpu,
			   struct kvm_sim_apf_stats *out)
{
	const struct kvm_vcpu_stat *stat;
	const struct kvm_sim_vcpu *sv;

	if (kvm_sim == NULL || out == NULL || vcpu >= kvm_sim->vcpu_count)
		return -EINVAL;
	sv = &kvm_sim->vcpus[vcpu];
	stat = &sv->vcpu.stat;
	*out = (struct kvm_sim_apf_stats){
		.halt_wakeup = stat->halt_wakeup,
		.hvc_exit = stat->hvc_exit_stat,
		.s2_fault = stat->s2_fault,
		.mmio_exit = stat->mmio_exit_stat,
		.mapped_fault = stat->apf_mapped_fault,
		.async_fault = stat->apf_async_fault,
		.sync_fault = stat->apf_sync_fault,
		.refault_halt = stat->apf_refault_halt,
		.refault_spin = stat->apf_refault_spin,
		.notpresent = stat->apf_notpresent,
		.notpresent_fail = stat->apf_notpresent_fail,
		.pageready = stat->apf_pageready,
		.wakeall = stat->apf_wakeall,
		.suppressed = stat->apf_suppressed,
		.cancel = stat->apf_cancel,
		.irq_ack = stat->apf_irq_ack,
		.dequeue_blocked = stat->apf_dequeue_blocked,
		.replay_skipped = stat->apf_replay_skipped,
		.queued_max = stat->apf_queued_max,
		.sync_pagein = sv->sync_pagein_count,
		.sdei_signalled = sv->sdei_signal_count,
		.sdei_dropped = sv->sdei_drop_count,
		.queue_full = sv->queue_full_count,
		.sdei_inject_failed = sv->sdei_inject_fail_count,
	};
	return 0;
}

void kvm_sim_apf_stats_sum(const struct kvm_sim *kvm_sim, struct kvm_sim_apf_stats *out)
{
	uint32_t v;

	SIM_ASSERT(kvm_sim != NULL && out != NULL);
	memset(out, 0, sizeof(*out));
	for (v = 0; v < kvm_sim->vcpu_count; v++) {
		struct kvm_sim_apf_stats one;
		const uint64_t *source = (const uint64_t *)&one;
		uint64_t *target = (uint64_t *)out;
		size_t i;

		SIM_ASSERT(kvm_sim_vcpu_apf_stats(kvm_sim, v, &one) == 0);
		for (i = 0; i < sizeof(one) / sizeof(uint64_t); i++)
			target[i] += source[i];
		out->queued_max -= one.queued_max;
		if (one.queued_max > out->queued_max)
			out->queued_max = one.queued_max;
	}
}

const char *kvm_sim_channel_name(enum kvm_sim_apf_channel channel)
{
	switch (channel) {
	case KVM_SIM_APF_IDLE:
		return "idle";
	case KVM_SIM_APF_NP_POSTED:
		return "np-posted";
	case KVM_SIM_APF_NP_RUNNING:
		return "np-running";
	case KVM_SIM_APF_PR_POSTED:
		return "pr-posted";
	case KVM_SIM_APF_STALE:
		return "stale";
	}
	return "?";
}

// SPDX-License-Identifier: MIT
/*
 * The arm64 KVM pieces around async PF, over the simulated platform: the
 * hypercall registers (include/kvm/arm_hypercalls.h), the vCPU's exception
 * level, vGIC line injection, the SDEI services of the SDEI series
 * (kvm_sdei_inject / kvm_sdei_cancel and state queries) and the request
 * processing at guest entry (arm.c's check_vcpu_requests).
 */
#include <errno.h>
#include <string.h>

#include <linux/kvm_host.h>
#include <asm/kvm_emulate.h>
#include <asm/kvm_sdei.h>
#include <asm/kvm_hypercalls.h>
#include <asm/kvm_vgic.h>

#include "kvm_private.h"
#include "sim/assert.h"
#include "sim/prng.h"
#include "sim/sim.h"
#include "sim/trace.h"

/* ---- Hypercall registers ---- */

static struct sim_arm_regs *vcpu_regs(const struct kvm_vcpu *vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);

	return sim_platform_regs(kvm_sim->platform, (uint32_t)vcpu->vcpu_idx);
}

/* x@n of the hypercall being handled (its snapshot), else of the vCPU. */
static uint64_t hvc_arg(struct kvm_vcpu *vcpu, unsigned int n)
{
	const struct kvm_sim_vcpu *sv = kvm_sim__vcpu_of(vcpu);

	SIM_ASSERT(n < 4);
	if (sv->hvc_args != NULL)
		return sv->hvc_args[n];
	return vcpu_regs(vcpu)->x[n];
}

u32 smccc_get_function(struct kvm_vcpu *vcpu)
{
	return (u32)hvc_arg(vcpu, 0);
}

unsigned long smccc_get_arg1(struct kvm_vcpu *vcpu)
{
	return hvc_arg(vcpu, 1);
}

unsigned long smccc_get_arg2(struct kvm_vcpu *vcpu)
{
	return hvc_arg(vcpu, 2);
}

unsigned long smccc_get_arg3(struct kvm_vcpu *vcpu)
{
	return hvc_arg(vcpu, 3);
}

void smccc_set_retval(struct kvm_vcpu *vcpu, unsigned long a0, unsigned long a1,
		      unsigned long a2, unsigned long a3)
{
	struct kvm_sim_vcpu *sv = kvm_sim__vcpu_of(vcpu);
	uint64_t *results = sv->hvc_results;

	/* Inside the conduit the results go back through it; else to x0..x3. */
	if (results == NULL)
		results = vcpu_regs(vcpu)->x;
	results[0] = a0;
	results[1] = a1;
	results[2] = a2;
	results[3] = a3;
}

bool vcpu_mode_priv(const struct kvm_vcpu *vcpu)
{
	return sim_arm_el(vcpu_regs(vcpu)->pstate) != 0;
}

/* ---- vGIC ---- */

int kvm_vgic_inject_irq(struct kvm *kvm, int cpuid, unsigned int intid, bool level, void *owner)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(kvm);

	(void)owner;
	if (cpuid < 0 || (uint32_t)cpuid >= kvm_sim->vcpu_count)
		return -EINVAL;
	return sim_platform_irq_line(kvm_sim->platform, (uint32_t)cpuid, intid, level);
}

bool kvm_vgic_vcpu_pending_irq(struct kvm_vcpu *vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);

	return sim_gic_highest_pending(sim_platform_gic(kvm_sim->platform),
				       (uint32_t)vcpu->vcpu_idx) != SIM_GIC_INTID_SPURIOUS;
}

/* ---- SDEI ---- */

int kvm_sim__event_index(const struct kvm_sim *kvm_sim, unsigned long num)
{
	uint32_t i;

	for (i = 0; i < kvm_sim->event_count; i++) {
		if (kvm_sim->events[i].number == num)
			return (int)i;
	}
	return -1;
}

bool kvm_sdei_is_exposed(struct kvm *kvm, unsigned long num)
{
	return kvm_sim__event_index(kvm_sim__of(kvm), num) >= 0;
}

bool kvm_sdei_vcpu_event_running(struct kvm_vcpu *vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);

	return sim_sdei_depth(kvm_sim->sdei, (uint32_t)vcpu->vcpu_idx) > 0;
}

bool kvm_sdei_vcpu_masked(struct kvm_vcpu *vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);

	return sim_sdei_masked(kvm_sim->sdei, (uint32_t)vcpu->vcpu_idx);
}

bool kvm_sdei_event_ready(struct kvm_vcpu *vcpu, unsigned long num)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);
	const int wanted = SIM_SDEI_STATUS_REGISTERED | SIM_SDEI_STATUS_ENABLED;
	int status;

	if (num > UINT32_MAX)
		return false;
	status = sim_sdei_event_status(kvm_sim->sdei, (uint32_t)vcpu->vcpu_idx, (uint32_t)num);
	return status >= 0 && (status & wanted) == wanted;
}

bool kvm_sdei_event_pending(struct kvm_vcpu *vcpu, unsigned long num)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);
	struct kvm_sim_vcpu *sv = kvm_sim__vcpu_of(vcpu);
	int index = kvm_sim__event_index(kvm_sim, num);

	if (index < 0)
		return false;
	return sv->sdei_queued[index] ||
	       sim_sdei_pending(kvm_sim->sdei, (uint32_t)vcpu->vcpu_idx, (uint32_t)num);
}

/* Is a critical (@critical) or any event of this VM queued or pending on @vcpu? */
static bool sdei_any_pending(struct kvm_vcpu *vcpu, bool critical_only)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);
	uint32_t i;

	for (i = 0; i < kvm_sim->event_count; i++) {
		if (critical_only && kvm_sim->events[i].priority != SIM_SDEI_PRIORITY_CRITICAL)
			continue;
		if (kvm_sdei_event_pending(vcpu, kvm_sim->events[i].number))
			return true;
	}
	return false;
}

/* Does a critical event of this VM run on @vcpu? */
static bool sdei_critical_running(struct kvm_vcpu *vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);
	uint32_t idx = (uint32_t)vcpu->vcpu_idx;
	int64_t running = sim_sdei_running_event(kvm_sim->sdei, idx);
	int index;

	if (running < 0)
		return false;
	/* Only the VMM's events are critical; a nested pair has one at the top. */
	index = kvm_sim__event_index(kvm_sim, (unsigned long)running);
	return index >= 0 && kvm_sim->events[index].priority == SIM_SDEI_PRIORITY_CRITICAL;
}

int kvm_sdei_inject(struct kvm_vcpu *vcpu, unsigned long num, bool immediate)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);
	struct kvm_sim_vcpu *sv = kvm_sim__vcpu_of(vcpu);
	int index = kvm_sim__event_index(kvm_sim, num);
	bool critical;

	if (index < 0)
		return -EINVAL;
	if (!kvm_sdei_event_ready(vcpu, num) || kvm_sdei_vcpu_masked(vcpu))
		return -EPERM;
	critical = kvm_sim->events[index].priority == SIM_SDEI_PRIORITY_CRITICAL;
	if (immediate) {
		if (critical && (sdei_critical_running(vcpu) || sdei_any_pending(vcpu, true)))
			return -ENOSPC;
		if (!critical && (kvm_sdei_vcpu_event_running(vcpu) || sdei_any_pending(vcpu, false)))
			return -ENOSPC;
	}
	/*
	 * Fault injection: KVM's vsdei refuses an event that is not registered
	 * and enabled, or a masked PE, at the moment of the call (-EPERM); the
	 * simulated guest never gets there, so the refusal is drawn [R§10.15].
	 */
	if (kvm_sim->config.sdei_fail_ratio.numerator > 0 &&
	    sim_prng_chance(sim_stream(kvm_sim->sim, SIM_STREAM_FAULT),
			    kvm_sim->config.sdei_fail_ratio)) {
		sv->sdei_inject_fail_count++;
		sim_trace(kvm_sim->sim, SIM_TRACE_SDEI, "sdei-inject-fail", num,
			  (uint64_t)vcpu->vcpu_idx);
		return -EPERM;
	}
	/* An already queued event is merged (KVM counts it in its refcount). */
	sv->sdei_queued[index] = true;
	kvm_make_request(KVM_REQ_SDEI, vcpu);
	kvm_vcpu_kick(vcpu);
	return 0;
}

int kvm_sdei_cancel(struct kvm_vcpu *vcpu, unsigned long num)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);
	struct kvm_sim_vcpu *sv = kvm_sim__vcpu_of(vcpu);
	int index = kvm_sim__event_index(kvm_sim, num);
	bool was_pending = false;
	int ret;

	if (index < 0)
		return -EINVAL;
	if (sv->sdei_queued[index]) {
		sv->sdei_queued[index] = false;
		return 0;
	}
	ret = sim_sdei_cancel(kvm_sim->sdei, (uint32_t)vcpu->vcpu_idx, (uint32_t)num,
			      &was_pending);
	if (ret == -EINPROGRESS)
		return -EINPROGRESS;
	if (ret != 0 || !was_pending)
		return -EINVAL;
	return 0;
}

/* KVM_REQ_SDEI: hand the queued events to the dispatcher (kvm_sdei_deliver). */
static void kvm_sdei_deliver(struct kvm_vcpu *vcpu)
{
	struct kvm_sim *kvm_sim = kvm_sim__of(vcpu->kvm);
	struct kvm_sim_vcpu *sv = kvm_sim__vcpu_of(vcpu);
	uint32_t i;

	for (i = 0; i < kvm_sim->event_count; i++) {
		int ret;

		if (!sv->sdei_queued[i])
			continue;
		sv->sdei_queued[i] = false;
		ret = sim_sdei_signal(kvm_sim->sdei, (uint32_t)vcpu->vcpu_idx,
				      kvm_sim->events[i].number);
		if (ret == 0 || ret == -EALREADY)
			sv->sdei_signal_count++;
		else
			sv->sdei_drop_count++; /* unregistered meanwhile: dropped */
	}
}

/* ---- Guest entry ---- */

/*
 * check_vcpu_requests() of arch/arm64/kvm/arm.c with the series' lines:
 * KVM_REQ_ASYNC_PF before KVM_REQ_SDEI, so a completion that beats the
 * delivery of its page-not-present cancels it [R§4.6].
 */
void kvm_sim__check_vcpu_requests(struct kvm_vcpu *vcpu)
{
	if (!kvm_request_pending(vcpu))
		return;
	if (kvm_check_request(KVM_REQ_ASYNC_PF, vcpu))
		kvm_check_async_pf_completion(vcpu);
	if (kvm_check_request(KVM_REQ_SDEI, vcpu))
		kvm_sdei_deliver(vcpu);
}

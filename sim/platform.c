// SPDX-License-Identifier: MIT
/*
 * The platform of one execution: wires the GIC, the SDEI dispatcher, the
 * SMCCC conduit with PSCI, and guest memory to the engine and to the guest's
 * hooks. Interrupt delivery happens here: the engine asks deliverable() and
 * deliver() at schedule points, and deliver() either dispatches an SDEI event
 * or enters the guest's IRQ vector as an IRQ exception would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_private.h"
#include "proto/psci.h"
#include "proto/smccc.h"
#include "sim/assert.h"
#include "sim/sim.h"
#include "sim/trace.h"

/* An IRQ vector, an SDEI handler and one preempting Critical handler. */
#define PLATFORM_EXCEPTION_DEPTH_MAX_ (SIM_SDEI_NESTING_MAX + 2u)
/*
 * Host-mode depth of a vCPU: an exit, a guest entry inside it, a reset
 * inside that, for every task of the vCPU that is in an exit at once (tasks
 * waiting for the vCPU's mutex in the host give the vCPU up, so each task of
 * the vCPU can be inside one).
 */
#define PLATFORM_HOST_DEPTH_MAX_ (4u * SIM_THREAD_COUNT_MAX)
/* Host entry hooks per guest entry while requests stay pending. */
#define PLATFORM_HOST_ENTRY_ROUND_MAX_ 4u

static struct sim_platform *platform_of(void *ctx)
{
	struct sim_platform *platform = ctx;

	SIM_ASSERT(platform != NULL);
	SIM_ASSERT(platform->vcpu_count > 0);
	return platform;
}

static uint32_t platform_self_vcpu(const struct sim_platform *platform)
{
	int vcpu = sim_self_vcpu();

	SIM_ASSERT(vcpu >= 0); /* host threads have no vCPU state */
	SIM_ASSERT((uint32_t)vcpu < platform->vcpu_count);
	return (uint32_t)vcpu;
}

static void platform_host_exit_on(struct sim_platform *platform, uint32_t vcpu);

/* ---- Interrupt delivery ---- */

static bool platform_irq_unmasked(const struct sim_platform *platform, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < platform->vcpu_count);
	if ((platform->regs[vcpu].pstate & SIM_PSTATE_I) == 0)
		return true;
	/* An idle vCPU sits in WFI, which a pending interrupt wakes even when
	 * masked, and the idle loop unmasks it; a handler keeps it masked. */
	return platform->exception_depth[vcpu] == 0 &&
	       sim_vcpu_current(platform->sim, vcpu) == SIM_THREAD_NONE;
}

static bool platform_host_pending(const struct sim_platform *platform, uint32_t vcpu)
{
	return platform->host_ops.entry_pending != NULL &&
	       platform->host_ops.entry_pending(platform->host_ctx, vcpu);
}

bool sim_platform_deliverable(const struct sim_platform *platform, uint32_t vcpu)
{
	SIM_ASSERT(platform != NULL);
	SIM_ASSERT(vcpu < platform->vcpu_count);
	/* The host is handling an exit on this vCPU: the guest is not running. */
	if (platform->host_depth[vcpu] > 0)
		return false;
	/* Pending host requests make the vCPU exit and re-enter. */
	if (platform_host_pending(platform, vcpu))
		return true;
	/* SDEI events are taken by firmware: PSTATE.DAIF does not gate them. */
	if (sim_sdei_dispatchable(platform->sdei, vcpu))
		return true;
	if (sim_gic_highest_pending(platform->gic, vcpu) == SIM_GIC_INTID_SPURIOUS)
		return false;
	return platform_irq_unmasked(platform, vcpu);
}

/* Without a guest IRQ vector: take one interrupt and finish it. */
static void platform_irq_default(struct sim_platform *platform, uint32_t vcpu)
{
	uint32_t intid = sim_gic_ack(platform->gic, vcpu);
	int ret;

	if (intid == SIM_GIC_INTID_SPURIOUS)
		return;
	ret = sim_gic_eoi(platform->gic, vcpu, intid);
	SIM_ASSERT(ret == 0);
	/* In EOImode 1 deactivation is separate; in EOImode 0 this is refused. */
	ret = sim_gic_deactivate(platform->gic, vcpu, intid);
	SIM_MAYBE(ret == 0);
	platform->stats.default_irq_count++;
}

/* An exception return that lands in EL0 runs the kernel's return-to-user work. */
static void platform_maybe_return_to_user(struct sim_platform *platform, uint32_t vcpu)
{
	if (platform->exception_depth[vcpu] != 0 ||
	    sim_arm_el(platform->regs[vcpu].pstate) != 0 ||
	    platform->guest_ops.return_to_user == NULL)
		return;
	platform->stats.return_to_user_count++;
	platform->guest_ops.return_to_user(platform->guest_ctx, vcpu);
}

/*
 * An IRQ exception to EL1h taken from (@return_pc, @return_pstate): DAIF
 * masked, the guest's vector runs, and the ERET goes back there.
 */
static void platform_irq_exception(struct sim_platform *platform, uint32_t vcpu,
				   uint64_t return_pc, uint64_t return_pstate, const char *label)
{
	struct sim_arm_regs *regs = &platform->regs[vcpu];

	SIM_ASSERT(platform->exception_depth[vcpu] < PLATFORM_EXCEPTION_DEPTH_MAX_);
	regs->pstate = SIM_PSTATE_EL1h | SIM_PSTATE_DAIF;
	platform->exception_depth[vcpu]++;
	platform->stats.irq_entry_count++;
	sim_trace(platform->sim, SIM_TRACE_IRQ, label,
		  sim_gic_highest_pending(platform->gic, vcpu), vcpu);
	if (platform->guest_ops.irq_vector != NULL)
		platform->guest_ops.irq_vector(platform->guest_ctx, vcpu);
	else
		platform_irq_default(platform, vcpu);
	SIM_ASSERT(platform->exception_depth[vcpu] > 0);
	platform->exception_depth[vcpu]--;
	regs->pc = return_pc;
	regs->pstate = return_pstate;
	platform_maybe_return_to_user(platform, vcpu);
}

/* Dispatch one SDEI event on @vcpu (the caller checked it is dispatchable). */
static void platform_take_sdei(struct sim_platform *platform, uint32_t vcpu)
{
	struct sim_arm_regs *regs = &platform->regs[vcpu];
	bool resumed;

	/* Defaults in case the dispatcher does not write ELR/SPSR. */
	platform->elr_el1[vcpu] = regs->pc;
	platform->spsr_el1[vcpu] = regs->pstate;
	platform->exception_depth[vcpu]++;
	resumed = sim_sdei_dispatch(platform->sdei, vcpu);
	platform->exception_depth[vcpu]--;
	if (!resumed) {
		platform_maybe_return_to_user(platform, vcpu);
		return;
	}
	/* COMPLETE_AND_RESUME left the vCPU as if it had taken an IRQ
	 * exception at the resume address: run the IRQ path once. */
	platform->stats.resume_irq_count++;
	platform_irq_exception(platform, vcpu, platform->elr_el1[vcpu], platform->spsr_el1[vcpu],
			       "irq-vector-resume");
}

/* Run the host's entry hook in host mode while it has work (bounded). */
static void platform_host_entry(struct sim_platform *platform, uint32_t vcpu)
{
	uint32_t round;

	for (round = 0; round < PLATFORM_HOST_ENTRY_ROUND_MAX_; round++) {
		if (!platform_host_pending(platform, vcpu) || platform->host_ops.entry == NULL)
			return;
		platform->host_depth[vcpu]++;
		platform->stats.host_entry_count++;
		platform->host_ops.entry(platform->host_ctx, vcpu);
		SIM_ASSERT(platform->host_depth[vcpu] > 0);
		platform->host_depth[vcpu]--;
	}
	/* Still pending: the engine asks again at the next schedule point. */
}

static void platform_deliver(void *ctx, uint32_t vcpu)
{
	struct sim_platform *platform = platform_of(ctx);
	struct sim_arm_regs *regs;

	SIM_ASSERT(vcpu < platform->vcpu_count);
	regs = &platform->regs[vcpu];
	if (platform->host_depth[vcpu] > 0)
		return; /* withdrawn: the vCPU is in the host */
	platform_host_entry(platform, vcpu);
	if (sim_sdei_dispatchable(platform->sdei, vcpu)) {
		platform_take_sdei(platform, vcpu);
		return;
	}
	if (sim_gic_highest_pending(platform->gic, vcpu) == SIM_GIC_INTID_SPURIOUS ||
	    !platform_irq_unmasked(platform, vcpu))
		return; /* withdrawn since the engine asked, or inside a handler */
	platform_irq_exception(platform, vcpu, regs->pc, regs->pstate, "irq-vector");
}

static bool platform_deliverable_hook(void *ctx, uint32_t vcpu)
{
	return sim_platform_deliverable(platform_of(ctx), vcpu);
}

static const struct sim_irq_ops platform_irq_ops = {
	.deliverable = platform_deliverable_hook,
	.deliver = platform_deliver,
};

/* ---- SDEI dispatcher hooks ---- */

static void platform_sdei_enter(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg,
				uint32_t event)
{
	struct sim_platform *platform = platform_of(ctx);

	SIM_ASSERT(vcpu < platform->vcpu_count);
	/* Without a guest runner the handler never completes; the dispatcher
	 * reports that as a finding. */
	if (platform->guest_ops.sdei_enter != NULL)
		platform->guest_ops.sdei_enter(platform->guest_ctx, vcpu, entry, arg, event);
}

static struct sim_arm_regs *platform_sdei_regs(void *ctx, uint32_t vcpu)
{
	struct sim_platform *platform = platform_of(ctx);

	SIM_ASSERT(vcpu < platform->vcpu_count);
	return &platform->regs[vcpu];
}

/* Only PPIs are modelled; SPIs cannot be bound. */
static bool platform_sdei_intid_bindable(void *ctx, uint32_t intid)
{
	SIM_ASSERT(platform_of(ctx) != NULL);
	return intid >= SIM_GIC_INTID_PPI_FIRST && intid < SIM_GIC_INTID_PRIVATE_COUNT;
}

static bool platform_sdei_intid_active(void *ctx, uint32_t intid)
{
	return sim_gic_active_any(platform_of(ctx)->gic, intid);
}

static void platform_sdei_intid_bind(void *ctx, uint32_t intid, bool bound)
{
	struct sim_platform *platform = platform_of(ctx);

	SIM_ASSERT(intid >= SIM_GIC_INTID_PPI_FIRST);
	SIM_ASSERT(intid < SIM_GIC_INTID_PRIVATE_COUNT);
	if (bound)
		platform->sdei_bound_intids |= 1u << intid;
	else
		platform->sdei_bound_intids &= ~(1u << intid);
}

static int platform_sdei_mpidr_to_vcpu(void *ctx, uint64_t mpidr)
{
	return sim_psci_mpidr_to_vcpu(mpidr, platform_of(ctx)->vcpu_count);
}

static void platform_sdei_set_elr_spsr(void *ctx, uint32_t vcpu, uint64_t elr, uint64_t spsr)
{
	struct sim_platform *platform = platform_of(ctx);

	SIM_ASSERT(vcpu < platform->vcpu_count);
	platform->elr_el1[vcpu] = elr;
	platform->spsr_el1[vcpu] = spsr;
}

static void platform_sdei_kick(void *ctx, uint32_t vcpu)
{
	struct sim_platform *platform = platform_of(ctx);

	SIM_ASSERT(vcpu < platform->vcpu_count);
	sim_vcpu_kick(platform->sim, vcpu);
}

static const struct sim_sdei_hooks platform_sdei_hooks = {
	.enter = platform_sdei_enter,
	.regs = platform_sdei_regs,
	.intid_bindable = platform_sdei_intid_bindable,
	.intid_active = platform_sdei_intid_active,
	.intid_bind = platform_sdei_intid_bind,
	.mpidr_to_vcpu = platform_sdei_mpidr_to_vcpu,
	.address_valid = NULL,
	.set_elr_spsr = platform_sdei_set_elr_spsr,
	.kick = platform_sdei_kick,
};

static bool platform_sdei_service_call(void *ctx, uint32_t vcpu,
				       const uint64_t x[SIM_SMCCC_ARG_COUNT],
				       uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	return sim_sdei_call(platform_of(ctx)->sdei, vcpu, x, res);
}

static bool platform_sdei_service_implements(void *ctx, uint32_t function_id)
{
	SIM_ASSERT(platform_of(ctx) != NULL);
	SIM_ASSERT(sim_sdei_fid_is_sdei(function_id));
	return proto_smccc_func_num(function_id) <= PLATFORM_SDEI_FUNCTION_IMPLEMENTED_LAST_;
}

/* ---- PSCI power changes ---- */

/* Power-on state of a PE (DEN0022 §6.4): entry point, x0, EL1h, DAIF masked. */
static void platform_vcpu_power_reset(struct sim_platform *platform, uint32_t vcpu, uint64_t pc,
				      uint64_t x0)
{
	struct sim_arm_regs *regs = &platform->regs[vcpu];

	SIM_ASSERT(vcpu < platform->vcpu_count);
	memset(regs, 0, sizeof(*regs));
	regs->x[0] = x0;
	regs->pc = pc;
	regs->pstate = SIM_PSTATE_EL1h | SIM_PSTATE_DAIF;
	platform->elr_el1[vcpu] = 0;
	platform->spsr_el1[vcpu] = 0;
	sim_gic_reset_vcpu(platform->gic, vcpu);
	sim_sdei_pe_reset(platform->sdei, vcpu);
	SIM_ASSERT(sim_gic_highest_pending(platform->gic, vcpu) == SIM_GIC_INTID_SPURIOUS);
}

/* The VMM resets @vcpu's host state (KVM's vCPU reset). */
static void platform_host_vcpu_reset(struct sim_platform *platform, uint32_t vcpu)
{
	int self = sim_self_vcpu();

	if (platform->host_ops.vcpu_reset == NULL)
		return;
	platform->stats.vcpu_reset_count++;
	if (self >= 0)
		platform->host_depth[self]++;
	platform->host_ops.vcpu_reset(platform->host_ctx, vcpu);
	if (self >= 0)
		platform->host_depth[self]--;
}

/* The first task of a powered-on vCPU: it is now executing (ON). */
static void platform_cpu_entry_thread(void *arg)
{
	struct platform_cpu_start start = *(const struct platform_cpu_start *)arg;
	struct sim_platform *platform = start.platform;

	SIM_ASSERT(platform != NULL);
	SIM_ASSERT(start.vcpu < platform->vcpu_count);
	if (sim_psci_cpu_entered(platform->psci, start.vcpu) != 0)
		return; /* powered off again meanwhile by the host */
	if (platform->guest_ops.cpu_entry != NULL)
		platform->guest_ops.cpu_entry(platform->guest_ctx, start.vcpu, start.entry,
					      start.context_id);
}

static int64_t platform_cpu_on(void *ctx, uint32_t caller, uint32_t target, uint64_t entry,
			       uint64_t context_id)
{
	struct sim_platform *platform = platform_of(ctx);
	struct platform_cpu_start *start = &platform->cpu_start[target];
	struct sim_thread_attr attr = {
		.kind = SIM_THREAD_TASK, .name = "cpu-on", .vcpu = target, .daemon = false,
	};
	int ret;

	SIM_ASSERT(caller < platform->vcpu_count);
	SIM_ASSERT(target < platform->vcpu_count);
	platform_vcpu_power_reset(platform, target, entry, context_id);
	platform_host_vcpu_reset(platform, target);
	*start = (struct platform_cpu_start){
		.platform = platform, .vcpu = target, .entry = entry, .context_id = context_id,
	};
	if (sim_vcpu_set_online(platform->sim, target, true) != 0)
		return PROTO_PSCI_RET_INTERNAL_FAILURE;
	if (sim_spawn(platform->sim, &attr, platform_cpu_entry_thread, start) == SIM_THREAD_NONE) {
		ret = sim_vcpu_set_online(platform->sim, target, false);
		SIM_MAYBE(ret == 0);
		return PROTO_PSCI_RET_INTERNAL_FAILURE;
	}
	platform->stats.cpu_on_count++;
	return PROTO_PSCI_RET_SUCCESS;
}

static int64_t platform_cpu_off(void *ctx, uint32_t vcpu)
{
	struct sim_platform *platform = platform_of(ctx);

	SIM_ASSERT(vcpu < platform->vcpu_count);
	/* Refused for the last online vCPU, or one halted in the host. The
	 * caller's task moves to another vCPU when it succeeds. */
	if (sim_vcpu_set_online(platform->sim, vcpu, false) != 0)
		return PROTO_PSCI_RET_DENIED;
	sim_gic_reset_vcpu(platform->gic, vcpu);
	sim_sdei_pe_reset(platform->sdei, vcpu);
	platform->stats.cpu_off_count++;
	return PROTO_PSCI_RET_SUCCESS;
}

static int64_t platform_system_event(void *ctx, uint32_t vcpu, enum sim_psci_system_event event)
{
	struct sim_platform *platform = platform_of(ctx);

	SIM_ASSERT(vcpu < platform->vcpu_count);
	if (platform->guest_ops.system_event == NULL)
		return PROTO_PSCI_RET_NOT_SUPPORTED;
	platform->stats.system_event_count++;
	sim_trace(platform->sim, SIM_TRACE_USER,
		  event == SIM_PSCI_SYSTEM_RESET ? "psci-system-reset" : "psci-system-off", vcpu,
		  (uint64_t)event);
	platform->guest_ops.system_event(platform->guest_ctx, vcpu, event);
	if (event == SIM_PSCI_SYSTEM_RESET) {
		uint32_t v;

		for (v = 0; v < platform->vcpu_count; v++)
			platform_host_vcpu_reset(platform, v);
	}
	return PROTO_PSCI_RET_SUCCESS;
}

static const struct sim_psci_ops platform_psci_ops = {
	.cpu_on = platform_cpu_on,
	.cpu_off = platform_cpu_off,
	.system_event = platform_system_event,
};

/* ---- Creation ---- */

int sim_platform_config_check(const struct sim_platform_config *config, char *error,
			      size_t error_size)
{
	if (config == NULL) {
		if (error != NULL && error_size > 0)
			snprintf(error, error_size, "platform: no configuration");
		return -EINVAL;
	}
	return sim_memory_config_check(&config->memory, error, error_size);
}

static int platform_parts_create(struct sim_platform *platform,
				 const struct sim_platform_config *config, char *error,
				 size_t error_size)
{
	const struct sim_smccc_service sdei_service = {
		.name = "sdei",
		.owner = PROTO_ARM_SMCCC_OWNER_STANDARD,
		.conv = SIM_SMCCC_CONV_SMC64,
		.function_min = PLATFORM_SDEI_FUNCTION_FIRST_,
		.function_max = PLATFORM_SDEI_FUNCTION_LAST_,
		.call = platform_sdei_service_call,
		.implements = platform_sdei_service_implements,
		.ctx = platform,
	};
	uint32_t n = platform->vcpu_count;
	int ret;

	ret = sim_gic_create(&platform->gic, n);
	if (ret == 0)
		ret = sim_sdei_create(&platform->sdei, n, &platform_sdei_hooks, platform);
	if (ret == 0)
		ret = sim_smccc_create(&platform->smccc, platform->sim, n);
	if (ret == 0)
		ret = sim_smccc_register(platform->smccc, &sdei_service);
	if (ret == 0)
		ret = sim_psci_create(&platform->psci, n, &platform_psci_ops, platform);
	if (ret == 0)
		ret = sim_psci_register(platform->psci, platform->smccc);
	if (ret != 0) {
		if (error != NULL && error_size > 0)
			snprintf(error, error_size, "platform: cannot create its parts (%d)", ret);
		return ret;
	}
	return sim_memory_create(&platform->memory, &config->memory,
				 sim_stream(platform->sim, SIM_STREAM_FAULT),
				 sim_stream(platform->sim, SIM_STREAM_LATENCY), error, error_size);
}

static void platform_vcpus_init(struct sim_platform *platform)
{
	for (uint32_t v = 0; v < platform->vcpu_count; v++) {
		bool online = sim_vcpu_online(platform->sim, v);
		int ret;

		/* A booted kernel runs in EL1 with interrupts unmasked. */
		platform->regs[v].pstate = SIM_PSTATE_EL1h;
		ret = sim_psci_set_state(platform->psci, v,
					 online ? SIM_PSCI_STATE_ON : SIM_PSCI_STATE_OFF);
		SIM_ASSERT(ret == 0);
	}
}

int sim_platform_create(struct sim_platform **out, struct sim *sim,
			const struct sim_platform_config *config, char *error, size_t error_size)
{
	struct sim_platform *platform;
	int ret;

	SIM_ASSERT(out != NULL);
	SIM_ASSERT(sim != NULL);
	*out = NULL;
	ret = sim_platform_config_check(config, error, error_size);
	if (ret != 0)
		return ret;
	platform = calloc(1, sizeof(*platform));
	if (platform == NULL)
		return -ENOMEM;
	platform->sim = sim;
	platform->vcpu_count = sim_vcpu_count(sim);
	SIM_ASSERT(platform->vcpu_count > 0);
	SIM_ASSERT(platform->vcpu_count <= SIM_VCPU_COUNT_MAX);
	ret = platform_parts_create(platform, config, error, error_size);
	if (ret != 0) {
		sim_platform_destroy(platform);
		return ret;
	}
	platform_vcpus_init(platform);
	sim_set_irq_ops(sim, &platform_irq_ops, platform);
	*out = platform;
	return 0;
}

void sim_platform_destroy(struct sim_platform *platform)
{
	if (platform == NULL)
		return;
	SIM_ASSERT(platform->vcpu_count <= SIM_VCPU_COUNT_MAX);
	sim_memory_destroy(platform->memory);
	sim_psci_destroy(platform->psci);
	sim_smccc_destroy(platform->smccc);
	sim_sdei_destroy(platform->sdei);
	sim_gic_destroy(platform->gic);
	free(platform);
}

void sim_platform_set_host_ops(struct sim_platform *platform,
			       const struct sim_platform_host_ops *ops, void *ctx)
{
	SIM_ASSERT(platform != NULL);
	if (ops == NULL) {
		memset(&platform->host_ops, 0, sizeof(platform->host_ops));
		platform->host_ctx = NULL;
		return;
	}
	platform->host_ops = *ops;
	platform->host_ctx = ctx;
}

void sim_platform_set_guest_ops(struct sim_platform *platform,
				const struct sim_platform_guest_ops *ops, void *ctx)
{
	SIM_ASSERT(platform != NULL);
	if (ops == NULL) {
		memset(&platform->guest_ops, 0, sizeof(platform->guest_ops));
		platform->guest_ctx = NULL;
		return;
	}
	platform->guest_ops = *ops;
	platform->guest_ctx = ctx;
}

/* ---- Parts ---- */

struct sim *sim_platform_sim(const struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	return platform->sim;
}

uint32_t sim_platform_vcpu_count(const struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	return platform->vcpu_count;
}

struct sim_gic *sim_platform_gic(const struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	return platform->gic;
}

struct sim_sdei *sim_platform_sdei(const struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	return platform->sdei;
}

struct sim_smccc *sim_platform_smccc(const struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	return platform->smccc;
}

struct sim_psci *sim_platform_psci(const struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	return platform->psci;
}

struct sim_memory *sim_platform_memory(const struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	return platform->memory;
}

struct sim_arm_regs *sim_platform_regs(struct sim_platform *platform, uint32_t vcpu)
{
	SIM_ASSERT(platform != NULL);
	SIM_ASSERT(vcpu < platform->vcpu_count);
	return &platform->regs[vcpu];
}

const struct sim_platform_stats *sim_platform_stats(const struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	return &platform->stats;
}

/* ---- Guest side ---- */

bool sim_platform_hvc(struct sim_platform *platform, struct sim_smccc_regs *regs)
{
	uint32_t vcpu;
	bool returned;

	SIM_ASSERT(platform != NULL);
	SIM_ASSERT(regs != NULL);
	vcpu = platform_self_vcpu(platform);
	memcpy(platform->regs[vcpu].x, regs->x, sizeof(regs->x));
	sim_platform_host_enter(platform);
	returned = sim_smccc_call(platform->smccc, vcpu, regs);
	if (returned)
		memcpy(platform->regs[vcpu].x, regs->a, sizeof(regs->a));
	platform_host_exit_on(platform, vcpu);
	return returned;
}

void sim_platform_irq_disable(struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	platform->regs[platform_self_vcpu(platform)].pstate |= SIM_PSTATE_I;
}

void sim_platform_irq_enable(struct sim_platform *platform)
{
	struct sim_arm_regs *regs;
	bool was_masked;

	SIM_ASSERT(platform != NULL);
	regs = &platform->regs[platform_self_vcpu(platform)];
	was_masked = (regs->pstate & SIM_PSTATE_I) != 0;
	regs->pstate &= ~SIM_PSTATE_I;
	if (was_masked)
		sim_point(SIM_POINT_IRQ_UNMASK, "irq-unmask");
}

uint64_t sim_platform_irq_save(struct sim_platform *platform)
{
	struct sim_arm_regs *regs;
	uint64_t flags;

	SIM_ASSERT(platform != NULL);
	regs = &platform->regs[platform_self_vcpu(platform)];
	flags = regs->pstate & SIM_PSTATE_I;
	regs->pstate |= SIM_PSTATE_I;
	return flags;
}

void sim_platform_irq_restore(struct sim_platform *platform, uint64_t flags)
{
	SIM_ASSERT(platform != NULL);
	SIM_ASSERT((flags & ~SIM_PSTATE_I) == 0);
	if (flags != 0)
		sim_platform_irq_disable(platform);
	else
		sim_platform_irq_enable(platform);
}

bool sim_platform_irqs_disabled(const struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	return (platform->regs[platform_self_vcpu(platform)].pstate & SIM_PSTATE_I) != 0;
}

int sim_platform_touch(struct sim_platform *platform, uint64_t gpa, unsigned int access_flags)
{
	SIM_ASSERT(platform != NULL);
	return sim_memory_touch(platform->memory, platform_self_vcpu(platform), gpa, access_flags);
}

/* ---- Host side ---- */

void sim_platform_host_enter(struct sim_platform *platform)
{
	uint32_t vcpu;

	SIM_ASSERT(platform != NULL);
	vcpu = platform_self_vcpu(platform);
	SIM_ASSERT(platform->host_depth[vcpu] < PLATFORM_HOST_DEPTH_MAX_);
	platform->host_depth[vcpu]++;
}

/* Leave host mode entered on @vcpu; the caller may have moved (CPU_OFF). */
static void platform_host_exit_on(struct sim_platform *platform, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < platform->vcpu_count);
	SIM_ASSERT(platform->host_depth[vcpu] > 0);
	platform->host_depth[vcpu]--;
	if (platform->host_depth[vcpu] > 0 || sim_self_vcpu() != (int)vcpu)
		return;
	/* Guest entry: requests first (KVM's check_vcpu_requests), then a
	 * queued SDEI event is delivered before the guest runs again. Inside
	 * a handler (an HVC from the guest's SDEI or IRQ handler) the event
	 * waits for the engine's next delivery. */
	platform_host_entry(platform, vcpu);
	if (platform->exception_depth[vcpu] == 0 && sim_sdei_dispatchable(platform->sdei, vcpu)) {
		platform->stats.exit_sdei_count++;
		platform_take_sdei(platform, vcpu);
	}
}

void sim_platform_host_exit(struct sim_platform *platform)
{
	SIM_ASSERT(platform != NULL);
	platform_host_exit_on(platform, platform_self_vcpu(platform));
}

bool sim_platform_in_host(const struct sim_platform *platform, uint32_t vcpu)
{
	SIM_ASSERT(platform != NULL);
	SIM_ASSERT(vcpu < platform->vcpu_count);
	return platform->host_depth[vcpu] > 0;
}

/* The stage-2 fault path is an exit: the host's hook runs in host mode. */
static enum sim_stage2_result platform_fault(void *ctx, uint32_t vcpu, uint64_t gpa,
					     unsigned int access_flags)
{
	struct sim_platform *platform = platform_of(ctx);
	enum sim_stage2_result result;

	SIM_ASSERT(vcpu < platform->vcpu_count);
	SIM_ASSERT(platform->host_fault != NULL);
	SIM_ASSERT(sim_self_vcpu() == (int)vcpu);
	sim_platform_host_enter(platform);
	result = platform->host_fault(platform->host_fault_ctx, vcpu, gpa, access_flags);
	platform_host_exit_on(platform, vcpu);
	return result;
}

void sim_platform_set_fault_hook(struct sim_platform *platform, sim_stage2_fault_fn fault,
				 void *ctx)
{
	SIM_ASSERT(platform != NULL);
	platform->host_fault = fault;
	platform->host_fault_ctx = ctx;
	sim_memory_set_fault_hook(platform->memory, fault != NULL ? platform_fault : NULL,
				  fault != NULL ? platform : NULL);
}

/* A PPI owned by the SDEI dispatcher: raising its line triggers the event. */
static int platform_bound_line(struct sim_platform *platform, uint32_t vcpu, uint32_t intid,
			       bool level)
{
	uint32_t event;
	int ret;

	SIM_ASSERT(vcpu < platform->vcpu_count);
	if (!level)
		return 0;
	ret = sim_sdei_event_for_intid(platform->sdei, intid, &event);
	SIM_ASSERT(ret == 0); /* the bound set follows the dispatcher's bindings */
	ret = sim_sdei_signal(platform->sdei, vcpu, event);
	return ret == -EALREADY ? 0 : ret;
}

int sim_platform_irq_line(struct sim_platform *platform, uint32_t vcpu, uint32_t intid,
			  bool level)
{
	int ret;

	SIM_ASSERT(platform != NULL);
	if (vcpu >= platform->vcpu_count || intid >= SIM_GIC_INTID_PRIVATE_COUNT)
		return -EINVAL;
	if ((platform->sdei_bound_intids >> intid) & 1u)
		return platform_bound_line(platform, vcpu, intid, level);
	ret = sim_gic_set_line(platform->gic, vcpu, intid, level);
	if (ret != 0)
		return ret;
	sim_trace(platform->sim, SIM_TRACE_IRQ, level ? "irq-line-high" : "irq-line-low", intid,
		  vcpu);
	sim_vcpu_kick(platform->sim, vcpu);
	return 0;
}

int sim_platform_send_sgi(struct sim_platform *platform, uint32_t vcpu, uint32_t intid)
{
	int ret;

	SIM_ASSERT(platform != NULL);
	if (vcpu >= platform->vcpu_count)
		return -EINVAL;
	ret = sim_gic_send_sgi(platform->gic, vcpu, intid);
	if (ret != 0)
		return ret;
	sim_trace(platform->sim, SIM_TRACE_IRQ, "sgi", intid, vcpu);
	sim_vcpu_kick(platform->sim, vcpu);
	return 0;
}

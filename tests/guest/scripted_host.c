// SPDX-License-Identifier: MIT
/* The scripted host of the guest-half scenario tests; see scripted_host.h. */
#include <errno.h>
#include <string.h>

#include "proto/apf.h"
#include "proto/smccc.h"
#include "scripted_host.h"
#include "sim/assert.h"
#include "sim/memory.h"
#include "sim/sdei.h"
#include "sim/smccc.h"

#define SLOT_REASON_OFFSET 0u
#define SLOT_TOKEN_OFFSET 4u

static struct shost_vcpu *host_vcpu(struct shost *host, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < host->vcpu_count);
	return &host->vcpus[vcpu];
}

uint64_t shost_slot_gpa(const struct shost *host, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < host->vcpu_count);
	return proto_kvm_async_pf_control_gpa(host->vcpus[vcpu].control);
}

void shost_slot(const struct shost *host, uint32_t vcpu, uint32_t *reason, uint32_t *token)
{
	uint64_t gpa = shost_slot_gpa(host, vcpu);

	*reason = 0;
	*token = 0;
	if (gpa == 0)
		return;
	SIM_ASSERT(sim_memory_read(host->memory, gpa + SLOT_REASON_OFFSET, reason, 4) == 0);
	SIM_ASSERT(sim_memory_read(host->memory, gpa + SLOT_TOKEN_OFFSET, token, 4) == 0);
}

/* Host writes: token first, then reason [R4.5]; schedule points. */
static void slot_post(struct shost *host, uint32_t vcpu, uint32_t reason, uint32_t token)
{
	uint64_t gpa = shost_slot_gpa(host, vcpu);

	SIM_ASSERT(gpa != 0);
	SIM_ASSERT(sim_memory_write_u32(host->memory, gpa + SLOT_TOKEN_OFFSET, token,
					"host apf token") == 0);
	SIM_ASSERT(sim_memory_write_u32(host->memory, gpa + SLOT_REASON_OFFSET, reason,
					"host apf reason") == 0);
}

static bool slot_empty(const struct shost *host, uint32_t vcpu)
{
	uint32_t reason, token;

	shost_slot(host, vcpu, &reason, &token);
	return reason == 0 && token == 0;
}

static bool page_is_async(const struct shost *host, uint64_t page)
{
	uint32_t i;

	for (i = 0; i < host->async_page_count; i++) {
		if (host->async_pages[i] == page)
			return true;
	}
	return false;
}

/* A work not yet done for @page, on any vCPU. */
static bool page_outstanding(const struct shost *host, uint64_t page)
{
	uint32_t v, i;

	for (v = 0; v < host->vcpu_count; v++) {
		for (i = 0; i < SHOST_WORK_COUNT_MAX + 1; i++) {
			const struct shost_work *work = &host->vcpus[v].works[i];

			if (work->used && !work->done && !work->wake_all && work->page == page)
				return true;
		}
	}
	return false;
}

static struct shost_work *work_alloc(struct shost_vcpu *hv)
{
	uint32_t i;

	for (i = 0; i < SHOST_WORK_COUNT_MAX + 1; i++) {
		if (!hv->works[i].used) {
			memset(&hv->works[i], 0, sizeof(hv->works[i]));
			hv->works[i].used = true;
			return &hv->works[i];
		}
	}
	return NULL;
}

static void done_push(struct shost_vcpu *hv, struct shost_work *work)
{
	uint32_t index = (uint32_t)(work - hv->works);

	SIM_ASSERT(index < SHOST_WORK_COUNT_MAX + 1);
	SIM_ASSERT(hv->done_count < SHOST_WORK_COUNT_MAX + 1);
	hv->done_fifo[(hv->done_head + hv->done_count) % (SHOST_WORK_COUNT_MAX + 1)] = index;
	hv->done_count++;
	work->done = true;
}

static struct shost_work *done_pop(struct shost_vcpu *hv)
{
	struct shost_work *work;

	SIM_ASSERT(hv->done_count > 0);
	work = &hv->works[hv->done_fifo[hv->done_head]];
	hv->done_head = (hv->done_head + 1) % (SHOST_WORK_COUNT_MAX + 1);
	hv->done_count--;
	SIM_ASSERT(work->used && work->done);
	return work;
}

/* Disable: cancel what is queued, drop what is done, tell nobody [R4.8]. */
static void queue_flush(struct shost *host, struct shost_vcpu *hv)
{
	uint32_t i;

	for (i = 0; i < SHOST_WORK_COUNT_MAX + 1; i++) {
		struct shost_work *work = &hv->works[i];

		if (work->used && !work->done && work->timer != 0)
			(void)sim_timer_cancel(host->sim, work->timer);
		work->used = false;
	}
	hv->queued = 0;
	hv->done_head = 0;
	hv->done_count = 0;
}

/*
 * Post the next completion of @vcpu if the channel is free: the
 * kvm_check_async_pf_completion() loop of one step [R4.6].
 */
static void post_next(struct shost *host, uint32_t vcpu)
{
	struct shost_vcpu *hv = host_vcpu(host, vcpu);
	struct shost_work *work;
	uint32_t token;

	if (!hv->enabled) {
		while (hv->done_count > 0)
			done_pop(hv)->used = false;
		return;
	}
	if (hv->pr_pending || hv->done_count == 0 || !slot_empty(host, vcpu))
		return;
	work = done_pop(hv);
	token = work->wake_all ? PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL : work->token;
	if (work->wake_all)
		hv->wake_all_count++;
	work->used = false;
	slot_post(host, vcpu, PROTO_KVM_PV_REASON_PAGE_READY, token);
	hv->pr_pending = true;
	hv->pr_count++;
	SIM_ASSERT(sim_platform_irq_line(host->platform, vcpu, host->ppi, true) == 0);
}

static bool host_entry_pending(void *ctx, uint32_t vcpu)
{
	struct shost *host = ctx;
	struct shost_vcpu *hv = host_vcpu(host, vcpu);

	if (hv->done_count == 0)
		return false;
	if (!hv->enabled)
		return true;
	return !hv->pr_pending && slot_empty(host, vcpu);
}

static void host_entry(void *ctx, uint32_t vcpu)
{
	post_next(ctx, vcpu);
}

/* The page-in of @work finished: map it and queue the completion. */
static void work_done_timer(struct sim *sim, void *arg)
{
	struct shost_work *work = arg;
	struct shost *host = work->host;
	struct shost_vcpu *hv = host_vcpu(host, work->vcpu);

	SIM_ASSERT(work->used && !work->done);
	work->timer = 0;
	SIM_ASSERT(sim_memory_set_resident(host->memory, work->page, true) == 0);
	SIM_ASSERT(hv->queued > 0);
	hv->queued--;
	done_push(hv, work);
	sim_vcpu_kick(sim, work->vcpu);
}

static enum sim_stage2_result fault_sync(struct shost *host, uint32_t vcpu, uint64_t gpa)
{
	host->vcpus[vcpu].sync_count++;
	SIM_ASSERT(sim_memory_pagein(host->memory, gpa) >= 0);
	return SIM_STAGE2_SYNC;
}

static enum sim_stage2_result host_fault(void *ctx, uint32_t vcpu, uint64_t gpa,
					 unsigned int access_flags)
{
	struct shost *host = ctx;
	struct shost_vcpu *hv = host_vcpu(host, vcpu);
	uint64_t page = gpa & SHOST_PAGE_MASK;
	struct shost_work *work;
	uint32_t token;

	if (page_outstanding(host, page) || !(access_flags & SIM_MEMORY_ACCESS_USER) ||
	    !hv->enabled || !page_is_async(host, page) || hv->queued >= host->slots_limit ||
	    !slot_empty(host, vcpu))
		return fault_sync(host, vcpu, gpa);
	work = work_alloc(hv);
	if (work == NULL)
		return fault_sync(host, vcpu, gpa);
	token = proto_kvm_async_pf_token_make(hv->id++, vcpu);
	work->token = token;
	work->page = page;
	work->vcpu = vcpu;
	work->host = host;
	if (hv->np_count == 0)
		hv->first_token = token;
	slot_post(host, vcpu, PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT, token);
	if (sim_sdei_signal(host->sdei, vcpu, host->sdei_event) < 0) {
		/* Roll back, unlike v4 [R4.5]: the tests are about the guest. */
		slot_post(host, vcpu, 0, 0);
		work->used = false;
		return fault_sync(host, vcpu, gpa);
	}
	hv->np_count++;
	hv->queued++;
	work->timer = sim_timer_add(host->sim, sim_now(host->sim) + host->pagein_ticks,
				    work_done_timer, work);
	SIM_ASSERT(work->timer != 0);
	return SIM_STAGE2_ASYNC;
}

/* ENABLE [R4.8], with the guest's registration word from x2/x3. */
static uint64_t host_enable(struct shost *host, uint32_t vcpu, uint64_t x2, uint64_t x3)
{
	struct shost_vcpu *hv = host_vcpu(host, vcpu);
	uint64_t control = proto_kvm_async_pf_enable_join(x2, x3);
	bool enable = (control & PROTO_KVM_ASYNC_PF_ENABLED) != 0;
	uint64_t gpa = proto_kvm_async_pf_control_gpa(control);

	if (enable == hv->enabled) {
		hv->not_required_count++;
		return (uint64_t)PROTO_SMCCC_RET_NOT_REQUIRED;
	}
	if (!enable) {
		queue_flush(host, hv);
		hv->enabled = false;
		hv->control = control;
		hv->disable_count++;
		return PROTO_SMCCC_RET_SUCCESS;
	}
	if (host->fault_mode == SHOST_ENABLE_FAILS && vcpu == host->fail_vcpu)
		return (uint64_t)PROTO_SMCCC_RET_NOT_SUPPORTED;
	if (!sim_memory_contains(host->memory, gpa, PROTO_KVM_ASYNC_PF_HOST_AREA_SIZE))
		return (uint64_t)PROTO_SMCCC_RET_NOT_SUPPORTED;
	hv->control = control;
	hv->enabled = true;
	hv->enable_count++;
	if (hv->done_count == 0) {
		struct shost_work *work = work_alloc(hv);

		SIM_ASSERT(work != NULL);
		work->wake_all = true;
		work->vcpu = vcpu;
		work->host = host;
		done_push(hv, work);
	}
	return PROTO_SMCCC_RET_SUCCESS;
}

static void host_async_pf(struct shost *host, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
			  uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	enum shost_fault_mode mode = host->fault_mode;
	uint64_t sub = x[1];
	struct shost_vcpu *hv = host_vcpu(host, vcpu);

	host->async_pf_call_count++;
	if (sub < 6)
		host->sub_call_count[sub]++;
	res[0] = PROTO_SMCCC_RET_SUCCESS;
	switch (sub) {
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION:
		res[1] = mode == SHOST_VERSION_MAJOR_0 ? 0x000100 :
			 mode == SHOST_VERSION_RESERVED ? 0x1010000 : PROTO_KVM_ASYNC_PF_VERSION;
		if (mode == SHOST_VERSION_FAILS)
			res[0] = (uint64_t)PROTO_SMCCC_RET_NOT_SUPPORTED;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SLOTS:
		res[1] = mode == SHOST_SLOTS_ZERO ? 0 : mode == SHOST_SLOTS_HUGE ? 4096 : host->slots;
		if (mode == SHOST_SLOTS_FAILS)
			res[0] = (uint64_t)PROTO_SMCCC_RET_NOT_SUPPORTED;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SDEI:
		res[1] = mode == SHOST_SDEI_ZERO ? 0 :
			 mode == SHOST_SDEI_UNDEFINED ? PROTO_KVM_SDEI_DEFAULT_NUM + 7 : host->sdei_event;
		if (mode == SHOST_SDEI_FAILS)
			res[0] = (uint64_t)PROTO_SMCCC_RET_NOT_SUPPORTED;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ:
		res[1] = mode == SHOST_IRQ_SPI ? 40 : host->ppi;
		if (mode == SHOST_IRQ_FAILS)
			res[0] = (uint64_t)PROTO_SMCCC_RET_NOT_SUPPORTED;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE:
		res[0] = host_enable(host, vcpu, x[2], x[3]);
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK:
		hv->ack_count++;
		if (hv->pr_pending) {
			SIM_ASSERT(sim_platform_irq_line(host->platform, vcpu, host->ppi, false) == 0);
			hv->pr_pending = false;
			hv->ack_lowered++;
			post_next(host, vcpu);
		}
		break;
	default:
		res[0] = (uint64_t)PROTO_SMCCC_RET_NOT_SUPPORTED;
		break;
	}
}

static bool host_call(void *ctx, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
		      uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	struct shost *host = ctx;
	uint32_t func = proto_smccc_func_num((uint32_t)x[0]);

	switch (func) {
	case PROTO_ARM_SMCCC_FUNC_QUERY_CALL_UID:
		res[0] = PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0;
		res[1] = PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1;
		res[2] = PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2;
		res[3] = host->fault_mode == SHOST_BAD_UID ? 0x12345678u :
							      PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_FEATURES:
		/* FEATURES, PTP, and async PF when the vCPU has it [R2.2]. */
		res[0] = host->fault_mode == SHOST_NO_FEATURE ? 0x3 : 0x7;
		res[1] = 0;
		res[2] = 0;
		res[3] = 0;
		break;
	case PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF:
		host_async_pf(host, vcpu, x, res);
		break;
	default:
		break; /* NOT_SUPPORTED, as preset by the conduit */
	}
	return true;
}

void shost_init(struct shost *host, struct sim *sim, struct sim_platform *platform,
		uint32_t ppi, uint64_t pagein_ticks)
{
	struct sim_smccc_service service = {
		.name = "scripted-kvm",
		.owner = PROTO_ARM_SMCCC_OWNER_VENDOR_HYP,
		.conv = SIM_SMCCC_CONV_SMC32,
		.function_min = 0,
		.function_max = 0xffff,
		.call = host_call,
		.ctx = host,
	};
	struct sim_platform_host_ops ops = {
		.entry_pending = host_entry_pending,
		.entry = host_entry,
	};

	memset(host, 0, sizeof(*host));
	host->sim = sim;
	host->platform = platform;
	host->memory = sim_platform_memory(platform);
	host->sdei = sim_platform_sdei(platform);
	host->vcpu_count = sim_platform_vcpu_count(platform);
	SIM_ASSERT(host->vcpu_count <= SHOST_VCPU_COUNT_MAX);
	host->sdei_event = PROTO_KVM_SDEI_ASYNC_PF_NUM;
	host->ppi = ppi;
	host->slots = PROTO_ASYNC_PF_PER_VCPU;
	host->slots_limit = PROTO_ASYNC_PF_PER_VCPU;
	host->pagein_ticks = pagein_ticks;
	SIM_ASSERT(sim_sdei_event_define(host->sdei, host->sdei_event, SIM_SDEI_EVENT_PRIVATE,
					 SIM_SDEI_PRIORITY_CRITICAL, true) == 0);
	SIM_ASSERT(sim_smccc_register(sim_platform_smccc(platform), &service) == 0);
	sim_platform_set_fault_hook(platform, host_fault, host);
	sim_platform_set_host_ops(platform, &ops, host);
}

void shost_add_async_page(struct shost *host, uint64_t gpa)
{
	SIM_ASSERT(host->async_page_count < SHOST_PAGE_COUNT_MAX);
	host->async_pages[host->async_page_count++] = gpa & SHOST_PAGE_MASK;
	SIM_ASSERT(sim_memory_set_resident(host->memory, gpa, false) == 0);
}

void shost_preset_enabled(struct shost *host, uint32_t vcpu, uint64_t control)
{
	struct shost_vcpu *hv = host_vcpu(host, vcpu);

	hv->enabled = true;
	hv->control = control;
}

void shost_queue_wake_all(struct shost *host, uint32_t vcpu)
{
	struct shost_vcpu *hv = host_vcpu(host, vcpu);
	struct shost_work *work = work_alloc(hv);

	SIM_ASSERT(work != NULL);
	work->wake_all = true;
	work->vcpu = vcpu;
	work->host = host;
	done_push(hv, work);
	sim_vcpu_kick(host->sim, vcpu);
}

void shost_forge_page_ready(struct shost *host, uint32_t vcpu, uint32_t reason, uint32_t token)
{
	struct shost_vcpu *hv = host_vcpu(host, vcpu);

	slot_post(host, vcpu, reason, token);
	hv->pr_pending = true;
	SIM_ASSERT(sim_platform_irq_line(host->platform, vcpu, host->ppi, true) == 0);
}

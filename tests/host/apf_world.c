// SPDX-License-Identifier: MIT
/*
 * The scripted guest and the world around it (see apf_world.h).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apf_world.h"
#include "check_support.h"
#include "proto/apf.h"
#include "proto/sdei.h"
#include "proto/smccc.h"
#include "sim/assert.h"

#define APF_WORLD_SPAWN_MAX 256u
#define APF_WORLD_PARK_ROUND_MAX 100000u

struct apf_spawn {
	struct apf_world *w;
	uint32_t vcpu;
	void (*fn)(struct apf_world *w, uint32_t vcpu, void *arg);
	void *arg;
};

/* Spawn records live as long as the world (one execution per world). */
static struct apf_spawn spawn_records[APF_WORLD_SPAWN_MAX];
static uint32_t spawn_record_count;

uint64_t apf_world_block(uint32_t vcpu)
{
	return APF_WORLD_BASE + 64ull * vcpu;
}

uint64_t apf_world_page(uint64_t page)
{
	return APF_WORLD_BASE + page * APF_WORLD_PAGE;
}

static uint64_t mpidr_of(uint32_t vcpu)
{
	return ((uint64_t)(vcpu >> 4) << 8) | (vcpu & 0xfu);
}

static struct apf_world *world_of(void *ctx)
{
	struct apf_world *w = ctx;

	SIM_ASSERT(w != NULL && w->sim != NULL);
	return w;
}

static void log_add(struct apf_world *w, enum apf_log_kind kind, uint32_t vcpu, uint32_t reason,
		    uint32_t token)
{
	struct kvm_sim_apf_state state;

	APF_CHECK(w, w->log_count < APF_WORLD_LOG_COUNT);
	SIM_ASSERT(kvm_sim_vcpu_apf_state(w->kvm, vcpu, &state) == 0);
	w->log[w->log_count++] = (struct apf_log_entry){
		.kind = kind, .vcpu = vcpu, .reason = reason, .token = token,
		.channel = state.channel, .thread = sim_self_id(),
	};
}

static uint32_t read_word(struct apf_world *w, uint64_t gpa, const char *label)
{
	uint32_t value = 0;

	APF_CHECK(w, sim_memory_read_u32(w->memory, gpa, &value, label) == 0);
	return value;
}

static void write_word(struct apf_world *w, uint64_t gpa, uint32_t value, const char *label)
{
	APF_CHECK(w, sim_memory_write_u32(w->memory, gpa, value, label) == 0);
}

/* ---- Waiters ---- */

static void waiter_add(struct apf_world *w, uint32_t vcpu, uint32_t token, uint32_t thread)
{
	uint32_t i;

	for (i = 0; i < APF_WORLD_WAITER_COUNT; i++) {
		if (!w->waiters[i].used) {
			w->waiters[i] = (struct apf_waiter){
				.used = true, .token = token, .thread = thread, .vcpu = vcpu,
			};
			w->parked[thread] = true;
			w->released[thread] = false;
			w->park_count[thread]++;
			return;
		}
	}
	APF_CHECK(w, !"waiter table full");
}

static void waiter_release(struct apf_world *w, uint32_t index)
{
	uint32_t thread = w->waiters[index].thread;

	w->waiters[index].used = false;
	w->released[thread] = true;
	(void)sim_wake(w->sim, thread);
}

/* Did the guest see a page-not-present with @token on @vcpu? */
static bool token_seen(const struct apf_world *w, uint32_t vcpu, uint32_t token)
{
	uint32_t i;

	for (i = 0; i < w->log_count; i++) {
		if (w->log[i].kind == APF_LOG_NP && w->log[i].vcpu == vcpu &&
		    w->log[i].token == token)
			return true;
	}
	return false;
}

/* Wake the waiter of @token, or every waiter of @vcpu for wake-all. */
static void waiters_wake(struct apf_world *w, uint32_t vcpu, uint32_t token)
{
	bool found = false;
	uint32_t i;

	for (i = 0; i < APF_WORLD_WAITER_COUNT; i++) {
		if (!w->waiters[i].used || w->waiters[i].vcpu != vcpu)
			continue;
		if (token == PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL || w->waiters[i].token == token) {
			waiter_release(w, i);
			found = true;
		}
	}
	if (token == PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL)
		w->guest[vcpu].wakeall_count++;
	else if (!found)
		w->guest[vcpu].unknown_token_count++;
	if (token != PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL && !token_seen(w, vcpu, token))
		w->unknown_pr_count++;
}

void apf_release_all(struct apf_world *w, uint32_t vcpu)
{
	uint32_t i;

	for (i = 0; i < APF_WORLD_WAITER_COUNT; i++) {
		if (w->waiters[i].used && (vcpu == UINT32_MAX || w->waiters[i].vcpu == vcpu))
			waiter_release(w, i);
	}
}

uint32_t apf_waiter_count(const struct apf_world *w)
{
	uint32_t i, count = 0;

	for (i = 0; i < APF_WORLD_WAITER_COUNT; i++)
		count += w->waiters[i].used;
	return count;
}

/* ---- Guest hooks ---- */

static void guest_sdei_complete(struct apf_world *w)
{
	struct sim_smccc_regs regs = { .x = { PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE,
					      PROTO_SDEI_EV_HANDLED } };

	/* Does not return to the handler: nothing may follow it. */
	(void)sim_platform_hvc(w->platform, &regs);
}

static void guest_sdei_enter(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg,
			     uint32_t event)
{
	struct apf_world *w = world_of(ctx);
	struct apf_guest_vcpu *g = &w->guest[vcpu];
	uint64_t block = w->block[vcpu];
	uint32_t reason, token;

	APF_CHECK(w, entry == APF_WORLD_SDEI_ENTRY);
	APF_CHECK(w, arg == vcpu);
	APF_CHECK(w, event == PROTO_KVM_SDEI_ASYNC_PF_NUM);
	g->sdei_count++;
	reason = read_word(w, block, "guest: reason");
	token = read_word(w, block + 4, "guest: token");
	if (reason != PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT) {
		log_add(w, APF_LOG_NP_BAD, vcpu, reason, token);
		guest_sdei_complete(w);
		return;
	}
	log_add(w, APF_LOG_NP, vcpu, reason, token);
	if (!g->sdei_no_park)
		waiter_add(w, vcpu, token, sim_self_id());
	if (!g->sdei_no_clear) {
		write_word(w, block + 4, 0, "guest: clear token");
		write_word(w, block, 0, "guest: clear reason");
	}
	guest_sdei_complete(w);
}

static void guest_irq_vector(void *ctx, uint32_t vcpu)
{
	struct apf_world *w = world_of(ctx);
	struct apf_guest_vcpu *g = &w->guest[vcpu];
	uint64_t block = w->block[vcpu];
	uint32_t intid, reason, token;

	kshim_irq_enter();
	intid = sim_gic_ack(w->gic, vcpu);
	if (intid == SIM_GIC_INTID_SPURIOUS)
		goto out;
	if (intid == APF_WORLD_SGI) {
		w->sgi_count++;
		if (w->sgi_hook != NULL)
			w->sgi_hook(w, vcpu);
		goto eoi;
	}
	APF_CHECK(w, intid == APF_WORLD_PPI);
	g->ppi_count++;
	reason = read_word(w, block, "guest: reason");
	token = read_word(w, block + 4, "guest: token");
	if (reason != PROTO_KVM_PV_REASON_PAGE_READY) {
		/* As the v4 guest: warn, no IRQ_ACK. */
		log_add(w, APF_LOG_PR_BAD, vcpu, reason, token);
		goto eoi;
	}
	log_add(w, APF_LOG_PR, vcpu, reason, token);
	if (!g->ppi_no_clear) {
		write_word(w, block + 4, 0, "guest: clear token");
		write_word(w, block, 0, "guest: clear reason");
	}
	if (!g->ppi_no_ack) {
		APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK, 0, 0, NULL) ==
			     PROTO_SMCCC_RET_SUCCESS);
		if (apf_state(w, vcpu).channel == KVM_SIM_APF_PR_POSTED)
			w->ack_rearm_count++;
	}
	/*
	 * Woken last (Linux wakes first): a woken task may end the run, and the
	 * handler should have finished with the slot by then.
	 */
	waiters_wake(w, vcpu, token);
eoi:
	APF_CHECK(w, sim_gic_eoi(w->gic, vcpu, intid) == 0);
out:
	kshim_irq_exit();
}

static void guest_system_event(void *ctx, uint32_t vcpu, enum sim_psci_system_event event)
{
	struct apf_world *w = world_of(ctx);

	(void)vcpu;
	(void)event;
	w->system_event_count++;
}

static const struct sim_platform_guest_ops guest_ops = {
	.irq_vector = guest_irq_vector,
	.sdei_enter = guest_sdei_enter,
	.system_event = guest_system_event,
};

/* ---- Calls ---- */

uint64_t apf_hvc(struct apf_world *w, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
		 uint64_t out[4])
{
	struct sim_smccc_regs regs = { .x = { x0, x1, x2, x3 } };

	APF_CHECK(w, sim_platform_hvc(w->platform, &regs));
	if (out != NULL)
		memcpy(out, regs.a, sizeof(regs.a));
	return regs.a[0];
}

uint64_t apf_call(struct apf_world *w, uint64_t sub, uint64_t x2, uint64_t x3, uint64_t out[4])
{
	return apf_hvc(w, PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID, sub, x2, x3, out);
}

uint64_t apf_enable(struct apf_world *w, uint64_t control)
{
	return apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE,
			proto_kvm_async_pf_enable_lo(control), proto_kvm_async_pf_enable_hi(control),
			NULL);
}

void apf_world_boot(struct apf_world *w, bool enable)
{
	uint32_t vcpu = (uint32_t)sim_self_vcpu();

	if (!w->config.no_ppi_enable) {
		APF_CHECK(w, sim_gic_set_priority(w->gic, vcpu, APF_WORLD_PPI, 0xa0) == 0);
		APF_CHECK(w, sim_gic_set_enabled(w->gic, vcpu, APF_WORLD_PPI, true) == 0);
	}
	APF_CHECK(w, sim_gic_set_pmr(w->gic, vcpu, 0xf0) == 0);
	{
		struct sim_smccc_regs regs = {
			.x = { PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER, PROTO_KVM_SDEI_ASYNC_PF_NUM,
			       APF_WORLD_SDEI_ENTRY, vcpu, PROTO_SDEI_EVENT_REGISTER_RM_PE,
			       mpidr_of(vcpu) },
		};

		APF_CHECK(w, sim_platform_hvc(w->platform, &regs));
		APF_CHECK(w, regs.a[0] == 0);
	}
	if (!w->config.no_sdei_enable)
		APF_CHECK(w, apf_hvc(w, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE,
				     PROTO_KVM_SDEI_ASYNC_PF_NUM, 0, 0, NULL) == 0);
	if (!w->config.no_sdei_unmask)
		APF_CHECK(w, apf_hvc(w, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0, 0, 0, NULL) == 0);
	if (enable) {
		APF_CHECK(w, apf_enable(w, apf_world_block(vcpu) | PROTO_KVM_ASYNC_PF_ENABLED) ==
			     PROTO_SMCCC_RET_SUCCESS);
		apf_wait_wakeall(w, vcpu, 1);
	}
}

void apf_wait_wakeall(struct apf_world *w, uint32_t vcpu, uint32_t count)
{
	uint32_t round;

	/* The enable's wake-all occupies the slot until the guest took it. */
	for (round = 0; round < APF_WORLD_PARK_ROUND_MAX; round++) {
		if (w->guest[vcpu].wakeall_count >= count)
			return;
		sim_yield();
	}
	APF_CHECK(w, !"wake-all never arrived");
}

int apf_touch_once(struct apf_world *w, uint64_t gpa, unsigned int flags)
{
	return sim_platform_touch(w->platform, gpa, flags);
}

void apf_park_wait(struct apf_world *w)
{
	uint32_t self = sim_self_id();
	uint32_t wait;

	if (!w->parked[self])
		return;
	for (wait = 0; wait < APF_WORLD_PARK_ROUND_MAX && !w->released[self]; wait++) {
		sim_set_blocking("guest: parked", w);
		if (w->released[self])
			sim_set_running();
		else
			sim_schedule();
	}
	APF_CHECK(w, w->released[self]);
	w->parked[self] = false;
	w->released[self] = false;
}

int apf_touch(struct apf_world *w, uint64_t gpa, uint32_t *rounds)
{
	const unsigned int flags = SIM_MEMORY_ACCESS_WRITE | SIM_MEMORY_ACCESS_USER;
	uint32_t round;
	int ret = -EAGAIN;

	for (round = 0; round < APF_WORLD_TOUCH_ROUND_MAX; round++) {
		ret = sim_platform_touch(w->platform, gpa, flags);
		APF_CHECK(w, ret >= 0);
		if (ret != SIM_STAGE2_ASYNC)
			break;
		/* Not told (cancelled or not sent): retry at once. */
		apf_park_wait(w);
	}
	APF_CHECK(w, round < APF_WORLD_TOUCH_ROUND_MAX);
	if (rounds != NULL)
		*rounds = round + 1;
	return ret;
}

void apf_slot(struct apf_world *w, uint32_t vcpu, uint32_t *reason, uint32_t *token)
{
	uint32_t words[2] = { 0, 0 };

	SIM_ASSERT(sim_memory_read(w->memory, apf_world_block(vcpu), words, sizeof(words)) == 0);
	*reason = words[0];
	*token = words[1];
}

struct kvm_sim_apf_state apf_state(struct apf_world *w, uint32_t vcpu)
{
	struct kvm_sim_apf_state state;

	SIM_ASSERT(kvm_sim_vcpu_apf_state(w->kvm, vcpu, &state) == 0);
	return state;
}

struct kvm_sim_apf_stats apf_stats(struct apf_world *w, uint32_t vcpu)
{
	struct kvm_sim_apf_stats stats;

	SIM_ASSERT(kvm_sim_vcpu_apf_stats(w->kvm, vcpu, &stats) == 0);
	return stats;
}

void apf_send_sgi(struct apf_world *w, uint32_t vcpu)
{
	APF_CHECK(w, sim_platform_send_sgi(w->platform, vcpu, APF_WORLD_SGI) == 0);
}

void apf_sleep(uint64_t ticks)
{
	sim_sleep_ticks(ticks);
}

uint32_t apf_log_count(const struct apf_world *w, enum apf_log_kind kind, uint32_t vcpu)
{
	uint32_t i, count = 0;

	for (i = 0; i < w->log_count; i++)
		count += w->log[i].kind == kind && (vcpu == UINT32_MAX || w->log[i].vcpu == vcpu);
	return count;
}

/* ---- Lifecycle ---- */

static void spawn_trampoline(void *arg)
{
	struct apf_spawn *record = arg;
	struct apf_world *w = record->w;

	record->fn(w, record->vcpu, record->arg);
	SIM_ASSERT(w->tasks_live > 0);
	if (--w->tasks_live == 0 && !w->quiesced) {
		w->quiesced = true;
		APF_CHECK(w, kvm_sim_quiesce(w->kvm) == 0);
	}
}

static struct apf_spawn *spawn_record(struct apf_world *w, uint32_t vcpu,
				      void (*fn)(struct apf_world *w, uint32_t vcpu, void *arg),
				      void *arg)
{
	struct apf_spawn *record;

	ck_assert_uint_lt(spawn_record_count, APF_WORLD_SPAWN_MAX);
	record = &spawn_records[spawn_record_count++];
	*record = (struct apf_spawn){ .w = w, .vcpu = vcpu, .fn = fn, .arg = arg };
	w->tasks_live++;
	return record;
}

uint32_t apf_world_spawn(struct apf_world *w, uint32_t vcpu, const char *name,
			 void (*fn)(struct apf_world *w, uint32_t vcpu, void *arg), void *arg)
{
	uint32_t id = kshim_spawn_task(w->kshim, vcpu, name, spawn_trampoline,
				       spawn_record(w, vcpu, fn, arg));

	ck_assert_uint_ne(id, SIM_THREAD_NONE);
	return id;
}

uint32_t apf_world_spawn_vmm(struct apf_world *w, const char *name,
			     void (*fn)(struct apf_world *w, uint32_t vcpu, void *arg), void *arg)
{
	uint32_t id = kshim_spawn_host(w->kshim, name, false, spawn_trampoline,
				       spawn_record(w, UINT32_MAX, fn, arg));

	ck_assert_uint_ne(id, SIM_THREAD_NONE);
	return id;
}

static void config_defaults(struct apf_world_config *config)
{
	if (config->vcpu_count == 0)
		config->vcpu_count = 1;
	if (config->page_count == 0)
		config->page_count = 256;
	if (config->nonresident.denominator == 0)
		config->nonresident = (struct sim_ratio){ 1, 1 };
	if (config->pagein_ticks_max == 0) {
		config->pagein_ticks_min = 50;
		config->pagein_ticks_max = 400;
	}
	if (config->strategy == NULL)
		config->strategy = "random";
}

static void vmm_setup(struct apf_world *w)
{
	uint32_t v;

	for (v = 0; v < w->config.vcpu_count; v++) {
		struct proto_kvm_arm_async_pf_cmd sdei = {
			.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_SDEI,
			.sdei = PROTO_KVM_SDEI_ASYNC_PF_NUM,
		};
		struct proto_kvm_arm_async_pf_cmd irq = {
			.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_IRQ, .irq = APF_WORLD_PPI,
		};

		if ((w->config.kvm.apf_absent_vcpu_mask >> v) & 1)
			continue;
		ck_assert_int_eq(kvm_sim_vcpu_apf_command(w->kvm, v, &sdei), 0);
		ck_assert_int_eq(kvm_sim_vcpu_apf_command(w->kvm, v, &irq), 0);
	}
}

void apf_world_init(struct apf_world *w, const struct apf_world_config *config)
{
	struct sim_config sim_config = { .pin_cpu = -1 };
	struct sim_strategy_config strategy_config = { 0 };
	struct sim_platform_config platform_config = { 0 };
	char error[160] = "";

	memset(w, 0, sizeof(*w));
	spawn_record_count = 0;
	for (uint32_t v = 0; v < SIM_VCPU_COUNT_MAX; v++)
		w->block[v] = apf_world_block(v);
	w->config = *config;
	config_defaults(&w->config);
	sim_config.seed = w->config.seed;
	sim_config.vcpu_count = w->config.vcpu_count;
	sim_config.step_count_max = w->config.step_count_max;
	strategy_config.seed = w->config.seed;
	platform_config.memory = (struct sim_memory_config){
		.gpa_base = APF_WORLD_BASE,
		.page_count = w->config.page_count,
		.nonresident_ratio = w->config.nonresident,
		.pagein_ticks_min = w->config.pagein_ticks_min,
		.pagein_ticks_max = w->config.pagein_ticks_max,
		.slow_ratio = { 0, 1 },
	};
	ck_assert_int_eq(sim_strategy_create(w->config.strategy, &strategy_config, &w->strategy),
			 0);
	ck_assert_int_eq(sim_create(&w->sim, &sim_config, w->strategy), 0);
	ck_assert_msg(sim_platform_create(&w->platform, w->sim, &platform_config, error,
					  sizeof(error)) == 0, "%s", error);
	w->memory = sim_platform_memory(w->platform);
	w->gic = sim_platform_gic(w->platform);
	/* The control blocks' page is resident. */
	ck_assert_int_eq(sim_memory_set_resident(w->memory, APF_WORLD_BASE, true), 0);
	ck_assert_int_eq(kshim_create(&w->kshim, w->sim, &w->config.kshim), 0);
	ck_assert_int_eq(kvm_sim_create(&w->kvm, w->platform, w->kshim, &w->config.kvm), 0);
	sim_platform_set_guest_ops(w->platform, &guest_ops, w);
	if (!w->config.no_vmm_setup)
		vmm_setup(w);
}

const struct sim_result *apf_world_run(struct apf_world *w)
{
	ck_assert_int_eq(sim_run(w->sim), 0);
	(void)kshim_finish(w->kshim);
	return sim_result(w->sim);
}

void apf_world_run_clean(struct apf_world *w)
{
	const struct sim_result *result = apf_world_run(w);

	support_assert_no_finding(result, w->config.seed);
	ck_assert_int_eq(kvm_sim_users(w->kvm), 1);
}

void apf_world_destroy(struct apf_world *w)
{
	kvm_sim_destroy(w->kvm);
	kshim_destroy(w->kshim);
	sim_destroy(w->sim);
	sim_platform_destroy(w->platform);
	sim_strategy_destroy(w->strategy);
}

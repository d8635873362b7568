// SPDX-License-Identifier: MIT
/*
 * Goal: the platform's host surface behaves as docs/platform.md says: while a
 * vCPU is in host mode (an exit) nothing is delivered to its guest; pending
 * host work (KVM requests) makes the vCPU run the host's entry hook on its own
 * thread, idle or not; an SDEI event queued during an exit is dispatched at
 * the guest entry that ends the exit, before the faulting access returns; an
 * exception that returns to EL0 runs the return-to-user hook once, outside
 * the handler; CPU_ON and SYSTEM_RESET run the host's vCPU-reset hook.
 * Method: small hand-written guests and hosts on the engine, several seeds of
 * the random strategy; in-thread checks become findings.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "proto/psci.h"
#include "proto/sdei.h"
#include "sim/platform.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "check_support.h"

#define CHECK_IN_SIM(w, cond)                                                       \
	do {                                                                        \
		if (!(cond))                                                        \
			SIM_FAIL((w)->sim, "test-assertion", "%s:%d: %s", __FILE__, \
				 __LINE__, #cond);                                  \
	} while (0)

#define PPI 27u
#define EVENT 0x40400001u
#define SEED_COUNT 24u
#define WAIT_POINTS_MAX 3000u
#define GPA_BASE 0x40000000ull
#define VCPU_MAX 2u

struct world {
	struct sim *sim;
	struct sim_strategy *strategy;
	struct sim_platform *platform;
	bool request[VCPU_MAX];
	uint32_t entry_count[VCPU_MAX];
	uint32_t entry_on_idle[VCPU_MAX];
	uint32_t irq_count[VCPU_MAX];
	uint32_t sdei_count;
	uint32_t return_to_user_count;
	uint32_t reset_count[VCPU_MAX];
	bool signal_on_fault;
	bool done;
};

static void guest_irq_vector(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;
	struct sim_gic *gic = sim_platform_gic(w->platform);
	uint32_t intid = sim_gic_ack(gic, vcpu);

	CHECK_IN_SIM(w, !sim_platform_in_host(w->platform, vcpu));
	if (intid == SIM_GIC_INTID_SPURIOUS)
		return;
	w->irq_count[vcpu]++;
	if (intid == PPI)
		CHECK_IN_SIM(w, sim_platform_irq_line(w->platform, vcpu, PPI, false) == 0);
	CHECK_IN_SIM(w, sim_gic_eoi(gic, vcpu, intid) == 0);
}

static void guest_sdei_enter(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg,
			     uint32_t event)
{
	struct world *w = ctx;
	struct sim_smccc_regs complete = {
		.x = { PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME, 0x6000 },
	};

	(void)entry;
	(void)arg;
	CHECK_IN_SIM(w, event == EVENT);
	CHECK_IN_SIM(w, !sim_platform_in_host(w->platform, vcpu));
	w->sdei_count++;
	CHECK_IN_SIM(w, !sim_platform_hvc(w->platform, &complete));
}

static void guest_return_to_user(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;
	const struct sim_arm_regs *regs = sim_platform_regs(w->platform, vcpu);

	CHECK_IN_SIM(w, sim_self_vcpu() == (int)vcpu);
	CHECK_IN_SIM(w, sim_arm_el(regs->pstate) == 0);
	w->return_to_user_count++;
}

static void guest_system_event(void *ctx, uint32_t vcpu, enum sim_psci_system_event event)
{
	(void)ctx;
	(void)vcpu;
	(void)event;
}

static const struct sim_platform_guest_ops guest_ops = {
	.irq_vector = guest_irq_vector,
	.sdei_enter = guest_sdei_enter,
	.return_to_user = guest_return_to_user,
	.system_event = guest_system_event,
};

static bool host_entry_pending(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;

	return w->request[vcpu];
}

static void host_entry(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;

	CHECK_IN_SIM(w, sim_self_vcpu() == (int)vcpu);
	CHECK_IN_SIM(w, sim_platform_in_host(w->platform, vcpu));
	w->entry_count[vcpu]++;
	if (sim_vcpu_current(w->sim, vcpu) == SIM_THREAD_NONE)
		w->entry_on_idle[vcpu]++;
	/* A point inside the host: nothing may be delivered here. */
	sim_yield();
	w->request[vcpu] = false;
}

static void host_vcpu_reset(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;

	w->reset_count[vcpu]++;
}

static const struct sim_platform_host_ops host_ops = {
	.entry_pending = host_entry_pending,
	.entry = host_entry,
	.vcpu_reset = host_vcpu_reset,
};

static enum sim_stage2_result host_fault(void *ctx, uint32_t vcpu, uint64_t gpa,
					 unsigned int access_flags)
{
	struct world *w = ctx;

	(void)gpa;
	(void)access_flags;
	CHECK_IN_SIM(w, sim_platform_in_host(w->platform, vcpu));
	if (!w->signal_on_fault)
		return SIM_STAGE2_SYNC;
	CHECK_IN_SIM(w, sim_sdei_signal(sim_platform_sdei(w->platform), vcpu, EVENT) == 0);
	sim_yield(); /* the event is dispatchable, but the vCPU is in the host */
	CHECK_IN_SIM(w, w->sdei_count == 0);
	return SIM_STAGE2_ASYNC;
}

static void world_init(struct world *w, uint32_t vcpu_count, uint64_t seed)
{
	struct sim_config config = { .seed = seed, .vcpu_count = vcpu_count, .pin_cpu = -1 };
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_platform_config platform_config = {
		.memory = { .gpa_base = GPA_BASE, .page_count = 8,
			    .nonresident_ratio = { 1, 1 } },
	};
	char error[128] = "";

	memset(w, 0, sizeof(*w));
	ck_assert_int_eq(sim_strategy_create("random", &strategy_config, &w->strategy), 0);
	ck_assert_int_eq(sim_create(&w->sim, &config, w->strategy), 0);
	ck_assert_msg(sim_platform_create(&w->platform, w->sim, &platform_config, error,
					  sizeof(error)) == 0,
		      "%s", error);
	sim_platform_set_guest_ops(w->platform, &guest_ops, w);
	sim_platform_set_host_ops(w->platform, &host_ops, w);
	sim_platform_set_fault_hook(w->platform, host_fault, w);
	ck_assert_int_eq(sim_sdei_event_define(sim_platform_sdei(w->platform), EVENT,
					       SIM_SDEI_EVENT_PRIVATE, SIM_SDEI_PRIORITY_CRITICAL,
					       false),
			 0);
	for (uint32_t v = 0; v < vcpu_count; v++) {
		struct sim_gic *gic = sim_platform_gic(w->platform);

		ck_assert_int_eq(sim_gic_set_pmr(gic, v, 0xf0), 0);
		ck_assert_int_eq(sim_gic_set_priority(gic, v, PPI, 0xa0), 0);
		ck_assert_int_eq(sim_gic_set_enabled(gic, v, PPI, true), 0);
	}
}

static void world_run(struct world *w)
{
	ck_assert_int_eq(sim_run(w->sim), 0);
	support_assert_no_finding(sim_result(w->sim), sim_seed(w->sim));
}

static void world_destroy(struct world *w)
{
	sim_destroy(w->sim);
	sim_platform_destroy(w->platform);
	sim_strategy_destroy(w->strategy);
}

static uint64_t hvc(struct world *w, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	struct sim_smccc_regs regs = { .x = { x0, x1, x2, x3 } };

	CHECK_IN_SIM(w, sim_platform_hvc(w->platform, &regs));
	return regs.a[0];
}

/* ---- Host mode holds back delivery ---- */

static void task_in_host_mode(void *arg)
{
	struct world *w = arg;

	sim_platform_host_enter(w->platform);
	CHECK_IN_SIM(w, sim_platform_irq_line(w->platform, 0, PPI, true) == 0);
	for (uint32_t i = 0; i < 100; i++) {
		sim_yield();
		CHECK_IN_SIM(w, w->irq_count[0] == 0);
		CHECK_IN_SIM(w, !sim_platform_deliverable(w->platform, 0));
	}
	sim_platform_host_exit(w->platform);
	for (uint32_t i = 0; i < WAIT_POINTS_MAX && w->irq_count[0] == 0; i++)
		sim_yield();
	CHECK_IN_SIM(w, w->irq_count[0] == 1);
	w->done = true;
}

START_TEST(test_platform_host_mode_holds_back_delivery)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;

		world_init(&w, 1, seed);
		support_spawn(w.sim, SIM_THREAD_TASK, 0, "task", task_in_host_mode, &w);
		world_run(&w);
		ck_assert(w.done);
		world_destroy(&w);
	}
}
END_TEST

/* ---- Host requests run the entry hook on the vCPU's thread ---- */

static void task_spins(void *arg)
{
	struct world *w = arg;

	for (uint32_t i = 0; i < WAIT_POINTS_MAX && w->entry_count[0] == 0; i++)
		sim_yield();
	CHECK_IN_SIM(w, w->entry_count[0] == 1);
}

static void host_requests(void *arg)
{
	struct world *w = arg;

	w->request[0] = true;
	w->request[1] = true;
	sim_vcpu_kick(w->sim, 1);
	for (uint32_t i = 0; i < WAIT_POINTS_MAX && (w->request[0] || w->request[1]); i++)
		sim_yield();
	w->done = !w->request[0] && !w->request[1];
}

START_TEST(test_platform_host_requests_run_entry_on_vcpu)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;

		world_init(&w, 2, seed);
		support_spawn(w.sim, SIM_THREAD_TASK, 0, "task", task_spins, &w);
		support_spawn(w.sim, SIM_THREAD_HOST, 0, "host", host_requests, &w);
		world_run(&w);
		ck_assert(w.done);
		ck_assert_uint_eq(w.entry_count[0], 1);
		ck_assert_uint_eq(w.entry_count[1], 1);
		ck_assert_uint_eq(w.entry_on_idle[1], 1); /* vCPU 1 had no task */
		ck_assert_uint_eq(w.entry_on_idle[0], 0);
		ck_assert_uint_eq(sim_platform_stats(w.platform)->host_entry_count, 2);
		world_destroy(&w);
	}
}
END_TEST

/* ---- SDEI at guest entry, then return to user ---- */

static void user_task_faults(void *arg)
{
	struct world *w = arg;
	struct sim_arm_regs *regs = sim_platform_regs(w->platform, 0);
	int ret;

	CHECK_IN_SIM(w, hvc(w, PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER, EVENT, 0x5000, 0) == 0);
	CHECK_IN_SIM(w, hvc(w, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, EVENT, 0, 0) == 0);
	CHECK_IN_SIM(w, hvc(w, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0, 0, 0) == 0);
	w->signal_on_fault = true;
	regs->pstate = SIM_PSTATE_EL0t; /* user mode, IRQs unmasked */
	regs->pc = 0x123000;
	ret = sim_platform_touch(w->platform, GPA_BASE, SIM_MEMORY_ACCESS_WRITE | SIM_MEMORY_ACCESS_USER);
	/* The exit ended with the SDEI handler and its IRQ return to EL0. */
	CHECK_IN_SIM(w, ret == SIM_STAGE2_ASYNC);
	CHECK_IN_SIM(w, w->sdei_count == 1);
	CHECK_IN_SIM(w, w->return_to_user_count == 1);
	CHECK_IN_SIM(w, regs->pc == 0x123000);
	CHECK_IN_SIM(w, regs->pstate == SIM_PSTATE_EL0t);
	w->done = true;
}

START_TEST(test_platform_sdei_dispatched_at_guest_entry)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;
		const struct sim_platform_stats *stats;

		world_init(&w, 1, seed);
		support_spawn(w.sim, SIM_THREAD_TASK, 0, "task", user_task_faults, &w);
		world_run(&w);
		ck_assert(w.done);
		stats = sim_platform_stats(w.platform);
		ck_assert_uint_eq(stats->exit_sdei_count, 1);
		ck_assert_uint_eq(stats->resume_irq_count, 1);
		ck_assert_uint_eq(stats->return_to_user_count, 1);
		world_destroy(&w);
	}
}
END_TEST

/* ---- vCPU reset hook ---- */

static void task_hotplugs_and_resets(void *arg)
{
	struct world *w = arg;
	uint64_t mpidr1 = sim_psci_vcpu_to_mpidr(1);

	CHECK_IN_SIM(w, hvc(w, PROTO_PSCI_0_2_FN64_CPU_ON, mpidr1, 0x8000, 0) ==
			       (uint64_t)PROTO_PSCI_RET_ALREADY_ON);
	CHECK_IN_SIM(w, w->reset_count[1] == 0);
	CHECK_IN_SIM(w, hvc(w, PROTO_PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0) == 0);
	CHECK_IN_SIM(w, w->reset_count[0] == 1 && w->reset_count[1] == 1);
	w->done = true;
}

static void task_offline_online(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, hvc(w, PROTO_PSCI_0_2_FN_CPU_OFF, 0, 0, 0) == 0);
	/* Now running on vCPU 0: power vCPU 1 on again. */
	CHECK_IN_SIM(w, sim_self_vcpu() == 0);
	CHECK_IN_SIM(w, hvc(w, PROTO_PSCI_0_2_FN64_CPU_ON, sim_psci_vcpu_to_mpidr(1), 0x8000,
			    0) == 0);
	CHECK_IN_SIM(w, w->reset_count[1] == 1);
	w->done = true;
}

START_TEST(test_platform_vcpu_reset_hook)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;

		world_init(&w, 2, seed);
		support_spawn(w.sim, SIM_THREAD_TASK, 0, "task", task_hotplugs_and_resets, &w);
		world_run(&w);
		ck_assert(w.done);
		ck_assert_uint_eq(sim_platform_stats(w.platform)->vcpu_reset_count, 2);
		world_destroy(&w);

		world_init(&w, 2, seed);
		support_spawn(w.sim, SIM_THREAD_TASK, 1, "task", task_offline_online, &w);
		world_run(&w);
		ck_assert(w.done);
		ck_assert_uint_eq(w.reset_count[0], 0);
		world_destroy(&w);
	}
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("platform_host");
	TCase *tc = tcase_create("host");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_platform_host_mode_holds_back_delivery);
	tcase_add_test(tc, test_platform_host_requests_run_entry_on_vcpu);
	tcase_add_test(tc, test_platform_sdei_dispatched_at_guest_entry);
	tcase_add_test(tc, test_platform_vcpu_reset_hook);
	suite_add_tcase(suite, tc);
	return support_run_suite(suite);
}

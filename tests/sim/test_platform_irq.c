// SPDX-License-Identifier: MIT
/*
 * Goal: on the engine, the composed platform delivers interrupts the way the
 * architecture and the brief say: at schedule points of the task running on
 * the vCPU, on an idle vCPU, never while PSTATE.I is set (deferred until
 * unmask), again and again while a level PPI stays high (the storm is
 * counted), and once through the IRQ vector after an SDEI handler completes
 * with COMPLETE_AND_RESUME; PSCI CPU_OFF/CPU_ON/SYSTEM_RESET drive the engine
 * and the guest hooks. Method: small guests whose IRQ vector acknowledges
 * through the GIC API and records what it saw; checks inside the threads
 * become findings (SIM_FAIL), checks after the run use the counters. Several
 * seeds of the random strategy per scenario.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/psci.h"
#include "proto/sdei.h"
#include "sim/platform.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "check_support.h"

#define CHECK_IN_SIM(w, cond)                                                   \
	do {                                                                    \
		if (!(cond))                                                    \
			SIM_FAIL((w)->sim, "test-assertion", "%s:%d: %s", __FILE__, \
				 __LINE__, #cond);                              \
	} while (0)

#define PPI_APF 27u
#define SGI_RESCHED 1u
#define SEED_COUNT 32u
#define WAIT_POINTS_MAX 3000u
#define EVENT_APF 0x40400001u

struct world {
	struct sim *sim;
	struct sim_strategy *strategy;
	struct sim_platform *platform;
	uint32_t task_id;
	bool lower_line_in_handler;
	bool sgi_from_handler; /* the PPI handler IPIs its own vCPU */
	bool unmasked;
	bool armed;
	bool done;
	uint32_t in_handler[4];
	uint32_t irq_count[4];
	uint32_t irq_by_idle[4];
	uint32_t irq_by_task[4];
	uint32_t spurious_count[4];
	uint32_t last_intid[4];
	uint32_t irq_after_unmask;
	uint32_t sdei_count;
	uint32_t resume_irq_intid;
	uint32_t entry_count;
	uint32_t entry_vcpu;
	uint64_t entry_pc;
	uint64_t entry_x0;
	int64_t entry_affinity;
	uint32_t reset_count;
};

static void guest_irq_vector(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;
	struct sim_gic *gic = sim_platform_gic(w->platform);
	uint32_t intid;

	CHECK_IN_SIM(w, (sim_platform_regs(w->platform, vcpu)->pstate & SIM_PSTATE_I) != 0);
	CHECK_IN_SIM(w, sim_self_vcpu() == (int)vcpu);
	CHECK_IN_SIM(w, w->in_handler[vcpu] == 0); /* no nesting while masked */
	w->in_handler[vcpu]++;
	intid = sim_gic_ack(gic, vcpu);
	if (intid == SIM_GIC_INTID_SPURIOUS) {
		w->spurious_count[vcpu]++;
		w->in_handler[vcpu]--;
		return;
	}
	w->irq_count[vcpu]++;
	w->last_intid[vcpu] = intid;
	w->irq_after_unmask += w->unmasked;
	if (sim_vcpu_current(w->sim, vcpu) == SIM_THREAD_NONE)
		w->irq_by_idle[vcpu]++;
	else if (sim_self_id() == w->task_id)
		w->irq_by_task[vcpu]++;
	if (w->lower_line_in_handler && intid == PPI_APF)
		CHECK_IN_SIM(w, sim_platform_irq_line(w->platform, vcpu, intid, false) == 0);
	/* Higher priority than the PPI, but PSTATE.I holds it back. */
	if (w->sgi_from_handler && intid == PPI_APF)
		CHECK_IN_SIM(w, sim_platform_send_sgi(w->platform, vcpu, SGI_RESCHED) == 0);
	if (sim_platform_stats(w->platform)->resume_irq_count > 0 && w->resume_irq_intid == 0)
		w->resume_irq_intid = intid;
	sim_yield(); /* a point inside the handler: nothing may nest here */
	CHECK_IN_SIM(w, sim_gic_eoi(gic, vcpu, intid) == 0);
	w->in_handler[vcpu]--;
}

static uint64_t hvc(struct world *w, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	struct sim_smccc_regs regs = { .x = { x0, x1, x2, x3 } };

	CHECK_IN_SIM(w, sim_platform_hvc(w->platform, &regs));
	return regs.a[0];
}

static void guest_sdei_enter(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg,
			     uint32_t event)
{
	struct world *w = ctx;
	struct sim_arm_regs *regs = sim_platform_regs(w->platform, vcpu);
	struct sim_smccc_regs complete = {
		.x = { PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME, 0x6000 },
	};

	CHECK_IN_SIM(w, entry == 0x5000);
	CHECK_IN_SIM(w, arg == 0x77);
	CHECK_IN_SIM(w, event == EVENT_APF);
	CHECK_IN_SIM(w, regs->x[0] == EVENT_APF);
	CHECK_IN_SIM(w, (regs->pstate & SIM_PSTATE_DAIF) == SIM_PSTATE_DAIF);
	w->sdei_count++;
	/* The APF handler's reschedule IPI to itself, taken after resume. */
	CHECK_IN_SIM(w, sim_platform_send_sgi(w->platform, vcpu, SGI_RESCHED) == 0);
	CHECK_IN_SIM(w, !sim_platform_hvc(w->platform, &complete));
}

static void guest_cpu_entry(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t context_id)
{
	struct world *w = ctx;
	struct sim_arm_regs *regs = sim_platform_regs(w->platform, vcpu);

	w->entry_count++;
	w->entry_vcpu = vcpu;
	w->entry_pc = regs->pc;
	w->entry_x0 = regs->x[0];
	CHECK_IN_SIM(w, entry == regs->pc);
	CHECK_IN_SIM(w, context_id == regs->x[0]);
	CHECK_IN_SIM(w, sim_self_vcpu() == (int)vcpu);
	CHECK_IN_SIM(w, sim_sdei_masked(sim_platform_sdei(w->platform), vcpu));
	CHECK_IN_SIM(w, sim_gic_pmr(sim_platform_gic(w->platform), vcpu) == 0);
	w->entry_affinity = (int64_t)hvc(w, PROTO_PSCI_0_2_FN64_AFFINITY_INFO,
					 sim_psci_vcpu_to_mpidr(vcpu), 0, 0);
}

static void guest_system_event(void *ctx, uint32_t vcpu, enum sim_psci_system_event event)
{
	struct world *w = ctx;

	CHECK_IN_SIM(w, event == SIM_PSCI_SYSTEM_RESET);
	CHECK_IN_SIM(w, sim_self_vcpu() == (int)vcpu);
	w->reset_count++;
}

static const struct sim_platform_guest_ops guest_ops = {
	.irq_vector = guest_irq_vector,
	.sdei_enter = guest_sdei_enter,
	.cpu_entry = guest_cpu_entry,
	.system_event = guest_system_event,
};

static void world_init(struct world *w, uint32_t vcpu_count, uint64_t seed)
{
	struct sim_config config = { .seed = seed, .vcpu_count = vcpu_count, .pin_cpu = -1 };
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_platform_config platform_config = {
		.memory = { .gpa_base = 0x40000000, .page_count = 16 },
	};
	char error[128] = "";

	memset(w, 0, sizeof(*w));
	ck_assert_int_eq(sim_strategy_create("random", &strategy_config, &w->strategy), 0);
	ck_assert_int_eq(sim_create(&w->sim, &config, w->strategy), 0);
	ck_assert_msg(sim_platform_create(&w->platform, w->sim, &platform_config, error,
					  sizeof(error)) == 0,
		      "%s", error);
	sim_platform_set_guest_ops(w->platform, &guest_ops, w);
	/* What the guest's GIC driver does at boot on every CPU. */
	for (uint32_t v = 0; v < vcpu_count; v++) {
		struct sim_gic *gic = sim_platform_gic(w->platform);

		ck_assert_int_eq(sim_gic_set_pmr(gic, v, 0xf0), 0);
		ck_assert_int_eq(sim_gic_set_priority(gic, v, PPI_APF, 0xa0), 0);
		ck_assert_int_eq(sim_gic_set_enabled(gic, v, PPI_APF, true), 0);
		ck_assert_int_eq(sim_gic_set_priority(gic, v, SGI_RESCHED, 0x80), 0);
	}
}

static uint32_t spawn(struct world *w, enum sim_thread_kind kind, uint32_t vcpu,
		      const char *name, sim_thread_fn fn)
{
	return support_spawn(w->sim, kind, vcpu, name, fn, w);
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

/* ---- Delivery to a running task ---- */

static void task_waits_for_irq(void *arg)
{
	struct world *w = arg;

	for (uint32_t i = 0; i < WAIT_POINTS_MAX && w->irq_count[0] == 0; i++)
		sim_yield();
	CHECK_IN_SIM(w, w->irq_count[0] == 1);
	CHECK_IN_SIM(w, w->irq_by_task[0] == 1);
	CHECK_IN_SIM(w, w->last_intid[0] == PPI_APF);
	/* ERET restored the interrupted PSTATE. */
	CHECK_IN_SIM(w, (sim_platform_regs(w->platform, 0)->pstate & SIM_PSTATE_I) == 0);
	w->done = true;
}

static void host_raises_ppi(void *arg)
{
	struct world *w = arg;

	sim_yield();
	CHECK_IN_SIM(w, sim_platform_irq_line(w->platform, 0, PPI_APF, true) == 0);
}

START_TEST(test_platform_irq_delivered_to_running_task)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;

		world_init(&w, 1, seed);
		w.lower_line_in_handler = true;
		w.task_id = spawn(&w, SIM_THREAD_TASK, 0, "task", task_waits_for_irq);
		spawn(&w, SIM_THREAD_HOST, 0, "host", host_raises_ppi);
		world_run(&w);
		ck_assert(w.done);
		ck_assert_uint_eq(sim_gic_delivery_count(sim_platform_gic(w.platform), 0, PPI_APF),
				  1);
		ck_assert_uint_eq(sim_platform_stats(w.platform)->irq_entry_count, 1);
		world_destroy(&w);
	}
}
END_TEST

/* ---- Delivery on an idle vCPU ---- */

static void host_raises_on_idle_vcpu(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, sim_platform_irq_line(w->platform, 1, PPI_APF, true) == 0);
	for (uint32_t i = 0; i < WAIT_POINTS_MAX && w->irq_count[1] < 2; i++)
		sim_yield();
	w->done = true;
}

START_TEST(test_platform_irq_delivered_on_idle_vcpu)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;

		world_init(&w, 2, seed);
		w.lower_line_in_handler = true;
		w.sgi_from_handler = true;
		/* Left masked by the last task: WFI still wakes for it. */
		sim_platform_regs(w.platform, 1)->pstate |= SIM_PSTATE_I;
		spawn(&w, SIM_THREAD_HOST, 0, "host", host_raises_on_idle_vcpu);
		world_run(&w);
		ck_assert(w.done);
		ck_assert_uint_eq(w.irq_count[1], 2);
		ck_assert_uint_eq(w.irq_by_idle[1], 2);
		ck_assert_uint_eq(w.last_intid[1], SGI_RESCHED);
		ck_assert_uint_eq(w.irq_count[0], 0);
		ck_assert(sim_platform_regs(w.platform, 1)->pstate & SIM_PSTATE_I);
		world_destroy(&w);
	}
}
END_TEST

/* ---- PSTATE.I masking ---- */

static void task_masks_then_unmasks(void *arg)
{
	struct world *w = arg;
	uint64_t flags;

	sim_platform_irq_disable(w->platform);
	CHECK_IN_SIM(w, sim_platform_irqs_disabled(w->platform));
	CHECK_IN_SIM(w, sim_platform_send_sgi(w->platform, 0, SGI_RESCHED) == 0);
	for (uint32_t i = 0; i < 200; i++) {
		sim_yield();
		CHECK_IN_SIM(w, w->irq_count[0] == 0);
		CHECK_IN_SIM(w, !sim_platform_deliverable(w->platform, 0));
	}
	/* A nested save/restore keeps it masked. */
	flags = sim_platform_irq_save(w->platform);
	CHECK_IN_SIM(w, flags == SIM_PSTATE_I);
	sim_platform_irq_restore(w->platform, flags);
	sim_yield();
	CHECK_IN_SIM(w, w->irq_count[0] == 0);
	w->unmasked = true;
	sim_platform_irq_enable(w->platform);
	for (uint32_t i = 0; i < WAIT_POINTS_MAX && w->irq_count[0] == 0; i++)
		sim_yield();
	CHECK_IN_SIM(w, w->irq_count[0] == 1);
	CHECK_IN_SIM(w, w->irq_after_unmask == 1);
	CHECK_IN_SIM(w, w->last_intid[0] == SGI_RESCHED);
	w->done = true;
}

START_TEST(test_platform_irq_masked_deferred_until_unmask)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;

		world_init(&w, 1, seed);
		w.task_id = spawn(&w, SIM_THREAD_TASK, 0, "task", task_masks_then_unmasks);
		world_run(&w);
		ck_assert(w.done);
		ck_assert_uint_eq(w.irq_by_task[0], 1);
		world_destroy(&w);
	}
}
END_TEST

/* ---- Level PPI never lowered: a storm ---- */

static void task_runs_through_storm(void *arg)
{
	struct world *w = arg;
	uint32_t at_lower;

	CHECK_IN_SIM(w, sim_platform_irq_line(w->platform, 0, PPI_APF, true) == 0);
	for (uint32_t i = 0; i < 300; i++)
		sim_yield();
	CHECK_IN_SIM(w, sim_platform_irq_line(w->platform, 0, PPI_APF, false) == 0);
	at_lower = w->irq_count[0];
	for (uint32_t i = 0; i < 100; i++)
		sim_yield();
	CHECK_IN_SIM(w, w->irq_count[0] == at_lower);
	w->done = true;
}

START_TEST(test_platform_level_ppi_not_lowered_is_redelivered)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;
		uint64_t delivered;

		world_init(&w, 1, seed);
		w.lower_line_in_handler = false;
		w.task_id = spawn(&w, SIM_THREAD_TASK, 0, "task", task_runs_through_storm);
		world_run(&w);
		ck_assert(w.done);
		delivered = sim_gic_delivery_count(sim_platform_gic(w.platform), 0, PPI_APF);
		/* At least one delivery per SIM_IRQ_DELAY_COUNT_MAX + 1 points. */
		ck_assert_uint_ge(delivered, 300 / (SIM_IRQ_DELAY_COUNT_MAX + 1));
		ck_assert_uint_eq(delivered, w.irq_count[0]);
		ck_assert_uint_eq(w.spurious_count[0], 0);
		world_destroy(&w);
	}
}
END_TEST

/* ---- SDEI COMPLETE_AND_RESUME takes the IRQ path once ---- */

static void task_registers_sdei(void *arg)
{
	struct world *w = arg;
	struct sim_arm_regs *regs = sim_platform_regs(w->platform, 0);

	CHECK_IN_SIM(w, hvc(w, PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER, EVENT_APF, 0x5000, 0x77) == 0);
	CHECK_IN_SIM(w, hvc(w, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, EVENT_APF, 0, 0) == 0);
	CHECK_IN_SIM(w, hvc(w, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0, 0, 0) == 0);
	regs->x[9] = 0x1234; /* live state of the interrupted code */
	regs->pc = 0x4444;
	w->armed = true;
	for (uint32_t i = 0; i < WAIT_POINTS_MAX && w->irq_count[0] == 0; i++)
		sim_yield();
	CHECK_IN_SIM(w, w->sdei_count == 1);
	CHECK_IN_SIM(w, w->irq_count[0] == 1);
	CHECK_IN_SIM(w, w->resume_irq_intid == SGI_RESCHED);
	/* Both exits restored the interrupted context. */
	CHECK_IN_SIM(w, regs->x[9] == 0x1234);
	CHECK_IN_SIM(w, regs->pc == 0x4444);
	CHECK_IN_SIM(w, regs->pstate == SIM_PSTATE_EL1h);
	w->done = true;
}

static void host_signals_sdei(void *arg)
{
	struct world *w = arg;

	for (uint32_t i = 0; i < WAIT_POINTS_MAX && !w->armed; i++)
		sim_yield();
	CHECK_IN_SIM(w, sim_sdei_signal(sim_platform_sdei(w->platform), 0, EVENT_APF) == 0);
}

START_TEST(test_platform_sdei_resume_takes_irq_once)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;
		const struct sim_platform_stats *stats;

		world_init(&w, 1, seed);
		ck_assert_int_eq(sim_sdei_event_define(sim_platform_sdei(w.platform), EVENT_APF,
						       SIM_SDEI_EVENT_PRIVATE,
						       SIM_SDEI_PRIORITY_CRITICAL, false),
				 0);
		w.task_id = spawn(&w, SIM_THREAD_TASK, 0, "task", task_registers_sdei);
		spawn(&w, SIM_THREAD_HOST, 0, "host", host_signals_sdei);
		world_run(&w);
		ck_assert(w.done);
		stats = sim_platform_stats(w.platform);
		ck_assert_uint_eq(stats->resume_irq_count, 1);
		ck_assert_uint_eq(stats->irq_entry_count, 1);
		ck_assert_uint_eq(sim_sdei_stats(sim_platform_sdei(w.platform))->resume_count, 1);
		world_destroy(&w);
	}
}
END_TEST

/* ---- PSCI hotplug and reset ---- */

static void task_hotplugs(void *arg)
{
	struct world *w = arg;
	int64_t again;

	CHECK_IN_SIM(w, sim_self_vcpu() == 1);
	CHECK_IN_SIM(w, hvc(w, PROTO_PSCI_0_2_FN_CPU_OFF, 0, 0, 0) == 0);
	CHECK_IN_SIM(w, sim_self_vcpu() == 0); /* moved off the dead vCPU */
	CHECK_IN_SIM(w, !sim_vcpu_online(w->sim, 1));
	CHECK_IN_SIM(w, hvc(w, PROTO_PSCI_0_2_FN64_AFFINITY_INFO, 1, 0, 0) ==
			PROTO_PSCI_0_2_AFFINITY_LEVEL_OFF);
	/* The last online vCPU cannot go. */
	CHECK_IN_SIM(w, (int64_t)hvc(w, PROTO_PSCI_0_2_FN_CPU_OFF, 0, 0, 0) ==
			PROTO_PSCI_RET_DENIED);
	CHECK_IN_SIM(w, sim_vcpu_online(w->sim, 0));
	CHECK_IN_SIM(w, hvc(w, PROTO_PSCI_0_2_FN64_CPU_ON, 1, 0x8000, 0x99) == 0);
	again = (int64_t)hvc(w, PROTO_PSCI_0_2_FN64_CPU_ON, 1, 0x8000, 0x99);
	CHECK_IN_SIM(w, again == PROTO_PSCI_RET_ALREADY_ON || again == PROTO_PSCI_RET_ON_PENDING);
	for (uint32_t i = 0; i < WAIT_POINTS_MAX && w->entry_count == 0; i++)
		sim_yield();
	CHECK_IN_SIM(w, w->entry_count == 1);
	CHECK_IN_SIM(w, hvc(w, PROTO_PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0) == 0);
	CHECK_IN_SIM(w, w->reset_count == 1);
	w->done = true;
}

START_TEST(test_platform_psci_hotplug_drives_engine_and_hooks)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;

		world_init(&w, 2, seed);
		w.task_id = spawn(&w, SIM_THREAD_TASK, 1, "task", task_hotplugs);
		world_run(&w);
		ck_assert(w.done);
		ck_assert_uint_eq(w.entry_vcpu, 1);
		ck_assert_uint_eq(w.entry_pc, 0x8000);
		ck_assert_uint_eq(w.entry_x0, 0x99);
		ck_assert_int_eq(w.entry_affinity, PROTO_PSCI_0_2_AFFINITY_LEVEL_ON);
		ck_assert_int_eq(sim_psci_state(sim_platform_psci(w.platform), 1),
				 SIM_PSCI_STATE_ON);
		/* CPU_ON reset the redistributor: the PPI is disabled again. */
		ck_assert_int_eq(sim_gic_pmr(sim_platform_gic(w.platform), 1), 0);
		ck_assert_uint_eq(sim_platform_stats(w.platform)->cpu_on_count, 1);
		ck_assert_uint_eq(sim_platform_stats(w.platform)->cpu_off_count, 1);
		world_destroy(&w);
	}
}
END_TEST

static Suite *platform_irq_suite(void)
{
	Suite *s = suite_create("platform-irq");
	TCase *tc = tcase_create("delivery");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_platform_irq_delivered_to_running_task);
	tcase_add_test(tc, test_platform_irq_delivered_on_idle_vcpu);
	tcase_add_test(tc, test_platform_irq_masked_deferred_until_unmask);
	tcase_add_test(tc, test_platform_level_ppi_not_lowered_is_redelivered);
	tcase_add_test(tc, test_platform_sdei_resume_takes_irq_once);
	tcase_add_test(tc, test_platform_psci_hotplug_drives_engine_and_hooks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return support_run_suite(platform_irq_suite());
}

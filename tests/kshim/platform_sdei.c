// SPDX-License-Identifier: MIT
/*
 * Goal: the SDEI client API of kshim behaves as Linux's arm_sdei driver on
 * the simulated dispatcher: sdei_event_register/enable reach every online
 * CPU; an event signalled while a task runs at EL0 enters the callback on
 * that CPU, in NMI context, with the interrupted registers, and completes
 * with COMPLETE_AND_RESUME to VBAR+0x480 so that the IRQ vector takes the
 * callback's reschedule IPI and the return to user runs the TIF handler
 * [R§5.4, R§6.7]; an event interrupting EL1 with IRQs masked completes with
 * COMPLETE (HANDLED), one interrupting EL1 with IRQs on resumes to
 * VBAR+0x280, and a failing callback completes with FAILED; CPU hotplug
 * unregisters and masks on the way down and re-registers, re-enables and
 * unmasks on the way up, with the cpuhp callbacks run on the CPU itself;
 * PSCI SYSTEM_RESET / SYSTEM_OFF run the reboot notifier chain.
 * Method: kernel-style task bodies on 1..3 vCPUs under the random strategy
 * over many seeds; the host side (signals) is played by the test through
 * sim_sdei_signal(); checks inside threads are "test-assertion" findings.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include <asm/ptrace.h>
#include <linux/arm-smccc.h>
#include <linux/arm_sdei.h>
#include <linux/cpuhotplug.h>
#include <linux/hardirq.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/smp.h>

#include "check_support.h"
#include "platform_support.h"
#include "proto/apf.h"
#include "proto/psci.h"

#define SEED_COUNT 24u
#define WAIT_POINTS_MAX 4000u
#define EVENT PROTO_KVM_SDEI_ASYNC_PF_NUM
#define USER_PC 0x400abcull
#define USER_PAGE_GPA (PLAT_GPA_BASE + 0x1000u)
#define STATUS_ON (SIM_SDEI_STATUS_REGISTERED | SIM_SDEI_STATUS_ENABLED)

enum callback_mode {
	CB_APF,       /* TIF_ASYNC_PF + reschedule IPI to itself, as the guest half */
	CB_RECORD,    /* only record */
	CB_FAIL,      /* return an error */
};

struct world {
	struct plat_env env;
	enum callback_mode mode;
	bool mask_irqs;
	uint32_t task_id;
	uint32_t cb_count;
	int cb_cpu;
	uint32_t cb_thread;
	struct pt_regs cb_regs;
	bool cb_in_nmi;
	bool cb_irqs_off;
	uint32_t tif_count;
	uint64_t tif_resched_ipis;
	uint64_t tif_resume_irqs;
	bool tif_need_resched;
	int online_cpu[4];
	int offline_cpu[4];
	uint32_t online_calls;
	uint32_t offline_calls;
	unsigned long reboot_actions[4];
	uint32_t reboot_count;
	int reboot_cpu;
};

static struct world g_world;

static struct sim *wsim(void)
{
	return g_world.env.sim;
}

static struct sim_sdei *wsdei(void)
{
	return sim_platform_sdei(g_world.env.platform);
}

static struct sim_arm_regs *self_regs(void)
{
	return sim_platform_regs(g_world.env.platform, (uint32_t)sim_self_vcpu());
}

static int callback(u32 event, struct pt_regs *regs, void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(wsim(), w == &g_world);
	CHECK_IN_SIM(wsim(), event == EVENT);
	w->cb_count++;
	w->cb_cpu = smp_processor_id();
	w->cb_thread = sim_self_id();
	w->cb_regs = *regs;
	w->cb_in_nmi = in_nmi() && in_hardirq();
	w->cb_irqs_off = irqs_disabled();
	if (w->mode == CB_FAIL)
		return -EINVAL;
	if (w->mode == CB_APF) {
		set_tsk_thread_flag(current, TIF_ASYNC_PF);
		smp_send_reschedule(smp_processor_id());
	}
	return 0;
}

/* The guest half's TIF_ASYNC_PF work, reduced to recording. */
static void tif_handler(void)
{
	struct world *w = &g_world;
	uint64_t pstate = self_regs()->pstate;

	w->tif_count++;
	w->tif_resched_ipis = kshim_platform_stats(w->env.kshim)->resched_ipi_count;
	w->tif_resume_irqs = sim_platform_stats(w->env.platform)->resume_irq_count;
	w->tif_need_resched = test_thread_flag(TIF_NEED_RESCHED);
	CHECK_IN_SIM(wsim(), sim_arm_el(pstate) == 1);
	CHECK_IN_SIM(wsim(), !irqs_disabled());
	clear_thread_flag(TIF_ASYNC_PF);
}

static void world_start(struct world *w, uint64_t seed, uint32_t vcpu_count)
{
	memset(w, 0, sizeof(*w));
	plat_env_create(&w->env, "random", seed, vcpu_count, 0);
	ck_assert_int_eq(sim_sdei_event_define(wsdei(), EVENT, SIM_SDEI_EVENT_PRIVATE,
					       SIM_SDEI_PRIORITY_CRITICAL, true), 0);
	ck_assert_int_eq(kshim_set_tif_handler(w->env.kshim, TIF_ASYNC_PF, tif_handler), 0);
	memset(w->online_cpu, 0xff, sizeof(w->online_cpu));
	memset(w->offline_cpu, 0xff, sizeof(w->offline_cpu));
}

static void world_finish(struct world *w)
{
	const struct sim_result *result = plat_env_run(&w->env);

	support_assert_no_finding(result, sim_seed(w->env.sim));
	ck_assert_uint_eq(w->env.leaked_count, 0);
}

static void register_everywhere(void)
{
	uint32_t v;

	CHECK_IN_SIM(wsim(), sdei_event_register(EVENT, callback, &g_world) == 0);
	CHECK_IN_SIM(wsim(), sdei_event_register(EVENT, callback, &g_world) == -EBUSY);
	CHECK_IN_SIM(wsim(), sdei_event_enable(EVENT) == 0);
	for (v = 0; v < sim_vcpu_count(wsim()); v++)
		CHECK_IN_SIM(wsim(), sim_sdei_event_status(wsdei(), v, EVENT) == STATUS_ON);
}

static void unregister_everywhere(void)
{
	uint32_t v;

	CHECK_IN_SIM(wsim(), sdei_event_disable(EVENT) == 0);
	CHECK_IN_SIM(wsim(), sdei_event_unregister(EVENT) == 0);
	CHECK_IN_SIM(wsim(), sdei_event_unregister(EVENT) == -ENOENT);
	CHECK_IN_SIM(wsim(), sdei_event_enable(EVENT) == -ENOENT);
	for (v = 0; v < sim_vcpu_count(wsim()); v++)
		CHECK_IN_SIM(wsim(), sim_sdei_event_status(wsdei(), v, EVENT) == 0);
}

/* ---- from EL0 ---- */

static void el0_task(void *arg)
{
	struct world *w = arg;
	struct sim_arm_regs *regs;
	uint32_t i;

	register_everywhere();
	regs = self_regs();
	regs->pc = USER_PC;
	for (i = 0; i < 6; i++)
		regs->x[i] = 0x100 + i;
	kshim_user_enter();
	CHECK_IN_SIM(wsim(), sim_sdei_signal(wsdei(), (uint32_t)sim_self_vcpu(), EVENT) == 0);
	for (i = 0; i < WAIT_POINTS_MAX && w->tif_count == 0; i++)
		CHECK_IN_SIM(wsim(), kshim_user_touch(USER_PAGE_GPA, false) ==
					     SIM_MEMORY_TOUCH_RESIDENT);
	CHECK_IN_SIM(wsim(), sim_arm_el(self_regs()->pstate) == 0);
	kshim_user_exit();
	unregister_everywhere();
}

START_TEST(test_sdei_from_el0_resumes_into_irq_vector_then_user_work)
{
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;
		const struct kshim_platform_stats *stats;
		uint32_t i;

		world_start(w, seed, 2);
		w->mode = CB_APF;
		w->task_id = kshim_spawn_task(w->env.kshim, 1, "user", el0_task, w);
		world_finish(w);
		stats = kshim_platform_stats(w->env.kshim);
		ck_assert_uint_eq(w->cb_count, 1);
		ck_assert_int_eq(w->cb_cpu, 1);
		ck_assert_uint_eq(w->cb_thread, w->task_id); /* current = the interrupted task */
		ck_assert(w->cb_in_nmi);
		ck_assert(w->cb_irqs_off);
		ck_assert_uint_eq(w->cb_regs.pc, USER_PC);
		ck_assert(user_mode(&w->cb_regs));
		ck_assert(interrupts_enabled(&w->cb_regs));
		for (i = 0; i < 6; i++)
			ck_assert_uint_eq(w->cb_regs.regs[i], 0x100 + i);
		ck_assert_uint_eq(stats->sdei_resume_count, 1);
		ck_assert_uint_eq(kshim_sdei_resume_address(w->env.kshim, 1),
				  KSHIM_VBAR_EL1 + KSHIM_VECTOR_IRQ_EL0_64);
		/* The TIF handler ran once, after the vector took the IPI. */
		ck_assert_uint_eq(w->tif_count, 1);
		ck_assert_uint_eq(w->tif_resched_ipis, 1);
		ck_assert_uint_eq(w->tif_resume_irqs, 1);
		ck_assert(w->tif_need_resched);
		ck_assert_uint_eq(sim_platform_stats(w->env.platform)->resume_irq_count, 1);
		plat_env_destroy(&w->env);
	}
}
END_TEST

/* ---- from EL1 ---- */

static bool callback_ran(void)
{
	return g_world.cb_count != 0;
}

static void el1_task(void *arg)
{
	struct world *w = arg;
	unsigned long flags = 0;
	uint32_t i;

	register_everywhere();
	if (w->mask_irqs)
		local_irq_save(flags);
	CHECK_IN_SIM(wsim(), sim_sdei_signal(wsdei(), (uint32_t)sim_self_vcpu(), EVENT) == 0);
	for (i = 0; i < WAIT_POINTS_MAX && !callback_ran(); i++)
		sim_yield();
	CHECK_IN_SIM(wsim(), callback_ran());
	CHECK_IN_SIM(wsim(), irqs_disabled() == w->mask_irqs); /* restored exactly */
	if (w->mask_irqs)
		local_irq_restore(flags);
	unregister_everywhere();
}

START_TEST(test_sdei_from_el1_completes_by_mask_and_result)
{
	uint64_t seed;
	int variant;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		for (variant = 0; variant < 3; variant++) {
			struct world *w = &g_world;
			const struct kshim_platform_stats *stats;
			uint64_t resume_irqs;

			world_start(w, seed, 1);
			w->mode = variant == 2 ? CB_FAIL : CB_RECORD;
			w->mask_irqs = variant == 0;
			(void)kshim_spawn_task(w->env.kshim, 0, "kernel", el1_task, w);
			world_finish(w);
			stats = kshim_platform_stats(w->env.kshim);
			resume_irqs = sim_platform_stats(w->env.platform)->resume_irq_count;
			ck_assert_uint_eq(w->cb_count, 1);
			ck_assert(!user_mode(&w->cb_regs));
			ck_assert(interrupts_enabled(&w->cb_regs) == !w->mask_irqs);
			ck_assert_uint_eq(stats->sdei_count, 1);
			ck_assert_uint_eq(stats->return_to_user_count, 0);
			if (variant == 0) {
				/* EL1 with IRQs masked: straight back [R§6.7]. */
				ck_assert_uint_eq(stats->sdei_handled_count, 1);
				ck_assert_uint_eq(stats->sdei_resume_count, 0);
				ck_assert_uint_eq(resume_irqs, 0);
			} else if (variant == 1) {
				/* EL1 with IRQs on: "pretend this was an IRQ". */
				ck_assert_uint_eq(stats->sdei_resume_count, 1);
				ck_assert_uint_eq(kshim_sdei_resume_address(w->env.kshim, 0),
						  KSHIM_VBAR_EL1 + KSHIM_VECTOR_IRQ_EL1h);
				ck_assert_uint_eq(resume_irqs, 1);
				ck_assert_uint_eq(stats->spurious_count, 1); /* nothing pending */
			} else {
				ck_assert_uint_eq(stats->sdei_failed_count, 1);
				ck_assert_uint_eq(stats->sdei_resume_count, 0);
				ck_assert_uint_eq(sim_sdei_stats(wsdei())->complete_count, 1);
			}
			plat_env_destroy(&w->env);
		}
	}
}
END_TEST

/* ---- hotplug ---- */

static int online_cb(unsigned int cpu)
{
	struct world *w = &g_world;

	w->online_calls++;
	w->online_cpu[cpu] = sim_self_vcpu();
	return 0;
}

static int offline_cb(unsigned int cpu)
{
	struct world *w = &g_world;

	w->offline_calls++;
	w->offline_cpu[cpu] = sim_self_vcpu();
	return 0;
}

static bool callback_ran_on_2(void)
{
	return g_world.cb_count != 0 && g_world.cb_cpu == 2;
}

static void hotplug_task(void *arg)
{
	struct world *w = arg;
	struct sim_gic *gic = sim_platform_gic(w->env.platform);
	int state;
	uint32_t i;

	state = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test:online", online_cb, offline_cb);
	CHECK_IN_SIM(wsim(), state > 0);
	register_everywhere();

	CHECK_IN_SIM(wsim(), kshim_cpu_down(w->env.kshim, 2) == 0);
	CHECK_IN_SIM(wsim(), !sim_vcpu_online(wsim(), 2));
	CHECK_IN_SIM(wsim(), w->offline_cpu[2] == 2);
	CHECK_IN_SIM(wsim(), sim_sdei_masked(wsdei(), 2));
	CHECK_IN_SIM(wsim(), sim_sdei_event_status(wsdei(), 2, EVENT) == 0);
	CHECK_IN_SIM(wsim(), kshim_cpu_down(w->env.kshim, 2) == -ENXIO);
	CHECK_IN_SIM(wsim(), sim_sdei_signal(wsdei(), 2, EVENT) == -ENOENT);

	w->online_cpu[2] = -1;
	CHECK_IN_SIM(wsim(), kshim_cpu_up(w->env.kshim, 2) == 0);
	CHECK_IN_SIM(wsim(), sim_vcpu_online(wsim(), 2));
	CHECK_IN_SIM(wsim(), w->online_cpu[2] == 2);
	CHECK_IN_SIM(wsim(), !sim_sdei_masked(wsdei(), 2));
	CHECK_IN_SIM(wsim(), sim_sdei_event_status(wsdei(), 2, EVENT) == STATUS_ON);
	CHECK_IN_SIM(wsim(), sim_gic_pmr(gic, 2) == KSHIM_GIC_DEFAULT_PMR);
	CHECK_IN_SIM(wsim(), kshim_cpu_up(w->env.kshim, 2) == 0); /* already up */

	/* The re-registered event fires on the new CPU. */
	CHECK_IN_SIM(wsim(), sim_sdei_signal(wsdei(), 2, EVENT) == 0);
	for (i = 0; i < WAIT_POINTS_MAX && !callback_ran_on_2(); i++)
		sim_yield();
	CHECK_IN_SIM(wsim(), callback_ran_on_2());

	/* Disabled: re-registered but not re-enabled on the way up. */
	CHECK_IN_SIM(wsim(), sdei_event_disable(EVENT) == 0);
	CHECK_IN_SIM(wsim(), kshim_cpu_down(w->env.kshim, 1) == 0);
	CHECK_IN_SIM(wsim(), kshim_cpu_up(w->env.kshim, 1) == 0);
	CHECK_IN_SIM(wsim(), sim_sdei_event_status(wsdei(), 1, EVENT) ==
				     SIM_SDEI_STATUS_REGISTERED);

	/* The last CPU cannot go. */
	CHECK_IN_SIM(wsim(), kshim_cpu_down(w->env.kshim, 1) == 0);
	CHECK_IN_SIM(wsim(), kshim_cpu_down(w->env.kshim, 2) == 0);
	CHECK_IN_SIM(wsim(), kshim_cpu_down(w->env.kshim, 0) == -EBUSY);
	CHECK_IN_SIM(wsim(), sim_vcpu_online(wsim(), 0));
	CHECK_IN_SIM(wsim(), kshim_cpu_up(w->env.kshim, 1) == 0);
	CHECK_IN_SIM(wsim(), kshim_cpu_up(w->env.kshim, 2) == 0);

	CHECK_IN_SIM(wsim(), sdei_event_unregister(EVENT) == 0);
	cpuhp_remove_state((enum cpuhp_state)state);
}

START_TEST(test_hotplug_reregisters_private_events)
{
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;
		const struct kshim_platform_stats *stats;
		uint32_t v;

		world_start(w, seed, 3);
		w->mode = CB_RECORD;
		(void)kshim_spawn_task(w->env.kshim, 0, "hotplug", hotplug_task, w);
		world_finish(w);
		stats = kshim_platform_stats(w->env.kshim);
		ck_assert_uint_eq(stats->cpu_down_count, 4);
		ck_assert_uint_eq(stats->cpu_up_count, 4);
		ck_assert_uint_eq(w->cb_count, 1);
		for (v = 0; v < 3; v++)
			ck_assert_int_eq(w->online_cpu[v], (int)v);
		ck_assert_uint_eq(sim_platform_stats(w->env.platform)->cpu_off_count, 4);
		plat_env_destroy(&w->env);
	}
}
END_TEST

/* ---- reboot ---- */

static int reboot_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	struct world *w = &g_world;

	(void)nb;
	(void)data;
	if (w->reboot_count < 4)
		w->reboot_actions[w->reboot_count] = action;
	w->reboot_count++;
	w->reboot_cpu = sim_self_vcpu();
	return NOTIFY_DONE;
}

static struct notifier_block reboot_nb = { .notifier_call = reboot_cb };

static void reboot_task(void *arg)
{
	struct arm_smccc_res res;

	(void)arg;
	CHECK_IN_SIM(wsim(), register_reboot_notifier(&reboot_nb) == 0);
	arm_smccc_1_1_invoke(PROTO_PSCI_0_2_FN_SYSTEM_RESET, &res);
	CHECK_IN_SIM(wsim(), res.a0 == PROTO_PSCI_RET_SUCCESS);
	arm_smccc_1_1_invoke(PROTO_PSCI_0_2_FN_SYSTEM_OFF, &res);
	CHECK_IN_SIM(wsim(), res.a0 == PROTO_PSCI_RET_SUCCESS);
	CHECK_IN_SIM(wsim(), unregister_reboot_notifier(&reboot_nb) == 0);
}

START_TEST(test_psci_system_events_run_reboot_notifiers)
{
	struct world *w = &g_world;

	world_start(w, 3, 2);
	(void)kshim_spawn_task(w->env.kshim, 1, "reboot", reboot_task, w);
	world_finish(w);
	ck_assert_uint_eq(w->reboot_count, 2);
	ck_assert_uint_eq(w->reboot_actions[0], SYS_RESTART);
	ck_assert_uint_eq(w->reboot_actions[1], SYS_POWER_OFF);
	ck_assert_int_eq(w->reboot_cpu, 1);
	ck_assert_uint_eq(sim_platform_stats(w->env.platform)->system_event_count, 2);
	plat_env_destroy(&w->env);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kshim_platform_sdei");
	TCase *tc = tcase_create("sdei");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_sdei_from_el0_resumes_into_irq_vector_then_user_work);
	tcase_add_test(tc, test_sdei_from_el1_completes_by_mask_and_result);
	tcase_add_test(tc, test_hotplug_reregisters_private_events);
	tcase_add_test(tc, test_psci_system_events_run_reboot_notifiers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return support_run_suite(suite());
}

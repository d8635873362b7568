// SPDX-License-Identifier: MIT
/*
 * Goal: with kshim attached to the simulated platform, the kernel's
 * interrupt API behaves as on arm64 Linux: spin_lock_irqsave() sets the
 * vCPU's PSTATE.I so a level PPI raised inside the critical section is
 * delivered only after the unlock (and, as a control, without _irqsave it
 * is taken inside for some seed); request_percpu_irq() handlers get the
 * right per-CPU dev_id on every CPU; a level line the handler does not lower
 * storms (every delivery counted); on_each_cpu() runs ON each vCPU (its
 * hypercalls reach that vCPU's host state); arm_smccc_1_1_invoke() reaches
 * a registered service with SMC32 truncation and drives the KVM service
 * discovery; a task's PSTATE follows it across a block that lets another
 * task of the same vCPU run; per-CPU data lives in guest memory where the
 * host writes it by GPA; an unexpected INTID is EOI'd and counted and the
 * reschedule IPI makes a user task reschedule on its way back to EL0.
 * Method: kernel-style task bodies on 1..4 vCPUs under the random strategy
 * over many seeds; checks inside threads are "test-assertion" findings,
 * checks after a run read kshim's and the platform's counters.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include <asm/memory.h>
#include <linux/acpi.h>
#include <linux/arm-smccc.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>

#include "check_support.h"
#include "platform_support.h"

#define SEED_COUNT 24u
#define VCPU_COUNT 4u
#define WAIT_POINTS_MAX 4000u
#define CRITICAL_POINTS 40u
#define STORM_DELIVERIES 8u
#define TEST_FN_NUM 0x20u
#define USER_PAGE_GPA (PLAT_GPA_BASE + 0x1000u)
#define SLOW_PAGE_GPA (PLAT_GPA_BASE + 0x2000u)
#define PAGEIN_TICKS 200u

struct test_dev {
	unsigned int cpu;
	unsigned int hits;
};

static DEFINE_PER_CPU(struct test_dev, test_dev);
static DEFINE_PER_CPU(u32, test_word);

struct world {
	struct plat_env env;
	int irq;
	bool use_irqsave;
	bool lower_in_handler;
	bool bad_uid;
	bool hvc_in_handler;
	bool wake_in_handler;
	bool handler_done;
	struct task_struct *sleeper;
	uint32_t irqs_off_after_resched;
	spinlock_t lock;
	int in_critical;
	uint32_t handled;
	uint32_t handled_in_critical;
	int ran_on[VCPU_COUNT];
	bool irqs_off_seen[VCPU_COUNT];
	uint32_t service_calls[VCPU_COUNT];
	uint32_t service_mismatch;
	uint64_t service_x[8];
	uint64_t gpa;
	bool gpa_published;
	bool a_touching;
	bool b_started;
	bool b_in_user;
	uint32_t task_a;
};

/* One world per process (Check forks per test); handlers reach it here. */
static struct world g_world;

static struct sim *wsim(void)
{
	return g_world.env.sim;
}

static struct sim_arm_regs *self_regs(void)
{
	return sim_platform_regs(g_world.env.platform, (uint32_t)sim_self_vcpu());
}

/* ---- per-CPU interrupt ---- */

static irqreturn_t test_handler(int irq, void *dev_id)
{
	struct world *w = &g_world;
	struct test_dev *dev = dev_id;
	unsigned int cpu = (unsigned int)smp_processor_id();

	CHECK_IN_SIM(wsim(), irq == w->irq);
	CHECK_IN_SIM(wsim(), dev == this_cpu_ptr(&test_dev));
	CHECK_IN_SIM(wsim(), dev->cpu == cpu);
	CHECK_IN_SIM(wsim(), in_hardirq());
	CHECK_IN_SIM(wsim(), irqs_disabled());
	dev->hits++;
	w->handled++;
	if (w->in_critical)
		w->handled_in_critical++;
	if (w->hvc_in_handler) {
		struct arm_smccc_res res;

		/* An HVC from the handler (the async-PF IRQ_ACK does one). */
		arm_smccc_1_1_invoke(ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32,
							ARM_SMCCC_OWNER_OEM, TEST_FN_NUM),
				     cpu, &res);
		CHECK_IN_SIM(wsim(), res.a0 == 0);
	}
	if (w->lower_in_handler)
		CHECK_IN_SIM(wsim(), sim_platform_irq_line(w->env.platform, cpu, PLAT_TEST_PPI,
							   false) == 0);
	if (w->wake_in_handler && w->sleeper != NULL) {
		uint32_t i;

		/* As the page-ready handler: wake the waiter under a lock. */
		spin_lock(&w->lock);
		wake_up_process(w->sleeper);
		for (i = 0; i < 8; i++)
			sim_yield();
		w->handler_done = true;
		spin_unlock(&w->lock);
	}
	return IRQ_HANDLED;
}

static void enable_on_cpu(void *arg)
{
	struct world *w = arg;
	int cpu = smp_processor_id();

	CHECK_IN_SIM(wsim(), cpu >= 0 && cpu < (int)VCPU_COUNT);
	this_cpu_ptr(&test_dev)->cpu = (unsigned int)cpu;
	w->ran_on[cpu] = sim_self_vcpu();
	w->irqs_off_seen[cpu] = irqs_disabled() && kshim_irqs_disabled(w->env.kshim, (uint32_t)cpu);
	enable_percpu_irq((unsigned int)w->irq, IRQ_TYPE_LEVEL_HIGH);
	CHECK_IN_SIM(wsim(), irq_percpu_is_enabled((unsigned int)w->irq));
}

static void disable_on_cpu(void *arg)
{
	struct world *w = arg;

	disable_percpu_irq((unsigned int)w->irq);
}

static void irq_setup(struct world *w)
{
	w->irq = acpi_register_gsi(NULL, PLAT_TEST_PPI, ACPI_LEVEL_SENSITIVE, ACPI_ACTIVE_HIGH);
	CHECK_IN_SIM(wsim(), w->irq == (int)(PLAT_TEST_PPI + KSHIM_IRQ_GSI_OFFSET));
	CHECK_IN_SIM(wsim(), acpi_register_gsi(NULL, PLAT_TEST_PPI, ACPI_EDGE_SENSITIVE,
					       ACPI_ACTIVE_HIGH) == -EINVAL);
	CHECK_IN_SIM(wsim(), acpi_register_gsi(NULL, 3, ACPI_LEVEL_SENSITIVE,
					       ACPI_ACTIVE_HIGH) == -EINVAL);
	CHECK_IN_SIM(wsim(), request_percpu_irq(PLAT_TEST_PPI, test_handler, "t", &test_dev) ==
				     -EINVAL); /* the GSI is not the irq */
	CHECK_IN_SIM(wsim(), request_percpu_irq((unsigned int)w->irq, test_handler,
						"kshim-test", &test_dev) == 0);
	CHECK_IN_SIM(wsim(), request_percpu_irq((unsigned int)w->irq, test_handler,
						"kshim-test", &test_dev) == -EBUSY);
	on_each_cpu(enable_on_cpu, w, 1);
}

static void irq_teardown(struct world *w)
{
	on_each_cpu(disable_on_cpu, w, 1);
	free_percpu_irq((unsigned int)w->irq, &test_dev);
	acpi_unregister_gsi(PLAT_TEST_PPI);
}

static void wait_points(bool (*done)(void))
{
	uint32_t i;

	for (i = 0; i < WAIT_POINTS_MAX && !done(); i++)
		sim_yield();
}

static bool handled_once(void)
{
	return g_world.handled >= 1;
}

static void irqsave_task(void *arg)
{
	struct world *w = arg;
	unsigned long flags = 0;
	uint32_t i;

	irq_setup(w);
	if (w->use_irqsave)
		spin_lock_irqsave(&w->lock, flags);
	else
		spin_lock(&w->lock);
	w->in_critical = 1;
	CHECK_IN_SIM(wsim(), sim_platform_irq_line(w->env.platform, 0, PLAT_TEST_PPI, true) == 0);
	for (i = 0; i < CRITICAL_POINTS; i++)
		sim_yield();
	if (w->use_irqsave)
		CHECK_IN_SIM(wsim(), (self_regs()->pstate & SIM_PSTATE_I) != 0);
	w->in_critical = 0;
	if (w->use_irqsave)
		spin_unlock_irqrestore(&w->lock, flags);
	else
		spin_unlock(&w->lock);
	wait_points(handled_once);
	CHECK_IN_SIM(wsim(), w->handled == 1);
	irq_teardown(w);
}

static void world_start(struct world *w, uint64_t seed, uint32_t vcpu_count)
{
	memset(w, 0, sizeof(*w));
	plat_env_create(&w->env, "random", seed, vcpu_count, 0);
	spin_lock_init(&w->lock);
	w->lower_in_handler = true;
}

static void world_finish(struct world *w, bool expect_clean)
{
	const struct sim_result *result = plat_env_run(&w->env);

	if (expect_clean) {
		support_assert_no_finding(result, sim_seed(w->env.sim));
		ck_assert_uint_eq(w->env.leaked_count, 0);
	}
}

START_TEST(test_irqsave_defers_ppi_until_unlock)
{
	uint32_t inside_without_irqsave = 0;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;

		world_start(w, seed, 1);
		w->use_irqsave = true;
		(void)kshim_spawn_task(w->env.kshim, 0, "irqsave", irqsave_task, w);
		world_finish(w, true);
		ck_assert_msg(w->handled_in_critical == 0, "seed %llu: IRQ inside irqsave",
			      (unsigned long long)seed);
		ck_assert_uint_eq(w->handled, 1);
		ck_assert_uint_eq(kshim_irq_handled_count(w->env.kshim, (unsigned int)w->irq, 0),
				  1);
		plat_env_destroy(&w->env);

		/* Control: the same with spin_lock() lets the IRQ in. */
		world_start(w, seed, 1);
		w->use_irqsave = false;
		(void)kshim_spawn_task(w->env.kshim, 0, "plain", irqsave_task, w);
		world_finish(w, true);
		inside_without_irqsave += w->handled_in_critical != 0;
		plat_env_destroy(&w->env);
	}
	ck_assert_msg(inside_without_irqsave > 0, "spin_lock() never let the IRQ in");
}
END_TEST

static bool all_cpus_hit(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < VCPU_COUNT; cpu++) {
		if (per_cpu(test_dev, cpu).hits == 0)
			return false;
	}
	return true;
}

static void percpu_task(void *arg)
{
	struct world *w = arg;
	unsigned int cpu;

	irq_setup(w);
	for (cpu = 0; cpu < VCPU_COUNT; cpu++) {
		CHECK_IN_SIM(wsim(), w->ran_on[cpu] == (int)cpu);
		CHECK_IN_SIM(wsim(), w->irqs_off_seen[cpu]);
		CHECK_IN_SIM(wsim(), sim_platform_irq_line(w->env.platform, cpu, PLAT_TEST_PPI,
							   true) == 0);
	}
	wait_points(all_cpus_hit);
	for (cpu = 0; cpu < VCPU_COUNT; cpu++)
		CHECK_IN_SIM(wsim(), per_cpu(test_dev, cpu).hits == 1);
	free_percpu_irq((unsigned int)w->irq, &test_dev); /* still enabled: refused */
	irq_teardown(w);
}

START_TEST(test_percpu_irq_handler_gets_its_cpu_dev_id)
{
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;
		const struct sim_result *result;
		unsigned int cpu;

		world_start(w, seed, VCPU_COUNT);
		(void)kshim_spawn_task(w->env.kshim, 1, "percpu", percpu_task, w);
		result = plat_env_run(&w->env);
		/* The early free_percpu_irq() is the only finding: a WARN. */
		ck_assert_uint_eq(result->finding_count, 1);
		ck_assert_str_eq(result->findings[0].class_name, KSHIM_FINDING_WARN);
		ck_assert_ptr_nonnull(strstr(result->findings[0].message, "still enabled"));
		for (cpu = 0; cpu < VCPU_COUNT; cpu++)
			ck_assert_uint_eq(kshim_irq_handled_count(w->env.kshim,
								  (unsigned int)w->irq, cpu), 1);
		ck_assert_uint_eq(kshim_platform_stats(w->env.kshim)->unexpected_count, 0);
		plat_env_destroy(&w->env);
	}
}
END_TEST

static bool storm_seen(void)
{
	return g_world.handled >= STORM_DELIVERIES;
}

static void storm_task(void *arg)
{
	struct world *w = arg;

	irq_setup(w);
	CHECK_IN_SIM(wsim(), sim_platform_irq_line(w->env.platform, 0, PLAT_TEST_PPI, true) == 0);
	wait_points(w->lower_in_handler ? handled_once : storm_seen);
	/* The device finally lowers its line (IRQ_ACK in the protocol). */
	CHECK_IN_SIM(wsim(), sim_platform_irq_line(w->env.platform, 0, PLAT_TEST_PPI, false) == 0);
	irq_teardown(w);
}

START_TEST(test_level_ppi_not_lowered_storms)
{
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;
		struct sim_gic *gic;
		uint64_t handled;
		int pass;

		for (pass = 0; pass < 2; pass++) {
			world_start(w, seed, 1);
			w->lower_in_handler = pass == 1;
			(void)kshim_spawn_task(w->env.kshim, 0, "storm", storm_task, w);
			world_finish(w, true);
			gic = sim_platform_gic(w->env.platform);
			handled = kshim_irq_handled_count(w->env.kshim, (unsigned int)w->irq, 0);
			ck_assert_uint_eq(handled, sim_gic_delivery_count(gic, 0, PLAT_TEST_PPI));
			if (pass == 0)
				ck_assert_uint_ge(handled, STORM_DELIVERIES);
			else
				ck_assert_uint_eq(handled, 1);
			plat_env_destroy(&w->env);
		}
	}
}
END_TEST

/* ---- on_each_cpu and SMCCC ---- */

static bool test_service_call(void *ctx, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
			      uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	struct world *w = ctx;
	uint32_t i;

	CHECK_IN_SIM(wsim(), vcpu < VCPU_COUNT);
	w->service_calls[vcpu]++;
	if (x[1] != vcpu && proto_smccc_func_num((uint32_t)x[0]) == TEST_FN_NUM + 1)
		w->service_mismatch++;
	for (i = 0; i < 8; i++)
		w->service_x[i] = x[i];
	res[0] = 0;
	res[1] = x[1];
	res[2] = x[2];
	res[3] = x[3];
	return true;
}

static bool kvm_service_call(void *ctx, uint32_t vcpu, const uint64_t x[SIM_SMCCC_ARG_COUNT],
			     uint64_t res[SIM_SMCCC_RESULT_COUNT])
{
	struct world *w = ctx;

	(void)vcpu;
	if (x[0] == ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID) {
		res[0] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0 ^ (w->bad_uid ? 1u : 0u);
		res[1] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1;
		res[2] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2;
		res[3] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3;
	} else if (x[0] == ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID) {
		/* Upper halves must be ignored by the guest [R§2.2]. */
		res[0] = 0xffffffff00000007ull;
		res[1] = 0;
		res[2] = 0;
		res[3] = 0;
	}
	return true;
}

static void register_services(struct world *w)
{
	struct sim_smccc *conduit = sim_platform_smccc(w->env.platform);
	const struct sim_smccc_service test32 = {
		.name = "test32", .owner = ARM_SMCCC_OWNER_OEM, .conv = SIM_SMCCC_CONV_SMC32,
		.function_min = TEST_FN_NUM, .function_max = TEST_FN_NUM + 1,
		.call = test_service_call, .ctx = w,
	};
	const struct sim_smccc_service test64 = {
		.name = "test64", .owner = ARM_SMCCC_OWNER_OEM, .conv = SIM_SMCCC_CONV_SMC64,
		.function_min = TEST_FN_NUM, .function_max = TEST_FN_NUM + 1,
		.call = test_service_call, .ctx = w,
	};
	const struct sim_smccc_service kvm = {
		.name = "kvm", .owner = ARM_SMCCC_OWNER_VENDOR_HYP, .conv = SIM_SMCCC_CONV_SMC32,
		.function_min = 0, .function_max = 0xffff, .call = kvm_service_call, .ctx = w,
	};

	ck_assert_int_eq(sim_smccc_register(conduit, &test32), 0);
	ck_assert_int_eq(sim_smccc_register(conduit, &test64), 0);
	ck_assert_int_eq(sim_smccc_register(conduit, &kvm), 0);
}

#define FID32(n) ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32, ARM_SMCCC_OWNER_OEM, (n))
#define FID64(n) ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64, ARM_SMCCC_OWNER_OEM, (n))

/* Each caller of on_each_cpu() records where its callbacks ran. */
struct caller {
	int ran_on[VCPU_COUNT];
};

static void call_on_cpu(void *arg)
{
	struct caller *c = arg;
	struct arm_smccc_res res;
	int cpu = smp_processor_id();

	CHECK_IN_SIM(wsim(), cpu == sim_self_vcpu());
	CHECK_IN_SIM(wsim(), irqs_disabled());
	c->ran_on[cpu] = sim_self_vcpu();
	CHECK_IN_SIM(wsim(), arm_smccc_1_1_invoke(FID32(TEST_FN_NUM + 1), cpu, &res) ==
				     SMCCC_CONDUIT_HVC);
	CHECK_IN_SIM(wsim(), res.a0 == 0 && res.a1 == (unsigned long)cpu);
}

static void on_each_cpu_body(void)
{
	struct caller c;
	unsigned int cpu;

	memset(c.ran_on, 0xff, sizeof(c.ran_on));
	on_each_cpu(call_on_cpu, &c, 1);
	for (cpu = 0; cpu < VCPU_COUNT; cpu++)
		CHECK_IN_SIM(wsim(), c.ran_on[cpu] == (int)cpu);
	c.ran_on[3] = -1;
	CHECK_IN_SIM(wsim(), smp_call_function_single(3, call_on_cpu, &c, 1) == 0);
	CHECK_IN_SIM(wsim(), c.ran_on[3] == 3);
	CHECK_IN_SIM(wsim(), smp_call_function_single((int)VCPU_COUNT, call_on_cpu, &c, 1) ==
				     -ENXIO);
}

static void on_each_cpu_task(void *arg)
{
	(void)arg;
	on_each_cpu_body();
}

static void on_each_cpu_host(void *arg)
{
	(void)arg;
	on_each_cpu_body();
}

START_TEST(test_on_each_cpu_runs_on_each_vcpu)
{
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;
		unsigned int cpu;

		world_start(w, seed, VCPU_COUNT);
		register_services(w);
		(void)kshim_spawn_task(w->env.kshim, 2, "caller", on_each_cpu_task, w);
		(void)kshim_spawn_host(w->env.kshim, "host-caller", false, on_each_cpu_host, w);
		world_finish(w, true);
		ck_assert_uint_eq(w->service_mismatch, 0);
		for (cpu = 0; cpu < VCPU_COUNT; cpu++)
			ck_assert_uint_eq(w->service_calls[cpu], cpu == 3 ? 4 : 2);
		ck_assert_uint_eq(kshim_platform_stats(w->env.kshim)->on_cpu_count, 10);
		plat_env_destroy(&w->env);
	}
}
END_TEST

static void smccc_task(void *arg)
{
	struct world *w = arg;
	struct arm_smccc_res res;
	unsigned long i;

	CHECK_IN_SIM(wsim(), arm_smccc_1_1_get_conduit() == SMCCC_CONDUIT_HVC);
	CHECK_IN_SIM(wsim(), arm_smccc_get_version() >= ARM_SMCCC_VERSION_1_1);
	CHECK_IN_SIM(wsim(), arm_smccc_1_1_invoke(FID32(TEST_FN_NUM), 0x1122334455667788ull,
						  0xffffffff00000001ull, 0x8000000000000000ull,
						  4, 5, 6, 7, &res) == SMCCC_CONDUIT_HVC);
	CHECK_IN_SIM(wsim(), res.a0 == 0);
	CHECK_IN_SIM(wsim(), res.a1 == 0x55667788ul && res.a2 == 1 && res.a3 == 0);
	for (i = 4; i < 8; i++)
		CHECK_IN_SIM(wsim(), w->service_x[i] == i);
	arm_smccc_1_1_hvc(FID64(TEST_FN_NUM), 0x1122334455667788ull, 2, &res);
	CHECK_IN_SIM(wsim(), res.a1 == 0x1122334455667788ul && res.a2 == 2 && res.a3 == 0);
	CHECK_IN_SIM(wsim(), w->service_x[3] == 0); /* unused registers are zero */
	/* An unknown function: NOT_SUPPORTED; a NULL result is allowed. */
	arm_smccc_1_1_invoke(FID32(0x30), NULL);
	arm_smccc_1_1_invoke(FID32(0x30), &res);
	CHECK_IN_SIM(wsim(), res.a0 == (unsigned long)SMCCC_RET_NOT_SUPPORTED);
	kvm_init_hyp_services();
	CHECK_IN_SIM(wsim(), kvm_arm_hyp_service_available(ARM_SMCCC_KVM_FUNC_FEATURES) ==
				     !w->bad_uid);
	CHECK_IN_SIM(wsim(), kvm_arm_hyp_service_available(ARM_SMCCC_KVM_FUNC_PTP) ==
				     !w->bad_uid);
	CHECK_IN_SIM(wsim(), kvm_arm_hyp_service_available(ARM_SMCCC_KVM_FUNC_ASYNC_PF) ==
				     !w->bad_uid);
	CHECK_IN_SIM(wsim(), !kvm_arm_hyp_service_available(3));
	CHECK_IN_SIM(wsim(), !kvm_arm_hyp_service_available(32));
	CHECK_IN_SIM(wsim(), !kvm_arm_hyp_service_available(ARM_SMCCC_KVM_NUM_FUNCS));
}

START_TEST(test_smccc_invoke_truncates_smc32_and_discovers_kvm)
{
	int bad_uid;

	for (bad_uid = 0; bad_uid < 2; bad_uid++) {
		struct world *w = &g_world;

		world_start(w, 7, 1);
		w->bad_uid = bad_uid != 0;
		register_services(w);
		(void)kshim_spawn_task(w->env.kshim, 0, "smccc", smccc_task, w);
		world_finish(w, true);
		plat_env_destroy(&w->env);
	}
	/* Outside an execution there is no conduit. */
	{
		struct arm_smccc_res res = { 1, 1, 1, 1 };

		ck_assert_int_eq(arm_smccc_1_1_invoke(FID32(TEST_FN_NUM), 1, &res),
				 SMCCC_CONDUIT_NONE);
		ck_assert_uint_eq(res.a0, (unsigned long)SMCCC_RET_NOT_SUPPORTED);
	}
}
END_TEST

/* ---- PSTATE across a block ---- */

static void pstate_task_a(void *arg)
{
	struct world *w = arg;
	uint64_t pstate;
	int ret;

	kshim_user_enter();
	CHECK_IN_SIM(wsim(), sim_arm_el(self_regs()->pstate) == 0);
	/* A synchronous page-in: the vCPU is blocked in the host, halted with
	 * this task on it, so task B does not run meanwhile. */
	ret = kshim_user_touch(SLOW_PAGE_GPA, false);
	CHECK_IN_SIM(wsim(), ret == SIM_STAGE2_SYNC);
	CHECK_IN_SIM(wsim(), !w->b_started);
	pstate = self_regs()->pstate;
	CHECK_IN_SIM(wsim(), sim_arm_el(pstate) == 0);
	CHECK_IN_SIM(wsim(), (pstate & SIM_PSTATE_I) == 0);
	CHECK_IN_SIM(wsim(), kshim_user_touch(SLOW_PAGE_GPA, true) == SIM_MEMORY_TOUCH_RESIDENT);
	kshim_user_exit();
	CHECK_IN_SIM(wsim(), sim_arm_el(self_regs()->pstate) == 1);
	/* A kernel sleep gives the vCPU to task B, which leaves EL0 behind. */
	w->a_touching = true;
	msleep(1);
	CHECK_IN_SIM(wsim(), w->b_started);
	pstate = self_regs()->pstate;
	CHECK_IN_SIM(wsim(), sim_arm_el(pstate) == 1);
	CHECK_IN_SIM(wsim(), (pstate & SIM_PSTATE_I) == 0);
	CHECK_IN_SIM(wsim(), !irqs_disabled());
}

static void pstate_task_b(void *arg)
{
	struct world *w = arg;
	uint64_t pstate = self_regs()->pstate;

	/* A new task starts in EL1h with interrupts on, whatever A left. */
	CHECK_IN_SIM(wsim(), sim_arm_el(pstate) == 1);
	CHECK_IN_SIM(wsim(), (pstate & SIM_PSTATE_I) == 0);
	CHECK_IN_SIM(wsim(), w->a_touching); /* B runs while A sleeps */
	w->b_started = true;
	/* Leave the vCPU's PSTATE different from A's: EL0. */
	kshim_user_enter();
	sim_yield();
}

START_TEST(test_pstate_follows_task_across_block)
{
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;

		memset(w, 0, sizeof(*w));
		plat_env_create(&w->env, "random", seed, 1, PAGEIN_TICKS);
		ck_assert_int_eq(sim_memory_set_resident(sim_platform_memory(w->env.platform),
							 SLOW_PAGE_GPA, false), 0);
		w->task_a = kshim_spawn_task(w->env.kshim, 0, "task-a", pstate_task_a, w);
		(void)kshim_spawn_task(w->env.kshim, 0, "task-b", pstate_task_b, w);
		world_finish(w, true);
		ck_assert(w->b_started);
		plat_env_destroy(&w->env);
	}
}
END_TEST

/* ---- PSTATE across a give-up point with a handler inside ---- */

#define RESCHED_ROUNDS 60u

static void resched_task(void *arg)
{
	struct world *w = arg;
	uint32_t i;

	irq_setup(w);
	for (i = 0; i < RESCHED_ROUNDS; i++) {
		CHECK_IN_SIM(wsim(), sim_platform_irq_line(w->env.platform, 0, PLAT_TEST_PPI,
							   true) == 0);
		/* Alone on its vCPU, the task takes the IRQ at the point inside
		 * cond_resched(); the handler's HVC is a give-up point nested
		 * in that one and must not clobber the task's saved PSTATE. */
		cond_resched();
		w->irqs_off_after_resched += irqs_disabled();
	}
	irq_teardown(w);
}

START_TEST(test_pstate_survives_handler_hvc_inside_resched)
{
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;

		world_start(w, seed, 1);
		w->hvc_in_handler = true;
		register_services(w);
		(void)kshim_spawn_task(w->env.kshim, 0, "resched", resched_task, w);
		world_finish(w, true);
		ck_assert_uint_ge(w->handled, 1);
		ck_assert_msg(w->irqs_off_after_resched == 0,
			      "seed %llu: IRQs masked after cond_resched() %u times",
			      (unsigned long long)seed, w->irqs_off_after_resched);
		plat_env_destroy(&w->env);
	}
}
END_TEST

/* ---- a task woken by a handler on an idle vCPU ---- */

static void woken_task(void *arg)
{
	struct world *w = arg;

	set_current_state(TASK_UNINTERRUPTIBLE);
	WRITE_ONCE(w->sleeper, current);
	schedule();
	/* Its vCPU was idle in the handler that woke it: that handler ends
	 * before this task runs there, as on a real CPU. */
	CHECK_IN_SIM(wsim(), w->handler_done);
	CHECK_IN_SIM(wsim(), !irqs_disabled());
	spin_lock(&w->lock);
	spin_unlock(&w->lock);
}

static void waker_setup_task(void *arg)
{
	struct world *w = arg;
	uint32_t i;

	irq_setup(w);
	for (i = 0; i < WAIT_POINTS_MAX && READ_ONCE(w->sleeper) == NULL; i++)
		sim_yield();
	CHECK_IN_SIM(wsim(), sim_platform_irq_line(w->env.platform, 1, PLAT_TEST_PPI, true) == 0);
	for (i = 0; i < WAIT_POINTS_MAX && !READ_ONCE(w->handler_done); i++)
		sim_yield();
	irq_teardown(w);
}

START_TEST(test_woken_task_waits_for_idle_handler)
{
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;

		world_start(w, seed, 2);
		w->wake_in_handler = true;
		(void)kshim_spawn_task(w->env.kshim, 1, "woken", woken_task, w);
		(void)kshim_spawn_task(w->env.kshim, 0, "waker", waker_setup_task, w);
		world_finish(w, true);
		ck_assert(w->handler_done);
		ck_assert_uint_eq(kshim_irq_handled_count(w->env.kshim, (unsigned int)w->irq, 1),
				  1);
		plat_env_destroy(&w->env);
	}
}
END_TEST

/* ---- per-CPU data in guest memory ---- */

static bool word_written(void)
{
	return READ_ONCE(*this_cpu_ptr(&test_word)) == 0xfeedbeefu;
}

static void gpa_task(void *arg)
{
	struct world *w = arg;
	uint64_t base;
	uint64_t size;
	u32 *word = this_cpu_ptr(&test_word);

	kshim_reserved_gpa(w->env.kshim, &base, &size);
	w->gpa = virt_to_phys(word);
	CHECK_IN_SIM(wsim(), w->gpa >= base && w->gpa + sizeof(u32) <= base + size);
	CHECK_IN_SIM(wsim(), __va(w->gpa) == (void *)word);
	CHECK_IN_SIM(wsim(), __pa(per_cpu_ptr(&test_word, 0)) != w->gpa);
	WRITE_ONCE(w->gpa_published, true);
	wait_points(word_written);
	CHECK_IN_SIM(wsim(), *word == 0xfeedbeefu);
	CHECK_IN_SIM(wsim(), per_cpu(test_word, 0) == 0);
}

static void gpa_host(void *arg)
{
	struct world *w = arg;
	uint32_t i;

	for (i = 0; i < WAIT_POINTS_MAX && !READ_ONCE(w->gpa_published); i++)
		sim_yield();
	CHECK_IN_SIM(wsim(), sim_memory_write_u32(sim_platform_memory(w->env.platform), w->gpa,
						  0xfeedbeefu, "test_word") == 0);
}

static void bad_pa_task(void *arg)
{
	int on_stack = 0;

	(void)arg;
	CHECK_IN_SIM(wsim(), virt_to_phys(&on_stack) == ~(phys_addr_t)0);
}

START_TEST(test_percpu_data_lives_in_guest_memory)
{
	const struct sim_result *result;
	struct world *w = &g_world;
	uint64_t base;
	uint64_t size;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2);
		kshim_reserved_gpa(w->env.kshim, &base, &size);
		ck_assert_uint_gt(size, 0);
		ck_assert_uint_eq(base + size, PLAT_GPA_BASE + PLAT_PAGE_COUNT * 4096ull);
		ck_assert_int_eq(sim_memory_resident(sim_platform_memory(w->env.platform), base),
				 1);
		(void)kshim_spawn_task(w->env.kshim, 1, "reader", gpa_task, w);
		(void)kshim_spawn_host(w->env.kshim, "host-writer", false, gpa_host, w);
		world_finish(w, true);
		plat_env_destroy(&w->env);
	}
	world_start(w, 1, 1);
	(void)kshim_spawn_task(w->env.kshim, 0, "bad-pa", bad_pa_task, w);
	result = plat_env_run(&w->env);
	ck_assert_uint_eq(result->finding_count, 1);
	ck_assert_str_eq(result->findings[0].class_name, KSHIM_FINDING_WARN);
	plat_env_destroy(&w->env);
	/* Not attached: no reserved range. */
	kshim_reserved_gpa(NULL, &base, &size);
	ck_assert_uint_eq(base, 0);
	ck_assert_uint_eq(size, 0);
}
END_TEST

/* ---- unexpected INTID, reschedule IPI ---- */

static bool returned_to_user(void)
{
	return kshim_platform_stats(g_world.env.kshim)->return_to_user_count >= 1;
}

static void user_task(void *arg)
{
	struct world *w = arg;
	uint32_t i;

	kshim_user_enter();
	WRITE_ONCE(w->b_in_user, true);
	for (i = 0; i < WAIT_POINTS_MAX && !returned_to_user(); i++)
		CHECK_IN_SIM(wsim(), kshim_user_touch(USER_PAGE_GPA, false) ==
					     SIM_MEMORY_TOUCH_RESIDENT);
	CHECK_IN_SIM(wsim(), returned_to_user());
	CHECK_IN_SIM(wsim(), !test_thread_flag(TIF_NEED_RESCHED));
	CHECK_IN_SIM(wsim(), sim_arm_el(self_regs()->pstate) == 0);
	kshim_user_exit();
}

static void ipi_task(void *arg)
{
	struct world *w = arg;
	struct sim_gic *gic = sim_platform_gic(w->env.platform);
	uint32_t i;

	/* An interrupt nobody requested (edge PPI 20). */
	CHECK_IN_SIM(wsim(), sim_gic_set_config(gic, 0, 20, SIM_GIC_CONFIG_EDGE) == 0);
	CHECK_IN_SIM(wsim(), sim_gic_set_enabled(gic, 0, 20, true) == 0);
	CHECK_IN_SIM(wsim(), sim_platform_irq_line(w->env.platform, 0, 20, true) == 0);
	for (i = 0; i < WAIT_POINTS_MAX && !READ_ONCE(w->b_in_user); i++)
		sim_yield();
	smp_send_reschedule(1);
}

START_TEST(test_unexpected_irq_and_reschedule_ipi)
{
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		struct world *w = &g_world;
		const struct kshim_platform_stats *stats;

		world_start(w, seed, 2);
		(void)kshim_spawn_task(w->env.kshim, 1, "user", user_task, w);
		(void)kshim_spawn_task(w->env.kshim, 0, "ipi", ipi_task, w);
		world_finish(w, true);
		stats = kshim_platform_stats(w->env.kshim);
		ck_assert_uint_eq(stats->unexpected_count, 1);
		ck_assert_uint_ge(stats->resched_ipi_count, 1);
		ck_assert_uint_ge(stats->return_to_user_count, 1);
		plat_env_destroy(&w->env);
	}
}
END_TEST

/* ---- attach errors ---- */

START_TEST(test_attach_refuses_bad_input)
{
	struct sim_config config = { .seed = 1, .vcpu_count = 4, .pin_cpu = -1 };
	struct sim_platform_config tiny = {
		.memory = { .gpa_base = PLAT_GPA_BASE, .page_count = 4, .slow_ratio = { 0, 1 } },
	};
	struct plat_env env;
	struct sim_platform *other_platform;
	struct sim_platform *tiny_platform;
	struct sim *other;
	struct sim *tiny_sim;
	struct kshim *tiny_kshim;
	char error[160] = "";

	plat_env_create(&env, "random", 1, 2, 0);
	ck_assert_int_eq(kshim_attach_platform(NULL, env.platform), -EINVAL);
	ck_assert_int_eq(kshim_attach_platform(env.kshim, NULL), -EINVAL);
	ck_assert_int_eq(kshim_attach_platform(env.kshim, env.platform), -EINVAL); /* twice */
	ck_assert_int_eq(sim_create(&other, &config, env.strategy), 0);
	ck_assert_int_eq(sim_platform_create(&other_platform, other, &tiny, error, sizeof(error)),
			 0);
	ck_assert_int_eq(kshim_attach_platform(env.kshim, other_platform), -EINVAL);
	/* 4 CPUs' per-CPU units do not fit in 4 pages of guest memory. */
	ck_assert_int_eq(sim_create(&tiny_sim, &config, env.strategy), 0);
	ck_assert_int_eq(sim_platform_create(&tiny_platform, tiny_sim, &tiny, error,
					     sizeof(error)), 0);
	ck_assert_int_eq(kshim_create(&tiny_kshim, tiny_sim, NULL), 0);
	ck_assert_int_eq(kshim_attach_platform(tiny_kshim, tiny_platform), -ENOMEM);
	kshim_destroy(tiny_kshim);
	sim_destroy(tiny_sim);
	sim_platform_destroy(tiny_platform);
	sim_destroy(other);
	sim_platform_destroy(other_platform);
	plat_env_destroy(&env);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kshim_platform_irq");
	TCase *tc = tcase_create("irq");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_irqsave_defers_ppi_until_unlock);
	tcase_add_test(tc, test_percpu_irq_handler_gets_its_cpu_dev_id);
	tcase_add_test(tc, test_level_ppi_not_lowered_storms);
	tcase_add_test(tc, test_on_each_cpu_runs_on_each_vcpu);
	tcase_add_test(tc, test_smccc_invoke_truncates_smc32_and_discovers_kvm);
	tcase_add_test(tc, test_pstate_follows_task_across_block);
	tcase_add_test(tc, test_pstate_survives_handler_hvc_inside_resched);
	tcase_add_test(tc, test_woken_task_waits_for_idle_handler);
	tcase_add_test(tc, test_percpu_data_lives_in_guest_memory);
	tcase_add_test(tc, test_unexpected_irq_and_reschedule_ipi);
	tcase_add_test(tc, test_attach_refuses_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return support_run_suite(suite());
}

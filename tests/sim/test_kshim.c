// SPDX-License-Identifier: MIT
/*
 * Goal: the kernel-API shim keeps the kernel's semantics on the engine: a
 * wake that comes before the sleeper's condition check is never lost
 * (swait, completion, set_current_state/schedule), spin_lock_irqsave masks
 * interrupt delivery on its vCPU until the unlock, a lock-order inversion is
 * a deadlock for some seed, per-CPU data is isolated per CPU and fresh per
 * execution, injected allocation failures reach the caller, WARN_ON records
 * file and line, leaks and sleeping in atomic context are findings.
 * Method: small kernel-style task bodies on 1..4 vCPUs, many seeds of the
 * random and PCT strategies; checks inside threads become "test-assertion"
 * findings, checks after the run read the result and counters.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/swait.h>

#include "sim/kshim.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "check_support.h"

#define SEED_COUNT 64u
#define VCPU_COUNT_MAX_TEST 4u

#define CHECK_IN_SIM(w, cond)                                                       \
	do {                                                                        \
		if (!(cond))                                                        \
			SIM_FAIL((w)->sim, "test-assertion", "%s:%d: %s", __FILE__, \
				 __LINE__, #cond);                                  \
	} while (0)

struct world {
	struct sim *sim;
	struct sim_strategy *strategy;
	struct kshim *kshim;
	uint64_t leaked_count;
	/* scenario state */
	int flag;
	int finished;
	struct swait_queue_head swq;
	struct completion done;
	struct task_struct *sleeper;
	spinlock_t lock_a;
	spinlock_t lock_b;
	bool irq_pending[VCPU_COUNT_MAX_TEST];
	int in_critical;
	int irq_in_critical_count;
	int irq_count;
	atomic_t arrived;
	int percpu_ok;
	int *dyn_counter;
	int warn_line;
	int warn_ret;
	void *alloc_result[3];
	int one;
};

typedef void (*world_setup_fn)(struct world *w);

static bool test_irq_deliverable(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;

	return w->irq_pending[vcpu] && !kshim_irqs_disabled(w->kshim, vcpu);
}

static void test_irq_deliver(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;

	kshim_irq_enter();
	w->irq_pending[vcpu] = false;
	w->irq_count++;
	if (w->in_critical)
		w->irq_in_critical_count++;
	kshim_irq_exit();
}

static const struct sim_irq_ops test_irq_ops = {
	.deliverable = test_irq_deliverable,
	.deliver = test_irq_deliver,
};

/* One execution: create, let @setup spawn tasks, run, finish. */
static const struct sim_result *world_run(struct world *w, const char *strategy_name,
					  uint64_t seed, uint32_t vcpu_count,
					  const struct kshim_config *kconfig, world_setup_fn setup)
{
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_config config = { .seed = seed, .vcpu_count = vcpu_count, .pin_cpu = -1 };

	memset(w, 0, sizeof(*w));
	w->one = 1;
	ck_assert_int_eq(sim_strategy_create(strategy_name, &strategy_config, &w->strategy), 0);
	ck_assert_int_eq(sim_create(&w->sim, &config, w->strategy), 0);
	ck_assert_int_eq(kshim_create(&w->kshim, w->sim, kconfig), 0);
	sim_set_irq_ops(w->sim, &test_irq_ops, w);
	init_swait_queue_head(&w->swq);
	init_completion(&w->done);
	spin_lock_init(&w->lock_a);
	spin_lock_init(&w->lock_b);
	setup(w);
	ck_assert_int_eq(sim_run(w->sim), 0);
	w->leaked_count = kshim_finish(w->kshim);
	return sim_result(w->sim);
}

static void world_end(struct world *w)
{
	kshim_destroy(w->kshim);
	sim_destroy(w->sim);
	sim_strategy_destroy(w->strategy);
}

static const struct sim_finding *find_class(const struct sim_result *result, const char *name)
{
	uint32_t i;

	for (i = 0; i < result->finding_count && i < SIM_FINDING_COUNT_MAX; i++) {
		if (strcmp(result->findings[i].class_name, name) == 0)
			return &result->findings[i];
	}
	return NULL;
}

/* ---- lost wakeups ---- */

static void swait_waiter(void *arg)
{
	struct world *w = arg;

	swait_event_exclusive(w->swq, READ_ONCE(w->flag) != 0);
	WRITE_ONCE(w->finished, 1);
}

static void swait_waker(void *arg)
{
	struct world *w = arg;

	WRITE_ONCE(w->flag, 1);
	swake_up_one(&w->swq);
}

static void setup_swait(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "waiter", swait_waiter, w);
	kshim_spawn_task(w->kshim, 1, "waker", swait_waker, w);
}

static void completion_waiter(void *arg)
{
	struct world *w = arg;

	wait_for_completion(&w->done);
	WRITE_ONCE(w->finished, 1);
}

static void completion_waker(void *arg)
{
	struct world *w = arg;

	complete(&w->done);
}

static void setup_completion(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "waiter", completion_waiter, w);
	kshim_spawn_task(w->kshim, 1, "waker", completion_waker, w);
}

/* The bare kernel idiom: set state, check, schedule. */
static void raw_sleeper(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, current == w->sleeper);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (READ_ONCE(w->flag))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(w->finished, 1);
}

static void raw_waker(void *arg)
{
	struct world *w = arg;

	WRITE_ONCE(w->flag, 1);
	wake_up_process(w->sleeper);
}

/* The task_struct exists from the spawn on (no spinning for it: PCT is unfair). */
static void setup_raw(struct world *w)
{
	uint32_t id = kshim_spawn_task(w->kshim, 0, "sleeper", raw_sleeper, w);

	w->sleeper = sim_thread_data(w->sim, id);
	kshim_spawn_task(w->kshim, 1, "waker", raw_waker, w);
}

static void run_wakeup_seeds(world_setup_fn setup)
{
	static const char *const strategies[] = { "random", "pct" };
	struct world w;
	uint32_t s;
	uint64_t seed;

	for (s = 0; s < ARRAY_SIZE(strategies); s++) {
		for (seed = 1; seed <= SEED_COUNT; seed++) {
			const struct sim_result *result =
				world_run(&w, strategies[s], seed, 2, NULL, setup);

			support_assert_no_finding(result, seed);
			ck_assert_int_eq(w.finished, 1);
			world_end(&w);
		}
	}
}

START_TEST(test_kshim_swait_wakeup_not_lost)
{
	run_wakeup_seeds(setup_swait);
}
END_TEST

START_TEST(test_kshim_completion_wakeup_not_lost)
{
	run_wakeup_seeds(setup_completion);
}
END_TEST

START_TEST(test_kshim_schedule_wakeup_not_lost)
{
	run_wakeup_seeds(setup_raw);
}
END_TEST

/* ---- interrupt masking ---- */

static void irqsave_task(void *arg)
{
	struct world *w = arg;
	unsigned long flags;
	int i;

	spin_lock_irqsave(&w->lock_a, flags);
	w->in_critical = 1;
	w->irq_pending[0] = true; /* raised while masked */
	for (i = 0; i < 40; i++)
		(void)READ_ONCE(w->flag);
	w->in_critical = 0;
	spin_unlock_irqrestore(&w->lock_a, flags);
	for (i = 0; i < 40 && READ_ONCE(w->irq_count) == 0; i++)
		cond_resched();
	CHECK_IN_SIM(w, !irqs_disabled());
}

static void setup_irqsave(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "masker", irqsave_task, w);
}

START_TEST(test_kshim_spin_lock_irqsave_masks_delivery)
{
	struct world w;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		const struct sim_result *result = world_run(&w, "random", seed, 1, NULL,
							    setup_irqsave);

		support_assert_no_finding(result, seed);
		ck_assert_int_eq(w.irq_in_critical_count, 0);
		ck_assert_int_eq(w.irq_count, 1); /* taken after the unlock */
		world_end(&w);
	}
}
END_TEST

/* ---- lock-order inversion ---- */

static void lock_ab(void *arg)
{
	struct world *w = arg;

	spin_lock(&w->lock_a);
	(void)READ_ONCE(w->flag);
	spin_lock(&w->lock_b);
	spin_unlock(&w->lock_b);
	spin_unlock(&w->lock_a);
}

static void lock_ba(void *arg)
{
	struct world *w = arg;

	spin_lock(&w->lock_b);
	(void)READ_ONCE(w->flag);
	spin_lock(&w->lock_a);
	spin_unlock(&w->lock_a);
	spin_unlock(&w->lock_b);
}

static void setup_inversion(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "ab", lock_ab, w);
	kshim_spawn_task(w->kshim, 1, "ba", lock_ba, w);
}

START_TEST(test_kshim_lock_inversion_deadlocks_for_some_seed)
{
	uint32_t deadlock_count = 0, clean_count = 0;
	struct world w;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		const struct sim_result *result = world_run(&w, "random", seed, 2, NULL,
							    setup_inversion);
		const struct sim_finding *f = find_class(result, SIM_FINDING_DEADLOCK);

		if (f != NULL) {
			deadlock_count++;
			ck_assert_msg(strstr(f->message, "spinlock") != NULL, "%s", f->message);
		} else {
			support_assert_no_finding(result, seed);
			clean_count++;
		}
		world_end(&w);
	}
	ck_assert_uint_gt(deadlock_count, 0);
	ck_assert_uint_gt(clean_count, 0);
}
END_TEST

/* ---- per-CPU data ---- */

static DEFINE_PER_CPU(int, test_counter);

static void percpu_task(void *arg)
{
	struct world *w = arg;
	int cpu = smp_processor_id();
	int i;

	for (i = 0; i <= cpu; i++) {
		(*this_cpu_ptr(&test_counter))++;
		(*this_cpu_ptr(w->dyn_counter)) += 10;
		(void)READ_ONCE(w->flag);
	}
	if (atomic_inc_return(&w->arrived) != VCPU_COUNT_MAX_TEST)
		return;
	w->percpu_ok = 1;
	for (i = 0; i < (int)VCPU_COUNT_MAX_TEST; i++) {
		if (per_cpu(test_counter, i) != i + 1 || *per_cpu_ptr(w->dyn_counter, i) != 10 * (i + 1))
			w->percpu_ok = 0;
	}
	free_percpu(w->dyn_counter);
}

static void percpu_setup_task(void *arg)
{
	struct world *w = arg;
	uint32_t vcpu;

	w->dyn_counter = alloc_percpu(int);
	CHECK_IN_SIM(w, w->dyn_counter != NULL);
	for (vcpu = 0; vcpu < VCPU_COUNT_MAX_TEST; vcpu++)
		kshim_spawn_task(w->kshim, vcpu, "percpu", percpu_task, w);
}

static void setup_percpu(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "spawner", percpu_setup_task, w);
}

START_TEST(test_kshim_percpu_isolated)
{
	struct world w;
	uint64_t seed;

	for (seed = 1; seed <= 16; seed++) {
		const struct sim_result *result = world_run(&w, "random", seed, VCPU_COUNT_MAX_TEST,
							    NULL, setup_percpu);

		support_assert_no_finding(result, seed);
		ck_assert_int_eq(w.percpu_ok, 1); /* also: fresh in every execution */
		ck_assert_int_eq(test_counter, 0); /* the template is never written */
		world_end(&w);
	}
}
END_TEST

/* ---- allocation, WARN, leaks, atomic sleep ---- */

static void alloc_task(void *arg)
{
	struct world *w = arg;
	int i;

	for (i = 0; i < 3; i++)
		w->alloc_result[i] = kmalloc(32, GFP_KERNEL);
	for (i = 0; i < 3; i++)
		kfree(w->alloc_result[i]);
}

static void setup_alloc(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "alloc", alloc_task, w);
}

START_TEST(test_kshim_alloc_failure_reaches_caller)
{
	struct kshim_config nth = { .alloc_fail_nth = 2 };
	struct kshim_config always = { .alloc_fail_ratio = { 1, 1 } };
	const struct sim_result *result;
	struct world w;

	result = world_run(&w, "random", 1, 1, &nth, setup_alloc);
	support_assert_no_finding(result, 1);
	ck_assert_ptr_nonnull(w.alloc_result[0]);
	ck_assert_ptr_null(w.alloc_result[1]);
	ck_assert_ptr_nonnull(w.alloc_result[2]);
	ck_assert_uint_eq(kshim_alloc_failed_count(w.kshim), 1);
	world_end(&w);

	result = world_run(&w, "random", 1, 1, &always, setup_alloc);
	support_assert_no_finding(result, 1);
	ck_assert_ptr_null(w.alloc_result[0]);
	ck_assert_uint_eq(kshim_alloc_failed_count(w.kshim), 3);
	world_end(&w);
}
END_TEST

static void warn_task(void *arg)
{
	struct world *w = arg;

	w->warn_line = __LINE__ + 1;
	w->warn_ret = WARN_ON(w->one == 1);
	WRITE_ONCE(w->finished, 1); /* WARN continues */
}

static void setup_warn(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "warn", warn_task, w);
}

START_TEST(test_kshim_warn_on_records_file_and_line)
{
	const struct sim_result *result;
	const struct sim_finding *f;
	struct world w;

	result = world_run(&w, "random", 3, 1, NULL, setup_warn);
	f = find_class(result, KSHIM_FINDING_WARN);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->line, w.warn_line);
	ck_assert_ptr_nonnull(strstr(f->file, "test_kshim.c"));
	ck_assert_ptr_nonnull(strstr(f->message, "w->one == 1"));
	ck_assert_int_eq(w.warn_ret, 1);
	ck_assert_int_eq(w.finished, 1);
	world_end(&w);
}
END_TEST

static void leak_task(void *arg)
{
	struct world *w = arg;
	void *keep_a = kmalloc(10, GFP_KERNEL);
	void *freed = kmalloc(20, GFP_KERNEL);
	void *keep_b = kzalloc(30, GFP_KERNEL);

	CHECK_IN_SIM(w, keep_a != NULL && freed != NULL && keep_b != NULL);
	kfree(freed);
}

static void setup_leak(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "leaker", leak_task, w);
}

START_TEST(test_kshim_leak_reported)
{
	const struct sim_result *result;
	const struct sim_finding *f;
	struct world w;

	result = world_run(&w, "random", 5, 1, NULL, setup_leak);
	ck_assert_uint_eq(w.leaked_count, 2);
	f = find_class(result, KSHIM_FINDING_LEAK);
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(strstr(f->message, "2 objects (40 bytes)") != NULL, "%s", f->message);
	ck_assert_uint_eq(kshim_alloc_live_count(w.kshim), 0);
	world_end(&w);
}
END_TEST

/*
 * kfree keeps the memory until the execution ends: no later kmalloc returns
 * a freed address (malloc would hand the same chunk straight back), so a
 * stale pointer never equals a new object and runs stay reproducible.
 */
static void reuse_task(void *arg)
{
	struct world *w = arg;
	void *freed[4], *later;
	int i, j;

	for (i = 0; i < 4; i++) {
		freed[i] = kmalloc(64, GFP_KERNEL);
		CHECK_IN_SIM(w, freed[i] != NULL);
		kfree(freed[i]);
	}
	for (i = 0; i < 16; i++) {
		later = kmalloc(64, GFP_KERNEL);
		CHECK_IN_SIM(w, later != NULL);
		for (j = 0; j < 4; j++)
			CHECK_IN_SIM(w, later != freed[j]);
		kfree(later);
	}
	WRITE_ONCE(w->finished, 1);
}

static void setup_reuse(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "reuse", reuse_task, w);
}

START_TEST(test_kshim_kfree_keeps_addresses_until_the_end)
{
	const struct sim_result *result;
	struct world w;

	result = world_run(&w, "random", 7, 1, NULL, setup_reuse);
	support_assert_no_finding(result, 7);
	ck_assert_int_eq(w.finished, 1);
	ck_assert_uint_eq(w.leaked_count, 0);
	ck_assert_uint_eq(kshim_alloc_live_count(w.kshim), 0);
	world_end(&w);
}
END_TEST

static void sleep_atomic_task(void *arg)
{
	struct world *w = arg;

	if (w->flag) /* the scenario's variant: preemption disabled */
		preempt_disable();
	msleep(1);
	if (w->flag)
		preempt_enable();
}

static void setup_sleep_atomic(struct world *w)
{
	w->flag = 1;
	kshim_spawn_task(w->kshim, 0, "sleeper", sleep_atomic_task, w);
}

static void setup_sleep_ok(struct world *w)
{
	kshim_spawn_task(w->kshim, 0, "sleeper", sleep_atomic_task, w);
}

START_TEST(test_kshim_sleep_in_atomic_reported)
{
	const struct sim_result *result;
	struct world w;

	result = world_run(&w, "random", 7, 1, NULL, setup_sleep_atomic);
	ck_assert_ptr_nonnull(find_class(result, KSHIM_FINDING_SLEEP_IN_ATOMIC));
	ck_assert_uint_ge(result->tick, KSHIM_TICKS_PER_MSEC);
	world_end(&w);
	result = world_run(&w, "random", 7, 1, NULL, setup_sleep_ok);
	support_assert_no_finding(result, 7);
	world_end(&w);
}
END_TEST

static Suite *kshim_suite(void)
{
	Suite *suite = suite_create("kshim");
	TCase *tc = tcase_create("scenarios");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_kshim_swait_wakeup_not_lost);
	tcase_add_test(tc, test_kshim_completion_wakeup_not_lost);
	tcase_add_test(tc, test_kshim_schedule_wakeup_not_lost);
	tcase_add_test(tc, test_kshim_spin_lock_irqsave_masks_delivery);
	tcase_add_test(tc, test_kshim_lock_inversion_deadlocks_for_some_seed);
	tcase_add_test(tc, test_kshim_percpu_isolated);
	tcase_add_test(tc, test_kshim_alloc_failure_reaches_caller);
	tcase_add_test(tc, test_kshim_warn_on_records_file_and_line);
	tcase_add_test(tc, test_kshim_leak_reported);
	tcase_add_test(tc, test_kshim_kfree_keeps_addresses_until_the_end);
	tcase_add_test(tc, test_kshim_sleep_in_atomic_reported);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return support_run_suite(kshim_suite());
}

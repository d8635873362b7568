// SPDX-License-Identifier: MIT
/*
 * Goal: the engine's model holds: virtual time and timers, bounds and the
 * watchdog, deadlock reports, one task per vCPU at a time, run queues and
 * hotplug, interrupt delivery at schedule points and on idle vCPUs, the
 * free-run mode and the stress mode (one thread at a time, in an order the
 * host kernel picks). Method: small engine-level scenarios with assertions made
 * inside the threads (recorded as findings) and on the results.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "sim/strategy.h"
#include "check_support.h"

#define CHECK_IN_SIM(sim, cond)                                                \
	do {                                                                   \
		if (!(cond))                                                   \
			SIM_FAIL(sim, "test-assertion", "%s", #cond);          \
	} while (0)

struct world {
	struct sim *sim;
	struct sim_strategy *strategy;
	uint64_t values[16];
	uint32_t ids[16];
	uint32_t on_cpu[4];  /* task currently running on each vCPU, per the test */
	bool pending[4];
	bool masked[4];
	uint32_t delivered[4];
	uint32_t delivered_by_idle[4];
};

static void world_init(struct world *w, uint32_t vcpus, enum sim_mode mode, const char *strategy,
		       uint64_t seed, uint64_t step_max, uint64_t window)
{
	struct sim_config config = {
		.seed = seed, .vcpu_count = vcpus, .mode = mode, .pin_cpu = -1,
		.step_count_max = step_max, .progress_window = window,
	};
	struct sim_strategy_config sc = {.seed = seed};

	memset(w, 0, sizeof(*w));
	if (mode == SIM_MODE_DETERMINISTIC)
		ck_assert_int_eq(sim_strategy_create(strategy, &sc, &w->strategy), 0);
	ck_assert_int_eq(sim_create(&w->sim, &config, w->strategy), 0);
}

static void world_fini(struct world *w)
{
	sim_destroy(w->sim);
	if (w->strategy != NULL)
		sim_strategy_destroy(w->strategy);
}

static uint32_t spawn(struct world *w, enum sim_thread_kind kind, uint32_t vcpu, const char *name,
		      sim_thread_fn fn)
{
	return support_spawn(w->sim, kind, vcpu, name, fn, w);
}

static const struct sim_finding *first_finding(const struct world *w)
{
	const struct sim_result *r = sim_result(w->sim);

	return r->finding_count > 0 ? &r->findings[0] : NULL;
}

/* The first finding, or "" (for failure messages). */
static const char *finding_text(const struct world *w)
{
	return support_finding_text(sim_result(w->sim));
}
static void sleeper(void *arg)
{
	struct world *w = arg;
	uint64_t before = sim_now(w->sim);

	sim_sleep_ticks(100);
	w->values[0] = sim_now(w->sim) - before;
}

START_TEST(test_engine_sleep_jumps_virtual_time_exactly)
{
	struct world w;

	world_init(&w, 1, SIM_MODE_DETERMINISTIC, "random", 1, 0, 0);
	spawn(&w, SIM_THREAD_HOST, 0, "sleeper", sleeper);
	ck_assert_int_eq(sim_run(w.sim), 0);
	ck_assert_ptr_null(first_finding(&w));
	ck_assert_uint_eq(w.values[0], 100);
	ck_assert_uint_ge(sim_result(w.sim)->tick, 100);
	world_fini(&w);
}
END_TEST

static void timer_fn(struct sim *sim, void *arg)
{
	struct world *w = arg;

	w->values[1] = sim_now(sim);
	w->values[2]++;
}

static void timer_user(void *arg)
{
	struct world *w = arg;
	uint64_t keep = sim_timer_add(w->sim, sim_now(w->sim) + 50, timer_fn, w);
	uint64_t drop = sim_timer_add(w->sim, sim_now(w->sim) + 20, timer_fn, w);

	CHECK_IN_SIM(w->sim, keep != 0 && drop != 0);
	CHECK_IN_SIM(w->sim, sim_timer_cancel(w->sim, drop));
	CHECK_IN_SIM(w->sim, !sim_timer_cancel(w->sim, drop));
	w->values[0] = sim_now(w->sim) + 50;
	sim_sleep_ticks(200);
}

START_TEST(test_engine_timer_fires_once_at_deadline_and_cancel_works)
{
	struct world w;

	world_init(&w, 1, SIM_MODE_DETERMINISTIC, "random", 2, 0, 0);
	spawn(&w, SIM_THREAD_HOST, 0, "timer-user", timer_user);
	ck_assert_int_eq(sim_run(w.sim), 0);
	ck_assert_ptr_null(first_finding(&w));
	ck_assert_uint_eq(w.values[2], 1);
	ck_assert_uint_eq(w.values[1], w.values[0]);
	world_fini(&w);
}
END_TEST

static void spinner(void *arg)
{
	(void)arg;
	for (;;)
		sim_point(SIM_POINT_YIELD, "spin");
}

START_TEST(test_engine_step_bound_ends_runaway_execution)
{
	struct world w;
	const struct sim_finding *f;

	world_init(&w, 1, SIM_MODE_DETERMINISTIC, "random", 3, 5000, 1000000);
	spawn(&w, SIM_THREAD_HOST, 0, "spinner", spinner);
	ck_assert_int_eq(sim_run(w.sim), 0);
	f = first_finding(&w);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->class_name, SIM_FINDING_STEP_BOUND);
	ck_assert_uint_eq(sim_result(w.sim)->step_count, 5001);
	world_fini(&w);
}
END_TEST

START_TEST(test_engine_watchdog_reports_no_progress)
{
	struct world w;
	const struct sim_finding *f;

	world_init(&w, 1, SIM_MODE_DETERMINISTIC, "random", 4, 100000, 300);
	spawn(&w, SIM_THREAD_HOST, 0, "spinner", spinner);
	ck_assert_int_eq(sim_run(w.sim), 0);
	f = first_finding(&w);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->class_name, SIM_FINDING_NO_PROGRESS);
	ck_assert_uint_lt(sim_result(w.sim)->step_count, 400);
	world_fini(&w);
}
END_TEST

static void forever_blocked(void *arg)
{
	(void)arg;
	sim_set_blocking("a page that never comes", NULL);
	sim_schedule();
}

START_TEST(test_engine_deadlock_names_each_blocked_thread)
{
	struct world w;
	const struct sim_finding *f;

	world_init(&w, 2, SIM_MODE_DETERMINISTIC, "random", 5, 0, 0);
	spawn(&w, SIM_THREAD_TASK, 1, "parked-task", forever_blocked);
	spawn(&w, SIM_THREAD_HOST, 0, "stuck-worker", forever_blocked);
	ck_assert_int_eq(sim_run(w.sim), 0);
	f = first_finding(&w);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->class_name, SIM_FINDING_DEADLOCK);
	ck_assert_ptr_nonnull(strstr(f->message, "parked-task waits on a page that never comes"));
	ck_assert_ptr_nonnull(strstr(f->message, "stuck-worker waits on"));
	ck_assert_ptr_nonnull(strstr(f->message, "2 thread(s)"));
	world_fini(&w);
}
END_TEST

/* Each task marks itself as on the CPU and checks nobody else is, at every point. */
static void exclusive_task(void *arg)
{
	struct world *w = arg;
	int v = sim_self_vcpu();

	for (int round = 0; round < 20; round++) {
		CHECK_IN_SIM(w->sim, sim_vcpu_current(w->sim, (uint32_t)sim_self_vcpu()) ==
					     sim_self_id());
		w->on_cpu[v] = sim_self_id();
		sim_point(SIM_POINT_YIELD, "work");
		CHECK_IN_SIM(w->sim, w->on_cpu[sim_self_vcpu()] == sim_self_id() ||
					     sim_self_vcpu() != v);
		if (round % 5 == 4)
			sim_resched();
		if (round == 10)
			sim_sleep_ticks(3);
		v = sim_self_vcpu();
		w->on_cpu[v] = sim_self_id();
	}
	w->values[sim_self_id() % 16]++;
}

START_TEST(test_engine_one_task_per_vcpu_at_a_time)
{
	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct world w;
		uint32_t ids[6];

		world_init(&w, 2, SIM_MODE_DETERMINISTIC, seed % 2 ? "random" : "pct", seed, 0, 0);
		for (int i = 0; i < 6; i++)
			ids[i] = spawn(&w, SIM_THREAD_TASK, (uint32_t)i % 2, "task", exclusive_task);
		ck_assert_int_eq(sim_run(w.sim), 0);
		ck_assert_msg(first_finding(&w) == NULL, "seed %llu: %s", (unsigned long long)seed,
			      finding_text(&w));
		for (int i = 0; i < 6; i++) {
			ck_assert_uint_eq(w.values[ids[i] % 16], 1);
			ck_assert_int_eq(sim_thread_state(w.sim, ids[i]), SIM_THREAD_EXITED);
		}
		world_fini(&w);
	}
}
END_TEST

static void offline_driver(void *arg)
{
	struct world *w = arg;

	sim_point(SIM_POINT_YIELD, "before offline");
	CHECK_IN_SIM(w->sim, sim_vcpu_set_online(w->sim, 1, false) == 0);
	CHECK_IN_SIM(w->sim, !sim_vcpu_online(w->sim, 1));
	CHECK_IN_SIM(w->sim, sim_vcpu_set_online(w->sim, 0, false) == -EINVAL);
	CHECK_IN_SIM(w->sim, sim_vcpu_set_online(w->sim, 7, false) == -EINVAL);
	for (int i = 0; i < 10; i++)
		sim_point(SIM_POINT_YIELD, "offline");
	CHECK_IN_SIM(w->sim, sim_vcpu_set_online(w->sim, 1, true) == 0);
}

static void migrating_task(void *arg)
{
	struct world *w = arg;

	for (int i = 0; i < 30; i++) {
		sim_point(SIM_POINT_YIELD, "run");
		CHECK_IN_SIM(w->sim, sim_vcpu_online(w->sim, (uint32_t)sim_self_vcpu()));
	}
	w->values[3]++;
}

START_TEST(test_engine_offline_moves_tasks_to_an_online_vcpu)
{
	for (uint64_t seed = 1; seed <= 30; seed++) {
		struct world w;

		world_init(&w, 2, SIM_MODE_DETERMINISTIC, "random", seed, 0, 0);
		spawn(&w, SIM_THREAD_HOST, 0, "driver", offline_driver);
		for (int i = 0; i < 3; i++)
			spawn(&w, SIM_THREAD_TASK, 1, "task", migrating_task);
		ck_assert_int_eq(sim_run(w.sim), 0);
		ck_assert_msg(first_finding(&w) == NULL, "%s", finding_text(&w));
		ck_assert_uint_eq(w.values[3], 3);
		world_fini(&w);
	}
}
END_TEST

static bool irq_deliverable(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;

	return w->pending[vcpu] && !w->masked[vcpu];
}

static void irq_deliver(void *ctx, uint32_t vcpu)
{
	struct world *w = ctx;

	if (sim_self_vcpu() != (int)vcpu)
		SIM_FAIL(w->sim, "test-assertion", "delivered on the wrong vCPU");
	w->pending[vcpu] = false;
	w->delivered[vcpu]++;
	if (sim_vcpu_current(w->sim, vcpu) == SIM_THREAD_NONE)
		w->delivered_by_idle[vcpu]++;
	sim_point(SIM_POINT_YIELD, "in handler");
}

static const struct sim_irq_ops test_irq_ops = {
	.deliverable = irq_deliverable, .deliver = irq_deliver,
};

static void irq_raiser(void *arg)
{
	struct world *w = arg;

	for (int i = 0; i < 5; i++) {
		w->pending[0] = true; /* vCPU 0 runs a task */
		w->pending[1] = true; /* vCPU 1 is idle */
		/* Sleeping (not spinning) lets the vCPUs run whatever the strategy. */
		for (int k = 0; k < 2000 && (w->pending[0] || w->pending[1]); k++)
			sim_sleep_ticks(1);
		CHECK_IN_SIM(w->sim, !w->pending[0] && !w->pending[1]);
	}
	w->masked[0] = true;
	w->pending[0] = true;
	for (int k = 0; k < 40; k++)
		sim_sleep_ticks(1);
	CHECK_IN_SIM(w->sim, w->pending[0]);
	w->masked[0] = false;
	sim_point(SIM_POINT_IRQ_UNMASK, "unmasked");
	for (int k = 0; k < 2000 && w->pending[0]; k++)
		sim_sleep_ticks(1);
	CHECK_IN_SIM(w->sim, !w->pending[0]);
	w->values[5] = 1;
}

static void busy_task(void *arg)
{
	struct world *w = arg;

	for (int i = 0; i < 400 && w->values[5] == 0; i++)
		sim_point(SIM_POINT_YIELD, "busy");
}

START_TEST(test_engine_interrupts_delivered_at_points_and_on_idle_vcpus)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct world w;

		world_init(&w, 2, SIM_MODE_DETERMINISTIC, seed % 2 ? "random" : "pct", seed, 0, 0);
		sim_set_irq_ops(w.sim, &test_irq_ops, &w);
		spawn(&w, SIM_THREAD_HOST, 0, "raiser", irq_raiser);
		spawn(&w, SIM_THREAD_TASK, 0, "busy", busy_task);
		ck_assert_int_eq(sim_run(w.sim), 0);
		ck_assert_msg(first_finding(&w) == NULL, "seed %llu: %s", (unsigned long long)seed,
			      finding_text(&w));
		ck_assert_uint_eq(w.values[5], 1);
		ck_assert_uint_eq(w.delivered[0], 6);
		ck_assert_uint_eq(w.delivered[1], 5);
		ck_assert_uint_eq(w.delivered_by_idle[1], 5);
		world_fini(&w);
	}
}
END_TEST

static void halting_task(void *arg)
{
	struct world *w = arg;

	w->ids[1] = sim_self_id();
	sim_set_blocking("page", NULL);
	sim_schedule_halt();
	w->values[6] = sim_now(w->sim);
}

static void other_task(void *arg)
{
	struct world *w = arg;

	/* Runs only after the halted task was woken: the vCPU is halted. */
	w->values[7] = sim_now(w->sim);
}

static void halt_waker(void *arg)
{
	struct world *w = arg;

	sim_sleep_ticks(500);
	CHECK_IN_SIM(w->sim, sim_thread_state(w->sim, w->ids[1]) == SIM_THREAD_BLOCKED);
	CHECK_IN_SIM(w->sim, sim_vcpu_current(w->sim, 0) == w->ids[1]);
	sim_wake(w->sim, w->ids[1]);
}

START_TEST(test_engine_halted_task_keeps_its_vcpu)
{
	struct world w;

	world_init(&w, 1, SIM_MODE_DETERMINISTIC, "rr", 9, 0, 0);
	spawn(&w, SIM_THREAD_TASK, 0, "halter", halting_task);
	spawn(&w, SIM_THREAD_TASK, 0, "other", other_task);
	spawn(&w, SIM_THREAD_HOST, 0, "waker", halt_waker);
	ck_assert_int_eq(sim_run(w.sim), 0);
	ck_assert_msg(first_finding(&w) == NULL, "%s", finding_text(&w));
	ck_assert_uint_ge(w.values[7], 500);
	ck_assert_uint_ge(w.values[7], w.values[6]);
	world_fini(&w);
}
END_TEST

static void counter_task(void *arg)
{
	struct world *w = arg;

	for (int i = 0; i < 1000; i++) {
		sim_point(SIM_POINT_YIELD, "count");
		__atomic_fetch_add(&w->values[8], 1, __ATOMIC_RELAXED);
	}
	sim_sleep_ticks(5);
}

START_TEST(test_engine_free_run_completes)
{
	struct world w;

	world_init(&w, 2, SIM_MODE_FREE_RUN, NULL, 11, 0, 0);
	for (int i = 0; i < 4; i++)
		spawn(&w, SIM_THREAD_TASK, (uint32_t)i % 2, "task", counter_task);
	spawn(&w, SIM_THREAD_HOST, 0, "host", counter_task);
	ck_assert_int_eq(sim_run(w.sim), 0);
	ck_assert_msg(first_finding(&w) == NULL, "%s", finding_text(&w));
	ck_assert_uint_eq(__atomic_load_n(&w.values[8], __ATOMIC_RELAXED), 5000);
	world_fini(&w);
}
END_TEST

/*
 * Stress mode: between two schedule points a thread runs alone. values[9]
 * counts the threads inside such a stretch, values[10] is the most seen at
 * once, values[11] a plain (non-atomic) counter that only stays exact when
 * the stretches never overlap.
 */
static void stress_task(void *arg)
{
	struct world *w = arg;

	for (int i = 0; i < 500; i++) {
		uint64_t inside = __atomic_add_fetch(&w->values[9], 1, __ATOMIC_SEQ_CST);
		uint64_t seen = __atomic_load_n(&w->values[10], __ATOMIC_SEQ_CST);

		while (inside > seen &&
		       !__atomic_compare_exchange_n(&w->values[10], &seen, inside, false,
						    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			;
		for (int k = 0; k < 50; k++)
			w->values[11]++;
		__atomic_sub_fetch(&w->values[9], 1, __ATOMIC_SEQ_CST);
		sim_point(SIM_POINT_YIELD, "stretch");
	}
	sim_sleep_ticks(3);
}

START_TEST(test_engine_stress_runs_one_thread_at_a_time)
{
	struct world w;

	world_init(&w, 2, SIM_MODE_STRESS, NULL, 12, 0, 0);
	ck_assert_int_eq(sim_mode(w.sim), SIM_MODE_STRESS);
	for (int i = 0; i < 4; i++)
		spawn(&w, SIM_THREAD_TASK, (uint32_t)i % 2, "task", stress_task);
	spawn(&w, SIM_THREAD_HOST, 0, "host", stress_task);
	ck_assert_int_eq(sim_run(w.sim), 0);
	ck_assert_msg(first_finding(&w) == NULL, "%s", finding_text(&w));
	ck_assert_uint_eq(w.values[10], 1);
	ck_assert_uint_eq(w.values[11], 5u * 500u * 50u);
	/* nothing is chosen by a strategy, so nothing is recorded */
	ck_assert_uint_eq(sim_result(w.sim)->decision_count, 0);
	ck_assert_uint_ge(sim_result(w.sim)->step_count, 5u * 500u);
	world_fini(&w);
}
END_TEST

/* A thread nobody wakes: stress mode still reaches the deadlock verdict. */
START_TEST(test_engine_stress_reports_deadlock)
{
	struct world w;

	world_init(&w, 2, SIM_MODE_STRESS, NULL, 13, 0, 0);
	spawn(&w, SIM_THREAD_TASK, 0, "stuck", forever_blocked);
	spawn(&w, SIM_THREAD_TASK, 1, "task", counter_task);
	ck_assert_int_eq(sim_run(w.sim), 0);
	ck_assert_ptr_nonnull(first_finding(&w));
	ck_assert_str_eq(first_finding(&w)->class_name, SIM_FINDING_DEADLOCK);
	/* the other task finished its work before the verdict */
	ck_assert_uint_eq(__atomic_load_n(&w.values[8], __ATOMIC_RELAXED), 1000);
	world_fini(&w);
}
END_TEST

START_TEST(test_engine_rejects_bad_configuration)
{
	struct sim_config config = {.vcpu_count = 0, .pin_cpu = -1};
	struct sim_strategy_config sc = {.seed = 1};
	struct sim_strategy *s = NULL;
	struct sim *sim = NULL;

	ck_assert_int_eq(sim_strategy_create("random", &sc, &s), 0);
	ck_assert_int_eq(sim_create(&sim, &config, s), -EINVAL);
	config.vcpu_count = SIM_VCPU_COUNT_MAX + 1;
	ck_assert_int_eq(sim_create(&sim, &config, s), -EINVAL);
	config.vcpu_count = 1;
	ck_assert_int_eq(sim_create(&sim, &config, NULL), -EINVAL);
	config.mode = (enum sim_mode)(SIM_MODE_STRESS + 1);
	ck_assert_int_eq(sim_create(&sim, &config, s), -EINVAL);
	config.mode = SIM_MODE_DETERMINISTIC;
	config.thread_stack_bytes = 4096;
	ck_assert_int_eq(sim_create(&sim, &config, s), -EINVAL);
	ck_assert_ptr_null(sim);
	sim_strategy_destroy(s);
}
END_TEST

static void limit_spawner(void *arg)
{
	struct world *w = arg;
	struct sim_thread_attr attr = {.kind = SIM_THREAD_TASK, .vcpu = 9, .name = "bad"};

	CHECK_IN_SIM(w->sim, sim_spawn(w->sim, &attr, limit_spawner, w) == SIM_THREAD_NONE);
	attr.kind = SIM_THREAD_IDLE;
	attr.vcpu = 0;
	CHECK_IN_SIM(w->sim, sim_spawn(w->sim, &attr, limit_spawner, w) == SIM_THREAD_NONE);
}

START_TEST(test_engine_spawn_refuses_bad_attributes)
{
	struct world w;

	world_init(&w, 1, SIM_MODE_DETERMINISTIC, "random", 12, 0, 0);
	spawn(&w, SIM_THREAD_HOST, 0, "spawner", limit_spawner);
	ck_assert_int_eq(sim_run(w.sim), 0);
	ck_assert_ptr_null(first_finding(&w));
	world_fini(&w);
}
END_TEST

static void scale_body(void *arg)
{
	struct world *w = arg;

	for (int i = 0; i < 3; i++) {
		sim_point(SIM_POINT_YIELD, "scale");
		if (i == 1)
			sim_sleep_ticks(2);
	}
	__atomic_fetch_add(&w->values[9], 1, __ATOMIC_RELAXED);
}

/* The limits the issue names: 64 vCPUs, 1024 tasks and 16 workers in one run. */
START_TEST(test_engine_runs_at_full_scale)
{
	struct world w;

	world_init(&w, SIM_VCPU_COUNT_MAX, SIM_MODE_DETERMINISTIC, "random", 13, 0, 0);
	for (uint32_t i = 0; i < SIM_TASK_COUNT_MAX; i++)
		spawn(&w, SIM_THREAD_TASK, i % SIM_VCPU_COUNT_MAX, "task", scale_body);
	for (uint32_t i = 0; i < SIM_WORKER_COUNT_MAX; i++)
		spawn(&w, SIM_THREAD_HOST, 0, "worker", scale_body);
	ck_assert_int_eq(sim_run(w.sim), 0);
	ck_assert_ptr_null(first_finding(&w));
	ck_assert_uint_eq(w.values[9], SIM_TASK_COUNT_MAX + SIM_WORKER_COUNT_MAX);
	ck_assert_uint_eq(sim_result(w.sim)->thread_count,
			  SIM_VCPU_COUNT_MAX + SIM_TASK_COUNT_MAX + SIM_WORKER_COUNT_MAX);
	/* One more task than the limit is refused, not clamped. */
	world_fini(&w);
	world_init(&w, 1, SIM_MODE_DETERMINISTIC, "random", 14, 0, 0);
	for (uint32_t i = 0; i < SIM_TASK_COUNT_MAX; i++)
		spawn(&w, SIM_THREAD_TASK, 0, "task", scale_body);
	struct sim_thread_attr attr = {.kind = SIM_THREAD_TASK, .vcpu = 0, .name = "extra"};

	ck_assert_uint_eq(sim_spawn(w.sim, &attr, scale_body, &w), SIM_THREAD_NONE);
	world_fini(&w);
}
END_TEST

static Suite *engine_model_suite(void)
{
	Suite *s = suite_create("engine-model");
	TCase *tc = tcase_create("model");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_engine_sleep_jumps_virtual_time_exactly);
	tcase_add_test(tc, test_engine_timer_fires_once_at_deadline_and_cancel_works);
	tcase_add_test(tc, test_engine_step_bound_ends_runaway_execution);
	tcase_add_test(tc, test_engine_watchdog_reports_no_progress);
	tcase_add_test(tc, test_engine_deadlock_names_each_blocked_thread);
	tcase_add_test(tc, test_engine_one_task_per_vcpu_at_a_time);
	tcase_add_test(tc, test_engine_offline_moves_tasks_to_an_online_vcpu);
	tcase_add_test(tc, test_engine_interrupts_delivered_at_points_and_on_idle_vcpus);
	tcase_add_test(tc, test_engine_halted_task_keeps_its_vcpu);
	tcase_add_test(tc, test_engine_free_run_completes);
	tcase_add_test(tc, test_engine_stress_runs_one_thread_at_a_time);
	tcase_add_test(tc, test_engine_stress_reports_deadlock);
	tcase_add_test(tc, test_engine_rejects_bad_configuration);
	tcase_add_test(tc, test_engine_spawn_refuses_bad_attributes);
	tcase_add_test(tc, test_engine_runs_at_full_scale);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return support_run_suite(engine_model_suite());
}

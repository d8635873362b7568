// SPDX-License-Identifier: MIT
/*
 * Goal: the kernel-core half of kshim keeps the kernel's semantics on the
 * engine. Workqueues: cancel_work_sync() waits for a running work and
 * removes a queued one, flush_work() waits for the queued instance, a work
 * queued while it runs runs again (never twice at once), ordered workqueues
 * keep order, works left at the end are a finding. Boot: early_param()
 * handlers see the command line, initcalls run level by level in link
 * order, errors are logged and the boot goes on, bad command lines are
 * refused before any handler runs. Hotplug: startup callbacks in state
 * order on the CPU itself, teardown in reverse, rollback on failure,
 * _nocalls calls nothing. Reboot: the chain in priority order with the
 * action. Kernel data: statics of a kshim_kernel_library() are back to
 * their initial values in the next execution.
 * Method: kernel-style task and work bodies on 1..4 vCPUs, run for many
 * seeds of the random and PCT strategies; checks inside threads become
 * "test-assertion" findings, checks after the run read the world.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/completion.h>
#include <linux/cpuhotplug.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/workqueue.h>

#include "check_support.h"
#include "core_kernel.h"
#include "sim/kshim.h"
#include "sim/platform.h"
#include "sim/sim.h"
#include "sim/strategy.h"

#define SEED_COUNT 24u
#define VCPU_COUNT_MAX_TEST 4u
#define LOG_SIZE 64u
#define NOTIFIER_COUNT 4u

#define CHECK_IN_SIM(w, cond)                                                       \
	do {                                                                        \
		if (!(cond))                                                        \
			SIM_FAIL((w)->sim, "test-assertion", "%s:%d: %s", __FILE__, \
				 __LINE__, #cond);                                  \
	} while (0)

struct world {
	struct sim *sim;
	struct sim_strategy *strategy;
	struct sim_platform *platform;
	struct kshim *kshim;
	uint64_t leaked_count;
	/* workqueues */
	struct work_struct work_a;
	struct work_struct work_b;
	struct work_struct work_c;
	struct completion a_started;
	struct completion a_go;
	struct completion cancel_entered;
	int running;
	int done;
	int in_work;
	int run_count;
	int count_b;
	int count_c;
	bool cancel_ret;
	bool flush_ret;
	int done_after_cancel;
	char work_order[8];
	int work_order_count;
	struct workqueue_struct *wq;
	/* boot */
	const char *cmdline;
	int boot_ret;
	int boot_ret_second;
	struct core_kernel_view view_before;
	struct core_kernel_view view_after;
	/* hotplug */
	char log[LOG_SIZE];
	int log_count;
	int log_cpu[LOG_SIZE];
	int log_vcpu[LOG_SIZE];
	int log_irqs_off[LOG_SIZE];
	int fail_letter;
	int fail_cpu;
	int state_a;
	int state_b;
	int state_c;
	int ret_a;
	int ret_b;
	int ret_c;
	int ret_online;
	int ret_offline;
	struct completion step_go[VCPU_COUNT_MAX_TEST];
	struct completion step_done[VCPU_COUNT_MAX_TEST];
	int step_ret[VCPU_COUNT_MAX_TEST];
	int step_request[VCPU_COUNT_MAX_TEST];
	/* reboot */
	struct notifier_block nb[NOTIFIER_COUNT];
	int nb_order[NOTIFIER_COUNT * 2];
	int nb_order_count;
	unsigned long nb_action[NOTIFIER_COUNT];
	int nb_stop_index;
	int reboot_ret;
	int reg_ret[NOTIFIER_COUNT + 2];
};

typedef void (*world_setup_fn)(struct world *w);

/* Callbacks of hotplug states and notifiers reach the world through this. */
static struct world *the_world;

/* A static outside the kernel library: never reset (the negative control). */
static int test_file_counter = 7;

static void world_create(struct world *w, const char *strategy_name, uint64_t seed,
			 uint32_t vcpu_count, const struct kshim_config *kconfig, bool platform)
{
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_config config = { .seed = seed, .vcpu_count = vcpu_count, .pin_cpu = -1 };
	uint32_t i;

	memset(w, 0, sizeof(*w));
	the_world = w;
	if (strategy_name != NULL) {
		ck_assert_int_eq(sim_strategy_create(strategy_name, &strategy_config,
						     &w->strategy), 0);
	} else {
		config.mode = SIM_MODE_FREE_RUN;
	}
	ck_assert_int_eq(sim_create(&w->sim, &config, w->strategy), 0);
	if (platform) {
		struct sim_platform_config platform_config = {
			.memory = {
				.gpa_base = 0x40000000ull,
				.page_count = 256,
				.nonresident_ratio = { 0, 1 },
				.pagein_ticks_min = 1,
				.pagein_ticks_max = 1,
				.slow_ratio = { 0, 1 },
			},
		};
		char error[160] = "";

		ck_assert_msg(sim_platform_create(&w->platform, w->sim, &platform_config, error,
						  sizeof(error)) == 0,
			      "%s", error);
	}
	ck_assert_int_eq(kshim_create(&w->kshim, w->sim, kconfig), 0);
	if (platform)
		ck_assert_int_eq(kshim_attach_platform(w->kshim, w->platform), 0);
	init_completion(&w->a_started);
	init_completion(&w->a_go);
	init_completion(&w->cancel_entered);
	for (i = 0; i < VCPU_COUNT_MAX_TEST; i++) {
		init_completion(&w->step_go[i]);
		init_completion(&w->step_done[i]);
	}
	w->fail_letter = -1;
	w->fail_cpu = -1;
	w->nb_stop_index = -1;
}

static const struct sim_result *world_run(struct world *w)
{
	ck_assert_int_eq(sim_run(w->sim), 0);
	w->leaked_count = kshim_finish(w->kshim);
	return sim_result(w->sim);
}

static void world_end(struct world *w)
{
	kshim_destroy(w->kshim);
	sim_destroy(w->sim);
	if (w->platform != NULL)
		sim_platform_destroy(w->platform);
	if (w->strategy != NULL)
		sim_strategy_destroy(w->strategy);
	the_world = NULL;
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

static const char *strategy_of(uint32_t seed_index)
{
	return seed_index % 2 == 0 ? "random" : "pct";
}

/* One execution per seed, each must end without a finding. */
static void run_seeds(uint32_t vcpu_count, const struct kshim_config *kconfig,
		      world_setup_fn setup, void (*after)(struct world *w))
{
	struct world w;
	uint32_t s;

	for (s = 0; s < SEED_COUNT; s++) {
		const struct sim_result *result;

		world_create(&w, strategy_of(s), 1000 + s, vcpu_count, kconfig, false);
		setup(&w);
		result = world_run(&w);
		support_assert_no_finding(result, 1000 + s);
		ck_assert_uint_eq(w.leaked_count, 0);
		if (after != NULL)
			after(&w);
		world_end(&w);
	}
}

/* ---- Workqueues ---- */

/* Work A: running, then blocks until a_go, then done. */
static void work_blocking(struct work_struct *work)
{
	struct world *w = container_of(work, struct world, work_a);

	CHECK_IN_SIM(w, READ_ONCE(w->in_work) == 0);
	WRITE_ONCE(w->in_work, 1);
	WRITE_ONCE(w->running, 1);
	WRITE_ONCE(w->run_count, READ_ONCE(w->run_count) + 1);
	complete(&w->a_started);
	wait_for_completion(&w->a_go);
	WRITE_ONCE(w->done, 1);
	WRITE_ONCE(w->running, 0);
	WRITE_ONCE(w->in_work, 0);
}

static void cancel_sync_task(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_a));
	wait_for_completion(&w->a_started);
	complete(&w->cancel_entered);
	w->cancel_ret = cancel_work_sync(&w->work_a);
	/* The work was running (started, waiting for a_go): cancel must have
	 * waited until it finished. */
	CHECK_IN_SIM(w, READ_ONCE(w->done) == 1);
	CHECK_IN_SIM(w, !w->cancel_ret);
	CHECK_IN_SIM(w, !work_pending(&w->work_a));
}

static void releaser_task(void *arg)
{
	struct world *w = arg;

	wait_for_completion(&w->cancel_entered);
	complete(&w->a_go);
}

static void setup_cancel_sync(struct world *w)
{
	INIT_WORK(&w->work_a, work_blocking);
	(void)kshim_spawn_task(w->kshim, 0, "canceller", cancel_sync_task, w);
	(void)kshim_spawn_task(w->kshim, 1, "releaser", releaser_task, w);
}

START_TEST(test_cancel_work_sync_waits_for_running_work)
{
	run_seeds(2, NULL, setup_cancel_sync, NULL);
}
END_TEST

/* Negative control: cancel_work() does not wait, so the same scenario sees
 * the work unfinished for some seed; the test above would then fail too. */
static void cancel_nosync_task(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_a));
	wait_for_completion(&w->a_started);
	complete(&w->cancel_entered);
	w->cancel_ret = cancel_work(&w->work_a);
	w->done_after_cancel = READ_ONCE(w->done);
	CHECK_IN_SIM(w, !w->cancel_ret);
	flush_work(&w->work_a);
}

static int nosync_unfinished_count;

static void after_cancel_nosync(struct world *w)
{
	nosync_unfinished_count += w->done_after_cancel == 0;
}

static void setup_cancel_nosync(struct world *w)
{
	INIT_WORK(&w->work_a, work_blocking);
	(void)kshim_spawn_task(w->kshim, 0, "canceller", cancel_nosync_task, w);
	(void)kshim_spawn_task(w->kshim, 1, "releaser", releaser_task, w);
}

START_TEST(test_cancel_work_without_sync_does_not_wait)
{
	nosync_unfinished_count = 0;
	run_seeds(2, NULL, setup_cancel_nosync, after_cancel_nosync);
	ck_assert_int_gt(nosync_unfinished_count, 0);
}
END_TEST

static void work_count_b(struct work_struct *work)
{
	struct world *w = container_of(work, struct world, work_b);

	WRITE_ONCE(w->count_b, READ_ONCE(w->count_b) + 1);
}

static void cancel_queued_task(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_a));
	wait_for_completion(&w->a_started);
	/* The only worker is busy with A: B stays queued. */
	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_b));
	CHECK_IN_SIM(w, !queue_work(system_wq, &w->work_b)); /* already pending */
	CHECK_IN_SIM(w, work_pending(&w->work_b));
	CHECK_IN_SIM(w, cancel_work_sync(&w->work_b));
	CHECK_IN_SIM(w, !work_pending(&w->work_b));
	complete(&w->a_go);
	(void)flush_work(&w->work_a); /* false if A ended already */
	CHECK_IN_SIM(w, READ_ONCE(w->done) == 1);
	CHECK_IN_SIM(w, READ_ONCE(w->count_b) == 0);
	/* Cancelled, it can be queued again. */
	CHECK_IN_SIM(w, queue_work(system_unbound_wq, &w->work_b));
	(void)flush_work(&w->work_b); /* false if B ended already */
	CHECK_IN_SIM(w, READ_ONCE(w->count_b) == 1);
	CHECK_IN_SIM(w, !cancel_work_sync(&w->work_b)); /* idle */
}

static void setup_cancel_queued(struct world *w)
{
	INIT_WORK(&w->work_a, work_blocking);
	INIT_WORK(&w->work_b, work_count_b);
	(void)kshim_spawn_task(w->kshim, 0, "canceller", cancel_queued_task, w);
}

START_TEST(test_cancel_work_sync_removes_queued_work)
{
	struct kshim_config kconfig = { .workqueue_worker_count = 1 };

	run_seeds(2, &kconfig, setup_cancel_queued, NULL);
}
END_TEST

/* Work C: a few schedule points, then counts. */
static void work_slow(struct work_struct *work)
{
	struct world *w = container_of(work, struct world, work_c);

	msleep(1);
	cond_resched();
	WRITE_ONCE(w->count_c, READ_ONCE(w->count_c) + 1);
}

static void flush_task(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, !flush_work(&w->work_c)); /* never queued: idle */
	CHECK_IN_SIM(w, schedule_work(&w->work_c));
	CHECK_IN_SIM(w, flush_work(&w->work_c));
	CHECK_IN_SIM(w, READ_ONCE(w->count_c) == 1);
	CHECK_IN_SIM(w, !flush_work(&w->work_c));
	CHECK_IN_SIM(w, schedule_work(&w->work_c));
	CHECK_IN_SIM(w, schedule_work(&w->work_b));
	flush_scheduled_work();
	CHECK_IN_SIM(w, READ_ONCE(w->count_c) == 2);
	CHECK_IN_SIM(w, READ_ONCE(w->count_b) == 1);
}

static void setup_flush(struct world *w)
{
	INIT_WORK(&w->work_b, work_count_b);
	INIT_WORK(&w->work_c, work_slow);
	(void)kshim_spawn_task(w->kshim, 0, "flusher", flush_task, w);
}

START_TEST(test_flush_work_waits_for_queued_work)
{
	run_seeds(2, NULL, setup_flush, NULL);
}
END_TEST

/* Like work_blocking, but only the first run waits for a_go. */
static void work_blocking_once(struct work_struct *work)
{
	struct world *w = container_of(work, struct world, work_a);
	int run = READ_ONCE(w->run_count) + 1;

	CHECK_IN_SIM(w, READ_ONCE(w->in_work) == 0);
	WRITE_ONCE(w->in_work, 1);
	WRITE_ONCE(w->run_count, run);
	if (run == 1) {
		complete(&w->a_started);
		wait_for_completion(&w->a_go);
	}
	cond_resched();
	WRITE_ONCE(w->in_work, 0);
}

static void requeue_task(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_a));
	wait_for_completion(&w->a_started);
	/* Running: PENDING was cleared before the function started. */
	CHECK_IN_SIM(w, !work_pending(&w->work_a));
	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_a));
	CHECK_IN_SIM(w, !queue_work(system_wq, &w->work_a));
	complete(&w->a_go);
	/* Waits for the second instance (if it has not ended yet), which may
	 * not start before the first ended although another worker is idle
	 * (work_blocking_once checks). */
	(void)flush_work(&w->work_a);
	CHECK_IN_SIM(w, READ_ONCE(w->run_count) == 2);
	CHECK_IN_SIM(w, !flush_work(&w->work_a));
}

static void setup_requeue(struct world *w)
{
	INIT_WORK(&w->work_a, work_blocking_once);
	(void)kshim_spawn_task(w->kshim, 0, "requeuer", requeue_task, w);
}

START_TEST(test_work_requeued_while_running_runs_again)
{
	struct kshim_config kconfig = { .workqueue_worker_count = 3 };

	run_seeds(2, &kconfig, setup_requeue, NULL);
}
END_TEST

/* A work that queues itself once more from its own function. */
static void work_self_requeue(struct work_struct *work)
{
	struct world *w = container_of(work, struct world, work_c);
	int count = READ_ONCE(w->count_c) + 1;

	WRITE_ONCE(w->count_c, count);
	if (count == 1)
		CHECK_IN_SIM(w, queue_work(system_wq, work));
}

static void self_requeue_task(void *arg)
{
	struct world *w = arg;
	int round;

	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_c));
	for (round = 0; round < 3 && READ_ONCE(w->count_c) < 2; round++)
		(void)flush_work(&w->work_c);
	CHECK_IN_SIM(w, READ_ONCE(w->count_c) == 2);
}

static void setup_self_requeue(struct world *w)
{
	INIT_WORK(&w->work_c, work_self_requeue);
	(void)kshim_spawn_task(w->kshim, 0, "task", self_requeue_task, w);
}

START_TEST(test_work_requeued_by_itself_runs_again)
{
	run_seeds(1, NULL, setup_self_requeue, NULL);
}
END_TEST

static void work_ordered(struct work_struct *work)
{
	struct world *w = the_world;
	char letter = work == &w->work_a ? 'a' : work == &w->work_b ? 'b' : 'c';

	CHECK_IN_SIM(w, READ_ONCE(w->in_work) == 0);
	WRITE_ONCE(w->in_work, 1);
	cond_resched();
	w->work_order[w->work_order_count++] = letter;
	WRITE_ONCE(w->in_work, 0);
}

static void ordered_task(void *arg)
{
	struct world *w = arg;

	w->wq = alloc_ordered_workqueue("kshim-test", 0);
	CHECK_IN_SIM(w, w->wq != NULL);
	CHECK_IN_SIM(w, queue_work(w->wq, &w->work_a));
	CHECK_IN_SIM(w, queue_work(w->wq, &w->work_b));
	CHECK_IN_SIM(w, queue_work(w->wq, &w->work_c));
	flush_workqueue(w->wq);
	CHECK_IN_SIM(w, w->work_order_count == 3);
	CHECK_IN_SIM(w, memcmp(w->work_order, "abc", 3) == 0);
	destroy_workqueue(w->wq);
}

static void setup_ordered(struct world *w)
{
	INIT_WORK(&w->work_a, work_ordered);
	INIT_WORK(&w->work_b, work_ordered);
	INIT_WORK(&w->work_c, work_ordered);
	(void)kshim_spawn_task(w->kshim, 0, "task", ordered_task, w);
}

START_TEST(test_ordered_workqueue_runs_one_at_a_time_in_order)
{
	struct kshim_config kconfig = { .workqueue_worker_count = 3 };

	run_seeds(1, &kconfig, setup_ordered, NULL);
}
END_TEST

static void pending_at_end_task(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_a));
	wait_for_completion(&w->a_started);
	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_b));
	/* Ends with A running (never released) and B queued behind it. */
}

START_TEST(test_work_left_at_end_is_a_finding)
{
	struct kshim_config kconfig = { .workqueue_worker_count = 1 };
	const struct sim_finding *finding;
	const struct sim_result *result;
	struct world w;

	world_create(&w, "random", 7, 1, &kconfig, false);
	INIT_WORK(&w.work_a, work_blocking);
	INIT_WORK(&w.work_b, work_count_b);
	(void)kshim_spawn_task(w.kshim, 0, "task", pending_at_end_task, &w);
	result = world_run(&w);
	finding = find_class(result, KSHIM_FINDING_WORK_PENDING);
	ck_assert_msg(finding != NULL, "no work-pending finding: %s",
		      support_finding_text(result));
	ck_assert_msg(strstr(finding->message, "1 works queued and 1 running") != NULL, "%s",
		      finding->message);
	ck_assert_uint_eq(kshim_work_queued_count(w.kshim), 1);
	ck_assert_uint_eq(kshim_work_running_count(w.kshim), 1);
	world_end(&w);
}
END_TEST

static void work_flushes_itself(struct work_struct *work)
{
	(void)flush_work(work);
}

static void self_flush_task(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, queue_work(system_wq, &w->work_a));
	(void)flush_work(&w->work_a);
}

START_TEST(test_flush_work_from_itself_is_a_deadlock)
{
	const struct sim_finding *finding;
	const struct sim_result *result;
	struct world w;

	world_create(&w, "random", 3, 1, NULL, false);
	INIT_WORK(&w.work_a, work_flushes_itself);
	(void)kshim_spawn_task(w.kshim, 0, "task", self_flush_task, &w);
	result = world_run(&w);
	finding = find_class(result, SIM_FINDING_DEADLOCK);
	ck_assert_msg(finding != NULL, "%s", support_finding_text(result));
	ck_assert_msg(strstr(finding->message, "flush_work") != NULL, "%s", finding->message);
	world_end(&w);
}
END_TEST

START_TEST(test_worker_count_is_validated)
{
	struct kshim_config kconfig = {
		.workqueue_worker_count = KSHIM_WORKQUEUE_WORKER_COUNT_MAX + 1,
	};
	struct sim_config config = { .seed = 1, .vcpu_count = 1, .pin_cpu = -1 };
	struct sim_strategy_config strategy_config = { .seed = 1 };
	struct sim_strategy *strategy;
	struct kshim *kshim = NULL;
	struct sim *sim;

	ck_assert_int_eq(sim_strategy_create("random", &strategy_config, &strategy), 0);
	ck_assert_int_eq(sim_create(&sim, &config, strategy), 0);
	ck_assert_int_eq(kshim_create(&kshim, sim, &kconfig), -EINVAL);
	kconfig.workqueue_worker_count = KSHIM_WORKQUEUE_WORKER_COUNT_MAX;
	ck_assert_int_eq(kshim_create(&kshim, sim, &kconfig), 0);
	kshim_destroy(kshim);
	sim_destroy(sim);
	sim_strategy_destroy(strategy);
}
END_TEST

/* Free-run mode: real threads; the same guarantees (and TSan food). */
static void free_run_task(void *arg)
{
	struct world *w = arg;
	int round;

	for (round = 0; round < 20; round++) {
		(void)queue_work(system_wq, &w->work_b);
		(void)queue_work(system_wq, &w->work_c);
		if (round % 3 == 0)
			(void)cancel_work_sync(&w->work_b);
		(void)flush_work(&w->work_c);
	}
	(void)flush_work(&w->work_b);
	flush_scheduled_work();
	CHECK_IN_SIM(w, !work_pending(&w->work_b));
	CHECK_IN_SIM(w, !work_pending(&w->work_c));
}

static void work_free_run(struct work_struct *work)
{
	struct world *w = the_world;
	int *counter = work == &w->work_b ? &w->count_b : &w->count_c;

	__atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
}

START_TEST(test_workqueue_in_free_run_mode)
{
	const struct sim_result *result;
	struct world w;

	world_create(&w, NULL, 5, 2, NULL, false);
	INIT_WORK(&w.work_b, work_free_run);
	INIT_WORK(&w.work_c, work_free_run);
	(void)kshim_spawn_task(w.kshim, 0, "task", free_run_task, &w);
	result = world_run(&w);
	support_assert_no_finding(result, 5);
	ck_assert_int_ge(w.count_c, 1);
	ck_assert_int_le(w.count_c, 20);
	ck_assert_uint_eq(kshim_work_queued_count(w.kshim), 0);
	ck_assert_uint_eq(kshim_work_run_count(w.kshim),
			  (uint64_t)(w.count_b + w.count_c));
	world_end(&w);
}
END_TEST

/* ---- Boot ---- */

static void boot_task(void *arg)
{
	struct world *w = arg;

	core_kernel_view(&w->view_before);
	w->boot_ret = kshim_boot(w->kshim, w->cmdline);
	core_kernel_view(&w->view_after);
	w->boot_ret_second = kshim_boot(w->kshim, "");
}

static void boot_once(struct world *w, const char *cmdline, uint64_t seed)
{
	const struct sim_result *result;

	world_create(w, "random", seed, 2, NULL, false);
	w->cmdline = cmdline;
	(void)kshim_spawn_task(w->kshim, 0, "boot", boot_task, w);
	result = world_run(w);
	support_assert_no_finding(result, seed);
}

#define ORDER_ALL "ECASFfgDL"

START_TEST(test_boot_runs_early_params_then_initcalls_in_order)
{
	struct world w;

	boot_once(&w, "  kshim_test.value=\"a b\"\tkshim_test_flag other=1 ", 1);
	ck_assert_int_eq(w.boot_ret, 0);
	ck_assert_int_eq(w.boot_ret_second, -EBUSY);
	ck_assert_int_eq(w.view_before.order_count, 0);
	ck_assert_int_eq(w.view_after.value_count, 1);
	ck_assert_str_eq(w.view_after.value, "a b");
	ck_assert_int_eq(w.view_after.flag_seen, 1); /* '_' matched '-', no value */
	ck_assert_str_eq(w.view_after.order, ORDER_ALL);
	world_end(&w);
}
END_TEST

START_TEST(test_boot_logs_failing_initcall_and_goes_on)
{
	struct world w;

	boot_once(&w, "kshim_test.fail kshim-test-flag=on kshim_test.bad", 2);
	ck_assert_int_eq(w.boot_ret, -ENODEV);
	ck_assert_int_eq(w.view_after.fail_requested, 1);
	ck_assert_int_eq(w.view_after.flag_seen, 2);
	ck_assert_int_eq(w.view_after.bad_count, 1); /* "Malformed early option" */
	ck_assert_str_eq(w.view_after.order, ORDER_ALL);
	world_end(&w);
}
END_TEST

START_TEST(test_boot_stops_at_double_dash)
{
	struct world w;

	boot_once(&w, "kshim-test-flag -- kshim_test.value=zzz", 3);
	ck_assert_int_eq(w.boot_ret, 0);
	ck_assert_int_eq(w.view_after.flag_seen, 1);
	ck_assert_int_eq(w.view_after.value_count, 0);
	world_end(&w);
}
END_TEST

static char long_cmdline[KSHIM_CMDLINE_BYTES_MAX + 1];

static const char *const bad_cmdlines[] = {
	"kshim_test.value=ok \"unterminated",
	"kshim_test.value=\"unterminated",
	"kshim_test.value=ok =x",
	"kshim_test.value=ok a\x01" "b",
	"kshim_test.value=ok \x7f",
	long_cmdline,
	NULL,
};

static void bad_boot_task(void *arg)
{
	struct world *w = arg;

	w->boot_ret = kshim_boot(w->kshim, w->cmdline);
	core_kernel_view(&w->view_after);
	/* A refused line does not count as a boot. */
	w->boot_ret_second = kshim_boot(w->kshim, "kshim_test.value=good");
}

START_TEST(test_boot_refuses_bad_command_lines)
{
	uint32_t i;

	memset(long_cmdline, 'a', KSHIM_CMDLINE_BYTES_MAX);
	long_cmdline[KSHIM_CMDLINE_BYTES_MAX] = '\0';
	for (i = 0; i < sizeof(bad_cmdlines) / sizeof(bad_cmdlines[0]); i++) {
		const struct sim_result *result;
		struct core_kernel_view view;
		struct world w;

		world_create(&w, "random", 10 + i, 1, NULL, false);
		w.cmdline = bad_cmdlines[i];
		(void)kshim_spawn_task(w.kshim, 0, "boot", bad_boot_task, &w);
		result = world_run(&w);
		support_assert_no_finding(result, 10 + i);
		ck_assert_msg(w.boot_ret == -EINVAL, "line %u: %d", i, w.boot_ret);
		ck_assert_int_eq(w.view_after.value_count, 0); /* no handler ran */
		ck_assert_int_eq(w.view_after.order_count, 0); /* no initcall ran */
		ck_assert_int_eq(w.boot_ret_second, 0);
		core_kernel_view(&view);
		ck_assert_str_eq(view.value, "good");
		world_end(&w);
	}
}
END_TEST

static void boot_wrong_place_task(void *arg)
{
	struct world *w = arg;

	w->boot_ret = kshim_boot(w->kshim, "");
}

static void boot_host_thread(void *arg)
{
	struct world *w = arg;

	w->boot_ret_second = kshim_boot(w->kshim, "");
}

START_TEST(test_boot_only_from_a_task_on_vcpu0)
{
	const struct sim_result *result;
	struct world w;

	world_create(&w, "random", 4, 2, NULL, false);
	(void)kshim_spawn_task(w.kshim, 1, "boot", boot_wrong_place_task, &w);
	(void)kshim_spawn_host(w.kshim, "host", false, boot_host_thread, &w);
	result = world_run(&w);
	support_assert_no_finding(result, 4);
	ck_assert_int_eq(w.boot_ret, -EINVAL);
	ck_assert_int_eq(w.boot_ret_second, -EINVAL);
	ck_assert_int_eq(kshim_boot(w.kshim, ""), -EINVAL); /* outside the execution */
	ck_assert_int_eq(kshim_boot(NULL, ""), -EINVAL);
	world_end(&w);
}
END_TEST

/* ---- Kernel data reset ---- */

static void reset_task(void *arg)
{
	struct world *w = arg;

	core_kernel_view(&w->view_before);
	w->boot_ret = kshim_boot(w->kshim, "kshim_test.value=first");
	core_kernel_mutate();
	core_kernel_view(&w->view_after);
	test_file_counter++;
}

static void assert_initial(const struct core_kernel_view *view)
{
	ck_assert_ptr_null(view->value);
	ck_assert_int_eq(view->value_count, 0);
	ck_assert_int_eq(view->order_count, 0);
	ck_assert_int_eq(view->counter, 7);
	ck_assert_int_eq(view->zero, 0);
	ck_assert_int_eq(view->text0, 'i');
	ck_assert_int_eq(view->pointer_initial, 1);
	ck_assert_uint_eq(view->big_last, 0);
	ck_assert_int_eq(view->local_calls, 0);
}

START_TEST(test_kernel_data_is_reset_between_executions)
{
	uint32_t execution;

	ck_assert_uint_gt(kshim_kernel_data_bytes(), 0);
	for (execution = 0; execution < 3; execution++) {
		const struct sim_result *result;
		struct world w;

		world_create(&w, "random", 20 + execution, 1, NULL, false);
		(void)kshim_spawn_task(w.kshim, 0, "task", reset_task, &w);
		result = world_run(&w);
		support_assert_no_finding(result, 20 + execution);
		assert_initial(&w.view_before);
		ck_assert_int_eq(w.boot_ret, 0);
		ck_assert_str_eq(w.view_after.order, ORDER_ALL); /* 'g', never 'h' */
		ck_assert_int_eq(w.view_after.counter, 99);
		ck_assert_int_eq(w.view_after.zero, 5);
		ck_assert_int_eq(w.view_after.text0, 'X');
		ck_assert_int_eq(w.view_after.pointer_initial, 0);
		ck_assert_uint_eq(w.view_after.big_last, 1);
		ck_assert_int_eq(w.view_after.local_calls, 1);
		/* Negative control: an ordinary static keeps counting. */
		ck_assert_int_eq(test_file_counter, 8 + (int)execution);
		world_end(&w);
	}
}
END_TEST

START_TEST(test_two_live_executions_with_kernel_data_are_refused)
{
	struct sim_config config = { .seed = 1, .vcpu_count = 1, .pin_cpu = -1 };
	struct sim_strategy_config strategy_config = { .seed = 1 };
	struct sim_strategy *strategy;
	struct kshim *first, *second = NULL;
	struct sim *sim_first, *sim_second;

	ck_assert_int_eq(sim_strategy_create("random", &strategy_config, &strategy), 0);
	ck_assert_int_eq(sim_create(&sim_first, &config, strategy), 0);
	ck_assert_int_eq(sim_create(&sim_second, &config, strategy), 0);
	ck_assert_int_eq(kshim_create(&first, sim_first, NULL), 0);
	ck_assert_int_eq(kshim_create(&second, sim_second, NULL), -EBUSY);
	kshim_destroy(first);
	ck_assert_int_eq(kshim_create(&second, sim_second, NULL), 0);
	kshim_destroy(second);
	sim_destroy(sim_second);
	sim_destroy(sim_first);
	sim_strategy_destroy(strategy);
}
END_TEST

/* ---- CPU hotplug ---- */

static void log_add(char letter, unsigned int cpu)
{
	struct world *w = the_world;
	int index = w->log_count;

	if (index >= (int)LOG_SIZE - 1)
		return;
	w->log[index] = letter;
	w->log_cpu[index] = (int)cpu;
	w->log_vcpu[index] = sim_self_vcpu();
	w->log_irqs_off[index] = irqs_disabled();
	w->log_count = index + 1;
}

static int hp_callback(char letter, unsigned int cpu)
{
	struct world *w = the_world;

	log_add(letter, cpu);
	CHECK_IN_SIM(w, smp_processor_id() == (int)cpu);
	if (letter == w->fail_letter && (w->fail_cpu < 0 || w->fail_cpu == (int)cpu))
		return -EIO;
	return 0;
}

static int hp_s_up(unsigned int cpu) { return hp_callback('S', cpu); }
static int hp_s_down(unsigned int cpu) { return hp_callback('s', cpu); }
static int hp_a_up(unsigned int cpu) { return hp_callback('A', cpu); }
static int hp_a_down(unsigned int cpu) { return hp_callback('a', cpu); }
static int hp_b_up(unsigned int cpu) { return hp_callback('B', cpu); }
static int hp_b_down(unsigned int cpu) { return hp_callback('b', cpu); }
static int hp_c_up(unsigned int cpu) { return hp_callback('C', cpu); }
static int hp_c_down(unsigned int cpu) { return hp_callback('c', cpu); }

static void log_reset(struct world *w)
{
	memset(w->log, 0, sizeof(w->log));
	w->log_count = 0;
}

enum step_request {
	STEP_ONLINE = 1,
	STEP_OFFLINE,
	STEP_QUIT,
};

/* Task on CPU @arg: runs kshim_cpuhp_online/offline() there on request. */
static void hotplug_step_task(void *arg)
{
	struct world *w = the_world;
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	int round;

	for (round = 0; round < 32; round++) {
		int request;

		wait_for_completion(&w->step_go[cpu]);
		request = READ_ONCE(w->step_request[cpu]);
		if (request == STEP_ONLINE)
			w->step_ret[cpu] = kshim_cpuhp_online(w->kshim, cpu);
		else if (request == STEP_OFFLINE)
			w->step_ret[cpu] = kshim_cpuhp_offline(w->kshim, cpu);
		complete(&w->step_done[cpu]);
		if (request == STEP_QUIT)
			return;
	}
	CHECK_IN_SIM(w, round < 32);
}

/* From the controlling task: one request to @cpu's step task; its result. */
static int hotplug_step(struct world *w, unsigned int cpu, enum step_request request)
{
	WRITE_ONCE(w->step_request[cpu], request);
	complete(&w->step_go[cpu]);
	wait_for_completion(&w->step_done[cpu]);
	return w->step_ret[cpu];
}

static void hotplug_spawn(struct world *w, uint32_t vcpu_count, sim_thread_fn control)
{
	uint32_t cpu;

	(void)kshim_spawn_task(w->kshim, 0, "control", control, w);
	for (cpu = 1; cpu < vcpu_count; cpu++)
		(void)kshim_spawn_task(w->kshim, cpu, "hotplug", hotplug_step_task,
				       (void *)(uintptr_t)cpu);
}

static void hotplug_quit(struct world *w, uint32_t vcpu_count)
{
	uint32_t cpu;

	for (cpu = 1; cpu < vcpu_count; cpu++)
		(void)hotplug_step(w, cpu, STEP_QUIT);
}

static void order_task(void *arg)
{
	struct world *w = arg;
	int i;

	CHECK_IN_SIM(w, cpuhp_setup_state_nocalls(CPUHP_AP_ARM_SDEI_STARTING, "test:starting",
						  hp_s_up, hp_s_down) == 0);
	w->state_a = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "test:a", hp_a_up,
					       hp_a_down);
	w->state_b = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "test:b", hp_b_up,
					       hp_b_down);
	CHECK_IN_SIM(w, w->state_a >= CPUHP_AP_ONLINE_DYN);
	CHECK_IN_SIM(w, w->state_b > w->state_a);
	CHECK_IN_SIM(w, w->state_b < CPUHP_AP_ONLINE_DYN_END);
	CHECK_IN_SIM(w, w->log_count == 0); /* _nocalls calls nothing */
	CHECK_IN_SIM(w, hotplug_step(w, 2, STEP_OFFLINE) == 0);
	CHECK_IN_SIM(w, strcmp(w->log, "bas") == 0);
	CHECK_IN_SIM(w, !kshim_cpuhp_cpu_up(w->kshim, 2));
	for (i = 0; i < w->log_count; i++) {
		CHECK_IN_SIM(w, w->log_cpu[i] == 2 && w->log_vcpu[i] == 2);
		CHECK_IN_SIM(w, w->log_irqs_off[i] == (w->log[i] == 's'));
	}
	log_reset(w);
	CHECK_IN_SIM(w, hotplug_step(w, 2, STEP_OFFLINE) == 0); /* already down */
	CHECK_IN_SIM(w, w->log_count == 0);
	CHECK_IN_SIM(w, hotplug_step(w, 2, STEP_ONLINE) == 0);
	CHECK_IN_SIM(w, strcmp(w->log, "SAB") == 0);
	CHECK_IN_SIM(w, kshim_cpuhp_cpu_up(w->kshim, 2));
	for (i = 0; i < w->log_count; i++)
		CHECK_IN_SIM(w, w->log_irqs_off[i] == (w->log[i] == 'S'));
	log_reset(w);
	cpuhp_remove_state_nocalls(w->state_a);
	cpuhp_remove_state_nocalls(w->state_b);
	cpuhp_remove_state_nocalls(CPUHP_AP_ARM_SDEI_STARTING);
	CHECK_IN_SIM(w, hotplug_step(w, 2, STEP_OFFLINE) == 0);
	CHECK_IN_SIM(w, hotplug_step(w, 2, STEP_ONLINE) == 0);
	CHECK_IN_SIM(w, w->log_count == 0); /* removed: no callback at all */
	hotplug_quit(w, 4);
}

static void setup_order(struct world *w)
{
	hotplug_spawn(w, 4, order_task);
}

START_TEST(test_cpuhp_online_offline_order)
{
	run_seeds(4, NULL, setup_order, NULL);
}
END_TEST

static void calls_task(void *arg)
{
	struct world *w = arg;
	int i;

	w->state_a = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test:calls", hp_a_up, hp_a_down);
	CHECK_IN_SIM(w, w->state_a >= CPUHP_AP_ONLINE_DYN);
	CHECK_IN_SIM(w, strcmp(w->log, "AAAA") == 0);
	for (i = 0; i < 4; i++)
		CHECK_IN_SIM(w, w->log_cpu[i] == i && !w->log_irqs_off[i]);
	log_reset(w);
	cpuhp_remove_state(w->state_a);
	CHECK_IN_SIM(w, strcmp(w->log, "aaaa") == 0);
	for (i = 0; i < 4; i++)
		CHECK_IN_SIM(w, w->log_cpu[i] == i);
	log_reset(w);
	/* Rollback: the startup fails on CPU 2; CPUs 0 and 1 are torn down. */
	w->fail_letter = 'B';
	w->fail_cpu = 2;
	w->state_b = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test:fails", hp_b_up, hp_b_down);
	CHECK_IN_SIM(w, w->state_b == -EIO);
	CHECK_IN_SIM(w, strcmp(w->log, "BBBbb") == 0);
	CHECK_IN_SIM(w, w->log_cpu[3] == 0 && w->log_cpu[4] == 1);
	log_reset(w);
	/* The failed state's number is free again. */
	w->state_c = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "test:c", hp_c_up, hp_c_down);
	CHECK_IN_SIM(w, w->state_c == w->state_a);
	cpuhp_remove_state(w->state_c); /* teardown on each CPU: nocalls is "past" */
	CHECK_IN_SIM(w, strcmp(w->log, "cccc") == 0);
	log_reset(w);
	/* Bad requests. */
	CHECK_IN_SIM(w, cpuhp_setup_state(CPUHP_BP_PREPARE_DYN, "test:bp", hp_a_up, NULL) ==
			-EINVAL);
	CHECK_IN_SIM(w, cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, NULL, hp_a_up, NULL) == -EINVAL);
	CHECK_IN_SIM(w, cpuhp_setup_state_nocalls(CPUHP_AP_ARM_SDEI_STARTING, "x", NULL, NULL) ==
			0);
	CHECK_IN_SIM(w, cpuhp_setup_state_nocalls(CPUHP_AP_ARM_SDEI_STARTING, "y", NULL, NULL) ==
			-EBUSY);
	cpuhp_remove_state_nocalls(CPUHP_AP_ARM_SDEI_STARTING);
	CHECK_IN_SIM(w, kshim_cpuhp_online(w->kshim, 1) == -EINVAL); /* not on CPU 1 */
	CHECK_IN_SIM(w, kshim_cpuhp_offline(w->kshim, 9) == -EINVAL);
	CHECK_IN_SIM(w, w->log_count == 0);
}

START_TEST(test_cpuhp_setup_with_calls_runs_on_each_cpu_and_rolls_back)
{
	struct world w;
	uint32_t s;

	for (s = 0; s < SEED_COUNT; s++) {
		const struct sim_result *result;

		world_create(&w, strategy_of(s), 300 + s, 4, NULL, false);
		(void)kshim_spawn_task(w.kshim, 0, "control", calls_task, &w);
		result = world_run(&w);
		support_assert_no_finding(result, 300 + s);
		world_end(&w);
	}
}
END_TEST

static void rollback_task(void *arg)
{
	struct world *w = arg;

	w->state_a = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "test:a", hp_a_up, hp_a_down);
	w->state_b = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "test:b", hp_b_up, hp_b_down);
	w->state_c = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "test:c", hp_c_up, hp_c_down);
	/* Offline: c, then b fails -> C again; the CPU stays up. */
	w->fail_letter = 'b';
	CHECK_IN_SIM(w, hotplug_step(w, 1, STEP_OFFLINE) == -EIO);
	CHECK_IN_SIM(w, strcmp(w->log, "cbC") == 0);
	CHECK_IN_SIM(w, kshim_cpuhp_cpu_up(w->kshim, 1));
	log_reset(w);
	w->fail_letter = -1;
	CHECK_IN_SIM(w, hotplug_step(w, 1, STEP_OFFLINE) == 0);
	CHECK_IN_SIM(w, strcmp(w->log, "cba") == 0);
	log_reset(w);
	/* Online: A, then B fails -> a; the CPU stays down. */
	w->fail_letter = 'B';
	CHECK_IN_SIM(w, hotplug_step(w, 1, STEP_ONLINE) == -EIO);
	CHECK_IN_SIM(w, strcmp(w->log, "ABa") == 0);
	CHECK_IN_SIM(w, !kshim_cpuhp_cpu_up(w->kshim, 1));
	log_reset(w);
	w->fail_letter = -1;
	CHECK_IN_SIM(w, hotplug_step(w, 1, STEP_ONLINE) == 0);
	CHECK_IN_SIM(w, strcmp(w->log, "ABC") == 0);
	log_reset(w);
	/* The last CPU up cannot go down. */
	CHECK_IN_SIM(w, hotplug_step(w, 1, STEP_OFFLINE) == 0);
	log_reset(w);
	CHECK_IN_SIM(w, kshim_cpuhp_offline(w->kshim, 0) == -EBUSY);
	CHECK_IN_SIM(w, w->log_count == 0);
	CHECK_IN_SIM(w, hotplug_step(w, 1, STEP_ONLINE) == 0);
	cpuhp_remove_state_nocalls(w->state_a);
	cpuhp_remove_state_nocalls(w->state_b);
	cpuhp_remove_state_nocalls(w->state_c);
	hotplug_quit(w, 2);
}

static void setup_rollback(struct world *w)
{
	hotplug_spawn(w, 2, rollback_task);
}

START_TEST(test_cpuhp_online_and_offline_roll_back_on_failure)
{
	run_seeds(2, NULL, setup_rollback, NULL);
}
END_TEST

static void remove_unknown_task(void *arg)
{
	(void)arg;
	cpuhp_remove_state_nocalls(CPUHP_AP_ONLINE_DYN);
}

START_TEST(test_cpuhp_remove_of_unknown_state_warns)
{
	const struct sim_result *result;
	struct world w;

	world_create(&w, "random", 9, 1, NULL, false);
	(void)kshim_spawn_task(w.kshim, 0, "task", remove_unknown_task, NULL);
	result = world_run(&w);
	ck_assert_msg(find_class(result, KSHIM_FINDING_WARN) != NULL, "%s",
		      support_finding_text(result));
	world_end(&w);
}
END_TEST

/* With the platform attached: callbacks run on the CPU's own thread when
 * the platform takes CPUs down and up (PSCI CPU_OFF / CPU_ON). */
static void platform_task(void *arg)
{
	struct world *w = arg;
	int i;

	w->state_a = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test:a", hp_a_up, hp_a_down);
	CHECK_IN_SIM(w, strcmp(w->log, "AA") == 0);
	for (i = 0; i < 2; i++)
		CHECK_IN_SIM(w, w->log_cpu[i] == i && w->log_vcpu[i] == i);
	log_reset(w);
	w->ret_offline = kshim_cpu_down(w->kshim, 1);
	CHECK_IN_SIM(w, w->ret_offline == 0);
	CHECK_IN_SIM(w, strcmp(w->log, "a") == 0 && w->log_vcpu[0] == 1);
	log_reset(w);
	w->ret_online = kshim_cpu_up(w->kshim, 1);
	CHECK_IN_SIM(w, w->ret_online == 0);
	CHECK_IN_SIM(w, strcmp(w->log, "A") == 0 && w->log_vcpu[0] == 1);
	cpuhp_remove_state_nocalls(w->state_a);
}

START_TEST(test_cpuhp_callbacks_run_on_the_cpu_with_platform)
{
	struct world w;
	uint32_t s;

	for (s = 0; s < 8; s++) {
		const struct sim_result *result;

		world_create(&w, strategy_of(s), 400 + s, 2, NULL, true);
		(void)kshim_spawn_task(w.kshim, 0, "control", platform_task, &w);
		result = world_run(&w);
		support_assert_no_finding(result, 400 + s);
		world_end(&w);
	}
}
END_TEST

/* ---- Reboot notifiers ---- */

static int reboot_callback(struct notifier_block *nb, unsigned long action, void *data)
{
	struct world *w = the_world;
	int index = (int)(nb - w->nb);

	CHECK_IN_SIM(w, data == NULL);
	w->nb_order[w->nb_order_count++] = index;
	w->nb_action[index] = action;
	return index == w->nb_stop_index ? NOTIFY_STOP : NOTIFY_DONE;
}

static void reboot_task(void *arg)
{
	struct world *w = arg;
	static const int priorities[NOTIFIER_COUNT] = { 0, 10, 0, -5 };
	static const int expected[NOTIFIER_COUNT] = { 1, 0, 2, 3 };
	uint32_t i;

	for (i = 0; i < NOTIFIER_COUNT; i++) {
		w->nb[i].notifier_call = reboot_callback;
		w->nb[i].priority = priorities[i];
		CHECK_IN_SIM(w, register_reboot_notifier(&w->nb[i]) == 0);
	}
	CHECK_IN_SIM(w, kshim_reboot(w->kshim, SYS_RESTART) == 4);
	CHECK_IN_SIM(w, w->nb_order_count == 4);
	for (i = 0; i < NOTIFIER_COUNT; i++) {
		CHECK_IN_SIM(w, w->nb_order[i] == expected[i]);
		CHECK_IN_SIM(w, w->nb_action[i] == SYS_RESTART);
	}
	/* NOTIFY_STOP from the second one ends the chain. */
	w->nb_order_count = 0;
	w->nb_stop_index = 0;
	CHECK_IN_SIM(w, kshim_reboot(w->kshim, SYS_POWER_OFF) == 2);
	CHECK_IN_SIM(w, w->nb_action[1] == SYS_POWER_OFF && w->nb_action[0] == SYS_POWER_OFF);
	CHECK_IN_SIM(w, w->nb_action[2] == SYS_RESTART);
	/* Unregister, and the errors. */
	w->nb_stop_index = -1;
	w->nb_order_count = 0;
	CHECK_IN_SIM(w, unregister_reboot_notifier(&w->nb[1]) == 0);
	CHECK_IN_SIM(w, unregister_reboot_notifier(&w->nb[1]) == -ENOENT);
	CHECK_IN_SIM(w, kshim_reboot(w->kshim, SYS_HALT) == 3);
	CHECK_IN_SIM(w, w->nb_order[0] == 0 && w->nb_order[1] == 2 && w->nb_order[2] == 3);
	CHECK_IN_SIM(w, w->nb_action[3] == SYS_HALT);
	CHECK_IN_SIM(w, kshim_reboot(w->kshim, 77) == -EINVAL);
	w->reg_ret[0] = register_reboot_notifier(&w->nb[0]); /* twice: WARN */
	for (i = 0; i < NOTIFIER_COUNT; i++)
		(void)unregister_reboot_notifier(&w->nb[i]);
	CHECK_IN_SIM(w, kshim_reboot(w->kshim, SYS_RESTART) == 0);
}

START_TEST(test_reboot_chain_runs_by_priority_with_action)
{
	const struct sim_result *result;
	struct world w;

	world_create(&w, "random", 11, 1, NULL, false);
	(void)kshim_spawn_task(w.kshim, 0, "task", reboot_task, &w);
	result = world_run(&w);
	ck_assert_msg(find_class(result, "test-assertion") == NULL, "%s",
		      support_finding_text(result));
	/* The only finding: the WARN of the double registration. */
	ck_assert_uint_eq(result->finding_count, 1);
	ck_assert_str_eq(result->findings[0].class_name, KSHIM_FINDING_WARN);
	ck_assert_int_eq(w.reg_ret[0], -EEXIST);
	ck_assert_int_eq(kshim_reboot(w.kshim, SYS_RESTART), -EINVAL); /* outside */
	world_end(&w);
}
END_TEST

static Suite *core_suite(void)
{
	Suite *suite = suite_create("kshim_core");
	TCase *wq = tcase_create("workqueue");
	TCase *boot = tcase_create("boot");
	TCase *hotplug = tcase_create("hotplug");
	TCase *reboot = tcase_create("reboot");

	tcase_set_timeout(wq, 300);
	tcase_set_timeout(boot, 300);
	tcase_set_timeout(hotplug, 300);
	tcase_set_timeout(reboot, 300);
	tcase_add_test(wq, test_cancel_work_sync_waits_for_running_work);
	tcase_add_test(wq, test_cancel_work_without_sync_does_not_wait);
	tcase_add_test(wq, test_cancel_work_sync_removes_queued_work);
	tcase_add_test(wq, test_flush_work_waits_for_queued_work);
	tcase_add_test(wq, test_work_requeued_while_running_runs_again);
	tcase_add_test(wq, test_work_requeued_by_itself_runs_again);
	tcase_add_test(wq, test_ordered_workqueue_runs_one_at_a_time_in_order);
	tcase_add_test(wq, test_work_left_at_end_is_a_finding);
	tcase_add_test(wq, test_flush_work_from_itself_is_a_deadlock);
	tcase_add_test(wq, test_worker_count_is_validated);
	tcase_add_test(wq, test_workqueue_in_free_run_mode);
	tcase_add_test(boot, test_boot_runs_early_params_then_initcalls_in_order);
	tcase_add_test(boot, test_boot_logs_failing_initcall_and_goes_on);
	tcase_add_test(boot, test_boot_stops_at_double_dash);
	tcase_add_test(boot, test_boot_refuses_bad_command_lines);
	tcase_add_test(boot, test_boot_only_from_a_task_on_vcpu0);
	tcase_add_test(boot, test_kernel_data_is_reset_between_executions);
	tcase_add_test(boot, test_two_live_executions_with_kernel_data_are_refused);
	tcase_add_test(hotplug, test_cpuhp_online_offline_order);
	tcase_add_test(hotplug, test_cpuhp_setup_with_calls_runs_on_each_cpu_and_rolls_back);
	tcase_add_test(hotplug, test_cpuhp_online_and_offline_roll_back_on_failure);
	tcase_add_test(hotplug, test_cpuhp_remove_of_unknown_state_warns);
	tcase_add_test(hotplug, test_cpuhp_callbacks_run_on_the_cpu_with_platform);
	tcase_add_test(reboot, test_reboot_chain_runs_by_priority_with_action);
	suite_add_tcase(suite, wq);
	suite_add_tcase(suite, boot);
	suite_add_tcase(suite, hotplug);
	suite_add_tcase(suite, reboot);
	return suite;
}

int main(void)
{
	return support_run_suite(core_suite());
}

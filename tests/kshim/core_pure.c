// SPDX-License-Identifier: MIT
/*
 * Goal: outside an execution (pure unit tests of kernel code) the core
 * kernel APIs behave predictably: a queued work runs at once on the caller,
 * a work queued by a running work runs after it (no recursion), cancel and
 * flush find nothing to do, hotplug and reboot registrations are accepted
 * and not recorded, kshim_boot() refuses, bad arguments get -EINVAL, and
 * the notifier errno helpers round-trip.
 * Method: direct calls, no engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <linux/cpuhotplug.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/workqueue.h>

#include "sim/kshim.h"

struct pure_work {
	struct work_struct work;
	int run_count;
	int depth;
	int depth_max;
	int requeue_count;
	bool requeue_ret;
};

static void pure_work_fn(struct work_struct *work)
{
	struct pure_work *p = container_of(work, struct pure_work, work);

	p->depth++;
	if (p->depth > p->depth_max)
		p->depth_max = p->depth;
	p->run_count++;
	if (p->run_count <= p->requeue_count)
		p->requeue_ret = queue_work(system_wq, work);
	p->depth--;
}

static void test_queue_work_runs_at_once(void **state)
{
	struct pure_work p = { .run_count = 0 };

	(void)state;
	INIT_WORK(&p.work, pure_work_fn);
	assert_false(work_pending(&p.work));
	assert_true(queue_work(system_wq, &p.work));
	assert_int_equal(p.run_count, 1);
	assert_false(work_pending(&p.work));
	assert_false(flush_work(&p.work));
	assert_false(cancel_work_sync(&p.work));
	flush_scheduled_work();
}

static void test_requeue_from_work_runs_after_it(void **state)
{
	struct pure_work p = { .requeue_count = 3 };

	(void)state;
	INIT_WORK(&p.work, pure_work_fn);
	assert_true(schedule_work(&p.work));
	assert_int_equal(p.run_count, 4);
	assert_int_equal(p.depth_max, 1); /* one after the other, not nested */
	assert_true(p.requeue_ret);
}

static void test_workqueue_bad_arguments(void **state)
{
	struct work_struct work;

	(void)state;
	INIT_WORK(&work, NULL);
	assert_false(queue_work(system_wq, &work)); /* WARN on stderr */
	assert_false(queue_work(NULL, &work));
	assert_false(flush_work(NULL));
	assert_false(cancel_work(NULL));
}

static void test_alloc_workqueue_outside(void **state)
{
	struct pure_work p = { .run_count = 0 };
	struct workqueue_struct *wq;

	(void)state;
	wq = alloc_workqueue("pure-%d", WQ_UNBOUND, 0, 1);
	assert_non_null(wq);
	INIT_WORK(&p.work, pure_work_fn);
	assert_true(queue_work(wq, &p.work));
	assert_int_equal(p.run_count, 1);
	destroy_workqueue(wq);
}

static int pure_cpu_cb(unsigned int cpu)
{
	(void)cpu;
	fail_msg("no hotplug callback runs outside an execution");
	return 0;
}

static void test_cpuhp_outside(void **state)
{
	(void)state;
	assert_int_equal(cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "pure:a", pure_cpu_cb, NULL),
			 CPUHP_AP_ONLINE_DYN);
	assert_int_equal(cpuhp_setup_state_nocalls(CPUHP_AP_ARM_SDEI_STARTING, "pure:s",
						   pure_cpu_cb, pure_cpu_cb),
			 0);
	assert_int_equal(cpuhp_setup_state(CPUHP_BP_PREPARE_DYN, "pure:bp", pure_cpu_cb, NULL),
			 -EINVAL);
	assert_int_equal(cpuhp_setup_state(CPUHP_ONLINE, "pure:x", pure_cpu_cb, NULL), -EINVAL);
	assert_int_equal(cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, NULL, pure_cpu_cb, NULL),
			 -EINVAL);
	cpuhp_remove_state(CPUHP_AP_ONLINE_DYN);
}

static int pure_reboot_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	(void)nb;
	(void)action;
	(void)data;
	fail_msg("no reboot notifier runs outside an execution");
	return NOTIFY_DONE;
}

static void test_reboot_outside(void **state)
{
	struct notifier_block nb = { .notifier_call = pure_reboot_cb };
	struct notifier_block empty = { .notifier_call = NULL };

	(void)state;
	assert_int_equal(register_reboot_notifier(&nb), 0);
	assert_int_equal(unregister_reboot_notifier(&nb), 0);
	assert_int_equal(register_reboot_notifier(&empty), -EINVAL);
	assert_int_equal(register_reboot_notifier(NULL), -EINVAL);
	assert_int_equal(kshim_reboot(NULL, SYS_RESTART), -EINVAL);
}

static void test_notifier_errno_round_trip(void **state)
{
	int err;

	(void)state;
	assert_int_equal(notifier_from_errno(0), NOTIFY_OK);
	assert_int_equal(notifier_to_errno(NOTIFY_OK), 0);
	assert_int_equal(notifier_to_errno(NOTIFY_DONE), 0);
	for (err = -1; err >= -133; err--) {
		int ret = notifier_from_errno(err);

		assert_true((ret & NOTIFY_STOP_MASK) != 0);
		assert_int_equal(notifier_to_errno(ret), err);
	}
}

static void test_boot_and_hotplug_need_an_execution(void **state)
{
	(void)state;
	assert_int_equal(kshim_boot(NULL, ""), -EINVAL);
	assert_int_equal(kshim_cpuhp_online(NULL, 0), -EINVAL);
	assert_int_equal(kshim_cpuhp_offline(NULL, 0), -EINVAL);
	/* This program links no kshim_kernel_library(). */
	assert_int_equal(kshim_kernel_data_bytes(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_work_runs_at_once),
		cmocka_unit_test(test_requeue_from_work_runs_after_it),
		cmocka_unit_test(test_workqueue_bad_arguments),
		cmocka_unit_test(test_alloc_workqueue_outside),
		cmocka_unit_test(test_cpuhp_outside),
		cmocka_unit_test(test_reboot_outside),
		cmocka_unit_test(test_notifier_errno_round_trip),
		cmocka_unit_test(test_boot_and_hotplug_need_an_execution),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

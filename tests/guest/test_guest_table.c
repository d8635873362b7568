// SPDX-License-Identifier: MIT
/*
 * Goal: the guest's per-CPU waiter table (guestlib/apf_table.c) records,
 * finds and wakes tasks by token exactly as the driver relies on: a task in
 * the table has TIF_ASYNC_PF and its wait queue set, and loses both when
 * woken; token 0 is a token like any other; a duplicate task and a full
 * table are refused without changing the table; an unknown token wakes
 * nobody; wake-all empties the table.
 * Method: cmocka in pure kshim mode (no engine run: locks are flags, wakes
 * only set the state), with task_structs owned by the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/errno.h>
#include <linux/sched.h>

#include "apf_table.h"

#define TASK_COUNT 8

struct fixture {
	struct kvm_apf_table *table;
	struct task_struct tasks[TASK_COUNT];
};

static struct fixture *fixture_make(unsigned int capacity)
{
	struct fixture *f = calloc(1, sizeof(*f));
	size_t size = kvm_apf_table_size(capacity);

	assert_non_null(f);
	assert_true(size > 0);
	f->table = calloc(1, size);
	assert_non_null(f->table);
	assert_int_equal(kvm_apf_table_init(f->table, capacity), 0);
	for (int i = 0; i < TASK_COUNT; i++)
		f->tasks[i].pid = 100 + i;
	return f;
}

static void fixture_free(struct fixture *f)
{
	free(f->table);
	free(f);
}

static bool task_tagged(struct task_struct *task)
{
	return test_tsk_thread_flag(task, TIF_ASYNC_PF);
}

static void test_guest_table_size_and_init_bounds(void **state)
{
	struct kvm_apf_table *table;

	(void)state;
	assert_int_equal(kvm_apf_table_size(0), 0);
	assert_int_equal(kvm_apf_table_size(KVM_APF_TABLE_CAPACITY_MAX + 1), 0);
	assert_int_equal(kvm_apf_table_size(128),
			 sizeof(struct kvm_apf_table) + 128 * sizeof(struct kvm_apf_entry));
	table = calloc(1, kvm_apf_table_size(1));
	assert_non_null(table);
	assert_int_equal(kvm_apf_table_init(table, 0), -EINVAL);
	assert_int_equal(kvm_apf_table_init(table, KVM_APF_TABLE_CAPACITY_MAX + 1), -EINVAL);
	assert_int_equal(kvm_apf_table_init(table, 1), 0);
	assert_int_equal(kvm_apf_table_used(table), 0);
	free(table);
}

static void test_guest_table_add_tags_task(void **state)
{
	struct fixture *f = fixture_make(4);
	struct task_struct *task = NULL;
	u32 token = 0;

	(void)state;
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[0], 0x1001), 0);
	assert_int_equal(kvm_apf_table_used(f->table), 1);
	assert_true(task_tagged(&f->tasks[0]));
	assert_false(task_tagged(&f->tasks[1]));
	/* The first free entry is used, and the task parks on its queue. */
	assert_int_equal(kvm_apf_table_entry(f->table, 0, &token, &task), 0);
	assert_int_equal(token, 0x1001);
	assert_ptr_equal(task, &f->tasks[0]);
	assert_ptr_equal(kvm_apf_task_wq(&f->tasks[0]), &f->table->entries[0].wq);
	assert_int_equal(kvm_apf_table_entry(f->table, 1, NULL, NULL), -ENOENT);
	assert_int_equal(kvm_apf_table_entry(f->table, 4, NULL, NULL), -EINVAL);
	fixture_free(f);
}

static void test_guest_table_wake_by_token(void **state)
{
	struct fixture *f = fixture_make(4);

	(void)state;
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[0], 0x1001), 0);
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[1], 0x2001), 0);
	assert_int_equal(kvm_apf_table_wake(f->table, 0x2001), 1);
	assert_int_equal(kvm_apf_table_used(f->table), 1);
	assert_false(task_tagged(&f->tasks[1]));
	assert_null(kvm_apf_task_wq(&f->tasks[1]));
	assert_true(task_tagged(&f->tasks[0]));
	assert_int_equal(kvm_apf_table_entry(f->table, 1, NULL, NULL), -ENOENT);
	/* The freed entry is reused. */
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[2], 0x3001), 0);
	assert_ptr_equal(kvm_apf_task_wq(&f->tasks[2]), &f->table->entries[1].wq);
	assert_int_equal(kvm_apf_table_wake(f->table, 0x1001), 1);
	assert_int_equal(kvm_apf_table_wake(f->table, 0x3001), 1);
	assert_int_equal(kvm_apf_table_used(f->table), 0);
	fixture_free(f);
}

static void test_guest_table_duplicate_task_refused(void **state)
{
	struct fixture *f = fixture_make(4);
	u32 token = 0;

	(void)state;
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[0], 0x1001), 0);
	/* The same task with another token, then with the same one. */
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[0], 0x2001), -EEXIST);
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[0], 0x1001), -EEXIST);
	assert_int_equal(kvm_apf_table_used(f->table), 1);
	assert_int_equal(kvm_apf_table_entry(f->table, 0, &token, NULL), 0);
	assert_int_equal(token, 0x1001);
	assert_int_equal(kvm_apf_table_wake(f->table, 0x2001), 0);
	assert_true(task_tagged(&f->tasks[0]));
	fixture_free(f);
}

static void test_guest_table_full_refused(void **state)
{
	struct fixture *f = fixture_make(2);

	(void)state;
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[0], 1), 0);
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[1], 2), 0);
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[2], 3), -ENOSPC);
	assert_int_equal(kvm_apf_table_used(f->table), 2);
	assert_false(task_tagged(&f->tasks[2]));
	assert_null(kvm_apf_task_wq(&f->tasks[2]));
	assert_int_equal(kvm_apf_table_wake(f->table, 3), 0);
	/* Room again after one wake. */
	assert_int_equal(kvm_apf_table_wake(f->table, 1), 1);
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[2], 3), 0);
	fixture_free(f);
}

static void test_guest_table_wake_all(void **state)
{
	struct fixture *f = fixture_make(8);

	(void)state;
	for (int i = 0; i < 5; i++)
		assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[i], (u32)i << 12), 0);
	assert_int_equal(kvm_apf_table_wake(f->table, 2 << 12), 1);
	assert_int_equal(kvm_apf_table_wake_all(f->table), 4);
	assert_int_equal(kvm_apf_table_used(f->table), 0);
	for (int i = 0; i < 5; i++) {
		assert_false(task_tagged(&f->tasks[i]));
		assert_null(kvm_apf_task_wq(&f->tasks[i]));
	}
	assert_int_equal(kvm_apf_table_wake_all(f->table), 0);
	fixture_free(f);
}

/* vCPU 0's first token is 0 [R3.2]: it must be found like any other. */
static void test_guest_table_token_zero_is_valid(void **state)
{
	struct fixture *f = fixture_make(4);
	u32 token = 0xdead;

	(void)state;
	/* A free entry's token is 0 too, but it is not a waiter. */
	assert_int_equal(kvm_apf_table_wake(f->table, 0), 0);
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[0], 0x1000), 0);
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[1], 0), 0);
	assert_int_equal(kvm_apf_table_entry(f->table, 1, &token, NULL), 0);
	assert_int_equal(token, 0);
	assert_int_equal(kvm_apf_table_used(f->table), 2);
	assert_int_equal(kvm_apf_table_wake(f->table, 0), 1);
	assert_false(task_tagged(&f->tasks[1]));
	assert_true(task_tagged(&f->tasks[0]));
	assert_int_equal(kvm_apf_table_wake(f->table, 0), 0);
	fixture_free(f);
}

static void test_guest_table_unknown_token_ignored(void **state)
{
	struct fixture *f = fixture_make(4);

	(void)state;
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[0], 0x5002), 0);
	assert_int_equal(kvm_apf_table_wake(f->table, 0x5003), 0);
	assert_int_equal(kvm_apf_table_wake(f->table, 0x6002), 0);
	/* The wake-all value is an ordinary token to kvm_apf_table_wake(). */
	assert_int_equal(kvm_apf_table_wake(f->table, 0xFFFFFFFFu), 0);
	assert_int_equal(kvm_apf_table_used(f->table), 1);
	assert_true(task_tagged(&f->tasks[0]));
	fixture_free(f);
}

/* Two waiters with one token (a host reusing it): one wake frees one. */
static void test_guest_table_same_token_first_match(void **state)
{
	struct fixture *f = fixture_make(4);
	struct task_struct *task = NULL;

	(void)state;
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[0], 7), 0);
	assert_int_equal(kvm_apf_table_add(f->table, &f->tasks[1], 7), 0);
	assert_int_equal(kvm_apf_table_wake(f->table, 7), 1);
	assert_false(task_tagged(&f->tasks[0]));
	assert_true(task_tagged(&f->tasks[1]));
	assert_int_equal(kvm_apf_table_entry(f->table, 1, NULL, &task), 0);
	assert_ptr_equal(task, &f->tasks[1]);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_table_size_and_init_bounds),
		cmocka_unit_test(test_guest_table_add_tags_task),
		cmocka_unit_test(test_guest_table_wake_by_token),
		cmocka_unit_test(test_guest_table_duplicate_task_refused),
		cmocka_unit_test(test_guest_table_full_refused),
		cmocka_unit_test(test_guest_table_wake_all),
		cmocka_unit_test(test_guest_table_token_zero_is_valid),
		cmocka_unit_test(test_guest_table_unknown_token_ignored),
		cmocka_unit_test(test_guest_table_same_token_first_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Test kernel for the kshim core tests: early parameters, one initcall per
 * level (registered out of order, so the level order is what the boot
 * follows) and static variables of every storage kind. Kernel style; built
 * with kshim_kernel_library(), so its data is reset at every execution.
 */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>

#include "core_kernel.h"

static const char *param_value;
static int param_value_count;
static int param_flag_seen;
static int param_bad_count;
static int param_fail;

static char initcall_order[CORE_KERNEL_ORDER_SIZE];
static int initcall_order_count;

static int reset_counter = 7;
static int reset_zero;
static char reset_text[8] = "init";
static int *reset_pointer = &reset_counter;
static unsigned long reset_big[CORE_KERNEL_BIG_COUNT];

static int __init value_param(char *arg)
{
	param_value = arg;
	param_value_count++;
	return 0;
}
early_param("kshim_test.value", value_param);

static int __init flag_param(char *arg)
{
	param_flag_seen = arg == NULL ? 1 : 2;
	return 0;
}
early_param("kshim-test-flag", flag_param);

static int __init bad_param(char *arg)
{
	(void)arg;
	param_bad_count++;
	return -EINVAL;
}
early_param("kshim_test.bad", bad_param);

static int __init fail_param(char *arg)
{
	(void)arg;
	param_fail = 1;
	return 0;
}
early_param("kshim_test.fail", fail_param);

static void order_add(char letter)
{
	if (initcall_order_count < CORE_KERNEL_ORDER_SIZE - 1)
		initcall_order[initcall_order_count++] = letter;
}

static int __init test_late(void)
{
	order_add('L');
	return 0;
}
late_initcall(test_late);

static int __init test_device(void)
{
	order_add('D');
	return 0;
}
module_init(test_device);

static int __init test_fs(void)
{
	order_add('F');
	return param_fail ? -ENODEV : 0;
}
fs_initcall(test_fs);

static int __init test_fs_second(void)
{
	order_add('f');
	return 0;
}
fs_initcall(test_fs_second);

static int __init test_subsys(void)
{
	order_add('S');
	return 0;
}
subsys_initcall(test_subsys);

static int __init test_arch(void)
{
	order_add('A');
	return 0;
}
arch_initcall(test_arch);

static int __init test_core(void)
{
	order_add('C');
	return 0;
}
core_initcall(test_core);

static int __init test_early(void)
{
	order_add('E');
	return 0;
}
early_initcall(test_early);

/**
 * core_kernel_order_add() - append @letter to the initcall log.
 * @letter: one character.
 */
void core_kernel_order_add(char letter)
{
	order_add(letter);
}

static int local_count(int delta)
{
	static int calls;

	calls += delta;
	return calls;
}

/**
 * core_kernel_view() - copy the observed state into @view.
 * @view: filled.
 */
void core_kernel_view(struct core_kernel_view *view)
{
	int i;

	view->value = param_value;
	view->value_count = param_value_count;
	view->flag_seen = param_flag_seen;
	view->bad_count = param_bad_count;
	view->fail_requested = param_fail;
	for (i = 0; i < CORE_KERNEL_ORDER_SIZE; i++)
		view->order[i] = initcall_order[i];
	view->order_count = initcall_order_count;
	view->counter = reset_counter;
	view->zero = reset_zero;
	view->text0 = reset_text[0];
	view->pointer_initial = reset_pointer == &reset_counter;
	view->big_last = reset_big[CORE_KERNEL_BIG_COUNT - 1];
	view->local_calls = local_count(0);
}

/**
 * core_kernel_mutate() - change every static of the data-reset test.
 */
void core_kernel_mutate(void)
{
	reset_counter = 99;
	reset_zero = 5;
	reset_text[0] = 'X';
	reset_pointer = &reset_zero;
	reset_big[CORE_KERNEL_BIG_COUNT - 1] = 1;
	(void)local_count(1);
}

// SPDX-License-Identifier: MIT
/*
 * Second object of the test kernel: nothing references it, so only the
 * whole-archive link keeps its initcall. The initcall must run after the
 * two fs initcalls of core_kernel.c (link order inside a level), and writes
 * 'g' on the first boot of the program's data, 'h' after that: with the
 * data reset, every execution sees 'g'.
 */
#include <linux/init.h>

#include "core_kernel.h"

static int boot_count;

static int __init test_fs_other_object(void)
{
	boot_count++;
	core_kernel_order_add(boot_count == 1 ? 'g' : 'h');
	return 0;
}
fs_initcall(test_fs_other_object);

/* SPDX-License-Identifier: MIT */
/*
 * Interface of the test kernel (core_kernel.c, core_kernel2.c): a kernel
 * half built with kshim_kernel_library() whose early parameters, initcalls
 * and static variables the kshim core tests observe. Plain C types only,
 * so both the kernel files and the tests include it.
 */
#ifndef APFSIM_TEST_KSHIM_CORE_KERNEL_H
#define APFSIM_TEST_KSHIM_CORE_KERNEL_H

#define CORE_KERNEL_ORDER_SIZE 16
#define CORE_KERNEL_BIG_COUNT 64

/* What the tests read back; filled by core_kernel_view(). */
struct core_kernel_view {
	/* early_param */
	const char *value;   /* last "kshim_test.value" */
	int value_count;     /* calls of its handler */
	int flag_seen;       /* "kshim-test-flag": 1 bare, 2 with a value */
	int bad_count;       /* calls of the handler that returns an error */
	int fail_requested;  /* "kshim_test.fail" given */
	/* initcalls, one letter each, in the order they ran */
	char order[CORE_KERNEL_ORDER_SIZE];
	int order_count;
	/* statics for the data-reset test */
	int counter;              /* initialised to 7 */
	int zero;                 /* zero-initialised (.bss) */
	char text0;               /* first char of "init" */
	int pointer_initial;      /* a pointer still designates its initial target */
	unsigned long big_last;   /* last element of a zero array */
	int local_calls;          /* a function-local static */
};

void core_kernel_view(struct core_kernel_view *view);
/* Change every static of the data-reset test. */
void core_kernel_mutate(void);
/* Append @letter to the initcall log (used by core_kernel2.c). */
void core_kernel_order_add(char letter);

#endif /* APFSIM_TEST_KSHIM_CORE_KERNEL_H */

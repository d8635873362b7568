// SPDX-License-Identifier: MIT
/*
 * Goal: register / unregister of the hypercall_page slot have defined
 * results in every edge case of the RFC (xen-shim.md 2.4): a second
 * register is refused and never loses the original page; unregister without
 * register is refused and leaves the active page alone; register /
 * unregister cycles always end on the original page; a page cannot be in
 * two slots; unregister from inside a call on the page is -EDEADLK;
 * nesting is bounded; hypercall numbers beyond the page are refused before
 * any call; pages are unmapped with their last reference (deferred when
 * still registered). The RFC-unsafe mode reproduces the RFC's losses.
 * Method: single-threaded, outside an engine run, with recording entries
 * ("native" and "shim" pages) whose results tell which page ran a call.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "xenshim/xenshim.h"

#define NATIVE_RESULT 0x4e41544956ll /* "NATIV" */
#define SHIM_RESULT 0x5348494dll     /* "SHIM" */

struct fixture {
	struct xenshim_page *native;
	struct xenshim_page *shim;
	struct xenshim_page *other;
	struct xenshim_lcall *slot;
	uint64_t native_calls;
	uint64_t shim_calls;
	/* what the shim entry does besides returning */
	int action;
	long action_result;
	unsigned int nest_left;
	uint64_t live_before;
};

enum { ACTION_NONE, ACTION_UNREGISTER, ACTION_NEST };

static struct fixture *fx;

static long native_entry(void *ctx, const struct xenshim_regs *regs)
{
	struct fixture *f = ctx;

	(void)regs;
	f->native_calls++;
	return NATIVE_RESULT;
}

static long shim_entry(void *ctx, const struct xenshim_regs *regs)
{
	struct fixture *f = ctx;

	f->shim_calls++;
	if (f->action == ACTION_UNREGISTER)
		f->action_result = xenshim_unregister(f->slot);
	if (f->action == ACTION_NEST && f->nest_left > 0) {
		long r;

		f->nest_left--;
		r = xenshim_hypercall(f->slot, (uint32_t)regs->nr, 0, 0, 0, 0, 0);
		if (r < 0)
			f->action_result = r;
	}
	return SHIM_RESULT;
}

static int setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	f.live_before = xenshim_page_live_count();
	assert_int_equal(xenshim_page_create(&f.native, native_entry, &f), 0);
	assert_int_equal(xenshim_page_create(&f.shim, shim_entry, &f), 0);
	assert_int_equal(xenshim_page_create(&f.other, shim_entry, &f), 0);
	assert_int_equal(xenshim_lcall_create(&f.slot, f.native, NULL), 0);
	fx = &f;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xenshim_lcall_destroy(f->slot);
	xenshim_page_put(f->native);
	xenshim_page_put(f->shim);
	xenshim_page_put(f->other);
	xenshim_graveyard_flush();
	assert_int_equal(xenshim_page_live_count(), f->live_before);
	return 0;
}

static long call(struct fixture *f)
{
	return xenshim_hypercall(f->slot, 17, 0, 0, 0, 0, 0);
}

static void test_register_swaps_and_unregister_restores(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(call(f), NATIVE_RESULT);
	assert_false(xenshim_lcall_registered(f->slot));
	assert_int_equal(xenshim_register(f->slot, f->shim), 0);
	assert_true(xenshim_lcall_registered(f->slot));
	assert_ptr_equal(xenshim_lcall_active(f->slot), f->shim);
	assert_ptr_equal(xenshim_lcall_saved(f->slot), f->native);
	assert_int_equal(call(f), SHIM_RESULT);
	assert_int_equal(xenshim_unregister(f->slot), 0);
	assert_ptr_equal(xenshim_lcall_active(f->slot), f->native);
	assert_null(xenshim_lcall_saved(f->slot));
	assert_int_equal(call(f), NATIVE_RESULT);
	assert_int_equal(f->native_calls, 2);
	assert_int_equal(f->shim_calls, 1);
}

static void test_double_register_is_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xenshim_register(f->slot, f->shim), 0);
	assert_int_equal(xenshim_register(f->slot, f->shim), -EBUSY);
	assert_int_equal(xenshim_register(f->slot, f->other), -EBUSY);
	/* Nothing changed: the original is still saved, the shim active. */
	assert_ptr_equal(xenshim_lcall_active(f->slot), f->shim);
	assert_ptr_equal(xenshim_lcall_saved(f->slot), f->native);
	assert_int_equal(xenshim_unregister(f->slot), 0);
	assert_ptr_equal(xenshim_lcall_active(f->slot), f->native);
	assert_int_equal(call(f), NATIVE_RESULT);
}

static void test_unregister_without_register_is_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xenshim_unregister(f->slot), -ENOENT);
	assert_ptr_equal(xenshim_lcall_active(f->slot), f->native);
	assert_int_equal(call(f), NATIVE_RESULT);
	assert_int_equal(xenshim_register(f->slot, f->shim), 0);
	assert_int_equal(xenshim_unregister(f->slot), 0);
	assert_int_equal(xenshim_unregister(f->slot), -ENOENT);
	assert_ptr_equal(xenshim_lcall_active(f->slot), f->native);
	assert_int_equal(call(f), NATIVE_RESULT);
}

static void test_cycles_end_on_the_original(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 5; i++) {
		struct xenshim_page *page = (i % 2) ? f->other : f->shim;

		assert_int_equal(xenshim_register(f->slot, page), 0);
		assert_int_equal(call(f), SHIM_RESULT);
		assert_int_equal(xenshim_unregister(f->slot), 0);
		assert_int_equal(call(f), NATIVE_RESULT);
	}
	assert_ptr_equal(xenshim_lcall_active(f->slot), f->native);
}

static void test_bad_register_arguments(void **state)
{
	struct fixture *f = *state;
	struct xenshim_lcall *second = NULL;
	struct xenshim_lcall_config bad = { .flags = 0x80 };

	assert_int_equal(xenshim_register(NULL, f->shim), -EINVAL);
	assert_int_equal(xenshim_register(f->slot, NULL), -EINVAL);
	/* Registering the active (native) page would save itself. */
	assert_int_equal(xenshim_register(f->slot, f->native), -EINVAL);
	assert_int_equal(xenshim_unregister(NULL), -EINVAL);
	assert_int_equal(xenshim_lcall_create(&second, NULL, &bad), -EINVAL);
	assert_int_equal(xenshim_lcall_create(NULL, NULL, NULL), -EINVAL);
	/* One page, one slot at a time. */
	assert_int_equal(xenshim_lcall_create(&second, f->native, NULL), 0);
	assert_int_equal(xenshim_register(f->slot, f->shim), 0);
	assert_int_equal(xenshim_register(second, f->shim), -EBUSY);
	assert_int_equal(xenshim_unregister(f->slot), 0);
	assert_int_equal(xenshim_register(second, f->shim), 0);
	assert_int_equal(xenshim_unregister(second), 0);
	xenshim_lcall_destroy(second);
	assert_int_equal(xenshim_hypercall(NULL, 17, 0, 0, 0, 0, 0), -EINVAL);
}

static void test_numbers_beyond_the_page_are_refused(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xenshim_hypercall(f->slot, 128, 0, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(xenshim_hypercall(f->slot, UINT32_MAX, 0, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(xenshim_hypercall(f->slot, (uint32_t)-1 - 127, 0, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(f->native_calls, 0);
	assert_int_equal(xenshim_page_calls_total(f->native), 0);
	/* 127 is a stub like any other. */
	assert_int_equal(xenshim_hypercall(f->slot, 127, 0, 0, 0, 0, 0), NATIVE_RESULT);
}

static void test_no_page_means_no_hypervisor(void **state)
{
	struct fixture *f = *state;
	struct xenshim_lcall *bare = NULL;

	assert_int_equal(xenshim_lcall_create(&bare, NULL, NULL), 0);
	assert_int_equal(xenshim_hypercall(bare, 17, 0, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(xenshim_unregister(bare), -ENOENT);
	assert_int_equal(xenshim_register(bare, f->shim), 0);
	assert_int_equal(xenshim_hypercall(bare, 17, 0, 0, 0, 0, 0), SHIM_RESULT);
	assert_int_equal(xenshim_unregister(bare), 0);
	assert_null(xenshim_lcall_active(bare));
	assert_int_equal(xenshim_hypercall(bare, 17, 0, 0, 0, 0, 0), -ENOSYS);
	xenshim_lcall_destroy(bare);
}

static void test_unregister_from_inside_a_call(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xenshim_register(f->slot, f->shim), 0);
	f->action = ACTION_UNREGISTER;
	assert_int_equal(call(f), SHIM_RESULT);
	assert_int_equal(f->action_result, -EDEADLK);
	f->action = ACTION_NONE;
	assert_ptr_equal(xenshim_lcall_active(f->slot), f->shim);
	assert_int_equal(xenshim_unregister(f->slot), 0);
}

static void test_nesting_is_bounded(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xenshim_register(f->slot, f->shim), 0);
	f->action = ACTION_NEST;
	f->nest_left = 10;
	assert_int_equal(call(f), SHIM_RESULT);
	/* Depth 1..XENSHIM_CALL_DEPTH_MAX ran; the next was refused. */
	assert_int_equal(f->shim_calls, XENSHIM_CALL_DEPTH_MAX);
	assert_int_equal(f->action_result, -EDEADLK);
	f->action = ACTION_NONE;
	assert_int_equal(xenshim_unregister(f->slot), 0);
}

/* The creator's reference may go first: the slot keeps the page mapped. */
static void test_unmap_is_deferred_to_the_last_reference(void **state)
{
	struct fixture *f = *state;
	struct xenshim_page *page = NULL;
	uint64_t live;

	assert_int_equal(xenshim_page_create(&page, shim_entry, f), 0);
	live = xenshim_page_live_count();
	assert_int_equal(xenshim_register(f->slot, page), 0);
	xenshim_page_put(page);
	assert_int_equal(xenshim_page_live_count(), live);
	assert_true(xenshim_page_live(page));
	assert_int_equal(call(f), SHIM_RESULT);
	assert_int_equal(xenshim_unregister(f->slot), 0);
	assert_int_equal(xenshim_page_live_count(), live - 1);
	assert_int_equal(call(f), NATIVE_RESULT);
}

/* The RFC's behaviour, reproduced on purpose. */
static void test_rfc_unsafe_mode_loses_pages(void **state)
{
	struct fixture *f = *state;
	struct xenshim_lcall_config rfc = { .flags = XENSHIM_LCALL_RFC_UNSAFE };
	struct xenshim_lcall *slot = NULL;

	assert_int_equal(xenshim_lcall_create(&slot, f->native, &rfc), 0);
	/* Register twice: the shim page saves itself, the original is gone. */
	assert_int_equal(xenshim_register(slot, f->shim), 0);
	assert_int_equal(xenshim_register(slot, f->shim), 0);
	assert_ptr_equal(xenshim_lcall_saved(slot), f->shim);
	assert_int_equal(xenshim_unregister(slot), 0);
	assert_ptr_equal(xenshim_lcall_active(slot), f->shim);
	assert_int_equal(xenshim_hypercall(slot, 17, 0, 0, 0, 0, 0), SHIM_RESULT);
	/* Unregister again: NULL page; a call is a (reported) fault, not a crash. */
	assert_int_equal(xenshim_unregister(slot), 0);
	assert_null(xenshim_lcall_active(slot));
	assert_int_equal(xenshim_hypercall(slot, 17, 0, 0, 0, 0, 0), -EFAULT);
	/* Unregister without register: still "succeeds" as in the RFC. */
	assert_int_equal(xenshim_unregister(slot), 0);
	xenshim_lcall_destroy(slot);
	assert_int_equal(call(f), NATIVE_RESULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_register_swaps_and_unregister_restores, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_double_register_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unregister_without_register_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cycles_end_on_the_original, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_register_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers_beyond_the_page_are_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_page_means_no_hypervisor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unregister_from_inside_a_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nesting_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_is_deferred_to_the_last_reference, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rfc_unsafe_mode_loses_pages, setup, teardown),
	};

	(void)fx;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

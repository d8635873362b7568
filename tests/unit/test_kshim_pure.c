// SPDX-License-Identifier: MIT
/*
 * Goal: the pure parts of the kernel-API shim behave as the kernel's: hash_32
 * gives the golden-ratio values, list/hlist link and unlink, bitops, ERR_PTR,
 * GENMASK, min/max, and kmalloc/kfree and locks work outside an execution;
 * the proto/ headers compile against the shim's <linux/types.h>.
 * Method: cmocka, no engine run (every shim call takes its outside-a-run
 * path); expected values computed by hand in comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/bitops.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "proto/apf.h"
#include "proto/gic.h"
#include "proto/psci.h"
#include "proto/sdei.h"
#include "proto/smccc.h"
#include "proto/xen.h"
#include "proto/xen_evtchn.h"
#include "proto/xen_gnttab.h"

struct item {
	int value;
	struct list_head node;
	struct hlist_node hnode;
};

static void test_kshim_hash_32_matches_kernel(void **state)
{
	(void)state;
	/* 1 * 0x61C88647 = 0x61C88647: all 32 bits, or the top byte 0x61. */
	assert_int_equal(hash_32(1, 32), 0x61C88647u);
	assert_int_equal(hash_32(1, 8), 0x61u);
	/* 2 * 0x61C88647 = 0xC3910C8E: top byte 0xC3. */
	assert_int_equal(hash_32(2, 8), 0xC3u);
	/* 3 * 0x61C88647 = 0x1_2559_92D5, mod 2^32 0x255992D5; top 10 bits
	 * 0b0010010101 = 0x95. */
	assert_int_equal(hash_32(3, 10), 0x95u);
	assert_int_equal(hash_32(0, 12), 0u);
}

static void test_kshim_list_add_del(void **state)
{
	struct item a = { .value = 1 }, b = { .value = 2 }, c = { .value = 3 };
	struct item *pos, *next;
	LIST_HEAD(head);
	int sum = 0, order = 0;

	(void)state;
	assert_true(list_empty(&head));
	list_add_tail(&a.node, &head);
	list_add_tail(&b.node, &head);
	list_add(&c.node, &head); /* c, a, b */
	list_for_each_entry(pos, &head, node)
		order = order * 10 + pos->value;
	assert_int_equal(order, 312);
	list_del(&a.node);
	assert_ptr_equal(a.node.next, LIST_POISON1);
	list_for_each_entry_safe(pos, next, &head, node) {
		sum += pos->value;
		list_del_init(&pos->node);
	}
	assert_int_equal(sum, 5);
	assert_true(list_empty(&head));
}

static void test_kshim_hlist_add_del(void **state)
{
	struct item a = { .value = 1 }, b = { .value = 2 };
	struct hlist_head head = HLIST_HEAD_INIT;
	struct item *pos;
	int order = 0;

	(void)state;
	hlist_add_head(&a.hnode, &head);
	hlist_add_head(&b.hnode, &head);
	hlist_for_each_entry(pos, &head, hnode)
		order = order * 10 + pos->value;
	assert_int_equal(order, 21);
	hlist_del_init(&b.hnode);
	assert_true(hlist_unhashed(&b.hnode));
	assert_ptr_equal(head.first, &a.hnode);
	hlist_del(&a.hnode);
	assert_true(hlist_empty(&head));
}

static void test_kshim_bitops_and_masks(void **state)
{
	DECLARE_BITMAP(map, 130) = { 0 };

	(void)state;
	set_bit(3, map);
	set_bit(129, map);
	assert_true(test_bit(3, map));
	assert_false(test_bit(4, map));
	assert_true(test_bit(129, map));
	assert_true(test_and_clear_bit(3, map));
	assert_false(test_and_set_bit(3, map));
	assert_int_equal(find_first_bit(map, 130), 3);
	clear_bit(3, map);
	assert_int_equal(find_first_bit(map, 130), 129);
	assert_int_equal(find_first_zero_bit(map, 130), 0);
	assert_int_equal(GENMASK(7, 4), 0xf0ul);
	assert_int_equal(GENMASK_ULL(63, 62), 0xc000000000000000ull);
	assert_int_equal(BIT(5), 32ul);
	assert_int_equal(min(3, 7), 3);
	assert_int_equal(max_t(u64, 2, 9), 9);
	assert_int_equal(ARRAY_SIZE(map), 3);
}

static void test_kshim_err_ptr_round_trip(void **state)
{
	void *p = ERR_PTR(-ENOMEM);
	int x = 0;

	(void)state;
	assert_true(IS_ERR(p));
	assert_int_equal(PTR_ERR(p), -ENOMEM);
	assert_false(IS_ERR(&x));
	assert_true(IS_ERR_OR_NULL(NULL));
	assert_int_equal(PTR_ERR_OR_ZERO(&x), 0);
	assert_int_equal(ENOTSUPP, 524);
}

static void test_kshim_kmalloc_outside_run(void **state)
{
	DEFINE_SPINLOCK(lock);
	unsigned long flags;
	u32 *v;

	(void)state;
	v = kcalloc(4, sizeof(*v), GFP_KERNEL);
	assert_non_null(v);
	assert_int_equal(v[3], 0);
	assert_int_equal(ksize(v), 16);
	kfree(v);
	assert_null(kmalloc_array(SIZE_MAX, 2, GFP_KERNEL));
	spin_lock_irqsave(&lock, flags);
	assert_true(spin_is_locked(&lock));
	assert_true(irqs_disabled());
	spin_unlock_irqrestore(&lock, flags);
	assert_false(spin_is_locked(&lock));
	assert_false(irqs_disabled());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kshim_hash_32_matches_kernel),
		cmocka_unit_test(test_kshim_list_add_del),
		cmocka_unit_test(test_kshim_hlist_add_del),
		cmocka_unit_test(test_kshim_bitops_and_masks),
		cmocka_unit_test(test_kshim_err_ptr_round_trip),
		cmocka_unit_test(test_kshim_kmalloc_outside_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

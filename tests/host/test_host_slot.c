// SPDX-License-Identifier: MIT
/*
 * Goal: the gfn slot hash of hostlib/async_pf_slot.c finds what was added,
 * forgets what was removed, keeps every other entry reachable through
 * collisions and backward-shift deletes (also across the wrap-around of the
 * table), holds ASYNC_PF_PER_VCPU entries, and warns on misuse. Method: pure
 * unit tests outside an execution (kshim pure mode), against a reference
 * set, with gfns chosen to collide on the same home slot; a randomized
 * add/remove sequence checks the invariant "a lookup from the home slot
 * meets no empty slot before the entry" after every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/hash.h>
#include <linux/kvm_host.h>

#define SLOTS ASYNC_PF_PER_VCPU
#define EMPTY (~(gfn_t)0)

static struct kvm_vcpu vcpu;

static uint32_t home_of(gfn_t gfn)
{
	return hash_32((uint32_t)gfn, 6);
}

/* gfns whose home slot is @home, starting the search at @from. */
static void gfns_with_home(uint32_t home, gfn_t from, gfn_t *out, uint32_t count)
{
	uint32_t found = 0;
	gfn_t gfn;

	for (gfn = from; found < count && gfn < from + 100000; gfn++) {
		if (home_of(gfn) == home)
			out[found++] = gfn;
	}
	assert_int_equal(found, count);
}

static uint32_t table_count(void)
{
	uint32_t i, count = 0;

	for (i = 0; i < SLOTS; i++)
		count += vcpu.async_pf.gfns[i] != EMPTY;
	return count;
}

/* Every entry is reachable: no empty slot between its home and itself. */
static void assert_probe_invariant(void)
{
	uint32_t i;

	for (i = 0; i < SLOTS; i++) {
		gfn_t gfn = vcpu.async_pf.gfns[i];
		uint32_t key;

		if (gfn == EMPTY)
			continue;
		for (key = home_of(gfn); key != i; key = (key + 1) % SLOTS)
			assert_true(vcpu.async_pf.gfns[key] != EMPTY);
		assert_true(kvm_async_pf_find_slot(&vcpu, gfn));
	}
}

static int setup(void **state)
{
	(void)state;
	memset(&vcpu, 0, sizeof(vcpu));
	kvm_async_pf_reset_slot(&vcpu);
	return 0;
}

static void test_host_slot_reset_empties(void **state)
{
	(void)state;
	assert_int_equal(table_count(), 0);
	assert_false(kvm_async_pf_find_slot(&vcpu, 0));
	assert_false(kvm_async_pf_find_slot(&vcpu, 0x12345));
	kvm_async_pf_add_slot(&vcpu, 7);
	kvm_async_pf_reset_slot(&vcpu);
	assert_false(kvm_async_pf_find_slot(&vcpu, 7));
	assert_int_equal(table_count(), 0);
}

static void test_host_slot_add_find_remove(void **state)
{
	(void)state;
	kvm_async_pf_add_slot(&vcpu, 0x80001);
	kvm_async_pf_add_slot(&vcpu, 0x80002);
	assert_true(kvm_async_pf_find_slot(&vcpu, 0x80001));
	assert_true(kvm_async_pf_find_slot(&vcpu, 0x80002));
	assert_false(kvm_async_pf_find_slot(&vcpu, 0x80003));
	assert_int_equal(vcpu.async_pf.gfns[home_of(0x80001)] == 0x80001 ||
			 vcpu.async_pf.gfns[(home_of(0x80001) + 1) % SLOTS] == 0x80001, 1);
	kvm_async_pf_remove_slot(&vcpu, 0x80001);
	assert_false(kvm_async_pf_find_slot(&vcpu, 0x80001));
	assert_true(kvm_async_pf_find_slot(&vcpu, 0x80002));
	assert_int_equal(table_count(), 1);
}

/* Only the low 32 bits are hashed: gfns 2^32 apart collide. */
static void test_host_slot_high_bits_collide(void **state)
{
	gfn_t low = 0x1234, high = 0x1234 + (1ull << 32);

	(void)state;
	assert_int_equal(home_of(low), home_of(high));
	kvm_async_pf_add_slot(&vcpu, low);
	kvm_async_pf_add_slot(&vcpu, high);
	assert_true(kvm_async_pf_find_slot(&vcpu, low));
	assert_true(kvm_async_pf_find_slot(&vcpu, high));
	kvm_async_pf_remove_slot(&vcpu, low);
	assert_true(kvm_async_pf_find_slot(&vcpu, high));
	assert_false(kvm_async_pf_find_slot(&vcpu, low));
	assert_probe_invariant();
}

/* A run of collisions: removing the head shifts the others back. */
static void test_host_slot_collision_run_backward_shift(void **state)
{
	gfn_t gfns[4];
	uint32_t home = 10;

	(void)state;
	gfns_with_home(home, 1, gfns, 4);
	for (int i = 0; i < 4; i++)
		kvm_async_pf_add_slot(&vcpu, gfns[i]);
	for (int i = 0; i < 4; i++)
		assert_true(vcpu.async_pf.gfns[home + i] == gfns[i]);
	kvm_async_pf_remove_slot(&vcpu, gfns[0]);
	/* Shifted back: the run starts at the home slot again, no hole. */
	assert_true(vcpu.async_pf.gfns[home] == gfns[1]);
	assert_true(vcpu.async_pf.gfns[home + 1] == gfns[2]);
	assert_true(vcpu.async_pf.gfns[home + 2] == gfns[3]);
	assert_true(vcpu.async_pf.gfns[home + 3] == EMPTY);
	for (int i = 1; i < 4; i++)
		assert_true(kvm_async_pf_find_slot(&vcpu, gfns[i]));
	assert_probe_invariant();
}

/* An entry sitting at its own home slot does not move into an earlier hole. */
static void test_host_slot_shift_keeps_entries_at_home(void **state)
{
	gfn_t run[2], at_home[1];

	(void)state;
	gfns_with_home(20, 1, run, 2);       /* slots 20, 21 */
	gfns_with_home(22, 1, at_home, 1);   /* slot 22, its home */
	kvm_async_pf_add_slot(&vcpu, run[0]);
	kvm_async_pf_add_slot(&vcpu, run[1]);
	kvm_async_pf_add_slot(&vcpu, at_home[0]);
	assert_true(vcpu.async_pf.gfns[22] == at_home[0]);
	kvm_async_pf_remove_slot(&vcpu, run[0]);
	assert_true(vcpu.async_pf.gfns[20] == run[1]);
	assert_true(vcpu.async_pf.gfns[21] == EMPTY);
	assert_true(vcpu.async_pf.gfns[22] == at_home[0]);
	assert_probe_invariant();
}

/* Runs that wrap from the last slot to slot 0. */
static void test_host_slot_wrap_around(void **state)
{
	gfn_t gfns[4], other[1];

	(void)state;
	gfns_with_home(SLOTS - 2, 1, gfns, 4); /* slots 62, 63, 0, 1 */
	gfns_with_home(0, 1, other, 1);        /* home 0, lands in slot 2 */
	for (int i = 0; i < 4; i++)
		kvm_async_pf_add_slot(&vcpu, gfns[i]);
	kvm_async_pf_add_slot(&vcpu, other[0]);
	assert_true(vcpu.async_pf.gfns[0] == gfns[2]);
	assert_true(vcpu.async_pf.gfns[2] == other[0]);
	kvm_async_pf_remove_slot(&vcpu, gfns[1]); /* the hole at 63 */
	assert_true(vcpu.async_pf.gfns[63] == gfns[2]);
	assert_true(vcpu.async_pf.gfns[0] == gfns[3]);
	/* other's home 0 is not cyclically in ]hole 1, slot 2]: it moves to 1. */
	assert_true(vcpu.async_pf.gfns[1] == other[0]);
	assert_true(vcpu.async_pf.gfns[2] == EMPTY);
	for (int i = 0; i < 4; i++)
		assert_int_equal(kvm_async_pf_find_slot(&vcpu, gfns[i]), i != 1);
	assert_true(kvm_async_pf_find_slot(&vcpu, other[0]));
	assert_probe_invariant();
}

/* ASYNC_PF_PER_VCPU entries fit; lookups of absent gfns end (full table). */
static void test_host_slot_full_table(void **state)
{
	gfn_t gfn;

	(void)state;
	for (gfn = 0; gfn < SLOTS; gfn++)
		kvm_async_pf_add_slot(&vcpu, 0x40000 + gfn * 7);
	assert_int_equal(table_count(), SLOTS);
	for (gfn = 0; gfn < SLOTS; gfn++)
		assert_true(kvm_async_pf_find_slot(&vcpu, 0x40000 + gfn * 7));
	assert_false(kvm_async_pf_find_slot(&vcpu, 0x99999));
	for (gfn = 0; gfn < SLOTS; gfn += 2)
		kvm_async_pf_remove_slot(&vcpu, 0x40000 + gfn * 7);
	assert_int_equal(table_count(), SLOTS / 2);
	for (gfn = 0; gfn < SLOTS; gfn++)
		assert_int_equal(kvm_async_pf_find_slot(&vcpu, 0x40000 + gfn * 7), gfn % 2);
	assert_probe_invariant();
}

/* A randomized sequence against a reference set (fixed xorshift seed). */
static void test_host_slot_random_against_reference(void **state)
{
	gfn_t reference[SLOTS];
	uint32_t count = 0;
	uint64_t x = 0x9e3779b97f4a7c15ull;

	(void)state;
	for (int step = 0; step < 20000; step++) {
		gfn_t gfn;
		bool present = false;
		bool added = false;
		uint32_t at = 0;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* 256 candidate gfns that collide a lot in 64 slots. */
		gfn = 0x100 + (x % 256);
		for (uint32_t i = 0; i < count; i++) {
			if (reference[i] == gfn) {
				present = true;
				at = i;
			}
		}
		if (present) {
			kvm_async_pf_remove_slot(&vcpu, gfn);
			reference[at] = reference[--count];
		} else if (count < SLOTS) {
			kvm_async_pf_add_slot(&vcpu, gfn);
			reference[count++] = gfn;
			added = true;
		}
		assert_int_equal(table_count(), count);
		assert_int_equal(kvm_async_pf_find_slot(&vcpu, gfn), added);
		if (step % 64 == 0) {
			for (uint32_t i = 0; i < count; i++)
				assert_true(kvm_async_pf_find_slot(&vcpu, reference[i]));
			assert_probe_invariant();
		}
	}
}

/* Removing an absent gfn warns and changes nothing. */
static void test_host_slot_remove_absent_warns(void **state)
{
	(void)state;
	kvm_async_pf_add_slot(&vcpu, 5);
	kvm_async_pf_remove_slot(&vcpu, 6);
	assert_true(kvm_async_pf_find_slot(&vcpu, 5));
	assert_int_equal(table_count(), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_host_slot_reset_empties, setup),
		cmocka_unit_test_setup(test_host_slot_add_find_remove, setup),
		cmocka_unit_test_setup(test_host_slot_high_bits_collide, setup),
		cmocka_unit_test_setup(test_host_slot_collision_run_backward_shift, setup),
		cmocka_unit_test_setup(test_host_slot_shift_keeps_entries_at_home, setup),
		cmocka_unit_test_setup(test_host_slot_wrap_around, setup),
		cmocka_unit_test_setup(test_host_slot_full_table, setup),
		cmocka_unit_test_setup(test_host_slot_random_against_reference, setup),
		cmocka_unit_test_setup(test_host_slot_remove_absent_warns, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

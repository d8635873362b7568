// SPDX-License-Identifier: MIT
/*
 * Goal: guest memory converts between GPAs and host pointers exactly,
 * bounds-checks every entry point (an address outside memory is an error,
 * never a crash), draws residency and page-in latency from its seeds only,
 * keeps the residency map and count consistent, and turns an access to a
 * swapped-out page into one stage-2 fault for the host hook. Method: direct
 * calls outside any execution (page-ins do not sleep there), fixed seeds,
 * and a recording fault hook.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "sim/memory.h"

#define BASE 0x40000000ull
#define PAGE SIM_MEMORY_PAGE_SIZE_BYTES

static struct sim_memory_config config_plain(uint64_t page_count)
{
	return (struct sim_memory_config){
		.gpa_base = BASE,
		.page_count = page_count,
		.pagein_ticks_min = 5,
		.pagein_ticks_max = 9,
	};
}

static struct sim_memory *memory_new(const struct sim_memory_config *config, uint64_t seed)
{
	struct sim_prng residency, latency;
	struct sim_memory *memory = NULL;
	char error[128] = "";

	sim_prng_init(&residency, seed);
	sim_prng_init(&latency, seed + 1000);
	assert_int_equal(sim_memory_create(&memory, config, &residency, &latency, error,
					   sizeof(error)),
			 0);
	assert_non_null(memory);
	return memory;
}

static void expect_invalid(const struct sim_memory_config *config, const char *fragment)
{
	char error[128] = "";

	assert_int_equal(sim_memory_config_check(config, error, sizeof(error)), -EINVAL);
	assert_non_null(strstr(error, fragment));
}

static void test_memory_config_validation(void **unused)
{
	struct sim_memory_config c = config_plain(4);

	(void)unused;
	assert_int_equal(sim_memory_config_check(&c, NULL, 0), 0);
	c.gpa_base = BASE + 8;
	expect_invalid(&c, "aligned");
	c = config_plain(0);
	expect_invalid(&c, "page_count");
	c = config_plain(SIM_MEMORY_PAGE_COUNT_MAX + 1);
	expect_invalid(&c, "page_count");
	c = config_plain(2);
	c.gpa_base = SIM_MEMORY_GPA_LIMIT - PAGE;
	expect_invalid(&c, "IPA");
	c.gpa_base = 0xfffffffffffff000ull;
	expect_invalid(&c, "IPA");
	c = config_plain(1);
	c.gpa_base = SIM_MEMORY_GPA_LIMIT - PAGE;
	assert_int_equal(sim_memory_config_check(&c, NULL, 0), 0);
	c = config_plain(4);
	c.nonresident_ratio = (struct sim_ratio){ 3, 2 };
	expect_invalid(&c, "nonresident_ratio");
	c.nonresident_ratio = (struct sim_ratio){ 1, 0 };
	expect_invalid(&c, "nonresident_ratio");
	c = config_plain(4);
	c.pagein_ticks_min = 10;
	expect_invalid(&c, "pagein ticks");
	c = config_plain(4);
	c.pagein_ticks_max = SIM_MEMORY_PAGEIN_TICKS_MAX + 1;
	expect_invalid(&c, "pagein ticks");
	c = config_plain(4);
	c.slow_ratio = (struct sim_ratio){ 1, 2 };
	c.slow_pagein_ticks_min = 9;
	c.slow_pagein_ticks_max = 3;
	expect_invalid(&c, "slow");
}

static void test_memory_gpa_hva_conversion(void **unused)
{
	struct sim_memory_config c = config_plain(16);
	struct sim_memory *m = memory_new(&c, 1);
	uint8_t *start, *last;
	uint64_t gpa = 0;
	char text[6] = "";

	(void)unused;
	start = sim_memory_gpa_to_hva(m, BASE, 16 * PAGE);
	assert_non_null(start);
	last = sim_memory_gpa_to_hva(m, BASE + 16 * PAGE - 4, 4);
	assert_ptr_equal(last, start + 16 * PAGE - 4);
	assert_int_equal(sim_memory_hva_to_gpa(m, last, &gpa), 0);
	assert_int_equal(gpa, BASE + 16 * PAGE - 4);
	assert_int_equal(sim_memory_hva_to_gpa(m, start + 16 * PAGE, &gpa), -EFAULT);
	assert_int_equal(sim_memory_hva_to_gpa(m, text, &gpa), -EFAULT);
	memcpy(start + 5 * PAGE + 7, "hello", 6);
	assert_int_equal(sim_memory_read(m, BASE + 5 * PAGE + 7, text, 6), 0);
	assert_string_equal(text, "hello");
	assert_int_equal(sim_memory_gpa_base(m), BASE);
	assert_int_equal(sim_memory_page_count(m), 16);
	sim_memory_destroy(m);
}

static void test_memory_bounds_checked_everywhere(void **unused)
{
	struct sim_memory_config c = config_plain(2);
	struct sim_memory *m = memory_new(&c, 2);
	const uint64_t end = BASE + 2 * PAGE;
	uint64_t ticks = 0;
	uint32_t word = 0;
	uint8_t buffer[16] = { 0 };

	(void)unused;
	assert_null(sim_memory_gpa_to_hva(m, end - 4, 8));
	assert_null(sim_memory_gpa_to_hva(m, BASE - 1, 1));
	assert_null(sim_memory_gpa_to_hva(m, end, 0));
	assert_null(sim_memory_gpa_to_hva(m, UINT64_MAX, 2));
	assert_null(sim_memory_gpa_to_hva(m, BASE + 1, UINT64_MAX));
	assert_false(sim_memory_contains(m, 0, 1));
	assert_int_equal(sim_memory_resident(m, end), -EFAULT);
	assert_int_equal(sim_memory_set_resident(m, BASE - PAGE, true), -EFAULT);
	assert_int_equal(sim_memory_pagein_ticks(m, end, &ticks), -EFAULT);
	assert_int_equal(sim_memory_pagein(m, end), -EFAULT);
	assert_int_equal(sim_memory_touch(m, 0, end + 100, SIM_MEMORY_ACCESS_WRITE), -EFAULT);
	assert_int_equal(sim_memory_read_u32(m, end - 2, &word, "x"), -EFAULT);
	assert_int_equal(sim_memory_write_u32(m, end, 1, "x"), -EFAULT);
	assert_int_equal(sim_memory_read_u32(m, BASE + 2, &word, "x"), -EINVAL);
	assert_int_equal(sim_memory_write_u32(m, BASE + 6, 1, "x"), -EINVAL);
	assert_int_equal(sim_memory_read(m, end - 8, buffer, sizeof(buffer)), -EFAULT);
	assert_int_equal(sim_memory_write(m, end - 8, buffer, sizeof(buffer)), -EFAULT);
	assert_int_equal(sim_memory_write(m, end - 16, buffer, sizeof(buffer)), 0);
	assert_int_equal(sim_memory_fault_count(m), 0);
	sim_memory_destroy(m);
}

static void test_memory_u32_accessors(void **unused)
{
	struct sim_memory_config c = config_plain(1);
	struct sim_memory *m = memory_new(&c, 3);
	uint8_t bytes[8] = { 0 };
	uint32_t value = 0;

	(void)unused;
	assert_int_equal(sim_memory_write_u32(m, BASE + 64, 2, "apf reason"), 0);
	assert_int_equal(sim_memory_write_u32(m, BASE + 68, 0x1003, "apf token"), 0);
	assert_int_equal(sim_memory_read_u32(m, BASE + 68, &value, "apf token"), 0);
	assert_int_equal(value, 0x1003);
	/* The words are plain little-endian guest memory. */
	assert_int_equal(sim_memory_read(m, BASE + 64, bytes, sizeof(bytes)), 0);
	assert_int_equal(bytes[0], 2);
	assert_int_equal(bytes[4], 0x03);
	assert_int_equal(bytes[5], 0x10);
	sim_memory_destroy(m);
}

static void test_memory_residency_draw_is_seeded(void **unused)
{
	struct sim_memory_config c = config_plain(4096);
	struct sim_memory *a, *b, *d;
	uint64_t differ = 0, resident;

	(void)unused;
	c.nonresident_ratio = (struct sim_ratio){ 1, 4 };
	a = memory_new(&c, 11);
	b = memory_new(&c, 11);
	d = memory_new(&c, 12);
	resident = sim_memory_resident_count(a);
	assert_true(resident > 2900 && resident < 3250);
	for (uint64_t page = 0; page < 4096; page++) {
		uint64_t gpa = BASE + page * PAGE, ta = 0, tb = 0;

		assert_int_equal(sim_memory_resident(a, gpa), sim_memory_resident(b, gpa));
		assert_int_equal(sim_memory_pagein_ticks(a, gpa, &ta), 0);
		assert_int_equal(sim_memory_pagein_ticks(b, gpa, &tb), 0);
		assert_int_equal(ta, tb);
		differ += sim_memory_resident(a, gpa) != sim_memory_resident(d, gpa);
	}
	assert_true(differ > 0);
	sim_memory_destroy(a);
	sim_memory_destroy(b);
	sim_memory_destroy(d);
	c.nonresident_ratio = (struct sim_ratio){ 0, 0 };
	a = memory_new(&c, 11);
	assert_int_equal(sim_memory_resident_count(a), 4096);
	sim_memory_destroy(a);
	c.nonresident_ratio = (struct sim_ratio){ 1, 1 };
	a = memory_new(&c, 11);
	assert_int_equal(sim_memory_resident_count(a), 0);
	sim_memory_destroy(a);
}

static void test_memory_latency_distribution(void **unused)
{
	struct sim_memory_config c = config_plain(2048);
	struct sim_memory *m;
	uint64_t slow = 0;
	bool seen_min = false, seen_max = false;

	(void)unused;
	c.pagein_ticks_min = 10;
	c.pagein_ticks_max = 20;
	c.slow_ratio = (struct sim_ratio){ 1, 8 };
	c.slow_pagein_ticks_min = 500;
	c.slow_pagein_ticks_max = 600;
	m = memory_new(&c, 5);
	for (uint64_t page = 0; page < 2048; page++) {
		uint64_t ticks = 0;

		assert_int_equal(sim_memory_pagein_ticks(m, BASE + page * PAGE, &ticks), 0);
		if (ticks >= 500) {
			assert_true(ticks <= 600);
			slow++;
		} else {
			assert_true(ticks >= 10 && ticks <= 20);
			seen_min = seen_min || ticks == 10;
			seen_max = seen_max || ticks == 20;
		}
	}
	assert_true(slow > 180 && slow < 340);
	assert_true(seen_min && seen_max);
	sim_memory_destroy(m);
}

static void test_memory_set_resident_keeps_count(void **unused)
{
	struct sim_memory_config c = config_plain(8);
	struct sim_memory *m = memory_new(&c, 6);

	(void)unused;
	assert_int_equal(sim_memory_resident_count(m), 8);
	assert_int_equal(sim_memory_set_resident(m, BASE + 3 * PAGE + 17, false), 0);
	assert_int_equal(sim_memory_set_resident(m, BASE + 3 * PAGE, false), 0);
	assert_int_equal(sim_memory_resident_count(m), 7);
	assert_int_equal(sim_memory_resident(m, BASE + 3 * PAGE + PAGE - 1), 0);
	assert_int_equal(sim_memory_resident(m, BASE + 4 * PAGE), 1);
	assert_int_equal(sim_memory_pagein(m, BASE + 3 * PAGE), 0);
	assert_int_equal(sim_memory_pagein(m, BASE + 3 * PAGE), 1);
	assert_int_equal(sim_memory_resident_count(m), 8);
	sim_memory_destroy(m);
}

struct fault_log {
	uint32_t count;
	uint32_t vcpu;
	uint64_t gpa;
	unsigned int flags;
	enum sim_stage2_result result;
	struct sim_memory *memory;
	bool map;
};

static enum sim_stage2_result fault_record(void *ctx, uint32_t vcpu, uint64_t gpa,
					   unsigned int access_flags)
{
	struct fault_log *log = ctx;

	log->count++;
	log->vcpu = vcpu;
	log->gpa = gpa;
	log->flags = access_flags;
	if (log->map)
		assert_int_equal(sim_memory_set_resident(log->memory, gpa, true), 0);
	return log->result;
}

static void test_memory_touch_raises_stage2_fault(void **unused)
{
	struct sim_memory_config c = config_plain(4);
	struct sim_memory *m = memory_new(&c, 7);
	struct fault_log log = { .result = SIM_STAGE2_ASYNC, .memory = m };
	const uint64_t gpa = BASE + 2 * PAGE + 12;
	const unsigned int user_write = SIM_MEMORY_ACCESS_WRITE | SIM_MEMORY_ACCESS_USER;

	(void)unused;
	sim_memory_set_fault_hook(m, fault_record, &log);
	assert_int_equal(sim_memory_touch(m, 1, gpa, user_write), SIM_MEMORY_TOUCH_RESIDENT);
	assert_int_equal(log.count, 0);
	assert_int_equal(sim_memory_set_resident(m, gpa, false), 0);
	assert_int_equal(sim_memory_touch(m, 1, gpa, user_write), SIM_STAGE2_ASYNC);
	assert_int_equal(log.count, 1);
	assert_int_equal(log.vcpu, 1);
	assert_int_equal(log.gpa, gpa);
	assert_int_equal(log.flags, user_write);
	/* Async: still not mapped, so the retry faults again. */
	assert_int_equal(sim_memory_touch(m, 1, gpa, 0), SIM_STAGE2_ASYNC);
	assert_int_equal(log.flags, 0);
	log.result = SIM_STAGE2_SYNC;
	log.map = true;
	assert_int_equal(sim_memory_touch(m, 0, gpa, 0), SIM_STAGE2_SYNC);
	assert_int_equal(sim_memory_touch(m, 0, gpa, 0), SIM_MEMORY_TOUCH_RESIDENT);
	assert_int_equal(log.count, 3);
	assert_int_equal(sim_memory_fault_count(m), 3);
	/* Without a hook the fault is a synchronous page-in. */
	sim_memory_set_fault_hook(m, NULL, NULL);
	assert_int_equal(sim_memory_set_resident(m, BASE, false), 0);
	assert_int_equal(sim_memory_touch(m, 0, BASE, 0), SIM_STAGE2_SYNC);
	assert_int_equal(sim_memory_resident(m, BASE), 1);
	assert_int_equal(sim_memory_fault_count(m), 4);
	sim_memory_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_config_validation),
		cmocka_unit_test(test_memory_gpa_hva_conversion),
		cmocka_unit_test(test_memory_bounds_checked_everywhere),
		cmocka_unit_test(test_memory_u32_accessors),
		cmocka_unit_test(test_memory_residency_draw_is_seeded),
		cmocka_unit_test(test_memory_latency_distribution),
		cmocka_unit_test(test_memory_set_resident_keeps_count),
		cmocka_unit_test(test_memory_touch_raises_stage2_fault),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

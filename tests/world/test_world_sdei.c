// SPDX-License-Identifier: MIT
/*
 * Goal: the SDEI probe of a world (sim/world/world_sdei.c, bug zoo entry
 * 12) is switched on exactly by the command-line word "apfsim.sdeiprobe",
 * binds a PPI other than the page-ready one, and on the unmodified SDEI
 * dispatcher (sim/sdei.c) each of its rounds sees the event deferred while
 * the PE is masked and dispatched after PE_UNMASK (3 rounds checked per
 * execution), with no finding and every user task finished. Without the
 * word nothing is probed. Method: the parser on chosen command lines;
 * whole executions under random and PCT, 8 seeds.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "sim/strategy.h"
#include "sim/world.h"
#include "check_support.h"
#include "world_sdei.h"

static bool wanted(const char *cmdline)
{
	struct world_config config;

	world_config_default(&config);
	snprintf(config.cmdline, sizeof(config.cmdline), "%s", cmdline);
	return world_sdei_wanted(&config);
}

/* world_cmdline_has(), which both knobs (sdeiprobe, xenshim) use. */
START_TEST(knob_is_one_exact_word)
{
	ck_assert(!wanted(""));
	ck_assert(wanted("apfsim.sdeiprobe"));
	ck_assert(wanted("no-kvmapf apfsim.sdeiprobe"));
	ck_assert(wanted("  apfsim.sdeiprobe  quiet"));
	ck_assert(!wanted("apfsim.sdeiprobex"));
	ck_assert(!wanted("xapfsim.sdeiprobe"));
	ck_assert(!wanted("apfsim.sdei"));
	ck_assert(!world_sdei_wanted(NULL));
	ck_assert(!world_cmdline_has(NULL, "apfsim.sdeiprobe"));
}
END_TEST

START_TEST(intid_avoids_the_page_ready_ppi)
{
	struct world_config config;

	world_config_default(&config);
	for (uint32_t ppi = 16; ppi < 32; ppi++) {
		uint32_t intid;

		config.ppi = ppi;
		intid = world_sdei_intid(&config);
		ck_assert_uint_ne(intid, ppi);
		ck_assert_uint_ge(intid, 16);
		ck_assert_uint_lt(intid, 32);
	}
}
END_TEST

static void run_one(uint64_t seed, const char *strategy_name, const char *cmdline)
{
	struct world_config config;
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_strategy *strategy;
	struct world *world;
	char error[256] = "";

	world_config_default(&config);
	config.seed = seed;
	config.vcpu_count = 2;
	config.task_count = 4;
	config.touch_count = 4;
	config.page_count = 16;
	config.events.count = 0;
	snprintf(config.cmdline, sizeof(config.cmdline), "%s", cmdline);
	ck_assert_int_eq(sim_strategy_create(strategy_name, &strategy_config, &strategy), 0);
	ck_assert_msg(world_create(&world, &config, strategy, error, sizeof(error)) == 0, "%s",
		      error);
	ck_assert_int_eq(world_run(world), 0);
	support_assert_no_finding(sim_result(world_sim(world)), seed);
	ck_assert_uint_eq(world_stats(world)->tasks_finished, config.task_count);
	world_destroy(world);
	sim_strategy_destroy(strategy);
}

START_TEST(masked_rounds_defer_then_dispatch)
{
	for (uint64_t seed = 1; seed <= 8; seed++) {
		unsigned long before = world_sdei_rounds_checked();
		unsigned long skipped = world_sdei_probes_skipped();

		run_one(seed, seed % 2 ? "random" : "pct", "apfsim.sdeiprobe");
		ck_assert_uint_eq(world_sdei_rounds_checked() - before, WORLD_SDEI_ROUNDS);
		ck_assert_uint_eq(world_sdei_probes_skipped(), skipped);
	}
}
END_TEST

START_TEST(off_without_the_word)
{
	unsigned long before = world_sdei_rounds_checked();

	run_one(1, "pct", "");
	ck_assert_uint_eq(world_sdei_rounds_checked(), before);
}
END_TEST

static Suite *world_sdei_suite(void)
{
	Suite *s = suite_create("world_sdei");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, knob_is_one_exact_word);
	tcase_add_test(tc, intid_avoids_the_page_ready_ppi);
	tcase_add_test(tc, masked_rounds_defer_then_dispatch);
	tcase_add_test(tc, off_without_the_word);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return support_run_suite(world_sdei_suite());
}

// SPDX-License-Identifier: MIT
/*
 * Goal: the Xen-shim exercise of a world (sim/world/world_xen.c, bug zoo
 * entry 13) is switched on exactly by the command-line word
 * "apfsim.xenshim", and on the unmodified slot (sim/xenshim/lcall.c) its
 * register / unregister misuse sequences give no finding while every one of
 * their hypercalls is checked (8 per execution) and the rest of the world
 * runs as usual. Without the word nothing is checked. Method: the parser on
 * chosen command lines; whole executions under random and PCT, 4 seeds each.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "sim/strategy.h"
#include "sim/world.h"
#include "check_support.h"
#include "world_xen.h"

#define XEN_CHECKS_PER_RUN 8ul

static bool wanted(const char *cmdline)
{
	struct world_config config;

	world_config_default(&config);
	snprintf(config.cmdline, sizeof(config.cmdline), "%s", cmdline);
	return world_xen_wanted(&config);
}

/* The word matching itself is tested with the SDEI knob (test_world_sdei.c). */
START_TEST(knob_is_one_exact_word)
{
	ck_assert(wanted("no-kvmapf apfsim.xenshim"));
	ck_assert(!wanted("apfsim.xen"));
	ck_assert(!world_xen_wanted(NULL));
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

START_TEST(safe_slot_sequences_are_clean)
{
	for (uint64_t seed = 1; seed <= 8; seed++) {
		unsigned long before = world_xen_checks();

		run_one(seed, seed % 2 ? "random" : "pct", "apfsim.xenshim");
		ck_assert_uint_eq(world_xen_checks() - before, XEN_CHECKS_PER_RUN);
	}
}
END_TEST

START_TEST(off_without_the_word)
{
	unsigned long before = world_xen_checks();

	run_one(1, "pct", "");
	ck_assert_uint_eq(world_xen_checks(), before);
}
END_TEST

static Suite *world_xen_suite(void)
{
	Suite *s = suite_create("world_xen");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, knob_is_one_exact_word);
	tcase_add_test(tc, safe_slot_sequences_are_clean);
	tcase_add_test(tc, off_without_the_word);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return support_run_suite(world_xen_suite());
}

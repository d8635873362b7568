/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the Check scenario tests (tests/sim/): spawning a thread
 * that must succeed, asserting an execution ended without a finding, and the
 * suite runner.
 */
#ifndef APFSIM_TEST_CHECK_SUPPORT_H
#define APFSIM_TEST_CHECK_SUPPORT_H

#include <check.h>
#include <stdint.h>

#include "sim/sim.h"

/* sim_spawn() that fails the test when the thread cannot be created. */
uint32_t support_spawn(struct sim *sim, enum sim_thread_kind kind, uint32_t vcpu,
		       const char *name, sim_thread_fn fn, void *arg);

/* Fail the test, naming the seed and the first finding, if there is one. */
void support_assert_no_finding(const struct sim_result *result, uint64_t seed);

/* The first finding's "class: message", or "" (for failure messages). */
const char *support_finding_text(const struct sim_result *result);

/*
 * Run @suite in Check's default fork mode (each test in its own process;
 * CK_FORK=no in the environment runs in-process for a debugger).
 * Return: EXIT_SUCCESS or EXIT_FAILURE, for main().
 */
int support_run_suite(Suite *suite);

#endif /* APFSIM_TEST_CHECK_SUPPORT_H */

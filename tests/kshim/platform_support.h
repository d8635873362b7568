/* SPDX-License-Identifier: MIT */
/*
 * Shared scaffolding of the kshim-on-platform scenario tests: one execution
 * with an engine, a platform (guest memory resident unless a test says
 * otherwise) and a kshim attached to it.
 */
#ifndef APFSIM_TEST_KSHIM_PLATFORM_SUPPORT_H
#define APFSIM_TEST_KSHIM_PLATFORM_SUPPORT_H

#include <stdint.h>

#include "sim/kshim.h"
#include "sim/platform.h"
#include "sim/sim.h"
#include "sim/strategy.h"

#define PLAT_GPA_BASE 0x40000000ull
#define PLAT_PAGE_COUNT 256u
/* The PPI the scenarios use (the async-PF page-ready PPI's usual INTID). */
#define PLAT_TEST_PPI 27u

#define CHECK_IN_SIM(sim_, cond)                                                     \
	do {                                                                         \
		if (!(cond))                                                         \
			SIM_FAIL((sim_), "test-assertion", "%s:%d: %s", __FILE__,    \
				 __LINE__, #cond);                                   \
	} while (0)

struct plat_env {
	struct sim *sim;
	struct sim_strategy *strategy;
	struct sim_platform *platform;
	struct kshim *kshim;
	uint64_t leaked_count;
};

/* Engine, platform, kshim, attach; @pagein_ticks: latency of every page. */
void plat_env_create(struct plat_env *env, const char *strategy_name, uint64_t seed,
		     uint32_t vcpu_count, uint64_t pagein_ticks);
/* sim_run() and kshim_finish(); the result. */
const struct sim_result *plat_env_run(struct plat_env *env);
void plat_env_destroy(struct plat_env *env);
/* A finding of class @name, or NULL. */
const struct sim_finding *plat_find_class(const struct sim_result *result, const char *name);

#endif /* APFSIM_TEST_KSHIM_PLATFORM_SUPPORT_H */

// SPDX-License-Identifier: MIT
/* Scaffolding of the kshim-on-platform scenario tests; see platform_support.h. */
#include <check.h>
#include <string.h>

#include "platform_support.h"

void plat_env_create(struct plat_env *env, const char *strategy_name, uint64_t seed,
		     uint32_t vcpu_count, uint64_t pagein_ticks)
{
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_config config = { .seed = seed, .vcpu_count = vcpu_count, .pin_cpu = -1 };
	struct sim_platform_config platform_config = {
		.memory = {
			.gpa_base = PLAT_GPA_BASE,
			.page_count = PLAT_PAGE_COUNT,
			.nonresident_ratio = { 0, 1 },
			.pagein_ticks_min = pagein_ticks,
			.pagein_ticks_max = pagein_ticks,
			.slow_ratio = { 0, 1 },
		},
	};
	char error[160] = "";

	memset(env, 0, sizeof(*env));
	ck_assert_int_eq(sim_strategy_create(strategy_name, &strategy_config, &env->strategy), 0);
	ck_assert_int_eq(sim_create(&env->sim, &config, env->strategy), 0);
	ck_assert_msg(sim_platform_create(&env->platform, env->sim, &platform_config, error,
					  sizeof(error)) == 0,
		      "%s", error);
	ck_assert_int_eq(kshim_create(&env->kshim, env->sim, NULL), 0);
	ck_assert_int_eq(kshim_attach_platform(env->kshim, env->platform), 0);
}

const struct sim_result *plat_env_run(struct plat_env *env)
{
	ck_assert_int_eq(sim_run(env->sim), 0);
	env->leaked_count = kshim_finish(env->kshim);
	return sim_result(env->sim);
}

void plat_env_destroy(struct plat_env *env)
{
	kshim_destroy(env->kshim);
	sim_destroy(env->sim);
	sim_platform_destroy(env->platform);
	sim_strategy_destroy(env->strategy);
}

const struct sim_finding *plat_find_class(const struct sim_result *result, const char *name)
{
	uint32_t i;

	for (i = 0; i < result->finding_count && i < SIM_FINDING_COUNT_MAX; i++) {
		if (strcmp(result->findings[i].class_name, name) == 0)
			return &result->findings[i];
	}
	return NULL;
}

// SPDX-License-Identifier: MIT
/* Helpers shared by the Check scenario tests; see check_support.h. */
#include <stdio.h>
#include <stdlib.h>

#include "check_support.h"

uint32_t support_spawn(struct sim *sim, enum sim_thread_kind kind, uint32_t vcpu,
		       const char *name, sim_thread_fn fn, void *arg)
{
	struct sim_thread_attr attr = {.kind = kind, .vcpu = vcpu, .name = name};
	uint32_t id = sim_spawn(sim, &attr, fn, arg);

	ck_assert_uint_ne(id, SIM_THREAD_NONE);
	return id;
}

const char *support_finding_text(const struct sim_result *result)
{
	static char text[SIM_FINDING_MESSAGE_SIZE + 64];

	if (result->finding_count == 0)
		return "";
	snprintf(text, sizeof(text), "%s: %s", result->findings[0].class_name,
		 result->findings[0].message);
	return text;
}

void support_assert_no_finding(const struct sim_result *result, uint64_t seed)
{
	if (result->finding_count != 0)
		ck_abort_msg("seed %llu: finding %s", (unsigned long long)seed,
			     support_finding_text(result));
}

int support_run_suite(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

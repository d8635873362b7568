// SPDX-License-Identifier: MIT
/*
 * Goal: inside a running execution, the SDEI dispatcher reports client bugs
 * as engine findings ("sdei-no-complete", "sdei-call-after-complete") and
 * traces every handler state change as SIM_TRACE_SDEI events.
 * Method: one execution with the round-robin strategy and one guest task on
 * vCPU 0; the task plays the platform (fake_call() / sim_sdei_dispatch())
 * with handler scripts that forget to complete or call after completing;
 * then the result's findings and the trace ring are checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "sim/sim.h"
#include "sim/strategy.h"
#include "sim/trace.h"
#include "test_sdei_fake.c"

#define EV_APF 0x40400001u

static void handler_forgets(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	(void)f;
	(void)vcpu;
	(void)event;
	(void)data;
}

static void handler_calls_after_complete(struct fake *f, uint32_t vcpu, uint32_t event,
					 void *data)
{
	(void)event;
	(void)data;
	fake_complete(f, vcpu);
	fake_complete(f, vcpu);
}

/* Runs on an engine thread: no cmocka asserts here, results go to task_results. */
static int64_t task_results[3];

static void task_platform(void *arg)
{
	struct fake *f = arg;

	fake_script_set(f, EV_APF, handler_forgets, NULL);
	task_results[0] = fake_arm(f, 0, EV_APF);
	task_results[1] = sim_sdei_signal(f->sdei, 0, EV_APF);
	(void)sim_sdei_dispatch(f->sdei, 0);
	fake_script_set(f, EV_APF, handler_calls_after_complete, NULL);
	task_results[2] = sim_sdei_signal(f->sdei, 0, EV_APF);
	(void)sim_sdei_dispatch(f->sdei, 0);
}

static bool finding_present(const struct sim_result *result, const char *class_name)
{
	uint32_t i;

	for (i = 0; i < result->finding_count && i < SIM_FINDING_COUNT_MAX; i++) {
		if (strcmp(result->findings[i].class_name, class_name) == 0)
			return true;
	}
	return false;
}

static void test_sdei_engine_reports_findings_and_traces(void **state)
{
	static struct sim_trace_event events[512];
	struct sim_strategy_config strategy_config = { .seed = 1 };
	struct sim_config config = { .seed = 1, .vcpu_count = 1, .pin_cpu = -1 };
	struct sim_thread_attr attr = { .kind = SIM_THREAD_TASK, .name = "platform" };
	struct sim_strategy *strategy;
	const struct sim_result *result;
	struct fake f;
	struct sim *sim;
	uint64_t count;
	uint64_t i;
	uint32_t transitions = 0;

	(void)state;
	assert_int_equal(fake_init(&f, 1, FAKE_HOOKS_ALL), 0);
	assert_int_equal(sim_sdei_event_define(f.sdei, EV_APF, SIM_SDEI_EVENT_PRIVATE,
					       SIM_SDEI_PRIORITY_CRITICAL, false), 0);
	assert_int_equal(sim_strategy_create("rr", &strategy_config, &strategy), 0);
	assert_int_equal(sim_create(&sim, &config, strategy), 0);
	assert_int_not_equal(sim_spawn(sim, &attr, task_platform, &f), SIM_THREAD_NONE);
	assert_int_equal(sim_run(sim), 0);
	result = sim_result(sim);
	assert_int_equal(task_results[0], 0);
	assert_int_equal(task_results[1], 0);
	assert_int_equal(task_results[2], 0);
	assert_true(finding_present(result, "sdei-no-complete"));
	assert_true(finding_present(result, "sdei-call-after-complete"));
	assert_int_equal(sim_sdei_stats(f.sdei)->no_complete_count, 1);
	assert_int_equal(sim_sdei_depth(f.sdei, 0), 0);
	count = sim_trace_snapshot(sim, events, 512);
	for (i = 0; i < count; i++) {
		if (events[i].kind == SIM_TRACE_SDEI && events[i].a == EV_APF &&
		    strcmp(events[i].label, "sdei: dispatch") == 0) {
			/* b = pe << 16 | old << 8 | new: rEG_ (3) => REG_ (7) on PE 0. */
			assert_int_equal(events[i].b, (3u << 8) | 7u);
			transitions++;
		}
	}
	assert_int_equal(transitions, 2);
	sim_destroy(sim);
	sim_strategy_destroy(strategy);
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdei_engine_reports_findings_and_traces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

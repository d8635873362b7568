// SPDX-License-Identifier: MIT
/*
 * Goal: scenario files are parsed and validated as docs/scenario-format.md
 * says: every built-in parses and round-trips through scenario_to_json();
 * missing fields take the documented defaults; each bad input is refused
 * with -EINVAL and a message naming the exact field; files that are
 * missing, directories, empty or too big get their errno and a message.
 * Method: cmocka on the pure parser (no engine run); bad inputs from a
 * table, each with the message prefix it must produce; files written to a
 * private mkdtemp() directory that is removed at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scenario.h"
#include "sim/strategy.h"
#include "sim/world_oracle.h"

#define ERROR_BYTES 1024

static int parse_text(const char *text, struct scenario *s, char *error)
{
	return scenario_parse(text, strlen(text), "t.json", s, error, ERROR_BYTES);
}

static void assert_round_trip(const struct scenario *s)
{
	struct scenario again;
	char error[ERROR_BYTES];
	char *text = NULL;
	char *text_again = NULL;

	assert_int_equal(scenario_to_json(s, &text), 0);
	assert_non_null(text);
	memset(&again, 0xa5, sizeof(again));
	if (scenario_parse(text, strlen(text), "round-trip.json", &again, error, sizeof(error)))
		fail_msg("canonical JSON does not parse: %s\n%s", error, text);
	assert_memory_equal(s, &again, sizeof(again));
	/* Canonical: the same scenario gives the same text. */
	assert_int_equal(scenario_to_json(&again, &text_again), 0);
	assert_string_equal(text, text_again);
	free(text);
	free(text_again);
}

static void test_builtins_parse_and_round_trip(void **state)
{
	const char *const *names = scenario_builtin_names();
	char error[ERROR_BYTES];
	size_t count = 0;

	(void)state;
	assert_non_null(names);
	assert_non_null(names[0]);
	assert_string_equal(names[0], "default");
	for (size_t i = 0; names[i] != NULL; i++) {
		struct scenario s;
		const char *text = scenario_builtin_text(names[i]);

		assert_non_null(text);
		if (scenario_builtin(names[i], &s, error, sizeof(error)) != 0)
			fail_msg("builtin %s: %s", names[i], error);
		/* The file's "name" is its file name. */
		assert_string_equal(s.name, names[i]);
		assert_true(s.description[0] != '\0');
		assert_ptr_not_equal(sim_strategy_find(s.strategy), NULL);
		assert_round_trip(&s);
		count++;
	}
	assert_true(count >= 7);
	assert_null(scenario_builtin_text("no-such-builtin"));
}

static void load_builtin(const char *name, struct scenario *s)
{
	char error[ERROR_BYTES];

	if (scenario_builtin(name, s, error, sizeof(error)) != 0)
		fail_msg("builtin %s: %s", name, error);
}

static void test_builtins_have_their_shape(void **state)
{
	struct scenario s;

	(void)state;
	load_builtin("default", &s);
	assert_int_equal(s.world.vcpu_count, 4);
	assert_int_equal(s.world.task_count, 16);
	assert_int_equal(s.world.touch_count, 16);
	assert_int_equal(s.world.page_count, 256);
	assert_int_equal(s.world.nonresident_ratio.numerator * 2,
			 s.world.nonresident_ratio.denominator);
	assert_int_equal(s.world.events.class_mask, WORLD_EVENT_CLASS_ALL);
	assert_true(s.world.events.count > 0);
	assert_int_equal(s.world.inject_mask, WORLD_INJECT_ALL);
	assert_true(s.swarm);
	assert_string_equal(s.strategy, "pct");
	assert_int_equal(s.executions, 200);

	load_builtin("smoke", &s);
	assert_int_equal(s.executions, 20);

	/* 512 faults: every touch of every task faults once. */
	load_builtin("standard", &s);
	assert_int_equal(s.world.vcpu_count, 4);
	assert_int_equal(s.world.task_count, 64);
	assert_int_equal(s.world.task_count * s.world.touch_count, 512);
	assert_int_equal(s.world.nonresident_ratio.numerator,
			 s.world.nonresident_ratio.denominator);
	assert_true(s.world.page_count >= s.world.task_count * s.world.touch_count);

	/* More concurrent faulting tasks on one vCPU than the host's 64 works. */
	load_builtin("exhaust-host-queue", &s);
	assert_int_equal(s.world.vcpu_count, 1);
	assert_true(s.world.task_count > 64);
	assert_int_equal(s.world.nonresident_ratio.numerator,
			 s.world.nonresident_ratio.denominator);

	load_builtin("exhaust-guest-table", &s);
	assert_true(s.world.task_count / s.world.vcpu_count >= 64);

	load_builtin("hotplug-storm", &s);
	assert_true((s.world.events.class_mask >> WORLD_EVENT_HOTPLUG) & 1u);
	assert_true((s.world.events.class_mask >> WORLD_EVENT_RESET) & 1u);

	load_builtin("migrate", &s);
	assert_int_equal(s.world.events.class_mask, 1u << WORLD_EVENT_MIGRATE);
	assert_true(s.world.events.count > 0);
}

static void test_missing_fields_take_defaults(void **state)
{
	struct world_config expected;
	struct scenario s;
	char error[ERROR_BYTES];

	(void)state;
	world_config_default(&expected);
	assert_int_equal(scenario_parse("{}", 2, "some/dir/my-run.json", &s, error,
					sizeof(error)), 0);
	assert_string_equal(s.name, "my-run");
	assert_string_equal(s.description, "");
	assert_memory_equal(&s.world, &expected, sizeof(expected));
	assert_int_equal(s.executions, 100);
	assert_string_equal(s.strategy, "pct");
	assert_int_equal(s.seed, 1);
	assert_false(s.swarm);
	assert_int_equal(s.pct_depth, 0);

	/* An odd origin still gives a valid name. */
	assert_int_equal(scenario_parse(" {}\n", 4, "/tmp/.my run?", &s, error, sizeof(error)),
			 0);
	assert_string_equal(s.name, "my_run_");
	assert_round_trip(&s);
}

static void test_fields_are_applied(void **state)
{
	static const char text[] =
		"{\"name\": \"x-1\", \"description\": \"d\", \"vcpus\": 3, \"tasks\": 5,"
		" \"touches\": 7, \"pages\": 11, \"write_ratio\": \"1/3\","
		" \"nonresident_ratio\": \"0/1\", \"pagein_ticks\": [2, 9], \"ppi\": 20,"
		" \"cmdline\": \"kvm-arm.async_pf=0\", \"steps_max\": 1000,"
		" \"trace_ring_size\": 512,"
		" \"kvm\": {\"expose_default_sdei_event\": true, \"apf_absent_vcpus\": [0, 2]},"
		" \"workers\": 3,"
		" \"events\": {\"count\": 4, \"classes\": [\"reboot\", \"hotplug\"],"
		"   \"weights\": {\"reboot\": 3}, \"gap_ticks\": [5, 6], \"offline_ticks\": [7, 8]},"
		" \"inject\": [\"irq-delay\"], \"alloc_fail_ratio\": \"0/0\","
		" \"irq_delay_take_ratio\": \"1/4\", \"liveness_ticks\": 99, \"oracles\": [],"
		" \"irq_storm_bound\": 5, \"draws\": \"schedule\","
		" \"campaign\": {\"executions\": 9, \"strategy\": \"random\","
		"   \"seed\": \"0xffffffffffffffff\", \"swarm\": true, \"pct_depth\": 4}}";
	struct world_config defaults;
	struct scenario s;
	char error[ERROR_BYTES];

	(void)state;
	world_config_default(&defaults);
	if (parse_text(text, &s, error) != 0)
		fail_msg("%s", error);
	assert_string_equal(s.name, "x-1");
	assert_int_equal(s.world.vcpu_count, 3);
	assert_int_equal(s.world.task_count, 5);
	assert_int_equal(s.world.touch_count, 7);
	assert_int_equal(s.world.page_count, 11);
	assert_int_equal(s.world.write_ratio.numerator, 1);
	assert_int_equal(s.world.write_ratio.denominator, 3);
	assert_int_equal(s.world.nonresident_ratio.numerator, 0);
	assert_int_equal(s.world.pagein_ticks_min, 2);
	assert_int_equal(s.world.pagein_ticks_max, 9);
	assert_int_equal(s.world.ppi, 20);
	assert_string_equal(s.world.cmdline, "kvm-arm.async_pf=0");
	assert_int_equal(s.world.step_count_max, 1000);
	assert_int_equal(s.world.trace_ring_size, 512);
	assert_true(s.world.kvm.expose_default_sdei_event);
	assert_int_equal(s.world.kvm.apf_absent_vcpu_mask, 0x5);
	assert_int_equal(s.world.kshim.workqueue_worker_count, 3);
	assert_int_equal(s.world.events.count, 4);
	assert_int_equal(s.world.events.class_mask,
			 (1u << WORLD_EVENT_REBOOT) | (1u << WORLD_EVENT_HOTPLUG));
	assert_int_equal(s.world.events.weight[WORLD_EVENT_REBOOT], 3);
	assert_int_equal(s.world.events.weight[WORLD_EVENT_HOTPLUG],
			 defaults.events.weight[WORLD_EVENT_HOTPLUG]);
	assert_int_equal(s.world.events.gap_ticks_min, 5);
	assert_int_equal(s.world.events.offline_ticks_max, 8);
	assert_int_equal(s.world.inject_mask, WORLD_INJECT_IRQ_DELAY);
	assert_int_equal(s.world.alloc_fail_ratio.denominator, 0);
	assert_int_equal(s.world.irq_delay_take_ratio.denominator, 4);
	assert_int_equal(s.world.liveness_ticks, 99);
	assert_int_equal(s.world.oracle_mask, 0);
	assert_int_equal(s.world.irq_storm_bound, 5);
	assert_int_equal(s.world.draws, WORLD_DRAWS_SCHEDULE);
	assert_int_equal(defaults.draws, WORLD_DRAWS_SEED);
	assert_int_equal(s.executions, 9);
	assert_string_equal(s.strategy, "random");
	assert_true(s.seed == UINT64_MAX);
	assert_true(s.swarm);
	assert_int_equal(s.pct_depth, 4);
	assert_round_trip(&s);
}

static void test_all_and_lists(void **state)
{
	uint32_t count = world_oracle_count();
	uint32_t all = count >= 32 ? UINT32_MAX : (1u << count) - 1u;
	struct scenario s;
	char error[ERROR_BYTES];
	char text[256];

	(void)state;
	assert_int_equal(parse_text("{\"oracles\": \"all\", \"inject\": \"all\","
				    " \"events\": {\"classes\": \"all\"}}", &s, error), 0);
	assert_int_equal(s.world.oracle_mask, all);
	assert_int_equal(s.world.inject_mask, WORLD_INJECT_ALL);
	assert_int_equal(s.world.events.class_mask, WORLD_EVENT_CLASS_ALL);
	assert_int_equal(parse_text("{\"oracles\": [\"all\"]}", &s, error), 0);
	assert_int_equal(s.world.oracle_mask, all);
	assert_round_trip(&s);
	if (count > 0) {
		const char *name = world_oracle_list()[count - 1]->name;

		snprintf(text, sizeof(text), "{\"oracles\": [\"%s\"]}", name);
		assert_int_equal(parse_text(text, &s, error), 0);
		assert_int_equal(s.world.oracle_mask, 1u << (count - 1));
		assert_round_trip(&s);
		snprintf(text, sizeof(text), "{\"oracles\": [\"%s\", \"%s\"]}", name, name);
		assert_int_equal(parse_text(text, &s, error), -EINVAL);
		assert_non_null(strstr(error, "t.json: oracles[1]: "));
	}
}

struct bad_case {
	const char *text;
	const char *message; /* the message must start with this */
};

static const struct bad_case bad_cases[] = {
	{ "{\"vcpus\": \"4\"}", "t.json: vcpus: expected an integer, got a string" },
	{ "{\"vcpus\": 0}", "t.json: vcpus: 0 is outside 1..64" },
	{ "{\"vcpus\": 65}", "t.json: vcpus: 65 is outside 1..64" },
	{ "{\"vcpus\": null}", "t.json: vcpus: expected an integer, got null" },
	{ "{\"tasks\": 1.5}", "t.json: tasks: expected an integer, got 1.5" },
	{ "{\"tasks\": -1}", "t.json: tasks: -1 is negative" },
	{ "{\"tasks\": 1025}", "t.json: tasks: 1025 is outside 0..1024" },
	{ "{\"touches\": 100001}", "t.json: touches: 100001 is outside" },
	{ "{\"pages\": 0}", "t.json: pages: 0 is outside 1..65536" },
	{ "{\"steps_max\": 9007199254740993}",
	  "t.json: steps_max: 9007199254740993 is above 2^53" },
	{ "{\"steps_max\": 99999999999999999999}", "t.json: line 1 column " },
	{ "{\"write_ratio\": \"3/2\"}", "t.json: write_ratio: \"3/2\" is above 1" },
	{ "{\"write_ratio\": \"1/0\"}", "t.json: write_ratio: \"1/0\" has a zero denominator" },
	{ "{\"write_ratio\": \"0/0\"}", "t.json: write_ratio: \"0/0\" has a zero denominator" },
	{ "{\"write_ratio\": \"x\"}", "t.json: write_ratio: \"x\" is not a ratio" },
	{ "{\"write_ratio\": \" 1/2\"}", "t.json: write_ratio: \" 1/2\" is not a ratio" },
	{ "{\"write_ratio\": \"1/4294967296\"}", "t.json: write_ratio: \"1/4294967296\" is not" },
	{ "{\"nonresident_ratio\": 0.5}", "t.json: nonresident_ratio: expected a ratio string" },
	{ "{\"alloc_fail_ratio\": \"1/-2\"}", "t.json: alloc_fail_ratio: \"1/-2\" is not a ratio" },
	{ "{\"irq_delay_take_ratio\": \"2/0\"}",
	  "t.json: irq_delay_take_ratio: \"2/0\" has a zero" },
	{ "{\"pagein_ticks\": [400, 50]}", "t.json: pagein_ticks: min 400 is above max 50" },
	{ "{\"pagein_ticks\": [1]}", "t.json: pagein_ticks: expected [min, max]" },
	{ "{\"pagein_ticks\": 5}", "t.json: pagein_ticks: expected [min, max], got an integer" },
	{ "{\"pagein_ticks\": [1, \"2\"]}", "t.json: pagein_ticks[1]: expected an integer" },
	{ "{\"pagein_ticks\": [0, 2]}", "t.json: pagein_ticks[0]: 0 is outside" },
	{ "{\"ppi\": 32}", "t.json: ppi: 32 is outside 16..31" },
	{ "{\"ppi\": 15}", "t.json: ppi: 15 is outside 16..31" },
	{ "{\"cmdline\": 7}", "t.json: cmdline: expected a string, got an integer" },
	{ "{\"name\": \"a b\"}", "t.json: name: \"a b\": only letters" },
	{ "{\"name\": \"\"}", "t.json: name: empty" },
	{ "{\"name\": \"-x\"}", "t.json: name: \"-x\": only letters" },
	{ "{\"description\": \"x\\ny\"}", "t.json: description: control character 0x0a" },
	{ "{\"trace_ring_size\": 16777217}", "t.json: trace_ring_size: 16777217 is outside" },
	{ "{\"vcpu\": 4}", "t.json: vcpu: unknown field (known: name, description, vcpus," },
	{ "{\"workers\": 17}", "t.json: workers: 17 is outside 0..16" },
	{ "{\"kvm\": {\"apf_absent_vcpus\": [2]}}",
	  "t.json: kvm.apf_absent_vcpus[0]: 2 is outside 0..1" },
	{ "{\"kvm\": {\"apf_absent_vcpus\": [1, 1]}}",
	  "t.json: kvm.apf_absent_vcpus[1]: vCPU 1 is listed twice" },
	{ "{\"kvm\": {\"apf_absent_vcpus\": 1}}",
	  "t.json: kvm.apf_absent_vcpus: expected an array" },
	{ "{\"kvm\": {\"expose_default_sdei_event\": 1}}",
	  "t.json: kvm.expose_default_sdei_event: expected true or false" },
	{ "{\"kvm\": {\"sdei\": true}}",
	  "t.json: kvm.sdei: unknown field (known: expose_default_sdei_event, apf_absent_vcpus)" },
	{ "{\"kvm\": true}", "t.json: kvm: expected an object, got true" },
	{ "{\"events\": []}", "t.json: events: expected an object, got an array" },
	{ "{\"events\": {\"colour\": 1}}", "t.json: events.colour: unknown field" },
	{ "{\"events\": {\"count\": 100001}}",
	  "t.json: events.count: 100001 is outside 0..100000" },
	{ "{\"events\": {\"classes\": [\"hotplug\", \"meteor\"]}}",
	  "t.json: events.classes[1]: unknown event class \"meteor\" (known: hotplug, disable, reset, migrate, reboot" },
	{ "{\"events\": {\"classes\": [\"reset\", \"reset\"]}}",
	  "t.json: events.classes[1]: \"reset\" is listed twice" },
	{ "{\"events\": {\"classes\": [1]}}",
	  "t.json: events.classes[0]: expected a name, got an integer" },
	{ "{\"events\": {\"count\": 3, \"classes\": []}}",
	  "t.json: events.classes: no class enabled while events.count is 3" },
	{ "{\"events\": {\"gap_ticks\": [500, 100]}}",
	  "t.json: events.gap_ticks: min 500 is above max 100" },
	{ "{\"events\": {\"offline_ticks\": [1, 2, 3]}}",
	  "t.json: events.offline_ticks: expected [min, max]" },
	{ "{\"events\": {\"weights\": {\"reboot\": 0}}}",
	  "t.json: events.weights.reboot: 0 is outside 1..1000000" },
	{ "{\"events\": {\"weights\": {\"nap\": 1}}}",
	  "t.json: events.weights.nap: unknown event class \"nap\"" },
	{ "{\"events\": {\"weights\": [1]}}", "t.json: events.weights: expected an object" },
	{ "{\"inject\": [\"alloc-fail\", \"bitflip\"]}",
	  "t.json: inject[1]: unknown injection \"bitflip\" (known: alloc-fail, irq-delay, sdei-fail)" },
	{ "{\"inject\": \"alloc-fail\"}",
	  "t.json: inject: expected an array of names or \"all\", got a string" },
	{ "{\"oracles\": [\"no-such-oracle\"]}",
	  "t.json: oracles[0]: unknown oracle \"no-such-oracle\" (known: " },
	{ "{\"oracles\": 1}", "t.json: oracles: expected an array of names or \"all\"" },
	{ "{\"irq_storm_bound\": 1000001}", "t.json: irq_storm_bound: 1000001 is outside" },
	{ "{\"liveness_ticks\": true}", "t.json: liveness_ticks: expected an integer, got true" },
	{ "{\"draws\": \"random\"}",
	  "t.json: draws: unknown draws \"random\" (known: seed, schedule)" },
	{ "{\"draws\": \"Schedule\"}", "t.json: draws: unknown draws \"Schedule\"" },
	{ "{\"draws\": \"\"}", "t.json: draws: unknown draws \"\"" },
	{ "{\"draws\": \"schedule-and-some-more-words\"}", "t.json: draws: unknown draws" },
	{ "{\"draws\": 1}", "t.json: draws: expected a string, got an integer" },
	{ "{\"draws\": null}", "t.json: draws: expected a string, got null" },
	{ "{\"draws\": [\"seed\"]}", "t.json: draws: expected a string, got an array" },
	{ "{\"campaign\": {\"strategy\": \"replay\"}}",
	  "t.json: campaign.strategy: \"replay\" replays one finding" },
	{ "{\"campaign\": {\"strategy\": \"bfs\"}}",
	  "t.json: campaign.strategy: unknown strategy \"bfs\" (known: " },
	{ "{\"campaign\": {\"strategy\": \"a-very-long-strategy-name\"}}",
	  "t.json: campaign.strategy: unknown strategy" },
	{ "{\"campaign\": {\"strategy\": 3}}", "t.json: campaign.strategy: expected a string" },
	{ "{\"campaign\": {\"executions\": 0}}",
	  "t.json: campaign.executions: 0 is outside 1..1000000000" },
	{ "{\"campaign\": {\"seed\": \"banana\"}}",
	  "t.json: campaign.seed: \"banana\" is not a seed" },
	{ "{\"campaign\": {\"seed\": -5}}", "t.json: campaign.seed: -5 is negative" },
	{ "{\"campaign\": {\"swarm\": \"yes\"}}",
	  "t.json: campaign.swarm: expected true or false, got a string" },
	{ "{\"campaign\": {\"pct_depth\": 65}}",
	  "t.json: campaign.pct_depth: 65 is outside 0..64" },
	{ "{\"campaign\": {\"exec\": 1}}",
	  "t.json: campaign.exec: unknown field (known: executions, strategy, seed, swarm, pct_depth)" },
	{ "[1, 2]", "t.json: (top level): expected an object, got an array" },
	{ "{\"vcpus\": 4,\n \"tasks\": 8,\n  \"touches\": ,}", "t.json: line 3 column 14: " },
	{ "{\"vcpus\": 1, \"vcpus\": 2}", "t.json: line 1 column " },
	{ "{\"vcpus\": 1} trailing", "t.json: line 1 column " },
	{ "{\"name\": \"a\\u0000b\"}", "t.json: line 1 column " },
	{ "", "t.json: empty scenario" },
	{ " \n\t ", "t.json: empty scenario" },
};

static void test_bad_inputs_name_the_field(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct scenario s;
		char error[ERROR_BYTES];
		int ret;

		memset(error, 0, sizeof(error));
		ret = parse_text(c->text, &s, error);
		if (ret != -EINVAL || strncmp(error, c->message, strlen(c->message)) != 0)
			fail_msg("case %zu %s: ret %d, message \"%s\", expected \"%s...\"", i,
				 c->text, ret, error, c->message);
	}
}

static void test_long_cmdline_and_duplicate_key_message(void **state)
{
	char text[400];
	char cmdline[301];
	struct scenario s;
	char error[ERROR_BYTES];

	(void)state;
	memset(cmdline, 'a', sizeof(cmdline) - 1);
	cmdline[sizeof(cmdline) - 1] = '\0';
	snprintf(text, sizeof(text), "{\"cmdline\": \"%s\"}", cmdline);
	assert_int_equal(parse_text(text, &s, error), -EINVAL);
	assert_string_equal(error, "t.json: cmdline: 300 bytes long, at most 255 allowed");
	assert_int_equal(parse_text("{\"vcpus\": 1, \"vcpus\": 2}", &s, error), -EINVAL);
	assert_non_null(strstr(error, "duplicate"));
}

static void test_error_buffer_edges(void **state)
{
	struct scenario s;
	char error[8];

	(void)state;
	/* Small buffers truncate; NULL buffers are allowed. */
	memset(error, 'x', sizeof(error));
	assert_int_equal(scenario_parse("{\"ppi\": 1}", 10, "t.json", &s, error, sizeof(error)),
			 -EINVAL);
	assert_string_equal(error, "t.json:");
	assert_int_equal(scenario_parse("{\"ppi\": 1}", 10, "t.json", &s, NULL, 0), -EINVAL);
	assert_int_equal(scenario_parse("{", 1, NULL, &s, NULL, 0), -EINVAL);
	assert_int_equal(scenario_parse(NULL, 0, "t.json", &s, error, sizeof(error)), -EINVAL);
	assert_int_equal(scenario_parse("{}", 2, "t.json", NULL, error, sizeof(error)), -EINVAL);
	/* Only @length bytes are read: the text need not end in a NUL. */
	assert_int_equal(scenario_parse("{}garbage", 2, "t.json", &s, NULL, 0), 0);
	assert_int_equal(scenario_to_json(NULL, NULL), -EINVAL);
}

/* ---- Files ---- */

static char temp_dir[64];

static int files_setup(void **state)
{
	(void)state;
	snprintf(temp_dir, sizeof(temp_dir), "/tmp/apfsim-scenario-XXXXXX");
	return mkdtemp(temp_dir) != NULL ? 0 : -1;
}

static void temp_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", temp_dir, name);
}

static int files_teardown(void **state)
{
	static const char *const names[] = { "empty.json", "big.json", "ok.json", "bad.json",
					     "locked.json", NULL };
	char path[128];

	(void)state;
	for (size_t i = 0; names[i] != NULL; i++) {
		temp_path(path, sizeof(path), names[i]);
		unlink(path);
	}
	return rmdir(temp_dir);
}

static void write_file(const char *path, const char *text, size_t length)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, length, f), length);
	assert_int_equal(fclose(f), 0);
}

static void test_files(void **state)
{
	static const char ok[] = "{\"name\": \"from-file\", \"vcpus\": 3}\n";
	static const char bad[] = "{\n  \"vcpus\": 3,\n  \"events\": {\"gap_ticks\": [500, 100]}\n}\n";
	struct scenario s;
	char error[ERROR_BYTES];
	char path[128];
	char *big;

	(void)state;
	temp_path(path, sizeof(path), "missing.json");
	assert_int_equal(scenario_load_file(path, &s, error, sizeof(error)), -ENOENT);
	assert_non_null(strstr(error, path));
	assert_non_null(strstr(error, "No such file"));

	assert_int_equal(scenario_load_file(temp_dir, &s, error, sizeof(error)), -EISDIR);
	assert_non_null(strstr(error, temp_dir));
	assert_int_equal(scenario_resolve(temp_dir, &s, error, sizeof(error)), -EISDIR);

	temp_path(path, sizeof(path), "empty.json");
	write_file(path, "", 0);
	assert_int_equal(scenario_load_file(path, &s, error, sizeof(error)), -EINVAL);
	assert_non_null(strstr(error, "empty scenario"));

	temp_path(path, sizeof(path), "big.json");
	big = malloc(SCENARIO_FILE_BYTES_MAX + 1);
	assert_non_null(big);
	memset(big, ' ', SCENARIO_FILE_BYTES_MAX + 1);
	big[0] = '{';
	big[SCENARIO_FILE_BYTES_MAX] = '}';
	write_file(path, big, SCENARIO_FILE_BYTES_MAX + 1);
	free(big);
	assert_int_equal(scenario_load_file(path, &s, error, sizeof(error)), -EFBIG);
	assert_non_null(strstr(error, "limit"));

	temp_path(path, sizeof(path), "ok.json");
	write_file(path, ok, strlen(ok));
	assert_int_equal(scenario_resolve(path, &s, error, sizeof(error)), 0);
	assert_string_equal(s.name, "from-file");
	assert_int_equal(s.world.vcpu_count, 3);

	temp_path(path, sizeof(path), "bad.json");
	write_file(path, bad, strlen(bad));
	assert_int_equal(scenario_load_file(path, &s, error, sizeof(error)), -EINVAL);
	assert_non_null(strstr(error, ": events.gap_ticks: min 500 is above max 100"));
	assert_int_equal(strncmp(error, path, strlen(path)), 0);

	/* root reads any file: the permission check only means something otherwise. */
	if (geteuid() != 0) {
		temp_path(path, sizeof(path), "locked.json");
		write_file(path, ok, strlen(ok));
		assert_int_equal(chmod(path, 0), 0);
		assert_int_equal(scenario_load_file(path, &s, error, sizeof(error)), -EACCES);
		assert_non_null(strstr(error, "ermission denied"));
	}
}

/* Every ```json block of docs/scenario-format.md parses. */
static void test_doc_examples_parse(void **state)
{
	const char *path = APFSIM_SOURCE_DIR "/docs/scenario-format.md";
	char error[ERROR_BYTES];
	size_t length;
	size_t blocks = 0;
	char *doc;
	char *at;
	FILE *f;

	(void)state;
	f = fopen(path, "rb");
	assert_non_null(f);
	doc = malloc(SCENARIO_FILE_BYTES_MAX + 1);
	assert_non_null(doc);
	length = fread(doc, 1, SCENARIO_FILE_BYTES_MAX, f);
	fclose(f);
	doc[length] = '\0';
	for (at = strstr(doc, "```json\n"); at != NULL; at = strstr(at, "```json\n")) {
		char *start = at + strlen("```json\n");
		char *end = strstr(start, "```");
		struct scenario s;

		assert_non_null(end);
		if (scenario_parse(start, (size_t)(end - start), "doc", &s, error, sizeof(error)))
			fail_msg("example %zu: %s", blocks, error);
		blocks++;
		at = end + 3;
	}
	assert_true(blocks >= 2);
	free(doc);
}

static void test_long_key_is_cut(void **state)
{
	char text[400];
	char key[301];
	struct scenario s;
	char error[ERROR_BYTES];

	(void)state;
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	snprintf(text, sizeof(text), "{\"events\": {\"%s\": 1}}", key);
	assert_int_equal(parse_text(text, &s, error), -EINVAL);
	assert_int_equal(strncmp(error, "t.json: events.kkkk", 19), 0);
	assert_non_null(strstr(error, "...: unknown field (known: count,"));
}

static void test_resolve(void **state)
{
	struct scenario s;
	char error[ERROR_BYTES];

	(void)state;
	assert_int_equal(scenario_resolve("smoke", &s, error, sizeof(error)), 0);
	assert_string_equal(s.name, "smoke");
	assert_int_equal(scenario_resolve("no-such-scenario", &s, error, sizeof(error)),
			 -ENOENT);
	assert_non_null(strstr(error, "no-such-scenario: neither a built-in scenario (default, "));
	assert_int_equal(scenario_builtin("nope", &s, error, sizeof(error)), -ENOENT);
	assert_non_null(strstr(error, "default"));
	assert_int_equal(scenario_resolve("", &s, error, sizeof(error)), -ENOENT);
	assert_int_equal(scenario_resolve(NULL, &s, error, sizeof(error)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins_parse_and_round_trip),
		cmocka_unit_test(test_builtins_have_their_shape),
		cmocka_unit_test(test_missing_fields_take_defaults),
		cmocka_unit_test(test_fields_are_applied),
		cmocka_unit_test(test_all_and_lists),
		cmocka_unit_test(test_bad_inputs_name_the_field),
		cmocka_unit_test(test_long_cmdline_and_duplicate_key_message),
		cmocka_unit_test(test_error_buffer_edges),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_doc_examples_parse),
		cmocka_unit_test(test_long_key_is_cut),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, files_setup, files_teardown);
}

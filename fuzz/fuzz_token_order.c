// SPDX-License-Identifier: MIT
/*
 * Fuzz target: token ordering on the whole system (docs/fuzzing.md).
 *
 * The input's header is a small world configuration (fuzz/token_order.h);
 * the rest drives every decision of one execution through the cursor
 * strategy: thread picks, interrupt delivery timing, and the world's own
 * draws (pages, reads/writes, the event script: gaps, classes, CPUs, hotplug
 * offline times), which WORLD_DRAWS_SCHEDULE turns into recorded choices.
 * guestlib and hostlib run on the engine with every oracle on.
 *
 * Property: the execution has no finding (oracle, world, engine: deadlock,
 * step bound, ...). A finding prints the findings and aborts; `apfsim
 * fuzz-import CRASH-FILE` turns the input into an apfsim finding directory
 * that `apfsim replay`, `shrink` and `export` take.
 *
 * APFSIM_FUZZ_STATS=1 prints what each input did.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_cursor.h"
#include "sim/sim.h"
#include "token_order.h"

static void print_run(const struct token_order_run *run, size_t size)
{
	const struct world_stats *st = world_stats(run->world);
	const struct sim_result *r = sim_result(world_sim(run->world));
	char banner[160];

	world_swarm_banner(&run->config, banner, sizeof(banner));
	fprintf(stderr,
		"token_order: %zu bytes (%zu script bytes read): %u vCPUs, %u tasks x %u touches, "
		"%u pages, %u events; %s; ticks %llu steps %llu decisions %llu touches %llu async %llu "
		"events fired %llu/%llu/%llu/%llu/%llu refused %llu findings %u\n",
		size, token_order_strategy_used(run->strategy), run->config.vcpu_count,
		run->config.task_count, run->config.touch_count, run->config.page_count,
		run->config.events.count, banner, (unsigned long long)r->tick,
		(unsigned long long)r->step_count,
		(unsigned long long)r->decision_count, (unsigned long long)st->touch_count,
		(unsigned long long)st->async_count,
		(unsigned long long)st->events_fired[WORLD_EVENT_HOTPLUG],
		(unsigned long long)st->events_fired[WORLD_EVENT_DISABLE],
		(unsigned long long)st->events_fired[WORLD_EVENT_RESET],
		(unsigned long long)st->events_fired[WORLD_EVENT_MIGRATE],
		(unsigned long long)st->events_fired[WORLD_EVENT_REBOOT],
		(unsigned long long)st->events_refused, r->finding_count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int stats = -1;
	struct token_order_run run;
	char error[512] = "";
	const struct sim_result *result;
	int ret;

	if (stats < 0)
		stats = getenv("APFSIM_FUZZ_STATS") != NULL;
	ret = token_order_run(&run, data, size, NULL, error, sizeof(error));
	if (ret != 0) {
		/* Every decoded configuration is valid: failing to build or run
		 * one is a harness or engine bug. */
		fprintf(stderr, "fuzz_token_order: run failed: %d: %s\n", ret, error);
		abort();
	}
	result = sim_result(world_sim(run.world));
	if (stats)
		print_run(&run, size);
	if (result->finding_count > 0) {
		uint32_t kept = result->finding_count < SIM_FINDING_COUNT_MAX
					? result->finding_count
					: SIM_FINDING_COUNT_MAX;

		print_run(&run, size);
		for (uint32_t i = 0; i < kept; i++) {
			const struct sim_finding *f = &result->findings[i];

			fprintf(stderr, "fuzz_token_order: finding %u: %s at %s:%d step %llu: %s\n",
				i + 1, f->class_name, f->file ? f->file : "?", f->line,
				(unsigned long long)f->step, f->message);
		}
		fprintf(stderr, "fuzz_token_order: property violated: the execution has %u "
				"finding(s); turn the input into an apfsim finding with "
				"`apfsim fuzz-import FILE`\n",
			result->finding_count);
		abort();
	}
	token_order_run_end(&run);
	return 0;
}

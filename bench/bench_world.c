// SPDX-License-Identifier: MIT
/*
 * World benchmark (issue #8): whole executions of the async-PF system.
 *   1. executions per second on the standard scenario (4 vCPUs, 64 tasks,
 *      8 touches each on pages that are all swapped out: 512 faults) for
 *      each strategy;
 *   2. how the cost grows with the length of an execution, from about 1k to
 *      100k trace events;
 *   3. one 64-vCPU x 1024-task execution (time, trace events, peak RSS).
 * Prints tables; asserts nothing about speed. Wall-clock time is read here,
 * never in the simulator.
 *
 * Usage: bench_world [executions-per-strategy] [--big]
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/strategy.h"
#include "sim/world.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct sample {
	uint64_t ns;
	uint64_t events;
	uint64_t steps;
	uint64_t faults;
	uint32_t findings;
};

static int run(const struct world_config *config, const char *strategy_name, struct sample *out)
{
	struct sim_strategy_config sc = { .seed = config->seed, .dfs_preemption_bound = 2 };
	struct sim_strategy *strategy;
	struct world *world;
	char error[256];
	uint64_t start = now_ns();
	int ret;

	world_strategy_config(config, &sc);
	ret = sim_strategy_create(strategy_name, &sc, &strategy);
	if (ret != 0)
		return ret;
	ret = world_create(&world, config, strategy, error, sizeof(error));
	if (ret != 0) {
		fprintf(stderr, "bench_world: %s\n", error);
		sim_strategy_destroy(strategy);
		return ret;
	}
	ret = world_run(world);
	out->ns = now_ns() - start;
	out->events = sim_result(world_sim(world))->event_count;
	out->steps = sim_result(world_sim(world))->step_count;
	out->faults = world_stats(world)->host.async_fault + world_stats(world)->host.sync_fault;
	out->findings = sim_result(world_sim(world))->finding_count;
	world_destroy(world);
	sim_strategy_destroy(strategy);
	return ret;
}

static void standard(struct world_config *c, uint64_t seed)
{
	world_config_default(c);
	c->seed = seed;
	c->vcpu_count = 4;
	c->task_count = 64;
	c->touch_count = 8;
	c->page_count = 65536;
	c->nonresident_ratio = (struct sim_ratio){ 1, 1 };
}

static long peak_rss_kib(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

int main(int argc, char **argv)
{
	static const char *const strategies[] = { "random", "pct", "dfs", "rr" };
	unsigned long executions = argc > 1 ? strtoul(argv[1], NULL, 10) : 20;
	bool big = argc > 2 && strcmp(argv[2], "--big") == 0;

	if (executions == 0 || executions > 100000) {
		fprintf(stderr, "bench_world: executions must be 1..100000\n");
		return 2;
	}
	printf("## standard scenario: 4 vCPUs, 64 tasks, 512 faults, %lu executions each\n\n",
	       executions);
	printf("| strategy | exec/s | ms/exec | steps/exec | events/exec | faults/exec | findings |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (unsigned int s = 0; s < sizeof(strategies) / sizeof(strategies[0]); s++) {
		uint64_t ns = 0, steps = 0, events = 0, faults = 0, findings = 0;
		unsigned long n = strcmp(strategies[s], "rr") == 0 && executions > 3 ? 3 : executions;

		for (unsigned long i = 0; i < n; i++) {
			struct world_config c;
			struct sample x;

			standard(&c, 1 + i);
			if (run(&c, strategies[s], &x) != 0)
				return 1;
			ns += x.ns;
			steps += x.steps;
			events += x.events;
			faults += x.faults;
			findings += x.findings;
		}
		printf("| %s | %.1f | %.2f | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " |\n",
		       strategies[s], (double)n * 1e9 / (double)ns, (double)ns / 1e6 / (double)n,
		       steps / n, events / n, faults / n, findings);
	}
	printf("\n## cost against execution length (pct, 2 vCPUs, 8 tasks)\n\n");
	printf("| touches/task | events | ms | us/event |\n|---|---|---|---|\n");
	for (uint32_t touches = 4; touches <= 4096; touches *= 4) {
		struct world_config c;
		struct sample x;

		world_config_default(&c);
		c.seed = 7;
		c.touch_count = touches;
		c.page_count = 4096;
		c.step_count_max = 100000000ull;
		if (run(&c, "pct", &x) != 0)
			return 1;
		printf("| %u | %" PRIu64 " | %.2f | %.3f |\n", touches, x.events, (double)x.ns / 1e6,
		       (double)x.ns / 1e3 / (double)x.events);
	}
	if (big) {
		struct world_config c;
		struct sample x;

		world_config_default(&c);
		c.seed = 1;
		c.vcpu_count = 64;
		c.task_count = 1024;
		c.touch_count = 4;
		c.page_count = 8192;
		c.step_count_max = 100000000ull;
		if (run(&c, "random", &x) != 0)
			return 1;
		printf("\n## 64 vCPUs x 1024 tasks x 4 touches (random)\n\n");
		printf("time %.2f s, %" PRIu64 " steps, %" PRIu64 " events, %" PRIu64
		       " faults, %u findings, peak RSS %ld MiB\n",
		       (double)x.ns / 1e9, x.steps, x.events, x.faults, x.findings,
		       peak_rss_kib() / 1024);
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Engine benchmark: cost of a switching schedule point against a raw
 * semaphore ping-pong between two threads on one CPU (measured in the same
 * run), and cost of a non-switching point. Prints a table; asserts nothing
 * about speed. Wall-clock time is read here, in the benchmark, never in the
 * simulator.
 *
 * Usage: bench_engine [rounds] [cpu]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/sim.h"
#include "sim/strategy.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct pingpong {
	sem_t sem[2];
	uint64_t rounds;
};

static void *pingpong_peer(void *arg)
{
	struct pingpong *p = arg;

	for (uint64_t i = 0; i < p->rounds; i++) {
		sem_wait(&p->sem[1]);
		sem_post(&p->sem[0]);
	}
	return NULL;
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0)
		fprintf(stderr, "bench: could not pin to cpu %d\n", cpu);
}

/* Raw handoff: ns per one-way handoff between two threads on @cpu. */
static double raw_semaphore_ns(uint64_t rounds, int cpu)
{
	struct pingpong p = {.rounds = rounds};
	pthread_t peer;
	uint64_t start;

	sem_init(&p.sem[0], 0, 0);
	sem_init(&p.sem[1], 0, 0);
	pin_self(cpu);
	pthread_create(&peer, NULL, pingpong_peer, &p);
	start = now_ns();
	for (uint64_t i = 0; i < rounds; i++) {
		sem_post(&p.sem[1]);
		sem_wait(&p.sem[0]);
	}
	uint64_t elapsed = now_ns() - start;
	pthread_join(peer, NULL);
	sem_destroy(&p.sem[0]);
	sem_destroy(&p.sem[1]);
	return (double)elapsed / (double)(2 * rounds);
}

static uint64_t body_rounds;

static void point_loop(void *arg)
{
	(void)arg;
	for (uint64_t i = 0; i < body_rounds; i++)
		sim_point(SIM_POINT_YIELD, "bench");
}

/* ns per schedule point for @threads threads under @strategy_name. */
static double engine_point_ns(const char *strategy_name, uint32_t threads, uint64_t rounds,
			      int cpu, uint64_t *switches_out)
{
	struct sim_config config = {
		.seed = 1, .vcpu_count = 1, .pin_cpu = cpu,
		.step_count_max = rounds * threads * 2 + 1000,
		.progress_window = rounds * threads * 2 + 1000,
		.trace_ring_size = 1024,
	};
	struct sim_strategy_config sc = {.seed = 1, .pct_depth = 1};
	struct sim_strategy *s = NULL;
	struct sim *sim = NULL;
	uint64_t start, elapsed;

	body_rounds = rounds;
	if (sim_strategy_create(strategy_name, &sc, &s) != 0 || sim_create(&sim, &config, s) != 0) {
		fprintf(stderr, "bench: cannot create the execution\n");
		exit(1);
	}
	for (uint32_t t = 0; t < threads; t++) {
		struct sim_thread_attr attr = {.kind = SIM_THREAD_HOST, .name = "bench"};

		sim_spawn(sim, &attr, point_loop, NULL);
	}
	start = now_ns();
	if (sim_run(sim) != 0 || sim_result(sim)->finding_count != 0) {
		fprintf(stderr, "bench: run failed: %s\n", sim_result(sim)->findings[0].message);
		exit(1);
	}
	elapsed = now_ns() - start;
	*switches_out = sim_result(sim)->switch_count;
	uint64_t steps = sim_result(sim)->step_count;
	sim_destroy(sim);
	sim_strategy_destroy(s);
	return (double)elapsed / (double)steps;
}

int main(int argc, char **argv)
{
	uint64_t rounds = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
	int cpu = argc > 2 ? atoi(argv[2]) : 0;
	uint64_t switches = 0;
	double raw, switching, single, pct_keep;

	if (rounds == 0) {
		fprintf(stderr, "usage: bench_engine [rounds>0] [cpu]\n");
		return 2;
	}
	raw = raw_semaphore_ns(rounds, cpu);
	switching = engine_point_ns("rr", 2, rounds, cpu, &switches);
	printf("raw semaphore handoff (pinned cpu %d):   %8.1f ns\n", cpu, raw);
	printf("switching schedule point (rr, 2 thr):  %8.1f ns  (%.2fx raw, %" PRIu64 " switches)\n",
	       switching, switching / raw, switches);
	single = engine_point_ns("random", 1, rounds, cpu, &switches);
	printf("non-switching point (1 eligible):      %8.1f ns\n", single);
	pct_keep = engine_point_ns("pct", 2, rounds, cpu, &switches);
	printf("non-switching point (pct d=1, 2 thr):  %8.1f ns  (%" PRIu64 " switches)\n", pct_keep,
	       switches);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Token-order benchmark (issue #10): executions per second of the
 * token_order fuzz target's body (fuzz/token_order.h: decode, world_create,
 * world_run, world_destroy) on one thread of the calling process, over
 *   1. the seed corpus (fuzz/corpus/token_order, each file N times);
 *   2. random inputs (8..512 bytes from a fixed xorshift seed).
 * Also prints the mean steps, decisions and thread hand-overs per
 * execution, and the CPU time (user + system) per execution next to the
 * wall time: the engine runs each simulated thread on a pthread and hands
 * a baton between them, so wall time includes the kernel's switches. The
 * issue's goal is at least 2,000 executions/s on one core (pin the process,
 * e.g. `taskset -c 0`). Asserts nothing about speed; exit 1 only when an
 * input gives a finding or fails to run. Wall-clock time is read here,
 * never in the simulator.
 *
 * Usage: bench_token_order [CORPUS-DIR] [--rounds N] [--random N]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/sim.h"
#include "token_order.h"

#define BENCH_FILES_MAX 1024u
#define BENCH_FILE_BYTES_MAX 65536u

struct input {
	uint8_t *data;
	size_t size;
};

struct totals {
	uint64_t runs;
	uint64_t steps;
	uint64_t decisions;
	uint64_t switches;
	uint64_t threads;
	uint64_t findings;
	double wall;
	double cpu;
};

static double now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int run_one(const struct input *in, struct totals *t)
{
	struct token_order_run run;
	char error[512] = "";
	int ret = token_order_run(&run, in->data, in->size, NULL, error, sizeof(error));

	if (ret == 0) {
		const struct sim_result *r = sim_result(world_sim(run.world));

		t->runs++;
		t->steps += r->step_count;
		t->decisions += r->decision_count;
		t->switches += r->switch_count;
		t->threads += r->thread_count;
		t->findings += r->finding_count;
		if (r->finding_count > 0)
			fprintf(stderr, "bench_token_order: input of %zu bytes: finding %s: %s\n",
				in->size, r->findings[0].class_name, r->findings[0].message);
	} else {
		fprintf(stderr, "bench_token_order: run failed: %s\n", error);
	}
	token_order_run_end(&run);
	return ret;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int load_corpus(const char *dir, struct input *inputs, uint32_t *count)
{
	struct dirent **entries = NULL;
	int n = scandir(dir, &entries, NULL, by_name);

	*count = 0;
	if (n < 0) {
		fprintf(stderr, "bench_token_order: %s: %s\n", dir, strerror(errno));
		return -errno;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		FILE *f;

		if (entries[i]->d_name[0] != '.' && *count < BENCH_FILES_MAX &&
		    snprintf(path, sizeof(path), "%s/%s", dir, entries[i]->d_name) <
			    (int)sizeof(path) &&
		    (f = fopen(path, "rb")) != NULL) {
			struct input *in = &inputs[*count];

			in->data = malloc(BENCH_FILE_BYTES_MAX);
			if (in->data != NULL) {
				in->size = fread(in->data, 1, BENCH_FILE_BYTES_MAX, f);
				(*count)++;
			}
			fclose(f);
		}
		free(entries[i]);
	}
	free(entries);
	return 0;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void report(const char *what, const struct totals *t)
{
	double runs = t->runs ? (double)t->runs : 1.0;

	printf("%-8s %7" PRIu64 " execs  %8.0f exec/s wall  %8.0f exec/s cpu  "
	       "%6.0f steps  %6.0f decisions  %6.0f switches  %4.1f threads  (%.3f s wall, %.3f s cpu)\n",
	       what, t->runs, t->wall > 0 ? (double)t->runs / t->wall : 0.0,
	       t->cpu > 0 ? (double)t->runs / t->cpu : 0.0, (double)t->steps / runs,
	       (double)t->decisions / runs, (double)t->switches / runs, (double)t->threads / runs,
	       t->wall, t->cpu);
}

int main(int argc, char **argv)
{
	static struct input inputs[BENCH_FILES_MAX];
	const char *dir = NULL;
	uint64_t rounds = 20, random_count = 2000, seed = 0x9e3779b97f4a7c15ull;
	uint32_t count = 0;
	struct totals corpus = { 0 }, random = { 0 };
	double w0, c0;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--random") == 0 && i + 1 < argc)
			random_count = strtoull(argv[++i], NULL, 10);
		else if (argv[i][0] != '-')
			dir = argv[i];
		else {
			fprintf(stderr, "usage: bench_token_order [CORPUS-DIR] [--rounds N] [--random N]\n");
			return 2;
		}
	}
	if (dir != NULL && load_corpus(dir, inputs, &count) != 0)
		return 2;

	w0 = now_wall();
	c0 = now_cpu();
	for (uint64_t r = 0; r < rounds && count > 0; r++)
		for (uint32_t i = 0; i < count; i++)
			if (run_one(&inputs[i], &corpus) != 0)
				status = 1;
	corpus.wall = now_wall() - w0;
	corpus.cpu = now_cpu() - c0;

	{
		struct input in = { .data = malloc(512) };

		if (in.data == NULL)
			return 2;
		w0 = now_wall();
		c0 = now_cpu();
		for (uint64_t r = 0; r < random_count; r++) {
			in.size = 8 + xorshift(&seed) % 505;
			for (size_t b = 0; b < in.size; b++)
				in.data[b] = (uint8_t)xorshift(&seed);
			if (run_one(&in, &random) != 0)
				status = 1;
		}
		random.wall = now_wall() - w0;
		random.cpu = now_cpu() - c0;
		free(in.data);
	}
	printf("token_order target: %u corpus inputs x %" PRIu64 " rounds, %" PRIu64
	       " random inputs (8..512 bytes)\n",
	       count, rounds, random_count);
	if (count > 0)
		report("corpus", &corpus);
	report("random", &random);
	for (uint32_t i = 0; i < count; i++)
		free(inputs[i].data);
	if (corpus.findings + random.findings > 0) {
		printf("findings: %" PRIu64 " (see stderr)\n", corpus.findings + random.findings);
		status = 1;
	}
	return status;
}

// SPDX-License-Identifier: MIT
/*
 * Goal: on the engine, a guest access to a swapped-out page raises one
 * stage-2 fault to the host hook, and the host page-in completes after
 * exactly the page's drawn latency in virtual ticks; an asynchronous fault
 * leaves the access incomplete until the page is in; shared protocol words
 * are schedule points with their labels; the platform refuses a bad
 * configuration with a message. Method: a guest task touches pages, a host
 * worker pages them in (synchronous faults halt the task as KVM halts a
 * vCPU), and the test compares virtual time and trace events with the
 * latencies the memory drew.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/platform.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "sim/trace.h"
#include "check_support.h"

#define CHECK_IN_SIM(w, cond)                                                   \
	do {                                                                    \
		if (!(cond))                                                    \
			SIM_FAIL((w)->sim, "test-assertion", "%s:%d: %s", __FILE__, \
				 __LINE__, #cond);                              \
	} while (0)

#define BASE 0x80000000ull
#define PAGE SIM_MEMORY_PAGE_SIZE_BYTES
#define SEED_COUNT 16u
#define PAGEIN_COUNT_MAX 8u
#define WORKER_LOOP_MAX 64u
#define RETRY_MAX 100000u

struct world {
	struct sim *sim;
	struct sim_strategy *strategy;
	struct sim_platform *platform;
	struct sim_memory *memory;
	uint32_t task_id;
	uint32_t worker_id;
	bool async;
	bool stop;
	uint64_t request_gpa; /* 0: none */
	bool request_in_flight; /* like KVM's outstanding-GFN check */
	bool request_done;
	uint32_t fault_count;
	uint32_t pagein_count;
	uint64_t pagein_gpa[PAGEIN_COUNT_MAX];
	uint64_t pagein_elapsed_ticks[PAGEIN_COUNT_MAX];
	uint32_t async_retry_count;
	bool done;
};

/* The host worker: pages in one requested GPA at a time. */
static void host_worker(void *arg)
{
	struct world *w = arg;

	for (uint32_t n = 0; n < WORKER_LOOP_MAX; n++) {
		uint64_t gpa, start;

		sim_set_blocking("worker idle", w);
		if (w->request_gpa == 0 && !w->stop) {
			sim_schedule();
		} else {
			sim_set_running();
		}
		if (w->stop)
			return;
		gpa = w->request_gpa;
		w->request_gpa = 0;
		start = sim_now(w->sim);
		CHECK_IN_SIM(w, sim_memory_pagein(w->memory, gpa) == 0);
		CHECK_IN_SIM(w, w->pagein_count < PAGEIN_COUNT_MAX);
		w->pagein_gpa[w->pagein_count] = gpa;
		w->pagein_elapsed_ticks[w->pagein_count] = sim_now(w->sim) - start;
		w->pagein_count++;
		w->request_done = true;
		w->request_in_flight = false;
		if (!w->async)
			sim_wake(w->sim, w->task_id);
	}
}

/* The host's stage-2 fault handler (a stand-in for the host half). */
static enum sim_stage2_result host_fault(void *ctx, uint32_t vcpu, uint64_t gpa,
					 unsigned int access_flags)
{
	struct world *w = ctx;

	CHECK_IN_SIM(w, sim_self_id() == w->task_id);
	CHECK_IN_SIM(w, sim_self_vcpu() == (int)vcpu);
	CHECK_IN_SIM(w, access_flags == (SIM_MEMORY_ACCESS_WRITE | SIM_MEMORY_ACCESS_USER));
	w->fault_count++;
	if (sim_memory_resident(w->memory, gpa) == 1)
		return SIM_STAGE2_MAPPED;
	if (!w->request_in_flight) {
		w->request_in_flight = true;
		w->request_gpa = gpa;
		w->request_done = false;
		sim_wake(w->sim, w->worker_id);
	}
	if (w->async)
		return SIM_STAGE2_ASYNC;
	/* Synchronous: the vCPU blocks in the host until the page is in. */
	sim_set_blocking("stage-2 fault", w);
	if (!w->request_done)
		sim_schedule_halt();
	else
		sim_set_running();
	return SIM_STAGE2_SYNC;
}

static void world_init(struct world *w, uint64_t seed, bool async)
{
	struct sim_config config = { .seed = seed, .vcpu_count = 2, .pin_cpu = -1 };
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_platform_config platform_config = {
		.memory = {
			.gpa_base = BASE,
			.page_count = 64,
			.nonresident_ratio = { 1, 1 },
			.pagein_ticks_min = 20,
			.pagein_ticks_max = 200,
			.slow_ratio = { 1, 4 },
			.slow_pagein_ticks_min = 1000,
			.slow_pagein_ticks_max = 2000,
		},
	};
	char error[128] = "";

	memset(w, 0, sizeof(*w));
	w->async = async;
	ck_assert_int_eq(sim_strategy_create("random", &strategy_config, &w->strategy), 0);
	ck_assert_int_eq(sim_create(&w->sim, &config, w->strategy), 0);
	ck_assert_msg(sim_platform_create(&w->platform, w->sim, &platform_config, error,
					  sizeof(error)) == 0,
		      "%s", error);
	w->memory = sim_platform_memory(w->platform);
	ck_assert_uint_eq(sim_memory_resident_count(w->memory), 0);
	sim_memory_set_fault_hook(w->memory, host_fault, w);
}

static uint32_t spawn(struct world *w, enum sim_thread_kind kind, const char *name,
		      sim_thread_fn fn)
{
	return support_spawn(w->sim, kind, 0, name, fn, w);
}

static void world_run(struct world *w)
{
	ck_assert_int_eq(sim_run(w->sim), 0);
	support_assert_no_finding(sim_result(w->sim), sim_seed(w->sim));
}

static void world_destroy(struct world *w)
{
	sim_destroy(w->sim);
	sim_platform_destroy(w->platform);
	sim_strategy_destroy(w->strategy);
}

static void worker_stop(struct world *w)
{
	w->stop = true;
	sim_wake(w->sim, w->worker_id);
}

static const unsigned int user_write = SIM_MEMORY_ACCESS_WRITE | SIM_MEMORY_ACCESS_USER;

/* ---- Synchronous faults: exact latency ---- */

static void task_touches_pages_sync(void *arg)
{
	struct world *w = arg;
	static const uint64_t pages[] = { 3, 17, 40 };

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		uint64_t gpa = BASE + pages[i] * PAGE + 8;

		CHECK_IN_SIM(w, sim_platform_touch(w->platform, gpa, user_write) ==
				SIM_STAGE2_SYNC);
		CHECK_IN_SIM(w, sim_platform_touch(w->platform, gpa, user_write) ==
				SIM_MEMORY_TOUCH_RESIDENT);
	}
	CHECK_IN_SIM(w, sim_platform_touch(w->platform, BASE + 64 * PAGE, 0) == -EFAULT);
	worker_stop(w);
	w->done = true;
}

START_TEST(test_platform_stage2_fault_pagein_takes_exact_latency)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;

		world_init(&w, seed, false);
		w.task_id = spawn(&w, SIM_THREAD_TASK, "task", task_touches_pages_sync);
		w.worker_id = spawn(&w, SIM_THREAD_HOST, "worker", host_worker);
		world_run(&w);
		ck_assert(w.done);
		ck_assert_uint_eq(w.fault_count, 3);
		ck_assert_uint_eq(w.pagein_count, 3);
		ck_assert_uint_eq(sim_memory_fault_count(w.memory), 3);
		for (uint32_t i = 0; i < w.pagein_count; i++) {
			uint64_t drawn = 0;

			ck_assert_int_eq(sim_memory_pagein_ticks(w.memory, w.pagein_gpa[i], &drawn),
					 0);
			ck_assert_uint_ge(drawn, 20);
			ck_assert_uint_eq(w.pagein_elapsed_ticks[i], drawn);
		}
		ck_assert_uint_eq(sim_memory_resident_count(w.memory), 3);
		world_destroy(&w);
	}
}
END_TEST

/* ---- Asynchronous faults: the access completes only after page-in ---- */

static void task_retries_async(void *arg)
{
	struct world *w = arg;
	const uint64_t gpa = BASE + 9 * PAGE;
	int result = SIM_STAGE2_ASYNC;
	uint32_t tries;

	for (tries = 0; tries < RETRY_MAX && result == SIM_STAGE2_ASYNC; tries++) {
		result = sim_platform_touch(w->platform, gpa, user_write);
		CHECK_IN_SIM(w, result == SIM_STAGE2_ASYNC || w->request_done);
	}
	CHECK_IN_SIM(w, result == SIM_MEMORY_TOUCH_RESIDENT || result == SIM_STAGE2_MAPPED);
	w->async_retry_count = tries;
	worker_stop(w);
	w->done = true;
}

START_TEST(test_platform_stage2_async_fault_completes_after_pagein)
{
	for (uint64_t seed = 1; seed <= SEED_COUNT; seed++) {
		struct world w;
		uint64_t drawn = 0;

		world_init(&w, seed, true);
		w.task_id = spawn(&w, SIM_THREAD_TASK, "task", task_retries_async);
		w.worker_id = spawn(&w, SIM_THREAD_HOST, "worker", host_worker);
		world_run(&w);
		ck_assert(w.done);
		ck_assert_uint_eq(w.pagein_count, 1);
		ck_assert_int_eq(sim_memory_pagein_ticks(w.memory, BASE + 9 * PAGE, &drawn), 0);
		/* Other threads ran meanwhile: at least the latency. */
		ck_assert_uint_ge(w.pagein_elapsed_ticks[0], drawn);
		ck_assert_uint_ge(w.async_retry_count, 2);
		ck_assert_uint_eq(sim_memory_fault_count(w.memory), w.async_retry_count - 1);
		world_destroy(&w);
	}
}
END_TEST

/* ---- Shared words are labelled schedule points ---- */

static void task_writes_shared_words(void *arg)
{
	struct world *w = arg;
	uint32_t value = 0;

	CHECK_IN_SIM(w, sim_memory_write_u32(w->memory, BASE + 4, 0x1000, "apf token") == 0);
	CHECK_IN_SIM(w, sim_memory_write_u32(w->memory, BASE, 1, "apf reason") == 0);
	CHECK_IN_SIM(w, sim_memory_read_u32(w->memory, BASE + 4, &value, "apf token") == 0);
	CHECK_IN_SIM(w, value == 0x1000);
	CHECK_IN_SIM(w, sim_memory_read_u32(w->memory, BASE + 2, &value, "bad") == -EINVAL);
	worker_stop(w);
}

START_TEST(test_platform_shared_words_are_labelled_points)
{
	struct sim_trace_event events[256];
	struct world w;
	uint64_t count;
	uint32_t writes = 0, reads = 0;

	world_init(&w, 3, false);
	w.task_id = spawn(&w, SIM_THREAD_TASK, "task", task_writes_shared_words);
	w.worker_id = spawn(&w, SIM_THREAD_HOST, "worker", host_worker);
	world_run(&w);
	count = sim_trace_snapshot(w.sim, events, 256);
	for (uint64_t i = 0; i < count; i++) {
		if (events[i].kind != SIM_TRACE_POINT || events[i].label == NULL)
			continue;
		if (strcmp(events[i].label, "apf token") == 0 && events[i].a == SIM_POINT_WRITE)
			writes++;
		if (strcmp(events[i].label, "apf token") == 0 && events[i].a == SIM_POINT_READ)
			reads++;
		ck_assert_str_ne(events[i].label, "bad");
	}
	ck_assert_uint_eq(writes, 1);
	ck_assert_uint_eq(reads, 1);
	world_destroy(&w);
}
END_TEST

START_TEST(test_platform_create_rejects_bad_config)
{
	struct sim_config config = { .seed = 1, .vcpu_count = 1, .pin_cpu = -1 };
	struct sim_strategy_config strategy_config = { .seed = 1 };
	struct sim_platform_config bad = { .memory = { .gpa_base = 0x1001, .page_count = 4 } };
	struct sim_strategy *strategy = NULL;
	struct sim_platform *platform = NULL;
	struct sim *sim = NULL;
	char error[128] = "";

	ck_assert_int_eq(sim_strategy_create("random", &strategy_config, &strategy), 0);
	ck_assert_int_eq(sim_create(&sim, &config, strategy), 0);
	ck_assert_int_eq(sim_platform_create(&platform, sim, &bad, error, sizeof(error)), -EINVAL);
	ck_assert_ptr_null(platform);
	ck_assert_ptr_nonnull(strstr(error, "aligned"));
	bad.memory.gpa_base = 0x1000;
	bad.memory.page_count = 0;
	ck_assert_int_eq(sim_platform_create(&platform, sim, &bad, error, sizeof(error)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(error, "page_count"));
	ck_assert_int_eq(sim_platform_config_check(NULL, error, sizeof(error)), -EINVAL);
	sim_destroy(sim);
	sim_strategy_destroy(strategy);
}
END_TEST

static Suite *platform_memory_suite(void)
{
	Suite *s = suite_create("platform-memory");
	TCase *tc = tcase_create("stage2");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_platform_stage2_fault_pagein_takes_exact_latency);
	tcase_add_test(tc, test_platform_stage2_async_fault_completes_after_pagein);
	tcase_add_test(tc, test_platform_shared_words_are_labelled_points);
	tcase_add_test(tc, test_platform_create_rejects_bad_config);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return support_run_suite(platform_memory_suite());
}

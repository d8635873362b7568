// SPDX-License-Identifier: MIT
/*
 * Classic concurrency bugs as small programs on the engine (see programs.h).
 * Each buggy program has a fixed twin that must never report a finding.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "programs.h"
#include "sim/assert.h"
#include "sim/schedule.h"

/* A test mutex on the engine's blocking primitives. */
struct tmutex {
	uint32_t owner;
	uint32_t waiters[8];
	uint32_t waiter_count;
};

struct program_state {
	enum program_id id;
	struct program_options options;
	struct sim *sim;
	struct tmutex m1, m2;
	uint32_t counter;
	uint32_t flag;
	uint32_t consumer;
	uint32_t consumed;
	uint32_t reads[2];
	uint32_t variant; /* differs between runs when nondeterministic */
};

static uint32_t run_counter; /* only for options.nondeterministic */

static void tmutex_init(struct tmutex *m)
{
	memset(m, 0, sizeof(*m));
	m->owner = SIM_THREAD_NONE;
}

static void tmutex_lock(struct tmutex *m)
{
	uint32_t self = sim_self_id();

	sim_point(SIM_POINT_LOCK_ACQUIRE, "tmutex_lock");
	for (uint32_t round = 0; m->owner != SIM_THREAD_NONE; round++) {
		SIM_ASSERT(round < 1000000);
		SIM_ASSERT(m->owner != self);
		SIM_ASSERT(m->waiter_count < 8);
		m->waiters[m->waiter_count++] = self;
		sim_set_blocking("tmutex", m);
		if (m->owner != SIM_THREAD_NONE)
			sim_schedule();
		else
			sim_set_running();
	}
	m->owner = self;
}

static void tmutex_unlock(struct tmutex *m)
{
	uint32_t count = m->waiter_count;

	SIM_ASSERT(m->owner == sim_self_id());
	m->owner = SIM_THREAD_NONE;
	m->waiter_count = 0;
	for (uint32_t i = 0; i < count; i++)
		sim_wake(sim_self(), m->waiters[i]);
	sim_point(SIM_POINT_LOCK_RELEASE, "tmutex_unlock");
}

static void pad(const struct program_state *s)
{
	for (uint32_t i = 0; i < s->options.padding; i++)
		sim_point(SIM_POINT_YIELD, "pad");
}

/* Lost update: read-modify-write without (or with) a lock. */
static void lost_update_body(void *arg)
{
	struct program_state *s = arg;
	bool fixed = s->id == PROGRAM_LOST_UPDATE_FIXED;

	pad(s);
	if (fixed)
		tmutex_lock(&s->m1);
	sim_point(SIM_POINT_READ, "read counter");
	uint32_t value = s->counter;
	sim_point(SIM_POINT_WRITE, "write counter");
	s->counter = value + 1;
	if (fixed)
		tmutex_unlock(&s->m1);
	pad(s);
}

/*
 * Depth 2: thread A opens a window (flag = 1) and closes it; thread B must not
 * observe the window: a1 < b1 < a2. The fix does both writes under a lock that
 * B also takes to read.
 */
static void order_writer(void *arg)
{
	struct program_state *s = arg;
	bool fixed = s->id == PROGRAM_ORDER_DEPTH2_FIXED || s->id == PROGRAM_ORDER_DEPTH3_FIXED;

	pad(s);
	if (fixed)
		tmutex_lock(&s->m1);
	sim_point(SIM_POINT_WRITE, "open window");
	s->flag = 1;
	pad(s);
	sim_point(SIM_POINT_WRITE, "close window");
	s->flag = 0;
	if (fixed)
		tmutex_unlock(&s->m1);
	pad(s);
}

static void order_reader2(void *arg)
{
	struct program_state *s = arg;
	bool fixed = s->id == PROGRAM_ORDER_DEPTH2_FIXED;

	pad(s);
	if (fixed)
		tmutex_lock(&s->m1);
	sim_point(SIM_POINT_READ, "read flag");
	if (s->flag == 1)
		SIM_FAIL(s->sim, PROGRAM_FINDING, "depth-2: reader saw the open window");
	if (fixed)
		tmutex_unlock(&s->m1);
	pad(s);
}

/* Depth 3: the reader must see the window open, then closed: a1 < b1 < a2 < b2. */
static void order_reader3(void *arg)
{
	struct program_state *s = arg;
	bool fixed = s->id == PROGRAM_ORDER_DEPTH3_FIXED;

	pad(s);
	if (fixed)
		tmutex_lock(&s->m1);
	sim_point(SIM_POINT_READ, "read flag 1");
	s->reads[0] = s->flag;
	if (fixed)
		tmutex_unlock(&s->m1);
	pad(s);
	if (fixed)
		tmutex_lock(&s->m1);
	sim_point(SIM_POINT_READ, "read flag 2");
	s->reads[1] = s->flag;
	if (fixed)
		tmutex_unlock(&s->m1);
	if (s->reads[0] == 1 && s->reads[1] == 0)
		SIM_FAIL(s->sim, PROGRAM_FINDING, "depth-3: reader saw the window open then closed");
}

/* Lock-order inversion: A takes m1 then m2, B takes m2 then m1 (fixed: both m1 first). */
static void inversion_a(void *arg)
{
	struct program_state *s = arg;

	pad(s);
	tmutex_lock(&s->m1);
	sim_point(SIM_POINT_YIELD, "between locks");
	tmutex_lock(&s->m2);
	tmutex_unlock(&s->m2);
	tmutex_unlock(&s->m1);
}

static void inversion_b(void *arg)
{
	struct program_state *s = arg;
	bool fixed = s->id == PROGRAM_LOCK_INVERSION_FIXED;
	struct tmutex *first = fixed ? &s->m1 : &s->m2;
	struct tmutex *second = fixed ? &s->m2 : &s->m1;

	pad(s);
	tmutex_lock(first);
	sim_point(SIM_POINT_YIELD, "between locks");
	tmutex_lock(second);
	tmutex_unlock(second);
	tmutex_unlock(first);
}

/*
 * Lost wakeup: the consumer checks the flag, then announces that it sleeps.
 * A producer that sets the flag and wakes in between is lost. The fix
 * announces first (set_current_state before the check).
 */
static void wakeup_consumer(void *arg)
{
	struct program_state *s = arg;
	bool fixed = s->id == PROGRAM_LOST_WAKEUP_FIXED;

	pad(s);
	if (fixed) {
		sim_set_blocking("flag", &s->flag);
		sim_point(SIM_POINT_READ, "check flag");
		if (s->flag == 0)
			sim_schedule();
		else
			sim_set_running();
	} else {
		sim_point(SIM_POINT_READ, "check flag");
		if (s->flag == 0) {
			sim_point(SIM_POINT_YIELD, "about to sleep");
			sim_set_blocking("flag", &s->flag);
			sim_schedule();
		}
	}
	s->consumed = 1;
}

static void wakeup_producer(void *arg)
{
	struct program_state *s = arg;

	pad(s);
	sim_point(SIM_POINT_WRITE, "set flag");
	s->flag = 1;
	sim_wake(s->sim, s->consumer);
}

static void tiny_body(void *arg)
{
	struct program_state *s = arg;

	for (uint32_t i = 0; i < s->options.tiny_points; i++)
		sim_point(SIM_POINT_YIELD, "tiny");
	if (s->options.extra_point)
		sim_point(SIM_POINT_YIELD, "extra");
	if (s->variant == 1 && sim_self_id() == s->consumer)
		sim_point(SIM_POINT_YIELD, "only-every-other-run");
}

static void pingpong_body(void *arg)
{
	struct program_state *s = arg;

	for (uint32_t i = 0; i < s->options.pingpong_rounds; i++)
		sim_point(SIM_POINT_YIELD, "pingpong");
}

struct program_desc {
	const char *name;
	bool buggy;
	const char *expected_class;
	sim_thread_fn first;
	sim_thread_fn second;
};

static const struct program_desc programs[PROGRAM_COUNT] = {
	[PROGRAM_LOST_UPDATE] = {"lost-update", true, PROGRAM_FINDING, lost_update_body, lost_update_body},
	[PROGRAM_LOST_UPDATE_FIXED] = {"lost-update-fixed", false, NULL, lost_update_body, lost_update_body},
	[PROGRAM_ORDER_DEPTH2] = {"order-depth2", true, PROGRAM_FINDING, order_writer, order_reader2},
	[PROGRAM_ORDER_DEPTH2_FIXED] = {"order-depth2-fixed", false, NULL, order_writer, order_reader2},
	[PROGRAM_ORDER_DEPTH3] = {"order-depth3", true, PROGRAM_FINDING, order_writer, order_reader3},
	[PROGRAM_ORDER_DEPTH3_FIXED] = {"order-depth3-fixed", false, NULL, order_writer, order_reader3},
	[PROGRAM_LOCK_INVERSION] = {"lock-inversion", true, SIM_FINDING_DEADLOCK, inversion_a, inversion_b},
	[PROGRAM_LOCK_INVERSION_FIXED] = {"lock-inversion-fixed", false, NULL, inversion_a, inversion_b},
	[PROGRAM_LOST_WAKEUP] = {"lost-wakeup", true, SIM_FINDING_DEADLOCK, wakeup_consumer, wakeup_producer},
	[PROGRAM_LOST_WAKEUP_FIXED] = {"lost-wakeup-fixed", false, NULL, wakeup_consumer, wakeup_producer},
	[PROGRAM_TINY] = {"tiny", false, NULL, tiny_body, tiny_body},
	[PROGRAM_PINGPONG] = {"pingpong", false, NULL, pingpong_body, pingpong_body},
};

const char *program_name(enum program_id id)
{
	SIM_ASSERT(id < PROGRAM_COUNT);
	return programs[id].name;
}

bool program_buggy(enum program_id id)
{
	SIM_ASSERT(id < PROGRAM_COUNT);
	return programs[id].buggy;
}

const char *program_expected_class(enum program_id id)
{
	SIM_ASSERT(id < PROGRAM_COUNT);
	return programs[id].expected_class;
}

struct program_state *program_setup(struct sim *sim, enum program_id id,
				    const struct program_options *options)
{
	struct program_state *s = calloc(1, sizeof(*s));
	struct sim_thread_attr a = {.kind = SIM_THREAD_HOST, .name = "A"};
	struct sim_thread_attr b = {.kind = SIM_THREAD_HOST, .name = "B"};
	uint32_t first, second;

	SIM_ASSERT(s != NULL);
	SIM_ASSERT(id < PROGRAM_COUNT);
	s->id = id;
	s->options = *options;
	s->sim = sim;
	tmutex_init(&s->m1);
	tmutex_init(&s->m2);
	first = sim_spawn(sim, &a, programs[id].first, s);
	second = sim_spawn(sim, &b, programs[id].second, s);
	SIM_ASSERT(first != SIM_THREAD_NONE && second != SIM_THREAD_NONE);
	s->consumer = first;
	if (options->nondeterministic)
		s->variant = run_counter++ % 2;
	return s;
}

void program_teardown(struct sim *sim, struct program_state *s)
{
	bool finished = sim_result(sim)->finding_count == 0;

	/* End-of-run assertions that only hold for a complete execution. */
	if (finished && (s->id == PROGRAM_LOST_UPDATE || s->id == PROGRAM_LOST_UPDATE_FIXED) &&
	    s->counter != 2)
		SIM_REPORT(sim, PROGRAM_FINDING, "lost update: counter is %u, not 2", s->counter);
	if (finished && s->id == PROGRAM_LOST_WAKEUP_FIXED)
		SIM_ASSERT(s->consumed == 1);
	free(s);
}

int program_run_once(enum program_id id, const struct program_options *options, uint64_t seed,
		     struct sim_strategy *strategy, uint32_t vcpu_count, struct program_run *out)
{
	struct sim_config config = {
		.seed = seed, .vcpu_count = vcpu_count, .pin_cpu = -1,
		.step_count_max = 100000, .progress_window = 50000,
		.thread_stack_bytes = 64 * 1024,
	};
	struct program_state *state;
	const struct sim_result *r;
	struct sim *sim;
	int err;

	memset(out, 0, sizeof(*out));
	err = sim_create(&sim, &config, strategy);
	if (err != 0)
		return err;
	state = program_setup(sim, id, options);
	out->run_error = sim_run(sim);
	program_teardown(sim, state);
	r = sim_result(sim);
	out->failed = r->finding_count > 0;
	if (out->failed) {
		snprintf(out->finding_class, sizeof(out->finding_class), "%s",
			 r->findings[0].class_name);
		snprintf(out->finding_message, sizeof(out->finding_message), "%s",
			 r->findings[0].message);
	}
	out->trace_hash = r->trace_hash;
	out->step_count = r->step_count;
	out->decision_count = r->decision_count;
	out->schedule_text = sim_schedule_encode(sim_recorded_schedule(sim));
	sim_destroy(sim);
	return out->run_error;
}

void program_run_fini(struct program_run *run)
{
	free(run->schedule_text);
	run->schedule_text = NULL;
}

// SPDX-License-Identifier: MIT
/*
 * The engine: threads, vCPUs, the baton, schedule points, blocking and
 * waking, findings and the run loop. See sim/include/sim/sim.h for the model
 * and docs/engine.md for the design.
 *
 * Deterministic mode hands a baton from thread to thread: each thread waits
 * on its own semaphore, and the thread holding the baton runs engine code
 * without locks (nothing else runs). Free-run mode grants the baton to every
 * eligible thread at once and protects engine state with a recursive mutex.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_private.h"

static __thread struct sim_thread *tls_self;
/*
 * This thread is running engine context (timer callbacks, the first pick made
 * by the controlling thread): schedule points are skipped and events are
 * attributed to the engine. Per thread, because in free-run mode another
 * thread's points must not be affected.
 */
static __thread bool tls_in_engine;
/* Stress mode: this thread holds the global lock (see gil_take()). */
static __thread bool tls_gil_held;

/* Nothing eligible: at most this many timer rounds before a verdict. */
#define PICK_ROUND_MAX_ (SIM_TIMER_COUNT_MAX + 2u)

SIM_STATIC_ASSERT(SIM_IRQ_DELAY_COUNT_MAX > 0, "a declined interrupt is delivered eventually");

void sim__lock(struct sim *sim)
{
	if (sim->free_run)
		SIM_ASSERT(pthread_mutex_lock(&sim->lock) == 0);
}

void sim__unlock(struct sim *sim)
{
	if (sim->free_run)
		SIM_ASSERT(pthread_mutex_unlock(&sim->lock) == 0);
}

/*
 * Stress mode (SIM_MODE_STRESS) runs the free-run machinery with one global
 * lock that a thread holds while it runs and lets go of at every schedule
 * point and while it waits for its baton. Which thread takes it next is up to
 * the host kernel (futex wake-up order, preemption, barging): real threads in
 * an order nobody controls or records, one at a time, so code that is only
 * safe one-thread-at-a-time (the platform, the KVM model) stays safe.
 * Lock order: the global lock before the engine lock, never the reverse.
 */
static void gil_take(struct sim *sim)
{
	if (!sim->stress || tls_gil_held)
		return;
	SIM_ASSERT(pthread_mutex_lock(&sim->gil) == 0);
	tls_gil_held = true;
}

static void gil_drop(struct sim *sim)
{
	if (!sim->stress || !tls_gil_held)
		return;
	tls_gil_held = false;
	SIM_ASSERT(pthread_mutex_unlock(&sim->gil) == 0);
}

/*
 * `stopping` is read outside the lock (free-run threads, the finishing thread
 * versus the controlling thread), so it is accessed atomically.
 */
static bool is_stopping(const struct sim *sim)
{
	return __atomic_load_n(&sim->stopping, __ATOMIC_ACQUIRE);
}

static void set_stopping(struct sim *sim)
{
	__atomic_store_n(&sim->stopping, true, __ATOMIC_RELEASE);
}

static struct sim_thread *thread_of(const struct sim *sim, uint32_t id)
{
	SIM_ASSERT(id < sim->thread_count);
	SIM_ASSERT(sim->threads[id] != NULL);
	return sim->threads[id];
}

uint32_t sim__trace_thread_id(const struct sim *sim)
{
	if (tls_in_engine || tls_self == NULL || tls_self->sim != sim)
		return SIM_THREAD_NONE;
	return tls_self->id;
}

int sim__trace_vcpu(const struct sim *sim)
{
	if (tls_in_engine || tls_self == NULL || tls_self->sim != sim)
		return -1;
	return tls_self->vcpu;
}

/* ---- The ready set: sorted thread ids ---- */

static uint32_t ready_find(const struct sim *sim, uint32_t id, bool *found)
{
	uint32_t low = 0, high = sim->ready_count;

	while (low < high) {
		uint32_t mid = low + (high - low) / 2;

		if (sim->ready[mid] < id)
			low = mid + 1;
		else
			high = mid;
	}
	*found = low < sim->ready_count && sim->ready[low] == id;
	return low;
}

static bool thread_should_be_ready(const struct sim *sim, const struct sim_thread *t)
{
	if (t->state != SIM_THREAD_RUNNABLE && t->state != SIM_THREAD_BLOCKING)
		return false;
	if (t->kind == SIM_THREAD_HOST)
		return true;
	if (t->kind == SIM_THREAD_IDLE)
		return false; /* idle threads are evaluated at each pick */
	SIM_ASSERT(t->vcpu >= 0 && (uint32_t)t->vcpu < sim->config.vcpu_count);
	return sim->vcpus[t->vcpu].online && sim->vcpus[t->vcpu].current == t->id;
}

/* Bring @id's membership of the ready set in line with its state. */
static void ready_refresh(struct sim *sim, uint32_t id)
{
	bool found, want;
	uint32_t at;

	if (id == SIM_THREAD_NONE)
		return;
	want = thread_should_be_ready(sim, thread_of(sim, id));
	at = ready_find(sim, id, &found);
	if (want == found)
		return;
	if (want) {
		SIM_ASSERT(sim->ready_count < SIM_THREAD_COUNT_MAX);
		memmove(&sim->ready[at + 1], &sim->ready[at],
			(sim->ready_count - at) * sizeof(*sim->ready));
		sim->ready[at] = id;
		sim->ready_count++;
	} else {
		memmove(&sim->ready[at], &sim->ready[at + 1],
			(sim->ready_count - at - 1) * sizeof(*sim->ready));
		sim->ready_count--;
	}
}

/* ---- vCPU run queues (FIFO, intrusive) ---- */

static void rq_push(struct sim *sim, uint32_t vcpu, uint32_t id)
{
	struct sim_vcpu *vc = &sim->vcpus[vcpu];
	struct sim_thread *t = thread_of(sim, id);

	SIM_ASSERT(!t->in_runqueue);
	SIM_ASSERT(vc->rq_count < SIM_TASK_COUNT_MAX);
	t->in_runqueue = true;
	t->rq_next = SIM_THREAD_NONE;
	if (vc->rq_tail == SIM_THREAD_NONE)
		vc->rq_head = id;
	else
		thread_of(sim, vc->rq_tail)->rq_next = id;
	vc->rq_tail = id;
	vc->rq_count++;
}

static uint32_t rq_pop(struct sim *sim, uint32_t vcpu)
{
	struct sim_vcpu *vc = &sim->vcpus[vcpu];
	struct sim_thread *t;
	uint32_t id = vc->rq_head;

	if (id == SIM_THREAD_NONE)
		return id;
	t = thread_of(sim, id);
	SIM_ASSERT(t->in_runqueue);
	vc->rq_head = t->rq_next;
	if (vc->rq_head == SIM_THREAD_NONE)
		vc->rq_tail = SIM_THREAD_NONE;
	vc->rq_count--;
	t->in_runqueue = false;
	t->rq_next = SIM_THREAD_NONE;
	return id;
}

static void rq_remove(struct sim *sim, uint32_t vcpu, uint32_t id)
{
	struct sim_vcpu *vc = &sim->vcpus[vcpu];
	uint32_t prev = SIM_THREAD_NONE, cur = vc->rq_head;

	for (uint32_t n = 0; n <= vc->rq_count && cur != SIM_THREAD_NONE; n++) {
		struct sim_thread *t = thread_of(sim, cur);

		if (cur == id) {
			if (prev == SIM_THREAD_NONE)
				vc->rq_head = t->rq_next;
			else
				thread_of(sim, prev)->rq_next = t->rq_next;
			if (vc->rq_tail == id)
				vc->rq_tail = prev;
			vc->rq_count--;
			t->in_runqueue = false;
			t->rq_next = SIM_THREAD_NONE;
			return;
		}
		prev = cur;
		cur = t->rq_next;
	}
	SIM_ASSERT(0 && "task not on its run queue");
}

static void vcpu_set_current(struct sim *sim, uint32_t vcpu, uint32_t id)
{
	uint32_t old = sim->vcpus[vcpu].current;

	sim->vcpus[vcpu].current = id;
	ready_refresh(sim, old);
	ready_refresh(sim, id);
}

/* An idle online vCPU takes the next task of its run queue. */
/*
 * Is @vcpu's idle thread inside an interrupt delivery? Then the vCPU is busy
 * with that handler: no task may become current until it returns, or the
 * handler (which may hold a lock) could never run again.
 */
static bool vcpu_idle_in_delivery(const struct sim *sim, uint32_t vcpu)
{
	return thread_of((struct sim *)sim, sim->vcpus[vcpu].idle)->delivery_depth > 0;
}

static void vcpu_fill(struct sim *sim, uint32_t vcpu)
{
	struct sim_vcpu *vc = &sim->vcpus[vcpu];

	if (!vc->online || vc->current != SIM_THREAD_NONE || vcpu_idle_in_delivery(sim, vcpu))
		return;
	vcpu_set_current(sim, vcpu, rq_pop(sim, vcpu));
}

/* Put a runnable task on @vcpu: current if the vCPU is idle, else queued. */
static void vcpu_place(struct sim *sim, uint32_t vcpu, uint32_t id)
{
	SIM_ASSERT(sim->vcpus[vcpu].online);
	thread_of(sim, id)->vcpu = (int)vcpu;
	if (sim->vcpus[vcpu].current == SIM_THREAD_NONE && !vcpu_idle_in_delivery(sim, vcpu))
		vcpu_set_current(sim, vcpu, id);
	else
		rq_push(sim, vcpu, id);
}

static uint32_t vcpu_first_online(const struct sim *sim, uint32_t except)
{
	for (uint32_t v = 0; v < sim->config.vcpu_count; v++)
		if (v != except && sim->vcpus[v].online)
			return v;
	return SIM_THREAD_NONE;
}

/* ---- Findings and the end of an execution ---- */

static void finish(struct sim *sim)
{
	set_stopping(sim);
	if (!sim->done_posted) {
		sim->done_posted = true;
		SIM_ASSERT(sem_post(&sim->done) == 0);
	}
}

static _Noreturn void unwind(struct sim_thread *self)
{
	longjmp(self->exit_jmp, 1);
}

__attribute__((format(printf, 5, 0))) static void
finding_vrecord(struct sim *sim, const char *class_name, const char *file, int line,
		const char *fmt, va_list ap)
{
	uint32_t index = sim->result.finding_count++;

	sim_trace(sim, SIM_TRACE_FINDING, class_name, index, 0);
	if (index >= SIM_FINDING_COUNT_MAX)
		return;
	struct sim_finding *f = &sim->result.findings[index];

	f->class_name = class_name;
	f->file = file;
	f->line = line;
	f->thread_id = sim__trace_thread_id(sim);
	f->step = sim->step;
	f->tick = sim->tick;
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
}

__attribute__((format(printf, 5, 6))) static void
finding_record(struct sim *sim, const char *class_name, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	finding_vrecord(sim, class_name, file, line, fmt, ap);
	va_end(ap);
}

void sim_report(struct sim *sim, const char *class_name, const char *file, int line,
		const char *fmt, ...)
{
	va_list ap;

	SIM_ASSERT(sim != NULL);
	SIM_ASSERT(class_name != NULL);
	sim__lock(sim);
	va_start(ap, fmt);
	finding_vrecord(sim, class_name, file, line, fmt, ap);
	va_end(ap);
	sim__unlock(sim);
}

void sim_fail(struct sim *sim, const char *class_name, const char *file, int line,
	      const char *fmt, ...)
{
	struct sim_thread *self = tls_self;
	va_list ap;

	SIM_ASSERT(sim != NULL);
	SIM_ASSERT(class_name != NULL);
	sim__lock(sim);
	va_start(ap, fmt);
	finding_vrecord(sim, class_name, file, line, fmt, ap);
	va_end(ap);
	finish(sim);
	sim__unlock(sim);
	if (self != NULL && self->sim == sim && !tls_in_engine && sim->started)
		unwind(self);
}

void sim_stop(struct sim *sim)
{
	struct sim_thread *self = tls_self;

	sim__lock(sim);
	finish(sim);
	sim__unlock(sim);
	if (self != NULL && self->sim == sim && !tls_in_engine && sim->started)
		unwind(self);
}

bool sim_stopping(const struct sim *sim)
{
	return is_stopping(sim);
}

void sim_progress(struct sim *sim)
{
	sim__lock(sim);
	sim->last_progress_step = sim->step;
	sim__unlock(sim);
}

/* Divergence of a replay: the strategy's message becomes the finding. */
static void diverged(struct sim *sim)
{
	const char *why = NULL;

	if (sim->strategy->ops->error != NULL)
		why = sim->strategy->ops->error(sim->strategy);
	finding_record(sim, SIM_FINDING_DIVERGENCE, __FILE__, __LINE__, "%s",
		       why != NULL ? why : "the strategy could not follow the execution");
	finish(sim);
}

/* ---- Decisions ---- */

static void decision_record(struct sim *sim, enum sim_decision_kind kind, uint32_t value,
			    uint32_t option_count)
{
	struct sim_decision d = {
		.kind = (uint8_t)kind, .value = value, .option_count = option_count,
	};

	if (sim_schedule_append(&sim->recorded, d) != 0) {
		sim->error = -ENOMEM;
		finish(sim);
	}
}

/* A decision among @count options (IRQ or CHOICE). In free-run mode the
 * scheduling stream decides. */
static uint32_t decide_option(struct sim *sim, enum sim_decision_kind kind, uint32_t count,
			      const char *label)
{
	uint32_t option;

	SIM_ASSERT(count >= 2);
	if (sim->free_run)
		return (uint32_t)sim_prng_below(&sim->streams[SIM_STREAM_SCHED], count);
	option = sim->strategy->ops->pick_option(sim->strategy, kind, count, sim->step);
	if (option == SIM_PICK_DIVERGED) {
		diverged(sim);
		return SIM_PICK_DIVERGED;
	}
	SIM_ASSERT(option < count);
	decision_record(sim, kind, option, count);
	sim_trace(sim, SIM_TRACE_DECISION, label, kind, option);
	return option;
}

uint32_t sim_choose(uint32_t option_count, const char *label)
{
	struct sim_thread *self = tls_self;
	struct sim *sim;
	uint32_t option;

	SIM_ASSERT(option_count >= 1);
	SIM_ASSERT(self != NULL);
	sim = self->sim;
	if (option_count == 1)
		return 0;
	sim__lock(sim);
	option = decide_option(sim, SIM_DECISION_CHOICE, option_count, label);
	sim__unlock(sim);
	if (option == SIM_PICK_DIVERGED)
		unwind(self);
	return option;
}

/* ---- Picking the next thread (deterministic mode) ---- */

/*
 * An idle vCPU's thread runs when something is deliverable, and also while it
 * is inside a handler it took (the handler may have yielded with interrupts
 * masked, and must get to finish).
 */
static bool vcpu_idle_wants_cpu(struct sim *sim, uint32_t vcpu)
{
	const struct sim_vcpu *vc = &sim->vcpus[vcpu];

	if (!vc->online || vc->current != SIM_THREAD_NONE || sim->irq_ops.deliverable == NULL)
		return false;
	if (thread_of(sim, vc->idle)->delivery_depth > 0)
		return true;
	return sim->irq_ops.deliverable(sim->irq_ctx, vcpu);
}

/* Eligible threads, sorted by id (idle threads have the lowest ids). */
static const uint32_t *eligible_build(struct sim *sim, uint32_t *count_out)
{
	uint32_t count = 0;

	for (uint32_t v = 0; v < sim->config.vcpu_count; v++)
		if (vcpu_idle_wants_cpu(sim, v))
			sim->eligible[count++] = sim->vcpus[v].idle;
	if (count == 0) {
		*count_out = sim->ready_count;
		return sim->ready;
	}
	SIM_ASSERT(count + sim->ready_count <= SIM_THREAD_COUNT_MAX);
	memcpy(&sim->eligible[count], sim->ready, sim->ready_count * sizeof(*sim->ready));
	*count_out = count + sim->ready_count;
	return sim->eligible;
}

static uint32_t live_thread_count(const struct sim *sim)
{
	uint32_t live = 0;

	for (uint32_t id = 0; id < sim->thread_count; id++) {
		const struct sim_thread *t = sim->threads[id];

		live += !t->daemon && t->state != SIM_THREAD_EXITED;
	}
	return live;
}

static void deadlock_report(struct sim *sim)
{
	char message[SIM_FINDING_MESSAGE_SIZE];
	size_t used = 0;
	uint32_t blocked = 0;

	message[0] = '\0';
	for (uint32_t id = 0; id < sim->thread_count; id++) {
		const struct sim_thread *t = sim->threads[id];
		int n;

		if (t->daemon || t->state == SIM_THREAD_EXITED)
			continue;
		blocked++;
		if (used >= sizeof(message))
			continue;
		n = snprintf(message + used, sizeof(message) - used, "%s%s waits on %s",
			     blocked > 1 ? "; " : "", t->name,
			     t->block_reason != NULL ? t->block_reason : "(nothing)");
		if (n > 0)
			used += (size_t)n;
	}
	finding_record(sim, SIM_FINDING_DEADLOCK, __FILE__, __LINE__,
		       "%u thread(s) blocked, none eligible, no timer pending: %s", blocked,
		       message);
}

static void fire_timers(struct sim *sim)
{
	bool was_in_engine = tls_in_engine;

	tls_in_engine = true;
	if (sim__timers_fire(sim) > 0)
		sim_progress(sim);
	tls_in_engine = was_in_engine;
}

/*
 * Choose the thread to run next. @self_id is the thread at the point (it is
 * passed to the strategy as the current thread if still eligible).
 * Return: a thread id, or SIM_THREAD_NONE when the execution is over.
 */
static uint32_t pick_next(struct sim *sim, uint32_t self_id)
{
	const uint32_t *eligible = NULL;
	uint32_t count = 0, index, current = SIM_THREAD_NONE;

	for (uint32_t round = 0; round < PICK_ROUND_MAX_; round++) {
		if (is_stopping(sim))
			return SIM_THREAD_NONE;
		eligible = eligible_build(sim, &count);
		if (count > 0)
			break;
		if (sim__timer_pending(sim)) {
			uint64_t deadline = sim__timer_next_deadline(sim);

			if (deadline > sim->tick)
				sim->tick = deadline;
			fire_timers(sim);
			continue;
		}
		if (live_thread_count(sim) > 0)
			deadlock_report(sim);
		finish(sim);
		return SIM_THREAD_NONE;
	}
	SIM_ASSERT(count > 0);
	if (count == 1)
		return eligible[0];
	for (uint32_t i = 0; i < count; i++)
		if (eligible[i] == self_id)
			current = self_id;
	struct sim_pick pick = {
		.eligible = eligible, .eligible_count = count,
		.current_id = current, .step = sim->step,
		.current_yielded = current != SIM_THREAD_NONE &&
				   sim->point_kind == SIM_POINT_YIELD,
	};
	index = sim->strategy->ops->pick_thread(sim->strategy, &pick);
	if (index == SIM_PICK_DIVERGED) {
		diverged(sim);
		return SIM_THREAD_NONE;
	}
	SIM_ASSERT(index < count);
	decision_record(sim, SIM_DECISION_THREAD, eligible[index], count);
	return eligible[index];
}

/* ---- The baton ---- */

static void baton_wait(struct sim_thread *self)
{
	int rc;

	do {
		rc = sem_wait(&self->baton);
	} while (rc != 0 && errno == EINTR);
	SIM_ASSERT(rc == 0);
}

static void baton_post(struct sim_thread *t)
{
	SIM_ASSERT(sem_post(&t->baton) == 0);
}

/*
 * Hand the baton to @next (deterministic mode). @self is NULL for the
 * controlling thread. An exiting thread does not wait; any other waits until
 * it is picked again, and is unwound if the execution ended meanwhile.
 */
static void hand_over(struct sim *sim, struct sim_thread *self, uint32_t next, bool exiting)
{
	if (next != SIM_THREAD_NONE && (self == NULL || next != self->id)) {
		struct sim_thread *n = thread_of(sim, next);

		sim_trace(sim, SIM_TRACE_SWITCH, NULL,
			  self != NULL ? self->id : SIM_THREAD_NONE, next);
		sim->running = next;
		sim->switch_count++;
		n->ran = true;
		baton_post(n);
	} else if (next != SIM_THREAD_NONE) {
		return; /* self continues */
	}
	if (self == NULL || exiting)
		return;
	baton_wait(self);
	if (is_stopping(sim))
		unwind(self);
	SIM_ASSERT(sim->running == self->id);
}

/* ---- Free-run mode: every eligible thread holds a baton ---- */

static bool free_eligible(const struct sim *sim, const struct sim_thread *t)
{
	if (t->kind == SIM_THREAD_IDLE) {
		const struct sim_vcpu *vc = &sim->vcpus[t->vcpu];

		return vc->online && vc->current == SIM_THREAD_NONE &&
		       (vc->kicked || t->delivery_depth > 0);
	}
	return thread_should_be_ready(sim, t);
}

/* Called with the lock held: grant the baton to eligible threads that wait. */
static void free_grant(struct sim *sim)
{
	for (uint32_t id = 0; id < sim->thread_count; id++) {
		struct sim_thread *t = sim->threads[id];

		if (!t->started || t->granted || !free_eligible(sim, t))
			continue;
		t->granted = true;
		t->ran = true;
		baton_post(t);
	}
}

static bool free_anyone_can_run(const struct sim *sim)
{
	for (uint32_t id = 0; id < sim->thread_count; id++)
		if (sim->threads[id]->granted || free_eligible(sim, sim->threads[id]))
			return true;
	return false;
}

/*
 * Called with the lock held after a thread stopped running (blocked, lost its
 * vCPU, exited): if nobody can run, advance virtual time to the next timer,
 * or end the execution (all done, or deadlock). Then grant batons.
 */
static void free_settle(struct sim *sim)
{
	for (uint32_t round = 0; round < PICK_ROUND_MAX_ && !is_stopping(sim); round++) {
		if (free_anyone_can_run(sim))
			break;
		if (!sim__timer_pending(sim)) {
			if (live_thread_count(sim) > 0)
				deadlock_report(sim);
			finish(sim);
			return;
		}
		if (sim__timer_next_deadline(sim) > sim->tick)
			sim->tick = sim__timer_next_deadline(sim);
		fire_timers(sim);
	}
	free_grant(sim);
}

/*
 * Called with the lock held by a thread that may have lost eligibility. Every
 * grant posts the baton exactly once and every wait consumes exactly one post,
 * so a thread never runs on a stale grant.
 */
static void free_wait_if_ineligible(struct sim *sim, struct sim_thread *self)
{
	if (!is_stopping(sim) && free_eligible(sim, self))
		return; /* it still holds its baton */
	self->granted = false;
	for (uint32_t round = 0; round < PICK_ROUND_MAX_ && !is_stopping(sim); round++) {
		free_settle(sim);
		if (is_stopping(sim))
			break;
		sim__unlock(sim);
		gil_drop(sim);
		baton_wait(self);
		gil_take(sim);
		sim__lock(sim);
		if (is_stopping(sim))
			break;
		if (free_eligible(sim, self)) {
			SIM_ASSERT(self->granted);
			return;
		}
		self->granted = false; /* granted, then lost its vCPU again */
	}
	sim__unlock(sim);
	unwind(self);
}

/* ---- Schedule points ---- */

static void bounds_check(struct sim *sim)
{
	if (is_stopping(sim))
		return; /* free-run: another thread already ended the execution */
	if (sim->step > sim->config.step_count_max) {
		finding_record(sim, SIM_FINDING_STEP_BOUND, __FILE__, __LINE__,
			       "execution exceeded %llu schedule points",
			       (unsigned long long)sim->config.step_count_max);
		finish(sim);
	} else if (sim->step - sim->last_progress_step > sim->config.progress_window) {
		finding_record(sim, SIM_FINDING_NO_PROGRESS, __FILE__, __LINE__,
			       "no progress (no block, wake, exit, timer or marked progress) in %llu schedule points",
			       (unsigned long long)sim->config.progress_window);
		finish(sim);
	}
}

/*
 * One step: count, trace, bounds, due timers. A running step takes one tick
 * of virtual time; a blocking step takes none, so a sleep of n ticks ends
 * exactly n ticks after it began and other threads run meanwhile.
 */
static void step_begin(struct sim *sim, enum sim_point_kind kind, const char *label,
		       bool takes_time)
{
	sim->step++;
	sim->tick += takes_time;
	sim->point_kind = kind;
	sim_trace(sim, SIM_TRACE_POINT, label, kind, 0);
	bounds_check(sim);
	if (sim__timer_pending(sim) && sim__timer_next_deadline(sim) <= sim->tick)
		fire_timers(sim);
}

/* Is @self the thread running on its vCPU (current task or idle thread)? */
static bool on_own_vcpu(const struct sim *sim, const struct sim_thread *self)
{
	const struct sim_vcpu *vc;

	if (self->vcpu < 0)
		return false;
	vc = &sim->vcpus[self->vcpu];
	if (!vc->online)
		return false;
	if (self->kind == SIM_THREAD_IDLE)
		return vc->current == SIM_THREAD_NONE;
	return vc->current == self->id;
}

/*
 * Maybe take a deliverable interrupt on the caller's vCPU. The idle thread
 * always takes it; a task takes it when the strategy says so, or after
 * SIM_IRQ_DELAY_COUNT_MAX refusals in a row. Called without the lock.
 */
static void irq_maybe_deliver(struct sim *sim, struct sim_thread *self)
{
	struct sim_vcpu *vc;
	bool take = true, own;

	if (sim->irq_ops.deliverable == NULL || is_stopping(sim))
		return;
	sim__lock(sim);
	own = on_own_vcpu(sim, self) && self->delivery_depth < SIM_DELIVERY_DEPTH_MAX_;
	sim__unlock(sim);
	if (!own)
		return;
	if (!sim->irq_ops.deliverable(sim->irq_ctx, (uint32_t)self->vcpu)) {
		/*
		 * Stress mode: an idle thread that finds nothing to take goes
		 * back to waiting until the next kick, instead of spinning on a
		 * stale one. Safe only there: nothing else runs between the
		 * check and the store. (Free-run keeps the kick: a raise may
		 * come in between.)
		 */
		if (sim->stress && self->kind == SIM_THREAD_IDLE) {
			sim__lock(sim);
			sim->vcpus[self->vcpu].kicked = false;
			sim__unlock(sim);
		}
		return;
	}
	sim__lock(sim);
	vc = &sim->vcpus[self->vcpu];
	if (self->kind != SIM_THREAD_IDLE && vc->irq_declines < SIM_IRQ_DELAY_COUNT_MAX) {
		uint32_t option = decide_option(sim, SIM_DECISION_IRQ, 2, "irq");

		if (option == SIM_PICK_DIVERGED) {
			sim__unlock(sim);
			unwind(self);
		}
		take = option == 0;
	}
	if (!take) {
		vc->irq_declines++;
		sim__unlock(sim);
		return;
	}
	vc->irq_declines = 0;
	vc->kicked = false;
	self->delivery_depth++;
	sim__unlock(sim);
	sim->irq_ops.deliver(sim->irq_ctx, (uint32_t)self->vcpu);
	sim__lock(sim);
	self->delivery_depth--;
	/* Tasks woken onto this vCPU while its idle thread was in a handler. */
	if (self->kind == SIM_THREAD_IDLE && self->delivery_depth == 0)
		vcpu_fill(sim, (uint32_t)self->vcpu);
	sim__unlock(sim);
}

/* The tail of every point: deliver, then pick (or wait in free-run). */
static void point_finish(struct sim *sim, struct sim_thread *self, bool may_deliver)
{
	if (is_stopping(sim))
		unwind(self);
	if (may_deliver)
		irq_maybe_deliver(sim, self);
	if (sim->free_run) {
		sim__lock(sim);
		free_wait_if_ineligible(sim, self);
		sim__unlock(sim);
		if (sim->stress) {
			/* Let the host kernel pick who runs next. */
			gil_drop(sim);
			sched_yield();
			gil_take(sim);
		}
		return;
	}
	hand_over(sim, self, pick_next(sim, self->id), false);
}

void sim_point(enum sim_point_kind kind, const char *label)
{
	struct sim_thread *self = tls_self;
	struct sim *sim;

	if (self == NULL)
		return;
	sim = self->sim;
	if (tls_in_engine)
		return;
	SIM_ASSERT((unsigned int)kind < SIM_POINT_KIND_COUNT);
	SIM_ASSERT(sim->free_run || sim->running == self->id);
	sim__lock(sim);
	step_begin(sim, kind, label, true);
	sim__unlock(sim);
	point_finish(sim, self, true);
}

/* ---- Blocking and waking ---- */

void sim_set_blocking(const char *reason, const void *object)
{
	struct sim_thread *self = tls_self;

	SIM_ASSERT(self != NULL);
	SIM_ASSERT(self->state == SIM_THREAD_RUNNABLE || self->state == SIM_THREAD_BLOCKING);
	sim__lock(self->sim);
	self->state = SIM_THREAD_BLOCKING;
	self->block_reason = reason;
	self->block_object = object;
	sim__unlock(self->sim);
}

void sim_set_running(void)
{
	struct sim_thread *self = tls_self;

	SIM_ASSERT(self != NULL);
	sim__lock(self->sim);
	if (self->state == SIM_THREAD_BLOCKING)
		self->state = SIM_THREAD_RUNNABLE;
	SIM_ASSERT(self->state == SIM_THREAD_RUNNABLE);
	self->block_reason = NULL;
	self->block_object = NULL;
	sim__unlock(self->sim);
}

/* Commit an announced block. Return: false if a wake already cancelled it. */
static bool block_commit(struct sim *sim, struct sim_thread *self, bool halt)
{
	if (self->state != SIM_THREAD_BLOCKING)
		return false;
	self->state = SIM_THREAD_BLOCKED;
	self->halted = halt;
	sim_trace(sim, SIM_TRACE_BLOCK, self->block_reason, halt, 0);
	sim_progress(sim);
	if (self->kind == SIM_THREAD_TASK && !halt) {
		uint32_t v = (uint32_t)self->vcpu;

		if (sim->vcpus[v].current == self->id) {
			vcpu_set_current(sim, v, SIM_THREAD_NONE);
			vcpu_fill(sim, v);
		}
	}
	ready_refresh(sim, self->id);
	return true;
}

static void schedule_common(bool halt)
{
	struct sim_thread *self = tls_self;
	struct sim *sim;
	bool blocked;

	SIM_ASSERT(self != NULL);
	SIM_ASSERT(!halt || self->kind == SIM_THREAD_TASK);
	sim = self->sim;
	sim__lock(sim);
	step_begin(sim, SIM_POINT_SLEEP,
		   self->block_reason != NULL ? self->block_reason : "schedule",
		   self->state != SIM_THREAD_BLOCKING);
	blocked = block_commit(sim, self, halt);
	sim__unlock(sim);
	point_finish(sim, self, !blocked);
	SIM_ASSERT(self->state == SIM_THREAD_RUNNABLE);
	self->block_reason = NULL;
	self->block_object = NULL;
}

void sim_schedule(void)
{
	schedule_common(false);
}

void sim_schedule_halt(void)
{
	schedule_common(true);
}

static bool wake_locked(struct sim *sim, struct sim_thread *t)
{
	if (t->state == SIM_THREAD_BLOCKING) {
		t->state = SIM_THREAD_RUNNABLE;
		sim_trace(sim, SIM_TRACE_WAKE, "wake-before-block", t->id, 0);
		return true;
	}
	if (t->state != SIM_THREAD_BLOCKED)
		return false;
	t->state = SIM_THREAD_RUNNABLE;
	if (t->kind == SIM_THREAD_TASK && !t->halted) {
		uint32_t v = (uint32_t)t->vcpu;

		if (!sim->vcpus[v].online)
			v = vcpu_first_online(sim, SIM_THREAD_NONE);
		SIM_ASSERT(v != SIM_THREAD_NONE);
		vcpu_place(sim, v, t->id);
	}
	t->halted = false;
	ready_refresh(sim, t->id);
	sim_trace(sim, SIM_TRACE_WAKE, "wake", t->id, 0);
	sim_progress(sim);
	return true;
}

bool sim_wake(struct sim *sim, uint32_t thread_id)
{
	bool woke;

	SIM_ASSERT(sim != NULL);
	sim__lock(sim);
	woke = wake_locked(sim, thread_of(sim, thread_id));
	if (woke && sim->free_run)
		free_grant(sim);
	sim__unlock(sim);
	return woke;
}

static void sleep_timer_fn(struct sim *sim, void *arg)
{
	sim_wake(sim, (uint32_t)(uintptr_t)arg);
}

/* Sleep @ticks of virtual time; @halt keeps a task's vCPU (halted). */
static void sleep_common(uint64_t ticks, bool halt)
{
	struct sim_thread *self = tls_self;
	struct sim *sim;
	uint64_t timer;

	SIM_ASSERT(self != NULL);
	sim = self->sim;
	if (ticks == 0) {
		sim_point(SIM_POINT_SLEEP, "sleep(0)");
		return;
	}
	/* Announce the block before arming the timer: in free-run mode another
	 * thread may fire it at once, and its wake must not be lost. */
	sim_set_blocking(halt ? "sleep-halt" : "sleep", NULL);
	timer = sim_timer_add(sim, sim_now(sim) + ticks, sleep_timer_fn,
			      (void *)(uintptr_t)self->id);
	if (timer == 0) {
		sim_set_running();
		SIM_FAIL(sim, "timer-exhausted", "no free timer for a sleep of %llu ticks",
			 (unsigned long long)ticks);
		return;
	}
	schedule_common(halt);
}

void sim_sleep_ticks(uint64_t ticks)
{
	sleep_common(ticks, false);
}

void sim_sleep_ticks_halt(uint64_t ticks)
{
	SIM_ASSERT(tls_self != NULL);
	sleep_common(ticks, tls_self->kind == SIM_THREAD_TASK);
}

void sim_resched(void)
{
	struct sim_thread *self = tls_self;
	struct sim *sim;

	SIM_ASSERT(self != NULL);
	sim = self->sim;
	sim__lock(sim);
	if (self->kind == SIM_THREAD_TASK && on_own_vcpu(sim, self)) {
		uint32_t v = (uint32_t)self->vcpu;

		if (sim->vcpus[v].rq_count > 0) {
			vcpu_set_current(sim, v, rq_pop(sim, v));
			rq_push(sim, v, self->id);
		}
	}
	if (sim->free_run)
		free_grant(sim);
	sim__unlock(sim);
	sim_point(SIM_POINT_YIELD, "resched");
}

/* ---- vCPUs ---- */

uint32_t sim_vcpu_count(const struct sim *sim)
{
	return sim->config.vcpu_count;
}

bool sim_vcpu_online(const struct sim *sim, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < sim->config.vcpu_count);
	return sim->vcpus[vcpu].online;
}

uint32_t sim_vcpu_current(const struct sim *sim, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < sim->config.vcpu_count);
	return sim->vcpus[vcpu].current;
}

/* Move every task of an offlined vCPU to @target. */
static void vcpu_evacuate(struct sim *sim, uint32_t vcpu, uint32_t target)
{
	struct sim_vcpu *vc = &sim->vcpus[vcpu];
	uint32_t current = vc->current;

	vc->current = SIM_THREAD_NONE;
	if (current != SIM_THREAD_NONE)
		vcpu_place(sim, target, current);
	for (uint32_t n = 0; n < SIM_TASK_COUNT_MAX && vc->rq_count > 0; n++)
		vcpu_place(sim, target, rq_pop(sim, vcpu));
	SIM_ASSERT(vc->rq_count == 0);
	ready_refresh(sim, current);
}

static int vcpu_offline_locked(struct sim *sim, uint32_t vcpu)
{
	struct sim_vcpu *vc = &sim->vcpus[vcpu];
	uint32_t target = vcpu_first_online(sim, vcpu);

	if (target == SIM_THREAD_NONE)
		return -EINVAL;
	if (vc->current != SIM_THREAD_NONE && thread_of(sim, vc->current)->halted)
		return -EBUSY;
	vc->online = false;
	vcpu_evacuate(sim, vcpu, target);
	for (uint32_t id = 0; id < sim->thread_count; id++) {
		struct sim_thread *t = sim->threads[id];

		/* Sleeping tasks move when they wake; record the new home now
		 * so that sim_thread_vcpu() tells the truth. */
		if (t->kind == SIM_THREAD_TASK && t->vcpu == (int)vcpu &&
		    t->state == SIM_THREAD_BLOCKED)
			t->vcpu = (int)target;
	}
	return 0;
}

int sim_vcpu_set_online(struct sim *sim, uint32_t vcpu, bool online)
{
	struct sim_thread *self = tls_self;
	int err = 0;

	if (vcpu >= sim->config.vcpu_count)
		return -EINVAL;
	sim__lock(sim);
	if (online == sim->vcpus[vcpu].online) {
		sim__unlock(sim);
		return 0;
	}
	if (online) {
		sim->vcpus[vcpu].online = true;
		sim->vcpus[vcpu].irq_declines = 0;
		vcpu_fill(sim, vcpu);
	} else {
		err = vcpu_offline_locked(sim, vcpu);
	}
	if (err == 0) {
		sim_trace(sim, SIM_TRACE_VCPU, online ? "online" : "offline", vcpu, online);
		sim_progress(sim);
	}
	if (sim->free_run)
		free_grant(sim);
	sim__unlock(sim);
	if (err == 0 && self != NULL && self->sim == sim && !tls_in_engine && sim->started)
		sim_point(SIM_POINT_YIELD, online ? "vcpu-online" : "vcpu-offline");
	return err;
}

int sim_task_move(struct sim *sim, uint32_t thread_id, uint32_t vcpu)
{
	struct sim_thread *t;
	uint32_t old;

	if (thread_id >= sim->thread_count || vcpu >= sim->config.vcpu_count)
		return -EINVAL;
	t = thread_of(sim, thread_id);
	if (t->kind != SIM_THREAD_TASK || !sim->vcpus[vcpu].online)
		return -EINVAL;
	sim__lock(sim);
	old = (uint32_t)t->vcpu;
	if (old == vcpu || t->state == SIM_THREAD_EXITED) {
		sim__unlock(sim);
		return 0;
	}
	if (t->halted) {
		sim__unlock(sim);
		return -EBUSY;
	}
	if (t->state == SIM_THREAD_BLOCKED) {
		t->vcpu = (int)vcpu;
	} else {
		if (sim->vcpus[old].current == thread_id) {
			vcpu_set_current(sim, old, SIM_THREAD_NONE);
			vcpu_fill(sim, old);
		} else if (t->in_runqueue) {
			rq_remove(sim, old, thread_id);
		}
		vcpu_place(sim, vcpu, thread_id);
		ready_refresh(sim, thread_id);
	}
	if (sim->free_run)
		free_grant(sim);
	sim__unlock(sim);
	return 0;
}

void sim_vcpu_kick(struct sim *sim, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < sim->config.vcpu_count);
	if (!sim->free_run)
		return; /* deterministic picks evaluate deliverability themselves */
	sim__lock(sim);
	sim->vcpus[vcpu].kicked = true;
	free_grant(sim);
	sim__unlock(sim);
}

void sim_set_irq_ops(struct sim *sim, const struct sim_irq_ops *ops, void *ctx)
{
	SIM_ASSERT(!sim->started);
	SIM_ASSERT(ops == NULL || (ops->deliverable != NULL && ops->deliver != NULL));
	if (ops == NULL)
		memset(&sim->irq_ops, 0, sizeof(sim->irq_ops));
	else
		sim->irq_ops = *ops;
	sim->irq_ctx = ctx;
}

/* ---- Threads ---- */

static void thread_exit_normal(struct sim *sim, struct sim_thread *self)
{
	sim__lock(sim);
	self->state = SIM_THREAD_EXITED;
	if (self->kind == SIM_THREAD_TASK) {
		uint32_t v = (uint32_t)self->vcpu;

		if (sim->vcpus[v].current == self->id) {
			vcpu_set_current(sim, v, SIM_THREAD_NONE);
			vcpu_fill(sim, v);
		} else if (self->in_runqueue) {
			rq_remove(sim, v, self->id);
		}
	}
	ready_refresh(sim, self->id);
	sim_trace(sim, SIM_TRACE_EXIT, "exit", self->id, 0);
	sim_progress(sim);
	if (sim->free_run) {
		self->granted = false;
		if (live_thread_count(sim) == 0)
			finish(sim);
		else
			free_settle(sim);
		sim__unlock(sim);
		return;
	}
	if (live_thread_count(sim) == 0) {
		/* The controlling thread tears down as soon as it sees the end:
		 * touch nothing after it. */
		finish(sim);
		return;
	}
	hand_over(sim, self, pick_next(sim, SIM_THREAD_NONE), true);
}

/* Idle thread of a vCPU: takes interrupts while the vCPU has no task. */
static void idle_main(void *arg)
{
	struct sim_thread *self = tls_self;
	struct sim *sim = self->sim;

	(void)arg;
	/* Bounded by the step bound: every iteration is a schedule point. */
	for (uint64_t n = 0; n <= sim->config.step_count_max + 1; n++) {
		sim__lock(sim);
		step_begin(sim, SIM_POINT_YIELD, "idle", true);
		sim__unlock(sim);
		point_finish(sim, self, true);
	}
	SIM_ASSERT(0 && "idle loop outlived the step bound");
}

static void *thread_main(void *arg)
{
	struct sim_thread *self = arg;
	struct sim *sim = self->sim;

	tls_self = self;
	baton_wait(self);
	gil_take(sim);
	if (!is_stopping(sim) && setjmp(self->exit_jmp) == 0) {
		if (!sim->free_run)
			SIM_ASSERT(sim->running == self->id);
		self->fn(self->arg);
		thread_exit_normal(sim, self);
	}
	/* Exit or unwind (a longjmp from wherever the thread was). */
	gil_drop(sim);
	tls_self = NULL;
	return NULL;
}

static size_t thread_stack_bytes(const struct sim *sim)
{
	size_t bytes = sim->config.thread_stack_bytes;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	bytes *= 4; /* sanitizer frames are larger */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
	bytes *= 4;
#endif
#endif
	return bytes;
}

static int thread_start(struct sim *sim, struct sim_thread *t)
{
	pthread_attr_t attr;
	int rc;

	SIM_ASSERT(!t->started);
	SIM_ASSERT(pthread_attr_init(&attr) == 0);
	SIM_ASSERT(pthread_attr_setstacksize(&attr, thread_stack_bytes(sim)) == 0);
	if (sim->config.pin_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(sim->config.pin_cpu, &set);
		SIM_ASSERT(pthread_attr_setaffinity_np(&attr, sizeof(set), &set) == 0);
	}
	rc = pthread_create(&t->pthread, &attr, thread_main, t);
	pthread_attr_destroy(&attr);
	if (rc != 0)
		return -rc;
	t->started = true;
	return 0;
}

static uint32_t thread_new(struct sim *sim, enum sim_thread_kind kind, const char *name,
			   int vcpu, bool daemon, sim_thread_fn fn, void *arg)
{
	struct sim_thread *t;
	uint32_t id = sim->thread_count;

	if (id >= SIM_THREAD_COUNT_MAX)
		return SIM_THREAD_NONE;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return SIM_THREAD_NONE;
	SIM_ASSERT(sem_init(&t->baton, 0, 0) == 0);
	t->sim = sim;
	t->id = id;
	t->kind = kind;
	t->state = SIM_THREAD_RUNNABLE;
	t->vcpu = vcpu;
	t->daemon = daemon;
	t->rq_next = SIM_THREAD_NONE;
	t->fn = fn;
	t->arg = arg;
	snprintf(t->name, sizeof(t->name), "%s", name != NULL ? name : "thread");
	sim->threads[id] = t;
	sim->thread_count++;
	return id;
}

uint32_t sim_spawn(struct sim *sim, const struct sim_thread_attr *attr, sim_thread_fn fn,
		   void *arg)
{
	uint32_t id;
	int vcpu = -1;

	SIM_ASSERT(sim != NULL && attr != NULL);
	SIM_ASSERT(fn != NULL);
	if (attr->kind == SIM_THREAD_TASK) {
		if (attr->vcpu >= sim->config.vcpu_count || sim->task_count >= SIM_TASK_COUNT_MAX)
			return SIM_THREAD_NONE;
		vcpu = (int)attr->vcpu;
	} else if (attr->kind != SIM_THREAD_HOST ||
		   sim->host_count >= SIM_HOST_THREAD_COUNT_MAX) {
		return SIM_THREAD_NONE;
	}
	sim__lock(sim);
	id = thread_new(sim, attr->kind, attr->name, vcpu, attr->daemon, fn, arg);
	if (id == SIM_THREAD_NONE) {
		sim__unlock(sim);
		return id;
	}
	if (attr->kind == SIM_THREAD_TASK) {
		uint32_t v = (uint32_t)vcpu;

		sim->task_count++;
		if (!sim->vcpus[v].online)
			v = vcpu_first_online(sim, SIM_THREAD_NONE);
		vcpu_place(sim, v, id);
	} else {
		sim->host_count++;
	}
	ready_refresh(sim, id);
	sim_trace(sim, SIM_TRACE_SPAWN, "spawn", id, attr->kind);
	sim_progress(sim);
	if (sim->started) {
		int err = thread_start(sim, sim->threads[id]);

		if (err != 0) {
			sim->error = err;
			sim->threads[id]->state = SIM_THREAD_EXITED;
			ready_refresh(sim, id);
			id = SIM_THREAD_NONE;
		} else if (sim->free_run) {
			free_grant(sim);
		}
	}
	sim__unlock(sim);
	return id;
}

/* ---- Execution lifecycle ---- */

static int config_resolve(struct sim_config *c, const struct sim_strategy *strategy)
{
	if (c->mode != SIM_MODE_DETERMINISTIC && c->mode != SIM_MODE_FREE_RUN &&
	    c->mode != SIM_MODE_STRESS)
		return -EINVAL;
	if (c->vcpu_count == 0 || c->vcpu_count > SIM_VCPU_COUNT_MAX)
		return -EINVAL;
	if (c->mode == SIM_MODE_DETERMINISTIC && strategy == NULL)
		return -EINVAL;
	if (c->step_count_max == 0)
		c->step_count_max = SIM_STEP_COUNT_MAX_DEFAULT;
	if (c->progress_window == 0)
		c->progress_window = SIM_PROGRESS_WINDOW_DEFAULT;
	if (c->trace_ring_size == 0)
		c->trace_ring_size = SIM_TRACE_RING_SIZE_DEFAULT;
	if (c->thread_stack_bytes == 0)
		c->thread_stack_bytes = SIM_THREAD_STACK_BYTES_DEFAULT;
	if (c->thread_stack_bytes < 16384)
		return -EINVAL;
	if (c->pin_cpu >= CPU_SETSIZE)
		return -EINVAL;
	if ((c->event_hash_log == NULL) != (c->event_hash_log_capacity == 0))
		return -EINVAL;
	if ((c->event_log == NULL) != (c->event_log_capacity == 0))
		return -EINVAL;
	return 0;
}

static int sim_alloc(struct sim *sim)
{
	pthread_mutexattr_t attr;

	sim->threads = calloc(SIM_THREAD_COUNT_MAX, sizeof(*sim->threads));
	sim->ready = calloc(SIM_THREAD_COUNT_MAX, sizeof(*sim->ready));
	sim->eligible = calloc(SIM_THREAD_COUNT_MAX, sizeof(*sim->eligible));
	if (sim->threads == NULL || sim->ready == NULL || sim->eligible == NULL)
		return -ENOMEM;
	if (sim__timers_init(sim) != 0 || sim__trace_init(sim) != 0)
		return -ENOMEM;
	SIM_ASSERT(pthread_mutexattr_init(&attr) == 0);
	SIM_ASSERT(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE) == 0);
	SIM_ASSERT(pthread_mutex_init(&sim->lock, &attr) == 0);
	pthread_mutexattr_destroy(&attr);
	SIM_ASSERT(pthread_mutex_init(&sim->gil, NULL) == 0);
	SIM_ASSERT(sem_init(&sim->done, 0, 0) == 0);
	return 0;
}

int sim_create(struct sim **out, const struct sim_config *config, struct sim_strategy *strategy)
{
	struct sim *sim;
	int err;

	SIM_ASSERT(out != NULL && config != NULL);
	*out = NULL;
	sim = calloc(1, sizeof(*sim));
	if (sim == NULL)
		return -ENOMEM;
	sim->config = *config;
	err = config_resolve(&sim->config, strategy);
	if (err == 0)
		err = sim_alloc(sim);
	if (err != 0) {
		free(sim->threads);
		free(sim->ready);
		free(sim->eligible);
		sim__timers_fini(sim);
		sim__trace_fini(sim);
		free(sim);
		return err;
	}
	sim->strategy = strategy;
	sim->free_run = config->mode != SIM_MODE_DETERMINISTIC;
	sim->stress = config->mode == SIM_MODE_STRESS;
	sim->running = SIM_THREAD_NONE;
	sim_schedule_init(&sim->recorded);
	for (uint32_t s = 0; s < SIM_STREAM_COUNT; s++)
		sim_prng_init(&sim->streams[s], sim_seed_derive(config->seed, s));
	for (uint32_t v = 0; v < sim->config.vcpu_count; v++) {
		char name[SIM_THREAD_NAME_SIZE];
		struct sim_vcpu *vc = &sim->vcpus[v];

		snprintf(name, sizeof(name), "vcpu%u/idle", v);
		vc->online = true;
		vc->current = SIM_THREAD_NONE;
		vc->rq_head = SIM_THREAD_NONE;
		vc->rq_tail = SIM_THREAD_NONE;
		vc->idle = thread_new(sim, SIM_THREAD_IDLE, name, (int)v, true, idle_main, NULL);
		SIM_ASSERT(vc->idle == v);
	}
	*out = sim;
	return 0;
}

/* Unwind every thread and wait for all of them. */
static void threads_reap(struct sim *sim)
{
	set_stopping(sim);
	for (uint32_t id = 0; id < sim->thread_count; id++)
		if (sim->threads[id]->started)
			baton_post(sim->threads[id]);
	for (uint32_t id = 0; id < sim->thread_count; id++) {
		struct sim_thread *t = sim->threads[id];

		if (t->started)
			SIM_ASSERT(pthread_join(t->pthread, NULL) == 0);
		t->started = false;
	}
}

static void result_fill(struct sim *sim)
{
	struct sim_result *r = &sim->result;

	r->step_count = sim->step;
	r->decision_count = sim->recorded.count;
	r->switch_count = sim->switch_count;
	r->tick = sim->tick;
	r->event_count = sim->trace.emitted;
	r->trace_hash = sim->trace.hash;
	r->thread_count = sim->thread_count;
}

static void strategy_end(struct sim *sim)
{
	const char *why = NULL;
	const struct sim_strategy_ops *ops = sim->strategy->ops;
	bool diverged_already = false;

	ops->execution_end(sim->strategy, &sim->recorded, sim->step, sim->thread_count);
	if (ops->error != NULL)
		why = ops->error(sim->strategy);
	for (uint32_t i = 0; i < sim->result.finding_count && i < SIM_FINDING_COUNT_MAX; i++)
		diverged_already |= strcmp(sim->result.findings[i].class_name,
					   SIM_FINDING_DIVERGENCE) == 0;
	if (why != NULL && !diverged_already)
		finding_record(sim, SIM_FINDING_DIVERGENCE, __FILE__, __LINE__, "%s", why);
}

static void run_dispatch_first(struct sim *sim)
{
	if (sim->free_run) {
		sim__lock(sim);
		if (live_thread_count(sim) == 0)
			finish(sim);
		free_grant(sim);
		sim__unlock(sim);
		return;
	}
	tls_in_engine = true;
	uint32_t next = pick_next(sim, SIM_THREAD_NONE);
	tls_in_engine = false;
	hand_over(sim, NULL, next, false);
}

int sim_run(struct sim *sim)
{
	int err;

	SIM_ASSERT(sim != NULL);
	SIM_ASSERT(!sim->started);
	if (!sim->free_run) {
		err = sim->strategy->ops->execution_begin(sim->strategy, sim->config.seed);
		if (err != 0)
			return err;
	}
	sim->started = true;
	for (uint32_t id = 0; id < sim->thread_count && sim->error == 0; id++) {
		err = thread_start(sim, sim->threads[id]);
		if (err != 0)
			sim->error = err;
	}
	if (sim->error == 0 && !is_stopping(sim))
		run_dispatch_first(sim);
	else
		finish(sim);
	while (sem_wait(&sim->done) != 0)
		SIM_ASSERT(errno == EINTR);
	threads_reap(sim);
	/* An execution cut short by an operating error explored nothing: the
	 * strategy does not see it (DFS would take it for nondeterminism). */
	if (!sim->free_run && sim->error == 0)
		strategy_end(sim);
	result_fill(sim);
	return sim->error;
}

void sim_destroy(struct sim *sim)
{
	if (sim == NULL)
		return;
	for (uint32_t id = 0; id < sim->thread_count; id++) {
		struct sim_thread *t = sim->threads[id];

		SIM_ASSERT(!t->started);
		sem_destroy(&t->baton);
		free(t);
	}
	sem_destroy(&sim->done);
	pthread_mutex_destroy(&sim->lock);
	pthread_mutex_destroy(&sim->gil);
	sim_schedule_fini(&sim->recorded);
	sim__timers_fini(sim);
	sim__trace_fini(sim);
	free(sim->threads);
	free(sim->ready);
	free(sim->eligible);
	free(sim);
}

const struct sim_result *sim_result(const struct sim *sim)
{
	return &sim->result;
}

const struct sim_schedule *sim_recorded_schedule(const struct sim *sim)
{
	return &sim->recorded;
}

/* ---- Accessors ---- */

struct sim *sim_self(void)
{
	return tls_self != NULL ? tls_self->sim : NULL;
}

uint32_t sim_self_id(void)
{
	return tls_self != NULL ? tls_self->id : SIM_THREAD_NONE;
}

int sim_self_vcpu(void)
{
	return tls_self != NULL ? tls_self->vcpu : -1;
}

uint32_t sim_thread_count(const struct sim *sim)
{
	return sim->thread_count;
}

const char *sim_thread_name(const struct sim *sim, uint32_t thread_id)
{
	return thread_of(sim, thread_id)->name;
}

enum sim_thread_kind sim_thread_kind(const struct sim *sim, uint32_t thread_id)
{
	return thread_of(sim, thread_id)->kind;
}

enum sim_thread_state sim_thread_state(const struct sim *sim, uint32_t thread_id)
{
	return thread_of(sim, thread_id)->state;
}

int sim_thread_vcpu(const struct sim *sim, uint32_t thread_id)
{
	return thread_of(sim, thread_id)->vcpu;
}

void sim_thread_set_data(struct sim *sim, uint32_t thread_id, void *data)
{
	thread_of(sim, thread_id)->data = data;
}

void *sim_thread_data(const struct sim *sim, uint32_t thread_id)
{
	return thread_of(sim, thread_id)->data;
}

uint64_t sim_now(const struct sim *sim)
{
	struct sim *mutable_sim = (struct sim *)sim; /* the lock only */
	uint64_t tick;

	sim__lock(mutable_sim);
	tick = sim->tick;
	sim__unlock(mutable_sim);
	return tick;
}

uint64_t sim_seed(const struct sim *sim)
{
	return sim->config.seed;
}

struct sim_prng *sim_stream(struct sim *sim, enum sim_stream stream)
{
	SIM_ASSERT((unsigned int)stream < SIM_STREAM_COUNT);
	SIM_ASSERT(stream != SIM_STREAM_SCHED || sim->free_run);
	return &sim->streams[stream];
}

uint64_t sim_step(const struct sim *sim)
{
	return sim->step;
}

enum sim_mode sim_mode(const struct sim *sim)
{
	return sim->config.mode;
}

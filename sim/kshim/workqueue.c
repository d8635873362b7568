// SPDX-License-Identifier: MIT
/*
 * Workqueues on host worker threads. Every workqueue of an execution shares
 * one FIFO of pending works. The workers (kshim_config.workqueue_worker_count
 * daemon host threads, spawned at the first queue_work() of the execution)
 * take the first eligible work; when several are idle, queue_work() wakes
 * them all and the strategy decides which one takes it. A work that another
 * worker is running is skipped until that run ends (the kernel's
 * non-reentrancy), so a work queued again while it runs runs again after.
 * An ordered workqueue runs one of its works at a time, in queueing order.
 *
 * Queueing sets the PENDING bit (bit 0 of work->data) as in the kernel; the
 * worker clears it just before calling the function. Each queueing gets a
 * sequence number, so flush_work() waits exactly for the instance that was
 * queued (or running) when it was called, and flush_workqueue() for the
 * works queued on that workqueue before the call. cancel_work_sync() keeps
 * PENDING set while it waits for a running instance, so queueing the work
 * meanwhile fails, as in the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/kshim.h>
#include <linux/workqueue.h>

#include "core_private.h"
#include "sim/assert.h"
#include "sim/sim.h"

#define WORK_PENDING_MASK (1ul << WORK_STRUCT_PENDING_BIT)
/* Works run by one outside-execution drain (pure unit tests). */
#define OUTSIDE_RUN_COUNT_MAX 4096u
/* Flushes destroy_workqueue() tries before it gives up with a WARN. */
#define DRAIN_FLUSH_COUNT_MAX 1000u

static struct workqueue_struct system_wq_storage = { .name = "events" };
static struct workqueue_struct system_unbound_wq_storage = {
	.name = "events_unbound", .flags = WQ_UNBOUND,
};
static struct workqueue_struct system_highpri_wq_storage = {
	.name = "events_highpri", .flags = WQ_HIGHPRI,
};
static struct workqueue_struct system_long_wq_storage = { .name = "events_long" };

struct workqueue_struct *system_wq = &system_wq_storage;
struct workqueue_struct *system_unbound_wq = &system_unbound_wq_storage;
struct workqueue_struct *system_highpri_wq = &system_highpri_wq_storage;
struct workqueue_struct *system_long_wq = &system_long_wq_storage;

/* Outside an execution: works run on the caller, one after the other. */
static __thread struct list_head outside_queue;
static __thread bool outside_draining;

static bool work_is_pending(const struct work_struct *work)
{
	return (__atomic_load_n(&work->data, __ATOMIC_SEQ_CST) & WORK_PENDING_MASK) != 0;
}

/* Return: true if PENDING was already set. */
static bool work_test_and_set_pending(struct work_struct *work)
{
	return (__atomic_fetch_or(&work->data, WORK_PENDING_MASK, __ATOMIC_SEQ_CST) &
		WORK_PENDING_MASK) != 0;
}

static void work_clear_pending(struct work_struct *work)
{
	__atomic_fetch_and(&work->data, ~WORK_PENDING_MASK, __ATOMIC_SEQ_CST);
}

static bool work_is_queued(const struct work_struct *work)
{
	return work->entry.next != NULL && !list_empty(&work->entry);
}

/*
 * First use of @work in this execution: drop the bookkeeping a previous
 * execution (or a zero-initialised definition) left, so a work that was
 * pending when an execution ended does not stay pending forever.
 */
static void work_adopt(const struct kshim *kshim, struct work_struct *work)
{
	if (work->kshim_execution == kshim->execution_id)
		return;
	__atomic_store_n(&work->data, 0, __ATOMIC_SEQ_CST);
	INIT_LIST_HEAD(&work->entry);
	work->kshim_wq = NULL;
	work->kshim_canceling = 0;
	work->kshim_queue_seq = 0;
	work->kshim_execution = kshim->execution_id;
}

static struct kshim_worker *work_runner(struct kshim_core *core, const struct work_struct *work)
{
	uint32_t i;

	for (i = 0; i < core->worker_spawned_count; i++) {
		if (core->workers[i].current_work == work)
			return &core->workers[i];
	}
	return NULL;
}

static bool wq_running(const struct kshim_core *core, const struct workqueue_struct *wq)
{
	uint32_t i;

	for (i = 0; i < core->worker_spawned_count; i++) {
		if (core->workers[i].current_work != NULL && core->workers[i].current_wq == wq)
			return true;
	}
	return false;
}

static struct kshim_worker *worker_self(struct kshim_core *core)
{
	uint32_t id = sim_self_id();
	uint32_t i;

	for (i = 0; i < core->worker_spawned_count; i++) {
		if (core->workers[i].thread_id == id)
			return &core->workers[i];
	}
	return NULL;
}

/* Is @work the first queued work of its (ordered) workqueue? */
static bool work_first_of_wq(struct kshim_core *core, const struct work_struct *work)
{
	const struct work_struct *other;
	uint32_t seen = 0;

	list_for_each_entry(other, &core->queue, entry) {
		SIM_ASSERT(seen++ < core->queued_count);
		if (other == work)
			return true;
		if (other->kshim_wq == work->kshim_wq)
			return false;
	}
	SIM_ASSERT(0 && "work not on the queue");
	return false;
}

/* The first queued work a worker may run now, or NULL. */
static struct work_struct *worker_pick(struct kshim_core *core)
{
	struct work_struct *work;
	uint32_t seen = 0;

	list_for_each_entry(work, &core->queue, entry) {
		SIM_ASSERT(seen++ < core->queued_count);
		if (work_runner(core, work) != NULL)
			continue;
		if (work->kshim_wq->ordered &&
		    (wq_running(core, work->kshim_wq) || !work_first_of_wq(core, work)))
			continue;
		return work;
	}
	return NULL;
}

/*
 * @file and @line were read under the core mutex: once its pending bit is
 * clear the work may be queued again (from another thread in free-run mode),
 * which rewrites them.
 */
static void worker_run(struct work_struct *work, work_func_t func, const char *file, int line)
{
	int preempt_count = kshim_preempt_count();

	sim_point(SIM_POINT_YIELD, "workqueue: work starts");
	func(work); /* may free @work */
	if (kshim_preempt_count() != preempt_count || kshim_irqs_disabled_self())
		kshim_warn(file, line,
			   "BUG: workqueue leaked lock or atomic: preempt_count %d -> %d, "
			   "irqs_disabled %d (work queued at %s:%d)",
			   preempt_count, kshim_preempt_count(), kshim_irqs_disabled_self(),
			   file != NULL ? file : "?", line);
}

/* A worker: runs works until the execution ends (it is a daemon). */
static void worker_main(void *arg)
{
	struct kshim *kshim;
	struct kshim_core *core = kshim__core_self(&kshim);
	uint32_t index = (uint32_t)(uintptr_t)arg;
	struct kshim_worker *self;
	uint64_t round;

	SIM_ASSERT(core != NULL);
	SIM_ASSERT(index < SIM_WORKER_COUNT_MAX);
	self = &core->workers[index];
	for (round = 0; round < KSHIM_WORKER_ROUND_MAX; round++) {
		struct workqueue_struct *wq;
		struct work_struct *work;
		work_func_t func;
		const char *file;
		int line;

		pthread_mutex_lock(&core->mutex);
		SIM_ASSERT(self->thread_id == sim_self_id());
		work = worker_pick(core);
		if (work == NULL) {
			self->idle = true;
			sim_set_blocking("workqueue idle", self);
			pthread_mutex_unlock(&core->mutex);
			sim_schedule();
			continue;
		}
		list_del_init(&work->entry);
		SIM_ASSERT(core->queued_count > 0);
		core->queued_count--;
		work_clear_pending(work);
		self->current_work = work;
		self->current_wq = work->kshim_wq;
		self->current_seq = work->kshim_queue_seq;
		func = work->func;
		file = work->kshim_file;
		line = work->kshim_line;
		pthread_mutex_unlock(&core->mutex);

		worker_run(work, func, file, line);

		pthread_mutex_lock(&core->mutex);
		wq = self->current_wq;
		self->current_work = NULL;
		self->current_wq = NULL;
		core->work_run_count++;
		pthread_mutex_unlock(&core->mutex);
		/* Addresses only: the work may have been freed by its function. */
		kshim__core_wake(kshim, work);
		kshim__core_wake(kshim, wq);
	}
	sim_fail(kshim->sim, SIM_FINDING_NO_PROGRESS, __FILE__, __LINE__,
		 "workqueue worker %u: %llu rounds", index, (unsigned long long)round);
}

/* Spawn the workers not yet created (core->mutex held). */
static void workers_spawn(struct kshim *kshim)
{
	struct kshim_core *core = kshim->core;

	while (core->worker_spawned_count < core->worker_count && !core->worker_spawn_failed) {
		uint32_t index = core->worker_spawned_count;
		char name[SIM_THREAD_NAME_SIZE];
		uint32_t id;

		SIM_ASSERT(index < SIM_WORKER_COUNT_MAX);
		snprintf(name, sizeof(name), "kworker/u:%u", index);
		memset(&core->workers[index], 0, sizeof(core->workers[index]));
		id = kshim_spawn_host(kshim, name, true, worker_main, (void *)(uintptr_t)index);
		if (id == SIM_THREAD_NONE) {
			core->worker_spawn_failed = true;
			sim_report(kshim->sim, KSHIM_FINDING_WORK_PENDING, __FILE__, __LINE__,
				   "workqueue worker %u could not be created", index);
			return;
		}
		core->workers[index].thread_id = id;
		core->worker_spawned_count++;
	}
}

static void outside_drain(void)
{
	uint32_t run_count;

	outside_draining = true;
	for (run_count = 0; run_count < OUTSIDE_RUN_COUNT_MAX && !list_empty(&outside_queue);
	     run_count++) {
		struct work_struct *work =
			list_first_entry(&outside_queue, struct work_struct, entry);

		list_del_init(&work->entry);
		work_clear_pending(work);
		work->func(work);
	}
	if (!list_empty(&outside_queue))
		fprintf(stderr, "kshim: %u works ran outside an execution; the rest stays queued\n",
			run_count);
	outside_draining = false;
}

static bool outside_queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	if (outside_queue.next == NULL)
		INIT_LIST_HEAD(&outside_queue);
	if (work_test_and_set_pending(work))
		return false;
	work->kshim_wq = wq;
	list_add_tail(&work->entry, &outside_queue);
	if (!outside_draining)
		outside_drain();
	return true;
}

/**
 * kshim__workqueue_init() - an empty queue; workers come with the first work.
 */
void kshim__workqueue_init(struct kshim *kshim)
{
	SIM_ASSERT(kshim != NULL && kshim->core != NULL);
	INIT_LIST_HEAD(&kshim->core->queue);
	SIM_ASSERT(kshim->core->worker_count >= 1);
	SIM_ASSERT(kshim->core->worker_count <= SIM_WORKER_COUNT_MAX);
}

/**
 * kshim_queue_work() - queue_work(): the caller's execution's FIFO.
 */
bool kshim_queue_work(struct workqueue_struct *wq, struct work_struct *work, const char *file,
		      int line)
{
	uint32_t wake_ids[SIM_WORKER_COUNT_MAX];
	uint32_t wake_count = 0;
	struct kshim_core *core;
	struct kshim *kshim;
	uint32_t i;

	if (wq == NULL || work == NULL || work->func == NULL) {
		kshim_warn(file, line, "queue_work(): NULL workqueue, work or work function");
		return false;
	}
	core = kshim__core_self(&kshim);
	if (core == NULL)
		return outside_queue_work(wq, work);
	kshim_access_point(KSHIM_ACCESS_ATOMIC, "queue_work");
	pthread_mutex_lock(&core->mutex);
	work_adopt(kshim, work);
	if (work_test_and_set_pending(work)) {
		pthread_mutex_unlock(&core->mutex);
		return false;
	}
	work->kshim_wq = wq;
	work->kshim_file = file;
	work->kshim_line = line;
	work->kshim_queue_seq = ++core->queue_seq;
	list_add_tail(&work->entry, &core->queue);
	core->queued_count++;
	SIM_ASSERT(core->queued_count != 0);
	workers_spawn(kshim);
	for (i = 0; i < core->worker_spawned_count; i++) {
		if (core->workers[i].idle) {
			core->workers[i].idle = false;
			wake_ids[wake_count++] = core->workers[i].thread_id;
		}
	}
	pthread_mutex_unlock(&core->mutex);
	for (i = 0; i < wake_count; i++)
		(void)sim_wake(kshim->sim, wake_ids[i]);
	return true;
}

/* The queueing @work's flush waits for: the queued one, else the running one. */
static unsigned long work_flush_target(struct kshim_core *core, const struct work_struct *work)
{
	const struct kshim_worker *runner;

	if (work_is_queued(work))
		return work->kshim_queue_seq;
	runner = work_runner(core, work);
	return runner != NULL ? runner->current_seq : 0;
}

static bool work_outstanding(struct kshim_core *core, const struct work_struct *work,
			     unsigned long target)
{
	const struct kshim_worker *runner = work_runner(core, work);

	if (work_is_queued(work) && work->kshim_queue_seq <= target)
		return true;
	return runner != NULL && runner->current_seq <= target;
}

/**
 * kshim_flush_work() - flush_work(); see <linux/workqueue.h>.
 */
bool kshim_flush_work(struct work_struct *work)
{
	struct kshim_worker *self_worker;
	struct kshim_core *core;
	struct kshim *kshim;
	unsigned long target;
	uint32_t round;

	if (work == NULL) {
		kshim_warn(__FILE__, __LINE__, "flush_work(NULL)");
		return false;
	}
	core = kshim__core_self(&kshim);
	if (core == NULL)
		return false; /* works ran when they were queued */
	kshim_might_sleep(__FILE__, __LINE__);
	sim_point(SIM_POINT_YIELD, "flush_work");
	pthread_mutex_lock(&core->mutex);
	work_adopt(kshim, work);
	target = work_flush_target(core, work);
	if (target == 0) {
		pthread_mutex_unlock(&core->mutex);
		return false;
	}
	self_worker = worker_self(core);
	if (self_worker != NULL && self_worker->current_work == work)
		kshim__core_fail(kshim, SIM_FINDING_DEADLOCK,
				 "flush_work() called by the work it flushes (queued at %s:%d)",
				 work->kshim_file != NULL ? work->kshim_file : "?", work->kshim_line);
	for (round = 0; work_outstanding(core, work, target); round++) {
		if (round >= KSHIM_CORE_WAIT_ROUND_MAX)
			kshim__core_fail(kshim, SIM_FINDING_NO_PROGRESS, "flush_work: %u rounds",
					 round);
		kshim__core_wait(kshim, work, "flush_work");
	}
	pthread_mutex_unlock(&core->mutex);
	return true;
}

static bool outside_cancel(struct work_struct *work)
{
	if (!work_is_pending(work) || !work_is_queued(work))
		return false;
	list_del_init(&work->entry);
	work_clear_pending(work);
	return true;
}

/* cancel_work_sync(): PENDING is held until the running instance is done. */
static void cancel_wait_running(struct kshim *kshim, struct work_struct *work)
{
	struct kshim_core *core = kshim->core;
	uint32_t round;

	(void)work_test_and_set_pending(work);
	work->kshim_canceling = 1;
	for (round = 0; work_runner(core, work) != NULL; round++) {
		if (round >= KSHIM_CORE_WAIT_ROUND_MAX)
			kshim__core_fail(kshim, SIM_FINDING_NO_PROGRESS,
					 "cancel_work_sync: %u rounds", round);
		kshim__core_wait(kshim, work, "cancel_work_sync");
	}
	work->kshim_canceling = 0;
}

/**
 * kshim_cancel_work() - cancel_work() (@sync false) and cancel_work_sync().
 */
bool kshim_cancel_work(struct work_struct *work, bool sync)
{
	struct kshim_worker *self_worker;
	struct workqueue_struct *wq;
	struct kshim_core *core;
	struct kshim *kshim;
	uint32_t round;
	bool pending;

	if (work == NULL) {
		kshim_warn(__FILE__, __LINE__, "cancel_work(NULL)");
		return false;
	}
	core = kshim__core_self(&kshim);
	if (core == NULL)
		return outside_cancel(work);
	if (sync)
		kshim_might_sleep(__FILE__, __LINE__);
	kshim_access_point(KSHIM_ACCESS_ATOMIC, "cancel_work");
	pthread_mutex_lock(&core->mutex);
	work_adopt(kshim, work);
	self_worker = worker_self(core);
	if (sync && self_worker != NULL && self_worker->current_work == work)
		kshim__core_fail(kshim, SIM_FINDING_DEADLOCK,
				 "cancel_work_sync() called by the work it cancels");
	/* Another cancel_work_sync() holds the work: wait for it (sync only). */
	for (round = 0; work->kshim_canceling != 0; round++) {
		if (!sync) {
			pthread_mutex_unlock(&core->mutex);
			return false;
		}
		if (round >= KSHIM_CORE_WAIT_ROUND_MAX)
			kshim__core_fail(kshim, SIM_FINDING_NO_PROGRESS,
					 "cancel_work_sync: %u rounds", round);
		kshim__core_wait(kshim, work, "cancel_work_sync (other cancel)");
	}
	pending = work_is_pending(work);
	if (work_is_queued(work)) {
		list_del_init(&work->entry);
		SIM_ASSERT(core->queued_count > 0);
		core->queued_count--;
	}
	if (sync)
		cancel_wait_running(kshim, work);
	if (pending || sync)
		work_clear_pending(work);
	wq = work->kshim_wq;
	pthread_mutex_unlock(&core->mutex);
	/* Flushers of the removed instance and other cancellers re-check. */
	kshim__core_wake(kshim, work);
	if (wq != NULL)
		kshim__core_wake(kshim, wq);
	return pending;
}

static bool wq_outstanding(struct kshim_core *core, const struct workqueue_struct *wq,
			   unsigned long target)
{
	const struct work_struct *work;
	uint32_t seen = 0;
	uint32_t i;

	for (i = 0; i < core->worker_spawned_count; i++) {
		if (core->workers[i].current_work != NULL && core->workers[i].current_wq == wq &&
		    core->workers[i].current_seq <= target)
			return true;
	}
	list_for_each_entry(work, &core->queue, entry) {
		SIM_ASSERT(seen++ < core->queued_count);
		if (work->kshim_wq == wq && work->kshim_queue_seq <= target)
			return true;
	}
	return false;
}

/**
 * kshim_flush_workqueue() - flush_workqueue(): wait for every work queued on
 * @wq before the call (and running ones) to finish.
 */
void kshim_flush_workqueue(struct workqueue_struct *wq)
{
	struct kshim_worker *self_worker;
	struct kshim_core *core;
	struct kshim *kshim;
	unsigned long target;
	uint32_t round;

	if (wq == NULL) {
		kshim_warn(__FILE__, __LINE__, "flush_workqueue(NULL)");
		return;
	}
	core = kshim__core_self(&kshim);
	if (core == NULL)
		return;
	kshim_might_sleep(__FILE__, __LINE__);
	sim_point(SIM_POINT_YIELD, "flush_workqueue");
	pthread_mutex_lock(&core->mutex);
	target = core->queue_seq;
	self_worker = worker_self(core);
	if (self_worker != NULL && self_worker->current_work != NULL &&
	    self_worker->current_wq == wq)
		kshim__core_fail(kshim, SIM_FINDING_DEADLOCK,
				 "flush_workqueue(%s) called by one of its works", wq->name);
	for (round = 0; wq_outstanding(core, wq, target); round++) {
		if (round >= KSHIM_CORE_WAIT_ROUND_MAX)
			kshim__core_fail(kshim, SIM_FINDING_NO_PROGRESS,
					 "flush_workqueue: %u rounds", round);
		kshim__core_wait(kshim, wq, "flush_workqueue");
	}
	pthread_mutex_unlock(&core->mutex);
}

/**
 * kshim_alloc_workqueue() - alloc_workqueue() and friends: a kmalloc'd
 * workqueue on the shared pool.
 */
struct workqueue_struct *kshim_alloc_workqueue(const char *name, unsigned int flags, bool ordered)
{
	struct workqueue_struct *wq;

	wq = kshim_kmalloc(sizeof(*wq), GFP_KERNEL, __FILE__, __LINE__);
	if (wq == NULL)
		return NULL;
	memset(wq, 0, sizeof(*wq));
	snprintf(wq->name_buffer, sizeof(wq->name_buffer), "%s", name != NULL ? name : "wq");
	wq->name = wq->name_buffer;
	wq->flags = flags;
	wq->ordered = ordered;
	wq->allocated = true;
	return wq;
}

/**
 * kshim_destroy_workqueue() - destroy_workqueue(): drain @wq (flush until
 * no work of it is left, as its own works may queue more), then free it.
 */
void kshim_destroy_workqueue(struct workqueue_struct *wq)
{
	struct kshim_core *core;
	struct kshim *kshim;
	uint32_t flush_count;
	bool busy = false;

	if (wq == NULL)
		return;
	if (!wq->allocated) {
		kshim_warn(__FILE__, __LINE__, "destroy_workqueue(%s): a system workqueue",
			   wq->name);
		return;
	}
	core = kshim__core_self(&kshim);
	for (flush_count = 0; core != NULL && flush_count < DRAIN_FLUSH_COUNT_MAX; flush_count++) {
		kshim_flush_workqueue(wq);
		pthread_mutex_lock(&core->mutex);
		busy = wq_outstanding(core, wq, ~0ul);
		pthread_mutex_unlock(&core->mutex);
		if (!busy)
			break;
	}
	if (busy)
		kshim_warn(__FILE__, __LINE__, "destroy_workqueue(%s): still busy after %u flushes",
			   wq->name, flush_count);
	kshim_kfree(wq);
}

/**
 * kshim__workqueue_finish() - a "work-pending" finding for works still
 * queued or running at the end of the execution: they never completed.
 */
void kshim__workqueue_finish(struct kshim *kshim)
{
	struct kshim_core *core = kshim->core;
	const char *file = NULL;
	uint32_t running_count = 0;
	uint32_t queued_count;
	int line = 0;
	uint32_t i;

	pthread_mutex_lock(&core->mutex);
	queued_count = core->queued_count;
	if (queued_count != 0) {
		const struct work_struct *oldest =
			list_first_entry(&core->queue, struct work_struct, entry);

		file = oldest->kshim_file;
		line = oldest->kshim_line;
	}
	for (i = 0; i < core->worker_spawned_count; i++)
		running_count += core->workers[i].current_work != NULL;
	pthread_mutex_unlock(&core->mutex);
	if (queued_count != 0 || running_count != 0)
		sim_report(kshim->sim, KSHIM_FINDING_WORK_PENDING, file, line,
			   "%u works queued and %u running when the execution ended "
			   "(oldest queued at %s:%d)",
			   queued_count, running_count, file != NULL ? file : "-", line);
}

/**
 * kshim_work_queued_count() - see sim/kshim.h.
 */
uint32_t kshim_work_queued_count(const struct kshim *kshim)
{
	uint32_t count;

	SIM_ASSERT(kshim != NULL && kshim->core != NULL);
	pthread_mutex_lock(&kshim->core->mutex);
	count = kshim->core->queued_count;
	pthread_mutex_unlock(&kshim->core->mutex);
	return count;
}

/**
 * kshim_work_running_count() - see sim/kshim.h.
 */
uint32_t kshim_work_running_count(const struct kshim *kshim)
{
	struct kshim_core *core;
	uint32_t count = 0;
	uint32_t i;

	SIM_ASSERT(kshim != NULL && kshim->core != NULL);
	core = kshim->core;
	pthread_mutex_lock(&core->mutex);
	for (i = 0; i < core->worker_spawned_count; i++)
		count += core->workers[i].current_work != NULL;
	pthread_mutex_unlock(&core->mutex);
	return count;
}

/**
 * kshim_work_run_count() - see sim/kshim.h.
 */
uint64_t kshim_work_run_count(const struct kshim *kshim)
{
	uint64_t count;

	SIM_ASSERT(kshim != NULL && kshim->core != NULL);
	pthread_mutex_lock(&kshim->core->mutex);
	count = kshim->core->work_run_count;
	pthread_mutex_unlock(&kshim->core->mutex);
	return count;
}

/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/workqueue.h. Works are run by host worker
 * threads of the execution (docs/kshim-core.md): one FIFO shared by every
 * workqueue, taken by whichever idle worker the strategy runs first. A work
 * never runs on two workers at once (the kernel's non-reentrancy within a
 * pool); queueing it while it runs makes it run again afterwards.
 * Outside an execution (pure unit tests) a queued work runs at once on the
 * caller.
 */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H

#include <linux/bitops.h>
#include <linux/kshim.h>
#include <linux/list.h>
#include <linux/types.h>

struct work_struct;
struct workqueue_struct;

typedef void (*work_func_t)(struct work_struct *work);

/* Bit 0 of data, as WORK_STRUCT_PENDING_BIT in the kernel. */
#define WORK_STRUCT_PENDING_BIT 0

struct work_struct {
	unsigned long data;
	struct list_head entry;
	work_func_t func;
	/* Simulation bookkeeping; kernel code never touches these. */
	struct workqueue_struct *kshim_wq;
	const char *kshim_file;
	int kshim_line;
	unsigned int kshim_canceling;
	unsigned long kshim_queue_seq;
	unsigned long kshim_execution;
};

/* WQ_* flags are accepted and recorded; every workqueue shares one pool. */
#define WQ_UNBOUND (1u << 1)
#define WQ_FREEZABLE (1u << 2)
#define WQ_MEM_RECLAIM (1u << 3)
#define WQ_HIGHPRI (1u << 4)

#define __WORK_INITIALIZER(n, f)                                    \
	{ .data = 0, .entry = LIST_HEAD_INIT((n).entry), .func = (f), \
	  .kshim_wq = NULL, .kshim_file = NULL, .kshim_line = 0,      \
	  .kshim_canceling = 0, .kshim_queue_seq = 0, .kshim_execution = 0 }
#define DECLARE_WORK(n, f) struct work_struct n = __WORK_INITIALIZER(n, f)

static inline void kshim_init_work(struct work_struct *work, work_func_t func)
{
	work->data = 0;
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	work->kshim_wq = NULL;
	work->kshim_file = NULL;
	work->kshim_line = 0;
	work->kshim_canceling = 0;
	work->kshim_queue_seq = 0;
	work->kshim_execution = 0;
}

#define INIT_WORK(work, func) kshim_init_work((work), (func))
#define INIT_WORK_ONSTACK(work, func) kshim_init_work((work), (func))
#define destroy_work_on_stack(work) ((void)(work))

/* The runtime (sim/kshim/workqueue.c). */
extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_unbound_wq;
extern struct workqueue_struct *system_highpri_wq;
extern struct workqueue_struct *system_long_wq;
bool kshim_queue_work(struct workqueue_struct *wq, struct work_struct *work,
		      const char *file, int line);
bool kshim_flush_work(struct work_struct *work);
bool kshim_cancel_work(struct work_struct *work, bool sync);
void kshim_flush_workqueue(struct workqueue_struct *wq);
struct workqueue_struct *kshim_alloc_workqueue(const char *name, unsigned int flags,
					       bool ordered);
void kshim_destroy_workqueue(struct workqueue_struct *wq);

/* Return: true if @work was queued, false if it was already pending. */
#define queue_work(wq, work) kshim_queue_work((wq), (work), __FILE__, __LINE__)
#define queue_work_on(cpu, wq, work) ((void)(cpu), queue_work((wq), (work)))
#define schedule_work(work) queue_work(system_wq, (work))

/* Is @work queued and not yet started? A schedule point (bit test). */
#define work_pending(work) test_bit(WORK_STRUCT_PENDING_BIT, &(work)->data)

/**
 * flush_work() - wait until the last queued instance of @work has finished.
 * @work: the work.
 *
 * Context: may sleep.
 * Return: true if it waited, false if @work was idle.
 */
static inline bool flush_work(struct work_struct *work)
{
	return kshim_flush_work(work);
}

/**
 * cancel_work_sync() - remove a queued @work and wait for a running one.
 * @work: the work; queueing it while this runs fails (returns false).
 *
 * Context: may sleep.
 * Return: true if @work was pending.
 */
static inline bool cancel_work_sync(struct work_struct *work)
{
	return kshim_cancel_work(work, true);
}

/* cancel_work() - remove a queued @work; a running one keeps running. */
static inline bool cancel_work(struct work_struct *work)
{
	return kshim_cancel_work(work, false);
}

/* flush_workqueue() - wait for every work queued on @wq before the call. */
static inline void flush_workqueue(struct workqueue_struct *wq)
{
	kshim_flush_workqueue(wq);
}

/* Deprecated in the kernel, kept for old callers. */
static inline void flush_scheduled_work(void)
{
	kshim_flush_workqueue(system_wq);
}

/*
 * A kmalloc'd workqueue (failure injection applies; not destroying it is a
 * leak). The name is kept unformatted. An ordered workqueue runs at most one
 * of its works at a time, in queueing order.
 */
#define alloc_workqueue(fmt, flags, max_active, ...) \
	((void)(max_active), kshim_alloc_workqueue((fmt), (flags), false))
#define alloc_ordered_workqueue(fmt, flags, ...) kshim_alloc_workqueue((fmt), (flags), true)
#define create_singlethread_workqueue(name) kshim_alloc_workqueue((name), 0, true)

/* destroy_workqueue() - drain @wq (flush), then free it. */
static inline void destroy_workqueue(struct workqueue_struct *wq)
{
	kshim_destroy_workqueue(wq);
}

#endif /* _LINUX_WORKQUEUE_H */

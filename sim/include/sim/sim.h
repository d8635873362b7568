/* SPDX-License-Identifier: MIT */
/*
 * The apfsim engine: vCPUs, guest tasks and host workers as pthreads under a
 * deterministic scheduler.
 *
 * Model
 * -----
 * - A run ("execution") is one struct sim. Threads are created with
 *   sim_spawn() before sim_run() or from inside a running thread.
 * - Every vCPU has an engine-owned idle thread. A guest task is bound to one
 *   vCPU; at most one task is the vCPU's current task at a time. A task that
 *   blocks gives up its vCPU; a woken task joins its vCPU's run queue (FIFO).
 *   When a vCPU has no current task, its idle thread takes interrupts.
 * - Host threads (workers, VMM) are not bound to a vCPU.
 * - Deterministic mode: exactly one thread runs at a time. Control changes
 *   hands only at schedule points (sim_point() and the blocking calls), where
 *   the strategy picks the next thread among the eligible ones. Whether a
 *   deliverable interrupt is taken at a point is also a strategy decision.
 * - Free-run mode: the same API over real parallel threads. Schedule points
 *   only deliver interrupts; blocking uses real condition variables. Used for
 *   stress baselines and for helgrind/TSan.
 * - Stress mode: free-run under one global lock (see SIM_MODE_STRESS).
 * - Virtual time: every schedule point advances the clock by one tick. When
 *   nothing is eligible and a timer is pending, time jumps to it. Nothing
 *   eligible and no timer pending with live non-daemon threads is a deadlock.
 *
 * Threads end by returning from their function. When an execution ends early
 * (a fatal finding, a bound), every other thread is unwound: its blocking
 * call or schedule point does not return.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/limits.h"
#include "sim/prng.h"

struct sim;
struct sim_strategy;
struct sim_schedule;
struct sim_trace_event;

enum sim_mode {
	SIM_MODE_DETERMINISTIC = 0,
	SIM_MODE_FREE_RUN = 1,
	/*
	 * Free-run scheduling under one global lock: a thread holds it while it
	 * runs and lets go at every schedule point and while it waits, so the
	 * host kernel picks who runs next. Real threads in an uncontrolled,
	 * unrecorded order, one at a time: for stress baselines over code that
	 * is not safe for parallel threads (the platform, the KVM model).
	 */
	SIM_MODE_STRESS = 2,
};

enum sim_thread_kind {
	SIM_THREAD_IDLE = 0, /* engine-owned, one per vCPU */
	SIM_THREAD_TASK = 1, /* guest task, bound to a vCPU */
	SIM_THREAD_HOST = 2, /* host worker or control thread */
};

enum sim_thread_state {
	SIM_THREAD_RUNNABLE = 0,
	SIM_THREAD_BLOCKING = 1, /* announced a block, may still be woken before it commits */
	SIM_THREAD_BLOCKED = 2,
	SIM_THREAD_EXITED = 3,
};

/* Labels of schedule points, so traces and strategies can tell them apart. */
enum sim_point_kind {
	SIM_POINT_YIELD = 0,
	SIM_POINT_LOCK_ACQUIRE,
	SIM_POINT_LOCK_RELEASE,
	SIM_POINT_READ,
	SIM_POINT_WRITE,
	SIM_POINT_ATOMIC,
	SIM_POINT_BARRIER,
	SIM_POINT_SMCCC,
	SIM_POINT_SLEEP,
	SIM_POINT_WAKE,
	SIM_POINT_IRQ_UNMASK,
	SIM_POINT_KIND_COUNT,
};

/* Independent random streams, each seeded from the run seed. */
enum sim_stream {
	SIM_STREAM_SCHED = 0, /* reserved for strategies */
	SIM_STREAM_WORKLOAD,
	SIM_STREAM_FAULT,
	SIM_STREAM_LATENCY,
	SIM_STREAM_PLATFORM,
	SIM_STREAM_COUNT,
};

/* Finding classes the engine itself reports. Upper layers add their own. */
#define SIM_FINDING_DEADLOCK "deadlock"
#define SIM_FINDING_STEP_BOUND "step-bound"
#define SIM_FINDING_NO_PROGRESS "no-progress"
#define SIM_FINDING_DIVERGENCE "replay-divergence"
#define SIM_FINDING_NONDETERMINISM "nondeterminism"

struct sim_finding {
	const char *class_name; /* static string */
	const char *file;       /* static string or NULL */
	int line;
	uint32_t thread_id;
	uint64_t step;
	uint64_t tick;
	char message[SIM_FINDING_MESSAGE_SIZE];
};

struct sim_config {
	uint64_t seed;
	enum sim_mode mode;
	uint32_t vcpu_count;         /* 1 .. SIM_VCPU_COUNT_MAX */
	uint64_t step_count_max;     /* 0: SIM_STEP_COUNT_MAX_DEFAULT */
	uint64_t progress_window;    /* 0: SIM_PROGRESS_WINDOW_DEFAULT */
	uint32_t trace_ring_size;    /* events kept; 0: SIM_TRACE_RING_SIZE_DEFAULT */
	uint32_t thread_stack_bytes; /* 0: SIM_THREAD_STACK_BYTES_DEFAULT */
	/* Pin every engine thread to this CPU (deterministic mode); -1: don't. */
	int pin_cpu;
	/* Optional: every event's hash is stored here (determinism self-check). */
	uint64_t *event_hash_log;
	uint64_t event_hash_log_capacity;
	/* Optional: full copies of the first events (determinism self-check). */
	struct sim_trace_event *event_log;
	uint64_t event_log_capacity;
};

struct sim_thread_attr {
	enum sim_thread_kind kind; /* TASK or HOST */
	const char *name;          /* copied */
	uint32_t vcpu;             /* for TASK: the vCPU it starts on */
	/* A daemon thread does not keep the execution alive: the run ends when
	 * every non-daemon thread has exited. */
	bool daemon;
};

struct sim_result {
	uint64_t step_count;     /* schedule points taken */
	uint64_t decision_count; /* decisions recorded (more than one option) */
	uint64_t switch_count;   /* hand-overs between threads */
	uint64_t tick;           /* virtual time at the end */
	uint64_t event_count;    /* trace events emitted */
	uint64_t trace_hash;     /* rolling hash of every trace event */
	uint32_t thread_count;   /* threads created, idle threads included */
	uint32_t finding_count;  /* findings recorded (first SIM_FINDING_COUNT_MAX kept) */
	struct sim_finding findings[SIM_FINDING_COUNT_MAX];
};

/*
 * Interrupt delivery hooks, registered by the platform. deliverable() says
 * whether something could be taken on @vcpu right now (pending, enabled,
 * unmasked); deliver() takes it, running the guest handler on the calling
 * thread. Both are called only from the thread currently on @vcpu.
 */
struct sim_irq_ops {
	bool (*deliverable)(void *ctx, uint32_t vcpu);
	void (*deliver)(void *ctx, uint32_t vcpu);
};

typedef void (*sim_thread_fn)(void *arg);
typedef void (*sim_timer_fn)(struct sim *sim, void *arg);

/* ---- Execution lifecycle (called from the controlling program thread) ---- */

/**
 * sim_create() - create an execution.
 * @out: the new execution.
 * @config: configuration; values out of range are refused (-EINVAL).
 * @strategy: scheduling strategy; it outlives the execution and may carry
 *            state across executions (DFS, PCT estimates). NULL in free-run.
 *
 * Return: 0, -EINVAL for a bad configuration, -ENOMEM.
 */
__attribute__((warn_unused_result)) int
sim_create(struct sim **out, const struct sim_config *config,
	   struct sim_strategy *strategy);

/**
 * sim_spawn() - create a thread; it first runs when the scheduler picks it.
 * Callable before sim_run() and from inside a running thread.
 *
 * Return: thread id (dense, in creation order) or SIM_THREAD_NONE when a limit
 * is reached (also recorded as an error in the result).
 */
uint32_t sim_spawn(struct sim *sim, const struct sim_thread_attr *attr,
		   sim_thread_fn fn, void *arg);

/**
 * sim_run() - run the execution to its end.
 *
 * Return: 0 when the execution ran (findings are in the result), or a negative
 * errno for an operating error (e.g. -EAGAIN when threads cannot be created).
 */
__attribute__((warn_unused_result)) int sim_run(struct sim *sim);

const struct sim_result *sim_result(const struct sim *sim);
/* The decisions of this execution, in order (valid until sim_destroy()). */
const struct sim_schedule *sim_recorded_schedule(const struct sim *sim);
void sim_destroy(struct sim *sim);

void sim_set_irq_ops(struct sim *sim, const struct sim_irq_ops *ops, void *ctx);

/* ---- Calls from inside running threads ---- */

/* The execution and thread of the caller; NULL / SIM_THREAD_NONE outside one. */
struct sim *sim_self(void);
uint32_t sim_self_id(void);
/* vCPU the caller runs on, or -1 for a host thread. */
int sim_self_vcpu(void);

/**
 * sim_point() - a schedule point. The strategy may switch to another thread
 * and may deliver a pending interrupt on the caller's vCPU here.
 * @kind: what happens at this point.
 * @label: static string naming the point (traced, hashed by content).
 */
void sim_point(enum sim_point_kind kind, const char *label);

static inline void sim_yield(void)
{
	sim_point(SIM_POINT_YIELD, "yield");
}

/*
 * Blocking, in the manner of set_current_state() + schedule():
 *   sim_set_blocking("waiting for X", &x);
 *   if (!condition) sim_schedule(); else sim_set_running();
 * A sim_wake() between the two calls cancels the block, so a wakeup is never
 * lost between the condition check and the sleep. @reason is a static string
 * and @object is reported in deadlock findings (not hashed).
 */
void sim_set_blocking(const char *reason, const void *object);
void sim_set_running(void);
void sim_schedule(void);

/*
 * Like sim_schedule() for a task, but the task keeps its vCPU: the vCPU is
 * halted (nothing else runs on it, its idle thread takes no interrupts) until
 * the task is woken. Models a vCPU that blocks in the host, e.g. waiting for
 * a page.
 */
void sim_schedule_halt(void);

/* Wake @thread_id if it is blocking or blocked. Return: true if it was. */
bool sim_wake(struct sim *sim, uint32_t thread_id);

/* Sleep @ticks of virtual time (a task gives up its vCPU meanwhile). */
void sim_sleep_ticks(uint64_t ticks);
/*
 * Sleep @ticks of virtual time keeping the vCPU halted (a task), like a vCPU
 * thread that blocks in the host for a synchronous page-in; other threads
 * sleep as with sim_sleep_ticks().
 */
void sim_sleep_ticks_halt(uint64_t ticks);

/*
 * The current task yields its vCPU to the next task on the run queue (it goes
 * to the back). For host threads and idle threads this is a plain yield.
 */
void sim_resched(void);

/* ---- vCPUs and tasks ---- */

uint32_t sim_vcpu_count(const struct sim *sim);
bool sim_vcpu_online(const struct sim *sim, uint32_t vcpu);
/*
 * Take a vCPU offline or bring it online. Going offline moves its tasks
 * (including the caller, if it runs there) to the lowest-numbered online vCPU.
 * Return: 0, -EINVAL (bad vCPU, or the last online vCPU).
 */
int sim_vcpu_set_online(struct sim *sim, uint32_t vcpu, bool online);
/* The vCPU's current task, or SIM_THREAD_NONE. */
uint32_t sim_vcpu_current(const struct sim *sim, uint32_t vcpu);
/* Move a task to another vCPU (takes effect when it next runs). */
int sim_task_move(struct sim *sim, uint32_t thread_id, uint32_t vcpu);
/*
 * Ask the engine to re-evaluate interrupts on @vcpu: if it is idle and
 * something became deliverable, its idle thread becomes eligible.
 */
void sim_vcpu_kick(struct sim *sim, uint32_t vcpu);

/* ---- Threads ---- */

uint32_t sim_thread_count(const struct sim *sim);
const char *sim_thread_name(const struct sim *sim, uint32_t thread_id);
enum sim_thread_kind sim_thread_kind(const struct sim *sim, uint32_t thread_id);
enum sim_thread_state sim_thread_state(const struct sim *sim, uint32_t thread_id);
/* The vCPU a task (or idle thread) belongs to; -1 for host threads. */
int sim_thread_vcpu(const struct sim *sim, uint32_t thread_id);
/* Per-thread slot for upper layers (e.g. the kshim's task_struct). */
void sim_thread_set_data(struct sim *sim, uint32_t thread_id, void *data);
void *sim_thread_data(const struct sim *sim, uint32_t thread_id);

/* ---- Time ---- */

uint64_t sim_now(const struct sim *sim);
/*
 * Arm a one-shot timer. The callback runs in engine context on whichever
 * thread is running when the deadline passes; it must not block, and may wake
 * threads or raise interrupts. Return: timer id (never 0) or 0 when
 * SIM_TIMER_COUNT_MAX timers are armed.
 */
uint64_t sim_timer_add(struct sim *sim, uint64_t deadline_tick,
		       sim_timer_fn fn, void *arg);
bool sim_timer_cancel(struct sim *sim, uint64_t timer_id);

/* ---- Randomness (from the run seed) ---- */

uint64_t sim_seed(const struct sim *sim);
struct sim_prng *sim_stream(struct sim *sim, enum sim_stream stream);
/*
 * A decision with @option_count options that the strategy makes and the
 * schedule records (explored by DFS, replayed exactly). Use it for choices
 * that are part of the interleaving; use sim_stream() for workload data.
 */
uint32_t sim_choose(uint32_t option_count, const char *label);

/* ---- Findings ---- */

/* Record a finding and continue (the execution fails at its end). */
__attribute__((format(printf, 5, 6))) void
sim_report(struct sim *sim, const char *class_name, const char *file, int line,
	   const char *fmt, ...);
/*
 * Record a finding and end the execution now. From a running thread it does
 * not return; from engine context (a timer callback) it marks the execution
 * to stop at the next schedule point.
 */
__attribute__((format(printf, 5, 6))) void
sim_fail(struct sim *sim, const char *class_name, const char *file, int line,
	 const char *fmt, ...);
/* Ends the execution early without a finding (e.g. a fuzz input ran out). */
void sim_stop(struct sim *sim);
bool sim_stopping(const struct sim *sim);
/* Something useful happened: resets the no-progress watchdog. */
void sim_progress(struct sim *sim);

#define SIM_REPORT(sim, cls, ...) sim_report(sim, cls, __FILE__, __LINE__, __VA_ARGS__)
#define SIM_FAIL(sim, cls, ...) sim_fail(sim, cls, __FILE__, __LINE__, __VA_ARGS__)

/* Step counter of the execution (schedule points taken so far). */
uint64_t sim_step(const struct sim *sim);
enum sim_mode sim_mode(const struct sim *sim);

#endif /* SIM_SIM_H */

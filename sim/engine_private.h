/* SPDX-License-Identifier: MIT */
/*
 * Engine internals shared by engine.c, timer.c and trace.c. Never included
 * outside sim/.
 */
#ifndef SIM_ENGINE_PRIVATE_H
#define SIM_ENGINE_PRIVATE_H

#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>

#include "sim/schedule.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "sim/trace.h"

/* Size of one formatted log line kept in the text ring. */
#define SIM_TRACE_TEXT_SIZE_ 160u
#define SIM_TRACE_TEXT_COUNT_ 1024u
/* Nested interrupt deliveries on one thread (IRQ inside SDEI and the like). */
#define SIM_DELIVERY_DEPTH_MAX_ 4u

struct sim_thread {
	struct sim *sim;
	uint32_t id;
	enum sim_thread_kind kind;
	enum sim_thread_state state;
	int vcpu; /* tasks and idle threads; -1 for host threads */
	bool daemon;
	bool halted;     /* blocked while keeping its vCPU */
	bool in_runqueue;
	bool started;    /* pthread created */
	bool ran;        /* picked at least once */
	bool granted;    /* free-run: holds a baton */
	uint32_t rq_next; /* run queue link, SIM_THREAD_NONE at the tail */
	uint32_t delivery_depth;
	sim_thread_fn fn;
	void *arg;
	void *data;
	const char *block_reason;
	const void *block_object;
	pthread_t pthread;
	sem_t baton;
	jmp_buf exit_jmp;
	char name[SIM_THREAD_NAME_SIZE];
};

struct sim_vcpu {
	bool online;
	uint32_t current; /* current task, SIM_THREAD_NONE when idle */
	uint32_t idle;    /* idle thread id */
	uint32_t rq_head;
	uint32_t rq_tail;
	uint32_t rq_count;
	uint32_t irq_declines; /* consecutive declined deliveries */
	bool kicked;           /* free-run: something may be deliverable */
};

struct sim_timer {
	uint64_t deadline;
	uint64_t sequence; /* arming order breaks deadline ties */
	uint64_t id;
	sim_timer_fn fn;
	void *arg;
	bool armed;
};

struct sim_trace_ring {
	struct sim_trace_event *events;
	uint64_t capacity;
	uint64_t emitted; /* events emitted in total */
	uint64_t hash;
	char (*texts)[SIM_TRACE_TEXT_SIZE_];
	uint64_t text_count;
	/* Direct-mapped cache of label hashes, keyed by pointer (the key only
	 * speeds up the lookup; the hash itself is of the label's content). */
	const char *label_keys[256];
	uint64_t label_hashes[256];
	/* Listener (sim_set_trace_listener); in_listener stops recursion. */
	void (*listener)(void *ctx, const struct sim_trace_event *event);
	void *listener_ctx;
	bool in_listener;
};

struct sim {
	struct sim_config config;
	struct sim_strategy *strategy;
	bool free_run;        /* free-run or stress mode */
	bool stress;          /* stress mode: free-run under one global lock */
	pthread_mutex_t lock; /* free-run mode only */
	pthread_mutex_t gil;  /* stress mode only: held by the running thread */

	struct sim_thread **threads;
	uint32_t thread_count;
	uint32_t task_count;
	uint32_t host_count;
	struct sim_vcpu vcpus[SIM_VCPU_COUNT_MAX];

	/* Threads eligible apart from idle threads, sorted by id: runnable
	 * host threads and the runnable current task of each online vCPU. */
	uint32_t *ready;
	uint32_t ready_count;
	uint32_t *eligible; /* scratch for one pick */

	uint32_t running; /* thread holding the baton (deterministic mode) */
	bool started;
	bool stopping;
	bool done_posted;
	sem_t done;

	uint64_t step;
	uint64_t tick;
	uint64_t last_progress_step;
	uint64_t switch_count;
	int error; /* operating error seen during the run */

	struct sim_timer *timers;
	uint32_t *timer_heap; /* indexes into timers, min-heap on (deadline, sequence) */
	uint32_t timer_heap_count;
	uint64_t timer_sequence;
	uint64_t timer_generation;

	struct sim_prng streams[SIM_STREAM_COUNT];
	struct sim_irq_ops irq_ops;
	void *irq_ctx;

	struct sim_schedule recorded;
	struct sim_result result;
	struct sim_trace_ring trace;
	enum sim_point_kind point_kind; /* kind of the latest schedule point */
};

/* engine.c */
void sim__lock(struct sim *sim);
void sim__unlock(struct sim *sim);
uint32_t sim__trace_thread_id(const struct sim *sim);
int sim__trace_vcpu(const struct sim *sim);

/* timer.c */
int sim__timers_init(struct sim *sim);
void sim__timers_fini(struct sim *sim);
bool sim__timer_pending(const struct sim *sim);
uint64_t sim__timer_next_deadline(const struct sim *sim);
/* Fire every timer whose deadline is at or before now. Return: fired count. */
uint32_t sim__timers_fire(struct sim *sim);

/* trace.c */
int sim__trace_init(struct sim *sim);
void sim__trace_fini(struct sim *sim);

#endif /* SIM_ENGINE_PRIVATE_H */

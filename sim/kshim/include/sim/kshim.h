/* SPDX-License-Identifier: MIT */
/*
 * The simulation side of the kernel-API layer: one struct kshim per
 * execution holds the task_structs, lock waiters, interrupt masks,
 * allocations and per-CPU areas behind the kernel headers in
 * sim/kshim/include/{linux,asm}. Tests and scenario drivers use this file;
 * kernel code never includes it.
 *
 *   kshim_create(&k, sim, &config);      before sim_run()
 *   kshim_spawn_task(k, vcpu, name, fn, arg);
 *   sim_run(sim);
 *   kshim_finish(k);                     reports leaks as findings
 *   kshim_destroy(k);                    before sim_destroy()
 */
#ifndef SIM_KSHIM_H
#define SIM_KSHIM_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/prng.h"
#include "sim/sim.h"

struct kshim;

/* Finding classes of the kernel-API layer. */
#define KSHIM_FINDING_WARN "warn"
#define KSHIM_FINDING_BUG "bug"
#define KSHIM_FINDING_LEAK "leak"
#define KSHIM_FINDING_SLEEP_IN_ATOMIC "sleep-in-atomic"
#define KSHIM_FINDING_BAD_UNLOCK "bad-unlock"
#define KSHIM_FINDING_BAD_FREE "bad-free"

/* Dynamic per-CPU memory of one CPU (alloc_percpu), in bytes. */
#define KSHIM_PERCPU_DYNAMIC_BYTES (16u * 1024u)
#define KSHIM_PERCPU_ALLOC_COUNT_MAX 128u
/* Retries of a contended lock before the run is declared live-locked. */
#define KSHIM_LOCK_ATTEMPT_COUNT_MAX 100000u
/* Flag handlers run by kshim_exit_to_user() per return (bounds the loop). */
#define KSHIM_EXIT_TO_USER_ROUND_MAX 16u
#define KSHIM_TIF_COUNT_MAX 64u

struct kshim_config {
	/* Chance that an allocation without __GFP_NOFAIL fails (0/0: never),
	 * drawn from the execution's SIM_STREAM_FAULT stream. */
	struct sim_ratio alloc_fail_ratio;
	/* Fail exactly the Nth allocation of the execution (1-based; 0: off). */
	uint64_t alloc_fail_nth;
};

/* The running task's flag handler, e.g. the guest half's async-PF wait. */
typedef void (*kshim_tif_fn)(void);

/**
 * kshim_create() - create the kernel-API state of one execution.
 * @out: the new state.
 * @sim: the execution (not yet running); one kshim per sim.
 * @config: options, or NULL for defaults.
 *
 * Return: 0, -EINVAL (bad config, or @sim already has a kshim), -ENOMEM.
 */
int kshim_create(struct kshim **out, struct sim *sim, const struct kshim_config *config);

/**
 * kshim_spawn_task() - create a guest task on @vcpu with its task_struct.
 * Return: the thread id, or SIM_THREAD_NONE.
 */
uint32_t kshim_spawn_task(struct kshim *kshim, uint32_t vcpu, const char *name,
			  sim_thread_fn fn, void *arg);

/**
 * kshim_spawn_host() - create a host thread (kthread) with its task_struct.
 * Return: the thread id, or SIM_THREAD_NONE.
 */
uint32_t kshim_spawn_host(struct kshim *kshim, const char *name, bool daemon,
			  sim_thread_fn fn, void *arg);

/**
 * kshim_finish() - end-of-execution checks: a "leak" finding (count and
 * bytes) for live allocations, which are then freed. Call after sim_run().
 *
 * Return: the number of leaked objects.
 */
uint64_t kshim_finish(struct kshim *kshim);
void kshim_destroy(struct kshim *kshim);

/* Is the interrupt mask of @vcpu set (local_irq_*, spin_lock_irq*, handler)? */
bool kshim_irqs_disabled(const struct kshim *kshim, uint32_t vcpu);
/* Interrupt-handler entry and exit on the caller's vCPU (masks interrupts). */
void kshim_irq_enter(void);
void kshim_irq_exit(void);

/* Handler kshim_exit_to_user() runs while @flag is set on the task. */
int kshim_set_tif_handler(struct kshim *kshim, unsigned int flag, kshim_tif_fn fn);
/*
 * Return to user mode of a simulated guest task: runs the handlers of the
 * set thread flags (TIF_ASYNC_PF first), then reschedules if
 * TIF_NEED_RESCHED is set.
 */
void kshim_exit_to_user(void);

/* Live allocations and their bytes (kmalloc and friends). */
uint64_t kshim_alloc_live_count(const struct kshim *kshim);
uint64_t kshim_alloc_failed_count(const struct kshim *kshim);

#endif /* SIM_KSHIM_H */

/* SPDX-License-Identifier: MIT */
/*
 * Private state of the kernel-core half of the runtime: workqueues, boot
 * (early_param, initcalls), CPU hotplug, the reboot chain and the kernel
 * data reset. One struct kshim_core per execution hangs off struct kshim.
 *
 * Locking: core->mutex (a pthread mutex) guards the fields below; it is
 * never held across a schedule point, a blocking call or sim_fail(), so it
 * behaves the same in deterministic and free-run mode. Threads that must
 * wait use core_wait(): announce the block under the mutex, release it,
 * then sim_schedule(); wakers change the state under the mutex and then
 * sim_wake() every thread waiting on the object, so no wake is lost.
 */
#ifndef SIM_KSHIM_CORE_PRIVATE_H
#define SIM_KSHIM_CORE_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/cpuhotplug.h>
#include <linux/kshim.h>
#include <linux/list.h>
#include <linux/notifier.h>
#include <linux/workqueue.h>

#include "kshim_private.h"
#include "sim/kshim.h"
#include "sim/limits.h"

/* Initcall entries a program may register (bounds the boot's sort). */
#define KSHIM_INITCALL_COUNT_MAX 4096u
/* Hotplug steps, indexed by enum cpuhp_state. */
#define KSHIM_CPUHP_STEP_COUNT ((uint32_t)CPUHP_ONLINE + 1u)
/* Bound of every wait loop (each round is one wake); the engine's step
 * bound normally ends a run long before. */
#define KSHIM_CORE_WAIT_ROUND_MAX (1u << 20)
/* Bound of a worker's loop (each round runs a work or sleeps once). */
#define KSHIM_WORKER_ROUND_MAX (1ull << 32)

struct workqueue_struct {
	const char *name;
	unsigned int flags;
	bool ordered;
	bool allocated; /* by alloc_workqueue(): kfree'd by destroy_workqueue() */
	char name_buffer[32];
};

struct kshim_worker {
	uint32_t thread_id;
	bool idle;
	struct work_struct *current_work; /* NULL when not running a work */
	struct workqueue_struct *current_wq;
	unsigned long current_seq;
};

struct kshim_cmdline_word {
	char *param;
	char *value; /* NULL without '=' */
};

/* Words of a command line of KSHIM_CMDLINE_BYTES_MAX bytes, at most. */
#define KSHIM_CMDLINE_WORD_COUNT_MAX (KSHIM_CMDLINE_BYTES_MAX / 2u + 1u)

struct kshim_cpuhp_step {
	const char *name;
	kshim_cpuhp_fn startup;
	kshim_cpuhp_fn teardown;
	bool used;      /* the slot is taken (setup until removal ends) */
	bool installed; /* CPUs coming up run it (false while it is removed) */
};

struct kshim_core {
	pthread_mutex_t mutex;
	/* [SIM_THREAD_COUNT_MAX]: the object each thread waits for, or NULL. */
	const void **waiting_on;

	/* Workqueues: one FIFO of pending works, taken by the workers. */
	uint32_t worker_count;
	uint32_t worker_spawned_count;
	bool worker_spawn_failed;
	struct kshim_worker workers[SIM_WORKER_COUNT_MAX];
	struct list_head queue;
	uint32_t queued_count;
	unsigned long queue_seq; /* sequence number of the last queueing */
	uint64_t work_run_count;

	/* Boot. */
	bool booted;
	char cmdline[KSHIM_CMDLINE_BYTES_MAX]; /* early_param values point here */
	struct kshim_cmdline_word cmdline_words[KSHIM_CMDLINE_WORD_COUNT_MAX];

	/* CPU hotplug. state_lock (a mutex) serialises setup and removal of
	 * states; cpu_lock[cpu] (a mutex) serialises everything that runs
	 * callbacks for that CPU; done[state][cpu] says the CPU is past the
	 * state (its teardown runs when the CPU goes down). */
	struct kshim_lock cpuhp_state_lock;
	struct kshim_lock cpuhp_cpu_lock[SIM_VCPU_COUNT_MAX];
	struct kshim_cpuhp_step steps[KSHIM_CPUHP_STEP_COUNT];
	bool cpuhp_done[KSHIM_CPUHP_STEP_COUNT][SIM_VCPU_COUNT_MAX];
	bool cpu_up[SIM_VCPU_COUNT_MAX];

	/* Reboot notifiers, highest priority first. */
	struct kshim_lock reboot_lock; /* a mutex */
	struct notifier_block *reboot_chain[KSHIM_REBOOT_NOTIFIER_COUNT_MAX];
	uint32_t reboot_count;
};

/* Lifecycle, called from kshim.c. */
int kshim__core_init(struct kshim *kshim);
void kshim__core_fini(struct kshim *kshim);
void kshim__core_finish(struct kshim *kshim);
/* Kernel data (reset.c): restore the initial image; -EBUSY while another
 * execution with kernel data is live. */
int kshim__kdata_acquire(struct kshim *kshim);
void kshim__kdata_release(struct kshim *kshim);

/* The core of the caller's execution, or NULL outside one. */
struct kshim_core *kshim__core_self(struct kshim **kshim_out);
/* With core->mutex held: block until kshim__core_wake(@object); returns
 * with the mutex held again. The caller re-checks its condition. */
void kshim__core_wait(struct kshim *kshim, const void *object, const char *reason);
/* Wake every thread waiting on @object (core->mutex held or not). */
void kshim__core_wake(struct kshim *kshim, const void *object);
/* Unlock core->mutex, then end the execution with a finding. */
__attribute__((noreturn, format(printf, 3, 4))) void
kshim__core_fail(struct kshim *kshim, const char *class_name, const char *fmt, ...);

void kshim__workqueue_init(struct kshim *kshim);
void kshim__workqueue_finish(struct kshim *kshim);
void kshim__cpuhp_init(struct kshim *kshim);

#endif /* SIM_KSHIM_CORE_PRIVATE_H */

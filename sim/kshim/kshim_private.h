/* SPDX-License-Identifier: MIT */
/* Private state of the kernel-API layer; only the .c files of sim/kshim include it. */
#ifndef SIM_KSHIM_PRIVATE_H
#define SIM_KSHIM_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/kshim.h"
#include "sim/limits.h"

struct task_struct;
struct kshim_core;
struct kshim_plat;

struct kshim_alloc_header {
	uint64_t magic;
	size_t size_bytes;
	struct kshim_alloc_header *prev;
	struct kshim_alloc_header *next;
	const char *file;
	int line;
	int pad;
};

struct kshim {
	struct sim *sim;
	struct kshim_config config;
	unsigned long execution_id;
	/* Guards the allocation list and per-CPU allocator in free-run mode. */
	pthread_mutex_t mutex;
	struct task_struct *tasks;   /* [SIM_THREAD_COUNT_MAX] */
	const void **waiting_on;     /* [SIM_THREAD_COUNT_MAX]: lock waited for */
	bool *irqs_off_host;         /* [SIM_THREAD_COUNT_MAX]: host threads */
	bool irqs_off[SIM_VCPU_COUNT_MAX];
	kshim_tif_fn tif_handlers[KSHIM_TIF_COUNT_MAX];
	/* Allocations: a list of headers, newest first. */
	struct kshim_alloc_header *alloc_head;
	uint64_t alloc_live_count;
	uint64_t alloc_live_bytes;
	/*
	 * Freed objects, poisoned and kept until the execution ends, so no
	 * address is handed out twice in one execution (see kshim_kfree()).
	 */
	struct kshim_alloc_header *freed_head;
	uint64_t freed_bytes;
	uint64_t alloc_call_count;
	uint64_t alloc_failed_count;
	/* Per-CPU: one unit per CPU; each unit holds the static section then
	 * the dynamic area. */
	char *percpu_area;
	size_t percpu_unit_bytes;
	size_t percpu_static_bytes;
	size_t percpu_dynamic_used_bytes;
	uint32_t percpu_cpu_count;
	uint32_t percpu_alloc_count;
	uint32_t percpu_live_count;
	size_t percpu_alloc_offsets[KSHIM_PERCPU_ALLOC_COUNT_MAX];
	bool percpu_alloc_live[KSHIM_PERCPU_ALLOC_COUNT_MAX];
	/* Workqueues, boot, hotplug, reboot (core.c; core_private.h). */
	struct kshim_core *core;
	/* Binding to the simulated platform (platform.c); NULL until attached. */
	struct kshim_plat *plat;
};

/* The kshim of the calling thread's execution, or NULL outside one. */
struct kshim *kshim__self(void);
int kshim__percpu_init(struct kshim *kshim);
void kshim__percpu_fini(struct kshim *kshim);
uint64_t kshim__alloc_finish(struct kshim *kshim, bool report);

/*
 * kshim_on_cpu() - run @fn(@arg) ON vCPU @cpu (the caller itself if it runs
 * there, else the per-CPU worker task bound to that vCPU), interrupts
 * masked, smp_processor_id() == @cpu, and wait until it returned. Called
 * from a guest task or host thread inside an execution. Outside one (pure
 * unit tests), or with no platform attached, @fn runs on the caller with
 * smp_processor_id() == @cpu. @kshim may be NULL (the caller's).
 * Owner: sim/kshim/platform.c (helper K2).
 *
 * Return: 0, -EINVAL (bad @cpu or @fn), -ENXIO (@cpu offline, as Linux's
 * smp_call_function_single), -EAGAIN (no thread slot left for the helper task).
 */
int kshim_on_cpu(struct kshim *kshim, unsigned int cpu, void (*fn)(void *), void *arg);
/*
 * kshim__on_cpu_sleepable() - as kshim_on_cpu() but @fn runs with interrupts
 * enabled and may sleep, like a callback run by Linux's per-CPU hotplug
 * thread (cpuhp AP states). Same return values.
 */
int kshim__on_cpu_sleepable(struct kshim *kshim, unsigned int cpu, void (*fn)(void *),
			    void *arg);

/* Platform binding hooks of kshim.c (platform.c; no-ops when not attached). */
void kshim__task_wrap(struct kshim *kshim, sim_thread_fn *fn, void **arg);
void kshim__plat_detach(struct kshim *kshim);
/*
 * Every place where a guest task may give up its vCPU goes through these
 * (or brackets its engine call with saved = kshim__pstate_save(k); ...;
 * kshim__pstate_load(k, saved)), so that the task's PSTATE (EL, I bit)
 * follows it to the vCPU it resumes on. The value lives on the caller's
 * stack, as a context switch keeps it on the kernel stack, so that a
 * handler's own give-up points nested inside do not clobber it.
 */
#define KSHIM_PSTATE_NONE (~0ull)
uint64_t kshim__pstate_save(struct kshim *kshim);
void kshim__pstate_load(struct kshim *kshim, uint64_t saved);
void kshim__sim_schedule(struct kshim *kshim);
void kshim__sim_resched(struct kshim *kshim);

#endif /* SIM_KSHIM_PRIVATE_H */

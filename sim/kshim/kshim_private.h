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
	uint32_t hardirq_depth[SIM_VCPU_COUNT_MAX];
	kshim_tif_fn tif_handlers[KSHIM_TIF_COUNT_MAX];
	/* Allocations: a list of headers, newest first. */
	struct kshim_alloc_header *alloc_head;
	uint64_t alloc_live_count;
	uint64_t alloc_live_bytes;
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
};

/* The kshim of the calling thread's execution, or NULL outside one. */
struct kshim *kshim__self(void);
int kshim__percpu_init(struct kshim *kshim);
void kshim__percpu_fini(struct kshim *kshim);
uint64_t kshim__alloc_finish(struct kshim *kshim, bool report);

#endif /* SIM_KSHIM_PRIVATE_H */

// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas. The "kshim_percpu" section holds every DEFINE_PER_CPU
 * variable of the program; it is the template copied into one unit per CPU
 * when an execution starts, so per-CPU data starts fresh in every execution.
 * A per-CPU pointer P designates, for CPU c, the address P + offset(c) with
 * offset(c) = area + c * unit - section start; alloc_percpu() returns
 * pointers past the section's end that land in each unit's dynamic part.
 * Outside an execution the offset is 0 and the template itself is used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kshim.h>
#include <linux/percpu.h>

#include "kshim_private.h"
#include "sim/assert.h"
#include "sim/sim.h"

#define PERCPU_ALIGN_BYTES 64u

extern char __start_kshim_percpu[];
extern char __stop_kshim_percpu[];

/* Keeps the section present even in a program with no per-CPU variable. */
static DEFINE_PER_CPU(unsigned long, kshim_percpu_anchor);

static size_t align_up(size_t value, size_t align)
{
	SIM_ASSERT(align != 0);
	SIM_ASSERT((align & (align - 1)) == 0);
	return (value + align - 1) & ~(align - 1);
}

/**
 * kshim__percpu_init() - one unit per vCPU, each a copy of the template.
 */
int kshim__percpu_init(struct kshim *kshim)
{
	size_t static_bytes = (size_t)(__stop_kshim_percpu - __start_kshim_percpu);
	uint32_t cpu;

	SIM_ASSERT(kshim != NULL);
	SIM_ASSERT((uintptr_t)__stop_kshim_percpu >= (uintptr_t)__start_kshim_percpu);
	(void)&kshim_percpu_anchor;
	kshim->percpu_cpu_count = sim_vcpu_count(kshim->sim);
	SIM_ASSERT(kshim->percpu_cpu_count >= 1);
	SIM_ASSERT(kshim->percpu_cpu_count <= SIM_VCPU_COUNT_MAX);
	kshim->percpu_static_bytes = align_up(static_bytes, PERCPU_ALIGN_BYTES);
	kshim->percpu_unit_bytes = kshim->percpu_static_bytes + KSHIM_PERCPU_DYNAMIC_BYTES;
	kshim->percpu_area = aligned_alloc(PERCPU_ALIGN_BYTES,
					   kshim->percpu_unit_bytes * kshim->percpu_cpu_count);
	if (kshim->percpu_area == NULL)
		return -ENOMEM;
	for (cpu = 0; cpu < kshim->percpu_cpu_count; cpu++) {
		char *unit = kshim->percpu_area + cpu * kshim->percpu_unit_bytes;

		memcpy(unit, __start_kshim_percpu, static_bytes);
		memset(unit + static_bytes, 0, kshim->percpu_unit_bytes - static_bytes);
	}
	return 0;
}

/**
 * kshim__percpu_fini() - free the units.
 */
void kshim__percpu_fini(struct kshim *kshim)
{
	SIM_ASSERT(kshim != NULL);
	free(kshim->percpu_area);
	kshim->percpu_area = NULL;
}

/**
 * kshim_per_cpu_offset() - per_cpu_offset(@cpu) of the caller's execution.
 */
unsigned long kshim_per_cpu_offset(unsigned int cpu)
{
	struct kshim *kshim = kshim__self();

	if (kshim == NULL)
		return 0;
	SIM_ASSERT(cpu < kshim->percpu_cpu_count);
	return (unsigned long)(kshim->percpu_area + cpu * kshim->percpu_unit_bytes) -
	       (unsigned long)__start_kshim_percpu;
}

/**
 * kshim_alloc_percpu() - __alloc_percpu(): zeroed in every unit; NULL when
 * the dynamic part is exhausted or outside an execution.
 */
void *kshim_alloc_percpu(size_t size, size_t align)
{
	struct kshim *kshim = kshim__self();
	size_t offset;
	uint32_t index;
	uint32_t cpu;

	if (kshim == NULL || size == 0 || align > PERCPU_ALIGN_BYTES)
		return NULL;
	pthread_mutex_lock(&kshim->mutex);
	offset = align_up(kshim->percpu_dynamic_used_bytes, align != 0 ? align : 1);
	index = kshim->percpu_alloc_count;
	if (offset + size > KSHIM_PERCPU_DYNAMIC_BYTES || index >= KSHIM_PERCPU_ALLOC_COUNT_MAX) {
		pthread_mutex_unlock(&kshim->mutex);
		return NULL;
	}
	kshim->percpu_dynamic_used_bytes = offset + size;
	kshim->percpu_alloc_offsets[index] = offset;
	kshim->percpu_alloc_live[index] = true;
	kshim->percpu_alloc_count++;
	kshim->percpu_live_count++;
	pthread_mutex_unlock(&kshim->mutex);
	offset += kshim->percpu_static_bytes;
	for (cpu = 0; cpu < kshim->percpu_cpu_count; cpu++)
		memset(kshim->percpu_area + cpu * kshim->percpu_unit_bytes + offset, 0, size);
	return __start_kshim_percpu + offset;
}

/**
 * kshim_free_percpu() - free_percpu(); the space is not reused within the
 * execution (bounded by KSHIM_PERCPU_DYNAMIC_BYTES).
 */
void kshim_free_percpu(void *ptr)
{
	struct kshim *kshim = kshim__self();
	size_t offset;
	uint32_t i;

	if (ptr == NULL || kshim == NULL)
		return;
	offset = (size_t)((char *)ptr - __start_kshim_percpu) - kshim->percpu_static_bytes;
	pthread_mutex_lock(&kshim->mutex);
	for (i = 0; i < kshim->percpu_alloc_count; i++) {
		if (kshim->percpu_alloc_live[i] && kshim->percpu_alloc_offsets[i] == offset) {
			kshim->percpu_alloc_live[i] = false;
			kshim->percpu_live_count--;
			pthread_mutex_unlock(&kshim->mutex);
			return;
		}
	}
	pthread_mutex_unlock(&kshim->mutex);
	sim_fail(kshim->sim, KSHIM_FINDING_BAD_FREE, NULL, 0, "free_percpu(%p): not live", ptr);
}

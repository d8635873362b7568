/* SPDX-License-Identifier: MIT */
/*
 * Simulated guest memory with stage-2 residency.
 *
 * Guest-physical pages of 4 KiB at [gpa_base, gpa_base + page_count * 4 KiB)
 * are backed by one host allocation. Each page is resident (mapped at stage
 * 2) or swapped out; each has a page-in latency in ticks drawn once from the
 * run seed. A guest access to a swapped-out page is a stage-2 fault, handed
 * to the host's fault hook; the host pages in with sim_memory_pagein(),
 * which sleeps the page's latency in virtual time.
 *
 * Every GPA is bounds-checked: an address outside guest memory is an error
 * (-EFAULT), never a host crash. Residency flags are atomics, so a host
 * worker may page in while a vCPU thread reads the map in free-run mode.
 */
#ifndef SIM_MEMORY_H
#define SIM_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/prng.h"

struct sim_memory;

#define SIM_MEMORY_PAGE_SHIFT 12u
#define SIM_MEMORY_PAGE_SIZE_BYTES (1u << SIM_MEMORY_PAGE_SHIFT)
/* 1 GiB of guest memory at most; the backing is reserved lazily. */
#define SIM_MEMORY_PAGE_COUNT_MAX (1u << 18)
/* Guest-physical addresses stay below a 48-bit IPA space. */
#define SIM_MEMORY_GPA_LIMIT (1ull << 48)
/* Page-in latencies are bounded so that runs stay within their tick budget. */
#define SIM_MEMORY_PAGEIN_TICKS_MAX 1000000ull

struct sim_memory_config {
	uint64_t gpa_base;   /* page-aligned */
	uint64_t page_count; /* 1 .. SIM_MEMORY_PAGE_COUNT_MAX */
	/* Fraction of pages swapped out at start (drawn per page). */
	struct sim_ratio nonresident_ratio;
	/* Page-in latency: uniform in [min, max] ticks ... */
	uint64_t pagein_ticks_min;
	uint64_t pagein_ticks_max;
	/* ... except for a fraction of slow pages, uniform in [slow min, slow max]. */
	struct sim_ratio slow_ratio; /* 0/1: no slow pages */
	uint64_t slow_pagein_ticks_min;
	uint64_t slow_pagein_ticks_max;
};

/* Access flags of sim_memory_touch(). */
#define SIM_MEMORY_ACCESS_WRITE (1u << 0) /* else a read */
#define SIM_MEMORY_ACCESS_USER (1u << 1)  /* from EL0, else from EL1 */

/* What the host's stage-2 fault handler did. */
enum sim_stage2_result {
	/* The page was mapped without waiting (e.g. already paged in by
	 * someone else): the access completes. */
	SIM_STAGE2_MAPPED = 1,
	/* Handled asynchronously: the access did not complete; the guest will
	 * be notified and retries later. */
	SIM_STAGE2_ASYNC = 2,
	/* The host paged in synchronously: the access completes. */
	SIM_STAGE2_SYNC = 3,
};

/* sim_memory_touch() result when the page was resident: no fault. */
#define SIM_MEMORY_TOUCH_RESIDENT 0

/*
 * The host's stage-2 fault handler, called on the faulting vCPU's thread.
 * Returns what happened.
 */
typedef enum sim_stage2_result (*sim_stage2_fault_fn)(void *ctx, uint32_t vcpu, uint64_t gpa,
						      unsigned int access_flags);

/**
 * sim_memory_config_check() - validate a configuration.
 * @config: the configuration.
 * @error: a message on failure (may be NULL).
 * @error_size: its size.
 * Return: 0 or -EINVAL.
 */
int sim_memory_config_check(const struct sim_memory_config *config, char *error,
			    size_t error_size);

/**
 * sim_memory_create() - allocate guest memory and draw its residency and
 * latencies.
 * @out: the new memory.
 * @config: validated here (see sim_memory_config_check()).
 * @residency_prng: stream for the initial residency (SIM_STREAM_FAULT).
 * @latency_prng: stream for the latencies (SIM_STREAM_LATENCY).
 * @error, @error_size: a message on -EINVAL.
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
__attribute__((warn_unused_result)) int
sim_memory_create(struct sim_memory **out, const struct sim_memory_config *config,
		  struct sim_prng *residency_prng, struct sim_prng *latency_prng, char *error,
		  size_t error_size);

/** sim_memory_destroy() - free guest memory (NULL is ignored). */
void sim_memory_destroy(struct sim_memory *memory);

/** sim_memory_gpa_base() - GPA of the first guest page. */
uint64_t sim_memory_gpa_base(const struct sim_memory *memory);
/** sim_memory_page_count() - guest pages. */
uint64_t sim_memory_page_count(const struct sim_memory *memory);

/** sim_memory_contains() - is [@gpa, @gpa + @size_bytes) inside guest memory? */
bool sim_memory_contains(const struct sim_memory *memory, uint64_t gpa, uint64_t size_bytes);

/**
 * sim_memory_gpa_to_hva() - host pointer of [@gpa, @gpa + @size_bytes).
 * Return: the pointer, or NULL when the range is not inside guest memory.
 */
void *sim_memory_gpa_to_hva(const struct sim_memory *memory, uint64_t gpa, uint64_t size_bytes);

/**
 * sim_memory_hva_to_gpa() - GPA of host pointer @hva.
 * Return: 0, -EFAULT when @hva is not inside guest memory.
 */
int sim_memory_hva_to_gpa(const struct sim_memory *memory, const void *hva, uint64_t *gpa_out);

/* ---- Stage-2 residency ---- */

/**
 * sim_memory_resident() - is the page holding @gpa mapped at stage 2?
 * Return: 1 resident, 0 swapped out, -EFAULT outside guest memory.
 */
int sim_memory_resident(const struct sim_memory *memory, uint64_t gpa);

/**
 * sim_memory_set_resident() - map or unmap the page holding @gpa without
 * delay (test set-up, host reclaim).
 * Return: 0, -EFAULT outside guest memory.
 */
int sim_memory_set_resident(struct sim_memory *memory, uint64_t gpa, bool resident);

/** sim_memory_resident_count() - pages resident now. */
uint64_t sim_memory_resident_count(const struct sim_memory *memory);

/**
 * sim_memory_pagein_ticks() - the drawn page-in latency of the page of @gpa.
 * Return: 0, -EFAULT outside guest memory.
 */
int sim_memory_pagein_ticks(const struct sim_memory *memory, uint64_t gpa, uint64_t *ticks_out);

/**
 * sim_memory_pagein() - host page-in: sleep the page's latency in virtual
 * time, then map it. A resident page returns at once.
 * Context: an engine thread (host worker, or a vCPU task, which gives up its
 * vCPU while it sleeps); may sleep.
 * Return: 0 when paged in now, 1 when it was resident already, -EFAULT
 * outside guest memory.
 */
int sim_memory_pagein(struct sim_memory *memory, uint64_t gpa);

/**
 * sim_memory_set_fault_hook() - install the host's stage-2 fault handler.
 * NULL: faults are handled by a synchronous sim_memory_pagein().
 */
void sim_memory_set_fault_hook(struct sim_memory *memory, sim_stage2_fault_fn fault, void *ctx);

/**
 * sim_memory_touch() - a guest access from vCPU @vcpu to @gpa.
 * @access_flags: SIM_MEMORY_ACCESS_*.
 *
 * A schedule point. If the page is swapped out, a stage-2 fault goes to the
 * fault hook.
 * Context: the thread running on @vcpu; may sleep in the fault path.
 * Return: SIM_MEMORY_TOUCH_RESIDENT (no fault), a positive enum
 * sim_stage2_result from the fault handler, or -EFAULT outside guest memory.
 */
int sim_memory_touch(struct sim_memory *memory, uint32_t vcpu, uint64_t gpa,
		     unsigned int access_flags);

/** sim_memory_fault_count() - stage-2 faults raised so far. */
uint64_t sim_memory_fault_count(const struct sim_memory *memory);

/* ---- Shared protocol words (apf_data reason/token) ---- */

/**
 * sim_memory_read_u32() - 32-bit read of @gpa, a schedule point (SIM_POINT_READ
 * with @label) before the single-copy-atomic access.
 * @label: static string naming the field.
 * Return: 0, -EFAULT outside guest memory, -EINVAL when not 4-byte aligned.
 */
int sim_memory_read_u32(struct sim_memory *memory, uint64_t gpa, uint32_t *value_out,
			const char *label);

/**
 * sim_memory_write_u32() - 32-bit write, a schedule point (SIM_POINT_WRITE).
 * Return: as sim_memory_read_u32().
 */
int sim_memory_write_u32(struct sim_memory *memory, uint64_t gpa, uint32_t value,
			 const char *label);

/*
 * sim_memory_exchange_u32() - as sim_memory_write_u32(), and the value the
 * store replaced in @old_out (read atomically with the store, after the
 * schedule point). For probes that must know what a write overwrote.
 */
int sim_memory_exchange_u32(struct sim_memory *memory, uint64_t gpa, uint32_t value,
			    const char *label, uint32_t *old_out);

/**
 * sim_memory_read() / sim_memory_write() - plain copies, not schedule points,
 * residency not checked (the host's view through its own mapping).
 * Return: 0, -EFAULT when the range is not inside guest memory.
 */
int sim_memory_read(const struct sim_memory *memory, uint64_t gpa, void *buffer,
		    uint64_t size_bytes);
int sim_memory_write(struct sim_memory *memory, uint64_t gpa, const void *buffer,
		     uint64_t size_bytes);

#endif /* SIM_MEMORY_H */

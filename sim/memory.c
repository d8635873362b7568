// SPDX-License-Identifier: MIT
/*
 * Guest memory: one anonymous host mapping for all guest pages, a stage-2
 * residency map and per-page page-in latencies drawn once at creation, and
 * the guest access path that turns an access to a swapped-out page into a
 * stage-2 fault for the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim/assert.h"
#include "sim/memory.h"
#include "sim/sim.h"
#include "sim/trace.h"

SIM_STATIC_ASSERT(((uint64_t)SIM_MEMORY_PAGE_COUNT_MAX << SIM_MEMORY_PAGE_SHIFT) <
			  SIM_MEMORY_GPA_LIMIT,
		  "the largest memory fits the IPA space");

struct sim_memory {
	uint64_t gpa_base;
	uint64_t page_count;
	uint64_t size_bytes;
	uint8_t *backing;
	uint8_t *resident;       /* per page, accessed atomically */
	uint64_t *pagein_ticks;  /* per page, fixed at creation */
	uint64_t resident_count; /* atomic */
	uint64_t fault_count;    /* atomic */
	sim_stage2_fault_fn fault;
	void *fault_ctx;
};

static int config_error(char *error, size_t error_size, const char *message)
{
	if (error != NULL && error_size > 0)
		snprintf(error, error_size, "memory: %s", message);
	return -EINVAL;
}

/* A zero ratio may be written {0, 0} (a zero-initialised config). */
static bool ratio_valid(struct sim_ratio ratio)
{
	if (ratio.denominator == 0)
		return ratio.numerator == 0;
	return ratio.numerator <= ratio.denominator;
}

static bool ticks_range_valid(uint64_t ticks_min, uint64_t ticks_max)
{
	return ticks_min <= ticks_max && ticks_max <= SIM_MEMORY_PAGEIN_TICKS_MAX;
}

int sim_memory_config_check(const struct sim_memory_config *config, char *error,
			    size_t error_size)
{
	SIM_ASSERT(config != NULL);
	if (config->gpa_base % SIM_MEMORY_PAGE_SIZE_BYTES != 0)
		return config_error(error, error_size, "gpa_base is not 4 KiB aligned");
	if (config->page_count == 0 || config->page_count > SIM_MEMORY_PAGE_COUNT_MAX)
		return config_error(error, error_size, "page_count out of 1 .. 262144");
	if (config->gpa_base >= SIM_MEMORY_GPA_LIMIT ||
	    (SIM_MEMORY_GPA_LIMIT - config->gpa_base) >> SIM_MEMORY_PAGE_SHIFT <
		    config->page_count)
		return config_error(error, error_size, "memory ends beyond the 48-bit IPA space");
	if (!ratio_valid(config->nonresident_ratio))
		return config_error(error, error_size, "nonresident_ratio is not a fraction");
	if (!ratio_valid(config->slow_ratio))
		return config_error(error, error_size, "slow_ratio is not a fraction");
	if (!ticks_range_valid(config->pagein_ticks_min, config->pagein_ticks_max))
		return config_error(error, error_size,
				    "pagein ticks need min <= max <= 1000000");
	if (config->slow_ratio.numerator != 0 &&
	    !ticks_range_valid(config->slow_pagein_ticks_min, config->slow_pagein_ticks_max))
		return config_error(error, error_size,
				    "slow pagein ticks need min <= max <= 1000000");
	return 0;
}

static bool ratio_draw(struct sim_prng *prng, struct sim_ratio ratio)
{
	SIM_ASSERT(prng != NULL);
	if (ratio.numerator == 0)
		return false;
	return sim_prng_chance(prng, ratio);
}

/* Residency and latency of every page, in page order (deterministic). */
static void memory_draw(struct sim_memory *memory, const struct sim_memory_config *config,
			struct sim_prng *residency_prng, struct sim_prng *latency_prng)
{
	uint64_t resident_count = 0;

	for (uint64_t page = 0; page < memory->page_count; page++) {
		bool slow = ratio_draw(latency_prng, config->slow_ratio);

		memory->resident[page] = !ratio_draw(residency_prng, config->nonresident_ratio);
		resident_count += memory->resident[page];
		memory->pagein_ticks[page] =
			slow ? sim_prng_range(latency_prng, config->slow_pagein_ticks_min,
					      config->slow_pagein_ticks_max)
			     : sim_prng_range(latency_prng, config->pagein_ticks_min,
					      config->pagein_ticks_max);
	}
	memory->resident_count = resident_count;
	SIM_ASSERT(resident_count <= memory->page_count);
}

int sim_memory_create(struct sim_memory **out, const struct sim_memory_config *config,
		      struct sim_prng *residency_prng, struct sim_prng *latency_prng, char *error,
		      size_t error_size)
{
	struct sim_memory *memory;
	void *backing;
	int ret;

	SIM_ASSERT(out != NULL);
	SIM_ASSERT(residency_prng != NULL);
	SIM_ASSERT(latency_prng != NULL);
	*out = NULL;
	ret = sim_memory_config_check(config, error, error_size);
	if (ret != 0)
		return ret;
	memory = calloc(1, sizeof(*memory));
	if (memory == NULL)
		return -ENOMEM;
	memory->gpa_base = config->gpa_base;
	memory->page_count = config->page_count;
	memory->size_bytes = config->page_count << SIM_MEMORY_PAGE_SHIFT;
	memory->resident = calloc(config->page_count, sizeof(*memory->resident));
	memory->pagein_ticks = calloc(config->page_count, sizeof(*memory->pagein_ticks));
	/* Anonymous memory is zeroed and only backed when touched. */
	backing = mmap(NULL, memory->size_bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	memory->backing = backing == MAP_FAILED ? NULL : backing;
	if (memory->resident == NULL || memory->pagein_ticks == NULL || memory->backing == NULL) {
		sim_memory_destroy(memory);
		return -ENOMEM;
	}
	memory_draw(memory, config, residency_prng, latency_prng);
	*out = memory;
	return 0;
}

void sim_memory_destroy(struct sim_memory *memory)
{
	if (memory == NULL)
		return;
	if (memory->backing != NULL)
		SIM_ASSERT(munmap(memory->backing, memory->size_bytes) == 0);
	free(memory->resident);
	free(memory->pagein_ticks);
	free(memory);
}

uint64_t sim_memory_gpa_base(const struct sim_memory *memory)
{
	SIM_ASSERT(memory != NULL);
	SIM_ASSERT(memory->gpa_base % SIM_MEMORY_PAGE_SIZE_BYTES == 0);
	return memory->gpa_base;
}

uint64_t sim_memory_page_count(const struct sim_memory *memory)
{
	SIM_ASSERT(memory != NULL);
	SIM_ASSERT(memory->page_count > 0);
	return memory->page_count;
}

bool sim_memory_contains(const struct sim_memory *memory, uint64_t gpa, uint64_t size_bytes)
{
	SIM_ASSERT(memory != NULL);
	SIM_ASSERT(memory->size_bytes == memory->page_count << SIM_MEMORY_PAGE_SHIFT);
	if (gpa < memory->gpa_base || gpa - memory->gpa_base >= memory->size_bytes)
		return false;
	/* Compared as a difference so that no sum can overflow. */
	return size_bytes <= memory->size_bytes - (gpa - memory->gpa_base);
}

void *sim_memory_gpa_to_hva(const struct sim_memory *memory, uint64_t gpa, uint64_t size_bytes)
{
	if (!sim_memory_contains(memory, gpa, size_bytes))
		return NULL;
	return memory->backing + (gpa - memory->gpa_base);
}

int sim_memory_hva_to_gpa(const struct sim_memory *memory, const void *hva, uint64_t *gpa_out)
{
	uintptr_t address = (uintptr_t)hva;
	uintptr_t start;

	SIM_ASSERT(memory != NULL);
	SIM_ASSERT(gpa_out != NULL);
	start = (uintptr_t)memory->backing;
	if (address < start || address - start >= memory->size_bytes)
		return -EFAULT;
	*gpa_out = memory->gpa_base + (address - start);
	return 0;
}

/* Page index of @gpa, or -EFAULT. */
static int64_t memory_page(const struct sim_memory *memory, uint64_t gpa)
{
	if (!sim_memory_contains(memory, gpa, 1))
		return -EFAULT;
	return (int64_t)((gpa - memory->gpa_base) >> SIM_MEMORY_PAGE_SHIFT);
}

int sim_memory_resident(const struct sim_memory *memory, uint64_t gpa)
{
	int64_t page = memory_page(memory, gpa);

	if (page < 0)
		return (int)page;
	SIM_ASSERT((uint64_t)page < memory->page_count);
	return __atomic_load_n(&memory->resident[page], __ATOMIC_SEQ_CST) ? 1 : 0;
}

int sim_memory_set_resident(struct sim_memory *memory, uint64_t gpa, bool resident)
{
	int64_t page = memory_page(memory, gpa);
	uint8_t before;

	if (page < 0)
		return (int)page;
	before = __atomic_exchange_n(&memory->resident[page], (uint8_t)resident,
				     __ATOMIC_SEQ_CST);
	if (before != (uint8_t)resident) {
		if (resident)
			__atomic_fetch_add(&memory->resident_count, 1, __ATOMIC_SEQ_CST);
		else
			__atomic_fetch_sub(&memory->resident_count, 1, __ATOMIC_SEQ_CST);
	}
	SIM_ASSERT(__atomic_load_n(&memory->resident_count, __ATOMIC_SEQ_CST) <=
		   memory->page_count);
	return 0;
}

uint64_t sim_memory_resident_count(const struct sim_memory *memory)
{
	SIM_ASSERT(memory != NULL);
	return __atomic_load_n(&memory->resident_count, __ATOMIC_SEQ_CST);
}

int sim_memory_pagein_ticks(const struct sim_memory *memory, uint64_t gpa, uint64_t *ticks_out)
{
	int64_t page = memory_page(memory, gpa);

	SIM_ASSERT(ticks_out != NULL);
	if (page < 0)
		return (int)page;
	*ticks_out = memory->pagein_ticks[page];
	return 0;
}

int sim_memory_pagein(struct sim_memory *memory, uint64_t gpa)
{
	uint64_t ticks;
	int ret = sim_memory_resident(memory, gpa);

	if (ret != 0)
		return ret; /* 1: resident already, or -EFAULT */
	ret = sim_memory_pagein_ticks(memory, gpa, &ticks);
	SIM_ASSERT(ret == 0);
	/* Outside an execution (unit tests) there is no clock to wait on. A
	 * vCPU's task waits halted (a synchronous fault blocks the vCPU in the
	 * host); a host worker simply sleeps. */
	if (ticks > 0 && sim_self() != NULL)
		sim_sleep_ticks_halt(ticks);
	ret = sim_memory_set_resident(memory, gpa, true);
	SIM_ASSERT(ret == 0);
	return 0;
}

void sim_memory_set_fault_hook(struct sim_memory *memory, sim_stage2_fault_fn fault, void *ctx)
{
	SIM_ASSERT(memory != NULL);
	SIM_ASSERT(fault != NULL || ctx == NULL);
	memory->fault = fault;
	memory->fault_ctx = ctx;
}

int sim_memory_touch(struct sim_memory *memory, uint32_t vcpu, uint64_t gpa,
		     unsigned int access_flags)
{
	enum sim_stage2_result result;
	int ret;

	SIM_ASSERT(memory != NULL);
	SIM_ASSERT((access_flags & ~(SIM_MEMORY_ACCESS_WRITE | SIM_MEMORY_ACCESS_USER)) == 0);
	if (!sim_memory_contains(memory, gpa, 1))
		return -EFAULT;
	sim_point((access_flags & SIM_MEMORY_ACCESS_WRITE) ? SIM_POINT_WRITE : SIM_POINT_READ,
		  "guest-touch");
	/* A task may have moved (its vCPU went offline) at the point: the
	 * access is made where it runs now. */
	if (sim_self() != NULL && sim_self_vcpu() >= 0)
		vcpu = (uint32_t)sim_self_vcpu();
	if (sim_memory_resident(memory, gpa) == 1)
		return SIM_MEMORY_TOUCH_RESIDENT;
	__atomic_fetch_add(&memory->fault_count, 1, __ATOMIC_SEQ_CST);
	sim_trace(sim_self(), SIM_TRACE_USER, "stage2-fault", gpa, access_flags);
	if (memory->fault == NULL) {
		ret = sim_memory_pagein(memory, gpa);
		SIM_ASSERT(ret >= 0);
		return SIM_STAGE2_SYNC;
	}
	result = memory->fault(memory->fault_ctx, vcpu, gpa, access_flags);
	SIM_ASSERT(result == SIM_STAGE2_MAPPED || result == SIM_STAGE2_ASYNC ||
		   result == SIM_STAGE2_SYNC);
	return (int)result;
}

uint64_t sim_memory_fault_count(const struct sim_memory *memory)
{
	SIM_ASSERT(memory != NULL);
	return __atomic_load_n(&memory->fault_count, __ATOMIC_SEQ_CST);
}

/* Host pointer of an aligned 32-bit word, or NULL with *ret set. */
static uint32_t *memory_word(struct sim_memory *memory, uint64_t gpa, int *ret)
{
	SIM_ASSERT(memory != NULL);
	SIM_ASSERT(ret != NULL);
	if (!sim_memory_contains(memory, gpa, sizeof(uint32_t))) {
		*ret = -EFAULT;
		return NULL;
	}
	if (gpa % sizeof(uint32_t) != 0) {
		*ret = -EINVAL;
		return NULL;
	}
	*ret = 0;
	return (uint32_t *)(void *)(memory->backing + (gpa - memory->gpa_base));
}

int sim_memory_read_u32(struct sim_memory *memory, uint64_t gpa, uint32_t *value_out,
			const char *label)
{
	int ret;
	uint32_t *word = memory_word(memory, gpa, &ret);

	SIM_ASSERT(value_out != NULL);
	if (word == NULL)
		return ret;
	sim_point(SIM_POINT_READ, label);
	*value_out = __atomic_load_n(word, __ATOMIC_SEQ_CST);
	return 0;
}

int sim_memory_write_u32(struct sim_memory *memory, uint64_t gpa, uint32_t value,
			 const char *label)
{
	int ret;
	uint32_t *word = memory_word(memory, gpa, &ret);

	SIM_ASSERT(label != NULL);
	if (word == NULL)
		return ret;
	sim_point(SIM_POINT_WRITE, label);
	__atomic_store_n(word, value, __ATOMIC_SEQ_CST);
	return 0;
}

int sim_memory_exchange_u32(struct sim_memory *memory, uint64_t gpa, uint32_t value,
			    const char *label, uint32_t *old_out)
{
	int ret;
	uint32_t *word = memory_word(memory, gpa, &ret);

	SIM_ASSERT(label != NULL && old_out != NULL);
	if (word == NULL)
		return ret;
	sim_point(SIM_POINT_WRITE, label);
	*old_out = __atomic_exchange_n(word, value, __ATOMIC_SEQ_CST);
	return 0;
}

int sim_memory_read(const struct sim_memory *memory, uint64_t gpa, void *buffer,
		    uint64_t size_bytes)
{
	const void *source = sim_memory_gpa_to_hva(memory, gpa, size_bytes);

	SIM_ASSERT(buffer != NULL || size_bytes == 0);
	if (source == NULL)
		return -EFAULT;
	memcpy(buffer, source, size_bytes);
	return 0;
}

int sim_memory_write(struct sim_memory *memory, uint64_t gpa, const void *buffer,
		     uint64_t size_bytes)
{
	void *target = sim_memory_gpa_to_hva(memory, gpa, size_bytes);

	SIM_ASSERT(buffer != NULL || size_bytes == 0);
	if (target == NULL)
		return -EFAULT;
	memcpy(target, buffer, size_bytes);
	return 0;
}

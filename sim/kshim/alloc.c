// SPDX-License-Identifier: MIT
/*
 * kmalloc and friends: every object carries a header linking it into its
 * execution's list, so kshim_finish() can report and free leaks; freed
 * memory is poisoned; allocations fail by injection (the Nth one, or with a
 * seeded chance from SIM_STREAM_FAULT). Outside an execution objects are
 * plain (untracked) so pure unit tests can use them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/kshim.h>
#include <linux/slab.h>

#include "kshim_private.h"
#include "sim/assert.h"
#include "sim/sim.h"
#include "sim/trace.h"

#define ALLOC_MAGIC_LIVE 0x6b73686d6c697665ull      /* "kshmlive" */
#define ALLOC_MAGIC_UNTRACKED 0x6b73686d75747263ull /* "kshmutrc" */
#define ALLOC_MAGIC_FREED 0x6b73686d66726565ull     /* "kshmfree" */
/* Freed objects kept per execution before the run is failed (not freed). */
#define ALLOC_FREED_BYTES_MAX (1ull << 30)
#define ALLOC_SIZE_BYTES_MAX (1ull << 32)

SIM_STATIC_ASSERT(sizeof(struct kshim_alloc_header) % 16 == 0,
		  "objects after the header keep malloc's 16-byte alignment");

static bool alloc_should_fail(struct kshim *kshim, gfp_t flags)
{
	struct sim_ratio ratio = kshim->config.alloc_fail_ratio;

	kshim->alloc_call_count++;
	if (flags & __GFP_NOFAIL)
		return false;
	if (kshim->config.alloc_fail_nth != 0 &&
	    kshim->alloc_call_count == kshim->config.alloc_fail_nth)
		return true;
	if (ratio.numerator == 0 || ratio.denominator == 0)
		return false;
	return sim_prng_chance(sim_stream(kshim->sim, SIM_STREAM_FAULT), ratio);
}

static void alloc_link(struct kshim *kshim, struct kshim_alloc_header *header)
{
	header->prev = NULL;
	header->next = kshim->alloc_head;
	if (kshim->alloc_head != NULL)
		kshim->alloc_head->prev = header;
	kshim->alloc_head = header;
	kshim->alloc_live_count++;
	kshim->alloc_live_bytes += header->size_bytes;
}

static void alloc_unlink(struct kshim *kshim, struct kshim_alloc_header *header)
{
	SIM_ASSERT(kshim->alloc_live_count > 0);
	if (header->prev != NULL)
		header->prev->next = header->next;
	else
		kshim->alloc_head = header->next;
	if (header->next != NULL)
		header->next->prev = header->prev;
	kshim->alloc_live_count--;
	kshim->alloc_live_bytes -= header->size_bytes;
}

/**
 * kshim_kmalloc() - kmalloc(): NULL on (injected) failure.
 */
void *kshim_kmalloc(size_t size, gfp_t flags, const char *file, int line)
{
	struct kshim *kshim = kshim__self();
	struct kshim_alloc_header *header;
	bool fail = false;

	if (size == 0)
		return ZERO_SIZE_PTR;
	if (size > ALLOC_SIZE_BYTES_MAX)
		return NULL;
	if (kshim != NULL && gfpflags_allow_blocking(flags))
		kshim_might_sleep(file, line);
	if (kshim != NULL) {
		pthread_mutex_lock(&kshim->mutex);
		fail = alloc_should_fail(kshim, flags);
		if (fail)
			kshim->alloc_failed_count++;
		pthread_mutex_unlock(&kshim->mutex);
	}
	if (fail) {
		sim_trace_log(kshim->sim, "info", "kmalloc(%zu) at %s:%d failed (injected)", size,
			      file, line);
		return NULL;
	}
	header = malloc(sizeof(*header) + size);
	if (header == NULL)
		return NULL;
	header->size_bytes = size;
	header->file = file;
	header->line = line;
	header->pad = 0;
	memset(header + 1, (flags & __GFP_ZERO) ? 0 : 0xa5, size);
	if (kshim == NULL) {
		header->magic = ALLOC_MAGIC_UNTRACKED;
		return header + 1;
	}
	header->magic = ALLOC_MAGIC_LIVE;
	pthread_mutex_lock(&kshim->mutex);
	alloc_link(kshim, header);
	pthread_mutex_unlock(&kshim->mutex);
	return header + 1;
}

/**
 * kshim_kfree() - kfree(): unlink, poison (POISON_FREE) and keep.
 *
 * A tracked object is not given back to malloc before the execution ends:
 * malloc's per-thread arenas make the address of the next object depend on
 * which threads have exited, i.e. on host timing. Code that compares a stale
 * pointer with a new one (the workqueue's "is this work running" check, as
 * in the kernel) would then take different paths from one run of a seed to
 * the next. Kept, no address is reused within an execution; a second kfree
 * finds the FREED magic.
 */
void kshim_kfree(const void *ptr)
{
	struct kshim *kshim = kshim__self();
	struct kshim_alloc_header *header;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	header = (struct kshim_alloc_header *)ptr - 1;
	if (header->magic == ALLOC_MAGIC_LIVE) {
		uint64_t size = header->size_bytes;
		bool over;

		SIM_ASSERT(kshim != NULL);
		pthread_mutex_lock(&kshim->mutex);
		alloc_unlink(kshim, header);
		memset(header + 1, 0x6b, size);
		header->magic = ALLOC_MAGIC_FREED;
		header->prev = NULL;
		header->next = kshim->freed_head;
		kshim->freed_head = header;
		kshim->freed_bytes += sizeof(*header) + size;
		over = kshim->freed_bytes > ALLOC_FREED_BYTES_MAX;
		pthread_mutex_unlock(&kshim->mutex);
		if (over)
			sim_fail(kshim->sim, KSHIM_FINDING_MEMORY_BOUND, __FILE__, __LINE__,
				 "kfree: more than %llu bytes freed in one execution (kept until it ends)",
				 (unsigned long long)ALLOC_FREED_BYTES_MAX);
		return;
	}
	if (header->magic != ALLOC_MAGIC_UNTRACKED) {
		if (kshim != NULL)
			sim_fail(kshim->sim, KSHIM_FINDING_BAD_FREE, NULL, 0,
				 "kfree(%p): not a live object (double free?)", ptr);
		SIM_ASSERT(!"kfree of an object that is not live");
	}
	memset(header, 0x6b, sizeof(*header) + header->size_bytes);
	free(header);
}

/* Give the execution's freed objects back to malloc. */
static void alloc_release_freed(struct kshim *kshim)
{
	uint64_t bound = kshim->freed_bytes / sizeof(struct kshim_alloc_header) + 1;

	while (kshim->freed_head != NULL) {
		struct kshim_alloc_header *header = kshim->freed_head;

		SIM_ASSERT(bound-- > 0);
		SIM_ASSERT(header->magic == ALLOC_MAGIC_FREED);
		kshim->freed_head = header->next;
		free(header);
	}
	kshim->freed_bytes = 0;
}

/**
 * kshim_ksize() - ksize(): the requested size of a live object.
 */
size_t kshim_ksize(const void *ptr)
{
	const struct kshim_alloc_header *header;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;
	header = (const struct kshim_alloc_header *)ptr - 1;
	SIM_ASSERT(header->magic == ALLOC_MAGIC_LIVE || header->magic == ALLOC_MAGIC_UNTRACKED);
	return header->size_bytes;
}

/**
 * kmem_cache_create() - a cache is a size; objects come from kmalloc().
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *cache;

	(void)flags;
	SIM_ASSERT(ctor == NULL); /* constructors are not modelled */
	cache = kshim_kmalloc(sizeof(*cache), GFP_KERNEL, __FILE__, __LINE__);
	if (cache == NULL)
		return NULL;
	cache->name = name;
	cache->size = size;
	cache->align = align;
	return cache;
}

/**
 * kmem_cache_destroy() - free the cache (its objects must be freed first).
 */
void kmem_cache_destroy(struct kmem_cache *cache)
{
	kshim_kfree(cache);
}

/**
 * kshim__alloc_finish() - report live objects as one "leak" finding (if
 * @report), then free them. Return: how many there were.
 */
uint64_t kshim__alloc_finish(struct kshim *kshim, bool report)
{
	uint64_t count = kshim->alloc_live_count;
	struct kshim_alloc_header *header;
	uint64_t i;

	alloc_release_freed(kshim);
	if (count == 0)
		return 0;
	header = kshim->alloc_head;
	if (report)
			sim_report(kshim->sim, KSHIM_FINDING_LEAK, header->file, header->line,
			   "%llu objects (%llu bytes) not freed; newest allocated at %s:%d",
			   (unsigned long long)count, (unsigned long long)kshim->alloc_live_bytes,
			   header->file, header->line);
	for (i = 0; i < count; i++) {
		header = kshim->alloc_head;
		SIM_ASSERT(header != NULL);
		alloc_unlink(kshim, header);
		free(header);
	}
	SIM_ASSERT(kshim->alloc_head == NULL);
	return count;
}

/**
 * kshim_alloc_live_count() - see sim/kshim.h.
 */
uint64_t kshim_alloc_live_count(const struct kshim *kshim)
{
	SIM_ASSERT(kshim != NULL);
	return kshim->alloc_live_count;
}

/**
 * kshim_set_alloc_fail() - see sim/kshim.h.
 */
int kshim_set_alloc_fail(struct kshim *kshim, struct sim_ratio ratio, uint64_t nth)
{
	if (kshim == NULL || (ratio.denominator == 0 && ratio.numerator != 0) ||
	    ratio.numerator > ratio.denominator)
		return -EINVAL;
	kshim->config.alloc_fail_ratio = ratio;
	kshim->config.alloc_fail_nth = nth;
	return 0;
}

/**
 * kshim_alloc_failed_count() - see sim/kshim.h.
 */
uint64_t kshim_alloc_failed_count(const struct kshim *kshim)
{
	SIM_ASSERT(kshim != NULL);
	return kshim->alloc_failed_count;
}

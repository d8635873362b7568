/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/slab.h. Every object is tracked per execution
 * (leaks are findings), poisoned when freed, and an allocation may fail by
 * injection (see sim/kshim.h: struct kshim_config).
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/gfp.h>
#include <linux/kshim.h>
#include <linux/types.h>

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
#define SLAB_HWCACHE_ALIGN 0x00002000u
#define SLAB_ACCOUNT 0x04000000u

#define kmalloc(size, flags) kshim_kmalloc((size), (flags), __FILE__, __LINE__)
#define kzalloc(size, flags) kmalloc((size), (flags) | __GFP_ZERO)
#define kcalloc(n, size, flags) kmalloc_array((n), (size), (flags) | __GFP_ZERO)
#define kmalloc_array(n, size, flags)                                         \
	({                                                                    \
		size_t __bytes;                                               \
		__builtin_mul_overflow((size_t)(n), (size_t)(size), &__bytes) \
			? NULL : kmalloc(__bytes, (flags));                   \
	})
#define kfree(ptr) kshim_kfree(ptr)
#define kvfree(ptr) kshim_kfree(ptr)
#define kvmalloc(size, flags) kmalloc((size), (flags))
#define kvzalloc(size, flags) kzalloc((size), (flags))
#define ksize(ptr) kshim_ksize(ptr)

struct kmem_cache {
	const char *name;
	unsigned int size;
	unsigned int align;
};

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *cache);
#define kmem_cache_alloc(cache, flags) \
	kshim_kmalloc((cache)->size, (flags), __FILE__, __LINE__)
#define kmem_cache_zalloc(cache, flags) kmem_cache_alloc((cache), (flags) | __GFP_ZERO)
#define kmem_cache_free(cache, ptr) ((void)(cache), kshim_kfree(ptr))

#endif /* _LINUX_SLAB_H */

// SPDX-License-Identifier: MIT
/*
 * Kernel data reset. The kernel halves keep ordinary static variables; a
 * campaign runs thousands of executions in one process, so every execution
 * must start with them as they were at program start. kshim_kernel_library()
 * (sim/kshim/KernelLibrary.cmake) compiles a half with -fdata-sections and
 * renames each of its data sections (.data.*, .bss.*, .data.rel*.*, not the
 * read-only .data.rel.ro* nor the sanitizer and coverage sections) into one
 * section "kshim_kdata", turning .bss into file-backed zeros, so the linker
 * gathers all kernel data between __start_kshim_kdata and
 * __stop_kshim_kdata. A constructor copies that range once at program
 * start; kshim_create() copies it back (docs/kshim-core.md).
 *
 * The range holds the sanitizers' redzones between globals (ASan): the
 * copies are plain byte loops that ASan and TSan do not instrument. Since
 * the data is per process, two executions with kernel data cannot be live
 * at once (-EBUSY).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "core_private.h"
#include "sim/assert.h"

extern char __start_kshim_kdata[] __attribute__((weak));
extern char __stop_kshim_kdata[] __attribute__((weak));

static pthread_mutex_t kdata_mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *kdata_image;
static size_t kdata_bytes;
static uint32_t kdata_live_count;

static size_t kdata_section_bytes(void)
{
	if (__start_kshim_kdata == NULL || __stop_kshim_kdata == NULL)
		return 0;
	SIM_ASSERT((uintptr_t)__stop_kshim_kdata >= (uintptr_t)__start_kshim_kdata);
	return (size_t)(__stop_kshim_kdata - __start_kshim_kdata);
}

__attribute__((no_sanitize("address", "thread"))) static void
kdata_copy(volatile unsigned char *target, const volatile unsigned char *source, size_t bytes)
{
	size_t i;

	for (i = 0; i < bytes; i++)
		target[i] = source[i];
}

/* Runs after the sanitizer and gcov constructors (they have priorities). */
__attribute__((constructor)) static void kdata_snapshot(void)
{
	size_t bytes = kdata_section_bytes();

	if (bytes == 0)
		return;
	kdata_image = malloc(bytes);
	SIM_ASSERT(kdata_image != NULL);
	kdata_copy(kdata_image, (const unsigned char *)__start_kshim_kdata, bytes);
	kdata_bytes = bytes;
}

__attribute__((destructor)) static void kdata_snapshot_free(void)
{
	free(kdata_image);
	kdata_image = NULL;
}

/**
 * kshim__kdata_acquire() - see core_private.h.
 */
int kshim__kdata_acquire(struct kshim *kshim)
{
	SIM_ASSERT(kshim != NULL);
	pthread_mutex_lock(&kdata_mutex);
	SIM_ASSERT(kdata_bytes == kdata_section_bytes());
	if (kdata_bytes != 0 && kdata_live_count != 0) {
		pthread_mutex_unlock(&kdata_mutex);
		fprintf(stderr, "kshim_create: another execution using the kernel data (%zu bytes, "
				"one copy per process) is still live\n",
			kdata_bytes);
		return -EBUSY;
	}
	if (kdata_bytes != 0)
		kdata_copy((unsigned char *)__start_kshim_kdata, kdata_image, kdata_bytes);
	kdata_live_count++;
	pthread_mutex_unlock(&kdata_mutex);
	return 0;
}

/**
 * kshim__kdata_release() - the execution of @kshim no longer uses the data.
 */
void kshim__kdata_release(struct kshim *kshim)
{
	SIM_ASSERT(kshim != NULL);
	pthread_mutex_lock(&kdata_mutex);
	SIM_ASSERT(kdata_live_count > 0);
	kdata_live_count--;
	pthread_mutex_unlock(&kdata_mutex);
}

/**
 * kshim_kernel_data_bytes() - see sim/kshim.h.
 */
size_t kshim_kernel_data_bytes(void)
{
	return kdata_section_bytes();
}

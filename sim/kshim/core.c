// SPDX-License-Identifier: MIT
/*
 * The kernel-core half of the runtime: per-execution state of workqueues,
 * boot, CPU hotplug and the reboot chain (struct kshim_core), and the
 * waiting protocol those parts share (see core_private.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_private.h"
#include "sim/assert.h"
#include "sim/sim.h"

/**
 * kshim__core_init() - validate the core options of the config and create
 * the core state of @kshim.
 */
int kshim__core_init(struct kshim *kshim)
{
	struct kshim_core *core;
	uint32_t worker_count;

	SIM_ASSERT(kshim != NULL);
	SIM_ASSERT(kshim->core == NULL);
	worker_count = kshim->config.workqueue_worker_count;
	if (worker_count > KSHIM_WORKQUEUE_WORKER_COUNT_MAX)
		return -EINVAL;
	if (worker_count == 0)
		worker_count = KSHIM_WORKQUEUE_WORKER_COUNT_DEFAULT;
	core = calloc(1, sizeof(*core));
	if (core == NULL)
		return -ENOMEM;
	core->waiting_on = calloc(SIM_THREAD_COUNT_MAX, sizeof(*core->waiting_on));
	if (core->waiting_on == NULL) {
		free(core);
		return -ENOMEM;
	}
	SIM_ASSERT(pthread_mutex_init(&core->mutex, NULL) == 0);
	core->worker_count = worker_count;
	kshim->core = core;
	kshim__workqueue_init(kshim);
	kshim__cpuhp_init(kshim);
	return 0;
}

/**
 * kshim__core_fini() - free the core state (the execution has ended).
 */
void kshim__core_fini(struct kshim *kshim)
{
	struct kshim_core *core;

	SIM_ASSERT(kshim != NULL);
	core = kshim->core;
	if (core == NULL)
		return;
	pthread_mutex_destroy(&core->mutex);
	free(core->waiting_on);
	free(core);
	kshim->core = NULL;
}

/**
 * kshim__core_finish() - end-of-execution checks of the core (works still
 * queued or running).
 */
void kshim__core_finish(struct kshim *kshim)
{
	SIM_ASSERT(kshim != NULL);
	SIM_ASSERT(kshim->core != NULL);
	kshim__workqueue_finish(kshim);
}

/**
 * kshim__core_self() - the core of the caller's execution.
 */
struct kshim_core *kshim__core_self(struct kshim **kshim_out)
{
	struct kshim *kshim = kshim__self();

	if (kshim_out != NULL)
		*kshim_out = kshim;
	if (kshim == NULL)
		return NULL;
	SIM_ASSERT(kshim->core != NULL);
	return kshim->core;
}

/**
 * kshim__core_wait() - see core_private.h.
 */
void kshim__core_wait(struct kshim *kshim, const void *object, const char *reason)
{
	struct kshim_core *core = kshim->core;
	uint32_t id = sim_self_id();

	SIM_ASSERT(id < SIM_THREAD_COUNT_MAX);
	SIM_ASSERT(object != NULL);
	__atomic_store_n(&core->waiting_on[id], object, __ATOMIC_SEQ_CST);
	sim_set_blocking(reason, object);
	pthread_mutex_unlock(&core->mutex);
	kshim__sim_schedule(kshim); /* keeps the task's PSTATE */
	pthread_mutex_lock(&core->mutex);
	__atomic_store_n(&core->waiting_on[id], NULL, __ATOMIC_SEQ_CST);
}

/**
 * kshim__core_wake() - see core_private.h. A thread that announced its
 * block but has not committed it yet is woken too (the block is cancelled).
 */
void kshim__core_wake(struct kshim *kshim, const void *object)
{
	struct kshim_core *core = kshim->core;
	uint32_t count = sim_thread_count(kshim->sim);
	uint32_t id;

	SIM_ASSERT(count <= SIM_THREAD_COUNT_MAX);
	for (id = 0; id < count; id++) {
		if (__atomic_load_n(&core->waiting_on[id], __ATOMIC_SEQ_CST) == object)
			(void)sim_wake(kshim->sim, id);
	}
}

/**
 * kshim__core_fail() - see core_private.h.
 */
void kshim__core_fail(struct kshim *kshim, const char *class_name, const char *fmt, ...)
{
	char message[SIM_FINDING_MESSAGE_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&kshim->core->mutex);
	sim_fail(kshim->sim, class_name, NULL, 0, "%s", message);
	/* sim_fail() returns only outside a running thread of the execution. */
	fprintf(stderr, "kshim: %s: %s\n", class_name, message);
	abort();
}

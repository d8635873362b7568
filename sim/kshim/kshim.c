// SPDX-License-Identifier: MIT
/*
 * The kernel-API layer's runtime: per-execution state, current and the
 * task_structs, locks, the interrupt mask, schedule() and findings.
 *
 * Every thread of an execution has a task_struct in kshim->tasks, indexed by
 * its simulation thread id and published with sim_thread_set_data(). Blocking
 * follows the kernel: set_current_state() changes __state, a waker sets it
 * back to TASK_RUNNING before sim_wake(), and schedule() re-checks it after
 * sim_set_blocking(), so a wake between the condition check and the sleep
 * cancels the sleep.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kshim.h>
#include <linux/sched.h>

#include "core_private.h"
#include "kshim_private.h"
#include "sim/assert.h"
#include "sim/sim.h"
#include "sim/trace.h"

#define KSHIM_REGISTRY_SIZE 16u

static pthread_mutex_t registry_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct kshim *registry[KSHIM_REGISTRY_SIZE];
static unsigned long execution_id_next = 1;
static __thread struct kshim *tls_kshim;
/* current outside an execution (unit tests of pure code). */
static __thread struct task_struct tls_task_outside;

struct kshim *kshim__self(void)
{
	struct sim *sim = sim_self();
	struct kshim *found = NULL;
	uint32_t i;

	if (sim == NULL)
		return NULL;
	if (tls_kshim != NULL && tls_kshim->sim == sim)
		return tls_kshim;
	pthread_mutex_lock(&registry_mutex);
	for (i = 0; i < KSHIM_REGISTRY_SIZE; i++) {
		if (registry[i] != NULL && registry[i]->sim == sim)
			found = registry[i];
	}
	pthread_mutex_unlock(&registry_mutex);
	tls_kshim = found;
	return found;
}

static int registry_add(struct kshim *kshim)
{
	int ret = -EINVAL;
	uint32_t i;

	pthread_mutex_lock(&registry_mutex);
	for (i = 0; i < KSHIM_REGISTRY_SIZE; i++) {
		if (registry[i] != NULL && registry[i]->sim == kshim->sim)
			goto out;
	}
	for (i = 0; i < KSHIM_REGISTRY_SIZE; i++) {
		if (registry[i] == NULL) {
			registry[i] = kshim;
			kshim->execution_id = execution_id_next++;
			ret = 0;
			goto out;
		}
	}
	ret = -ENOSPC;
out:
	pthread_mutex_unlock(&registry_mutex);
	return ret;
}

static void registry_remove(struct kshim *kshim)
{
	uint32_t i;

	pthread_mutex_lock(&registry_mutex);
	for (i = 0; i < KSHIM_REGISTRY_SIZE; i++) {
		if (registry[i] == kshim)
			registry[i] = NULL;
	}
	pthread_mutex_unlock(&registry_mutex);
	if (tls_kshim == kshim)
		tls_kshim = NULL;
}

/**
 * kshim_create() - see sim/kshim.h.
 */
int kshim_create(struct kshim **out, struct sim *sim, const struct kshim_config *config)
{
	struct kshim *kshim;
	int ret;

	if (out == NULL || sim == NULL)
		return -EINVAL;
	if (config != NULL && config->alloc_fail_ratio.numerator >
				      config->alloc_fail_ratio.denominator)
		return -EINVAL;
	kshim = calloc(1, sizeof(*kshim));
	if (kshim == NULL)
		return -ENOMEM;
	kshim->sim = sim;
	if (config != NULL)
		kshim->config = *config;
	pthread_mutex_init(&kshim->mutex, NULL);
	kshim->tasks = calloc(SIM_THREAD_COUNT_MAX, sizeof(*kshim->tasks));
	kshim->waiting_on = calloc(SIM_THREAD_COUNT_MAX, sizeof(*kshim->waiting_on));
	kshim->irqs_off_host = calloc(SIM_THREAD_COUNT_MAX, sizeof(*kshim->irqs_off_host));
	ret = -ENOMEM;
	if (kshim->tasks == NULL || kshim->waiting_on == NULL || kshim->irqs_off_host == NULL)
		goto fail;
	ret = kshim__percpu_init(kshim);
	if (ret != 0)
		goto fail;
	ret = kshim__core_init(kshim);
	if (ret != 0)
		goto fail_percpu;
	ret = registry_add(kshim);
	if (ret != 0)
		goto fail_core;
	ret = kshim__kdata_acquire(kshim); /* kernel statics as at program start */
	if (ret != 0)
		goto fail_registry;
	*out = kshim;
	return 0;
fail_registry:
	registry_remove(kshim);
fail_core:
	kshim__core_fini(kshim);
fail_percpu:
	kshim__percpu_fini(kshim);
fail:
	free(kshim->irqs_off_host);
	free(kshim->waiting_on);
	free(kshim->tasks);
	pthread_mutex_destroy(&kshim->mutex);
	free(kshim);
	return ret;
}

/**
 * kshim_destroy() - free the state; call kshim_finish() first.
 */
void kshim_destroy(struct kshim *kshim)
{
	if (kshim == NULL)
		return;
	registry_remove(kshim);
	kshim__kdata_release(kshim);
	(void)kshim__alloc_finish(kshim, false); /* frees what finish did not */
	kshim__plat_detach(kshim); /* per-CPU units back from guest memory */
	kshim__percpu_fini(kshim);
	kshim__core_fini(kshim);
	free(kshim->irqs_off_host);
	free(kshim->waiting_on);
	free(kshim->tasks);
	pthread_mutex_destroy(&kshim->mutex);
	free(kshim);
}

/**
 * kshim_finish() - see sim/kshim.h.
 */
uint64_t kshim_finish(struct kshim *kshim)
{
	uint64_t leaked_count;

	SIM_ASSERT(kshim != NULL);
	kshim__core_finish(kshim); /* before the leaked objects are freed */
	leaked_count = kshim__alloc_finish(kshim, true);
	if (kshim->percpu_live_count != 0) {
		sim_report(kshim->sim, KSHIM_FINDING_LEAK, NULL, 0,
			   "%u per-CPU allocations not freed", kshim->percpu_live_count);
		leaked_count += kshim->percpu_live_count;
		kshim->percpu_live_count = 0;
	}
	return leaked_count;
}

static struct task_struct *task_bind(struct kshim *kshim, uint32_t id)
{
	struct task_struct *task;
	const char *name;

	SIM_ASSERT(id < SIM_THREAD_COUNT_MAX);
	task = &kshim->tasks[id];
	if (task->kshim_ready)
		return task;
	memset(task, 0, sizeof(*task));
	task->pid = (int)id;
	task->__state = TASK_RUNNING;
	task->kshim_cpu = -1;
	name = sim_thread_name(kshim->sim, id);
	if (name != NULL)
		snprintf(task->comm, sizeof(task->comm), "%s", name);
	task->kshim_ready = 1;
	sim_thread_set_data(kshim->sim, id, task);
	return task;
}

static uint32_t spawn_with_task(struct kshim *kshim, const struct sim_thread_attr *attr,
				sim_thread_fn fn, void *arg)
{
	uint32_t id;

	SIM_ASSERT(kshim != NULL);
	SIM_ASSERT(fn != NULL);
	id = sim_spawn(kshim->sim, attr, fn, arg);
	if (id != SIM_THREAD_NONE)
		(void)task_bind(kshim, id);
	return id;
}

/**
 * kshim_spawn_task() - see sim/kshim.h.
 */
uint32_t kshim_spawn_task(struct kshim *kshim, uint32_t vcpu, const char *name,
			  sim_thread_fn fn, void *arg)
{
	struct sim_thread_attr attr = {
		.kind = SIM_THREAD_TASK, .name = name, .vcpu = vcpu, .daemon = false,
	};

	SIM_ASSERT(kshim != NULL);
	kshim__task_wrap(kshim, &fn, &arg); /* initial PSTATE when attached */
	return spawn_with_task(kshim, &attr, fn, arg);
}

/**
 * kshim_spawn_host() - see sim/kshim.h.
 */
uint32_t kshim_spawn_host(struct kshim *kshim, const char *name, bool daemon,
			  sim_thread_fn fn, void *arg)
{
	struct sim_thread_attr attr = {
		.kind = SIM_THREAD_HOST, .name = name, .vcpu = 0, .daemon = daemon,
	};

	return spawn_with_task(kshim, &attr, fn, arg);
}

/**
 * kshim_current() - the caller's task_struct (current).
 */
struct task_struct *kshim_current(void)
{
	struct kshim *kshim = kshim__self();
	uint32_t id;

	if (kshim == NULL) {
		tls_task_outside.kshim_cpu = -1;
		return &tls_task_outside;
	}
	id = sim_self_id();
	SIM_ASSERT(id != SIM_THREAD_NONE);
	return task_bind(kshim, id);
}

/**
 * kshim_execution_id() - a number unique to the caller's execution.
 */
unsigned long kshim_execution_id(void)
{
	struct kshim *kshim = kshim__self();

	return kshim != NULL ? kshim->execution_id : 0;
}

/**
 * kshim_access_point() - the schedule point of READ_ONCE and friends.
 */
void kshim_access_point(enum kshim_access kind, const char *label)
{
	static const enum sim_point_kind kinds[] = {
		[KSHIM_ACCESS_READ] = SIM_POINT_READ,
		[KSHIM_ACCESS_WRITE] = SIM_POINT_WRITE,
		[KSHIM_ACCESS_ATOMIC] = SIM_POINT_ATOMIC,
		[KSHIM_ACCESS_BARRIER] = SIM_POINT_BARRIER,
	};

	SIM_ASSERT((unsigned int)kind < sizeof(kinds) / sizeof(kinds[0]));
	SIM_ASSERT(label != NULL);
	sim_point(kinds[kind], label);
}

/* ---- Findings and printk ---- */

/**
 * kshim_warn() - WARN(): a "warn" finding at @file:@line; the run continues.
 */
void kshim_warn(const char *file, int line, const char *fmt, ...)
{
	struct kshim *kshim = kshim__self();
	char message[SIM_FINDING_MESSAGE_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (kshim == NULL) {
		fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, message);
		return;
	}
	sim_report(kshim->sim, KSHIM_FINDING_WARN, file, line, "%s:%d: %s", file, line, message);
}

/**
 * kshim_bug() - BUG(): a fatal "bug" finding.
 */
void kshim_bug(const char *file, int line)
{
	struct kshim *kshim = kshim__self();

	if (kshim != NULL)
		sim_fail(kshim->sim, KSHIM_FINDING_BUG, file, line, "BUG at %s:%d", file, line);
	fprintf(stderr, "BUG at %s:%d\n", file, line);
	abort();
}

/**
 * kshim_printk() - pr_*(): a log line in the execution's trace.
 */
void kshim_printk(const char *level, const char *fmt, ...)
{
	struct kshim *kshim = kshim__self();
	char text[SIM_FINDING_MESSAGE_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (kshim == NULL)
		fprintf(stderr, "<%s> %s", level, text);
	else
		sim_trace_log(kshim->sim, level, "%s", text);
}

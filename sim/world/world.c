// SPDX-License-Identifier: MIT
/*
 * One execution of the whole system (see sim/world/include/sim/world.h):
 * engine, platform, kernel-API layer, simulated KVM with the host half,
 * guest kernel with the guest half, and a workload of user tasks.
 */
#include "sim/world.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/apf.h"
#include "sim/assert.h"
#include "sim/memory.h"

/* The guest half's entry points and read-only accessors. */
#include "kvm_apf.h"

/* TIF_ASYNC_PF (arm64, patch 13) as <linux/sched.h> defines it. */
#define WORLD_TIF_ASYNC_PF 7u
#define WORLD_GPA_BASE 0x40000000ull
/* Guest pages kept for the per-CPU units kshim moves into guest memory. */
#define WORLD_RESERVED_PAGES_PER_VCPU 8u
#define WORLD_RESERVED_PAGES_EXTRA 8u

struct world_task {
	struct world *world;
	uint32_t index;
};

struct world {
	struct world_config config;
	struct sim *sim;
	struct sim_platform *platform;
	struct kshim *kshim;
	struct kvm_sim *kvm;
	struct world_stats stats;
	struct world_task *tasks;
	uint32_t boot_thread;
	uint32_t tasks_left;
};

void world_config_default(struct world_config *config)
{
	SIM_ASSERT(config != NULL);
	memset(config, 0, sizeof(*config));
	config->seed = 1;
	config->mode = SIM_MODE_DETERMINISTIC;
	config->vcpu_count = 2;
	config->task_count = 8;
	config->touch_count = 8;
	config->page_count = 64;
	config->write_ratio = (struct sim_ratio){ 1, 2 };
	config->nonresident_ratio = (struct sim_ratio){ 1, 2 };
	config->pagein_ticks_min = 50;
	config->pagein_ticks_max = 400;
	config->ppi = 19;
}

static int config_error(char *error, size_t error_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int config_error(char *error, size_t error_size, const char *fmt, ...)
{
	va_list ap;

	if (error != NULL && error_size > 0) {
		va_start(ap, fmt);
		vsnprintf(error, error_size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool ratio_valid(struct sim_ratio r)
{
	return (r.numerator == 0 && r.denominator == 0) ||
	       (r.denominator > 0 && r.numerator <= r.denominator);
}

int world_config_check(const struct world_config *c, char *error, size_t error_size)
{
	if (c == NULL)
		return config_error(error, error_size, "world: no configuration");
	if (c->vcpu_count < 1 || c->vcpu_count > SIM_VCPU_COUNT_MAX)
		return config_error(error, error_size, "vcpus: %u is outside 1..%u",
				    c->vcpu_count, SIM_VCPU_COUNT_MAX);
	if (c->task_count > WORLD_TASK_COUNT_MAX)
		return config_error(error, error_size, "tasks: %u is above %u", c->task_count,
				    WORLD_TASK_COUNT_MAX);
	if (c->touch_count > WORLD_TOUCH_COUNT_MAX)
		return config_error(error, error_size, "touches: %u is above %u",
				    c->touch_count, WORLD_TOUCH_COUNT_MAX);
	if (c->page_count < 1 || c->page_count > WORLD_PAGE_COUNT_MAX)
		return config_error(error, error_size, "pages: %u is outside 1..%u",
				    c->page_count, WORLD_PAGE_COUNT_MAX);
	if (!ratio_valid(c->write_ratio))
		return config_error(error, error_size, "write_ratio: %u/%u is not a fraction <= 1",
				    c->write_ratio.numerator, c->write_ratio.denominator);
	if (!ratio_valid(c->nonresident_ratio))
		return config_error(error, error_size,
				    "nonresident_ratio: %u/%u is not a fraction <= 1",
				    c->nonresident_ratio.numerator,
				    c->nonresident_ratio.denominator);
	if (c->pagein_ticks_min > c->pagein_ticks_max)
		return config_error(error, error_size,
				    "pagein_ticks: min %llu is above max %llu",
				    (unsigned long long)c->pagein_ticks_min,
				    (unsigned long long)c->pagein_ticks_max);
	if (c->ppi < 16 || c->ppi > 31)
		return config_error(error, error_size, "ppi: %u is not a PPI (16..31)", c->ppi);
	if (memchr(c->cmdline, '\0', sizeof(c->cmdline)) == NULL)
		return config_error(error, error_size, "cmdline: not terminated within %u bytes",
				    WORLD_CMDLINE_BYTES_MAX);
	return 0;
}

/* ---- The execution's threads ---- */

static void world_fail(struct world *w, const char *class, const char *what, int ret)
{
	SIM_FAIL(w->sim, class, "%s failed: %d", what, ret);
}

static bool world_draw(struct world *w, struct sim_ratio r)
{
	return sim_prng_chance(sim_stream(w->sim, SIM_STREAM_WORKLOAD), r);
}

/* Once the workload is done: the guest driver goes down, the host drains. */
static void world_teardown_task(void *arg)
{
	struct world *w = arg;
	int ret;

	/* The guest side's account while every user task is done. */
	for (uint32_t cpu = 0; cpu < w->config.vcpu_count; cpu++) {
		struct kvm_async_pf_stats raw;

		w->stats.waiters_left += kvm_async_pf_table_count((int)cpu);
		if (kvm_async_pf_stats((int)cpu, &raw) != 0)
			continue;
		w->stats.guest_parked += raw.not_present;
		w->stats.guest_woken_by_token += raw.page_ready;
		w->stats.guest_woken_by_wake_all += raw.wake_all_tasks;
	}
	kvm_async_pf_teardown();
	ret = kvm_sim_quiesce(w->kvm);
	if (ret != 0)
		world_fail(w, WORLD_FINDING_BOOT, "kvm_sim_quiesce", ret);
	w->stats.torn_down = true;
}

static void world_spawn_teardown(struct world *w)
{
	if (kshim_spawn_task(w->kshim, 0, "teardown", world_teardown_task, w) == SIM_THREAD_NONE)
		world_fail(w, WORLD_FINDING_BOOT, "kshim_spawn_task (teardown)", -EAGAIN);
}

static void world_user_task(void *arg)
{
	struct world_task *task = arg;
	struct world *w = task->world;
	struct sim_prng *prng = sim_stream(w->sim, SIM_STREAM_WORKLOAD);

	kshim_user_enter();
	for (uint32_t i = 0; i < w->config.touch_count; i++) {
		uint64_t page = sim_prng_below(prng, w->config.page_count);
		uint64_t gpa = WORLD_GPA_BASE + page * SIM_MEMORY_PAGE_SIZE_BYTES;
		bool write = world_draw(w, w->config.write_ratio);
		uint32_t attempt;
		int ret = SIM_STAGE2_ASYNC;

		for (attempt = 0; attempt < WORLD_TOUCH_ATTEMPT_MAX; attempt++) {
			ret = kshim_user_touch(gpa, write);
			if (ret != SIM_STAGE2_ASYNC)
				break;
			w->stats.async_count++;
		}
		if (attempt > w->stats.retry_max)
			w->stats.retry_max = attempt;
		if (ret < 0) {
			world_fail(w, WORLD_FINDING_STUCK_ACCESS, "kshim_user_touch", ret);
			break;
		}
		if (ret == SIM_STAGE2_ASYNC) {
			SIM_FAIL(w->sim, WORLD_FINDING_STUCK_ACCESS,
				 "task %u: access to gpa 0x%llx faulted asynchronously %u times",
				 task->index, (unsigned long long)gpa, WORLD_TOUCH_ATTEMPT_MAX);
			break;
		}
		w->stats.touch_count++;
	}
	kshim_user_exit();
	w->stats.tasks_finished++;
	SIM_ASSERT(w->tasks_left > 0);
	if (--w->tasks_left == 0)
		world_spawn_teardown(w);
}

static int world_vmm_setup(struct world *w)
{
	for (uint32_t v = 0; v < w->config.vcpu_count; v++) {
		struct proto_kvm_arm_async_pf_cmd cmd = {
			.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_SDEI,
			.sdei = PROTO_KVM_SDEI_ASYNC_PF_NUM,
		};
		int ret;

		if ((w->config.kvm.apf_absent_vcpu_mask >> v) & 1u)
			continue;
		ret = kvm_sim_vcpu_apf_command(w->kvm, v, &cmd);
		if (ret != 0)
			return ret;
		cmd = (struct proto_kvm_arm_async_pf_cmd){
			.cmd = PROTO_KVM_ARM_ASYNC_PF_CMD_SET_IRQ, .irq = w->config.ppi,
		};
		ret = kvm_sim_vcpu_apf_command(w->kvm, v, &cmd);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static void world_boot_task(void *arg)
{
	struct world *w = arg;
	int ret;

	ret = world_vmm_setup(w);
	if (ret != 0) {
		world_fail(w, WORLD_FINDING_BOOT, "VMM async-PF setup", ret);
		return;
	}
	ret = kshim_boot(w->kshim, w->config.cmdline);
	if (ret == -EINVAL && w->config.cmdline[0] != '\0') {
		world_fail(w, WORLD_FINDING_BOOT, "kshim_boot (command line)", ret);
		return;
	}
	w->stats.booted = true;
	w->stats.guest_apf_ready = kvm_async_pf_ready();
	w->tasks_left = w->config.task_count;
	for (uint32_t i = 0; i < w->config.task_count; i++) {
		char name[32];

		snprintf(name, sizeof(name), "user%u", i);
		w->tasks[i] = (struct world_task){ .world = w, .index = i };
		if (kshim_spawn_task(w->kshim, i % w->config.vcpu_count, name, world_user_task,
				     &w->tasks[i]) == SIM_THREAD_NONE) {
			world_fail(w, WORLD_FINDING_BOOT, "kshim_spawn_task", -EAGAIN);
			return;
		}
	}
	if (w->config.task_count == 0)
		world_spawn_teardown(w);
}

/* ---- Creation ---- */

static int world_layer_error(char *error, size_t error_size, const char *layer, int ret)
{
	if (error != NULL && error_size > 0)
		snprintf(error, error_size, "%s: %s (%d)", layer, strerror(-ret), ret);
	return ret;
}

int world_create(struct world **out, const struct world_config *config,
		 struct sim_strategy *strategy, char *error, size_t error_size)
{
	struct sim_config sim_config = { 0 };
	struct sim_platform_config platform_config = { 0 };
	struct world *w;
	uint64_t reserved_base, reserved_size;
	int ret;

	if (out == NULL || strategy == NULL)
		return config_error(error, error_size, "world: no output or strategy");
	*out = NULL;
	ret = world_config_check(config, error, error_size);
	if (ret != 0)
		return ret;
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return -ENOMEM;
	w->config = *config;
	w->tasks = calloc(config->task_count > 0 ? config->task_count : 1, sizeof(*w->tasks));
	if (w->tasks == NULL) {
		free(w);
		return -ENOMEM;
	}
	sim_config = (struct sim_config){
		.seed = config->seed, .mode = config->mode, .vcpu_count = config->vcpu_count,
		.step_count_max = config->step_count_max, .pin_cpu = -1,
	};
	ret = sim_create(&w->sim, &sim_config, strategy);
	if (ret != 0) {
		world_layer_error(error, error_size, "engine", ret);
		goto fail;
	}
	platform_config.memory = (struct sim_memory_config){
		.gpa_base = WORLD_GPA_BASE,
		.page_count = (uint64_t)config->page_count +
			      (uint64_t)config->vcpu_count * WORLD_RESERVED_PAGES_PER_VCPU +
			      WORLD_RESERVED_PAGES_EXTRA,
		.nonresident_ratio = config->nonresident_ratio,
		.pagein_ticks_min = config->pagein_ticks_min,
		.pagein_ticks_max = config->pagein_ticks_max,
	};
	ret = sim_platform_create(&w->platform, w->sim, &platform_config, error, error_size);
	if (ret != 0)
		goto fail;
	ret = kshim_create(&w->kshim, w->sim, &config->kshim);
	if (ret != 0) {
		world_layer_error(error, error_size, "kshim", ret);
		goto fail;
	}
	ret = kshim_attach_platform(w->kshim, w->platform);
	if (ret != 0) {
		world_layer_error(error, error_size, "kshim platform binding", ret);
		goto fail;
	}
	kshim_reserved_gpa(w->kshim, &reserved_base, &reserved_size);
	if (reserved_size > 0 &&
	    reserved_base < WORLD_GPA_BASE + (uint64_t)config->page_count * SIM_MEMORY_PAGE_SIZE_BYTES) {
		ret = -ENOMEM;
		world_layer_error(error, error_size, "per-CPU reservation overlaps the workload",
				  ret);
		goto fail;
	}
	ret = kvm_sim_create(&w->kvm, w->platform, w->kshim, &config->kvm);
	if (ret != 0) {
		world_layer_error(error, error_size, "kvm", ret);
		goto fail;
	}
	ret = kshim_set_tif_handler(w->kshim, WORLD_TIF_ASYNC_PF, kvm_async_pf_task_wait);
	if (ret != 0) {
		world_layer_error(error, error_size, "kshim TIF handler", ret);
		goto fail;
	}
	w->boot_thread = kshim_spawn_task(w->kshim, 0, "boot", world_boot_task, w);
	if (w->boot_thread == SIM_THREAD_NONE) {
		ret = -EAGAIN;
		world_layer_error(error, error_size, "boot task", ret);
		goto fail;
	}
	*out = w;
	return 0;
fail:
	world_destroy(w);
	return ret;
}

int world_run(struct world *w)
{
	int ret;

	SIM_ASSERT(w != NULL);
	ret = sim_run(w->sim);
	if (ret != 0)
		return ret;
	kshim_finish(w->kshim);
	kvm_sim_apf_stats_sum(w->kvm, &w->stats.host);
	return 0;
}

struct sim *world_sim(const struct world *w)
{
	return w->sim;
}

struct sim_platform *world_platform(const struct world *w)
{
	return w->platform;
}

struct kshim *world_kshim(const struct world *w)
{
	return w->kshim;
}

struct kvm_sim *world_kvm(const struct world *w)
{
	return w->kvm;
}

const struct world_stats *world_stats(const struct world *w)
{
	return &w->stats;
}

void world_destroy(struct world *w)
{
	if (w == NULL)
		return;
	/* Order: the VM and the kernel layer before the engine (they hold
	 * engine objects), the platform after it (docs/platform.md). */
	kvm_sim_destroy(w->kvm);
	if (w->kshim != NULL)
		kshim_destroy(w->kshim);
	if (w->sim != NULL)
		sim_destroy(w->sim);
	if (w->platform != NULL)
		sim_platform_destroy(w->platform);
	free(w->tasks);
	free(w);
}

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
#include "sim/trace.h"
#include "sim/world_oracle.h"

/* The guest half's entry points and read-only accessors. */
#include "kvm_apf.h"
#include "world_xen.h" /* bug zoo 13: the Xen shim slot (world_xen.c) */
#include "world_crash.h" /* the "crash" event class (world_crash.c) */
#include "world_sdei.h" /* bug zoo 12: the SDEI masked-PE probe (world_sdei.c) */

/* TIF_ASYNC_PF (arm64, patch 13) as <linux/sched.h> defines it. */
#define WORLD_TIF_ASYNC_PF 7u
#define WORLD_GPA_BASE 0x40000000ull
/* Guest pages kept for the per-CPU units kshim moves into guest memory. */
#define WORLD_RESERVED_PAGES_PER_VCPU 8u
#define WORLD_RESERVED_PAGES_EXTRA 8u
/* SYS_RESTART of <linux/reboot.h>: the action the reboot event passes. */
#define WORLD_SYS_RESTART 1ul
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct world_task {
	struct world *world;
	uint32_t index;
};

struct world_oracle_slot {
	const struct world_oracle_ops *ops;
	void *state;
};

struct world {
	struct world_config config;
	struct sim *sim;
	struct sim_platform *platform;
	struct kshim *kshim;
	struct kvm_sim *kvm;
	struct world_stats stats;
	struct world_task *tasks;
	uint32_t *task_threads;
	uint32_t boot_thread;
	uint32_t tasks_left;
	uint64_t liveness_timer;
	bool finished;
	struct world_oracle_slot oracles[32];
	uint32_t oracle_count;
};

/*
 * The guest half's TIF handler has no argument; one world lives per process
 * (the kernel halves' globals are per process), so it finds it here.
 */
static struct world *world_live;

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
	config->events = (struct world_events){
		.count = 0, .class_mask = WORLD_EVENT_CLASS_ALL,
		.weight = { 1, 1, 1, 1, 1 },
		.gap_ticks_min = 200, .gap_ticks_max = 2000,
		.offline_ticks_min = 100, .offline_ticks_max = 1000,
	};
	config->inject_mask = 0;
	config->alloc_fail_ratio = (struct sim_ratio){ 1, 64 };
	config->irq_delay_take_ratio = (struct sim_ratio){ 1, 8 };
	config->sdei_fail_ratio = (struct sim_ratio){ 1, 4 };
	config->liveness_ticks = 0;
	config->oracle_mask = world_oracle_count() >= 32 ? 0xffffffffu
							 : (1u << world_oracle_count()) - 1u;
	config->irq_storm_bound = 0;
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
	if (c->write_ratio.denominator == 0)
		return config_error(error, error_size, "write_ratio: %u/%u has no denominator",
				    c->write_ratio.numerator, c->write_ratio.denominator);
	if (c->nonresident_ratio.denominator == 0)
		return config_error(error, error_size, "nonresident_ratio: %u/%u has no denominator",
				    c->nonresident_ratio.numerator,
				    c->nonresident_ratio.denominator);
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
	if (c->events.count > WORLD_EVENT_COUNT_MAX)
		return config_error(error, error_size, "events.count: %u is above %u",
				    c->events.count, WORLD_EVENT_COUNT_MAX);
	if (c->events.class_mask & ~WORLD_EVENT_CLASS_ALL)
		return config_error(error, error_size, "events.classes: unknown class bits 0x%x",
				    c->events.class_mask & ~WORLD_EVENT_CLASS_ALL);
	if (c->events.gap_ticks_min > c->events.gap_ticks_max)
		return config_error(error, error_size, "events.gap_ticks: min %llu is above max %llu",
				    (unsigned long long)c->events.gap_ticks_min,
				    (unsigned long long)c->events.gap_ticks_max);
	if (c->events.offline_ticks_min > c->events.offline_ticks_max)
		return config_error(error, error_size,
				    "events.offline_ticks: min %llu is above max %llu",
				    (unsigned long long)c->events.offline_ticks_min,
				    (unsigned long long)c->events.offline_ticks_max);
	if (c->inject_mask & ~WORLD_INJECT_ALL)
		return config_error(error, error_size, "inject: unknown injection bits 0x%x",
				    c->inject_mask & ~WORLD_INJECT_ALL);
	if (!ratio_valid(c->alloc_fail_ratio))
		return config_error(error, error_size,
				    "alloc_fail_ratio: %u/%u is not a fraction <= 1",
				    c->alloc_fail_ratio.numerator, c->alloc_fail_ratio.denominator);
	if (!ratio_valid(c->sdei_fail_ratio))
		return config_error(error, error_size,
				    "sdei_fail_ratio: %u/%u is not a fraction <= 1",
				    c->sdei_fail_ratio.numerator, c->sdei_fail_ratio.denominator);
	if (!ratio_valid(c->irq_delay_take_ratio))
		return config_error(error, error_size,
				    "irq_delay_take_ratio: %u/%u is not a fraction <= 1",
				    c->irq_delay_take_ratio.numerator,
				    c->irq_delay_take_ratio.denominator);
	if (c->draws != WORLD_DRAWS_SEED && c->draws != WORLD_DRAWS_SCHEDULE)
		return config_error(error, error_size, "draws: %d is neither seed (0) nor schedule (1)",
				    (int)c->draws);
	if (world_oracle_count() < 32 && (c->oracle_mask >> world_oracle_count()) != 0)
		return config_error(error, error_size, "oracles: mask 0x%x names oracles beyond the %u known",
				    c->oracle_mask, world_oracle_count());
	return 0;
}

static int world_layer_error(char *error, size_t error_size, const char *layer, int ret);

/* ---- The execution's threads ---- */

static void world_fail(struct world *w, const char *class, const char *what, int ret)
{
	SIM_FAIL(w->sim, class, "%s failed: %d", what, ret);
}

static bool world_draw(struct world *w, struct sim_ratio r)
{
	return sim_prng_chance(sim_stream(w->sim, SIM_STREAM_WORKLOAD), r);
}

/*
 * The world's own draws (enum world_draws): from @prng in seed mode, as
 * recorded sim_choose() decisions in schedule mode.
 */
static bool world_by_schedule(const struct world *w)
{
	return w->config.draws == WORLD_DRAWS_SCHEDULE;
}

static uint64_t world_draw_below(struct world *w, struct sim_prng *prng, uint64_t count,
				 const char *label)
{
	SIM_ASSERT(count > 0 && count <= UINT32_MAX);
	if (world_by_schedule(w))
		return sim_choose((uint32_t)count, label);
	return sim_prng_below(prng, count);
}

/* Schedule mode: one of WORLD_DRAWS_TICK_POINTS evenly spaced values. */
static uint64_t world_draw_ticks(struct world *w, struct sim_prng *prng, uint64_t min,
				 uint64_t max, const char *label)
{
	uint64_t span = max - min, points, steps, k;

	if (!world_by_schedule(w))
		return sim_prng_range(prng, min, max);
	points = span < WORLD_DRAWS_TICK_POINTS - 1u ? span + 1u : WORLD_DRAWS_TICK_POINTS;
	k = sim_choose((uint32_t)points, label);
	if (points == 1)
		return min;
	/* min + span * k / steps, without overflow: k = steps gives max. */
	steps = points - 1u;
	return min + span / steps * k + span % steps * k / steps;
}

static bool world_draw_write(struct world *w)
{
	struct sim_ratio r = w->config.write_ratio;

	if (!world_by_schedule(w))
		return world_draw(w, r);
	if (r.numerator == 0 || r.numerator >= r.denominator)
		return r.numerator != 0;
	return sim_choose(2, "world-write") == 1;
}

/* Once the workload is done: the guest driver goes down, the host drains. */
static void world_teardown_task(void *arg)
{
	struct world *w = arg;
	int ret;

	/* The guest side's account while every user task is done. */
	w->stats.guest_table_capacity = kvm_async_pf_table_capacity();
	for (uint32_t cpu = 0; cpu < w->config.vcpu_count; cpu++) {
		struct kvm_async_pf_stats raw;

		w->stats.waiters_left += kvm_async_pf_table_count((int)cpu);
		if (kvm_async_pf_stats((int)cpu, &raw) != 0)
			continue;
		w->stats.guest_parked += raw.not_present;
		w->stats.guest_woken_by_token += raw.page_ready;
		w->stats.guest_woken_by_wake_all += raw.wake_all_tasks;
		w->stats.guest_table_full += raw.table_full;
	}
	kvm_async_pf_teardown();
	ret = kvm_sim_quiesce(w->kvm);
	if (ret != 0)
		world_fail(w, WORLD_FINDING_BOOT, "kvm_sim_quiesce", ret);
	w->stats.torn_down = true;
	if (w->stats.liveness_started)
		w->stats.drain_ticks = sim_now(w->sim) - w->stats.liveness_start_tick;
	if (w->liveness_timer != 0) {
		sim_timer_cancel(w->sim, w->liveness_timer);
		w->liveness_timer = 0;
	}
}

/* The teardown runs once the user tasks and the event task are done. */
static void world_maybe_teardown(struct world *w)
{
	if (w->tasks_left > 0 || !w->finished || w->stats.torn_down)
		return;
	w->finished = false; /* spawned once */
	if (kshim_spawn_task(w->kshim, 0, "teardown", world_teardown_task, w) == SIM_THREAD_NONE)
		world_fail(w, WORLD_FINDING_BOOT, "kshim_spawn_task (teardown)", -EAGAIN);
}

/* ---- Liveness ---- */

static void world_liveness_expired(struct sim *sim, void *arg)
{
	struct world *w = arg;
	char stuck[160] = "";
	size_t at = 0;
	uint32_t listed = 0;

	w->liveness_timer = 0;
	if (w->stats.torn_down)
		return;
	for (uint32_t i = 0; i < w->config.task_count && listed < 4; i++) {
		uint32_t id = w->task_threads[i];
		int n;

		if (id == SIM_THREAD_NONE || sim_thread_state(sim, id) == SIM_THREAD_EXITED)
			continue;
		n = snprintf(stuck + at, sizeof(stuck) - at, "%s%s (%s)", listed ? ", " : "",
			     sim_thread_name(sim, id),
			     sim_thread_state(sim, id) == SIM_THREAD_RUNNABLE ? "runnable" : "blocked");
		if (n < 0 || (size_t)n >= sizeof(stuck) - at)
			break;
		at += (size_t)n;
		listed++;
	}
	SIM_FAIL(sim, WORLD_FINDING_LIVENESS,
		 "not drained %llu ticks after events and injections stopped: %u of %u user tasks "
		 "unfinished%s%s%s",
		 (unsigned long long)(sim_now(sim) - w->stats.liveness_start_tick), w->tasks_left,
		 w->config.task_count, listed ? ": " : "", stuck,
		 w->tasks_left == 0 ? " (teardown not finished)" : "");
}

/* Events and injections off; everything must drain within the bound. */
static void world_liveness_start(struct world *w)
{
	uint64_t bound = w->config.liveness_ticks ? w->config.liveness_ticks
						  : WORLD_LIVENESS_TICKS_DEFAULT;

	w->stats.liveness_started = true;
	w->stats.liveness_start_tick = sim_now(w->sim);
	(void)kshim_set_alloc_fail(w->kshim, (struct sim_ratio){ 0, 0 }, 0);
	(void)kvm_sim_set_sdei_fail(w->kvm, (struct sim_ratio){ 0, 0 });
	sim_trace(w->sim, SIM_TRACE_USER, "world-liveness", 0, 0);
	w->liveness_timer = sim_timer_add(w->sim, sim_now(w->sim) + bound,
					  world_liveness_expired, w);
	if (w->liveness_timer == 0)
		world_fail(w, WORLD_FINDING_BOOT, "sim_timer_add (liveness)", -ENOSPC);
}

/* ---- The guest's async-PF wait, with probes for the oracles ---- */

static void world_task_wait(void)
{
	struct world *w = world_live;
	uint32_t self = sim_self_id();
	int cpu = sim_self_vcpu();
	const void *task = sim_thread_data(w->sim, self);
	unsigned int capacity = kvm_async_pf_table_capacity();
	unsigned int count;
	uint32_t token = 0;
	uint64_t who;

	SIM_ASSERT(cpu >= 0);
	for (unsigned int i = 0; i < capacity; i++) {
		struct task_struct *owner;
		u32 t;

		if (kvm_async_pf_table_entry(cpu, i, &t, &owner) == 0 && (const void *)owner == task) {
			token = t;
			break;
		}
	}
	count = kvm_async_pf_table_count(cpu);
	if (count > w->stats.guest_table_max)
		w->stats.guest_table_max = count;
	who = (uint64_t)(uint32_t)cpu << 32 | self;
	sim_trace(w->sim, SIM_TRACE_TOKEN, "guest-park", token, who);
	kvm_async_pf_task_wait();
	sim_trace(w->sim, SIM_TRACE_TOKEN, "guest-unpark", token, who);
}

/* ---- The workload ---- */

static void world_user_task(void *arg)
{
	struct world_task *task = arg;
	struct world *w = task->world;
	struct sim_prng *prng = sim_stream(w->sim, SIM_STREAM_WORKLOAD);

	kshim_user_enter();
	for (uint32_t i = 0; i < w->config.touch_count; i++) {
		uint64_t page = world_draw_below(w, prng, w->config.page_count, "world-page");
		uint64_t gpa = WORLD_GPA_BASE + page * SIM_MEMORY_PAGE_SIZE_BYTES;
		bool write = world_draw_write(w);
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
	w->tasks_left--;
	world_maybe_teardown(w);
}

/* ---- Events ---- */

static enum world_event_class world_pick_class(struct world *w, struct sim_prng *prng)
{
	uint64_t total = 0, r;
	uint32_t c;
	bool uniform = world_by_schedule(w); /* schedule mode: weights not used */

	for (c = 0; c < WORLD_EVENT_CLASS_COUNT; c++) {
		if ((w->config.events.class_mask >> c) & 1u)
			total += uniform || !w->config.events.weight[c] ? 1 : w->config.events.weight[c];
	}
	SIM_ASSERT(total > 0);
	r = world_draw_below(w, prng, total, "world-event-class");
	for (c = 0; c < WORLD_EVENT_CLASS_COUNT; c++) {
		uint64_t weight;

		if (!((w->config.events.class_mask >> c) & 1u))
			continue;
		weight = uniform || !w->config.events.weight[c] ? 1 : w->config.events.weight[c];
		if (r < weight)
			break;
		r -= weight;
	}
	SIM_ASSERT(c < WORLD_EVENT_CLASS_COUNT);
	return (enum world_event_class)c;
}

/* An event's call failed where the model says it cannot: a finding. */
static void world_event_failed(struct world *w, enum world_event_class c, unsigned int cpu,
			       const char *what, int ret)
{
	SIM_FAIL(w->sim, WORLD_FINDING_EVENT, "%s event on CPU%u: %s failed: %d",
		 world_event_class_name(c), cpu, what, ret);
}

/* The VMM's side of a migration runs on a host thread, as in QEMU. */
struct world_migration {
	struct world *world;
	unsigned int cpu;
	uint32_t waiter;
	bool done;
	int result;
};

static void world_migrate_thread(void *arg)
{
	struct world_migration *m = arg;
	struct kvm_sim_apf_saved saved;

	m->result = kvm_sim_vcpu_apf_save(m->world->kvm, m->cpu, &saved);
	if (m->result == 0)
		m->result = kvm_sim_vcpu_apf_restore(m->world->kvm, m->cpu, &saved);
	m->done = true;
	sim_wake(m->world->sim, m->waiter);
}

static int world_migrate(struct world *w, unsigned int cpu)
{
	struct world_migration m = { .world = w, .cpu = cpu, .waiter = sim_self_id() };

	if (kshim_spawn_host(w->kshim, "vmm-migrate", false, world_migrate_thread, &m) ==
	    SIM_THREAD_NONE)
		return -EAGAIN;
	/* Bounded: the host thread always ends, and wakes us when it does. */
	while (!m.done) {
		sim_set_blocking("waiting for the VMM's migration", &m);
		if (m.done)
			sim_set_running();
		else
			sim_schedule();
	}
	return m.result;
}

static void world_fire(struct world *w, enum world_event_class c, struct sim_prng *prng)
{
	unsigned int cpu = (unsigned int)world_draw_below(w, prng, w->config.vcpu_count,
							 "world-event-cpu");
	int ret = 0;

	sim_trace(w->sim, SIM_TRACE_USER, "world-event", c,
		  c == WORLD_EVENT_REBOOT ? ~0ull : cpu);
	switch (c) {
	case WORLD_EVENT_HOTPLUG:
	case WORLD_EVENT_RESET:
		ret = kshim_cpu_down(w->kshim, cpu);
		if (ret == -EBUSY || ret == -ENXIO)
			break; /* the last online CPU, or already down */
		if (ret != 0) {
			world_event_failed(w, c, cpu, "kshim_cpu_down", ret);
			return;
		}
		if (c == WORLD_EVENT_HOTPLUG)
			sim_sleep_ticks(world_draw_ticks(w, prng, w->config.events.offline_ticks_min,
							 w->config.events.offline_ticks_max,
							 "world-offline-ticks"));
		ret = kshim_cpu_up(w->kshim, cpu);
		if (ret != 0) {
			world_event_failed(w, c, cpu, "kshim_cpu_up", ret);
			return;
		}
		break;
	case WORLD_EVENT_DISABLE:
		ret = kshim_cpu_states_cycle(w->kshim, cpu);
		if (ret == -ENXIO || ret == -EBUSY)
			break; /* offline, or the last CPU up (cpuhp refuses it) */
		if (ret != 0) {
			world_event_failed(w, c, cpu, "kshim_cpu_states_cycle", ret);
			return;
		}
		break;
	case WORLD_EVENT_MIGRATE:
		if ((w->config.kvm.apf_absent_vcpu_mask >> cpu) & 1u) {
			ret = -ENODEV;
			break;
		}
		ret = world_migrate(w, cpu);
		if (ret != 0) {
			world_event_failed(w, c, cpu, "save/restore", ret);
			return;
		}
		break;
	case WORLD_EVENT_REBOOT:
		ret = kshim_reboot(w->kshim, WORLD_SYS_RESTART);
		ret = ret < 0 ? ret : 0;
		if (ret != 0) {
			world_event_failed(w, c, cpu, "kshim_reboot", ret);
			return;
		}
		break;
	case WORLD_EVENT_CRASH: /* world_crash.c */
		ret = world_crash(w, cpu, prng);
		if (ret == -ECANCELED)
			return; /* reported as the finding "event" */
		break;
	default:
		SIM_ASSERT(0);
	}
	if (ret != 0)
		w->stats.events_refused++;
	else
		w->stats.events_fired[c]++;
}

static void world_events_task(void *arg)
{
	struct world *w = arg;
	struct sim_prng *prng = sim_stream(w->sim, SIM_STREAM_FAULT);

	for (uint32_t i = 0; i < w->config.events.count && w->tasks_left > 0; i++) {
		enum world_event_class c;

		sim_sleep_ticks(world_draw_ticks(w, prng, w->config.events.gap_ticks_min,
						 w->config.events.gap_ticks_max, "world-event-gap"));
		if (w->tasks_left == 0)
			break;
		c = world_pick_class(w, prng);
		world_fire(w, c, prng);
	}
	world_liveness_start(w);
	w->finished = true;
	world_maybe_teardown(w);
}

/* ---- Boot ---- */

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

static bool world_has_events(const struct world *w)
{
	return w->config.events.count > 0 && w->config.events.class_mask != 0;
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
		w->task_threads[i] = kshim_spawn_task(w->kshim, i % w->config.vcpu_count, name,
						      world_user_task, &w->tasks[i]);
		if (w->task_threads[i] == SIM_THREAD_NONE) {
			world_fail(w, WORLD_FINDING_BOOT, "kshim_spawn_task", -EAGAIN);
			return;
		}
	}
	/* bug zoo 13: the Xen shim's register/unregister, if asked (world_xen.c) */
	if (world_xen_wanted(&w->config) && world_xen_spawn(w) != 0)
		world_fail(w, WORLD_FINDING_BOOT, "world_xen_spawn", -EAGAIN);
	/* bug zoo 12: the SDEI probe (mask, trigger, unmask), if asked (world_sdei.c) */
	if (world_sdei_wanted(&w->config) && world_sdei_spawn(w) != 0)
		world_fail(w, WORLD_FINDING_BOOT, "world_sdei_spawn", -EAGAIN);
	if (world_has_events(w)) {
		if (kshim_spawn_task(w->kshim, 0, "events", world_events_task, w) ==
		    SIM_THREAD_NONE)
			world_fail(w, WORLD_FINDING_BOOT, "kshim_spawn_task (events)", -EAGAIN);
		return;
	}
	world_liveness_start(w);
	w->finished = true;
	world_maybe_teardown(w);
}

/* ---- Oracles ---- */

static void world_listener(void *ctx, const struct sim_trace_event *event)
{
	struct world *w = ctx;

	for (uint32_t i = 0; i < w->oracle_count; i++)
		w->oracles[i].ops->event(w->oracles[i].state, w, event);
}

static int world_oracles_create(struct world *w, char *error, size_t error_size)
{
	const struct world_oracle_ops *const *list = world_oracle_list();

	for (uint32_t i = 0; list[i] != NULL && i < 32; i++) {
		struct world_oracle_slot *slot;
		int ret;

		if (!((w->config.oracle_mask >> i) & 1u))
			continue;
		SIM_ASSERT(w->oracle_count < ARRAY_SIZE(w->oracles));
		slot = &w->oracles[w->oracle_count];
		slot->ops = list[i];
		ret = list[i]->create(&slot->state, w);
		if (ret != 0)
			return world_layer_error(error, error_size, list[i]->name, ret);
		w->oracle_count++;
	}
	if (w->oracle_count > 0)
		sim_set_trace_listener(w->sim, world_listener, w);
	return 0;
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
	struct kshim_config kshim_config;
	struct kvm_sim_config kvm_config;
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
	w->task_threads = calloc(config->task_count > 0 ? config->task_count : 1,
				 sizeof(*w->task_threads));
	if (w->tasks == NULL || w->task_threads == NULL) {
		free(w->tasks);
		free(w->task_threads);
		free(w);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < config->task_count; i++)
		w->task_threads[i] = SIM_THREAD_NONE;
	sim_config = (struct sim_config){
		.seed = config->seed, .mode = config->mode, .vcpu_count = config->vcpu_count,
		.step_count_max = config->step_count_max, .pin_cpu = -1,
		.trace_ring_size = config->trace_ring_size,
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
	kshim_config = config->kshim;
	if (config->inject_mask & WORLD_INJECT_ALLOC_FAIL)
		kshim_config.alloc_fail_ratio = config->alloc_fail_ratio;
	ret = kshim_create(&w->kshim, w->sim, &kshim_config);
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
	kvm_config = config->kvm;
	if (config->inject_mask & WORLD_INJECT_SDEI_FAIL)
		kvm_config.sdei_fail_ratio = config->sdei_fail_ratio;
	ret = kvm_sim_create(&w->kvm, w->platform, w->kshim, &kvm_config);
	if (ret != 0) {
		world_layer_error(error, error_size, "kvm", ret);
		goto fail;
	}
	ret = kshim_set_tif_handler(w->kshim, WORLD_TIF_ASYNC_PF, world_task_wait);
	if (ret != 0) {
		world_layer_error(error, error_size, "kshim TIF handler", ret);
		goto fail;
	}
	ret = world_oracles_create(w, error, error_size);
	if (ret != 0)
		goto fail;
	w->boot_thread = kshim_spawn_task(w->kshim, 0, "boot", world_boot_task, w);
	if (w->boot_thread == SIM_THREAD_NONE) {
		ret = -EAGAIN;
		world_layer_error(error, error_size, "boot task", ret);
		goto fail;
	}
	world_live = w;
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
	w->stats.host_queue_full = w->stats.host.queue_full;
	w->stats.guest_table_capacity = kvm_async_pf_table_capacity();
	w->stats.alloc_failed = kshim_alloc_failed_count(w->kshim);
	for (uint32_t i = 0; i < w->oracle_count; i++) {
		if (w->oracles[i].ops->finish != NULL)
			w->oracles[i].ops->finish(w->oracles[i].state, w);
	}
	return 0;
}

const struct world_config *world_config(const struct world *w)
{
	return &w->config;
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
	if (w->sim != NULL)
		sim_set_trace_listener(w->sim, NULL, NULL);
	for (uint32_t i = 0; i < w->oracle_count; i++)
		w->oracles[i].ops->destroy(w->oracles[i].state);
	if (world_live == w)
		world_live = NULL;
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
	free(w->task_threads);
	free(w);
}

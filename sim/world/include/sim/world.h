/* SPDX-License-Identifier: MIT */
/*
 * One execution of the whole async-PF system: the engine, the platform, the
 * kernel-API layer bound to it, the simulated KVM with the host half
 * (hostlib/), the guest kernel with the guest half (guestlib/) booted from
 * a command line, and a workload of guest user tasks touching guest memory.
 * End-to-end tests and the apfsim CLI build on it.
 *
 *   world_config_default(&config);   then adjust
 *   world_create(&w, &config, strategy, error, sizeof(error));
 *   world_run(w);                    sim_run() + end-of-run checks
 *   ... world_sim(w), world_stats(w) ...
 *   world_destroy(w);
 *
 * The execution: a boot task on vCPU 0 runs the guest kernel's boot
 * (kshim_boot: early params, initcalls, so the guest driver's init enables
 * async PF on every CPU), then spawns the user tasks (round-robin over the
 * vCPUs). Each user task enters EL0 and makes its accesses to pages drawn
 * from SIM_STREAM_WORKLOAD, retrying an access whose stage-2 fault was taken
 * asynchronously (the task parks in the guest until its page is ready). The
 * last user task to finish spawns a teardown task on vCPU 0 that takes the
 * guest driver down and quiesces the host; after the run, leaks and pending
 * works are findings.
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/kshim.h"
#include "sim/kvm.h"
#include "sim/platform.h"
#include "sim/prng.h"
#include "sim/sim.h"

struct sim_strategy;
struct world;

/* Limits of a world configuration (checked by world_config_check()). */
#define WORLD_TASK_COUNT_MAX 1024u
#define WORLD_TOUCH_COUNT_MAX 100000u
#define WORLD_PAGE_COUNT_MAX 65536u
#define WORLD_CMDLINE_BYTES_MAX 256u
/* Accesses of one touch that may fault asynchronously before it is a finding. */
#define WORLD_TOUCH_ATTEMPT_MAX 64u

/* Finding classes of the world itself. */
#define WORLD_FINDING_BOOT "boot"
#define WORLD_FINDING_STUCK_ACCESS "stuck-access"

struct world_config {
	uint64_t seed;
	enum sim_mode mode;
	uint32_t vcpu_count;       /* 1 .. SIM_VCPU_COUNT_MAX */
	uint64_t step_count_max;   /* 0: engine default */
	uint32_t task_count;       /* user tasks, 0 .. WORLD_TASK_COUNT_MAX */
	uint32_t touch_count;      /* accesses per task, 0 .. WORLD_TOUCH_COUNT_MAX */
	uint32_t page_count;       /* workload pages, 1 .. WORLD_PAGE_COUNT_MAX */
	struct sim_ratio write_ratio;       /* writes among accesses */
	struct sim_ratio nonresident_ratio; /* swapped-out pages at start */
	uint64_t pagein_ticks_min;
	uint64_t pagein_ticks_max;
	uint32_t ppi;              /* page-ready PPI the VMM sets (SET_IRQ), 16..31 */
	char cmdline[WORLD_CMDLINE_BYTES_MAX]; /* guest kernel command line */
	struct kshim_config kshim;
	struct kvm_sim_config kvm;
};

/* What one execution did (filled by world_run()). */
struct world_stats {
	uint64_t touch_count;       /* accesses completed */
	uint64_t async_count;       /* accesses that faulted asynchronously (retried) */
	uint64_t retry_max;         /* most asynchronous faults of one access */
	uint32_t tasks_finished;
	bool booted;                /* the guest kernel booted */
	bool guest_apf_ready;       /* the guest driver enabled async PF */
	bool torn_down;             /* the guest driver and the host were drained */
	/* The guest driver's counters, summed over CPUs when the workload ended. */
	uint64_t guest_parked;            /* page-not-present that parked a task */
	uint64_t guest_woken_by_token;    /* page-ready that woke its task */
	uint64_t guest_woken_by_wake_all; /* tasks woken by wake-all/offline/reboot */
	uint64_t waiters_left;            /* table entries left (must be 0) */
	struct kvm_sim_apf_stats host; /* summed over vCPUs */
};

/** world_config_default() - a small valid configuration (2 vCPUs, 8 tasks). */
void world_config_default(struct world_config *config);

/**
 * world_config_check() - validate @config.
 * Return: 0, or -EINVAL with a message naming the field in @error.
 */
int world_config_check(const struct world_config *config, char *error, size_t error_size);

/**
 * world_create() - build one execution. @strategy is used, not owned.
 * Return: 0; -EINVAL (bad config, message in @error), -ENOMEM, -EBUSY
 * (another world is alive in this process: the kernel halves' globals are
 * per process), or the error of a layer with a message.
 */
__attribute__((warn_unused_result)) int world_create(struct world **out,
						     const struct world_config *config,
						     struct sim_strategy *strategy, char *error,
						     size_t error_size);

/**
 * world_run() - run the execution, then the end-of-run checks (leaks,
 * pending works). Findings are in sim_result(world_sim(w)).
 * Return: 0, or the engine's error.
 */
int world_run(struct world *world);

struct sim *world_sim(const struct world *world);
struct sim_platform *world_platform(const struct world *world);
struct kshim *world_kshim(const struct world *world);
struct kvm_sim *world_kvm(const struct world *world);
const struct world_stats *world_stats(const struct world *world);

void world_destroy(struct world *world);

#endif /* SIM_WORLD_H */

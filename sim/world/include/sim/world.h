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
/* Something did not drain within the liveness bound (a task still parked). */
#define WORLD_FINDING_LIVENESS "liveness"
/* An event's call failed where the model cannot refuse it (e.g. CPU_ON). */
#define WORLD_FINDING_EVENT "event"

/*
 * Events the event task fires during the workload [R§9, R§10]. Each class
 * can be switched off; swarm testing (world_swarm()) switches off a random
 * subset per seed.
 */
enum world_event_class {
	WORLD_EVENT_HOTPLUG = 0, /* a CPU goes offline (cpuhp + PSCI CPU_OFF), comes back later */
	WORLD_EVENT_DISABLE,     /* the guest driver's cpuhp teardown then startup on a CPU
				  * (async PF disabled and enabled; the CPU stays up) */
	WORLD_EVENT_RESET,       /* a CPU offline and at once online again: PSCI CPU_ON
				  * resets the vCPU while works may be in flight */
	WORLD_EVENT_MIGRATE,     /* the VMM saves a vCPU's async-PF state and restores it
				  * (works in flight dropped, as on a new host) */
	WORLD_EVENT_REBOOT,      /* the reboot notifier chain (the guest driver disables
				  * async PF on every CPU and wakes its waiters) */
	WORLD_EVENT_CRASH,       /* a CPU's kernel dies registered (crash kernel, kexec); a
				  * fresh kernel registers again (world_crash.c) */
	WORLD_EVENT_CLASS_COUNT,
};

/* Fault injections (bits of world_config.inject_mask). */
#define WORLD_INJECT_ALLOC_FAIL (1u << 0) /* guest/host allocations fail (alloc_fail_ratio) */
#define WORLD_INJECT_IRQ_DELAY (1u << 1)  /* the strategy defers interrupts more (irq_delay_take_ratio) */
#define WORLD_INJECT_SDEI_FAIL (1u << 2)  /* the host's SDEI injections fail (sdei_fail_ratio) */
#define WORLD_INJECT_COUNT 3u
#define WORLD_INJECT_ALL ((1u << WORLD_INJECT_COUNT) - 1u)

#define WORLD_EVENT_COUNT_MAX 100000u
#define WORLD_EVENT_CLASS_ALL ((1u << WORLD_EVENT_CLASS_COUNT) - 1u)
/* Liveness bound when the configuration leaves it 0 (virtual ticks). */
#define WORLD_LIVENESS_TICKS_DEFAULT 1000000ull

struct world_events {
	uint32_t count;            /* events fired during the workload, 0 .. WORLD_EVENT_COUNT_MAX */
	uint32_t class_mask;       /* classes enabled (bit n = enum world_event_class n) */
	/* Relative weight of each class among the enabled ones (0 counts as 1). */
	uint32_t weight[WORLD_EVENT_CLASS_COUNT];
	uint64_t gap_ticks_min;    /* virtual time between two events */
	uint64_t gap_ticks_max;
	uint64_t offline_ticks_min; /* hotplug: how long the CPU stays offline */
	uint64_t offline_ticks_max;
};

/*
 * Where the world's own random draws come from (world_config.draws): a
 * user task's page and read/write, the event task's gap, class, CPU and
 * hotplug offline time. The platform's draws (which pages start swapped
 * out, page-in latency) and injected allocation failures stay on the seed
 * streams in both modes.
 *   WORLD_DRAWS_SEED      the execution's seed streams (SIM_STREAM_WORKLOAD,
 *                         SIM_STREAM_FAULT): the default, reproducible from
 *                         the seed alone.
 *   WORLD_DRAWS_SCHEDULE  sim_choose() decisions: the strategy makes them
 *                         and the schedule records them, so the workload
 *                         and the event script are part of the schedule
 *                         (explored by DFS, replayed exactly, decided by a
 *                         fuzzer's bytes). Gaps and offline times take one
 *                         of WORLD_DRAWS_TICK_POINTS evenly spaced values of
 *                         their range; a class is chosen uniformly among the
 *                         enabled ones (weights are not used); a write is
 *                         chosen only when write_ratio is strictly between
 *                         0 and 1. See docs/world.md.
 */
enum world_draws {
	WORLD_DRAWS_SEED = 0,
	WORLD_DRAWS_SCHEDULE = 1,
};
#define WORLD_DRAWS_TICK_POINTS 8u

struct world_config {
	uint64_t seed;
	enum sim_mode mode;
	uint32_t vcpu_count;       /* 1 .. SIM_VCPU_COUNT_MAX */
	uint64_t step_count_max;   /* 0: engine default */
	uint32_t trace_ring_size;  /* trace events kept (0: engine default) */
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
	struct world_events events;
	uint32_t inject_mask;                 /* WORLD_INJECT_* on in this execution */
	struct sim_ratio alloc_fail_ratio;    /* with WORLD_INJECT_ALLOC_FAIL (replaces
					       * kshim.alloc_fail_ratio while events run) */
	struct sim_ratio irq_delay_take_ratio; /* with WORLD_INJECT_IRQ_DELAY: the strategy's
						* chance to take a deliverable interrupt
						* (world_strategy_config()) */
	struct sim_ratio sdei_fail_ratio;     /* with WORLD_INJECT_SDEI_FAIL (replaces
					       * kvm.sdei_fail_ratio while events run) */
	/*
	 * Liveness phase: once the events are done (or every user task is),
	 * events and injections are off and every task must finish and the
	 * system drain within this many ticks; 0: WORLD_LIVENESS_TICKS_DEFAULT.
	 */
	uint64_t liveness_ticks;
	/* Oracles on (bit n = world_oracle_list()[n]); see sim/world_oracle.h. */
	uint32_t oracle_mask;
	/* irq-storm oracle: deliveries of the page-ready PPI on a vCPU without a
	 * page-ready post or IRQ_ACK in between before it is a finding (0: 16). */
	uint32_t irq_storm_bound;
	/* Where the world's own random draws come from (enum world_draws). */
	enum world_draws draws;
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
	/* Events and liveness. */
	uint64_t events_fired[WORLD_EVENT_CLASS_COUNT];
	uint64_t events_refused;    /* an event's call was refused (e.g. the last online CPU) */
	bool liveness_started;      /* events and injections were switched off */
	uint64_t liveness_start_tick;
	uint64_t drain_ticks;       /* from the liveness start until the teardown finished */
	/* Slot exhaustion [R§9]. */
	uint32_t guest_table_max;   /* most entries seen in one CPU's guest table */
	uint32_t guest_table_capacity;
	uint64_t guest_table_full;  /* guest: page-not-present with a full table */
	uint64_t host_queue_full;   /* host: faults handled synchronously at the 64-work limit */
	uint64_t alloc_failed;      /* allocations failed by injection */
};

/** world_event_class_name() - "hotplug", "disable", "reset", "migrate", "reboot", "crash". */
const char *world_event_class_name(enum world_event_class event_class);
/** world_event_class_parse() - the class named @name, or -1. */
int world_event_class_parse(const char *name);
/** world_inject_name() - "alloc-fail" (bit 0), "irq-delay" (bit 1), "sdei-fail" (bit 2); NULL if unknown. */
const char *world_inject_name(uint32_t bit_index);
/** world_inject_parse() - the WORLD_INJECT_* bit named @name, or 0. */
uint32_t world_inject_parse(const char *name);
/** world_draws_name() - "seed", "schedule"; "unknown" for another value. */
const char *world_draws_name(enum world_draws draws);
/** world_draws_parse() - the enum world_draws named @name, or -1. */
int world_draws_parse(const char *name);

/**
 * world_swarm() - swarm testing: keep a random subset of @config's event
 * classes and injections, drawn from @swarm_seed alone (each class and each
 * injection kept with chance 1/2), so the same seed gives the same subset.
 */
void world_swarm(struct world_config *config, uint64_t swarm_seed);

/**
 * world_swarm_banner() - "events: hotplug,migrate; inject: alloc-fail"
 * ("none" for an empty set). Return: the length snprintf() would write.
 */
int world_swarm_banner(const struct world_config *config, char *buf, size_t size);

/**
 * world_strategy_config() - the strategy options @config implies (the irq
 * take ratio under WORLD_INJECT_IRQ_DELAY); the other fields are left as
 * they are.
 */
struct sim_strategy_config;
void world_strategy_config(const struct world_config *config, struct sim_strategy_config *out);

/**
 * world_cmdline_has() - is @word one whole space-separated word of
 * @config->cmdline (the guest kernel command line)? False for NULL or an
 * unterminated command line.
 */
bool world_cmdline_has(const struct world_config *config, const char *word);

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

const struct world_config *world_config(const struct world *world);
struct sim *world_sim(const struct world *world);
struct sim_platform *world_platform(const struct world *world);
struct kshim *world_kshim(const struct world *world);
struct kvm_sim *world_kvm(const struct world *world);
const struct world_stats *world_stats(const struct world *world);

void world_destroy(struct world *world);

#endif /* SIM_WORLD_H */

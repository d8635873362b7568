/* SPDX-License-Identifier: MIT */
/*
 * The world event class "crash" (world_crash.c; docs/world.md): a CPU's
 * kernel dies without disabling async PF and a fresh kernel on that CPU
 * registers again, as after kexec or a crash kernel [R§9.9, R§10.19,
 * R§10.20]. Bug zoo entries 07 and 08 (docs/bugzoo.md).
 */
#ifndef SIM_WORLD_CRASH_H
#define SIM_WORLD_CRASH_H

#include <stdint.h>

struct sim_prng;
struct world;

/*
 * Finding: after the new kernel's enable on a CPU, the host still holds the
 * dead kernel's control block at another address [R§9.9, R§10.19].
 */
#define WORLD_FINDING_STALE_REGISTRATION "stale-registration"

/* How the fresh kernel reaches the CPU (one is drawn per event). */
enum world_crash_kind {
	WORLD_CRASH_RESET_SAME = 0, /* PSCI CPU_OFF/CPU_ON (vCPU reset); slot at the same GPA */
	WORLD_CRASH_RESET_MOVED,    /* PSCI CPU_OFF/CPU_ON; the old slot was at another GPA */
	WORLD_CRASH_INPLACE_MOVED,  /* no reset (the CPU that ran kexec); old slot elsewhere */
	WORLD_CRASH_KIND_COUNT,
};

/* Counters over every execution of this process (monotonic; for tests). */
struct world_crash_counts {
	uint64_t fired[WORLD_CRASH_KIND_COUNT];
	uint64_t refused;
	/* After the fresh kernel's enable: the host's registration is the new
	 * kernel's slot, enabled (checked; a mismatch is only counted here). */
	uint64_t host_checked;
	uint64_t host_matched;
};

/*
 * Fire a crash on @cpu from the events task. Return: 0 (fired), -EBUSY or
 * -ENXIO (refused: the last CPU up, offline, no async PF on @cpu), or
 * -ECANCELED (a step the model cannot refuse failed: already reported as
 * the finding "event").
 */
int world_crash(struct world *world, unsigned int cpu, struct sim_prng *prng);

/* A copy of the process-wide counters. */
struct world_crash_counts world_crash_counts(void);

#endif /* SIM_WORLD_CRASH_H */

/* SPDX-License-Identifier: MIT */
/*
 * A guest SDEI probe inside a world execution: an event left pending on a
 * masked PE must wait for PE_UNMASK (world_sdei.c; bug zoo entry 12,
 * docs/bugzoo.md).
 */
#ifndef SIM_WORLD_SDEI_H
#define SIM_WORLD_SDEI_H

#include <stdbool.h>
#include <stdint.h>

struct world;
struct world_config;

/* Finding: an SDEI handler ran while its PE was masked. */
#define WORLD_FINDING_SDEI_MASKED "sdei-masked-dispatch"
/* Finding: after PE_UNMASK the deferred event stayed pending, not dispatched. */
#define WORLD_FINDING_SDEI_UNMASK_LOST "sdei-unmask-lost"

/* The command-line word that turns the probe on (until a scenario field exists). */
#define WORLD_SDEI_CMDLINE_WORD "apfsim.sdeiprobe"

/* Rounds of mask / trigger / unmask per execution. */
#define WORLD_SDEI_ROUNDS 3u

/* Is @config's command line asking for the SDEI probe? */
bool world_sdei_wanted(const struct world_config *config);

/*
 * The private PPI the probe binds: the first of 21, 20, 19 that is not the
 * configured page-ready PPI.
 */
uint32_t world_sdei_intid(const struct world_config *config);

/*
 * Spawn the guest kernel thread "sdei-probe" on the last vCPU. Return: 0,
 * or -EAGAIN when the thread cannot be created.
 */
int world_sdei_spawn(struct world *world);

/*
 * Counters of this process (monotonic, for tests; no effect on any
 * execution): rounds the probe completed with the event deferred while
 * masked and dispatched after PE_UNMASK, and probes that gave up (a setup
 * call failed or the thread left its CPU).
 */
unsigned long world_sdei_rounds_checked(void);
unsigned long world_sdei_probes_skipped(void);

#endif /* SIM_WORLD_SDEI_H */

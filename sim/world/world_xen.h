/* SPDX-License-Identifier: MIT */
/*
 * The Xen shim's hypercall-page slot exercised inside a world execution
 * (world_xen.c; bug zoo entry 13, docs/bugzoo.md).
 */
#ifndef SIM_WORLD_XEN_H
#define SIM_WORLD_XEN_H

#include <stdbool.h>

struct world;
struct world_config;

/* Finding: a hypercall did not reach the page the slot should have active. */
#define WORLD_FINDING_XENSHIM_PAGE "xenshim-page-lost"

/* The command-line word that turns the exercise on (until a scenario field exists). */
#define WORLD_XEN_CMDLINE_WORD "apfsim.xenshim"

/* Is @config's command line asking for the Xen-shim exercise? */
bool world_xen_wanted(const struct world_config *config);

/*
 * Spawn the host thread "xen-lcall" that runs the register / unregister
 * sequences. Return: 0, or -EAGAIN when the thread cannot be created.
 */
int world_xen_spawn(struct world *world);

/*
 * Hypercalls checked by the exercise so far in this process (monotonic,
 * for tests: proves the thread ran). No effect on any execution.
 */
unsigned long world_xen_checks(void);

#endif /* SIM_WORLD_XEN_H */

/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/cpuhotplug.h. The CPU hotplug state machine of
 * the execution (sim/kshim/cpuhp.c): only the AP states that run on the CPU
 * itself are modelled (CPUHP_AP_OFFLINE < state < CPUHP_ONLINE); the
 * STARTING section (below CPUHP_AP_ONLINE) runs with interrupts masked.
 * The platform drives it with kshim_cpuhp_online()/kshim_cpuhp_offline()
 * (sim/kshim.h). A failing startup rolls back as in the kernel.
 */
#ifndef __CPUHOTPLUG_H
#define __CPUHOTPLUG_H

#include <linux/types.h>

enum cpuhp_state {
	CPUHP_INVALID = -1,
	CPUHP_OFFLINE = 0,
	CPUHP_BP_PREPARE_DYN,
	CPUHP_BP_PREPARE_DYN_END = CPUHP_BP_PREPARE_DYN + 20,
	CPUHP_BRINGUP_CPU,
	CPUHP_AP_OFFLINE,
	CPUHP_AP_IRQ_GIC_STARTING,
	CPUHP_AP_ARM_SDEI_STARTING,
	CPUHP_AP_ARM_ARCH_TIMER_STARTING,
	CPUHP_AP_ONLINE,
	CPUHP_TEARDOWN_CPU,
	CPUHP_AP_ONLINE_IDLE,
	CPUHP_AP_ONLINE_DYN,
	CPUHP_AP_ONLINE_DYN_END = CPUHP_AP_ONLINE_DYN + 30,
	CPUHP_ONLINE,
};

typedef int (*kshim_cpuhp_fn)(unsigned int cpu);

int kshim_cpuhp_setup(int state, const char *name, kshim_cpuhp_fn startup,
		      kshim_cpuhp_fn teardown, bool invoke, bool cpus_locked);
void kshim_cpuhp_remove(int state, bool invoke, bool cpus_locked);

/**
 * cpuhp_setup_state() - install a state and run @startup on every CPU that
 * is online, on that CPU.
 * @state: a static AP state, or CPUHP_AP_ONLINE_DYN for a dynamic one.
 * @name: a static string naming the state.
 * @startup: called on a CPU coming up (may be NULL).
 * @teardown: called on a CPU going down (may be NULL).
 *
 * A failing @startup is torn down again on the CPUs already done.
 * Context: may sleep (takes cpus_read_lock and the state mutex).
 * Return: the state number (> 0) for CPUHP_AP_ONLINE_DYN, 0 for a static
 * state, or a negative errno (-EINVAL, -EBUSY, -ENOSPC, or @startup's).
 */
static inline int cpuhp_setup_state(enum cpuhp_state state, const char *name,
				    int (*startup)(unsigned int cpu),
				    int (*teardown)(unsigned int cpu))
{
	return kshim_cpuhp_setup(state, name, startup, teardown, true, false);
}

static inline int cpuhp_setup_state_nocalls(enum cpuhp_state state, const char *name,
					    int (*startup)(unsigned int cpu),
					    int (*teardown)(unsigned int cpu))
{
	return kshim_cpuhp_setup(state, name, startup, teardown, false, false);
}

static inline int cpuhp_setup_state_cpuslocked(enum cpuhp_state state, const char *name,
					       int (*startup)(unsigned int cpu),
					       int (*teardown)(unsigned int cpu))
{
	return kshim_cpuhp_setup(state, name, startup, teardown, true, true);
}

static inline int cpuhp_setup_state_nocalls_cpuslocked(enum cpuhp_state state,
						       const char *name,
						       int (*startup)(unsigned int cpu),
						       int (*teardown)(unsigned int cpu))
{
	return kshim_cpuhp_setup(state, name, startup, teardown, false, true);
}

/**
 * cpuhp_remove_state() - run the teardown of @state on every online CPU,
 * on that CPU, then remove the state.
 * @state: a state returned by / passed to cpuhp_setup_state*().
 *
 * Context: may sleep.
 */
static inline void cpuhp_remove_state(enum cpuhp_state state)
{
	kshim_cpuhp_remove(state, true, false);
}

static inline void cpuhp_remove_state_nocalls(enum cpuhp_state state)
{
	kshim_cpuhp_remove(state, false, false);
}

static inline void cpuhp_remove_state_nocalls_cpuslocked(enum cpuhp_state state)
{
	kshim_cpuhp_remove(state, false, true);
}

#endif /* __CPUHOTPLUG_H */

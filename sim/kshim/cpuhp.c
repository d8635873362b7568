// SPDX-License-Identifier: MIT
/*
 * The CPU hotplug state machine of an execution (the kernel's
 * kernel/cpu.c, AP states only). A state is a slot with startup and
 * teardown callbacks; done[state][cpu] records that @cpu is past the state,
 * so its teardown runs when @cpu goes down, whether the startup ran
 * (cpuhp_setup_state) or not (the _nocalls variant), as in the kernel where
 * the CPU's state is simply above the new one.
 *
 * Callbacks for a CPU always run on that CPU: kshim_cpuhp_online/offline()
 * are called on it by the platform, cpuhp_setup_state() and
 * cpuhp_remove_state() send them with kshim__on_cpu_sleepable(). Everything
 * that runs callbacks for a CPU holds that CPU's cpuhp_cpu_lock (a mutex),
 * so a state added while the CPU comes up is started exactly once. Setup
 * and removal are serialised by cpuhp_state_lock. STARTING states (below
 * CPUHP_AP_ONLINE) run with interrupts masked, the others may sleep.
 */
#include <errno.h>
#include <string.h>

#include <linux/cpuhotplug.h>
#include <linux/kshim.h>
#include <linux/spinlock.h>

#include "core_private.h"
#include "sim/assert.h"
#include "sim/sim.h"

#define STATE_FIRST (CPUHP_AP_OFFLINE + 1)
#define STATE_LAST (CPUHP_ONLINE - 1)

struct cpuhp_call {
	struct kshim *kshim;
	int state;
	unsigned int cpu;
	bool bringup;
	int ret;
};

static bool state_is_starting(int state)
{
	return state > CPUHP_AP_OFFLINE && state < CPUHP_AP_ONLINE;
}

static const char *step_name(struct kshim_core *core, int state)
{
	const char *name;

	pthread_mutex_lock(&core->mutex);
	name = core->steps[state].name;
	pthread_mutex_unlock(&core->mutex);
	return name != NULL ? name : "-";
}

static int callback_call(kshim_cpuhp_fn fn, unsigned int cpu, bool starting)
{
	unsigned long flags;
	int ret;

	if (!starting)
		return fn(cpu);
	flags = kshim_irq_save();
	ret = fn(cpu);
	kshim_irq_restore(flags);
	return ret;
}

/*
 * With @cpu's cpuhp_cpu_lock held, on @cpu: run the startup (@bringup) or
 * teardown of @state if @cpu is not yet / still past it, and record it.
 * @require_up: a startup only for a CPU that is up (calls from setup).
 */
static int step_run_locked(struct kshim *kshim, int state, unsigned int cpu, bool bringup,
			   bool require_up)
{
	struct kshim_core *core = kshim->core;
	kshim_cpuhp_fn fn;
	int ret = 0;

	SIM_ASSERT(state >= STATE_FIRST && state <= STATE_LAST);
	SIM_ASSERT(cpu < SIM_VCPU_COUNT_MAX);
	pthread_mutex_lock(&core->mutex);
	if (bringup && (!core->steps[state].installed || core->cpuhp_done[state][cpu] ||
			(require_up && !core->cpu_up[cpu]))) {
		pthread_mutex_unlock(&core->mutex);
		return 0;
	}
	if (!bringup && !core->cpuhp_done[state][cpu]) {
		pthread_mutex_unlock(&core->mutex);
		return 0;
	}
	fn = bringup ? core->steps[state].startup : core->steps[state].teardown;
	pthread_mutex_unlock(&core->mutex);
	if (fn != NULL)
		ret = callback_call(fn, cpu, state_is_starting(state));
	if (ret == 0) {
		pthread_mutex_lock(&core->mutex);
		core->cpuhp_done[state][cpu] = bringup;
		pthread_mutex_unlock(&core->mutex);
	}
	return ret;
}

static void step_trampoline(void *arg)
{
	struct cpuhp_call *call = arg;
	struct kshim_core *core = call->kshim->core;

	kshim_lock_acquire(&core->cpuhp_cpu_lock[call->cpu]);
	call->ret = step_run_locked(call->kshim, call->state, call->cpu, call->bringup, true);
	kshim_lock_release(&core->cpuhp_cpu_lock[call->cpu]);
}

/* Run one step for @cpu on @cpu; a CPU that went offline is skipped. */
static int step_on_cpu(struct kshim *kshim, int state, unsigned int cpu, bool bringup)
{
	struct cpuhp_call call = {
		.kshim = kshim, .state = state, .cpu = cpu, .bringup = bringup, .ret = 0,
	};
	int ret;

	ret = kshim__on_cpu_sleepable(kshim, cpu, step_trampoline, &call);
	if (ret == -ENXIO)
		return 0;
	return ret != 0 ? ret : call.ret;
}

/* Mark @state passed (@done) on every CPU that is up, without callbacks. */
static void step_mark_all(struct kshim *kshim, int state, bool done)
{
	struct kshim_core *core = kshim->core;
	unsigned int cpu_count = sim_vcpu_count(kshim->sim);
	unsigned int cpu;

	for (cpu = 0; cpu < cpu_count; cpu++) {
		kshim_lock_acquire(&core->cpuhp_cpu_lock[cpu]);
		pthread_mutex_lock(&core->mutex);
		core->cpuhp_done[state][cpu] = done && core->cpu_up[cpu];
		pthread_mutex_unlock(&core->mutex);
		kshim_lock_release(&core->cpuhp_cpu_lock[cpu]);
	}
}

/* Teardown of @state on every CPU past it (on that CPU), then free the slot. */
static void step_remove(struct kshim *kshim, int state, bool invoke)
{
	struct kshim_core *core = kshim->core;
	unsigned int cpu_count = sim_vcpu_count(kshim->sim);
	unsigned int cpu;
	bool done;
	int ret;

	pthread_mutex_lock(&core->mutex);
	core->steps[state].installed = false;
	pthread_mutex_unlock(&core->mutex);
	for (cpu = 0; invoke && cpu < cpu_count; cpu++) {
		pthread_mutex_lock(&core->mutex);
		done = core->cpuhp_done[state][cpu];
		pthread_mutex_unlock(&core->mutex);
		if (!done)
			continue;
		ret = step_on_cpu(kshim, state, cpu, false);
		if (ret != 0)
			kshim_printk("warn", "cpuhp: teardown of %s on CPU%u failed: %d\n",
				     step_name(core, state), cpu, ret);
	}
	step_mark_all(kshim, state, false);
	pthread_mutex_lock(&core->mutex);
	memset(&core->steps[state], 0, sizeof(core->steps[state]));
	pthread_mutex_unlock(&core->mutex);
}

/* A free slot for @state (the first free dynamic one), or a negative errno. */
static int step_claim(struct kshim_core *core, int state, const char *name,
		      kshim_cpuhp_fn startup, kshim_cpuhp_fn teardown)
{
	int slot = -ENOSPC;
	int s;

	pthread_mutex_lock(&core->mutex);
	if (state == CPUHP_AP_ONLINE_DYN) {
		for (s = CPUHP_AP_ONLINE_DYN; s < CPUHP_AP_ONLINE_DYN_END; s++) {
			if (!core->steps[s].used) {
				slot = s;
				break;
			}
		}
	} else {
		slot = core->steps[state].used ? -EBUSY : state;
	}
	if (slot >= 0) {
		core->steps[slot].name = name;
		core->steps[slot].startup = startup;
		core->steps[slot].teardown = teardown;
		core->steps[slot].used = true;
		core->steps[slot].installed = true;
	}
	pthread_mutex_unlock(&core->mutex);
	return slot;
}

/**
 * kshim_cpuhp_setup() - cpuhp_setup_state() and its variants; see
 * <linux/cpuhotplug.h>. Outside an execution nothing is recorded.
 */
int kshim_cpuhp_setup(int state, const char *name, kshim_cpuhp_fn startup,
		      kshim_cpuhp_fn teardown, bool invoke, bool cpus_locked)
{
	bool dynamic = state == CPUHP_AP_ONLINE_DYN;
	unsigned int cpu_count;
	struct kshim_core *core;
	struct kshim *kshim;
	unsigned int cpu;
	int slot;
	int ret;

	(void)cpus_locked; /* hotplug is serialised per CPU here */
	if (name == NULL || !(dynamic || state_is_starting(state))) {
		kshim_printk("err", "cpuhp_setup_state(%d, %s): only CPUHP_AP_ONLINE_DYN and the "
				    "STARTING states are modelled\n",
			     state, name != NULL ? name : "NULL");
		return -EINVAL;
	}
	core = kshim__core_self(&kshim);
	if (core == NULL)
		return dynamic ? CPUHP_AP_ONLINE_DYN : 0;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&core->cpuhp_state_lock);
	slot = step_claim(core, state, name, startup, teardown);
	if (slot < 0) {
		kshim_lock_release(&core->cpuhp_state_lock);
		return slot;
	}
	ret = dynamic ? slot : 0;
	cpu_count = sim_vcpu_count(kshim->sim);
	if (!invoke || startup == NULL) {
		step_mark_all(kshim, slot, true);
		kshim_lock_release(&core->cpuhp_state_lock);
		return ret;
	}
	for (cpu = 0; cpu < cpu_count; cpu++) {
		int err;

		if (!sim_vcpu_online(kshim->sim, cpu))
			continue;
		err = step_on_cpu(kshim, slot, cpu, true);
		if (err != 0) {
			kshim_printk("warn", "cpuhp_setup_state(%s): startup on CPU%u failed: %d\n",
				     name, cpu, err);
			step_remove(kshim, slot, true); /* rolls back the CPUs done */
			ret = err;
			break;
		}
	}
	kshim_lock_release(&core->cpuhp_state_lock);
	return ret;
}

/**
 * kshim_cpuhp_remove() - cpuhp_remove_state() and its variants.
 */
void kshim_cpuhp_remove(int state, bool invoke, bool cpus_locked)
{
	struct kshim_core *core;
	struct kshim *kshim;
	bool used;

	(void)cpus_locked;
	if (state < STATE_FIRST || state > STATE_LAST) {
		kshim_warn(__FILE__, __LINE__, "cpuhp_remove_state(%d): invalid state", state);
		return;
	}
	core = kshim__core_self(&kshim);
	if (core == NULL)
		return;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&core->cpuhp_state_lock);
	pthread_mutex_lock(&core->mutex);
	used = core->steps[state].used;
	pthread_mutex_unlock(&core->mutex);
	if (used)
		step_remove(kshim, state, invoke);
	else
		kshim_warn(__FILE__, __LINE__, "cpuhp_remove_state(%d): not set up", state);
	kshim_lock_release(&core->cpuhp_state_lock);
}

static bool hotplug_caller_ok(struct kshim *kshim, unsigned int cpu, const char *what)
{
	if (kshim == NULL || sim_self() != kshim->sim || cpu >= sim_vcpu_count(kshim->sim) ||
	    sim_self_vcpu() != (int)cpu) {
		kshim_printk("err", "%s(CPU%u): call it on that CPU, inside the execution\n", what,
			     cpu);
		return false;
	}
	return true;
}

/* Undo a partial bring-up: teardown of the states below @state, in reverse. */
static void online_rollback(struct kshim *kshim, unsigned int cpu, int state)
{
	int s;

	for (s = state - 1; s >= STATE_FIRST; s--) {
		int ret = step_run_locked(kshim, s, cpu, false, false);

		if (ret != 0)
			kshim_printk("warn", "CPU%u: rollback teardown of state %d failed: %d\n",
				     cpu, s, ret);
	}
}

/**
 * kshim_cpuhp_online() - see sim/kshim.h.
 */
int kshim_cpuhp_online(struct kshim *kshim, unsigned int cpu)
{
	struct kshim_core *core;
	int ret = 0;
	bool up;
	int s;

	if (!hotplug_caller_ok(kshim, cpu, "kshim_cpuhp_online"))
		return -EINVAL;
	core = kshim->core;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&core->cpuhp_cpu_lock[cpu]);
	pthread_mutex_lock(&core->mutex);
	up = core->cpu_up[cpu];
	pthread_mutex_unlock(&core->mutex);
	for (s = STATE_FIRST; !up && s <= STATE_LAST; s++) {
		ret = step_run_locked(kshim, s, cpu, true, false);
		if (ret != 0) {
			kshim_printk("warn", "CPU%u: startup of state %d (%s) failed: %d\n", cpu, s,
				     step_name(core, s), ret);
			online_rollback(kshim, cpu, s);
			break;
		}
	}
	if (!up && ret == 0) {
		pthread_mutex_lock(&core->mutex);
		core->cpu_up[cpu] = true;
		pthread_mutex_unlock(&core->mutex);
	}
	kshim_lock_release(&core->cpuhp_cpu_lock[cpu]);
	return ret;
}

/* Undo a partial take-down: startup of the states above @state again. */
static void offline_rollback(struct kshim *kshim, unsigned int cpu, int state)
{
	int s;

	for (s = state + 1; s <= STATE_LAST; s++) {
		int ret = step_run_locked(kshim, s, cpu, true, false);

		if (ret != 0)
			kshim_printk("warn", "CPU%u: rollback startup of state %d failed: %d\n",
				     cpu, s, ret);
	}
}

static uint32_t cpus_up_count(struct kshim *kshim)
{
	struct kshim_core *core = kshim->core;
	unsigned int cpu_count = sim_vcpu_count(kshim->sim);
	uint32_t count = 0;
	unsigned int cpu;

	pthread_mutex_lock(&core->mutex);
	for (cpu = 0; cpu < cpu_count; cpu++)
		count += core->cpu_up[cpu];
	pthread_mutex_unlock(&core->mutex);
	return count;
}

/**
 * kshim_cpuhp_offline() - see sim/kshim.h.
 */
int kshim_cpuhp_offline(struct kshim *kshim, unsigned int cpu)
{
	struct kshim_core *core;
	int ret = 0;
	bool up;
	int s;

	if (!hotplug_caller_ok(kshim, cpu, "kshim_cpuhp_offline"))
		return -EINVAL;
	core = kshim->core;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&core->cpuhp_cpu_lock[cpu]);
	pthread_mutex_lock(&core->mutex);
	up = core->cpu_up[cpu];
	pthread_mutex_unlock(&core->mutex);
	if (up && cpus_up_count(kshim) <= 1) {
		kshim_lock_release(&core->cpuhp_cpu_lock[cpu]);
		return -EBUSY;
	}
	for (s = STATE_LAST; up && s >= STATE_FIRST; s--) {
		ret = step_run_locked(kshim, s, cpu, false, false);
		if (ret != 0) {
			kshim_printk("warn", "CPU%u: teardown of state %d (%s) failed: %d\n", cpu, s,
				     step_name(core, s), ret);
			offline_rollback(kshim, cpu, s);
			break;
		}
	}
	if (up && ret == 0) {
		pthread_mutex_lock(&core->mutex);
		core->cpu_up[cpu] = false;
		pthread_mutex_unlock(&core->mutex);
	}
	kshim_lock_release(&core->cpuhp_cpu_lock[cpu]);
	return ret;
}

/**
 * kshim_cpuhp_cpu_up() - see sim/kshim.h.
 */
bool kshim_cpuhp_cpu_up(const struct kshim *kshim, unsigned int cpu)
{
	bool up;

	SIM_ASSERT(kshim != NULL && kshim->core != NULL);
	if (cpu >= SIM_VCPU_COUNT_MAX)
		return false;
	pthread_mutex_lock(&kshim->core->mutex);
	up = kshim->core->cpu_up[cpu];
	pthread_mutex_unlock(&kshim->core->mutex);
	return up;
}

/**
 * kshim__cpuhp_init() - every vCPU online in the engine starts up (booted).
 */
void kshim__cpuhp_init(struct kshim *kshim)
{
	struct kshim_core *core = kshim->core;
	unsigned int cpu_count = sim_vcpu_count(kshim->sim);
	unsigned int cpu;

	SIM_ASSERT(cpu_count <= SIM_VCPU_COUNT_MAX);
	kshim_lock_init(&core->cpuhp_state_lock, "mutex cpuhp_state_mutex", 1);
	kshim_lock_init(&core->reboot_lock, "mutex reboot_notifier_list", 1);
	for (cpu = 0; cpu < SIM_VCPU_COUNT_MAX; cpu++)
		kshim_lock_init(&core->cpuhp_cpu_lock[cpu], "mutex cpuhp cpu", 1);
	for (cpu = 0; cpu < cpu_count; cpu++)
		core->cpu_up[cpu] = sim_vcpu_online(kshim->sim, cpu);
}

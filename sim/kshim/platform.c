// SPDX-License-Identifier: MIT
/*
 * The kernel-API layer bound to the simulated platform: attach (guest ops,
 * GIC and SDEI boot state, per-CPU units moved into guest memory), the
 * per-task PSTATE kept across the places where a task gives up its vCPU,
 * the interrupt mask on PSTATE.I, user mode, kshim_on_cpu() over one worker
 * task per CPU, and CPU hotplug driven through PSCI.
 *
 * A task's PSTATE (exception level and I bit) lives in the vCPU registers
 * while the task runs; every kshim point where it may give up the vCPU
 * (schedule, resched, sleep, a contended mutex, an HVC that may migrate it)
 * saves it into the task_struct before and loads it into the registers of
 * the vCPU it runs on afterwards. See docs/kshim.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/memory.h>
#include <linux/bug.h>
#include <linux/kshim.h>
#include <linux/printk.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "kshim_platform.h"
#include "proto/psci.h"
#include "proto/sdei.h"
#include "sim/assert.h"
#include "sim/sim.h"
#include "sim/trace.h"

#define PSTATE_TASK_BITS (SIM_PSTATE_M_MASK | SIM_PSTATE_I)

static const struct kshim_platform_stats stats_zero;

struct kshim_plat *kshim__plat_self(void)
{
	struct kshim *kshim = kshim__self();

	return kshim != NULL ? kshim->plat : NULL;
}

/* The caller's vCPU if it is a guest task of @plat's execution, else -1. */
static int self_task_vcpu(const struct kshim_plat *plat)
{
	int vcpu = sim_self_vcpu();

	if (plat == NULL || vcpu < 0)
		return -1;
	if (sim_thread_kind(plat->sim, sim_self_id()) != SIM_THREAD_TASK)
		return -1;
	SIM_ASSERT((uint32_t)vcpu < plat->vcpu_count);
	return vcpu;
}

static struct sim_arm_regs *vcpu_regs(struct kshim_plat *plat, uint32_t vcpu)
{
	return sim_platform_regs(plat->platform, vcpu);
}

/* ---- PSTATE of tasks ---- */

/**
 * kshim__pstate_save() - before a task may give up its vCPU: its EL and I
 * bit (also kept in task_struct.kshim_pstate, for inspection).
 *
 * Return: the bits, or KSHIM_PSTATE_NONE when the caller is not a guest
 * task of an attached kshim.
 */
uint64_t kshim__pstate_save(struct kshim *kshim)
{
	struct kshim_plat *plat = kshim != NULL ? kshim->plat : NULL;
	struct task_struct *task;
	int vcpu = self_task_vcpu(plat);

	if (vcpu < 0)
		return KSHIM_PSTATE_NONE;
	task = kshim_current();
	task->kshim_pstate = vcpu_regs(plat, (uint32_t)vcpu)->pstate & PSTATE_TASK_BITS;
	task->kshim_pstate_valid = 1;
	return task->kshim_pstate;
}

/**
 * kshim__pstate_load() - after a task got a vCPU back (maybe another one):
 * @saved (from kshim__pstate_save()) goes into that vCPU's PSTATE.
 */
void kshim__pstate_load(struct kshim *kshim, uint64_t saved)
{
	struct kshim_plat *plat = kshim != NULL ? kshim->plat : NULL;
	struct sim_arm_regs *regs;
	struct task_struct *task;
	int vcpu = self_task_vcpu(plat);

	if (vcpu < 0 || saved == KSHIM_PSTATE_NONE)
		return;
	SIM_ASSERT((saved & ~PSTATE_TASK_BITS) == 0);
	kshim__idle_handler_wait(kshim);
	vcpu = self_task_vcpu(plat);
	SIM_ASSERT(vcpu >= 0);
	regs = vcpu_regs(plat, (uint32_t)vcpu);
	regs->pstate = (regs->pstate & ~PSTATE_TASK_BITS) | saved;
	task = kshim_current();
	task->kshim_pstate = saved;
	task->kshim_pstate_valid = 1;
}

/* ---- Handlers on idle threads ---- */

bool kshim__idle_handler_enter(struct kshim_plat *plat, uint32_t vcpu)
{
	SIM_ASSERT(vcpu < plat->vcpu_count);
	if (sim_thread_kind(plat->sim, sim_self_id()) != SIM_THREAD_IDLE)
		return false;
	__atomic_fetch_add(&plat->idle_handler_depth[vcpu], 1, __ATOMIC_SEQ_CST);
	return true;
}

void kshim__idle_handler_exit(struct kshim_plat *plat, uint32_t vcpu, bool on_idle)
{
	struct kshim *kshim = plat->kshim;
	uint32_t *word = &plat->idle_handler_depth[vcpu];
	uint32_t count;
	uint32_t id;

	if (!on_idle)
		return;
	SIM_ASSERT(__atomic_load_n(word, __ATOMIC_SEQ_CST) > 0);
	if (__atomic_sub_fetch(word, 1, __ATOMIC_SEQ_CST) != 0)
		return;
	count = sim_thread_count(plat->sim);
	SIM_ASSERT(count <= SIM_THREAD_COUNT_MAX);
	for (id = 0; id < count; id++) {
		if (__atomic_load_n(&kshim->waiting_on[id], __ATOMIC_SEQ_CST) == word)
			(void)sim_wake(plat->sim, id);
	}
}

void kshim__idle_handler_wait(struct kshim *kshim)
{
	struct kshim_plat *plat = kshim != NULL ? kshim->plat : NULL;
	struct task_struct *task;
	uint32_t self = sim_self_id();
	uint32_t round;
	uint32_t *word;
	int vcpu;

	if (self_task_vcpu(plat) < 0)
		return;
	task = kshim_current();
	if (task->kshim_hardirq_depth != 0 || task->kshim_nmi_depth != 0)
		return;
	for (round = 0; round < KSHIM_WAIT_ROUND_MAX; round++) {
		vcpu = sim_self_vcpu();
		SIM_ASSERT(vcpu >= 0);
		word = &plat->idle_handler_depth[vcpu];
		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) == 0)
			return;
		__atomic_store_n(&kshim->waiting_on[self], word, __ATOMIC_SEQ_CST);
		sim_set_blocking("idle thread in a handler", word);
		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) == 0)
			sim_set_running();
		else
			sim_schedule();
		__atomic_store_n(&kshim->waiting_on[self], NULL, __ATOMIC_SEQ_CST);
	}
	sim_fail(plat->sim, SIM_FINDING_NO_PROGRESS, __FILE__, __LINE__,
		 "CPU%d: the idle thread's handler did not end", sim_self_vcpu());
}

/**
 * kshim__sim_schedule() - sim_schedule() as a give-up point of a task.
 */
void kshim__sim_schedule(struct kshim *kshim)
{
	struct kshim_plat *plat = kshim != NULL ? kshim->plat : NULL;
	int vcpu = self_task_vcpu(plat);
	uint64_t pstate = kshim__pstate_save(kshim);

	/* Host code in the middle of an exit (a flush, a mutex) blocks the
	 * vCPU's thread: the vCPU stays halted in the host, no other guest
	 * task runs on it meanwhile. */
	if (vcpu >= 0 && sim_platform_in_host(plat->platform, (uint32_t)vcpu))
		sim_schedule_halt();
	else
		sim_schedule();
	kshim__pstate_load(kshim, pstate);
}

/**
 * kshim__sim_resched() - sim_resched() as a give-up point of a task.
 */
void kshim__sim_resched(struct kshim *kshim)
{
	uint64_t pstate = kshim__pstate_save(kshim);

	sim_resched();
	kshim__pstate_load(kshim, pstate);
}

/* Set the running task's PSTATE bits (@bits within PSTATE_TASK_BITS). */
static void pstate_set(struct kshim_plat *plat, uint32_t vcpu, uint64_t bits)
{
	struct sim_arm_regs *regs = vcpu_regs(plat, vcpu);
	struct task_struct *task = kshim_current();

	SIM_ASSERT((bits & ~PSTATE_TASK_BITS) == 0);
	regs->pstate = (regs->pstate & ~PSTATE_TASK_BITS) | bits;
	task->kshim_pstate = bits;
	task->kshim_pstate_valid = 1;
}

/* Tasks spawned after attach start in EL1h with interrupts enabled. */
static void task_trampoline(void *arg)
{
	struct kshim_task_start *start = arg;
	struct kshim_plat *plat = start->plat;
	int vcpu = self_task_vcpu(plat);

	SIM_ASSERT(start->fn != NULL);
	if (vcpu >= 0) {
		kshim__idle_handler_wait(plat->kshim);
		vcpu = self_task_vcpu(plat);
		SIM_ASSERT(vcpu >= 0);
		pstate_set(plat, (uint32_t)vcpu, SIM_PSTATE_EL1h);
	}
	start->fn(start->arg);
}

/**
 * kshim__task_wrap() - called by kshim_spawn_task(): when attached, start
 * the task through a trampoline that loads its initial PSTATE.
 */
void kshim__task_wrap(struct kshim *kshim, sim_thread_fn *fn, void **arg)
{
	struct kshim_plat *plat = kshim->plat;
	uint32_t slot;

	SIM_ASSERT(*fn != NULL);
	if (plat == NULL)
		return;
	slot = __atomic_fetch_add(&plat->start_count, 1, __ATOMIC_SEQ_CST);
	if (slot >= SIM_THREAD_COUNT_MAX)
		return; /* the spawn fails on the engine's own limit */
	plat->starts[slot] = (struct kshim_task_start){ .plat = plat, .fn = *fn, .arg = *arg };
	*fn = task_trampoline;
	*arg = &plat->starts[slot];
}

/* ---- Interrupt mask ---- */

bool kshim__plat_in_host(const struct kshim_plat *plat, uint32_t vcpu)
{
	return sim_platform_in_host(plat->platform, vcpu);
}

/**
 * kshim__plat_irq_save() - local_irq_save() on a vCPU: PSTATE.I, or the
 * host's own mask while the vCPU is in host mode (host code must not change
 * the guest's PSTATE).
 */
bool kshim__plat_irq_save(struct kshim_plat *plat, uint32_t vcpu)
{
	bool was_off;

	if (kshim__plat_in_host(plat, vcpu)) {
		was_off = plat->host_irqs_off[vcpu];
		plat->host_irqs_off[vcpu] = true;
		return was_off;
	}
	return sim_platform_irq_save(plat->platform) != 0;
}

/**
 * kshim__plat_irq_restore() - local_irq_restore(); unmasking is a schedule
 * point where a pending interrupt may be taken.
 */
void kshim__plat_irq_restore(struct kshim_plat *plat, uint32_t vcpu, bool off)
{
	bool was_off;

	if (kshim__plat_in_host(plat, vcpu)) {
		was_off = plat->host_irqs_off[vcpu];
		plat->host_irqs_off[vcpu] = off;
		if (was_off && !off)
			sim_point(SIM_POINT_IRQ_UNMASK, "local_irq_restore (host)");
		return;
	}
	sim_platform_irq_restore(plat->platform, off ? SIM_PSTATE_I : 0);
}

bool kshim__plat_irqs_disabled(const struct kshim_plat *plat, uint32_t vcpu)
{
	if (kshim__plat_in_host(plat, vcpu))
		return plat->host_irqs_off[vcpu];
	return (sim_platform_regs(plat->platform, vcpu)->pstate & SIM_PSTATE_I) != 0;
}

/* ---- HVC and waiting ---- */

/**
 * kshim__hvc() - an HVC from the caller's vCPU; the caller may come back on
 * another vCPU (CPU_OFF) or after blocking in the host, so it is a give-up
 * point for the task's PSTATE.
 */
bool kshim__hvc(struct kshim_plat *plat, struct sim_smccc_regs *regs)
{
	uint64_t pstate = kshim__pstate_save(plat->kshim);
	bool returned;

	returned = sim_platform_hvc(plat->platform, regs);
	kshim__pstate_load(plat->kshim, pstate);
	return returned;
}

/**
 * kshim__wait_change() - block until *@word differs from @old; the waker
 * changes the word, then sim_wake()s the waiter. A give-up point.
 */
bool kshim__wait_change(struct kshim *kshim, const char *reason, const void *word_object,
			const uint64_t *word, uint64_t old)
{
	uint32_t round;

	for (round = 0; round < KSHIM_WAIT_ROUND_MAX; round++) {
		sim_set_blocking(reason, word_object);
		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) != old) {
			sim_set_running();
			return true;
		}
		kshim__sim_schedule(kshim);
	}
	sim_fail(kshim->sim, SIM_FINDING_NO_PROGRESS, __FILE__, __LINE__,
		 "%s: woken %u times without the change", reason, KSHIM_WAIT_ROUND_MAX);
	return false;
}

/* ---- kshim_on_cpu ---- */

static void on_cpu_run(struct kshim_plat *plat, void (*fn)(void *), void *arg, bool irqs_masked)
{
	unsigned long flags;

	if (irqs_masked) {
		flags = kshim_irq_save();
		fn(arg);
		kshim_irq_restore(flags);
	} else {
		fn(arg);
	}
	if (plat != NULL)
		__atomic_fetch_add(&plat->stats.on_cpu_count, 1, __ATOMIC_SEQ_CST);
}

static void worker_main(void *arg)
{
	struct kshim_cpu_worker *w = arg;
	struct kshim *kshim = kshim__self();
	struct kshim_plat *plat;
	uint64_t served = 0;
	uint64_t round;
	int vcpu;

	SIM_ASSERT(kshim != NULL && kshim->plat != NULL);
	plat = kshim->plat;
	vcpu = self_task_vcpu(plat);
	SIM_ASSERT(vcpu >= 0);
	pstate_set(plat, (uint32_t)vcpu, SIM_PSTATE_EL1h);
	for (round = 0; round < KSHIM_ON_CPU_CALL_COUNT_MAX; round++) {
		if (!kshim__wait_change(kshim, "kshim on_cpu idle", w, &w->request_seq, served))
			return;
		served = __atomic_load_n(&w->request_seq, __ATOMIC_SEQ_CST);
		if (sim_self_vcpu() != (int)w->cpu) {
			w->result = -ENXIO; /* the CPU went offline before the call ran */
		} else {
			on_cpu_run(plat, w->fn, w->arg, w->irqs_masked);
			w->result = 0;
		}
		w->call_count++;
		__atomic_fetch_add(&w->done_seq, 1, __ATOMIC_SEQ_CST);
		(void)sim_wake(plat->sim, w->caller);
	}
	sim_fail(plat->sim, SIM_FINDING_NO_PROGRESS, __FILE__, __LINE__,
		 "kshim on_cpu worker of CPU %u: more than %u calls", w->cpu,
		 KSHIM_ON_CPU_CALL_COUNT_MAX);
}

/* Make sure @w's task exists and will next run on its CPU. */
static int worker_prepare(struct kshim_plat *plat, struct kshim_cpu_worker *w)
{
	char name[SIM_THREAD_NAME_SIZE];
	struct sim_thread_attr attr = {
		.kind = SIM_THREAD_TASK, .name = name, .vcpu = w->cpu, .daemon = true,
	};
	uint32_t round;

	if (w->thread_id == SIM_THREAD_NONE) {
		snprintf(name, sizeof(name), "kshim-cpu/%u", w->cpu);
		w->thread_id = sim_spawn(plat->sim, &attr, worker_main, w);
		return w->thread_id == SIM_THREAD_NONE ? -EAGAIN : 0;
	}
	if (sim_thread_vcpu(plat->sim, w->thread_id) == (int)w->cpu)
		return 0;
	/* Moved away when its CPU went offline: bring it back once it sleeps
	 * (it always does in deterministic mode; free-run may need a moment). */
	for (round = 0; round < KSHIM_WAIT_ROUND_MAX; round++) {
		if (sim_thread_state(plat->sim, w->thread_id) == SIM_THREAD_BLOCKED)
			return sim_task_move(plat->sim, w->thread_id, w->cpu) == 0 ? 0 : -ENXIO;
		sim_yield();
	}
	return -EAGAIN;
}

static int on_cpu_remote(struct kshim_plat *plat, unsigned int cpu, void (*fn)(void *), void *arg,
			 bool irqs_masked)
{
	struct kshim_cpu_worker *w = &plat->workers[cpu];
	uint32_t current_id;
	uint64_t old_done;
	int ret;

	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&w->lock);
	if (!sim_vcpu_online(plat->sim, cpu)) {
		kshim_lock_release(&w->lock);
		return -ENXIO;
	}
	ret = worker_prepare(plat, w);
	if (ret != 0) {
		kshim_lock_release(&w->lock);
		return ret;
	}
	w->fn = fn;
	w->arg = arg;
	w->irqs_masked = irqs_masked;
	w->caller = sim_self_id();
	old_done = __atomic_load_n(&w->done_seq, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&w->request_seq, 1, __ATOMIC_SEQ_CST);
	(void)sim_wake(plat->sim, w->thread_id);
	/* A task running in user mode there yields at its next return to
	 * user, as a woken kthread preempts it on Linux. */
	current_id = sim_vcpu_current(plat->sim, cpu);
	if (current_id != SIM_THREAD_NONE && current_id != w->thread_id)
		(void)sim_platform_send_sgi(plat->platform, cpu, KSHIM_SGI_RESCHEDULE);
	if (kshim__wait_change(plat->kshim, "kshim on_cpu wait", w, &w->done_seq, old_done))
		ret = w->result;
	else
		ret = -EAGAIN;
	kshim_lock_release(&w->lock);
	return ret;
}

static int on_cpu(struct kshim *kshim, unsigned int cpu, void (*fn)(void *), void *arg,
		  bool irqs_masked)
{
	struct kshim *self = kshim__self();
	struct task_struct *task;
	int saved_cpu;

	if (fn == NULL)
		return -EINVAL;
	if (kshim == NULL)
		kshim = self;
	if (self == NULL || self->plat == NULL) {
		/* Outside an execution, or not attached: run on the caller with
		 * smp_processor_id() == @cpu. */
		if (kshim != self)
			return -EINVAL;
		if (cpu >= kshim_nr_cpu_ids())
			return -EINVAL;
		if (!kshim_cpu_online(cpu))
			return -ENXIO;
		task = kshim_current();
		saved_cpu = task->kshim_cpu;
		task->kshim_cpu = (int)cpu;
		on_cpu_run(NULL, fn, arg, irqs_masked);
		task->kshim_cpu = saved_cpu;
		return 0;
	}
	if (kshim != self || cpu >= self->plat->vcpu_count)
		return -EINVAL;
	if (!sim_vcpu_online(self->sim, cpu))
		return -ENXIO;
	if (sim_self_vcpu() == (int)cpu) {
		on_cpu_run(self->plat, fn, arg, irqs_masked);
		return 0;
	}
	return on_cpu_remote(self->plat, cpu, fn, arg, irqs_masked);
}

/**
 * kshim_on_cpu() - see kshim_private.h.
 */
int kshim_on_cpu(struct kshim *kshim, unsigned int cpu, void (*fn)(void *), void *arg)
{
	return on_cpu(kshim, cpu, fn, arg, true);
}

/**
 * kshim__on_cpu_sleepable() - see kshim_private.h.
 */
int kshim__on_cpu_sleepable(struct kshim *kshim, unsigned int cpu, void (*fn)(void *),
			    void *arg)
{
	return on_cpu(kshim, cpu, fn, arg, false);
}

/* ---- User mode ---- */

/**
 * kshim_user_enter() - see sim/kshim.h.
 */
void kshim_user_enter(void)
{
	struct kshim_plat *plat = kshim__plat_self();
	int vcpu = self_task_vcpu(plat);

	if (vcpu < 0) {
		WARN(1, "kshim_user_enter: not a guest task of an attached kshim");
		return;
	}
	WARN(kshim_irqs_disabled_self() || kshim_preempt_count() != 0,
	     "return to user with interrupts masked or preemption disabled");
	/* ret_to_user: the pending work first (flags, reschedule). */
	kshim_exit_to_user();
	vcpu = self_task_vcpu(plat);
	SIM_ASSERT(vcpu >= 0);
	pstate_set(plat, (uint32_t)vcpu, SIM_PSTATE_EL0t);
}

/**
 * kshim_user_exit() - see sim/kshim.h.
 */
void kshim_user_exit(void)
{
	struct kshim_plat *plat = kshim__plat_self();
	int vcpu = self_task_vcpu(plat);

	if (vcpu < 0) {
		WARN(1, "kshim_user_exit: not a guest task of an attached kshim");
		return;
	}
	pstate_set(plat, (uint32_t)vcpu, SIM_PSTATE_EL1h);
}

/**
 * kshim_user_touch() - see sim/kshim.h.
 */
int kshim_user_touch(uint64_t gpa, bool write)
{
	struct kshim_plat *plat = kshim__plat_self();
	int vcpu = self_task_vcpu(plat);
	uint64_t pstate;
	int ret;

	if (vcpu < 0) {
		pr_warn("kshim_user_touch: not a guest task of an attached kshim\n");
		return -EINVAL;
	}
	if (sim_arm_el(vcpu_regs(plat, (uint32_t)vcpu)->pstate) != 0) {
		pr_warn("kshim_user_touch: the task is not in user mode (kshim_user_enter)\n");
		return -EINVAL;
	}
	pstate = kshim__pstate_save(plat->kshim);
	ret = sim_platform_touch(plat->platform, gpa,
				 SIM_MEMORY_ACCESS_USER | (write ? SIM_MEMORY_ACCESS_WRITE : 0u));
	kshim__pstate_load(plat->kshim, pstate);
	return ret;
}

/* ---- Guest hooks ---- */

/*
 * An exception returns to EL0: do_notify_resume. The kernel part runs in
 * EL1h with interrupts enabled; the task then goes back to EL0 on whichever
 * vCPU it runs on by then.
 */
static void plat_return_to_user(void *ctx, uint32_t vcpu)
{
	struct kshim_plat *plat = ctx;
	uint32_t self = sim_self_id();
	uint64_t user_bits;
	int now;

	SIM_ASSERT(plat != NULL);
	/* An idle vCPU has no user task to return to. */
	if (sim_thread_kind(plat->sim, self) != SIM_THREAD_TASK ||
	    sim_vcpu_current(plat->sim, vcpu) != self)
		return;
	user_bits = vcpu_regs(plat, vcpu)->pstate & PSTATE_TASK_BITS;
	SIM_ASSERT(sim_arm_el(user_bits) == 0);
	plat->stats.return_to_user_count++;
	pstate_set(plat, vcpu, SIM_PSTATE_EL1h);
	kshim_exit_to_user();
	now = self_task_vcpu(plat);
	SIM_ASSERT(now >= 0);
	pstate_set(plat, (uint32_t)now, user_bits);
}

/*
 * PSCI CPU_ON entry (secondary_start_kernel), on the new "cpu-on" task:
 * GIC CPU interface, the SDEI driver's up step with interrupts masked
 * (CPUHP_AP_ARM_SDEI_STARTING), interrupts on, the online callbacks, then
 * whoever waits in kshim_cpu_up() is told.
 */
static void plat_cpu_entry(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t context_id)
{
	struct kshim_plat *plat = ctx;
	uint32_t waiter;
	int ret;

	SIM_ASSERT(plat != NULL);
	SIM_ASSERT(sim_self_vcpu() == (int)vcpu);
	if (entry != KSHIM_SECONDARY_ENTRY_POINT || context_id != vcpu)
		pr_warn("CPU%u: entered at %#llx with context %#llx (not kshim_cpu_up)\n", vcpu,
			(unsigned long long)entry, (unsigned long long)context_id);
	/* The power-on PSTATE: EL1h, DAIF masked. */
	pstate_set(plat, vcpu, vcpu_regs(plat, vcpu)->pstate & PSTATE_TASK_BITS);
	kshim__gic_cpu_init(plat, vcpu);
	ret = kshim__sdei_cpu_up(plat);
	if (ret != 0)
		pr_warn("CPU%u: SDEI up step failed: %d\n", vcpu, ret);
	kshim_irq_restore(0);
	ret = kshim_cpuhp_online(plat->kshim, vcpu);
	if (ret != 0)
		pr_warn("CPU%u: online callbacks failed: %d\n", vcpu, ret);
	plat->stats.cpu_up_count++;
	__atomic_fetch_add(&plat->up_seq[vcpu], 1, __ATOMIC_SEQ_CST);
	waiter = __atomic_load_n(&plat->up_waiter[vcpu], __ATOMIC_SEQ_CST);
	if (waiter != SIM_THREAD_NONE)
		(void)sim_wake(plat->sim, waiter);
}

/* PSCI SYSTEM_RESET / SYSTEM_OFF: the reboot notifier chain. */
static void plat_system_event(void *ctx, uint32_t vcpu, enum sim_psci_system_event event)
{
	struct kshim_plat *plat = ctx;

	SIM_ASSERT(plat != NULL);
	SIM_ASSERT(vcpu < plat->vcpu_count);
	(void)kshim_reboot(plat->kshim,
			   event == SIM_PSCI_SYSTEM_RESET ? SYS_RESTART : SYS_POWER_OFF);
}

static const struct sim_platform_guest_ops plat_guest_ops = {
	.irq_vector = kshim__irq_vector,
	.sdei_enter = kshim__sdei_enter,
	.cpu_entry = plat_cpu_entry,
	.system_event = plat_system_event,
	.return_to_user = plat_return_to_user,
};

/* ---- Hotplug ---- */

static int psci_to_errno(int64_t ret)
{
	switch (ret) {
	case PROTO_PSCI_RET_SUCCESS:
		return 0;
	case PROTO_PSCI_RET_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case PROTO_PSCI_RET_INVALID_PARAMS:
	case PROTO_PSCI_RET_INVALID_ADDRESS:
		return -EINVAL;
	case PROTO_PSCI_RET_DENIED:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

struct cpu_down_request {
	struct kshim_plat *plat;
	unsigned int cpu;
	int result;
};

/* On the dying CPU: teardown callbacks, SDEI down step, CPU_OFF. */
static void cpu_down_on_cpu(void *arg)
{
	struct cpu_down_request *req = arg;
	struct kshim_plat *plat = req->plat;
	struct sim_smccc_regs regs = { .x = { PROTO_PSCI_0_2_FN_CPU_OFF } };
	unsigned long flags;
	int ret;

	SIM_ASSERT(sim_self_vcpu() == (int)req->cpu);
	ret = kshim_cpuhp_offline(plat->kshim, req->cpu);
	if (ret != 0) {
		req->result = ret;
		return;
	}
	flags = kshim_irq_save();
	ret = kshim__sdei_cpu_down(plat);
	if (ret != 0)
		pr_warn("CPU%u: SDEI down step failed: %d\n", req->cpu, ret);
	(void)kshim__hvc(plat, &regs);
	ret = psci_to_errno((int64_t)regs.a[0]);
	if (ret != 0) {
		/* Still alive here: undo as cpu_down does when the CPU refuses. */
		pr_warn("CPU%u: CPU_OFF failed: %d\n", req->cpu, ret);
		(void)kshim__sdei_cpu_up(plat);
		kshim_irq_restore(flags);
		(void)kshim_cpuhp_online(plat->kshim, req->cpu);
		req->result = ret;
		return;
	}
	/* This task now runs on another CPU. */
	kshim_irq_restore(flags);
	plat->stats.cpu_down_count++;
	req->result = 0;
}

static struct kshim_plat *hotplug_caller(struct kshim *kshim, unsigned int cpu)
{
	struct kshim_plat *plat = kshim != NULL ? kshim->plat : NULL;

	if (plat == NULL || kshim != kshim__self() || cpu >= plat->vcpu_count ||
	    self_task_vcpu(plat) < 0) {
		pr_warn("kshim hotplug of CPU%u: needs a guest task of an attached kshim\n", cpu);
		return NULL;
	}
	return plat;
}

/**
 * kshim_cpu_down() - see sim/kshim.h.
 */
int kshim_cpu_down(struct kshim *kshim, unsigned int cpu)
{
	struct kshim_plat *plat = hotplug_caller(kshim, cpu);
	struct cpu_down_request req = { .plat = plat, .cpu = cpu, .result = 0 };
	unsigned int online = 0;
	unsigned int v;
	int ret;

	if (plat == NULL)
		return -EINVAL;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&plat->hotplug_mutex);
	for (v = 0; v < plat->vcpu_count; v++)
		online += sim_vcpu_online(plat->sim, v);
	if (!sim_vcpu_online(plat->sim, cpu))
		ret = -ENXIO;
	else if (online <= 1)
		ret = -EBUSY;
	else
		ret = kshim__on_cpu_sleepable(kshim, cpu, cpu_down_on_cpu, &req);
	if (ret == 0)
		ret = req.result;
	kshim_lock_release(&plat->hotplug_mutex);
	return ret;
}

struct cpu_cycle_request {
	struct kshim *kshim;
	unsigned int cpu;
	int result;
};

static void cpu_states_cycle_on_cpu(void *arg)
{
	struct cpu_cycle_request *req = arg;

	req->result = kshim_cpuhp_offline(req->kshim, req->cpu);
	if (req->result == 0)
		req->result = kshim_cpuhp_online(req->kshim, req->cpu);
}

/**
 * kshim_cpu_states_cycle() - see sim/kshim.h.
 */
int kshim_cpu_states_cycle(struct kshim *kshim, unsigned int cpu)
{
	struct kshim_plat *plat = hotplug_caller(kshim, cpu);
	struct cpu_cycle_request req = { .kshim = kshim, .cpu = cpu, .result = 0 };
	int ret;

	if (plat == NULL)
		return -EINVAL;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&plat->hotplug_mutex);
	if (!sim_vcpu_online(plat->sim, cpu))
		ret = -ENXIO;
	else
		ret = kshim__on_cpu_sleepable(kshim, cpu, cpu_states_cycle_on_cpu, &req);
	if (ret == 0)
		ret = req.result;
	kshim_lock_release(&plat->hotplug_mutex);
	return ret;
}

/**
 * kshim_cpu_up() - see sim/kshim.h.
 */
int kshim_cpu_up(struct kshim *kshim, unsigned int cpu)
{
	struct kshim_plat *plat = hotplug_caller(kshim, cpu);
	struct sim_smccc_regs regs = {
		.x = { PROTO_PSCI_0_2_FN64_CPU_ON, sim_psci_vcpu_to_mpidr(cpu),
		       KSHIM_SECONDARY_ENTRY_POINT, cpu },
	};
	uint64_t old;
	int ret;

	if (plat == NULL)
		return -EINVAL;
	kshim_might_sleep(__FILE__, __LINE__);
	kshim_lock_acquire(&plat->hotplug_mutex);
	if (sim_vcpu_online(plat->sim, cpu)) {
		kshim_lock_release(&plat->hotplug_mutex);
		return 0;
	}
	old = __atomic_load_n(&plat->up_seq[cpu], __ATOMIC_SEQ_CST);
	__atomic_store_n(&plat->up_waiter[cpu], sim_self_id(), __ATOMIC_SEQ_CST);
	(void)kshim__hvc(plat, &regs);
	ret = psci_to_errno((int64_t)regs.a[0]);
	if (ret == 0 &&
	    !kshim__wait_change(kshim, "kshim cpu_up", &plat->up_seq[cpu], &plat->up_seq[cpu], old))
		ret = -EAGAIN;
	__atomic_store_n(&plat->up_waiter[cpu], SIM_THREAD_NONE, __ATOMIC_SEQ_CST);
	kshim_lock_release(&plat->hotplug_mutex);
	return ret;
}

/* ---- Per-CPU units in guest memory, address translation ---- */

static int percpu_to_guest(struct kshim *kshim, struct kshim_plat *plat)
{
	struct sim_memory *memory = sim_platform_memory(plat->platform);
	uint64_t page_bytes = SIM_MEMORY_PAGE_SIZE_BYTES;
	uint64_t total = (uint64_t)kshim->percpu_unit_bytes * kshim->percpu_cpu_count;
	uint64_t pages = (total + page_bytes - 1) / page_bytes;
	uint64_t count = sim_memory_page_count(memory);
	uint64_t gpa;
	uint64_t i;
	char *hva;

	if (pages >= count) {
		fprintf(stderr,
			"kshim_attach_platform: guest memory of %llu pages cannot hold the "
			"per-CPU units (%llu pages) and anything else\n",
			(unsigned long long)count, (unsigned long long)pages);
		return -ENOMEM;
	}
	gpa = sim_memory_gpa_base(memory) + (count - pages) * page_bytes;
	hva = sim_memory_gpa_to_hva(memory, gpa, pages * page_bytes);
	if (hva == NULL || ((uintptr_t)hva % 64u) != 0) {
		fprintf(stderr, "kshim_attach_platform: no usable mapping of GPA %#llx\n",
			(unsigned long long)gpa);
		return -ENOMEM;
	}
	memcpy(hva, kshim->percpu_area, total);
	memset(hva + total, 0, pages * page_bytes - total);
	for (i = 0; i < pages; i++) {
		int ret = sim_memory_set_resident(memory, gpa + i * page_bytes, true);

		SIM_ASSERT(ret == 0);
	}
	plat->percpu_heap_area = kshim->percpu_area;
	kshim->percpu_area = hva;
	plat->reserved_gpa = gpa;
	plat->reserved_bytes = pages * page_bytes;
	return 0;
}

/**
 * kshim_virt_to_phys() - virt_to_phys()/__pa(): the GPA of a kernel pointer
 * into guest memory (the per-CPU units, or memory obtained with __va()).
 * A pointer outside guest memory is a WARN and gives ~0.
 */
phys_addr_t kshim_virt_to_phys(const volatile void *address)
{
	struct kshim_plat *plat = kshim__plat_self();
	uint64_t gpa;

	if (plat == NULL) {
		WARN(1, "virt_to_phys(%p): no guest memory (kshim not attached)", address);
		return ~(phys_addr_t)0;
	}
	if (sim_memory_hva_to_gpa(sim_platform_memory(plat->platform), (const void *)address,
				  &gpa) != 0) {
		WARN(1, "virt_to_phys(%p): not in guest memory", address);
		return ~(phys_addr_t)0;
	}
	return gpa;
}

/**
 * kshim_phys_to_virt() - phys_to_virt()/__va(); NULL (and a WARN) outside
 * guest memory.
 */
void *kshim_phys_to_virt(phys_addr_t gpa)
{
	struct kshim_plat *plat = kshim__plat_self();
	void *hva;

	if (plat == NULL) {
		WARN(1, "phys_to_virt(%#llx): no guest memory (kshim not attached)",
		     (unsigned long long)gpa);
		return NULL;
	}
	hva = sim_memory_gpa_to_hva(sim_platform_memory(plat->platform), gpa, 1);
	WARN(hva == NULL, "phys_to_virt(%#llx): not in guest memory", (unsigned long long)gpa);
	return hva;
}

/**
 * kshim_reserved_gpa() - see sim/kshim.h.
 */
void kshim_reserved_gpa(const struct kshim *kshim, uint64_t *base, uint64_t *size)
{
	const struct kshim_plat *plat = kshim != NULL ? kshim->plat : NULL;

	if (base != NULL)
		*base = plat != NULL ? plat->reserved_gpa : 0;
	if (size != NULL)
		*size = plat != NULL ? plat->reserved_bytes : 0;
}

/* ---- Attach ---- */

static void sdei_pe_unmask_at_boot(struct kshim_plat *plat, uint32_t vcpu)
{
	uint64_t x[SIM_SMCCC_ARG_COUNT] = { PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK };
	uint64_t res[SIM_SMCCC_RESULT_COUNT] = { 0 };
	bool returned;

	/* Boot runs before the execution: straight to the firmware. */
	returned = sim_sdei_call(sim_platform_sdei(plat->platform), vcpu, x, res);
	SIM_ASSERT(returned);
	SIM_ASSERT(res[0] == 0);
}

static int attach_error(const char *message)
{
	fprintf(stderr, "kshim_attach_platform: %s\n", message);
	return -EINVAL;
}

/**
 * kshim_attach_platform() - see sim/kshim.h.
 */
int kshim_attach_platform(struct kshim *kshim, struct sim_platform *platform)
{
	struct kshim_plat *plat;
	uint32_t v;
	int ret;

	if (kshim == NULL || platform == NULL)
		return attach_error("NULL kshim or platform");
	if (sim_platform_sim(platform) != kshim->sim)
		return attach_error("the platform belongs to another execution");
	if (kshim->plat != NULL)
		return attach_error("already attached");
	if (sim_self() != NULL || sim_step(kshim->sim) != 0)
		return attach_error("the execution has started");
	plat = calloc(1, sizeof(*plat));
	if (plat == NULL)
		return -ENOMEM;
	plat->kshim = kshim;
	plat->platform = platform;
	plat->sim = kshim->sim;
	plat->vcpu_count = sim_platform_vcpu_count(platform);
	SIM_ASSERT(plat->vcpu_count == sim_vcpu_count(kshim->sim));
	kshim_lock_init(&plat->sdei_mutex, "mutex sdei_events_lock", 1);
	kshim_lock_init(&plat->sdei_list_lock, "spinlock sdei_list_lock", 0);
	kshim_lock_init(&plat->hotplug_mutex, "mutex cpu_add_remove_lock", 1);
	for (v = 0; v < SIM_VCPU_COUNT_MAX; v++) {
		kshim_lock_init(&plat->workers[v].lock, "mutex kshim on_cpu", 1);
		plat->workers[v].thread_id = SIM_THREAD_NONE;
		plat->workers[v].cpu = v;
		plat->up_waiter[v] = SIM_THREAD_NONE;
	}
	ret = percpu_to_guest(kshim, plat);
	if (ret != 0) {
		free(plat);
		return ret;
	}
	kshim->plat = plat;
	sim_platform_set_guest_ops(platform, &plat_guest_ops, plat);
	/* What the kernel did at boot on every online CPU: GIC CPU interface
	 * opened, SDEI PE unmasked (the SDEI driver's cpuhp up step). */
	for (v = 0; v < plat->vcpu_count; v++) {
		if (!sim_vcpu_online(kshim->sim, v))
			continue;
		kshim__gic_cpu_init(plat, v);
		sdei_pe_unmask_at_boot(plat, v);
	}
	return 0;
}

/**
 * kshim__plat_detach() - kshim_destroy(): give the per-CPU units back to
 * the heap copy (guest memory belongs to the platform) and free the state.
 */
void kshim__plat_detach(struct kshim *kshim)
{
	struct kshim_plat *plat = kshim->plat;

	if (plat == NULL)
		return;
	kshim->percpu_area = plat->percpu_heap_area;
	kshim->plat = NULL;
	free(plat);
}

/**
 * kshim_platform_stats() - see sim/kshim.h.
 */
const struct kshim_platform_stats *kshim_platform_stats(const struct kshim *kshim)
{
	if (kshim == NULL || kshim->plat == NULL)
		return &stats_zero;
	return &kshim->plat->stats;
}

// SPDX-License-Identifier: MIT
/*
 * Locks, the interrupt mask, preemption and schedule() of the kernel-API
 * layer. Outside an execution (unit tests of pure code) locks are plain
 * flags and nothing blocks.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kshim.h>
#include <linux/sched.h>

#include "kshim_platform.h"
#include "kshim_private.h"
#include "sim/assert.h"
#include "sim/sim.h"

static bool irqs_off_get(const struct kshim *kshim, int vcpu, uint32_t id)
{
	if (vcpu >= 0)
		return __atomic_load_n(&kshim->irqs_off[vcpu], __ATOMIC_SEQ_CST);
	return kshim->irqs_off_host[id];
}

static void irqs_off_set(struct kshim *kshim, int vcpu, uint32_t id, bool off)
{
	if (vcpu >= 0)
		__atomic_store_n(&kshim->irqs_off[vcpu], off, __ATOMIC_SEQ_CST);
	else
		kshim->irqs_off_host[id] = off;
}

static bool outside_irqs_off;

/**
 * kshim_irq_save() - local_irq_save(): mask interrupts, return the old mask.
 */
unsigned long kshim_irq_save(void)
{
	struct kshim *kshim = kshim__self();
	bool was_off;

	if (kshim == NULL) {
		was_off = outside_irqs_off;
		outside_irqs_off = true;
		return was_off;
	}
	if (kshim->plat != NULL && sim_self_vcpu() >= 0)
		return kshim__plat_irq_save(kshim->plat, (uint32_t)sim_self_vcpu());
	was_off = irqs_off_get(kshim, sim_self_vcpu(), sim_self_id());
	irqs_off_set(kshim, sim_self_vcpu(), sim_self_id(), true);
	return was_off;
}

/**
 * kshim_irq_restore() - local_irq_restore(); unmasking is a schedule point
 * where a pending interrupt may be taken.
 */
void kshim_irq_restore(unsigned long flags)
{
	struct kshim *kshim = kshim__self();
	bool was_off;

	SIM_ASSERT(flags <= 1);
	if (kshim == NULL) {
		outside_irqs_off = flags != 0;
		return;
	}
	if (kshim->plat != NULL && sim_self_vcpu() >= 0) {
		kshim__plat_irq_restore(kshim->plat, (uint32_t)sim_self_vcpu(), flags != 0);
		return;
	}
	was_off = irqs_off_get(kshim, sim_self_vcpu(), sim_self_id());
	irqs_off_set(kshim, sim_self_vcpu(), sim_self_id(), flags != 0);
	if (was_off && flags == 0)
		sim_point(SIM_POINT_IRQ_UNMASK, "local_irq_restore");
}

/**
 * kshim_irqs_disabled_self() - irqs_disabled() on the caller's CPU.
 */
bool kshim_irqs_disabled_self(void)
{
	struct kshim *kshim = kshim__self();

	if (kshim == NULL)
		return outside_irqs_off;
	if (kshim->plat != NULL && sim_self_vcpu() >= 0)
		return kshim__plat_irqs_disabled(kshim->plat, (uint32_t)sim_self_vcpu());
	return irqs_off_get(kshim, sim_self_vcpu(), sim_self_id());
}

/**
 * kshim_irqs_disabled() - see sim/kshim.h.
 */
bool kshim_irqs_disabled(const struct kshim *kshim, uint32_t vcpu)
{
	SIM_ASSERT(kshim != NULL);
	SIM_ASSERT(vcpu < SIM_VCPU_COUNT_MAX);
	if (kshim->plat != NULL) {
		SIM_ASSERT(vcpu < kshim->plat->vcpu_count);
		return (sim_platform_regs(kshim->plat->platform, vcpu)->pstate & SIM_PSTATE_I) != 0;
	}
	return __atomic_load_n(&kshim->irqs_off[vcpu], __ATOMIC_SEQ_CST);
}

/**
 * kshim_in_hardirq() - in_hardirq(): inside kshim_irq_enter()/exit().
 */
bool kshim_in_hardirq(void)
{
	struct kshim *kshim = kshim__self();
	int vcpu = sim_self_vcpu();

	if (kshim == NULL || vcpu < 0)
		return false;
	/* Host code on a vCPU in host mode is not in the guest's handler. */
	if (kshim->plat != NULL && kshim__plat_in_host(kshim->plat, (uint32_t)vcpu))
		return false;
	return kshim_current()->kshim_hardirq_depth != 0;
}

/**
 * kshim_irq_enter() - see sim/kshim.h. Handlers run with interrupts masked
 * (with the platform attached, the exception entry masked PSTATE.I). The
 * depth belongs to the thread that took the interrupt, as preempt_count's
 * hardirq part belongs to the interrupted task on arm64.
 */
void kshim_irq_enter(void)
{
	struct kshim *kshim = kshim__self();
	int vcpu = sim_self_vcpu();

	SIM_ASSERT(kshim != NULL);
	SIM_ASSERT(vcpu >= 0);
	kshim_current()->kshim_hardirq_depth++;
	if (kshim->plat == NULL)
		irqs_off_set(kshim, vcpu, sim_self_id(), true);
}

/**
 * kshim_irq_exit() - see sim/kshim.h.
 */
void kshim_irq_exit(void)
{
	struct kshim *kshim = kshim__self();
	int vcpu = sim_self_vcpu();

	struct task_struct *task;

	SIM_ASSERT(kshim != NULL);
	SIM_ASSERT(vcpu >= 0);
	task = kshim_current();
	SIM_ASSERT(task->kshim_hardirq_depth != 0);
	if (--task->kshim_hardirq_depth == 0 && kshim->plat == NULL)
		irqs_off_set(kshim, vcpu, sim_self_id(), false);
}

/* ---- Locks ---- */

static bool lock_take(struct kshim_lock *lock, unsigned int owner)
{
	unsigned int expected = 0;

	return __atomic_compare_exchange_n(&lock->owner, &expected, owner, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* Wait until @lock looks free; a spinlock keeps a task's vCPU meanwhile. */
static void lock_wait(struct kshim *kshim, struct kshim_lock *lock, uint32_t id)
{
	/* A spinning task keeps its vCPU: first let an idle thread's handler
	 * there (which may hold this lock) finish. */
	if (kshim->plat != NULL && !lock->sleeps)
		kshim__idle_handler_wait(kshim);
	__atomic_store_n(&kshim->waiting_on[id], lock, __ATOMIC_SEQ_CST);
	sim_set_blocking(lock->reason, lock);
	if (__atomic_load_n(&lock->owner, __ATOMIC_SEQ_CST) == 0)
		sim_set_running();
	else if (!lock->sleeps && sim_thread_kind(kshim->sim, id) == SIM_THREAD_TASK)
		sim_schedule_halt();
	else
		kshim__sim_schedule(kshim);
	__atomic_store_n(&kshim->waiting_on[id], NULL, __ATOMIC_SEQ_CST);
}

/**
 * kshim_lock_acquire() - spin_lock()/mutex_lock(): a schedule point, then
 * take the lock or block until its release.
 */
void kshim_lock_acquire(struct kshim_lock *lock)
{
	struct kshim *kshim = kshim__self();
	uint32_t attempt;
	uint32_t id;

	SIM_ASSERT(lock != NULL);
	SIM_ASSERT(lock->reason != NULL);
	if (kshim == NULL) {
		SIM_ASSERT(lock->owner == 0); /* one thread: contention is recursion */
		lock->owner = 1;
		return;
	}
	id = sim_self_id();
	if (__atomic_load_n(&lock->owner, __ATOMIC_SEQ_CST) == id + 1)
		sim_fail(kshim->sim, SIM_FINDING_DEADLOCK, NULL, 0, "recursive %s", lock->reason);
	sim_point(SIM_POINT_LOCK_ACQUIRE, lock->reason);
	for (attempt = 0; attempt < KSHIM_LOCK_ATTEMPT_COUNT_MAX; attempt++) {
		if (lock_take(lock, id + 1))
			return;
		lock_wait(kshim, lock, id);
	}
	sim_fail(kshim->sim, SIM_FINDING_NO_PROGRESS, NULL, 0, "%s: %u attempts",
		 lock->reason, KSHIM_LOCK_ATTEMPT_COUNT_MAX);
}

/**
 * kshim_lock_try() - spin_trylock()/mutex_trylock(): true if taken.
 */
bool kshim_lock_try(struct kshim_lock *lock)
{
	struct kshim *kshim = kshim__self();

	SIM_ASSERT(lock != NULL);
	if (kshim == NULL) {
		if (lock->owner != 0)
			return false;
		lock->owner = 1;
		return true;
	}
	sim_point(SIM_POINT_LOCK_ACQUIRE, lock->reason);
	return lock_take(lock, sim_self_id() + 1);
}

/**
 * kshim_lock_release() - unlock, wake every waiter (they compete again),
 * then a schedule point.
 */
void kshim_lock_release(struct kshim_lock *lock)
{
	struct kshim *kshim = kshim__self();
	uint32_t count;
	uint32_t id;

	SIM_ASSERT(lock != NULL);
	if (kshim == NULL) {
		SIM_ASSERT(lock->owner == 1);
		lock->owner = 0;
		return;
	}
	if (__atomic_load_n(&lock->owner, __ATOMIC_SEQ_CST) != sim_self_id() + 1)
		sim_fail(kshim->sim, KSHIM_FINDING_BAD_UNLOCK, NULL, 0,
			 "%s released by a thread that does not hold it", lock->reason);
	__atomic_store_n(&lock->owner, 0, __ATOMIC_SEQ_CST);
	count = sim_thread_count(kshim->sim);
	SIM_ASSERT(count <= SIM_THREAD_COUNT_MAX);
	for (id = 0; id < count; id++) {
		if (__atomic_load_n(&kshim->waiting_on[id], __ATOMIC_SEQ_CST) == lock)
			(void)sim_wake(kshim->sim, id);
	}
	sim_point(SIM_POINT_LOCK_RELEASE, lock->reason);
}

/**
 * kshim_lock_held() - is @lock held (by anyone)?
 */
bool kshim_lock_held(const struct kshim_lock *lock)
{
	SIM_ASSERT(lock != NULL);
	return __atomic_load_n(&lock->owner, __ATOMIC_SEQ_CST) != 0;
}

/* ---- Preemption and sleeping ---- */

/**
 * kshim_preempt_count_add() - preempt_disable()/preempt_enable().
 */
void kshim_preempt_count_add(int delta)
{
	struct task_struct *task = kshim_current();

	SIM_ASSERT(delta == 1 || delta == -1);
	task->thread_info.preempt_count += delta;
	SIM_ASSERT(task->thread_info.preempt_count >= 0);
}

/**
 * kshim_preempt_count() - preempt_count() of the current task.
 */
int kshim_preempt_count(void)
{
	return kshim_current()->thread_info.preempt_count;
}

/**
 * kshim_might_sleep() - might_sleep(): a "sleep-in-atomic" finding when the
 * caller has preemption or interrupts disabled or runs a handler.
 */
void kshim_might_sleep(const char *file, int line)
{
	struct kshim *kshim = kshim__self();
	int count;

	if (kshim == NULL)
		return;
	count = kshim_current()->thread_info.preempt_count;
	if (count != 0 || kshim_irqs_disabled_self() || kshim_in_hardirq())
		sim_report(kshim->sim, KSHIM_FINDING_SLEEP_IN_ATOMIC, file, line,
			   "sleeping function called from invalid context at %s:%d "
			   "(preempt_count %d, irqs_disabled %d, in_hardirq %d)",
			   file != NULL ? file : "?", line, count, kshim_irqs_disabled_self(),
			   kshim_in_hardirq());
}

/**
 * kshim_schedule() - schedule(): block unless the state is TASK_RUNNING,
 * otherwise give the CPU to the next task.
 */
void kshim_schedule(void)
{
	struct kshim *kshim = kshim__self();
	struct task_struct *task = kshim_current();

	if (kshim == NULL)
		return;
	kshim_might_sleep("schedule", 0);
	/* __schedule() clears the need-resched flag of the task it switches
	 * from: the request is being served now. */
	__atomic_fetch_and(&task->thread_info.flags, ~(1ul << TIF_NEED_RESCHED), __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&task->__state, __ATOMIC_SEQ_CST) == TASK_RUNNING) {
		kshim__sim_resched(kshim);
		return;
	}
	sim_set_blocking("schedule", task);
	if (__atomic_load_n(&task->__state, __ATOMIC_SEQ_CST) == TASK_RUNNING)
		sim_set_running();
	else
		kshim__sim_schedule(kshim);
	__atomic_store_n(&task->__state, TASK_RUNNING, __ATOMIC_SEQ_CST);
}

/**
 * kshim_resched() - cond_resched(): let the next task of this CPU run.
 */
void kshim_resched(void)
{
	struct kshim *kshim = kshim__self();

	if (kshim == NULL)
		return;
	kshim_might_sleep("cond_resched", 0);
	kshim__sim_resched(kshim);
}

/**
 * kshim_wake_up_process() - wake_up_process(): 1 if @task was not running.
 */
int kshim_wake_up_process(struct task_struct *task)
{
	struct kshim *kshim = kshim__self();

	SIM_ASSERT(task != NULL);
	if (__atomic_exchange_n(&task->__state, TASK_RUNNING, __ATOMIC_SEQ_CST) == TASK_RUNNING)
		return 0;
	if (kshim != NULL)
		(void)sim_wake(kshim->sim, (uint32_t)task->pid);
	return 1;
}

/**
 * kshim_set_tif_handler() - see sim/kshim.h.
 */
int kshim_set_tif_handler(struct kshim *kshim, unsigned int flag, kshim_tif_fn fn)
{
	if (kshim == NULL || flag >= KSHIM_TIF_COUNT_MAX || flag == TIF_NEED_RESCHED)
		return -EINVAL;
	kshim->tif_handlers[flag] = fn;
	return 0;
}

/**
 * kshim_exit_to_user() - see sim/kshim.h. A handler is expected to clear its
 * flag; the loop is bounded in case it does not.
 */
void kshim_exit_to_user(void)
{
	struct kshim *kshim = kshim__self();
	struct task_struct *task = kshim_current();
	uint32_t round;

	if (kshim == NULL)
		return;
	for (round = 0; round < KSHIM_EXIT_TO_USER_ROUND_MAX; round++) {
		if (kshim->tif_handlers[TIF_ASYNC_PF] != NULL &&
		    test_tsk_thread_flag(task, TIF_ASYNC_PF)) {
			kshim->tif_handlers[TIF_ASYNC_PF]();
			continue;
		}
		if (test_and_clear_tsk_thread_flag(task, TIF_NEED_RESCHED)) {
			kshim_resched();
			continue;
		}
		return;
	}
}

/* ---- CPUs and time ---- */

/**
 * kshim_smp_processor_id() - smp_processor_id(): the caller's vCPU, the CPU
 * an on_each_cpu() callback runs for, or 0 for a host thread.
 */
int kshim_smp_processor_id(void)
{
	struct task_struct *task = kshim_current();
	int vcpu;

	if (task->kshim_cpu >= 0)
		return task->kshim_cpu;
	vcpu = sim_self_vcpu();
	return vcpu >= 0 ? vcpu : 0;
}

/**
 * kshim_nr_cpu_ids() - nr_cpu_ids: the execution's vCPU count.
 */
unsigned int kshim_nr_cpu_ids(void)
{
	struct kshim *kshim = kshim__self();

	return kshim != NULL ? sim_vcpu_count(kshim->sim) : 1;
}

/**
 * kshim_cpu_online() - cpu_online().
 */
bool kshim_cpu_online(unsigned int cpu)
{
	struct kshim *kshim = kshim__self();

	if (kshim == NULL)
		return cpu == 0;
	return cpu < sim_vcpu_count(kshim->sim) && sim_vcpu_online(kshim->sim, cpu);
}

/**
 * kshim_on_each_cpu() - on_each_cpu(): kshim_on_cpu() for every online CPU
 * in CPU order (on that CPU, interrupts masked); returns after all ran.
 * Outside an execution, or not attached: on the calling thread with
 * smp_processor_id() returning each CPU in turn.
 */
void kshim_on_each_cpu(void (*fn)(void *info), void *info)
{
	struct kshim *kshim = kshim__self();
	unsigned int cpu_count = kshim_nr_cpu_ids();
	unsigned int cpu;
	int ret;

	SIM_ASSERT(fn != NULL);
	SIM_ASSERT(cpu_count <= SIM_VCPU_COUNT_MAX);
	for (cpu = 0; cpu < cpu_count; cpu++) {
		if (!kshim_cpu_online(cpu))
			continue;
		ret = kshim_on_cpu(kshim, cpu, fn, info);
		/* A CPU may go offline meanwhile, as with Linux's IPIs. */
		WARN(ret != 0 && ret != -ENXIO, "on_each_cpu: CPU%u: %d", cpu, ret);
	}
}

/**
 * kshim_now_ticks() - virtual time (0 outside an execution).
 */
u64 kshim_now_ticks(void)
{
	struct kshim *kshim = kshim__self();

	return kshim != NULL ? sim_now(kshim->sim) : 0;
}

/**
 * kshim_sleep_ticks() - msleep()/udelay(): a virtual sleep.
 */
void kshim_sleep_ticks(u64 ticks)
{
	struct kshim *kshim = kshim__self();

	if (kshim == NULL)
		return;
	kshim_might_sleep("msleep", 0);
	uint64_t pstate;

	pstate = kshim__pstate_save(kshim);
	sim_sleep_ticks(ticks);
	kshim__pstate_load(kshim, pstate);
}

/* SPDX-License-Identifier: MIT */
/*
 * The simulation side of the kernel-API layer: one struct kshim per
 * execution holds the task_structs, lock waiters, interrupt masks,
 * allocations and per-CPU areas behind the kernel headers in
 * sim/kshim/include/{linux,asm}. Tests and scenario drivers use this file;
 * kernel code never includes it.
 *
 *   kshim_create(&k, sim, &config);      before sim_run()
 *   kshim_spawn_task(k, vcpu, name, fn, arg);
 *   sim_run(sim);
 *   kshim_finish(k);                     reports leaks as findings
 *   kshim_destroy(k);                    before sim_destroy()
 */
#ifndef SIM_KSHIM_H
#define SIM_KSHIM_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/prng.h"
#include "sim/sim.h"

struct kshim;

/* Finding classes of the kernel-API layer. */
#define KSHIM_FINDING_WARN "warn"
#define KSHIM_FINDING_BUG "bug"
#define KSHIM_FINDING_LEAK "leak"
#define KSHIM_FINDING_SLEEP_IN_ATOMIC "sleep-in-atomic"
#define KSHIM_FINDING_BAD_UNLOCK "bad-unlock"
#define KSHIM_FINDING_BAD_FREE "bad-free"
/* kfree keeps freed objects until the execution ends; over 1 GiB of them. */
#define KSHIM_FINDING_MEMORY_BOUND "memory-bound"

/* Dynamic per-CPU memory of one CPU (alloc_percpu), in bytes. */
#define KSHIM_PERCPU_DYNAMIC_BYTES (16u * 1024u)
#define KSHIM_PERCPU_ALLOC_COUNT_MAX 128u
/* Retries of a contended lock before the run is declared live-locked. */
#define KSHIM_LOCK_ATTEMPT_COUNT_MAX 100000u
/* Flag handlers run by kshim_exit_to_user() per return (bounds the loop). */
#define KSHIM_EXIT_TO_USER_ROUND_MAX 16u
#define KSHIM_TIF_COUNT_MAX 64u
/* Kernel core (docs/kshim-core.md): workqueue workers per execution, the
 * command line of kshim_boot() (arm64 COMMAND_LINE_SIZE), reboot notifiers. */
#define KSHIM_WORKQUEUE_WORKER_COUNT_DEFAULT 2u
#define KSHIM_WORKQUEUE_WORKER_COUNT_MAX SIM_WORKER_COUNT_MAX
#define KSHIM_CMDLINE_BYTES_MAX 2048u
#define KSHIM_REBOOT_NOTIFIER_COUNT_MAX 32u
/* Works still queued or running when an execution ends (kshim_finish). */
#define KSHIM_FINDING_WORK_PENDING "work-pending"

struct kshim_config {
	/* Chance that an allocation without __GFP_NOFAIL fails (0/0: never),
	 * drawn from the execution's SIM_STREAM_FAULT stream. */
	struct sim_ratio alloc_fail_ratio;
	/* Fail exactly the Nth allocation of the execution (1-based; 0: off). */
	uint64_t alloc_fail_nth;
	/* Host worker threads running workqueue works, spawned at the first
	 * queue_work() of the execution (0: the default; at most
	 * KSHIM_WORKQUEUE_WORKER_COUNT_MAX). */
	uint32_t workqueue_worker_count;
};

/* The running task's flag handler, e.g. the guest half's async-PF wait. */
typedef void (*kshim_tif_fn)(void);

/**
 * kshim_create() - create the kernel-API state of one execution.
 * @out: the new state.
 * @sim: the execution (not yet running); one kshim per sim.
 * @config: options, or NULL for defaults.
 *
 * Return: 0, -EINVAL (bad config, or @sim already has a kshim), -ENOMEM.
 */
int kshim_create(struct kshim **out, struct sim *sim, const struct kshim_config *config);

/**
 * kshim_spawn_task() - create a guest task on @vcpu with its task_struct.
 * Return: the thread id, or SIM_THREAD_NONE.
 */
uint32_t kshim_spawn_task(struct kshim *kshim, uint32_t vcpu, const char *name,
			  sim_thread_fn fn, void *arg);

/**
 * kshim_spawn_host() - create a host thread (kthread) with its task_struct.
 * Return: the thread id, or SIM_THREAD_NONE.
 */
uint32_t kshim_spawn_host(struct kshim *kshim, const char *name, bool daemon,
			  sim_thread_fn fn, void *arg);

/**
 * kshim_finish() - end-of-execution checks: a "leak" finding (count and
 * bytes) for live allocations, which are then freed. Call after sim_run().
 *
 * Return: the number of leaked objects.
 */
uint64_t kshim_finish(struct kshim *kshim);
void kshim_destroy(struct kshim *kshim);

/* Is the interrupt mask of @vcpu set (local_irq_*, spin_lock_irq*, handler)? */
bool kshim_irqs_disabled(const struct kshim *kshim, uint32_t vcpu);
/*
 * Interrupt-handler entry and exit on the calling thread (its hardirq
 * depth, read by in_hardirq()); without a platform attached they also mask
 * and unmask the vCPU's interrupts (attached, the exception entry does).
 */
void kshim_irq_enter(void);
void kshim_irq_exit(void);

/* Handler kshim_exit_to_user() runs while @flag is set on the task. */
int kshim_set_tif_handler(struct kshim *kshim, unsigned int flag, kshim_tif_fn fn);
/*
 * Return to user mode of a simulated guest task: runs the handlers of the
 * set thread flags (TIF_ASYNC_PF first), then reschedules if
 * TIF_NEED_RESCHED is set.
 */
void kshim_exit_to_user(void);

/* Live allocations and their bytes (kmalloc and friends). */
uint64_t kshim_alloc_live_count(const struct kshim *kshim);
uint64_t kshim_alloc_failed_count(const struct kshim *kshim);
/*
 * Change the injected allocation failures while the execution runs (e.g.
 * off for a liveness phase). Return: 0, -EINVAL for a ratio above 1.
 */
int kshim_set_alloc_fail(struct kshim *kshim, struct sim_ratio ratio, uint64_t nth);

/* ---- Kernel core: boot, CPU hotplug, reboot, workqueues (docs/kshim-core.md) ---- */

/**
 * kshim_boot() - boot the kernel halves linked into the program: parse
 * @cmdline (words separated by blanks, "name" or "name=value", double quotes
 * group, "--" ends), run the matching early_param() handlers, then every
 * initcall level by level (link order inside a level). A failing initcall is
 * logged (pr_warn) and the boot continues, as in the kernel.
 * Call once per execution from a guest task on vCPU 0.
 *
 * Return: 0, the first initcall error, -EINVAL (bad @cmdline or caller; no
 * handler has run), -EBUSY (already booted in this execution).
 */
int kshim_boot(struct kshim *kshim, const char *cmdline);

/**
 * kshim_cpuhp_online() - bring @cpu up through the hotplug states: every
 * installed startup callback in state order. Call on @cpu's thread, from a
 * context that may sleep (the platform's CPU_ON entry). A failing callback
 * rolls back (teardown of the states done, reverse order).
 *
 * Return: 0 (also when @cpu is already up), the callback's error, -EINVAL.
 */
int kshim_cpuhp_online(struct kshim *kshim, unsigned int cpu);

/**
 * kshim_cpuhp_offline() - take @cpu down: teardown callbacks in reverse
 * state order, on @cpu's thread, before PSCI CPU_OFF. A failing teardown
 * rolls back (startup again) and @cpu stays up.
 *
 * Return: 0 (also when @cpu is already down), the callback's error,
 * -EBUSY (the last CPU up), -EINVAL.
 */
int kshim_cpuhp_offline(struct kshim *kshim, unsigned int cpu);

/* Hotplug state of @cpu: true between a successful online and offline
 * (every vCPU online in the engine at kshim_create() starts up). */
bool kshim_cpuhp_cpu_up(const struct kshim *kshim, unsigned int cpu);

/**
 * kshim_reboot() - call the reboot notifier chain with @action (SYS_RESTART,
 * SYS_HALT or SYS_POWER_OFF) from a thread of the execution.
 *
 * Return: the number of notifiers called, or -EINVAL.
 */
int kshim_reboot(struct kshim *kshim, unsigned long action);

/* Works queued and works running right now (for tests and drivers). */
uint32_t kshim_work_queued_count(const struct kshim *kshim);
uint32_t kshim_work_running_count(const struct kshim *kshim);
/* Works run so far in the execution. */
uint64_t kshim_work_run_count(const struct kshim *kshim);

/* Bytes of kernel data reset at every kshim_create() (0 when no
 * kshim_kernel_library() is linked). */
size_t kshim_kernel_data_bytes(void);

/* ---- Binding to the simulated platform (sim/kshim/platform.c; docs/kshim.md) ---- */

struct sim_platform;

/* SGI the reschedule IPI uses (Linux's IPI_RESCHEDULE). */
#define KSHIM_SGI_RESCHEDULE 0u
/* Linux irq number of GSI/INTID n: n + KSHIM_IRQ_GSI_OFFSET (not the INTID itself). */
#define KSHIM_IRQ_GSI_OFFSET 100u
/* Priority the GIC driver gives every interrupt (GICD_INT_DEF_PRI). */
#define KSHIM_GIC_DEFAULT_PRIORITY 0xa0u
/* ICC_PMR_EL1 a booted CPU runs with (Linux's DEFAULT_PMR_VALUE). */
#define KSHIM_GIC_DEFAULT_PMR 0xf0u
/*
 * Fake addresses of the simulated guest kernel: the exception vector base
 * (VBAR_EL1; 2 KiB aligned as the architecture requires), the SDEI entry
 * point and the secondary CPU entry point given to PSCI CPU_ON.
 */
#define KSHIM_VBAR_EL1 0xffff800008010800ull
#define KSHIM_VECTOR_IRQ_EL1h 0x280ull
#define KSHIM_VECTOR_IRQ_EL0_64 0x480ull
#define KSHIM_VECTOR_IRQ_EL0_32 0x680ull
#define KSHIM_SDEI_ENTRY_POINT 0xffff800008020000ull
#define KSHIM_SECONDARY_ENTRY_POINT 0xffff800008030000ull

/* Counters of the platform binding; they only grow. */
struct kshim_platform_stats {
	uint64_t irq_count;          /* IRQ vector entries that acknowledged an INTID */
	uint64_t spurious_count;     /* acknowledges that returned 1023 */
	uint64_t unexpected_count;   /* INTIDs with no handler (EOI'd and counted) */
	uint64_t resched_ipi_count;  /* reschedule SGIs handled */
	uint64_t sdei_count;         /* SDEI handler entries */
	uint64_t sdei_failed_count;  /* ... completed with EVENT_COMPLETE(FAILED) */
	uint64_t sdei_handled_count; /* ... completed with EVENT_COMPLETE(HANDLED) */
	uint64_t sdei_resume_count;  /* ... completed with EVENT_COMPLETE_AND_RESUME */
	uint64_t on_cpu_count;       /* kshim_on_cpu() calls that ran their function */
	uint64_t cpu_up_count;       /* cpu_entry hooks completed */
	uint64_t cpu_down_count;     /* kshim_cpu_down() that powered a CPU off */
	uint64_t return_to_user_count; /* return_to_user hooks run by a task */
};

/**
 * kshim_attach_platform() - bind the kernel-API layer of @kshim to @platform
 * (same execution, before sim_run()): installs the platform's guest ops
 * (IRQ vector, SDEI entry, CPU_ON entry, system event, return to user),
 * makes local_irq_* drive PSTATE.I, opens the GIC PMR and PE_UNMASKs SDEI
 * on every online vCPU, and moves the per-CPU units into reserved pages at
 * the top of guest memory. Spawn tasks after attaching.
 *
 * Return: 0; -EINVAL (NULL, other execution, already attached, running),
 * -ENOMEM (no memory, or guest memory too small for the per-CPU units).
 */
int kshim_attach_platform(struct kshim *kshim, struct sim_platform *platform);

/** kshim_platform_stats() - counters (all zero when not attached). */
const struct kshim_platform_stats *kshim_platform_stats(const struct kshim *kshim);

/**
 * kshim_irq_handled_count() - invocations of the handler of Linux irq @irq on
 * @cpu (request_percpu_irq); 0 for an unknown irq.
 */
uint64_t kshim_irq_handled_count(const struct kshim *kshim, unsigned int irq, unsigned int cpu);

/**
 * kshim_sdei_resume_address() - the address of the last
 * EVENT_COMPLETE_AND_RESUME the SDEI client issued on @cpu (0: none yet).
 */
uint64_t kshim_sdei_resume_address(const struct kshim *kshim, unsigned int cpu);

/**
 * kshim_reserved_gpa() - the guest-physical range kshim reserved for the
 * per-CPU units (resident; workloads must not touch or reclaim it).
 * Both 0 when not attached.
 */
void kshim_reserved_gpa(const struct kshim *kshim, uint64_t *base, uint64_t *size);

/*
 * The calling guest task enters user mode (PSTATE EL0t), after the
 * return-to-user work (kshim_exit_to_user) as ret_to_user does, or returns
 * to the kernel (EL1h, a syscall or exception entry). An interrupt or SDEI
 * event taken while it is at EL0 runs the return-to-user work when it
 * returns there.
 */
void kshim_user_enter(void);
void kshim_user_exit(void);

/**
 * kshim_user_touch() - an EL0 access of the calling task to @gpa (a read,
 * or a write when @write) through sim_platform_touch().
 * Return: the platform's result (SIM_MEMORY_TOUCH_RESIDENT, a positive
 * enum sim_stage2_result, -EFAULT), or -EINVAL when the caller is not a
 * guest task in user mode of an attached kshim.
 */
int kshim_user_touch(uint64_t gpa, bool write);

/**
 * kshim_cpu_down() - take @cpu offline from a guest task: on @cpu, the
 * cpuhp teardown callbacks (kshim_cpuhp_offline), the SDEI driver's down
 * step, then PSCI CPU_OFF (its tasks move to another vCPU).
 * Return: 0; -EINVAL (bad CPU, not attached, not a guest task), -EBUSY
 * (the last online CPU), -ENXIO (already offline), or the error of a step.
 */
int kshim_cpu_down(struct kshim *kshim, unsigned int cpu);

/**
 * kshim_cpu_up() - bring @cpu online from a guest task: PSCI CPU_ON, then
 * wait until the new CPU ran its entry (GIC PMR, SDEI up step,
 * kshim_cpuhp_online).
 * Return: 0 (also when already online); -EINVAL (bad CPU, not attached,
 * not a guest task), or the PSCI error as Linux maps it (-EPERM, ...).
 */
int kshim_cpu_up(struct kshim *kshim, unsigned int cpu);

/**
 * kshim_cpu_states_cycle() - from a guest task: on @cpu, the cpuhp teardown
 * callbacks then the startup callbacks again (kshim_cpuhp_offline() and
 * kshim_cpuhp_online()), without powering the CPU off: drivers switch
 * their per-CPU state off and on while the CPU keeps running.
 * Return: 0; -EINVAL (bad CPU, not attached, not a guest task), -ENXIO
 * (@cpu offline), or the error of a callback.
 */
int kshim_cpu_states_cycle(struct kshim *kshim, unsigned int cpu);

#endif /* SIM_KSHIM_H */

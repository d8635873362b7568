// SPDX-License-Identifier: MIT
/*
 * World event class "crash" (docs/world.md): the kernel running on one CPU
 * dies without disabling async PF (a panic into a crash kernel, or kexec),
 * and a fresh kernel on that CPU registers its own control block again
 * [R§9.9, R§10.19, R§10.20]. The host must drop the dead kernel's
 * registration, either at the vCPU reset (H4) or when the new ENABLE names
 * another address (H5); docs/host.md.
 *
 * The guest half keeps one driver instance with its per-CPU slot at a fixed
 * address, so the event plays the CPU's history in this order, on a guest
 * task ("crash") bound to the CPU:
 *
 *   1. The driver's cpuhp teardown on the CPU (kshim_cpuhp_offline): this
 *      gives the CPU the state a fresh kernel starts with (slot clear, table
 *      empty, PPI off) and accounts for the dead kernel's waiters: they are
 *      woken and retry their access, as the new kernel's tasks would; none
 *      is left parked. Its disable hypercall only ends the old registration
 *      at the driver's slot; the next step replaces it.
 *   2. The dead kernel's registration: a raw ENABLE hypercall from the CPU
 *      with the flags the driver used, at the dead kernel's control block:
 *      the driver's own slot GPA, or another guest page (the dead kernel's
 *      per-CPU data was elsewhere). Nothing disables it: the host now holds
 *      exactly what a kernel that dies while registered leaves behind.
 *   3. The fresh kernel reaches the CPU, drawn per event
 *      (enum world_crash_kind): through PSCI CPU_OFF and CPU_ON (a crash
 *      kernel starting its secondaries; the vCPU is reset) or in place (the
 *      CPU that ran kexec jumps into the new image: no reset). Its driver's
 *      startup callback enables async PF at its slot (G10 retries once
 *      after NOT_REQUIRED by disabling first).
 *
 * The case "in place, same address" is G10's alone (NOT_REQUIRED with no
 * reset and no move) and is not drawn: a guest without G10 fails it against
 * any host. Old works in flight are not carried over step 1: the host has
 * dropped them at the disable, so the dead kernel's registration starts
 * with an idle channel.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "proto/apf.h"
#include "proto/smccc.h"
#include "sim/assert.h"
#include "sim/kshim.h"
#include "sim/kvm.h"
#include "sim/memory.h"
#include "sim/platform.h"
#include "sim/prng.h"
#include "sim/sim.h"
#include "sim/smccc.h"
#include "sim/world.h"

#include "kvm_apf.h"
#include "world_crash.h"

#define CRASH_GPA_BASE 0x40000000ull /* WORLD_GPA_BASE of world.c */

static struct world_crash_counts crash_counts;

struct world_crash_run {
	struct world *world;
	unsigned int cpu;
	enum world_crash_kind kind;
	uint64_t old_control; /* the dead kernel's registration word */
	uint32_t waiter;
	bool done;
	int result;           /* 0, -EBUSY (refused), -ECANCELED (reported) */
};

struct world_crash_counts world_crash_counts(void)
{
	return crash_counts;
}

static void crash_failed(struct world *w, unsigned int cpu, const char *what, long ret)
{
	SIM_FAIL(world_sim(w), WORLD_FINDING_EVENT, "crash event on CPU%u: %s failed: %ld", cpu,
		 what, ret);
}

/* The raw ENABLE hypercall from the calling vCPU. Return: the SMCCC result. */
static int64_t crash_hvc_enable(struct world *w, uint64_t control)
{
	struct sim_smccc_regs regs = { 0 };

	regs.x[0] = PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID;
	regs.x[1] = PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE;
	regs.x[2] = control & 0xffffffffull;
	regs.x[3] = control >> 32;
	if (!sim_platform_hvc(world_platform(w), &regs))
		return PROTO_SMCCC_RET_NOT_SUPPORTED;
	return (int64_t)regs.a[0];
}

/*
 * The dead kernel had long consumed the wake-all its own ENABLE queued: its
 * registration is idle when it dies. The host posts that wake-all at the
 * entry right after the hypercall; consume it as the kernel's PPI handler
 * did (clear the slot, token first, then IRQ_ACK) so the model does not
 * leave a page-ready no kernel would still hold.
 */
static void crash_consume_wake_all(struct world *w, uint64_t gpa)
{
	struct sim_memory *memory = sim_platform_memory(world_platform(w));
	struct sim_smccc_regs regs = { 0 };
	uint32_t reason = 0, token = 0;

	if (sim_memory_read_u32(memory, gpa, &reason, "crash-old-reason") != 0 ||
	    sim_memory_read_u32(memory, gpa + 4, &token, "crash-old-token") != 0)
		return;
	if (reason != PROTO_KVM_PV_REASON_PAGE_READY || token != PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL)
		return;
	(void)sim_memory_write_u32(memory, gpa + 4, 0, "crash-old-token");
	(void)sim_memory_write_u32(memory, gpa, 0, "crash-old-reason");
	regs.x[0] = PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID;
	regs.x[1] = PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK;
	(void)sim_platform_hvc(world_platform(w), &regs);
}

/* Steps 1 and 2 (and 3 in place), on the crashing CPU. */
static void crash_task(void *arg)
{
	struct world_crash_run *run = arg;
	struct world *w = run->world;
	int64_t hvc;
	int ret;

	SIM_ASSERT(sim_self_vcpu() == (int)run->cpu);
	ret = kshim_cpuhp_offline(world_kshim(w), run->cpu);
	if (ret == -EBUSY) {
		run->result = -EBUSY; /* the last CPU up: cpuhp refuses */
		goto out;
	}
	if (ret != 0) {
		crash_failed(w, run->cpu, "kshim_cpuhp_offline", ret);
		run->result = -ECANCELED;
		goto out;
	}
	/* The dying kernel runs with interrupts masked (panic, machine_kexec). */
	sim_platform_irq_disable(world_platform(w));
	hvc = crash_hvc_enable(w, run->old_control);
	if (hvc != PROTO_SMCCC_RET_SUCCESS) {
		crash_failed(w, run->cpu, "ENABLE of the dead kernel's control block", (long)hvc);
		run->result = -ECANCELED;
	} else {
		crash_consume_wake_all(w, proto_kvm_async_pf_control_gpa(run->old_control));
	}
	sim_platform_irq_enable(world_platform(w));
	if (run->kind == WORLD_CRASH_INPLACE_MOVED || run->result != 0) {
		ret = kshim_cpuhp_online(world_kshim(w), run->cpu);
		if (ret != 0 && run->result == 0) {
			crash_failed(w, run->cpu, "kshim_cpuhp_online", ret);
			run->result = -ECANCELED;
		}
	}
out:
	run->done = true;
	sim_wake(world_sim(w), run->waiter);
}

static const char *crash_kind_name(enum world_crash_kind kind)
{
	static const char *const names[WORLD_CRASH_KIND_COUNT] = {
		[WORLD_CRASH_RESET_SAME] = "vCPU reset, same block",
		[WORLD_CRASH_RESET_MOVED] = "vCPU reset, block moved",
		[WORLD_CRASH_INPLACE_MOVED] = "kexec in place, block moved",
	};

	return (unsigned int)kind < WORLD_CRASH_KIND_COUNT ? names[kind] : "unknown";
}

static uint32_t crash_draw_kind(struct world *w, struct sim_prng *prng)
{
	if (world_config(w)->draws == WORLD_DRAWS_SCHEDULE)
		return sim_choose(WORLD_CRASH_KIND_COUNT, "world-crash-kind");
	return (uint32_t)sim_prng_below(prng, WORLD_CRASH_KIND_COUNT);
}

/* The dead kernel's control block when it was elsewhere: a free page. */
static uint64_t crash_moved_gpa(struct world *w, unsigned int cpu)
{
	uint64_t base, size;
	uint64_t gpa = CRASH_GPA_BASE +
		       ((uint64_t)world_config(w)->page_count + cpu) * SIM_MEMORY_PAGE_SIZE_BYTES;

	kshim_reserved_gpa(world_kshim(w), &base, &size);
	if (size > 0 && gpa + SIM_MEMORY_PAGE_SIZE_BYTES > base)
		return 0;
	return gpa;
}

static void crash_wait(struct world_crash_run *run)
{
	/* Bounded: the crash task always ends and wakes us when it does. */
	while (!run->done) {
		sim_set_blocking("waiting for the crash task", run);
		if (run->done)
			sim_set_running();
		else
			sim_schedule();
	}
}

/**
 * world_crash() - see world_crash.h.
 */
int world_crash(struct world *w, unsigned int cpu, struct sim_prng *prng)
{
	struct world_crash_run run = { .world = w, .cpu = cpu, .waiter = sim_self_id() };
	struct kvm_sim_apf_state before, after;
	uint64_t slot_gpa, old_gpa;
	int ret;

	run.kind = (enum world_crash_kind)crash_draw_kind(w, prng);
	if (!kshim_cpuhp_cpu_up(world_kshim(w), cpu) || !sim_vcpu_online(world_sim(w), cpu) ||
	    !kvm_async_pf_cpu_enabled((int)cpu) ||
	    kvm_sim_vcpu_apf_state(world_kvm(w), cpu, &before) != 0 || !before.enabled) {
		crash_counts.refused++;
		return -ENXIO; /* offline, or async PF is not on there */
	}
	slot_gpa = proto_kvm_async_pf_control_gpa(before.control);
	old_gpa = slot_gpa;
	if (run.kind != WORLD_CRASH_RESET_SAME) {
		old_gpa = crash_moved_gpa(w, cpu);
		if (old_gpa == 0) {
			crash_counts.refused++;
			return -EBUSY; /* no free page for the dead kernel's block */
		}
	}
	run.old_control = proto_kvm_async_pf_control_make(
		old_gpa, proto_kvm_async_pf_control_flags(before.control));
	if (kshim_spawn_task(world_kshim(w), cpu, "crash", crash_task, &run) == SIM_THREAD_NONE) {
		crash_failed(w, cpu, "kshim_spawn_task", -EAGAIN);
		return -ECANCELED;
	}
	crash_wait(&run);
	if (run.result != 0) {
		if (run.result == -EBUSY)
			crash_counts.refused++;
		return run.result;
	}
	if (run.kind != WORLD_CRASH_INPLACE_MOVED) {
		/* Step 3 by reset: cpuhp is already down, so only SDEI down and CPU_OFF. */
		ret = kshim_cpu_down(world_kshim(w), cpu);
		if (ret == 0)
			ret = kshim_cpu_up(world_kshim(w), cpu);
		if (ret != 0) {
			crash_failed(w, cpu, "PSCI CPU_OFF/CPU_ON", ret);
			return -ECANCELED;
		}
	}
	crash_counts.fired[run.kind]++;
	if (kvm_sim_vcpu_apf_state(world_kvm(w), cpu, &after) != 0)
		return 0;
	crash_counts.host_checked++;
	if (after.enabled && proto_kvm_async_pf_control_gpa(after.control) == slot_gpa &&
	    kvm_async_pf_cpu_enabled((int)cpu))
		crash_counts.host_matched++;
	/* The new kernel has registered (or given up): the host must not hold the
	 * dead kernel's block any more [R§10.19]. */
	if (after.enabled && proto_kvm_async_pf_control_gpa(after.control) != slot_gpa)
		SIM_FAIL(world_sim(w), WORLD_FINDING_STALE_REGISTRATION,
			 "crash (%s) on CPU%u: after the new kernel's enable the host still writes "
			 "vCPU %u's notifications to 0x%llx, the dead kernel's control block; the "
			 "new kernel's slot is at 0x%llx (its driver %s async PF there)",
			 crash_kind_name(run.kind), cpu, cpu,
			 (unsigned long long)proto_kvm_async_pf_control_gpa(after.control),
			 (unsigned long long)slot_gpa,
			 kvm_async_pf_cpu_enabled((int)cpu) ? "enabled" : "failed to enable");
	return 0;
}

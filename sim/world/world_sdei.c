// SPDX-License-Identifier: MIT
/*
 * A guest SDEI probe inside a world execution, for bug zoo entry 12
 * (docs/bugzoo.md): an event that triggers while its PE is masked must stay
 * pending and be dispatched at PE_UNMASK, never before [R§6.4: "Dispatch
 * requires ... the PE is unmasked"; "A trigger arriving while masked: for a
 * private (or RM_PE) event the interrupt is ... left pending ...; PE_UNMASK
 * re-enables those interrupts so the event fires then"].
 *
 * Nothing else in the world leaves an event pending on a masked PE: KVM
 * refuses to inject into a masked PE [R§6.5], EVENT_SIGNAL to a masked PE
 * is DENIED [R§6.4], and the only masking (SDEI cpuhp down) unregisters the
 * private events first. So the probe makes that state with the one path the
 * specification gives for it, a bound interrupt:
 *
 *   setup  INTERRUPT_BIND a private PPI (world_sdei_intid()) -> dynamic
 *          event E; sdei_event_register(E) and sdei_event_enable(E) (the
 *          kernel's SDEI client: every online CPU)
 *   round  on its CPU k: PE_MASK; the probe's device raises the PPI line on
 *          CPU k (the dispatcher makes E pending on k); a window with
 *          interrupt points (round 0: busy-wait schedule points on k;
 *          round 1: a sleep, so other threads and the idle loop run on k;
 *          round 2: both); the line drops; PE_UNMASK; a short busy wait
 *   end    sdei_event_disable, sdei_event_unregister, INTERRUPT_RELEASE
 *
 * The handler of E checks the firmware's mask state of the PE it runs on
 * (sim_sdei_masked(), the truth whatever the guest believes, so a CPU
 * hotplug that unmasks it is no false alarm): masked is the finding
 * "sdei-masked-dispatch". After PE_UNMASK and the wait, an E still pending
 * on the unmasked PE with E registered, enabled and idle there is the
 * finding "sdei-unmask-lost". The SDEI calls the kernel client has no API
 * for (BIND, RELEASE, PE_MASK, PE_UNMASK) go through the HVC conduit, as
 * arm_smccc_1_1_hvc() would.
 *
 * Turned on by the word "apfsim.sdeiprobe" in world_config.cmdline (the
 * guest kernel ignores the unknown parameter with a notice): a stop-gap
 * knob until the scenario format has a field for it.
 */
#include <errno.h>
#include <stdint.h>

#include "proto/sdei.h"
#include "sim/kshim.h"
#include "sim/platform.h"
#include "sim/sdei.h"
#include "sim/sim.h"
#include "sim/trace.h"
#include "sim/world.h"

#include <linux/arm_sdei.h>
#include <linux/kshim.h>

#include "world_sdei.h"

/* Schedule points of a busy-wait window, and the sleep of a sleeping one. */
#define SDEI_PROBE_SPIN_POINTS 8u
#define SDEI_PROBE_SLEEP_TICKS 40u
/* Schedule points after PE_UNMASK before the dispatch is checked. */
#define SDEI_PROBE_UNMASK_POINTS 4u

struct sdei_probe {
	struct world *world;
	struct sim *sim;
	struct sim_platform *platform;
	uint32_t cpu;        /* the probe's CPU k */
	uint32_t intid;      /* the bound PPI */
	uint32_t event;      /* the dynamic event it became */
	uint32_t round;
	uint32_t handled;    /* handler runs on CPU k */
	uint32_t reported;   /* findings made (at most one per class and run) */
	bool masked_reported;
};

static unsigned long sdei_rounds_checked;
static unsigned long sdei_probes_skipped;

unsigned long world_sdei_rounds_checked(void)
{
	return __atomic_load_n(&sdei_rounds_checked, __ATOMIC_RELAXED);
}

unsigned long world_sdei_probes_skipped(void)
{
	return __atomic_load_n(&sdei_probes_skipped, __ATOMIC_RELAXED);
}

bool world_sdei_wanted(const struct world_config *config)
{
	return world_cmdline_has(config, WORLD_SDEI_CMDLINE_WORD);
}

uint32_t world_sdei_intid(const struct world_config *config)
{
	static const uint32_t choices[] = { 21u, 20u, 19u };

	for (uint32_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		if (config == NULL || choices[i] != config->ppi)
			return choices[i];
	}
	return choices[0]; /* unreachable: the PPI is one value */
}

/* One SDEI call through the HVC conduit from the calling CPU: x0 as a signed result. */
static int64_t sdei_probe_call(struct sdei_probe *p, uint64_t fid, uint64_t arg)
{
	struct sim_smccc_regs regs = { .x = { fid, arg } };

	if (!sim_platform_hvc(p->platform, &regs))
		return PROTO_SDEI_DENIED; /* only COMPLETE does not return */
	return (int64_t)regs.a[0];
}

static bool sdei_probe_on_cpu(const struct sdei_probe *p)
{
	return sim_self_vcpu() == (int)p->cpu;
}

/* The event's handler (kernel SDEI client callback, NMI-like context). */
static int sdei_probe_handler(u32 event, struct pt_regs *regs, void *arg)
{
	struct sdei_probe *p = arg;
	int self = sim_self_vcpu();

	(void)regs;
	if (p == NULL || event != p->event || self < 0)
		return 0;
	if ((uint32_t)self == p->cpu)
		p->handled++;
	if (!sim_sdei_masked(sim_platform_sdei(p->platform), (uint32_t)self) ||
	    p->masked_reported)
		return 0;
	p->masked_reported = true;
	p->reported++;
	SIM_REPORT(p->sim, WORLD_FINDING_SDEI_MASKED,
		   "SDEI event %u (PPI %u) dispatched on CPU %d while its PE is masked (probe "
		   "round %u: PE_MASK, PPI raised, PE_UNMASK not yet called)",
		   event, p->intid, self, p->round);
	return 0;
}

static void sdei_probe_window(uint32_t round)
{
	if (round != 1) {
		for (uint32_t i = 0; i < SDEI_PROBE_SPIN_POINTS; i++)
			kshim_access_point(KSHIM_ACCESS_BARRIER, "sdei-probe-spin");
	}
	if (round != 0)
		sim_sleep_ticks(SDEI_PROBE_SLEEP_TICKS);
}

/* One round; Return: false if the probe left its CPU (give up, no verdict). */
static bool sdei_probe_round(struct sdei_probe *p)
{
	const struct sim_sdei *sdei = sim_platform_sdei(p->platform);
	uint32_t handled_before = p->handled;
	int status;

	if (!sdei_probe_on_cpu(p))
		return false;
	(void)sdei_probe_call(p, PROTO_SDEI_1_0_FN_SDEI_PE_MASK, 0);
	sim_trace(p->sim, SIM_TRACE_USER, "sdei-probe-masked", p->event, p->cpu);
	if (sim_platform_irq_line(p->platform, p->cpu, p->intid, true) != 0)
		return false;
	sdei_probe_window(p->round);
	(void)sim_platform_irq_line(p->platform, p->cpu, p->intid, false);
	if (!sdei_probe_on_cpu(p))
		return false;
	sim_trace(p->sim, SIM_TRACE_USER, "sdei-probe-unmask", p->event, p->cpu);
	(void)sdei_probe_call(p, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0);
	for (uint32_t i = 0; i < SDEI_PROBE_UNMASK_POINTS; i++)
		kshim_access_point(KSHIM_ACCESS_BARRIER, "sdei-probe-unmasked");
	if (p->handled != handled_before) {
		__atomic_fetch_add(&sdei_rounds_checked, 1, __ATOMIC_RELAXED);
		return true;
	}
	/*
	 * Not run: only a verdict if it is still there to run (no hotplug took
	 * it) and the vCPU is in the guest: while another task of this vCPU is
	 * inside a host exit (e.g. blocked on the vCPU mutex of a VMM ioctl),
	 * the event waits for that exit's guest entry.
	 */
	if (sim_platform_in_host(p->platform, p->cpu))
		return true;
	status = sim_sdei_event_status(sdei, p->cpu, p->event);
	if (status >= 0 && (status & 3) == 3 && (status & 4) == 0 &&
	    sim_sdei_pending(sdei, p->cpu, p->event) && !sim_sdei_masked(sdei, p->cpu)) {
		p->reported++;
		SIM_REPORT(p->sim, WORLD_FINDING_SDEI_UNMASK_LOST,
			   "SDEI event %u (PPI %u) deferred while CPU %u was masked is still "
			   "pending %u schedule points after PE_UNMASK (probe round %u; depth %u)",
			   p->event, p->intid, p->cpu, SDEI_PROBE_UNMASK_POINTS, p->round,
			   sim_sdei_depth(sdei, p->cpu));
	}
	return true;
}

static void sdei_probe_thread(void *arg)
{
	struct world *w = arg;
	struct sdei_probe p = {
		.world = w,
		.sim = world_sim(w),
		.platform = world_platform(w),
		.intid = world_sdei_intid(world_config(w)),
	};
	int64_t bound;
	int self = sim_self_vcpu();

	if (self < 0 || p.platform == NULL) {
		__atomic_fetch_add(&sdei_probes_skipped, 1, __ATOMIC_RELAXED);
		return;
	}
	p.cpu = (uint32_t)self;
	bound = sdei_probe_call(&p, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND, p.intid);
	if (bound < 0 || bound > UINT32_MAX) {
		__atomic_fetch_add(&sdei_probes_skipped, 1, __ATOMIC_RELAXED);
		return;
	}
	p.event = (uint32_t)bound;
	if (sdei_event_register(p.event, sdei_probe_handler, &p) != 0) {
		(void)sdei_probe_call(&p, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE, p.event);
		__atomic_fetch_add(&sdei_probes_skipped, 1, __ATOMIC_RELAXED);
		return;
	}
	if (sdei_event_enable(p.event) == 0) {
		for (p.round = 0; p.round < WORLD_SDEI_ROUNDS; p.round++) {
			if (!sdei_probe_round(&p)) {
				__atomic_fetch_add(&sdei_probes_skipped, 1, __ATOMIC_RELAXED);
				break;
			}
		}
		(void)sdei_event_disable(p.event);
	} else {
		__atomic_fetch_add(&sdei_probes_skipped, 1, __ATOMIC_RELAXED);
	}
	/* Nothing runs the handler after this: @p may go with the stack. */
	(void)sdei_event_unregister(p.event);
	(void)sdei_probe_call(&p, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE, p.event);
}

int world_sdei_spawn(struct world *world)
{
	const struct world_config *config = world_config(world);
	uint32_t cpu = config->vcpu_count > 0 ? config->vcpu_count - 1 : 0;

	if (kshim_spawn_task(world_kshim(world), cpu, "sdei-probe", sdei_probe_thread, world) ==
	    SIM_THREAD_NONE)
		return -EAGAIN;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Fake platform for the SDEI dispatcher's unit tests, #included by each
 * test_sdei*.c translation unit (not compiled on its own).
 *
 * It owns the vCPUs' registers, records every hook call, and runs a
 * per-test handler script from the enter() hook; the script makes its SDEI
 * calls through fake_call(), as a guest handler would through the conduit.
 * Without a script, the handler completes with EVENT_COMPLETE(HANDLED).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sim/sdei.h"
#include "sdei_private.h"

#define FAKE_VCPU_COUNT_MAX 20u
#define FAKE_ENTER_LOG_SIZE 8u
#define FAKE_INTID_COUNT 1024u
#define FAKE_ENTRY 0xffff800010001000ull  /* a handler address */
#define FAKE_RESUME 0xffff800010000280ull /* VBAR_EL1 + 0x280, the IRQ vector */
#define FAKE_BAD_ADDRESS 0xdead0000ull    /* refused by the address_valid hook */

#define FAKE_UNUSED __attribute__((unused))

struct fake;

/* A handler script: what the guest handler does when entered. */
struct fake_script {
	void (*run)(struct fake *f, uint32_t vcpu, uint32_t event, void *data);
	void *data;
};

struct fake_enter {
	uint32_t vcpu;
	uint32_t event;
	uint64_t entry;
	uint64_t arg;
	uint32_t depth;               /* sim_sdei_depth() inside the handler */
	struct sim_arm_regs regs;     /* registers at entry */
};

struct fake {
	struct sim_sdei *sdei;
	uint32_t vcpu_count;
	struct sim_arm_regs regs[FAKE_VCPU_COUNT_MAX];
	/* Scripts by event number: index 0 for event 0, else looked up. */
	uint32_t script_events[8];
	struct fake_script scripts[8];
	uint32_t script_count;
	struct fake_enter enters[FAKE_ENTER_LOG_SIZE];
	uint32_t enter_count;
	uint64_t elr[FAKE_VCPU_COUNT_MAX];
	uint64_t spsr[FAKE_VCPU_COUNT_MAX];
	uint32_t elr_spsr_count;
	uint32_t kick_count[FAKE_VCPU_COUNT_MAX];
	bool intid_active[FAKE_INTID_COUNT];
	bool intid_refused[FAKE_INTID_COUNT];
	bool intid_bound[FAKE_INTID_COUNT];
	uint32_t bind_hook_count;
	bool last_returned;           /* whether the last fake_call() returned */
};

static void fake_hook_enter(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg,
			    uint32_t event);

static struct sim_arm_regs *fake_hook_regs(void *ctx, uint32_t vcpu)
{
	struct fake *f = ctx;

	return vcpu < f->vcpu_count ? &f->regs[vcpu] : NULL;
}

static bool fake_hook_intid_bindable(void *ctx, uint32_t intid)
{
	struct fake *f = ctx;

	return !f->intid_refused[intid];
}

static bool fake_hook_intid_active(void *ctx, uint32_t intid)
{
	struct fake *f = ctx;

	return f->intid_active[intid];
}

static void fake_hook_intid_bind(void *ctx, uint32_t intid, bool bound)
{
	struct fake *f = ctx;

	f->intid_bound[intid] = bound;
	f->bind_hook_count++;
}

/* A custom MPIDR layout: Aff1 = vCPU, Aff0 = 0. */
static int fake_hook_mpidr_to_vcpu(void *ctx, uint64_t mpidr)
{
	struct fake *f = ctx;

	uint32_t aff1 = (uint32_t)(mpidr >> 8) & 0xffu;

	if ((mpidr & 0xffu) != 0)
		return -1;
	/* Out of range on purpose for unknown PEs: the dispatcher must check. */
	return aff1 < f->vcpu_count ? (int)aff1 : 99;
}

static bool fake_hook_address_valid(void *ctx, uint64_t address)
{
	(void)ctx;
	return address != FAKE_BAD_ADDRESS;
}

static void fake_hook_set_elr_spsr(void *ctx, uint32_t vcpu, uint64_t elr, uint64_t spsr)
{
	struct fake *f = ctx;

	f->elr[vcpu] = elr;
	f->spsr[vcpu] = spsr;
	f->elr_spsr_count++;
}

static void fake_hook_kick(void *ctx, uint32_t vcpu)
{
	struct fake *f = ctx;

	f->kick_count[vcpu]++;
}

/* Every register gets a distinct value derived from @seed. */
static FAKE_UNUSED void fake_regs_fill(struct sim_arm_regs *regs, uint64_t seed)
{
	uint32_t i;

	for (i = 0; i < SIM_ARM_GPR_COUNT; i++)
		regs->x[i] = (seed << 32) | (0xa000u + i);
	regs->pc = 0xffff800011110000ull + seed;
	regs->pstate = SIM_PSTATE_EL1h; /* interrupted with DAIF clear */
}

#define FAKE_HOOKS_ALL 1u   /* every optional hook but mpidr_to_vcpu */
#define FAKE_HOOK_MPIDR 2u  /* mpidr_to_vcpu too */

static FAKE_UNUSED int fake_init(struct fake *f, uint32_t vcpu_count, unsigned int hook_flags)
{
	struct sim_sdei_hooks hooks = {
		.enter = fake_hook_enter,
		.regs = fake_hook_regs,
	};
	uint32_t i;

	memset(f, 0, sizeof(*f));
	f->vcpu_count = vcpu_count;
	for (i = 0; i < FAKE_VCPU_COUNT_MAX; i++)
		fake_regs_fill(&f->regs[i], i + 1);
	if (hook_flags & FAKE_HOOKS_ALL) {
		hooks.intid_bindable = fake_hook_intid_bindable;
		hooks.intid_active = fake_hook_intid_active;
		hooks.intid_bind = fake_hook_intid_bind;
		hooks.address_valid = fake_hook_address_valid;
		hooks.set_elr_spsr = fake_hook_set_elr_spsr;
		hooks.kick = fake_hook_kick;
	}
	if (hook_flags & FAKE_HOOK_MPIDR)
		hooks.mpidr_to_vcpu = fake_hook_mpidr_to_vcpu;
	return sim_sdei_create(&f->sdei, vcpu_count, &hooks, f);
}

static FAKE_UNUSED void fake_fini(struct fake *f)
{
	sim_sdei_destroy(f->sdei);
	f->sdei = NULL;
}

static FAKE_UNUSED void fake_script_set(struct fake *f, uint32_t event,
					void (*run)(struct fake *, uint32_t, uint32_t, void *),
					void *data)
{
	uint32_t i;

	for (i = 0; i < f->script_count; i++) {
		if (f->script_events[i] == event)
			break;
	}
	if (i == f->script_count)
		f->script_count++;
	f->script_events[i] = event;
	f->scripts[i].run = run;
	f->scripts[i].data = data;
}

/* An SDEI call from @vcpu; returns x0 as the conduit would write it back. */
static FAKE_UNUSED uint64_t fake_call(struct fake *f, uint32_t vcpu, uint32_t fid, uint64_t x1,
				      uint64_t x2, uint64_t x3, uint64_t x4, uint64_t x5)
{
	uint64_t x[18] = { fid, x1, x2, x3, x4, x5 };
	uint64_t res[4] = { 0x1111, 0x2222, 0x3333, 0x4444 };

	f->last_returned = sim_sdei_call(f->sdei, vcpu, x, res);
	/* Results are 0 beyond x0. */
	if (res[1] != 0 || res[2] != 0 || res[3] != 0)
		return 0xbadbadbadull;
	return res[0];
}

static FAKE_UNUSED int64_t fake_call1(struct fake *f, uint32_t vcpu, uint32_t fid, uint64_t x1)
{
	return (int64_t)fake_call(f, vcpu, fid, x1, 0, 0, 0, 0);
}

static FAKE_UNUSED int64_t fake_complete(struct fake *f, uint32_t vcpu)
{
	return fake_call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE, PROTO_SDEI_EV_HANDLED);
}

static FAKE_UNUSED int64_t fake_register(struct fake *f, uint32_t vcpu, uint32_t event,
					 uint64_t mode, uint64_t affinity)
{
	return (int64_t)fake_call(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER, event, FAKE_ENTRY,
				  0x1000u + event, mode, affinity);
}

/* Register and enable @event on @vcpu and unmask that PE. */
static FAKE_UNUSED int64_t fake_arm(struct fake *f, uint32_t vcpu, uint32_t event)
{
	int64_t ret = fake_register(f, vcpu, event, PROTO_SDEI_EVENT_REGISTER_RM_ANY, 0);

	if (ret != PROTO_SDEI_SUCCESS)
		return ret;
	ret = fake_call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, event);
	if (ret != PROTO_SDEI_SUCCESS)
		return ret;
	return fake_call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0);
}

static void fake_hook_enter(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg,
			    uint32_t event)
{
	struct fake *f = ctx;
	struct fake_enter *log = NULL;
	uint32_t i;

	if (f->enter_count < FAKE_ENTER_LOG_SIZE)
		log = &f->enters[f->enter_count];
	f->enter_count++;
	if (log != NULL) {
		log->vcpu = vcpu;
		log->event = event;
		log->entry = entry;
		log->arg = arg;
		log->depth = sim_sdei_depth(f->sdei, vcpu);
		log->regs = f->regs[vcpu];
	}
	for (i = 0; i < f->script_count; i++) {
		if (f->script_events[i] == event) {
			f->scripts[i].run(f, vcpu, event, f->scripts[i].data);
			return;
		}
	}
	fake_complete(f, vcpu);
}

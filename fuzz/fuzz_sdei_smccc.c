// SPDX-License-Identifier: MIT
/*
 * Fuzz target: SMCCC, SDEI and PSCI call sequences with arbitrary arguments
 * against the composed platform (sim/include/sim/platform.h), on one
 * deterministic engine execution per input. See docs/fuzzing.md.
 *
 * Input (read through a bounded cursor; missing bytes read as 0):
 *   header  vcpus (1 + b % 3), flags, seed (u16, the random strategy's
 *           seed). Flags: bit 0 install the guest's system_event hook;
 *           bit 1 every guest task first unmasks its PE (PE_UNMASK); bit 2
 *           every guest task first registers and enables event 0 and
 *           EV_PRIV_CRIT on its PE (REGISTER + ENABLE). These boot calls
 *           are real calls, checked like the others; they let the fuzzer
 *           reach dispatch with one signal record.
 *   record  op, then for a call: mode (u16, 2 bits per argument x1..x5),
 *           then each argument by its mode:
 *             0  an interesting value (1 byte index into interesting[])
 *             1  a small value (1 byte)
 *             2  a raw 64-bit value (8 bytes)
 *             3  0 (no byte)
 *   op      0x00..0xDF  function ID fids[op % FID_COUNT] (real IDs)
 *           0xE0..0xEF  raw function ID: u32; odd ops add a u32 of junk in
 *                       bits 63:32 (the ID is W0)
 *           0xF0..0xFF  a host or guest action (signal, cancel, PPI line,
 *                       SGI, yield, IRQ mask), its operands as bytes
 * One guest task per vCPU takes records from the shared cursor in the order
 * the strategy runs them. An SDEI handler (the guest's sdei_enter hook) takes
 * up to HANDLER_RECORDS records itself, then completes with COMPLETE or
 * COMPLETE_AND_RESUME (one byte chooses); a CPU_ON entry task takes up to
 * CPU_ON_RECORDS. At most RECORDS_MAX records run per input.
 *
 * Property: no crash, no SIM_ASSERT, no sanitizer report, and every result is
 * one the specifications allow for that function ID (SMCCC DEN0028, PSCI
 * DEN0022, SDEI DEN0054 as docs/platform.md and docs/sdei.md state), with
 * x1..x3 = 0 where the call returns only x0; only a COMPLETE or
 * COMPLETE_AND_RESUME made inside a handler may "not return". A violation
 * aborts with the call and its result.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/psci.h"
#include "proto/sdei.h"
#include "proto/smccc.h"
#include "sim/platform.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "fuzz_cursor.h"

#define VCPUS_MAX 3u
#define RECORDS_MAX 96u
#define HANDLER_RECORDS 4u
#define CPU_ON_RECORDS 8u
#define STEP_COUNT_MAX 200000u
#define TRACE_RING_SIZE 256u /* small: the ring is allocated for every input */
#define GPA_BASE 0x40000000ull
#define BOOT_ENTRY 0x1000u /* handler entry point of the boot registrations */
#define PPI_IRQ 27u /* a PPI the guest enables: IRQs interleave with SDEI */

/* Platform events (as the host half would define them). */
#define EV_PRIV_CRIT 0x40400000u
#define EV_PRIV_NORM 0x40400001u
#define EV_SHARED_NORM 0x40400002u
#define EV_SHARED_CRIT 0x40400003u

#define SDEI_FN(n) PROTO_SDEI_1_0_FN(n)
#define SDEI_VERSION_EXPECTED ((1ull << 48) | (1ull << 32)) /* 1.1, vendor 0 */
#define SDEI_BIND_SLOTS_EXPECTED \
	(SIM_SDEI_BIND_SLOT_PRIVATE_COUNT | (SIM_SDEI_BIND_SLOT_SHARED_COUNT << 16))

static const uint32_t fids[] = {
	/* Arm architecture service */
	PROTO_ARM_SMCCC_VERSION_FUNC_ID, PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
	0x80000002u, 0x8000ff01u,
	/* SDEI 1.1, 0x20 .. 0x32, and two unimplemented IDs of its range */
	SDEI_FN(0x00), SDEI_FN(0x01), SDEI_FN(0x02), SDEI_FN(0x03), SDEI_FN(0x04),
	SDEI_FN(0x05), SDEI_FN(0x06), SDEI_FN(0x07), SDEI_FN(0x08), SDEI_FN(0x09),
	SDEI_FN(0x0A), SDEI_FN(0x0B), SDEI_FN(0x0C), SDEI_FN(0x0D), SDEI_FN(0x0E),
	SDEI_FN(0x0F), SDEI_FN(0x10), SDEI_FN(0x11), SDEI_FN(0x12), SDEI_FN(0x13),
	SDEI_FN(0x1F),
	/* SDEI numbers as SMC32 IDs: no service there */
	0x84000021u, 0x84000025u,
	/* PSCI 1.0, SMC32 and SMC64 */
	PROTO_PSCI_0_2_FN_PSCI_VERSION, PROTO_PSCI_0_2_FN_CPU_SUSPEND, PROTO_PSCI_0_2_FN_CPU_OFF,
	PROTO_PSCI_0_2_FN_CPU_ON, PROTO_PSCI_0_2_FN_AFFINITY_INFO, PROTO_PSCI_0_2_FN(5),
	PROTO_PSCI_0_2_FN_MIGRATE_INFO_TYPE, PROTO_PSCI_0_2_FN_SYSTEM_OFF,
	PROTO_PSCI_0_2_FN_SYSTEM_RESET, PROTO_PSCI_1_0_FN_PSCI_FEATURES, PROTO_PSCI_0_2_FN(0x0E),
	PROTO_PSCI_0_2_FN64_CPU_SUSPEND, PROTO_PSCI_0_2_FN64_CPU_ON,
	PROTO_PSCI_0_2_FN64_AFFINITY_INFO, PROTO_PSCI_0_2_FN64(0), PROTO_PSCI_0_2_FN64(0x12),
	/* KVM vendor hypervisor service: not registered on the bare platform */
	PROTO_ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, PROTO_ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID,
	PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID,
	/* yielding call, reserved bits 23:16, trusted OS, standard hyp */
	0x04000000u, 0xC4010021u, 0xB2000000u, 0xC5000000u,
};
#define FID_COUNT (sizeof(fids) / sizeof(fids[0]))

static const uint64_t interesting[] = {
	0, 1, 2, 3, 4, 5, 17, 18,
	EV_PRIV_CRIT, EV_PRIV_NORM, EV_SHARED_NORM, EV_SHARED_CRIT,
	SIM_SDEI_BIND_EVENT_PRIVATE_BASE, SIM_SDEI_BIND_EVENT_PRIVATE_BASE + 1,
	SIM_SDEI_BIND_EVENT_SHARED_BASE, SIM_SDEI_BIND_EVENT_SHARED_BASE + 1,
	0x10, 0x100, 0xff00000000ull, 0x80000000ull,     /* MPIDRs, good and bad */
	0x1000, 0xffff000010000000ull,                    /* entry / resume addresses */
	15, 16, 27, 31, 32, 1019, 1020,                   /* INTIDs */
	UINT64_MAX, 0xffffffffull, 0x100000000ull,
	PROTO_PSCI_0_2_FN_CPU_ON, PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID, SDEI_FN(0x01),
	PROTO_PSCI_0_2_FN_SYSTEM_RESET,
};
#define INTERESTING_COUNT (sizeof(interesting) / sizeof(interesting[0]))

struct world {
	struct sim *sim;
	struct sim_strategy *strategy;
	struct sim_platform *platform;
	struct fuzz_cursor cursor;
	uint32_t vcpu_count;
	uint32_t records_left;
	bool system_event_hook;
	bool boot_unmask;
	bool boot_register;
};

/* SDEI handlers running on this engine thread (the handler runs on the
 * thread of the vCPU it interrupted). */
static __thread uint32_t handler_depth;

#define FUZZ_FAIL(...)                                                        \
	do {                                                                  \
		fprintf(stderr, "fuzz_sdei_smccc: property violated: ");      \
		fprintf(stderr, __VA_ARGS__);                                 \
		fputc('\n', stderr);                                          \
		abort();                                                      \
	} while (0)

static bool in_set(int64_t v, const int64_t *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

#define IN(v, ...) in_set((v), (const int64_t[]){ __VA_ARGS__ }, \
			  sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t))

static bool sdei_error(int64_t v)
{
	return IN(v, PROTO_SDEI_NOT_SUPPORTED, PROTO_SDEI_INVALID_PARAMETERS, PROTO_SDEI_DENIED,
		  PROTO_SDEI_PENDING, PROTO_SDEI_OUT_OF_RESOURCE);
}

/* Is @v the affinity of one of the execution's vCPUs? */
static bool valid_mpidr(const struct world *w, uint64_t v)
{
	for (uint32_t vcpu = 0; vcpu < w->vcpu_count; vcpu++)
		if (sim_psci_vcpu_to_mpidr(vcpu) == v)
			return true;
	return false;
}

/* The SDEI result rules of docs/sdei.md for function number @n (0x20..0x3F). */
static bool sdei_result_ok(const struct world *w, uint32_t n, const struct sim_smccc_regs *r)
{
	int64_t v = (int64_t)r->a[0];

	switch (n - 0x20) {
	case 0x00: /* VERSION */
		return r->a[0] == SDEI_VERSION_EXPECTED;
	case 0x04: /* EVENT_CONTEXT: a saved register, any value */
		return true;
	case 0x08: /* EVENT_STATUS */
		return (v >= 0 && v <= 7) || sdei_error(v);
	case 0x09: /* EVENT_GET_INFO */
		if (sdei_error(v))
			return true;
		switch (r->x[2]) {
		case PROTO_SDEI_EVENT_INFO_EV_TYPE:
		case PROTO_SDEI_EVENT_INFO_EV_SIGNALED:
		case PROTO_SDEI_EVENT_INFO_EV_PRIORITY:
		case PROTO_SDEI_EVENT_INFO_EV_ROUTING_MODE:
			return v == 0 || v == 1;
		case PROTO_SDEI_EVENT_INFO_EV_ROUTING_AFF:
			return valid_mpidr(w, r->a[0]);
		default:
			return false; /* any other selector is INVALID_PARAMETERS */
		}
	case 0x0B: /* PE_MASK: 1 if the PE was unmasked, else 0 */
		return v == 0 || v == 1;
	case 0x0D: /* INTERRUPT_BIND: a dynamic slot */
		return IN(v, SIM_SDEI_BIND_EVENT_PRIVATE_BASE, SIM_SDEI_BIND_EVENT_PRIVATE_BASE + 1,
			  SIM_SDEI_BIND_EVENT_SHARED_BASE, SIM_SDEI_BIND_EVENT_SHARED_BASE + 1) ||
		       sdei_error(v);
	case 0x10: /* FEATURES */
		return r->x[1] == PROTO_SDEI_FEATURE_BIND_SLOTS
			       ? r->a[0] == SDEI_BIND_SLOTS_EXPECTED
			       : v == PROTO_SDEI_INVALID_PARAMETERS;
	case 0x01: case 0x02: case 0x03: case 0x05: case 0x06: case 0x07: case 0x0A:
	case 0x0C: case 0x0E: case 0x0F: case 0x11: case 0x12:
		return v == PROTO_SDEI_SUCCESS || sdei_error(v);
	default: /* 0x13 .. 0x1F: in the range, not implemented */
		return v == PROTO_SDEI_NOT_SUPPORTED;
	}
}

/* The PSCI result rules of docs/platform.md for function number @n (0..0x1F). */
static bool psci_result_ok(const struct world *w, uint32_t fid, const struct sim_smccc_regs *r)
{
	int64_t v = (int64_t)r->a[0];
	bool smc64 = proto_smccc_is_64(fid);

	switch (proto_smccc_func_num(fid)) {
	case 0: /* PSCI_VERSION (SMC32 only) */
		return smc64 ? v == PROTO_PSCI_RET_NOT_SUPPORTED : r->a[0] == SIM_PSCI_VERSION;
	case 2: /* CPU_OFF */
		return smc64 ? v == PROTO_PSCI_RET_NOT_SUPPORTED
			     : IN(v, PROTO_PSCI_RET_SUCCESS, PROTO_PSCI_RET_DENIED);
	case 3: /* CPU_ON */
		return IN(v, PROTO_PSCI_RET_SUCCESS, PROTO_PSCI_RET_INVALID_PARAMS,
			  PROTO_PSCI_RET_ALREADY_ON, PROTO_PSCI_RET_ON_PENDING,
			  PROTO_PSCI_RET_INTERNAL_FAILURE, PROTO_PSCI_RET_INVALID_ADDRESS);
	case 4: /* AFFINITY_INFO */
		return IN(v, PROTO_PSCI_0_2_AFFINITY_LEVEL_ON, PROTO_PSCI_0_2_AFFINITY_LEVEL_OFF,
			  PROTO_PSCI_0_2_AFFINITY_LEVEL_ON_PENDING, PROTO_PSCI_RET_INVALID_PARAMS);
	case 6: /* MIGRATE_INFO_TYPE: no Trusted OS */
		return smc64 ? v == PROTO_PSCI_RET_NOT_SUPPORTED : v == PROTO_PSCI_0_2_TOS_MP;
	case 8: /* SYSTEM_OFF */
	case 9: /* SYSTEM_RESET */
		if (smc64)
			return v == PROTO_PSCI_RET_NOT_SUPPORTED;
		return v == (w->system_event_hook ? PROTO_PSCI_RET_SUCCESS
						  : PROTO_PSCI_RET_NOT_SUPPORTED);
	case 10: /* PSCI_FEATURES */
		return smc64 ? v == PROTO_PSCI_RET_NOT_SUPPORTED
			     : IN(v, PROTO_PSCI_RET_SUCCESS, PROTO_PSCI_RET_NOT_SUPPORTED);
	default: /* CPU_SUSPEND, MIGRATE, SYSTEM_SUSPEND, ...: not implemented */
		return v == PROTO_PSCI_RET_NOT_SUPPORTED;
	}
}

static void check_result(const struct world *w, const struct sim_smccc_regs *r, bool returned)
{
	uint32_t fid = (uint32_t)r->x[0];
	uint32_t owner = proto_smccc_owner_num(fid);
	uint32_t n = proto_smccc_func_num(fid);
	bool ok, only_x0 = true;
	int64_t v = (int64_t)r->a[0];

	if (!returned) {
		if (fid != PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE &&
		    fid != PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME)
			FUZZ_FAIL("call 0x%08x (x1 0x%llx) did not return", fid,
				  (unsigned long long)r->x[1]);
		if (handler_depth == 0)
			FUZZ_FAIL("COMPLETE 0x%08x did not return outside any handler", fid);
		return;
	}
	if (!proto_smccc_is_fast_call(fid) || (fid & 0x00ff0000u) != 0) {
		ok = v == PROTO_SMCCC_RET_NOT_SUPPORTED;
	} else if (owner == PROTO_ARM_SMCCC_OWNER_ARCH && !proto_smccc_is_64(fid)) {
		if (fid == PROTO_ARM_SMCCC_VERSION_FUNC_ID)
			ok = r->a[0] == PROTO_ARM_SMCCC_VERSION_1_1;
		else if (fid == PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID)
			ok = IN(v, PROTO_SMCCC_RET_SUCCESS, PROTO_SMCCC_RET_NOT_SUPPORTED);
		else
			ok = v == PROTO_SMCCC_RET_NOT_SUPPORTED;
	} else if (owner == PROTO_ARM_SMCCC_OWNER_STANDARD && n <= 0x1f) {
		ok = psci_result_ok(w, fid, r);
	} else if (owner == PROTO_ARM_SMCCC_OWNER_STANDARD && n <= 0x3f && proto_smccc_is_64(fid)) {
		ok = sdei_result_ok(w, n, r);
	} else {
		ok = v == PROTO_SMCCC_RET_NOT_SUPPORTED;
	}
	if (only_x0 && (r->a[1] | r->a[2] | r->a[3]) != 0)
		FUZZ_FAIL("call 0x%08x returned x1..x3 = 0x%llx 0x%llx 0x%llx (expected 0)", fid,
			  (unsigned long long)r->a[1], (unsigned long long)r->a[2],
			  (unsigned long long)r->a[3]);
	if (!ok)
		FUZZ_FAIL("call 0x%08x (x1 0x%llx x2 0x%llx x3 0x%llx x4 0x%llx) returned 0x%llx (%lld),"
			  " not a result the specification allows",
			  fid, (unsigned long long)r->x[1], (unsigned long long)r->x[2],
			  (unsigned long long)r->x[3], (unsigned long long)r->x[4],
			  (unsigned long long)r->a[0], (long long)v);
}

static uint64_t take_arg(struct fuzz_cursor *c, unsigned int mode)
{
	switch (mode & 3u) {
	case 0:
		return interesting[fuzz_pick(c, INTERESTING_COUNT)];
	case 1:
		return fuzz_u8(c);
	case 2:
		return fuzz_u64(c);
	default:
		return 0;
	}
}

/* Make one call; true if it returned. */
static bool hvc(struct world *w, struct sim_smccc_regs *regs)
{
	bool returned;

	for (uint32_t i = 6; i < SIM_SMCCC_ARG_COUNT; i++)
		regs->x[i] = 0x6600000000000000ull | i; /* recognisable in EVENT_CONTEXT */
	memset(regs->a, 0xa5, sizeof(regs->a));
	returned = sim_platform_hvc(w->platform, regs);
	check_result(w, regs, returned);
	return returned;
}

static uint32_t self_vcpu(const struct world *w)
{
	int vcpu = sim_self_vcpu();

	if (vcpu < 0 || (uint32_t)vcpu >= w->vcpu_count)
		FUZZ_FAIL("guest code runs on vCPU %d of %u", vcpu, w->vcpu_count);
	return (uint32_t)vcpu;
}

/* A host or guest action that is not a call. */
static void action(struct world *w, uint8_t op)
{
	struct fuzz_cursor *c = &w->cursor;
	struct sim_sdei *sdei = sim_platform_sdei(w->platform);
	uint32_t vcpu = fuzz_u8(c) % (w->vcpu_count + 1); /* one past the end: -EINVAL */
	uint32_t value = (uint32_t)interesting[fuzz_pick(c, INTERESTING_COUNT)];
	bool pending = false;
	int ret;

	switch (op & 0x7u) {
	case 0: /* the host injects an SDEI event during an exit */
		sim_platform_host_enter(w->platform);
		ret = sim_sdei_signal(sdei, vcpu, value);
		if (!IN(ret, 0, -EALREADY, -ENOENT, -EINVAL))
			FUZZ_FAIL("sim_sdei_signal(%u, 0x%x) returned %d", vcpu, value, ret);
		sim_platform_host_exit(w->platform);
		break;
	case 1:
		ret = sim_sdei_cancel(sdei, vcpu, value, &pending);
		if (!IN(ret, 0, -EINPROGRESS, -EINVAL))
			FUZZ_FAIL("sim_sdei_cancel(%u, 0x%x) returned %d", vcpu, value, ret);
		break;
	case 2:
		ret = sim_platform_irq_line(w->platform, vcpu, value, (op & 0x8u) == 0);
		if (!IN(ret, 0, -EINVAL, -EALREADY, -ENOENT))
			FUZZ_FAIL("sim_platform_irq_line(%u, %u) returned %d", vcpu, value, ret);
		break;
	case 3:
		ret = sim_platform_send_sgi(w->platform, vcpu, value);
		if (!IN(ret, 0, -EINVAL))
			FUZZ_FAIL("sim_platform_send_sgi(%u, %u) returned %d", vcpu, value, ret);
		break;
	case 4:
		/* PSTATE.I is the guest's: only outside handlers, which run masked. */
		if (handler_depth == 0) {
			if (op & 0x8u)
				sim_platform_irq_enable(w->platform);
			else
				sim_platform_irq_disable(w->platform);
		}
		break;
	default:
		sim_yield();
		break;
	}
}

/*
 * Run up to @max records from the shared cursor. Return: true when a call
 * did not return (a COMPLETE in a handler): the caller must return at once.
 */
static bool run_records(struct world *w, uint32_t max)
{
	struct fuzz_cursor *c = &w->cursor;

	for (uint32_t i = 0; i < max && w->records_left > 0 && !fuzz_cursor_done(c); i++) {
		struct sim_smccc_regs regs;
		uint8_t op = fuzz_u8(c);
		uint16_t mode;

		w->records_left--;
		(void)self_vcpu(w);
		if (op >= 0xf0) {
			action(w, op);
			continue;
		}
		memset(&regs, 0, sizeof(regs));
		if (op < 0xe0) {
			regs.x[0] = fids[op % FID_COUNT];
		} else {
			regs.x[0] = fuzz_u32(c);
			if (op & 1u)
				regs.x[0] |= (uint64_t)fuzz_u32(c) << 32;
		}
		mode = fuzz_u16(c);
		for (uint32_t a = 1; a <= 5; a++)
			regs.x[a] = take_arg(c, mode >> (2 * (a - 1)));
		if (!hvc(w, &regs))
			return true;
	}
	return false;
}

/* The client's SDEI handler: some calls, then COMPLETE or COMPLETE_AND_RESUME. */
static void guest_sdei_enter(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t arg,
			     uint32_t event)
{
	struct world *w = ctx;
	struct sim_smccc_regs regs;
	uint8_t how;

	(void)entry;
	(void)arg;
	(void)event;
	if (vcpu != self_vcpu(w))
		FUZZ_FAIL("SDEI handler for vCPU %u entered on vCPU %u", vcpu, self_vcpu(w));
	handler_depth++;
	if (run_records(w, HANDLER_RECORDS))
		goto out; /* completed by one of its records */
	how = fuzz_u8(&w->cursor);
	memset(&regs, 0, sizeof(regs));
	if (how & 1u) {
		regs.x[0] = PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME;
		regs.x[1] = interesting[(how >> 1) % INTERESTING_COUNT];
		if (!hvc(w, &regs))
			goto out;
		/* DENIED (resume address 0): the handler still runs; complete plainly. */
	}
	memset(&regs, 0, sizeof(regs));
	regs.x[0] = PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE;
	(void)hvc(w, &regs); /* returns only when there is nothing to complete */
out:
	handler_depth--;
}

static void guest_cpu_entry(void *ctx, uint32_t vcpu, uint64_t entry, uint64_t context_id)
{
	struct world *w = ctx;

	(void)entry;
	(void)context_id;
	if (vcpu != self_vcpu(w))
		FUZZ_FAIL("CPU_ON entry for vCPU %u runs on vCPU %u", vcpu, self_vcpu(w));
	(void)run_records(w, CPU_ON_RECORDS);
}

static void guest_system_event(void *ctx, uint32_t vcpu, enum sim_psci_system_event event)
{
	(void)ctx;
	(void)vcpu;
	(void)event;
}

static bool boot_call(struct world *w, uint64_t fid, uint64_t x1, uint64_t x2)
{
	struct sim_smccc_regs regs = { .x = { fid, x1, x2 } };

	return hvc(w, &regs);
}

static void guest_task(void *arg)
{
	struct world *w = arg;

	if (w->boot_register) {
		static const uint32_t events[] = { PROTO_SDEI_SW_SIGNALED_EVENT, EV_PRIV_CRIT };

		for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
			if (!boot_call(w, PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER, events[i], BOOT_ENTRY) ||
			    !boot_call(w, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, events[i], 0))
				FUZZ_FAIL("a boot REGISTER / ENABLE did not return");
		}
	}
	if (w->boot_unmask && !boot_call(w, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0, 0))
		FUZZ_FAIL("the boot PE_UNMASK did not return");
	(void)run_records(w, RECORDS_MAX);
}

static void setup_platform(struct world *w)
{
	struct sim_sdei *sdei = sim_platform_sdei(w->platform);
	struct sim_gic *gic = sim_platform_gic(w->platform);
	struct sim_platform_guest_ops ops = {
		.sdei_enter = guest_sdei_enter,
		.cpu_entry = guest_cpu_entry,
		.system_event = w->system_event_hook ? guest_system_event : NULL,
	};

	sim_platform_set_guest_ops(w->platform, &ops, w);
	if (sim_sdei_event_define(sdei, EV_PRIV_CRIT, SIM_SDEI_EVENT_PRIVATE,
				  SIM_SDEI_PRIORITY_CRITICAL, false) != 0 ||
	    sim_sdei_event_define(sdei, EV_PRIV_NORM, SIM_SDEI_EVENT_PRIVATE,
				  SIM_SDEI_PRIORITY_NORMAL, false) != 0 ||
	    sim_sdei_event_define(sdei, EV_SHARED_NORM, SIM_SDEI_EVENT_SHARED,
				  SIM_SDEI_PRIORITY_NORMAL, false) != 0 ||
	    sim_sdei_event_define(sdei, EV_SHARED_CRIT, SIM_SDEI_EVENT_SHARED,
				  SIM_SDEI_PRIORITY_CRITICAL, false) != 0)
		FUZZ_FAIL("cannot define the platform's SDEI events");
	for (uint32_t v = 0; v < w->vcpu_count; v++) {
		if (sim_gic_set_pmr(gic, v, 0xf0) != 0 ||
		    sim_gic_set_priority(gic, v, PPI_IRQ, 0xa0) != 0 ||
		    sim_gic_set_enabled(gic, v, PPI_IRQ, true) != 0)
			FUZZ_FAIL("cannot program the GIC of vCPU %u", v);
	}
}

/* APFSIM_FUZZ_STATS=1: what one input did (for writing seeds). */
static void print_stats(const struct world *w)
{
	const struct sim_sdei_stats *sdei = sim_sdei_stats(sim_platform_sdei(w->platform));
	const struct sim_platform_stats *platform = sim_platform_stats(w->platform);
	const struct sim_result *result = sim_result(w->sim);

	fprintf(stderr,
		"fuzz_sdei_smccc: vcpus %u records %u calls %llu sdei-calls %llu dispatches %llu"
		" completes %llu resumes %llu irqs %llu cpu-on %llu cpu-off %llu steps %llu"
		" findings %u%s%s\n",
		w->vcpu_count, RECORDS_MAX - w->records_left,
		(unsigned long long)sim_smccc_stats(sim_platform_smccc(w->platform))->call_count,
		(unsigned long long)sdei->call_count, (unsigned long long)sdei->dispatch_count,
		(unsigned long long)sdei->complete_count, (unsigned long long)sdei->resume_count,
		(unsigned long long)platform->irq_entry_count,
		(unsigned long long)platform->cpu_on_count, (unsigned long long)platform->cpu_off_count,
		(unsigned long long)result->step_count, result->finding_count,
		result->finding_count > 0 ? " first: " : "",
		result->finding_count > 0 ? result->findings[0].class_name : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world w = { .cursor = fuzz_cursor_make(data, size) };
	struct sim_platform_config platform_config = {
		.memory = { .gpa_base = GPA_BASE, .page_count = 4, .nonresident_ratio = { 0, 1 } },
	};
	struct sim_strategy_config strategy_config = { 0 };
	struct sim_config config = {
		.pin_cpu = -1, .step_count_max = STEP_COUNT_MAX, .trace_ring_size = TRACE_RING_SIZE,
	};
	char error[128] = "";
	uint8_t flags;

	w.vcpu_count = 1 + fuzz_u8(&w.cursor) % VCPUS_MAX;
	flags = fuzz_u8(&w.cursor);
	w.system_event_hook = (flags & 1u) != 0;
	w.boot_unmask = (flags & 2u) != 0;
	w.boot_register = (flags & 4u) != 0;
	config.seed = fuzz_u16(&w.cursor);
	config.vcpu_count = w.vcpu_count;
	strategy_config.seed = config.seed;
	w.records_left = RECORDS_MAX;

	if (sim_strategy_create("random", &strategy_config, &w.strategy) != 0)
		FUZZ_FAIL("cannot create the random strategy");
	if (sim_create(&w.sim, &config, w.strategy) != 0)
		FUZZ_FAIL("cannot create the execution");
	if (sim_platform_create(&w.platform, w.sim, &platform_config, error, sizeof(error)) != 0)
		FUZZ_FAIL("cannot create the platform: %s", error);
	setup_platform(&w);
	for (uint32_t v = 0; v < w.vcpu_count; v++) {
		struct sim_thread_attr attr = { .kind = SIM_THREAD_TASK, .name = "fuzz", .vcpu = v };

		if (sim_spawn(w.sim, &attr, guest_task, &w) == SIM_THREAD_NONE)
			FUZZ_FAIL("cannot spawn the guest task of vCPU %u", v);
	}
	if (sim_run(w.sim) != 0)
		FUZZ_FAIL("sim_run failed (operating error)");
	if (getenv("APFSIM_FUZZ_STATS") != NULL)
		print_stats(&w);
	sim_destroy(w.sim);
	sim_platform_destroy(w.platform);
	sim_strategy_destroy(w.strategy);
	return 0;
}

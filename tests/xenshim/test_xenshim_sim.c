// SPDX-License-Identifier: MIT
/*
 * Goal: under the deterministic engine, with the strategies exploring the
 * interleavings of several vCPUs:
 * - register / unregister while other vCPUs keep calling: every call
 *   returns the result of exactly one page, a call made wholly while the
 *   shim is registered reaches the shim, one made wholly before or after
 *   reaches the native page, no call is lost, and no call runs on a
 *   released page (all pages unmapped at the end);
 * - unregister while a call is in flight waits for it, and new calls
 *   meanwhile reach the restored page;
 * - two slots racing to register one page: exactly one gets it;
 * - the same scenarios with the RFC's unsynchronised swap (the planted bug,
 *   XENSHIM_LCALL_RFC_UNSAFE) are caught: a "xenshim-dead-page" finding
 *   for some seed, and an unregister that returns while its call runs;
 * - event channels between two domains on three vCPUs: concurrent
 *   alloc_unbound gives distinct ports, and a guest consuming upcalls with
 *   the 2-level protocol never loses an event; the dispatcher runs with
 *   preemption disabled;
 * - sleeping inside the dispatcher (a platform hook that sleeps) is a
 *   "sleep-in-atomic" finding;
 * - a run is reproduced exactly from its seed (same trace hash).
 * Method: kshim tasks on 3 vCPUs calling through real hypercall pages,
 * random and PCT strategies over fixed seed ranges; checks inside threads
 * become "test-assertion" findings.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include "sim/kshim.h"
#include "sim/sim.h"
#include "sim/strategy.h"
#include "check_support.h"
#include "xen_shim.h"
#include "xenshim/xenshim.h"

#define NATIVE_RESULT 0x4e41544956l /* "NATIV" */
#define SHIM_VERSION ((4l << 16) | 17l)
#define CALLER_COUNT 2u
#define CALLS_PER_CALLER 5u
#define SWAP_CYCLES 2u
#define WAIT_ROUNDS_MAX 1000u
#define DOM1 1
#define EVTCHN_PREALLOCATED 62u

#define CHECK_IN_SIM(w, cond)                                                       \
	do {                                                                        \
		if (!(cond))                                                        \
			SIM_FAIL((w)->sim, "test-assertion", "%s:%d: %s", __FILE__, \
				 __LINE__, #cond);                                  \
	} while (0)

struct world {
	struct sim *sim;
	struct sim_strategy *strategy;
	struct kshim *kshim;
	struct xen_shim *shim;
	struct xenshim_lcall *slot;
	struct xenshim_lcall *slot2; /* a second slot, for the one-slot rule */
	int register_result[2];
	struct xenshim_page *native;
	struct xenshim_page *shim_pages[SWAP_CYCLES];
	struct xenshim_page *slow;
	bool unsafe;
	uint64_t live_before;
	/* swap scenario */
	int phase; /* 4i+1 registering, 4i+2 registered, 4i+3 unregistering, 4i+4 done */
	uint64_t native_entries;
	uint64_t native_results;
	uint64_t shim_results;
	uint64_t other_results;
	/* in-flight scenario */
	struct completion in_call;
	int call_done;
	int unregister_saw_done;
	long late_result;
	/* event channels */
	struct completion allocated;
	struct completion upcall[2];
	uint32_t dom1_port[2];
	uint32_t received[2];
	uint64_t hook_upcalls[2];
	int hook_preempt_ok;
	int hook_sleeps;
};

typedef void (*world_setup_fn)(struct world *w);

static long native_entry(void *ctx, const struct xenshim_regs *regs)
{
	struct world *w = ctx;

	(void)regs;
	w->native_entries++;
	return NATIVE_RESULT;
}

static void on_upcall(void *ctx, u16 domid, u32 vcpu)
{
	struct world *w = ctx;

	(void)vcpu;
	if (preempt_count() > 0)
		w->hook_preempt_ok++;
	if (w->hook_sleeps)
		msleep(1); /* forbidden: we are inside the hypercall */
	if (domid <= 1) {
		w->hook_upcalls[domid]++;
		complete(&w->upcall[domid]);
	}
}

static const struct xen_shim_ops shim_ops = { .upcall = on_upcall };

static const struct sim_result *world_run(struct world *w, const char *strategy_name,
					  uint64_t seed, bool unsafe, world_setup_fn setup)
{
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_config config = { .seed = seed, .vcpu_count = 3, .pin_cpu = -1 };
	struct xen_shim_config shim_config = { .ops = &shim_ops };
	struct xen_shim_domain_config d1 = {
		.domid = DOM1, .mem_pages = 4, .grant_frames_max = 0, .vcpu_count = 2,
	};
	struct xenshim_lcall_config lcall_config = {
		.flags = unsafe ? XENSHIM_LCALL_RFC_UNSAFE : 0,
	};
	unsigned int i;

	memset(w, 0, sizeof(*w));
	w->unsafe = unsafe;
	w->live_before = xenshim_page_live_count();
	shim_config.ops_ctx = w;
	ck_assert_int_eq(sim_strategy_create(strategy_name, &strategy_config, &w->strategy), 0);
	ck_assert_int_eq(sim_create(&w->sim, &config, w->strategy), 0);
	ck_assert_int_eq(kshim_create(&w->kshim, w->sim, NULL), 0);
	ck_assert_int_eq(xen_shim_create(&w->shim, &shim_config), 0);
	ck_assert_int_eq(xen_shim_domain_create(w->shim, &d1), 0);
	ck_assert_int_eq(xenshim_page_create(&w->native, native_entry, w), 0);
	for (i = 0; i < SWAP_CYCLES; i++)
		ck_assert_int_eq(xenshim_page_create_shim(&w->shim_pages[i], w->shim), 0);
	ck_assert_int_eq(xenshim_lcall_create(&w->slot, w->native, &lcall_config), 0);
	init_completion(&w->in_call);
	init_completion(&w->allocated);
	init_completion(&w->upcall[0]);
	init_completion(&w->upcall[1]);
	setup(w);
	ck_assert_int_eq(sim_run(w->sim), 0);
	ck_assert_uint_eq(kshim_finish(w->kshim), 0);
	return sim_result(w->sim);
}

static void world_end(struct world *w)
{
	unsigned int i;

	if (xenshim_lcall_registered(w->slot) && !w->unsafe)
		ck_assert_int_eq(xenshim_unregister(w->slot), 0);
	xenshim_lcall_destroy(w->slot);
	if (w->slot2 != NULL && xenshim_lcall_registered(w->slot2))
		ck_assert_int_eq(xenshim_unregister(w->slot2), 0);
	xenshim_lcall_destroy(w->slot2);
	for (i = 0; i < SWAP_CYCLES; i++)
		xenshim_page_put(w->shim_pages[i]);
	xenshim_page_put(w->slow);
	xenshim_page_put(w->native);
	xenshim_graveyard_flush();
	ck_assert_uint_eq(xenshim_page_live_count(), w->live_before);
	xen_shim_destroy(w->shim);
	kshim_destroy(w->kshim);
	sim_destroy(w->sim);
	sim_strategy_destroy(w->strategy);
}

static const struct sim_finding *find_class(const struct sim_result *result, const char *name)
{
	uint32_t i;

	for (i = 0; i < result->finding_count && i < SIM_FINDING_COUNT_MAX; i++) {
		if (strcmp(result->findings[i].class_name, name) == 0)
			return &result->findings[i];
	}
	return NULL;
}

/* ---- register / unregister under concurrent callers ---- */

static void swapper_task(void *arg)
{
	struct world *w = arg;
	unsigned int i;

	for (i = 0; i < SWAP_CYCLES; i++) {
		WRITE_ONCE(w->phase, (int)(4 * i + 1));
		CHECK_IN_SIM(w, xenshim_register(w->slot, w->shim_pages[i]) == 0);
		WRITE_ONCE(w->phase, (int)(4 * i + 2));
		sim_yield();
		WRITE_ONCE(w->phase, (int)(4 * i + 3));
		CHECK_IN_SIM(w, xenshim_unregister(w->slot) == 0);
		WRITE_ONCE(w->phase, (int)(4 * i + 4));
		/* The creator's reference: the page may go away now. */
		xenshim_page_put(w->shim_pages[i]);
		w->shim_pages[i] = NULL;
	}
}

static void caller_task(void *arg)
{
	struct world *w = arg;
	unsigned int i;

	for (i = 0; i < CALLS_PER_CALLER; i++) {
		int before = READ_ONCE(w->phase);
		long ret = xenshim_hypercall(w->slot, PROTO___HYPERVISOR_xen_version,
					     PROTO_XENVER_version, 0, 0, 0, 0);
		int after = READ_ONCE(w->phase);

		if (ret == NATIVE_RESULT)
			w->native_results++;
		else if (ret == SHIM_VERSION)
			w->shim_results++;
		else
			w->other_results++;
		if (w->unsafe)
			continue;
		CHECK_IN_SIM(w, ret == NATIVE_RESULT || ret == SHIM_VERSION);
		/* Wholly inside a registered window: the shim answered. */
		if (before == after && before % 4 == 2)
			CHECK_IN_SIM(w, ret == SHIM_VERSION);
		/* Wholly outside one: the native page answered. */
		if (before == after && before % 4 == 0)
			CHECK_IN_SIM(w, ret == NATIVE_RESULT);
	}
}

static void setup_swap(struct world *w)
{
	unsigned int i;

	kshim_spawn_task(w->kshim, 0, "swapper", swapper_task, w);
	for (i = 0; i < CALLER_COUNT; i++)
		kshim_spawn_task(w->kshim, 1 + i, "caller", caller_task, w);
}

static void run_swap_safe(const char *strategy, uint64_t seed_count)
{
	const struct sim_result *result;
	uint64_t shim_seen = 0;
	struct world w;
	uint64_t seed;

	for (seed = 1; seed <= seed_count; seed++) {
		result = world_run(&w, strategy, seed, false, setup_swap);
		support_assert_no_finding(result, seed);
		/* No call lost: every call is accounted for by exactly one page. */
		ck_assert_uint_eq(w.native_results + w.shim_results, CALLER_COUNT * CALLS_PER_CALLER);
		ck_assert_uint_eq(w.other_results, 0);
		ck_assert_uint_eq(w.native_entries, w.native_results);
		ck_assert_ptr_eq(xenshim_lcall_active(w.slot), w.native);
		ck_assert(!xenshim_lcall_registered(w.slot));
		/* Both shim pages are gone: only the native page is still mapped. */
		ck_assert_uint_eq(xenshim_page_live_count(), w.live_before + 1);
		shim_seen += w.shim_results;
		world_end(&w);
	}
	/* The exploration did reach the shim (the test can tell the pages apart). */
	ck_assert_uint_gt(shim_seen, 0);
}

START_TEST(test_swap_under_callers_random)
{
	run_swap_safe("random", 40);
}
END_TEST

START_TEST(test_swap_under_callers_pct)
{
	run_swap_safe("pct", 40);
}
END_TEST

/* The planted bug: the RFC's swap. Some seed must end with a finding. */
static void run_swap_unsafe(const char *strategy)
{
	const struct sim_result *result;
	const struct sim_finding *f;
	char message[SIM_FINDING_MESSAGE_SIZE] = "";
	uint64_t seed, lost = 0;
	struct world w;

	for (seed = 1; seed <= 400 && message[0] == '\0'; seed++) {
		result = world_run(&w, strategy, seed, true, setup_swap);
		f = find_class(result, XENSHIM_FINDING_DEAD_PAGE);
		if (f != NULL)
			snprintf(message, sizeof(message), "%s", f->message);
		lost += w.other_results;
		world_end(&w);
	}
	ck_assert_msg(message[0] != '\0', "%s: the RFC swap race was not found in 400 seeds",
		      strategy);
	printf("xenshim: %s found the RFC swap race at seed %llu: %s (%llu calls failed)\n",
	       strategy, (unsigned long long)(seed - 1), message, (unsigned long long)lost);
}

START_TEST(test_rfc_swap_race_found_random)
{
	run_swap_unsafe("random");
}
END_TEST

START_TEST(test_rfc_swap_race_found_pct)
{
	run_swap_unsafe("pct");
}
END_TEST

/* ---- unregister while a call is in flight ---- */

static long slow_entry(void *ctx, const struct xenshim_regs *regs)
{
	struct world *w = ctx;
	unsigned int i;

	(void)regs;
	complete_all(&w->in_call);
	/* Stay in the call until unregister has swapped the page out. */
	for (i = 0; i < WAIT_ROUNDS_MAX && xenshim_lcall_registered(w->slot); i++)
		msleep(1);
	CHECK_IN_SIM(w, i < WAIT_ROUNDS_MAX);
	WRITE_ONCE(w->call_done, 1);
	return SHIM_VERSION;
}

static void inflight_caller(void *arg)
{
	struct world *w = arg;

	CHECK_IN_SIM(w, xenshim_hypercall(w->slot, 17, 0, 0, 0, 0, 0) == SHIM_VERSION);
}

static void inflight_unregister(void *arg)
{
	struct world *w = arg;

	wait_for_completion(&w->in_call);
	CHECK_IN_SIM(w, xenshim_unregister(w->slot) == 0);
	w->unregister_saw_done = READ_ONCE(w->call_done);
	if (!w->unsafe)
		CHECK_IN_SIM(w, w->unregister_saw_done == 1);
}

static void inflight_newcomer(void *arg)
{
	struct world *w = arg;
	unsigned int i;

	wait_for_completion(&w->in_call);
	for (i = 0; i < WAIT_ROUNDS_MAX && xenshim_lcall_registered(w->slot); i++)
		msleep(1);
	/* Swapped out, the old call possibly still running: we get native. */
	w->late_result = xenshim_hypercall(w->slot, 17, 0, 0, 0, 0, 0);
	CHECK_IN_SIM(w, w->late_result == NATIVE_RESULT);
}

static void setup_inflight(struct world *w)
{
	ck_assert_int_eq(xenshim_page_create(&w->slow, slow_entry, w), 0);
	ck_assert_int_eq(xenshim_register(w->slot, w->slow), 0);
	kshim_spawn_task(w->kshim, 1, "caller", inflight_caller, w);
	kshim_spawn_task(w->kshim, 0, "unregister", inflight_unregister, w);
	kshim_spawn_task(w->kshim, 2, "newcomer", inflight_newcomer, w);
}

START_TEST(test_unregister_waits_for_call_in_flight)
{
	static const char *const strategies[] = { "random", "pct" };
	const struct sim_result *result;
	struct world w;
	uint64_t seed;

	for (unsigned int s = 0; s < 2; s++) {
		for (seed = 1; seed <= 25; seed++) {
			result = world_run(&w, strategies[s], seed, false, setup_inflight);
			support_assert_no_finding(result, seed);
			ck_assert_int_eq(w.unregister_saw_done, 1);
			ck_assert_int_eq(w.late_result, NATIVE_RESULT);
			ck_assert_ptr_eq(xenshim_lcall_active(w.slot), w.native);
			world_end(&w);
		}
	}
}
END_TEST

START_TEST(test_rfc_unregister_does_not_wait)
{
	uint64_t seed;
	int early = 0;
	struct world w;

	/* The RFC's unregister returns while the call still runs. */
	for (seed = 1; seed <= 20 && !early; seed++) {
		(void)world_run(&w, "random", seed, true, setup_inflight);
		early = w.unregister_saw_done == 0;
		world_end(&w);
	}
	ck_assert_msg(early, "RFC unregister always waited (20 seeds)");
}
END_TEST

/* ---- event channels between domains ---- */

static uint64_t buf_addr(struct world *w, u16 dom, unsigned int slot)
{
	/* One page of the domain's memory per task: no shared argument buffers. */
	return (uint64_t)(uintptr_t)xen_shim_gfn_to_virt(w->shim, dom, slot);
}

/* dom1 vCPU @i: offer a port to dom0, then consume upcalls until both ports fired. */
static void dom1_task(void *arg, unsigned int i)
{
	struct world *w = arg;
	struct proto_evtchn_alloc_unbound *op = (void *)(uintptr_t)buf_addr(w, DOM1, i);
	struct xen_shim_shared_info *s = xen_shim_domain_shared_info(w->shim, DOM1);
	struct xen_shim_vcpu_info *vi = &s->vcpu_info[0];
	unsigned int round;

	op->dom = PROTO_DOMID_SELF;
	op->remote_dom = 0;
	CHECK_IN_SIM(w, xenshim_hypercall(w->slot, PROTO___HYPERVISOR_event_channel_op,
					  PROTO_EVTCHNOP_alloc_unbound, (uintptr_t)op, 0, 0,
					  0) == 0);
	w->dom1_port[i] = op->port;
	complete(&w->allocated);
	if (i != 0)
		return;
	/* The guest's upcall handler (vCPU 0 of dom1 gets the upcalls). */
	for (round = 0; round < 16 && (!w->received[0] || !w->received[1]); round++) {
		unsigned long sel;

		wait_for_completion(&w->upcall[DOM1]);
		xchg(&vi->evtchn_upcall_pending, 0);
		sel = xchg(&vi->evtchn_pending_sel, 0);
		while (sel) {
			unsigned long word = __ffs(sel);
			unsigned int p;

			sel &= sel - 1;
			for (p = 0; p < 2; p++) {
				u32 port = w->dom1_port[p];

				if (port / 64 == word && !test_bit(port, s->evtchn_mask) &&
				    test_and_clear_bit(port, s->evtchn_pending))
					w->received[p]++;
			}
		}
	}
	CHECK_IN_SIM(w, w->received[0] >= 1 && w->received[1] >= 1);
}

static void dom1_vcpu0(void *arg)
{
	dom1_task(arg, 0);
}

static void dom1_vcpu1(void *arg)
{
	dom1_task(arg, 1);
}

static void dom0_backend(void *arg)
{
	struct world *w = arg;
	struct proto_evtchn_bind_interdomain *bind = (void *)(uintptr_t)buf_addr(w, 0, 0);
	struct proto_evtchn_send *send = (void *)(uintptr_t)buf_addr(w, 0, 1);
	u32 local[2];
	unsigned int i, n;

	wait_for_completion(&w->allocated);
	wait_for_completion(&w->allocated);
	CHECK_IN_SIM(w, w->dom1_port[0] != 0 && w->dom1_port[1] != 0);
	CHECK_IN_SIM(w, w->dom1_port[0] != w->dom1_port[1]);
	CHECK_IN_SIM(w, w->dom1_port[0] + w->dom1_port[1] == 2 * EVTCHN_PREALLOCATED + 3);
	for (i = 0; i < 2; i++) {
		bind->remote_dom = DOM1;
		bind->remote_port = w->dom1_port[i];
		CHECK_IN_SIM(w, xenshim_hypercall(w->slot, PROTO___HYPERVISOR_event_channel_op,
						  PROTO_EVTCHNOP_bind_interdomain,
						  (uintptr_t)bind, 0, 0, 0) == 0);
		local[i] = bind->local_port;
	}
	for (n = 0; n < 2; n++) {
		for (i = 0; i < 2; i++) {
			send->port = local[i];
			CHECK_IN_SIM(w, xenshim_hypercall(w->slot,
							  PROTO___HYPERVISOR_event_channel_op,
							  PROTO_EVTCHNOP_send, (uintptr_t)send, 0, 0,
							  0) == 0);
		}
	}
}

static void setup_evtchn(struct world *w)
{
	struct proto_evtchn_alloc_unbound *op = (void *)(uintptr_t)buf_addr(w, DOM1, 3);
	unsigned int i;

	/*
	 * Use up dom1's ports 1..62 first, so that the two ports allocated in
	 * the run (63 and 64) sit in different selector words.
	 */
	ck_assert_int_eq(xen_shim_cpu_bind(w->shim, 0, DOM1, 0), 0);
	ck_assert_int_eq(xenshim_register(w->slot, w->shim_pages[0]), 0);
	for (i = 0; i < EVTCHN_PREALLOCATED; i++) {
		op->dom = PROTO_DOMID_SELF;
		op->remote_dom = 0;
		ck_assert_int_eq(xenshim_hypercall(w->slot, PROTO___HYPERVISOR_event_channel_op,
						   PROTO_EVTCHNOP_alloc_unbound, (uintptr_t)op, 0,
						   0, 0),
				 0);
	}
	ck_assert_uint_eq(op->port, EVTCHN_PREALLOCATED);
	ck_assert_int_eq(xen_shim_cpu_bind(w->shim, 0, 0, 0), 0);
	ck_assert_int_eq(xen_shim_cpu_bind(w->shim, 1, DOM1, 0), 0);
	ck_assert_int_eq(xen_shim_cpu_bind(w->shim, 2, DOM1, 1), 0);
	kshim_spawn_task(w->kshim, 0, "dom0", dom0_backend, w);
	kshim_spawn_task(w->kshim, 1, "dom1.0", dom1_vcpu0, w);
	kshim_spawn_task(w->kshim, 2, "dom1.1", dom1_vcpu1, w);
}

START_TEST(test_event_channels_across_vcpus)
{
	static const char *const strategies[] = { "random", "pct" };
	const struct sim_result *result;
	struct world w;
	uint64_t seed;

	for (unsigned int s = 0; s < 2; s++) {
		for (seed = 1; seed <= 30; seed++) {
			struct xen_shim_shared_info *s1;

			result = world_run(&w, strategies[s], seed, false, setup_evtchn);
			support_assert_no_finding(result, seed);
			s1 = xen_shim_domain_shared_info(w.shim, DOM1);
			ck_assert_uint_eq(w.hook_upcalls[DOM1], s1->vcpu_info[0].upcall_count);
			ck_assert_uint_ge(w.hook_upcalls[DOM1], 1);
			/* dom0's new ports got Xen's bind-time notification. */
			ck_assert_uint_ge(w.hook_upcalls[0], 1);
			ck_assert_uint_eq(w.hook_preempt_ok, w.hook_upcalls[0] + w.hook_upcalls[DOM1]);
			world_end(&w);
		}
	}
}
END_TEST

/* ---- sleeping inside the dispatcher ---- */

static void sleepy_dom0(void *arg)
{
	struct world *w = arg;
	struct proto_evtchn_alloc_unbound *alloc = (void *)(uintptr_t)buf_addr(w, 0, 0);
	struct proto_evtchn_bind_interdomain *bind = (void *)(uintptr_t)buf_addr(w, 0, 1);

	alloc->dom = PROTO_DOMID_SELF;
	alloc->remote_dom = PROTO_DOMID_SELF;
	CHECK_IN_SIM(w, xenshim_hypercall(w->slot, PROTO___HYPERVISOR_event_channel_op,
					  PROTO_EVTCHNOP_alloc_unbound, (uintptr_t)alloc, 0, 0,
					  0) == 0);
	bind->remote_dom = PROTO_DOMID_SELF;
	bind->remote_port = alloc->port;
	/* Binding notifies the new port: the hook runs inside the hypercall. */
	CHECK_IN_SIM(w, xenshim_hypercall(w->slot, PROTO___HYPERVISOR_event_channel_op,
					  PROTO_EVTCHNOP_bind_interdomain, (uintptr_t)bind, 0, 0,
					  0) == 0);
}

static void setup_sleepy(struct world *w)
{
	ck_assert_int_eq(xenshim_register(w->slot, w->shim_pages[0]), 0);
	kshim_spawn_task(w->kshim, 0, "dom0", sleepy_dom0, w);
}

static void setup_sleepy_hook(struct world *w)
{
	w->hook_sleeps = 1;
	setup_sleepy(w);
}

START_TEST(test_sleep_inside_dispatch_is_a_finding)
{
	const struct sim_result *result;
	struct world w;

	result = world_run(&w, "random", 3, false, setup_sleepy_hook);
	ck_assert_ptr_nonnull(find_class(result, KSHIM_FINDING_SLEEP_IN_ATOMIC));
	ck_assert_uint_eq(w.hook_upcalls[0], 1);
	world_end(&w);
	result = world_run(&w, "random", 3, false, setup_sleepy);
	support_assert_no_finding(result, 3);
	ck_assert_uint_eq(w.hook_upcalls[0], 1);
	ck_assert_int_eq(w.hook_preempt_ok, 1);
	world_end(&w);
}
END_TEST

/* ---- one page, one slot ---- */

static void register_in(void *arg, unsigned int i)
{
	struct world *w = arg;

	w->register_result[i] = xenshim_register(i ? w->slot2 : w->slot, w->shim_pages[0]);
}

static void register_in_slot1(void *arg)
{
	register_in(arg, 0);
}

static void register_in_slot2(void *arg)
{
	register_in(arg, 1);
}

static void setup_two_slots(struct world *w)
{
	ck_assert_int_eq(xenshim_lcall_create(&w->slot2, w->native, NULL), 0);
	kshim_spawn_task(w->kshim, 0, "slot1", register_in_slot1, w);
	kshim_spawn_task(w->kshim, 1, "slot2", register_in_slot2, w);
}

START_TEST(test_racing_registers_of_one_page)
{
	const struct sim_result *result;
	struct world w;
	uint64_t seed;

	for (seed = 1; seed <= 30; seed++) {
		result = world_run(&w, seed % 2 ? "random" : "pct", seed, false, setup_two_slots);
		support_assert_no_finding(result, seed);
		/* Exactly one slot got the page; the other was told -EBUSY. */
		ck_assert_int_eq(w.register_result[0] + w.register_result[1], -EBUSY);
		ck_assert(xenshim_lcall_registered(w.slot) != xenshim_lcall_registered(w.slot2));
		world_end(&w);
	}
}
END_TEST

/* ---- reproducibility ---- */

START_TEST(test_runs_reproduce_from_the_seed)
{
	static const world_setup_fn setups[] = { setup_swap, setup_inflight, setup_evtchn };
	const struct sim_result *result;
	uint64_t hash, steps, decisions;
	struct world w;

	for (unsigned int i = 0; i < sizeof(setups) / sizeof(setups[0]); i++) {
		result = world_run(&w, "pct", 7, false, setups[i]);
		support_assert_no_finding(result, 7);
		hash = result->trace_hash;
		steps = result->step_count;
		decisions = result->decision_count;
		world_end(&w);
		result = world_run(&w, "pct", 7, false, setups[i]);
		ck_assert_uint_eq(result->trace_hash, hash);
		ck_assert_uint_eq(result->step_count, steps);
		ck_assert_uint_eq(result->decision_count, decisions);
		ck_assert_uint_gt(decisions, 0);
		world_end(&w);
	}
}
END_TEST

static Suite *xenshim_suite(void)
{
	Suite *suite = suite_create("xenshim");
	TCase *tc = tcase_create("scenarios");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_swap_under_callers_random);
	tcase_add_test(tc, test_swap_under_callers_pct);
	tcase_add_test(tc, test_rfc_swap_race_found_random);
	tcase_add_test(tc, test_rfc_swap_race_found_pct);
	tcase_add_test(tc, test_unregister_waits_for_call_in_flight);
	tcase_add_test(tc, test_rfc_unregister_does_not_wait);
	tcase_add_test(tc, test_event_channels_across_vcpus);
	tcase_add_test(tc, test_sleep_inside_dispatch_is_a_finding);
	tcase_add_test(tc, test_racing_registers_of_one_page);
	tcase_add_test(tc, test_runs_reproduce_from_the_seed);
	suite_add_tcase(suite, tc);
	return suite;
}

int main(void)
{
	return support_run_suite(xenshim_suite());
}

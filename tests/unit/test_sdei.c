// SPDX-License-Identifier: MIT
/*
 * Goal: the simulated SDEI dispatcher behaves as DEN0054 v1.1 and TF-A
 * specify: call results and error codes, dispatch conditions (priority,
 * nesting, PE mask, enable), exact context save and restore, the effects of
 * COMPLETE_AND_RESUME, host injection and cancellation, resets, routing,
 * interrupt binding, and the report of a handler that never completes.
 * Method: a fake platform (test_sdei_fake.c) owns the registers and runs a
 * per-test handler script from the enter() hook; the script makes SDEI calls
 * through sim_sdei_call() and records what it saw; the test then checks the
 * records, the registers and the dispatcher's accessors. No engine runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>

#include "test_sdei_fake.c"

#define EV_NORMAL 0x40400000u   /* private, Normal */
#define EV_CRITICAL 0x40400001u /* private, Critical */
#define EV_CRITICAL2 0x40400002u /* private, Critical */
#define EV_NORMAL2 0x40400003u  /* private, Normal */
#define EV_SHARED 0x40400010u   /* shared, Normal */
#define EV_SHARED_CRIT 0x40400011u /* shared, Critical */

#define DENIED_ ((uint64_t)(int64_t)PROTO_SDEI_DENIED)
#define INVALID_ ((uint64_t)(int64_t)PROTO_SDEI_INVALID_PARAMETERS)

static int setup(void **state)
{
	static struct fake f;

	if (fake_init(&f, 4, FAKE_HOOKS_ALL) != 0)
		return -1;
	if (sim_sdei_event_define(f.sdei, EV_NORMAL, SIM_SDEI_EVENT_PRIVATE,
				  SIM_SDEI_PRIORITY_NORMAL, false) != 0 ||
	    sim_sdei_event_define(f.sdei, EV_CRITICAL, SIM_SDEI_EVENT_PRIVATE,
				  SIM_SDEI_PRIORITY_CRITICAL, false) != 0 ||
	    sim_sdei_event_define(f.sdei, EV_CRITICAL2, SIM_SDEI_EVENT_PRIVATE,
				  SIM_SDEI_PRIORITY_CRITICAL, false) != 0 ||
	    sim_sdei_event_define(f.sdei, EV_NORMAL2, SIM_SDEI_EVENT_PRIVATE,
				  SIM_SDEI_PRIORITY_NORMAL, false) != 0 ||
	    sim_sdei_event_define(f.sdei, EV_SHARED, SIM_SDEI_EVENT_SHARED,
				  SIM_SDEI_PRIORITY_NORMAL, false) != 0 ||
	    sim_sdei_event_define(f.sdei, EV_SHARED_CRIT, SIM_SDEI_EVENT_SHARED,
				  SIM_SDEI_PRIORITY_CRITICAL, false) != 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	fake_fini(*state);
	return 0;
}

static int64_t call1(struct fake *f, uint32_t vcpu, uint32_t fid, uint64_t x1)
{
	return fake_call1(f, vcpu, fid, x1);
}

static int64_t event_status(struct fake *f, uint32_t vcpu, uint32_t event)
{
	return call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_STATUS, event);
}

/* ---- Simple calls ---- */

static void test_sdei_version_is_1_1(void **state)
{
	struct fake *f = *state;
	uint64_t version = fake_call(f, 0, PROTO_SDEI_1_0_FN_SDEI_VERSION, 0, 0, 0, 0, 0);

	assert_int_equal(version >> 48, 1);
	assert_int_equal((version >> 32) & 0xffff, 1);
	assert_int_equal(version & 0xffffffffu, 0);
	assert_true(f->last_returned);
}

static void test_sdei_features_bind_slots(void **state)
{
	struct fake *f = *state;

	assert_int_equal(
		call1(f, 0, PROTO_SDEI_1_1_FN_SDEI_FEATURES, PROTO_SDEI_FEATURE_BIND_SLOTS),
		SIM_SDEI_BIND_SLOT_PRIVATE_COUNT | (SIM_SDEI_BIND_SLOT_SHARED_COUNT << 16));
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_1_FN_SDEI_FEATURES, 1),
			 PROTO_SDEI_INVALID_PARAMETERS);
}

static void test_sdei_unknown_fid_not_supported(void **state)
{
	struct fake *f = *state;

	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN(0x13), 0), PROTO_SDEI_NOT_SUPPORTED);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN(0x1f), 0), PROTO_SDEI_NOT_SUPPORTED);
	assert_true(sim_sdei_fid_is_sdei(0xC4000020u));
	assert_true(sim_sdei_fid_is_sdei(0xC400003Fu));
	assert_false(sim_sdei_fid_is_sdei(0xC4000040u));
	assert_false(sim_sdei_fid_is_sdei(0x84000020u)); /* SMC32 */
	assert_false(sim_sdei_fid_is_sdei(0xC4000000u)); /* PSCI */
	assert_int_equal(sim_sdei_stats(f->sdei)->call_count, 2);
}

static void test_sdei_create_rejects_bad_arguments(void **state)
{
	struct sim_sdei_hooks hooks = { .enter = NULL };
	struct sim_sdei *sdei = (struct sim_sdei *)0x1;

	(void)state;
	assert_int_equal(sim_sdei_create(&sdei, 1, &hooks, NULL), -EINVAL);
	assert_null(sdei);
	assert_int_equal(sim_sdei_create(&sdei, 1, NULL, NULL), -EINVAL);
	hooks.enter = fake_hook_enter;
	assert_int_equal(sim_sdei_create(&sdei, 1, &hooks, NULL), -EINVAL); /* no regs */
	hooks.regs = fake_hook_regs;
	assert_int_equal(sim_sdei_create(&sdei, 0, &hooks, NULL), -EINVAL);
	assert_int_equal(sim_sdei_create(&sdei, SIM_VCPU_COUNT_MAX + 1, &hooks, NULL), -EINVAL);
	assert_int_equal(sim_sdei_create(&sdei, SIM_VCPU_COUNT_MAX, &hooks, NULL), 0);
	assert_non_null(sdei);
	assert_true(sim_sdei_masked(sdei, SIM_VCPU_COUNT_MAX - 1));
	sim_sdei_destroy(sdei);
	sim_sdei_destroy(NULL);
}

static void test_sdei_event_define_rejects_bad_events(void **state)
{
	struct fake *f = *state;
	uint32_t defined = 1 + SIM_SDEI_BIND_SLOT_PRIVATE_COUNT + SIM_SDEI_BIND_SLOT_SHARED_COUNT +
			   6;
	uint32_t i;

	assert_int_equal(sim_sdei_event_define(f->sdei, 0, SIM_SDEI_EVENT_PRIVATE,
					       SIM_SDEI_PRIORITY_NORMAL, true), -EEXIST);
	assert_int_equal(sim_sdei_event_define(f->sdei, SIM_SDEI_BIND_EVENT_SHARED_BASE,
					       SIM_SDEI_EVENT_SHARED, SIM_SDEI_PRIORITY_NORMAL,
					       false), -EEXIST);
	assert_int_equal(sim_sdei_event_define(f->sdei, 77, (enum sim_sdei_event_type)2,
					       SIM_SDEI_PRIORITY_NORMAL, false), -EINVAL);
	assert_int_equal(sim_sdei_event_define(f->sdei, 77, SIM_SDEI_EVENT_SHARED,
					       (enum sim_sdei_priority)2, false), -EINVAL);
	for (i = defined; i < SIM_SDEI_EVENT_COUNT_MAX; i++)
		assert_int_equal(sim_sdei_event_define(f->sdei, 100 + i, SIM_SDEI_EVENT_SHARED,
						       SIM_SDEI_PRIORITY_NORMAL, false), 0);
	assert_int_equal(sim_sdei_event_define(f->sdei, 99, SIM_SDEI_EVENT_SHARED,
					       SIM_SDEI_PRIORITY_NORMAL, false), -ENOSPC);
}

/* ---- Register, enable, status, info ---- */

static void test_sdei_register_validates_arguments(void **state)
{
	struct fake *f = *state;
	uint32_t reg = PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER;

	/* Entry point 0 or refused by the platform. */
	assert_int_equal(fake_call(f, 0, reg, EV_NORMAL, 0, 0, 0, 0), INVALID_);
	assert_int_equal(fake_call(f, 0, reg, EV_NORMAL, FAKE_BAD_ADDRESS, 0, 0, 0), INVALID_);
	/* Routing mode other than RM_ANY / RM_PE, and RM_PE to no PE. */
	assert_int_equal(fake_call(f, 0, reg, EV_NORMAL, FAKE_ENTRY, 0, 2, 0), INVALID_);
	assert_int_equal(fake_call(f, 0, reg, EV_NORMAL, FAKE_ENTRY, 0, 1, 4), INVALID_);
	/* Unknown events, including one that only matches in the low 32 bits. */
	assert_int_equal(fake_call(f, 0, reg, 12345, FAKE_ENTRY, 0, 0, 0), INVALID_);
	assert_int_equal(fake_call(f, 0, reg, (1ull << 32) | EV_NORMAL, FAKE_ENTRY, 0, 0, 0),
			 INVALID_);
	/* A dynamic slot that is not bound: DENIED and state rolled back. */
	assert_int_equal(fake_register(f, 0, SIM_SDEI_BIND_EVENT_PRIVATE_BASE, 0, 0),
			 PROTO_SDEI_DENIED);
	assert_int_equal(event_status(f, 0, SIM_SDEI_BIND_EVENT_PRIVATE_BASE), 0);
	/* Success, then a second registration is DENIED. */
	assert_int_equal(fake_register(f, 0, EV_NORMAL, 0, 0), PROTO_SDEI_SUCCESS);
	assert_int_equal(event_status(f, 0, EV_NORMAL), SIM_SDEI_STATUS_REGISTERED);
	assert_int_equal(fake_register(f, 0, EV_NORMAL, 0, 0), PROTO_SDEI_DENIED);
	/* Private: per PE. */
	assert_int_equal(event_status(f, 1, EV_NORMAL), 0);
	assert_int_equal(sim_sdei_event_status(f->sdei, 0, EV_NORMAL), SIM_SDEI_STATUS_REGISTERED);
	assert_int_equal(event_status(f, 0, 12345), PROTO_SDEI_INVALID_PARAMETERS);
}

static void test_sdei_register_denied_while_intid_active(void **state)
{
	struct fake *f = *state;
	uint32_t event;

	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND, 20),
			 SIM_SDEI_BIND_EVENT_PRIVATE_BASE);
	f->intid_active[20] = true;
	assert_int_equal(fake_register(f, 0, SIM_SDEI_BIND_EVENT_PRIVATE_BASE, 0, 0),
			 PROTO_SDEI_DENIED);
	assert_int_equal(event_status(f, 0, SIM_SDEI_BIND_EVENT_PRIVATE_BASE), 0);
	f->intid_active[20] = false;
	assert_int_equal(fake_register(f, 0, SIM_SDEI_BIND_EVENT_PRIVATE_BASE, 0, 0),
			 PROTO_SDEI_SUCCESS);
	assert_int_equal(sim_sdei_event_for_intid(f->sdei, 20, &event), 0);
	assert_int_equal(event, SIM_SDEI_BIND_EVENT_PRIVATE_BASE);
	assert_int_equal(sim_sdei_event_for_intid(f->sdei, 21, &event), -ENOENT);
}

static void test_sdei_enable_disable_unregistered_denied(void **state)
{
	struct fake *f = *state;

	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, EV_NORMAL),
			 PROTO_SDEI_DENIED);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_DISABLE, EV_NORMAL),
			 PROTO_SDEI_DENIED);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, EV_NORMAL),
			 PROTO_SDEI_DENIED);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, 9),
			 PROTO_SDEI_INVALID_PARAMETERS);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, 9),
			 PROTO_SDEI_INVALID_PARAMETERS);
	assert_int_equal(fake_arm(f, 0, EV_NORMAL), PROTO_SDEI_SUCCESS);
	assert_int_equal(event_status(f, 0, EV_NORMAL),
			 SIM_SDEI_STATUS_REGISTERED | SIM_SDEI_STATUS_ENABLED);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, EV_NORMAL),
			 PROTO_SDEI_SUCCESS);
	assert_int_equal(event_status(f, 0, EV_NORMAL), 0);
}

static void test_sdei_get_info_fields(void **state)
{
	struct fake *f = *state;
	uint32_t info = PROTO_SDEI_1_0_FN_SDEI_EVENT_GET_INFO;

	assert_int_equal(fake_call(f, 0, info, EV_SHARED, PROTO_SDEI_EVENT_INFO_EV_TYPE, 0, 0, 0),
			 1);
	assert_int_equal(fake_call(f, 0, info, EV_NORMAL, PROTO_SDEI_EVENT_INFO_EV_TYPE, 0, 0, 0),
			 0);
	/* TF-A answers "not signalable" for selector 1. */
	assert_int_equal(fake_call(f, 0, info, 0, PROTO_SDEI_EVENT_INFO_EV_SIGNALED, 0, 0, 0), 0);
	assert_int_equal(
		fake_call(f, 0, info, EV_NORMAL, PROTO_SDEI_EVENT_INFO_EV_SIGNALED, 0, 0, 0), 1);
	assert_int_equal(
		fake_call(f, 0, info, EV_CRITICAL, PROTO_SDEI_EVENT_INFO_EV_PRIORITY, 0, 0, 0), 1);
	assert_int_equal(
		fake_call(f, 0, info, EV_NORMAL, PROTO_SDEI_EVENT_INFO_EV_PRIORITY, 0, 0, 0), 0);
	/* Routing fields: shared only, registered only, affinity only with RM_PE. */
	assert_int_equal(fake_call(f, 0, info, EV_NORMAL, 3, 0, 0, 0), INVALID_);
	assert_int_equal(fake_call(f, 0, info, EV_NORMAL, 4, 0, 0, 0), INVALID_);
	assert_int_equal(fake_call(f, 0, info, EV_SHARED, 3, 0, 0, 0), DENIED_);
	assert_int_equal(fake_call(f, 0, info, EV_SHARED, 4, 0, 0, 0), DENIED_);
	assert_int_equal(fake_register(f, 0, EV_SHARED, PROTO_SDEI_EVENT_REGISTER_RM_ANY, 0), 0);
	assert_int_equal(fake_call(f, 0, info, EV_SHARED, 3, 0, 0, 0), 0);
	assert_int_equal(fake_call(f, 0, info, EV_SHARED, 4, 0, 0, 0), INVALID_);
	assert_int_equal(fake_call(f, 0, info, EV_SHARED, 5, 0, 0, 0), INVALID_);
	assert_int_equal(fake_call(f, 0, info, 4242, 0, 0, 0, 0), INVALID_);
	/* RM_PE to vCPU 2 (KVM layout: Aff0 = 2). */
	assert_int_equal(fake_register(f, 0, EV_SHARED_CRIT, PROTO_SDEI_EVENT_REGISTER_RM_PE, 2),
			 0);
	assert_int_equal(fake_call(f, 0, info, EV_SHARED_CRIT, 3, 0, 0, 0), 1);
	assert_int_equal(fake_call(f, 0, info, EV_SHARED_CRIT, 4, 0, 0, 0), 2);
}

/* ---- Dispatch: registers, context, completion ---- */

struct seen {
	int64_t context[SIM_SDEI_CONTEXT_REG_COUNT + 1];
	int64_t status;
	int64_t second;      /* result of a second call made by the script */
	int64_t running;
	uint32_t depth;
	uint32_t calls;
	bool dispatched;     /* a nested sim_sdei_dispatch() entered a handler */
	bool resumed;
};

static void handler_read_context(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct seen *seen = data;
	uint32_t i;

	for (i = 0; i <= SIM_SDEI_CONTEXT_REG_COUNT; i++)
		seen->context[i] = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT, i);
	seen->status = event_status(f, vcpu, event);
	seen->running = sim_sdei_running_event(f->sdei, vcpu);
	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
	assert_false(f->last_returned);
}

static void test_sdei_dispatch_saves_and_restores_context_exactly(void **state)
{
	struct fake *f = *state;
	struct sim_arm_regs before;
	struct seen seen = { .status = -1 };
	uint32_t i;

	fake_script_set(f, EV_NORMAL, handler_read_context, &seen);
	assert_int_equal(fake_arm(f, 1, EV_NORMAL), 0);
	fake_regs_fill(&f->regs[1], 0x77);
	f->regs[1].pstate = SIM_PSTATE_EL0t; /* interrupted user code */
	before = f->regs[1];
	assert_int_equal(sim_sdei_signal(f->sdei, 1, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatchable(f->sdei, 0));
	assert_true(sim_sdei_dispatchable(f->sdei, 1));
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_false(sim_sdei_dispatch(f->sdei, 1));

	/* Entry registers (DEN0054 event entry). */
	assert_int_equal(f->enter_count, 1);
	assert_int_equal(f->enters[0].vcpu, 1);
	assert_int_equal(f->enters[0].event, EV_NORMAL);
	assert_int_equal(f->enters[0].entry, FAKE_ENTRY);
	assert_int_equal(f->enters[0].arg, 0x1000u + EV_NORMAL);
	assert_int_equal(f->enters[0].depth, 1);
	assert_int_equal(f->enters[0].regs.x[0], EV_NORMAL);
	assert_int_equal(f->enters[0].regs.x[1], 0x1000u + EV_NORMAL);
	assert_int_equal(f->enters[0].regs.x[2], before.pc);
	assert_int_equal(f->enters[0].regs.x[3], SIM_PSTATE_EL0t);
	assert_int_equal(f->enters[0].regs.pc, FAKE_ENTRY);
	assert_int_equal(f->enters[0].regs.pstate, SIM_PSTATE_EL1h | SIM_PSTATE_DAIF);
	/* CONTEXT reads x0..x17 of the interrupted context; 18 is out of range. */
	for (i = 0; i < SIM_SDEI_CONTEXT_REG_COUNT; i++)
		assert_int_equal(seen.context[i], before.x[i]);
	assert_int_equal(seen.context[SIM_SDEI_CONTEXT_REG_COUNT], PROTO_SDEI_INVALID_PARAMETERS);
	assert_int_equal(seen.status, SIM_SDEI_STATUS_REGISTERED | SIM_SDEI_STATUS_ENABLED |
					      SIM_SDEI_STATUS_RUNNING);
	assert_int_equal(seen.running, EV_NORMAL);
	/* COMPLETE restores everything exactly. */
	assert_memory_equal(&f->regs[1], &before, sizeof(before));
	assert_int_equal(sim_sdei_depth(f->sdei, 1), 0);
	assert_int_equal(sim_sdei_running_event(f->sdei, 1), -ENOENT);
	assert_false(sim_sdei_pending(f->sdei, 1, EV_NORMAL));
	assert_int_equal(sim_sdei_stats(f->sdei)->complete_count, 1);
	assert_int_equal(sim_sdei_stats(f->sdei)->dispatch_count, 1);
	assert_int_equal(f->elr_spsr_count, 0);
}

static void test_sdei_context_and_complete_outside_handler_denied(void **state)
{
	struct fake *f = *state;

	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT, 0), PROTO_SDEI_DENIED);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT, 18),
			 PROTO_SDEI_INVALID_PARAMETERS);
	assert_int_equal(fake_complete(f, 0), PROTO_SDEI_DENIED);
	assert_true(f->last_returned);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME, FAKE_RESUME),
			 PROTO_SDEI_DENIED);
	assert_true(f->last_returned);
	assert_int_equal(sim_sdei_stats(f->sdei)->complete_count, 0);
}

static void handler_resume(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct seen *seen = data;

	(void)event;
	/* A refused resume address leaves the handler running. */
	seen->second = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME,
			     FAKE_BAD_ADDRESS);
	seen->depth = sim_sdei_depth(f->sdei, vcpu);
	seen->context[0] = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT, 17);
	assert_int_equal(
		call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME, FAKE_RESUME),
		PROTO_SDEI_SUCCESS);
	assert_false(f->last_returned);
}

static void test_sdei_complete_and_resume_takes_irq_like_exception(void **state)
{
	struct fake *f = *state;
	struct sim_arm_regs before;
	struct seen seen = { .depth = 0 };
	uint32_t i;

	fake_script_set(f, EV_NORMAL, handler_resume, &seen);
	assert_int_equal(fake_arm(f, 2, EV_NORMAL), 0);
	before = f->regs[2];
	assert_int_equal(sim_sdei_signal(f->sdei, 2, EV_NORMAL), 0);
	assert_true(sim_sdei_dispatch(f->sdei, 2));

	assert_int_equal(seen.second, PROTO_SDEI_DENIED);
	assert_int_equal(seen.depth, 1);
	assert_int_equal(seen.context[0], before.x[17]);
	for (i = 0; i < SIM_ARM_GPR_COUNT; i++)
		assert_int_equal(f->regs[2].x[i], before.x[i]);
	assert_int_equal(f->regs[2].pc, FAKE_RESUME);
	assert_int_equal(f->regs[2].pstate, SIM_PSTATE_EL1h | SIM_PSTATE_DAIF);
	assert_int_equal(f->elr_spsr_count, 1);
	assert_int_equal(f->elr[2], before.pc);
	assert_int_equal(f->spsr[2], before.pstate);
	assert_int_equal(sim_sdei_stats(f->sdei)->resume_count, 1);
	assert_int_equal(event_status(f, 2, EV_NORMAL),
			 SIM_SDEI_STATUS_REGISTERED | SIM_SDEI_STATUS_ENABLED);
}

/* ---- Priorities and nesting ---- */

struct nest {
	struct seen outer;
	struct seen inner;
	uint32_t inner_event;   /* signalled from inside the outer handler */
	uint32_t third_event;   /* signalled from inside the inner handler */
};

static void handler_inner(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct nest *nest = data;

	nest->inner.depth = sim_sdei_depth(f->sdei, vcpu);
	nest->inner.running = sim_sdei_running_event(f->sdei, vcpu);
	nest->inner.context[0] = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT, 0);
	if (nest->third_event != 0) {
		assert_int_equal(sim_sdei_signal(f->sdei, vcpu, nest->third_event), 0);
		nest->inner.dispatched = sim_sdei_dispatchable(f->sdei, vcpu);
		assert_false(sim_sdei_dispatch(f->sdei, vcpu));
	}
	(void)event;
	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
}

static void handler_outer(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct nest *nest = data;
	uint32_t enters = f->enter_count;

	(void)event;
	nest->outer.depth = sim_sdei_depth(f->sdei, vcpu);
	assert_int_equal(sim_sdei_signal(f->sdei, vcpu, nest->inner_event), 0);
	/* A platform interrupt point inside the handler. */
	if (sim_sdei_dispatchable(f->sdei, vcpu))
		nest->outer.resumed = sim_sdei_dispatch(f->sdei, vcpu);
	nest->outer.dispatched = f->enter_count > enters;
	nest->outer.running = sim_sdei_running_event(f->sdei, vcpu);
	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
}

static void nest_arm(struct fake *f, struct nest *nest, uint32_t outer, uint32_t inner)
{
	fake_script_set(f, outer, handler_outer, nest);
	fake_script_set(f, inner, handler_inner, nest);
	assert_int_equal(fake_arm(f, 0, outer), 0);
	assert_int_equal(fake_arm(f, 0, inner), 0);
	nest->inner_event = inner;
}

static void test_sdei_critical_preempts_normal(void **state)
{
	struct fake *f = *state;
	struct nest nest = { .outer.depth = 0 };
	struct sim_arm_regs before;

	nest_arm(f, &nest, EV_NORMAL, EV_CRITICAL);
	before = f->regs[0];
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_true(nest.outer.dispatched);
	assert_int_equal(nest.outer.depth, 1);
	assert_int_equal(nest.inner.depth, 2);
	assert_int_equal(nest.inner.running, EV_CRITICAL);
	/* The critical handler interrupted the normal handler: its x0 was the event. */
	assert_int_equal(nest.inner.context[0], EV_NORMAL);
	assert_int_equal(nest.outer.running, EV_NORMAL);
	assert_int_equal(f->enter_count, 2);
	assert_int_equal(f->enters[1].event, EV_CRITICAL);
	assert_memory_equal(&f->regs[0], &before, sizeof(before));
}

static void test_sdei_normal_does_not_preempt_normal(void **state)
{
	struct fake *f = *state;
	struct nest nest = { .outer.depth = 0 };

	nest_arm(f, &nest, EV_NORMAL, EV_NORMAL2);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_false(nest.outer.dispatched);
	assert_int_equal(f->enter_count, 1);
	/* Still pending; it dispatches once the first handler completed. */
	assert_true(sim_sdei_pending(f->sdei, 0, EV_NORMAL2));
	assert_true(sim_sdei_dispatchable(f->sdei, 0));
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(f->enter_count, 2);
	assert_int_equal(f->enters[1].event, EV_NORMAL2);
	assert_int_equal(f->enters[1].depth, 1);
}

static void test_sdei_critical_does_not_preempt_critical(void **state)
{
	struct fake *f = *state;
	struct nest nest = { .outer.depth = 0 };

	nest_arm(f, &nest, EV_CRITICAL, EV_CRITICAL2);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_CRITICAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_false(nest.outer.dispatched);
	assert_int_equal(f->enter_count, 1);
	assert_true(sim_sdei_dispatchable(f->sdei, 0));
}

static void test_sdei_third_level_refused(void **state)
{
	struct fake *f = *state;
	struct nest nest = { .third_event = EV_CRITICAL2 };

	nest_arm(f, &nest, EV_NORMAL, EV_CRITICAL);
	assert_int_equal(fake_arm(f, 0, EV_CRITICAL2), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(nest.inner.depth, 2);
	assert_false(nest.inner.dispatched);
	assert_int_equal(f->enter_count, 2);
	/* The third one waited and dispatches at depth 1 now. */
	assert_true(sim_sdei_pending(f->sdei, 0, EV_CRITICAL2));
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(f->enter_count, 3);
	assert_int_equal(f->enters[2].event, EV_CRITICAL2);
	assert_int_equal(f->enters[2].depth, 1);
}

static void test_sdei_critical_picked_before_normal(void **state)
{
	struct fake *f = *state;

	assert_int_equal(fake_arm(f, 0, EV_NORMAL2), 0);
	assert_int_equal(fake_arm(f, 0, EV_NORMAL), 0);
	assert_int_equal(fake_arm(f, 0, EV_CRITICAL), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL2), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_CRITICAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	/* Critical first, then Normal events in order of definition. */
	assert_int_equal(f->enter_count, 3);
	assert_int_equal(f->enters[0].event, EV_CRITICAL);
	assert_int_equal(f->enters[1].event, EV_NORMAL);
	assert_int_equal(f->enters[2].event, EV_NORMAL2);
}

/* ---- Mask, enable, injection, cancellation ---- */

static void test_sdei_pe_mask_defers_until_unmask(void **state)
{
	struct fake *f = *state;

	assert_true(sim_sdei_masked(f->sdei, 0));
	/* Already masked at start: PE_MASK reports no change. */
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_PE_MASK, 0), 0);
	assert_int_equal(fake_register(f, 0, EV_NORMAL, 0, 0), 0);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, EV_NORMAL), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatchable(f->sdei, 0));
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(f->enter_count, 0);
	assert_int_equal(f->kick_count[0], 0);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0), 0);
	assert_false(sim_sdei_masked(f->sdei, 0));
	assert_int_equal(f->kick_count[0], 1);
	assert_true(sim_sdei_dispatchable(f->sdei, 0));
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_PE_MASK, 0), 1);
	assert_false(sim_sdei_dispatchable(f->sdei, 0));
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(f->enter_count, 1);
}

static void test_sdei_pending_while_disabled_dispatches_after_enable(void **state)
{
	struct fake *f = *state;

	assert_int_equal(fake_arm(f, 3, EV_NORMAL), 0);
	assert_int_equal(call1(f, 3, PROTO_SDEI_1_0_FN_SDEI_EVENT_DISABLE, EV_NORMAL), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 3, EV_NORMAL), 0);
	assert_true(sim_sdei_pending(f->sdei, 3, EV_NORMAL));
	assert_false(sim_sdei_dispatchable(f->sdei, 3));
	assert_int_equal(f->kick_count[3], 0);
	/* Enabled from another PE's view does not matter: private per PE. */
	assert_int_equal(call1(f, 3, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, EV_NORMAL), 0);
	assert_int_equal(f->kick_count[3], 1);
	assert_false(sim_sdei_dispatch(f->sdei, 3));
	assert_int_equal(f->enter_count, 1);
	assert_false(sim_sdei_pending(f->sdei, 3, EV_NORMAL));
}

static void test_sdei_signal_results(void **state)
{
	struct fake *f = *state;

	/* Not registered on that PE: dropped. */
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), -ENOENT);
	assert_int_equal(sim_sdei_stats(f->sdei)->drop_count, 1);
	assert_false(sim_sdei_pending(f->sdei, 0, EV_NORMAL));
	assert_int_equal(sim_sdei_signal(f->sdei, 4, EV_NORMAL), -EINVAL);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, 999), -EINVAL);
	assert_int_equal(fake_register(f, 0, EV_NORMAL, 0, 0), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), -EALREADY);
	assert_int_equal(sim_sdei_stats(f->sdei)->signal_count, 1);
	/* Unregistering drops the pending trigger. */
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, EV_NORMAL), 0);
	assert_false(sim_sdei_pending(f->sdei, 0, EV_NORMAL));
	assert_false(sim_sdei_pending(f->sdei, 9, EV_NORMAL));
	assert_false(sim_sdei_pending(f->sdei, 0, 999));
}

static void test_sdei_cancel_before_dispatch(void **state)
{
	struct fake *f = *state;
	bool was_pending = true;

	assert_int_equal(fake_arm(f, 1, EV_NORMAL), 0);
	assert_int_equal(sim_sdei_cancel(f->sdei, 1, EV_NORMAL, &was_pending), 0);
	assert_false(was_pending);
	assert_int_equal(sim_sdei_signal(f->sdei, 1, EV_NORMAL), 0);
	assert_int_equal(sim_sdei_cancel(f->sdei, 1, EV_NORMAL, &was_pending), 0);
	assert_true(was_pending);
	assert_false(sim_sdei_dispatchable(f->sdei, 1));
	assert_false(sim_sdei_dispatch(f->sdei, 1));
	assert_int_equal(f->enter_count, 0);
	assert_int_equal(sim_sdei_stats(f->sdei)->cancel_count, 1);
	assert_int_equal(sim_sdei_cancel(f->sdei, 7, EV_NORMAL, &was_pending), -EINVAL);
	assert_int_equal(sim_sdei_cancel(f->sdei, 1, 999, &was_pending), -EINVAL);
	assert_false(was_pending);
}

static void handler_cancel(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct seen *seen = data;
	bool was_pending = true;

	seen->status = sim_sdei_cancel(f->sdei, vcpu, event, &was_pending);
	seen->resumed = was_pending;
	assert_int_equal(sim_sdei_signal(f->sdei, vcpu, event), 0);
	seen->second = sim_sdei_cancel(f->sdei, vcpu, event, &was_pending);
	seen->dispatched = was_pending;
	fake_complete(f, vcpu);
}

static void test_sdei_cancel_while_running(void **state)
{
	struct fake *f = *state;
	struct seen seen = { .status = 1 };

	fake_script_set(f, EV_NORMAL, handler_cancel, &seen);
	assert_int_equal(fake_arm(f, 0, EV_NORMAL), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	/* Running, nothing pending: too late. */
	assert_int_equal(seen.status, -EINPROGRESS);
	assert_false(seen.resumed);
	/* Running and triggered again: the new trigger is withdrawn. */
	assert_int_equal(seen.second, 0);
	assert_true(seen.dispatched);
	assert_false(sim_sdei_dispatchable(f->sdei, 0));
	assert_int_equal(f->enter_count, 1);
}

/* ---- Unregister pending, resets ---- */

static void handler_unregister(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct seen *seen = data;

	seen->context[0] = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, event);
	seen->status = event_status(f, vcpu, event);
	seen->context[1] = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, event);
	seen->context[2] = fake_register(f, vcpu, event, 0, 0);
	seen->context[3] = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT, 1);
	seen->context[4] = sim_sdei_signal(f->sdei, vcpu, event);
	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
}

static void test_sdei_unregister_while_running_is_pending(void **state)
{
	struct fake *f = *state;
	struct seen seen = { .status = -1 };

	fake_script_set(f, EV_NORMAL, handler_unregister, &seen);
	assert_int_equal(fake_arm(f, 0, EV_NORMAL), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(seen.context[0], PROTO_SDEI_PENDING);
	assert_int_equal(seen.status, SIM_SDEI_STATUS_RUNNING);
	assert_int_equal(seen.context[1], PROTO_SDEI_PENDING);
	assert_int_equal(seen.context[2], PROTO_SDEI_DENIED);
	assert_int_equal(seen.context[3], (int64_t)f->regs[0].x[1]);
	assert_int_equal(seen.context[4], -ENOENT);
	/* Completion finished the unregistration. */
	assert_int_equal(event_status(f, 0, EV_NORMAL), 0);
	assert_int_equal(fake_register(f, 0, EV_NORMAL, 0, 0), PROTO_SDEI_SUCCESS);
}

static void handler_private_reset(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct seen *seen = data;

	(void)event;
	seen->second = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_PRIVATE_RESET, 0);
	seen->status = event_status(f, vcpu, EV_NORMAL);
	seen->context[0] = event_status(f, vcpu, EV_CRITICAL);
	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
}

static void test_sdei_private_reset(void **state)
{
	struct fake *f = *state;
	struct seen seen = { .status = -1 };

	assert_int_equal(fake_arm(f, 0, EV_NORMAL), 0);
	assert_int_equal(fake_arm(f, 0, EV_CRITICAL), 0);
	assert_int_equal(fake_arm(f, 1, EV_NORMAL), 0);
	assert_int_equal(fake_register(f, 0, EV_SHARED, 0, 0), 0);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_PRIVATE_RESET, 0), PROTO_SDEI_SUCCESS);
	assert_int_equal(event_status(f, 0, EV_NORMAL), 0);
	assert_int_equal(event_status(f, 0, EV_CRITICAL), 0);
	/* Other PEs and shared events are untouched. */
	assert_int_equal(event_status(f, 1, EV_NORMAL), 3);
	assert_int_equal(event_status(f, 0, EV_SHARED), 1);

	/* From a running handler: DENIED, the idle events are still unregistered. */
	fake_script_set(f, EV_NORMAL, handler_private_reset, &seen);
	assert_int_equal(fake_arm(f, 0, EV_NORMAL), 0);
	assert_int_equal(fake_arm(f, 0, EV_CRITICAL), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(seen.second, PROTO_SDEI_DENIED);
	assert_int_equal(seen.status, SIM_SDEI_STATUS_RUNNING);
	assert_int_equal(seen.context[0], 0);
	assert_int_equal(event_status(f, 0, EV_NORMAL), 0);
}

static void handler_nested_private_reset(struct fake *f, uint32_t vcpu, uint32_t event,
					 void *data)
{
	struct seen *seen = data;

	(void)event;
	seen->second = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_PRIVATE_RESET, 0);
	seen->status = event_status(f, vcpu, EV_NORMAL);
	seen->context[0] = event_status(f, vcpu, EV_CRITICAL);
	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
}

static void test_sdei_private_reset_with_nested_handlers(void **state)
{
	struct fake *f = *state;
	struct nest nest = { .outer.depth = 0 };
	struct seen seen = { .status = -1 };

	nest_arm(f, &nest, EV_NORMAL, EV_CRITICAL);
	fake_script_set(f, EV_CRITICAL, handler_nested_private_reset, &seen);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_true(nest.outer.dispatched);
	/* Both running: both become unregister-pending, the call is DENIED. */
	assert_int_equal(seen.second, PROTO_SDEI_DENIED);
	assert_int_equal(seen.status, SIM_SDEI_STATUS_RUNNING);
	assert_int_equal(seen.context[0], SIM_SDEI_STATUS_RUNNING);
	assert_int_equal(event_status(f, 0, EV_NORMAL), 0);
	assert_int_equal(event_status(f, 0, EV_CRITICAL), 0);
}

static void handler_shared_reset(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct seen *seen = data;

	(void)event;
	seen->second = call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_SHARED_RESET, 0);
	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
}

static void test_sdei_shared_reset(void **state)
{
	struct fake *f = *state;
	struct seen seen = { .second = 1 };
	uint32_t event;

	/* A bound private slot registered on PE 1 makes the release fail. */
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND, 40),
			 SIM_SDEI_BIND_EVENT_SHARED_BASE);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND, 17),
			 SIM_SDEI_BIND_EVENT_PRIVATE_BASE);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND, 18),
			 SIM_SDEI_BIND_EVENT_PRIVATE_BASE + 1);
	assert_int_equal(fake_register(f, 1, SIM_SDEI_BIND_EVENT_PRIVATE_BASE, 0, 0), 0);
	assert_int_equal(fake_register(f, 1, SIM_SDEI_BIND_EVENT_PRIVATE_BASE + 1, 0, 0), 0);
	assert_int_equal(fake_register(f, 0, SIM_SDEI_BIND_EVENT_SHARED_BASE, 0, 0), 0);
	assert_int_equal(fake_register(f, 0, EV_SHARED, 0, 0), 0);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_SHARED_RESET, 0), PROTO_SDEI_DENIED);
	assert_int_equal(event_status(f, 0, EV_SHARED), 0);
	assert_int_equal(event_status(f, 2, SIM_SDEI_BIND_EVENT_SHARED_BASE), 0);
	/* The releases that can be made are made: 40 is free, 17 is not. */
	assert_int_equal(sim_sdei_event_for_intid(f->sdei, 40, &event), -ENOENT);
	assert_int_equal(sim_sdei_event_for_intid(f->sdei, 17, &event), 0);
	assert_int_equal(event, SIM_SDEI_BIND_EVENT_PRIVATE_BASE);
	/* With the private one unregistered, everything is released. */
	assert_int_equal(call1(f, 1, PROTO_SDEI_1_0_FN_SDEI_PRIVATE_RESET, 0), 0);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_SHARED_RESET, 0), PROTO_SDEI_SUCCESS);
	assert_int_equal(sim_sdei_event_for_intid(f->sdei, 40, &event), -ENOENT);
	assert_int_equal(sim_sdei_event_for_intid(f->sdei, 17, &event), -ENOENT);
	assert_false(f->intid_bound[40]);
	assert_false(f->intid_bound[17]);
	assert_int_equal(sim_sdei_event_for_intid(f->sdei, 18, &event), -ENOENT);
	assert_int_equal(f->bind_hook_count, 6);

	/* A running shared event makes it DENIED. */
	fake_script_set(f, EV_SHARED, handler_shared_reset, &seen);
	assert_int_equal(fake_arm(f, 0, EV_SHARED), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_SHARED), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(seen.second, PROTO_SDEI_DENIED);
	assert_int_equal(event_status(f, 3, EV_SHARED), 0);
}

/* ---- Routing, binding, EVENT_SIGNAL ---- */

static void test_sdei_routing_set_rules(void **state)
{
	struct fake *f = *state;
	uint32_t rs = PROTO_SDEI_1_0_FN_SDEI_EVENT_ROUTING_SET;
	uint32_t info = PROTO_SDEI_1_0_FN_SDEI_EVENT_GET_INFO;

	assert_int_equal(fake_call(f, 0, rs, EV_NORMAL, 0, 0, 0, 0), INVALID_); /* private */
	assert_int_equal(fake_call(f, 0, rs, EV_SHARED, 2, 0, 0, 0), INVALID_); /* mode */
	assert_int_equal(fake_call(f, 0, rs, EV_SHARED, 1, 0x10, 0, 0), INVALID_); /* MPIDR */
	assert_int_equal(fake_call(f, 0, rs, 31337, 0, 0, 0, 0), INVALID_);
	assert_int_equal(fake_call(f, 0, rs, SIM_SDEI_BIND_EVENT_SHARED_BASE, 0, 0, 0, 0),
			 INVALID_); /* unbound slot */
	assert_int_equal(fake_call(f, 0, rs, EV_SHARED, 0, 0, 0, 0), DENIED_); /* unregistered */
	assert_int_equal(fake_register(f, 0, EV_SHARED, PROTO_SDEI_EVENT_REGISTER_RM_ANY, 0), 0);
	assert_int_equal(fake_call(f, 0, rs, EV_SHARED, 1, 3, 0, 0), 0);
	assert_int_equal(fake_call(f, 0, info, EV_SHARED, 3, 0, 0, 0), 1);
	assert_int_equal(fake_call(f, 0, info, EV_SHARED, 4, 0, 0, 0), 3);
	/* Routed to PE 3 only. */
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, EV_SHARED), 0);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0), 0);
	assert_int_equal(call1(f, 3, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0), 0);
	assert_int_equal(fake_call(f, 0, rs, EV_SHARED, 0, 0, 0, 0), DENIED_); /* enabled */
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_SHARED), 0);
	assert_false(sim_sdei_dispatchable(f->sdei, 0));
	assert_true(sim_sdei_dispatchable(f->sdei, 3));
	assert_int_equal(f->kick_count[3], 1);
	assert_int_equal(f->kick_count[0], 0);
	assert_false(sim_sdei_dispatch(f->sdei, 3));
	assert_int_equal(f->enters[0].vcpu, 3);
}

static void handler_shared_block(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct seen *seen = data;

	/* Retriggered while running here: no other PE may take it meanwhile. */
	assert_int_equal(sim_sdei_signal(f->sdei, 2, event), 0);
	seen->dispatched = sim_sdei_dispatchable(f->sdei, 1);
	seen->status = event_status(f, 1, event);
	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
}

static void test_sdei_shared_rm_any_runs_once(void **state)
{
	struct fake *f = *state;
	struct seen seen = { .dispatched = true };

	fake_script_set(f, EV_SHARED, handler_shared_block, &seen);
	assert_int_equal(fake_arm(f, 0, EV_SHARED), 0);
	assert_int_equal(call1(f, 1, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 1, EV_SHARED), 0);
	assert_true(sim_sdei_dispatchable(f->sdei, 0));
	assert_true(sim_sdei_dispatchable(f->sdei, 1));
	assert_false(sim_sdei_dispatchable(f->sdei, 2)); /* masked */
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_false(seen.dispatched);
	assert_int_equal(seen.status, 7);
	/* After completion the retrigger goes to any unmasked PE. */
	assert_false(sim_sdei_dispatch(f->sdei, 1));
	assert_int_equal(f->enter_count, 2);
	assert_int_equal(f->enters[1].vcpu, 1);
}

static void test_sdei_interrupt_bind_and_release(void **state)
{
	struct fake *f = *state;
	uint32_t bind = PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND;
	uint32_t rel = PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE;
	uint32_t p0 = SIM_SDEI_BIND_EVENT_PRIVATE_BASE;

	assert_int_equal(call1(f, 0, bind, 15), PROTO_SDEI_INVALID_PARAMETERS); /* SGI */
	assert_int_equal(call1(f, 0, bind, 1020), PROTO_SDEI_INVALID_PARAMETERS);
	assert_int_equal(call1(f, 0, bind, (1ull << 32) | 20), PROTO_SDEI_INVALID_PARAMETERS);
	f->intid_refused[33] = true;
	assert_int_equal(call1(f, 0, bind, 33), PROTO_SDEI_DENIED);
	assert_int_equal(call1(f, 0, bind, 20), p0);
	assert_true(f->intid_bound[20]);
	assert_int_equal(call1(f, 0, bind, 20), p0); /* again: same event */
	assert_int_equal(call1(f, 0, bind, 21), p0 + 1);
	assert_int_equal(call1(f, 0, bind, 22), PROTO_SDEI_OUT_OF_RESOURCE);
	assert_int_equal(call1(f, 0, bind, 1019), SIM_SDEI_BIND_EVENT_SHARED_BASE);
	/* Release rules. */
	assert_int_equal(call1(f, 0, rel, EV_NORMAL), PROTO_SDEI_INVALID_PARAMETERS);
	assert_int_equal(call1(f, 0, rel, 555), PROTO_SDEI_INVALID_PARAMETERS);
	assert_int_equal(call1(f, 0, rel, SIM_SDEI_BIND_EVENT_SHARED_BASE + 1),
			 PROTO_SDEI_INVALID_PARAMETERS); /* not bound */
	assert_int_equal(fake_register(f, 2, p0, 0, 0), 0);
	assert_int_equal(call1(f, 0, rel, p0), PROTO_SDEI_DENIED); /* registered on PE 2 */
	assert_int_equal(call1(f, 2, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, p0), 0);
	f->intid_active[20] = true;
	assert_int_equal(call1(f, 0, rel, p0), PROTO_SDEI_DENIED);
	f->intid_active[20] = false;
	assert_int_equal(call1(f, 0, rel, p0), PROTO_SDEI_SUCCESS);
	assert_false(f->intid_bound[20]);
	assert_int_equal(call1(f, 0, rel, p0), PROTO_SDEI_INVALID_PARAMETERS);
	assert_int_equal(call1(f, 0, bind, 22), p0); /* the slot is free again */
}

static void handler_release_running(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct seen *seen = data;

	assert_int_equal(call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, event),
			 PROTO_SDEI_PENDING);
	/* Unregistered everywhere but still running on this PE. */
	seen->second = call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE, event);
	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
}

static void test_sdei_release_denied_while_running_elsewhere(void **state)
{
	struct fake *f = *state;
	struct seen seen = { .second = 1 };
	uint32_t p0 = SIM_SDEI_BIND_EVENT_PRIVATE_BASE;

	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND, 25), p0);
	fake_script_set(f, p0, handler_release_running, &seen);
	assert_int_equal(fake_arm(f, 1, p0), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 1, p0), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 1));
	assert_int_equal(seen.second, PROTO_SDEI_DENIED);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE, p0),
			 PROTO_SDEI_SUCCESS);
}

static void test_sdei_event_signal_call(void **state)
{
	struct fake *f = *state;
	uint32_t sig = PROTO_SDEI_1_1_FN_SDEI_EVENT_SIGNAL;

	assert_int_equal(fake_call(f, 0, sig, 1, 1, 0, 0, 0), INVALID_); /* not event 0 */
	assert_int_equal(fake_call(f, 0, sig, 0, 0x100, 0, 0, 0), INVALID_); /* no such PE */
	assert_int_equal(fake_call(f, 0, sig, 0, 1, 0, 0, 0), DENIED_); /* masked */
	assert_int_equal(call1(f, 1, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0), 0);
	assert_int_equal(fake_call(f, 0, sig, 0, 1, 0, 0, 0), DENIED_); /* unregistered */
	assert_int_equal(fake_register(f, 1, 0, 0, 0), 0);
	assert_int_equal(fake_call(f, 0, sig, 0, 1, 0, 0, 0), DENIED_); /* disabled */
	assert_int_equal(call1(f, 1, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, 0), 0);
	assert_int_equal(fake_call(f, 0, sig, 0, 1, 0, 0, 0), 0);
	assert_int_equal(fake_call(f, 0, sig, 0, 1, 0, 0, 0), 0); /* merges */
	assert_int_equal(sim_sdei_stats(f->sdei)->signal_count, 1);
	assert_int_equal(f->kick_count[1], 2);
	assert_false(sim_sdei_dispatchable(f->sdei, 0));
	assert_false(sim_sdei_dispatch(f->sdei, 1));
	assert_int_equal(f->enters[0].event, 0);
	assert_int_equal(f->enters[0].vcpu, 1);
}

static void handler_resume_plain(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	(void)event;
	(void)data;
	assert_int_equal(call1(f, vcpu, PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME,
			       FAKE_BAD_ADDRESS), PROTO_SDEI_SUCCESS);
}

static void test_sdei_mpidr_layouts(void **state)
{
	struct fake f;
	uint32_t sig = PROTO_SDEI_1_1_FN_SDEI_EVENT_SIGNAL;

	(void)state;
	/* KVM layout: Aff0 = vcpu[3:0], Aff1 = vcpu[11:4]. */
	assert_int_equal(fake_init(&f, 18, 0), 0);
	assert_int_equal(fake_call(&f, 17, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0, 0, 0, 0, 0), 0);
	assert_int_equal(fake_register(&f, 17, 0, 0, 0), 0);
	assert_int_equal(fake_call(&f, 17, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, 0, 0, 0, 0, 0), 0);
	assert_int_equal(fake_call(&f, 0, sig, 0, 0x101, 0, 0, 0), 0);
	assert_true(sim_sdei_pending(f.sdei, 17, 0));
	assert_int_equal(fake_call(&f, 0, sig, 0, 0x102, 0, 0, 0), INVALID_); /* vcpu 18 */
	assert_int_equal(fake_call(&f, 0, sig, 0, 0x10000, 0, 0, 0), INVALID_); /* Aff2 */
	assert_int_equal(fake_call(&f, 0, sig, 0, 0x80000000ull | 0x101, 0, 0, 0), 0);
	/* Without the optional hooks: no kicks, any non-zero address resumes. */
	fake_script_set(&f, 0, handler_resume_plain, NULL);
	assert_true(sim_sdei_dispatch(f.sdei, 17));
	assert_int_equal(f.regs[17].pc, FAKE_BAD_ADDRESS);
	assert_int_equal(f.elr_spsr_count, 0);
	assert_int_equal(f.kick_count[17], 0);
	fake_fini(&f);

	/* The platform's layout: Aff1 = vCPU; out-of-range answers are refused. */
	assert_int_equal(fake_init(&f, 2, FAKE_HOOK_MPIDR), 0);
	assert_int_equal(
		fake_call(&f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER, 0, FAKE_ENTRY, 0, 1, 0x100),
		0);
	assert_int_equal(
		fake_call(&f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER, 0, FAKE_ENTRY, 0, 1, 0x1),
		INVALID_);
	assert_int_equal(
		fake_call(&f, 1, PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER, 0, FAKE_ENTRY, 0, 1, 0x500),
		INVALID_);
	fake_fini(&f);
}

static void test_sdei_optional_hooks_absent(void **state)
{
	struct fake f;
	uint32_t p0 = SIM_SDEI_BIND_EVENT_PRIVATE_BASE;

	(void)state;
	assert_int_equal(fake_init(&f, 1, 0), 0);
	assert_int_equal(call1(&f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND, 20), p0);
	assert_false(f.intid_bound[20]);
	assert_int_equal(fake_register(&f, 0, p0, 0, 0), 0);
	assert_int_equal(call1(&f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, p0), 0);
	assert_int_equal(call1(&f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE, p0), 0);
	assert_int_equal(f.bind_hook_count, 0);
	fake_fini(&f);
}

/* ---- Client bugs ---- */

static void handler_forgets_complete(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	(void)f;
	(void)vcpu;
	(void)event;
	(void)data;
}

static void test_sdei_handler_never_completes_reported(void **state)
{
	struct fake *f = *state;
	struct sim_arm_regs before;

	fake_script_set(f, EV_NORMAL, handler_forgets_complete, NULL);
	assert_int_equal(fake_arm(f, 0, EV_NORMAL), 0);
	before = f->regs[0];
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(f->enter_count, 1);
	assert_int_equal(sim_sdei_stats(f->sdei)->no_complete_count, 1);
	assert_int_equal(sim_sdei_stats(f->sdei)->complete_count, 0);
	/* Unwound: consistent state and the interrupted registers back. */
	assert_int_equal(sim_sdei_depth(f->sdei, 0), 0);
	assert_int_equal(event_status(f, 0, EV_NORMAL), 3);
	assert_memory_equal(&f->regs[0], &before, sizeof(before));
	/* It can be dispatched again. */
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(f->enter_count, 2);
}

static void handler_calls_after_complete(struct fake *f, uint32_t vcpu, uint32_t event,
					 void *data)
{
	struct seen *seen = data;

	assert_int_equal(fake_complete(f, vcpu), PROTO_SDEI_SUCCESS);
	/* On hardware this code never runs; here it must not disturb anything. */
	seen->second = fake_complete(f, vcpu);
	seen->status = event_status(f, vcpu, event);
}

static void test_sdei_call_after_complete_refused(void **state)
{
	struct fake *f = *state;
	struct nest nest = { .outer.depth = 0 };
	struct seen seen = { .status = 1 };

	/* Inner (critical) handler misbehaves; the outer one must stay intact. */
	nest_arm(f, &nest, EV_NORMAL, EV_CRITICAL);
	fake_script_set(f, EV_CRITICAL, handler_calls_after_complete, &seen);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(seen.second, PROTO_SDEI_DENIED);
	assert_int_equal(seen.status, PROTO_SDEI_DENIED);
	assert_int_equal(nest.outer.running, EV_NORMAL);
	assert_int_equal(sim_sdei_stats(f->sdei)->complete_count, 2);
	assert_int_equal(sim_sdei_depth(f->sdei, 0), 0);
	/* Calls work again once the handler returned. */
	assert_int_equal(event_status(f, 0, EV_NORMAL), 3);

	/* The same bug in a handler that interrupted no other handler. */
	seen.second = 1;
	fake_script_set(f, EV_NORMAL, handler_calls_after_complete, &seen);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 0));
	assert_int_equal(seen.second, PROTO_SDEI_DENIED);
	assert_int_equal(sim_sdei_stats(f->sdei)->complete_count, 3);
	assert_int_equal(event_status(f, 0, EV_NORMAL), 3);
}

/* ---- PE reset ---- */

static void handler_cpu_off(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	(void)event;
	(void)data;
	sim_sdei_pe_reset(f->sdei, vcpu);
}

static void test_sdei_pe_reset(void **state)
{
	struct fake *f = *state;

	assert_int_equal(fake_arm(f, 0, EV_NORMAL), 0);
	assert_int_equal(fake_arm(f, 1, EV_NORMAL), 0);
	assert_int_equal(fake_register(f, 0, EV_SHARED, 0, 0), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 0, EV_NORMAL), 0);
	sim_sdei_pe_reset(f->sdei, 0);
	assert_true(sim_sdei_masked(f->sdei, 0));
	assert_int_equal(event_status(f, 0, EV_NORMAL), 0);
	assert_false(sim_sdei_pending(f->sdei, 0, EV_NORMAL));
	assert_int_equal(event_status(f, 1, EV_NORMAL), 3);
	assert_int_equal(event_status(f, 0, EV_SHARED), 1);

	/* CPU_OFF from inside a running shared handler. */
	fake_script_set(f, EV_SHARED, handler_cpu_off, NULL);
	assert_int_equal(call1(f, 1, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, EV_SHARED), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 1, EV_SHARED), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 1));
	assert_int_equal(sim_sdei_depth(f->sdei, 1), 0);
	assert_true(sim_sdei_masked(f->sdei, 1));
	assert_int_equal(event_status(f, 2, EV_SHARED), 3);
	assert_int_equal(event_status(f, 1, EV_NORMAL), 0);

	/* CPU_OFF from inside a private handler. */
	fake_script_set(f, EV_CRITICAL, handler_cpu_off, NULL);
	assert_int_equal(fake_arm(f, 2, EV_CRITICAL), 0);
	assert_int_equal(sim_sdei_signal(f->sdei, 2, EV_CRITICAL), 0);
	assert_false(sim_sdei_dispatch(f->sdei, 2));
	assert_int_equal(sim_sdei_depth(f->sdei, 2), 0);
	assert_int_equal(event_status(f, 2, EV_CRITICAL), 0);
	assert_int_equal(sim_sdei_stats(f->sdei)->no_complete_count, 0);
	/* Registrations drop with the PE: the bound slot can be released. */
	assert_int_equal(call1(f, 3, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND, 30),
			 SIM_SDEI_BIND_EVENT_PRIVATE_BASE);
	assert_int_equal(fake_register(f, 3, SIM_SDEI_BIND_EVENT_PRIVATE_BASE, 0, 0), 0);
	sim_sdei_pe_reset(f->sdei, 3);
	assert_int_equal(call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE,
			       SIM_SDEI_BIND_EVENT_PRIVATE_BASE), PROTO_SDEI_SUCCESS);
}

static void test_sdei_accessors_reject_bad_input(void **state)
{
	struct fake *f = *state;

	assert_int_equal(sim_sdei_event_status(f->sdei, 4, EV_NORMAL), -EINVAL);
	assert_int_equal(sim_sdei_event_status(f->sdei, 0, 4321), -EINVAL);
	assert_int_equal(sim_sdei_running_event(f->sdei, 0), -ENOENT);
	assert_int_equal(sim_sdei_depth(f->sdei, 3), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sdei_version_is_1_1),
		T(test_sdei_features_bind_slots),
		T(test_sdei_unknown_fid_not_supported),
		cmocka_unit_test(test_sdei_create_rejects_bad_arguments),
		T(test_sdei_event_define_rejects_bad_events),
		T(test_sdei_register_validates_arguments),
		T(test_sdei_register_denied_while_intid_active),
		T(test_sdei_enable_disable_unregistered_denied),
		T(test_sdei_get_info_fields),
		T(test_sdei_dispatch_saves_and_restores_context_exactly),
		T(test_sdei_context_and_complete_outside_handler_denied),
		T(test_sdei_complete_and_resume_takes_irq_like_exception),
		T(test_sdei_critical_preempts_normal),
		T(test_sdei_normal_does_not_preempt_normal),
		T(test_sdei_critical_does_not_preempt_critical),
		T(test_sdei_third_level_refused),
		T(test_sdei_critical_picked_before_normal),
		T(test_sdei_pe_mask_defers_until_unmask),
		T(test_sdei_pending_while_disabled_dispatches_after_enable),
		T(test_sdei_signal_results),
		T(test_sdei_cancel_before_dispatch),
		T(test_sdei_cancel_while_running),
		T(test_sdei_unregister_while_running_is_pending),
		T(test_sdei_private_reset),
		T(test_sdei_private_reset_with_nested_handlers),
		T(test_sdei_shared_reset),
		T(test_sdei_routing_set_rules),
		T(test_sdei_shared_rm_any_runs_once),
		T(test_sdei_interrupt_bind_and_release),
		T(test_sdei_release_denied_while_running_elsewhere),
		T(test_sdei_event_signal_call),
		cmocka_unit_test(test_sdei_mpidr_layouts),
		cmocka_unit_test(test_sdei_optional_hooks_absent),
		T(test_sdei_handler_never_completes_reported),
		T(test_sdei_call_after_complete_refused),
		T(test_sdei_pe_reset),
		T(test_sdei_accessors_reject_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Goal: the SDEI handler state machine matches the table of the protocol
 * reference (apf-protocol.md 6.3, after TF-A sdei_state.c and DEN0054), both
 * as a table and as seen through the SDEI calls, with the error code each
 * refused call returns.
 * Method: data-driven. (1) The reference table is transcribed below as text
 * and compared cell by cell with sim__sdei_state_next(). (2) For each of the
 * six reachable states and each of the ten actions, a fresh dispatcher is
 * brought into the state (running states from inside a handler), the action
 * is made through sim_sdei_call() (dispatch through signal + dispatch), and
 * the result code and the state right after are compared with the expected
 * cell. The event is a shared event bound to an SPI, so that every action
 * (RELEASE needs a dynamic event, ROUTING_SET a shared one) is meaningful.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "test_sdei_fake.c"

#define TABLE_SPI 40u
#define TABLE_EVENT SIM_SDEI_BIND_EVENT_SHARED_BASE
#define TABLE_X0 0x5a5a5a5a00000000ull /* interrupted x0, read back by CONTEXT */

/* ---- (1) The table itself ---- */

/* Rows and columns in the reference's order. */
static const char *const reference_rows[6] = { "reg_", "Reg_", "reG_", "ReG_", "rEG_", "REG_" };
static const char *const reference_table[6][SDEI_DO_COUNT] = {
	/*          REG     REL     ENA     DIS     UNREG   ROUT    CTX     COMP    COMPR   DISP */
	[0] = { "reG_", "NOP_", "X___", "X___", "X___", "X___", "X___", "X___", "X___", "X___" },
	[1] = { "X___", "X___", "X___", "X___", "X___", "X___", "NOP_", "reg_", "reg_", "X___" },
	[2] = { "X___", "X___", "rEG_", "NOP_", "reg_", "NOP_", "X___", "X___", "X___", "X___" },
	[3] = { "X___", "X___", "REG_", "NOP_", "Reg_", "X___", "NOP_", "reG_", "reG_", "X___" },
	[4] = { "X___", "X___", "NOP_", "reG_", "reg_", "X___", "X___", "X___", "X___", "REG_" },
	[5] = { "X___", "X___", "NOP_", "ReG_", "Reg_", "X___", "NOP_", "rEG_", "rEG_", "X___" },
};

/* Decode a TF-A style name: upper case R, E, G mean the bit is set. */
static unsigned int decode(const char *name)
{
	if (strcmp(name, "X___") == 0)
		return SDEI_STATE_DENIED_;
	if (strcmp(name, "NOP_") == 0)
		return SDEI_STATE_NOP_;
	assert_int_equal(strlen(name), 4);
	return (name[0] == 'R' ? SIM_SDEI_STATUS_RUNNING : 0u) |
	       (name[1] == 'E' ? SIM_SDEI_STATUS_ENABLED : 0u) |
	       (name[2] == 'G' ? SIM_SDEI_STATUS_REGISTERED : 0u);
}

static void test_sdei_state_table_matches_reference(void **state)
{
	unsigned int row;
	unsigned int action;

	(void)state;
	for (row = 0; row < 6; row++) {
		unsigned int from = decode(reference_rows[row]);

		for (action = 0; action < SDEI_DO_COUNT; action++) {
			unsigned int want = decode(reference_table[row][action]);
			unsigned int got = sim__sdei_state_next((uint8_t)from,
								(enum sdei_action)action);

			if (got != want)
				fail_msg("state %s action %s: got %#x want %s", reference_rows[row],
					 sim__sdei_action_name((enum sdei_action)action), got,
					 reference_table[row][action]);
		}
	}
}

static void test_sdei_state_impossible_states_deny_everything(void **state)
{
	unsigned int action;

	(void)state;
	for (action = 0; action < SDEI_DO_COUNT; action++) {
		assert_int_equal(sim__sdei_state_next(SDEI_STATE_rEg_, (enum sdei_action)action),
				 SDEI_STATE_DENIED_);
		assert_int_equal(sim__sdei_state_next(SDEI_STATE_REg_, (enum sdei_action)action),
				 SDEI_STATE_DENIED_);
	}
}

static void test_sdei_state_trans_applies_and_refuses(void **state)
{
	uint8_t s = SDEI_STATE_reg_;

	(void)state;
	assert_true(sim__sdei_state_trans(&s, SDEI_DO_RELEASE, 7, 0)); /* NOP */
	assert_int_equal(s, SDEI_STATE_reg_);
	assert_false(sim__sdei_state_trans(&s, SDEI_DO_ENABLE, 7, 0));
	assert_int_equal(s, SDEI_STATE_reg_);
	assert_true(sim__sdei_state_trans(&s, SDEI_DO_REGISTER, 7, SIM_SDEI_PE_NONE_));
	assert_int_equal(s, SDEI_STATE_reG_);
	assert_string_equal(sim__sdei_action_name(SDEI_DO_DISPATCH), "sdei: dispatch");
}

/* ---- (2) The table through the calls ---- */

#define OK_ PROTO_SDEI_SUCCESS
#define DEN_ PROTO_SDEI_DENIED
#define PEND_ PROTO_SDEI_PENDING
#define X0_ ((int64_t)TABLE_X0)

struct cell {
	int64_t code; /* for DISP: handlers entered */
	unsigned int next; /* status right after the action (inside the handler for DISP) */
};

/* Expected result of each call in each state; same rows as reference_rows. */
static const struct cell expected[6][SDEI_DO_COUNT] = {
	/* reg_ */
	{ { OK_, 1 }, { OK_, 0 }, { DEN_, 0 }, { DEN_, 0 }, { DEN_, 0 }, { DEN_, 0 },
	  { DEN_, 0 }, { DEN_, 0 }, { DEN_, 0 }, { 0, 0 } },
	/* Reg_ */
	{ { DEN_, 4 }, { DEN_, 4 }, { DEN_, 4 }, { DEN_, 4 }, { PEND_, 4 }, { DEN_, 4 },
	  { X0_, 4 }, { OK_, 0 }, { OK_, 0 }, { 0, 4 } },
	/* reG_ */
	{ { DEN_, 1 }, { DEN_, 1 }, { OK_, 3 }, { OK_, 1 }, { OK_, 0 }, { OK_, 1 },
	  { DEN_, 1 }, { DEN_, 1 }, { DEN_, 1 }, { 0, 1 } },
	/* ReG_ */
	{ { DEN_, 5 }, { DEN_, 5 }, { OK_, 7 }, { OK_, 5 }, { PEND_, 4 }, { DEN_, 5 },
	  { X0_, 5 }, { OK_, 1 }, { OK_, 1 }, { 0, 5 } },
	/* rEG_ */
	{ { DEN_, 3 }, { DEN_, 3 }, { OK_, 3 }, { OK_, 1 }, { OK_, 0 }, { DEN_, 3 },
	  { DEN_, 3 }, { DEN_, 3 }, { DEN_, 3 }, { 1, 7 } },
	/* REG_ */
	{ { DEN_, 7 }, { DEN_, 7 }, { OK_, 7 }, { OK_, 5 }, { PEND_, 4 }, { DEN_, 7 },
	  { X0_, 7 }, { OK_, 3 }, { OK_, 3 }, { 0, 7 } },
};

struct table_run {
	unsigned int row;
	unsigned int action;
	int64_t code;
	int next;
	bool returned;
	bool done;
};

static int status(struct fake *f)
{
	return sim_sdei_event_status(f->sdei, 0, TABLE_EVENT);
}

static void table_action(struct fake *f, struct table_run *r)
{
	uint32_t fid = 0;
	uint32_t enters;

	switch (r->action) {
	case SDEI_DO_REGISTER:
		r->code = fake_register(f, 0, TABLE_EVENT, PROTO_SDEI_EVENT_REGISTER_RM_ANY, 0);
		break;
	case SDEI_DO_ROUTING:
		r->code =
			(int64_t)fake_call(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_ROUTING_SET,
					   TABLE_EVENT, PROTO_SDEI_EVENT_REGISTER_RM_ANY, 0, 0, 0);
		break;
	case SDEI_DO_DISPATCH:
		enters = f->enter_count;
		SIM_MAYBE(sim_sdei_signal(f->sdei, 0, TABLE_EVENT));
		(void)sim_sdei_dispatch(f->sdei, 0);
		r->code = f->enter_count - enters;
		f->last_returned = true;
		break;
	case SDEI_DO_RELEASE:
		fid = PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE;
		break;
	case SDEI_DO_ENABLE:
		fid = PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE;
		break;
	case SDEI_DO_DISABLE:
		fid = PROTO_SDEI_1_0_FN_SDEI_EVENT_DISABLE;
		break;
	case SDEI_DO_UNREGISTER:
		fid = PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER;
		break;
	case SDEI_DO_CONTEXT:
		r->code = fake_call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT, 0);
		break;
	case SDEI_DO_COMPLETE:
		r->code = fake_complete(f, 0);
		break;
	case SDEI_DO_COMPLETE_RESUME:
		r->code = fake_call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME,
				     FAKE_RESUME);
		break;
	default:
		fail();
	}
	if (fid != 0)
		r->code = fake_call1(f, 0, fid, TABLE_EVENT);
	r->returned = f->last_returned;
	/* A dispatch is observed inside its handler, which records it. */
	if (!(r->action == SDEI_DO_DISPATCH && r->code == 1))
		r->next = status(f);
}

/* Handler: bring the running event into the row's state, act, then complete. */
static void table_handler(struct fake *f, uint32_t vcpu, uint32_t event, void *data)
{
	struct table_run *r = data;
	unsigned int row_state = decode(reference_rows[r->row]);

	assert_int_equal(vcpu, 0);
	assert_int_equal(event, TABLE_EVENT);
	if (r->done) {
		/* The dispatch made by the DISP action from rEG_. */
		r->next = status(f);
		fake_complete(f, vcpu);
		return;
	}
	r->done = true;
	if (!(row_state & SIM_SDEI_STATUS_ENABLED))
		assert_int_equal(fake_call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_DISABLE, event),
				 OK_);
	if (!(row_state & SIM_SDEI_STATUS_REGISTERED))
		assert_int_equal(fake_call1(f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER, event),
				 PEND_);
	assert_int_equal(status(f), (int)row_state);
	table_action(f, r);
	if (sim_sdei_depth(f->sdei, 0) > 0)
		assert_int_equal(fake_complete(f, vcpu), OK_);
}

static void table_run_cell(struct table_run *r)
{
	unsigned int row_state = decode(reference_rows[r->row]);
	struct fake f;

	assert_int_equal(fake_init(&f, 2, FAKE_HOOKS_ALL), 0);
	fake_script_set(&f, TABLE_EVENT, table_handler, r);
	assert_int_equal(fake_call1(&f, 0, PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND, TABLE_SPI),
			 TABLE_EVENT);
	assert_int_equal(fake_call1(&f, 0, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0), OK_);
	if (row_state != SDEI_STATE_reg_)
		assert_int_equal(
			fake_register(&f, 0, TABLE_EVENT, PROTO_SDEI_EVENT_REGISTER_RM_ANY, 0),
			OK_);
	if (row_state & (SIM_SDEI_STATUS_ENABLED | SIM_SDEI_STATUS_RUNNING))
		assert_int_equal(
			fake_call1(&f, 0, PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE, TABLE_EVENT), OK_);
	if (row_state & SIM_SDEI_STATUS_RUNNING) {
		f.regs[0].x[0] = TABLE_X0;
		assert_int_equal(sim_sdei_signal(f.sdei, 0, TABLE_EVENT), 0);
		(void)sim_sdei_dispatch(f.sdei, 0);
		assert_true(r->done);
		assert_int_equal(sim_sdei_depth(f.sdei, 0), 0);
	} else {
		r->done = true;
		assert_int_equal(status(&f), (int)row_state);
		table_action(&f, r);
	}
	assert_int_equal(sim_sdei_stats(f.sdei)->no_complete_count, 0);
	fake_fini(&f);
}

static void test_sdei_state_every_call_in_every_state(void **state)
{
	unsigned int failures = 0;
	unsigned int row;
	unsigned int action;

	(void)state;
	for (row = 0; row < 6; row++) {
		for (action = 0; action < SDEI_DO_COUNT; action++) {
			const struct cell *want = &expected[row][action];
			struct table_run r = { .row = row, .action = action, .next = -1 };
			bool completes = (action == SDEI_DO_COMPLETE ||
					  action == SDEI_DO_COMPLETE_RESUME) &&
					 want->code == OK_;

			table_run_cell(&r);
			if (r.code == want->code && r.next == (int)want->next &&
			    r.returned == !completes)
				continue;
			failures++;
			print_error("state %s action %s: code %lld next %d returned %d, want "
				    "code %lld next %u\n",
				    reference_rows[row],
				    sim__sdei_action_name((enum sdei_action)action),
				    (long long)r.code, r.next, r.returned, (long long)want->code,
				    want->next);
		}
	}
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdei_state_table_matches_reference),
		cmocka_unit_test(test_sdei_state_impossible_states_deny_everything),
		cmocka_unit_test(test_sdei_state_trans_applies_and_refuses),
		cmocka_unit_test(test_sdei_state_every_call_in_every_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * SDEI event handler state machine (Arm DEN0054 v1.1, "event handler states"),
 * as a constant table in the manner of TF-A's sdei_state.c.
 *
 * A handler state is three bits: registered (G), enabled (E), running (R).
 * The state lives per event, and per PE for a private event. Each call that
 * depends on the state looks up its cell: the next state, DENIED (X___: the
 * call fails, usually with SDEI_DENIED) or NOP (NOP_: the call is allowed and
 * changes nothing). A caller whose call has further checks after a successful
 * transition restores the state it backed up when one of those checks fails.
 */
#include <stdint.h>

#include "sim/sim.h"
#include "sim/trace.h"
#include "sdei_private.h"

#define reg_ SDEI_STATE_reg_
#define reG_ SDEI_STATE_reG_
#define rEG_ SDEI_STATE_rEG_
#define Reg_ SDEI_STATE_Reg_
#define ReG_ SDEI_STATE_ReG_
#define REG_ SDEI_STATE_REG_
#define X___ SDEI_STATE_DENIED_
#define NOP_ SDEI_STATE_NOP_

/*
 * Rows: the composite state before the call. Columns: the action. Notes:
 * [1] UNREGISTER also disables, so its target has e and g clear; from a
 *     running state it leaves R set ("unregister pending"), and the handler's
 *     COMPLETE then finishes the unregistration.
 * [2] Dispatch is an implementation action (not a call): only a registered,
 *     enabled, idle handler can be entered.
 * [3] RELEASE and ROUTING_SET never change the state; the table only says
 *     whether they are permitted: RELEASE needs the event fully unused,
 *     ROUTING_SET needs registered, disabled and idle.
 * [4] CONTEXT and the two COMPLETEs are valid only while running.
 * rEg_ and REg_ cannot be reached (enabled implies registered): all X___.
 */
static const uint8_t sdei_state_table[SDEI_STATE_COUNT_][SDEI_DO_COUNT] = {
	/*              REG    REL    ENA    DIS    UNREG  ROUT   CTX    COMP   COMPR  DISP
	 * notes:              [3]                  [1]    [3]    [4]    [4]    [4]    [2]
	 */
	[reg_] = { reG_, NOP_, X___, X___, X___, X___, X___, X___, X___, X___ },
	[Reg_] = { X___, X___, X___, X___, X___, X___, NOP_, reg_, reg_, X___ },
	[reG_] = { X___, X___, rEG_, NOP_, reg_, NOP_, X___, X___, X___, X___ },
	[ReG_] = { X___, X___, REG_, NOP_, Reg_, X___, NOP_, reG_, reG_, X___ },
	[rEG_] = { X___, X___, NOP_, reG_, reg_, X___, X___, X___, X___, REG_ },
	[REG_] = { X___, X___, NOP_, ReG_, Reg_, X___, NOP_, rEG_, rEG_, X___ },
	[SDEI_STATE_rEg_] = { X___, X___, X___, X___, X___, X___, X___, X___, X___, X___ },
	[SDEI_STATE_REg_] = { X___, X___, X___, X___, X___, X___, X___, X___, X___, X___ },
};

static const char *const sdei_action_names[SDEI_DO_COUNT] = {
	[SDEI_DO_REGISTER] = "sdei: register",
	[SDEI_DO_RELEASE] = "sdei: release",
	[SDEI_DO_ENABLE] = "sdei: enable",
	[SDEI_DO_DISABLE] = "sdei: disable",
	[SDEI_DO_UNREGISTER] = "sdei: unregister",
	[SDEI_DO_ROUTING] = "sdei: routing",
	[SDEI_DO_CONTEXT] = "sdei: context",
	[SDEI_DO_COMPLETE] = "sdei: complete",
	[SDEI_DO_COMPLETE_RESUME] = "sdei: complete-resume",
	[SDEI_DO_DISPATCH] = "sdei: dispatch",
};

/**
 * sim__sdei_action_name() - trace label of @action.
 * @action: an action below SDEI_DO_COUNT.
 *
 * Return: a static string.
 */
const char *sim__sdei_action_name(enum sdei_action action)
{
	SIM_ASSERT((unsigned int)action < SDEI_DO_COUNT);
	SIM_ASSERT(sdei_action_names[action] != NULL);
	return sdei_action_names[action];
}

/**
 * sim__sdei_trace() - emit an SDEI trace event if an execution is running.
 * @label: static string.
 * @a: event number.
 * @b: label-defined (see docs/sdei.md).
 */
void sim__sdei_trace(const char *label, uint64_t a, uint64_t b)
{
	struct sim *sim = sim_self();

	SIM_ASSERT(label != NULL);
	/* Outside an execution (unit tests) there is no trace to write to. */
	if (sim == NULL)
		return;
	sim_trace(sim, SIM_TRACE_SDEI, label, a, b);
}

/**
 * sim__sdei_state_next() - look up the cell for (@state, @action).
 * @state: a composite state below SDEI_STATE_COUNT_.
 * @action: an action below SDEI_DO_COUNT.
 *
 * Return: the next state, SDEI_STATE_DENIED_ or SDEI_STATE_NOP_.
 */
uint8_t sim__sdei_state_next(uint8_t state, enum sdei_action action)
{
	uint8_t next;

	SIM_ASSERT(state < SDEI_STATE_COUNT_);
	SIM_ASSERT((unsigned int)action < SDEI_DO_COUNT);
	next = sdei_state_table[state][action];
	SIM_ASSERT(next < SDEI_STATE_COUNT_ || next == SDEI_STATE_DENIED_ ||
		   next == SDEI_STATE_NOP_);
	return next;
}

/**
 * sim__sdei_state_trans() - apply @action to *@state if the table allows it.
 * @state: the handler state, updated in place.
 * @action: the action.
 * @event: event number, for the trace.
 * @pe: PE index for a private event, SIM_SDEI_PE_NONE_ for a shared one.
 *
 * Every state change goes through here, so the trace shows each one as
 * "old => new": label = the action, a = event, b = pe << 16 | old << 8 | new.
 *
 * Return: false if the table denies the action (state untouched), else true.
 */
bool sim__sdei_state_trans(uint8_t *state, enum sdei_action action, uint32_t event, uint32_t pe)
{
	uint8_t old;
	uint8_t next;

	SIM_ASSERT(state != NULL);
	SIM_ASSERT(pe <= SIM_SDEI_PE_NONE_);
	old = *state;
	next = sim__sdei_state_next(old, action);
	if (next == SDEI_STATE_DENIED_)
		return false;
	if (next == SDEI_STATE_NOP_)
		return true;
	/* Reachable states only: the impossible rows are all DENIED. */
	SIM_ASSERT(next != SDEI_STATE_rEg_);
	SIM_ASSERT(next != SDEI_STATE_REg_);
	*state = next;
	sim__sdei_trace(sim__sdei_action_name(action), event,
			((uint64_t)pe << 16) | ((uint64_t)old << 8) | next);
	return true;
}

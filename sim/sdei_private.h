/* SPDX-License-Identifier: MIT */
/*
 * Private to the SDEI dispatcher (sim/sdei.c, sim/sdei_state.c) and its unit
 * tests; never included elsewhere.
 *
 * The SDEI ABI constants (function IDs, error codes, selectors) come from
 * proto/sdei.h (Arm DEN0054 v1.1); the few this file adds end in '_'.
 */
#ifndef SIM_SDEI_PRIVATE_H
#define SIM_SDEI_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/gic.h"
#include "proto/sdei.h"
#include "sim/arm.h"
#include "sim/assert.h"
#include "sim/limits.h"
#include "sim/sdei.h"

/* ---- ABI constants (DEN0054 v1.1): proto/sdei.h, plus what it leaves out ---- */

/* The version this dispatcher implements: 1.1, vendor 0. */
#define SDEI_VERSION_MAJOR_ 1u
#define SDEI_VERSION_MINOR_ 1u
#define SDEI_VERSION_VENDOR_ 0u

/* FEATURES(BIND_SLOTS) result: private slots in bits 15:0, shared in 31:16. */
#define SDEI_FEATURE_BIND_SLOTS_SHARED_SHIFT_ 16

/* The public header's encodings are the ABI's. */
SIM_STATIC_ASSERT(SIM_SDEI_STATUS_REGISTERED == 1u << PROTO_SDEI_EVENT_STATUS_REGISTERED,
		  "status bits are EVENT_STATUS bits");
SIM_STATIC_ASSERT(SIM_SDEI_STATUS_ENABLED == 1u << PROTO_SDEI_EVENT_STATUS_ENABLED,
		  "status bits are EVENT_STATUS bits");
SIM_STATIC_ASSERT(SIM_SDEI_STATUS_RUNNING == 1u << PROTO_SDEI_EVENT_STATUS_RUNNING,
		  "status bits are EVENT_STATUS bits");
SIM_STATIC_ASSERT(SIM_SDEI_CONTEXT_REG_COUNT == PROTO_SDEI_EVENT_CONTEXT_REG_COUNT,
		  "EVENT_CONTEXT reads x0..x17");
SIM_STATIC_ASSERT(SIM_SDEI_EVENT_SHARED == PROTO_SDEI_EVENT_TYPE_SHARED,
		  "GET_INFO(EV_TYPE) answers the type");
SIM_STATIC_ASSERT(SIM_SDEI_PRIORITY_CRITICAL == PROTO_SDEI_EVENT_PRIORITY_CRITICAL,
		  "GET_INFO(EV_PRIORITY) answers the priority");
SIM_STATIC_ASSERT(PROTO_SDEI_1_1_FN_SDEI_EVENT_SIGNAL == 0xC400002Fu, "DEN0054: EVENT_SIGNAL");
SIM_STATIC_ASSERT(PROTO_SDEI_1_1_FN_SDEI_FEATURES == 0xC4000030u, "DEN0054: FEATURES");
SIM_STATIC_ASSERT(PROTO_SDEI_DENIED == -3, "DEN0054: DENIED");
SIM_STATIC_ASSERT(PROTO_SDEI_PENDING == -5, "DEN0054: PENDING");

/* GIC INTID ranges INTERRUPT_BIND distinguishes: SGIs never bind, PPIs and SPIs do. */
#define SDEI_INTID_PPI_MIN_ PROTO_GIC_PPI_BASE
#define SDEI_INTID_SPI_MIN_ PROTO_GIC_SPI_BASE
#define SDEI_INTID_SPI_MAX_ PROTO_GIC_SPI_LAST

/* MPIDR_EL1 affinity fields Aff3 (39:32), Aff2 (23:16), Aff1 (15:8), Aff0 (7:0). */
#define SDEI_MPIDR_AFFINITY_MASK_ 0xff00ffffffull

/* ---- Handler state machine (sdei_state.c) ---- */

/*
 * State bits, in the EVENT_STATUS encoding so that a state is its own status
 * word: re'G'istered, 'E'nabled, 'R'unning. Upper case means set, as in
 * TF-A's names, so reG_ is "registered only".
 */
#define SDEI_STATE_G_ SIM_SDEI_STATUS_REGISTERED
#define SDEI_STATE_E_ SIM_SDEI_STATUS_ENABLED
#define SDEI_STATE_R_ SIM_SDEI_STATUS_RUNNING

enum sdei_state {
	SDEI_STATE_reg_ = 0,
	SDEI_STATE_reG_ = SDEI_STATE_G_,
	SDEI_STATE_rEg_ = SDEI_STATE_E_, /* impossible: enabled needs registered */
	SDEI_STATE_rEG_ = SDEI_STATE_E_ | SDEI_STATE_G_,
	SDEI_STATE_Reg_ = SDEI_STATE_R_, /* unregister pending */
	SDEI_STATE_ReG_ = SDEI_STATE_R_ | SDEI_STATE_G_,
	SDEI_STATE_REg_ = SDEI_STATE_R_ | SDEI_STATE_E_, /* impossible */
	SDEI_STATE_REG_ = SDEI_STATE_R_ | SDEI_STATE_E_ | SDEI_STATE_G_,
	SDEI_STATE_COUNT_,
};

/* Table cells that are not states: the action is refused, or allowed with no change. */
#define SDEI_STATE_DENIED_ 0xffu
#define SDEI_STATE_NOP_ 0xfeu

SIM_STATIC_ASSERT(SDEI_STATE_COUNT_ == 8, "three state bits give eight composite states");
SIM_STATIC_ASSERT(SDEI_STATE_DENIED_ > SDEI_STATE_REG_, "DENIED must not alias a state");
SIM_STATIC_ASSERT(SDEI_STATE_NOP_ > SDEI_STATE_REG_, "NOP must not alias a state");
SIM_STATIC_ASSERT(SDEI_STATE_NOP_ != SDEI_STATE_DENIED_, "the two sentinels must differ");

/* Actions: the calls that the state table governs, plus dispatch. */
enum sdei_action {
	SDEI_DO_REGISTER = 0,
	SDEI_DO_RELEASE,
	SDEI_DO_ENABLE,
	SDEI_DO_DISABLE,
	SDEI_DO_UNREGISTER,
	SDEI_DO_ROUTING,
	SDEI_DO_CONTEXT,
	SDEI_DO_COMPLETE,
	SDEI_DO_COMPLETE_RESUME,
	SDEI_DO_DISPATCH,
	SDEI_DO_COUNT,
};

/*
 * sim__sdei_state_next() - the table cell for (@state, @action): the next
 * state, SDEI_STATE_DENIED_ or SDEI_STATE_NOP_. Pure; for callers that only
 * ask, and for tests.
 */
uint8_t sim__sdei_state_next(uint8_t state, enum sdei_action action);

/*
 * sim__sdei_state_trans() - apply @action to *@state if the table allows it.
 * Traces "old => new" on a change. @event and @pe (SIM_SDEI_PE_NONE_ for a
 * shared event) only label the trace.
 *
 * Return: false if the action is denied (state untouched), true otherwise.
 */
bool sim__sdei_state_trans(uint8_t *state, enum sdei_action action, uint32_t event, uint32_t pe);

/* Name of an action, for traces ("enable", "dispatch", ...). */
const char *sim__sdei_action_name(enum sdei_action action);

#define SIM_SDEI_PE_NONE_ 0xffffu

/* Trace helper: emits only inside a running execution. */
void sim__sdei_trace(const char *label, uint64_t a, uint64_t b);

#endif /* SIM_SDEI_PRIVATE_H */

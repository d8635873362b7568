/* SPDX-License-Identifier: MIT */
/*
 * A scripted KVM host for the guest-half scenario tests: the v4 host's
 * guest-visible behaviour [R§2.2-2.3, R§4.4-4.8] reduced to what the guest
 * can observe, plus knobs that make it misbehave on purpose.
 *
 *   - SMCCC vendor-hyp service (owner 6): CALL_UID, FEATURES (bit 2 =
 *     async PF), and the ASYNC_PF sub-functions VERSION, SLOTS, SDEI, IRQ,
 *     ENABLE (NOT_REQUIRED when the ENABLED bit does not change; disable
 *     drops the queue silently; enable queues a wake-all when nothing is
 *     done yet) and IRQ_ACK (lowers the line, posts the next completion).
 *   - Stage-2 faults of user accesses to "async" pages while the vCPU has
 *     async PF enabled and an empty slot: token = (id++ << 12) | vcpu,
 *     token then reason = PAGE_NOT_PRESENT into the registered slot, the
 *     SDEI event signalled; a timer pages the page in after pagein_ticks
 *     and queues the completion. Every other fault, and a refault of a
 *     page still outstanding, pages in synchronously (as x86's APF halt,
 *     not v4's refault loop [R§4.3]).
 *   - Completions are posted at guest entry (host entry hook) and on
 *     IRQ_ACK, from the vCPU's own thread, when the slot is empty and no
 *     page-ready is pending: token (or ~0 for wake-all), reason =
 *     PAGE_READY, PPI line raised.
 * Everything runs on engine threads holding the baton; no locking.
 */
#ifndef APFSIM_TEST_GUEST_SCRIPTED_HOST_H
#define APFSIM_TEST_GUEST_SCRIPTED_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/platform.h"
#include "sim/sim.h"

#define SHOST_VCPU_COUNT_MAX 4u
#define SHOST_WORK_COUNT_MAX 64u /* outstanding works per vCPU (SLOTS) */
#define SHOST_PAGE_COUNT_MAX 32u
#define SHOST_PAGE_MASK (~0xfffull)

/* Ways the host misbehaves (one per execution). */
enum shost_fault_mode {
	SHOST_OK = 0,
	SHOST_BAD_UID,          /* CALL_UID is not KVM's */
	SHOST_NO_FEATURE,       /* FEATURES without the async-PF bit */
	SHOST_VERSION_FAILS,    /* VERSION: NOT_SUPPORTED */
	SHOST_VERSION_MAJOR_0,  /* VERSION 0.1.0 */
	SHOST_VERSION_RESERVED, /* VERSION with bit 24 set */
	SHOST_SLOTS_FAILS,
	SHOST_SLOTS_ZERO,
	SHOST_SLOTS_HUGE,       /* 4096 slots */
	SHOST_SDEI_FAILS,
	SHOST_SDEI_ZERO,        /* SDEI event never set by the VMM */
	SHOST_SDEI_UNDEFINED,   /* an event number the platform does not have */
	SHOST_IRQ_FAILS,
	SHOST_IRQ_SPI,          /* INTID 40 */
	SHOST_ENABLE_FAILS,     /* ENABLE(enable) on vCPU fail_vcpu: NOT_SUPPORTED */
	SHOST_FAULT_MODE_COUNT,
};

struct shost_work {
	bool used;
	bool done;
	bool wake_all;
	uint32_t token;
	uint64_t page;
	uint64_t timer;
	uint32_t vcpu;
	struct shost *host;
};

struct shost_vcpu {
	bool enabled;
	uint64_t control;   /* last registration word accepted */
	uint16_t id;        /* token counter, u16 as in v4 [R3.2] */
	bool pr_pending;
	uint32_t queued;    /* works outstanding (not yet done) */
	struct shost_work works[SHOST_WORK_COUNT_MAX + 1]; /* + one wake-all */
	/* Done works, in completion order (indices into works[]). */
	uint32_t done_fifo[SHOST_WORK_COUNT_MAX + 1];
	uint32_t done_head;
	uint32_t done_count;
	/* Counters. */
	uint64_t np_count;       /* page-not-present posted */
	uint64_t pr_count;       /* page-ready posted (wake-all included) */
	uint64_t wake_all_count; /* ... of which wake-all */
	uint64_t ack_count;      /* IRQ_ACK calls */
	uint64_t ack_lowered;    /* ... that lowered the line */
	uint64_t enable_count;   /* successful enables */
	uint64_t disable_count;  /* successful disables */
	uint64_t not_required_count;
	uint64_t sync_count;     /* faults paged in synchronously */
	uint32_t first_token;    /* token of the first page-not-present */
};

struct shost {
	struct sim *sim;
	struct sim_platform *platform;
	struct sim_memory *memory;
	struct sim_sdei *sdei;
	uint32_t vcpu_count;
	/* Configuration. */
	enum shost_fault_mode fault_mode;
	uint32_t fail_vcpu;
	uint32_t sdei_event;  /* defined on the platform */
	uint32_t ppi;
	uint64_t slots;       /* reported by SLOTS */
	uint64_t slots_limit; /* outstanding works per vCPU actually allowed */
	uint64_t pagein_ticks;
	uint64_t async_pages[SHOST_PAGE_COUNT_MAX];
	uint32_t async_page_count;
	struct shost_vcpu vcpus[SHOST_VCPU_COUNT_MAX];
	/* Counters. */
	uint64_t async_pf_call_count; /* ASYNC_PF calls, any sub-function */
	uint64_t sub_call_count[6];
};

/*
 * Set up on @platform (before sim_run): define the SDEI event, register the
 * service, install the fault hook and the host hooks. @ppi: the page-ready
 * PPI; @pagein_ticks: the latency of an asynchronous page-in.
 */
void shost_init(struct shost *host, struct sim *sim, struct sim_platform *platform,
		uint32_t ppi, uint64_t pagein_ticks);

/* Make the page of @gpa swapped out and handled asynchronously. */
void shost_add_async_page(struct shost *host, uint64_t gpa);

/* Mark @vcpu as registered with @control, as a previous kernel left it. */
void shost_preset_enabled(struct shost *host, uint32_t vcpu, uint64_t control);

/* Queue a wake-all completion for @vcpu (as SET_CONTROL does) and kick it. */
void shost_queue_wake_all(struct shost *host, uint32_t vcpu);

/*
 * Write (@reason, @token) into @vcpu's slot, mark a page-ready pending and
 * raise the PPI: a forged or stale page-ready. Any thread.
 */
void shost_forge_page_ready(struct shost *host, uint32_t vcpu, uint32_t reason, uint32_t token);

/* Read @vcpu's slot (plain reads, no schedule point). */
void shost_slot(const struct shost *host, uint32_t vcpu, uint32_t *reason, uint32_t *token);

/* The registered slot GPA of @vcpu (0 when never enabled). */
uint64_t shost_slot_gpa(const struct shost *host, uint32_t vcpu);

#endif /* APFSIM_TEST_GUEST_SCRIPTED_HOST_H */

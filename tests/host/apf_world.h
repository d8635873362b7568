/* SPDX-License-Identifier: MIT */
/*
 * A scripted guest for the host half: one execution with the platform, the
 * kernel-API layer and the simulated KVM (hostlib + sim/kvm), and guest
 * tasks that make raw HVCs and touch guest memory. The guest's SDEI entry
 * and IRQ vector are ours (not the guest half's): the SDEI handler records
 * the page-not-present, "parks" the interrupted task on its token, clears
 * the slot and completes; the IRQ vector acknowledges the PPI, wakes the
 * task of a page-ready token (or every task of the vCPU for wake-all),
 * clears the slot, issues IRQ_ACK and EOIs. Knobs make it misbehave.
 *
 * Memory layout: page 0 holds the control blocks (vCPU v at
 * APF_WORLD_BASE + 64 * v) and is resident; data pages start at page 1
 * and are swapped out unless configured otherwise.
 */
#ifndef APF_WORLD_H
#define APF_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/kshim.h"
#include "sim/kvm.h"
#include "sim/platform.h"
#include "sim/sim.h"
#include "sim/strategy.h"

#define APF_WORLD_BASE 0x80000000ull
#define APF_WORLD_PAGE 4096ull
#define APF_WORLD_PPI 20u
/* The SGI of apf_send_sgi(); its handler runs the world's sgi_hook. */
#define APF_WORLD_SGI 1u
#define APF_WORLD_SDEI_ENTRY 0x1000ull
#define APF_WORLD_WAITER_COUNT 256u
#define APF_WORLD_LOG_COUNT 512u
#define APF_WORLD_TOUCH_ROUND_MAX 10000u

/* A test assertion inside the run: a finding that fails the execution. */
#define APF_CHECK(w, cond)                                                       \
	do {                                                                     \
		if (!(cond))                                                     \
			SIM_FAIL((w)->sim, "test-assertion", "%s:%d: %s", __FILE__, \
				 __LINE__, #cond);                               \
	} while (0)

struct apf_world_config {
	uint64_t seed;
	uint32_t vcpu_count;           /* default 1 */
	uint64_t page_count;           /* default 256 */
	struct sim_ratio nonresident;  /* default {1, 1}: every data page out */
	uint64_t pagein_ticks_min;     /* default 50 */
	uint64_t pagein_ticks_max;     /* default 400 */
	const char *strategy;          /* default "random" */
	uint64_t step_count_max;       /* default: the engine's */
	struct kvm_sim_config kvm;
	struct kshim_config kshim;
	/* Guest set-up done by apf_world_boot(): */
	bool no_sdei_unmask;           /* leave the PE masked */
	bool no_sdei_enable;           /* register the event but do not enable it */
	bool no_ppi_enable;            /* leave the PPI disabled in the GIC */
	bool no_vmm_setup;             /* no SET_SDEI / SET_IRQ before the run */
};

enum apf_log_kind {
	APF_LOG_NP = 1,       /* page-not-present handled by the SDEI handler */
	APF_LOG_NP_BAD,       /* SDEI with reason != PAGE_NOT_PRESENT */
	APF_LOG_PR,           /* page-ready handled */
	APF_LOG_PR_BAD,       /* PPI with reason != PAGE_READY */
};

struct apf_log_entry {
	enum apf_log_kind kind;
	uint32_t vcpu;
	uint32_t reason;
	uint32_t token;
	enum kvm_sim_apf_channel channel; /* as the host saw it at entry */
	uint32_t thread;
};

struct apf_waiter {
	bool used;
	uint32_t token;
	uint32_t thread;
	uint32_t vcpu;
};

struct apf_guest_vcpu {
	/* Misbehaviour knobs. */
	bool sdei_no_park;   /* clear the slot but do not park the task */
	bool sdei_no_clear;  /* park but leave the slot as it is */
	bool ppi_no_ack;     /* clear the slot but do not IRQ_ACK */
	bool ppi_no_clear;   /* IRQ_ACK without clearing the slot */
	/* Counters. */
	uint32_t sdei_count;
	uint32_t ppi_count;
	uint32_t wakeall_count;
	uint32_t unknown_token_count;
};

struct apf_world {
	struct apf_world_config config;
	struct sim *sim;
	struct sim_strategy *strategy;
	struct sim_platform *platform;
	struct sim_memory *memory;
	struct sim_gic *gic;
	struct kshim *kshim;
	struct kvm_sim *kvm;
	struct apf_guest_vcpu guest[SIM_VCPU_COUNT_MAX];
	/* The control block the guest handlers read (default apf_world_block()). */
	uint64_t block[SIM_VCPU_COUNT_MAX];
	struct apf_waiter waiters[APF_WORLD_WAITER_COUNT];
	bool released[SIM_THREAD_COUNT_MAX];
	bool parked[SIM_THREAD_COUNT_MAX];
	uint32_t park_count[SIM_THREAD_COUNT_MAX];
	struct apf_log_entry log[APF_WORLD_LOG_COUNT];
	uint32_t log_count;
	uint32_t tasks_live;
	bool quiesced;
	/* Run by the IRQ vector for APF_WORLD_SGI, inside the handler. */
	void (*sgi_hook)(struct apf_world *w, uint32_t vcpu);
	uint32_t sgi_count;
	/* PSCI SYSTEM_OFF / SYSTEM_RESET seen by the guest hook. */
	uint32_t system_event_count;
	/* IRQ_ACKs after which the host had posted the next page-ready at once. */
	uint32_t ack_rearm_count;
	/* Page-ready tokens that named no NP the guest had seen (H3). */
	uint32_t unknown_pr_count;
	void *user; /* for the test */
};

/* Create everything for @config (ck_assert on failure). */
void apf_world_init(struct apf_world *w, const struct apf_world_config *config);
/* sim_run(), then the end-of-execution checks; returns the result. */
const struct sim_result *apf_world_run(struct apf_world *w);
/* apf_world_run() and no finding allowed. */
void apf_world_run_clean(struct apf_world *w);
void apf_world_destroy(struct apf_world *w);

/*
 * A scripted guest task on @vcpu. The world counts it; the last one to
 * return quiesces the VM (kvm_sim_quiesce) unless @fn did.
 */
uint32_t apf_world_spawn(struct apf_world *w, uint32_t vcpu, const char *name,
			 void (*fn)(struct apf_world *w, uint32_t vcpu, void *arg), void *arg);
/* A host thread (the VMM) running @fn; counted like a task. */
uint32_t apf_world_spawn_vmm(struct apf_world *w, const char *name,
			     void (*fn)(struct apf_world *w, uint32_t vcpu, void *arg), void *arg);

/* ---- Inside the run ---- */

/* HVC from the caller's vCPU; returns a0 and copies a0..a3 to @out (may be NULL). */
uint64_t apf_hvc(struct apf_world *w, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
		 uint64_t out[4]);
/* ASYNC_PF sub-function @sub with x2/x3. */
uint64_t apf_call(struct apf_world *w, uint64_t sub, uint64_t x2, uint64_t x3, uint64_t out[4]);
/* ENABLE with @control split as the guest does (x2 = low, x3 = high). */
uint64_t apf_enable(struct apf_world *w, uint64_t control);
/* The control-block GPA of @vcpu. */
uint64_t apf_world_block(uint32_t vcpu);
/* The GPA of data page @page (>= 1). */
uint64_t apf_world_page(uint64_t page);
/*
 * The guest's boot on the caller's vCPU: GIC (PPI enabled, priority, PMR),
 * SDEI register / enable / PE unmask, then ENABLE of this vCPU's block
 * (unless @enable is false) and waits for its wake-all. Checks every result.
 */
void apf_world_boot(struct apf_world *w, bool enable);
/* Yield until @vcpu's guest handled @count wake-alls (bounded). */
void apf_wait_wakeall(struct apf_world *w, uint32_t vcpu, uint32_t count);
/*
 * A user-mode write access to @gpa, retried until it completes: after an
 * asynchronous fault, a parked task waits for its page-ready (or wake-all).
 * Return: the last sim_memory_touch() result (0 or MAPPED/SYNC); *@rounds
 * (may be NULL) gets the number of touches.
 */
int apf_touch(struct apf_world *w, uint64_t gpa, uint32_t *rounds);
/* If the caller was parked by the guest's SDEI handler, block until woken. */
void apf_park_wait(struct apf_world *w);
/* A raw access: one sim_platform_touch() with @flags. */
int apf_touch_once(struct apf_world *w, uint64_t gpa, unsigned int flags);
/* The slot of @vcpu as the guest sees it (plain read). */
void apf_slot(struct apf_world *w, uint32_t vcpu, uint32_t *reason, uint32_t *token);
/* Snapshot of @vcpu's host state. */
struct kvm_sim_apf_state apf_state(struct apf_world *w, uint32_t vcpu);
struct kvm_sim_apf_stats apf_stats(struct apf_world *w, uint32_t vcpu);
/* Send APF_WORLD_SGI to @vcpu (taken at its next interrupt point). */
void apf_send_sgi(struct apf_world *w, uint32_t vcpu);
/* Sleep @ticks of virtual time on the caller. */
void apf_sleep(uint64_t ticks);
/* Count log entries of @kind on @vcpu (UINT32_MAX: any vCPU). */
uint32_t apf_log_count(const struct apf_world *w, enum apf_log_kind kind, uint32_t vcpu);
/* Release every parked waiter of @vcpu (UINT32_MAX: all), as a guest's own recovery. */
void apf_release_all(struct apf_world *w, uint32_t vcpu);
/* Parked waiters still in the table. */
uint32_t apf_waiter_count(const struct apf_world *w);

#endif /* APF_WORLD_H */

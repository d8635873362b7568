// SPDX-License-Identifier: MIT
/*
 * Goal: the simulated KVM core (sim/kvm) keeps KVM's contracts that the host
 * half relies on: requests, halt / wake-up without lost wake-ups and with
 * the vCPU kept, the gfn_to_hva cache over guest memory (4-byte accesses,
 * revalidation after memslot changes, read-only slots), memslot updates,
 * gfn -> pfn in no-wait and blocking mode, get_user_pages_remote, the SDEI
 * services with KVM's injection rules, vGIC lines, hypercall registers, and
 * the VMM API's argument checks; plus the memslot edge cases of the host
 * half [R§10.21, R§10.22]. Method: kernel calls made from scripted guest
 * tasks and host threads of one execution, and VMM calls outside it.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm_host.h>
#include <asm/kvm_emulate.h>
#include <asm/kvm_hypercalls.h>
#include <asm/kvm_sdei.h>
#include <asm/kvm_vgic.h>

#include "apf_world.h"
#include "check_support.h"
#include "kvm_private.h"
#include "proto/apf.h"
#include "proto/sdei.h"

#define USER_WRITE (SIM_MEMORY_ACCESS_WRITE | SIM_MEMORY_ACCESS_USER)
#define EVENT PROTO_KVM_SDEI_ASYNC_PF_NUM

static struct kvm_vcpu *vcpu_of(struct apf_world *w, uint32_t vcpu)
{
	return kvm_sim_vcpu(w->kvm, vcpu);
}

static void run_task(uint64_t seed, uint32_t vcpu_count, struct apf_world_config *config,
		     void (*fn)(struct apf_world *w, uint32_t vcpu, void *arg), void *user)
{
	struct apf_world_config local = { .seed = seed, .vcpu_count = vcpu_count };
	struct apf_world w;

	apf_world_init(&w, config != NULL ? config : &local);
	w.user = user;
	apf_world_spawn(&w, 0, "task", fn, NULL);
	apf_world_run_clean(&w);
	apf_world_destroy(&w);
}

/* ---- Requests ---- */

static void task_requests(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct kvm_vcpu *v = vcpu_of(w, 1);

	(void)vcpu;
	(void)arg;
	APF_CHECK(w, !kvm_request_pending(v));
	kvm_make_request(KVM_REQ_ASYNC_PF, v);
	APF_CHECK(w, kvm_request_pending(v));
	APF_CHECK(w, kvm_test_request(KVM_REQ_ASYNC_PF, v));
	APF_CHECK(w, !kvm_test_request(KVM_REQ_SDEI, v));
	/* vCPU 1 has no task: its idle thread enters and processes it. */
	for (uint32_t round = 0; round < 10000 && kvm_request_pending(v); round++)
		sim_yield();
	APF_CHECK(w, !kvm_request_pending(v));
	APF_CHECK(w, KVM_REQ_ASYNC_PF == 15 && KVM_REQ_SDEI == 14);
	kvm_make_request(KVM_REQ_SDEI, vcpu_of(w, 0));
	APF_CHECK(w, kvm_check_request(KVM_REQ_SDEI, vcpu_of(w, 0)));
	APF_CHECK(w, !kvm_check_request(KVM_REQ_SDEI, vcpu_of(w, 0)));
}

START_TEST(test_kvm_requests_processed_at_entry)
{
	run_task(1, 2, NULL, task_requests, NULL);
}
END_TEST

/* ---- Halt and wake-up ---- */

struct halt_probe {
	uint32_t halted_thread;
	bool woken_by_host;
	bool other_ran_while_halted;
	bool halted;
};

static void task_other(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct halt_probe *probe = w->user;

	(void)vcpu;
	(void)arg;
	if (probe->halted)
		probe->other_ran_while_halted = true;
}

static void host_waker(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct halt_probe *probe = w->user;

	(void)vcpu;
	(void)arg;
	for (uint32_t round = 0; round < 10000 && !probe->halted; round++)
		apf_sleep(5);
	apf_sleep(500);
	probe->woken_by_host = true;
	APF_CHECK(w, kvm_vcpu_wake_up(vcpu_of(w, 0)));
}

static void task_halt(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct halt_probe *probe = w->user;
	struct kvm_vcpu *v = vcpu_of(w, vcpu);
	uint64_t start;

	(void)arg;
	/* A wake-up with nobody halted is kept: the halt returns at once. */
	APF_CHECK(w, !kvm_vcpu_wake_up(v));
	start = sim_now(w->sim);
	kvm_vcpu_halt(v);
	APF_CHECK(w, sim_now(w->sim) - start < 50);
	/* Now it waits for the host thread; the other task must not run. */
	apf_world_spawn(w, vcpu, "other", task_other, NULL);
	apf_world_spawn_vmm(w, "waker", host_waker, NULL);
	probe->halted = true;
	kvm_vcpu_halt(v);
	probe->halted = false;
	APF_CHECK(w, probe->woken_by_host);
	APF_CHECK(w, v->stat.halt_wakeup == 2);
}

START_TEST(test_kvm_halt_keeps_vcpu_and_loses_no_wakeup)
{
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct halt_probe probe = { 0 };

		run_task(seed, 1, NULL, task_halt, &probe);
		ck_assert(!probe.other_ran_while_halted);
	}
}
END_TEST

/* ---- The vCPU mutex ---- */

struct mutex_probe {
	bool held;	     /* the VMM thread holds vCPU 0's mutex */
	bool waited;	     /* the caller's hypercall has returned */
	bool other_in_host;  /* the other task ran while vCPU 0 was in an exit */
	bool other_ran;
};

/* A VMM call holding vCPU 0's mutex for a while (a migration restore in cancel_work_sync()). */
static void host_mutex_holder(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct mutex_probe *probe = w->user;

	(void)vcpu;
	(void)arg;
	kvm_sim__vcpu_lock(w->kvm, 0);
	probe->held = true;
	apf_sleep(500);
	probe->held = false;
	kvm_sim__vcpu_unlock(w->kvm, 0);
}

static void task_mutex_other(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct mutex_probe *probe = w->user;

	(void)vcpu;
	(void)arg;
	probe->other_ran = true;
	if (sim_platform_in_host(w->platform, 0))
		probe->other_in_host = true;
}

static void task_mutex_caller(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct mutex_probe *probe = w->user;
	uint64_t out[4];

	(void)arg;
	apf_world_spawn_vmm(w, "vmm-holder", host_mutex_holder, NULL);
	for (uint32_t round = 0; round < 10000 && !probe->held; round++)
		apf_sleep(5);
	APF_CHECK(w, probe->held);
	/* Runnable on this vCPU while the hypercall below waits for the mutex. */
	apf_world_spawn(w, vcpu, "other", task_mutex_other, NULL);
	APF_CHECK(w, apf_call(w, PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION, 0, 0, out) ==
			     PROTO_SMCCC_RET_SUCCESS);
	APF_CHECK(w, !probe->held);
	probe->waited = true;
}

/*
 * A task whose exit waits for its vCPU's mutex (held by a VMM thread) is a
 * vCPU thread blocked in the host: it keeps the vCPU. No other task of that
 * vCPU may run meanwhile, or it could start an exit of its own and the
 * per-vCPU host mode would outlive the first exit (the task back in the
 * guest then halted the vCPU for ever: migrate, seed 139) [R§10.25].
 */
START_TEST(test_kvm_mutex_wait_keeps_vcpu)
{
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct mutex_probe probe = { 0 };

		run_task(seed, 1, NULL, task_mutex_caller, &probe);
		ck_assert(probe.waited);
		ck_assert(probe.other_ran);
		ck_assert_msg(!probe.other_in_host,
			      "seed %llu: another task ran on the vCPU during its exit",
			      (unsigned long long)seed);
	}
}
END_TEST

/* ---- The gfn_to_hva cache and memslots ---- */

static void task_ghc(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct kvm *kvm = kvm_sim_kvm(w->kvm);
	struct gfn_to_hva_cache ghc;
	u32 words[2] = { 0x11, 0x22 };
	u32 back[2] = { 0, 0 };
	uint32_t reason, token;
	uint64_t gpa = apf_world_block(3);

	(void)vcpu;
	(void)arg;
	APF_CHECK(w, kvm_gfn_to_hva_cache_init(kvm, &ghc, gpa, 8) == 0);
	APF_CHECK(w, kvm_write_guest_offset_cached(kvm, &ghc, words, 0, 8) == 0);
	apf_slot(w, 3, &reason, &token);
	APF_CHECK(w, reason == 0x11 && token == 0x22);
	APF_CHECK(w, kvm_read_guest_offset_cached(kvm, &ghc, back, 4, 4) == 0);
	APF_CHECK(w, back[0] == 0x22);
	/* Beyond the cached length, unaligned offsets or lengths. */
	APF_CHECK(w, kvm_write_guest_offset_cached(kvm, &ghc, words, 8, 4) == -EINVAL);
	APF_CHECK(w, kvm_write_guest_offset_cached(kvm, &ghc, words, 2, 4) == -EINVAL);
	APF_CHECK(w, kvm_read_guest_offset_cached(kvm, &ghc, back, 0, 3) == -EINVAL);
	/* Outside guest memory, or empty. */
	APF_CHECK(w, kvm_gfn_to_hva_cache_init(kvm, &ghc, 0x1000, 8) == -EFAULT);
	APF_CHECK(w, kvm_write_guest_offset_cached(kvm, &ghc, words, 0, 4) == -EFAULT);
	APF_CHECK(w, kvm_gfn_to_hva_cache_init(kvm, &ghc, gpa, 0) == -EFAULT);
	/* A memslot change revalidates: gone means -EFAULT ... */
	APF_CHECK(w, kvm_gfn_to_hva_cache_init(kvm, &ghc, gpa, 8) == 0);
	APF_CHECK(w, kvm_sim_set_memslot(w->kvm, 0, 0, 0, 0) == 0);
	APF_CHECK(w, kvm_write_guest_offset_cached(kvm, &ghc, words, 0, 4) == -EFAULT);
	APF_CHECK(w, gfn_to_memslot(kvm, gpa_to_gfn(gpa)) == NULL);
	/* ... a read-only slot refuses the cache (it is for writing) ... */
	APF_CHECK(w, kvm_sim_set_memslot(w->kvm, 1, APF_WORLD_BASE, APF_WORLD_PAGE,
					 KVM_MEM_READONLY) == 0);
	APF_CHECK(w, kvm_gfn_to_hva_cache_init(kvm, &ghc, gpa, 8) == -EFAULT);
	/* ... and back again. */
	APF_CHECK(w, kvm_sim_set_memslot(w->kvm, 1, 0, 0, 0) == 0);
	APF_CHECK(w, kvm_sim_set_memslot(w->kvm, 0, APF_WORLD_BASE, 256 * APF_WORLD_PAGE, 0) == 0);
	APF_CHECK(w, kvm_gfn_to_hva_cache_init(kvm, &ghc, gpa, 8) == 0);
	APF_CHECK(w, kvm_read_guest_offset_cached(kvm, &ghc, back, 0, 8) == 0);
	APF_CHECK(w, back[0] == 0x11);
}

START_TEST(test_kvm_gfn_to_hva_cache)
{
	run_task(2, 1, NULL, task_ghc, NULL);
}
END_TEST

START_TEST(test_kvm_memslot_api)
{
	struct apf_world_config config = { .seed = 3 };
	struct kvm_memory_slot *slot;
	bool writable = true;
	struct apf_world w;
	struct kvm *kvm;

	apf_world_init(&w, &config);
	kvm = kvm_sim_kvm(w.kvm);
	ck_assert_int_eq(kvm_sim_set_memslot(w.kvm, 8, APF_WORLD_BASE, APF_WORLD_PAGE, 0), -EINVAL);
	ck_assert_int_eq(kvm_sim_set_memslot(w.kvm, 1, APF_WORLD_BASE, APF_WORLD_PAGE, 0), -EEXIST);
	ck_assert_int_eq(kvm_sim_set_memslot(w.kvm, 1, APF_WORLD_BASE + 1, APF_WORLD_PAGE, 0),
			 -EINVAL);
	ck_assert_int_eq(kvm_sim_set_memslot(w.kvm, 1, 0x1000, APF_WORLD_PAGE, 0), -EINVAL);
	ck_assert_int_eq(kvm_sim_set_memslot(w.kvm, 0, APF_WORLD_BASE, APF_WORLD_PAGE, 4), -EINVAL);
	/* Split slot 0 in two, the upper half read-only. */
	ck_assert_int_eq(kvm_sim_set_memslot(w.kvm, 0, APF_WORLD_BASE, 128 * APF_WORLD_PAGE, 0), 0);
	ck_assert_int_eq(kvm_sim_set_memslot(w.kvm, 2, APF_WORLD_BASE + 128 * APF_WORLD_PAGE,
					     128 * APF_WORLD_PAGE, KVM_MEM_READONLY), 0);
	slot = gfn_to_memslot(kvm, gpa_to_gfn(apf_world_page(200)));
	ck_assert_ptr_nonnull(slot);
	ck_assert_int_eq(slot->id, 2);
	ck_assert(!kvm_is_error_hva(gfn_to_hva_memslot_prot(slot, gpa_to_gfn(apf_world_page(200)),
							    &writable)));
	ck_assert(!writable);
	ck_assert(kvm_is_error_hva(gfn_to_hva_memslot_prot(NULL, 0, NULL)));
	ck_assert_int_eq(__gfn_to_pfn_memslot(slot, gpa_to_gfn(apf_world_page(200)), false, NULL,
					      true, NULL, NULL), KVM_PFN_ERR_RO_FAULT);
	ck_assert_int_eq(__gfn_to_pfn_memslot(NULL, 5, false, NULL, false, NULL, NULL),
			 KVM_PFN_NOSLOT);
	apf_world_destroy(&w);
}
END_TEST

/* ---- gfn -> pfn, get_user_pages_remote, the pager ---- */

struct pfn_probe {
	bool other_ran;
	bool in_sync;
};

static void task_pfn_other(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct pfn_probe *probe = w->user;

	(void)vcpu;
	(void)arg;
	if (probe->in_sync)
		probe->other_ran = true;
}

static void host_gup(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct kvm *kvm = kvm_sim_kvm(w->kvm);
	uint64_t gpa = apf_world_page(40);
	unsigned long hva;
	int locked = 0;

	(void)vcpu;
	(void)arg;
	hva = gfn_to_hva_memslot_prot(gfn_to_memslot(kvm, gpa_to_gfn(gpa)), gpa_to_gfn(gpa),
				      NULL);
	APF_CHECK(w, get_user_pages_remote(kvm->mm, hva, 2, FOLL_WRITE, NULL, NULL, &locked) == 2);
	APF_CHECK(w, locked == 1);
	APF_CHECK(w, sim_memory_resident(w->memory, gpa) == 1);
	APF_CHECK(w, sim_memory_resident(w->memory, gpa + APF_WORLD_PAGE) == 1);
	APF_CHECK(w, get_user_pages_remote(kvm->mm, 0x1000, 1, FOLL_WRITE, NULL, NULL, NULL) ==
		     -EFAULT);
}

static void task_pfn(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct pfn_probe *probe = w->user;
	struct kvm *kvm = kvm_sim_kvm(w->kvm);
	gfn_t gfn = gpa_to_gfn(apf_world_page(30));
	struct kvm_memory_slot *slot = gfn_to_memslot(kvm, gfn);
	bool async = false, writable = false;
	kvm_pfn_t pfn;

	(void)arg;
	/* No-wait mode: not resident, so *async and no page-in. */
	pfn = __gfn_to_pfn_memslot(slot, gfn, false, &async, true, &writable, NULL);
	APF_CHECK(w, async && pfn == KVM_PFN_ERR_FAULT);
	APF_CHECK(w, __gfn_to_pfn_memslot(slot, gfn, true, NULL, false, NULL, NULL) ==
		     KVM_PFN_ERR_FAULT);
	APF_CHECK(w, sim_memory_resident(w->memory, apf_world_page(30)) == 0);
	/* Blocking: a pager pages it in, the vCPU is kept meanwhile. */
	apf_world_spawn(w, vcpu, "other", task_pfn_other, NULL);
	probe->in_sync = true;
	pfn = __gfn_to_pfn_memslot(slot, gfn, false, NULL, true, &writable, NULL);
	probe->in_sync = false;
	APF_CHECK(w, pfn == gfn && writable);
	APF_CHECK(w, sim_memory_resident(w->memory, apf_world_page(30)) == 1);
	/* Resident: at once, also in no-wait mode. */
	pfn = __gfn_to_pfn_memslot(slot, gfn, false, &async, true, NULL, NULL);
	APF_CHECK(w, !async && pfn == gfn);
	APF_CHECK(w, apf_stats(w, vcpu).sync_pagein == 1);
	apf_world_spawn_vmm(w, "gup", host_gup, NULL);
}

START_TEST(test_kvm_pfn_pager_and_gup)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct pfn_probe probe = { 0 };

		run_task(seed, 1, NULL, task_pfn, &probe);
		ck_assert(!probe.other_ran);
	}
}
END_TEST

/* ---- SDEI services ---- */

static void task_sdei(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct kvm_vcpu *v = vcpu_of(w, vcpu);

	(void)arg;
	APF_CHECK(w, kvm_sdei_is_exposed(kvm_sim_kvm(w->kvm), EVENT));
	APF_CHECK(w, !kvm_sdei_is_exposed(kvm_sim_kvm(w->kvm), PROTO_KVM_SDEI_DEFAULT_NUM));
	APF_CHECK(w, kvm_sdei_inject(v, PROTO_KVM_SDEI_DEFAULT_NUM, true) == -EINVAL);
	/* Not registered: refused; the PE starts masked. */
	APF_CHECK(w, !kvm_sdei_event_ready(v, EVENT));
	APF_CHECK(w, kvm_sdei_vcpu_masked(v));
	APF_CHECK(w, kvm_sdei_inject(v, EVENT, true) == -EPERM);
	w->config.no_sdei_unmask = true;
	apf_world_boot(w, false);
	APF_CHECK(w, kvm_sdei_event_ready(v, EVENT));
	/* Registered and enabled, but the PE is masked. */
	APF_CHECK(w, kvm_sdei_inject(v, EVENT, true) == -EPERM);
	APF_CHECK(w, apf_hvc(w, PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK, 0, 0, 0, NULL) == 0);
	APF_CHECK(w, !kvm_sdei_vcpu_masked(v));
	/* Host code runs in host mode: nothing is delivered meanwhile. */
	sim_platform_host_enter(w->platform);
	/* Queued; a second immediate one of the same priority: no room. */
	APF_CHECK(w, kvm_sdei_inject(v, EVENT, true) == 0);
	APF_CHECK(w, kvm_sdei_event_pending(v, EVENT));
	APF_CHECK(w, kvm_test_request(KVM_REQ_SDEI, v));
	APF_CHECK(w, kvm_sdei_inject(v, EVENT, true) == -ENOSPC);
	APF_CHECK(w, kvm_sdei_inject(v, EVENT, false) == 0);
	/* Cancelled before it reached the dispatcher, then nothing left. */
	APF_CHECK(w, kvm_sdei_cancel(v, EVENT) == 0);
	APF_CHECK(w, !kvm_sdei_event_pending(v, EVENT));
	APF_CHECK(w, kvm_sdei_cancel(v, EVENT) == -EINVAL);
	APF_CHECK(w, kvm_sdei_cancel(v, PROTO_KVM_SDEI_DEFAULT_NUM) == -EINVAL);
	APF_CHECK(w, !kvm_sdei_vcpu_event_running(v));
	kvm_clear_request(KVM_REQ_SDEI, v);
	sim_platform_host_exit(w->platform);
	APF_CHECK(w, w->guest[vcpu].sdei_count == 0);
}

START_TEST(test_kvm_sdei_injection_rules)
{
	struct apf_world_config config = { .seed = 4, .no_sdei_unmask = true };

	run_task(4, 1, &config, task_sdei, NULL);
}
END_TEST

/* Inside the handler: running, and too late to cancel. */
static void hook_running(struct apf_world *w, uint32_t vcpu)
{
	(void)w;
	(void)vcpu;
}

static void task_sdei_delivered(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct kvm_vcpu *v = vcpu_of(w, vcpu);
	uint32_t round;

	(void)arg;
	w->sgi_hook = hook_running;
	apf_world_boot(w, false);
	/* The guest handler expects a page-not-present: write one. */
	APF_CHECK(w, sim_memory_write_u32(w->memory, apf_world_block(vcpu) + 4, 0x77, "t") == 0);
	APF_CHECK(w, sim_memory_write_u32(w->memory, apf_world_block(vcpu), 1, "r") == 0);
	APF_CHECK(w, kvm_sdei_inject(v, EVENT, true) == 0);
	/* Handed over at the next entry, dispatched, handled. */
	for (round = 0; round < 10000 && w->guest[vcpu].sdei_count == 0; round++)
		sim_yield();
	APF_CHECK(w, w->guest[vcpu].sdei_count == 1);
	APF_CHECK(w, !kvm_sdei_event_pending(v, EVENT));
	APF_CHECK(w, apf_stats(w, vcpu).sdei_signalled == 1);
	apf_release_all(w, vcpu);
}

START_TEST(test_kvm_sdei_delivered_at_entry)
{
	run_task(5, 1, NULL, task_sdei_delivered, NULL);
}
END_TEST

/* ---- vGIC, hypercall registers, exception level ---- */

static void task_vgic_regs(struct apf_world *w, uint32_t vcpu, void *arg)
{
	struct kvm *kvm = kvm_sim_kvm(w->kvm);
	struct kvm_vcpu *v = vcpu_of(w, vcpu);
	struct sim_arm_regs *regs = sim_platform_regs(w->platform, vcpu);
	struct sim_gic_irq_state irq;

	(void)arg;
	APF_CHECK(w, kvm_vgic_inject_irq(kvm, 5, APF_WORLD_PPI, true, NULL) == -EINVAL);
	APF_CHECK(w, kvm_vgic_inject_irq(kvm, -1, APF_WORLD_PPI, true, NULL) == -EINVAL);
	APF_CHECK(w, kvm_vgic_inject_irq(kvm, 0, 3, true, NULL) == -EINVAL);
	APF_CHECK(w, kvm_vgic_inject_irq(kvm, 0, APF_WORLD_PPI, true, NULL) == 0);
	APF_CHECK(w, sim_gic_irq_state(w->gic, 0, APF_WORLD_PPI, &irq) == 0 && irq.line_level);
	/* The PPI is disabled in the GIC: not a pending interrupt. */
	APF_CHECK(w, !kvm_vgic_vcpu_pending_irq(v));
	APF_CHECK(w, kvm_vgic_inject_irq(kvm, 0, APF_WORLD_PPI, false, NULL) == 0);
	APF_CHECK(w, sim_gic_irq_state(w->gic, 0, APF_WORLD_PPI, &irq) == 0 && !irq.line_level);
	/* Registers: all 64 bits of x1..x3, W0 of x0; results to x0..x3. */
	regs->x[0] = 0xffffffff86000002ull;
	regs->x[1] = 1;
	regs->x[2] = 0xdead00000000beefull;
	regs->x[3] = 3;
	APF_CHECK(w, smccc_get_function(v) == 0x86000002);
	APF_CHECK(w, smccc_get_arg1(v) == 1 && smccc_get_arg3(v) == 3);
	APF_CHECK(w, smccc_get_arg2(v) == 0xdead00000000beefull);
	smccc_set_retval(v, 4, 5, 6, 7);
	APF_CHECK(w, regs->x[0] == 4 && regs->x[3] == 7);
	regs->pstate = SIM_PSTATE_EL0t;
	APF_CHECK(w, !vcpu_mode_priv(v));
	regs->pstate = SIM_PSTATE_EL1h;
	APF_CHECK(w, vcpu_mode_priv(v));
	/* ESR decoding of a simulated abort. */
	v->arch.fault.esr_el2 = (u32)((ESR_ELx_EC_DABT_LOW << ESR_ELx_EC_SHIFT) | ESR_ELx_WNR);
	v->arch.fault.hpfar_el2 = (apf_world_page(3) >> 12) << 4;
	APF_CHECK(w, kvm_is_write_fault(v));
	APF_CHECK(w, kvm_vcpu_get_fault_ipa(v) == apf_world_page(3));
	v->arch.fault.esr_el2 = (u32)(ESR_ELx_EC_IABT_LOW << ESR_ELx_EC_SHIFT);
	APF_CHECK(w, !kvm_is_write_fault(v));
	v->arch.fault.esr_el2 |= ESR_ELx_S1PTW;
	APF_CHECK(w, kvm_is_write_fault(v));
}

START_TEST(test_kvm_vgic_registers_and_esr)
{
	struct apf_world_config config = { .seed = 6, .no_ppi_enable = true };

	run_task(6, 1, &config, task_vgic_regs, NULL);
}
END_TEST

/* ---- API argument checks ---- */

START_TEST(test_kvm_api_bad_arguments)
{
	struct apf_world_config config = { .seed = 7 };
	struct proto_kvm_arm_async_pf_cmd cmd = { 0 };
	struct kvm_sim_apf_saved saved = { 0 };
	struct kvm_sim_apf_state state;
	struct kvm_sim_apf_stats stats;
	struct kvm_sim *other = NULL;
	struct apf_world w;

	apf_world_init(&w, &config);
	ck_assert_int_eq(kvm_sim_create(NULL, w.platform, w.kshim, NULL), -EINVAL);
	ck_assert_int_eq(kvm_sim_create(&other, NULL, w.kshim, NULL), -EINVAL);
	ck_assert_int_eq(kvm_sim_create(&other, w.platform, NULL, NULL), -EINVAL);
	ck_assert_int_eq(kvm_sim_vm_apf_command(NULL, &cmd), -EINVAL);
	ck_assert_int_eq(kvm_sim_vm_apf_command(w.kvm, NULL), -EINVAL);
	ck_assert_int_eq(kvm_sim_vcpu_apf_command(w.kvm, 1, &cmd), -EINVAL);
	ck_assert_int_eq(kvm_sim_vcpu_apf_save(w.kvm, 1, &saved), -EINVAL);
	ck_assert_int_eq(kvm_sim_vcpu_apf_restore(w.kvm, 1, &saved), -EINVAL);
	ck_assert_int_eq(kvm_sim_vcpu_apf_restore(w.kvm, 0, NULL), -EINVAL);
	ck_assert_int_eq(kvm_sim_vcpu_apf_state(w.kvm, 1, &state), -EINVAL);
	ck_assert_int_eq(kvm_sim_vcpu_apf_stats(w.kvm, 1, &stats), -EINVAL);
	ck_assert_int_eq(kvm_sim_set_memslot(NULL, 0, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(kvm_sim_quiesce(w.kvm), -EINVAL); /* outside a run */
	ck_assert_ptr_null(kvm_sim_vcpu(w.kvm, 1));
	ck_assert_uint_eq(kvm_sim_vcpu_count(w.kvm), 1);
	ck_assert_ptr_eq(kvm_sim_platform(w.kvm), w.platform);
	ck_assert_str_eq(kvm_sim_channel_name(KVM_SIM_APF_PR_POSTED), "pr-posted");
	/* Save and restore outside a run: the values come back. */
	ck_assert_int_eq(kvm_sim_vcpu_apf_save(w.kvm, 0, &saved), 0);
	ck_assert_uint_eq(saved.sdei, EVENT);
	ck_assert_uint_eq(saved.irq, APF_WORLD_PPI);
	ck_assert_uint_eq(saved.control, 0);
	ck_assert_int_eq(kvm_sim_vcpu_apf_restore(w.kvm, 0, &saved), 0);
	ck_assert_int_eq(kvm_sim_vcpu_apf_state(w.kvm, 0, &state), 0);
	ck_assert_uint_eq(state.sdei_event, EVENT);
	ck_assert_uint_eq(state.irq, APF_WORLD_PPI);
	ck_assert_int_eq(kvm_sim_users(w.kvm), 1);
	apf_world_destroy(&w);
}
END_TEST

/* ---- Memslot edge cases of the host half ---- */

/* R§10.21: the slot goes away while the page is being paged in. */
static void task_memslot_deleted(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint64_t gpa = apf_world_page(100);
	uint32_t round;

	(void)arg;
	apf_world_boot(w, true);
	APF_CHECK(w, apf_touch_once(w, gpa, USER_WRITE) == SIM_STAGE2_ASYNC);
	/* Carve the page out of slot 0 while its work runs. */
	APF_CHECK(w, kvm_sim_set_memslot(w->kvm, 0, APF_WORLD_BASE, 100 * APF_WORLD_PAGE, 0) == 0);
	APF_CHECK(w, kvm_sim_set_memslot(w->kvm, 1, gpa + APF_WORLD_PAGE,
					 155 * APF_WORLD_PAGE, 0) == 0);
	/* Still told: the page-ready wakes the task, the replay is skipped. */
	for (round = 0; round < 100000 && w->parked[sim_self_id()] &&
			!w->released[sim_self_id()]; round++)
		sim_yield();
	APF_CHECK(w, w->released[sim_self_id()]);
	w->parked[sim_self_id()] = false;
	APF_CHECK(w, apf_stats(w, vcpu).replay_skipped == 1);
	APF_CHECK(w, apf_stats(w, vcpu).pageready == 1);
	/* An access outside every slot: an exit to the VMM, which handles it. */
	APF_CHECK(w, sim_memory_set_resident(w->memory, gpa, false) == 0);
	APF_CHECK(w, apf_touch_once(w, gpa, USER_WRITE) == SIM_STAGE2_SYNC);
	APF_CHECK(w, apf_stats(w, vcpu).mmio_exit == 1);
}

START_TEST(test_kvm_memslot_deleted_between_fault_and_completion)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct apf_world_config config = {
			.seed = seed, .pagein_ticks_min = 1000, .pagein_ticks_max = 2000,
		};

		run_task(seed, 1, &config, task_memslot_deleted, NULL);
	}
}
END_TEST

/* R§10.22: a write to a read-only slot is never asynchronous. */
static void task_memslot_readonly(struct apf_world *w, uint32_t vcpu, void *arg)
{
	uint64_t gpa = apf_world_page(200);

	(void)arg;
	apf_world_boot(w, true);
	APF_CHECK(w, kvm_sim_set_memslot(w->kvm, 0, APF_WORLD_BASE, 128 * APF_WORLD_PAGE, 0) == 0);
	APF_CHECK(w, kvm_sim_set_memslot(w->kvm, 2, APF_WORLD_BASE + 128 * APF_WORLD_PAGE,
					 128 * APF_WORLD_PAGE, KVM_MEM_READONLY) == 0);
	APF_CHECK(w, apf_touch_once(w, gpa, USER_WRITE) == SIM_STAGE2_SYNC);
	APF_CHECK(w, apf_stats(w, vcpu).mmio_exit == 1);
	/* A read of the read-only slot is an ordinary async fault. */
	APF_CHECK(w, apf_touch_once(w, gpa + APF_WORLD_PAGE, SIM_MEMORY_ACCESS_USER) ==
		     SIM_STAGE2_ASYNC);
	APF_CHECK(w, apf_stats(w, vcpu).async_fault == 1);
	APF_CHECK(w, apf_touch(w, gpa + APF_WORLD_PAGE, NULL) >= 0);
}

START_TEST(test_kvm_memslot_readonly_write_fault)
{
	run_task(8, 1, NULL, task_memslot_readonly, NULL);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("kvm-core");
	TCase *tcase = tcase_create("kvm");

	tcase_set_timeout(tcase, 240);
	tcase_add_test(tcase, test_kvm_requests_processed_at_entry);
	tcase_add_test(tcase, test_kvm_halt_keeps_vcpu_and_loses_no_wakeup);
	tcase_add_test(tcase, test_kvm_mutex_wait_keeps_vcpu);
	tcase_add_test(tcase, test_kvm_gfn_to_hva_cache);
	tcase_add_test(tcase, test_kvm_memslot_api);
	tcase_add_test(tcase, test_kvm_pfn_pager_and_gup);
	tcase_add_test(tcase, test_kvm_sdei_injection_rules);
	tcase_add_test(tcase, test_kvm_sdei_delivered_at_entry);
	tcase_add_test(tcase, test_kvm_vgic_registers_and_esr);
	tcase_add_test(tcase, test_kvm_api_bad_arguments);
	tcase_add_test(tcase, test_kvm_memslot_deleted_between_fault_and_completion);
	tcase_add_test(tcase, test_kvm_memslot_readonly_write_fault);
	suite_add_tcase(suite, tcase);
	return support_run_suite(suite);
}

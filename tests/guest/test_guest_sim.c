// SPDX-License-Identifier: MIT
/*
 * Goal: the guest half of async PF (guestlib/kvm.c) behaves as
 * docs/guest.md says when it runs on the simulated vCPUs against a host:
 * init detects the feature, registers everything and enables every CPU, and
 * unwinds exactly (no leak, nothing left registered) when any step fails;
 * no-kvmapf turns it off; a user task that faults on a swapped-out page is
 * parked until its page-ready and then finds the page (token 0 included); a
 * page-ready that arrives before the task parks does not make it sleep;
 * wake-all wakes exactly the CPU's waiters; CPU offline and reboot wake
 * every waiter so that none hangs; a spurious or bogus page-ready is
 * acknowledged (no interrupt storm, the channel keeps working); a full
 * table, a page-not-present in kernel mode and a stale registration take
 * their documented fallbacks.
 * Method: Check scenarios on the engine with the platform and kshim
 * attached and a scripted host (scripted_host.c) playing KVM; a boot task
 * on vCPU 0 runs kshim_boot(), drives the scenario and tears the driver
 * down; user tasks touch pages from EL0. Many seeds of the random strategy
 * (even seeds also keep a kernel task busy on every vCPU, so that interrupts
 * hit a running task instead of the idle loop);
 * checks inside threads are "test-assertion" findings, every execution
 * must end without a finding and without a leak.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/acpi.h>
#include <linux/cpuhotplug.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/sched.h>

#include "check_support.h"
#include "kvm_apf.h"
#include "proto/apf.h"
#include "scripted_host.h"
#include "sim/gic.h"
#include "sim/kshim.h"
#include "sim/platform.h"
#include "sim/sdei.h"
#include "sim/sim.h"
#include "sim/strategy.h"

#define SEED_COUNT 16u
#define VCPU_COUNT_MAX_TEST 2u
#define GPA_BASE 0x40000000ull
#define PAGE_COUNT 256u
#define PPI 27u
#define APF_IRQ (PPI + KSHIM_IRQ_GSI_OFFSET)
#define PAGE(n) (GPA_BASE + (uint64_t)(n) * 4096u)
#define USER_COUNT_MAX 6u
#define USER_PAGE_COUNT_MAX 3u
#define TOUCH_COUNT_MAX 64u
#define WAIT_ROUND_MAX 20000u
#define SYNC_PAGEIN_TICKS 50u
#define LONG_PAGEIN_TICKS 3000u
#define SDEI_ON (SIM_SDEI_STATUS_REGISTERED | SIM_SDEI_STATUS_ENABLED)

#define CHECK_IN_SIM(cond)                                                                 \
	do {                                                                               \
		if (!(cond))                                                               \
			SIM_FAIL(g_world.sim, "test-assertion", "%s:%d: %s", __FILE__,     \
				 __LINE__, #cond);                                         \
	} while (0)

struct user {
	uint32_t vcpu;
	uint64_t pages[USER_PAGE_COUNT_MAX];
	uint32_t page_count;
	uint32_t async_count; /* touches answered "handled asynchronously" */
	bool done;
};

struct world;
typedef void (*script_fn)(struct world *w);

struct world {
	struct sim *sim;
	struct sim_strategy *strategy;
	struct sim_platform *platform;
	struct kshim *kshim;
	struct shost host;
	uint32_t vcpu_count;
	const char *cmdline;
	script_fn before_boot; /* in the boot task, before kshim_boot() */
	script_fn script;      /* in the boot task, after the users started */
	script_fn after_boot_checks;
	struct user users[USER_COUNT_MAX];
	uint32_t user_count;
	/* Results, recorded inside the run. */
	int boot_ret;
	bool ready;
	unsigned int capacity;
	bool enabled_after_boot[VCPU_COUNT_MAX_TEST];
	struct kvm_async_pf_stats stats[VCPU_COUNT_MAX_TEST];
	uint32_t tif_calls;
	uint64_t ppi_handled[VCPU_COUNT_MAX_TEST];
	int squat_state[40];
	uint32_t squat_count;
	uint32_t squat_notifier_count;
	struct notifier_block squat_nb[KSHIM_REBOOT_NOTIFIER_COUNT_MAX + 1];
	int reboot_ret;
	unsigned long reboot_action;
	bool spinner_at_el0;
	bool spinner_stop;
	bool busy_stop;
	bool teardown_done;
	uint64_t leaked_count;
	uint64_t alloc_failed_count;
};

static struct world g_world;
static DEFINE_PER_CPU(int, squat_dev);

/* The return-to-user work for TIF_ASYNC_PF, counted. */
static void tif_handler(void)
{
	g_world.tif_calls++;
	kvm_async_pf_task_wait();

}

static bool users_done(const struct world *w)
{
	uint32_t i;

	for (i = 0; i < w->user_count; i++) {
		if (!READ_ONCE(w->users[i].done))
			return false;
	}
	return true;
}

/* Sleep until @cond holds (bounded). */
static void wait_for(struct world *w, bool (*cond)(struct world *w))
{
	uint32_t i;

	for (i = 0; i < WAIT_ROUND_MAX && !cond(w); i++)
		msleep(1);
	CHECK_IN_SIM(cond(w));
}

static bool all_users_done(struct world *w)
{
	return users_done(w);
}

static void user_task(void *arg)
{
	struct user *u = arg;
	uint32_t p, i;
	int ret;

	kshim_user_enter();
	for (p = 0; p < u->page_count; p++) {
		for (i = 0; i < TOUCH_COUNT_MAX; i++) {
			ret = kshim_user_touch(u->pages[p], true);
			if (ret == SIM_STAGE2_ASYNC) {
				u->async_count++;
				/* The task parked on the way back; the page is in now or
				 * will be faulted in again. */
				continue;
			}
			CHECK_IN_SIM(ret == SIM_MEMORY_TOUCH_RESIDENT || ret == SIM_STAGE2_SYNC ||
				     ret == SIM_STAGE2_MAPPED);
			break;
		}
		CHECK_IN_SIM(i < TOUCH_COUNT_MAX);
	}
	CHECK_IN_SIM(!test_thread_flag(TIF_ASYNC_PF));
	kshim_user_exit();
	WRITE_ONCE(u->done, true);
}

static void snapshot_stats(struct world *w)
{
	uint32_t v;

	for (v = 0; v < w->vcpu_count; v++) {
		CHECK_IN_SIM(kvm_async_pf_stats((int)v, &w->stats[v]) == 0);
		w->ppi_handled[v] = kshim_irq_handled_count(w->kshim, APF_IRQ, v);
	}
}

static bool boot_wake_alls_handled(struct world *w)
{
	uint32_t v;

	for (v = 0; v < w->vcpu_count; v++) {
		if (w->host.vcpus[v].wake_all_count != 1 || w->host.vcpus[v].pr_pending)
			return false;
	}
	return true;
}

/* No page-ready pending or in the slot of any CPU. */
static bool channels_quiet(struct world *w)
{
	uint32_t reason, token, v;

	for (v = 0; v < w->vcpu_count; v++) {
		shost_slot(&w->host, v, &reason, &token);
		if (w->host.vcpus[v].pr_pending || reason != 0 || token != 0)
			return false;
	}
	return true;
}

static void boot_task(void *arg)
{
	struct world *w = arg;
	uint32_t i, v;

	if (w->before_boot)
		w->before_boot(w);
	w->boot_ret = kshim_boot(w->kshim, w->cmdline);
	w->ready = kvm_async_pf_ready();
	w->capacity = kvm_async_pf_table_capacity();
	for (v = 0; v < w->vcpu_count; v++)
		w->enabled_after_boot[v] = kvm_async_pf_cpu_enabled((int)v);
	if (w->after_boot_checks)
		w->after_boot_checks(w);
	/* Users start once the enable-time wake-alls are through. */
	if (w->ready)
		wait_for(w, boot_wake_alls_handled);
	for (i = 0; i < w->user_count; i++)
		CHECK_IN_SIM(kshim_spawn_task(w->kshim, w->users[i].vcpu, "user", user_task,
					      &w->users[i]) != SIM_THREAD_NONE);
	if (w->script)
		w->script(w);
	wait_for(w, all_users_done);
	wait_for(w, channels_quiet);
	snapshot_stats(w);
	for (v = 0; v < w->vcpu_count; v++)
		CHECK_IN_SIM(kvm_async_pf_table_count((int)v) == 0);
	kvm_async_pf_teardown();
	/* Nothing is left registered anywhere. */
	CHECK_IN_SIM(!kvm_async_pf_ready());
	CHECK_IN_SIM(kvm_async_pf_table_capacity() == 0);
	for (v = 0; v < w->vcpu_count; v++) {
		CHECK_IN_SIM(!kvm_async_pf_cpu_enabled((int)v));
		CHECK_IN_SIM(!w->host.vcpus[v].enabled);
		CHECK_IN_SIM(sim_sdei_event_status(w->host.sdei, v, w->host.sdei_event) == 0);
	}
	w->teardown_done = true;
	WRITE_ONCE(w->busy_stop, true);
}

static void world_start(struct world *w, uint64_t seed, uint32_t vcpu_count,
			uint64_t pagein_ticks, const struct kshim_config *kconfig)
{
	struct sim_strategy_config strategy_config = { .seed = seed };
	struct sim_config config = { .seed = seed, .vcpu_count = vcpu_count, .pin_cpu = -1 };
	struct sim_platform_config platform_config = {
		.memory = {
			.gpa_base = GPA_BASE,
			.page_count = PAGE_COUNT,
			.nonresident_ratio = { 0, 1 },
			.pagein_ticks_min = SYNC_PAGEIN_TICKS,
			.pagein_ticks_max = SYNC_PAGEIN_TICKS,
			.slow_ratio = { 0, 1 },
		},
	};
	char error[160] = "";

	memset(w, 0, sizeof(*w));
	w->vcpu_count = vcpu_count;
	w->cmdline = "";
	ck_assert_int_eq(sim_strategy_create("random", &strategy_config, &w->strategy), 0);
	ck_assert_int_eq(sim_create(&w->sim, &config, w->strategy), 0);
	ck_assert_msg(sim_platform_create(&w->platform, w->sim, &platform_config, error,
					  sizeof(error)) == 0, "%s", error);
	ck_assert_int_eq(kshim_create(&w->kshim, w->sim, kconfig), 0);
	ck_assert_int_eq(kshim_attach_platform(w->kshim, w->platform), 0);
	ck_assert_int_eq(kshim_set_tif_handler(w->kshim, TIF_ASYNC_PF, tif_handler), 0);
	shost_init(&w->host, w->sim, w->platform, PPI, pagein_ticks);
}

static struct user *add_user(struct world *w, uint32_t vcpu, uint32_t page_index)
{
	struct user *u;

	ck_assert_uint_lt(w->user_count, USER_COUNT_MAX);
	u = &w->users[w->user_count++];
	u->vcpu = vcpu;
	u->pages[u->page_count++] = PAGE(page_index);
	shost_add_async_page(&w->host, PAGE(page_index));
	return u;
}

static void world_dump(const struct world *w)
{
	const struct sim_result *r = sim_result(w->sim);
	uint32_t v, i;

	fprintf(stderr, "seed %llu boot %d ready %d cap %u tif %u findings %u\n",
		(unsigned long long)sim_seed(w->sim), w->boot_ret, w->ready, w->capacity,
		w->tif_calls, r->finding_count);
	for (i = 0; i < r->finding_count && i < SIM_FINDING_COUNT_MAX; i++)
		fprintf(stderr, "  finding %s (thread %s, step %llu): %s\n",
			r->findings[i].class_name,
			sim_thread_name(w->sim, r->findings[i].thread_id),
			(unsigned long long)r->findings[i].step, r->findings[i].message);
	for (v = 0; v < w->vcpu_count; v++) {
		const struct kvm_async_pf_stats *st = &w->stats[v];
		const struct shost_vcpu *hv = &w->host.vcpus[v];

		fprintf(stderr, "  cpu%u np %llu pr %llu wa %llu wat %llu unk %llu bnp %llu bpr %llu "
			"spur %llu full %llu dup %llu kern %llu ack %llu retry %llu\n", v,
			(unsigned long long)st->not_present, (unsigned long long)st->page_ready,
			(unsigned long long)st->wake_all, (unsigned long long)st->wake_all_tasks,
			(unsigned long long)st->unknown_token,
			(unsigned long long)st->bogus_not_present,
			(unsigned long long)st->bogus_page_ready, (unsigned long long)st->spurious,
			(unsigned long long)st->table_full, (unsigned long long)st->duplicate,
			(unsigned long long)st->kernel_mode, (unsigned long long)st->irq_ack,
			(unsigned long long)st->enable_retry);
		fprintf(stderr, "  host%u en %d np %llu pr %llu wa %llu ack %llu low %llu enc %llu "
			"dis %llu nreq %llu sync %llu\n", v, hv->enabled,
			(unsigned long long)hv->np_count, (unsigned long long)hv->pr_count,
			(unsigned long long)hv->wake_all_count, (unsigned long long)hv->ack_count,
			(unsigned long long)hv->ack_lowered, (unsigned long long)hv->enable_count,
			(unsigned long long)hv->disable_count,
			(unsigned long long)hv->not_required_count,
			(unsigned long long)hv->sync_count);
	}
	for (i = 0; i < w->user_count; i++)
		fprintf(stderr, "  user%u vcpu %u async %u done %d\n", i, w->users[i].vcpu,
			w->users[i].async_count, w->users[i].done);
}

/* Keeps its vCPU busy in kernel mode until the teardown is done. */
static void busy_task(void *arg)
{
	struct world *w = arg;

	while (!READ_ONCE(w->busy_stop))
		cond_resched();
}

/*
 * A user the script starts itself (users[0], not counted in user_count, so
 * the boot task does not start it): vCPU @vcpu, one async page.
 */
static void late_user_prepare(struct world *w, uint32_t vcpu, uint32_t page_index)
{
	w->users[0].vcpu = vcpu;
	w->users[0].pages[0] = PAGE(page_index);
	w->users[0].page_count = 1;
	w->user_count = 0;
	shost_add_async_page(&w->host, PAGE(page_index));
}

static const struct sim_result *world_run(struct world *w)
{
	uint32_t v;

	/* Even seeds: every vCPU runs a kernel task, so interrupts interrupt
	 * it; odd seeds: idle vCPUs take them in their idle loop. */
	for (v = 0; v < w->vcpu_count && sim_seed(w->sim) % 2 == 0; v++)
		ck_assert(kshim_spawn_task(w->kshim, v, "busy", busy_task, w) != SIM_THREAD_NONE);
	ck_assert(kshim_spawn_task(w->kshim, 0, "boot", boot_task, w) != SIM_THREAD_NONE);
	ck_assert_int_eq(sim_run(w->sim), 0);
	w->alloc_failed_count = kshim_alloc_failed_count(w->kshim);
	w->leaked_count = kshim_finish(w->kshim);
	if (getenv("GUEST_DEBUG"))
		world_dump(w);
	return sim_result(w->sim);
}

/* Run, and require a clean end: no finding, no leak, the teardown done. */
static void world_run_clean(struct world *w)
{
	const struct sim_result *result = world_run(w);

	support_assert_no_finding(result, sim_seed(w->sim));
	ck_assert_uint_eq(w->leaked_count, 0);
	ck_assert(w->teardown_done);
}

static void world_end(struct world *w)
{
	kshim_destroy(w->kshim);
	sim_destroy(w->sim);
	sim_platform_destroy(w->platform);
	sim_strategy_destroy(w->strategy);
}

/* ---- init ---- */

static void check_registered(struct world *w)
{
	struct sim_gic_irq_state state;
	uint64_t base, size, gpa;
	uint32_t v;

	CHECK_IN_SIM(w->boot_ret == 0);
	CHECK_IN_SIM(w->ready);
	CHECK_IN_SIM(w->capacity == 2 * PROTO_ASYNC_PF_PER_VCPU);
	kshim_reserved_gpa(w->kshim, &base, &size);
	for (v = 0; v < w->vcpu_count; v++) {
		CHECK_IN_SIM(w->enabled_after_boot[v]);
		CHECK_IN_SIM(w->host.vcpus[v].enabled);
		CHECK_IN_SIM(w->host.vcpus[v].enable_count == 1);
		/* GPA | ENABLED, 64-byte aligned, in the per-CPU units [R3.1]. */
		CHECK_IN_SIM(proto_kvm_async_pf_control_flags(w->host.vcpus[v].control) ==
			     PROTO_KVM_ASYNC_PF_ENABLED);
		gpa = shost_slot_gpa(&w->host, v);
		CHECK_IN_SIM(gpa % PROTO_KVM_ASYNC_PF_DATA_ALIGN == 0);
		CHECK_IN_SIM(gpa >= base && gpa + sizeof(struct proto_kvm_vcpu_pv_apf_data) <=
						    base + size);
		CHECK_IN_SIM(sim_sdei_event_status(w->host.sdei, v, w->host.sdei_event) ==
			     SDEI_ON);
		CHECK_IN_SIM(sim_gic_irq_state(sim_platform_gic(w->platform), v, PPI, &state) == 0);
		CHECK_IN_SIM(state.enabled);
		CHECK_IN_SIM(state.config == SIM_GIC_CONFIG_LEVEL);
	}
	/* Two CPUs register two different slots. */
	if (w->vcpu_count == 2)
		CHECK_IN_SIM(shost_slot_gpa(&w->host, 0) != shost_slot_gpa(&w->host, 1));
}

static void script_wait_boot_wake_alls(struct world *w)
{
	wait_for(w, boot_wake_alls_handled);
}

START_TEST(test_guest_init_registers_and_teardown_unregisters)
{
	struct world *w = &g_world;
	uint64_t seed;
	uint32_t v;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, SYNC_PAGEIN_TICKS, NULL);
		w->after_boot_checks = check_registered;
		w->script = script_wait_boot_wake_alls;
		world_run_clean(w);
		for (v = 0; v < 2; v++) {
			/* The enable-time wake-all was taken, acknowledged, and
			 * found nobody [R3.2]. */
			ck_assert_uint_eq(w->stats[v].wake_all, 1);
			ck_assert_uint_eq(w->stats[v].wake_all_tasks, 0);
			ck_assert_uint_eq(w->stats[v].irq_ack, 1);
			ck_assert_uint_eq(w->host.vcpus[v].ack_lowered, 1);
			ck_assert_uint_eq(w->host.vcpus[v].disable_count, 1);
			ck_assert_uint_eq(w->ppi_handled[v], 1);
		}
		world_end(w);
	}
}
END_TEST

START_TEST(test_guest_no_kvmapf_disables)
{
	struct world *w = &g_world;
	uint64_t seed;

	for (seed = 1; seed <= 4; seed++) {
		world_start(w, seed, 2, SYNC_PAGEIN_TICKS, NULL);
		w->cmdline = "quiet no-kvmapf";
		add_user(w, 1, 3);
		world_run_clean(w);
		ck_assert_int_eq(w->boot_ret, 0);
		ck_assert(!w->ready);
		ck_assert_uint_eq(w->host.async_pf_call_count, 0);
		ck_assert_uint_eq(w->users[0].async_count, 0);
		ck_assert_uint_eq(w->host.vcpus[1].sync_count, 1);
		world_end(w);
	}
}
END_TEST

/* ---- init failure at every step ---- */

struct init_failure {
	enum shost_fault_mode mode;
	int boot_ret;             /* expected */
	uint64_t async_pf_calls;  /* expected ASYNC_PF calls, IRQ_ACK not counted */
};

static const struct init_failure init_failures[] = {
	{ SHOST_BAD_UID, 0, 0 },
	{ SHOST_NO_FEATURE, 0, 0 },
	{ SHOST_VERSION_FAILS, -EIO, 1 },
	{ SHOST_VERSION_MAJOR_0, -EINVAL, 1 },
	{ SHOST_VERSION_RESERVED, -EINVAL, 1 },
	{ SHOST_SLOTS_FAILS, -EIO, 2 },
	{ SHOST_SLOTS_ZERO, -EINVAL, 2 },
	{ SHOST_SLOTS_HUGE, -EINVAL, 2 },
	{ SHOST_SDEI_FAILS, -EIO, 3 },
	{ SHOST_SDEI_ZERO, -EINVAL, 3 },
	{ SHOST_SDEI_UNDEFINED, -EINVAL, 4 },
	{ SHOST_IRQ_FAILS, -EIO, 4 },
	{ SHOST_IRQ_SPI, -EINVAL, 4 },
	/* VERSION, SLOTS, SDEI, IRQ, ENABLE on 0 (ok) and 1 (refused), disable of 0. */
	{ SHOST_ENABLE_FAILS, -EIO, 7 },
};

/* After a failed init: nothing registered, no CPU enabled, no table. */
static void check_nothing_left(struct world *w)
{
	struct sim_gic_irq_state state;
	uint32_t v;

	/* No reboot notifier of ours is left: only the squatters run. */
	CHECK_IN_SIM(kshim_reboot(w->kshim, SYS_RESTART) == (int)w->squat_notifier_count);
	CHECK_IN_SIM(!w->ready);
	CHECK_IN_SIM(w->capacity == 0);
	for (v = 0; v < w->vcpu_count; v++) {
		CHECK_IN_SIM(!w->enabled_after_boot[v]);
		CHECK_IN_SIM(!w->host.vcpus[v].enabled);
		CHECK_IN_SIM(sim_sdei_event_status(w->host.sdei, v, w->host.sdei_event) == 0);
		CHECK_IN_SIM(sim_gic_irq_state(sim_platform_gic(w->platform), v, PPI, &state) == 0);
		CHECK_IN_SIM(!state.enabled);
	}
}

START_TEST(test_guest_init_failure_unwinds_host_errors)
{
	struct world *w = &g_world;
	uint64_t seed, calls;
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(init_failures); i++) {
		for (seed = 1; seed <= 2; seed++) {
			world_start(w, seed, 2, SYNC_PAGEIN_TICKS, NULL);
			w->host.fault_mode = init_failures[i].mode;
			w->host.fail_vcpu = 1;
			w->after_boot_checks = check_nothing_left;
			add_user(w, 1, 3); /* still runs, synchronously */
			world_run_clean(w);
			ck_assert_msg(w->boot_ret == init_failures[i].boot_ret,
				      "mode %d: boot returned %d, expected %d", init_failures[i].mode,
				      w->boot_ret, init_failures[i].boot_ret);
			/* IRQ_ACKs of the enable-time wake-all depend on the schedule. */
			calls = w->host.async_pf_call_count -
				w->host.sub_call_count[PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK];
			ck_assert_msg(calls == init_failures[i].async_pf_calls,
				      "mode %d: %llu ASYNC_PF calls", init_failures[i].mode,
				      (unsigned long long)calls);
			ck_assert_uint_eq(w->users[0].async_count, 0);
			if (init_failures[i].mode == SHOST_ENABLE_FAILS) {
				/* vCPU 0 was enabled, then undone. */
				ck_assert_uint_eq(w->host.vcpus[0].enable_count, 1);
				ck_assert_uint_eq(w->host.vcpus[0].disable_count, 1);
				ck_assert_uint_eq(w->host.vcpus[1].enable_count, 0);
			}
			world_end(w);
		}
	}
}
END_TEST

static irqreturn_t squat_irq_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_HANDLED;
}

static void squat_irq(struct world *w)
{
	int irq = acpi_register_gsi(NULL, PPI, ACPI_LEVEL_SENSITIVE, ACPI_ACTIVE_HIGH);

	(void)w;
	CHECK_IN_SIM(irq == (int)APF_IRQ);
	CHECK_IN_SIM(request_percpu_irq(APF_IRQ, squat_irq_handler, "squatter",
					&squat_dev) == 0);
}

static int squat_notifier(struct notifier_block *nb, unsigned long action, void *data)
{
	(void)nb;
	(void)action;
	(void)data;
	return NOTIFY_DONE;
}

static void squat_reboot_notifiers(struct world *w)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(w->squat_nb); i++) {
		w->squat_nb[i].notifier_call = squat_notifier;
		if (register_reboot_notifier(&w->squat_nb[i]) != 0)
			break;
	}
	w->squat_count = i;
	w->squat_notifier_count = i;
	CHECK_IN_SIM(i == KSHIM_REBOOT_NOTIFIER_COUNT_MAX);
}

static void squat_cpuhp_states(struct world *w)
{
	int state;

	for (w->squat_count = 0; w->squat_count < ARRAY_SIZE(w->squat_state);) {
		state = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "squatter", NULL, NULL);
		if (state < 0)
			break;
		w->squat_state[w->squat_count++] = state;
	}
	CHECK_IN_SIM(w->squat_count > 0 && w->squat_count < ARRAY_SIZE(w->squat_state));
}

/* Give back what the squatters took, after the failed init. */
static void unsquat(struct world *w)
{
	uint32_t i;

	check_nothing_left(w);
	if (w->before_boot == squat_irq) {
		free_percpu_irq(APF_IRQ, &squat_dev);
		acpi_unregister_gsi(PPI);
	} else if (w->before_boot == squat_reboot_notifiers) {
		for (i = 0; i < w->squat_count; i++)
			CHECK_IN_SIM(unregister_reboot_notifier(&w->squat_nb[i]) == 0);
	} else {
		for (i = 0; i < w->squat_count; i++)
			cpuhp_remove_state_nocalls(w->squat_state[i]);
	}
}

START_TEST(test_guest_init_failure_unwinds_kernel_errors)
{
	static const script_fn squatters[] = { squat_irq, squat_reboot_notifiers,
					       squat_cpuhp_states };
	static const int expected[] = { -EBUSY, -ENOSPC, -ENOSPC };
	struct world *w = &g_world;
	const struct sim_result *result;
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(squatters); i++) {
		world_start(w, 1 + i, 2, SYNC_PAGEIN_TICKS, NULL);
		w->before_boot = squatters[i];
		w->after_boot_checks = unsquat;
		result = world_run(w);
		ck_assert_msg(w->boot_ret == expected[i], "squatter %u: boot returned %d", i,
			      w->boot_ret);
		ck_assert_uint_eq(w->leaked_count, 0);
		ck_assert(w->teardown_done);
		if (squatters[i] == squat_irq) {
			/*
			 * The unwind disposes of the GSI mapping it created, which
			 * the squatter shared: kshim WARNs once, as Linux would.
			 */
			ck_assert_uint_eq(result->finding_count, 1);
			ck_assert_str_eq(result->findings[0].class_name, KSHIM_FINDING_WARN);
			ck_assert_ptr_nonnull(strstr(result->findings[0].message,
						     "while its irq is requested"));
		} else {
			support_assert_no_finding(result, sim_seed(w->sim));
		}
		world_end(w);
	}
}
END_TEST

/* Every allocation of the boot fails in turn; each run unwinds cleanly. */
START_TEST(test_guest_init_failure_unwinds_alloc_failures)
{
	struct world *w = &g_world;
	struct kshim_config kconfig = { .alloc_fail_ratio = { 0, 0 } };
	uint64_t nth;
	uint32_t failing_boots = 0;

	for (nth = 1; nth <= 64; nth++) {
		kconfig.alloc_fail_nth = nth;
		world_start(w, nth, 2, SYNC_PAGEIN_TICKS, &kconfig);
		world_run_clean(w);
		if (w->alloc_failed_count == 0) {
			/* Past the last allocation: init succeeded. */
			ck_assert_int_eq(w->boot_ret, 0);
			world_end(w);
			break;
		}
		if (w->boot_ret != 0) {
			ck_assert(!w->ready);
			failing_boots++;
		}
		world_end(w);
	}
	ck_assert_uint_le(nth, 64);
	/* One per possible CPU table at least. */
	ck_assert_uint_ge(failing_boots, 2);
}
END_TEST

/* ---- page-not-present / page-ready ---- */

START_TEST(test_guest_async_fault_parks_and_wakes)
{
	struct world *w = &g_world;
	uint64_t seed;
	uint32_t v;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, 500, NULL);
		add_user(w, 0, 1);
		add_user(w, 1, 2);
		world_run_clean(w);
		/* vCPU 0's first token is 0 [R3.2]: woken like any other (G1). */
		ck_assert_uint_eq(w->host.vcpus[0].first_token, 0);
		for (v = 0; v < 2; v++) {
			ck_assert_uint_eq(w->users[v].async_count, 1);
			ck_assert_uint_eq(w->host.vcpus[v].np_count, 1);
			ck_assert_uint_eq(w->stats[v].not_present, 1);
			ck_assert_uint_eq(w->stats[v].page_ready, 1);
			ck_assert_uint_eq(w->stats[v].unknown_token, 0);
			ck_assert_uint_eq(w->stats[v].bogus_page_ready, 0);
			/* boot wake-all + the page-ready */
			ck_assert_uint_eq(w->stats[v].irq_ack, 2);
		}
		/* The page-in took 500 ticks: both tasks had parked. */
		ck_assert_uint_eq(w->tif_calls, 2);
		world_end(w);
	}
}
END_TEST

/*
 * The page-in finishes at once: the page-ready is posted at the guest entry
 * that follows the SDEI handler, and is often taken before the task gets to
 * park [R10.1]. Every run must finish; some must take that path (the task
 * returned with the flag already clear, so the TIF work never ran for it).
 */
START_TEST(test_guest_page_ready_before_park)
{
	struct world *w = &g_world;
	uint64_t early = 0;
	uint64_t seed;

	for (seed = 1; seed <= 2 * SEED_COUNT; seed++) {
		world_start(w, seed, 2, 0, NULL);
		add_user(w, 1, 1);
		add_user(w, 1, 2);
		world_run_clean(w);
		/* A fault while the other's page-ready occupies the slot is
		 * synchronous; every asynchronous one is parked and woken. */
		ck_assert_uint_ge(w->stats[1].not_present, 1);
		ck_assert_uint_eq(w->stats[1].not_present + w->host.vcpus[1].sync_count, 2);
		ck_assert_uint_eq(w->stats[1].page_ready, w->stats[1].not_present);
		ck_assert_uint_le(w->tif_calls, w->stats[1].not_present);
		early += w->stats[1].not_present - w->tif_calls;
		world_end(w);
	}
	ck_assert_uint_gt(early, 0);
}
END_TEST

static bool cpu1_three_cpu0_one_parked(struct world *w)
{
	(void)w;
	return kvm_async_pf_table_count(1) == 3 && kvm_async_pf_table_count(0) == 1;
}

static bool cpu1_woken(struct world *w)
{
	struct kvm_async_pf_stats stats;

	(void)w;
	CHECK_IN_SIM(kvm_async_pf_stats(1, &stats) == 0);
	return stats.wake_all == 2 && kvm_async_pf_table_count(1) == 0;
}

static void script_wake_all_cpu1(struct world *w)
{
	wait_for(w, cpu1_three_cpu0_one_parked);
	shost_queue_wake_all(&w->host, 1);
	wait_for(w, cpu1_woken);
	/* CPU 0's waiter is not touched by CPU 1's wake-all [R10.11]. */
	CHECK_IN_SIM(kvm_async_pf_table_count(0) == 1);
}

START_TEST(test_guest_wake_all_wakes_only_that_cpu)
{
	struct world *w = &g_world;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, LONG_PAGEIN_TICKS, NULL);
		add_user(w, 1, 1);
		add_user(w, 1, 2);
		add_user(w, 1, 3);
		add_user(w, 0, 4);
		w->script = script_wake_all_cpu1;
		world_run_clean(w);
		ck_assert_uint_eq(w->stats[1].wake_all, 2);
		ck_assert_uint_eq(w->stats[1].wake_all_tasks, 3);
		ck_assert_uint_eq(w->stats[1].not_present, 3);
		/* Their pages may come in before the end: page-ready for tokens
		 * nobody waits for any more. */
		ck_assert_uint_le(w->stats[1].unknown_token, 3);
		ck_assert_uint_eq(w->stats[0].page_ready, 1);
		ck_assert_uint_eq(w->stats[0].wake_all_tasks, 0);
		world_end(w);
	}
}
END_TEST

/* ---- hotplug and reboot ---- */

static bool cpu1_two_parked(struct world *w)
{
	(void)w;
	return kvm_async_pf_table_count(1) == 2;
}

static void script_offline_online_cpu1(struct world *w)
{
	struct kvm_async_pf_stats stats;

	wait_for(w, cpu1_two_parked);
	CHECK_IN_SIM(kshim_cpu_down(w->kshim, 1) == 0);
	/* The offline callback woke both: nobody stays parked [R10.13] (G6). */
	CHECK_IN_SIM(kvm_async_pf_table_count(1) == 0);
	CHECK_IN_SIM(kvm_async_pf_stats(1, &stats) == 0);
	CHECK_IN_SIM(stats.wake_all_tasks == 2);
	CHECK_IN_SIM(!kvm_async_pf_cpu_enabled(1));
	CHECK_IN_SIM(!w->host.vcpus[1].enabled);
	wait_for(w, all_users_done);
	CHECK_IN_SIM(kshim_cpu_up(w->kshim, 1) == 0);
	CHECK_IN_SIM(kvm_async_pf_cpu_enabled(1));
	CHECK_IN_SIM(w->host.vcpus[1].enabled);
}

START_TEST(test_guest_cpu_offline_wakes_waiters)
{
	struct world *w = &g_world;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, LONG_PAGEIN_TICKS, NULL);
		add_user(w, 1, 1);
		add_user(w, 1, 2);
		w->script = script_offline_online_cpu1;
		world_run_clean(w);
		ck_assert_uint_eq(w->host.vcpus[1].enable_count, 2);
		ck_assert_uint_eq(w->host.vcpus[1].disable_count, 2);
		/* They refaulted on CPU 0 (their pages were dropped with CPU 1's
		 * queue) and parked there. */
		ck_assert_uint_eq(w->stats[0].not_present, 2);
		ck_assert_uint_eq(w->stats[0].page_ready, 2);
		world_end(w);
	}
}
END_TEST

static bool one_parked_per_cpu(struct world *w)
{
	(void)w;
	return kvm_async_pf_table_count(0) == 1 && kvm_async_pf_table_count(1) == 1;
}

static void script_reboot(struct world *w)
{
	uint32_t v;

	wait_for(w, one_parked_per_cpu);
	w->reboot_ret = kshim_reboot(w->kshim, w->reboot_action);
	for (v = 0; v < w->vcpu_count; v++) {
		CHECK_IN_SIM(kvm_async_pf_table_count((int)v) == 0);
		CHECK_IN_SIM(!kvm_async_pf_cpu_enabled((int)v));
		CHECK_IN_SIM(!w->host.vcpus[v].enabled);
		CHECK_IN_SIM(sim_sdei_event_status(w->host.sdei, v, w->host.sdei_event) == 0);
	}
}

START_TEST(test_guest_reboot_disables_everywhere)
{
	static const unsigned long actions[] = { SYS_RESTART, SYS_HALT, SYS_POWER_OFF };
	struct world *w = &g_world;
	uint64_t seed;
	uint32_t v;

	for (seed = 1; seed <= 3 * 4; seed++) {
		world_start(w, seed, 2, LONG_PAGEIN_TICKS, NULL);
		add_user(w, 0, 1);
		add_user(w, 1, 2);
		w->reboot_action = actions[seed % 3];
		w->script = script_reboot;
		world_run_clean(w);
		ck_assert_int_eq(w->reboot_ret, 1);
		for (v = 0; v < 2; v++) {
			ck_assert_uint_eq(w->stats[v].wake_all_tasks, 1);
			ck_assert_uint_eq(w->host.vcpus[v].disable_count, 1);
		}
		world_end(w);
	}
}
END_TEST

/* ---- spurious and bogus notifications ---- */

static bool cpu1_acked(struct world *w, uint64_t count)
{
	return w->host.vcpus[1].ack_count >= count && !w->host.vcpus[1].pr_pending;
}

static bool cpu1_acked_twice(struct world *w)
{
	return cpu1_acked(w, 2);
}

static bool cpu1_acked_three_times(struct world *w)
{
	return cpu1_acked(w, 3);
}

static bool late_user_done(struct world *w)
{
	return READ_ONCE(w->users[0].done);
}

static void script_spurious(struct world *w)
{
	uint32_t reason, token;

	wait_for(w, boot_wake_alls_handled);
	/* A page-ready pending with an empty slot: the stale level PPI of
	 * R§10.14 after the guest dropped the slot. */
	shost_forge_page_ready(&w->host, 1, 0, 0);
	wait_for(w, cpu1_acked_twice);
	/* Garbage in the slot (G5): cleared and acknowledged. */
	shost_forge_page_ready(&w->host, 1, 7, 0x1234);
	wait_for(w, cpu1_acked_three_times);
	shost_slot(&w->host, 1, &reason, &token);
	CHECK_IN_SIM(reason == 0 && token == 0);
	/* The channel still works: a real fault now. */
	CHECK_IN_SIM(kshim_spawn_task(w->kshim, 1, "late-user", user_task, &w->users[0]) !=
		     SIM_THREAD_NONE);
	wait_for(w, late_user_done);
}

START_TEST(test_guest_spurious_and_bogus_page_ready_acked)
{
	struct world *w = &g_world;
	struct sim_gic_irq_state state;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, 500, NULL);
		/* One user, started by the script once the forged ones are done. */
		late_user_prepare(w, 1, 5);
		w->script = script_spurious;
		world_run_clean(w);
		ck_assert_uint_eq(w->stats[1].spurious, 1);
		ck_assert_uint_eq(w->stats[1].bogus_page_ready, 2);
		ck_assert_uint_eq(w->stats[1].page_ready, 1);
		/* boot wake-all, spurious, bogus, page-ready: one handler run and
		 * one IRQ_ACK each, no storm (G4). */
		ck_assert_uint_eq(w->stats[1].irq_ack, 4);
		ck_assert_uint_eq(w->ppi_handled[1], 4);
		ck_assert_uint_eq(w->host.vcpus[1].ack_lowered, 4);
		ck_assert_int_eq(sim_gic_irq_state(sim_platform_gic(w->platform), 1, PPI, &state), 0);
		ck_assert(!state.line_level);
		world_end(w);
	}
}
END_TEST

static bool spinner_at_el0(struct world *w)
{
	return READ_ONCE(w->spinner_at_el0);
}

/* A page-not-present SDEI with nothing in the slot (R5.4): FAILED, slot kept. */
static bool cpu1_bogus_np(struct world *w)
{
	struct kvm_async_pf_stats stats;

	(void)w;
	CHECK_IN_SIM(kvm_async_pf_stats(1, &stats) == 0);
	return stats.bogus_not_present == 1;
}

static void spin_user_task(void *arg)
{
	struct world *w = arg;
	uint32_t i;

	kshim_user_enter();
	WRITE_ONCE(w->spinner_at_el0, true);
	for (i = 0; i < WAIT_ROUND_MAX && !READ_ONCE(w->spinner_stop); i++)
		CHECK_IN_SIM(kshim_user_touch(PAGE(9), false) == SIM_MEMORY_TOUCH_RESIDENT);
	kshim_user_exit();
}

static void script_bogus_sdei(struct world *w)
{
	wait_for(w, boot_wake_alls_handled);
	CHECK_IN_SIM(kshim_spawn_task(w->kshim, 1, "spinner", spin_user_task, w) !=
		     SIM_THREAD_NONE);
	wait_for(w, spinner_at_el0);
	CHECK_IN_SIM(sim_sdei_signal(w->host.sdei, 1, w->host.sdei_event) == 0);
	wait_for(w, cpu1_bogus_np);
	WRITE_ONCE(w->spinner_stop, true);
}

START_TEST(test_guest_bogus_page_not_present_fails_event)
{
	struct world *w = &g_world;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, 500, NULL);
		w->script = script_bogus_sdei;
		world_run_clean(w);
		ck_assert_uint_eq(w->stats[1].bogus_not_present, 1);
		ck_assert_uint_eq(w->stats[1].not_present, 0);
		ck_assert_uint_eq(kshim_platform_stats(w->kshim)->sdei_failed_count, 1);
		world_end(w);
	}
}
END_TEST

/* ---- documented fallbacks ---- */

START_TEST(test_guest_table_full_not_parked)
{
	struct world *w = &g_world;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, LONG_PAGEIN_TICKS, NULL);
		/* A host that reports 1 slot (a 2-entry table) but keeps 64. */
		w->host.slots = 1;
		add_user(w, 1, 1);
		add_user(w, 1, 2);
		add_user(w, 1, 3);
		world_run_clean(w);
		/* The third was not parked and the event was not FAILED (G2). */
		ck_assert_uint_eq(w->stats[1].table_full, 1);
		ck_assert_uint_eq(w->stats[1].not_present, 2);
		ck_assert_uint_eq(kshim_platform_stats(w->kshim)->sdei_failed_count, 0);
		world_end(w);
	}
}
END_TEST

static bool cpu0_kernel_np(struct world *w)
{
	struct kvm_async_pf_stats stats;

	(void)w;
	CHECK_IN_SIM(kvm_async_pf_stats(0, &stats) == 0);
	return stats.kernel_mode == 1;
}

static void script_kernel_mode_np(struct world *w)
{
	uint32_t reason, token;
	uint64_t gpa = shost_slot_gpa(&w->host, 0);

	wait_for(w, boot_wake_alls_handled);
	/* A host that sends page-not-present while this task runs at EL1. */
	CHECK_IN_SIM(sim_memory_write_u32(w->host.memory, gpa + 4, 0x5000, "forged token") == 0);
	CHECK_IN_SIM(sim_memory_write_u32(w->host.memory, gpa, 1, "forged reason") == 0);
	CHECK_IN_SIM(sim_sdei_signal(w->host.sdei, 0, w->host.sdei_event) == 0);
	wait_for(w, cpu0_kernel_np);
	CHECK_IN_SIM(!test_thread_flag(TIF_ASYNC_PF));
	CHECK_IN_SIM(kvm_async_pf_table_count(0) == 0);
	shost_slot(&w->host, 0, &reason, &token);
	CHECK_IN_SIM(reason == 0 && token == 0);
}

START_TEST(test_guest_kernel_mode_not_present_not_parked)
{
	struct world *w = &g_world;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, 500, NULL);
		w->script = script_kernel_mode_np;
		world_run_clean(w);
		ck_assert_uint_eq(w->stats[0].kernel_mode, 1);
		ck_assert_uint_eq(w->stats[0].not_present, 0);
		world_end(w);
	}
}
END_TEST

START_TEST(test_guest_stale_registration_replaced)
{
	struct world *w = &g_world;
	uint64_t seed;
	uint32_t v;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, 500, NULL);
		/* A previous kernel (kexec) left both CPUs registered elsewhere. */
		for (v = 0; v < 2; v++)
			shost_preset_enabled(&w->host, v, PAGE(100 + v) | PROTO_KVM_ASYNC_PF_ENABLED);
		w->after_boot_checks = check_registered;
		add_user(w, 1, 1);
		world_run_clean(w);
		for (v = 0; v < 2; v++) {
			ck_assert_uint_eq(w->stats[v].enable_retry, 1);
			ck_assert_uint_eq(w->host.vcpus[v].not_required_count, 1);
		}
		ck_assert_uint_eq(w->stats[1].page_ready, 1);
		world_end(w);
	}
}
END_TEST

static bool cpu1_enabled_and_quiet(struct world *w)
{
	return kvm_async_pf_cpu_enabled(1) && w->host.vcpus[1].wake_all_count == 2 &&
	       !w->host.vcpus[1].pr_pending;
}

static void script_stale_slot(struct world *w)
{
	uint64_t gpa = shost_slot_gpa(&w->host, 1);
	uint32_t reason, token;

	/*
	 * A page-not-present whose SDEI was never delivered stays in the slot
	 * (v4's host does not roll back a failed injection [R4.5]). While it is
	 * there the host can post nothing on CPU 1.
	 */
	CHECK_IN_SIM(sim_memory_write_u32(w->host.memory, gpa + 4, 0x4001, "stale token") == 0);
	CHECK_IN_SIM(sim_memory_write_u32(w->host.memory, gpa, 1, "stale reason") == 0);
	CHECK_IN_SIM(kshim_cpu_down(w->kshim, 1) == 0);
	CHECK_IN_SIM(kshim_cpu_up(w->kshim, 1) == 0);
	/* The slot was emptied (G7): the enable-time wake-all got through. */
	wait_for(w, cpu1_enabled_and_quiet);
	shost_slot(&w->host, 1, &reason, &token);
	CHECK_IN_SIM(reason == 0 && token == 0);
	CHECK_IN_SIM(kshim_spawn_task(w->kshim, 1, "late-user", user_task, &w->users[0]) !=
		     SIM_THREAD_NONE);
	wait_for(w, late_user_done);
}

START_TEST(test_guest_stale_slot_dropped_across_offline)
{
	struct world *w = &g_world;
	uint64_t seed;

	for (seed = 1; seed <= SEED_COUNT; seed++) {
		world_start(w, seed, 2, 500, NULL);
		late_user_prepare(w, 1, 6);
		w->script = script_stale_slot;
		world_run_clean(w);
		/* The late user's fault was asynchronous again on CPU 1. */
		ck_assert_uint_eq(w->users[0].async_count, 1);
		ck_assert_uint_eq(w->stats[1].page_ready, 1);
		world_end(w);
	}
}
END_TEST

static Suite *guest_suite(void)
{
	const struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{ "init_registers_and_teardown_unregisters", test_guest_init_registers_and_teardown_unregisters },
		{ "no_kvmapf_disables", test_guest_no_kvmapf_disables },
		{ "init_failure_unwinds_host_errors", test_guest_init_failure_unwinds_host_errors },
		{ "init_failure_unwinds_kernel_errors", test_guest_init_failure_unwinds_kernel_errors },
		{ "init_failure_unwinds_alloc_failures", test_guest_init_failure_unwinds_alloc_failures },
		{ "async_fault_parks_and_wakes", test_guest_async_fault_parks_and_wakes },
		{ "page_ready_before_park", test_guest_page_ready_before_park },
		{ "wake_all_wakes_only_that_cpu", test_guest_wake_all_wakes_only_that_cpu },
		{ "cpu_offline_wakes_waiters", test_guest_cpu_offline_wakes_waiters },
		{ "reboot_disables_everywhere", test_guest_reboot_disables_everywhere },
		{ "spurious_and_bogus_page_ready_acked", test_guest_spurious_and_bogus_page_ready_acked },
		{ "bogus_page_not_present_fails_event", test_guest_bogus_page_not_present_fails_event },
		{ "table_full_not_parked", test_guest_table_full_not_parked },
		{ "kernel_mode_not_present_not_parked", test_guest_kernel_mode_not_present_not_parked },
		{ "stale_registration_replaced", test_guest_stale_registration_replaced },
		{ "stale_slot_dropped_across_offline", test_guest_stale_slot_dropped_across_offline },
	};
	Suite *suite = suite_create("guest");
	uint32_t i;

	/* One case per test: CK_RUN_CASE=<name> runs one. */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		TCase *tc = tcase_create(cases[i].name);

		tcase_set_timeout(tc, 600);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(suite, tc);
	}
	return suite;
}

int main(void)
{
	return support_run_suite(guest_suite());
}

// SPDX-License-Identifier: MIT
/*
 * Asynchronous page fault support for arm64 KVM guests: the guest half of
 * the v4 protocol (apf-protocol.md sections 2, 3 and 5), written anew.
 *
 * The host tells a CPU that the page a user task faulted on is not resident
 * (page-not-present, an SDEI event) and later that it is (page-ready, a PPI).
 * In between, the task sleeps on its way back to user mode and the CPU runs
 * something else. Each notification travels through a per-CPU shared slot
 * (struct proto_kvm_vcpu_pv_apf_data: reason and token) that the host writes
 * and the guest clears. Tasks waiting for a token live in a per-CPU table
 * (apf_table.c).
 *
 * Fixes of latent bugs of the v4 guest are tagged "fix: Gn" and listed in
 * docs/guest.md.
 */
#define pr_fmt(fmt) "kvm-guest: " fmt

#include <linux/acpi.h>
#include <linux/arm-smccc.h>
#include <linux/arm_sdei.h>
#include <linux/atomic.h>
#include <linux/cpuhotplug.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/swait.h>

#include <asm/memory.h>
#include <asm/ptrace.h>

#include <proto/apf.h>
#include <proto/smccc.h>

#include "apf_table.h"
#include "kvm_apf.h"

/* Everything init set up, in order; unwinding undoes it in reverse. */
enum kvm_apf_stage {
	APF_STAGE_NONE = 0,
	APF_STAGE_TABLES,
	APF_STAGE_SDEI_REGISTERED,
	APF_STAGE_SDEI_ENABLED,
	APF_STAGE_GSI,
	APF_STAGE_IRQ,
	APF_STAGE_REBOOT,
	APF_STAGE_CPUHP,
	APF_STAGE_ENABLED,
};

static bool apf_no_kvmapf;
static enum kvm_apf_stage apf_stage;
static bool apf_ready;			/* init completed */
static bool apf_running;		/* hotplug may enable CPUs */
static bool apf_sdei_released;		/* the reboot notifier released it */
static unsigned int apf_table_capacity;
static u32 apf_sdei_num;
static u32 apf_ppi_num;
static int apf_irq;
static int apf_hp_state;

static DEFINE_PER_CPU_DECRYPTED(struct proto_kvm_vcpu_pv_apf_data, apf_data) __aligned(64);
static DEFINE_PER_CPU(struct kvm_apf_table *, apf_table);
static DEFINE_PER_CPU(struct kvm_async_pf_stats, apf_stats);

static long kvm_async_pf_hvc(u32 func, u32 arg2, u32 arg3, unsigned long *value)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_invoke(ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID,
			     func, arg2, arg3, &res);
	if (value)
		*value = res.a1;
	return (long)res.a0;
}

/* ENABLE with a 64-bit registration word, as two SMC32 arguments [R2.3]. */
static long kvm_async_pf_hvc_enable(u64 control)
{
	return kvm_async_pf_hvc(ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE,
				lower_32_bits(control), upper_32_bits(control), NULL);
}

static void kvm_async_pf_irq_ack(void)
{
	struct kvm_async_pf_stats *stats = this_cpu_ptr(&apf_stats);
	long ret;

	stats->irq_ack++;
	ret = kvm_async_pf_hvc(ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK, 0, 0, NULL);
	if (ret != SMCCC_RET_SUCCESS)
		pr_warn_ratelimited("IRQ_ACK failed on cpu %d: error %ld\n",
				    smp_processor_id(), ret);
}

/*
 * Empty the slot: token first, reason last, as the host writes them in the
 * other order. The host posts nothing until both read 0 [R4.4].
 */
static void kvm_async_pf_clear_slot(struct proto_kvm_vcpu_pv_apf_data *data)
{
	WRITE_ONCE(data->token, 0);
	WRITE_ONCE(data->reason, 0);
}

/*
 * Page-not-present, an SDEI event on the faulting CPU [R5.4]. The host sends
 * it only while the CPU runs in user mode, so it never interrupts a holder of
 * this CPU's table lock; the kernel-mode check below keeps that true for a
 * host that breaks the rule.
 */
static int kvm_async_pf_sdei_handler(u32 __always_unused event, struct pt_regs *regs,
				     void __always_unused *arg)
{
	struct proto_kvm_vcpu_pv_apf_data *data = this_cpu_ptr(&apf_data);
	struct kvm_async_pf_stats *stats = this_cpu_ptr(&apf_stats);
	u32 reason, token;
	int ret;

	reason = READ_ONCE(data->reason);
	smp_rmb();	/* the host writes the token before the reason */
	token = READ_ONCE(data->token);

	if (reason != PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT) {
		/* Not ours to clear: a page-ready belongs to the PPI handler. */
		stats->bogus_not_present++;
		pr_warn_ratelimited("bogus page-not-present on cpu %d (reason %u, token 0x%08x)\n",
				    smp_processor_id(), reason, token);
		return -EINVAL;
	}

	/* fix: G3 - a kernel context cannot be parked; consume and go on */
	if (!user_mode(regs)) {
		kvm_async_pf_clear_slot(data);
		stats->kernel_mode++;
		pr_warn_ratelimited("page-not-present in kernel mode on cpu %d (token 0x%08x)\n",
				    smp_processor_id(), token);
		return 0;
	}

	ret = kvm_apf_table_add(__this_cpu_read(apf_table), current, token);
	kvm_async_pf_clear_slot(data);
	/* fix: G2 - not -ENOSPC once the slot is consumed: the task retries */
	if (ret) {
		if (ret == -ENOSPC)
			stats->table_full++;
		else
			stats->duplicate++;
		pr_warn_ratelimited("task %d not parked on cpu %d (token 0x%08x): error %d\n",
				    current->pid, smp_processor_id(), token, ret);
		return 0;
	}

	stats->not_present++;
	smp_send_reschedule(smp_processor_id());
	return 0;
}

/* A reason other than page-ready in the page-ready interrupt [R5.6]. */
static void kvm_async_pf_irq_bogus(struct proto_kvm_vcpu_pv_apf_data *data,
				   u32 reason, u32 token)
{
	struct kvm_async_pf_stats *stats = this_cpu_ptr(&apf_stats);

	stats->bogus_page_ready++;
	if (reason == 0 && token == 0) {
		stats->spurious++;
		pr_warn_ratelimited("spurious page-ready interrupt on cpu %d\n",
				    smp_processor_id());
		return;
	}
	pr_warn_ratelimited("bogus page-ready on cpu %d (reason %u, token 0x%08x)\n",
			    smp_processor_id(), reason, token);
	/* fix: G5 - no handler would ever consume an unknown reason */
	if (reason != PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT)
		kvm_async_pf_clear_slot(data);
}

/* Page-ready, a level-triggered PPI on the CPU that took the fault [R5.6]. */
static irqreturn_t kvm_async_pf_irq_handler(int __always_unused irq,
					    void __always_unused *dev_id)
{
	struct proto_kvm_vcpu_pv_apf_data *data = this_cpu_ptr(&apf_data);
	struct kvm_async_pf_stats *stats = this_cpu_ptr(&apf_stats);
	struct kvm_apf_table *table = __this_cpu_read(apf_table);
	u32 reason, token;
	unsigned int woken;

	reason = READ_ONCE(data->reason);
	smp_rmb();	/* the host writes the token before the reason */
	token = READ_ONCE(data->token);

	if (reason != PROTO_KVM_PV_REASON_PAGE_READY) {
		kvm_async_pf_irq_bogus(data, reason, token);
		/* fix: G4 - acknowledge anyway, or the level PPI storms [VK] */
		goto ack;
	}

	if (token == PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL) {
		woken = kvm_apf_table_wake_all(table);
		stats->wake_all++;
		stats->wake_all_tasks += woken;
	} else if (kvm_apf_table_wake(table, token)) {
		stats->page_ready++;
	} else {
		stats->unknown_token++;
	}
	/* Empty the slot before IRQ_ACK: the ACK may post the next one. */
	kvm_async_pf_clear_slot(data);
ack:
	kvm_async_pf_irq_ack();
	return IRQ_HANDLED;
}

/**
 * kvm_async_pf_task_wait() - park the current task until its page is ready.
 *
 * Description: the return-to-user work for TIF_ASYNC_PF (patch 13 of the series): the
 * task sleeps on the wait queue its table entry recorded until the entry is
 * removed, which clears the flag. A task whose page-ready came before it got
 * here finds the flag clear and does not sleep.
 *
 * Context: process context on the way back to user mode; may sleep.
 */
void kvm_async_pf_task_wait(void)
{
	struct swait_queue_head *wq;
	DECLARE_SWAITQUEUE(wait);
	unsigned long flags;

	if (!test_thread_flag(TIF_ASYNC_PF))
		return;

	local_irq_save(flags);
	wq = kvm_apf_task_wq(current);
	/* fix: G8 - v4 used thread.data without checking it */
	if (!wq) {
		/* Legitimate only if the wake came in between. */
		WARN_ON_ONCE(test_thread_flag(TIF_ASYNC_PF));
		clear_thread_flag(TIF_ASYNC_PF);
		goto out;
	}

	while (test_thread_flag(TIF_ASYNC_PF)) {
		prepare_to_swait_exclusive(wq, &wait, TASK_UNINTERRUPTIBLE);
		if (!test_thread_flag(TIF_ASYNC_PF))
			break;
		local_irq_enable();
		schedule();
		local_irq_disable();
	}
	/* fix: G9 - v4 left the on-stack entry on the queue */
	finish_swait(wq, &wait);
out:
	local_irq_restore(flags);
}

/* Register this CPU's slot with the host; 0 or -EIO. */
static int kvm_async_pf_enable(void)
{
	struct proto_kvm_vcpu_pv_apf_data *data = this_cpu_ptr(&apf_data);
	u64 control;
	long ret;

	if (READ_ONCE(data->enabled))
		return 0;

	control = virt_to_phys(data);
	if (WARN_ON_ONCE(control & PROTO_KVM_ASYNC_PF_FLAGS_MASK))
		return -EIO;
	control |= PROTO_KVM_ASYNC_PF_ENABLED;

	/* fix: G7 - the host finds the slot empty, whatever memory held */
	kvm_async_pf_clear_slot(data);
	ret = kvm_async_pf_hvc_enable(control);
	/* fix: G10 - still registered from before (kexec): re-register [R10.19] */
	if (ret == SMCCC_RET_NOT_REQUIRED) {
		this_cpu_ptr(&apf_stats)->enable_retry++;
		ret = kvm_async_pf_hvc_enable(0);
		if (ret == SMCCC_RET_SUCCESS)
			ret = kvm_async_pf_hvc_enable(control);
	}
	if (ret != SMCCC_RET_SUCCESS) {
		pr_warn("failed to setup async PF for cpu %d: error %ld\n",
			smp_processor_id(), ret);
		return -EIO;
	}

	WRITE_ONCE(data->enabled, 1);
	pr_info("setup async PF for cpu %d\n", smp_processor_id());
	return 0;
}

static void kvm_async_pf_disable(void)
{
	struct proto_kvm_vcpu_pv_apf_data *data = this_cpu_ptr(&apf_data);
	long ret;

	if (!READ_ONCE(data->enabled))
		return;

	ret = kvm_async_pf_hvc_enable(0);
	if (ret != SMCCC_RET_SUCCESS && ret != SMCCC_RET_NOT_REQUIRED) {
		pr_warn("failed to disable async PF for cpu %d: error %ld\n",
			smp_processor_id(), ret);
		return;
	}

	WRITE_ONCE(data->enabled, 0);
	/* fix: G7 - drop a notification the host will never complete */
	kvm_async_pf_clear_slot(data);
	pr_info("disable async PF for cpu %d\n", smp_processor_id());
}

/* @info: NULL, or an atomic_t counting the CPUs that failed. */
static void kvm_async_pf_cpu_enable(void *info)
{
	atomic_t *failures = info;

	enable_percpu_irq(apf_irq, IRQ_TYPE_LEVEL_HIGH);
	if (kvm_async_pf_enable()) {
		disable_percpu_irq(apf_irq);
		if (failures)
			atomic_inc(failures);
	}
}

static void kvm_async_pf_cpu_disable(void __always_unused *info)
{
	struct kvm_async_pf_stats *stats = this_cpu_ptr(&apf_stats);

	disable_percpu_irq(apf_irq);
	kvm_async_pf_disable();
	/* fix: G6 - no page-ready will come for them any more: retry [R10.13] */
	stats->wake_all_tasks += kvm_apf_table_wake_all(__this_cpu_read(apf_table));
}

/* The hotplug callbacks of CPUHP_AP_ONLINE_DYN run on @cpu itself. */
static int kvm_async_pf_cpu_online(unsigned int cpu)
{
	if (WARN_ON_ONCE(cpu != (unsigned int)smp_processor_id()))
		return 0;
	if (READ_ONCE(apf_running))
		kvm_async_pf_cpu_enable(NULL);
	return 0;
}

static int kvm_async_pf_cpu_offline(unsigned int cpu)
{
	if (WARN_ON_ONCE(cpu != (unsigned int)smp_processor_id()))
		return 0;
	kvm_async_pf_cpu_disable(NULL);
	return 0;
}

static void kvm_async_pf_sdei_release(void)
{
	if (apf_sdei_released)
		return;
	sdei_event_disable(apf_sdei_num);
	sdei_event_unregister(apf_sdei_num);
	apf_sdei_released = true;
}

static int kvm_async_pf_reboot_notify(struct notifier_block __always_unused *nb,
				      unsigned long __always_unused code,
				      void __always_unused *data)
{
	/* fix: G11 - every shutdown, and async PF off before its SDEI event */
	WRITE_ONCE(apf_running, false);
	on_each_cpu(kvm_async_pf_cpu_disable, NULL, 1);
	kvm_async_pf_sdei_release();
	return NOTIFY_DONE;
}

static struct notifier_block kvm_async_pf_reboot_nb = {
	.notifier_call = kvm_async_pf_reboot_notify,
};

static void kvm_async_pf_free_tables(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		kfree(per_cpu(apf_table, cpu));
		per_cpu(apf_table, cpu) = NULL;
	}
	apf_table_capacity = 0;
}

/* Undo every stage up to and including @stage, in reverse order. */
static void kvm_async_pf_unwind(enum kvm_apf_stage stage)
{
	/* fix: G12 - exactly what was done, whatever step failed */
	switch (stage) {
	case APF_STAGE_ENABLED:
		WRITE_ONCE(apf_running, false);
		on_each_cpu(kvm_async_pf_cpu_disable, NULL, 1);
		fallthrough;
	case APF_STAGE_CPUHP:
		WRITE_ONCE(apf_running, false);
		cpuhp_remove_state_nocalls(apf_hp_state);
		fallthrough;
	case APF_STAGE_REBOOT:
		unregister_reboot_notifier(&kvm_async_pf_reboot_nb);
		fallthrough;
	case APF_STAGE_IRQ:
		free_percpu_irq(apf_irq, &apf_data);
		fallthrough;
	case APF_STAGE_GSI:
		acpi_unregister_gsi(apf_ppi_num);
		fallthrough;
	case APF_STAGE_SDEI_ENABLED:
		if (!apf_sdei_released)
			sdei_event_disable(apf_sdei_num);
		fallthrough;
	case APF_STAGE_SDEI_REGISTERED:
		if (!apf_sdei_released)
			sdei_event_unregister(apf_sdei_num);
		fallthrough;
	case APF_STAGE_TABLES:
		kvm_async_pf_free_tables();
		fallthrough;
	case APF_STAGE_NONE:
		break;
	}
	apf_sdei_released = false;
	apf_ready = false;
	apf_stage = APF_STAGE_NONE;
}

/* One ASYNC_PF query; 0 and the value in a1, or -EIO. */
static int __init kvm_async_pf_query(u32 func, const char *what,
				     unsigned long *value)
{
	long ret = kvm_async_pf_hvc(func, 0, 0, value);

	if (ret != SMCCC_RET_SUCCESS) {
		pr_warn("failed to get the async PF %s: error %ld\n", what, ret);
		return -EIO;
	}
	return 0;
}

/* VERSION, SLOTS, SDEI and IRQ [R2.3]; every value is checked. */
static int __init kvm_async_pf_probe(void)
{
	unsigned long value;
	int ret;

	ret = kvm_async_pf_query(ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION,
				 "version", &value);
	if (ret)
		return ret;
	if ((value & PROTO_KVM_ASYNC_PF_VERSION_RESERVED_MASK) ||
	    proto_kvm_async_pf_version_major(value) < 1) {
		pr_warn("unsupported async PF version 0x%lx\n", value);
		return -EINVAL;
	}

	ret = kvm_async_pf_query(ARM_SMCCC_KVM_FUNC_ASYNC_PF_SLOTS,
				 "slots", &value);
	if (ret)
		return ret;
	/* fix: G13 - values from the host are checked before use [R9.12] */
	if (value == 0 || value > KVM_APF_TABLE_CAPACITY_MAX / 2) {
		pr_warn("invalid async PF slot count %lu\n", value);
		return -EINVAL;
	}
	apf_table_capacity = value * 2;

	ret = kvm_async_pf_query(ARM_SMCCC_KVM_FUNC_ASYNC_PF_SDEI,
				 "SDEI event", &value);
	if (ret)
		return ret;
	if (value == 0 || value > U32_MAX) {
		pr_warn("invalid async PF SDEI event 0x%lx\n", value);
		return -EINVAL;
	}
	apf_sdei_num = value;

	ret = kvm_async_pf_query(ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ,
				 "interrupt", &value);
	if (ret)
		return ret;
	if (value < 16 || value > 31) {
		pr_warn("invalid async PF interrupt %lu: not a PPI\n", value);
		return -EINVAL;
	}
	apf_ppi_num = value;
	return 0;
}

static int __init kvm_async_pf_alloc_tables(void)
{
	size_t size = kvm_apf_table_size(apf_table_capacity);
	struct kvm_apf_table *table;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		table = kzalloc(size, GFP_KERNEL);
		if (!table) {
			kvm_async_pf_free_tables();
			return -ENOMEM;
		}
		kvm_apf_table_init(table, apf_table_capacity);
		per_cpu(apf_table, cpu) = table;
	}
	return 0;
}

static int __init kvm_async_pf_enable_all(void)
{
	atomic_t failures = ATOMIC_INIT(0);

	on_each_cpu(kvm_async_pf_cpu_enable, &failures, 1);
	if (atomic_read(&failures)) {
		pr_warn("async PF not enabled on %d cpus\n", atomic_read(&failures));
		return -EIO;
	}
	return 0;
}

static int __init kvm_async_pf_setup(void)
{
	int ret;

	ret = kvm_async_pf_alloc_tables();
	if (ret)
		return ret;
	apf_stage = APF_STAGE_TABLES;

	ret = sdei_event_register(apf_sdei_num, kvm_async_pf_sdei_handler, NULL);
	if (ret) {
		pr_warn("failed to register SDEI event 0x%x: error %d\n", apf_sdei_num, ret);
		return ret;
	}
	apf_stage = APF_STAGE_SDEI_REGISTERED;

	ret = sdei_event_enable(apf_sdei_num);
	if (ret) {
		pr_warn("failed to enable SDEI event 0x%x: error %d\n", apf_sdei_num, ret);
		return ret;
	}
	apf_stage = APF_STAGE_SDEI_ENABLED;

	apf_irq = acpi_register_gsi(NULL, apf_ppi_num, ACPI_LEVEL_SENSITIVE,
				    ACPI_ACTIVE_HIGH);
	if (apf_irq <= 0) {
		pr_warn("failed to map PPI %u: error %d\n", apf_ppi_num, apf_irq);
		return apf_irq < 0 ? apf_irq : -EIO;
	}
	apf_stage = APF_STAGE_GSI;

	ret = request_percpu_irq(apf_irq, kvm_async_pf_irq_handler,
				 "Asynchronous Page Fault", &apf_data);
	if (ret) {
		pr_warn("failed to request IRQ %d: error %d\n", apf_irq, ret);
		return ret;
	}
	apf_stage = APF_STAGE_IRQ;

	ret = register_reboot_notifier(&kvm_async_pf_reboot_nb);
	if (ret) {
		pr_warn("failed to register the reboot notifier: error %d\n", ret);
		return ret;
	}
	apf_stage = APF_STAGE_REBOOT;

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "arm/kvm:online",
					kvm_async_pf_cpu_online,
					kvm_async_pf_cpu_offline);
	if (ret < 0) {
		pr_warn("failed to install cpu hotplug callbacks: error %d\n", ret);
		return ret;
	}
	apf_hp_state = ret;
	apf_stage = APF_STAGE_CPUHP;
	WRITE_ONCE(apf_running, true);

	/* Some CPUs may be enabled even if this fails: undo them too. */
	apf_stage = APF_STAGE_ENABLED;
	return kvm_async_pf_enable_all();
}

static int __init kvm_async_pf_init(void)
{
	int ret;

	if (apf_stage != APF_STAGE_NONE)
		return -EBUSY;
	if (apf_no_kvmapf) {
		pr_info("async PF disabled by no-kvmapf\n");
		return 0;
	}
	if (!kvm_arm_hyp_service_available(ARM_SMCCC_KVM_FUNC_ASYNC_PF))
		return 0;

	ret = kvm_async_pf_probe();
	if (!ret)
		ret = kvm_async_pf_setup();
	if (ret) {
		kvm_async_pf_unwind(apf_stage);
		return ret;
	}
	apf_ready = true;
	return 0;
}

static int __init kvm_async_pf_parse_no_kvmapf(char __always_unused *arg)
{
	apf_no_kvmapf = true;
	return 0;
}
early_param("no-kvmapf", kvm_async_pf_parse_no_kvmapf);

static int __init kvm_guest_init(void)
{
	return kvm_async_pf_init();
}
fs_initcall(kvm_guest_init);

/**
 * kvm_async_pf_teardown() - undo everything kvm_async_pf_init() set up.
 *
 * Description: the driver is built in and a kernel never calls this; the simulator does
 * at the end of an execution, so that every allocation and registration is
 * accounted for. Waiting tasks are woken. A no-op when nothing is set up.
 *
 * Context: process context; may sleep.
 */
void kvm_async_pf_teardown(void)
{
	kvm_async_pf_unwind(apf_stage);
}

/**
 * kvm_async_pf_ready() - is async PF set up and enabled on every online CPU?
 *
 * Context: any; a lockless read.
 * Return: true once init completed, until teardown.
 */
bool kvm_async_pf_ready(void)
{
	return apf_ready;
}

/**
 * kvm_async_pf_cpu_enabled() - has @cpu registered its slot with the host?
 * @cpu: a possible CPU.
 *
 * Context: any; a lockless read of the slot's guest-private flag.
 * Return: true if enabled; false otherwise or for a bad @cpu.
 */
bool kvm_async_pf_cpu_enabled(int cpu)
{
	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids)
		return false;
	return per_cpu(apf_data, cpu).enabled != 0;
}

/**
 * kvm_async_pf_table_capacity() - entries per CPU table.
 *
 * Context: any.
 * Return: twice the host's SLOTS once the tables exist, else 0.
 */
unsigned int kvm_async_pf_table_capacity(void)
{
	return apf_stage >= APF_STAGE_TABLES ? apf_table_capacity : 0;
}

/**
 * kvm_async_pf_table_count() - tasks waiting in @cpu's table.
 * @cpu: a possible CPU.
 *
 * Context: any; a lockless snapshot, no side effect.
 * Return: the count; 0 without tables or for a bad @cpu.
 */
unsigned int kvm_async_pf_table_count(int cpu)
{
	struct kvm_apf_table *table;

	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids)
		return 0;
	table = per_cpu(apf_table, cpu);
	return table ? kvm_apf_table_used(table) : 0;
}

/**
 * kvm_async_pf_table_entry() - one entry of @cpu's table.
 * @cpu: a possible CPU.
 * @index: 0 .. kvm_async_pf_table_capacity() - 1.
 * @token: the entry's token (may be NULL).
 * @task: the entry's task (may be NULL).
 *
 * Context: any; a lockless snapshot, no side effect.
 * Return: 0 for an entry in use, -ENOENT for a free one, -EINVAL for a bad
 * @cpu or @index, -ENODEV without tables.
 */
int kvm_async_pf_table_entry(int cpu, unsigned int index, u32 *token,
			     struct task_struct **task)
{
	struct kvm_apf_table *table;

	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids)
		return -EINVAL;
	table = per_cpu(apf_table, cpu);
	if (!table)
		return -ENODEV;
	return kvm_apf_table_entry(table, index, token, task);
}

/**
 * kvm_async_pf_stats() - copy @cpu's event counters.
 * @cpu: a possible CPU.
 * @stats: the copy.
 *
 * Context: any; a lockless snapshot.
 * Return: 0, or -EINVAL for a bad @cpu.
 */
int kvm_async_pf_stats(int cpu, struct kvm_async_pf_stats *stats)
{
	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids)
		return -EINVAL;
	*stats = per_cpu(apf_stats, cpu);
	return 0;
}

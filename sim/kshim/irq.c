// SPDX-License-Identifier: MIT
/*
 * Interrupts of the kernel-API layer on the simulated GICv3: the IRQ vector
 * the platform enters (acknowledge, hardirq context, the handler of the
 * INTID, EOI), per-CPU interrupts (request_percpu_irq and friends, as
 * kernel/irq/manage.c behaves for a percpu_devid interrupt), GSI
 * registration (drivers/acpi/irq.c) and the reschedule IPI.
 *
 * Linux irq numbers: irq = INTID + KSHIM_IRQ_GSI_OFFSET, so code that mixes
 * up the GSI and the irq fails visibly.
 */
#include <stdio.h>
#include <string.h>

#include <linux/acpi.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kshim.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>

#include "kshim_platform.h"
#include "sim/assert.h"
#include "sim/sim.h"

/* GIC side of one PPI on the calling CPU. */
static struct sim_gic *plat_gic(const struct kshim_plat *plat)
{
	return sim_platform_gic(plat->platform);
}

/**
 * kshim__gic_cpu_init() - the GIC driver's per-CPU init (gic_cpu_init):
 * every SGI and PPI at the default priority, the reschedule SGI enabled,
 * and ICC_PMR_EL1 opened (the platform resets it to 0, everything masked).
 */
void kshim__gic_cpu_init(struct kshim_plat *plat, uint32_t vcpu)
{
	struct sim_gic *gic = plat_gic(plat);
	uint32_t intid;
	int ret;

	for (intid = 0; intid < SIM_GIC_INTID_PRIVATE_COUNT; intid++) {
		ret = sim_gic_set_priority(gic, vcpu, intid, KSHIM_GIC_DEFAULT_PRIORITY);
		SIM_ASSERT(ret == 0);
	}
	ret = sim_gic_set_enabled(gic, vcpu, KSHIM_SGI_RESCHEDULE, true);
	SIM_ASSERT(ret == 0);
	ret = sim_gic_set_pmr(gic, vcpu, KSHIM_GIC_DEFAULT_PMR);
	SIM_ASSERT(ret == 0);
}

static struct kshim_irq_desc *desc_of(struct kshim_plat *plat, unsigned int irq)
{
	unsigned int intid;

	if (plat == NULL || irq < KSHIM_IRQ_GSI_OFFSET + SIM_GIC_INTID_PPI_FIRST ||
	    irq >= KSHIM_IRQ_GSI_OFFSET + SIM_GIC_INTID_PRIVATE_COUNT)
		return NULL;
	intid = irq - KSHIM_IRQ_GSI_OFFSET;
	return plat->irqs[intid].mapped ? &plat->irqs[intid] : NULL;
}

static void resched_ipi(struct kshim_plat *plat, uint32_t vcpu)
{
	plat->stats.resched_ipi_count++;
	/* The thread taking the IRQ is the vCPU's current task, or its idle
	 * thread when no task is current (nothing to reschedule then). */
	if (sim_vcpu_current(plat->sim, vcpu) == sim_self_id())
		set_tsk_need_resched(kshim_current());
}

/**
 * kshim__irq_vector() - the platform's IRQ exception vector (gic_handle_irq
 * + handle_percpu_devid_irq), run with PSTATE.DAIF masked on @vcpu's thread.
 */
void kshim__irq_vector(void *ctx, uint32_t vcpu)
{
	struct kshim_plat *plat = ctx;
	struct sim_gic *gic;
	struct kshim_irq_desc *desc;
	irq_handler_t handler;
	irqreturn_t ret;
	uint32_t intid;
	void *dev_id;
	bool on_idle;

	SIM_ASSERT(plat != NULL);
	SIM_ASSERT(vcpu < plat->vcpu_count);
	gic = plat_gic(plat);
	intid = sim_gic_ack(gic, vcpu);
	if (intid == SIM_GIC_INTID_SPURIOUS) {
		plat->stats.spurious_count++;
		return;
	}
	plat->stats.irq_count++;
	on_idle = kshim__idle_handler_enter(plat, vcpu);
	kshim_irq_enter();
	if (intid == KSHIM_SGI_RESCHEDULE) {
		resched_ipi(plat, vcpu);
	} else if (intid >= SIM_GIC_INTID_PPI_FIRST && plat->irqs[intid].handler != NULL) {
		desc = &plat->irqs[intid];
		handler = desc->handler;
		dev_id = (void *)((unsigned long)desc->percpu_dev_id + kshim_per_cpu_offset(vcpu));
		desc->count[vcpu]++;
		ret = handler((int)(intid + KSHIM_IRQ_GSI_OFFSET), dev_id);
		if (ret == IRQ_NONE)
			desc->none_count[vcpu]++;
	} else {
		plat->stats.unexpected_count++;
		pr_warn("CPU%u: unexpected IRQ (INTID %u): no handler\n", vcpu, intid);
	}
	if (sim_gic_eoi(gic, vcpu, intid) != 0)
		WARN(1, "CPU%u: EOI of INTID %u refused", vcpu, intid);
	kshim_irq_exit();
	kshim__idle_handler_exit(plat, vcpu, on_idle);
}

/* ---- GSI registration ---- */

static unsigned int acpi_irq_type(int triggering, int polarity)
{
	if (triggering == ACPI_LEVEL_SENSITIVE) {
		if (polarity == ACPI_ACTIVE_HIGH)
			return IRQ_TYPE_LEVEL_HIGH;
		if (polarity == ACPI_ACTIVE_LOW)
			return IRQ_TYPE_LEVEL_LOW;
		return IRQ_TYPE_NONE;
	}
	if (triggering == ACPI_EDGE_SENSITIVE) {
		if (polarity == ACPI_ACTIVE_HIGH)
			return IRQ_TYPE_EDGE_RISING;
		if (polarity == ACPI_ACTIVE_LOW)
			return IRQ_TYPE_EDGE_FALLING;
		if (polarity == ACPI_ACTIVE_BOTH)
			return IRQ_TYPE_EDGE_BOTH;
	}
	return IRQ_TYPE_NONE;
}

/**
 * acpi_register_gsi() - map GSI @gsi (a PPI) to a Linux irq number with
 * its trigger type. Mapping again with the same type gives the same irq.
 *
 * Return: the irq, or -EINVAL (not attached, not a PPI, type mismatch).
 */
int acpi_register_gsi(struct device *dev, u32 gsi, int triggering, int polarity)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_irq_desc *desc;
	unsigned int type = acpi_irq_type(triggering, polarity);

	(void)dev;
	if (WARN_ON(plat == NULL)) {
		pr_warn("GSI: No registered irqchip, giving up\n");
		return -EINVAL;
	}
	if (gsi < SIM_GIC_INTID_PPI_FIRST || gsi >= SIM_GIC_INTID_PRIVATE_COUNT) {
		pr_warn("GSI %u: not a PPI (only PPIs 16..31 are modelled)\n", gsi);
		return -EINVAL;
	}
	desc = &plat->irqs[gsi];
	pthread_mutex_lock(&plat->kshim->mutex);
	if (desc->mapped && desc->type != type) {
		pthread_mutex_unlock(&plat->kshim->mutex);
		pr_warn("GSI %u: type mismatch (%#x, mapped as %#x)\n", gsi, type, desc->type);
		return -EINVAL;
	}
	desc->mapped = true;
	desc->type = type;
	pthread_mutex_unlock(&plat->kshim->mutex);
	return (int)(gsi + KSHIM_IRQ_GSI_OFFSET);
}

/**
 * acpi_unregister_gsi() - dispose of the mapping of @gsi. A WARN when its
 * irq is still requested (the mapping stays then).
 */
void acpi_unregister_gsi(u32 gsi)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_irq_desc *desc;

	if (plat == NULL || gsi < SIM_GIC_INTID_PPI_FIRST || gsi >= SIM_GIC_INTID_PRIVATE_COUNT)
		return;
	desc = &plat->irqs[gsi];
	if (WARN(desc->handler != NULL, "GSI %u: unregistered while its irq is requested", gsi))
		return;
	pthread_mutex_lock(&plat->kshim->mutex);
	desc->mapped = false;
	desc->type = IRQ_TYPE_NONE;
	pthread_mutex_unlock(&plat->kshim->mutex);
}

/* ---- Per-CPU interrupts ---- */

/**
 * request_percpu_irq() - install @handler for @irq on every CPU; each CPU's
 * invocation gets its own instance of @percpu_dev_id. The interrupt stays
 * disabled until enable_percpu_irq() on each CPU.
 *
 * Return: 0, -EINVAL (unknown irq, NULL handler or dev_id), -EBUSY.
 */
int request_percpu_irq(unsigned int irq, irq_handler_t handler, const char *devname,
		       void __percpu *percpu_dev_id)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_irq_desc *desc = desc_of(plat, irq);
	int ret = 0;

	if (desc == NULL || handler == NULL || percpu_dev_id == NULL)
		return -EINVAL;
	pthread_mutex_lock(&plat->kshim->mutex);
	if (desc->handler != NULL) {
		ret = -EBUSY;
	} else {
		desc->handler = handler;
		desc->devname = devname;
		desc->percpu_dev_id = percpu_dev_id;
	}
	pthread_mutex_unlock(&plat->kshim->mutex);
	return ret;
}

/**
 * free_percpu_irq() - remove the handler of @irq. As the kernel: a WARN and
 * nothing freed when @percpu_dev_id is not the requested one or a CPU still
 * has the interrupt enabled.
 */
void free_percpu_irq(unsigned int irq, void __percpu *percpu_dev_id)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_irq_desc *desc = desc_of(plat, irq);

	if (desc == NULL)
		return;
	if (WARN(desc->handler == NULL || desc->percpu_dev_id != percpu_dev_id,
		 "Trying to free already-free IRQ %u", irq))
		return;
	if (WARN(desc->enabled_mask != 0, "percpu IRQ %u still enabled on CPU%d!", irq,
		 __builtin_ctzll(desc->enabled_mask)))
		return;
	pthread_mutex_lock(&plat->kshim->mutex);
	desc->handler = NULL;
	desc->devname = NULL;
	desc->percpu_dev_id = NULL;
	pthread_mutex_unlock(&plat->kshim->mutex);
}

/* The calling CPU, or -1 (a WARN) for a host thread. */
static int local_cpu(const char *what, unsigned int irq)
{
	int vcpu = sim_self_vcpu();

	WARN(vcpu < 0, "%s(%u) from a thread with no CPU", what, irq);
	return vcpu;
}

/**
 * enable_percpu_irq() - on the calling CPU: configure the trigger (@type
 * IRQ_TYPE_*, or the registered type for IRQ_TYPE_NONE) and enable @irq.
 */
void enable_percpu_irq(unsigned int irq, unsigned int type)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_irq_desc *desc = desc_of(plat, irq);
	struct sim_gic_irq_state state;
	enum sim_gic_config config;
	unsigned int intid = irq - KSHIM_IRQ_GSI_OFFSET;
	int cpu = local_cpu("enable_percpu_irq", irq);

	if (desc == NULL || cpu < 0)
		return;
	type &= IRQ_TYPE_SENSE_MASK;
	if (type == IRQ_TYPE_NONE)
		type = desc->type;
	if (type != IRQ_TYPE_NONE) {
		config = (type & IRQ_TYPE_LEVEL_MASK) ? SIM_GIC_CONFIG_LEVEL : SIM_GIC_CONFIG_EDGE;
		if (sim_gic_irq_state(plat_gic(plat), (uint32_t)cpu, intid, &state) != 0 ||
		    (state.config != config &&
		     sim_gic_set_config(plat_gic(plat), (uint32_t)cpu, intid, config) != 0)) {
			WARN(1, "failed to set type for IRQ%u", irq);
			return;
		}
	}
	if (sim_gic_set_enabled(plat_gic(plat), (uint32_t)cpu, intid, true) != 0) {
		WARN(1, "enable_percpu_irq(%u): GIC refused", irq);
		return;
	}
	__atomic_fetch_or(&desc->enabled_mask, 1ull << cpu, __ATOMIC_SEQ_CST);
}

/**
 * disable_percpu_irq() - on the calling CPU: stop forwarding @irq.
 */
void disable_percpu_irq(unsigned int irq)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_irq_desc *desc = desc_of(plat, irq);
	int cpu = local_cpu("disable_percpu_irq", irq);

	if (desc == NULL || cpu < 0)
		return;
	if (sim_gic_set_enabled(plat_gic(plat), (uint32_t)cpu, irq - KSHIM_IRQ_GSI_OFFSET,
				false) != 0)
		WARN(1, "disable_percpu_irq(%u): GIC refused", irq);
	__atomic_fetch_and(&desc->enabled_mask, ~(1ull << cpu), __ATOMIC_SEQ_CST);
}

/**
 * irq_percpu_is_enabled() - is @irq enabled on the calling CPU?
 */
bool irq_percpu_is_enabled(unsigned int irq)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct kshim_irq_desc *desc = desc_of(plat, irq);
	int cpu = sim_self_vcpu();

	if (desc == NULL || cpu < 0)
		return false;
	return (__atomic_load_n(&desc->enabled_mask, __ATOMIC_SEQ_CST) >> cpu) & 1u;
}

/**
 * kshim_irq_handled_count() - see sim/kshim.h.
 */
uint64_t kshim_irq_handled_count(const struct kshim *kshim, unsigned int irq, unsigned int cpu)
{
	const struct kshim_plat *plat = kshim != NULL ? kshim->plat : NULL;
	unsigned int intid = irq - KSHIM_IRQ_GSI_OFFSET;

	if (plat == NULL || cpu >= SIM_VCPU_COUNT_MAX || irq < KSHIM_IRQ_GSI_OFFSET ||
	    intid >= SIM_GIC_INTID_PRIVATE_COUNT)
		return 0;
	return plat->irqs[intid].count[cpu];
}

/* ---- IPIs and contexts ---- */

/**
 * kshim_smp_send_reschedule() - smp_send_reschedule(): SGI 0 to @cpu; its
 * handler sets TIF_NEED_RESCHED on the task running there. Not attached:
 * the flag is set directly on @cpu's current task.
 */
void kshim_smp_send_reschedule(int cpu)
{
	struct kshim *kshim = kshim__self();
	uint32_t current_id;

	if (kshim == NULL || cpu < 0 || (unsigned int)cpu >= sim_vcpu_count(kshim->sim))
		return;
	if (kshim->plat != NULL) {
		if (sim_platform_send_sgi(kshim->plat->platform, (uint32_t)cpu,
					  KSHIM_SGI_RESCHEDULE) != 0)
			WARN(1, "smp_send_reschedule(%d) failed", cpu);
		return;
	}
	current_id = sim_vcpu_current(kshim->sim, (uint32_t)cpu);
	if (current_id != SIM_THREAD_NONE && kshim->tasks[current_id].kshim_ready)
		set_tsk_need_resched(&kshim->tasks[current_id]);
}

/**
 * kshim_smp_call_function_single() - smp_call_function_single() (waits).
 * Return: 0, -ENXIO (no such CPU, or offline), -EINVAL.
 */
int kshim_smp_call_function_single(int cpu, smp_call_func_t func, void *info)
{
	/* As the kernel: a CPU that does not exist is as offline as one that is. */
	if (cpu < 0 || (unsigned int)cpu >= kshim_nr_cpu_ids())
		return -ENXIO;
	return kshim_on_cpu(kshim__self(), (unsigned int)cpu, func, info);
}

/**
 * kshim_in_nmi() - in_nmi(): inside the SDEI handler on this CPU.
 */
bool kshim_in_nmi(void)
{
	struct kshim_plat *plat = kshim__plat_self();
	int vcpu = sim_self_vcpu();

	if (plat == NULL || vcpu < 0 || kshim__plat_in_host(plat, (uint32_t)vcpu))
		return false;
	return kshim_current()->kshim_nmi_depth != 0;
}

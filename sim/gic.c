// SPDX-License-Identifier: MIT
/*
 * Simulated GICv3, banked per-PE part: SGIs and PPIs of every vCPU plus the
 * CPU interface registers that decide what is signalled (PMR, active
 * priorities, EOImode). Rules follow the GICv3 architecture (IHI 0069) and,
 * where the architecture leaves a choice, KVM's vGIC; docs/platform.md lists
 * them with their sources.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/gic.h"
#include "sim/limits.h"

/*
 * Preemption needs a strictly higher group priority, so the active priorities
 * form a strictly decreasing stack with at most one entry per group priority.
 */
#define GIC_ACTIVE_DEPTH_MAX_ 16u
SIM_STATIC_ASSERT(GIC_ACTIVE_DEPTH_MAX_ == (SIM_GIC_GROUP_PRIORITY_MASK >> 4) + 1u,
		  "one active-priority slot per group priority");
SIM_STATIC_ASSERT((SIM_GIC_PRIORITY_MASK & SIM_GIC_GROUP_PRIORITY_MASK) ==
			  SIM_GIC_GROUP_PRIORITY_MASK,
		  "group priority bits are implemented priority bits");
SIM_STATIC_ASSERT(SIM_GIC_INTID_PRIVATE_COUNT <= 32u, "private INTIDs fit one register");

struct gic_irq {
	bool enabled;
	bool line_level;
	bool pending_latch;
	bool active;
	uint8_t config; /* enum sim_gic_config */
	uint8_t priority;
	uint64_t delivery_count;
};

struct gic_vcpu {
	struct gic_irq irqs[SIM_GIC_INTID_PRIVATE_COUNT];
	uint8_t pmr;
	uint8_t eoi_mode; /* enum sim_gic_eoi_mode */
	/* Acknowledged interrupts whose priority has not been dropped yet,
	 * oldest first; the last entry gives the running priority. */
	uint32_t active_count;
	uint32_t active_intid[GIC_ACTIVE_DEPTH_MAX_];
	uint8_t active_group_priority[GIC_ACTIVE_DEPTH_MAX_];
};

struct sim_gic {
	uint32_t vcpu_count;
	/* A pointer so that const accessors can lock too. */
	pthread_mutex_t *lock;
	pthread_mutex_t lock_storage;
	struct gic_vcpu vcpus[];
};

enum gic_class {
	GIC_CLASS_SGI = 0,
	GIC_CLASS_PPI = 1,
	GIC_CLASS_COUNT,
};

/* Reset values per class: KVM's kvm_vgic_vcpu_init makes SGIs enabled and
 * edge-triggered and PPIs level-sensitive; the architecture resets enables. */
static const struct {
	bool enabled;
	uint8_t config;
} gic_reset_table[GIC_CLASS_COUNT] = {
	[GIC_CLASS_SGI] = { .enabled = true, .config = SIM_GIC_CONFIG_EDGE },
	[GIC_CLASS_PPI] = { .enabled = false, .config = SIM_GIC_CONFIG_LEVEL },
};

static enum gic_class gic_class_of(uint32_t intid)
{
	SIM_ASSERT(intid < SIM_GIC_INTID_PRIVATE_COUNT);
	return intid < SIM_GIC_INTID_SGI_COUNT ? GIC_CLASS_SGI : GIC_CLASS_PPI;
}

static bool gic_valid(const struct sim_gic *gic, uint32_t vcpu, uint32_t intid)
{
	SIM_ASSERT(gic != NULL);
	return vcpu < gic->vcpu_count && intid < SIM_GIC_INTID_PRIVATE_COUNT;
}

static void gic_lock(const struct sim_gic *gic)
{
	SIM_ASSERT(pthread_mutex_lock(gic->lock) == 0);
}

static void gic_unlock(const struct sim_gic *gic)
{
	SIM_ASSERT(pthread_mutex_unlock(gic->lock) == 0);
}

static bool gic_irq_pending(const struct gic_irq *irq)
{
	if (irq->config == SIM_GIC_CONFIG_LEVEL)
		return irq->line_level || irq->pending_latch;
	return irq->pending_latch;
}

static uint8_t gic_running_priority_locked(const struct gic_vcpu *cpu)
{
	SIM_ASSERT(cpu->active_count <= GIC_ACTIVE_DEPTH_MAX_);
	if (cpu->active_count == 0)
		return SIM_GIC_PRIORITY_IDLE;
	return cpu->active_group_priority[cpu->active_count - 1];
}

static bool gic_on_active_stack(const struct gic_vcpu *cpu, uint32_t intid)
{
	SIM_ASSERT(cpu->active_count <= GIC_ACTIVE_DEPTH_MAX_);
	for (uint32_t i = 0; i < cpu->active_count; i++)
		if (cpu->active_intid[i] == intid)
			return true;
	return false;
}

/*
 * The interrupt the CPU interface would signal: pending, enabled, not active,
 * priority below the PMR, group priority above the running priority. Lowest
 * priority value wins; equal priorities go to the lowest INTID.
 */
static uint32_t gic_highest_pending_locked(const struct gic_vcpu *cpu)
{
	uint8_t running = gic_running_priority_locked(cpu);
	uint32_t best = SIM_GIC_INTID_SPURIOUS;
	uint32_t best_priority = 0x100u;

	for (uint32_t intid = 0; intid < SIM_GIC_INTID_PRIVATE_COUNT; intid++) {
		const struct gic_irq *irq = &cpu->irqs[intid];

		if (!irq->enabled || irq->active || !gic_irq_pending(irq))
			continue;
		if (irq->priority >= cpu->pmr)
			continue;
		if ((irq->priority & SIM_GIC_GROUP_PRIORITY_MASK) >= running)
			continue;
		if (irq->priority < best_priority) {
			best = intid;
			best_priority = irq->priority;
		}
	}
	SIM_ASSERT(best == SIM_GIC_INTID_SPURIOUS || best < SIM_GIC_INTID_PRIVATE_COUNT);
	return best;
}

static void gic_reset_vcpu_locked(struct gic_vcpu *cpu)
{
	for (uint32_t intid = 0; intid < SIM_GIC_INTID_PRIVATE_COUNT; intid++) {
		struct gic_irq *irq = &cpu->irqs[intid];
		enum gic_class class = gic_class_of(intid);

		irq->enabled = gic_reset_table[class].enabled;
		irq->config = gic_reset_table[class].config;
		irq->pending_latch = false;
		irq->active = false;
		irq->priority = 0;
	}
	cpu->pmr = 0;
	cpu->eoi_mode = SIM_GIC_EOI_MODE_DROP_DEACTIVATE;
	cpu->active_count = 0;
	SIM_ASSERT(gic_highest_pending_locked(cpu) == SIM_GIC_INTID_SPURIOUS);
}

int sim_gic_create(struct sim_gic **out, uint32_t vcpu_count)
{
	struct sim_gic *gic;

	SIM_ASSERT(out != NULL);
	*out = NULL;
	if (vcpu_count == 0 || vcpu_count > SIM_VCPU_COUNT_MAX)
		return -EINVAL;
	gic = calloc(1, sizeof(*gic) + vcpu_count * sizeof(gic->vcpus[0]));
	if (gic == NULL)
		return -ENOMEM;
	if (pthread_mutex_init(&gic->lock_storage, NULL) != 0) {
		free(gic);
		return -ENOMEM;
	}
	gic->lock = &gic->lock_storage;
	gic->vcpu_count = vcpu_count;
	for (uint32_t v = 0; v < vcpu_count; v++)
		gic_reset_vcpu_locked(&gic->vcpus[v]);
	*out = gic;
	return 0;
}

void sim_gic_destroy(struct sim_gic *gic)
{
	if (gic == NULL)
		return;
	SIM_ASSERT(gic->lock == &gic->lock_storage);
	pthread_mutex_destroy(&gic->lock_storage);
	free(gic);
}

uint32_t sim_gic_vcpu_count(const struct sim_gic *gic)
{
	SIM_ASSERT(gic != NULL);
	SIM_ASSERT(gic->vcpu_count > 0);
	return gic->vcpu_count;
}

void sim_gic_reset_vcpu(struct sim_gic *gic, uint32_t vcpu)
{
	SIM_ASSERT(gic != NULL);
	SIM_ASSERT(vcpu < gic->vcpu_count);
	gic_lock(gic);
	gic_reset_vcpu_locked(&gic->vcpus[vcpu]);
	gic_unlock(gic);
}

int sim_gic_set_enabled(struct sim_gic *gic, uint32_t vcpu, uint32_t intid, bool enabled)
{
	if (!gic_valid(gic, vcpu, intid))
		return -EINVAL;
	gic_lock(gic);
	gic->vcpus[vcpu].irqs[intid].enabled = enabled;
	gic_unlock(gic);
	return 0;
}

int sim_gic_set_priority(struct sim_gic *gic, uint32_t vcpu, uint32_t intid, uint8_t priority)
{
	if (!gic_valid(gic, vcpu, intid))
		return -EINVAL;
	gic_lock(gic);
	gic->vcpus[vcpu].irqs[intid].priority = (uint8_t)(priority & SIM_GIC_PRIORITY_MASK);
	gic_unlock(gic);
	return 0;
}

int sim_gic_set_config(struct sim_gic *gic, uint32_t vcpu, uint32_t intid,
		       enum sim_gic_config config)
{
	struct gic_irq *irq;
	int ret = 0;

	if (!gic_valid(gic, vcpu, intid) || gic_class_of(intid) != GIC_CLASS_PPI)
		return -EINVAL;
	if (config != SIM_GIC_CONFIG_LEVEL && config != SIM_GIC_CONFIG_EDGE)
		return -EINVAL;
	gic_lock(gic);
	irq = &gic->vcpus[vcpu].irqs[intid];
	if (irq->enabled)
		ret = -EBUSY;
	else
		irq->config = (uint8_t)config;
	gic_unlock(gic);
	return ret;
}

int sim_gic_set_pending(struct sim_gic *gic, uint32_t vcpu, uint32_t intid, bool pending)
{
	if (!gic_valid(gic, vcpu, intid))
		return -EINVAL;
	gic_lock(gic);
	gic->vcpus[vcpu].irqs[intid].pending_latch = pending;
	gic_unlock(gic);
	return 0;
}

int sim_gic_set_pmr(struct sim_gic *gic, uint32_t vcpu, uint8_t pmr)
{
	SIM_ASSERT(gic != NULL);
	if (vcpu >= gic->vcpu_count)
		return -EINVAL;
	gic_lock(gic);
	gic->vcpus[vcpu].pmr = (uint8_t)(pmr & SIM_GIC_PRIORITY_MASK);
	gic_unlock(gic);
	return 0;
}

uint8_t sim_gic_pmr(const struct sim_gic *gic, uint32_t vcpu)
{
	uint8_t pmr;

	SIM_ASSERT(gic != NULL);
	SIM_ASSERT(vcpu < gic->vcpu_count);
	gic_lock(gic);
	pmr = gic->vcpus[vcpu].pmr;
	gic_unlock(gic);
	return pmr;
}

int sim_gic_set_eoi_mode(struct sim_gic *gic, uint32_t vcpu, enum sim_gic_eoi_mode mode)
{
	int ret = 0;

	SIM_ASSERT(gic != NULL);
	if (vcpu >= gic->vcpu_count)
		return -EINVAL;
	if (mode != SIM_GIC_EOI_MODE_DROP_DEACTIVATE && mode != SIM_GIC_EOI_MODE_DROP_ONLY)
		return -EINVAL;
	gic_lock(gic);
	if (gic->vcpus[vcpu].active_count != 0)
		ret = -EBUSY;
	else
		gic->vcpus[vcpu].eoi_mode = (uint8_t)mode;
	gic_unlock(gic);
	return ret;
}

uint32_t sim_gic_ack(struct sim_gic *gic, uint32_t vcpu)
{
	struct gic_vcpu *cpu;
	struct gic_irq *irq;
	uint32_t intid;

	SIM_ASSERT(gic != NULL);
	SIM_ASSERT(vcpu < gic->vcpu_count);
	gic_lock(gic);
	cpu = &gic->vcpus[vcpu];
	intid = gic_highest_pending_locked(cpu);
	if (intid == SIM_GIC_INTID_SPURIOUS) {
		gic_unlock(gic);
		return intid;
	}
	irq = &cpu->irqs[intid];
	/* Acknowledge consumes the latch; a level line still high keeps the
	 * interrupt pending, so it is active and pending now. */
	irq->pending_latch = false;
	irq->active = true;
	irq->delivery_count++;
	SIM_ASSERT(cpu->active_count < GIC_ACTIVE_DEPTH_MAX_);
	cpu->active_intid[cpu->active_count] = intid;
	cpu->active_group_priority[cpu->active_count] =
		(uint8_t)(irq->priority & SIM_GIC_GROUP_PRIORITY_MASK);
	cpu->active_count++;
	gic_unlock(gic);
	return intid;
}

int sim_gic_eoi(struct sim_gic *gic, uint32_t vcpu, uint32_t intid)
{
	struct gic_vcpu *cpu;
	int ret = 0;

	if (!gic_valid(gic, vcpu, intid))
		return -EINVAL;
	gic_lock(gic);
	cpu = &gic->vcpus[vcpu];
	if (cpu->active_count == 0 || cpu->active_intid[cpu->active_count - 1] != intid) {
		ret = -EINVAL;
	} else {
		cpu->active_count--;
		SIM_ASSERT(cpu->irqs[intid].active);
		if (cpu->eoi_mode == SIM_GIC_EOI_MODE_DROP_DEACTIVATE)
			cpu->irqs[intid].active = false;
	}
	gic_unlock(gic);
	return ret;
}

int sim_gic_deactivate(struct sim_gic *gic, uint32_t vcpu, uint32_t intid)
{
	struct gic_vcpu *cpu;
	int ret = 0;

	if (!gic_valid(gic, vcpu, intid))
		return -EINVAL;
	gic_lock(gic);
	cpu = &gic->vcpus[vcpu];
	if (cpu->eoi_mode != SIM_GIC_EOI_MODE_DROP_ONLY || !cpu->irqs[intid].active)
		ret = -EINVAL;
	else if (gic_on_active_stack(cpu, intid))
		ret = -EINVAL;
	else
		cpu->irqs[intid].active = false;
	gic_unlock(gic);
	return ret;
}

uint32_t sim_gic_highest_pending(const struct sim_gic *gic, uint32_t vcpu)
{
	uint32_t intid;

	SIM_ASSERT(gic != NULL);
	SIM_ASSERT(vcpu < gic->vcpu_count);
	gic_lock(gic);
	intid = gic_highest_pending_locked(&gic->vcpus[vcpu]);
	gic_unlock(gic);
	return intid;
}

uint8_t sim_gic_running_priority(const struct sim_gic *gic, uint32_t vcpu)
{
	uint8_t priority;

	SIM_ASSERT(gic != NULL);
	SIM_ASSERT(vcpu < gic->vcpu_count);
	gic_lock(gic);
	priority = gic_running_priority_locked(&gic->vcpus[vcpu]);
	gic_unlock(gic);
	return priority;
}

int sim_gic_set_line(struct sim_gic *gic, uint32_t vcpu, uint32_t intid, bool level)
{
	struct gic_irq *irq;

	if (!gic_valid(gic, vcpu, intid) || gic_class_of(intid) != GIC_CLASS_PPI)
		return -EINVAL;
	gic_lock(gic);
	irq = &gic->vcpus[vcpu].irqs[intid];
	/* Only a change matters: for a level interrupt pending follows the
	 * line; for an edge interrupt a rising edge latches pending. */
	if (irq->line_level != level) {
		if (level && irq->config == SIM_GIC_CONFIG_EDGE)
			irq->pending_latch = true;
		irq->line_level = level;
	}
	gic_unlock(gic);
	return 0;
}

int sim_gic_send_sgi(struct sim_gic *gic, uint32_t vcpu, uint32_t intid)
{
	if (!gic_valid(gic, vcpu, intid) || gic_class_of(intid) != GIC_CLASS_SGI)
		return -EINVAL;
	gic_lock(gic);
	SIM_ASSERT(gic->vcpus[vcpu].irqs[intid].config == SIM_GIC_CONFIG_EDGE);
	gic->vcpus[vcpu].irqs[intid].pending_latch = true;
	gic_unlock(gic);
	return 0;
}

int sim_gic_irq_state(const struct sim_gic *gic, uint32_t vcpu, uint32_t intid,
		      struct sim_gic_irq_state *out)
{
	const struct gic_irq *irq;

	SIM_ASSERT(out != NULL);
	if (!gic_valid(gic, vcpu, intid))
		return -EINVAL;
	gic_lock(gic);
	irq = &gic->vcpus[vcpu].irqs[intid];
	out->enabled = irq->enabled;
	out->pending = gic_irq_pending(irq);
	out->pending_latch = irq->pending_latch;
	out->line_level = irq->line_level;
	out->active = irq->active;
	out->config = (enum sim_gic_config)irq->config;
	out->priority = irq->priority;
	out->delivery_count = irq->delivery_count;
	gic_unlock(gic);
	return 0;
}

uint64_t sim_gic_delivery_count(const struct sim_gic *gic, uint32_t vcpu, uint32_t intid)
{
	uint64_t count;

	if (!gic_valid(gic, vcpu, intid))
		return 0;
	gic_lock(gic);
	count = gic->vcpus[vcpu].irqs[intid].delivery_count;
	gic_unlock(gic);
	return count;
}

bool sim_gic_active_any(const struct sim_gic *gic, uint32_t intid)
{
	bool active = false;

	SIM_ASSERT(gic != NULL);
	if (intid >= SIM_GIC_INTID_PRIVATE_COUNT)
		return false;
	gic_lock(gic);
	for (uint32_t v = 0; v < gic->vcpu_count; v++)
		active = active || gic->vcpus[v].irqs[intid].active;
	gic_unlock(gic);
	return active;
}

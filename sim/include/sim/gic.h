/* SPDX-License-Identifier: MIT */
/*
 * Simulated GICv3: the banked per-PE part (redistributor SGI/PPI frame and
 * the CPU interface) for every vCPU. SPIs, LPIs, groups and security states
 * are not modelled; every interrupt is Non-secure Group 1.
 *
 * Per INTID and vCPU: enable, line level (PPIs), software pending latch,
 * active, level/edge configuration and an 8-bit priority of which the top
 * SIM_GIC_PRIORITY_BITS are implemented (as in KVM's vGIC). Per vCPU: the
 * priority mask (ICC_PMR_EL1), the active priorities (ICC_AP1R0_EL1, kept as
 * a stack) that give the running priority (ICC_RPR_EL1), and EOImode
 * (ICC_CTLR_EL1.EOImode). See docs/platform.md for the rules and the spec
 * sections behind them.
 *
 * Guest-side calls (acknowledge, EOI, programming) and host-side calls (line
 * level, SGI) may come from different threads in free-run mode: every call
 * takes the GIC's mutex, and none is a schedule point.
 */
#ifndef SIM_GIC_H
#define SIM_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/gic.h"

struct sim_gic;

/* INTID ranges (GICv3 §2.2); extended PPIs are not modelled. */
#define SIM_GIC_INTID_SGI_COUNT PROTO_GIC_SGI_COUNT
#define SIM_GIC_INTID_PPI_FIRST PROTO_GIC_PPI_BASE
/* SGIs and PPIs, banked per PE. */
#define SIM_GIC_INTID_PRIVATE_COUNT (PROTO_GIC_SGI_COUNT + PROTO_GIC_PPI_COUNT)
/* Returned by acknowledge when nothing can be signalled. */
#define SIM_GIC_INTID_SPURIOUS PROTO_GIC_INTID_SPURIOUS

/* Implemented priority bits, as KVM's vGIC (VGIC_PRI_BITS). */
#define SIM_GIC_PRIORITY_BITS 5u
#define SIM_GIC_PRIORITY_MASK 0xf8u
/*
 * Group priority used for preemption: ICC_BPR1_EL1 at its minimum for
 * Non-secure Group 1 with 5 priority bits (BPR1 = 3) splits the priority into
 * group priority [7:4] and subpriority [3:0].
 */
#define SIM_GIC_GROUP_PRIORITY_MASK 0xf0u
/* ICC_RPR_EL1 when no interrupt is active. */
#define SIM_GIC_PRIORITY_IDLE 0xffu

enum sim_gic_config {
	SIM_GIC_CONFIG_LEVEL = 0,
	SIM_GIC_CONFIG_EDGE = 1,
};

enum sim_gic_eoi_mode {
	SIM_GIC_EOI_MODE_DROP_DEACTIVATE = 0, /* EOImode 0: EOI also deactivates */
	SIM_GIC_EOI_MODE_DROP_ONLY = 1,       /* EOImode 1: ICC_DIR_EL1 deactivates */
};

/* A snapshot of one interrupt on one vCPU, for oracles and tests. */
struct sim_gic_irq_state {
	bool enabled;
	bool pending;       /* line level (level-sensitive) or latch */
	bool pending_latch; /* set by an edge, an SGI or ISPENDR */
	bool line_level;
	bool active;
	enum sim_gic_config config;
	uint8_t priority;
	uint64_t delivery_count; /* acknowledges that returned this INTID */
};

/**
 * sim_gic_create() - create the GIC state of @vcpu_count vCPUs, all reset.
 * @out: the new GIC.
 * @vcpu_count: 1 .. SIM_VCPU_COUNT_MAX.
 *
 * Return: 0, -EINVAL for a bad count, -ENOMEM.
 */
__attribute__((warn_unused_result)) int sim_gic_create(struct sim_gic **out,
						       uint32_t vcpu_count);

/** sim_gic_destroy() - free a GIC (NULL is ignored). */
void sim_gic_destroy(struct sim_gic *gic);

/** sim_gic_vcpu_count() - vCPUs the GIC serves. */
uint32_t sim_gic_vcpu_count(const struct sim_gic *gic);

/**
 * sim_gic_reset_vcpu() - reset the PE's banked state, as at CPU_ON.
 * @gic: the GIC.
 * @vcpu: the vCPU.
 *
 * SGIs: enabled and edge (KVM's vgic init); PPIs: disabled and level;
 * priorities 0; no latch, nothing active; PMR 0 (everything masked);
 * EOImode 0. The PPI line levels are inputs driven by devices and are kept,
 * and so are the delivery counters.
 */
void sim_gic_reset_vcpu(struct sim_gic *gic, uint32_t vcpu);

/* ---- Redistributor programming (guest side) ---- */

/**
 * sim_gic_set_enabled() - GICR_ISENABLER0 / GICR_ICENABLER0 for one INTID.
 * Disabling only stops forwarding: the interrupt can still become pending.
 * Return: 0, -EINVAL for a bad vCPU or INTID.
 */
int sim_gic_set_enabled(struct sim_gic *gic, uint32_t vcpu, uint32_t intid, bool enabled);

/**
 * sim_gic_set_priority() - GICR_IPRIORITYR for one INTID; the unimplemented
 * low bits read as zero.
 * Return: 0, -EINVAL for a bad vCPU or INTID.
 */
int sim_gic_set_priority(struct sim_gic *gic, uint32_t vcpu, uint32_t intid, uint8_t priority);

/**
 * sim_gic_set_config() - GICR_ICFGR1 for one PPI: level or edge.
 * Return: 0, -EINVAL for an SGI (always edge), a bad vCPU or INTID, or a bad
 * configuration; -EBUSY while the interrupt is enabled (changing it then is
 * UNPREDICTABLE in the architecture).
 */
int sim_gic_set_config(struct sim_gic *gic, uint32_t vcpu, uint32_t intid,
		       enum sim_gic_config config);

/**
 * sim_gic_set_pending() - GICR_ISPENDR0 (@pending) / GICR_ICPENDR0 (!@pending):
 * set or clear the software latch. A level interrupt whose line is high stays
 * pending after the latch is cleared.
 * Return: 0, -EINVAL for a bad vCPU or INTID.
 */
int sim_gic_set_pending(struct sim_gic *gic, uint32_t vcpu, uint32_t intid, bool pending);

/* ---- CPU interface (guest side) ---- */

/**
 * sim_gic_set_pmr() - ICC_PMR_EL1: only priorities numerically below @pmr are
 * signalled. Unimplemented low bits read as zero.
 * Return: 0, -EINVAL for a bad vCPU.
 */
int sim_gic_set_pmr(struct sim_gic *gic, uint32_t vcpu, uint8_t pmr);

/** sim_gic_pmr() - ICC_PMR_EL1 of @vcpu. */
uint8_t sim_gic_pmr(const struct sim_gic *gic, uint32_t vcpu);

/**
 * sim_gic_set_eoi_mode() - ICC_CTLR_EL1.EOImode.
 * Return: 0, -EBUSY while an interrupt's priority has not been dropped,
 * -EINVAL for a bad vCPU or mode.
 */
int sim_gic_set_eoi_mode(struct sim_gic *gic, uint32_t vcpu, enum sim_gic_eoi_mode mode);

/**
 * sim_gic_ack() - ICC_IAR1_EL1: acknowledge the highest-priority pending,
 * enabled, inactive INTID whose priority is below the PMR and whose group
 * priority beats the running priority (ties: lowest INTID). It becomes active
 * (active and pending if a level line is still high), its group priority
 * becomes the running priority and its delivery counter grows.
 * Context: the thread running on @vcpu.
 * Return: the INTID, or SIM_GIC_INTID_SPURIOUS (1023).
 */
uint32_t sim_gic_ack(struct sim_gic *gic, uint32_t vcpu);

/**
 * sim_gic_eoi() - ICC_EOIR1_EL1: drop the running priority of @intid, which
 * must be the most recently acknowledged interrupt whose priority has not
 * been dropped yet; with EOImode 0 also deactivate it.
 * Return: 0, -EINVAL for a special INTID (1020..1023, ignored as in the
 * architecture), an INTID that is not the last acknowledged one (nothing
 * changes), or a bad vCPU.
 */
int sim_gic_eoi(struct sim_gic *gic, uint32_t vcpu, uint32_t intid);

/**
 * sim_gic_deactivate() - ICC_DIR_EL1 (EOImode 1): deactivate @intid after its
 * priority drop. A level interrupt whose line is still high is pending again.
 * Return: 0, -EINVAL in EOImode 0, for an inactive INTID, one whose priority
 * has not been dropped, or a bad vCPU / INTID.
 */
int sim_gic_deactivate(struct sim_gic *gic, uint32_t vcpu, uint32_t intid);

/**
 * sim_gic_highest_pending() - the INTID sim_gic_ack() would return now,
 * without changing anything; SIM_GIC_INTID_SPURIOUS if none.
 */
uint32_t sim_gic_highest_pending(const struct sim_gic *gic, uint32_t vcpu);

/** sim_gic_running_priority() - ICC_RPR_EL1: SIM_GIC_PRIORITY_IDLE when idle. */
uint8_t sim_gic_running_priority(const struct sim_gic *gic, uint32_t vcpu);

/* ---- Host side ---- */

/**
 * sim_gic_set_line() - drive the input line of a PPI (kvm_vgic_inject_irq).
 * Level-sensitive: pending follows the line, and only a change of level has
 * an effect. Edge-triggered: a rising edge (low to high) latches pending.
 * Return: 0, -EINVAL for an SGI, a bad vCPU or INTID.
 */
int sim_gic_set_line(struct sim_gic *gic, uint32_t vcpu, uint32_t intid, bool level);

/**
 * sim_gic_send_sgi() - latch SGI @intid pending on @vcpu (ICC_SGI1R_EL1 from
 * some PE; the sender does not matter here).
 * Return: 0, -EINVAL for a bad vCPU or a non-SGI INTID.
 */
int sim_gic_send_sgi(struct sim_gic *gic, uint32_t vcpu, uint32_t intid);

/* ---- Oracles ---- */

/**
 * sim_gic_irq_state() - snapshot of @intid on @vcpu.
 * Return: 0, -EINVAL for a bad vCPU or INTID.
 */
int sim_gic_irq_state(const struct sim_gic *gic, uint32_t vcpu, uint32_t intid,
		      struct sim_gic_irq_state *out);

/** sim_gic_delivery_count() - acknowledges of @intid on @vcpu (0 if out of range). */
uint64_t sim_gic_delivery_count(const struct sim_gic *gic, uint32_t vcpu, uint32_t intid);

/** sim_gic_active_any() - is @intid active on any vCPU? */
bool sim_gic_active_any(const struct sim_gic *gic, uint32_t intid);

#endif /* SIM_GIC_H */

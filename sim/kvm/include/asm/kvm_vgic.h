/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED (minimal subset): include/kvm/arm_vgic.h, Linux 5.14
 * (under asm/ here: the kernel halves may include only linux/, asm/, proto/). Driving a
 * private interrupt line of a vCPU, over the simulated GICv3: a level PPI is
 * pending while its line is high; only a change of level has an effect.
 */
#ifndef __ASM_KVM_VGIC_H
#define __ASM_KVM_VGIC_H

#include <linux/types.h>

struct kvm;
struct kvm_vcpu;

#define VGIC_NR_SGIS 16
#define VGIC_NR_PPIS 16
#define VGIC_NR_PRIVATE_IRQS (VGIC_NR_SGIS + VGIC_NR_PPIS)

/* The simulated platform always has the in-kernel GICv3. */
#define irqchip_in_kernel(k) ((void)(k), true)

/*
 * kvm_vgic_inject_irq() - set the line of @intid of vCPU @cpuid to @level
 * and kick it. @owner is not checked.
 * Return: 0, -EINVAL for a bad vCPU or INTID.
 */
int kvm_vgic_inject_irq(struct kvm *kvm, int cpuid, unsigned int intid, bool level,
			void *owner);

/*
 * kvm_vgic_vcpu_pending_irq() - would @vcpu take an interrupt if it ran
 * (one pending, enabled and above the priority mask)?
 */
bool kvm_vgic_vcpu_pending_irq(struct kvm_vcpu *vcpu);

#endif /* __ASM_KVM_VGIC_H */

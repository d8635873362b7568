/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/kvm/arm_hypercalls.h, Linux 5.14 (under asm/ here: the
 * kernel halves may include only linux/, asm/ and proto/ headers). The registers of a
 * hypercall as KVM reads them: the vCPU's x0..x3, all 64 bits (an SMC32
 * caller's junk in the upper halves is visible here, as in KVM).
 * smccc_set_retval() sets the four results. Implemented by sim/kvm over the
 * simulated platform's register file.
 */
#ifndef __ASM_KVM_HYPERCALLS_H
#define __ASM_KVM_HYPERCALLS_H

#include <linux/types.h>

struct kvm_vcpu;

u32 smccc_get_function(struct kvm_vcpu *vcpu);
unsigned long smccc_get_arg1(struct kvm_vcpu *vcpu);
unsigned long smccc_get_arg2(struct kvm_vcpu *vcpu);
unsigned long smccc_get_arg3(struct kvm_vcpu *vcpu);
void smccc_set_retval(struct kvm_vcpu *vcpu, unsigned long a0, unsigned long a1,
		      unsigned long a2, unsigned long a3);

#endif /* __ASM_KVM_HYPERCALLS_H */

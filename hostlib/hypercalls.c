// SPDX-License-Identifier: MIT
/*
 * The KVM vendor-hypervisor service of the arm64 host (the vendor part of
 * arch/arm64/kvm/hypercalls.c, Linux 5.14 with the series' patches 08/09),
 * written anew: CALL_UID, FEATURES, PTP and ASYNC_PF [R§2.2, R§2.3].
 * Anything else answers NOT_SUPPORTED with a1..a3 = 0.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/kvm_host.h>
#include <asm/kvm_hypercalls.h>

#include <proto/smccc.h>

#include "async_pf.h"

/*
 * PTP: the guest's wall clock and counter at one instant, each as two
 * 32-bit halves. The simulated counter runs at 1 GHz from 0, CNTVOFF is 0.
 */
static void kvm_ptp_get_time(struct kvm_vcpu *vcpu, u64 *val)
{
	u64 ns = ktime_get_ns();
	u64 cycles;

	switch (smccc_get_arg1(vcpu)) {
	case PROTO_KVM_PTP_VIRT_COUNTER:
	case PROTO_KVM_PTP_PHYS_COUNTER:
		cycles = ns;
		break;
	default:
		return;
	}
	val[0] = upper_32_bits(ns);
	val[1] = lower_32_bits(ns);
	val[2] = upper_32_bits(cycles);
	val[3] = lower_32_bits(cycles);
}

/**
 * kvm_hvc_call_handler() - one call to the vendor-hypervisor service.
 * @vcpu: the calling vCPU; x0..x3 hold the call.
 *
 * FEATURES reports FEATURES and PTP, and ASYNC_PF when this vCPU has
 * async-PF state (the bit is per vCPU [R§2.2]).
 *
 * Context: the vCPU's thread.
 * Return: 1 (resume the guest).
 */
int kvm_hvc_call_handler(struct kvm_vcpu *vcpu)
{
	u64 val[4] = { (u64)(long)PROTO_SMCCC_RET_NOT_SUPPORTED, 0, 0, 0 };

	switch (smccc_get_function(vcpu)) {
	case PROTO_ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID:
		val[0] = PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0;
		val[1] = PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1;
		val[2] = PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2;
		val[3] = PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3;
		break;
	case PROTO_ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID:
		val[0] = BIT(PROTO_ARM_SMCCC_KVM_FUNC_FEATURES) | BIT(PROTO_ARM_SMCCC_KVM_FUNC_PTP);
		if (vcpu->arch.apf)
			val[0] |= BIT(PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF);
		break;
	case PROTO_ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID:
		kvm_ptp_get_time(vcpu, val);
		break;
	case PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID:
		kvm_async_pf_hypercall(vcpu, val);
		break;
	default:
		break;
	}
	smccc_set_retval(vcpu, val[0], val[1], val[2], val[3]);
	return 1;
}

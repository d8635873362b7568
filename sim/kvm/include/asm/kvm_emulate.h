/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED (minimal subset): arch/arm64/include/asm/kvm_emulate.h and the
 * ESR fields of asm/esr.h, Linux 5.14. Decoding the last stage-2 abort and
 * the vCPU's exception level. The register file lives in the simulated
 * platform; vcpu_mode_priv() is implemented by sim/kvm.
 */
#ifndef __ARM64_KVM_EMULATE_H__
#define __ARM64_KVM_EMULATE_H__

#include <linux/kvm_host.h>
#include <linux/types.h>

#define ESR_ELx_EC_SHIFT 26
#define ESR_ELx_EC_MASK (0x3FUL << ESR_ELx_EC_SHIFT)
#define ESR_ELx_EC(esr) (((esr) & ESR_ELx_EC_MASK) >> ESR_ELx_EC_SHIFT)
#define ESR_ELx_EC_IABT_LOW 0x20UL
#define ESR_ELx_EC_DABT_LOW 0x24UL
#define ESR_ELx_IL (1UL << 25)
#define ESR_ELx_S1PTW (1UL << 7)
#define ESR_ELx_WNR (1UL << 6)

/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]. */
#define HPFAR_MASK (~0xFUL)

/* vcpu_mode_priv() - is the vCPU at EL1 (PSTATE.M), not EL0? */
bool vcpu_mode_priv(const struct kvm_vcpu *vcpu);

static inline u32 kvm_vcpu_get_esr(const struct kvm_vcpu *vcpu)
{
	return vcpu->arch.fault.esr_el2;
}

static inline u64 kvm_vcpu_get_hfar(const struct kvm_vcpu *vcpu)
{
	return vcpu->arch.fault.far_el2;
}

static inline gpa_t kvm_vcpu_get_fault_ipa(const struct kvm_vcpu *vcpu)
{
	return ((gpa_t)vcpu->arch.fault.hpfar_el2 & HPFAR_MASK) << 8;
}

static inline u8 kvm_vcpu_trap_get_class(const struct kvm_vcpu *vcpu)
{
	return ESR_ELx_EC(kvm_vcpu_get_esr(vcpu));
}

static inline bool kvm_vcpu_trap_is_iabt(const struct kvm_vcpu *vcpu)
{
	return kvm_vcpu_trap_get_class(vcpu) == ESR_ELx_EC_IABT_LOW;
}

static inline bool kvm_vcpu_abt_iss1tw(const struct kvm_vcpu *vcpu)
{
	return !!(kvm_vcpu_get_esr(vcpu) & ESR_ELx_S1PTW);
}

static inline bool kvm_vcpu_dabt_iswrite(const struct kvm_vcpu *vcpu)
{
	return !!(kvm_vcpu_get_esr(vcpu) & ESR_ELx_WNR) || kvm_vcpu_abt_iss1tw(vcpu);
}

/* kvm_is_write_fault() as in 5.14: page-table walks write, fetches read. */
static inline bool kvm_is_write_fault(const struct kvm_vcpu *vcpu)
{
	if (kvm_vcpu_abt_iss1tw(vcpu))
		return true;
	if (kvm_vcpu_trap_is_iabt(vcpu))
		return false;
	return kvm_vcpu_dabt_iswrite(vcpu);
}

#endif /* __ARM64_KVM_EMULATE_H__ */

// SPDX-License-Identifier: MIT
/*
 * SMCCC calls of the kernel-API layer: arm_smccc_1_1_invoke() and friends
 * as HVCs through the platform's conduit, the SMCCC version, and the KVM
 * guest service discovery of drivers/firmware/smccc/kvm_guest.c [R§2.2].
 */
#include <string.h>

#include <linux/arm-smccc.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/kshim.h>
#include <linux/printk.h>

#include "kshim_platform.h"
#include "sim/assert.h"
#include "sim/sim.h"

/**
 * kshim_smccc_call() - see <linux/arm-smccc.h>.
 */
enum arm_smccc_conduit kshim_smccc_call(unsigned int count, const unsigned long x[8],
					struct arm_smccc_res *res)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct sim_smccc_regs regs;
	int vcpu = sim_self_vcpu();
	unsigned int i;

	SIM_ASSERT(count >= 1 && count <= 8);
	SIM_ASSERT(x != NULL);
	if (plat == NULL || vcpu < 0) {
		WARN(plat != NULL, "SMCCC call %#lx from a thread with no CPU", x[0]);
		if (res != NULL)
			*res = (struct arm_smccc_res){
				.a0 = (unsigned long)SMCCC_RET_NOT_SUPPORTED,
			};
		return SMCCC_CONDUIT_NONE;
	}
	memset(&regs, 0, sizeof(regs));
	for (i = 0; i < count; i++)
		regs.x[i] = x[i];
	if (!kshim__hvc(plat, &regs))
		WARN(1, "SMCCC call %#lx did not return (an SDEI completion outside the client)",
		     x[0]);
	if (res != NULL)
		*res = (struct arm_smccc_res){
			.a0 = regs.a[0], .a1 = regs.a[1], .a2 = regs.a[2], .a3 = regs.a[3],
		};
	return SMCCC_CONDUIT_HVC;
}

/**
 * arm_smccc_1_1_get_conduit() - see <linux/arm-smccc.h>.
 */
enum arm_smccc_conduit arm_smccc_1_1_get_conduit(void)
{
	if (kshim__plat_self() == NULL || sim_self_vcpu() < 0)
		return SMCCC_CONDUIT_NONE;
	return SMCCC_CONDUIT_HVC;
}

/**
 * arm_smccc_get_version() - see <linux/arm-smccc.h>.
 */
u32 arm_smccc_get_version(void)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct arm_smccc_res res;

	if (plat == NULL)
		return ARM_SMCCC_VERSION_1_0;
	if (plat->smccc_version != 0)
		return plat->smccc_version;
	if (arm_smccc_1_1_invoke(ARM_SMCCC_VERSION_FUNC_ID, &res) != SMCCC_CONDUIT_HVC)
		return ARM_SMCCC_VERSION_1_0;
	plat->smccc_version = (long)res.a0 < 0 ? ARM_SMCCC_VERSION_1_0 : (u32)res.a0;
	return plat->smccc_version;
}

/**
 * kvm_init_hyp_services() - see <linux/arm-smccc.h>: needs SMCCC >= 1.1
 * over HVC and KVM's UID in all four words, then keeps the FEATURES bitmap
 * (low 32 bits of each result register).
 */
void kvm_init_hyp_services(void)
{
	struct kshim_plat *plat = kshim__plat_self();
	struct arm_smccc_res res;
	uint32_t i;

	if (plat == NULL || arm_smccc_1_1_get_conduit() != SMCCC_CONDUIT_HVC ||
	    arm_smccc_get_version() < ARM_SMCCC_VERSION_1_1)
		return;
	plat->hyp_services_probed = true;
	for (i = 0; i < 4; i++)
		plat->hyp_services[i] = 0;
	arm_smccc_1_1_invoke(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &res);
	if (res.a0 != ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0 ||
	    res.a1 != ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1 ||
	    res.a2 != ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2 ||
	    res.a3 != ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3)
		return;
	memset(&res, 0, sizeof(res));
	arm_smccc_1_1_invoke(ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID, &res);
	plat->hyp_services[0] = (u32)res.a0;
	plat->hyp_services[1] = (u32)res.a1;
	plat->hyp_services[2] = (u32)res.a2;
	plat->hyp_services[3] = (u32)res.a3;
	pr_info("hypervisor services detected (0x%08lx 0x%08lx 0x%08lx 0x%08lx)\n", res.a3,
		res.a2, res.a1, res.a0);
}

/**
 * kvm_arm_hyp_service_available() - see <linux/arm-smccc.h>.
 */
bool kvm_arm_hyp_service_available(u32 func_id)
{
	struct kshim_plat *plat = kshim__plat_self();

	if (plat == NULL || func_id >= ARM_SMCCC_KVM_NUM_FUNCS)
		return false;
	if (!plat->hyp_services_probed)
		kvm_init_hyp_services();
	return (plat->hyp_services[func_id / 32] >> (func_id % 32)) & 1u;
}

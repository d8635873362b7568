/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/arm-smccc.h (kernel part) and the KVM guest
 * discovery of drivers/firmware/smccc/kvm_guest.c. Every value is an alias
 * of the PROTO_ name in proto/smccc.h (the ABI is defined once, there).
 * arm_smccc_1_1_invoke() and arm_smccc_1_1_hvc() take the function ID, up
 * to seven arguments (x1..x7) and a struct arm_smccc_res pointer (may be
 * NULL), and make an HVC from the calling vCPU through the platform's
 * conduit, which truncates the arguments of SMC32 function IDs to 32 bits.
 */
#ifndef __LINUX_ARM_SMCCC_H
#define __LINUX_ARM_SMCCC_H

#include <linux/types.h>
#include <proto/smccc.h>

#define ARM_SMCCC_STD_CALL PROTO_ARM_SMCCC_STD_CALL
#define ARM_SMCCC_FAST_CALL PROTO_ARM_SMCCC_FAST_CALL
#define ARM_SMCCC_TYPE_SHIFT PROTO_ARM_SMCCC_TYPE_SHIFT
#define ARM_SMCCC_SMC_32 PROTO_ARM_SMCCC_SMC_32
#define ARM_SMCCC_SMC_64 PROTO_ARM_SMCCC_SMC_64
#define ARM_SMCCC_CALL_CONV_SHIFT PROTO_ARM_SMCCC_CALL_CONV_SHIFT
#define ARM_SMCCC_OWNER_MASK PROTO_ARM_SMCCC_OWNER_MASK
#define ARM_SMCCC_OWNER_SHIFT PROTO_ARM_SMCCC_OWNER_SHIFT
#define ARM_SMCCC_FUNC_MASK PROTO_ARM_SMCCC_FUNC_MASK
#define ARM_SMCCC_IS_FAST_CALL(smc_val) proto_smccc_is_fast_call((__u32)(smc_val))
#define ARM_SMCCC_IS_64(smc_val) proto_smccc_is_64((__u32)(smc_val))
#define ARM_SMCCC_FUNC_NUM(smc_val) proto_smccc_func_num((__u32)(smc_val))
#define ARM_SMCCC_OWNER_NUM(smc_val) proto_smccc_owner_num((__u32)(smc_val))
#define ARM_SMCCC_CALL_VAL(type, calling_convention, owner, func_num) \
	PROTO_ARM_SMCCC_CALL_VAL(type, calling_convention, owner, func_num)

#define ARM_SMCCC_OWNER_ARCH PROTO_ARM_SMCCC_OWNER_ARCH
#define ARM_SMCCC_OWNER_CPU PROTO_ARM_SMCCC_OWNER_CPU
#define ARM_SMCCC_OWNER_SIP PROTO_ARM_SMCCC_OWNER_SIP
#define ARM_SMCCC_OWNER_OEM PROTO_ARM_SMCCC_OWNER_OEM
#define ARM_SMCCC_OWNER_STANDARD PROTO_ARM_SMCCC_OWNER_STANDARD
#define ARM_SMCCC_OWNER_STANDARD_HYP PROTO_ARM_SMCCC_OWNER_STANDARD_HYP
#define ARM_SMCCC_OWNER_VENDOR_HYP PROTO_ARM_SMCCC_OWNER_VENDOR_HYP
#define ARM_SMCCC_OWNER_TRUSTED_APP PROTO_ARM_SMCCC_OWNER_TRUSTED_APP
#define ARM_SMCCC_OWNER_TRUSTED_APP_END PROTO_ARM_SMCCC_OWNER_TRUSTED_APP_END
#define ARM_SMCCC_OWNER_TRUSTED_OS PROTO_ARM_SMCCC_OWNER_TRUSTED_OS
#define ARM_SMCCC_OWNER_TRUSTED_OS_END PROTO_ARM_SMCCC_OWNER_TRUSTED_OS_END

#define ARM_SMCCC_FUNC_QUERY_CALL_UID PROTO_ARM_SMCCC_FUNC_QUERY_CALL_UID
#define ARM_SMCCC_VERSION_1_0 PROTO_ARM_SMCCC_VERSION_1_0
#define ARM_SMCCC_VERSION_1_1 PROTO_ARM_SMCCC_VERSION_1_1
#define ARM_SMCCC_VERSION_1_2 PROTO_ARM_SMCCC_VERSION_1_2
#define ARM_SMCCC_VERSION_1_3 PROTO_ARM_SMCCC_VERSION_1_3
#define ARM_SMCCC_VERSION_FUNC_ID PROTO_ARM_SMCCC_VERSION_FUNC_ID
#define ARM_SMCCC_ARCH_FEATURES_FUNC_ID PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID

#define SMCCC_RET_SUCCESS PROTO_SMCCC_RET_SUCCESS
#define SMCCC_RET_NOT_SUPPORTED PROTO_SMCCC_RET_NOT_SUPPORTED
#define SMCCC_RET_NOT_REQUIRED PROTO_SMCCC_RET_NOT_REQUIRED
#define SMCCC_RET_INVALID_PARAMETER PROTO_SMCCC_RET_INVALID_PARAMETER

/* KVM vendor-hypervisor service [R§2.2] and the async-PF function [R§2.3]. */
#define ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID PROTO_ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID
#define ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0 PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0
#define ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1 PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1
#define ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2 PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2
#define ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3 PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3
#define ARM_SMCCC_KVM_FUNC_FEATURES PROTO_ARM_SMCCC_KVM_FUNC_FEATURES
#define ARM_SMCCC_KVM_FUNC_PTP PROTO_ARM_SMCCC_KVM_FUNC_PTP
#define ARM_SMCCC_KVM_FUNC_ASYNC_PF PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF
#define ARM_SMCCC_KVM_FUNC_FEATURES_2 PROTO_ARM_SMCCC_KVM_FUNC_FEATURES_2
#define ARM_SMCCC_KVM_NUM_FUNCS PROTO_ARM_SMCCC_KVM_NUM_FUNCS
#define ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID PROTO_ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID
#define ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID PROTO_ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID
#define ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID
#define ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION
#define ARM_SMCCC_KVM_FUNC_ASYNC_PF_SLOTS PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SLOTS
#define ARM_SMCCC_KVM_FUNC_ASYNC_PF_SDEI PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SDEI
#define ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ
#define ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE
#define ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK
#define KVM_PTP_VIRT_COUNTER PROTO_KVM_PTP_VIRT_COUNTER
#define KVM_PTP_PHYS_COUNTER PROTO_KVM_PTP_PHYS_COUNTER

enum arm_smccc_conduit {
	SMCCC_CONDUIT_NONE,
	SMCCC_CONDUIT_SMC,
	SMCCC_CONDUIT_HVC,
};

struct arm_smccc_res {
	unsigned long a0;
	unsigned long a1;
	unsigned long a2;
	unsigned long a3;
};

/* HVC when the platform is attached and the caller runs on a vCPU, else NONE. */
enum arm_smccc_conduit arm_smccc_1_1_get_conduit(void);
/* SMCCC_VERSION (probed once per execution); ARM_SMCCC_VERSION_1_0 without a conduit. */
u32 arm_smccc_get_version(void);
/* CALL_UID must be KVM's, then the FEATURES bitmap is kept [R§2.2]. */
void kvm_init_hyp_services(void);
/* Bit @func_id of that bitmap (probed on first use if nobody called the init). */
bool kvm_arm_hyp_service_available(u32 func_id);

/*
 * One call: @count registers x0.. from @x (the rest 0). Without a conduit
 * a0 = SMCCC_RET_NOT_SUPPORTED (a WARN for a guest thread without it).
 */
enum arm_smccc_conduit kshim_smccc_call(unsigned int count, const unsigned long x[8],
					struct arm_smccc_res *res);

#define __KSHIM_SMCCC_NARGS(...) __KSHIM_SMCCC_NARGS_(__VA_ARGS__, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define __KSHIM_SMCCC_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, n, ...) n
#define __KSHIM_SMCCC_CAT(a, b) __KSHIM_SMCCC_CAT_(a, b)
#define __KSHIM_SMCCC_CAT_(a, b) a##b
#define __kshim_ul(v) ((unsigned long)(v))

#define __kshim_smccc_2(f, res) \
	kshim_smccc_call(1, (const unsigned long[8]){ __kshim_ul(f) }, (res))
#define __kshim_smccc_3(f, a1, res) \
	kshim_smccc_call(2, (const unsigned long[8]){ __kshim_ul(f), __kshim_ul(a1) }, (res))
#define __kshim_smccc_4(f, a1, a2, res)                                                      \
	kshim_smccc_call(3, (const unsigned long[8]){ __kshim_ul(f), __kshim_ul(a1),          \
						       __kshim_ul(a2) },                      \
			 (res))
#define __kshim_smccc_5(f, a1, a2, a3, res)                                                  \
	kshim_smccc_call(4, (const unsigned long[8]){ __kshim_ul(f), __kshim_ul(a1),          \
						       __kshim_ul(a2), __kshim_ul(a3) },      \
			 (res))
#define __kshim_smccc_6(f, a1, a2, a3, a4, res)                                              \
	kshim_smccc_call(5, (const unsigned long[8]){ __kshim_ul(f), __kshim_ul(a1),          \
						       __kshim_ul(a2), __kshim_ul(a3),        \
						       __kshim_ul(a4) },                      \
			 (res))
#define __kshim_smccc_7(f, a1, a2, a3, a4, a5, res)                                          \
	kshim_smccc_call(6, (const unsigned long[8]){ __kshim_ul(f), __kshim_ul(a1),          \
						       __kshim_ul(a2), __kshim_ul(a3),        \
						       __kshim_ul(a4), __kshim_ul(a5) },      \
			 (res))
#define __kshim_smccc_8(f, a1, a2, a3, a4, a5, a6, res)                                      \
	kshim_smccc_call(7, (const unsigned long[8]){ __kshim_ul(f), __kshim_ul(a1),          \
						       __kshim_ul(a2), __kshim_ul(a3),        \
						       __kshim_ul(a4), __kshim_ul(a5),        \
						       __kshim_ul(a6) },                      \
			 (res))
#define __kshim_smccc_9(f, a1, a2, a3, a4, a5, a6, a7, res)                                  \
	kshim_smccc_call(8, (const unsigned long[8]){ __kshim_ul(f), __kshim_ul(a1),          \
						       __kshim_ul(a2), __kshim_ul(a3),        \
						       __kshim_ul(a4), __kshim_ul(a5),        \
						       __kshim_ul(a6), __kshim_ul(a7) },      \
			 (res))

/* Returns the conduit used (SMCCC_CONDUIT_NONE: no call was made). */
#define arm_smccc_1_1_invoke(...) \
	__KSHIM_SMCCC_CAT(__kshim_smccc_, __KSHIM_SMCCC_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define arm_smccc_1_1_hvc(...) ((void)arm_smccc_1_1_invoke(__VA_ARGS__))
/* The SMCCC 1.0 form: always eight registers. */
#define arm_smccc_hvc(a0, a1, a2, a3, a4, a5, a6, a7, res) \
	((void)__kshim_smccc_9(a0, a1, a2, a3, a4, a5, a6, a7, res))

#endif /* __LINUX_ARM_SMCCC_H */

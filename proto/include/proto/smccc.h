/* SPDX-License-Identifier: MIT */
/*
 * Arm SMC Calling Convention (DEN0028) as seen by a KVM guest, and the KVM
 * vendor-hypervisor service, including the async-PF function of the arm64
 * async page fault series (v4, 2021).
 *
 * Sources: Linux include/linux/arm-smccc.h (6.1, "up-to-date with DEN 0028
 * C"), drivers/firmware/smccc/kvm_guest.c, and the async-PF series patches
 * 08/09 (see docs/abi.md). Names are PROTO_ + the Linux spelling; names the
 * async-PF series introduced keep the series' spelling.
 *
 * Register convention: x0 carries the function ID and returns a0, x1..x7 the
 * arguments; results come back in x0..x3. Return codes are negative values
 * returned in 64-bit registers, so NOT_SUPPORTED reads as ~0ull.
 */
#ifndef PROTO_SMCCC_H
#define PROTO_SMCCC_H

#include "proto/abi.h"

/* Function-ID fields. */
#define PROTO_ARM_SMCCC_STD_CALL 0U /* yielding call */
#define PROTO_ARM_SMCCC_FAST_CALL 1U
#define PROTO_ARM_SMCCC_TYPE_SHIFT 31

#define PROTO_ARM_SMCCC_SMC_32 0
#define PROTO_ARM_SMCCC_SMC_64 1
#define PROTO_ARM_SMCCC_CALL_CONV_SHIFT 30

#define PROTO_ARM_SMCCC_OWNER_MASK 0x3F
#define PROTO_ARM_SMCCC_OWNER_SHIFT 24

#define PROTO_ARM_SMCCC_FUNC_MASK 0xFFFF

/* Bit 16: SMCCC 1.3 hint that the caller holds no live SVE state. */
#define PROTO_ARM_SMCCC_1_3_SVE_HINT 0x10000

/*
 * Composes a function ID. A macro rather than a function so that IDs stay
 * integer constant expressions (usable in case labels and static asserts).
 */
#define PROTO_ARM_SMCCC_CALL_VAL(type, calling_convention, owner, func_num)  \
	((((__u32)(type)) << PROTO_ARM_SMCCC_TYPE_SHIFT) |                   \
	 (((__u32)(calling_convention)) << PROTO_ARM_SMCCC_CALL_CONV_SHIFT) | \
	 ((((__u32)(owner)) & PROTO_ARM_SMCCC_OWNER_MASK)                    \
	  << PROTO_ARM_SMCCC_OWNER_SHIFT) |                                  \
	 (((__u32)(func_num)) & PROTO_ARM_SMCCC_FUNC_MASK))

/* Owning entities (bits 29:24). */
#define PROTO_ARM_SMCCC_OWNER_ARCH 0
#define PROTO_ARM_SMCCC_OWNER_CPU 1
#define PROTO_ARM_SMCCC_OWNER_SIP 2
#define PROTO_ARM_SMCCC_OWNER_OEM 3
#define PROTO_ARM_SMCCC_OWNER_STANDARD 4 /* PSCI, SDEI, TRNG */
#define PROTO_ARM_SMCCC_OWNER_STANDARD_HYP 5
#define PROTO_ARM_SMCCC_OWNER_VENDOR_HYP 6 /* KVM's own services */
#define PROTO_ARM_SMCCC_OWNER_TRUSTED_APP 48
#define PROTO_ARM_SMCCC_OWNER_TRUSTED_APP_END 49
#define PROTO_ARM_SMCCC_OWNER_TRUSTED_OS 50
#define PROTO_ARM_SMCCC_OWNER_TRUSTED_OS_END 63

/* Return codes, in a0. */
#define PROTO_SMCCC_RET_SUCCESS 0
#define PROTO_SMCCC_RET_NOT_SUPPORTED (-1)
#define PROTO_SMCCC_RET_NOT_REQUIRED (-2)
#define PROTO_SMCCC_RET_INVALID_PARAMETER (-3)

/* SMCCC_VERSION results: major in bits 30:16, minor in 15:0. */
#define PROTO_ARM_SMCCC_VERSION_1_0 0x10000
#define PROTO_ARM_SMCCC_VERSION_1_1 0x10001
#define PROTO_ARM_SMCCC_VERSION_1_2 0x10002
#define PROTO_ARM_SMCCC_VERSION_1_3 0x10003

/* Function number every service uses for "return your UID" (x0..x3). */
#define PROTO_ARM_SMCCC_FUNC_QUERY_CALL_UID 0xff01

/* Arm architecture calls (owner ARCH, fast, SMC32). */
#define PROTO_ARM_SMCCC_VERSION_FUNC_ID                                        \
	PROTO_ARM_SMCCC_CALL_VAL(PROTO_ARM_SMCCC_FAST_CALL, PROTO_ARM_SMCCC_SMC_32, \
				 PROTO_ARM_SMCCC_OWNER_ARCH, 0)
#define PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID                                  \
	PROTO_ARM_SMCCC_CALL_VAL(PROTO_ARM_SMCCC_FAST_CALL, PROTO_ARM_SMCCC_SMC_32, \
				 PROTO_ARM_SMCCC_OWNER_ARCH, 1)

/*
 * KVM vendor-hypervisor service (owner VENDOR_HYP, fast, SMC32). A guest
 * requires SMCCC >= 1.1 with the HVC conduit, compares the four UID words
 * returned in a0..a3 by CALL_UID, then reads the FEATURES bitmap: a0 bit n
 * is set when KVM function n is available (a1..a3 cover 32..127).
 */
#define PROTO_ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID                            \
	PROTO_ARM_SMCCC_CALL_VAL(PROTO_ARM_SMCCC_FAST_CALL, PROTO_ARM_SMCCC_SMC_32, \
				 PROTO_ARM_SMCCC_OWNER_VENDOR_HYP,                 \
				 PROTO_ARM_SMCCC_FUNC_QUERY_CALL_UID)

/* KVM UID 28b46fb6-2ec5-11e9-a9ca-4b564d003a74 as returned in a0..a3. */
#define PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0 0xb66fb428U
#define PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1 0xe911c52eU
#define PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2 0x564bcaa9U
#define PROTO_ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3 0x743a004dU

/* KVM vendor function numbers. */
#define PROTO_ARM_SMCCC_KVM_FUNC_FEATURES 0
#define PROTO_ARM_SMCCC_KVM_FUNC_PTP 1
/*
 * Async PF, from the v4 series (patch 08). Upstream Linux later gave
 * function 2 to ARM_SMCCC_KVM_FUNC_HYP_MEMINFO (pKVM), so this number is
 * only meaningful for the series' ABI.
 */
#define PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF 2
#define PROTO_ARM_SMCCC_KVM_FUNC_FEATURES_2 127
#define PROTO_ARM_SMCCC_KVM_NUM_FUNCS 128

#define PROTO_ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID                        \
	PROTO_ARM_SMCCC_CALL_VAL(PROTO_ARM_SMCCC_FAST_CALL, PROTO_ARM_SMCCC_SMC_32, \
				 PROTO_ARM_SMCCC_OWNER_VENDOR_HYP,                 \
				 PROTO_ARM_SMCCC_KVM_FUNC_FEATURES)
#define PROTO_ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID                             \
	PROTO_ARM_SMCCC_CALL_VAL(PROTO_ARM_SMCCC_FAST_CALL, PROTO_ARM_SMCCC_SMC_32, \
				 PROTO_ARM_SMCCC_OWNER_VENDOR_HYP,                 \
				 PROTO_ARM_SMCCC_KVM_FUNC_PTP)
#define PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID                        \
	PROTO_ARM_SMCCC_CALL_VAL(PROTO_ARM_SMCCC_FAST_CALL, PROTO_ARM_SMCCC_SMC_32, \
				 PROTO_ARM_SMCCC_OWNER_VENDOR_HYP,                 \
				 PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF)

/* ptp_kvm counter selectors (x1 of the PTP call). */
#define PROTO_KVM_PTP_VIRT_COUNTER 0
#define PROTO_KVM_PTP_PHYS_COUNTER 1

/*
 * ASYNC_PF sub-functions, passed in x1; x2/x3 carry arguments. A vCPU
 * without async-PF state, or an unknown sub-function, gets NOT_SUPPORTED.
 *   VERSION  a1 = PROTO_KVM_ASYNC_PF_VERSION
 *   SLOTS    a1 = PROTO_ASYNC_PF_PER_VCPU (proto/apf.h)
 *   SDEI     a1 = SDEI event number set by the VMM (0 if never set)
 *   IRQ      a1 = PPI INTID set by the VMM (0 if never set)
 *   ENABLE   x2 = low 32 bits, x3 = high 32 bits of (GPA | flags)
 *   IRQ_ACK  always SUCCESS, even with nothing pending
 */
#define PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_VERSION 0
#define PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SLOTS 1
#define PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_SDEI 2
#define PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ 3
#define PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_ENABLE 4
#define PROTO_ARM_SMCCC_KVM_FUNC_ASYNC_PF_IRQ_ACK 5

/* Async-PF protocol version: major 23:16, minor 15:8, revision 7:0. */
#define PROTO_KVM_ASYNC_PF_VERSION_MAJOR_SHIFT 16
#define PROTO_KVM_ASYNC_PF_VERSION_MINOR_SHIFT 8
#define PROTO_KVM_ASYNC_PF_VERSION_REVISION_SHIFT 0
#define PROTO_KVM_ASYNC_PF_VERSION_FIELD_MASK 0xFFU
/* A guest rejects a VERSION result with any of bits 63:24 set. */
#define PROTO_KVM_ASYNC_PF_VERSION_RESERVED_MASK 0xFFFFFFFFFF000000ULL
#define PROTO_KVM_ASYNC_PF_VERSION 0x010000 /* 1.0.0 */

PROTO_ASSERT_VALUE(PROTO_ARM_SMCCC_VERSION_FUNC_ID, 0x80000000U);
PROTO_ASSERT_VALUE(PROTO_ARM_SMCCC_ARCH_FEATURES_FUNC_ID, 0x80000001U);
PROTO_ASSERT_VALUE(PROTO_ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, 0x8600FF01U);
PROTO_ASSERT_VALUE(PROTO_ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID, 0x86000000U);
PROTO_ASSERT_VALUE(PROTO_ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID, 0x86000001U);
PROTO_ASSERT_VALUE(PROTO_ARM_SMCCC_VENDOR_HYP_KVM_ASYNC_PF_FUNC_ID, 0x86000002U);

/* Decoders of a function ID (x0 as seen by the conduit). */
static inline _Bool proto_smccc_is_fast_call(__u32 func_id)
{
	return (func_id >> PROTO_ARM_SMCCC_TYPE_SHIFT) & 1U;
}

static inline _Bool proto_smccc_is_64(__u32 func_id)
{
	return (func_id >> PROTO_ARM_SMCCC_CALL_CONV_SHIFT) & 1U;
}

static inline __u32 proto_smccc_owner_num(__u32 func_id)
{
	return (func_id >> PROTO_ARM_SMCCC_OWNER_SHIFT) & PROTO_ARM_SMCCC_OWNER_MASK;
}

static inline __u32 proto_smccc_func_num(__u32 func_id)
{
	return func_id & PROTO_ARM_SMCCC_FUNC_MASK;
}

/* Encoder with the same result as PROTO_ARM_SMCCC_CALL_VAL, for run-time values. */
static inline __u32 proto_smccc_call_val(_Bool fast, _Bool smc64, __u32 owner, __u32 func_num)
{
	return PROTO_ARM_SMCCC_CALL_VAL(fast, smc64, owner, func_num);
}

/* True when bit @func_num of the KVM FEATURES bitmap in a0..a3 is set. */
static inline _Bool proto_smccc_kvm_feature_test(const __u64 regs[4], __u32 func_num)
{
	if (func_num >= PROTO_ARM_SMCCC_KVM_NUM_FUNCS)
		return 0;
	/* The guest uses only the low 32 bits of each result register. */
	return (regs[func_num / 32] >> (func_num % 32)) & 1U;
}

static inline __u32 proto_kvm_async_pf_version_make(__u32 major, __u32 minor, __u32 revision)
{
	return ((major & PROTO_KVM_ASYNC_PF_VERSION_FIELD_MASK)
		<< PROTO_KVM_ASYNC_PF_VERSION_MAJOR_SHIFT) |
	       ((minor & PROTO_KVM_ASYNC_PF_VERSION_FIELD_MASK)
		<< PROTO_KVM_ASYNC_PF_VERSION_MINOR_SHIFT) |
	       ((revision & PROTO_KVM_ASYNC_PF_VERSION_FIELD_MASK)
		<< PROTO_KVM_ASYNC_PF_VERSION_REVISION_SHIFT);
}

static inline __u32 proto_kvm_async_pf_version_major(__u64 version)
{
	return (version >> PROTO_KVM_ASYNC_PF_VERSION_MAJOR_SHIFT) &
	       PROTO_KVM_ASYNC_PF_VERSION_FIELD_MASK;
}

static inline __u32 proto_kvm_async_pf_version_minor(__u64 version)
{
	return (version >> PROTO_KVM_ASYNC_PF_VERSION_MINOR_SHIFT) &
	       PROTO_KVM_ASYNC_PF_VERSION_FIELD_MASK;
}

static inline __u32 proto_kvm_async_pf_version_revision(__u64 version)
{
	return (version >> PROTO_KVM_ASYNC_PF_VERSION_REVISION_SHIFT) &
	       PROTO_KVM_ASYNC_PF_VERSION_FIELD_MASK;
}

#endif /* PROTO_SMCCC_H */

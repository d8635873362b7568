/* SPDX-License-Identifier: MIT */
/*
 * The subset of the Arm Power State Coordination Interface (DEN0022) that the
 * simulated platform implements: version, CPU on/off, affinity info, system
 * off/reset, features. PSCI functions are fast calls of the STANDARD owner;
 * calls that take an address or an MPIDR exist as SMC64 variants (FN64).
 *
 * Source: Linux uapi <linux/psci.h> (linux-libc-dev); names are PROTO_ + the
 * Linux spelling and every value is cross-checked against that header.
 */
#ifndef PROTO_PSCI_H
#define PROTO_PSCI_H

#include "proto/abi.h"
#include "proto/smccc.h"

#define PROTO_PSCI_0_2_FN_BASE                                                 \
	PROTO_ARM_SMCCC_CALL_VAL(PROTO_ARM_SMCCC_FAST_CALL, PROTO_ARM_SMCCC_SMC_32, \
				 PROTO_ARM_SMCCC_OWNER_STANDARD, 0)
#define PROTO_PSCI_0_2_FN(n) (PROTO_PSCI_0_2_FN_BASE + (n))
#define PROTO_PSCI_0_2_64BIT 0x40000000 /* bit 30: SMC64 */
#define PROTO_PSCI_0_2_FN64_BASE (PROTO_PSCI_0_2_FN_BASE + PROTO_PSCI_0_2_64BIT)
#define PROTO_PSCI_0_2_FN64(n) (PROTO_PSCI_0_2_FN64_BASE + (n))

#define PROTO_PSCI_0_2_FN_PSCI_VERSION PROTO_PSCI_0_2_FN(0)
#define PROTO_PSCI_0_2_FN_CPU_SUSPEND PROTO_PSCI_0_2_FN(1)
#define PROTO_PSCI_0_2_FN_CPU_OFF PROTO_PSCI_0_2_FN(2)
#define PROTO_PSCI_0_2_FN_CPU_ON PROTO_PSCI_0_2_FN(3)
#define PROTO_PSCI_0_2_FN_AFFINITY_INFO PROTO_PSCI_0_2_FN(4)
#define PROTO_PSCI_0_2_FN_MIGRATE_INFO_TYPE PROTO_PSCI_0_2_FN(6)
#define PROTO_PSCI_0_2_FN_SYSTEM_OFF PROTO_PSCI_0_2_FN(8)
#define PROTO_PSCI_0_2_FN_SYSTEM_RESET PROTO_PSCI_0_2_FN(9)
#define PROTO_PSCI_0_2_FN64_CPU_SUSPEND PROTO_PSCI_0_2_FN64(1)
/* x1 = target MPIDR, x2 = entry point, x3 = context id. */
#define PROTO_PSCI_0_2_FN64_CPU_ON PROTO_PSCI_0_2_FN64(3)
/* x1 = target affinity, x2 = lowest affinity level; returns an AFFINITY_LEVEL_*. */
#define PROTO_PSCI_0_2_FN64_AFFINITY_INFO PROTO_PSCI_0_2_FN64(4)
#define PROTO_PSCI_1_0_FN_PSCI_FEATURES PROTO_PSCI_0_2_FN(10)

/* AFFINITY_INFO results. */
#define PROTO_PSCI_0_2_AFFINITY_LEVEL_ON 0
#define PROTO_PSCI_0_2_AFFINITY_LEVEL_OFF 1
#define PROTO_PSCI_0_2_AFFINITY_LEVEL_ON_PENDING 2

/* MIGRATE_INFO_TYPE result when no Trusted OS needs migrating. */
#define PROTO_PSCI_0_2_TOS_MP 2

/* PSCI_VERSION result: major in bits 31:16, minor in 15:0. */
#define PROTO_PSCI_VERSION_MAJOR_SHIFT 16
#define PROTO_PSCI_VERSION_MINOR_MASK ((1U << PROTO_PSCI_VERSION_MAJOR_SHIFT) - 1)
#define PROTO_PSCI_VERSION_MAJOR_MASK (~PROTO_PSCI_VERSION_MINOR_MASK)
#define PROTO_PSCI_VERSION(maj, min)                                                 \
	(((((__u32)(maj)) << PROTO_PSCI_VERSION_MAJOR_SHIFT) & PROTO_PSCI_VERSION_MAJOR_MASK) | \
	 (((__u32)(min)) & PROTO_PSCI_VERSION_MINOR_MASK))

/* Return codes (all PSCI versions). */
#define PROTO_PSCI_RET_SUCCESS 0
#define PROTO_PSCI_RET_NOT_SUPPORTED (-1)
#define PROTO_PSCI_RET_INVALID_PARAMS (-2)
#define PROTO_PSCI_RET_DENIED (-3)
#define PROTO_PSCI_RET_ALREADY_ON (-4)
#define PROTO_PSCI_RET_ON_PENDING (-5)
#define PROTO_PSCI_RET_INTERNAL_FAILURE (-6)
#define PROTO_PSCI_RET_NOT_PRESENT (-7)
#define PROTO_PSCI_RET_DISABLED (-8)
#define PROTO_PSCI_RET_INVALID_ADDRESS (-9)

PROTO_ASSERT_VALUE(PROTO_PSCI_0_2_FN_PSCI_VERSION, 0x84000000U);
PROTO_ASSERT_VALUE(PROTO_PSCI_0_2_FN64_CPU_ON, 0xC4000003U);

#endif /* PROTO_PSCI_H */

/* SPDX-License-Identifier: MIT */
/*
 * Arm Software Delegated Exception Interface (DEN0054) client ABI: function
 * IDs, error codes, flags and the encodings of their arguments and results.
 *
 * SDEI calls are SMC64 fast calls of the STANDARD owner, functions 0x20..0x3F
 * (SDEI_1_0_FN(n) = 0xC4000020 + n). Sources: Linux uapi <linux/arm_sdei.h>
 * (every value shared with it is cross-checked), DEN0054 v1.1 for
 * EVENT_SIGNAL and FEATURES (spelled as in the KVM SDEI series), and TF-A's
 * services/std_svc/sdei for the FEATURES selector.
 */
#ifndef PROTO_SDEI_H
#define PROTO_SDEI_H

#include "proto/abi.h"
#include "proto/smccc.h"

#define PROTO_SDEI_1_0_FN_BASE                                                 \
	PROTO_ARM_SMCCC_CALL_VAL(PROTO_ARM_SMCCC_FAST_CALL, PROTO_ARM_SMCCC_SMC_64, \
				 PROTO_ARM_SMCCC_OWNER_STANDARD, 0x20)
#define PROTO_SDEI_1_0_MASK 0xFFFFFFE0U
#define PROTO_SDEI_1_0_FN(n) (PROTO_SDEI_1_0_FN_BASE + (n))

/* x1.. arguments and results in the comments; see docs/abi.md for details. */
#define PROTO_SDEI_1_0_FN_SDEI_VERSION PROTO_SDEI_1_0_FN(0x00)
/* x1 event, x2 entry point, x3 argument, x4 routing mode, x5 affinity */
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_REGISTER PROTO_SDEI_1_0_FN(0x01)
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_ENABLE PROTO_SDEI_1_0_FN(0x02)
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_DISABLE PROTO_SDEI_1_0_FN(0x03)
/* x1 register index 0..17 of the interrupted context; only inside a handler */
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_CONTEXT PROTO_SDEI_1_0_FN(0x04)
/* x1 = PROTO_SDEI_EV_HANDLED / _FAILED; does not return on success */
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE PROTO_SDEI_1_0_FN(0x05)
/* x1 = resume address; does not return on success */
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE_AND_RESUME PROTO_SDEI_1_0_FN(0x06)
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_UNREGISTER PROTO_SDEI_1_0_FN(0x07)
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_STATUS PROTO_SDEI_1_0_FN(0x08)
/* x1 event, x2 = PROTO_SDEI_EVENT_INFO_* selector */
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_GET_INFO PROTO_SDEI_1_0_FN(0x09)
#define PROTO_SDEI_1_0_FN_SDEI_EVENT_ROUTING_SET PROTO_SDEI_1_0_FN(0x0A)
#define PROTO_SDEI_1_0_FN_SDEI_PE_MASK PROTO_SDEI_1_0_FN(0x0B)
#define PROTO_SDEI_1_0_FN_SDEI_PE_UNMASK PROTO_SDEI_1_0_FN(0x0C)
#define PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_BIND PROTO_SDEI_1_0_FN(0x0D)
#define PROTO_SDEI_1_0_FN_SDEI_INTERRUPT_RELEASE PROTO_SDEI_1_0_FN(0x0E)
/* v1.1: x1 event (must be 0), x2 target PE MPIDR */
#define PROTO_SDEI_1_1_FN_SDEI_EVENT_SIGNAL PROTO_SDEI_1_0_FN(0x0F)
/* v1.1: x1 = PROTO_SDEI_FEATURE_* selector */
#define PROTO_SDEI_1_1_FN_SDEI_FEATURES PROTO_SDEI_1_0_FN(0x10)
#define PROTO_SDEI_1_0_FN_SDEI_PRIVATE_RESET PROTO_SDEI_1_0_FN(0x11)
#define PROTO_SDEI_1_0_FN_SDEI_SHARED_RESET PROTO_SDEI_1_0_FN(0x12)

PROTO_ASSERT_VALUE(PROTO_SDEI_1_0_FN_BASE, 0xC4000020U);
PROTO_ASSERT_VALUE(PROTO_SDEI_1_0_FN_SDEI_SHARED_RESET, 0xC4000032U);

/* True for any function ID in the SDEI range (0xC4000020 .. 0xC400003F). */
static inline _Bool proto_sdei_is_sdei_fn(__u32 func_id)
{
	return (func_id & PROTO_SDEI_1_0_MASK) == PROTO_SDEI_1_0_FN_BASE;
}

/* SDEI_VERSION result: major 62:48, minor 47:32, vendor 31:0. */
#define PROTO_SDEI_VERSION_MAJOR_SHIFT 48
#define PROTO_SDEI_VERSION_MAJOR_MASK 0x7fff
#define PROTO_SDEI_VERSION_MINOR_SHIFT 32
#define PROTO_SDEI_VERSION_MINOR_MASK 0xffff
#define PROTO_SDEI_VERSION_VENDOR_SHIFT 0
#define PROTO_SDEI_VERSION_VENDOR_MASK 0xffffffff

static inline __u64 proto_sdei_version_make(__u32 major, __u32 minor, __u32 vendor)
{
	return ((__u64)(major & PROTO_SDEI_VERSION_MAJOR_MASK) << PROTO_SDEI_VERSION_MAJOR_SHIFT) |
	       ((__u64)(minor & PROTO_SDEI_VERSION_MINOR_MASK) << PROTO_SDEI_VERSION_MINOR_SHIFT) |
	       ((__u64)(vendor & PROTO_SDEI_VERSION_VENDOR_MASK)
		<< PROTO_SDEI_VERSION_VENDOR_SHIFT);
}

static inline __u32 proto_sdei_version_major(__u64 version)
{
	return (version >> PROTO_SDEI_VERSION_MAJOR_SHIFT) & PROTO_SDEI_VERSION_MAJOR_MASK;
}

static inline __u32 proto_sdei_version_minor(__u64 version)
{
	return (version >> PROTO_SDEI_VERSION_MINOR_SHIFT) & PROTO_SDEI_VERSION_MINOR_MASK;
}

static inline __u32 proto_sdei_version_vendor(__u64 version)
{
	return (version >> PROTO_SDEI_VERSION_VENDOR_SHIFT) & PROTO_SDEI_VERSION_VENDOR_MASK;
}

/* Return values (negative, in x0). TF-A calls them EINVAL, EDENY, EPEND, ENOMEM. */
#define PROTO_SDEI_SUCCESS 0
#define PROTO_SDEI_NOT_SUPPORTED (-1)
#define PROTO_SDEI_INVALID_PARAMETERS (-2)
#define PROTO_SDEI_DENIED (-3)
#define PROTO_SDEI_PENDING (-5)
#define PROTO_SDEI_OUT_OF_RESOURCE (-10)

/* EVENT_REGISTER / ROUTING_SET routing mode. */
#define PROTO_SDEI_EVENT_REGISTER_RM_ANY 0
#define PROTO_SDEI_EVENT_REGISTER_RM_PE 1

/* EVENT_STATUS result: bit numbers. */
#define PROTO_SDEI_EVENT_STATUS_REGISTERED 0
#define PROTO_SDEI_EVENT_STATUS_ENABLED 1
#define PROTO_SDEI_EVENT_STATUS_RUNNING 2

/* EVENT_COMPLETE status argument. */
#define PROTO_SDEI_EV_HANDLED 0
#define PROTO_SDEI_EV_FAILED 1

/* EVENT_GET_INFO selectors; ROUTING_MODE/AFF apply to shared events only. */
#define PROTO_SDEI_EVENT_INFO_EV_TYPE 0
#define PROTO_SDEI_EVENT_INFO_EV_SIGNALED 1
#define PROTO_SDEI_EVENT_INFO_EV_PRIORITY 2
#define PROTO_SDEI_EVENT_INFO_EV_ROUTING_MODE 3
#define PROTO_SDEI_EVENT_INFO_EV_ROUTING_AFF 4

/* ... and their results. */
#define PROTO_SDEI_EVENT_TYPE_PRIVATE 0
#define PROTO_SDEI_EVENT_TYPE_SHARED 1
#define PROTO_SDEI_EVENT_PRIORITY_NORMAL 0
#define PROTO_SDEI_EVENT_PRIORITY_CRITICAL 1

/* Event 0: private, the only event EVENT_SIGNAL may raise. */
#define PROTO_SDEI_SW_SIGNALED_EVENT 0

/* SDEI_FEATURES selector: bind slots, private in 15:0, shared in 31:16. */
#define PROTO_SDEI_FEATURE_BIND_SLOTS 0

/* EVENT_CONTEXT can read x0..x17 of the interrupted context. */
#define PROTO_SDEI_EVENT_CONTEXT_REG_COUNT 18

#endif /* PROTO_SDEI_H */

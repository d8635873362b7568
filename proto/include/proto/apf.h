/* SPDX-License-Identifier: MIT */
/*
 * arm64 KVM asynchronous page fault ABI, as in Gavin Shan's v4 series (2021):
 * the per-vCPU shared control block, its registration word, the token, the
 * SDEI events the host injects, and the VMM command interface.
 *
 * Sources: the series' arch/arm64/include/uapi/asm/kvm_para.h (patch 06/07),
 * arch/arm64/kvm/async_pf.c (patches 07..10), arch/arm64/kernel/kvm.c
 * (patch 14); the x86 uapi <asm/kvm_para.h> shares the flag, reason and
 * layout values and is used to cross-check them (docs/abi.md). The SMCCC
 * function and sub-function numbers live in proto/smccc.h.
 */
#ifndef PROTO_APF_H
#define PROTO_APF_H

#include "proto/abi.h"

/*
 * Guest-side paravirt feature bit (kvm_arch_para_features()). NOTE: 0 on
 * arm64, while x86's KVM_FEATURE_ASYNC_PF is 4; the two are not the same ABI.
 */
#define PROTO_KVM_FEATURE_ASYNC_PF 0

/*
 * Per-vCPU shared control block. The guest owns the memory; the host writes
 * token then reason, the guest reads both and clears token then reason.
 * Only reason and token (the first 8 bytes) are ever accessed by the host, as
 * aligned 32-bit loads and stores. enabled is private to the guest.
 *
 * Alignment: the type itself is 4-byte aligned (sizeof 68, as in the uapi
 * header), but an instance must be placed on a PROTO_KVM_ASYNC_PF_DATA_ALIGN
 * boundary because its GPA shares a word with the flags (below).
 */
struct proto_kvm_vcpu_pv_apf_data {
	__u32 reason; /* 0 = none, or a PROTO_KVM_PV_REASON_* value */
	__u32 token;
	__u8 pad[56];
	__u32 enabled;
};
PROTO_ASSERT_OFFSET(struct proto_kvm_vcpu_pv_apf_data, reason, 0);
PROTO_ASSERT_OFFSET(struct proto_kvm_vcpu_pv_apf_data, token, 4);
PROTO_ASSERT_OFFSET(struct proto_kvm_vcpu_pv_apf_data, pad, 8);
PROTO_ASSERT_OFFSET(struct proto_kvm_vcpu_pv_apf_data, enabled, 64);
PROTO_ASSERT_SIZE(struct proto_kvm_vcpu_pv_apf_data, 68);
PROTO_ASSERT_ALIGN(struct proto_kvm_vcpu_pv_apf_data, 4);

/* Bytes of the block the host maps and touches: reason and token. */
#define PROTO_KVM_ASYNC_PF_HOST_AREA_SIZE 8U

#define PROTO_KVM_PV_REASON_PAGE_NOT_PRESENT 1
#define PROTO_KVM_PV_REASON_PAGE_READY 2

/*
 * Registration word (ENABLE hypercall, SET_CONTROL command): the GPA of the
 * control block, 64-byte aligned, ORed with flags in bits 5:0. Flag bits 2..5
 * are undefined and not validated by the v4 host.
 */
#define PROTO_KVM_ASYNC_PF_ENABLED (1 << 0)
#define PROTO_KVM_ASYNC_PF_SEND_ALWAYS (1 << 1) /* deliver in kernel mode too */
#define PROTO_KVM_ASYNC_PF_DATA_ALIGN 64
#define PROTO_KVM_ASYNC_PF_FLAGS_MASK 0x3FULL
#define PROTO_KVM_ASYNC_PF_GPA_MASK (~PROTO_KVM_ASYNC_PF_FLAGS_MASK)

PROTO_ASSERT_VALUE(PROTO_KVM_ASYNC_PF_FLAGS_MASK + 1, PROTO_KVM_ASYNC_PF_DATA_ALIGN);

static inline __u64 proto_kvm_async_pf_control_make(__u64 gpa, __u32 flags)
{
	return (gpa & PROTO_KVM_ASYNC_PF_GPA_MASK) | (flags & PROTO_KVM_ASYNC_PF_FLAGS_MASK);
}

static inline __u64 proto_kvm_async_pf_control_gpa(__u64 control)
{
	return control & PROTO_KVM_ASYNC_PF_GPA_MASK;
}

static inline __u32 proto_kvm_async_pf_control_flags(__u64 control)
{
	return (__u32)(control & PROTO_KVM_ASYNC_PF_FLAGS_MASK);
}

/*
 * ENABLE passes the 64-bit registration word as two SMC32 arguments:
 * x2 = bits 31:0, x3 = bits 63:32. Only the low 32 bits of each register are
 * meaningful; the join below discards the rest (the v4 host does not mask
 * x2, so junk in its upper half corrupts the GPA there).
 */
static inline __u32 proto_kvm_async_pf_enable_lo(__u64 control)
{
	return (__u32)control;
}

static inline __u32 proto_kvm_async_pf_enable_hi(__u64 control)
{
	return (__u32)(control >> 32);
}

static inline __u64 proto_kvm_async_pf_enable_join(__u64 x2, __u64 x3)
{
	return ((x3 & 0xFFFFFFFFULL) << 32) | (x2 & 0xFFFFFFFFULL);
}

/*
 * Token = (counter << 12) | vcpu_id, with a per-vCPU u16 counter that starts
 * at 0 and wraps. vCPU 0's first token is therefore 0, although 0 also means
 * "slot empty". A real token never exceeds 28 bits, so the wake-all value
 * 0xFFFFFFFF (sent with reason PAGE_READY) cannot collide with one.
 */
#define PROTO_KVM_ASYNC_PF_TOKEN_VCPU_BITS 12
#define PROTO_KVM_ASYNC_PF_TOKEN_VCPU_MASK 0xFFFU
#define PROTO_KVM_ASYNC_PF_TOKEN_COUNTER_SHIFT PROTO_KVM_ASYNC_PF_TOKEN_VCPU_BITS
#define PROTO_KVM_ASYNC_PF_TOKEN_COUNTER_MASK 0xFFFFU
#define PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL 0xFFFFFFFFU

PROTO_ASSERT_VALUE(PROTO_KVM_ASYNC_PF_TOKEN_VCPU_MASK + 1,
		   1U << PROTO_KVM_ASYNC_PF_TOKEN_VCPU_BITS);

static inline __u32 proto_kvm_async_pf_token_make(__u16 counter, __u32 vcpu_id)
{
	return ((__u32)counter << PROTO_KVM_ASYNC_PF_TOKEN_COUNTER_SHIFT) |
	       (vcpu_id & PROTO_KVM_ASYNC_PF_TOKEN_VCPU_MASK);
}

static inline __u16 proto_kvm_async_pf_token_counter(__u32 token)
{
	return (__u16)((token >> PROTO_KVM_ASYNC_PF_TOKEN_COUNTER_SHIFT) &
		       PROTO_KVM_ASYNC_PF_TOKEN_COUNTER_MASK);
}

static inline __u32 proto_kvm_async_pf_token_vcpu(__u32 token)
{
	return token & PROTO_KVM_ASYNC_PF_TOKEN_VCPU_MASK;
}

static inline _Bool proto_kvm_async_pf_token_is_wake_all(__u32 token)
{
	return token == PROTO_KVM_ASYNC_PF_TOKEN_WAKE_ALL;
}

/*
 * Outstanding async faults per vCPU (host slot hash; the SLOTS sub-function
 * returns it). A power of two because the host hashes GFNs into it. The guest
 * sizes its per-CPU waiter table at twice that.
 */
#define PROTO_ASYNC_PF_PER_VCPU 64
#define PROTO_KVM_ASYNC_PF_GUEST_TABLE_SIZE (PROTO_ASYNC_PF_PER_VCPU * 2)

PROTO_ASSERT_VALUE(PROTO_ASYNC_PF_PER_VCPU & (PROTO_ASYNC_PF_PER_VCPU - 1), 0);

/*
 * SDEI events exposed by KVM's SDEI virtualisation. Both are private,
 * signaled, critical priority; the async-PF event carries page-not-present.
 * KVM owns the event numbers whose bits 23:22 are 0b01.
 */
#define PROTO_KVM_SDEI_DEFAULT_NUM 0x40400000U
#define PROTO_KVM_SDEI_ASYNC_PF_NUM 0x40400001U
#define PROTO_KVM_SDEI_INVALID_NUM 0
#define PROTO_KVM_SDEI_NUM_OWNER_SHIFT 22
#define PROTO_KVM_SDEI_NUM_OWNER_MASK 0x3U
#define PROTO_KVM_SDEI_NUM_OWNER_KVM 0x1U

static inline _Bool proto_kvm_sdei_is_kvm_event_num(__u64 num)
{
	return num <= 0xFFFFFFFFULL &&
	       ((num >> PROTO_KVM_SDEI_NUM_OWNER_SHIFT) & PROTO_KVM_SDEI_NUM_OWNER_MASK) ==
		       PROTO_KVM_SDEI_NUM_OWNER_KVM;
}

/*
 * VMM command interface: the KVM_ARM_ASYNC_PF_COMMAND ioctl,
 * _IOWR(KVMIO, 0xcf, struct kvm_arm_async_pf_cmd), on the VM fd (GET_VERSION)
 * or a vCPU fd (the others). SET_CONTROL goes through the same path as the
 * ENABLE hypercall; anything but SUCCESS becomes -EIO. Command names are ours
 * (the series' spelling was not recorded); the numbers are the series'.
 */
#define PROTO_KVM_ARM_ASYNC_PF_COMMAND_NR 0xcf
#define PROTO_KVM_ARM_ASYNC_PF_CMD_GET_VERSION 0
#define PROTO_KVM_ARM_ASYNC_PF_CMD_GET_SDEI 1
#define PROTO_KVM_ARM_ASYNC_PF_CMD_GET_IRQ 2
#define PROTO_KVM_ARM_ASYNC_PF_CMD_GET_CONTROL 3
#define PROTO_KVM_ARM_ASYNC_PF_CMD_SET_SDEI 4
#define PROTO_KVM_ARM_ASYNC_PF_CMD_SET_IRQ 5
#define PROTO_KVM_ARM_ASYNC_PF_CMD_SET_CONTROL 6
#define PROTO_KVM_ARM_ASYNC_PF_CMD_COUNT 7

/* 16 bytes, 8-byte aligned: cmd, explicit padding, then the argument union. */
struct proto_kvm_arm_async_pf_cmd {
	__u32 cmd; /* PROTO_KVM_ARM_ASYNC_PF_CMD_* */
	__u8 pad[4];
	union {
		__u32 version; /* GET_VERSION */
		__aligned_u64 sdei; /* GET_SDEI, SET_SDEI */
		__u32 irq; /* GET_IRQ, SET_IRQ */
		__aligned_u64 control; /* GET_CONTROL, SET_CONTROL */
	};
};
PROTO_ASSERT_OFFSET(struct proto_kvm_arm_async_pf_cmd, cmd, 0);
PROTO_ASSERT_OFFSET(struct proto_kvm_arm_async_pf_cmd, pad, 4);
PROTO_ASSERT_OFFSET(struct proto_kvm_arm_async_pf_cmd, version, 8);
PROTO_ASSERT_OFFSET(struct proto_kvm_arm_async_pf_cmd, sdei, 8);
PROTO_ASSERT_OFFSET(struct proto_kvm_arm_async_pf_cmd, irq, 8);
PROTO_ASSERT_OFFSET(struct proto_kvm_arm_async_pf_cmd, control, 8);
PROTO_ASSERT_SIZE(struct proto_kvm_arm_async_pf_cmd, 16);
PROTO_ASSERT_ALIGN(struct proto_kvm_arm_async_pf_cmd, 8);

#endif /* PROTO_APF_H */

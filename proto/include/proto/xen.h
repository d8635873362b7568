/* SPDX-License-Identifier: MIT */
/*
 * Xen public hypercall ABI, x86-64 flavour, as far as the xen-shim needs it:
 * hypercall numbers, the hypercall page, xen_version sub-ops and feature
 * bits, domain ids and error numbers. Event channels and grant tables are in
 * proto/xen_evtchn.h and proto/xen_gnttab.h.
 *
 * Source: Xen's public headers (xen/include/public/{xen,version,features,
 * errno}.h), MIT, as installed by Debian 12's libxen-dev 4.17 in
 * /usr/include/xen. Values are those of the current interface
 * (__XEN_INTERFACE_VERSION__ 0x00040e00); with interface version 0 those
 * headers map event_channel_op, physdev_op and sched_op to their compat
 * numbers 16, 19 and 6 instead. Names are PROTO_ + the Xen spelling,
 * including the leading underscores of __HYPERVISOR_*.
 */
#ifndef PROTO_XEN_H
#define PROTO_XEN_H

#include "proto/abi.h"

/* Hypercall numbers; the number is also the stub index in the page. */
#define PROTO___HYPERVISOR_set_trap_table 0
#define PROTO___HYPERVISOR_mmu_update 1
#define PROTO___HYPERVISOR_set_gdt 2
#define PROTO___HYPERVISOR_stack_switch 3
#define PROTO___HYPERVISOR_set_callbacks 4
#define PROTO___HYPERVISOR_fpu_taskswitch 5
#define PROTO___HYPERVISOR_sched_op_compat 6
#define PROTO___HYPERVISOR_platform_op 7
#define PROTO___HYPERVISOR_set_debugreg 8
#define PROTO___HYPERVISOR_get_debugreg 9
#define PROTO___HYPERVISOR_update_descriptor 10
/* 11: retired, no name */
#define PROTO___HYPERVISOR_memory_op 12
#define PROTO___HYPERVISOR_multicall 13
#define PROTO___HYPERVISOR_update_va_mapping 14
#define PROTO___HYPERVISOR_set_timer_op 15
#define PROTO___HYPERVISOR_event_channel_op_compat 16
#define PROTO___HYPERVISOR_xen_version 17
#define PROTO___HYPERVISOR_console_io 18
#define PROTO___HYPERVISOR_physdev_op_compat 19
#define PROTO___HYPERVISOR_grant_table_op 20
#define PROTO___HYPERVISOR_vm_assist 21
#define PROTO___HYPERVISOR_update_va_mapping_otherdomain 22
#define PROTO___HYPERVISOR_iret 23 /* x86 PV only */
#define PROTO___HYPERVISOR_vcpu_op 24
#define PROTO___HYPERVISOR_set_segment_base 25 /* x86-64 PV only */
#define PROTO___HYPERVISOR_mmuext_op 26
#define PROTO___HYPERVISOR_xsm_op 27
#define PROTO___HYPERVISOR_nmi_op 28
#define PROTO___HYPERVISOR_sched_op 29
#define PROTO___HYPERVISOR_callback_op 30
#define PROTO___HYPERVISOR_xenoprof_op 31
#define PROTO___HYPERVISOR_event_channel_op 32
#define PROTO___HYPERVISOR_physdev_op 33
#define PROTO___HYPERVISOR_hvm_op 34
#define PROTO___HYPERVISOR_sysctl 35
#define PROTO___HYPERVISOR_domctl 36
#define PROTO___HYPERVISOR_kexec_op 37
#define PROTO___HYPERVISOR_tmem_op 38
#define PROTO___HYPERVISOR_argo_op 39 /* xc_reserved_op in older headers */
#define PROTO___HYPERVISOR_xenpmu_op 40
#define PROTO___HYPERVISOR_dm_op 41
#define PROTO___HYPERVISOR_hypfs_op 42 /* since Xen 4.14 */
/* 43..47: unassigned */
#define PROTO___HYPERVISOR_arch_0 48 /* x86: mca */
#define PROTO___HYPERVISOR_arch_1 49
#define PROTO___HYPERVISOR_arch_2 50
#define PROTO___HYPERVISOR_arch_3 51
#define PROTO___HYPERVISOR_arch_4 52
#define PROTO___HYPERVISOR_arch_5 53
#define PROTO___HYPERVISOR_arch_6 54
#define PROTO___HYPERVISOR_arch_7 55
/* 56..127: unassigned; every slot of the page is still a callable stub. */

/*
 * Hypercall page: one 4 KiB page of 32-byte stubs, stub n at byte n * 32
 * performs hypercall n, so the page holds 128 stubs (our names).
 */
#define PROTO_XEN_HYPERCALL_PAGE_SIZE 4096U
#define PROTO_XEN_HYPERCALL_STUB_SIZE 32U
#define PROTO_XEN_HYPERCALL_STUB_COUNT \
	(PROTO_XEN_HYPERCALL_PAGE_SIZE / PROTO_XEN_HYPERCALL_STUB_SIZE)
/* x86-64 register use: number rax; args rdi rsi rdx r10 r8 r9; result rax. */
#define PROTO_XEN_HYPERCALL_ARG_COUNT_MAX 6

PROTO_ASSERT_VALUE(PROTO_XEN_HYPERCALL_STUB_COUNT, 128U);
PROTO_ASSERT_VALUE(PROTO___HYPERVISOR_arch_7 < PROTO_XEN_HYPERCALL_STUB_COUNT, 1);

static inline __u32 proto_xen_hypercall_stub_offset(__u32 nr)
{
	return nr * PROTO_XEN_HYPERCALL_STUB_SIZE;
}

/* xen_version sub-ops (arg1); arg2 points at the sub-op's buffer. */
#define PROTO_XENVER_version 0 /* arg NULL; returns (major << 16) | minor */
#define PROTO_XENVER_extraversion 1 /* char[16] */
#define PROTO_XENVER_compile_info 2
#define PROTO_XENVER_capabilities 3 /* char[1024] */
#define PROTO_XENVER_changeset 4 /* char[64] */
#define PROTO_XENVER_platform_parameters 5
#define PROTO_XENVER_get_features 6 /* struct proto_xen_feature_info */
#define PROTO_XENVER_pagesize 7 /* arg NULL; returns the page size */
#define PROTO_XENVER_guest_handle 8 /* 16-byte domain handle */
#define PROTO_XENVER_commandline 9 /* char[1024] */
#define PROTO_XENVER_build_id 10

/* XENVER_get_features argument: submap_idx in, 32-bit submap out. */
struct proto_xen_feature_info {
	__u32 submap_idx;
	__u32 submap;
};
PROTO_ASSERT_OFFSET(struct proto_xen_feature_info, submap_idx, 0);
PROTO_ASSERT_OFFSET(struct proto_xen_feature_info, submap, 4);
PROTO_ASSERT_SIZE(struct proto_xen_feature_info, 8);
PROTO_ASSERT_ALIGN(struct proto_xen_feature_info, 4);

/* Feature bit numbers; bit n lives in submap n / 32, bit n % 32. */
#define PROTO_XENFEAT_writable_page_tables 0
#define PROTO_XENFEAT_writable_descriptor_tables 1
#define PROTO_XENFEAT_auto_translated_physmap 2
#define PROTO_XENFEAT_supervisor_mode_kernel 3
#define PROTO_XENFEAT_pae_pgdir_above_4gb 4
#define PROTO_XENFEAT_mmu_pt_update_preserve_ad 5
#define PROTO_XENFEAT_highmem_assist 6
#define PROTO_XENFEAT_gnttab_map_avail_bits 7
#define PROTO_XENFEAT_hvm_callback_vector 8
#define PROTO_XENFEAT_hvm_safe_pvclock 9
#define PROTO_XENFEAT_hvm_pirqs 10
#define PROTO_XENFEAT_dom0 11
/* 12: grant_map_identity, deprecated (commented out in Xen's header) */
#define PROTO_XENFEAT_memory_op_vnode_supported 13
#define PROTO_XENFEAT_ARM_SMCCC_supported 14
#define PROTO_XENFEAT_linux_rsdp_unrestricted 15
#define PROTO_XENFEAT_not_direct_mapped 16
#define PROTO_XENFEAT_direct_mapped 17
#define PROTO_XENFEAT_NR_SUBMAPS 1

/* Domain ids (domid_t is 16 bits); ids >= FIRST_RESERVED are special. */
#define PROTO_DOMID_FIRST_RESERVED 0x7FF0U
#define PROTO_DOMID_SELF 0x7FF0U
#define PROTO_DOMID_IO 0x7FF1U
#define PROTO_DOMID_XEN 0x7FF2U
#define PROTO_DOMID_COW 0x7FF3U
#define PROTO_DOMID_INVALID 0x7FF4U
#define PROTO_DOMID_IDLE 0x7FFFU
#define PROTO_DOMID_MASK 0x7FFFU

/*
 * Error numbers; hypercalls return them negated, as a sign-extended long.
 * They match Linux's x86 errno values.
 */
#define PROTO_XEN_EPERM 1
#define PROTO_XEN_ENOENT 2
#define PROTO_XEN_ESRCH 3
#define PROTO_XEN_EIO 5
#define PROTO_XEN_EAGAIN 11
#define PROTO_XEN_ENOMEM 12
#define PROTO_XEN_EACCES 13
#define PROTO_XEN_EFAULT 14
#define PROTO_XEN_EBUSY 16
#define PROTO_XEN_EEXIST 17
#define PROTO_XEN_ENODEV 19
#define PROTO_XEN_EINVAL 22
#define PROTO_XEN_ENOSPC 28
#define PROTO_XEN_EDEADLK 35
#define PROTO_XEN_ENOSYS 38
#define PROTO_XEN_EOPNOTSUPP 95

#endif /* PROTO_XEN_H */

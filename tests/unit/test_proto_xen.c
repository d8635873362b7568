// SPDX-License-Identifier: MIT
/*
 * Goal: every proto/ Xen constant and struct layout equals the one in Xen's
 * public headers as installed by Debian 12's libxen-dev (/usr/include/xen),
 * in the current interface version and the x86-64 layout; and the Xen error
 * numbers the shim returns equal both Xen's and the host's <errno.h>.
 * Method: include ours and Xen's in this translation unit and compare name by
 * name, layouts by sizeof, _Alignof and offsetof of every named member.
 * Without libxen-dev the test prints why and exits with the skip code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "proto/xen.h"
#include "proto/xen_evtchn.h"
#include "proto/xen_gnttab.h"
#include "proto_check.h"

#ifndef PROTO_XEN_HEADERS_MISSING

/*
 * Xen's headers need <stdint.h> first, and they map event_channel_op,
 * physdev_op and sched_op to the compat numbers unless the interface
 * version is set: ask for the current (tools) interface.
 */
#define __XEN_TOOLS__ 1
#include <xen/xen.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

/* Xen's errno.h is an X-macro list: turn it into a table of name and value. */
struct xen_errno_entry {
	const char *name;
	int value;
};

static const struct xen_errno_entry xen_errno_table[] = {
#define XEN_ERRNO(name, value) { "XEN_" #name, value },
#include <xen/errno.h>
};

static int xen_errno_value(const char *name)
{
	for (size_t i = 0; i < sizeof(xen_errno_table) / sizeof(xen_errno_table[0]); i++) {
		if (strcmp(xen_errno_table[i].name, name) == 0)
			return xen_errno_table[i].value;
	}
	fail_msg("%s is not in Xen's errno.h", name);
	return -1;
}

#define PROTO_CHECK_XEN_ERRNO(name, host_errno)                                           \
	do {                                                                               \
		PROTO_CHECK_EQ(PROTO_##name, xen_errno_value(#name));                      \
		PROTO_CHECK_EQ(PROTO_##name, host_errno);                                  \
	} while (0)

static void test_proto_xen_interface_is_current(void **state)
{
	(void)state;
	/* Guard against the compat numbering silently taking over. */
	assert_int_equal(__XEN_INTERFACE_VERSION__, __XEN_LATEST_INTERFACE_VERSION__);
	assert_true(__XEN_INTERFACE_VERSION__ >= 0x00040e00);
}

static void test_proto_xen_hypercall_numbers_match(void **state)
{
	(void)state;
	PROTO_CHECK(__HYPERVISOR_set_trap_table);
	PROTO_CHECK(__HYPERVISOR_mmu_update);
	PROTO_CHECK(__HYPERVISOR_set_gdt);
	PROTO_CHECK(__HYPERVISOR_stack_switch);
	PROTO_CHECK(__HYPERVISOR_set_callbacks);
	PROTO_CHECK(__HYPERVISOR_fpu_taskswitch);
	PROTO_CHECK(__HYPERVISOR_sched_op_compat);
	PROTO_CHECK(__HYPERVISOR_platform_op);
	PROTO_CHECK(__HYPERVISOR_set_debugreg);
	PROTO_CHECK(__HYPERVISOR_get_debugreg);
	PROTO_CHECK(__HYPERVISOR_update_descriptor);
	PROTO_CHECK(__HYPERVISOR_memory_op);
	PROTO_CHECK(__HYPERVISOR_multicall);
	PROTO_CHECK(__HYPERVISOR_update_va_mapping);
	PROTO_CHECK(__HYPERVISOR_set_timer_op);
	PROTO_CHECK(__HYPERVISOR_event_channel_op_compat);
	PROTO_CHECK(__HYPERVISOR_xen_version);
	PROTO_CHECK(__HYPERVISOR_console_io);
	PROTO_CHECK(__HYPERVISOR_physdev_op_compat);
	PROTO_CHECK(__HYPERVISOR_grant_table_op);
	PROTO_CHECK(__HYPERVISOR_vm_assist);
	PROTO_CHECK(__HYPERVISOR_update_va_mapping_otherdomain);
	PROTO_CHECK(__HYPERVISOR_iret);
	PROTO_CHECK(__HYPERVISOR_vcpu_op);
	PROTO_CHECK(__HYPERVISOR_set_segment_base);
	PROTO_CHECK(__HYPERVISOR_mmuext_op);
	PROTO_CHECK(__HYPERVISOR_xsm_op);
	PROTO_CHECK(__HYPERVISOR_nmi_op);
	PROTO_CHECK(__HYPERVISOR_sched_op);
	PROTO_CHECK(__HYPERVISOR_callback_op);
	PROTO_CHECK(__HYPERVISOR_xenoprof_op);
	PROTO_CHECK(__HYPERVISOR_event_channel_op);
	PROTO_CHECK(__HYPERVISOR_physdev_op);
	PROTO_CHECK(__HYPERVISOR_hvm_op);
	PROTO_CHECK(__HYPERVISOR_sysctl);
	PROTO_CHECK(__HYPERVISOR_domctl);
	PROTO_CHECK(__HYPERVISOR_kexec_op);
	PROTO_CHECK(__HYPERVISOR_tmem_op);
	PROTO_CHECK(__HYPERVISOR_argo_op);
	PROTO_CHECK(__HYPERVISOR_xenpmu_op);
	PROTO_CHECK(__HYPERVISOR_dm_op);
	PROTO_CHECK(__HYPERVISOR_hypfs_op);
	PROTO_CHECK(__HYPERVISOR_arch_0);
	PROTO_CHECK(__HYPERVISOR_arch_1);
	PROTO_CHECK(__HYPERVISOR_arch_2);
	PROTO_CHECK(__HYPERVISOR_arch_3);
	PROTO_CHECK(__HYPERVISOR_arch_4);
	PROTO_CHECK(__HYPERVISOR_arch_5);
	PROTO_CHECK(__HYPERVISOR_arch_6);
	PROTO_CHECK(__HYPERVISOR_arch_7);
}

static void test_proto_xen_version_and_features_match(void **state)
{
	(void)state;
	PROTO_CHECK(XENVER_version);
	PROTO_CHECK(XENVER_extraversion);
	PROTO_CHECK(XENVER_compile_info);
	PROTO_CHECK(XENVER_capabilities);
	PROTO_CHECK(XENVER_changeset);
	PROTO_CHECK(XENVER_platform_parameters);
	PROTO_CHECK(XENVER_get_features);
	PROTO_CHECK(XENVER_pagesize);
	PROTO_CHECK(XENVER_guest_handle);
	PROTO_CHECK(XENVER_commandline);
	PROTO_CHECK(XENVER_build_id);
	PROTO_CHECK(XENFEAT_writable_page_tables);
	PROTO_CHECK(XENFEAT_writable_descriptor_tables);
	PROTO_CHECK(XENFEAT_auto_translated_physmap);
	PROTO_CHECK(XENFEAT_supervisor_mode_kernel);
	PROTO_CHECK(XENFEAT_pae_pgdir_above_4gb);
	PROTO_CHECK(XENFEAT_mmu_pt_update_preserve_ad);
	PROTO_CHECK(XENFEAT_highmem_assist);
	PROTO_CHECK(XENFEAT_gnttab_map_avail_bits);
	PROTO_CHECK(XENFEAT_hvm_callback_vector);
	PROTO_CHECK(XENFEAT_hvm_safe_pvclock);
	PROTO_CHECK(XENFEAT_hvm_pirqs);
	PROTO_CHECK(XENFEAT_dom0);
	PROTO_CHECK(XENFEAT_memory_op_vnode_supported);
	PROTO_CHECK(XENFEAT_ARM_SMCCC_supported);
	PROTO_CHECK(XENFEAT_linux_rsdp_unrestricted);
	PROTO_CHECK(XENFEAT_not_direct_mapped);
	PROTO_CHECK(XENFEAT_direct_mapped);
	PROTO_CHECK(XENFEAT_NR_SUBMAPS);
	PROTO_CHECK_STRUCT(struct proto_xen_feature_info, struct xen_feature_info);
	PROTO_CHECK_MEMBER(struct proto_xen_feature_info, struct xen_feature_info, submap_idx);
	PROTO_CHECK_MEMBER(struct proto_xen_feature_info, struct xen_feature_info, submap);
}

static void test_proto_xen_domids_and_errnos_match(void **state)
{
	(void)state;
	PROTO_CHECK(DOMID_FIRST_RESERVED);
	PROTO_CHECK(DOMID_SELF);
	PROTO_CHECK(DOMID_IO);
	PROTO_CHECK(DOMID_XEN);
	PROTO_CHECK(DOMID_COW);
	PROTO_CHECK(DOMID_INVALID);
	PROTO_CHECK(DOMID_IDLE);
	PROTO_CHECK(DOMID_MASK);
	PROTO_CHECK_EQ(sizeof(domid_t), sizeof(((struct proto_evtchn_status *)0)->dom));
	PROTO_CHECK_XEN_ERRNO(XEN_EPERM, EPERM);
	PROTO_CHECK_XEN_ERRNO(XEN_ENOENT, ENOENT);
	PROTO_CHECK_XEN_ERRNO(XEN_ESRCH, ESRCH);
	PROTO_CHECK_XEN_ERRNO(XEN_EIO, EIO);
	PROTO_CHECK_XEN_ERRNO(XEN_EAGAIN, EAGAIN);
	PROTO_CHECK_XEN_ERRNO(XEN_ENOMEM, ENOMEM);
	PROTO_CHECK_XEN_ERRNO(XEN_EACCES, EACCES);
	PROTO_CHECK_XEN_ERRNO(XEN_EFAULT, EFAULT);
	PROTO_CHECK_XEN_ERRNO(XEN_EBUSY, EBUSY);
	PROTO_CHECK_XEN_ERRNO(XEN_EEXIST, EEXIST);
	PROTO_CHECK_XEN_ERRNO(XEN_ENODEV, ENODEV);
	PROTO_CHECK_XEN_ERRNO(XEN_EINVAL, EINVAL);
	PROTO_CHECK_XEN_ERRNO(XEN_ENOSPC, ENOSPC);
	PROTO_CHECK_XEN_ERRNO(XEN_EDEADLK, EDEADLK);
	PROTO_CHECK_XEN_ERRNO(XEN_ENOSYS, ENOSYS);
	PROTO_CHECK_XEN_ERRNO(XEN_EOPNOTSUPP, EOPNOTSUPP);
}

static void test_proto_xen_evtchn_values_match(void **state)
{
	(void)state;
	PROTO_CHECK(EVTCHNOP_bind_interdomain);
	PROTO_CHECK(EVTCHNOP_bind_virq);
	PROTO_CHECK(EVTCHNOP_bind_pirq);
	PROTO_CHECK(EVTCHNOP_close);
	PROTO_CHECK(EVTCHNOP_send);
	PROTO_CHECK(EVTCHNOP_status);
	PROTO_CHECK(EVTCHNOP_alloc_unbound);
	PROTO_CHECK(EVTCHNOP_bind_ipi);
	PROTO_CHECK(EVTCHNOP_bind_vcpu);
	PROTO_CHECK(EVTCHNOP_unmask);
	PROTO_CHECK(EVTCHNOP_reset);
	PROTO_CHECK(EVTCHNOP_init_control);
	PROTO_CHECK(EVTCHNOP_expand_array);
	PROTO_CHECK(EVTCHNOP_set_priority);
	PROTO_CHECK(EVTCHNSTAT_closed);
	PROTO_CHECK(EVTCHNSTAT_unbound);
	PROTO_CHECK(EVTCHNSTAT_interdomain);
	PROTO_CHECK(EVTCHNSTAT_pirq);
	PROTO_CHECK(EVTCHNSTAT_virq);
	PROTO_CHECK(EVTCHNSTAT_ipi);
	/* Xen's value is (sizeof(xen_ulong_t))^2 * 64: check it as a number. */
	PROTO_CHECK_EQ(PROTO_EVTCHN_2L_NR_CHANNELS, (unsigned int)EVTCHN_2L_NR_CHANNELS);
	PROTO_CHECK_EQ(sizeof(evtchn_port_t), sizeof(((struct proto_evtchn_send *)0)->port));
}

static void test_proto_xen_evtchn_layouts_match(void **state)
{
	(void)state;
	PROTO_CHECK_STRUCT(struct proto_evtchn_alloc_unbound, struct evtchn_alloc_unbound);
	PROTO_CHECK_MEMBER(struct proto_evtchn_alloc_unbound, struct evtchn_alloc_unbound, dom);
	PROTO_CHECK_MEMBER(struct proto_evtchn_alloc_unbound, struct evtchn_alloc_unbound,
			   remote_dom);
	PROTO_CHECK_MEMBER(struct proto_evtchn_alloc_unbound, struct evtchn_alloc_unbound, port);
	PROTO_CHECK_STRUCT(struct proto_evtchn_bind_interdomain, struct evtchn_bind_interdomain);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_interdomain, struct evtchn_bind_interdomain,
			   remote_dom);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_interdomain, struct evtchn_bind_interdomain,
			   remote_port);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_interdomain, struct evtchn_bind_interdomain,
			   local_port);
	PROTO_CHECK_STRUCT(struct proto_evtchn_bind_virq, struct evtchn_bind_virq);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_virq, struct evtchn_bind_virq, virq);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_virq, struct evtchn_bind_virq, vcpu);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_virq, struct evtchn_bind_virq, port);
	PROTO_CHECK_STRUCT(struct proto_evtchn_bind_ipi, struct evtchn_bind_ipi);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_ipi, struct evtchn_bind_ipi, vcpu);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_ipi, struct evtchn_bind_ipi, port);
	PROTO_CHECK_STRUCT(struct proto_evtchn_close, struct evtchn_close);
	PROTO_CHECK_MEMBER(struct proto_evtchn_close, struct evtchn_close, port);
	PROTO_CHECK_STRUCT(struct proto_evtchn_send, struct evtchn_send);
	PROTO_CHECK_MEMBER(struct proto_evtchn_send, struct evtchn_send, port);
	PROTO_CHECK_STRUCT(struct proto_evtchn_bind_vcpu, struct evtchn_bind_vcpu);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_vcpu, struct evtchn_bind_vcpu, port);
	PROTO_CHECK_MEMBER(struct proto_evtchn_bind_vcpu, struct evtchn_bind_vcpu, vcpu);
	PROTO_CHECK_STRUCT(struct proto_evtchn_unmask, struct evtchn_unmask);
	PROTO_CHECK_MEMBER(struct proto_evtchn_unmask, struct evtchn_unmask, port);
	PROTO_CHECK_STRUCT(struct proto_evtchn_reset, struct evtchn_reset);
	PROTO_CHECK_MEMBER(struct proto_evtchn_reset, struct evtchn_reset, dom);
}

static void test_proto_xen_evtchn_status_layout_matches(void **state)
{
	(void)state;
	PROTO_CHECK_STRUCT(struct proto_evtchn_status, struct evtchn_status);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, dom);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, port);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, status);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, vcpu);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, u);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, u.unbound);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, u.unbound.dom);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, u.interdomain);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, u.interdomain.dom);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, u.interdomain.port);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, u.pirq);
	PROTO_CHECK_MEMBER(struct proto_evtchn_status, struct evtchn_status, u.virq);
}

static void test_proto_xen_gnttab_values_match(void **state)
{
	(void)state;
	PROTO_CHECK(GNTTABOP_map_grant_ref);
	PROTO_CHECK(GNTTABOP_unmap_grant_ref);
	PROTO_CHECK(GNTTABOP_setup_table);
	PROTO_CHECK(GNTTABOP_dump_table);
	PROTO_CHECK(GNTTABOP_transfer);
	PROTO_CHECK(GNTTABOP_copy);
	PROTO_CHECK(GNTTABOP_query_size);
	PROTO_CHECK(GNTTABOP_unmap_and_replace);
	PROTO_CHECK(GNTTABOP_set_version);
	PROTO_CHECK(GNTTABOP_get_status_frames);
	PROTO_CHECK(GNTTABOP_get_version);
	PROTO_CHECK(GNTTABOP_swap_grant_ref);
	PROTO_CHECK(GNTTABOP_cache_flush);
	PROTO_CHECK(GNTST_okay);
	PROTO_CHECK(GNTST_general_error);
	PROTO_CHECK(GNTST_bad_domain);
	PROTO_CHECK(GNTST_bad_gntref);
	PROTO_CHECK(GNTST_bad_handle);
	PROTO_CHECK(GNTST_bad_virt_addr);
	PROTO_CHECK(GNTST_bad_dev_addr);
	PROTO_CHECK(GNTST_no_device_space);
	PROTO_CHECK(GNTST_permission_denied);
	PROTO_CHECK(GNTST_bad_page);
	PROTO_CHECK(GNTST_bad_copy_arg);
	PROTO_CHECK(GNTST_address_too_big);
	PROTO_CHECK(GNTST_eagain);
	PROTO_CHECK(GNTST_no_space);
}

static void test_proto_xen_gnttab_flags_match(void **state)
{
	(void)state;
	PROTO_CHECK(GTF_invalid);
	PROTO_CHECK(GTF_permit_access);
	PROTO_CHECK(GTF_accept_transfer);
	PROTO_CHECK(GTF_transitive);
	PROTO_CHECK(GTF_type_mask);
	PROTO_CHECK(_GTF_readonly);
	PROTO_CHECK(GTF_readonly);
	PROTO_CHECK(_GTF_reading);
	PROTO_CHECK(GTF_reading);
	PROTO_CHECK(_GTF_writing);
	PROTO_CHECK(GTF_writing);
	PROTO_CHECK(_GNTMAP_device_map);
	PROTO_CHECK(GNTMAP_device_map);
	PROTO_CHECK(_GNTMAP_host_map);
	PROTO_CHECK(GNTMAP_host_map);
	PROTO_CHECK(_GNTMAP_readonly);
	PROTO_CHECK(GNTMAP_readonly);
	PROTO_CHECK(_GNTMAP_application_map);
	PROTO_CHECK(GNTMAP_application_map);
	PROTO_CHECK(_GNTMAP_contains_pte);
	PROTO_CHECK(GNTMAP_contains_pte);
	PROTO_CHECK(_GNTCOPY_source_gref);
	PROTO_CHECK(GNTCOPY_source_gref);
	PROTO_CHECK(_GNTCOPY_dest_gref);
	PROTO_CHECK(GNTCOPY_dest_gref);
	PROTO_CHECK_EQ(sizeof(grant_ref_t), sizeof(((struct proto_gnttab_map_grant_ref *)0)->ref));
	PROTO_CHECK_EQ(sizeof(grant_handle_t),
		       sizeof(((struct proto_gnttab_map_grant_ref *)0)->handle));
}

static void test_proto_xen_gnttab_map_layouts_match(void **state)
{
	(void)state;
	PROTO_CHECK_STRUCT(struct proto_grant_entry_v1, struct grant_entry_v1);
	PROTO_CHECK_MEMBER(struct proto_grant_entry_v1, struct grant_entry_v1, flags);
	PROTO_CHECK_MEMBER(struct proto_grant_entry_v1, struct grant_entry_v1, domid);
	PROTO_CHECK_MEMBER(struct proto_grant_entry_v1, struct grant_entry_v1, frame);
	PROTO_CHECK_STRUCT(struct proto_gnttab_map_grant_ref, struct gnttab_map_grant_ref);
	PROTO_CHECK_MEMBER(struct proto_gnttab_map_grant_ref, struct gnttab_map_grant_ref,
			   host_addr);
	PROTO_CHECK_MEMBER(struct proto_gnttab_map_grant_ref, struct gnttab_map_grant_ref, flags);
	PROTO_CHECK_MEMBER(struct proto_gnttab_map_grant_ref, struct gnttab_map_grant_ref, ref);
	PROTO_CHECK_MEMBER(struct proto_gnttab_map_grant_ref, struct gnttab_map_grant_ref, dom);
	PROTO_CHECK_MEMBER(struct proto_gnttab_map_grant_ref, struct gnttab_map_grant_ref, status);
	PROTO_CHECK_MEMBER(struct proto_gnttab_map_grant_ref, struct gnttab_map_grant_ref, handle);
	PROTO_CHECK_MEMBER(struct proto_gnttab_map_grant_ref, struct gnttab_map_grant_ref,
			   dev_bus_addr);
	PROTO_CHECK_STRUCT(struct proto_gnttab_unmap_grant_ref, struct gnttab_unmap_grant_ref);
	PROTO_CHECK_MEMBER(struct proto_gnttab_unmap_grant_ref, struct gnttab_unmap_grant_ref,
			   host_addr);
	PROTO_CHECK_MEMBER(struct proto_gnttab_unmap_grant_ref, struct gnttab_unmap_grant_ref,
			   dev_bus_addr);
	PROTO_CHECK_MEMBER(struct proto_gnttab_unmap_grant_ref, struct gnttab_unmap_grant_ref,
			   handle);
	PROTO_CHECK_MEMBER(struct proto_gnttab_unmap_grant_ref, struct gnttab_unmap_grant_ref,
			   status);
}

static void test_proto_xen_gnttab_table_layouts_match(void **state)
{
	(void)state;
	PROTO_CHECK_STRUCT(struct proto_gnttab_setup_table, struct gnttab_setup_table);
	PROTO_CHECK_MEMBER(struct proto_gnttab_setup_table, struct gnttab_setup_table, dom);
	PROTO_CHECK_MEMBER(struct proto_gnttab_setup_table, struct gnttab_setup_table, nr_frames);
	PROTO_CHECK_MEMBER(struct proto_gnttab_setup_table, struct gnttab_setup_table, status);
	PROTO_CHECK_MEMBER(struct proto_gnttab_setup_table, struct gnttab_setup_table,
			   frame_list);
	PROTO_CHECK_STRUCT(struct proto_gnttab_query_size, struct gnttab_query_size);
	PROTO_CHECK_MEMBER(struct proto_gnttab_query_size, struct gnttab_query_size, dom);
	PROTO_CHECK_MEMBER(struct proto_gnttab_query_size, struct gnttab_query_size, nr_frames);
	PROTO_CHECK_MEMBER(struct proto_gnttab_query_size, struct gnttab_query_size,
			   max_nr_frames);
	PROTO_CHECK_MEMBER(struct proto_gnttab_query_size, struct gnttab_query_size, status);
}

static void test_proto_xen_gnttab_copy_layout_matches(void **state)
{
	(void)state;
	PROTO_CHECK_STRUCT(struct proto_gnttab_copy_ptr, struct gnttab_copy_ptr);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy_ptr, struct gnttab_copy_ptr, u);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy_ptr, struct gnttab_copy_ptr, u.ref);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy_ptr, struct gnttab_copy_ptr, u.gmfn);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy_ptr, struct gnttab_copy_ptr, domid);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy_ptr, struct gnttab_copy_ptr, offset);
	PROTO_CHECK_STRUCT(struct proto_gnttab_copy, struct gnttab_copy);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, source);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, source.u.ref);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, source.domid);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, source.offset);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, dest);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, dest.u.gmfn);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, dest.domid);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, dest.offset);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, len);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, flags);
	PROTO_CHECK_MEMBER(struct proto_gnttab_copy, struct gnttab_copy, status);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proto_xen_interface_is_current),
		cmocka_unit_test(test_proto_xen_hypercall_numbers_match),
		cmocka_unit_test(test_proto_xen_version_and_features_match),
		cmocka_unit_test(test_proto_xen_domids_and_errnos_match),
		cmocka_unit_test(test_proto_xen_evtchn_values_match),
		cmocka_unit_test(test_proto_xen_evtchn_layouts_match),
		cmocka_unit_test(test_proto_xen_evtchn_status_layout_matches),
		cmocka_unit_test(test_proto_xen_gnttab_values_match),
		cmocka_unit_test(test_proto_xen_gnttab_flags_match),
		cmocka_unit_test(test_proto_xen_gnttab_map_layouts_match),
		cmocka_unit_test(test_proto_xen_gnttab_table_layouts_match),
		cmocka_unit_test(test_proto_xen_gnttab_copy_layout_matches),
	};

	return cmocka_run_group_tests_name("proto_xen", tests, NULL, NULL);
}

#else /* PROTO_XEN_HEADERS_MISSING */

int main(void)
{
	printf("SKIPPED: Xen public headers not found at configure time "
	       "(install libxen-dev, then re-run cmake)\n");
	return PROTO_TEST_SKIP_RC;
}

#endif /* PROTO_XEN_HEADERS_MISSING */

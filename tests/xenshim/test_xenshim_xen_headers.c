// SPDX-License-Identifier: MIT
/*
 * Goal: the constants and layouts the xen-shim defines itself (those not in
 * proto/, which has its own cross-check, unit_proto_xen) equal Xen's public
 * headers as installed by Debian 12's libxen-dev: the xen_version buffer
 * sizes and structs, the x86-64 __HYPERVISOR_VIRT_START reported by
 * XENVER_platform_parameters, the 2-level event-channel bitmaps and
 * selector word of shared_info / vcpu_info, the domain handle, and the
 * hypercall numbers the dispatcher switches on in the current interface.
 * Method: include the shim's header and Xen's in one translation unit
 * (with __XEN_TOOLS__, see toolchain.md) and compare sizes, offsets and
 * values. Without libxen-dev the test exits with the skip code 77.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "xen_shim.h"

#ifndef XENSHIM_XEN_HEADERS_MISSING

#define __XEN_TOOLS__ 1
#include <xen/xen.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

#define SAME_MEMBER(ours, theirs, member)                                              \
	do {                                                                           \
		assert_int_equal(offsetof(ours, member), offsetof(theirs, member));    \
		assert_int_equal(sizeof(((ours *)0)->member), sizeof(((theirs *)0)->member)); \
	} while (0)

static void test_version_buffers(void **state)
{
	(void)state;
	assert_int_equal(XEN_SHIM_EXTRAVERSION_LEN, XEN_EXTRAVERSION_LEN);
	assert_int_equal(XEN_SHIM_CAPABILITIES_LEN, XEN_CAPABILITIES_INFO_LEN);
	assert_int_equal(XEN_SHIM_CHANGESET_LEN, XEN_CHANGESET_INFO_LEN);
	assert_int_equal(XEN_SHIM_COMMANDLINE_LEN, sizeof(xen_commandline_t));
	assert_int_equal(XEN_SHIM_DOMAIN_HANDLE_LEN, sizeof(xen_domain_handle_t));
	assert_int_equal(sizeof(struct xen_shim_compile_info), sizeof(struct xen_compile_info));
	SAME_MEMBER(struct xen_shim_compile_info, struct xen_compile_info, compiler);
	SAME_MEMBER(struct xen_shim_compile_info, struct xen_compile_info, compile_by);
	SAME_MEMBER(struct xen_shim_compile_info, struct xen_compile_info, compile_domain);
	SAME_MEMBER(struct xen_shim_compile_info, struct xen_compile_info, compile_date);
	assert_int_equal(sizeof(struct xen_shim_platform_parameters),
			 sizeof(struct xen_platform_parameters));
	SAME_MEMBER(struct xen_shim_platform_parameters, struct xen_platform_parameters,
		    virt_start);
	assert_int_equal(XEN_SHIM_HYPERVISOR_VIRT_START, __HYPERVISOR_VIRT_START);
	/* get_features: the argument struct the shim reads and writes. */
	assert_int_equal(sizeof(struct proto_xen_feature_info), sizeof(struct xen_feature_info));
	assert_int_equal(1u << PROTO_XENFEAT_auto_translated_physmap,
			 1u << XENFEAT_auto_translated_physmap);
}

static void test_event_channel_bitmaps(void **state)
{
	struct xen_shim_shared_info *ours = NULL;
	struct shared_info *theirs = NULL;
	struct vcpu_info *vi = NULL;

	(void)state;
	assert_int_equal(XEN_SHIM_EVTCHN_PORT_COUNT, EVTCHN_2L_NR_CHANNELS);
	assert_int_equal(sizeof(ours->evtchn_pending), sizeof(theirs->evtchn_pending));
	assert_int_equal(sizeof(ours->evtchn_mask), sizeof(theirs->evtchn_mask));
	assert_int_equal(sizeof(ours->evtchn_pending[0]), sizeof(xen_ulong_t));
	assert_int_equal(sizeof(ours->vcpu_info[0].evtchn_pending_sel),
			 sizeof(vi->evtchn_pending_sel));
	assert_int_equal(sizeof(ours->vcpu_info[0].evtchn_upcall_pending),
			 sizeof(vi->evtchn_upcall_pending));
	/* One selector bit per pending word: ports / bits-per-word words. */
	assert_int_equal(8 * sizeof(ours->vcpu_info[0].evtchn_pending_sel),
			 sizeof(theirs->evtchn_pending) / sizeof(theirs->evtchn_pending[0]));
	(void)vi;
}

static void test_dispatched_numbers(void **state)
{
	(void)state;
	/* The current interface numbers, not the compat ones (16 / 19 / 6). */
	assert_int_equal(PROTO___HYPERVISOR_event_channel_op, __HYPERVISOR_event_channel_op);
	assert_int_equal(__HYPERVISOR_event_channel_op, 32);
	assert_int_equal(PROTO___HYPERVISOR_grant_table_op, __HYPERVISOR_grant_table_op);
	assert_int_equal(PROTO___HYPERVISOR_xen_version, __HYPERVISOR_xen_version);
	assert_int_equal(XEN_SHIM_DOMID, 0);
	assert_true(XEN_SHIM_CPU_COUNT_MAX >= 1);
	/* Grant frames of 512 v1 entries; handles fit the maptrack size. */
	assert_int_equal(PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME * sizeof(grant_entry_v1_t),
			 XEN_SHIM_PAGE_SIZE);
	assert_int_equal(XEN_SHIM_PAGE_SIZE, 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_buffers),
		cmocka_unit_test(test_event_channel_bitmaps),
		cmocka_unit_test(test_dispatched_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

int main(void)
{
	printf("libxen-dev headers (/usr/include/xen/xen.h) not installed: skipped\n");
	return 77;
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Xen grant tables: __HYPERVISOR_grant_table_op(cmd, arg, count) commands,
 * per-op status codes, grant-entry flags, map/copy flags and the argument
 * structs the xen-shim handles, in their x86-64 layout (domid_t = __u16,
 * grant_ref_t = grant_handle_t = __u32, xen_pfn_t and guest handles = 64
 * bits). Padding the compiler inserts in Xen's definitions is spelled out.
 *
 * Source: Xen public grant_table.h (libxen-dev 4.17); names are PROTO_ /
 * struct proto_ + the Xen spelling (the bit-number macros keep Xen's leading
 * underscore: PROTO__GTF_readonly). Cross-checked against that header.
 */
#ifndef PROTO_XEN_GNTTAB_H
#define PROTO_XEN_GNTTAB_H

#include "proto/abi.h"

#define PROTO_GNTTABOP_map_grant_ref 0
#define PROTO_GNTTABOP_unmap_grant_ref 1
#define PROTO_GNTTABOP_setup_table 2
#define PROTO_GNTTABOP_dump_table 3
#define PROTO_GNTTABOP_transfer 4
#define PROTO_GNTTABOP_copy 5
#define PROTO_GNTTABOP_query_size 6
#define PROTO_GNTTABOP_unmap_and_replace 7
#define PROTO_GNTTABOP_set_version 8
#define PROTO_GNTTABOP_get_status_frames 9
#define PROTO_GNTTABOP_get_version 10
#define PROTO_GNTTABOP_swap_grant_ref 11
#define PROTO_GNTTABOP_cache_flush 12

/* Per-op status (the status field of each op struct); the call returns 0. */
#define PROTO_GNTST_okay 0
#define PROTO_GNTST_general_error (-1)
#define PROTO_GNTST_bad_domain (-2)
#define PROTO_GNTST_bad_gntref (-3)
#define PROTO_GNTST_bad_handle (-4)
#define PROTO_GNTST_bad_virt_addr (-5)
#define PROTO_GNTST_bad_dev_addr (-6)
#define PROTO_GNTST_no_device_space (-7)
#define PROTO_GNTST_permission_denied (-8)
#define PROTO_GNTST_bad_page (-9)
#define PROTO_GNTST_bad_copy_arg (-10) /* offset + len crosses the page */
#define PROTO_GNTST_address_too_big (-11)
#define PROTO_GNTST_eagain (-12) /* would block; retry */
#define PROTO_GNTST_no_space (-13)

/* Grant entry flags: type in bits 1:0, then state/permission bits. */
#define PROTO_GTF_invalid (0U << 0)
#define PROTO_GTF_permit_access (1U << 0)
#define PROTO_GTF_accept_transfer (2U << 0)
#define PROTO_GTF_transitive (3U << 0)
#define PROTO_GTF_type_mask (3U << 0)
#define PROTO__GTF_readonly 2
#define PROTO_GTF_readonly (1U << PROTO__GTF_readonly)
#define PROTO__GTF_reading 3
#define PROTO_GTF_reading (1U << PROTO__GTF_reading)
#define PROTO__GTF_writing 4
#define PROTO_GTF_writing (1U << PROTO__GTF_writing)

/* GNTTABOP_map_grant_ref flags. */
#define PROTO__GNTMAP_device_map 0
#define PROTO_GNTMAP_device_map (1 << PROTO__GNTMAP_device_map)
#define PROTO__GNTMAP_host_map 1
#define PROTO_GNTMAP_host_map (1 << PROTO__GNTMAP_host_map)
#define PROTO__GNTMAP_readonly 2
#define PROTO_GNTMAP_readonly (1 << PROTO__GNTMAP_readonly)
#define PROTO__GNTMAP_application_map 3
#define PROTO_GNTMAP_application_map (1 << PROTO__GNTMAP_application_map)
#define PROTO__GNTMAP_contains_pte 4
#define PROTO_GNTMAP_contains_pte (1 << PROTO__GNTMAP_contains_pte)

/* GNTTABOP_copy flags: which side is a grant reference. */
#define PROTO__GNTCOPY_source_gref 0
#define PROTO_GNTCOPY_source_gref (1 << PROTO__GNTCOPY_source_gref)
#define PROTO__GNTCOPY_dest_gref 1
#define PROTO_GNTCOPY_dest_gref (1 << PROTO__GNTCOPY_dest_gref)

/* Version-1 grant entry: 8 bytes, so 512 per 4 KiB frame. */
struct proto_grant_entry_v1 {
	__u16 flags; /* PROTO_GTF_* */
	__u16 domid; /* the domain granted access */
	__u32 frame;
};
PROTO_ASSERT_OFFSET(struct proto_grant_entry_v1, flags, 0);
PROTO_ASSERT_OFFSET(struct proto_grant_entry_v1, domid, 2);
PROTO_ASSERT_OFFSET(struct proto_grant_entry_v1, frame, 4);
PROTO_ASSERT_SIZE(struct proto_grant_entry_v1, 8);
PROTO_ASSERT_ALIGN(struct proto_grant_entry_v1, 4);

#define PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME 512U
PROTO_ASSERT_VALUE(PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME * sizeof(struct proto_grant_entry_v1),
		   4096U);

/* IN host_addr, flags, ref, dom; OUT status, handle, dev_bus_addr. */
struct proto_gnttab_map_grant_ref {
	__aligned_u64 host_addr;
	__u32 flags; /* PROTO_GNTMAP_* */
	__u32 ref;
	__u16 dom;
	__s16 status; /* PROTO_GNTST_* */
	__u32 handle;
	__aligned_u64 dev_bus_addr;
};
PROTO_ASSERT_OFFSET(struct proto_gnttab_map_grant_ref, host_addr, 0);
PROTO_ASSERT_OFFSET(struct proto_gnttab_map_grant_ref, flags, 8);
PROTO_ASSERT_OFFSET(struct proto_gnttab_map_grant_ref, ref, 12);
PROTO_ASSERT_OFFSET(struct proto_gnttab_map_grant_ref, dom, 16);
PROTO_ASSERT_OFFSET(struct proto_gnttab_map_grant_ref, status, 18);
PROTO_ASSERT_OFFSET(struct proto_gnttab_map_grant_ref, handle, 20);
PROTO_ASSERT_OFFSET(struct proto_gnttab_map_grant_ref, dev_bus_addr, 24);
PROTO_ASSERT_SIZE(struct proto_gnttab_map_grant_ref, 32);
PROTO_ASSERT_ALIGN(struct proto_gnttab_map_grant_ref, 8);

/* IN host_addr, dev_bus_addr (0 = ignore), handle; OUT status. */
struct proto_gnttab_unmap_grant_ref {
	__aligned_u64 host_addr;
	__aligned_u64 dev_bus_addr;
	__u32 handle;
	__s16 status;
	__u8 pad[2];
};
PROTO_ASSERT_OFFSET(struct proto_gnttab_unmap_grant_ref, host_addr, 0);
PROTO_ASSERT_OFFSET(struct proto_gnttab_unmap_grant_ref, dev_bus_addr, 8);
PROTO_ASSERT_OFFSET(struct proto_gnttab_unmap_grant_ref, handle, 16);
PROTO_ASSERT_OFFSET(struct proto_gnttab_unmap_grant_ref, status, 20);
PROTO_ASSERT_OFFSET(struct proto_gnttab_unmap_grant_ref, pad, 22);
PROTO_ASSERT_SIZE(struct proto_gnttab_unmap_grant_ref, 24);
PROTO_ASSERT_ALIGN(struct proto_gnttab_unmap_grant_ref, 8);

/* IN dom, nr_frames; OUT status and frame_list (a guest handle of xen_pfn_t). */
struct proto_gnttab_setup_table {
	__u16 dom;
	__u8 pad0[2];
	__u32 nr_frames;
	__s16 status;
	__u8 pad1[6];
	__aligned_u64 frame_list;
};
PROTO_ASSERT_OFFSET(struct proto_gnttab_setup_table, dom, 0);
PROTO_ASSERT_OFFSET(struct proto_gnttab_setup_table, pad0, 2);
PROTO_ASSERT_OFFSET(struct proto_gnttab_setup_table, nr_frames, 4);
PROTO_ASSERT_OFFSET(struct proto_gnttab_setup_table, status, 8);
PROTO_ASSERT_OFFSET(struct proto_gnttab_setup_table, pad1, 10);
PROTO_ASSERT_OFFSET(struct proto_gnttab_setup_table, frame_list, 16);
PROTO_ASSERT_SIZE(struct proto_gnttab_setup_table, 24);
PROTO_ASSERT_ALIGN(struct proto_gnttab_setup_table, 8);

/* IN dom; OUT nr_frames, max_nr_frames, status. */
struct proto_gnttab_query_size {
	__u16 dom;
	__u8 pad0[2];
	__u32 nr_frames;
	__u32 max_nr_frames;
	__s16 status;
	__u8 pad1[2];
};
PROTO_ASSERT_OFFSET(struct proto_gnttab_query_size, dom, 0);
PROTO_ASSERT_OFFSET(struct proto_gnttab_query_size, pad0, 2);
PROTO_ASSERT_OFFSET(struct proto_gnttab_query_size, nr_frames, 4);
PROTO_ASSERT_OFFSET(struct proto_gnttab_query_size, max_nr_frames, 8);
PROTO_ASSERT_OFFSET(struct proto_gnttab_query_size, status, 12);
PROTO_ASSERT_OFFSET(struct proto_gnttab_query_size, pad1, 14);
PROTO_ASSERT_SIZE(struct proto_gnttab_query_size, 16);
PROTO_ASSERT_ALIGN(struct proto_gnttab_query_size, 4);

/*
 * One side of a copy: a grant reference in domid's table (GNTCOPY_*_gref
 * set) or a frame of DOMID_SELF, plus a byte offset inside that page.
 */
struct proto_gnttab_copy_ptr {
	union {
		__u32 ref;
		__aligned_u64 gmfn;
	} u;
	__u16 domid;
	__u16 offset;
	__u8 pad[4];
};
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy_ptr, u, 0);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy_ptr, u.ref, 0);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy_ptr, u.gmfn, 0);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy_ptr, domid, 8);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy_ptr, offset, 10);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy_ptr, pad, 12);
PROTO_ASSERT_SIZE(struct proto_gnttab_copy_ptr, 16);
PROTO_ASSERT_ALIGN(struct proto_gnttab_copy_ptr, 8);

/* IN source, dest, len, flags; OUT status. */
struct proto_gnttab_copy {
	struct proto_gnttab_copy_ptr source;
	struct proto_gnttab_copy_ptr dest;
	__u16 len;
	__u16 flags; /* PROTO_GNTCOPY_* */
	__s16 status;
	__u8 pad[2];
};
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy, source, 0);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy, dest, 16);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy, len, 32);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy, flags, 34);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy, status, 36);
PROTO_ASSERT_OFFSET(struct proto_gnttab_copy, pad, 38);
PROTO_ASSERT_SIZE(struct proto_gnttab_copy, 40);
PROTO_ASSERT_ALIGN(struct proto_gnttab_copy, 8);

#endif /* PROTO_XEN_GNTTAB_H */

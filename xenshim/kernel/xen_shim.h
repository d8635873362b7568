/* SPDX-License-Identifier: MIT */
/*
 * xen-shim: a Xen hypercall dispatcher that runs in the same ring as its
 * caller (the backend kernel plays dom0), with a small model of Xen's event
 * channels (2-level ABI) and version-1 grant tables between simulated
 * domains. See docs/xenshim.md.
 *
 * The caller of a hypercall is the domain bound to the calling CPU
 * (xen_shim_cpu_bind(); every CPU starts bound to dom0, the shim domain).
 * Guest handles (the pointer arguments of hypercalls) are addresses inside
 * the caller's guest memory; anything else is -EFAULT.
 *
 * Kernel style: includes only <linux/...>, <proto/...> and local headers.
 */
#ifndef _XEN_SHIM_H
#define _XEN_SHIM_H

#include <linux/bits.h>
#include <linux/types.h>

#include <proto/xen.h>
#include <proto/xen_evtchn.h>
#include <proto/xen_gnttab.h>

/* The shim plays dom0 (the RFC's XEN_SHIM_DOMID). */
#define XEN_SHIM_DOMID 0

/* Arguments forwarded to the dispatcher: rdi, rsi, rdx, r10, r8 (no r9). */
#define XEN_SHIM_HCALL_ARG_COUNT 5

/* Model bounds; every table below is allocated once, outside hypercalls. */
#define XEN_SHIM_PAGE_SHIFT 12
#define XEN_SHIM_PAGE_SIZE BIT(XEN_SHIM_PAGE_SHIFT)
#define XEN_SHIM_DOMAIN_COUNT_MAX 8
#define XEN_SHIM_CPU_COUNT_MAX 64
#define XEN_SHIM_DOMAIN_VCPU_COUNT_MAX 8
#define XEN_SHIM_MEM_PAGES_MAX 256
#define XEN_SHIM_GRANT_FRAMES_MAX 4
#define XEN_SHIM_MAPTRACK_COUNT 256
#define XEN_SHIM_GNTTAB_BATCH_MAX 64
#define XEN_SHIM_EVTCHN_PORT_COUNT PROTO_EVTCHN_2L_NR_CHANNELS
/* Attempts to pin a grant entry that the granting guest keeps changing. */
#define XEN_SHIM_GRANT_PIN_ATTEMPTS 5
/* Bound of the cmpxchg loop that clears GTF_reading/GTF_writing. */
#define XEN_SHIM_GRANT_UNPIN_ATTEMPTS 64

/* Default XENVER_version result: Xen 4.17 (the libxen-dev of Debian 12). */
#define XEN_SHIM_VERSION_DEFAULT ((4U << 16) | 17U)

/* xen_version buffers (Xen's public version.h sizes). */
#define XEN_SHIM_EXTRAVERSION_LEN 16
#define XEN_SHIM_CAPABILITIES_LEN 1024
#define XEN_SHIM_CHANGESET_LEN 64
#define XEN_SHIM_COMMANDLINE_LEN 1024
#define XEN_SHIM_DOMAIN_HANDLE_LEN 16
/* XENVER_platform_parameters: x86-64 __HYPERVISOR_VIRT_START. */
#define XEN_SHIM_HYPERVISOR_VIRT_START 0xFFFF800000000000ULL

/* XENVER_compile_info (struct xen_compile_info), 144 bytes. */
struct xen_shim_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};

/* XENVER_platform_parameters (struct xen_platform_parameters). */
struct xen_shim_platform_parameters {
	__aligned_u64 virt_start;
};

/* Event-channel state of one vCPU of a domain (vcpu_info's 2-level fields). */
struct xen_shim_vcpu_info {
	u8 evtchn_upcall_pending;
	u8 pad[7];
	unsigned long evtchn_pending_sel;
	/* Upcalls delivered to this vCPU (0 -> 1 transitions of upcall_pending). */
	u64 upcall_count;
};

/*
 * The event-channel part of a domain's shared_info: 2-level pending and mask
 * bitmaps plus the per-vCPU selector words. The guest reads and clears
 * pending bits and sets mask bits with atomic bitops, as on Xen; this is not
 * the byte layout of Xen's shared_info page.
 */
struct xen_shim_shared_info {
	unsigned long evtchn_pending[XEN_SHIM_EVTCHN_PORT_COUNT / (8 * sizeof(unsigned long))];
	unsigned long evtchn_mask[XEN_SHIM_EVTCHN_PORT_COUNT / (8 * sizeof(unsigned long))];
	struct xen_shim_vcpu_info vcpu_info[XEN_SHIM_DOMAIN_VCPU_COUNT_MAX];
};

struct xen_shim;

/* Notifications from the shim to the simulated platform. */
struct xen_shim_ops {
	/*
	 * @vcpu of @domid got an upcall (its evtchn_upcall_pending went 0 -> 1).
	 * Called inside the hypercall with preemption disabled and no shim lock
	 * held: it must not sleep.
	 */
	void (*upcall)(void *ctx, u16 domid, u32 vcpu);
};

struct xen_shim_config {
	/* XENVER_version result, (major << 16) | minor; 0: 4.17. */
	u32 version;
	/* Guest memory of dom0 in pages (1..XEN_SHIM_MEM_PAGES_MAX; 0: 16). */
	u32 dom0_mem_pages;
	/* Grant frames dom0 may set up (0..XEN_SHIM_GRANT_FRAMES_MAX; 0: 1). */
	u32 dom0_grant_frames_max;
	u32 dom0_vcpu_count; /* 1..XEN_SHIM_DOMAIN_VCPU_COUNT_MAX; 0: 1 */
	const struct xen_shim_ops *ops;
	void *ops_ctx;
};

struct xen_shim_domain_config {
	u16 domid; /* 1 .. DOMID_FIRST_RESERVED - 1 */
	u32 mem_pages; /* 1 .. XEN_SHIM_MEM_PAGES_MAX */
	u32 grant_frames_max; /* 0 .. XEN_SHIM_GRANT_FRAMES_MAX */
	u32 vcpu_count; /* 1 .. XEN_SHIM_DOMAIN_VCPU_COUNT_MAX */
};

int xen_shim_create(struct xen_shim **out, const struct xen_shim_config *config);
void xen_shim_destroy(struct xen_shim *shim);
int xen_shim_domain_create(struct xen_shim *shim, const struct xen_shim_domain_config *config);
int xen_shim_cpu_bind(struct xen_shim *shim, unsigned int cpu, u16 domid, u32 vcpu);

void *xen_shim_domain_memory(struct xen_shim *shim, u16 domid, unsigned long *size);
void *xen_shim_gfn_to_virt(struct xen_shim *shim, u16 domid, u64 gfn);
struct xen_shim_shared_info *xen_shim_domain_shared_info(struct xen_shim *shim, u16 domid);
u32 xen_shim_domain_mem_pages(struct xen_shim *shim, u16 domid);

long xen_shim_hypercall(struct xen_shim *shim, unsigned long nr,
			const unsigned long args[XEN_SHIM_HCALL_ARG_COUNT]);

#endif /* _XEN_SHIM_H */

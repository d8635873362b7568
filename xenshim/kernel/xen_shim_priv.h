/* SPDX-License-Identifier: MIT */
/*
 * xen-shim internals shared by core.c, version.c, evtchn.c and gnttab.c.
 */
#ifndef _XEN_SHIM_PRIV_H
#define _XEN_SHIM_PRIV_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "xen_shim.h"

/* Port states (Xen's ECS_*, reduced to what the modelled ops create). */
enum xen_shim_ecs {
	XEN_SHIM_ECS_FREE = 0,
	XEN_SHIM_ECS_RESERVED, /* port 0: never allocated */
	XEN_SHIM_ECS_UNBOUND,
	XEN_SHIM_ECS_INTERDOMAIN,
};

struct xen_shim_evtchn {
	u8 state; /* enum xen_shim_ecs */
	u16 remote_dom; /* unbound: who may bind; interdomain: the peer */
	u32 remote_port; /* interdomain: the peer's port */
	u32 notify_vcpu; /* this domain's vCPU that gets the upcall */
};

/* Pins of one grant entry held by mappings and copies. */
struct xen_shim_active_grant {
	u16 readers; /* read-only pins */
	u16 writers; /* read-write pins */
};

/* One mapping made by this domain of another domain's grant (a handle). */
struct xen_shim_maptrack {
	bool in_use;
	bool readonly;
	u16 dom;
	u32 ref;
	u64 host_addr;
	u64 dev_bus_addr;
};

struct xen_shim_domain {
	u16 domid;
	bool privileged; /* dom0 */
	u32 vcpu_count;
	u8 *mem; /* (mem_pages + grant_frames_max) pages */
	u32 mem_pages; /* ordinary pages: gfn 0 .. mem_pages - 1 */
	unsigned long mem_bytes; /* including the grant frames */
	struct xen_shim_evtchn *ports; /* XEN_SHIM_EVTCHN_PORT_COUNT, under evtchn_lock */
	struct xen_shim_shared_info shared;
	/* Grant table: frames live at gfn mem_pages + i; under gnttab_lock. */
	u32 grant_frames;
	u32 grant_frames_max;
	struct xen_shim_active_grant *active; /* grant_frames_max * 512 */
	struct xen_shim_maptrack *maptrack; /* XEN_SHIM_MAPTRACK_COUNT */
};

struct xen_shim {
	spinlock_t evtchn_lock; /* every domain's ports */
	spinlock_t gnttab_lock; /* every domain's grant table and maptrack */
	/* Published once with smp_store_release(), never removed before destroy. */
	struct xen_shim_domain *domains[XEN_SHIM_DOMAIN_COUNT_MAX];
	u16 cpu_domid[XEN_SHIM_CPU_COUNT_MAX];
	u32 cpu_vcpu[XEN_SHIM_CPU_COUNT_MAX];
	u32 version;
	const struct xen_shim_ops *ops;
	void *ops_ctx;
};

/* The calling domain and vCPU of a hypercall. */
struct xen_shim_caller {
	struct xen_shim *shim;
	struct xen_shim_domain *dom;
	u32 vcpu;
};

/* A pending upcall, delivered after the locks are dropped. */
struct xen_shim_upcall {
	bool due;
	u16 domid;
	u32 vcpu;
};

struct xen_shim_domain *xen_shim_find_domain(struct xen_shim *shim, u16 domid);
int xen_shim_copy_from_guest(const struct xen_shim_domain *d, void *dst, unsigned long src,
			     unsigned long size);
int xen_shim_copy_to_guest(const struct xen_shim_domain *d, unsigned long dst, const void *src,
			   unsigned long size);
void xen_shim_deliver_upcall(struct xen_shim *shim, struct xen_shim_upcall *upcall);

long xen_shim_version_op(struct xen_shim_caller *caller, unsigned long cmd, unsigned long arg);
long xen_shim_evtchn_op(struct xen_shim_caller *caller, unsigned long cmd, unsigned long arg);
long xen_shim_gnttab_op(struct xen_shim_caller *caller, unsigned long cmd, unsigned long uop,
			unsigned long count);

#endif /* _XEN_SHIM_PRIV_H */

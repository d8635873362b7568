// SPDX-License-Identifier: MIT
/*
 * xen-shim core: the shim object, simulated domains, CPU bindings, guest
 * handle copies and the hypercall dispatcher.
 *
 * Like the RFC's host hypercall entry, the dispatcher runs with preemption
 * disabled, so from the caller's point of view a hypercall is atomic with
 * respect to its CPU. Unlike it, the register file arrives explicitly, the
 * result is a sign-extended long, and every pointer argument is checked
 * against the caller's guest memory before it is used.
 */
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "xen_shim_priv.h"

#define XEN_SHIM_DOM0_MEM_PAGES_DEFAULT 16
#define XEN_SHIM_DOM0_GRANT_FRAMES_DEFAULT 1

/**
 * xen_shim_find_domain() - look a domain up by id.
 * @shim: the shim.
 * @domid: a real domain id (DOMID_SELF is not resolved here).
 *
 * Domains are published once and live until xen_shim_destroy(), so the
 * result stays valid without a lock.
 *
 * Return: the domain, or NULL.
 */
struct xen_shim_domain *xen_shim_find_domain(struct xen_shim *shim, u16 domid)
{
	unsigned int i;

	for (i = 0; i < XEN_SHIM_DOMAIN_COUNT_MAX; i++) {
		/* Pairs with domain_publish(): the domain is initialised. */
		struct xen_shim_domain *d = smp_load_acquire(&shim->domains[i]);

		if (d && d->domid == domid)
			return d;
	}
	return NULL;
}

static bool guest_range_ok(const struct xen_shim_domain *d, unsigned long addr,
			   unsigned long size)
{
	unsigned long base = (unsigned long)d->mem;
	unsigned long end = base + d->mem_bytes;

	if (!addr || addr < base || addr > end)
		return false;
	return size <= end - addr;
}

/**
 * xen_shim_copy_from_guest() - copy a hypercall argument in.
 * @d: the calling domain; the handle must lie inside its guest memory.
 * @dst: shim-side buffer.
 * @src: the guest handle.
 * @size: bytes to copy.
 *
 * Return: 0, or -EFAULT when [@src, @src + @size) is not guest memory of @d.
 */
int xen_shim_copy_from_guest(const struct xen_shim_domain *d, void *dst, unsigned long src,
			     unsigned long size)
{
	if (!guest_range_ok(d, src, size))
		return -EFAULT;
	memcpy(dst, (const void *)src, size);
	return 0;
}

/**
 * xen_shim_copy_to_guest() - copy a hypercall result out.
 * @d: the calling domain; the handle must lie inside its guest memory.
 * @dst: the guest handle.
 * @src: shim-side buffer.
 * @size: bytes to copy.
 *
 * Return: 0, or -EFAULT when [@dst, @dst + @size) is not guest memory of @d.
 */
int xen_shim_copy_to_guest(const struct xen_shim_domain *d, unsigned long dst, const void *src,
			   unsigned long size)
{
	if (!guest_range_ok(d, dst, size))
		return -EFAULT;
	memcpy((void *)dst, src, size);
	return 0;
}

/**
 * xen_shim_deliver_upcall() - tell the platform about an upcall, if one is due.
 * @shim: the shim.
 * @upcall: filled by the event-channel code under its lock; cleared here.
 *
 * Called with preemption disabled and no shim lock held.
 */
void xen_shim_deliver_upcall(struct xen_shim *shim, struct xen_shim_upcall *upcall)
{
	if (!upcall->due)
		return;
	upcall->due = false;
	if (shim->ops && shim->ops->upcall)
		shim->ops->upcall(shim->ops_ctx, upcall->domid, upcall->vcpu);
}

static void domain_free(struct xen_shim_domain *d)
{
	if (!d)
		return;
	kfree(d->maptrack);
	kfree(d->active);
	kfree(d->ports);
	kfree(d->mem);
	kfree(d);
}

static int domain_alloc(struct xen_shim_domain **out, u16 domid, u32 mem_pages,
			u32 grant_frames_max, u32 vcpu_count)
{
	struct xen_shim_domain *d;
	unsigned long pages = (unsigned long)mem_pages + grant_frames_max;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->domid = domid;
	d->privileged = domid == XEN_SHIM_DOMID;
	d->vcpu_count = vcpu_count;
	d->mem_pages = mem_pages;
	d->mem_bytes = pages << XEN_SHIM_PAGE_SHIFT;
	d->grant_frames_max = grant_frames_max;
	d->mem = kzalloc(d->mem_bytes, GFP_KERNEL);
	d->ports = kcalloc(XEN_SHIM_EVTCHN_PORT_COUNT, sizeof(*d->ports), GFP_KERNEL);
	d->maptrack = kcalloc(XEN_SHIM_MAPTRACK_COUNT, sizeof(*d->maptrack), GFP_KERNEL);
	if (grant_frames_max)
		d->active = kcalloc((size_t)grant_frames_max * PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME,
				    sizeof(*d->active), GFP_KERNEL);
	if (!d->mem || !d->ports || !d->maptrack || (grant_frames_max && !d->active)) {
		domain_free(d);
		return -ENOMEM;
	}
	/* Port 0 is never handed out (Xen reserves it). */
	d->ports[0].state = XEN_SHIM_ECS_RESERVED;
	*out = d;
	return 0;
}

static int domain_publish(struct xen_shim *shim, struct xen_shim_domain *d)
{
	unsigned int i;

	for (i = 0; i < XEN_SHIM_DOMAIN_COUNT_MAX; i++) {
		if (!shim->domains[i]) {
			/* Pairs with xen_shim_find_domain(). */
			smp_store_release(&shim->domains[i], d);
			return 0;
		}
	}
	return -ENOSPC;
}

static bool counts_ok(u32 mem_pages, u32 grant_frames_max, u32 vcpu_count)
{
	return mem_pages >= 1 && mem_pages <= XEN_SHIM_MEM_PAGES_MAX &&
	       grant_frames_max <= XEN_SHIM_GRANT_FRAMES_MAX && vcpu_count >= 1 &&
	       vcpu_count <= XEN_SHIM_DOMAIN_VCPU_COUNT_MAX;
}

/**
 * xen_shim_create() - create a shim and its dom0.
 * @out: the new shim.
 * @config: options, or NULL for the defaults.
 *
 * Every CPU starts bound to dom0, vCPU 0. Call outside hypercalls.
 *
 * Return: 0, -EINVAL (a count out of range), -ENOMEM.
 */
int xen_shim_create(struct xen_shim **out, const struct xen_shim_config *config)
{
	static const struct xen_shim_config defaults;
	struct xen_shim_domain *dom0;
	struct xen_shim *shim;
	u32 mem_pages, frames, vcpus;
	int ret;

	if (!out)
		return -EINVAL;
	if (!config)
		config = &defaults;
	mem_pages = config->dom0_mem_pages ?: XEN_SHIM_DOM0_MEM_PAGES_DEFAULT;
	frames = config->dom0_grant_frames_max ?: XEN_SHIM_DOM0_GRANT_FRAMES_DEFAULT;
	vcpus = config->dom0_vcpu_count ?: 1;
	if (!counts_ok(mem_pages, frames, vcpus)) {
		pr_err("xen-shim: dom0 config out of range (pages %u, frames %u, vcpus %u)\n",
		       mem_pages, frames, vcpus);
		return -EINVAL;
	}
	shim = kzalloc(sizeof(*shim), GFP_KERNEL);
	if (!shim)
		return -ENOMEM;
	spin_lock_init(&shim->evtchn_lock);
	spin_lock_init(&shim->gnttab_lock);
	shim->version = config->version ?: XEN_SHIM_VERSION_DEFAULT;
	shim->ops = config->ops;
	shim->ops_ctx = config->ops_ctx;
	ret = domain_alloc(&dom0, XEN_SHIM_DOMID, mem_pages, frames, vcpus);
	if (ret) {
		kfree(shim);
		return ret;
	}
	shim->domains[0] = dom0;
	*out = shim;
	return 0;
}

/**
 * xen_shim_destroy() - free a shim, its domains and their memory.
 * @shim: the shim, or NULL. No hypercall may be in flight.
 */
void xen_shim_destroy(struct xen_shim *shim)
{
	unsigned int i;

	if (!shim)
		return;
	for (i = 0; i < XEN_SHIM_DOMAIN_COUNT_MAX; i++)
		domain_free(shim->domains[i]);
	kfree(shim);
}

/**
 * xen_shim_domain_create() - add a simulated guest domain.
 * @shim: the shim.
 * @config: its id, memory, grant frames and vCPUs.
 *
 * Return: 0, -EINVAL (NULL, domid 0 or reserved, a count out of range),
 * -EEXIST (domid in use), -ENOSPC (XEN_SHIM_DOMAIN_COUNT_MAX domains), -ENOMEM.
 */
int xen_shim_domain_create(struct xen_shim *shim, const struct xen_shim_domain_config *config)
{
	struct xen_shim_domain *d;
	int ret;

	if (!shim || !config)
		return -EINVAL;
	if (config->domid == XEN_SHIM_DOMID || config->domid >= PROTO_DOMID_FIRST_RESERVED ||
	    !counts_ok(config->mem_pages, config->grant_frames_max, config->vcpu_count)) {
		pr_err("xen-shim: bad domain config (domid %u)\n", config->domid);
		return -EINVAL;
	}
	if (xen_shim_find_domain(shim, config->domid))
		return -EEXIST;
	ret = domain_alloc(&d, config->domid, config->mem_pages, config->grant_frames_max,
			   config->vcpu_count);
	if (ret)
		return ret;
	ret = domain_publish(shim, d);
	if (ret)
		domain_free(d);
	return ret;
}

/**
 * xen_shim_cpu_bind() - make @cpu run vCPU @vcpu of domain @domid.
 * @shim: the shim.
 * @cpu: simulated CPU (smp_processor_id() of the caller of a hypercall).
 * @domid: an existing domain.
 * @vcpu: the domain's vCPU the CPU runs.
 *
 * Hypercalls issued on @cpu then come from that domain and vCPU.
 *
 * Return: 0, -EINVAL (cpu or vcpu out of range), -ESRCH (no such domain).
 */
int xen_shim_cpu_bind(struct xen_shim *shim, unsigned int cpu, u16 domid, u32 vcpu)
{
	struct xen_shim_domain *d;

	if (!shim || cpu >= XEN_SHIM_CPU_COUNT_MAX)
		return -EINVAL;
	d = xen_shim_find_domain(shim, domid);
	if (!d)
		return -ESRCH;
	if (vcpu >= d->vcpu_count)
		return -EINVAL;
	WRITE_ONCE(shim->cpu_domid[cpu], domid);
	WRITE_ONCE(shim->cpu_vcpu[cpu], vcpu);
	return 0;
}

/**
 * xen_shim_domain_memory() - the guest memory of a domain.
 * @shim: the shim.
 * @domid: the domain.
 * @size: if not NULL, set to the size in bytes (grant frames included).
 *
 * Return: its base (gfn 0), or NULL for an unknown domain.
 */
void *xen_shim_domain_memory(struct xen_shim *shim, u16 domid, unsigned long *size)
{
	struct xen_shim_domain *d = shim ? xen_shim_find_domain(shim, domid) : NULL;

	if (!d)
		return NULL;
	if (size)
		*size = d->mem_bytes;
	return d->mem;
}

/**
 * xen_shim_gfn_to_virt() - the address of one guest frame.
 * @shim: the shim.
 * @domid: the domain.
 * @gfn: a frame, ordinary memory or grant-table frame.
 *
 * Return: the frame's address, or NULL (unknown domain, gfn out of range).
 */
void *xen_shim_gfn_to_virt(struct xen_shim *shim, u16 domid, u64 gfn)
{
	struct xen_shim_domain *d = shim ? xen_shim_find_domain(shim, domid) : NULL;

	if (!d || gfn >= (d->mem_bytes >> XEN_SHIM_PAGE_SHIFT))
		return NULL;
	return d->mem + (gfn << XEN_SHIM_PAGE_SHIFT);
}

/**
 * xen_shim_domain_shared_info() - the event-channel bitmaps of a domain.
 * @shim: the shim.
 * @domid: the domain.
 *
 * Return: the domain's shared info, or NULL for an unknown domain.
 */
struct xen_shim_shared_info *xen_shim_domain_shared_info(struct xen_shim *shim, u16 domid)
{
	struct xen_shim_domain *d = shim ? xen_shim_find_domain(shim, domid) : NULL;

	return d ? &d->shared : NULL;
}

/**
 * xen_shim_domain_mem_pages() - ordinary (non-grant) pages of a domain.
 * @shim: the shim.
 * @domid: the domain.
 *
 * Return: the page count, 0 for an unknown domain.
 */
u32 xen_shim_domain_mem_pages(struct xen_shim *shim, u16 domid)
{
	struct xen_shim_domain *d = shim ? xen_shim_find_domain(shim, domid) : NULL;

	return d ? d->mem_pages : 0;
}

static long dispatch(struct xen_shim_caller *caller, unsigned long nr,
		     const unsigned long args[XEN_SHIM_HCALL_ARG_COUNT])
{
	switch (nr) {
	case PROTO___HYPERVISOR_xen_version:
		return xen_shim_version_op(caller, args[0], args[1]);
	case PROTO___HYPERVISOR_event_channel_op:
		return xen_shim_evtchn_op(caller, args[0], args[1]);
	case PROTO___HYPERVISOR_grant_table_op:
		return xen_shim_gnttab_op(caller, args[0], args[1], args[2]);
	default:
		return -ENOSYS;
	}
}

/**
 * xen_shim_hypercall() - the shim's hypercall entry.
 * @shim: the registered shim, or NULL when none is.
 * @nr: hypercall number (rax).
 * @args: rdi, rsi, rdx, r10, r8.
 *
 * Runs the call for the domain bound to the calling CPU, with preemption
 * disabled for the whole dispatch. Implemented: xen_version,
 * event_channel_op and grant_table_op (subsets, see docs/xenshim.md);
 * everything else returns -ENOSYS.
 *
 * Return: the hypercall's result, a negative Xen errno on failure; -ENODEV
 * when @shim is NULL.
 */
long xen_shim_hypercall(struct xen_shim *shim, unsigned long nr,
			const unsigned long args[XEN_SHIM_HCALL_ARG_COUNT])
{
	struct xen_shim_caller caller = { .shim = shim };
	unsigned int cpu;
	long ret;

	if (!shim || !args)
		return -ENODEV;
	preempt_disable();
	cpu = smp_processor_id();
	if (WARN_ON_ONCE(cpu >= XEN_SHIM_CPU_COUNT_MAX)) {
		ret = -EINVAL;
		goto out;
	}
	caller.dom = xen_shim_find_domain(shim, READ_ONCE(shim->cpu_domid[cpu]));
	caller.vcpu = READ_ONCE(shim->cpu_vcpu[cpu]);
	if (WARN_ON_ONCE(!caller.dom)) {
		ret = -ESRCH;
		goto out;
	}
	ret = dispatch(&caller, nr, args);
out:
	preempt_enable();
	return ret;
}

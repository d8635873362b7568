// SPDX-License-Identifier: MIT
/*
 * xen-shim: __HYPERVISOR_event_channel_op, 2-level ABI.
 *
 * Modelled: alloc_unbound, bind_interdomain, send, close, unmask, status
 * with Xen's argument checks and error codes; every other command is
 * -ENOSYS. One lock (evtchn_lock) covers the port tables of all domains;
 * the pending/mask/selector bits are atomic bitops shared with the guests,
 * as in Xen's shared_info.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>

#include "xen_shim_priv.h"

#define PORT_BITS (8 * sizeof(unsigned long))

static bool port_valid(u32 port)
{
	return port < XEN_SHIM_EVTCHN_PORT_COUNT;
}

/* Resolve DOMID_SELF; other domains only for the privileged caller. */
static int resolve_dom(struct xen_shim_caller *caller, u16 dom, struct xen_shim_domain **out)
{
	if (dom == PROTO_DOMID_SELF || dom == caller->dom->domid) {
		*out = caller->dom;
		return 0;
	}
	if (!caller->dom->privileged)
		return -EPERM;
	*out = xen_shim_find_domain(caller->shim, dom);
	return *out ? 0 : -ESRCH;
}

/* Lowest free port >= 1 (called with evtchn_lock held). */
static int get_free_port(struct xen_shim_domain *d)
{
	u32 port;

	for (port = 1; port < XEN_SHIM_EVTCHN_PORT_COUNT; port++) {
		if (d->ports[port].state == XEN_SHIM_ECS_FREE)
			return port;
	}
	return -ENOSPC;
}

/*
 * The 2-level set-pending algorithm: latch pending; stop if it was already
 * pending or the port is masked; set the selector bit; the upcall is due
 * when upcall_pending goes 0 -> 1.
 */
static void set_pending(struct xen_shim_domain *d, u32 port, struct xen_shim_upcall *upcall)
{
	u32 vcpu = d->ports[port].notify_vcpu;
	struct xen_shim_vcpu_info *vi = &d->shared.vcpu_info[vcpu];

	if (test_and_set_bit(port, d->shared.evtchn_pending))
		return;
	if (test_bit(port, d->shared.evtchn_mask))
		return;
	if (test_and_set_bit(port / PORT_BITS, &vi->evtchn_pending_sel))
		return;
	if (xchg(&vi->evtchn_upcall_pending, 1))
		return;
	vi->upcall_count++;
	upcall->due = true;
	upcall->domid = d->domid;
	upcall->vcpu = vcpu;
}

static long alloc_unbound(struct xen_shim_caller *caller, unsigned long arg)
{
	unsigned long flags;
	struct proto_evtchn_alloc_unbound op;
	struct xen_shim_domain *d;
	int port, ret;

	if (xen_shim_copy_from_guest(caller->dom, &op, arg, sizeof(op)))
		return -EFAULT;
	ret = resolve_dom(caller, op.dom, &d);
	if (ret)
		return ret;
	spin_lock_irqsave(&caller->shim->evtchn_lock, flags);
	port = get_free_port(d);
	if (port > 0) {
		d->ports[port].state = XEN_SHIM_ECS_UNBOUND;
		d->ports[port].remote_dom =
			op.remote_dom == PROTO_DOMID_SELF ? caller->dom->domid : op.remote_dom;
		d->ports[port].remote_port = 0;
		d->ports[port].notify_vcpu = 0;
	}
	spin_unlock_irqrestore(&caller->shim->evtchn_lock, flags);
	if (port < 0)
		return port;
	op.port = port;
	/* Same range as the copy in: cannot fault. */
	return xen_shim_copy_to_guest(caller->dom, arg, &op, sizeof(op));
}

static long bind_interdomain(struct xen_shim_caller *caller, unsigned long arg)
{
	unsigned long flags;
	struct proto_evtchn_bind_interdomain op;
	struct xen_shim_upcall upcall = { .due = false };
	struct xen_shim_domain *ld = caller->dom, *rd;
	struct xen_shim_evtchn *rchn;
	u16 rdom;
	long ret;
	int lport;

	if (xen_shim_copy_from_guest(ld, &op, arg, sizeof(op)))
		return -EFAULT;
	rdom = op.remote_dom == PROTO_DOMID_SELF ? ld->domid : op.remote_dom;
	rd = xen_shim_find_domain(caller->shim, rdom);
	if (!rd)
		return -ESRCH;
	spin_lock_irqsave(&caller->shim->evtchn_lock, flags);
	lport = get_free_port(ld);
	if (lport < 0) {
		ret = lport;
		goto unlock;
	}
	ret = -EINVAL;
	if (!port_valid(op.remote_port))
		goto unlock;
	rchn = &rd->ports[op.remote_port];
	/* Must be unbound and offered to us (this also rules out lport itself). */
	if (rchn->state != XEN_SHIM_ECS_UNBOUND || rchn->remote_dom != ld->domid)
		goto unlock;
	ld->ports[lport].state = XEN_SHIM_ECS_INTERDOMAIN;
	ld->ports[lport].remote_dom = rd->domid;
	ld->ports[lport].remote_port = op.remote_port;
	ld->ports[lport].notify_vcpu = 0;
	rchn->state = XEN_SHIM_ECS_INTERDOMAIN;
	rchn->remote_dom = ld->domid;
	rchn->remote_port = lport;
	/* As Xen: notifications sent to the unbound end may be lost; notify. */
	set_pending(ld, lport, &upcall);
	ret = 0;
unlock:
	spin_unlock_irqrestore(&caller->shim->evtchn_lock, flags);
	xen_shim_deliver_upcall(caller->shim, &upcall);
	if (ret)
		return ret;
	op.local_port = lport;
	return xen_shim_copy_to_guest(ld, arg, &op, sizeof(op));
}

static long evtchn_send(struct xen_shim_caller *caller, unsigned long arg)
{
	unsigned long flags;
	struct proto_evtchn_send op;
	struct xen_shim_upcall upcall = { .due = false };
	struct xen_shim_domain *ld = caller->dom, *rd;
	struct xen_shim_evtchn *chn;
	long ret = 0;

	if (xen_shim_copy_from_guest(ld, &op, arg, sizeof(op)))
		return -EFAULT;
	if (!port_valid(op.port))
		return -EINVAL;
	spin_lock_irqsave(&caller->shim->evtchn_lock, flags);
	chn = &ld->ports[op.port];
	switch (chn->state) {
	case XEN_SHIM_ECS_INTERDOMAIN:
		rd = xen_shim_find_domain(caller->shim, chn->remote_dom);
		if (WARN_ON_ONCE(!rd))
			ret = -EINVAL;
		else
			set_pending(rd, chn->remote_port, &upcall);
		break;
	case XEN_SHIM_ECS_UNBOUND:
		/* Silently dropped, as on Xen. */
		break;
	default:
		ret = -EINVAL;
		break;
	}
	spin_unlock_irqrestore(&caller->shim->evtchn_lock, flags);
	xen_shim_deliver_upcall(caller->shim, &upcall);
	return ret;
}

static long close_port(struct xen_shim_caller *caller, unsigned long arg)
{
	unsigned long flags;
	struct proto_evtchn_close op;
	struct xen_shim_domain *ld = caller->dom, *rd;
	struct xen_shim_evtchn *chn;
	long ret = 0;

	if (xen_shim_copy_from_guest(ld, &op, arg, sizeof(op)))
		return -EFAULT;
	if (!port_valid(op.port))
		return -EINVAL;
	spin_lock_irqsave(&caller->shim->evtchn_lock, flags);
	chn = &ld->ports[op.port];
	switch (chn->state) {
	case XEN_SHIM_ECS_INTERDOMAIN:
		/* The peer goes back to unbound, offered to us again. */
		rd = xen_shim_find_domain(caller->shim, chn->remote_dom);
		if (!WARN_ON_ONCE(!rd)) {
			rd->ports[chn->remote_port].state = XEN_SHIM_ECS_UNBOUND;
			rd->ports[chn->remote_port].remote_dom = ld->domid;
			rd->ports[chn->remote_port].remote_port = 0;
		}
		fallthrough;
	case XEN_SHIM_ECS_UNBOUND:
		clear_bit(op.port, ld->shared.evtchn_pending);
		clear_bit(op.port, ld->shared.evtchn_mask);
		chn->state = XEN_SHIM_ECS_FREE;
		chn->remote_dom = 0;
		chn->remote_port = 0;
		chn->notify_vcpu = 0;
		break;
	default:
		ret = -EINVAL;
		break;
	}
	spin_unlock_irqrestore(&caller->shim->evtchn_lock, flags);
	return ret;
}

static long evtchn_unmask(struct xen_shim_caller *caller, unsigned long arg)
{
	unsigned long flags;
	struct proto_evtchn_unmask op;
	struct xen_shim_upcall upcall = { .due = false };
	struct xen_shim_domain *ld = caller->dom;
	struct xen_shim_vcpu_info *vi;
	u32 vcpu;

	if (xen_shim_copy_from_guest(ld, &op, arg, sizeof(op)))
		return -EFAULT;
	if (!port_valid(op.port))
		return -EINVAL;
	spin_lock_irqsave(&caller->shim->evtchn_lock, flags);
	vcpu = ld->ports[op.port].notify_vcpu;
	vi = &ld->shared.vcpu_info[vcpu];
	/* Deliver what was latched while masked, once. */
	if (test_and_clear_bit(op.port, ld->shared.evtchn_mask) &&
	    test_bit(op.port, ld->shared.evtchn_pending) &&
	    !test_and_set_bit(op.port / PORT_BITS, &vi->evtchn_pending_sel) &&
	    !xchg(&vi->evtchn_upcall_pending, 1)) {
		vi->upcall_count++;
		upcall.due = true;
		upcall.domid = ld->domid;
		upcall.vcpu = vcpu;
	}
	spin_unlock_irqrestore(&caller->shim->evtchn_lock, flags);
	xen_shim_deliver_upcall(caller->shim, &upcall);
	return 0;
}

static long evtchn_status(struct xen_shim_caller *caller, unsigned long arg)
{
	unsigned long flags;
	struct proto_evtchn_status op;
	struct xen_shim_domain *d;
	struct xen_shim_evtchn *chn;
	int ret;

	if (xen_shim_copy_from_guest(caller->dom, &op, arg, sizeof(op)))
		return -EFAULT;
	ret = resolve_dom(caller, op.dom, &d);
	if (ret)
		return ret;
	if (!port_valid(op.port))
		return -EINVAL;
	spin_lock_irqsave(&caller->shim->evtchn_lock, flags);
	chn = &d->ports[op.port];
	op.vcpu = chn->notify_vcpu;
	switch (chn->state) {
	case XEN_SHIM_ECS_UNBOUND:
		op.status = PROTO_EVTCHNSTAT_unbound;
		op.u.unbound.dom = chn->remote_dom;
		break;
	case XEN_SHIM_ECS_INTERDOMAIN:
		op.status = PROTO_EVTCHNSTAT_interdomain;
		op.u.interdomain.dom = chn->remote_dom;
		op.u.interdomain.port = chn->remote_port;
		break;
	default:
		op.status = PROTO_EVTCHNSTAT_closed;
		break;
	}
	spin_unlock_irqrestore(&caller->shim->evtchn_lock, flags);
	return xen_shim_copy_to_guest(caller->dom, arg, &op, sizeof(op));
}

/**
 * xen_shim_evtchn_op() - __HYPERVISOR_event_channel_op(cmd, arg).
 * @caller: the calling domain.
 * @cmd: EVTCHNOP_* (an int in Xen's prototype: the upper 32 bits are ignored).
 * @arg: guest handle of the command's struct.
 *
 * Return: 0; -EFAULT (bad handle), -EINVAL (bad port or port state), -EPERM
 * (another domain's ports without privilege), -ESRCH (no such domain),
 * -ENOSPC (no free port), -ENOSYS (command not modelled).
 */
long xen_shim_evtchn_op(struct xen_shim_caller *caller, unsigned long cmd, unsigned long arg)
{
	switch ((int)cmd) {
	case PROTO_EVTCHNOP_alloc_unbound:
		return alloc_unbound(caller, arg);
	case PROTO_EVTCHNOP_bind_interdomain:
		return bind_interdomain(caller, arg);
	case PROTO_EVTCHNOP_send:
		return evtchn_send(caller, arg);
	case PROTO_EVTCHNOP_close:
		return close_port(caller, arg);
	case PROTO_EVTCHNOP_unmask:
		return evtchn_unmask(caller, arg);
	case PROTO_EVTCHNOP_status:
		return evtchn_status(caller, arg);
	default:
		return -ENOSYS;
	}
}

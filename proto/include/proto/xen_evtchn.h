/* SPDX-License-Identifier: MIT */
/*
 * Xen event channels: __HYPERVISOR_event_channel_op(cmd, arg) commands, port
 * status values and the argument structs the xen-shim handles, in their
 * x86-64 layout (domid_t = __u16, evtchn_port_t = __u32). Padding that the C
 * compiler inserts in Xen's definitions is spelled out as pad fields here.
 *
 * Source: Xen public event_channel.h (libxen-dev 4.17); names are PROTO_ /
 * struct proto_ + the Xen spelling, and every value and layout is
 * cross-checked against that header.
 */
#ifndef PROTO_XEN_EVTCHN_H
#define PROTO_XEN_EVTCHN_H

#include "proto/abi.h"

#define PROTO_EVTCHNOP_bind_interdomain 0
#define PROTO_EVTCHNOP_bind_virq 1
#define PROTO_EVTCHNOP_bind_pirq 2
#define PROTO_EVTCHNOP_close 3
#define PROTO_EVTCHNOP_send 4
#define PROTO_EVTCHNOP_status 5
#define PROTO_EVTCHNOP_alloc_unbound 6
#define PROTO_EVTCHNOP_bind_ipi 7
#define PROTO_EVTCHNOP_bind_vcpu 8
#define PROTO_EVTCHNOP_unmask 9
#define PROTO_EVTCHNOP_reset 10
#define PROTO_EVTCHNOP_init_control 11 /* FIFO ABI */
#define PROTO_EVTCHNOP_expand_array 12 /* FIFO ABI */
#define PROTO_EVTCHNOP_set_priority 13 /* FIFO ABI */
/* 14: reset_cont, Xen-internal (continuation of reset) */

/* EVTCHNOP_status results. */
#define PROTO_EVTCHNSTAT_closed 0
#define PROTO_EVTCHNSTAT_unbound 1
#define PROTO_EVTCHNSTAT_interdomain 2
#define PROTO_EVTCHNSTAT_pirq 3
#define PROTO_EVTCHNSTAT_virq 4
#define PROTO_EVTCHNSTAT_ipi 5

/*
 * Ports of the 2-level ABI on x86-64: 64 selector bits x 64 pending bits.
 * Port 0 is never a valid channel.
 */
#define PROTO_EVTCHN_2L_NR_CHANNELS 4096U

/* IN dom, remote_dom (DOMID_SELF allowed); OUT port. */
struct proto_evtchn_alloc_unbound {
	__u16 dom;
	__u16 remote_dom;
	__u32 port;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_alloc_unbound, dom, 0);
PROTO_ASSERT_OFFSET(struct proto_evtchn_alloc_unbound, remote_dom, 2);
PROTO_ASSERT_OFFSET(struct proto_evtchn_alloc_unbound, port, 4);
PROTO_ASSERT_SIZE(struct proto_evtchn_alloc_unbound, 8);
PROTO_ASSERT_ALIGN(struct proto_evtchn_alloc_unbound, 4);

/* IN remote_dom, remote_port; OUT local_port. */
struct proto_evtchn_bind_interdomain {
	__u16 remote_dom;
	__u8 pad[2];
	__u32 remote_port;
	__u32 local_port;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_interdomain, remote_dom, 0);
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_interdomain, pad, 2);
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_interdomain, remote_port, 4);
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_interdomain, local_port, 8);
PROTO_ASSERT_SIZE(struct proto_evtchn_bind_interdomain, 12);
PROTO_ASSERT_ALIGN(struct proto_evtchn_bind_interdomain, 4);

/* IN virq, vcpu; OUT port. */
struct proto_evtchn_bind_virq {
	__u32 virq;
	__u32 vcpu;
	__u32 port;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_virq, virq, 0);
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_virq, vcpu, 4);
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_virq, port, 8);
PROTO_ASSERT_SIZE(struct proto_evtchn_bind_virq, 12);
PROTO_ASSERT_ALIGN(struct proto_evtchn_bind_virq, 4);

/* IN vcpu; OUT port. */
struct proto_evtchn_bind_ipi {
	__u32 vcpu;
	__u32 port;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_ipi, vcpu, 0);
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_ipi, port, 4);
PROTO_ASSERT_SIZE(struct proto_evtchn_bind_ipi, 8);
PROTO_ASSERT_ALIGN(struct proto_evtchn_bind_ipi, 4);

/* IN port. An interdomain peer goes back to unbound. */
struct proto_evtchn_close {
	__u32 port;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_close, port, 0);
PROTO_ASSERT_SIZE(struct proto_evtchn_close, 4);
PROTO_ASSERT_ALIGN(struct proto_evtchn_close, 4);

/* IN port: notify the remote end. */
struct proto_evtchn_send {
	__u32 port;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_send, port, 0);
PROTO_ASSERT_SIZE(struct proto_evtchn_send, 4);
PROTO_ASSERT_ALIGN(struct proto_evtchn_send, 4);

/* IN dom, port; OUT status (EVTCHNSTAT_*), vcpu and the per-status union. */
struct proto_evtchn_status {
	__u16 dom;
	__u8 pad[2];
	__u32 port;
	__u32 status;
	__u32 vcpu;
	union {
		struct {
			__u16 dom;
		} unbound;
		struct {
			__u16 dom;
			__u8 pad[2];
			__u32 port;
		} interdomain;
		__u32 pirq;
		__u32 virq;
	} u;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, dom, 0);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, pad, 2);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, port, 4);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, status, 8);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, vcpu, 12);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, u, 16);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, u.unbound.dom, 16);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, u.interdomain.dom, 16);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, u.interdomain.port, 20);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, u.pirq, 16);
PROTO_ASSERT_OFFSET(struct proto_evtchn_status, u.virq, 16);
PROTO_ASSERT_SIZE(struct proto_evtchn_status, 24);
PROTO_ASSERT_ALIGN(struct proto_evtchn_status, 4);

/* IN port, vcpu: re-target notifications. */
struct proto_evtchn_bind_vcpu {
	__u32 port;
	__u32 vcpu;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_vcpu, port, 0);
PROTO_ASSERT_OFFSET(struct proto_evtchn_bind_vcpu, vcpu, 4);
PROTO_ASSERT_SIZE(struct proto_evtchn_bind_vcpu, 8);
PROTO_ASSERT_ALIGN(struct proto_evtchn_bind_vcpu, 4);

/* IN port: clear the mask bit, deliver if pending. */
struct proto_evtchn_unmask {
	__u32 port;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_unmask, port, 0);
PROTO_ASSERT_SIZE(struct proto_evtchn_unmask, 4);
PROTO_ASSERT_ALIGN(struct proto_evtchn_unmask, 4);

/* IN dom: close every channel of the domain. */
struct proto_evtchn_reset {
	__u16 dom;
};
PROTO_ASSERT_OFFSET(struct proto_evtchn_reset, dom, 0);
PROTO_ASSERT_SIZE(struct proto_evtchn_reset, 2);
PROTO_ASSERT_ALIGN(struct proto_evtchn_reset, 2);

#endif /* PROTO_XEN_EVTCHN_H */

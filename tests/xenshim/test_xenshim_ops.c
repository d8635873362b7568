// SPDX-License-Identifier: MIT
/*
 * Goal: every modelled hypercall behaves as documented in docs/xenshim.md
 * with good and bad arguments: xen_version sub-ops and the RFC's
 * get_features rules; the event-channel subset (alloc_unbound,
 * bind_interdomain, send, close, unmask, status) between domains, with the
 * 2-level pending/mask/selector algorithm and Xen's error codes; the grant
 * table subset (setup_table, query_size, map/unmap, copy) with per-op
 * GNTST_* statuses; everything else -ENOSYS. Bad guest handles give -EFAULT
 * (or the documented status), never a crash.
 * Method: a shim with dom0 and two guests; every call goes through the real
 * hypercall page (machine code on x86-64) registered in a slot, from CPU 0
 * bound to the calling domain. Outside an engine run (kshim pure mode).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <linux/bitops.h>
#include <linux/preempt.h>

#include "xen_shim.h"
#include "xenshim/xenshim.h"

#define DOM1 1
#define DOM2 2
#define DOM_ABSENT 9
#define DOM1_PAGES 16
#define DOM2_PAGES 8
#define HV_VERSION PROTO___HYPERVISOR_xen_version
#define HV_EVTCHN PROTO___HYPERVISOR_event_channel_op
#define HV_GNTTAB PROTO___HYPERVISOR_grant_table_op

struct env {
	struct xen_shim *shim;
	struct xenshim_page *page;
	struct xenshim_lcall *slot;
	uint32_t upcalls;
	uint16_t upcall_dom;
	uint32_t upcall_vcpu;
	int upcall_preempt_count;
};

static void on_upcall(void *ctx, u16 domid, u32 vcpu)
{
	struct env *e = ctx;

	e->upcalls++;
	e->upcall_dom = domid;
	e->upcall_vcpu = vcpu;
	e->upcall_preempt_count = preempt_count();
}

static const struct xen_shim_ops shim_ops = { .upcall = on_upcall };

static int setup(void **state)
{
	static struct env e;
	struct xen_shim_config config = {
		.dom0_mem_pages = 16, .dom0_grant_frames_max = 1, .ops = &shim_ops, .ops_ctx = &e,
	};
	struct xen_shim_domain_config d1 = {
		.domid = DOM1, .mem_pages = DOM1_PAGES, .grant_frames_max = 2, .vcpu_count = 2,
	};
	struct xen_shim_domain_config d2 = {
		.domid = DOM2, .mem_pages = DOM2_PAGES, .grant_frames_max = 1, .vcpu_count = 1,
	};

	memset(&e, 0, sizeof(e));
	assert_int_equal(xen_shim_create(&e.shim, &config), 0);
	assert_int_equal(xen_shim_domain_create(e.shim, &d1), 0);
	assert_int_equal(xen_shim_domain_create(e.shim, &d2), 0);
	assert_int_equal(xenshim_page_create_shim(&e.page, e.shim), 0);
	assert_int_equal(xenshim_lcall_create(&e.slot, NULL, NULL), 0);
	assert_int_equal(xenshim_register(e.slot, e.page), 0);
	*state = &e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	assert_int_equal(xenshim_unregister(e->slot), 0);
	xenshim_lcall_destroy(e->slot);
	xenshim_page_put(e->page);
	xen_shim_destroy(e->shim);
	return 0;
}

/* A hypercall from @dom (vCPU @vcpu) through the registered page. */
static long hc_vcpu(struct env *e, uint16_t dom, uint32_t vcpu, uint32_t nr, uint64_t a1,
		    uint64_t a2, uint64_t a3)
{
	assert_int_equal(xen_shim_cpu_bind(e->shim, 0, dom, vcpu), 0);
	return xenshim_hypercall(e->slot, nr, a1, a2, a3, 0, 0);
}

static long hc(struct env *e, uint16_t dom, uint32_t nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return hc_vcpu(e, dom, 0, nr, a1, a2, a3);
}

/* Argument buffers live in the last ordinary page of the domain's memory. */
static void *scratch(struct env *e, uint16_t dom)
{
	u32 pages = xen_shim_domain_mem_pages(e->shim, dom);
	void *p = xen_shim_gfn_to_virt(e->shim, dom, pages - 1);

	assert_non_null(p);
	memset(p, 0, XEN_SHIM_PAGE_SIZE);
	return p;
}

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* ---------------------------------------------------------------- */
/* Hypercalls without a handler                                      */

static void test_unimplemented_hypercalls_are_enosys(void **state)
{
	struct env *e = *state;
	uint32_t nr;

	for (nr = 0; nr < XENSHIM_STUB_COUNT; nr++) {
		long ret;

		if (nr == HV_VERSION || nr == HV_EVTCHN || nr == HV_GNTTAB)
			continue;
		ret = hc(e, 0, nr, 0, 0, 0);
		assert_int_equal(ret, -PROTO_XEN_ENOSYS);
		assert_int_equal((uint64_t)ret, 0xffffffffffffffdaull);
	}
	/* Each went through its own stub. */
	assert_int_equal(xenshim_page_calls(e->page, 11), 1);
	assert_int_equal(xenshim_page_calls(e->page, 127), 1);
	assert_int_equal(xenshim_page_calls(e->page, HV_VERSION), 0);
	/* A hypercall number beyond the page reaches nothing. */
	assert_int_equal(hc(e, 0, 128, 0, 0, 0), -ENOSYS);
	assert_int_equal(xenshim_page_calls_total(e->page), XENSHIM_STUB_COUNT - 3);
}

/* ---------------------------------------------------------------- */
/* xen_version                                                        */

static void test_version_subops(void **state)
{
	struct env *e = *state;
	char *buf = scratch(e, DOM1);
	struct xen_shim_compile_info *ci = (void *)buf;
	struct xen_shim_platform_parameters *pp = (void *)buf;
	uint8_t handle[16] = { 0 };

	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_version, 0, 0), (4 << 16) | 17);
	/* cmd is an int: the upper 32 bits of rdi are ignored, as on Xen. */
	assert_int_equal(hc(e, DOM1, HV_VERSION, 0x100000000ull | PROTO_XENVER_version, 0, 0),
			 (4 << 16) | 17);
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_pagesize, 0, 0), 4096);

	memset(buf, 'x', 64);
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_extraversion, addr(buf), 0), 0);
	assert_string_equal(buf, ".0-xenshim");
	assert_int_equal(buf[15], 0);
	assert_int_equal(buf[16], 'x'); /* exactly 16 bytes written */

	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_capabilities, addr(buf), 0), 0);
	assert_string_equal(buf, "xen-3.0-x86_64 hvm-3.0-x86_64");
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_changeset, addr(buf), 0), 0);
	assert_string_equal(buf, "apfsim xen-shim (simulated)");
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_commandline, addr(buf), 0), 0);
	assert_string_equal(buf, "");
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_compile_info, addr(buf), 0), 0);
	assert_string_equal(ci->compiler, "apfsim");
	assert_string_equal(ci->compile_by, "xenshim");
	assert_string_equal(ci->compile_domain, "simulated");
	assert_string_equal(ci->compile_date, "");
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_platform_parameters, addr(buf), 0),
			 0);
	assert_int_equal(pp->virt_start, 0xffff800000000000ull);
	handle[15] = DOM1;
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_guest_handle, addr(buf), 0), 0);
	assert_memory_equal(buf, handle, 16);
	/* Not modelled: build_id and the newer variable-buffer sub-ops. */
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_build_id, addr(buf), 0),
			 -PROTO_XEN_ENOSYS);
	assert_int_equal(hc(e, DOM1, HV_VERSION, 11, addr(buf), 0), -PROTO_XEN_ENOSYS);
	assert_int_equal(hc(e, DOM1, HV_VERSION, (uint32_t)-1, addr(buf), 0), -PROTO_XEN_ENOSYS);
}

static void test_version_bad_handles(void **state)
{
	struct env *e = *state;
	char outside[1024];
	unsigned long size;
	char *mem = xen_shim_domain_memory(e->shim, DOM1, &size);
	static const int subops[] = {
		PROTO_XENVER_extraversion, PROTO_XENVER_compile_info, PROTO_XENVER_capabilities,
		PROTO_XENVER_changeset, PROTO_XENVER_platform_parameters,
		PROTO_XENVER_guest_handle, PROTO_XENVER_commandline,
	};

	memset(outside, 0x5a, sizeof(outside));
	for (size_t i = 0; i < sizeof(subops) / sizeof(subops[0]); i++) {
		assert_int_equal(hc(e, DOM1, HV_VERSION, subops[i], 0, 0), -PROTO_XEN_EFAULT);
		assert_int_equal(hc(e, DOM1, HV_VERSION, subops[i], addr(outside), 0),
				 -PROTO_XEN_EFAULT);
		/* Straddling the end of guest memory (every buffer is >= 8 bytes). */
		assert_int_equal(hc(e, DOM1, HV_VERSION, subops[i], addr(mem + size - 4), 0),
				 -PROTO_XEN_EFAULT);
		assert_int_equal(hc(e, DOM1, HV_VERSION, subops[i], UINT64_MAX - 4, 0),
				 -PROTO_XEN_EFAULT);
	}
	/* Another domain's memory is not ours. */
	assert_int_equal(hc(e, DOM2, HV_VERSION, PROTO_XENVER_extraversion, addr(mem), 0),
			 -PROTO_XEN_EFAULT);
	for (size_t i = 0; i < sizeof(outside); i++)
		assert_int_equal((unsigned char)outside[i], 0x5a);
}

static void test_get_features(void **state)
{
	struct env *e = *state;
	struct proto_xen_feature_info *fi = scratch(e, DOM1);
	struct proto_xen_feature_info outside = { 0, 0 };
	unsigned long size;
	char *mem = xen_shim_domain_memory(e->shim, DOM1, &size);
	uint8_t features[32 * PROTO_XENFEAT_NR_SUBMAPS];
	uint32_t i, j;

	fi->submap_idx = 0;
	fi->submap = 0xffffffff;
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_get_features, addr(fi), 0), 0);
	assert_int_equal(fi->submap, 1u << PROTO_XENFEAT_auto_translated_physmap);
	assert_int_equal(fi->submap, 0x4);
	/* dom0 sees the same pseudo-dom0 set (no XENFEAT_dom0, as in the RFC). */
	fi = scratch(e, 0);
	assert_int_equal(hc(e, 0, HV_VERSION, PROTO_XENVER_get_features, addr(fi), 0), 0);
	assert_int_equal(fi->submap, 0x4);
	/* Other indexes and NULL are -EINVAL; the buffer is untouched. */
	fi->submap_idx = 1;
	fi->submap = 0x12345678;
	assert_int_equal(hc(e, 0, HV_VERSION, PROTO_XENVER_get_features, addr(fi), 0),
			 -PROTO_XEN_EINVAL);
	assert_int_equal(fi->submap, 0x12345678);
	fi->submap_idx = 0xffffffff;
	assert_int_equal(hc(e, 0, HV_VERSION, PROTO_XENVER_get_features, addr(fi), 0),
			 -PROTO_XEN_EINVAL);
	assert_int_equal(hc(e, 0, HV_VERSION, PROTO_XENVER_get_features, 0, 0),
			 -PROTO_XEN_EINVAL);
	/* A non-NULL bad pointer faults (Xen's code, not the RFC's). */
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_get_features, addr(&outside), 0),
			 -PROTO_XEN_EFAULT);
	assert_int_equal(hc(e, DOM1, HV_VERSION, PROTO_XENVER_get_features, addr(mem + size - 4),
			    0),
			 -PROTO_XEN_EFAULT);
	assert_int_equal(outside.submap, 0);

	/* Linux's xen_setup_features() loop: only feature 2 ends up set. */
	memset(features, 0, sizeof(features));
	fi = scratch(e, DOM1);
	for (i = 0; i < PROTO_XENFEAT_NR_SUBMAPS; i++) {
		fi->submap_idx = i;
		if (hc(e, DOM1, HV_VERSION, PROTO_XENVER_get_features, addr(fi), 0) < 0)
			break;
		for (j = 0; j < 32; j++)
			features[i * 32 + j] = !!(fi->submap & (1u << j));
	}
	for (i = 0; i < sizeof(features); i++)
		assert_int_equal(features[i], i == PROTO_XENFEAT_auto_translated_physmap);
	assert_int_equal(features[PROTO_XENFEAT_dom0], 0);
}

/* ---------------------------------------------------------------- */
/* Event channels                                                     */

static long alloc_unbound(struct env *e, uint16_t caller, uint16_t dom, uint16_t remote,
			  uint32_t *port)
{
	struct proto_evtchn_alloc_unbound *op = scratch(e, caller);
	long ret;

	op->dom = dom;
	op->remote_dom = remote;
	op->port = 0xdeadbeef;
	ret = hc(e, caller, HV_EVTCHN, PROTO_EVTCHNOP_alloc_unbound, addr(op), 0);
	if (port)
		*port = op->port;
	return ret;
}

static long bind_interdomain(struct env *e, uint16_t caller, uint16_t rdom, uint32_t rport,
			     uint32_t *lport)
{
	struct proto_evtchn_bind_interdomain *op = scratch(e, caller);
	long ret;

	op->remote_dom = rdom;
	op->remote_port = rport;
	op->local_port = 0xdeadbeef;
	ret = hc(e, caller, HV_EVTCHN, PROTO_EVTCHNOP_bind_interdomain, addr(op), 0);
	if (lport)
		*lport = op->local_port;
	return ret;
}

static long port_op(struct env *e, uint16_t caller, int cmd, uint32_t port)
{
	uint32_t *op = scratch(e, caller);

	*op = port;
	return hc(e, caller, HV_EVTCHN, cmd, addr(op), 0);
}

static long evtchn_status(struct env *e, uint16_t caller, uint16_t dom, uint32_t port,
			  struct proto_evtchn_status *out)
{
	struct proto_evtchn_status *op = scratch(e, caller);
	long ret;

	op->dom = dom;
	op->port = port;
	ret = hc(e, caller, HV_EVTCHN, PROTO_EVTCHNOP_status, addr(op), 0);
	*out = *op;
	return ret;
}

static void test_alloc_unbound(void **state)
{
	struct env *e = *state;
	struct proto_evtchn_status st;
	uint32_t p1, p2, p3;

	assert_int_equal(alloc_unbound(e, DOM1, PROTO_DOMID_SELF, 0, &p1), 0);
	assert_int_equal(p1, 1); /* port 0 is never allocated */
	assert_int_equal(alloc_unbound(e, DOM1, DOM1, PROTO_DOMID_SELF, &p2), 0);
	assert_int_equal(p2, 2);
	assert_int_equal(evtchn_status(e, DOM1, PROTO_DOMID_SELF, p1, &st), 0);
	assert_int_equal(st.status, PROTO_EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	assert_int_equal(st.vcpu, 0);
	assert_int_equal(evtchn_status(e, DOM1, PROTO_DOMID_SELF, p2, &st), 0);
	assert_int_equal(st.u.unbound.dom, DOM1); /* remote DOMID_SELF = the caller */
	/* An unprivileged domain cannot allocate in another one. */
	assert_int_equal(alloc_unbound(e, DOM1, DOM2, 0, NULL), -PROTO_XEN_EPERM);
	/* dom0 can, but only in a domain that exists. */
	assert_int_equal(alloc_unbound(e, 0, DOM2, 0, &p3), 0);
	assert_int_equal(p3, 1);
	assert_int_equal(evtchn_status(e, DOM2, PROTO_DOMID_SELF, 1, &st), 0);
	assert_int_equal(st.status, PROTO_EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	assert_int_equal(alloc_unbound(e, 0, DOM_ABSENT, 0, NULL), -PROTO_XEN_ESRCH);
	/* Bad handles. */
	assert_int_equal(hc(e, DOM1, HV_EVTCHN, PROTO_EVTCHNOP_alloc_unbound, 0, 0),
			 -PROTO_XEN_EFAULT);
	assert_int_equal(hc(e, DOM1, HV_EVTCHN, PROTO_EVTCHNOP_alloc_unbound, addr(&st), 0),
			 -PROTO_XEN_EFAULT);
}

static void test_port_exhaustion(void **state)
{
	struct env *e = *state;
	uint32_t port = 0, expect;

	for (expect = 1; expect < XEN_SHIM_EVTCHN_PORT_COUNT; expect++) {
		assert_int_equal(alloc_unbound(e, DOM2, PROTO_DOMID_SELF, 0, &port), 0);
		assert_int_equal(port, expect);
	}
	assert_int_equal(port, 4095);
	assert_int_equal(alloc_unbound(e, DOM2, PROTO_DOMID_SELF, 0, &port), -PROTO_XEN_ENOSPC);
	/* Closing one frees exactly that port for reuse. */
	assert_int_equal(port_op(e, DOM2, PROTO_EVTCHNOP_close, 77), 0);
	assert_int_equal(alloc_unbound(e, DOM2, PROTO_DOMID_SELF, 0, &port), 0);
	assert_int_equal(port, 77);
}

/* dom1 offers a port to dom0; dom0 binds; returns both ports. */
static void connect(struct env *e, uint32_t *dom1_port, uint32_t *dom0_port)
{
	struct xen_shim_shared_info *s0 = xen_shim_domain_shared_info(e->shim, 0);

	assert_int_equal(alloc_unbound(e, DOM1, PROTO_DOMID_SELF, 0, dom1_port), 0);
	assert_int_equal(bind_interdomain(e, 0, DOM1, *dom1_port, dom0_port), 0);
	/* Xen notifies the new local port (events sent while unbound). */
	assert_true(test_bit(*dom0_port, s0->evtchn_pending));
	clear_bit(*dom0_port, s0->evtchn_pending);
	s0->vcpu_info[0].evtchn_upcall_pending = 0;
	s0->vcpu_info[0].evtchn_pending_sel = 0;
	e->upcalls = 0;
}

static void test_bind_interdomain(void **state)
{
	struct env *e = *state;
	struct proto_evtchn_status st;
	uint32_t p1, q, p2;

	assert_int_equal(alloc_unbound(e, DOM1, PROTO_DOMID_SELF, 0, &p1), 0);
	/* Only the domain the port was offered to may bind it. */
	assert_int_equal(bind_interdomain(e, DOM2, DOM1, p1, NULL), -PROTO_XEN_EINVAL);
	assert_int_equal(bind_interdomain(e, 0, DOM1, p1, &q), 0);
	assert_int_equal(q, 1);
	assert_int_equal(evtchn_status(e, 0, PROTO_DOMID_SELF, q, &st), 0);
	assert_int_equal(st.status, PROTO_EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, DOM1);
	assert_int_equal(st.u.interdomain.port, p1);
	assert_int_equal(evtchn_status(e, 0, DOM1, p1, &st), 0); /* dom0 may look */
	assert_int_equal(st.status, PROTO_EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 0);
	assert_int_equal(st.u.interdomain.port, q);
	/* Bound already: not unbound any more. */
	assert_int_equal(bind_interdomain(e, 0, DOM1, p1, NULL), -PROTO_XEN_EINVAL);
	/* Bad remote ports and domains; no local port is consumed. */
	assert_int_equal(bind_interdomain(e, 0, DOM1, 0, NULL), -PROTO_XEN_EINVAL);
	assert_int_equal(bind_interdomain(e, 0, DOM1, 99, NULL), -PROTO_XEN_EINVAL);
	assert_int_equal(bind_interdomain(e, 0, DOM1, 4096, NULL), -PROTO_XEN_EINVAL);
	assert_int_equal(bind_interdomain(e, 0, DOM1, UINT32_MAX, NULL), -PROTO_XEN_EINVAL);
	assert_int_equal(bind_interdomain(e, 0, DOM_ABSENT, 1, NULL), -PROTO_XEN_ESRCH);
	assert_int_equal(hc(e, 0, HV_EVTCHN, PROTO_EVTCHNOP_bind_interdomain, 0, 0),
			 -PROTO_XEN_EFAULT);
	/* Loopback inside one domain (remote DOMID_SELF). */
	assert_int_equal(alloc_unbound(e, DOM2, PROTO_DOMID_SELF, PROTO_DOMID_SELF, &p2), 0);
	assert_int_equal(bind_interdomain(e, DOM2, PROTO_DOMID_SELF, p2, &q), 0);
	assert_int_not_equal(q, p2);
	assert_int_equal(evtchn_status(e, DOM2, PROTO_DOMID_SELF, q, &st), 0);
	assert_int_equal(st.u.interdomain.dom, DOM2);
	assert_int_equal(st.u.interdomain.port, p2);
	assert_int_equal(alloc_unbound(e, 0, PROTO_DOMID_SELF, 0, &p2), 0);
	assert_int_equal(p2, 2); /* the failed binds took no port */
}

static void test_send_sets_pending_and_upcalls_once(void **state)
{
	struct env *e = *state;
	struct xen_shim_shared_info *s1 = xen_shim_domain_shared_info(e->shim, DOM1);
	struct xen_shim_vcpu_info *vi = &s1->vcpu_info[0];
	uint32_t p, q;

	connect(e, &p, &q);
	assert_int_equal(port_op(e, 0, PROTO_EVTCHNOP_send, q), 0);
	assert_true(test_bit(p, s1->evtchn_pending));
	assert_true(test_bit(p / 64, &vi->evtchn_pending_sel));
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_int_equal(vi->upcall_count, 1);
	assert_int_equal(e->upcalls, 1);
	assert_int_equal(e->upcall_dom, DOM1);
	assert_int_equal(e->upcall_vcpu, 0);
	/* The hook ran inside the dispatcher, preemption disabled. */
	assert_true(e->upcall_preempt_count > 0);
	assert_int_equal(preempt_count(), 0);
	/* Already pending: no second upcall. */
	assert_int_equal(port_op(e, 0, PROTO_EVTCHNOP_send, q), 0);
	assert_int_equal(e->upcalls, 1);
	assert_int_equal(vi->upcall_count, 1);
	/* The reverse direction works too. */
	assert_int_equal(port_op(e, DOM1, PROTO_EVTCHNOP_send, p), 0);
	assert_true(test_bit(q, xen_shim_domain_shared_info(e->shim, 0)->evtchn_pending));
	assert_int_equal(e->upcalls, 2);
	assert_int_equal(e->upcall_dom, 0);
}

static void test_masked_port_latches_until_unmask(void **state)
{
	struct env *e = *state;
	struct xen_shim_shared_info *s1 = xen_shim_domain_shared_info(e->shim, DOM1);
	struct xen_shim_vcpu_info *vi = &s1->vcpu_info[0];
	uint32_t p, q;

	connect(e, &p, &q);
	set_bit(p, s1->evtchn_mask); /* the guest masks its port */
	assert_int_equal(port_op(e, 0, PROTO_EVTCHNOP_send, q), 0);
	assert_true(test_bit(p, s1->evtchn_pending));
	assert_int_equal(vi->evtchn_pending_sel, 0);
	assert_int_equal(vi->evtchn_upcall_pending, 0);
	assert_int_equal(e->upcalls, 0);
	/* Unmask delivers exactly once. */
	assert_int_equal(port_op(e, DOM1, PROTO_EVTCHNOP_unmask, p), 0);
	assert_false(test_bit(p, s1->evtchn_mask));
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_int_equal(e->upcalls, 1);
	assert_int_equal(port_op(e, DOM1, PROTO_EVTCHNOP_unmask, p), 0);
	assert_int_equal(e->upcalls, 1);
	/* Unmask of a port with nothing pending delivers nothing. */
	set_bit(p, s1->evtchn_mask);
	clear_bit(p, s1->evtchn_pending);
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	assert_int_equal(port_op(e, DOM1, PROTO_EVTCHNOP_unmask, p), 0);
	assert_int_equal(e->upcalls, 1);
	/* Bad ports. */
	assert_int_equal(port_op(e, DOM1, PROTO_EVTCHNOP_unmask, 4096), -PROTO_XEN_EINVAL);
	assert_int_equal(port_op(e, DOM1, PROTO_EVTCHNOP_unmask, UINT32_MAX), -PROTO_XEN_EINVAL);
	assert_int_equal(hc(e, DOM1, HV_EVTCHN, PROTO_EVTCHNOP_unmask, 0, 0), -PROTO_XEN_EFAULT);
}

static void test_selector_words(void **state)
{
	struct env *e = *state;
	struct xen_shim_shared_info *s2 = xen_shim_domain_shared_info(e->shim, DOM2);
	struct xen_shim_vcpu_info *vi = &s2->vcpu_info[0];
	uint32_t port = 0, q63 = 0, q64 = 0, i;

	/* dom2 offers ports 1..64 to dom0; dom0 binds 63 and 64. */
	for (i = 1; i <= 64; i++)
		assert_int_equal(alloc_unbound(e, DOM2, PROTO_DOMID_SELF, 0, &port), 0);
	assert_int_equal(port, 64);
	assert_int_equal(bind_interdomain(e, 0, DOM2, 63, &q63), 0);
	assert_int_equal(bind_interdomain(e, 0, DOM2, 64, &q64), 0);
	e->upcalls = 0;
	assert_int_equal(port_op(e, 0, PROTO_EVTCHNOP_send, q63), 0);
	assert_int_equal(vi->evtchn_pending_sel, 1ul << 0);
	assert_int_equal(port_op(e, 0, PROTO_EVTCHNOP_send, q64), 0);
	assert_int_equal(vi->evtchn_pending_sel, (1ul << 0) | (1ul << 1));
	assert_int_equal(e->upcalls, 1); /* upcall_pending was already set */
}

static void test_send_and_close_errors(void **state)
{
	struct env *e = *state;
	struct xen_shim_shared_info *s0 = xen_shim_domain_shared_info(e->shim, 0);
	struct xen_shim_shared_info *s1 = xen_shim_domain_shared_info(e->shim, DOM1);
	struct proto_evtchn_status st;
	uint32_t p, q, u;

	/* Unbound: silently dropped. */
	assert_int_equal(alloc_unbound(e, DOM2, PROTO_DOMID_SELF, 0, &u), 0);
	assert_int_equal(port_op(e, DOM2, PROTO_EVTCHNOP_send, u), 0);
	assert_false(test_bit(u, xen_shim_domain_shared_info(e->shim, DOM2)->evtchn_pending));
	/* Free, reserved and out-of-range ports. */
	assert_int_equal(port_op(e, DOM2, PROTO_EVTCHNOP_send, u + 1), -PROTO_XEN_EINVAL);
	assert_int_equal(port_op(e, DOM2, PROTO_EVTCHNOP_send, 0), -PROTO_XEN_EINVAL);
	assert_int_equal(port_op(e, DOM2, PROTO_EVTCHNOP_send, 4096), -PROTO_XEN_EINVAL);
	assert_int_equal(port_op(e, DOM2, PROTO_EVTCHNOP_close, 0), -PROTO_XEN_EINVAL);
	assert_int_equal(port_op(e, DOM2, PROTO_EVTCHNOP_close, u + 1), -PROTO_XEN_EINVAL);
	assert_int_equal(port_op(e, DOM2, PROTO_EVTCHNOP_close, 4096), -PROTO_XEN_EINVAL);
	assert_int_equal(hc(e, DOM2, HV_EVTCHN, PROTO_EVTCHNOP_send, 0, 0), -PROTO_XEN_EFAULT);
	assert_int_equal(hc(e, DOM2, HV_EVTCHN, PROTO_EVTCHNOP_close, addr(&st), 0),
			 -PROTO_XEN_EFAULT);

	/* Closing one end returns the peer to unbound, offered to the closer. */
	connect(e, &p, &q);
	assert_int_equal(port_op(e, 0, PROTO_EVTCHNOP_send, q), 0);
	set_bit(q, s0->evtchn_pending);
	set_bit(q, s0->evtchn_mask);
	assert_int_equal(port_op(e, 0, PROTO_EVTCHNOP_close, q), 0);
	assert_false(test_bit(q, s0->evtchn_pending));
	assert_false(test_bit(q, s0->evtchn_mask));
	assert_int_equal(evtchn_status(e, DOM1, PROTO_DOMID_SELF, p, &st), 0);
	assert_int_equal(st.status, PROTO_EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	assert_int_equal(evtchn_status(e, 0, PROTO_DOMID_SELF, q, &st), 0);
	assert_int_equal(st.status, PROTO_EVTCHNSTAT_closed);
	assert_int_equal(port_op(e, 0, PROTO_EVTCHNOP_close, q), -PROTO_XEN_EINVAL);
	assert_int_equal(port_op(e, 0, PROTO_EVTCHNOP_send, q), -PROTO_XEN_EINVAL);
	/* The pending bit on dom1's side stays for its guest to consume. */
	assert_true(test_bit(p, s1->evtchn_pending));
	/* dom0 can bind it again. */
	assert_int_equal(bind_interdomain(e, 0, DOM1, p, &q), 0);
}

static void test_status_rules(void **state)
{
	struct env *e = *state;
	struct proto_evtchn_status st;

	assert_int_equal(evtchn_status(e, DOM1, PROTO_DOMID_SELF, 0, &st), 0);
	assert_int_equal(st.status, PROTO_EVTCHNSTAT_closed);
	assert_int_equal(evtchn_status(e, DOM1, PROTO_DOMID_SELF, 4095, &st), 0);
	assert_int_equal(st.status, PROTO_EVTCHNSTAT_closed);
	assert_int_equal(evtchn_status(e, DOM1, PROTO_DOMID_SELF, 4096, &st), -PROTO_XEN_EINVAL);
	assert_int_equal(evtchn_status(e, DOM1, 0, 1, &st), -PROTO_XEN_EPERM);
	assert_int_equal(evtchn_status(e, DOM1, DOM2, 1, &st), -PROTO_XEN_EPERM);
	assert_int_equal(evtchn_status(e, 0, DOM_ABSENT, 1, &st), -PROTO_XEN_ESRCH);
	assert_int_equal(hc(e, DOM1, HV_EVTCHN, PROTO_EVTCHNOP_status, 0, 0), -PROTO_XEN_EFAULT);
}

static void test_unmodelled_evtchn_ops_are_enosys(void **state)
{
	struct env *e = *state;
	static const int cmds[] = {
		PROTO_EVTCHNOP_bind_virq, PROTO_EVTCHNOP_bind_pirq, PROTO_EVTCHNOP_bind_ipi,
		PROTO_EVTCHNOP_bind_vcpu, PROTO_EVTCHNOP_reset, PROTO_EVTCHNOP_init_control,
		PROTO_EVTCHNOP_expand_array, PROTO_EVTCHNOP_set_priority, 14, 99, -1,
	};
	void *buf = scratch(e, DOM1);

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_int_equal(hc(e, DOM1, HV_EVTCHN, (uint32_t)cmds[i], addr(buf), 0),
				 -PROTO_XEN_ENOSYS);
}

/* ---------------------------------------------------------------- */
/* Grant tables                                                       */

static long setup_table(struct env *e, uint16_t caller, uint16_t dom, uint32_t nr_frames,
			uint64_t *frames, struct proto_gnttab_setup_table *out)
{
	uint8_t *buf = scratch(e, caller);
	struct proto_gnttab_setup_table *op = (void *)buf;
	uint64_t *list = (uint64_t *)(buf + 256);
	long ret;

	op->dom = dom;
	op->nr_frames = nr_frames;
	op->status = 99;
	op->frame_list = addr(list);
	ret = hc(e, caller, HV_GNTTAB, PROTO_GNTTABOP_setup_table, addr(op), 1);
	if (frames)
		memcpy(frames, list, nr_frames * sizeof(uint64_t));
	if (out)
		*out = *op;
	return ret;
}

static struct proto_grant_entry_v1 *grant_table(struct env *e, uint16_t dom)
{
	return xen_shim_gfn_to_virt(e->shim, dom, xen_shim_domain_mem_pages(e->shim, dom));
}

static void grant(struct env *e, uint16_t dom, uint32_t ref, uint16_t to, uint32_t frame,
		  uint16_t flags)
{
	struct proto_grant_entry_v1 *gt = grant_table(e, dom);

	gt[ref].frame = frame;
	gt[ref].domid = to;
	gt[ref].flags = flags;
}

static void test_setup_table_and_query_size(void **state)
{
	struct env *e = *state;
	struct proto_gnttab_setup_table st;
	struct proto_gnttab_query_size *qs;
	uint64_t frames[4] = { 0 };

	assert_int_equal(setup_table(e, DOM1, PROTO_DOMID_SELF, 2, frames, &st), 0);
	assert_int_equal(st.status, PROTO_GNTST_okay);
	assert_int_equal(frames[0], DOM1_PAGES);
	assert_int_equal(frames[1], DOM1_PAGES + 1);
	qs = scratch(e, DOM1);
	qs->dom = PROTO_DOMID_SELF;
	assert_int_equal(hc(e, DOM1, HV_GNTTAB, PROTO_GNTTABOP_query_size, addr(qs), 1), 0);
	assert_int_equal(qs->status, PROTO_GNTST_okay);
	assert_int_equal(qs->nr_frames, 2);
	assert_int_equal(qs->max_nr_frames, 2);
	/* Tables only grow. */
	assert_int_equal(setup_table(e, DOM1, DOM1, 1, frames, &st), 0);
	qs = scratch(e, DOM1);
	qs->dom = DOM1;
	assert_int_equal(hc(e, DOM1, HV_GNTTAB, PROTO_GNTTABOP_query_size, addr(qs), 1), 0);
	assert_int_equal(qs->nr_frames, 2);
	/* Errors reported in status. */
	assert_int_equal(setup_table(e, DOM1, PROTO_DOMID_SELF, 3, NULL, &st), 0);
	assert_int_equal(st.status, PROTO_GNTST_general_error);
	assert_int_equal(setup_table(e, DOM1, DOM2, 1, NULL, &st), 0);
	assert_int_equal(st.status, PROTO_GNTST_permission_denied);
	assert_int_equal(setup_table(e, 0, DOM_ABSENT, 1, NULL, &st), 0);
	assert_int_equal(st.status, PROTO_GNTST_bad_domain);
	assert_int_equal(setup_table(e, 0, DOM2, 1, frames, &st), 0); /* privileged */
	assert_int_equal(st.status, PROTO_GNTST_okay);
	assert_int_equal(frames[0], DOM2_PAGES);
	/* A frame list outside guest memory. */
	st = (struct proto_gnttab_setup_table){ 0 };
	{
		struct proto_gnttab_setup_table *op = scratch(e, DOM1);

		op->dom = PROTO_DOMID_SELF;
		op->nr_frames = 1;
		op->frame_list = addr(&st);
		assert_int_equal(hc(e, DOM1, HV_GNTTAB, PROTO_GNTTABOP_setup_table, addr(op), 1),
				 0);
		assert_int_equal(op->status, PROTO_GNTST_bad_virt_addr);
	}
	/* Count must be 1; the op itself must be guest memory. */
	qs = scratch(e, DOM1);
	assert_int_equal(hc(e, DOM1, HV_GNTTAB, PROTO_GNTTABOP_query_size, addr(qs), 2),
			 -PROTO_XEN_EINVAL);
	assert_int_equal(hc(e, DOM1, HV_GNTTAB, PROTO_GNTTABOP_setup_table, addr(qs), 0),
			 -PROTO_XEN_EINVAL);
	assert_int_equal(hc(e, DOM1, HV_GNTTAB, PROTO_GNTTABOP_query_size, 0, 1),
			 -PROTO_XEN_EFAULT);
	assert_int_equal(hc(e, DOM1, HV_GNTTAB, PROTO_GNTTABOP_setup_table, addr(&st), 1),
			 -PROTO_XEN_EFAULT);
	qs = scratch(e, DOM1);
	qs->dom = DOM2;
	assert_int_equal(hc(e, DOM1, HV_GNTTAB, PROTO_GNTTABOP_query_size, addr(qs), 1), 0);
	assert_int_equal(qs->status, PROTO_GNTST_permission_denied);
}

static long map(struct env *e, uint16_t caller, struct proto_gnttab_map_grant_ref *in,
		uint32_t count)
{
	struct proto_gnttab_map_grant_ref *ops = scratch(e, caller);
	long ret;

	memcpy(ops, in, count * sizeof(*in));
	ret = hc(e, caller, HV_GNTTAB, PROTO_GNTTABOP_map_grant_ref, addr(ops), count);
	memcpy(in, ops, count * sizeof(*in));
	return ret;
}

static int16_t map_one(struct env *e, uint16_t caller, uint16_t dom, uint32_t ref,
		       uint32_t flags, uint64_t host_addr, struct proto_gnttab_map_grant_ref *out)
{
	struct proto_gnttab_map_grant_ref op = {
		.host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom, .status = 99,
	};

	assert_int_equal(map(e, caller, &op, 1), 0);
	if (out)
		*out = op;
	return op.status;
}

static int16_t unmap_one(struct env *e, uint16_t caller, uint32_t handle, uint64_t host_addr,
			 uint64_t dev_bus_addr)
{
	struct proto_gnttab_unmap_grant_ref *op = scratch(e, caller);

	op->handle = handle;
	op->host_addr = host_addr;
	op->dev_bus_addr = dev_bus_addr;
	op->status = 99;
	assert_int_equal(hc(e, caller, HV_GNTTAB, PROTO_GNTTABOP_unmap_grant_ref, addr(op), 1),
			 0);
	return op->status;
}

static void test_map_and_unmap(void **state)
{
	struct env *e = *state;
	struct proto_gnttab_map_grant_ref m1, m2, m3;
	struct proto_grant_entry_v1 *gt;
	uint8_t *frame3 = xen_shim_gfn_to_virt(e->shim, DOM1, 3);

	assert_int_equal(setup_table(e, DOM1, PROTO_DOMID_SELF, 1, NULL, NULL), 0);
	gt = grant_table(e, DOM1);
	grant(e, DOM1, 5, 0, 3, PROTO_GTF_permit_access);
	assert_int_equal(map_one(e, 0, DOM1, 5, PROTO_GNTMAP_host_map, 0, &m1), PROTO_GNTST_okay);
	assert_int_equal(m1.host_addr, addr(frame3));
	assert_int_equal(m1.dev_bus_addr, 0);
	assert_int_equal(gt[5].flags,
			 PROTO_GTF_permit_access | PROTO_GTF_reading | PROTO_GTF_writing);
	/* The mapping is the granted page itself. */
	((uint8_t *)(uintptr_t)m1.host_addr)[100] = 0xab;
	assert_int_equal(frame3[100], 0xab);
	/* More mappings of one ref are allowed (Xen; the RFC allowed one). */
	assert_int_equal(map_one(e, 0, DOM1, 5, PROTO_GNTMAP_host_map | PROTO_GNTMAP_readonly, 0,
				 &m2),
			 PROTO_GNTST_okay);
	assert_int_not_equal(m2.handle, m1.handle);
	assert_int_equal(map_one(e, 0, DOM1, 5, PROTO_GNTMAP_device_map, 0, &m3),
			 PROTO_GNTST_okay);
	assert_int_equal(m3.dev_bus_addr, 3ull << 12);
	assert_int_equal(m3.host_addr, 0);
	/* Unmap checks the handle and the addresses it is given. */
	assert_int_equal(unmap_one(e, 0, m1.handle, m1.host_addr + 4096, 0),
			 PROTO_GNTST_bad_virt_addr);
	assert_int_equal(unmap_one(e, 0, m3.handle, 0, 4ull << 12), PROTO_GNTST_bad_dev_addr);
	assert_int_equal(unmap_one(e, 0, 999, 0, 0), PROTO_GNTST_bad_handle);
	assert_int_equal(unmap_one(e, 0, UINT32_MAX, 0, 0), PROTO_GNTST_bad_handle);
	assert_int_equal(unmap_one(e, DOM1, m1.handle, 0, 0), PROTO_GNTST_bad_handle);
	assert_int_equal(unmap_one(e, 0, m1.handle, m1.host_addr, 0), PROTO_GNTST_okay);
	assert_int_equal(unmap_one(e, 0, m3.handle, 0, m3.dev_bus_addr), PROTO_GNTST_okay);
	/* The read-only mapping still holds GTF_reading, no longer GTF_writing. */
	assert_int_equal(gt[5].flags, PROTO_GTF_permit_access | PROTO_GTF_reading);
	assert_int_equal(unmap_one(e, 0, m2.handle, 0, 0), PROTO_GNTST_okay);
	assert_int_equal(gt[5].flags, PROTO_GTF_permit_access);
	assert_int_equal(unmap_one(e, 0, m2.handle, 0, 0), PROTO_GNTST_bad_handle);
}

static void test_map_errors(void **state)
{
	struct env *e = *state;
	struct proto_gnttab_map_grant_ref m;
	uint64_t any = addr(xen_shim_gfn_to_virt(e->shim, 0, 1));
	uint32_t i;

	assert_int_equal(setup_table(e, DOM1, PROTO_DOMID_SELF, 1, NULL, NULL), 0);
	grant(e, DOM1, 1, 0, 2, PROTO_GTF_permit_access);
	grant(e, DOM1, 2, DOM2, 2, PROTO_GTF_permit_access);      /* granted to dom2 */
	grant(e, DOM1, 3, 0, 2, PROTO_GTF_permit_access | PROTO_GTF_readonly);
	grant(e, DOM1, 4, 0, DOM1_PAGES, PROTO_GTF_permit_access); /* a grant frame */
	grant(e, DOM1, 6, 0, 2, PROTO_GTF_accept_transfer);
	/* 7: never granted (all zero). */

	assert_int_equal(map_one(e, 0, DOM1, 1, PROTO_GNTMAP_host_map, any, NULL),
			 PROTO_GNTST_bad_virt_addr);
	assert_int_equal(map_one(e, 0, DOM1, 1, 0, 0, NULL), PROTO_GNTST_bad_gntref);
	assert_int_equal(map_one(e, 0, DOM1, 1, PROTO_GNTMAP_readonly, 0, NULL),
			 PROTO_GNTST_bad_gntref);
	assert_int_equal(map_one(e, 0, DOM1, 1, PROTO_GNTMAP_host_map | PROTO_GNTMAP_contains_pte,
				 0, NULL),
			 PROTO_GNTST_bad_gntref);
	assert_int_equal(map_one(e, 0, DOM1, 1,
				 PROTO_GNTMAP_host_map | PROTO_GNTMAP_application_map, 0, NULL),
			 PROTO_GNTST_bad_gntref);
	assert_int_equal(map_one(e, 0, DOM_ABSENT, 1, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_bad_domain);
	assert_int_equal(map_one(e, 0, PROTO_DOMID_SELF, 1, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_bad_domain);
	/* Refs past the table in use (1 frame = 512 entries), not past the max. */
	assert_int_equal(map_one(e, 0, DOM1, 512, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_bad_gntref);
	assert_int_equal(map_one(e, 0, DOM1, UINT32_MAX, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_bad_gntref);
	assert_int_equal(map_one(e, 0, DOM2, 0, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_bad_gntref); /* dom2 has no table set up */
	assert_int_equal(map_one(e, 0, DOM1, 2, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_general_error);
	assert_int_equal(map_one(e, 0, DOM1, 3, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_general_error);
	assert_int_equal(map_one(e, 0, DOM1, 6, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_general_error);
	assert_int_equal(map_one(e, 0, DOM1, 7, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_general_error);
	assert_int_equal(map_one(e, 0, DOM1, 4, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_bad_page);
	/* A failed map leaves no pin behind. */
	assert_int_equal(grant_table(e, DOM1)[4].flags, PROTO_GTF_permit_access);
	assert_int_equal(grant_table(e, DOM1)[3].flags,
			 PROTO_GTF_permit_access | PROTO_GTF_readonly);
	/* A read-only grant maps read-only. */
	assert_int_equal(map_one(e, 0, DOM1, 3, PROTO_GNTMAP_host_map | PROTO_GNTMAP_readonly, 0,
				 &m),
			 PROTO_GNTST_okay);
	assert_int_equal(unmap_one(e, 0, m.handle, 0, 0), PROTO_GNTST_okay);
	/* The maptrack table is finite. */
	for (i = 0; i < XEN_SHIM_MAPTRACK_COUNT; i++)
		assert_int_equal(map_one(e, 0, DOM1, 1, PROTO_GNTMAP_host_map, 0, &m),
				 PROTO_GNTST_okay);
	assert_int_equal(map_one(e, 0, DOM1, 1, PROTO_GNTMAP_host_map, 0, NULL),
			 PROTO_GNTST_no_device_space);
	for (i = 0; i < XEN_SHIM_MAPTRACK_COUNT; i++)
		assert_int_equal(unmap_one(e, 0, i, 0, 0), PROTO_GNTST_okay);
	assert_int_equal(grant_table(e, DOM1)[1].flags, PROTO_GTF_permit_access);
}

static void test_map_batches(void **state)
{
	struct env *e = *state;
	struct proto_gnttab_map_grant_ref ops[3];
	struct proto_gnttab_map_grant_ref *guest;
	unsigned long size;
	uint8_t *mem0 = xen_shim_domain_memory(e->shim, 0, &size);

	assert_int_equal(setup_table(e, DOM1, PROTO_DOMID_SELF, 1, NULL, NULL), 0);
	grant(e, DOM1, 1, 0, 2, PROTO_GTF_permit_access);
	grant(e, DOM1, 2, 0, 3, PROTO_GTF_permit_access);
	memset(ops, 0, sizeof(ops));
	for (int i = 0; i < 3; i++) {
		ops[i].flags = PROTO_GNTMAP_host_map;
		ops[i].dom = DOM1;
		ops[i].ref = (uint32_t)i + 1;
	}
	/* One call, per-op statuses: ref 3 is not granted. */
	assert_int_equal(map(e, 0, ops, 3), 0);
	assert_int_equal(ops[0].status, PROTO_GNTST_okay);
	assert_int_equal(ops[1].status, PROTO_GNTST_okay);
	assert_int_equal(ops[2].status, PROTO_GNTST_general_error);
	assert_int_equal(ops[1].host_addr, addr(xen_shim_gfn_to_virt(e->shim, DOM1, 3)));
	/* Count 0 does nothing; too many is -EINVAL. */
	assert_int_equal(map(e, 0, ops, 0), 0);
	assert_int_equal(hc(e, 0, HV_GNTTAB, PROTO_GNTTABOP_map_grant_ref, addr(mem0),
			    XEN_SHIM_GNTTAB_BATCH_MAX + 1),
			 -PROTO_XEN_EINVAL);
	/* The second op straddles the end of guest memory: the first is done. */
	guest = (struct proto_gnttab_map_grant_ref *)(mem0 + size - sizeof(*guest) - 8);
	memset(guest, 0, sizeof(*guest));
	guest->flags = PROTO_GNTMAP_host_map;
	guest->dom = DOM1;
	guest->ref = 1;
	guest->status = 99;
	assert_int_equal(hc(e, 0, HV_GNTTAB, PROTO_GNTTABOP_map_grant_ref, addr(guest), 2),
			 -PROTO_XEN_EFAULT);
	assert_int_equal(guest->status, PROTO_GNTST_okay);
	assert_int_equal(hc(e, 0, HV_GNTTAB, PROTO_GNTTABOP_map_grant_ref, 0, 1),
			 -PROTO_XEN_EFAULT);
	assert_int_equal(hc(e, 0, HV_GNTTAB, PROTO_GNTTABOP_map_grant_ref, UINT64_MAX - 8, 2),
			 -PROTO_XEN_EFAULT);
	assert_int_equal(hc(e, 0, HV_GNTTAB, PROTO_GNTTABOP_unmap_grant_ref, 0, 1),
			 -PROTO_XEN_EFAULT);
	assert_int_equal(hc(e, 0, HV_GNTTAB, PROTO_GNTTABOP_copy, 0, 1), -PROTO_XEN_EFAULT);
}

static int16_t copy(struct env *e, uint16_t caller, const struct proto_gnttab_copy *in)
{
	struct proto_gnttab_copy *op = scratch(e, caller);

	*op = *in;
	op->status = 99;
	assert_int_equal(hc(e, caller, HV_GNTTAB, PROTO_GNTTABOP_copy, addr(op), 1), 0);
	return op->status;
}

static void test_copy(void **state)
{
	struct env *e = *state;
	uint8_t *dom0_page2 = xen_shim_gfn_to_virt(e->shim, 0, 2);
	uint8_t *dom1_page4 = xen_shim_gfn_to_virt(e->shim, DOM1, 4);
	uint8_t *dom1_page5 = xen_shim_gfn_to_virt(e->shim, DOM1, 5);
	struct proto_gnttab_copy op;

	assert_int_equal(setup_table(e, DOM1, PROTO_DOMID_SELF, 1, NULL, NULL), 0);
	grant(e, DOM1, 10, 0, 4, PROTO_GTF_permit_access);
	grant(e, DOM1, 11, 0, 5, PROTO_GTF_permit_access | PROTO_GTF_readonly);
	for (int i = 0; i < 256; i++)
		dom0_page2[i] = (uint8_t)i;
	/* dom0 frame -> dom1 grant (the backend writing into a guest buffer). */
	memset(&op, 0, sizeof(op));
	op.source.domid = PROTO_DOMID_SELF;
	op.source.u.gmfn = 2;
	op.source.offset = 16;
	op.dest.domid = DOM1;
	op.dest.u.ref = 10;
	op.dest.offset = 100;
	op.len = 64;
	op.flags = PROTO_GNTCOPY_dest_gref;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_okay);
	assert_memory_equal(dom1_page4 + 100, dom0_page2 + 16, 64);
	assert_int_equal(dom1_page4[99], 0);
	assert_int_equal(dom1_page4[164], 0);
	assert_int_equal(grant_table(e, DOM1)[10].flags, PROTO_GTF_permit_access);
	/* dom1 read-only grant -> dom0 frame. */
	memset(dom1_page5, 0x77, 4096);
	memset(&op, 0, sizeof(op));
	op.source.domid = DOM1;
	op.source.u.ref = 11;
	op.dest.domid = PROTO_DOMID_SELF;
	op.dest.u.gmfn = 3;
	op.len = 4096;
	op.flags = PROTO_GNTCOPY_source_gref;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_okay);
	assert_int_equal(((uint8_t *)xen_shim_gfn_to_virt(e->shim, 0, 3))[4095], 0x77);
	/* Writing into a read-only grant. */
	op.flags = PROTO_GNTCOPY_source_gref | PROTO_GNTCOPY_dest_gref;
	op.dest.domid = DOM1;
	op.dest.u.ref = 11;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_general_error);
	assert_int_equal(grant_table(e, DOM1)[11].flags,
			 PROTO_GTF_permit_access | PROTO_GTF_readonly);
	/* Bounds: offset + len beyond the page. */
	memset(&op, 0, sizeof(op));
	op.source.domid = PROTO_DOMID_SELF;
	op.source.u.gmfn = 2;
	op.dest.domid = PROTO_DOMID_SELF;
	op.dest.u.gmfn = 3;
	op.len = 1;
	op.source.offset = 4096;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_bad_copy_arg);
	op.source.offset = 4000;
	op.len = 97;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_bad_copy_arg);
	op.len = 96;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_okay);
	op.source.offset = 0;
	op.dest.offset = 0xffff;
	op.len = 1;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_bad_copy_arg);
	op.dest.offset = 0;
	op.len = 0;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_okay);
	/* Frames by number only for DOMID_SELF. */
	op.len = 8;
	op.source.domid = DOM1;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_permission_denied);
	op.source.domid = PROTO_DOMID_SELF;
	op.source.u.gmfn = 16; /* dom0 has 16 ordinary pages */
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_bad_page);
	op.source.u.gmfn = UINT64_MAX;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_bad_page);
	/* Grant side errors. */
	op.source.u.gmfn = 2;
	op.flags = PROTO_GNTCOPY_dest_gref;
	op.dest.domid = DOM_ABSENT;
	op.dest.u.ref = 10;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_bad_domain);
	op.dest.domid = DOM1;
	op.dest.u.ref = 512;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_bad_gntref);
	op.dest.u.ref = 10;
	assert_int_equal(copy(e, DOM2, &op), PROTO_GNTST_general_error); /* not for dom2 */
	op.flags = 0x4;
	assert_int_equal(copy(e, 0, &op), PROTO_GNTST_bad_copy_arg);
}

static void test_unmodelled_gnttab_ops_are_enosys(void **state)
{
	struct env *e = *state;
	static const uint32_t cmds[] = {
		PROTO_GNTTABOP_dump_table, PROTO_GNTTABOP_transfer, PROTO_GNTTABOP_unmap_and_replace,
		PROTO_GNTTABOP_set_version, PROTO_GNTTABOP_get_status_frames,
		PROTO_GNTTABOP_get_version, PROTO_GNTTABOP_swap_grant_ref,
		PROTO_GNTTABOP_cache_flush, 13, 0xffffffffu,
	};
	void *buf = scratch(e, 0);

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_int_equal(hc(e, 0, HV_GNTTAB, cmds[i], addr(buf), 1), -PROTO_XEN_ENOSYS);
}

/* ---------------------------------------------------------------- */
/* Shim configuration                                                 */

static void test_shim_configuration_errors(void **state)
{
	struct env *e = *state;
	struct xen_shim *other = NULL;
	struct xen_shim_config bad = { .dom0_mem_pages = XEN_SHIM_MEM_PAGES_MAX + 1 };
	struct xen_shim_domain_config d = { .domid = 3, .mem_pages = 1, .vcpu_count = 1 };
	unsigned long args[XEN_SHIM_HCALL_ARG_COUNT] = { 0 };

	assert_int_equal(xen_shim_create(NULL, NULL), -EINVAL);
	assert_int_equal(xen_shim_create(&other, &bad), -EINVAL);
	assert_null(other);
	assert_int_equal(xen_shim_domain_create(e->shim, NULL), -EINVAL);
	d.domid = 0;
	assert_int_equal(xen_shim_domain_create(e->shim, &d), -EINVAL);
	d.domid = PROTO_DOMID_SELF;
	assert_int_equal(xen_shim_domain_create(e->shim, &d), -EINVAL);
	d.domid = DOM1;
	assert_int_equal(xen_shim_domain_create(e->shim, &d), -EEXIST);
	d.domid = 3;
	d.vcpu_count = 0;
	assert_int_equal(xen_shim_domain_create(e->shim, &d), -EINVAL);
	d.vcpu_count = 1;
	d.grant_frames_max = XEN_SHIM_GRANT_FRAMES_MAX + 1;
	assert_int_equal(xen_shim_domain_create(e->shim, &d), -EINVAL);
	d.grant_frames_max = 0;
	/* 3 domains exist; fill the table. */
	for (d.domid = 3; d.domid < 3 + XEN_SHIM_DOMAIN_COUNT_MAX - 3; d.domid++)
		assert_int_equal(xen_shim_domain_create(e->shim, &d), 0);
	assert_int_equal(xen_shim_domain_create(e->shim, &d), -ENOSPC);
	assert_int_equal(xen_shim_cpu_bind(e->shim, XEN_SHIM_CPU_COUNT_MAX, 0, 0), -EINVAL);
	assert_int_equal(xen_shim_cpu_bind(e->shim, 0, DOM_ABSENT + 100, 0), -ESRCH);
	assert_int_equal(xen_shim_cpu_bind(e->shim, 0, DOM2, 1), -EINVAL);
	assert_null(xen_shim_gfn_to_virt(e->shim, DOM2, DOM2_PAGES + 1));
	assert_non_null(xen_shim_gfn_to_virt(e->shim, DOM2, DOM2_PAGES));
	assert_null(xen_shim_domain_memory(e->shim, DOM_ABSENT + 100, NULL));
	assert_null(xen_shim_domain_shared_info(e->shim, DOM_ABSENT + 100));
	/* No shim registered: the entry refuses. */
	assert_int_equal(xen_shim_hypercall(NULL, HV_VERSION, args), -ENODEV);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_unimplemented_hypercalls_are_enosys),
		T(test_version_subops),
		T(test_version_bad_handles),
		T(test_get_features),
		T(test_alloc_unbound),
		T(test_port_exhaustion),
		T(test_bind_interdomain),
		T(test_send_sets_pending_and_upcalls_once),
		T(test_masked_port_latches_until_unmask),
		T(test_selector_words),
		T(test_send_and_close_errors),
		T(test_status_rules),
		T(test_unmodelled_evtchn_ops_are_enosys),
		T(test_setup_table_and_query_size),
		T(test_map_and_unmap),
		T(test_map_errors),
		T(test_map_batches),
		T(test_copy),
		T(test_unmodelled_gnttab_ops_are_enosys),
		T(test_shim_configuration_errors),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

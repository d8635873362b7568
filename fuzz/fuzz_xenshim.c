// SPDX-License-Identifier: MIT
/*
 * Fuzz target: Xen hypercalls (number, arguments) through the xenshim
 * hypercall page (docs/xenshim.md), against a shim with dom0 and two guests,
 * outside an engine run (kshim pure mode, as unit_xenshim_ops). Every input
 * builds a fresh shim, two shim pages (x86-64 machine code) and a slot.
 *
 * Input (bounded cursor; missing bytes read as 0):
 *   header  flags: bit 0 set = start with the page registered in the slot
 *   record  op:
 *     0x00..0xBF  a hypercall: op bits 0-2 pick the number (0,1: xen_version
 *                 17; 2,3: event_channel_op 32; 4,5: grant_table_op 20; 6: a
 *                 raw byte, 128..255 included; 7: a raw u32), bits 3-4 the
 *                 path (0,1: xenshim_hypercall() through the slot; 2:
 *                 xenshim_page_call(); 3: xenshim_stub_call() at page base +
 *                 a u16 offset), bit 5 a raw u32 command instead of a signed
 *                 byte. Then: caller (domain b % 3, vCPU (b >> 2) % 3, bound
 *                 to CPU 0), command (a1), mode (2 bits per a2..a5), and each
 *                 argument by its mode: 0 a guest handle into the caller's
 *                 memory (u16 offset, may straddle the end), 1 a small value
 *                 (byte), 2 a raw u64, 3 a special address (NULL, another
 *                 domain's memory, host memory, the caller's last byte, a grant
 *                 frame, one past the end).
 *     0xC0..0xDF  poke bytes into a domain's memory (dom, u16 offset, length
 *                 byte % 48, bytes): argument structs for later handles
 *     0xE0..0xEF  write a v1 grant entry (dom, ref, flags, domid, frame)
 *     0xF0        xenshim_register(slot, page)  0xF1 xenshim_unregister(slot)
 *     0xF2        xenshim_register(slot, page2)  0xF3 set or clear a port's
 *                 mask bit  0xF4 clear a vCPU's upcall_pending (the guest's
 *                 side of the 2-level ABI)  0xF5 write a guest handle into
 *                 a domain's memory (dom, u16 at, u16 target: the address of
 *                 byte target as a u64 at byte at, e.g. a frame_list)
 *                 others: nothing
 * At most RECORDS_MAX records per input.
 *
 * Property: no crash, no sanitizer report, and every result is one that
 * docs/xenshim.md documents for that path, number and command: exact
 * values where it gives one (XENVER_version, XENVER_pagesize, -ENOSYS for
 * unhandled numbers or commands, -EINVAL for bad stub addresses), otherwise
 * 0 or one of the listed -errno values; grant-table ops that return 0 leave
 * a GNTST_* status in every op struct; register/unregister answer 0, -EINVAL,
 * -EBUSY or -ENOENT. A violation aborts with the call and its result.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xen_shim.h"
#include "xenshim/xenshim.h"
#include "fuzz_cursor.h"

#define RECORDS_MAX 128u
#define DOM_COUNT 3u
#define HV_VERSION PROTO___HYPERVISOR_xen_version
#define HV_EVTCHN PROTO___HYPERVISOR_event_channel_op
#define HV_GNTTAB PROTO___HYPERVISOR_grant_table_op
#define GNTTAB_BATCH_MAX XEN_SHIM_GNTTAB_BATCH_MAX

static const u16 domids[DOM_COUNT] = { 0, 1, 2 };
/* Host memory outside every domain, for bad guest handles. */
static uint8_t host_bytes[64];

struct env {
	struct xen_shim *shim;
	struct xenshim_page *page;
	struct xenshim_page *page2;
	struct xenshim_lcall *slot;
	uint64_t upcalls;
	uint64_t calls;    /* reached the dispatcher */
	uint64_t succeeded; /* ... and returned >= 0 */
	u16 caller;
};

#define FUZZ_FAIL(...)                                                       \
	do {                                                                 \
		fprintf(stderr, "fuzz_xenshim: property violated: ");        \
		fprintf(stderr, __VA_ARGS__);                                \
		fputc('\n', stderr);                                         \
		abort();                                                     \
	} while (0)

static bool in_set(long v, const long *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

#define IN(v, ...) in_set((v), (const long[]){ __VA_ARGS__ }, \
			  sizeof((const long[]){ __VA_ARGS__ }) / sizeof(long))

static void on_upcall(void *ctx, u16 domid, u32 vcpu)
{
	struct env *e = ctx;

	if (domid >= DOM_COUNT || vcpu >= XEN_SHIM_DOMAIN_VCPU_COUNT_MAX)
		FUZZ_FAIL("upcall for dom %u vCPU %u", domid, vcpu);
	e->upcalls++;
}

static const struct xen_shim_ops shim_ops = { .upcall = on_upcall };

static uint8_t *dom_memory(struct env *e, u16 domid, unsigned long *size)
{
	uint8_t *base = xen_shim_domain_memory(e->shim, domid, size);

	if (base == NULL || *size == 0)
		FUZZ_FAIL("domain %u has no memory", domid);
	return base;
}

static uint64_t special_address(struct env *e, struct fuzz_cursor *c)
{
	unsigned long size;
	uint8_t *mine = dom_memory(e, e->caller, &size);
	unsigned long other_size;
	uint8_t *other = dom_memory(e, domids[(e->caller + 1) % DOM_COUNT], &other_size);
	uint8_t choice = fuzz_u8(c);
	u32 pages = xen_shim_domain_mem_pages(e->shim, e->caller);

	switch (choice % 6) {
	case 0:
		return 0;
	case 1:
		return (uint64_t)(uintptr_t)(other + (choice % other_size));
	case 2:
		return (uint64_t)(uintptr_t)host_bytes; /* host memory: never guest memory */
	case 3:
		return (uint64_t)(uintptr_t)(mine + size - 1);
	case 4:
		return (uint64_t)(uintptr_t)(mine + (uint64_t)pages * XEN_SHIM_PAGE_SIZE);
	default:
		return (uint64_t)(uintptr_t)mine + size;
	}
}

static uint64_t take_arg(struct env *e, struct fuzz_cursor *c, unsigned int mode)
{
	unsigned long size;
	uint8_t *mine;

	switch (mode & 3u) {
	case 0:
		mine = dom_memory(e, e->caller, &size);
		return (uint64_t)(uintptr_t)(mine + fuzz_u16(c) % (size + 64));
	case 1:
		return fuzz_u8(c);
	case 2:
		return fuzz_u64(c);
	default:
		return special_address(e, c);
	}
}

/* Is [addr, addr + len) inside the caller's guest memory? */
static bool in_caller(struct env *e, uint64_t addr, uint64_t len)
{
	unsigned long size;
	uint64_t base = (uint64_t)(uintptr_t)dom_memory(e, e->caller, &size);

	return addr >= base && len <= size && addr - base <= size - len;
}

/* After a grant-table call returned 0: every op struct holds a GNTST_* status. */
static void check_gnttab_statuses(struct env *e, unsigned int cmd, uint64_t uop, uint64_t count)
{
	size_t stride, offset;

	switch (cmd) {
	case PROTO_GNTTABOP_map_grant_ref:
		stride = sizeof(struct proto_gnttab_map_grant_ref);
		offset = offsetof(struct proto_gnttab_map_grant_ref, status);
		break;
	case PROTO_GNTTABOP_unmap_grant_ref:
		stride = sizeof(struct proto_gnttab_unmap_grant_ref);
		offset = offsetof(struct proto_gnttab_unmap_grant_ref, status);
		break;
	case PROTO_GNTTABOP_setup_table:
		stride = sizeof(struct proto_gnttab_setup_table);
		offset = offsetof(struct proto_gnttab_setup_table, status);
		break;
	case PROTO_GNTTABOP_copy:
		stride = sizeof(struct proto_gnttab_copy);
		offset = offsetof(struct proto_gnttab_copy, status);
		break;
	case PROTO_GNTTABOP_query_size:
		stride = sizeof(struct proto_gnttab_query_size);
		offset = offsetof(struct proto_gnttab_query_size, status);
		break;
	default:
		return;
	}
	count = (unsigned int)count;
	if (count > GNTTAB_BATCH_MAX)
		FUZZ_FAIL("grant_table_op %u with count %llu returned 0 (at most %u)", cmd,
			  (unsigned long long)count, GNTTAB_BATCH_MAX);
	if (count > 0 && !in_caller(e, uop, count * stride))
		FUZZ_FAIL("grant_table_op %u returned 0 for ops outside guest memory", cmd);
	for (uint64_t i = 0; i < count; i++) {
		int16_t status;

		memcpy(&status, (const uint8_t *)(uintptr_t)uop + i * stride + offset,
		       sizeof(status));
		if (status > PROTO_GNTST_okay || status < PROTO_GNTST_no_space)
			FUZZ_FAIL("grant_table_op %u op %llu: status %d is no GNTST_* value", cmd,
				  (unsigned long long)i, status);
	}
}

/* The dispatcher's documented results (docs/xenshim.md section 3). */
static void check_dispatch(struct env *e, uint32_t nr, const uint64_t a[6], long ret)
{
	int cmd = (int)a[1];
	bool ok;

	e->calls++;
	e->succeeded += ret >= 0;
	switch (nr) {
	case HV_VERSION:
		if (cmd == PROTO_XENVER_version)
			ok = ret == (long)XEN_SHIM_VERSION_DEFAULT;
		else if (cmd == PROTO_XENVER_pagesize)
			ok = ret == XEN_SHIM_PAGE_SIZE;
		else if (cmd >= PROTO_XENVER_extraversion && cmd <= PROTO_XENVER_commandline)
			ok = IN(ret, 0, -PROTO_XEN_EFAULT, -PROTO_XEN_EINVAL);
		else
			ok = ret == -PROTO_XEN_ENOSYS;
		break;
	case HV_EVTCHN:
		if (IN(cmd, PROTO_EVTCHNOP_bind_interdomain, PROTO_EVTCHNOP_close,
		       PROTO_EVTCHNOP_send, PROTO_EVTCHNOP_status, PROTO_EVTCHNOP_alloc_unbound,
		       PROTO_EVTCHNOP_unmask))
			ok = IN(ret, 0, -PROTO_XEN_EFAULT, -PROTO_XEN_EPERM, -PROTO_XEN_ESRCH,
				-PROTO_XEN_ENOSPC, -PROTO_XEN_EINVAL);
		else
			ok = ret == -PROTO_XEN_ENOSYS;
		break;
	case HV_GNTTAB:
		if (IN((long)(unsigned int)a[1], PROTO_GNTTABOP_map_grant_ref,
		       PROTO_GNTTABOP_unmap_grant_ref, PROTO_GNTTABOP_setup_table,
		       PROTO_GNTTABOP_copy, PROTO_GNTTABOP_query_size)) {
			ok = IN(ret, 0, -PROTO_XEN_EFAULT, -PROTO_XEN_EINVAL);
			if (ret == 0)
				check_gnttab_statuses(e, (unsigned int)a[1], a[2], a[3]);
		} else {
			ok = ret == -PROTO_XEN_ENOSYS;
		}
		break;
	default:
		ok = ret == -PROTO_XEN_ENOSYS;
		break;
	}
	if (!ok)
		FUZZ_FAIL("hypercall %u (0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx) from dom %u returned"
			  " %ld, not a documented result",
			  nr, (unsigned long long)a[1], (unsigned long long)a[2],
			  (unsigned long long)a[3], (unsigned long long)a[4],
			  (unsigned long long)a[5], e->caller, ret);
}

static void hypercall_record(struct env *e, struct fuzz_cursor *c, uint8_t op)
{
	uint64_t a[6] = { 0 };
	uint32_t nr, path = (op >> 3) & 3u;
	uint16_t stub_offset = 0;
	uint8_t caller, mode;
	long ret;
	int bind;

	switch (op & 7u) {
	case 0: case 1: nr = HV_VERSION; break;
	case 2: case 3: nr = HV_EVTCHN; break;
	case 4: case 5: nr = HV_GNTTAB; break;
	case 6: nr = fuzz_u8(c); break;
	default: nr = fuzz_u32(c); break;
	}
	if (path == 3)
		stub_offset = fuzz_u16(c);
	caller = fuzz_u8(c);
	bind = xen_shim_cpu_bind(e->shim, 0, domids[caller % DOM_COUNT], (caller >> 2) % 3u);
	if (bind == 0)
		e->caller = domids[caller % DOM_COUNT];
	else if (bind != -PROTO_XEN_EINVAL)
		FUZZ_FAIL("xen_shim_cpu_bind returned %d", bind);
	a[1] = (op & 0x20u) ? fuzz_u32(c) : (uint64_t)(int64_t)(int8_t)fuzz_u8(c);
	mode = fuzz_u8(c);
	for (uint32_t i = 2; i <= 5; i++)
		a[i] = take_arg(e, c, mode >> (2 * (i - 2)));

	switch (path) {
	case 0:
	case 1:
		ret = xenshim_hypercall(e->slot, nr, a[1], a[2], a[3], a[4], a[5]);
		if (nr >= XENSHIM_STUB_COUNT || !xenshim_lcall_registered(e->slot)) {
			if (ret != -PROTO_XEN_ENOSYS)
				FUZZ_FAIL("hypercall %u with no page to reach returned %ld", nr, ret);
			return;
		}
		break;
	case 2:
		ret = xenshim_page_call(e->page, nr, a[1], a[2], a[3], a[4], a[5]);
		if (nr >= XENSHIM_STUB_COUNT) {
			if (ret != -PROTO_XEN_EINVAL)
				FUZZ_FAIL("xenshim_page_call(%u) returned %ld, not -EINVAL", nr, ret);
			return;
		}
		break;
	default:
		ret = xenshim_stub_call(e->page, xenshim_page_base(e->page) + stub_offset, a[1], a[2],
					a[3], a[4], a[5]);
		if (stub_offset % XENSHIM_STUB_SIZE != 0 || stub_offset >= XENSHIM_PAGE_SIZE) {
			if (ret != -PROTO_XEN_EINVAL)
				FUZZ_FAIL("stub call at page + %u returned %ld, not -EINVAL",
					  stub_offset, ret);
			return;
		}
		nr = stub_offset / XENSHIM_STUB_SIZE;
		break;
	}
	check_dispatch(e, nr, a, ret);
}

static void poke(struct env *e, struct fuzz_cursor *c)
{
	unsigned long size;
	uint8_t *mem = dom_memory(e, domids[fuzz_pick(c, DOM_COUNT)], &size);
	unsigned long at = fuzz_u16(c) % size;
	unsigned long len = fuzz_u8(c) % 48u;

	for (unsigned long i = 0; i < len && at + i < size; i++)
		mem[at + i] = fuzz_u8(c);
}

static void grant_entry(struct env *e, struct fuzz_cursor *c)
{
	u16 dom = domids[fuzz_pick(c, DOM_COUNT)];
	uint16_t ref = fuzz_u16(c) % (2u * PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME);
	u32 pages = xen_shim_domain_mem_pages(e->shim, dom);
	uint8_t *frame = xen_shim_gfn_to_virt(e->shim, dom,
					      pages + ref / PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME);
	struct proto_grant_entry_v1 entry;
	uint8_t flags = fuzz_u8(c);
	uint8_t grantee = fuzz_u8(c);

	entry.flags = (uint16_t)(flags & 0x1fu); /* type, readonly, reading, writing */
	entry.domid = grantee < 0xf0 ? domids[grantee % DOM_COUNT] : (uint16_t)(0x7ff0u + grantee);
	entry.frame = fuzz_u8(c);
	if (frame != NULL)
		memcpy(frame + (ref % PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME) * sizeof(entry), &entry,
		       sizeof(entry));
}

static void guest_side(struct env *e, struct fuzz_cursor *c, uint8_t op)
{
	struct xen_shim_shared_info *shared =
		xen_shim_domain_shared_info(e->shim, domids[fuzz_pick(c, DOM_COUNT)]);
	uint16_t port = fuzz_u16(c) % XEN_SHIM_EVTCHN_PORT_COUNT;
	const size_t word_bits = 8 * sizeof(unsigned long);

	if (shared == NULL)
		FUZZ_FAIL("no shared info");
	if (op == 0xf3) {
		if (port & 1u)
			shared->evtchn_mask[port / word_bits] |= 1ul << (port % word_bits);
		else
			shared->evtchn_mask[port / word_bits] &= ~(1ul << (port % word_bits));
	} else {
		shared->vcpu_info[port % XEN_SHIM_DOMAIN_VCPU_COUNT_MAX].evtchn_upcall_pending = 0;
		shared->evtchn_pending[port / word_bits] &= ~(1ul << (port % word_bits));
	}
}

/* A guest handle inside an argument struct (addresses differ between runs). */
static void poke_handle(struct env *e, struct fuzz_cursor *c)
{
	unsigned long size;
	uint8_t *mem = dom_memory(e, domids[fuzz_pick(c, DOM_COUNT)], &size);
	unsigned long at = fuzz_u16(c) % size;
	uint64_t handle = (uint64_t)(uintptr_t)(mem + fuzz_u16(c) % size);

	if (at + sizeof(handle) <= size)
		memcpy(mem + at, &handle, sizeof(handle));
}

static void slot_op(struct env *e, uint8_t op)
{
	int ret;

	if (op == 0xf1) {
		ret = xenshim_unregister(e->slot);
		if (!IN(ret, 0, -PROTO_XEN_ENOENT))
			FUZZ_FAIL("xenshim_unregister returned %d", ret);
		return;
	}
	ret = xenshim_register(e->slot, op == 0xf0 ? e->page : e->page2);
	if (!IN(ret, 0, -PROTO_XEN_EINVAL, -PROTO_XEN_EBUSY))
		FUZZ_FAIL("xenshim_register returned %d", ret);
}

static void env_create(struct env *e)
{
	struct xen_shim_config config = {
		.dom0_mem_pages = 16, .dom0_grant_frames_max = 1, .ops = &shim_ops, .ops_ctx = e,
	};
	struct xen_shim_domain_config d1 = {
		.domid = 1, .mem_pages = 16, .grant_frames_max = 2, .vcpu_count = 2,
	};
	struct xen_shim_domain_config d2 = {
		.domid = 2, .mem_pages = 8, .grant_frames_max = 1, .vcpu_count = 1,
	};

	if (xen_shim_create(&e->shim, &config) != 0 || xen_shim_domain_create(e->shim, &d1) != 0 ||
	    xen_shim_domain_create(e->shim, &d2) != 0)
		FUZZ_FAIL("cannot create the shim and its domains");
	if (xenshim_page_create_shim(&e->page, e->shim) != 0 ||
	    xenshim_page_create_shim(&e->page2, e->shim) != 0)
		FUZZ_FAIL("cannot create the hypercall pages");
	if (xenshim_lcall_create(&e->slot, NULL, NULL) != 0)
		FUZZ_FAIL("cannot create the slot");
}

static void env_destroy(struct env *e)
{
	int ret = xenshim_unregister(e->slot);

	if (!IN(ret, 0, -PROTO_XEN_ENOENT))
		FUZZ_FAIL("final xenshim_unregister returned %d", ret);
	xenshim_lcall_destroy(e->slot);
	xenshim_page_put(e->page2);
	xenshim_page_put(e->page);
	xen_shim_destroy(e->shim);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_cursor c = fuzz_cursor_make(data, size);
	struct env e = { 0 };

	env_create(&e);
	if (fuzz_u8(&c) & 1u)
		slot_op(&e, 0xf0);
	for (uint32_t i = 0; i < RECORDS_MAX && !fuzz_cursor_done(&c); i++) {
		uint8_t op = fuzz_u8(&c);

		if (op < 0xc0)
			hypercall_record(&e, &c, op);
		else if (op < 0xe0)
			poke(&e, &c);
		else if (op < 0xf0)
			grant_entry(&e, &c);
		else if (op <= 0xf2)
			slot_op(&e, op);
		else if (op <= 0xf4)
			guest_side(&e, &c, op);
		else if (op == 0xf5)
			poke_handle(&e, &c);
	}
	if (getenv("APFSIM_FUZZ_STATS") != NULL)
		fprintf(stderr, "fuzz_xenshim: dispatched %llu succeeded %llu upcalls %llu\n",
			(unsigned long long)e.calls, (unsigned long long)e.succeeded,
			(unsigned long long)e.upcalls);
	env_destroy(&e);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * xen-shim: __HYPERVISOR_grant_table_op, version-1 grant entries.
 *
 * Modelled: setup_table, query_size, map_grant_ref, unmap_grant_ref and
 * copy, with Xen's per-op GNTST_* status codes; other commands are -ENOSYS.
 * A domain's grant frames are the pages right after its ordinary memory
 * (gfn mem_pages + i), so its guest code fills entries in place. Pins follow
 * Xen: a cmpxchg on the entry's {flags, domid} word sets GTF_reading (and
 * GTF_writing for a writable pin) while any pin is held. As in the RFC shim,
 * map_grant_ref returns the page's address in host_addr (an OUT field: the
 * shim cannot remap the caller's address space), so a host_map request must
 * pass host_addr 0.
 */
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "xen_shim_priv.h"

#define GNTMAP_ALLOWED \
	(PROTO_GNTMAP_device_map | PROTO_GNTMAP_host_map | PROTO_GNTMAP_readonly)
#define GNTCOPY_ALLOWED (PROTO_GNTCOPY_source_gref | PROTO_GNTCOPY_dest_gref)

/* The {flags, domid} word of a grant entry, as Xen's grant_combo. */
union grant_combo {
	u32 word;
	struct {
		u16 flags;
		u16 domid;
	} s;
};

static u32 nr_entries(const struct xen_shim_domain *d)
{
	return d->grant_frames * PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME;
}

static struct proto_grant_entry_v1 *grant_entry(struct xen_shim_domain *d, u32 ref)
{
	unsigned long frame = d->mem_pages + ref / PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME;
	struct proto_grant_entry_v1 *entries =
		(struct proto_grant_entry_v1 *)(d->mem + (frame << XEN_SHIM_PAGE_SHIFT));

	return &entries[ref % PROTO_XEN_GRANT_ENTRIES_V1_PER_FRAME];
}

static u32 *grant_word(struct xen_shim_domain *d, u32 ref)
{
	return (u32 *)grant_entry(d, ref);
}

/*
 * Take a pin on @ref of @rd for domain @ldomid: the entry must permit access
 * to @ldomid and, for a writable pin, not be read-only. Bounded retries
 * when the granting guest changes the entry under us (Xen: "unstable").
 */
static s16 pin_entry(struct xen_shim_domain *rd, u32 ref, u16 ldomid, bool readonly)
{
	u32 *word = grant_word(rd, ref);
	union grant_combo cur, want;
	unsigned int attempt;

	cur.word = READ_ONCE(*word);
	for (attempt = 0; attempt < XEN_SHIM_GRANT_PIN_ATTEMPTS; attempt++) {
		u32 prev;

		if ((cur.s.flags & PROTO_GTF_type_mask) != PROTO_GTF_permit_access ||
		    cur.s.domid != ldomid)
			return PROTO_GNTST_general_error;
		if (!readonly && (cur.s.flags & PROTO_GTF_readonly))
			return PROTO_GNTST_general_error;
		want = cur;
		want.s.flags |= PROTO_GTF_reading;
		if (!readonly)
			want.s.flags |= PROTO_GTF_writing;
		prev = cmpxchg(word, cur.word, want.word);
		if (prev == cur.word) {
			if (readonly)
				rd->active[ref].readers++;
			else
				rd->active[ref].writers++;
			return PROTO_GNTST_okay;
		}
		cur.word = prev;
	}
	return PROTO_GNTST_general_error;
}

static void clear_flags(u32 *word, u16 bits)
{
	union grant_combo cur, want;
	unsigned int attempt;

	cur.word = READ_ONCE(*word);
	for (attempt = 0; attempt < XEN_SHIM_GRANT_UNPIN_ATTEMPTS; attempt++) {
		u32 prev;

		want = cur;
		want.s.flags &= ~bits;
		if (want.word == cur.word)
			return;
		prev = cmpxchg(word, cur.word, want.word);
		if (prev == cur.word)
			return;
		cur.word = prev;
	}
	WARN_ONCE(1, "xen-shim: grant entry changed %u times while unpinning\n", attempt);
}

static void unpin_entry(struct xen_shim_domain *rd, u32 ref, bool readonly)
{
	struct xen_shim_active_grant *act = &rd->active[ref];
	u16 bits = 0;

	if (readonly) {
		if (WARN_ON_ONCE(!act->readers))
			return;
		act->readers--;
	} else {
		if (WARN_ON_ONCE(!act->writers))
			return;
		act->writers--;
	}
	if (!act->writers)
		bits |= PROTO_GTF_writing;
	if (!act->readers && !act->writers)
		bits |= PROTO_GTF_reading;
	clear_flags(grant_word(rd, ref), bits);
}

/* Pin and check the granted frame; on success *@frame is a valid gfn of @rd. */
static s16 acquire_grant(struct xen_shim_domain *rd, u32 ref, u16 ldomid, bool readonly,
			 u32 *frame)
{
	s16 st;

	if (ref >= nr_entries(rd))
		return PROTO_GNTST_bad_gntref;
	st = pin_entry(rd, ref, ldomid, readonly);
	if (st != PROTO_GNTST_okay)
		return st;
	*frame = READ_ONCE(grant_entry(rd, ref)->frame);
	if (*frame >= rd->mem_pages) {
		unpin_entry(rd, ref, readonly);
		return PROTO_GNTST_bad_page;
	}
	return PROTO_GNTST_okay;
}

static int maptrack_get(struct xen_shim_domain *d)
{
	int h;

	for (h = 0; h < XEN_SHIM_MAPTRACK_COUNT; h++) {
		if (!d->maptrack[h].in_use)
			return h;
	}
	return -1;
}

/* Called with gnttab_lock held. */
static s16 map_one(struct xen_shim_caller *caller, struct proto_gnttab_map_grant_ref *op)
{
	struct xen_shim_domain *ld = caller->dom, *rd;
	bool readonly = op->flags & PROTO_GNTMAP_readonly;
	struct xen_shim_maptrack *mt;
	u32 frame;
	s16 st;
	int h;

	if ((op->flags & ~GNTMAP_ALLOWED) ||
	    !(op->flags & (PROTO_GNTMAP_device_map | PROTO_GNTMAP_host_map)))
		return PROTO_GNTST_bad_gntref;
	if ((op->flags & PROTO_GNTMAP_host_map) && op->host_addr)
		return PROTO_GNTST_bad_virt_addr;
	rd = xen_shim_find_domain(caller->shim, op->dom);
	if (!rd)
		return PROTO_GNTST_bad_domain;
	h = maptrack_get(ld);
	if (h < 0)
		return PROTO_GNTST_no_device_space;
	st = acquire_grant(rd, op->ref, ld->domid, readonly, &frame);
	if (st != PROTO_GNTST_okay)
		return st;
	mt = &ld->maptrack[h];
	mt->in_use = true;
	mt->readonly = readonly;
	mt->dom = rd->domid;
	mt->ref = op->ref;
	mt->host_addr = 0;
	mt->dev_bus_addr = 0;
	if (op->flags & PROTO_GNTMAP_host_map)
		mt->host_addr = (unsigned long)(rd->mem +
						((unsigned long)frame << XEN_SHIM_PAGE_SHIFT));
	if (op->flags & PROTO_GNTMAP_device_map)
		mt->dev_bus_addr = (u64)frame << XEN_SHIM_PAGE_SHIFT;
	op->handle = h;
	op->host_addr = mt->host_addr;
	op->dev_bus_addr = mt->dev_bus_addr;
	return PROTO_GNTST_okay;
}

/* Called with gnttab_lock held. */
static s16 unmap_one(struct xen_shim_caller *caller, struct proto_gnttab_unmap_grant_ref *op)
{
	struct xen_shim_domain *ld = caller->dom, *rd;
	struct xen_shim_maptrack *mt;

	if (op->handle >= XEN_SHIM_MAPTRACK_COUNT || !ld->maptrack[op->handle].in_use)
		return PROTO_GNTST_bad_handle;
	mt = &ld->maptrack[op->handle];
	if (op->host_addr && op->host_addr != mt->host_addr)
		return PROTO_GNTST_bad_virt_addr;
	if (op->dev_bus_addr && op->dev_bus_addr != mt->dev_bus_addr)
		return PROTO_GNTST_bad_dev_addr;
	rd = xen_shim_find_domain(caller->shim, mt->dom);
	if (!WARN_ON_ONCE(!rd))
		unpin_entry(rd, mt->ref, mt->readonly);
	mt->in_use = false;
	return PROTO_GNTST_okay;
}

struct copy_side {
	struct xen_shim_domain *d; /* set when a grant is pinned */
	u32 ref;
	bool readonly;
	u8 *page;
};

static s16 copy_side_get(struct xen_shim_caller *caller, const struct proto_gnttab_copy_ptr *ptr,
			 bool gref, bool write, struct copy_side *side)
{
	struct xen_shim_domain *ld = caller->dom, *d;
	u32 frame;
	s16 st;

	side->d = NULL;
	if (!gref) {
		if (ptr->u.gmfn >= ld->mem_pages)
			return PROTO_GNTST_bad_page;
		side->page = ld->mem + (ptr->u.gmfn << XEN_SHIM_PAGE_SHIFT);
		return PROTO_GNTST_okay;
	}
	d = ptr->domid == PROTO_DOMID_SELF ? ld : xen_shim_find_domain(caller->shim, ptr->domid);
	if (!d)
		return PROTO_GNTST_bad_domain;
	st = acquire_grant(d, ptr->u.ref, ld->domid, !write, &frame);
	if (st != PROTO_GNTST_okay)
		return st;
	side->d = d;
	side->ref = ptr->u.ref;
	side->readonly = !write;
	side->page = d->mem + ((unsigned long)frame << XEN_SHIM_PAGE_SHIFT);
	return PROTO_GNTST_okay;
}

static void copy_side_put(struct copy_side *side)
{
	if (side->d)
		unpin_entry(side->d, side->ref, side->readonly);
}

/* Called with gnttab_lock held. */
static s16 copy_one(struct xen_shim_caller *caller, const struct proto_gnttab_copy *op)
{
	bool src_gref = op->flags & PROTO_GNTCOPY_source_gref;
	bool dst_gref = op->flags & PROTO_GNTCOPY_dest_gref;
	struct copy_side src, dst;
	s16 st;

	if (op->flags & ~GNTCOPY_ALLOWED)
		return PROTO_GNTST_bad_copy_arg;
	if (op->source.offset + op->len > XEN_SHIM_PAGE_SIZE ||
	    op->dest.offset + op->len > XEN_SHIM_PAGE_SIZE)
		return PROTO_GNTST_bad_copy_arg;
	/* Frames by number only for DOMID_SELF (Xen: "copy-by-mfn"). */
	if ((!src_gref && op->source.domid != PROTO_DOMID_SELF) ||
	    (!dst_gref && op->dest.domid != PROTO_DOMID_SELF))
		return PROTO_GNTST_permission_denied;
	st = copy_side_get(caller, &op->source, src_gref, false, &src);
	if (st != PROTO_GNTST_okay)
		return st;
	st = copy_side_get(caller, &op->dest, dst_gref, true, &dst);
	if (st != PROTO_GNTST_okay) {
		copy_side_put(&src);
		return st;
	}
	memmove(dst.page + op->dest.offset, src.page + op->source.offset, op->len);
	copy_side_put(&dst);
	copy_side_put(&src);
	return PROTO_GNTST_okay;
}

static long batch_range_ok(unsigned long uop, unsigned int count, unsigned long size)
{
	if (count > XEN_SHIM_GNTTAB_BATCH_MAX) {
		pr_warn("xen-shim: grant_table_op batch of %u > %u\n", count,
			XEN_SHIM_GNTTAB_BATCH_MAX);
		return -EINVAL;
	}
	if (uop > ULONG_MAX - count * size)
		return -EFAULT;
	return 0;
}

/* One grant operation of a batch, as read from the guest. */
union gnttab_batch_op {
	struct proto_gnttab_map_grant_ref map;
	struct proto_gnttab_unmap_grant_ref unmap;
	struct proto_gnttab_copy copy;
};

static void batch_map_one(struct xen_shim_caller *caller, union gnttab_batch_op *op)
{
	op->map.status = map_one(caller, &op->map);
}

static void batch_unmap_one(struct xen_shim_caller *caller, union gnttab_batch_op *op)
{
	op->unmap.status = unmap_one(caller, &op->unmap);
}

static void batch_copy_one(struct xen_shim_caller *caller, union gnttab_batch_op *op)
{
	op->copy.status = copy_one(caller, &op->copy);
}

/*
 * A batch of @count operations of @size bytes at @uop: each is copied in,
 * done under the grant lock (@one writes its status) and copied back.
 */
static long do_batch(struct xen_shim_caller *caller, unsigned long uop, unsigned int count,
		     size_t size,
		     void (*one)(struct xen_shim_caller *caller, union gnttab_batch_op *op))
{
	union gnttab_batch_op op;
	unsigned long addr, flags;
	unsigned int i;
	long ret;

	ret = batch_range_ok(uop, count, size);
	for (i = 0; !ret && i < count; i++) {
		addr = uop + i * size;
		if (xen_shim_copy_from_guest(caller->dom, &op, addr, size))
			return -EFAULT;
		spin_lock_irqsave(&caller->shim->gnttab_lock, flags);
		one(caller, &op);
		spin_unlock_irqrestore(&caller->shim->gnttab_lock, flags);
		ret = xen_shim_copy_to_guest(caller->dom, addr, &op, size);
	}
	return ret;
}

/* DOMID_SELF or our own id; another domain only for the privileged caller. */
static s16 table_domain(struct xen_shim_caller *caller, u16 dom, struct xen_shim_domain **out)
{
	if (dom == PROTO_DOMID_SELF || dom == caller->dom->domid) {
		*out = caller->dom;
		return PROTO_GNTST_okay;
	}
	if (!caller->dom->privileged)
		return PROTO_GNTST_permission_denied;
	*out = xen_shim_find_domain(caller->shim, dom);
	return *out ? PROTO_GNTST_okay : PROTO_GNTST_bad_domain;
}

static long do_setup_table(struct xen_shim_caller *caller, unsigned long uop, unsigned int count)
{
	struct proto_gnttab_setup_table op;
	struct xen_shim_domain *d;
	unsigned long flags;
	u32 i;

	if (count != 1)
		return -EINVAL;
	if (xen_shim_copy_from_guest(caller->dom, &op, uop, sizeof(op)))
		return -EFAULT;
	op.status = table_domain(caller, op.dom, &d);
	if (op.status == PROTO_GNTST_okay && op.nr_frames > d->grant_frames_max)
		op.status = PROTO_GNTST_general_error;
	if (op.status == PROTO_GNTST_okay) {
		/* Tables only grow; new frames are zero (no entry granted). */
		spin_lock_irqsave(&caller->shim->gnttab_lock, flags);
		if (op.nr_frames > d->grant_frames)
			d->grant_frames = op.nr_frames;
		spin_unlock_irqrestore(&caller->shim->gnttab_lock, flags);
		for (i = 0; i < op.nr_frames; i++) {
			u64 gfn = d->mem_pages + i;

			if (xen_shim_copy_to_guest(caller->dom, op.frame_list + i * sizeof(gfn),
						   &gfn, sizeof(gfn))) {
				op.status = PROTO_GNTST_bad_virt_addr;
				break;
			}
		}
	}
	return xen_shim_copy_to_guest(caller->dom, uop, &op, sizeof(op));
}

static long do_query_size(struct xen_shim_caller *caller, unsigned long uop, unsigned int count)
{
	struct proto_gnttab_query_size op;
	struct xen_shim_domain *d;
	unsigned long flags;

	if (count != 1)
		return -EINVAL;
	if (xen_shim_copy_from_guest(caller->dom, &op, uop, sizeof(op)))
		return -EFAULT;
	op.status = table_domain(caller, op.dom, &d);
	if (op.status == PROTO_GNTST_okay) {
		spin_lock_irqsave(&caller->shim->gnttab_lock, flags);
		op.nr_frames = d->grant_frames;
		op.max_nr_frames = d->grant_frames_max;
		spin_unlock_irqrestore(&caller->shim->gnttab_lock, flags);
	}
	return xen_shim_copy_to_guest(caller->dom, uop, &op, sizeof(op));
}

/**
 * xen_shim_gnttab_op() - __HYPERVISOR_grant_table_op(cmd, uop, count).
 * @caller: the calling domain.
 * @cmd: GNTTABOP_* (unsigned int in Xen's prototype).
 * @uop: guest handle of an array of @count op structs.
 * @count: ops in the array (unsigned int); setup_table and query_size need 1.
 *
 * Each op reports its own GNTST_* status; the call returns 0 when every op
 * was read and written back.
 *
 * Return: 0; -EFAULT (an op outside guest memory; the ops before it were
 * done), -EINVAL (count), -ENOSYS (command not modelled).
 */
long xen_shim_gnttab_op(struct xen_shim_caller *caller, unsigned long cmd, unsigned long uop,
			unsigned long count)
{
	unsigned int n = (unsigned int)count;

	switch ((unsigned int)cmd) {
	case PROTO_GNTTABOP_map_grant_ref:
		return do_batch(caller, uop, n, sizeof(struct proto_gnttab_map_grant_ref),
				batch_map_one);
	case PROTO_GNTTABOP_unmap_grant_ref:
		return do_batch(caller, uop, n, sizeof(struct proto_gnttab_unmap_grant_ref),
				batch_unmap_one);
	case PROTO_GNTTABOP_copy:
		return do_batch(caller, uop, n, sizeof(struct proto_gnttab_copy),
				batch_copy_one);
	case PROTO_GNTTABOP_setup_table:
		return do_setup_table(caller, uop, n);
	case PROTO_GNTTABOP_query_size:
		return do_query_size(caller, uop, n);
	default:
		return -ENOSYS;
	}
}

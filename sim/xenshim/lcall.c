// SPDX-License-Identifier: MIT
/*
 * The hypercall_page slot and its register / unregister swap.
 *
 * Safe slots (the default):
 * - the active page is read and pinned (a reference plus the page's
 *   in-flight count) under the slot lock, so a call runs entirely on the page
 *   it found, old or new, and that page cannot be released under it;
 * - register refuses a second registration (-EBUSY) instead of overwriting
 *   the saved page; unregister without register is -ENOENT;
 * - unregister swaps back at once, then sleeps until the calls still running
 *   on the removed page have returned, then drops the slot's reference; the
 *   mapping goes away with the last reference (deferred unmap).
 * XENSHIM_LCALL_RFC_UNSAFE reproduces the RFC instead (see xenshim.h).
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "sim/assert.h"
#include "sim/sim.h"
#include "xenshim_private.h"

struct xenshim_lcall {
	spinlock_t lock;
	unsigned int flags;
	struct xenshim_page *active; /* the slot holds a reference */
	struct xenshim_page *saved; /* the slot holds a reference */
	bool registered;
};

/* Pages this thread is calling through, innermost last. */
static _Thread_local struct xenshim_page *tls_held[XENSHIM_CALL_DEPTH_MAX];
static _Thread_local unsigned int tls_depth;

static bool unsafe(const struct xenshim_lcall *lcall)
{
	return lcall->flags & XENSHIM_LCALL_RFC_UNSAFE;
}

static bool held_by_self(const struct xenshim_page *page)
{
	unsigned int i;

	for (i = 0; i < tls_depth; i++) {
		if (tls_held[i] == page)
			return true;
	}
	return false;
}

int xenshim_lcall_create(struct xenshim_lcall **out, struct xenshim_page *initial,
			 const struct xenshim_lcall_config *config)
{
	unsigned int flags = config != NULL ? config->flags : 0;
	struct xenshim_lcall *lcall;

	if (out == NULL || (flags & ~XENSHIM_LCALL_RFC_UNSAFE) != 0)
		return -EINVAL;
	if (initial != NULL && !xenshim_page_live(initial))
		return -EINVAL;
	lcall = calloc(1, sizeof(*lcall));
	if (lcall == NULL)
		return -ENOMEM;
	spin_lock_init(&lcall->lock);
	lcall->flags = flags;
	if (initial != NULL) {
		xenshim_page_get(initial);
		if (unsafe(lcall))
			initial->quarantine = true;
		lcall->active = initial;
	}
	*out = lcall;
	return 0;
}

void xenshim_lcall_destroy(struct xenshim_lcall *lcall)
{
	if (lcall == NULL)
		return;
	if (lcall->active != NULL && lcall->active->slot == lcall)
		lcall->active->slot = NULL;
	xenshim_page_put(lcall->active);
	xenshim_page_put(lcall->saved);
	if (unsafe(lcall))
		xenshim_graveyard_flush();
	free(lcall);
}

static int register_unsafe(struct xenshim_lcall *lcall, struct xenshim_page *page)
{
	struct xenshim_page *lost;

	/* As the RFC: the saved page is overwritten, even by the shim page. */
	xenshim_page_get(page);
	page->quarantine = true;
	spin_lock(&lcall->lock);
	lost = lcall->saved;
	lcall->saved = lcall->active;
	lcall->active = page;
	lcall->registered = true;
	spin_unlock(&lcall->lock);
	xenshim_page_put(lost);
	return 0;
}

int xenshim_register(struct xenshim_lcall *lcall, struct xenshim_page *page)
{
	int ret = 0;

	if (lcall == NULL || page == NULL || !xenshim_page_live(page))
		return -EINVAL;
	if (unsafe(lcall))
		return register_unsafe(lcall, page);
	spin_lock(&lcall->lock);
	if (lcall->registered) {
		ret = -EBUSY;
	} else if (page == lcall->active) {
		ret = -EINVAL;
	} else if (cmpxchg(&page->slot, NULL, lcall) != NULL) {
		/* Claimed by another slot (whose lock we do not hold). */
		ret = -EBUSY;
	} else {
		xenshim_page_get(page);
		lcall->saved = lcall->active;
		WRITE_ONCE(lcall->active, page);
		lcall->registered = true;
	}
	spin_unlock(&lcall->lock);
	return ret;
}

static int unregister_unsafe(struct xenshim_lcall *lcall)
{
	struct xenshim_page *old;

	/* As the RFC: restore whatever was saved, NULL included; no waiting. */
	spin_lock(&lcall->lock);
	old = lcall->active;
	WRITE_ONCE(lcall->active, lcall->saved);
	lcall->saved = NULL;
	lcall->registered = false;
	spin_unlock(&lcall->lock);
	xenshim_page_put(old);
	return 0;
}

int xenshim_unregister(struct xenshim_lcall *lcall)
{
	struct xenshim_page *old;

	if (lcall == NULL)
		return -EINVAL;
	if (unsafe(lcall))
		return unregister_unsafe(lcall);
	spin_lock(&lcall->lock);
	if (!lcall->registered) {
		spin_unlock(&lcall->lock);
		return -ENOENT;
	}
	old = lcall->active;
	if (held_by_self(old)) {
		/* Waiting for our own call would never end. */
		spin_unlock(&lcall->lock);
		return -EDEADLK;
	}
	WRITE_ONCE(lcall->active, lcall->saved);
	lcall->saved = NULL;
	lcall->registered = false;
	WRITE_ONCE(old->slot, NULL);
	spin_unlock(&lcall->lock);
	/* Calls that pinned @old before the swap finish on it. */
	wait_event(old->idle, atomic_read(&old->inflight) == 0);
	xenshim_page_put(old);
	return 0;
}

static struct xenshim_page *pin_active(struct xenshim_lcall *lcall)
{
	struct xenshim_page *page;

	if (unsafe(lcall))
		return READ_ONCE(lcall->active); /* no reference: the RFC's race */
	spin_lock(&lcall->lock);
	page = lcall->active;
	if (page != NULL) {
		xenshim_page_get(page);
		atomic_inc(&page->inflight);
	}
	spin_unlock(&lcall->lock);
	return page;
}

static void unpin(struct xenshim_lcall *lcall, struct xenshim_page *page)
{
	if (unsafe(lcall))
		return;
	if (atomic_dec_and_test(&page->inflight))
		wake_up_all(&page->idle);
	xenshim_page_put(page);
}

long xenshim_hypercall(struct xenshim_lcall *lcall, uint32_t nr, uint64_t a1, uint64_t a2,
		       uint64_t a3, uint64_t a4, uint64_t a5)
{
	const uint64_t args[5] = { a1, a2, a3, a4, a5 };
	struct xenshim_page *page;
	long ret;

	if (lcall == NULL)
		return -EINVAL;
	/* Bounds-check the index before any address is computed. */
	if (nr >= XENSHIM_STUB_COUNT)
		return -ENOSYS;
	if (tls_depth >= XENSHIM_CALL_DEPTH_MAX)
		return -EDEADLK;
	page = pin_active(lcall);
	if (page == NULL) {
		if (!unsafe(lcall))
			return -ENOSYS;
		if (sim_self() != NULL)
			SIM_REPORT(sim_self(), XENSHIM_FINDING_NULL_PAGE,
				   "hypercall %u through a NULL hypercall page", nr);
		return -EFAULT;
	}
	tls_held[tls_depth++] = page;
	/* The window between loading the page pointer and executing the stub. */
	sim_point(SIM_POINT_YIELD, "xenshim: stub call");
	ret = xenshim__page_call(page, nr, args);
	tls_depth--;
	unpin(lcall, page);
	return ret;
}

struct xenshim_page *xenshim_lcall_active(const struct xenshim_lcall *lcall)
{
	return lcall != NULL ? __atomic_load_n(&lcall->active, __ATOMIC_RELAXED) : NULL;
}

struct xenshim_page *xenshim_lcall_saved(const struct xenshim_lcall *lcall)
{
	return lcall != NULL ? lcall->saved : NULL;
}

bool xenshim_lcall_registered(const struct xenshim_lcall *lcall)
{
	return lcall != NULL && lcall->registered;
}

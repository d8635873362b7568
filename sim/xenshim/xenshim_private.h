/* SPDX-License-Identifier: MIT */
/*
 * xenshim internals shared by page.c and lcall.c.
 */
#ifndef XENSHIM_PRIVATE_H
#define XENSHIM_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/atomic.h>
#include <linux/wait.h>

#include "xenshim/xenshim.h"

#if defined(__x86_64__) && !defined(XENSHIM_FORCE_PORTABLE)
#define XENSHIM_NATIVE 1
#else
#define XENSHIM_NATIVE 0
#endif

#define XENSHIM_PAGE_MAGIC 0x58535047u /* "XSPG" */

enum xenshim_page_state {
	XENSHIM_PAGE_LIVE = 1,
	XENSHIM_PAGE_DEAD = 2, /* last reference dropped */
};

struct xenshim_page {
	uint32_t magic;
	int state; /* enum xenshim_page_state, READ_ONCE/WRITE_ONCE */
	atomic_t refs;
	atomic_t inflight; /* calls running on this page (safe slots) */
	struct wait_queue_head idle; /* xenshim_unregister() waits for inflight == 0 */
	xenshim_entry_fn entry;
	void *ctx;
	uint8_t *mem; /* native: stubs + trampoline page; portable: descriptors */
	size_t mem_size;
	bool quarantine; /* seen by an RFC-unsafe slot: keep mapped when dead */
	struct xenshim_lcall *slot; /* the safe slot it is registered in */
	struct xenshim_page *grave_next;
	uint64_t calls[XENSHIM_STUB_COUNT]; /* relaxed atomic counters */
};

/* Call stub @nr of a page the caller keeps alive (no checks). */
long xenshim__page_call(struct xenshim_page *page, uint32_t nr, const uint64_t args[5]);

#endif /* XENSHIM_PRIVATE_H */

/* SPDX-License-Identifier: MIT */
/*
 * xenshim, simulator side: the Xen hypercall page and the swappable
 * "hypercall_page" slot (register / unregister), see docs/xenshim.md.
 *
 * A page is 4096 bytes of 128 stubs of 32 bytes; stub n serves hypercall n.
 * On x86-64 each stub is machine code generated at run time into an mmap'd
 * mapping that is made read+execute once written (never writable and
 * executable at the same time): callers call page + n * 32 with the Xen
 * x86-64 hypercall registers (rdi, rsi, rdx, r10, r8) and get a
 * sign-extended long in rax. Elsewhere (or with XENSHIM_FORCE_PORTABLE) the
 * page is a table of 32-byte descriptors behind the same functions.
 *
 *   xenshim_page_create(&page, entry, ctx);      stubs that reach entry()
 *   xenshim_lcall_create(&slot, native, NULL);   the slot, active page native
 *   xenshim_register(slot, page);                native saved, page active
 *   xenshim_hypercall(slot, nr, a1..a5);         through the active page
 *   xenshim_unregister(slot);                    waits for calls on page
 *   xenshim_page_put(page);                      unmapped at the last ref
 */
#ifndef XENSHIM_XENSHIM_H
#define XENSHIM_XENSHIM_H

#include <stdbool.h>
#include <stdint.h>

#define XENSHIM_PAGE_SIZE 4096u
#define XENSHIM_STUB_SIZE 32u
#define XENSHIM_STUB_COUNT (XENSHIM_PAGE_SIZE / XENSHIM_STUB_SIZE)
/* Registers captured per call: rdi, rsi, rdx, r10, r8 and r9. */
#define XENSHIM_ARG_COUNT 6u
/* Nested hypercalls per thread (e.g. from an interrupt handler). */
#define XENSHIM_CALL_DEPTH_MAX 4u

/* Findings (sim_report classes). */
#define XENSHIM_FINDING_DEAD_PAGE "xenshim-dead-page"
#define XENSHIM_FINDING_NULL_PAGE "xenshim-null-page"

/* Slot flags. */
/*
 * Reproduce the RFC's unsynchronised lcall swap: register overwrites the
 * saved page (a double register loses the original), unregister without
 * register makes the page NULL, calls take no reference and unregister
 * waits for nothing. Released pages are then kept mapped (quarantined until
 * xenshim_graveyard_flush()) so that a late call is a finding, not a crash.
 * For demonstrating the race; never for real use.
 */
#define XENSHIM_LCALL_RFC_UNSAFE 0x1u

struct xenshim_page;
struct xenshim_lcall;
struct xen_shim;

/* The register file of one call, built on the stack by the trampoline. */
struct xenshim_regs {
	struct xenshim_page *page;
	uint64_t nr;                        /* rax: the stub index */
	uint64_t args[XENSHIM_ARG_COUNT];   /* rdi, rsi, rdx, r10, r8, r9 */
};

/* What a page's stubs reach; the result is returned in rax. */
typedef long (*xenshim_entry_fn)(void *ctx, const struct xenshim_regs *regs);

struct xenshim_lcall_config {
	unsigned int flags; /* XENSHIM_LCALL_* */
};

/* true when pages hold x86-64 machine code (not the portable table). */
bool xenshim_native_stubs(void);

/**
 * xenshim_page_create() - generate a page of 128 stubs that reach @entry.
 * Return: 0, -EINVAL (NULL argument), -ENOMEM or the mmap/mprotect errno.
 * The caller holds one reference.
 */
int xenshim_page_create(struct xenshim_page **out, xenshim_entry_fn entry, void *ctx);
/* A page whose stubs call xen_shim_hypercall(@shim, ...). */
int xenshim_page_create_shim(struct xenshim_page **out, struct xen_shim *shim);
void xenshim_page_get(struct xenshim_page *page);
/* Drop a reference; the last one unmaps the page (or quarantines it). */
void xenshim_page_put(struct xenshim_page *page);

const uint8_t *xenshim_page_base(const struct xenshim_page *page);
/* Stub @nr, page base + nr * 32; NULL when nr >= XENSHIM_STUB_COUNT. */
const void *xenshim_page_stub(const struct xenshim_page *page, uint32_t nr);
/* The x86-64 trampoline the stubs call (NULL in portable mode). */
const uint8_t *xenshim_page_trampoline(const struct xenshim_page *page);
bool xenshim_page_live(const struct xenshim_page *page);
/* Calls that reached the entry through stub @nr. */
uint64_t xenshim_page_calls(const struct xenshim_page *page, uint32_t nr);
uint64_t xenshim_page_calls_total(const struct xenshim_page *page);

/*
 * Call the stub at @stub of @page with a1..a5 in rdi, rsi, rdx, r10, r8
 * (r9 = 0). Return: the entry's result, or -EINVAL, without calling
 * anything, when @stub is not a stub address of @page (outside it, or not
 * on a 32-byte boundary) or the page is not live.
 */
long xenshim_stub_call(struct xenshim_page *page, const void *stub, uint64_t a1, uint64_t a2,
		       uint64_t a3, uint64_t a4, uint64_t a5);
/* Stub @nr of @page; -EINVAL for nr >= XENSHIM_STUB_COUNT (no call made). */
long xenshim_page_call(struct xenshim_page *page, uint32_t nr, uint64_t a1, uint64_t a2,
		       uint64_t a3, uint64_t a4, uint64_t a5);

/* Pages created and not yet unmapped, process-wide (quarantined included). */
uint64_t xenshim_page_live_count(void);
/* Unmap quarantined pages. Only when no execution that used them runs. */
void xenshim_graveyard_flush(void);

/**
 * xenshim_lcall_create() - a hypercall_page slot.
 * @out: the new slot.
 * @initial: the page active before any register (the "native" page), or
 *           NULL: calls then return -ENOSYS (no hypervisor).
 * @config: NULL or flags.
 * Return: 0, -EINVAL (unknown flag, NULL @out), -ENOMEM.
 */
int xenshim_lcall_create(struct xenshim_lcall **out, struct xenshim_page *initial,
			 const struct xenshim_lcall_config *config);
/* Drop the slot's references. No call may be in flight. */
void xenshim_lcall_destroy(struct xenshim_lcall *lcall);

/**
 * xenshim_register() - make @page the active page, saving the current one.
 * Return: 0; -EINVAL (NULL, @page already active or not live); -EBUSY
 * (a page is already registered here, or @page is registered in another
 * slot): nothing changes, the saved page is never lost.
 */
int xenshim_register(struct xenshim_lcall *lcall, struct xenshim_page *page);

/**
 * xenshim_unregister() - restore the saved page.
 * New calls use the restored page at once; calls already running on the
 * unregistered page finish on it, and this waits (blocking, on the engine)
 * until they have. The slot's reference is then dropped.
 * Return: 0; -ENOENT (nothing registered: the active page is unchanged);
 * -EDEADLK (called from inside a call on the registered page).
 */
int xenshim_unregister(struct xenshim_lcall *lcall);

/**
 * xenshim_hypercall() - hypercall @nr through the slot's active page.
 * The page is pinned for the whole call. Return: the result (sign-extended),
 * -ENOSYS for nr >= XENSHIM_STUB_COUNT or no active page (nothing called),
 * -EDEADLK beyond XENSHIM_CALL_DEPTH_MAX nested calls, -EINVAL (NULL slot).
 */
long xenshim_hypercall(struct xenshim_lcall *lcall, uint32_t nr, uint64_t a1, uint64_t a2,
		       uint64_t a3, uint64_t a4, uint64_t a5);

/* Inspection (racy while calls run; exact after the run). */
struct xenshim_page *xenshim_lcall_active(const struct xenshim_lcall *lcall);
struct xenshim_page *xenshim_lcall_saved(const struct xenshim_lcall *lcall);
bool xenshim_lcall_registered(const struct xenshim_lcall *lcall);

#endif /* XENSHIM_XENSHIM_H */

// SPDX-License-Identifier: MIT
/*
 * The Xen shim's hypercall_page slot (sim/xenshim/lcall.c) exercised inside
 * a world execution, for bug zoo entry 13 (docs/bugzoo.md).
 *
 * A host thread ("xen-lcall", the KVM host where the shim module lives)
 * creates a slot whose native page answers XEN_NATIVE and two shim pages,
 * and runs the misuse sequences of xen-shim.md §2.4 on a fresh slot each:
 *
 *   A  unregister without register; register, unregister, unregister again
 *   B  register; register the same page again; register a second page;
 *      unregister
 *
 * After every step it makes one hypercall through the slot and checks that
 * it reached the page that must be active then (the native page whenever
 * nothing is registered, the first registered page while registered). A
 * call that reaches another page, or no page (-ENOSYS: the slot lost its
 * page), is the finding "xenshim-page-lost"; a sequence stops at its first
 * one. The return codes are not checked: only what a later hypercall
 * reaches is the protocol's business [xen-shim.md §2.1, §2.4].
 *
 * Turned on by the word "apfsim.xenshim" in world_config.cmdline (the
 * guest kernel ignores the unknown parameter with a notice): a stop-gap
 * knob until the scenario format has a field for it.
 */
#include <errno.h>
#include <stdint.h>

#include "sim/kshim.h"
#include "sim/sim.h"
#include "sim/world.h"
#include "xenshim/xenshim.h"

#include "world_xen.h"

#define XEN_NR_VERSION 17u /* __HYPERVISOR_xen_version */
#define XEN_NATIVE 0x4e41544956l /* "NATIV" */
#define XEN_SHIM 0x5348494d31l /* "SHIM1" */
#define XEN_SHIM2 0x5348494d32l /* "SHIM2" */

enum xen_page_id { XEN_PAGE_NATIVE = 0, XEN_PAGE_SHIM, XEN_PAGE_SHIM2, XEN_PAGE_COUNT };

static const long xen_page_result[XEN_PAGE_COUNT] = { XEN_NATIVE, XEN_SHIM, XEN_SHIM2 };
static const char *const xen_page_name[XEN_PAGE_COUNT] = { "native", "shim", "second shim" };

enum xen_op { XEN_OP_REGISTER, XEN_OP_UNREGISTER };

struct xen_step {
	enum xen_op op;
	enum xen_page_id page;   /* register: the page */
	enum xen_page_id expect; /* the page a hypercall must reach afterwards */
	const char *what;
};

struct xen_sequence {
	const char *name;
	const struct xen_step *steps;
	uint32_t step_count;
};

static const struct xen_step xen_sequence_a[] = {
	{ XEN_OP_UNREGISTER, XEN_PAGE_NATIVE, XEN_PAGE_NATIVE, "unregister without register" },
	{ XEN_OP_REGISTER, XEN_PAGE_SHIM, XEN_PAGE_SHIM, "register" },
	{ XEN_OP_UNREGISTER, XEN_PAGE_NATIVE, XEN_PAGE_NATIVE, "unregister" },
	{ XEN_OP_UNREGISTER, XEN_PAGE_NATIVE, XEN_PAGE_NATIVE, "unregister twice" },
};

static const struct xen_step xen_sequence_b[] = {
	{ XEN_OP_REGISTER, XEN_PAGE_SHIM, XEN_PAGE_SHIM, "register" },
	{ XEN_OP_REGISTER, XEN_PAGE_SHIM, XEN_PAGE_SHIM, "register the same page again" },
	{ XEN_OP_REGISTER, XEN_PAGE_SHIM2, XEN_PAGE_SHIM, "register a second page" },
	{ XEN_OP_UNREGISTER, XEN_PAGE_NATIVE, XEN_PAGE_NATIVE, "unregister" },
};

static unsigned long xen_checks;

unsigned long world_xen_checks(void)
{
	return __atomic_load_n(&xen_checks, __ATOMIC_RELAXED);
}

static const struct xen_sequence xen_sequences[] = {
	{ "A", xen_sequence_a, sizeof(xen_sequence_a) / sizeof(xen_sequence_a[0]) },
	{ "B", xen_sequence_b, sizeof(xen_sequence_b) / sizeof(xen_sequence_b[0]) },
};

bool world_xen_wanted(const struct world_config *config)
{
	return world_cmdline_has(config, WORLD_XEN_CMDLINE_WORD);
}

/* The entry of a test page: its identity, whatever the call. */
static long xen_page_entry(void *ctx, const struct xenshim_regs *regs)
{
	(void)regs;
	return *(const long *)ctx;
}

static const char *xen_result_name(long result)
{
	for (uint32_t i = 0; i < XEN_PAGE_COUNT; i++) {
		if (result == xen_page_result[i])
			return xen_page_name[i];
	}
	return result == -ENOSYS ? "no page (-ENOSYS)" : "an unknown page";
}

/* One sequence on a fresh slot. Return: true if it ran clean. */
static bool xen_sequence_run(struct sim *sim, const struct xen_sequence *seq,
			     struct xenshim_page *const pages[XEN_PAGE_COUNT])
{
	struct xenshim_lcall *lcall;
	bool clean = true;
	int ret;

	ret = xenshim_lcall_create(&lcall, pages[XEN_PAGE_NATIVE], NULL);
	if (ret != 0) {
		SIM_REPORT(sim, WORLD_FINDING_EVENT, "xen-lcall: slot creation failed: %d", ret);
		return false;
	}
	for (uint32_t i = 0; i < seq->step_count; i++) {
		const struct xen_step *step = &seq->steps[i];
		long result;

		if (step->op == XEN_OP_REGISTER)
			ret = xenshim_register(lcall, pages[step->page]);
		else
			ret = xenshim_unregister(lcall);
		result = xenshim_hypercall(lcall, XEN_NR_VERSION, 0, 0, 0, 0, 0);
		__atomic_fetch_add(&xen_checks, 1, __ATOMIC_RELAXED);
		if (result == xen_page_result[step->expect])
			continue;
		SIM_REPORT(sim, WORLD_FINDING_XENSHIM_PAGE,
			   "sequence %s step %u (%s, returned %d): the next hypercall reached %s "
			   "instead of the %s page",
			   seq->name, i + 1, step->what, ret, xen_result_name(result),
			   xen_page_name[step->expect]);
		clean = false;
		break;
	}
	/* Back to the native page before the slot goes (nothing in flight). */
	if (xenshim_lcall_registered(lcall))
		(void)xenshim_unregister(lcall);
	xenshim_lcall_destroy(lcall);
	return clean;
}

static void xen_lcall_thread(void *arg)
{
	struct world *w = arg;
	struct sim *sim = world_sim(w);
	struct xenshim_page *pages[XEN_PAGE_COUNT] = { NULL };
	int ret = 0;

	for (uint32_t i = 0; i < XEN_PAGE_COUNT && ret == 0; i++)
		ret = xenshim_page_create(&pages[i], xen_page_entry, (void *)&xen_page_result[i]);
	if (ret != 0)
		SIM_REPORT(sim, WORLD_FINDING_EVENT, "xen-lcall: page creation failed: %d", ret);
	for (uint32_t s = 0; ret == 0 && s < sizeof(xen_sequences) / sizeof(xen_sequences[0]);
	     s++)
		(void)xen_sequence_run(sim, &xen_sequences[s], pages);
	for (uint32_t i = 0; i < XEN_PAGE_COUNT; i++)
		xenshim_page_put(pages[i]);
}

int world_xen_spawn(struct world *world)
{
	if (kshim_spawn_host(world_kshim(world), "xen-lcall", false, xen_lcall_thread, world) ==
	    SIM_THREAD_NONE)
		return -EAGAIN;
	return 0;
}

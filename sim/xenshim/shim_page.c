// SPDX-License-Identifier: MIT
/*
 * The shim's hypercall page: stubs whose entry forwards the five Xen
 * argument registers to the kernel-style dispatcher, xen_shim_hypercall().
 */
#include <errno.h>

#include "xen_shim.h"
#include "xenshim_private.h"

static long shim_entry(void *ctx, const struct xenshim_regs *regs)
{
	unsigned long args[XEN_SHIM_HCALL_ARG_COUNT];
	unsigned int i;

	for (i = 0; i < XEN_SHIM_HCALL_ARG_COUNT; i++)
		args[i] = regs->args[i];
	return xen_shim_hypercall(ctx, regs->nr, args);
}

int xenshim_page_create_shim(struct xenshim_page **out, struct xen_shim *shim)
{
	if (shim == NULL)
		return -EINVAL;
	return xenshim_page_create(out, shim_entry, shim);
}

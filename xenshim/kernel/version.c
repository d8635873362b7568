// SPDX-License-Identifier: MIT
/*
 * xen-shim: __HYPERVISOR_xen_version.
 *
 * The read-only sub-ops 0..9 answer like Xen (copy-out faults are -EFAULT)
 * with fixed, deterministic strings. XENVER_get_features keeps the RFC
 * shim's rules: a NULL argument or a submap index other than 0 is -EINVAL,
 * and submap 0 offers the pseudo-dom0's single feature,
 * auto_translated_physmap. Other sub-ops are -ENOSYS.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "xen_shim_priv.h"

#define XEN_SHIM_EXTRAVERSION ".0-xenshim"
#define XEN_SHIM_CAPABILITIES "xen-3.0-x86_64 hvm-3.0-x86_64"
#define XEN_SHIM_CHANGESET "apfsim xen-shim (simulated)"

static const char zeros[XEN_SHIM_COMMANDLINE_LEN];

/* A NUL-padded string into a fixed-size guest buffer, all or nothing. */
static long copy_string_out(struct xen_shim_caller *caller, unsigned long arg, const char *text,
			    unsigned long buf_len)
{
	unsigned long len = strlen(text);

	if (WARN_ON_ONCE(buf_len > sizeof(zeros) || len >= buf_len))
		return -EINVAL;
	if (xen_shim_copy_to_guest(caller->dom, arg, zeros, buf_len))
		return -EFAULT;
	return xen_shim_copy_to_guest(caller->dom, arg, text, len);
}

static long get_features(struct xen_shim_caller *caller, unsigned long arg)
{
	struct proto_xen_feature_info fi;

	/* The RFC shim's rule (Xen itself would fault: -EFAULT). */
	if (!arg)
		return -EINVAL;
	if (xen_shim_copy_from_guest(caller->dom, &fi, arg, sizeof(fi)))
		return -EFAULT;
	if (fi.submap_idx != 0)
		return -EINVAL;
	/* A limited set for a pseudo dom0 (no XENFEAT_dom0, as in the RFC). */
	fi.submap = 1U << PROTO_XENFEAT_auto_translated_physmap;
	return xen_shim_copy_to_guest(caller->dom, arg, &fi, sizeof(fi));
}

/**
 * xen_shim_version_op() - __HYPERVISOR_xen_version(cmd, arg).
 * @caller: the calling domain.
 * @cmd: XENVER_* (an int in Xen's prototype: the upper 32 bits are ignored).
 * @arg: guest handle of the sub-op's buffer.
 *
 * Return: XENVER_version: (major << 16) | minor; XENVER_pagesize: 4096;
 * others 0; -EFAULT (bad handle), -EINVAL (get_features rules), -ENOSYS.
 */
long xen_shim_version_op(struct xen_shim_caller *caller, unsigned long cmd, unsigned long arg)
{
	struct xen_shim_compile_info info;
	struct xen_shim_platform_parameters params;
	u8 handle[XEN_SHIM_DOMAIN_HANDLE_LEN];

	switch ((int)cmd) {
	case PROTO_XENVER_version:
		return caller->shim->version;
	case PROTO_XENVER_extraversion:
		return copy_string_out(caller, arg, XEN_SHIM_EXTRAVERSION,
				       XEN_SHIM_EXTRAVERSION_LEN);
	case PROTO_XENVER_compile_info:
		memset(&info, 0, sizeof(info));
		memcpy(info.compiler, "apfsim", sizeof("apfsim"));
		memcpy(info.compile_by, "xenshim", sizeof("xenshim"));
		memcpy(info.compile_domain, "simulated", sizeof("simulated"));
		return xen_shim_copy_to_guest(caller->dom, arg, &info, sizeof(info));
	case PROTO_XENVER_capabilities:
		return copy_string_out(caller, arg, XEN_SHIM_CAPABILITIES,
				       XEN_SHIM_CAPABILITIES_LEN);
	case PROTO_XENVER_changeset:
		return copy_string_out(caller, arg, XEN_SHIM_CHANGESET, XEN_SHIM_CHANGESET_LEN);
	case PROTO_XENVER_platform_parameters:
		params.virt_start = XEN_SHIM_HYPERVISOR_VIRT_START;
		return xen_shim_copy_to_guest(caller->dom, arg, &params, sizeof(params));
	case PROTO_XENVER_get_features:
		return get_features(caller, arg);
	case PROTO_XENVER_pagesize:
		return XEN_SHIM_PAGE_SIZE;
	case PROTO_XENVER_guest_handle:
		/* The toolstack's UUID; here: zero but the domid, big-endian. */
		memset(handle, 0, sizeof(handle));
		handle[XEN_SHIM_DOMAIN_HANDLE_LEN - 2] = caller->dom->domid >> 8;
		handle[XEN_SHIM_DOMAIN_HANDLE_LEN - 1] = caller->dom->domid & 0xff;
		return xen_shim_copy_to_guest(caller->dom, arg, handle, sizeof(handle));
	case PROTO_XENVER_commandline:
		return copy_string_out(caller, arg, "", XEN_SHIM_COMMANDLINE_LEN);
	default:
		return -ENOSYS;
	}
}

/* SPDX-License-Identifier: MIT */
/*
 * <linux/string.h> - CUSTOMISED. The kernel's string helpers: memcpy,
 * memmove, memset, memcmp, strlen, strnlen, strcmp, strncmp, strchr come from
 * the C library here (the kernel provides the same names with the same
 * semantics); strscpy is re-implemented with the kernel's return convention.
 * Upstream: include/linux/string.h. Kernel code includes this header, never
 * <string.h>.
 */
#ifndef _KSHIM_LINUX_STRING_H
#define _KSHIM_LINUX_STRING_H

#include <string.h>

#include <linux/errno.h>
#include <linux/types.h>

/**
 * strscpy() - copy a C string into a sized buffer, always NUL-terminated.
 * @dest: where to copy.
 * @src: the string.
 * @count: size of @dest in bytes.
 *
 * Return: the number of characters copied (without the NUL), or -E2BIG if
 * @src was truncated (or @count is 0).
 */
static inline ssize_t strscpy(char *dest, const char *src, size_t count)
{
	size_t len;

	if (count == 0)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dest, src, count - 1);
		dest[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return (ssize_t)len;
}

#endif /* _KSHIM_LINUX_STRING_H */

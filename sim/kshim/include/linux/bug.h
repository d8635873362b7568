/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/asm-generic/bug.h. WARN*() record a "warn" finding
 * with file and line (the run fails at its end) and continue, returning the
 * condition as the kernel does; BUG() is a fatal "bug" finding.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/kshim.h>

#define WARN(condition, format, ...)                                           \
	({                                                                     \
		int __ret_warn_on = !!(condition);                             \
		if (unlikely(__ret_warn_on))                                   \
			kshim_warn(__FILE__, __LINE__, format, ##__VA_ARGS__); \
		unlikely(__ret_warn_on);                                       \
	})

#define WARN_ON(condition) WARN(condition, "WARN_ON(%s)", #condition)

/* Once per call site and execution (the kernel: per boot). */
#define WARN_ONCE(condition, format, ...)                                      \
	({                                                                     \
		static unsigned long __warned_execution;                       \
		int __ret_warn_once = !!(condition);                           \
		if (unlikely(__ret_warn_once) &&                               \
		    __warned_execution != kshim_execution_id()) {              \
			__warned_execution = kshim_execution_id();             \
			kshim_warn(__FILE__, __LINE__, format, ##__VA_ARGS__); \
		}                                                              \
		unlikely(__ret_warn_once);                                     \
	})

#define WARN_ON_ONCE(condition) WARN_ONCE(condition, "WARN_ON_ONCE(%s)", #condition)

#define BUG() kshim_bug(__FILE__, __LINE__)
#define BUG_ON(condition)                    \
	do {                                 \
		if (unlikely(condition))     \
			BUG();               \
	} while (0)

#endif /* _LINUX_BUG_H */

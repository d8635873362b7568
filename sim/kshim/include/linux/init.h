/* SPDX-License-Identifier: MIT */
/*
 * CUSTOMISED: include/linux/init.h. __init and friends are no-ops (nothing
 * is freed after boot). early_param() and the initcall levels register an
 * entry in the "kshim_early_param" / "kshim_initcall" sections (the
 * kernel's .init.setup and .initcallN.init); kshim_boot() runs them: early
 * parameters of the command line first, then the initcalls level by level,
 * in link order inside a level. See docs/kshim-core.md.
 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

#define __initconst
#define __exitdata
#define __ref
#define __refdata
#define __init_or_module
#define __meminit
#define __devinit

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

/* Levels in the order they run; "early" is do_pre_smp_initcalls(). */
enum kshim_initcall_level {
	KSHIM_INITCALL_EARLY = 0,
	KSHIM_INITCALL_PURE,
	KSHIM_INITCALL_CORE,
	KSHIM_INITCALL_POSTCORE,
	KSHIM_INITCALL_ARCH,
	KSHIM_INITCALL_SUBSYS,
	KSHIM_INITCALL_FS,
	KSHIM_INITCALL_ROOTFS,
	KSHIM_INITCALL_DEVICE,
	KSHIM_INITCALL_LATE,
	KSHIM_INITCALL_LEVEL_COUNT,
};

#define KSHIM_INITCALL_MAGIC 0x6b696e69u    /* "kini" */
#define KSHIM_EARLY_PARAM_MAGIC 0x6b657070u /* "kepp" */

/* One registration; entries of all objects form an array in the section. */
struct kshim_initcall {
	u32 magic;
	u32 level;
	initcall_t fn;
	const char *name;
	const char *file; /* with line: the definition order inside an object */
	u32 line;
	u32 pad;
} __attribute__((aligned(8)));

struct kshim_early_param {
	u32 magic;
	u32 pad;
	const char *str;
	int (*setup_func)(char *arg);
	const char *name;
} __attribute__((aligned(8)));

#define __kshim_define_initcall(initcall_fn, lvl)                                     \
	static struct kshim_initcall __kshim_initcall_##initcall_fn##_##lvl           \
		__attribute__((used, section("kshim_initcall"), aligned(8))) = {      \
			.magic = KSHIM_INITCALL_MAGIC,                                \
			.level = KSHIM_INITCALL_##lvl,                                \
			.fn = (initcall_fn),                                          \
			.name = #initcall_fn,                                         \
			.file = __FILE__,                                             \
			.line = __LINE__,                                             \
			.pad = 0,                                                     \
		}

#define early_initcall(fn) __kshim_define_initcall(fn, EARLY)
#define pure_initcall(fn) __kshim_define_initcall(fn, PURE)
#define core_initcall(fn) __kshim_define_initcall(fn, CORE)
#define postcore_initcall(fn) __kshim_define_initcall(fn, POSTCORE)
#define arch_initcall(fn) __kshim_define_initcall(fn, ARCH)
#define subsys_initcall(fn) __kshim_define_initcall(fn, SUBSYS)
#define fs_initcall(fn) __kshim_define_initcall(fn, FS)
#define rootfs_initcall(fn) __kshim_define_initcall(fn, ROOTFS)
#define device_initcall(fn) __kshim_define_initcall(fn, DEVICE)
#define late_initcall(fn) __kshim_define_initcall(fn, LATE)

/* Built-in code: module_init is a device initcall, module_exit never runs. */
#define module_init(fn) device_initcall(fn)
#define module_exit(exit_fn) \
	static exitcall_t __kshim_exitcall_##exit_fn __attribute__((used)) = (exit_fn)

/*
 * early_param(str, fn): fn(value) runs during kshim_boot() for every
 * "str" or "str=value" word of the command line (value NULL without '=');
 * '-' and '_' in the name match each other; a non-zero return is logged as
 * "Malformed early option".
 */
#define early_param(str_value, setup_fn)                                              \
	static struct kshim_early_param __kshim_early_param_##setup_fn                 \
		__attribute__((used, section("kshim_early_param"), aligned(8))) = {    \
			.magic = KSHIM_EARLY_PARAM_MAGIC,                              \
			.pad = 0,                                                      \
			.str = (str_value),                                            \
			.setup_func = (setup_fn),                                      \
			.name = #setup_fn,                                             \
		}

#endif /* _LINUX_INIT_H */

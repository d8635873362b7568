/* SPDX-License-Identifier: MIT */
/*
 * The built-in scenarios: scenarios/<name>.json embedded at build time by
 * apfsim/scenario_builtin.cmake into a generated C source (private to
 * scenario.c; use the scenario_builtin*() functions of scenario.h).
 */
#ifndef APFSIM_SCENARIO_BUILTIN_H
#define APFSIM_SCENARIO_BUILTIN_H

#include <stddef.h>

struct scenario_builtin_entry {
	const char *name;   /* the file name without ".json" */
	const char *text;   /* the file's bytes, NUL-terminated */
	size_t length;      /* bytes, without the NUL */
};

/* "default" first, then the others in name order. */
extern const struct scenario_builtin_entry scenario_builtin_table[];
extern const size_t scenario_builtin_count;
/* The names, NULL-terminated (same order). */
extern const char *const scenario_builtin_name_list[];

#endif /* APFSIM_SCENARIO_BUILTIN_H */

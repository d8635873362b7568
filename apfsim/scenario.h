/* SPDX-License-Identifier: MIT */
/*
 * Scenarios: a world configuration plus campaign defaults, read from a JSON
 * file (jansson) or from the built-in scenarios embedded at build time from
 * scenarios/<name>.json. The format is documented in docs/scenario-format.md.
 *
 * Every function reports invalid content as -EINVAL with a message of the
 * form "<origin>: <field path>: <what is wrong>" (for example
 * "my.json: events.gap_ticks: min 500 is above max 100"), or
 * "<origin>: line L column C: <jansson's text>" for JSON syntax errors.
 */
#ifndef APFSIM_SCENARIO_H
#define APFSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/world.h"

#define SCENARIO_NAME_BYTES 64
#define SCENARIO_DESCRIPTION_BYTES 256
#define SCENARIO_STRATEGY_BYTES 16
/* Largest scenario file read (bytes). */
#define SCENARIO_FILE_BYTES_MAX (1024u * 1024u)
/* Campaign limits. */
#define SCENARIO_EXECUTIONS_MAX 1000000000ull
#define SCENARIO_PCT_DEPTH_MAX 64u

struct scenario {
	char name[SCENARIO_NAME_BYTES];
	char description[SCENARIO_DESCRIPTION_BYTES];
	struct world_config world;      /* world.seed is set per execution by the campaign */
	/* campaign defaults (CLI flags override) */
	uint64_t executions;            /* default number of executions */
	char strategy[SCENARIO_STRATEGY_BYTES]; /* "pct", "random", "dfs", "rr" */
	uint64_t seed;                  /* first seed */
	bool swarm;                     /* apply world_swarm() per seed */
	uint32_t pct_depth;             /* 0: strategy default */
};

/**
 * scenario_parse() - parse and validate a scenario.
 * @text: JSON text (need not be NUL-terminated), @length bytes.
 * @origin: where it came from, for messages (file path or "builtin:NAME");
 *          the name defaults to its base name without ".json".
 * @out: the scenario (fully written on success; unspecified on failure).
 * Return: 0, or -EINVAL with a message in @error.
 */
int scenario_parse(const char *text, size_t length, const char *origin, struct scenario *out,
		   char *error, size_t error_size);

/**
 * scenario_load_file() - read (at most SCENARIO_FILE_BYTES_MAX bytes) and
 * parse the file at @path.
 * Return: 0, -EINVAL (content), -ENOENT, -EACCES, -EISDIR, -EFBIG, or
 * another negative errno of open()/read(), always with a message.
 */
int scenario_load_file(const char *path, struct scenario *out, char *error, size_t error_size);

/** scenario_builtin_names() - the built-in scenarios, NULL-terminated, "default" first. */
const char *const *scenario_builtin_names(void);

/** scenario_builtin_text() - the embedded JSON of builtin @name (NUL-terminated), or NULL. */
const char *scenario_builtin_text(const char *name);

/**
 * scenario_builtin() - parse builtin @name.
 * Return: 0, -ENOENT (no such builtin; the message lists them), -EINVAL.
 */
int scenario_builtin(const char *name, struct scenario *out, char *error, size_t error_size);

/**
 * scenario_resolve() - a builtin name, else a file path.
 * Return: as scenario_builtin() / scenario_load_file(); -ENOENT for a name
 * that is neither (the message lists the builtins).
 */
int scenario_resolve(const char *name_or_path, struct scenario *out, char *error,
		     size_t error_size);

/**
 * scenario_to_json() - canonical JSON of @s (every field, fixed order) that
 * scenario_parse() reads back to an equal scenario; world.seed and
 * world.mode are not part of it.
 * @text: malloc'd NUL-terminated text (free() it).
 * Return: 0, -EINVAL (@s does not validate), -ENOMEM.
 */
int scenario_to_json(const struct scenario *s, char **text);

#endif /* APFSIM_SCENARIO_H */

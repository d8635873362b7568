/* SPDX-License-Identifier: MIT */
/*
 * The apfsim command-line tool: shared declarations of its commands.
 * docs/usage.md documents every command, flag, file and exit code.
 */
#ifndef APFSIM_CLI_H
#define APFSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "sim/schedule.h"
#include "sim/sim.h"
#include "sim/world.h"

/* Exit codes (docs/usage.md). */
#define CLI_EXIT_CLEAN 0
#define CLI_EXIT_FINDING 1
#define CLI_EXIT_USAGE 2
#define CLI_EXIT_INTERNAL 3

#define CLI_DEFAULT_FINDINGS_DIR "apfsim-findings"
/* Trace ring of replays, shrinks and exports: big enough for a whole trace. */
#define CLI_REPLAY_TRACE_RING (1u << 20)
#define CLI_CLASS_BYTES 32u
#define CLI_PATH_BYTES 512u
#define CLI_BANNER_BYTES 160u

/* Messages: "apfsim: ..." on stderr. */
__attribute__((format(printf, 1, 2))) void cli_error(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void cli_info(const char *fmt, ...);

/* Strict number parsing (decimal or 0x hex, whole string). Return 0 or -EINVAL. */
int cli_parse_u64(const char *text, uint64_t *out);
/* A usage error naming @flag: prints and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Seconds since an arbitrary point (CLOCK_MONOTONIC). */
double cli_now(void);

/* ---- One execution (execution.c) ---- */

struct cli_exec_params {
	const struct scenario *scenario; /* unswarmed */
	uint64_t seed;                   /* execution seed (world seed, swarm seed, strategy seed) */
	bool swarm;                      /* world_swarm(config, seed) */
	const char *strategy;            /* "pct", "random", "dfs", "rr", "replay" */
	uint32_t pct_depth;              /* 0: default */
	uint32_t pct_thread_count;       /* 0: strategy default */
	uint64_t pct_step_count;         /* 0: strategy default */
	const struct sim_schedule *replay_schedule; /* strategy "replay" */
	const char *replay_continue_with;          /* NULL: strict */
	uint32_t trace_ring_size;        /* 0: the scenario's */
	struct sim_strategy *shared_strategy; /* used instead of creating one (dfs) */
};

struct cli_exec {
	struct world_config config;      /* as run (swarmed) */
	char banner[CLI_BANNER_BYTES];
	struct world *world;
	struct sim_strategy *strategy;   /* owned unless shared */
	bool strategy_owned;
};

/* The world configuration an execution runs with. */
void cli_exec_config(const struct cli_exec_params *params, struct world_config *out);
/*
 * Create the strategy and the world and run it. On return 0 the world is
 * alive for inspection (world_sim(), world_stats()); cli_exec_end() always.
 * Return: 0, -ENOSPC (dfs exhausted), or another negative errno with a
 * message in @error (-EINVAL: bad configuration).
 */
int cli_exec_run(struct cli_exec *exec, const struct cli_exec_params *params, char *error,
		 size_t error_size);
void cli_exec_end(struct cli_exec *exec);

/* Does the execution have a finding of @class_name? */
bool cli_has_class(const struct sim_result *result, const char *class_name);
/* Thread-pick decisions and switches to another thread among them. */
void cli_schedule_counts(const struct sim_schedule *schedule, uint64_t *thread_picks,
			 uint64_t *preemptions);

/* ---- Findings directories (findings.c) ---- */

struct cli_finding_meta {
	const struct scenario *scenario; /* unswarmed, as stored */
	bool swarm;
	const char *strategy;            /* strategy the finding was found with */
	const char *strategy_detail;     /* e.g. "pct d=3 n=12 k=400", or NULL */
	const char *origin;              /* "run", "shrink of DIR", ... */
	uint32_t pct_thread_count;       /* pct: the campaign's n and k (for a re-run) */
	uint64_t pct_step_count;
	/* A finding about the execution rather than in it (nondeterminism):
	 * its class and message instead of the execution's first finding. */
	const char *class_override;
	const char *message_override;
	/* The schedule to write instead of the execution's recorded one. */
	const struct sim_schedule *schedule_override;
};

/*
 * Write the finding of @exec (world ran, has findings) as DIR/<class>-seed<N>[-k]
 * atomically (mkdtemp DIR/.tmp-<pid>-XXXXXX, files, fsync, rename, fsync DIR).
 * @out_path gets the final directory. Return: 0 or -errno with a message.
 */
int cli_finding_write(const char *dir, const struct cli_exec *exec, uint64_t seed,
		      const struct cli_finding_meta *meta, char *out_path, size_t out_size,
		      char *error, size_t error_size);
/*
 * A worker process died during the execution of @seed (an assertion, a
 * signal): a "crash" finding with finding.txt, scenario.json and a replay.sh
 * that re-runs the seed with the same strategy (there is no schedule: the
 * process that had it is gone). @pct_*: the campaign's PCT parameters.
 */
#define CLI_FINDING_CRASH "crash"

/* `run --strategy stress`: SIM_MODE_STRESS, no schedule recorded. */
#define CLI_STRATEGY_STRESS "stress"

static inline bool cli_strategy_is_stress(const char *name)
{
	return name != NULL && strcmp(name, CLI_STRATEGY_STRESS) == 0;
}
int cli_crash_write(const char *dir, uint64_t seed, const struct cli_finding_meta *meta,
		    const char *message, uint32_t pct_thread_count, uint64_t pct_step_count,
		    char *out_path, size_t out_size, char *error, size_t error_size);
/* Remove DIR/.tmp-<pid>-* left by dead processes. */
void cli_findings_clean_stale(const char *dir);
/* Create DIR (and its parent) if missing. Return: 0 or -errno (message). */
int cli_mkdir_p(const char *dir, char *error, size_t error_size);

struct cli_finding_dir {
	struct scenario scenario;
	uint64_t seed;
	bool swarm;
	char class_name[CLI_CLASS_BYTES];
	char strategy[SCENARIO_STRATEGY_BYTES];
	struct sim_schedule schedule;
};
/* Read a finding directory. Return: 0, or -errno with a message (input error). */
int cli_finding_read(const char *path, struct cli_finding_dir *out, char *error,
		     size_t error_size);
void cli_finding_dir_fini(struct cli_finding_dir *finding);
/*
 * calloc + cli_finding_read(). Return: the finding, or NULL with a message in
 * @error (*@ret: -ENOMEM, or cli_finding_read()'s input error).
 */
struct cli_finding_dir *cli_finding_load(const char *path, int *ret, char *error,
					 size_t error_size);
/* cli_finding_dir_fini() + free (NULL is fine). */
void cli_finding_free(struct cli_finding_dir *finding);
/*
 * Strict replay of @finding (its scenario, seed, swarm and schedule) with a
 * trace ring of @trace_ring_size events (0: the default). As cli_exec_run().
 */
int cli_exec_replay(struct cli_exec *exec, const struct cli_finding_dir *finding,
		    uint32_t trace_ring_size, char *error, size_t error_size);

/* Read @text as an apfs1 string, or as a schedule file (file form) if it names one. */
int cli_schedule_parse(const char *text, struct sim_schedule *out, char *error,
		       size_t error_size);

/* ---- Commands ---- */
int cli_cmd_run(int argc, char **argv);
int cli_cmd_replay(int argc, char **argv);
int cli_cmd_shrink(int argc, char **argv);
int cli_cmd_export(int argc, char **argv);

#endif /* APFSIM_CLI_H */

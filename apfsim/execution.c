/* SPDX-License-Identifier: MIT */
/*
 * One execution for the CLI: the scenario's world configuration for a seed
 * (swarm-narrowed when asked), a strategy, world_create/world_run. Shared by
 * run, replay, shrink and export.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "sim/strategy.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("apfsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "apfsim%s%s: ", command ? " " : "", command ? command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'apfsim%s%s --help')\n", command ? " " : "", command ? command : "");
	return CLI_EXIT_USAGE;
}

int cli_parse_u64(const char *text, uint64_t *out)
{
	char *end = NULL;
	unsigned long long value;
	int base = 10;

	if (text == NULL || *text == '\0' || *text == '-' || *text == '+' || *text == ' ')
		return -EINVAL;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		base = 16;
		text += 2;
		if (*text == '\0' || *text == '-' || *text == '+' || *text == ' ')
			return -EINVAL;
	}
	errno = 0;
	value = strtoull(text, &end, base);
	if (errno != 0 || end == text || *end != '\0')
		return -EINVAL;
	*out = value;
	return 0;
}

double cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_exec_config(const struct cli_exec_params *params, struct world_config *out)
{
	*out = params->scenario->world;
	out->seed = params->seed;
	out->mode = cli_strategy_is_stress(params->strategy) ? SIM_MODE_STRESS
							    : SIM_MODE_DETERMINISTIC;
	if (params->swarm)
		world_swarm(out, params->seed);
	if (params->trace_ring_size != 0)
		out->trace_ring_size = params->trace_ring_size;
}

int cli_exec_run(struct cli_exec *exec, const struct cli_exec_params *params, char *error,
		 size_t error_size)
{
	struct sim_strategy_config strategy_config;
	int ret;

	memset(exec, 0, sizeof(*exec));
	cli_exec_config(params, &exec->config);
	world_swarm_banner(&exec->config, exec->banner, sizeof(exec->banner));
	if (params->shared_strategy != NULL) {
		exec->strategy = params->shared_strategy;
	} else {
		memset(&strategy_config, 0, sizeof(strategy_config));
		strategy_config.seed = params->seed;
		strategy_config.pct_depth = params->pct_depth;
		strategy_config.pct_thread_count = params->pct_thread_count;
		strategy_config.pct_step_count = params->pct_step_count;
		strategy_config.replay_schedule = params->replay_schedule;
		strategy_config.replay_continue_with = params->replay_continue_with;
		world_strategy_config(&exec->config, &strategy_config);
		/* Stress mode asks no strategy; the world still wants one. */
		ret = sim_strategy_create(cli_strategy_is_stress(params->strategy) ? "random"
										   : params->strategy,
					  &strategy_config, &exec->strategy);
		if (ret != 0) {
			snprintf(error, error_size, "cannot create strategy \"%s\": %s",
				 params->strategy, strerror(-ret));
			exec->strategy = NULL;
			return ret;
		}
		exec->strategy_owned = true;
	}
	ret = world_create(&exec->world, &exec->config, exec->strategy, error, error_size);
	if (ret != 0) {
		exec->world = NULL;
		if (error_size > 0 && error[0] == '\0')
			snprintf(error, error_size, "world_create: %s", strerror(-ret));
		return ret;
	}
	ret = world_run(exec->world);
	if (ret != 0) {
		if (ret == -ENOSPC)
			snprintf(error, error_size, "the strategy has nothing left to explore");
		else
			snprintf(error, error_size, "world_run (seed 0x%016llx): %s",
				 (unsigned long long)params->seed, strerror(-ret));
		return ret;
	}
	return 0;
}

void cli_exec_end(struct cli_exec *exec)
{
	if (exec->world != NULL)
		world_destroy(exec->world);
	exec->world = NULL;
	if (exec->strategy_owned && exec->strategy != NULL)
		sim_strategy_destroy(exec->strategy);
	exec->strategy = NULL;
	exec->strategy_owned = false;
}

bool cli_has_class(const struct sim_result *result, const char *class_name)
{
	uint32_t kept = result->finding_count < SIM_FINDING_COUNT_MAX ? result->finding_count
								      : SIM_FINDING_COUNT_MAX;

	for (uint32_t i = 0; i < kept; i++)
		if (result->findings[i].class_name != NULL &&
		    strcmp(result->findings[i].class_name, class_name) == 0)
			return true;
	return false;
}

void cli_schedule_counts(const struct sim_schedule *schedule, uint64_t *thread_picks,
			 uint64_t *preemptions)
{
	uint64_t picks = 0, switches = 0;
	uint32_t last = SIM_THREAD_NONE;

	for (uint64_t i = 0; i < schedule->count; i++) {
		const struct sim_decision *d = &schedule->decisions[i];

		if (d->kind != SIM_DECISION_THREAD)
			continue;
		if (picks > 0 && d->value != last)
			switches++;
		last = d->value;
		picks++;
	}
	*thread_picks = picks;
	*preemptions = switches;
}

int cli_exec_replay(struct cli_exec *exec, const struct cli_finding_dir *finding,
		    uint32_t trace_ring_size, char *error, size_t error_size)
{
	struct cli_exec_params params = {
		.scenario = &finding->scenario,
		.seed = finding->seed,
		.swarm = finding->swarm,
		.strategy = "replay",
		.replay_schedule = &finding->schedule,
		.trace_ring_size = trace_ring_size,
	};

	return cli_exec_run(exec, &params, error, error_size);
}

/* SPDX-License-Identifier: MIT */
/*
 * apfsim replay and apfsim export: re-run a finding with the replay strategy
 * (strict: every decision as recorded, a divergence is a finding of its own)
 * and a trace ring big enough for the whole execution.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim/trace.h"

static const char replay_usage[] =
	"usage: apfsim replay DIR [options]\n"
	"       apfsim replay --scenario NAME|FILE --seed N --schedule apfs1-...|FILE [options]\n"
	"Re-run a finding deterministically from its seed and recorded schedule (strict replay)\n"
	"and check that its finding class appears again.\n"
	"\n"
	"  -s, --scenario NAME|FILE  the scenario (a finding's scenario.json)\n"
	"      --seed N              the execution seed\n"
	"      --schedule S          an apfs1-... string or a schedule file\n"
	"      --class CLASS         the finding class expected (default: DIR's; without DIR: any)\n"
	"      --swarm, --no-swarm   override the scenario's swarm flag\n"
	"      --trace FILE          write the full text trace (- for stdout)\n"
	"      --perfetto FILE       write the Perfetto JSON trace (open in ui.perfetto.dev)\n"
	"  -q, --quiet               print only the verdict\n"
	"  -h, --help                this text\n"
	"\n"
	"Exit status: 1 reproduced, 0 not reproduced, 2 usage or input error, 3 internal error.\n";

static const char export_usage[] =
	"usage: apfsim export DIR [-o FILE] [--text]\n"
	"Replay a finding and export its whole trace: Perfetto JSON (default; open it in\n"
	"https://ui.perfetto.dev) or the text form with --text.\n"
	"\n"
	"  -o, --output FILE   where to write (default: stdout)\n"
	"      --text          the text trace instead of Perfetto JSON\n"
	"  -h, --help          this text\n"
	"\n"
	"Exit status: 0 written, 2 usage or input error, 3 internal error.\n";

static int write_export(const struct cli_exec *exec, const char *path, bool text)
{
	FILE *f = stdout;
	int ret;

	if (strcmp(path, "-") != 0) {
		f = fopen(path, "w");
		if (f == NULL) {
			cli_error("cannot create %s: %s", path, strerror(errno));
			return CLI_EXIT_USAGE;
		}
	}
	ret = text ? sim_trace_export_text(world_sim(exec->world), f)
		   : sim_trace_export_perfetto(world_sim(exec->world), f);
	if (fflush(f) != 0 && ret == 0)
		ret = -errno;
	if (f != stdout && fclose(f) != 0 && ret == 0)
		ret = -errno;
	if (ret != 0) {
		cli_error("writing %s: %s", path, strerror(-ret));
		return CLI_EXIT_INTERNAL;
	}
	return 0;
}

static void print_findings(const struct sim_result *result)
{
	uint32_t kept = result->finding_count < SIM_FINDING_COUNT_MAX ? result->finding_count
								      : SIM_FINDING_COUNT_MAX;

	for (uint32_t i = 0; i < kept; i++) {
		const struct sim_finding *f = &result->findings[i];

		printf("  finding %u: %s at %s:%d step %" PRIu64 " tick %" PRIu64 ": %s\n", i + 1,
		       f->class_name, f->file ? f->file : "?", f->line, f->step, f->tick,
		       f->message);
	}
}

/*
 * A nondeterminism finding reproduces when a second replay of the same
 * schedule differs from the first (@first): events, hash, steps, findings.
 */
static bool replay_again_differs(const struct cli_finding_dir *finding,
				 const struct sim_result *first)
{
	struct cli_exec again;
	char error[512] = "";
	bool differs = true;

	if (cli_exec_replay(&again, finding, CLI_REPLAY_TRACE_RING, error, sizeof(error)) == 0) {
		const struct sim_result *second = sim_result(world_sim(again.world));

		differs = second->trace_hash != first->trace_hash ||
			  second->event_count != first->event_count ||
			  second->step_count != first->step_count ||
			  second->finding_count != first->finding_count;
		printf("  second replay: %" PRIu64 " events (hash %016" PRIx64 ") vs %" PRIu64
		       " (hash %016" PRIx64 ")\n",
		       second->event_count, second->trace_hash, first->event_count,
		       first->trace_hash);
	} else {
		printf("  second replay could not run: %s\n", error);
	}
	cli_exec_end(&again);
	return differs;
}

int cli_cmd_replay(int argc, char **argv)
{
	static const struct option options[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'e' },
		{ "schedule", required_argument, NULL, 'S' },
		{ "class", required_argument, NULL, 'c' },
		{ "swarm", no_argument, NULL, 'w' },
		{ "no-swarm", no_argument, NULL, 'W' },
		{ "trace", required_argument, NULL, 'T' },
		{ "perfetto", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_finding_dir *finding;
	const char *scenario_arg = NULL, *schedule_arg = NULL, *class_arg = NULL;
	const char *trace_path = NULL, *perfetto_path = NULL;
	bool have_seed = false, quiet = false;
	int swarm_flag = -1;
	uint64_t seed = 0;
	char error[1024] = "";
	struct cli_exec exec;
	int opt, ret, status = CLI_EXIT_CLEAN;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:qh", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			scenario_arg = optarg;
			break;
		case 'e':
			if (sim_seed_parse(optarg, &seed) != 0)
				return cli_usage_error("replay", "--seed: \"%s\" is not a seed", optarg);
			have_seed = true;
			break;
		case 'S':
			schedule_arg = optarg;
			break;
		case 'c':
			class_arg = optarg;
			if (optarg[0] == '\0' || strlen(optarg) >= CLI_CLASS_BYTES)
				return cli_usage_error("replay", "--class: bad class name");
			break;
		case 'w':
			swarm_flag = 1;
			break;
		case 'W':
			swarm_flag = 0;
			break;
		case 'T':
			trace_path = optarg;
			break;
		case 'P':
			perfetto_path = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(replay_usage, stdout);
			return CLI_EXIT_CLEAN;
		case ':':
			return cli_usage_error("replay", "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("replay", "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("replay", "unexpected argument \"%s\"", argv[optind + 1]);
	if (argc - optind == 1 && (scenario_arg || schedule_arg || have_seed))
		return cli_usage_error("replay", "give a finding DIR or --scenario/--seed/--schedule, not both");
	if (argc - optind == 0 && (!scenario_arg || !schedule_arg || !have_seed))
		return cli_usage_error("replay", "give a finding DIR, or all of --scenario, --seed and --schedule");
	if (trace_path && perfetto_path && strcmp(trace_path, "-") == 0 &&
	    strcmp(perfetto_path, "-") == 0)
		return cli_usage_error("replay", "--trace and --perfetto cannot both go to stdout");

	finding = calloc(1, sizeof(*finding));
	if (finding == NULL)
		return CLI_EXIT_INTERNAL;
	if (argc - optind == 1) {
		ret = cli_finding_read(argv[optind], finding, error, sizeof(error));
		if (ret != 0) {
			cli_error("%s", error);
			cli_finding_dir_fini(finding);
			free(finding);
			return CLI_EXIT_USAGE;
		}
		if (class_arg == NULL)
			class_arg = finding->class_name;
	} else {
		ret = scenario_resolve(scenario_arg, &finding->scenario, error, sizeof(error));
		if (ret == 0)
			ret = cli_schedule_parse(schedule_arg, &finding->schedule, error,
						 sizeof(error));
		if (ret != 0) {
			cli_error("%s", error);
			cli_finding_dir_fini(finding);
			free(finding);
			return CLI_EXIT_USAGE;
		}
		finding->seed = seed;
		finding->swarm = finding->scenario.swarm;
	}
	if (swarm_flag >= 0)
		finding->swarm = swarm_flag == 1;
	if (world_config_check(&finding->scenario.world, error, sizeof(error)) != 0) {
		cli_error("scenario: %s", error);
		cli_finding_dir_fini(finding);
		free(finding);
		return CLI_EXIT_USAGE;
	}

	if (!quiet)
		printf("replay: scenario %s, seed %" PRIu64 ", swarm %s, %" PRIu64
		       " decisions (strict)\n",
		       finding->scenario.name, finding->seed, finding->swarm ? "on" : "off",
		       finding->schedule.count);
	ret = cli_exec_replay(&exec, finding, CLI_REPLAY_TRACE_RING, error, sizeof(error));
	if (ret != 0) {
		cli_error("%s", error);
		status = ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_INTERNAL;
		goto out;
	}
	{
		const struct sim_result *result = sim_result(world_sim(exec.world));
		bool nondet = class_arg != NULL && strcmp(class_arg, SIM_FINDING_NONDETERMINISM) == 0;
		bool reproduced = class_arg ? cli_has_class(result, class_arg)
					    : result->finding_count > 0;
		struct sim_result first = *result;

		if (!quiet) {
			printf("  swarm %s\n", exec.banner);
			printf("  %" PRIu64 " steps, %" PRIu64 " decisions, %u findings, %" PRIu64
			       " trace events (%" PRIu64 " dropped)\n",
			       result->step_count, result->decision_count, result->finding_count,
			       result->event_count, sim_trace_dropped(world_sim(exec.world)));
			print_findings(result);
		}
		status = CLI_EXIT_CLEAN;
		if (trace_path != NULL) {
			ret = write_export(&exec, trace_path, true);
			if (ret != 0)
				status = ret;
		}
		if (perfetto_path != NULL) {
			ret = write_export(&exec, perfetto_path, false);
			if (ret != 0)
				status = ret;
		}
		/* One world per process: the second replay comes after the first. */
		cli_exec_end(&exec);
		if (nondet)
			reproduced = replay_again_differs(finding, &first);
		if (reproduced)
			printf("reproduced: %s\n", class_arg ? class_arg : first.findings[0].class_name);
		else if (nondet)
			printf("NOT reproduced: two replays of the schedule agree\n");
		else if (class_arg)
			printf("NOT reproduced: no %s finding\n", class_arg);
		else
			printf("NOT reproduced: no finding\n");
		if (status == CLI_EXIT_CLEAN)
			status = reproduced ? CLI_EXIT_FINDING : CLI_EXIT_CLEAN;
	}
out:
	cli_exec_end(&exec);
	cli_finding_free(finding);
	return status;
}

int cli_cmd_export(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "text", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_finding_dir *finding;
	const char *output = "-";
	bool text = false;
	char error[1024] = "";
	struct cli_exec exec;
	int opt, ret, status;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 't':
			text = true;
			break;
		case 'h':
			fputs(export_usage, stdout);
			return CLI_EXIT_CLEAN;
		case ':':
			return cli_usage_error("export", "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("export", "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("export", argc - optind == 0 ? "give a finding DIR"
								   : "give exactly one finding DIR");
	finding = cli_finding_load(argv[optind], &ret, error, sizeof(error));
	if (finding == NULL) {
		cli_error("%s", error);
		return ret == -ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
	}
	ret = cli_exec_replay(&exec, finding, CLI_REPLAY_TRACE_RING, error, sizeof(error));
	if (ret != 0) {
		cli_error("%s", error);
		status = ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_INTERNAL;
	} else {
		status = write_export(&exec, output, text);
		if (status == 0 && strcmp(output, "-") != 0)
			fprintf(stderr, "apfsim: wrote %s (%s, %" PRIu64 " events)\n", output,
				text ? "text" : "Perfetto JSON",
				sim_result(world_sim(exec.world))->event_count);
	}
	cli_exec_end(&exec);
	cli_finding_free(finding);
	return status;
}

// SPDX-License-Identifier: MIT
/*
 * apfsim fuzz-import: turn an input of the token_order fuzz target (a crash
 * file) into a finding directory. The input is decoded and run exactly as
 * the fuzz target runs it (fuzz/token_order.h: the header is the world
 * configuration, the rest drives the cursor strategy); the execution's
 * recorded schedule, the decoded configuration (draws = schedule) and its
 * seed are written with the findings writer, then replayed strictly once to
 * check that the directory reproduces. `apfsim replay|shrink|export DIR`
 * take the result. docs/usage.md, docs/fuzzing.md.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "token_order.h"

/* Inputs above this are refused (libFuzzer's default -max_len is 4096). */
#define FUZZ_IMPORT_INPUT_MAX (1u << 20)
/* --steps-max: the scenario format's steps_max bound. */
#define FUZZ_IMPORT_STEPS_MAX 1000000000000ull

static const char fuzz_import_usage[] =
	"usage: apfsim fuzz-import INPUT [-o DIR] [--steps-max N] [-q]\n"
	"Run an input of the token_order fuzz target (e.g. a libFuzzer crash file) as the\n"
	"target does, and write its finding as a finding directory (finding.txt, schedule.txt,\n"
	"scenario.json with \"draws\": \"schedule\", traces, replay.sh) that apfsim replay,\n"
	"shrink and export take. The new directory is replayed once to check it.\n"
	"\n"
	"  -o, --output DIR   findings directory (default: apfsim-findings)\n"
	"      --steps-max N  replace the decoded step bound (200000) by N, 1..10^12: the\n"
	"                     execution's step-bound finding is then what gets written\n"
	"  -q, --quiet        print only the result line\n"
	"  -h, --help         this text\n"
	"\n"
	"Exit status: 1 a finding was written (and replays), 0 the input gives no finding,\n"
	"2 usage or input error, 3 internal or operating error (including a written finding\n"
	"that does not replay).\n";

static int read_input(const char *path, uint8_t **out, size_t *size_out)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t size;

	if (f == NULL) {
		cli_error("%s: %s", path, strerror(errno));
		return -errno;
	}
	buf = malloc(FUZZ_IMPORT_INPUT_MAX + 1u);
	if (buf == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	size = fread(buf, 1, FUZZ_IMPORT_INPUT_MAX + 1u, f);
	if (ferror(f)) {
		cli_error("%s: read error", path);
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	if (size > FUZZ_IMPORT_INPUT_MAX) {
		cli_error("%s: larger than %u bytes", path, FUZZ_IMPORT_INPUT_MAX);
		free(buf);
		return -EFBIG;
	}
	*out = buf;
	*size_out = size;
	return 0;
}

/* Replay the written directory strictly: does its class appear again? */
static int check_replay(const char *path, const char *class_name)
{
	struct cli_finding_dir *finding;
	char error[1024] = "";
	struct cli_exec exec;
	int ret, status;

	finding = cli_finding_load(path, &ret, error, sizeof(error));
	if (finding == NULL) {
		cli_error("the written finding does not read back: %s", error);
		return CLI_EXIT_INTERNAL;
	}
	ret = cli_exec_replay(&exec, finding, 0, error, sizeof(error));
	if (ret != 0) {
		cli_error("replaying the written finding: %s", error);
		status = CLI_EXIT_INTERNAL;
	} else if (!cli_has_class(sim_result(world_sim(exec.world)), class_name)) {
		cli_error("the written finding %s does not replay (no %s finding): nondeterminism?",
			  path, class_name);
		status = CLI_EXIT_INTERNAL;
	} else {
		status = CLI_EXIT_FINDING;
	}
	cli_exec_end(&exec);
	cli_finding_free(finding);
	return status;
}

/* Declared here and in main.c (cli.h belongs to the CLI's other commands). */
int cli_cmd_fuzz_import(int argc, char **argv);

int cli_cmd_fuzz_import(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "steps-max", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outdir = CLI_DEFAULT_FINDINGS_DIR, *input_path;
	struct token_order_run run;
	struct token_order_options run_options = { .trace_ring_size = CLI_REPLAY_TRACE_RING };
	struct scenario *scenario = NULL;
	char error[1024] = "", out_path[CLI_PATH_BYTES + 128] = "";
	char class_name[CLI_CLASS_BYTES] = "", origin[CLI_PATH_BYTES + 64], detail[160];
	const struct sim_result *result;
	uint8_t *input = NULL;
	size_t size = 0;
	bool quiet = false;
	int opt, ret, status;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:qh", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			outdir = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'S':
			if (cli_parse_u64(optarg, &run_options.step_count_max) != 0 ||
			    run_options.step_count_max == 0 ||
			    run_options.step_count_max > FUZZ_IMPORT_STEPS_MAX)
				return cli_usage_error("fuzz-import",
						       "--steps-max: \"%s\" is not in 1..10^12", optarg);
			break;
		case 'h':
			fputs(fuzz_import_usage, stdout);
			return CLI_EXIT_CLEAN;
		case ':':
			return cli_usage_error("fuzz-import", "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("fuzz-import", "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("fuzz-import", argc - optind == 0
							      ? "give the fuzz input file"
							      : "give exactly one input file");
	input_path = argv[optind];
	ret = read_input(input_path, &input, &size);
	if (ret != 0)
		return ret == -ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;

	ret = token_order_run(&run, input, size, &run_options, error, sizeof(error));
	if (ret != 0) {
		cli_error("running %s: %s", input_path, error);
		status = ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_INTERNAL;
		goto out;
	}
	result = sim_result(world_sim(run.world));
	if (!quiet)
		printf("fuzz-import: %s: %zu bytes, %zu script bytes read; seed %" PRIu64
		       ", %u vCPUs, %u tasks x %u touches, %u events; %" PRIu64
		       " decisions, %u findings\n",
		       input_path, size, token_order_strategy_used(run.strategy), run.config.seed,
		       run.config.vcpu_count, run.config.task_count, run.config.touch_count,
		       run.config.events.count, result->decision_count, result->finding_count);
	if (result->finding_count == 0) {
		printf("no finding: the input runs clean\n");
		status = CLI_EXIT_CLEAN;
		goto out;
	}
	snprintf(class_name, sizeof(class_name), "%s", result->findings[0].class_name);

	scenario = calloc(1, sizeof(*scenario));
	if (scenario == NULL) {
		status = CLI_EXIT_INTERNAL;
		goto out;
	}
	snprintf(scenario->name, sizeof(scenario->name), "fuzz-token-order");
	snprintf(scenario->description, sizeof(scenario->description),
		 "apfsim fuzz-import of a token_order fuzz input (%zu bytes): the world's draws "
		 "and the schedule are in schedule.txt",
		 size);
	scenario->world = run.config;
	scenario->world.trace_ring_size = TOKEN_ORDER_TRACE_RING;
	scenario->executions = 1;
	snprintf(scenario->strategy, sizeof(scenario->strategy), "random");
	scenario->seed = run.config.seed;
	snprintf(origin, sizeof(origin), "fuzz-import of %.500s", input_path);
	snprintf(detail, sizeof(detail), "token-order cursor over %zu input bytes (%zu read)", size,
		 token_order_strategy_used(run.strategy));
	{
		/* The cursor strategy is not registered: the finding is its
		 * recorded schedule, so the strategy on record is "replay". */
		struct cli_finding_meta meta = {
			.scenario = scenario,
			.swarm = false,
			.strategy = "replay",
			.strategy_detail = detail,
			.origin = origin,
		};
		struct cli_exec exec = {
			.config = run.config,
			.world = run.world,
			.strategy = run.strategy,
			.strategy_owned = false,
		};

		world_swarm_banner(&run.config, exec.banner, sizeof(exec.banner));
		ret = cli_finding_write(outdir, &exec, run.config.seed, &meta, out_path,
					sizeof(out_path), error, sizeof(error));
	}
	if (!quiet) {
		uint32_t kept = result->finding_count < SIM_FINDING_COUNT_MAX
					? result->finding_count
					: SIM_FINDING_COUNT_MAX;

		for (uint32_t i = 0; i < kept; i++)
			printf("  finding %u: %s at %s:%d step %" PRIu64 ": %s\n", i + 1,
			       result->findings[i].class_name,
			       result->findings[i].file ? result->findings[i].file : "?",
			       result->findings[i].line, result->findings[i].step,
			       result->findings[i].message);
	}
	token_order_run_end(&run);
	if (ret != 0) {
		cli_error("%s", error);
		status = CLI_EXIT_INTERNAL;
		goto out;
	}
	status = check_replay(out_path, class_name);
	if (status == CLI_EXIT_FINDING)
		printf("finding %s -> %s (replays: apfsim replay %s)\n", class_name, out_path,
		       out_path);
out:
	token_order_run_end(&run);
	free(scenario);
	free(input);
	return status;
}

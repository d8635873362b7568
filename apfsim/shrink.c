/* SPDX-License-Identifier: MIT */
/*
 * apfsim shrink: a shorter schedule that still fails with the same class.
 *
 * The state is a prefix P of decisions; a candidate is run as a prefix
 * replay of P continued by the deterministic round-robin strategy
 * (replay_continue_with = "rr"), and it "holds" when the finding's class
 * appears and the execution's recorded schedule is no longer than the best
 * so far. Passes, repeated while one makes progress and attempts remain:
 *   (a) the shortest prefix of P that holds, by binary search;
 *   (b) from the end of P to its start, remove chunks of decisions (1/8 of
 *       P, halving down to one); at single decisions, first try replacing a
 *       switch to another thread by the previous thread ("continue the
 *       current thread").
 * The result is written as a new finding directory whose schedule.txt is
 * the full recorded schedule of P + rr, so a strict replay reproduces it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define ATTEMPTS_DEFAULT 200u
#define ATTEMPTS_MAX 1000000u

static const char shrink_usage[] =
	"usage: apfsim shrink DIR [-o OUTDIR] [--attempts N]\n"
	"Shorten a finding's schedule while the same finding class still appears, and write\n"
	"the result as a new finding directory in OUTDIR.\n"
	"\n"
	"  -o, --output OUTDIR   where the shrunk finding goes (default: DIR's parent)\n"
	"  -a, --attempts N      executions to try at most, 1..1000000 (default 200)\n"
	"  -q, --quiet           no per-attempt progress\n"
	"  -h, --help            this text\n"
	"\n"
	"Exit status: 1 the (shrunk) finding reproduces and was written, 0 it does not\n"
	"reproduce, 2 usage or input error, 3 internal error.\n";

struct shrinker {
	struct cli_finding_dir *finding;
	struct sim_schedule prefix;   /* P */
	uint64_t best_count;          /* recorded decisions of P + rr */
	uint64_t best_switches;
	uint32_t attempts;
	uint32_t attempts_max;
	bool quiet;
	int error;                    /* an operating error stops the search */
};

struct outcome {
	bool holds;
	uint64_t count;
	uint64_t switches;
};

/* Run @candidate + rr; on success keep the world alive in @exec if @keep. */
static int try_candidate(struct shrinker *s, const struct sim_schedule *candidate,
			 const char *continue_with, struct outcome *out, struct cli_exec *keep)
{
	struct cli_exec local;
	struct cli_exec *exec = keep ? keep : &local;
	struct cli_exec_params params = {
		.scenario = &s->finding->scenario,
		.seed = s->finding->seed,
		.swarm = s->finding->swarm,
		.strategy = "replay",
		.replay_schedule = candidate,
		.replay_continue_with = continue_with,
		.trace_ring_size = keep ? CLI_REPLAY_TRACE_RING : 0,
	};
	char error[512] = "";
	int ret;

	memset(out, 0, sizeof(*out));
	ret = cli_exec_run(exec, &params, error, sizeof(error));
	if (ret != 0) {
		cli_error("shrink: %s", error);
		if (keep == NULL)
			cli_exec_end(exec);
		return ret;
	}
	{
		struct sim *sim = world_sim(exec->world);
		uint64_t picks;

		out->holds = cli_has_class(sim_result(sim), s->finding->class_name);
		out->count = sim_recorded_schedule(sim)->count;
		cli_schedule_counts(sim_recorded_schedule(sim), &picks, &out->switches);
	}
	if (keep == NULL)
		cli_exec_end(exec);
	return 0;
}

/* One attempt; true when the candidate holds and is no worse than the best. */
static bool attempt(struct shrinker *s, const struct sim_schedule *candidate, const char *what)
{
	struct outcome o;
	bool better;

	if (s->attempts >= s->attempts_max || s->error != 0)
		return false;
	s->attempts++;
	if (try_candidate(s, candidate, "rr", &o, NULL) != 0) {
		s->error = CLI_EXIT_INTERNAL;
		return false;
	}
	better = o.holds &&
		 (o.count < s->best_count ||
		  (o.count == s->best_count && o.switches < s->best_switches) ||
		  (o.count == s->best_count && o.switches == s->best_switches &&
		   candidate->count < s->prefix.count));
	if (!s->quiet)
		printf("  attempt %u/%u: %s (prefix %" PRIu64 "): %s, %" PRIu64
		       " decisions, %" PRIu64 " switches%s\n",
		       s->attempts, s->attempts_max, what, candidate->count,
		       o.holds ? "fails the same way" : "does not", o.count, o.switches,
		       better ? " -> kept" : "");
	if (better) {
		s->best_count = o.count;
		s->best_switches = o.switches;
	}
	return better;
}

static int copy_schedule(struct sim_schedule *to, const struct sim_schedule *from)
{
	sim_schedule_fini(to);
	sim_schedule_init(to);
	return sim_schedule_copy(to, from);
}

/* (a): the shortest prefix that holds, by binary search. */
static bool pass_truncate(struct shrinker *s)
{
	struct sim_schedule candidate;
	uint64_t lo = 0, hi = s->prefix.count;
	bool progress = false;

	sim_schedule_init(&candidate);
	while (lo < hi && s->attempts < s->attempts_max && s->error == 0) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (copy_schedule(&candidate, &s->prefix) != 0) {
			s->error = CLI_EXIT_INTERNAL;
			break;
		}
		sim_schedule_truncate(&candidate, mid);
		if (attempt(s, &candidate, "truncate")) {
			hi = mid;
			progress = true;
		} else {
			lo = mid + 1;
		}
	}
	if (progress)
		sim_schedule_truncate(&s->prefix, hi);
	sim_schedule_fini(&candidate);
	return progress;
}

/*
 * (b): from the end of P to its start, remove chunks of @chunk decisions;
 * with chunks of one, first try to replace a switch by "continue".
 */
static bool pass_decisions(struct shrinker *s, uint64_t chunk)
{
	struct sim_schedule candidate;
	bool progress = false;

	sim_schedule_init(&candidate);
	for (uint64_t end = s->prefix.count; end > 0;) {
		uint64_t i = end > chunk ? end - chunk : 0;
		uint64_t n = end - i;
		const struct sim_decision *d;
		uint32_t previous = 0xffffffffu;

		end = i;
		if (s->attempts >= s->attempts_max || s->error != 0)
			break;
		if (i + n > s->prefix.count)
			continue;
		d = &s->prefix.decisions[i];
		for (uint64_t j = i; j-- > 0;) {
			if (s->prefix.decisions[j].kind == SIM_DECISION_THREAD) {
				previous = s->prefix.decisions[j].value;
				break;
			}
		}
		if (n == 1 && d->kind == SIM_DECISION_THREAD && previous != 0xffffffffu &&
		    d->value != previous) {
			if (copy_schedule(&candidate, &s->prefix) != 0)
				break;
			candidate.decisions[i].value = previous;
			if (attempt(s, &candidate, "continue instead of switch")) {
				copy_schedule(&s->prefix, &candidate);
				progress = true;
				continue;
			}
		}
		if (copy_schedule(&candidate, &s->prefix) != 0)
			break;
		memmove(&candidate.decisions[i], &candidate.decisions[i + n],
			(size_t)(candidate.count - i - n) * sizeof(candidate.decisions[0]));
		candidate.count -= n;
		if (attempt(s, &candidate, n == 1 ? "remove a decision" : "remove decisions")) {
			copy_schedule(&s->prefix, &candidate);
			progress = true;
		}
	}
	sim_schedule_fini(&candidate);
	return progress;
}

int cli_cmd_shrink(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "attempts", required_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct shrinker s;
	const char *outdir = NULL;
	char parent[CLI_PATH_BYTES];
	char error[1024] = "";
	char out_path[CLI_PATH_BYTES + 128];
	char origin[CLI_PATH_BYTES + 64];
	struct outcome o;
	struct cli_exec exec;
	uint64_t original_count, value;
	int opt, ret, status;

	memset(&s, 0, sizeof(s));
	s.attempts_max = ATTEMPTS_DEFAULT;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:a:qh", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			outdir = optarg;
			if (optarg[0] == '\0' || strlen(optarg) >= CLI_PATH_BYTES - 64)
				return cli_usage_error("shrink", "--output: bad directory name");
			break;
		case 'a':
			if (cli_parse_u64(optarg, &value) != 0)
				return cli_usage_error("shrink", "--attempts: \"%s\" is not a number",
						       optarg);
			if (value < 1 || value > ATTEMPTS_MAX)
				return cli_usage_error("shrink", "--attempts: %s is out of range 1..%u",
						       optarg, ATTEMPTS_MAX);
			s.attempts_max = (uint32_t)value;
			break;
		case 'q':
			s.quiet = true;
			break;
		case 'h':
			fputs(shrink_usage, stdout);
			return CLI_EXIT_CLEAN;
		case ':':
			return cli_usage_error("shrink", "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("shrink", "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("shrink", argc - optind == 0 ? "give a finding DIR"
								   : "give exactly one finding DIR");
	s.finding = calloc(1, sizeof(*s.finding));
	if (s.finding == NULL)
		return CLI_EXIT_INTERNAL;
	sim_schedule_init(&s.prefix);
	ret = cli_finding_read(argv[optind], s.finding, error, sizeof(error));
	if (ret != 0) {
		cli_error("%s", error);
		status = CLI_EXIT_USAGE;
		goto out;
	}
	if (strcmp(s.finding->class_name, SIM_FINDING_NONDETERMINISM) == 0) {
		cli_error("%s is a nondeterminism finding: it is about two runs of one schedule, "
			  "not a shorter schedule; check it with apfsim replay",
			  argv[optind]);
		status = CLI_EXIT_USAGE;
		goto out;
	}
	if (outdir == NULL) {
		char copy[CLI_PATH_BYTES];

		snprintf(copy, sizeof(copy), "%s", argv[optind]);
		while (strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
			copy[strlen(copy) - 1] = '\0';
		snprintf(parent, sizeof(parent), "%s", dirname(copy));
		outdir = parent;
	}
	original_count = s.finding->schedule.count;

	/* The finding must reproduce as recorded (strict) before anything else. */
	s.attempts_max++;
	s.attempts++;
	if (try_candidate(&s, &s.finding->schedule, NULL, &o, NULL) != 0) {
		status = CLI_EXIT_INTERNAL;
		goto out;
	}
	if (!o.holds) {
		printf("shrink: the finding does not reproduce (no %s on strict replay)\n",
		       s.finding->class_name);
		status = CLI_EXIT_CLEAN;
		goto out;
	}
	s.best_count = o.count;
	s.best_switches = o.switches;
	if (sim_schedule_copy(&s.prefix, &s.finding->schedule) != 0) {
		status = CLI_EXIT_INTERNAL;
		goto out;
	}
	printf("shrink: %s, seed %" PRIu64 ", %" PRIu64 " decisions, %" PRIu64
	       " switches, at most %u attempts\n",
	       s.finding->class_name, s.finding->seed, o.count, o.switches,
	       s.attempts_max - 1);
	for (uint32_t round = 0; round < 64 && s.attempts < s.attempts_max && s.error == 0;
	     round++) {
		bool progress = pass_truncate(&s);

		/* chunks of 1/8 of P, halving down to single decisions */
		for (uint64_t chunk = s.prefix.count / 8 > 1 ? s.prefix.count / 8 : 1;;
		     chunk /= 2) {
			progress = pass_decisions(&s, chunk) || progress;
			if (chunk <= 1)
				break;
		}
		if (!progress)
			break;
	}
	if (s.error != 0) {
		status = s.error;
		goto out;
	}

	/* Final run of P + rr, kept alive to write the new finding. */
	if (try_candidate(&s, &s.prefix, "rr", &o, &exec) != 0) {
		cli_exec_end(&exec);
		status = CLI_EXIT_INTERNAL;
		goto out;
	}
	if (!o.holds) {
		/* cannot happen for a deterministic world: report it */
		cli_error("shrink: the kept prefix no longer fails (nondeterminism?)");
		cli_exec_end(&exec);
		status = CLI_EXIT_INTERNAL;
		goto out;
	}
	snprintf(origin, sizeof(origin), "shrink of %s (prefix of %" PRIu64 " decisions + rr)",
		 argv[optind], s.prefix.count);
	{
		struct cli_finding_meta meta = {
			.scenario = &s.finding->scenario,
			.swarm = s.finding->swarm,
			.strategy = s.finding->strategy[0] ? s.finding->strategy : "replay",
			.origin = origin,
		};

		ret = cli_finding_write(outdir, &exec, s.finding->seed, &meta, out_path,
					sizeof(out_path), error, sizeof(error));
	}
	cli_exec_end(&exec);
	if (ret != 0) {
		cli_error("%s", error);
		status = CLI_EXIT_INTERNAL;
		goto out;
	}
	printf("shrunk: %" PRIu64 " -> %" PRIu64 " decisions (%" PRIu64
	       " -> %" PRIu64 " replayed, the rest round-robin), %u attempts\n",
	       original_count, o.count, original_count, s.prefix.count, s.attempts);
	printf("  -> %s  (apfsim replay %s)\n", out_path, out_path);
	status = CLI_EXIT_FINDING;
out:
	sim_schedule_fini(&s.prefix);
	cli_finding_dir_fini(s.finding);
	free(s.finding);
	return status;
}

/* SPDX-License-Identifier: MIT */
/*
 * apfsim run: a campaign of executions over a seed range.
 *
 * Seeds: the campaign's seed range is first .. first+count-1 (index i =
 * seed - first). --shard K/N keeps the indices with i mod N == K-1; the
 * shard's seeds, in order, are dealt to --jobs workers round-robin (the j-th
 * seed of the shard to worker j mod jobs). Each worker is a process of its
 * own (one world per process), runs its seeds one after another, writes the
 * finding directories of its findings itself and streams one fixed-size
 * binary record per execution to the parent through a pipe; the parent
 * aggregates sums and maxima, which do not depend on the order the records
 * arrive in, so the summary is the same for any --jobs.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "sim/kshim.h"
#include "sim/strategy.h"
#include "sim/world_oracle.h"

#define JOBS_MAX 64u
#define SHARD_COUNT_MAX 1000000u
#define CLASS_SLOTS 64u
#define TIME_MAX_SECONDS (366.0 * 24 * 3600)
/* Lines of progress when stderr is not a terminal: one every this many seconds. */
#define PROGRESS_LINE_SECONDS 5.0
#define PROGRESS_BAR_SECONDS 0.1

/* One execution, as a worker reports it (fixed size, below PIPE_BUF). */
struct exec_record {
	uint64_t seed;
	uint64_t steps;
	uint64_t decisions;
	uint64_t async_fault;
	uint64_t sync_fault;
	uint64_t touches;
	uint64_t host_queue_full;
	uint64_t guest_table_full;
	uint64_t alloc_failed;
	uint64_t events_fired[WORLD_EVENT_CLASS_COUNT];
	uint64_t events_refused;
	uint32_t guest_table_max;
	uint32_t guest_table_capacity;
	uint32_t class_mask; /* event classes on in this execution (after swarm) */
	uint32_t inject_mask;
	uint32_t event_count;
	uint32_t finding_count;
	uint32_t class_count; /* classes[] entries used (kept findings) */
	int32_t error;        /* negative errno of an operating error, 0 */
	uint8_t dfs_exhausted;
	uint8_t kind;         /* RECORD_DONE, RECORD_BEGIN */
	uint8_t det_checked;  /* --check-determinism: replayed once */
	uint8_t det_differs;  /* ... and the replay did not match */
	uint8_t pad[4];
	uint64_t m;           /* the worker's execution number */
	char classes[SIM_FINDING_COUNT_MAX][CLI_CLASS_BYTES];
	char message[200];    /* first finding's message, or the error */
	char banner[CLI_BANNER_BYTES];
	char dir[CLI_PATH_BYTES + 128];
	char det_dir[CLI_PATH_BYTES + 128]; /* the nondeterminism finding */
	char det_message[200];
};
enum { RECORD_DONE = 0, RECORD_BEGIN = 1 };
_Static_assert(sizeof(struct exec_record) <= 4096, "a record must be written atomically");

struct class_total {
	char name[CLI_CLASS_BYTES];
	uint64_t count;
	uint64_t first_seed;
};

struct totals {
	uint64_t executions;
	uint64_t steps;
	uint64_t decisions;
	uint64_t async_fault;
	uint64_t sync_fault;
	uint64_t touches;
	uint64_t host_queue_full;
	uint64_t guest_table_full;
	uint64_t alloc_failed;
	uint64_t events_fired[WORLD_EVENT_CLASS_COUNT];
	uint64_t events_refused;
	uint64_t swarm_class_on[WORLD_EVENT_CLASS_COUNT];
	uint64_t swarm_inject_on[WORLD_INJECT_COUNT];
	uint32_t table_max;
	uint32_t table_capacity;
	uint64_t executions_with_findings;
	uint64_t findings;
	uint64_t errors;
	struct class_total classes[CLASS_SLOTS];
	uint32_t class_count;
	uint64_t class_overflow;
	bool dfs_exhausted;
	uint64_t det_checked;
	uint64_t det_differs;
};

struct campaign {
	struct scenario scenario;
	const char *scenario_arg;
	char strategy[SCENARIO_STRATEGY_BYTES];
	uint32_t pct_depth;
	uint32_t pct_thread_count;
	uint64_t pct_step_count;
	uint64_t first;
	uint64_t count;          /* seeds in the range; meaningful if bounded */
	bool bounded;
	double time_budget;      /* 0: none */
	double deadline;
	uint32_t jobs;
	uint32_t shard_k;        /* 1-based */
	uint32_t shard_n;
	const char *findings_dir;
	bool swarm;
	bool quiet;
	bool verbose;
	bool stop_on_first;
	const char *stop_on;     /* --stop-on CLASS: stop at its first finding, or NULL */
	bool stop_on_found;      /* parent: a record had that class */
	uint64_t stop_on_seed;   /* its seed (the lowest among records with it) */
	bool progress_tty;
	double start;
	double last_progress;
	uint64_t shard_total;    /* executions of this shard (bounded) */
	struct totals totals;
	char strategy_detail[96];
	bool crash_seed_set;     /* APFSIM_TEST_CRASH_SEED (tests only) */
	uint64_t crash_seed;
	bool check_determinism;  /* --check-determinism */
	bool nondet_seed_set;    /* APFSIM_TEST_NONDETERMINISM_SEED (tests only) */
	uint64_t nondet_seed;
};

static volatile sig_atomic_t stop_requested;

/* Copy @src into @dst, cut to fit. */
static void set_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static const char run_usage[] =
	"usage: apfsim run [options]\n"
	"Run a campaign: one execution of the scenario per seed, with the protocol oracles on.\n"
	"\n"
	"  -s, --scenario NAME|FILE  builtin scenario or JSON file (default: default)\n"
	"  -n, --executions N        executions (seeds first .. first+N-1; default: the scenario's)\n"
	"  -t, --time SECONDS        wall-clock budget, checked between executions\n"
	"      --strategy NAME       pct, random, dfs or rr (default: the scenario's); or\n"
	"                            stress: real threads in an order the host kernel picks,\n"
	"                            a baseline; its findings have no schedule to replay\n"
	"      --pct-depth D         PCT bug depth 1..64 (default: the scenario's, else 3)\n"
	"      --pct-threads N       PCT's n (default: measured on the first seed)\n"
	"      --pct-steps K         PCT's k in thread picks (default: measured on the first seed)\n"
	"      --seed N              first seed (default: the scenario's)\n"
	"      --seeds A..B          the seed range A..B, inclusive (instead of --seed/-n)\n"
	"  -j, --jobs N              worker processes, 1..64 (default 1)\n"
	"      --shard K/N           run only the seeds with index mod N == K-1 (1 <= K <= N)\n"
	"  -o, --findings DIR        where finding directories go (default: ./apfsim-findings)\n"
	"      --no-swarm            keep every event class and injection of the scenario\n"
	"      --swarm               swarm testing even if the scenario says no\n"
	"      --stop-on-first       stop the campaign after the first finding\n"
	"      --stop-on CLASS       stop the campaign after the first finding of CLASS\n"
	"      --check-determinism   replay every execution from its own schedule; any\n"
	"                            difference is a nondeterminism finding (twice the time)\n"
	"  -q, --quiet               no progress, no finding lines (summary only)\n"
	"  -v, --verbose             one line per execution with its swarm banner\n"
	"  -h, --help                this text\n"
	"\n"
	"Exit status: 0 no finding, 1 findings, 2 usage or input error, 3 internal error.\n";

/* ---- Aggregation ---- */

/* Does record @r report a finding of @class_name? */
static bool record_has_class(const struct exec_record *r, const char *class_name)
{
	for (uint32_t i = 0; i < r->class_count && i < SIM_FINDING_COUNT_MAX; i++)
		if (strcmp(r->classes[i], class_name) == 0)
			return true;
	return false;
}

static void totals_add_class(struct totals *t, const char *name, uint64_t seed)
{
	for (uint32_t i = 0; i < t->class_count; i++) {
		if (strcmp(t->classes[i].name, name) == 0) {
			t->classes[i].count++;
			if (seed < t->classes[i].first_seed)
				t->classes[i].first_seed = seed;
			return;
		}
	}
	if (t->class_count == CLASS_SLOTS) {
		t->class_overflow++;
		return;
	}
	snprintf(t->classes[t->class_count].name, CLI_CLASS_BYTES, "%s", name);
	t->classes[t->class_count].count = 1;
	t->classes[t->class_count].first_seed = seed;
	t->class_count++;
}

static void totals_add(struct totals *t, const struct exec_record *r)
{
	if (r->dfs_exhausted) {
		t->dfs_exhausted = true;
		return;
	}
	if (r->error != 0) {
		t->errors++;
		return;
	}
	t->executions++;
	t->det_checked += r->det_checked;
	t->det_differs += r->det_differs;
	t->steps += r->steps;
	t->decisions += r->decisions;
	t->async_fault += r->async_fault;
	t->sync_fault += r->sync_fault;
	t->touches += r->touches;
	t->host_queue_full += r->host_queue_full;
	t->guest_table_full += r->guest_table_full;
	t->alloc_failed += r->alloc_failed;
	for (uint32_t c = 0; c < WORLD_EVENT_CLASS_COUNT; c++) {
		t->events_fired[c] += r->events_fired[c];
		if (r->event_count > 0 && ((r->class_mask >> c) & 1u))
			t->swarm_class_on[c]++;
	}
	for (uint32_t i = 0; i < WORLD_INJECT_COUNT; i++)
		if ((r->inject_mask >> i) & 1u)
			t->swarm_inject_on[i]++;
	t->events_refused += r->events_refused;
	if (r->guest_table_max > t->table_max)
		t->table_max = r->guest_table_max;
	if (r->guest_table_capacity > t->table_capacity)
		t->table_capacity = r->guest_table_capacity;
	if (r->finding_count > 0) {
		t->executions_with_findings++;
		t->findings += r->finding_count;
		for (uint32_t i = 0; i < r->class_count && i < SIM_FINDING_COUNT_MAX; i++)
			totals_add_class(t, r->classes[i], r->seed);
	}
}

static int class_cmp(const void *a, const void *b)
{
	return strcmp(((const struct class_total *)a)->name, ((const struct class_total *)b)->name);
}

static void print_summary(struct campaign *c, double wall)
{
	struct totals *t = &c->totals;
	bool first;

	qsort(t->classes, t->class_count, sizeof(t->classes[0]), class_cmp);
	printf("summary\n");
	printf("  executions            %" PRIu64 "%s\n", t->executions,
	       t->dfs_exhausted ? " (dfs: every schedule explored)" : "");
	printf("  schedule points       %" PRIu64 " steps, %" PRIu64 " decisions\n", t->steps,
	       t->decisions);
	printf("  accesses              %" PRIu64 "\n", t->touches);
	printf("  faults                %" PRIu64 " asynchronous, %" PRIu64 " synchronous\n",
	       t->async_fault, t->sync_fault);
	if (t->table_capacity > 0)
		printf("  guest table max       %u of %u entries\n", t->table_max, t->table_capacity);
	else
		printf("  guest table max       %u entries\n", t->table_max);
	printf("  exhaustion hits       %" PRIu64 " (host queue full %" PRIu64
	       ", guest table full %" PRIu64 ")\n",
	       t->host_queue_full + t->guest_table_full, t->host_queue_full, t->guest_table_full);
	printf("  allocations failed    %" PRIu64 " (injected)\n", t->alloc_failed);
	printf("  events fired         ");
	for (uint32_t e = 0; e < WORLD_EVENT_CLASS_COUNT; e++)
		printf(" %s %" PRIu64 "%s", world_event_class_name((enum world_event_class)e),
		       t->events_fired[e], e + 1 < WORLD_EVENT_CLASS_COUNT ? "," : "");
	printf(" (refused %" PRIu64 ")\n", t->events_refused);
	if (c->swarm) {
		printf("  swarm: executions on ");
		for (uint32_t e = 0; e < WORLD_EVENT_CLASS_COUNT; e++)
			printf(" %s %" PRIu64 ",", world_event_class_name((enum world_event_class)e),
			       t->swarm_class_on[e]);
		for (uint32_t i = 0; i < WORLD_INJECT_COUNT; i++)
			printf(" %s %" PRIu64 "%s", world_inject_name(i), t->swarm_inject_on[i],
			       i + 1 < WORLD_INJECT_COUNT ? "," : "\n");
	}
	printf("  findings              %" PRIu64 " in %" PRIu64 " executions", t->findings,
	       t->executions_with_findings);
	first = true;
	for (uint32_t i = 0; i < t->class_count; i++) {
		printf("%s%s %" PRIu64 " (first seed %" PRIu64 ")", first ? ": " : ", ",
		       t->classes[i].name, t->classes[i].count, t->classes[i].first_seed);
		first = false;
	}
	if (t->class_overflow > 0)
		printf(", %" PRIu64 " of other classes", t->class_overflow);
	printf("\n");
	if (c->check_determinism)
		printf("  determinism           %" PRIu64 " executions replayed from their schedule, %" PRIu64
		       " differed\n",
		       t->det_checked, t->det_differs);
	if (t->findings > 0)
		printf("  finding directories   %s\n", c->findings_dir);
	if (t->errors > 0)
		printf("  operating errors      %" PRIu64 "\n", t->errors);
	if (c->stop_on != NULL && c->stop_on_found)
		printf("  stop on               %s: found at seed %" PRIu64 "\n", c->stop_on,
		       c->stop_on_seed);
	else if (c->stop_on != NULL)
		printf("  stop on               %s: not found\n", c->stop_on);
	printf("  wall time             %.2f s, %.1f executions/s, %u job%s\n", wall,
	       wall > 0 ? (double)t->executions / wall : 0.0, c->jobs, c->jobs == 1 ? "" : "s");
}

static void progress_clear(struct campaign *c)
{
	if (c->progress_tty && !c->quiet)
		fprintf(stderr, "\r\033[K");
}

static void progress(struct campaign *c, bool force)
{
	double now = cli_now();
	double elapsed = now - c->start;
	const struct totals *t = &c->totals;
	uint64_t done = t->executions + t->errors;

	if (c->quiet)
		return;
	if (c->progress_tty) {
		char bar[41];
		double fraction = 0;

		if (!force && now - c->last_progress < PROGRESS_BAR_SECONDS)
			return;
		if (c->bounded && c->shard_total > 0)
			fraction = (double)done / (double)c->shard_total;
		if (c->time_budget > 0 && elapsed / c->time_budget > fraction)
			fraction = elapsed / c->time_budget;
		if (fraction > 1)
			fraction = 1;
		for (int i = 0; i < 40; i++)
			bar[i] = i < (int)(fraction * 40) ? '#' : '.';
		bar[40] = '\0';
		fprintf(stderr, "\r[%s] %" PRIu64, bar, done);
		if (c->bounded)
			fprintf(stderr, "/%" PRIu64, c->shard_total);
		fprintf(stderr, " executions, %" PRIu64 " findings, %.1f s\033[K", t->findings,
			elapsed);
		fflush(stderr);
		c->last_progress = now;
	} else {
		if (now - c->last_progress < PROGRESS_LINE_SECONDS)
			return;
		fprintf(stderr, "apfsim: progress: %" PRIu64, done);
		if (c->bounded)
			fprintf(stderr, "/%" PRIu64, c->shard_total);
		fprintf(stderr, " executions, %" PRIu64 " findings, %.1f s\n", t->findings,
			elapsed);
		c->last_progress = now;
	}
}

/* The parent's view of one record: aggregate, print. */
static void handle_record(struct campaign *c, const struct exec_record *r)
{
	totals_add(&c->totals, r);
	if (c->stop_on != NULL && r->error == 0 && !r->dfs_exhausted &&
	    record_has_class(r, c->stop_on)) {
		if (!c->stop_on_found || r->seed < c->stop_on_seed)
			c->stop_on_seed = r->seed;
		c->stop_on_found = true;
	}
	if (r->dfs_exhausted)
		return;
	if (r->error != 0) {
		progress_clear(c);
		cli_error("seed %" PRIu64 ": %s", r->seed, r->message);
	} else if (c->verbose) {
		progress_clear(c);
		printf("seed %" PRIu64 ": %" PRIu64 " steps, %" PRIu64 " decisions, faults %" PRIu64
		       " async %" PRIu64 " sync; swarm %s; %s%s\n",
		       r->seed, r->steps, r->decisions, r->async_fault, r->sync_fault, r->banner,
		       r->finding_count > 0 ? "finding " : "clean",
		       r->finding_count > 0 ? r->classes[0] : "");
	}
	if (r->finding_count > r->det_differs && r->error == 0 && !c->quiet) {
		progress_clear(c);
		printf("finding: %s seed %" PRIu64 ": %s\n", r->classes[0], r->seed, r->message);
		if (r->dir[0] != '\0' && strcmp(r->classes[0], CLI_FINDING_CRASH) == 0)
			printf("         -> %s  (re-run: sh %s/replay.sh)\n", r->dir, r->dir);
		else if (r->dir[0] != '\0')
			printf("         -> %s  (apfsim replay %s)\n", r->dir, r->dir);
	}
	if (r->det_differs && r->error == 0 && !c->quiet) {
		progress_clear(c);
		printf("finding: %s seed %" PRIu64 ": %s\n", SIM_FINDING_NONDETERMINISM, r->seed,
		       r->det_message);
		if (r->det_dir[0] != '\0')
			printf("         -> %s  (apfsim replay %s)\n", r->det_dir, r->det_dir);
	}
	fflush(stdout);
	progress(c, false);
}

/* ---- Executing (in the worker, or in-process for --jobs 1) ---- */

/* What a finding directory of this campaign records about how it was found. */
static struct cli_finding_meta campaign_meta(const struct campaign *c, const char *origin)
{
	return (struct cli_finding_meta){
		.scenario = &c->scenario,
		.swarm = c->swarm,
		.strategy = c->strategy,
		.strategy_detail = c->strategy_detail,
		.origin = origin,
		.pct_thread_count = c->pct_thread_count,
		.pct_step_count = c->pct_step_count,
	};
}

/*
 * --check-determinism: replay the first execution's recorded @schedule
 * strictly in a fresh world (one world per process, so after the first has
 * ended); the two must agree on every traced event (hash and count), steps,
 * decisions and findings (@first). A difference is a nondeterminism finding,
 * written with @schedule and the replay's trace.
 */
static void check_determinism(struct campaign *c, uint64_t seed, const struct sim_result *first,
			      const struct sim_schedule *schedule, struct exec_record *r)
{
	struct cli_finding_dir replay = {
		.scenario = c->scenario,
		.seed = seed,
		.swarm = c->swarm,
		.schedule = *schedule, /* shallow: read only */
	};
	struct cli_exec again;
	char error[512] = "";
	int ret;

	if (c->nondet_seed_set && seed == c->nondet_seed)
		replay.seed = seed + 1; /* APFSIM_TEST_NONDETERMINISM_SEED: tests the path */
	r->det_checked = 1;
	ret = cli_exec_replay(&again, &replay, 0, error, sizeof(error));
	if (ret != 0) {
		/* not a verdict on determinism: an operating error */
		r->error = ret;
		snprintf(r->message, sizeof(r->message), "--check-determinism: %.160s", error);
		cli_exec_end(&again);
		return;
	}
	{
		const struct sim_result *second = sim_result(world_sim(again.world));

		if (second->trace_hash == first->trace_hash &&
		    second->event_count == first->event_count &&
		    second->step_count == first->step_count &&
		    second->decision_count == first->decision_count &&
		    second->finding_count == first->finding_count) {
			cli_exec_end(&again);
			return;
		}
		snprintf(r->det_message, sizeof(r->det_message),
			 "replayed from its own schedule it differs: %" PRIu64 " events, %" PRIu64
			 " steps, %u findings (hash %016" PRIx64 ") then %" PRIu64 ", %" PRIu64
			 ", %u (hash %016" PRIx64 ")",
			 first->event_count, first->step_count, first->finding_count,
			 first->trace_hash, second->event_count, second->step_count,
			 second->finding_count, second->trace_hash);
	}
	r->det_differs = 1;
	r->finding_count++;
	if (r->class_count < SIM_FINDING_COUNT_MAX)
		snprintf(r->classes[r->class_count++], CLI_CLASS_BYTES, "%s",
			 SIM_FINDING_NONDETERMINISM);
	{
		struct cli_finding_meta meta =
			campaign_meta(c, "run --check-determinism (trace: the replay)");

		meta.class_override = SIM_FINDING_NONDETERMINISM;
		meta.message_override = r->det_message;
		meta.schedule_override = schedule;

		ret = cli_finding_write(c->findings_dir, &again, seed, &meta, r->det_dir,
					sizeof(r->det_dir), error, sizeof(error));
		if (ret != 0) {
			r->error = ret;
			snprintf(r->message, sizeof(r->message), "cannot write the finding: %.160s",
				 error);
		}
	}
	cli_exec_end(&again);
}

static void run_one(struct campaign *c, uint64_t seed, struct sim_strategy *shared,
		    struct exec_record *r)
{
	struct cli_exec_params params = {
		.scenario = &c->scenario,
		.seed = seed,
		.swarm = c->swarm,
		.strategy = c->strategy,
		.pct_depth = c->pct_depth,
		.pct_thread_count = c->pct_thread_count,
		.pct_step_count = c->pct_step_count,
		.shared_strategy = shared,
	};
	struct cli_exec exec;
	char error[512] = "";
	int ret;

	memset(r, 0, sizeof(*r));
	r->seed = seed;
	ret = cli_exec_run(&exec, &params, error, sizeof(error));
	snprintf(r->banner, sizeof(r->banner), "%s", exec.banner);
	r->class_mask = exec.config.events.class_mask;
	r->inject_mask = exec.config.inject_mask;
	r->event_count = exec.config.events.count;
	if (ret == -ENOSPC && shared != NULL) {
		r->dfs_exhausted = 1;
	} else if (ret != 0) {
		r->error = ret;
		set_text(r->message, sizeof(r->message), error);
	} else {
		const struct sim_result *result = sim_result(world_sim(exec.world));
		const struct world_stats *stats = world_stats(exec.world);
		uint32_t kept = result->finding_count < SIM_FINDING_COUNT_MAX
					? result->finding_count
					: SIM_FINDING_COUNT_MAX;

		r->steps = result->step_count;
		r->decisions = result->decision_count;
		r->async_fault = stats->host.async_fault;
		r->sync_fault = stats->host.sync_fault;
		r->touches = stats->touch_count;
		r->host_queue_full = stats->host_queue_full;
		r->guest_table_full = stats->guest_table_full;
		r->alloc_failed = stats->alloc_failed;
		memcpy(r->events_fired, stats->events_fired, sizeof(r->events_fired));
		r->events_refused = stats->events_refused;
		r->guest_table_max = stats->guest_table_max;
		r->guest_table_capacity = stats->guest_table_capacity;
		r->finding_count = result->finding_count;
		for (uint32_t i = 0; i < kept; i++) {
			const char *name = result->findings[i].class_name;
			bool seen = false;

			for (uint32_t j = 0; j < r->class_count; j++)
				seen = seen || strcmp(r->classes[j], name ? name : "?") == 0;
			if (seen)
				continue;
			snprintf(r->classes[r->class_count++], CLI_CLASS_BYTES, "%s",
				 name ? name : "?");
		}
		if (kept > 0) {
			struct cli_finding_meta meta = campaign_meta(c, "run");

			/* The first finding's class first: it names the directory. */
			set_text(r->message, sizeof(r->message), result->findings[0].message);
			ret = cli_finding_write(c->findings_dir, &exec, seed, &meta, r->dir,
						sizeof(r->dir), error, sizeof(error));
			if (ret != 0) {
				r->error = ret;
				snprintf(r->message, sizeof(r->message), "cannot write the finding: %.160s",
					 error);
			}
		}
		if (c->check_determinism && r->error == 0) {
			struct sim_result saved = *result;
			struct sim_schedule schedule;

			sim_schedule_init(&schedule);
			if (sim_schedule_copy(&schedule,
					      sim_recorded_schedule(world_sim(exec.world))) != 0) {
				r->error = -ENOMEM;
				set_text(r->message, sizeof(r->message),
					 "--check-determinism: no memory for the schedule");
			} else {
				cli_exec_end(&exec);
				check_determinism(c, seed, &saved, &schedule, r);
			}
			sim_schedule_fini(&schedule);
			if (r->det_checked)
				return;
		}
	}
	cli_exec_end(&exec);
}

/* The j-th seed of worker @w; false past the end. */
static bool worker_seed(const struct campaign *c, uint32_t w, uint64_t m, uint64_t *seed)
{
	/* shard position j = w + m*jobs; range index i = (K-1) + j*N */
	uint64_t j, i;

	if (m > (UINT64_MAX - w) / c->jobs)
		return false;
	j = w + m * c->jobs;
	if (j > (UINT64_MAX - (c->shard_k - 1)) / c->shard_n)
		return false;
	i = (c->shard_k - 1) + j * c->shard_n;
	if (c->bounded && i >= c->count)
		return false;
	if (i > UINT64_MAX - c->first)
		return false;
	*seed = c->first + i;
	return true;
}

static bool should_stop(const struct campaign *c, bool found)
{
	if (stop_requested)
		return true;
	if ((c->stop_on_first || c->stop_on != NULL) && found)
		return true;
	if (c->time_budget > 0 && cli_now() >= c->deadline)
		return true;
	return false;
}

static int write_all(int fd, const void *buf, size_t size)
{
	const char *p = buf;

	while (size > 0) {
		ssize_t n = write(fd, p, size);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

/*
 * Worker @w's loop from its @start_m-th seed: a BEGIN record before each
 * execution (so the parent knows which seed a crash interrupted), a DONE
 * record after it.
 */
static int worker_loop(struct campaign *c, uint32_t w, int sink, uint64_t start_m)
{
	struct sim_strategy *shared = NULL;
	struct exec_record *r = malloc(sizeof(*r));
	bool found = false;
	int status = CLI_EXIT_CLEAN;

	if (r == NULL)
		return CLI_EXIT_INTERNAL;
	if (strcmp(c->strategy, "dfs") == 0) {
		struct sim_strategy_config config;

		memset(&config, 0, sizeof(config));
		config.seed = c->first;
		if (sim_strategy_create("dfs", &config, &shared) != 0) {
			free(r);
			return CLI_EXIT_INTERNAL;
		}
	}
	for (uint64_t m = start_m;; m++) {
		uint64_t seed;

		if (!worker_seed(c, w, m, &seed) || should_stop(c, found))
			break;
		/* dfs: one tree over one program, so one seed for every schedule */
		if (shared != NULL)
			seed = c->first;
		memset(r, 0, sizeof(*r));
		r->kind = RECORD_BEGIN;
		r->seed = seed;
		r->m = m;
		if (write_all(sink, r, sizeof(*r)) != 0) {
			status = CLI_EXIT_INTERNAL;
			break;
		}
		if (c->crash_seed_set && seed == c->crash_seed)
			abort(); /* APFSIM_TEST_CRASH_SEED: tests the crash path */
		run_one(c, seed, shared, r);
		r->kind = RECORD_DONE;
		r->m = m;
		if (c->stop_on != NULL)
			found = found || (r->error == 0 && record_has_class(r, c->stop_on));
		else
			found = found || r->finding_count > 0;
		if (write_all(sink, r, sizeof(*r)) != 0) {
			status = CLI_EXIT_INTERNAL;
			break;
		}
		if (r->dfs_exhausted)
			break;
	}
	if (shared != NULL)
		sim_strategy_destroy(shared);
	free(r);
	return status;
}

/* ---- Parallel campaign ---- */

static int read_full(int fd, void *buf, size_t size)
{
	char *p = buf;
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, p + got, size - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return got == 0 ? 0 : -EPIPE;
		got += (size_t)n;
	}
	return 1;
}

struct worker {
	pid_t pid;
	int fd;
	bool inflight;       /* a BEGIN without its DONE */
	uint64_t inflight_seed;
	uint64_t inflight_m;
};

static int spawn_worker(struct campaign *c, struct worker *workers, uint32_t w, uint64_t start_m)
{
	int p[2];
	pid_t pid;

	if (pipe(p) != 0) {
		cli_error("pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		cli_error("fork of worker %u: %s", w, strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int code;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(CLI_EXIT_INTERNAL);
		for (uint32_t k = 0; k < c->jobs; k++)
			if (workers[k].fd >= 0)
				close(workers[k].fd);
		close(p[0]);
		code = worker_loop(c, w, p[1], start_m);
		close(p[1]);
		_exit(code);
	}
	close(p[1]);
	workers[w].pid = pid;
	workers[w].fd = p[0];
	workers[w].inflight = false;
	return 0;
}

static void describe_status(int wstatus, char *buf, size_t size)
{
	if (WIFSIGNALED(wstatus))
		snprintf(buf, size, "signal %d (%s)", WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	else
		snprintf(buf, size, "exit status %d", WEXITSTATUS(wstatus));
}

/* A worker died during an execution: a "crash" finding for its seed. */
static void handle_crash(struct campaign *c, const struct worker *wk, int wstatus)
{
	struct exec_record *r = calloc(1, sizeof(*r));
	struct cli_finding_meta meta = campaign_meta(c, "run");
	char how[96], message[256], error[512] = "";

	if (r == NULL)
		return;
	describe_status(wstatus, how, sizeof(how));
	snprintf(message, sizeof(message),
		 "the worker process died of %s during the execution (its stderr has the reason)",
		 how);
	{
		struct cli_exec_params params = { .scenario = &c->scenario,
						  .seed = wk->inflight_seed, .swarm = c->swarm };
		struct world_config config;

		cli_exec_config(&params, &config);
		r->class_mask = config.events.class_mask;
		r->inject_mask = config.inject_mask;
		r->event_count = config.events.count;
		world_swarm_banner(&config, r->banner, sizeof(r->banner));
	}
	r->seed = wk->inflight_seed;
	r->finding_count = 1;
	r->class_count = 1;
	snprintf(r->classes[0], CLI_CLASS_BYTES, "%s", CLI_FINDING_CRASH);
	set_text(r->message, sizeof(r->message), message);
	if (cli_crash_write(c->findings_dir, wk->inflight_seed, &meta, message, c->pct_thread_count,
			    c->pct_step_count, r->dir, sizeof(r->dir), error, sizeof(error)) != 0) {
		cli_error("seed %" PRIu64 ": cannot write the crash finding: %s", r->seed, error);
		c->totals.errors++;
	}
	handle_record(c, r);
	free(r);
}

static int run_workers(struct campaign *c)
{
	struct worker workers[JOBS_MAX];
	struct pollfd fds[JOBS_MAX];
	struct exec_record *r;
	uint32_t open_count = 0;
	int status = CLI_EXIT_CLEAN;
	bool stop_sent = false;
	bool dfs = strcmp(c->strategy, "dfs") == 0;

	r = malloc(sizeof(*r));
	if (r == NULL)
		return CLI_EXIT_INTERNAL;
	for (uint32_t w = 0; w < c->jobs; w++)
		workers[w].fd = -1;
	for (uint32_t w = 0; w < c->jobs; w++) {
		if (spawn_worker(c, workers, w, 0) != 0) {
			status = CLI_EXIT_INTERNAL;
			stop_requested = 1;
			break;
		}
		open_count++;
	}
	while (open_count > 0) {
		int n;

		if ((stop_requested || (c->stop_on_first && c->totals.findings > 0) ||
		     c->stop_on_found) && !stop_sent) {
			/* workers stop between executions */
			for (uint32_t k = 0; k < c->jobs; k++)
				if (workers[k].fd >= 0)
					kill(workers[k].pid, SIGTERM);
			stop_sent = true;
		}
		for (uint32_t k = 0; k < c->jobs; k++) {
			fds[k].fd = workers[k].fd;
			fds[k].events = POLLIN;
			fds[k].revents = 0;
		}
		n = poll(fds, c->jobs, 1000);
		if (n < 0 && errno != EINTR) {
			cli_error("poll: %s", strerror(errno));
			status = CLI_EXIT_INTERNAL;
			break;
		}
		progress(c, false);
		for (uint32_t k = 0; n > 0 && k < c->jobs; k++) {
			struct worker *wk = &workers[k];
			int got, wstatus = 0;

			if (wk->fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read_full(wk->fd, r, sizeof(*r));
			if (got == 1) {
				if (r->kind == RECORD_BEGIN) {
					wk->inflight = true;
					wk->inflight_seed = r->seed;
					wk->inflight_m = r->m;
				} else {
					wk->inflight = false;
					handle_record(c, r);
				}
				continue;
			}
			/* end of the worker */
			close(wk->fd);
			wk->fd = -1;
			open_count--;
			while (waitpid(wk->pid, &wstatus, 0) < 0 && errno == EINTR)
				;
			if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && got == 0)
				continue;
			if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGTERM && stop_sent)
				continue;
			if (!wk->inflight) {
				char how[96];

				describe_status(wstatus, how, sizeof(how));
				cli_error("worker %u (pid %ld) ended with %s", k, (long)wk->pid, how);
				status = CLI_EXIT_INTERNAL;
				continue;
			}
			progress_clear(c);
			handle_crash(c, wk, wstatus);
			/* carry on after the seed that crashed (dfs cannot: its tree is gone) */
			if (!dfs && !stop_sent &&
			    !should_stop(c, c->stop_on != NULL ? c->stop_on_found
							       : c->totals.findings > 0)) {
				if (spawn_worker(c, workers, k, wk->inflight_m + 1) == 0)
					open_count++;
				else
					status = CLI_EXIT_INTERNAL;
			}
		}
	}
	free(r);
	return status;
}

/* ---- Options ---- */

static int parse_u32_flag(const char *flag, const char *text, uint32_t min, uint32_t max,
			  uint32_t *out)
{
	uint64_t v;

	if (cli_parse_u64(text, &v) != 0)
		return cli_usage_error("run", "%s: \"%s\" is not a number", flag, text);
	if (v < min || v > max)
		return cli_usage_error("run", "%s: %s is out of range %u..%u", flag, text, min,
				       max);
	*out = (uint32_t)v;
	return 0;
}

static int parse_shard(const char *text, uint32_t *k, uint32_t *n)
{
	char copy[64];
	char *slash;
	uint64_t kv, nv;

	if (strlen(text) >= sizeof(copy))
		goto bad;
	snprintf(copy, sizeof(copy), "%s", text);
	slash = strchr(copy, '/');
	if (slash == NULL)
		goto bad;
	*slash = '\0';
	if (cli_parse_u64(copy, &kv) != 0 || cli_parse_u64(slash + 1, &nv) != 0)
		goto bad;
	if (nv < 1 || nv > SHARD_COUNT_MAX)
		return cli_usage_error("run", "--shard %s: N must be 1..%u", text, SHARD_COUNT_MAX);
	if (kv < 1 || kv > nv)
		return cli_usage_error("run", "--shard %s: K must be 1..N (1-based)", text);
	*k = (uint32_t)kv;
	*n = (uint32_t)nv;
	return 0;
bad:
	return cli_usage_error("run", "--shard: \"%s\" is not K/N (e.g. 2/4)", text);
}

static int parse_seeds(const char *text, uint64_t *a, uint64_t *b)
{
	char copy[128];
	char *dots;

	if (strlen(text) >= sizeof(copy))
		goto bad;
	snprintf(copy, sizeof(copy), "%s", text);
	dots = strstr(copy, "..");
	if (dots == NULL)
		goto bad;
	*dots = '\0';
	if (cli_parse_u64(copy, a) != 0 || cli_parse_u64(dots + 2, b) != 0)
		goto bad;
	if (*b < *a)
		return cli_usage_error("run", "--seeds %s: the range is empty (B < A)", text);
	if (*a == 0 && *b == UINT64_MAX)
		return cli_usage_error("run", "--seeds %s: too many seeds", text);
	return 0;
bad:
	return cli_usage_error("run", "--seeds: \"%s\" is not A..B (e.g. 1..100)", text);
}

static int parse_time(const char *text, double *out)
{
	char *end = NULL;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || !(v > 0) || v > TIME_MAX_SECONDS)
		return cli_usage_error("run",
				       "--time: \"%s\" is not a number of seconds in (0, %.0f]",
				       text, TIME_MAX_SECONDS);
	*out = v;
	return 0;
}

/*
 * Every finding class apfsim can report (--stop-on refuses others). A new
 * class (a new oracle's) needs a line here.
 */
static const char *const known_classes[] = {
	SIM_FINDING_DEADLOCK, SIM_FINDING_STEP_BOUND, SIM_FINDING_NO_PROGRESS,
	SIM_FINDING_DIVERGENCE, SIM_FINDING_NONDETERMINISM,
	"sdei-no-complete", "sdei-call-after-complete",
	KSHIM_FINDING_WARN, KSHIM_FINDING_BUG, KSHIM_FINDING_LEAK, KSHIM_FINDING_SLEEP_IN_ATOMIC,
	KSHIM_FINDING_BAD_UNLOCK, KSHIM_FINDING_BAD_FREE, KSHIM_FINDING_WORK_PENDING,
	KSHIM_FINDING_MEMORY_BOUND,
	WORLD_FINDING_BOOT, WORLD_FINDING_STUCK_ACCESS, WORLD_FINDING_LIVENESS, WORLD_FINDING_EVENT,
	WORLD_FINDING_WRONG_WAKE, WORLD_FINDING_LOST_WAKE, WORLD_FINDING_TOKEN_REUSE,
	WORLD_FINDING_SLOT_OVERWRITE, WORLD_FINDING_HOST_QUEUE, WORLD_FINDING_GUEST_TABLE,
	WORLD_FINDING_IRQ_STORM,
	"xenshim-dead-page", "xenshim-null-page", /* sim/xenshim */
	"xenshim-page-lost",                      /* sim/world/world_xen.h */
	"sdei-masked-dispatch", "sdei-unmask-lost", /* sim/world/world_sdei.h */
	"stale-registration",                     /* sim/world/world_crash.h */
	WORLD_FINDING_STRAY_PAGE_READY,           /* sim/world/oracle_ready.c */
	CLI_FINDING_CRASH,
};

static bool class_known(const char *name)
{
	for (size_t i = 0; i < sizeof(known_classes) / sizeof(known_classes[0]); i++)
		if (strcmp(known_classes[i], name) == 0)
			return true;
	return false;
}

static bool strategy_ok(const char *name)
{
	return strcmp(name, "pct") == 0 || strcmp(name, "random") == 0 ||
	       strcmp(name, "dfs") == 0 || strcmp(name, "rr") == 0 || cli_strategy_is_stress(name);
}

/* PCT's n and k, measured on the campaign's first seed with a random walk. */
static void pct_calibrate(struct campaign *c)
{
	struct cli_exec_params params = {
		.scenario = &c->scenario,
		.seed = c->first,
		.swarm = c->swarm,
		.strategy = "random",
	};
	struct cli_exec exec;
	char error[256] = "";

	if (cli_exec_run(&exec, &params, error, sizeof(error)) == 0) {
		uint64_t picks, switches;

		cli_schedule_counts(sim_recorded_schedule(world_sim(exec.world)), &picks,
				    &switches);
		c->pct_thread_count = sim_result(world_sim(exec.world))->thread_count;
		c->pct_step_count = picks > 0 ? picks : 0;
	}
	cli_exec_end(&exec);
	snprintf(c->strategy_detail, sizeof(c->strategy_detail),
		 "pct d=%u n=%u k=%" PRIu64 " (n, k measured on seed %" PRIu64 ")",
		 c->pct_depth ? c->pct_depth : 3u, c->pct_thread_count, c->pct_step_count,
		 c->first);
}

int cli_cmd_run(int argc, char **argv)
{
	static const struct option options[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "executions", required_argument, NULL, 'n' },
		{ "time", required_argument, NULL, 't' },
		{ "strategy", required_argument, NULL, 'S' },
		{ "pct-depth", required_argument, NULL, 'D' },
		{ "pct-threads", required_argument, NULL, 'N' },
		{ "pct-steps", required_argument, NULL, 'K' },
		{ "seed", required_argument, NULL, 'e' },
		{ "seeds", required_argument, NULL, 'E' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, 'k' },
		{ "findings", required_argument, NULL, 'o' },
		{ "no-swarm", no_argument, NULL, 'W' },
		{ "swarm", no_argument, NULL, 'w' },
		{ "stop-on-first", no_argument, NULL, 'F' },
		{ "stop-on", required_argument, NULL, 'C' },
		{ "check-determinism", no_argument, NULL, 'R' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct campaign *c;
	const char *strategy_arg = NULL;
	bool have_n = false, have_seed = false, have_seeds = false, have_depth = false;
	bool have_pct_params = false;
	int swarm_flag = -1;
	uint64_t n_arg = 0, seed_arg = 0, seeds_a = 0, seeds_b = 0;
	char error[1024] = "";
	double wall;
	int opt, ret, status;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return CLI_EXIT_INTERNAL;
	c->scenario_arg = "default";
	c->jobs = 1;
	c->shard_k = 1;
	c->shard_n = 1;
	c->findings_dir = CLI_DEFAULT_FINDINGS_DIR;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:n:t:j:o:qvh", options, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case 's':
			c->scenario_arg = optarg;
			break;
		case 'n':
			if (cli_parse_u64(optarg, &n_arg) != 0)
				ret = cli_usage_error("run", "--executions: \"%s\" is not a number",
						      optarg);
			else if (n_arg < 1 || n_arg > SCENARIO_EXECUTIONS_MAX)
				ret = cli_usage_error("run", "--executions: %s is out of range 1..%llu",
						      optarg, SCENARIO_EXECUTIONS_MAX);
			have_n = true;
			break;
		case 't':
			ret = parse_time(optarg, &c->time_budget);
			break;
		case 'S':
			strategy_arg = optarg;
			if (!strategy_ok(optarg))
				ret = cli_usage_error("run",
						      "--strategy: unknown strategy \"%s\" (pct, random, dfs, rr, stress)",
						      optarg);
			break;
		case 'D':
			ret = parse_u32_flag("--pct-depth", optarg, 1, SCENARIO_PCT_DEPTH_MAX,
					     &c->pct_depth);
			have_depth = true;
			break;
		case 'N':
			ret = parse_u32_flag("--pct-threads", optarg, 1, SIM_THREAD_COUNT_MAX,
					     &c->pct_thread_count);
			have_pct_params = true;
			break;
		case 'K':
			if (cli_parse_u64(optarg, &c->pct_step_count) != 0 || c->pct_step_count == 0)
				ret = cli_usage_error("run", "--pct-steps: \"%s\" is not a number >= 1",
						      optarg);
			have_pct_params = true;
			break;
		case 'e':
			if (sim_seed_parse(optarg, &seed_arg) != 0)
				ret = cli_usage_error("run", "--seed: \"%s\" is not a seed (decimal, 0x hex or a commit hash)",
						      optarg);
			have_seed = true;
			break;
		case 'E':
			ret = parse_seeds(optarg, &seeds_a, &seeds_b);
			have_seeds = true;
			break;
		case 'j':
			ret = parse_u32_flag("--jobs", optarg, 1, JOBS_MAX, &c->jobs);
			break;
		case 'k':
			ret = parse_shard(optarg, &c->shard_k, &c->shard_n);
			break;
		case 'o':
			c->findings_dir = optarg;
			if (optarg[0] == '\0' || strlen(optarg) >= CLI_PATH_BYTES - 64)
				ret = cli_usage_error("run", "--findings: bad directory name");
			break;
		case 'W':
			swarm_flag = 0;
			break;
		case 'w':
			swarm_flag = 1;
			break;
		case 'F':
			c->stop_on_first = true;
			break;
		case 'C':
			c->stop_on = optarg;
			if (!class_known(optarg))
				ret = cli_usage_error("run",
						      "--stop-on: unknown finding class \"%s\" (e.g. lost-wake, irq-storm, liveness)",
						      optarg);
			break;
		case 'R':
			c->check_determinism = true;
			break;
		case 'q':
			c->quiet = true;
			break;
		case 'v':
			c->verbose = true;
			break;
		case 'h':
			fputs(run_usage, stdout);
			free(c);
			return CLI_EXIT_CLEAN;
		case ':':
			ret = cli_usage_error("run", "%s needs a value", argv[optind - 1]);
			break;
		default:
			ret = cli_usage_error("run", "unknown option %s", argv[optind - 1]);
			break;
		}
		if (ret != 0) {
			free(c);
			return ret;
		}
	}
	if (optind < argc) {
		free(c);
		return cli_usage_error("run", "unexpected argument \"%s\"", argv[optind]);
	}
	if (have_seeds && (have_seed || have_n)) {
		free(c);
		return cli_usage_error("run", "--seeds A..B replaces --seed and --executions");
	}
	if (c->stop_on != NULL && c->stop_on_first) {
		free(c);
		return cli_usage_error("run", "--stop-on and --stop-on-first exclude each other");
	}
	if (c->quiet && c->verbose) {
		free(c);
		return cli_usage_error("run", "--quiet and --verbose exclude each other");
	}
	ret = scenario_resolve(c->scenario_arg, &c->scenario, error, sizeof(error));
	if (ret != 0) {
		cli_error("%s", error);
		free(c);
		return CLI_EXIT_USAGE;
	}
	if (world_config_check(&c->scenario.world, error, sizeof(error)) != 0) {
		cli_error("scenario %s: %s", c->scenario_arg, error);
		free(c);
		return CLI_EXIT_USAGE;
	}
	snprintf(c->strategy, sizeof(c->strategy), "%s",
		 strategy_arg ? strategy_arg : c->scenario.strategy);
	if (!strategy_ok(c->strategy)) {
		cli_error("scenario %s: unknown strategy \"%s\"", c->scenario_arg, c->strategy);
		free(c);
		return CLI_EXIT_USAGE;
	}
	if (!have_depth)
		c->pct_depth = c->scenario.pct_depth;
	c->swarm = swarm_flag >= 0 ? swarm_flag == 1 : c->scenario.swarm;
	if (cli_strategy_is_stress(c->strategy) && c->check_determinism) {
		free(c);
		return cli_usage_error("run", "--check-determinism replays each execution; "
					      "--strategy stress records nothing to replay");
	}
	if (cli_strategy_is_stress(c->strategy) && (have_depth || have_pct_params)) {
		free(c);
		return cli_usage_error("run", "--pct-depth/--pct-threads/--pct-steps are PCT options; "
					      "--strategy stress has no scheduler to configure");
	}
	if (strcmp(c->strategy, "dfs") == 0 && (c->jobs > 1 || c->shard_n > 1)) {
		free(c);
		return cli_usage_error("run",
				       "--strategy dfs explores one tree in one process: no --jobs or --shard");
	}
	if (have_seeds) {
		c->first = seeds_a;
		c->count = seeds_b - seeds_a + 1;
		c->bounded = true;
	} else {
		c->first = have_seed ? seed_arg : c->scenario.seed;
		if (have_n || c->time_budget == 0) {
			c->count = have_n ? n_arg : c->scenario.executions;
			c->bounded = true;
			if (c->count == 0) {
				cli_error("scenario %s: executions is 0", c->scenario_arg);
				free(c);
				return CLI_EXIT_USAGE;
			}
			if (c->count - 1 > UINT64_MAX - c->first) {
				free(c);
				return cli_usage_error("run", "--seed + --executions pass 2^64");
			}
		}
	}
	if (c->bounded) {
		uint64_t k = c->shard_k - 1;

		c->shard_total = c->count > k ? (c->count - k + c->shard_n - 1) / c->shard_n : 0;
	}

	{
		const char *crash = getenv("APFSIM_TEST_CRASH_SEED");
		const char *nondet = getenv("APFSIM_TEST_NONDETERMINISM_SEED");

		if (crash != NULL && cli_parse_u64(crash, &c->crash_seed) == 0)
			c->crash_seed_set = true;
		if (nondet != NULL && cli_parse_u64(nondet, &c->nondet_seed) == 0)
			c->nondet_seed_set = true;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	c->progress_tty = isatty(STDERR_FILENO) == 1;
	if (cli_mkdir_p(c->findings_dir, error, sizeof(error)) != 0) {
		cli_error("--findings: %s", error);
		free(c);
		return CLI_EXIT_USAGE;
	}
	cli_findings_clean_stale(c->findings_dir);
	if (strcmp(c->strategy, "pct") == 0 && !have_pct_params)
		pct_calibrate(c);
	else if (strcmp(c->strategy, "pct") == 0)
		snprintf(c->strategy_detail, sizeof(c->strategy_detail), "pct d=%u n=%u k=%" PRIu64,
			 c->pct_depth ? c->pct_depth : 3u, c->pct_thread_count, c->pct_step_count);
	else
		snprintf(c->strategy_detail, sizeof(c->strategy_detail), "%s", c->strategy);

	printf("apfsim run: scenario %s, strategy %s, ", c->scenario.name, c->strategy_detail);
	if (c->bounded)
		printf("seeds %" PRIu64 "..%" PRIu64, c->first, c->first + (c->count - 1));
	else
		printf("seeds from %" PRIu64, c->first);
	if (c->shard_n > 1)
		printf(" shard %u/%u (%" PRIu64 " seeds)", c->shard_k, c->shard_n, c->shard_total);
	if (c->time_budget > 0)
		printf(", time budget %.1f s", c->time_budget);
	printf(", swarm %s", c->swarm ? "on" : "off");
	if (c->stop_on != NULL)
		printf(", stop on %s", c->stop_on);
	printf("\n");

	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_stop_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	c->start = cli_now();
	c->last_progress = c->start;
	c->deadline = c->start + c->time_budget;
	status = run_workers(c);
	wall = cli_now() - c->start;
	if (c->progress_tty && !c->quiet)
		fprintf(stderr, "\r\033[K");
	if (stop_requested)
		printf("interrupted: the summary covers the executions that ended\n");
	print_summary(c, wall);
	if (status == CLI_EXIT_CLEAN && c->totals.errors > 0)
		status = CLI_EXIT_INTERNAL;
	if (status == CLI_EXIT_CLEAN && c->totals.findings > 0)
		status = CLI_EXIT_FINDING;
	free(c);
	return status;
}

/* SPDX-License-Identifier: MIT */
/*
 * Finding directories: written atomically as they occur, read back by
 * replay, shrink and export. Layout in docs/usage.md.
 *
 * Writing: mkdtemp DIR/.tmp-<pid>-XXXXXX, every file written and fsync'ed,
 * the directory fsync'ed, renamed to DIR/<class>-seed<N>[-k], DIR fsync'ed.
 * A process killed at any moment leaves either a complete finding directory
 * or a .tmp- directory, which is never a finding and which the next run
 * removes once its process is gone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli.h"
#include "sim/trace.h"

/* A replay.sh spells the schedule out when it is at most this long. */
#define INLINE_SCHEDULE_MAX 65536u
#define FINDING_SUFFIX_MAX 1000u

int cli_mkdir_p(const char *dir, char *error, size_t error_size)
{
	char path[CLI_PATH_BYTES];
	size_t length = strlen(dir);

	if (length == 0 || length >= sizeof(path)) {
		snprintf(error, error_size, "bad directory name \"%s\"", dir);
		return -EINVAL;
	}
	memcpy(path, dir, length + 1);
	for (size_t i = 1; i <= length; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char saved = path[i];

		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			int err = errno;

			snprintf(error, error_size, "cannot create directory %s: %s", path,
				 strerror(err));
			return -err;
		}
		path[i] = saved;
	}
	struct stat st;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(error, error_size, "%s is not a directory", dir);
		return -ENOTDIR;
	}
	return 0;
}

static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) != 0 && errno != EINVAL)
		ret = -errno;
	close(fd);
	return ret;
}

/* Close a file written in the temporary directory, flushing it to disk. */
static int close_synced(FILE *file)
{
	int ret = 0;

	if (fflush(file) != 0 || ferror(file))
		ret = -(errno != 0 ? errno : EIO);
	if (ret == 0 && fsync(fileno(file)) != 0)
		ret = -errno;
	if (fclose(file) != 0 && ret == 0)
		ret = -(errno != 0 ? errno : EIO);
	return ret;
}

static void remove_tree_flat(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *entry;
	char child[CLI_PATH_BYTES + 256];

	if (d != NULL) {
		while ((entry = readdir(d)) != NULL) {
			if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, entry->d_name);
			unlink(child);
		}
		closedir(d);
	}
	rmdir(path);
}

void cli_findings_clean_stale(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *entry;
	char path[CLI_PATH_BYTES + 256];

	if (d == NULL)
		return;
	while ((entry = readdir(d)) != NULL) {
		char *end = NULL;
		long pid;

		if (strncmp(entry->d_name, ".tmp-", 5) != 0)
			continue;
		pid = strtol(entry->d_name + 5, &end, 10);
		if (end == entry->d_name + 5 || *end != '-' || pid <= 0 || pid > INT_MAX)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* its process may still be writing it */
		snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
		remove_tree_flat(path);
	}
	closedir(d);
}

static void class_for_path(const char *class_name, char *out, size_t size)
{
	size_t n = 0;

	for (const char *c = class_name; *c != '\0' && n + 1 < size; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			  (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';

		out[n++] = ok ? *c : '_';
	}
	if (n == 0 && size > 1)
		out[n++] = 'x';
	out[n] = '\0';
}

static FILE *open_in(const char *dir, const char *name, char *error, size_t error_size)
{
	char path[CLI_PATH_BYTES + 128];
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	file = fopen(path, "w");
	if (file == NULL)
		snprintf(error, error_size, "cannot create %s: %s", path, strerror(errno));
	return file;
}

static void write_finding_txt(FILE *f, const struct cli_exec *exec, uint64_t seed,
			      const struct cli_finding_meta *meta, const char *final_hint)
{
	const struct sim_result *result = sim_result(world_sim(exec->world));
	uint32_t kept = result->finding_count < SIM_FINDING_COUNT_MAX ? result->finding_count
								      : SIM_FINDING_COUNT_MAX;
	const struct sim_finding *first = &result->findings[0];

	if (meta->class_override != NULL) {
		fprintf(f, "class: %s\n", meta->class_override);
		fprintf(f, "message: %s\n", meta->message_override ? meta->message_override : "");
		fprintf(f, "location: ?:0\n");
		fprintf(f, "seed: %llu\n", (unsigned long long)seed);
		fprintf(f, "step: %llu\n", (unsigned long long)result->step_count);
		fprintf(f, "tick: %llu\n", (unsigned long long)result->tick);
		fprintf(f, "thread: %u\n", SIM_THREAD_NONE);
	} else {
		fprintf(f, "class: %s\n", first->class_name);
		fprintf(f, "message: %s\n", first->message);
		fprintf(f, "location: %s:%d\n", first->file ? first->file : "?", first->line);
		fprintf(f, "seed: %llu\n", (unsigned long long)seed);
		fprintf(f, "step: %llu\n", (unsigned long long)first->step);
		fprintf(f, "tick: %llu\n", (unsigned long long)first->tick);
		fprintf(f, "thread: %u\n", first->thread_id);
	}
	fprintf(f, "swarm: %s\n", meta->swarm ? "on" : "off");
	fprintf(f, "banner: %s\n", exec->banner);
	fprintf(f, "strategy: %s\n", meta->strategy);
	if (meta->strategy_detail != NULL)
		fprintf(f, "strategy-detail: %s\n", meta->strategy_detail);
	fprintf(f, "scenario: %s\n", meta->scenario->name);
	if (strcmp(meta->strategy, "pct") == 0 && meta->pct_step_count != 0)
		fprintf(f, "rerun: apfsim run -s scenario.json --pct-threads %u --pct-steps %llu\n",
			meta->pct_thread_count, (unsigned long long)meta->pct_step_count);
	else if (cli_strategy_is_stress(meta->strategy))
		fprintf(f, "rerun: apfsim run -s scenario.json --strategy stress\n");
	else
		fprintf(f, "rerun: apfsim run -s scenario.json\n");
	fprintf(f, "origin: %s\n", meta->origin ? meta->origin : "run");
	fprintf(f, "steps: %llu\n", (unsigned long long)result->step_count);
	fprintf(f, "decisions: %llu\n", (unsigned long long)result->decision_count);
	fprintf(f, "findings: %u\n", result->finding_count);
	for (uint32_t i = 0; i < kept; i++) {
		const struct sim_finding *fi = &result->findings[i];

		fprintf(f, "finding %u: %s at %s:%d step %llu tick %llu thread %u: %s\n", i + 1,
			fi->class_name, fi->file ? fi->file : "?", fi->line,
			(unsigned long long)fi->step, (unsigned long long)fi->tick, fi->thread_id,
			fi->message);
	}
	fprintf(f, "replay: %s\n", final_hint);
}

static void self_path(char *out, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", out, size - 1);

	if (n <= 0)
		snprintf(out, size, "apfsim");
	else
		out[n] = '\0';
}

static void write_replay_sh(FILE *f, uint64_t seed, const char *schedule_text)
{
	char exe[PATH_MAX];

	self_path(exe, sizeof(exe));
	fprintf(f, "#!/bin/sh\n");
	fprintf(f, "# Replays this finding deterministically (exit status 1: reproduced).\n");
	fprintf(f, "# Add --trace FILE / --perfetto FILE for the full trace.\n");
	fprintf(f, "APFSIM=${APFSIM:-%s}\n", exe);
	fprintf(f, "exec \"$APFSIM\" replay \"$(dirname \"$0\")\" \"$@\"\n");
	fprintf(f, "# The same without the directory layout (from inside it):\n");
	if (schedule_text != NULL && strlen(schedule_text) <= INLINE_SCHEDULE_MAX)
		fprintf(f, "#   apfsim replay --scenario scenario.json --seed %llu --schedule %s\n",
			(unsigned long long)seed, schedule_text);
	else
		fprintf(f, "#   apfsim replay --scenario scenario.json --seed %llu --schedule schedule.txt\n",
			(unsigned long long)seed);
}

/* A stress finding has no schedule: re-run its seed under stress. */
static void write_rerun_sh(FILE *f)
{
	char exe[PATH_MAX];

	self_path(exe, sizeof(exe));
	fprintf(f, "#!/bin/sh\n");
	fprintf(f, "# Found under stress (real threads in an order nobody recorded): there is\n"
		   "# no schedule to replay. This re-runs the seed under stress, which may or\n"
		   "# may not show the finding again; look for it with a controlled strategy\n"
		   "# (apfsim run -s scenario.json) to get a replayable one.\n");
	fprintf(f, "APFSIM=${APFSIM:-%s}\n", exe);
	fprintf(f, "d=$(dirname \"$0\")\n");
	fprintf(f, "exec \"$APFSIM\" run -s \"$d/scenario.json\" --strategy stress --jobs 1 -o \"$d/rerun\" \"$@\"\n");
}

static int write_files(const char *tmp, const struct cli_exec *exec, uint64_t seed,
		       const struct cli_finding_meta *meta, char *error, size_t error_size)
{
	bool stress = cli_strategy_is_stress(meta->strategy);
	struct sim *sim = world_sim(exec->world);
	const struct sim_schedule *schedule =
		meta->schedule_override ? meta->schedule_override : sim_recorded_schedule(sim);
	const struct sim_result *result = sim_result(sim);
	struct scenario stored = *meta->scenario;
	char *json = NULL, *schedule_text = NULL;
	FILE *f;
	int ret;

	stored.seed = seed;
	stored.executions = 1;
	stored.swarm = meta->swarm;
	/* "stress" is not a scenario strategy: the scenario keeps its own. */
	if (strlen(meta->strategy) < sizeof(stored.strategy) && strcmp(meta->strategy, "replay") != 0 &&
	    !stress)
		snprintf(stored.strategy, sizeof(stored.strategy), "%s", meta->strategy);
	ret = scenario_to_json(&stored, &json);
	if (ret != 0) {
		snprintf(error, error_size, "scenario_to_json: %s", strerror(-ret));
		return ret;
	}
	schedule_text = sim_schedule_encode(schedule);

	/* finding.txt */
	f = open_in(tmp, "finding.txt", error, error_size);
	if (f == NULL)
		goto fail_errno;
	write_finding_txt(f, exec, seed, meta,
			  stress ? "none: found under stress, no schedule (replay.sh re-runs the seed under stress)"
				 : "apfsim replay <this directory> (see replay.sh)");
	if ((ret = close_synced(f)) != 0)
		goto fail_write;

	/* schedule.txt: the file form (docs/schedule-format.md) */
	if (stress)
		goto scenario;
	f = open_in(tmp, "schedule.txt", error, error_size);
	if (f == NULL)
		goto fail_errno;
	fprintf(f, "# finding: %s\n",
		meta->class_override ? meta->class_override : result->findings[0].class_name);
	ret = sim_schedule_write_file(f, schedule, seed);
	if (ret != 0) {
		fclose(f);
		goto fail_write;
	}
	if ((ret = close_synced(f)) != 0)
		goto fail_write;

scenario:
	/* scenario.json */
	f = open_in(tmp, "scenario.json", error, error_size);
	if (f == NULL)
		goto fail_errno;
	fputs(json, f);
	if (json[0] != '\0' && json[strlen(json) - 1] != '\n')
		fputc('\n', f);
	if ((ret = close_synced(f)) != 0)
		goto fail_write;

	/* trace.txt and trace.json */
	f = open_in(tmp, "trace.txt", error, error_size);
	if (f == NULL)
		goto fail_errno;
	ret = sim_trace_export_text(sim, f);
	if (ret != 0) {
		fclose(f);
		goto fail_write;
	}
	if ((ret = close_synced(f)) != 0)
		goto fail_write;
	f = open_in(tmp, "trace.json", error, error_size);
	if (f == NULL)
		goto fail_errno;
	ret = sim_trace_export_perfetto(sim, f);
	if (ret != 0) {
		fclose(f);
		goto fail_write;
	}
	if ((ret = close_synced(f)) != 0)
		goto fail_write;

	/* replay.sh */
	f = open_in(tmp, "replay.sh", error, error_size);
	if (f == NULL)
		goto fail_errno;
	if (stress)
		write_rerun_sh(f);
	else
		write_replay_sh(f, seed, schedule_text);
	if ((ret = close_synced(f)) != 0)
		goto fail_write;
	{
		char path[CLI_PATH_BYTES + 128];

		snprintf(path, sizeof(path), "%s/replay.sh", tmp);
		chmod(path, 0755);
	}
	free(json);
	free(schedule_text);
	return 0;

fail_errno:
	ret = -errno;
	free(json);
	free(schedule_text);
	return ret != 0 ? ret : -EIO;
fail_write:
	snprintf(error, error_size, "writing the finding in %s: %s", tmp, strerror(-ret));
	free(json);
	free(schedule_text);
	return ret;
}

/* Rename the complete @tmp to DIR/<class>-seed<N>[-k] and sync DIR. */
static int publish(const char *dir, const char *tmp, const char *class_raw, uint64_t seed,
		   char *out_path, size_t out_size, char *error, size_t error_size)
{
	char final[CLI_PATH_BYTES + 128];
	char class_name[CLI_CLASS_BYTES];
	int ret = fsync_path(tmp);

	if (ret != 0) {
		snprintf(error, error_size, "fsync %s: %s", tmp, strerror(-ret));
		remove_tree_flat(tmp);
		return ret;
	}
	class_for_path(class_raw, class_name, sizeof(class_name));
	for (uint32_t k = 1; k <= FINDING_SUFFIX_MAX; k++) {
		if (k == 1)
			snprintf(final, sizeof(final), "%s/%s-seed%llu", dir, class_name,
				 (unsigned long long)seed);
		else
			snprintf(final, sizeof(final), "%s/%s-seed%llu-%u", dir, class_name,
				 (unsigned long long)seed, k);
		if (rename(tmp, final) == 0) {
			fsync_path(dir);
			snprintf(out_path, out_size, "%s", final);
			return 0;
		}
		if (errno != EEXIST && errno != ENOTEMPTY) {
			ret = -errno;
			snprintf(error, error_size, "rename %s to %s: %s", tmp, final,
				 strerror(errno));
			remove_tree_flat(tmp);
			return ret;
		}
	}
	snprintf(error, error_size, "%s: %u findings of class %s for seed %llu already", dir,
		 FINDING_SUFFIX_MAX, class_name, (unsigned long long)seed);
	remove_tree_flat(tmp);
	return -EEXIST;
}

static int make_tmp(const char *dir, char *tmp, size_t size, char *error, size_t error_size)
{
	int ret = cli_mkdir_p(dir, error, error_size);

	if (ret != 0)
		return ret;
	snprintf(tmp, size, "%s/.tmp-%ld-XXXXXX", dir, (long)getpid());
	if (mkdtemp(tmp) == NULL) {
		ret = -errno;
		snprintf(error, error_size, "cannot create %s: %s", tmp, strerror(errno));
		return ret;
	}
	chmod(tmp, 0755); /* mkdtemp makes it 0700 */
	return 0;
}

int cli_finding_write(const char *dir, const struct cli_exec *exec, uint64_t seed,
		      const struct cli_finding_meta *meta, char *out_path, size_t out_size,
		      char *error, size_t error_size)
{
	const struct sim_result *result = sim_result(world_sim(exec->world));
	char tmp[CLI_PATH_BYTES + 64];
	int ret;

	if (result->finding_count == 0 && meta->class_override == NULL) {
		snprintf(error, error_size, "no finding to write");
		return -EINVAL;
	}
	ret = make_tmp(dir, tmp, sizeof(tmp), error, error_size);
	if (ret != 0)
		return ret;
	ret = write_files(tmp, exec, seed, meta, error, error_size);
	if (ret != 0) {
		if (error[0] == '\0')
			snprintf(error, error_size, "writing %s: %s", tmp, strerror(-ret));
		remove_tree_flat(tmp);
		return ret;
	}
	return publish(dir, tmp,
		       meta->class_override ? meta->class_override : result->findings[0].class_name,
		       seed, out_path, out_size, error, error_size);
}

int cli_crash_write(const char *dir, uint64_t seed, const struct cli_finding_meta *meta,
		    const char *message, uint32_t pct_thread_count, uint64_t pct_step_count,
		    char *out_path, size_t out_size, char *error, size_t error_size)
{
	struct scenario stored = *meta->scenario;
	struct cli_exec_params params = { .scenario = meta->scenario, .seed = seed,
					  .swarm = meta->swarm };
	struct world_config config;
	char banner[CLI_BANNER_BYTES], pct[96] = "", exe[PATH_MAX];
	char tmp[CLI_PATH_BYTES + 64];
	char *json = NULL;
	FILE *f;
	int ret;

	cli_exec_config(&params, &config);
	world_swarm_banner(&config, banner, sizeof(banner));
	if (strcmp(meta->strategy, "pct") == 0)
		snprintf(pct, sizeof(pct), " --pct-threads %u --pct-steps %llu", pct_thread_count,
			 (unsigned long long)pct_step_count);
	stored.seed = seed;
	stored.executions = 1;
	stored.swarm = meta->swarm;
	snprintf(stored.strategy, sizeof(stored.strategy), "%s", meta->strategy);
	ret = scenario_to_json(&stored, &json);
	if (ret != 0) {
		snprintf(error, error_size, "scenario_to_json: %s", strerror(-ret));
		return ret;
	}
	ret = make_tmp(dir, tmp, sizeof(tmp), error, error_size);
	if (ret != 0) {
		free(json);
		return ret;
	}
	f = open_in(tmp, "finding.txt", error, error_size);
	if (f == NULL)
		goto fail;
	fprintf(f, "class: %s\nmessage: %s\nlocation: ?:0\nseed: %llu\nswarm: %s\nbanner: %s\n",
		CLI_FINDING_CRASH, message, (unsigned long long)seed, meta->swarm ? "on" : "off",
		banner);
	fprintf(f, "strategy: %s\n", meta->strategy);
	if (meta->strategy_detail != NULL)
		fprintf(f, "strategy-detail: %s\n", meta->strategy_detail);
	fprintf(f, "scenario: %s\norigin: %s\n", meta->scenario->name,
		meta->origin ? meta->origin : "run");
	fprintf(f, "replay: no schedule (the process died): replay.sh re-runs the seed\n");
	if ((ret = close_synced(f)) != 0)
		goto fail_write;
	f = open_in(tmp, "scenario.json", error, error_size);
	if (f == NULL)
		goto fail;
	fprintf(f, "%s\n", json);
	if ((ret = close_synced(f)) != 0)
		goto fail_write;
	f = open_in(tmp, "replay.sh", error, error_size);
	if (f == NULL)
		goto fail;
	self_path(exe, sizeof(exe));
	fprintf(f, "#!/bin/sh\n# Re-runs the seed that crashed, with the same strategy (a crash has no\n"
		   "# recorded schedule). The crash shows on stderr.\nAPFSIM=${APFSIM:-%s}\n"
		   "d=$(dirname \"$0\")\n"
		   "exec \"$APFSIM\" run -s \"$d/scenario.json\" --jobs 1 -o \"$d/rerun\"%s \"$@\"\n",
		exe, pct);
	if ((ret = close_synced(f)) != 0)
		goto fail_write;
	{
		char path[CLI_PATH_BYTES + 128];

		snprintf(path, sizeof(path), "%s/replay.sh", tmp);
		chmod(path, 0755);
	}
	free(json);
	return publish(dir, tmp, CLI_FINDING_CRASH, seed, out_path, out_size, error, error_size);
fail:
	ret = -EIO;
	goto out;
fail_write:
	snprintf(error, error_size, "writing the finding in %s: %s", tmp, strerror(-ret));
out:
	free(json);
	remove_tree_flat(tmp);
	return ret;
}

/* ---- Reading ---- */

static int read_finding_txt(const char *path, struct cli_finding_dir *out, char *error,
			    size_t error_size)
{
	char file_path[CLI_PATH_BYTES + 64];
	char line[1024];
	FILE *f;
	bool have_class = false, have_seed = false;

	snprintf(file_path, sizeof(file_path), "%s/finding.txt", path);
	f = fopen(file_path, "r");
	if (f == NULL) {
		int err = errno;

		snprintf(error, error_size, "%s: %s (is %s a finding directory?)", file_path,
			 strerror(err), path);
		return -err;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t n = strlen(line);

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (strncmp(line, "class: ", 7) == 0 && !have_class) {
			if (strlen(line + 7) == 0 || strlen(line + 7) >= sizeof(out->class_name))
				break;
			snprintf(out->class_name, sizeof(out->class_name), "%s", line + 7);
			have_class = true;
		} else if (strncmp(line, "seed: ", 6) == 0 && !have_seed) {
			if (cli_parse_u64(line + 6, &out->seed) != 0) {
				fclose(f);
				snprintf(error, error_size, "%s: bad seed line \"%s\"", file_path,
					 line);
				return -EINVAL;
			}
			have_seed = true;
		} else if (strncmp(line, "swarm: ", 7) == 0) {
			out->swarm = strcmp(line + 7, "on") == 0;
		} else if (strncmp(line, "strategy: ", 10) == 0) {
			snprintf(out->strategy, sizeof(out->strategy), "%.15s", line + 10);
		}
	}
	fclose(f);
	if (!have_class || !have_seed) {
		snprintf(error, error_size, "%s: no valid \"%s\" line", file_path,
			 have_class ? "seed:" : "class:");
		return -EINVAL;
	}
	return 0;
}

int cli_finding_read(const char *path, struct cli_finding_dir *out, char *error,
		     size_t error_size)
{
	char file_path[CLI_PATH_BYTES + 64];
	char reason[256];
	uint64_t schedule_seed = 0;
	FILE *f;
	int ret;

	memset(out, 0, sizeof(*out));
	sim_schedule_init(&out->schedule);
	if (strlen(path) >= CLI_PATH_BYTES) {
		snprintf(error, error_size, "path too long: %s", path);
		return -ENAMETOOLONG;
	}
	ret = read_finding_txt(path, out, error, error_size);
	if (ret != 0)
		return ret;
	snprintf(file_path, sizeof(file_path), "%s/scenario.json", path);
	ret = scenario_load_file(file_path, &out->scenario, error, error_size);
	if (ret != 0)
		return ret;
	snprintf(file_path, sizeof(file_path), "%s/schedule.txt", path);
	f = fopen(file_path, "r");
	if (f == NULL) {
		ret = -errno;
		if (strcmp(out->class_name, CLI_FINDING_CRASH) == 0)
			snprintf(error, error_size,
				 "%s is a crash finding: it has no schedule; its replay.sh re-runs the seed",
				 path);
		else if (cli_strategy_is_stress(out->strategy))
			snprintf(error, error_size,
				 "%s was found under stress: it has no schedule; its replay.sh re-runs the seed under stress",
				 path);
		else
			snprintf(error, error_size, "%s: %s", file_path, strerror(errno));
		return ret;
	}
	reason[0] = '\0';
	ret = sim_schedule_read_file(f, &out->schedule, &schedule_seed, reason, sizeof(reason));
	fclose(f);
	if (ret != 0) {
		snprintf(error, error_size, "%s: %s", file_path, reason);
		return ret;
	}
	if (schedule_seed != out->seed) {
		snprintf(error, error_size,
			 "%s: seed %llu does not match finding.txt's seed %llu", file_path,
			 (unsigned long long)schedule_seed, (unsigned long long)out->seed);
		sim_schedule_fini(&out->schedule);
		return -EINVAL;
	}
	return 0;
}

struct cli_finding_dir *cli_finding_load(const char *path, int *ret, char *error,
					 size_t error_size)
{
	struct cli_finding_dir *finding = calloc(1, sizeof(*finding));

	if (finding == NULL) {
		snprintf(error, error_size, "out of memory");
		*ret = -ENOMEM;
		return NULL;
	}
	*ret = cli_finding_read(path, finding, error, error_size);
	if (*ret != 0) {
		cli_finding_free(finding);
		return NULL;
	}
	return finding;
}

void cli_finding_free(struct cli_finding_dir *finding)
{
	if (finding == NULL)
		return;
	cli_finding_dir_fini(finding);
	free(finding);
}

void cli_finding_dir_fini(struct cli_finding_dir *finding)
{
	sim_schedule_fini(&finding->schedule);
}

int cli_schedule_parse(const char *text, struct sim_schedule *out, char *error,
		       size_t error_size)
{
	char reason[256] = "";
	uint64_t seed = 0;
	FILE *f;
	int ret;

	sim_schedule_init(out);
	if (strncmp(text, "apfs", 4) == 0) {
		ret = sim_schedule_decode(text, out, reason, sizeof(reason));
		if (ret != 0)
			snprintf(error, error_size, "--schedule: %s", reason);
		return ret;
	}
	f = fopen(text, "r");
	if (f == NULL) {
		snprintf(error, error_size,
			 "--schedule: \"%.64s\" is neither an apfs1 string nor a readable file (%s)",
			 text, strerror(errno));
		return -EINVAL;
	}
	ret = sim_schedule_read_file(f, out, &seed, reason, sizeof(reason));
	fclose(f);
	if (ret != 0)
		snprintf(error, error_size, "--schedule %s: %s", text, reason);
	return ret;
}

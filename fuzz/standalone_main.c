// SPDX-License-Identifier: MIT
/*
 * Standalone driver: runs a fuzz target's LLVMFuzzerTestOneInput() on files,
 * without libFuzzer. Used by the fuzz-smoke ctests (corpus replay in normal
 * gcc builds), by AFL++ (`afl-fuzz ... -- target @@`) and to reproduce a
 * crash: `fuzz_xenshim crash-1234` (see docs/fuzzing.md).
 *
 *   target [-v] [-libfuzzer-style-flag ...] path...
 *
 * Each path is a file or a directory; a directory's regular files are run in
 * name order (not recursively). With no path the input is read from stdin.
 * Arguments starting with '-' other than -v are ignored, so a libFuzzer
 * command line (e.g. `-runs=1 crash-file`) also works. Every input is copied
 * into a buffer of exactly its size, so ASan and valgrind see overreads.
 * Exit: 0 when every input ran (a property violation aborts), 2 on I/O error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_cursor.h"

/* Inputs above this are refused (libFuzzer's default -max_len is far below). */
#define STANDALONE_INPUT_MAX (16u << 20)
#define STANDALONE_DIR_ENTRIES_MAX 100000u

static int verbose;

static int read_stream(FILE *file, const char *name, uint8_t **out, size_t *size_out)
{
	size_t capacity = 4096, size = 0;
	uint8_t *buf = malloc(capacity);

	if (buf == NULL)
		return -ENOMEM;
	for (;;) {
		size_t n;

		if (size == capacity) {
			uint8_t *bigger;

			if (capacity >= STANDALONE_INPUT_MAX) {
				fprintf(stderr, "standalone: %s: larger than %u bytes\n", name,
					STANDALONE_INPUT_MAX);
				free(buf);
				return -EFBIG;
			}
			capacity *= 2;
			bigger = realloc(buf, capacity);
			if (bigger == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
		}
		n = fread(buf + size, 1, capacity - size, file);
		size += n;
		if (n == 0)
			break;
	}
	if (ferror(file)) {
		fprintf(stderr, "standalone: %s: read error\n", name);
		free(buf);
		return -EIO;
	}
	*out = buf;
	*size_out = size;
	return 0;
}

static int run_one(FILE *file, const char *name)
{
	uint8_t *buf = NULL, *exact;
	size_t size = 0;
	int ret = read_stream(file, name, &buf, &size);

	if (ret != 0)
		return ret;
	/* An exact-size copy (malloc(0) may return NULL: use 1 byte then). */
	exact = malloc(size > 0 ? size : 1);
	if (exact == NULL) {
		free(buf);
		return -ENOMEM;
	}
	memcpy(exact, buf, size);
	free(buf);
	if (verbose)
		fprintf(stderr, "standalone: running %s (%zu bytes)\n", name, size);
	LLVMFuzzerTestOneInput(exact, size);
	free(exact);
	return 0;
}

static int run_file(const char *path)
{
	FILE *file = fopen(path, "rb");
	int ret;

	if (file == NULL) {
		fprintf(stderr, "standalone: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	ret = run_one(file, path);
	fclose(file);
	return ret;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int keep_entry(const struct dirent *entry)
{
	return entry->d_name[0] != '.';
}

static int run_dir(const char *path, unsigned long *count)
{
	struct dirent **entries = NULL;
	int n = scandir(path, &entries, keep_entry, by_name);
	int ret = 0;

	if (n < 0) {
		fprintf(stderr, "standalone: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	if ((unsigned int)n > STANDALONE_DIR_ENTRIES_MAX) {
		fprintf(stderr, "standalone: %s: more than %u entries\n", path,
			STANDALONE_DIR_ENTRIES_MAX);
		ret = -E2BIG;
	}
	for (int i = 0; i < n; i++) {
		char child[4096];
		struct stat st;

		if (ret == 0 &&
		    snprintf(child, sizeof(child), "%s/%s", path, entries[i]->d_name) <
			    (int)sizeof(child) &&
		    stat(child, &st) == 0 && S_ISREG(st.st_mode)) {
			ret = run_file(child);
			if (ret == 0)
				(*count)++;
		}
		free(entries[i]);
	}
	free(entries);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	int paths = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		int ret;

		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
			continue;
		}
		if (argv[i][0] == '-')
			continue; /* a libFuzzer flag */
		paths++;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "standalone: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if (S_ISDIR(st.st_mode)) {
			ret = run_dir(argv[i], &count);
		} else {
			ret = run_file(argv[i]);
			count += ret == 0;
		}
		if (ret != 0)
			return 2;
	}
	if (paths == 0) {
		if (run_one(stdin, "<stdin>") != 0)
			return 2;
		count++;
	}
	fprintf(stderr, "standalone: %lu input(s) ran without a failure\n", count);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the scenario file parser (apfsim/scenario.c,
 * docs/scenario-format.md) on arbitrary bytes.
 *
 * Input: the bytes are the file's text, given to scenario_parse() as they
 * are (no NUL terminator: the parser takes a length).
 *
 * Properties (a violation aborts with a message):
 *   - scenario_parse() returns 0 or -EINVAL; on -EINVAL the message is
 *     non-empty, NUL-terminated and starts with the origin ("f.json: ");
 *   - on success the scenario passes world_config_check(), and its
 *     canonical JSON (scenario_to_json()) parses back to a byte-identical
 *     struct scenario, whose canonical JSON is the same text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_cursor.h"
#include "scenario.h"

#define ERROR_SIZE 512u
#define ORIGIN "f.json"

#define FUZZ_FAIL(...)                                                        \
	do {                                                                  \
		fprintf(stderr, "fuzz_scenario_parse: property violated: ");  \
		fprintf(stderr, __VA_ARGS__);                                 \
		fputc('\n', stderr);                                          \
		abort();                                                      \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario s, again;
	char error[ERROR_SIZE], check[ERROR_SIZE];
	char *json = NULL, *json_again = NULL;
	int ret;

	if (size > SCENARIO_FILE_BYTES_MAX)
		return 0;
	memset(error, 0x55, sizeof(error));
	ret = scenario_parse((const char *)data, size, ORIGIN, &s, error, sizeof(error));
	if (ret != 0) {
		if (ret != -EINVAL)
			FUZZ_FAIL("scenario_parse returned %d, not 0 or -EINVAL", ret);
		if (memchr(error, '\0', sizeof(error)) == NULL)
			FUZZ_FAIL("the error message is not NUL-terminated");
		if (strncmp(error, ORIGIN ": ", strlen(ORIGIN) + 2) != 0 ||
		    strlen(error) <= strlen(ORIGIN) + 2)
			FUZZ_FAIL("the error message \"%s\" does not name the origin and a reason",
				  error);
		return 0;
	}
	if (world_config_check(&s.world, check, sizeof(check)) != 0)
		FUZZ_FAIL("a parsed scenario fails world_config_check: %s", check);
	ret = scenario_to_json(&s, &json);
	if (ret != 0)
		FUZZ_FAIL("scenario_to_json of a parsed scenario returned %d", ret);
	ret = scenario_parse(json, strlen(json), ORIGIN, &again, error, sizeof(error));
	if (ret != 0)
		FUZZ_FAIL("the canonical JSON does not parse: %s\n%s", error, json);
	if (memcmp(&s, &again, sizeof(s)) != 0)
		FUZZ_FAIL("the canonical JSON parses to another scenario:\n%s", json);
	ret = scenario_to_json(&again, &json_again);
	if (ret != 0 || strcmp(json, json_again) != 0)
		FUZZ_FAIL("the canonical JSON is not a fixed point:\n%s", json);
	free(json);
	free(json_again);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Goal: prove that the project's valgrind options fail a run on a leak.
 * Method: with argument "leak", lose a 64-byte allocation; without it, free
 * everything. ctest runs both under valgrind with MEMORYCHECK_COMMAND_OPTIONS:
 * the leaking run must fail, the clean control must pass.
 */
#include <stdlib.h>
#include <string.h>

static void *volatile sink;

int main(int argc, char **argv)
{
	sink = malloc(64);
	if (sink == NULL)
		return 2;
	memset(sink, 0xa5, 64);
	if (argc > 1 && strcmp(argv[1], "leak") == 0) {
		sink = NULL; /* the only pointer is gone: a definite leak */
		return 0;
	}
	free(sink);
	sink = NULL;
	return 0;
}

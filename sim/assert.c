// SPDX-License-Identifier: MIT
/* Always-on assertion failure path. */
#include <stdio.h>
#include <stdlib.h>

#include "sim/assert.h"

_Noreturn void sim_assert_fail(const char *expr, const char *file, int line,
			       const char *func)
{
	fprintf(stderr, "apfsim: assertion failed: %s (%s:%d, %s)\n", expr,
		file, line, func);
	fflush(stderr);
	abort();
}

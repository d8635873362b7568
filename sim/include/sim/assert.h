/* SPDX-License-Identifier: MIT */
/*
 * Always-on assertions for the simulator, xenshim and tests.
 *
 * SIM_ASSERT never depends on NDEBUG: a programmer error in the simulator must
 * stop the run in every build type. Operating errors (bad input, exhausted
 * configuration) are returned as negative errno values instead.
 */
#ifndef SIM_ASSERT_H
#define SIM_ASSERT_H

_Noreturn void sim_assert_fail(const char *expr, const char *file, int line,
			       const char *func);

#define SIM_ASSERT(cond)                                                     \
	do {                                                                 \
		if (__builtin_expect(!(cond), 0))                            \
			sim_assert_fail(#cond, __FILE__, __LINE__, __func__); \
	} while (0)

/* Marks a condition that may legally be either true or false. */
#define SIM_MAYBE(cond) ((void)(cond))

/* Compile-time assertion with the reason as a string. */
#define SIM_STATIC_ASSERT(cond, why) _Static_assert(cond, why)

#endif /* SIM_ASSERT_H */

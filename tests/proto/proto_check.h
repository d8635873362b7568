/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the proto/ cross-check tests: compare one of our constants or
 * layouts with the reference header's, and name both on failure.
 *
 * Include after <cmocka.h>. Our names are PROTO_<upstream name>, so most
 * checks are PROTO_CHECK(UPSTREAM_NAME); tests/proto/check_coverage.sh relies
 * on that spelling to prove that every shared name is checked.
 */
#ifndef PROTO_TEST_CHECK_H
#define PROTO_TEST_CHECK_H

/* ctest SKIP_RETURN_CODE of the cross-check tests (the automake convention). */
#define PROTO_TEST_SKIP_RC 77

/* 1 for a signed integer type after the usual promotions, else 0. */
#define PROTO_IS_SIGNED(x)                                                         \
	_Generic((x) + 0, int: 1, long: 1, long long: 1, unsigned int: 0,           \
		 unsigned long: 0, unsigned long long: 0)

static inline void proto_check_equal(long long ours, long long ref, int ours_signed,
				     int ref_signed, const char *ours_name, const char *ref_name,
				     const char *file, int line)
{
	if (ours != ref) {
		print_error("%s = %lld (0x%llx), but the reference %s = %lld (0x%llx)\n",
			    ours_name, ours, (unsigned long long)ours, ref_name, ref,
			    (unsigned long long)ref);
		_fail(file, line);
	}
	if (ours_signed != ref_signed) {
		print_error("%s is %s but the reference %s is %s\n", ours_name,
			    ours_signed ? "signed" : "unsigned", ref_name,
			    ref_signed ? "signed" : "unsigned");
		_fail(file, line);
	}
}

static inline void proto_check_differs(long long ours, long long ref, const char *ours_name,
				       const char *ref_name, const char *file, int line)
{
	if (ours == ref) {
		print_error("%s and %s should differ (different ABIs) but both are %lld\n",
			    ours_name, ref_name, ours);
		_fail(file, line);
	}
}

/* Value and signedness of two constants. */
#define PROTO_CHECK_EQ(ours, ref)                                                       \
	proto_check_equal((long long)(ours), (long long)(ref), PROTO_IS_SIGNED(ours), \
			  PROTO_IS_SIGNED(ref), #ours, #ref, __FILE__, __LINE__)

/* PROTO_<name> against the reference header's <name>. */
#define PROTO_CHECK(name)                                                         \
	proto_check_equal((long long)(PROTO_##name), (long long)(name),            \
			  PROTO_IS_SIGNED(PROTO_##name), PROTO_IS_SIGNED(name),     \
			  "PROTO_" #name, #name, __FILE__, __LINE__)

/* A name both define on purpose with different values (documented ABI split). */
#define PROTO_CHECK_DIFFERS(name, ours_value, ref_value)                          \
	do {                                                                       \
		PROTO_CHECK_EQ(PROTO_##name, ours_value);                          \
		PROTO_CHECK_EQ(name, ref_value);                                   \
		proto_check_differs((long long)(PROTO_##name), (long long)(name),  \
				    "PROTO_" #name, #name, __FILE__, __LINE__);    \
	} while (0)

/* Size and alignment of two struct types. */
#define PROTO_CHECK_STRUCT(ours, ref)                             \
	do {                                                       \
		PROTO_CHECK_EQ(sizeof(ours), sizeof(ref));         \
		PROTO_CHECK_EQ(_Alignof(ours), _Alignof(ref));     \
	} while (0)

/* Offset and size of a member that has a different name on each side. */
#define PROTO_CHECK_MEMBER2(ours, ours_member, ref, ref_member)                         \
	do {                                                                             \
		PROTO_CHECK_EQ(__builtin_offsetof(ours, ours_member),                    \
			       __builtin_offsetof(ref, ref_member));                     \
		PROTO_CHECK_EQ(sizeof(((ours *)0)->ours_member),                         \
			       sizeof(((ref *)0)->ref_member));                          \
	} while (0)

/* Offset and size of a member with the same name on both sides. */
#define PROTO_CHECK_MEMBER(ours, ref, member) PROTO_CHECK_MEMBER2(ours, member, ref, member)

#endif /* PROTO_TEST_CHECK_H */

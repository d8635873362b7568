// SPDX-License-Identifier: MIT
/*
 * Goal: the hypercall page has the documented geometry (128 stubs of 32
 * bytes in one 4096-byte page, stub n at n * 32), every stub reaches the
 * entry with its own number and the caller's five argument registers
 * unchanged, results come back as sign-extended 64-bit values, bad stub
 * addresses are refused before anything is called, and pages are freed with
 * their last reference. On x86-64 also: the exact stub and trampoline bytes,
 * the mapping is r-x (never writable and executable), and the stubs preserve
 * every general-purpose register except rax.
 * Method: a recording entry; calls through xenshim_page_call() /
 * xenshim_stub_call() (the real machine code on x86-64). The same source is
 * built against the portable table (XENSHIM_FORCE_PORTABLE) as a second
 * test, where the native-only checks assert the portable layout instead.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xenshim/xenshim.h"

#define RESULT_BASE 0xcafef00dfbfbff00ull

struct recorder {
	uint64_t calls;
	uint64_t nr;
	uint64_t args[XENSHIM_ARG_COUNT];
	long result; /* returned when set_result, else RESULT_BASE ^ nr */
	int set_result;
	struct xenshim_page *page;
};

static long record_entry(void *ctx, const struct xenshim_regs *regs)
{
	struct recorder *r = ctx;

	r->calls++;
	r->nr = regs->nr;
	memcpy(r->args, regs->args, sizeof(r->args));
	r->page = regs->page;
	if (r->set_result)
		return r->result;
	return (long)(RESULT_BASE ^ regs->nr);
}

static struct xenshim_page *make_page(struct recorder *r)
{
	struct xenshim_page *page = NULL;

	memset(r, 0, sizeof(*r));
	assert_int_equal(xenshim_page_create(&page, record_entry, r), 0);
	assert_non_null(page);
	return page;
}

static void test_geometry(void **state)
{
	struct recorder r;
	struct xenshim_page *page = make_page(&r);
	const uint8_t *base = xenshim_page_base(page);

	(void)state;
	assert_int_equal(XENSHIM_PAGE_SIZE, 4096);
	assert_int_equal(XENSHIM_STUB_SIZE, 32);
	assert_int_equal(XENSHIM_STUB_COUNT, 128);
	assert_int_equal((uintptr_t)base % XENSHIM_PAGE_SIZE, 0);
	for (uint32_t nr = 0; nr < XENSHIM_STUB_COUNT; nr++)
		assert_ptr_equal(xenshim_page_stub(page, nr), base + nr * 32u);
	assert_null(xenshim_page_stub(page, 128));
	assert_null(xenshim_page_stub(page, UINT32_MAX));
	assert_true(xenshim_page_live(page));
	xenshim_page_put(page);
}

/* Every stub: its own number, five arguments in order, a 64-bit result. */
static void test_every_stub_passes_number_and_arguments(void **state)
{
	struct recorder r;
	struct xenshim_page *page = make_page(&r);

	(void)state;
	for (uint32_t nr = 0; nr < XENSHIM_STUB_COUNT; nr++) {
		uint64_t a[5];
		long ret;

		for (unsigned int i = 0; i < 5; i++)
			a[i] = 0xdeadbeef5a5a0001ull + i + ((uint64_t)nr << 40);
		ret = xenshim_page_call(page, nr, a[0], a[1], a[2], a[3], a[4]);
		assert_int_equal(r.calls, nr + 1);
		assert_int_equal(r.nr, nr);
		assert_ptr_equal(r.page, page);
		for (unsigned int i = 0; i < 5; i++)
			assert_int_equal(r.args[i], a[i]);
		assert_int_equal(r.args[5], 0); /* r9 */
		assert_int_equal((uint64_t)ret, RESULT_BASE ^ nr);
		/* Only this stub counted the call. */
		assert_int_equal(xenshim_page_calls(page, nr), 1);
	}
	assert_int_equal(xenshim_page_calls_total(page), XENSHIM_STUB_COUNT);
	xenshim_page_put(page);
}

static void test_results_are_sign_extended(void **state)
{
	static const long values[] = { -38, -22, -1, -4096, (long)INT32_MIN, (long)INT32_MIN - 1,
				       0x7fffffffL, 0x80000000L, (long)0xcafef00dfbfbffffull };
	struct recorder r;
	struct xenshim_page *page = make_page(&r);

	(void)state;
	r.set_result = 1;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		long ret;

		r.result = values[i];
		ret = xenshim_page_call(page, 17, 0, 0, 0, 0, 0);
		assert_int_equal((uint64_t)ret, (uint64_t)values[i]);
		/* A negative int comes back with the upper 32 bits all ones. */
		if (values[i] < 0 && values[i] >= INT32_MIN)
			assert_int_equal((uint64_t)ret >> 32, 0xffffffffull);
	}
	/* -ENOSYS is 0xffffffffffffffda, not the seed's zero-extended int. */
	r.result = -ENOSYS;
	assert_int_equal((uint64_t)xenshim_page_call(page, 42, 0, 0, 0, 0, 0),
			 0xffffffffffffffdaull);
	xenshim_page_put(page);
}

static void test_bad_stub_addresses_are_refused(void **state)
{
	struct recorder r;
	struct xenshim_page *page = make_page(&r);
	const uint8_t *base = xenshim_page_base(page);

	(void)state;
	assert_int_equal(xenshim_page_call(page, 128, 1, 2, 3, 4, 5), -EINVAL);
	assert_int_equal(xenshim_page_call(page, UINT32_MAX, 1, 2, 3, 4, 5), -EINVAL);
	assert_int_equal(xenshim_stub_call(page, base + 4096, 0, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(xenshim_stub_call(page, base + 1, 0, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(xenshim_stub_call(page, base + 17 * 32 + 16, 0, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(xenshim_stub_call(page, base - 32, 0, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(xenshim_stub_call(page, NULL, 0, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(xenshim_stub_call(NULL, base, 0, 0, 0, 0, 0), -EINVAL);
	assert_int_equal(r.calls, 0);
	assert_int_equal(xenshim_page_calls_total(page), 0);
	/* The last stub address is fine. */
	assert_int_equal((uint64_t)xenshim_stub_call(page, base + 127 * 32, 0, 0, 0, 0, 0),
			 RESULT_BASE ^ 127);
	xenshim_page_put(page);
}

static void test_create_arguments_and_lifetime(void **state)
{
	struct recorder r;
	struct xenshim_page *page = NULL;
	uint64_t live = xenshim_page_live_count();

	(void)state;
	assert_int_equal(xenshim_page_create(NULL, record_entry, &r), -EINVAL);
	assert_int_equal(xenshim_page_create(&page, NULL, &r), -EINVAL);
	assert_null(page);
	page = make_page(&r);
	assert_int_equal(xenshim_page_live_count(), live + 1);
	xenshim_page_get(page);
	xenshim_page_put(page);
	assert_int_equal(xenshim_page_live_count(), live + 1);
	xenshim_page_put(page);
	assert_int_equal(xenshim_page_live_count(), live);
	xenshim_page_put(NULL);
}

#if defined(__x86_64__) && !defined(XENSHIM_FORCE_PORTABLE)

static void test_mode(void **state)
{
	(void)state;
	assert_true(xenshim_native_stubs());
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (unsigned int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (unsigned int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The documented bytes of stub @nr (docs/xenshim.md, "Stub bytes"). */
static void expected_stub(uint8_t out[32], const uint8_t *stub, const uint8_t *trampoline,
			  uint32_t nr)
{
	static const uint8_t head[] = { 0xf3, 0x0f, 0x1e, 0xfa, 0x55, 0x48, 0x89, 0xe5, 0x51,
					0x41, 0x51, 0x41, 0x53, 0xb8 };
	static const uint8_t tail[] = { 0x41, 0x5b, 0x41, 0x59, 0x59, 0x5d, 0xc3 };

	memset(out, 0xcc, 32);
	memcpy(out, head, sizeof(head));
	put_le32(out + 14, nr);
	out[18] = 0xe8;
	put_le32(out + 19, (uint32_t)(int32_t)((intptr_t)trampoline - (intptr_t)(stub + 23)));
	memcpy(out + 23, tail, sizeof(tail));
}

static void test_stub_bytes(void **state)
{
	struct recorder r;
	struct xenshim_page *page = make_page(&r);
	const uint8_t *base = xenshim_page_base(page);
	const uint8_t *t = xenshim_page_trampoline(page);
	uint8_t want[32];

	(void)state;
	assert_ptr_equal(t, base + 4096);
	for (uint32_t nr = 0; nr < XENSHIM_STUB_COUNT; nr++) {
		const uint8_t *stub = base + nr * 32u;

		expected_stub(want, stub, t, nr);
		assert_memory_equal(stub, want, 32);
		/* 30 code bytes, 2 of int3 padding: never spills into the next slot. */
		assert_int_equal(stub[29], 0xc3);
		assert_int_equal(stub[30], 0xcc);
		assert_int_equal(stub[31], 0xcc);
	}
	xenshim_page_put(page);
}

static void test_trampoline_bytes(void **state)
{
	static const uint8_t head[] = { 0x53, 0x48, 0x89, 0xe3, 0x48, 0x83, 0xe4, 0xf0,
					0x41, 0x51, 0x41, 0x50, 0x41, 0x52, 0x52, 0x56,
					0x57, 0x50, 0x48, 0xb8 };
	static const uint8_t tail[] = { 0xff, 0xd0, 0x48, 0x8b, 0x7c, 0x24, 0x10, 0x48, 0x8b,
					0x74, 0x24, 0x18, 0x48, 0x8b, 0x54, 0x24, 0x20, 0x4c,
					0x8b, 0x54, 0x24, 0x28, 0x4c, 0x8b, 0x44, 0x24, 0x30,
					0x4c, 0x8b, 0x4c, 0x24, 0x38, 0x48, 0x89, 0xdc, 0x5b,
					0xc3 };
	struct recorder r;
	struct xenshim_page *page = make_page(&r);
	const uint8_t *t = xenshim_page_trampoline(page);
	uint8_t page_imm[8];

	(void)state;
	assert_memory_equal(t, head, sizeof(head));
	put_le64(page_imm, (uint64_t)(uintptr_t)page);
	assert_memory_equal(t + 20, page_imm, 8);
	assert_int_equal(t[28], 0x50);                 /* push %rax */
	assert_int_equal(t[29], 0x48);                 /* mov %rsp,%rdi */
	assert_int_equal(t[30], 0x89);
	assert_int_equal(t[31], 0xe7);
	assert_int_equal(t[32], 0x48);                 /* movabs $dispatch,%rax */
	assert_int_equal(t[33], 0xb8);
	assert_memory_equal(t + 42, tail, sizeof(tail));
	assert_int_equal(t[42 + sizeof(tail)], 0xcc);
	xenshim_page_put(page);
}

/*
 * The mapping's permissions in /proc/self/maps: r-x over both pages. (Not
 * the whole process: valgrind's own code cache is rwx.)
 */
static void test_mapping_is_read_exec_only(void **state)
{
	struct recorder r;
	struct xenshim_page *page = make_page(&r);
	uintptr_t base = (uintptr_t)xenshim_page_base(page);
	char line[512];
	int found = 0;
	FILE *maps = fopen("/proc/self/maps", "r");

	(void)state;
	assert_non_null(maps);
	while (fgets(line, sizeof(line), maps) != NULL) {
		unsigned long start, end;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3)
			continue;
		/* Every mapping overlapping our two pages (stubs, trampoline). */
		if (start < base + 2 * XENSHIM_PAGE_SIZE && end > base) {
			found++;
			assert_string_equal(perms, "r-xp");
		}
	}
	fclose(maps);
	assert_true(found);
	xenshim_page_put(page);
}

/*
 * Call a stub the way hand-written code would and check that every
 * general-purpose register except rax comes back unchanged (the Xen x86-64
 * ABI leaves the argument registers intact; we also keep rcx and r11).
 */
static void test_stub_preserves_registers(void **state)
{
	struct recorder r;
	struct xenshim_page *page = make_page(&r);
	const uint64_t v[13] = { 0x1111111111111101ull, 0x2222222222222202ull,
				 0x3333333333333303ull, 0x4444444444444404ull,
				 0x5555555555555505ull, 0x6666666666666606ull,
				 0x7777777777777707ull, 0x8888888888888808ull,
				 0x9999999999999909ull, 0xaaaaaaaaaaaaaa0aull,
				 0xbbbbbbbbbbbbbb0bull, 0xcccccccccccccc0cull,
				 0xdddddddddddddd0dull };
	register uint64_t rax __asm__("rax") = (uint64_t)(uintptr_t)xenshim_page_stub(page, 33);
	register uint64_t rdi __asm__("rdi") = v[0];
	register uint64_t rsi __asm__("rsi") = v[1];
	register uint64_t rdx __asm__("rdx") = v[2];
	register uint64_t r10 __asm__("r10") = v[3];
	register uint64_t r8 __asm__("r8") = v[4];
	register uint64_t r9 __asm__("r9") = v[5];
	register uint64_t rcx __asm__("rcx") = v[6];
	register uint64_t r11 __asm__("r11") = v[7];
	register uint64_t rbx __asm__("rbx") = v[8];
	register uint64_t r12 __asm__("r12") = v[9];
	register uint64_t r13 __asm__("r13") = v[10];
	register uint64_t r14 __asm__("r14") = v[11];
	register uint64_t r15 __asm__("r15") = v[12];

	(void)state;
	__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
			 "call *%%rax\n\t"
			 "lea 128(%%rsp), %%rsp"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
			   "+r"(r9), "+r"(rcx), "+r"(r11), "+r"(rbx), "+r"(r12), "+r"(r13),
			   "+r"(r14), "+r"(r15)
			 :
			 : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
			   "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
			   "xmm15");
	/* Copy out before any call: register variables do not survive calls. */
	{
		const uint64_t got[14] = { rax, rdi, rsi, rdx, r10, r8, r9,
					   rcx, r11, rbx, r12, r13, r14, r15 };

		assert_int_equal(got[0], RESULT_BASE ^ 33);
		for (unsigned int i = 0; i < 13; i++)
			assert_int_equal(got[i + 1], v[i]);
	}
	/* The entry saw the Xen argument registers and r9. */
	assert_int_equal(r.nr, 33);
	assert_int_equal(r.args[0], v[0]);
	assert_int_equal(r.args[3], v[3]);
	assert_int_equal(r.args[4], v[4]);
	assert_int_equal(r.args[5], v[5]);
	xenshim_page_put(page);
}

#else /* portable table */

struct portable_desc {
	uint32_t magic;
	uint32_t nr;
	void *page;
};

static void test_mode(void **state)
{
	(void)state;
	assert_false(xenshim_native_stubs());
}

/* The portable page: one 32-byte descriptor {"XSTB", nr, page} per stub. */
static void test_stub_bytes(void **state)
{
	struct recorder r;
	struct xenshim_page *page = make_page(&r);
	const uint8_t *base = xenshim_page_base(page);

	(void)state;
	assert_null(xenshim_page_trampoline(page));
	for (uint32_t nr = 0; nr < XENSHIM_STUB_COUNT; nr++) {
		struct portable_desc d;

		memcpy(&d, base + nr * 32u, sizeof(d));
		assert_int_equal(d.magic, 0x58535442u);
		assert_int_equal(d.nr, nr);
		assert_ptr_equal(d.page, page);
	}
	xenshim_page_put(page);
}

#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_stub_bytes),
		cmocka_unit_test(test_every_stub_passes_number_and_arguments),
		cmocka_unit_test(test_results_are_sign_extended),
		cmocka_unit_test(test_bad_stub_addresses_are_refused),
		cmocka_unit_test(test_create_arguments_and_lifetime),
#if defined(__x86_64__) && !defined(XENSHIM_FORCE_PORTABLE)
		cmocka_unit_test(test_trampoline_bytes),
		cmocka_unit_test(test_mapping_is_read_exec_only),
		cmocka_unit_test(test_stub_preserves_registers),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

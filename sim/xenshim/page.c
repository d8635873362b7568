// SPDX-License-Identifier: MIT
/*
 * The hypercall page: 128 stubs of 32 bytes generated at run time.
 *
 * x86-64 (XENSHIM_NATIVE): a two-page anonymous mapping, written while
 * PROT_READ|PROT_WRITE and then switched to PROT_READ|PROT_EXEC (never both
 * W and X). Page 0 holds the stubs, page 1 a shared trampoline that builds
 * a struct xenshim_regs on the stack and calls page_dispatch(). Byte-level
 * layout: docs/xenshim.md, "Stub bytes".
 *
 * Elsewhere (or with XENSHIM_FORCE_PORTABLE) the page is 4096 bytes of
 * 32-byte descriptors {magic, nr, page}; xenshim_stub_call() decodes one
 * and calls page_dispatch() with the same register file.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/compiler.h>

#include "sim/assert.h"
#include "sim/sim.h"
#include "xenshim_private.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define XENSHIM_HAVE_VALGRIND 1
#endif
#endif
#ifndef XENSHIM_HAVE_VALGRIND
#define XENSHIM_HAVE_VALGRIND 0
#endif

_Static_assert(XENSHIM_STUB_SIZE * XENSHIM_STUB_COUNT == XENSHIM_PAGE_SIZE,
	       "128 stubs of 32 bytes fill one page");
_Static_assert(XENSHIM_STUB_COUNT == 128u, "the page holds 128 stubs");
_Static_assert(sizeof(struct xenshim_regs) == 64u, "the trampoline pushes 8 quadwords");
_Static_assert(offsetof(struct xenshim_regs, nr) == 8u, "regs.nr at 8");
_Static_assert(offsetof(struct xenshim_regs, args) == 16u, "regs.args at 16");

static uint64_t page_live_count;
static pthread_mutex_t graveyard_lock = PTHREAD_MUTEX_INITIALIZER;
static struct xenshim_page *graveyard;

bool xenshim_native_stubs(void)
{
	return XENSHIM_NATIVE;
}

static void report(const char *class_name, const char *what, const struct xenshim_page *page)
{
	struct sim *sim = sim_self();

	if (sim != NULL)
		SIM_REPORT(sim, class_name, "%s", what);
	else
		fprintf(stderr, "xenshim: %s: %s (page %p)\n", class_name, what,
			(const void *)page);
}

/* The C side of every stub: the trampoline passes the register file. */
static long page_dispatch(const struct xenshim_regs *regs)
{
	struct xenshim_page *page = regs->page;
	long ret;

	SIM_ASSERT(page != NULL && page->magic == XENSHIM_PAGE_MAGIC);
	if (READ_ONCE(page->state) != XENSHIM_PAGE_LIVE) {
		report(XENSHIM_FINDING_DEAD_PAGE, "call entered a released hypercall page", page);
		return -ENODEV;
	}
	if (regs->nr < XENSHIM_STUB_COUNT)
		__atomic_fetch_add(&page->calls[regs->nr], 1, __ATOMIC_RELAXED);
	ret = page->entry(page->ctx, regs);
	if (READ_ONCE(page->state) != XENSHIM_PAGE_LIVE)
		report(XENSHIM_FINDING_DEAD_PAGE, "hypercall page released during a call", page);
	return ret;
}

#if XENSHIM_NATIVE

/* ---- x86-64 machine code ---- */

#define EMIT(p, ...)                                                    \
	do {                                                            \
		static const uint8_t bytes_[] = { __VA_ARGS__ };        \
		memcpy((p), bytes_, sizeof(bytes_));                    \
		(p) += sizeof(bytes_);                                  \
	} while (0)

static void emit_u32(uint8_t **p, uint32_t value)
{
	for (unsigned int i = 0; i < 4; i++)
		*(*p)++ = (uint8_t)(value >> (8 * i));
}

static void emit_u64(uint8_t **p, uint64_t value)
{
	for (unsigned int i = 0; i < 8; i++)
		*(*p)++ = (uint8_t)(value >> (8 * i));
}

/*
 * Trampoline (page 1). Entered from a stub with rax = nr and the caller's
 * argument registers intact; all general-purpose registers but rax are
 * preserved (rbx, rdi, rsi, rdx, r8, r9, r10 here; rcx, r9, r11 and rbp by
 * the stub; the rest by the C calling convention).
 */
static size_t emit_trampoline(uint8_t *t, const struct xenshim_page *page)
{
	uint8_t *p = t;

	EMIT(p, 0x53);                         /* push %rbx */
	EMIT(p, 0x48, 0x89, 0xe3);             /* mov %rsp,%rbx */
	EMIT(p, 0x48, 0x83, 0xe4, 0xf0);       /* and $-16,%rsp */
	EMIT(p, 0x41, 0x51);                   /* push %r9   args[5] */
	EMIT(p, 0x41, 0x50);                   /* push %r8   args[4] */
	EMIT(p, 0x41, 0x52);                   /* push %r10  args[3] */
	EMIT(p, 0x52);                         /* push %rdx  args[2] */
	EMIT(p, 0x56);                         /* push %rsi  args[1] */
	EMIT(p, 0x57);                         /* push %rdi  args[0] */
	EMIT(p, 0x50);                         /* push %rax  nr */
	EMIT(p, 0x48, 0xb8);                   /* movabs $page,%rax */
	emit_u64(&p, (uint64_t)(uintptr_t)page);
	EMIT(p, 0x50);                         /* push %rax  page */
	EMIT(p, 0x48, 0x89, 0xe7);             /* mov %rsp,%rdi */
	EMIT(p, 0x48, 0xb8);                   /* movabs $page_dispatch,%rax */
	emit_u64(&p, (uint64_t)(uintptr_t)page_dispatch);
	EMIT(p, 0xff, 0xd0);                   /* call *%rax */
	EMIT(p, 0x48, 0x8b, 0x7c, 0x24, 0x10); /* mov 0x10(%rsp),%rdi */
	EMIT(p, 0x48, 0x8b, 0x74, 0x24, 0x18); /* mov 0x18(%rsp),%rsi */
	EMIT(p, 0x48, 0x8b, 0x54, 0x24, 0x20); /* mov 0x20(%rsp),%rdx */
	EMIT(p, 0x4c, 0x8b, 0x54, 0x24, 0x28); /* mov 0x28(%rsp),%r10 */
	EMIT(p, 0x4c, 0x8b, 0x44, 0x24, 0x30); /* mov 0x30(%rsp),%r8 */
	EMIT(p, 0x4c, 0x8b, 0x4c, 0x24, 0x38); /* mov 0x38(%rsp),%r9 */
	EMIT(p, 0x48, 0x89, 0xdc);             /* mov %rbx,%rsp */
	EMIT(p, 0x5b);                         /* pop %rbx */
	EMIT(p, 0xc3);                         /* ret */
	return (size_t)(p - t);
}

/*
 * Stub @nr: save what the RFC's stub saves (frame pointer, rcx, r9, r11),
 * load the number, call the trampoline, restore, return; int3 padding.
 */
static size_t emit_stub(uint8_t *stub, uint32_t nr, const uint8_t *trampoline)
{
	uint8_t *p = stub;
	int64_t rel;

	memset(stub, 0xcc, XENSHIM_STUB_SIZE);
	EMIT(p, 0xf3, 0x0f, 0x1e, 0xfa);       /* endbr64 */
	EMIT(p, 0x55);                         /* push %rbp */
	EMIT(p, 0x48, 0x89, 0xe5);             /* mov %rsp,%rbp */
	EMIT(p, 0x51);                         /* push %rcx */
	EMIT(p, 0x41, 0x51);                   /* push %r9 */
	EMIT(p, 0x41, 0x53);                   /* push %r11 */
	EMIT(p, 0xb8);                         /* mov $nr,%eax (zero-extends) */
	emit_u32(&p, nr);
	EMIT(p, 0xe8);                         /* call trampoline */
	rel = (int64_t)((intptr_t)trampoline - (intptr_t)(p + 4));
	SIM_ASSERT(rel >= INT32_MIN && rel <= INT32_MAX);
	emit_u32(&p, (uint32_t)(int32_t)rel);
	EMIT(p, 0x41, 0x5b);                   /* pop %r11 */
	EMIT(p, 0x41, 0x59);                   /* pop %r9 */
	EMIT(p, 0x59);                         /* pop %rcx */
	EMIT(p, 0x5d);                         /* pop %rbp */
	EMIT(p, 0xc3);                         /* ret */
	SIM_ASSERT((size_t)(p - stub) <= XENSHIM_STUB_SIZE);
	return (size_t)(p - stub);
}

static int page_mem_create(struct xenshim_page *page)
{
	size_t size = 2 * (size_t)XENSHIM_PAGE_SIZE;
	uint8_t *mem;
	uint32_t nr;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	memset(mem + XENSHIM_PAGE_SIZE, 0xcc, XENSHIM_PAGE_SIZE);
	SIM_ASSERT(emit_trampoline(mem + XENSHIM_PAGE_SIZE, page) < XENSHIM_PAGE_SIZE);
	for (nr = 0; nr < XENSHIM_STUB_COUNT; nr++)
		emit_stub(mem + nr * XENSHIM_STUB_SIZE, nr, mem + XENSHIM_PAGE_SIZE);
	/* W -> X: the code is complete before it is ever executable. */
	if (mprotect(mem, size, PROT_READ | PROT_EXEC) != 0) {
		int err = -errno;

		SIM_ASSERT(munmap(mem, size) == 0);
		return err;
	}
	page->mem = mem;
	page->mem_size = size;
	return 0;
}

static void page_mem_destroy(struct xenshim_page *page)
{
#if XENSHIM_HAVE_VALGRIND
	VALGRIND_DISCARD_TRANSLATIONS(page->mem, page->mem_size);
#endif
	SIM_ASSERT(munmap(page->mem, page->mem_size) == 0);
}

/*
 * Call machine code at @stub like a Linux hypercall wrapper: target in rax
 * (the result register), arguments in rdi, rsi, rdx, r10, r8. The red zone
 * is stepped over because the compiler does not know this asm calls.
 */
static long stub_invoke(const void *stub, const uint64_t args[5])
{
	register uint64_t rax __asm__("rax") = (uint64_t)(uintptr_t)stub;
	register uint64_t rdi __asm__("rdi") = args[0];
	register uint64_t rsi __asm__("rsi") = args[1];
	register uint64_t rdx __asm__("rdx") = args[2];
	register uint64_t r10 __asm__("r10") = args[3];
	register uint64_t r8 __asm__("r8") = args[4];
	register uint64_t r9 __asm__("r9") = 0;

	__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
			 "call *%%rax\n\t"
			 "lea 128(%%rsp), %%rsp"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
			   "+r"(r9)
			 :
			 : "memory", "cc", "rcx", "r11", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
			   "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
			   "xmm13", "xmm14", "xmm15");
	return (long)rax;
}

#else /* portable */

#define XENSHIM_STUB_MAGIC 0x58535442u /* "XSTB" */

struct portable_stub {
	uint32_t magic;
	uint32_t nr;
	struct xenshim_page *page;
	uint8_t pad[XENSHIM_STUB_SIZE - 8 - sizeof(void *)];
};
_Static_assert(sizeof(struct portable_stub) == XENSHIM_STUB_SIZE, "a descriptor is one stub");

static int page_mem_create(struct xenshim_page *page)
{
	struct portable_stub *stubs = aligned_alloc(XENSHIM_PAGE_SIZE, XENSHIM_PAGE_SIZE);
	uint32_t nr;

	if (stubs == NULL)
		return -ENOMEM;
	memset(stubs, 0, XENSHIM_PAGE_SIZE);
	for (nr = 0; nr < XENSHIM_STUB_COUNT; nr++) {
		stubs[nr].magic = XENSHIM_STUB_MAGIC;
		stubs[nr].nr = nr;
		stubs[nr].page = page;
	}
	page->mem = (uint8_t *)stubs;
	page->mem_size = XENSHIM_PAGE_SIZE;
	return 0;
}

static void page_mem_destroy(struct xenshim_page *page)
{
	free(page->mem);
}

static long stub_invoke(const void *stub, const uint64_t args[5])
{
	const struct portable_stub *desc = stub;
	struct xenshim_regs regs;

	SIM_ASSERT(desc->magic == XENSHIM_STUB_MAGIC && desc->nr < XENSHIM_STUB_COUNT);
	memset(&regs, 0, sizeof(regs));
	regs.page = desc->page;
	regs.nr = desc->nr;
	memcpy(regs.args, args, 5 * sizeof(args[0]));
	return page_dispatch(&regs);
}

#endif /* XENSHIM_NATIVE */

/* ---- pages ---- */

int xenshim_page_create(struct xenshim_page **out, xenshim_entry_fn entry, void *ctx)
{
	struct xenshim_page *page;
	int ret;

	if (out == NULL || entry == NULL)
		return -EINVAL;
	page = calloc(1, sizeof(*page));
	if (page == NULL)
		return -ENOMEM;
	page->magic = XENSHIM_PAGE_MAGIC;
	page->state = XENSHIM_PAGE_LIVE;
	page->entry = entry;
	page->ctx = ctx;
	atomic_set(&page->refs, 1);
	atomic_set(&page->inflight, 0);
	init_waitqueue_head(&page->idle);
	ret = page_mem_create(page);
	if (ret != 0) {
		free(page);
		return ret;
	}
	__atomic_fetch_add(&page_live_count, 1, __ATOMIC_RELAXED);
	*out = page;
	return 0;
}

static void page_free(struct xenshim_page *page)
{
	page_mem_destroy(page);
	page->magic = 0;
	free(page);
	__atomic_fetch_sub(&page_live_count, 1, __ATOMIC_RELAXED);
}

void xenshim_page_get(struct xenshim_page *page)
{
	SIM_ASSERT(page != NULL && READ_ONCE(page->state) == XENSHIM_PAGE_LIVE);
	atomic_inc(&page->refs);
}

void xenshim_page_put(struct xenshim_page *page)
{
	if (page == NULL)
		return;
	SIM_ASSERT(page->magic == XENSHIM_PAGE_MAGIC);
	if (!atomic_dec_and_test(&page->refs))
		return;
	WRITE_ONCE(page->state, XENSHIM_PAGE_DEAD);
	if (page->quarantine) {
		SIM_ASSERT(pthread_mutex_lock(&graveyard_lock) == 0);
		page->grave_next = graveyard;
		graveyard = page;
		SIM_ASSERT(pthread_mutex_unlock(&graveyard_lock) == 0);
		return;
	}
	page_free(page);
}

void xenshim_graveyard_flush(void)
{
	struct xenshim_page *page, *next;

	SIM_ASSERT(pthread_mutex_lock(&graveyard_lock) == 0);
	page = graveyard;
	graveyard = NULL;
	SIM_ASSERT(pthread_mutex_unlock(&graveyard_lock) == 0);
	for (; page != NULL; page = next) {
		next = page->grave_next;
		page_free(page);
	}
}

uint64_t xenshim_page_live_count(void)
{
	return __atomic_load_n(&page_live_count, __ATOMIC_RELAXED);
}

const uint8_t *xenshim_page_base(const struct xenshim_page *page)
{
	return page != NULL ? page->mem : NULL;
}

const void *xenshim_page_stub(const struct xenshim_page *page, uint32_t nr)
{
	if (page == NULL || nr >= XENSHIM_STUB_COUNT)
		return NULL;
	return page->mem + (size_t)nr * XENSHIM_STUB_SIZE;
}

const uint8_t *xenshim_page_trampoline(const struct xenshim_page *page)
{
	if (page == NULL || !XENSHIM_NATIVE)
		return NULL;
	return page->mem + XENSHIM_PAGE_SIZE;
}

bool xenshim_page_live(const struct xenshim_page *page)
{
	return page != NULL && page->magic == XENSHIM_PAGE_MAGIC &&
	       __atomic_load_n(&page->state, __ATOMIC_RELAXED) == XENSHIM_PAGE_LIVE;
}

uint64_t xenshim_page_calls(const struct xenshim_page *page, uint32_t nr)
{
	if (page == NULL || nr >= XENSHIM_STUB_COUNT)
		return 0;
	return __atomic_load_n(&page->calls[nr], __ATOMIC_RELAXED);
}

uint64_t xenshim_page_calls_total(const struct xenshim_page *page)
{
	uint64_t total = 0;
	uint32_t nr;

	for (nr = 0; page != NULL && nr < XENSHIM_STUB_COUNT; nr++)
		total += xenshim_page_calls(page, nr);
	return total;
}

long xenshim__page_call(struct xenshim_page *page, uint32_t nr, const uint64_t args[5])
{
	return stub_invoke(page->mem + (size_t)nr * XENSHIM_STUB_SIZE, args);
}

long xenshim_stub_call(struct xenshim_page *page, const void *stub, uint64_t a1, uint64_t a2,
		       uint64_t a3, uint64_t a4, uint64_t a5)
{
	const uint64_t args[5] = { a1, a2, a3, a4, a5 };
	uintptr_t base, addr = (uintptr_t)stub;

	if (!xenshim_page_live(page))
		return -EINVAL;
	base = (uintptr_t)page->mem;
	if (addr < base || addr - base >= XENSHIM_PAGE_SIZE || (addr - base) % XENSHIM_STUB_SIZE)
		return -EINVAL;
	return stub_invoke(stub, args);
}

long xenshim_page_call(struct xenshim_page *page, uint32_t nr, uint64_t a1, uint64_t a2,
		       uint64_t a3, uint64_t a4, uint64_t a5)
{
	if (nr >= XENSHIM_STUB_COUNT)
		return -EINVAL;
	return xenshim_stub_call(page, xenshim_page_stub(page, nr), a1, a2, a3, a4, a5);
}

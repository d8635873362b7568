// SPDX-License-Identifier: MIT
/*
 * Goal: the oracle "ready-after-np" (sim/world/oracle_ready.c) reports a
 * page-ready of a token whose page-not-present the host withdrew before the
 * guest could see it (a rolled-back failed SDEI injection, H1 without H3)
 * or never posted, naming the vCPU, token, thread and ticks; and stays
 * silent on legal sequences: post then page-ready, a cancelled post with no
 * page-ready, wake-all, a token posted again after its withdrawal or after
 * an apf-reset, other vCPUs' tokens. Its record table is bounded (a
 * forgotten token is not reported until the next reset), its reports are
 * budgeted and out-of-range vCPUs are ignored. Method: the oracle on a fake
 * view fed synthetic probe events (no world).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/world_oracle.h"

#include "oracle_private.h"
#include "oracle_ready.h"

#define VCPUS 2u
#define KEPT 8u
#define NP 1u
#define PR 2u

struct h {
	void *state;
	struct oracle_view view;
	uint32_t reports;
	char classes[KEPT][32];
	char messages[KEPT][ORACLE_MESSAGE_SIZE];
	uint64_t seq;
	uint64_t tick;
};

static void fake_report(void *ctx, const char *class_name, const char *file, int line,
			const char *message)
{
	struct h *h = ctx;

	assert_non_null(file);
	assert_true(line > 0);
	if (h->reports < KEPT) {
		snprintf(h->classes[h->reports], sizeof(h->classes[0]), "%s", class_name);
		snprintf(h->messages[h->reports], sizeof(h->messages[0]), "%s", message);
	}
	h->reports++;
}

static const char *fake_thread_name(void *ctx, uint32_t thread_id)
{
	(void)ctx;
	return thread_id == 7 ? "user3" : "other";
}

static void h_init(struct h *h)
{
	memset(h, 0, sizeof(*h));
	h->view = (struct oracle_view){
		.ctx = h, .vcpu_count = VCPUS, .ppi = 19,
		.report = fake_report, .thread_name = fake_thread_name,
	};
	assert_int_equal(oracle_ready_create_view(&h->state, &h->view), 0);
}

static void h_done(struct h *h)
{
	oracle_ready_ops.destroy(h->state);
}

static void feed(struct h *h, uint16_t kind, const char *label, uint64_t a, uint64_t b)
{
	struct sim_trace_event event = {
		.seq = h->seq++, .tick = h->tick, .a = a, .b = b, .label = label,
		.thread_id = 7, .vcpu = -1, .kind = kind,
	};

	h->tick += 10;
	oracle_ready_ops.event(h->state, NULL, &event);
}

static uint64_t slot_b(uint32_t vcpu, uint32_t reason)
{
	return (uint64_t)vcpu << 32 | reason;
}

/* The host's writes as sim/kvm traces them: token word, then reason word. */
static void np(struct h *h, uint32_t v, uint32_t token)
{
	feed(h, SIM_TRACE_TOKEN, "apf-slot-token", token, slot_b(v, 0));
	feed(h, SIM_TRACE_TOKEN_NOT_PRESENT, "apf-np", token, slot_b(v, 0));
}

static void pr(struct h *h, uint32_t v, uint32_t token)
{
	feed(h, SIM_TRACE_TOKEN, "apf-slot-token", token, slot_b(v, 0));
	feed(h, SIM_TRACE_TOKEN_READY, "apf-pr", token, slot_b(v, 0));
}

/* The host withdraws what the slot holds: reason first, then the token. */
static void withdraw(struct h *h, uint32_t v, uint32_t token, uint32_t old_reason)
{
	feed(h, SIM_TRACE_TOKEN, "apf-slot-clear", token, slot_b(v, old_reason));
	feed(h, SIM_TRACE_TOKEN, "apf-slot-token", 0, slot_b(v, 0));
}

static void reset(struct h *h, uint32_t v)
{
	feed(h, SIM_TRACE_TOKEN, "apf-reset", 0, v);
}

static void expect(const struct h *h, uint32_t count)
{
	for (uint32_t i = 0; h->reports != count && i < h->reports && i < KEPT; i++)
		print_message("report %u: %s: %s\n", i, h->classes[i], h->messages[i]);
	assert_int_equal(h->reports, count);
	for (uint32_t i = 0; i < count && i < KEPT; i++)
		assert_string_equal(h->classes[i], WORLD_FINDING_STRAY_PAGE_READY);
}

static void has(const struct h *h, uint32_t i, const char *text)
{
	assert_true(i < h->reports && i < KEPT);
	if (strstr(h->messages[i], text) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", h->messages[i], text);
}

static void test_registered(void **unused)
{
	int index = world_oracle_find("ready-after-np");

	(void)unused;
	assert_true(index >= 0);
	assert_ptr_equal(world_oracle_list()[index], &oracle_ready_ops);
	assert_non_null(oracle_ready_ops.create);
	assert_non_null(oracle_ready_ops.finish);
}

static void test_bad_view_refused(void **unused)
{
	struct oracle_view view = { .vcpu_count = 0 };
	void *state = NULL;

	(void)unused;
	assert_int_equal(oracle_ready_create_view(&state, &view), -EINVAL);
	assert_null(state);
}

static void test_withdrawn_then_ready_reported(void **unused)
{
	struct h h;

	(void)unused;
	h_init(&h);
	np(&h, 1, 0x1001);        /* tick 10 */
	withdraw(&h, 1, 0x1001, NP); /* tick 20: failed injection rolled back */
	np(&h, 1, 0x2001);
	pr(&h, 1, 0x2001);        /* legal */
	expect(&h, 0);
	pr(&h, 1, 0x1001);
	expect(&h, 1);
	has(&h, 0, "token 0x1001 on vCPU 1");
	has(&h, 0, "thread 7 user3");
	has(&h, 0, "posted at tick 10");
	has(&h, 0, "withdrawn at tick 20");
	oracle_ready_ops.finish(h.state, NULL);
	expect(&h, 1);
	h_done(&h);
}

static void test_never_posted_and_duplicate_reported(void **unused)
{
	struct h h;

	(void)unused;
	h_init(&h);
	pr(&h, 0, 0x5);
	expect(&h, 1);
	has(&h, 0, "token 0x5 on vCPU 0");
	has(&h, 0, "no page-not-present");
	np(&h, 0, 0x6);
	pr(&h, 0, 0x6);
	expect(&h, 1);
	pr(&h, 0, 0x6); /* a second page-ready of one post */
	expect(&h, 2);
	/* A token of vCPU 0 is not one of vCPU 1. */
	np(&h, 0, 0x7);
	pr(&h, 1, 0x7);
	expect(&h, 3);
	has(&h, 2, "vCPU 1");
	h_done(&h);
}

static void test_legal_sequences_silent(void **unused)
{
	struct h h;

	(void)unused;
	h_init(&h);
	/* Cancel [R§4.6]: withdrawn, no page-ready. */
	np(&h, 0, 0x1);
	withdraw(&h, 0, 0x1, NP);
	/* Wake-all is not a work's token. */
	pr(&h, 0, 0xffffffffu);
	pr(&h, 1, 0xffffffffu);
	/* Withdrawn, then posted again (e.g. after a migration restore). */
	np(&h, 1, 0x2);
	withdraw(&h, 1, 0x2, NP);
	np(&h, 1, 0x2);
	pr(&h, 1, 0x2);
	/* Clearing a page-ready is not a withdrawal of a page-not-present. */
	np(&h, 0, 0x3);
	withdraw(&h, 0, 0x3, PR);
	pr(&h, 0, 0x3);
	/* A reset forgets withdrawals; the fresh token counter posts again. */
	np(&h, 0, 0x4);
	withdraw(&h, 0, 0x4, NP);
	reset(&h, 0);
	np(&h, 0, 0x4);
	pr(&h, 0, 0x4);
	/* Page-ready before anything else on the other vCPU's tokens is fine. */
	np(&h, 0, 0x10);
	np(&h, 1, 0x11);
	pr(&h, 1, 0x11);
	pr(&h, 0, 0x10);
	expect(&h, 0);
	h_done(&h);
}

static void test_bound_forgets_until_reset(void **unused)
{
	struct h h;

	(void)unused;
	h_init(&h);
	for (uint32_t t = 1; t <= 300; t++)
		np(&h, 0, t);
	/* Token 1 was forgotten: an unknown page-ready is not reported ... */
	pr(&h, 0, 1);
	pr(&h, 0, 0x9999);
	expect(&h, 0);
	/* ... but the recent ones are still checked ... */
	withdraw(&h, 0, 300, NP);
	pr(&h, 0, 300);
	expect(&h, 1);
	/* ... and after a reset an unknown token is reported again. */
	reset(&h, 0);
	pr(&h, 0, 0x9999);
	expect(&h, 2);
	h_done(&h);
}

static void test_budget_and_out_of_range(void **unused)
{
	struct h h;

	(void)unused;
	h_init(&h);
	pr(&h, VCPUS, 0x1);
	pr(&h, 77, 0x1);
	withdraw(&h, VCPUS + 1, 0x1, NP);
	reset(&h, 99);
	expect(&h, 0);
	for (uint32_t t = 1; t <= 5; t++)
		pr(&h, 0, t);
	expect(&h, ORACLE_REPORT_MAX);
	h_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registered),
		cmocka_unit_test(test_bad_view_refused),
		cmocka_unit_test(test_withdrawn_then_ready_reported),
		cmocka_unit_test(test_never_posted_and_duplicate_reported),
		cmocka_unit_test(test_legal_sequences_silent),
		cmocka_unit_test(test_bound_forgets_until_reset),
		cmocka_unit_test(test_budget_and_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

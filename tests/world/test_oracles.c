// SPDX-License-Identifier: MIT
/*
 * Goal: each protocol oracle (sim/world/oracle_*.c, docs/oracles.md)
 * reports a planted violation with the right class and a message naming
 * the vCPU, token, thread and tick, and stays silent on legal but tricky
 * sequences (page-ready before the park, wake-all, reset then token reuse,
 * clearing the slot, level PPI acknowledged). Method: create each oracle
 * on a fake view (no world) and feed it synthetic probe events through its
 * own world_oracle_ops; the fake view records reports and serves host and
 * guest snapshots the test sets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/limits.h"
#include "sim/world.h"
#include "sim/world_oracle.h"

#include "oracle_private.h"

#define VCPUS 4u
#define PPI 19u
#define WAKE_ALL 0xffffffffu
#define REPORTS_KEPT 16u

struct fake {
	uint32_t report_count;
	char classes[REPORTS_KEPT][32];
	char messages[REPORTS_KEPT][ORACLE_MESSAGE_SIZE];
	struct kvm_sim_apf_state host[VCPUS];
	struct kvm_sim_apf_stats stats[VCPUS];
	uint32_t table_count[VCPUS];
	uint32_t table_capacity;
	struct world_stats world_stats;
	bool has_world_stats;
};

static uint32_t fake_finding_count(void *ctx)
{
	return ((struct fake *)ctx)->report_count;
}

struct harness {
	const struct world_oracle_ops *ops;
	void *state;
	struct fake fake;
	struct oracle_view view;
	uint64_t seq;
	uint64_t tick;
};

static void fake_report(void *ctx, const char *class_name, const char *file, int line,
			const char *message)
{
	struct fake *fake = ctx;

	assert_non_null(file);
	assert_true(line > 0);
	if (fake->report_count < REPORTS_KEPT) {
		snprintf(fake->classes[fake->report_count], sizeof(fake->classes[0]), "%s",
			 class_name);
		snprintf(fake->messages[fake->report_count], sizeof(fake->messages[0]), "%s",
			 message);
	}
	fake->report_count++;
}

static const char *fake_thread_name(void *ctx, uint32_t thread_id)
{
	static char names[4][24];
	static unsigned int next;
	char *name = names[next++ % 4u];

	(void)ctx;
	snprintf(name, sizeof(names[0]), "task-%u", thread_id);
	return name;
}

static int fake_host_state(void *ctx, uint32_t vcpu, struct kvm_sim_apf_state *out)
{
	struct fake *fake = ctx;

	if (vcpu >= VCPUS)
		return -EINVAL;
	*out = fake->host[vcpu];
	return 0;
}

static int fake_host_stats(void *ctx, uint32_t vcpu, struct kvm_sim_apf_stats *out)
{
	struct fake *fake = ctx;

	if (vcpu >= VCPUS)
		return -EINVAL;
	*out = fake->stats[vcpu];
	return 0;
}

static uint32_t fake_table_count(void *ctx, uint32_t cpu)
{
	struct fake *fake = ctx;

	return cpu < VCPUS ? fake->table_count[cpu] : 0;
}

static uint32_t fake_table_capacity(void *ctx)
{
	return ((struct fake *)ctx)->table_capacity;
}

static const struct world_stats *fake_world_stats(void *ctx)
{
	struct fake *fake = ctx;

	return fake->has_world_stats ? &fake->world_stats : NULL;
}

typedef int (*create_view_fn)(void **state, const struct oracle_view *view);

static void harness_init(struct harness *h, const struct world_oracle_ops *ops,
			 create_view_fn create, uint32_t storm_bound)
{
	memset(h, 0, sizeof(*h));
	h->ops = ops;
	h->fake.table_capacity = 128;
	h->view = (struct oracle_view){
		.ctx = &h->fake,
		.vcpu_count = VCPUS,
		.ppi = PPI,
		.irq_storm_bound = storm_bound,
		.report = fake_report,
		.thread_name = fake_thread_name,
		.host_state = fake_host_state,
		.host_stats = fake_host_stats,
		.guest_table_count = fake_table_count,
		.guest_table_capacity = fake_table_capacity,
		.stats = fake_world_stats,
		.finding_count = fake_finding_count,
	};
	assert_int_equal(create(&h->state, &h->view), 0);
	assert_non_null(h->state);
}

static void harness_done(struct harness *h)
{
	h->ops->destroy(h->state);
	h->state = NULL;
}

static void feed(struct harness *h, uint16_t kind, const char *label, uint64_t a, uint64_t b,
		 uint32_t thread)
{
	struct sim_trace_event event = {
		.seq = h->seq++,
		.step = h->seq,
		.tick = h->tick,
		.a = a,
		.b = b,
		.label = label,
		.thread_id = thread,
		.vcpu = -1,
		.kind = kind,
	};

	h->tick += 10;
	/* event and finish use the view kept at create: no world needed. */
	h->ops->event(h->state, NULL, &event);
}

static uint64_t slot_b(uint32_t vcpu, uint32_t reason)
{
	return (uint64_t)vcpu << 32 | reason;
}

static void np_raw(struct harness *h, uint32_t vcpu, uint32_t token, uint32_t old_reason)
{
	feed(h, SIM_TRACE_TOKEN_NOT_PRESENT, "apf-np", token, slot_b(vcpu, old_reason), 100 + vcpu);
}

static void pr_raw(struct harness *h, uint32_t vcpu, uint32_t token, uint32_t old_reason)
{
	feed(h, SIM_TRACE_TOKEN_READY, "apf-pr", token, slot_b(vcpu, old_reason), 100 + vcpu);
}

static void slot_token(struct harness *h, uint32_t vcpu, uint32_t token, uint32_t reason_then)
{
	feed(h, SIM_TRACE_TOKEN, "apf-slot-token", token, slot_b(vcpu, reason_then), 100 + vcpu);
}

static void slot_clear(struct harness *h, uint32_t vcpu, uint32_t token, uint32_t old_reason)
{
	feed(h, SIM_TRACE_TOKEN, "apf-slot-clear", token, slot_b(vcpu, old_reason), 100 + vcpu);
}

/* A legal post into a free slot, as the host writes it: token, then reason. */
static void np(struct harness *h, uint32_t vcpu, uint32_t token)
{
	slot_token(h, vcpu, token, 0);
	np_raw(h, vcpu, token, 0);
}

static void pr(struct harness *h, uint32_t vcpu, uint32_t token)
{
	slot_token(h, vcpu, token, 0);
	pr_raw(h, vcpu, token, 0);
}

static void apf_reset(struct harness *h, uint32_t vcpu)
{
	feed(h, SIM_TRACE_TOKEN, "apf-reset", 0, vcpu, 100 + vcpu);
}

static void park(struct harness *h, uint32_t cpu, uint32_t thread, uint32_t token)
{
	feed(h, SIM_TRACE_TOKEN, "guest-park", token, (uint64_t)cpu << 32 | thread, thread);
}

static void unpark(struct harness *h, uint32_t cpu, uint32_t thread, uint32_t token)
{
	feed(h, SIM_TRACE_TOKEN, "guest-unpark", token, (uint64_t)cpu << 32 | thread, thread);
}

static void world_event(struct harness *h, uint32_t event_class, uint64_t cpu)
{
	feed(h, SIM_TRACE_USER, "world-event", event_class, cpu, 1);
}

static void irq_exception(struct harness *h, uint32_t vcpu, uint32_t intid)
{
	feed(h, SIM_TRACE_IRQ, "irq-vector", intid, vcpu, 200 + vcpu);
}

static void finish(struct harness *h)
{
	h->ops->finish(h->state, NULL);
}

static void assert_reports(const struct harness *h, uint32_t count, const char *class_name)
{
	if (h->fake.report_count != count) {
		for (uint32_t i = 0; i < h->fake.report_count && i < REPORTS_KEPT; i++)
			print_message("report %u: %s: %s\n", i, h->fake.classes[i],
				      h->fake.messages[i]);
	}
	assert_int_equal(h->fake.report_count, count);
	for (uint32_t i = 0; i < count && i < REPORTS_KEPT; i++)
		assert_string_equal(h->fake.classes[i], class_name);
}

static void assert_message_has(const struct harness *h, uint32_t index, const char *text)
{
	assert_true(index < h->fake.report_count);
	if (strstr(h->fake.messages[index], text) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", h->fake.messages[index], text);
}

/* ---- Registry ---- */

static void test_registry_order_and_lookup(void **unused)
{
	static const char *const names[] = { "wake-once", "token-unique",
					     "slot-never-overwritten", "bounds", "irq-storm",
					     "ready-after-np" };
	const struct world_oracle_ops *const *list = world_oracle_list();

	(void)unused;
	assert_int_equal(world_oracle_count(), 6);
	for (uint32_t i = 0; i < 6; i++) {
		assert_non_null(list[i]);
		assert_string_equal(list[i]->name, names[i]);
		assert_non_null(list[i]->summary);
		assert_true(strlen(list[i]->summary) > 10);
		assert_non_null(list[i]->create);
		assert_non_null(list[i]->event);
		assert_non_null(list[i]->finish);
		assert_non_null(list[i]->destroy);
		assert_int_equal(world_oracle_find(names[i]), (int)i);
	}
	assert_null(list[6]);
	assert_int_equal(world_oracle_find("no-such-oracle"), -1);
	assert_int_equal(world_oracle_find(NULL), -1);
}

static void test_create_refuses_bad_view(void **unused)
{
	static const create_view_fn creates[] = {
		oracle_wake_create_view, oracle_token_create_view, oracle_slot_create_view,
		oracle_bounds_create_view, oracle_irq_create_view,
	};
	struct oracle_view view = { .vcpu_count = 0 };
	void *state = NULL;

	(void)unused;
	for (uint32_t i = 0; i < 5; i++) {
		view.vcpu_count = 0;
		assert_int_equal(creates[i](&state, &view), -EINVAL);
		view.vcpu_count = SIM_VCPU_COUNT_MAX + 1u;
		assert_int_equal(creates[i](&state, &view), -EINVAL);
		assert_int_equal(creates[i](&state, NULL), -EINVAL);
		assert_int_equal(creates[i](NULL, &view), -EINVAL);
		assert_null(state);
	}
}

static void test_probe_decode_labels(void **unused)
{
	struct sim_trace_event event = { .kind = SIM_TRACE_IRQ, .label = "irq-line-high",
					 .a = PPI, .b = 1 };
	struct oracle_probe_event probe;

	(void)unused;
	/* Line changes and SGIs are not exceptions. */
	assert_int_equal(oracle_probe_decode(&event, &probe), ORACLE_PROBE_NONE);
	event.label = "sgi";
	assert_int_equal(oracle_probe_decode(&event, &probe), ORACLE_PROBE_NONE);
	event.label = "irq-vector-resume";
	assert_int_equal(oracle_probe_decode(&event, &probe), ORACLE_PROBE_IRQ);
	assert_int_equal(probe.intid, PPI);
	assert_int_equal(probe.vcpu, 1);
	/* The right label under the wrong kind is not a probe. */
	event = (struct sim_trace_event){ .kind = SIM_TRACE_TOKEN, .label = "apf-np" };
	assert_int_equal(oracle_probe_decode(&event, &probe), ORACLE_PROBE_NONE);
	event.label = NULL;
	assert_int_equal(oracle_probe_decode(&event, &probe), ORACLE_PROBE_NONE);
	event = (struct sim_trace_event){ .kind = SIM_TRACE_USER, .label = "world-event",
					  .a = WORLD_EVENT_REBOOT, .b = ~0ull };
	assert_int_equal(oracle_probe_decode(&event, &probe), ORACLE_PROBE_WORLD_EVENT);
	assert_int_equal(probe.vcpu, ORACLE_CPU_ALL);
	event.b = 2;
	assert_int_equal(oracle_probe_decode(&event, &probe), ORACLE_PROBE_WORLD_EVENT);
	assert_int_equal(probe.vcpu, 2);
	event = (struct sim_trace_event){ .kind = SIM_TRACE_TOKEN_READY, .label = "apf-pr",
					  .a = 0x2003, .b = slot_b(3, 2) };
	assert_int_equal(oracle_probe_decode(&event, &probe), ORACLE_PROBE_PR);
	assert_int_equal(probe.token, 0x2003);
	assert_int_equal(probe.vcpu, 3);
	assert_int_equal(probe.reason, 2);
}

/* ---- wake-once ---- */

static void wake_init(struct harness *h)
{
	harness_init(h, &oracle_wake_ops, oracle_wake_create_view, 0);
}

static void test_wake_normal_and_ready_before_park(void **unused)
{
	struct harness h;

	(void)unused;
	wake_init(&h);
	/* Ordinary: post, park, page-ready, unpark. */
	np(&h, 1, 0x1001);
	park(&h, 1, 10, 0x1001);
	pr(&h, 1, 0x1001);
	unpark(&h, 1, 10, 0x1001);
	/* The page-ready comes before the task reaches its wait [R§10.1]. */
	np(&h, 2, 0x1002);
	pr(&h, 2, 0x1002);
	park(&h, 2, 11, 0x1002);
	unpark(&h, 2, 11, 0x1002);
	/* vCPU 0's first token is 0 [R§3.2]: a real token, tracked as such. */
	np(&h, 0, 0x0);
	park(&h, 0, 12, 0x0);
	pr(&h, 0, 0x0);
	unpark(&h, 0, 12, 0x0);
	/* Two tasks on one CPU, woken in the other order. */
	np(&h, 3, 0x1003);
	park(&h, 3, 13, 0x1003);
	np(&h, 3, 0x2003);
	park(&h, 3, 14, 0x2003);
	pr(&h, 3, 0x2003);
	unpark(&h, 3, 14, 0x2003);
	pr(&h, 3, 0x1003);
	unpark(&h, 3, 13, 0x1003);
	finish(&h);
	assert_reports(&h, 0, NULL);
	harness_done(&h);
}

static void test_wake_by_wake_all_reset_and_events(void **unused)
{
	struct harness h;

	(void)unused;
	wake_init(&h);
	/* Wake-all page-ready on the task's vCPU [R§10.11]. */
	np(&h, 1, 0x1001);
	park(&h, 1, 10, 0x1001);
	pr(&h, 1, WAKE_ALL);
	unpark(&h, 1, 10, 0x1001);
	/* Wake-all between the post and the park still counts. */
	np(&h, 1, 0x2001);
	pr(&h, 1, WAKE_ALL);
	park(&h, 1, 11, 0x2001);
	unpark(&h, 1, 11, 0x2001);
	/* apf-reset of the vCPU (migration restore, disable). */
	np(&h, 2, 0x1002);
	park(&h, 2, 12, 0x1002);
	apf_reset(&h, 2);
	unpark(&h, 2, 12, 0x1002);
	/* A world-event on that CPU, and one on every CPU (reboot). */
	np(&h, 3, 0x1003);
	park(&h, 3, 13, 0x1003);
	world_event(&h, WORLD_EVENT_HOTPLUG, 3);
	unpark(&h, 3, 13, 0x1003);
	np(&h, 0, 0x1000);
	park(&h, 0, 14, 0x1000);
	world_event(&h, WORLD_EVENT_REBOOT, ~0ull);
	unpark(&h, 0, 14, 0x1000);
	/* No table entry (token 0 on a CPU other than 0): only its end is checked. */
	park(&h, 2, 15, 0);
	unpark(&h, 2, 15, 0);
	finish(&h);
	assert_reports(&h, 0, NULL);
	harness_done(&h);
}

static void test_wake_wrong_token_reported(void **unused)
{
	struct harness h;

	(void)unused;
	wake_init(&h);
	np(&h, 1, 0x1001);
	np(&h, 1, 0x2001);
	park(&h, 1, 42, 0x1001);
	h.tick = 5000;
	pr(&h, 1, 0x2001); /* someone else's page-ready */
	unpark(&h, 1, 42, 0x1001);
	assert_reports(&h, 1, WORLD_FINDING_WRONG_WAKE);
	assert_message_has(&h, 0, "thread 42 (task-42)");
	assert_message_has(&h, 0, "token 0x1001");
	assert_message_has(&h, 0, "vCPU 1");
	assert_message_has(&h, 0, "tick 5020");
	finish(&h);
	assert_reports(&h, 1, WORLD_FINDING_WRONG_WAKE);
	harness_done(&h);
}

static void test_wake_wake_all_elsewhere_or_stale_ready_reported(void **unused)
{
	struct harness h;

	(void)unused;
	wake_init(&h);
	/* A wake-all of another vCPU does not wake this one [R§10.11]. */
	np(&h, 0, 0x1000);
	park(&h, 0, 20, 0x1000);
	pr(&h, 1, WAKE_ALL);
	world_event(&h, WORLD_EVENT_DISABLE, 2);
	apf_reset(&h, 3);
	unpark(&h, 0, 20, 0x1000);
	assert_reports(&h, 1, WORLD_FINDING_WRONG_WAKE);
	/* A page-ready of the same token before its post is stale. */
	pr(&h, 2, 0x3002);
	np(&h, 2, 0x3002);
	park(&h, 2, 21, 0x3002);
	unpark(&h, 2, 21, 0x3002);
	assert_reports(&h, 2, WORLD_FINDING_WRONG_WAKE);
	/* One page-ready justifies one park, not two. */
	np(&h, 3, 0x1003);
	pr(&h, 3, 0x1003);
	park(&h, 3, 22, 0x1003);
	unpark(&h, 3, 22, 0x1003);
	park(&h, 3, 22, 0x1003);
	unpark(&h, 3, 22, 0x1003);
	assert_reports(&h, 3, WORLD_FINDING_WRONG_WAKE);
	finish(&h);
	harness_done(&h);
}

static void test_wake_one_ready_wakes_one_waiter(void **unused)
{
	struct harness h;

	(void)unused;
	wake_init(&h);
	/* Two waiters on one token (a reuse): its page-ready wakes only one [R§5.3]. */
	np(&h, 1, 0x4001);
	park(&h, 1, 23, 0x4001);
	park(&h, 1, 24, 0x4001);
	pr(&h, 1, 0x4001);
	unpark(&h, 1, 23, 0x4001);
	assert_reports(&h, 0, NULL);
	unpark(&h, 1, 24, 0x4001);
	assert_reports(&h, 1, WORLD_FINDING_WRONG_WAKE);
	assert_message_has(&h, 0, "thread 24");
	finish(&h);
	harness_done(&h);
}

static void test_wake_unpark_without_park_reported(void **unused)
{
	struct harness h;

	(void)unused;
	wake_init(&h);
	np(&h, 1, 0x1001);
	park(&h, 1, 30, 0x1001);
	pr(&h, 1, 0x1001);
	unpark(&h, 1, 30, 0x1001);
	unpark(&h, 1, 30, 0x1001); /* a second wake of the same wait */
	assert_reports(&h, 1, WORLD_FINDING_WRONG_WAKE);
	assert_message_has(&h, 0, "thread 30");
	harness_done(&h);
}

static void test_wake_lost_at_finish(void **unused)
{
	struct harness h;

	(void)unused;
	wake_init(&h);
	np(&h, 2, 0x1002);
	h.tick = 7770;
	park(&h, 2, 55, 0x1002);
	np(&h, 3, 0x1003);
	park(&h, 3, 56, 0x1003);
	/* Woken and gone: not lost. */
	np(&h, 1, 0x1001);
	park(&h, 1, 57, 0x1001);
	pr(&h, 1, 0x1001);
	unpark(&h, 1, 57, 0x1001);
	assert_reports(&h, 0, NULL);
	finish(&h);
	assert_reports(&h, 1, WORLD_FINDING_LOST_WAKE);
	assert_message_has(&h, 0, "2 task(s)");
	assert_message_has(&h, 0, "thread 55 (task-55)");
	assert_message_has(&h, 0, "token 0x1002 on CPU 2");
	assert_message_has(&h, 0, "tick 7770");
	assert_message_has(&h, 0, "0 earlier finding(s)");
	harness_done(&h);
}

static void test_wake_reports_are_bounded_and_bad_ids_ignored(void **unused)
{
	struct harness h;

	(void)unused;
	wake_init(&h);
	for (uint32_t i = 0; i < 20; i++) {
		np(&h, 0, (i + 1u) << 12);
		park(&h, 0, i, (i + 1u) << 12);
		unpark(&h, 0, i, (i + 1u) << 12);
	}
	assert_reports(&h, ORACLE_REPORT_MAX, WORLD_FINDING_WRONG_WAKE);
	/* Out-of-range vCPUs and threads are ignored, not a crash. */
	park(&h, VCPUS, 1, 0x1000);
	park(&h, 0, SIM_THREAD_COUNT_MAX, 0x1000);
	unpark(&h, 0, SIM_THREAD_COUNT_MAX + 5u, 0x1000);
	np(&h, 77, 0x1000);
	pr(&h, 77, WAKE_ALL);
	world_event(&h, WORLD_EVENT_HOTPLUG, 99);
	/* "All CPUs" is only a world-event's: elsewhere 0xffffffff is out of range. */
	np(&h, 0xffffffffu, 0x1000);
	pr(&h, 0xffffffffu, 0x1000);
	pr(&h, 0xffffffffu, WAKE_ALL);
	apf_reset(&h, 0xffffffffu);
	park(&h, 0xffffffffu, 3, 0x1000);
	unpark(&h, 0xffffffffu, 3, 0x1000);
	assert_reports(&h, ORACLE_REPORT_MAX, WORLD_FINDING_WRONG_WAKE);
	harness_done(&h);
}

/* ---- token-unique ---- */

static void token_init(struct harness *h)
{
	harness_init(h, &oracle_token_ops, oracle_token_create_view, 0);
}

static void test_token_reuse_reported(void **unused)
{
	struct harness h;

	(void)unused;
	token_init(&h);
	np(&h, 2, 0x5002);
	h.tick = 9000;
	np(&h, 2, 0x5002);
	assert_reports(&h, 1, WORLD_FINDING_TOKEN_REUSE);
	assert_message_has(&h, 0, "token 0x5002");
	assert_message_has(&h, 0, "vCPU 2");
	assert_message_has(&h, 0, "tick 9010");
	assert_message_has(&h, 0, "thread 102");
	/* A wake-all on another vCPU does not end it. */
	pr(&h, 1, WAKE_ALL);
	apf_reset(&h, 3);
	np(&h, 2, 0x5002);
	assert_reports(&h, 2, WORLD_FINDING_TOKEN_REUSE);
	finish(&h);
	harness_done(&h);
}

static void test_token_legal_reuse_after_end(void **unused)
{
	struct harness h;

	(void)unused;
	token_init(&h);
	/* Ended by its page-ready. */
	np(&h, 0, 0x0);
	pr(&h, 0, 0x0);
	np(&h, 0, 0x0);
	/* Ended by a wake-all of its vCPU. */
	np(&h, 1, 0x1001);
	np(&h, 1, 0x2001);
	pr(&h, 1, WAKE_ALL);
	np(&h, 1, 0x1001);
	np(&h, 1, 0x2001);
	/* Reset, then the counter restarts: the same tokens again [R§4.11]. */
	np(&h, 2, 0x1002);
	apf_reset(&h, 2);
	np(&h, 2, 0x1002);
	/* Cancelled before the guest saw it [R§4.6]: the host clears the slot. */
	np(&h, 3, 0x1003);
	slot_clear(&h, 3, 0x1003, ORACLE_REASON_NOT_PRESENT);
	slot_token(&h, 3, 0, 0);
	np(&h, 3, 0x1003);
	/* The same value on another vCPU's slot is another token space. */
	np(&h, 1, 0x7003);
	np(&h, 2, 0x7003);
	finish(&h);
	assert_reports(&h, 0, NULL);
	harness_done(&h);
}

static void test_token_table_bound_forgets_oldest(void **unused)
{
	struct harness h;
	const uint32_t bound = 256; /* TOKEN_LIVE_MAX, docs/oracles.md */

	(void)unused;
	token_init(&h);
	for (uint32_t i = 0; i <= bound; i++)
		np(&h, 1, (i << 12) | 1u);
	assert_reports(&h, 0, NULL);
	/* The oldest was forgotten at the bound: its reuse goes unseen. */
	np(&h, 1, (0u << 12) | 1u);
	assert_reports(&h, 0, NULL);
	/* The newest are still live. */
	np(&h, 1, (bound << 12) | 1u);
	assert_reports(&h, 1, WORLD_FINDING_TOKEN_REUSE);
	harness_done(&h);
}

/* ---- slot-never-overwritten ---- */

static void slot_init(struct harness *h)
{
	harness_init(h, &oracle_slot_ops, oracle_slot_create_view, 0);
}

static void test_slot_overwrite_reported_once(void **unused)
{
	struct harness h;

	(void)unused;
	slot_init(&h);
	np(&h, 1, 0x1001);
	/* The guest has not cleared it; the host posts again: token, then reason. */
	h.tick = 3000;
	slot_token(&h, 1, 0x2001, ORACLE_REASON_NOT_PRESENT);
	np_raw(&h, 1, 0x2001, ORACLE_REASON_NOT_PRESENT);
	assert_reports(&h, 1, WORLD_FINDING_SLOT_OVERWRITE);
	assert_message_has(&h, 0, "token 0x2001");
	assert_message_has(&h, 0, "vCPU 1");
	assert_message_has(&h, 0, "tick 3000");
	assert_message_has(&h, 0, "thread 101");
	assert_message_has(&h, 0, "page-not-present token 0x1001");
	/* Page-ready over an unconsumed page-not-present ([R§9.3] then [R§4.6]). */
	np(&h, 2, 0x1002);
	pr_raw(&h, 2, 0x1002, ORACLE_REASON_NOT_PRESENT);
	assert_reports(&h, 2, WORLD_FINDING_SLOT_OVERWRITE);
	assert_message_has(&h, 1, "page-ready token 0x1002");
	/* An odd reason value over an occupied slot. */
	feed(&h, SIM_TRACE_TOKEN, "apf-slot-reason", 0x1003, slot_b(3, ORACLE_REASON_PAGE_READY),
	     103);
	assert_reports(&h, 3, WORLD_FINDING_SLOT_OVERWRITE);
	finish(&h);
	harness_done(&h);
}

static void test_slot_clears_and_free_posts_allowed(void **unused)
{
	struct harness h;

	(void)unused;
	slot_init(&h);
	/* Posts into a free slot (the guest clears between them, untraced). */
	np(&h, 0, 0x0);
	pr(&h, 0, 0x0);
	pr(&h, 0, WAKE_ALL);
	/* The host withdraws a page-not-present: reason first, then token 0. */
	np(&h, 1, 0x1001);
	slot_clear(&h, 1, 0x1001, ORACLE_REASON_NOT_PRESENT);
	slot_token(&h, 1, 0, 0);
	np(&h, 1, 0x2001);
	/* A clear that writes the token first is clearing too. */
	np(&h, 2, 0x1002);
	slot_token(&h, 2, 0, ORACLE_REASON_NOT_PRESENT);
	slot_clear(&h, 2, 0x0, ORACLE_REASON_NOT_PRESENT);
	/* The same reason write on another vCPU is another slot. */
	np(&h, 3, 0x1003);
	np(&h, 0, 0x1000);
	finish(&h);
	assert_reports(&h, 0, NULL);
	harness_done(&h);
}

/* ---- bounds ---- */

static void bounds_init(struct harness *h)
{
	harness_init(h, &oracle_bounds_ops, oracle_bounds_create_view, 0);
}

static void test_bounds_at_limits_silent(void **unused)
{
	struct harness h;

	(void)unused;
	bounds_init(&h);
	h.fake.host[1].queued = 64;
	np(&h, 1, 0x1001);
	h.fake.table_count[1] = 128;
	park(&h, 1, 10, 0x1001);
	/* No tables (async PF off): capacity 0 is not a bound. */
	h.fake.table_capacity = 0;
	h.fake.table_count[2] = 5;
	park(&h, 2, 11, 0x1002);
	h.fake.stats[1].queued_max = 64;
	h.fake.has_world_stats = true;
	h.fake.world_stats.guest_table_max = 128;
	h.fake.world_stats.guest_table_capacity = 128;
	finish(&h);
	assert_reports(&h, 0, NULL);
	harness_done(&h);
}

static void test_bounds_host_queue_reported(void **unused)
{
	struct harness h;

	(void)unused;
	bounds_init(&h);
	h.fake.host[2].queued = 65;
	h.tick = 1230;
	np(&h, 2, 0x4002);
	np(&h, 2, 0x5002); /* the same vCPU again: reported once */
	assert_reports(&h, 1, WORLD_FINDING_HOST_QUEUE);
	assert_message_has(&h, 0, "vCPU 2 has 65 works");
	assert_message_has(&h, 0, "token 0x4002");
	assert_message_has(&h, 0, "tick 1240");
	/* At the end, another vCPU's maximum was over the limit between posts. */
	h.fake.stats[2].queued_max = 65;
	h.fake.stats[3].queued_max = 70;
	finish(&h);
	assert_reports(&h, 2, WORLD_FINDING_HOST_QUEUE);
	assert_message_has(&h, 1, "vCPU 3 had up to 70");
	harness_done(&h);
}

static void test_bounds_guest_table_reported(void **unused)
{
	struct harness h;

	(void)unused;
	bounds_init(&h);
	h.fake.table_count[3] = 129;
	h.tick = 600;
	park(&h, 3, 77, 0x9003);
	assert_reports(&h, 1, WORLD_FINDING_GUEST_TABLE);
	assert_message_has(&h, 0, "CPU 3's async-PF table holds 129 entries (capacity 128)");
	assert_message_has(&h, 0, "thread 77 (task-77)");
	assert_message_has(&h, 0, "token 0x9003");
	harness_done(&h);
	/* Seen only in the world's end-of-run maximum. */
	bounds_init(&h);
	h.fake.has_world_stats = true;
	h.fake.world_stats.guest_table_max = 130;
	h.fake.world_stats.guest_table_capacity = 128;
	finish(&h);
	assert_reports(&h, 1, WORLD_FINDING_GUEST_TABLE);
	assert_message_has(&h, 0, "130 entries");
	harness_done(&h);
}

/* ---- irq-storm ---- */

static void irq_init(struct harness *h, uint32_t bound)
{
	harness_init(h, &oracle_irq_ops, oracle_irq_create_view, bound);
}

static void test_irq_storm_reported_once(void **unused)
{
	struct harness h;

	(void)unused;
	irq_init(&h, 0); /* default bound 16 */
	pr(&h, 1, 0x1001);
	h.tick = 4000;
	for (uint32_t i = 0; i < 16; i++)
		irq_exception(&h, 1, PPI);
	assert_reports(&h, 0, NULL);
	irq_exception(&h, 1, PPI); /* the 17th without page-ready or IRQ_ACK */
	assert_reports(&h, 1, WORLD_FINDING_IRQ_STORM);
	assert_message_has(&h, 0, "PPI 19 taken 17 times on vCPU 1");
	assert_message_has(&h, 0, "from tick 4000");
	assert_message_has(&h, 0, "thread 201");
	assert_message_has(&h, 0, "token 0x1001");
	for (uint32_t i = 0; i < 50; i++)
		irq_exception(&h, 1, PPI);
	assert_reports(&h, 1, WORLD_FINDING_IRQ_STORM);
	/* A new storm after a page-ready is a new finding. */
	pr(&h, 1, 0x2001);
	for (uint32_t i = 0; i < 17; i++)
		irq_exception(&h, 1, PPI);
	assert_reports(&h, 2, WORLD_FINDING_IRQ_STORM);
	finish(&h);
	harness_done(&h);
}

static void test_irq_acked_or_other_interrupts_silent(void **unused)
{
	struct harness h;

	(void)unused;
	irq_init(&h, 0);
	/* Back-to-back page-readys, each taken once [R§10.5]. */
	for (uint32_t i = 0; i < 100; i++) {
		pr(&h, 2, (i << 12) | 2u);
		irq_exception(&h, 2, PPI);
	}
	/* IRQ_ACKs counted by the host between deliveries reset the count. */
	for (uint32_t i = 0; i < 100; i++) {
		h.fake.stats[3].irq_ack++;
		irq_exception(&h, 3, PPI);
		irq_exception(&h, 3, PPI);
	}
	/* Other INTIDs, line changes and SGIs are not the page-ready PPI taken. */
	for (uint32_t i = 0; i < 100; i++) {
		irq_exception(&h, 0, 1);
		feed(&h, SIM_TRACE_IRQ, "irq-line-high", PPI, 0, 1);
		feed(&h, SIM_TRACE_IRQ, "sgi", PPI, 0, 1);
	}
	finish(&h);
	assert_reports(&h, 0, NULL);
	harness_done(&h);
}

static void test_irq_custom_bound(void **unused)
{
	struct harness h;

	(void)unused;
	irq_init(&h, 2);
	irq_exception(&h, 0, PPI);
	feed(&h, SIM_TRACE_IRQ, "irq-vector-resume", PPI, 0, 1);
	assert_reports(&h, 0, NULL);
	irq_exception(&h, 0, PPI);
	assert_reports(&h, 1, WORLD_FINDING_IRQ_STORM);
	assert_message_has(&h, 0, "bound 2");
	harness_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_order_and_lookup),
		cmocka_unit_test(test_create_refuses_bad_view),
		cmocka_unit_test(test_probe_decode_labels),
		cmocka_unit_test(test_wake_normal_and_ready_before_park),
		cmocka_unit_test(test_wake_by_wake_all_reset_and_events),
		cmocka_unit_test(test_wake_wrong_token_reported),
		cmocka_unit_test(test_wake_wake_all_elsewhere_or_stale_ready_reported),
		cmocka_unit_test(test_wake_one_ready_wakes_one_waiter),
		cmocka_unit_test(test_wake_unpark_without_park_reported),
		cmocka_unit_test(test_wake_lost_at_finish),
		cmocka_unit_test(test_wake_reports_are_bounded_and_bad_ids_ignored),
		cmocka_unit_test(test_token_reuse_reported),
		cmocka_unit_test(test_token_legal_reuse_after_end),
		cmocka_unit_test(test_token_table_bound_forgets_oldest),
		cmocka_unit_test(test_slot_overwrite_reported_once),
		cmocka_unit_test(test_slot_clears_and_free_posts_allowed),
		cmocka_unit_test(test_bounds_at_limits_silent),
		cmocka_unit_test(test_bounds_host_queue_reported),
		cmocka_unit_test(test_bounds_guest_table_reported),
		cmocka_unit_test(test_irq_storm_reported_once),
		cmocka_unit_test(test_irq_acked_or_other_interrupts_silent),
		cmocka_unit_test(test_irq_custom_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

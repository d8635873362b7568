// SPDX-License-Identifier: MIT
/*
 * Oracle "wake-once" (docs/oracles.md): every guest-park ends with exactly
 * one guest-unpark, and that unpark is justified: since the page-not-present
 * of the parked token on that vCPU (or since the park, when that post was not
 * seen) there was a page-ready of the token on that vCPU (possibly before the
 * park [R§10.1]) or a wake-all for that CPU: apf-pr with the wake-all token
 * [R§3.2], apf-reset of the vCPU, or a world-event on that CPU or on all.
 * Otherwise wrong-wake; a park still open at the end is lost-wake.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim/limits.h"

#include "oracle_private.h"

/*
 * Tokens remembered per vCPU: the last post of each and the page-readys of
 * it not yet used to justify an unpark. A ring: at the bound the oldest
 * record is overwritten (counted in records_evicted).
 */
#define WAKE_RECORD_MAX 256u

struct wake_record {
	bool used;
	bool claimed;      /* a park of this post was seen */
	uint32_t token;
	uint32_t credits;  /* page-readys since the post, not yet used by an unpark */
	uint64_t np_seq;   /* event seq + 1 of the post; 0: not seen */
};

struct wake_vcpu {
	struct wake_record records[WAKE_RECORD_MAX];
	uint32_t record_next;   /* ring position of the next insertion */
	uint64_t wake_all_seq;  /* last wake-all for this CPU (seq + 1), 0: none */
};

struct wake_thread {
	bool parked;
	bool untracked;     /* no table entry: token 0 and no unclaimed post of token 0 */
	uint32_t token;
	uint32_t cpu;
	uint64_t park_seq;
	uint64_t park_tick;
	uint64_t start_seq; /* wake-alls after this justify the unpark */
};

struct wake_state {
	struct oracle_view view;
	struct oracle_budget budget;
	struct wake_vcpu *vcpus;
	struct wake_thread *threads; /* SIM_THREAD_COUNT_MAX */
	uint64_t records_evicted;
	uint64_t untracked;          /* parks without a table entry (not attributed) */
	uint64_t ignored;            /* events with a vCPU or thread out of range */
};

static struct wake_record *record_find(struct wake_vcpu *vcpu, uint32_t token)
{
	for (uint32_t i = 0; i < WAKE_RECORD_MAX; i++) {
		if (vcpu->records[i].used && vcpu->records[i].token == token)
			return &vcpu->records[i];
	}
	return NULL;
}

static struct wake_record *record_get(struct wake_state *state, struct wake_vcpu *vcpu,
				      uint32_t token)
{
	struct wake_record *record = record_find(vcpu, token);

	if (record != NULL)
		return record;
	record = &vcpu->records[vcpu->record_next];
	if (record->used)
		state->records_evicted++;
	vcpu->record_next = (vcpu->record_next + 1u) % WAKE_RECORD_MAX;
	*record = (struct wake_record){ .used = true, .token = token };
	return record;
}

static void on_post(struct wake_state *state, struct wake_vcpu *vcpu, uint32_t token,
		    uint64_t seq)
{
	struct wake_record *record = record_get(state, vcpu, token);

	record->np_seq = seq;
	record->credits = 0;
	record->claimed = false;
}

/*
 * A page-ready wakes the first waiter with its token [R§5.3], which may not
 * have parked yet [R§10.1]: it is a credit that one unpark of the token uses.
 */
static void on_page_ready(struct wake_state *state, struct wake_vcpu *vcpu, uint32_t token)
{
	struct wake_record *record = record_get(state, vcpu, token);

	if (record->credits < UINT32_MAX)
		record->credits++;
}

static void on_park(struct wake_state *state, const struct sim_trace_event *event,
		    const struct oracle_probe_event *probe, uint64_t seq)
{
	struct wake_thread *thread = &state->threads[probe->thread];
	struct wake_record *record = record_find(&state->vcpus[probe->vcpu], probe->token);

	thread->parked = true; /* a park without an unpark before is overwritten */
	thread->token = probe->token;
	thread->cpu = probe->vcpu;
	thread->park_seq = seq;
	thread->park_tick = event->tick;
	thread->start_seq = seq;
	/*
	 * The world reports token 0 when the task has no entry in its CPU's
	 * table (its page-ready or a wake-all already removed it, or it moved
	 * CPU); vCPU 0's first token is 0 too [R§3.2]. Without an unclaimed post
	 * of token 0 the wait cannot be attributed: only its end is checked.
	 */
	thread->untracked = probe->token == 0 &&
			    (record == NULL || record->claimed || record->np_seq == 0);
	if (thread->untracked) {
		state->untracked++;
	} else if (record != NULL) {
		record->claimed = true;
		if (record->np_seq != 0)
			thread->start_seq = record->np_seq;
	}
}

static bool unpark_justified(struct wake_state *state, const struct wake_thread *thread)
{
	struct wake_vcpu *vcpu = &state->vcpus[thread->cpu];
	struct wake_record *record;

	if (thread->untracked || vcpu->wake_all_seq > thread->start_seq)
		return true;
	record = record_find(vcpu, thread->token);
	if (record == NULL || record->credits == 0)
		return false;
	record->credits--;
	return true;
}

static void on_unpark(struct wake_state *state, const struct sim_trace_event *event,
		      const struct oracle_probe_event *probe)
{
	struct wake_thread *thread = &state->threads[probe->thread];

	if (!thread->parked) {
		(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_WRONG_WAKE,
				    __FILE__, __LINE__,
				    "thread %u (%s) left an async-PF wait it had not entered "
				    "(token 0x%x, CPU %u, tick %llu)",
				    probe->thread, oracle_thread_name(&state->view, probe->thread),
				    probe->token, probe->vcpu, (unsigned long long)event->tick);
		return;
	}
	if (!unpark_justified(state, thread)) {
		(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_WRONG_WAKE,
				    __FILE__, __LINE__,
				    "thread %u (%s) left its async-PF wait at tick %llu with "
				    "neither a page-ready of token 0x%x on vCPU %u nor a "
				    "wake-all since its post (parked at tick %llu)",
				    probe->thread, oracle_thread_name(&state->view, probe->thread),
				    (unsigned long long)event->tick, thread->token, thread->cpu,
				    (unsigned long long)thread->park_tick);
	}
	thread->parked = false;
}

static void wake_all(struct wake_state *state, uint32_t cpu, uint64_t seq)
{
	if (cpu == ORACLE_CPU_ALL) {
		for (uint32_t v = 0; v < state->view.vcpu_count; v++)
			state->vcpus[v].wake_all_seq = seq;
	} else {
		state->vcpus[cpu].wake_all_seq = seq;
	}
}

static void wake_event(void *opaque, const struct world *world, const struct sim_trace_event *event)
{
	struct wake_state *state = opaque;
	struct oracle_probe_event probe;
	uint64_t seq = event->seq + 1u;

	(void)world;
	if (oracle_probe_decode(event, &probe) == ORACLE_PROBE_NONE)
		return;
	/* Only a world-event may name every CPU; anything else must name one. */
	if (probe.probe == ORACLE_PROBE_LIVENESS)
		return;
	if (!(probe.probe == ORACLE_PROBE_WORLD_EVENT && probe.vcpu == ORACLE_CPU_ALL) &&
	    probe.vcpu >= state->view.vcpu_count) {
		state->ignored++;
		return;
	}
	switch (probe.probe) {
	case ORACLE_PROBE_NP:
		on_post(state, &state->vcpus[probe.vcpu], probe.token, seq);
		break;
	case ORACLE_PROBE_PR:
		if (probe.token == ORACLE_TOKEN_WAKE_ALL)
			wake_all(state, probe.vcpu, seq);
		else
			on_page_ready(state, &state->vcpus[probe.vcpu], probe.token);
		break;
	case ORACLE_PROBE_RESET:
	case ORACLE_PROBE_WORLD_EVENT:
		wake_all(state, probe.vcpu, seq);
		break;
	case ORACLE_PROBE_PARK:
	case ORACLE_PROBE_UNPARK:
		if (probe.thread >= SIM_THREAD_COUNT_MAX) {
			state->ignored++;
			break;
		}
		if (probe.probe == ORACLE_PROBE_PARK)
			on_park(state, event, &probe, seq);
		else
			on_unpark(state, event, &probe);
		break;
	default:
		break;
	}
}

static void wake_finish(void *opaque, const struct world *world)
{
	struct wake_state *state = opaque;
	const struct wake_thread *first = NULL;
	const struct wake_record *record;
	uint32_t earlier = 0;
	uint32_t first_id = 0;
	uint32_t count = 0;

	(void)world;
	for (uint32_t id = 0; id < SIM_THREAD_COUNT_MAX; id++) {
		const struct wake_thread *thread = &state->threads[id];

		if (!thread->parked)
			continue;
		if (first == NULL || thread->park_seq < first->park_seq) {
			first = thread;
			first_id = id;
		}
		count++;
	}
	if (first == NULL)
		return;
	record = record_find(&state->vcpus[first->cpu], first->token);
	/* Other findings may have stopped the run early: say so, for triage. */
	if (state->view.finding_count != NULL)
		earlier = state->view.finding_count(state->view.ctx);
	(void)oracle_report(&state->view, &state->budget, WORLD_FINDING_LOST_WAKE, __FILE__,
			    __LINE__,
			    "%u task(s) never left their async-PF wait; first: thread %u (%s), "
			    "token 0x%x on CPU %u, parked at tick %llu%s; %u earlier finding(s)",
			    count, first_id, oracle_thread_name(&state->view, first_id),
			    first->token, first->cpu, (unsigned long long)first->park_tick,
			    record != NULL && record->credits > 0 ?
				    " (a page-ready of it was posted, unused)" : "",
			    earlier);
}

int oracle_wake_create_view(void **out, const struct oracle_view *view)
{
	int ret = ORACLE_STATE_NEW(struct wake_state, out, view);
	struct wake_state *state;

	if (ret != 0)
		return ret;
	state = *out;
	state->threads = calloc(SIM_THREAD_COUNT_MAX, sizeof(*state->threads));
	if (state->threads == NULL) {
		ORACLE_STATE_FREE(struct wake_state, state);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int wake_create(void **out, const struct world *world)
{
	return oracle_create_from_world(out, world, oracle_wake_create_view);
}

static void wake_destroy(void *opaque)
{
	struct wake_state *state = opaque;

	if (state != NULL)
		free(state->threads);
	ORACLE_STATE_FREE(struct wake_state, opaque);
}

const struct world_oracle_ops oracle_wake_ops = {
	.name = "wake-once",
	.summary = "every parked task leaves its wait once, by its page-ready or a wake-all",
	.create = wake_create,
	.event = wake_event,
	.finish = wake_finish,
	.destroy = wake_destroy,
};

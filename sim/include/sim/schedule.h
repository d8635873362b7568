/* SPDX-License-Identifier: MIT */
/*
 * A recorded schedule: the sequence of decisions an execution made wherever
 * it had more than one option. The engine records it whatever the strategy;
 * the replay strategy consumes it.
 *
 * Text form (see docs/schedule-format.md): a compact, versioned, printable string
 *   "apfs1-" <base32 payload> "-" <crc32 hex>
 * and a file form that wraps the string at 76 columns with a header.
 */
#ifndef SIM_SCHEDULE_H
#define SIM_SCHEDULE_H

#include <stdint.h>
#include <stdio.h>

enum sim_decision_kind {
	SIM_DECISION_THREAD = 0, /* value: thread id picked to run */
	SIM_DECISION_IRQ = 1,    /* value: 0 deliver now, 1 not yet */
	SIM_DECISION_CHOICE = 2, /* value: option index of sim_choose() */
};

struct sim_decision {
	uint8_t kind;   /* enum sim_decision_kind */
	uint32_t value;
	uint32_t option_count; /* options there were (not encoded; 0 when decoded) */
};

struct sim_schedule {
	struct sim_decision *decisions;
	uint64_t count;
	uint64_t capacity;
};

void sim_schedule_init(struct sim_schedule *schedule);
void sim_schedule_fini(struct sim_schedule *schedule);
/* Return: 0 or -ENOMEM. */
int sim_schedule_append(struct sim_schedule *schedule, struct sim_decision decision);
int sim_schedule_copy(struct sim_schedule *target, const struct sim_schedule *source);
/* Keep the first @count decisions. */
void sim_schedule_truncate(struct sim_schedule *schedule, uint64_t count);

/*
 * Encode to the text form. Return: a malloc'ed NUL-terminated string, or NULL
 * on allocation failure.
 */
char *sim_schedule_encode(const struct sim_schedule *schedule);
/*
 * Decode the text form. Return: 0, or -EINVAL with a reason in @error
 * (bad prefix, bad character, bad checksum, truncated, unknown version).
 */
int sim_schedule_decode(const char *text, struct sim_schedule *schedule,
			char *error, size_t error_size);

/* File form: header lines, then the string wrapped at 76 columns. */
int sim_schedule_write_file(FILE *file, const struct sim_schedule *schedule,
			    uint64_t seed);
int sim_schedule_read_file(FILE *file, struct sim_schedule *schedule,
			   uint64_t *seed_out, char *error, size_t error_size);

#endif /* SIM_SCHEDULE_H */

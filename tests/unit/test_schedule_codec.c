// SPDX-License-Identifier: MIT
/*
 * Goal: the schedule text codec round-trips every schedule, keeps typical
 * schedules short, matches its documented format byte for byte, and rejects
 * every malformed text and file with the documented reason and an empty
 * schedule. Method: round trips of fixed and seeded random schedules; a
 * known vector computed outside this code base (Python's zlib.crc32 and a
 * separate base32 routine); an independent payload encoder in this file that
 * builds hostile payloads with a valid checksum, so each rejection path is
 * reached past the checksum; file form through tmpfile().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/prng.h"
#include "sim/schedule.h"

#define ERROR_SIZE 256

/* ---- An independent encoder for hand-made payloads ---- */

static const char test_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

static uint32_t test_crc32(const uint8_t *bytes, size_t count)
{
	uint32_t table[256];
	uint32_t crc = 0xffffffffu;

	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	for (size_t i = 0; i < count; i++)
		crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffu;
}

/* "apfs1-" + base32(bytes) + "-" + crc, into @text (caller-sized). */
static void test_wrap(const uint8_t *bytes, size_t count, char *text, size_t text_size)
{
	size_t at = (size_t)snprintf(text, text_size, "apfs1-");
	uint64_t bit_index = 0;
	uint64_t bit_total = (uint64_t)count * 8;

	/* Five bits at a time, MSB first, reading bit by bit. */
	while (bit_index < bit_total) {
		unsigned int digit = 0;

		for (int k = 0; k < 5; k++, bit_index++) {
			unsigned int bit = 0;

			if (bit_index < bit_total)
				bit = (bytes[bit_index / 8] >> (7 - bit_index % 8)) & 1;
			digit = digit << 1 | bit;
		}
		assert_true(at + 12 < text_size);
		text[at++] = test_alphabet[digit];
	}
	snprintf(text + at, text_size - at, "-%08x", test_crc32(bytes, count));
}

static size_t test_varint(uint8_t *out, uint64_t value)
{
	size_t n = 0;

	do {
		uint8_t byte = value & 0x7f;

		value >>= 7;
		out[n++] = byte | (value ? 0x80 : 0);
	} while (value);
	return n;
}

/* Decode @bytes wrapped with a valid checksum; expect -EINVAL with @reason. */
static void expect_payload_rejected(const uint8_t *bytes, size_t count, const char *reason)
{
	char text[512];
	char error[ERROR_SIZE] = "";
	struct sim_schedule schedule;
	struct sim_decision filler = { .kind = SIM_DECISION_THREAD, .value = 7 };

	test_wrap(bytes, count, text, sizeof(text));
	sim_schedule_init(&schedule);
	assert_int_equal(sim_schedule_append(&schedule, filler), 0);
	assert_int_equal(sim_schedule_decode(text, &schedule, error, sizeof(error)), -EINVAL);
	if (strstr(error, reason) == NULL)
		fail_msg("\"%s\": expected \"%s\" in \"%s\"", text, reason, error);
	/* A rejected text leaves nothing half-decoded behind. */
	assert_int_equal(schedule.count, 0);
	sim_schedule_fini(&schedule);
}

static void expect_text_rejected(const char *text, const char *reason)
{
	char error[ERROR_SIZE] = "";
	struct sim_schedule schedule;

	sim_schedule_init(&schedule);
	assert_int_equal(sim_schedule_decode(text, &schedule, error, sizeof(error)), -EINVAL);
	if (strstr(error, reason) == NULL)
		fail_msg("\"%s\": expected \"%s\" in \"%s\"", text ? text : "(null)", reason,
			 error);
	assert_int_equal(schedule.count, 0);
	sim_schedule_fini(&schedule);
}

/* ---- Round trips ---- */

static void append(struct sim_schedule *schedule, uint8_t kind, uint32_t value)
{
	struct sim_decision decision = { .kind = kind, .value = value, .option_count = 9 };

	assert_int_equal(sim_schedule_append(schedule, decision), 0);
}

/* Encode, decode, compare kinds and values; return the text length. */
static size_t round_trip(const struct sim_schedule *schedule)
{
	char error[ERROR_SIZE] = "";
	struct sim_schedule decoded;
	char *text = sim_schedule_encode(schedule);
	size_t length;

	assert_non_null(text);
	length = strlen(text);
	assert_true(strncmp(text, "apfs1-", 6) == 0);
	for (size_t i = 0; i < length; i++)
		assert_non_null(strchr("0123456789abcdefghjkmnpqrstvwxyz-", text[i]));
	sim_schedule_init(&decoded);
	if (sim_schedule_decode(text, &decoded, error, sizeof(error)) != 0)
		fail_msg("decode of %s failed: %s", text, error);
	assert_int_equal(decoded.count, schedule->count);
	for (uint64_t i = 0; i < schedule->count; i++) {
		assert_int_equal(decoded.decisions[i].kind, schedule->decisions[i].kind);
		assert_int_equal(decoded.decisions[i].value, schedule->decisions[i].value);
		assert_int_equal(decoded.decisions[i].option_count, 0);
	}
	sim_schedule_fini(&decoded);
	free(text);
	return length;
}

static void test_schedule_codec_round_trip_empty(void **state)
{
	struct sim_schedule schedule;
	char *text;

	(void)state;
	sim_schedule_init(&schedule);
	text = sim_schedule_encode(&schedule);
	assert_non_null(text);
	/* Version 1, count 0. */
	assert_string_equal(text, "apfs1-0400-58c223be");
	free(text);
	assert_int_equal(round_trip(&schedule), strlen("apfs1-0400-58c223be"));
	sim_schedule_fini(&schedule);
}

static void test_schedule_codec_round_trip_one_decision_each_kind(void **state)
{
	(void)state;
	for (uint8_t kind = SIM_DECISION_THREAD; kind <= SIM_DECISION_CHOICE; kind++) {
		struct sim_schedule schedule;

		sim_schedule_init(&schedule);
		append(&schedule, kind, 1);
		round_trip(&schedule);
		sim_schedule_fini(&schedule);
	}
}

static void test_schedule_codec_known_vector(void **state)
{
	struct sim_schedule schedule;
	char *text;

	(void)state;
	sim_schedule_init(&schedule);
	/* Payload 01 05 | 04 (thread 1) 05 (repeat x2) 06 (irq 1 x1) 0b (choice 2). */
	append(&schedule, SIM_DECISION_THREAD, 1);
	append(&schedule, SIM_DECISION_THREAD, 1);
	append(&schedule, SIM_DECISION_THREAD, 1);
	append(&schedule, SIM_DECISION_IRQ, 1);
	append(&schedule, SIM_DECISION_CHOICE, 2);
	text = sim_schedule_encode(&schedule);
	assert_string_equal(text, "apfs1-042g81861c-fa5fd6c4");
	free(text);
	sim_schedule_fini(&schedule);
	/* And the test's own checksum routine agrees with the CRC-32 check value. */
	assert_int_equal(test_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
}

static void test_schedule_codec_round_trip_random_every_kind(void **state)
{
	struct sim_prng prng;

	(void)state;
	sim_prng_init(&prng, 0x5eed);
	for (int round = 0; round < 40; round++) {
		struct sim_schedule schedule;
		uint64_t count = sim_prng_range(&prng, 1, 3000);

		sim_schedule_init(&schedule);
		for (uint64_t i = 0; i < count; i++) {
			uint8_t kind = (uint8_t)sim_prng_below(&prng, 3);
			uint32_t value;

			if (kind == SIM_DECISION_IRQ)
				value = (uint32_t)sim_prng_below(&prng, 2);
			else if (sim_prng_below(&prng, 8) == 0)
				value = (uint32_t)sim_prng_next(&prng);
			else
				value = (uint32_t)sim_prng_below(&prng, 6);
			append(&schedule, kind, value);
		}
		round_trip(&schedule);
		sim_schedule_fini(&schedule);
	}
}

static void test_schedule_codec_round_trip_extreme_values(void **state)
{
	static const uint32_t values[] = { 0, 1, 31, 32, 127, 128, 0x7fffffffu,
					   0xfffffffdu, 0xfffffffeu, 0xffffffffu };
	struct sim_schedule schedule;

	(void)state;
	sim_schedule_init(&schedule);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		append(&schedule, SIM_DECISION_THREAD, values[i]);
		append(&schedule, SIM_DECISION_THREAD, values[i]);
		append(&schedule, SIM_DECISION_CHOICE, values[i]);
		append(&schedule, SIM_DECISION_THREAD, values[sizeof(values) / sizeof(values[0]) -
							1 - i]);
	}
	round_trip(&schedule);
	sim_schedule_fini(&schedule);
}

static void test_schedule_codec_runs_are_compact(void **state)
{
	struct sim_schedule schedule;
	size_t length;

	(void)state;
	sim_schedule_init(&schedule);
	/* 10000 picks of one thread, 5000 deferred interrupts, then two
	 * threads alternating 100 times: runs cost a few bytes each. */
	for (int i = 0; i < 10000; i++)
		append(&schedule, SIM_DECISION_THREAD, 3);
	for (int i = 0; i < 5000; i++)
		append(&schedule, SIM_DECISION_IRQ, 1);
	for (int i = 0; i < 100; i++)
		append(&schedule, SIM_DECISION_THREAD, (uint32_t)(i & 1));
	length = round_trip(&schedule);
	/* Payload: version 1 + count 2 + thread 1 + repeat 3 + irq run 3 +
	 * 100 single picks = 110 bytes -> 176 digits, plus "apfs1-" and
	 * "-crc". */
	assert_int_equal(length, 6 + 176 + 9);
	sim_schedule_fini(&schedule);
}

/* ---- Rejections ---- */

static void test_schedule_codec_rejects_bad_prefix_and_version(void **state)
{
	(void)state;
	expect_text_rejected(NULL, "no schedule text");
	expect_text_rejected("", "wrong prefix");
	expect_text_rejected("apf", "wrong prefix");
	expect_text_rejected("xpfs1-0400-58c223be", "wrong prefix");
	expect_text_rejected("apfs-0400-58c223be", "wrong prefix");
	expect_text_rejected("apfs1", "wrong prefix");
	expect_text_rejected("apfs1x0400-58c223be", "wrong prefix");
	expect_text_rejected("apfs1234567-0400-58c223be", "wrong prefix");
	expect_text_rejected("APFS1-0400-58c223be", "wrong prefix");
	expect_text_rejected("apfs2-0400-58c223be", "unknown version \"apfs2\"");
	expect_text_rejected("apfs01-0400-58c223be", "unknown version \"apfs01\"");
	expect_text_rejected("apfs12-0400-58c223be", "unknown version \"apfs12\"");
}

static void test_schedule_codec_rejects_bad_characters(void **state)
{
	(void)state;
	/* i, l, o and u are not Crockford digits; upper case is not canonical. */
	expect_text_rejected("apfs1-04i0-58c223be", "bad character 'i' in the payload at offset 8");
	expect_text_rejected("apfs1-04u0-58c223be", "bad character 'u'");
	expect_text_rejected("apfs1-04A0-58c223be", "bad character 'A'");
	expect_text_rejected("apfs1-04 0-58c223be", "bad character ' '");
	expect_text_rejected("apfs1-04\t0-58c223be", "bad character 0x09");
	expect_text_rejected("apfs1-04\xff" "0-58c223be", "bad character 0xff");
	/* A '-' inside the payload is a bad character, not a separator. */
	expect_text_rejected("apfs1-04-00-58c223be", "bad character '-' in the payload");
	expect_text_rejected("apfs1-0400-58c223bG", "bad character 'G' in the checksum");
	expect_text_rejected("apfs1-0400-58C223BE", "bad character 'C' in the checksum");
}

static void test_schedule_codec_rejects_bad_checksum(void **state)
{
	(void)state;
	expect_text_rejected("apfs1-0400-58c223bf",
			     "bad checksum: the text says 58c223bf, the payload gives 58c223be");
	expect_text_rejected("apfs1-0400-58c223b", "bad checksum field: 7 characters");
	expect_text_rejected("apfs1-0400-58c223be0", "bad checksum field: 9 characters");
	expect_text_rejected("apfs1-0400-", "bad checksum field: 0 characters");
	expect_text_rejected("apfs1-0400-58c223be\n", "bad checksum field");
	expect_text_rejected("apfs1-0400", "no checksum");
	expect_text_rejected("apfs1-", "no checksum");
	/* One flipped payload digit: the checksum catches it. */
	expect_text_rejected("apfs1-042g81871c-fa5fd6c4", "bad checksum");
}

static void test_schedule_codec_rejects_bad_payload_length_and_padding(void **state)
{
	char text[64];

	(void)state;
	/* One digit is five bits: not a whole byte. */
	expect_text_rejected("apfs1-0-00000000", "bad payload length: 1 digits");
	/* "0401" carries 20 bits: 2 bytes and 4 padding bits that must be 0. */
	snprintf(text, sizeof(text), "apfs1-0401-%08x",
		 test_crc32((const uint8_t[]){ 1, 0 }, 2));
	expect_text_rejected(text, "padding bits are not zero");
}

static void test_schedule_codec_rejects_bad_payload_header(void **state)
{
	uint8_t payload[32] = { 0 };
	size_t n;

	(void)state;
	expect_payload_rejected(payload, 0, "no version byte");
	payload[0] = 2;
	payload[1] = 0;
	expect_payload_rejected(payload, 2, "unknown payload version 2");
	payload[0] = 0;
	expect_payload_rejected(payload, 2, "unknown payload version 0");
	payload[0] = 1;
	expect_payload_rejected(payload, 1, "truncated payload: the varint at byte 1");
	payload[1] = 0x80;
	expect_payload_rejected(payload, 2, "truncated payload: the varint at byte 1");
	/* Zero written as two bytes. */
	payload[1] = 0x80;
	payload[2] = 0x00;
	expect_payload_rejected(payload, 3, "overlong varint at byte 1");
	/* 2^64: ten bytes whose last carries more than bit 63. */
	memset(payload + 1, 0xff, 9);
	payload[10] = 0x02;
	expect_payload_rejected(payload, 11, "overlong varint at byte 1: more than 64 bits");
	/* Eleven bytes. */
	memset(payload + 1, 0x80, 10);
	payload[11] = 0x01;
	expect_payload_rejected(payload, 12, "more than 64 bits");
	/* A declared count above the limit is refused before any work. */
	n = 1 + test_varint(payload + 1, (1ull << 22) + 1);
	payload[n++] = (0 << 2) | 1;
	expect_payload_rejected(payload, n, "exceeds the limit");
}

static void test_schedule_codec_rejects_bad_records(void **state)
{
	uint8_t payload[32] = { 0 };
	size_t n;

	(void)state;
	/* Count 3, two decisions. */
	payload[0] = 1;
	payload[1] = 3;
	payload[2] = 1 << 2;     /* thread 1 */
	payload[3] = 0 << 2 | 1; /* repeat x1 */
	expect_payload_rejected(payload, 4, "ends after 2 of 3 decisions");
	/* Count 1, two decisions. */
	payload[1] = 1;
	expect_payload_rejected(payload, 4, "trailing garbage: 1 bytes after the 1 declared");
	/* Count 2, a run of 5 repeats. */
	payload[1] = 2;
	payload[3] = 4 << 2 | 1;
	expect_payload_rejected(payload, 4, "the run of 5 at byte 3 goes past the 2 declared");
	/* An interrupt run too long. */
	payload[1] = 2;
	payload[2] = 2 << 3 | 1 << 2 | 2;
	expect_payload_rejected(payload, 3, "the run of 3 at byte 2");
	/* A repeat with no thread before it (an irq does not count). */
	payload[1] = 2;
	payload[2] = 0 << 3 | 2;
	payload[3] = 0 << 2 | 1;
	expect_payload_rejected(payload, 4, "thread repeat before any thread pick at byte 3");
	/* Thread id 2^32 and choice 2^32 do not fit a decision. */
	payload[1] = 1;
	n = 2 + test_varint(payload + 2, (1ull << 32) << 2 | 0);
	expect_payload_rejected(payload, n, "value 4294967296 out of range at byte 2");
	n = 2 + test_varint(payload + 2, (1ull << 32) << 2 | 3);
	expect_payload_rejected(payload, n, "value 4294967296 out of range");
	/* A tag varint cut off, and an overlong tag. */
	payload[2] = 0x85;
	expect_payload_rejected(payload, 3, "truncated payload: the varint at byte 2");
	payload[3] = 0x00;
	expect_payload_rejected(payload, 4, "overlong varint at byte 2");
}

static void test_schedule_codec_accepts_hand_made_payload(void **state)
{
	/* Non-canonical but valid: two repeat runs in a row, a 2^32-1 id. */
	uint8_t payload[32] = { 0 };
	char text[128];
	char error[ERROR_SIZE] = "";
	struct sim_schedule schedule;
	size_t n = 0;

	(void)state;
	payload[n++] = 1;
	payload[n++] = 6;
	n += test_varint(payload + n, 0xffffffffull << 2 | 0);
	payload[n++] = 1 << 2 | 1;         /* repeat x2 */
	payload[n++] = 0 << 2 | 1;         /* repeat x1 */
	payload[n++] = 1 << 3 | 0 << 2 | 2; /* irq 0 x2 */
	test_wrap(payload, n, text, sizeof(text));
	sim_schedule_init(&schedule);
	assert_int_equal(sim_schedule_decode(text, &schedule, error, sizeof(error)), 0);
	assert_int_equal(schedule.count, 6);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(schedule.decisions[i].kind, SIM_DECISION_THREAD);
		assert_int_equal(schedule.decisions[i].value, 0xffffffffu);
	}
	assert_int_equal(schedule.decisions[5].kind, SIM_DECISION_IRQ);
	assert_int_equal(schedule.decisions[5].value, 0);
	/* A NULL error buffer is allowed. */
	assert_int_equal(sim_schedule_decode("apfs9-00-00000000", &schedule, NULL, 0), -EINVAL);
	assert_int_equal(schedule.count, 0);
	sim_schedule_fini(&schedule);
}

static void test_schedule_codec_count_limit(void **state)
{
	const uint64_t limit = 1ull << 22;
	struct sim_decision one = { .kind = SIM_DECISION_CHOICE, .value = 1 };
	/* Filled by hand: encode must refuse on the count alone, before
	 * reading any decision. */
	struct sim_schedule forged = { .decisions = &one, .count = limit + 1, .capacity = 1 };
	struct sim_schedule schedule;
	uint8_t payload[32];
	char error[ERROR_SIZE] = "";
	char text[128];
	size_t n = 1;

	(void)state;
	assert_null(sim_schedule_encode(&forged));
	/* Exactly the limit decodes: one pick and a run of limit - 1. */
	payload[0] = 1;
	n += test_varint(payload + n, limit);
	payload[n++] = 6 << 2 | 0;
	n += test_varint(payload + n, (limit - 2) << 2 | 1);
	test_wrap(payload, n, text, sizeof(text));
	sim_schedule_init(&schedule);
	assert_int_equal(sim_schedule_decode(text, &schedule, error, sizeof(error)), 0);
	assert_int_equal(schedule.count, limit);
	assert_int_equal(schedule.decisions[limit - 1].value, 6);
	sim_schedule_fini(&schedule);
}

static void test_schedule_codec_rejects_overlong_text(void **state)
{
	/* The longest text the limit allows: 8 digits per decision + 64. */
	const size_t length_max = (1u << 22) * 8 + 64;
	char *text = malloc(length_max + 2);

	(void)state;
	assert_non_null(text);
	memset(text, '0', length_max + 1);
	memcpy(text, "apfs1-", 6);
	text[length_max + 1] = '\0';
	expect_text_rejected(text, "schedule text longer than 33554496 bytes");
	/* One byte less gets past the length check (and fails later). */
	text[length_max] = '\0';
	expect_text_rejected(text, "no checksum");
	free(text);
}

/* Mutating valid texts must never crash: a small deterministic fuzz. */
static void test_schedule_codec_survives_mutations(void **state)
{
	struct sim_prng prng;
	struct sim_schedule source, decoded;
	char error[ERROR_SIZE];
	int accepted = 0;

	(void)state;
	sim_prng_init(&prng, 77);
	sim_schedule_init(&source);
	sim_schedule_init(&decoded);
	for (int i = 0; i < 60; i++)
		append(&source, (uint8_t)(i % 3), (uint32_t)(i % 3 == 1 ? i & 1 : i));
	char *text = sim_schedule_encode(&source);
	size_t length = strlen(text);

	for (int round = 0; round < 3000; round++) {
		char *copy = strdup(text);
		size_t at = (size_t)sim_prng_below(&prng, length);

		assert_non_null(copy);
		copy[at] = (char)sim_prng_range(&prng, 1, 255);
		if (sim_prng_below(&prng, 4) == 0)
			copy[sim_prng_below(&prng, length)] = '\0';
		if (sim_schedule_decode(copy, &decoded, error, sizeof(error)) == 0) {
			/* A changed digit flips at most 5 payload bits: CRC-32
			 * catches every such burst. */
			assert_string_equal(copy, text);
			assert_int_equal(decoded.count, source.count);
			accepted++;
		} else {
			assert_int_equal(decoded.count, 0);
		}
		free(copy);
	}
	/* Only mutations that left the text unchanged decode. */
	assert_true(accepted > 0);
	free(text);
	sim_schedule_fini(&source);
	sim_schedule_fini(&decoded);
}

/* ---- File form ---- */

static FILE *file_with(const char *content)
{
	FILE *file = tmpfile();

	assert_non_null(file);
	assert_int_equal(fwrite(content, 1, strlen(content), file), strlen(content));
	rewind(file);
	return file;
}

static void expect_file_rejected(const char *content, int expected_err, const char *reason)
{
	char error[ERROR_SIZE] = "";
	struct sim_schedule schedule;
	uint64_t seed = 12345;
	FILE *file = file_with(content);

	sim_schedule_init(&schedule);
	append(&schedule, SIM_DECISION_CHOICE, 1);
	assert_int_equal(sim_schedule_read_file(file, &schedule, &seed, error, sizeof(error)),
			 expected_err);
	if (strstr(error, reason) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", reason, error);
	assert_int_equal(schedule.count, 0);
	assert_int_equal(seed, 12345);
	sim_schedule_fini(&schedule);
	fclose(file);
}

static void test_schedule_codec_file_round_trip(void **state)
{
	struct sim_schedule schedule, decoded;
	char error[ERROR_SIZE] = "";
	char line[256];
	uint64_t seed = 0;
	int line_count = 0;
	FILE *file = tmpfile();

	(void)state;
	assert_non_null(file);
	sim_schedule_init(&schedule);
	sim_schedule_init(&decoded);
	for (uint32_t i = 0; i < 400; i++)
		append(&schedule, (uint8_t)(i % 3), i % 3 == 1 ? i & 1 : i * 2654435761u);
	assert_int_equal(sim_schedule_write_file(file, &schedule, 0xdeadbeef00c0ffeeull), 0);
	rewind(file);
	/* Headers first, then lines of at most 76 characters. */
	while (fgets(line, sizeof(line), file) != NULL) {
		size_t length = strlen(line);

		assert_true(length >= 1);
		assert_int_equal(line[length - 1], '\n');
		if (line_count == 0)
			assert_string_equal(line, "# format: apfsim-schedule/1\n");
		if (line_count == 1)
			assert_string_equal(line, "# seed: 0xdeadbeef00c0ffee\n");
		if (line_count == 2)
			assert_string_equal(line, "# decisions: 400\n");
		if (line_count >= 3)
			assert_true(length - 1 <= 76);
		line_count++;
	}
	assert_true(line_count > 4);
	rewind(file);
	assert_int_equal(sim_schedule_read_file(file, &decoded, &seed, error, sizeof(error)), 0);
	assert_int_equal(seed, 0xdeadbeef00c0ffeeull);
	assert_int_equal(decoded.count, schedule.count);
	for (uint64_t i = 0; i < schedule.count; i++)
		assert_int_equal(decoded.decisions[i].value, schedule.decisions[i].value);
	fclose(file);
	sim_schedule_fini(&schedule);
	sim_schedule_fini(&decoded);
}

static void test_schedule_codec_file_accepts_comments_blank_lines_and_crlf(void **state)
{
	char error[ERROR_SIZE] = "";
	struct sim_schedule schedule;
	uint64_t seed = 0;
	FILE *file = file_with("# apfsim failure schedule\r\n"
			       "# format: apfsim-schedule/1\r\n"
			       "# seed: 0x2a\r\n\r\n"
			       "# decisions: 5\r\n"
			       "apfs1-042g8\r\n"
			       "1861c-fa5fd6c4\r\n\r\n");

	(void)state;
	sim_schedule_init(&schedule);
	assert_int_equal(sim_schedule_read_file(file, &schedule, &seed, error, sizeof(error)), 0);
	assert_int_equal(seed, 42);
	assert_int_equal(schedule.count, 5);
	assert_int_equal(schedule.decisions[4].kind, SIM_DECISION_CHOICE);
	fclose(file);
	/* The seed is optional to receive. */
	file = file_with("# format: apfsim-schedule/1\n# seed: 7\n# decisions: 0\n"
			 "apfs1-0400-58c223be");
	assert_int_equal(sim_schedule_read_file(file, &schedule, NULL, error, sizeof(error)), 0);
	assert_int_equal(schedule.count, 0);
	fclose(file);
	sim_schedule_fini(&schedule);
}

static void test_schedule_codec_file_rejects_malformed(void **state)
{
	char long_line[1100];
	char with_nul[] = "# format: apfsim-schedule/1\n# seed: 1\n# decisions: 0\n"
			  "apfs1-0400\0-58c223be\n";
	char error[ERROR_SIZE] = "";
	struct sim_schedule schedule;
	FILE *file;

	(void)state;
	expect_file_rejected("", -EINVAL, "missing \"# format:\" header");
	expect_file_rejected("# format: apfsim-schedule/2\n", -EINVAL,
			     "line 1: unsupported format \"apfsim-schedule/2\"");
	expect_file_rejected("# format: apfsim-schedule/1\n# decisions: 0\napfs1-0400-58c223be\n",
			     -EINVAL, "missing \"# seed:\" header");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\napfs1-0400-58c223be\n",
			     -EINVAL, "missing \"# decisions:\" header");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\n# decisions: 0\n", -EINVAL,
			     "no schedule text");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: zz\n", -EINVAL,
			     "line 2: bad seed \"zz\"");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\n# decisions: -1\n",
			     -EINVAL, "line 3: bad decision count \"-1\"");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\n# decisions: \n",
			     -EINVAL, "line 3: bad decision count");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\n"
			     "# decisions: 99999999999999999999\n", -EINVAL, "bad decision count");
	expect_file_rejected("# format: apfsim-schedule/1\n# format: apfsim-schedule/1\n",
			     -EINVAL, "line 2: duplicate \"format\" header");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\n# seed: 1\n", -EINVAL,
			     "duplicate \"seed\"");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\n# decisions: 1\n"
			     "# decisions: 1\n", -EINVAL, "duplicate \"decisions\"");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\n# decisions: 0\n"
			     "apfs1-0400\n# note\n-58c223be\n", -EINVAL,
			     "line 5: a header line after the schedule text");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\n# decisions: 3\n"
			     "apfs1-0400-58c223be\n", -EINVAL,
			     "the header says 3 decisions, the schedule has 0");
	expect_file_rejected("# format: apfsim-schedule/1\n# seed: 1\n# decisions: 0\n"
			     "apfs1-0400-58c223bf\n", -EINVAL, "schedule text: bad checksum");
	memset(long_line, 'a', sizeof(long_line) - 2);
	long_line[sizeof(long_line) - 2] = '\n';
	long_line[sizeof(long_line) - 1] = '\0';
	expect_file_rejected(long_line, -EINVAL, "line 1: longer than 1024 bytes");
	/* A NUL byte inside a line. */
	sim_schedule_init(&schedule);
	file = tmpfile();
	assert_non_null(file);
	assert_int_equal(fwrite(with_nul, 1, sizeof(with_nul) - 1, file), sizeof(with_nul) - 1);
	rewind(file);
	assert_int_equal(sim_schedule_read_file(file, &schedule, NULL, error, sizeof(error)),
			 -EINVAL);
	assert_non_null(strstr(error, "line 4: a NUL byte"));
	fclose(file);
	sim_schedule_fini(&schedule);
}

static void test_schedule_codec_file_write_error(void **state)
{
	struct sim_schedule schedule;
	FILE *file = fopen("/dev/full", "w");

	(void)state;
	if (file == NULL)
		skip();
	sim_schedule_init(&schedule);
	append(&schedule, SIM_DECISION_THREAD, 1);
	assert_int_equal(sim_schedule_write_file(file, &schedule, 1), -EIO);
	fclose(file);
	sim_schedule_fini(&schedule);
}

static void test_schedule_codec_file_read_error(void **state)
{
	char error[ERROR_SIZE] = "";
	struct sim_schedule schedule;
	/* A write-only stream: reading it sets the error indicator. */
	FILE *file = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(file);
	sim_schedule_init(&schedule);
	assert_int_equal(sim_schedule_read_file(file, &schedule, NULL, error, sizeof(error)), -EIO);
	assert_string_equal(error, "read error");
	fclose(file);
	sim_schedule_fini(&schedule);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schedule_codec_round_trip_empty),
		cmocka_unit_test(test_schedule_codec_round_trip_one_decision_each_kind),
		cmocka_unit_test(test_schedule_codec_known_vector),
		cmocka_unit_test(test_schedule_codec_round_trip_random_every_kind),
		cmocka_unit_test(test_schedule_codec_round_trip_extreme_values),
		cmocka_unit_test(test_schedule_codec_runs_are_compact),
		cmocka_unit_test(test_schedule_codec_rejects_bad_prefix_and_version),
		cmocka_unit_test(test_schedule_codec_rejects_bad_characters),
		cmocka_unit_test(test_schedule_codec_rejects_bad_checksum),
		cmocka_unit_test(test_schedule_codec_rejects_bad_payload_length_and_padding),
		cmocka_unit_test(test_schedule_codec_rejects_bad_payload_header),
		cmocka_unit_test(test_schedule_codec_rejects_bad_records),
		cmocka_unit_test(test_schedule_codec_accepts_hand_made_payload),
		cmocka_unit_test(test_schedule_codec_count_limit),
		cmocka_unit_test(test_schedule_codec_rejects_overlong_text),
		cmocka_unit_test(test_schedule_codec_survives_mutations),
		cmocka_unit_test(test_schedule_codec_file_round_trip),
		cmocka_unit_test(test_schedule_codec_file_accepts_comments_blank_lines_and_crlf),
		cmocka_unit_test(test_schedule_codec_file_rejects_malformed),
		cmocka_unit_test(test_schedule_codec_file_write_error),
		cmocka_unit_test(test_schedule_codec_file_read_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

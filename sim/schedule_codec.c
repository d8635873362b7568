// SPDX-License-Identifier: MIT
/*
 * The schedule text codec (docs/schedule-format.md):
 *
 *   "apfs1-" <payload in lower-case Crockford base32> "-" <CRC-32 of the
 *   payload bytes, 8 lower-case hex digits>
 *
 * The payload is a version byte, a varint decision count, then records. Each
 * record starts with a varint tag whose two low bits say what follows:
 *   0  thread pick of thread (tag >> 2)
 *   1  (tag >> 2) + 1 thread picks repeating the previous thread picked
 *   2  (tag >> 3) + 1 irq decisions of value (tag >> 2) & 1
 *   3  choice of option (tag >> 2)
 * Runs keep the common cases short: a thread that keeps running and an
 * interrupt that keeps being deferred each cost one byte per run.
 *
 * The decoder is written for hostile input (it is fuzzed): every read is
 * bounds-checked, every count is checked against the bytes and the declared
 * total before any work proportional to it, and each failure says what is
 * wrong and where.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/limits.h"
#include "sim/prng.h"
#include "sim/schedule.h"

#define CODEC_PREFIX_ "apfs"
#define CODEC_PREFIX_SIZE_ (sizeof(CODEC_PREFIX_) - 1)
#define CODEC_VERSION_ 1u
#define CODEC_CRC_DIGITS_ 8u
/* A schedule holds at most this many decisions (4194304): twice the default
 * step bound (a decision needs a step), and small enough that a hostile
 * ten-byte run cannot make the decoder allocate more than 48 MiB. */
#define CODEC_DECISION_COUNT_MAX_ (1ull << 22)
/* Longest text accepted: the longest schedule needs at most 5 payload bytes
 * per decision, 8 characters per 5 bytes. */
#define CODEC_TEXT_BYTES_MAX_ (CODEC_DECISION_COUNT_MAX_ * 8 + 64)
#define CODEC_VARINT_BYTES_MAX_ 10u
#define CODEC_TAG_THREAD_ 0u
#define CODEC_TAG_REPEAT_ 1u
#define CODEC_TAG_IRQ_ 2u
#define CODEC_TAG_CHOICE_ 3u

#define FILE_FORMAT_ "apfsim-schedule/1"
#define FILE_COLUMNS_ 76u
#define FILE_LINE_BYTES_MAX_ 1024u

SIM_STATIC_ASSERT(CODEC_DECISION_COUNT_MAX_ <= (1ull << 32),
		  "the container holds at most 2^32 decisions");
SIM_STATIC_ASSERT(CODEC_DECISION_COUNT_MAX_ >= 2 * SIM_STEP_COUNT_MAX_DEFAULT,
		  "a run at the default step bound must always encode");

static const char codec_alphabet[32] = "0123456789abcdefghjkmnpqrstvwxyz";

struct codec_buffer {
	uint8_t *bytes;
	size_t count;
	size_t capacity;
	bool failed; /* an allocation failed; later writes are dropped */
};

__attribute__((format(printf, 3, 4))) static int
codec_fail(char *error, size_t error_size, const char *fmt, ...)
{
	va_list args;

	if (error != NULL && error_size > 0) {
		va_start(args, fmt);
		vsnprintf(error, error_size, fmt, args);
		va_end(args);
	}
	return -EINVAL;
}

/* CRC-32 (IEEE 802.3, reflected, as zlib): small and table-free. */
static uint32_t codec_crc32(const uint8_t *bytes, size_t count)
{
	uint32_t crc = 0xffffffffu;

	SIM_ASSERT(bytes != NULL || count == 0);
	for (size_t i = 0; i < count; i++) {
		crc ^= bytes[i];
		for (unsigned int bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void codec_put_byte(struct codec_buffer *buffer, uint8_t byte)
{
	if (buffer->failed)
		return;
	if (buffer->count == buffer->capacity) {
		size_t capacity = buffer->capacity ? buffer->capacity * 2 : 64;
		uint8_t *grown = realloc(buffer->bytes, capacity);

		if (grown == NULL) {
			buffer->failed = true;
			return;
		}
		buffer->bytes = grown;
		buffer->capacity = capacity;
	}
	SIM_ASSERT(buffer->count < buffer->capacity);
	buffer->bytes[buffer->count++] = byte;
}

static void codec_put_varint(struct codec_buffer *buffer, uint64_t value)
{
	unsigned int written = 0;

	while (value >= 0x80) {
		codec_put_byte(buffer, (uint8_t)(value | 0x80));
		value >>= 7;
		written++;
	}
	codec_put_byte(buffer, (uint8_t)value);
	SIM_ASSERT(written < CODEC_VARINT_BYTES_MAX_);
}

/* The run of decisions equal to decisions[index] (same kind and value). */
static uint64_t codec_run_length(const struct sim_schedule *schedule, uint64_t index)
{
	const struct sim_decision *first = &schedule->decisions[index];
	uint64_t end = index + 1;

	while (end < schedule->count && schedule->decisions[end].kind == first->kind &&
	       schedule->decisions[end].value == first->value)
		end++;
	return end - index;
}

static void codec_encode_payload(struct codec_buffer *buffer, const struct sim_schedule *schedule)
{
	uint64_t index = 0;
	uint32_t previous = 0;
	bool have_previous = false;

	codec_put_byte(buffer, CODEC_VERSION_);
	codec_put_varint(buffer, schedule->count);
	while (index < schedule->count) {
		const struct sim_decision *decision = &schedule->decisions[index];
		uint64_t run = codec_run_length(schedule, index);

		SIM_ASSERT(decision->kind <= SIM_DECISION_CHOICE);
		SIM_ASSERT(decision->kind != SIM_DECISION_IRQ || decision->value <= 1);
		if (decision->kind == SIM_DECISION_THREAD &&
		    (!have_previous || decision->value != previous)) {
			codec_put_varint(buffer,
					 (uint64_t)decision->value << 2 | CODEC_TAG_THREAD_);
			previous = decision->value;
			have_previous = true;
			run = 1;
		} else if (decision->kind == SIM_DECISION_THREAD) {
			codec_put_varint(buffer, (run - 1) << 2 | CODEC_TAG_REPEAT_);
		} else if (decision->kind == SIM_DECISION_IRQ) {
			codec_put_varint(buffer, (run - 1) << 3 | (uint64_t)decision->value << 2 |
						 CODEC_TAG_IRQ_);
		} else {
			codec_put_varint(buffer,
					 (uint64_t)decision->value << 2 | CODEC_TAG_CHOICE_);
			run = 1;
		}
		index += run;
	}
	SIM_ASSERT(index == schedule->count);
}

static char *codec_format_text(const uint8_t *bytes, size_t count)
{
	size_t digit_count = (count * 8 + 4) / 5; /* ceiling */
	size_t text_size = CODEC_PREFIX_SIZE_ + 2 + digit_count + 1 + CODEC_CRC_DIGITS_ + 1;
	char *text = malloc(text_size);
	uint32_t bits = 0;
	unsigned int bit_count = 0;
	size_t at;

	if (text == NULL)
		return NULL;
	at = (size_t)snprintf(text, text_size, "%s%u-", CODEC_PREFIX_, CODEC_VERSION_);
	for (size_t i = 0; i < count; i++) {
		bits = (bits << 8 | bytes[i]) & 0xfffu;
		bit_count += 8;
		while (bit_count >= 5) {
			bit_count -= 5;
			text[at++] = codec_alphabet[(bits >> bit_count) & 31u];
		}
	}
	/* The last digit carries the leftover bits, padded with zeros. */
	if (bit_count > 0)
		text[at++] = codec_alphabet[(bits << (5 - bit_count)) & 31u];
	SIM_ASSERT(at + 1 + CODEC_CRC_DIGITS_ + 1 == text_size);
	snprintf(text + at, text_size - at, "-%08" PRIx32, codec_crc32(bytes, count));
	SIM_ASSERT(strlen(text) + 1 == text_size);
	return text;
}

/**
 * sim_schedule_encode() - encode a schedule to its text form.
 * @schedule: the schedule; option_count is not encoded.
 *
 * Return: a malloc'ed NUL-terminated string, or NULL when memory runs out or
 * the schedule holds more than 2^22 decisions (the decoder's limit).
 */
char *sim_schedule_encode(const struct sim_schedule *schedule)
{
	struct codec_buffer buffer = { 0 };
	char *text = NULL;

	SIM_ASSERT(schedule != NULL);
	SIM_ASSERT(schedule->count == 0 || schedule->decisions != NULL);
	if (schedule->count > CODEC_DECISION_COUNT_MAX_)
		return NULL;
	codec_encode_payload(&buffer, schedule);
	if (!buffer.failed)
		text = codec_format_text(buffer.bytes, buffer.count);
	free(buffer.bytes);
	return text;
}

/* ---- Decoding ---- */

static int codec_digit_value(char c)
{
	for (unsigned int i = 0; i < 32; i++) {
		if (codec_alphabet[i] == c)
			return (int)i;
	}
	return -1;
}

static int codec_bad_character(char *error, size_t error_size, const char *what, char c,
			       size_t offset)
{
	if (isprint((unsigned char)c))
		return codec_fail(error, error_size, "bad character '%c' in the %s at offset %zu",
				  c, what, offset);
	return codec_fail(error, error_size, "bad character 0x%02x in the %s at offset %zu",
			  (unsigned char)c, what, offset);
}

/* Base32 digits to bytes; @bytes has room for digit_count * 5 / 8 bytes. */
static int codec_parse_digits(const char *digits, size_t digit_count, size_t offset,
			      uint8_t *bytes, size_t *count_out, char *error, size_t error_size)
{
	uint32_t bits = 0;
	unsigned int bit_count = 0;
	size_t count = 0;

	for (size_t i = 0; i < digit_count; i++) {
		int value = codec_digit_value(digits[i]);

		if (value < 0)
			return codec_bad_character(error, error_size, "payload", digits[i],
						   offset + i);
		bits = (bits << 5 | (uint32_t)value) & 0xfffu;
		bit_count += 5;
		if (bit_count >= 8) {
			bit_count -= 8;
			SIM_ASSERT(count < digit_count * 5 / 8);
			bytes[count++] = (uint8_t)(bits >> bit_count);
		}
	}
	if (bit_count >= 5)
		return codec_fail(error, error_size,
				  "bad payload length: %zu digits do not make whole bytes",
				  digit_count);
	if ((bits & ((1u << bit_count) - 1)) != 0)
		return codec_fail(error, error_size, "bad payload: padding bits are not zero");
	*count_out = count;
	return 0;
}

/* "apfs" <version digits> "-": returns the offset of the payload, or <0. */
static int codec_parse_prefix(const char *text, size_t length, size_t *payload_offset,
			      char *error, size_t error_size)
{
	size_t at = CODEC_PREFIX_SIZE_;
	uint32_t version = 0;

	if (length < CODEC_PREFIX_SIZE_ || memcmp(text, CODEC_PREFIX_, CODEC_PREFIX_SIZE_) != 0)
		return codec_fail(error, error_size,
				  "wrong prefix: a schedule starts with \"%s%u-\"", CODEC_PREFIX_,
				  CODEC_VERSION_);
	while (at < length && at < CODEC_PREFIX_SIZE_ + 6 && isdigit((unsigned char)text[at]))
		version = version * 10 + (uint32_t)(text[at++] - '0');
	if (at == CODEC_PREFIX_SIZE_ || at >= length || text[at] != '-')
		return codec_fail(error, error_size,
				  "wrong prefix: a schedule starts with \"%s%u-\"", CODEC_PREFIX_,
				  CODEC_VERSION_);
	if (version != CODEC_VERSION_ || at != CODEC_PREFIX_SIZE_ + 1)
		return codec_fail(error, error_size,
				  "unknown version \"%.*s\": this build reads %s%u", (int)at, text,
				  CODEC_PREFIX_, CODEC_VERSION_);
	*payload_offset = at + 1;
	return 0;
}

static int codec_parse_crc(const char *text, size_t length, size_t offset, uint32_t *crc_out,
			   char *error, size_t error_size)
{
	uint32_t crc = 0;

	if (length != CODEC_CRC_DIGITS_)
		return codec_fail(error, error_size,
				  "bad checksum field: %zu characters, expected %u hex digits",
				  length, CODEC_CRC_DIGITS_);
	for (size_t i = 0; i < length; i++) {
		char c = text[i];

		if (c >= '0' && c <= '9')
			crc = crc << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			crc = crc << 4 | (uint32_t)(c - 'a' + 10);
		else
			return codec_bad_character(error, error_size, "checksum", c, offset + i);
	}
	*crc_out = crc;
	return 0;
}

struct codec_reader {
	const uint8_t *bytes;
	size_t count;
	size_t position;
	char *error;
	size_t error_size;
};

static int codec_read_varint(struct codec_reader *reader, uint64_t *value_out)
{
	size_t start = reader->position;
	uint64_t value = 0;

	SIM_ASSERT(reader->position <= reader->count);
	for (unsigned int i = 0; i < CODEC_VARINT_BYTES_MAX_; i++) {
		uint8_t byte;

		if (reader->position >= reader->count)
			return codec_fail(reader->error, reader->error_size,
					  "truncated payload: the varint at byte %zu is cut off",
					  start);
		byte = reader->bytes[reader->position++];
		/* The tenth byte holds bit 63 only. */
		if (i == CODEC_VARINT_BYTES_MAX_ - 1 && byte > 1)
			break;
		value |= (uint64_t)(byte & 0x7fu) << (7 * i);
		if ((byte & 0x80u) == 0) {
			if (byte == 0 && i > 0)
				return codec_fail(reader->error, reader->error_size,
						  "overlong varint at byte %zu", start);
			*value_out = value;
			return 0;
		}
	}
	return codec_fail(reader->error, reader->error_size,
			  "overlong varint at byte %zu: more than 64 bits", start);
}

static int codec_append_run(struct sim_schedule *schedule, uint8_t kind, uint32_t value,
			    uint64_t run)
{
	struct sim_decision decision = { .kind = kind, .value = value, .option_count = 0 };

	SIM_ASSERT(run >= 1);
	SIM_ASSERT(run <= CODEC_DECISION_COUNT_MAX_);
	for (uint64_t i = 0; i < run; i++) {
		int err = sim_schedule_append(schedule, decision);

		if (err)
			return err;
	}
	return 0;
}

struct codec_record {
	uint8_t kind;
	uint32_t value;
	uint64_t run;
};

/* Turn one tag into a record; the run is not yet checked against the count. */
static int codec_parse_record(struct codec_reader *reader, uint64_t tag, size_t start,
			      const uint32_t *previous, struct codec_record *record)
{
	uint64_t argument = tag >> 2;

	record->run = 1;
	switch (tag & 3u) {
	case CODEC_TAG_THREAD_:
	case CODEC_TAG_CHOICE_:
		if (argument > UINT32_MAX)
			return codec_fail(reader->error, reader->error_size,
					  "value %" PRIu64 " out of range at byte %zu", argument,
					  start);
		record->kind = (tag & 3u) == CODEC_TAG_THREAD_ ? SIM_DECISION_THREAD
							       : SIM_DECISION_CHOICE;
		record->value = (uint32_t)argument;
		return 0;
	case CODEC_TAG_REPEAT_:
		if (previous == NULL)
			return codec_fail(reader->error, reader->error_size,
					  "thread repeat before any thread pick at byte %zu",
					  start);
		record->kind = SIM_DECISION_THREAD;
		record->value = *previous;
		record->run = argument + 1;
		return 0;
	default:
		record->kind = SIM_DECISION_IRQ;
		record->value = (uint32_t)(argument & 1u);
		record->run = (argument >> 1) + 1;
		return 0;
	}
}

static int codec_parse_records(struct codec_reader *reader, uint64_t count,
			       struct sim_schedule *schedule)
{
	uint32_t previous = 0;
	bool have_previous = false;

	/* Each pass consumes at least one byte, so the payload bounds it. */
	while (schedule->count < count) {
		struct codec_record record = { 0 };
		size_t start = reader->position;
		uint64_t tag = 0;
		int err;

		if (reader->position >= reader->count)
			return codec_fail(reader->error, reader->error_size,
					  "truncated payload: it ends after %" PRIu64 " of %" PRIu64
					  " decisions", schedule->count, count);
		err = codec_read_varint(reader, &tag);
		if (!err)
			err = codec_parse_record(reader, tag, start,
						 have_previous ? &previous : NULL, &record);
		if (err)
			return err;
		if (record.run > count - schedule->count)
			return codec_fail(reader->error, reader->error_size,
					  "counts do not match: the run of %" PRIu64 " at byte %zu"
					  " goes past the %" PRIu64 " declared decisions",
					  record.run, start, count);
		err = codec_append_run(schedule, record.kind, record.value, record.run);
		if (err) {
			codec_fail(reader->error, reader->error_size, "out of memory");
			return err;
		}
		if (record.kind == SIM_DECISION_THREAD) {
			previous = record.value;
			have_previous = true;
		}
	}
	return 0;
}

static int codec_parse_payload(const uint8_t *bytes, size_t count, struct sim_schedule *schedule,
			       char *error, size_t error_size)
{
	struct codec_reader reader = {
		.bytes = bytes, .count = count, .error = error, .error_size = error_size,
	};
	uint64_t decision_count = 0;
	int err;

	if (count == 0)
		return codec_fail(error, error_size, "truncated payload: no version byte");
	if (bytes[0] != CODEC_VERSION_)
		return codec_fail(error, error_size,
				  "unknown payload version %u (this build reads %u)", bytes[0],
				  CODEC_VERSION_);
	reader.position = 1;
	err = codec_read_varint(&reader, &decision_count);
	if (err)
		return err;
	if (decision_count > CODEC_DECISION_COUNT_MAX_)
		return codec_fail(error, error_size,
				  "declared decision count %" PRIu64 " exceeds the limit %llu",
				  decision_count, CODEC_DECISION_COUNT_MAX_);
	err = codec_parse_records(&reader, decision_count, schedule);
	if (err)
		return err;
	if (reader.position != count)
		return codec_fail(error, error_size,
				  "trailing garbage: %zu bytes after the %" PRIu64
				  " declared decisions", count - reader.position, decision_count);
	return 0;
}

/* memrchr() is a GNU extension; this is the portable, bounded equivalent. */
static const char *codec_last_dash(const char *text, size_t length)
{
	for (size_t i = length; i > 0; i--) {
		if (text[i - 1] == '-')
			return text + i - 1;
	}
	return NULL;
}

static int codec_decode_checked(const char *text, size_t length, struct sim_schedule *schedule,
				char *error, size_t error_size)
{
	const char *dash;
	size_t payload_offset = 0, digit_count, byte_count = 0;
	uint32_t crc_text = 0, crc_payload;
	uint8_t *bytes;
	int err;

	err = codec_parse_prefix(text, length, &payload_offset, error, error_size);
	if (err)
		return err;
	dash = codec_last_dash(text + payload_offset, length - payload_offset);
	if (dash == NULL)
		return codec_fail(error, error_size, "no checksum: the text has no second '-'");
	err = codec_parse_crc(dash + 1, length - (size_t)(dash + 1 - text),
			      (size_t)(dash + 1 - text), &crc_text, error, error_size);
	if (err)
		return err;
	digit_count = (size_t)(dash - text) - payload_offset;
	bytes = malloc(digit_count * 5 / 8 + 1);
	if (bytes == NULL) {
		codec_fail(error, error_size, "out of memory");
		return -ENOMEM;
	}
	err = codec_parse_digits(text + payload_offset, digit_count, payload_offset, bytes,
				 &byte_count, error, error_size);
	if (!err) {
		crc_payload = codec_crc32(bytes, byte_count);
		if (crc_payload != crc_text)
			err = codec_fail(error, error_size,
					 "bad checksum: the text says %08" PRIx32
					 ", the payload gives %08" PRIx32, crc_text, crc_payload);
	}
	if (!err)
		err = codec_parse_payload(bytes, byte_count, schedule, error, error_size);
	free(bytes);
	return err;
}

/**
 * sim_schedule_decode() - decode the text form of a schedule.
 * @text: the text; NULL is rejected.
 * @schedule: an initialised schedule whose contents are replaced; empty after
 *            an error.
 * @error: receives the reason of a rejection (may be NULL).
 * @error_size: size of @error.
 *
 * Decoded decisions have option_count 0. On success @error is untouched.
 *
 * Return: 0, -EINVAL for a malformed text (wrong prefix, unknown version, bad
 * character, bad checksum, truncated or overlong varint, counts that do not
 * match, trailing garbage), -ENOMEM.
 */
int sim_schedule_decode(const char *text, struct sim_schedule *schedule,
			char *error, size_t error_size)
{
	size_t length;
	int err;

	SIM_ASSERT(schedule != NULL);
	SIM_ASSERT(error != NULL || error_size == 0);
	sim_schedule_truncate(schedule, 0);
	if (text == NULL)
		return codec_fail(error, error_size, "no schedule text");
	length = strnlen(text, CODEC_TEXT_BYTES_MAX_ + 1);
	if (length > CODEC_TEXT_BYTES_MAX_)
		return codec_fail(error, error_size, "schedule text longer than %llu bytes",
				  CODEC_TEXT_BYTES_MAX_);
	err = codec_decode_checked(text, length, schedule, error, error_size);
	if (err)
		sim_schedule_truncate(schedule, 0);
	return err;
}

/* ---- File form ---- */

/**
 * sim_schedule_write_file() - write a schedule in the file form.
 * @file: an open stream.
 * @schedule: the schedule.
 * @seed: the run seed, written as a header so the file says how to replay.
 *
 * Return: 0, -ENOMEM, -EIO on a write error.
 */
int sim_schedule_write_file(FILE *file, const struct sim_schedule *schedule, uint64_t seed)
{
	char *text;
	size_t length;

	SIM_ASSERT(file != NULL);
	SIM_ASSERT(schedule != NULL);
	text = sim_schedule_encode(schedule);
	if (text == NULL)
		return -ENOMEM;
	length = strlen(text);
	fprintf(file, "# format: %s\n# seed: 0x%016" PRIx64 "\n# decisions: %" PRIu64 "\n",
		FILE_FORMAT_, seed, schedule->count);
	for (size_t at = 0; at < length; at += FILE_COLUMNS_) {
		size_t chunk = length - at < FILE_COLUMNS_ ? length - at : FILE_COLUMNS_;

		fwrite(text + at, 1, chunk, file);
		fputc('\n', file);
	}
	free(text);
	if (fflush(file) != 0 || ferror(file))
		return -EIO;
	return 0;
}

struct file_reader {
	FILE *file;
	char line[FILE_LINE_BYTES_MAX_ + 1];
	size_t line_length;
	uint64_t line_number;
	char *body;
	size_t body_length;
	size_t body_capacity;
	bool have_format, have_seed, have_count;
	uint64_t seed;
	uint64_t count;
	char *error;
	size_t error_size;
};

/* Return: 1 a line was read, 0 end of file, or a negative errno. */
static int file_read_line(struct file_reader *reader)
{
	int c;

	reader->line_length = 0;
	reader->line_number++;
	for (;;) {
		c = getc(reader->file);
		if (c == EOF)
			break;
		if (c == '\n')
			break;
		if (c == '\0')
			return codec_fail(reader->error, reader->error_size,
					  "line %" PRIu64 ": a NUL byte", reader->line_number);
		if (reader->line_length == FILE_LINE_BYTES_MAX_)
			return codec_fail(reader->error, reader->error_size,
					  "line %" PRIu64 ": longer than %u bytes",
					  reader->line_number, FILE_LINE_BYTES_MAX_);
		reader->line[reader->line_length++] = (char)c;
	}
	if (c == EOF && ferror(reader->file)) {
		codec_fail(reader->error, reader->error_size, "read error");
		return -EIO;
	}
	if (c == EOF && reader->line_length == 0)
		return 0;
	if (reader->line_length > 0 && reader->line[reader->line_length - 1] == '\r')
		reader->line_length--;
	reader->line[reader->line_length] = '\0';
	return 1;
}

static int file_parse_count(const char *value, uint64_t *count_out)
{
	uint64_t count = 0;

	if (*value == '\0')
		return -EINVAL;
	for (const char *c = value; *c != '\0'; c++) {
		if (!isdigit((unsigned char)*c))
			return -EINVAL;
		if (count > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		count = count * 10 + (uint64_t)(*c - '0');
	}
	*count_out = count;
	return 0;
}

static int file_header_duplicate(struct file_reader *reader, bool *seen, const char *key)
{
	if (*seen)
		return codec_fail(reader->error, reader->error_size,
				  "line %" PRIu64 ": duplicate \"%s\" header", reader->line_number,
				  key);
	*seen = true;
	return 0;
}

/* "# key: value"; other comment lines are ignored. */
static int file_parse_header(struct file_reader *reader)
{
	const char *line = reader->line;
	const char *value;

	if (strncmp(line, "# format: ", 10) == 0) {
		value = line + 10;
		if (strcmp(value, FILE_FORMAT_) != 0)
			return codec_fail(reader->error, reader->error_size,
					  "line %" PRIu64 ": unsupported format \"%.64s\""
					  " (expected %s)",
					  reader->line_number, value, FILE_FORMAT_);
		return file_header_duplicate(reader, &reader->have_format, "format");
	}
	if (strncmp(line, "# seed: ", 8) == 0) {
		if (sim_seed_parse(line + 8, &reader->seed) != 0)
			return codec_fail(reader->error, reader->error_size,
					  "line %" PRIu64 ": bad seed \"%.64s\"",
					  reader->line_number, line + 8);
		return file_header_duplicate(reader, &reader->have_seed, "seed");
	}
	if (strncmp(line, "# decisions: ", 13) == 0) {
		if (file_parse_count(line + 13, &reader->count) != 0)
			return codec_fail(reader->error, reader->error_size,
					  "line %" PRIu64 ": bad decision count \"%.64s\"",
					  reader->line_number, line + 13);
		return file_header_duplicate(reader, &reader->have_count, "decisions");
	}
	return 0;
}

static int file_append_body(struct file_reader *reader)
{
	size_t needed = reader->body_length + reader->line_length + 1;

	if (needed > CODEC_TEXT_BYTES_MAX_)
		return codec_fail(reader->error, reader->error_size,
				  "line %" PRIu64 ": schedule text longer than %llu bytes",
				  reader->line_number, CODEC_TEXT_BYTES_MAX_);
	if (needed > reader->body_capacity) {
		size_t capacity = reader->body_capacity ? reader->body_capacity : 256;
		char *grown;

		while (capacity < needed)
			capacity *= 2;
		grown = realloc(reader->body, capacity);
		if (grown == NULL) {
			codec_fail(reader->error, reader->error_size, "out of memory");
			return -ENOMEM;
		}
		reader->body = grown;
		reader->body_capacity = capacity;
	}
	memcpy(reader->body + reader->body_length, reader->line, reader->line_length + 1);
	reader->body_length += reader->line_length;
	return 0;
}

static int file_read_lines(struct file_reader *reader)
{
	int read;

	while ((read = file_read_line(reader)) == 1) {
		int err;

		if (reader->line_length == 0)
			continue;
		if (reader->line[0] == '#' && reader->body_length > 0)
			return codec_fail(reader->error, reader->error_size,
					  "line %" PRIu64 ": a header line after the schedule text",
					  reader->line_number);
		if (reader->line[0] == '#')
			err = file_parse_header(reader);
		else
			err = file_append_body(reader);
		if (err)
			return err;
	}
	return read;
}

static int file_check_headers(struct file_reader *reader)
{
	const char *missing = NULL;

	if (!reader->have_format)
		missing = "# format:";
	else if (!reader->have_seed)
		missing = "# seed:";
	else if (!reader->have_count)
		missing = "# decisions:";
	if (missing != NULL)
		return codec_fail(reader->error, reader->error_size, "missing \"%s\" header",
				  missing);
	if (reader->body_length == 0)
		return codec_fail(reader->error, reader->error_size, "no schedule text");
	return 0;
}

/**
 * sim_schedule_read_file() - read a schedule in the file form.
 * @file: an open stream.
 * @schedule: an initialised schedule whose contents are replaced; empty after
 *            an error.
 * @seed_out: receives the seed header (may be NULL).
 * @error: receives the reason of a rejection (may be NULL).
 * @error_size: size of @error.
 *
 * Return: 0, -EINVAL for a malformed file, -EIO, -ENOMEM.
 */
int sim_schedule_read_file(FILE *file, struct sim_schedule *schedule, uint64_t *seed_out,
			   char *error, size_t error_size)
{
	struct file_reader *reader;
	char reason[256];
	int err;

	SIM_ASSERT(file != NULL);
	SIM_ASSERT(schedule != NULL);
	sim_schedule_truncate(schedule, 0);
	/* The line buffer is large: keep it off the stack. */
	reader = calloc(1, sizeof(*reader));
	if (reader == NULL) {
		codec_fail(error, error_size, "out of memory");
		return -ENOMEM;
	}
	reader->file = file;
	reader->error = error;
	reader->error_size = error_size;
	err = file_read_lines(reader);
	if (!err)
		err = file_check_headers(reader);
	if (!err) {
		err = sim_schedule_decode(reader->body, schedule, reason, sizeof(reason));
		if (err)
			codec_fail(error, error_size, "schedule text: %s", reason);
	}
	if (!err && schedule->count != reader->count)
		err = codec_fail(error, error_size,
				 "the header says %" PRIu64 " decisions, the schedule has %" PRIu64,
				 reader->count, schedule->count);
	if (!err && seed_out != NULL)
		*seed_out = reader->seed;
	if (err)
		sim_schedule_truncate(schedule, 0);
	free(reader->body);
	free(reader);
	return err;
}

// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the schedule text codec (docs/schedule-format.md).
 *
 * Input: byte 0 selects the mode, the rest is its material:
 *   mode 0, 3  raw text: the rest, NUL-terminated, to sim_schedule_decode()
 *   mode 1     payload: the rest is a payload; the harness wraps it in a valid
 *              "apfs1-" base32 text with the right CRC, so the fuzzer reaches
 *              the payload parser (varints, records, counts) at once
 *   mode 2     file form: the rest through fmemopen() to sim_schedule_read_file()
 *
 * Properties (a violation aborts with a message):
 *   - decode returns 0 or -EINVAL; on -EINVAL the reason is non-empty and
 *     NUL-terminated and the schedule is left empty;
 *   - on success, encode(decode(text)) is not NULL, no longer than the text,
 *     decodes to the same decisions and is a fixed point (canonical form:
 *     equal to the text unless the text split runs, which the decoder accepts
 *     and the greedy encoder merges);
 *   - file form: read returns 0, -EINVAL or -EIO with a reason; on success
 *     write_file() + read_file() give back the same decisions and seed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/schedule.h"
#include "fuzz_cursor.h"

#define ERROR_SIZE 256u
/* The codec's own text limit is 32 MiB; fuzz inputs stay far below. */
#define TEXT_MAX (1u << 20)

static const char base32_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

#define FUZZ_FAIL(...)                                                          \
	do {                                                                    \
		fprintf(stderr, "fuzz_schedule_decode: property violated: ");   \
		fprintf(stderr, __VA_ARGS__);                                   \
		fputc('\n', stderr);                                            \
		abort();                                                        \
	} while (0)

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return crc ^ 0xffffffffu;
}

/* "apfs1-" + Crockford base32 of @payload + "-" + CRC hex; malloc'ed. */
static char *wrap_payload(const uint8_t *payload, size_t n)
{
	size_t digits = (n * 8 + 4) / 5;
	char *text = malloc(6 + digits + 1 + 8 + 1);
	size_t pos = 0;
	uint32_t acc = 0;
	unsigned int bits = 0;

	if (text == NULL)
		return NULL;
	memcpy(text, "apfs1-", 6);
	pos = 6;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | payload[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			text[pos++] = base32_alphabet[(acc >> bits) & 31u];
		}
	}
	if (bits > 0)
		text[pos++] = base32_alphabet[(acc << (5 - bits)) & 31u];
	snprintf(text + pos, 1 + 8 + 1, "-%08x", crc32_ieee(payload, n));
	return text;
}

static void check_error(int ret, const char *error, const char *what)
{
	if (memchr(error, '\0', ERROR_SIZE) == NULL)
		FUZZ_FAIL("%s: error message not NUL-terminated", what);
	if (error[0] == '\0')
		FUZZ_FAIL("%s failed (%d) without a reason", what, ret);
}

static void check_same(const struct sim_schedule *a, const struct sim_schedule *b,
		       const char *what)
{
	if (a->count != b->count)
		FUZZ_FAIL("%s: %llu decisions, then %llu", what, (unsigned long long)a->count,
			  (unsigned long long)b->count);
	for (uint64_t i = 0; i < a->count; i++) {
		if (a->decisions[i].kind != b->decisions[i].kind ||
		    a->decisions[i].value != b->decisions[i].value)
			FUZZ_FAIL("%s: decision %llu differs (%u:%u vs %u:%u)", what,
				  (unsigned long long)i, a->decisions[i].kind,
				  a->decisions[i].value, b->decisions[i].kind,
				  b->decisions[i].value);
	}
}

static void check_text(const char *text)
{
	struct sim_schedule first, second;
	char error[ERROR_SIZE];
	char *encoded, *again;
	int ret;

	sim_schedule_init(&first);
	sim_schedule_init(&second);
	memset(error, 0, sizeof(error));
	ret = sim_schedule_decode(text, &first, error, sizeof(error));
	if (ret == -EINVAL) {
		check_error(ret, error, "decode");
		if (first.count != 0)
			FUZZ_FAIL("decode failed (%s) but left %llu decisions", error,
				  (unsigned long long)first.count);
		sim_schedule_fini(&first);
		return;
	}
	if (ret != 0)
		FUZZ_FAIL("decode returned %d (expected 0 or -EINVAL)", ret);
	encoded = sim_schedule_encode(&first);
	if (encoded == NULL)
		FUZZ_FAIL("encode of a decoded schedule (%llu decisions) returned NULL",
			  (unsigned long long)first.count);
	if (strlen(encoded) > strlen(text))
		FUZZ_FAIL("canonical form longer than the accepted text: \"%s\" -> \"%s\"", text,
			  encoded);
	ret = sim_schedule_decode(encoded, &second, error, sizeof(error));
	if (ret != 0)
		FUZZ_FAIL("re-encoded text \"%s\" does not decode: %s", encoded, error);
	check_same(&first, &second, "decode(encode(decode(text)))");
	again = sim_schedule_encode(&second);
	if (again == NULL || strcmp(again, encoded) != 0)
		FUZZ_FAIL("encoding is not a fixed point: \"%s\" then \"%s\"", encoded,
			  again != NULL ? again : "(null)");
	free(again);
	free(encoded);
	sim_schedule_fini(&second);
	sim_schedule_fini(&first);
}

static void check_file(const uint8_t *data, size_t size)
{
	struct sim_schedule first, second;
	char error[ERROR_SIZE];
	uint64_t seed = 0, seed_again = 0;
	char *written = NULL;
	size_t written_size = 0;
	FILE *in, *out;
	int ret;

	/* fmemopen() of 0 bytes is EINVAL on older glibc: give it one NUL. */
	in = fmemopen(size > 0 ? (void *)data : (void *)"", size > 0 ? size : 1, "r");
	if (in == NULL)
		return;
	sim_schedule_init(&first);
	sim_schedule_init(&second);
	memset(error, 0, sizeof(error));
	ret = sim_schedule_read_file(in, &first, &seed, error, sizeof(error));
	fclose(in);
	if (ret == -EINVAL || ret == -EIO) {
		check_error(ret, error, "read_file");
		sim_schedule_fini(&first);
		return;
	}
	if (ret != 0)
		FUZZ_FAIL("read_file returned %d (expected 0, -EINVAL or -EIO)", ret);
	out = open_memstream(&written, &written_size);
	if (out == NULL)
		FUZZ_FAIL("open_memstream failed");
	ret = sim_schedule_write_file(out, &first, seed);
	fclose(out);
	if (ret != 0)
		FUZZ_FAIL("write_file of a schedule read back returned %d", ret);
	in = fmemopen(written, written_size, "r");
	if (in == NULL)
		FUZZ_FAIL("fmemopen of the written file failed");
	ret = sim_schedule_read_file(in, &second, &seed_again, error, sizeof(error));
	fclose(in);
	if (ret != 0)
		FUZZ_FAIL("the file write_file wrote does not read back: %s", error);
	if (seed != seed_again)
		FUZZ_FAIL("seed 0x%llx read back as 0x%llx", (unsigned long long)seed,
			  (unsigned long long)seed_again);
	check_same(&first, &second, "read(write(read(file)))");
	free(written);
	sim_schedule_fini(&second);
	sim_schedule_fini(&first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest = size > 0 ? data + 1 : data;
	size_t rest_size = size > 0 ? size - 1 : 0;
	uint8_t mode = size > 0 ? data[0] % 4 : 0;
	char *text;

	if (rest_size > TEXT_MAX)
		return 0;
	switch (mode) {
	case 1:
		text = wrap_payload(rest, rest_size);
		break;
	case 2:
		check_file(rest, rest_size);
		return 0;
	default:
		text = strndup((const char *)rest, rest_size);
		break;
	}
	if (text == NULL)
		return 0;
	check_text(text);
	free(text);
	return 0;
}

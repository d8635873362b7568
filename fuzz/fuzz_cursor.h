/* SPDX-License-Identifier: MIT */
/*
 * A bounded byte cursor over a fuzz input, shared by the apfsim fuzz targets
 * (see docs/fuzzing.md).
 *
 * Reads never go past the input: once it is exhausted every read returns 0
 * and fuzz_cursor_done() is true, so a harness loop ends after at most as
 * many records as it has bytes (plus its own fixed bound). Multi-byte
 * values are little-endian. Nothing here allocates.
 */
#ifndef APFSIM_FUZZ_CURSOR_H
#define APFSIM_FUZZ_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point every target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_cursor {
	const uint8_t *data;
	size_t size;
	size_t pos;
};

static inline struct fuzz_cursor fuzz_cursor_make(const uint8_t *data, size_t size)
{
	return (struct fuzz_cursor){ .data = data, .size = data != NULL ? size : 0, .pos = 0 };
}

static inline bool fuzz_cursor_done(const struct fuzz_cursor *c)
{
	return c->pos >= c->size;
}

static inline size_t fuzz_cursor_left(const struct fuzz_cursor *c)
{
	return c->pos >= c->size ? 0 : c->size - c->pos;
}

static inline uint8_t fuzz_u8(struct fuzz_cursor *c)
{
	return c->pos < c->size ? c->data[c->pos++] : 0;
}

static inline uint16_t fuzz_u16(struct fuzz_cursor *c)
{
	uint16_t lo = fuzz_u8(c);

	return (uint16_t)(lo | (uint16_t)fuzz_u8(c) << 8);
}

static inline uint32_t fuzz_u32(struct fuzz_cursor *c)
{
	uint32_t lo = fuzz_u16(c);

	return lo | (uint32_t)fuzz_u16(c) << 16;
}

static inline uint64_t fuzz_u64(struct fuzz_cursor *c)
{
	uint64_t lo = fuzz_u32(c);

	return lo | (uint64_t)fuzz_u32(c) << 32;
}

/* An index below @count (> 0) from one byte. */
static inline uint32_t fuzz_pick(struct fuzz_cursor *c, uint32_t count)
{
	return count == 0 ? 0 : fuzz_u8(c) % count;
}

#endif /* APFSIM_FUZZ_CURSOR_H */

// SPDX-License-Identifier: MIT
/*
 * xoshiro256** seeded through splitmix64, plus seed derivation and parsing.
 * Integer-only: probabilities are ratios, ranges inclusive.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/assert.h"
#include "sim/prng.h"

uint64_t sim_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint64_t sim_seed_derive(uint64_t seed, uint64_t stream)
{
	return sim_mix64(seed ^ sim_mix64(stream + 0x5eed0000ull));
}

void sim_prng_init(struct sim_prng *prng, uint64_t seed)
{
	uint64_t x = seed;

	for (unsigned int i = 0; i < 4; i++) {
		x = sim_mix64(x + i);
		prng->s[i] = x;
	}
	/* xoshiro must not start from the all-zero state. */
	if ((prng->s[0] | prng->s[1] | prng->s[2] | prng->s[3]) == 0)
		prng->s[0] = 1;
	SIM_ASSERT((prng->s[0] | prng->s[1] | prng->s[2] | prng->s[3]) != 0);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sim_prng_next(struct sim_prng *prng)
{
	uint64_t *s = prng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t sim_prng_below(struct sim_prng *prng, uint64_t bound)
{
	SIM_ASSERT(bound > 0);
	/* Rejection sampling: values at or above the largest multiple of
	 * bound are redrawn, so every result is equally likely. */
	uint64_t threshold = (0 - bound) % bound;
	for (unsigned int attempt = 0; attempt < 1024; attempt++) {
		uint64_t r = sim_prng_next(prng);
		if (r >= threshold)
			return r % bound;
	}
	/* The chance of 1024 rejections is below 2^-1024. */
	SIM_ASSERT(0 && "prng rejection loop exhausted");
	return 0;
}

uint64_t sim_prng_range(struct sim_prng *prng, uint64_t min, uint64_t max)
{
	SIM_ASSERT(min <= max);
	if (min == 0 && max == UINT64_MAX)
		return sim_prng_next(prng);
	return min + sim_prng_below(prng, max - min + 1);
}

bool sim_prng_chance(struct sim_prng *prng, struct sim_ratio ratio)
{
	SIM_ASSERT(ratio.denominator > 0);
	SIM_ASSERT(ratio.numerator <= ratio.denominator);
	if (ratio.numerator == 0)
		return false;
	return sim_prng_below(prng, ratio.denominator) < ratio.numerator;
}

static int parse_hex_fold(const char *text, size_t length, uint64_t *seed_out)
{
	uint64_t folded = 0;

	/* A 40-digit commit hash is folded 16 digits at a time. */
	for (size_t i = 0; i < length; i += 16) {
		char chunk[17];
		size_t n = length - i < 16 ? length - i : 16;

		memcpy(chunk, text + i, n);
		chunk[n] = '\0';
		folded = sim_mix64(folded ^ strtoull(chunk, NULL, 16));
	}
	*seed_out = folded;
	return 0;
}

int sim_seed_parse(const char *text, uint64_t *seed_out)
{
	size_t length;
	char *end = NULL;

	if (text == NULL || *text == '\0')
		return -EINVAL;
	length = strlen(text);
	if (length == 40) {
		for (size_t i = 0; i < length; i++)
			if (!isxdigit((unsigned char)text[i]))
				return -EINVAL;
		return parse_hex_fold(text, length, seed_out);
	}
	if (text[0] == '-' || isspace((unsigned char)text[0]))
		return -EINVAL;
	errno = 0;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		if (text[2] == '\0')
			return -EINVAL;
		*seed_out = strtoull(text + 2, &end, 16);
	} else {
		*seed_out = strtoull(text, &end, 10);
	}
	if (errno != 0 || end == NULL || *end != '\0')
		return -EINVAL;
	return 0;
}

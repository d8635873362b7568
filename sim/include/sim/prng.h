/* SPDX-License-Identifier: MIT */
/*
 * Deterministic pseudo-random numbers. One 64-bit seed derives every random
 * choice of a run through per-subsystem streams; no floating point is used in
 * decisions (probabilities are integer ratios).
 */
#ifndef SIM_PRNG_H
#define SIM_PRNG_H

#include <stdbool.h>
#include <stdint.h>

/* xoshiro256** state. */
struct sim_prng {
	uint64_t s[4];
};

/* A probability numerator / denominator, numerator <= denominator, denominator > 0. */
struct sim_ratio {
	uint32_t numerator;
	uint32_t denominator;
};

void sim_prng_init(struct sim_prng *prng, uint64_t seed);
uint64_t sim_prng_next(struct sim_prng *prng);
/* Uniform in [0, bound), bound > 0, without modulo bias. */
uint64_t sim_prng_below(struct sim_prng *prng, uint64_t bound);
/* Uniform in [min, max], inclusive. */
uint64_t sim_prng_range(struct sim_prng *prng, uint64_t min, uint64_t max);
bool sim_prng_chance(struct sim_prng *prng, struct sim_ratio ratio);
/* A sub-seed for stream @stream derived from @seed (splitmix64 mixing). */
uint64_t sim_seed_derive(uint64_t seed, uint64_t stream);
/* splitmix64 finaliser; also used for hashing. */
uint64_t sim_mix64(uint64_t x);
/*
 * Parse a seed: decimal, 0x-prefixed hex, or a 40-hex-digit git commit hash
 * (folded to 64 bits). Returns 0 or -EINVAL.
 */
int sim_seed_parse(const char *text, uint64_t *seed_out);

#endif /* SIM_PRNG_H */

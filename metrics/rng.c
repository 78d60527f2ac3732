/*
 * metrics/rng.c — Philox4x32-10 and the readers on top of it (rng.h).
 * The round function and key schedule follow Random123's philox.h: each
 * round multiplies words 0 and 2 by fixed odd constants, the high halves
 * are xored with the other words and the round key, and the key is bumped
 * by the Weyl constants (golden ratio, sqrt(3) - 1) before every round
 * but the first. No state outside the arguments; thread-safe.
 */
#include "metrics/rng.h"

void
pf_rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2],
    unsigned rounds, uint32_t out[4])
{
	uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
	uint32_t k0 = key[0], k1 = key[1];

	for (unsigned r = 0; r < rounds; r++) {
		if (r > 0) {
			k0 += PF_RNG_PHILOX_W0;
			k1 += PF_RNG_PHILOX_W1;
		}
		uint64_t p0 = (uint64_t)PF_RNG_PHILOX_M0 * c0;
		uint64_t p1 = (uint64_t)PF_RNG_PHILOX_M1 * c2;
		uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
		uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
		c0 = hi1 ^ c1 ^ k0;
		c1 = lo1;
		c2 = hi0 ^ c3 ^ k1;
		c3 = lo0;
	}
	out[0] = c0;
	out[1] = c1;
	out[2] = c2;
	out[3] = c3;
}

/* SplitMix64's finaliser (Steele, Lea, Flood 2014): a 64-bit bijection. */
static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

pf_key
pf_rng_key(uint64_t seed, uint64_t a, uint64_t b, uint64_t purpose)
{
	/*
	 * Each input enters after a full mix of the previous ones, with its
	 * own Weyl offset, so permuting the arguments gives another key.
	 */
	uint64_t h = mix64(seed + UINT64_C(0x9e3779b97f4a7c15));
	h = mix64(h ^ (a + UINT64_C(0x3c6ef372fe94f82a)));
	h = mix64(h ^ (b + UINT64_C(0xdaa66d2c7ddf743f)));
	h = mix64(h ^ (purpose + UINT64_C(0x78dde6e5fd29f054)));
	return (pf_key){{(uint32_t)h, (uint32_t)(h >> 32)}};
}

void
pf_rng_block(pf_key key, uint64_t stream, uint64_t block, uint32_t out[4])
{
	const uint32_t ctr[4] = {(uint32_t)block, (uint32_t)(block >> 32),
	    (uint32_t)stream, (uint32_t)(stream >> 32)};

	pf_rng_philox4x32(ctr, key.k, PF_RNG_ROUNDS, out);
}

uint64_t
pf_rng_u64(pf_key key, uint64_t stream, uint64_t counter)
{
	uint32_t w[4];
	unsigned j = (unsigned)(counter & 1) * 2;

	pf_rng_block(key, stream, counter >> 1, w);
	return (uint64_t)w[j] | (uint64_t)w[j + 1] << 32;
}

/* The 128-bit product x * y as (high, low) without __int128 (ISO C). */
static uint64_t
mul64(uint64_t x, uint64_t y, uint64_t *lo)
{
	uint64_t x0 = (uint32_t)x, x1 = x >> 32, y0 = (uint32_t)y, y1 = y >> 32;
	uint64_t p00 = x0 * y0, p01 = x0 * y1, p10 = x1 * y0, p11 = x1 * y1;
	uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;

	*lo = (mid << 32) | (uint32_t)p00;
	return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

uint64_t
pf_rng_below(pf_rng *g, uint64_t n)
{
	uint64_t l, hi;

	if (n <= UINT32_MAX)
		return pf_rng_below32(g, (uint32_t)n);
	hi = mul64(pf_rng_next64(g), n, &l);
	if (l < n) {
		uint64_t t = (0 - n) % n;
		while (l < t)
			hi = mul64(pf_rng_next64(g), n, &l);
	}
	return hi;
}

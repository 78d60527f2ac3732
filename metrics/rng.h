/*
 * metrics/rng.h — counter-based random numbers: Philox4x32-10 (Salmon,
 * Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011; the Random123 reference implementation and its known-answer
 * vectors). Pure: every value is a function of (key, stream, counter)
 * alone, so any thread can compute any draw without a shared state and a
 * result is the same bytes for any thread count (STYLE.md C10).
 *
 * Layout of the 128-bit Philox counter, in 32-bit words:
 *	ctr[0], ctr[1] = block (low, high): the position inside a stream
 *	ctr[2], ctr[3] = stream (low, high): e.g. the resample number r
 * Each block yields four 32-bit words, consumed in order ctr word 0..3.
 * A 64-bit draw is two consecutive words, low word first.
 *
 * Keys: pf_rng_key() hashes (seed, a, b, purpose) into the 64-bit Philox
 * key with the SplitMix64 finaliser, so unrelated uses (the bootstrap and
 * the permutation test of one metric and stack, say) never share draws.
 * Callers that want common random numbers across uses pass equal a, b.
 *
 * The pinned values in tests/unit/test_rng.c freeze this mapping: changing
 * it changes every bootstrap CI and Monte Carlo p-value preflight prints.
 */
#ifndef PF_METRICS_RNG_H
#define PF_METRICS_RNG_H

#include <stdint.h>

#define PF_RNG_ROUNDS	10	/* Philox4x32-10 */
/* Philox4x32's multipliers and Weyl key increments (Random123's), for
   rng.c and the eight-lane form in resample.c. */
#define PF_RNG_PHILOX_M0	UINT32_C(0xD2511F53)
#define PF_RNG_PHILOX_M1	UINT32_C(0xCD9E8D57)
#define PF_RNG_PHILOX_W0	UINT32_C(0x9E3779B9)
#define PF_RNG_PHILOX_W1	UINT32_C(0xBB67AE85)

/* Purposes for pf_rng_key()'s last argument (any other value is fine). */
#define PF_RNG_BOOT	UINT64_C(0x626f6f74)	/* "boot": query bootstrap */
#define PF_RNG_PERM	UINT64_C(0x7065726d)	/* "perm": sign-flip test */

typedef struct pf_key {
	uint32_t	k[2];
} pf_key;

/* A sequential reader over one stream (a small value, no allocation). */
typedef struct pf_rng {
	pf_key		key;
	uint64_t	stream;
	uint64_t	block;		/* next block to generate */
	uint32_t	buf[4];
	unsigned	pos;		/* next unread word of buf; 4 = empty */
} pf_rng;

/*
 * The Philox4x32 bijection with `rounds` rounds (10 in production; the
 * 7-round variant exists for the Random123 known-answer vectors). out may
 * not alias ctr.
 */
void	pf_rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2],
	    unsigned rounds, uint32_t out[4]);

/* The key for (seed, a, b, purpose): a SplitMix64-finaliser chain. */
pf_key	pf_rng_key(uint64_t seed, uint64_t a, uint64_t b, uint64_t purpose);

/* Block `block` of stream `stream`: four 32-bit words. */
void	pf_rng_block(pf_key key, uint64_t stream, uint64_t block,
	    uint32_t out[4]);

/*
 * The counter-th 64-bit value of stream `stream`: words 2*(counter & 1)
 * (low) and 2*(counter & 1) + 1 (high) of block counter >> 1. Equal to the
 * (counter+1)-th pf_rng_next64() of a fresh reader on that stream.
 */
uint64_t	pf_rng_u64(pf_key key, uint64_t stream, uint64_t counter);

/* A uniform double in [0, 1) from the top 53 bits of x: (x >> 11) 2^-53. */
static inline double
pf_rng_unit(uint64_t x)
{
	return (double)(x >> 11) * 0x1p-53;
}

/*
 * The reader: inline because the bootstrap draws B x n values through it.
 * pf_rng_init starts at block 0 of stream `stream`; next64 is two
 * consecutive 32-bit words, the first one as the low half.
 */
static inline void
pf_rng_init(pf_rng *g, pf_key key, uint64_t stream)
{
	g->key = key;
	g->stream = stream;
	g->block = 0;
	g->pos = 4;
}

static inline uint32_t
pf_rng_next32(pf_rng *g)
{
	if (g->pos == 4) {
		pf_rng_block(g->key, g->stream, g->block++, g->buf);
		g->pos = 0;
	}
	return g->buf[g->pos++];
}

static inline uint64_t
pf_rng_next64(pf_rng *g)
{
	uint64_t lo = pf_rng_next32(g);

	return lo | (uint64_t)pf_rng_next32(g) << 32;
}

/* pf_rng_unit(pf_rng_next64(g)): uniform in [0, 1). */
static inline double
pf_rng_uniform(pf_rng *g)
{
	return pf_rng_unit(pf_rng_next64(g));
}

/*
 * A uniform integer in [0, n), exactly unbiased: Lemire's multiply-shift
 * with rejection ("Fast random integer generation in an interval", ACM
 * TOMACS 29(1), 2019). n < 2^32 draws 32-bit words, larger n 64-bit
 * values (pf_rng_below); a rejection (probability < n / 2^32, resp.
 * n / 2^64) consumes another draw from the same stream. n == 0 returns 0
 * and consumes nothing.
 */
static inline uint32_t
pf_rng_below32(pf_rng *g, uint32_t n)
{
	if (n == 0)
		return 0;
	uint64_t m = (uint64_t)pf_rng_next32(g) * n;
	uint32_t l = (uint32_t)m;
	if (l < n) {
		/* 2^32 mod n: the low products below it are over-represented. */
		uint32_t t = (uint32_t)(-n) % n;
		while (l < t) {
			m = (uint64_t)pf_rng_next32(g) * n;
			l = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

uint64_t	pf_rng_below(pf_rng *g, uint64_t n);

#endif /* PF_METRICS_RNG_H */

/*
 * metrics/resample.c — the resampling loops of stats.h, eight resamples
 * at a time: the query bootstrap (pf_stats_boot_means) and the Monte Carlo
 * sign-flip test (pf_stats__perm_mc).
 *
 * Why eight: one resample is a chain of n dependent additions (its mean is
 * summed in draw order, so the chain cannot be reassociated without
 * changing the bits) and its Philox blocks; a chain runs at the adder's
 * latency, not its throughput. Eight resamples side by side (lanes) give
 * eight independent chains, and their Philox blocks — the same block
 * number of eight consecutive streams — are computed together in loops the
 * compiler vectorises. Each lane still reads its own stream in order and
 * adds in its own order, so every mean has the bits the one-at-a-time loop
 * gives (tests/unit/metrics/test_resample.c checks against that loop).
 *
 * A bootstrap draw below n rejects a word with probability below
 * n / 2^32 (rng.h pf_rng_below32); a rejection shifts that lane's words,
 * so a group with one is done again one resample at a time (a group of
 * eight resamples of n = 10^4 queries rejects with probability ~2e-4).
 */
#include <math.h>
#include <string.h>

#include "metrics/rng.h"
#include "metrics/stats.h"
#include "metrics/stats_internal.h"

#define LANES	8

/* Block `block` of streams s0 .. s0 + LANES - 1: w[word][lane], as
   pf_rng_block gives each. Portable form (the compiler may vectorise it). */
static void
philox_lanes_c(pf_key key, uint64_t s0, uint64_t block,
    uint32_t w[4][LANES])
{
	uint32_t c0[LANES], c1[LANES], c2[LANES], c3[LANES];
	uint32_t k0 = key.k[0], k1 = key.k[1];

	for (unsigned j = 0; j < LANES; j++) {
		c0[j] = (uint32_t)block;
		c1[j] = (uint32_t)(block >> 32);
		c2[j] = (uint32_t)(s0 + j);
		c3[j] = (uint32_t)((s0 + j) >> 32);
	}
	for (unsigned r = 0; r < PF_RNG_ROUNDS; r++) {
		if (r > 0) {
			k0 += PF_RNG_PHILOX_W0;
			k1 += PF_RNG_PHILOX_W1;
		}
		for (unsigned j = 0; j < LANES; j++) {
			uint64_t p0 = (uint64_t)PF_RNG_PHILOX_M0 * c0[j];
			uint64_t p1 = (uint64_t)PF_RNG_PHILOX_M1 * c2[j];
			c0[j] = (uint32_t)(p1 >> 32) ^ c1[j] ^ k0;
			c1[j] = (uint32_t)p1;
			c2[j] = (uint32_t)(p0 >> 32) ^ c3[j] ^ k1;
			c3[j] = (uint32_t)p0;
		}
	}
	memcpy(w[0], c0, sizeof(c0));
	memcpy(w[1], c1, sizeof(c1));
	memcpy(w[2], c2, sizeof(c2));
	memcpy(w[3], c3, sizeof(c3));
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define AVX2	__attribute__((target("avx2")))
#define AVX2I	__attribute__((target("avx2"), always_inline))

/* The eight 32 x 32 -> 64 products c * m: high halves into *hi, low into
   *lo (vpmuludq multiplies the even lanes; the odd ones shifted down). */
static inline AVX2I void
mul_hilo(__m256i c, __m256i m, __m256i *hi, __m256i *lo)
{
	__m256i ev = _mm256_mul_epu32(c, m);
	__m256i od = _mm256_mul_epu32(_mm256_srli_epi64(c, 32), m);

	*hi = _mm256_blend_epi32(_mm256_srli_epi64(ev, 32), od, 0xAA);
	*lo = _mm256_blend_epi32(ev, _mm256_slli_epi64(od, 32), 0xAA);
}

/* philox_lanes_c in AVX2: lane j of each register is stream s0 + j. */
static AVX2 void
philox_lanes_avx2(pf_key key, uint64_t s0, uint64_t block,
    uint32_t w[4][LANES])
{
	__m256i c0 = _mm256_set1_epi32((int)(uint32_t)block);
	__m256i c1 = _mm256_set1_epi32((int)(uint32_t)(block >> 32));
	__m256i c2, c3, m0 = _mm256_set1_epi32((int)PF_RNG_PHILOX_M0);
	__m256i m1 = _mm256_set1_epi32((int)PF_RNG_PHILOX_M1);
	uint32_t lo[LANES], hi[LANES], k0 = key.k[0], k1 = key.k[1];

	for (unsigned j = 0; j < LANES; j++) {
		lo[j] = (uint32_t)(s0 + j);
		hi[j] = (uint32_t)((s0 + j) >> 32);
	}
	c2 = _mm256_loadu_si256((const __m256i *)(const void *)lo);
	c3 = _mm256_loadu_si256((const __m256i *)(const void *)hi);
	for (unsigned r = 0; r < PF_RNG_ROUNDS; r++) {
		__m256i h0, l0, h1, l1;
		if (r > 0) {
			k0 += PF_RNG_PHILOX_W0;
			k1 += PF_RNG_PHILOX_W1;
		}
		mul_hilo(c0, m0, &h0, &l0);
		mul_hilo(c2, m1, &h1, &l1);
		c0 = _mm256_xor_si256(_mm256_xor_si256(h1, c1),
		    _mm256_set1_epi32((int)k0));
		c1 = l1;
		c2 = _mm256_xor_si256(_mm256_xor_si256(h0, c3),
		    _mm256_set1_epi32((int)k1));
		c3 = l0;
	}
	_mm256_storeu_si256((__m256i *)(void *)w[0], c0);
	_mm256_storeu_si256((__m256i *)(void *)w[1], c1);
	_mm256_storeu_si256((__m256i *)(void *)w[2], c2);
	_mm256_storeu_si256((__m256i *)(void *)w[3], c3);
}

static int force_portable;

void
pf_stats__lanes_portable(int on)
{
	force_portable = on;
}

static int
have_avx2(void)
{
	static int have = -1;	/* a benign race: every thread stores alike */

	if (force_portable)
		return 0;
	if (have < 0) {
		__builtin_cpu_init();
		have = __builtin_cpu_supports("avx2") != 0;
	}
	return have;
}

static void
philox_lanes(pf_key key, uint64_t s0, uint64_t block, uint32_t w[4][LANES])
{
	if (have_avx2())
		philox_lanes_avx2(key, s0, block, w);
	else
		philox_lanes_c(key, s0, block, w);
}
#else
#define philox_lanes	philox_lanes_c

void
pf_stats__lanes_portable(int on)
{
	(void)on;
}
#endif

/* Resample r alone: the reference loop. */
static double
boot_one(const double *x, size_t n, pf_key key, size_t r)
{
	pf_rng g;
	double acc = 0.0;

	pf_rng_init(&g, key, r);
	if (n <= UINT32_MAX)
		for (size_t i = 0; i < n; i++)
			acc += x[pf_rng_below32(&g, (uint32_t)n)];
	else
		for (size_t i = 0; i < n; i++)
			acc += x[pf_rng_below(&g, n)];
	return acc / (double)n;
}

/* Resamples r0 .. r0 + LANES - 1 into out[0 .. LANES - 1]; 0 when a lane
   rejected a word (out then unset). n in [1, 2^32). */
static int
boot_group(const double *x, uint32_t n, pf_key key, size_t r0, double *out)
{
	uint32_t w[4][LANES], t = (uint32_t)(-n) % n, rej = 0;
	double acc[LANES] = {0};
	size_t i = 0;

	for (uint64_t blk = 0; i < n; blk++) {
		philox_lanes(key, r0, blk, w);
		for (unsigned k = 0; k < 4 && i < n; k++, i++)
			for (unsigned j = 0; j < LANES; j++) {
				uint64_t m = (uint64_t)w[k][j] * n;
				rej |= (uint32_t)m < t;
				acc[j] += x[m >> 32];
			}
	}
	if (rej)
		return 0;
	for (unsigned j = 0; j < LANES; j++)
		out[j] = acc[j] / (double)n;
	return 1;
}

void
pf_stats_boot_means(const double *x, size_t n, pf_key key, size_t n_boot,
    double *out)
{
	size_t ngrp = n <= UINT32_MAX ? n_boot / LANES : 0;

	if (n == 0) {
		for (size_t r = 0; r < n_boot; r++)
			out[r] = NAN;
		return;
	}
#pragma omp parallel for schedule(static)
	for (size_t gi = 0; gi < ngrp; gi++) {
		size_t r0 = gi * LANES;
		if (!boot_group(x, (uint32_t)n, key, r0, out + r0))
			for (size_t r = r0; r < r0 + LANES; r++)
				out[r] = boot_one(x, n, key, r);
	}
	for (size_t r = ngrp * LANES; r < n_boot; r++)
		out[r] = boot_one(x, n, key, r);
}

/* x with its sign flipped when bit is 1: exactly -x, without a branch on
   a random bit (a mispredicted branch per query doubled the test's time). */
static inline double
flip(double x, uint32_t bit)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	u ^= (uint64_t)bit << 63;
	memcpy(&x, &u, sizeof(x));
	return x;
}

/* Sign pattern r alone: bit i % 32 of word i / 32 of stream r flips d_i. */
static int
perm_one(const double *d, size_t n, double thr, pf_key key, size_t r)
{
	pf_rng g;
	uint32_t bits = 0;
	double acc = 0.0;

	pf_rng_init(&g, key, r);
	for (size_t i = 0; i < n; i++) {
		if ((i & 31) == 0)
			bits = pf_rng_next32(&g);
		acc += flip(d[i], (bits >> (i & 31)) & 1);
	}
	return fabs(acc) >= thr;
}

/* Patterns r0 .. r0 + LANES - 1: how many reach thr. */
static uint64_t
perm_group(const double *d, size_t n, double thr, pf_key key, size_t r0)
{
	uint32_t w[4][LANES];
	double acc[LANES] = {0};
	uint64_t hits = 0;

	for (size_t i = 0; i < n; i += 32) {
		size_t word = i / 32, end = n - i < 32 ? n : i + 32;
		if (word % 4 == 0)
			philox_lanes(key, r0, word / 4, w);
		const uint32_t *bits = w[word % 4];
		for (size_t q = i; q < end; q++)
			for (unsigned j = 0; j < LANES; j++)
				acc[j] += flip(d[q], (bits[j] >> (q & 31)) & 1);
	}
	for (unsigned j = 0; j < LANES; j++)
		hits += fabs(acc[j]) >= thr;
	return hits;
}

uint64_t
pf_stats__perm_mc(const double *d, size_t n, double thr, pf_key key,
    size_t n_perm)
{
	size_t ngrp = n_perm / LANES;
	uint64_t hits = 0;

#pragma omp parallel for schedule(static) reduction(+:hits)
	for (size_t gi = 0; gi < ngrp; gi++)
		hits += perm_group(d, n, thr, key, gi * LANES);
	for (size_t r = ngrp * LANES; r < n_perm; r++)
		hits += (uint64_t)perm_one(d, n, thr, key, r);
	return hits;
}

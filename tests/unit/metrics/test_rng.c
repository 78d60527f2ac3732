/*
 * test_rng.c — metrics/rng.h: the Random123 known-answer vectors for
 * Philox4x32 (7 and 10 rounds), values of the key/counter mapping pinned
 * from an independent Python transcription
 * (tests/fixtures/stats/rng_reference.py), and statistical sanity checks
 * of the uniform doubles and Lemire's bounded integers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/rng.h"

/* Random123 kat_vectors: rounds, counter[4], key[2] -> out[4]. */
static const struct {
	unsigned	rounds;
	uint32_t	ctr[4], key[2], out[4];
} kat[] = {
	{7, {0, 0, 0, 0}, {0, 0},
	    {0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48}},
	{7, {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
	    {0xffffffff, 0xffffffff},
	    {0x5207ddc2, 0x45165e59, 0x4d8ee751, 0x8c52f662}},
	{7, {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
	    {0xa4093822, 0x299f31d0},
	    {0x4dfccaba, 0x190a87f0, 0xc47362ba, 0xb6b5242a}},
	{10, {0, 0, 0, 0}, {0, 0},
	    {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
	{10, {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
	    {0xffffffff, 0xffffffff},
	    {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
	{10, {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
	    {0xa4093822, 0x299f31d0},
	    {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

Test(rng, philox4x32_known_answers)
{
	for (size_t i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
		uint32_t out[4];
		pf_rng_philox4x32(kat[i].ctr, kat[i].key, kat[i].rounds, out);
		for (int j = 0; j < 4; j++)
			cr_assert_eq(out[j], kat[i].out[j],
			    "vector %zu word %d: %08x, want %08x", i, j,
			    out[j], kat[i].out[j]);
	}
}

Test(rng, key_and_counter_mapping_is_pinned)
{
	pf_key k = pf_rng_key(1, 2, 3, 4), k0 = pf_rng_key(0, 0, 0, 0);
	const uint64_t want[] = {0xab2bc2d1dd46de9eull, 0x4d1f4e4d51e8b018ull,
	    0x57f89612edecfccbull, 0x11979cedf3b81034ull};
	const uint32_t wb[] = {2022248867u, 355865135u, 1287196027u,
	    1814372626u};
	pf_rng g;

	cr_assert_eq(k.k[0], 0x8b11714fu);
	cr_assert_eq(k.k[1], 0x4cd9ae1fu);
	cr_assert_eq(k0.k[0], 0x8cf7420bu);
	cr_assert_eq(k0.k[1], 0xaaffdc6cu);
	for (uint64_t c = 0; c < 4; c++)
		cr_assert_eq(pf_rng_u64(k, 7, c), want[c]);
	cr_assert_eq(pf_rng_u64(k, 0x123456789abcdef0ull,
	    0xfedcba9876543210ull), 0x8914695213c7ebefull);
	pf_rng_init(&g, k, 7);
	const uint32_t w10[] = {8, 6, 3, 3, 9, 3};
	for (int i = 0; i < 6; i++)
		cr_assert_eq(pf_rng_below32(&g, 10), w10[i]);
	/* n = 2^31 + 1 rejects about half the words: pins that path too */
	pf_rng_init(&g, k, 9);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pf_rng_below32(&g, (1u << 31) + 1), wb[i]);
}

Test(rng, readers_agree_with_the_stateless_functions)
{
	pf_key k = pf_rng_key(42, 0, 1, PF_RNG_BOOT);
	pf_rng g, h;
	uint32_t w[4];

	pf_rng_init(&g, k, 3);
	for (uint64_t c = 0; c < 11; c++)
		cr_assert_eq(pf_rng_next64(&g), pf_rng_u64(k, 3, c));
	pf_rng_init(&h, k, 3);
	for (uint64_t b = 0; b < 5; b++) {
		pf_rng_block(k, 3, b, w);
		for (int j = 0; j < 4; j++)
			cr_assert_eq(pf_rng_next32(&h), w[j]);
	}
	/* the same key/stream/counter from anywhere gives the same value */
	cr_assert_eq(pf_rng_u64(k, 3, 5), pf_rng_u64(k, 3, 5));
	cr_assert_neq(pf_rng_u64(k, 3, 5), pf_rng_u64(k, 4, 5));
}

Test(rng, keys_differ_by_every_argument_and_order)
{
	pf_key ks[] = {pf_rng_key(1, 2, 3, 4), pf_rng_key(2, 1, 3, 4),
	    pf_rng_key(1, 3, 2, 4), pf_rng_key(1, 2, 4, 3),
	    pf_rng_key(0, 2, 3, 4), pf_rng_key(1, 2, 3, PF_RNG_BOOT),
	    pf_rng_key(1, 2, 3, PF_RNG_PERM), pf_rng_key(0, 0, 0, 0)};
	size_t n = sizeof(ks) / sizeof(ks[0]);

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			cr_assert(memcmp(&ks[i], &ks[j], sizeof(ks[i])) != 0,
			    "keys %zu and %zu collide", i, j);
}

Test(rng, uniform_doubles_are_uniform)
{
	pf_key k = pf_rng_key(7, 0, 0, 0);
	pf_rng g;
	size_t N = 1000000, bins[100] = {0};
	double sum = 0.0, chi2 = 0.0, lo = 1.0, hi = 0.0;

	cr_assert_eq(pf_rng_unit(0), 0.0);
	cr_assert_lt(pf_rng_unit(UINT64_MAX), 1.0);
	pf_rng_init(&g, k, 0);
	for (size_t i = 0; i < N; i++) {
		double u = pf_rng_uniform(&g);
		cr_assert(u >= 0.0 && u < 1.0);
		sum += u;
		lo = fmin(lo, u);
		hi = fmax(hi, u);
		bins[(size_t)(u * 100.0)]++;
	}
	/* mean within 5 SE (SE = sqrt(1/12 / N)) */
	cr_assert_lt(fabs(sum / (double)N - 0.5), 5 * sqrt(1.0 / 12 /
	    (double)N));
	for (int b = 0; b < 100; b++) {
		double d = (double)bins[b] - (double)N / 100;
		chi2 += d * d / ((double)N / 100);
	}
	/* 99 df: P(chi2 > 160) < 1e-4 */
	cr_assert_lt(chi2, 160.0, "chi2 %g", chi2);
	cr_assert_lt(lo, 1e-4);
	cr_assert_gt(hi, 1 - 1e-4);
}

Test(rng, bounded_integers_are_unbiased)
{
	pf_key k = pf_rng_key(11, 0, 0, 0);
	pf_rng g;
	size_t N = 210000, cnt[7] = {0}, below = 0;
	double chi2 = 0.0;

	pf_rng_init(&g, k, 0);
	for (size_t i = 0; i < N; i++)
		cnt[pf_rng_below32(&g, 7)]++;
	for (int b = 0; b < 7; b++) {
		double d = (double)cnt[b] - (double)N / 7;
		chi2 += d * d / ((double)N / 7);
	}
	cr_assert_lt(chi2, 27.9, "chi2 %g", chi2);	/* 6 df, p 1e-4 */
	/* n = 3 * 2^30: x mod n would put half the mass below 2^30 */
	uint32_t n32 = 3u << 30;
	for (size_t i = 0; i < 100000; i++) {
		uint32_t v = pf_rng_below32(&g, n32);
		cr_assert_lt(v, n32);
		below += v < (1u << 30);
	}
	cr_assert_lt(fabs((double)below / 100000 - 1.0 / 3), 0.01);
	/* the 64-bit path: n = 3 * 2^62 */
	uint64_t n64 = 3ull << 62;
	below = 0;
	for (size_t i = 0; i < 100000; i++) {
		uint64_t v = pf_rng_below(&g, n64);
		cr_assert_lt(v, n64);
		below += v < (1ull << 62);
	}
	cr_assert_lt(fabs((double)below / 100000 - 1.0 / 3), 0.01);
	/* many rejections (n = 2^31 + 1) and still uniform halves */
	below = 0;
	for (size_t i = 0; i < 100000; i++)
		below += pf_rng_below32(&g, (1u << 31) + 1) < (1u << 30);
	cr_assert_lt(fabs((double)below / 100000 - 0.5), 0.01);
	cr_assert_eq(pf_rng_below32(&g, 1), 0);
	cr_assert_eq(pf_rng_below32(&g, 0), 0);
	cr_assert_eq(pf_rng_below(&g, 1), 0);
}

Test(rng, streams_are_uncorrelated)
{
	pf_key k = pf_rng_key(3, 1, 4, 1);
	pf_rng a, b;
	size_t N = 100000;
	double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;

	pf_rng_init(&a, k, 0);
	pf_rng_init(&b, k, 1);
	for (size_t i = 0; i < N; i++) {
		double x = pf_rng_uniform(&a), y = pf_rng_uniform(&b);
		sa += x;
		sb += y;
		sab += x * y;
		saa += x * x;
		sbb += y * y;
	}
	double dn = (double)N;
	double r = (sab - sa * sb / dn) / sqrt((saa - sa * sa / dn) *
	    (sbb - sb * sb / dn));
	cr_assert_lt(fabs(r), 5 / sqrt(dn), "r %g", r);
}

/*
 * test_resample.c — metrics/resample.c's eight-lane loops give the bits of
 * the one-resample-at-a-time loops written here from rng.h's reader alone
 * (the loops stats.c had before the lanes): every bootstrap mean and every
 * sign-flip count, for B not a multiple of eight, for n across a Philox
 * block and a 32-bit word, and for an n large enough that words are
 * rejected (so the lanes' fallback runs) — plus the pinned law of a
 * rejection: it happens, and the reference consumes another word. Each
 * with Philox in AVX2 (where the CPU has it) and in portable C.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/rng.h"
#include "metrics/stats.h"
#include "metrics/stats_internal.h"

static double
ref_boot(const double *x, size_t n, pf_key key, size_t r)
{
	pf_rng g;
	double acc = 0.0;

	pf_rng_init(&g, key, r);
	for (size_t i = 0; i < n; i++)
		acc += x[pf_rng_below32(&g, (uint32_t)n)];
	return acc / (double)n;
}

static uint64_t
ref_perm(const double *d, size_t n, double thr, pf_key key, size_t n_perm)
{
	uint64_t hits = 0;

	for (size_t r = 0; r < n_perm; r++) {
		pf_rng g;
		uint32_t bits = 0;
		double acc = 0.0;
		pf_rng_init(&g, key, r);
		for (size_t i = 0; i < n; i++) {
			if ((i & 31) == 0)
				bits = pf_rng_next32(&g);
			acc += (bits >> (i & 31)) & 1 ? -d[i] : d[i];
		}
		hits += fabs(acc) >= thr;
	}
	return hits;
}

/* values of mixed scale, so that a different addition order shows */
static double *
values(size_t n, uint64_t seed)
{
	double *x = malloc(n * sizeof(*x));
	pf_rng g;

	cr_assert_not_null(x);
	pf_rng_init(&g, pf_rng_key(seed, 1, 2, 3), 0);
	for (size_t i = 0; i < n; i++)
		x[i] = (pf_rng_uniform(&g) - 0.4) * pow(10.0, (double)(i % 7));
	return x;
}

/* each test twice: Philox in AVX2 where the CPU has it, and portable */
static void
both(void (*body)(void))
{
	pf_stats__lanes_portable(0);
	body();
	pf_stats__lanes_portable(1);
	body();
	pf_stats__lanes_portable(0);
}

static void
boot_body(void)
{
	static const size_t ns[] = {1, 2, 3, 4, 5, 31, 33, 225, 1000};
	static const size_t bs[] = {1, 7, 8, 9, 203};

	for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++)
		for (size_t b = 0; b < sizeof(bs) / sizeof(bs[0]); b++) {
			size_t n = ns[a], B = bs[b];
			double *x = values(n, n), *m = malloc(B * sizeof(*m));
			pf_key key = pf_rng_key(n * 31 + B, 5, 6, PF_RNG_BOOT);
			cr_assert_not_null(m);
			omp_set_num_threads(1 + (int)(b % 2));
			pf_stats_boot_means(x, n, key, B, m);
			for (size_t r = 0; r < B; r++) {
				double want = ref_boot(x, n, key, r);
				cr_assert_eq(memcmp(&m[r], &want, sizeof(want)),
				    0, "n %zu B %zu r %zu: %.17g, want %.17g",
				    n, B, r, m[r], want);
			}
			free(x);
			free(m);
		}
}

/* n = 262,001: a word is rejected with probability t / 2^32, t = 2^32 mod
   n = 0.94 n, so a resample of n draws rejects about 15 times and every
   group of eight falls back; the means must still match. */
Test(resample, boot_means_bits_equal_the_one_at_a_time_loop)
{
	both(boot_body);
}

static void
reject_body(void)
{
	size_t n = 262001, B = 9, rejected = 0;
	double *x = values(n, 9), m[9];
	pf_key key = pf_rng_key(42, 0, 0, PF_RNG_BOOT);
	uint32_t t = (uint32_t)(-(uint32_t)n) % (uint32_t)n;
	pf_rng g;

	pf_rng_init(&g, key, 0);
	for (size_t i = 0; i < n; i++)
		rejected += (uint32_t)((uint64_t)pf_rng_next32(&g) * n) < t;
	cr_assert_gt(rejected, 0, "stream 0 rejects no word: the test "
	    "does not reach the fallback");
	pf_stats_boot_means(x, n, key, B, m);
	for (size_t r = 0; r < B; r++) {
		double want = ref_boot(x, n, key, r);
		cr_assert_eq(memcmp(&m[r], &want, sizeof(want)), 0,
		    "r %zu: %.17g, want %.17g", r, m[r], want);
	}
	free(x);
}

Test(resample, boot_means_with_rejections)
{
	both(reject_body);
}

static void
perm_body(void)
{
	static const size_t ns[] = {1, 21, 32, 33, 64, 127, 128, 129, 300};
	static const size_t ps[] = {1, 8, 15, 203};

	for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++)
		for (size_t b = 0; b < sizeof(ps) / sizeof(ps[0]); b++) {
			size_t n = ns[a], P = ps[b];
			double *d = values(n, 100 + n), sum = 0.0;
			pf_key key = pf_rng_key(n, P, 7, PF_RNG_PERM);
			for (size_t i = 0; i < n; i++)
				sum += d[i];
			/* thresholds below, at and above the observed sum */
			for (int k = 0; k < 3; k++) {
				double thr = fabs(sum) * (0.25 + 0.5 * k);
				omp_set_num_threads(1 + k % 2);
				uint64_t got = pf_stats__perm_mc(d, n, thr, key,
				    P), want = ref_perm(d, n, thr, key, P);
				cr_assert_eq(got, want, "n %zu P %zu thr %g: "
				    "%llu, want %llu", n, P, thr,
				    (unsigned long long)got,
				    (unsigned long long)want);
			}
			free(d);
		}
}

Test(resample, perm_counts_equal_the_one_at_a_time_loop)
{
	both(perm_body);
}

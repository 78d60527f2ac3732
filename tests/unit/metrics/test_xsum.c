/*
 * test_xsum.c — metrics/xsum.h: sums whose exact value is known by hand
 * (cancellation that a double loses, ten 0.1s, ties to even, subnormals,
 * infinities), and random sums against an exact integer sum, the same
 * bits for every split into partial sums merged in any order.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/xsum.h"

static double
sum_of(const double *v, size_t n)
{
	pf_xsum s;

	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < n; i++)
		pf_xsum_add(&s, v[i]);
	return pf_xsum_round(&s);
}

Test(xsum, hand_cases)
{
	double a[] = {1e100, 1.0, -1e100};
	double z[] = {1.0, -1.0};
	double t[10];
	/* 1 + 2^-53 + 2^-105: above the tie, rounds up; 1 + 2^-53 alone is
	   the tie, to even (1.0) */
	double up[] = {1.0, ldexp(1.0, -53), ldexp(1.0, -105)};
	double tie[] = {1.0, ldexp(1.0, -53)};
	double tie_odd[] = {1.0 + DBL_EPSILON, ldexp(1.0, -53)};
	double sub[] = {ldexp(1.0, -1074), ldexp(3.0, -1074), -DBL_MIN};

	cr_assert_eq(sum_of(a, 3), 1.0);
	cr_assert_eq(sum_of(z, 2), 0.0);
	cr_assert(!signbit(sum_of(z, 2)));
	cr_assert_eq(sum_of(NULL, 0), 0.0);
	/* ten double(0.1) are 1 + 5.55e-17 exactly: 1.0 (a loop gives
	   0.9999999999999999) */
	for (int i = 0; i < 10; i++)
		t[i] = 0.1;
	cr_assert_eq(sum_of(t, 10), 1.0);
	cr_assert_eq(sum_of(up, 3), 1.0 + DBL_EPSILON);
	cr_assert_eq(sum_of(tie, 2), 1.0);
	cr_assert_eq(sum_of(tie_odd, 2), 1.0 + 2 * DBL_EPSILON);
	cr_assert_eq(sum_of(sub, 3), -DBL_MIN + ldexp(4.0, -1074));
	double big[] = {DBL_MAX, DBL_MAX, -DBL_MAX};
	cr_assert_eq(sum_of(big, 3), DBL_MAX);
	double inf[] = {1.0, INFINITY};
	cr_assert_eq(sum_of(inf, 2), INFINITY);
	double ninf[] = {-INFINITY, 5.0};
	cr_assert_eq(sum_of(ninf, 2), -INFINITY);
	double both[] = {INFINITY, -INFINITY};
	cr_assert(isnan(sum_of(both, 2)));
	double over[] = {DBL_MAX, DBL_MAX};
	cr_assert_eq(sum_of(over, 2), INFINITY);
}

/* xorshift64: the test's own values */
static uint64_t
next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

Test(xsum, random_against_integers_and_splits)
{
	enum { N = 2000 };
	double v[N];
	uint64_t x = 88172645463325252ULL;
	__extension__ __int128 exact = 0;

	/* 53-bit integers with either sign, times 2^-30: each exact in a
	   double; the exact sum is the integer sum, rounded once by the
	   int -> double conversion */
	for (size_t i = 0; i < N; i++) {
		int64_t k = (int64_t)(next(&x) >> 11);
		if (next(&x) & 1)
			k = -k;
		exact += k;
		v[i] = ldexp((double)k, -30);
	}
	double want = ldexp((double)exact, -30);
	cr_assert_eq(sum_of(v, N), want);
	/* any split into parts, merged in any order: the same bits */
	for (size_t cut = 1; cut < N; cut += 333) {
		pf_xsum a, b;
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		for (size_t i = 0; i < cut; i++)
			pf_xsum_add(&a, v[i]);
		for (size_t i = N; i-- > cut;)
			pf_xsum_add(&b, v[i]);
		pf_xsum_merge(&b, &a);
		double g = pf_xsum_round(&b);
		cr_assert(memcmp(&g, &want, sizeof(g)) == 0, "cut %zu", cut);
	}
}

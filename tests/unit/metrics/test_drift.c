/*
 * test_drift.c — metrics/drift.h: the sketch's CDF and quantile on hand
 * cases (a flat stretch is a point mass), and PSI worked out by hand for
 * a shift of a uniform distribution, a missing-rate jump with the same
 * present values, a constant reference (ties collapse its deciles), a run
 * with no present value, identical sketches (exactly 0) and bad input.
 */
#include <math.h>

#include <criterion/criterion.h>

#include "metrics/drift.h"

#define NQ	33
#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), \
			    "%s = %.17g, want %.17g", #a, (double)(a), \
			    (double)(b))

/* The sketch of a uniform distribution on [lo, hi]: q[k] = lo + k/32. */
static void
uniform(double *q, double lo, double hi)
{
	for (int k = 0; k < NQ; k++)
		q[k] = lo + (hi - lo) * k / 32.0;
}

Test(drift, cdf_and_quantile_of_a_sketch)
{
	double q[NQ];

	uniform(q, 0, 1);
	NEAR(pf_drift_cdf(q, NQ, -1), 0, 0);
	NEAR(pf_drift_cdf(q, NQ, 0.25), 0.25, 1e-15);
	NEAR(pf_drift_cdf(q, NQ, 0.3), 0.3, 1e-15);
	NEAR(pf_drift_cdf(q, NQ, 1), 1, 0);
	NEAR(pf_drift_quantile(q, NQ, 0.1), 0.1, 1e-15);
	NEAR(pf_drift_quantile(q, NQ, 1), 1, 0);
	/* 0 for the lower half, 1 above: a point mass of 1/2 at 0 */
	for (int k = 0; k < NQ; k++)
		q[k] = k <= 16 ? 0 : (k - 16) / 16.0;
	NEAR(pf_drift_cdf(q, NQ, 0), 0.5, 0);
	NEAR(pf_drift_cdf(q, NQ, -1e-9), 0, 0);
	NEAR(pf_drift_quantile(q, NQ, 0.3), 0, 0);
}

Test(drift, identical_sketches_are_exactly_zero)
{
	double q[NQ];

	uniform(q, 2, 7);
	cr_assert_eq(pf_drift_psi(q, 0.25, q, 0.25, NQ), 0.0);
}

/*
 * A = U[0, 1], B = U[0.5, 1.5]: A's deciles 0.1 ... 0.9; B's CDF at them
 * is 0 up to 0.5, then 0.1 ... 0.4, so B's shares are 0 x 5, 0.1 x 4 and
 * 0.6 in the last bin, A's 0.1 each: five floored bins and the last one.
 */
Test(drift, shift_of_a_uniform_by_hand)
{
	double a[NQ], b[NQ];
	double want = 5 * (1e-4 - 0.1) * log(1e-4 / 0.1) + 0.5 * log(6.0);

	uniform(a, 0, 1);
	uniform(b, 0.5, 1.5);
	NEAR(pf_drift_psi(a, 0, b, 0, NQ), want, 1e-12);
	cr_assert(want > PF_DRIFT_LARGE);
}

/* Same present values, half of B missing: every bin halves, the missing
   bin goes from 0 (floored) to 0.5. */
Test(drift, missing_rate_jump_by_hand)
{
	double a[NQ];
	double want = 10 * (0.05 - 0.1) * log(0.5) + (0.5 - 1e-4) *
	    log(0.5 / 1e-4);

	uniform(a, 3, 4);
	NEAR(pf_drift_psi(a, 0, a, 0.5, NQ), want, 1e-12);
}

/* A constant 3: its nine deciles are one edge, two bins (<= 3, > 3) with
   shares 1 and 0; B = U[2, 4] puts half on each side. */
Test(drift, ties_collapse_the_reference_deciles)
{
	double a[NQ], b[NQ];
	double want = (0.5 - 1) * log(0.5) + (0.5 - 1e-4) * log(0.5 / 1e-4);

	for (int k = 0; k < NQ; k++)
		a[k] = 3;
	uniform(b, 2, 4);
	NEAR(pf_drift_psi(a, 0, b, 0, NQ), want, 1e-12);
}

/* A has no present value (all missing, its sketch NaN): one bin of
   present values, empty for A; B has 0.8 of its rows there. */
Test(drift, a_run_without_present_values)
{
	double a[NQ], b[NQ];
	double want = (0.8 - 1e-4) * log(0.8 / 1e-4) + (0.2 - 1) *
	    log(0.2 / 1);

	for (int k = 0; k < NQ; k++)
		a[k] = NAN;
	uniform(b, 0, 1);
	NEAR(pf_drift_psi(a, 1, b, 0.2, NQ), want, 1e-12);
	NEAR(pf_drift_psi(a, 1, a, 1, NQ), 0, 0);
}

Test(drift, bad_input_is_nan)
{
	double a[NQ], b[NQ];

	uniform(a, 0, 1);
	uniform(b, 0, 1);
	cr_assert(isnan(pf_drift_psi(a, -0.1, b, 0, NQ)));
	cr_assert(isnan(pf_drift_psi(a, 0, b, 1.5, NQ)));
	cr_assert(isnan(pf_drift_psi(a, 0, b, 0, 1)));
	b[3] = NAN;
	cr_assert(isnan(pf_drift_psi(a, 0, b, 0, NQ)));
	b[3] = -5;	/* decreasing */
	cr_assert(isnan(pf_drift_psi(a, 0, b, 0, NQ)));
}

/* The discrete PSI (grades), against values worked by hand. */
Test(drift, counts_psi_matches_hand_value)
{
	/* shares 1/3 1/3 1/3 -> 1/6 1/2 1/3: (-1/6) ln(1/2) + (1/6) ln(3/2)
	   = ln 3 / 6 */
	const double ref[] = {2, 2, 2}, cur[] = {1, 3, 2};

	cr_assert_float_eq(pf_drift_psi_counts(ref, cur, 3), log(3.0) / 6,
	    1e-15);
	cr_assert_float_eq(pf_drift_psi_counts(ref, cur, 3),
	    0.18310204811135164, 1e-15);
}

Test(drift, counts_identical_shares_give_exactly_zero)
{
	const double ref[] = {4, 2, 0, 2}, cur[] = {2, 1, 0, 1};

	cr_assert_eq(pf_drift_psi_counts(ref, cur, 4), 0.0);
}

Test(drift, counts_an_empty_category_is_floored_not_infinite)
{
	/* shares (1, 0) -> (0, 1), floored at 1e-4: 2 (1 - 1e-4) ln(1e4) */
	const double ref[] = {5, 0}, cur[] = {0, 7};

	cr_assert_float_eq(pf_drift_psi_counts(ref, cur, 2),
	    2 * (1 - 1e-4) * log(1e4), 1e-12);
	cr_assert_float_eq(pf_drift_psi_counts(ref, cur, 2), 18.41883867587797,
	    1e-12);
}

Test(drift, counts_empty_or_negative_counts_are_nan)
{
	const double z[] = {0, 0}, one[] = {1, 1}, neg[] = {-1, 2};

	cr_assert(isnan(pf_drift_psi_counts(z, one, 2)));
	cr_assert(isnan(pf_drift_psi_counts(one, z, 2)));
	cr_assert(isnan(pf_drift_psi_counts(neg, one, 2)));
}

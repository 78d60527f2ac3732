/*
 * test_drift.c — metrics/drift.h against values worked out by hand: the
 * sketch's CDF with a tie, PSI of a shifted uniform sketch, of a missing
 * rate appearing, of a tie-collapsed bin, of a night with no present
 * values, and the refusals (the arithmetic beside each test).
 */
#include <math.h>

#include <criterion/criterion.h>

#include "metrics/drift.h"

#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), \
			    "%s = %.17g, want %.17g", #a, (double)(a), \
			    (double)(b))

Test(drift, cdf_interpolates_and_jumps_at_a_tie)
{
	/* probabilities 0, .25, .5, .75, 1; three quantiles at 0 */
	const double q[] = {0, 0, 0, 1, 2};

	NEAR(pf_sketch_cdf(q, 5, -1), 0.0, 0);
	NEAR(pf_sketch_cdf(q, 5, 0), 0.5, 1e-15);	/* the tie's mass */
	NEAR(pf_sketch_cdf(q, 5, 0.5), 0.625, 1e-15);
	NEAR(pf_sketch_cdf(q, 5, 1.5), 0.875, 1e-15);
	NEAR(pf_sketch_cdf(q, 5, 2), 1.0, 0);
	NEAR(pf_sketch_cdf(q, 5, 9), 1.0, 0);
	cr_assert(isnan(pf_sketch_cdf(q, 1, 0)));
}

static void
uniform(double *q, double shift)
{
	for (int k = 0; k < 33; k++)
		q[k] = k + shift;
}

Test(drift, identical_sketches_give_zero)
{
	double a[33], psi = -1;
	size_t nb = 0;

	uniform(a, 0);
	cr_assert_eq(pf_drift_psi(a, 0, a, 0, 33, &psi, &nb, NULL), PF_OK);
	NEAR(psi, 0.0, 1e-15);
	cr_assert_eq(nb, 32);	/* 31 interior edges, no missing bin */
}

/*
 * Reference uniform on [0, 32], current shifted by 8: 32 bins of 1/32
 * each for the reference; the current has 0 (floored to 1e-4) in the 8
 * bins up to 8, 1/32 in the 23 bins (8, 31], and 9/32 above 31:
 * 8 (1e-4 - 1/32) ln(32e-4) + (9/32 - 1/32) ln 9 = 1.9808615780528278.
 */
Test(drift, shifted_uniform_by_hand)
{
	double a[33], b[33], psi;

	uniform(a, 0);
	uniform(b, 8);
	cr_assert_eq(pf_drift_psi(a, 0, b, 0, 33, &psi, NULL, NULL), PF_OK);
	NEAR(psi, 1.9808615780528278, 1e-12);
	cr_assert(psi >= PF_DRIFT_LARGE);
}

/*
 * The same values, 10% of the rows now missing: 32 bins of .9/32 against
 * 1/32 and a missing bin of .1 against 0 (floored):
 * -0.1 ln .9 + (.1 - 1e-4) ln(.1 / 1e-4) = 0.7006208039360982.
 */
Test(drift, missing_rate_appearing_by_hand)
{
	double a[33], psi;
	size_t nb;

	uniform(a, 0);
	cr_assert_eq(pf_drift_psi(a, 0, a, 0.1, 33, &psi, &nb, NULL), PF_OK);
	NEAR(psi, 0.7006208039360982, 1e-12);
	cr_assert_eq(nb, 33);
}

/*
 * A tie collapses bins: reference {0,0,0,1,2} has interior edges {0, 1},
 * bins (-inf,0], (0,1], (1,inf) with shares .5, .25, .25; the current
 * {0,0,1,2,3} has .25, .25, .5: PSI = .25 ln 2 + .25 ln 2 = .5 ln 2.
 */
Test(drift, tie_collapses_bins_by_hand)
{
	const double a[] = {0, 0, 0, 1, 2}, b[] = {0, 0, 1, 2, 3};
	double psi;
	size_t nb;

	cr_assert_eq(pf_drift_psi(a, 0, b, 0, 5, &psi, &nb, NULL), PF_OK);
	NEAR(psi, 0.5 * log(2.0), 1e-15);
	cr_assert_eq(nb, 3);
}

/*
 * A reference night where the feature was always missing against one
 * where 80% of rows have it: present .8 against 0 (floored), missing .2
 * against 1: (.8 - 1e-4) ln(.8 / 1e-4) + (.2 - 1) ln .2.
 */
Test(drift, night_without_values_by_hand)
{
	double a[33], b[33], psi;

	for (int k = 0; k < 33; k++)
		a[k] = NAN;
	uniform(b, 0);
	cr_assert_eq(pf_drift_psi(a, 1, b, 0.2, 33, &psi, NULL, NULL), PF_OK);
	NEAR(psi, 8.476409066794792, 1e-12);
}

Test(drift, refuses_bad_sketches)
{
	double a[33], b[33], psi;
	pf_err err = {0};

	uniform(a, 0);
	uniform(b, 0);
	b[5] = -1;	/* decreasing */
	cr_assert_eq(pf_drift_psi(a, 0, b, 0, 33, &psi, NULL, &err),
	    PF_EINVAL);
	cr_assert(isnan(psi));
	b[5] = NAN;	/* partly NaN */
	cr_assert_eq(pf_drift_psi(a, 0, b, 0, 33, &psi, NULL, NULL),
	    PF_EINVAL);
	cr_assert_eq(pf_drift_psi(a, 1.5, a, 0, 33, &psi, NULL, &err),
	    PF_EINVAL);
	cr_assert_eq(pf_drift_psi(a, 0, a, 0, 1, &psi, NULL, NULL),
	    PF_EINVAL);
}

/*
 * test_changepoint.c — metrics/changepoint.h: a step's exact sign-flip p
 * and collapsed bootstrap CI worked out by hand, BH over the nights
 * (METHODS.md §8 item 5's fixture) and each condition of the flag rule.
 */
#include <math.h>

#include <criterion/criterion.h>

#include "metrics/changepoint.h"

#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), \
			    "%s = %.17g, want %.17g", #a, (double)(a), \
			    (double)(b))

/*
 * Five queries that each lose 0.1: of the 2^5 sign patterns only the two
 * with all signs equal reach |sum| = 0.5, so p = 2/32; every bootstrap
 * mean is -0.1, so the CI is [-0.1, -0.1].
 */
Test(changepoint, uniform_drop_exact_p_by_hand)
{
	const double prev[] = {0.5, 0.6, 0.7, 0.8, 0.9};
	const double cur[] = {0.4, 0.5, 0.6, 0.7, 0.8};
	pf_cp_step s;

	cr_assert_eq(pf_cp_step_compare(prev, cur, 5, NULL, &s, NULL), PF_OK);
	cr_assert_eq(s.n, 5);
	NEAR(s.delta, -0.1, 1e-12);
	NEAR(s.lo, -0.1, 1e-12);
	NEAR(s.hi, -0.1, 1e-12);
	NEAR(s.p, 2.0 / 32.0, 1e-15);
}

/*
 * d = (-0.2, -0.1, -0.1, 0, 0, 0): the zeros never change a sum; of the
 * 8 patterns of the other three only the two with equal signs reach
 * |sum| = 0.4, so p = (2 x 8) / 64 = 0.25.
 */
Test(changepoint, zeros_do_not_count_exact_p_by_hand)
{
	const double prev[] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
	const double cur[] = {0.3, 0.4, 0.4, 0.5, 0.5, 0.5};
	pf_cp_step s;

	cr_assert_eq(pf_cp_step_compare(prev, cur, 6, NULL, &s, NULL), PF_OK);
	NEAR(s.delta, -0.4 / 6, 1e-12);
	NEAR(s.p, 0.25, 1e-15);
}

Test(changepoint, no_common_queries_is_no_step)
{
	pf_cp_step s;

	cr_assert_eq(pf_cp_step_compare(NULL, NULL, 0, NULL, &s, NULL), PF_OK);
	cr_assert(isnan(s.delta) && isnan(s.p) && s.n == 0);
}

/*
 * p = (.01, .04, .03, .005) give BH q = (.02, .04, .04, .02) (METHODS.md
 * §8 item 5); the step without a p is outside the family. Flags at alpha
 * .05 and min effect .05: step 0 (q .02, CI below 0, |delta| .1) and
 * step 1 (q .04, CI above 0, .2) are change points; step 2 is too small
 * (.02 < .05); step 3's CI holds 0; step 4 has no test.
 */
Test(changepoint, bh_and_each_condition_of_the_flag)
{
	pf_cp_step s[] = {
		{30, -0.10, -0.20, -0.05, 0.010, 0, 0},
		{30, 0.20, 0.10, 0.30, 0.040, 0, 0},
		{30, -0.02, -0.03, -0.01, 0.030, 0, 0},
		{30, 0.10, -0.01, 0.20, 0.005, 0, 0},
		{0, NAN, NAN, NAN, NAN, 0, 0},
	};

	cr_assert_eq(pf_cp_flag(s, 5, 0.05, 0.05, NULL), PF_OK);
	NEAR(s[0].q, 0.02, 1e-15);
	NEAR(s[1].q, 0.04, 1e-15);
	NEAR(s[2].q, 0.04, 1e-15);
	NEAR(s[3].q, 0.02, 1e-15);
	cr_assert(isnan(s[4].q));
	cr_assert(s[0].change && s[1].change);
	cr_assert(!s[2].change && !s[3].change && !s[4].change);
	/* a stricter alpha leaves only step 0 (q .02 <= .03) */
	cr_assert_eq(pf_cp_flag(s, 5, 0.03, 0.05, NULL), PF_OK);
	cr_assert(s[0].change && !s[1].change);
}

Test(changepoint, refuses_bad_options)
{
	pf_cp_step s = {0};
	pf_err err = {0};

	cr_assert_eq(pf_cp_flag(&s, 1, 0, 0.01, &err), PF_EINVAL);
	cr_assert_eq(pf_cp_flag(&s, 1, 0.05, -1, &err), PF_EINVAL);
}

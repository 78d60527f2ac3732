/*
 * test_labeldrift.c — PSI of a discrete (grade) distribution
 * (metrics/labeldrift.h) against values worked by hand.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "metrics/labeldrift.h"

Test(labeldrift, psi_matches_hand_value)
{
	/* shares 1/3 1/3 1/3 -> 1/6 1/2 1/3: (-1/6) ln(1/2) + (1/6) ln(3/2)
	   = ln 3 / 6 */
	const double ref[] = {2, 2, 2}, cur[] = {1, 3, 2};

	cr_assert_float_eq(pf_labeldrift_psi(ref, cur, 3), log(3.0) / 6,
	    1e-15);
	cr_assert_float_eq(pf_labeldrift_psi(ref, cur, 3),
	    0.18310204811135164, 1e-15);
}

Test(labeldrift, identical_shares_give_exactly_zero)
{
	const double ref[] = {4, 2, 0, 2}, cur[] = {2, 1, 0, 1};

	cr_assert_eq(pf_labeldrift_psi(ref, cur, 4), 0.0);
}

Test(labeldrift, an_empty_category_is_floored_not_infinite)
{
	/* shares (1, 0) -> (0, 1), floored at 1e-4: 2 (1 - 1e-4) ln(1e4) */
	const double ref[] = {5, 0}, cur[] = {0, 7};

	cr_assert_float_eq(pf_labeldrift_psi(ref, cur, 2),
	    2 * (1 - 1e-4) * log(1e4), 1e-12);
	cr_assert_float_eq(pf_labeldrift_psi(ref, cur, 2), 18.41883867587797,
	    1e-12);
}

Test(labeldrift, empty_or_negative_counts_are_nan)
{
	const double z[] = {0, 0}, one[] = {1, 1}, neg[] = {-1, 2};

	cr_assert(isnan(pf_labeldrift_psi(z, one, 2)));
	cr_assert(isnan(pf_labeldrift_psi(one, z, 2)));
	cr_assert(isnan(pf_labeldrift_psi(neg, one, 2)));
}

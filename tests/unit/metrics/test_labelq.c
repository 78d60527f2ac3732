/*
 * test_labelq.c — the label-quality summary (metrics/labelq.h) on the
 * hand-made golden set tests/fixtures/golden_multi (three annotators on 19
 * pairs of six queries), against the exact values its expected.py computes
 * with reference.py's coincidence-matrix formulas; the ordering of the
 * most confusing queries; single-label data; the reading bands.
 */
#include <math.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "metrics/labelq.h"

#define NEAR(a, b)	cr_assert(fabs((a) - (b)) <= 1e-12, \
			    "%s = %.15g, want %.15g", #a, (double)(a), \
			    (double)(b))

/* tests/fixtures/golden_multi/qrels.txt: query, then alice bob carol */
static const int fix[19][4] = {
	{0, 3, 3, 3}, {0, 2, 2, 1}, {0, 0, 0, 0}, {0, 1, 1, 1},
	{1, 2, 2, 2}, {1, 0, 1, 0}, {1, 3, 3, 2}, {1, 0, 0, 0},
	{2, 0, 3, 1}, {2, 3, 0, 2}, {2, 1, 2, 0},
	{3, 2, 2, 2}, {3, 0, 0, 1},
	{4, 3, 3, 3}, {4, 0, 0, 0}, {4, 2, 2, 2},
	{5, 1, 1, 1}, {5, 3, 3, 3}, {5, 0, 0, 0},
};

static size_t
fixture(pf_rating *r, size_t *grp)
{
	size_t n = 0;

	for (size_t i = 0; i < 19; i++)
		for (size_t a = 0; a < 3; a++) {
			r[n] = (pf_rating){i, a, fix[i][a + 1]};
			grp[n++] = (size_t)fix[i][0];
		}
	return n;
}

Test(labelq, golden_multi_fixture)
{
	pf_rating r[57];
	size_t grp[57], n = fixture(r, grp), worst[3];
	pf_labelq q;
	pf_err err = {0};

	cr_assert_eq(pf_labelq_compute(&q, r, n, grp, 6, &err), PF_OK);
	/* python3 tests/fixtures/golden_multi/expected.py */
	NEAR(q.ordinal.alpha, 0.72880277549891748);
	NEAR(q.nominal.alpha, 0.60366361365528731);
	NEAR(q.interval.alpha, 0.73297002724795646);
	cr_assert(q.has_fleiss);
	NEAR(q.fleiss.kappa, 0.59658617818484594);
	NEAR(q.group[0].alpha, 0.94914623798398257);
	NEAR(q.group[2].alpha, -0.37541118899001524);
	NEAR(q.group[4].alpha, 1);
	cr_assert_eq(q.max_raters, 3);
	cr_assert_eq(q.n_ratings, 57);
	/* most confusing: q3 (-0.375), q4 (0.854), q2 (0.867) */
	cr_assert_eq(pf_labelq_worst(&q, worst, 3), 3);
	cr_assert_eq(worst[0], 2);
	cr_assert_eq(worst[1], 3);
	cr_assert_eq(worst[2], 1);
	cr_assert_eq(pf_labelq_worst(&q, worst, 0), 0);
	cr_assert_str_eq(pf_alpha_reading(q.ordinal.alpha), "tentative");
	cr_assert_str_eq(pf_kappa_band(q.fleiss.kappa), "moderate");
	pf_labelq_free(&q);
}

/* Drop carol's label on the last item: kappa no longer applies. */
Test(labelq, unequal_raters_no_fleiss)
{
	pf_rating r[57];
	size_t grp[57], n = fixture(r, grp) - 1;
	pf_labelq q;
	pf_err err = {0};

	cr_assert_eq(pf_labelq_compute(&q, r, n, grp, 6, &err), PF_OK);
	cr_assert(!q.has_fleiss);
	cr_assert_str_eq(q.no_fleiss, "items have different numbers of "
	    "raters");
	cr_assert(isfinite(q.ordinal.alpha));
	pf_labelq_free(&q);
}

Test(labelq, single_labels)
{
	pf_rating r[4] = {{0, 0, 1}, {1, 0, 2}, {2, 0, 0}, {3, 0, 3}};
	size_t grp[4] = {0, 0, 1, 1}, worst[2];
	pf_labelq q;
	pf_err err = {0};

	cr_assert_eq(pf_labelq_compute(&q, r, 4, grp, 2, &err), PF_OK);
	cr_assert(isnan(q.ordinal.alpha));
	cr_assert_eq(q.ordinal.n_single, 4);
	cr_assert_eq(q.max_raters, 1);
	cr_assert(!q.has_fleiss);
	cr_assert_str_eq(q.no_fleiss, "one rating per item");
	cr_assert_eq(pf_labelq_worst(&q, worst, 2), 0);
	cr_assert_str_eq(pf_alpha_reading(q.ordinal.alpha), "undefined");
	pf_labelq_free(&q);
}

Test(labelq, reading_bands)
{
	cr_assert_str_eq(pf_alpha_reading(0.8), "reliable");
	cr_assert_str_eq(pf_alpha_reading(0.667), "tentative");
	cr_assert_str_eq(pf_alpha_reading(0.6669), "unreliable");
	cr_assert_str_eq(pf_kappa_band(0), "poor");
	cr_assert_str_eq(pf_kappa_band(0.2), "slight");
	cr_assert_str_eq(pf_kappa_band(0.81), "almost perfect");
}

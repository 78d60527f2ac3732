/*
 * test_agreement.c — Krippendorff's alpha and Fleiss' kappa
 * (metrics/agreement.h) on METHODS.md §8 items 7 and 8 and on exact
 * fractions from tests/fixtures/agreement/reference.py (coincidence matrix
 * in rational arithmetic, independent of the C code's mid-rank closed
 * forms); per-query alpha; the edge cases (perfect agreement, no
 * variation, one rater per item, duplicates, unequal raters for kappa).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/agreement.h"

#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), \
			    "%s = %.12g, want %.12g", #a, (double)(a), \
			    (double)(b))
#define NA	(-1)

/* Reliability data (coders x units, NA = missing) to triples. */
static size_t
triples(const int *data, size_t ncoders, size_t nunits, pf_rating *out)
{
	size_t n = 0;

	for (size_t c = 0; c < ncoders; c++)
		for (size_t u = 0; u < nunits; u++)
			if (data[c * nunits + u] != NA) {
				out[n].item = 100 + u;	/* any ids */
				out[n].rater = 7 * c + 3;
				out[n].value = data[c * nunits + u];
				n++;
			}
	return n;
}

/* Wikipedia's 3 coders x 15 units (METHODS.md §6.1). */
static const int wiki[3 * 15] = {
	NA, NA, NA, NA, NA, 3, 4, 1, 2, 1, 1, 3, 3, NA, 3,
	1, NA, 2, 1, 3, 3, 4, 3, NA, NA, NA, NA, NA, NA, NA,
	NA, NA, 2, 1, 3, 4, 4, NA, 2, 1, 1, 3, 3, NA, 4,
};

/* Krippendorff's 4 coders x 12 units. */
static const int kripp[4 * 12] = {
	1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA,
	1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3,
	NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA,
	1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA,
};

static double
alpha_of(const pf_rating *r, size_t n, pf_alpha_level lv)
{
	pf_alpha a;
	pf_err err = {0};

	cr_assert_eq(pf_alpha_compute(r, n, lv, &a, &err), PF_OK, "%s",
	    err.msg);
	return a.alpha;
}

Test(agreement, wikipedia_example_nominal_and_interval)
{
	pf_rating r[45];
	size_t n = triples(wiki, 3, 15, r);

	/* METHODS.md §8 item 8, to the printed 6 decimals ... */
	NEAR(alpha_of(r, n, PF_ALPHA_NOMINAL), 0.691358, 5e-7);
	NEAR(alpha_of(r, n, PF_ALPHA_INTERVAL), 0.810845, 5e-7);
	/* ... and exactly (reference.py's fractions). */
	NEAR(alpha_of(r, n, PF_ALPHA_NOMINAL), 56.0 / 81, 1e-15);
	NEAR(alpha_of(r, n, PF_ALPHA_INTERVAL), 643.0 / 793, 1e-15);
	NEAR(alpha_of(r, n, PF_ALPHA_ORDINAL), 112173.0 / 139048, 1e-15);
	NEAR(alpha_of(r, n, PF_ALPHA_RATIO), 90503.0 / 111878, 1e-15);
}

Test(agreement, krippendorff_example_ordinal_and_ratio)
{
	pf_rating r[48];
	size_t n = triples(kripp, 4, 12, r);

	NEAR(alpha_of(r, n, PF_ALPHA_ORDINAL), 0.815, 5e-4);
	NEAR(alpha_of(r, n, PF_ALPHA_RATIO), 0.797, 5e-4);
	NEAR(alpha_of(r, n, PF_ALPHA_ORDINAL), 108577.0 / 133160, 1e-15);
	NEAR(alpha_of(r, n, PF_ALPHA_RATIO), 18222619.0 / 22852465, 1e-15);
	/* Krippendorff (2011) also prints nominal .743 and interval .849. */
	NEAR(alpha_of(r, n, PF_ALPHA_NOMINAL), 113.0 / 152, 1e-15);
	NEAR(alpha_of(r, n, PF_ALPHA_INTERVAL), 951.0 / 1120, 1e-15);
}

Test(agreement, counts_and_pair_rates)
{
	pf_rating r[45];
	size_t n = triples(wiki, 3, 15, r);
	pf_alpha a;
	pf_err err = {0};

	cr_assert_eq(pf_alpha_compute(r, n, PF_ALPHA_NOMINAL, &a, &err),
	    PF_OK);
	cr_assert_eq(a.n_items, 13);	/* 1-based units 2 and 14: no rating */
	cr_assert_eq(a.n_single, 1);	/* unit 1: coder B only */
	cr_assert_eq(a.n_pairable, 12);
	cr_assert_eq(a.n_values, 26);
	cr_assert_eq(a.n_pairs, 16);
	NEAR(a.exact, 12.0 / 16, 1e-15);
	NEAR(a.within1, 15.0 / 16, 1e-15);
	NEAR(1 - a.d_o / a.d_e, a.alpha, 1e-15);
}

Test(agreement, rating_order_does_not_matter)
{
	pf_rating r[48], s[48];
	size_t n = triples(kripp, 4, 12, r);

	for (size_t i = 0; i < n; i++)	/* a fixed shuffle */
		s[i] = r[(i * 29 + 5) % n];
	for (int lv = PF_ALPHA_NOMINAL; lv <= PF_ALPHA_RATIO; lv++)
		cr_assert_eq(alpha_of(r, n, (pf_alpha_level)lv),
		    alpha_of(s, n, (pf_alpha_level)lv));
}

Test(agreement, perfect_agreement_is_one)
{
	pf_rating r[12];
	size_t n = 0;
	for (size_t u = 0; u < 4; u++)
		for (size_t c = 0; c < 3; c++)
			r[n++] = (pf_rating){u, c, (double)(u % 3)};
	for (int lv = PF_ALPHA_NOMINAL; lv <= PF_ALPHA_RATIO; lv++)
		cr_assert_eq(alpha_of(r, n, (pf_alpha_level)lv), 1.0);
	/* METHODS-era package fixture: ratio with zeros agreeing is 1. */
	pf_rating z[6] = {{0, 0, 0}, {0, 1, 0}, {1, 0, 1}, {1, 1, 1},
	    {2, 0, 2}, {2, 1, 2}};
	cr_assert_eq(alpha_of(z, 6, PF_ALPHA_RATIO), 1.0);

	pf_fleiss f;
	pf_err err = {0};
	cr_assert_eq(pf_fleiss_kappa(r, n, &f, &err), PF_OK);
	NEAR(f.kappa, 1.0, 1e-15);
}

Test(agreement, no_variation_leaves_alpha_undefined)
{
	pf_rating r[6] = {{0, 0, 2}, {0, 1, 2}, {1, 0, 2}, {1, 1, 2},
	    {2, 0, 2}, {2, 2, 2}};
	pf_alpha a;
	pf_err err = {0};

	cr_assert_eq(pf_alpha_compute(r, 6, PF_ALPHA_ORDINAL, &a, &err),
	    PF_OK);
	cr_assert(isnan(a.alpha));
	NEAR(a.d_o, 0, 0);
	NEAR(a.d_e, 0, 0);
	NEAR(a.exact, 1, 0);

	pf_fleiss f;
	cr_assert_eq(pf_fleiss_kappa(r, 6, &f, &err), PF_OK);
	cr_assert(isnan(f.kappa));
	NEAR(f.p_e, 1, 0);
}

Test(agreement, one_rater_per_item_has_no_agreement_information)
{
	pf_rating r[4] = {{0, 0, 1}, {1, 1, 2}, {2, 0, 0}, {3, 2, 3}};
	pf_alpha a;
	pf_err err = {0};

	cr_assert_eq(pf_alpha_compute(r, 4, PF_ALPHA_ORDINAL, &a, &err),
	    PF_OK);
	cr_assert(isnan(a.alpha));
	cr_assert_eq(a.n_items, 4);
	cr_assert_eq(a.n_single, 4);
	cr_assert_eq(a.n_pairable, 0);
	cr_assert_eq(a.n_pairs, 0);
	cr_assert(isnan(a.exact));

	pf_fleiss f;
	cr_assert_eq(pf_fleiss_kappa(r, 4, &f, &err), PF_EINVAL);
	cr_assert(strstr(err.msg, "at least 2 raters") != NULL, "%s",
	    err.msg);
	cr_assert(isnan(f.kappa));

	cr_assert_eq(pf_alpha_compute(NULL, 0, PF_ALPHA_NOMINAL, &a, &err),
	    PF_OK);
	cr_assert(isnan(a.alpha));
	cr_assert_eq(a.n_items, 0);
}

Test(agreement, bad_ratings_are_einval)
{
	pf_rating r[3] = {{0, 0, 1}, {0, 1, 2}, {0, 0, 3}};
	pf_alpha a;
	pf_err err = {0};

	cr_assert_eq(pf_alpha_compute(r, 3, PF_ALPHA_ORDINAL, &a, &err),
	    PF_EINVAL);
	cr_assert_str_eq(err.msg, "rater 0 rated item 0 twice");
	r[2] = (pf_rating){1, 0, NAN};
	cr_assert_eq(pf_alpha_compute(r, 3, PF_ALPHA_ORDINAL, &a, &err),
	    PF_EINVAL);
	cr_assert(strstr(err.msg, "rating 3") != NULL, "%s", err.msg);
	r[2] = (pf_rating){1, 0, -1};
	cr_assert_eq(pf_alpha_compute(r, 3, PF_ALPHA_INTERVAL, &a, &err),
	    PF_OK);
	cr_assert_eq(pf_alpha_compute(r, 3, PF_ALPHA_RATIO, &a, &err),
	    PF_EINVAL);
	cr_assert(strstr(err.msg, "negative") != NULL, "%s", err.msg);
}

/* METHODS.md §8 item 7: the standard 10 x 14 x 5 example. */
static const size_t fleiss_table[10 * 5] = {
	0, 0, 0, 0, 14,
	0, 2, 6, 4, 2,
	0, 0, 3, 5, 6,
	0, 3, 9, 2, 0,
	2, 2, 8, 1, 1,
	7, 7, 0, 0, 0,
	3, 2, 6, 3, 0,
	2, 5, 3, 2, 2,
	6, 5, 2, 1, 0,
	0, 2, 2, 3, 7,
};

Test(agreement, fleiss_standard_example_from_counts)
{
	pf_fleiss f;
	pf_err err = {0};

	cr_assert_eq(pf_fleiss_kappa_counts(fleiss_table, 10, 5, &f, &err),
	    PF_OK, "%s", err.msg);
	NEAR(f.p_bar, 0.378022, 5e-7);
	NEAR(f.p_e, 0.212755, 5e-7);
	NEAR(f.kappa, 0.209931, 5e-7);
	NEAR(f.kappa, 0.20993070442195524, 1e-15);
	cr_assert_eq(f.n_items, 10);
	cr_assert_eq(f.n_raters, 14);
	cr_assert_eq(f.n_cats, 5);
}

Test(agreement, fleiss_standard_example_from_ratings)
{
	pf_rating r[140];
	size_t n = 0;
	pf_fleiss f;
	pf_err err = {0};

	/* Different raters on different items: Fleiss does not need them
	   to be the same people, only the same number. */
	for (size_t i = 0; i < 10; i++) {
		size_t rater = 0;
		for (size_t j = 0; j < 5; j++)
			for (size_t c = 0; c < fleiss_table[i * 5 + j]; c++)
				r[n++] = (pf_rating){i, 100 * i + rater++,
				    (double)(j + 1)};
	}
	cr_assert_eq(n, 140);
	cr_assert_eq(pf_fleiss_kappa(r, n, &f, &err), PF_OK, "%s", err.msg);
	NEAR(f.kappa, 0.20993070442195524, 1e-15);
	NEAR(f.p_bar, 0.37802197802197801, 1e-15);
}

Test(agreement, fleiss_needs_constant_raters_per_item)
{
	pf_rating r[48];
	size_t n = triples(kripp, 4, 12, r);
	pf_fleiss f;
	pf_err err = {0};

	cr_assert_eq(pf_fleiss_kappa(r, n, &f, &err), PF_EINVAL);
	cr_assert_str_eq(err.msg, "fleiss' kappa needs the same number of "
	    "raters for every item: item 100 has 3, item 101 has 4");

	size_t bad[2 * 3] = {1, 1, 0, 1, 0, 0};
	cr_assert_eq(pf_fleiss_kappa_counts(bad, 2, 3, &f, &err), PF_EINVAL);
	cr_assert(strstr(err.msg, "item 2 has 1") != NULL, "%s", err.msg);
}

/*
 * Per-query alpha: units 0-5 of Krippendorff's example are query 0, units
 * 6-11 query 1 (reference.py's group_alpha), plus an empty query 2.
 */
Test(agreement, per_query_alpha_matches_reference)
{
	static const struct {
		pf_alpha_level	lv;
		double		a[2], d_o[2], local[2];
	} want[] = {
		{PF_ALPHA_ORDINAL, {0.72002298640406437, 0.94441008605304544},
		    {71.695652173913047, 14.235294117647058},
		    {0.54991994087941864, 0.93824301374092944}},
		{PF_ALPHA_NOMINAL, {0.66533180778032042, 0.84907120743034059},
		    {0.2608695652173913, 0.11764705882352941},
		    {0.62068965517241381, 0.85046728971962615}},
		{PF_ALPHA_INTERVAL, {0.7678571428571429, 0.95903361344537819},
		    {0.66666666666666663, 0.11764705882352941},
		    {0.51809523809523805, 0.97619047619047616}},
	};
	pf_rating r[48];
	size_t n = triples(kripp, 4, 12, r), group[48];
	pf_err err = {0};

	for (size_t i = 0; i < n; i++)
		group[i] = r[i].item - 100 < 6 ? 0 : 1;
	for (size_t t = 0; t < sizeof(want) / sizeof(want[0]); t++) {
		pf_alpha all;
		pf_alpha_group g[3];
		cr_assert_eq(pf_alpha_by_group(r, n, group, 3, want[t].lv,
		    &all, g, &err), PF_OK, "%s", err.msg);
		NEAR(all.alpha, alpha_of(r, n, want[t].lv), 0);
		for (size_t q = 0; q < 2; q++) {
			NEAR(g[q].alpha, want[t].a[q], 1e-14);
			NEAR(g[q].d_o, want[t].d_o[q], 1e-12);
			NEAR(g[q].alpha_local, want[t].local[q], 1e-14);
		}
		/* D_o is the value-weighted mean of the groups' D_o. */
		NEAR((g[0].d_o * (double)g[0].n_values + g[1].d_o *
		    (double)g[1].n_values) / (double)all.n_values, all.d_o,
		    1e-12);
		cr_assert_eq(g[0].n_items, 6);
		cr_assert_eq(g[1].n_pairable, 5);	/* unit 11: one value */
		cr_assert(isnan(g[2].alpha) && isnan(g[2].alpha_local));
		cr_assert_eq(g[2].n_items, 0);
	}
}

Test(agreement, per_query_alpha_when_a_query_agrees_on_one_grade)
{
	/* Query 0: every document judged 0 by both raters (its own alpha is
	   undefined); query 1: disagreement. */
	pf_rating r[8] = {{0, 0, 0}, {0, 1, 0}, {1, 0, 0}, {1, 1, 0},
	    {2, 0, 1}, {2, 1, 2}, {3, 0, 2}, {3, 1, 0}};
	size_t group[8] = {0, 0, 0, 0, 1, 1, 1, 1};
	pf_alpha_group g[2];
	pf_err err = {0};

	cr_assert_eq(pf_alpha_by_group(r, 8, group, 2, PF_ALPHA_ORDINAL, NULL,
	    g, &err), PF_OK, "%s", err.msg);
	NEAR(g[0].alpha, 1.0, 0);
	cr_assert(isnan(g[0].alpha_local));
	cr_assert(g[1].alpha < 0.5);
}

Test(agreement, an_item_in_two_queries_is_einval)
{
	pf_rating r[3] = {{5, 0, 1}, {6, 0, 1}, {5, 1, 2}};
	size_t group[3] = {0, 1, 1};
	pf_alpha_group g[2];
	pf_err err = {0};

	cr_assert_eq(pf_alpha_by_group(r, 3, group, 2, PF_ALPHA_ORDINAL, NULL,
	    g, &err), PF_EINVAL);
	cr_assert_str_eq(err.msg, "item 5 is in groups 0 and 1");
	group[0] = 2;
	cr_assert_eq(pf_alpha_by_group(r, 3, group, 2, PF_ALPHA_ORDINAL, NULL,
	    g, &err), PF_EINVAL);
}

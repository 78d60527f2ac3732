/*
 * test_compare.c — the paired comparison against independent values:
 * SciPy's paired t-test and an exact sign-flip enumeration kept as
 * fixtures (tests/fixtures/stats/make_fixtures.py), the noncentral-t power
 * sample size, METHODS.md §8 items 4 and 5 by hand, and properties of the
 * bootstrap (collapse, containment, thread-count independence).
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/compare.h"

#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), "%.10g != %.10g", \
			    (double)(a), (double)(b))

Test(compare, scipy_fixtures)
{
	FILE *f = fopen(FIXTURES "/stats/paired.txt", "r");
	char name[64];
	size_t n;
	int ncases = 0;

	cr_assert_not_null(f);
	while (fscanf(f, " case %63s %zu", name, &n) == 2) {
		double *a = malloc(n * sizeof(double)), *b = malloc(n *
		    sizeof(double)), t, p, pe;
		int n80;
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(fscanf(f, "%lf", &a[i]), 1);
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(fscanf(f, "%lf", &b[i]), 1);
		cr_assert_eq(fscanf(f, " want %lf %lf %lf %d", &t, &p, &pe,
		    &n80), 4);
		pf_cmp_opts o;
		pf_cmp c;
		pf_err err = {0};
		pf_cmp_opts_init(&o);
		o.exact_limit = 16;
		cr_assert_eq(pf_compare_paired(a, b, n, &o, &c, &err), PF_OK);
		NEAR(c.t, t, 1e-9);
		NEAR(c.p_t, p, 1e-9);
		if (pe >= 0) {
			cr_assert(c.exact, "%s", name);
			NEAR(c.p_perm, pe, 1e-15);
		} else {	/* Monte Carlo agrees with the t-test roughly */
			NEAR(c.p_perm, p, 0.03);
		}
		if (n80 > 0)
			cr_assert(fabs(c.n_needed - n80) <= 1, "%s: n80 %g vs "
			    "%d", name, c.n_needed, n80);
		cr_assert_leq(c.lo, c.delta);
		cr_assert_geq(c.hi, c.delta);
		cr_assert_eq(c.wins + c.losses + c.ties, n);
		free(a);
		free(b);
		ncases++;
	}
	fclose(f);
	cr_assert_eq(ncases, 5);
}

Test(compare, methods_fixtures_sign_holm_bh)
{
	double p[] = {0.01, 0.04, 0.03, 0.005}, h[4], bh[4];
	double wh[] = {0.03, 0.06, 0.06, 0.02}, wb[] = {0.02, 0.04, 0.04, 0.02};

	NEAR(pf_sign_test(60, 40), 0.056888, 5e-7);
	NEAR(pf_sign_test(15, 5), 0.041389, 5e-7);
	pf_p_holm(p, 4, h);
	pf_p_bh(p, 4, bh);
	for (int i = 0; i < 4; i++) {
		NEAR(h[i], wh[i], 1e-12);
		NEAR(bh[i], wb[i], 1e-12);
	}
	double q[] = {0.5, NAN, 0.01}, hq[3];
	pf_p_holm(q, 3, hq);	/* NaN stays out of the family */
	cr_assert(isnan(hq[1]));
	NEAR(hq[2], 0.02, 1e-12);
	NEAR(hq[0], 0.5, 1e-12);
}

Test(compare, t_distribution)
{
	NEAR(pf_t_cdf(0.0, 5), 0.5, 1e-15);
	NEAR(pf_t_quantile(0.975, 10), 2.2281388519649385, 1e-9);
	NEAR(pf_t_quantile(0.975, 1e6), 1.959963984540054, 1e-5);
	NEAR(pf_t_cdf(-2.2281388519649385, 10), 0.025, 1e-12);
}

Test(compare, bootstrap_properties_and_threads)
{
	size_t n = 500;
	double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double));
	pf_cmp_opts o;
	pf_cmp c1, c2, c7, k;
	pf_err err = {0};

	for (size_t i = 0; i < n; i++) {
		a[i] = (double)(i % 17) / 17.0;
		b[i] = a[i] + 0.01 * (double)((i * 7) % 5) - 0.015;
	}
	pf_cmp_opts_init(&o);
	o.seed = 42;
	omp_set_num_threads(1);
	pf_compare_paired(a, b, n, &o, &c1, &err);
	omp_set_num_threads(2);
	pf_compare_paired(a, b, n, &o, &c2, &err);
	omp_set_num_threads(7);
	pf_compare_paired(a, b, n, &o, &c7, &err);
	cr_assert_eq(memcmp(&c1, &c2, sizeof(c1)), 0);
	cr_assert_eq(memcmp(&c1, &c7, sizeof(c1)), 0);
	cr_assert_lt(c1.lo, c1.delta);
	cr_assert_gt(c1.hi, c1.delta);
	/* the bootstrap CI is close to the t CI for this many queries */
	NEAR(c1.lo, c1.t_lo, 0.002);
	NEAR(c1.hi, c1.t_hi, 0.002);
	/* a constant difference: the CI collapses onto it */
	for (size_t i = 0; i < n; i++)
		b[i] = a[i] + 0.25;
	pf_compare_paired(a, b, n, &o, &k, &err);
	NEAR(k.lo, 0.25, 1e-12);
	NEAR(k.hi, 0.25, 1e-12);
	cr_assert_eq(k.wins, n);
	NEAR(k.p_perm, 1.0 / 10001.0, 1e-15);	/* the +1 correction */
	free(a);
	free(b);
}

Test(compare, edge_cases)
{
	double a[] = {0.5, 0.5}, b[] = {0.5, 0.5}, bad[] = {0.5, NAN};
	pf_cmp_opts o;
	pf_cmp c;
	pf_err err = {0};

	pf_cmp_opts_init(&o);
	cr_assert_eq(pf_compare_paired(a, b, 0, &o, &c, &err), PF_OK);
	cr_assert(isnan(c.delta) && isnan(c.p_perm));
	cr_assert_eq(pf_compare_paired(a, b, 1, &o, &c, &err), PF_OK);
	cr_assert(isnan(c.p_t));
	cr_assert_eq(pf_compare_paired(a, b, 2, &o, &c, &err), PF_OK);
	NEAR(c.p_t, 1.0, 0);	/* every difference 0 */
	NEAR(c.p_perm, 1.0, 0);
	cr_assert_eq(c.ties, 2);
	cr_assert(isnan(c.n_needed));
	cr_assert_eq(pf_compare_paired(a, bad, 2, &o, &c, &err), PF_EINVAL);
	cr_assert_not_null(strstr(err.msg, "query 1"));
}

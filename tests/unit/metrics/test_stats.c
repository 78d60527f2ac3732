/*
 * test_stats.c — metrics/stats.h against values computed independently:
 * SciPy/NumPy and exact integer enumeration kept as fixtures
 * (tests/fixtures/stats/make_stats_fixtures.py; no Python at test time),
 * METHODS.md §8 items 4 and 5 by hand, and properties of the bootstrap
 * (collapse, containment, symmetry, its exact multinomial law) and of
 * thread-count independence (OMP_NUM_THREADS 1, 2, 7: the same bytes).
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/stats.h"

#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), \
			    "%s = %.17g, want %.17g", #a, (double)(a), \
			    (double)(b))
/* Relative closeness; NaN equals NaN, infinities must match exactly. */
#define REL(a, b, tol)	cr_assert(rel_ok((a), (b), (tol)), \
			    "%s = %.17g, want %.17g (rel %g)", #a, (double)(a), \
			    (double)(b), (double)(tol))

static int
rel_ok(double a, double b, double tol)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	if (isinf(a) || isinf(b))
		return a == b;
	return fabs(a - b) <= tol * fmax(fabs(b), 1e-300) || a == b;
}

static FILE *
open_fixture(const char *name)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/stats/%s", FIXTURES, name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s", path);
	return f;
}

/* Skips '#' comment lines before the next token. */
static void
skip_comments(FILE *f)
{
	int c;

	while ((c = fgetc(f)) != EOF) {
		if (c == '#') {
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
		} else if (c != ' ' && c != '\n' && c != '\t') {
			ungetc(c, f);
			return;
		}
	}
}

static double *
read_doubles(FILE *f, size_t n)
{
	double *v = malloc((n ? n : 1) * sizeof(double));

	cr_assert_not_null(v);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(fscanf(f, "%lf", &v[i]), 1);
	return v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static pf_stats_opts
defaults(void)
{
	pf_stats_opts o;

	pf_stats_opts_init(&o);
	return o;
}

/* ---- fixtures --------------------------------------------------------- */

Test(stats, paired_cases_match_scipy_and_exact_enumeration)
{
	FILE *f = open_fixture("paired_cases.txt");
	char name[64];
	size_t n;
	int ncases = 0;

	skip_comments(f);
	while (fscanf(f, " case %63s %zu", name, &n) == 2) {
		double *a = read_doubles(f, n), *b = read_doubles(f, n), w[18];
		pf_stats_opts o = defaults();
		pf_stats_cmp c, mc;
		pf_err err = {0};

		cr_assert_eq(fscanf(f, " want"), 0);
		for (int i = 0; i < 18; i++)
			cr_assert_eq(fscanf(f, "%lf", &w[i]), 1, "%s", name);
		o.exact_limit = 22;
		cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c, &err),
		    PF_OK, "%s: %s", name, err.msg);
		cr_log_info("%s: t %g p_t %g p_perm %g [%g, %g]", name, c.t,
		    c.p_t, c.p_perm, c.ci_lo, c.ci_hi);
		cr_assert_eq(c.n, n);
		REL(c.mean_control, w[0], 1e-13);
		REL(c.mean_treatment, w[1], 1e-13);
		NEAR(c.delta, w[2], 1e-15);
		REL(c.sd, w[3], 1e-12);
		if (w[4] == 0.0)
			NEAR(c.t, 0.0, 1e-12);
		else
			REL(c.t, w[4], 1e-10);
		REL(c.p_t, w[5], 1e-9);
		NEAR(c.df, (double)n - 1, 0);
		if (w[6] == 0.0)
			NEAR(c.d_z, 0.0, 1e-12);
		else
			REL(c.d_z, w[6], 1e-10);
		if (w[7] >= 0) {	/* exact: the same rational number */
			cr_assert(c.perm_exact, "%s", name);
			cr_assert_eq(c.perm_total, (uint64_t)1 << n);
			cr_assert_eq(c.p_perm, w[7], "%s: %.17g vs %.17g", name,
			    c.p_perm, w[7]);
		}
		cr_assert_eq(c.wins, (size_t)w[8]);
		cr_assert_eq(c.losses, (size_t)w[9]);
		cr_assert_eq(c.ties, (size_t)w[10]);
		REL(c.p_sign, w[11], 1e-10);
		if (isnan(w[12])) {
			cr_assert(isnan(c.n_power) && isnan(c.n_power_t));
		} else {
			cr_assert_eq(c.n_power, w[12], "%s", name);
			cr_assert_eq(c.n_power_t, w[13], "%s", name);
			/* within one query of the exact noncentral-t answer */
			cr_assert(fabs(c.n_power_t - w[14]) <= 1, "%s", name);
		}
		REL(c.mde, w[15], 1e-12);
		NEAR(c.t_lo, w[16], 1e-9 * (1 + fabs(w[16])));
		NEAR(c.t_hi, w[17], 1e-9 * (1 + fabs(w[17])));
		if (strcmp(name, "zero_control") == 0)
			cr_assert(isnan(c.rel));
		else
			REL(c.rel, w[2] / w[0], 1e-12);
		cr_assert_leq(c.ci_lo, c.delta, "%s", name);
		cr_assert_geq(c.ci_hi, c.delta, "%s", name);
		cr_assert_eq(c.wins + c.losses + c.ties, n);

		/* The Monte Carlo test agrees with the exact p within 4 SE. */
		if (w[7] >= 0) {
			o.exact_limit = 0;
			cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &mc,
			    &err), PF_OK);
			double se = sqrt(w[7] * (1 - w[7]) / (double)o.n_perm);
			cr_assert(!mc.perm_exact);
			NEAR(mc.p_perm, w[7], 4 * se + 2.0 / (double)o.n_perm);
		} else {	/* large n: randomization ~ t-test */
			NEAR(c.p_perm, c.p_t, 0.03);
		}
		free(a);
		free(b);
		ncases++;
		skip_comments(f);
	}
	fclose(f);
	cr_assert_eq(ncases, 14);
}

Test(stats, methods_section8_hand_values)
{
	/* Item 4: sign test; item 5: Holm and BH (METHODS.md §4.4, §8). */
	double p[] = {0.01, 0.04, 0.03, 0.005}, h[4], bh[4];
	double wh[] = {0.03, 0.06, 0.06, 0.02}, wb[] = {0.02, 0.04, 0.04, 0.02};

	NEAR(pf_stats_sign_test(60, 40), 0.056888, 5e-7);
	NEAR(pf_stats_sign_test(15, 5), 0.041389, 5e-7);
	cr_assert_eq(pf_stats_holm(p, 4, h, NULL), PF_OK);
	cr_assert_eq(pf_stats_bh(p, 4, bh, NULL), PF_OK);
	for (int i = 0; i < 4; i++) {
		NEAR(h[i], wh[i], 1e-15);
		NEAR(bh[i], wb[i], 1e-15);
	}
}

Test(stats, holm_and_bh_match_textbook_definitions)
{
	FILE *f = open_fixture("padjust.txt");
	size_t m;
	int nblocks = 0;

	skip_comments(f);
	while (fscanf(f, " m %zu", &m) == 1) {
		double *p = read_doubles(f, m), *wh = read_doubles(f, m),
		    *wb = read_doubles(f, m), *h = malloc(m * sizeof(double)),
		    *bh = malloc(m * sizeof(double));
		pf_err err = {0};

		cr_assert_eq(pf_stats_holm(p, m, h, &err), PF_OK);
		cr_assert_eq(pf_stats_bh(p, m, bh, &err), PF_OK);
		for (size_t i = 0; i < m; i++) {
			REL(h[i], wh[i], 1e-14);
			REL(bh[i], wb[i], 1e-14);
			if (isnan(p[i]))
				continue;
			/* adjusted >= raw, <= 1, BH <= Holm */
			cr_assert(h[i] >= p[i] && h[i] <= 1.0);
			cr_assert(bh[i] >= p[i] && bh[i] <= 1.0);
			cr_assert_leq(bh[i], h[i]);
			/* monotone: p_i <= p_j => adj_i <= adj_j; ties equal */
			for (size_t j = 0; j < m; j++) {
				if (isnan(p[j]) || p[i] > p[j])
					continue;
				cr_assert_leq(h[i], h[j]);
				cr_assert_leq(bh[i], bh[j]);
				if (p[i] == p[j]) {
					cr_assert_eq(h[i], h[j]);
					cr_assert_eq(bh[i], bh[j]);
				}
			}
		}
		/* In place (adj == p) gives the same values. */
		cr_assert_eq(pf_stats_bh(p, m, p, &err), PF_OK);
		for (size_t i = 0; i < m; i++)
			REL(p[i], bh[i], 0);
		free(p);
		free(wh);
		free(wb);
		free(h);
		free(bh);
		nblocks++;
		skip_comments(f);
	}
	fclose(f);
	cr_assert_eq(nblocks, 8);
}

Test(stats, padjust_rejects_p_outside_unit_interval)
{
	double p[] = {0.1, 1.5, 0.2}, q[] = {0.1, -0.01}, adj[3];
	pf_err err = {0};

	cr_assert_eq(pf_stats_holm(p, 3, adj, &err), PF_EINVAL);
	cr_assert_not_null(strstr(err.msg, "p-value 1"), "%s", err.msg);
	cr_assert_eq(pf_stats_bh(q, 2, adj, &err), PF_EINVAL);
	cr_assert_eq(pf_stats_holm(p, 0, adj, &err), PF_OK);	/* empty */
}

Test(stats, distributions_match_scipy)
{
	FILE *f = open_fixture("dist.txt");
	char tag[16];
	int counts[8] = {0};

	skip_comments(f);
	while (fscanf(f, "%15s", tag) == 1) {
		double x, y, z, w;
		if (strcmp(tag, "tp2") == 0) {
			cr_assert_eq(fscanf(f, "%lf %lf %lf", &x, &y, &w), 3);
			REL(pf_stats_t_p2(x, y), w, 1e-11);
			counts[0]++;
		} else if (strcmp(tag, "tcdf") == 0) {
			cr_assert_eq(fscanf(f, "%lf %lf %lf", &x, &y, &w), 3);
			REL(pf_stats_t_cdf(x, y), w, 1e-11);
			counts[1]++;
		} else if (strcmp(tag, "tq") == 0) {
			cr_assert_eq(fscanf(f, "%lf %lf %lf", &x, &y, &w), 3);
			NEAR(pf_stats_t_quantile(x, y), w,
			    1e-12 * (1 + fabs(w)));
			counts[2]++;
		} else if (strcmp(tag, "zq") == 0) {
			cr_assert_eq(fscanf(f, "%lf %lf", &x, &w), 2);
			REL(pf_stats_norm_quantile(x), w, 1e-14);
			counts[3]++;
		} else if (strcmp(tag, "ibeta") == 0) {
			cr_assert_eq(fscanf(f, "%lf %lf %lf %lf", &x, &y, &z,
			    &w), 4);
			REL(pf_stats_ibeta(x, y, z), w, 1e-12);
			counts[4]++;
		} else if (strcmp(tag, "sign") == 0) {
			size_t wi, lo;
			cr_assert_eq(fscanf(f, "%zu %zu %lf", &wi, &lo, &w), 3);
			REL(pf_stats_sign_test(wi, lo), w, 1e-10);
			counts[5]++;
		} else if (strcmp(tag, "power") == 0) {
			double nn, nt, nc;
			cr_assert_eq(fscanf(f, "%lf %lf %lf %lf %lf %lf", &x,
			    &y, &z, &nn, &nt, &nc), 6);
			cr_assert_eq(pf_stats_n_power(x, y, z), nn,
			    "d_z %g alpha %g power %g", x, y, z);
			cr_assert_eq(pf_stats_n_power_t(x, y, z), nt,
			    "d_z %g alpha %g power %g", x, y, z);
			cr_assert(fabs(nt - nc) <= 2);
			counts[6]++;
		} else if (strcmp(tag, "quant") == 0) {
			size_t n;
			cr_assert_eq(fscanf(f, "%lf %zu", &x, &n), 2);
			double *v = read_doubles(f, n);
			cr_assert_eq(fscanf(f, "%lf", &w), 1);
			qsort(v, n, sizeof(double), cmp_double);
			cr_assert_eq(pf_stats_quantile(v, n, x), w,
			    "prob %g n %zu", x, n);
			free(v);
			counts[7]++;
		} else {
			cr_assert_fail("unknown tag %s", tag);
		}
		skip_comments(f);
	}
	fclose(f);
	for (int i = 0; i < 8; i++)
		cr_assert_gt(counts[i], 0, "no lines of kind %d", i);
}

Test(stats, quantile_is_the_inverted_cdf_with_snapping)
{
	size_t B = 10000;
	double *v = malloc(B * sizeof(double)), one = 3.5;

	for (size_t i = 0; i < B; i++)
		v[i] = (double)(i + 1);		/* the k-th smallest is k */
	/* alpha = 0.05: the 250th and the 9,750th (METHODS.md §4.3) */
	cr_assert_eq(pf_stats_quantile(v, B, 0.05 / 2), 250.0);
	cr_assert_eq(pf_stats_quantile(v, B, 1 - 0.05 / 2), 9750.0);
	cr_assert_eq(pf_stats_quantile(v, B, 0.1 / 2), 500.0);
	cr_assert_eq(pf_stats_quantile(v, B, 1 - 0.1 / 2), 9500.0);
	cr_assert_eq(pf_stats_quantile(v, B, 0.00001), 1.0);
	cr_assert_eq(pf_stats_quantile(v, B, 0.000101), 2.0);
	cr_assert_eq(pf_stats_quantile(v, B, 0.0), 1.0);
	cr_assert_eq(pf_stats_quantile(v, B, 1.0), 10000.0);
	cr_assert_eq(pf_stats_quantile(v, 999, 0.025), 25.0);	/* 24.975 */
	cr_assert_eq(pf_stats_quantile(&one, 1, 0.025), 3.5);
	cr_assert(isnan(pf_stats_quantile(v, 0, 0.5)));
	cr_assert(isnan(pf_stats_quantile(v, B, 1.5)));
	cr_assert(isnan(pf_stats_quantile(v, B, NAN)));
	free(v);
}

Test(stats, t_distribution_and_normal_basics)
{
	NEAR(pf_stats_t_cdf(0.0, 5), 0.5, 0);
	NEAR(pf_stats_t_p2(0.0, 5), 1.0, 0);
	NEAR(pf_stats_t_p2(INFINITY, 5), 0.0, 0);
	NEAR(pf_stats_t_cdf(-1.3, 7) + pf_stats_t_cdf(1.3, 7), 1.0, 1e-15);
	/* t with 1 df is Cauchy: F(t) = 1/2 + atan(t)/pi */
	NEAR(pf_stats_t_cdf(0.7, 1), 0.5 + atan(0.7) / acos(-1.0), 1e-15);
	/* t with 2 df: F(t) = 1/2 + t / (2 sqrt(2 + t^2)) */
	NEAR(pf_stats_t_cdf(-1.9, 2), 0.5 - 1.9 / (2 * sqrt(2 + 1.9 * 1.9)),
	    1e-15);
	for (double df = 1; df < 3000; df *= 3.7)
		for (double p = 0.001; p < 1; p += 0.0997)
			REL(pf_stats_t_cdf(pf_stats_t_quantile(p, df), df), p,
			    1e-12);
	NEAR(pf_stats_norm_quantile(0.975), 1.959963984540054, 1e-15);
	cr_assert(isnan(pf_stats_t_p2(1.0, 0.0)));
	cr_assert(isnan(pf_stats_t_quantile(1.0, 5)));
	cr_assert(isnan(pf_stats_norm_quantile(0.0)));
	cr_assert(isnan(pf_stats_ibeta(-1, 1, 0.5)));
	cr_assert_eq(pf_stats_ibeta(2, 3, 0.0), 0.0);
	cr_assert_eq(pf_stats_ibeta(2, 3, 1.0), 1.0);
	cr_assert(isnan(pf_stats_n_power(0.0, 0.05, 0.8)));
	cr_assert(isnan(pf_stats_n_power_t(NAN, 0.05, 0.8)));
	cr_assert_eq(pf_stats_n_power(INFINITY, 0.05, 0.8), 2.0);
	cr_assert(isnan(pf_stats_n_power(0.3, 0.05, 0.2)));	/* power < .5 */
	/* tiny effects: t and normal agree beyond 1e9 queries */
	cr_assert_eq(pf_stats_n_power_t(1e-5, 0.05, 0.8),
	    pf_stats_n_power(1e-5, 0.05, 0.8));
}

/* ---- bootstrap and determinism ---------------------------------------- */

static void
synthetic(double *a, double *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		a[i] = (double)(i % 17) / 17.0;
		b[i] = a[i] + 0.01 * (double)((i * 7) % 5) - 0.015 +
		    0.003 * sin((double)i);
	}
}

Test(stats, same_bytes_for_1_2_and_7_threads)
{
	size_t sizes[] = {500, 18, 1};
	double *a = malloc(500 * sizeof(double)), *b = malloc(500 *
	    sizeof(double));
	double m1[3000], m2[3000], m7[3000];
	pf_key key = pf_rng_key(9, 8, 7, PF_RNG_BOOT);

	synthetic(a, b, 500);
	for (size_t s = 0; s < 3; s++) {
		pf_stats_opts o = defaults();
		pf_stats_cmp c1, c2, c7;
		pf_err err = {0};

		o.seed = 42;
		o.id_a = 3;
		omp_set_num_threads(1);
		cr_assert_eq(pf_stats_compare_paired(a, b, sizes[s], &o, &c1,
		    &err), PF_OK);
		omp_set_num_threads(2);
		cr_assert_eq(pf_stats_compare_paired(a, b, sizes[s], &o, &c2,
		    &err), PF_OK);
		omp_set_num_threads(7);
		cr_assert_eq(pf_stats_compare_paired(a, b, sizes[s], &o, &c7,
		    &err), PF_OK);
		cr_assert_eq(memcmp(&c1, &c2, sizeof(c1)), 0, "n %zu",
		    sizes[s]);
		cr_assert_eq(memcmp(&c1, &c7, sizeof(c1)), 0, "n %zu",
		    sizes[s]);
		cr_assert_eq(c1.perm_exact, sizes[s] <= 20);
	}
	omp_set_num_threads(1);
	pf_stats_boot_means(a, 500, key, 3000, m1);
	omp_set_num_threads(2);
	pf_stats_boot_means(a, 500, key, 3000, m2);
	omp_set_num_threads(7);
	pf_stats_boot_means(a, 500, key, 3000, m7);
	cr_assert_eq(memcmp(m1, m2, sizeof(m1)), 0);
	cr_assert_eq(memcmp(m1, m7, sizeof(m1)), 0);
	/* resample r depends on r only: a prefix run gives the same values */
	pf_stats_boot_means(a, 500, key, 100, m2);
	cr_assert_eq(memcmp(m1, m2, 100 * sizeof(double)), 0);
	free(a);
	free(b);
}

Test(stats, seed_and_ids_change_the_draws)
{
	size_t n = 200;
	double *a = malloc(n * sizeof(double)), *b = malloc(n *
	    sizeof(double));
	pf_stats_opts o = defaults();
	pf_stats_cmp c1, c2, c3, c4;

	synthetic(a, b, n);
	cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c1, NULL), PF_OK);
	cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c2, NULL), PF_OK);
	cr_assert_eq(memcmp(&c1, &c2, sizeof(c1)), 0);
	o.seed = 2;
	cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c3, NULL), PF_OK);
	o.seed = 1;
	o.id_b = 5;
	cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c4, NULL), PF_OK);
	cr_assert(c3.ci_lo != c1.ci_lo || c3.ci_hi != c1.ci_hi);
	cr_assert(c4.ci_lo != c1.ci_lo || c4.ci_hi != c1.ci_hi);
	cr_assert_eq(c3.t, c1.t);	/* closed-form parts do not move */
	free(a);
	free(b);
}

Test(stats, constant_difference_collapses_the_ci)
{
	size_t n = 500;
	double *a = malloc(n * sizeof(double)), *b = malloc(n *
	    sizeof(double));
	pf_stats_opts o = defaults();
	pf_stats_cmp c;

	for (size_t i = 0; i < n; i++) {
		a[i] = (double)(i % 17) / 16.0;
		b[i] = a[i] + 0.25;	/* exact in binary: every d is 0.25 */
	}
	cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c, NULL), PF_OK);
	cr_assert_eq(c.delta, 0.25);
	cr_assert_eq(c.ci_lo, 0.25);
	cr_assert_eq(c.ci_hi, 0.25);
	cr_assert_eq(c.sd, 0.0);
	cr_assert(isinf(c.t) && c.t > 0);
	cr_assert_eq(c.p_t, 0.0);
	cr_assert_eq(c.wins, n);
	cr_assert_eq(c.p_boot, 0.0);
	cr_assert_eq(c.n_power, 2.0);
	cr_assert_eq(c.mde, 0.0);
	/* only the identity and the all-flipped pattern reach |sum|: none of
	   10,000 random ones does, so p is the +1 correction's floor */
	cr_assert_eq(c.perm_count, 0);
	cr_assert_eq(c.p_perm, 1.0 / 10001.0);
	/* not exactly constant (no shortcut): the CI still collapses */
	for (size_t i = 0; i < n; i++)
		b[i] = a[i] + 0.25 + 1e-13 * (double)(i % 3);
	o.n_boot = 20000;
	cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c, NULL), PF_OK);
	NEAR(c.ci_lo, 0.25, 3e-13);
	NEAR(c.ci_hi, 0.25, 3e-13);
	cr_assert_lt(c.ci_lo, c.ci_hi);
	free(a);
	free(b);
}

Test(stats, bootstrap_ci_contains_mean_is_symmetric_and_near_t)
{
	size_t n = 2000;
	double *a = malloc(n * sizeof(double)), *b = malloc(n *
	    sizeof(double));
	pf_stats_opts o = defaults();
	pf_stats_cmp c;

	/* symmetric around 0.1: d = 0.1 +- x in pairs */
	for (size_t i = 0; i < n; i += 2) {
		double x = 0.3 * sin(1.7 * (double)i) * cos(0.3 * (double)i);
		a[i] = a[i + 1] = 0.5;
		b[i] = 0.6 + x;
		b[i + 1] = 0.6 - x;
	}
	o.n_boot = 20000;
	cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c, NULL), PF_OK);
	NEAR(c.delta, 0.1, 1e-12);
	cr_assert_lt(c.ci_lo, c.delta);
	cr_assert_gt(c.ci_hi, c.delta);
	double w = c.ci_hi - c.ci_lo;
	NEAR((c.ci_hi - c.delta) - (c.delta - c.ci_lo), 0.0, 0.05 * w);
	/* with 2,000 queries the percentile CI is close to the t interval */
	NEAR(c.ci_lo, c.t_lo, 0.05 * w);
	NEAR(c.ci_hi, c.t_hi, 0.05 * w);
	/* the shift test agrees with the t-test's verdict */
	cr_assert_lt(c.p_boot, 0.001);
	free(a);
	free(b);
}

Test(stats, bootstrap_means_follow_the_multinomial_law)
{
	/* x = (0, 1, 10): a resample's mean is (k1 + 10 k2) / 3 for counts
	   (k0, k1, k2), with probability 3! / (k0! k1! k2!) / 27. */
	double x[] = {0.0, 1.0, 10.0}, *m;
	size_t B = 30000, seen[31] = {0};
	double pr[31] = {0}, chi2 = 0.0;
	const double fact[] = {1, 1, 2, 6};

	m = malloc(B * sizeof(double));
	pf_stats_boot_means(x, 3, pf_rng_key(5, 0, 0, PF_RNG_BOOT), B, m);
	for (size_t r = 0; r < B; r++) {
		double s = m[r] * 3.0, k = round(s);
		cr_assert(fabs(s - k) < 1e-9 && k >= 0 && k <= 30);
		seen[(size_t)k]++;
	}
	for (int k1 = 0; k1 <= 3; k1++)
		for (int k2 = 0; k1 + k2 <= 3; k2++)
			pr[k1 + 10 * k2] = 6.0 / (fact[3 - k1 - k2] *
			    fact[k1] * fact[k2]) / 27.0;
	for (int s = 0; s <= 30; s++) {
		if (pr[s] == 0.0) {
			cr_assert_eq(seen[s], 0);
			continue;
		}
		double e = pr[s] * (double)B, dlt = (double)seen[s] - e;
		chi2 += dlt * dlt / e;
	}
	/* 10 cells, 9 df: P(chi2 > 33.72) = 1e-4 */
	cr_assert_lt(chi2, 33.72, "chi2 %g", chi2);
	free(m);

	/* two queries d = (0, 1): means 0, 1/2, 1 with P(0) = 1/4 > 2.5% */
	double a[] = {0.0, 0.0}, b[] = {0.0, 1.0};
	pf_stats_opts o = defaults();
	pf_stats_cmp c;
	cr_assert_eq(pf_stats_compare_paired(a, b, 2, &o, &c, NULL), PF_OK);
	cr_assert_eq(c.ci_lo, 0.0);
	cr_assert_eq(c.ci_hi, 1.0);
	NEAR(c.p_perm, 1.0, 0);		/* 4 patterns, all |sum| >= 1 */
	NEAR(c.p_boot, 0.5, 0.03);	/* P(|m - 1/2| >= 1/2) = 1/2 */
}

/* ---- edge cases ------------------------------------------------------- */

Test(stats, zero_queries)
{
	pf_stats_cmp c;
	pf_err err = {0};

	cr_assert_eq(pf_stats_compare_paired(NULL, NULL, 0, NULL, &c, &err),
	    PF_OK);
	cr_assert_eq(c.n, 0);
	cr_assert(isnan(c.delta) && isnan(c.mean_control) && isnan(c.rel));
	cr_assert(isnan(c.ci_lo) && isnan(c.ci_hi) && isnan(c.p_perm));
	cr_assert(isnan(c.p_t) && isnan(c.p_sign) && isnan(c.p_boot));
	cr_assert(isnan(c.n_power) && isnan(c.mde));
	cr_assert_eq(c.wins + c.losses + c.ties, 0);
	cr_assert_eq(c.perm_total, 0);
}

Test(stats, one_query)
{
	double a[] = {0.4}, b[] = {0.7};
	pf_stats_cmp c;
	pf_stats_opts o = defaults();

	cr_assert_eq(pf_stats_compare_paired(a, b, 1, &o, &c, NULL), PF_OK);
	NEAR(c.delta, 0.7 - 0.4, 0);
	NEAR(c.rel, (0.7 - 0.4) / 0.4, 0);
	cr_assert(isnan(c.sd) && isnan(c.t) && isnan(c.df) && isnan(c.p_t));
	cr_assert(isnan(c.d_z) && isnan(c.n_power) && isnan(c.mde));
	cr_assert_eq(c.ci_lo, c.delta);
	cr_assert_eq(c.ci_hi, c.delta);
	cr_assert_eq(c.p_perm, 1.0);
	cr_assert(c.perm_exact);
	cr_assert_eq(c.wins, 1);
	cr_assert_eq(c.p_sign, 1.0);
	o.exact_limit = 0;	/* Monte Carlo: every pattern is as extreme */
	cr_assert_eq(pf_stats_compare_paired(a, b, 1, &o, &c, NULL), PF_OK);
	cr_assert_eq(c.p_perm, 1.0);
}

Test(stats, all_ties)
{
	double a[25], b[25];
	pf_stats_cmp c;

	for (int i = 0; i < 25; i++)
		a[i] = b[i] = 0.1 * (double)(i % 4);
	cr_assert_eq(pf_stats_compare_paired(a, b, 25, NULL, &c, NULL), PF_OK);
	cr_assert_eq(c.delta, 0.0);
	cr_assert_eq(c.ties, 25);
	cr_assert_eq(c.ci_lo, 0.0);
	cr_assert_eq(c.ci_hi, 0.0);
	cr_assert_eq(c.p_perm, 1.0);
	cr_assert_eq(c.p_t, 1.0);
	cr_assert_eq(c.p_boot, 1.0);
	cr_assert_eq(c.p_sign, 1.0);
	cr_assert(isnan(c.t) && isnan(c.d_z) && isnan(c.n_power));
	cr_assert_eq(c.t_lo, 0.0);
	cr_assert_eq(c.rel, 0.0);
	/* with a control mean of 0, rel is NaN even though delta is 0 */
	for (int i = 0; i < 25; i++)
		a[i] = b[i] = 0.0;
	cr_assert_eq(pf_stats_compare_paired(a, b, 25, NULL, &c, NULL), PF_OK);
	cr_assert(isnan(c.rel));
}

Test(stats, tie_tolerance)
{
	double a[] = {0.5, 0.5, 0.5, 0.5}, b[] = {0.5 + 1e-10, 0.5 - 1e-10,
	    0.9, 0.5};
	pf_stats_opts o = defaults();
	pf_stats_cmp c;

	cr_assert_eq(pf_stats_compare_paired(a, b, 4, &o, &c, NULL), PF_OK);
	cr_assert_eq(c.wins, 1);
	cr_assert_eq(c.losses, 0);
	cr_assert_eq(c.ties, 3);
	o.tie_tol = 0.0;
	cr_assert_eq(pf_stats_compare_paired(a, b, 4, &o, &c, NULL), PF_OK);
	cr_assert_eq(c.wins, 2);
	cr_assert_eq(c.losses, 1);
	cr_assert_eq(c.ties, 1);
}

Test(stats, nan_and_bad_options_are_rejected)
{
	double a[] = {0.5, 0.5, 0.5}, b[] = {0.5, 0.6, 0.7};
	double bad[] = {0.5, 0.5, NAN}, inf[] = {INFINITY, 0.5, 0.5};
	pf_stats_opts o = defaults();
	pf_stats_cmp c;
	pf_err err = {0};

	cr_assert_eq(pf_stats_compare_paired(a, bad, 3, &o, &c, &err),
	    PF_EINVAL);
	cr_assert_not_null(strstr(err.msg, "treatment value of query 2"),
	    "%s", err.msg);
	cr_assert_eq(pf_stats_compare_paired(inf, b, 3, &o, &c, &err),
	    PF_EINVAL);
	cr_assert_not_null(strstr(err.msg, "control value of query 0"),
	    "%s", err.msg);
	o.alpha = 0.0;
	cr_assert_eq(pf_stats_compare_paired(a, b, 3, &o, &c, &err),
	    PF_EINVAL);
	cr_assert_not_null(strstr(err.msg, "alpha"), "%s", err.msg);
	o = defaults();
	o.power = 0.3;
	cr_assert_eq(pf_stats_compare_paired(a, b, 3, &o, &c, &err),
	    PF_EINVAL);
	o = defaults();
	o.tie_tol = NAN;
	cr_assert_eq(pf_stats_compare_paired(a, b, 3, &o, &c, &err),
	    PF_EINVAL);
}

Test(stats, resample_counts_and_exact_limit)
{
	size_t n = 25;
	double a[25], b[25];
	pf_stats_opts o = defaults();
	pf_stats_cmp c;

	synthetic(a, b, n);
	o.n_boot = 0;
	o.n_perm = 0;
	cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c, NULL), PF_OK);
	cr_assert(isnan(c.ci_lo) && isnan(c.ci_hi) && isnan(c.p_boot));
	cr_assert(isnan(c.p_perm) && !c.perm_exact);
	cr_assert(!isnan(c.p_t));
	/* exact_limit above PF_STATS_EXACT_MAX is capped, 25 <= 30 */
	o.exact_limit = 1000;
	cr_assert_eq(pf_stats_compare_paired(a, b, n, &o, &c, NULL), PF_OK);
	cr_assert(c.perm_exact);
	cr_assert_eq(c.perm_total, (uint64_t)1 << 25);
	/* the exact p is a multiple of 2^-24 (patterns come in +- pairs) */
	double k = c.p_perm * 16777216.0;
	cr_assert_eq(k, floor(k));
}

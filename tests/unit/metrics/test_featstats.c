/*
 * test_featstats.c — metrics/featstats: the column summary, quantiles,
 * average ranks and Spearman with ties, clusters, and the two-sample KS
 * statistic with its exact and limiting p-values, against values worked
 * out by hand and against SciPy's (tests/fixtures/featstats/
 * featstats_scipy.txt, made by make_featstats_fixtures.py beside it).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/featstats.h"

#define MAXV	512

/* "1.5,2,3" into v; the count. */
static size_t
parse_list(const char *s, double *v)
{
	size_t n = 0;
	char *end;

	while (*s != '\0' && n < MAXV) {
		v[n++] = strtod(s, &end);
		cr_assert(end != s, "bad number in fixture: %s", s);
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Spearman of a and b through pairs, sort and ranks (the CLI's path). */
static double
spearman(const double *a, const double *b, size_t n)
{
	pf_fs_pair pa[MAXV], pb[MAXV], tmp[MAXV];
	float ra[MAXV], rb[MAXV];

	for (size_t i = 0; i < n; i++) {
		pa[i] = pf_fs_pair_of(a[i], i);
		pb[i] = pf_fs_pair_of(b[i], i);
	}
	pf_fs_ranks(ra, n, pf_fs_sort(pa, n, tmp), n);
	pf_fs_ranks(rb, n, pf_fs_sort(pb, n, tmp), n);
	return pf_fs_rank_corr(ra, rb, n);
}

Test(featstats, matches_scipy_fixture)
{
	char path[1024], kind[32];
	static char a_s[16384], b_s[16384];
	double a[MAXV], b[MAXV], u[MAXV + 1];
	size_t nks = 0, nsp = 0, nq = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/featstats/featstats_scipy.txt",
	    FIXTURES);
	cr_assert_not_null(f = fopen(path, "r"), "cannot open %s", path);
	while (fscanf(f, "%31s", kind) == 1) {
		if (strcmp(kind, "ks") == 0) {
			double d, pe, pl;
			cr_assert_eq(fscanf(f, "%16383s %16383s %lf %lf %lf",
			    a_s, b_s, &d, &pe, &pl), 5);
			size_t na = parse_list(a_s, a), nb = parse_list(b_s, b);
			qsort(a, na, sizeof(double), cmp_d);
			qsort(b, nb, sizeof(double), cmp_d);
			double got = pf_fs_ks(a, na, b, nb);
			cr_assert_float_eq(got, d, 1e-12, "D %g want %g", got, d);
			cr_assert_float_eq(pf_fs_ks(b, nb, a, na), d, 1e-12);
			double p = pf_fs_ks_p(got, na, nb, u);
			cr_assert_float_eq(p, pe, 1e-9, "exact p %.17g want "
			    "%.17g (n %zu, %zu)", p, pe, na, nb);
			p = pf_fs_ks_p(got, na, nb, NULL);
			cr_assert_float_eq(p, pl, 1e-12, "limit p %.17g want "
			    "%.17g", p, pl);
			nks++;
		} else if (strcmp(kind, "spearman") == 0) {
			double rho;
			cr_assert_eq(fscanf(f, "%16383s %16383s %lf", a_s, b_s,
			    &rho), 3);
			size_t n = parse_list(a_s, a);
			cr_assert_eq(parse_list(b_s, b), n);
			cr_assert_float_eq(spearman(a, b, n), rho, 1e-12);
			nsp++;
		} else if (strcmp(kind, "quantile") == 0) {
			double p, q;
			cr_assert_eq(fscanf(f, "%16383s %lf %lf", a_s, &p, &q),
			    3);
			size_t n = parse_list(a_s, a);
			qsort(a, n, sizeof(double), cmp_d);
			cr_assert_float_eq(pf_fs_quantile(a, n, p), q, 1e-12);
			nq++;
		} else
			cr_assert_fail("unknown fixture line %s", kind);
	}
	fclose(f);
	cr_assert(nks == 7 && nsp == 3 && nq == 8, "cases read: %zu %zu %zu",
	    nks, nsp, nq);
}

/* KS by hand: a = {1,2,3,4,5}, b = {3,...,8}: at 5, F_a = 1, F_b = 1/2. */
Test(featstats, ks_statistic_by_hand)
{
	const double a[] = {1, 2, 3, 4, 5}, b[] = {3, 4, 5, 6, 7, 8};
	double u[8];

	cr_assert_float_eq(pf_fs_ks(a, 5, b, 6), 0.5, 1e-15);
	cr_assert_float_eq(pf_fs_ks(a, 5, a, 5), 0.0, 0);
	cr_assert(isnan(pf_fs_ks(a, 0, b, 6)));
	/* identical samples: D = 0, p = 1 either way */
	cr_assert_float_eq(pf_fs_ks_p(0.0, 5, 5, u), 1.0, 0);
	cr_assert_float_eq(pf_fs_ks_p(0.0, 5, 5, NULL), 1.0, 0);
	/* disjoint samples of 3 and 3: only 2 of C(6,3) = 20 paths reach
	   D = 1, so p = 2/20 */
	cr_assert_float_eq(pf_fs_ks_p(1.0, 3, 3, u), 0.1, 1e-15);
}

/* Kolmogorov's Q: both series agree where they meet; Q(1) = 0.26999967 */
Test(featstats, kolmogorov_series_agree)
{
	cr_assert_float_eq(pf_fs_kolmogorov(1.0), 0.26999967167735456, 1e-12);
	double lo = pf_fs_kolmogorov(1.18 - 1e-12);
	double hi = pf_fs_kolmogorov(1.18);
	cr_assert_float_eq(lo, hi, 1e-12);
	cr_assert_float_eq(pf_fs_kolmogorov(0.0), 1.0, 0);
	cr_assert(pf_fs_kolmogorov(5.0) < 1e-20);
}

/*
 * Summary by hand: present {3, 0, 1, 0, 2} of 7 rows; mean 6/5, sd
 * sqrt(((1.8)^2 + 1.2^2 + 0.2^2 + 1.2^2 + 0.8^2) / 4) = sqrt(1.7);
 * sorted 0 0 1 2 3: quantile k/32 at position 4k/32 = k/8, so q[8] at 1
 * is 0, q[12] at 1.5 is 0.5, q[16] at 2 is 1, q[28] at 3.5 is 2.5.
 */
Test(featstats, summary_by_hand)
{
	double v[] = {3, 0, 1, 0, 2};
	pf_fs_col c;

	pf_fs_summarize(&c, v, 5, 7);
	cr_assert_eq(c.rows, 7);
	cr_assert_eq(c.missing, 2);
	cr_assert_eq(c.zeros, 2);
	cr_assert_eq(c.distinct, 4);
	cr_assert_eq(c.distinct_more, 0);
	cr_assert_float_eq(c.mean, 1.2, 1e-15);
	cr_assert_float_eq(c.sd, sqrt(1.7), 1e-15);
	cr_assert_float_eq(c.min, 0, 0);
	cr_assert_float_eq(c.max, 3, 0);
	cr_assert_float_eq(c.q[0], 0, 0);
	cr_assert_float_eq(c.q[8], 0, 1e-15);
	cr_assert_float_eq(c.q[12], 0.5, 1e-15);
	cr_assert_float_eq(c.q[16], 1, 1e-15);
	cr_assert_float_eq(c.q[28], 2.5, 1e-15);
	cr_assert_float_eq(c.q[32], 3, 0);
	pf_fs_summarize(&c, v, 0, 3);
	cr_assert(isnan(c.mean) && isnan(c.sd) && isnan(c.q[16]));
	cr_assert_eq(c.missing, 3);
}

/* Distinct values counted up to the bound, then "at least". */
Test(featstats, distinct_count_is_bounded)
{
	size_t n = PF_FS_DISTINCT_MAX + 5;
	double *v = malloc(n * sizeof(*v));
	pf_fs_col c;

	for (size_t i = 0; i < n; i++)
		v[i] = (double)(i % (PF_FS_DISTINCT_MAX + 2));
	pf_fs_summarize(&c, v, n, n);
	cr_assert_eq(c.distinct, PF_FS_DISTINCT_MAX);
	cr_assert_eq(c.distinct_more, 1);
	for (size_t i = 0; i < n; i++)
		v[i] = (double)(i % 7) - 3.0;
	pf_fs_summarize(&c, v, n, n);
	cr_assert_eq(c.distinct, 7);
	cr_assert_eq(c.distinct_more, 0);
	free(v);
}

/* The radix sort orders negatives, -0/0, and keeps rows of ties in order. */
Test(featstats, sort_orders_values_and_ties_by_row)
{
	const double x[] = {2.5, -1e300, 0.0, -0.0, -3.25, 2.5, 1e-310, 7};
	const double want[] = {-1e300, -3.25, -0.0, 0.0, 1e-310, 2.5, 2.5, 7};
	pf_fs_pair p[8], t[8];

	for (size_t i = 0; i < 8; i++)
		p[i] = pf_fs_pair_of(x[i], i);
	pf_fs_pair *s = pf_fs_sort(p, 8, t);
	for (size_t i = 0; i < 8; i++)
		cr_assert_float_eq(pf_fs_pair_value(s[i]), want[i], 0);
	cr_assert_eq(s[5].row, 0);
	cr_assert_eq(s[6].row, 5);
}

/*
 * Ranks with ties by hand: x = {10, 20, 10, NaN, 30, 20, 10}: the three
 * 10s share ranks 1-3 (2), the 20s ranks 4-5 (4.5), 30 is 6.
 */
Test(featstats, average_ranks_for_ties)
{
	const double x[] = {10, 20, 10, NAN, 30, 20, 10};
	const float want[] = {2, 4.5f, 2, NAN, 6, 4.5f, 2};
	pf_fs_pair p[7], t[7];
	float r[7];
	size_t n = 0;

	for (size_t i = 0; i < 7; i++)
		if (!isnan(x[i]))
			p[n++] = pf_fs_pair_of(x[i], i);
	pf_fs_ranks(r, 7, pf_fs_sort(p, n, t), n);
	for (size_t i = 0; i < 7; i++)
		if (isnan(want[i]))
			cr_assert(isnan(r[i]));
		else
			cr_assert_float_eq(r[i], want[i], 0);
}

/*
 * Spearman with ties by hand: a = {1,2,2,3}, b = {1,3,2,4}: ranks
 * {1,2.5,2.5,4} and {1,3,2,4}; centred {-1.5,0,0,1.5}, {-1.5,.5,-.5,1.5}:
 * sum ab = 4.5, sum a^2 = 4.5, sum b^2 = 5: rho = 4.5 / sqrt(22.5).
 */
Test(featstats, spearman_with_ties_by_hand)
{
	const double a[] = {1, 2, 2, 3}, b[] = {1, 3, 2, 4};

	cr_assert_float_eq(spearman(a, b, 4), 4.5 / sqrt(22.5), 1e-15);
}

/*
 * The block matrix equals the pairwise Spearman of every pair, with
 * missing values (pairwise complete) and without, for any split of the
 * rows into blocks.
 */
Test(featstats, corr_matrix_matches_pairwise)
{
	enum { N = 40, F = 4 };
	double x[F][N], rho[F * F], acc[PF_FS_CORR_ACC(F)], buf[3 * N * F],
	    center[F];
	float rank[F * N];
	pf_fs_pair p[N], t[N];

	for (size_t i = 0; i < N; i++) {
		x[0][i] = (double)((i * 7) % 11);
		x[1][i] = x[0][i] * 2 + (double)(i % 3);	/* near x0 */
		x[2][i] = i % 5 == 0 ? NAN : (double)((i * 13) % 17);
		x[3][i] = (double)(i % 4);
	}
	for (size_t f = 0; f < F; f++) {
		size_t n = 0;
		for (size_t i = 0; i < N; i++)
			if (!isnan(x[f][i]))
				p[n++] = pf_fs_pair_of(x[f][i], i);
		pf_fs_ranks(rank + f * N, N, pf_fs_sort(p, n, t), n);
		center[f] = ((double)n + 1.0) / 2.0;
	}
	for (size_t split = 1; split <= N; split *= 3) {
		memset(acc, 0, sizeof(acc));
		for (size_t r0 = 0; r0 < N; r0 += split)
			pf_fs_corr_block(acc, rank, N, F, r0, r0 + split < N ?
			    r0 + split : N, center, buf);
		pf_fs_corr_finish(rho, acc, F);
		for (size_t i = 0; i < F; i++)
			for (size_t j = 0; j < F; j++) {
				double want = i == j ? 1.0 : pf_fs_rank_corr(
				    rank + i * N, rank + j * N, N);
				cr_assert_float_eq(rho[i * F + j], want, 1e-12,
				    "rho %zu %zu split %zu", i, j, split);
			}
	}
}

/*
 * Clusters: 0-3 and 3-5 join {0, 3, 5}; 1-4 at -0.95 joins {1, 4}; 2 is
 * alone; numbered by smallest member: {0,3,5} = 0, {1,4} = 1.
 */
Test(featstats, clusters_are_components_in_order)
{
	enum { F = 6 };
	double rho[F * F];
	int c[F];
	size_t root[F];

	for (size_t i = 0; i < F * F; i++)
		rho[i] = 0.1;
	rho[0 * F + 3] = rho[3 * F + 0] = 0.95;
	rho[3 * F + 5] = rho[5 * F + 3] = 0.9;
	rho[1 * F + 4] = rho[4 * F + 1] = -0.95;
	rho[2 * F + 5] = rho[5 * F + 2] = NAN;
	rho[0 * F + 5] = rho[5 * F + 0] = 0.899;
	cr_assert_eq(pf_fs_clusters(c, rho, F, PF_FS_CLUSTER_RHO, root), 2);
	cr_assert_eq(c[0], 0);
	cr_assert_eq(c[3], 0);
	cr_assert_eq(c[5], 0);
	cr_assert_eq(c[1], 1);
	cr_assert_eq(c[4], 1);
	cr_assert_eq(c[2], -1);
}

/*
 * metrics/compare.h — paired comparison of two systems over the same
 * queries (../shared/METHODS.md §4). Queries are the unit. Pure: arrays in,
 * numbers out; randomness from a counter-based generator keyed by
 * (seed, stream), so any thread count gives the same bytes.
 *
 * Definitions (and the choices METHODS.md leaves open):
 *  - delta d_q = b_q - a_q (treatment minus control); rel = mean(d) /
 *    mean(a), NaN when mean(a) is 0;
 *  - bootstrap: B resamples of the queries with replacement; the CI is the
 *    percentile interval [the ceil(B*alpha/2)-th, the ceil(B*(1-alpha/2))-th
 *    smallest resampled mean] (1-based order statistics);
 *  - randomization test: two-sided sign-flip test on the sum of d,
 *    p = (1 + #{|sum*| >= |sum| - 1e-12 * sum|d|}) / (B + 1) (Phipson &
 *    Smyth); with n <= exact_limit all 2^n flips are enumerated and p is
 *    their exact share;
 *  - paired t: t = mean(d) / (s_d / sqrt(n)), df = n - 1, two-sided; CI
 *    mean(d) -+ t_{df, 1-alpha/2} s_d / sqrt(n); n < 2 or s_d = 0 gives NaN
 *    (p = 1 when every d is 0);
 *  - effect size d_z = mean(d) / s_d;
 *  - wins/losses/ties from the treatment's side, tie when |d| <= tie_tol;
 *  - n_needed: queries for 80% power at the observed d_z, two-sided alpha,
 *    paired t (iterated from the normal approximation); NaN when d_z is 0
 *    or undefined.
 */
#ifndef PF_METRICS_COMPARE_H
#define PF_METRICS_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"

typedef struct pf_cmp_opts {
	double		alpha;		/* 0.05 */
	size_t		n_boot;		/* 10,000 */
	size_t		n_perm;		/* 10,000 */
	size_t		exact_limit;	/* 20: enumerate 2^n flips up to this */
	double		tie_tol;	/* 1e-9 */
	uint64_t	seed;
	uint64_t	stream;		/* e.g. hash of (metric, stack) */
} pf_cmp_opts;

void	pf_cmp_opts_init(pf_cmp_opts *o);

typedef struct pf_cmp {
	size_t	n;
	double	mean_a, mean_b, delta, rel;
	double	lo, hi;			/* bootstrap percentile CI */
	double	p_perm;			/* randomization test */
	int	exact;			/* p_perm by full enumeration */
	double	t, df, p_t, t_lo, t_hi;	/* paired t-test and its CI */
	double	d_z;
	size_t	wins, losses, ties;
	double	n_needed;
} pf_cmp;

/* PF_EINVAL (naming the query index) on a non-finite value. */
int	pf_compare_paired(const double *a, const double *b, size_t n,
	    const pf_cmp_opts *o, pf_cmp *out, pf_err *err);

/* Holm step-down / Benjamini–Hochberg step-up adjusted p-values; NaN
   inputs stay NaN and are left out of the family size. */
void	pf_p_holm(const double *p, size_t m, double *adj);
void	pf_p_bh(const double *p, size_t m, double *adj);

/* Student t distribution: CDF and quantile (df > 0). */
double	pf_t_cdf(double t, double df);
double	pf_t_quantile(double p, double df);
/* Two-sided exact sign test on wins vs losses (ties dropped). */
double	pf_sign_test(size_t wins, size_t losses);

/* The counter-based generator: a 64-bit value for (key, counter). */
uint64_t	pf_rand64(uint64_t key, uint64_t counter);
uint64_t	pf_rand_key(uint64_t seed, uint64_t a, uint64_t b);

#endif /* PF_METRICS_COMPARE_H */

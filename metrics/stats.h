/*
 * metrics/stats.h — paired comparison statistics for offline evaluation
 * (../shared/METHODS.md §4): one control and one treatment value per
 * query, queries are the unit. Pure functions on arrays: no I/O, no
 * global state; randomness comes from metrics/rng.h keyed by (seed, id_a,
 * id_b, purpose) with the resample number as the stream, and every
 * parallel loop writes its own slot or reduces integers, so results are
 * the same bytes for any OMP_NUM_THREADS.
 *
 * Definitions (METHODS.md §4, and the choices it leaves open):
 *  - d_q = treatment_q - control_q (B minus A: positive = treatment
 *    better); delta = mean(d); rel = delta / mean(control), NaN when
 *    mean(control) is 0 (also when delta is 0: 0/0 has no meaning as a
 *    relative change; writers print it as null / "n/a"). The sign of rel
 *    is the sign of delta only when mean(control) > 0.
 *  - sd = s_d with n - 1 in the denominator (two passes). When every d_q
 *    is the same value c, sd is exactly 0 and delta exactly c (no
 *    rounding residue from summing n copies of c).
 *  - Bootstrap (§4.3): B = n_boot resamples of the n queries with
 *    replacement; resample r draws its indices from stream r of the key
 *    (seed, id_a, id_b, PF_RNG_BOOT) with pf_rng_below(), and its mean is
 *    summed in draw order. Percentile CI [q(alpha/2), q(1 - alpha/2)] of
 *    the B means, q = pf_stats_quantile() (the inverted empirical CDF:
 *    the k-th smallest with k = ceil(B p), B = 10,000 and alpha = 0.05
 *    give the 250th and the 9,750th). When every d_q equals c the CI is
 *    [c, c] exactly.
 *    Bootstrap shift test, as §4.3 writes it (no +1):
 *    p_boot = #{b : |m_b - delta| >= |delta|} / B.
 *  - Randomization test (§4.2): two-sided sign-flip test on the sum,
 *    a pattern counts when |sum_q e_q d_q| >= |sum_q d_q| - 1e-12 sum|d_q|
 *    (so patterns that reproduce the observed statistic are counted
 *    despite rounding). n <= exact_limit: all 2^n patterns, p = hits / 2^n
 *    exactly (the identity pattern is one of them; no +1 needed), the sum
 *    of a pattern = (sum over the first n/2 queries) + (sum over the rest),
 *    each half summed in query order. Otherwise Monte Carlo: pattern r
 *    takes its signs from the bits of stream r of (seed, id_a, id_b,
 *    PF_RNG_PERM), 32 queries per word, bit set = flipped, and
 *    p = (1 + hits) / (1 + n_perm) (Phipson & Smyth 2010).
 *  - Paired t (§4.1): t = delta / (sd / sqrt(n)), df = n - 1, two-sided
 *    p = I_{df/(df+t^2)}(df/2, 1/2) (= 2(1 - F_t(|t|)) without the
 *    cancellation); CI delta -+ t_{df,1-alpha/2} sd / sqrt(n). sd = 0:
 *    delta = 0 gives t = NaN, p_t = 1 (no difference at all; SciPy returns
 *    NaN), CI [0, 0]; delta != 0 gives t = +-inf, p_t = 0 (as SciPy),
 *    CI [delta, delta].
 *  - Effect size (§4.1, §4.5): Cohen's d_z = delta / sd (NaN when sd = 0
 *    and delta = 0, +-inf when sd = 0 and delta != 0).
 *  - W/L/T (§4.5), from the treatment's side: win d_q > tie_tol, loss
 *    d_q < -tie_tol, tie otherwise (|d_q| <= tie_tol). p_sign: the
 *    two-sided exact sign test on wins vs losses (ties dropped), the
 *    descriptive robustness line of §4.3 (pf_stats_sign_test()).
 *  - Power (z = z_{1-alpha/2} + z_{power}; the one-sample form of
 *    §2.4): n_power = ceil((z / |d_z|)^2), at least 2 — the queries a
 *    paired test needs to detect the observed d_z with probability
 *    `power` at two-sided level alpha, normal approximation. n_power_t:
 *    the smallest n >= 2 with n d_z^2 >= (t_{n-1,1-alpha/2} +
 *    t_{n-1,power})^2, the usual t-iteration (on the fixtures equal to
 *    the exact noncentral-t answer at alpha 0.05, power 0.8, and within
 *    two queries of it elsewhere); equal to n_power beyond 1e9. Both NaN when d_z is NaN or 0, 2 when d_z is infinite.
 *    mde = z sd / sqrt(n): the smallest |delta| this many queries detect
 *    with that power (normal approximation; NaN for n < 2).
 *
 * Edge cases: n = 0 gives PF_OK, every mean, interval and p-value NaN and
 * zero counts. n = 1: means, delta and rel as usual; sd, t, df, p_t, d_z,
 * the power numbers and mde NaN; the bootstrap CI is [d, d]; the exact
 * sign-flip p is 1. All d_q = 0 (n >= 2): delta 0, CI [0, 0], p_perm 1,
 * p_t 1, p_boot 1, d_z NaN. A non-finite input is PF_EINVAL naming the
 * side and the query index (0-based).
 */
#ifndef PF_METRICS_STATS_H
#define PF_METRICS_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"
#include "metrics/rng.h"

#define PF_STATS_EXACT_MAX	30	/* exact_limit is capped here: 2^30 */

typedef struct pf_stats_opts {
	double		alpha;		/* 0.05: CI level 1 - alpha, test level */
	double		power;		/* 0.8, in [0.5, 1): for n_power, mde */
	size_t		n_boot;		/* 10,000; 0: no bootstrap (NaN CI) */
	size_t		n_perm;		/* 10,000; 0: no MC test (NaN p) */
	size_t		exact_limit;	/* 20: enumerate 2^n signs up to this */
	double		tie_tol;	/* 1e-9: |d| <= tie_tol is a tie */
	uint64_t	seed;		/* 1 */
	uint64_t	id_a, id_b;	/* 0, 0: e.g. metric id, stack id */
} pf_stats_opts;

/* Fills o with the defaults in the comments above (METHODS.md §7). */
void	pf_stats_opts_init(pf_stats_opts *o);

typedef struct pf_stats_cmp {
	size_t		n;
	double		mean_control, mean_treatment;
	double		delta, rel, sd;
	double		ci_lo, ci_hi;	/* bootstrap percentile CI of delta */
	double		p_boot;		/* bootstrap shift test */
	double		p_perm;		/* sign-flip randomization test */
	uint64_t	perm_count;	/* patterns counted as extreme */
	uint64_t	perm_total;	/* 2^n (exact) or n_perm (Monte Carlo) */
	int		perm_exact;	/* 1: p_perm by full enumeration */
	double		t, df, p_t;	/* paired t-test */
	double		t_lo, t_hi;	/* its CI of delta */
	double		d_z;		/* Cohen's d_z */
	size_t		wins, losses, ties;
	double		p_sign;		/* exact sign test, ties dropped */
	double		n_power;	/* queries for `power`, normal approx. */
	double		n_power_t;	/* the same by t-iteration */
	double		mde;		/* detectable |delta| at this n */
} pf_stats_cmp;

/*
 * Compares treatment against control over n paired queries with the
 * definitions at the top of this file. o may be NULL (defaults). out is
 * zeroed first (padding included), so two results compare with memcmp.
 * Allocates O(n_boot + 2^(n/2)) doubles once per call, never per
 * resample. Returns PF_OK; PF_EINVAL for a non-finite value ("control
 * value of query 7 is nan") or a bad option (alpha outside (0, 1), power
 * outside [0.5, 1), negative or NaN tie_tol); PF_ENOMEM. Thread-safe;
 * uses OpenMP inside (call it from outside a parallel region).
 */
int	pf_stats_compare_paired(const double *control, const double *treatment,
	    size_t n, const pf_stats_opts *o, pf_stats_cmp *out, pf_err *err);

/*
 * The bootstrap building block: out[r] = mean of n draws with replacement
 * from x, draws from stream r of key (r = 0 .. n_boot - 1), summed in draw
 * order. Same bytes for any thread count. n == 0 fills NaN. No allocation.
 */
void	pf_stats_boot_means(const double *x, size_t n, pf_key key,
	    size_t n_boot, double *out);

/*
 * The prob-quantile of sorted[0..n-1] (ascending) by the inverted
 * empirical CDF (Hyndman & Fan type 1, NumPy method="inverted_cdf"): the
 * k-th smallest with k = ceil(n prob), clamped to [1, n]; n prob within
 * 1e-9 of an integer counts as that integer (so 10,000 x 0.025 is 250
 * whatever the rounding of 0.025). NaN for n == 0 or prob outside [0, 1].
 */
double	pf_stats_quantile(const double *sorted, size_t n, double prob);

/*
 * Multiple testing (§4.4). Both write m adjusted p-values to adj (adj may
 * be p itself). NaN entries stay NaN and are not part of the family (m is
 * the number of non-NaN p-values, like R's p.adjust). Ties: the order
 * among equal p-values is by index, and both procedures give equal
 * p-values the same adjusted value. Results are monotone in p and capped
 * at 1. PF_EINVAL for a p-value outside [0, 1] (naming its index),
 * PF_ENOMEM.
 *  Holm (1979): p~_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)).
 *  Benjamini-Hochberg (1995): p~_(i) = min_{j >= i} min(1, m p_(j) / j).
 */
int	pf_stats_holm(const double *p, size_t m, double *adj, pf_err *err);
int	pf_stats_bh(const double *p, size_t m, double *adj, pf_err *err);

/*
 * Two-sided exact sign test (METHODS.md §1.1, §4.3):
 * min(1, 2 sum_{i <= min(w, l)} C(w + l, i) / 2^(w + l)); 1 when w + l = 0.
 */
double	pf_stats_sign_test(size_t wins, size_t losses);

/*
 * Distributions, implemented here (no library): the regularized
 * incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical
 * Recipes §6.4, with the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) on the slow
 * side); Student t CDF, two-sided tail P(|T| >= |t|) and quantile
 * (bisection on the tail, so deep quantiles keep their relative
 * precision); the standard normal quantile (Abramowitz & Stegun 26.2.23
 * start, Halley steps on erfc). Relative error about 1e-13 for df up to
 * ~10^4 (lgamma's absolute error grows with df beyond). NaN for
 * arguments outside the domain (df <= 0, p outside (0, 1), a or b <= 0).
 */
double	pf_stats_ibeta(double a, double b, double x);
double	pf_stats_t_cdf(double t, double df);
double	pf_stats_t_p2(double t, double df);
double	pf_stats_t_quantile(double p, double df);
double	pf_stats_norm_quantile(double p);

/*
 * The power sample sizes of the definitions above for effect size d_z,
 * two-sided level alpha and power in [0.5, 1).
 */
double	pf_stats_n_power(double d_z, double alpha, double power);
double	pf_stats_n_power_t(double d_z, double alpha, double power);

#endif /* PF_METRICS_STATS_H */

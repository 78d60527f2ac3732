/*
 * metrics/drift.h — how far a feature's distribution moved between two
 * runs, from what the history keeps of each (README "The schema",
 * feature_stats): a quantile sketch of the present values — n points,
 * quantile k/(n-1) at k, 33 of them in the history — and the missing rate.
 * Pure functions on arrays; no allocation; thread-safe.
 *
 * The sketch read as a distribution: its quantile function is the
 * piecewise-linear curve through (k/(n-1), q[k]) (numpy's default
 * interpolation between order statistics), so its CDF at x is the largest
 * p with Q(p) <= x — right-continuous: a flat stretch of q (many equal
 * values, a binary feature) is a point mass there.
 *
 * PSI (population stability index, METHODS.md §10; credit-scoring
 * practice): bins are the reference (earlier) run's deciles, its quantiles
 * 0.1 ... 0.9, equal edges merged (ties collapse bins), plus a bin for the
 * missing values; each run's share of a bin is (1 - missing rate) times
 * its CDF mass between the edges, the missing bin its missing rate.
 * PSI = sum over bins of (b - a) ln(b / a), a the reference's share, b
 * the other's, each floored at PF_DRIFT_EPS so an empty bin counts and
 * nothing divides by zero. Rule of thumb: below 0.1 stable, 0.1 to 0.25
 * moderate, above 0.25 large. The reference's own shares come from its
 * CDF too (not an assumed 0.1 a bin), so a tied edge is exact.
 */
#ifndef PF_METRICS_DRIFT_H
#define PF_METRICS_DRIFT_H

#include <stddef.h>

#define PF_DRIFT_EPS		1e-4	/* share floor in PSI */
#define PF_DRIFT_MODERATE	0.1	/* PSI from here: moderate drift */
#define PF_DRIFT_LARGE		0.25	/* PSI above this: large drift */

/*
 * The sketch's CDF at x: 0 below q[0], 1 from q[n-1] on, else the largest
 * p with Q(p) <= x on the piecewise-linear quantile curve. q holds n >= 2
 * non-decreasing finite values.
 */
double	pf_drift_cdf(const double *q, size_t n, double x);

/* The sketch's quantile at p in [0, 1] (linear between its points). */
double	pf_drift_quantile(const double *q, size_t n, double p);

/*
 * PSI of b against the reference a (definition above): qa, qb the two
 * sketches of n >= 2 points (all NaN when a run has no present value:
 * its missing rate is then 1), miss_a, miss_b the missing rates in
 * [0, 1]. NaN when an argument is outside that (a sketch with a NaN
 * beside present values, or decreasing). Identical inputs give exactly 0.
 */
double	pf_drift_psi(const double *qa, double miss_a, const double *qb,
	    double miss_b, size_t n);

/*
 * PSI of a discrete distribution (grades: `validate A --against B`): the
 * counts cur[0..n) against the reference counts ref[0..n), the same
 * categories in the same order; each share floored at PF_DRIFT_EPS as
 * above, PSI = sum_k (c_k - r_k) ln(c_k / r_k). NaN when either total is
 * 0 or a count is negative. Identical shares give exactly 0.
 */
double	pf_drift_psi_counts(const double *ref, const double *cur, size_t n);

#endif /* PF_METRICS_DRIFT_H */

/*
 * metrics/drift.h — how far a feature's distribution moved between two
 * nights, from the compact snapshot the history keeps of each (README
 * "History": count, missing rate and a quantile sketch, the quantiles
 * k/(n-1), k = 0..n-1, of the present values; n = 33 there).
 *
 * The sketch is read as a CDF (pf_sketch_cdf): 0 below q[0], 1 at and
 * above q[n-1]; in between, with k the largest index such that
 * q[k] <= x, F(x) = (k + (x - q[k]) / (q[k+1] - q[k])) / (n - 1), the
 * linear interpolation of the piecewise-linear quantile function's
 * inverse. A run of equal quantiles (a value many rows share) is a jump
 * of F at that value, counted at and below it (F is right-continuous).
 *
 * PSI (population stability index; METHODS.md §10), the current night
 * against the reference (the earlier) night:
 *  - bins from the reference only: its interior quantiles q[1..n-2],
 *    distinct values e_1 < ... < e_m (ties collapse bins), give the m + 1
 *    bins (-inf, e_1], (e_1, e_2], ..., (e_m, +inf);
 *  - each night's share of a bin (lo, hi] is (1 - missing) (F(hi) -
 *    F(lo)) under its own sketch; when either night has missing rows, a
 *    missing bin holds the missing rate;
 *  - shares are floored at PF_DRIFT_EPS (1e-4) on both sides, and
 *    PSI = sum over bins of (cur - ref) ln(cur / ref).
 *  A night without present values (a sketch of NaN) has present share 0:
 *  its bins are one "present" bin beside the missing bin.
 * Reading (credit-scoring practice): below 0.1 stable, 0.1 to 0.25
 * moderate, 0.25 and above large (PF_DRIFT_MODERATE, PF_DRIFT_LARGE).
 *
 * Pure functions, no allocation, thread-safe.
 */
#ifndef PF_METRICS_DRIFT_H
#define PF_METRICS_DRIFT_H

#include <stddef.h>

#include "metrics/err.h"

#define PF_DRIFT_EPS		1e-4
#define PF_DRIFT_MODERATE	0.1
#define PF_DRIFT_LARGE		0.25

/*
 * The CDF of the sketch q[0..n-1] (non-decreasing, n >= 2) at x, as
 * above. NaN when n < 2 or q[0] is NaN (no present values).
 */
double	pf_sketch_cdf(const double *q, size_t n, double x);

/*
 * PSI of the current night (cur, its missing rate cur_missing) against
 * the reference night (ref, ref_missing), both sketches of n points, into
 * *out; *nbins_out (may be NULL) the bins used, the missing bin included.
 * A sketch is either all NaN (no present values) or finite and
 * non-decreasing. PF_EINVAL for n < 2, a decreasing or partly NaN sketch
 * or a missing rate outside [0, 1] (the message names which).
 */
int	pf_drift_psi(const double *ref, double ref_missing, const double *cur,
	    double cur_missing, size_t n, double *out, size_t *nbins_out,
	    pf_err *err);

#endif /* PF_METRICS_DRIFT_H */

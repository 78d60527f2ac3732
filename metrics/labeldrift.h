/*
 * metrics/labeldrift.h — how far a golden set's grade distribution moved
 * between two versions of its judgments (`preflight validate A --against
 * B`). Pure: arrays in, numbers out; no allocation; thread-safe.
 *
 * PSI on a discrete distribution (METHODS.md §10, the same index and the
 * same share floor as metrics/drift.h's feature PSI): with a_k and b_k the
 * shares of grade k in the reference B and in A, each floored at
 * PF_DRIFT_EPS, PSI = sum_k (a_k - b_k) ln(a_k / b_k). Below 0.1 stable,
 * 0.1 to 0.25 moderate, above 0.25 large (PF_DRIFT_MODERATE, _LARGE).
 */
#ifndef PF_METRICS_LABELDRIFT_H
#define PF_METRICS_LABELDRIFT_H

#include <stddef.h>

/*
 * PSI of the counts cur[0..n) against the reference counts ref[0..n)
 * (the same categories, in the same order). NaN when either total is 0 or
 * a count is negative. Identical shares give exactly 0.
 */
double	pf_labeldrift_psi(const double *ref, const double *cur, size_t n);

#endif /* PF_METRICS_LABELDRIFT_H */

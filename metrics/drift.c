/*
 * metrics/drift.c — see drift.h. A sketch has at most a few dozen points:
 * every function is a scan over them, no allocation.
 */
#include <math.h>

#include "metrics/drift.h"

#define NBINS	10	/* the reference's deciles cut 10 bins */

double
pf_drift_cdf(const double *q, size_t n, double x)
{
	size_t lo = 0, hi = n - 1;

	if (x < q[0])
		return 0.0;
	if (x >= q[n - 1])
		return 1.0;
	/* the largest k with q[k] <= x: q[lo] <= x < q[hi] throughout */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (q[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return ((double)lo + (x - q[lo]) / (q[lo + 1] - q[lo])) /
	    (double)(n - 1);
}

double
pf_drift_quantile(const double *q, size_t n, double p)
{
	double pos = p * (double)(n - 1);
	size_t k = pos <= 0 ? 0 : (size_t)pos;

	if (k >= n - 1)
		return q[n - 1];
	return q[k] + (pos - (double)k) * (q[k + 1] - q[k]);
}

/* Whether q is a usable sketch: n finite non-decreasing values. */
static int
sketch_ok(const double *q, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!isfinite(q[k]) || (k > 0 && q[k] < q[k - 1]))
			return 0;
	return 1;
}

/* One bin's PSI term, both shares floored. */
static double
term(double a, double b)
{
	a = a > PF_DRIFT_EPS ? a : PF_DRIFT_EPS;
	b = b > PF_DRIFT_EPS ? b : PF_DRIFT_EPS;
	return (b - a) * log(b / a);
}

double
pf_drift_psi(const double *qa, double miss_a, const double *qb,
    double miss_b, size_t n)
{
	double edge[NBINS - 1], psi = 0.0, fa0 = 0.0, fb0 = 0.0;
	size_t ne = 0;
	int has_a = miss_a < 1.0, has_b = miss_b < 1.0;

	if (n < 2 || !(miss_a >= 0.0 && miss_a <= 1.0) ||
	    !(miss_b >= 0.0 && miss_b <= 1.0) ||
	    (has_a && !sketch_ok(qa, n)) || (has_b && !sketch_ok(qb, n)))
		return NAN;
	/* the reference's deciles, equal ones merged; none without values */
	for (size_t i = 1; has_a && i < NBINS; i++) {
		double e = pf_drift_quantile(qa, n, (double)i / NBINS);
		if (ne == 0 || e > edge[ne - 1])
			edge[ne++] = e;
	}
	for (size_t j = 0; j <= ne; j++) {
		double fa = 1.0, fb = 1.0;
		if (j < ne) {
			fa = has_a ? pf_drift_cdf(qa, n, edge[j]) : 0.0;
			fb = has_b ? pf_drift_cdf(qb, n, edge[j]) : 0.0;
		}
		psi += term((1.0 - miss_a) * (fa - fa0), (1.0 - miss_b) *
		    (fb - fb0));
		fa0 = fa;
		fb0 = fb;
	}
	return psi + term(miss_a, miss_b);
}

double
pf_drift_psi_counts(const double *ref, const double *cur, size_t n)
{
	double tr = 0, tc = 0, psi = 0;

	for (size_t k = 0; k < n; k++) {
		if (!(ref[k] >= 0) || !(cur[k] >= 0))
			return NAN;
		tr += ref[k];
		tc += cur[k];
	}
	if (tr == 0 || tc == 0)
		return NAN;
	for (size_t k = 0; k < n; k++)
		psi += term(ref[k] / tr, cur[k] / tc);
	return psi;
}

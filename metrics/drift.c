/*
 * metrics/drift.c — PSI between two quantile sketches (drift.h has the
 * exact definitions). The bins are walked in place over the reference's
 * interior quantiles, skipping repeats, so nothing is allocated; n is 33
 * in the history, so a PSI costs a few hundred comparisons.
 */
#include <math.h>

#include "metrics/drift.h"

double
pf_sketch_cdf(const double *q, size_t n, double x)
{
	size_t k;

	if (n < 2 || isnan(q[0]) || isnan(x))
		return NAN;
	if (x < q[0])
		return 0.0;
	if (x >= q[n - 1])
		return 1.0;
	/* the largest k with q[k] <= x: k < n - 1 since x < q[n - 1] */
	for (k = 0; k + 1 < n && q[k + 1] <= x; k++)
		;
	return ((double)k + (x - q[k]) / (q[k + 1] - q[k])) / (double)(n - 1);
}

/* 0 when q is all NaN or finite and non-decreasing; -1 otherwise. */
static int
check_sketch(const double *q, size_t n, int *empty)
{
	*empty = isnan(q[0]);
	for (size_t k = 0; k < n; k++) {
		if (*empty != isnan(q[k]) || (!*empty && !isfinite(q[k])))
			return -1;
		if (!*empty && k > 0 && q[k] < q[k - 1])
			return -1;
	}
	return 0;
}

/* One bin's term, both shares floored. */
static double
term(double cur, double ref)
{
	if (cur < PF_DRIFT_EPS)
		cur = PF_DRIFT_EPS;
	if (ref < PF_DRIFT_EPS)
		ref = PF_DRIFT_EPS;
	return (cur - ref) * log(cur / ref);
}

/* The share of (lo, hi] under sketch q (present rows only). */
static double
share(const double *q, size_t n, double lo, double hi)
{
	double a = isinf(lo) ? 0.0 : pf_sketch_cdf(q, n, lo);
	double b = isinf(hi) ? 1.0 : pf_sketch_cdf(q, n, hi);

	return b - a;
}

int
pf_drift_psi(const double *ref, double ref_missing, const double *cur,
    double cur_missing, size_t n, double *out, size_t *nbins_out,
    pf_err *err)
{
	int ref_empty, cur_empty;
	double psi = 0.0, lo = -INFINITY;
	size_t nbins = 0;

	*out = NAN;
	if (n < 2)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "a quantile sketch "
		    "needs at least 2 points, got %zu", n);
	if (check_sketch(ref, n, &ref_empty) != 0 ||
	    check_sketch(cur, n, &cur_empty) != 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "the %s sketch is "
		    "neither all NaN nor finite and non-decreasing",
		    check_sketch(ref, n, &ref_empty) != 0 ? "reference" :
		    "current");
	if (!(ref_missing >= 0 && ref_missing <= 1) ||
	    !(cur_missing >= 0 && cur_missing <= 1))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "a missing rate "
		    "must be in [0, 1] (reference %g, current %g)",
		    ref_missing, cur_missing);
	/* a night without present values has no present share at all */
	double rp = ref_empty ? 0.0 : 1.0 - ref_missing;
	double cp = cur_empty ? 0.0 : 1.0 - cur_missing;
	if (ref_empty || cur_empty) {
		psi = term(cp, rp);
		nbins = 1;
	} else {
		for (size_t k = 1; k + 1 < n; k++) {	/* interior edges */
			if (k > 1 && ref[k] == ref[k - 1])
				continue;	/* a tie: the bin collapses */
			psi += term(cp * share(cur, n, lo, ref[k]),
			    rp * share(ref, n, lo, ref[k]));
			nbins++;
			lo = ref[k];
		}
		psi += term(cp * share(cur, n, lo, INFINITY),
		    rp * share(ref, n, lo, INFINITY));
		nbins++;
	}
	if (ref_missing > 0 || cur_missing > 0 || ref_empty || cur_empty) {
		psi += term(1.0 - cp, 1.0 - rp);
		nbins++;
	}
	*out = psi;
	if (nbins_out != NULL)
		*nbins_out = nbins;
	return PF_OK;
}

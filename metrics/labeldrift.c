/*
 * metrics/labeldrift.c — see labeldrift.h.
 */
#include <math.h>

#include "metrics/drift.h"
#include "metrics/labeldrift.h"

double
pf_labeldrift_psi(const double *ref, const double *cur, size_t n)
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
	for (size_t k = 0; k < n; k++) {
		double b = ref[k] / tr, a = cur[k] / tc;
		b = b < PF_DRIFT_EPS ? PF_DRIFT_EPS : b;
		a = a < PF_DRIFT_EPS ? PF_DRIFT_EPS : a;
		if (a != b)
			psi += (a - b) * log(a / b);
	}
	return psi;
}

/*
 * metrics/featstats_ks.c — the two-sample Kolmogorov-Smirnov test of
 * featstats.h.
 *
 * Exact p-value (Hodges 1957; scipy's _compute_outer_prob_inside_method):
 * under the null every interleaving of the two samples is equally likely,
 * a lattice path from (0, 0) to (na, nb). With g = gcd(na, nb) and D
 * rounded to h / lcm (lcm = na nb / g; h = round(D lcm)), the path stays
 * inside when |i nb - j na| < h g at every point; P(D' >= D) = 1 - P(inside).
 * P(inside) by the recurrence on the probability that a random path to
 * (i, j) stayed inside: u(i, j) = (i u(i-1, j) + j u(i, j-1)) / (i + j),
 * u = 0 outside — stable (no binomials), one row of min(na, nb) + 1.
 *
 * Limit (Smirnov 1939): Q(sqrt(en) D) with en = na nb / (na + nb) and
 * Kolmogorov's Q(z) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 z^2), summed by
 * its dual Jacobi form sqrt(2 pi)/z sum exp(-(2k-1)^2 pi^2 / (8 z^2)) for
 * 1 - Q when z < 1.18 (both converge in a few terms there).
 */
#define PF_FS_PI	3.14159265358979323846
#include <math.h>

#include "metrics/featstats.h"

double
pf_fs_ks(const double *a, size_t na, const double *b, size_t nb)
{
	size_t i = 0, j = 0;
	double d = 0.0;

	if (na == 0 || nb == 0)
		return NAN;
	while (i < na && j < nb) {
		double x = a[i] <= b[j] ? a[i] : b[j];
		while (i < na && a[i] == x)	/* both CDFs step past x */
			i++;
		while (j < nb && b[j] == x)
			j++;
		double g = fabs((double)i / (double)na - (double)j /
		    (double)nb);
		if (g > d)
			d = g;
	}
	return d;
}

double
pf_fs_kolmogorov(double z)
{
	if (!(z > 0.0))
		return z == z ? 1.0 : NAN;
	if (z < 1.18) {
		double s = 0.0, w = PF_FS_PI * PF_FS_PI / (8.0 * z * z);
		for (int k = 1; k <= 10; k++)
			s += exp(-(double)((2 * k - 1) * (2 * k - 1)) * w);
		double q = 1.0 - sqrt(2.0 * PF_FS_PI) / z * s;
		return q < 0.0 ? 0.0 : q > 1.0 ? 1.0 : q;
	}
	double s = 0.0;
	for (int k = 1; k <= 20; k++) {
		double t = exp(-2.0 * (double)k * (double)k * z * z);
		s += (k & 1) ? t : -t;
		if (t < 1e-300)
			break;
	}
	s *= 2.0;
	return s < 0.0 ? 0.0 : s > 1.0 ? 1.0 : s;
}

static size_t
gcd(size_t a, size_t b)
{
	while (b != 0) {
		size_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* 1 - P(inside) for m <= n, the row u[0..m] as scratch. */
static double
ks_exact(double d, size_t n, size_t m, double *u)
{
	size_t g = gcd(n, m);
	double lcm = (double)(n / g) * (double)m;
	double h = round(d * lcm) * (double)g;	/* inside: |i m - j n| < h */

	if (h <= 0.0)
		return 1.0;
	/* rows i = 0..n (the larger sample), columns j = 0..m */
	for (size_t j = 0; j <= m; j++)
		u[j] = fabs((double)j * (double)n) < h ? 1.0 : 0.0;
	for (size_t j = 1; j <= m; j++)	/* along the edge: one path */
		if (u[j - 1] == 0.0)
			u[j] = 0.0;
	for (size_t i = 1; i <= n; i++) {
		double di = (double)i * (double)m;
		u[0] = u[0] != 0.0 && di < h ? 1.0 : 0.0;
		for (size_t j = 1; j <= m; j++) {
			if (!(fabs(di - (double)j * (double)n) < h)) {
				u[j] = 0.0;
				continue;
			}
			u[j] = ((double)i * u[j] + (double)j * u[j - 1]) /
			    (double)(i + j);
		}
	}
	double p = 1.0 - u[m];
	return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}

double
pf_fs_ks_p(double d, size_t na, size_t nb, double *scratch)
{
	if (na == 0 || nb == 0 || !(d >= 0.0 && d <= 1.0))
		return NAN;
	size_t n = na > nb ? na : nb, m = na > nb ? nb : na;
	if (scratch != NULL && (double)na * (double)nb <= PF_FS_KS_EXACT) {
		double p = ks_exact(d, n, m, scratch);
		if (p >= PF_FS_KS_FLOOR)
			return p;
	}
	double en = (double)na * (double)nb / (double)(na + nb);
	return pf_fs_kolmogorov(sqrt(en) * d);
}

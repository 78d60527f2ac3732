/*
 * metrics/lift_wls.c — the lift model's linear algebra (lift.h): weighted
 * least squares at a given tau^2 (a p x p Cholesky by hand, p <= 4), the
 * predictors' degeneracy check (LAPACK dpotrf from OpenBLAS), and the
 * tau^2 at which the generalized Q statistic takes a given value
 * (Paule–Mandel, and the confidence distribution's grid).
 */
#include <math.h>
#include <string.h>

#include "metrics/lift_internal.h"

/* LAPACK from OpenBLAS (see lift.c). */
void	dpotrf_(const char *uplo, const int *n, double *a, const int *lda,
	    int *info, size_t);

/*
 * a (p x p, lower triangle a[c * p + r], r >= c) = L L': x = a^-1 b and
 * inv = a^-1 (full). -1 when a is not positive definite. By hand for
 * p <= 4: a LAPACK call cost more than the whole fit of a 2 x 2 system
 * (bench/decisions.sh refits tens of thousands of histories).
 */
static int
chol_solve(double *a, size_t p, const double *b, double *x, double *inv)
{
	double y[MAXP];

	for (size_t c = 0; c < p; c++) {
		double d = a[c * p + c];
		for (size_t k = 0; k < c; k++)
			d -= a[k * p + c] * a[k * p + c];
		if (!(d > 0))
			return -1;
		d = sqrt(d);
		a[c * p + c] = d;
		for (size_t r = c + 1; r < p; r++) {
			double v = a[c * p + r];
			for (size_t k = 0; k < c; k++)
				v -= a[k * p + r] * a[k * p + c];
			a[c * p + r] = v / d;
		}
	}
	/* L(c, r) = a[c * p + r] for r >= c: column c of L */
	for (size_t col = 0; col <= p; col++) {
		/* right-hand side: b, then the identity's columns */
		for (size_t r = 0; r < p; r++)
			y[r] = col == 0 ? b[r] : (r == col - 1 ? 1.0 : 0.0);
		for (size_t r = 0; r < p; r++) {	/* L y = rhs */
			for (size_t k = 0; k < r; k++)
				y[r] -= a[k * p + r] * y[k];
			y[r] /= a[r * p + r];
		}
		for (size_t r = p; r-- > 0;) {		/* L' z = y */
			for (size_t k = r + 1; k < p; k++)
				y[r] -= a[r * p + k] * y[k];
			y[r] /= a[r * p + r];
		}
		for (size_t r = 0; r < p; r++) {
			if (col == 0)
				x[r] = y[r];
			else
				inv[(col - 1) * p + r] = y[r];
		}
	}
	return 0;
}

/*
 * Weighted least squares at tau2: beta = (X'WX)^-1 X'Wy, cov = (X'WX)^-1,
 * q = sum w (y - X beta)^2. Returns -1 when X'WX is not positive definite.
 */
int
pf_lift_i_wls(const struct work *wk, size_t m, size_t p, double tau2,
    double *beta, double *cov, double *q)
{
	double a[MAXP * MAXP] = {0}, b[MAXP] = {0};

	for (size_t j = 0; j < m; j++) {
		const double *xj = wk->X + j * p;
		double w = 1.0 / (wk->s2[j] + tau2), wy = w * wk->y[j];
		wk->w[j] = w;
		for (size_t c = 0; c < p; c++) {
			double wx = w * xj[c];
			b[c] += wy * xj[c];
			for (size_t r = c; r < p; r++)
				a[c * p + r] += wx * xj[r];
		}
	}
	if (chol_solve(a, p, b, beta, cov) != 0)
		return -1;
	double qs = 0.0;
	for (size_t j = 0; j < m; j++) {
		double e = wk->y[j];
		for (size_t c = 0; c < p; c++)
			e -= wk->X[j * p + c] * beta[c];
		qs += wk->w[j] * e * e;
	}
	*q = qs;
	return 0;
}

/*
 * Whether the predictors (columns off..p-1 of X) carry no information: a
 * column is constant (centred when there is an intercept) or a Cholesky
 * pivot of their correlation matrix is below 1e-10 (collinear).
 */
int
pf_lift_i_degenerate(const struct work *wk, size_t m, size_t p, size_t off)
{
	size_t k = p - off;
	double mean[MAXP] = {0}, g[MAXP * MAXP] = {0}, mx[MAXP] = {0};
	int n = (int)k, info = 0;

	for (size_t c = 0; c < k; c++) {
		for (size_t j = 0; j < m; j++) {
			double v = wk->X[j * p + off + c];
			mean[c] += v;
			mx[c] = fmax(mx[c], fabs(v));
		}
		mean[c] = off ? mean[c] / (double)m : 0.0;
	}
	for (size_t j = 0; j < m; j++)
		for (size_t c = 0; c < k; c++)
			for (size_t r = 0; r < k; r++)
				g[c * k + r] += (wk->X[j * p + off + r] -
				    mean[r]) * (wk->X[j * p + off + c] -
				    mean[c]);
	for (size_t c = 0; c < k; c++) {
		double tiny = 1e-12 * mx[c] * sqrt((double)m);
		if (!(sqrt(g[c * k + c]) > tiny))
			return 1;
	}
	double d[MAXP];
	for (size_t c = 0; c < k; c++)
		d[c] = sqrt(g[c * k + c]);
	for (size_t c = 0; c < k; c++)
		for (size_t r = 0; r < k; r++)
			g[c * k + r] /= d[r] * d[c];
	dpotrf_("L", &n, g, &n, &info, 1);
	if (info != 0)
		return 1;
	for (size_t c = 0; c < k; c++)
		if (!(g[c * k + c] * g[c * k + c] > 1e-10))
			return 1;
	return 0;
}

/*
 * The tau2 >= 0 with Q(tau2) = target, to a relative step tol (Q
 * decreases in tau2; 0 when Q(0) = q0 <= target; the search starts from
 * lo0 > 0 when Q(lo0) = qlo0 is known to be above target). Paule–Mandel is
 * target m - p; the confidence distribution of tau^2 (lift.h) is every
 * chi-square quantile.
 */
double
pf_lift_i_q_inverse(const struct work *wk, size_t m, size_t p, double q0,
    double target, double tol, double lo0, double qlo0)
{
	double beta[MAXP], cov[MAXP * MAXP], q;
	double lo = lo0, hi, ybar = 0.0, v = 0.0;

	if (q0 <= target)
		return 0.0;
	for (size_t j = 0; j < m; j++)
		ybar += wk->y[j] / (double)m;
	for (size_t j = 0; j < m; j++)
		v += (wk->y[j] - ybar) * (wk->y[j] - ybar);
	hi = fmax(v > 0 ? v / (double)(m - 1) : 1.0, 2.0 * lo0);
	/*
	 * Q(tau2) -> 0 as tau2 grows: find a bracket, then regula falsi with
	 * the Illinois modification (the stale end's value halved), falling
	 * back to bisection, until the step is below tol relative.
	 */
	double flo = qlo0 - target, fhi = NAN, t = 0.0;
	for (int i = 0; i < 2000; i++) {
		if (pf_lift_i_wls(wk, m, p, hi, beta, cov, &q) != 0 || q < target) {
			fhi = q - target;
			break;
		}
		lo = hi;
		flo = q - target;
		hi *= 2.0;
	}
	if (!(fhi < 0))
		return 0.5 * (lo + hi);
	for (int i = 0, side = 0; i < 200; i++) {
		double nt = (lo * fhi - hi * flo) / (fhi - flo), ft;
		if (!(nt > lo && nt < hi))
			nt = 0.5 * (lo + hi);
		if (pf_lift_i_wls(wk, m, p, nt, beta, cov, &q) != 0)
			return nt;
		ft = q - target;
		if (i > 0 && fabs(nt - t) <= tol * nt)
			return nt;
		t = nt;
		if (ft > 0) {
			lo = t;
			flo = ft;
			if (side == 1)
				fhi *= 0.5;
			side = 1;
		} else if (ft < 0) {
			hi = t;
			fhi = ft;
			if (side == -1)
				flo *= 0.5;
			side = -1;
		} else
			return t;
		if (hi - lo <= tol * hi)
			return 0.5 * (lo + hi);
	}
	return t;
}

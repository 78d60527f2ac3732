/*
 * metrics/stats_dist.c — the closed-form half of stats.h: the regularized
 * incomplete beta and Student t, the normal quantile, the exact sign
 * test, Holm and Benjamini-Hochberg adjustment, the inverted-CDF
 * quantile and the power sample sizes. No randomness; every function is
 * pure and thread-safe (lgamma_r, not lgamma, which writes the global
 * signgam). The Monte Carlo half is stats.c.
 */
#define _DEFAULT_SOURCE	/* lgamma_r */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "metrics/stats.h"

static double
lgam(double x)
{
	int sign;

	return lgamma_r(x, &sign);
}

/* ---- incomplete beta, Student t, normal ------------------------------ */

/*
 * The continued fraction of I_x(a, b) by the modified Lentz method
 * (Numerical Recipes 3rd ed. §6.4, betacf); converges quickly for
 * x < (a + 1) / (a + b + 2), in O(sqrt(max(a, b))) terms.
 */
static double
betacf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double qab = a + b, qap = a + 1.0, qam = a - 1.0;
	double c = 1.0, d = 1.0 - qab * x / qap, h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (int m = 1; m <= 1000000; m++) {
		double dm = (double)m, m2 = 2.0 * dm;
		double aa = dm * (b - dm) * x / ((qam + m2) * (a + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + dm) * (qab + dm) * x / ((a + m2) * (qap + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		double del = d * c;
		h *= del;
		if (fabs(del - 1.0) <= DBL_EPSILON)
			break;
	}
	return h;
}

/*
 * I_x(a, b) with y = 1 - x passed separately, so callers that know y more
 * precisely than 1 - x (the t tail: y = t^2 / (df + t^2)) keep it.
 */
static double
ibeta_xy(double a, double b, double x, double y)
{
	if (x <= 0.0)
		return 0.0;
	if (y <= 0.0)
		return 1.0;
	double lf = lgam(a + b) - lgam(a) - lgam(b) + a * log(x) + b * log(y);
	if (x < (a + 1.0) / (a + b + 2.0))
		return exp(lf) * betacf(a, b, x) / a;
	return 1.0 - exp(lf) * betacf(b, a, y) / b;
}

double
pf_stats_ibeta(double a, double b, double x)
{
	if (!(a > 0) || !(b > 0) || isnan(x) || isinf(a) || isinf(b))
		return NAN;
	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	return ibeta_xy(a, b, x, 1.0 - x);
}

double
pf_stats_t_p2(double t, double df)
{
	if (isnan(t) || !(df > 0) || isinf(df))
		return NAN;
	if (isinf(t))
		return 0.0;
	if (t == 0.0)
		return 1.0;
	double t2 = t * t;
	return ibeta_xy(0.5 * df, 0.5, df / (df + t2), t2 / (df + t2));
}

double
pf_stats_t_cdf(double t, double df)
{
	double half = 0.5 * pf_stats_t_p2(t, df);

	if (isnan(half))
		return NAN;
	return t > 0 ? 1.0 - half : half;
}

double
pf_stats_t_quantile(double p, double df)
{
	double q, lo = 0.0, hi = 1.0;

	if (!(p > 0 && p < 1) || !(df > 0) || isinf(df))
		return NAN;
	if (p == 0.5)
		return 0.0;
	q = p < 0.5 ? p : 1.0 - p;	/* exact for p in [0.5, 1) */
	/* Solve P(T > t) = q for t > 0; the tail decreases in t. */
	while (0.5 * pf_stats_t_p2(hi, df) > q && hi < 1e300)
		hi *= 2.0;
	for (int i = 0; i < 2000; i++) {
		double mid = 0.5 * (lo + hi);
		if (mid <= lo || mid >= hi)
			break;
		if (0.5 * pf_stats_t_p2(mid, df) > q)
			lo = mid;
		else
			hi = mid;
	}
	double t = 0.5 * (lo + hi);
	return p < 0.5 ? -t : t;
}

/* P(Z > x), x >= 0, and the standard normal density. */
static double
norm_sf(double x)
{
	return 0.5 * erfc(x / M_SQRT2);
}

static double
norm_pdf(double x)
{
	return exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
}

double
pf_stats_norm_quantile(double p)
{
	if (!(p > 0 && p < 1))
		return NAN;
	if (p == 0.5)
		return 0.0;
	double q = p < 0.5 ? p : 1.0 - p;	/* upper tail, q < 0.5 */
	/* Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) ... */
	double s = sqrt(-2.0 * log(q));
	double x = s - (2.515517 + 0.802853 * s + 0.010328 * s * s) /
	    (1.0 + 1.432788 * s + 0.189269 * s * s + 0.001308 * s * s * s);
	/* ... then Halley steps on f(x) = P(Z > x) - q, f' = -pdf. */
	for (int i = 0; i < 8; i++) {
		double f = norm_sf(x) - q, pdf = norm_pdf(x);
		if (pdf == 0.0)
			break;
		double u = f / pdf;		/* Newton step is +u */
		double dx = u / (1.0 - 0.5 * x * u);	/* Halley: f''/f' = -x */
		x += dx;
		if (fabs(dx) <= 1e-16 * fabs(x))
			break;
	}
	return p < 0.5 ? -x : x;
}

/* ---- sign test -------------------------------------------------------- */

double
pf_stats_sign_test(size_t wins, size_t losses)
{
	size_t n = wins + losses, k = wins < losses ? wins : losses;
	double dn = (double)n, dk = (double)k;

	if (n == 0 || 2 * k == n)
		return 1.0;
	/* P(X <= k), X ~ Bin(n, 1/2): the largest term C(n, k) 2^-n in logs,
	   the smaller ones by the ratio C(n, i-1) / C(n, i) = i / (n-i+1). */
	double lt = lgam(dn + 1.0) - lgam(dk + 1.0) - lgam(dn - dk + 1.0) -
	    dn * M_LN2;
	double s = 1.0, r = 1.0;
	for (size_t i = k; i > 0; i--) {
		r *= (double)i / (double)(n - i + 1);
		s += r;
		if (r < 1e-18 * s)
			break;
	}
	double p = 2.0 * exp(lt) * s;
	return p < 1.0 ? p : 1.0;
}

/* ---- multiple testing ------------------------------------------------- */

typedef struct pidx {
	double	p;
	size_t	i;
} pidx;

static int
cmp_pidx(const void *a, const void *b)
{
	const pidx *x = a, *y = b;

	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * The non-NaN p-values sorted by (p, index) into *out (caller frees);
 * NaN positions of adj set to NaN. Returns the family size through *k.
 */
static int
family(const double *p, size_t m, double *adj, pidx **out, size_t *k,
    pf_err *err)
{
	pidx *s;
	size_t bytes, nk = 0;

	*out = NULL;
	*k = 0;
	for (size_t i = 0; i < m; i++)
		if (!isnan(p[i]) && !(p[i] >= 0.0 && p[i] <= 1.0))
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "p-value %zu is %g, expected a number in [0, 1]",
			    i, p[i]);
	if (pf_mul_size(m ? m : 1, sizeof(*s), &bytes) != PF_OK ||
	    (s = malloc(bytes)) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory "
		    "for %zu p-values", m);
	for (size_t i = 0; i < m; i++) {
		if (isnan(p[i]))
			adj[i] = NAN;	/* after reading p[i]: adj may be p */
		else
			s[nk++] = (pidx){p[i], i};
	}
	qsort(s, nk, sizeof(*s), cmp_pidx);
	*out = s;
	*k = nk;
	return PF_OK;
}

int
pf_stats_holm(const double *p, size_t m, double *adj, pf_err *err)
{
	pidx *s;
	size_t k;
	double run = 0.0;
	int rc;

	if ((rc = family(p, m, adj, &s, &k, err)) != PF_OK)
		return rc;
	for (size_t j = 0; j < k; j++) {	/* rank j + 1 of k */
		double v = (double)(k - j) * s[j].p;
		run = fmax(run, v < 1.0 ? v : 1.0);
		adj[s[j].i] = run;
	}
	free(s);
	return PF_OK;
}

int
pf_stats_bh(const double *p, size_t m, double *adj, pf_err *err)
{
	pidx *s;
	size_t k;
	double run = 1.0;
	int rc;

	if ((rc = family(p, m, adj, &s, &k, err)) != PF_OK)
		return rc;
	for (size_t j = k; j-- > 0;) {
		double v = (double)k * s[j].p / (double)(j + 1);
		run = fmin(run, v);
		adj[s[j].i] = run;
	}
	free(s);
	return PF_OK;
}

/* ---- quantile, power -------------------------------------------------- */

double
pf_stats_quantile(const double *sorted, size_t n, double prob)
{
	if (n == 0 || !(prob >= 0.0 && prob <= 1.0))
		return NAN;
	double x = (double)n * prob, r = round(x);
	if (fabs(x - r) <= 1e-9)
		x = r;
	double c = ceil(x);
	size_t k = c < 1.0 ? 1 : (size_t)c;
	return sorted[(k > n ? n : k) - 1];
}

static int
power_args(double d_z, double alpha, double power, double *z)
{
	if (isnan(d_z) || d_z == 0.0 || !(alpha > 0 && alpha < 1) ||
	    !(power >= 0.5 && power < 1))
		return 0;
	*z = pf_stats_norm_quantile(1.0 - alpha / 2.0) +
	    pf_stats_norm_quantile(power);
	return 1;
}

double
pf_stats_n_power(double d_z, double alpha, double power)
{
	double z;

	if (!power_args(d_z, alpha, power, &z))
		return NAN;
	if (isinf(d_z))
		return 2.0;
	double q = z / fabs(d_z), n = ceil(q * q);
	return n < 2.0 ? 2.0 : n;
}

/* n d_z^2 >= (t_{n-1,1-alpha/2} + t_{n-1,power})^2: increasing in n. */
static int
t_enough(double n, double d2, double alpha, double power)
{
	double q = pf_stats_t_quantile(1.0 - alpha / 2.0, n - 1.0) +
	    pf_stats_t_quantile(power, n - 1.0);

	return n * d2 >= q * q;
}

double
pf_stats_n_power_t(double d_z, double alpha, double power)
{
	double z, lo, hi, d2 = d_z * d_z;

	if (!power_args(d_z, alpha, power, &z))
		return NAN;
	if (isinf(d_z))
		return 2.0;
	/* Every n below the normal answer fails (t quantiles exceed z ones
	   for power >= 0.5), so search upwards from it. */
	lo = pf_stats_n_power(d_z, alpha, power);
	if (lo > 1e9)
		return lo;
	if (t_enough(lo, d2, alpha, power))
		return lo;
	for (double step = 1.0; !t_enough(hi = lo + step, d2, alpha, power);
	    step *= 2.0)
		lo = hi;
	/* t_enough(hi), !t_enough(lo): bisect to the smallest such n. */
	while (hi - lo > 1.0) {
		double mid = floor(0.5 * (lo + hi));
		if (t_enough(mid, d2, alpha, power))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/*
 * metrics/compare.c — see compare.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/compare.h"

void
pf_cmp_opts_init(pf_cmp_opts *o)
{
	o->alpha = 0.05;
	o->n_boot = 10000;
	o->n_perm = 10000;
	o->exact_limit = 20;
	o->tie_tol = 1e-9;
	o->seed = 1;
	o->stream = 0;
}

/* SplitMix64's finaliser: a bijective 64-bit mix. */
static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t
pf_rand64(uint64_t key, uint64_t counter)
{
	return mix64(key ^ mix64(counter + 0x9e3779b97f4a7c15ull));
}

uint64_t
pf_rand_key(uint64_t seed, uint64_t a, uint64_t b)
{
	return mix64(mix64(mix64(seed) ^ a) ^ (b + 0x632be59bd9b4e019ull));
}

/* Uniform integer in [0, n) from 53 random bits (bias < n / 2^53). */
static size_t
below(uint64_t r, size_t n)
{
	size_t k = (size_t)((double)(r >> 11) * 0x1p-53 * (double)n);
	return k < n ? k : n - 1;
}

/* ---- Student t -------------------------------------------------------- */

/* Continued fraction for the regularized incomplete beta (Lentz). */
static double
betacf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0), h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, aa = m * (b - m) * x / ((a + m2 - 1) *
		    (a + m2));
		d = 1.0 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1.0 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1.0 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1.0 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1.0 / d;
		double del = d * c;
		h *= del;
		if (fabs(del - 1.0) < 1e-16)
			break;
	}
	return h;
}

static double
ibeta(double a, double b, double x)
{
	if (x <= 0)
		return 0.0;
	if (x >= 1)
		return 1.0;
	double lb = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
	    b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lb) * betacf(a, b, x) / a;
	return 1.0 - exp(lb) * betacf(b, a, 1.0 - x) / b;
}

double
pf_t_cdf(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return t > 0 ? 1.0 : 0.0;
	double tail = 0.5 * ibeta(df / 2.0, 0.5, df / (df + t * t));
	return t > 0 ? 1.0 - tail : tail;
}

double
pf_t_quantile(double p, double df)
{
	double lo = -1e3, hi = 1e3;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	for (int i = 0; i < 200; i++) {	/* bisection: monotone, robust */
		double mid = 0.5 * (lo + hi);
		if (pf_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

double
pf_sign_test(size_t wins, size_t losses)
{
	size_t n = wins + losses, k = wins < losses ? wins : losses;
	double s = 0.0;

	if (n == 0)
		return 1.0;
	for (size_t i = 0; i <= k; i++)	/* P(X <= k), X ~ Bin(n, 1/2) */
		s += exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
		    lgamma((double)(n - i) + 1) - (double)n * log(2.0));
	return fmin(1.0, 2.0 * s);
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

static size_t
sorted_family(const double *p, size_t m, pidx *s)
{
	size_t k = 0;

	for (size_t i = 0; i < m; i++)
		if (!isnan(p[i]))
			s[k++] = (pidx){p[i], i};
	qsort(s, k, sizeof(*s), cmp_pidx);
	return k;
}

void
pf_p_holm(const double *p, size_t m, double *adj)
{
	pidx *s = malloc((m ? m : 1) * sizeof(*s));
	size_t k;
	double run = 0.0;

	for (size_t i = 0; i < m; i++)
		adj[i] = NAN;
	if (s == NULL)
		return;
	k = sorted_family(p, m, s);
	for (size_t j = 0; j < k; j++) {
		double v = fmin(1.0, (double)(k - j) * s[j].p);
		run = fmax(run, v);
		adj[s[j].i] = run;
	}
	free(s);
}

void
pf_p_bh(const double *p, size_t m, double *adj)
{
	pidx *s = malloc((m ? m : 1) * sizeof(*s));
	size_t k;
	double run = 1.0;

	for (size_t i = 0; i < m; i++)
		adj[i] = NAN;
	if (s == NULL)
		return;
	k = sorted_family(p, m, s);
	for (size_t j = k; j-- > 0; ) {
		double v = fmin(1.0, (double)k * s[j].p / (double)(j + 1));
		run = fmin(run, v);
		adj[s[j].i] = run;
	}
	free(s);
}

/* ---- the paired comparison -------------------------------------------- */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
n_for_power(double dz, double alpha)
{
	if (!isfinite(dz) || dz == 0.0)
		return NAN;
	/* normal start, then n = ((t_{n-1,1-a/2} + t_{n-1,0.8}) / d_z)^2 */
	double z = (1.959963984540054 + 0.8416212335729143) / fabs(dz);
	double n = fmax(2.0, z * z);
	for (int i = 0; i < 50; i++) {
		double df = fmax(1.0, n - 1.0);
		double q = (pf_t_quantile(1 - alpha / 2, df) +
		    pf_t_quantile(0.8, df)) / fabs(dz);
		double nn = fmax(2.0, q * q);
		if (fabs(nn - n) < 1e-6)
			break;
		n = nn;
	}
	return ceil(n - 1e-9);
}

int
pf_compare_paired(const double *a, const double *b, size_t n,
    const pf_cmp_opts *o, pf_cmp *out, pf_err *err)
{
	double sa = 0, sb = 0, sd = 0, sabs = 0, ss = 0;
	double *d = NULL, *boot = NULL;
	uint64_t key = pf_rand_key(o->seed, o->stream, 0x626f6f74ull);
	uint64_t pkey = pf_rand_key(o->seed, o->stream, 0x7065726dull);

	memset(out, 0, sizeof(*out));
	out->n = n;
	for (size_t q = 0; q < n; q++)
		if (!isfinite(a[q]) || !isfinite(b[q]))
			return pf_err_set(err, PF_EINVAL, NULL, 0, "query %zu: "
			    "value is not a finite number", q);
	if ((d = malloc((n ? n : 1) * sizeof(*d))) == NULL ||
	    (boot = malloc((o->n_boot ? o->n_boot : 1) * sizeof(*boot))) ==
	    NULL) {
		free(d);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t q = 0; q < n; q++) {
		d[q] = b[q] - a[q];
		sa += a[q];
		sb += b[q];
		sd += d[q];
		sabs += fabs(d[q]);
		if (d[q] > o->tie_tol)
			out->wins++;
		else if (d[q] < -o->tie_tol)
			out->losses++;
		else
			out->ties++;
	}
	double nn = (double)n;
	out->mean_a = n ? sa / nn : NAN;
	out->mean_b = n ? sb / nn : NAN;
	out->delta = n ? sd / nn : NAN;
	out->rel = n && out->mean_a != 0.0 ? out->delta / out->mean_a : NAN;
	for (size_t q = 0; q < n; q++)
		ss += (d[q] - out->delta) * (d[q] - out->delta);
	double s = n > 1 ? sqrt(ss / (nn - 1)) : NAN;
	out->df = n > 1 ? nn - 1 : NAN;
	out->d_z = s > 0 ? out->delta / s : NAN;
	if (n > 1 && s > 0) {
		double se = s / sqrt(nn), tq = pf_t_quantile(1 - o->alpha / 2,
		    out->df);
		out->t = out->delta / se;
		out->p_t = 2.0 * (1.0 - pf_t_cdf(fabs(out->t), out->df));
		out->t_lo = out->delta - tq * se;
		out->t_hi = out->delta + tq * se;
	} else {
		out->t = out->t_lo = out->t_hi = NAN;
		out->p_t = n > 1 && ss == 0.0 && sd == 0.0 ? 1.0 : NAN;
		if (n > 1 && ss == 0.0)
			out->t_lo = out->t_hi = out->delta;
	}
	out->n_needed = n_for_power(out->d_z, o->alpha);

	/* bootstrap percentile CI */
	if (n == 0) {
		out->lo = out->hi = out->p_perm = NAN;
		goto done;
	}
	size_t B = o->n_boot;
#pragma omp parallel for schedule(static)
	for (size_t r = 0; r < B; r++) {
		double acc = 0.0;
		for (size_t i = 0; i < n; i++)
			acc += d[below(pf_rand64(key, (uint64_t)r * n + i), n)];
		boot[r] = acc / nn;
	}
	qsort(boot, B, sizeof(*boot), cmp_double);
	if (B > 0) {
		size_t il = (size_t)ceil((double)B * o->alpha / 2 - 1e-9),
		    ih = (size_t)ceil((double)B * (1 - o->alpha / 2) - 1e-9);
		il = il < 1 ? 1 : il;
		ih = ih > B ? B : ih < 1 ? 1 : ih;
		out->lo = boot[il - 1];
		out->hi = boot[ih - 1];
	} else {
		out->lo = out->hi = NAN;
	}

	/* randomization (sign-flip) test on the sum */
	double thr = fabs(sd) - 1e-12 * sabs;
	size_t hits = 0;
	if (n <= o->exact_limit) {
		uint64_t total = (uint64_t)1 << n;
#pragma omp parallel for schedule(static) reduction(+:hits)
		for (uint64_t mask = 0; mask < total; mask++) {
			double acc = 0.0;
			for (size_t i = 0; i < n; i++)
				acc += (mask >> i) & 1 ? -d[i] : d[i];
			hits += fabs(acc) >= thr;
		}
		out->exact = 1;
		out->p_perm = (double)hits / (double)total;
	} else {
		size_t P = o->n_perm;
#pragma omp parallel for schedule(static) reduction(+:hits)
		for (size_t r = 0; r < P; r++) {
			double acc = 0.0;
			uint64_t bits = 0;
			for (size_t i = 0; i < n; i++) {
				if (i % 64 == 0)
					bits = pf_rand64(pkey, (uint64_t)r *
					    ((n + 63) / 64) + i / 64);
				acc += (bits >> (i % 64)) & 1 ? -d[i] : d[i];
			}
			hits += fabs(acc) >= thr;
		}
		out->p_perm = (1.0 + (double)hits) / (1.0 + (double)P);
	}
done:
	free(d);
	free(boot);
	return PF_OK;
}

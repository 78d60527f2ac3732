/*
 * metrics/stats.c — the paired comparison of stats.h: summaries, the
 * query bootstrap, the sign-flip randomization test, the paired t-test,
 * W/L/T and power (definitions in stats.h; distributions and p-value
 * adjustment in stats_dist.c).
 *
 * Determinism: a bootstrap resample or a Monte Carlo sign pattern r reads
 * stream r of its own key, so it does not depend on which thread runs it
 * or what ran before. Each resample's mean goes to its own slot of an
 * array that is sorted afterwards; the permutation tests reduce integer
 * counts. Hence the same bytes for any OMP_NUM_THREADS. Sizes: n queries
 * (tens to tens of thousands), B = 10,000 resamples, so the loops cost
 * O(B n) draws; memory is B + n doubles plus 2 x 2^15 for the exact test.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/stats.h"
#include "metrics/stats_internal.h"

void
pf_stats_opts_init(pf_stats_opts *o)
{
	o->alpha = 0.05;
	o->power = 0.8;
	o->n_boot = 10000;
	o->n_perm = 10000;
	o->exact_limit = 20;
	o->tie_tol = 1e-9;
	o->seed = 1;
	o->id_a = 0;
	o->id_b = 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * All 2^n sign patterns (n <= PF_STATS_EXACT_MAX): a pattern's sum is
 * hi[pattern >> L] + lo[pattern & (2^L - 1)], each table summed in query
 * order, so the work is 2^n additions instead of n 2^n.
 */
static int
perm_exact(const double *d, size_t n, double thr, uint64_t *hits_out,
    pf_err *err)
{
	size_t L = n / 2, H = n - L, nl = (size_t)1 << L, nh = (size_t)1 << H;
	double *lo = malloc(nl * sizeof(*lo)), *hi = malloc(nh * sizeof(*hi));
	uint64_t hits = 0;

	if (lo == NULL || hi == NULL) {
		free(lo);
		free(hi);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory "
		    "for the exact sign-flip test");
	}
	for (size_t m = 0; m < nl; m++) {
		double s = 0.0;
		for (size_t i = 0; i < L; i++)
			s += (m >> i) & 1 ? -d[i] : d[i];
		lo[m] = s;
	}
	for (size_t m = 0; m < nh; m++) {
		double s = 0.0;
		for (size_t i = 0; i < H; i++)
			s += (m >> i) & 1 ? -d[L + i] : d[L + i];
		hi[m] = s;
	}
#pragma omp parallel for schedule(static) reduction(+:hits)
	for (size_t h = 0; h < nh; h++) {
		uint64_t c = 0;
		for (size_t l = 0; l < nl; l++)
			c += fabs(hi[h] + lo[l]) >= thr;
		hits += c;
	}
	free(lo);
	free(hi);
	*hits_out = hits;
	return PF_OK;
}

static int
check_opts(const pf_stats_opts *o, pf_err *err)
{
	if (!(o->alpha > 0.0 && o->alpha < 1.0))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "alpha is %g, "
		    "expected a number in (0, 1)", o->alpha);
	if (!(o->power >= 0.5 && o->power < 1.0))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "power is %g, "
		    "expected a number in [0.5, 1)", o->power);
	if (!(o->tie_tol >= 0.0) || isinf(o->tie_tol))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "tie tolerance is "
		    "%g, expected a finite number >= 0", o->tie_tol);
	return PF_OK;
}

int
pf_stats_compare_paired(const double *control, const double *treatment,
    size_t n, const pf_stats_opts *o, pf_stats_cmp *out, pf_err *err)
{
	pf_stats_opts def;
	double *d = NULL, *boot = NULL;
	double sa = 0.0, sb = 0.0, sum = 0.0, sabs = 0.0, ss = 0.0, dn;
	size_t exact_limit, bytes;
	int constant = 1, rc;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (o == NULL) {
		pf_stats_opts_init(&def);
		o = &def;
	}
	if ((rc = check_opts(o, err)) != PF_OK)
		return rc;
	for (size_t q = 0; q < n; q++) {
		if (!isfinite(control[q]))
			return pf_err_set(err, PF_EINVAL, NULL, 0, "control "
			    "value of query %zu is %g", q, control[q]);
		if (!isfinite(treatment[q]))
			return pf_err_set(err, PF_EINVAL, NULL, 0, "treatment "
			    "value of query %zu is %g", q, treatment[q]);
	}
	out->mean_control = out->mean_treatment = out->delta = out->rel =
	    out->sd = out->ci_lo = out->ci_hi = out->p_boot = out->p_perm =
	    out->t = out->df = out->p_t = out->t_lo = out->t_hi = out->d_z =
	    out->p_sign = out->n_power = out->n_power_t = out->mde = NAN;
	if (n == 0)
		return PF_OK;

	if (pf_mul_size(n, sizeof(*d), &bytes) != PF_OK ||
	    (d = malloc(bytes)) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory for "
		    "%zu differences", n);
		goto done;
	}
	for (size_t q = 0; q < n; q++) {
		d[q] = treatment[q] - control[q];
		sa += control[q];
		sb += treatment[q];
		sum += d[q];
		sabs += fabs(d[q]);
		constant &= d[q] == d[0];
		if (d[q] > o->tie_tol)
			out->wins++;
		else if (d[q] < -o->tie_tol)
			out->losses++;
		else
			out->ties++;
	}
	dn = (double)n;
	out->mean_control = sa / dn;
	out->mean_treatment = sb / dn;
	out->delta = constant ? d[0] : sum / dn;
	if (out->mean_control != 0.0)
		out->rel = out->delta / out->mean_control;
	if (!constant)
		for (size_t q = 0; q < n; q++)
			ss += (d[q] - out->delta) * (d[q] - out->delta);
	out->p_sign = pf_stats_sign_test(out->wins, out->losses);

	/* Paired t, effect size, power. */
	if (n >= 2) {
		double se;

		out->df = dn - 1.0;
		out->sd = sqrt(ss / out->df);
		se = out->sd / sqrt(dn);
		if (out->sd > 0.0) {
			double tq = pf_stats_t_quantile(1.0 - o->alpha / 2.0,
			    out->df);
			out->t = out->delta / se;
			out->p_t = pf_stats_t_p2(out->t, out->df);
			out->t_lo = out->delta - tq * se;
			out->t_hi = out->delta + tq * se;
			out->d_z = out->delta / out->sd;
		} else {
			out->t_lo = out->t_hi = out->delta;
			if (out->delta == 0.0) {
				out->p_t = 1.0;
			} else {
				out->t = out->d_z = copysign(INFINITY,
				    out->delta);
				out->p_t = 0.0;
			}
		}
		out->n_power = pf_stats_n_power(out->d_z, o->alpha, o->power);
		out->n_power_t = pf_stats_n_power_t(out->d_z, o->alpha,
		    o->power);
		out->mde = (pf_stats_norm_quantile(1.0 - o->alpha / 2.0) +
		    pf_stats_norm_quantile(o->power)) * se;
	}

	/* Query bootstrap. */
	if (o->n_boot > 0 && constant) {
		out->ci_lo = out->ci_hi = out->delta;
		out->p_boot = out->delta == 0.0 ? 1.0 : 0.0;
	} else if (o->n_boot > 0) {
		size_t B = o->n_boot, far = 0;

		if (pf_mul_size(B, sizeof(*boot), &bytes) != PF_OK ||
		    (boot = malloc(bytes)) == NULL) {
			rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of "
			    "memory for %zu bootstrap resamples", B);
			goto done;
		}
		pf_stats_boot_means(d, n, pf_rng_key(o->seed, o->id_a,
		    o->id_b, PF_RNG_BOOT), B, boot);
		for (size_t r = 0; r < B; r++)
			far += fabs(boot[r] - out->delta) >= fabs(out->delta);
		out->p_boot = (double)far / (double)B;
		qsort(boot, B, sizeof(*boot), cmp_double);
		out->ci_lo = pf_stats_quantile(boot, B, o->alpha / 2.0);
		out->ci_hi = pf_stats_quantile(boot, B, 1.0 - o->alpha / 2.0);
	}

	/* Sign-flip randomization test on the sum. */
	double thr = fabs(sum) - 1e-12 * sabs;
	exact_limit = o->exact_limit < PF_STATS_EXACT_MAX ? o->exact_limit :
	    PF_STATS_EXACT_MAX;
	if (n <= exact_limit) {
		if ((rc = perm_exact(d, n, thr, &out->perm_count, err)) !=
		    PF_OK)
			goto done;
		out->perm_exact = 1;
		out->perm_total = (uint64_t)1 << n;
		out->p_perm = (double)out->perm_count /
		    (double)out->perm_total;
	} else if (o->n_perm > 0) {
		out->perm_total = o->n_perm;
		out->perm_count = pf_stats__perm_mc(d, n, thr, pf_rng_key(o->seed,
		    o->id_a, o->id_b, PF_RNG_PERM), o->n_perm);
		out->p_perm = (1.0 + (double)out->perm_count) /
		    (1.0 + (double)out->perm_total);
	}
	rc = PF_OK;
done:
	free(d);
	free(boot);
	return rc;
}

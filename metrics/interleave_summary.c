/*
 * metrics/interleave_summary.c — the aggregate over queries of
 * interleave.h's per-query outcomes: weighted shares, mean outcome, Δ and
 * the preference share, and their percentile intervals from resampling
 * QUERIES (never impressions: an interval over impressions shrinks to 0
 * as impressions grow and means nothing, METHODS.md §1.1). Sums run in
 * query order; each bootstrap resample writes its own slot, keyed by
 * (seed, stream, resample), so any thread count gives the same bytes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/interleave_internal.h"

void
pf_il_sum_opts_init(pf_il_sum_opts *o)
{
	o->alpha = 0.05;
	o->n_boot = 10000;
	o->tie_tol = 1e-9;
	o->seed = 1;
	o->stream = 0;
}

/* Sums of one query's shares, times its weight. */
typedef struct qsum {
	double	w, b, a, t, z, nc;	/* weight; shares won by B, A, tied,
					   no click, not compared */
	double	mo;			/* mean_o */
} qsum;

/* A pair never compared in a query (multileave) carries no weight. */
static void
shares(const pf_il_outcome *r, double w, qsum *s)
{
	double tot = r->n + r->not_compared;

	s->w = r->n > 0 ? w : 0.0;
	s->mo = r->mean_o;
	if (r->n > 0) {
		s->b = r->w_b / r->n;
		s->a = r->w_a / r->n;
		s->t = r->ties / r->n;
		s->z = r->none / r->n;
	} else {
		s->b = s->a = s->t = s->z = 0.0;
	}
	s->nc = tot > 0 ? r->not_compared / tot : 0.0;
}

typedef struct stats3 {
	double	mean_o, delta, p_pref;
} stats3;

static stats3
ratios(double w, double mo, double b, double a, double t)
{
	stats3 s;

	s.mean_o = w > 0 ? mo / w : NAN;
	s.delta = b + a + t > 0 ? (b - a) / (b + a + t) : NAN;
	s.p_pref = b + a > 0 ? b / (b + a) : NAN;
	return s;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* Percentile interval of the finite values among v[0..B-1] (sorts v). */
static void
percentile(double *v, size_t B, double alpha, double *lo, double *hi)
{
	size_t n = 0, il, ih;

	for (size_t i = 0; i < B; i++)
		if (!isnan(v[i]))
			v[n++] = v[i];
	if (n == 0) {
		*lo = *hi = NAN;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	il = (size_t)ceil((double)n * alpha / 2 - 1e-9);
	ih = (size_t)ceil((double)n * (1 - alpha / 2) - 1e-9);
	il = il < 1 ? 1 : il;
	ih = ih > n ? n : ih < 1 ? 1 : ih;
	*lo = v[il - 1];
	*hi = v[ih - 1];
}

int
pf_il_summarize(const pf_il_outcome *per_query, size_t stride,
    const size_t *subset, size_t n, const double *weight,
    const pf_il_sum_opts *o, pf_il_summary *out, pf_err *err)
{
	qsum *qs = NULL, tot;
	double *boot = NULL, W = 0;
	size_t B = o->n_boot;
	int rc = PF_OK;

	memset(out, 0, sizeof(*out));
	memset(&tot, 0, sizeof(tot));
	out->nq = n;
	out->exact = n > 0;
	if (!(o->alpha > 0 && o->alpha < 1))
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "alpha must be in (0, 1), got %g", o->alpha);
	if (stride < 1)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "stride must be at least 1");
	if ((qs = malloc((n ? n : 1) * sizeof(*qs))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < n; i++) {
		size_t idx = subset != NULL ? subset[i] : i;
		const pf_il_outcome *r = per_query + idx * stride;
		double w = weight != NULL ? weight[idx] : 1.0;

		if (!isfinite(w) || w < 0) {
			rc = pf_err_set(err, PF_EINVAL, NULL, 0, "query %zu: "
			    "weight must be finite and >= 0, got %g", idx, w);
			goto done;
		}
		shares(r, w, &qs[i]);
		W += w;
		w = qs[i].w;
		tot.w += w;
		tot.mo += w * qs[i].mo;
		tot.b += w * qs[i].b;
		tot.a += w * qs[i].a;
		tot.t += w * qs[i].t;
		tot.z += w * qs[i].z;
		tot.nc += qs[i].nc * (weight != NULL ? weight[idx] : 1.0);
		out->nq_clicked += r->n > 0 && qs[i].z < 1.0;
		out->exact &= r->exact;
		if (r->mean_o > o->tie_tol)
			out->q_wins++;
		else if (r->mean_o < -o->tie_tol)
			out->q_losses++;
		else
			out->q_ties++;
	}
	out->weight = W;
	stats3 s = ratios(tot.w, tot.mo, tot.b, tot.a, tot.t);
	out->mean_o = s.mean_o;
	out->delta = s.delta;
	out->p_pref = s.p_pref;
	double clicked = tot.b + tot.a + tot.t;
	out->share_b = clicked > 0 ? tot.b / clicked : NAN;
	out->share_a = clicked > 0 ? tot.a / clicked : NAN;
	out->share_tie = clicked > 0 ? tot.t / clicked : NAN;
	out->no_click = tot.w > 0 ? tot.z / tot.w : NAN;
	out->not_compared = W > 0 ? tot.nc / W : NAN;

	out->mean_o_lo = out->mean_o_hi = NAN;
	out->delta_lo = out->delta_hi = NAN;
	out->p_pref_lo = out->p_pref_hi = NAN;
	if (n == 0 || B == 0)
		goto done;
	if (B > SIZE_MAX / (3 * sizeof(double)) ||
	    (boot = malloc(3 * B * sizeof(double))) == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory for "
		    "%zu bootstrap resamples", B);
		goto done;
	}
#pragma omp parallel for schedule(static)
	for (size_t r = 0; r < B; r++) {
		il_rng g = { il_key(IL_DOM_BOOT, o->seed, o->stream, r), 0 };
		double w = 0, mo = 0, b = 0, a = 0, t = 0;

		for (size_t i = 0; i < n; i++) {
			const qsum *x = &qs[il_below(&g, n)];
			w += x->w;
			mo += x->w * x->mo;
			b += x->w * x->b;
			a += x->w * x->a;
			t += x->w * x->t;
		}
		stats3 st = ratios(w, mo, b, a, t);
		boot[r] = st.mean_o;
		boot[B + r] = st.delta;
		boot[2 * B + r] = st.p_pref;
	}
	percentile(boot, B, o->alpha, &out->mean_o_lo, &out->mean_o_hi);
	percentile(boot + B, B, o->alpha, &out->delta_lo, &out->delta_hi);
	percentile(boot + 2 * B, B, o->alpha, &out->p_pref_lo,
	    &out->p_pref_hi);
done:
	free(qs);
	free(boot);
	return rc;
}

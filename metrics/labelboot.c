/*
 * metrics/labelboot.c — see labelboot.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/labelboot.h"
#include "metrics/rng.h"
#include "metrics/stats.h"

double
pf_grade_aggregate(const int32_t *v, size_t n, int agg, int32_t *grade_int)
{
	switch (agg) {
	case PF_GRADE_MEAN: {
		double s = 0;
		for (size_t i = 0; i < n; i++)
			s += v[i];
		s /= (double)n;
		*grade_int = (int32_t)floor(s + 0.5);
		return s;
	}
	case PF_GRADE_MAJORITY: {
		size_t best = 0, bestn = 0;
		for (size_t i = 0; i < n;) {
			size_t k = i;
			while (k < n && v[k] == v[i])
				k++;
			if (k - i > bestn) {	/* strict: ties keep the lower */
				bestn = k - i;
				best = i;
			}
			i = k;
		}
		*grade_int = v[best];
		return v[best];
	}
	case PF_GRADE_MEDIAN:
	default:
		*grade_int = v[(n - 1) / 2];
		return v[(n - 1) / 2];
	}
}

/* One thread's buffers, sized for the largest query. */
typedef struct work {
	int32_t	*rel, *qrels, *gr, *tmp, *scratch;
	double	*dscratch, *values;
} work;

static void
work_free(work *w)
{
	free(w->rel);
	free(w->qrels);
	free(w->gr);
	free(w->tmp);
	free(w->scratch);
	free(w->dscratch);
	free(w->values);
}

static int
work_new(work *w, size_t maxret, size_t maxpairs, size_t maxlab, size_t nv)
{
	memset(w, 0, sizeof(*w));
	w->rel = malloc((maxret + 1) * sizeof(int32_t));
	w->scratch = malloc((maxret + 1) * sizeof(int32_t));
	w->qrels = malloc((maxpairs + 1) * sizeof(int32_t));
	w->gr = malloc((maxpairs + 1) * sizeof(int32_t));
	w->dscratch = malloc((maxpairs + 1) * sizeof(double));
	w->tmp = malloc((maxlab + 1) * sizeof(int32_t));
	w->values = malloc((nv + 1) * sizeof(double));
	if (!w->rel || !w->scratch || !w->qrels || !w->gr || !w->dscratch ||
	    !w->tmp || !w->values) {
		work_free(w);
		return -1;
	}
	return 0;
}

/* Draws every pair's labels from g and aggregates them into w->gr. */
static void
draw_grades(const pf_lb_query *q, pf_rng *g, int agg, work *w)
{
	for (size_t p = 0; p < q->npairs; p++) {
		const int32_t *l = q->labels + q->loff[p];
		uint32_t m = q->loff[p + 1] - q->loff[p];
		if (m == 1) {
			w->gr[p] = l[0];
			continue;
		}
		for (uint32_t i = 0; i < m; i++) {	/* draw, insert sorted */
			int32_t x = l[pf_rng_below32(g, m)];
			uint32_t j = i;
			while (j > 0 && w->tmp[j - 1] > x) {
				w->tmp[j] = w->tmp[j - 1];
				j--;
			}
			w->tmp[j] = x;
		}
		pf_grade_aggregate(w->tmp, m, agg, &w->gr[p]);
	}
}

static int
cmp_desc(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x < y) - (x > y);
}

/* The measure of one ranking under the grades in w->gr (w->qrels set). */
static double
eval(const pf_lb_opts *o, const pf_lb_query *q, const int32_t *rank,
    size_t nret, work *w)
{
	for (size_t i = 0; i < nret; i++) {
		int32_t p = rank[i], gr = p < 0 ? 0 : w->gr[p];
		w->rel[i] = p < 0 ? PF_TE_NONPOOL : gr < 0 ? PF_TE_UNJUDGED : gr;
	}
	pf_te_topic t = {.rel = w->rel, .nret = nret, .qrels = w->qrels,
	    .nqrels = q->npairs, .scratch = w->scratch,
	    .dscratch = w->dscratch};
	pf_te_eval_topic(o->spec, o->te, &t, w->values, NULL, 0);
	return w->values[o->value];
}

/* value_b - value_a of query q under a fresh label draw from g. */
static double
delta_draw(const pf_lb_opts *o, const pf_lb_query *q, pf_rng *g, work *w)
{
	draw_grades(q, g, o->agg, w);
	memcpy(w->qrels, w->gr, q->npairs * sizeof(int32_t));
	qsort(w->qrels, q->npairs, sizeof(int32_t), cmp_desc);
	return eval(o, q, q->rank_b, q->nret_b, w) -
	    eval(o, q, q->rank_a, q->nret_a, w);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
ci(double *v, size_t B, double alpha, double *lo, double *hi)
{
	qsort(v, B, sizeof(*v), cmp_double);
	*lo = pf_stats_quantile(v, B, alpha / 2.0);
	*hi = pf_stats_quantile(v, B, 1.0 - alpha / 2.0);
}

static int
sign(double x)
{
	return (x > 0) - (x < 0);
}

int
pf_lb_run(const pf_lb_query *q, size_t n, const pf_lb_opts *o,
    pf_lb_result *out, pf_err *err)
{
	size_t B = o->n_boot, maxret = 0, maxpairs = 0, maxlab = 0, nflip = 0;
	size_t nv = pf_te_spec_nvalues(o->spec);
	double *d = NULL, *bq = NULL, *bn = NULL, *bl = NULL, sum = 0;
	unsigned char *multi = NULL;
	int constant = 1, oom = 0;
	size_t bad = 0;
	pf_key kq = pf_rng_key(o->seed, o->id_a, o->id_b, PF_RNG_BOOT);
	pf_key kn = pf_rng_key(o->seed, PF_LB_LABELS, 0, 0);
	pf_key kl = pf_rng_key(o->seed, PF_LB_LABELS, 1, 0);

	memset(out, 0, sizeof(*out));
	if (B == 0 || n == 0)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "label bootstrap "
		    "needs resamples and queries");
	if ((d = malloc(n * sizeof(*d))) == NULL ||
	    (multi = calloc(n, 1)) == NULL ||
	    (bq = malloc(B * sizeof(*bq))) == NULL ||
	    (bn = malloc(B * sizeof(*bn))) == NULL ||
	    (bl = malloc(B * sizeof(*bl))) == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		d[i] = q[i].value_b - q[i].value_a;
		sum += d[i];
		constant &= d[i] == d[0];
		maxret = q[i].nret_a > maxret ? q[i].nret_a : maxret;
		maxret = q[i].nret_b > maxret ? q[i].nret_b : maxret;
		maxpairs = q[i].npairs > maxpairs ? q[i].npairs : maxpairs;
		for (size_t p = 0; p < q[i].npairs; p++) {
			size_t m = q[i].loff[p + 1] - q[i].loff[p];
			if (m == 0) {
				bad = i;
				goto nolabel;
			}
			multi[i] |= m > 1;
			maxlab = m > maxlab ? m : maxlab;
		}
		out->n_multi += multi[i];
	}
	out->delta = constant ? d[0] : sum / (double)n;
	pf_stats_boot_means(d, n, kq, B, bq);

#pragma omp parallel reduction(|:oom) reduction(+:nflip)
	{
		work w;
		int ok = work_new(&w, maxret, maxpairs, maxlab, nv) == 0;
		oom |= !ok;
#pragma omp for schedule(static)
		for (size_t r = 0; r < B; r++) {
			pf_rng g, lg;
			double acc = 0, accl = 0;

			if (!ok)
				continue;
			/* nested: the query bootstrap's draws, then labels */
			pf_rng_init(&g, kq, r);
			for (size_t i = 0; i < n; i++) {
				size_t j = n <= UINT32_MAX ?
				    pf_rng_below32(&g, (uint32_t)n) :
				    pf_rng_below(&g, n);
				if (!multi[j]) {
					acc += d[j];
					continue;
				}
				pf_rng_init(&lg, kn, (uint64_t)r * n + i);
				acc += delta_draw(o, &q[j], &lg, &w);
			}
			bn[r] = acc / (double)n;
			/* labels only */
			for (size_t j = 0; j < n; j++) {
				if (!multi[j]) {
					accl += d[j];
					continue;
				}
				pf_rng_init(&lg, kl, (uint64_t)r * n + j);
				accl += delta_draw(o, &q[j], &lg, &w);
			}
			bl[r] = accl / (double)n;
			nflip += sign(bl[r]) != sign(out->delta);
		}
		if (ok)
			work_free(&w);
	}
	if (oom)
		goto nomem;
	if (constant && out->n_multi == 0) {
		/* as pf_stats_compare_paired: a constant delta has [c, c] */
		out->q_lo = out->q_hi = out->n_lo = out->n_hi = out->l_lo =
		    out->l_hi = out->delta;
	} else {
		ci(bq, B, o->alpha, &out->q_lo, &out->q_hi);
		ci(bn, B, o->alpha, &out->n_lo, &out->n_hi);
		ci(bl, B, o->alpha, &out->l_lo, &out->l_hi);
	}
	out->flip = (double)nflip / (double)B;
	free(d);
	free(multi);
	free(bq);
	free(bn);
	free(bl);
	return PF_OK;
nolabel:
	free(d);
	free(multi);
	free(bq);
	free(bn);
	free(bl);
	return pf_err_set(err, PF_EINVAL, NULL, 0, "a judged pair of query %zu "
	    "has no labels", bad);
nomem:
	free(d);
	free(multi);
	free(bq);
	free(bn);
	free(bl);
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

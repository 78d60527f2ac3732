/*
 * harness/history/trend_points.c — each series night by night (trend.h):
 *  - value: the mean of the stack's finite per-query values that night
 *    (a relative goal: the mean paired delta, the night minus its
 *    reference run, on the queries both have), with a 95% percentile
 *    bootstrap CI (pf_stats_boot_means, B = resamples, keyed by (seed,
 *    the hash of stack and metric, the run id, or for a paired delta the
 *    pair of runs: pf_trend__pair), so the same numbers whatever else the
 *    page shows);
 *  - the step from the night before (metrics/changepoint.h) on the raw
 *    metric, keyed the same way by the two nights' runs, and the change
 *    points over the window (BH);
 *  - segments: for every dimension that has 2 to PF_TREND_MAXSEG distinct
 *    values over the window, each value's mean of the stack's metric
 *    night by night (the queries carrying that value that night);
 *  - streak: how many nights in a row up to the last the goal was missed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/internal.h"
#include "harness/history/trend.h"
#include "harness/util/arena.h"
#include "harness/util/progress.h"
#include "metrics/changepoint.h"
#include "metrics/rng.h"
#include "metrics/stats.h"

#define OOM(err)	pf_err_set((err), PF_ENOMEM, NULL, 0, "out of memory")
#define NEW(c, type, n)	((type *)pf_arena_alloc((c)->a, \
			    ((n) + 1) * sizeof(type), _Alignof(type)))

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
mean(const double *x, size_t n)
{
	double s = 0.0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return n > 0 ? s / (double)n : NAN;
}

/* The 95% percentile bootstrap CI of the mean of x (NaN for n = 0). */
static int
boot_ci(const pf_tctx *c, const double *x, size_t n, uint64_t a, uint64_t b,
    double *lo, double *hi, pf_err *err)
{
	size_t B = c->o->resamples;
	double *m;

	*lo = *hi = NAN;
	if (n == 0 || B == 0)
		return PF_OK;
	if ((m = malloc(B * sizeof(*m))) == NULL)
		return pf_err_nomem(err, NULL, B, sizeof(*m), "bootstrap means");
	pf_stats_boot_means(x, n, pf_rng_key(c->o->seed, a, b, PF_RNG_BOOT), B,
	    m);
	qsort(m, B, sizeof(*m), cmp_double);
	*lo = pf_stats_quantile(m, B, 0.025);
	*hi = pf_stats_quantile(m, B, 0.975);
	free(m);
	return PF_OK;
}

/* Series j's value on night i. */
static int
point_value(pf_tctx *c, size_t j, size_t i, pf_err *err)
{
	const pf_trend_series *s = &c->series[j];
	pf_trend_point *p = &c->pt[j][i];
	int64_t run = c->t->night[i].run;
	const pf_tqv *v, *ref;
	double *x, *y;
	size_t n;
	uint64_t id = (uint64_t)run;
	int rc;

	if ((rc = pf_tctx_values(c, run, s->stack, s->metric, &v, err)) !=
	    PF_OK)
		return rc;
	if (s->against == NULL) {
		x = v->v;
		n = v->n;
	} else {
		if (p->against_run == 0)
			return PF_OK;	/* no reference: unknown */
		if ((rc = pf_tctx_values(c, p->against_run, s->stack,
		    s->metric, &ref, err)) != PF_OK)
			return rc;
		if (pf_tqv_pair(c, v, ref, &x, &y, NULL, &n) != 0)
			return OOM(err);
		for (size_t q = 0; q < n; q++)
			x[q] -= y[q];
		id = pf_trend__pair(p->against_run, run);
	}
	p->n = n;
	p->value = mean(x, n);
	return boot_ci(c, x, n, pf_trend__hash(s->stack, s->metric, NULL), id,
	    &p->lo, &p->hi, err);
}

/* Series j's steps night over night, then the change points. */
static int
steps(pf_tctx *c, size_t j, pf_err *err)
{
	const pf_trend_series *s = &c->series[j];
	size_t nn = c->t->nnights;
	pf_cp_step *st = calloc(nn + 1, sizeof(*st));
	pf_stats_opts so;
	int rc = PF_OK;

	if (st == NULL)
		return OOM(err);
	pf_stats_opts_init(&so);
	so.n_boot = so.n_perm = c->o->resamples;
	so.seed = c->o->seed;
	so.id_a = pf_trend__hash(s->stack, s->metric, NULL);
	for (size_t i = 1; i < nn && rc == PF_OK; i++) {
		const pf_tqv *a, *b;
		double *x, *y;
		size_t n;
		so.id_b = pf_trend__pair(c->t->night[i - 1].run,
		    c->t->night[i].run);
		if ((rc = pf_tctx_values(c, c->t->night[i - 1].run, s->stack,
		    s->metric, &a, err)) != PF_OK ||
		    (rc = pf_tctx_values(c, c->t->night[i].run, s->stack,
		    s->metric, &b, err)) != PF_OK)
			break;
		if (pf_tqv_pair(c, a, b, &x, &y, NULL, &n) != 0) {
			rc = OOM(err);
			break;
		}
		rc = pf_cp_step_compare(x, y, n, &so, &st[i - 1], err);
	}
	if (rc == PF_OK && nn > 1)
		rc = pf_cp_flag(st, nn - 1, c->o->alpha, c->o->min_effect, err);
	for (size_t i = 1; i < nn && rc == PF_OK; i++) {
		pf_trend_point *p = &c->pt[j][i];
		p->d_n = st[i - 1].n;
		p->d = st[i - 1].delta;
		p->d_lo = st[i - 1].lo;
		p->d_hi = st[i - 1].hi;
		p->p = st[i - 1].p;
		p->q = st[i - 1].q;
		p->change = st[i - 1].change;
	}
	free(st);
	return rc;
}

typedef struct dv {
	const char	*dim, *value;
} dv;

static int
cmp_dv(const void *a, const void *b)
{
	const dv *x = a, *y = b;
	int k = strcmp(x->dim, y->dim);

	return k != 0 ? k : strcmp(x->value, y->value);
}

/*
 * The segments every night's dimensions name: distinct (dimension, value)
 * pairs, sorted, of dimensions with 2 to PF_TREND_MAXSEG values. *out is
 * malloc'd.
 */
static int
segment_keys(pf_tctx *c, dv **out, size_t *n, pf_err *err)
{
	size_t tot = 0, m = 0, k = 0;
	const pf_tdims *d;
	dv *v;
	int rc;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < c->t->nnights; i++) {
		if ((rc = pf_tctx_dims(c, i, &d, err)) != PF_OK)
			return rc;
		tot += d->n;
	}
	if ((v = malloc((tot + 1) * sizeof(*v))) == NULL)
		return OOM(err);
	for (size_t i = 0; i < c->t->nnights; i++)
		for (size_t r = 0; r < c->dims[i].n; r++)
			v[m++] = (dv){c->dims[i].r[r].dim, c->dims[i].r[r].value};
	qsort(v, m, sizeof(*v), cmp_dv);
	for (size_t r = 0; r < m; r++)
		if (k == 0 || cmp_dv(&v[r], &v[k - 1]) != 0)
			v[k++] = v[r];
	/* keep dimensions with 2..MAXSEG values (runs of one dim) */
	m = 0;
	for (size_t r = 0, e; r < k; r = e) {
		for (e = r + 1; e < k && strcmp(v[e].dim, v[r].dim) == 0; e++)
			;
		if (e - r >= 2 && e - r <= PF_TREND_MAXSEG)
			for (size_t x = r; x < e; x++)
				v[m++] = v[x];
	}
	*out = v;
	*n = m;
	return PF_OK;
}

/* The value of qid in v (binary search), NAN when absent. */
static double
lookup(const pf_tqv *v, const char *qid)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int k = strcmp(v->qid[mid], qid);
		if (k == 0)
			return v->v[mid];
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NAN;
}

/* One segment's mean of series j's stack and metric on night i. */
static int
segment_mean(pf_tctx *c, size_t j, size_t i, const dv *k, double *m,
    size_t *n, pf_err *err)
{
	const pf_trend_series *s = &c->series[j];
	const pf_tdims *d = &c->dims[i];
	const pf_tqv *v;
	double sum = 0.0;
	int rc;

	*n = 0;
	*m = NAN;
	if ((rc = pf_tctx_values(c, c->t->night[i].run, s->stack, s->metric,
	    &v, err)) != PF_OK)
		return rc;
	for (size_t r = 0; r < d->n; r++) {	/* qid order within (d, v) */
		double x;
		if (strcmp(d->r[r].dim, k->dim) != 0 ||
		    strcmp(d->r[r].value, k->value) != 0 ||
		    isnan(x = lookup(v, d->r[r].qid)))
			continue;
		sum += x;
		(*n)++;
	}
	if (*n > 0)
		*m = sum / (double)*n;
	return PF_OK;
}

static int
segments(pf_tctx *c, size_t j, const dv *keys, size_t nk, pf_err *err)
{
	size_t nn = c->t->nnights;
	pf_trend_seg *seg = NEW(c, pf_trend_seg, nk);
	int rc = PF_OK;

	if (seg == NULL)
		return OOM(err);
	for (size_t g = 0; g < nk && rc == PF_OK; g++) {
		double *m = NEW(c, double, nn);
		size_t *n = NEW(c, size_t, nn);
		if (m == NULL || n == NULL)
			return OOM(err);
		for (size_t i = 0; i < nn && rc == PF_OK; i++)
			rc = segment_mean(c, j, i, &keys[g], &m[i], &n[i], err);
		seg[g] = (pf_trend_seg){keys[g].dim, keys[g].value, m, n};
	}
	c->series[j].seg = seg;
	c->series[j].nseg = nk;
	return rc;
}

int
pf_trend__points(pf_tctx *c, pf_err *err)
{
	size_t nn = c->t->nnights, nk = 0;
	dv *keys = NULL;
	pf_progress pg;
	int rc;

	if ((rc = segment_keys(c, &keys, &nk, err)) != PF_OK)
		return rc;
	/* each series: a bootstrap per night, the change-point tests */
	pf_progress_start(&pg, c->o->progress, "trend", "series",
	    c->t->nseries);
	for (size_t j = 0; j < c->t->nseries && rc == PF_OK; j++,
	    pf_progress_step(&pg, 1)) {
		for (size_t i = 0; i < nn && rc == PF_OK; i++)
			rc = point_value(c, j, i, err);
		if (rc == PF_OK)
			rc = steps(c, j, err);
		if (rc == PF_OK)
			rc = segments(c, j, keys, nk, err);
		size_t k = 0;
		while (k < nn && c->pt[j][nn - 1 - k].status == PF_TG_MISSED)
			k++;
		c->series[j].streak = k;
	}
	pf_progress_end(&pg);
	free(keys);
	return rc;
}

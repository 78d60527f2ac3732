/*
 * harness/history/trend_compare.c — what changed between two nights, the
 * comparison summary.md leads with (trend.h, README "preflight trend"):
 *
 *  - focus: the first series (in the page's order) whose goal is missed
 *    on the last night; else the series with the latest change point;
 *    else the first series;
 *  - base: the night before the focus goal's current run of misses (when
 *    it was not missed on every night); else the night before the focus
 *    series' latest change point; else the night before the last;
 *  - on the focus stack and metric, paired on the queries both nights
 *    have: the overall change with its bootstrap CI; per dimension value
 *    of the last night (dimensions with 2 to PF_TREND_MAXSEG values
 *    there) the change, its CI (from seg_min queries) and its share of the
 *    overall change (sum over the segment / sum over all), the segments
 *    that lost ordered by how much they lost in total (their contribution,
 *    METHODS.md §11); the queries that lost most;
 *  - gates and expectations failing (fail or error) on the last night that
 *    did not fail on the base night;
 *  - features of every stack whose PSI (metrics/drift.h; the base night
 *    is the reference) is >= psi_flag or whose missing rate moved by
 *    >= miss_jump;
 *  - inputs whose sha256 differs (matched by role and path, then in path
 *    order within a role), or that only one night read.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/internal.h"
#include "harness/history/trend.h"
#include "harness/util/arena.h"
#include "harness/util/grow.h"
#include "metrics/drift.h"
#include "metrics/rng.h"
#include "metrics/stats.h"

#define OOM(err)	pf_err_set((err), PF_ENOMEM, NULL, 0, "out of memory")
#define NEW(c, type, n)	((type *)pf_arena_alloc((c)->a, \
			    ((n) + 1) * sizeof(type), _Alignof(type)))

/* The focus series and the base night (see the top of this file). */
static void
choose(pf_tctx *c)
{
	pf_trend *t = c->t;
	size_t last = t->nnights - 1, focus = 0, best = 0, base;
	int found = 0;
	char why[200];

	for (size_t j = 0; j < t->nseries && !found; j++)
		if (c->pt[j][last].status == PF_TG_MISSED) {
			focus = j;
			found = 1;
		}
	for (size_t j = 0; j < t->nseries && !found; j++)
		for (size_t i = last; i >= 1; i--)
			if (c->pt[j][i].change) {
				if (i > best) {
					best = i;
					focus = j;
				}
				break;
			}
	t->focus = focus;
	t->last = last;
	base = last > 0 ? last - 1 : 0;
	snprintf(why, sizeof(why), "%s", last > 0 ? "the night before" :
	    "one night: no trend yet");
	const pf_trend_series *s = t->nseries ? &t->series[focus] : NULL;
	if (s != NULL && found && s->streak < t->nnights) {
		base = last - s->streak;
		snprintf(why, sizeof(why), "the last night before the goal was "
		    "missed (%zu night%s in a row)", s->streak, s->streak == 1 ?
		    "" : "s");
	} else if (s != NULL)
		for (size_t i = last; i >= 1; i--)
			if (s->pt[i].change) {
				base = i - 1;
				snprintf(why, sizeof(why), "the night before the "
				    "change point of night %zu", i + 1);
				break;
			}
	t->base = base;
	int oom = 0;
	t->base_why = pf_tctx_str(c, why, &oom);
}

typedef struct sd {
	pf_trend_segdrop	 d;
	double			 sum;
} sd;

static int
cmp_sd(const void *a, const void *b)
{
	const sd *x = a, *y = b;
	int k;

	if (x->sum != y->sum)
		return x->sum < y->sum ? -1 : 1;
	if ((k = strcmp(x->d.dim, y->d.dim)) != 0)
		return k;
	return strcmp(x->d.value, y->d.value);
}

/* Index of qid in the sorted q[0..n), or -1. */
static long
find(const char *const *q, size_t n, const char *qid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int k = strcmp(q[mid], qid);
		if (k == 0)
			return (long)mid;
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The paired change of the n queries idx[] (x before, y after). */
static int
change_of(const pf_tctx *c, const double *x, const double *y,
    const size_t *idx, size_t n, uint64_t id, sd *out, pf_err *err)
{
	double *a = malloc((n + 1) * sizeof(*a)), *b = malloc((n + 1) *
	    sizeof(*b));
	pf_stats_opts so;
	pf_stats_cmp cmp;
	int rc = PF_OK;

	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return OOM(err);
	}
	out->sum = 0.0;
	for (size_t i = 0; i < n; i++) {
		a[i] = x[idx[i]];
		b[i] = y[idx[i]];
		out->sum += b[i] - a[i];
	}
	out->d.n = n;
	out->d.delta = n > 0 ? out->sum / (double)n : NAN;
	out->d.lo = out->d.hi = NAN;
	if (n >= c->o->seg_min && n > 0) {
		pf_stats_opts_init(&so);
		so.n_boot = c->o->resamples;
		so.n_perm = 0;
		so.seed = c->o->seed;
		so.id_a = id;
		so.id_b = pf_trend__pair(c->t->night[c->t->base].run,
		    c->t->night[c->t->last].run);
		if ((rc = pf_stats_compare_paired(a, b, n, &so, &cmp, err)) ==
		    PF_OK) {
			out->d.lo = cmp.ci_lo;
			out->d.hi = cmp.ci_hi;
		}
	}
	free(a);
	free(b);
	return rc;
}

/* The segments of the last night's dimensions, over the common queries. */
static int
segdrops(pf_tctx *c, const char *const *qid, const double *x,
    const double *y, size_t n, double total, pf_err *err)
{
	const pf_tdims *d;
	size_t *idx = malloc((n + 1) * sizeof(*idx)), m = 0, ns = 0;
	sd *v = NULL;
	int rc;

	if (idx == NULL)
		return OOM(err);
	if ((rc = pf_tctx_dims(c, c->t->last, &d, err)) != PF_OK ||
	    (v = calloc(d->n + 1, sizeof(*v))) == NULL) {
		free(idx);
		return rc != PF_OK ? rc : OOM(err);
	}
	/* rows sorted by dimension, value, qid: one run per segment */
	for (size_t r = 0, e; r < d->n && rc == PF_OK; r = e) {
		size_t vals = 0;
		for (e = r; e < d->n && !strcmp(d->r[e].dim, d->r[r].dim); e++)
			vals += e == r || strcmp(d->r[e].value,
			    d->r[e - 1].value) != 0;
		if (vals < 2 || vals > PF_TREND_MAXSEG)
			continue;
		for (size_t a = r, b; a < e && rc == PF_OK; a = b) {
			m = 0;
			for (b = a; b < e && !strcmp(d->r[b].value,
			    d->r[a].value); b++) {
				long k = find(qid, n, d->r[b].qid);
				if (k >= 0)
					idx[m++] = (size_t)k;
			}
			if (m == 0)
				continue;
			v[ns].d.dim = d->r[a].dim;
			v[ns].d.value = d->r[a].value;
			rc = change_of(c, x, y, idx, m, pf_trend__hash(d->r[a].dim,
			    d->r[a].value, c->t->series[c->t->focus].stack),
			    &v[ns], err);
			v[ns].d.share = total != 0 ? v[ns].sum / total : NAN;
			if (v[ns].sum < 0)
				ns++;
		}
	}
	free(idx);
	qsort(v, ns, sizeof(*v), cmp_sd);
	pf_trend_segdrop *out = NEW(c, pf_trend_segdrop, ns);
	if (rc == PF_OK && out == NULL)
		rc = OOM(err);
	for (size_t i = 0; rc == PF_OK && i < ns; i++)
		out[i] = v[i].d;
	c->t->segdrop = out;
	c->t->nsegdrop = rc == PF_OK ? ns : 0;
	free(v);
	return rc;
}

static int
cmp_qd(const void *a, const void *b)
{
	const pf_trend_qdrop *x = a, *y = b;
	double dx = x->after - x->before, dy = y->after - y->before;

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x->qid, y->qid);
}

/* The focus series, base against last: overall, segments, queries. */
static int
performance(pf_tctx *c, pf_err *err)
{
	pf_trend *t = c->t;
	const pf_trend_series *s = &t->series[t->focus];
	const pf_tqv *a, *b;
	const char **qid;
	double *x, *y, total = 0.0;
	size_t n, nd = 0, *all;
	pf_trend_qdrop *qd;
	sd o;
	int rc;

	t->delta = t->lo = t->hi = NAN;
	if ((rc = pf_tctx_values(c, t->night[t->base].run, s->stack, s->metric,
	    &a, err)) != PF_OK || (rc = pf_tctx_values(c,
	    t->night[t->last].run, s->stack, s->metric, &b, err)) != PF_OK)
		return rc;
	if (pf_tqv_pair(c, a, b, &x, &y, &qid, &n) != 0 ||
	    (all = malloc((n + 1) * sizeof(*all))) == NULL)
		return OOM(err);
	for (size_t i = 0; i < n; i++) {
		all[i] = i;
		total += y[i] - x[i];
	}
	t->ncommon = n;
	/* keyed as the series' own paired bootstraps (pf_trend__pair) */
	if ((rc = change_of(c, x, y, all, n, pf_trend__hash(s->stack,
	    s->metric, NULL), &o, err)) == PF_OK) {
		t->delta = o.d.delta;
		t->lo = o.d.lo;
		t->hi = o.d.hi;
		rc = segdrops(c, qid, x, y, n, total, err);
	}
	free(all);
	if (rc != PF_OK)
		return rc;
	if ((qd = NEW(c, pf_trend_qdrop, n)) == NULL)
		return OOM(err);
	for (size_t i = 0; i < n; i++)
		if (y[i] < x[i])
			qd[nd++] = (pf_trend_qdrop){qid[i], x[i], y[i]};
	qsort(qd, nd, sizeof(*qd), cmp_qd);
	t->qdrop = qd;
	t->nqdrop = nd < c->o->nqdrop ? nd : c->o->nqdrop;
	return PF_OK;
}

static int
failing(const char *st)
{
	return st != NULL && (!strcmp(st, "fail") || !strcmp(st, "error"));
}

static int
cmp_broken(const void *a, const void *b)
{
	const pf_trend_broken *x = a, *y = b;
	int k;

	if ((k = strcmp(x->kind, y->kind)) != 0 ||
	    (k = strcmp(x->gate, y->gate)) != 0)
		return k;
	return strcmp(x->what ? x->what : "", y->what ? y->what : "");
}

/* Gates and expectations failing now that did not fail on the base. */
static int
broken(pf_tctx *c, pf_err *err)
{
	pf_hist_table tb = {0}, tl = {0};
	pf_trend_broken *out;
	size_t n = 0;
	int rc, oom = 0;

	if ((rc = pf_history_gate_results(c->h, c->t->night[c->t->base].run,
	    &tb, err)) != PF_OK || (rc = pf_history_gate_results(c->h,
	    c->t->night[c->t->last].run, &tl, err)) != PF_OK) {
		pf_hist_table_free(&tb);
		return rc;
	}
	if ((out = NEW(c, pf_trend_broken, tl.nrows)) == NULL)
		oom = 1;
	for (size_t r = 0; !oom && r < tl.nrows; r++) {
		int was = 0;
		if (!failing(pf_hist_cell(&tl, r, 3)))
			continue;
		for (size_t q = 0; q < tb.nrows && !was; q++)
			was = failing(pf_hist_cell(&tb, q, 3)) &&
			    !strcmp(pf_hist_cell(&tb, q, 0),
			    pf_hist_cell(&tl, r, 0)) &&
			    !strcmp(pf_hist_cell(&tb, q, 1),
			    pf_hist_cell(&tl, r, 1)) &&
			    !strcmp(pf_hist_cell(&tb, q, 2) ? pf_hist_cell(&tb, q,
			    2) : "", pf_hist_cell(&tl, r, 2) ?
			    pf_hist_cell(&tl, r, 2) : "");
		if (!was && c->t->base != c->t->last)
			out[n++] = (pf_trend_broken){pf_tctx_str(c,
			    pf_hist_cell(&tl, r, 0), &oom), pf_tctx_str(c,
			    pf_hist_cell(&tl, r, 1), &oom), pf_tctx_str(c,
			    pf_hist_cell(&tl, r, 2), &oom), pf_tctx_str(c,
			    pf_hist_cell(&tl, r, 4), &oom)};
	}
	pf_hist_table_free(&tb);
	pf_hist_table_free(&tl);
	if (oom)
		return OOM(err);
	qsort(out, n, sizeof(*out), cmp_broken);
	c->t->broken = out;
	c->t->nbroken = n;
	return PF_OK;
}

int
pf_trend__compare(pf_tctx *c, pf_err *err)
{
	int rc;

	choose(c);
	if (c->t->base_why == NULL)
		return OOM(err);
	if (c->t->base == c->t->last)
		return PF_OK;	/* one night: nothing to compare */
	if ((c->t->nseries > 0 && (rc = performance(c, err)) != PF_OK) ||
	    (rc = broken(c, err)) != PF_OK ||
	    (rc = pf_trend__drift(c, err)) != PF_OK)
		return rc;
	return pf_trend__inputs(c, err);
}

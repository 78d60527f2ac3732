/*
 * harness/history/trend.c — a scenario's nights read back from the
 * history into the trend model (trend.h has the definitions; README
 * "preflight trend" the user's view): the nights, the series (goals, or
 * the primary metric of every stack), each night's value with its
 * bootstrap CI and goal status, the night-over-night change points and
 * the per-segment means. The comparison summary.md leads with is
 * trend_compare.c's.
 *
 * Everything the model points to lives in one arena. Per-query values
 * are read once per (run, stack, metric) and kept sorted by qid (strcmp,
 * not the database's collation, so SQLite and PostgreSQL give the same
 * order); every sum runs in that order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/internal.h"
#include "harness/history/trend.h"
#include "harness/util/arena.h"
#include "harness/util/grow.h"
#include "metrics/changepoint.h"
#include "metrics/rng.h"
#include "metrics/stats.h"

#define OOM(err)	pf_err_set((err), PF_ENOMEM, NULL, 0, "out of memory")
#define NEW(c, type, n)	((type *)pf_arena_alloc((c)->a, \
			    ((n) + 1) * sizeof(type), _Alignof(type)))

struct pf_tcache {
	int64_t		 run;
	const char	*stack, *metric;
	pf_tqv		 v;
};

void
pf_trend_opts_init(pf_trend_opts *o)
{
	*o = (pf_trend_opts){.resamples = 2000, .seed = 1, .alpha = 0.05,
	    .min_effect = 0.01, .psi_flag = 0.1, .miss_jump = 0.05,
	    .seg_min = 5, .nqdrop = 10};
}

static int
leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
pf_trend_parse_since(const char *s, char out[21], pf_err *err)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	long y, mo, d, hh = 0, mi = 0, ss = 0;
	size_t n = strlen(s);
	int ok = n == 10 || n == 20;

	for (size_t i = 0; ok && i < n; i++) {
		const char *pat = "dddd-dd-ddTdd:dd:ddZ";
		ok = pat[i] == 'd' ? s[i] >= '0' && s[i] <= '9' : s[i] == pat[i];
	}
	if (ok) {
		y = strtol(s, NULL, 10);
		mo = strtol(s + 5, NULL, 10);
		d = strtol(s + 8, NULL, 10);
		if (n == 20) {
			hh = strtol(s + 11, NULL, 10);
			mi = strtol(s + 14, NULL, 10);
			ss = strtol(s + 17, NULL, 10);
		}
		ok = mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] +
		    (mo == 2 && leap(y)) && hh < 24 && mi < 60 && ss < 60;
	}
	if (!ok)
		return pf_err_set(err, PF_EINVAL, "--since", 0, "expected a UTC "
		    "date YYYY-MM-DD or time YYYY-MM-DDTHH:MM:SSZ, got '%s'", s);
	memcpy(out, s, 10);	/* a date alone is its midnight */
	memcpy(out + 10, n == 20 ? s + 10 : "T00:00:00Z", 10);
	out[20] = '\0';
	return PF_OK;
}

uint64_t
pf_trend__hash(const char *a, const char *b, const char *c)
{
	const char *s[] = {a, b, c};
	uint64_t x = UINT64_C(14695981039346656037);

	for (size_t i = 0; i < 3; i++) {
		for (const char *p = s[i] ? s[i] : ""; *p; p++)
			x = (x ^ (unsigned char)*p) * UINT64_C(1099511628211);
		x = (x ^ 0xff) * UINT64_C(1099511628211);	/* separator */
	}
	return x;
}

const char *
pf_tctx_str(pf_tctx *c, const char *s, int *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = pf_arena_strndup(c->a, s, strlen(s))) == NULL)
		*oom = 1;
	return d;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}


/* Reads (run, stack, metric) into v: finite values, sorted by qid. */
static int
read_values(pf_tctx *c, int64_t run, const char *stack, const char *metric,
    pf_tqv *v, pf_err *err)
{
	pf_hist_qvalues q;
	pf_hqv *tmp;
	int rc, oom = 0;

	if ((rc = pf_history_query_values(c->h, run, stack, metric, &q,
	    err)) != PF_OK)
		return rc;
	tmp = malloc((q.n + 1) * sizeof(*tmp));
	v->qid = NEW(c, const char *, q.n);
	v->v = NEW(c, double, q.n);
	v->n = 0;
	if (tmp == NULL || v->qid == NULL || v->v == NULL) {
		free(tmp);
		pf_hist_qvalues_free(&q);
		return OOM(err);
	}
	for (size_t i = 0; i < q.n; i++)
		if (isfinite(q.value[i]))
			tmp[v->n++] = (pf_hqv){q.qid[i], q.value[i]};
	qsort(tmp, v->n, sizeof(*tmp), pf_hqv_cmp);
	for (size_t i = 0; i < v->n; i++) {
		v->qid[i] = pf_tctx_str(c, tmp[i].qid, &oom);
		v->v[i] = tmp[i].v;
	}
	free(tmp);
	pf_hist_qvalues_free(&q);
	return oom ? OOM(err) : PF_OK;
}

int
pf_tctx_values(pf_tctx *c, int64_t run, const char *stack, const char *metric,
    const pf_tqv **out, pf_err *err)
{
	pf_tcache *e;
	int rc;

	for (size_t i = 0; i < c->ncache; i++) {
		e = &c->cache[i];
		if (e->run == run && strcmp(e->stack, stack) == 0 &&
		    strcmp(e->metric, metric) == 0) {
			*out = &e->v;
			return PF_OK;
		}
	}
	if ((e = pf_grow(c->cache, &c->capcache, c->ncache + 1,
	    sizeof(*e))) == NULL)
		return OOM(err);
	c->cache = e;
	e = &c->cache[c->ncache];
	*e = (pf_tcache){run, stack, metric, {0}};
	if ((rc = read_values(c, run, stack, metric, &e->v, err)) != PF_OK)
		return rc;
	c->ncache++;
	*out = &e->v;
	return PF_OK;
}

int
pf_tqv_pair(pf_tctx *c, const pf_tqv *a, const pf_tqv *b, double **pa,
    double **pb, const char ***qid, size_t *n)
{
	size_t cap = a->n < b->n ? a->n : b->n, m = 0;
	double *x = NEW(c, double, cap), *y = NEW(c, double, cap);
	const char **q = qid ? NEW(c, const char *, cap) : NULL;

	if (x == NULL || y == NULL || (qid != NULL && q == NULL))
		return -1;
	for (size_t i = 0, j = 0; i < a->n && j < b->n;) {
		int k = strcmp(a->qid[i], b->qid[j]);
		if (k == 0) {
			if (q != NULL)
				q[m] = a->qid[i];
			x[m] = a->v[i++];
			y[m++] = b->v[j++];
		} else if (k < 0)
			i++;
		else
			j++;
	}
	*pa = x;
	*pb = y;
	if (qid != NULL)
		*qid = q;
	*n = m;
	return 0;
}

static int
cmp_tdim(const void *a, const void *b)
{
	const pf_tdim *x = a, *y = b;
	int k;

	if ((k = strcmp(x->dim, y->dim)) != 0 ||
	    (k = strcmp(x->value, y->value)) != 0)
		return k;
	return strcmp(x->qid, y->qid);
}

int
pf_tctx_dims(pf_tctx *c, size_t i, const pf_tdims **out, pf_err *err)
{
	pf_tdims *d = &c->dims[i];
	pf_hist_table t;
	int rc, oom = 0;

	*out = d;
	if (d->loaded)
		return PF_OK;
	if ((rc = pf_history_query_dims(c->h, c->t->night[i].run, &t, err)) !=
	    PF_OK)
		return rc;
	oom = (d->r = NEW(c, pf_tdim, t.nrows)) == NULL;
	for (size_t r = 0; !oom && r < t.nrows; r++)
		d->r[r] = (pf_tdim){pf_tctx_str(c, pf_hist_cell(&t, r, 0),
		    &oom), pf_tctx_str(c, pf_hist_cell(&t, r, 1), &oom),
		    pf_tctx_str(c, pf_hist_cell(&t, r, 2), &oom)};
	d->n = oom ? 0 : t.nrows;
	d->loaded = 1;
	pf_hist_table_free(&t);
	if (oom)
		return OOM(err);
	qsort(d->r, d->n, sizeof(*d->r), cmp_tdim);
	return PF_OK;
}

/* The scenario to trend: o->scenario, or the only one runs holds. */
static int
pick_scenario(pf_tctx *c, const pf_hist_runs *all, const char **out,
    pf_err *err)
{
	const char **names = NULL;
	size_t n = 0;
	char list[400] = "";

	*out = c->o->scenario;
	if (*out != NULL || all->n == 0)
		return PF_OK;
	if ((names = malloc(all->n * sizeof(*names))) == NULL)
		return OOM(err);
	for (size_t i = 0; i < all->n; i++)
		names[i] = all->v[i].scenario;
	qsort(names, all->n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < all->n; i++)
		if (i == 0 || strcmp(names[i], names[i - 1]) != 0) {
			size_t l = strlen(list);
			snprintf(list + l, sizeof(list) - l, "%s%s", n ? ", " :
			    "", names[i]);
			names[n++] = names[i];
		}
	*out = names[0];
	free(names);
	if (n > 1)
		return pf_err_set(err, PF_EDATA, pf_history_shown(c->h), 0, "the "
		    "history holds runs of %zu scenarios (%s): name one with "
		    "--scenario", n, list);
	return PF_OK;
}

/* The nights: the scenario's runs at or after since, oldest first. */
static int
load_nights(pf_tctx *c, pf_err *err)
{
	pf_hist_runs all = {0};
	pf_trend_night *nv;
	const char *scn = NULL;
	size_t n = 0, before = 0;
	int rc, oom = 0;

	if ((rc = pf_history_list(c->h, c->o->scenario, &all, err)) != PF_OK ||
	    (rc = pick_scenario(c, &all, &scn, err)) != PF_OK)
		goto done;
	if (all.n == 0) {
		rc = pf_err_set(err, PF_EDATA, pf_history_shown(c->h), 0, "no "
		    "run of %s%s%s is stored: nothing to trend", scn ?
		    "scenario '" : "any scenario", scn ? scn : "", scn ? "'" :
		    "");
		goto done;
	}
	c->t->scenario = pf_tctx_str(c, scn, &oom);
	if ((nv = NEW(c, pf_trend_night, all.n)) == NULL) {
		rc = OOM(err);
		goto done;
	}
	for (size_t i = 0; i < all.n; i++) {
		const pf_hist_runinfo *r = &all.v[i];
		if (c->o->since != NULL && strcmp(r->time, c->o->since) < 0) {
			before++;
			continue;
		}
		nv[n++] = (pf_trend_night){r->id, pf_tctx_str(c, r->time, &oom),
		    pf_tctx_str(c, r->labels, &oom), pf_tctx_str(c, r->verdict,
		    &oom), r->exit_code, r->gates_failed, r->nqueries};
	}
	if (n == 0)
		rc = pf_err_set(err, PF_EDATA, pf_history_shown(c->h), 0, "no "
		    "run of scenario '%s' since %s (%zu before it, the last at "
		    "%s)", scn, c->o->since, before, all.v[all.n - 1].time);
	else if (oom)
		rc = OOM(err);
	c->t->night = nv;
	c->t->nnights = n;
done:
	pf_hist_runs_free(&all);
	return rc;
}

/* A series being collected: its key and per-night goal rows. */
typedef struct skey {
	const char	*metric, *stack, *against;
} skey;

static int
cmp_skey(const void *a, const void *b)
{
	const skey *x = a, *y = b;
	int k;

	if ((k = strcmp(x->metric, y->metric)) != 0 ||
	    (k = strcmp(x->stack, y->stack)) != 0)
		return k;
	return strcmp(x->against ? x->against : "", y->against ? y->against :
	    "");
}

static double
cell_num(const pf_hist_table *t, size_t r, size_t col)
{
	const char *v = pf_hist_cell(t, r, col);

	return v != NULL ? strtod(v, NULL) : NAN;
}

/* Adds the distinct goal keys of night i to *keys. */
static int
goal_keys(pf_tctx *c, size_t i, skey **keys, size_t *n, size_t *cap,
    pf_err *err)
{
	pf_hist_table t;
	int rc, oom = 0;

	if ((rc = pf_history_goals(c->h, c->t->night[i].run, &t, err)) !=
	    PF_OK)
		return rc;
	for (size_t r = 0; r < t.nrows && !oom; r++) {
		skey k = {pf_hist_cell(&t, r, 0), pf_hist_cell(&t, r, 1),
		    pf_hist_cell(&t, r, 8)};
		size_t j;
		for (j = 0; j < *n && cmp_skey(&k, &(*keys)[j]) != 0; j++)
			;
		if (j < *n)
			continue;
		skey *nk = pf_grow(*keys, cap, *n + 1, sizeof(*nk));
		if (nk == NULL) {
			oom = 1;
			break;
		}
		*keys = nk;
		nk[(*n)++] = (skey){pf_tctx_str(c, k.metric, &oom),
		    pf_tctx_str(c, k.stack, &oom), pf_tctx_str(c, k.against,
		    &oom)};
	}
	pf_hist_table_free(&t);
	return oom ? OOM(err) : PF_OK;
}

/* With no goal anywhere: the last night's primary metric, every stack. */
static int
primary_keys(pf_tctx *c, skey **keys, size_t *n, pf_err *err)
{
	pf_hist_runs r;
	pf_hist_table t;
	const char *primary;
	int rc, oom = 0;

	if ((rc = pf_history_run(c->h, c->t->night[c->t->nnights - 1].run, &r,
	    err)) != PF_OK)
		return rc;
	primary = r.n > 0 ? pf_tctx_str(c, r.v[0].primary, &oom) : NULL;
	pf_hist_runs_free(&r);
	if (primary == NULL)
		return oom ? OOM(err) : PF_OK;
	if ((rc = pf_history_stack_metrics(c->h,
	    c->t->night[c->t->nnights - 1].run, &t, err)) != PF_OK)
		return rc;
	/* rows in stack position order: the control first */
	if ((*keys = calloc(t.nrows + 1, sizeof(**keys))) == NULL) {
		pf_hist_table_free(&t);
		return OOM(err);
	}
	for (size_t i = 0; i < t.nrows; i++)
		if (strcmp(pf_hist_cell(&t, i, 1), primary) == 0)
			(*keys)[(*n)++] = (skey){primary, pf_tctx_str(c,
			    pf_hist_cell(&t, i, 0), &oom), NULL};
	pf_hist_table_free(&t);
	return oom ? OOM(err) : PF_OK;
}

/* Status priority when a night has several rows of one series. */
static int
worse(int a, int b)
{
	static const int rank[] = {0, 1, 3, 2};	/* none met missed unknown */

	return rank[a] >= rank[b] ? a : b;
}

/* Night i's goal rows into the points of the series they belong to. */
static int
goal_points(pf_tctx *c, size_t i, pf_err *err)
{
	pf_hist_table t;
	int rc;

	if ((rc = pf_history_goals(c->h, c->t->night[i].run, &t, err)) !=
	    PF_OK)
		return rc;
	for (size_t r = 0; r < t.nrows; r++) {
		skey k = {pf_hist_cell(&t, r, 0), pf_hist_cell(&t, r, 1),
		    pf_hist_cell(&t, r, 8)};
		const char *st = pf_hist_cell(&t, r, 10);
		int s = st == NULL ? PF_TG_UNKNOWN : !strcmp(st, "met") ?
		    PF_TG_MET : !strcmp(st, "missed") ? PF_TG_MISSED :
		    PF_TG_UNKNOWN;
		int rel = k.against != NULL;
		double lo = cell_num(&t, r, rel ? 6 : 2);
		double hi = cell_num(&t, r, rel ? 7 : 3);
		for (size_t j = 0; j < c->t->nseries; j++) {
			skey sk = {c->series[j].metric, c->series[j].stack,
			    c->series[j].against};
			pf_trend_point *p = &c->pt[j][i];
			if (cmp_skey(&k, &sk) != 0)
				continue;
			p->status = worse(p->status, s);
			/* several bounds: the tightest */
			if (isfinite(lo) && !(p->gmin >= lo))
				p->gmin = lo;
			if (isfinite(hi) && !(p->gmax <= hi))
				p->gmax = hi;
			if (rel && pf_hist_cell(&t, r, 9) != NULL)
				p->against_run = strtoll(pf_hist_cell(&t, r,
				    9), NULL, 10);
		}
	}
	pf_hist_table_free(&t);
	return PF_OK;
}

/* The series: goal keys over every night (sorted), else the primary. */
static int
make_series(pf_tctx *c, pf_err *err)
{
	skey *keys = NULL;
	size_t n = 0, cap = 0, nn = c->t->nnights;
	int rc = PF_OK;

	for (size_t i = 0; i < nn && rc == PF_OK; i++)
		rc = goal_keys(c, i, &keys, &n, &cap, err);
	c->t->goals_declared = n > 0;
	if (rc == PF_OK && n == 0)
		rc = primary_keys(c, &keys, &n, err);
	if (rc != PF_OK) {
		free(keys);
		return rc;
	}
	qsort(keys, n, sizeof(*keys), cmp_skey);
	c->series = NEW(c, pf_trend_series, n);
	c->pt = NEW(c, pf_trend_point *, n);
	int oom = c->series == NULL || c->pt == NULL;
	for (size_t j = 0; !oom && j < n; j++) {
		c->series[j] = (pf_trend_series){keys[j].metric, keys[j].stack,
		    c->t->goals_declared, keys[j].against, NULL, NULL, 0, 0};
		if ((c->pt[j] = NEW(c, pf_trend_point, nn)) == NULL) {
			oom = 1;
			break;
		}
		for (size_t i = 0; i < nn; i++)
			c->pt[j][i] = (pf_trend_point){NAN, NAN, NAN, 0,
			    PF_TG_NONE, NAN, NAN, 0, 0, NAN, NAN, NAN, NAN, NAN,
			    0};
		c->series[j].pt = c->pt[j];
	}
	free(keys);
	if (oom)
		return OOM(err);
	c->t->series = c->series;
	c->t->nseries = n;
	for (size_t i = 0; i < nn && c->t->goals_declared && rc == PF_OK; i++)
		rc = goal_points(c, i, err);
	return rc;
}

int
pf_trend_build(pf_trend_doc **out, pf_history *h, const pf_trend_opts *o,
    pf_err *err)
{
	pf_trend_doc *d = calloc(1, sizeof(*d));
	pf_tctx c = {.h = h, .o = o, .t = d ? &d->t : NULL};
	int rc, oom = 0;

	*out = NULL;
	if (d == NULL || (c.a = pf_arena_new(1 << 16)) == NULL) {
		free(d);
		return OOM(err);
	}
	d->own = c.a;
	d->t = (pf_trend){.db = pf_tctx_str(&c, pf_history_shown(h), &oom),
	    .since = pf_tctx_str(&c, o->since, &oom), .note = o->note,
	    .generated = o->generated, .version = PF_VERSION,
	    .resamples = o->resamples, .seed = o->seed, .alpha = o->alpha,
	    .min_effect = o->min_effect, .psi_flag = o->psi_flag,
	    .miss_jump = o->miss_jump, .seg_min = o->seg_min,
	    .links = o->links, .nlinks = o->nlinks};
	if (oom) {
		rc = OOM(err);
		goto fail;
	}
	if ((rc = load_nights(&c, err)) != PF_OK ||
	    (rc = make_series(&c, err)) != PF_OK)
		goto fail;
	if ((c.dims = NEW(&c, pf_tdims, d->t.nnights)) == NULL) {
		rc = OOM(err);
		goto fail;
	}
	memset(c.dims, 0, (d->t.nnights + 1) * sizeof(*c.dims));
	if ((rc = pf_trend__points(&c, err)) != PF_OK ||
	    (rc = pf_trend__compare(&c, err)) != PF_OK)
		goto fail;
	free(c.cache);
	*out = d;
	return PF_OK;
fail:
	free(c.cache);
	pf_trend_doc_free(d);
	return rc;
}

void
pf_trend_doc_free(pf_trend_doc *d)
{
	if (d == NULL)
		return;
	pf_arena_free(d->own);
	free(d);
}

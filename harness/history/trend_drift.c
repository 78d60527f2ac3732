/*
 * harness/history/trend_drift.c — between the base night and the last
 * (trend_compare.c says which they are): the features whose statistics
 * moved, and the inputs whose sha256 changed.
 *
 * Drift: every (stack, feature) both nights stored (feature_stats), its
 * PSI with the base night as the reference (metrics/drift.h, from the two
 * 33-point quantile sketches and missing rates) and the missing rates;
 * kept when PSI >= psi_flag or the missing rate moved by >= miss_jump
 * (absolute, 0.05 = 5 points), largest PSI first (not computable last),
 * then the larger missing-rate move, then stack and feature id.
 *
 * Inputs: the rows (role, path, sha256) of both nights, matched by role
 * and path, then what is left of a role paired in path order (a model
 * file renamed); a pair is kept when the sha256 differs (the same bytes
 * read from another path are no change), an unpaired row as added or
 * removed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/internal.h"
#include "harness/history/trend.h"
#include "harness/util/arena.h"
#include "metrics/drift.h"
#include "reports/featname.h"

#define OOM(err)	pf_err_set((err), PF_ENOMEM, NULL, 0, "out of memory")
#define NEW(c, type, n)	((type *)pf_arena_alloc((c)->a, \
			    ((n) + 1) * sizeof(type), _Alignof(type)))

/* A quantiles cell, "[v,v,...]" with null for NaN, into q[PF_HIST_NQUANT];
   -1 unless it holds exactly that many numbers. */
static int
parse_quantiles(const char *s, double *q)
{
	size_t k = 0;

	if (s == NULL || *s++ != '[')
		return -1;
	while (k < PF_HIST_NQUANT) {
		char *end;
		if (strncmp(s, "null", 4) == 0) {
			q[k++] = NAN;
			s += 4;
		} else {
			q[k++] = strtod(s, &end);
			if (end == s)
				return -1;
			s = end;
		}
		if (*s != (k < PF_HIST_NQUANT ? ',' : ']'))
			return -1;
		s++;
	}
	return *s == '\0' ? 0 : -1;
}

static double
num(const pf_hist_table *t, size_t r, size_t col)
{
	const char *v = pf_hist_cell(t, r, col);

	return v != NULL ? strtod(v, NULL) : NAN;
}

typedef struct dr {
	pf_trend_drift	 d;
	long		 feature;
} dr;

static int
cmp_dr(const void *a, const void *b)
{
	const dr *x = a, *y = b;
	double jx = fabs(x->d.miss_after - x->d.miss_before);
	double jy = fabs(y->d.miss_after - y->d.miss_before);
	int k;

	if (isnan(x->d.psi) != isnan(y->d.psi))
		return isnan(x->d.psi) ? 1 : -1;
	if (!isnan(x->d.psi) && x->d.psi != y->d.psi)
		return x->d.psi > y->d.psi ? -1 : 1;
	if (jx != jy)
		return jx > jy ? -1 : 1;
	if ((k = strcmp(x->d.stack, y->d.stack)) != 0)
		return k;
	return (x->feature > y->feature) - (x->feature < y->feature);
}

/* Row r of last against its row in base (or none): into out when kept. */
static int
drift_row(pf_tctx *c, const pf_hist_table *tb, const pf_hist_table *tl,
    size_t r, dr *out)
{
	double qa[PF_HIST_NQUANT], qb[PF_HIST_NQUANT], psi = NAN;
	const char *stack = pf_hist_cell(tl, r, 0), *feat = pf_hist_cell(tl, r,
	    1);
	int oom = 0;
	size_t b;

	for (b = 0; b < tb->nrows; b++)
		if (!strcmp(pf_hist_cell(tb, b, 0), stack) &&
		    !strcmp(pf_hist_cell(tb, b, 1), feat))
			break;
	if (b == tb->nrows)
		return 0;	/* a new feature: nothing to compare with */
	double ma = num(tb, b, 5), mb = num(tl, r, 5);
	if (parse_quantiles(pf_hist_cell(tb, b, 10), qa) == 0 &&
	    parse_quantiles(pf_hist_cell(tl, r, 10), qb) == 0)
		psi = pf_drift_psi(qa, isfinite(ma) ? ma : 0, qb,
		    isfinite(mb) ? mb : 0, PF_HIST_NQUANT);	/* NaN: unusable */
	if (!(psi >= c->o->psi_flag) && !(fabs(mb - ma) >= c->o->miss_jump))
		return 0;
	long id = strtol(feat, NULL, 10);
	char lb[512];	/* shown as "name (id)", or "f<id>" */
	pf_feat_label(lb, sizeof(lb), pf_hist_cell(tl, r, 2), id);
	*out = (dr){{pf_tctx_str(c, stack, &oom), pf_tctx_str(c, lb, &oom),
	    psi, ma, mb}, id};
	return oom ? -1 : 1;
}

int
pf_trend__drift(pf_tctx *c, pf_err *err)
{
	pf_hist_table tb = {0}, tl = {0};
	pf_trend_drift *out;
	dr *v;
	size_t n = 0;
	int rc, k = 0;

	if ((rc = pf_history_feature_stats(c->h, c->t->night[c->t->base].run,
	    NULL, &tb, err)) != PF_OK || (rc = pf_history_feature_stats(c->h,
	    c->t->night[c->t->last].run, NULL, &tl, err)) != PF_OK) {
		pf_hist_table_free(&tb);
		return rc;
	}
	if ((v = calloc(tl.nrows + 1, sizeof(*v))) != NULL)
		for (size_t r = 0; r < tl.nrows && k >= 0; r++)
			if ((k = drift_row(c, &tb, &tl, r, &v[n])) > 0)
				n++;
	pf_hist_table_free(&tb);
	pf_hist_table_free(&tl);
	if (v == NULL || k < 0 || (out = NEW(c, pf_trend_drift, n)) == NULL) {
		free(v);
		return OOM(err);
	}
	qsort(v, n, sizeof(*v), cmp_dr);
	for (size_t i = 0; i < n; i++)
		out[i] = v[i].d;
	free(v);
	c->t->drift = out;
	c->t->ndrift = n;
	return PF_OK;
}

typedef struct in {
	const char	*role, *path, *sha;
	int		 used;
} in;

static int
cmp_in(const void *a, const void *b)
{
	const in *x = a, *y = b;
	int k = strcmp(x->role, y->role);

	return k != 0 ? k : strcmp(x->path, y->path);
}

/* A table's rows as in[] (borrowed strings), sorted by role, path. */
static in *
rows_of(const pf_hist_table *t)
{
	in *v = calloc(t->nrows + 1, sizeof(*v));

	for (size_t r = 0; v != NULL && r < t->nrows; r++)
		v[r] = (in){pf_hist_cell(t, r, 0), pf_hist_cell(t, r, 1),
		    pf_hist_cell(t, r, 2), 0};
	if (v != NULL)
		qsort(v, t->nrows, sizeof(*v), cmp_in);
	return v;
}

static void
add(pf_tctx *c, pf_trend_input *out, size_t *n, const in *a, const in *b,
    int *oom)
{
	if (a != NULL && b != NULL && !strcmp(a->sha, b->sha))
		return;	/* the same bytes, wherever they were read from */
	out[(*n)++] = (pf_trend_input){pf_tctx_str(c, a ? a->role : b->role,
	    oom), a ? pf_tctx_str(c, a->path, oom) : NULL, a ?
	    pf_tctx_str(c, a->sha, oom) : NULL, b ? pf_tctx_str(c, b->path,
	    oom) : NULL, b ? pf_tctx_str(c, b->sha, oom) : NULL};
}

/* The pairs and leftovers of x (base) and y (last), as the top says. */
static void
match(pf_tctx *c, in *x, size_t nx, in *y, size_t ny, pf_trend_input *out,
    size_t *n, int *oom)
{
	for (size_t i = 0; i < nx; i++)
		for (size_t j = 0; j < ny && !x[i].used; j++)
			if (!y[j].used && !cmp_in(&x[i], &y[j])) {
				x[i].used = y[j].used = 1;
				add(c, out, n, &x[i], &y[j], oom);
			}
	for (size_t i = 0; i < nx; i++)
		for (size_t j = 0; j < ny && !x[i].used; j++)
			if (!y[j].used && !strcmp(x[i].role, y[j].role)) {
				x[i].used = y[j].used = 1;
				add(c, out, n, &x[i], &y[j], oom);
			}
	for (size_t i = 0; i < nx; i++)
		if (!x[i].used)
			add(c, out, n, &x[i], NULL, oom);
	for (size_t j = 0; j < ny; j++)
		if (!y[j].used)
			add(c, out, n, NULL, &y[j], oom);
}

static int
cmp_ti(const void *a, const void *b)
{
	const pf_trend_input *x = a, *y = b;
	int k = strcmp(x->role, y->role);

	if (k != 0)
		return k;
	return strcmp(x->path_after ? x->path_after : x->path_before,
	    y->path_after ? y->path_after : y->path_before);
}

int
pf_trend__inputs(pf_tctx *c, pf_err *err)
{
	pf_hist_table tb = {0}, tl = {0};
	pf_trend_input *out = NULL;
	in *x = NULL, *y = NULL;
	size_t n = 0;
	int rc, oom = 0;

	if ((rc = pf_history_inputs(c->h, c->t->night[c->t->base].run, &tb,
	    err)) != PF_OK || (rc = pf_history_inputs(c->h,
	    c->t->night[c->t->last].run, &tl, err)) != PF_OK)
		goto done;
	if ((x = rows_of(&tb)) == NULL || (y = rows_of(&tl)) == NULL ||
	    (out = NEW(c, pf_trend_input, tb.nrows + tl.nrows)) == NULL) {
		rc = OOM(err);
		goto done;
	}
	match(c, x, tb.nrows, y, tl.nrows, out, &n, &oom);
	if (oom) {
		rc = OOM(err);
		goto done;
	}
	qsort(out, n, sizeof(*out), cmp_ti);
	c->t->inputs = out;
	c->t->ninputs = n;
done:
	free(x);
	free(y);
	pf_hist_table_free(&tb);
	pf_hist_table_free(&tl);
	return rc;
}

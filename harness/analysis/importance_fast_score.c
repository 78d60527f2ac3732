/*
 * harness/analysis/importance_fast_score.c — the changed-trees scorer's
 * second half (see importance_fast.c): each worker's space, the items'
 * changed trees and their bounds (shared when they fit), and the scoring
 * of one query's rows after an item's columns changed.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/importance_fast_internal.h"
#include "harness/model/trees.h"
#include "harness/util/fileio.h"

int
pf_imp_fast_ws_new(pf_imp_fast_ws **out, const pf_imp_fast *f, size_t maxn)
{
	pf_imp_fast_ws *w;

	*out = NULL;
	if (f == NULL)
		return PF_OK;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return PF_ENOMEM;
	w->maxn = maxn;
	w->mark = calloc(f->ntrees + 1, sizeof(*w->mark));
	w->slot = malloc((f->ntrees + 1) * sizeof(*w->slot));
	w->newv = malloc((f->ntrees * maxn + 1) * sizeof(*w->newv));
	w->acc = malloc(((maxn + 15) / 16 * 16 + 1) * sizeof(*w->acc));
	w->chg = calloc(f->ntrees + 1, 1);
	int own = f->simd ? pf_imp__fitem_alloc(f, &w->own, f->nf, f->ntrees) : 0;
	w->pvb = malloc(((maxn + 15) / 16 * 16 * f->nf + 1) *
	    sizeof(*w->pvb));
	w->fmask = calloc(f->mf + 1, 1);
	w->touch = malloc(f->noff[f->ntrees] + 1);
	w->pf = malloc((f->nf + 1) * sizeof(*w->pf));
	w->pv = malloc((f->nf + 1) * sizeof(*w->pv));
	w->kof = malloc((f->nf + 1) * sizeof(*w->kof));
	w->pcol = malloc((f->nf + 1) * sizeof(*w->pcol));
	w->rows = malloc((maxn + 1) * sizeof(*w->rows));
	w->rv = malloc((maxn + 1) * sizeof(*w->rv));
	if (f->lgb) {
		w->newv64 = malloc((f->ntrees * maxn + 1) * sizeof(*w->newv64));
		w->acc64 = malloc((maxn + 1) * sizeof(*w->acc64));
		w->pv64 = malloc((f->nf + 1) * sizeof(*w->pv64));
		w->pcol64 = malloc((f->nf + 1) * sizeof(*w->pcol64));
	}
	*out = w;
	if (f->lgb && (w->newv64 == NULL || w->acc64 == NULL ||
	    w->pv64 == NULL || w->pcol64 == NULL))
		return PF_ENOMEM;
	if (w->mark == NULL || w->slot == NULL || w->newv == NULL ||
	    w->acc == NULL || w->fmask == NULL || w->touch == NULL ||
	    w->pf == NULL || w->pv == NULL || w->kof == NULL ||
	    w->pcol == NULL || w->rows == NULL || w->rv == NULL ||
	    w->chg == NULL || w->pvb == NULL || own != 0)
		return PF_ENOMEM;
	return PF_OK;
}

void
pf_imp_fast_ws_free(pf_imp_fast_ws *w)
{
	if (w == NULL)
		return;
	free(w->mark);
	free(w->slot);
	free(w->newv);
	free(w->acc);
	free(w->fmask);
	free(w->touch);
	free(w->pf);
	free(w->pv);
	free(w->kof);
	free(w->pcol);
	free(w->rows);
	free(w->rv);
	free(w->chg);
	free(w->pvb);
	free(w->newv64);
	free(w->acc64);
	free(w->pv64);
	free(w->pcol64);
	pf_imp__fitem_free(&w->own);
	free(w);
}

/*
 * The trees that read cols, each once, in w->slot (w->mark[t] = slot + 1),
 * and in them the leaves below a node testing one of cols (w->touch):
 * once per item, since they do not depend on the query.
 */
static void
changed_trees(const pf_imp_fast *f, pf_imp_fast_ws *w, const size_t *cols,
    size_t ncols)
{
	size_t nu = 0;

	for (size_t k = 0; k < w->nu; k++)
		w->mark[w->slot[k]] = w->chg[w->slot[k]] = 0;
	w->np = 0;
	for (size_t k = 0; k < ncols; k++) {
		long j = (long)cols[k] - f->shift;	/* its model feature */
		if (j >= 0 && (size_t)j < f->mf) {
			w->fmask[j] = 1;
			w->kof[w->np] = k;
			w->pf[w->np++] = (uint32_t)j;
		}
		for (size_t p = f->foff[cols[k]]; p < f->foff[cols[k] + 1];
		    p++) {
			uint32_t t = f->ftree[p];
			if (!w->mark[t]) {
				w->slot[nu++] = t;
				w->mark[t] = (uint32_t)nu;
				w->chg[t] = 1;
			}
		}
	}
	for (size_t u = 0; u < nu; u++)
		pf_gbdt_tree_touch(f->m, w->slot[u], w->fmask,
		    w->touch + f->noff[w->slot[u]]);
	for (size_t k = 0; k < w->np; k++)
		w->fmask[w->pf[k]] = 0;
	w->nu = nu;
	w->tkey = cols;
}

/* The shared item of cols, or NULL (items are in cols order). */
static const fitem *
find_item(const pf_imp_fast *f, const size_t *cols)
{
	size_t lo = 0, hi = f->items != NULL ? f->nitems : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->items[mid].cols == cols)
			return &f->items[mid];
		if ((uintptr_t)f->items[mid].cols < (uintptr_t)cols)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
pf_imp_fast_items(pf_imp_fast *f, const size_t *cols, const size_t *coff,
    size_t nitems)
{
	size_t bytes = 0, st;
	uint32_t *seen;

	if (f == NULL || !f->simd || nitems == 0)
		return PF_OK;
	st = pf_gbdt_imp_stride(f->m);
	if ((seen = calloc(f->ntrees + 1, sizeof(*seen))) == NULL ||
	    (f->items = calloc(nitems, sizeof(*f->items))) == NULL) {
		free(seen);
		return PF_ENOMEM;
	}
	f->nitems = nitems;
	for (size_t i = 0; i < nitems; i++) {	/* each item's tree count */
		size_t nu = 0;
		for (size_t k = coff[i]; k < coff[i + 1]; k++)
			for (size_t p = f->foff[cols[k]]; p < f->foff[cols[k] +
			    1]; p++)
				if (seen[f->ftree[p]] != i + 1) {
					seen[f->ftree[p]] = (uint32_t)(i + 1);
					nu++;
				}
		f->items[i].nu = nu;
		bytes += nu * st * sizeof(int32_t) + f->ntrees *
		    sizeof(uint32_t);
	}
	free(seen);
	int bad = bytes > pf_imp_fast_item_bytes;
	for (size_t i = 0; i < nitems && !bad; i++)
		bad = pf_imp__fitem_alloc(f, &f->items[i], coff[i + 1] - coff[i],
		    f->items[i].nu) != 0;
	if (bad) {		/* too big, or out of memory: per worker */
		for (size_t i = 0; i < nitems; i++)
			pf_imp__fitem_free(&f->items[i]);
		free(f->items);
		f->items = NULL;
		f->nitems = 0;
		return PF_OK;
	}
#pragma omp parallel
	{
		unsigned char *fmask = calloc(f->mf + 1, 1);
#pragma omp for schedule(dynamic, 1)
		for (size_t i = 0; i < nitems; i++)
			if (fmask != NULL)
				pf_imp__fitem_fill(f, &f->items[i], cols + coff[i],
				    coff[i + 1] - coff[i], fmask);
			else
				f->items[i].cols = NULL;	/* never found */
		free(fmask);
	}
	return PF_OK;
}

/* The SIMD form: kept leaves, the changed trees walked for every row. */
static void
score_simd(const pf_imp_fast *f, pf_imp_fast_ws *w, size_t q, size_t n,
    double *out)
{
	size_t n16 = (n + 15) / 16 * 16;
	int nan = f->qnan[q - f->q0];

	for (size_t k = 0; k < w->cur->np; k++) {
		float *p = w->pvb + k * n16;
		int any = 0;
		for (size_t i = 0; i < n; i++) {
			p[i] = w->pcol[k][i];
			any |= p[i] != p[i];
		}
		for (size_t i = n; i < n16; i++)
			p[i] = 0.0f;
		nan |= any;
	}
	pf_gbdt_imp_score(f->m, f->xt + f->qoff16[q - f->q0] * f->w, n, nan,
	    f->idx +
	    f->qoff16[q - f->q0] * f->ntrees, w->cur->slot, w->cur->tch,
	    w->cur->pf, w->pvb, w->cur->np, w->acc);
	for (size_t i = 0; i < n; i++)
		out[i] = (double)w->acc[i];
}

/*
 * LightGBM: the changed trees re-walked on doubles for the rows below a
 * changed test, every tree's value re-added in double in tree order from
 * 0.0 (the node walk's sum).
 */
static void
score_lgb(const pf_imp_fast *f, pf_imp_fast_ws *w, size_t q,
    const double *x64, const double *v64, size_t n, const size_t *cols,
    size_t ncols, double *out)
{
	size_t T = f->ntrees;
	const double *val = f->val64 + f->qoff[q - f->q0] * T;
	const uint16_t *leaf = f->leaf + f->qoff[q - f->q0] * T;
	double *acc = w->acc64;

	if (w->tkey != cols)
		changed_trees(f, w, cols, ncols);
	for (size_t k = 0; k < w->np; k++)
		w->pcol64[k] = v64 + w->kof[k] * n;
	for (size_t u = 0; u < w->nu; u++) {
		size_t t = w->slot[u], nr = 0;
		const unsigned char *touch = w->touch + f->noff[t];
		const uint16_t *lt = leaf + t * n;
		const double *vt = val + t * n;
		double *nv = w->newv64 + u * n;
		for (size_t i = 0; i < n; i++) {
			nv[i] = vt[i];		/* the same leaf, unless */
			if (touch[lt[i]])	/* below a changed test */
				w->rows[nr++] = (uint32_t)i;
		}
		pf_gbdt_lgb_values_patched_f64(f->m, t, x64, f->nf, f->shift,
		    f->nf, w->rows, nr, w->pf, w->pcol64, w->np, w->acc64);
		for (size_t r = 0; r < nr; r++)
			nv[w->rows[r]] = w->acc64[r];
	}
	for (size_t i = 0; i < n; i++)
		acc[i] = 0.0;
	for (size_t t = 0; t < T; t++) {
		const double *src = w->mark[t] ? w->newv64 + (w->mark[t] - 1) *
		    n : val + t * n;
		for (size_t i = 0; i < n; i++)
			acc[i] += src[i];
	}
	for (size_t i = 0; i < n; i++)
		out[i] = acc[i];
}

void
pf_imp_fast_score(const pf_imp_fast *f, pf_imp_fast_ws *w, size_t q,
    const float *x32, const float *v32, const double *x64,
    const double *v64, size_t n, const size_t *cols, size_t ncols,
    double *out)
{
	size_t T = f->ntrees;
	const float *val = f->val + f->qoff[q - f->q0] * T;
	const uint16_t *leaf = f->leaf + f->qoff[q - f->q0] * T;
	float *acc = w->acc;

	if (f->lgb) {
		score_lgb(f, w, q, x64, v64, n, cols, ncols, out);
		return;
	}
	if (f->simd) {
		if (w->tkey != cols) {
			if ((w->cur = find_item(f, cols)) == NULL) {
				pf_imp__fitem_fill(f, &w->own, cols, ncols, w->fmask);
				w->cur = &w->own;
			}
			w->tkey = cols;
		}
		for (size_t k = 0; k < w->cur->np; k++)
			w->pcol[k] = v32 + w->cur->kof[k] * n;
		score_simd(f, w, q, n, out);
		return;
	}
	if (w->tkey != cols)
		changed_trees(f, w, cols, ncols);
	for (size_t k = 0; k < w->np; k++)
		w->pcol[k] = v32 + w->kof[k] * n;
	for (size_t u = 0; u < w->nu; u++) {
		size_t t = w->slot[u], nr = 0;
		const unsigned char *touch = w->touch + f->noff[t];
		const uint16_t *lt = leaf + t * n;
		const float *vt = val + t * n;
		float *nv = w->newv + u * n;
		for (size_t i = 0; i < n; i++) {
			nv[i] = vt[i];		/* the same leaf, unless */
			if (touch[lt[i]])	/* below a changed test */
				w->rows[nr++] = (uint32_t)i;
		}
		if (w->np <= PF_GBDT_PATCH_MAX) {
			pf_gbdt_tree_values_patched_f32(f->m, t, x32 + f->shift,
			    f->nf, f->ncols, w->rows, nr, w->pf, w->pcol, w->np,
			    w->rv);
			for (size_t r = 0; r < nr; r++)
				nv[w->rows[r]] = w->rv[r];
			continue;
		}
		for (size_t r = 0; r < nr; r++) {
			size_t i = w->rows[r];
			for (size_t k = 0; k < w->np; k++)
				w->pv[k] = w->pcol[k][i];
			nv[i] = pf_gbdt_tree_value_patched_f32(f->m, t, x32 +
			    i * f->nf + f->shift, f->ncols, w->pf, w->pv, w->np);
		}
	}
	/* the source of each tree's values: kept or re-walked */
	for (size_t i = 0; i < n; i++)
		acc[i] = f->base;
	for (size_t t = 0; t < T; t++) {
		const float *src = w->mark[t] ? w->newv + (w->mark[t] - 1) * n :
		    val + t * n;
		for (size_t i = 0; i < n; i++)
			acc[i] += src[i];
	}
	for (size_t i = 0; i < n; i++)
		out[i] = (double)acc[i];
}

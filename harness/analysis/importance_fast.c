/*
 * harness/analysis/importance_fast.c — the changed-trees scorer (imp_internal.h).
 *
 * Changing feature j changes only the trees that split on j, and in such
 * a tree only the rows whose path passes a node testing j. For a chunk of
 * queries every tree's leaf and value of every row is kept at baseline
 * (layout [tree][row] per query); a task re-walks, for the trees that read
 * its columns, only the rows whose kept leaf lies below a node testing one
 * of them (the others reach the same leaf), and re-adds all values in tree
 * order from the base margin, one float32 addition per tree as XGBoost
 * adds them, so the margins are the full predictor's bits (test_importance
 * checks fast == full). The sum runs over rows in the inner loop, which
 * the compiler vectorises without changing any row's order of additions.
 *
 * LightGBM models (when the rows hold doubles) take the scalar form with
 * double values: each tree's leaf and value kept per row, the changed
 * trees re-walked on the rows whose kept leaf lies below a changed test,
 * and every value re-added in double in tree order from 0.0, LightGBM's
 * raw score bit for bit; model features left of the file's first column
 * (first-feature below the file's smallest id) read 0.0, as in the stage.
 *
 * The SIMD form (trees.h pf_gbdt_imp_ok: AVX-512, trees at most 7 deep)
 * keeps instead each row's leaf as one byte and the rows transposed per
 * 16, and scores a query in one AVX-512 pass: kept leaves for the trees
 * that do not read the columns, the others walked for every row (a lane
 * still on its kept path at a node testing no changed column takes the
 * kept step without reading the row), summed in tree order.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/analysis/importance_fast_internal.h"
#include "harness/model/trees.h"

/* The kept values of a chunk: at most this many bytes. */
#define FAST_CACHE_BYTES	((size_t)512 << 20)
/* The items' changed-tree tables, computed once: at most this many bytes
   (past it each worker computes them whenever it changes item). */
size_t pf_imp_fast_item_bytes = (size_t)256 << 20;

void
pf_imp__fitem_free(fitem *it)
{
	free(it->slot);
	free(it->tch);
	free(it->pf);
	free(it->kof);
}

/*
 * The trees that read cols (each once, numbered in it->slot in order of
 * first column) and their touch bounds. fmask: mf zero bytes, left zero.
 */
void
pf_imp__fitem_fill(const pf_imp_fast *f, fitem *it, const size_t *cols,
    size_t ncols, unsigned char *fmask)
{
	size_t nu = 0, st = pf_gbdt_imp_stride(f->m);

	memset(it->slot, 0, f->ntrees * sizeof(*it->slot));
	it->np = 0;
	for (size_t k = 0; k < ncols; k++) {
		if (cols[k] >= (size_t)f->shift && cols[k] - (size_t)f->shift <
		    f->mf) {
			fmask[cols[k] - (size_t)f->shift] = 1;
			it->kof[it->np] = k;
			it->pf[it->np++] = (uint32_t)(cols[k] - (size_t)f->shift);
		}
		for (size_t p = f->foff[cols[k]]; p < f->foff[cols[k] + 1]; p++)
			if (it->slot[f->ftree[p]] == 0)
				it->slot[f->ftree[p]] = (uint32_t)++nu;
	}
	for (size_t t = 0; t < f->ntrees; t++)
		if (it->slot[t] != 0)
			pf_gbdt_imp_touch(f->m, t, fmask, it->tch +
			    (it->slot[t] - 1) * st);
	for (size_t k = 0; k < it->np; k++)
		fmask[it->pf[k]] = 0;
	it->nu = nu;
	it->cols = cols;
}

/* Room for an item of ncols columns and nu changed trees. */
int
pf_imp__fitem_alloc(const pf_imp_fast *f, fitem *it, size_t ncols, size_t nu)
{
	size_t tb = (nu * pf_gbdt_imp_stride(f->m) * sizeof(int32_t) + 63) /
	    64 * 64;

	it->slot = malloc((f->ntrees + 1) * sizeof(*it->slot));
	it->tch = aligned_alloc(64, tb ? tb : 64);
	it->pf = malloc((ncols + 1) * sizeof(*it->pf));
	it->kof = malloc((ncols + 1) * sizeof(*it->kof));
	return it->slot && it->tch && it->pf && it->kof ? 0 : -1;
}

void
pf_imp_fast_free(pf_imp_fast *f)
{
	if (f == NULL)
		return;
	pf_gbdt_free(f->m);
	free(f->foff);
	free(f->ftree);
	free(f->qoff);
	free(f->val);
	free(f->val64);
	free(f->leaf);
	free(f->noff);
	free(f->idx);
	free(f->xt);
	free(f->qoff16);
	free(f->qnan);
	for (size_t i = 0; f->items != NULL && i < f->nitems; i++)
		pf_imp__fitem_free(&f->items[i]);
	free(f->items);
	free(f);
}

/* The scored stage's gbdt model, loaded again here, or NULL. */
static pf_gbdt *
stage_model(const pf_imp_ctx *x, long *first, int *nomem)
{
	const pf_scn_stage *sg = &x->st->stages[x->si];
	const pf_scenario *s = x->r->scn;
	pf_stage_cfg cfg = {.file = s->path, .line = sg->line,
	    .base_dir = s->dir, .params = sg->params, .nparams = sg->nparams,
	    .golden = x->r->golden};
	char path[4096];
	pf_gbdt *m = NULL;
	pf_err e = {0};

	*nomem = 0;
	if (strcmp(sg->name, "gbdt") != 0)
		return NULL;
	if (pf_stage_path(&cfg, "model", path, sizeof(path), &e) != PF_OK ||
	    pf_stage_long(&cfg, "first-feature", 0, 0, INT32_MAX, first,
	    &e) != PF_OK || pf_gbdt_load(&m, path, &e) != PF_OK) {
		*nomem = e.code == PF_ENOMEM;
		return NULL;
	}
	return m;
}

int
pf_imp_stage_xgb(const pf_imp_ctx *x)
{
	long first;
	int nomem;
	pf_gbdt *m = stage_model(x, &first, &nomem);
	int xgb = m != NULL && pf_gbdt_kind(m) == PF_GBDT_XGBOOST;

	pf_gbdt_free(m);
	return xgb;
}

int
pf_imp_fast_new(pf_imp_fast **out, const pf_imp_ctx *x, pf_err *err)
{
	long first;
	pf_imp_fast *f;
	int nomem;

	*out = NULL;
	/* later stages read the changed rows: they need the full path; so
	   do remapped features (stage.h), whose model columns are not one
	   contiguous range of the rows */
	if (x->nf == 0 || x->si + 1 < x->st->nstages || x->id != NULL)
		return PF_OK;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	/* the stage has loaded it already; this copy exposes its trees */
	if ((f->m = stage_model(x, &first, &nomem)) == NULL ||
	    !(pf_gbdt_trees_ok(f->m) || (pf_gbdt_kind(f->m) ==
	    PF_GBDT_LIGHTGBM && x->has64))) {
		pf_imp_fast_free(f);
		return nomem ? pf_err_set(err, PF_ENOMEM, NULL, 0,
		    "out of memory") : PF_OK;	/* not eligible: process() */
	}
	f->shift = first - x->base;
	/* model features before the file's: LightGBM reads them as 0.0 */
	if (f->shift < 0 && pf_gbdt_kind(f->m) != PF_GBDT_LIGHTGBM) {
		pf_imp_fast_free(f);
		return PF_OK;
	}
	f->lgb = pf_gbdt_kind(f->m) == PF_GBDT_LIGHTGBM;
	f->ntrees = pf_gbdt_ntrees(f->m);
	f->nf = x->nf;
	f->ncols = x->nf > (size_t)f->shift ? x->nf - (size_t)f->shift : 0;
	f->base = f->lgb ? 0.0f : pf_gbdt_base_f32(f->m);
	size_t mf = pf_gbdt_nfeatures(f->m), n = 0;
	unsigned char *uses = calloc(f->ntrees * (mf + 1) + 1, 1);
	f->mf = mf;
	f->foff = calloc(f->nf + 1, sizeof(*f->foff));
	f->qoff = calloc(x->nq + 1, sizeof(*f->qoff));
	f->noff = calloc(f->ntrees + 1, sizeof(*f->noff));
	f->qoff16 = calloc(x->nq + 1, sizeof(*f->qoff16));
	f->qnan = calloc(x->nq + 1, 1);
	f->simd = pf_gbdt_imp_ok(f->m, f->ncols);
	f->w = pf_gbdt_imp_width(f->m);
	if (uses == NULL || f->foff == NULL || f->qoff == NULL ||
	    f->noff == NULL || f->qoff16 == NULL || f->qnan == NULL)
		goto nomem;
	for (size_t t = 0; t < f->ntrees; t++) {
		size_t nn = pf_gbdt_tree_nodes(f->m, t);
		if (nn > 65535) {	/* leaves kept as 16-bit ids */
			free(uses);
			pf_imp_fast_free(f);
			return PF_OK;
		}
		f->noff[t + 1] = f->noff[t] + nn;
	}
	for (size_t t = 0; t < f->ntrees; t++)
		pf_gbdt_tree_features(f->m, t, uses + t * (mf + 1));
	for (size_t c = 0; c < f->nf; c++) {
		long j = (long)c - f->shift;	/* model feature of column c */
		f->foff[c] = n;
		for (size_t t = 0; j >= 0 && (size_t)j < mf && t < f->ntrees;
		    t++)
			n += uses[t * (mf + 1) + (size_t)j];
	}
	f->foff[f->nf] = n;
	if ((f->ftree = malloc((n + 1) * sizeof(*f->ftree))) == NULL)
		goto nomem;
	n = 0;
	for (size_t c = 0; c < f->nf; c++) {
		long j = (long)c - f->shift;
		for (size_t t = 0; j >= 0 && (size_t)j < mf && t < f->ntrees;
		    t++)
			if (uses[t * (mf + 1) + (size_t)j])
				f->ftree[n++] = (uint32_t)t;
	}
	free(uses);
	*out = f;
	return PF_OK;
nomem:
	free(uses);
	pf_imp_fast_free(f);
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

size_t
pf_imp_fast_chunk(const pf_imp_fast *f, const pf_imp_ctx *x, size_t q0)
{
	size_t rows = 0, q = q0;

	if (f == NULL)
		return x->nq;
	while (q < x->nq) {
		size_t n = x->blk[q].n;
		if (f->simd)		/* one byte per tree, rows padded */
			n = (n + 15) / 16 * 16;
		if (q > q0 && (rows + n) * (f->simd ? f->ntrees + f->w *
		    sizeof(float) : f->ntrees * ((f->lgb ? sizeof(double) :
		    sizeof(float)) + sizeof(uint16_t))) > FAST_CACHE_BYTES)
			break;
		rows += n;
		q++;
	}
	return q;
}

/* The SIMD form's fill: every tree's leaf of every row, as bytes. */
static int
fill_simd(pf_imp_fast *f, const pf_imp_ctx *x, size_t q0, size_t q1,
    pf_err *err)
{
	size_t rows = 0, T = f->ntrees, n16 = (x->maxn + 15) / 16 * 16;
	int nomem = 0;

	for (size_t q = q0; q < q1; q++) {
		f->qoff16[q - q0] = rows;
		rows += (x->blk[q].n + 15) / 16 * 16;
	}
	f->qoff16[q1 - q0] = rows;
	if (pf_big_reserve((void **)&f->xt, &f->cap_xt, (rows * f->w + 1) *
	    sizeof(float)) != 0 || pf_big_reserve((void **)&f->idx, &f->cap_idx,
	    rows * T + 1) != 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	f->q0 = q0;
	f->q1 = q1;
#pragma omp parallel
	{
		float *acc = malloc((n16 + 1) * sizeof(float));

		if (acc == NULL) {
#pragma omp atomic write
			nomem = 1;
		}
#pragma omp for schedule(dynamic, 8)
		for (size_t q = q0; q < q1; q++) {
			const pf_imp_block *b = &x->blk[q];
			const float *x0 = b->x32 + f->shift;
			if (!x->r->m.judged[q] || acc == NULL)
				continue;
			float *xt = f->xt + f->qoff16[q - q0] * f->w;
			f->qnan[q - q0] = (unsigned char)pf_gbdt_imp_transpose(
			    f->m, x0, f->nf, b->n, xt);
			pf_gbdt_imp_leaves(f->m, xt, b->n, f->qnan[q - q0],
			    f->idx + f->qoff16[q - q0] * T, acc);
		}
		free(acc);
	}
	if (nomem)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	return PF_OK;
}

/*
 * LightGBM's fill: every tree's leaf and value (double) of every row, the
 * rows read as the gbdt stage hands them to the model (doubles, absent
 * columns 0.0).
 */
static int
fill_lgb(pf_imp_fast *f, const pf_imp_ctx *x, size_t q0, size_t q1,
    size_t rows, pf_err *err)
{
	size_t T = f->ntrees;

	if (pf_big_reserve((void **)&f->val64, &f->cap_val64, rows * T *
	    sizeof(double) + 1) != 0 || pf_big_reserve((void **)&f->leaf,
	    &f->cap_leaf, rows * T * sizeof(uint16_t) + 1) != 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	f->q0 = q0;
	f->q1 = q1;
#pragma omp parallel for schedule(dynamic, 8)
	for (size_t q = q0; q < q1; q++) {
		const pf_imp_block *b = &x->blk[q];
		double *v = f->val64 + f->qoff[q - q0] * T;
		uint16_t *l = f->leaf + f->qoff[q - q0] * T;
		if (!x->r->m.judged[q] || b->x64 == NULL)
			continue;
		for (size_t i = 0; i < b->n; i++) {
			const double *row = b->x64 + i * f->nf;
			for (size_t t = 0; t < T; t++) {
				int32_t id = pf_gbdt_lgb_leaf_f64(f->m, t, row,
				    f->shift, f->nf);
				l[t * b->n + i] = (uint16_t)id;
				v[t * b->n + i] = pf_gbdt_lgb_leaf_value(f->m, t,
				    id);
			}
		}
	}
	return PF_OK;
}

int
pf_imp_fast_fill(pf_imp_fast *f, const pf_imp_ctx *x, size_t q0, size_t q1,
    pf_err *err)
{
	size_t rows = 0, T = f->ntrees;

	if (f->simd)
		return fill_simd(f, x, q0, q1, err);
	for (size_t q = q0; q < q1; q++) {
		f->qoff[q - q0] = rows;
		rows += x->blk[q].n;
	}
	f->qoff[q1 - q0] = rows;
	if (f->lgb)
		return fill_lgb(f, x, q0, q1, rows, err);
	if (pf_big_reserve((void **)&f->val, &f->cap_val, rows * T *
	    sizeof(float) + 1) != 0 || pf_big_reserve((void **)&f->leaf,
	    &f->cap_leaf, rows * T * sizeof(uint16_t) + 1) != 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	f->q0 = q0;
	f->q1 = q1;
#pragma omp parallel for schedule(dynamic, 8)
	for (size_t q = q0; q < q1; q++) {
		const pf_imp_block *b = &x->blk[q];
		float *v = f->val + f->qoff[q - q0] * T;
		uint16_t *l = f->leaf + f->qoff[q - q0] * T;
		if (!x->r->m.judged[q])
			continue;
		for (size_t i = 0; i < b->n; i++) {
			const float *row = b->x32 + i * f->nf + f->shift;
			for (size_t t = 0; t < T; t++) {
				int32_t id = pf_gbdt_tree_leaf_f32(f->m, t, row,
				    f->ncols);
				l[t * b->n + i] = (uint16_t)id;
				v[t * b->n + i] = pf_gbdt_node_value(f->m, t, id);
			}
		}
	}
	return PF_OK;
}

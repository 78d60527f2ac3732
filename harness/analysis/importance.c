/*
 * harness/analysis/importance.c — see importance.h: the tasks and the run.
 * The items and the summaries are in importance_items.c, the stage's input
 * and re-scoring in importance_data.c, the changed-trees scorer in
 * importance_fast.c, the combinable summary of every query in
 * importance_sum.c.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/importance_internal.h"
#include "harness/util/progress.h"
#include "metrics/rng.h"


void
pf_imp_opts_init(pf_imp_opts *o)
{
	*o = (pf_imp_opts){.fast = 1};
}

/* Mean of the non-missing values of column c over rows [0, n). */
static double
col_mean(const float *x32, const double *x64, size_t n, size_t nf, size_t c)
{
	double s = 0.0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		double v = x64 ? x64[i * nf + c] : (double)x32[i * nf + c];
		if (!isnan(v)) {
			s += v;
			k++;
		}
	}
	return k ? s / (double)k : NAN;
}

enum { M_PERMUTE, M_MEAN, M_QMEAN, M_ZERO, M_MISSING };

/*
 * One (item, repeat): fills pq[q] for every judged query with the changed
 * metric. qperm: the query-block permutation (query-level items) or NULL.
 */
static int
run_task(const pf_imp_ctx *x, pf_imp_ws *w, int method, const size_t *cols,
    size_t ncols, int qlevel, pf_key key, const uint32_t *qsrc, size_t q0,
    size_t q1, double *pq)
{
	const pf_replay *r = x->r;
	size_t nf = x->nf;

	for (size_t q = q0; q < q1; q++) {
		const pf_imp_block *b = &x->blk[q];
		size_t n = b->n;
		if (!r->m.judged[q])
			continue;
		if (n == 0) {
			pq[q] = x->base_q[q];
			continue;
		}
		/* the new values of the item's columns: v[k * n + i] */
		float *v32 = w->v32;
		double *v64 = w->v64;
		if (method == M_PERMUTE && qlevel) {
			/* the source query's first row: the summary's (it may
			   be another process's query) */
			const float *s32 = x->qv32 + (size_t)qsrc[q] * x->qnk;
			const double *s64 = x->qv64 ? x->qv64 +
			    (size_t)qsrc[q] * x->qnk : NULL;
			for (size_t k = 0; k < ncols; k++) {
				/* (a query-level column is kept) */
				long at = x->qpos[cols[k]];
				for (size_t i = 0; i < n; i++) {
					v32[k * n + i] = at < 0 ? NAN : s32[at];
					if (b->x64 != NULL)
						v64[k * n + i] = at < 0 || !s64 ?
						    NAN : s64[at];
				}
			}
		} else if (method == M_PERMUTE) {
			pf_rng g;
			pf_rng_init(&g, key, q);
			for (size_t i = 0; i < n; i++)
				w->perm[i] = (uint32_t)i;
			for (size_t i = n - 1; i > 0; i--) {
				uint32_t j = pf_rng_below32(&g, (uint32_t)i + 1),
				    t = w->perm[i];
				w->perm[i] = w->perm[j];
				w->perm[j] = t;
			}
			for (size_t k = 0; k < ncols; k++)
				for (size_t i = 0; i < n; i++) {
					size_t s = w->perm[i] * nf + cols[k];
					v32[k * n + i] = b->x32[s];
					if (b->x64 != NULL)
						v64[k * n + i] = b->x64[s];
				}
		} else {
			for (size_t k = 0; k < ncols; k++) {
				size_t c = cols[k];
				float c32;
				double c64;
				switch (method) {
				case M_MEAN:
					c32 = x->gmean32[c];
					c64 = x->gmean64[c];
					break;
				case M_QMEAN:
					c32 = (float)col_mean(b->x32, NULL, n,
					    nf, c);
					c64 = b->x64 ? col_mean(NULL, b->x64,
					    n, nf, c) : c32;
					break;
				case M_ZERO:
					c32 = 0.0f;
					c64 = 0.0;
					break;
				default:
					c32 = NAN;
					c64 = NAN;
				}
				for (size_t i = 0; i < n; i++) {
					v32[k * n + i] = c32;
					v64[k * n + i] = c64;
				}
			}
		}
		pq[q] = pf_imp_rescore(x, w, q, cols, ncols);
		if (isnan(pq[q]) && w->e.code != PF_OK)
			return w->e.code;
	}
	return PF_OK;
}

static int
method_of(const char *m)
{
	if (m == NULL || strcmp(m, "permute") == 0)
		return M_PERMUTE;
	if (strcmp(m, "mean") == 0)
		return M_MEAN;
	if (strcmp(m, "query-mean") == 0)
		return M_QMEAN;
	if (strcmp(m, "zero") == 0)
		return M_ZERO;
	return M_MISSING;
}

/* The query-block permutation of (item, repeat): qsrc[q] for q in qidx. */
static void
query_block(pf_key key, size_t nq, const uint32_t *qidx, size_t nqc,
    uint32_t *qp, uint32_t *qsrc)
{
	pf_rng g;

	pf_rng_init(&g, key, nq);
	memcpy(qp, qidx, nqc * sizeof(*qp));
	for (size_t i = nqc; i > 1; i--) {
		uint32_t j = pf_rng_below32(&g, (uint32_t)i), t = qp[i - 1];
		qp[i - 1] = qp[j];
		qp[j] = t;
	}
	for (size_t i = 0; i < nqc; i++)
		qsrc[qidx[i]] = qp[i];
}

/*
 * Every (item, repeat) on queries [q0, q1): pq[task * nq + q]. The pairs
 * (block of IMP_QBLK queries, task) run block by block, so that the tasks
 * that run together read the same queries' rows from the cache; each
 * (task, query) is computed alone, so the order changes no result.
 */
#define IMP_QBLK	16
static int
run_chunk(const pf_imp_ctx *x, const pf_rep_importance *m, int method,
    const size_t *cols, const size_t *coff, const uint32_t *qidx, size_t nqc,
    size_t q0, size_t q1, double *pq, pf_progress *pg, pf_err *err)
{
	size_t R = m->nrep, nq = x->nq, ntask = m->nitems * R;
	size_t nblk = (q1 - q0 + IMP_QBLK - 1) / IMP_QBLK, err_k = (size_t)-1;
	uint32_t **qsrc = calloc(ntask + 1, sizeof(*qsrc)), *qp;
	pf_err first = {0};
	int rc = PF_OK;

	/* the query-block permutations of the query-level items */
	if (qsrc == NULL || (qp = malloc((nqc + 1) * sizeof(*qp))) == NULL) {
		free(qsrc);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t task = 0; task < ntask && rc == PF_OK; task++) {
		size_t t = task / R, rep = task % R;
		if (!m->items[t].query_level)
			continue;
		if ((qsrc[task] = malloc((nq + 1) * sizeof(uint32_t))) == NULL)
			rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		else
			query_block(pf_rng_key(m->seed, x->tkey[t], rep,
			    PF_RNG_FIMP), nq, qidx, nqc, qp, qsrc[task]);
	}
	free(qp);
	if (rc != PF_OK)
		goto out;
#pragma omp parallel
	{
		pf_imp_ws w;
		int ok = pf_imp_ws_init(&w, x) == PF_OK;

#pragma omp for schedule(dynamic, 1)
		for (size_t p = 0; p < nblk * ntask; p++) {
			size_t task = p % ntask, blk = p / ntask;
			size_t t = task / R, rep = task % R;
			size_t qa = q0 + blk * IMP_QBLK;
			size_t qb = q1 - qa < IMP_QBLK ? q1 : qa + IMP_QBLK;
			pf_key key = pf_rng_key(m->seed, x->tkey[t], rep,
			    PF_RNG_FIMP);
			int trc = PF_ENOMEM;
			if (ok)
				trc = run_task(x, &w, method, cols + coff[t],
				    coff[t + 1] - coff[t], m->items[t].query_level,
				    key, qsrc[task], qa, qb, pq + task * nq);
			else
				pf_err_set(&w.e, PF_ENOMEM, NULL, 0,
				    "out of memory");
			if (trc != PF_OK) {
				/* the first error in (task, query) order */
#pragma omp critical(pf_imp_err)
				if (task * nblk + blk < err_k) {
					err_k = task * nblk + blk;
					pf_err_copy(&first, &w.e);
				}
			}
			pf_progress_step(pg, qb - qa);
		}
		pf_imp_ws_free(&w);
	}
out:
	for (size_t task = 0; task < ntask; task++)
		free(qsrc[task]);
	free(qsrc);
	if (rc != PF_OK)
		return rc;
	if (err_k != (size_t)-1) {
		pf_err_copy(err, &first);
		return first.code ? first.code : PF_ESTAGE;
	}
	return PF_OK;
}

/* The tasks chunk by chunk (the fast scorer keeps one chunk's values). */
static int
run_tasks(pf_imp_ctx *x, const pf_rep_importance *m, int method,
    const size_t *cols, const size_t *coff, const uint32_t *qidx, size_t nqc,
    size_t qa, size_t qb, double *pq, pf_err *err)
{
	pf_progress pg = {0};
	int rc = PF_OK;

	pf_progress_start(&pg, x->r->progress, method == M_PERMUTE ?
	    "feature importance" : "feature ablation", "query-repeats",
	    (qb - qa) * m->nitems * m->nrep);
	for (size_t q0 = qa, q1; q0 < qb && rc == PF_OK; q0 = q1) {
		q1 = pf_imp_fast_chunk(x->fast, x, q0);
		q1 = q1 < qb ? q1 : qb;
		if (x->fast != NULL && (rc = pf_imp_fast_fill(x->fast, x, q0,
		    q1, err)) != PF_OK)
			break;
		rc = run_chunk(x, m, method, cols, coff, qidx, nqc, q0, q1, pq,
		    &pg, err);
	}
	pf_progress_end(&pg);
	return rc;
}

/*
 * Each item's columns (cols from coff[t], coff nt + 1) and whether it is
 * query-level: every column marked so (names file, textfeatures: permuted
 * across queries even when not bitwise constant inside each) or, by the
 * summary sm of every query's rows, constant inside each query and
 * varying between them (sm NULL: a method that does not permute); the
 * merge (in) takes the flags the shares sent.
 */
static void
item_columns(pf_imp_ctx *x, pf_rep_importance *m, const pf_imp_summary *sm,
    const pf_imp_part *in, unsigned char *qlev, size_t *cols, size_t *coff)
{
	pf_feats map = pf_imp__colmap(x);	/* items name ids: found in make_items */
	size_t nt = m->nitems, ncol = 0;

	for (size_t c = 0; c < x->nf && sm != NULL; c++)
		qlev[c] = (unsigned char)(pf_fnames_query(x->names,
		    pf_feats_id(&map, c)) || pf_imp__query_level(sm, c));
	for (size_t t = 0; t < nt; t++) {
		pf_rep_imp_item *it = &m->items[t];
		int ql = sm != NULL;
		coff[t] = ncol;
		for (size_t i = 0; i < it->nfeat; i++) {
			size_t c = (size_t)pf_feats_col(&map, it->feat[i]);
			cols[ncol++] = c;
			ql &= qlev[c];
		}
		it->query_level = in != NULL ? in->ql != NULL && in->ql[t] : ql;
	}
	coff[nt] = ncol;
	for (size_t t = 0; t < nt; t++)
		if (coff[t + 1] - coff[t] > x->maxcols)
			x->maxcols = coff[t + 1] - coff[t];
}

int
pf_importance_run(pf_rep_importance **out, const pf_replay *r,
    const pf_scn_featimp *fi, const pf_imp_opts *o, pf_err *err)
{
	pf_imp_ctx x = {0};
	pf_rep_importance *m = NULL;
	const pf_scenario *s = r->scn;
	const pf_imp_summary *sm = NULL;
	pf_imp_summary own = {0};
	double *pq = NULL;
	size_t *cols = NULL, *coff = NULL;
	uint32_t *qidx = NULL;
	unsigned char *qlev = NULL;
	int method = method_of(fi->method), rc;
	pf_imp_opts def;

	*out = NULL;
	if (o == NULL) {
		pf_imp_opts_init(&def);
		o = &def;
	}
	/* a share captures its queries; the merge none (the values, the
	   baseline and the flags come from the shares) */
	if (o->out != NULL || o->in != NULL) {
		x.cranged = 1;
		x.cq0 = o->in != NULL ? 0 : o->q0;
		x.cq1 = o->in != NULL ? 0 : o->q1 < r->m.nq ? o->q1 : r->m.nq;
	}
	x.shape_any = o->out != NULL || o->in != NULL;
	if ((rc = pf_imp__resolve(&x, r, fi, err)) == PF_OK)
		x.no64 = pf_imp_stage_xgb(&x);
	if (rc != PF_OK)
		goto done;
	if ((rc = pf_imp_capture(&x, err)) != PF_OK ||
	    (rc = pf_imp_baseline(&x, err)) != PF_OK)
		goto done;
	if (o->in != NULL && o->in->bq != NULL)
		memcpy(x.base_q, o->in->bq, x.nq * sizeof(double));
	if (o->in == NULL && (rc = pf_imp__use_summary(&x, o->sum,
	    method == M_MEAN, &own, &sm, err)) != PF_OK)
		goto done;
	if (o->fast && (rc = pf_imp_fast_new(&x.fast, &x, err)) != PF_OK)
		goto done;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto nomem;
	if ((rc = pf_imp__make_items(m, &x, fi, err)) != PF_OK)
		goto done;
	char mname[128];
	pf_te_value_name(r->m.spec, x.m, mname, sizeof(mname));
	m->stack = strdup(x.st->id);
	m->stage = strdup(x.st->stages[x.si].name);
	m->metric = strdup(mname);
	m->method = strdup(fi->method ? fi->method : "permute");
	if (m->stack == NULL || m->stage == NULL || m->metric == NULL ||
	    m->method == NULL)
		goto nomem;
	m->stage_pos = x.si + 1;
	m->seed = s->seed;
	m->nrep = method == M_PERMUTE && fi->repeats > 0 ? fi->repeats : 1;
	m->n_boot = o->n_boot ? o->n_boot : s->n_boot;
	m->top = fi->top ? fi->top : 20;
	m->has_max_share = fi->has_max_share;
	m->max_share = fi->max_share;
	m->fast = x.fast != NULL;
	m->line = fi->line;
	size_t nt = m->nitems, R = m->nrep, nq = x.nq, nj = 0, ncol = 0;
	for (size_t q = 0; q < nq; q++)
		nj += r->m.judged[q];
	m->nq = nj;
	for (size_t t = 0; t < nt; t++)
		ncol += m->items[t].nfeat;
	if ((m->imp = calloc(nt * R + 1, sizeof(double))) == NULL ||
	    (pq = calloc(nt * R * nq + 1, sizeof(double))) == NULL ||
	    (cols = malloc((ncol + 1) * sizeof(size_t))) == NULL ||
	    (coff = malloc((nt + 1) * sizeof(size_t))) == NULL ||
	    (qidx = malloc((nq + 1) * sizeof(uint32_t))) == NULL ||
	    (qlev = calloc(x.nf + 1, 1)) == NULL)
		goto nomem;
	if (o->in != NULL && o->in->ql != NULL && o->in->nitems != nt) {
		rc = pf_err_set(err, PF_EDATA, NULL, 0, "importance of stack "
		    "'%s': the parts hold %zu items, this scenario makes %zu",
		    x.st->id, o->in->nitems, nt);
		goto done;
	}
	item_columns(&x, m, method == M_PERMUTE ? sm : NULL, o->in, qlev,
	    cols, coff);
	if (pf_imp_fast_items(x.fast, cols, coff, nt) != PF_OK)
		goto nomem;
	/* the queries that have candidates (every process's): the
	   query-block permutations draw among them */
	size_t nqc = 0;
	for (size_t q = 0; q < nq && sm != NULL; q++)
		if (sm->qn[q])
			qidx[nqc++] = (uint32_t)q;
	size_t qa = x.cq0, qb = x.cq1;
	if (o->in != NULL && o->in->npq != nt * R * nq) {
		rc = pf_err_set(err, PF_EDATA, NULL, 0, "importance of stack "
		    "'%s': the parts hold %zu values, this scenario makes %zu",
		    x.st->id, o->in->npq, nt * R * nq);
		goto done;
	}
	if (o->in != NULL && o->in->pq != NULL)
		memcpy(pq, o->in->pq, nt * R * nq * sizeof(double));
	else if ((rc = run_tasks(&x, m, method, cols, coff, qidx, nqc, qa,
	    qb, pq, err)) != PF_OK)
		goto done;
	if (o->out != NULL) {	/* a share: its values, no result */
		if (pf_imp__share_out(o->out, &x, m, &pq, nt * R * nq) != PF_OK)
			goto nomem;
		rc = PF_OK;
		goto done;
	}
	if ((rc = pf_imp__summarize(m, &x, pq, nj, s, m->n_boot, err)) != PF_OK)
		goto done;
	*out = m;
	m = NULL;
	rc = PF_OK;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	pf_rep_importance_free(m);
	pf_imp_summary_free(&own);
	free(pq);
	free(cols);
	free(coff);
	free(qidx);
	free(qlev);
	pf_imp_ctx_free(&x);
	return rc;
}

/*
 * harness/analysis/importance_data.c — the scored stage's input, kept once per
 * query, and re-scoring and measuring one query's changed rows
 * (imp_internal.h).
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/arena.h"
#include "harness/util/grow.h"
#include "harness/analysis/importance_internal.h"

/* The captured rows are carved from per-thread arenas of blocks this big
   (huge pages; 10,000 mallocs of a query's rows fault 4 KiB at a time). */
#define ROWS_BLOCK	((size_t)32 << 20)

void
pf_imp_ctx_free(pf_imp_ctx *x)
{
	for (size_t q = 0; x->blk != NULL && q < x->nq; q++) {
		pf_imp_block *b = &x->blk[q];
		free(b->doc);
		free(b->tie);
		free(b->rel);
	}
	for (size_t i = 0; i < x->nrows; i++)
		pf_arena_free(x->rows[i]);
	free(x->rows);
	free(x->blk);
	free(x->base_q);
	free(x->gmean32);
	free(x->gmean64);
	free(x->tkey);
	free(x->qpos);
	pf_imp_fast_free(x->fast);
}

/* ---- sorting and measuring one query's list ---------------------------- */

typedef struct rankent {
	double		score;
	uint32_t	tie, i;
} rankent;

/* Whether x ranks before y: score descending, then tie, then row. */
static inline int
rank_before(const rankent *x, const rankent *y)
{
	if (x->score != y->score)
		return x->score > y->score;
	if (x->tie != y->tie)
		return x->tie < y->tie;
	return x->i < y->i;
}

/*
 * Sorts e[0..n) by rank_before (a total order: the result is qsort's),
 * with the comparison inlined: insertion sort of runs of 16, then merges
 * through tmp (n entries).
 */
static void
sort_ranks(rankent *e, rankent *tmp, size_t n)
{
	rankent *src = e, *dst = tmp;

	for (size_t a = 0; a < n; a += 16) {
		size_t b = a + 16 < n ? a + 16 : n;
		for (size_t i = a + 1; i < b; i++) {
			rankent v = e[i];
			size_t k = i;
			for (; k > a && rank_before(&v, &e[k - 1]); k--)
				e[k] = e[k - 1];
			e[k] = v;
		}
	}
	for (size_t wd = 16; wd < n; wd *= 2) {
		for (size_t a = 0; a < n; a += 2 * wd) {
			size_t m = a + wd < n ? a + wd : n;
			size_t b = a + 2 * wd < n ? a + 2 * wd : n;
			size_t i = a, j = m, o = a;
			while (i < m && j < b)
				dst[o++] = rank_before(&src[j], &src[i]) ?
				    src[j++] : src[i++];
			while (i < m)
				dst[o++] = src[i++];
			while (j < b)
				dst[o++] = src[j++];
		}
		rankent *t = src;
		src = dst;
		dst = t;
	}
	if (src != e)
		memcpy(e, src, n * sizeof(*e));
}

/* Docid-descending ranks, the replay's tie order (rank 0 first). */
typedef struct tiepair {
	const char	*id;
	uint32_t	 i;
} tiepair;

static int
cmp_docid_desc(const void *a, const void *b)
{
	const tiepair *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c != 0)
		return -c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Sorts scores[0..n) of query q as the replay sorts, runs the stages after
 * the scored one and measures: the metric value, or NaN with w->e set.
 */
static double
measure(const pf_imp_ctx *x, pf_imp_ws *w, size_t q, const double *scores,
    const float *x32, const double *x64)
{
	const pf_replay *r = x->r;
	const pf_imp_block *b = &x->blk[q];
	size_t n = b->n, t = (size_t)r->golden->topic[q];
	rankent *e = w->rank;
	const int32_t *rel = w->rel;
	size_t nret = n;

	for (size_t i = 0; i < n; i++) {
		if (!isfinite(scores[i])) {
			pf_err_set(&w->e, PF_ESTAGE, NULL, 0, "stack '%s', "
			    "stage '%s' gave document '%s' of query '%s' the "
			    "score %g (scores must be finite numbers)",
			    x->st->id, x->ops->name, pf_golden_docid(r->golden,
			    b->doc[i]), r->golden->qid[q], scores[i]);
			return NAN;
		}
		e[i] = (rankent){scores[i], b->tie[i], (uint32_t)i};
	}
	sort_ranks(e, e + w->cap, n);
	if (x->si + 1 < x->st->nstages) {
		pf_cands *c = &w->c;
		if (pf_cands_reserve(c, n) != PF_OK) {
			pf_err_set(&w->e, PF_ENOMEM, NULL, 0, "out of memory");
			return NAN;
		}
		for (size_t i = 0; i < n; i++) {
			c->doc[i] = b->doc[e[i].i];
			c->row[i] = e[i].i;
			c->score[i] = e[i].score;
		}
		c->n = n;
		c->feats = (pf_feats){x32, x64, x->nf, x->base, x->id, x->names};
		pf_arena_reset(w->a);
		if (pf_replay_stages(r, x->k, x->si + 1, x->st->nstages, q, c,
		    w->a, &w->e) != PF_OK)
			return NAN;
		if (c->n > w->cap && pf_imp_ws_grow(w, c->n, x) != PF_OK) {
			pf_err_set(&w->e, PF_ENOMEM, NULL, 0, "out of memory");
			return NAN;
		}
		pf_replay_doc_grades(r, q, c->doc, c->n, w->rel2);
		nret = c->n;
		rel = w->rel2;
	} else {
		for (size_t i = 0; i < n; i++)
			w->rel2[i] = b->rel[e[i].i];
		rel = w->rel2;
	}
	pf_te_topic tp = {.rel = rel, .nret = nret, .qrels = r->qgrades +
	    r->qoff[t], .nqrels = r->qoff[t + 1] - r->qoff[t]};
	char str[8];
	if (pf_te_eval_topic(r->m.spec, &r->m.te, &tp, w->vals, str,
	    sizeof(str)) != PF_OK) {
		pf_err_set(&w->e, PF_ENOMEM, NULL, 0, "out of memory");
		return NAN;
	}
	return w->vals[x->m];
}

/* Scores query q's rows in x32/x64 (n x nf) with the stage's process(). */
static int
score_process(const pf_imp_ctx *x, pf_imp_ws *w, size_t q, const float *x32,
    const double *x64, double *out)
{
	const pf_replay *r = x->r;
	const pf_imp_block *b = &x->blk[q];
	pf_query qq = {q, r->golden->qid[q], r->golden->text ?
	    r->golden->text[q] : NULL};
	pf_cands *c = &w->c;

	if (pf_cands_reserve(c, b->n) != PF_OK)
		return pf_err_set(&w->e, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < b->n; i++) {
		c->doc[i] = b->doc[i];
		c->row[i] = (uint32_t)i;
		c->score[i] = 0.0;
	}
	c->n = b->n;
	c->feats = (pf_feats){x32, x64, x->nf, x->base, x->id, x->names};
	pf_arena_reset(w->a);
	int rc = x->ops->process(x->state, &qq, c, w->a, &w->e);
	if (rc != PF_OK) {
		char m[sizeof(w->e.msg)];
		snprintf(m, sizeof(m), "%s", w->e.msg);
		return pf_err_set(&w->e, rc, NULL, 0, "stack '%s', stage '%s', "
		    "query '%s': %s", x->st->id, x->ops->name, qq.qid, m);
	}
	if (c->n != b->n)
		return pf_err_set(&w->e, PF_ESTAGE, NULL, 0, "stack '%s', stage "
		    "'%s' changed the number of candidates", x->st->id,
		    x->ops->name);
	memcpy(out, c->score, b->n * sizeof(*out));
	return PF_OK;
}

/* The buffers sized by the longest list. */
static void
ws_bufs_free(pf_imp_ws *w)
{
	free(w->b32);
	free(w->b64);
	free(w->perm);
	free(w->rank);
	free(w->rel);
	free(w->rel2);
	free(w->score);
	free(w->v32);
	free(w->v64);
}

int
pf_imp_ws_grow(pf_imp_ws *w, size_t n, const pf_imp_ctx *x)
{
	/* The most bytes one slot takes in any buffer below: a capacity
	   pf_grow_cap passes for it sizes them all without overflow. */
	size_t wide = x->maxcols + 1 > x->nf ? x->maxcols + 1 : x->nf;
	size_t slot = 2 * sizeof(rankent), cap;

	if (wide > slot / sizeof(double))
		slot = wide * sizeof(double);
	if ((cap = pf_grow_cap(w->cap, n, slot)) == 0)
		return PF_ENOMEM;
	ws_bufs_free(w);
	w->v32 = malloc(cap * (x->maxcols + 1) * sizeof(float));
	w->v64 = malloc(cap * (x->maxcols + 1) * sizeof(double));
	w->b32 = malloc(cap * x->nf * sizeof(float) + 1);
	w->b64 = x->has64 ? malloc(cap * x->nf * sizeof(double) + 1) : NULL;
	w->perm = malloc(cap * sizeof(uint32_t));
	w->rank = malloc(2 * cap * sizeof(rankent));	/* + sort_ranks' */
	w->rel = malloc(cap * sizeof(int32_t));
	w->rel2 = malloc(cap * sizeof(int32_t));
	w->score = malloc(cap * sizeof(double));
	w->cap = cap;
	if (w->b32 == NULL || (x->has64 && w->b64 == NULL) || w->perm == NULL ||
	    w->rank == NULL || w->rel == NULL || w->rel2 == NULL ||
	    w->score == NULL || w->v32 == NULL || w->v64 == NULL) {
		w->cap = 0;
		return PF_ENOMEM;
	}
	return PF_OK;
}

int
pf_imp_ws_init(pf_imp_ws *w, const pf_imp_ctx *x)
{
	memset(w, 0, sizeof(*w));
	if ((w->a = pf_arena_new(1 << 16)) == NULL ||
	    (w->vals = malloc((x->r->m.nv + 1) * sizeof(double))) == NULL ||
	    pf_imp_ws_grow(w, x->maxn, x) != PF_OK ||
	    pf_imp_fast_ws_new(&w->fast, x->fast, x->maxn) != PF_OK)
		return PF_ENOMEM;
	return PF_OK;
}

void
pf_imp_ws_free(pf_imp_ws *w)
{
	pf_arena_free(w->a);
	free(w->vals);
	ws_bufs_free(w);
	pf_cands_free(&w->c);
	pf_imp_fast_ws_free(w->fast);
}

/* ---- the stage's input ------------------------------------------------ */

/* Replays the prefix of every query and keeps its rows; serial per query
   copy, parallel replay. */
/* The candidates of query q at the stage's input, copied into b. */
static int
capture_one(pf_imp_ctx *x, size_t q, pf_cands *c, pf_arena *a,
    pf_arena *rows, pf_err *e)
{
	const pf_replay *r = x->r;
	pf_imp_block *b = &x->blk[q];
	size_t w, n;
	int with64;

	pf_arena_reset(a);
	if (pf_replay_stages(r, x->k, 0, x->si, q, c, a, e) != PF_OK)
		return -1;
	n = c->n;
	w = c->feats.nf;
	with64 = c->feats.x64 != NULL && !x->no64;
	if (n > 0 && c->feats.x32 == NULL) {
		pf_err_set(e, PF_EDATA, NULL, 0, "stack '%s', stage %zu ('%s') "
		    "gets no features: no stage before it provides them",
		    x->st->id, x->si + 1, x->ops->name);
		return -1;
	}
	if (n == 0)
		return 0;
	b->n = n;
	b->doc = malloc(n * sizeof(*b->doc));
	b->tie = malloc(n * sizeof(*b->tie));
	b->rel = malloc(n * sizeof(*b->rel));
	b->x32 = pf_arena_alloc(rows, n * w * sizeof(float), 64);
	b->x64 = with64 ? pf_arena_alloc(rows, n * w * sizeof(double), 64) :
	    NULL;
	if (b->doc == NULL || b->tie == NULL || b->rel == NULL ||
	    b->x32 == NULL || (with64 && b->x64 == NULL)) {
		pf_err_set(e, PF_ENOMEM, NULL, 0, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t row = c->row[i];
		b->doc[i] = c->doc[i];
		memcpy(b->x32 + i * w, c->feats.x32 + row * w,
		    w * sizeof(float));
		if (b->x64 != NULL)
			memcpy(b->x64 + i * w, c->feats.x64 + row * w,
			    w * sizeof(double));
	}
	if (r->m.judged[q])
		pf_replay_doc_grades(r, q, b->doc, n, b->rel);
	return 0;
}

/* Each query's tie ranks: docid descending, as the replay's sort. */
static int
tie_ranks(pf_imp_ctx *x)
{
	const pf_golden *g = x->r->golden;
	tiepair *tp;

	for (size_t q = 0; q < x->nq; q++)
		if (x->blk[q].n > x->maxn)
			x->maxn = x->blk[q].n;
	if ((tp = malloc((x->maxn + 1) * sizeof(*tp))) == NULL)
		return PF_ENOMEM;
	for (size_t q = 0; q < x->nq; q++) {
		pf_imp_block *b = &x->blk[q];
		for (size_t i = 0; i < b->n; i++)
			tp[i] = (tiepair){pf_golden_docid(g, b->doc[i]),
			    (uint32_t)i};
		qsort(tp, b->n, sizeof(*tp), cmp_docid_desc);
		for (size_t j = 0; j < b->n; j++)
			b->tie[tp[j].i] = (uint32_t)j;
	}
	free(tp);
	return PF_OK;
}

/* Whether two column maps are the same (both dense, or the same ids). */
static int
same_map(const uint32_t *a, const uint32_t *b, size_t nf)
{
	if (a == b)
		return 1;
	return a != NULL && b != NULL && memcmp(a, b, nf * sizeof(*a)) == 0;
}

/*
 * A process that holds none of the rows the stage gets (a share with
 * none, the merge): the columns as the first query's list carries them,
 * empty or not (a candidate file read in shares keeps the whole file's
 * column map), so that the items are those of every other process.
 */
static int
shape_of_empty(pf_imp_ctx *x, long *nf, long *base, const uint32_t **id,
    const pf_fnames **names, long *has64, pf_err *err)
{
	pf_cands c = {0};
	pf_arena *a = pf_arena_new(1 << 16);
	int rc = PF_OK;

	if (a == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if (pf_replay_stages(x->r, x->k, 0, x->si, 0, &c, a, err) != PF_OK)
		rc = err->code ? err->code : PF_ESTAGE;
	else if (c.feats.nf > 0) {
		*nf = (long)c.feats.nf;
		*base = c.feats.base;
		*id = c.feats.id;
		*names = c.feats.names;
		*has64 = c.feats.x64 != NULL && !x->no64;
	}
	pf_cands_free(&c);
	pf_arena_free(a);
	return rc;
}

int
pf_imp_capture(pf_imp_ctx *x, pf_err *err)
{
	size_t nq = x->r->m.nq, err_q = (size_t)-1;
	pf_err first = {0};
	long nf = -1, base = 0, has64 = -1, bad_shape = 0;
	const uint32_t *id = NULL;
	const pf_fnames *names = NULL;

	x->nrows = (size_t)omp_get_max_threads();
	if ((x->blk = calloc(nq + 1, sizeof(*x->blk))) == NULL ||
	    (x->rows = calloc(x->nrows, sizeof(*x->rows))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < x->nrows; i++)
		if ((x->rows[i] = pf_arena_new(ROWS_BLOCK)) == NULL)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
	x->nq = nq;
	if (!x->cranged) {
		x->cq0 = 0;
		x->cq1 = nq;
	}
	size_t q0 = x->cq0, q1 = x->cq1;
#pragma omp parallel
	{
		pf_cands c = {0};
		pf_arena *a = pf_arena_new(1 << 16);
		pf_err e = {0};
		pf_arena *rows = x->rows[omp_get_thread_num()];

#pragma omp for schedule(dynamic, 4)
		for (size_t q = q0; q < q1; q++) {
			int bad = a == NULL;
			if (bad)
				pf_err_set(&e, PF_ENOMEM, NULL, 0,
				    "out of memory");
			else
				bad = capture_one(x, q, &c, a, rows, &e) != 0;
			if (!bad && c.n > 0) {
				int w64 = c.feats.x64 != NULL && !x->no64;
#pragma omp critical(pf_imp_shape)
				{
					if (nf < 0) {
						nf = (long)c.feats.nf;
						base = c.feats.base;
						id = c.feats.id;
						names = c.feats.names;
						has64 = w64;
					} else if (nf != (long)c.feats.nf ||
					    has64 != w64 || base !=
					    c.feats.base || !same_map(id,
					    c.feats.id, (size_t)nf))
						bad_shape = 1;
				}
			}
			if (bad) {
#pragma omp critical(pf_imp_err)
				if (q < err_q) {
					err_q = q;
					pf_err_copy(&first, &e);
				}
			}
		}
		pf_cands_free(&c);
		pf_arena_free(a);
	}
	if (err_q != (size_t)-1) {
		pf_err_copy(err, &first);
		return first.code ? first.code : PF_ESTAGE;
	}
	if (nf < 0 && x->shape_any && nq > 0 && shape_of_empty(x, &nf, &base,
	    &id, &names, &has64, err) != PF_OK)
		return err->code;
	if (bad_shape)
		return pf_err_set(err, PF_EDATA, NULL, 0, "stack '%s': the "
		    "features at stage %zu's input differ in width or feature "
		    "ids between queries", x->st->id, x->si + 1);
	x->nf = nf < 0 ? 0 : (size_t)nf;
	x->base = (int)base;
	x->id = id;
	x->names = names;
	x->has64 = has64 > 0;
	if (tie_ranks(x) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	return PF_OK;
}


/* Scores q's rows with the changed columns (pf_imp_rescore). */
double
pf_imp_rescore(const pf_imp_ctx *x, pf_imp_ws *w, size_t q,
    const size_t *cols, size_t ncols)
{
	const pf_imp_block *b = &x->blk[q];
	size_t n = b->n, nf = x->nf;

	if (x->fast != NULL) {
		pf_imp_fast_score(x->fast, w->fast, q, b->x32, w->v32, b->x64,
		    w->v64, n, cols, ncols, w->score);
		return measure(x, w, q, w->score, NULL, NULL);
	}
	memcpy(w->b32, b->x32, n * nf * sizeof(float));
	if (b->x64 != NULL)
		memcpy(w->b64, b->x64, n * nf * sizeof(double));
	for (size_t k = 0; k < ncols; k++)
		for (size_t i = 0; i < n; i++) {
			w->b32[i * nf + cols[k]] = w->v32[k * n + i];
			if (b->x64 != NULL)
				w->b64[i * nf + cols[k]] = w->v64[k * n + i];
		}
	const double *b64 = b->x64 ? w->b64 : NULL;
	if (score_process(x, w, q, w->b32, b64, w->score) != PF_OK)
		return NAN;
	return measure(x, w, q, w->score, w->b32, b64);
}

/* Baseline scores and metric of every judged query captured. */
int
pf_imp_baseline(pf_imp_ctx *x, pf_err *err)
{
	size_t q0 = x->cq0, q1 = x->cq1, err_q = (size_t)-1;
	pf_err first = {0};

	if ((x->base_q = calloc(x->nq + 1, sizeof(double))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
#pragma omp parallel
	{
		pf_imp_ws w;
		int ok = pf_imp_ws_init(&w, x) == PF_OK;

#pragma omp for schedule(dynamic, 8)
		for (size_t q = q0; q < q1; q++) {
			const pf_imp_block *b = &x->blk[q];
			double v = NAN;
			if (!x->r->m.judged[q])
				continue;
			if (!ok)
				pf_err_set(&w.e, PF_ENOMEM, NULL, 0,
				    "out of memory");
			else if (b->n == 0)
				v = measure(x, &w, q, NULL, NULL, NULL);
			else if (score_process(x, &w, q, b->x32, b->x64,
			    w.score) == PF_OK)
				v = measure(x, &w, q, w.score, b->x32, b->x64);
			x->base_q[q] = v;
			if (isnan(v) && w.e.code != PF_OK) {
#pragma omp critical(pf_imp_err)
				if (q < err_q) {
					err_q = q;
					pf_err_copy(&first, &w.e);
				}
			}
		}
		pf_imp_ws_free(&w);
	}
	if (err_q != (size_t)-1) {
		pf_err_copy(err, &first);
		return first.code ? first.code : PF_ESTAGE;
	}
	return PF_OK;
}

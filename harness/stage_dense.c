/*
 * harness/stage_dense.c — the dense stage: exact top-depth retrieval by
 * inner product or cosine over document embeddings (harness/dense.h), with
 * query embeddings given too (.npy float32 + ids files, harness/npy.h).
 *
 * Everything is computed at open, for every query of the golden set at
 * once (all queries x documents in sgemm tiles), and cached; process()
 * copies a query's list. That keeps process() trivial and the result
 * byte-identical for any thread count (dense.h says why).
 *
 * Documents: with a corpus (<docs> in <golden>) every id of doc-ids must
 * be one of its documents (an error at the id's line otherwise: a typo or
 * a stale embedding file would silently lose relevant documents); without
 * one, the ids become the golden set's documents, as candidates does.
 * Queries: every query of the golden set needs an embedding; query-ids may
 * hold more (the other half of a split).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/dense.h"
#include "harness/golden.h"
#include "harness/npy.h"
#include "harness/stage.h"
#include "harness/strtab.h"

typedef struct dense {
	size_t		 k, nq;
	size_t		*n;		/* results per query */
	uint32_t	*doc;		/* nq x k golden document indices */
	double		*score;		/* nq x k */
} dense;

static void
dense_close(void *st)
{
	dense *s = st;

	if (s == NULL)
		return;
	free(s->n);
	free(s->doc);
	free(s->score);
	free(s);
}

/* A 2-D, finite embedding file and its ids, one per row. */
static int
load_side(const pf_stage_cfg *cfg, const char *key, const char *idkey,
    char path[4096], char ipath[4096], pf_npy **x, pf_ids **ids, pf_err *err)
{
	int rc;

	if ((rc = pf_stage_path(cfg, key, path, 4096, err)) != PF_OK ||
	    (rc = pf_stage_path(cfg, idkey, ipath, 4096, err)) != PF_OK)
		return rc;
	if (path[0] == '\0' || ipath[0] == '\0')
		return pf_err_set(err, PF_EINVAL, cfg->file, cfg->line, "dense "
		    "needs %s and %s", key, idkey);
	if ((rc = pf_npy_read(x, path, err)) != PF_OK ||
	    (rc = pf_ids_read(ids, ipath, err)) != PF_OK)
		return rc;
	if ((*x)->ndim != 2)
		return pf_err_set(err, PF_EFORMAT, path, 0, "1-D array of %zu "
		    "values: expected 2-D (rows, dimension)", (*x)->rows);
	if ((*ids)->n != (*x)->rows)
		return pf_err_set(err, PF_EDATA, ipath, 0, "%zu ids for the %zu "
		    "rows of %s", (*ids)->n, (*x)->rows, path);
	const float *v = (*x)->data;
	for (size_t i = 0; i < (*x)->rows * (*x)->cols; i++)
		if (!isfinite(v[i]))
			return pf_err_set(err, PF_EDATA, path, 0, "row %zu "
			    "(id '%s'), column %zu: %g is not a finite number",
			    i / (*x)->cols, (*ids)->id[i / (*x)->cols],
			    i % (*x)->cols, (double)v[i]);
	return PF_OK;
}

typedef struct byid {
	const char	*id;
	uint32_t	 i;
} byid;

static int
cmp_byid(const void *a, const void *b)
{
	return strcmp(((const byid *)a)->id, ((const byid *)b)->id);
}

static int
dense_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	pf_golden *g = cfg->golden;
	const pf_param *mp = pf_stage_param(cfg, "metric");
	char dpath[4096], qpath[4096], dipath[4096], qipath[4096];
	pf_npy *D = NULL, *Q = NULL;
	pf_ids *did = NULL, *qid = NULL;
	pf_strtab *seen = NULL;
	uint32_t *gdoc = NULL, *tie = NULL;
	float *qm = NULL;
	byid *order = NULL;
	dense *s = NULL;
	long depth;
	int rc;
	pf_dense_metric metric = PF_DENSE_IP;

	*out = NULL;
	if (mp != NULL && strcmp(mp->value, "ip") != 0 &&
	    strcmp(mp->value, "cosine") != 0)
		return pf_err_set(err, PF_EINVAL, cfg->file, mp->line,
		    "metric='%s': expected ip or cosine", mp->value);
	if (mp != NULL && strcmp(mp->value, "cosine") == 0)
		metric = PF_DENSE_COSINE;
	if ((rc = pf_stage_long(cfg, "depth", 1000, 1, 100000000, &depth,
	    err)) != PF_OK)
		return rc;
	if ((rc = load_side(cfg, "docs", "doc-ids", dpath, dipath, &D, &did,
	    err)) != PF_OK || (rc = load_side(cfg, "queries", "query-ids",
	    qpath, qipath, &Q, &qid, err)) != PF_OK)
		goto done;
	if (Q->cols != D->cols) {
		rc = pf_err_set(err, PF_EDATA, qpath, 0, "dimension %zu: the "
		    "document embeddings (%s) have dimension %zu", Q->cols,
		    dpath, D->cols);
		goto done;
	}
	size_t nd = D->rows, dim = D->cols;
	if ((gdoc = malloc((nd + 1) * sizeof(*gdoc))) == NULL ||
	    (tie = malloc((nd + 1) * sizeof(*tie))) == NULL ||
	    (order = malloc((nd + 1) * sizeof(*order))) == NULL ||
	    (seen = pf_strtab_new()) == NULL)
		goto nomem;
	/* documents: golden indices, each id once */
	for (size_t j = 0; j < nd; j++) {
		const char *id = did->id[j];
		size_t len = strlen(id);
		size_t before = pf_strtab_count(seen);
		long t = pf_strtab_intern(seen, id, len), d;
		if (t < 0)
			goto nomem;
		if (pf_strtab_count(seen) == before) {
			rc = pf_err_set(err, PF_EDATA, dipath, (long)j + 1,
			    "duplicate document id '%s'", id);
			goto done;
		}
		if (g->ncorpus > 0) {
			d = pf_strtab_find(g->docs, id, len);
			if (d < 0 || (size_t)d >= g->ncorpus) {
				rc = pf_err_set(err, PF_EDATA, dipath, (long)j +
				    1, "document '%s' is not in the corpus "
				    "(%s)", id, g->docs_path);
				goto done;
			}
		} else if ((d = pf_golden_doc(g, id, len)) < 0) {
			goto nomem;
		}
		gdoc[j] = (uint32_t)d;
		order[j] = (byid){id, (uint32_t)j};
	}
	/* ties: the engine's order, docid descending (larger rank first) */
	qsort(order, nd, sizeof(*order), cmp_byid);
	for (size_t j = 0; j < nd; j++)
		tie[order[j].i] = (uint32_t)j;
	/* queries: the golden set's, in its order */
	pf_strtab_free(seen);
	if ((seen = pf_strtab_new()) == NULL)
		goto nomem;
	for (size_t j = 0; j < qid->n; j++) {
		size_t before = pf_strtab_count(seen);
		if (pf_strtab_intern(seen, qid->id[j], strlen(qid->id[j])) < 0)
			goto nomem;
		if (pf_strtab_count(seen) == before) {
			rc = pf_err_set(err, PF_EDATA, qipath, (long)j + 1,
			    "duplicate query id '%s'", qid->id[j]);
			goto done;
		}
	}
	size_t nq = g->nq, k = (size_t)depth < nd ? (size_t)depth : nd, nk;
	if (pf_mul_size(nq, k, &nk) != PF_OK || pf_mul_size(nq, dim, &nk) !=
	    PF_OK || pf_mul_size(nq * k, sizeof(double), &nk) != PF_OK)
		goto nomem;
	if ((qm = malloc((nq * dim + 1) * sizeof(*qm))) == NULL)
		goto nomem;
	for (size_t i = 0; i < nq; i++) {
		long r = pf_strtab_find(seen, g->qid[i], strlen(g->qid[i]));
		if (r < 0) {
			rc = pf_err_set(err, PF_EDATA, qipath, 0, "query '%s' of "
			    "the golden set has no embedding", g->qid[i]);
			goto done;
		}
		memcpy(qm + i * dim, Q->data + (size_t)r * dim, dim *
		    sizeof(*qm));
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->n = calloc(nq + 1, sizeof(*s->n))) == NULL ||
	    (s->doc = malloc((nq * k + 1) * sizeof(*s->doc))) == NULL ||
	    (s->score = malloc((nq * k + 1) * sizeof(*s->score))) == NULL)
		goto nomem;
	s->k = k;
	s->nq = nq;
	if ((rc = pf_dense_topk(qm, nq, D->data, nd, dim, metric, tie, k,
	    s->doc, s->score, err)) != PF_OK)
		goto done;
	for (size_t i = 0; i < nq * k; i++)
		s->doc[i] = gdoc[s->doc[i]];
	for (size_t i = 0; i < nq; i++)
		s->n[i] = k;
	*out = s;
	s = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	dense_close(s);
	pf_npy_free(D);
	pf_npy_free(Q);
	pf_ids_free(did);
	pf_ids_free(qid);
	pf_strtab_free(seen);
	free(gdoc);
	free(tie);
	free(qm);
	free(order);
	return rc;
}

static int
dense_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	dense *s = st;
	size_t n = s->n[q->index];

	(void)scratch;
	io->n = 0;
	if (pf_cands_reserve(io, n) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	memcpy(io->doc, s->doc + q->index * s->k, n * sizeof(*io->doc));
	memcpy(io->score, s->score + q->index * s->k, n * sizeof(*io->score));
	memset(io->row, 0, n * sizeof(*io->row));
	io->n = n;
	io->feats = (pf_feats){NULL, NULL, 0, 0};
	return PF_OK;
}

static const pf_stage_param_doc dense_params[] = {
	{"docs", "path", 1, "document embeddings: .npy float32 (rows, dim)"},
	{"doc-ids", "path", 1, "document ids, one a line, one per row of docs"},
	{"queries", "path", 1, "query embeddings: .npy float32 (rows, dim)"},
	{"query-ids", "path", 1, "query ids, one a line, one per row of "
	    "queries"},
	{"metric", "string", 0, "ip (default: inner product) or cosine"},
	{"depth", "int", 0, "documents retrieved per query (default 1000)"},
	{NULL, NULL, 0, NULL}
};

const pf_stage_ops pf_stage_dense = {
	PF_STAGE_ABI, "dense",
	"retrieve: exact top-k by inner product or cosine over embeddings",
	PF_STAGE_RETRIEVES | PF_STAGE_SCORES, dense_params, dense_open,
	dense_process, dense_close, NULL, NULL
};

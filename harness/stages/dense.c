/*
 * harness/stages/dense.c — the dense stage: exact top-depth retrieval by
 * inner product or cosine over document embeddings (harness/text/dense_search.h), with
 * query embeddings given too (.npy float32 + ids files, harness/load/npy.h).
 *
 * Everything is computed at open, for every query of the golden set at
 * once (all queries x documents in sgemm tiles), and cached; process()
 * copies a query's list. That keeps process() trivial and the result
 * byte-identical for any thread count (dense.h says why).
 *
 * Which ids must match what, and the errors: harness/stages/embeddings.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/text/dense_search.h"
#include "harness/stages/embeddings.h"
#include "harness/load/golden.h"
#include "harness/stages/stage.h"
#include "harness/util/strtab.h"

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
	pf_emb *e = NULL;
	pf_dense_metric metric;
	uint32_t *tie = NULL;
	byid *order = NULL;
	dense *s = NULL;
	long depth;
	int rc;

	*out = NULL;
	if ((rc = pf_stage_long(cfg, "depth", 1000, 1, 100000000, &depth,
	    err)) != PF_OK || (rc = pf_stage_embeddings(&e, &metric, cfg, "", err)) != PF_OK)
		return rc;
	size_t nd = e->nd, nq = e->nq;
	size_t k = (size_t)depth < nd ? (size_t)depth : nd, nk;
	if ((tie = malloc((nd + 1) * sizeof(*tie))) == NULL ||
	    (order = malloc((nd + 1) * sizeof(*order))) == NULL)
		goto nomem;
	/* ties: the engine's order, docid descending (larger rank first) */
	for (size_t j = 0; j < nd; j++)
		order[j] = (byid){pf_golden_docid(g, e->gdoc[j]), (uint32_t)j};
	qsort(order, nd, sizeof(*order), cmp_byid);
	for (size_t j = 0; j < nd; j++)
		tie[order[j].i] = (uint32_t)j;
	if (pf_mul_size(nq, k, &nk) != PF_OK ||
	    pf_mul_size(nq * k, sizeof(double), &nk) != PF_OK)
		goto nomem;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->n = calloc(nq + 1, sizeof(*s->n))) == NULL ||
	    (s->doc = malloc((nq * k + 1) * sizeof(*s->doc))) == NULL ||
	    (s->score = malloc((nq * k + 1) * sizeof(*s->score))) == NULL)
		goto nomem;
	s->k = k;
	s->nq = nq;
	if ((rc = pf_dense_topk(e->q, nq, e->doc, nd, e->dim, metric, tie,
	    k, s->doc, s->score, err)) != PF_OK)
		goto done;
	for (size_t i = 0; i < nq * k; i++)
		s->doc[i] = e->gdoc[s->doc[i]];
	for (size_t i = 0; i < nq; i++)
		s->n[i] = k;
	*out = s;
	s = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	dense_close(s);
	pf_emb_free(e);
	free(tie);
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
	io->feats = (pf_feats){NULL, NULL, 0, 0, NULL, NULL};
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
	.abi = PF_STAGE_ABI,
	.name = "dense",
	.summary = "retrieve: exact top-k by inner product or cosine "
	    "over embeddings",
	.flags = PF_STAGE_RETRIEVES | PF_STAGE_SCORES,
	.params = dense_params,
	.open = dense_open,
	.process = dense_process,
	.close = dense_close,
};

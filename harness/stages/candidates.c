/*
 * harness/stages/candidates.c — the candidates stage: each query's candidate rows, with their
 * features, from a LETOR/SVMlight file the golden set loads once and shares.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/load/golden.h"
#include "harness/stages/stage.h"
#include "harness/util/strtab.h"

typedef struct cand_state {
	const pf_svm	*svm;
	long		*qrow;		/* golden query -> svm query, -1 none */
	uint32_t	*doc;		/* svm row -> golden document */
} cand_state;

static void
cand_close(void *st)
{
	cand_state *s = st;

	if (s == NULL)
		return;
	free(s->qrow);
	free(s->doc);
	free(s);
}

static int
cand_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	char path[4096], qfile[4096];
	cand_state *s;
	int rc;

	*out = NULL;
	if ((rc = pf_stage_need(cfg, "candidates", "file", err)) != PF_OK ||
	    (rc = pf_stage_path(cfg, "file", path, sizeof(path), err)) !=
	    PF_OK || (rc = pf_stage_path(cfg, "query-file", qfile,
	    sizeof(qfile), err)) != PF_OK)
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return pf_err_set(err, PF_ENOMEM, cfg->file, cfg->line,
		    "out of memory");
	if ((rc = pf_golden_svm(cfg->golden, path, qfile[0] ? qfile : NULL,
	    cfg->need_double, &s->svm, err)) != PF_OK)
		goto fail;
	pf_golden *g = cfg->golden;
	if ((s->qrow = malloc(g->nq * sizeof(*s->qrow))) == NULL ||
	    (s->doc = malloc((s->svm->nrows ? s->svm->nrows : 1) *
	    sizeof(*s->doc))) == NULL)
		goto nomem;
	for (size_t q = 0; q < g->nq; q++)
		s->qrow[q] = -1;
	for (size_t k = 0; k < s->svm->nq; k++) {
		long q = pf_golden_query(g, s->svm->qid[k]);
		if (q >= 0)
			s->qrow[q] = (long)k;
	}
	/* Documents: one golden index per docid; a docid twice in one
	   query would make the ranking ambiguous. */
	pf_strtab *seen = NULL;
	for (size_t k = 0; k < s->svm->nq; k++) {
		pf_strtab_free(seen);
		if ((seen = pf_strtab_new()) == NULL)
			goto nomem;
		for (size_t r = s->svm->qoff[k]; r < s->svm->qoff[k + 1];
		    r++) {
			const char *id = s->svm->docid[r];
			size_t len = strlen(id);
			long before = pf_strtab_count(seen);
			if (pf_strtab_intern(seen, id, len) < 0)
				goto nomem;
			if ((long)pf_strtab_count(seen) == before) {
				pf_strtab_free(seen);
				rc = pf_err_set(err, PF_EDATA, path, 0,
				    "duplicate document '%s' in query '%s' "
				    "(row %zu)", id, s->svm->qid[k], r + 1);
				goto fail;
			}
			long d = pf_golden_doc(g, id, len);
			if (d < 0) {
				pf_strtab_free(seen);
				goto nomem;
			}
			s->doc[r] = (uint32_t)d;
		}
	}
	pf_strtab_free(seen);
	*out = s;
	return PF_OK;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, cfg->file, cfg->line, "out of memory");
fail:
	cand_close(s);
	return rc;
}

/* The file's features as the stages see them, with its column map. */
static pf_feats
svm_feats(const pf_svm *v)
{
	return (pf_feats){v->x32, v->x64, v->nf, v->base, v->id};
}

static int
cand_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	cand_state *s = st;
	long k = s->qrow[q->index];

	(void)scratch;
	io->n = 0;
	io->feats = svm_feats(s->svm);
	if (k < 0)
		return PF_OK;	/* no candidates: an empty ranking */
	size_t r0 = s->svm->qoff[k], n = s->svm->qoff[k + 1] - r0;
	if (pf_cands_reserve(io, n) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < n; i++) {
		io->doc[i] = s->doc[r0 + i];
		io->row[i] = (uint32_t)(r0 + i);
		io->score[i] = 0.0;
	}
	io->n = n;
	return PF_OK;
}

static int
cand_features(void *st, pf_feats *out)
{
	cand_state *s = st;

	*out = svm_feats(s->svm);
	return PF_OK;
}

static const pf_stage_param_doc cand_params[] = {
	{"file", "path", 1, "LETOR/SVMlight file: grade qid:Q id:v ... # docid"},
	{"query-file", "path", 0, "LightGBM layout: group sizes, one a line "
	    "(the file then has no qid:)"},
	{NULL, NULL, 0, NULL}
};

const pf_stage_ops pf_stage_candidates = {
	.abi = PF_STAGE_ABI,
	.name = "candidates",
	.summary = "retrieve: each query's candidate rows and features from a "
	    "LETOR file",
	.flags = PF_STAGE_RETRIEVES | PF_STAGE_FEATURES,
	.params = cand_params,
	.open = cand_open,
	.process = cand_process,
	.close = cand_close,
	.features = cand_features,
};

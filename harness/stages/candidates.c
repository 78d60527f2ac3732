/*
 * harness/stages/candidates.c — the candidates stage: each query's candidate rows, with their
 * features, from a LETOR/SVMlight file the golden set loads once and shares,
 * and their names from an optional names file (names=, load/featnames.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/golden.h"
#include "harness/stages/stage.h"

typedef struct cand_state {
	const pf_svm	*svm;
	long		*qrow;		/* golden query -> svm query, -1 none */
	const uint32_t	*doc;		/* svm row -> golden document
					   (borrowed from the golden set) */
	pf_fnames	*names;		/* names=, or NULL */
} cand_state;

static void
cand_close(void *st)
{
	cand_state *s = st;

	if (s == NULL)
		return;
	free(s->qrow);
	pf_fnames_free(s->names);
	free(s);
}

static pf_feats	svm_feats(const pf_svm *, const pf_fnames *);

/*
 * A name for an id the file does not have names nothing: a warning at the
 * first such line (a names file is often shared by a training and a test
 * file, and a test file may lack a feature), an error under run --strict.
 */
static int
check_names(const cand_state *s, const pf_stage_cfg *cfg, const char *path,
    pf_err *err)
{
	pf_feats f = svm_feats(s->svm, NULL);
	size_t nout = 0;
	long first = -1, line = 0;

	for (size_t i = 0; i < s->names->n; i++)
		if (pf_feats_col(&f, s->names->id[i]) < 0) {
			if (nout++ == 0 || s->names->line[i] < line) {
				first = s->names->id[i];
				line = s->names->line[i];
			}
		}
	if (nout == 0)
		return PF_OK;
	char what[4096 + 256];
	snprintf(what, sizeof(what), "%zu name%s that %s does not have (the "
	    "first: feature %ld; its ids: %ld..%ld, %zu of them)", nout,
	    nout == 1 ? " is for a feature id" : "s are for feature ids", path,
	    first, f.nf ?
	    pf_feats_id(&f, 0) : 0, pf_feats_last_id(&f), f.nf);
	if (cfg->strict)
		return pf_err_set(err, PF_EDATA, s->names->origin, line, "%s: "
		    "refused under --strict", what);
	if (cfg->warnings != NULL)
		pf_diags_add(cfg->warnings, s->names->origin, line, "%s; they "
		    "name nothing", what);
	return PF_OK;
}

/* names=: loaded and checked against the file's ids. */
static int
load_names(cand_state *s, const pf_stage_cfg *cfg, const char *path,
    pf_err *err)
{
	char npath[4096];
	int rc;

	if (pf_stage_param(cfg, "names") == NULL)
		return PF_OK;
	if ((rc = pf_stage_path(cfg, "names", npath, sizeof(npath), err)) !=
	    PF_OK || (rc = pf_featnames_load(&s->names, npath, err)) != PF_OK)
		return rc;
	return check_names(s, cfg, path, err);
}

static int
cand_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	char path[4096], qfile[4096];
	const pf_param *fb = pf_stage_param(cfg, "feature-base");
	int rc, base = PF_SVM_BASE_AUTO;
	cand_state *s;

	*out = NULL;
	if ((rc = pf_stage_need(cfg, "candidates", "file", err)) != PF_OK ||
	    (rc = pf_stage_path(cfg, "file", path, sizeof(path), err)) !=
	    PF_OK || (rc = pf_stage_path(cfg, "query-file", qfile,
	    sizeof(qfile), err)) != PF_OK)
		return rc;
	/* feature-base: the file's first feature id, 0 or 1; by default
	   from the file (0 when some row has feature id 0) */
	if (fb != NULL && strcmp(fb->value, "0") != 0 &&
	    strcmp(fb->value, "1") != 0)
		return pf_err_set(err, PF_EINVAL, cfg->file, fb->line,
		    "feature-base='%s': expected 0 or 1", fb->value);
	if (fb != NULL)
		base = fb->value[0] == '0' ? PF_SVM_BASE_ZERO :
		    PF_SVM_BASE_ONE;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return pf_err_set(err, PF_ENOMEM, cfg->file, cfg->line,
		    "out of memory");
	if ((rc = pf_golden_svm_base(cfg->golden, path, qfile[0] ? qfile :
	    NULL, cfg->need_double, base, &s->svm, err)) != PF_OK ||
	    (rc = load_names(s, cfg, path, err)) != PF_OK)
		goto fail;
	pf_golden *g = cfg->golden;
	if ((s->qrow = malloc(g->nq * sizeof(*s->qrow))) == NULL)
		goto nomem;
	for (size_t q = 0; q < g->nq; q++)
		s->qrow[q] = -1;
	for (size_t k = 0; k < s->svm->nq; k++) {
		long q = pf_golden_query(g, s->svm->qid[k]);
		if (q >= 0)
			s->qrow[q] = (long)k;
	}
	/* Documents: one golden index per docid, shared with the other
	   stacks reading the file. The loader refused a docid twice in one
	   query (svmlight.h), which would make the ranking ambiguous. */
	if ((rc = pf_golden_svm_docs(g, s->svm, &s->doc, err)) != PF_OK)
		goto fail;
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
svm_feats(const pf_svm *v, const pf_fnames *names)
{
	return (pf_feats){v->x32, v->x64, v->nf, v->base, v->id, names};
}

static int
cand_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	cand_state *s = st;
	long k = s->qrow[q->index];

	(void)scratch;
	io->n = 0;
	io->feats = svm_feats(s->svm, s->names);
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

	*out = svm_feats(s->svm, s->names);
	return PF_OK;
}

static const pf_stage_param_doc cand_params[] = {
	{"file", "path", 1, "LETOR/SVMlight file: grade qid:Q id:v ... # docid"},
	{"query-file", "path", 0, "LightGBM layout: group sizes, one a line "
	    "(the file then has no qid:)"},
	{"feature-base", "0|1", 0, "the file's first feature id: 0 for the "
	    "zero-based libsvm files XGBoost and LightGBM write, 1 for LETOR "
	    "(default: 0 when some row has feature id 0, else 1)"},
	{"names", "path", 0, "feature names: 'id<TAB>name[<TAB>query]' lines, "
	    "id the file's feature id ('query': a query-level feature)"},
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

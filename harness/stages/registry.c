/*
 * harness/stages/registry.c — the stage registry, the parameter helpers, and the
 * small stages: candidates (LETOR/SVMlight), linear, cutoff. The gbdt stage
 * is in stage_gbdt.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/grow.h"
#include "harness/util/fileio.h"
#include "harness/load/golden.h"
#include "harness/util/scan.h"
#include "harness/stages/stage.h"
#include "harness/util/strtab.h"

extern const pf_stage_ops pf_stage_gbdt;	/* stage_gbdt.c */
extern const pf_stage_ops pf_stage_bm25;	/* stage_bm25.c */
extern const pf_stage_ops pf_stage_dense;	/* stage_dense.c */
extern const pf_stage_ops pf_stage_rules;	/* stage_rules.c */
extern const pf_stage_ops pf_stage_textfeatures;	/* stage_textfeatures.c */
extern const pf_stage_ops pf_stage_plugin;	/* stage_plugin.c */

/* ---- parameters ------------------------------------------------------ */

const pf_param *
pf_stage_param(const pf_stage_cfg *cfg, const char *key)
{
	return pf_param_find(cfg->params, cfg->nparams, key);
}

int
pf_stage_path(const pf_stage_cfg *cfg, const char *key, char *buf,
    size_t bufsz, pf_err *err)
{
	const pf_param *p = pf_stage_param(cfg, key);
	char *j;

	if (p == NULL) {
		buf[0] = '\0';
		return PF_OK;
	}
	if ((j = pf_path_join(cfg->base_dir, p->value)) == NULL)
		return pf_err_set(err, PF_ENOMEM, cfg->file, cfg->line,
		    "out of memory");
	if (strlen(j) >= bufsz) {
		free(j);
		return pf_err_set(err, PF_EINVAL, cfg->file, cfg->line,
		    "path in '%s' is too long", key);
	}
	strcpy(buf, j);
	free(j);
	return PF_OK;
}

int
pf_stage_long(const pf_stage_cfg *cfg, const char *key, long def, long min,
    long max, long *out, pf_err *err)
{
	const pf_param *p = pf_stage_param(cfg, key);

	*out = def;
	if (p == NULL)
		return PF_OK;
	if (pf_parse_long(p->value, strlen(p->value), min, max, out) != 0)
		return pf_err_set(err, PF_EINVAL, cfg->file, p->line,
		    "%s='%s': expected an integer in [%ld, %ld]", key,
		    p->value, min, max);
	return PF_OK;
}

int
pf_stage_double(const pf_stage_cfg *cfg, const char *key, double def,
    double *out, pf_err *err)
{
	const pf_param *p = pf_stage_param(cfg, key);

	*out = def;
	if (p == NULL)
		return PF_OK;
	if (pf_parse_double(p->value, strlen(p->value), out) != 0 ||
	    !isfinite(*out))
		return pf_err_set(err, PF_EINVAL, cfg->file, p->line,
		    "%s='%s': expected a finite number", key, p->value);
	return PF_OK;
}

int
pf_cands_reserve(pf_cands *c, size_t n)
{
	if (n <= c->cap)
		return PF_OK;
	size_t cap = c->cap ? c->cap : 256;
	while (cap < n)
		cap *= 2;
	uint32_t *d = realloc(c->doc, cap * sizeof(*d));
	if (d == NULL)
		return PF_ENOMEM;
	c->doc = d;
	uint32_t *r = realloc(c->row, cap * sizeof(*r));
	if (r == NULL)
		return PF_ENOMEM;
	c->row = r;
	double *s = realloc(c->score, cap * sizeof(*s));
	if (s == NULL)
		return PF_ENOMEM;
	c->score = s;
	c->cap = cap;
	return PF_OK;
}

void
pf_cands_free(pf_cands *c)
{
	free(c->doc);
	free(c->row);
	free(c->score);
	*c = (pf_cands){0};
}

/* ---- candidates ------------------------------------------------------ */

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
	if ((rc = pf_stage_path(cfg, "file", path, sizeof(path), err)) !=
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

static int
cand_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	cand_state *s = st;
	long k = s->qrow[q->index];

	(void)scratch;
	io->n = 0;
	io->feats = (pf_feats){s->svm->x32, s->svm->x64, s->svm->nf,
	    s->svm->base};
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

	*out = (pf_feats){s->svm->x32, s->svm->x64, s->svm->nf, s->svm->base};
	return PF_OK;
}

static const pf_stage_param_doc cand_params[] = {
	{"file", "path", 1, "LETOR/SVMlight file: grade qid:Q id:v ... # docid"},
	{"query-file", "path", 0, "LightGBM layout: group sizes, one a line "
	    "(the file then has no qid:)"},
	{NULL, NULL, 0, NULL}
};

static const pf_stage_ops stage_candidates = {
	PF_STAGE_ABI, "candidates",
	"retrieve: each query's candidate rows and features from a LETOR file",
	PF_STAGE_RETRIEVES | PF_STAGE_FEATURES, cand_params, cand_open,
	cand_process, cand_close, cand_features, NULL
};

/* ---- linear ---------------------------------------------------------- */

typedef struct lin_state {
	double	 bias;
	size_t	 nw;
	long	*id;		/* file feature ids */
	double	*w;
} lin_state;

static void
lin_close(void *st)
{
	lin_state *s = st;

	if (s == NULL)
		return;
	free(s->id);
	free(s->w);
	free(s);
}

/* Weights file: "bias B" and "<feature id> <weight>" lines, # comments. */
static int
lin_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	char path[4096], *buf = NULL;
	size_t len, lineno = 0;
	lin_state *s;
	int rc;

	*out = NULL;
	if ((rc = pf_stage_path(cfg, "weights", path, sizeof(path), err)) !=
	    PF_OK || (rc = pf_read_file(&buf, &len, path, err)) != PF_OK)
		return rc;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto nomem;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *line, *le = pf_take_line(&p, end, &line), *f[3];
		size_t fl[3];
		double w;
		long id = 0;

		lineno++;
		int nf = pf_split_ws(line, le, f, fl, 3);
		if (nf == 0 || f[0][0] == '#')
			continue;
		if (nf != 2 || pf_parse_double(f[1], fl[1], &w) != 0 ||
		    !isfinite(w) || ((fl[0] != 4 || memcmp(f[0], "bias", 4)) &&
		    pf_parse_long(f[0], fl[0], 0, 100000000, &id) != 0)) {
			rc = pf_err_set(err, PF_EFORMAT, path, (long)lineno,
			    "expected '<feature id> <weight>' or 'bias "
			    "<value>' with finite numbers");
			goto fail;
		}
		if (fl[0] == 4 && memcmp(f[0], "bias", 4) == 0) {
			s->bias = w;
			continue;
		}
		long *ni = realloc(s->id, (s->nw + 1) * sizeof(*ni));
		if (ni == NULL)
			goto nomem;
		s->id = ni;
		double *nw = realloc(s->w, (s->nw + 1) * sizeof(*nw));
		if (nw == NULL)
			goto nomem;
		s->w = nw;
		s->id[s->nw] = id;
		s->w[s->nw++] = w;
	}
	free(buf);
	*out = s;
	return PF_OK;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
fail:
	free(buf);
	lin_close(s);
	return rc;
}

static int
lin_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	lin_state *s = st;
	const pf_feats *f = &io->feats;

	(void)q;
	(void)scratch;
	if (f->x32 == NULL && io->n > 0)
		return pf_err_set(err, PF_ESTAGE, NULL, 0, "linear needs a "
		    "stage before it that provides features");
	for (size_t i = 0; i < io->n; i++) {
		const float *x = f->x32 + (size_t)io->row[i] * f->nf;
		double sc = s->bias;
		for (size_t k = 0; k < s->nw; k++) {
			long c = s->id[k] - f->base;
			if (c < 0 || (size_t)c >= f->nf)
				continue;
			float v = x[c];	/* absent (NaN) contributes nothing */
			if (v == v)
				sc += s->w[k] * (double)v;
		}
		io->score[i] = sc;
	}
	return PF_OK;
}

static const pf_stage_param_doc lin_params[] = {
	{"weights", "path", 1, "lines '<feature id> <weight>' and 'bias <b>'"},
	{NULL, NULL, 0, NULL}
};

static const pf_stage_ops stage_linear = {
	PF_STAGE_ABI, "linear",
	"rank: bias + sum of weight x feature (absent features add nothing)",
	PF_STAGE_SCORES, lin_params, lin_open, lin_process, lin_close, NULL,
	NULL
};

/* ---- cutoff ---------------------------------------------------------- */

static int
cut_open(void **out, const pf_stage_cfg *cfg, pf_err *err)
{
	long k;
	int rc = pf_stage_long(cfg, "k", 0, 1, 100000000, &k, err);

	if (rc != PF_OK)
		return rc;
	if ((*out = malloc(sizeof(long))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	*(long *)*out = k;
	return PF_OK;
}

static int
cut_process(void *st, const pf_query *q, pf_cands *io, pf_arena *scratch,
    pf_err *err)
{
	size_t k = (size_t)*(long *)st;

	(void)q;
	(void)scratch;
	(void)err;
	if (io->n > k)
		io->n = k;	/* the list is sorted after every scorer */
	return PF_OK;
}

static const pf_stage_param_doc cut_params[] = {
	{"k", "int", 1, "keep the top k of the current ranking"},
	{NULL, NULL, 0, NULL}
};

static const pf_stage_ops stage_cutoff = {
	PF_STAGE_ABI, "cutoff", "post: keep the top k", 0, cut_params,
	cut_open, cut_process, free, NULL, NULL
};

/* ---- registry -------------------------------------------------------- */

const pf_stage_ops *const pf_stage_registry[] = {
	&pf_stage_bm25, &pf_stage_dense, &stage_candidates, &pf_stage_textfeatures, &stage_linear,
	&pf_stage_gbdt, &pf_stage_plugin, &pf_stage_rules, &stage_cutoff, NULL
};

const pf_stage_ops *
pf_stage_find(const char *name)
{
	for (size_t i = 0; pf_stage_registry[i] != NULL; i++)
		if (strcmp(pf_stage_registry[i]->name, name) == 0)
			return pf_stage_registry[i];
	return NULL;
}

const pf_stage_ops *
pf_stage_check(const char *name, const pf_param *params, size_t nparams,
    const char *file, long line, pf_diags *d)
{
	const pf_stage_ops *ops = pf_stage_find(name);
	int bad = 0;

	if (ops == NULL) {
		pf_diags_add(d, file, line, "stage '%s' is not in this build's "
		    "registry (see `preflight stages`)", name);
		return NULL;
	}
	for (size_t j = 0; j < nparams; j++) {
		int known = 0;
		for (const pf_stage_param_doc *pd = ops->params;
		    pd != NULL && pd->name != NULL; pd++)
			known |= strcmp(pd->name, params[j].key) == 0;
		if (!known) {
			pf_diags_add(d, file, params[j].line, "stage '%s' has "
			    "no parameter '%s'", name, params[j].key);
			bad = 1;
		}
	}
	return bad ? NULL : ops;
}

/*
 * harness/load/golden.c — see golden.h.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/load/corpus.h"
#include "harness/util/fileio.h"
#include "harness/load/golden.h"
#include "harness/load/label_quality.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

struct golden_svm {
	char	*path, *qfile;
	int	 need_double;
	pf_svm	*svm;
};

void
pf_golden_free(pf_golden *g)
{
	if (g == NULL)
		return;
	pf_qrels_free(g->qrels);
	pf_goldq_free(g->labelq);
	for (size_t i = 0; i < g->nq; i++) {
		free(g->qid[i]);
		if (g->text != NULL)
			free(g->text[i]);
	}
	for (size_t i = 0; g->dim != NULL && i < g->nq * g->ndims; i++)
		free(g->dim[i]);
	for (size_t i = 0; i < g->ndims; i++)
		free(g->dim_name[i]);
	free(g->dim);
	free(g->dim_name);
	free(g->qid);
	free(g->text);
	free(g->topic);
	for (size_t i = 0; i < g->nsvm; i++) {
		pf_svm_free(g->svm[i].svm);
		free(g->svm[i].path);
		free(g->svm[i].qfile);
	}
	free(g->svm);
	for (size_t i = 0; i < g->ncorpus; i++) {
		free(g->title[i]);
		free(g->body[i]);
	}
	free(g->title);
	free(g->body);
	for (size_t i = 0; i < g->nfv; i++)
		free(g->fv_val[i]);
	free(g->fv_val);
	free(g->fv_doc);
	free(g->fv_name);
	pf_strtab_free(g->fnames);
	free(g->qline);
	pf_strtab_free(g->docs);
	pf_strtab_free(g->qids);
	for (size_t i = 0; i < g->nexp; i++) {
		free(g->exp_qid[i]);
		free(g->exp_doc[i]);
	}
	free(g->exp_qid);
	free(g->exp_doc);
	free(g->exp_query);
	free(g->exp_max);
	free(g->exp_line);
	free(g);
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

int
pf_golden_svm(pf_golden *g, const char *path, const char *qfile,
    int need_double, const pf_svm **out, pf_err *err)
{
	struct golden_svm *e;
	pf_svm *s;
	pf_svm_opts o = {.query_file = qfile, .base = 1,
	    .need_double = need_double};
	int rc;

	for (size_t i = 0; i < g->nsvm; i++)
		if (strcmp(g->svm[i].path, path) == 0 &&
		    same(g->svm[i].qfile, qfile) &&
		    g->svm[i].need_double >= need_double) {
			*out = g->svm[i].svm;
			return PF_OK;
		}
	/* New, or needed with doubles now: load it (an earlier copy stays
	   alive, stages opened before may point into it). */
	if ((rc = pf_svm_load(&s, path, &o, err)) != PF_OK)
		return rc;
	e = realloc(g->svm, (g->nsvm + 1) * sizeof(*e));
	if (e == NULL) {
		pf_svm_free(s);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory");
	}
	g->svm = e;
	e = &g->svm[g->nsvm];
	*e = (struct golden_svm){strdup(path), qfile ? strdup(qfile) : NULL,
	    need_double, s};
	g->nsvm++;
	*out = s;
	return PF_OK;
}

long
pf_golden_doc(pf_golden *g, const char *docid, size_t len)
{
	return pf_strtab_intern(g->docs, docid, len);
}

const char *
pf_golden_docid(const pf_golden *g, uint32_t doc)
{
	return pf_strtab_str(g->docs, doc);
}

long
pf_golden_query(const pf_golden *g, const char *qid)
{
	return pf_strtab_find(g->qids, qid, strlen(qid));
}

int
pf_golden_add_query(pf_golden *g, const char *qid, size_t len,
    const char *text, size_t tlen, long line)
{
	char **q = realloc(g->qid, (g->nq + 1) * sizeof(*q));
	if (q == NULL)
		return -1;
	g->qid = q;
	long *ql = realloc(g->qline, (g->nq + 1) * sizeof(*ql));
	if (ql == NULL)
		return -1;
	g->qline = ql;
	ql[g->nq] = line;
	char **t = realloc(g->text, (g->nq + 1) * sizeof(*t));
	if (t == NULL)
		return -1;
	g->text = t;
	if ((g->qid[g->nq] = strndup(qid, len)) == NULL)
		return -1;
	g->text[g->nq] = text ? strndup(text, tlen) : NULL;
	g->nq++;
	return pf_strtab_intern(g->qids, qid, len) < 0 ? -1 : 0;
}

/* queries.tsv: header qid<TAB>text[<TAB>dim...], one query a line. */
static int
load_queries(pf_golden *g, const char *path, pf_diags *d)
{
	char *buf;
	size_t len, lineno = 0, ncols = 0;
	pf_err err = {0};

	if (pf_read_file(&buf, &len, path, &err) != PF_OK) {
		pf_diags_add(d, path, 0, "%s", err.msg);
		return 0;
	}
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *f[256];
		size_t fl[256], nf = 0;

		lineno++;
		if (le > p && le[-1] == '\r')
			le--;
		for (const char *x = p;; ) {	/* split on tabs */
			const char *t = memchr(x, '\t', (size_t)(le - x));
			if (nf < 256) {
				f[nf] = x;
				fl[nf] = (size_t)((t ? t : le) - x);
			}
			nf++;
			if (t == NULL)
				break;
			x = t + 1;
		}
		p = nl ? nl + 1 : end;
		if (le == p - 1 && fl[0] == 0 && nf == 1)
			continue;	/* blank line */
		if (nf > 256) {
			pf_diags_add(d, path, (long)lineno, "more than 256 "
			    "columns");
			break;
		}
		if (lineno == 1) {
			if (nf < 2 || fl[0] != 3 || memcmp(f[0], "qid", 3) ||
			    fl[1] != 4 || memcmp(f[1], "text", 4)) {
				pf_diags_add(d, path, 1, "expected the header "
				    "qid<TAB>text[<TAB>dimension...]");
				break;
			}
			ncols = nf;
			g->ndims = nf - 2;
			if ((g->dim_name = calloc(g->ndims + 1,
			    sizeof(char *))) == NULL)
				goto nomem;
			for (size_t k = 0; k < g->ndims; k++)
				if ((g->dim_name[k] = strndup(f[k + 2],
				    fl[k + 2])) == NULL)
					goto nomem;
			continue;
		}
		if (nf != ncols) {
			pf_diags_add(d, path, (long)lineno, "expected %zu "
			    "tab-separated columns as in the header, got %zu",
			    ncols, nf);
			continue;
		}
		if (fl[0] == 0) {
			pf_diags_add(d, path, (long)lineno, "empty qid");
			continue;
		}
		if (pf_strtab_find(g->qids, f[0], fl[0]) >= 0) {
			pf_diags_add(d, path, (long)lineno, "duplicate qid "
			    "'%.*s'", (int)fl[0], f[0]);
			continue;
		}
		if (pf_golden_add_query(g, f[0], fl[0], f[1], fl[1],
		    (long)lineno) != 0)
			goto nomem;
		char **dm = realloc(g->dim, g->nq * (g->ndims ? g->ndims : 1) *
		    sizeof(*dm));
		if (dm == NULL)
			goto nomem;
		g->dim = dm;
		for (size_t k = 0; k < g->ndims; k++)
			if ((g->dim[(g->nq - 1) * g->ndims + k] = strndup(
			    f[k + 2], fl[k + 2])) == NULL)
				goto nomem;
	}
	if (lineno == 0)
		pf_diags_add(d, path, 0, "empty file (expected a header "
		    "qid<TAB>text)");
	free(buf);
	return 0;
nomem:
	free(buf);
	return -1;
}

/* Judgments from the grades of a candidate file. */
static int
labels_from_svm(pf_golden *g, const pf_scenario *s, pf_diags *d)
{
	const pf_svm *v;
	pf_err err = {0};
	const char **qids = NULL;
	int rc;

	if (pf_golden_svm(g, s->labels, s->labels_qfile, 0, &v, &err) !=
	    PF_OK) {
		pf_diags_add(d, err.where[0] ? err.where : NULL, 0, "%s",
		    err.msg);
		return 0;
	}
	if ((qids = malloc((v->nrows ? v->nrows : 1) * sizeof(*qids))) ==
	    NULL)
		return -1;
	for (size_t q = 0; q < v->nq; q++)
		for (size_t r = v->qoff[q]; r < v->qoff[q + 1]; r++)
			qids[r] = v->qid[q];
	rc = pf_qrels_from_arrays(&g->qrels, s->labels, v->nrows, qids,
	    (const char *const *)v->docid, v->grade, &err);
	free(qids);
	if (rc == PF_ENOMEM)
		return -1;
	if (rc != PF_OK)
		pf_diags_add(d, err.where[0] ? err.where : NULL, 0, "%s",
		    err.msg);
	return 0;
}

/* expectations.tsv: qid<TAB>docid<TAB>max_rank, # comments. */
static int
load_expectations(pf_golden *g, const char *path, pf_diags *d)
{
	char *buf;
	size_t len, lineno = 0, cap = 0;
	pf_err err = {0};

	g->exp_path = path;
	if (pf_read_file(&buf, &len, path, &err) != PF_OK) {
		pf_diags_add(d, path, 0, "%s", err.msg);
		return 0;
	}
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *line, *le = pf_take_line(&p, end, &line), *f[4];
		size_t fl[4];
		long mx;

		lineno++;
		int nf = pf_split_ws(line, le, f, fl, 4);
		if (nf == 0 || f[0][0] == '#')
			continue;
		if (nf != 3 || pf_parse_long(f[2], fl[2], 1, 100000000, &mx)) {
			pf_diags_add(d, path, (long)lineno, "expected qid, docid "
			    "and a positive max_rank");
			continue;
		}
		if (g->nexp == cap) {
			cap = cap ? 2 * cap : 16;
			char **a = realloc(g->exp_qid, cap * sizeof(*a));
			if (a) g->exp_qid = a;
			char **b = a ? realloc(g->exp_doc, cap * sizeof(*b)) : NULL;
			if (b) g->exp_doc = b;
			long *c = b ? realloc(g->exp_query, cap * sizeof(*c)) :
			    NULL;
			if (c) g->exp_query = c;
			long *e = c ? realloc(g->exp_max, cap * sizeof(*e)) : NULL;
			if (e) g->exp_max = e;
			long *h = e ? realloc(g->exp_line, cap * sizeof(*h)) :
			    NULL;
			if (h == NULL) {
				free(buf);
				return -1;
			}
			g->exp_line = h;
		}
		size_t i = g->nexp;
		g->exp_qid[i] = strndup(f[0], fl[0]);
		g->exp_doc[i] = strndup(f[1], fl[1]);
		if (g->exp_qid[i] == NULL || g->exp_doc[i] == NULL) {
			free(g->exp_qid[i]);
			free(g->exp_doc[i]);
			free(buf);
			return -1;
		}
		g->exp_query[i] = pf_strtab_find(g->qids, f[0], fl[0]);
		g->exp_max[i] = mx;
		g->exp_line[i] = (long)lineno;
		g->nexp++;
	}
	free(buf);
	return 0;
}

int
pf_golden_load(pf_golden **out, const pf_scenario *s, pf_diags *d)
{
	pf_golden *g;
	size_t n0 = d->n + d->dropped;
	pf_err err = {0};

	*out = NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL ||
	    (g->docs = pf_strtab_new()) == NULL ||
	    (g->qids = pf_strtab_new()) == NULL)
		goto nomem;
	if (s->docs != NULL && pf_corpus_load(g, s->docs, d) != 0)
		goto nomem;
	if (s->qrels != NULL) {
		int rc = pf_qrels_load(&g->qrels, s->qrels,
		    PF_QRELS_ANNOTATORS, s->agg, &err);
		if (rc == PF_ENOMEM)
			goto nomem;
		if (rc != PF_OK)
			pf_diags_add(d, err.where[0] ? err.where : NULL, 0,
			    "%s", err.msg);
	} else if (s->labels != NULL && labels_from_svm(g, s, d) != 0) {
		goto nomem;
	}	/* neither: `preflight embed`, which reads only the texts */
	if (s->queries != NULL) {
		size_t n = strlen(s->queries);
		g->queries_path = s->queries;
		if ((n >= 6 && !strcmp(s->queries + n - 6, ".jsonl") ?
		    pf_queries_load_jsonl(g, s->queries, d) :
		    load_queries(g, s->queries, d)) != 0)
			goto nomem;
	} else if (g->qrels != NULL) {	/* the judged topics */
		for (size_t t = 0; t < pf_qrels_ntopics(g->qrels); t++) {
			const char *q = pf_qrels_qid(g->qrels, t);
			if (pf_golden_add_query(g, q, strlen(q), NULL, 0,
			    0) != 0)
				goto nomem;
		}
	}
	if (s->expectations != NULL &&
	    load_expectations(g, s->expectations, d) != 0)
		goto nomem;
	if (d->n + d->dropped != n0)
		goto fail;
	if (g->nq == 0) {
		pf_diags_add(d, s->queries ? s->queries : s->path,
		    s->queries ? 0 : s->golden_line, "the golden set has no "
		    "queries");
		goto fail;
	}
	if ((g->topic = malloc(g->nq * sizeof(*g->topic))) == NULL)
		goto nomem;
	if (g->qrels != NULL &&
	    pf_goldq_compute(&g->labelq, g->qrels, &err) != PF_OK)
		goto nomem;	/* PF_ENOMEM: the qrels loaded, so no EINVAL */
	for (size_t i = 0; i < g->nq; i++) {
		g->topic[i] = g->qrels == NULL ? -1 : pf_qrels_topic(g->qrels,
		    g->qid[i], strlen(g->qid[i]));
		g->nunjudged_queries += g->topic[i] < 0;
	}
	*out = g;
	return PF_OK;
nomem:
	pf_diags_add(d, s->path, 0, "out of memory loading the golden set");
fail:
	pf_golden_free(g);
	return PF_EFORMAT;
}

/*
 * harness/load/golden.c — see golden.h.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/load/golden.h"
#include "harness/load/label_quality.h"
#include "harness/load/svmindex.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

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
	pf_golden_drop_svm(g);
	pf_golden__sidx_free(g);
	pf_corpus_clear(&g->corpus);
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
pf_golden_find_doc(const pf_golden *g, const char *docid, size_t len)
{
	return pf_strtab_find(g->docs, docid, len);
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
	if (pf_strtab_find(g->qids, qid, len) >= 0)
		return 1;
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

	if (pf_read_text(&buf, &len, path, &err) != PF_OK) {
		pf_diags_add_err(d, &err);
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
		if (fl[0] == 0 && nf == 1)
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
		int rc = pf_golden_add_query(g, f[0], fl[0], f[1], fl[1],
		    (long)lineno);
		if (rc < 0)
			goto nomem;
		if (rc > 0) {
			pf_diags_add(d, path, (long)lineno, "duplicate qid "
			    "'%.*s'", (int)fl[0], f[0]);
			continue;
		}
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
labels_from_svm(pf_golden *g, const pf_golden_spec *s, pf_diags *d)
{
	const pf_svm *v;
	pf_err err = {0};
	const char **qids = NULL;
	int rc;

	if (pf_golden_svm(g, s->labels, s->labels_qfile, 0, &v, &err) !=
	    PF_OK) {
		pf_diags_add_err(d, &err);
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
		pf_diags_add_err(d, &err);
	return 0;
}

/* Room for one more expectation in the five parallel arrays. */
static int
grow_expectations(pf_golden *g, size_t *cap)
{
	size_t c = pf_grow_cap(*cap, g->nexp + 1, sizeof(char *));
	char **a;
	long *l;

	if (c == 0)
		return -1;
	if ((a = pf_realloc_n(g->exp_qid, c, sizeof(*a))) == NULL)
		return -1;
	g->exp_qid = a;
	if ((a = pf_realloc_n(g->exp_doc, c, sizeof(*a))) == NULL)
		return -1;
	g->exp_doc = a;
	if ((l = pf_realloc_n(g->exp_query, c, sizeof(*l))) == NULL)
		return -1;
	g->exp_query = l;
	if ((l = pf_realloc_n(g->exp_max, c, sizeof(*l))) == NULL)
		return -1;
	g->exp_max = l;
	if ((l = pf_realloc_n(g->exp_line, c, sizeof(*l))) == NULL)
		return -1;
	g->exp_line = l;
	*cap = c;
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
	if (pf_read_text(&buf, &len, path, &err) != PF_OK) {
		pf_diags_add_err(d, &err);
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
		if (g->nexp == cap && grow_expectations(g, &cap) != 0) {
			free(buf);
			return -1;
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

static int
query_sink(void *ctx, const char *qid, size_t len, const char *text,
    size_t tlen, long line)
{
	return pf_golden_add_query(ctx, qid, len, text, tlen, line);
}

static pf_golden *
golden_new(void)
{
	pf_golden *g = calloc(1, sizeof(*g));

	if (g != NULL && ((g->docs = pf_strtab_new()) == NULL ||
	    (g->qids = pf_strtab_new()) == NULL)) {
		pf_golden_free(g);
		return NULL;
	}
	return g;
}

/* Each query's qrels topic (-1: none) and the count of unjudged ones. */
static int
set_topics(pf_golden *g)
{
	if ((g->topic = malloc((g->nq + 1) * sizeof(*g->topic))) == NULL)
		return -1;
	for (size_t i = 0; i < g->nq; i++) {
		g->topic[i] = g->qrels == NULL ? -1 : pf_qrels_topic(g->qrels,
		    g->qid[i], strlen(g->qid[i]));
		g->nunjudged_queries += g->topic[i] < 0;
	}
	for (size_t t = 0; g->qrels != NULL && t < pf_qrels_ntopics(g->qrels);
	    t++) {
		const char *q = pf_qrels_qid(g->qrels, t);
		if (pf_golden_query(g, q) < 0 && g->norphan_topics++ == 0)
			g->orphan_topic = q;
	}
	return 0;
}

/* The judgments: a qrels file, or the grades of a candidate file. */
static int
load_judgments(pf_golden *g, const pf_golden_spec *s, pf_diags *d)
{
	pf_err err = {0};

	g->judgments_path = s->qrels != NULL ? s->qrels : s->labels;
	if (s->qrels != NULL) {
		int rc = pf_qrels_load(&g->qrels, s->qrels,
		    PF_QRELS_ANNOTATORS, s->agg, &err);
		if (rc == PF_ENOMEM)
			return -1;
		if (rc != PF_OK)
			pf_diags_add_err(d, &err);
		return 0;
	}
	if (s->labels != NULL)
		return labels_from_svm(g, s, d);
	return 0;	/* neither: `preflight embed`, which reads only texts */
}

/* queries.tsv or queries.jsonl, else the judged topics. */
static int
load_query_list(pf_golden *g, const pf_golden_spec *s, pf_diags *d)
{
	if (s->queries != NULL) {
		g->queries_path = s->queries;
		return pf_path_has_ext(s->queries, ".jsonl") ?
		    pf_queries_load_jsonl(s->queries, query_sink, g, d) :
		    load_queries(g, s->queries, d);
	}
	for (size_t t = 0; g->qrels != NULL && t < pf_qrels_ntopics(g->qrels);
	    t++) {
		const char *q = pf_qrels_qid(g->qrels, t);
		if (pf_golden_add_query(g, q, strlen(q), NULL, 0, 0) < 0)
			return -1;
	}
	return 0;
}

int
pf_golden_load(pf_golden **out, const pf_golden_spec *s, pf_diags *d)
{
	pf_golden *g;
	size_t n0 = d->n + d->dropped;
	pf_err err = {0};

	*out = NULL;
	if ((g = golden_new()) == NULL)
		goto nomem;
	g->progress = s->progress;
	g->cache_dir = s->cache_dir;
	if (s->docs != NULL && pf_corpus_load(&g->corpus, s->docs, g->docs,
	    d) != 0)
		goto nomem;
	if (load_judgments(g, s, d) != 0 || load_query_list(g, s, d) != 0)
		goto nomem;
	if (s->expectations != NULL &&
	    load_expectations(g, s->expectations, d) != 0)
		goto nomem;
	if (d->n + d->dropped != n0)
		goto fail;
	if (g->nq == 0) {
		pf_diags_add(d, s->queries ? s->queries : s->source,
		    s->queries ? 0 : s->line, "the golden set has no queries");
		goto fail;
	}
	if (g->qrels != NULL &&
	    pf_goldq_compute(&g->labelq, g->qrels, &err) != PF_OK)
		goto nomem;	/* PF_ENOMEM: the qrels loaded, so no EINVAL */
	if (set_topics(g) != 0)
		goto nomem;
	*out = g;
	return PF_OK;
nomem:
	pf_diags_add(d, s->source, 0, "out of memory loading the golden set");
fail:
	pf_golden_free(g);
	return PF_EFORMAT;
}

int
pf_golden_add_dims(pf_golden *g, const char *path, size_t *nmissing,
    pf_diags *d)
{
	pf_golden *t = golden_new();
	size_t n0 = d->n + d->dropped, nd;
	int rc = PF_OK;

	*nmissing = 0;
	if (t == NULL || load_queries(t, path, d) != 0)
		goto nomem;
	if (d->n + d->dropped != n0 || g->ndims != 0) {
		if (g->ndims != 0)
			pf_diags_add(d, path, 0, "the queries have dimensions "
			    "already");
		pf_golden_free(t);
		return PF_EFORMAT;
	}
	nd = t->ndims;
	if ((g->dim_name = calloc(nd + 1, sizeof(char *))) == NULL ||
	    (g->dim = calloc(g->nq * nd + 1, sizeof(char *))) == NULL)
		goto nomem;
	g->ndims = nd;	/* from here pf_golden_free frees what is set */
	for (size_t k = 0; k < nd; k++)
		if ((g->dim_name[k] = strdup(t->dim_name[k])) == NULL)
			goto nomem;
	for (size_t q = 0; q < g->nq; q++) {
		long j = pf_golden_query(t, g->qid[q]);
		*nmissing += j < 0;
		for (size_t k = 0; k < nd; k++)
			if ((g->dim[q * nd + k] = strdup(j < 0 ? "" :
			    t->dim[(size_t)j * nd + k])) == NULL)
				goto nomem;
	}
	pf_golden_free(t);
	return rc;
nomem:
	pf_golden_free(t);
	pf_diags_add(d, path, 0, "out of memory");
	return PF_ENOMEM;
}

int
pf_golden_from_qrels(pf_golden **out, pf_qrels *q, pf_err *err)
{
	pf_golden *g = golden_new();

	*out = NULL;
	if (g == NULL) {
		pf_qrels_free(q);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	g->qrels = q;
	if (load_query_list(g, &(pf_golden_spec){0}, NULL) != 0 ||
	    set_topics(g) != 0) {
		pf_golden_free(g);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	*out = g;
	return PF_OK;
}

int
pf_golden_check_judged_docs(const pf_golden *g, pf_diags *d)
{
	const pf_qrels *q = g->qrels;
	size_t bad = 0;

	if (g->corpus.n == 0 || q == NULL)
		return PF_OK;
	for (size_t t = 0; t < pf_qrels_ntopics(q); t++)
		for (size_t i = 0; i < pf_qrels_npairs(q, t); i++) {
			const pf_pair *p = pf_qrels_pair(q, t, i);
			if (pf_strtab_find(g->docs, p->docid, p->docid_len) >= 0)
				continue;
			pf_diags_add(d, pf_qrels_path(q),
			    (long)pf_qrels_judgment(q, p->j0)->line, "docid "
			    "'%.100s' (query '%.100s') is not in the corpus (%s)",
			    p->docid, pf_qrels_qid(q, t), g->corpus.path);
			bad++;
		}
	return bad ? PF_EFORMAT : PF_OK;
}

const char **
pf_golden_doc_field(const pf_golden *g, const char *name, int *nomem)
{
	return pf_corpus_field(&g->corpus, name, nomem);
}

int32_t
pf_golden_grade(const pf_golden *g, size_t q, const char *docid)
{
	size_t len = strlen(docid);
	long p;

	if (g->qrels == NULL || g->topic[q] < 0)
		return PF_GOLDEN_UNJUDGED;
	p = pf_qrels_find(g->qrels, (size_t)g->topic[q], docid, len,
	    pf_hash_bytes(docid, len));
	return p < 0 ? PF_GOLDEN_UNJUDGED : pf_qrels_pair(g->qrels,
	    (size_t)g->topic[q], (size_t)p)->grade_int;
}

/*
 * harness/load/corpus.c — see corpus.h.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/text/analyzer.h"
#include "harness/load/corpus.h"
#include "harness/util/fileio.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

int
pf_text_empty(const char *s)
{
	char tok[PF_TOKEN_MAX + 1];

	return pf_next_token(&s, s + strlen(s), tok) == 0;
}

/* Appends document id (title, body); 1 for a duplicate id, -1 on OOM. */
static int
add_doc(pf_golden *g, size_t *cap, const char *id, size_t idlen,
    const char *title, size_t tlen, const char *body, size_t blen)
{
	size_t n0 = pf_strtab_count(g->docs);
	long k = pf_strtab_intern(g->docs, id, idlen);

	if (k < 0)
		return -1;
	if ((size_t)k < n0)
		return 1;
	if (g->ncorpus == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		char **a = realloc(g->title, *cap * sizeof(*a));
		if (a == NULL)
			return -1;
		g->title = a;
		if ((a = realloc(g->body, *cap * sizeof(*a))) == NULL)
			return -1;
		g->body = a;
	}
	g->title[g->ncorpus] = strndup(title, tlen);
	g->body[g->ncorpus] = strndup(body, blen);
	if (!g->title[g->ncorpus] || !g->body[g->ncorpus]) {
		free(g->title[g->ncorpus]);
		free(g->body[g->ncorpus]);
		return -1;
	}
	g->nempty_docs += pf_text_empty(g->title[g->ncorpus]) &&
	    pf_text_empty(g->body[g->ncorpus]);
	g->ncorpus++;
	return 0;
}

/* Field name = value for the last document added. */
static int
add_field(pf_golden *g, size_t *cap, const char *name, size_t nlen,
    const char *val, size_t vlen)
{
	long k;

	if (g->fnames == NULL && (g->fnames = pf_strtab_new()) == NULL)
		return -1;
	if ((k = pf_strtab_intern(g->fnames, name, nlen)) < 0)
		return -1;
	if (g->nfv == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		uint32_t *a = realloc(g->fv_doc, *cap * sizeof(*a));
		if (a == NULL)
			return -1;
		g->fv_doc = a;
		if ((a = realloc(g->fv_name, *cap * sizeof(*a))) == NULL)
			return -1;
		g->fv_name = a;
		char **v = realloc(g->fv_val, *cap * sizeof(*v));
		if (v == NULL)
			return -1;
		g->fv_val = v;
	}
	if ((g->fv_val[g->nfv] = strndup(val, vlen)) == NULL)
		return -1;
	g->fv_doc[g->nfv] = (uint32_t)(g->ncorpus - 1);
	g->fv_name[g->nfv++] = (uint32_t)k;
	return 0;
}

const char **
pf_corpus_field(const pf_golden *g, const char *name, int *nomem)
{
	const char **v;
	long k;

	*nomem = 0;
	if (g->fnames == NULL || (k = pf_strtab_find(g->fnames, name,
	    strlen(name))) < 0)
		return NULL;
	if ((v = calloc(g->ncorpus + 1, sizeof(*v))) == NULL) {
		*nomem = 1;
		return NULL;
	}
	for (size_t i = 0; i < g->nfv; i++)
		if (g->fv_name[i] == (uint32_t)k)
			v[g->fv_doc[i]] = g->fv_val[i];
	return v;
}

/* Splits [line, le) on tabs into at most max fields; the count. */
static size_t
split_tabs(const char *line, const char *le, const char **f, size_t *fl,
    size_t max)
{
	size_t nf = 0;

	for (const char *x = line;; ) {
		const char *t = memchr(x, '\t', (size_t)(le - x));
		if (nf < max) {
			f[nf] = x;
			fl[nf] = (size_t)((t ? t : le) - x);
		}
		nf++;
		if (t == NULL)
			return nf;
		x = t + 1;
	}
}

#define MAXCOL	64

static int
load_tsv(pf_golden *g, const char *path, const char *buf, size_t len,
    pf_diags *d)
{
	const char *p = buf, *end = buf + len, *f[MAXCOL], *names[MAXCOL];
	size_t lineno = 0, cap = 0, fcap = 0, fl[MAXCOL], nl[MAXCOL], ncols = 3;

	while (p < end) {
		const char *line, *le = pf_take_line(&p, end, &line);
		lineno++;
		if (le > line && le[-1] == '\r')
			le--;
		if (le == line)
			continue;
		size_t nf = split_tabs(line, le, f, fl, MAXCOL);
		if (lineno == 1 && nf >= 3 && fl[0] == 5 &&
		    !memcmp(f[0], "docid", 5) && fl[1] == 5 &&
		    !memcmp(f[1], "title", 5) && fl[2] == 4 &&
		    !memcmp(f[2], "body", 4)) {	/* a header */
			if (nf > MAXCOL) {
				pf_diags_add(d, path, 1, "more than %d columns",
				    MAXCOL);
				return 0;
			}
			for (size_t k = 3; k < nf; k++) {
				names[k] = f[k];
				nl[k] = fl[k];
				if (fl[k] == 0)
					pf_diags_add(d, path, 1, "empty column "
					    "name in the header");
			}
			ncols = nf;
			continue;
		}
		if (nf != ncols || fl[0] == 0) {
			if (ncols == 3)
				pf_diags_add(d, path, (long)lineno, "expected "
				    "docid<TAB>title<TAB>body");
			else
				pf_diags_add(d, path, (long)lineno, "expected "
				    "%zu tab-separated columns as in the header, "
				    "got %zu", ncols, nf);
			continue;
		}
		int rc = add_doc(g, &cap, f[0], fl[0], f[1], fl[1], f[2], fl[2]);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			pf_diags_add(d, path, (long)lineno, "duplicate docid "
			    "'%.*s'", fl[0] > 100 ? 100 : (int)fl[0], f[0]);
			continue;
		}
		for (size_t k = 3; k < ncols; k++)
			if (fl[k] > 0 && add_field(g, &fcap, names[k], nl[k],
			    f[k], fl[k]) != 0)
				return -1;
	}
	return 0;
}

/* The string member key of o: 0 ok (NULL when absent and optional), 1 a
   problem reported. */
static int
member(json_t *o, const char *key, int required, const char **out,
    size_t *len, const char *path, size_t lineno, pf_diags *d)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	*len = 0;
	if (v == NULL && !required)
		return 0;
	if (v == NULL || !json_is_string(v)) {
		pf_diags_add(d, path, (long)lineno, "%s \"%s\"", v ? "expected "
		    "a string for" : "missing", key);
		return 1;
	}
	*out = json_string_value(v);
	*len = json_string_length(v);
	return 0;
}

/* One JSON object a line; fn(g, o, lineno) for each, -1 stops (OOM). */
static int
each_object(pf_golden *g, const char *path, const char *buf, size_t len,
    pf_diags *d, int (*fn)(pf_golden *, json_t *, const char *, size_t,
    void *, pf_diags *), void *arg)
{
	const char *p = buf, *end = buf + len;
	size_t lineno = 0;

	while (p < end) {
		const char *line, *le = pf_take_line(&p, end, &line);
		json_error_t je;
		json_t *o;

		lineno++;
		if (le > line && le[-1] == '\r')
			le--;
		if (le == line)
			continue;
		if ((o = json_loadb(line, (size_t)(le - line),
		    JSON_REJECT_DUPLICATES, &je)) == NULL) {
			pf_diags_add(d, path, (long)lineno, "invalid JSON at "
			    "column %d: %s", je.column, je.text);
			continue;
		}
		int rc = json_is_object(o) ? fn(g, o, path, lineno, arg, d) :
		    (pf_diags_add(d, path, (long)lineno, "expected a JSON "
		    "object"), 0);
		json_decref(o);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* 1 (reported) unless "_id" is non-empty without whitespace or NUL. */
static int
bad_id(const char *id, size_t len, const char *path, size_t lineno,
    pf_diags *d)
{
	if (len > 0 && strlen(id) == len && strpbrk(id, " \t\r\n") == NULL)
		return 0;
	pf_diags_add(d, path, (long)lineno, "\"_id\" must be non-empty, "
	    "without whitespace");
	return 1;
}

struct caps {
	size_t	doc, field;
};

static int
jsonl_doc(pf_golden *g, json_t *o, const char *path, size_t lineno,
    void *arg, pf_diags *d)
{
	struct caps *c = arg;
	const char *id, *title, *text, *key;
	size_t il, tl, xl;
	json_t *v;
	int rc;

	if (member(o, "_id", 1, &id, &il, path, lineno, d) +
	    member(o, "title", 0, &title, &tl, path, lineno, d) +
	    member(o, "text", 1, &text, &xl, path, lineno, d) != 0)
		return 0;
	if (bad_id(id, il, path, lineno, d))
		return 0;
	if ((rc = add_doc(g, &c->doc, id, il, title ? title : "", tl, text,
	    xl)) != 0) {
		if (rc > 0)
			pf_diags_add(d, path, (long)lineno, "duplicate \"_id\" "
			    "'%.100s'", id);
		return rc < 0 ? -1 : 0;
	}
	json_object_foreach(o, key, v) {
		const char *k2;
		json_t *v2;
		if (!strcmp(key, "_id") || !strcmp(key, "title") ||
		    !strcmp(key, "text"))
			continue;
		if (json_is_string(v)) {
			if (add_field(g, &c->field, key, strlen(key),
			    json_string_value(v), json_string_length(v)) != 0)
				return -1;
			continue;
		}
		if (!json_is_object(v))
			continue;
		json_object_foreach(v, k2, v2) {
			char name[256];
			int n = snprintf(name, sizeof(name), "%s.%s", key, k2);
			if (!json_is_string(v2) || n < 0 ||
			    (size_t)n >= sizeof(name))
				continue;
			if (add_field(g, &c->field, name, (size_t)n,
			    json_string_value(v2), json_string_length(v2)) != 0)
				return -1;
		}
	}
	return 0;
}

int
pf_corpus_load(pf_golden *g, const char *path, pf_diags *d)
{
	char *buf;
	size_t len, n = strlen(path);
	pf_err err = {0};
	struct caps c = {0, 0};
	int rc;

	g->docs_path = path;
	if (pf_read_file(&buf, &len, path, &err) != PF_OK) {
		pf_diags_add(d, path, 0, "%s", err.msg);
		return 0;
	}
	if (n >= 6 && !strcmp(path + n - 6, ".jsonl"))
		rc = each_object(g, path, buf, len, d, jsonl_doc, &c);
	else
		rc = load_tsv(g, path, buf, len, d);
	free(buf);
	return rc;
}

static int
jsonl_query(pf_golden *g, json_t *o, const char *path, size_t lineno,
    void *arg, pf_diags *d)
{
	const char *id, *text;
	size_t il, tl;

	(void)arg;
	if (member(o, "_id", 1, &id, &il, path, lineno, d) +
	    member(o, "text", 1, &text, &tl, path, lineno, d) != 0)
		return 0;
	if (bad_id(id, il, path, lineno, d))
		return 0;
	if (pf_strtab_find(g->qids, id, il) >= 0) {
		pf_diags_add(d, path, (long)lineno, "duplicate \"_id\" "
		    "'%.100s'", id);
		return 0;
	}
	return pf_golden_add_query(g, id, il, text, tl, (long)lineno);
}

int
pf_queries_load_jsonl(pf_golden *g, const char *path, pf_diags *d)
{
	char *buf;
	size_t len;
	pf_err err = {0};
	int rc;

	if (pf_read_file(&buf, &len, path, &err) != PF_OK) {
		pf_diags_add(d, path, 0, "%s", err.msg);
		return 0;
	}
	rc = each_object(g, path, buf, len, d, jsonl_query, NULL);
	free(buf);
	return rc;
}

int
pf_corpus_check_qrels(const pf_golden *g, pf_diags *d)
{
	const pf_qrels *q = g->qrels;
	size_t bad = 0;

	if (g->ncorpus == 0 || q == NULL)
		return PF_OK;
	for (size_t t = 0; t < pf_qrels_ntopics(q); t++)
		for (size_t i = 0; i < pf_qrels_npairs(q, t); i++) {
			const pf_pair *p = pf_qrels_pair(q, t, i);
			if (pf_strtab_find(g->docs, p->docid, p->docid_len) >= 0)
				continue;
			pf_diags_add(d, pf_qrels_path(q),
			    (long)pf_qrels_judgment(q, p->j0)->line, "docid "
			    "'%.100s' (query '%.100s') is not in the corpus (%s)",
			    p->docid, pf_qrels_qid(q, t), g->docs_path);
			bad++;
		}
	return bad ? PF_EFORMAT : PF_OK;
}

int
pf_corpus_check_queries(const pf_golden *g, const char *stage, pf_err *err)
{
	size_t bad = 0, first = 0;

	for (size_t i = 0; i < g->nq; i++) {
		if (g->text == NULL || g->text[i] == NULL)
			return pf_err_set(err, PF_EDATA, g->queries_path, 0,
			    "%s needs query text: <queries file=\"queries.tsv\"/> "
			    "(or queries.jsonl) in <golden>", stage);
		if (pf_text_empty(g->text[i]) && bad++ == 0)
			first = i;
	}
	if (bad == 0)
		return PF_OK;
	return pf_err_set(err, PF_EDATA, g->queries_path, g->qline[first],
	    "query '%.100s' has empty text (no token)%s; %s needs query text",
	    g->qid[first], bad > 1 ? " (and more)" : "", stage);
}

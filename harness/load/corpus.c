/*
 * harness/load/corpus.c — see corpus.h.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/load/corpus.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"
#include "harness/util/strtab.h"

void
pf_corpus_clear(pf_corpus *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->title[i]);
		free(c->body[i]);
	}
	free(c->title);
	free(c->body);
	for (size_t i = 0; i < c->nfv; i++)
		free(c->fv_val[i]);
	free(c->fv_val);
	free(c->fv_doc);
	free(c->fv_name);
	pf_strtab_free(c->fnames);
	*c = (pf_corpus){0};
}

/* Appends document id (title, body); 1 for a duplicate id, -1 on OOM. */
static int
add_doc(pf_corpus *c, pf_strtab *docs, const char *id, size_t idlen,
    const char *title, size_t tlen, const char *body, size_t blen)
{
	size_t n0 = pf_strtab_count(docs), cap;
	long k = pf_strtab_intern(docs, id, idlen);
	char **a;

	if (k < 0)
		return -1;
	if ((size_t)k < n0)
		return 1;
	if (c->n == c->cap) {	/* title and body share the capacity */
		if ((cap = pf_grow_cap(c->cap, c->n + 1, sizeof(*a))) == 0)
			return -1;
		if ((a = pf_realloc_n(c->title, cap, sizeof(*a))) == NULL)
			return -1;
		c->title = a;
		if ((a = pf_realloc_n(c->body, cap, sizeof(*a))) == NULL)
			return -1;
		c->body = a;
		c->cap = cap;
	}
	c->title[c->n] = strndup(title, tlen);
	c->body[c->n] = strndup(body, blen);
	if (!c->title[c->n] || !c->body[c->n]) {
		free(c->title[c->n]);
		free(c->body[c->n]);
		return -1;
	}
	c->n++;
	return 0;
}

/* Field name = value for the last document added. */
static int
add_field(pf_corpus *c, const char *name, size_t nlen, const char *val,
    size_t vlen)
{
	size_t cap;
	long k;

	if (c->fnames == NULL && (c->fnames = pf_strtab_new()) == NULL)
		return -1;
	if ((k = pf_strtab_intern(c->fnames, name, nlen)) < 0)
		return -1;
	if (c->nfv == c->fcap) {	/* three arrays, one capacity */
		uint32_t *a;
		char **v;
		if ((cap = pf_grow_cap(c->fcap, c->nfv + 1, sizeof(*v))) == 0)
			return -1;
		if ((a = pf_realloc_n(c->fv_doc, cap, sizeof(*a))) == NULL)
			return -1;
		c->fv_doc = a;
		if ((a = pf_realloc_n(c->fv_name, cap, sizeof(*a))) == NULL)
			return -1;
		c->fv_name = a;
		if ((v = pf_realloc_n(c->fv_val, cap, sizeof(*v))) == NULL)
			return -1;
		c->fv_val = v;
		c->fcap = cap;
	}
	if ((c->fv_val[c->nfv] = strndup(val, vlen)) == NULL)
		return -1;
	c->fv_doc[c->nfv] = (uint32_t)(c->n - 1);
	c->fv_name[c->nfv++] = (uint32_t)k;
	return 0;
}

const char **
pf_corpus_field(const pf_corpus *c, const char *name, int *nomem)
{
	const char **v;
	long k;

	*nomem = 0;
	if (c->fnames == NULL || (k = pf_strtab_find(c->fnames, name,
	    strlen(name))) < 0)
		return NULL;
	if ((v = calloc(c->n + 1, sizeof(*v))) == NULL) {
		*nomem = 1;
		return NULL;
	}
	for (size_t i = 0; i < c->nfv; i++)
		if (c->fv_name[i] == (uint32_t)k)
			v[c->fv_doc[i]] = c->fv_val[i];
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
load_tsv(pf_corpus *c, pf_strtab *docs, const char *path, const char *buf,
    size_t len, pf_diags *d)
{
	const char *p = buf, *end = buf + len, *f[MAXCOL], *names[MAXCOL];
	size_t lineno = 0, fl[MAXCOL], nl[MAXCOL], ncols = 3;

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
		int rc = add_doc(c, docs, f[0], fl[0], f[1], fl[1], f[2], fl[2]);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			pf_diags_add(d, path, (long)lineno, "duplicate docid "
			    "'%.*s'", fl[0] > 100 ? 100 : (int)fl[0], f[0]);
			continue;
		}
		for (size_t k = 3; k < ncols; k++)
			if (fl[k] > 0 && add_field(c, names[k], nl[k], f[k],
			    fl[k]) != 0)
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

/* One JSON object a line; fn(o, lineno) for each, -1 stops (OOM). */
static int
each_object(const char *path, const char *buf, size_t len, pf_diags *d,
    int (*fn)(json_t *, const char *, size_t, void *, pf_diags *),
    void *arg)
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
		int rc = json_is_object(o) ? fn(o, path, lineno, arg, d) :
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

struct doc_sink {
	pf_corpus	*c;
	pf_strtab	*docs;
};

static int
jsonl_doc(json_t *o, const char *path, size_t lineno, void *arg,
    pf_diags *d)
{
	struct doc_sink *ds = arg;
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
	if ((rc = add_doc(ds->c, ds->docs, id, il, title ? title : "", tl,
	    text, xl)) != 0) {
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
			if (add_field(ds->c, key, strlen(key),
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
			if (add_field(ds->c, name, (size_t)n,
			    json_string_value(v2), json_string_length(v2)) != 0)
				return -1;
		}
	}
	return 0;
}

int
pf_corpus_load(pf_corpus *c, const char *path, pf_strtab *docs,
    pf_diags *d)
{
	char *buf;
	size_t len;
	pf_err err = {0};
	struct doc_sink ds = {c, docs};
	int rc;

	c->path = path;
	if (pf_read_text(&buf, &len, path, &err) != PF_OK) {
		pf_diags_add_err(d, &err);
		return 0;
	}
	if (pf_path_has_ext(path, ".jsonl"))
		rc = each_object(path, buf, len, d, jsonl_doc, &ds);
	else
		rc = load_tsv(c, docs, path, buf, len, d);
	free(buf);
	return rc;
}

struct query_sink {
	pf_query_sink	 add;
	void		*ctx;
};

static int
jsonl_query(json_t *o, const char *path, size_t lineno, void *arg,
    pf_diags *d)
{
	struct query_sink *qs = arg;
	const char *id, *text;
	size_t il, tl;
	int rc;

	if (member(o, "_id", 1, &id, &il, path, lineno, d) +
	    member(o, "text", 1, &text, &tl, path, lineno, d) != 0)
		return 0;
	if (bad_id(id, il, path, lineno, d))
		return 0;
	if ((rc = qs->add(qs->ctx, id, il, text, tl, (long)lineno)) > 0)
		pf_diags_add(d, path, (long)lineno, "duplicate \"_id\" "
		    "'%.100s'", id);
	return rc < 0 ? -1 : 0;
}

int
pf_queries_load_jsonl(const char *path, pf_query_sink add, void *ctx,
    pf_diags *d)
{
	struct query_sink qs = {add, ctx};
	char *buf;
	size_t len;
	pf_err err = {0};
	int rc;

	if (pf_read_text(&buf, &len, path, &err) != PF_OK) {
		pf_diags_add_err(d, &err);
		return 0;
	}
	rc = each_object(path, buf, len, d, jsonl_query, &qs);
	free(buf);
	return rc;
}

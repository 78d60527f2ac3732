/*
 * harness/load/formats.c — JSON qrels and runs (ranx, ir_measures,
 * pytrec_eval) and BEIR's qrels TSV as TREC text (see formats.h). JSON is
 * parsed whole by jansson: a run of N documents costs a few hundred bytes
 * each while it converts (ranx's own runs are dictionaries of that size
 * in Python too); the TREC text it becomes is what is kept.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/load/formats.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"

#define BEIR_HEADER	"query-id\tcorpus-id\tscore"

/* First byte of buf that is not whitespace, or NULL. */
static const char *
first_text(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!pf_is_ws(buf[i]) && buf[i] != '\n')
			return buf + i;
	return NULL;
}

int
pf_run_is_json(const char *path, const char *buf, size_t len)
{
	const char *t;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	t = first_text(buf, len);
	return (t != NULL && *t == '{') || pf_path_has_ext(path, ".json");
}

pf_textfmt
pf_qrels_format(const char *path, const char *buf, size_t len)
{
	size_t h = sizeof(BEIR_HEADER) - 1;

	if (pf_run_is_json(path, buf, len))
		return PF_FMT_JSON;
	if (len >= h && memcmp(buf, BEIR_HEADER, h) == 0 && (len == h ||
	    buf[h] == '\n' || (buf[h] == '\r' && (len == h + 1 ||
	    buf[h + 1] == '\n'))))
		return PF_FMT_BEIR;
	return PF_FMT_TREC;
}

/* A growing text: the converted file. */
typedef struct text {
	char	*b;
	size_t	 len, cap;
	int	 oom;
} text;

static void	put(text *t, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

static void
put(text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	for (;;) {
		size_t room = t->cap - t->len;
		va_start(ap, fmt);
		n = vsnprintf(t->b ? t->b + t->len : NULL, t->b ? room : 0, fmt,
		    ap);
		va_end(ap);
		if (n < 0) {
			t->oom = 1;
			return;
		}
		if (t->b != NULL && (size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		char *nb = pf_grow(t->b, &t->cap, t->len + (size_t)n + 1, 1);
		if (nb == NULL) {
			t->oom = 1;
			return;
		}
		t->b = nb;
	}
}

/* The converted text into out, or PF_ENOMEM. */
static int
finish_text(text *t, char **out, size_t *outlen, const char *path,
    pf_err *err)
{
	if (t->oom || (t->b == NULL && (t->b = calloc(1, 1)) == NULL)) {
		free(t->b);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory "
		    "converting the file");
	}
	*out = t->b;
	*outlen = t->len;
	return PF_OK;
}

/* Whether s[0..n) can be a TREC id: non-empty, no whitespace. */
static int
id_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (pf_is_ws(s[i]) || s[i] == '\n')
			return 0;
	return 1;
}

/* An id in a message: at most 60 bytes of it. */
static int
clip(size_t n)
{
	return n > 60 ? 60 : (int)n;
}

/* The whole JSON document, an object of objects (query -> document ->
   number), or NULL with err set. */
static json_t *
load_json(const char *buf, size_t len, size_t flags, const char *what,
    const char *path, pf_err *err)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | flags,
	    &je);
	const char *key;
	json_t *v;

	if (root == NULL) {
		int nan = strstr(je.text, "NaN") || strstr(je.text, "nfinity") ||
		    strstr(je.text, "'nan") || strstr(je.text, "'inf");
		pf_err_set(err, PF_EFORMAT, path, je.line > 0 ? je.line : 0,
		    "invalid JSON: %s (column %d)%s", je.text, je.column, nan ?
		    "; JSON has no NaN or Infinity: give finite numbers" : "");
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		pf_err_set(err, PF_EFORMAT, path, 0, "expected a JSON object "
		    "of queries, {\"q1\": {\"d1\": %s}}", what);
		return NULL;
	}
	json_object_foreach(root, key, v) {
		size_t n = strlen(key);
		if (!id_ok(key, n) || !json_is_object(v)) {
			pf_err_set(err, PF_EFORMAT, path, 0, "query '%.*s': %s",
			    clip(n), key, json_is_object(v) ? "a query id must "
			    "be non-empty and without whitespace" : "expected "
			    "an object of documents, {\"d1\": ...}");
			json_decref(root);
			return NULL;
		}
	}
	return root;
}

/* Document d of query q (its value v) as one judgment line. */
static int
qrels_line(text *t, const char *q, const char *d, json_t *v,
    const char *path, pf_err *err)
{
	size_t dn = strlen(d);
	double g;

	if (!id_ok(d, dn))
		return pf_err_set(err, PF_EFORMAT, path, 0, "query '%.*s': "
		    "document id '%.*s' must be non-empty and without "
		    "whitespace", clip(strlen(q)), q, clip(dn), d);
	if (json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
	    json_integer_value(v) <= INT32_MAX) {
		put(t, "%s 0 %s %lld\n", q, d, (long long)json_integer_value(v));
		return PF_OK;
	}
	g = json_is_real(v) ? json_real_value(v) : NAN;
	if (json_is_number(v) && g == floor(g) && g >= INT32_MIN &&
	    g <= INT32_MAX) {
		put(t, "%s 0 %s %.0f\n", q, d, g);
		return PF_OK;
	}
	char what[64];
	if (json_is_number(v))
		snprintf(what, sizeof(what), "%.17g", json_number_value(v));
	else if (json_is_string(v))
		snprintf(what, sizeof(what), "\"%.20s\" (a string)",
		    json_string_value(v));
	else
		snprintf(what, sizeof(what), "that is not a number");
	return pf_err_set(err, PF_EFORMAT, path, 0, "query '%.*s', document "
	    "'%.*s': grade %s is not an integer (expected a whole JSON number "
	    "within 32 bits, negative for pooled but unjudged)",
	    clip(strlen(q)), q, clip(dn), d, what);
}

static int
json_qrels(text *t, const char *buf, size_t len, const char *path,
    pf_err *err)
{
	json_t *root = load_json(buf, len, 0, "1", path, err), *docs, *v;
	const char *q, *d;
	int rc = PF_OK;

	if (root == NULL)
		return PF_EFORMAT;
	json_object_foreach(root, q, docs) {
		json_object_foreach(docs, d, v) {
			if ((rc = qrels_line(t, q, d, v, path, err)) != PF_OK)
				goto done;
		}
	}
done:
	json_decref(root);
	return rc;
}

/* One BEIR line [p, e) (line lineno) as a TREC judgment. */
static int
beir_line(text *t, const char *p, const char *e, long lineno,
    const char *path, pf_err *err)
{
	static const char *const col[3] = {"query-id", "corpus-id", "score"};
	const char *f[4];
	size_t fl[4];
	int nf = 0;

	if (e > p && e[-1] == '\r')
		e--;
	if (first_text(p, (size_t)(e - p)) == NULL || *p == '#') {
		put(t, "%.*s\n", (int)(e - p), p);
		return PF_OK;
	}
	for (const char *s = p;; nf++) {
		const char *tab = memchr(s, '\t', (size_t)(e - s));
		if (nf < 4) {
			f[nf] = s;
			fl[nf] = (size_t)((tab ? tab : e) - s);
		}
		if (tab == NULL) {
			nf++;
			break;
		}
		s = tab + 1;
	}
	if (nf != 3)
		return pf_err_set(err, PF_EFORMAT, path, lineno, "expected 3 "
		    "tab-separated fields (query-id corpus-id score), got %d",
		    nf);
	for (int i = 0; i < 3; i++) {
		while (i == 2 && fl[2] > 0 && pf_is_ws(f[2][fl[2] - 1]))
			fl[2]--;
		while (i == 2 && fl[2] > 0 && pf_is_ws(*f[2])) {
			f[2]++;
			fl[2]--;
		}
		if (!id_ok(f[i], fl[i]))
			return pf_err_set(err, PF_EFORMAT, path, lineno, "%s "
			    "'%.*s' must be non-empty and without whitespace",
			    col[i], clip(fl[i]), f[i]);
	}
	put(t, "%.*s 0 %.*s %.*s\n", (int)fl[0], f[0], (int)fl[1], f[1],
	    (int)fl[2], f[2]);
	return PF_OK;
}

static int
beir_qrels(text *t, const char *buf, size_t len, const char *path,
    pf_err *err)
{
	const char *p = buf, *end = buf + len, *line;
	long lineno = 0;
	int rc;

	while (p < end) {
		const char *e = pf_take_line(&p, end, &line);
		if (++lineno == 1) {		/* the header: a comment now */
			put(t, "# %s\n", BEIR_HEADER);
			continue;
		}
		if ((rc = beir_line(t, line, e, lineno, path, err)) != PF_OK)
			return rc;
	}
	return PF_OK;
}

int
pf_qrels_to_trec(char **out, size_t *outlen, pf_textfmt fmt,
    const char *buf, size_t len, const char *path, pf_err *err)
{
	text t = {0};
	int rc = fmt == PF_FMT_JSON ? json_qrels(&t, buf, len, path, err) :
	    beir_qrels(&t, buf, len, path, err);

	*out = NULL;
	*outlen = 0;
	if (rc != PF_OK) {
		free(t.b);
		return rc;
	}
	return finish_text(&t, out, outlen, path, err);
}

/* The run's tag: path's last component less .gz and .json, whitespace
   made '_'. */
static void
run_tag(const char *path, char *tag, size_t sz)
{
	const char *b = strrchr(path, '/');
	size_t n;

	snprintf(tag, sz, "%s", b ? b + 1 : path);
	n = strlen(tag);
	if (n > 3 && strcmp(tag + n - 3, ".gz") == 0)
		tag[n -= 3] = '\0';
	if (n > 5 && strcmp(tag + n - 5, ".json") == 0)
		tag[n -= 5] = '\0';
	for (size_t i = 0; i < n; i++)
		if (pf_is_ws(tag[i]) || tag[i] == '\n')
			tag[i] = '_';
	if (n == 0 || strcmp(path, "-") == 0)
		snprintf(tag, sz, "run");
}

int
pf_json_run_to_trec(char **out, size_t *outlen, const char *buf,
    size_t len, const char *path, pf_err *err)
{
	json_t *root, *docs, *v;
	const char *q, *d;
	char tag[128];
	text t = {0};
	int rc = PF_OK;

	*out = NULL;
	*outlen = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if ((root = load_json(buf, len, JSON_DECODE_INT_AS_REAL, "1.5", path,
	    err)) == NULL)
		return PF_EFORMAT;
	run_tag(path, tag, sizeof(tag));
	json_object_foreach(root, q, docs) {
		long rank = 0;
		json_object_foreach(docs, d, v) {
			size_t dn = strlen(d);
			double x = json_is_real(v) ? json_real_value(v) : NAN;
			if (!id_ok(d, dn) || !isfinite(x)) {
				rc = pf_err_set(err, PF_EFORMAT, path, 0, "query "
				    "'%.*s', document '%.*s': %s", clip(strlen(q)),
				    q, clip(dn), d, !id_ok(d, dn) ? "a document "
				    "id must be non-empty and without whitespace" :
				    "the score is not a number (expected a finite "
				    "JSON number)");
				goto done;
			}
			put(&t, "%s Q0 %s %ld %.17g %s\n", q, d, ++rank, x, tag);
		}
	}
	rc = finish_text(&t, out, outlen, path, err);
	t.b = NULL;
done:
	free(t.b);
	json_decref(root);
	return rc;
}

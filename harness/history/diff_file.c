/*
 * harness/history/diff_file.c — one side of a diff from a results.json
 * ("schema": "preflight.results/1", README "results.json"): the inputs
 * with their sha256, the metrics, the queries, every stack's per-query
 * values, means and top tens, the gates and expectations. A results.json
 * keeps no run labels and no feature statistics: those parts of the diff
 * say so. Also the helpers every side shares.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "harness/history/diff_internal.h"

#define RESULTS_SCHEMA	"preflight.results/1"

long
pf_dside_find(const char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; name != NULL && i < n; i++)
		if (v[i] != NULL && strcmp(v[i], name) == 0)
			return (long)i;
	return -1;
}

int
pf_dside_is_db(const char *spec)
{
	const char *h = strrchr(spec, '#'), *p;

	if (access(spec, F_OK) == 0 || h == NULL || h[1] == '\0')
		return 0;	/* an existing file is a file, '#' or not */
	if (strcmp(h + 1, "last") == 0 || strcmp(h + 1, "last-pass") == 0)
		return 1;
	for (p = h + 1; *p >= '0' && *p <= '9'; p++)
		;
	return *p == '\0';
}

void *
pf_diff_alloc(pf_arena *a, size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (pf_mul_size(n ? n : 1, size, &bytes) != PF_OK ||
	    (p = pf_arena_alloc(a, bytes, 16)) == NULL)
		return NULL;
	return memset(p, 0, bytes);
}

char *
pf_diff_strdup(pf_arena *a, const char *s)
{
	return s != NULL ? pf_arena_strndup(a, s, strlen(s)) : NULL;
}

void
pf_dside_free(pf_dside *d)
{
	pf_arena_free(d->a);
	*d = (pf_dside){0};
}

/* A string member of o, or NULL. */
static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* what = the formatted reason; -1. */
static int __attribute__((format(printf, 3, 4)))
why(char *what, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sz, fmt, ap);
	va_end(ap);
	return -1;
}

static int
shape(pf_err *err, const char *path, const char *what)
{
	return pf_err_set(err, PF_EFORMAT, path, 0, "not a preflight "
	    "results.json: %s", what);
}

/* An array of strings into *out (n of them); -1: not one. */
static int
names(pf_dside *d, const json_t *a, const char ***out, size_t *n)
{
	*n = json_array_size(a);
	if (!json_is_array(a) || (*out = pf_diff_alloc(d->a, *n,
	    sizeof(char *))) == NULL)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (((*out)[i] = pf_diff_strdup(d->a,
		    json_string_value(json_array_get(a, i)))) == NULL)
			return -1;
	return 0;
}

/* A number, or NaN for null; -1 for anything else. */
static int
number(const json_t *v, double *out)
{
	if (json_is_null(v))
		*out = NAN;
	else if (json_is_number(v))
		*out = json_number_value(v);
	else
		return -1;
	return 0;
}

/* Stack s's values, means and top tens; what is malformed in what. */
static int
stack_part(pf_dside *d, size_t s, const json_t *st, char *what, size_t sz)
{
	const json_t *pq = json_object_get(st, "per_query");
	const json_t *mean = json_object_get(st, "mean");
	const json_t *top = json_object_get(st, "top10");

	if ((d->stack[s] = pf_diff_strdup(d->a, str(st, "id"))) == NULL)
		return why(what, sz, "stacks[%zu] has no \"id\"", s);
	for (size_t m = 0; m < d->nm; m++) {
		const json_t *a = json_object_get(pq, d->metric[m]);
		double *v = pf_dside_values(d, s, m);
		if (json_array_size(a) != d->nq)
			return why(what, sz, "stacks[%zu].per_query.%s is "
			    "not an array of %zu values", s, d->metric[m],
			    d->nq);
		for (size_t q = 0; q < d->nq; q++)
			if (number(json_array_get(a, q), &v[q]) != 0)
				return why(what, sz, "stacks[%zu].per_query"
				    ".%s[%zu] is not a number", s, d->metric[m],
				    q);
		if (number(json_object_get(mean, d->metric[m]),
		    &d->mean[s * d->nm + m]) != 0)
			d->mean[s * d->nm + m] = NAN;
	}
	for (size_t q = 0; d->top != NULL && q < d->nq; q++) {
		const json_t *l = json_array_get(top, q);
		const char **t = d->top + (s * d->nq + q) * PF_DIFF_TOPK;
		for (size_t i = 0; i < PF_DIFF_TOPK && i < json_array_size(l);
		    i++)
			if ((t[i] = pf_diff_strdup(d->a, json_string_value(
			    json_array_get(l, i)))) == NULL)
				return why(what, sz, "stacks[%zu].top10"
				    "[%zu] is not a list of docids", s, q);
	}
	return 0;
}

/* Metrics, queries and stacks; -1 with what. */
static int
measured_part(pf_dside *d, const json_t *root, char *what, size_t sz)
{
	const json_t *stacks = json_object_get(root, "stacks");
	int tops = 1;

	if (names(d, json_object_get(root, "metrics"), &d->metric, &d->nm) !=
	    0)
		return why(what, sz, "\"metrics\" is not a list of "
		    "names");
	if (names(d, json_object_get(root, "queries"), &d->qid, &d->nq) != 0)
		return why(what, sz, "\"queries\" is not a list of "
		    "qids");
	d->ns = json_array_size(stacks);
	if (d->ns == 0)
		return why(what, sz, "no \"stacks\"");
	for (size_t s = 0; s < d->ns; s++)
		tops &= json_is_array(json_object_get(json_array_get(stacks,
		    s), "top10"));
	if ((d->stack = pf_diff_alloc(d->a, d->ns, sizeof(char *))) == NULL ||
	    (d->value = pf_diff_alloc(d->a, d->ns * d->nm * d->nq,
	    sizeof(double))) == NULL || (d->mean = pf_diff_alloc(d->a,
	    d->ns * d->nm, sizeof(double))) == NULL || (tops && (d->top =
	    pf_diff_alloc(d->a, d->ns * d->nq * PF_DIFF_TOPK,
	    sizeof(char *))) == NULL))
		return why(what, sz, "out of memory");
	for (size_t s = 0; s < d->ns; s++)
		if (stack_part(d, s, json_array_get(stacks, s), what, sz) != 0)
			return -1;
	return 0;
}

/* Inputs and gates (expectations: their id is their name). */
static int
listed_part(pf_dside *d, const json_t *root)
{
	const json_t *in = json_object_get(root, "inputs");
	const json_t *g = json_object_get(root, "gates");

	d->nin = json_array_size(in);
	d->ng = json_array_size(g);
	if ((d->in = pf_diff_alloc(d->a, d->nin, sizeof(*d->in))) == NULL ||
	    (d->gate = pf_diff_alloc(d->a, d->ng, sizeof(*d->gate))) == NULL)
		return -1;
	for (size_t i = 0; i < d->nin; i++) {
		const json_t *x = json_array_get(in, i);
		d->in[i] = (pf_dinput){pf_diff_strdup(d->a, str(x, "role")),
		    pf_diff_strdup(d->a, str(x, "path")), pf_diff_strdup(d->a,
		    str(x, "sha256"))};
		if (!d->in[i].role || !d->in[i].path || !d->in[i].sha)
			return -1;
	}
	for (size_t i = 0; i < d->ng; i++) {
		const json_t *x = json_array_get(g, i);
		const char *id = str(x, "id"), *name = str(x, "name");
		d->gate[i] = (pf_dgate){pf_diff_strdup(d->a, name),
		    id && name && strcmp(id, name) == 0 ? "expectation" :
		    "gate", pf_diff_strdup(d->a, str(x, "status")),
		    pf_diff_strdup(d->a, str(x, "message"))};
		if (!d->gate[i].name || !d->gate[i].status)
			return -1;
	}
	return 0;
}

static void
info_part(pf_dside *d, const char *path, const json_t *root)
{
	const json_t *seed = json_object_get(root, "seed");

	d->info = (pf_diff_runinfo){.source = pf_diff_strdup(d->a, path),
	    .scenario = pf_diff_strdup(d->a, str(root, "scenario")),
	    .version = pf_diff_strdup(d->a, str(root, "preflight")),
	    .verdict = pf_diff_strdup(d->a, str(json_object_get(root,
	    "verdict"), "decision")),
	    .seed = (uint64_t)json_integer_value(seed),
	    .nqueries = (size_t)json_integer_value(json_object_get(root,
	    "judged_queries"))};
	d->primary = pf_diff_strdup(d->a, str(root, "primary"));
}

/* The parsed document of path, or NULL with err set. */
static json_t *
load(const char *path, pf_err *err)
{
	struct stat st;
	json_error_t je;
	json_t *root;

	if (stat(path, &st) != 0) {
		pf_err_set(err, PF_EIO, path, 0, "cannot open: %s",
		    strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		pf_err_set(err, PF_EIO, path, 0, "is a directory (give a "
		    "results.json, or DB#RUN for a run kept in a history)");
		return NULL;
	}
	if ((root = json_load_file(path, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL) {
		pf_err_set(err, PF_EFORMAT, path, je.line, "not a preflight "
		    "results.json: invalid JSON: %s", je.text);
		return NULL;
	}
	if (!json_is_object(root) || str(root, "schema") == NULL ||
	    strcmp(str(root, "schema"), RESULTS_SCHEMA) != 0) {
		json_decref(root);
		pf_err_set(err, PF_EFORMAT, path, 0, "not a preflight "
		    "results.json (expected \"schema\": \"%s\")",
		    RESULTS_SCHEMA);
		return NULL;
	}
	return root;
}

int
pf_dside_from_file(pf_dside *d, const char *path, pf_err *err)
{
	json_t *root = load(path, err);
	char what[256] = "out of memory";
	int rc = PF_OK;

	*d = (pf_dside){0};
	if (root == NULL)
		return err->code;
	if ((d->a = pf_arena_new(1 << 16)) == NULL) {
		json_decref(root);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	info_part(d, path, root);
	if (measured_part(d, root, what, sizeof(what)) != 0)
		rc = shape(err, path, what);
	else if (listed_part(d, root) != 0)
		rc = shape(err, path, "an \"inputs\" or \"gates\" entry lacks "
		    "a member");
	json_decref(root);
	if (rc != PF_OK)
		pf_dside_free(d);
	return rc;
}

/*
 * harness/util/fnames.c — the feature-name table (fnames.h): parallel
 * arrays grown by appending, sorted once by id, then searched by binary
 * search. Sizes: tens to a few thousand names (MSLR has 136).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fnames.h"
#include "harness/util/grow.h"

pf_fnames *
pf_fnames_new(const char *origin)
{
	pf_fnames *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	if ((t->origin = strdup(origin ? origin : "")) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
pf_fnames_free(pf_fnames *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->name[i]);
	free(t->id);
	free(t->name);
	free(t->query);
	free(t->line);
	free(t->origin);
	free(t);
}

static int
reserve(pf_fnames *t, size_t need)
{
	size_t c;
	void *p;

	if (need <= t->cap)
		return 0;
	if ((c = pf_grow_cap(t->cap, need, sizeof(char *))) == 0)
		return -1;
	if ((p = pf_realloc_n(t->id, c, sizeof(*t->id))) == NULL)
		return -1;
	t->id = p;
	if ((p = pf_realloc_n(t->name, c, sizeof(*t->name))) == NULL)
		return -1;
	t->name = p;
	if ((p = pf_realloc_n(t->query, c, sizeof(*t->query))) == NULL)
		return -1;
	t->query = p;
	if ((p = pf_realloc_n(t->line, c, sizeof(*t->line))) == NULL)
		return -1;
	t->line = p;
	t->cap = c;
	return 0;
}

int
pf_fnames_add(pf_fnames *t, long id, const char *name, size_t len, int query,
    long line)
{
	char *s;

	if (reserve(t, t->n + 1) != 0 || (s = malloc(len + 1)) == NULL)
		return -1;
	memcpy(s, name, len);
	s[len] = '\0';
	t->id[t->n] = id;
	t->name[t->n] = s;
	t->query[t->n] = (unsigned char)(query != 0);
	t->line[t->n] = line;
	t->n++;
	return 0;
}

typedef struct ent {
	long		 id, line;
	char		*name;
	unsigned char	 query;
	size_t		 at;	/* position before sorting: keeps it stable */
} ent;

static int
cmp_ent(const void *a, const void *b)
{
	const ent *x = a, *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->at > y->at) - (x->at < y->at);
}

/* O(n log n): hashed-feature files may name millions of ids. Nothing to
   do (no copy) when they are in order already, as names files list them. */
int
pf_fnames_sort(pf_fnames *t)
{
	ent *e;
	size_t i;

	for (i = 1; i < t->n && t->id[i - 1] <= t->id[i]; i++)
		;
	if (i >= t->n)
		return 0;
	if ((e = malloc(t->n * sizeof(*e))) == NULL)
		return -1;
	for (i = 0; i < t->n; i++)
		e[i] = (ent){t->id[i], t->line[i], t->name[i], t->query[i], i};
	qsort(e, t->n, sizeof(*e), cmp_ent);
	for (i = 0; i < t->n; i++) {
		t->id[i] = e[i].id;
		t->line[i] = e[i].line;
		t->name[i] = e[i].name;
		t->query[i] = e[i].query;
	}
	free(e);
	return 0;
}

long
pf_fnames_find(const pf_fnames *t, long id)
{
	size_t lo = 0, hi = t ? t->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return t != NULL && lo < t->n && t->id[lo] == id ? (long)lo : -1;
}

const char *
pf_fnames_get(const pf_fnames *t, long id)
{
	long i = pf_fnames_find(t, id);

	return i < 0 ? NULL : t->name[i];
}

int
pf_fnames_query(const pf_fnames *t, long id)
{
	long i = pf_fnames_find(t, id);

	return i < 0 ? 0 : t->query[i];
}

long
pf_fnames_id(const pf_fnames *t, const char *name)
{
	for (size_t i = 0; t != NULL && i < t->n; i++)
		if (strcmp(t->name[i], name) == 0)
			return t->id[i];
	return -1;
}

size_t
pf_fnames_disagree(const pf_fnames *a, const pf_fnames *b, long *ids,
    size_t max)
{
	size_t n = 0;

	for (size_t i = 0; a != NULL && b != NULL && i < a->n; i++) {
		const char *o = pf_fnames_get(b, a->id[i]);
		if (o == NULL || strcmp(o, a->name[i]) == 0)
			continue;
		if (n < max)
			ids[n] = a->id[i];
		n++;
	}
	return n;
}

void
pf_fnames_warn(pf_diags *d, const pf_fnames *model, const pf_fnames *data)
{
	long ids[3];
	size_t n = pf_fnames_disagree(model, data, ids, 3), k = n < 3 ? n : 3;
	char what[512];
	int at = 0;

	if (n == 0)
		return;
	for (size_t i = 0; i < k && at >= 0 && (size_t)at < sizeof(what); i++)
		at += snprintf(what + at, sizeof(what) - (size_t)at, "%sfeature "
		    "%ld is '%s' there, '%s' in the model", i ? "; " : "",
		    ids[i], pf_fnames_get(data, ids[i]),
		    pf_fnames_get(model, ids[i]));
	pf_diags_add(d, data->origin, data->line[pf_fnames_find(data, ids[0])],
	    "the model %s names %zu feature%s differently (%s%s): the wrong "
	    "names file, first-feature or model? These names are used",
	    model->origin, n, n == 1 ? "" : "s", what, n > k ? "; ..." : "");
}

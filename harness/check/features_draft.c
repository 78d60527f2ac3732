/*
 * harness/check/features_draft.c — a feature schema drafted from data
 * (features.h, `preflight features schema`): one pass a file, parallel
 * over columns (each column its own slot), then one row a feature id in
 * id order, so the draft is the same for any thread count. The draft
 * states what was seen, for the user to edit into what is meant: checked
 * back against the same files it is clean by construction.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/check/features.h"

/* What one column of one file holds. */
typedef struct seen {
	long	 id;
	size_t	 present, rows;
	int	 allint, all01, qconst, multi;	/* multi: a query of 2+ rows */
	double	 min, max;
} seen;

static long
col_id(const pf_svm *s, size_t j)
{
	return s->id != NULL ? (long)s->id[j] : (long)j + s->base;
}

static void
scan_col(seen *o, const pf_svm *s, size_t j)
{
	*o = (seen){col_id(s, j), 0, s->nrows, 1, 1, 1, 0, INFINITY,
	    -INFINITY};
	for (size_t q = 0; q < s->nq; q++) {
		size_t r0 = s->qoff[q];
		double first = isnan(s->x32[r0 * s->nf + j]) ? NAN :
		    s->x64[r0 * s->nf + j];
		o->multi |= s->qoff[q + 1] - r0 > 1;
		for (size_t i = r0; i < s->qoff[q + 1]; i++) {
			double v = isnan(s->x32[i * s->nf + j]) ? NAN :
			    s->x64[i * s->nf + j];
			if (!(isnan(v) && isnan(first)) && v != first)
				o->qconst = 0;
			if (isnan(v))
				continue;
			o->present++;
			o->allint &= v == floor(v);
			o->all01 &= v == 0 || v == 1;
			o->min = v < o->min ? v : o->min;
			o->max = v > o->max ? v : o->max;
		}
	}
}

static int
cmp_seen(const void *a, const void *b)
{
	const seen *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Folds b (the same id, a later file) into a. */
static void
fold(seen *a, const seen *b)
{
	a->present += b->present;
	a->rows += b->rows;
	a->allint &= b->allint;
	a->all01 &= b->all01;
	a->qconst &= b->qconst;
	a->multi |= b->multi;
	a->min = b->min < a->min ? b->min : a->min;
	a->max = b->max > a->max ? b->max : a->max;
}

/* The schema row of the folded column o. */
static int
make_row(pf_fschema_row *r, const seen *o, size_t nrows, const pf_fnames *nm)
{
	const char *name = pf_fnames_get(nm, o->id);
	char buf[48], desc[96];

	*r = (pf_fschema_row){.id = o->id, .min = o->min, .max = o->max};
	r->type = o->all01 ? PF_FT_BOOL : o->allint ? PF_FT_INT : PF_FT_FLOAT;
	if (r->type == PF_FT_BOOL) {
		r->min = 0;
		r->max = 1;
	}
	r->missing_ok = o->present < nrows;
	r->query_level = o->qconst && o->multi;
	if (name == NULL) {
		snprintf(buf, sizeof(buf), "f%ld", o->id);
		name = buf;
	}
	snprintf(desc, sizeof(desc), "drafted: a value in %zu of %zu rows",
	    o->present, nrows);
	r->name = strdup(name);
	r->desc = strdup(desc);
	return r->name == NULL || r->desc == NULL ? -1 : 0;
}

int
pf_features_draft(pf_fschema **out, pf_svm *const *files, size_t n,
    const pf_fnames *names, pf_err *err)
{
	size_t tot = 0, m = 0, nrows = 0;
	seen *all;
	pf_fschema *s = calloc(1, sizeof(*s));

	*out = NULL;
	for (size_t f = 0; f < n; f++) {
		tot += files[f]->nf;
		nrows += files[f]->nrows;
	}
	if (s == NULL || (all = calloc(tot + 1, sizeof(*all))) == NULL) {
		free(s);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t f = 0, off = 0; f < n; off += files[f]->nf, f++) {
		const pf_svm *sv = files[f];
#pragma omp parallel for schedule(dynamic, 4)
		for (size_t j = 0; j < sv->nf; j++)
			scan_col(&all[off + j], sv, j);
	}
	/* by id; equal ids (one a file) fold into one: every fold is
	   commutative (sums, and, or, min, max), so qsort's order among
	   them does not change a byte */
	qsort(all, tot, sizeof(*all), cmp_seen);
	for (size_t i = 0; i < tot; i++) {
		if (m > 0 && all[m - 1].id == all[i].id)
			fold(&all[m - 1], &all[i]);
		else
			all[m++] = all[i];
	}
	/* a column no row has a value in is not a feature of the data */
	size_t k = 0;
	for (size_t i = 0; i < m; i++)
		if (all[i].present > 0)
			all[k++] = all[i];
	m = k;
	if ((s->path = strdup("(draft)")) == NULL ||
	    (s->row = calloc(m + 1, sizeof(*s->row))) == NULL)
		goto nomem;
	for (size_t i = 0; i < m; i++, s->n++)
		if (make_row(&s->row[i], &all[i], nrows, names) != 0) {
			s->n++;
			goto nomem;
		}
	free(all);
	*out = s;
	return PF_OK;
nomem:
	free(all);
	pf_fschema_free(s);
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

void
pf_features_draft_write(const pf_fschema *s, pf_svm *const *files, size_t n,
    FILE *f)
{
	fputs("# feature schema drafted by \"preflight features schema\" from",
	    f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, " %s", files[i]->path);
	fputs("\n# what the data showed: edit types, ranges, missing, level "
	    "and descriptions\n# into what the features are meant to be "
	    "(README \"Know your features\")\n", f);
	fputs(PF_FEATSCHEMA_HEADER "\n", f);
	for (size_t i = 0; i < s->n; i++)
		pf_fschema_write_row(&s->row[i], f);
}

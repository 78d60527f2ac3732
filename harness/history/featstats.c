/*
 * harness/history/featstats.c — the compact snapshot of a night's
 * features: for every feature column of a stack's final candidate lists
 * (the rows the replay kept with keep_feats), the number of rows, how many
 * are missing (NaN), and over the present values the mean, the sample
 * standard deviation (n - 1), min, max and a fixed-size quantile sketch:
 * the 33 quantiles k/32 (k = 0..32; 0 and 32 are min and max) of the
 * sample, by linear interpolation between order statistics (numpy's
 * default, "linear": position (n - 1) k/32). Exact, not an approximation:
 * the sample of one night fits in memory, and 33 numbers are enough to
 * draw its distribution or compare two nights (a drift score, a
 * missing-rate jump).
 *
 * Columns are named f<id> by the file's feature id (column j is id
 * j + base, the pf_feats convention). All the reading of pf_feats is in
 * column_values(), so a change in how features are laid out (a sparse
 * column -> id map) is a change there. Values are summed in query and row
 * order: the same bits for any thread count.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/history.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The feature ids stack k's lists carry: [*lo, *hi] over the queries with
 * features; 0 when none has any.
 */
static int
id_range(const pf_replay *r, size_t k, long *lo, long *hi)
{
	int any = 0;

	for (size_t q = 0; q < r->m.nq; q++) {
		const pf_feats *f = &r->feats[k][q];
		if (f->x32 == NULL || f->nf == 0 || r->m.stacks[k].n[q] == 0)
			continue;
		long a = f->base, b = f->base + (long)f->nf - 1;
		*lo = any && *lo < a ? *lo : a;
		*hi = any && *hi > b ? *hi : b;
		any = 1;
	}
	return any;
}

/*
 * Feature id's values over stack k's final lists, present ones into v
 * (room for every row); rows and missing counted.
 */
static size_t
column_values(const pf_replay *r, size_t k, long id, double *v,
    uint64_t *rows, uint64_t *missing)
{
	const pf_stack_result *s = &r->m.stacks[k];
	size_t n = 0;

	*rows = *missing = 0;
	for (size_t q = 0; q < r->m.nq; q++) {
		const pf_feats *f = &r->feats[k][q];
		if (f->x32 == NULL || id < f->base || id - f->base >=
		    (long)f->nf)
			continue;
		size_t j = (size_t)(id - f->base);
		for (size_t i = 0; i < s->n[q]; i++) {
			size_t o = (size_t)r->row[k][q][i] * f->nf + j;
			float x = f->x32[o];
			(*rows)++;
			if (x != x) {
				(*missing)++;
				continue;
			}
			v[n++] = f->x64 != NULL ? f->x64[o] : (double)x;
		}
	}
	return n;
}

/* Statistics of the n present values in v (sorted here). */
static void
summarize(pf_hist_featstat *out, double *v, size_t n)
{
	double mean = 0.0, m2 = 0.0;

	out->mean = out->sd = out->min = out->max = NAN;
	for (size_t i = 0; i < PF_HIST_NQUANT; i++)
		out->q[i] = NAN;
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {	/* Welford, in row order */
		double d = v[i] - mean;
		mean += d / (double)(i + 1);
		m2 += d * (v[i] - mean);
	}
	out->mean = mean;
	out->sd = n > 1 ? sqrt(m2 / (double)(n - 1)) : NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	out->min = v[0];
	out->max = v[n - 1];
	for (size_t i = 0; i < PF_HIST_NQUANT; i++) {
		double hpos = (double)(n - 1) * (double)i /
		    (double)(PF_HIST_NQUANT - 1);
		size_t lo = (size_t)floor(hpos);
		double frac = hpos - (double)lo;
		out->q[i] = lo + 1 < n ? v[lo] + frac * (v[lo + 1] - v[lo]) :
		    v[lo];
	}
}

int
pf_hist_featstats(pf_hist_featstat **out, size_t *n, const pf_replay *r,
    size_t k, pf_err *err)
{
	const pf_stack_result *s = &r->m.stacks[k];
	pf_hist_featstat *fs = NULL;
	size_t nrows = 0;
	long lo = 0, hi = -1;
	double *v = NULL;

	*out = NULL;
	*n = 0;
	if (r->feats == NULL || r->feats[k] == NULL || !id_range(r, k, &lo,
	    &hi))
		return PF_OK;
	for (size_t q = 0; q < r->m.nq; q++)
		nrows += s->n[q];
	if ((fs = calloc((size_t)(hi - lo + 1), sizeof(*fs))) == NULL ||
	    (v = malloc((nrows + 1) * sizeof(*v))) == NULL) {
		free(fs);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (long id = lo; id <= hi; id++) {
		pf_hist_featstat *f = &fs[id - lo];
		size_t np = column_values(r, k, id, v, &f->count, &f->missing);
		f->stack = s->id;
		f->feature = id;
		snprintf(f->name, sizeof(f->name), "f%ld", id);
		summarize(f, v, np);
	}
	free(v);
	*out = fs;
	*n = (size_t)(hi - lo + 1);
	return PF_OK;
}

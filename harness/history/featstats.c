/*
 * harness/history/featstats.c — the compact snapshot of a night's
 * features: for every feature column of a stack's final candidate lists
 * (the rows the replay kept with keep_feats), the number of rows, how many
 * are missing (NaN), and over the present values the mean, the sample
 * standard deviation (n - 1), min, max and a fixed-size quantile sketch:
 * the 33 quantiles k/32 (k = 0..32; 0 and 32 are min and max) of the
 * sample, by linear interpolation between order statistics (numpy's
 * default, "linear": position (n - 1) k/32). The numbers come from the
 * statistics module `preflight features stats` prints
 * (metrics/featstats.h): same sketch, same numbers. Exact, not an approximation:
 * the sample of one night fits in memory, and 33 numbers are enough to
 * draw its distribution or compare two nights (a drift score, a
 * missing-rate jump).
 *
 * Columns are named by their feature name where the lists carry one (a
 * names file, textfeatures' own: pf_feats.names), else f<id>, by the
 * file's feature id (pf_feats_id: j + base
 * for a dense list, the column map for a remapped one, so a sparse file's
 * hashed ids cost what is present). Values are summed in query and row
 * order: the same bits for any thread count.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/history/history.h"
#include "harness/util/grow.h"
#include "metrics/featstats.h"

_Static_assert(PF_HIST_NQUANT == PF_FS_NQUANT,
    "the history keeps the statistics module's sketch");

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/*
 * The feature ids stack k's lists carry (pf_feats_id over each query's
 * columns: dense or remapped), ascending and unique, into *ids (*n; none
 * when no query has features). -1 on OOM.
 */
static int
feature_ids(const pf_replay *r, size_t k, long **ids, size_t *n)
{
	const pf_feats *prev = NULL;
	size_t cap = 0, m = 0;
	long *v = NULL;

	for (size_t q = 0; q < r->m.nq; q++) {
		const pf_feats *f = &r->feats[k][q];
		if (f->x32 == NULL || f->nf == 0 || r->m.stacks[k].n[q] == 0)
			continue;
		if (prev != NULL && prev->nf == f->nf && prev->base ==
		    f->base && prev->id == f->id)
			continue;	/* the same columns as the last */
		prev = f;
		if (m + f->nf > cap) {
			long *nv = pf_grow(v, &cap, m + f->nf, sizeof(*nv));
			if (nv == NULL) {
				free(v);
				return -1;
			}
			v = nv;
		}
		for (size_t j = 0; j < f->nf; j++)
			v[m++] = pf_feats_id(f, j);
	}
	if (m > 1)
		qsort(v, m, sizeof(*v), cmp_long);
	size_t u = 0;
	for (size_t i = 0; i < m; i++)
		if (u == 0 || v[i] != v[u - 1])
			v[u++] = v[i];
	*ids = v;
	*n = u;
	return 0;
}

/*
 * Feature id's values over stack k's final lists, present ones into v
 * (room for every row); rows and missing counted (a row whose query's
 * columns lack the id is missing, as an absent value is).
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
		if (f->x32 == NULL || f->nf == 0)
			continue;
		long c = pf_feats_col(f, id);
		if (c < 0) {
			*rows += s->n[q];
			*missing += s->n[q];
			continue;
		}
		for (size_t i = 0; i < s->n[q]; i++) {
			size_t o = (size_t)r->row[k][q][i] * f->nf + (size_t)c;
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

/* Statistics of the n present values in v (sorted here): the one
   statistics module's summary (metrics/featstats.h), copied. */
static void
summarize(pf_hist_featstat *out, double *v, size_t n)
{
	pf_fs_col c;

	pf_fs_summarize(&c, v, n, out->count);
	out->mean = c.mean;
	out->sd = c.sd;
	out->min = c.min;
	out->max = c.max;
	memcpy(out->q, c.q, sizeof(out->q));
}

int
pf_hist_featstats(pf_hist_featstat **out, size_t *n, const pf_replay *r,
    size_t k, pf_err *err)
{
	const pf_stack_result *s = &r->m.stacks[k];
	pf_hist_featstat *fs = NULL;
	size_t nrows = 0, nids = 0;
	long *ids = NULL;
	double *v = NULL;

	*out = NULL;
	*n = 0;
	if (r->feats == NULL || r->feats[k] == NULL)
		return PF_OK;
	if (feature_ids(r, k, &ids, &nids) != 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if (nids == 0) {
		free(ids);
		return PF_OK;
	}
	const pf_fnames *names = NULL;	/* one table for every query */
	for (size_t q = 0; q < r->m.nq; q++) {
		nrows += s->n[q];
		if (names == NULL && r->feats[k][q].x32 != NULL)
			names = r->feats[k][q].names;
	}
	if ((fs = calloc(nids, sizeof(*fs))) == NULL ||
	    (v = malloc((nrows + 1) * sizeof(*v))) == NULL) {
		free(fs);
		free(ids);
		return pf_err_nomem(err, NULL, nrows + 1, sizeof(*v),
		    "feature values (one per candidate row)");
	}
	for (size_t i = 0; i < nids; i++) {
		pf_hist_featstat *f = &fs[i];
		size_t np = column_values(r, k, ids[i], v, &f->count,
		    &f->missing);
		f->stack = s->id;
		f->feature = ids[i];
		const char *nm = pf_fnames_get(names, ids[i]);
		if (nm != NULL)
			snprintf(f->name, sizeof(f->name), "%s", nm);
		else
			snprintf(f->name, sizeof(f->name), "f%ld", ids[i]);
		summarize(f, v, np);
	}
	free(v);
	free(ids);
	*out = fs;
	*n = nids;
	return PF_OK;
}

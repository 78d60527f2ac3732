/*
 * harness/check/featstats.c — pf_fst_compute (featstats.h): the columns of
 * a candidate file summarised by metrics/featstats, features in parallel.
 *
 * Features in chunks of PF_FST_CHUNK adjacent columns, gathered in one
 * pass over the row-major matrix (a cache line a row serves the chunk),
 * so the moments and the per-grade sums are in row order; one
 * radix sort of (value, row) pairs gives the sorted values (quantiles,
 * distinct, KS) and the average ranks (Spearman). Scratch per thread:
 * PF_FST_CHUNK + 5 doubles a row. The Spearman matrix: ranks column-major as
 * float (4 bytes a cell), summed by blocks of PF_FST_BLOCK rows split in
 * PF_FST_PARTS fixed interleaved parts (one per OpenMP iteration, BLAS
 * single-threaded inside), the parts added in order: the same bits for
 * any thread count.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "harness/check/featstats.h"

#define PF_FST_BLOCK	2048
#define PF_FST_PARTS	8
#define PF_FST_CHUNK	8	/* adjacent columns gathered together */

const double pf_fst_pct[PF_FST_NPCT] = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95,
	0.99};

static int
cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

void
pf_fst_free(pf_fst *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; t->f != NULL && i < t->nf; i++)
		free(t->f[i].sorted);
	free(t->f);
	free(t->grades);
	free(t->gmean);
	free(t->gcount);
	free(t->rho);
	free(t);
}

/* The grades present in s, ascending, and each row's index among them. */
static int
grade_index(pf_fst *t, const pf_svm *s, uint32_t *gi)
{
	int32_t *g = malloc((s->nrows + 1) * sizeof(*g));
	size_t u = 0;

	if (g == NULL)
		return -1;
	memcpy(g, s->grade, s->nrows * sizeof(*g));
	qsort(g, s->nrows, sizeof(*g), cmp_i32);
	for (size_t i = 0; i < s->nrows; i++)
		if (u == 0 || g[i] != g[u - 1])
			g[u++] = g[i];
	t->grades = g;
	t->ngrades = u;
	for (size_t r = 0; r < s->nrows; r++) {
		int32_t *p = bsearch(&s->grade[r], g, u, sizeof(*g), cmp_i32);
		gi[r] = (uint32_t)(p - g);
	}
	return 0;
}

/* The file's columns with a present value: their indices into col. */
static size_t
present_columns(const pf_svm *s, size_t *col)
{
	size_t n = 0;

#pragma omp parallel for schedule(dynamic, 4)
	for (size_t j = 0; j < s->nf; j++) {
		size_t r = 0;
		while (r < s->nrows && isnan(s->x32[r * s->nf + j]))
			r++;
		col[j] = r < s->nrows;	/* a flag, compacted below */
	}
	for (size_t j = 0; j < s->nf; j++)
		if (col[j])
			col[n++] = j;
	return n;
}

/* Scratch of one thread: a chunk's columns, then one column's pairs. */
typedef struct scratch {
	double		*x;	/* PF_FST_CHUNK columns of the rows, NaN */
	double		*v;
	pf_fs_pair	*p, *tmp;
} scratch;

/*
 * Columns col[i0..i1) of s, column-major into w->x (NaN missing): one pass
 * over the rows reading a few adjacent floats of each, instead of one
 * cache line a row for each feature.
 */
static void
gather(const pf_svm *s, const size_t *col, size_t i0, size_t i1,
    double *x)
{
	size_t n = s->nrows;

	for (size_t r = 0; r < n; r++) {
		const float *x32 = s->x32 + r * s->nf;
		const double *x64 = s->x64 != NULL ? s->x64 + r * s->nf : NULL;
		for (size_t i = i0; i < i1; i++) {
			size_t j = col[i];
			x[(i - i0) * n + r] = isnan(x32[j]) ? NAN : x64 != NULL ?
			    x64[j] : (double)x32[j];
		}
	}
}

/* Feature i (file column j, its values x in row order) into t->f[i]. */
static int
one_feature(pf_fst *t, const pf_svm *s, size_t i, size_t j,
    const pf_fnames *names, const uint32_t *gi, const double *x,
    float *rank, scratch *w)
{
	pf_fst_feat *f = &t->f[i];
	double *gs = t->gmean + i * t->ngrades;
	uint64_t *gc = t->gcount + i * t->ngrades;
	size_t n = 0;

	f->id = s->id != NULL ? (long)s->id[j] : (long)j + s->base;
	const char *nm = pf_fnames_get(names, f->id);
	if (nm != NULL)
		snprintf(f->name, sizeof(f->name), "%s", nm);
	else
		snprintf(f->name, sizeof(f->name), "f%ld", f->id);
	f->cluster = -1;
	for (size_t r = 0; r < s->nrows; r++) {
		if (isnan(x[r]))
			continue;
		w->v[n] = x[r];
		w->p[n] = pf_fs_pair_of(x[r], r);
		gs[gi[r]] += x[r];
		gc[gi[r]]++;
		n++;
	}
	for (size_t g = 0; g < t->ngrades; g++)
		gs[g] = gc[g] > 0 ? gs[g] / (double)gc[g] : NAN;
	pf_fs_moments(w->v, n, &f->c.mean, &f->c.sd);
	pf_fs_pair *sp = pf_fs_sort(w->p, n, w->tmp);
	if ((f->sorted = malloc((n + 1) * sizeof(double))) == NULL)
		return -1;
	for (size_t k = 0; k < n; k++)
		f->sorted[k] = pf_fs_pair_value(sp[k]);
	pf_fs_describe(&f->c, f->sorted, n, s->nrows);
	for (size_t k = 0; k < PF_FST_NPCT; k++)
		f->pct[k] = pf_fs_quantile(f->sorted, n, pf_fst_pct[k]);
	if (rank != NULL)
		pf_fs_ranks(rank + i * s->nrows, s->nrows, sp, n);
	return 0;
}

/* The Spearman matrix of t's features from their ranks, and clusters. */
static int
correlate(pf_fst *t, const float *rank, size_t nrows)
{
	size_t nf = t->nf, nacc = PF_FS_CORR_ACC(nf), nblocks;
	double *acc = NULL, *center = NULL;
	size_t *root = NULL;
	int *cl = NULL, fail = 0, rc = -1;

	nblocks = (nrows + PF_FST_BLOCK - 1) / PF_FST_BLOCK;
	if ((acc = calloc(PF_FST_PARTS * nacc, sizeof(*acc))) == NULL ||
	    (center = malloc(nf * sizeof(*center))) == NULL ||
	    (t->rho = malloc(nf * nf * sizeof(*t->rho))) == NULL ||
	    (root = malloc(nf * sizeof(*root))) == NULL ||
	    (cl = malloc(nf * sizeof(*cl))) == NULL)
		goto done;
	for (size_t f = 0; f < nf; f++)
		center[f] = ((double)(t->f[f].c.rows - t->f[f].c.missing) +
		    1.0) / 2.0;
	int bt = openblas_get_num_threads();
	openblas_set_num_threads(1);	/* fixed bits: one thread a part */
#pragma omp parallel for schedule(dynamic, 1) reduction(| : fail)
	for (size_t part = 0; part < PF_FST_PARTS; part++) {
		double *buf = malloc(3 * PF_FST_BLOCK * nf * sizeof(*buf));
		if (buf == NULL) {
			fail = 1;
			continue;
		}
		for (size_t b = part; b < nblocks; b += PF_FST_PARTS) {
			size_t r0 = b * PF_FST_BLOCK, r1 = r0 + PF_FST_BLOCK;
			pf_fs_corr_block(acc + part * nacc, rank, nrows, nf,
			    r0, r1 < nrows ? r1 : nrows, center, buf);
		}
		free(buf);
	}
	openblas_set_num_threads(bt);
	if (fail)
		goto done;
	for (size_t part = 1; part < PF_FST_PARTS; part++)
		pf_fs_corr_add(acc, acc + part * nacc, nf);
	pf_fs_corr_finish(t->rho, acc, nf);
	t->nclusters = pf_fs_clusters(cl, t->rho, nf, PF_FS_CLUSTER_RHO,
	    root);
	for (size_t f = 0; f < nf; f++)
		t->f[f].cluster = cl[f];
	rc = 0;
done:
	free(acc);
	free(center);
	free(root);
	free(cl);
	return rc;
}

int
pf_fst_compute(pf_fst **out, const pf_svm *s, const pf_fnames *names,
    int corr, pf_err *err)
{
	pf_fst *t = NULL;
	size_t *col = NULL, nrank = 0;
	uint32_t *gi = NULL;
	float *rank = NULL;
	int fail = 0, rc = PF_OK;

	*out = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (col = malloc((s->nf + 1) * sizeof(*col))) == NULL ||
	    (gi = malloc((s->nrows + 1) * sizeof(*gi))) == NULL ||
	    grade_index(t, s, gi) != 0)
		goto nomem;
	t->path = s->path;
	t->nrows = s->nrows;
	t->nq = s->nq;
	t->nf = present_columns(s, col);
	if ((t->f = calloc(t->nf + 1, sizeof(*t->f))) == NULL ||
	    (t->gmean = calloc(t->nf * t->ngrades + 1, sizeof(double))) ==
	    NULL || (t->gcount = calloc(t->nf * t->ngrades + 1,
	    sizeof(uint64_t))) == NULL)
		goto nomem;
	if (corr && t->nf > 1 && (pf_mul_size(t->nf, s->nrows, &nrank) !=
	    PF_OK || (rank = malloc((nrank + 1) * sizeof(*rank))) == NULL))
		goto nomem;
	size_t nchunks = (t->nf + PF_FST_CHUNK - 1) / PF_FST_CHUNK;
#pragma omp parallel reduction(| : fail)
	{
		scratch w;
		size_t n1 = s->nrows + 1;
		w.x = malloc(PF_FST_CHUNK * n1 * sizeof(*w.x));
		w.v = malloc(n1 * sizeof(*w.v));
		w.p = malloc(n1 * sizeof(*w.p));
		w.tmp = malloc(n1 * sizeof(*w.tmp));
		int ok = w.x != NULL && w.v != NULL && w.p != NULL &&
		    w.tmp != NULL;
		fail |= !ok;
#pragma omp for schedule(dynamic, 1)
		for (size_t ch = 0; ch < nchunks; ch++) {
			size_t i0 = ch * PF_FST_CHUNK, i1 = i0 + PF_FST_CHUNK;
			if (!ok)
				continue;
			i1 = i1 < t->nf ? i1 : t->nf;
			gather(s, col, i0, i1, w.x);
			for (size_t i = i0; i < i1; i++)
				fail |= one_feature(t, s, i, col[i], names, gi,
				    w.x + (i - i0) * s->nrows, rank, &w) != 0;
		}
		free(w.x);
		free(w.v);
		free(w.p);
		free(w.tmp);
	}
	if (fail || (rank != NULL && correlate(t, rank, s->nrows) != 0))
		goto nomem;
	*out = t;
	t = NULL;
	goto done;
nomem:
	rc = pf_err_nomem(err, s->path, s->nrows + 1, sizeof(pf_fs_pair) * 3,
	    "feature statistics scratch (three arrays of the rows)");
done:
	pf_fst_free(t);
	free(col);
	free(gi);
	free(rank);
	return rc;
}

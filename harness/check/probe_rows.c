/*
 * harness/check/probe_rows.c — the inputs `preflight probe` feeds a model
 * (harness/check/probe.h): reference rows sampled from a feature file with each
 * feature's observed range, or synthesised from the model's split
 * thresholds, and the grid a monotone feature is swept over. Every random
 * choice is a Philox draw keyed by the seed (metrics/rng.h), so the rows
 * are the same for any thread count and run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/fileio.h"
#include "harness/check/probe_internal.h"
#include "harness/stages/stage.h"
#include "harness/util/scan.h"
#include "metrics/rng.h"

#define PROBE_RNG	UINT64_C(0x70726f62)	/* "prob" */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

int
pf_probe__grid(const pf_probe_feat *f, const double *thr, size_t nthr,
    size_t grid, double **out, size_t *nout)
{
	double *g;
	size_t n = 0;

	if ((g = malloc((grid + nthr + 1) * sizeof(*g))) == NULL)
		return PF_ENOMEM;
	for (size_t k = 0; k < grid; k++)
		g[n++] = k + 1 == grid ? f->hi : f->lo + (f->hi - f->lo) *
		    (double)k / (double)(grid - 1);
	for (size_t k = 0; k < nthr; k++)
		if (thr[k] > f->lo && thr[k] < f->hi)
			g[n++] = thr[k];
	qsort(g, n, sizeof(*g), cmp_double);
	size_t w = 0;
	for (size_t k = 0; k < n; k++)
		if (w == 0 || g[k] != g[w - 1])
			g[w++] = g[k];
	*out = g;
	*nout = w;
	return PF_OK;
}

/* Sorts v[0..n) and returns its lower median. */
static double
lower_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(n - 1) / 2];
}

/*
 * Feature j's range from the model's thresholds: a margin d below the
 * first and above the last (d = the largest of 1, 10% of their span and 1%
 * of their magnitude, so t0 - d stays below t0 in float32), the median of
 * the cell representatives {t0 - d, t0, ..., tk-1, tk-1 + d}. One value
 * per cell under either library's rule (XGBoost x < t goes left, LightGBM
 * x <= t), which the synthetic rows draw from. No threshold: all 0.
 */
static void
split_range(pf_probe_feat *f, const double *t, size_t k)
{
	if (k == 0) {
		f->lo = f->hi = f->med = 0.0;
		return;
	}
	double d = fmax(fmax(1.0, 0.1 * (t[k - 1] - t[0])),
	    0.01 * fmax(fabs(t[0]), fabs(t[k - 1])));
	f->lo = t[0] - d;
	f->hi = t[k - 1] + d;
	/* reps: lo, t[0..k), hi; lower median of k + 2 values */
	size_t m = (k + 1) / 2;
	f->med = m == 0 ? f->lo : t[m - 1];
}

static double
cell_rep(const double *t, size_t k, const pf_probe_feat *f, uint32_t u)
{
	if (u == 0)
		return f->lo;
	if (u > k)
		return f->hi;
	return t[u - 1];
}

int
pf_probe__synth_rows(pf_probe_report *r, pf_probe_rows *c, const pf_gbdt_splits *sp,
    uint64_t seed)
{
	pf_key key = pf_rng_key(seed, 0, 0, PROBE_RNG);

	for (size_t j = 0; j < c->w; j++)
		split_range(&r->feat[j], sp->thr + sp->off[j],
		    sp->off[j + 1] - sp->off[j]);
	for (size_t i = 0; i < c->n; i++) {
		pf_rng g;
		pf_rng_init(&g, key, i);
		for (size_t j = 0; j < c->w; j++) {
			size_t k = sp->off[j + 1] - sp->off[j];
			uint32_t u = k ? pf_rng_below32(&g, (uint32_t)k + 2) : 0;
			c->x[i * c->w + j] = k ? cell_rep(sp->thr + sp->off[j],
			    k, &r->feat[j], u) : 0.0;
		}
		if ((r->rowname[i] = malloc(48)) == NULL)
			return PF_ENOMEM;
		snprintf(r->rowname[i], 48, "synthetic row %zu", i);
	}
	return PF_OK;
}

int
pf_probe__file_rows(pf_probe_report *r, pf_probe_rows *c, const pf_svm *s, int lgb,
    const pf_gbdt_splits *sp, uint64_t seed)
{
	size_t N = s->nrows, *idx, *qof = NULL;
	double *v = NULL;
	pf_key key = pf_rng_key(seed, 1, 0, PROBE_RNG);
	pf_rng g;

	if ((idx = malloc((N ? N : 1) * sizeof(*idx))) == NULL ||
	    (qof = malloc((N ? N : 1) * sizeof(*qof))) == NULL ||
	    (v = malloc((N ? N : 1) * sizeof(*v))) == NULL) {
		free(idx);
		free(qof);
		return PF_ENOMEM;
	}
	for (size_t q = 0; q < s->nq; q++)
		for (size_t i = s->qoff[q]; i < s->qoff[q + 1]; i++)
			qof[i] = q;
	/* Partial Fisher-Yates: the first n of idx are the sample. */
	for (size_t i = 0; i < N; i++)
		idx[i] = i;
	pf_rng_init(&g, key, 0);
	for (size_t i = 0; i < c->n && c->n < N; i++) {
		size_t k = i + (size_t)pf_rng_below(&g, N - i), t = idx[i];
		idx[i] = idx[k];
		idx[k] = t;
	}
	qsort(idx, c->n, sizeof(*idx), cmp_size);
	pf_feats map = {NULL, NULL, s->nf, s->base, s->id, NULL};
	for (size_t j = 0; j < c->w; j++) {
		long col = pf_feats_col(&map, (long)j + c->first);
		size_t m = 0;
		for (size_t i = 0; i < N && col >= 0 && (size_t)col < s->nf;
		    i++) {
			double x = lgb ? s->x64[i * s->nf + (size_t)col] :
			    (double)s->x32[i * s->nf + (size_t)col];
			if (!isnan(x))
				v[m++] = x;
		}
		if (m > 0) {
			r->feat[j].med = lower_median(v, m);
			r->feat[j].lo = v[0];
			r->feat[j].hi = v[m - 1];
		} else if (sp != NULL) {
			split_range(&r->feat[j], sp->thr + sp->off[j],
			    sp->off[j + 1] - sp->off[j]);
		}
		for (size_t i = 0; i < c->n; i++) {
			size_t src = idx[i];
			c->x[i * c->w + j] = col < 0 || (size_t)col >= s->nf ?
			    (lgb ? 0.0 : NAN) : lgb ? s->x64[src * s->nf +
			    (size_t)col] : (double)s->x32[src * s->nf +
			    (size_t)col];
		}
	}
	int rc = PF_OK;
	for (size_t i = 0; i < c->n && rc == PF_OK; i++) {
		size_t src = idx[i];
		const char *qid = s->qid[qof[src]], *doc = s->docid[src];
		size_t len = strlen(qid) + strlen(doc) + 48;
		if ((r->rowname[i] = malloc(len)) == NULL)
			rc = PF_ENOMEM;
		else
			snprintf(r->rowname[i], len, "row %zu (qid %s, %s)",
			    src + 1, qid, doc);
	}
	free(idx);
	free(qof);
	free(v);
	return rc;
}

long
pf_probe__line_beyond(const char *path, long last)
{
	char *buf = NULL;
	size_t len;
	long lineno = 0, found = 0;
	pf_err err = {0};

	if (pf_read_text(&buf, &len, path, &err) != PF_OK)
		return 0;
	/* The loader has validated the file: only find the line. */
	for (char *p = buf; p < buf + len && found == 0; lineno++) {
		char *eol = memchr(p, '\n', (size_t)(buf + len - p));
		char *end = eol ? eol : buf + len;
		char *hash = memchr(p, '#', (size_t)(end - p));
		if (hash != NULL)
			end = hash;
		for (char *t = p; t < end && found == 0; t++) {
			if (*t != ':' || t - p < 1 || (t - p >= 3 &&
			    memcmp(t - 3, "qid", 3) == 0))
				continue;
			char *s = t;
			while (s > p && s[-1] >= '0' && s[-1] <= '9')
				s--;
			long id;
			if (pf_parse_long(s, (size_t)(t - s), 0, INT32_MAX,
			    &id) == 0 && id > last)
				found = lineno + 1;
		}
		p = eol ? eol + 1 : buf + len;
	}
	free(buf);
	return found;
}

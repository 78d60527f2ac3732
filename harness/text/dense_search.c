/*
 * harness/text/dense_search.c — see dense.h.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "harness/text/dense_search.h"
#include "harness/util/grow.h"

#define TILE_Q	512		/* queries per sgemm tile */
#define TILE_D	4096		/* documents per sgemm tile (8 MB of floats) */

typedef struct cand {
	float		s;
	uint32_t	d;
} cand;

/* The candidates of one query: every document with s >= thr so far. */
typedef struct qbuf {
	cand	*c;
	size_t	 n, cap;
	float	 thr;
	double	 slack;		/* twice the float32 rounding bound */
	int	 nomem;
} qbuf;

typedef struct exact {
	double		s;
	uint32_t	tie, d;
} exact;

static double
dot(const float *a, const float *b, size_t dim)
{
	double s = 0;

	for (size_t i = 0; i < dim; i++)
		s += (double)a[i] * (double)b[i];
	return s;
}

double
pf_dense_score(const float *q, const float *d, size_t dim,
    pf_dense_metric metric)
{
	double ip = dot(q, d, dim);

	if (metric == PF_DENSE_IP)
		return ip;
	double qn = sqrt(dot(q, q, dim)), dn = sqrt(dot(d, d, dim));
	return qn > 0 && dn > 0 ? ip / (qn * dn) : 0.0;
}

/* The k-th largest s of c[0..n) (1 <= k <= n); reorders c. Three-way
   quickselect: ties (common in embeddings of duplicate texts) cost one
   pass. */
static float
kth_largest(cand *c, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1, want = k - 1;

	while (lo < hi) {
		float piv = c[lo + (hi - lo) / 2].s;
		size_t lt = lo, i = lo, gt = hi + 1;
		while (i < gt) {	/* [lo,lt) > piv, [lt,i) == piv, [gt,hi] < */
			cand t = c[i];
			if (t.s > piv) {
				c[i++] = c[lt];
				c[lt++] = t;
			} else if (t.s < piv) {
				c[i] = c[--gt];
				c[gt] = t;
			} else {
				i++;
			}
		}
		if (want < lt)
			hi = lt - 1;
		else if (want >= gt)
			lo = gt;
		else
			return piv;
	}
	return c[want].s;
}

/* Raises b->thr to the k-th best minus the slack and drops what is below;
   grows the buffer when pruning frees less than half of it. */
static void
prune(qbuf *b, size_t k)
{
	float fk = kth_largest(b->c, b->n, k);
	float thr = nextafterf((float)((double)fk - b->slack), -INFINITY);
	size_t w = 0;

	if (thr > b->thr)
		b->thr = thr;
	for (size_t i = 0; i < b->n; i++)
		if (b->c[i].s >= b->thr)
			b->c[w++] = b->c[i];
	b->n = w;
	if (b->n > b->cap / 2) {
		/* Room for one more than cap: pf_grow doubles it. */
		cand *c = pf_grow(b->c, &b->cap, b->cap + 1, sizeof(*c));
		if (c == NULL) {
			b->nomem = 1;
			return;
		}
		b->c = c;
	}
}

static void
scan_row(qbuf *b, const float *row, size_t nd, uint32_t d0, size_t k)
{
	float thr = b->thr;	/* locals: stores to b->c cannot alias them */
	size_t n = b->n;

	for (size_t j = 0; j < nd; j++) {
		float s = row[j];
		if (s < thr)	/* finite inputs: never NaN */
			continue;
		if (n == b->cap) {
			b->n = n;
			prune(b, k);
			if (b->nomem)
				return;
			n = b->n;
			thr = b->thr;
			if (s < thr)
				continue;
		}
		b->c[n++] = (cand){s, d0 + (uint32_t)j};
	}
	b->n = n;
}

static int
cmp_exact(const void *x, const void *y)
{
	const exact *a = x, *b = y;

	if (a->s != b->s)
		return a->s > b->s ? -1 : 1;
	return a->tie > b->tie ? -1 : a->tie < b->tie;
}

/* Unit-length float32 copies (cosine) and the double norms. */
static float *
normalised(const float *x, size_t n, size_t dim, double *norm)
{
	float *y = malloc((n * dim + 1) * sizeof(*y));

	if (y == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const float *a = x + i * dim;
		norm[i] = sqrt(dot(a, a, dim));
		for (size_t j = 0; j < dim; j++)
			y[i * dim + j] = norm[i] > 0 ? (float)((double)a[j] /
			    norm[i]) : 0.0f;
	}
	return y;
}

int
pf_dense_topk(const float *q, size_t nq, const float *d, size_t nd,
    size_t dim, pf_dense_metric metric, const uint32_t *tie, size_t k,
    uint32_t *doc_out, double *score_out, pf_err *err)
{
	const float *qf = q, *df = d;
	float *qn = NULL, *dn = NULL, *tile = NULL;
	double *qnorm = NULL, *dnorm = NULL, dmax = 0;
	qbuf *b = NULL;
	size_t kk = k < nd ? k : nd, cap = 2 * kk + 64;
	int rc = PF_OK, iscos = metric == PF_DENSE_COSINE;

	if (nq == 0 || kk == 0)
		return PF_OK;
	if (dim == 0 || nd > UINT32_MAX)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "dense: %zu "
		    "documents of dimension %zu: expected 1 <= dimension and "
		    "at most 2^32 - 1 documents", nd, dim);
	if ((qnorm = malloc(nq * sizeof(*qnorm))) == NULL ||
	    (dnorm = malloc(nd * sizeof(*dnorm))) == NULL ||
	    (b = calloc(nq, sizeof(*b))) == NULL ||
	    (tile = malloc((nq < TILE_Q ? nq : TILE_Q) * (nd < TILE_D ? nd :
	    TILE_D) * sizeof(*tile))) == NULL)
		goto nomem;
	if (iscos) {
		if ((qn = normalised(q, nq, dim, qnorm)) == NULL ||
		    (dn = normalised(d, nd, dim, dnorm)) == NULL)
			goto nomem;
		qf = qn;
		df = dn;
	}
	/* norms of what sgemm multiplies, for the rounding bound */
	for (size_t j = 0; j < nd; j++) {
		const float *a = df + j * dim;
		double x = sqrt(dot(a, a, dim));
		if (!iscos)
			dnorm[j] = x;
		dmax = x > dmax ? x : dmax;
	}
	double c = 4.0 * ((double)dim + 4) * ldexp(1.0, -24);
	for (size_t i = 0; i < nq; i++) {
		const float *a = qf + i * dim;
		double x = sqrt(dot(a, a, dim));
		if (!iscos)
			qnorm[i] = x;
		if (x * dmax > 1e36) {
			rc = pf_err_set(err, PF_EDATA, NULL, 0, "embedding norms "
			    "too large for float32 products (query row %zu)",
			    i);
			goto done;
		}
		/* twice the bound; the cosine term covers normalisation */
		b[i].slack = 2 * (c * x * dmax + (iscos ? c : 0) +
		    (double)dim * ldexp(1.0, -125));
		b[i].thr = -INFINITY;
		b[i].cap = cap;
		if ((b[i].c = malloc(cap * sizeof(*b[i].c))) == NULL)
			goto nomem;
	}
	for (size_t q0 = 0; q0 < nq; q0 += TILE_Q) {
		size_t bq = nq - q0 < TILE_Q ? nq - q0 : TILE_Q;
		for (size_t d0 = 0; d0 < nd; d0 += TILE_D) {
			size_t bd = nd - d0 < TILE_D ? nd - d0 : TILE_D;
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
			    (int)bq, (int)bd, (int)dim, 1.0f, qf + q0 * dim,
			    (int)dim, df + d0 * dim, (int)dim, 0.0f, tile,
			    (int)bd);
#pragma omp parallel for schedule(static)
			for (size_t i = 0; i < bq; i++)
				if (!b[q0 + i].nomem)
					scan_row(&b[q0 + i], tile + i * bd, bd,
					    (uint32_t)d0, kk);
		}
	}
	int nomem = 0;
#pragma omp parallel for schedule(dynamic, 16) reduction(|:nomem)
	for (size_t i = 0; i < nq; i++) {
		qbuf *x = &b[i];
		if (!x->nomem && x->n > kk)
			prune(x, kk);	/* rescore only the last candidates */
		exact *e = x->nomem ? NULL : malloc((x->n + 1) * sizeof(*e));
		if (e == NULL) {
			nomem = 1;
			continue;
		}
		for (size_t j = 0; j < x->n; j++) {
			uint32_t dj = x->c[j].d;
			double s = dot(q + i * dim, d + (size_t)dj * dim, dim);
			if (iscos)
				s = qnorm[i] > 0 && dnorm[dj] > 0 ? s /
				    (qnorm[i] * dnorm[dj]) : 0.0;
			e[j] = (exact){s, tie[dj], dj};
		}
		qsort(e, x->n, sizeof(*e), cmp_exact);
		for (size_t j = 0; j < kk; j++) {	/* x->n >= kk */
			doc_out[i * k + j] = e[j].d;
			score_out[i * k + j] = e[j].s;
		}
		free(e);
	}
	if (nomem)
		goto nomem;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	for (size_t i = 0; b != NULL && i < nq; i++)
		free(b[i].c);
	free(b);
	free(tile);
	free(qn);
	free(dn);
	free(qnorm);
	free(dnorm);
	return rc;
}

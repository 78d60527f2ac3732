/*
 * harness/text/lsa.c — see lsa.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "harness/text/analyzer.h"
#include "harness/text/lsa.h"
#include "harness/util/progress.h"
#include "harness/util/grow.h"
#include "harness/util/strtab.h"
#include "metrics/rng.h"

/*
 * LAPACK from OpenBLAS (Fortran symbols: Debian builds it without LAPACKE;
 * see metrics/lift.c). The trailing size_t is the hidden CHARACTER length.
 */
void	dgeqrf_(const int *m, const int *n, double *a, const int *lda,
	    double *tau, double *work, const int *lwork, int *info);
void	dorgqr_(const int *m, const int *n, const int *k, double *a,
	    const int *lda, const double *tau, double *work, const int *lwork,
	    int *info);
void	dgesdd_(const char *jobz, const int *m, const int *n, double *a,
	    const int *lda, double *s, double *u, const int *ldu, double *vt,
	    const int *ldvt, double *work, const int *lwork, int *iwork,
	    int *info, size_t);

#define OVERSAMPLE	10	/* at least; dim when larger */
#define POWER_ITERS	4
#define PF_RNG_LSA	UINT64_C(0x6c7361)	/* "lsa" */

/* A sparse matrix, rows of (column, value). */
typedef struct csr {
	size_t		 nrows, ncols;
	size_t		*off;		/* nrows + 1 */
	uint32_t	*col;
	double		*val;
} csr;

static void
csr_free(csr *m)
{
	free(m->off);
	free(m->col);
	free(m->val);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Appends the term ids of text's tokens to *ids (interning new terms when
   terms is writable, skipping unknown ones otherwise). */
static int
tokens(pf_strtab *terms, int add, int stop, const char *text, uint32_t **ids,
    size_t *n, size_t *cap)
{
	const char *p = text, *end = text + strlen(text);
	char tok[PF_TOKEN_MAX + 1];
	size_t k;

	while ((k = pf_next_token(&p, end, tok)) > 0) {
		if (stop && pf_is_stopword(tok, k))
			continue;
		long t = add ? pf_strtab_intern(terms, tok, k) :
		    pf_strtab_find(terms, tok, k);
		if (t < 0) {
			if (add)
				return -1;
			continue;
		}
		if (*n == *cap) {
			uint32_t *a = pf_grow(*ids, cap, *n + 1, sizeof(*a));
			if (a == NULL)
				return -1;
			*ids = a;
		}
		(*ids)[(*n)++] = (uint32_t)t;
	}
	return 0;
}

/* Row r of m from a multiset of term ids: (term, tf) pairs, sorted. */
static int
add_row(csr *m, size_t r, uint32_t *ids, size_t n, size_t *cap)
{
	if (n > 1)
		qsort(ids, n, sizeof(*ids), cmp_u32);
	size_t at = m->off[r];
	for (size_t i = 0; i < n; ) {
		size_t j = i;
		while (j < n && ids[j] == ids[i])
			j++;
		if (at == *cap) {
			/* col and val share *cap. */
			size_t nc = pf_grow_cap(*cap, at + 1, sizeof(double));
			uint32_t *c;
			double *v;
			if (nc == 0 ||
			    (c = pf_realloc_n(m->col, nc, sizeof(*c))) == NULL)
				return -1;
			m->col = c;
			if ((v = pf_realloc_n(m->val, nc, sizeof(*v))) == NULL)
				return -1;
			m->val = v;
			*cap = nc;
		}
		m->col[at] = ids[i];
		m->val[at++] = (double)(j - i);
		i = j;
	}
	m->off[r + 1] = at;
	return 0;
}

/* tf -> (1 + ln tf) idf, then each row to unit length. */
static void
weigh(csr *m, const double *idf)
{
	for (size_t r = 0; r < m->nrows; r++) {
		double ss = 0;
		for (size_t p = m->off[r]; p < m->off[r + 1]; p++) {
			m->val[p] = (1.0 + log(m->val[p])) * idf[m->col[p]];
			ss += m->val[p] * m->val[p];
		}
		for (size_t p = m->off[r]; ss > 0 && p < m->off[r + 1]; p++)
			m->val[p] /= sqrt(ss);
	}
}

static int
transpose(const csr *a, csr *t)
{
	size_t nnz = a->off[a->nrows];

	t->nrows = a->ncols;
	t->ncols = a->nrows;
	if ((t->off = calloc(t->nrows + 2, sizeof(*t->off))) == NULL ||
	    (t->col = malloc((nnz + 1) * sizeof(*t->col))) == NULL ||
	    (t->val = malloc((nnz + 1) * sizeof(*t->val))) == NULL)
		return -1;
	for (size_t p = 0; p < nnz; p++)
		t->off[a->col[p] + 2]++;
	for (size_t c = 0; c < t->nrows; c++)
		t->off[c + 2] += t->off[c + 1];
	for (size_t r = 0; r < a->nrows; r++)	/* rows stay in order */
		for (size_t p = a->off[r]; p < a->off[r + 1]; p++) {
			size_t at = t->off[a->col[p] + 1]++;
			t->col[at] = (uint32_t)r;
			t->val[at] = a->val[p];
		}
	return 0;
}

/* Y (m->nrows x l, column-major) = M X (X: m->ncols x l, column-major). */
static void
spmm(const csr *m, const double *x, size_t l, double *y)
{
	size_t nr = m->nrows, nc = m->ncols;

#pragma omp parallel for schedule(dynamic, 64)
	for (size_t r = 0; r < nr; r++)
		for (size_t c = 0; c < l; c++) {
			double s = 0;
			for (size_t p = m->off[r]; p < m->off[r + 1]; p++)
				s += m->val[p] * x[m->col[p] + c * nc];
			y[r + c * nr] = s;
		}
}

/* Replaces the columns of a (m x n, column-major, m >= n) by an
   orthonormal basis of their span (Householder QR). */
static int
orthonormalise(double *a, size_t m, size_t n, double *tau)
{
	int im = (int)m, in = (int)n, lw = -1, info;
	double q;

	dgeqrf_(&im, &in, a, &im, tau, &q, &lw, &info);
	lw = (int)q + 1;
	double *w = malloc((size_t)lw * sizeof(*w));
	if (w == NULL)
		return -1;
	dgeqrf_(&im, &in, a, &im, tau, w, &lw, &info);
	if (info == 0)
		dorgqr_(&im, &in, &in, a, &im, tau, w, &lw, &info);
	free(w);
	return info == 0 ? 0 : -1;
}

void
pf_lsa_free(pf_lsa *m)
{
	if (m == NULL)
		return;
	free(m->docs);
	free(m->queries);
	free(m->sigma);
	free(m);
}

int
pf_lsa_build(pf_lsa **out, char *const *title, char *const *body,
    size_t ndocs, char *const *qtext, size_t nq, const pf_lsa_opts *o,
    pf_err *err)
{
	pf_strtab *terms = NULL;
	csr A = {0}, At = {0}, Qm = {0};
	uint32_t *ids = NULL;
	size_t nids = 0, cids = 0, cap = 0, qcap = 0;
	double *idf = NULL, *Y = NULL, *Z = NULL, *tau = NULL, *s = NULL,
	    *U = NULL, *VT = NULL, *work = NULL;
	int *iwork = NULL;
	pf_lsa *m = NULL;
	pf_progress pg = {0};
	int rc = PF_OK, nthreads = openblas_get_num_threads();

	*out = NULL;
	openblas_set_num_threads(1);	/* LAPACK: the same bytes always */
	if ((terms = pf_strtab_new()) == NULL ||
	    (A.off = calloc(ndocs + 1, sizeof(*A.off))) == NULL ||
	    (Qm.off = calloc(nq + 1, sizeof(*Qm.off))) == NULL)
		goto nomem;
	A.nrows = ndocs;
	pf_progress_start(&pg, o->progress, "LSA terms", "documents", ndocs);
	for (size_t d = 0; d < ndocs; d++, pf_progress_step(&pg, 1)) {
		nids = 0;
		if (tokens(terms, 1, o->stop, title[d], &ids, &nids, &cids) ||
		    tokens(terms, 1, o->stop, body[d], &ids, &nids, &cids) ||
		    add_row(&A, d, ids, nids, &cap))
			goto nomem;
	}
	pf_progress_end(&pg);
	size_t T = A.ncols = pf_strtab_count(terms), N = ndocs;
	Qm.nrows = nq;
	Qm.ncols = T;
	for (size_t q = 0; q < nq; q++) {
		nids = 0;
		if (tokens(terms, 0, o->stop, qtext[q] ? qtext[q] : "", &ids,
		    &nids, &cids) || add_row(&Qm, q, ids, nids, &qcap))
			goto nomem;
	}
	if ((idf = calloc(T + 1, sizeof(*idf))) == NULL)
		goto nomem;
	for (size_t p = 0; p < A.off[N]; p++)
		idf[A.col[p]]++;
	for (size_t t = 0; t < T; t++)
		idf[t] = log(1.0 + ((double)N - idf[t] + 0.5) / (idf[t] + 0.5));
	weigh(&A, idf);
	weigh(&Qm, idf);
	if (transpose(&A, &At) != 0)
		goto nomem;
	size_t mn = N < T ? N : T, l = o->dim + (o->dim > OVERSAMPLE ?
	    o->dim : OVERSAMPLE);
	if (l > mn)
		l = mn;
	if (l == 0 || o->dim == 0) {
		rc = pf_err_set(err, PF_EDATA, NULL, 0, "no terms to embed: %zu "
		    "documents, %zu distinct terms", N, T);
		goto done;
	}
	if ((Y = malloc(N * l * sizeof(*Y))) == NULL ||
	    (Z = malloc(T * l * sizeof(*Z))) == NULL ||
	    (tau = malloc(l * sizeof(*tau))) == NULL)
		goto nomem;
	/* range finder: Y = A Omega, then (A A^T)^q Y with QR between */
	pf_key key = pf_rng_key(o->seed, 0, 0, PF_RNG_LSA);
	for (size_t c = 0; c < l; c++)
		for (size_t t = 0; t < T; t++)
			Z[t + c * T] = 2 * pf_rng_unit(pf_rng_u64(key, c, t)) - 1;
	spmm(&A, Z, l, Y);
	pf_progress_start(&pg, o->progress, "LSA power iterations",
	    "iterations", POWER_ITERS);
	for (int it = 0; it < POWER_ITERS; it++, pf_progress_step(&pg, 1)) {
		if (orthonormalise(Y, N, l, tau) != 0)
			goto lapack;
		spmm(&At, Y, l, Z);
		if (orthonormalise(Z, T, l, tau) != 0)
			goto lapack;
		spmm(&A, Z, l, Y);
	}
	pf_progress_end(&pg);
	if (orthonormalise(Y, N, l, tau) != 0)
		goto lapack;
	spmm(&At, Y, l, Z);		/* Z = A^T Q = B^T, T x l */
	/* B^T = Ub S VT: A ~ Q B = (Q VT^T) S Ub^T */
	int im = (int)T, in = (int)l, lw = -1, info;
	double wq;
	if ((s = malloc(l * sizeof(*s))) == NULL ||
	    (U = malloc(T * l * sizeof(*U))) == NULL ||
	    (VT = malloc(l * l * sizeof(*VT))) == NULL ||
	    (iwork = malloc(8 * l * sizeof(*iwork))) == NULL)
		goto nomem;
	dgesdd_("S", &im, &in, Z, &im, s, U, &im, VT, &in, &wq, &lw, iwork,
	    &info, 1);
	lw = (int)wq + 1;
	if ((work = malloc((size_t)lw * sizeof(*work))) == NULL)
		goto nomem;
	dgesdd_("S", &im, &in, Z, &im, s, U, &im, VT, &in, work, &lw, iwork,
	    &info, 1);
	if (info != 0)
		goto lapack;
	size_t k = 0;
	while (k < o->dim && k < l && s[k] > 1e-9 * s[0])
		k++;
	if (k == 0) {
		rc = pf_err_set(err, PF_EDATA, NULL, 0, "no terms to embed: "
		    "every document is empty");
		goto done;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->docs = malloc((N * k + 1) * sizeof(*m->docs))) == NULL ||
	    (m->queries = malloc((nq * k + 1) * sizeof(*m->queries))) == NULL ||
	    (m->sigma = malloc((k + 1) * sizeof(*m->sigma))) == NULL)
		goto nomem;
	m->k = k;
	m->ndocs = N;
	m->nq = nq;
	m->nterms = T;
	for (size_t j = 0; j < k; j++) {
		/* sign: the largest |V| entry (the first one) positive */
		const double *v = U + j * T;	/* V = Ub */
		size_t am = 0;
		for (size_t t = 1; t < T; t++)
			if (fabs(v[t]) > fabs(v[am]))
				am = t;
		double sg = v[am] < 0 ? -1.0 : 1.0;
		m->sigma[j] = (float)s[j];
		for (size_t i = 0; i < N; i++) {	/* U = Q VT^T */
			double x = 0;
			for (size_t c = 0; c < l; c++)
				x += Y[i + c * N] * VT[j + c * l];
			m->docs[i * k + j] = (float)(sg * x);
		}
		for (size_t q = 0; q < nq; q++) {	/* q V S^-1 */
			double x = 0;
			for (size_t p = Qm.off[q]; p < Qm.off[q + 1]; p++)
				x += Qm.val[p] * v[Qm.col[p]];
			m->queries[q * k + j] = (float)(sg * x / s[j]);
		}
	}
	*out = m;
	m = NULL;
	goto done;
lapack:
	rc = pf_err_set(err, PF_EDATA, NULL, 0, "LAPACK failed in the "
	    "truncated SVD");
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	pf_progress_end(&pg);
	openblas_set_num_threads(nthreads);
	pf_strtab_free(terms);
	csr_free(&A);
	csr_free(&At);
	csr_free(&Qm);
	free(ids);
	free(idf);
	free(Y);
	free(Z);
	free(tau);
	free(s);
	free(U);
	free(VT);
	free(work);
	free(iwork);
	pf_lsa_free(m);
	return rc;
}

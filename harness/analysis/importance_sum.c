/*
 * harness/analysis/importance_sum.c — the global feature summary of a
 * <features> (importance.h pf_imp_summary): computed from the rows a
 * process captured, combined across processes, serialised for MPI.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/importance_internal.h"
#include "metrics/xsum.h"

void
pf_imp_summary_free(pf_imp_summary *s)
{
	if (s == NULL)
		return;
	free(s->qn);
	free(s->konst);
	free(s->named);
	free(s->kcol);
	free(s->q32);
	free(s->q64);
	free(s->s32);
	free(s->s64);
	free(s->k32);
	free(s->k64);
	memset(s, 0, sizeof(*s));
}

void
pf_imp_part_clear(pf_imp_part *p)
{
	free(p->pq);
	free(p->bq);
	free(p->ql);
	memset(p, 0, sizeof(*p));
}

/* s's arrays for nq queries and nf columns (qn always; the per-column
   ones when nf > 0), zeroed, konst all set; no column kept yet. -1: out
   of memory. */
static int
alloc(pf_imp_summary *s, size_t nq, size_t nf, int has64, int mean,
    int base)
{
	pf_imp_summary_free(s);
	*s = (pf_imp_summary){.nq = nq, .nf = nf, .has64 = has64,
	    .mean = mean, .base = base};
	if ((s->qn = calloc(nq + 1, 1)) == NULL)
		return -1;
	if (nf == 0)
		return 0;
	if ((s->konst = malloc(nf)) == NULL ||
	    (s->named = calloc(nf, 1)) == NULL ||
	    (mean && ((s->s32 = calloc(nf, sizeof(pf_xsum))) == NULL ||
	    (s->s64 = calloc(nf, sizeof(pf_xsum))) == NULL ||
	    (s->k32 = calloc(nf, sizeof(uint64_t))) == NULL ||
	    (s->k64 = calloc(nf, sizeof(uint64_t))) == NULL)))
		return -1;
	memset(s->konst, 1, nf);
	return 0;
}

/* The kept columns (konst or named) into kcol, their rows allocated
   (nq x nk, zeroed) into q32 and q64: -1 out of memory. */
static int
keep(pf_imp_summary *s, uint32_t **kcol, size_t *nk, float **q32,
    double **q64)
{
	size_t n = 0;

	*q32 = NULL;
	*q64 = NULL;
	if ((*kcol = malloc((s->nf + 1) * sizeof(**kcol))) == NULL)
		return -1;
	for (size_t c = 0; c < s->nf; c++)
		if (s->konst[c] || s->named[c])
			(*kcol)[n++] = (uint32_t)c;
	*nk = n;
	if ((*q32 = calloc(s->nq * n + 1, sizeof(float))) == NULL ||
	    (s->has64 && (*q64 = calloc(s->nq * n + 1,
	    sizeof(double))) == NULL))
		return -1;
	return 0;
}

int
pf_imp__summary(const pf_imp_ctx *x, size_t q0, size_t q1, int mean,
    pf_imp_summary *s)
{
	size_t nf = x->nf;
	int any = 0;
	pf_feats map = {NULL, NULL, x->nf, x->base, x->id, x->names};

	for (size_t q = q0; q < q1 && !any; q++)
		any = x->blk[q].n > 0;
	if (alloc(s, x->nq, any ? nf : 0, x->has64, mean, x->base) != 0)
		return PF_ENOMEM;
	if (!any)
		return PF_OK;
	for (size_t c = 0; c < nf; c++)	/* (names file, textfeatures) */
		s->named[c] = (unsigned char)pf_fnames_query(x->names,
		    pf_feats_id(&map, c));
	for (size_t q = q0; q < q1; q++) {
		const pf_imp_block *b = &x->blk[q];
		if (b->n == 0)
			continue;
		s->qn[q] = 1;
		for (size_t i = 1; i < b->n; i++)
			for (size_t c = 0; c < nf; c++)
				if (s->konst[c] && memcmp(&b->x32[i * nf + c],
				    &b->x32[c], sizeof(float)) != 0)
					s->konst[c] = 0;
		for (size_t i = 0; mean && i < b->n; i++) {
			const float *r32 = b->x32 + i * nf;
			const double *r64 = b->x64 ? b->x64 + i * nf : NULL;
			for (size_t c = 0; c < nf; c++) {
				if (!isnan(r32[c])) {
					pf_xsum_add(&s->s32[c], r32[c]);
					s->k32[c]++;
				}
				if (r64 != NULL && !isnan(r64[c])) {
					pf_xsum_add(&s->s64[c], r64[c]);
					s->k64[c]++;
				}
			}
		}
	}
	if (keep(s, &s->kcol, &s->nk, &s->q32, &s->q64) != 0)
		return PF_ENOMEM;
	for (size_t q = q0; q < q1; q++) {
		const pf_imp_block *b = &x->blk[q];
		for (size_t k = 0; b->n > 0 && k < s->nk; k++) {
			s->q32[q * s->nk + k] = b->x32[s->kcol[k]];
			if (s->q64 != NULL && b->x64 != NULL)
				s->q64[q * s->nk + k] = b->x64[s->kcol[k]];
		}
	}
	return PF_OK;
}

/* Position of each of s's new kept columns in the old kept list of t
   (a superset: the kept columns only shrink as summaries merge). */
static void
positions(const uint32_t *kcol, size_t nk, const pf_imp_summary *t,
    size_t *pos)
{
	size_t j = 0;

	for (size_t k = 0; k < nk; k++) {
		while (j < t->nk && t->kcol[j] < kcol[k])
			j++;
		pos[k] = j;
	}
}

/* into's rows (for its queries) and from's (for theirs) in the new kept
   columns. */
static int
merge_rows(pf_imp_summary *into, const pf_imp_summary *from)
{
	uint32_t *kcol;
	size_t nk, nq = into->nq, *pi, *pf;
	float *q32;
	double *q64;

	if (keep(into, &kcol, &nk, &q32, &q64) != 0 ||
	    (pi = malloc((nk + 1) * sizeof(size_t))) == NULL) {
		free(kcol);
		free(q32);
		free(q64);
		return -1;
	}
	if ((pf = malloc((nk + 1) * sizeof(size_t))) == NULL) {
		free(pi);
		free(kcol);
		free(q32);
		free(q64);
		return -1;
	}
	positions(kcol, nk, into, pi);
	positions(kcol, nk, from, pf);
	for (size_t q = 0; q < nq; q++) {
		const pf_imp_summary *t = into->qn[q] ? into : from->qn[q] ?
		    from : NULL;
		const size_t *p = t == into ? pi : pf;
		for (size_t k = 0; t != NULL && k < nk; k++) {
			q32[q * nk + k] = t->q32[q * t->nk + p[k]];
			if (q64 != NULL)
				q64[q * nk + k] = t->q64[q * t->nk + p[k]];
		}
	}
	free(pi);
	free(pf);
	free(into->kcol);
	free(into->q32);
	free(into->q64);
	into->kcol = kcol;
	into->nk = nk;
	into->q32 = q32;
	into->q64 = q64;
	return 0;
}

/* into := a copy of from, but for into's queries (qn) kept. */
static int
adopt(pf_imp_summary *into, const pf_imp_summary *from)
{
	unsigned char *qn = into->qn;
	size_t nq = from->nq, nf = from->nf, cells = nq * from->nk;

	into->qn = NULL;
	if (alloc(into, nq, nf, from->has64, from->mean, from->base) != 0 ||
	    (into->kcol = malloc((from->nk + 1) * sizeof(uint32_t))) ==
	    NULL || (into->q32 = malloc((cells + 1) * sizeof(float))) ==
	    NULL || (from->q64 != NULL && (into->q64 = malloc((cells + 1) *
	    sizeof(double))) == NULL)) {
		free(qn);
		return -1;
	}
	for (size_t q = 0; q < nq; q++)
		into->qn[q] = from->qn[q] | (qn != NULL && qn[q]);
	free(qn);
	memcpy(into->konst, from->konst, nf);
	memcpy(into->named, from->named, nf);
	into->nk = from->nk;
	memcpy(into->kcol, from->kcol, from->nk * sizeof(uint32_t));
	memcpy(into->q32, from->q32, cells * sizeof(float));
	if (into->q64 != NULL)
		memcpy(into->q64, from->q64, cells * sizeof(double));
	for (size_t c = 0; c < nf && from->mean; c++) {
		into->s32[c] = from->s32[c];
		into->s64[c] = from->s64[c];
		into->k32[c] = from->k32[c];
		into->k64[c] = from->k64[c];
	}
	return 0;
}

int
pf_imp_summary_merge(pf_imp_summary *into, const pf_imp_summary *from,
    pf_err *err)
{
	size_t nf = from->nf;

	if (into->qn == NULL && alloc(into, from->nq, 0, 0, from->mean,
	    from->base) != 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if (from->nf == 0)
		return PF_OK;
	if (into->nf == 0)	/* the first with columns: its shape */
		return adopt(into, from) == 0 ? PF_OK : pf_err_set(err,
		    PF_ENOMEM, NULL, 0, "out of memory");
	if (into->nq != from->nq || into->nf != nf || into->has64 !=
	    from->has64 || into->base != from->base || into->mean !=
	    from->mean || memcmp(into->named, from->named, nf) != 0)
		return pf_err_set(err, PF_EDATA, NULL, 0, "the features at "
		    "the scored stage's input differ in width or feature ids "
		    "between queries");
	for (size_t c = 0; c < nf; c++) {
		into->konst[c] &= from->konst[c];
		if (!into->mean)
			continue;
		pf_xsum_merge(&into->s32[c], &from->s32[c]);
		pf_xsum_merge(&into->s64[c], &from->s64[c]);
		into->k32[c] += from->k32[c];
		into->k64[c] += from->k64[c];
	}
	if (merge_rows(into, from) != 0)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t q = 0; q < from->nq; q++)
		into->qn[q] |= from->qn[q];
	return PF_OK;
}

/* ---- what importance.c reads from it ------------------------------- */

/* Whether column c is the same inside every query (bitwise), and varies
   between queries (their first rows: the summary's). */
int
pf_imp__query_level(const pf_imp_summary *sm, size_t c)
{
	size_t nk = sm->nk, k = 0;
	const float *first = NULL;

	if (sm->nf == 0 || !sm->konst[c])
		return 0;
	while (k < nk && sm->kcol[k] < c)
		k++;
	if (k == nk || sm->kcol[k] != c)
		return 0;
	for (size_t q = 0; q < sm->nq; q++) {
		if (!sm->qn[q])
			continue;
		if (first == NULL)
			first = &sm->q32[q * nk + k];
		else if (memcmp(first, &sm->q32[q * nk + k],
		    sizeof(float)) != 0)
			return 1;
	}
	return 0;
}

/* The global means of method "mean" from the summary's exact sums: the
   same bits however the rows were split. */
static int
global_means(pf_imp_ctx *x, const pf_imp_summary *sm)
{
	size_t nf = x->nf;

	if ((x->gmean32 = calloc(nf + 1, sizeof(float))) == NULL ||
	    (x->gmean64 = calloc(nf + 1, sizeof(double))) == NULL)
		return PF_ENOMEM;
	for (size_t c = 0; c < nf && sm->s32 != NULL; c++) {
		double s32 = pf_xsum_round(&sm->s32[c]);
		double s64 = pf_xsum_round(&sm->s64[c]);
		x->gmean32[c] = sm->k32[c] ? (float)(s32 /
		    (double)sm->k32[c]) : NAN;
		x->gmean64[c] = sm->has64 ? (sm->k64[c] ? s64 /
		    (double)sm->k64[c] : NAN) : (double)x->gmean32[c];
	}
	return PF_OK;
}

/*
 * The summary the tasks read (o->sum, or this process's own rows'), and
 * from it the global means, each column's query-level flag and which
 * queries the query-level permutation draws among.
 */
int
pf_imp__use_summary(pf_imp_ctx *x, const pf_imp_summary *sum, int mean,
    pf_imp_summary *own, const pf_imp_summary **sm, pf_err *err)
{
	const char *id = x->st->id;

	*sm = sum;
	if (*sm == NULL) {
		if (pf_imp__summary(x, x->cq0, x->cq1, mean, own) !=
		    PF_OK)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		*sm = own;
	}
	if ((*sm)->nf != 0 && ((*sm)->nf != x->nf || (*sm)->nq != x->nq ||
	    (*sm)->base != x->base))
		return pf_err_set(err, PF_EDATA, NULL, 0, "stack '%s': the "
		    "features at stage %zu's input differ in width or feature "
		    "ids between queries", id, x->si + 1);
	x->qv32 = (*sm)->q32;
	x->qv64 = (*sm)->q64;
	x->qnk = (*sm)->nk;
	if ((x->qpos = malloc((x->nf + 1) * sizeof(long))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t c = 0; c < x->nf; c++)
		x->qpos[c] = -1;
	for (size_t k = 0; k < x->qnk; k++)
		x->qpos[(*sm)->kcol[k]] = (long)k;
	if (mean && ((*sm)->nf == 0 ? (x->gmean32 = calloc(1,
	    sizeof(float)), x->gmean64 = calloc(1, sizeof(double)),
	    x->gmean32 == NULL || x->gmean64 == NULL) :
	    global_means(x, *sm) != PF_OK))
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	return PF_OK;
}

/* The item's values out of a share (o->out), or in from the shares. */
int
pf_imp__share_out(pf_imp_part *p, const pf_imp_ctx *x, const pf_rep_importance *m,
    double **pq, size_t npq)
{
	p->pq = *pq;
	p->npq = npq;
	*pq = NULL;
	p->nitems = m->nitems;
	if ((p->bq = malloc((x->nq + 1) * sizeof(double))) == NULL ||
	    (p->ql = malloc(m->nitems + 1)) == NULL)
		return PF_ENOMEM;
	memcpy(p->bq, x->base_q, x->nq * sizeof(double));
	for (size_t t = 0; t < m->nitems; t++)
		p->ql[t] = (unsigned char)m->items[t].query_level;
	return PF_OK;
}

/* ---- serialised: the header, then the arrays (rows of qn's queries) -- */

typedef struct sbuf {
	char	*p;
	size_t	 n, at;
	int	 bad;
} sbuf;

static void
put(sbuf *b, void *v, size_t n)
{
	if (b->p != NULL)
		memcpy(b->p + b->at, v, n);
	b->at += n;
}

static void
get(sbuf *b, void *v, size_t n)
{
	if (b->bad || n > b->n - b->at) {
		b->bad = 1;
		return;
	}
	memcpy(v, b->p + b->at, n);
	b->at += n;
}

/* Both ways: dir 0 sizes or writes (b->p NULL: sizes), 1 reads (the
   kept columns' arrays allocated once kcol is read). */
static void
walk(pf_imp_summary *s, sbuf *b, int dir)
{
	void (*f)(sbuf *, void *, size_t) = dir ? get : put;
	size_t nf = s->nf, nk = s->nk;

	f(b, s->qn, s->nq);
	if (nf == 0)
		return;
	f(b, s->konst, nf);
	f(b, s->named, nf);
	if (dir && !b->bad && ((s->kcol = malloc((nk + 1) *
	    sizeof(uint32_t))) == NULL || (s->q32 = calloc(s->nq * nk + 1,
	    sizeof(float))) == NULL || (s->has64 && (s->q64 =
	    calloc(s->nq * nk + 1, sizeof(double))) == NULL)))
		b->bad = 1;
	f(b, s->kcol, nk * sizeof(uint32_t));
	for (size_t k = 0; dir && !b->bad && k < nk; k++)
		if (s->kcol[k] >= nf || (k > 0 && s->kcol[k] <= s->kcol[k - 1]))
			b->bad = 1;
	for (size_t q = 0; q < s->nq && !b->bad; q++) {
		if (!s->qn[q])
			continue;
		f(b, s->q32 + q * nk, nk * sizeof(float));
		if (s->q64 != NULL)
			f(b, s->q64 + q * nk, nk * sizeof(double));
	}
	if (!s->mean)
		return;
	f(b, s->s32, nf * sizeof(pf_xsum));
	f(b, s->s64, nf * sizeof(pf_xsum));
	f(b, s->k32, nf * sizeof(uint64_t));
	f(b, s->k64, nf * sizeof(uint64_t));
}

int
pf_imp_summary_encode(const pf_imp_summary *s, char **buf, size_t *len)
{
	uint64_t h[6] = {s->nq, s->nf, (uint64_t)s->has64, (uint64_t)s->mean,
	    (uint64_t)(int64_t)s->base, s->nk};
	sbuf b = {0};
	pf_imp_summary *w = (pf_imp_summary *)s;	/* put reads only */

	put(&b, h, sizeof(h));
	walk(w, &b, 0);
	if ((b.p = malloc(b.at + 1)) == NULL)
		return PF_ENOMEM;
	b.n = b.at;
	b.at = 0;
	put(&b, h, sizeof(h));
	walk(w, &b, 0);
	*buf = b.p;
	*len = b.n;
	return PF_OK;
}

int
pf_imp_summary_decode(pf_imp_summary *s, const char *buf, size_t len)
{
	uint64_t h[6];
	sbuf b = {(char *)buf, len, 0, 0};

	get(&b, h, sizeof(h));
	if (b.bad || h[0] > len || h[1] > len || h[5] > h[1] ||
	    alloc(s, (size_t)h[0], (size_t)h[1], (int)h[2], (int)h[3],
	    (int)(int64_t)h[4]) != 0)
		return b.bad ? PF_EFORMAT : PF_ENOMEM;
	s->nk = (size_t)h[5];
	walk(s, &b, 1);
	return b.bad || b.at != len ? PF_EFORMAT : PF_OK;
}

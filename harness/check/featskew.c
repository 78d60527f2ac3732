/*
 * harness/check/featskew.c — pf_fsk_compute (featstats.h): the skew of
 * one candidate file's features against a reference's.
 *
 * Per feature: PSI of the two 33-point sketches (metrics/drift.h, the one
 * PSI, as the history's trend reads it), KS D and p-value on the two
 * sorted columns (exact below PF_FS_KS_EXACT pairs), BH across the
 * features' p-values (metrics/stats.h), the missing rates and ranges.
 *
 * Shared rows (training-serving skew): rows of both files with the same
 * (qid, docid), matched by sorting both key lists; a run of equal keys
 * pairs up in file order. A shared row mismatches when any feature's
 * float32 value (what the scorers read) differs, a value missing on one
 * side only included — a feature one file lacks is missing there. The
 * largest differences: by |a - b| (missing on one side first), ties by
 * row and feature; serial, in row order: the same output always.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/check/featstats.h"
#include "metrics/drift.h"
#include "metrics/stats.h"

typedef struct key {
	const char	*qid, *docid;
	size_t		 row;
} key;

static int
cmp_key(const void *x, const void *y)
{
	const key *a = x, *b = y;
	int c = strcmp(a->qid, b->qid);

	if (c == 0)
		c = strcmp(a->docid, b->docid);
	if (c == 0)
		c = (a->row > b->row) - (a->row < b->row);
	return c;
}

/* Largest drift first: PSI, then KS D, then id; NaN last. */
static int
cmp_drift(const void *x, const void *y)
{
	const pf_fsk_feat *a = x, *b = y;
	double pa = isnan(a->psi) ? -1 : a->psi, pb = isnan(b->psi) ? -1 :
	    b->psi;
	double da = isnan(a->ks_d) ? -1 : a->ks_d, db = isnan(b->ks_d) ? -1 :
	    b->ks_d;

	if (pa != pb)
		return pa < pb ? 1 : -1;
	if (da != db)
		return da < db ? 1 : -1;
	return (a->id > b->id) - (a->id < b->id);
}

void
pf_fsk_free(pf_fsk *k)
{
	if (k == NULL)
		return;
	free(k->f);
	free(k);
}

/* The features of both, merged by id (both lists ascending). */
static size_t
merge_features(pf_fsk_feat *o, const pf_fst *ta, const pf_fst *tb)
{
	size_t i = 0, j = 0, n = 0;

	while (i < ta->nf || j < tb->nf) {
		const pf_fst_feat *a = i < ta->nf ? &ta->f[i] : NULL;
		const pf_fst_feat *b = j < tb->nf ? &tb->f[j] : NULL;
		pf_fsk_feat *f = &o[n++];
		memset(f, 0, sizeof(*f));
		if (a != NULL && b != NULL && a->id == b->id) {
			f->in = 3;
			i++;
			j++;
		} else if (b == NULL || (a != NULL && a->id < b->id)) {
			f->in = 1;
			b = NULL;
			i++;
		} else {
			f->in = 2;
			a = NULL;
			j++;
		}
		f->id = a != NULL ? a->id : b->id;
		snprintf(f->name, sizeof(f->name), "%s", a != NULL ? a->name :
		    b->name);
		f->a = a != NULL ? &a->c : NULL;
		f->b = b != NULL ? &b->c : NULL;
		f->miss_a = a != NULL ? (double)a->c.missing /
		    (double)a->c.rows : 1.0;
		f->miss_b = b != NULL ? (double)b->c.missing /
		    (double)b->c.rows : 1.0;
	}
	return n;
}

/* The matrix column of feature id in s, or SIZE_MAX. */
static size_t
column_of(const pf_svm *s, long id)
{
	if (s->id == NULL)
		return id >= s->base && (size_t)(id - s->base) < s->nf ?
		    (size_t)(id - s->base) : SIZE_MAX;
	size_t lo = 0, hi = s->nf;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((long)s->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nf && (long)s->id[lo] == id ? lo : SIZE_MAX;
}

/* PSI, KS and the sorted columns of feature f. */
static void
distribution(pf_fsk_feat *f, const pf_fst *ta, const pf_fst *tb,
    double *scratch)
{
	double nan_q[PF_FS_NQUANT];

	for (size_t k = 0; k < PF_FS_NQUANT; k++)
		nan_q[k] = NAN;
	f->psi = pf_drift_psi(f->a != NULL ? f->a->q : nan_q, f->miss_a,
	    f->b != NULL ? f->b->q : nan_q, f->miss_b, PF_FS_NQUANT);
	f->ks_d = f->ks_p = f->ks_q = NAN;
	if (f->in != 3)
		return;
	const pf_fst_feat *a = NULL, *b = NULL;
	for (size_t i = 0; i < ta->nf && a == NULL; i++)
		if (&ta->f[i].c == f->a)
			a = &ta->f[i];
	for (size_t i = 0; i < tb->nf && b == NULL; i++)
		if (&tb->f[i].c == f->b)
			b = &tb->f[i];
	size_t na = a->c.rows - a->c.missing, nb = b->c.rows - b->c.missing;
	f->ks_d = pf_fs_ks(a->sorted, na, b->sorted, nb);
	if (!isnan(f->ks_d))
		f->ks_p = pf_fs_ks_p(f->ks_d, na, nb, scratch);
}

/* Keeps d among the PF_FSK_NDIFF largest of k (sorted, largest first). */
static void
keep_diff(pf_fsk *k, const pf_fsk_diff *d)
{
	size_t i = k->ndiff;

	if (i == PF_FSK_NDIFF) {
		if (!(d->size > k->diff[i - 1].size))
			return;	/* ties: the earlier row stays */
		i--;
	} else
		k->ndiff++;
	while (i > 0 && d->size > k->diff[i - 1].size) {
		k->diff[i] = k->diff[i - 1];
		i--;
	}
	k->diff[i] = *d;
}

/* The rows of s as (qid, docid, row) keys, sorted. */
static key *
keys_of(const pf_svm *s)
{
	key *v = malloc((s->nrows + 1) * sizeof(*v));

	if (v == NULL)
		return NULL;
	for (size_t q = 0; q < s->nq; q++)
		for (size_t r = s->qoff[q]; r < s->qoff[q + 1]; r++)
			v[r] = (key){s->qid[q], s->docid[r], r};
	qsort(v, s->nrows, sizeof(*v), cmp_key);
	return v;
}

static double
value(const pf_svm *s, size_t row, size_t col)
{
	if (col == SIZE_MAX)
		return NAN;
	size_t o = row * s->nf + col;
	if (isnan(s->x32[o]))
		return NAN;
	return s->x64 != NULL ? s->x64[o] : (double)s->x32[o];
}

/* One shared row pair: its mismatching features counted and kept. */
static void
compare_row(pf_fsk *k, const pf_svm *sa, const pf_svm *sb, const key *ka,
    size_t rb)
{
	int bad = 0;

	for (size_t i = 0; i < k->nf; i++) {
		pf_fsk_feat *f = &k->f[i];
		float xa = f->col_a == SIZE_MAX ? NAN :
		    sa->x32[ka->row * sa->nf + f->col_a];
		float xb = f->col_b == SIZE_MAX ? NAN :
		    sb->x32[rb * sb->nf + f->col_b];
		if ((isnan(xa) && isnan(xb)) || xa == xb)
			continue;
		bad = 1;
		f->mismatch++;
		pf_fsk_diff d = {ka->qid, ka->docid, ka->row, rb, i,
		    value(sa, ka->row, f->col_a), value(sb, rb, f->col_b), 0};
		d.size = isnan(d.a) || isnan(d.b) ? INFINITY : fabs(d.a - d.b);
		keep_diff(k, &d);
	}
	k->mismatched += bad;
}

static int
shared_rows(pf_fsk *k, const pf_svm *sa, const pf_svm *sb)
{
	key *ka = keys_of(sa), *kb = keys_of(sb);
	size_t i = 0, j = 0;

	if (ka == NULL || kb == NULL) {
		free(ka);
		free(kb);
		return -1;
	}
	while (i < sa->nrows && j < sb->nrows) {
		int c = strcmp(ka[i].qid, kb[j].qid);
		if (c == 0)
			c = strcmp(ka[i].docid, kb[j].docid);
		if (c < 0) {
			i++;
			continue;
		}
		if (c > 0) {
			j++;
			continue;
		}
		k->shared++;
		compare_row(k, sa, sb, &ka[i], kb[j].row);
		i++;
		j++;
	}
	k->mismatch_rate = k->shared > 0 ? (double)k->mismatched /
	    (double)k->shared : NAN;
	free(ka);
	free(kb);
	return 0;
}

int
pf_fsk_compute(pf_fsk **out, const pf_fst *ta, const pf_svm *sa,
    const pf_fst *tb, const pf_svm *sb, pf_err *err)
{
	pf_fsk *k = NULL;
	double *p = NULL, *scratch = NULL;
	size_t nmax = ta->nrows < tb->nrows ? ta->nrows : tb->nrows;
	int rc = PF_OK;

	*out = NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->f = calloc(ta->nf + tb->nf + 1, sizeof(*k->f))) == NULL ||
	    (scratch = malloc((nmax + 2) * sizeof(*scratch))) == NULL)
		goto nomem;
	k->nf = merge_features(k->f, ta, tb);
	for (size_t i = 0; i < k->nf; i++)
		distribution(&k->f[i], ta, tb, scratch);
	if ((p = malloc((k->nf + 1) * sizeof(*p))) == NULL)
		goto nomem;
	for (size_t i = 0; i < k->nf; i++)
		p[i] = k->f[i].ks_p;
	if ((rc = pf_stats_bh(p, k->nf, p, err)) != PF_OK)
		goto done;
	for (size_t i = 0; i < k->nf; i++)
		k->f[i].ks_q = p[i];
	qsort(k->f, k->nf, sizeof(*k->f), cmp_drift);
	for (size_t i = 0; i < k->nf; i++) {
		k->f[i].col_a = column_of(sa, k->f[i].id);
		k->f[i].col_b = column_of(sb, k->f[i].id);
	}
	k->mismatch_rate = NAN;
	if (shared_rows(k, sa, sb) != 0)
		goto nomem;
	*out = k;
	k = NULL;
	goto done;
nomem:
	rc = pf_err_nomem(err, NULL, nmax + 2, sizeof(double),
	    "skew scratch (one double a row)");
done:
	free(p);
	free(scratch);
	pf_fsk_free(k);
	return rc;
}

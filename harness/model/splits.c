/*
 * harness/model/splits.c — what a loaded model splits on: per feature, the
 * number of split nodes and the distinct thresholds, for tools that reason
 * about the model's input space (preflight probe derives feature ranges
 * from them and checks that a feature the model never splits on has no
 * effect). One pass over the node pools; no scoring.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/model/internal.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
pf_gbdt_splits_free(pf_gbdt_splits *s)
{
	if (s == NULL)
		return;
	free(s->nsplit);
	free(s->off);
	free(s->thr);
	free(s);
}

/*
 * Every split threshold or tested category of every node: counted into
 * cnt[feat] when thr is NULL, else stored at thr[fill[feat]++].
 */
static void
each_split(const pf_gbdt *m, size_t *cnt, size_t *fill, double *thr)
{
	size_t nn = m->ntrees ? m->toff[m->ntrees] : 0;

#define EMIT(f, v) do {							\
	if (thr == NULL)						\
		cnt[(f)]++;						\
	else								\
		thr[fill[(f)]++] = (v);					\
} while (0)
	if (m->kind == PF_GBDT_XGBOOST && m->xn != NULL) {
		for (size_t i = 0; i < nn; i++)
			if (m->xn[i].left >= 0)
				EMIT(m->xn[i].feat, (double)m->xn[i].val);
	} else if (m->kind == PF_GBDT_LIGHTGBM && m->ln != NULL) {
		for (size_t i = 0; i < nn; i++) {
			const pf_lnode *p = &m->ln[i];
			if (!(p->dt & 1)) {
				EMIT(p->feat, p->thr);
				continue;
			}
			for (uint32_t w = 0; w < p->cat_n; w++)
				for (uint32_t b = 0; b < 32; b++)
					if ((m->cbits[p->cat_off + w] >> b) & 1)
						EMIT(p->feat,
						    (double)(32 * w + b));
		}
	}
#undef EMIT
}

int
pf_gbdt_splits_get(pf_gbdt_splits **out, const pf_gbdt *m, pf_err *err)
{
	pf_gbdt_splits *s;
	size_t nf = m->nfeat, *cnt = NULL, *fill = NULL;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->nsplit = calloc(nf + 1, sizeof(*s->nsplit))) == NULL ||
	    (s->off = calloc(nf + 1, sizeof(*s->off))) == NULL ||
	    (cnt = calloc(nf + 1, sizeof(*cnt))) == NULL ||
	    (fill = calloc(nf + 1, sizeof(*fill))) == NULL)
		goto nomem;
	s->nfeat = nf;
	each_split(m, cnt, NULL, NULL);
	for (size_t j = 0; j < nf; j++) {
		s->off[j + 1] = s->off[j] + cnt[j];
		fill[j] = s->off[j];
	}
	if ((s->thr = malloc((s->off[nf] ? s->off[nf] : 1) *
	    sizeof(*s->thr))) == NULL)
		goto nomem;
	each_split(m, NULL, fill, s->thr);
	/* Sort and keep distinct values, compacting the pool. */
	size_t w = 0;
	for (size_t j = 0; j < nf; j++) {
		double *t = s->thr + s->off[j];
		size_t n = s->off[j + 1] - s->off[j], start = w;
		qsort(t, n, sizeof(*t), cmp_double);
		for (size_t i = 0; i < n; i++)
			if (i == 0 || t[i] != t[i - 1])
				s->thr[w++] = t[i];
		s->nsplit[j] = cnt[j];
		s->off[j] = start;
	}
	s->off[nf] = w;
	if (m->lin_w != NULL)
		for (size_t j = 0; j < nf; j++)
			s->nsplit[j] = m->lin_w[j] != 0.0f;
	free(cnt);
	free(fill);
	*out = s;
	return PF_OK;
nomem:
	free(cnt);
	free(fill);
	pf_gbdt_splits_free(s);
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

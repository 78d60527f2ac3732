/*
 * metrics/treceval_calc.c — trec_eval's measures for one topic
 * (../shared/TREC_EVAL.md 1.3). Each measure is a short loop over the ranked
 * rel values; a topic's list is small and in cache, so clarity wins over
 * fusing the loops.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/internal.h"

static double
lg(const pf_te_spec *s, size_t i)	/* log2(rank + 1), 0-based i */
{
	return i < TE_NLOG ? s->log2r[i] : log2((double)i + 2.0);
}

static size_t
count_rel(const int32_t *r, size_t n, int level)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += r[i] >= level;
	return c;
}

/*
 * min(k, n) as a rank count. Compared as doubles first: k may be far
 * beyond any size_t (ndcg_exp passes SIZE_MAX, which rounds to 2^64), and
 * converting such a double to size_t is undefined behaviour (-O0 made it
 * 0, so ndcg_exp scored 0).
 */
static size_t
cut(double k, size_t n)
{
	return k < (double)n ? (size_t)k : n;
}

/* The gain of a rel value for `ndcg`: custom if given, else linear. */
static double
ndcg_gain(const pf_te_spec *s, int32_t rel)
{
	for (int g = 0; g < s->ngain; g++)
		if (s->glevel[g] == rel)
			return s->gain[g];
	return rel > 0 ? (double)rel : 0.0;
}

static int
cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

static int
calc_ndcg(const pf_te_spec *s, const pf_te_topic *t, const int32_t *r,
    size_t n, double *out)
{
	double dcg = 0.0, idcg = 0.0;

	for (size_t i = 0; i < n; i++) {
		double g = ndcg_gain(s, r[i]);
		if (g != 0.0)
			dcg += g / lg(s, i);
	}
	if (s->ngain == 0) {	/* qrels sorted descending = ideal order */
		for (size_t i = 0; i < t->nqrels && t->qrels[i] > 0; i++)
			idcg += (double)t->qrels[i] / lg(s, i);
	} else {
		double *g = t->dscratch;
		size_t k = 0;

		if (g == NULL && (g = malloc((t->nqrels ? t->nqrels : 1) *
		    sizeof(*g))) == NULL)
			return PF_ENOMEM;
		for (size_t i = 0; i < t->nqrels; i++) {
			int32_t q = t->qrels[i];
			double v = ndcg_gain(s, q < 0 ? PF_TE_UNJUDGED : q);
			if (v > 0.0)
				g[k++] = v;
		}
		qsort(g, k, sizeof(*g), cmp_desc);
		for (size_t i = 0; i < k; i++)
			idcg += g[i] / lg(s, i);
		if (g != t->dscratch)
			free(g);
	}
	*out = idcg > 0.0 ? dcg / idcg : 0.0;
	return PF_OK;
}

/* DCG at k of a gain function over grades; ideal from the sorted qrels. */
static double
ndcg_at(const pf_te_spec *s, const pf_te_topic *t, const int32_t *r,
    size_t n, size_t k, int exp_gain)
{
	double dcg = 0.0, idcg = 0.0;

	for (size_t i = 0; i < cut((double)k, n); i++)
		if (r[i] > 0)
			dcg += (exp_gain ? exp2(r[i]) - 1.0 : (double)r[i]) /
			    lg(s, i);
	for (size_t i = 0; i < k && i < t->nqrels && t->qrels[i] > 0; i++)
		idcg += (exp_gain ? exp2(t->qrels[i]) - 1.0 :
		    (double)t->qrels[i]) / lg(s, i);
	return idcg > 0.0 ? dcg / idcg : 0.0;
}

/*
 * Interpolated precision at recall levels: the best precision at any rank
 * whose recall reaches the level. The level needs ceil(p * R) relevant
 * documents; a level beyond what was retrieved scores 0.
 */
static void
calc_iprec(const pf_te_spec *s, const int32_t *r, size_t n, int level,
    size_t R, size_t rel_ret, double *out)
{
	int np = s->np[TE_IPREC];
	double best = n > 0 ? (double)rel_ret / (double)n : 0.0;
	size_t so_far = rel_ret;
	int c = np - 1;
	long need[TE_MAXP];

	for (int j = 0; j < np; j++) {
		double x = s->p[TE_IPREC][j] * (double)R;
		need[j] = (long)(x + 0.5);
		out[j] = 0.0;
	}
	while (c >= 0 && need[c] > (long)rel_ret)
		c--;
	for (size_t i = n; i > 0 && so_far > 0; i--) {
		double prec = (double)so_far / (double)i;
		if (prec > best)
			best = prec;
		if (r[i - 1] >= level) {
			while (c >= 0 && (long)so_far == need[c])
				out[c--] = best;
			so_far--;
		}
	}
	while (c >= 0)
		out[c--] = best;
}

static void
relstring(const int32_t *r, size_t n, size_t k, int missing, char *str,
    size_t strsz)
{
	size_t i = 0;

	if (strsz == 0)
		return;
	if (missing && strsz > 1)	/* trec_eval's bogus document */
		str[i++] = '-';
	for (size_t j = 0; j < n && j < k && i + 1 < strsz; j++) {
		int32_t v = r[j];
		str[i++] = v == PF_TE_NONPOOL ? '-' : v == PF_TE_UNJUDGED ?
		    '.' : v > 9 ? '>' : v < 0 ? '<' : (char)('0' + v);
	}
	str[i] = '\0';
}

/*
 * ERR as gdeval.pl (ir_measures' ERR@k) computes it: R(g) = (2^g - 1) / 2^4,
 * its fixed largest grade 4; a qrels file with larger grades (which
 * gdeval refuses) normalises by its own largest, so R stays a probability.
 */
static double
err_gdeval(const int32_t *r, size_t n, double k, int max_grade)
{
	double e = 0.0, p = 1.0, den = exp2(max_grade > 4 ? max_grade : 4);

	for (size_t i = 0; i < cut(k, n); i++) {
		double pr = r[i] > 0 ? (exp2(r[i]) - 1.0) / den : 0.0;
		e += p * pr / (double)(i + 1);
		p *= 1.0 - pr;
	}
	return e;
}

/*
 * The measures only ir_measures names (its providers, not trec_eval):
 * RR@k (msmarco: 1/rank of the first relevant document within the top k,
 * else 0), ERR@k (gdeval) and Judged@k (judged: documents of the top k
 * that are in the qrels with any grade, negative ones too, over
 * min(k, retrieved)).
 */
static void
calc_irm(const pf_te_spec *s, const pf_te_opts *o, const int32_t *r,
    size_t n, double *values)
{
	for (int j = 0; s->on[TE_RR_CUT] && j < s->np[TE_RR_CUT]; j++) {
		size_t k = cut(s->p[TE_RR_CUT][j], n);
		for (size_t i = 0; i < k; i++)
			if (r[i] >= o->level) {
				values[s->off[TE_RR_CUT] + (size_t)j] = 1.0 /
				    (double)(i + 1);
				break;
			}
	}
	for (int j = 0; s->on[TE_ERR_GD] && j < s->np[TE_ERR_GD]; j++)
		values[s->off[TE_ERR_GD] + (size_t)j] = err_gdeval(r, n,
		    s->p[TE_ERR_GD][j], o->max_grade);
	for (int j = 0; s->on[TE_JUDGED_ANY] && j < s->np[TE_JUDGED_ANY];
	    j++) {
		size_t k = cut(s->p[TE_JUDGED_ANY][j], n), c = 0;
		for (size_t i = 0; i < k; i++)
			c += r[i] != PF_TE_NONPOOL;
		values[s->off[TE_JUDGED_ANY] + (size_t)j] = k > 0 ?
		    (double)c / (double)k : 0.0;
	}
}

int
pf_te_eval_topic(const pf_te_spec *s, const pf_te_opts *o,
    const pf_te_topic *t, double *values, char *str, size_t strsz)
{
	const int32_t *r = t->rel;
	int32_t *own = NULL;
	size_t n = t->nret, R = 0, N = 0, rel_ret;
	int L = o->level, rc = PF_OK;
	double ap = 0.0;

	if (o->judged_only && n > 0) {
		int32_t *w = t->scratch;
		size_t k = 0;
		if (w == NULL && (w = own = malloc(n * sizeof(*w))) == NULL)
			return PF_ENOMEM;
		for (size_t i = 0; i < n; i++)
			if (r[i] >= 0)
				w[k++] = r[i];
		r = w;
		n = k;
	}
	if (o->max_ret >= 0 && n > (size_t)o->max_ret)
		n = (size_t)o->max_ret;
	for (size_t i = 0; i < t->nqrels; i++) {
		R += t->qrels[i] >= L;
		N += t->qrels[i] >= 0 && t->qrels[i] < L;
	}
	rel_ret = count_rel(r, n, L);
	memset(values, 0, s->nvalues * sizeof(*values));

	if (s->on[TE_NUM_RET])
		values[s->off[TE_NUM_RET]] = (double)n;
	if (s->on[TE_NUM_REL])
		values[s->off[TE_NUM_REL]] = (double)R;
	if (s->on[TE_NUM_REL_RET])
		values[s->off[TE_NUM_REL_RET]] = (double)rel_ret;
	if (s->on[TE_RELSTRING])
		relstring(r, n, (size_t)s->p[TE_RELSTRING][0], t->missing,
		    str, strsz);
	if (R > 0) {
		size_t so_far = 0;
		for (size_t i = 0; i < n; i++)
			if (r[i] >= L)
				ap += (double)++so_far / (double)(i + 1);
		ap /= (double)R;
	}
	if (s->on[TE_MAP])
		values[s->off[TE_MAP]] = ap;
	if (s->on[TE_GM_MAP])
		values[s->off[TE_GM_MAP]] = ap;
	if (s->on[TE_RPREC] && R > 0)
		values[s->off[TE_RPREC]] =
		    (double)count_rel(r, cut((double)R, n), L) / (double)R;
	if (s->on[TE_BPREF] && R > 0) {
		size_t nonrel = 0;
		double b = 0.0, den = (double)(N < R ? N : R);
		for (size_t i = 0; i < n; i++) {
			if (r[i] < 0)
				continue;
			if (r[i] >= L)
				b += nonrel > 0 ? 1.0 - (double)(nonrel < R ?
				    nonrel : R) / den : 1.0;
			else
				nonrel++;
		}
		values[s->off[TE_BPREF]] = b / (double)R;
	}
	if (s->on[TE_RECIP_RANK])
		for (size_t i = 0; i < n; i++)
			if (r[i] >= L) {
				values[s->off[TE_RECIP_RANK]] =
				    1.0 / (double)(i + 1);
				break;
			}
	if (s->on[TE_IPREC])
		calc_iprec(s, r, n, L, R, rel_ret, values + s->off[TE_IPREC]);
	for (int j = 0; s->on[TE_P] && j < s->np[TE_P]; j++)
		values[s->off[TE_P] + (size_t)j] = (double)count_rel(r,
		    cut(s->p[TE_P][j], n), L) / s->p[TE_P][j];
	for (int j = 0; s->on[TE_RECALL] && R > 0 && j < s->np[TE_RECALL];
	    j++)
		values[s->off[TE_RECALL] + (size_t)j] = (double)count_rel(r,
		    cut(s->p[TE_RECALL][j], n), L) / (double)R;
	if (s->on[TE_INFAP] && R > 0) {
		size_t rel = 0, nonrel = 0, unj = 0;
		double inf = 0.0, eps = 1e-5;
		for (size_t j = 0; j < n; j++) {
			if (r[j] == PF_TE_NONPOOL)
				continue;
			if (r[j] < 0) {
				unj++;
				continue;
			}
			if (r[j] < L) {
				nonrel++;
				continue;
			}
			if (j == 0) {
				inf += 1.0;
			} else {
				double fj = (double)j;
				inf += 1.0 / (fj + 1.0) + (fj / (fj + 1.0)) *
				    ((double)(rel + nonrel + unj) / fj) *
				    (((double)rel + eps) /
				    ((double)(rel + nonrel) + 2.0 * eps));
			}
			rel++;
		}
		values[s->off[TE_INFAP]] = inf / (double)R;
	}
	if (s->on[TE_NDCG])
		rc = calc_ndcg(s, t, r, n, &values[s->off[TE_NDCG]]);
	for (int j = 0; s->on[TE_NDCG_CUT] && j < s->np[TE_NDCG_CUT]; j++)
		values[s->off[TE_NDCG_CUT] + (size_t)j] = ndcg_at(s, t, r, n,
		    (size_t)s->p[TE_NDCG_CUT][j], 0);
	for (int j = 0; s->on[TE_MAP_CUT] && R > 0 && j < s->np[TE_MAP_CUT];
	    j++) {
		size_t k = cut(s->p[TE_MAP_CUT][j], n), so_far = 0;
		double sum = 0.0;
		for (size_t i = 0; i < k; i++)
			if (r[i] >= L)
				sum += (double)++so_far / (double)(i + 1);
		values[s->off[TE_MAP_CUT] + (size_t)j] = sum / (double)R;
	}
	for (int j = 0; s->on[TE_SUCCESS] && j < s->np[TE_SUCCESS]; j++)
		values[s->off[TE_SUCCESS] + (size_t)j] = count_rel(r,
		    cut(s->p[TE_SUCCESS][j], n), L) > 0;
	if (s->on[TE_NDCG_EXP])
		values[s->off[TE_NDCG_EXP]] = ndcg_at(s, t, r, n, (size_t)-1,
		    1);
	for (int j = 0; s->on[TE_NDCG_EXP_CUT] && j < s->np[TE_NDCG_EXP_CUT];
	    j++)
		values[s->off[TE_NDCG_EXP_CUT] + (size_t)j] = ndcg_at(s, t, r,
		    n, (size_t)s->p[TE_NDCG_EXP_CUT][j], 1);
	for (int j = 0; s->on[TE_ERR] && j < s->np[TE_ERR]; j++) {
		/* Chapelle et al.: R(g) = (2^g - 1) / 2^max_grade */
		double e = 0.0, p = 1.0, den = exp2(o->max_grade);
		size_t k = cut(s->p[TE_ERR][j], n);
		for (size_t i = 0; i < k; i++) {
			double pr = r[i] > 0 ? (exp2(r[i]) - 1.0) / den : 0.0;
			e += p * pr / (double)(i + 1);
			p *= 1.0 - pr;
		}
		values[s->off[TE_ERR] + (size_t)j] = e;
	}
	for (int j = 0; s->on[TE_JUDGED] && j < s->np[TE_JUDGED]; j++) {
		size_t k = cut(s->p[TE_JUDGED][j], n), c = 0;
		for (size_t i = 0; i < k; i++)
			c += r[i] >= 0;
		values[s->off[TE_JUDGED] + (size_t)j] = (double)c /
		    s->p[TE_JUDGED][j];
	}
	calc_irm(s, o, r, n, values);
	free(own);
	return rc;
}

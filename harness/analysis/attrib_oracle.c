/*
 * harness/analysis/attrib_oracle.c — the oracle headroom split (METHODS.md §3.5,
 * README "Stage attribution"): per stack and judged query, with the
 * attribution metric M,
 *
 *	ideal	= M(every judged document, ordered by grade)
 *	oracle	= M(the retrieval stage's candidates, ordered by grade)
 *	actual	= M(the stack's final ranking)
 *	retrieval loss = ideal - oracle	(no later stage could recover it)
 *	ranking loss   = oracle - actual (retrieved but ranked low, or
 *			 dropped by a later stage)
 *
 * so retrieval + ranking = ideal - actual, the total loss (1 - NDCG for
 * the NDCG family, whose ideal is 1 on a query with a relevant document).
 * The ordering by grade puts unjudged and non-pool documents last, as
 * grade -1 and -2 sort. recall_cand = relevant (grade >= the relevance
 * level) candidates / relevant judged documents, over the queries with
 * one. The retrieval stage runs again here; its output is deterministic.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/attrib_internal.h"
#include "harness/util/progress.h"

static int
cmp_grade_desc(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x > y ? -1 : x < y;
}

/* Writes ideal, oracle, recall (NaN: no relevant document), ncands. */
static int
one(const pf_replay *r, size_t k, size_t qi, size_t m, pf_cands *c,
    pf_arena *a, double *vals, double *o, pf_err *err)
{
	const pf_golden *g = r->golden;
	pf_query q = {qi, g->qid[qi], g->text ? g->text[qi] : NULL};
	size_t t = (size_t)g->topic[qi];
	size_t nj = r->qoff[t + 1] - r->qoff[t], nrel = 0, nrel_c = 0;
	int32_t *rel, *ideal;
	int rc;

	c->n = 0;
	memset(&c->feats, 0, sizeof(c->feats));
	if ((rc = pf_replay_step(r, k, 0, &q, c, a, err)) != PF_OK ||
	    (rc = pf_replay_grades(r, qi, c, a, &rel, err)) != PF_OK)
		return rc;
	qsort(rel, c->n, sizeof(*rel), cmp_grade_desc);
	if ((rc = pf_replay_eval_grades(r, qi, rel, c->n, vals, err)) !=
	    PF_OK)
		return rc;
	o[1] = vals[m];
	if ((ideal = pf_arena_alloc(a, (nj + 1) * sizeof(*ideal),
	    _Alignof(int32_t))) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < nj; i++) {
		int32_t gr = r->qgrades[r->qoff[t] + i];
		ideal[i] = gr < 0 ? PF_TE_UNJUDGED : gr;
		nrel += gr >= r->m.te.level;
	}
	qsort(ideal, nj, sizeof(*ideal), cmp_grade_desc);
	if ((rc = pf_replay_eval_grades(r, qi, ideal, nj, vals, err)) !=
	    PF_OK)
		return rc;
	o[0] = vals[m];
	for (size_t i = 0; i < c->n; i++)
		nrel_c += rel[i] >= r->m.te.level;
	o[2] = nrel ? (double)nrel_c / (double)nrel : NAN;
	o[3] = (double)c->n;
	return PF_OK;
}

int
pf_attrib__oracle(pf_attrib *a, const pf_replay *r, size_t m,
    const size_t *jq, size_t nj, size_t xa, size_t xb,
    const pf_attrib_given *in, pf_attrib_given *out, pf_err *err)
{
	size_t ns = r->m.nstacks, err_x = (size_t)-1;
	double *o;
	pf_err first = {0};
	pf_progress pg = {0};

	if (in != NULL && in->oracle != NULL && (in->onj != nj ||
	    in->ons != ns))
		return pf_err_set(err, PF_EDATA, NULL, 0, "oracle split: the "
		    "parts' queries or stacks are not this scenario's");
	if ((o = calloc(nj * ns * 4 + 1, sizeof(double))) == NULL ||
	    (out == NULL && (a->oracle = calloc(ns,
	    sizeof(*a->oracle))) == NULL)) {
		free(o);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	if (out == NULL)
		a->noracle = ns;
	if (in != NULL && in->oracle != NULL) {	/* gathered: none runs */
		memcpy(o, in->oracle, nj * ns * 4 * sizeof(double));
		xa = xb = 0;
	}
	pf_progress_start(&pg, r->progress, "oracle split", "queries",
	    xb - xa);
#pragma omp parallel
	{
		pf_cands c = {0};
		pf_arena *ar = pf_arena_new(1 << 16);
		double *vals = malloc((r->m.nv + 1) * sizeof(double));
		pf_err e = {0};

#pragma omp for schedule(dynamic, 4)
		for (size_t x = xa; x < xb; x++) {
			int rc = PF_OK;
			if (ar == NULL || vals == NULL)
				rc = pf_err_set(&e, PF_ENOMEM, NULL, 0,
				    "out of memory");
			for (size_t k = 0; k < ns && rc == PF_OK; k++) {
				pf_arena_reset(ar);
				rc = one(r, k, jq[x], m, &c, ar, vals,
				    o + (x * ns + k) * 4, &e);
			}
			if (rc != PF_OK) {
#pragma omp critical(pf_attrib_oracle_err)
				if (x < err_x) {
					err_x = x;
					pf_err_copy(&first, &e);
				}
			}
			pf_progress_step(&pg, 1);
		}
		pf_cands_free(&c);
		free(vals);
		pf_arena_free(ar);
	}
	pf_progress_end(&pg);
	if (err_x != (size_t)-1) {
		free(o);
		pf_err_copy(err, &first);
		return first.code ? first.code : PF_ESTAGE;
	}
	if (out != NULL) {	/* a share: its values, gathered */
		out->oracle = o;
		out->onj = nj;
		out->ons = ns;
		return PF_OK;
	}
	/* means in query order */
	for (size_t k = 0; k < ns; k++) {
		pf_attrib_oracle *z = &a->oracle[k];
		double s[4] = {0, 0, 0, 0}, act = 0;
		size_t nr = 0;
		for (size_t x = 0; x < nj; x++) {
			const double *v = o + (x * ns + k) * 4;
			s[0] += v[0];
			s[1] += v[1];
			if (!isnan(v[2])) {
				s[2] += v[2];
				nr++;
			}
			s[3] += v[3];
			act += r->m.stacks[k].values[jq[x] * r->m.nv + m];
		}
		double d = nj ? (double)nj : NAN;
		z->stack = r->m.stacks[k].id;
		z->ideal = s[0] / d;
		z->oracle = s[1] / d;
		z->actual = act / d;
		z->retrieval_loss = z->ideal - z->oracle;
		z->ranking_loss = z->oracle - z->actual;
		z->total_loss = z->ideal - z->actual;
		z->recall_cand = nr ? s[2] / (double)nr : NAN;
		z->mean_cands = s[3] / d;
	}
	free(o);
	return PF_OK;
}

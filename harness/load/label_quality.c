/*
 * harness/load/label_quality.c — see goldq.h.
 */
#include <stdlib.h>

#include "harness/load/label_quality.h"

/* Labels of pair p with grade >= 0. */
static size_t
nlabels(const pf_qrels *q, const pf_pair *p)
{
	size_t n = 0;

	for (uint32_t k = 0; k < p->nj; k++)
		n += pf_qrels_judgment(q, p->j0 + k)->grade >= 0;
	return n;
}

int
pf_goldq_compute(pf_labelq **out, const pf_qrels *q, pf_err *err)
{
	size_t nt = pf_qrels_ntopics(q), n = 0, item = 0;
	int multi = 0, rc;
	pf_rating *r = NULL;
	size_t *grp = NULL;

	*out = NULL;
	for (size_t t = 0; t < nt && !multi; t++)
		for (size_t i = 0; i < pf_qrels_npairs(q, t) && !multi; i++)
			multi = nlabels(q, pf_qrels_pair(q, t, i)) >= 2;
	if (!multi)
		return PF_OK;
	for (size_t t = 0; t < nt; t++)
		for (size_t i = 0; i < pf_qrels_npairs(q, t); i++)
			n += nlabels(q, pf_qrels_pair(q, t, i));
	if ((r = malloc(n * sizeof(*r))) == NULL ||
	    (grp = malloc(n * sizeof(*grp))) == NULL ||
	    (*out = calloc(1, sizeof(**out))) == NULL)
		goto nomem;
	n = 0;
	for (size_t t = 0; t < nt; t++)
		for (size_t i = 0; i < pf_qrels_npairs(q, t); i++, item++) {
			const pf_pair *p = pf_qrels_pair(q, t, i);
			for (uint32_t k = 0; k < p->nj; k++) {
				const pf_judgment *j = pf_qrels_judgment(q,
				    p->j0 + k);
				if (j->grade < 0)
					continue;
				r[n] = (pf_rating){item, j->annotator,
				    (double)j->grade};
				grp[n++] = t;
			}
		}
	rc = pf_labelq_compute(*out, r, n, grp, nt, err);
	free(r);
	free(grp);
	if (rc != PF_OK) {
		free(*out);
		*out = NULL;
	}
	return rc;
nomem:
	free(r);
	free(grp);
	free(*out);
	*out = NULL;
	return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
}

void
pf_goldq_free(pf_labelq *lq)
{
	pf_labelq_free(lq);
	free(lq);
}

const char **
pf_goldq_names(const pf_qrels *q)
{
	size_t nt = pf_qrels_ntopics(q);
	const char **n = malloc((nt ? nt : 1) * sizeof(*n));

	for (size_t t = 0; n != NULL && t < nt; t++)
		n[t] = pf_qrels_qid(q, t);
	return n;
}

void
pf_goldq_print(FILE *f, const pf_labelq *lq, const pf_qrels *q)
{
	size_t na = pf_qrels_nannotators(q), worst[3], nw;

	if (lq == NULL) {
		fprintf(f, "golden set: %zu annotator%s, one label per "
		    "(query, document) pair: no agreement information\n", na,
		    na == 1 ? "" : "s");
		return;
	}
	fprintf(f, "golden set: %zu annotators, Krippendorff's alpha "
	    "(ordinal) %.3f (%s) over %zu multiply-labelled pairs", na,
	    lq->ordinal.alpha, pf_alpha_reading(lq->ordinal.alpha),
	    lq->ordinal.n_pairable);
	if (lq->has_fleiss)
		fprintf(f, ", Fleiss' kappa %.3f (%s)", lq->fleiss.kappa,
		    pf_kappa_band(lq->fleiss.kappa));
	nw = pf_labelq_worst(lq, worst, 3);
	for (size_t i = 0; i < nw; i++)
		fprintf(f, "%s %s (%.2f)", i ? "," : "; most confusing:",
		    pf_qrels_qid(q, worst[i]), lq->group[worst[i]].alpha);
	fputc('\n', f);
}

void
pf_goldq_counts(const pf_qrels *q, size_t *nannotators, size_t *njudgments)
{
	size_t n = 0;

	for (size_t t = 0; t < pf_qrels_ntopics(q); t++)
		for (size_t i = 0; i < pf_qrels_npairs(q, t); i++)
			n += pf_qrels_pair(q, t, i)->nj;
	*nannotators = pf_qrels_nannotators(q);
	*njudgments = n;
}

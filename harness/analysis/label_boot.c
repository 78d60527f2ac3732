/*
 * harness/analysis/label_boot.c — see lboot.h. The rankings are mapped once to qrels pair
 * indexes; every label draw then only re-aggregates labels and re-runs the
 * measure on a query's judged pairs (metrics/labelboot.c), never a stage.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/load/golden.h"
#include "harness/analysis/compare.h"
#include "harness/analysis/label_boot.h"
#include "harness/util/progress.h"
#include "harness/util/strtab.h"

void
pf_lboot_free(pf_lboot *lb)
{
	if (lb == NULL)
		return;
	free(lb->res);
	free(lb);
}

/* Query positions of the comparison (judged ones, golden order). */
typedef struct lbq {
	pf_lb_query	*q;
	int32_t		*labels, *ranks;
	uint32_t	*loff;
} lbq;

static void
lbq_free(lbq *b)
{
	free(b->q);
	free(b->labels);
	free(b->ranks);
	free(b->loff);
}

/* The pair index (-1: unjudged) of every document stack k ranks for q. */
static void
ranks_of(const pf_replay *r, size_t k, size_t q, int32_t *out)
{
	const pf_golden *g = r->golden;
	size_t t = (size_t)g->topic[q];

	for (size_t i = 0; i < r->m.stacks[k].n[q]; i++) {
		const char *id = pf_golden_docid(g, r->m.stacks[k].doc[q][i]);
		size_t len = strlen(id);
		out[i] = (int32_t)pf_qrels_find(g->qrels, t, id, len,
		    pf_hash_bytes(id, len));
	}
}

static int
build(lbq *b, const pf_replay *r, size_t *nout)
{
	const pf_qrels *qr = r->golden->qrels;
	size_t nl = 0, np = 0, nr = 0, n = 0;

	for (size_t q = 0; q < r->m.nq; q++) {
		if (!r->m.judged[q])
			continue;
		size_t t = (size_t)r->golden->topic[q];
		np += pf_qrels_npairs(qr, t) + 1;
		for (size_t p = 0; p < pf_qrels_npairs(qr, t); p++)
			nl += pf_qrels_pair(qr, t, p)->nj;
		for (size_t k = 0; k < r->m.nstacks; k++)
			nr += r->m.stacks[k].n[q];
		n++;
	}
	if ((b->q = calloc(n + 1, sizeof(*b->q))) == NULL ||
	    (b->labels = malloc((nl + 1) * sizeof(int32_t))) == NULL ||
	    (b->loff = malloc((np + 1) * sizeof(uint32_t))) == NULL ||
	    (b->ranks = malloc((nr + 1) * sizeof(int32_t))) == NULL)
		return -1;
	nl = np = nr = n = 0;
	for (size_t q = 0; q < r->m.nq; q++) {
		if (!r->m.judged[q])
			continue;
		size_t t = (size_t)r->golden->topic[q];
		pf_lb_query *x = &b->q[n++];
		x->labels = b->labels + nl;
		x->loff = b->loff + np;
		x->npairs = pf_qrels_npairs(qr, t);
		uint32_t o = 0;
		for (size_t p = 0; p < x->npairs; p++) {
			const pf_pair *pp = pf_qrels_pair(qr, t, p);
			b->loff[np++] = o;
			for (uint32_t j = 0; j < pp->nj; j++)
				b->labels[nl + o++] = pf_qrels_judgment(qr,
				    pp->j0 + j)->grade;
		}
		b->loff[np++] = o;
		nl += o;
		/* every stack's ranks, stack after stack */
		x->rank_a = b->ranks + nr;	/* stack 0; rank_b set later */
		for (size_t k = 0; k < r->m.nstacks; k++) {
			ranks_of(r, k, q, b->ranks + nr);
			nr += r->m.stacks[k].n[q];
		}
	}
	*nout = n;
	return 0;
}

int
pf_lboot_run(pf_lboot **out, const pf_replay *r, pf_err *err)
{
	const pf_scenario *s = r->scn;
	pf_lboot *lb = NULL;
	lbq b = {0};
	pf_progress pg = {0};
	size_t n = 0;
	int rc = PF_OK;

	*out = NULL;
	if (!s->label_boot || r->m.nstacks < 2 || r->m.primary < 0 ||
	    r->m.stacks[0].doc == NULL || r->m.njudged == 0)
		return PF_OK;
	if ((lb = calloc(1, sizeof(*lb))) == NULL ||
	    (lb->res = calloc(r->m.nstacks, sizeof(*lb->res))) == NULL ||
	    build(&b, r, &n) != 0)
		goto nomem;
	lb->nt = r->m.nstacks - 1;
	lb->value = (size_t)r->m.primary;
	lb->n_boot = s->n_boot;
	pf_progress_start(&pg, r->progress, "label bootstrap", "treatments",
	    lb->nt);
	for (size_t k = 1; k < r->m.nstacks; k++, pf_progress_step(&pg, 1)) {
		size_t j = 0;
		for (size_t q = 0; q < r->m.nq; q++) {
			if (!r->m.judged[q])
				continue;
			pf_lb_query *x = &b.q[j++];
			const int32_t *rk = x->rank_a;
			for (size_t m = 0; m < k; m++)
				rk += r->m.stacks[m].n[q];
			x->rank_b = rk;
			x->nret_a = r->m.stacks[0].n[q];
			x->nret_b = r->m.stacks[k].n[q];
			x->value_a = r->m.stacks[0].values[q * r->m.nv + lb->value];
			x->value_b = r->m.stacks[k].values[q * r->m.nv + lb->value];
		}
		/* the query draws of the comparison's bootstrap: keyed by
		   (seed, stack, metric) as analysis/compare.c keys them */
		pf_lb_opts o = {.spec = r->m.spec, .te = &r->m.te,
		    .value = lb->value, .agg = (int)s->agg, .n_boot = s->n_boot,
		    .alpha = s->alpha, .seed = s->seed, .id_a = k,
		    .id_b = pf_compare_metric_key(&r->m, lb->value)};
		if ((rc = pf_lb_run(b.q, n, &o, &lb->res[k - 1], err)) !=
		    PF_OK)
			goto done;
	}
	*out = lb;
	lb = NULL;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	pf_progress_end(&pg);
	lbq_free(&b);
	pf_lboot_free(lb);
	return rc;
}

void
pf_lboot_print(FILE *f, const pf_lboot *lb, const pf_replay *r)
{
	for (size_t k = 0; lb != NULL && k < lb->nt; k++) {
		const pf_lb_result *x = &lb->res[k];
		fprintf(f, "label bootstrap %s vs %s, %s: %+.4f, 95%% CI "
		    "[%+.4f, %+.4f] (queries), [%+.4f, %+.4f] (labels), "
		    "[%+.4f, %+.4f] (both); sign flips in %.1f%% of label "
		    "resamples; %zu queries with a multiply-labelled pair\n",
		    r->m.stacks[k + 1].id, r->m.stacks[0].id, r->scn->primary,
		    x->delta, x->q_lo, x->q_hi, x->l_lo, x->l_hi, x->n_lo,
		    x->n_hi, 100 * x->flip, x->n_multi);
	}
}

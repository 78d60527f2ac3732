/*
 * harness/decide/verdict.c — see verdict.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/decide/verdict.h"

void
pf_decision_free(pf_decision *d)
{
	if (d == NULL)
		return;
	pf_gate_list_clear(&d->gates);
	free(d);
}

int
pf_decision_exit(const pf_decision *d)
{
	return d->nfailed > 0 || (d->exps != NULL && d->exps->nfailed > 0);
}

static int
collect(pf_decision *d, const pf_gate_list *const *lists, size_t nlists)
{
	for (size_t l = 0; l < nlists; l++)
		for (size_t i = 0; lists[l] != NULL && i < lists[l]->n; i++) {
			pf_gate_result *g = pf_gate_add(&d->gates);
			if (g == NULL)
				return PF_ENOMEM;
			*g = lists[l]->v[i];
			d->nfailed += g->status == PF_GATE_FAIL;
		}
	return PF_OK;
}

/* "N gates failed; first: ..." or the same for expectations. */
static int
failures(pf_decision *d)
{
	const pf_expectations *e = d->exps;

	if (d->nfailed > 0) {
		const pf_gate_result *f = NULL;
		for (size_t i = 0; i < d->gates.n && f == NULL; i++)
			if (d->gates.v[i].status == PF_GATE_FAIL)
				f = &d->gates.v[i];
		snprintf(d->why, sizeof(d->why), "%zu gate%s failed; first: "
		    "%.200s (%.300s).", d->nfailed, d->nfailed == 1 ? "" : "s",
		    f->name, f->message);
		return 1;
	}
	if (e != NULL && e->nfailed > 0) {
		const pf_exp_result *f = NULL;
		for (size_t i = 0; i < e->n && f == NULL; i++)
			if (e->v[i].status == PF_GATE_FAIL)
				f = &e->v[i];
		snprintf(d->why, sizeof(d->why), "%zu expectation%s failed; "
		    "first: %.200s (%.300s).", e->nfailed, e->nfailed == 1 ?
		    "" : "s", f->name, f->message);
		return 1;
	}
	return 0;
}

/* The primary metric of the first treatment decides the rest. */
static void
on_primary(pf_decision *d, const pf_measured *m, const pf_comparison *c,
    const pf_verdict_rule *rule)
{
	const char *pm = m->primary_name;
	const pf_cmp *x = pf_compare_at(c, 1, (size_t)m->primary);
	double padj = pf_compare_p_adj(c, 1, (size_t)m->primary);

	if (padj < rule->alpha && x->hi < 0) {
		d->verdict = "DO NOT REQUEST";
		snprintf(d->why, sizeof(d->why), "%s is a significant "
		    "regression: %+.4f [95%% CI %+.4f, %+.4f], Holm p %.4f.",
		    pm, x->delta, x->lo, x->hi, padj);
	} else if (padj < rule->alpha && x->lo > 0 &&
	    x->delta >= rule->min_effect && x->delta > 0) {
		d->verdict = "REQUEST A SLOT";
		snprintf(d->why, sizeof(d->why), "%s %+.4f (%+.2f%%) [95%% CI "
		    "%+.4f, %+.4f], Holm p %.4f; %zu wins, %zu losses, %zu ties.",
		    pm, x->delta, 100 * x->rel, x->lo, x->hi, padj, x->wins,
		    x->losses, x->ties);
	} else if (isfinite(x->n_needed)) {
		d->verdict = "INCONCLUSIVE";
		snprintf(d->why, sizeof(d->why), "%s %+.4f [95%% CI %+.4f, "
		    "%+.4f], Holm p %.4f: needs about %.0f queries to detect "
		    "%+.4f at 80%% power (has %zu).", pm, x->delta, x->lo, x->hi,
		    padj, x->n_needed, x->delta, x->n);
	} else {
		d->verdict = "INCONCLUSIVE";
		snprintf(d->why, sizeof(d->why), "%s %+.4f: no difference to "
		    "detect.", pm, x->delta);
	}
}

int
pf_decide(pf_decision **out, const pf_measured *m, const pf_comparison *c,
    const pf_gate_list *const *lists, size_t nlists, const pf_expectations *e,
    const pf_verdict_rule *rule, pf_err *err)
{
	pf_decision *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (d == NULL || collect(d, lists, nlists) != PF_OK) {
		pf_decision_free(d);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	d->exps = e;
	snprintf(d->rule, sizeof(d->rule), "REQUEST A SLOT when %s of %s "
	    "versus %s improves by at least %+.4f, its 95%% bootstrap CI "
	    "excludes 0, its Holm-adjusted randomization p is below %.3g, and "
	    "no gate or expectation fails; DO NOT REQUEST when one fails or %s "
	    "is a significant regression; otherwise INCONCLUSIVE.",
	    m->primary_name, m->nstacks > 1 ? m->stacks[1].id : "-",
	    m->stacks[0].id, rule->min_effect, rule->alpha, m->primary_name);
	if (failures(d))
		d->verdict = "DO NOT REQUEST";
	else if (m->nstacks < 2 || m->primary < 0) {
		d->verdict = "INCONCLUSIVE";
		snprintf(d->why, sizeof(d->why), "nothing to compare");
	} else
		on_primary(d, m, c, rule);
	*out = d;
	return PF_OK;
}

/*
 * harness/decide/terminal.c — what `run` and `compare` print on stdout:
 * the table of means, each treatment's primary delta, the interleaving
 * outcome, broken expectations, every gate and the verdict.
 */
#include <stdio.h>

#include "harness/decide/outputs.h"

void
pf_outputs_print_table(const pf_measured *m)
{
	char name[160];

	printf("%-24s", "stack");
	for (size_t v = 0; v < m->nv; v++) {
		pf_te_value_name(m->spec, v, name, sizeof(name));
		printf(" %14s", name);
	}
	printf("\n");
	for (size_t k = 0; k < m->nstacks; k++) {
		char label[64];
		snprintf(label, sizeof(label), "%s%s", m->stacks[k].id,
		    k == 0 ? " (control)" : "");
		printf("%-24s", label);
		for (size_t v = 0; v < m->nv; v++)
			printf(pf_te_value_is_count(m->spec, v) ? " %14.0f" :
			    " %14.4f", m->stacks[k].mean[v]);
		printf("\n");
	}
	printf("%zu queries with judgments", m->njudged);
	if (m->njudged != m->nq)
		printf(" (%zu without, left out of the means)",
		    m->nq - m->njudged);
	printf("; primary metric %s\n", m->primary_name);
	for (size_t k = 0; k < m->nstacks; k++)
		if (m->stacks[k].nmissing > 0)
			printf("%s lacks %zu of the %zu judged topics: %s\n",
			    m->stacks[k].id, m->stacks[k].nmissing, m->nq,
			    m->njudged < m->nq ? "left out with every run's "
			    "(--common-topics)" : "they score 0 (trec_eval -c; "
			    "--common-topics leaves them out)");
}

static const char *
status_word(int st)
{
	return st == PF_GATE_PASS ? "pass" : st == PF_GATE_FAIL ? "FAIL" :
	    st == PF_GATE_SKIP ? "skipped" : "error";
}

/* The other metrics of treatment k, labelled exploratory, with BH q. */
static void
print_exploratory(const pf_measured *m, const pf_comparison *c, size_t k)
{
	char name[160];
	int any = 0;

	for (size_t v = 0; v < m->nv; v++) {
		if ((long)v == m->primary || pf_te_value_is_count(m->spec, v))
			continue;
		pf_te_value_name(m->spec, v, name, sizeof(name));
		printf("%s %s %+.4f (q %.4f)", any++ ? "," : "  exploratory, "
		    "BH q:", name, pf_compare_at(c, k, v)->delta,
		    pf_compare_p_adj(c, k, v));
	}
	if (any)
		printf("\n");
}

/* With several treatments one line each, then the overall verdict. */
static void
print_verdicts(const pf_outcome *o)
{
	const pf_decision *d = o->decision;

	for (size_t i = 0; d->nper > 1 && i < d->nper; i++)
		printf("verdict %s: %s — %s\n", o->m->stacks[d->per[i].stack].id,
		    d->per[i].verdict, d->per[i].why);
	printf("VERDICT: %s — %s\n", d->verdict, d->why);
}

void
pf_outputs_print_verdict(const pf_outcome *o)
{
	const pf_measured *m = o->m;
	const pf_decision *d = o->decision;
	size_t pi = m->primary >= 0 ? (size_t)m->primary : 0;

	for (size_t k = 1; k < m->nstacks; k++) {
		const pf_cmp *c = pf_compare_at(o->cmp, k, pi);
		printf("%s vs %s, %s: %+.4f [95%% CI %+.4f, %+.4f], p=%.4f "
		    "(Holm %.4f), W/L/T %zu/%zu/%zu\n", m->stacks[k].id,
		    m->stacks[0].id, m->primary_name, c->delta, c->lo, c->hi,
		    c->p_perm, pf_compare_p_adj(o->cmp, k, pi), c->wins,
		    c->losses, c->ties);
		print_exploratory(m, o->cmp, k);
	}
	if (o->il != NULL && o->il->nshort > 0)
		printf("interleaving: warning: on %zu judged quer%s a ranking "
		    "shorter than k = %zu meets a longer one, which biases "
		    "team-draft toward the longer list\n", o->il->nshort, o->il->nshort == 1 ? "y" :
		    "ies", o->il->opts.k);
	for (size_t k = 1; o->il != NULL && k < m->nstacks; k++)
		printf("interleaving (%s) %s vs %s: delta %+.4f [95%% CI %+.4f, "
		    "%+.4f], preference for %s %.4f\n",
		    pf_il_method_name(o->il->opts.method), m->stacks[k].id,
		    m->stacks[0].id, o->il->il[k - 1].delta,
		    o->il->il[k - 1].delta_lo, o->il->il[k - 1].delta_hi,
		    m->stacks[k].id, o->il->il[k - 1].p_pref);
	for (size_t i = 0; o->exps != NULL && i < o->exps->n; i++)
		if (o->exps->v[i].status != PF_GATE_PASS)
			printf("expectation %s: %s — %s\n", o->exps->v[i].name,
			    o->exps->v[i].status == PF_GATE_FAIL ? "FAIL" :
			    "skipped", o->exps->v[i].message);
	for (size_t i = 0; i < d->gates.n; i++)
		printf("gate %s: %s — %s\n", d->gates.v[i].name,
		    status_word(d->gates.v[i].status), d->gates.v[i].message);
	print_verdicts(o);
}

void
pf_outputs_print_quiet(const pf_outcome *o)
{
	const pf_decision *d = o->decision;

	for (size_t i = 0; o->exps != NULL && i < o->exps->n; i++)
		if (o->exps->v[i].status == PF_GATE_FAIL)
			printf("expectation %s: FAIL — %s\n", o->exps->v[i].name,
			    o->exps->v[i].message);
	for (size_t i = 0; i < d->gates.n; i++)
		if (d->gates.v[i].status == PF_GATE_FAIL ||
		    d->gates.v[i].status == PF_GATE_ERROR)
			printf("gate %s: %s — %s\n", d->gates.v[i].name,
			    status_word(d->gates.v[i].status),
			    d->gates.v[i].message);
	print_verdicts(o);
}

/*
 * harness/decide/verdict.c — see verdict.h.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/decide/verdict.h"
#include "reports/model.h"

void
pf_decision_free(pf_decision *d)
{
	if (d == NULL)
		return;
	pf_gate_list_clear(&d->gates);
	free(d->per);
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

/* "N gates failed; first: ..." or the same for expectations, counting
   those of treatment k (any stack when k is 0). 1 when any. */
static int
failures(const pf_decision *d, size_t k, char *why, size_t sz)
{
	const pf_expectations *e = d->exps;
	const pf_gate_result *f = NULL;
	const pf_exp_result *fe = NULL;
	size_t ng = 0, ne = 0;

	for (size_t i = 0; i < d->gates.n; i++)
		if (d->gates.v[i].status == PF_GATE_FAIL && (k == 0 ||
		    d->gates.v[i].stack == k || d->gates.v[i].stack == 0)) {
			f = f ? f : &d->gates.v[i];
			ng++;
		}
	for (size_t i = 0; e != NULL && i < e->n; i++)
		if (e->v[i].status == PF_GATE_FAIL && (k == 0 ||
		    e->v[i].stack == k || e->v[i].stack == 0)) {
			fe = fe ? fe : &e->v[i];
			ne++;
		}
	if (ng > 0)
		snprintf(why, sz, "%zu gate%s failed; first: %.200s (%.300s).",
		    ng, ng == 1 ? "" : "s", f->name, f->message);
	else if (ne > 0)
		snprintf(why, sz, "%zu expectation%s failed; first: %.200s "
		    "(%.300s).", ne, ne == 1 ? "" : "s", fe->name, fe->message);
	return ng + ne > 0;
}

/* "3,656,980": a count with thousands separators. */
static void
grouped(double v, char *b, size_t sz)
{
	char d[32];
	int n = snprintf(d, sizeof(d), "%.0f", v), o = 0;

	for (int i = 0; i < n && (size_t)o + 2 < sz; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			b[o++] = ',';
		b[o++] = d[i];
	}
	b[o] = '\0';
}

/* Treatment k's verdict from its primary metric (no failure). */
static void
on_primary(pf_treatment_verdict *t, const pf_measured *m,
    const pf_comparison *c, const pf_verdict_rule *rule)
{
	const char *pm = m->primary_name;
	const pf_cmp *x = pf_compare_at(c, t->stack, (size_t)m->primary);
	double padj = pf_compare_p_adj(c, t->stack, (size_t)m->primary);
	char need[48];

	if (padj < rule->alpha && x->hi < 0) {
		t->verdict = "DO NOT REQUEST";
		snprintf(t->why, sizeof(t->why), "%s is a significant "
		    "regression: %+.4f [95%% CI %+.4f, %+.4f], Holm p %.4f.",
		    pm, pf_nz(x->delta, 4), pf_nz(x->lo, 4), pf_nz(x->hi, 4),
		    padj);
	} else if (padj < rule->alpha && x->lo > 0 &&
	    x->delta >= rule->min_effect && x->delta > 0) {
		t->verdict = "REQUEST A SLOT";
		snprintf(t->why, sizeof(t->why), "%s %+.4f (%+.2f%%) [95%% CI "
		    "%+.4f, %+.4f], Holm p %.4f; %zu wins, %zu losses, %zu ties.",
		    pm, pf_nz(x->delta, 4), pf_nz(100 * x->rel, 2),
		    pf_nz(x->lo, 4), pf_nz(x->hi, 4), padj, x->wins, x->losses,
		    x->ties);
	} else if (x->n < 2) {
		t->verdict = "INCONCLUSIVE";
		snprintf(t->why, sizeof(t->why), "%s %+.4f on %zu judged "
		    "quer%s: too few to test.", pm, pf_nz(x->delta, 4), x->n,
		    x->n == 1 ? "y" : "ies");
	} else if (isfinite(x->n_needed)) {
		t->verdict = "INCONCLUSIVE";
		if (x->n_needed > 1e6)
			snprintf(need, sizeof(need), "more than 1,000,000");
		else {
			char g[40];
			grouped(x->n_needed, g, sizeof(g));
			snprintf(need, sizeof(need), "about %s", g);
		}
		snprintf(t->why, sizeof(t->why), "%s %+.4f [95%% CI %+.4f, "
		    "%+.4f], Holm p %.4f: needs %s queries to detect %+.4f at 80%% "
		    "power (has %zu).", pm, pf_nz(x->delta, 4), pf_nz(x->lo, 4),
		    pf_nz(x->hi, 4), padj, need, pf_nz(x->delta, 4), x->n);
	} else {
		t->verdict = "INCONCLUSIVE";
		snprintf(t->why, sizeof(t->why), "%s %+.4f: no difference to "
		    "detect.", pm, pf_nz(x->delta, 4));
	}
}

/* The overall verdict from the treatments' (no failure anywhere). */
static void
overall(pf_decision *d, const pf_measured *m)
{
	const pf_treatment_verdict *req = NULL;
	size_t nreq = 0, nrefused = 0;

	for (size_t i = 0; i < d->nper; i++) {
		if (strcmp(d->per[i].verdict, "REQUEST A SLOT") == 0) {
			req = req ? req : &d->per[i];
			nreq++;
		}
		nrefused += strcmp(d->per[i].verdict, "DO NOT REQUEST") == 0;
	}
	if (d->nper == 1) {
		d->verdict = d->per[0].verdict;
		snprintf(d->why, sizeof(d->why), "%s", d->per[0].why);
	} else if (req != NULL) {
		d->verdict = "REQUEST A SLOT";
		snprintf(d->why, sizeof(d->why), "%s earns one: %.600s%s",
		    m->stacks[req->stack].id, req->why, nreq > 1 ? " (and "
		    "other treatments)" : "");
	} else if (nrefused == d->nper) {
		d->verdict = "DO NOT REQUEST";
		snprintf(d->why, sizeof(d->why), "every treatment is refused; "
		    "%s: %.600s", m->stacks[d->per[0].stack].id, d->per[0].why);
	} else {
		d->verdict = "INCONCLUSIVE";
		snprintf(d->why, sizeof(d->why), "no treatment earns a slot; "
		    "%s: %.600s", m->stacks[d->per[0].stack].id, d->per[0].why);
	}
}

/* Appends to b (size sz, *n used), truncating at the end. */
static void
cat(char *b, size_t sz, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n + 1 >= sz)
		return;
	va_start(ap, fmt);
	k = vsnprintf(b + *n, sz - *n, fmt, ap);
	va_end(ap);
	*n = k < 0 ? *n : *n + (size_t)k < sz ? *n + (size_t)k : sz - 1;
}

/* One declared gate as the scenario wrote it: "id (ndcg_cut_10 delta >=
   -0.02 on the CI lower bound, stack lsa, against the last passing run)". */
static void
gate_clause(char *b, size_t sz, size_t *n, const pf_scn_gate *g)
{
	cat(b, sz, n, "%s (%s ", g->id, g->metric);
	if (g->has_min)
		cat(b, sz, n, "mean >= %g", g->min);
	else if (g->has_min_delta)
		cat(b, sz, n, "delta >= %g", g->min_delta);
	else
		cat(b, sz, n, "a significant gain");
	if (g->on_ci)
		cat(b, sz, n, " on the CI lower bound");
	if (g->significant && g->has_min_delta)
		cat(b, sz, n, ", significant");
	if (g->stack)
		cat(b, sz, n, ", stack %s", g->stack);
	if (g->against)
		cat(b, sz, n, ", against %s", strcmp(g->against,
		    "last-pass") == 0 ? "the last passing run" : g->against);
	cat(b, sz, n, ")");
}

/* " Gates: a (...), b (...). Expectations: FILE." or "". */
static void
gates_text(char *b, size_t sz, const pf_scenario *s)
{
	size_t n = 0, k = 0;

	b[0] = '\0';
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ngates; i++, k++) {
		cat(b, sz, &n, k ? ", " : " Gates: ");
		gate_clause(b, sz, &n, &s->gates[i]);
	}
	if (s->lift_on && s->lift_has_min) {
		cat(b, sz, &n, "%smin_lift (predicted online lift >= %+g%%)",
		    k ? ", " : " Gates: ", 100.0 * s->lift_min);
		k++;
	}
	if (k)
		cat(b, sz, &n, ".");
	if (s->expectations) {
		const char *base = strrchr(s->expectations, '/');
		cat(b, sz, &n, " Expectations: %s.", base ? base + 1 :
		    s->expectations);
	}
}

static void
rule_text(pf_decision *d, const pf_measured *m, const pf_verdict_rule *rule)
{
	char eff[96] = "", gates[1024];

	if (rule->min_effect != 0)
		snprintf(eff, sizeof(eff), " by at least %g",
		    rule->min_effect);
	gates_text(gates, sizeof(gates), rule->scn);
	snprintf(d->rule, sizeof(d->rule), "For each treatment: REQUEST A SLOT "
	    "when its %s versus %s improves%s, its 95%% bootstrap CI excludes "
	    "0 and its Holm-adjusted randomization p is below %.3g, with no "
	    "gate or expectation of it failing; DO NOT REQUEST when one fails "
	    "or %s is a significant regression; otherwise INCONCLUSIVE. "
	    "Overall: DO NOT REQUEST when any gate or expectation fails, REQUEST "
	    "A SLOT when a treatment earns one, DO NOT REQUEST when every "
	    "treatment is refused, otherwise INCONCLUSIVE.%s", m->primary_name,
	    m->stacks[0].id, eff, rule->alpha, m->primary_name, gates);
}

int
pf_decide(pf_decision **out, const pf_measured *m, const pf_comparison *c,
    const pf_gate_list *const *lists, size_t nlists, const pf_expectations *e,
    const pf_verdict_rule *rule, pf_err *err)
{
	pf_decision *d = calloc(1, sizeof(*d));
	size_t nt = m->nstacks > 0 ? m->nstacks - 1 : 0;

	*out = NULL;
	if (d == NULL || collect(d, lists, nlists) != PF_OK ||
	    (d->per = calloc(nt + 1, sizeof(*d->per))) == NULL) {
		pf_decision_free(d);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	d->exps = e;
	d->nper = m->primary >= 0 ? nt : 0;
	rule_text(d, m, rule);
	for (size_t i = 0; i < d->nper; i++) {
		pf_treatment_verdict *t = &d->per[i];
		t->stack = i + 1;
		if (failures(d, t->stack, t->why, sizeof(t->why)))
			t->verdict = "DO NOT REQUEST";
		else
			on_primary(t, m, c, rule);
	}
	if (failures(d, 0, d->why, sizeof(d->why)))
		d->verdict = "DO NOT REQUEST";
	else if (d->nper == 0) {
		d->verdict = "INCONCLUSIVE";
		snprintf(d->why, sizeof(d->why), "nothing to compare");
	} else
		overall(d, m);
	*out = d;
	return PF_OK;
}

/*
 * harness/decide/against.c — gates against the last known good
 * (gates.h, pf_gates_against): no old stack is replayed; tonight's
 * per-query values of the stack are paired by qid with the values the
 * history stored for the same stack id in the reference run, and the
 * paired delta (tonight minus the reference) gets the statistics of every
 * other delta: bootstrap CI and randomization p with the scenario's
 * <compare> settings and seed, streams keyed by the stack id's and the
 * metric name's hashes — as `preflight diff` keys them, so a diff of the
 * reference run and tonight's shows the gate's numbers.
 * The reference is read before the replay by the caller, so tonight's run
 * (appended after its outputs) is never its own reference.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/analysis/pair.h"
#include "harness/decide/gates.h"
#include "harness/util/grow.h"
#include "harness/util/strtab.h"
#include "reports/model.h"


pf_gate_ref *
pf_gate_refs_add(pf_gate_refs *r)
{
	pf_gate_ref *v = pf_grow(r->v, &r->cap, r->n + 1, sizeof(*v));

	if (v == NULL)
		return NULL;
	r->v = v;
	memset(&v[r->n], 0, sizeof(*v));
	return &v[r->n++];
}

void
pf_gate_refs_clear(pf_gate_refs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (size_t j = 0; r->v[i].qid != NULL && j < r->v[i].n; j++)
			free(r->v[i].qid[j]);
		free(r->v[i].qid);
		free(r->v[i].value);
	}
	free(r->v);
	*r = (pf_gate_refs){0};
}

static const pf_gate_ref *
find_ref(const pf_gate_refs *r, size_t gi, size_t k)
{
	for (size_t i = 0; r != NULL && i < r->n; i++)
		if (r->v[i].gate == gi && r->v[i].stack == k)
			return &r->v[i];
	return NULL;
}

/* The reference in words: "last pass", "last run labelled model=v41". */
static void
reference_words(const char *against, char *b, size_t sz)
{
	if (strncmp(against, "label:", 6) == 0)
		snprintf(b, sz, "last run labelled %s", against + 6);
	else
		snprintf(b, sz, "last pass");
}

/* The five most hurt common queries (tonight minus the reference). */
static void
most_hurt(const pf_pairing *p, const pf_qlist *ref, const pf_qlist *now,
    char *buf, size_t sz)
{
	size_t worst[5], nw = 0, len = 0;
	double wd[5];

	for (size_t i = 0; i < p->n; i++) {
		double d = now->value[p->ib[i]] - ref->value[p->ia[i]];
		size_t at = nw < 5 ? nw++ : 5;
		if (at == 5) {
			if (!(d < wd[4]))
				continue;
			at = 4;
		}
		while (at > 0 && d < wd[at - 1]) {	/* stable: qid order */
			wd[at] = wd[at - 1];
			worst[at] = worst[at - 1];
			at--;
		}
		wd[at] = d;
		worst[at] = i;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < nw && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%s %+.3f",
		    i ? " | " : "", now->qid[p->ib[worst[i]]], pf_nz(wd[i], 3));
}

/* Tonight's judged values of value v on stack k, as a list. */
static int
tonight(const pf_measured *m, size_t k, size_t v, pf_qlist *out,
    const char ***qid, double **val)
{
	size_t n = 0;

	*qid = malloc((m->nq + 1) * sizeof(**qid));
	*val = malloc((m->nq + 1) * sizeof(**val));
	if (*qid == NULL || *val == NULL)
		return PF_ENOMEM;
	for (size_t q = 0; q < m->nq; q++)
		if (m->judged[q]) {
			(*qid)[n] = m->golden->qid[q];
			(*val)[n++] = m->stacks[k].values[q * m->nv + v];
		}
	*out = (pf_qlist){*qid, *val, n};
	return PF_OK;
}

static void
skip(pf_gate_result *gr, const char *why)
{
	gr->status = PF_GATE_SKIP;
	snprintf(gr->message, sizeof(gr->message), "%s", why);
}

/* The verdict, its one line and the failure details. */
static void
judge(pf_gate_result *gr, const pf_gate_defs *defs, const pf_scn_gate *g,
    const pf_gate_ref *ref, const char *stack, const pf_cmp *c,
    const char *hurt)
{
	double x = g->on_ci ? c->lo : c->delta;
	int fail = !(x >= g->min_delta);

	gr->status = fail ? PF_GATE_FAIL : PF_GATE_PASS;
	snprintf(gr->message, sizeof(gr->message), "%s delta%s %+.4f [95%% CI "
	    "%+.4f, %+.4f] %s %+.4f against run %lld (p=%.4f, %zu common "
	    "queries)", g->metric, g->on_ci ? " CI lower bound" : "",
	    pf_nz(x, 4), pf_nz(c->lo, 4), pf_nz(c->hi, 4), fail ? "below" :
	    "at or above", g->min_delta, (long long)ref->run, c->p_perm, c->n);
	snprintf(gr->details, sizeof(gr->details), "gate:      %s (%s:%ld), "
	    "against=\"%s\"\nreference: %s\ntonight:   %s  %s=%.4f on the "
	    "common queries\nreference: %s  %s=%.4f\nqueries:   %zu common "
	    "(wins %zu, losses %zu, ties %zu)\nmost hurt: %s\nreport:    "
	    "report.html#gate-%s", g->id, defs->source, g->line, g->against,
	    ref->run_desc, stack, g->metric, c->mean_b, stack, g->metric,
	    c->mean_a, c->n, c->wins, c->losses, c->ties, hurt, g->id);
}

int
pf_gates_against(pf_gate_result *gr, const pf_gate_defs *defs,
    const pf_measured *m, size_t gi, size_t k, pf_err *err)
{
	static const pf_compare_opts dflt = {.seed = 1, .n_boot = 10000,
	    .n_perm = 10000, .alpha = 0.05, .tie_tol = 1e-9};
	const pf_scn_gate *g = &defs->v[gi];
	const pf_gate_ref *ref = find_ref(defs->refs, gi, k);
	const pf_compare_opts *co = defs->co ? defs->co : &dflt;
	long v = pf_te_value_index(m->spec, g->metric);
	pf_qlist now, old;
	pf_pairing p = {0};
	pf_cmp c;
	const char **qid = NULL;
	double *val = NULL;
	char words[160], why[400], hurt[256];
	int rc = PF_OK;

	reference_words(g->against, words, sizeof(words));
	snprintf(gr->name, sizeof(gr->name), "%s: %s delta against the %s, %s",
	    g->id, g->metric, words, m->stacks[k].id);
	if (v < 0) {
		gr->status = PF_GATE_ERROR;
		snprintf(gr->message, sizeof(gr->message), "metric '%s' is not "
		    "among the scenario's metrics", g->metric);
		return PF_OK;
	}
	if (ref == NULL || ref->run == 0 || ref->n == 0) {
		skip(gr, ref ? ref->why : "no history was read for it");
		return PF_OK;
	}
	old = (pf_qlist){(const char *const *)ref->qid, ref->value, ref->n};
	if (tonight(m, k, (size_t)v, &now, &qid, &val) != PF_OK) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	/* keyed as `preflight diff` keys a stack and metric: diff of the
	   reference run and tonight's shows these very numbers */
	if ((rc = pf_pair_compare(&c, &p, &old, &now, co,
	    pf_hash_bytes(m->stacks[k].id, strlen(m->stacks[k].id)),
	    pf_compare_metric_key(m, (size_t)v), err)) != PF_OK)
		goto done;
	if (c.n < PF_AGAINST_MIN_QUERIES) {
		snprintf(why, sizeof(why), "only %zu judged quer%s in common "
		    "with %s (at least %d needed)", c.n, c.n == 1 ? "y" : "ies",
		    ref->run_desc, PF_AGAINST_MIN_QUERIES);
		skip(gr, why);
		goto done;
	}
	most_hurt(&p, &old, &now, hurt, sizeof(hurt));
	judge(gr, defs, g, ref, m->stacks[k].id, &c, hurt);
done:
	pf_pairing_free(&p);
	free(qid);
	free(val);
	return rc;
}

/*
 * harness/decide/gates.c — see gates.h.
 */
#include <stdio.h>
#include <string.h>

#include "harness/decide/gates.h"
#include "harness/util/diags.h"

/* Five most hurt queries of treatment k on value v, for failure details. */
static void
most_hurt(const pf_measured *m, size_t k, size_t v, char *buf, size_t sz)
{
	size_t worst[5], nw = 0, len = 0;
	double wd[5];

	for (size_t q = 0; q < m->nq; q++) {
		if (!m->judged[q])
			continue;
		double d = m->stacks[k].values[q * m->nv + v] -
		    m->stacks[0].values[q * m->nv + v];
		size_t i = nw < 5 ? nw++ : 5;
		if (i == 5) {
			if (!(d < wd[4]))
				continue;
			i = 4;
		}
		while (i > 0 && d < wd[i - 1]) {	/* stable: earlier first */
			wd[i] = wd[i - 1];
			worst[i] = worst[i - 1];
			i--;
		}
		wd[i] = d;
		worst[i] = q;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < nw && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%s %+.3f",
		    i ? " | " : "", m->golden->qid[worst[i]], wd[i]);
}

static void
eval_gate(const pf_gate_defs *defs, const pf_measured *m,
    const pf_comparison *a, const pf_interleaving *ilv, const pf_scn_gate *g,
    size_t k, pf_gate_result *out)
{
	long v = pf_te_value_index(m->spec, g->metric);
	const char *ctl = m->stacks[0].id, *trt = m->stacks[k].id;
	const char *what = g->has_min ? "mean" : g->has_min_delta ? "delta" :
	    "significant gain";

	out->stack = k;
	snprintf(out->name, sizeof(out->name), "%s: %s %s, %s vs %s", g->id,
	    g->metric, what, trt, ctl);
	if (strcmp(g->metric, "interleave") == 0) {
		const pf_il_summary *il = ilv ? &ilv->il[k - 1] : NULL;
		int fail;
		if (il == NULL || g->significant || g->has_min) {
			out->status = PF_GATE_ERROR;
			snprintf(out->message, sizeof(out->message), "%s",
			    il == NULL ? "no <interleave> in the scenario" :
			    "an interleave gate takes min-delta (on the "
			    "estimate or the CI lower bound)");
			return;
		}
		double x = g->on_ci ? il->delta_lo : il->delta;
		fail = !(x >= g->min_delta);
		out->status = fail ? PF_GATE_FAIL : PF_GATE_PASS;
		snprintf(out->message, sizeof(out->message), "interleaving "
		    "delta%s %+.4f [95%% CI %+.4f, %+.4f] %s %+.4f",
		    g->on_ci ? " CI lower bound" : "", x, il->delta_lo,
		    il->delta_hi, fail ? "below" : "at or above",
		    g->min_delta);
		snprintf(out->details, sizeof(out->details), "gate:      %s "
		    "(%s:%ld)\nmethod:    %s, %zu queries, %s\nreport:    "
		    "report.html#gate-%s", g->id, defs->source, g->line,
		    pf_il_method_name(ilv->opts.method), il->nq, il->exact ?
		    "exact expectation" : "Monte Carlo", g->id);
		return;
	}
	if (v < 0) {
		out->status = PF_GATE_ERROR;
		snprintf(out->message, sizeof(out->message), "metric '%s' is "
		    "not among the scenario's metrics", g->metric);
		return;
	}
	const pf_cmp *c = &a->cmp[(k - 1) * a->nv + (size_t)v];
	double padj = a->p_adj[(k - 1) * a->nv + (size_t)v];
	int fail;
	if (g->has_min) {
		fail = !(c->mean_b >= g->min);
		snprintf(out->message, sizeof(out->message), "%s %s %.4f %s "
		    "%.4f", trt, g->metric, c->mean_b, fail ? "below" :
		    "at or above", g->min);
	} else if (g->has_min_delta) {
		double x = g->on_ci ? c->lo : c->delta;
		fail = !(x >= g->min_delta);
		snprintf(out->message, sizeof(out->message), "%s delta%s "
		    "%+.4f [95%% CI %+.4f, %+.4f] %s %+.4f (p=%.4f, Holm "
		    "%.4f)", g->metric, g->on_ci ? " CI lower bound" : "", x,
		    c->lo, c->hi, fail ? "below" : "at or above",
		    g->min_delta, c->p_perm, padj);
	} else {
		fail = !(padj < defs->alpha && c->lo > 0 && c->delta > 0);
		snprintf(out->message, sizeof(out->message), "%s delta %+.4f "
		    "[95%% CI %+.4f, %+.4f], Holm p %.4f: %s", g->metric,
		    c->delta, c->lo, c->hi, padj, fail ? "not a significant "
		    "gain" : "a significant gain");
	}
	out->status = fail ? PF_GATE_FAIL : PF_GATE_PASS;
	char hurt[256];
	most_hurt(m, k, (size_t)v, hurt, sizeof(hurt));
	snprintf(out->details, sizeof(out->details),
	    "gate:      %s (%s:%ld)\ncontrol:   %s  %s=%.4f\n"
	    "treatment: %s  %s=%.4f\nqueries:   %zu (wins %zu, losses %zu, "
	    "ties %zu)\nmost hurt: %s\nreport:    report.html#gate-%s",
	    g->id, defs->source, g->line, ctl, g->metric, c->mean_a, trt,
	    g->metric, c->mean_b, c->n, c->wins, c->losses, c->ties, hurt,
	    g->id);
}

/* "a, b, c" of the values m measures (counts have no gate). */
static void
metric_list(const pf_measured *m, char *b, size_t sz)
{
	size_t len = 0;

	b[0] = '\0';
	for (size_t v = 0; v < m->nv && len < sz; v++) {
		char n[160];
		pf_te_value_name(m->spec, v, n, sizeof(n));
		len += (size_t)snprintf(b + len, sz - len, "%s%s", len ? ", " :
		    "", n);
	}
}

static void
stack_list(const pf_measured *m, char *b, size_t sz)
{
	size_t len = 0;

	b[0] = '\0';
	for (size_t k = 0; k < m->nstacks && len < sz; k++)
		len += (size_t)snprintf(b + len, sz - len, "%s%s", k ? ", " :
		    "", m->stacks[k].id);
}

int
pf_gates_check(const pf_gate_defs *defs, const pf_measured *m,
    int interleave, pf_diags *d)
{
	char valid[1024];
	int bad = 0;

	for (size_t i = 0; i < defs->n; i++) {
		const pf_scn_gate *g = &defs->v[i];
		long k = g->stack == NULL ? 1 : -1;
		for (size_t j = 0; g->stack != NULL && j < m->nstacks; j++)
			if (strcmp(g->stack, m->stacks[j].id) == 0)
				k = (long)j;
		if (k < 0) {
			stack_list(m, valid, sizeof(valid));
			pf_diags_add(d, defs->source, g->line, "gate '%s': no "
			    "stack '%s' (expected one of %s)", g->id, g->stack,
			    valid);
			bad = 1;
		}
		if (g->against != NULL && !defs->stored) {
			pf_diags_add(d, defs->source, g->line, "gate '%s': "
			    "against=\"%s\" compares with a run stored in a "
			    "history, and this command keeps none (preflight "
			    "run --history DB)", g->id, g->against);
			bad = 1;
		}
		if (strcmp(g->metric, "interleave") == 0) {
			if (g->against != NULL) {
				pf_diags_add(d, defs->source, g->line, "gate '%s':"
				    " the history keeps no per-query interleaving"
				    " outcome to compare against", g->id);
				bad = 1;
			} else if (!interleave) {
				pf_diags_add(d, defs->source, g->line, "gate '%s':"
				    " metric=\"interleave\" needs <interleave> in "
				    "the scenario", g->id);
				bad = 1;
			} else if (!g->has_min_delta || k == 0) {
				pf_diags_add(d, defs->source, g->line, "gate '%s':"
				    " an interleave gate takes min-delta (on the "
				    "estimate or the CI lower bound) on a "
				    "treatment", g->id);
				bad = 1;
			}
			continue;
		}
		long v = pf_te_value_index(m->spec, g->metric);
		if (v < 0) {
			metric_list(m, valid, sizeof(valid));
			pf_diags_add(d, defs->source, g->line, "gate '%s': metric "
			    "'%s' is not among the metrics measured (expected "
			    "one of %s, as preflight eval prints them)", g->id,
			    g->metric, valid);
			bad = 1;
		} else if (k == 0 && !g->has_min && g->against == NULL) {
			pf_diags_add(d, defs->source, g->line, "gate '%s': a gate "
			    "on the control ('%s') takes min", g->id, g->stack);
			bad = 1;
		}
	}
	return bad ? PF_EFORMAT : PF_OK;
}

/* A gate on the control: a min on its mean, nothing else. */
static void
control_gate(const pf_measured *m, const pf_scn_gate *g, pf_gate_result *gr)
{
	long v = pf_te_value_index(m->spec, g->metric);

	snprintf(gr->name, sizeof(gr->name), "%s: %s mean, %s", g->id,
	    g->metric, m->stacks[0].id);
	if (v < 0 || !g->has_min) {
		gr->status = PF_GATE_ERROR;
		snprintf(gr->message, sizeof(gr->message), "a gate on the "
		    "control needs min and a metric of the scenario");
		return;
	}
	double mean = m->stacks[0].mean[v];
	gr->status = mean >= g->min ? PF_GATE_PASS : PF_GATE_FAIL;
	snprintf(gr->message, sizeof(gr->message), "%s %s %.4f %s %.4f",
	    m->stacks[0].id, g->metric, mean, mean >= g->min ? "at or above" :
	    "below", g->min);
}

int
pf_gates_eval(pf_gate_list *out, const pf_gate_defs *defs,
    const pf_measured *m, const pf_comparison *c, const pf_interleaving *il,
    pf_err *err)
{
	for (size_t i = 0; i < defs->n; i++) {
		const pf_scn_gate *g = &defs->v[i];
		size_t k0 = 1, k1 = m->nstacks;
		long only = -1;
		if (g->stack != NULL) {
			for (size_t k = 0; k < m->nstacks; k++)
				if (strcmp(g->stack, m->stacks[k].id) == 0)
					only = (long)k;
			k0 = only < 0 ? 0 : (size_t)only;
			k1 = k0 + 1;
		}
		for (size_t k = k0; k < k1; k++) {
			pf_gate_result *gr = pf_gate_add(out);
			int rc;
			if (gr == NULL)
				return pf_err_set(err, PF_ENOMEM, NULL, 0,
				    "out of memory");
			snprintf(gr->id, sizeof(gr->id), "%s", g->id);
			gr->line = g->line;
			gr->stack = k;
			if (g->stack != NULL && only < 0) {
				gr->status = PF_GATE_ERROR;
				snprintf(gr->name, sizeof(gr->name), "%s: %s",
				    g->id, g->metric);
				snprintf(gr->message, sizeof(gr->message),
				    "no stack '%s' in the scenario", g->stack);
			} else if (g->against != NULL) {
				if ((rc = pf_gates_against(gr, defs, m, i, k,
				    err)) != PF_OK)
					return rc;
			} else if (k == 0) {
				control_gate(m, g, gr);
			} else {
				eval_gate(defs, m, c, il, g, k, gr);
			}
		}
	}
	return PF_OK;
}

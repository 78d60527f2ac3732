/*
 * reports/results.c — see results.h. One function per part of the
 * document, in the order the parts appear.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "reports/replift.h"
#include "reports/attrib.h"
#include "reports/labelq_json.h"
#include "reports/importance.h"
#include "reports/results.h"

/* A metric value; non-finite values (never produced) would be null. */
static json_t *
num(double v, int is_count)
{
	if (!isfinite(v))
		return json_null();
	return is_count ? json_integer((json_int_t)v) : json_real(v);
}

static json_t *
ci95(double lo, double hi)
{
	return json_pack("[oo]", num(lo, 0), num(hi, 0));
}

static json_t *
inputs_json(const pf_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->ninputs; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "role", json_string(r->inputs[i].role));
		json_object_set_new(o, "path", json_string(r->inputs[i].path));
		json_object_set_new(o, "sha256", json_string(
		    r->inputs[i].sha256));
		json_object_set_new(o, "bytes", json_integer((json_int_t)
		    r->inputs[i].bytes));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
stages_json(const pf_rep_stack *s)
{
	json_t *stages = json_array();

	for (size_t i = 0; i < s->nstages; i++) {
		json_t *g = json_object(), *p = json_object();
		json_object_set_new(g, "stage", json_string(s->stage[i].stage));
		for (size_t j = 0; j < s->stage[i].nparams; j++)
			json_object_set_new(p, s->stage[i].keys[j],
			    json_string(s->stage[i].values[j]));
		json_object_set_new(g, "params", p);
		json_array_append_new(stages, g);
	}
	return stages;
}

/* Stack k's top ten per query (docids, in rank order), for `diff`. */
static json_t *
top10_json(const pf_report *r, size_t k)
{
	json_t *a = json_array();

	for (size_t q = 0; q < r->nq; q++) {
		json_t *l = json_array();
		const char *const *t = r->top_id + (k * r->nq + q) *
		    PF_REP_TOPK;
		for (size_t i = 0; i < PF_REP_TOPK && t[i] != NULL; i++)
			json_array_append_new(l, json_string(t[i]));
		json_array_append_new(a, l);
	}
	return a;
}

static json_t *
stack_json(const pf_report *r, const pf_rep_stack *s)
{
	json_t *o = json_object(), *mean = json_object(), *pq = json_object();
	size_t nv = r->nmetrics;

	json_object_set_new(o, "id", json_string(s->id));
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "stages", stages_json(s));
	for (size_t v = 0; v < nv; v++)
		json_object_set_new(mean, r->metrics[v], num(s->mean[v],
		    r->is_count[v]));
	json_object_set_new(o, "mean", mean);
	for (size_t v = 0; v < nv; v++) {
		json_t *a = json_array();
		for (size_t q = 0; q < r->nq; q++)
			json_array_append_new(a, r->judged[q] ?
			    num(s->values[q * nv + v], r->is_count[v]) :
			    json_null());
		json_object_set_new(pq, r->metrics[v], a);
	}
	json_t *nret = json_array();
	for (size_t q = 0; q < r->nq; q++)
		json_array_append_new(nret, json_integer((json_int_t)
		    s->nret[q]));
	json_object_set_new(pq, "num_ret", nret);
	json_object_set_new(o, "per_query", pq);
	if (r->top_id != NULL)
		json_object_set_new(o, "top10", top10_json(r, (size_t)(s -
		    r->stacks)));
	json_object_set_new(o, "run", s->run ? json_string(s->run) :
	    json_null());
	return o;
}

static json_t *
delta_json(const pf_report *r, size_t k, size_t v)
{
	const pf_rep_delta *d = &r->deltas[(k - 1) * r->nmetrics + v];
	json_t *o = json_object();

	json_object_set_new(o, "treatment", json_string(r->stacks[k].id));
	json_object_set_new(o, "control", json_string(r->stacks[0].id));
	json_object_set_new(o, "metric", json_string(r->metrics[v]));
	json_object_set_new(o, "control_mean", num(d->control, 0));
	json_object_set_new(o, "treatment_mean", num(d->treatment, 0));
	json_object_set_new(o, "delta", num(d->delta, 0));
	json_object_set_new(o, "relative_delta", num(d->rel, 0));
	json_object_set_new(o, "ci95", ci95(d->lo, d->hi));
	json_object_set_new(o, "p_randomization", num(d->p_perm, 0));
	json_object_set_new(o, "p_t", num(d->p_t, 0));
	json_object_set_new(o, "family", json_string(d->exploratory ?
	    "exploratory" : "confirmatory"));
	json_object_set_new(o, d->exploratory ? "q_bh" : "p_holm",
	    num(d->p_adj, 0));
	json_object_set_new(o, "effect_dz", num(d->effect, 0));
	json_object_set_new(o, "wins", json_integer((json_int_t)d->wins));
	json_object_set_new(o, "losses", json_integer((json_int_t)d->losses));
	json_object_set_new(o, "ties", json_integer((json_int_t)d->ties));
	json_object_set_new(o, "queries_for_80pct_power", num(d->n_needed, 1));
	return o;
}

static json_t *
gates_json(const pf_report *r)
{
	static const char *const st[] = {"pass", "fail", "error", "skipped"};
	json_t *gates = json_array();

	for (size_t i = 0; i < r->ngates; i++)
		json_array_append_new(gates, json_pack("{s:s,s:s,s:s,s:s}",
		    "id", r->gates[i].id, "name", r->gates[i].what, "status",
		    st[r->gates[i].status & 3], "message",
		    r->gates[i].message ? r->gates[i].message : ""));
	return gates;
}

static json_t *
segments_json(const pf_report *r)
{
	json_t *segs = json_array();

	for (size_t i = 0; i < r->nsegs; i++) {
		const pf_rep_segment *g = &r->segs[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:b,s:b}",
		    "treatment", g->treatment, "metric", r->primary_name,
		    "dimension", g->dim, "value", g->value, "n",
		    (json_int_t)g->n, "control_mean", num(g->control, 0),
		    "delta", num(g->delta, 0), "too_few", g->too_few,
		    "opposite_sign", g->flipped);
		if (!g->too_few) {
			json_object_set_new(o, "ci95", ci95(g->lo, g->hi));
			json_object_set_new(o, "p_bh", num(g->p_bh, 0));
		}
		json_array_append_new(segs, o);
	}
	return segs;
}

/* One treatment's interleaving outcome with its dimension values. */
static json_t *
il_json(const pf_report *r, const pf_rep_il *x)
{
	json_t *isegs = json_array();

	for (size_t i = 0; i < r->nilsegs; i++) {
		const pf_rep_il *y = &r->ilsegs[i];
		if (strcmp(y->treatment, x->treatment) != 0)
			continue;
		json_array_append_new(isegs, json_pack("{s:s,s:s,s:I,s:o,s:o,"
		    "s:o}", "dimension", y->dim, "value", y->value, "queries",
		    (json_int_t)y->nq, "delta", num(y->delta, 0), "delta_ci95",
		    ci95(y->delta_lo, y->delta_hi), "preference_b",
		    num(y->p_pref, 0)));
	}
	return json_pack("{s:s,s:o,s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o,"
	    "s:o,s:o,s:I,s:I,s:I,s:b}", "treatment", x->treatment, "segments",
	    isegs, "control", r->stacks[0].id, "setup", r->il_setup, "queries",
	    (json_int_t)x->nq, "queries_clicked", (json_int_t)x->nq_clicked,
	    "delta", num(x->delta, 0), "delta_ci95", ci95(x->delta_lo,
	    x->delta_hi), "mean_outcome", num(x->mean_o, 0), "preference_b",
	    num(x->p_pref, 0), "share_b", num(x->share_b, 0), "share_a",
	    num(x->share_a, 0), "share_tie", num(x->share_tie, 0), "no_click",
	    num(x->no_click, 0), "query_wins", (json_int_t)x->q_wins,
	    "query_losses", (json_int_t)x->q_losses, "query_ties",
	    (json_int_t)x->q_ties, "exact", x->exact);
}

/* The comparison and what follows from it (only with a treatment). */
static void
comparison_parts(json_t *doc, const pf_report *r)
{
	json_t *cmp = json_array();

	for (size_t k = 1; k < r->nstacks; k++)
		for (size_t v = 0; v < r->nmetrics; v++)
			json_array_append_new(cmp, delta_json(r, k, v));
	json_object_set_new(doc, "comparisons", cmp);
	json_object_set_new(doc, "gates", gates_json(r));
	json_object_set_new(doc, "segments", segments_json(r));
	if (r->il != NULL) {
		json_t *il = json_array();
		for (size_t k = 1; k < r->nstacks; k++)
			json_array_append_new(il, il_json(r, &r->il[k - 1]));
		json_object_set_new(doc, "interleaving", il);
	}
	if (r->an.lift != NULL)
		json_object_set_new(doc, "lift",
		    pf_results_lift_json(r->an.lift));
	if (r->an.attrib != NULL)
		json_object_set_new(doc, "attribution",
		    pf_attrib_json(r->an.attrib));
	json_object_set_new(doc, "verdict", json_pack("{s:s,s:s,s:s}",
	    "decision", r->verdict, "why", r->verdict_why, "rule", r->rule));
	json_t *per = json_array();
	for (size_t i = 0; i < r->nverdicts; i++)
		json_array_append_new(per, json_pack("{s:s,s:s,s:s}", "stack",
		    r->verdicts[i].stack, "decision", r->verdicts[i].verdict,
		    "why", r->verdicts[i].why));
	json_object_set_new(doc, "verdicts", per);
}

static int
label_bootstrap(json_t *doc, const pf_report *r)
{
	const char **tid = malloc(r->nstacks * sizeof(*tid));

	if (tid == NULL)
		return PF_ENOMEM;
	for (size_t k = 1; k < r->nstacks; k++)
		tid[k - 1] = r->stacks[k].id;
	json_object_set_new(doc, "label_bootstrap", pf_lboot_json(r->an.lboot,
	    r->nstacks - 1, tid, r->stacks[0].id, r->primary_name,
	    r->an.lboot_B));
	free(tid);
	return PF_OK;
}

int
pf_results_write_json(const pf_report *r, FILE *f, pf_err *err)
{
	json_t *doc = json_object(), *metrics = json_array(),
	    *qids = json_array(), *stacks = json_array();
	int rc = PF_OK;

	if (doc == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	json_object_set_new(doc, "schema", json_string(PF_RESULTS_SCHEMA));
	json_object_set_new(doc, "preflight", json_string(r->version));
	json_object_set_new(doc, "scenario", json_string(r->title));
	json_object_set_new(doc, "seed", json_integer((json_int_t)r->seed));
	json_object_set_new(doc, "threads", json_integer(r->threads));
	json_object_set_new(doc, "inputs", inputs_json(r));
	for (size_t v = 0; v < r->nmetrics; v++)
		json_array_append_new(metrics, json_string(r->metrics[v]));
	json_object_set_new(doc, "metrics", metrics);
	json_object_set_new(doc, "primary", json_string(r->primary_name));
	for (size_t q = 0; q < r->nq; q++)
		json_array_append_new(qids, json_string(r->qids[q]));
	json_object_set_new(doc, "queries", qids);
	json_object_set_new(doc, "judged_queries", json_integer((json_int_t)
	    r->njudged));
	for (size_t k = 0; k < r->nstacks; k++)
		json_array_append_new(stacks, stack_json(r, &r->stacks[k]));
	json_object_set_new(doc, "stacks", stacks);
	json_object_set_new(doc, "golden_quality", pf_golden_quality_json(
	    r->an.labelq, r->an.labelq_names, r->an.nannotators,
	    r->an.njudgments));
	if (r->an.validation != NULL)	/* a new reference: r keeps its own */
		json_object_set(doc, "validation", (json_t *)r->an.validation);
	if (r->an.features != NULL)
		json_object_set(doc, "features", (json_t *)r->an.features);
	if (r->an.lboot != NULL && label_bootstrap(doc, r) != PF_OK) {
		json_decref(doc);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	if (r->deltas != NULL)
		comparison_parts(doc, r);
	if (r->an.nimp > 0)
		json_object_set_new(doc, "importance",
		    pf_results_importance(r->an.imp, r->an.nimp));
	/* %.17g round-trips every double */
	if (json_dumpf(doc, f, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0 ||
	    fputc('\n', f) == EOF)
		rc = pf_err_set(err, PF_EIO, NULL, 0, "cannot write the JSON");
	json_decref(doc);
	return rc;
}

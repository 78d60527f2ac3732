/*
 * reports/diff_json.c — diff.json (reports/diff.h): one object, the parts
 * in the terminal's order; every number %.17g (it reads back to the bit),
 * a number that is not finite null, a side's missing value null.
 */
#include <math.h>
#include <stdio.h>

#include <jansson.h>

#include "reports/diff.h"

static const char *const status_name[] = {"same", "changed", "added",
    "removed"};
static const char *const family_name[] = {"confirmatory", "exploratory",
    "none"};

size_t
pf_diff_ninputs_changed(const pf_diff_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->ninputs; i++)
		n += r->inputs[i].status != PF_DIFF_SAME;
	return n;
}

static json_t *
num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
text(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
side(const pf_diff_runinfo *s)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "source",
	    text(s->source), "run", s->run > 0 ? json_integer(s->run) :
	    json_null(), "scenario", text(s->scenario), "time", text(s->time),
	    "preflight", text(s->version), "labels", text(s->labels),
	    "verdict", text(s->verdict), "seed", (json_int_t)s->seed,
	    "judged_queries", (json_int_t)s->nqueries);
}

static json_t *
file(const char *path, const char *sha)
{
	return path != NULL ? json_pack("{s:s,s:s}", "path", path, "sha256",
	    sha ? sha : "") : json_null();
}

static json_t *
inputs(const pf_diff_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->ninputs; i++) {
		const pf_diff_input *x = &r->inputs[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o}", "role",
		    x->role, "status", status_name[x->status & 3], "a",
		    file(x->path_a, x->sha_a), "b", file(x->path_b, x->sha_b)));
	}
	return a;
}

static json_t *
labels(const pf_diff_report *r)
{
	json_t *a;

	if (!r->labels_known)	/* before the array: nothing to free */
		return json_null();
	a = json_array();
	for (size_t i = 0; i < r->nlabels; i++)
		json_array_append_new(a, json_pack("{s:s,s:o,s:o}", "key",
		    r->labels[i].key, "a", text(r->labels[i].a), "b",
		    text(r->labels[i].b)));
	return a;
}

static json_t *
metrics(const pf_diff_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nmetrics; i++) {
		const pf_diff_metric *m = &r->metrics[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o,s:o,s:I,"
		    "s:I,s:I,s:o,s:[oo],s:o,s:o,s:I,s:I,s:I,s:b}", "stack",
		    m->stack, "metric", m->metric, "family",
		    family_name[m->family % 3], "mean_a", num(m->mean_a),
		    "mean_b", num(m->mean_b), "queries", (json_int_t)m->n,
		    "only_a", (json_int_t)m->only_a, "only_b",
		    (json_int_t)m->only_b, "delta", num(m->delta), "ci95",
		    num(m->lo), num(m->hi), "p_randomization", num(m->p),
		    "p_adjusted", num(m->p_adj), "wins", (json_int_t)m->wins,
		    "losses", (json_int_t)m->losses, "ties", (json_int_t)m->ties,
		    "changed", m->changed));
	}
	return a;
}

static json_t *
top(const char *const *t)
{
	json_t *a;

	if (t == NULL)
		return json_null();
	a = json_array();
	for (size_t i = 0; i < PF_DIFF_TOPK && t[i] != NULL; i++)
		json_array_append_new(a, json_string(t[i]));
	return a;
}

static json_t *
rank(double rr)
{
	return rr > 0 ? json_integer((json_int_t)floor(1.0 / rr + 0.5)) :
	    json_null();
}

static json_t *
movers(const pf_diff_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nmovers; i++) {
		const pf_diff_mover *m = &r->movers[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,"
		    "s:o,s:o}", "stack", m->stack, "qid", m->qid, "rr_a",
		    num(m->rr_a), "rr_b", num(m->rr_b), "rank_a", rank(m->rr_a),
		    "rank_b", rank(m->rr_b), "top10_a", top(m->top_a), "top10_b",
		    top(m->top_b)));
	}
	return json_pack("{s:s,s:o,s:o}", "metric", "recip_rank", "note",
	    text(r->movers_note), "queries", a);
}

static json_t *
flips(const pf_diff_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nflips; i++) {
		const pf_diff_flip *x = &r->flips[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}",
		    "name", x->name, "kind", x->kind ? x->kind : "gate",
		    "status_a", text(x->status_a), "status_b", text(x->status_b),
		    "message_a", text(x->message_a), "message_b",
		    text(x->message_b)));
	}
	return a;
}

static json_t *
sketch(const double *q)
{
	json_t *a = json_array();

	for (size_t k = 0; k < PF_DIFF_NQUANT; k++)
		json_array_append_new(a, num(q[k]));
	return a;
}

static json_t *
drift(const pf_diff_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->ndrift; i++) {
		const pf_diff_drift *d = &r->drift[i];
		json_array_append_new(a, json_pack("{s:s,s:I,s:s,s:o,s:o,s:o,"
		    "s:o,s:o,s:o,s:o,s:b,s:o,s:o}", "stack", d->stack, "feature",
		    (json_int_t)d->feature, "name", d->name, "psi", num(d->psi),
		    "missing_rate_a", num(d->miss_a), "missing_rate_b",
		    num(d->miss_b), "mean_a", num(d->mean_a), "mean_b",
		    num(d->mean_b), "count_a", num(d->count_a), "count_b",
		    num(d->count_b), "flagged", d->flagged, "quantiles_a",
		    sketch(d->q_a), "quantiles_b", sketch(d->q_b)));
	}
	return json_pack("{s:o,s:o}", "note", text(r->drift_note), "features",
	    a);
}

int
pf_diff_write_json(const pf_diff_report *r, FILE *f, pf_err *err)
{
	json_t *notes = json_array(), *doc;
	int rc = PF_OK;

	for (size_t i = 0; i < r->nnotes; i++)
		json_array_append_new(notes, json_string(r->notes[i]));
	doc = json_pack("{s:s,s:o,s:o,s:o,s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o,"
	    "s:o,s:o,s:o,s:o}", "schema", PF_DIFF_SCHEMA, "a", side(&r->a), "b",
	    side(&r->b), "generated", text(r->generated), "seed",
	    (json_int_t)r->seed, "bootstrap", (json_int_t)r->n_boot,
	    "permutations", (json_int_t)r->n_perm, "primary", text(r->primary),
	    "notes", notes, "inputs", inputs(r), "labels", labels(r),
	    "metrics", metrics(r), "movers", movers(r), "flips", flips(r),
	    "drift", drift(r), "method", text(r->method));
	if (doc == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if (json_dumpf(doc, f, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) != 0 ||
	    fputc('\n', f) == EOF)
		rc = pf_err_set(err, PF_EIO, NULL, 0, "cannot write diff.json");
	json_decref(doc);
	return rc;
}

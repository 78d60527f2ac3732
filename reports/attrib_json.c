/*
 * reports/attrib_json.c — the "attribution" object of results.json (see
 * reports/attrib.h and README "Stage attribution").
 */
#include <math.h>

#include <jansson.h>

#include "reports/attrib.h"

static json_t *
num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
ci(double lo, double hi)
{
	return json_pack("[oo]", num(lo), num(hi));
}

static json_t *
pair_json(const pf_attrib_pair *p)
{
	json_t *o = json_object(), *slots = json_array(), *pl = json_array(),
	    *co = json_array(), *in = json_array(), *ab = json_array();

	json_object_set_new(o, "control", json_string(p->control));
	json_object_set_new(o, "treatment", json_string(p->treatment));
	for (size_t j = 0; j < p->nslots; j++) {
		const pf_attrib_slot *s = &p->slots[j];
		json_array_append_new(slots, json_pack("{s:o,s:o,s:o}",
		    "control", s->ctl >= 0 ? json_string(s->control) :
		    json_null(), "treatment", s->trt >= 0 ?
		    json_string(s->treatment) : json_null(), "player",
		    s->player >= 0 ? json_integer(s->player) : json_null()));
	}
	json_object_set_new(o, "slots", slots);
	for (size_t i = 0; i < p->nplayers; i++) {
		const pf_attrib_player *x = &p->players[i];
		json_array_append_new(pl, json_pack("{s:s,s:I,s:o,s:o,s:o,s:o}",
		    "name", x->name, "slots", (json_int_t)x->nslots, "shapley",
		    num(x->phi), "ci95", ci(x->lo, x->hi), "swap_in",
		    num(x->swap_in), "leave_one_out", num(x->leave_out)));
		json_t *row = json_array();
		for (size_t j = 0; j < p->nplayers; j++)
			json_array_append_new(row, num(p->interaction[i *
			    p->nplayers + j]));
		json_array_append_new(in, row);
	}
	json_object_set_new(o, "players", pl);
	json_object_set_new(o, "interactions", in);
	for (size_t c = 0; c < ((size_t)1 << p->nplayers); c++)
		json_array_append_new(co, num(p->coalition[c]));
	json_object_set_new(o, "coalitions", co);
	json_object_set_new(o, "control_value", num(p->v_control));
	json_object_set_new(o, "treatment_value", num(p->v_treatment));
	json_object_set_new(o, "total_delta", num(p->delta));
	json_object_set_new(o, "total_ci95", ci(p->lo, p->hi));
	for (size_t i = 0; i < p->nabl; i++) {
		const pf_attrib_ablation *x = &p->abl[i];
		if (x->ok)
			json_array_append_new(ab, json_pack("{s:s,s:b,s:o,s:o,"
			    "s:o}", "what", x->what, "available", 1, "value",
			    num(x->value), "delta", num(x->delta), "ci95",
			    ci(x->lo, x->hi)));
		else
			json_array_append_new(ab, json_pack("{s:s,s:b,s:s}",
			    "what", x->what, "available", 0, "why", x->why));
	}
	json_object_set_new(o, "ablations", ab);
	json_object_set_new(o, "stage_runs_per_query", json_pack("{s:I,s:I}",
	    "with_prefix_sharing", (json_int_t)p->runs_cached,
	    "without", (json_int_t)p->runs_uncached));
	return o;
}

json_t *
pf_attrib_json(const pf_attrib *a)
{
	json_t *o = json_object(), *st = json_array();

	json_object_set_new(o, "metric", json_string(a->metric));
	json_object_set_new(o, "queries", json_integer((json_int_t)a->nq));
	json_object_set_new(o, "bootstrap", json_integer((json_int_t)
	    a->n_boot));
	json_object_set_new(o, "ci_level", num(1 - a->alpha));
	for (size_t i = 0; i < a->npairs; i++)
		json_array_append_new(st, pair_json(&a->pairs[i]));
	json_object_set_new(o, "stages", st);
	if (a->oracle != NULL) {
		json_t *or = json_array();
		for (size_t k = 0; k < a->noracle; k++) {
			const pf_attrib_oracle *z = &a->oracle[k];
			json_array_append_new(or, json_pack("{s:s,s:o,s:o,s:o,"
			    "s:o,s:o,s:o,s:o,s:o}", "stack", z->stack, "ideal",
			    num(z->ideal), "oracle", num(z->oracle), "actual",
			    num(z->actual), "retrieval_loss",
			    num(z->retrieval_loss), "ranking_loss",
			    num(z->ranking_loss), "total_loss",
			    num(z->total_loss), "recall_candidates",
			    num(z->recall_cand), "mean_candidates",
			    num(z->mean_cands)));
		}
		json_object_set_new(o, "oracle", or);
	}
	return o;
}

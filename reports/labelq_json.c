/*
 * reports/labelq_json.c — see labelq_json.h.
 */
#include <math.h>

#include "metrics/labelboot.h"
#include "reports/labelq_json.h"

static json_t *
real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
alpha_json(const pf_alpha *a)
{
	return json_pack("{s:o,s:o,s:o}", "alpha", real_or_null(a->alpha),
	    "d_o", real_or_null(a->d_o), "d_e", real_or_null(a->d_e));
}

json_t *
pf_labelq_json(const pf_labelq *q, const char *const *group_name)
{
	const pf_alpha *o = &q->ordinal;
	size_t worst[PF_LABELQ_WORST], nw;
	json_t *doc, *pq = json_array(), *wj = json_array();

	if (pq == NULL || wj == NULL) {
		json_decref(pq);
		json_decref(wj);
		return NULL;
	}
	for (size_t g = 0; g < q->ngroups; g++) {
		const pf_alpha_group *x = &q->group[g];
		if (x->n_pairable == 0)
			continue;
		json_array_append_new(pq, json_pack("{s:s,s:o,s:o,s:I,s:I}",
		    "qid", group_name[g], "alpha", real_or_null(x->alpha),
		    "alpha_local", real_or_null(x->alpha_local), "items",
		    (json_int_t)x->n_items, "items_pairable",
		    (json_int_t)x->n_pairable));
	}
	nw = pf_labelq_worst(q, worst, PF_LABELQ_WORST);
	for (size_t i = 0; i < nw; i++)
		json_array_append_new(wj, json_string(group_name[worst[i]]));
	doc = json_pack("{s:I,s:I,s:I,s:I,s:I,s:o,s:s,s:o,s:o,s:o,s:o,s:o}",
	    "ratings", (json_int_t)q->n_ratings,
	    "items", (json_int_t)o->n_items,
	    "items_pairable", (json_int_t)o->n_pairable,
	    "items_single", (json_int_t)o->n_single,
	    "max_raters_per_item", (json_int_t)q->max_raters,
	    "alpha_ordinal", real_or_null(o->alpha),
	    "reading", pf_alpha_reading(o->alpha),
	    "alpha_nominal", real_or_null(q->nominal.alpha),
	    "alpha_interval", real_or_null(q->interval.alpha),
	    "exact_agreement", real_or_null(o->n_pairs ? o->exact : NAN),
	    "within1_agreement", real_or_null(o->n_pairs ? o->within1 : NAN),
	    "detail", json_pack("{s:o,s:o,s:o}", "ordinal", alpha_json(o),
	    "nominal", alpha_json(&q->nominal), "interval",
	    alpha_json(&q->interval)));
	if (doc == NULL) {
		json_decref(pq);
		json_decref(wj);
		return NULL;
	}
	if (q->has_fleiss)
		json_object_set_new(doc, "fleiss_kappa", json_pack(
		    "{s:o,s:s,s:o,s:o,s:I,s:I,s:I}", "kappa",
		    real_or_null(q->fleiss.kappa), "band",
		    pf_kappa_band(q->fleiss.kappa), "p_bar",
		    real_or_null(q->fleiss.p_bar), "p_e",
		    real_or_null(q->fleiss.p_e), "items",
		    (json_int_t)q->fleiss.n_items, "raters_per_item",
		    (json_int_t)q->fleiss.n_raters, "categories",
		    (json_int_t)q->fleiss.n_cats));
	else
		json_object_set_new(doc, "fleiss_kappa", json_pack("{s:n,s:s}",
		    "kappa", "not_applicable", q->no_fleiss));
	json_object_set_new(doc, "per_query", pq);
	json_object_set_new(doc, "most_confusing", wj);
	return doc;
}

json_t *
pf_golden_quality_json(const pf_labelq *q, const char *const *group_name,
    size_t nannotators, size_t njudgments)
{
	json_t *a = q != NULL ? pf_labelq_json(q, group_name) : json_null();

	return json_pack("{s:I,s:I,s:o,s:s}", "annotators",
	    (json_int_t)nannotators, "judgments", (json_int_t)njudgments,
	    "agreement", a, "note", q != NULL ? "Krippendorff's alpha over "
	    "(query, document) pairs with two or more labels (grades >= 0)" :
	    "one label per (query, document) pair: no agreement information");
}

static json_t *
pair(double lo, double hi)
{
	return json_pack("[oo]", real_or_null(lo), real_or_null(hi));
}

json_t *
pf_lboot_json(const struct pf_lb_result *res, size_t nt,
    const char *const *treatment, const char *control, const char *metric,
    size_t B)
{
	json_t *a;

	if (res == NULL)
		return json_null();
	a = json_array();
	for (size_t k = 0; k < nt; k++) {
		const pf_lb_result *x = &res[k];
		json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,"
		    "s:o,s:I}", "treatment", treatment[k], "control", control,
		    "delta", real_or_null(x->delta), "ci95_queries",
		    pair(x->q_lo, x->q_hi), "ci95_labels", pair(x->l_lo,
		    x->l_hi), "ci95_nested", pair(x->n_lo, x->n_hi),
		    "sign_flip_rate", real_or_null(x->flip),
		    "queries_with_multiple_labels", (json_int_t)x->n_multi));
	}
	return json_pack("{s:s,s:I,s:s,s:o}", "metric", metric, "resamples",
	    (json_int_t)B, "method", "nested bootstrap: queries, then each "
	    "pair's labels among its annotators, re-aggregated; the same "
	    "label draw for every stack", "comparisons", a);
}

/*
 * reports/results_importance.c — the "importance" value of results.json
 * and the helpers every writer of importance.h shares.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/importance.h"

void
pf_rep_importance_free(pf_rep_importance *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; m->items != NULL && i < m->nitems; i++) {
		free(m->items[i].name);
		free(m->items[i].feat);
		for (size_t j = 0; m->items[i].fname != NULL &&
		    j < m->items[i].nfeat; j++)
			free(m->items[i].fname[j]);
		free(m->items[i].fname);
	}
	free(m->items);
	free(m->imp);
	free(m->stack);
	free(m->stage);
	free(m->metric);
	free(m->method);
	free(m);
}

double
pf_rep_importance_top_share(const pf_rep_importance *m, size_t *at)
{
	double best = 0.0;

	*at = 0;
	for (size_t t = 0; t < m->nitems; t++)
		if (m->items[t].share > best) {
			best = m->items[t].share;
			*at = t;
		}
	return best;
}

void
pf_rep_importance_order(const pf_rep_importance *m, size_t *ord)
{
	/* insertion sort: stable, and nitems is a few hundred at most */
	for (size_t i = 0; i < m->nitems; i++) {
		size_t j = i;
		while (j > 0 && m->items[ord[j - 1]].mean < m->items[i].mean) {
			ord[j] = ord[j - 1];
			j--;
		}
		ord[j] = i;
	}
}

static json_t *
num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
one_json(const pf_rep_importance *m)
{
	json_t *o = json_object(), *items = json_array(), *imps = json_array(),
	    *mean = json_array(), *sd = json_array(), *names = json_array();

	json_object_set_new(o, "stack", json_string(m->stack));
	json_object_set_new(o, "stage", json_integer((json_int_t)
	    m->stage_pos));
	json_object_set_new(o, "stage_name", json_string(m->stage));
	json_object_set_new(o, "metric", json_string(m->metric));
	json_object_set_new(o, "method", json_string(m->method));
	json_object_set_new(o, "scheme", json_string(strcmp(m->method,
	    "permute") == 0 ? "within-query (query-level features: "
	    "query-block)" : "replacement"));
	json_object_set_new(o, "n_repeats", json_integer((json_int_t)m->nrep));
	json_object_set_new(o, "queries", json_integer((json_int_t)m->nq));
	json_object_set_new(o, "n_boot", json_integer((json_int_t)m->n_boot));
	json_object_set_new(o, "baseline", num(m->baseline));
	for (size_t t = 0; t < m->nitems; t++) {
		const pf_rep_imp_item *it = &m->items[t];
		json_t *ids = json_array(), *row = json_array(),
		    *fn = json_array();
		for (size_t i = 0; i < it->nfeat; i++) {
			const char *n = it->fname ? it->fname[i] : NULL;
			json_array_append_new(ids, json_integer(it->feat[i]));
			json_array_append_new(fn, n ? json_string(n) :
			    json_null());
		}
		for (size_t r = 0; r < m->nrep; r++)
			json_array_append_new(row, num(m->imp[t * m->nrep + r]));
		json_array_append_new(names, json_string(it->name));
		json_array_append_new(imps, row);
		json_array_append_new(mean, num(it->mean));
		json_array_append_new(sd, num(it->std));
		json_array_append_new(items, json_pack("{s:s,s:o,s:b,s:b,s:o,"
		    "s:o,s:o,s:o,s:b,s:o}", "name", it->name, "features", ids,
		    "group", it->group, "query_level", it->query_level,
		    "mean", num(it->mean), "std", num(it->std), "ci95",
		    json_pack("[oo]", num(it->lo), num(it->hi)), "share",
		    num(it->share), "ci_contains_zero", !(it->lo > 0.0 ||
		    it->hi < 0.0), "feature_names", fn));
	}
	/* scikit-learn's permutation_importance names, item order */
	json_object_set_new(o, "names", names);
	json_object_set_new(o, "importances", imps);
	json_object_set_new(o, "importances_mean", mean);
	json_object_set_new(o, "importances_std", sd);
	json_object_set_new(o, "features", items);
	if (m->has_max_share) {
		size_t at;
		double top = pf_rep_importance_top_share(m, &at);
		json_object_set_new(o, "max_share", json_pack("{s:o,s:o,s:s,"
		    "s:b}", "limit", num(m->max_share), "top_share", num(top),
		    "top", m->nitems ? m->items[at].name : "", "pass",
		    top <= m->max_share));
	}
	return o;
}

json_t *
pf_results_importance(const pf_rep_importance *const *m, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, one_json(m[i]));
	return a;
}

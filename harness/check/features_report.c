/*
 * harness/check/features_report.c — the conformance check and the schema
 * evolution (features.h), printed for the terminal and as JSON.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "harness/check/features.h"

void
pf_fcheck_print(const pf_fcheck *c, FILE *f, int brief)
{
	fprintf(f, "feature schema: %s: %zu features\n", c->schema,
	    c->nschema);
	for (size_t i = 0; i < c->nfiles; i++)
		fprintf(f, "  %s\n", c->files[i]);
	fprintf(f, "  %zu rows, %zu queries, %zu features with a value\n",
	    c->nrows, c->nqueries, c->ndata);
	if (brief) {	/* validate's rule feature-schema lists examples */
		fputs("  rules:", f);
		for (int k = 0; k < PF_FCHECK_NRULES; k++)
			fprintf(f, " %s %zu%s", c->rule[k].id, c->rule[k].count,
			    k + 1 < PF_FCHECK_NRULES ? "," : "\n");
		return;
	}
	fputs("rules:\n", f);
	for (int k = 0; k < PF_FCHECK_NRULES; k++) {
		const pf_fcheck_rule *r = &c->rule[k];
		fprintf(f, "  %-7s %-13s %8zu  %s\n", r->count ? "FAIL" :
		    "pass", r->id, r->count, r->what);
		for (size_t e = 0; e < r->nex; e++)
			fprintf(f, "          %s\n", r->ex[e]);
		if (r->count > r->nex && r->nex > 0)
			fprintf(f, "          ... and %zu more\n",
			    r->count - r->nex);
	}
	fprintf(f, "result: %zu of %d rules failed\n", pf_fcheck_failed(c),
	    PF_FCHECK_NRULES);
}

json_t *
pf_fcheck_json(const pf_fcheck *c)
{
	json_t *doc = json_object(), *files = json_array(),
	    *rules = json_array();

	if (doc == NULL || files == NULL || rules == NULL) {
		json_decref(doc);
		json_decref(files);
		json_decref(rules);
		return NULL;
	}
	for (size_t i = 0; i < c->nfiles; i++)
		json_array_append_new(files, json_string(c->files[i]));
	for (int k = 0; k < PF_FCHECK_NRULES; k++) {
		const pf_fcheck_rule *r = &c->rule[k];
		json_t *ex = json_array();
		for (size_t e = 0; e < r->nex; e++)
			json_array_append_new(ex, json_string(r->ex[e]));
		json_array_append_new(rules, json_pack("{s:s,s:s,s:I,s:s,s:o}",
		    "id", r->id, "status", r->count ? "fail" : "pass", "count",
		    (json_int_t)r->count, "message", r->what, "examples", ex));
	}
	json_object_set_new(doc, "schema", json_string(
	    "preflight.features-check/1"));
	json_object_set_new(doc, "feature_schema", json_string(c->schema));
	json_object_set_new(doc, "files", files);
	json_object_set_new(doc, "counts", json_pack("{s:I,s:I,s:I,s:I}",
	    "rows", (json_int_t)c->nrows, "queries", (json_int_t)c->nqueries,
	    "schema_features", (json_int_t)c->nschema, "data_features",
	    (json_int_t)c->ndata));
	json_object_set_new(doc, "rules", rules);
	json_object_set_new(doc, "failed", json_integer((json_int_t)
	    pf_fcheck_failed(c)));
	return doc;
}

static const char *const kind_name[PF_FEV_NKINDS] = {"added", "removed",
	"retyped", "reranged"};

void
pf_fevolve_print(const pf_fevolve *e, FILE *f)
{
	fprintf(f, "feature schema: %s -> %s\n", e->old_path, e->new_path);
	for (int k = 0; k < PF_FEV_NKINDS; k++) {
		fprintf(f, "  %-9s %zu\n", kind_name[k], e->count[k]);
		for (size_t i = 0; i < e->nch; i++)
			if (e->ch[i].kind == k)
				fprintf(f, "            %s\n", e->ch[i].text);
	}
	if (!e->scenario)
		return;
	fprintf(f, "models reading a removed or retyped feature (%zu model%s "
	    "checked): %zu\n", e->nmodels, e->nmodels == 1 ? "" : "s",
	    e->nrd);
	for (size_t i = 0; i < e->nrd; i++)
		fprintf(f, "  stack %s: %s splits on feature %ld (%s) %zu "
		    "time%s\n", e->rd[i].stack, e->rd[i].model, e->rd[i].id,
		    kind_name[e->rd[i].kind], e->rd[i].nsplit,
		    e->rd[i].nsplit == 1 ? "" : "s");
}

json_t *
pf_fevolve_json(const pf_fevolve *e)
{
	json_t *doc = json_object(), *ch = json_array(), *rd = json_array();

	if (doc == NULL || ch == NULL || rd == NULL) {
		json_decref(doc);
		json_decref(ch);
		json_decref(rd);
		return NULL;
	}
	for (size_t i = 0; i < e->nch; i++)
		json_array_append_new(ch, json_pack("{s:s,s:I,s:s}", "kind",
		    kind_name[e->ch[i].kind], "id", (json_int_t)e->ch[i].id,
		    "message", e->ch[i].text));
	for (size_t i = 0; i < e->nrd; i++)
		json_array_append_new(rd, json_pack("{s:s,s:s,s:I,s:s,s:I}",
		    "stack", e->rd[i].stack, "model", e->rd[i].model, "id",
		    (json_int_t)e->rd[i].id, "kind", kind_name[e->rd[i].kind],
		    "splits", (json_int_t)e->rd[i].nsplit));
	json_object_set_new(doc, "schema", json_string(
	    "preflight.features-evolution/1"));
	json_object_set_new(doc, "old", json_string(e->old_path));
	json_object_set_new(doc, "new", json_string(e->new_path));
	json_object_set_new(doc, "counts", json_pack("{s:I,s:I,s:I,s:I}",
	    "added", (json_int_t)e->count[PF_FEV_ADDED], "removed",
	    (json_int_t)e->count[PF_FEV_REMOVED], "retyped",
	    (json_int_t)e->count[PF_FEV_RETYPED], "reranged",
	    (json_int_t)e->count[PF_FEV_RERANGED]));
	json_object_set_new(doc, "changes", ch);
	json_object_set_new(doc, "models", e->scenario ? rd : json_null());
	if (!e->scenario)
		json_decref(rd);
	return doc;
}

void
pf_fcheck_diags(const pf_fcheck *c, pf_diags *d)
{
	for (int k = 0; k < PF_FCHECK_NRULES; k++) {
		const pf_fcheck_rule *r = &c->rule[k];
		for (size_t e = 0; e < r->nex; e++)
			pf_diags_add(d, NULL, 0, "%s (feature schema %s, rule "
			    "%s: %zu in all)", r->ex[e], c->schema, r->id,
			    r->count);
	}
}

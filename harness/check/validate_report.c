/*
 * harness/check/validate_report.c — `preflight validate`'s summary, printed and as JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/util/fileio.h"
#include "harness/util/jsonfile.h"
#include "harness/load/golden.h"
#include "harness/util/strtab.h"
#include "harness/check/validate_rules.h"
#include "harness/check/features.h"
#include "reports/labelq_json.h"

#define PRINT_ROWS	20	/* annotators, dimension values printed */

static const char *const status_name[] = {"pass", "FAIL", "skipped"};

/*
 * The values of dimension k: ids in *t, counts, and the empty ones. On
 * failure (-1, out of memory) nothing is left to free.
 */
static int
dim_values(const pf_golden *g, size_t k, pf_strtab **t, size_t **cnt,
    size_t *missing)
{
	*missing = 0;
	*cnt = NULL;
	if ((*t = pf_strtab_new()) == NULL ||
	    (*cnt = calloc(g->nq + 1, sizeof(size_t))) == NULL)
		goto nomem;
	for (size_t i = 0; i < g->nq; i++) {
		const char *s = g->dim[i * g->ndims + k];
		if (s[0] == '\0') {
			(*missing)++;
			continue;
		}
		long id = pf_strtab_intern(*t, s, strlen(s));
		if (id < 0)
			goto nomem;
		(*cnt)[id]++;
	}
	return 0;
nomem:
	pf_strtab_free(*t);
	free(*cnt);
	*t = NULL;
	*cnt = NULL;
	return -1;
}

static void
print_files(const pf_validation *v, FILE *f)
{
	const pf_scenario *s = v->s;
	size_t na = pf_strtab_count(v->ta);

	fprintf(f, "golden set: %s\n", v->target);
	if (s->queries != NULL && v->g != NULL)
		fprintf(f, "  %s: %zu queries, %zu dimension%s\n", s->queries,
		    v->g->nq, v->g->ndims, v->g->ndims == 1 ? "" : "s");
	if (s->docs != NULL && v->g != NULL)
		fprintf(f, "  %s: %zu documents\n", s->docs, v->g->corpus.n);
	fprintf(f, "  %s: %zu judgments, %zu queries, %zu (query, document) "
	    "items, %zu annotator%s\n", s->qrels ? s->qrels : s->labels,
	    v->nj, pf_strtab_count(v->tq), v->nitems, na, na == 1 ? "" : "s");
	fputs("grades per annotator:\n  annotator", f);
	for (size_t k = 0; k < v->ngrades; k++)
		fprintf(f, " %7d", (int)v->grades[k]);
	fputc('\n', f);
	for (size_t a = 0; a < na && a < PRINT_ROWS; a++) {
		fprintf(f, "  %-9.40s", pf_strtab_str(v->ta, a));
		for (size_t k = 0; k < v->ngrades; k++)
			fprintf(f, " %7zu", v->gcount[a * v->ngrades + k]);
		fputc('\n', f);
	}
	if (na > PRINT_ROWS)
		fprintf(f, "  ... %zu more annotators (see --json)\n",
		    na - PRINT_ROWS);
}

static void
print_agreement(const pf_validation *v, FILE *f)
{
	const pf_labelq *q = &v->lq;
	size_t worst[10], nw;

	if (!v->has_lq || q->ordinal.n_pairable == 0) {
		fputs("agreement: one label per item, no agreement "
		    "information\n", f);
		return;
	}
	fprintf(f, "agreement: Krippendorff's alpha ordinal %.3f (%s), "
	    "nominal %.3f, interval %.3f\n", q->ordinal.alpha,
	    pf_alpha_reading(q->ordinal.alpha), q->nominal.alpha,
	    q->interval.alpha);
	if (q->has_fleiss)
		fprintf(f, "  Fleiss' kappa %.3f (%s), %zu raters per item\n",
		    q->fleiss.kappa, pf_kappa_band(q->fleiss.kappa),
		    q->fleiss.n_raters);
	else
		fprintf(f, "  Fleiss' kappa not applicable: %s\n",
		    q->no_fleiss);
	fprintf(f, "  %zu items with two or more labels, %zu with one; exact "
	    "agreement %.1f%%, within one grade %.1f%%\n",
	    q->ordinal.n_pairable, q->ordinal.n_single, 100 * q->ordinal.exact,
	    100 * q->ordinal.within1);
	nw = pf_labelq_worst(q, worst, 5);
	if (nw > 0) {
		fputs("  most confusing queries (per-query alpha):", f);
		for (size_t i = 0; i < nw; i++)
			fprintf(f, "%s %s %.3f", i ? "," : "",
			    pf_strtab_str(v->tq, worst[i]),
			    q->group[worst[i]].alpha);
		fputc('\n', f);
	}
}

static int
print_dims(const pf_validation *v, FILE *f)
{
	for (size_t k = 0; v->g != NULL && k < v->g->ndims; k++) {
		pf_strtab *t;
		size_t *cnt, miss;
		if (dim_values(v->g, k, &t, &cnt, &miss) != 0)
			return -1;
		size_t nv = pf_strtab_count(t);
		fprintf(f, "dimension %s: %zu value%s, %zu missing:",
		    v->g->dim_name[k], nv, nv == 1 ? "" : "s", miss);
		for (size_t i = 0; i < nv && i < PRINT_ROWS; i++)
			fprintf(f, "%s %s %zu", i ? "," : "",
			    pf_strtab_str(t, i), cnt[i]);
		if (nv > PRINT_ROWS)
			fprintf(f, ", ... %zu more", nv - PRINT_ROWS);
		fputc('\n', f);
		pf_strtab_free(t);
		free(cnt);
	}
	return 0;
}

void
pf_validation_print(const pf_validation *v, FILE *f)
{
	print_files(v, f);
	print_agreement(v, f);
	if (print_dims(v, f) != 0)
		fputs("dimensions: out of memory\n", f);
	if (v->fcheck != NULL)
		pf_fcheck_print(v->fcheck, f, 1);
	fputs("rules:\n", f);
	for (size_t i = 0; i < v->nrules; i++) {
		const vrule *r = &v->rules[i];
		fprintf(f, "  %-7s %-25s %s\n", status_name[r->status], r->id,
		    r->msg);
		for (size_t e = 0; e < r->nex; e++)
			fprintf(f, "          %s\n", r->ex[e]);
		if (r->status == VR_FAIL && r->count > r->nex &&
		    r->nex == VR_EXAMPLES)
			fprintf(f, "          ... and more (see --json)\n");
	}
	for (size_t i = 0; i < v->nnotes; i++)
		fprintf(f, "note: %s\n", v->notes[i]);
	fprintf(f, "result: %zu of %zu rules failed\n",
	    pf_validation_failed(v), v->nrules);
}

static json_t *
dims_json(const pf_validation *v)
{
	json_t *a = json_array();

	for (size_t k = 0; v->g != NULL && k < v->g->ndims; k++) {
		pf_strtab *t;
		size_t *cnt, miss;
		if (dim_values(v->g, k, &t, &cnt, &miss) != 0) {
			json_decref(a);
			return NULL;
		}
		json_t *vals = json_object();
		for (size_t i = 0; i < pf_strtab_count(t); i++)
			json_object_set_new(vals, pf_strtab_str(t, i),
			    json_integer((json_int_t)cnt[i]));
		json_array_append_new(a, json_pack("{s:s,s:o,s:I}", "name",
		    v->g->dim_name[k], "values", vals, "missing",
		    (json_int_t)miss));
		pf_strtab_free(t);
		free(cnt);
	}
	return a;
}

json_t *
pf_validation_json(const pf_validation *v)
{
	json_t *doc = json_object(), *rules = json_array(),
	    *grades = json_array(), *notes = json_array(), *files;
	const pf_scenario *s = v->s;
	static const char *const st[] = {"pass", "fail", "skipped"};
	const char **qn = NULL;

	files = json_pack("{s:o,s:o,s:o,s:o}",
	    "queries", s->queries ? json_string(s->queries) : json_null(),
	    "docs", s->docs ? json_string(s->docs) : json_null(),
	    "qrels", json_string(s->qrels ? s->qrels : s->labels),
	    "expectations", s->expectations ? json_string(s->expectations) :
	    json_null());
	json_object_set_new(doc, "schema", json_string(
	    "preflight.validate/1"));
	json_object_set_new(doc, "target", json_string(v->target));
	json_object_set_new(doc, "files", files);
	json_object_set_new(doc, "counts", json_pack("{s:I,s:I,s:I,s:I,s:I,"
	    "s:I,s:I,s:I}", "queries", (json_int_t)v->nqueries,
	    "documents", (json_int_t)(v->g ? v->g->corpus.n : 0),
	    "judgments", (json_int_t)v->nj,
	    "judged_queries", (json_int_t)pf_strtab_count(v->tq),
	    "items", (json_int_t)v->nitems,
	    "annotators", (json_int_t)pf_strtab_count(v->ta),
	    "negative_grades", (json_int_t)v->nneg,
	    "queries_without_relevant", (json_int_t)v->nnorel));
	for (size_t a = 0; a < pf_strtab_count(v->ta); a++) {
		json_t *c = json_object();
		for (size_t k = 0; k < v->ngrades; k++) {
			char g[16];
			snprintf(g, sizeof(g), "%d", (int)v->grades[k]);
			json_object_set_new(c, g, json_integer((json_int_t)
			    v->gcount[a * v->ngrades + k]));
		}
		json_array_append_new(grades, json_pack("{s:s,s:o}",
		    "annotator", pf_strtab_str(v->ta, a), "grades", c));
	}
	json_object_set_new(doc, "grades_per_annotator", grades);
	if (v->has_lq && v->lq.ordinal.n_pairable > 0) {
		size_t nt = pf_strtab_count(v->tq);
		if ((qn = malloc((nt ? nt : 1) * sizeof(*qn))) == NULL) {
			json_decref(doc);
			return NULL;
		}
		for (size_t t = 0; t < nt; t++)
			qn[t] = pf_strtab_str(v->tq, t);
		json_object_set_new(doc, "agreement", pf_labelq_json(&v->lq,
		    qn));
		free(qn);
	} else {
		json_object_set_new(doc, "agreement", json_null());
	}
	json_object_set_new(doc, "dimensions", dims_json(v));
	for (size_t i = 0; i < v->nrules; i++) {
		const vrule *r = &v->rules[i];
		json_t *ex = json_array();
		for (size_t e = 0; e < r->nex; e++)
			json_array_append_new(ex, json_string(r->ex[e]));
		json_array_append_new(rules, json_pack("{s:s,s:s,s:I,s:s,s:o}",
		    "id", r->id, "status", st[r->status], "count",
		    (json_int_t)r->count, "message", r->msg, "examples", ex));
	}
	json_object_set_new(doc, "rules", rules);
	for (size_t i = 0; i < v->nnotes; i++)
		json_array_append_new(notes, json_string(v->notes[i]));
	json_object_set_new(doc, "notes", notes);
	json_object_set_new(doc, "failed", json_integer((json_int_t)
	    pf_validation_failed(v)));
	return doc;
}

int
pf_validation_write_json(const pf_validation *v, const char *path,
    pf_err *err)
{
	return pf_json_write_file(pf_validation_json(v), path, err);
}

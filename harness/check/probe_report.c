/*
 * harness/check/probe_report.c — the two faces of a probe report
 * (harness/check/probe.h): a human summary for the terminal and a JSON document
 * (jansson) for tools, written to a temporary name and renamed. Both list
 * findings in feature order, then probe order, so they are the same bytes
 * for any thread count. Human numbers are %.6g; JSON numbers round-trip
 * (%.17g); a non-finite number is written as the string "nan", "inf" or
 * "-inf" (JSON has no such numbers). Features are shown and written by
 * file feature id (column j + first), with their names where known.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "harness/util/fileio.h"
#include "harness/util/jsonfile.h"
#include "harness/check/probe.h"

static const char *
nonfinite_name(double v)
{
	return isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";
}

/* The list of problems, for the last line and the JSON. */
static size_t
problems(const pf_probe_report *r, int strict, const char *out[4])
{
	size_t n = 0, nm = 0;

	for (size_t k = 0; k < r->nmono; k++)
		nm += r->mono[k].nsteps_bad > 0;
	if (r->nbad > 0)
		out[n++] = "non-finite scores";
	if (nm > 0)
		out[n++] = "monotone violations";
	if (r->nlive_unsplit > 0)
		out[n++] = "features never split on change the score";
	if (strict && r->ndead > 0)
		out[n++] = "dead features (--strict)";
	return n;
}

/* -1 splits unknown (a plugin), 0 never split on, 1 split on. */
static int
split_class(const pf_probe_feat *f)
{
	return f->nsplit == SIZE_MAX ? -1 : f->nsplit > 0;
}

/* The dead features of split class want, wrapped at 78 columns. */
static void
print_feature_list(FILE *f, const pf_probe_report *r, int want)
{
	size_t col = 4;

	fputs("   ", f);
	for (size_t j = 0; j < r->nfeat; j++) {
		const pf_probe_feat *ft = &r->feat[j];
		if (!ft->dead || split_class(ft) != want)
			continue;
		char name[320], lb[300];
		int len = snprintf(name, sizeof(name), " %s",
		    pf_probe_label(r, j, lb, sizeof(lb)));
		if (col + (size_t)len > 78) {
			fputs("\n   ", f);
			col = 4;
		}
		fputs(name, f);
		col += (size_t)len;
	}
	fputc('\n', f);
}

void
pf_probe_print(FILE *f, const pf_probe_report *r, int strict)
{
	const char *pr[4];
	size_t np = problems(r, strict, pr), nunk = 0;

	fprintf(f, "probe %s: %s model, %zu features\n", r->model, r->kind,
	    r->nfeat);
	if (r->reference != NULL)
		fprintf(f, "reference: %zu of %zu rows of %s (seed %llu); "
		    "ranges observed there\n", r->nrows, r->nrows_avail,
		    r->reference, (unsigned long long)r->seed);
	else
		fprintf(f, "reference: %zu rows synthesised from the model's "
		    "split thresholds (seed %llu); ranges derived from "
		    "them\n", r->nrows, (unsigned long long)r->seed);
	fputs("probes per feature:", f);
	for (int k = 0; k < PF_PROBE_NKINDS; k++)
		fprintf(f, " %s", pf_probe_kind_name(k));
	fputc('\n', f);

	fprintf(f, "non-finite scores: %zu finding%s\n", r->nbad,
	    r->nbad == 1 ? "" : "s");
	for (size_t i = 0; i < r->nbad; i++) {
		const pf_probe_bad *b = &r->bad[i];
		char lb[300];
		if (b->kind == PF_PROBE_REFERENCE)
			fprintf(f, "  the reference rows themselves: %s on %zu "
			    "row%s, first %s\n", nonfinite_name(b->score),
			    b->nrows, b->nrows == 1 ? "" : "s",
			    r->rowname[b->row]);
		else
			fprintf(f, "  %s = %s (%.6g): %s on %zu row%s, first "
			    "%s\n", pf_probe_label(r, b->feat, lb, sizeof(lb)),
			    pf_probe_kind_name(b->kind),
			    b->value, nonfinite_name(b->score), b->nrows,
			    b->nrows == 1 ? "" : "s", r->rowname[b->row]);
	}
	for (size_t j = 0; j < r->nfeat; j++)
		nunk += r->feat[j].dead && r->feat[j].nsplit == SIZE_MAX;
	fprintf(f, "dead features (no probe changes any score): %zu", r->ndead);
	if (nunk > 0) {
		fputs(" (a plugin: splits unknown)\n", f);
	} else {
		fprintf(f, " (%zu never split on, %zu split on but no effect "
		    "on these rows)\n", r->ndead - r->ndead_split,
		    r->ndead_split);
		if (r->ndead > r->ndead_split) {
			fputs("  never split on:\n", f);
			print_feature_list(f, r, 0);
		}
	}
	if (r->ndead_split > 0 || nunk > 0) {
		fputs(nunk > 0 ? "  dead:\n" : "  split on but no effect on "
		    "these rows:\n", f);
		print_feature_list(f, r, nunk > 0 ? -1 : 1);
	}
	if (r->nlive_unsplit > 0) {
		fprintf(f, "features never split on that change the score (a "
		    "scorer bug): %zu\n ", r->nlive_unsplit);
		for (size_t j = 0; j < r->nfeat; j++)
			if (!r->feat[j].dead && r->feat[j].nsplit == 0) {
				char lb[300];
				fprintf(f, " %s", pf_probe_label(r, j, lb,
				    sizeof(lb)));
			}
		fputc('\n', f);
	}
	for (size_t k = 0; k < r->nmono; k++) {
		const pf_probe_monores *m = &r->mono[k];
		char lb[300];
		pf_probe_label(r, m->feat, lb, sizeof(lb));
		fprintf(f, "monotone %s %s (%s): ", lb, m->dir > 0 ?
		    "increasing" : "decreasing", m->origin);
		if (m->nsteps_bad == 0) {
			fprintf(f, "holds on %zu rows over %zu grid points\n",
			    r->nrows, m->npoints);
			continue;
		}
		fprintf(f, "%zu of %zu rows violate it (%zu steps over %zu "
		    "grid points); worst: %s, %s %.6g -> %.6g moves the "
		    "score %.6g the wrong way\n", m->nrows_bad, r->nrows,
		    m->nsteps_bad, m->npoints, r->rowname[m->worst_row],
		    lb, m->worst_from, m->worst_to, m->worst_amount);
	}
	if (np == 0) {
		fprintf(f, "result: %s\n", r->ndead > 0 ? "ok, with warnings "
		    "(dead features)" : "ok");
		return;
	}
	fputs("result: PROBLEM:", f);
	for (size_t i = 0; i < np; i++)
		fprintf(f, "%s %s", i ? "," : "", pr[i]);
	fputc('\n', f);
}

/* A number, or "nan" / "inf" / "-inf". */
static json_t *
jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_string(nonfinite_name(v));
}

/* Column j's name, or null. */
static json_t *
fname(const pf_probe_report *r, size_t j)
{
	return r->fname != NULL && r->fname[j] != NULL ?
	    json_string(r->fname[j]) : json_null();
}

static json_t *
dead_list(const pf_probe_report *r, int want)
{
	json_t *a = json_array();

	for (size_t j = 0; j < r->nfeat; j++) {
		const pf_probe_feat *f = &r->feat[j];
		if (want == 2 ? (!f->dead && f->nsplit == 0) :
		    (f->dead && split_class(f) == want))
			json_array_append_new(a, json_integer((json_int_t)j +
			    r->first));
	}
	return a;
}

static json_t *
report_json(const pf_probe_report *r, int strict)
{
	json_t *doc = json_object(), *a, *o;
	const char *pr[4];
	size_t np = problems(r, strict, pr);

	json_object_set_new(doc, "probe_version", json_integer(1));
	json_object_set_new(doc, "model", json_string(r->model));
	json_object_set_new(doc, "kind", json_string(r->kind));
	json_object_set_new(doc, "features", json_integer((json_int_t)
	    r->nfeat));
	json_object_set_new(doc, "first_feature", json_integer((json_int_t)
	    r->first));
	o = json_object();
	json_object_set_new(o, "source", json_string(r->reference ? "file" :
	    "split thresholds"));
	json_object_set_new(o, "file", r->reference ?
	    json_string(r->reference) : json_null());
	json_object_set_new(o, "rows", json_integer((json_int_t)r->nrows));
	json_object_set_new(o, "rows_in_file", json_integer((json_int_t)
	    r->nrows_avail));
	json_object_set_new(o, "seed", json_integer((json_int_t)r->seed));
	json_object_set_new(doc, "reference", o);
	a = json_array();
	for (int k = 0; k < PF_PROBE_NKINDS; k++)
		json_array_append_new(a, json_string(pf_probe_kind_name(k)));
	json_object_set_new(doc, "probes", a);

	a = json_array();
	for (size_t i = 0; i < r->nbad; i++) {
		const pf_probe_bad *b = &r->bad[i];
		int ref = b->kind == PF_PROBE_REFERENCE;
		o = json_object();
		json_object_set_new(o, "feature", ref ? json_null() :
		    json_integer((json_int_t)b->feat + r->first));
		json_object_set_new(o, "name", ref ? json_null() :
		    fname(r, b->feat));
		json_object_set_new(o, "probe", json_string(
		    pf_probe_kind_name(b->kind)));
		json_object_set_new(o, "value", ref ? json_null() :
		    jnum(b->value));
		json_object_set_new(o, "rows", json_integer((json_int_t)
		    b->nrows));
		json_object_set_new(o, "first_row", json_string(
		    r->rowname[b->row]));
		json_object_set_new(o, "score", jnum(b->score));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "nonfinite", a);

	o = json_object();
	json_object_set_new(o, "count", json_integer((json_int_t)r->ndead));
	json_object_set_new(o, "never_split", dead_list(r, 0));
	json_object_set_new(o, "split_no_effect", dead_list(r, 1));
	json_object_set_new(o, "splits_unknown", dead_list(r, -1));
	json_object_set_new(doc, "dead_features", o);
	json_object_set_new(doc, "live_never_split", dead_list(r, 2));

	a = json_array();
	for (size_t k = 0; k < r->nmono; k++) {
		const pf_probe_monores *m = &r->mono[k];
		o = json_object();
		json_object_set_new(o, "feature", json_integer((json_int_t)
		    m->feat + r->first));
		json_object_set_new(o, "name", fname(r, m->feat));
		json_object_set_new(o, "direction", json_string(m->dir > 0 ?
		    "increasing" : "decreasing"));
		json_object_set_new(o, "declared_in", json_string(m->origin));
		json_object_set_new(o, "grid_points", json_integer(
		    (json_int_t)m->npoints));
		json_object_set_new(o, "rows", json_integer((json_int_t)
		    r->nrows));
		json_object_set_new(o, "violating_rows", json_integer(
		    (json_int_t)m->nrows_bad));
		json_object_set_new(o, "violating_steps", json_integer(
		    (json_int_t)m->nsteps_bad));
		if (m->nsteps_bad > 0) {
			json_t *w = json_object();
			json_object_set_new(w, "row", json_string(
			    r->rowname[m->worst_row]));
			json_object_set_new(w, "from", jnum(m->worst_from));
			json_object_set_new(w, "to", jnum(m->worst_to));
			json_object_set_new(w, "amount", jnum(m->worst_amount));
			json_object_set_new(o, "worst", w);
		}
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "monotone", a);

	a = json_array();
	for (size_t j = 0; j < r->nfeat; j++) {
		const pf_probe_feat *f = &r->feat[j];
		o = json_object();
		json_object_set_new(o, "feature", json_integer((json_int_t)j +
		    r->first));
		json_object_set_new(o, "name", fname(r, j));
		json_object_set_new(o, "min", jnum(f->lo));
		json_object_set_new(o, "median", jnum(f->med));
		json_object_set_new(o, "max", jnum(f->hi));
		json_object_set_new(o, "splits", f->nsplit == SIZE_MAX ?
		    json_null() : json_integer((json_int_t)f->nsplit));
		json_object_set_new(o, "changed", json_integer((json_int_t)
		    f->nchanged));
		json_object_set_new(o, "dead", json_boolean(f->dead));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "per_feature", a);

	a = json_array();
	for (size_t i = 0; i < np; i++)
		json_array_append_new(a, json_string(pr[i]));
	json_object_set_new(doc, "problems", a);
	json_object_set_new(doc, "status", json_string(np > 0 ? "problem" :
	    r->ndead > 0 ? "warning" : "ok"));
	return doc;
}

int
pf_probe_write_json(const pf_probe_report *r, const char *path, int strict,
    pf_err *err)
{
	return pf_json_write_file(report_json(r, strict), path, err);
}

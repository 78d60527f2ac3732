/*
 * reports/html_golden.c — the report's "Golden set" section: who labelled
 * the golden set and how far their labels agree (METHODS.md §6.1), with the
 * queries whose annotators disagree most, so a reader knows how much to
 * trust the metrics built on them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "metrics/labelboot.h"
#include "metrics/labelq.h"
#include "reports/html.h"
#include "reports/labelq_json.h"
#include "reports/svg.h"

#define T(s)	pf_xml_text(f, (s))

static void
val(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.3f", v);
	else
		fputs("n/a", f);
}

static void
agreement_table(FILE *f, const pf_labelq *q)
{
	fputs("<table><tr><th scope=\"col\">statistic</th><th scope=\"col\">"
	    "value</th><th scope=\"col\">reading</th></tr>\n"
	    "<tr><th scope=\"row\">Krippendorff's &#945; (ordinal, primary)"
	    "</th><td>", f);
	val(f, q->ordinal.alpha);
	fprintf(f, "</td><td class=\"l\">%s</td></tr>\n",
	    pf_alpha_reading(q->ordinal.alpha));
	fputs("<tr><th scope=\"row\">&#945; nominal</th><td>", f);
	val(f, q->nominal.alpha);
	fputs("</td><td class=\"l\">grade order ignored</td></tr>\n"
	    "<tr><th scope=\"row\">&#945; interval</th><td>", f);
	val(f, q->interval.alpha);
	fputs("</td><td class=\"l\">grades as numbers</td></tr>\n"
	    "<tr><th scope=\"row\">Fleiss' &#954;</th><td>", f);
	if (q->has_fleiss) {
		val(f, q->fleiss.kappa);
		fprintf(f, "</td><td class=\"l\">%s (Landis &amp; Koch), %zu "
		    "raters per pair</td></tr>\n",
		    pf_kappa_band(q->fleiss.kappa), q->fleiss.n_raters);
	} else {
		fputs("n/a</td><td class=\"l\">", f);
		T(q->no_fleiss);
		fputs("</td></tr>\n", f);
	}
	fputs("<tr><th scope=\"row\">exact agreement</th><td>", f);
	val(f, q->ordinal.exact);
	fputs("</td><td class=\"l\">share of label pairs on one pair "
	    "that are equal</td></tr>\n<tr><th scope=\"row\">within one "
	    "grade</th><td>", f);
	val(f, q->ordinal.within1);
	fputs("</td><td class=\"l\"></td></tr>\n</table>\n", f);
}

static void
confusing(FILE *f, const pf_labelq *q, const char *const *names)
{
	size_t worst[PF_LABELQ_WORST], nw;

	nw = pf_labelq_worst(q, worst, PF_LABELQ_WORST);
	if (nw == 0)
		return;
	fputs("<details open=\"open\"><summary>Most confusing queries "
	    "(lowest per-query &#945;: the query's disagreement against the "
	    "whole set's expected disagreement)</summary>\n<table><tr><th "
	    "scope=\"col\">query</th><th scope=\"col\">&#945;</th><th "
	    "scope=\"col\">&#945; on its own</th><th scope=\"col\">pairs with "
	    "2+ labels</th></tr>\n", f);
	for (size_t i = 0; i < nw; i++) {
		const pf_alpha_group *g = &q->group[worst[i]];
		fputs("<tr><th scope=\"row\">", f);
		T(names[worst[i]]);
		fputs("</th><td>", f);
		val(f, g->alpha);
		fputs("</td><td>", f);
		val(f, g->alpha_local);
		fprintf(f, "</td><td>%zu</td></tr>\n", g->n_pairable);
	}
	fputs("</table></details>\n", f);
}

static void
ci(FILE *f, double lo, double hi)
{
	if (isfinite(lo) && isfinite(hi))
		fprintf(f, "[%+.4f, %+.4f]", lo, hi);
	else
		fputs("n/a", f);
}

/* The nested bootstrap: how much the labels add to the uncertainty. */
static void
label_uncertainty(FILE *f, const pf_report *r)
{
	fputs("<h3 id=\"label-uncertainty\">Label uncertainty</h3>\n<p>Nested "
	    "bootstrap of ", f);
	T(r->metrics[r->primary]);
	fprintf(f, " (%zu resamples): queries are resampled, then every "
	    "(query, document) pair's labels among its annotators, "
	    "re-aggregated, with the same label draw for both stacks. "
	    "&#8220;Both&#8221; is the honest interval when "
	    "annotators disagree.</p>\n<table><tr><th scope=\"col\">"
	    "treatment</th><th scope=\"col\">&#916;</th><th scope=\"col\">"
	    "95%% CI (queries)</th><th scope=\"col\">95%% CI (labels)</th>"
	    "<th scope=\"col\">95%% CI (both)</th><th scope=\"col\">sign "
	    "flips (labels)</th><th scope=\"col\">queries with 2+ labels on "
	    "a pair</th></tr>\n", r->an.lboot_B);
	for (size_t k = 1; k < r->nstacks; k++) {
		const pf_lb_result *x = &r->an.lboot[k - 1];
		fputs("<tr><th scope=\"row\">", f);
		T(r->stacks[k].id);
		fprintf(f, "</th><td>%+.4f</td><td>", x->delta);
		ci(f, x->q_lo, x->q_hi);
		fputs("</td><td>", f);
		ci(f, x->l_lo, x->l_hi);
		fputs("</td><td>", f);
		ci(f, x->n_lo, x->n_hi);
		fprintf(f, "</td><td>%.1f%%</td><td>%zu</td></tr>\n",
		    100 * x->flip, x->n_multi);
	}
	fputs("</table>\n", f);
}

/* `preflight validate`'s rules on the same golden set, one row each. */
static void
checks(FILE *f, const pf_report *r)
{
	json_t *rules = r->an.validation ? json_object_get(r->an.validation,
	    "rules") : NULL, *x;
	size_t i;

	if (!json_is_array(rules))
		return;
	fputs("<h3>Checks</h3>\n<p>The rules of <code>preflight "
	    "validate</code> (README) on this golden set; a failed rule is "
	    "reported here, it is not a gate.</p>\n<table><tr><th>rule</th>"
	    "<th>status</th><th>count</th><th class=\"l\">what</th></tr>\n",
	    f);
	json_array_foreach(rules, i, x) {
		const char *st = json_string_value(json_object_get(x,
		    "status"));
		fputs("<tr><td>", f);
		pf_xml_text(f, json_string_value(json_object_get(x, "id")));
		fprintf(f, "</td><td class=\"%s\">", st != NULL &&
		    strcmp(st, "fail") == 0 ? "loss" : "");
		pf_xml_text(f, st);
		fprintf(f, "</td><td>%lld</td><td class=\"l\">", (long long)
		    json_integer_value(json_object_get(x, "count")));
		pf_xml_text(f, json_string_value(json_object_get(x,
		    "message")));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

void
pf_html_golden(FILE *f, const pf_report *r)
{
	const pf_labelq *q = r->an.labelq;

	fputs("<section id=\"golden\"><h2>Golden set</h2>\n<p>", f);
	fprintf(f, "%zu judgment%s by %zu annotator%s. ", r->an.njudgments,
	    r->an.njudgments == 1 ? "" : "s", r->an.nannotators,
	    r->an.nannotators == 1 ? "" : "s");
	if (q == NULL) {
		fputs("Every (query, document) pair has one label, so "
		    "agreement cannot be measured and the confidence "
		    "intervals reflect query sampling only.</p>\n", f);
		if (r->an.lboot != NULL)
			label_uncertainty(f, r);
		checks(f, r);
		fputs("</section>\n", f);
		return;
	}
	fprintf(f, "%zu pairs carry two or more labels, %zu one. "
	    "Krippendorff's &#945; (ordinal) is ", q->ordinal.n_pairable,
	    q->ordinal.n_single);
	val(f, q->ordinal.alpha);
	fprintf(f, ": <strong>%s</strong> (&#8805; 0.800 reliable, 0.667 to "
	    "0.800 tentative conclusions only).</p>\n",
	    pf_alpha_reading(q->ordinal.alpha));
	agreement_table(f, q);
	confusing(f, q, r->an.labelq_names);
	if (r->an.lboot != NULL)
		label_uncertainty(f, r);
	checks(f, r);
	fputs("</section>\n", f);
}

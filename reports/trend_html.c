/*
 * reports/trend_html.c — trend.html: one self-contained page (the rules
 * of REPORTS.md §2.3: polyglot XHTML, no request, no script, meaning in
 * text and signs as well as colour, one timestamp in #generated). In
 * order: the headline, the goals (a table, then per series its chart, a
 * folded data table and the segments' small multiples), the change
 * points, what changed between the base night and the last, the nights
 * (with anchors #night-N and label links), and the method.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/model.h"
#include "reports/html_kit.h"
#include "reports/svg.h"
#include "reports/svg_trend.h"
#include "reports/trend.h"
#include "reports/trend_fmt.h"

#define T(s)	pf_xml_text(f, (s))

static const char style[] =
    "body{font-family:DejaVu Sans,Arial,sans-serif;max-width:1100px;"
    "margin:0 auto;padding:1em;color:#111}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right}"
    "th[scope=row],td.l{text-align:left}"
    "#headline{font-size:1.3em;font-weight:bold;padding:.5em;"
    "border:3px solid #333}"
    ".note{border:2px dashed #D55E00;padding:.5em;font-weight:bold}"
    ".met{color:#0072B2}.missed{color:#D55E00}.unknown{color:#555}"
    ".multiples svg{margin:0 .4em .4em 0}.caption{color:#333}"
    "@media print{section{page-break-before:always}}";

static const char *
cls(int status)
{
	return status == PF_TG_MET ? "met" : status == PF_TG_MISSED ?
	    "missed" : "unknown";
}

static void
headline(FILE *f, const pf_trend *t)
{
	size_t L = t->last, met = 0, missed = 0, unknown = 0;

	for (size_t j = 0; j < t->nseries; j++) {
		int s = t->series[j].pt[L].status;
		met += s == PF_TG_MET;
		missed += s == PF_TG_MISSED;
		unknown += s == PF_TG_UNKNOWN;
	}
	fputs("<p id=\"headline\">", f);
	if (!t->goals_declared)
		fputs("No goals declared: the primary metric of each stack. ", f);
	else if (missed > 0)
		fprintf(f, "GOAL MISSED \xe2\x80\x94 %zu of %zu goals missed on "
		    "the last night. ", missed, met + missed + unknown);
	else
		fprintf(f, "Every goal met on the last night (%zu met%s). ", met,
		    unknown ? ", some unknown" : "");
	fprintf(f, "%zu night%s, ", t->nnights, t->nnights == 1 ? "" : "s");
	T(t->night[0].time);
	fputs(" to ", f);
	T(t->night[L].time);
	fputs(t->nnights < 2 ? ". One night: no trend yet." : ".", f);
	fputs("</p>\n", f);
	if (t->note != NULL) {
		fputs("<p class=\"note\" id=\"note\">", f);
		T(t->note);
		fputs("</p>\n", f);
	}
}

static void
goal_table(FILE *f, const pf_trend *t)
{
	size_t L = t->last;
	char g[200];

	fputs("<table id=\"goal-table\"><tr><th scope=\"col\">goal</th><th "
	    "scope=\"col\">stack</th><th scope=\"col\">last night</th><th "
	    "scope=\"col\">95% CI</th><th scope=\"col\">status</th><th "
	    "scope=\"col\">margin</th><th scope=\"col\">missed in a row</th>"
	    "</tr>\n", f);
	for (size_t j = 0; j < t->nseries; j++) {
		const pf_trend_series *s = &t->series[j];
		const pf_trend_point *p = &s->pt[L];
		pf_tf_goal(g, sizeof(g), s, p);
		fprintf(f, "<tr><th scope=\"row\"><a href=\"#series-%zu\">", j);
		T(g);
		fputs("</a></th><td class=\"l\">", f);
		T(s->stack);
		fputs("</td><td>", f);
		pf_tf_num(f, s->against != NULL, p->value);
		fputs("</td><td>", f);
		pf_tf_ci(f, s->against != NULL, p->lo, p->hi);
		fprintf(f, "</td><td class=\"%s\">%s</td><td>", cls(p->status),
		    pf_tf_status(p->status));
		pf_tf_num(f, 1, pf_tf_margin(p));
		fprintf(f, "</td><td>%zu</td></tr>\n", s->streak);
	}
	fputs("</table>\n", f);
}

static void
data_table(FILE *f, const pf_trend *t, const pf_trend_series *s, size_t j)
{
	fprintf(f, "<details><summary>The numbers behind the chart</summary>"
	    "<table id=\"data-%zu\"><tr><th scope=\"col\">night</th><th "
	    "scope=\"col\">run</th><th scope=\"col\">value</th><th "
	    "scope=\"col\">95%% CI</th><th "
	    "scope=\"col\">queries</th><th scope=\"col\">goal</th><th "
	    "scope=\"col\">bounds</th><th scope=\"col\">reference run</th>"
	    "<th scope=\"col\">change from the night "
	    "before</th><th scope=\"col\">95%% CI</th><th scope=\"col\">p</th>"
	    "<th scope=\"col\">BH q</th></tr>\n", j);
	for (size_t i = 0; i < t->nnights; i++) {
		const pf_trend_point *p = &s->pt[i];
		fprintf(f, "<tr><td><a href=\"#night-%zu\">%zu</a></td><td>%lld"
		    "</td><td>", i + 1, i + 1, (long long)t->night[i].run);
		pf_tf_num(f, s->against != NULL, p->value);
		fputs("</td><td>", f);
		pf_tf_ci(f, s->against != NULL, p->lo, p->hi);
		fprintf(f, "</td><td>%zu</td><td class=\"%s\">%s</td><td>", p->n,
		    cls(p->status), pf_tf_status(p->status));
		pf_tf_num(f, 0, p->gmin);
		fputs(" \xe2\x80\xa6 ", f);
		pf_tf_num(f, 0, p->gmax);
		if (p->against_run > 0)
			fprintf(f, "</td><td>%lld</td><td>",
			    (long long)p->against_run);
		else
			fputs("</td><td>\xe2\x80\x94</td><td>", f);
		pf_tf_num(f, 1, p->d);
		fputs(p->change ? (p->d < 0 ? " \xe2\x96\xbc change" :
		    " \xe2\x96\xb2 change") : "", f);
		fputs("</td><td>", f);
		pf_tf_ci(f, 1, p->d_lo, p->d_hi);
		fputs("</td><td>", f);
		pf_tf_num(f, 0, p->p);
		fputs("</td><td>", f);
		pf_tf_num(f, 0, p->q);
		fputs("</td></tr>\n", f);
	}
	fputs("</table></details>\n", f);
}

static void
goals(FILE *f, const pf_trend *t)
{
	char g[200];

	pf_html_section(f, "goals", t->goals_declared ? "Goals" : "Primary metric");
	goal_table(f, t);
	for (size_t j = 0; j < t->nseries; j++) {
		const pf_trend_series *s = &t->series[j];
		pf_tf_goal(g, sizeof(g), s, &s->pt[t->last]);
		fprintf(f, "<h3 id=\"series-%zu\">", j);
		T(g);
		fputs(" on ", f);
		T(s->stack);
		fputs("</h3>\n", f);
		if (s->against != NULL)
			fputs("<p>Each night's value is its paired mean delta "
			    "against the latest earlier run carrying that label, "
			    "on the queries both have; the reference run is named "
			    "in the tooltips and the table.</p>\n", f);
		pf_svg_trend(f, t, s);
		data_table(f, t, s, j);
		if (s->nseg > 0 && !pf_tf_repeat(t, j))
			pf_svg_segments(f, t, s);
		else if (s->nseg > 0)
			fputs("<p class=\"caption\">By segment: as for the same "
			    "metric and stack above.</p>\n", f);
	}
	fputs("</section>\n", f);
}

static void
change_points(FILE *f, const pf_trend *t)
{
	size_t n = 0;

	pf_html_section(f, "changes", "Change points");
	for (size_t j = 0; j < t->nseries; j++)
		for (size_t i = 1; i < t->nnights; i++) {
			const pf_trend_point *p = &t->series[j].pt[i];
			if (!p->change || pf_tf_repeat(t, j))
				continue;	/* the same metric and stack */
			if (n++ == 0)
				fputs("<table id=\"change-table\"><tr><th scope="
				    "\"col\">night</th><th scope=\"col\">series</th><th scope=\"col\">"
				    "change</th><th scope=\"col\">95% CI</th><th "
				    "scope=\"col\">queries</th><th scope=\"col\">"
				    "p</th><th scope=\"col\">BH q</th></tr>\n", f);
			fprintf(f, "<tr><td><a href=\"#night-%zu\">%zu</a></td>"
			    "<td class=\"l\">", i + 1, i + 1);
			T(t->series[j].metric);
			fputs(" on ", f);
			T(t->series[j].stack);
			fprintf(f, "</td><td class=\"%s\">%s ", p->d < 0 ?
			    "missed" : "met", p->d < 0 ? "\xe2\x96\xbc" :
			    "\xe2\x96\xb2");
			pf_tf_num(f, 1, p->d);
			fputs("</td><td>", f);
			pf_tf_ci(f, 1, p->d_lo, p->d_hi);
			fprintf(f, "</td><td>%zu</td><td>", p->d_n);
			pf_tf_num(f, 0, p->p);
			fputs("</td><td>", f);
			pf_tf_num(f, 0, p->q);
			fputs("</td></tr>\n", f);
		}
	if (n > 0)
		fputs("</table>\n", f);
	else
		fputs(t->nnights < 2 ? "<p>One night: no trend yet.</p>\n" :
		    "<p>None: no night differs from the one before by a "
		    "significant paired change.</p>\n", f);
	fputs("</section>\n", f);
}

/* A label's value, linked when a --link template names its key. */
static void
label_links(FILE *f, const pf_trend *t, const char *labels)
{
	const char *p = labels;

	if (p == NULL || *p == '\0') {
		fputs("\xe2\x80\x94", f);
		return;
	}
	while (*p != '\0') {
		size_t len = strcspn(p, ";"), klen = strcspn(p, "=");
		char item[512];
		const pf_trend_link *lk = NULL;
		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		for (size_t i = 0; klen < len && i < t->nlinks; i++)
			if (strlen(t->links[i].key) == klen &&
			    !strncmp(t->links[i].key, p, klen))
				lk = &t->links[i];
		if (lk != NULL) {
			const char *u = lk->url, *hole = strstr(u, "{}");
			fputs("<a href=\"", f);
			if (hole != NULL) {
				char pre[512];
				snprintf(pre, sizeof(pre), "%.*s", (int)(hole - u),
				    u);
				T(pre);
				T(item + klen + 1);
				T(hole + 2);
			} else
				T(u);
			fputs("\">", f);
			T(item);
			fputs("</a>", f);
		} else
			T(item);
		p += len;
		if (*p == ';') {
			p++;
			fputs(" ", f);
		}
	}
}

static void
nights(FILE *f, const pf_trend *t)
{
	pf_html_section(f, "nights", "Nights");
	fputs("<table><tr><th scope=\"col\">night</th><th scope=\"col\">run"
	    "</th><th scope=\"col\">time (UTC)</th><th scope=\"col\">labels"
	    "</th><th scope=\"col\">verdict</th><th scope=\"col\">exit</th>"
	    "<th scope=\"col\">gates failed</th><th scope=\"col\">queries</th>"
	    "<th scope=\"col\">goals missed</th></tr>\n", f);
	for (size_t i = 0; i < t->nnights; i++) {
		const pf_trend_night *n = &t->night[i];
		size_t missed = 0;
		for (size_t j = 0; j < t->nseries; j++)
			missed += t->series[j].pt[i].status == PF_TG_MISSED;
		fprintf(f, "<tr id=\"night-%zu\"><td>%zu%s</td><td>%lld</td><td "
		    "class=\"l\">", i + 1, i + 1, i == t->base && t->base !=
		    t->last ? " (base)" : "", (long long)n->run);
		T(n->time);
		fputs("</td><td class=\"l\">", f);
		label_links(f, t, n->labels);
		fputs("</td><td class=\"l\">", f);
		T(n->verdict);
		fprintf(f, "</td><td>%d</td><td>%ld</td><td>%ld</td><td class="
		    "\"%s\">%zu</td></tr>\n", n->exit_code, n->gates_failed,
		    n->nqueries, missed ? "missed" : "met", missed);
	}
	fputs("</table>\n</section>\n", f);
}

static void
method(FILE *f, const pf_trend *t)
{
	pf_html_section(f, "method", "Method");
	fprintf(f, "<p>Each night's value is the mean of the stack's per-query "
	    "values stored in the history (a relative goal: the mean paired "
	    "delta against the night's reference run, on the queries both "
	    "have), with a 95%% percentile bootstrap CI over queries (%zu "
	    "resamples). Change points: each night against the one before, "
	    "paired on the queries both have; the mean change, its 95%% "
	    "bootstrap CI and a two-sided sign-flip randomization p (%zu "
	    "permutations, exact up to 20 queries); Benjamini\xe2\x80\x93"
	    "Hochberg q over the nights of a series; a night is a change point "
	    "when q \xe2\x89\xa4 %.2f, the CI excludes 0 and |change| "
	    "\xe2\x89\xa5 %.4f. Drift: PSI between the two nights' 33-point "
	    "quantile sketches (bins from the base night's quantiles, missing "
	    "rows a bin of their own, shares floored at 0.0001), flagged at "
	    "PSI \xe2\x89\xa5 %.2f or a missing rate moving by \xe2\x89\xa5 "
	    "%.0f points. Random numbers: seed %llu, keyed by series and run, "
	    "so every number is the same on every machine.</p>\n<p>History ",
	    t->resamples, t->resamples, t->alpha, t->min_effect, t->psi_flag,
	    100 * t->miss_jump, (unsigned long long)t->seed);
	T(t->db);
	if (t->since != NULL) {
		fputs(", nights since ", f);
		T(t->since);
	}
	fputs("; preflight ", f);
	T(t->version);
	fputs(", generated <span id=\"generated\">", f);
	T(t->generated ? t->generated : "");
	fputs("</span>. The same in a few lines: <a href=\"summary.md\">"
	    "summary.md</a>.</p>\n</section>\n", f);
}

int
pf_trend_write_html(const pf_trend *t, FILE *f, pf_err *err)
{
	fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	    "lang=\"en\">\n<head><meta charset=\"utf-8\"/><title>preflight "
	    "trend: ", f);
	T(t->scenario);
	fprintf(f, "</title>\n<style>%s</style></head>\n<body>\n<h1>preflight "
	    "trend: ", style);
	T(t->scenario);
	fputs("</h1>\n<nav><a href=\"#goals\">goals</a> \xc2\xb7 <a href=\""
	    "#changes\">change points</a> \xc2\xb7 <a href=\"#compare\">what "
	    "changed</a> \xc2\xb7 <a href=\"#nights\">nights</a> \xc2\xb7 <a "
	    "href=\"#method\">method</a></nav>\n", f);
	headline(f, t);
	goals(f, t);
	change_points(f, t);
	pf_trend_html_compare(f, t);
	nights(f, t);
	method(f, t);
	fputs("</body>\n</html>\n", f);
	if (ferror(f))
		return pf_err_set(err, PF_EIO, NULL, 0, "cannot write the trend "
		    "page");
	return PF_OK;
}

/*
 * reports/html.c — see html.h. Section order is REPORTS.md §2.2's: the
 * verdict first, then what was compared, metrics, per-query picture,
 * segments, movers, interleaving, why, lift, gates, method.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/attrib.h"
#include "reports/html.h"
#include "reports/html_kit.h"
#include "reports/replift.h"
#include "reports/importance.h"
#include "reports/svg.h"

#define T(s)	pf_xml_text(f, (s))

static const char style[] = PF_HTML_STYLE
    ".vbox{border:3px solid #999;background:#f2f2f2;padding:.2em .8em;"
    "margin:.5em 0}.vhead{font-size:1.4em;font-weight:bold;margin:.3em 0}"
    ".v-request{border-color:#0072B2;background:#e5f1f8}"
    ".v-request .vhead{color:#005a8c}"
    ".v-refuse{border-color:#D55E00;background:#fbece3}"
    ".v-refuse .vhead{color:#a64600}"
    ".v-inconclusive .vhead{color:#333}"
    "table{display:block;overflow-x:auto;max-width:100%}"
    ".scroll{overflow-x:auto;max-width:100%}.scroll table{display:table}"
    "p,li,td,code{overflow-wrap:break-word}"
    "svg{max-width:100%;height:auto}"
    ".caption{font-size:.9em;color:#333;margin-top:0}"
    ".nw{white-space:nowrap}th.l{text-align:left}";

static void
num(FILE *f, const char *fmt, double v)
{
	pf_html_num(f, fmt, v);
}

/* +1 significant gain, -1 significant loss, 0 otherwise. */
static int
sig(const pf_rep_delta *d)
{
	if (!(d->p_adj < 0.05) || !(d->lo > 0 || d->hi < 0))
		return 0;
	return d->delta > 0 ? 1 : -1;
}

static const char *
mark(int s)
{
	return pf_html_mark(s);
}

static void
compared(FILE *f, const pf_report *r)
{
	pf_html_section(f, "compared", "What was compared");
	fputs("<div class=\"scroll\"><table><tr><th scope=\"col\" class=\"l\">"
	    "role</th><th scope=\"col\" class=\"l\">stack</th><th scope="
	    "\"col\" class=\"l\">stages</th><th scope=\"col\" class=\"l\">"
	    "models"
	    "</th><th scope=\"col\">judged@10</th></tr>\n", f);
	for (size_t k = 0; k < r->nstacks; k++) {
		const pf_rep_stack *s = &r->stacks[k];
		fprintf(f, "<tr><td class=\"l\">%s</td><td class=\"l\">",
		    k == 0 ? "control" : "treatment");
		T(s->id);
		fputs(" \xe2\x80\x94 ", f);
		T(s->name);
		fputs("</td><td class=\"l\">", f);
		T(s->stages);
		fputs("</td><td class=\"l\">", f);
		T(s->models ? s->models : "");
		fputs("</td><td>", f);
		num(f, "%.3f", s->judged);
		fputs("</td></tr>\n", f);
	}
	fputs("</table></div>\n<p>Golden set: ", f);
	T(r->golden);
	fprintf(f, " (%zu queries). Scenario ", r->nq);
	T(r->scenario);
	fputs(" (sha256 ", f);
	T(r->scenario_sha256);
	fprintf(f, "), seed %llu, preflight ", (unsigned long long)r->seed);
	T(r->version);
	/* the one element that changes between identical runs */
	fputs(", generated <span id=\"generated\">", f);
	T(r->generated);
	fprintf(f, " in %.2f s on %d threads</span>.</p>\n", r->seconds,
	    r->threads);
	for (size_t k = 1; k < r->nstacks; k++)
		if (isfinite(r->stacks[k].judged) &&
		    isfinite(r->stacks[0].judged) &&
		    r->stacks[k].judged < r->stacks[0].judged - 0.05) {
			fputs("<p class=\"loss\"><strong>Warning:</strong> ", f);
			T(r->stacks[k].id);
			fprintf(f, " surfaces more unjudged documents "
			    "(judged@10 %.3f versus %.3f): its metrics are "
			    "biased down.</p>\n", r->stacks[k].judged,
			    r->stacks[0].judged);
		}
	fputs("</section>\n", f);
}

static void
metric_table(FILE *f, const pf_report *r)
{
	pf_html_section(f, "metrics", "Metrics");
	for (size_t k = 1; k < r->nstacks; k++) {
		const pf_rep_delta *dd = r->deltas + (k - 1) * r->nmetrics;
		pf_forest_row *rows = calloc(r->nmetrics + 1, sizeof(*rows));
		fputs("<h3>", f);
		T(r->stacks[k].id);
		fputs(" versus ", f);
		T(r->stacks[0].id);
		fputs("</h3>\n<table><tr><th scope=\"col\">metric</th><th "
		    "scope=\"col\">control</th><th scope=\"col\">treatment</th>"
		    "<th scope=\"col\">\xce\x94</th><th scope=\"col\">rel. "
		    "\xce\x94</th><th scope=\"col\">95% CI</th><th scope=\"col\">"
		    "p (perm.)</th><th scope=\"col\">p (t)</th><th scope=\"col\">"
		    "adj. p</th><th scope=\"col\">W/L/T</th><th scope=\"col\">"
		    "result</th></tr>\n", f);
		for (size_t m = 0; m < r->nmetrics; m++) {
			const pf_rep_delta *d = &dd[m];
			int s = sig(d);
			fputs("<tr><th scope=\"row\">", f);
			T(r->metrics[m]);
			fputs(d->exploratory ? " <small>exploratory</small>" :
			    " <small>primary</small>", f);
			fputs("</th><td>", f);
			num(f, "%.4f", d->control);
			fputs("</td><td>", f);
			num(f, "%.4f", d->treatment);
			fputs("</td><td>", f);
			num(f, "%+.4f", d->delta);
			fputs("</td><td>", f);
			num(f, "%+.2f%%", 100 * d->rel);
			fputs("</td><td class=\"nw\">[", f);
			num(f, "%+.4f", d->lo);
			fputs(", ", f);
			num(f, "%+.4f", d->hi);
			fputs("]</td><td>", f);
			num(f, "%.4f", d->p_perm);
			fputs("</td><td>", f);
			num(f, "%.4f", d->p_t);
			fputs("</td><td>", f);
			num(f, "%.4f", d->p_adj);
			fputs(d->exploratory ? " q" : " Holm", f);
			fprintf(f, "</td><td>%zu/%zu/%zu</td><td class=\"%s nw\">"
			    "%s", d->wins, d->losses, d->ties,
			    s > 0 ? "gain" : s < 0 ? "loss" : "ns", mark(s));
			for (size_t j = 0; r->beats != NULL && j < r->nstacks;
			    j++)
				if (r->beats[(k * r->nstacks + j) * r->nmetrics +
				    m]) {
					fputs(" &gt;", f);	/* beats j */
					T(r->stacks[j].id);
				}
			fputs("</td></tr>\n", f);
			if (rows != NULL)
				rows[m] = (pf_forest_row){r->metrics[m],
				    d->delta, d->lo, d->hi, s};
		}
		fputs("</table>\n<p class=\"note\">adj. p: Holm over the "
		    "treatments on the primary metric (confirmatory: the verdict "
		    "reads it); Benjamini\xe2\x80\x93Hochberg q on every other "
		    "metric (exploratory: for looking, not deciding).</p>\n", f);
		if (rows != NULL)
			pf_svg_forest(f, "Deltas with 95% bootstrap CIs",
			    "\xce\x94 = treatment \xe2\x88\x92 control (metric "
			    "units), 95% bootstrap CI", rows, r->nmetrics);
		if (rows != NULL)
			fputs("<p class=\"caption\">One row per metric: the "
			    "dot is the mean per-query delta, the whisker its "
			    "95% bootstrap CI; \xe2\x96\xb2/\xe2\x96\xbc mark a "
			    "significant gain/loss.</p>\n", f);
		free(rows);
	}
	fputs("</section>\n", f);
}

static void
per_query(FILE *f, const pf_report *r)
{
	const double *c = r->primary_values;

	pf_html_section(f, "queries", "Per-query picture");
	for (size_t k = 1; k < r->nstacks; k++) {
		const double *t = r->primary_values + k * r->nq;
		const pf_rep_delta *d = &r->deltas[(k - 1) * r->nmetrics +
		    r->primary];
		double *dx = malloc((r->nq + 1) * sizeof(double)),
		    *cx = malloc((r->nq + 1) * sizeof(double)),
		    *tx = malloc((r->nq + 1) * sizeof(double));
		const char **qn = malloc((r->nq + 1) * sizeof(*qn));
		size_t n = 0;
		char at[3][256];
		if (dx == NULL || cx == NULL || tx == NULL || qn == NULL) {
			free(qn);
			free(dx);
			free(cx);
			free(tx);
			continue;
		}
		for (size_t q = 0; q < r->nq; q++)
			if (isfinite(c[q]) && isfinite(t[q])) {
				cx[n] = c[q];
				tx[n] = t[q];
				dx[n] = t[q] - c[q];
				qn[n] = r->qids[q];
				n++;
			}
		fputs("<h3>", f);
		T(r->stacks[k].id);
		fputs(" versus ", f);
		T(r->stacks[0].id);
		fputs(", ", f);
		T(r->metrics[r->primary]);
		fputs("</h3>\n", f);
		pf_svg_wlt(f, "Queries won, tied and lost", d->wins, d->ties,
		    d->losses);
		fputs("<p class=\"caption\">How many judged queries the "
		    "treatment wins, ties and loses on the primary metric.</p>\n",
		    f);
		snprintf(at[0], sizeof(at[0]), "\xce\x94 %s",
		    r->metrics[r->primary]);
		pf_svg_waterfall(f, "Per-query delta, sorted", at[0], dx, qn, n);
		snprintf(at[0], sizeof(at[0]), "\xce\x94 %s (treatment "
		    "\xe2\x88\x92 control)", r->metrics[r->primary]);
		fputs("<p class=\"caption\">One bar per judged query, sorted by "
		    "its delta (blue: treatment better, vermillion: worse); hover "
		    "for the query, click for its row.</p>\n", f);
		snprintf(at[1], sizeof(at[1]), "control (%s) %s",
		    r->stacks[0].id, r->metrics[r->primary]);
		snprintf(at[2], sizeof(at[2]), "treatment (%s) %s",
		    r->stacks[k].id, r->metrics[r->primary]);
		pf_svg_scatter(f, "Control versus treatment per query", cx, tx,
		    qn, n, at[1], at[2]);
		fputs("<p class=\"caption\">One dot per judged query; above the "
		    "dashed diagonal the treatment scores higher.</p>\n", f);
		pf_svg_histogram(f, "Distribution of per-query deltas", at[0],
		    dx, n);
		fputs("<p class=\"caption\">How many queries fall in each band "
		    "of delta; the grey bar is centred on no change.</p>\n", f);
		pf_html_movers(f, r, k);
		free(qn);
		free(dx);
		free(cx);
		free(tx);
	}
	fputs("</section>\n", f);
}

/* Whether the dimension named dim takes more than one value. */
static int
seg_shown(const pf_report *r, const char *dim)
{
	for (size_t d = 0; d < r->ndims; d++)
		if (strcmp(r->dim_name[d], dim) == 0)
			return pf_html_dim_varies(r, d);
	return 1;
}

/* The dimensions with one value over the judged queries, named. */
static size_t
one_valued(FILE *f, const pf_report *r)
{
	size_t n = 0;

	for (size_t d = 0; d < r->ndims; d++)
		if (!pf_html_dim_varies(r, d)) {
			const char *v = NULL;
			for (size_t q = 0; v == NULL && q < r->nq; q++)
				if (r->judged[q])
					v = r->dim[q * r->ndims + d];
			fputs(n++ ? ", " : "", f);
			T(r->dim_name[d]);
			fputs(" = ", f);
			T(v ? v : "");
		}
	return n;
}

static void
seg_row(FILE *f, const pf_rep_segment *g, int flags)
{
	fputs("<tr><td class=\"l\">", f);
	T(g->treatment);
	fputs("</td><td class=\"l\">", f);
	T(g->dim);
	fputs("</td><td class=\"l\">", f);
	T(g->value);
	fprintf(f, "</td><td>%zu</td><td>", g->n);
	num(f, "%.4f", g->control);
	fputs("</td><td>", f);
	num(f, "%+.4f", g->delta);
	fputs("</td>", f);
	if (g->too_few) {
		fputs("<td colspan=\"2\">too few queries</td>", f);
	} else {
		fputs("<td class=\"nw\">[", f);
		num(f, "%+.4f", g->lo);
		fputs(", ", f);
		num(f, "%+.4f", g->hi);
		fputs("]</td><td>", f);
		num(f, "%.4f", g->p_bh);
		fputs("</td>", f);
	}
	if (flags)
		fprintf(f, "<td>%s</td>", g->flipped ?
		    "<strong>\xe2\x9a\xa0 opposite sign</strong>" : "");
	fputs("</tr>\n", f);
}

static void
segments(FILE *f, const pf_report *r)
{
	size_t shown = 0;
	int flags = 0;

	pf_html_section(f, "segments", "Segments");
	if (r->nsegs == 0) {
		fputs("<p>The golden set declares no dimension columns "
		    "(queries.tsv), so there are no segments to compare.</p>"
		    "</section>\n", f);
		return;
	}
	for (size_t i = 0; i < r->nsegs; i++)
		if (seg_shown(r, r->segs[i].dim)) {
			shown++;
			flags |= r->segs[i].flipped;
		}
	for (size_t d = 0; r->dim != NULL && d < r->ndims; d++)
		if (!pf_html_dim_varies(r, d)) {
			fputs("<p id=\"segments-one-valued\">", f);
			one_valued(f, r);
			fputs(": the same for every judged query, so not shown "
			    "(a segment holding every query is the overall result "
			    "above; its own bootstrap draw would only give a "
			    "slightly different CI).</p>\n", f);
			break;
		}
	if (shown == 0) {
		fputs("<p>No dimension splits these queries.</p></section>\n",
		    f);
		return;
	}
	fputs("<p>The primary metric per dimension value; p adjusted by "
	    "Benjamini\xe2\x80\x93Hochberg over each treatment's segments.",
	    f);
	if (flags)
		fputs(" <strong>\xe2\x9a\xa0</strong> marks a significant "
		    "segment whose sign is opposite to the overall delta.", f);
	fprintf(f, "</p>\n<div class=\"scroll\"><table><tr><th scope=\"col\">"
	    "treatment</th><th scope=\"col\" class=\"l\">dimension</th><th "
	    "scope=\"col\" class=\"l\">value</th><th scope=\"col\">n</th><th scope=\"col\">control"
	    "</th><th scope=\"col\">\xce\x94</th><th scope=\"col\">95%% CI"
	    "</th><th scope=\"col\">p (BH)</th>%s</tr>\n", flags ? "<th "
	    "scope=\"col\">sign</th>" : "");
	for (size_t i = 0; i < r->nsegs; i++)
		if (seg_shown(r, r->segs[i].dim))
			seg_row(f, &r->segs[i], flags);
	fputs("</table></div>\n</section>\n", f);
}

static void
interleaving(FILE *f, const pf_report *r)
{
	pf_html_section(f, "interleaving", "Interleaving");
	if (r->il == NULL) {
		fputs("<p>Not configured in this scenario.</p></section>\n", f);
		return;
	}
	fputs("<p>", f);
	T(r->il_setup);
	fputs("</p>\n<p><strong>What this is and is not:</strong> the clicks "
	    "are simulated from the golden grades by the click model, so this "
	    "is a transformation of the same labels as the metrics above, not "
	    "new evidence: it says what an interleaving experiment would most "
	    "likely show if users clicked as the model assumes. Intervals "
	    "resample queries, never impressions. Estimating the outcome from "
	    "logged clicks of a past randomised interleaving (METHODS.md "
	    "\xc2\xa7" "2.5) is not supported yet.</p>\n", f);
	if (r->il_biased)
		fputs("<p class=\"loss\"><strong>Warning:</strong> balanced "
		    "interleaving is known to be biased (it can prefer a ranker "
		    "under random clicks); prefer team-draft.</p>\n", f);
	if (r->il_short > 0)
		fprintf(f, "<p class=\"loss\" id=\"il-short\"><strong>Warning:"
		    "</strong> on %zu judged quer%s a ranking shorter than the "
		    "interleaved list (k = %zu) meets a longer one; team-draft is "
		    "then biased toward the longer list even under random clicks "
		    "(its extra documents fill the tail), so read the outcome with "
		    "care or compare lists cut to the same length.</p>\n", r->il_short,
		    r->il_short == 1 ? "y" : "ies", r->il_k);
	if (r->il_rescaled)
		fputs("<p>The golden grades were mapped onto the click model's "
		    "grade scale.</p>\n", f);
	fputs("<table><tr><th scope=\"col\">treatment (B) vs control (A)"
	    "</th><th scope=\"col\">\xce\x94 = (W<sub>B</sub>\xe2\x88\x92"
	    "W<sub>A</sub>)/(W<sub>A</sub>+W<sub>B</sub>+T)</th><th "
	    "scope=\"col\">95% CI</th><th scope=\"col\">preference for B"
	    "</th><th scope=\"col\">B / A / tie share</th><th scope=\"col\">"
	    "no click</th><th scope=\"col\">queries B/A/tie</th></tr>\n", f);
	for (size_t i = 0; i + 1 < r->nstacks + r->nilsegs; i++) {
		const pf_rep_il *x = i + 1 < r->nstacks ? &r->il[i] :
		    &r->ilsegs[i + 1 - r->nstacks];
		if (x->dim != NULL && !seg_shown(r, x->dim))
			continue;	/* one value: the overall row */
		fputs("<tr><td class=\"l\">", f);
		T(x->treatment);
		if (x->dim != NULL) {
			fputs(", ", f);
			T(x->dim);
			fputs(" = ", f);
			T(x->value);
			fprintf(f, " (%zu queries)", x->nq);
		}
		fputs("</td><td>", f);
		num(f, "%+.4f", x->delta);
		fputs("</td><td>[", f);
		num(f, "%+.4f", x->delta_lo);
		fputs(", ", f);
		num(f, "%+.4f", x->delta_hi);
		fputs("]</td><td>", f);
		num(f, "%.4f", x->p_pref);
		fprintf(f, "</td><td>%.3f / %.3f / %.3f</td><td>%.3f</td><td>"
		    "%zu/%zu/%zu</td></tr>\n", x->share_b, x->share_a,
		    x->share_tie, x->no_click, x->q_wins, x->q_losses,
		    x->q_ties);
	}
	fputs("</table>\n</section>\n", f);
}

static void
gates(FILE *f, const pf_report *r)
{
	static const char *const st[] = {"PASS", "FAIL", "ERROR", "SKIPPED"};

	pf_html_section(f, "gates", "Gates and expectations");
	if (r->ngates == 0)
		fputs("<p>No gates are declared in this scenario.</p>\n", f);
	else
		fputs("<table><tr><th scope=\"col\">gate</th><th scope=\"col\">"
		    "what</th><th scope=\"col\">status</th><th scope=\"col\">"
		    "detail</th></tr>\n", f);
	for (size_t i = 0; i < r->ngates; i++) {
		const pf_rep_gate *g = &r->gates[i];
		size_t j = 0;
		while (j < i && strcmp(r->gates[j].id, g->id) != 0)
			j++;
		if (j == i) {	/* a gate's first row carries its anchor */
			fputs("<tr id=\"gate-", f);
			pf_html_id(f, g->id);
			fputs("\">", f);
		} else
			fputs("<tr>", f);
		fputs("<td class=\"l\">", f);
		T(g->id);
		fputs("</td><td class=\"l\">", f);
		T(g->what);
		fprintf(f, "</td><td>%s</td><td class=\"l\">",
		    st[g->status & 3]);
		T(g->message ? g->message : "");
		fputs("</td></tr>\n", f);
	}
	if (r->ngates > 0)
		fputs("</table>\n", f);
	fputs("</section>\n", f);
}

static void
method(FILE *f, const pf_report *r)
{
	pf_html_section(f, "method", "Method and reproducibility");
	fputs("<p>", f);
	T(r->method);
	fputs("</p>\n<p>Command: <code>", f);
	T(r->command);
	fputs("</code></p>\n<details><summary>Input files</summary><table>"
	    "<tr><th scope=\"col\">file</th><th scope=\"col\">sha256</th>"
	    "</tr>\n", f);
	for (size_t i = 0; i < r->ninputs; i++) {
		fputs("<tr><td class=\"l\">", f);
		T(r->inputs[i].path);
		fputs("</td><td class=\"l\"><code>", f);
		T(r->inputs[i].sha256);
		fputs("</code></td></tr>\n", f);
	}
	fputs("</table></details>\n<p>All numbers: <a href=\"results.json\">"
	    "results.json</a>.</p>\n</section>\n", f);
}

/* Every section the report has, in its order. */
static void
nav(FILE *f, const pf_report *r)
{
	static const char *const sec[][2] = {{"verdict", "verdict"},
	    {"compared", "compared"}, {"golden", "golden set"},
	    {"metrics", "metrics"}, {"queries", "per-query picture"},
	    {"query-table", "every query"}, {"segments", "segments"},
	    {"interleaving", "interleaving"}, {"why", "why"},
	    {"lift", "lift"}, {"gates", "gates"}, {"method", "method"}};

	fputs("<nav>", f);
	for (size_t i = 0; i < sizeof(sec) / sizeof(sec[0]); i++)
		fprintf(f, "%s<a href=\"#%s\">%s</a>", i ? " \xc2\xb7 " : "",
		    sec[i][0], sec[i][1]);
	if (r->an.features != NULL)
		fputs(" \xc2\xb7 <a href=\"#features\">features</a>", f);
	fputs("</nav>\n", f);
}

int
pf_report_write_html(const pf_report *r, FILE *f, pf_err *err)
{
	fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	    "lang=\"en\">\n<head><meta charset=\"utf-8\"/><title>preflight: ",
	    f);
	T(r->title);
	fprintf(f, "</title>\n<style>%s</style></head>\n<body>\n<h1>"
	    "preflight: ", style);
	T(r->title);
	fputs("</h1>\n", f);
	nav(f, r);
	pf_html_verdict(f, r);
	pf_html_lift_headline(f, r->an.lift);
	compared(f, r);
	pf_html_golden(f, r);
	metric_table(f, r);
	per_query(f, r);
	pf_html_query_table(f, r);
	segments(f, r);
	interleaving(f, r);
	pf_html_section(f, "why", "Why: importance and attribution");
	if (r->an.nimp > 0)
		pf_html_importance(f, r->an.imp, r->an.nimp);
	if (r->an.attrib != NULL)
		pf_attrib_html(f, r->an.attrib);
	if (r->an.nimp == 0 && r->an.attrib == NULL)
		fputs("<p>Not configured in this scenario.</p>\n", f);
	fputs("</section>\n", f);
	pf_html_lift_section(f, r->an.lift);
	pf_html_features(f, r);
	gates(f, r);
	method(f, r);
	fputs("</body>\n</html>\n", f);
	if (ferror(f))
		return pf_err_set(err, PF_EIO, NULL, 0, "cannot write the "
		    "report");
	return PF_OK;
}

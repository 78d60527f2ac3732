/*
 * reports/diff_html.c — diff.html (reports/diff.h): one self-contained
 * polyglot page, the rules of report.html (REPORTS.md §2.3): no network,
 * no script, charts as inline SVG with a title and a caption, meaning in
 * text and signs as well as colour, every string escaped. Sections in the
 * terminal's order: the two runs, inputs, labels, metrics (a table and a
 * forest plot per stack), the queries that moved (both top tens), the
 * gates that flipped, feature drift (PSI bars), method.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/featname.h"
#include "reports/diff.h"
#include "reports/html_kit.h"
#include "reports/svg.h"

#define T(s)	text(f, (s))
#define MAXBARS	20	/* PSI bars drawn; the rest in the table */

static const char style[] = PF_HTML_STYLE
    "#summary{font-size:1.2em;font-weight:bold;padding:.5em;"
    "border:3px solid #333}"
    ".tops td{vertical-align:top}code{word-break:break-all}";

static const char *const status_word[] = {"same", "changed", "added",
    "removed"};

/* s escaped; nothing for NULL. */
static void
text(FILE *f, const char *s)
{
	if (s != NULL)
		pf_xml_text(f, s);
}


/* +1 significant gain, -1 significant loss, 0 otherwise (adjusted p). */
static int
sig(const pf_diff_metric *m)
{
	double p = m->family == PF_DIFF_NO_FAMILY ? m->p : m->p_adj;

	if (!(p < 0.05) || !(m->lo > 0 || m->hi < 0))
		return 0;
	return m->delta > 0 ? 1 : -1;
}

static void
run_row(FILE *f, const char *what, const char *a, const char *b)
{
	fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"l\">", what);
	T(a);
	fputs("</td><td class=\"l\">", f);
	T(b);
	fputs("</td></tr>\n", f);
}

static void
runs(FILE *f, const pf_diff_report *r)
{
	char ra[32], rb[32], sa[32], sb[32], qa[32], qb[32];

	pf_html_section(f, "runs", "The two runs");
	snprintf(ra, sizeof(ra), "%lld", r->a.run);
	snprintf(rb, sizeof(rb), "%lld", r->b.run);
	snprintf(sa, sizeof(sa), "%llu", (unsigned long long)r->a.seed);
	snprintf(sb, sizeof(sb), "%llu", (unsigned long long)r->b.seed);
	snprintf(qa, sizeof(qa), "%zu", r->a.nqueries);
	snprintf(qb, sizeof(qb), "%zu", r->b.nqueries);
	fputs("<table><tr><th scope=\"col\"></th><th scope=\"col\">A</th>"
	    "<th scope=\"col\">B</th></tr>\n", f);
	run_row(f, "source", r->a.source, r->b.source);
	run_row(f, "history run", r->a.run ? ra : "(a results.json)",
	    r->b.run ? rb : "(a results.json)");
	run_row(f, "time (UTC)", r->a.time, r->b.time);
	run_row(f, "scenario", r->a.scenario, r->b.scenario);
	run_row(f, "labels", r->a.labels, r->b.labels);
	run_row(f, "verdict", r->a.verdict, r->b.verdict);
	run_row(f, "seed", sa, sb);
	run_row(f, "preflight", r->a.version, r->b.version);
	run_row(f, "judged queries", qa, qb);
	fputs("</table>\n", f);
	for (size_t i = 0; i < r->nnotes; i++) {
		fputs("<p class=\"loss\"><strong>Note:</strong> ", f);
		T(r->notes[i]);
		fputs("</p>\n", f);
	}
	fputs("</section>\n", f);
}

static void
input_row(FILE *f, const pf_diff_input *in)
{
	fputs("<tr><td class=\"l\">", f);
	T(in->role);
	fprintf(f, "</td><td class=\"l\">%s</td><td class=\"l\">",
	    status_word[in->status & 3]);
	T(in->path_a ? in->path_a : "(none)");
	fputs("<br/><code>", f);
	T(in->sha_a);
	fputs("</code></td><td class=\"l\">", f);
	T(in->path_b ? in->path_b : "(none)");
	fputs("<br/><code>", f);
	T(in->sha_b);
	fputs("</code></td></tr>\n", f);
}

static void
inputs(FILE *f, const pf_diff_report *r)
{
	static const char head[] = "<table><tr><th scope=\"col\">role</th>"
	    "<th scope=\"col\">status</th><th scope=\"col\">A: path, sha256"
	    "</th><th scope=\"col\">B: path, sha256</th></tr>\n";
	size_t n = pf_diff_ninputs_changed(r);

	pf_html_section(f, "inputs", "Inputs that differ");
	fprintf(f, "<p>%zu of %zu input files differ (by sha256; a file of "
	    "the same role at another path is paired with the one it "
	    "replaced).</p>\n", n, r->ninputs);
	if (n > 0) {
		fputs(head, f);
		for (size_t i = 0; i < r->ninputs; i++)
			if (r->inputs[i].status != PF_DIFF_SAME)
				input_row(f, &r->inputs[i]);
		fputs("</table>\n", f);
	}
	fputs("<details><summary>Every input</summary>\n", f);
	fputs(head, f);
	for (size_t i = 0; i < r->ninputs; i++)
		input_row(f, &r->inputs[i]);
	fputs("</table></details>\n", f);
	fputs("<h3>Labels</h3>\n", f);
	if (!r->labels_known)
		fputs("<p>Not compared: a results.json keeps no run labels "
		    "(they are stored by run --history).</p>\n", f);
	else if (r->nlabels == 0)
		fputs("<p>The runs carry the same labels.</p>\n", f);
	else {
		fputs("<table><tr><th scope=\"col\">key</th><th scope=\"col\">"
		    "A</th><th scope=\"col\">B</th></tr>\n", f);
		for (size_t i = 0; i < r->nlabels; i++)
			run_row(f, r->labels[i].key, r->labels[i].a ?
			    r->labels[i].a : "(none)", r->labels[i].b ?
			    r->labels[i].b : "(none)");
		fputs("</table>\n", f);
	}
	fputs("</section>\n", f);
}

static void
metric_row(FILE *f, const pf_diff_metric *m)
{
	int s = sig(m);

	fputs("<tr><th scope=\"row\">", f);
	T(m->metric);
	if (m->family == PF_DIFF_EXPLORATORY)
		fputs(" <small>exploratory</small>", f);
	fputs("</th><td>", f);
	pf_html_num(f, "%.4f", m->mean_a);
	fputs("</td><td>", f);
	pf_html_num(f, "%.4f", m->mean_b);
	fprintf(f, "</td><td class=\"%s\">", s > 0 ? "gain" : s < 0 ? "loss" :
	    "ns");
	pf_html_num(f, "%+.4f", m->delta);
	fputs("</td><td>[", f);
	pf_html_num(f, "%+.4f", m->lo);
	fputs(", ", f);
	pf_html_num(f, "%+.4f", m->hi);
	fputs("]</td><td>", f);
	pf_html_num(f, "%.4f", m->p);
	fputs("</td><td>", f);
	pf_html_num(f, "%.4f", m->p_adj);
	fprintf(f, "%s</td><td>%zu/%zu/%zu</td><td>%zu", m->family ==
	    PF_DIFF_EXPLORATORY ? " (q)" : m->family == PF_DIFF_CONFIRMATORY ?
	    " (Holm)" : "", m->wins, m->losses, m->ties, m->n);
	if (m->only_a + m->only_b > 0)
		fprintf(f, " (+%zu A only, +%zu B only)", m->only_a, m->only_b);
	fprintf(f, "</td><td class=\"l\">%s</td></tr>\n", !m->changed ?
	    "= unchanged" : pf_html_mark(s));
}

/* Stack rows [i, j) of the metrics: a table and a forest plot. */
static void
stack_block(FILE *f, const pf_diff_report *r, size_t i, size_t j)
{
	pf_forest_row *rows = calloc(j - i + 1, sizeof(*rows));
	char title[512];
	size_t n = 0, changed = 0;

	for (size_t k = i; k < j; k++)
		changed += r->metrics[k].changed;
	fputs("<h3>", f);
	T(r->metrics[i].stack);
	fputs("</h3>\n", f);
	if (changed == 0)	/* nothing moved: one sentence, table folded */
		fprintf(f, "<p>= Unchanged on all %zu metrics: every common "
		    "query has the same value in both runs.</p>\n<details>"
		    "<summary>The values</summary>\n", j - i);
	fputs("<table><tr><th scope=\"col\">metric</th><th scope="
	    "\"col\">A</th><th scope=\"col\">B</th><th scope=\"col\">"
	    "\xce\x94 (B \xe2\x88\x92 A)</th><th scope=\"col\">95% CI</th><th "
	    "scope=\"col\">p (perm.)</th><th scope=\"col\">adj. p</th><th "
	    "scope=\"col\">W/L/T</th><th scope=\"col\">queries</th><th "
	    "scope=\"col\"></th></tr>\n", f);
	for (size_t k = i; k < j; k++) {
		metric_row(f, &r->metrics[k]);
		if (rows != NULL && r->metrics[k].n > 0)
			rows[n++] = (pf_forest_row){r->metrics[k].metric,
			    r->metrics[k].delta, r->metrics[k].lo,
			    r->metrics[k].hi, sig(&r->metrics[k])};
	}
	fputs("</table>\n", f);
	if (changed == 0) {
		fputs("</details>\n", f);
		free(rows);
		return;
	}
	snprintf(title, sizeof(title), "%s: B minus A per metric, paired on "
	    "the common queries, with 95%% bootstrap CIs", r->metrics[i].stack);
	fputs("<p><em>", f);
	T(title);
	fputs("</em></p>\n", f);
	if (rows != NULL && n > 0)
		pf_svg_forest(f, title, "\xce\x94 = B \xe2\x88\x92 A (metric "
		    "units), 95% bootstrap CI", rows, n);
	free(rows);
}

static void
metrics(FILE *f, const pf_diff_report *r)
{
	pf_html_section(f, "metrics", "Metrics");
	fputs("<p>Each stack both runs have, on each metric both measured: "
	    "the means each run reported, and B minus A paired on the judged "
	    "queries both have. Adjusted p: Holm over the stacks on the "
	    "primary metric (", f);
	T(r->primary ? r->primary : "none in common");
	fputs("), Benjamini\xe2\x80\x93Hochberg q over the rest.</p>\n", f);
	for (size_t i = 0, j; i < r->nmetrics; i = j) {
		for (j = i + 1; j < r->nmetrics && strcmp(r->metrics[j].stack,
		    r->metrics[i].stack) == 0; j++)
			;
		stack_block(f, r, i, j);
	}
	fputs("</section>\n", f);
}

static void
rank_cell(FILE *f, double rr)
{
	if (rr > 0)
		fprintf(f, "%.0f", 1.0 / rr);
	else
		fputs("none", f);
}

/* One top ten as a list, the first relevant document (rank) marked. */
static void
top_list(FILE *f, const char *const *t, double rr)
{
	size_t first = rr > 0 ? (size_t)floor(1.0 / rr + 0.5) : 0;

	if (t == NULL) {
		fputs("(not kept)", f);
		return;
	}
	fputs("<ol>", f);
	for (size_t i = 0; i < PF_DIFF_TOPK && t[i] != NULL; i++) {
		fputs("<li>", f);
		T(t[i]);
		if (i + 1 == first)
			fputs(" \xe2\x98\x85 first relevant", f);
		fputs("</li>", f);
	}
	fputs("</ol>", f);
}

static void
movers(FILE *f, const pf_diff_report *r)
{
	pf_html_section(f, "queries", "Queries whose first relevant document moved "
	    "most");
	if (r->movers_note != NULL) {
		fputs("<p>", f);
		T(r->movers_note);
		fputs(".</p>\n", f);
	}
	if (r->nmovers == 0) {
		fputs("<p>No query's first relevant document moved.</p>\n"
		    "</section>\n", f);
		return;
	}
	fputs("<p>Rank of the first relevant document = 1 / recip_rank "
	    "(\"none\": not in the ranked list); the largest changes of "
	    "recip_rank first.</p>\n<table class=\"tops\"><tr><th scope=\"col\">"
	    "stack</th><th scope=\"col\">query</th><th scope=\"col\">rank A"
	    "</th><th scope=\"col\">rank B</th><th scope=\"col\">top tens"
	    "</th></tr>\n", f);
	for (size_t i = 0; i < r->nmovers; i++) {
		const pf_diff_mover *m = &r->movers[i];
		fputs("<tr><td class=\"l\">", f);
		T(m->stack);
		fputs("</td><td class=\"l\">", f);
		T(m->qid);
		fputs("</td><td>", f);
		rank_cell(f, m->rr_a);
		fputs("</td><td>", f);
		rank_cell(f, m->rr_b);
		fputs("</td><td class=\"l\"><details><summary>A and B</summary>"
		    "<table><tr><th scope=\"col\">A</th><th scope=\"col\">B</th>"
		    "</tr><tr><td class=\"l\">", f);
		top_list(f, m->top_a, m->rr_a);
		fputs("</td><td class=\"l\">", f);
		top_list(f, m->top_b, m->rr_b);
		fputs("</td></tr></table></details></td></tr>\n", f);
	}
	fputs("</table>\n</section>\n", f);
}

static void
flips(FILE *f, const pf_diff_report *r)
{
	pf_html_section(f, "gates", "Gates and expectations whose outcome changed");
	if (r->nflips == 0) {
		fputs("<p>None: every gate and expectation has the same outcome "
		    "in both runs.</p>\n</section>\n", f);
		return;
	}
	fputs("<table><tr><th scope=\"col\">gate or expectation</th><th "
	    "scope=\"col\">A</th><th scope=\"col\">B</th><th scope=\"col\">B's "
	    "message</th></tr>\n", f);
	for (size_t i = 0; i < r->nflips; i++) {
		const pf_diff_flip *x = &r->flips[i];
		int worse = x->status_b && (strcmp(x->status_b, "fail") == 0 ||
		    strcmp(x->status_b, "error") == 0);
		fputs("<tr><td class=\"l\">", f);
		T(x->name);
		fputs("</td><td class=\"l\">", f);
		T(x->status_a ? x->status_a : "(absent)");
		fprintf(f, "</td><td class=\"l %s\">%s", worse ? "loss" : "gain",
		    worse ? "\xe2\x96\xbc " : "");
		T(x->status_b ? x->status_b : "(absent)");
		fputs("</td><td class=\"l\">", f);
		T(x->message_b);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n</section>\n", f);
}

static void
drift_row(FILE *f, const pf_diff_drift *d)
{
	fputs("<tr><td class=\"l\">", f);
	char lb[512];
	T(d->stack);
	fputs("</td><td class=\"l\">", f);
	T(pf_feat_label(lb, sizeof(lb), d->name, d->feature));
	fputs("</td><td>", f);
	pf_html_num(f, "%.3f", d->psi);
	fputs("</td><td>", f);
	pf_html_num(f, "%.3f", d->miss_a);
	fputs("</td><td>", f);
	pf_html_num(f, "%.3f", d->miss_b);
	fputs("</td><td>", f);
	pf_html_num(f, "%.4f", d->mean_a);
	fputs("</td><td>", f);
	pf_html_num(f, "%.4f", d->mean_b);
	fprintf(f, "</td><td class=\"l\">%s</td></tr>\n", d->flagged ?
	    "\xe2\x96\xb2 drifted" : "stable");
}

static void
drift(FILE *f, const pf_diff_report *r)
{
	static const char head[] = "<table><tr><th scope=\"col\">stack</th>"
	    "<th scope=\"col\">feature</th><th scope=\"col\">PSI</th><th "
	    "scope=\"col\">missing A</th><th scope=\"col\">missing B</th><th "
	    "scope=\"col\">mean A</th><th scope=\"col\">mean B</th><th "
	    "scope=\"col\"></th></tr>\n";
	const char *title = "PSI of each feature, B against A (bins: A's "
	    "deciles); 0.1 moderate, 0.25 large";
	pf_bar_row bars[MAXBARS];
	char label[MAXBARS][96];
	size_t nb = 0, nf = 0;

	pf_html_section(f, "drift", "Features whose statistics drifted");
	if (r->drift_note != NULL) {
		fputs("<p>", f);
		T(r->drift_note);
		fputs(".</p>\n</section>\n", f);
		return;
	}
	for (size_t i = 0; i < r->ndrift; i++) {
		nf += r->drift[i].flagged;
		if (nb < MAXBARS && isfinite(r->drift[i].psi)) {
			snprintf(label[nb], sizeof(label[nb]), "%s %s",
			    r->drift[i].stack, r->drift[i].name);
			bars[nb] = (pf_bar_row){label[nb], r->drift[i].psi, NAN,
			    NAN, !r->drift[i].flagged};
			nb++;
		}
	}
	fprintf(f, "<p>%zu of %zu features drifted (PSI at least 0.1, or a "
	    "missing rate that moved 5 points).</p>\n<p><em>", nf, r->ndrift);
	T(title);
	fputs("</em></p>\n", f);
	if (nb > 0)
		pf_svg_bars(f, title, "population stability index (PSI; 0.1 "
		    "flags drift)", bars, nb);
	fputs("<details><summary>Every feature compared</summary>\n", f);
	fputs(head, f);
	for (size_t i = 0; i < r->ndrift; i++)
		drift_row(f, &r->drift[i]);
	fputs("</table></details>\n</section>\n", f);
}

int
pf_diff_write_html(const pf_diff_report *r, FILE *f, pf_err *err)
{
	size_t moved = 0, flipped = 0;

	for (size_t i = 0; i < r->nmetrics; i++)
		moved += r->metrics[i].changed;
	for (size_t i = 0; i < r->ndrift; i++)
		flipped += r->drift[i].flagged;
	fprintf(f, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml"
	    "\" lang=\"en\">\n<head><meta charset=\"utf-8\"/><title>preflight "
	    "diff</title>\n<style>%s</style></head>\n<body>\n<h1>preflight diff"
	    "</h1>\n<nav><a href=\"#runs\">runs</a> \xc2\xb7 <a href=\"#inputs"
	    "\">inputs</a> \xc2\xb7 <a href=\"#metrics\">metrics</a> \xc2\xb7 "
	    "<a href=\"#queries\">queries</a> \xc2\xb7 <a href=\"#gates\">"
	    "gates</a> \xc2\xb7 <a href=\"#drift\">drift</a> \xc2\xb7 <a href="
	    "\"#method\">method</a></nav>\n<p id=\"summary\">", style);
	fprintf(f, "%zu of %zu inputs differ; %zu of %zu stack \xc3\x97 metric "
	    "pairs moved; %zu gate or expectation outcome%s changed; ",
	    pf_diff_ninputs_changed(r), r->ninputs, moved, r->nmetrics,
	    r->nflips, r->nflips == 1 ? "" : "s");
	if (r->drift_note != NULL)
		fputs("feature drift not compared.</p>\n", f);
	else
		fprintf(f, "%zu feature%s drifted.</p>\n", flipped, flipped ==
		    1 ? "" : "s");
	runs(f, r);
	inputs(f, r);
	metrics(f, r);
	movers(f, r);
	flips(f, r);
	drift(f, r);
	pf_html_section(f, "method", "Method");
	fputs("<p>", f);
	T(r->method);
	fputs("</p>\n<p>Command: <code>", f);
	T(r->command);
	fputs("</code>; generated <span id=\"generated\">", f);
	T(r->generated);
	fputs("</span>. The same numbers are in <a href=\"diff.json\">diff.json"
	    "</a>.</p>\n</section>\n</body>\n</html>\n", f);
	if (ferror(f))
		return pf_err_set(err, PF_EIO, NULL, 0, "cannot write diff.html");
	return PF_OK;
}

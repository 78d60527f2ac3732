/*
 * reports/html_importance.c — the report's feature importance (the "Why"
 * section): one bar chart per <features> with CI whiskers, the top items
 * and the rest folded into one "N more" line, and a table.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/importance.h"
#include "reports/svg.h"

static void
one(FILE *f, const pf_rep_importance *m)
{
	size_t n = m->nitems, show = n < m->top ? n : m->top;
	size_t *ord = malloc((n + 1) * sizeof(*ord));
	pf_bar_row *rows = calloc(show + 2, sizeof(*rows));
	char title[256], more[64], xt[256];
	int perm = strcmp(m->method, "permute") == 0;

	if (ord == NULL || rows == NULL) {
		free(ord);
		free(rows);
		return;
	}
	pf_rep_importance_order(m, ord);
	fputs("<h3>Feature importance: ", f);
	pf_xml_text(f, m->stack);
	fprintf(f, ", stage %zu (", m->stage_pos);
	pf_xml_text(f, m->stage);
	fputs(")</h3>\n<p>", f);
	if (perm)
		fprintf(f, "Each feature (or group) permuted within every query, "
		    "%zu repeat%s; query-level features (constant inside every "
		    "query) permuted across queries. ", m->nrep, m->nrep == 1 ?
		    "" : "s");
	else
		fputs("Each feature (or group) replaced by ", f);
	if (!perm)
		fprintf(f, "%s. ", strcmp(m->method, "mean") == 0 ?
		    "its mean over all candidates" : strcmp(m->method,
		    "query-mean") == 0 ? "its mean within the query" :
		    strcmp(m->method, "zero") == 0 ? "0" : "missing (NaN)");
	fputs("Importance = ", f);
	pf_xml_text(f, m->metric);
	fprintf(f, " with intact features (%.4f) minus with the feature "
	    "changed, over %zu judged queries; whiskers: 95%% query-bootstrap "
	    "CI (%zu resamples). Grey bars: the CI contains 0. The model is "
	    "not retrained: this is what the model relies on, not what the "
	    "data could offer.</p>\n", m->baseline, m->nq, m->n_boot);
	double rest = 0.0;
	for (size_t j = 0; j < n; j++) {
		const pf_rep_imp_item *it = &m->items[ord[j]];
		if (j < show)
			rows[j] = (pf_bar_row){it->name, it->mean, it->lo, it->hi,
			    !(it->lo > 0.0 || it->hi < 0.0)};
		else
			rest += it->mean;
	}
	size_t nr = show;
	if (show < n) {
		snprintf(more, sizeof(more), "%zu more (sum)", n - show);
		rows[nr++] = (pf_bar_row){more, rest, NAN, NAN, 1};
	}
	snprintf(title, sizeof(title), "Feature importance on %s, stack %s",
	    m->metric, m->stack);
	snprintf(xt, sizeof(xt), "importance: drop in %s (%s units)",
	    m->metric, m->metric);
	pf_svg_bars(f, title, xt, rows, nr);
	fputs("<p class=\"caption\">Each bar is one feature (or group): how "
	    "much the metric drops without it; whiskers are 95% CIs, grey bars "
	    "CIs that contain 0.</p>\n", f);
	fputs("<table><tr><th>feature</th><th>importance</th><th>95% CI</th>"
	    "<th>SD over repeats</th><th>share</th><th>note</th></tr>\n", f);
	for (size_t j = 0; j < show; j++) {
		const pf_rep_imp_item *it = &m->items[ord[j]];
		fputs("<tr><td>", f);
		pf_xml_text(f, it->name);
		if (it->group) {
			fputs(" (", f);
			for (size_t i = 0; i < it->nfeat; i++)
				fprintf(f, "%s%d", i ? " " : "", it->feat[i]);
			fputs(")", f);
		}
		fprintf(f, "</td><td>%+.4f</td><td>[%+.4f, %+.4f]</td><td>%.4f"
		    "</td><td>%.1f%%</td><td>%s%s</td></tr>\n", it->mean, it->lo,
		    it->hi, it->std, 100.0 * it->share, it->query_level ?
		    "query-level: permuted across queries" : "",
		    !(it->lo > 0.0 || it->hi < 0.0) ? (it->query_level ?
		    "; CI contains 0" : "CI contains 0") : "");
	}
	if (show < n)
		fprintf(f, "<tr><td>%zu more</td><td>%+.4f (sum)</td><td></td>"
		    "<td></td><td></td><td>in results.json</td></tr>\n",
		    n - show, rest);
	fputs("</table>\n", f);
	if (m->has_max_share) {
		size_t at;
		double top = pf_rep_importance_top_share(m, &at);
		fputs("<p>Gate: no single feature may carry more than ", f);
		fprintf(f, "%.0f%% of the summed positive importance: ",
		    100.0 * m->max_share);
		if (n > 0 && top > 0) {
			pf_xml_text(f, m->items[at].name);
			fprintf(f, " carries %.1f%% \xe2\x80\x94 %s.</p>\n",
			    100.0 * top, top > m->max_share ? "\xe2\x96\xbc "
			    "FAILED" : "passed");
		} else
			fputs("no feature has a positive importance \xe2\x80\x94 "
			    "passed.</p>\n", f);
	}
	free(ord);
	free(rows);
}

void
pf_html_importance(FILE *f, const pf_rep_importance *const *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		one(f, m[i]);
}

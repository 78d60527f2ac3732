/*
 * reports/html_queries.c — report.html's "Every query" table: one row per
 * judged query with its text, its dimension values, each stack's primary
 * metric, each treatment's delta and the rank of the first relevant
 * document per stack; the row's id is q-QID, which chart marks and movers
 * link to. Sorted by the first treatment's delta, most hurt first. No
 * JavaScript: a plain table that scrolls in its own box.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html.h"
#include "reports/html_kit.h"
#include "reports/svg.h"

int
pf_html_dim_varies(const pf_report *r, size_t d)
{
	const char *first = NULL;

	for (size_t q = 0; r->dim != NULL && q < r->nq; q++) {
		const char *v = r->dim[q * r->ndims + d];
		if (!r->judged[q] || v == NULL)
			continue;
		if (first == NULL)
			first = v;
		else if (strcmp(first, v) != 0)
			return 1;
	}
	return 0;
}

int
pf_html_has_text(const pf_report *r)
{
	for (size_t q = 0; r->qtext != NULL && q < r->nq; q++)
		if (r->qtext[q] != NULL && r->qtext[q][0] != '\0')
			return 1;
	return 0;
}

void
pf_html_qlink(FILE *f, const char *qid)
{
	fputs("<a href=\"#q-", f);
	pf_html_id(f, qid);
	fputs("\">", f);
	pf_xml_text(f, qid);
	fputs("</a>", f);
}

typedef struct qrow {
	double	d;
	size_t	q;
} qrow;

static int
cmp_qrow(const void *a, const void *b)
{
	const qrow *x = a, *y = b;

	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return (x->q > y->q) - (x->q < y->q);
}

static void
header(FILE *f, const pf_report *r, int text)
{
	fputs("<tr><th scope=\"col\" class=\"l\">query</th>", f);
	if (text)
		fputs("<th scope=\"col\" class=\"l\">text</th>", f);
	for (size_t d = 0; d < r->ndims; d++)
		if (pf_html_dim_varies(r, d)) {
			fputs("<th scope=\"col\" class=\"l\">", f);
			pf_xml_text(f, r->dim_name[d]);
			fputs("</th>", f);
		}
	for (size_t k = 0; k < r->nstacks; k++) {
		fputs("<th scope=\"col\">", f);
		pf_xml_text(f, r->stacks[k].id);
		fputs("</th>", f);
	}
	for (size_t k = 1; k < r->nstacks; k++) {
		fputs("<th scope=\"col\">\xce\x94 ", f);
		pf_xml_text(f, r->stacks[k].id);
		fputs("</th>", f);
	}
	for (size_t k = 0; r->first_rel != NULL && k < r->nstacks; k++) {
		fputs("<th scope=\"col\">1st rel. ", f);
		pf_xml_text(f, r->stacks[k].id);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
}

static void
row(FILE *f, const pf_report *r, size_t q, int text)
{
	const double *pv = r->primary_values;

	fputs("<tr id=\"q-", f);
	pf_html_id(f, r->qids[q]);
	fputs("\"><th scope=\"row\">", f);
	pf_xml_text(f, r->qids[q]);
	fputs("</th>", f);
	if (text) {
		fputs("<td class=\"l\">", f);
		pf_xml_text(f, r->qtext[q] ? r->qtext[q] : "");
		fputs("</td>", f);
	}
	for (size_t d = 0; d < r->ndims; d++)
		if (pf_html_dim_varies(r, d)) {
			const char *v = r->dim[q * r->ndims + d];
			fputs("<td class=\"l\">", f);
			pf_xml_text(f, v ? v : "");
			fputs("</td>", f);
		}
	for (size_t k = 0; k < r->nstacks; k++) {
		fputs("<td>", f);
		pf_html_num(f, "%.4f", pv[k * r->nq + q]);
		fputs("</td>", f);
	}
	for (size_t k = 1; k < r->nstacks; k++) {
		double d = pv[k * r->nq + q] - pv[q];
		d = pf_nz(d, 4);
		fprintf(f, "<td class=\"%s\">%s", d > 0 ? "gain" : d < 0 ?
		    "loss" : "ns", d > 0 ? "\xe2\x96\xb2" : d < 0 ?
		    "\xe2\x96\xbc" : "=");
		pf_html_num(f, "%+.4f", d);
		fputs("</td>", f);
	}
	for (size_t k = 0; r->first_rel != NULL && k < r->nstacks; k++) {
		size_t at = r->first_rel[k * r->nq + q];
		if (at > 0)
			fprintf(f, "<td>%zu</td>", at);
		else
			fputs("<td>none</td>", f);
	}
	fputs("</tr>\n", f);
}

void
pf_html_query_table(FILE *f, const pf_report *r)
{
	qrow *v = malloc((r->nq + 1) * sizeof(*v));
	size_t n = 0;
	int text = pf_html_has_text(r);

	pf_html_section(f, "query-table", "Every query");
	if (v == NULL) {
		fputs("<p>Out of memory.</p></section>\n", f);
		return;
	}
	for (size_t q = 0; q < r->nq; q++)
		if (r->judged[q]) {
			double d = r->nstacks > 1 ?
			    r->primary_values[r->nq + q] -
			    r->primary_values[q] : 0;
			v[n++] = (qrow){isfinite(d) ? d : 0, q};
		}
	qsort(v, n, sizeof(*v), cmp_qrow);
	fprintf(f, "<p>The %zu judged queries, one row each, on ", n);
	pf_xml_text(f, r->primary_name);
	fputs(", sorted by ", f);
	pf_xml_text(f, r->nstacks > 1 ? r->stacks[1].id : r->stacks[0].id);
	fputs("'s \xce\x94 (treatment \xe2\x88\x92 control), most hurt first. "
	    "1st rel. is the rank of the first relevant document (grade "
	    "above 0) in each stack's list; none: no relevant document "
	    "retrieved. Charts and movers link here by query.</p>\n"
	    "<div class=\"scroll\"><table>\n", f);
	header(f, r, text);
	for (size_t i = 0; i < n; i++)
		row(f, r, v[i].q, text);
	fputs("</table></div>\n</section>\n", f);
	free(v);
}

/*
 * reports/html_movers.c — report.html's movers of one treatment: the most
 * improved and the most hurt queries in two tables, each row linking to
 * the query's row of "Every query" and holding the two top tens side by
 * side (docids with their docs.tsv titles, truncated, when the golden set
 * has a corpus), grades explained under the tables.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html.h"
#include "reports/html_kit.h"
#include "reports/svg.h"

#define TITLE_MAX	60	/* bytes of a title shown */

typedef struct mover {
	double		d;
	size_t		q;
} mover;

static int
cmp_mover(const void *a, const void *b)
{
	const mover *x = a, *y = b;

	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return (x->q > y->q) - (x->q < y->q);	/* stable by query */
}

/* A document: its id, then its title cut to TITLE_MAX bytes (UTF-8). */
static void
doc_cell(FILE *f, const char *id, const char *title)
{
	fputs("<td class=\"l\">", f);
	pf_xml_text(f, id ? id : "");
	if (id != NULL && title != NULL && title[0] != '\0') {
		size_t n = strlen(title);
		char cut[TITLE_MAX + 4];
		if (n > TITLE_MAX) {
			n = TITLE_MAX;
			while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(cut, title, n);
		strcpy(cut + n, n < strlen(title) ? "\xe2\x80\xa6" : "");
		fputs("<br/><small title=\"", f);
		pf_xml_text(f, title);
		fputs("\">", f);
		pf_xml_text(f, cut);
		fputs("</small>", f);
	}
	fputs("</td>", f);
}

static void
grade_cell(FILE *f, const char *id, int32_t g, int *neg)
{
	fputs("<td>", f);
	if (id != NULL && g == PF_REP_UNJUDGED)
		fputs("unjudged", f);
	else if (id != NULL) {
		fprintf(f, "%d%s", g, g < 0 ? "*" : "");
		*neg |= g < 0;
	}
	fputs("</td>", f);
}

/* The two top-k lists of query q, side by side, with rank movement. */
static void
side_by_side(FILE *f, const pf_report *r, size_t k, size_t q, int *neg)
{
	size_t a0 = (0 * r->nq + q) * PF_REP_TOPK, b0 = (k * r->nq + q) *
	    PF_REP_TOPK;
	const char *const *a = r->top_id + a0, *const *b = r->top_id + b0;

	fputs("<details><summary>top ten</summary>\n<table><tr><th scope="
	    "\"col\">rank</th><th scope=\"col\">", f);
	pf_xml_text(f, r->stacks[0].id);
	fputs("</th><th scope=\"col\">grade</th><th scope=\"col\">", f);
	pf_xml_text(f, r->stacks[k].id);
	fputs("</th><th scope=\"col\">grade</th><th scope=\"col\">moved"
	    "</th></tr>\n", f);
	for (size_t i = 0; i < PF_REP_TOPK && (a[i] || b[i]); i++) {
		fprintf(f, "<tr><td>%zu</td>", i + 1);
		doc_cell(f, a[i], r->top_title ? r->top_title[a0 + i] : NULL);
		grade_cell(f, a[i], r->top_grade[a0 + i], neg);
		doc_cell(f, b[i], r->top_title ? r->top_title[b0 + i] : NULL);
		grade_cell(f, b[i], r->top_grade[b0 + i], neg);
		fputs("<td>", f);
		if (b[i]) {
			size_t j = 0;
			while (j < PF_REP_TOPK && a[j] && strcmp(a[j], b[i]))
				j++;
			if (j < PF_REP_TOPK && a[j] == NULL)
				j = PF_REP_TOPK;
			if (j == PF_REP_TOPK)
				fputs("new", f);
			else if (j == i)
				fputs("=", f);
			else
				fprintf(f, "%s%zu", j > i ? "\xe2\x96\xb2" :
				    "\xe2\x96\xbc", j > i ? j - i : i - j);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table></details>", f);
}

/* One table of movers mv[0..n), in that order. */
static void
movers_table(FILE *f, const pf_report *r, size_t k, const mover *mv,
    size_t n, int *neg)
{
	const double *c = r->primary_values, *t = r->primary_values + k * r->nq;
	int text = pf_html_has_text(r);

	fprintf(f, "<div class=\"scroll\"><table><tr><th scope=\"col\" class=\"l\">query"
	    "</th>%s<th scope=\"col\">control</th><th scope=\"col\">treatment"
	    "</th><th scope=\"col\">\xce\x94</th>%s</tr>\n", text ? "<th "
	    "scope=\"col\" class=\"l\">text</th>" : "", r->top_id ? "<th scope=\"col\">"
	    "top ten, side by side</th>" : "");
	for (size_t i = 0; i < n; i++) {
		size_t q = mv[i].q;
		fputs("<tr><td class=\"l\">", f);
		pf_html_qlink(f, r->qids[q]);
		fputs("</td>", f);
		if (text) {
			fputs("<td class=\"l\">", f);
			pf_xml_text(f, r->qtext[q] ? r->qtext[q] : "");
			fputs("</td>", f);
		}
		fprintf(f, "<td>%.4f</td><td>%.4f</td><td class=\"%s\">%s%+.4f"
		    "</td>", c[q], t[q], mv[i].d > 0 ? "gain" : "loss",
		    mv[i].d > 0 ? "\xe2\x96\xb2" : "\xe2\x96\xbc", mv[i].d);
		if (r->top_id != NULL) {
			fputs("<td class=\"l\">", f);
			side_by_side(f, r, k, q, neg);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

void
pf_html_movers(FILE *f, const pf_report *r, size_t k)
{
	const double *c = r->primary_values, *t = r->primary_values + k * r->nq;
	mover *mv = malloc((r->nq + 1) * sizeof(*mv)), *up;
	size_t n = 0, m, nup = 0, ndown = 0;
	int neg = 0;

	if (mv == NULL)
		return;
	for (size_t q = 0; q < r->nq; q++)
		if (isfinite(c[q]) && isfinite(t[q]))
			mv[n++] = (mover){t[q] - c[q], q};
	qsort(mv, n, sizeof(*mv), cmp_mover);
	m = r->nmovers < n / 2 ? r->nmovers : n / 2;
	while (ndown < m && mv[ndown].d < 0)
		ndown++;
	if ((up = malloc((m + 1) * sizeof(*up))) == NULL) {
		free(mv);
		return;
	}
	while (nup < m && mv[n - 1 - nup].d > 0) {
		up[nup] = mv[n - 1 - nup];
		nup++;
	}
	fputs("<h4 id=\"movers-", f);
	pf_html_id(f, r->stacks[k].id);
	fputs("\">Most improved and most hurt queries</h4>\n", f);
	fprintf(f, "<h5 class=\"gain\">\xe2\x96\xb2 Improved: the %zu "
	    "quer%s the treatment helps most</h5>\n", nup, nup == 1 ? "y" :
	    "ies");
	if (nup > 0)
		movers_table(f, r, k, up, nup, &neg);
	fprintf(f, "<h5 class=\"loss\">\xe2\x96\xbc Hurt: the %zu quer%s the "
	    "treatment hurts most</h5>\n", ndown, ndown == 1 ? "y" : "ies");
	if (ndown > 0)
		movers_table(f, r, k, mv, ndown, &neg);
	if (r->top_id != NULL) {
		fputs("<p class=\"note\">Grades are the golden set's; unjudged: "
		    "the document has no judgment for the query (it counts as "
		    "non-relevant).", f);
		if (neg)
			fputs(" * A negative grade is a judgment below "
			    "non-relevant (junk or spam in TREC qrels): it counts "
			    "as judged with gain 0.", f);
		fputs("</p>\n", f);
	}
	free(up);
	free(mv);
}

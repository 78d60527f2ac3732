/*
 * reports/html_attrib.c — the attribution part of the report's "Why"
 * section (REPORTS.md §2): per treatment, the stage waterfall (Shapley
 * values that sum to the end-to-end delta), the players' table with the
 * one-at-a-time views, the ablations; then the oracle split per stack.
 */
#include <math.h>
#include <stdlib.h>

#include "reports/attrib.h"
#include "reports/svg.h"

#define T(s)	pf_xml_text(f, (s))

/* v with prec decimals, signed when sign; n/a when not finite. */
static void
num(FILE *f, int sign, int prec, double v)
{
	if (!isfinite(v))
		fputs("n/a", f);
	else if (sign)
		fprintf(f, "%+.*f", prec, v);
	else
		fprintf(f, "%.*f", prec, v);
}

/* One table cell: <td>v</td>. */
static void
td(FILE *f, int sign, int prec, double v)
{
	fputs("<td>", f);
	num(f, sign, prec, v);
	fputs("</td>", f);
}

static void
ci(FILE *f, double lo, double hi)
{
	fputs(" [", f);
	num(f, 1, 4, lo);
	fputs(", ", f);
	num(f, 1, 4, hi);
	fputs("]", f);
}

static void
pair_html(FILE *f, const pf_attrib *a, const pf_attrib_pair *p)
{
	pf_step *st = calloc(p->nplayers + 1, sizeof(*st));
	char title[512], xt[256];

	fputs("<h3>Stages: ", f);
	T(p->treatment);
	fputs(" vs ", f);
	T(p->control);
	fputs("</h3>\n<p>Exact Shapley values over the stage slots that "
	    "differ (each hybrid stack replayed: a player from the treatment "
	    "or the control), per query, averaged over ", f);
	fprintf(f, "%zu judged queries; they sum to the end-to-end change of ",
	    a->nq);
	T(a->metric);
	fputs(" (", f);
	num(f, 0, 4, p->v_control);
	fputs(" \xe2\x86\x92 ", f);
	num(f, 0, 4, p->v_treatment);
	fputs(", ", f);
	num(f, 1, 4, p->delta);
	fprintf(f, "). %.0f%% bootstrap CIs from the same query resamples. "
	    "%zu stage runs per query with shared prefixes instead of %zu."
	    "</p>\n", 100 * (1 - a->alpha), p->runs_cached, p->runs_uncached);
	if (st != NULL) {
		for (size_t i = 0; i < p->nplayers; i++)
			st[i] = (pf_step){p->players[i].name, p->players[i].phi,
			    p->players[i].lo, p->players[i].hi};
		snprintf(title, sizeof(title), "Stage waterfall of %s: %s vs "
		    "%s, Shapley values summing to %+.4f", a->metric,
		    p->treatment, p->control, p->delta);
		snprintf(xt, sizeof(xt), "contribution to \xce\x94 %s "
		    "(Shapley value, %s units)", a->metric, a->metric);
		pf_svg_stage_waterfall(f, title, xt, st, p->nplayers,
		    "end to end", p->delta);
		fputs("<p class=\"caption\">Each bar is one stage's Shapley "
		    "share of the end-to-end delta, starting where the previous "
		    "one ended (\xe2\x96\xb2 raises it, \xe2\x96\xbc lowers it); "
		    "whiskers are 95% bootstrap CIs.</p>\n", f);
		free(st);
	}
	fputs("<table><tr><th scope=\"col\">player: stage (position)</th>"
	    "<th scope=\"col\">Shapley [CI]</th><th scope=\"col\">swap in "
	    "alone</th><th scope=\"col\">leave out</th></tr>\n", f);
	for (size_t i = 0; i < p->nplayers; i++) {
		const pf_attrib_player *x = &p->players[i];
		fputs("<tr><td class=\"l\">", f);
		T(x->name);
		if (x->nslots > 1)
			fputs(" <em>(merged: a feature stage goes with its "
			    "scorer)</em>", f);
		fputs("</td><td>", f);
		num(f, 1, 4, x->phi);
		ci(f, x->lo, x->hi);
		fputs("</td>", f);
		td(f, 1, 4, x->swap_in);
		td(f, 1, 4, x->leave_out);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	for (size_t i = 0; i < p->nplayers; i++)
		for (size_t j = i + 1; j < p->nplayers; j++) {
			double v = p->interaction[i * p->nplayers + j];
			fputs("<p>Interaction ", f);
			T(p->players[i].name);
			fputs(" \xc3\x97 ", f);
			T(p->players[j].name);
			fputs(": ", f);
			num(f, 1, 4, v);
			fputs(v < 0 ? " (the gains do not stack)</p>\n" :
			    "</p>\n", f);
		}
	if (p->nabl > 0) {
		fputs("<table><tr><th scope=\"col\">ablation of the treatment"
		    "</th><th scope=\"col\">", f);
		T(a->metric);
		fputs("</th><th scope=\"col\">change vs the treatment [CI]"
		    "</th></tr>\n", f);
		for (size_t i = 0; i < p->nabl; i++) {
			const pf_attrib_ablation *x = &p->abl[i];
			fputs("<tr><td class=\"l\">", f);
			T(x->what);
			fputs("</td>", f);
			if (x->ok) {
				td(f, 0, 4, x->value);
				fputs("<td>", f);
				num(f, 1, 4, x->delta);
				ci(f, x->lo, x->hi);
				fputs("</td>", f);
			} else {
				fputs("<td>n/a</td><td class=\"l\">cannot run: ",
				    f);
				T(x->why);
				fputs("</td>", f);
			}
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
}

static void
oracle_html(FILE *f, const pf_attrib *a)
{
	fputs("<div id=\"why-oracle\"><h3>Oracle headroom: what retrieval and "
	    "ranking lost</h3>\n<p>Per query, ideal = ", f);
	T(a->metric);
	fputs(" of every judged document ordered by grade; oracle = the "
	    "retrieval stage's candidates ordered by grade; retrieval lost = "
	    "ideal \xe2\x88\x92 oracle (no ranker could recover it), ranking "
	    "lost = oracle \xe2\x88\x92 actual; the two sum to the total "
	    "loss.</p>\n<table><tr><th scope=\"col\">stack</th><th scope="
	    "\"col\">actual</th><th scope=\"col\">ideal</th><th scope=\"col\">"
	    "lost</th><th scope=\"col\">retrieval lost</th><th scope=\"col\">"
	    "ranking lost</th><th scope=\"col\">recall of the candidates</th>"
	    "<th scope=\"col\">candidates</th></tr>\n", f);
	for (size_t k = 0; k < a->noracle; k++) {
		const pf_attrib_oracle *z = &a->oracle[k];
		fputs("<tr><th scope=\"row\">", f);
		T(z->stack);
		fputs("</th>", f);
		td(f, 0, 4, z->actual);
		td(f, 0, 4, z->ideal);
		td(f, 0, 4, z->total_loss);
		td(f, 0, 4, z->retrieval_loss);
		td(f, 0, 4, z->ranking_loss);
		td(f, 0, 4, z->recall_cand);
		td(f, 0, 1, z->mean_cands);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	for (size_t k = 0; k < a->noracle; k++) {
		const pf_attrib_oracle *z = &a->oracle[k];
		if (!(z->total_loss > 0))
			continue;
		fputs("<p>", f);
		T(z->stack);
		fprintf(f, ": %.0f%% of what it lost is %s.</p>\n", 100 *
		    fmax(z->retrieval_loss, z->ranking_loss) / z->total_loss,
		    z->ranking_loss >= z->retrieval_loss ? "ranking (relevant "
		    "documents retrieved but ranked low): a better retriever "
		    "alone will move the result little" : "retrieval (relevant "
		    "documents never retrieved): a better ranker alone cannot "
		    "recover it");
	}
	fputs("</div>\n", f);
}

void
pf_attrib_html(FILE *f, const pf_attrib *a)
{
	if (a->npairs > 0) {
		fputs("<div id=\"why-stages\">\n", f);
		for (size_t i = 0; i < a->npairs; i++)
			pair_html(f, a, &a->pairs[i]);
		fputs("</div>\n", f);
	}
	if (a->oracle != NULL)
		oracle_html(f, a);
}

/*
 * reports/html_verdict.c — report.html's verdict box: coloured by the
 * decision and signed (▲ request a slot, ▼ do not request, = inconclusive)
 * for readers who do not see the colour, naming the judged stacks with
 * their own verdicts and the control, then why, then the declared rule.
 */
#include <string.h>

#include "reports/html.h"
#include "reports/html_kit.h"
#include "reports/svg.h"

/* +1 REQUEST A SLOT, -1 DO NOT REQUEST, 0 otherwise. */
static int
decision_sign(const char *v)
{
	if (v == NULL)
		return 0;
	if (strcmp(v, "REQUEST A SLOT") == 0)
		return 1;
	return strcmp(v, "DO NOT REQUEST") == 0 ? -1 : 0;
}

static const char *
sign_mark(int s)
{
	return s > 0 ? "\xe2\x96\xb2" : s < 0 ? "\xe2\x96\xbc" : "=";
}

/* Each gate once, linked to its row, with its worst status. */
static void
gate_links(FILE *f, const pf_report *r)
{
	static const char *const st[] = {"pass", "FAIL", "ERROR", "skipped"};
	static const int rank[] = {0, 3, 2, 1};

	if (r->ngates == 0)
		return;
	fputs("<p id=\"verdict-gates\">Gates and expectations: ", f);
	for (size_t i = 0, n = 0; i < r->ngates; i++) {
		size_t j = 0;
		int worst = 0;
		while (j < i && strcmp(r->gates[j].id, r->gates[i].id) != 0)
			j++;
		if (j < i)
			continue;	/* named at its first row */
		for (j = i; j < r->ngates; j++)	/* FAIL > ERROR > skipped */
			if (strcmp(r->gates[j].id, r->gates[i].id) == 0 &&
			    rank[r->gates[j].status & 3] > rank[worst])
				worst = r->gates[j].status & 3;
		fputs(n++ ? ", " : "", f);
		fputs("<a href=\"#gate-", f);
		pf_html_id(f, r->gates[i].id);
		fputs("\">", f);
		pf_xml_text(f, r->gates[i].id);
		fprintf(f, "</a> <span class=\"%s\">%s</span>", worst == 1 ?
		    "loss" : "ns", st[worst]);
	}
	fputs(".</p>\n", f);
}

void
pf_html_verdict(FILE *f, const pf_report *r)
{
	int s = decision_sign(r->verdict);

	fprintf(f, "<div id=\"verdict-box\" class=\"vbox %s\">\n<p class="
	    "\"vhead\"><span class=\"vsign\">%s</span> <span id=\"verdict\">",
	    s > 0 ? "v-request" : s < 0 ? "v-refuse" : "v-inconclusive",
	    sign_mark(s));
	pf_xml_text(f, r->verdict);
	fputs("</span></p>\n<p id=\"verdict-who\">", f);
	if (r->nverdicts == 0) {
		fputs("Nothing judged: the scenario has no treatment to compare "
		    "with the control ", f);
	} else {
		fprintf(f, "Judged: ");
		for (size_t i = 0; i < r->nverdicts; i++) {
			int t = decision_sign(r->verdicts[i].verdict);
			fputs(i == 0 ? "" : ", ", f);
			fputs("<strong>", f);
			pf_xml_text(f, r->verdicts[i].stack);
			fprintf(f, "</strong> (<span class=\"%s\">%s ", t > 0 ?
			    "gain" : t < 0 ? "loss" : "ns", sign_mark(t));
			pf_xml_text(f, r->verdicts[i].verdict);
			fputs("</span>)", f);
		}
		fputs(" against the control ", f);
	}
	fputs("<strong>", f);
	pf_xml_text(f, r->nstacks > 0 ? r->stacks[0].id : "");
	fputs("</strong>, on ", f);
	pf_xml_text(f, r->primary_name);
	fputs(".</p>\n<p id=\"verdict-why\">", f);
	pf_xml_text(f, r->verdict_why);
	fputs("</p>\n", f);
	if (r->nverdicts > 1) {	/* one verdict per treatment */
		fputs("<ul id=\"verdicts\">\n", f);
		for (size_t i = 0; i < r->nverdicts; i++) {
			fputs("<li><strong>", f);
			pf_xml_text(f, r->verdicts[i].stack);
			fputs("</strong>: ", f);
			pf_xml_text(f, r->verdicts[i].verdict);
			fputs(" \xe2\x80\x94 ", f);
			pf_xml_text(f, r->verdicts[i].why);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	gate_links(f, r);
	fputs("<p id=\"rule\"><em>Decision rule (declared before the run):"
	    "</em> ", f);
	pf_xml_text(f, r->rule);
	fputs("</p>\n</div>\n", f);
}

/*
 * reports/trend_html_compare.c — trend.html's "What changed" section: the
 * last night against the base night (reports/trend.h says how they are
 * chosen): the focus series' overall paired change, the segments that
 * lost (worst contribution first), the queries that lost most, gates and
 * expectations newly failing, features that drifted and inputs whose
 * sha256 changed. The same facts as summary.md's, in full.
 */
#include <math.h>
#include <string.h>

#include "reports/model.h"
#include "reports/svg.h"
#include "reports/trend.h"
#include "reports/trend_fmt.h"

#define T(s)	pf_xml_text(f, (s))

static void
head(FILE *f, const char *id, const char *const *cols, size_t n)
{
	fprintf(f, "<table id=\"%s\"><tr>", id);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "<th scope=\"col\">%s</th>", cols[i]);
	fputs("</tr>\n", f);
}

static void
segments(FILE *f, const pf_trend *t)
{
	static const char *const cols[] = {"dimension", "value", "queries",
	    "change", "95% CI", "share of the change"};

	fputs("<h3>Segments that lost</h3>\n", f);
	if (t->nsegdrop == 0) {
		fputs("<p>None (or no dimension with 2 or more values).</p>\n",
		    f);
		return;
	}
	head(f, "segdrops", cols, 6);
	for (size_t i = 0; i < t->nsegdrop; i++) {
		const pf_trend_segdrop *s = &t->segdrop[i];
		fputs("<tr><td class=\"l\">", f);
		T(s->dim);
		fputs("</td><td class=\"l\">", f);
		T(s->value);
		fprintf(f, "</td><td>%zu</td><td class=\"%s\">\xe2\x96\xbc ", s->n,
		    s->hi < 0 ? "missed" : "unknown");
		pf_tf_num(f, 1, s->delta);
		fputs("</td><td>", f);
		pf_tf_ci(f, 1, s->lo, s->hi);
		fputs("</td><td>", f);
		if (isfinite(s->share))
			fprintf(f, "%.0f%%", 100 * s->share);
		else
			fputs("n/a", f);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
queries(FILE *f, const pf_trend *t)
{
	static const char *const cols[] = {"query", "base night", "last night",
	    "change"};

	fputs("<h3>Queries that lost most</h3>\n", f);
	if (t->nqdrop == 0) {
		fputs("<p>None.</p>\n", f);
		return;
	}
	head(f, "qdrops", cols, 4);
	for (size_t i = 0; i < t->nqdrop; i++) {
		const pf_trend_qdrop *q = &t->qdrop[i];
		fputs("<tr><td class=\"l\">", f);
		T(q->qid);
		fputs("</td><td>", f);
		pf_tf_num(f, 0, q->before);
		fputs("</td><td>", f);
		pf_tf_num(f, 0, q->after);
		fputs("</td><td class=\"missed\">\xe2\x96\xbc ", f);
		pf_tf_num(f, 1, q->after - q->before);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
broken(FILE *f, const pf_trend *t)
{
	fputs("<h3>Gates and expectations newly failing</h3>\n", f);
	if (t->nbroken == 0) {
		fputs("<p>None.</p>\n", f);
		return;
	}
	fputs("<ul id=\"broken\">\n", f);
	for (size_t i = 0; i < t->nbroken; i++) {
		fputs("<li class=\"missed\">", f);
		T(t->broken[i].kind);
		fputs(" <strong>", f);
		T(t->broken[i].gate);
		fputs("</strong> (", f);
		T(t->broken[i].what ? t->broken[i].what : "");
		fputs("): ", f);
		T(t->broken[i].message ? t->broken[i].message : "");
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

static void
drift(FILE *f, const pf_trend *t)
{
	static const char *const cols[] = {"stack", "feature", "PSI",
	    "reading", "missing (base)", "missing (last)"};

	fputs("<h3>Features that drifted</h3>\n", f);
	if (t->ndrift == 0) {
		fprintf(f, "<p>None: every feature's PSI is below %.2f and no "
		    "missing rate moved by %.0f points.</p>\n", t->psi_flag,
		    100 * t->miss_jump);
		return;
	}
	head(f, "drift", cols, 6);
	for (size_t i = 0; i < t->ndrift; i++) {
		const pf_trend_drift *d = &t->drift[i];
		fputs("<tr><td class=\"l\">", f);
		T(d->stack);
		fputs("</td><td class=\"l\">", f);
		T(d->name);
		fputs("</td><td>", f);
		if (isfinite(d->psi))
			fprintf(f, "%.3f</td><td class=\"l\">%s", d->psi,
			    d->psi >= 0.25 ? "large" : d->psi >= 0.1 ?
			    "moderate" : "stable");
		else
			fputs("n/a</td><td class=\"l\">", f);
		fprintf(f, "</td><td>%.1f%%</td><td>%.1f%%</td></tr>\n",
		    100 * d->miss_before, 100 * d->miss_after);
	}
	fputs("</table>\n", f);
}

static void
inputs(FILE *f, const pf_trend *t)
{
	static const char *const cols[] = {"role", "base night", "sha256",
	    "last night", "sha256"};

	fputs("<h3>Inputs changed</h3>\n", f);
	if (t->ninputs == 0) {
		fputs("<p>None: every input has the same path and sha256.</p>\n",
		    f);
		return;
	}
	head(f, "inputs", cols, 5);
	for (size_t i = 0; i < t->ninputs; i++) {
		const pf_trend_input *x = &t->inputs[i];
		const char *v[] = {x->role, x->path_before, x->sha_before,
		    x->path_after, x->sha_after};
		fputs("<tr>", f);
		for (size_t k = 0; k < 5; k++) {
			fputs("<td class=\"l\">", f);
			if ((k == 2 || k == 4) && v[k] != NULL) {
				/* the first 16 hex digits; all 64 on hover */
				fputs("<code title=\"", f);
				T(v[k]);
				fprintf(f, "\">%.16s\xe2\x80\xa6</code>", v[k]);
			} else
				T(v[k] ? v[k] : "(not read)");
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

void
pf_trend_html_compare(FILE *f, const pf_trend *t)
{
	const pf_trend_series *s = t->nseries ? &t->series[t->focus] : NULL;

	fputs("<section id=\"compare\"><h2>What changed</h2>\n", f);
	if (t->base == t->last) {
		fputs("<p>One night: no trend yet.</p>\n</section>\n", f);
		return;
	}
	fprintf(f, "<p id=\"compared\">Night %zu (run %lld) against night %zu "
	    "(run %lld), ", t->last + 1, (long long)t->night[t->last].run,
	    t->base + 1, (long long)t->night[t->base].run);
	T(t->base_why);
	if (s != NULL) {
		fputs(". ", f);
		T(s->metric);
		fputs(" on ", f);
		T(s->stack);
		fputs(": ", f);
		pf_tf_num(f, 1, t->delta);
		fputs(" [95% CI ", f);
		pf_tf_num(f, 1, t->lo);
		fputs(", ", f);
		pf_tf_num(f, 1, t->hi);
		fprintf(f, "] over the %zu queries both nights have", t->ncommon);
	}
	fputs(".</p>\n", f);
	segments(f, t);
	queries(f, t);
	broken(f, t);
	drift(f, t);
	inputs(f, t);
	fputs("</section>\n", f);
}

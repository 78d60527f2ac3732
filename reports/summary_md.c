/*
 * reports/summary_md.c — summary.md: the trend in a few lines, for an
 * e-mail or a chat message (README "preflight trend" shows one). In order:
 * a title line with the worst news, the window, the goals on the last
 * night (met or missed and by how much, and since when), the change points
 * of the window, the top problems of the last night against the base night
 * (at most three: the segment that lost most when its CI excludes 0, the
 * queries that lost most, gates and expectations newly failing, features
 * that drifted — in that order of preference), the inputs whose sha256
 * changed, and a pointer to trend.html. Plain text Markdown: no HTML, no
 * table wider than a chat window. Deterministic: no clock.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/model.h"
#include "reports/trend.h"
#include "reports/trend_fmt.h"

/* Markdown-inert text: the characters that would format, escaped. */
static void
md(FILE *f, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		if (strchr("\\`*_[]<>#|", *p) != NULL)
			fputc('\\', f);
		fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
	}
}

/* A name from the data as a code span (backticks in it become '). */
static void
code(FILE *f, const char *s)
{
	fputc('`', f);
	for (const char *p = s ? s : ""; *p; p++)
		fputc(*p == '`' ? '\'' : *p == '\n' || *p == '\r' ? ' ' : *p, f);
	fputc('`', f);
}

/* "k=v" as one code span. */
static void
code_kv(FILE *f, const char *k, const char *v)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s=%s", k ? k : "", v ? v : "");
	code(f, buf);
}

static void
ci(FILE *f, double lo, double hi)
{
	if (isfinite(lo) && isfinite(hi))
		fprintf(f, " [95%% CI %+.4f, %+.4f]", pf_nz(lo, 4), pf_nz(hi, 4));
}

static void
title(FILE *f, const pf_trend *t)
{
	size_t missed = 0, L = t->last;
	const pf_trend_series *first = NULL;

	for (size_t j = 0; j < t->nseries; j++)
		if (t->series[j].pt[L].status == PF_TG_MISSED && missed++ == 0)
			first = &t->series[j];
	fputs("# ", f);
	md(f, t->scenario);
	if (first != NULL) {
		fputs(": goal MISSED \xe2\x80\x94 ", f);
		code(f, first->metric);
		fputs(" on ", f);
		code(f, first->stack);
		if (missed > 1)
			fprintf(f, " (and %zu more)", missed - 1);
	} else if (t->goals_declared)
		fputs(": every goal met", f);
	else
		fputs(": trend (no goals declared)", f);
	fprintf(f, ", night %zu of %zu\n\n", L + 1, t->nnights);
	if (t->note != NULL) {
		fputs("> ", f);
		md(f, t->note);
		fputs("\n\n", f);
	}
	fprintf(f, "%zu night%s of ", t->nnights, t->nnights == 1 ? "" : "s");
	code(f, t->scenario);
	if (L == 0)
		fprintf(f, " at %.20s (run %lld)", t->night[0].time,
		    (long long)t->night[0].run);
	else
		fprintf(f, " from %.20s to %.20s (runs %lld\xe2\x80\x93%lld)",
		    t->night[0].time, t->night[L].time,
		    (long long)t->night[0].run, (long long)t->night[L].run);
	if (t->since != NULL)
		fprintf(f, ", since %s", t->since);
	fputs("; last night's labels: ", f);
	if (t->night[L].labels[0] != '\0')
		code(f, t->night[L].labels);
	else
		fputs("none", f);
	fputs(".\n", f);
}

static void
goals(FILE *f, const pf_trend *t)
{
	size_t L = t->last;
	char g[200];

	fprintf(f, "\n## %s (night %zu, run %lld)\n\n", t->goals_declared ?
	    "Goals" : "Primary metric", L + 1, (long long)t->night[L].run);
	for (size_t j = 0; j < t->nseries; j++) {
		const pf_trend_series *s = &t->series[j];
		const pf_trend_point *p = &s->pt[L];
		double m = pf_tf_margin(p);
		pf_tf_goal(g, sizeof(g), s, p);
		fputs("- ", f);
		if (t->goals_declared)
			fprintf(f, "%s ", pf_tf_status(p->status));
		code(f, g);
		fputs(" on ", f);
		code(f, s->stack);
		if (isfinite(p->value))
			fprintf(f, ": %.4f", pf_nz(p->value, 4));
		else
			fputs(": no value", f);
		if (isfinite(p->lo))
			fprintf(f, " [95%% CI %.4f, %.4f]", pf_nz(p->lo, 4),
			    pf_nz(p->hi, 4));
		if (s->against != NULL && p->against_run > 0)
			fprintf(f, " against run %lld", (long long)p->against_run);
		if (p->status == PF_TG_UNKNOWN && s->against != NULL &&
		    p->against_run == 0)
			fputs(" (no run with that label in the history)", f);
		if (isfinite(m))
			fprintf(f, ", %s by %.4f", m >= 0 ? "met" : "missed",
			    fabs(m));
		if (s->streak > 0 && s->streak < t->nnights)
			fprintf(f, "; missed since night %zu (run %lld)",
			    L + 2 - s->streak,
			    (long long)t->night[L + 1 - s->streak].run);
		else if (s->streak > 0)
			fputs("; missed on every night shown", f);
		fputs("\n", f);
	}
}

static void
changes(FILE *f, const pf_trend *t)
{
	size_t n = 0;

	fputs("\n## Change points\n\n", f);
	for (size_t j = 0; j < t->nseries; j++)
		for (size_t i = 1; i < t->nnights; i++) {
			const pf_trend_point *p = &t->series[j].pt[i];
			if (!p->change || pf_tf_repeat(t, j))
				continue;	/* the same metric and stack */
			n++;
			fprintf(f, "- night %zu (run %lld): ", i + 1,
			    (long long)t->night[i].run);
			code(f, t->series[j].metric);
			fputs(" on ", f);
			code(f, t->series[j].stack);
			fprintf(f, " %+.4f", pf_nz(p->d, 4));
			ci(f, p->d_lo, p->d_hi);
			fprintf(f, " over %zu queries, BH q %.4f\n", p->d_n, p->q);
		}
	if (n == 0)
		fprintf(f, "%s\n", t->nnights < 2 ? "One night: no trend yet." :
		    "None: no night differs from the one before by a "
		    "significant paired change.");
}

static void
queries(FILE *f, const pf_trend *t)
{
	size_t n = t->nqdrop < 5 ? t->nqdrop : 5;

	fputs("Queries that lost most: ", f);
	for (size_t i = 0; i < n; i++) {
		const pf_trend_qdrop *q = &t->qdrop[i];
		fputs(i ? ", " : "", f);
		code(f, q->qid);
		fprintf(f, " (%.4f \xe2\x86\x92 %.4f)", pf_nz(q->before, 4),
		    pf_nz(q->after, 4));
	}
	fputs(".\n", f);
}

static void
drifted(FILE *f, const pf_trend *t)
{
	size_t n = t->ndrift < 3 ? t->ndrift : 3;

	fputs("Features that drifted: ", f);
	for (size_t i = 0; i < n; i++) {
		const pf_trend_drift *d = &t->drift[i];
		fputs(i ? "; " : "", f);
		code(f, d->stack);
		fputc(' ', f);
		code(f, d->name);
		if (isfinite(d->psi))
			fprintf(f, " PSI %.2f (%s)", d->psi, d->psi >= 0.25 ?
			    "large" : d->psi >= 0.1 ? "moderate" : "small");
		if (fabs(d->miss_after - d->miss_before) >= t->miss_jump)
			fprintf(f, ", missing %.1f%% \xe2\x86\x92 %.1f%%",
			    100 * d->miss_before, 100 * d->miss_after);
	}
	if (t->ndrift > n)
		fprintf(f, " (and %zu more)", t->ndrift - n);
	fputs(".\n", f);
}

static void
segment(FILE *f, const pf_trend *t)
{
	const pf_trend_segdrop *s = &t->segdrop[0];

	fputs("The largest share of the loss: segment ", f);
	code_kv(f, s->dim, s->value);
	fprintf(f, " (%zu queries) %+.4f", s->n, pf_nz(s->delta, 4));
	ci(f, s->lo, s->hi);
	if (isfinite(s->share) && t->delta < 0)
		fprintf(f, ", %.0f%% of it", 100 * s->share);
	for (size_t i = 1; i < t->nsegdrop && i < 3; i++) {
		const pf_trend_segdrop *x = &t->segdrop[i];
		fputs(i == 1 ? "; then " : ", ", f);
		code_kv(f, x->dim, x->value);
		fprintf(f, " %+.4f", pf_nz(x->delta, 4));
		if (isfinite(x->share) && t->delta < 0)
			fprintf(f, " (%.0f%%)", 100 * x->share);
	}
	fputs(".\n", f);
}

static void
problems(FILE *f, const pf_trend *t)
{
	const pf_trend_series *s = t->nseries ? &t->series[t->focus] : NULL;
	int n = 0;

	fprintf(f, "\n## Top problems: night %zu against night %zu, %s\n\n",
	    t->last + 1, t->base + 1, t->base_why);
	if (s != NULL && t->ncommon > 0) {
		code(f, s->metric);
		fputs(" on ", f);
		code(f, s->stack);
		fprintf(f, ": %+.4f", pf_nz(t->delta, 4));
		ci(f, t->lo, t->hi);
		fprintf(f, " over the %zu queries both nights have.\n\n",
		    t->ncommon);
	}
	if (t->nsegdrop > 0 && t->segdrop[0].hi < 0) {
		fprintf(f, "%d. ", ++n);
		segment(f, t);
	}
	if (t->nqdrop > 0 && t->delta < 0) {
		fprintf(f, "%d. ", ++n);
		queries(f, t);
	}
	if (t->nbroken > 0 && n < 3) {
		fprintf(f, "%d. Newly failing: ", ++n);
		for (size_t i = 0; i < t->nbroken && i < 3; i++) {
			fputs(i ? "; " : "", f);
			md(f, t->broken[i].kind);
			fputc(' ', f);
			code(f, t->broken[i].what ? t->broken[i].what :
			    t->broken[i].gate);
		}
		if (t->nbroken > 3)
			fprintf(f, " (and %zu more)", t->nbroken - 3);
		fputs(".\n", f);
	}
	if (t->ndrift > 0 && n < 3) {
		fprintf(f, "%d. ", ++n);
		drifted(f, t);
	}
	if (n == 0)
		fputs("None found: no segment lost significantly, no query "
		    "lost, no gate or expectation newly failing, no feature "
		    "drifted.\n", f);
}

static void
inputs(FILE *f, const pf_trend *t)
{
	fprintf(f, "\n## Inputs changed (night %zu \xe2\x86\x92 night %zu)\n\n",
	    t->base + 1, t->last + 1);
	if (t->ninputs == 0)
		fputs("None: every input has the same path and sha256.\n", f);
	for (size_t i = 0; i < t->ninputs; i++) {
		const pf_trend_input *x = &t->inputs[i];
		fputs("- ", f);
		md(f, x->role);
		fputs(": ", f);
		if (x->path_before == NULL || x->path_after == NULL) {
			code(f, x->path_before ? x->path_before : x->path_after);
			fputs(x->path_before ? " (no longer read)" :
			    " (new)", f);
		} else {
			code(f, x->path_before);
			if (strcmp(x->path_before, x->path_after) != 0) {
				fputs(" \xe2\x86\x92 ", f);
				code(f, x->path_after);
			}
			fprintf(f, " (sha256 %.12s \xe2\x86\x92 %.12s)",
			    x->sha_before, x->sha_after);
		}
		fputc('\n', f);
	}
}

int
pf_trend_write_md(const pf_trend *t, FILE *f, pf_err *err)
{
	title(f, t);
	goals(f, t);
	if (t->nnights < 2)
		fputs("\nOne night: no trend yet.\n", f);
	else {
		changes(f, t);
		problems(f, t);
		inputs(f, t);
	}
	fputs("\nThe whole page: trend.html\n", f);
	if (ferror(f))
		return pf_err_set(err, PF_EIO, NULL, 0, "cannot write the "
		    "summary");
	return PF_OK;
}

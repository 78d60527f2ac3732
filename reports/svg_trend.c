/*
 * reports/svg_trend.c — see svg_trend.h. Nights are evenly spaced on x
 * (night 1 on the left), whatever the time between them: a nightly job
 * that skipped a night shows as a date gap in the labels, not on the axis.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/model.h"
#include "reports/svg.h"
#include "reports/svg_trend.h"
#include "reports/trend_fmt.h"

#define W	760.0
#define H	300.0
#define PL	70.0		/* plot left */
#define PR	(W - 170.0)	/* plot right; the legend beyond */
#define PT	28.0
#define PB	(H - 52.0)

typedef struct frame {
	pf_scale	x, y;
	size_t		nn;
	double		cell;	/* width of a night */
} frame;

static double
xat(const frame *fr, size_t i)
{
	return fr->nn == 1 ? (fr->x.r0 + fr->x.r1) / 2 :
	    pf_scale_at(&fr->x, (double)i);
}

/* Grows [*lo, *hi] to hold v when finite. */
static void
span(double v, double *lo, double *hi)
{
	if (!isfinite(v))
		return;
	if (!(v >= *lo))
		*lo = v;
	if (!(v <= *hi))
		*hi = v;
}

static void
pad(double *lo, double *hi)
{
	if (!isfinite(*lo) || !isfinite(*hi)) {
		*lo = 0;
		*hi = 1;
	}
	if (*hi - *lo < 1e-9) {
		*lo -= 0.01;
		*hi += 0.01;
	}
	double p = (*hi - *lo) * 0.06;
	*lo -= p;
	*hi += p;
}

static void
y_axis(FILE *f, const pf_scale *y, double x0, double x1, int grid)
{
	double st = pf_nice_step(y->d0, y->d1, 5);

	for (double v = ceil(y->d0 / st) * st; v <= y->d1 + st * 1e-9;
	    v += st) {
		double py = pf_scale_at(y, v);
		if (fabs(v) < st * 1e-9)
			v = 0.0;
		if (grid)
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\" stroke=\"#e5e5e5\"/>\n", x0, py, x1, py);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
		    "fill=\"#333333\">%.4g</text>\n", x0 - 6, py + 4, v);
	}
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#000000\"/>\n", x0, y->r0, x0, y->r1);
}

static void
x_axis(FILE *f, const pf_trend *t, const frame *fr)
{
	size_t every = fr->nn > 20 ? (fr->nn + 19) / 20 : 1;

	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#000000\"/>\n", PL, PB, PR, PB);
	for (size_t i = 0; i < fr->nn; i++) {
		if (i % every != 0 && i + 1 != fr->nn)
			continue;
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		    "fill=\"#333333\">%zu</text>\n", xat(fr, i), PB + 15, i + 1);
		if (fr->nn <= 12 && t->night[i].time != NULL &&
		    strlen(t->night[i].time) >= 10)
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor="
			    "\"middle\" fill=\"#666666\" font-size=\"10\">%.5s"
			    "</text>\n", xat(fr, i), PB + 28,
			    t->night[i].time + 5);
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">night "
	    "(oldest first; date MM-DD, UTC)</text>\n", (PL + PR) / 2, H - 6);
}

/* The band of the CI over runs of finite bounds, and the value line. */
static void
band_and_line(FILE *f, const pf_trend_series *s, const frame *fr)
{
	size_t nn = fr->nn;

	for (size_t a = 0, b; a < nn; a = b + 1) {
		for (; a < nn && !(isfinite(s->pt[a].lo) &&
		    isfinite(s->pt[a].hi)); a++)
			;
		for (b = a; b + 1 < nn && isfinite(s->pt[b + 1].lo) &&
		    isfinite(s->pt[b + 1].hi); b++)
			;
		if (a >= nn)
			break;
		fputs("<path fill=\"#0072B2\" fill-opacity=\"0.18\" "
		    "stroke=\"#0072B2\" stroke-opacity=\"0.35\" d=\"", f);
		for (size_t i = a; i <= b; i++)
			fprintf(f, "%s%.1f %.1f", i == a ? "M" : "L", xat(fr, i) -
			    (a == b ? 3 : 0), pf_scale_at(&fr->y, s->pt[i].hi));
		for (size_t i = b + 1; i-- > a;)
			fprintf(f, "L%.1f %.1f", xat(fr, i) + (a == b ? 3 : 0),
			    pf_scale_at(&fr->y, s->pt[i].lo));
		fputs("Z\"/>\n", f);
	}
	fputs("<path fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\" d=\"",
	    f);
	for (size_t i = 0, pen = 0; i < nn; i++) {
		if (!isfinite(s->pt[i].value)) {
			pen = 0;
			continue;
		}
		fprintf(f, "%s%.1f %.1f", pen++ ? "L" : "M", xat(fr, i),
		    pf_scale_at(&fr->y, s->pt[i].value));
	}
	fputs("\"/>\n", f);
}

/* The goal's bounds: one dashed step per night that declared them. */
static void
goal_lines(FILE *f, const pf_trend_series *s, const frame *fr)
{
	for (int hi = 0; hi < 2; hi++) {
		int any = 0;
		for (size_t i = 0; i < fr->nn; i++) {
			double g = hi ? s->pt[i].gmax : s->pt[i].gmin;
			double x0 = xat(fr, i) - fr->cell / 2, x1 = x0 + fr->cell;
			if (!isfinite(g))
				continue;
			if (!any++)
				fputs("<path fill=\"none\" stroke=\"#000000\" "
				    "stroke-width=\"1.5\" stroke-dasharray=\"6 4\" "
				    "d=\"", f);
			fprintf(f, "M%.1f %.1fH%.1f", x0 < PL ? PL : x0,
			    pf_scale_at(&fr->y, g), x1 > PR ? PR : x1);
		}
		if (any)
			fputs("\"/>\n", f);
	}
}

static void
marker(FILE *f, const pf_trend *t, const pf_trend_series *s,
    const frame *fr, size_t i)
{
	const pf_trend_point *p = &s->pt[i];
	double x = xat(fr, i), y = isfinite(p->value) ?
	    pf_scale_at(&fr->y, p->value) : PB - 10;
	char night[96], goal[200];

	fputs("<g>", f);
	if (fr->nn <= 200) {
		pf_tf_night(night, sizeof(night), t, i);
		pf_tf_goal(goal, sizeof(goal), s, p);
		fputs("<title>", f);
		pf_xml_text(f, night);
		if (isfinite(p->value))
			fprintf(f, ": %.4f [%.4f, %.4f], %zu queries",
			    pf_nz(p->value, 4), pf_nz(p->lo, 4), pf_nz(p->hi, 4),
			    p->n);
		if (p->status != PF_TG_NONE) {
			fprintf(f, "; goal %s: ", pf_tf_status(p->status));
			pf_xml_text(f, goal);
		}
		if (s->against != NULL && p->against_run > 0)
			fprintf(f, "; against run %lld", (long long)p->against_run);
		if (p->change)
			fprintf(f, "; change point %+.4f", pf_nz(p->d, 4));
		fputs("</title>", f);
	}
	if (p->status == PF_TG_MISSED)
		fprintf(f, "<path d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke=\"%s\" "
		    "stroke-width=\"2.5\"/>", x - 4, y - 4, PF_VERMILLION);
	else if (p->status == PF_TG_UNKNOWN || !isfinite(p->value))
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"#ffffff\" "
		    "stroke=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\""
		    "middle\" font-size=\"10\" fill=\"#555555\">?</text>", x, y,
		    PF_GREY, x, y + 3.5);
	else
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\"/>",
		    x, y, p->status == PF_TG_MET ? "4.5" : "3",
		    p->status == PF_TG_MET ? PF_BLUE : "#555555");
	fputs("</g>\n", f);
}

static void
legend(FILE *f, const pf_trend_series *s)
{
	double x = PR + 18, y = PT + 6;

	fprintf(f, "<g font-size=\"11\"><rect x=\"%.1f\" y=\"%.1f\" width=\"18\" "
	    "height=\"10\" fill=\"#0072B2\" fill-opacity=\"0.18\"/><text "
	    "x=\"%.1f\" y=\"%.1f\">95%% CI</text>\n", x, y, x + 24, y + 9);
	fprintf(f, "<path d=\"M%.1f %.1fh18\" stroke=\"#0072B2\" stroke-width="
	    "\"2\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x, y + 25, x + 24,
	    y + 29, s->against ? "paired delta" : "mean");
	fprintf(f, "<path d=\"M%.1f %.1fh18\" stroke=\"#000000\" "
	    "stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\">goal"
	    "</text>\n", x, y + 45, x + 24, y + 49);
	fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"/>"
	    "<text x=\"%.1f\" y=\"%.1f\">met</text>\n", x + 9, y + 65, PF_BLUE,
	    x + 24, y + 69);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"14\" "
	    "fill=\"%s\" fill-opacity=\"0.10\"/><path d=\"M%.1f %.1fl8 8m0 "
	    "-8l-8 8\" stroke=\"%s\" stroke-width=\"2.5\"/><text x=\"%.1f\" "
	    "y=\"%.1f\">missed</text>\n", x, y + 78, PF_VERMILLION, x + 5,
	    y + 81, PF_VERMILLION, x + 24, y + 89);
	fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"#ffffff\" "
	    "stroke=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
	    "text-anchor=\"middle\">?</text><text x=\"%.1f\" y=\"%.1f\">"
	    "unknown</text>\n", x + 9, y + 105, PF_GREY, x + 9, y + 108.5,
	    x + 24, y + 109);
	fprintf(f, "<path d=\"M%.1f %.1fv16\" stroke=\"%s\" stroke-dasharray="
	    "\"3 3\"/><text x=\"%.1f\" y=\"%.1f\">change point</text></g>\n",
	    x + 9, y + 118, PF_VERMILLION, x + 24, y + 129);
}

void
pf_svg_trend(FILE *f, const pf_trend *t, const pf_trend_series *s)
{
	double lo = NAN, hi = NAN;
	size_t nn = t->nnights;
	frame fr = {.nn = nn};
	char title[300], goal[200];

	for (size_t i = 0; i < nn; i++) {
		span(s->pt[i].value, &lo, &hi);
		span(s->pt[i].lo, &lo, &hi);
		span(s->pt[i].hi, &lo, &hi);
		span(s->pt[i].gmin, &lo, &hi);
		span(s->pt[i].gmax, &lo, &hi);
	}
	pad(&lo, &hi);
	fr.cell = nn > 1 ? (PR - PL - 24) / (double)(nn - 1) : PR - PL;
	fr.x = (pf_scale){0, nn > 1 ? (double)(nn - 1) : 1, PL + 12, PR - 12};
	fr.y = (pf_scale){lo, hi, PB, PT};
	pf_tf_goal(goal, sizeof(goal), s, &s->pt[nn - 1]);
	snprintf(title, sizeof(title), "%s on %s, night by night", goal,
	    s->stack);
	pf_svg_open(f, title, W, H);
	for (size_t i = 0; i < nn; i++) {	/* missed nights shaded */
		double x0 = fmax(PL, xat(&fr, i) - fr.cell / 2);
		double x1 = fmin(PR, xat(&fr, i) + fr.cell / 2);
		if (s->pt[i].status == PF_TG_MISSED)
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.10\"/>\n",
			    x0, PT, x1 - x0, PB - PT, PF_VERMILLION);
	}
	y_axis(f, &fr.y, PL, PR, 1);
	x_axis(f, t, &fr);
	fprintf(f, "<text transform=\"translate(14 %.1f) rotate(-90)\" "
	    "text-anchor=\"middle\">", (PT + PB) / 2);
	pf_xml_text(f, s->metric);
	fputs(s->against ? " (paired delta)" : " (mean)", f);
	fputs("</text>\n", f);
	band_and_line(f, s, &fr);
	goal_lines(f, s, &fr);
	for (size_t i = 1; i < nn; i++)
		if (s->pt[i].change) {
			const char *col = s->pt[i].d < 0 ? PF_VERMILLION : PF_BLUE;
			double x = (xat(&fr, i - 1) + xat(&fr, i)) / 2;
			fprintf(f, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"%s\" "
			    "stroke-dasharray=\"3 3\"/><text x=\"%.1f\" "
			    "y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">%s "
			    "change</text>\n", x, PT, PB, col, x, PT - 8, col,
			    s->pt[i].d < 0 ? "\xe2\x96\xbc" : "\xe2\x96\xb2");
		}
	for (size_t i = 0; i < nn; i++)
		marker(f, t, s, &fr, i);
	legend(f, s);
	fputs("</svg>\n", f);
}

/* One small panel: a segment's means on the shared scale y. */
static void
panel(FILE *f, const pf_trend *t, const pf_trend_seg *g, const pf_scale *ys)
{
	const double w = 190, h = 124, l = 44, r = w - 10, top = 26, b = h - 22;
	size_t nn = t->nnights;
	pf_scale x = {0, nn > 1 ? (double)(nn - 1) : 1, l + 6, r - 6};
	pf_scale y = {ys->d0, ys->d1, b, top};
	char title[256];

	snprintf(title, sizeof(title), "%s=%s: mean per night", g->dim,
	    g->value);
	pf_svg_open(f, title, w, h);
	fputs("<text x=\"4\" y=\"13\" font-weight=\"bold\">", f);
	pf_xml_text(f, g->dim);
	fputc('=', f);
	pf_xml_text(f, g->value);
	fprintf(f, " (n=%zu)</text>\n", g->n[nn - 1]);
	for (int k = 0; k < 2; k++) {
		double v = k ? y.d1 : y.d0;
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
		    "font-size=\"10\">%.3g</text>\n", l - 4,
		    pf_scale_at(&y, v) + 4, v);
	}
	fprintf(f, "<path d=\"M%.1f %.1fV%.1fH%.1f\" stroke=\"#000000\" "
	    "fill=\"none\"/>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">1"
	    "</text><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor="
	    "\"end\">%zu</text>\n", l, top, b, r, l + 2, b + 13, r, b + 13, nn);
	fputs("<path fill=\"none\" stroke=\"#0072B2\" stroke-width=\"1.5\" "
	    "d=\"", f);
	for (size_t i = 0, pen = 0; i < nn; i++) {
		double px = nn == 1 ? (l + r) / 2 : pf_scale_at(&x, (double)i);
		if (!isfinite(g->mean[i])) {
			pen = 0;
			continue;
		}
		fprintf(f, "%s%.1f %.1f", pen++ ? "L" : "M", px,
		    pf_scale_at(&y, g->mean[i]));
	}
	fputs("\"/>\n", f);
	for (size_t i = 0; i < nn; i++)
		if (isfinite(g->mean[i]))
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
			    "fill=\"#0072B2\"><title>night %zu: %.4f (%zu "
			    "queries)</title></circle>\n", nn == 1 ? (l + r) / 2 :
			    pf_scale_at(&x, (double)i), pf_scale_at(&y,
			    g->mean[i]), i + 1, pf_nz(g->mean[i], 4), g->n[i]);
	fputs("</svg>\n", f);
}

void
pf_svg_segments(FILE *f, const pf_trend *t, const pf_trend_series *s)
{
	double lo = NAN, hi = NAN;
	pf_scale y;

	for (size_t g = 0; g < s->nseg; g++)
		for (size_t i = 0; i < t->nnights; i++)
			span(s->seg[g].mean[i], &lo, &hi);
	pad(&lo, &hi);
	y = (pf_scale){lo, hi, 0, 0};
	fputs("<p class=\"caption\">By segment: the mean ", f);
	pf_xml_text(f, s->metric);
	fputs(" of ", f);
	pf_xml_text(f, s->stack);
	fprintf(f, " over the queries with each dimension value, night by "
	    "night (x: night 1 to %zu; y: %s, the same scale in every panel; "
	    "n: queries on the last night).</p>\n<div class=\"multiples\">\n",
	    t->nnights, s->metric);
	for (size_t g = 0; g < s->nseg; g++)
		panel(f, t, &s->seg[g], &y);
	fputs("</div>\n", f);
}

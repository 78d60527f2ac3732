/*
 * reports/svg_query.c — the report's per-query charts (svg.h): the sorted
 * waterfall of deltas, control versus treatment, the histogram of deltas.
 * Every axis has nice-number ticks and a title; every mark that stands for
 * a query is its own element with a <title> (qid and value) inside a link
 * to the query's row (#q-QID), up to PF_SVG_MARKS queries; past that the
 * marks share one path per series and the table is where to look.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html_kit.h"
#include "reports/svg.h"

#define PF_SVG_MARKS	2000

/* Ticks of y (left of x0, gridlines to x1) at nice numbers, fmt "%+g"
   or "%g". */
static void
yaxis(FILE *f, const pf_scale *y, double x0, double x1, const char *fmt,
    int integer)
{
	double lo = fmin(y->d0, y->d1), hi = fmax(y->d0, y->d1);
	double st = pf_nice_step(lo, hi, 5);

	if (integer && st < 1)
		st = 1;
	for (double t = ceil(lo / st) * st; t <= hi + st * 1e-9; t += st) {
		double py = pf_scale_at(y, t), v = fabs(t) < st * 1e-9 ? 0.0 : t;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#dddddd\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\" fill=\"#333333\">", x0, py, x1, py,
		    x0 - 4, py + 4);
		fprintf(f, strcmp(fmt, "%+g") == 0 && v != 0 ? "%+g" : "%g", v);
		fputs("</text>\n", f);
	}
}

/* Ticks of x (below y0) at nice numbers. */
static void
xaxis(FILE *f, const pf_scale *x, double y0, double y1, int sign)
{
	double st = pf_nice_step(x->d0, x->d1, 6);

	for (double t = ceil(x->d0 / st) * st; t <= x->d1 + st * 1e-9;
	    t += st) {
		double px = pf_scale_at(x, t), v = fabs(t) < st * 1e-9 ? 0.0 : t;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#dddddd\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\" fill=\"#333333\">", px, y0, px, y1,
		    px, y1 + 14);
		fprintf(f, sign && v != 0 ? "%+g" : "%g", v);
		fputs("</text>\n", f);
	}
}

/* <a href="#q-QID"> around a mark, when there is a qid. */
static void
link_open(FILE *f, const char *qid)
{
	fputs("<a href=\"#q-", f);
	pf_html_id(f, qid);
	fputs("\">", f);
}

typedef struct qd {
	double		 d;
	const char	*qid;
} qd;

static int
cmp_qd(const void *a, const void *b)
{
	const qd *x = a, *y = b;

	return (x->d > y->d) - (x->d < y->d);
}

/* Symmetric-ish domain covering lo..hi and 0, padded. */
static void
domain0(double lo, double hi, double *d0, double *d1)
{
	lo = fmin(lo, 0);
	hi = fmax(hi, 0);
	if (hi - lo < 1e-12) {
		lo -= 0.01;
		hi += 0.01;
	}
	*d0 = lo - (hi - lo) * 0.05;
	*d1 = hi + (hi - lo) * 0.05;
}

void
pf_svg_waterfall(FILE *f, const char *title, const char *ytitle,
    const double *delta, const char *const *qid, size_t n)
{
	double w = 640, h = 230, L = 60, B = 40, lo = 0, hi = 0;
	qd *d = malloc((n ? n : 1) * sizeof(*d));
	pf_scale y;
	char xt[96];

	if (d == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		d[i] = (qd){delta[i], qid ? qid[i] : NULL};
	qsort(d, n, sizeof(*d), cmp_qd);	/* stable enough: ties share */
	if (n > 0) {
		lo = d[0].d;
		hi = d[n - 1].d;
	}
	y.r0 = h - B;
	y.r1 = 10;
	domain0(lo, hi, &y.d0, &y.d1);
	pf_svg_open(f, title, w, h);
	yaxis(f, &y, L, w - 10, "%+g", 0);
	double bw = (w - L - 10) / (double)(n ? n : 1), y0 = pf_scale_at(&y, 0);
	int each = n <= PF_SVG_MARKS && qid != NULL;
	for (int sign = -1; sign <= 1; sign += 2) {
		const char *col = sign > 0 ? PF_BLUE : PF_VERMILLION;
		if (!each)
			fprintf(f, "<path fill=\"%s\" d=\"", col);
		for (size_t i = 0; i < n; i++) {
			double yy = pf_scale_at(&y, d[i].d), x = L + bw * (double)i;
			if ((sign > 0 && !(d[i].d > 0)) ||
			    (sign < 0 && !(d[i].d < 0)))
				continue;
			if (!each) {
				fprintf(f, "M%.1f %.1fh%.2fV%.1fh%.2fz", x, y0, bw,
				    yy, -bw);
				continue;
			}
			link_open(f, d[i].qid);
			fprintf(f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
			    "height=\"%.1f\" fill=\"%s\"><title>query ", x,
			    fmin(yy, y0), bw, fabs(yy - y0), col);
			pf_xml_text(f, d[i].qid);
			fprintf(f, ": \xce\x94 %+.4f</title></rect></a>\n", d[i].d);
		}
		if (!each)
			fputs("\"/>\n", f);
	}
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#000000\"/>\n", L, y0, w - 10, y0);
	snprintf(xt, sizeof(xt), "queries, sorted by delta (%zu)", n);
	pf_svg_axis_title(f, (L + w - 10) / 2, h - 14, 0, xt);
	pf_svg_axis_title(f, 14, (h - B + 10) / 2, 1, ytitle);
	fputs("</svg>\n", f);
	free(d);
}

void
pf_svg_scatter(FILE *f, const char *title, const double *x, const double *y,
    const char *const *qid, size_t n, const char *xlabel,
    const char *ylabel)
{
	double s = 340, L = 60, B = 50, lo = 0, hi = 1;
	pf_scale sx, sy;
	int each = n <= PF_SVG_MARKS && qid != NULL;

	for (size_t i = 0; i < n; i++) {
		lo = fmin(lo, fmin(x[i], y[i]));
		hi = fmax(hi, fmax(x[i], y[i]));
	}
	sx = (pf_scale){lo, hi, L, s - 10};
	sy = (pf_scale){lo, hi, s - B, 10};
	pf_svg_open(f, title, s, s);
	xaxis(f, &sx, 10, s - B, 0);
	yaxis(f, &sy, L, s - 10, "%g", 0);
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#000000\" stroke-dasharray=\"4 3\"><title>no change "
	    "(treatment = control)</title></line>\n", pf_scale_at(&sx, lo),
	    pf_scale_at(&sy, lo), pf_scale_at(&sx, hi), pf_scale_at(&sy, hi));
	if (!each)
		fputs("<path fill=\"" PF_BLUE "\" fill-opacity=\"0.5\" d=\"", f);
	for (size_t i = 0; i < n; i++) {
		double cx = pf_scale_at(&sx, x[i]), cy = pf_scale_at(&sy, y[i]);
		if (!each) {
			fprintf(f, "M%.1f %.1fh3v3h-3z", cx - 1.5, cy - 1.5);
			continue;
		}
		link_open(f, qid[i]);
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" "
		    "fill-opacity=\"0.6\"><title>query ", cx, cy, y[i] > x[i] ?
		    PF_BLUE : y[i] < x[i] ? PF_VERMILLION : PF_GREY);
		pf_xml_text(f, qid[i]);
		fprintf(f, ": control %.4f, treatment %.4f</title></circle></a>\n",
		    x[i], y[i]);
	}
	if (!each)
		fputs("\"/>\n", f);
	pf_svg_axis_title(f, (L + s - 10) / 2, s - 14, 0, xlabel);
	pf_svg_axis_title(f, 14, (s - B + 10) / 2, 1, ylabel);
	fputs("</svg>\n", f);
}

void
pf_svg_histogram(FILE *f, const char *title, const char *xtitle,
    const double *delta, size_t n)
{
	double w = 640, h = 220, L = 50, B = 50, lo = 0, hi = 0;
	size_t cnt[64] = {0}, top = 1;

	for (size_t i = 0; i < n; i++) {
		lo = fmin(lo, delta[i]);
		hi = fmax(hi, delta[i]);
	}
	double bw = pf_nice_step(lo, hi, 20);
	long b0 = (long)floor(lo / bw - 0.5), b1 = (long)ceil(hi / bw + 0.5);
	if (b1 - b0 > 63)
		b1 = b0 + 63;
	for (size_t i = 0; i < n; i++) {	/* bins centred on k * bw */
		long b = lround(delta[i] / bw) - b0;
		b = b < 0 ? 0 : b > b1 - b0 ? b1 - b0 : b;
		if (++cnt[b] > top)
			top = cnt[b];
	}
	pf_scale x = {(double)b0 * bw - bw / 2, (double)b1 * bw + bw / 2, L,
	    w - 10};
	double yst = fmax(1, pf_nice_step(0, (double)top, 5));
	pf_scale y = {0, ceil((double)top / yst) * yst, h - B, 10};
	pf_svg_open(f, title, w, h);
	yaxis(f, &y, L, w - 10, "%g", 1);
	xaxis(f, &x, 10, h - B, 1);
	for (long b = 0; b <= b1 - b0; b++) {
		long k = b + b0;
		if (cnt[b] == 0)
			continue;
		double x0 = pf_scale_at(&x, (double)k * bw - bw / 2),
		    x1 = pf_scale_at(&x, (double)k * bw + bw / 2),
		    yy = pf_scale_at(&y, (double)cnt[b]);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\"><title>%zu quer%s with \xce\x94 "
		    "in [%+g, %+g)</title></rect>\n", x0, yy, x1 - x0,
		    h - B - yy, k > 0 ? PF_BLUE : k < 0 ? PF_VERMILLION : PF_GREY,
		    cnt[b], cnt[b] == 1 ? "y" : "ies", (double)k * bw - bw / 2,
		    (double)k * bw + bw / 2);
	}
	pf_svg_axis_title(f, (L + w - 10) / 2, h - 14, 0, xtitle);
	pf_svg_axis_title(f, 14, (h - B + 10) / 2, 1, "queries");
	fputs("</svg>\n", f);
}

/*
 * reports/svg.c — see svg.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/junit.h"
#include "reports/svg.h"

#define FONT	"font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\""

double
pf_scale_at(const pf_scale *s, double v)
{
	if (s->d1 == s->d0)
		return (s->r0 + s->r1) / 2.0;
	return s->r0 + (v - s->d0) / (s->d1 - s->d0) * (s->r1 - s->r0);
}

double
pf_nice_step(double lo, double hi, int n)
{
	double raw = (hi - lo) / (n > 0 ? n : 1), mag, f;

	if (!(raw > 0) || !isfinite(raw))
		return 1.0;
	mag = pow(10.0, floor(log10(raw)));
	f = raw / mag;
	return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * mag;
}

void
pf_xml_text(FILE *f, const char *s)
{
	char *c = pf_xml_clean(s, 0);

	for (const char *p = c ? c : ""; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	}
	free(c);
}

void
pf_svg_open(FILE *f, const char *title, double w, double h)
{
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
	    FONT "><title>", w, h, w, h);
	pf_xml_text(f, title);
	fputs("</title>\n", f);
}

/* Symmetric-ish domain covering lo..hi and 0, padded. */
static void
domain(double lo, double hi, double *d0, double *d1)
{
	if (!(lo <= 0))
		lo = 0;
	if (!(hi >= 0))
		hi = 0;
	if (hi - lo < 1e-12) {
		lo -= 0.01;
		hi += 0.01;
	}
	double pad = (hi - lo) * 0.08;
	*d0 = lo - pad;
	*d1 = hi + pad;
}

void
pf_svg_axis_title(FILE *f, double x, double y, int vertical,
    const char *text)
{
	if (vertical)
		fprintf(f, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" "
		    "transform=\"rotate(-90 %.1f %.1f)\" text-anchor=\"middle\">",
		    x, y, x, y);
	else
		fprintf(f, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">", x, y);
	pf_xml_text(f, text);
	fputs("</text>\n", f);
}

/* Ticks and gridlines of x between y0 and y1, its title below them. */
static void
axis(FILE *f, const pf_scale *x, double y0, double y1, const char *title)
{
	double st = pf_nice_step(x->d0, x->d1, 5);

	pf_svg_axis_title(f, (x->r0 + x->r1) / 2, y1 + 30, 0, title);

	for (double t = ceil(x->d0 / st) * st; t <= x->d1 + st * 1e-9;
	    t += st) {
		double px = pf_scale_at(x, t);
		if (fabs(t) < st * 1e-9)
			t = 0.0;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#dddddd\"/>\n<text x=\"%.1f\" "
		    "y=\"%.1f\" text-anchor=\"middle\" fill=\"#333333\">%+g"
		    "</text>\n", px, y0, px, y1, px, y1 + 14, t);
	}
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#000000\"/>\n", pf_scale_at(x, 0), y0,
	    pf_scale_at(x, 0), y1);
}

void
pf_svg_forest(FILE *f, const char *title, const char *xtitle,
    const pf_forest_row *rows, size_t n)
{
	double lo = 0, hi = 0, w = 640, rowh = 24, left = 180;
	double h = 30 + rowh * (double)n + 40;
	pf_scale x;

	for (size_t i = 0; i < n; i++) {
		if (isfinite(rows[i].lo) && rows[i].lo < lo)
			lo = rows[i].lo;
		if (isfinite(rows[i].hi) && rows[i].hi > hi)
			hi = rows[i].hi;
	}
	domain(lo, hi, &x.d0, &x.d1);
	x.r0 = left;
	x.r1 = w - 20;
	pf_svg_open(f, title, w, h);
	axis(f, &x, 20, 20 + rowh * (double)n, xtitle);
	for (size_t i = 0; i < n; i++) {
		const pf_forest_row *r = &rows[i];
		double y = 20 + rowh * ((double)i + 0.5);
		const char *col = r->sign > 0 ? PF_BLUE : r->sign < 0 ?
		    PF_VERMILLION : PF_GREY;
		fputs("<g><title>", f);
		pf_xml_text(f, r->label);
		fprintf(f, ": %+.4f [%+.4f, %+.4f]</title>\n", r->mean, r->lo,
		    r->hi);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
		    left - 8, y + 4);
		pf_xml_text(f, r->label);
		fprintf(f, " %s</text>\n", r->sign > 0 ? "\xe2\x96\xb2" :
		    r->sign < 0 ? "\xe2\x96\xbc" : "\xc2\xb7");
		if (isfinite(r->lo) && isfinite(r->hi))
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
			    pf_scale_at(&x, r->lo), y, pf_scale_at(&x, r->hi),
			    y, col);
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
		    "fill=\"%s\"/></g>\n", pf_scale_at(&x, r->mean), y, col);
	}
	fputs("</svg>\n", f);
}

void
pf_svg_bars(FILE *f, const char *title, const char *xtitle,
    const pf_bar_row *rows, size_t n)
{
	double lo = 0, hi = 0, w = 640, rowh = 22, left = 180;
	double h = 30 + rowh * (double)n + 40;
	pf_scale x;

	for (size_t i = 0; i < n; i++) {
		const pf_bar_row *r = &rows[i];
		double a = isfinite(r->lo) && r->lo < r->value ? r->lo :
		    r->value, b = isfinite(r->hi) && r->hi > r->value ? r->hi :
		    r->value;
		if (a < lo)
			lo = a;
		if (b > hi)
			hi = b;
	}
	domain(lo, hi, &x.d0, &x.d1);
	x.r0 = left;
	x.r1 = w - 20;
	pf_svg_open(f, title, w, h);
	axis(f, &x, 20, 20 + rowh * (double)n, xtitle);
	for (size_t i = 0; i < n; i++) {
		const pf_bar_row *r = &rows[i];
		double y = 20 + rowh * (double)i, x0 = pf_scale_at(&x, 0.0),
		    x1 = pf_scale_at(&x, r->value);
		const char *col = r->value > 0 ? PF_BLUE : r->value < 0 ?
		    PF_VERMILLION : PF_GREY;
		if (r->faint)
			col = PF_GREY;
		fputs("<g><title>", f);
		pf_xml_text(f, r->label);
		fprintf(f, ": %+.4f [%+.4f, %+.4f]</title>\n", r->value, r->lo,
		    r->hi);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
		    left - 8, y + rowh / 2 + 4);
		pf_xml_text(f, r->label);
		fputs("</text>\n", f);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\"/>\n", x1 < x0 ? x1 : x0, y + 4,
		    fabs(x1 - x0), rowh - 8, col);
		if (isfinite(r->lo) && isfinite(r->hi)) {
			double a = pf_scale_at(&x, r->lo), b = pf_scale_at(&x,
			    r->hi), ym = y + rowh / 2;
			fprintf(f, "<path d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1f"
			    "M%.1f %.1fV%.1f\" stroke=\"#000000\" "
			    "fill=\"none\"/>\n", a, ym, b, a, ym - 4, ym + 4, b,
			    ym - 4, ym + 4);
		}
		fputs("</g>\n", f);
	}
	fputs("</svg>\n", f);
}

void
pf_svg_wlt(FILE *f, const char *title, size_t wins, size_t ties,
    size_t losses)
{
	double w = 640, tot = (double)(wins + ties + losses), x = 10;
	const size_t v[3] = {wins, ties, losses};
	const char *col[3] = {PF_BLUE, PF_GREY, PF_VERMILLION};
	const char *lab[3] = {"wins \xe2\x96\xb2", "ties", "losses "
	    "\xe2\x96\xbc"};
	char at[96];

	pf_svg_open(f, title, w, 76);
	for (int i = 0; i < 3; i++) {
		double bw = tot > 0 ? (w - 20) * (double)v[i] / tot : 0;
		fprintf(f, "<g><title>%s: %zu of %.0f queries</title><rect "
		    "x=\"%.1f\" y=\"8\" width=\"%.1f\" height=\"22\" "
		    "fill=\"%s\"/></g>\n", lab[i], v[i], tot, x, bw, col[i]);
		fprintf(f, "<text x=\"%.1f\" y=\"48\">%s %zu</text>\n",
		    10 + (w - 20) / 3 * i, lab[i], v[i]);
		x += bw;
	}
	snprintf(at, sizeof(at), "judged queries (%.0f), by the sign of "
	    "their delta", tot);
	pf_svg_axis_title(f, w / 2, 68, 0, at);
	fputs("</svg>\n", f);
}

void
pf_svg_stage_waterfall(FILE *f, const char *title, const char *xtitle,
    const pf_step *steps, size_t n, const char *total_label, double total)
{
	double lo = 0, hi = 0, cum = 0, w = 640, rowh = 26, left = 200;
	double h = 30 + rowh * (double)(n + 1) + 40;
	pf_scale x;

	for (size_t i = 0; i <= n; i++) {	/* every bar end and whisker */
		double ends[4] = {cum, i < n ? cum + steps[i].delta : total,
		    i < n ? cum + steps[i].lo : NAN, i < n ? cum + steps[i].hi :
		    NAN};
		for (int j = 0; j < 4; j++)
			if (isfinite(ends[j])) {
				lo = ends[j] < lo ? ends[j] : lo;
				hi = ends[j] > hi ? ends[j] : hi;
			}
		if (i < n)
			cum = ends[1];
	}
	domain(lo, hi, &x.d0, &x.d1);
	x.r0 = left;
	x.r1 = w - 70;
	pf_svg_open(f, title, w, h);
	axis(f, &x, 20, 20 + rowh * (double)(n + 1), xtitle);
	cum = 0;
	for (size_t i = 0; i <= n; i++) {
		double from = i < n ? cum : 0, d = i < n ? steps[i].delta : total;
		double to = from + d, y = 20 + rowh * (double)i + 4;
		double x0 = pf_scale_at(&x, fmin(from, to));
		double x1 = pf_scale_at(&x, fmax(from, to));
		const char *col = i == n ? "#333333" : d > 0 ? PF_BLUE : d < 0 ?
		    PF_VERMILLION : PF_GREY;
		const char *label = i < n ? steps[i].label : total_label;
		fputs("<g><title>", f);
		pf_xml_text(f, label);
		fprintf(f, ": %+.4f", d);
		if (i < n && isfinite(steps[i].lo) && isfinite(steps[i].hi))
			fprintf(f, " [%+.4f, %+.4f]", steps[i].lo, steps[i].hi);
		fprintf(f, "</title>\n<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\">", left - 8, y + 13);
		pf_xml_text(f, label);
		fprintf(f, "</text>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\"/>\n", x0, y, fmax(x1 - x0, 1.0),
		    rowh - 8, col);
		if (i < n && isfinite(steps[i].lo) && isfinite(steps[i].hi))
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\" stroke=\"#111\" stroke-width=\"1.5\"/>\n",
			    pf_scale_at(&x, from + steps[i].lo), y + (rowh - 8) /
			    2, pf_scale_at(&x, from + steps[i].hi), y +
			    (rowh - 8) / 2);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%+.4f %s</text></g>\n",
		    w - 66, y + 13, d, d > 0 ? "\xe2\x96\xb2" : d < 0 ?
		    "\xe2\x96\xbc" : "\xc2\xb7");
		if (i < n) {	/* connector to the next bar's start */
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			    "y2=\"%.1f\" stroke=\"#777\" stroke-dasharray="
			    "\"3,2\"/>\n", pf_scale_at(&x, to), y + rowh - 8,
			    pf_scale_at(&x, to), y + rowh);
			cum = to;
		}
	}
	fputs("</svg>\n", f);
}

/*
 * reports/html_lift.c — the report's predicted-online-lift panel
 * (../shared/REPORTS.md §2.2 item 9) and the headline under the verdict.
 * The calibration chart: past experiments (offline delta vs observed online
 * lift, 95% error bars both ways), the fitted line, the 95% prediction band
 * of an exact offline delta, and this change at its offline delta with its
 * 80% and 95% prediction intervals. Not calibrated: the reasons, the raw
 * history and this change's offline delta as a dashed line — no line, no
 * band, no number. A synthetic history is labelled above everything else.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/replift.h"
#include "reports/svg.h"

#define T(s)	pf_xml_text(f, (s))
#define Z95	1.959963984540054

/* a lift in percent, signed; a spread (RMSE, tau) without the sign */
static void
pct_s(FILE *f, double v, int sign)
{
	if (isfinite(v))
		fprintf(f, sign ? "%+.2f%%" : "%.2f%%", 100.0 * v);
	else
		fputs("n/a", f);
}

#define pct(f, v)	pct_s((f), (v), 1)
#define upct(f, v)	pct_s((f), (v), 0)

/* %.*f, or %.4g when prec < 0; n/a when not finite */
static void
fix(FILE *f, int prec, double v)
{
	if (!isfinite(v))
		fputs("n/a", f);
	else if (prec < 0)
		fprintf(f, "%.4g", v);
	else
		fprintf(f, "%.*f", prec, v);
}

void
pf_html_lift_headline(FILE *f, const pf_rep_lift *l)
{
	if (l == NULL)
		return;
	fputs("<p id=\"lift-headline\">", f);
	T(l->headline);
	fputs(" <a href=\"#lift\">details</a></p>\n", f);
}

static void
chart(FILE *f, const pf_rep_lift *l)
{
	const double w = 640, h = 360, L = 76, R = 16, TOP = 16, B = 44;
	const pf_lift_prediction *p = l->pred;
	int num = strcmp(l->status, "not_calibrated") != 0;
	double xlo = l->x0, xhi = l->x0, ylo = 0, yhi = 0;

	for (size_t j = 0; j < l->n; j++) {
		double sx = l->x_se ? Z95 * l->x_se[j] : 0;
		xlo = fmin(xlo, l->x[j] - sx);
		xhi = fmax(xhi, l->x[j] + sx);
		ylo = fmin(ylo, l->y[j] - Z95 * l->y_se[j]);
		yhi = fmax(yhi, l->y[j] + Z95 * l->y_se[j]);
	}
	for (size_t i = 0; i < l->nband; i++) {
		ylo = fmin(ylo, l->band_lo[i]);
		yhi = fmax(yhi, l->band_hi[i]);
	}
	if (num) {
		xlo = fmin(xlo, l->x0 - Z95 * l->x0_se);
		xhi = fmax(xhi, l->x0 + Z95 * l->x0_se);
		ylo = fmin(ylo, p->pi95[0]);
		yhi = fmax(yhi, p->pi95[1]);
	}
	if (!(xhi > xlo))
		xhi = xlo + 1e-3;
	if (!(yhi > ylo))
		yhi = ylo + 1e-3;
	double px = (xhi - xlo) * 0.04, py = (yhi - ylo) * 0.04;
	pf_scale sx = {xlo - px, xhi + px, L, w - R};
	pf_scale sy = {ylo - py, yhi + py, h - B, TOP};

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
	    "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">"
	    "<title>Calibration: offline ", w, h, w, h);
	T(l->metric);
	fputs(" delta versus observed online lift of past experiments", f);
	if (l->synthetic)
		fputs(" (SYNTHETIC history)", f);
	fputs("</title>\n", f);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	    "fill=\"none\" stroke=\"#cccccc\"/>\n", L, TOP, w - L - R,
	    h - TOP - B);
	/* ticks */
	double st = pf_nice_step(sx.d0, sx.d1, 6);
	for (double t = ceil(sx.d0 / st) * st; t <= sx.d1; t += st)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
		    "%+.3g</text>\n", pf_scale_at(&sx, t), h - B + 14,
		    fabs(t) < st / 2 ? 0.0 : t);
	st = pf_nice_step(sy.d0, sy.d1, 6);
	for (double t = ceil(sy.d0 / st) * st; t <= sy.d1; t += st)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
		    "%+.2f%%</text>\n", L - 4, pf_scale_at(&sy, t) + 4,
		    fabs(t) < st / 2 ? 0.0 : 100 * t);
	/* zero lines */
	if (sy.d0 < 0 && sy.d1 > 0)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#999999\"/>\n", L, pf_scale_at(&sy, 0),
		    w - R, pf_scale_at(&sy, 0));
	if (sx.d0 < 0 && sx.d1 > 0)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#999999\"/>\n", pf_scale_at(&sx, 0),
		    TOP, pf_scale_at(&sx, 0), h - B);
	/* the band and the line */
	if (l->nband > 1) {
		fputs("<path fill=\"" PF_BLUE "\" fill-opacity=\"0.15\" "
		    "stroke=\"none\" d=\"", f);
		for (size_t i = 0; i < l->nband; i++)
			fprintf(f, "%c%.1f %.1f", i ? 'L' : 'M',
			    pf_scale_at(&sx, l->band_x[i]),
			    pf_scale_at(&sy, l->band_hi[i]));
		for (size_t i = l->nband; i-- > 0;)
			fprintf(f, "L%.1f %.1f", pf_scale_at(&sx, l->band_x[i]),
			    pf_scale_at(&sy, l->band_lo[i]));
		fputs("z\"><title>95% prediction band</title></path>\n<path "
		    "fill=\"none\" stroke=\"" PF_BLUE "\" stroke-width=\"2\" "
		    "d=\"", f);
		for (size_t i = 0; i < l->nband; i++)
			fprintf(f, "%c%.1f %.1f", i ? 'L' : 'M',
			    pf_scale_at(&sx, l->band_x[i]),
			    pf_scale_at(&sy, l->band_mean[i]));
		fputs("\"><title>fitted line</title></path>\n", f);
	}
	/* past experiments: 95% error bars in one path, points in another */
	fputs("<path fill=\"none\" stroke=\"#555555\" d=\"", f);
	for (size_t j = 0; j < l->n; j++) {
		double cx = pf_scale_at(&sx, l->x[j]),
		    cy = pf_scale_at(&sy, l->y[j]);
		fprintf(f, "M%.1f %.1fV%.1f", cx, pf_scale_at(&sy, l->y[j] -
		    Z95 * l->y_se[j]), pf_scale_at(&sy, l->y[j] + Z95 *
		    l->y_se[j]));
		if (l->x_se != NULL)
			fprintf(f, "M%.1f %.1fH%.1f", pf_scale_at(&sx, l->x[j] -
			    Z95 * l->x_se[j]), cy, pf_scale_at(&sx, l->x[j] +
			    Z95 * l->x_se[j]));
	}
	fputs("\"/>\n", f);
	for (size_t j = 0; j < l->n; j++) {	/* one mark per experiment */
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"5\" "
		    "height=\"5\" fill=\"#333333\"><title>", pf_scale_at(&sx,
		    l->x[j]) - 2.5, pf_scale_at(&sy, l->y[j]) - 2.5);
		T(l->id ? l->id[j] : "");
		fprintf(f, ": offline delta %+.4f, online lift %+.2f%%</title>"
		    "</rect>\n", l->x[j], 100 * l->y[j]);
	}
	/* this change */
	double cx = pf_scale_at(&sx, l->x0);
	if (num) {
		double cy = pf_scale_at(&sy, p->mean);
		fprintf(f, "<g stroke=\"" PF_VERMILLION "\"><line x1=\"%.1f\" "
		    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke-width=\"2\"/>"
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke-width=\"5\"/><line x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\"/></g>\n<circle cx=\"%.1f\" "
		    "cy=\"%.1f\" r=\"5\" fill=\"" PF_VERMILLION "\"><title>this "
		    "change: offline delta %+.4f, predicted lift %+.2f%% "
		    "[95%% PI %+.2f%%, %+.2f%%]</title></circle>\n", cx,
		    pf_scale_at(&sy, p->pi95[0]), cx, pf_scale_at(&sy,
		    p->pi95[1]), cx, pf_scale_at(&sy, p->pi80[0]), cx,
		    pf_scale_at(&sy, p->pi80[1]), pf_scale_at(&sx, l->x0 - Z95 *
		    l->x0_se), cy, pf_scale_at(&sx, l->x0 + Z95 * l->x0_se), cy,
		    cx, cy, l->x0, 100 * p->mean, 100 * p->pi95[0],
		    100 * p->pi95[1]);
	} else
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"" PF_VERMILLION "\" stroke-dasharray="
		    "\"5 4\"><title>this change's offline delta %+.4f (no "
		    "prediction: not calibrated)</title></line>\n", cx, TOP, cx,
		    h - B, l->x0);
	fprintf(f, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" "
	    "text-anchor=\"middle\">offline ", (L + w - R) / 2, h - 8);
	T(l->metric);
	fprintf(f, " delta (metric units)</text>\n<text class=\"axis-title\" "
	    "x=\"12\" y=\"%.1f\" transform="
	    "\"rotate(-90 12 %.1f)\" text-anchor=\"middle\">online lift, %%",
	    (TOP + h - B) / 2, (TOP + h - B) / 2);
	if (l->kpi != NULL) {
		fputs(" (", f);
		T(l->kpi);
		fputs(")", f);
	}
	fputs("</text>\n", f);
	if (l->synthetic)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" "
		    "fill=\"" PF_VERMILLION "\">SYNTHETIC HISTORY</text>\n",
		    L + 8, TOP + 16);
	fputs("</svg>\n", f);
}

static void
validation_row(FILE *f, const char *name, const pf_lift_validation *v)
{
	fputs("<tr><th scope=\"row\">", f);
	T(name);
	fprintf(f, "</th><td>%zu</td><td>", v->n);
	if (v->n == 0) {
		fputs("n/a</td><td>n/a</td><td>n/a</td><td>n/a</td><td>n/a"
		    "</td></tr>\n", f);
		return;
	}
	upct(f, v->rmse);
	fputs("</td><td>", f);
	fix(f, 2, v->q2);
	fprintf(f, "</td><td>%zu/%zu (%.0f%%)</td><td>%zu/%zu (%.0f%%)</td>"
	    "<td>%zu/%zu (%.0f%%)</td></tr>\n", v->n_in80, v->n,
	    100 * v->coverage80, v->n_in95, v->n, 100 * v->coverage95,
	    v->n_sign, v->n, 100 * v->sign_agreement);
}

static void
model_table(FILE *f, const pf_rep_lift *l)
{
	const pf_lift_summary *s = l->sum;

	if (!s->fitted) {
		fputs("<p>The history is too small or too flat to fit at all."
		    "</p>\n", f);
		return;
	}
	fputs("<table><caption>Random-effects meta-regression (Paule&#8211;"
	    "Mandel &#964;&#178;), online lift = b0 + b1 &#215; offline delta"
	    "</caption>\n<tr><th scope=\"col\">term</th><th scope=\"col\">"
	    "estimate</th><th scope=\"col\">SE</th><th scope=\"col\">95% CI"
	    "</th></tr>\n", f);
	for (int k = 0; k < 2; k++) {
		const pf_lift_coef *c = &s->beta[k];
		fputs(k ? "<tr><th scope=\"row\">slope b1 (lift per unit of "
		    "delta)</th><td>" : "<tr><th scope=\"row\">intercept b0"
		    "</th><td>", f);
		fix(f, -1, c->est);
		fputs("</td><td>", f);
		fix(f, -1, c->se);
		fputs("</td><td>", f);
		fix(f, -1, c->ci95[0]);
		fputs(", ", f);
		fix(f, -1, c->ci95[1]);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<p>Between-experiment spread &#964; = ", f);
	upct(f, sqrt(s->tau2));
	fprintf(f, " (fixed-effect Q = %.2f on %zu experiments); degrees of "
	    "freedom for intervals J &#8722; 3 = %.0f; reliability of the "
	    "offline deltas &#955; = ", s->q_fe, s->n, s->df);
	fix(f, 2, s->reliability[0]);
	fputs(s->corrected ? " (slope divided by &#955;: noise in the "
	    "offline deltas flattens it).</p>\n" : ".</p>\n", f);
	fputs("<table><caption>Validation: each past experiment predicted "
	    "from the others (leave-one-out) and from earlier ones only "
	    "(leave-future-out)</caption>\n<tr><th scope=\"col\">"
	    "validation</th><th scope=\"col\">predicted</th><th scope=\"col\">RMSE</th>"
	    "<th scope=\"col\">Q&#178;</th><th scope=\"col\">80% PI coverage"
	    "</th><th scope=\"col\">95% PI coverage</th><th scope=\"col\">"
	    "sign agreement</th></tr>\n", f);
	validation_row(f, "leave-one-out", &s->loo);
	validation_row(f, "leave-future-out", &s->lfo);
	fputs("</table>\n", f);
}

static void
history_table(FILE *f, const pf_rep_lift *l)
{
	const pf_lift_validation *v = &l->sum->loo;

	fprintf(f, "<details><summary>The %zu past experiments</summary>\n"
	    "<table><tr><th scope=\"col\">id</th><th scope=\"col\">date</th>"
	    "<th scope=\"col\">offline delta</th><th scope=\"col\">SE</th>"
	    "<th scope=\"col\">online lift</th><th scope=\"col\">SE</th>"
	    "<th scope=\"col\">launched</th><th scope=\"col\">leave-one-out "
	    "prediction</th><th scope=\"col\">in its 80%% PI</th></tr>\n",
	    l->n);
	for (size_t j = 0; j < l->n; j++) {
		fputs("<tr><td class=\"l\">", f);
		T(l->id[j]);
		fputs("</td><td>", f);
		T(l->date ? l->date[j] : "");
		fprintf(f, "</td><td>%+.4f</td><td>", l->x[j]);
		fix(f, 4, l->x_se ? l->x_se[j] : NAN);
		fputs("</td><td>", f);
		pct(f, l->y[j]);
		fprintf(f, "</td><td>%.2f%%</td><td>%s</td><td>", 100 *
		    l->y_se[j], l->launched[j] == 1 ? "yes" : l->launched[j] ==
		    0 ? "no" : "");
		if (v->rows != NULL && v->rows[j].predicted &&
		    strcmp(l->status, "not_calibrated") != 0) {
			pct(f, v->rows[j].pred);
			fprintf(f, "</td><td>%s", v->rows[j].in80 ? "yes" :
			    "no");
		} else
			fputs("n/a</td><td>", f);
		fputs("</td></tr>\n", f);
	}
	fputs("</table></details>\n", f);
}

void
pf_html_lift_section(FILE *f, const pf_rep_lift *l)
{
	const pf_lift_prediction *p;

	fputs("<section id=\"lift\"><h2>Predicted online lift</h2>\n", f);
	if (l == NULL) {
		fputs("<p>Not calibrated: no launch history is configured "
		    "(&lt;lift history=\"...\"/&gt;), so no number is shown."
		    "</p></section>\n", f);
		return;
	}
	p = l->pred;
	if (l->synthetic) {
		fputs("<p id=\"lift-synthetic\"><strong>SYNTHETIC HISTORY."
		    "</strong> "
		    "The past experiments in ", f);
		T(l->history);
		fputs(" are made up (a demonstration): this prediction says "
		    "nothing about real users. Replace the history with your own "
		    "A/B tests, launched or not.</p>\n", f);
	}
	fputs("<p id=\"lift-result\">", f);
	if (strcmp(l->status, "not_calibrated") == 0) {
		fputs("<strong>Not calibrated</strong>: ", f);
		T(l->reasons);
		fputs(". No number is shown.", f);
	} else {
		fputs("<strong>", f);
		pct(f, p->mean);
		fputs("</strong> predicted online lift", f);
		if (l->kpi != NULL) {
			fputs(" in ", f);
			T(l->kpi);
		}
		fputs(" of ", f);
		T(l->treatment);
		fputs(" over ", f);
		T(l->control);
		fputs(": 95% prediction interval [", f);
		pct(f, p->pi95[0]);
		fputs(", ", f);
		pct(f, p->pi95[1]);
		fputs("], 80% [", f);
		pct(f, p->pi80[0]);
		fputs(", ", f);
		pct(f, p->pi80[1]);
		fprintf(f, "]; P(lift &gt; 0) = %.2f.", p->p_positive);
		if (l->has_plan && !isnan(p->p_significant)) {
			fprintf(f, " <span id=\"lift-power\">A planned A/B of "
			    "%.0f units per arm (KPI coefficient of variation "
			    "%.3g: standard error ", l->plan_traffic, l->plan_cv);
			upct(f, l->plan_se);
			fprintf(f, ") shows a significant win with probability "
			    "<strong>%.2f</strong> (its power averaged over "
			    "this prediction).</span>", p->p_significant);
		}
		if (strcmp(l->status, "extrapolating") == 0)
			fputs(" <strong>Extrapolating</strong>: this offline "
			    "delta lies outside the range of the history.", f);
		if (l->notes != NULL && l->notes[0] != '\0') {
			fputs(" <span id=\"lift-note\"><strong>Note</strong>: ",
			    f);
			T(l->notes);
			fputs(".</span>", f);
		}
	}
	fputs("</p>\n<p>This change: offline ", f);
	T(l->metric);
	fprintf(f, " delta %+.4f (SE %.4f, from the paired comparison) of ",
	    l->x0, l->x0_se);
	T(l->treatment);
	fputs(" versus ", f);
	T(l->control);
	fprintf(f, ". History: %zu past experiments used from ", l->n);
	T(l->history);
	fputs(" (column ", f);
	T(l->xcol);
	fprintf(f, "); %zu rows on another offline metric and %zu on another "
	    "golden set left out.", l->nexcl_metric, l->nexcl_golden);
	if (l->has_min) {
		fputs(" Gate <a href=\"#gate-min_lift\">min_lift</a>: predicted "
		    "mean lift at least ", f);
		pct(f, l->min);
		fprintf(f, ": %s.", l->gate_status == 0 ? "pass" :
		    l->gate_status == 1 ? "FAIL" : "skipped (not calibrated)");
	}
	fputs("</p>\n", f);
	chart(f, l);
	fputs("<p>Squares: past experiments with 95% error bars (online: the "
	    "A/B test's; offline: its standard error, when given). ", f);
	if (l->nband > 1)
		fputs("Line and shaded band: the fitted relation and its 95% "
		    "prediction band for an exact offline delta. Circle: this "
		    "change with its 80% (thick) and 95% (thin) prediction "
		    "intervals, which also carry the noise in its offline "
		    "delta.", f);
	else
		fputs("Dashed line: this change's offline delta; no line, band "
		    "or prediction while the model is not calibrated.", f);
	fputs("</p>\n", f);
	if (strcmp(l->status, "not_calibrated") != 0)
		model_table(f, l);
	else
		fputs("<p>The fit behind these reasons (coefficients, "
		    "leave-one-out) is in results.json under \"lift\", for "
		    "diagnosis only.</p>\n", f);
	history_table(f, l);
	fputs("</section>\n", f);
}

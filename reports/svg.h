/*
 * reports/svg.h — a small inline-SVG chart writer for the HTML report
 * (../shared/REPORTS.md §2.4): scales, nice ticks, one escaping function,
 * and the charts the report draws. Colours are presentation attributes
 * (Okabe–Ito), numbers use %.1f in the C locale, every chart has
 * role="img" and a <title>. Many marks go into one <path> per series.
 */
#ifndef PF_REPORTS_SVG_H
#define PF_REPORTS_SVG_H

#include <stddef.h>
#include <stdio.h>

#define PF_BLUE		"#0072B2"	/* improvement */
#define PF_VERMILLION	"#D55E00"	/* regression */
#define PF_GREY		"#999999"	/* not significant / tie */

typedef struct pf_scale {
	double	d0, d1, r0, r1;		/* domain -> range */
} pf_scale;

double	pf_scale_at(const pf_scale *s, double v);
/* A 1/2/5 x 10^k step giving about n ticks over [lo, hi]. */
double	pf_nice_step(double lo, double hi, int n);
/* Writes s with & < > " ' escaped, C0 controls and bad UTF-8 replaced. */
void	pf_xml_text(FILE *f, const char *s);
/* Opens an <svg> of w x h with role="img", the font and a <title>. */
void	pf_svg_open(FILE *f, const char *title, double w, double h);
/* An axis title (class axis-title) centred at x, y; vertical: rotated. */
void	pf_svg_axis_title(FILE *f, double x, double y, int vertical,
	    const char *text);

typedef struct pf_forest_row {
	const char	*label;
	double		 mean, lo, hi;
	int		 sign;		/* +1 significant gain, -1 loss, 0 ns */
} pf_forest_row;

/* One whisker per row around a zero line; xtitle under the ticks. */
void	pf_svg_forest(FILE *f, const char *title, const char *xtitle,
	    const pf_forest_row *rows, size_t n);
typedef struct pf_bar_row {
	const char	*label;
	double		 value, lo, hi;	/* lo, hi NaN: no whisker */
	int		 faint;		/* grey: e.g. its CI contains 0 */
} pf_bar_row;

/* Horizontal bars from a zero line, with CI whiskers. */
void	pf_svg_bars(FILE *f, const char *title, const char *xtitle,
	    const pf_bar_row *rows, size_t n);
/* Stacked horizontal bar: wins / ties / losses. */
void	pf_svg_wlt(FILE *f, const char *title, size_t wins, size_t ties,
	    size_t losses);
/*
 * The per-query charts (reports/svg_query.c); qid[i] names value i (its
 * mark links to #q-QID with a <title>), or qid NULL.
 * Sorted per-query deltas as bars; ytitle names the delta.
 */
void	pf_svg_waterfall(FILE *f, const char *title, const char *ytitle,
	    const double *delta, const char *const *qid, size_t n);
/* Histogram of per-query deltas (about 20 bins, a bin centred on 0). */
void	pf_svg_histogram(FILE *f, const char *title, const char *xtitle,
	    const double *delta, size_t n);
/* Control (x) versus treatment (y) per query, with the diagonal. */
void	pf_svg_scatter(FILE *f, const char *title, const double *x,
	    const double *y, const char *const *qid, size_t n,
	    const char *xlabel, const char *ylabel);

/* One step of a stage waterfall: a signed contribution and its CI. */
typedef struct pf_step {
	const char	*label;
	double		 delta, lo, hi;	/* lo, hi NaN: no whisker */
} pf_step;

/*
 * Stage waterfall: step i is a bar from the running sum of steps 0..i-1
 * to that sum + delta (blue up, vermillion down), its CI as a whisker
 * around the bar's end; the last row is the total bar from 0 to `total`
 * (the steps sum to it), labelled total_label.
 */
void	pf_svg_stage_waterfall(FILE *f, const char *title,
	    const char *xtitle, const pf_step *steps, size_t n,
	    const char *total_label, double total);

#endif /* PF_REPORTS_SVG_H */

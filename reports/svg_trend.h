/*
 * reports/svg_trend.h — the trend page's charts (inline SVG, the
 * conventions of svg.h: role="img", a <title>, presentation attributes
 * in the Okabe–Ito colours, numbers with one decimal).
 */
#ifndef PF_REPORTS_SVG_TREND_H
#define PF_REPORTS_SVG_TREND_H

#include <stdio.h>

#include "reports/trend.h"

/*
 * One series over the nights: its 95% CI as a band, the value as a line,
 * the goal's bounds as dashed steps, a marker per night by status (met a
 * blue dot, missed a vermillion cross on a shaded night, unknown a grey
 * "?"), change points as vertical dashed lines marked ▲/▼; axes with
 * ticks and titles and a legend. Tooltips per night up to 200 nights.
 */
void	pf_svg_trend(FILE *f, const pf_trend *t, const pf_trend_series *s);
/*
 * The series' segments as small multiples: one small chart per dimension
 * value, every panel on the same y scale, with a caption naming the axes.
 */
void	pf_svg_segments(FILE *f, const pf_trend *t, const pf_trend_series *s);

#endif /* PF_REPORTS_SVG_TREND_H */

/*
 * reports/trend_fmt.h — the words and numbers trend.html and summary.md
 * share (reports/trend.h's model): a goal's bounds as text, its margin,
 * status names, a night's name. Numbers print in the C locale with the
 * report's precision (%.4f values, %+.4f changes).
 */
#ifndef PF_REPORTS_TREND_FMT_H
#define PF_REPORTS_TREND_FMT_H

#include <stddef.h>
#include <stdio.h>

#include "reports/trend.h"

/* "MET", "MISSED", "unknown" or "—" (no goal that night). */
const char	*pf_tf_status(int status);
/*
 * The goal of series s as on night p: "ndcg_cut_10 >= 0.3500",
 * "map <= 0.1000", "P_10 in [0.1000, 0.2000]", relative "ndcg_cut_10
 * delta >= -0.0050 against label:model=v41"; "ndcg_cut_10" when p has no
 * bound. Into buf (always terminated).
 */
void	pf_tf_goal(char *buf, size_t sz, const pf_trend_series *s,
	    const pf_trend_point *p);
/*
 * How far p's value is inside its bounds (> 0, met) or outside them
 * (< 0): the smaller distance to a bound. NaN without value or bound.
 */
double	pf_tf_margin(const pf_trend_point *p);
/* "night 4 (run 12, 2026-01-04)" into buf. */
void	pf_tf_night(char *buf, size_t sz, const pf_trend *t, size_t i);

/* v with four decimals (signed when sign), "n/a" when not finite; a
   CI as "[lo, hi]" the same way. */
void	pf_tf_num(FILE *f, int sign, double v);
void	pf_tf_ci(FILE *f, int sign, double lo, double hi);
/* Whether an earlier series has series j's metric and stack (its steps
   and segments are then the same: shown once). */
int	pf_tf_repeat(const pf_trend *t, size_t j);
/* trend.html's "What changed" section (reports/trend_html_compare.c). */
void	pf_trend_html_compare(FILE *f, const pf_trend *t);

#endif /* PF_REPORTS_TREND_FMT_H */

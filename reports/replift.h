/*
 * reports/replift.h — the predicted online lift as the writers see it
 * (../shared/METHODS.md §5.4): the history, the fit (metrics/lift.h), this
 * change's prediction, and the words. Plain data in; the harness fills it
 * (harness/analysis/lift.c). Lifts are in the history's unit (relative: 0.0072
 * is +0.72%); results.json keeps that unit, the HTML shows percent.
 */
#ifndef PF_REPORTS_REPLIFT_H
#define PF_REPORTS_REPLIFT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "metrics/lift.h"

typedef struct pf_rep_lift {
	const char		*history;	/* path of the CSV */
	const char		*metric;	/* offline metric (printed name) */
	const char		*xcol;		/* CSV column read as the delta */
	const char		*kpi;		/* online KPI, or NULL */
	const char		*control, *treatment;
	int			 synthetic;	/* label every output */
	size_t			 n, nexcl_metric, nexcl_golden;
	const char *const	*id;		/* n history rows */
	const char *const	*date;		/* n, or NULL */
	const double		*x, *x_se;	/* x_se may be NULL */
	const double		*y, *y_se;
	const int		*launched;	/* 1, 0, -1 unknown */
	const pf_lift_summary	*sum;
	const pf_lift_prediction *pred;	/* NaN numbers unless calibrated */
	double			 x0, x0_se;	/* this change's offline delta */
	int			 has_plan;	/* the planned A/B is given */
	double			 plan_traffic, plan_cv, plan_se;
	const char		*interval;	/* results.json's name of it */
	/* the fitted line and 95% prediction band of an exact offline
	   delta, over the history's range and x0 (nband 0: none) */
	size_t			 nband;
	const double		*band_x, *band_mean, *band_lo, *band_hi;
	const char		*status;	/* calibrated, extrapolating,
						   not_calibrated */
	const char		*reasons;	/* sentences, "" when none */
	const char		*notes;		/* what the number should be
						   read with (PF_LIFT_R_NOTES),
						   "" when none */
	const char		*headline;	/* the sentence under the verdict */
	int			 has_min;
	double			 min;		/* min-lift gate threshold */
	int			 gate_status;	/* 0 pass 1 fail 3 skipped */
} pf_rep_lift;

/* The "lift" object of results.json. */
json_t	*pf_results_lift_json(const pf_rep_lift *l);

/* The headline sentence under the verdict (nothing when l is NULL). */
void	pf_html_lift_headline(FILE *f, const pf_rep_lift *l);
/* The "Predicted online lift" section; l NULL: not configured. */
void	pf_html_lift_section(FILE *f, const pf_rep_lift *l);

#endif /* PF_REPORTS_REPLIFT_H */

/*
 * harness/load/lift_history.h — the CSV history of past A/B experiments that the
 * predicted online lift is calibrated on (../shared/METHODS.md §5.2).
 *
 * One header row, then one row per past online test, launched or not:
 *
 *	launch_id,date,offline_metric,golden_set,offline_delta,offline_se,
 *	interleave_delta,interleave_se,online_kpi,online_lift,online_se,launched
 *
 * Columns are found by name, in any order; unknown columns are ignored.
 * Required: launch_id (or experiment_id), online_lift (relative: 0.0072 is
 * +0.72%), online_se (> 0), and the offline delta: a column named exactly
 * as the metric (wide form, "ndcg_cut_10", with "ndcg_cut_10_se" as its
 * standard error) or else offline_delta (long form, with offline_se; rows
 * whose offline_metric is another metric are excluded and counted).
 * Optional: date (YYYY-MM-DD; enables leave-future-out), golden_set (rows
 * naming another golden set are excluded and counted: it must equal the
 * scenario's golden name or its folder's last component), online_kpi (every
 * used row must name the same one), interleave_delta and interleave_se
 * (kept for the report; may be empty; not a second predictor: in
 * bench/decisions.sh it made the predictions worse), launched (0 or 1,
 * may be empty).
 * Fields may be double-quoted ("" inside quotes is a quote). Lines that
 * start with '#' are comments; a comment containing "synthetic" (any case)
 * marks the history as made up, which every output then says.
 *
 * Errors name path:line and what was expected: missing column, wrong field
 * count, a non-numeric or non-finite number, a negative standard error (or
 * online_se == 0), a duplicate launch_id among the used rows, a bad date,
 * two online KPIs. Errors are PF_EFORMAT (PF_EDATA for two KPIs), PF_EIO,
 * PF_ENOMEM.
 */
#ifndef PF_HARNESS_LOAD_LIFT_HISTORY_H
#define PF_HARNESS_LOAD_LIFT_HISTORY_H

#include <stddef.h>

#include "metrics/err.h"

typedef struct pf_lifthist {
	char		*path;
	size_t		 n;		/* rows used */
	size_t		 nexcl_metric;	/* another offline_metric */
	size_t		 nexcl_golden;	/* another golden_set */
	const char	**id;		/* n */
	const char	**date;		/* n, or NULL: no date column */
	long		*line;		/* n: 1-based line in the file */
	double		*x, *x_se;	/* offline delta; x_se NULL if absent */
	double		*il, *il_se;	/* interleaving, NaN when empty; NULL
					   when the column is absent */
	double		*y, *y_se;	/* online lift and its SE */
	int		*launched;	/* n: 1, 0, -1 unknown */
	const char	*kpi;		/* the online KPI, or NULL */
	const char	*xcol;		/* column read as the offline delta */
	int		 synthetic;	/* a comment says so */
	char		*buf;		/* the file; the strings point here */
} pf_lifthist;

/*
 * Loads path for metric (a printed metric name, "ndcg_cut_10"); golden,
 * golden_dir: the scenario's golden name and folder (either may be NULL)
 * for the golden_set filter. *out is the caller's (pf_lifthist_free).
 */
int	pf_lifthist_load(pf_lifthist **out, const char *path,
	    const char *metric, const char *golden, const char *golden_dir,
	    pf_err *err);
void	pf_lifthist_free(pf_lifthist *h);	/* NULL is a no-op */

#endif /* PF_HARNESS_LOAD_LIFT_HISTORY_H */

/*
 * metrics/changepoint.h — change points in a nightly series, found by
 * paired tests night over night (METHODS.md §11): the per-query values
 * of night t against those of night t - 1 on the queries both have.
 *
 * One step (pf_cp_step_compare): d_q = cur_q - prev_q; delta = mean(d),
 * its 95% percentile bootstrap CI and the two-sided sign-flip
 * randomization p, exactly as pf_stats_compare_paired computes them
 * (metrics/stats.h: exact enumeration up to 20 queries, else Monte Carlo
 * with the +1 correction; the RNG keyed by (seed, id_a, id_b)).
 *
 * The family (pf_cp_flag): the steps of one series over the window.
 * Benjamini-Hochberg q over their p-values (steps without a p are not in
 * the family), and a step is a change point when all three hold:
 *	q <= alpha,  its CI excludes 0 (lo > 0 or hi < 0),
 *	|delta| >= min_effect.
 * BH rather than Holm: a window of nights is a screen for where to look,
 * not a confirmatory claim (the exploratory family of METHODS.md §4.4).
 */
#ifndef PF_METRICS_CHANGEPOINT_H
#define PF_METRICS_CHANGEPOINT_H

#include <stddef.h>

#include "metrics/err.h"
#include "metrics/stats.h"

typedef struct pf_cp_step {
	size_t	n;		/* common queries */
	double	delta;		/* mean of cur - prev */
	double	lo, hi;		/* 95% bootstrap CI */
	double	p;		/* sign-flip randomization p; NaN: none */
	double	q;		/* BH over the family (pf_cp_flag) */
	int	change;		/* flagged (pf_cp_flag) */
} pf_cp_step;

/*
 * One night against the one before, over n paired values (prev[i] and
 * cur[i] are the same query). o as for pf_stats_compare_paired (NULL:
 * defaults). n = 0 gives a step of NaNs. Errors as that function's.
 */
int	pf_cp_step_compare(const double *prev, const double *cur, size_t n,
	    const pf_stats_opts *o, pf_cp_step *out, pf_err *err);

/*
 * Fills q and change of the n steps as above. alpha in (0, 1),
 * min_effect >= 0; PF_EINVAL otherwise, PF_ENOMEM.
 */
int	pf_cp_flag(pf_cp_step *s, size_t n, double alpha, double min_effect,
	    pf_err *err);

#endif /* PF_METRICS_CHANGEPOINT_H */

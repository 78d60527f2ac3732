/*
 * metrics/changepoint.c — night-over-night paired steps and their
 * flagging (changepoint.h). The statistics are pf_stats_compare_paired's;
 * this file only fixes which numbers a step keeps and the rule that makes
 * a step a change point.
 */
#include <math.h>
#include <stdlib.h>

#include "metrics/changepoint.h"

int
pf_cp_step_compare(const double *prev, const double *cur, size_t n,
    const pf_stats_opts *o, pf_cp_step *out, pf_err *err)
{
	pf_stats_cmp c;
	int rc;

	*out = (pf_cp_step){n, NAN, NAN, NAN, NAN, NAN, 0};
	if (n == 0)
		return PF_OK;
	if ((rc = pf_stats_compare_paired(prev, cur, n, o, &c, err)) != PF_OK)
		return rc;
	out->delta = c.delta;
	out->lo = c.ci_lo;
	out->hi = c.ci_hi;
	out->p = c.p_perm;
	return PF_OK;
}

int
pf_cp_flag(pf_cp_step *s, size_t n, double alpha, double min_effect,
    pf_err *err)
{
	double *p;
	int rc;

	if (!(alpha > 0 && alpha < 1) || !(min_effect >= 0))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "change points need "
		    "alpha in (0, 1) and a minimum effect >= 0 (got %g, %g)",
		    alpha, min_effect);
	if ((p = calloc(n + 1, sizeof(*p))) == NULL)
		return pf_err_nomem(err, NULL, n + 1, sizeof(*p), "p-values");
	for (size_t i = 0; i < n; i++)
		p[i] = s[i].p;
	if ((rc = pf_stats_bh(p, n, p, err)) != PF_OK) {
		free(p);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		s[i].q = p[i];
		s[i].change = p[i] <= alpha && (s[i].lo > 0 || s[i].hi < 0) &&
		    fabs(s[i].delta) >= min_effect;
	}
	free(p);
	return PF_OK;
}

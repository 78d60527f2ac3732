/*
 * harness/analysis/lift.h — the predicted online lift of one run (<lift> in the
 * scenario; ../shared/METHODS.md §5): loads the CSV history
 * (harness/load/lift_history.h), fits metrics/lift on it, and predicts the lift of
 * this change from its offline delta on the scenario's lift metric (default
 * the primary) for the lift stack (default the first treatment), with the
 * delta's standard error from the paired comparison (the paired t standard
 * error, sd / sqrt(n)), so the prediction carries the offline noise.
 *
 * The min-lift gate compares the predicted mean lift (the point, not an
 * interval bound) with min-lift, in the history's unit (0.002 = +0.2%): the
 * 95% prediction interval of one change's true lift includes the
 * between-experiment spread tau, which no number of queries shrinks, so a
 * gate on its lower bound would fail nearly every change for a history of
 * a few dozen experiments. The interval is printed beside the point in the
 * gate's message. When the model is not calibrated the gate is skipped with
 * the reason: never a made-up number.
 */
#ifndef PF_HARNESS_ANALYSIS_LIFT_H
#define PF_HARNESS_ANALYSIS_LIFT_H

#include "harness/analysis/compare.h"
#include "harness/analysis/gate.h"
#include "harness/util/diags.h"
#include "harness/load/lift_history.h"
#include "harness/engine/replay.h"
#include "metrics/lift.h"
#include "reports/replift.h"

#define PF_LIFTRUN_BAND	41	/* points of the drawn band */

typedef struct pf_liftrun {
	pf_lifthist		*hist;
	pf_lift_model		*model;
	pf_lift_prediction	 pred;
	size_t			 stack;		/* the treatment */
	size_t			 value;		/* the metric's value index */
	const char		*metric;
	double			 x0, x0_se;
	double			 plan_se;	/* the planned A/B's SE, or 0 */
	double			 plan_traffic, plan_cv;
	int			 synthetic;	/* scenario or history says so */
	char			 reasons[1024];	/* gating: not calibrated */
	char			 notes[512];	/* PF_LIFT_R_NOTES, or "" */
	char			 headline[1024];
	size_t			 nband;		/* line and 95% band */
	double			 band_x[PF_LIFTRUN_BAND];
	double			 band_mean[PF_LIFTRUN_BAND];
	double			 band_lo[PF_LIFTRUN_BAND];
	double			 band_hi[PF_LIFTRUN_BAND];
	int			 has_min;	/* min-lift given */
	double			 min;
	pf_gate_list		 gates;		/* min-lift, when given */
	int			 gate_status;	/* PF_GATE_* */
} pf_liftrun;

/*
 * For `run` before anything is replayed (and `run --check`): the history
 * loads, the stack is a treatment and the metric is measured. Problems go
 * to d with path:line; returns PF_OK or PF_EFORMAT.
 */
int	pf_liftrun_check(const pf_replay *r, pf_diags *d);

/*
 * After the comparison: fits, predicts, and evaluates the min-lift gate
 * (if any) into lr->gates. *out NULL when the scenario has no <lift> or
 * no treatment; otherwise set even on error (free it). Errors: those of
 * the history and of pf_lift_fit.
 */
int	pf_liftrun_run(pf_liftrun **out, const pf_replay *r,
	    const pf_comparison *c, pf_err *err);

void	pf_liftrun_free(pf_liftrun *lr);	/* NULL is a no-op */

/* The writers' view of lr (borrowing from lr and m). */
void	pf_liftrun_report(const pf_liftrun *lr, const pf_measured *m,
	    pf_rep_lift *out);

#endif /* PF_HARNESS_ANALYSIS_LIFT_H */

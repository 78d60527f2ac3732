/*
 * metrics/lift.h — predicted online lift from a history of past A/B tests
 * (../shared/METHODS.md §5). Pure: arrays in, numbers out; no I/O, no global
 * state; thread-safe (LAPACK from OpenBLAS for the p x p solves).
 *
 * Model (METHODS.md §5.3), rows j = 1..J of the history:
 *
 *	y_j = b0 + b' x_j + u_j + e_j,   u_j ~ N(0, tau^2),  e_j ~ N(0, sigma_j^2)
 *
 * with x_j the offline deltas (npred predictors), y_j the observed online
 * lift and sigma_j its standard error. Weighted least squares with weights
 * 1 / (sigma_j^2 + tau^2); tau^2 by Paule–Mandel (bisection on
 * Q(tau^2) = J - p; 0 when Q(0) <= J - p); Cov(b) = (X'WX)^-1 (no
 * Knapp–Hartung rescaling); intervals with Student t on J - p - 1 degrees of
 * freedom, for the coefficients as for predictions. p counts the intercept.
 *
 * Noise in the offline deltas (regression dilution): with x_se given, the
 * reliability of predictor k is lambda_k = (s_k^2 - mean_j x_se_jk^2) / s_k^2
 * (s_k^2 the sample variance, J - 1). Any lambda_k < 0.5 makes the history
 * not calibrated; when every lambda_k >= 0.5 and some is < 1 the slopes are
 * corrected: b <- M b with M = (S - D)^-1 S (S the predictors' sample
 * covariance, D = diag(mean x_se^2)), which is b1 / lambda for one predictor.
 * METHODS.md leaves the intercept open; we keep the fitted line through the
 * weighted centroid (b0 <- b0 + xbar_w' (b - M b)), so the correction does not
 * shift the prediction at the history's centre, and carry the covariance
 * through the same linear map (the slope's SE is divided by lambda).
 * The offline noise also moves each row's lift about the attenuated line,
 * by sum_k b_k^2 lambda_k x_se_jk^2 (for one predictor, Var(d - lambda x)
 * = lambda x_se^2 with d the true delta); Paule–Mandel would read it as
 * between-experiment variance, and the prediction below, which adds
 * b^2 s0^2 for the new change's own noise, would count it twice (its 95%
 * interval covered 97-99% in bench/decisions.sh). With noise_in_weights
 * (the default) the corrected fit is therefore done once more with known
 * variances sigma_j^2 + sum_k b_k^2 lambda_k x_se_jk^2 (b, lambda from the
 * first fit): tau^2, the coefficients and their correction anew.
 *
 * Prediction at x0 +- s0. Two intervals (pf_lift_opts.interval):
 *
 * PF_LIFT_PI_PLUGIN, METHODS.md §5.3 item 5 (tau^2 treated as known):
 *	mean = b0 + b' x0, V0 = x0' Cov x0 + tau^2 + sum_k b_k^2 s0_k^2,
 *	PI = mean -+ t_{df, 1-a/2} sqrt(V0) (80% and 95%),
 *	P(lift > 0) = F_t(mean / sqrt(V0); df), and with a planned A/B standard
 *	error sp > 0, P(significant positive) = P(Y > 1.959964 sp) with
 *	Y ~ mean + sqrt(V0 + sp^2) t_df.
 *	It under-covers when tau^2 is poorly determined (few experiments, A/B
 *	noise as large as tau): 0.90-0.93 for a nominal 0.95 in bench/decisions.
 *
 * PF_LIFT_PI_CD (the default), tau^2's uncertainty propagated by its
 *	confidence distribution (Nagashima, Noma & Furukawa, Stat. Methods
 *	Med. Res. 2019, the parametric-bootstrap PI of METHODS.md §12, made
 *	deterministic): the generalized Q(tau^2) at the true tau^2 is
 *	chi-square on J - p degrees of freedom, so for the N =
 *	PF_LIFT_CD_POINTS probabilities u_i = (i + 1/2) / N the tau2_i solving
 *	Q(tau2_i) = F^-1_{chi2, J-p}(u_i) (0 when Q(0) is smaller) are an
 *	evenly weighted sample of tau^2's confidence distribution. Given
 *	tau2_i the coefficients are normal, b_i ~ N(bhat(tau2_i), Cov(tau2_i))
 *	(reliability-corrected as the point fit is), so the true lift's
 *	predictive distribution is the equal mixture of
 *	N(m_i, v_i), m_i = x0' b_i, v_i = x0' Cov_i x0 + tau2_i + sum_k b_ik^2
 *	s0_k^2. mean is the point estimate b0 + b' x0 (as above); sd the
 *	mixture's; PI80/PI95 its 10/90% and 2.5/97.5% quantiles (bisection on
 *	the mixture CDF); P(lift > 0) = 1 - F(0); P(significant positive) =
 *	(1/N) sum_i Phi((m_i - 1.959964 sp) / sqrt(v_i + sp^2)), the power of
 *	the planned A/B averaged over the predictive distribution
 *	(pf_lift_power is the power at one known lift).
 *	bench/decisions.sh measures both: CD covers within 1-2 points of
 *	nominal where the plug-in under-covers (bench/RESULTS.md "decisions").
 *
 * Validation (METHODS.md §5.5). Leave-one-out: every row is predicted by a
 * refit (tau^2 re-estimated, reliability recomputed) on the others;
 * z_j = (y_j - yhat_(-j)) / sqrt(x_j' Cov_(-j) x_j + tau^2_(-j) + sigma_j^2
 * + sum_k b_k^2 x_se_jk^2) — the last term (zero without x_se) is the one a
 * prediction carries for a noisy x0, so LOO checks the interval the tool
 * shows. Covered at 80% / 95% when |z_j| <= t_{df_(-j)} quantile. RMSE,
 * Q^2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2, sign agreement (sign of
 * yhat_(-j) equals the sign of y_j, 0 being its own sign). Leave-future-out,
 * when dates are given: row j is predicted from the rows with a strictly
 * earlier date (ISO 8601 strings, compared with strcmp); rows with fewer
 * than p + 2 earlier rows are not predicted. LFO is reported, not gated.
 *
 * "Not calibrated" (METHODS.md §5.4, tuned by bench/decisions.sh): the
 * fit's reasons are PF_LIFT_R_* bits; any bit of PF_LIFT_R_GATING set
 * means not calibrated. J < 8 usable rows (J < 10 * npred with two or
 * more predictors); lambda_k < 0.5; LOO 80% coverage below 0.60;
 * Q^2_LOO undefined (the lifts do not vary). Two reasons are ours: the
 * offline deltas do not vary (or are collinear), and some leave-one-out
 * refit is degenerate (the relation hinges on one experiment).
 * METHODS.md's other four are no longer applied. A slope's 95% CI
 * containing 0 (PF_LIFT_R_SLOPE_ZERO) is still computed and set in the
 * reasons, but as a note the report shows next to the number
 * (pf_lift_notes_format), not a reason: over 150,000 simulated histories
 * (bench/RESULTS.md "decisions", J 5-60, tau 0.25-4 A/B SEs) it kept
 * exactly the histories whose intervals under-cover — the worst (J, tau)
 * cell's 95% interval covered 89.8% with it, 94.6% without it — while
 * the prediction, leaning on the history's mean where the slope is
 * unsupported, stays honest: with it 62.0% of the histories calibrated,
 * without it 77.5%, every cell covering 94.6-98.6%. LOO sign agreement
 * < 70% (PF_LIFT_R_LOO_SIGN is never set), LOO 80% coverage above 0.97
 * and Q^2_LOO <= 0 are not applied either: METHODS.md's full rule
 * calibrated 38.4% of the histories with a worst cell of 87.7%; the sign
 * rule alone cut 62.0% to 42.7%, Q^2 > 0 to 56.3%, each with a lower
 * worst cell, and the coverage-above-0.97 rule removed the histories
 * whose intervals were honest and wide. LOO numbers are still reported.
 *
 * The predicted lift is only reachable through pf_lift_predict, which fills
 * every number with NaN unless the status is CALIBRATED or EXTRAPOLATING.
 * EXTRAPOLATING: some x0_k lies more than 25% of predictor k's range outside
 * [min x_k, max x_k]; more than 50% (the widened interval is twice the
 * range; METHODS.md's "beyond twice the range") is not calibrated.
 *
 * Units are the caller's: y, y_se, tau^2 and predictions share y's unit
 * (METHODS.md's worked example uses percent), slopes are y-units per x-unit.
 */
#ifndef PF_METRICS_LIFT_H
#define PF_METRICS_LIFT_H

#include <stddef.h>

#include "metrics/err.h"

#define PF_LIFT_MAXPRED		3	/* offline predictors per row */
#define PF_LIFT_MIN_ROWS	8	/* METHODS.md §5.4 item 1 */
#define PF_LIFT_MIN_LAMBDA	0.5	/* item 4 */
#define PF_LIFT_MIN_SIGN	0.70	/* item 3: reported, not applied */
#define PF_LIFT_MIN_COV80	0.60
#define PF_LIFT_MAX_COV80	0.97	/* not applied */
#define PF_LIFT_EXTRAP_MARGIN	0.25	/* of the range, each side */
#define PF_LIFT_FAR_MARGIN	0.50
#define PF_LIFT_CD_POINTS	100	/* tau^2 confidence-distribution grid */

/* The prediction interval. */
#define PF_LIFT_PI_CD		0	/* tau^2 uncertainty propagated */
#define PF_LIFT_PI_PLUGIN	1	/* METHODS.md §5.3 item 5 as written */

/* Reasons for "not calibrated" (bits). */
#define PF_LIFT_R_FEW_ROWS	0x001u	/* J < 8 (or < 10 npred) */
#define PF_LIFT_R_NO_SPREAD	0x002u	/* an offline delta is constant, or
					   the predictors are collinear */
#define PF_LIFT_R_SLOPE_ZERO	0x004u	/* a slope's 95% CI contains 0: a
					   note, not gating (below) */
#define PF_LIFT_R_NOISY_X	0x008u	/* reliability lambda < 0.5 */
#define PF_LIFT_R_LOO_SIGN	0x010u	/* (not applied; never set) */
#define PF_LIFT_R_LOO_COVERAGE	0x020u	/* LOO 80% coverage < 0.60 */
#define PF_LIFT_R_LOO_Q2	0x040u	/* Q^2_LOO undefined */
#define PF_LIFT_R_LOO_FRAGILE	0x080u	/* a leave-one-out refit degenerate */
#define PF_LIFT_R_FAR_X0	0x100u	/* prediction only: x0 far outside */

/*
 * The reasons that make a fit or a prediction not calibrated; the other
 * bits (PF_LIFT_R_SLOPE_ZERO) are notes: set when they hold, reported,
 * never a cause of PF_LIFT_NOT_CALIBRATED (see "Not calibrated" above).
 */
#define PF_LIFT_R_GATING	(PF_LIFT_R_FEW_ROWS | PF_LIFT_R_NO_SPREAD | \
				 PF_LIFT_R_NOISY_X | PF_LIFT_R_LOO_SIGN | \
				 PF_LIFT_R_LOO_COVERAGE | PF_LIFT_R_LOO_Q2 | \
				 PF_LIFT_R_LOO_FRAGILE | PF_LIFT_R_FAR_X0)
#define PF_LIFT_R_NOTES		PF_LIFT_R_SLOPE_ZERO

typedef enum pf_lift_status {
	PF_LIFT_NOT_CALIBRATED = 0,
	PF_LIFT_CALIBRATED = 1,
	PF_LIFT_EXTRAPOLATING = 2	/* a number, flagged */
} pf_lift_status;

/* The history: J rows, borrowed for the duration of pf_lift_fit only. */
typedef struct pf_lift_history {
	size_t			 n;	/* rows J */
	size_t			 npred;	/* offline predictors, 1..MAXPRED */
	const double		*x;	/* n * npred, row-major: x[j*npred+k] */
	const double		*x_se;	/* n * npred standard errors, or NULL */
	const double		*y;	/* n observed online lifts */
	const double		*y_se;	/* n standard errors, > 0 */
	const char *const	*date;	/* n ISO 8601 dates, or NULL: no LFO */
} pf_lift_history;

typedef struct pf_lift_opts {
	int	through_origin;	/* 0: y = b0 + b'x (default); 1: b0 = 0 */
	int	interval;	/* PF_LIFT_PI_CD (default) or _PLUGIN */
	unsigned ignore;	/* PF_LIFT_R_GATING bits that do not make
				   the model not calibrated (default 0; for
				   studies of the thresholds: the reasons
				   are still reported) */
	int	noise_in_weights; /* 1 (default): the offline deltas'
				   noise is part of each row's known
				   variance, not of tau^2 (below); 0: as
				   METHODS.md §5.3 wrote it */
} pf_lift_opts;

void	pf_lift_opts_init(pf_lift_opts *o);

typedef struct pf_lift_coef {
	double	est, se;
	double	ci95[2];	/* est -+ t_{df, 0.975} se */
} pf_lift_coef;

/* One validated row: yhat_(-j) and its predictive SD (METHODS.md §5.5). */
typedef struct pf_lift_val_row {
	int	predicted;	/* 0: refit impossible; other fields NaN */
	double	pred;		/* yhat_(-j) */
	double	sd;		/* predictive SD of the observed y_j */
	double	df;		/* the refit's J - p - 1 */
	double	z;		/* (y_j - pred) / sd */
	int	in80, in95;	/* |z| within the t quantile */
} pf_lift_val_row;

typedef struct pf_lift_validation {
	size_t			 n;		/* rows predicted */
	double			 rmse, q2;	/* NaN when n == 0 */
	double			 coverage80, coverage95, sign_agreement;
	size_t			 n_in80, n_in95, n_sign;
	const pf_lift_val_row	*rows;		/* J rows in history order,
						   or NULL (no dates for LFO) */
} pf_lift_validation;

/*
 * The fit. Every number is filled whenever the rows allow a fit (J >= p + 2
 * and the predictors vary), calibrated or not, so the report can show why;
 * the predicted lift itself comes only from pf_lift_predict.
 */
typedef struct pf_lift_summary {
	int			calibrated;	/* 1 iff no PF_LIFT_R_GATING
						   bit of reasons is set */
	unsigned		reasons;	/* PF_LIFT_R_*: gating reasons
						   and notes */
	size_t			n;		/* J */
	size_t			npred;
	size_t			p;		/* coefficients incl. intercept */
	int			intercept;	/* 0 when through_origin */
	int			fitted;		/* 0: nothing could be estimated */
	double			df;		/* J - p - 1 */
	pf_lift_coef		beta[PF_LIFT_MAXPRED + 1];
					/* [0] intercept (0 when through
					   origin), [1 + k] predictor k;
					   after the reliability correction */
	double			tau2;		/* Paule–Mandel tau^2 */
	double			q_fe;		/* Q(0): fixed-effect Q */
	double			reliability[PF_LIFT_MAXPRED];
					/* lambda_k; NaN without x_se */
	int			corrected;	/* slopes divided by reliability */
	double			x_min[PF_LIFT_MAXPRED];
	double			x_max[PF_LIFT_MAXPRED];
	pf_lift_validation	loo, lfo;
} pf_lift_summary;

typedef struct pf_lift_model pf_lift_model;

/*
 * Fits the model to the history and validates it. *out is owned by the
 * caller (pf_lift_model_free); a history too small or too flat to calibrate
 * is not an error: it gives a model whose summary says why. PF_EINVAL (the
 * row named in err) for npred outside 1..PF_LIFT_MAXPRED, a non-finite
 * value, y_se <= 0, x_se < 0 or a NULL date; PF_ENOMEM.
 */
int	pf_lift_fit(pf_lift_model **out, const pf_lift_history *h,
	    const pf_lift_opts *o, pf_err *err);

void	pf_lift_model_free(pf_lift_model *m);	/* NULL is a no-op */

/* Borrowed from m, valid until pf_lift_model_free(m). */
const pf_lift_summary	*pf_lift_model_summary(const pf_lift_model *m);

/*
 * Switches the interval later predictions of m give (PF_LIFT_PI_*): the
 * plug-in is always available; the CD interval only when m was fitted
 * with it (its tau^2 grid is computed by pf_lift_fit). PF_EINVAL
 * otherwise. For comparisons such as bench/decisions.sh.
 */
int	pf_lift_model_set_interval(pf_lift_model *m, int interval,
	    pf_err *err);

/* A prediction for one new change. */
typedef struct pf_lift_prediction {
	pf_lift_status	status;
	unsigned	reasons;	/* the fit's reasons | PF_LIFT_R_FAR_X0 */
	double		df;
	/* NaN unless status is CALIBRATED or EXTRAPOLATING: */
	double		mean, sd;
	double		pi80[2], pi95[2];
	double		p_positive;
	double		p_significant;	/* NaN also when sigma_plan <= 0 */
} pf_lift_prediction;

/*
 * Predicts the true online lift of a change with offline deltas
 * x0[npred] +- x0_se[npred] (x0_se may be NULL: exact). sigma_plan is the
 * planned A/B's standard error in y's unit, or 0 when unknown. PF_EINVAL
 * for a non-finite x0, a negative x0_se or a NaN sigma_plan.
 */
int	pf_lift_predict(const pf_lift_model *m, const double *x0,
	    const double *x0_se, double sigma_plan, pf_lift_prediction *out,
	    pf_err *err);

/*
 * Planned A/B power (METHODS.md §5.3): the probability that an A/B with
 * standard error sigma_plan (> 0, y's unit) shows a significant win —
 * its two-sided 95% test rejects with a positive estimate — when the true
 * lift is `lift`: Phi(lift / sigma_plan - 1.959964). NaN for sigma_plan
 * <= 0 or NaN arguments.
 */
double	pf_lift_power(double lift, double sigma_plan);

/*
 * The standard error of a planned A/B's relative lift (y's unit when the
 * history's lifts are relative: 0.01 = +1%) from its traffic: n_per_arm
 * units (users, sessions) in each of two equal arms and the KPI's
 * coefficient of variation per unit (sd / mean): cv * sqrt(2 / n), the
 * delta-method SE of (mean_B - mean_A) / mean_A at a small lift. NaN
 * unless n_per_arm >= 2 and cv > 0 are finite.
 */
double	pf_lift_plan_se(double n_per_arm, double kpi_cv);

/*
 * Writes the gating reasons among `reasons` (PF_LIFT_R_GATING; notes are
 * left out) as one line of sentences ("only 6 past experiments; at least
 * 8 are needed; ..."), with the fit's numbers. Returns the length the
 * text needs (excluding NUL), as snprintf does.
 */
size_t	pf_lift_reasons_format(const pf_lift_summary *s, unsigned reasons,
	    char *buf, size_t bufsz);

/*
 * Writes the notes among `reasons` (PF_LIFT_R_NOTES) the same way: what a
 * calibrated prediction should be read with ("the offline-to-online
 * slope's 95% CI [-0.1, 0.9] contains 0: ..."). "" when there is none.
 */
size_t	pf_lift_notes_format(const pf_lift_summary *s, unsigned reasons,
	    char *buf, size_t bufsz);

#endif /* PF_METRICS_LIFT_H */

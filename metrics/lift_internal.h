/*
 * metrics/lift_internal.h — shared by the metrics/lift*.c files only;
 * never included from another folder.
 */
#ifndef PF_METRICS_LIFT_INTERNAL_H
#define PF_METRICS_LIFT_INTERNAL_H

#include <stddef.h>

#include "metrics/lift.h"

#define MAXP		(PF_LIFT_MAXPRED + 1)
#define Z975		1.959963984540054	/* standard normal 0.975 */

/* One fit on a subset of the history. */
struct fit {
	int	ok;		/* estimates below are valid */
	int	degenerate;	/* predictors constant or collinear */
	int	noisy;		/* some lambda < 0.5 (or S - D indefinite) */
	int	corrected;
	size_t	m, p, k;	/* rows, coefficients, predictors */
	double	df;
	double	beta[MAXP];	/* design order: intercept (if any) first */
	double	cov[MAXP * MAXP];
	double	tau2, q_fe;
	double	lambda[PF_LIFT_MAXPRED];
};

/* One point of the tau^2 confidence distribution (lift_predict.c). */
struct cdpt {
	double	tau2;
	double	beta[MAXP];	/* after the reliability correction */
	double	cov[MAXP * MAXP];
};

struct pf_lift_model {
	pf_lift_summary	 s;
	pf_lift_val_row	*loo_rows;
	pf_lift_val_row	*lfo_rows;
	struct fit	 f;		/* what predictions need */
	int		 interval;	/* PF_LIFT_PI_* */
	unsigned	 ignore;	/* pf_lift_opts.ignore */
	struct cdpt	*cd;		/* PF_LIFT_CD_POINTS, or NULL */
	size_t		 ncd;
};

/* Shared scratch for every refit: design rows, y, sigma^2, weights. */
struct work {
	double	*X;	/* m * p, row-major */
	double	*y, *s2, *w;
	int	noise_w;	/* pf_lift_opts.noise_in_weights */
};

/* A few (df -> t quantiles) memo slots: LOO refits share one df. */
struct tcache {
	double	df[4], t90[4], t975[4];
	int	n, next;
};

int	pf_lift_i_wls(const struct work *wk, size_t m, size_t p, double tau2,
	    double *beta, double *cov, double *q);
int	pf_lift_i_degenerate(const struct work *wk, size_t m, size_t p,
	    size_t off);
double	pf_lift_i_q_inverse(const struct work *wk, size_t m, size_t p,
	    double q0, double target, double tol, double lo0, double qlo0);
void	pf_lift_i_tq(struct tcache *c, double df, double *t90, double *t975);
void	pf_lift_i_fit_rows(const pf_lift_history *h, int intercept,
	    const size_t *idx, size_t m, const struct work *wk, struct fit *f);
void	pf_lift_i_fit_predict(const struct fit *f, const double *x,
	    const double *xse, double *mean, double *var);
double	pf_lift_i_chi2_quantile(double u, double df);
void	pf_lift_i_validate(const pf_lift_history *h, int intercept, int loo,
	    size_t *idx, const struct work *wk, struct tcache *tc,
	    pf_lift_val_row *rows, pf_lift_validation *out);

#endif /* PF_METRICS_LIFT_INTERNAL_H */

/*
 * metrics/lift.c — random-effects meta-regression of online lift on offline
 * deltas, Paule–Mandel tau^2, reliability correction, leave-one-out and
 * leave-future-out validation (see lift.h for every definition).
 *
 * Sizes: J is tens to a few hundred rows, p <= 4 coefficients. Each fit
 * solves p x p systems with LAPACK's dposv (OpenBLAS) inside a bisection on
 * tau^2 (~60 solves); validation refits J times for LOO and up to J times
 * for LFO, so a fit is O(J^2 * 60 * p^2) flops — microseconds to
 * milliseconds. One heap buffer of J * (p + 3) doubles is reused by every
 * refit. Student t from metrics/stats.h.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/stats.h"
#include "metrics/lift.h"

/*
 * LAPACK from OpenBLAS (Debian builds it NO_LAPACKE, so the Fortran
 * symbols). The trailing size_t is gfortran's hidden length of the
 * CHARACTER argument; passing it is correct for Fortran LAPACK and
 * harmless for OpenBLAS's C reimplementations.
 */
void	dposv_(const char *uplo, const int *n, const int *nrhs, double *a,
	    const int *lda, double *b, const int *ldb, int *info, size_t);
void	dpotrf_(const char *uplo, const int *n, double *a, const int *lda,
	    int *info, size_t);

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

struct pf_lift_model {
	pf_lift_summary	 s;
	pf_lift_val_row	*loo_rows;
	pf_lift_val_row	*lfo_rows;
	struct fit	 f;		/* what predictions need */
};

/* Shared scratch for every refit: design rows, y, sigma^2, weights. */
struct work {
	double	*X;	/* m * p, row-major */
	double	*y, *s2, *w;
};

/* A few (df -> t quantiles) memo slots: LOO refits share one df. */
struct tcache {
	double	df[4], t90[4], t975[4];
	int	n, next;
};

static void
tq(struct tcache *c, double df, double *t90, double *t975)
{
	for (int i = 0; i < c->n; i++)
		if (c->df[i] == df) {
			*t90 = c->t90[i];
			*t975 = c->t975[i];
			return;
		}
	int i = c->next;
	c->next = (c->next + 1) % 4;
	if (c->n < 4)
		c->n++;
	c->df[i] = df;
	c->t90[i] = *t90 = pf_stats_t_quantile(0.90, df);
	c->t975[i] = *t975 = pf_stats_t_quantile(0.975, df);
}

/*
 * Weighted least squares at tau2: beta = (X'WX)^-1 X'Wy, cov = (X'WX)^-1,
 * q = sum w (y - X beta)^2. Returns -1 when X'WX is not positive definite.
 */
static int
wls(const struct work *wk, size_t m, size_t p, double tau2, double *beta,
    double *cov, double *q)
{
	double a[MAXP * MAXP], b[MAXP * (MAXP + 1)];
	int n = (int)p, nrhs = (int)p + 1, info = 0;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	for (size_t j = 0; j < m; j++) {
		const double *xj = wk->X + j * p;
		double w = 1.0 / (wk->s2[j] + tau2);
		wk->w[j] = w;
		for (size_t c = 0; c < p; c++) {
			b[c] += w * xj[c] * wk->y[j];
			for (size_t r = 0; r < p; r++)
				a[c * p + r] += w * xj[r] * xj[c];
		}
	}
	for (size_t c = 0; c < p; c++)	/* columns 1..p of B: identity */
		b[(c + 1) * p + c] = 1.0;
	dposv_("L", &n, &nrhs, a, &n, b, &n, &info, 1);
	if (info != 0)
		return -1;
	for (size_t c = 0; c < p; c++) {
		beta[c] = b[c];
		for (size_t r = 0; r < p; r++)
			cov[c * p + r] = b[(c + 1) * p + r];
	}
	double qs = 0.0;
	for (size_t j = 0; j < m; j++) {
		double e = wk->y[j];
		for (size_t c = 0; c < p; c++)
			e -= wk->X[j * p + c] * beta[c];
		qs += wk->w[j] * e * e;
	}
	*q = qs;
	return 0;
}

/*
 * Whether the predictors (columns off..p-1 of X) carry no information: a
 * column is constant (centred when there is an intercept) or a Cholesky
 * pivot of their correlation matrix is below 1e-10 (collinear).
 */
static int
degenerate(const struct work *wk, size_t m, size_t p, size_t off)
{
	size_t k = p - off;
	double mean[MAXP] = {0}, g[MAXP * MAXP] = {0}, mx[MAXP] = {0};
	int n = (int)k, info = 0;

	for (size_t c = 0; c < k; c++) {
		for (size_t j = 0; j < m; j++) {
			double v = wk->X[j * p + off + c];
			mean[c] += v;
			mx[c] = fmax(mx[c], fabs(v));
		}
		mean[c] = off ? mean[c] / (double)m : 0.0;
	}
	for (size_t j = 0; j < m; j++)
		for (size_t c = 0; c < k; c++)
			for (size_t r = 0; r < k; r++)
				g[c * k + r] += (wk->X[j * p + off + r] -
				    mean[r]) * (wk->X[j * p + off + c] -
				    mean[c]);
	for (size_t c = 0; c < k; c++) {
		double tiny = 1e-12 * mx[c] * sqrt((double)m);
		if (!(sqrt(g[c * k + c]) > tiny))
			return 1;
	}
	double d[MAXP];
	for (size_t c = 0; c < k; c++)
		d[c] = sqrt(g[c * k + c]);
	for (size_t c = 0; c < k; c++)
		for (size_t r = 0; r < k; r++)
			g[c * k + r] /= d[r] * d[c];
	dpotrf_("L", &n, g, &n, &info, 1);
	if (info != 0)
		return 1;
	for (size_t c = 0; c < k; c++)
		if (!(g[c * k + c] * g[c * k + c] > 1e-10))
			return 1;
	return 0;
}

/* Paule–Mandel: the tau2 >= 0 with Q(tau2) = m - p, by bisection. */
static double
paule_mandel(const struct work *wk, size_t m, size_t p, double q0)
{
	double target = (double)(m - p), beta[MAXP], cov[MAXP * MAXP], q;
	double lo = 0.0, hi, ybar = 0.0, v = 0.0;

	if (q0 <= target)
		return 0.0;
	for (size_t j = 0; j < m; j++)
		ybar += wk->y[j] / (double)m;
	for (size_t j = 0; j < m; j++)
		v += (wk->y[j] - ybar) * (wk->y[j] - ybar);
	hi = v > 0 ? v / (double)(m - 1) : 1.0;
	/* Q(tau2) -> 0 as tau2 grows: find a bracket, then halve it. */
	for (int i = 0; i < 2000; i++) {
		if (wls(wk, m, p, hi, beta, cov, &q) != 0 || q < target)
			break;
		lo = hi;
		hi *= 2.0;
	}
	for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
		double mid = 0.5 * (lo + hi);
		if (wls(wk, m, p, mid, beta, cov, &q) != 0)
			break;
		if (q > target)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

/*
 * Regression-dilution correction of f's coefficients (lift.h): lambda per
 * predictor from rows idx, and when all are >= 0.5 with one < 1, the map
 * A = [[1, xbar_w'(I - M)], [0, M]] applied to beta and cov.
 */
static void
reliability(const pf_lift_history *h, const size_t *idx, const struct work
    *wk, struct fit *f)
{
	size_t m = f->m, k = h->npred, off = f->p - k;
	double mean[PF_LIFT_MAXPRED] = {0}, mse[PF_LIFT_MAXPRED] = {0};
	double S[PF_LIFT_MAXPRED * PF_LIFT_MAXPRED] = {0};
	int any = 0;

	for (size_t c = 0; c < k; c++)
		f->lambda[c] = NAN;
	if (h->x_se == NULL)
		return;
	for (size_t j = 0; j < m; j++)
		for (size_t c = 0; c < k; c++) {
			double se = h->x_se[idx[j] * k + c];
			mean[c] += h->x[idx[j] * k + c] / (double)m;
			mse[c] += se * se / (double)m;
		}
	for (size_t j = 0; j < m; j++)
		for (size_t c = 0; c < k; c++)
			for (size_t r = 0; r < k; r++)
				S[c * k + r] += (h->x[idx[j] * k + r] -
				    mean[r]) * (h->x[idx[j] * k + c] -
				    mean[c]) / (double)(m - 1);
	for (size_t c = 0; c < k; c++) {
		f->lambda[c] = (S[c * k + c] - mse[c]) / S[c * k + c];
		if (f->lambda[c] < PF_LIFT_MIN_LAMBDA)
			f->noisy = 1;
		if (f->lambda[c] < 1.0)
			any = 1;
	}
	if (f->noisy || !any)
		return;

	/* M = (S - D)^-1 S. */
	double a[PF_LIFT_MAXPRED * PF_LIFT_MAXPRED], M[PF_LIFT_MAXPRED *
	    PF_LIFT_MAXPRED];
	int n = (int)k, info = 0;
	memcpy(a, S, sizeof(a));
	memcpy(M, S, sizeof(M));
	for (size_t c = 0; c < k; c++)
		a[c * k + c] -= mse[c];
	dposv_("L", &n, &n, a, &n, M, &n, &info, 1);
	if (info != 0) {
		f->noisy = 1;
		return;
	}

	/* A (p x p, column-major), then beta <- A beta, cov <- A cov A'. */
	size_t p = f->p;
	double A[MAXP * MAXP] = {0}, xw[PF_LIFT_MAXPRED] = {0}, sw = 0.0;
	for (size_t c = 0; c < k; c++)
		for (size_t r = 0; r < k; r++)
			A[(off + c) * p + off + r] = M[c * k + r];
	if (off) {
		A[0] = 1.0;
		for (size_t j = 0; j < m; j++) {
			double w = 1.0 / (wk->s2[j] + f->tau2);
			sw += w;
			for (size_t c = 0; c < k; c++)
				xw[c] += w * h->x[idx[j] * k + c];
		}
		for (size_t c = 0; c < k; c++) {
			double v = xw[c] / sw;	/* row 0: xbar_w'(I - M) */
			for (size_t cc = 0; cc < k; cc++)
				A[(1 + cc) * p] += v * ((c == cc ? 1.0 : 0.0) -
				    M[cc * k + c]);
		}
	}
	double nb[MAXP] = {0}, t[MAXP * MAXP] = {0}, nc[MAXP * MAXP] = {0};
	for (size_t r = 0; r < p; r++)
		for (size_t c = 0; c < p; c++)
			nb[r] += A[c * p + r] * f->beta[c];
	for (size_t r = 0; r < p; r++)		/* t = A cov */
		for (size_t c = 0; c < p; c++)
			for (size_t i = 0; i < p; i++)
				t[c * p + r] += A[i * p + r] * f->cov[c * p + i];
	for (size_t r = 0; r < p; r++)		/* nc = t A' */
		for (size_t c = 0; c < p; c++)
			for (size_t i = 0; i < p; i++)
				nc[c * p + r] += t[i * p + r] * A[i * p + c];
	memcpy(f->beta, nb, sizeof(nb));
	memcpy(f->cov, nc, sizeof(nc));
	f->corrected = 1;
}

/* Fits rows idx[0..m-1]. f->ok = 0 when m < p + 2 or degenerate. */
static void
fit_rows(const pf_lift_history *h, int intercept, const size_t *idx,
    size_t m, const struct work *wk, struct fit *f)
{
	size_t k = h->npred, p = k + (intercept ? 1 : 0), off = p - k;
	double q0;

	memset(f, 0, sizeof(*f));
	f->m = m;
	f->p = p;
	f->k = k;
	f->df = (double)m - (double)p - 1.0;
	f->tau2 = f->q_fe = NAN;
	for (size_t c = 0; c < PF_LIFT_MAXPRED; c++)
		f->lambda[c] = NAN;
	if (m < p + 2)
		return;
	for (size_t j = 0; j < m; j++) {
		double *xj = wk->X + j * p;
		if (intercept)
			xj[0] = 1.0;
		for (size_t c = 0; c < k; c++)
			xj[off + c] = h->x[idx[j] * k + c];
		wk->y[j] = h->y[idx[j]];
		wk->s2[j] = h->y_se[idx[j]] * h->y_se[idx[j]];
	}
	if (degenerate(wk, m, p, off) ||
	    wls(wk, m, p, 0.0, f->beta, f->cov, &q0) != 0) {
		f->degenerate = 1;
		return;
	}
	f->q_fe = q0;
	f->tau2 = paule_mandel(wk, m, p, q0);
	if (wls(wk, m, p, f->tau2, f->beta, f->cov, &q0) != 0) {
		f->degenerate = 1;
		return;
	}
	reliability(h, idx, wk, f);
	f->ok = 1;
}

/* Mean and variance of the true lift at x[k] +- xse[k] (xse may be NULL). */
static void
fit_predict(const struct fit *f, const double *x, const double *xse,
    double *mean, double *var)
{
	size_t p = f->p, off = p - f->k;
	double d[MAXP], mu = 0.0, v = 0.0;

	if (off)
		d[0] = 1.0;
	for (size_t c = 0; c < f->k; c++)
		d[off + c] = x[c];
	for (size_t r = 0; r < p; r++) {
		mu += d[r] * f->beta[r];
		for (size_t c = 0; c < p; c++)
			v += d[r] * f->cov[c * p + r] * d[c];
	}
	v += f->tau2;
	if (xse != NULL)
		for (size_t c = 0; c < f->k; c++)
			v += f->beta[off + c] * f->beta[off + c] * xse[c] *
			    xse[c];
	*mean = mu;
	*var = v;
}

static int
sign3(double v)
{
	return (v > 0) - (v < 0);
}

/*
 * Validation: for each row j, refit on the rows train(j) chooses and
 * predict y_j. loo != 0: every other row; else the rows dated before j's.
 */
static void
validate(const pf_lift_history *h, int intercept, int loo, size_t *idx,
    const struct work *wk, struct tcache *tc, pf_lift_val_row *rows,
    pf_lift_validation *out)
{
	size_t n = h->n, k = h->npred, npred = 0, in80 = 0, in95 = 0, sg = 0;
	double sse = 0.0, sst = 0.0, ybar = 0.0, ymax = 0.0;
	struct fit f;

	for (size_t j = 0; j < n; j++) {
		pf_lift_val_row *r = &rows[j];
		size_t m = 0;
		double mu, var, t90, t975;

		for (size_t i = 0; i < n; i++)
			if (loo ? i != j : strcmp(h->date[i], h->date[j]) < 0)
				idx[m++] = i;
		r->predicted = 0;
		r->pred = r->sd = r->df = r->z = NAN;
		r->in80 = r->in95 = 0;
		fit_rows(h, intercept, idx, m, wk, &f);
		if (!f.ok)
			continue;
		fit_predict(&f, h->x + j * k, h->x_se ? h->x_se + j * k :
		    NULL, &mu, &var);
		var += h->y_se[j] * h->y_se[j];
		tq(tc, f.df, &t90, &t975);
		r->predicted = 1;
		r->pred = mu;
		r->sd = sqrt(var);
		r->df = f.df;
		r->z = (h->y[j] - mu) / r->sd;
		r->in80 = fabs(r->z) <= t90;
		r->in95 = fabs(r->z) <= t975;
		npred++;
		in80 += (size_t)r->in80;
		in95 += (size_t)r->in95;
		sg += sign3(mu) == sign3(h->y[j]);
		ybar += h->y[j];
	}
	memset(out, 0, sizeof(*out));
	out->rows = rows;
	out->n = npred;
	out->n_in80 = in80;
	out->n_in95 = in95;
	out->n_sign = sg;
	if (npred == 0) {
		out->rmse = out->q2 = out->coverage80 = out->coverage95 =
		    out->sign_agreement = NAN;
		return;
	}
	ybar /= (double)npred;
	for (size_t j = 0; j < n; j++)
		if (rows[j].predicted) {
			double e = h->y[j] - rows[j].pred, c = h->y[j] - ybar;
			sse += e * e;
			sst += c * c;
			ymax = fmax(ymax, fabs(h->y[j]));
		}
	out->rmse = sqrt(sse / (double)npred);
	/* Lifts that do not vary (to rounding) leave Q^2 undefined. */
	out->q2 = sst > 1e-24 * ymax * ymax * (double)npred ? 1.0 - sse /
	    sst : NAN;
	out->coverage80 = (double)in80 / (double)npred;
	out->coverage95 = (double)in95 / (double)npred;
	out->sign_agreement = (double)sg / (double)npred;
}

void
pf_lift_opts_init(pf_lift_opts *o)
{
	o->through_origin = 0;
}

static int
check_history(const pf_lift_history *h, pf_err *err)
{
	size_t k = h->npred;

	if (k < 1 || k > PF_LIFT_MAXPRED)
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "lift history: %zu offline predictors, expected 1 to %d",
		    k, PF_LIFT_MAXPRED);
	for (size_t j = 0; j < h->n; j++) {
		for (size_t c = 0; c < k; c++) {
			if (!isfinite(h->x[j * k + c]))
				return pf_err_set(err, PF_EINVAL, NULL, 0,
				    "lift history row %zu: offline delta %zu "
				    "is not a finite number", j + 1, c + 1);
			if (h->x_se != NULL && !(isfinite(h->x_se[j * k + c])
			    && h->x_se[j * k + c] >= 0))
				return pf_err_set(err, PF_EINVAL, NULL, 0,
				    "lift history row %zu: offline standard "
				    "error %zu must be finite and >= 0, got %g",
				    j + 1, c + 1, h->x_se[j * k + c]);
		}
		if (!isfinite(h->y[j]))
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "lift history row %zu: online lift is not a "
			    "finite number", j + 1);
		if (!(isfinite(h->y_se[j]) && h->y_se[j] > 0))
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "lift history row %zu: online standard error "
			    "must be finite and > 0, got %g", j + 1,
			    h->y_se[j]);
		if (h->date != NULL && h->date[j] == NULL)
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "lift history row %zu: no date", j + 1);
	}
	return PF_OK;
}

int
pf_lift_fit(pf_lift_model **out, const pf_lift_history *h,
    const pf_lift_opts *o, pf_err *err)
{
	pf_lift_opts dflt;
	pf_lift_model *m = NULL;
	struct work wk = {0};
	struct tcache tc = {0};
	struct fit f;
	size_t *idx = NULL, n = h->n, k = h->npred, p, sz;
	int rc, intercept;

	*out = NULL;
	if (o == NULL) {
		pf_lift_opts_init(&dflt);
		o = &dflt;
	}
	if ((rc = check_history(h, err)) != PF_OK)
		return rc;
	intercept = !o->through_origin;
	p = k + (intercept ? 1 : 0);
	if (pf_mul_size(n ? n : 1, p + 3, &sz) != PF_OK ||
	    (m = calloc(1, sizeof(*m))) == NULL ||
	    (wk.X = malloc(sz * sizeof(double))) == NULL ||
	    (idx = malloc((n ? n : 1) * sizeof(*idx))) == NULL ||
	    (m->loo_rows = calloc(n ? n : 1, sizeof(*m->loo_rows))) == NULL ||
	    (h->date != NULL && (m->lfo_rows = calloc(n ? n : 1,
	    sizeof(*m->lfo_rows))) == NULL)) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
		    "out of memory fitting a %zu-row lift history", n);
		goto done;
	}
	wk.y = wk.X + n * p;
	wk.s2 = wk.y + n;
	wk.w = wk.s2 + n;

	/* The fit on every row. */
	pf_lift_summary *s = &m->s;
	for (size_t j = 0; j < n; j++)
		idx[j] = j;
	fit_rows(h, intercept, idx, n, &wk, &f);
	s->n = n;
	s->npred = k;
	s->p = p;
	s->intercept = intercept;
	s->fitted = f.ok;
	s->df = f.df;
	s->tau2 = f.tau2;
	s->q_fe = f.q_fe;
	s->corrected = f.corrected;
	for (size_t c = 0; c < k; c++) {
		s->reliability[c] = f.lambda[c];
		s->x_min[c] = INFINITY;
		s->x_max[c] = -INFINITY;
		for (size_t j = 0; j < n; j++) {
			s->x_min[c] = fmin(s->x_min[c], h->x[j * k + c]);
			s->x_max[c] = fmax(s->x_max[c], h->x[j * k + c]);
		}
	}
	for (size_t i = 0; i <= PF_LIFT_MAXPRED; i++) {
		pf_lift_coef *b = &s->beta[i];
		double v = i == 0 && !intercept ? 0.0 : NAN;
		b->est = b->se = b->ci95[0] = b->ci95[1] = v;
	}
	m->f = f;
	if (f.ok) {
		double t90, t975;
		size_t off = p - k;
		tq(&tc, f.df, &t90, &t975);
		for (size_t r = 0; r < p; r++) {
			pf_lift_coef *b = &s->beta[r + (intercept ? 0 : 1)];
			b->est = f.beta[r];
			b->se = sqrt(f.cov[r * p + r]);
			b->ci95[0] = b->est - t975 * b->se;
			b->ci95[1] = b->est + t975 * b->se;
			if (r >= off && b->ci95[0] <= 0 && b->ci95[1] >= 0)
				s->reasons |= PF_LIFT_R_SLOPE_ZERO;
		}
	}
	if (n < PF_LIFT_MIN_ROWS || (k >= 2 && n < 10 * k))
		s->reasons |= PF_LIFT_R_FEW_ROWS;
	if (f.degenerate)
		s->reasons |= PF_LIFT_R_NO_SPREAD;
	if (f.noisy)
		s->reasons |= PF_LIFT_R_NOISY_X;

	/* Validation. */
	validate(h, intercept, 1, idx, &wk, &tc, m->loo_rows, &s->loo);
	if (f.ok) {
		pf_lift_validation *v = &s->loo;
		if (v->n < n)
			s->reasons |= PF_LIFT_R_LOO_FRAGILE;
		if (v->n > 0) {
			if (100 * v->n_sign < 70 * v->n)
				s->reasons |= PF_LIFT_R_LOO_SIGN;
			if (100 * v->n_in80 < 60 * v->n ||
			    100 * v->n_in80 > 97 * v->n)
				s->reasons |= PF_LIFT_R_LOO_COVERAGE;
			if (!(v->q2 > 0))
				s->reasons |= PF_LIFT_R_LOO_Q2;
		}
	}
	if (h->date != NULL)
		validate(h, intercept, 0, idx, &wk, &tc, m->lfo_rows, &s->lfo);
	else {
		s->lfo.rmse = s->lfo.q2 = s->lfo.coverage80 =
		    s->lfo.coverage95 = s->lfo.sign_agreement = NAN;
	}
	if (!f.ok && !(s->reasons & PF_LIFT_R_NO_SPREAD))
		s->reasons |= PF_LIFT_R_FEW_ROWS;	/* m < p + 2 */
	s->calibrated = s->reasons == 0;

	*out = m;
	m = NULL;
	rc = PF_OK;
done:
	free(wk.X);
	free(idx);
	pf_lift_model_free(m);
	return rc;
}

void
pf_lift_model_free(pf_lift_model *m)
{
	if (m == NULL)
		return;
	free(m->loo_rows);
	free(m->lfo_rows);
	free(m);
}

const pf_lift_summary *
pf_lift_model_summary(const pf_lift_model *m)
{
	return &m->s;
}

int
pf_lift_predict(const pf_lift_model *m, const double *x0,
    const double *x0_se, double sigma_plan, pf_lift_prediction *out,
    pf_err *err)
{
	const pf_lift_summary *s = &m->s;
	int extrap = 0;

	out->status = PF_LIFT_NOT_CALIBRATED;
	out->reasons = s->reasons;
	out->df = s->df;
	out->mean = out->sd = out->p_positive = out->p_significant = NAN;
	out->pi80[0] = out->pi80[1] = out->pi95[0] = out->pi95[1] = NAN;
	for (size_t c = 0; c < s->npred; c++) {
		if (!isfinite(x0[c]))
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "offline delta %zu of the change is not a finite "
			    "number", c + 1);
		if (x0_se != NULL && !(isfinite(x0_se[c]) && x0_se[c] >= 0))
			return pf_err_set(err, PF_EINVAL, NULL, 0,
			    "standard error %zu of the change's offline delta "
			    "must be finite and >= 0, got %g", c + 1, x0_se[c]);
		if (s->n == 0)
			continue;	/* no history, no range to be outside of */
		double r = s->x_max[c] - s->x_min[c];
		double d = fmax(fmax(s->x_min[c] - x0[c], x0[c] - s->x_max[c]),
		    0.0);
		if (d > PF_LIFT_FAR_MARGIN * r)
			out->reasons |= PF_LIFT_R_FAR_X0;
		else if (d > PF_LIFT_EXTRAP_MARGIN * r)
			extrap = 1;
	}
	if (isnan(sigma_plan))
		return pf_err_set(err, PF_EINVAL, NULL, 0,
		    "the planned a/b's standard error is not a number");
	if (out->reasons != 0 || !s->calibrated || !m->f.ok)
		return PF_OK;

	double mu, var, t90 = pf_stats_t_quantile(0.90, s->df),
	    t975 = pf_stats_t_quantile(0.975, s->df);
	fit_predict(&m->f, x0, x0_se, &mu, &var);
	out->status = extrap ? PF_LIFT_EXTRAPOLATING : PF_LIFT_CALIBRATED;
	out->mean = mu;
	out->sd = sqrt(var);
	out->pi80[0] = mu - t90 * out->sd;
	out->pi80[1] = mu + t90 * out->sd;
	out->pi95[0] = mu - t975 * out->sd;
	out->pi95[1] = mu + t975 * out->sd;
	out->p_positive = out->sd > 0 ? pf_stats_t_cdf(mu / out->sd, s->df) :
	    (mu > 0 ? 1.0 : 0.0);
	if (sigma_plan > 0)
		out->p_significant = 1.0 - pf_stats_t_cdf((Z975 * sigma_plan - mu) /
		    sqrt(var + sigma_plan * sigma_plan), s->df);
	return PF_OK;
}

/* Appends to buf like snprintf at offset *len; *len counts what was needed. */
static void
appendf(char *buf, size_t bufsz, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
appendf(char *buf, size_t bufsz, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(*len < bufsz ? buf + *len : NULL,
	    *len < bufsz ? bufsz - *len : 0, fmt, ap);
	va_end(ap);
	if (r > 0)
		*len += (size_t)r;
}

size_t
pf_lift_reasons_format(const pf_lift_summary *s, unsigned reasons,
    char *buf, size_t bufsz)
{
	size_t len = 0, need = PF_LIFT_MIN_ROWS;
	const char *sep = "";

	if (bufsz > 0)
		buf[0] = '\0';
	if (s->npred >= 2 && 10 * s->npred > need)
		need = 10 * s->npred;
#define SEP()	(appendf(buf, bufsz, &len, "%s", sep), sep = "; ")
	if (reasons & PF_LIFT_R_FEW_ROWS) {
		SEP();
		appendf(buf, bufsz, &len, "only %zu past experiments, at least "
		    "%zu are needed", s->n, need);
	}
	if (reasons & PF_LIFT_R_NO_SPREAD) {
		SEP();
		appendf(buf, bufsz, &len, "the past offline deltas do not vary%s",
		    s->npred > 1 ? " (or are collinear)" : "");
	}
	if (reasons & PF_LIFT_R_NOISY_X) {
		SEP();
		appendf(buf, bufsz, &len, "offline deltas too noisy relative to "
		    "their spread (reliability");
		for (size_t c = 0; c < s->npred; c++)
			appendf(buf, bufsz, &len, "%s%.2f", c ? ", " : " ",
			    s->reliability[c]);
		appendf(buf, bufsz, &len, ", below %.2f)", PF_LIFT_MIN_LAMBDA);
	}
	if (reasons & PF_LIFT_R_SLOPE_ZERO) {
		SEP();
		appendf(buf, bufsz, &len, "the offline-to-online slope is not "
		    "supported: its 95%% CI contains 0");
		for (size_t c = 0; c < s->npred; c++)
			appendf(buf, bufsz, &len, "%s[%.4g, %.4g]", c ? ", " :
			    " ", s->beta[1 + c].ci95[0], s->beta[1 + c].ci95[1]);
	}
	if (reasons & PF_LIFT_R_LOO_SIGN) {
		SEP();
		appendf(buf, bufsz, &len, "leave-one-out predictions have the "
		    "right sign in only %zu of %zu experiments (70%% needed)",
		    s->loo.n_sign, s->loo.n);
	}
	if (reasons & PF_LIFT_R_LOO_COVERAGE) {
		SEP();
		appendf(buf, bufsz, &len, "leave-one-out 80%% intervals cover "
		    "%zu of %zu experiments (%.0f%%, outside 60%%-97%%)",
		    s->loo.n_in80, s->loo.n, 100.0 * s->loo.coverage80);
	}
	if (reasons & PF_LIFT_R_LOO_Q2) {
		SEP();
		if (isnan(s->loo.q2))
			appendf(buf, bufsz, &len, "leave-one-out Q2 is undefined "
			    "(the online lifts do not vary)");
		else
			appendf(buf, bufsz, &len, "leave-one-out predictions do "
			    "no better than the mean lift (Q2 = %.2f)",
			    s->loo.q2);
	}
	if (reasons & PF_LIFT_R_LOO_FRAGILE) {
		SEP();
		appendf(buf, bufsz, &len, "leaving out one experiment leaves "
		    "no usable relation in %zu of %zu cases", s->n - s->loo.n,
		    s->n);
	}
	if (reasons & PF_LIFT_R_FAR_X0) {
		SEP();
		appendf(buf, bufsz, &len, "this change's offline delta lies "
		    "far outside the history's range");
		for (size_t c = 0; c < s->npred; c++)
			appendf(buf, bufsz, &len, "%s[%.4g, %.4g]", c ? ", " :
			    " ", s->x_min[c], s->x_max[c]);
	}
#undef SEP
	return len;
}

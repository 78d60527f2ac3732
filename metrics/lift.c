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
#include <stdlib.h>
#include <string.h>

#include "metrics/stats.h"
#include "metrics/lift.h"

#include "metrics/lift_internal.h"

/*
 * LAPACK from OpenBLAS (Debian builds it NO_LAPACKE, so the Fortran
 * symbols). The trailing size_t is gfortran's hidden length of the
 * CHARACTER argument; passing it is correct for Fortran LAPACK and
 * harmless for OpenBLAS's C reimplementations.
 */
void	dposv_(const char *uplo, const int *n, const int *nrhs, double *a,
	    const int *lda, double *b, const int *ldb, int *info, size_t);


void
pf_lift_i_tq(struct tcache *c, double df, double *t90, double *t975)
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

/*
 * The offline deltas' noise in the residuals (lift.h): a row's offline
 * noise moves its residual about the attenuated line by b_k^2 lambda_k
 * se_jk^2 per predictor; Paule–Mandel would take it for between-experiment
 * variance and the prediction would count it twice (once in tau^2, once
 * as b^2 s0^2). So the rows' known variances become sigma_j^2 + sum_k
 * b_k^2 lambda_k se_jk^2 (b the corrected slopes of the first fit) and
 * tau^2, the coefficients and the correction are fitted again.
 */
static int
refit_noise(const pf_lift_history *h, const size_t *idx,
    const struct work *wk, struct fit *f)
{
	size_t m = f->m, p = f->p, k = f->k, off = p - k;
	double q0;

	for (size_t j = 0; j < m; j++) {
		double v = h->y_se[idx[j]] * h->y_se[idx[j]];
		for (size_t c = 0; c < k; c++) {
			double b = f->beta[off + c];
			double se = h->x_se[idx[j] * k + c];
			v += b * b * f->lambda[c] * se * se;
		}
		wk->s2[j] = v;
	}
	if (pf_lift_i_wls(wk, m, p, 0.0, f->beta, f->cov, &q0) != 0)
		return -1;
	f->q_fe = q0;
	f->tau2 = pf_lift_i_q_inverse(wk, m, p, q0, (double)(m - p), 1e-15,
	    0.0, q0);
	if (pf_lift_i_wls(wk, m, p, f->tau2, f->beta, f->cov, &q0) != 0)
		return -1;
	f->corrected = 0;
	reliability(h, idx, wk, f);
	return 0;
}

/* Fits rows idx[0..m-1]. f->ok = 0 when m < p + 2 or degenerate. */
void
pf_lift_i_fit_rows(const pf_lift_history *h, int intercept, const size_t *idx,
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
	if (pf_lift_i_degenerate(wk, m, p, off) ||
	    pf_lift_i_wls(wk, m, p, 0.0, f->beta, f->cov, &q0) != 0) {
		f->degenerate = 1;
		return;
	}
	f->q_fe = q0;
	f->tau2 = pf_lift_i_q_inverse(wk, m, p, q0, (double)(m - p), 1e-15,
	    0.0, q0);
	if (pf_lift_i_wls(wk, m, p, f->tau2, f->beta, f->cov, &q0) != 0) {
		f->degenerate = 1;
		return;
	}
	reliability(h, idx, wk, f);
	if (wk->noise_w && f->corrected && refit_noise(h, idx, wk, f) != 0) {
		f->degenerate = 1;
		return;
	}
	f->ok = 1;
}

/* Mean and variance of the true lift at x[k] +- xse[k] (xse may be NULL). */
void
pf_lift_i_fit_predict(const struct fit *f, const double *x,
    const double *xse, double *mean, double *var)
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

void
pf_lift_opts_init(pf_lift_opts *o)
{
	o->through_origin = 0;
	o->interval = PF_LIFT_PI_CD;
	o->ignore = 0;
	o->noise_in_weights = 1;
}

/*
 * The confidence distribution of tau^2 (lift.h), on the full fit f whose
 * rows wk still holds: for u_i = (i + 1/2) / N the chi-square quantile
 * c_i = F^-1_{m-p}(u_i), tau2_i with Q(tau2_i) = c_i (0 when Q(0) <= c_i),
 * and the coefficients (reliability-corrected as f's are) at tau2_i.
 * From the largest u down, each tau2_i brackets the next from below.
 */
static void
cd_grid(const pf_lift_history *h, const size_t *idx, const struct work *wk,
    const struct fit *f, struct cdpt *cd, size_t n)
{
	double df = (double)(f->m - f->p), lo = 0.0, qlo = f->q_fe;

	for (size_t i = n; i-- > 0;) {
		double u = ((double)i + 0.5) / (double)n, q;
		double c = pf_lift_i_chi2_quantile(u, df);
		struct fit g = *f;
		g.tau2 = pf_lift_i_q_inverse(wk, f->m, f->p, f->q_fe, c, 1e-10,
		    lo, qlo);
		if (g.tau2 > 0) {
			lo = g.tau2;
			qlo = c;
		}
		g.corrected = 0;
		if (pf_lift_i_wls(wk, f->m, f->p, g.tau2, g.beta, g.cov,
		    &q) != 0) {
			g.tau2 = f->tau2;	/* cannot happen: f's was */
			memcpy(g.beta, f->beta, sizeof(g.beta));
			memcpy(g.cov, f->cov, sizeof(g.cov));
		} else
			reliability(h, idx, wk, &g);
		cd[i].tau2 = g.tau2;
		memcpy(cd[i].beta, g.beta, sizeof(g.beta));
		memcpy(cd[i].cov, g.cov, sizeof(g.cov));
	}
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
	    (m->cd = malloc(PF_LIFT_CD_POINTS * sizeof(*m->cd))) == NULL ||
	    (wk.X = malloc(sz * sizeof(double))) == NULL ||
	    (idx = malloc((n ? n : 1) * sizeof(*idx))) == NULL ||
	    (m->loo_rows = calloc(n ? n : 1, sizeof(*m->loo_rows))) == NULL ||
	    (h->date != NULL && (m->lfo_rows = calloc(n ? n : 1,
	    sizeof(*m->lfo_rows))) == NULL)) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0,
		    "out of memory fitting a %zu-row lift history", n);
		goto done;
	}
	wk.noise_w = o->noise_in_weights;
	wk.y = wk.X + n * p;
	wk.s2 = wk.y + n;
	wk.w = wk.s2 + n;

	/* The fit on every row. */
	pf_lift_summary *s = &m->s;
	for (size_t j = 0; j < n; j++)
		idx[j] = j;
	pf_lift_i_fit_rows(h, intercept, idx, n, &wk, &f);
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
	m->interval = o->interval;
	m->ignore = o->ignore;
	if (f.ok && o->interval == PF_LIFT_PI_CD) {
		cd_grid(h, idx, &wk, &f, m->cd, PF_LIFT_CD_POINTS);
		m->ncd = PF_LIFT_CD_POINTS;
	}
	if (f.ok) {
		double t90, t975;
		size_t off = p - k;
		pf_lift_i_tq(&tc, f.df, &t90, &t975);
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
	pf_lift_i_validate(h, intercept, 1, idx, &wk, &tc, m->loo_rows,
	    &s->loo);
	if (f.ok) {
		pf_lift_validation *v = &s->loo;
		if (v->n < n)
			s->reasons |= PF_LIFT_R_LOO_FRAGILE;
		/* bench/decisions.sh "thresholds": see lift.h */
		if (v->n > 0) {
			if (100 * v->n_in80 < 60 * v->n)
				s->reasons |= PF_LIFT_R_LOO_COVERAGE;
			if (isnan(v->q2))
				s->reasons |= PF_LIFT_R_LOO_Q2;
		}
	}
	if (h->date != NULL)
		pf_lift_i_validate(h, intercept, 0, idx, &wk, &tc, m->lfo_rows,
		    &s->lfo);
	else {
		s->lfo.rmse = s->lfo.q2 = s->lfo.coverage80 =
		    s->lfo.coverage95 = s->lfo.sign_agreement = NAN;
	}
	if (!f.ok && !(s->reasons & PF_LIFT_R_NO_SPREAD))
		s->reasons |= PF_LIFT_R_FEW_ROWS;	/* m < p + 2 */
	s->calibrated = (s->reasons & PF_LIFT_R_GATING & ~o->ignore) == 0;

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
	free(m->cd);
	free(m);
}

int
pf_lift_model_set_interval(pf_lift_model *m, int interval, pf_err *err)
{
	if (interval != PF_LIFT_PI_PLUGIN && !(interval == PF_LIFT_PI_CD &&
	    (m->ncd > 0 || !m->f.ok)))
		return pf_err_set(err, PF_EINVAL, NULL, 0, "lift model: "
		    "interval %d is not available (fit it with PF_LIFT_PI_CD)",
		    interval);
	m->interval = interval;
	return PF_OK;
}

const pf_lift_summary *
pf_lift_model_summary(const pf_lift_model *m)
{
	return &m->s;
}

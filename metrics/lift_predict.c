/*
 * metrics/lift_predict.c — the predicted lift of one change (lift.h): the
 * plug-in interval of METHODS.md §5.3 and the confidence-distribution
 * interval that propagates tau^2's uncertainty, the planned A/B's power,
 * and the chi-square quantiles the confidence distribution is drawn at.
 */
#define _DEFAULT_SOURCE	/* lgamma_r */
#include <math.h>
#include <string.h>

#include "metrics/stats.h"
#include "metrics/lift_internal.h"

/* ---- chi-square ------------------------------------------------------- */

/*
 * Regularized lower incomplete gamma P(a, x): the series for x < a + 1,
 * else 1 - the continued fraction of Q (Numerical Recipes 3rd ed. §6.2,
 * gser/gcf; modified Lentz).
 */
static double
gamma_p(double a, double x)
{
	int sg;
	double lg = lgamma_r(a, &sg);

	if (!(x > 0))
		return 0.0;
	if (x < a + 1.0) {
		double ap = a, sum = 1.0 / a, del = sum;
		for (int n = 0; n < 10000; n++) {
			ap += 1.0;
			del *= x / ap;
			sum += del;
			if (fabs(del) < fabs(sum) * 1e-16)
				break;
		}
		return sum * exp(-x + a * log(x) - lg);
	}
	const double tiny = 1e-300;
	double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
	for (int i = 1; i < 10000; i++) {
		double an = -(double)i * ((double)i - a), del;
		b += 2.0;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < 1e-16)
			break;
	}
	return 1.0 - exp(-x + a * log(x) - lg) * h;
}

/*
 * The u-quantile of chi-square with df degrees of freedom (0 < u < 1):
 * Newton on P(df/2, x/2) = u from the Wilson–Hilferty start, kept inside
 * a bisection bracket; to 1e-12 relative.
 */
double
pf_lift_i_chi2_quantile(double u, double df)
{
	int sg;
	double a = df / 2.0, lg = lgamma_r(a, &sg), z =
	    pf_stats_norm_quantile(u), c = 2.0 / (9.0 * df);
	double x = df * pow(fmax(1.0 - c + z * sqrt(c), 0.05), 3.0);
	double lo = 0.0, hi = INFINITY;

	for (int i = 0; i < 200; i++) {
		double f = gamma_p(a, x / 2.0) - u, dens, nx;
		if (f < 0)
			lo = x;
		else
			hi = x;
		/* chi-square density at x */
		dens = exp((a - 1.0) * log(x / 2.0) - x / 2.0 - lg) / 2.0;
		nx = dens > 0 ? x - f / dens : NAN;
		if (!(nx > lo && nx < hi))
			nx = isfinite(hi) ? 0.5 * (lo + hi) : 2.0 * x;
		if (fabs(nx - x) <= 1e-12 * x) {
			x = nx;
			break;
		}
		x = nx;
	}
	return x;
}

/* ---- power ------------------------------------------------------------ */

static double
phi(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

double
pf_lift_power(double lift, double sigma_plan)
{
	if (!(sigma_plan > 0) || isnan(lift))
		return NAN;
	return phi(lift / sigma_plan - Z975);
}

double
pf_lift_plan_se(double n_per_arm, double kpi_cv)
{
	if (!(isfinite(n_per_arm) && n_per_arm >= 2 && isfinite(kpi_cv) &&
	    kpi_cv > 0))
		return NAN;
	return kpi_cv * sqrt(2.0 / n_per_arm);
}

/* ---- the confidence-distribution mixture ------------------------------ */

/* Component i's mean and variance at x0 +- s0. */
static void
cd_component(const pf_lift_model *m, size_t i, const double *x0,
    const double *xse, double *mu, double *var)
{
	struct fit g = m->f;

	g.tau2 = m->cd[i].tau2;
	memcpy(g.beta, m->cd[i].beta, sizeof(g.beta));
	memcpy(g.cov, m->cd[i].cov, sizeof(g.cov));
	pf_lift_i_fit_predict(&g, x0, xse, mu, var);
}

static double
mix_cdf(const double *mu, const double *sd, size_t n, double y)
{
	double s = 0.0;

	for (size_t i = 0; i < n; i++)
		s += sd[i] > 0 ? phi((y - mu[i]) / sd[i]) : (y >= mu[i]);
	return s / (double)n;
}

/*
 * The q-quantile of the mixture inside [lo, hi] (F(lo) < q < F(hi)):
 * Newton steps on F(y) - q, kept inside the shrinking bracket (bisection
 * when a step leaves it), to 1e-12 of the bracket's scale.
 */
static double
mix_quantile(const double *mu, const double *sd, size_t n, double q,
    double lo, double hi)
{
	double y = 0.5 * (lo + hi), scale = fmax(fabs(lo), fabs(hi));

	for (int it = 0; it < 200; it++) {
		double f = -q, dens = 0.0, ny;
		for (size_t i = 0; i < n; i++) {
			double z = (y - mu[i]) / sd[i];
			f += phi(z) / (double)n;
			dens += exp(-0.5 * z * z) / (sd[i] *
			    2.5066282746310002 * (double)n);
		}
		if (f < 0)
			lo = y;
		else
			hi = y;
		ny = dens > 0 ? y - f / dens : NAN;
		if (!(ny > lo && ny < hi))
			ny = 0.5 * (lo + hi);
		if (fabs(ny - y) <= 1e-12 * scale || hi - lo <= 1e-12 * scale)
			return ny;
		y = ny;
	}
	return y;
}

static void
predict_cd(const pf_lift_model *m, const double *x0, const double *x0_se,
    double sigma_plan, pf_lift_prediction *out)
{
	double mu[PF_LIFT_CD_POINTS] = {0}, sd[PF_LIFT_CD_POINTS] = {0}, var;
	double lo = INFINITY, hi = -INFINITY, m1 = 0.0, m2 = 0.0, pw = 0.0;
	size_t n = m->ncd;

	for (size_t i = 0; i < n; i++) {
		cd_component(m, i, x0, x0_se, &mu[i], &var);
		sd[i] = fmax(sqrt(var), 1e-300);
		lo = fmin(lo, mu[i] - 10.0 * sd[i]);
		hi = fmax(hi, mu[i] + 10.0 * sd[i]);
		m1 += mu[i] / (double)n;
		m2 += (var + mu[i] * mu[i]) / (double)n;
		if (sigma_plan > 0)
			pw += phi((mu[i] - Z975 * sigma_plan) / sqrt(var +
			    sigma_plan * sigma_plan)) / (double)n;
	}
	out->sd = sqrt(fmax(m2 - m1 * m1, 0.0));
	out->pi80[0] = mix_quantile(mu, sd, n, 0.10, lo, hi);
	out->pi80[1] = mix_quantile(mu, sd, n, 0.90, lo, hi);
	out->pi95[0] = mix_quantile(mu, sd, n, 0.025, lo, out->pi80[0]);
	out->pi95[1] = mix_quantile(mu, sd, n, 0.975, out->pi80[1], hi);
	out->p_positive = 1.0 - mix_cdf(mu, sd, n, 0.0);
	if (sigma_plan > 0)
		out->p_significant = pw;
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
	if ((out->reasons & PF_LIFT_R_GATING & ~m->ignore) != 0 ||
	    !s->calibrated || !m->f.ok)
		return PF_OK;

	double mu, var;
	pf_lift_i_fit_predict(&m->f, x0, x0_se, &mu, &var);
	out->status = extrap ? PF_LIFT_EXTRAPOLATING : PF_LIFT_CALIBRATED;
	out->mean = mu;
	if (m->interval == PF_LIFT_PI_CD && m->ncd > 0) {
		predict_cd(m, x0, x0_se, sigma_plan, out);
		return PF_OK;
	}
	double t90 = pf_stats_t_quantile(0.90, s->df),
	    t975 = pf_stats_t_quantile(0.975, s->df);
	out->sd = sqrt(var);
	out->pi80[0] = mu - t90 * out->sd;
	out->pi80[1] = mu + t90 * out->sd;
	out->pi95[0] = mu - t975 * out->sd;
	out->pi95[1] = mu + t975 * out->sd;
	out->p_positive = out->sd > 0 ? pf_stats_t_cdf(mu / out->sd, s->df) :
	    (mu > 0 ? 1.0 : 0.0);
	if (sigma_plan > 0)
		out->p_significant = 1.0 - pf_stats_t_cdf((Z975 * sigma_plan -
		    mu) / sqrt(var + sigma_plan * sigma_plan), s->df);
	return PF_OK;
}

/*
 * bench/decisions_bench.c — how often is the verdict right? A simulation
 * study of the lift model (metrics/lift.h) and of the verdict rule
 * (harness/decide/verdict.h) against known truth (METHODS.md §12).
 *
 * One world: J past experiments and one new change. Per change
 *	true offline effect  d: 0 with probability 0.2 (a no-op), else
 *			     N(0.004, 0.008^2) (about a third harmful);
 *	queries              n: log-uniform in [NLO, NHI] (default 50-2,000);
 *	offline delta        x = mean of n per-query deltas N(d, 0.05^2), its
 *			     SE the sample SD / sqrt(n) — drawn from their
 *			     exact sampling distributions (x ~ N(d, 0.05^2/n),
 *			     (n-1) s^2 / 0.05^2 ~ chi2_{n-1}), not query by
 *			     query;
 *	true online lift     L = b0 + b1 d + u, b0 = 0, b1 = 0.5, u = u_s +
 *			     u_o ~ N(0, tau^2), u_s carrying a share PHI of
 *			     tau^2;
 *	observed A/B lift    y = L + N(0, s_ab^2), s_ab = 0.002 U(0.75, 1.25);
 *			     tau = RATIO x 0.002;
 *	interleaving         il = 10 (b1 d + u_s) / b1 + N(0, (10 * 0.05 /
 *			     sqrt(n))^2): linked to the offline effect, and
 *			     to the part u_s of the online deviation that an
 *			     online interleaving experiment would see (PHI =
 *			     0: a purely offline, simulated interleaving).
 * The history is fitted (offline delta with its SE, the lift with its
 * SE), the new change predicted from its offline delta and SE, and both
 * intervals (PF_LIFT_PI_PLUGIN, PF_LIFT_PI_CD) checked against its true L.
 *
 * Verdicts on the new change (its true L decides who was right):
 *	naive >0	REQUEST when x > 0;
 *	naive sig	REQUEST when x > 0 and the paired t test's two-sided
 *			p < 0.05 (the verdict without <lift>: min-effect 0;
 *			preflight's bootstrap CI and randomization p agree
 *			with the t test at n >= 50 for these deltas);
 *	preflight	naive sig, and the min-lift gate (predicted mean lift
 *			>= MIN_LIFT) passes when the model is calibrated; a
 *			failing gate is DO NOT REQUEST, an uncalibrated model
 *			skips the gate (the rule of verdict.h with <lift
 *			min-lift=MIN_LIFT>);
 *	preflight P>0	the same with the gate "P(lift > 0) >= 0.8".
 * A false launch is REQUEST with L <= 0; a missed win is no REQUEST with
 * L >= MIN_EFFECT (0.001, half an A/B's SE).
 *
 * Every world draws from its own Philox stream (seed, setting, world), so
 * the tables are the same for any OMP_NUM_THREADS.
 *
 *   pf_bench_decisions [WORLDS [SEED [TABLES]]]
 *	WORLDS per setting (default 10000), SEED (default 20261206), TABLES a
 *	subset of the letters c (coverage by J and tau/sigma), q (query
 *	counts), t (thresholds), v (verdicts), i (interleaving); default all.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics/lift.h"
#include "metrics/rng.h"
#include "metrics/stats.h"

#define B1		0.5
#define SD_Q		0.05	/* per-query delta SD */
#define S_AB		0.002	/* A/B standard error */
#define MIN_LIFT	0.0	/* preflight's min-lift gate */
#define MIN_EFFECT	0.001	/* a win worth having */
#define IL_K		10.0	/* interleaving scale */
#define MAXJ		64
#define TUNABLE		(PF_LIFT_R_FEW_ROWS | PF_LIFT_R_SLOPE_ZERO | \
			 PF_LIFT_R_LOO_SIGN | PF_LIFT_R_LOO_COVERAGE | \
			 PF_LIFT_R_LOO_Q2)

struct setting {
	size_t	J;
	double	ratio;		/* tau / s_ab */
	double	nlo, nhi;	/* queries per change */
	double	phi;		/* share of tau^2 interleaving sees */
	int	il;		/* also fit offline + interleaving */
	int	exact;		/* offline deltas without noise (x = d) */
};

/* One world's outcome. */
struct world {
	int		fitted;		/* a prediction (ignoring thresholds) */
	unsigned	reasons;	/* the fit's and x0's */
	size_t		J;
	double		L, x, xse, mean;
	double		lo80p, hi80p, lo95p, hi95p;	/* plug-in */
	double		lo80c, hi80c, lo95c, hi95c;	/* CD */
	double		ppos, b1lo90, loo_cov80, loo_sign, q2;
	int		sig;		/* offline: significant win */
	int		regr;		/* offline: significant regression */
	/* offline + interleaving */
	int		fitted2;
	unsigned	reasons2;
	double		mean2, lo95c2, hi95c2, lo80c2, hi80c2;
};

static double
gauss(pf_rng *g)
{
	double u = 1.0 - pf_rng_uniform(g), v = pf_rng_uniform(g);

	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Gamma(shape a >= 1, scale 1): Marsaglia & Tsang (2000). */
static double
gamma_draw(pf_rng *g, double a)
{
	double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);

	for (;;) {
		double z = gauss(g), v = 1.0 + c * z, u;
		if (v <= 0)
			continue;
		v = v * v * v;
		u = 1.0 - pf_rng_uniform(g);
		if (log(u) < 0.5 * z * z + d - d * v + d * log(v))
			return d * v;
	}
}

struct change {
	double	d, n, x, xse, L, il, ilse;
};

static void
draw_change(pf_rng *g, const struct setting *st, struct change *c)
{
	double tau = st->ratio * S_AB, us, uo, s2;

	c->d = pf_rng_uniform(g) < 0.2 ? 0.0 : 0.004 + 0.008 * gauss(g);
	c->n = floor(exp(log(st->nlo) + (log(st->nhi) - log(st->nlo)) *
	    pf_rng_uniform(g)));
	c->x = c->d + SD_Q / sqrt(c->n) * gauss(g);
	s2 = SD_Q * SD_Q * 2.0 * gamma_draw(g, (c->n - 1) / 2.0) / (c->n - 1);
	c->xse = sqrt(s2 / c->n);
	if (st->exact) {
		c->x = c->d;
		c->xse = 0.0;
	}
	us = sqrt(st->phi) * tau * gauss(g);
	uo = sqrt(1.0 - st->phi) * tau * gauss(g);
	c->L = B1 * c->d + us + uo;
	c->ilse = IL_K * SD_Q / sqrt(c->n);
	c->il = IL_K * (c->d + us / B1) + c->ilse * gauss(g);
}

static void
keep(pf_lift_prediction *p, double *l80, double *h80, double *l95,
    double *h95)
{
	*l80 = p->pi80[0];
	*h80 = p->pi80[1];
	*l95 = p->pi95[0];
	*h95 = p->pi95[1];
}

static void
one_world(uint64_t seed, size_t si, size_t wi, const struct setting *st,
    struct world *w)
{
	struct change c[MAXJ + 1];
	double x[MAXJ * 2], xse[MAXJ * 2], y[MAXJ], yse[MAXJ];
	pf_rng g;
	pf_lift_opts o;
	pf_lift_model *m = NULL;
	pf_lift_prediction p;
	size_t J = st->J;

	memset(w, 0, sizeof(*w));
	pf_rng_init(&g, pf_rng_key(seed, si, wi, 0x776f726c64ull), 0);
	for (size_t j = 0; j <= J; j++)
		draw_change(&g, st, &c[j]);
	for (size_t j = 0; j < J; j++) {
		double sab = S_AB * (0.75 + 0.5 * pf_rng_uniform(&g));
		x[j] = c[j].x;
		xse[j] = c[j].xse;
		y[j] = c[j].L + sab * gauss(&g);
		yse[j] = sab;
	}
	const struct change *n0 = &c[J];
	double tstat = n0->x / n0->xse,
	    pv = 2.0 * pf_stats_t_cdf(-fabs(tstat), n0->n - 1);
	w->J = J;
	w->L = n0->L;
	w->x = n0->x;
	w->xse = n0->xse;
	w->sig = pv < 0.05 && n0->x > 0;
	w->regr = pv < 0.05 && n0->x < 0;

	pf_lift_opts_init(&o);
	o.ignore = TUNABLE;
	pf_lift_history h = {J, 1, x, st->exact ? NULL : xse, y, yse, NULL};
	if (pf_lift_fit(&m, &h, &o, NULL) != PF_OK)
		return;
	const pf_lift_summary *s = pf_lift_model_summary(m);
	w->reasons = s->reasons;
	if (pf_lift_predict(m, &n0->x, &n0->xse, 0.0, &p, NULL) == PF_OK &&
	    p.status != PF_LIFT_NOT_CALIBRATED) {
		w->fitted = 1;
		w->reasons = p.reasons;
		w->mean = p.mean;
		w->ppos = p.p_positive;
		keep(&p, &w->lo80c, &w->hi80c, &w->lo95c, &w->hi95c);
		pf_lift_model_set_interval(m, PF_LIFT_PI_PLUGIN, NULL);
		pf_lift_predict(m, &n0->x, &n0->xse, 0.0, &p, NULL);
		keep(&p, &w->lo80p, &w->hi80p, &w->lo95p, &w->hi95p);
		double t95 = pf_stats_t_quantile(0.95, s->df);
		w->b1lo90 = s->beta[1].est - t95 * s->beta[1].se;
		w->loo_cov80 = s->loo.coverage80;
		w->loo_sign = s->loo.sign_agreement;
		w->q2 = s->loo.q2;
	} else
		w->reasons = p.reasons;
	pf_lift_model_free(m);

	if (!st->il)
		return;
	for (size_t j = J; j-- > 0;) {	/* [x, il] rows, in place */
		x[2 * j] = c[j].x;
		x[2 * j + 1] = c[j].il;
		xse[2 * j] = c[j].xse;
		xse[2 * j + 1] = c[j].ilse;
	}
	double x0[2] = {n0->x, n0->il}, s0[2] = {n0->xse, n0->ilse};
	pf_lift_history h2 = {J, 2, x, st->exact ? NULL : xse, y, yse, NULL};
	if (pf_lift_fit(&m, &h2, &o, NULL) != PF_OK)
		return;
	if (pf_lift_predict(m, x0, s0, 0.0, &p, NULL) == PF_OK &&
	    p.status != PF_LIFT_NOT_CALIBRATED) {
		w->fitted2 = 1;
		w->mean2 = p.mean;
		keep(&p, &w->lo80c2, &w->hi80c2, &w->lo95c2, &w->hi95c2);
	}
	w->reasons2 = p.reasons;
	pf_lift_model_free(m);
}

static int
in(double v, double lo, double hi)
{
	return v >= lo && v <= hi;
}

/* The shipped rule: calibrated when no gating reason is set (the slope
   note, PF_LIFT_R_SLOPE_ZERO, does not gate). */
static int
cal_now(const struct world *w)
{
	return w->fitted && (w->reasons & PF_LIFT_R_GATING) == 0;
}

static struct world *
run(uint64_t seed, size_t si, const struct setting *st, size_t nw)
{
	struct world *w = calloc(nw, sizeof(*w));

	if (w == NULL) {
		perror("calloc");
		exit(1);
	}
#pragma omp parallel for schedule(dynamic, 16)
	for (size_t i = 0; i < nw; i++)
		one_world(seed, si, i, st, &w[i]);
	return w;
}

/* ---- tables ----------------------------------------------------------- */

struct cov {
	size_t	n, ncal, p80, p95, c80, c95;
	double	wp95, wc95;
};

static struct cov
coverage(const struct world *w, size_t nw, int (*cal)(const struct world *))
{
	struct cov r = {0};

	r.n = nw;
	for (size_t i = 0; i < nw; i++) {
		if (!cal(&w[i]))
			continue;
		r.ncal++;
		r.p80 += (size_t)in(w[i].L, w[i].lo80p, w[i].hi80p);
		r.p95 += (size_t)in(w[i].L, w[i].lo95p, w[i].hi95p);
		r.c80 += (size_t)in(w[i].L, w[i].lo80c, w[i].hi80c);
		r.c95 += (size_t)in(w[i].L, w[i].lo95c, w[i].hi95c);
		r.wp95 += w[i].hi95p - w[i].lo95p;
		r.wc95 += w[i].hi95c - w[i].lo95c;
	}
	return r;
}

static double
pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : NAN;
}

static void
cov_row(const char *label, const struct cov *r)
{
	double k = r->ncal ? (double)r->ncal : NAN;

	printf("| %s | %.1f%% | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |\n",
	    label, pct(r->ncal, r->n), pct(r->p80, r->ncal),
	    pct(r->p95, r->ncal), pct(r->c80, r->ncal), pct(r->c95, r->ncal),
	    100.0 * r->wp95 / k, 100.0 * r->wc95 / k);
}

static void
cov_head(const char *first)
{
	printf("| %s | calibrated | plug-in 80%% | plug-in 95%% | CD 80%% | "
	    "CD 95%% | width95 plug-in (pp) | width95 CD (pp) |\n"
	    "|---|---|---|---|---|---|---|---|\n", first);
}

static int
all_fitted(const struct world *w)
{
	return w->fitted;
}

/* Verdict counts over the worlds of a setting. */
struct vc {
	size_t	neg, win, fl[4], mw[4], req[4];
};

static void
verdicts(const struct world *w, size_t nw, struct vc *v)
{
	for (size_t i = 0; i < nw; i++) {
		const struct world *a = &w[i];
		int cal = cal_now(a), req[4];
		req[0] = a->x > 0;
		req[1] = a->sig;
		req[2] = a->sig && (!cal || a->mean >= MIN_LIFT);
		req[3] = a->sig && (!cal || a->ppos >= 0.8);
		v->neg += a->L <= 0;
		v->win += a->L >= MIN_EFFECT;
		for (int r = 0; r < 4; r++) {
			v->req[r] += (size_t)req[r];
			v->fl[r] += (size_t)(req[r] && a->L <= 0);
			v->mw[r] += (size_t)(!req[r] && a->L >= MIN_EFFECT);
		}
	}
}

static const char *const rule_name[4] = {"naive: offline delta > 0",
    "naive: offline delta significant", "preflight (min-lift 0)",
    "preflight (P(lift > 0) >= 0.8)"};

static void
print_verdicts(const struct vc *v, const char *label)
{
	printf("\n%s: %zu changes with true lift <= 0, %zu with true lift >= "
	    "%.3g\n\n| rule | false launches (of lift <= 0) | missed wins (of "
	    "lift >= min) | requests | false share of requests |\n"
	    "|---|---|---|---|---|\n", label, v->neg, v->win, MIN_EFFECT);
	for (int r = 0; r < 4; r++)
		printf("| %s | %.1f%% | %.1f%% | %zu | %.1f%% |\n",
		    rule_name[r], pct(v->fl[r], v->neg), pct(v->mw[r], v->win),
		    v->req[r], pct(v->fl[r], v->req[r]));
}

/* A candidate "not calibrated" rule, over the tunable reasons. */
struct rule {
	const char	*name;
	size_t		 min_j;
	int		 slope;		/* 0 none, 90, 95: CI excludes 0 */
	double		 sign_min, cov_lo, cov_hi;
	int		 q2;		/* 1: Q^2_LOO > 0; 2: defined */
};

static const struct rule rules[] = {
	{"METHODS §5.4 as written (before)", 8, 95, 0.70, 0.60, 0.97, 1},
	{"no thresholds (any fit)", 0, 0, 0, 0, 1, 0},
	{"J >= 8 only", 8, 0, 0, 0, 1, 0},
	{"J >= 10 only", 10, 0, 0, 0, 1, 0},
	{"J >= 8, slope 90%", 8, 90, 0, 0, 1, 0},
	{"J >= 8, slope 95%", 8, 95, 0, 0, 1, 0},
	{"J >= 8, slope 95%, LOO sign >= 0.7", 8, 95, 0.70, 0, 1, 0},
	{"J >= 8, slope 95%, Q2 > 0", 8, 95, 0, 0, 1, 1},
	{"J >= 8, slope 95%, LOO cov80 in [0.6, 0.97]", 8, 95, 0, 0.60, 0.97,
	    0},
	{"J >= 8, slope 95%, LOO cov80 >= 0.6, Q2 defined (shipped before)",
	    8, 95, 0, 0.60, 1.0, 2},
	{"J >= 8, LOO cov80 >= 0.6, Q2 defined (shipped now)", 8, 0, 0, 0.60,
	    1.0, 2},
};
#define NRULES	(sizeof(rules) / sizeof(rules[0]))

static int
rule_ok(const struct rule *r, const struct world *w)
{
	if (!w->fitted || (w->reasons & ~TUNABLE) != 0 || w->J < r->min_j)
		return 0;
	if (r->slope == 95 && (w->reasons & PF_LIFT_R_SLOPE_ZERO))
		return 0;
	if (r->slope == 90 && !(w->b1lo90 > 0))
		return 0;
	if (w->loo_sign < r->sign_min || w->loo_cov80 < r->cov_lo ||
	    w->loo_cov80 > r->cov_hi)
		return 0;
	return r->q2 == 0 || (r->q2 == 1 ? w->q2 > 0 : !isnan(w->q2));
}

static const struct rule *cur_rule;

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of v[0..n-1] (sorted in place); NaN when n is 0. */
static double
median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), cmpd);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void
il_row(const struct world *w, size_t nw, size_t J, double ratio,
    const char *note)
{
	size_t n = 0, c1 = 0, c2 = 0;
	double *a1 = calloc(nw + 1, sizeof(double) * 4), *a2 = a1 + nw + 1;
	double *w1 = a2 + nw + 1, *w2 = w1 + nw + 1;

	if (a1 == NULL) {
		perror("calloc");
		exit(1);
	}
	for (size_t i = 0; i < nw; i++) {
		const struct world *a = &w[i];
		if (!(a->fitted && (a->reasons & ~TUNABLE) == 0 &&
		    a->fitted2 && (a->reasons2 & ~TUNABLE) == 0))
			continue;
		a1[n] = fabs(a->mean - a->L);
		a2[n] = fabs(a->mean2 - a->L);
		w1[n] = a->hi95c - a->lo95c;
		w2[n] = a->hi95c2 - a->lo95c2;
		c1 += (size_t)in(a->L, a->lo95c, a->hi95c);
		c2 += (size_t)in(a->L, a->lo95c2, a->hi95c2);
		n++;
	}
	printf("| %zu, %.2g%s | %.1f%% | %.3f | %.3f | %.1f | %.1f | %.2f | "
	    "%.2f |\n", J, ratio, note, pct(n, nw), 100 * median(a1, n),
	    100 * median(a2, n), pct(c1, n), pct(c2, n), 100 * median(w1, n),
	    100 * median(w2, n));
	free(a1);
}

static int
cal_rule(const struct world *w)
{
	return rule_ok(cur_rule, w);
}

static const size_t js[] = {5, 10, 20, 40, 60};
static const double ratios[] = {0.25, 1.0, 4.0};
#define NJ	(sizeof(js) / sizeof(js[0]))
#define NR	(sizeof(ratios) / sizeof(ratios[0]))

int
main(int argc, char **argv)
{
	size_t nw = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 20261206;
	const char *tab = argc > 3 ? argv[3] : "cqtvi";
	struct world *grid[NJ * NR] = {0};
	char label[64];
	time_t t0 = time(NULL);

	if (nw == 0) {
		fprintf(stderr, "usage: pf_bench_decisions [WORLDS [SEED "
		    "[TABLES]]]\n");
		return 2;
	}
	printf("decisions: %zu worlds per setting, seed %llu\n", nw,
	    (unsigned long long)seed);
	for (size_t a = 0; a < NJ; a++)
		for (size_t b = 0; b < NR; b++) {
			if (!strpbrk(tab, "cvt") && !(strchr(tab, 'i') &&
			    js[a] >= 20 && ratios[b] == 1.0))
				continue;
			struct setting st = {js[a], ratios[b], 50, 2000, 0.5,
			    js[a] >= 20 && ratios[b] == 1.0, 0};
			grid[a * NR + b] = run(seed, a * NR + b, &st, nw);
		}
	fprintf(stderr, "grid: %lld s\n", (long long)(time(NULL) - t0));

	if (strchr(tab, 'c')) {
		printf("\n## Coverage by J and tau/sigma_AB (the shipped "
		    "not-calibrated rule; where calibrated)\n\n");
		cov_head("J, tau/sigma");
		for (size_t i = 0; i < NJ * NR; i++) {
			struct cov r = coverage(grid[i], nw, cal_now);
			snprintf(label, sizeof(label), "%zu, %.2g", js[i / NR],
			    ratios[i % NR]);
			cov_row(label, &r);
		}
		printf("\n## Coverage by J and tau/sigma_AB, every fit (no "
		    "thresholds)\n\n");
		cov_head("J, tau/sigma");
		for (size_t i = 0; i < NJ * NR; i++) {
			struct cov r = coverage(grid[i], nw, all_fitted);
			snprintf(label, sizeof(label), "%zu, %.2g", js[i / NR],
			    ratios[i % NR]);
			cov_row(label, &r);
		}
	}
	if (strchr(tab, 'q')) {
		static const double nq[][2] = {{50, 50}, {200, 200},
		    {2000, 2000}, {0, 0}};
		printf("\n## Coverage by queries per change (J = 20, tau/sigma "
		    "= 1; shipped rule, then every fit)\n\n");
		cov_head("queries");
		struct world *qw[4];
		for (size_t q = 0; q < 4; q++) {
			struct setting st = {20, 1.0, nq[q][0], nq[q][1], 0.5, 0,
			    nq[q][0] == 0};
			if (st.exact)
				st.nlo = st.nhi = 1000;
			qw[q] = run(seed, 100 + q, &st, nw);
		}
		for (size_t q = 0; q < 8; q++) {
			struct cov r = coverage(qw[q % 4], nw, q < 4 ? cal_now :
			    all_fitted);
			if (nq[q % 4][0] == 0)
				snprintf(label, sizeof(label), "exact%s", q < 4 ?
				    "" : ", every fit");
			else
				snprintf(label, sizeof(label), "%.0f%s",
				    nq[q % 4][0], q < 4 ? "" : ", every fit");
			cov_row(label, &r);
		}
		for (size_t q = 0; q < 4; q++)
			free(qw[q]);
	}
	if (strchr(tab, 't')) {
		printf("\n## Not-calibrated rules (every J, tau/sigma cell; "
		    "CD interval; cells with >= 100 calibrated worlds)\n\n"
		    "| rule | calibrated | CD 95%% pooled | CD 95%% lowest cell | "
		    "CD 95%% highest cell | CD 80%% lowest | CD 80%% highest | "
		    "plug-in 95%% lowest |\n|---|---|---|---|---|---|---|---|\n");
		for (size_t r = 0; r < NRULES; r++) {
			size_t ncal = 0, n = 0, c95 = 0;
			double lo = 101, hi = -1, lo8 = 101, hi8 = -1, lop = 101;
			cur_rule = &rules[r];
			for (size_t i = 0; i < NJ * NR; i++) {
				struct cov c = coverage(grid[i], nw, cal_rule);
				n += c.n;
				ncal += c.ncal;
				c95 += c.c95;
				if (c.ncal < 100)
					continue;
				lo = fmin(lo, pct(c.c95, c.ncal));
				hi = fmax(hi, pct(c.c95, c.ncal));
				lo8 = fmin(lo8, pct(c.c80, c.ncal));
				hi8 = fmax(hi8, pct(c.c80, c.ncal));
				lop = fmin(lop, pct(c.p95, c.ncal));
			}
			printf("| %s | %.1f%% | %.1f | %.1f | %.1f | %.1f | %.1f | "
			    "%.1f |\n", rules[r].name, pct(ncal, n), pct(c95,
			    ncal), lo, hi, lo8, hi8, lop);
		}
	}
	if (strchr(tab, 'i')) {
		printf("\n## The interleaving delta as a second predictor "
		    "(J >= 20, tau/sigma = 1; every world where both fit, "
		    "whatever the slope and LOO checks say: two correlated "
		    "predictors rarely both have a significant slope)\n\n"
		    "| J, tau/sigma | both fit | median abs error offline (pp) "
		    "| median abs error offline + interleaving (pp) | CD 95%% "
		    "offline | CD 95%% both | median width95 offline (pp) | "
		    "median width95 both (pp) |\n"
		    "|---|---|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < NJ * NR; i++) {
			if (js[i / NR] < 20 || ratios[i % NR] != 1.0)
				continue;
			il_row(grid[i], nw, js[i / NR], ratios[i % NR], "");
		}
		struct setting st = {40, 1.0, 50, 2000, 0.0, 1, 0};
		struct world *w = run(seed, 200, &st, nw);
		il_row(w, nw, 40, 1.0, " (interleaving sees no online "
		    "deviation: phi = 0)");
		free(w);
	}
	if (strchr(tab, 'v')) {
		struct vc all = {0};
		printf("\n## Verdicts against the true online lift\n");
		for (size_t i = 0; i < NJ * NR; i++) {
			struct vc v = {0};
			verdicts(grid[i], nw, &v);
			verdicts(grid[i], nw, &all);
			snprintf(label, sizeof(label), "J %zu, tau/sigma %.2g",
			    js[i / NR], ratios[i % NR]);
			print_verdicts(&v, label);
		}
		print_verdicts(&all, "every setting pooled");
	}
	for (size_t i = 0; i < NJ * NR; i++)
		free(grid[i]);
	return 0;
}

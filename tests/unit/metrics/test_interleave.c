/*
 * test_interleave.c — interleaving methods and click models against exact
 * values: METHODS.md §8 items 1-3 (balanced +1/3, team draft 1/2 and
 * 434663/800000), an independent brute-force oracle (every draft x every
 * click pattern, built from the exported building blocks) for the exact
 * paths, Monte Carlo within its standard error of the exact values,
 * E[outcome] = 0 under random clicks for the unbiased methods, thread-count
 * independence, edge cases and errors.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/clickmodel.h"
#include "metrics/interleave.h"

#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), \
			    "%.17g != %.17g (tol %g)", (double)(a), \
			    (double)(b), (double)(tol))

/* ---- helpers ---------------------------------------------------------- */

typedef struct tq {		/* a test query with 2..4 rankers */
	uint32_t	 d[4][64];
	int32_t		 g[4][64];
	size_t		 n[4];
	const uint32_t	*dp[4];
	const int32_t	*gp[4];
} tq;

static pf_il_query
mkq(tq *t, size_t nr, uint64_t key)
{
	pf_il_query q;

	for (size_t j = 0; j < nr; j++) {
		t->dp[j] = t->d[j];
		t->gp[j] = t->g[j];
	}
	q.key = key;
	q.doc = t->dp;
	q.grade = t->gp;
	q.len = t->n;
	return q;
}

static uint64_t
xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Random lists over a pool of docs with grades 0..gmax (or -1, unjudged,
 * for pool ids >= unj_from); ranker j gets len[j] distinct docs.
 */
static void
random_query(tq *t, size_t nr, const size_t *len, size_t pool, int gmax,
    uint64_t *s)
{
	int32_t grade[200];
	uint32_t perm[200];

	for (size_t i = 0; i < pool; i++)
		grade[i] = (int32_t)(xs(s) % (uint64_t)(gmax + 2)) - 1;
	for (size_t j = 0; j < nr; j++) {
		for (size_t i = 0; i < pool; i++)
			perm[i] = (uint32_t)i;
		for (size_t i = 0; i < len[j]; i++) {
			size_t k = i + (size_t)(xs(s) % (pool - i));
			uint32_t tmp = perm[i];
			perm[i] = perm[k];
			perm[k] = tmp;
			t->d[j][i] = 1000 + perm[i] * 7;	/* sparse ids */
			t->g[j][i] = grade[perm[i]];
		}
		t->n[j] = len[j];
	}
}

static pf_click_model
preset(pf_cm_preset_id p, int ng)
{
	pf_click_model cm;
	pf_err err = {0};

	cr_assert_eq(pf_cm_preset(&cm, p, ng, &err), PF_OK, "%s", err.msg);
	return cm;
}

static pf_il_outcome
run1(const pf_il_opts *o, const pf_click_model *cm, const pf_il_query *q)
{
	pf_il_outcome r;
	pf_err err = {0};

	cr_assert_eq(pf_il_run(o, cm, q, 1, 2, &r, &err), PF_OK, "%s",
	    err.msg);
	return r;
}

/* ---- brute-force oracle ------------------------------------------------ */

static int32_t
grade_of(const tq *t, uint32_t d)
{
	for (size_t j = 0; j < 2; j++)
		for (size_t i = 0; i < t->n[j]; i++)
			if (t->d[j][i] == d)
				return t->g[j][i];
	return -1;
}

/*
 * P(click pattern `mask` on the first m positions of il) by walking the
 * model: examined/stopped masses, exactly as METHODS.md §2.1 defines the
 * models. Written independently of interleave_methods.c.
 */
static double
pattern_prob(const pf_click_model *cm, const tq *t, const uint32_t *il,
    size_t m, unsigned mask)
{
	double e = 1.0, x = 0.0;

	if (cm->kind == PF_CM_UNIFORM1)
		return m > 0 && __builtin_popcount(mask) == 1 ? 1.0 /
		    (double)m : (m == 0 && mask == 0);
	for (size_t r = 0; r < m; r++) {
		int g = pf_cm_map_grade(cm, grade_of(t, il[r]));
		double a = cm->click[g], s = cm->stop[g], gm = cm->gamma;
		if (cm->kind == PF_CM_CASCADE) {
			s = 1.0;
			gm = 1.0;
		} else if (cm->kind == PF_CM_PBM) {
			a *= pow((double)(r + 1), -cm->eta);
			s = 0.0;
			gm = 1.0;
		}
		if (mask >> r & 1) {
			x = e * a * (s + (1 - s) * (1 - gm));
			e = e * a * (1 - s) * gm;
		} else {
			x += e * (1 - a) * (1 - gm);
			e = e * (1 - a) * gm;
		}
	}
	return e + x;
}

/* E[o] and P(no click) of team draft or balanced by enumeration. */
static void
oracle(const pf_click_model *cm, const tq *t, size_t k, int balanced,
    double *eo, double *pz)
{
	size_t m = k < cm->depth ? k : cm->depth;
	size_t rounds = (m + 1) / 2, nl = balanced ? 2 : (size_t)1 << rounds;

	*eo = *pz = 0.0;
	for (uint64_t leaf = 0; leaf < nl; leaf++) {
		uint32_t il[64];
		unsigned char team[64];
		size_t n = balanced ? pf_il_balanced(t->d[0], t->n[0],
		    t->d[1], t->n[1], m, (int)leaf, il) : pf_il_team_draft(
		    t->d[0], t->n[0], t->d[1], t->n[1], m, &leaf, il, team);
		double pl = 1.0 / (double)nl;

		for (unsigned mask = 0; mask < (1u << n); mask++) {
			double p = pattern_prob(cm, t, il, n, mask) * pl;
			size_t clicks[64], nc = 0, ha = 0, hb = 0;
			int o;

			for (size_t r = 0; r < n; r++)
				if (mask >> r & 1)
					clicks[nc++] = r;
			if (nc == 0) {
				*pz += p;
				continue;
			}
			if (balanced) {
				o = pf_il_balanced_credit(il, n, clicks, nc,
				    t->d[0], t->n[0], t->d[1], t->n[1], &ha,
				    &hb);
			} else {
				for (size_t c = 0; c < nc; c++)
					hb += team[clicks[c]];
				ha = nc - hb;
				o = (hb > ha) - (hb < ha);
			}
			*eo += p * o;
		}
	}
}

/* ---- METHODS.md §8 items 1-3 ------------------------------------------ */

Test(interleave, balanced_one_uniform_click_gives_plus_one_third)
{
	/* A = (a,b,c), B = (b,c,a): interleavings (a,b,c) and (b,a,c) */
	const uint32_t A[] = {1, 2, 3}, B[] = {2, 3, 1};
	uint32_t il[3];
	double sum = 0;

	cr_assert_eq(pf_il_balanced(A, 3, B, 3, 3, 1, il), 3);
	cr_assert(il[0] == 1 && il[1] == 2 && il[2] == 3);
	for (int af = 0; af <= 1; af++) {
		size_t n = pf_il_balanced(A, 3, B, 3, 3, af, il), ha, hb;
		for (size_t c = 0; c < n; c++)
			sum += pf_il_balanced_credit(il, n, &c, 1, A, 3, B, 3,
			    &ha, &hb);
	}
	NEAR(sum / 6.0, 1.0 / 3.0, 1e-15);

	/* the same through pf_il_run: exact, and Monte Carlo within 4 se */
	tq t = {{{1, 2, 3}, {2, 3, 1}}, {{0, 0, 0}, {0, 0, 0}}, {3, 3},
	    {0}, {0}};
	pf_il_query q = mkq(&t, 2, 7);
	pf_click_model cm;
	pf_il_opts o;
	pf_err err = {0};
	const double one[] = {1.0};

	cr_assert_eq(pf_cm_custom(&cm, PF_CM_UNIFORM1, 1, one, NULL, &err),
	    PF_OK);
	pf_il_opts_init(&o);
	o.method = PF_IL_BALANCED;
	o.k = 3;
	pf_il_outcome r = run1(&o, &cm, &q);
	cr_assert(r.exact);
	NEAR(r.mean_o, 1.0 / 3.0, 1e-15);
	NEAR(r.w_b / r.n, 2.0 / 3.0, 1e-15);
	NEAR(r.delta, 1.0 / 3.0, 1e-15);
	o.mode = PF_IL_MC;
	o.n_impr = 20000;
	r = run1(&o, &cm, &q);
	cr_assert(!r.exact);
	cr_assert_eq(r.n, 20000);
	NEAR(r.mean_o, 1.0 / 3.0, 4 * r.se);
	cr_assert(pf_il_method_biased(PF_IL_BALANCED));
	cr_assert(!pf_il_method_biased(PF_IL_TEAM_DRAFT));
}

static tq
fixture_13(void)
{
	/* §1.3: A = (d1,d2,d3,d4), B = (d3,d1,d2,d4); d1=1 d2=0 d3=2 d4=0 */
	tq t = {{{1, 2, 3, 4}, {3, 1, 2, 4}}, {{1, 0, 2, 0}, {2, 1, 0, 0}},
	    {4, 4}, {0}, {0}};
	return t;
}

Test(interleave, team_draft_perfect_is_one_half)
{
	tq t = fixture_13();
	pf_il_query q = mkq(&t, 2, 1);
	pf_click_model cm = preset(PF_CM_PERFECT, 3);
	pf_il_opts o;

	pf_il_opts_init(&o);
	o.k = 4;
	pf_il_outcome r = run1(&o, &cm, &q);
	cr_assert(r.exact);
	NEAR(r.mean_o, 0.5, 1e-15);
	NEAR(r.none, 0.0, 1e-12);	/* d3 is always shown and clicked */
}

Test(interleave, team_draft_navigational_is_434663_over_800000)
{
	tq t = fixture_13();
	pf_il_query q = mkq(&t, 2, 1);
	pf_click_model cm = preset(PF_CM_NAVIGATIONAL, 3);
	pf_il_opts o;
	double eo, pz;

	pf_il_opts_init(&o);
	o.k = 4;
	pf_il_outcome r = run1(&o, &cm, &q);
	NEAR(r.mean_o, 434663.0 / 800000.0, 1e-14);
	NEAR(r.mean_o, 0.54332875, 1e-14);
	/* no-click share 361/16000; Δ = E[o] / P(click) */
	NEAR(r.none / r.n, 361.0 / 16000.0, 1e-14);
	NEAR(r.delta, 434663.0 / 781950.0, 1e-14);
	oracle(&cm, &t, 4, 0, &eo, &pz);
	NEAR(eo, 0.54332875, 1e-14);
}

/* ---- exact paths against the brute-force oracle ----------------------- */

Test(interleave, exact_paths_match_enumeration_for_every_click_model)
{
	uint64_t s = 88172645463325252ull;
	pf_click_model models[6];
	pf_err err = {0};

	models[0] = preset(PF_CM_NAVIGATIONAL, 3);
	models[1] = preset(PF_CM_INFORMATIONAL, 5);
	models[2] = preset(PF_CM_INFORMATIONAL, 3);
	models[2].gamma = 0.7;			/* DBN with gamma < 1 */
	models[3] = preset(PF_CM_NAVIGATIONAL, 5);
	models[3].kind = PF_CM_CASCADE;
	models[4] = preset(PF_CM_INFORMATIONAL, 5);
	models[4].kind = PF_CM_PBM;
	models[4].eta = 1.5;
	const double one[] = {1.0};
	cr_assert_eq(pf_cm_custom(&models[5], PF_CM_UNIFORM1, 1, one, NULL,
	    &err), PF_OK);
	for (int mi = 0; mi < 6; mi++) {
		pf_click_model *cm = &models[mi];
		for (int it = 0; it < 40; it++) {
			size_t len[2] = {1 + xs(&s) % 12, 1 + xs(&s) % 12};
			tq t;
			random_query(&t, 2, len, 14, cm->ngrades - 1, &s);
			pf_il_query q = mkq(&t, 2, (uint64_t)it);
			pf_il_opts o;
			double eo, pz;

			pf_il_opts_init(&o);
			o.k = 1 + xs(&s) % 12;
			cm->depth = 1 + xs(&s) % 12;
			for (int bal = 0; bal <= 1; bal++) {
				o.method = bal ? PF_IL_BALANCED :
				    PF_IL_TEAM_DRAFT;
				pf_il_outcome r = run1(&o, cm, &q);
				cr_assert(r.exact);
				oracle(cm, &t, o.k, bal, &eo, &pz);
				NEAR(r.mean_o, eo, 1e-12);
				NEAR(r.none / r.n, pz, 1e-12);
				NEAR((r.w_b + r.w_a + r.ties + r.none) / r.n,
				    1.0, 1e-12);
			}
		}
	}
}

Test(interleave, monte_carlo_agrees_with_exact_within_standard_error)
{
	uint64_t s = 0x1234567ull;
	pf_click_model cm = preset(PF_CM_INFORMATIONAL, 5);
	int outside = 0, total = 0;

	cm.gamma = 0.9;
	for (int it = 0; it < 30; it++) {
		size_t len[2] = {12, 12};
		tq t;
		random_query(&t, 2, len, 20, 4, &s);
		pf_il_query q = mkq(&t, 2, (uint64_t)it);
		for (int bal = 0; bal <= 1; bal++) {
			pf_il_opts o;
			pf_il_opts_init(&o);
			o.method = bal ? PF_IL_BALANCED : PF_IL_TEAM_DRAFT;
			pf_il_outcome ex = run1(&o, &cm, &q);
			o.mode = PF_IL_MC;
			o.n_impr = 4000;
			pf_il_outcome mc = run1(&o, &cm, &q);
			cr_assert(ex.exact && !mc.exact);
			cr_assert(mc.se > 0);
			/* 4.5 sigma: no false alarm in 60 comparisons */
			NEAR(mc.mean_o, ex.mean_o, 4.5 * mc.se);
			outside += fabs(mc.mean_o - ex.mean_o) > 2 * mc.se;
			total++;
		}
	}
	/* ~5% expected beyond 2 se; far more means a biased simulator */
	cr_assert_leq(outside, total / 5, "%d of %d beyond 2 se", outside,
	    total);
}

Test(interleave, multileave_of_two_matches_team_draft_in_expectation)
{
	uint64_t s = 99;
	pf_click_model cm = preset(PF_CM_NAVIGATIONAL, 3);

	for (int it = 0; it < 10; it++) {
		size_t len[2] = {20, 20};
		tq t;
		random_query(&t, 2, len, 25, 2, &s);
		pf_il_query q = mkq(&t, 2, (uint64_t)it);
		pf_il_opts o;
		pf_il_opts_init(&o);
		pf_il_outcome ex = run1(&o, &cm, &q);
		o.method = PF_IL_MULTILEAVE;
		o.n_impr = 4000;
		pf_il_outcome mc = run1(&o, &cm, &q);
		NEAR(mc.mean_o, ex.mean_o, 4.5 * mc.se);
		cr_assert_eq(mc.not_compared, 0);
	}
}

/* ---- unbiasedness under random clicks (METHODS.md §8 item 3) ---------- */

Test(interleave, unbiased_methods_have_zero_expected_outcome_under_random)
{
	uint64_t s = 42;
	pf_click_model cm = preset(PF_CM_RANDOM, 5);
	enum { NQ = 300 };
	static tq t[NQ];
	pf_il_query q[NQ];
	pf_il_outcome r[3 * NQ];
	pf_il_opts o;
	pf_il_sum_opts so;
	pf_il_summary sum;
	pf_err err = {0};

	pf_il_sum_opts_init(&so);
	so.n_boot = 200;
	for (size_t i = 0; i < NQ; i++) {
		/* lists at least k long, different documents and orders */
		size_t len[3] = {10 + xs(&s) % 20, 10 + xs(&s) % 20,
		    10 + xs(&s) % 20};
		random_query(&t[i], 3, len, 40, 4, &s);
		q[i] = mkq(&t[i], 3, i);
	}
	pf_il_opts_init(&o);

	/* team draft, exact: zero for every single query */
	cr_assert_eq(pf_il_run(&o, &cm, q, NQ, 2, r, &err), PF_OK, "%s",
	    err.msg);
	for (size_t i = 0; i < NQ; i++) {
		cr_assert(r[i].exact);
		NEAR(r[i].mean_o, 0.0, 1e-12);
	}
	cr_assert_eq(pf_il_summarize(r, 1, NULL, NQ, NULL, &so, &sum, &err),
	    PF_OK);
	NEAR(sum.mean_o, 0.0, 1e-12);
	NEAR(sum.delta, 0.0, 1e-12);
	NEAR(sum.p_pref, 0.5, 1e-12);

	/* team draft and probabilistic by Monte Carlo: mean within 4 se of
	   0; multileave (3 rankers): every pair */
	pf_il_method ms[3] = {PF_IL_TEAM_DRAFT, PF_IL_PROBABILISTIC,
	    PF_IL_MULTILEAVE};
	for (int mi = 0; mi < 3; mi++) {
		size_t nr = ms[mi] == PF_IL_MULTILEAVE ? 3 : 2;
		size_t np = pf_il_npairs(nr);
		o.method = ms[mi];
		o.mode = PF_IL_MC;
		o.n_impr = 1000;
		cr_assert_eq(pf_il_run(&o, &cm, q, NQ, nr, r, &err), PF_OK,
		    "%s", err.msg);
		for (size_t p = 0; p < np; p++) {
			double se2 = 0, dsum = 0, nsum = 0;
			for (size_t i = 0; i < NQ; i++) {
				const pf_il_outcome *x = &r[i * np + p];
				se2 += x->se * x->se;
				dsum += x->w_b - x->w_a;
				nsum += x->w_b + x->w_a + x->ties;
			}
			cr_assert_eq(pf_il_summarize(r + p, np, NULL, NQ, NULL,
			    &so, &sum, &err), PF_OK);
			double se = sqrt(se2) / NQ;
			NEAR(sum.mean_o, 0.0, 4 * se);
			/* E[Δ] = 0 as well (Δ = E[o] / P(click)) */
			NEAR(sum.delta, dsum / nsum, 1e-12);
			NEAR(sum.delta, 0.0, 4 * se / (1 - sum.no_click));
			cr_assert_leq(sum.mean_o_lo, sum.mean_o);
			cr_assert_geq(sum.mean_o_hi, sum.mean_o);
		}
	}
}

/* ---- determinism -------------------------------------------------------- */

Test(interleave, same_bytes_for_1_2_and_7_threads)
{
	uint64_t s = 7;
	enum { NQ = 157 };
	static tq t[NQ];
	pf_il_query q[NQ];
	pf_click_model cm = preset(PF_CM_INFORMATIONAL, 3);
	pf_il_method ms[4] = {PF_IL_TEAM_DRAFT, PF_IL_BALANCED,
	    PF_IL_PROBABILISTIC, PF_IL_MULTILEAVE};
	pf_err err = {0};

	cm.gamma = 0.95;
	for (size_t i = 0; i < NQ; i++) {
		size_t len[3] = {xs(&s) % 25, xs(&s) % 25, xs(&s) % 25};
		random_query(&t[i], 3, len, 30, 2, &s);
		q[i] = mkq(&t[i], 3, i * 31 + 5);
	}
	for (int mi = 0; mi < 4; mi++) {
		for (int mode = 0; mode <= 1; mode++) {
			size_t nr = ms[mi] == PF_IL_MULTILEAVE ? 3 : 2;
			size_t np = pf_il_npairs(nr);
			static pf_il_outcome r[3][3 * NQ];
			pf_il_summary sm[3];
			pf_il_opts o;
			pf_il_sum_opts so;
			const int th[3] = {1, 2, 7};

			pf_il_opts_init(&o);
			pf_il_sum_opts_init(&so);
			so.n_boot = 500;
			o.method = ms[mi];
			o.mode = mode ? PF_IL_MC : PF_IL_AUTO;
			o.n_impr = 200;
			memset(r, 0, sizeof(r));
			memset(sm, 0, sizeof(sm));
			for (int k = 0; k < 3; k++) {
				omp_set_num_threads(th[k]);
				cr_assert_eq(pf_il_run(&o, &cm, q, NQ, nr, r[k],
				    &err), PF_OK, "%s", err.msg);
				cr_assert_eq(pf_il_summarize(r[k], np, NULL, NQ,
				    NULL, &so, &sm[k], &err), PF_OK);
			}
			for (int k = 1; k < 3; k++) {
				cr_assert_eq(memcmp(r[0], r[k], NQ * np *
				    sizeof(pf_il_outcome)), 0, "%s mode %d",
				    pf_il_method_name(ms[mi]), mode);
				cr_assert_eq(memcmp(&sm[0], &sm[k],
				    sizeof(sm[0])), 0);
			}
		}
	}
	omp_set_num_threads(2);
}

Test(interleave, a_query_result_does_not_depend_on_the_batch)
{
	uint64_t s = 11;
	enum { NQ = 40 };
	static tq t[NQ];
	pf_il_query q[NQ];
	pf_il_outcome all[NQ], one;
	pf_click_model cm = preset(PF_CM_NAVIGATIONAL, 5);
	pf_il_opts o;
	pf_err err = {0};

	for (size_t i = 0; i < NQ; i++) {
		size_t len[2] = {15, 15};
		random_query(&t[i], 2, len, 30, 4, &s);
		q[i] = mkq(&t[i], 2, 1000 + i);
	}
	pf_il_opts_init(&o);
	o.method = PF_IL_PROBABILISTIC;
	o.n_impr = 300;
	cr_assert_eq(pf_il_run(&o, &cm, q, NQ, 2, all, &err), PF_OK);
	cr_assert_eq(pf_il_run(&o, &cm, &q[17], 1, 2, &one, &err), PF_OK);
	cr_assert_eq(memcmp(&one, &all[17], sizeof(one)), 0);
	o.seed = 2;		/* another seed, other numbers */
	cr_assert_eq(pf_il_run(&o, &cm, &q[17], 1, 2, &one, &err), PF_OK);
	cr_assert_neq(memcmp(&one, &all[17], sizeof(one)), 0);
}

/* ---- edge cases --------------------------------------------------------- */

Test(interleave, empty_lists_give_no_clicks)
{
	tq t = {{{0}, {5, 6}}, {{0}, {1, 2}}, {0, 2}, {0}, {0}};
	pf_click_model cm = preset(PF_CM_PERFECT, 3);
	pf_il_method ms[3] = {PF_IL_TEAM_DRAFT, PF_IL_BALANCED,
	    PF_IL_MULTILEAVE};

	for (int both = 0; both <= 1; both++) {
		t.n[1] = both ? 0 : 2;
		pf_il_query q = mkq(&t, 2, 3);
		for (int mi = 0; mi < 3; mi++) {
			pf_il_opts o;
			pf_il_opts_init(&o);
			o.method = ms[mi];
			pf_il_outcome r = run1(&o, &cm, &q);
			if (ms[mi] == PF_IL_MULTILEAVE) {
				/* ranker A placed nothing: not compared */
				cr_assert_eq(r.n, 0);
				cr_assert_eq(r.not_compared, 1000);
			} else {
				NEAR(r.none, r.n, 1e-9);
			}
			cr_assert_eq(r.mean_o, 0.0);
			cr_assert(isnan(r.delta));
		}
	}
	/* probabilistic places B's documents; A ranks them all equal */
	t.n[1] = 2;
	pf_il_query q = mkq(&t, 2, 3);
	pf_il_opts o;
	pf_il_opts_init(&o);
	o.method = PF_IL_PROBABILISTIC;
	pf_il_outcome r = run1(&o, &cm, &q);
	cr_assert_gt(r.w_b + r.w_a + r.ties, 0);
	cr_assert(isfinite(r.mean_o) && isfinite(r.delta));
	/* both empty: no documents, no clicks */
	t.n[1] = 0;
	q = mkq(&t, 2, 3);
	r = run1(&o, &cm, &q);
	cr_assert_eq(r.none, 1000);
}

Test(interleave, identical_lists_are_a_tie)
{
	tq t = {{{9, 8, 7, 6, 5}, {9, 8, 7, 6, 5}},
	    {{2, 0, 1, -1, 2}, {2, 0, 1, -1, 2}}, {5, 5}, {0}, {0}};
	pf_il_query q = mkq(&t, 2, 4);
	pf_click_model cm = preset(PF_CM_INFORMATIONAL, 3);
	pf_il_method ms[4] = {PF_IL_TEAM_DRAFT, PF_IL_BALANCED,
	    PF_IL_PROBABILISTIC, PF_IL_MULTILEAVE};

	for (int mi = 0; mi < 4; mi++) {
		pf_il_opts o;
		pf_il_opts_init(&o);
		o.method = ms[mi];
		pf_il_outcome r = run1(&o, &cm, &q);
		if (ms[mi] == PF_IL_MULTILEAVE)
			NEAR(r.mean_o, 0.0, 4 * r.se);
		else
			NEAR(r.mean_o, 0.0, 1e-15);
		if (ms[mi] == PF_IL_BALANCED)	/* always a tie */
			NEAR(r.ties + r.none, r.n, 1e-9);
	}
}

Test(interleave, lists_shorter_than_depth)
{
	/* 3 and 2 documents, k = depth = 10 */
	tq t = {{{1, 2, 3}, {3, 4}}, {{2, 1, 0}, {0, 2}}, {3, 2}, {0},
	    {0}};
	pf_il_query q = mkq(&t, 2, 5);
	pf_click_model cm = preset(PF_CM_NAVIGATIONAL, 3);
	double eo, pz;

	for (int bal = 0; bal <= 1; bal++) {
		pf_il_opts o;
		pf_il_opts_init(&o);
		o.method = bal ? PF_IL_BALANCED : PF_IL_TEAM_DRAFT;
		pf_il_outcome r = run1(&o, &cm, &q);
		oracle(&cm, &t, 10, bal, &eo, &pz);
		NEAR(r.mean_o, eo, 1e-14);
		NEAR(r.w_b + r.w_a + r.ties + r.none, r.n, 1e-9);
	}
}

Test(interleave, team_draft_can_favour_a_side_when_a_list_runs_out)
{
	/* A = (a), B = (b,a): when A picks first it has nothing left, the
	   draft stops and A holds the only position; when B picks first A
	   still gets a. The documented limit of team draft (interleave.h):
	   E[o] = -1/4 under random clicks, where lists of length >= k give
	   exactly 0. */
	tq t = {{{1}, {2, 1}}, {{0}, {0, 0}}, {1, 2}, {0}, {0}};
	pf_il_query q = mkq(&t, 2, 1);
	pf_click_model cm = preset(PF_CM_RANDOM, 3);
	pf_il_opts o;
	double eo, pz;

	pf_il_opts_init(&o);
	pf_il_outcome r = run1(&o, &cm, &q);
	oracle(&cm, &t, 10, 0, &eo, &pz);
	NEAR(r.mean_o, eo, 1e-15);
	NEAR(r.mean_o, -0.25, 1e-15);
}

Test(interleave, more_rankers_than_positions_are_not_compared)
{
	uint64_t s = 5;
	tq t;
	size_t len[4] = {10, 10, 10, 10};
	pf_click_model cm = preset(PF_CM_INFORMATIONAL, 3);
	pf_il_outcome r[6];
	pf_il_opts o;
	pf_err err = {0};

	random_query(&t, 4, len, 40, 2, &s);
	pf_il_query q = mkq(&t, 4, 1);
	pf_il_opts_init(&o);
	o.method = PF_IL_MULTILEAVE;
	o.k = 3;		/* 4 rankers, 3 slots */
	cr_assert_eq(pf_il_run(&o, &cm, &q, 1, 4, r, &err), PF_OK);
	for (size_t p = 0; p < 6; p++) {
		cr_assert_gt(r[p].not_compared, 0);
		NEAR(r[p].n + r[p].not_compared, 1000, 1e-9);
	}
	cr_assert_eq(pf_il_pair_index(4, 0, 1), 0);
	cr_assert_eq(pf_il_pair_index(4, 0, 3), 2);
	cr_assert_eq(pf_il_pair_index(4, 1, 2), 3);
	cr_assert_eq(pf_il_pair_index(4, 2, 3), 5);
}

Test(interleave, bad_input_is_refused_with_the_query_index)
{
	tq good = {{{1, 2}, {2, 1}}, {{1, 0}, {0, 1}}, {2, 2}, {0}, {0}};
	tq dup = {{{1, 2, 1}, {2, 1}}, {{1, 0, 1}, {0, 1}}, {3, 2}, {0},
	    {0}};
	tq regrade = {{{1, 2}, {2, 1}}, {{1, 0}, {0, 2}}, {2, 2}, {0}, {0}};
	pf_il_query q[4] = {mkq(&good, 2, 0), mkq(&good, 2, 1),
	    mkq(&regrade, 2, 2), mkq(&dup, 2, 3)};
	pf_click_model cm = preset(PF_CM_PERFECT, 3);
	pf_il_outcome r[4];
	pf_il_opts o;
	pf_err err = {0};

	pf_il_opts_init(&o);
	omp_set_num_threads(2);
	cr_assert_eq(pf_il_run(&o, &cm, q, 4, 2, r, &err), PF_EINVAL);
	cr_assert(strstr(err.msg, "query 2,") != NULL, "%s", err.msg);
	cr_assert_eq(pf_il_run(&o, &cm, q + 3, 1, 2, r, &err), PF_EINVAL);
	cr_assert(strstr(err.msg, "position 3") != NULL, "%s", err.msg);

	cr_assert_eq(pf_il_run(&o, &cm, q, 1, 3, r, &err), PF_EINVAL);
	o.method = PF_IL_PROBABILISTIC;
	o.mode = PF_IL_EXACT;
	cr_assert_eq(pf_il_run(&o, &cm, q, 1, 2, r, &err), PF_EINVAL);
	pf_il_opts_init(&o);
	o.k = 0;
	cr_assert_eq(pf_il_run(&o, &cm, q, 1, 2, r, &err), PF_EINVAL);
	pf_il_opts_init(&o);
	cm.click[1] = 1.5;
	cr_assert_eq(pf_il_run(&o, &cm, q, 1, 2, r, &err), PF_EINVAL);
	cr_assert(strstr(err.msg, "grade 1") != NULL, "%s", err.msg);
}

/* ---- click models -------------------------------------------------------- */

Test(clickmodel, presets_are_the_published_values)
{
	pf_click_model cm;
	pf_err err = {0};

	cm = preset(PF_CM_NAVIGATIONAL, 5);
	const double c5[] = {0.05, 0.3, 0.5, 0.7, 0.95};
	const double s5[] = {0.2, 0.3, 0.5, 0.7, 0.9};
	for (int g = 0; g < 5; g++) {
		cr_assert_eq(cm.click[g], c5[g]);
		cr_assert_eq(cm.stop[g], s5[g]);
	}
	cr_assert_eq(cm.kind, PF_CM_DBN);
	cr_assert_eq(cm.depth, 10);
	cr_assert_eq(cm.gamma, 1.0);
	cm = preset(PF_CM_INFORMATIONAL, 3);
	cr_assert(cm.click[0] == 0.4 && cm.click[1] == 0.7 &&
	    cm.click[2] == 0.9);
	cr_assert(cm.stop[0] == 0.1 && cm.stop[1] == 0.3 && cm.stop[2] == 0.5);
	cm = preset(PF_CM_NAVIGATIONAL, 2);
	cr_assert(cm.click[1] == 0.95 && cm.stop[0] == 0.2 &&
	    cm.stop[1] == 0.9);
	cm = preset(PF_CM_RANDOM, 3);
	cr_assert(cm.click[2] == 0.5 && cm.stop[2] == 0.0);
	cr_assert_eq(pf_cm_preset(&cm, PF_CM_PERFECT, 4, &err), PF_EINVAL);
	cr_assert_eq(pf_cm_preset_from_name("navigational"),
	    PF_CM_NAVIGATIONAL);
	cr_assert_eq(pf_cm_kind_from_name("pbm"), PF_CM_PBM);
	cr_assert_eq(pf_cm_kind_from_name("nope"), -1);
	cr_assert_str_eq(pf_il_method_name(PF_IL_MULTILEAVE), "multileave");
	cr_assert_eq(pf_il_method_from_name("team-draft"), PF_IL_TEAM_DRAFT);
}

Test(clickmodel, grades_map_onto_the_preset_scale)
{
	pf_click_model cm;
	pf_err err = {0};

	/* four grades (0..3) onto the 5-grade table: 0, 1, 3, 4 */
	cr_assert_eq(pf_cm_preset_for(&cm, PF_CM_PERFECT, 3, &err), PF_OK);
	cr_assert_eq(cm.ngrades, 5);
	cr_assert(pf_cm_is_mapped(&cm));
	cr_assert_eq(pf_cm_map_grade(&cm, 0), 0);
	cr_assert_eq(pf_cm_map_grade(&cm, 1), 1);
	cr_assert_eq(pf_cm_map_grade(&cm, 2), 3);
	cr_assert_eq(pf_cm_map_grade(&cm, 3), 4);
	cr_assert_eq(pf_cm_map_grade(&cm, 7), 4);	/* above G: top */
	cr_assert_eq(pf_cm_map_grade(&cm, -1), 0);	/* unjudged: 0 */
	/* 0..2 onto binary: halves round up */
	cr_assert_eq(pf_cm_preset(&cm, PF_CM_PERFECT, 2, &err), PF_OK);
	cm.src_max_grade = 2;
	cr_assert_eq(pf_cm_map_grade(&cm, 1), 1);
	cr_assert_eq(pf_cm_map_grade(&cm, 2), 1);
	/* 0..4 onto 3 grades: 0, 1, 1, 2, 2 */
	cr_assert_eq(pf_cm_preset(&cm, PF_CM_PERFECT, 3, &err), PF_OK);
	cm.src_max_grade = 4;
	const int want[] = {0, 1, 1, 2, 2};
	for (int g = 0; g <= 4; g++)
		cr_assert_eq(pf_cm_map_grade(&cm, g), want[g]);
	/* identity when the scales agree */
	cr_assert_eq(pf_cm_preset_for(&cm, PF_CM_PERFECT, 2, &err), PF_OK);
	cr_assert(!pf_cm_is_mapped(&cm));
	cr_assert_eq(pf_cm_map_grade(&cm, 2), 2);
	cr_assert_eq(pf_cm_preset_for(&cm, PF_CM_PERFECT, 0, &err),
	    PF_EINVAL);
}

Test(clickmodel, list_expectations_by_hand)
{
	/* navigational 3-grade, grades (2, 0, 1): a = .95 .05 .5,
	   s = .9 .2 .5 */
	pf_click_model cm = preset(PF_CM_NAVIGATIONAL, 3);
	const int32_t g[] = {2, -1, 1};
	pf_cm_expect e;

	pf_cm_list_expect(&cm, g, 3, &e);
	double e1 = 1, e2 = e1 * (1 - .95 * .9), e3 = e2 * (1 - .05 * .2);
	NEAR(e.clicks, .95 * e1 + .05 * e2 + .5 * e3, 1e-15);
	NEAR(e.clicks_unjudged, .05 * e2, 1e-15);
	NEAR(e.p_sat, .95 * .9 + e2 * .05 * .2 + e3 * .5 * .5, 1e-15);
	NEAR(e.p_click, 1 - .05 * .95 * .5, 1e-15);
	cm.kind = PF_CM_CASCADE;
	pf_cm_list_expect(&cm, g, 3, &e);
	NEAR(e.clicks, e.p_click, 1e-15);	/* at most one click */
	NEAR(e.p_sat, e.p_click, 1e-15);
	cm.kind = PF_CM_PBM;
	pf_cm_list_expect(&cm, g, 3, &e);
	NEAR(e.clicks, .95 + .05 / 2 + .5 / 3, 1e-15);
	cm.depth = 1;
	pf_cm_list_expect(&cm, g, 3, &e);
	NEAR(e.clicks, .95, 1e-15);
}

Test(interleave, pi_marginal_small_cases)
{
	double pb, pa;
	const double one[] = {0.3}, two[] = {0.5, 0.5}, three[] = {0.2, 0.7,
	    0.6};

	pf_il_pi_marginal(one, 1, &pb, &pa);
	NEAR(pb, 0.3, 1e-15);
	NEAR(pa, 0.7, 1e-15);
	pf_il_pi_marginal(two, 2, &pb, &pa);
	NEAR(pb, 0.25, 1e-15);
	NEAR(pa, 0.25, 1e-15);
	/* B wins with >= 2 of 3: .2*.7*.6 + .2*.7*.4 + .2*.3*.6 + .8*.7*.6 */
	pf_il_pi_marginal(three, 3, &pb, &pa);
	NEAR(pb, .084 + .056 + .036 + .336, 1e-15);
	NEAR(pa, 1 - pb, 1e-15);
	pf_il_pi_marginal(one, 0, &pb, &pa);
	cr_assert(pb == 0 && pa == 0);
}

/* ---- summary ------------------------------------------------------------- */

Test(interleave, summary_ratios_weights_and_subsets)
{
	pf_il_outcome r[3];
	pf_il_sum_opts so;
	pf_il_summary s;
	pf_err err = {0};
	const double w[3] = {1, 3, 0};
	const size_t sub[2] = {2, 1};

	memset(r, 0, sizeof(r));
	/* query 0: 60 B, 20 A, 10 ties, 10 none; query 1: 10/30/0/60 */
	r[0] = (pf_il_outcome){60, 20, 10, 10, 100, 0, 0.4, 40.0 / 90, 0.05,
	    0};
	r[1] = (pf_il_outcome){10, 30, 0, 60, 100, 0, -0.2, -0.5, 0.05, 0};
	r[2] = (pf_il_outcome){5, 5, 0, 0, 10, 0, 0, 0, 0.3, 0};
	pf_il_sum_opts_init(&so);
	so.n_boot = 1000;
	cr_assert_eq(pf_il_summarize(r, 1, NULL, 2, NULL, &so, &s, &err),
	    PF_OK);
	NEAR(s.mean_o, 0.1, 1e-15);
	NEAR(s.delta, (0.4 - 0.2) / (0.9 + 0.4), 1e-15);
	NEAR(s.delta, s.mean_o / (1 - s.no_click), 1e-15);
	NEAR(s.p_pref, 0.7 / 1.2, 1e-15);
	NEAR(s.no_click, 0.35, 1e-15);
	cr_assert_eq(s.q_wins, 1);
	cr_assert_eq(s.q_losses, 1);
	cr_assert_leq(s.delta_lo, s.delta);
	cr_assert_geq(s.delta_hi, s.delta);
	/* the interval is over queries: it spans the two queries' values */
	NEAR(s.mean_o_lo, -0.2, 1e-15);
	NEAR(s.mean_o_hi, 0.4, 1e-15);
	/* weights and a subset: query 2 has weight 0 */
	cr_assert_eq(pf_il_summarize(r, 1, sub, 2, w, &so, &s, &err), PF_OK);
	NEAR(s.mean_o, -0.2, 1e-15);
	cr_assert_eq(s.nq, 2);
	NEAR(s.weight, 3, 0);
	/* identical queries: the interval collapses */
	r[1] = r[0];
	cr_assert_eq(pf_il_summarize(r, 1, NULL, 2, NULL, &so, &s, &err),
	    PF_OK);
	NEAR(s.delta_lo, s.delta, 1e-15);
	NEAR(s.delta_hi, s.delta, 1e-15);
	const double bad[2] = {1, -1};
	cr_assert_eq(pf_il_summarize(r, 1, NULL, 2, bad, &so, &s, &err),
	    PF_EINVAL);
	cr_assert_eq(pf_il_summarize(r, 1, NULL, 0, NULL, &so, &s, &err),
	    PF_OK);
	cr_assert(isnan(s.mean_o) && isnan(s.delta_lo));
}

/*
 * test_trend.c — the trend model (harness/history/trend.h) built from a
 * hand-made SQLite history of three nights (history_fixture.h's run, the
 * new stack's map values changed by hand), every number worked out beside
 * its assertion: the nights' means and CIs, the goal statuses and streak,
 * the step and its exact p, the base night chosen, the segment and query
 * drops, the gate newly failing, the PSI of a shifted sketch and the input
 * whose sha256 changed; the primary metric when no goal is declared; one
 * night; --since parsing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/history/trend.h"
#include "history_fixture.h"

TestSuite(trend, .init = setup, .fini = teardown);

#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), \
			    "%s = %.17g, want %.17g", #a, (double)(a), \
			    (double)(b))

/* map of the new stack: q1 0.5, q3 0.3 (mean 0.4); night 3 q1 0.1 */
static const double good[] = {0.625, 0.5, 0, 0, 0.0, 0.3};
static const double bad_[] = {0.625, 0.1, 0, 0, 0.0, 0.3};
static const double mgood[] = {0.3125, 0.4}, mbad[] = {0.3125, 0.2};
static const char *const dims2[] = {"short", "mid", "long"};

/* Night `night` (1-3): night 3 is worse, its sketch shifted by 1/4, its
   input changed and its gate failed. ngoals 0: no goal. */
static void
night(pf_history *h, int n, size_t ngoals)
{
	fixture x;
	pf_hist_goal goal = {.metric = "map", .stack = "new", .has_min = 1,
	    .min = 0.3};
	pf_err err = {0};
	int64_t id;

	fill(&x, "nightly", n == 3 ? 1 : 0);
	x.st[1].values = n == 3 ? bad_ : good;
	x.st[1].mean = n == 3 ? mbad : mgood;
	x.run.dim = dims2;
	x.run.goals = &goal;
	x.run.ngoals = ngoals;
	if (n == 3) {
		memset(x.in.sha256, 'b', 64);
		for (size_t i = 0; i < PF_HIST_NQUANT; i++)
			x.fs.q[i] += 0.25;
	}
	cr_assert_eq(pf_history_append(h, &x.run, &id, &err), PF_OK, "%s",
	    err.msg);
	cr_assert_eq(id, n);
}

static pf_trend_doc *
build(size_t nights, size_t ngoals)
{
	pf_history *h = NULL;
	pf_trend_doc *d = NULL;
	pf_trend_opts o;
	pf_err err = {0};

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK, "%s", err.msg);
	for (size_t i = 1; i <= nights; i++)
		night(h, (int)i, ngoals);
	pf_trend_opts_init(&o);
	cr_assert_eq(pf_trend_build(&d, h, &o, &err), PF_OK, "%s", err.msg);
	pf_history_close(h);
	return d;
}

Test(trend, three_nights_by_hand)
{
	pf_trend_doc *d = build(3, 1);
	const pf_trend *t = &d->t;
	const pf_trend_series *s = &t->series[0];

	cr_assert_str_eq(t->scenario, "nightly");
	cr_assert_eq(t->nnights, 3);
	cr_assert_eq(t->nseries, 1);
	cr_assert(t->goals_declared);
	cr_assert_str_eq(s->metric, "map");
	cr_assert_str_eq(s->stack, "new");
	/* means of the judged queries q1 and q3; with two values every
	   resample mean is one of a, (a+b)/2, b: the 2.5% and 97.5%
	   quantiles of 2000 are the smaller and the larger value */
	NEAR(s->pt[0].value, 0.4, 1e-15);
	NEAR(s->pt[0].lo, 0.3, 1e-15);
	NEAR(s->pt[0].hi, 0.5, 1e-15);
	NEAR(s->pt[2].value, 0.2, 1e-15);
	NEAR(s->pt[2].lo, 0.1, 1e-15);
	NEAR(s->pt[2].hi, 0.3, 1e-15);
	cr_assert_eq(s->pt[2].n, 2);
	/* goal map >= 0.3: met, met, missed */
	cr_assert_eq(s->pt[0].status, PF_TG_MET);
	cr_assert_eq(s->pt[1].status, PF_TG_MET);
	cr_assert_eq(s->pt[2].status, PF_TG_MISSED);
	NEAR(s->pt[2].gmin, 0.3, 1e-15);
	cr_assert(isnan(s->pt[2].gmax));
	cr_assert_eq(s->streak, 1);
	/* steps: night 2 changes nothing (d = 0, 0: p = 1); night 3
	   d = (-0.4, 0): delta -0.2, and with one nonzero difference every
	   sign pattern reaches |sum| = 0.4, so the exact p is 1 */
	cr_assert(isnan(s->pt[0].d));
	NEAR(s->pt[1].d, 0.0, 0);
	NEAR(s->pt[1].p, 1.0, 0);
	NEAR(s->pt[2].d, -0.2, 1e-15);
	NEAR(s->pt[2].p, 1.0, 0);
	cr_assert(!s->pt[1].change && !s->pt[2].change);
	/* base: the night before the misses began */
	cr_assert_eq(t->last, 2);
	cr_assert_eq(t->base, 1);
	cr_assert_eq(t->focus, 0);
	cr_assert(strstr(t->base_why, "before the goal was missed") != NULL,
	    "%s", t->base_why);
	cr_assert_eq(t->ncommon, 2);
	NEAR(t->delta, -0.2, 1e-15);
	/* segments: len short = {q1} lost 0.4, all of the loss; long = {q3}
	   did not change: not a drop */
	cr_assert_eq(t->nsegdrop, 1);
	cr_assert_str_eq(t->segdrop[0].dim, "len");
	cr_assert_str_eq(t->segdrop[0].value, "short");
	cr_assert_eq(t->segdrop[0].n, 1);
	NEAR(t->segdrop[0].delta, -0.4, 1e-15);
	NEAR(t->segdrop[0].share, 1.0, 1e-15);
	cr_assert(isnan(t->segdrop[0].lo), "fewer than 5 queries: no CI");
	cr_assert_eq(t->nqdrop, 1);
	cr_assert_str_eq(t->qdrop[0].qid, "q1");
	NEAR(t->qdrop[0].before, 0.5, 1e-15);
	NEAR(t->qdrop[0].after, 0.1, 1e-15);
	/* the gate failed on night 3 only */
	cr_assert_eq(t->nbroken, 1);
	cr_assert_str_eq(t->broken[0].gate, "g1");
	/* f3's sketch, uniform on [1, 2], shifted by 1/4, 40% missing both
	   nights: the base's deciles 1.1 ... 1.9 cut ten bins of .6 x .1;
	   the shifted night puts 0, 0, .6 x .05, six of .6 x .1 and .6 x .35
	   in them: 2 (1e-4 - .06) ln(1e-4 / .06) + (.03 - .06) ln .5
	   + (.21 - .06) ln 3.5 (the missing bin is equal: no term) */
	NEAR(t->drift[0].psi, 0.9750610333859979, 1e-12);
	NEAR(t->drift[0].miss_before, 0.4, 1e-15);
	/* the scenario's sha256 changed */
	cr_assert_eq(t->ninputs, 1);
	cr_assert_str_eq(t->inputs[0].role, "scenario");
	cr_assert(t->inputs[0].sha_before[0] == 'a' &&
	    t->inputs[0].sha_after[0] == 'b');
	pf_trend_doc_free(d);
}

Test(trend, no_goal_gives_the_primary_metric_of_every_stack)
{
	pf_trend_doc *d = build(2, 0);
	const pf_trend *t = &d->t;

	cr_assert(!t->goals_declared);
	cr_assert_eq(t->nseries, 2);
	cr_assert_str_eq(t->series[0].metric, "ndcg_cut_10");
	cr_assert_str_eq(t->series[0].stack, "ctl", "the control first");
	cr_assert_str_eq(t->series[1].stack, "new");
	cr_assert_eq(t->series[1].pt[1].status, PF_TG_NONE);
	NEAR(t->series[0].pt[1].value, 0.75, 1e-15);	/* (0.5 + 1) / 2 */
	cr_assert_eq(t->base, 0);
	pf_trend_doc_free(d);
}

Test(trend, one_night_compares_nothing)
{
	pf_trend_doc *d = build(1, 1);

	cr_assert_eq(d->t.nnights, 1);
	cr_assert_eq(d->t.base, d->t.last);
	cr_assert_eq(d->t.nsegdrop + d->t.nqdrop + d->t.ninputs, 0);
	cr_assert(strstr(d->t.base_why, "no trend yet") != NULL);
	pf_trend_doc_free(d);
}

Test(trend, since_is_a_real_utc_date)
{
	char out[21];

	cr_assert_eq(pf_trend_parse_since("2024-02-29", out, NULL), PF_OK);
	cr_assert_str_eq(out, "2024-02-29T00:00:00Z");
	cr_assert_eq(pf_trend_parse_since("2026-01-31T23:59:59Z", out, NULL),
	    PF_OK);
	cr_assert_str_eq(out, "2026-01-31T23:59:59Z");
	cr_assert_eq(pf_trend_parse_since("2023-02-29", out, NULL), PF_EINVAL);
	cr_assert_eq(pf_trend_parse_since("2024-13-01", out, NULL), PF_EINVAL);
	cr_assert_eq(pf_trend_parse_since("2024-1-01", out, NULL), PF_EINVAL);
	cr_assert_eq(pf_trend_parse_since("2024-01-01T24:00:00Z", out, NULL),
	    PF_EINVAL);
	cr_assert_eq(pf_trend_parse_since("2024-01-01 00:00:00", out, NULL),
	    PF_EINVAL);
}

/*
 * test_gates.c — the declared gates (harness/decide/gates.h) on a
 * measurement and a comparison set by hand, three stacks (ctl, t1, t2):
 * min on a treatment's mean, min-delta on the estimate and on the CI's
 * lower bound, a significant gain, min on the control, a gate naming an
 * unknown stack, metric="interleave" with and without interleaving, an
 * unknown metric; each result's status, name and one-line message, the
 * boundaries (>=, Holm p < alpha, CI above 0), the failure details (the
 * five most hurt judged queries) and the order: declaration order, then
 * stack order.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/decide/gates.h"
#include "decide_fixture.h"

TestSuite(gates, .init = fx_mkdir, .fini = fx_rmdir);

/*
 * q1..q7 judged, q8 not. map: the control 0.5 on every judged query;
 * t1 the control plus d1 (mean 0.4), t2 the control plus 0.1 (mean 0.6).
 * q8's rows would make it the most hurt query if it counted.
 */
static const double d1[7] = {-0.25, 0.1, -0.5, 0, -0.25, 0.3, -0.1};

typedef struct setup_ {
	pf_golden	*g;
	pf_measured	 m;
	pf_cmp		 cmp[2 * 2];
	double		 p_adj[2 * 2];
	pf_comparison	 c;
	size_t		 map;
} setup_;

static void
setup(setup_ *s)
{
	static const char *const metrics[] = {"map", "recip_rank", NULL};
	static const char *const ids[] = {"ctl", "t1", "t2", NULL};
	pf_err err = {0};

	memset(s, 0, sizeof(*s));
	s->g = fx_golden("qid\ttext\nq1\ta\nq2\tb\nq3\tc\nq4\td\nq5\te\n"
	    "q6\tf\nq7\tg\nq8\th\n", "q1 0 d 1\nq2 0 d 1\nq3 0 d 1\n"
	    "q4 0 d 1\nq5 0 d 1\nq6 0 d 1\nq7 0 d 1\n", NULL);
	fx_measured(&s->m, s->g, metrics, ids, "map");
	s->map = fx_vi(&s->m, "map");
	size_t nv = s->m.nv, v = s->map;
	for (size_t q = 0; q < 7; q++) {
		s->m.stacks[0].values[q * nv + v] = 0.5;
		s->m.stacks[1].values[q * nv + v] = 0.5 + d1[q];
		s->m.stacks[2].values[q * nv + v] = 0.6;
	}
	s->m.stacks[0].values[7 * nv + v] = 0.9;	/* q8, unjudged */
	cr_assert_eq(pf_measured_summarize(&s->m, &err), PF_OK);
	cr_assert_float_eq(s->m.stacks[1].mean[v], 0.4, 1e-12);
	/* the statistics of t1 and t2 against ctl on map, as compare
	   would give them */
	s->cmp[0 * nv + v] = (pf_cmp){.n = 7, .mean_a = 0.5, .mean_b = 0.4,
	    .delta = -0.1, .lo = -0.25, .hi = 0.03, .p_perm = 0.2, .wins = 2,
	    .losses = 4, .ties = 1};
	s->p_adj[0 * nv + v] = 0.4;
	s->cmp[1 * nv + v] = (pf_cmp){.n = 7, .mean_a = 0.5, .mean_b = 0.6,
	    .delta = 0.1, .lo = 0.02, .hi = 0.2, .p_perm = 0.01, .wins = 7};
	s->p_adj[1 * nv + v] = 0.03;
	s->c = (pf_comparison){.nt = 2, .nv = nv, .cmp = s->cmp,
	    .p_adj = s->p_adj};
}

static void
teardown(setup_ *s)
{
	pf_measured_clear(&s->m);
	pf_golden_free(s->g);
}

/* Evaluates the gates into a fresh list. */
static pf_gate_list
eval(const setup_ *s, const pf_scn_gate *g, size_t n,
    const pf_interleaving *il)
{
	pf_gate_defs defs = {g, n, "unit.xml", 0.05, 0, NULL, NULL};
	pf_gate_list out = {0};
	pf_err err = {0};

	cr_assert_eq(pf_gates_eval(&out, &defs, &s->m, &s->c, il, &err),
	    PF_OK, "%s", err.msg);
	return out;
}

/* One expected result: gate id, stack, status, name, message. */
typedef struct want {
	const char	*id;
	size_t		 stack;
	int		 status;
	const char	*name, *msg;
} want;

/* l holds exactly the n results w, in that order. */
static void
assert_results(const pf_gate_list *l, const want *w, size_t n)
{
	cr_assert_eq(l->n, n, "%zu results, want %zu", l->n, n);
	for (size_t i = 0; i < n; i++) {
		const pf_gate_result *r = &l->v[i];
		cr_assert_str_eq(r->id, w[i].id, "result %zu", i);
		cr_assert_eq(r->stack, w[i].stack, "result %zu (%s)", i,
		    w[i].id);
		cr_assert_eq(r->status, w[i].status, "result %zu (%s): %s", i,
		    w[i].id, r->message);
		cr_assert_str_eq(r->name, w[i].name, "result %zu", i);
		cr_assert_str_eq(r->message, w[i].msg, "result %zu", i);
	}
}

Test(gates, every_kind_gives_one_result_per_stack_in_declaration_order)
{
	setup_ s;
	pf_scn_gate g[] = {
		{.id = "floor", .metric = "map", .line = 11, .has_min = 1,
		    .min = 0.45},
		{.id = "no_loss", .metric = "map", .line = 12,
		    .has_min_delta = 1, .min_delta = -0.05},
		{.id = "ci_gain", .metric = "map", .stack = "t2", .line = 13,
		    .has_min_delta = 1, .on_ci = 1, .min_delta = 0.05},
		{.id = "sig", .metric = "map", .line = 14, .significant = 1},
		{.id = "ctl_floor", .metric = "map", .stack = "ctl",
		    .line = 15, .has_min = 1, .min = 0.6},
	};

	setup(&s);
	pf_gate_list l = eval(&s, g, 5, NULL);
	static const want w[] = {
		{"floor", 1, PF_GATE_FAIL, "floor: map mean, t1 vs ctl",
		    "t1 map 0.4000 below 0.4500"},
		{"floor", 2, PF_GATE_PASS, "floor: map mean, t2 vs ctl",
		    "t2 map 0.6000 at or above 0.4500"},
		{"no_loss", 1, PF_GATE_FAIL, "no_loss: map delta, t1 vs ctl",
		    "map delta -0.1000 [95% CI -0.2500, +0.0300] below "
		    "-0.0500 (p=0.2000, Holm 0.4000)"},
		{"no_loss", 2, PF_GATE_PASS, "no_loss: map delta, t2 vs ctl",
		    "map delta +0.1000 [95% CI +0.0200, +0.2000] at or above "
		    "-0.0500 (p=0.0100, Holm 0.0300)"},
		/* the estimate (+0.1) passes; its CI lower bound does not */
		{"ci_gain", 2, PF_GATE_FAIL, "ci_gain: map delta, t2 vs ctl",
		    "map delta CI lower bound +0.0200 [95% CI +0.0200, "
		    "+0.2000] below +0.0500 (p=0.0100, Holm 0.0300)"},
		{"sig", 1, PF_GATE_FAIL, "sig: map significant gain, t1 vs ctl",
		    "map delta -0.1000 [95% CI -0.2500, +0.0300], Holm p "
		    "0.4000: not a significant gain"},
		{"sig", 2, PF_GATE_PASS, "sig: map significant gain, t2 vs ctl",
		    "map delta +0.1000 [95% CI +0.0200, +0.2000], Holm p "
		    "0.0300: a significant gain"},
		{"ctl_floor", 0, PF_GATE_FAIL, "ctl_floor: map mean, ctl",
		    "ctl map 0.5000 below 0.6000"},
	};
	assert_results(&l, w, 8);
	static const long lines[] = {11, 11, 12, 12, 13, 14, 14, 15};
	for (size_t i = 0; i < 8; i++)
		cr_assert_eq(l.v[i].line, lines[i]);
	cr_assert_eq(pf_gate_count(&l, PF_GATE_FAIL), 5);
	pf_gate_list_clear(&l);
	teardown(&s);
}

Test(gates,
    failure_details_name_the_gate_the_means_and_the_five_most_hurt_queries)
{
	setup_ s;
	pf_scn_gate g = {.id = "no_loss", .metric = "map", .stack = "t1",
	    .line = 12, .has_min_delta = 1, .min_delta = -0.05};

	setup(&s);
	pf_gate_list l = eval(&s, &g, 1, NULL);
	cr_assert_eq(l.n, 1);
	/* deltas -0.25 +0.1 -0.5 0 -0.25 +0.3 -0.1: worst first, ties in
	   query order, q8 (unjudged) left out */
	cr_assert_str_eq(l.v[0].details, "gate:      no_loss (unit.xml:12)\n"
	    "control:   ctl  map=0.5000\n"
	    "treatment: t1  map=0.4000\n"
	    "queries:   7 (wins 2, losses 4, ties 1)\n"
	    "most hurt: q3 -0.500 | q1 -0.250 | q5 -0.250 | q7 -0.100 | "
	    "q4 +0.000\n"
	    "report:    report.html#gate-no_loss");
	pf_gate_list_clear(&l);
	teardown(&s);
}

Test(gates, thresholds_are_inclusive_and_significance_is_strict)
{
	setup_ s;
	pf_scn_gate g[] = {
		{.id = "eq_min", .metric = "map", .stack = "t2", .has_min = 1,
		    .min = 0.6},
		{.id = "eq_delta", .metric = "map", .stack = "t1",
		    .has_min_delta = 1, .min_delta = -0.1},
		{.id = "eq_ci", .metric = "map", .stack = "t2",
		    .has_min_delta = 1, .on_ci = 1, .min_delta = 0.02},
		{.id = "eq_ctl", .metric = "map", .stack = "ctl", .has_min = 1,
		    .min = 0.5},
		{.id = "sig", .metric = "map", .stack = "t2",
		    .significant = 1},
	};

	setup(&s);
	/* each threshold equals the value it is compared with (the same
	   double: the control's mean 7 x 0.5 / 7 is exact) */
	cr_assert(s.m.stacks[0].mean[s.map] == 0.5);
	pf_gate_list l = eval(&s, g, 5, NULL);
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(l.v[i].status, PF_GATE_PASS, "%s: %s", l.v[i].id,
		    l.v[i].message);
	pf_gate_list_clear(&l);

	/* Holm p equal to alpha is not below it */
	s.p_adj[1 * s.m.nv + s.map] = 0.05;
	l = eval(&s, &g[4], 1, NULL);
	cr_assert_eq(l.v[0].status, PF_GATE_FAIL, "%s", l.v[0].message);
	pf_gate_list_clear(&l);
	/* a CI reaching 0 is no significant gain either */
	s.p_adj[1 * s.m.nv + s.map] = 0.01;
	s.cmp[1 * s.m.nv + s.map].lo = 0.0;
	l = eval(&s, &g[4], 1, NULL);
	cr_assert_eq(l.v[0].status, PF_GATE_FAIL, "%s", l.v[0].message);
	pf_gate_list_clear(&l);
	/* a NaN mean never passes a min */
	s.cmp[1 * s.m.nv + s.map].mean_b = NAN;
	l = eval(&s, &g[0], 1, NULL);
	cr_assert_eq(l.v[0].status, PF_GATE_FAIL, "%s", l.v[0].message);
	pf_gate_list_clear(&l);
	teardown(&s);
}

Test(gates, what_cannot_be_evaluated_is_an_error_result_with_its_reason)
{
	setup_ s;
	pf_scn_gate g[] = {
		{.id = "ghost", .metric = "map", .stack = "zz", .line = 3,
		    .has_min = 1, .min = 0.1},
		{.id = "il", .metric = "interleave", .line = 4,
		    .has_min_delta = 1},
		{.id = "nometric", .metric = "P_5", .stack = "t1", .line = 5,
		    .has_min = 1, .min = 0.1},
		{.id = "ctl_delta", .metric = "map", .stack = "ctl", .line = 6,
		    .has_min_delta = 1, .min_delta = 0},
		{.id = "ctl_nometric", .metric = "P_5", .stack = "ctl",
		    .line = 7, .has_min = 1, .min = 0},
	};

	setup(&s);
	pf_gate_list l = eval(&s, g, 5, NULL);
	static const want w[] = {
		{"ghost", 0, PF_GATE_ERROR, "ghost: map",
		    "no stack 'zz' in the scenario"},
		{"il", 1, PF_GATE_ERROR, "il: interleave delta, t1 vs ctl",
		    "no <interleave> in the scenario"},
		{"il", 2, PF_GATE_ERROR, "il: interleave delta, t2 vs ctl",
		    "no <interleave> in the scenario"},
		{"nometric", 1, PF_GATE_ERROR, "nometric: P_5 mean, t1 vs ctl",
		    "metric 'P_5' is not among the scenario's metrics"},
		{"ctl_delta", 0, PF_GATE_ERROR, "ctl_delta: map mean, ctl",
		    "a gate on the control needs min and a metric of the "
		    "scenario"},
		{"ctl_nometric", 0, PF_GATE_ERROR,
		    "ctl_nometric: P_5 mean, ctl",
		    "a gate on the control needs min and a metric of the "
		    "scenario"},
	};
	assert_results(&l, w, 6);
	cr_assert_eq(pf_gate_count(&l, PF_GATE_ERROR), 6);
	pf_gate_list_clear(&l);
	teardown(&s);
}

Test(gates, interleave_gate_reads_the_interleaving_delta_or_its_ci_lower_bound)
{
	setup_ s;
	pf_il_summary il[2] = {
		{.nq = 7, .delta = -0.02, .delta_lo = -0.06, .delta_hi = 0.02,
		    .exact = 1},
		{.nq = 7, .delta = 0.05, .delta_lo = 0.01, .delta_hi = 0.09},
	};
	pf_interleaving ilv = {.nt = 2, .il = il};
	pf_scn_gate g[] = {
		{.id = "il", .metric = "interleave", .line = 4,
		    .has_min_delta = 1, .min_delta = 0},
		{.id = "il_ci", .metric = "interleave", .stack = "t2",
		    .line = 5, .has_min_delta = 1, .on_ci = 1,
		    .min_delta = 0.02},
		{.id = "il_min", .metric = "interleave", .stack = "t2",
		    .line = 6, .has_min = 1, .min = 0},
	};

	pf_il_opts_init(&ilv.opts);
	setup(&s);
	pf_gate_list l = eval(&s, g, 3, &ilv);
	static const want w[] = {
		{"il", 1, PF_GATE_FAIL, "il: interleave delta, t1 vs ctl",
		    "interleaving delta -0.0200 [95% CI -0.0600, +0.0200] "
		    "below +0.0000"},
		{"il", 2, PF_GATE_PASS, "il: interleave delta, t2 vs ctl",
		    "interleaving delta +0.0500 [95% CI +0.0100, +0.0900] at "
		    "or above +0.0000"},
		{"il_ci", 2, PF_GATE_FAIL, "il_ci: interleave delta, t2 vs ctl",
		    "interleaving delta CI lower bound +0.0100 [95% CI "
		    "+0.0100, +0.0900] below +0.0200"},
		{"il_min", 2, PF_GATE_ERROR,
		    "il_min: interleave mean, t2 vs ctl",
		    "an interleave gate takes min-delta (on the estimate or "
		    "the CI lower bound)"},
	};
	assert_results(&l, w, 4);
	cr_assert(strstr(l.v[0].details, "gate:      il (unit.xml:4)\n") ==
	    l.v[0].details, "%s", l.v[0].details);
	cr_assert(strstr(l.v[0].details, "7 queries, exact expectation") !=
	    NULL, "%s", l.v[0].details);
	cr_assert(strstr(l.v[1].details, "7 queries, Monte Carlo") != NULL,
	    "%s", l.v[1].details);
	pf_gate_list_clear(&l);
	teardown(&s);
}

Test(gates, results_are_appended_to_what_the_list_holds)
{
	setup_ s;
	pf_scn_gate g = {.id = "floor", .metric = "map", .has_min = 1,
	    .min = 0};
	pf_gate_defs defs = {&g, 1, "unit.xml", 0.05, 0, NULL, NULL};
	pf_gate_list l = {0};
	pf_err err = {0};

	setup(&s);
	pf_gate_result *first = pf_gate_add(&l);
	cr_assert_not_null(first);
	snprintf(first->id, sizeof(first->id), "earlier");
	cr_assert_eq(pf_gates_eval(&l, &defs, &s.m, &s.c, NULL, &err), PF_OK);
	cr_assert_eq(l.n, 3);
	cr_assert_str_eq(l.v[0].id, "earlier");
	cr_assert_str_eq(l.v[1].id, "floor");
	cr_assert_eq(l.v[2].stack, 2);
	pf_gate_list_clear(&l);
	teardown(&s);
}

/*
 * test_verdict.c — the decision rule of harness/decide/verdict.h, branch by
 * branch, on a comparison and gate lists built by hand: a failing gate in
 * any list, or a judged failing expectation, gives DO NOT REQUEST naming
 * the first failure in collection order; a significant regression gives
 * DO NOT REQUEST; REQUEST A SLOT needs delta >= min-effect, a CI above 0
 * and Holm p < alpha, each at its boundary; otherwise INCONCLUSIVE, with
 * the queries a test would need or "no difference to detect". The exit
 * code is 1 exactly when a gate or a judged expectation failed, and the
 * collected gates keep their order and content.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/decide/verdict.h"
#include "decide_fixture.h"

/* Two stacks, one metric (the primary), one comparison. */
typedef struct hand {
	pf_stack_result	 st[2];
	pf_measured	 m;
	pf_cmp		 cmp;
	double		 p_adj;
	pf_comparison	 c;
	pf_verdict_rule	 rule;
} hand;

/* ndcg_cut_10 of trt vs ctl: delta, CI [lo, hi], Holm p, n_needed. */
static void
setup(hand *h, double delta, double lo, double hi, double padj,
    double n_needed)
{
	memset(h, 0, sizeof(*h));
	h->st[0].id = "ctl";
	h->st[1].id = "trt";
	h->m = (pf_measured){.nstacks = 2, .nv = 1, .primary = 0,
	    .primary_name = "ndcg_cut_10", .stacks = h->st};
	h->cmp = (pf_cmp){.n = 40, .mean_a = 0.5, .mean_b = 0.5 + delta,
	    .delta = delta, .rel = delta / 0.5, .lo = lo, .hi = hi,
	    .p_perm = padj / 2, .wins = 21, .losses = 12, .ties = 7,
	    .n_needed = n_needed};
	h->p_adj = padj;
	h->c = (pf_comparison){.nt = 1, .nv = 1, .cmp = &h->cmp,
	    .p_adj = &h->p_adj};
	h->rule = (pf_verdict_rule){.min_effect = 0.01, .alpha = 0.05};
}

static pf_decision *
decide(const hand *h, const pf_gate_list *const *lists, size_t n,
    const pf_expectations *e)
{
	pf_decision *d;
	pf_err err = {0};

	cr_assert_eq(pf_decide(&d, &h->m, &h->c, lists, n, e, &h->rule,
	    &err), PF_OK, "%s", err.msg);
	cr_assert_not_null(d);
	return d;
}

/* The verdict on the primary metric alone: no gate, no expectation. */
static const char *
verdict_on(double delta, double lo, double hi, double padj)
{
	hand h;
	pf_decision *d;
	const char *v;

	setup(&h, delta, lo, hi, padj, 60);
	d = decide(&h, NULL, 0, NULL);
	v = d->verdict;		/* a string literal, not d's */
	pf_decision_free(d);
	return v;
}

Test(verdict, a_failing_gate_in_any_list_names_the_first_in_collection_order)
{
	hand h;
	pf_gate_list a = {0}, b = {0}, c = {0};

	/* the primary is a clear gain: only the gates can hold it back */
	setup(&h, 0.05, 0.02, 0.08, 0.001, 30);
	fx_gate(&a, "passes", PF_GATE_PASS, "fine");
	fx_gate(&a, "broken", PF_GATE_ERROR, "could not evaluate");
	fx_gate(&c, "first_fail", PF_GATE_FAIL, "delta -0.0300 below -0.0100");
	fx_gate(&c, "second_fail", PF_GATE_FAIL, "worse");
	fx_gate(&c, "skipped", PF_GATE_SKIP, "n/a");
	const pf_gate_list *lists[] = {&a, NULL, &b, &c};
	pf_decision *d = decide(&h, lists, 4, NULL);

	cr_assert_str_eq(d->verdict, "DO NOT REQUEST");
	cr_assert_str_eq(d->why, "2 gates failed; first: first_fail: "
	    "primary delta, trt vs ctl (delta -0.0300 below -0.0100).");
	cr_assert_eq(d->nfailed, 2);
	cr_assert_eq(pf_decision_exit(d), 1);
	pf_decision_free(d);

	/* one failure alone, in the first list */
	pf_gate_list one = {0};
	fx_gate(&one, "only", PF_GATE_FAIL, "m");
	const pf_gate_list *l1[] = {&one, &a};
	d = decide(&h, l1, 2, NULL);
	cr_assert_str_eq(d->verdict, "DO NOT REQUEST");
	cr_assert_str_eq(d->why, "1 gate failed; first: only: primary delta, "
	    "trt vs ctl (m).");
	pf_decision_free(d);
	pf_gate_list_clear(&a);
	pf_gate_list_clear(&c);
	pf_gate_list_clear(&one);
}

Test(verdict, collected_gates_keep_their_order_and_content)
{
	hand h;
	pf_gate_list a = {0}, b = {0};

	setup(&h, 0.0, -0.01, 0.01, 0.9, 5000);
	fx_gate(&a, "g1", PF_GATE_PASS, "one");
	fx_gate(&a, "g2", PF_GATE_SKIP, "two");
	fx_gate(&b, "g3", PF_GATE_ERROR, "three");
	fx_gate(&b, "g4", PF_GATE_PASS, "four");
	fx_gate(&b, "g5", PF_GATE_PASS, "five");
	const pf_gate_list *lists[] = {&b, &a};
	pf_decision *d = decide(&h, lists, 2, NULL);

	cr_assert_eq(d->gates.n, 5);
	const pf_gate_result *want[] = {&b.v[0], &b.v[1], &b.v[2], &a.v[0],
	    &a.v[1]};
	for (size_t i = 0; i < 5; i++)
		cr_assert(memcmp(&d->gates.v[i], want[i], sizeof(*want[i])) ==
		    0, "gate %zu is %s", i, d->gates.v[i].id);
	/* copies: the lists may go away */
	cr_assert_neq(d->gates.v, a.v);
	cr_assert_neq(d->gates.v, b.v);
	cr_assert_eq(d->nfailed, 0);
	cr_assert_eq(pf_decision_exit(d), 0);
	/* an error or a skip does not fail the run */
	cr_assert_str_eq(d->verdict, "INCONCLUSIVE");
	pf_decision_free(d);
	pf_gate_list_clear(&a);
	pf_gate_list_clear(&b);
}

static pf_exp_result
exp_result(const char *name, int status, const char *msg)
{
	pf_exp_result x = {.status = status};

	snprintf(x.name, sizeof(x.name), "%s", name);
	snprintf(x.message, sizeof(x.message), "%s", msg);
	return x;
}

/* Two expectations on two stacks: the first only the control breaks
   (skipped), the second the treatment breaks (judged, failed). */
static void
two_expectations(pf_exp_result v[4])
{
	v[0] = exp_result("q1/d1 max_rank 3: ctl", PF_GATE_SKIP,
	    "the control, not judged: d1 is at rank 5, beyond max_rank 3");
	v[1] = exp_result("q1/d1 max_rank 3: trt", PF_GATE_PASS, "ok");
	v[2] = exp_result("q2/d7 max_rank 1: ctl", PF_GATE_PASS, "ok");
	v[3] = exp_result("q2/d7 max_rank 1: trt", PF_GATE_FAIL,
	    "d7 is at rank 2, beyond max_rank 1");
}

Test(verdict, a_judged_failing_expectation_gives_do_not_request)
{
	hand h;
	pf_exp_result v[4];
	pf_expectations e = {v, 4, 1};
	pf_gate_list ok = {0};

	two_expectations(v);
	setup(&h, 0.05, 0.02, 0.08, 0.001, 30);
	fx_gate(&ok, "fine", PF_GATE_PASS, "fine");
	const pf_gate_list *lists[] = {&ok};
	pf_decision *d = decide(&h, lists, 1, &e);
	cr_assert_str_eq(d->verdict, "DO NOT REQUEST");
	cr_assert_str_eq(d->why, "1 expectation failed; first: q2/d7 max_rank "
	    "1: trt (d7 is at rank 2, beyond max_rank 1).");
	cr_assert_eq(d->exps, &e);
	cr_assert_eq(d->nfailed, 0);
	cr_assert_eq(pf_decision_exit(d), 1);
	pf_decision_free(d);

	/* a failing gate is named before any expectation */
	fx_gate(&ok, "g", PF_GATE_FAIL, "x");
	d = decide(&h, lists, 1, &e);
	cr_assert(strncmp(d->why, "1 gate failed; first: g: ", 25) == 0, "%s",
	    d->why);
	pf_decision_free(d);
	pf_gate_list_clear(&ok);
}

Test(verdict, an_expectation_only_the_control_breaks_does_not_decide)
{
	hand h;
	pf_exp_result v[4];
	pf_expectations e = {v, 2, 0};	/* the first expectation only */

	two_expectations(v);
	setup(&h, 0.05, 0.02, 0.08, 0.001, 30);
	pf_decision *d = decide(&h, NULL, 0, &e);
	cr_assert_str_eq(d->verdict, "REQUEST A SLOT");
	cr_assert_eq(pf_decision_exit(d), 0);
	pf_decision_free(d);
}

Test(verdict, a_significant_regression_gives_do_not_request_with_exit_0)
{
	hand h;

	setup(&h, -0.04, -0.07, -0.01, 0.002, 25);
	pf_decision *d = decide(&h, NULL, 0, NULL);
	cr_assert_str_eq(d->verdict, "DO NOT REQUEST");
	cr_assert_str_eq(d->why, "ndcg_cut_10 is a significant regression: "
	    "-0.0400 [95% CI -0.0700, -0.0100], Holm p 0.0020.");
	/* no gate or expectation failed: the exit code says so */
	cr_assert_eq(pf_decision_exit(d), 0);
	pf_decision_free(d);

	/* not significant after Holm, or a CI reaching 0: no verdict on it */
	cr_assert_str_eq(verdict_on(-0.04, -0.07, -0.01, 0.05), "INCONCLUSIVE");
	cr_assert_str_eq(verdict_on(-0.04, -0.07, 0.0, 0.002), "INCONCLUSIVE");
}

Test(verdict,
    request_a_slot_needs_min_effect_a_ci_above_0_and_holm_p_below_alpha)
{
	hand h;

	setup(&h, 0.01, 0.004, 0.02, 0.01, 30);	/* delta == min_effect */
	pf_decision *d = decide(&h, NULL, 0, NULL);
	cr_assert_str_eq(d->verdict, "REQUEST A SLOT");
	cr_assert_str_eq(d->why, "ndcg_cut_10 +0.0100 (+2.00%) [95% CI "
	    "+0.0040, +0.0200], Holm p 0.0100; 21 wins, 12 losses, 7 ties.");
	cr_assert_eq(pf_decision_exit(d), 0);
	pf_decision_free(d);

	struct {
		double delta, lo, padj;
		const char *why;
	} no[] = {
		{0.0099, 0.004, 0.01, "delta below min-effect"},
		{0.02, 0.0, 0.01, "CI reaches 0"},
		{0.02, -0.001, 0.01, "CI includes 0"},
		{0.02, 0.004, 0.05, "Holm p equals alpha"},
		{0.02, 0.004, 0.2, "Holm p above alpha"},
	};
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_assert_str_eq(verdict_on(no[i].delta, no[i].lo, 0.03,
		    no[i].padj), "INCONCLUSIVE", "%s", no[i].why);
	/* with min-effect 0 any significant gain will do */
	setup(&h, 0.0002, 0.0001, 0.0003, 0.001, 60);
	h.rule.min_effect = 0;
	d = decide(&h, NULL, 0, NULL);
	cr_assert_str_eq(d->verdict, "REQUEST A SLOT");
	pf_decision_free(d);
}

Test(verdict, inconclusive_says_how_many_queries_a_test_would_need)
{
	hand h;

	setup(&h, 0.006, -0.002, 0.014, 0.3, 212.4);
	pf_decision *d = decide(&h, NULL, 0, NULL);
	cr_assert_str_eq(d->verdict, "INCONCLUSIVE");
	cr_assert_str_eq(d->why, "ndcg_cut_10 +0.0060 [95% CI -0.0020, "
	    "+0.0140], Holm p 0.3000: needs about 212 queries to detect "
	    "+0.0060 at 80% power (has 40).");
	cr_assert_eq(pf_decision_exit(d), 0);
	pf_decision_free(d);
}

Test(verdict, inconclusive_without_a_difference_says_so)
{
	hand h;
	const double none[] = {INFINITY, NAN};

	for (size_t i = 0; i < 2; i++) {
		setup(&h, 0.0, 0.0, 0.0, 1.0, none[i]);
		pf_decision *d = decide(&h, NULL, 0, NULL);
		cr_assert_str_eq(d->verdict, "INCONCLUSIVE");
		cr_assert_str_eq(d->why, "ndcg_cut_10 +0.0000: no difference "
		    "to detect.");
		pf_decision_free(d);
	}
}

Test(verdict, one_stack_or_no_primary_is_nothing_to_compare)
{
	hand h;

	setup(&h, 0.05, 0.02, 0.08, 0.001, 30);
	h.m.nstacks = 1;
	pf_decision *d = decide(&h, NULL, 0, NULL);
	cr_assert_str_eq(d->verdict, "INCONCLUSIVE");
	cr_assert_str_eq(d->why, "nothing to compare");
	cr_assert(strstr(d->rule, "its ndcg_cut_10 versus ctl") != NULL, "%s",
	    d->rule);
	pf_decision_free(d);

	/* a failing gate still decides a one-stack run */
	pf_gate_list l = {0};
	fx_gate(&l, "floor", PF_GATE_FAIL, "below");
	const pf_gate_list *lists[] = {&l};
	d = decide(&h, lists, 1, NULL);
	cr_assert_str_eq(d->verdict, "DO NOT REQUEST");
	cr_assert_eq(pf_decision_exit(d), 1);
	pf_decision_free(d);
	pf_gate_list_clear(&l);

	setup(&h, 0.05, 0.02, 0.08, 0.001, 30);
	h.m.primary = -1;
	d = decide(&h, NULL, 0, NULL);
	cr_assert_str_eq(d->verdict, "INCONCLUSIVE");
	cr_assert_str_eq(d->why, "nothing to compare");
	pf_decision_free(d);
}

Test(verdict, the_rule_is_spelled_out_with_its_parameters)
{
	hand h;

	setup(&h, 0.05, 0.02, 0.08, 0.001, 30);
	h.rule = (pf_verdict_rule){.min_effect = 0.0125, .alpha = 0.01};
	pf_decision *d = decide(&h, NULL, 0, NULL);
	cr_assert_str_eq(d->rule, "For each treatment: REQUEST A SLOT when its "
	    "ndcg_cut_10 versus ctl improves by at least 0.0125, its 95% "
	    "bootstrap CI excludes 0 and its Holm-adjusted randomization p is "
	    "below 0.01, with no gate or expectation of it failing; DO NOT "
	    "REQUEST when one fails or ndcg_cut_10 is a significant regression; "
	    "otherwise INCONCLUSIVE. Overall: DO NOT REQUEST when any gate or "
	    "expectation fails, REQUEST A SLOT when a treatment earns one, DO "
	    "NOT REQUEST when every treatment is refused, otherwise "
	    "INCONCLUSIVE.");
	pf_decision_free(d);
	/* a zero min-effect is left out, not printed as "at least +0.0000" */
	h.rule.min_effect = 0;
	d = decide(&h, NULL, 0, NULL);
	cr_assert(strstr(d->rule, "versus ctl improves, its 95%") != NULL, "%s",
	    d->rule);
	pf_decision_free(d);
}

/* The declared gates close the rule with their thresholds as written. */
Test(verdict, the_rule_names_every_declared_gate_with_its_threshold)
{
	hand h;
	pf_scn_gate g[2] = {
		{.id = "no_loss", .metric = "ndcg_cut_10", .has_min_delta = 1,
		    .min_delta = -0.02, .on_ci = 1},
		{.id = "floor", .metric = "P_10", .stack = "trt", .has_min = 1,
		    .min = 0.3, .against = "last-pass"},
	};
	pf_scenario s = {.gates = g, .ngates = 2, .lift_on = 1,
	    .lift_has_min = 1, .lift_min = 0.005,
	    .expectations = "/x/golden/expectations.tsv"};

	setup(&h, 0.05, 0.02, 0.08, 0.001, 30);
	h.rule.scn = &s;
	pf_decision *d = decide(&h, NULL, 0, NULL);
	const char *tail = strstr(d->rule, "otherwise INCONCLUSIVE. Gates:");
	cr_assert(tail != NULL, "%s", d->rule);
	cr_assert_str_eq(tail + strlen("otherwise INCONCLUSIVE."), " Gates: "
	    "no_loss (ndcg_cut_10 delta >= -0.02 on the CI lower bound), "
	    "floor (P_10 mean >= 0.3, stack trt, against the last passing "
	    "run), min_lift (predicted online lift >= +0.5%). Expectations: "
	    "expectations.tsv.");
	pf_decision_free(d);
}

/* Three stacks: trt1 and trt2 against ctl, each with its comparison. */
typedef struct three {
	pf_stack_result	 st[3];
	pf_measured	 m;
	pf_cmp		 cmp[2];
	double		 p_adj[2];
	pf_comparison	 c;
	pf_verdict_rule	 rule;
} three;

/* Treatment i's delta: +0.05 significant (a slot), 0 (inconclusive) or
   -0.05 significant (a regression). */
static void
setup3(three *t, double d1, double d2)
{
	double d[2] = {d1, d2};

	memset(t, 0, sizeof(*t));
	t->st[0].id = "ctl";
	t->st[1].id = "trt1";
	t->st[2].id = "trt2";
	t->m = (pf_measured){.nstacks = 3, .nv = 1, .primary = 0,
	    .primary_name = "ndcg_cut_10", .stacks = t->st};
	for (int i = 0; i < 2; i++) {
		int sig = d[i] != 0;
		t->cmp[i] = (pf_cmp){.n = 40, .mean_a = 0.5, .mean_b = 0.5 +
		    d[i], .delta = d[i], .lo = d[i] - 0.02, .hi = d[i] + 0.02,
		    .n_needed = sig ? 20 : INFINITY, .wins = 10, .losses = 5};
		t->p_adj[i] = sig ? 0.001 : 0.9;
	}
	t->c = (pf_comparison){.nt = 2, .nv = 1, .cmp = t->cmp,
	    .p_adj = t->p_adj};
	t->rule = (pf_verdict_rule){.min_effect = 0.01, .alpha = 0.05};
}

static pf_decision *
decide3(const three *t, const pf_gate_list *gates)
{
	const pf_gate_list *lists[] = {gates};
	pf_decision *d;
	pf_err err = {0};

	cr_assert_eq(pf_decide(&d, &t->m, &t->c, lists, gates ? 1 : 0, NULL,
	    &t->rule, &err), PF_OK, "%s", err.msg);
	cr_assert_eq(d->nper, 2);
	cr_assert_eq(d->per[0].stack, 1);
	cr_assert_eq(d->per[1].stack, 2);
	return d;
}

Test(verdict, each_treatment_gets_its_own_verdict_and_the_run_one_overall)
{
	three t;
	pf_decision *d;

	setup3(&t, 0.05, 0);	/* a slot and an inconclusive one */
	d = decide3(&t, NULL);
	cr_assert_str_eq(d->per[0].verdict, "REQUEST A SLOT");
	cr_assert_str_eq(d->per[1].verdict, "INCONCLUSIVE");
	cr_assert_str_eq(d->verdict, "REQUEST A SLOT");
	cr_assert(strncmp(d->why, "trt1 earns one: ndcg_cut_10 +0.0500", 35) ==
	    0, "%s", d->why);
	cr_assert_eq(pf_decision_exit(d), 0);
	pf_decision_free(d);

	setup3(&t, -0.05, -0.05);	/* both refused */
	d = decide3(&t, NULL);
	cr_assert_str_eq(d->per[0].verdict, "DO NOT REQUEST");
	cr_assert_str_eq(d->verdict, "DO NOT REQUEST");
	cr_assert(strncmp(d->why, "every treatment is refused; trt1: ", 34) ==
	    0, "%s", d->why);
	pf_decision_free(d);

	setup3(&t, -0.05, 0);	/* refused and inconclusive */
	d = decide3(&t, NULL);
	cr_assert_str_eq(d->verdict, "INCONCLUSIVE");
	cr_assert(strncmp(d->why, "no treatment earns a slot; trt1: ", 33) ==
	    0, "%s", d->why);
	pf_decision_free(d);
}

Test(verdict, a_gate_on_one_treatment_refuses_it_and_the_run_not_the_other)
{
	three t;
	pf_gate_list l = {0};

	setup3(&t, 0.05, 0.05);
	fx_gate(&l, "trt2_floor", PF_GATE_FAIL, "below");
	l.v[0].stack = 2;
	pf_decision *d = decide3(&t, &l);
	cr_assert_str_eq(d->per[0].verdict, "REQUEST A SLOT");
	cr_assert_str_eq(d->per[1].verdict, "DO NOT REQUEST");
	cr_assert(strstr(d->per[1].why, "1 gate failed; first: trt2_floor")
	    != NULL, "%s", d->per[1].why);
	/* overall: any failed gate refuses the run (exit 1 says the same) */
	cr_assert_str_eq(d->verdict, "DO NOT REQUEST");
	cr_assert_eq(pf_decision_exit(d), 1);
	pf_decision_free(d);
	pf_gate_list_clear(&l);

	/* a gate on the control judges every treatment */
	setup3(&t, 0.05, 0.05);
	fx_gate(&l, "ctl_floor", PF_GATE_FAIL, "below");
	l.v[0].stack = 0;
	d = decide3(&t, &l);
	cr_assert_str_eq(d->per[0].verdict, "DO NOT REQUEST");
	cr_assert_str_eq(d->per[1].verdict, "DO NOT REQUEST");
	pf_decision_free(d);
	pf_gate_list_clear(&l);
}

Test(verdict, counts_print_with_separators_and_zero_without_a_sign)
{
	hand h;
	pf_decision *d;

	setup(&h, 0.00004, -0.00002, -0.00001, 0.9, 3656980.4);
	d = decide(&h, NULL, 0, NULL);
	cr_assert_str_eq(d->why, "ndcg_cut_10 +0.0000 [95% CI +0.0000, "
	    "+0.0000], Holm p 0.9000: needs more than 1,000,000 queries to "
	    "detect +0.0000 at 80% power (has 40).");
	pf_decision_free(d);
	setup(&h, 0.02, -0.01, 0.05, 0.4, 12345);
	d = decide(&h, NULL, 0, NULL);
	cr_assert(strstr(d->why, "needs about 12,345 queries") != NULL, "%s",
	    d->why);
	pf_decision_free(d);
	setup(&h, 0.404, 0.404, 0.404, 1, NAN);	/* one judged query */
	h.cmp.n = 1;
	d = decide(&h, NULL, 0, NULL);
	cr_assert_str_eq(d->why, "ndcg_cut_10 +0.4040 on 1 judged query: too "
	    "few to test.");
	pf_decision_free(d);
}

Test(verdict, exit_is_1_exactly_when_a_gate_or_a_judged_expectation_failed)
{
	static const int gst[] = {-1, PF_GATE_PASS, PF_GATE_FAIL,
	    PF_GATE_ERROR, PF_GATE_SKIP};
	static const int est[] = {-1, PF_GATE_PASS, PF_GATE_FAIL,
	    PF_GATE_SKIP};
	/* whatever the primary says: a regression, a gain, nothing */
	static const double deltas[] = {-0.04, 0.05, 0.0};
	hand h;

	for (size_t a = 0; a < 5; a++)
		for (size_t b = 0; b < 4; b++)
			for (size_t p = 0; p < 3; p++) {
				pf_gate_list l = {0};
				pf_exp_result x = exp_result("e", est[b] < 0 ?
				    0 : est[b], "m");
				pf_expectations e = {&x, est[b] >= 0,
				    est[b] == PF_GATE_FAIL};
				if (gst[a] >= 0)
					fx_gate(&l, "g", gst[a], "m");
				setup(&h, deltas[p], deltas[p] - 0.03,
				    deltas[p] + 0.03, 0.001, 30);
				const pf_gate_list *lists[] = {&l};
				pf_decision *d = decide(&h, lists, 1, &e);
				int want = gst[a] == PF_GATE_FAIL ||
				    est[b] == PF_GATE_FAIL;
				cr_assert_eq(pf_decision_exit(d), want,
				    "gate %d expectation %d delta %g", gst[a],
				    est[b], deltas[p]);
				if (want)
					cr_assert_str_eq(d->verdict,
					    "DO NOT REQUEST");
				pf_decision_free(d);
				pf_gate_list_clear(&l);
			}
}

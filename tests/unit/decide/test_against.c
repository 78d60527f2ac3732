/*
 * test_against.c — gates against a stored run (harness/decide/gates.h,
 * against="last-pass" / "label:k=v") with references set by hand: a
 * paired delta computed on the common queries only (a stored query
 * tonight lacks, and tonight's query the run lacks, are left out), pass
 * and fail on the estimate and on the CI lower bound, the exact
 * randomization p of a constant shift, the control judged too, skipped
 * (never passed) with the reason when there is no reference run or too
 * few common queries; and the load-time checks (no history, interleave).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/decide/gates.h"
#include "decide_fixture.h"

TestSuite(against, .init = fx_mkdir, .fini = fx_rmdir);

#define NQ	12

typedef struct setup_ {
	pf_golden	*g;
	pf_measured	 m;
	size_t		 map;
} setup_;

/* q01..q12 judged; ctl 0.5 everywhere, t1 0.1 * (q mod 5) + 0.2. */
static void
setup(setup_ *s)
{
	static const char *const metrics[] = {"map", NULL};
	static const char *const ids[] = {"ctl", "t1", NULL};
	char queries[512] = "qid\ttext\n", qrels[512] = "";
	pf_err err = {0};

	memset(s, 0, sizeof(*s));
	for (int q = 1; q <= NQ; q++) {
		char l[64];
		snprintf(l, sizeof(l), "q%02d\tt\n", q);
		strcat(queries, l);
		snprintf(l, sizeof(l), "q%02d 0 d 1\n", q);
		strcat(qrels, l);
	}
	s->g = fx_golden(queries, qrels, NULL);
	fx_measured(&s->m, s->g, metrics, ids, "map");
	s->map = fx_vi(&s->m, "map");
	for (size_t q = 0; q < NQ; q++) {
		s->m.stacks[0].values[q * s->m.nv + s->map] = 0.5;
		s->m.stacks[1].values[q * s->m.nv + s->map] = 0.2 +
		    0.1 * (double)(q % 5);
	}
	cr_assert_eq(pf_measured_summarize(&s->m, &err), PF_OK);
}

static void
teardown(setup_ *s)
{
	pf_measured_clear(&s->m);
	pf_golden_free(s->g);
}

/*
 * A reference of gate gi on stack k from run `run`: tonight's values of k
 * plus shift on queries first..last (1-based), and a query "q99" tonight
 * lacks.
 */
static void
ref(pf_gate_refs *r, const setup_ *s, size_t gi, size_t k, int64_t run,
    int first, int last, double shift)
{
	pf_gate_ref *x = pf_gate_refs_add(r);
	size_t n = 0;

	cr_assert_not_null(x);
	*x = (pf_gate_ref){.gate = gi, .stack = k, .run = run};
	snprintf(x->run_desc, sizeof(x->run_desc), "run %lld of T",
	    (long long)run);
	snprintf(x->why, sizeof(x->why), "no earlier run: nothing to compare "
	    "with yet");
	if (run == 0)
		return;
	cr_assert_not_null(x->qid = calloc(NQ + 2, sizeof(char *)));
	cr_assert_not_null(x->value = calloc(NQ + 2, sizeof(double)));
	for (int q = first; q <= last; q++) {
		x->qid[n] = strdup(s->g->qid[q - 1]);
		x->value[n++] = s->m.stacks[k].values[(size_t)(q - 1) *
		    s->m.nv + s->map] - shift;
	}
	x->qid[n] = strdup("q99");
	x->value[n++] = 0.0;
	x->n = n;
}

static pf_gate_list
eval(const setup_ *s, const pf_scn_gate *g, size_t n, const pf_gate_refs *r)
{
	static const pf_compare_opts co = {.seed = 3, .n_boot = 1000,
	    .n_perm = 1000, .alpha = 0.05, .tie_tol = 1e-9};
	pf_gate_defs defs = {g, n, "unit.xml", 0.05, 1, r, &co};
	pf_gate_list out = {0};
	pf_err err = {0};

	cr_assert_eq(pf_gates_eval(&out, &defs, &s->m, NULL, NULL, &err),
	    PF_OK, "%s", err.msg);
	return out;
}

Test(against, a_constant_drop_fails_with_the_paired_delta)
{
	setup_ s;
	pf_gate_refs r = {0};
	pf_scn_gate g = {.id = "lp", .metric = "map", .stack = "t1",
	    .against = "last-pass", .line = 9, .has_min_delta = 1,
	    .min_delta = -0.05};

	setup(&s);
	/* the reference 0.1 above tonight on every query: delta -0.1 */
	ref(&r, &s, 0, 1, 3, 1, NQ, -0.1);
	pf_gate_list l = eval(&s, &g, 1, &r);
	cr_assert_eq(l.n, 1);
	cr_assert_eq(l.v[0].status, PF_GATE_FAIL);
	cr_assert_str_eq(l.v[0].name, "lp: map delta against the last pass, "
	    "t1");
	/* 12 equal differences: 2 of the 4096 sign patterns as extreme */
	cr_assert_str_eq(l.v[0].message, "map delta -0.1000 [95% CI -0.1000, "
	    "-0.1000] below -0.0500 against run 3 (p=0.0005, 12 common "
	    "queries)", "%s", l.v[0].message);
	cr_assert(strstr(l.v[0].details, "reference: run 3 of T") != NULL);
	cr_assert(strstr(l.v[0].details, "gate:      lp (unit.xml:9), "
	    "against=\"last-pass\"") != NULL, "%s", l.v[0].details);
	pf_gate_list_clear(&l);
	pf_gate_refs_clear(&r);
	teardown(&s);
}

Test(against, common_queries_only_and_the_ci_lower_bound)
{
	setup_ s;
	pf_gate_refs r = {0};
	pf_scn_gate g[] = {
		{.id = "est", .metric = "map", .stack = "t1", .against =
		    "label:model=v41", .has_min_delta = 1, .min_delta = 0.0},
		{.id = "ci", .metric = "map", .stack = "ctl", .against =
		    "last-pass", .has_min_delta = 1, .on_ci = 1,
		    .min_delta = 0.0},
	};

	setup(&s);
	/* q01..q11 stored, 0.02 below tonight; q12 tonight only, q99
	   stored only: 11 common queries, delta +0.02 */
	ref(&r, &s, 0, 1, 5, 1, 11, 0.02);
	ref(&r, &s, 1, 0, 5, 1, 11, 0.02);
	pf_gate_list l = eval(&s, g, 2, &r);
	cr_assert_eq(l.n, 2);
	cr_assert_eq(l.v[0].status, PF_GATE_PASS, "%s", l.v[0].message);
	cr_assert_str_eq(l.v[0].name, "est: map delta against the last run "
	    "labelled model=v41, t1");
	cr_assert(strstr(l.v[0].message, "map delta +0.0200 [95% CI +0.0200, "
	    "+0.0200] at or above +0.0000 against run 5") != NULL, "%s",
	    l.v[0].message);
	cr_assert(strstr(l.v[0].message, "11 common queries") != NULL);
	/* the control is judged too; on the CI's lower bound */
	cr_assert_eq(l.v[1].stack, 0);
	cr_assert_eq(l.v[1].status, PF_GATE_PASS);
	cr_assert(strstr(l.v[1].message, "map delta CI lower bound +0.0200")
	    != NULL, "%s", l.v[1].message);
	pf_gate_list_clear(&l);
	pf_gate_refs_clear(&r);
	teardown(&s);
}

Test(against, skipped_without_a_reference_or_with_too_few_queries)
{
	setup_ s;
	pf_gate_refs r = {0};
	pf_scn_gate g[] = {
		{.id = "first", .metric = "map", .against = "last-pass",
		    .has_min_delta = 1, .min_delta = 0.0},
		{.id = "few", .metric = "map", .against = "last-pass",
		    .has_min_delta = 1, .min_delta = 0.0},
	};

	setup(&s);
	ref(&r, &s, 0, 1, 0, 0, 0, 0);	/* the first night */
	ref(&r, &s, 1, 1, 2, 1, PF_AGAINST_MIN_QUERIES - 1, -1.0);
	pf_gate_list l = eval(&s, g, 2, &r);
	cr_assert_eq(l.n, 2, "no stack: every treatment (t1)");
	cr_assert_eq(l.v[0].status, PF_GATE_SKIP);
	cr_assert_str_eq(l.v[0].message, "no earlier run: nothing to compare "
	    "with yet");
	cr_assert_eq(l.v[1].status, PF_GATE_SKIP, "a drop of 1 on 9 queries "
	    "is not judged");
	cr_assert_str_eq(l.v[1].message, "only 9 judged queries in common "
	    "with run 2 of T (at least 10 needed)", "%s", l.v[1].message);
	pf_gate_list_clear(&l);
	pf_gate_refs_clear(&r);
	teardown(&s);
}

Test(against, refused_at_load_without_a_history_or_on_interleave)
{
	setup_ s;
	pf_diags d = {0};
	pf_scn_gate g[] = {
		{.id = "a", .metric = "map", .against = "last-pass", .line = 4,
		    .has_min_delta = 1},
		{.id = "b", .metric = "interleave", .against = "last-pass",
		    .line = 5, .has_min_delta = 1},
		{.id = "c", .metric = "map", .stack = "ctl", .against =
		    "last-pass", .line = 6, .has_min_delta = 1},
	};
	pf_gate_defs compare = {g, 1, "g.xml", 0.05, 0, NULL, NULL};
	pf_gate_defs run = {g, 3, "s.xml", 0.05, 1, NULL, NULL};

	setup(&s);
	cr_assert_eq(pf_gates_check(&compare, &s.m, 0, &d), PF_EFORMAT);
	cr_assert_eq(d.n, 1);
	cr_assert(strstr(d.msg[0], "g.xml:4: gate 'a': against=\"last-pass\" "
	    "compares with a run stored in a history") != NULL, "%s",
	    d.msg[0]);
	memset(&d, 0, sizeof(d));
	cr_assert_eq(pf_gates_check(&run, &s.m, 1, &d), PF_EFORMAT);
	cr_assert_eq(d.n, 1, "only b: a gate on the control may take "
	    "min-delta against a stored run");
	cr_assert(strstr(d.msg[0], "s.xml:5: gate 'b': the history keeps no "
	    "per-query interleaving outcome") != NULL, "%s", d.msg[0]);
	teardown(&s);
}

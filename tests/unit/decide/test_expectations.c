/*
 * test_expectations.c — expectations.tsv checked on every stack's ranking
 * (harness/decide/expectations.h), rankings set by hand: a document found
 * within or beyond max_rank, a document absent from the ranking, a query
 * the golden set lacks (skipped on every stack), and the control's broken
 * expectation shown as skipped when there are treatments but judged when
 * it is the only stack; one result per (expectation, stack), expectation
 * first, with the file's line and the top ten in the details.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/decide/expectations.h"
#include "decide_fixture.h"

TestSuite(expectations, .init = fx_mkdir, .fini = fx_rmdir);

static const char exp_tsv[] =
    "# qid docid max_rank\n"
    "q1\tdA\t2\n"	/* 2: ctl rank 2, trt rank 1: within */
    "q1\tdB\t1\n"	/* 3: rank 3 on both: beyond */
    "q2\tdZ\t5\n"	/* 4: in no ranking */
    "q9\tdA\t1\n";	/* 5: q9 is not in the golden set */

typedef struct setup_ {
	pf_golden	*g;
	pf_measured	 m;
} setup_;

static void
setup(setup_ *s, const char *const *ids)
{
	static const char *const metrics[] = {"P.1", NULL};

	s->g = fx_golden("qid\ttext\nq1\tone\nq2\ttwo\n",
	    "q1 0 dA 1\nq2 0 dX 1\n", exp_tsv);
	fx_measured(&s->m, s->g, metrics, ids, "P_1");
	for (size_t k = 0; k < s->m.nstacks; k++) {
		fx_rank(&s->m, s->g, k, 0, k == 1 ?
		    (const char *[]){"dA", "dC", "dB", NULL} :
		    (const char *[]){"dC", "dA", "dB", NULL});
		fx_rank(&s->m, s->g, k, 1, (const char *[]){"dX", "dY", NULL});
	}
}

/* setup, then every expectation checked into e. */
static void
check(setup_ *s, const char *const *ids, pf_expectations *e)
{
	pf_err err = {0};

	setup(s, ids);
	cr_assert_eq(pf_expect_check(e, &s->m, &err), PF_OK, "%s", err.msg);
}

static void
teardown(setup_ *s)
{
	pf_measured_clear(&s->m);
	pf_golden_free(s->g);
}

/* One expected result: expectation, stack, status, rank, name, message. */
typedef struct want {
	size_t		 exp, stack;
	int		 status;
	long		 rank;
	const char	*name, *msg;
} want;

/* Results from (expectation, stack) at index `at` on are w[0..n). */
static void
assert_exps(const pf_expectations *e, size_t at, const want *w, size_t n)
{
	cr_assert_leq(at + n, e->n);
	for (size_t i = 0; i < n; i++) {
		const pf_exp_result *x = &e->v[at + i];
		cr_assert_eq(x->exp, w[i].exp, "result %zu", at + i);
		cr_assert_eq(x->stack, w[i].stack, "result %zu", at + i);
		cr_assert_eq(x->status, w[i].status, "result %zu: %s", at + i,
		    x->message);
		cr_assert_eq(x->rank, w[i].rank, "result %zu", at + i);
		cr_assert_str_eq(x->name, w[i].name, "result %zu", at + i);
		cr_assert_str_eq(x->message, w[i].msg, "result %zu", at + i);
	}
}

Test(expectations, treatments_are_judged_and_the_control_is_shown_skipped)
{
	static const char *const ids[] = {"ctl", "trt", NULL};
	setup_ s;
	pf_expectations e;

	check(&s, ids, &e);
	cr_assert_eq(e.n, 8);
	static const want w[] = {
		{0, 0, PF_GATE_PASS, 2, "q1/dA max_rank 2: ctl",
		    "dA is at rank 2, within max_rank 2"},
		{0, 1, PF_GATE_PASS, 1, "q1/dA max_rank 2: trt",
		    "dA is at rank 1, within max_rank 2"},
		{1, 0, PF_GATE_SKIP, 3, "q1/dB max_rank 1: ctl",
		    "the control, not judged: dB is at rank 3, "
		    "beyond max_rank 1"},
		{1, 1, PF_GATE_FAIL, 3, "q1/dB max_rank 1: trt",
		    "dB is at rank 3, beyond max_rank 1"},
		{2, 0, PF_GATE_SKIP, 0, "q2/dZ max_rank 5: ctl",
		    "the control, not judged: dZ is not in the "
		    "ranking of query q2"},
		{2, 1, PF_GATE_FAIL, 0, "q2/dZ max_rank 5: trt",
		    "dZ is not in the ranking of query q2"},
		{3, 0, PF_GATE_SKIP, 0, "q9/dA max_rank 1: ctl",
		    "query 'q9' is not in the golden set"},
		{3, 1, PF_GATE_SKIP, 0, "q9/dA max_rank 1: trt",
		    "query 'q9' is not in the golden set"},
	};
	assert_exps(&e, 0, w, 8);
	cr_assert_eq(e.nfailed, 2);
	pf_expectations_clear(&e);
	cr_assert_eq(e.n, 0);
	cr_assert_null(e.v);
	teardown(&s);
}

Test(expectations,
    every_treatment_is_judged_and_an_unknown_query_is_skipped_on_each)
{
	static const char *const ids[] = {"ctl", "trt", "trt2", NULL};
	setup_ s;
	pf_expectations e;

	check(&s, ids, &e);
	cr_assert_eq(e.n, 12);
	/* trt2 ranks like the control, but it is judged */
	static const want w[] = {
		{1, 2, PF_GATE_FAIL, 3, "q1/dB max_rank 1: trt2",
		    "dB is at rank 3, beyond max_rank 1"},
	};
	assert_exps(&e, 5, w, 1);
	for (size_t k = 0; k < 3; k++)
		cr_assert_eq(e.v[9 + k].status, PF_GATE_SKIP);
	cr_assert_eq(e.nfailed, 4);
	pf_expectations_clear(&e);
	teardown(&s);
}

Test(expectations, a_lone_control_is_judged)
{
	static const char *const ids[] = {"nightly", NULL};
	setup_ s;
	pf_expectations e;

	check(&s, ids, &e);
	cr_assert_eq(e.n, 4);
	static const want w[] = {
		{1, 0, PF_GATE_FAIL, 3, "q1/dB max_rank 1: nightly",
		    "dB is at rank 3, beyond max_rank 1"},
		{2, 0, PF_GATE_FAIL, 0, "q2/dZ max_rank 5: nightly",
		    "dZ is not in the ranking of query q2"},
	};
	assert_exps(&e, 1, w, 2);
	cr_assert_eq(e.v[3].status, PF_GATE_SKIP);
	cr_assert_eq(e.nfailed, 2);
	pf_expectations_clear(&e);
	teardown(&s);
}

Test(expectations, details_give_the_file_line_and_the_top_ten)
{
	static const char *const ids[] = {"ctl", "trt", NULL};
	setup_ s;
	pf_expectations e;
	pf_err err = {0};
	char line[512];

	setup(&s, ids);
	/* twelve documents for q2 on trt: only ten are shown */
	free(s.m.stacks[1].doc[1]);
	free(s.m.stacks[1].score[1]);
	fx_rank(&s.m, s.g, 1, 1, (const char *[]){"e1", "e2", "e3", "e4",
	    "e5", "e6", "e7", "e8", "e9", "e10", "e11", "dZ", NULL});
	cr_assert_eq(pf_expect_check(&e, &s.m, &err), PF_OK);
	snprintf(line, sizeof(line), "expectation: %s:3\ntop: 1:dA 2:dC 3:dB",
	    s.g->exp_path);
	cr_assert_str_eq(e.v[3].details, line);
	snprintf(line, sizeof(line), "expectation: %s:4\ntop: 1:e1 2:e2 3:e3 "
	    "4:e4 5:e5 6:e6 7:e7 8:e8 9:e9 10:e10", s.g->exp_path);
	cr_assert_str_eq(e.v[5].details, line);
	/* found at 12, beyond 5 */
	cr_assert_eq(e.v[5].rank, 12);
	cr_assert_str_eq(e.v[5].message, "dZ is at rank 12, beyond max_rank 5");
	pf_expectations_clear(&e);
	teardown(&s);
}

Test(expectations, nothing_to_check_without_expectations_or_rankings)
{
	static const char *const metrics[] = {"P.1", NULL};
	static const char *const ids[] = {"ctl", "trt", NULL};
	pf_golden *g;
	pf_measured m;
	pf_expectations e;
	pf_err err = {0};

	/* expectations, but measurements without rankings (compare) */
	g = fx_golden("qid\ttext\nq1\tone\n", "q1 0 dA 1\n", exp_tsv);
	fx_measured(&m, g, metrics, ids, "P_1");
	cr_assert_eq(pf_expect_check(&e, &m, &err), PF_OK);
	cr_assert_eq(e.n, 0);
	cr_assert_eq(e.nfailed, 0);
	pf_measured_clear(&m);
	pf_golden_free(g);

	/* rankings, no expectations */
	g = fx_golden("qid\ttext\nq1\tone\n", "q1 0 dA 1\n", NULL);
	fx_measured(&m, g, metrics, ids, "P_1");
	fx_rank(&m, g, 0, 0, (const char *[]){"dA", NULL});
	cr_assert_eq(pf_expect_check(&e, &m, &err), PF_OK);
	cr_assert_eq(e.n, 0);
	cr_assert_null(e.v);
	pf_measured_clear(&m);
	pf_golden_free(g);
}

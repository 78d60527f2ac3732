/*
 * test_treceval.c — trec_eval's measures on hand-computed cases
 * (TREC_EVAL.md 1.3 and 1.7): ties are the caller's order, negative grades,
 * empty topics, topics with nothing relevant, cutoffs beyond the list, -J,
 * -M, and the `-m` parser's refusals.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/treceval.h"

#define NP	PF_TE_NONPOOL
#define UJ	PF_TE_UNJUDGED

static pf_te_spec *
spec(const char *const *m, size_t n)
{
	pf_te_spec *s;
	pf_err err = {0};

	cr_assert_eq(pf_te_spec_new(&s), PF_OK);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(pf_te_spec_add(s, m[i], &err), PF_OK, "%s: %s",
		    m[i], err.msg);
	cr_assert_eq(pf_te_spec_finish(s, &err), PF_OK);
	return s;
}

/* Evaluates one topic and returns the value named `name`. */
static double
value(pf_te_spec *s, const pf_te_opts *o, const int32_t *rel, size_t n,
    const int32_t *qrels, size_t nq, const char *name)
{
	double v[256];
	char str[64];
	pf_te_topic t = {.rel = rel, .nret = n, .qrels = qrels, .nqrels = nq};
	long i = pf_te_value_index(s, name);

	cr_assert_geq(i, 0, "no value %s", name);
	cr_assert_leq(pf_te_spec_nvalues(s), 256);
	cr_assert_eq(pf_te_eval_topic(s, o, &t, v, str, sizeof(str)), PF_OK);
	return v[i];
}

#define NEAR(a, b)	cr_assert(fabs((a) - (b)) < 5e-5, "%.6f != %.6f", \
			    (double)(a), (double)(b))

/*
 * TREC_EVAL.md 1.7, checked with trec_eval 10.0: qrels a=2 b=0 c=1; run
 * a b c tied at 1.0 and d at 0.5, so the ranking is c b a d.
 */
Test(treceval, toy_case_from_trec_eval)
{
	const char *m[] = {"ndcg", "ndcg_cut.1", "map", "P.5", "recip_rank"};
	pf_te_spec *s = spec(m, 5);
	pf_te_opts o;
	int32_t rel[] = {1, 0, 2, NP}, q[] = {2, 1, 0};

	pf_te_opts_init(&o);
	/* (1 + 2/log2 4) / (2 + 1/log2 3) */
	NEAR(value(s, &o, rel, 4, q, 3, "ndcg"), 2.0 / (2.0 + 1.0 / log2(3)));
	NEAR(value(s, &o, rel, 4, q, 3, "ndcg"), 0.7602);
	NEAR(value(s, &o, rel, 4, q, 3, "ndcg_cut_1"), 0.5);
	NEAR(value(s, &o, rel, 4, q, 3, "map"), (1.0 + 2.0 / 3.0) / 2.0);
	/* k larger than the list: the denominator is still k */
	NEAR(value(s, &o, rel, 4, q, 3, "P_5"), 2.0 / 5.0);
	NEAR(value(s, &o, rel, 4, q, 3, "recip_rank"), 1.0);
	/* -l2: only a counts; ndcg keeps its raw-grade gains */
	o.level = 2;
	NEAR(value(s, &o, rel, 4, q, 3, "map"), 1.0 / 3.0);
	NEAR(value(s, &o, rel, 4, q, 3, "ndcg"), 0.7602);
	pf_te_spec_free(s);
}

Test(treceval, topic_without_relevant_documents_scores_zero)
{
	const char *m[] = {"official", "ndcg", "infAP", "recall.5"};
	pf_te_spec *s = spec(m, 4);
	pf_te_opts o;
	int32_t rel[] = {0, 0, NP}, q[] = {0, 0};

	pf_te_opts_init(&o);
	NEAR(value(s, &o, rel, 3, q, 2, "map"), 0.0);
	NEAR(value(s, &o, rel, 3, q, 2, "ndcg"), 0.0);
	NEAR(value(s, &o, rel, 3, q, 2, "P_5"), 0.0);
	NEAR(value(s, &o, rel, 3, q, 2, "Rprec"), 0.0);
	NEAR(value(s, &o, rel, 3, q, 2, "bpref"), 0.0);
	NEAR(value(s, &o, rel, 3, q, 2, "recall_5"), 0.0);
	NEAR(value(s, &o, rel, 3, q, 2, "num_rel"), 0.0);
	NEAR(value(s, &o, rel, 3, q, 2, "num_ret"), 3.0);
	NEAR(value(s, &o, rel, 3, q, 2, "iprec_at_recall_0.00"), 0.0);
	pf_te_spec_free(s);
}

Test(treceval, empty_and_missing_topics)
{
	const char *m[] = {"official", "relstring.3"};
	pf_te_spec *s = spec(m, 2);
	pf_te_opts o;
	int32_t q[] = {2, 1, 0};
	double v[128];
	char str[16] = "junk";
	pf_te_topic t = {.rel = NULL, .nret = 0, .qrels = q, .nqrels = 3,
	    .missing = 1};

	pf_te_opts_init(&o);
	cr_assert_eq(pf_te_eval_topic(s, &o, &t, v, str, sizeof(str)), PF_OK);
	for (size_t i = 0; i < pf_te_spec_nvalues(s); i++) {
		char name[64];
		pf_te_value_name(s, i, name, sizeof(name));
		if (strcmp(name, "num_rel") == 0)
			NEAR(v[i], 2.0);	/* the qrels still count */
		else
			NEAR(v[i], 0.0);
	}
	cr_assert_str_eq(str, "-");
	pf_te_spec_free(s);
}

Test(treceval, negative_grades_are_unjudged_not_nonrelevant)
{
	const char *m[] = {"bpref", "infAP", "map", "relstring"};
	pf_te_spec *s = spec(m, 4);
	pf_te_opts o;
	/* qrels x=-1 y=1 z=0; run x y w z (w not in the qrels) */
	int32_t rel[] = {UJ, 1, NP, 0}, q[] = {1, 0, -1};
	double v[8];
	char str[16];
	pf_te_topic t = {.rel = rel, .nret = 4, .qrels = q, .nqrels = 3};

	pf_te_opts_init(&o);
	/* bpref skips x: y has no judged nonrelevant document above it */
	NEAR(value(s, &o, rel, 4, q, 3, "bpref"), 1.0);
	/* infAP at j=1: 1/2 + 1/2 * (1/1) * (eps / 2eps) */
	NEAR(value(s, &o, rel, 4, q, 3, "infAP"), 0.75);
	NEAR(value(s, &o, rel, 4, q, 3, "map"), 0.5);
	cr_assert_eq(pf_te_eval_topic(s, &o, &t, v, str, sizeof(str)), PF_OK);
	cr_assert_str_eq(str, ".1-0");
	pf_te_spec_free(s);
}

Test(treceval, judged_only_and_max_ret)
{
	const char *m[] = {"recip_rank", "num_ret", "P.1"};
	pf_te_spec *s = spec(m, 3);
	pf_te_opts o;
	int32_t rel[] = {NP, UJ, 0, 1}, q[] = {1, 0, -1};

	pf_te_opts_init(&o);
	NEAR(value(s, &o, rel, 4, q, 3, "recip_rank"), 0.25);
	o.judged_only = 1;	/* re-ranked: 0 1 */
	NEAR(value(s, &o, rel, 4, q, 3, "recip_rank"), 0.5);
	NEAR(value(s, &o, rel, 4, q, 3, "num_ret"), 2.0);
	o.judged_only = 0;
	o.max_ret = 3;		/* the relevant document falls off */
	NEAR(value(s, &o, rel, 4, q, 3, "recip_rank"), 0.0);
	NEAR(value(s, &o, rel, 4, q, 3, "num_ret"), 3.0);
	pf_te_spec_free(s);
}

Test(treceval, interpolated_precision)
{
	const char *m[] = {"iprec_at_recall.0,.5,1"};
	pf_te_spec *s = spec(m, 1);
	pf_te_opts o;
	int32_t rel[] = {1, 0, 1}, q[] = {1, 1, 1, 0};

	pf_te_opts_init(&o);
	/* R = 3; needs 0, 2 and 3 relevant: max precision from there on */
	NEAR(value(s, &o, rel, 3, q, 4, "iprec_at_recall_0.00"), 1.0);
	NEAR(value(s, &o, rel, 3, q, 4, "iprec_at_recall_0.50"), 2.0 / 3.0);
	NEAR(value(s, &o, rel, 3, q, 4, "iprec_at_recall_1.00"), 0.0);
	pf_te_spec_free(s);
}

Test(treceval, extra_measures)
{
	const char *m[] = {"err.2", "judged.5", "ndcg_exp", "ndcg_exp_cut.1"};
	pf_te_spec *s = spec(m, 4);
	pf_te_opts o;
	int32_t rel[] = {1, 2, NP}, q[] = {2, 1};

	pf_te_opts_init(&o);
	o.max_grade = 2;
	/* R(1) = 1/4, R(2) = 3/4: 1/4 + (3/4)(3/4)/2 */
	NEAR(value(s, &o, rel, 3, q, 2, "err_2"), 0.25 + 0.75 * 0.75 / 2.0);
	NEAR(value(s, &o, rel, 3, q, 2, "judged_5"), 2.0 / 5.0);
	/* (1 + 3/log2 3) / (3 + 1/log2 3) */
	NEAR(value(s, &o, rel, 3, q, 2, "ndcg_exp"),
	    (1.0 + 3.0 / log2(3)) / (3.0 + 1.0 / log2(3)));
	NEAR(value(s, &o, rel, 3, q, 2, "ndcg_exp_cut_1"), 1.0 / 3.0);
	pf_te_spec_free(s);
}

Test(treceval, custom_ndcg_gains)
{
	const char *m[] = {"ndcg.1=3,2=1"};
	pf_te_spec *s = spec(m, 1);
	pf_te_opts o;
	int32_t rel[] = {2, 1}, q[] = {2, 1};

	pf_te_opts_init(&o);
	/* gains 1 and 3; ideal puts the grade-1 document first */
	NEAR(value(s, &o, rel, 2, q, 2, "ndcg_1=3,2=1"),
	    (1.0 + 3.0 / log2(3)) / (3.0 + 1.0 / log2(3)));
	pf_te_spec_free(s);
}

Test(treceval, summary_sums_counts_and_takes_geometric_gm_map)
{
	const char *m[] = {"num_ret", "map", "gm_map"};
	pf_te_spec *s = spec(m, 3);
	double rows[] = {10, 0.5, 0.5, 20, 0.0, 0.0}, all[3];
	char buf[512];

	pf_te_summarize(s, rows, 2, all);
	NEAR(all[0], 30.0);
	NEAR(all[1], 0.25);
	NEAR(all[2], exp((log(0.5) + log(1e-5)) / 2.0));
	size_t n = pf_te_format_all(s, "tag", 2, all, buf, sizeof(buf));
	cr_assert_eq(n, strlen(buf));
	cr_assert_str_eq(buf, "num_ret               \tall\t30\n"
	    "map                   \tall\t0.2500\n"
	    "gm_map                \tall\t0.0022\n");
	/* a short buffer reports the length needed */
	cr_assert_eq(pf_te_format_all(s, "tag", 2, all, buf, 8), n);
	pf_te_spec_free(s);
}

Test(treceval, spec_order_and_names)
{
	const char *m[] = {"P.20,5.9,10", "map", "ndcg_cut.23.4"};
	pf_te_spec *s = spec(m, 3);
	char name[64];

	/* table order, not -m order; cutoffs ascending, atol-truncated */
	pf_te_value_name(s, 0, name, sizeof(name));
	cr_assert_str_eq(name, "map");
	pf_te_value_name(s, 1, name, sizeof(name));
	cr_assert_str_eq(name, "P_5");
	pf_te_value_name(s, 3, name, sizeof(name));
	cr_assert_str_eq(name, "P_20");
	cr_assert_eq(pf_te_value_index(s, "ndcg_cut.23"), 4);
	cr_assert_eq(pf_te_value_index(s, "ndcg_cut_23"), 4);
	cr_assert_eq(pf_te_value_index(s, "ndcg"), -1);
	pf_te_spec_free(s);
}

Test(treceval, spec_refusals)
{
	const char *bad[] = {"nosuch", "P.", "P.0", "P.x", "P.5,", "map.5",
	    "iprec_at_recall.2", "relstring.5,6", "ndcg.1", "ndcg.a=1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		pf_te_spec *s;
		pf_err err = {0};
		cr_assert_eq(pf_te_spec_new(&s), PF_OK);
		cr_assert_eq(pf_te_spec_add(s, bad[i], &err), PF_EINVAL,
		    "accepted -m %s", bad[i]);
		cr_assert_neq(err.msg[0], '\0');
		pf_te_spec_free(s);
	}
}

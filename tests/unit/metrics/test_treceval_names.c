/*
 * test_treceval_names.c — the spellings of README "Measure names": each
 * ir_measures / ranx / printed spelling measures exactly what its trec_eval
 * definition does, prints as spelled, is found by any other spelling of
 * the same value; ir_measures' own RR@k, ERR@k and Judged@k by hand;
 * refusals and "did you mean".
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
	cr_assert_eq(pf_te_spec_finish(s, &err), PF_OK, "%s", err.msg);
	return s;
}

/*
 * A graded topic (qrels 3 2 2 1 1 0 -1, one unjudged document retrieved)
 * evaluated with the level and max grade given; the value named `name`.
 */
static double
value(pf_te_spec *s, int level, const char *name)
{
	static const int32_t rel[] = {0, 2, NP, 3, UJ, 1, 0, NP, 2, 1, NP, 0};
	static const int32_t q[] = {3, 2, 2, 1, 1, 0, 0, 0, -1};
	double v[256];
	char str[64];
	pf_te_opts o;
	pf_te_topic t = {.rel = rel, .nret = 12, .qrels = q, .nqrels = 9};
	long i = pf_te_value_index(s, name);

	pf_te_opts_init(&o);
	o.level = level;
	o.max_grade = 3;
	cr_assert_geq(i, 0, "no value %s", name);
	cr_assert_eq(pf_te_eval_topic(s, &o, &t, v, str, sizeof(str)), PF_OK);
	return v[i];
}

/* Every spelling of the README table and the trec_eval value it is. */
static const struct {
	const char	*alias, *trec;
} table[] = {
	{"nDCG@10", "ndcg_cut.10"}, {"nDCG", "ndcg"}, {"P@5", "P.5"},
	{"R@100", "recall.100"}, {"AP", "map"}, {"AP@5", "map_cut.5"},
	{"RR", "recip_rank"}, {"Success@1", "success.1"}, {"Bpref", "bpref"},
	{"infAP", "infAP"}, {"Rprec", "Rprec"}, {"NumRet", "num_ret"},
	{"NumRel", "num_rel"}, {"IPrec@0.5", "iprec_at_recall.0.5"},
	{"nDCG(dcg='exp-log2')@10", "ndcg_exp_cut.10"},
	{"nDCG(dcg=log2, judged_only=False)@5", "ndcg_cut.5"},
	{"nDCG(cutoff=5)", "ndcg_cut.5"},
	{"ndcg@10", "ndcg_cut.10"}, {"ndcg_burges@10", "ndcg_exp_cut.10"},
	{"ndcg_burges", "ndcg_exp"}, {"precision@5", "P.5"},
	{"recall@100", "recall.100"}, {"map@5", "map_cut.5"},
	{"mrr", "recip_rank"}, {"hit_rate@5", "success.5"},
	{"r-precision", "Rprec"}, {"ndcg_cut_10", "ndcg_cut.10"},
	{"P_5", "P.5"}, {"iprec_at_recall_0.50", "iprec_at_recall.0.5"},
	{"err_10", "err.10"}, {"judged_10", "judged.10"},
};

Test(treceval_names, every_spelling_measures_its_trec_eval_value)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++) {
		const char *a[] = {table[i].alias}, *t[] = {table[i].trec};
		pf_te_spec *sa = spec(a, 1), *st = spec(t, 1);
		char name[64];
		for (int level = 1; level <= 2; level++)
			cr_assert_eq(value(sa, level, table[i].alias),
			    value(st, level, table[i].trec), "%s != %s at -l%d",
			    table[i].alias, table[i].trec, level);
		/* printed as asked; one value only */
		cr_assert_eq(pf_te_spec_nvalues(sa), 1, "%s", table[i].alias);
		pf_te_value_name(sa, 0, name, sizeof(name));
		cr_assert_str_eq(name, table[i].alias);
		/* each spelling finds the other's value */
		cr_assert_eq(pf_te_value_index(sa, table[i].trec), 0, "%s in %s",
		    table[i].trec, table[i].alias);
		cr_assert(pf_te_same_value(table[i].alias, table[i].trec));
		pf_te_spec_free(sa);
		pf_te_spec_free(st);
	}
}

/* ir_measures' providers that trec_eval lacks, on the topic above (ranks
   1..12: grades 0 2 - 3 . 1 0 - 2 1 - 0; max grade 3 < 4). */
Test(treceval_names, rr_err_judged_by_hand)
{
	const char *m[] = {"RR@1", "RR@2", "mrr@10", "ERR@3", "Judged@5",
	    "Judged@20"};
	pf_te_spec *s = spec(m, 6);
	/* gdeval: R(g) = (2^g - 1) / 2^4; in the top 3 only rank 2 (g 2) */
	double r2 = 3.0 / 16.0;

	cr_assert_eq(value(s, 1, "RR@1"), 0.0);
	cr_assert_float_eq(value(s, 1, "RR@2"), 0.5, 1e-15);
	cr_assert_float_eq(value(s, 1, "mrr@10"), 0.5, 1e-15);
	cr_assert_float_eq(value(s, 3, "RR@2"), 0.0, 1e-15);
	cr_assert_float_eq(value(s, 1, "ERR@3"), r2 / 2.0, 1e-15);
	/* top 5: 0 2 - 3 UJ: four of five in the qrels (-1 counts) */
	cr_assert_float_eq(value(s, 1, "Judged@5"), 0.8, 1e-15);
	/* 12 retrieved, 9 in the qrels: over min(20, 12) */
	cr_assert_float_eq(value(s, 1, "Judged@20"), 9.0 / 12.0, 1e-15);
	pf_te_spec_free(s);
}

Test(treceval_names, err_normalises_by_four_or_the_largest_grade)
{
	const char *m[] = {"ERR@1"};
	pf_te_spec *s = spec(m, 1);
	const int32_t rel[] = {3};
	const int32_t q[] = {5, 3};
	pf_te_topic t = {.rel = rel, .nret = 1, .qrels = q, .nqrels = 2};
	pf_te_opts o;
	double v[4];
	char str[8];

	pf_te_opts_init(&o);
	o.max_grade = 2;	/* gdeval's 4 */
	pf_te_eval_topic(s, &o, &t, v, str, sizeof(str));
	cr_assert_float_eq(v[0], 7.0 / 16.0, 1e-15);
	o.max_grade = 5;	/* beyond gdeval: R stays a probability */
	pf_te_eval_topic(s, &o, &t, v, str, sizeof(str));
	cr_assert_float_eq(v[0], 7.0 / 32.0, 1e-15);
	pf_te_spec_free(s);
}

/* The format: trec_eval's lines alone stay trec_eval's; other spellings
   add a line each, at the measure's place in the table. */
Test(treceval_names, format_prints_each_spelling_asked)
{
	const char *m[] = {"nDCG@10", "P.5", "P@5", "ndcg_cut_10", "ndcg@10",
	    "nDCG@10", "AP"};
	pf_te_spec *s = spec(m, 7);
	double all[8] = {0};
	char buf[1024];

	cr_assert_eq(pf_te_spec_nvalues(s), 3);
	for (size_t i = 0; i < 3; i++)
		all[i] = 0.25 * (double)(i + 1);
	pf_te_format_all(s, "run", 2, all, buf, sizeof(buf));
	cr_assert_str_eq(buf,
	    "AP                    \tall\t0.2500\n"
	    "P_5                   \tall\t0.5000\n"
	    "P@5                   \tall\t0.5000\n"
	    "nDCG@10               \tall\t0.7500\n"
	    "ndcg_cut_10           \tall\t0.7500\n"
	    "ndcg@10               \tall\t0.7500\n");
	/* named by the first spelling asked */
	char name[64];
	pf_te_value_name(s, 1, name, sizeof(name));
	cr_assert_str_eq(name, "P_5");
	pf_te_value_name(s, 2, name, sizeof(name));
	cr_assert_str_eq(name, "nDCG@10");
	pf_te_spec_free(s);
}

Test(treceval_names, trec_eval_spellings_replace_others_add)
{
	const char *m[] = {"P.5", "P@20", "P.10", "P_30"};
	pf_te_spec *s = spec(m, 4);
	char name[64];

	/* P.10 replaced P.5 (trec_eval); P@20 and P_30 stay */
	cr_assert_eq(pf_te_spec_nvalues(s), 3);
	pf_te_value_name(s, 0, name, sizeof(name));
	cr_assert_str_eq(name, "P_10");
	pf_te_value_name(s, 1, name, sizeof(name));
	cr_assert_str_eq(name, "P@20");
	pf_te_value_name(s, 2, name, sizeof(name));
	cr_assert_str_eq(name, "P_30");
	cr_assert_eq(pf_te_value_index(s, "P@5"), -1);
	pf_te_spec_free(s);
}

Test(treceval_names, prefer_renames_the_primary)
{
	const char *m[] = {"ndcg_cut.5,10", "map"};
	pf_te_spec *s = spec(m, 2);
	char name[64];
	long i = pf_te_spec_prefer(s, "nDCG@10");

	cr_assert_eq(i, pf_te_value_index(s, "ndcg_cut_10"));
	pf_te_value_name(s, (size_t)i, name, sizeof(name));
	cr_assert_str_eq(name, "nDCG@10");
	/* a -m form of one value keeps trec_eval's printed name */
	i = pf_te_spec_prefer(s, "ndcg_cut.5");
	pf_te_value_name(s, (size_t)i, name, sizeof(name));
	cr_assert_str_eq(name, "ndcg_cut_5");
	cr_assert_eq(pf_te_spec_prefer(s, "nDCG@20"), -1);
	/* the eval format is trec_eval's still */
	double all[4] = {0.1, 0.2, 0.3, 0.4};
	char buf[512];
	pf_te_format_all(s, "r", 1, all, buf, sizeof(buf));
	cr_assert_null(strstr(buf, "nDCG"), "%s", buf);
	pf_te_spec_free(s);
}

Test(treceval_names, refusals_say_why)
{
	static const struct {
		const char *arg, *want;
	} bad[] = {
		{"P(rel=2)@10", "relevance level per measure (rel=2)"},
		{"AP(rel=2)", "eval -l 2"},
		{"R", "'R' needs a cutoff (R@10)"},
		{"precision", "needs a cutoff (precision@10)"},
		{"IPrec", "needs a cutoff (IPrec@0.5)"},
		{"Bpref@10", "'Bpref' takes no cutoff"},
		{"hits@10", "'hits' is not implemented"},
		{"SetP", "'SetP' is not implemented"},
		{"P@0", "cutoff '0' is not a positive integer"},
		{"P@x", "cutoff 'x' is not a positive integer"},
		{"P@10.5", "cutoff '10.5' is not a positive integer"},
		{"IPrec@2", "not a recall level"},
		{"nDCG(judged_only=True)@5", "judged_only=True"},
		{"nDCG(gains={0:1})@5", "parameter 'gains' is not supported"},
		{"nDCG(dcg=exp-log2", "no closing parenthesis"},
		{"ndcg(dcg=log2)@10", "ranx names take no parameters"},
		{"P@5@6", "cutoff '5@6'"},
		{"nDCG@5x", "cutoff '5x'"},
		{"RR(cutoff=3)@5", "two cutoffs"},
		{"nDGC@10", "did you mean nDCG@10, ndcg@10?"},
		{"NDCG@10", "did you mean nDCG@10, ndcg@10?"},
		{"mapp", "did you mean map"},
		{"ndcg_cut@10", "did you mean ndcg_cut.10, ndcg_cut_10?"},
		{"Precision@5", "did you mean precision@5"},
		{"xyzzy", "README \"Measure names\""},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		pf_te_spec *s;
		pf_err err = {0};
		cr_assert_eq(pf_te_spec_new(&s), PF_OK);
		cr_assert_eq(pf_te_spec_add(s, bad[i].arg, &err), PF_EINVAL,
		    "accepted %s", bad[i].arg);
		cr_assert_not_null(strstr(err.msg, bad[i].want), "%s: %s",
		    bad[i].arg, err.msg);
		pf_te_spec_free(s);
	}
}

Test(treceval_names, custom_gains_and_linear_ndcg_conflict)
{
	pf_te_spec *s;
	pf_err err = {0};

	cr_assert_eq(pf_te_spec_new(&s), PF_OK);
	cr_assert_eq(pf_te_spec_add(s, "ndcg.1=3,2=9", &err), PF_OK);
	cr_assert_eq(pf_te_spec_add(s, "nDCG", &err), PF_OK);
	cr_assert_eq(pf_te_spec_finish(s, &err), PF_EINVAL);
	cr_assert_not_null(strstr(err.msg, "custom gains"), "%s", err.msg);
	pf_te_spec_free(s);
}

Test(treceval_names, same_value_across_tools)
{
	cr_assert(pf_te_same_value("nDCG@10", "ndcg@10"));
	cr_assert(pf_te_same_value("ndcg_cut_10", "ndcg_cut.10"));
	cr_assert(pf_te_same_value("mrr@10", "RR@10"));
	cr_assert(!pf_te_same_value("RR@10", "recip_rank"));
	cr_assert(!pf_te_same_value("nDCG@10", "nDCG@5"));
	cr_assert(!pf_te_same_value("ERR@10", "err_10"));
	cr_assert(!pf_te_same_value("Judged@10", "judged_10"));
	cr_assert(!pf_te_same_value("P", "P@10"));
	cr_assert(!pf_te_same_value("launch_id", "map"));
}

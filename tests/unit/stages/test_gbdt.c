/*
 * test_gbdt.c — the gbdt stage's contract (harness/stages/gbdt.c): the
 * margins XGBoost 1.7.4 itself printed for a 500-tree model on 2,000 LETOR
 * rows (shared/data/models), bit for bit, each candidate through its own
 * feature row; hand-made one- and two-tree models scored by hand
 * (first-feature shifting the columns, missing and absent features,
 * LightGBM reading the doubles with absent = 0.0), remapped feature
 * ids (stage.h's column map) scoring as the dense ones with first-feature
 * shifted; check() refusing feature ids the model cannot read; its errors (no features, unreadable
 * or malformed model naming the file, bad first-feature at its line, a
 * missing model=); its registry entry.
 */
#include <math.h>

#include "stage_fixture.h"

TestSuite(gbdt, .init = sfx_setup, .fini = sfx_teardown);

#define MODELS	SHARED_DIR "/data/models"

/*
 * Two XGBoost trees on model features f0 and f1, base_score 0.5
 * (reg:squarederror: the margin starts at 0.5):
 *   tree 0: f0 < 0.5 ? -1 : 2, missing goes left
 *   tree 1: f1 < 1.0 ? 0.25 : 0.75, missing goes right
 */
static const char XGB2[] = "{\"learner\":{\"attributes\":{},"
    "\"gradient_booster\":{\"name\":\"gbtree\",\"model\":{"
    "\"gbtree_model_param\":{\"num_parallel_tree\":\"1\",\"num_trees\":"
    "\"2\",\"size_leaf_vector\":\"0\"},\"tree_info\":[0,0],\"trees\":["
    "{\"id\":0,\"default_left\":[1,0,0],\"left_children\":[1,-1,-1],"
    "\"right_children\":[2,-1,-1],\"split_conditions\":[0.5,-1,2],"
    "\"split_indices\":[0,0,0],\"split_type\":[0,0,0],\"tree_param\":{"
    "\"num_deleted\":\"0\",\"num_feature\":\"2\",\"num_nodes\":\"3\","
    "\"size_leaf_vector\":\"0\"}},"
    "{\"id\":1,\"default_left\":[0,0,0],\"left_children\":[1,-1,-1],"
    "\"right_children\":[2,-1,-1],\"split_conditions\":[1,0.25,0.75],"
    "\"split_indices\":[1,0,0],\"split_type\":[0,0,0],\"tree_param\":{"
    "\"num_deleted\":\"0\",\"num_feature\":\"2\",\"num_nodes\":\"3\","
    "\"size_leaf_vector\":\"0\"}}]}},"
    "\"learner_model_param\":{\"base_score\":\"5E-1\",\"num_class\":\"0\","
    "\"num_feature\":\"2\",\"num_target\":\"1\"},"
    "\"objective\":{\"name\":\"reg:squarederror\"}},\"version\":[1,7,4]}";

/* One LightGBM tree on model feature 1: x <= 0.5 ? 10 : 20 (raw score);
   decision_type 8: missing type NaN, a NaN goes right. */
static const char LGB1[] = "tree\nversion=v4\nnum_class=1\n"
    "num_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx=1\n"
    "objective=lambdarank\n\n"
    "Tree=0\nnum_leaves=2\nnum_cat=0\nsplit_feature=1\nthreshold=0.5\n"
    "decision_type=8\nleft_child=-1\nright_child=-2\nleaf_value=10 20\n"
    "is_linear=0\nshrinkage=1\n\n\nend of trees\n";

/* Three rows of file features ids 1 and 2 (base 1), float and double. */
static const float X32[] = {0.4f, 2.0f, 0.5f, NAN, NAN, 0.0f};
static const double X64[] = {0.7, 3.0, 0.5, 9.0, 0.0, 0.0};

static void
open_model(const char *text, const char *first)
{
	const char *kv[] = {"model", "m.model", "first-feature", first, NULL};

	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	sfx_put("m.model", text);
	sfx_open_ok("gbdt", first ? kv : (const char *[]){"model", "m.model",
	    NULL});
}

/* Candidates a, b, c on rows 0, 1, 2 of X32 / X64. */
static void
three_rows(void)
{
	const char *docs[] = {"a", "b", "c"};
	const double zero[] = {0, 0, 0};

	sfx_list(docs, zero, 3);
	fx.c.feats = (pf_feats){X32, X64, 2, 1, NULL, NULL};
}

Test(gbdt, xgboost_two_trees_score_by_hand)
{
	open_model(XGB2, "1");	/* f0 = file id 1 */
	three_rows();
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	/* 0.5 + tree 0 + tree 1 */
	cr_assert_eq(fx.c.score[0], 0.5 - 1 + 0.75);	/* 0.4 < 0.5; 2 >= 1 */
	cr_assert_eq(fx.c.score[1], 0.5 + 2 + 0.75);	/* equal goes right;
							   missing right */
	cr_assert_eq(fx.c.score[2], 0.5 - 1 + 0.25);	/* missing left; 0 < 1 */
}

Test(gbdt, first_feature_shifts_the_columns_and_absent_is_missing)
{
	/* f0 = file id 2, f1 = id 3, which the rows do not have: missing */
	open_model(XGB2, "2");
	three_rows();
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.score[0], 0.5 + 2 + 0.75);	/* f0 = 2.0 */
	cr_assert_eq(fx.c.score[1], 0.5 - 1 + 0.75);	/* f0 NaN: left */
	cr_assert_eq(fx.c.score[2], 0.5 - 1 + 0.75);	/* f0 = 0 */
}

Test(gbdt, each_candidate_reads_its_own_row)
{
	open_model(XGB2, "1");
	three_rows();
	fx.c.row[0] = 2;
	fx.c.row[2] = 0;
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.score[0], 0.5 - 1 + 0.25);
	cr_assert_eq(fx.c.score[1], 0.5 + 2 + 0.75);
	cr_assert_eq(fx.c.score[2], 0.5 - 1 + 0.75);
	cr_assert_str_eq(sfx_doc(0), "a", "the list's order is kept");
}

Test(gbdt, lightgbm_reads_the_doubles_with_absent_zero)
{
	/* default first-feature 0: model f1 = file id 1 (column 0) */
	open_model(LGB1, NULL);
	three_rows();
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.score[0], 20.0);	/* 0.7 > 0.5 */
	cr_assert_eq(fx.c.score[1], 10.0);	/* <= goes left */
	cr_assert_eq(fx.c.score[2], 10.0);	/* 0.0 */
	/* without doubles LightGBM cannot score */
	fx.c.feats.x64 = NULL;
	sfx_expect_err(sfx_query("q1"), PF_ESTAGE, "", "gbdt needs a stage "
	    "before it that provides features");
}

Test(gbdt, lightgbm_absent_is_zero_not_missing)
{
	/* first-feature 2: model f1 = file id 3, absent from every row: 0.0
	   goes left, where a missing (NaN) value would go right */
	open_model(LGB1, "2");
	three_rows();
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(fx.c.score[i], 10.0, "row %zu: %g", i,
		    fx.c.score[i]);
}

/*
 * The rows of three_rows remapped (stage.h): file ids 4000001 and 4000002
 * in columns 0 and 1, and an id the models never read in column 2.
 */
static const uint32_t RIDS[] = {4000001, 4000002, 4000900};
static const float R32[] = {0.4f, 2.0f, 7.0f, 0.5f, NAN, 7.0f, NAN, 0.0f,
    7.0f};
static const double R64[] = {0.7, 3.0, 7.0, 0.5, 9.0, 7.0, 0.0, 0.0, 7.0};

static void
three_rows_remapped(void)
{
	three_rows();
	fx.c.feats = (pf_feats){R32, R64, 3, 1, RIDS, NULL};
}

Test(gbdt, remapped_ids_score_as_the_dense_ones_with_first_feature_shifted)
{
	double dense[3];

	open_model(XGB2, "1");
	three_rows();
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	memcpy(dense, fx.c.score, sizeof(dense));
	open_model(XGB2, "4000001");	/* f0 = id 4000001 */
	three_rows_remapped();
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(fx.c.score[i], dense[i], "row %zu: %a, dense %a",
		    i, fx.c.score[i], dense[i]);
	/* LightGBM reads the doubles, absent = 0.0: f1 = id 4000001 */
	open_model(LGB1, NULL);
	three_rows();
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	memcpy(dense, fx.c.score, sizeof(dense));
	open_model(LGB1, "4000000");
	three_rows_remapped();
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(fx.c.score[i], dense[i], "row %zu", i);
}

Test(gbdt, remapped_ids_the_file_lacks_are_missing)
{
	/* f0 = id 4000000 (no column: missing, left), f1 = id 4000001 */
	open_model(XGB2, "4000000");
	three_rows_remapped();
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.score[0], 0.5 - 1 + 0.25);	/* f1 0.4 < 1 */
	cr_assert_eq(fx.c.score[1], 0.5 - 1 + 0.25);	/* f1 0.5 */
	cr_assert_eq(fx.c.score[2], 0.5 - 1 + 0.75);	/* f1 NaN: right */
	/* and its check sees the largest id, 4000900, beyond the model */
	sfx_expect_err(fx.ops->check(fx.st, &fx.c.feats, &fx.err), PF_EDATA,
	    "", "the candidates have feature ids up to 4000900 but the model "
	    "reads ids 4000000..4000001");
}

/* Reads margins.txt: one float32 margin a line. */
static float *
read_margins(const char *path, size_t n)
{
	FILE *f = fopen(path, "r");
	float *m = calloc(n, sizeof(*m));
	char line[64];
	size_t i = 0;

	cr_assert_not_null(f, "%s", path);
	while (i < n && fgets(line, sizeof(line), f) != NULL)
		m[i++] = strtof(line, NULL);
	cr_assert_eq(i, n, "%s: %zu margins", path, i);
	fclose(f);
	return m;
}

Test(gbdt, xgboost_margins_are_the_librarys_bit_for_bit)
{
	const char *letor = MODELS "/synth_valid20.letor.txt";
	const char *kv[] = {"model", MODELS "/xgb_ndcg_500x6.json",
	    "first-feature", "1", NULL};
	pf_golden_spec s = {.source = SFX_SCENARIO, .labels = letor};
	const pf_svm *svm;
	pf_err err = {0};
	size_t nscored = 0;

	if (access(letor, R_OK) != 0)
		cr_skip_test("%s absent", letor);
	sfx_load(&s);
	cr_assert_eq(pf_golden_svm(fx.g, letor, NULL, 0, &svm, &err), PF_OK,
	    "%s", err.msg);
	float *want = read_margins(MODELS "/synth_valid20.margins.txt",
	    svm->nrows);
	sfx_open_ok("gbdt", kv);
	cr_assert_eq(fx.ops->check(fx.st, &(pf_feats){svm->x32, NULL, svm->nf,
	    svm->base, svm->id, NULL}, &fx.err), PF_OK, "%s", fx.err.msg);
	for (size_t k = 0; k < svm->nq; k++) {
		size_t r0 = svm->qoff[k], n = svm->qoff[k + 1] - r0;
		cr_assert_eq(pf_cands_reserve(&fx.c, n), PF_OK);
		for (size_t i = 0; i < n; i++) {	/* rows in reverse */
			fx.c.row[i] = (uint32_t)(r0 + n - 1 - i);
			fx.c.doc[i] = (uint32_t)i;
			fx.c.score[i] = NAN;
		}
		fx.c.n = n;
		fx.c.feats = (pf_feats){svm->x32, NULL, svm->nf, svm->base,
		    svm->id, NULL};
		cr_assert_eq(sfx_query(svm->qid[k]), PF_OK, "%s", fx.err.msg);
		for (size_t i = 0; i < n; i++, nscored++) {
			float got = (float)fx.c.score[i];
			cr_assert_eq((double)got, fx.c.score[i], "a float32 "
			    "margin");
			cr_assert_eq(got, want[fx.c.row[i]], "query %s row %u: "
			    "%a, XGBoost %a", svm->qid[k], fx.c.row[i],
			    (double)got, (double)want[fx.c.row[i]]);
		}
	}
	cr_assert_eq(nscored, 2000);
	free(want);
}

Test(gbdt, check_refuses_feature_ids_the_model_cannot_read)
{
	pf_feats wide = {X32, NULL, 3, 1, NULL, NULL}, fits = {X32, NULL, 2, 1,
	    NULL, NULL};

	open_model(XGB2, "1");		/* reads ids 1..2 */
	cr_assert_not_null(fx.ops->check);
	cr_assert_eq(fx.ops->check(fx.st, &fits, &fx.err), PF_OK);
	sfx_expect_err(fx.ops->check(fx.st, &wide, &fx.err), PF_EDATA, "",
	    "the candidates have feature ids up to 3 but the model reads ids "
	    "1..2 (2 features from first-feature=1)");
	/* fewer ids than the model knows: normal for sparse LETOR files */
	pf_feats narrow = {X32, NULL, 1, 1, NULL, NULL};
	cr_assert_eq(fx.ops->check(fx.st, &narrow, &fx.err), PF_OK);
}

Test(gbdt, candidates_without_features_are_a_stage_error)
{
	const char *docs[] = {"a"};
	const double s[] = {0};

	open_model(XGB2, "1");
	sfx_list(docs, s, 1);
	sfx_expect_err(sfx_query("q1"), PF_ESTAGE, "", "gbdt needs a stage "
	    "before it that provides features");
	fx.c.n = 0;	/* an empty list needs none */
	cr_assert_eq(sfx_query("q1"), PF_OK);
}

Test(gbdt, unreadable_and_malformed_models_name_the_file)
{
	const char *kv[] = {"model", "absent.json", NULL};

	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	sfx_expect_err(sfx_open("gbdt", kv), PF_EIO, sfx_at("absent.json", 0),
	    "");
	kv[1] = "bad.json";
	sfx_put("bad.json", "{\"learner\": 3}\n");
	sfx_expect_err(sfx_open("gbdt", kv), PF_EFORMAT, NULL, "");
	cr_assert_eq(strncmp(fx.err.where, sfx_at("bad.json", 0),
	    strlen(sfx_at("bad.json", 0))), 0, "%s", fx.err.where);
	kv[1] = "bad.txt";	/* LightGBM text: the line too */
	char lgb[sizeof(LGB1)];
	memcpy(lgb, LGB1, sizeof(LGB1));
	strstr(lgb, "num_class=1")[10] = '3';
	sfx_put("bad.txt", lgb);
	sfx_expect_err(sfx_open("gbdt", kv), PF_EFORMAT, sfx_at("bad.txt", 3),
	    "multi-class");
}

Test(gbdt, first_feature_must_be_a_non_negative_integer_at_its_line)
{
	static const char *const bad[] = {"-1", "one", "1.5", "2147483648"};
	char want[64];

	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	sfx_put("m.json", XGB2);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *kv[] = {"model", "m.json", "first-feature", bad[i],
		    NULL};
		snprintf(want, sizeof(want), "first-feature='%s': expected an "
		    "integer in [0, 2147483647]", bad[i]);
		sfx_expect_err(sfx_open("gbdt", kv), PF_EINVAL, SFX_SCENARIO
		    ":9", want);
	}
}

/*
 * Was a bug, fixed with this test: gbdt.c does not check its required model=;
 * without it the path is "" and pf_gbdt_load fails with PF_EIO, an empty
 * err.where and "cannot open: No such file or directory", naming neither
 * the parameter nor the stage (only scenario.xsd requires it).
 */
Test(gbdt, a_missing_model_parameter_is_refused_naming_it)
{
	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	sfx_expect_err(sfx_open("gbdt", NULL), PF_EINVAL, SFX_SCENARIO ":7",
	    "model");
}

Test(gbdt, registry_entry)
{
	const char *params[] = {"model", "required", "first-feature",
	    "optional", NULL};

	sfx_registry("gbdt", PF_STAGE_SCORES, params);
}

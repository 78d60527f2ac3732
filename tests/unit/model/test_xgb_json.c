/*
 * test_xgb_json.c — harness/model/xgb_json.c and xgb_trees.c: what the
 * XGBoost JSON loader refuses, each case a one-split model (MFX_XGB) with
 * one piece changed, refused with its code, the file named and the member
 * at fault; truncated and corrupted real models refused or scored, never a
 * crash (run under ASan by `make test`).
 */
#include <stdlib.h>

#include <criterion/criterion.h>

#include "harness/model/gbdt.h"
#include "model_fixture.h"

TestSuite(xgb_json, .init = mfx_setup, .fini = mfx_teardown);

/* Mutations of MFX_XGB, each refused with PF_EFORMAT. */
static const mfx_case bad_cases[] = {
	{"\"trees\":[{", "\"trees\":[{]", "invalid JSON", 1},
	{"\"base_score\":\"5E-1\"", "\"base_score\":0.5",
	    "base_score: expected a string, found a number", 0},
	{"\"base_score\":\"5E-1\"", "\"base_score\":\"half\"",
	    "expected a number", 0},
	{"\"num_nodes\":\"3\"", "\"num_nodes\":\"4\"",
	    "expected 4 elements, found 3", 0},
	{"[0.5,-1.0,2.0]", "[0.5,\"x\",2.0]",
	    "split_conditions[1]: expected a number, found a string", 0},
	{"\"right_children\":[2,", "\"right_children\":[1,",
	    "right_children = left_children + 1", 0},
	{"\"left_children\":[1,-1,-1],\"right_children\":[2,-1,-1]",
	    "\"left_children\":[1,1,-1],\"right_children\":[2,2,-1]",
	    "do not form a tree", 0},
	{"\"split_type\":[0,0,0]", "\"split_type\":[1,0,0]", "categorical",
	    0},
	{"\"split_indices\":[1,", "\"split_indices\":[-1,",
	    "split_indices[0]: expected an integer", 0},
	{"\"default_left\":[1,", "\"default_left\":[\"yes\",",
	    "default_left[0]: expected an integer", 0},
	{"\"num_class\":\"0\"", "\"num_class\":\"3\"", "several outputs", 0},
	{"\"name\":\"gbtree\"", "\"name\":\"forest\"",
	    "expected gbtree, dart or gblinear", 0},
	{"\"learner_model_param\"", "\"lmp\"",
	    "expected a member \"learner_model_param\"", 0},
	{"\"trees\":[", "\"trees\":\"x\",\"t\":[",
	    "trees: expected an array, found a string", 0},
	{"{\"learner\":", "{L\x07learner", "UBJSON", 0},
	{"{\"learner\":", "[{\"learner\":", "expected an XGBoost JSON", 1},
};

Test(xgb_json, malformed_models_are_refused_with_the_file_named)
{
	mfx_refused_each(MFX_XGB, bad_cases,
	    sizeof(bad_cases) / sizeof(*bad_cases), PF_EFORMAT);
}

/* jansson's JSON_REJECT_DUPLICATES: which of two values would count? */
Test(xgb_json, duplicate_keys_are_refused_at_their_line)
{
	mfx_refused_as(MFX_XGB, "\"num_nodes\":\"3\"",
	    "\"num_nodes\":\"3\",\n\"num_nodes\":\"3\"", PF_EFORMAT, 2,
	    "duplicate object key near '\"num_nodes\"' (a key may appear once");
}

/* NaN is not JSON (XGBoost writes it so): refused at its line. */
Test(xgb_json, nan_threshold_is_refused)
{
	mfx_refused_as(MFX_XGB, "[0.5,-1.0,2.0]", "[NaN,-1.0,2.0]",
	    PF_EFORMAT, 1, "near 'NaN' (NaN and infinities are not JSON "
	    "numbers");
	mfx_refused_as(MFX_XGB, "[0.5,-1.0,2.0]", "[1e999,-1.0,2.0]",
	    PF_EFORMAT, 1, "real number overflow near '1e999' (model values "
	    "must be finite)");
}

/* 1e39 is a finite double but infinite once read as float32. */
Test(xgb_json, threshold_beyond_float32_is_refused)
{
	mfx_refused_as(MFX_XGB, "[0.5,-1.0,2.0]", "[1e39,-1.0,2.0]",
	    PF_EFORMAT, 0, "trees[0].split_conditions[0]: 1e+39 is not a "
	    "finite float32");
}

Test(xgb_json, leaf_value_beyond_float32_is_refused)
{
	mfx_refused_as(MFX_XGB, "[0.5,-1.0,2.0]", "[0.5,-1.0,-4e38]",
	    PF_EFORMAT, 0, "trees[0].split_conditions[2]: -4e+38 is not a "
	    "finite float32");
}

Test(xgb_json, non_finite_base_score_is_refused)
{
	mfx_refused_as(MFX_XGB, "\"base_score\":\"5E-1\"",
	    "\"base_score\":\"NaN\"", PF_EFORMAT, 0, "base_score: expected "
	    "a finite float32, found \"NaN\"");
	mfx_refused_as(MFX_XGB, "\"base_score\":\"5E-1\"",
	    "\"base_score\":\"[1E39]\"", PF_EFORMAT, 0, "base_score: "
	    "expected a finite float32, found \"[1E39]\"");
}

/* XGBoost itself refuses a logistic base_score outside (0, 1). */
Test(xgb_json, base_score_outside_the_objective_is_refused)
{
	char *s = mfx_mutate(MFX_XGB, "reg:squarederror", "binary:logistic");

	mfx_refused_as(s, "\"base_score\":\"5E-1\"", "\"base_score\":\"1E0\"",
	    PF_EDATA, 0, "base_score: 1 is outside what objective "
	    "\"binary:logistic\" accepts (its base margin would be inf)");
	free(s);
}

/* The base margin depends on the objective: an unknown one is refused. */
Test(xgb_json, an_objective_xgboost_does_not_write_is_refused)
{
	mfx_refused_as(MFX_XGB, "reg:squarederror", "reg:squarederorr",
	    PF_EDATA, 0, "learner.objective.name: \"reg:squarederorr\" is not "
	    "an objective XGBoost writes, so its base margin is unknown");
}

Test(xgb_json, tree_info_not_one_per_tree_is_refused)
{
	mfx_refused_as(MFX_XGB, "\"tree_info\":[0]", "\"tree_info\":[]",
	    PF_EDATA, 0, "model.tree_info: expected 1 elements (one per "
	    "tree), found 0");
	mfx_refused_as(MFX_XGB, "\"tree_info\":[0]", "\"tree_info\":[0,0]",
	    PF_EDATA, 0, "model.tree_info: expected 1 elements (one per "
	    "tree), found 2");
	mfx_refused_as(MFX_XGB, "\"tree_info\":[0],", "", PF_EFORMAT, 0,
	    "expected a member \"tree_info\"");
}

Test(xgb_json, tree_info_naming_a_second_output_is_refused)
{
	mfx_refused_as(MFX_XGB, "\"tree_info\":[0]", "\"tree_info\":[1]",
	    PF_EDATA, 0, "tree_info[0]: the tree is in output group 1, but "
	    "the model has one output");
}

Test(xgb_json, iteration_indptr_not_covering_the_trees_is_refused)
{
	mfx_refused_as(MFX_XGB, "\"tree_info\"",
	    "\"iteration_indptr\":[0,2],\"tree_info\"", PF_EDATA, 0,
	    "iteration_indptr: the rounds end at tree 2, but there are 1 "
	    "trees");
	mfx_refused_as(MFX_XGB, "\"tree_info\"",
	    "\"iteration_indptr\":[1,1],\"tree_info\"", PF_EDATA, 0,
	    "iteration_indptr[0]: expected 0 and then non-decreasing");
}

Test(xgb_json, num_trees_not_the_trees_is_refused)
{
	mfx_refused_as(MFX_XGB, "\"num_trees\":\"1\"", "\"num_trees\":\"2\"",
	    PF_EDATA, 0, "gbtree_model_param.num_trees says 2, found 1 trees");
}

Test(xgb_json, a_model_without_trees_is_refused)
{
	char *a = mfx_mutate(MFX_XGB, "\"num_trees\":\"1\"",
	    "\"num_trees\":\"0\"");
	char *b = mfx_mutate(a, "\"tree_info\":[0]", "\"tree_info\":[]");
	char *c = mfx_mutate(b, "\"trees\":[{", "\"trees\":[],\"x\":[{");

	mfx_refused(c, PF_EFORMAT, 0, "model.trees: no trees (a model without "
	    "trees would score every row base_score)");
	free(a);
	free(b);
	free(c);
}

/* XGBoost places trees by id: another order sums leaves in another order. */
Test(xgb_json, tree_id_not_its_place_is_refused)
{
	mfx_refused_as(MFX_XGB, "\"id\":0", "\"id\":1", PF_EDATA, 0,
	    "trees[0].id: expected 0 (the tree's place in trees), found 1");
}

Test(xgb_json, split_on_a_feature_beyond_num_feature_is_refused)
{
	mfx_refused_as(MFX_XGB, "\"split_indices\":[1,",
	    "\"split_indices\":[2,", PF_EDATA, 0, "trees[0]: node 0 splits "
	    "on feature 2, but num_feature is 2");
}

Test(xgb_json, unused_node_arrays_of_the_wrong_length_are_refused)
{
	mfx_refused_as(MFX_XGB, "\"right_children\"",
	    "\"parents\":[2147483647,0],\"right_children\"", PF_EFORMAT, 0,
	    "trees[0].parents: expected 3 elements, found 2");
}

/* Size fields the file does not back are refused before any allocation. */
Test(xgb_json, sizes_beyond_memory_are_refused_with_the_size)
{
	mfx_refused_as(MFX_XGB, "\"num_nodes\":\"3\"",
	    "\"num_nodes\":\"1000000000\"", PF_EFORMAT, 0,
	    "left_children: expected 1000000000 elements, found 3");
	mfx_refused_as(MFX_XGB, "\"num_feature\":\"2\",\"num_target\"",
	    "\"num_feature\":\"2000000000\",\"num_target\"", PF_EFORMAT, 0,
	    "num_feature: 2000000000 features per row (8000000000 bytes) "
	    "asked for: at most 16777216 are supported");
}

/* MFX_XGB's gbtree as dart's inner booster, with weight_drop wd. */
static char *
dart(const char *wd)
{
	char tail[128];
	char *a = mfx_mutate(MFX_XGB, "\"gradient_booster\":{",
	    "\"gradient_booster\":{\"gbtree\":{"), *b;

	snprintf(tail, sizeof(tail), "\"name\":\"gbtree\"},\"name\":\"dart\","
	    "\"weight_drop\":%s},", wd);
	b = mfx_mutate(a, "\"name\":\"gbtree\"},", tail);
	free(a);
	return b;
}

Test(xgb_json, dart_weights_are_checked)
{
	char path[256], *s = dart("[0.5]");
	double got;
	float x[2] = {0, 1};
	pf_gbdt *m;

	mfx_put(path, s);
	m = mfx_load_ok(path);
	pf_gbdt_predict_f32(m, x, 1, 2, 2, &got);
	cr_assert_eq(got, 1.5, "%g", got);	/* 0.5 + 2 * 0.5 */
	pf_gbdt_free(m);
	free(s);
	s = dart("[3e38]");	/* 2 * 3e38 overflows float32 */
	mfx_refused(s, PF_EFORMAT, 0, "trees[0]: leaf 2 times weight_drop[0] "
	    "(3e+38) is not a finite float32");
	free(s);
	s = dart("[0.5,0.5]");
	mfx_refused(s, PF_EDATA, 0, "weight_drop: expected 1 elements (one "
	    "per tree), found 2");
	free(s);
}

Test(xgb_json, gblinear_weight_beyond_float32_is_refused)
{
	char *buf = mfx_slurp(MFX_GFIX "/xgb_gblinear_logistic.json");

	cr_assert_not_null(buf);
	mfx_refused_as(buf, "\"weights\":[1.3829767E0,", "\"weights\":[1E39,",
	    PF_EFORMAT, 0, "model.weights[0]: 1e+39 is not a finite float32");
	free(buf);
}

Test(xgb_json, empty_missing_and_directory_files_are_refused)
{
	char path[256];
	pf_err err;
	pf_gbdt *m;

	snprintf(path, sizeof(path), "%s/empty.json", mfx_dir);
	mfx_write(path, "", 0);
	cr_expect_eq(pf_gbdt_load(&m, path, &err), PF_EFORMAT);
	cr_expect_eq(pf_gbdt_load(&m, "/nonexistent/m.json", &err), PF_EIO);
	cr_expect_str_eq(err.where, "/nonexistent/m.json");
	cr_expect_eq(pf_gbdt_load(&m, mfx_dir, &err), PF_EIO);
	cr_expect_null(m);
}

Test(xgb_json, truncated_and_corrupted_models_never_crash)
{
	mfx_shake(MFX_GFIX "/xgb_depth2.json", 1);
	mfx_shake(MFX_GFIX "/xgb_dart.json", 2);
	mfx_shake(MFX_GFIX "/xgb_gblinear_logistic.json", 3);
}

/* learner.feature_names names the model's features; one name per feature
   or none (an empty list, the default, or anything else is ignored). */
Test(xgb_json, feature_names_are_the_models_own)
{
	char path[256];
	char *s = mfx_mutate(MFX_XGB, "\"learner\":{",
	    "\"learner\":{\"feature_names\":[\"title\",\"body\"],");
	mfx_put(path, s);
	free(s);
	pf_gbdt *m = mfx_load_ok(path);
	cr_assert_str_eq(pf_gbdt_feature_name(m, 0), "title");
	cr_assert_str_eq(pf_gbdt_feature_name(m, 1), "body");
	pf_gbdt_free(m);
	s = mfx_mutate(MFX_XGB, "\"learner\":{",
	    "\"learner\":{\"feature_names\":[\"title\"],");
	mfx_put(path, s);
	free(s);
	m = mfx_load_ok(path);
	cr_assert_null(pf_gbdt_feature_name(m, 0), "one name for 2 features");
	pf_gbdt_free(m);
	mfx_put(path, MFX_XGB);
	m = mfx_load_ok(path);
	cr_assert_null(pf_gbdt_feature_name(m, 0));
	pf_gbdt_free(m);
}

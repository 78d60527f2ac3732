/*
 * test_xgb_json.c — harness/model/xgb_json.c: what the XGBoost JSON
 * loader refuses, each case a one-split model (MFX_XGB) with one piece
 * changed, refused with its code, the file named and the member at fault;
 * truncated and corrupted real models refused or scored, never a crash
 * (run under ASan by `make test`).
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

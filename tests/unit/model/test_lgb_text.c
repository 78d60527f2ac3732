/*
 * test_lgb_text.c — harness/model/lgb_text.c: what the LightGBM text
 * loader refuses, each case a one-split model (MFX_LGB) with one piece
 * changed, refused with its code and path:line of the offending line;
 * truncated and corrupted real models refused or scored, never a crash
 * (run under ASan by `make test`).
 */
#include <stdlib.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/model/gbdt.h"
#include "model_fixture.h"

#define CAT	MFX_GFIX "/lgb_cat.txt"

TestSuite(lgb_text, .init = mfx_setup, .fini = mfx_teardown);

/* Mutations of MFX_LGB, each refused with PF_EFORMAT. */
static const mfx_case bad_cases[] = {
	{"threshold=0.5\n", "", "expected a line threshold=", 9},
	{"leaf_value=1 2", "leaf_value=1",
	    "leaf_value: expected 2 values, found 1", 17},
	{"leaf_value=1 2", "leaf_value=1 2 3", "found more", 17},
	{"end of trees\n", "", "truncated", 21},
	{"decision_type=2", "decision_type=14", "missing type 3", 14},
	{"decision_type=2", "decision_type=1",
	    "categorical but num_cat is 0", 14},
	{"is_linear=0", "is_linear=1", "linear trees", 18},
	{"num_class=1", "num_class=3", "multi-class", 3},
	{"right_child=-2", "right_child=-1", "do not form a tree", 15},
	{"threshold=0.5", "threshold=abc", "\"abc\") is not a number", 13},
	{"split_feature=0", "split_feature=-3", "an integer", 12},
	{"Tree=0", "Tree=1", "expected Tree=0", 9},
	{"max_feature_idx=1\n", "", "expected a line max_feature_idx=", 0},
	{"tree\n", "trees\n", "expected an XGBoost JSON", 1},
};

Test(lgb_text, malformed_models_are_refused_at_the_line)
{
	mfx_refused_each(MFX_LGB, bad_cases,
	    sizeof(bad_cases) / sizeof(*bad_cases), PF_EFORMAT);
}

Test(lgb_text, truncated_and_corrupted_models_never_crash)
{
	mfx_shake(CAT, 4);
	if (access(MFX_MODELS "/lgb_lambdarank_nan.txt", R_OK) == 0)
		mfx_shake(MFX_MODELS "/lgb_lambdarank_nan.txt", 5);
}

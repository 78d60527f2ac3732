/*
 * test_lgb_text.c — harness/model/lgb_text.c and lgb_tree.c: what the
 * LightGBM text loader refuses, each case a one-split model (MFX_LGB) or
 * tests/fixtures/gbdt/lgb_cat.txt (three trees, categorical splits,
 * tree_sizes, feature_names) with one piece changed, refused with its code
 * and path:line of the offending line; truncated and corrupted real models
 * refused or scored, never a crash (run under ASan by `make test`).
 */
#include <stdlib.h>
#include <sys/resource.h>
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
	    "leaf_value: expected 2 values (num_leaves=2 at line 10), found 1",
	    17},
	{"leaf_value=1 2", "leaf_value=1 2 3", "), found 3", 17},
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

/* Refused as base with from replaced by to, base the fixture at path. */
static void
refused_file(const char *path, const char *from, const char *to, int code,
    long line, const char *frag)
{
	char *buf = mfx_slurp(path);

	cr_assert_not_null(buf, "%s", path);
	mfx_refused_as(buf, from, to, code, line, frag);
	free(buf);
}

/* It used to load as a model of no trees, scoring every row 0. */
Test(lgb_text, a_model_without_trees_is_refused)
{
	mfx_refused_as(MFX_LGB, "Tree=0", "Tre=0", PF_EFORMAT, 22, "no trees: "
	    "expected a block opened by a line Tree=0 before \"end of trees\"");
}

/* A misspelt Tree= line puts two trees' lines in one block. */
Test(lgb_text, a_misspelt_tree_line_is_refused)
{
	refused_file(CAT, "Tree=1", "Tree 1", PF_EFORMAT, 34, "num_leaves= "
	    "again in the block of Tree=0 (first at line 13): is a line "
	    "Tree=1 missing or misspelt?");
	refused_file(CAT, "Tree=2", "Tre=2", PF_EFORMAT, 55, "num_leaves= "
	    "again in the block of Tree=1 (first at line 34)");
}

Test(lgb_text, a_key_twice_in_the_header_is_refused)
{
	mfx_refused_as(MFX_LGB, "max_feature_idx=1\n",
	    "max_feature_idx=1\nmax_feature_idx=5\n", PF_EFORMAT, 7,
	    "max_feature_idx= again in the header (first at line 6)");
}

Test(lgb_text, tree_sizes_not_one_per_tree_is_refused)
{
	refused_file(CAT, "tree_sizes=0 0 0", "tree_sizes=0 0", PF_EDATA, 10,
	    "tree_sizes: 2 entries, but the file has 3 trees");
}

Test(lgb_text, feature_names_not_one_per_feature_is_refused)
{
	refused_file(CAT, "feature_names=a b c", "feature_names=a b",
	    PF_EDATA, 8, "feature_names: 2 entries, but max_feature_idx=2 "
	    "makes 3 features");
	refused_file(CAT, "feature_infos=[0:1] 0:1:3:32 0:2",
	    "feature_infos=[0:1] 0:1:3:32 0:2 none", PF_EDATA, 9,
	    "feature_infos: 4 entries");
}

Test(lgb_text, split_feature_beyond_max_feature_idx_is_refused)
{
	mfx_refused_as(MFX_LGB, "split_feature=0", "split_feature=2", PF_EDATA,
	    12, "split_feature: node 0 splits on feature 2, beyond "
	    "max_feature_idx=1");
}

Test(lgb_text, nan_or_infinite_threshold_is_refused)
{
	mfx_refused_as(MFX_LGB, "threshold=0.5", "threshold=nan", PF_EFORMAT,
	    13, "threshold: value 1 is nan (thresholds must be finite");
	mfx_refused_as(MFX_LGB, "threshold=0.5", "threshold=-inf",
	    PF_EFORMAT, 13, "threshold: value 1 is -inf");
	/* beyond a double: not a number at all */
	mfx_refused_as(MFX_LGB, "threshold=0.5", "threshold=1e400",
	    PF_EFORMAT, 13, "threshold: value 1 (\"1e400\") is not a number");
}

Test(lgb_text, nan_or_infinite_leaf_value_is_refused)
{
	mfx_refused_as(MFX_LGB, "leaf_value=1 2", "leaf_value=1 nan",
	    PF_EFORMAT, 17, "leaf_value: value 2 is nan (leaf values must be "
	    "finite");
	mfx_refused_as(MFX_LGB, "leaf_value=1 2", "leaf_value=inf 2",
	    PF_EFORMAT, 17, "leaf_value: value 1 is inf");
}

Test(lgb_text, num_cat_not_the_categorical_nodes_is_refused)
{
	/* tree 1's only split made numerical: num_cat=1 counts nothing */
	refused_file(CAT, "decision_type=1\nleft_child=-1",
	    "decision_type=0\nleft_child=-1", PF_EDATA, 35, "Tree=1: "
	    "num_cat=1, but 0 nodes are categorical");
}

Test(lgb_text, unused_arrays_of_the_wrong_length_are_refused)
{
	refused_file(CAT, "internal_count=3 2", "internal_count=3", PF_EFORMAT,
	    26, "internal_count: expected 2 values, found 1");
	refused_file(CAT, "leaf_weight=1 1 1", "leaf_weight=1 1", PF_EFORMAT,
	    22, "leaf_weight: expected 3 values, found 2");
}

/* Size fields the file does not back are refused before any allocation. */
Test(lgb_text, sizes_beyond_memory_are_refused_with_the_size)
{
	mfx_refused_as(MFX_LGB, "num_leaves=2", "num_leaves=1000000000",
	    PF_EFORMAT, 17, "leaf_value: expected 1000000000 values "
	    "(num_leaves=1000000000 at line 10), found 2");
	mfx_refused_as(MFX_LGB, "max_feature_idx=1", "max_feature_idx="
	    "2000000000", PF_EFORMAT, 6, "max_feature_idx=2000000000 asks for "
	    "2000000001 features per row (16000000008 bytes): at most "
	    "16777216 are supported");
	refused_file(CAT, "cat_boundaries=0 2", "cat_boundaries=0 1000000000",
	    PF_EFORMAT, 28, "cat_threshold: expected 1000000000 values (the "
	    "last of cat_boundaries), found 2");
	refused_file(CAT, "num_cat=1\nsplit_feature=1 0",
	    "num_cat=1000000000\nsplit_feature=1 0", PF_EFORMAT, 27,
	    "cat_boundaries: expected 1000000001 values, found 2");
}

/*
 * A tree the file does back but memory does not: 2^20 leaves in a chain
 * (node i: leaf i left, node i + 1 right), loaded with the address space
 * capped at what the process holds plus the file plus 28 MiB: the array
 * scratch (16 MiB) fits, the 32 MiB of nodes do not. Not under ASan, whose
 * shadow memory does not live with an address-space cap.
 */
Test(lgb_text, out_of_memory_names_the_file_and_what_was_asked_for)
{
#if defined(__SANITIZE_ADDRESS__)
	cr_skip_test("ASan: no address-space cap");
#else
	const size_t nl = (size_t)1 << 20, ni = nl - 1;
	struct rlimit old, cap;
	char path[256], want[300];
	long pages = 0, flen;
	pf_err err = {0};
	pf_gbdt *m = NULL;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/big.txt", mfx_dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fprintf(f, "tree\nmax_feature_idx=0\n\nTree=0\nnum_leaves=%zu\n", nl);
	static const char *const keys[] = {"split_feature", "threshold",
	    "decision_type", "left_child", "right_child", "leaf_value"};
	for (size_t k = 0; k < 6; k++) {
		fprintf(f, "%s=", keys[k]);
		for (size_t i = 0; i < (k == 5 ? nl : ni); i++)
			fprintf(f, "%ld ", k == 3 ? ~(long)i : k != 4 ? 0 :
			    i + 1 < ni ? (long)i + 1 : ~(long)ni);
		fprintf(f, "\n");
	}
	fprintf(f, "\nend of trees\n");
	flen = ftell(f);
	fclose(f);
	cr_assert_not_null(f = fopen("/proc/self/statm", "r"));
	cr_assert_eq(fscanf(f, "%ld", &pages), 1);
	fclose(f);
	cr_assert_eq(getrlimit(RLIMIT_AS, &old), 0);
	cap = old;
	cap.rlim_cur = (rlim_t)(pages * sysconf(_SC_PAGESIZE) + flen +
	    (28L << 20));
	cr_assert_eq(setrlimit(RLIMIT_AS, &cap), 0);
	rc = pf_gbdt_load(&m, path, &err);
	cr_assert_eq(setrlimit(RLIMIT_AS, &old), 0);
	cr_assert_eq(rc, PF_ENOMEM, "rc %d: %s: %s", rc, err.where, err.msg);
	cr_assert_null(m);
	snprintf(want, sizeof(want), "%s:4", path);
	cr_assert_str_eq(err.where, want);
	cr_assert_str_eq(err.msg, "out of memory: cannot allocate 1048575 tree "
	    "nodes of 32 bytes each", "%s", err.msg);
	m = mfx_load_ok(path);	/* the file itself is a valid model */
	cr_assert_eq(pf_gbdt_max_depth(m), (int)ni);
	pf_gbdt_free(m);
#endif
}

Test(lgb_text, truncated_and_corrupted_models_never_crash)
{
	mfx_shake(CAT, 4);
	if (access(MFX_MODELS "/lgb_lambdarank_nan.txt", R_OK) == 0)
		mfx_shake(MFX_MODELS "/lgb_lambdarank_nan.txt", 5);
}

/* feature_names= names the model's features, unless it is LightGBM's
   default Column_<j> list; a list of the wrong length is refused (above). */
Test(lgb_text, feature_names_are_the_models_own_unless_default)
{
	char path[256];
	char *s = mfx_mutate(MFX_LGB, "objective=regression\n",
	    "objective=regression\nfeature_names=bm25_title idf_sum\n");
	mfx_put(path, s);
	free(s);
	pf_gbdt *m = mfx_load_ok(path);
	cr_assert_str_eq(pf_gbdt_feature_name(m, 0), "bm25_title");
	cr_assert_str_eq(pf_gbdt_feature_name(m, 1), "idf_sum");
	cr_assert_null(pf_gbdt_feature_name(m, 2));
	pf_gbdt_free(m);
	s = mfx_mutate(MFX_LGB, "objective=regression\n",
	    "objective=regression\nfeature_names=Column_0 Column_1\n");
	mfx_put(path, s);
	free(s);
	m = mfx_load_ok(path);
	cr_assert_null(pf_gbdt_feature_name(m, 0), "defaults name nothing");
	pf_gbdt_free(m);
	mfx_put(path, MFX_LGB);
	m = mfx_load_ok(path);
	cr_assert_null(pf_gbdt_feature_name(m, 0));
	pf_gbdt_free(m);
}

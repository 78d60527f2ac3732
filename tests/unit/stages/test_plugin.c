/*
 * test_plugin.c — the plugin stage's contract (harness/stages/plugin.c)
 * with the example plugin CMake builds (tests/plugins/example_linear.c,
 * PLUGIN_DIR from tests/tests.cmake): params="k=v;k=v" reaching the
 * plugin, each candidate's feature row handed over with file feature id
 * j + 1 at column j whatever the rows' base or column map, scores equal
 * to hand values and to the built-in linear stage on the same model; the
 * broken variants (wrong ABI, no entry point) and other bad libraries
 * refused naming the file, a plugin refusing its parameters or failing a
 * score call reported with its name and reason; a feature id 0 (a
 * zero-based file) refused by check(); its registry entry.
 */
#include <math.h>

#include "stage_fixture.h"

TestSuite(plugin, .init = sfx_setup, .fini = sfx_teardown);

#define EXAMPLE	PLUGIN_DIR "/pf_plugin_example.so"
#define BADABI	PLUGIN_DIR "/pf_plugin_badabi.so"
#define NOENTRY	PLUGIN_DIR "/pf_plugin_noentry.so"

static int
open_lib(const char *lib, const char *params)
{
	const char *kv[] = {"lib", lib, "params", params, NULL};

	if (fx.g == NULL)
		sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	if (params == NULL)
		kv[2] = NULL;
	return sfx_open("plugin", kv);
}

Test(plugin, example_scores_bias_plus_weighted_sum_by_hand)
{
	cr_assert_eq(open_lib(EXAMPLE, "weights=1:2,3:-0.5;bias=0.25"), PF_OK,
	    "%s: %s", fx.err.where, fx.err.msg);
	sfx_three_rows(1);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.n, 3);
	cr_assert_float_eq(fx.c.score[0], 0.25 + 2 * (double)0.1f, 1e-15);
	cr_assert_float_eq(fx.c.score[1], 0.25 + 2 - 1.5, 1e-15);
	cr_assert_float_eq(fx.c.score[2], 0.25 - 2.0, 1e-15);	/* NaN */
	cr_assert_str_eq(sfx_doc(0), "a", "the list's order is kept");
}

Test(plugin, example_agrees_with_the_linear_stage)
{
	const char *kv[] = {"weights", "w.txt", NULL};
	double got[3];

	cr_assert_eq(open_lib(EXAMPLE, "weights=1:2,2:0.125,3:-0.5;bias=-1"),
	    PF_OK, "%s", fx.err.msg);
	sfx_three_rows(1);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	memcpy(got, fx.c.score, sizeof(got));
	sfx_put("w.txt", "bias -1\n1 2\n2 0.125\n3 -0.5\n");
	sfx_open_ok("linear", kv);
	sfx_three_rows(1);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(got[i], fx.c.score[i], "candidate %zu: plugin %a, "
		    "linear %a", i, got[i], fx.c.score[i]);
}

Test(plugin, columns_are_file_feature_ids_from_one_whatever_the_base)
{
	/* base 0: the rows' columns are ids 0, 1, 2; the plugin's column j
	   is id j + 1, so its id 1 is the rows' second column and its id 3
	   is absent (NaN: adds nothing) */
	cr_assert_eq(open_lib(EXAMPLE, "weights=1:1,3:100"), PF_OK, "%s",
	    fx.err.msg);
	sfx_three_rows(0);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.score[0], 0.0);	/* row 2: NaN */
	cr_assert_eq(fx.c.score[1], 2.0);
	cr_assert_eq(fx.c.score[2], 5.0);
}

Test(plugin, remapped_ids_reach_the_plugin_at_their_abi_columns)
{
	/* the rows' columns are ids 2, 5 and 9 (stage.h's column map); the
	   ABI's column j is id j + 1 whatever the rows' layout */
	static const uint32_t ids[] = {2, 5, 9};

	cr_assert_eq(open_lib(EXAMPLE, "weights=1:1000,2:1,5:10,9:100"), PF_OK,
	    "%s", fx.err.msg);
	sfx_three_rows(1);
	fx.c.feats.id = ids;
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_float_eq(fx.c.score[0], (double)0.1f, 1e-15);	/* row 2 */
	cr_assert_eq(fx.c.score[1], 1.0 + 20.0 + 300.0);	/* row 0 */
	cr_assert_eq(fx.c.score[2], 50.0 + 400.0);		/* row 1 */
}

Test(plugin, no_params_opens_with_none)
{
	cr_assert_eq(open_lib(EXAMPLE, NULL), PF_OK, "%s", fx.err.msg);
	sfx_three_rows(1);
	cr_assert_eq(sfx_query("q1"), PF_OK);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(fx.c.score[i], 0.0);
}

Test(plugin, a_failing_score_call_is_a_stage_error_with_its_reason)
{
	cr_assert_eq(open_lib(EXAMPLE, "fail=1"), PF_OK, "%s", fx.err.msg);
	sfx_three_rows(1);
	sfx_expect_err(sfx_query("q1"), PF_ESTAGE, "", "plugin 'example-linear' "
	    "(" EXAMPLE ") failed: asked to fail (fail=1)");
}

Test(plugin, candidates_without_features_are_a_stage_error)
{
	const char *docs[] = {"a"};
	const double s[] = {0};

	cr_assert_eq(open_lib(EXAMPLE, NULL), PF_OK, "%s", fx.err.msg);
	sfx_list(docs, s, 1);
	sfx_expect_err(sfx_query("q1"), PF_ESTAGE, "", "plugin needs a stage "
	    "before it that provides features");
	fx.c.n = 0;
	cr_assert_eq(sfx_query("q1"), PF_OK, "an empty list needs none");
}

Test(plugin, wrong_abi_version_is_refused_naming_the_plugin)
{
	sfx_expect_err(open_lib(BADABI, NULL), PF_EINVAL, BADABI,
	    "plugin ABI version 99, this preflight speaks 1");
}

Test(plugin, a_library_without_the_entry_point_is_refused)
{
	sfx_expect_err(open_lib(NOENTRY, NULL), PF_EINVAL, NOENTRY,
	    "not a preflight plugin: no symbol pf_plugin_entry");
}

Test(plugin, an_unloadable_library_is_refused_naming_it)
{
	sfx_expect_err(open_lib("absent.so", NULL), PF_EINVAL,
	    sfx_at("absent.so", 0), "cannot load the plugin: ");
	sfx_put("text.so", "not an ELF file\n");
	sfx_expect_err(open_lib("text.so", NULL), PF_EINVAL, sfx_at("text.so",
	    0), "cannot load the plugin: ");
}

Test(plugin, malformed_params_are_refused_at_their_line)
{
	sfx_expect_err(open_lib(EXAMPLE, "bias=1;weights"), PF_EINVAL,
	    SFX_SCENARIO ":9", "params: expected k=v;k=v, got 'weights'");
}

Test(plugin, a_plugin_refusing_its_params_says_why)
{
	sfx_expect_err(open_lib(EXAMPLE, "colour=red"), PF_EINVAL, EXAMPLE,
	    "plugin 'example-linear' refused to open: unknown parameter "
	    "'colour'");
	sfx_expect_err(open_lib(EXAMPLE, "weights=3"), PF_EINVAL, EXAMPLE,
	    "refused to open: weights: expected id:weight at '3'");
}

/*
 * Was a bug, fixed with this test: plugin.c does not check its required lib=;
 * without it the path is "" and dlopen("") opens the running program
 * itself, so the error is "not a preflight plugin: no symbol
 * pf_plugin_entry" with an empty err.where, naming neither the parameter
 * nor the stage (only scenario.xsd requires lib=).
 */
Test(plugin, a_missing_lib_parameter_is_refused_naming_it)
{
	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	sfx_expect_err(sfx_open("plugin", NULL), PF_EINVAL, SFX_SCENARIO ":7",
	    "lib");
}

Test(plugin, registry_entry)
{
	const char *params[] = {"lib", "required", "params", "optional", NULL};

	sfx_registry("plugin", PF_STAGE_SCORES, params);
}

/*
 * A zero-based candidate file's feature 0 has no ABI column: check()
 * refuses it before any query runs rather than let it be dropped.
 */
Test(plugin, check_refuses_a_feature_zero_the_abi_cannot_pass)
{
	static const float x[] = {1.0f, 2.0f};
	const uint32_t ids[] = {0, 7}, later[] = {3, 7};

	cr_assert_eq(open_lib(EXAMPLE, "weights=1:1"), PF_OK, "%s",
	    fx.err.msg);
	cr_assert_not_null(fx.ops->check);
	cr_assert_eq(fx.ops->check(fx.st, &(pf_feats){x, NULL, 2, 1, NULL, NULL},
	    &fx.err), PF_OK);
	cr_assert_eq(fx.ops->check(fx.st, &(pf_feats){x, NULL, 2, 1, later, NULL},
	    &fx.err), PF_OK);
	sfx_expect_err(fx.ops->check(fx.st, &(pf_feats){x, NULL, 2, 0, NULL, NULL},
	    &fx.err), PF_EDATA, "", "feature id 0 (a zero-based file)");
	sfx_expect_err(fx.ops->check(fx.st, &(pf_feats){x, NULL, 2, 1, ids, NULL},
	    &fx.err), PF_EDATA, "", "plugin ABI passes file feature ids 1..W");
}

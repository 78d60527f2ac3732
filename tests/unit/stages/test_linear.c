/*
 * test_linear.c — the linear stage's contract (harness/stages/linear.c):
 * score = bias + sum of weight x feature over the weights file's ids,
 * an absent (NaN) feature or an id outside the rows adding nothing, each
 * candidate read through its own feature row, the file ids mapped through
 * pf_feats.base or its remapped ids; its errors (no features before it,
 * unreadable file, malformed lines, an empty file, a feature id given
 * twice and a second bias line at path:line, a missing weights=); its
 * registry entry.
 */
#include <math.h>

#include "stage_fixture.h"

TestSuite(linear, .init = sfx_setup, .fini = sfx_teardown);

static const char WEIGHTS[] = "# a comment, then a blank line\n\n"
    "bias 0.25\n"
    "1 2.0\n"
    "3 -0.5\n"
    "7 10\n"		/* beyond the rows' three columns: adds nothing */
    "   \n";

static void
open_weights(const char *text)
{
	const char *kv[] = {"weights", "w.txt", NULL};

	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	sfx_put("w.txt", text);
	sfx_open_ok("linear", kv);
}

Test(linear, score_is_bias_plus_weighted_sum_with_absent_adding_nothing)
{
	open_weights(WEIGHTS);
	sfx_three_rows(1);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.n, 3, "linear keeps every candidate");
	/* row 2: 0.25 + 2 * 0.1f (features 2 and 3 absent) */
	cr_assert_float_eq(fx.c.score[0], 0.25 + 2.0 * (double)0.1f, 1e-15);
	/* row 0: 0.25 + 2 * 1 - 0.5 * 3 */
	cr_assert_float_eq(fx.c.score[1], 0.75, 1e-15);
	/* row 1: feature 1 absent: 0.25 - 0.5 * 4 */
	cr_assert_float_eq(fx.c.score[2], -1.75, 1e-15);
	cr_assert_str_eq(sfx_doc(0), "a", "the list's order is kept");
}

Test(linear, file_ids_are_mapped_through_the_feature_base)
{
	/* base 0: column j is id j, so id 1 is the second column, id 3 none */
	open_weights(WEIGHTS);
	sfx_three_rows(0);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_float_eq(fx.c.score[0], 0.25, 1e-15);		/* NaN */
	cr_assert_float_eq(fx.c.score[1], 0.25 + 2 * 2.0, 1e-15);
	cr_assert_float_eq(fx.c.score[2], 0.25 + 2 * 5.0, 1e-15);
}

Test(linear, no_bias_line_means_a_zero_bias)
{
	open_weights("2 1\n");
	sfx_three_rows(1);
	cr_assert_eq(sfx_query("q1"), PF_OK);
	cr_assert_eq(fx.c.score[0], 0.0, "row 2 lacks feature 2: %g",
	    fx.c.score[0]);
	cr_assert_eq(fx.c.score[1], 2.0);
	cr_assert_eq(fx.c.score[2], 5.0);
}

Test(linear, a_bias_line_alone_is_accepted)
{
	/* a constant ranker, but said so on purpose: not an empty file */
	open_weights("bias -3\n");
	sfx_three_rows(1);
	cr_assert_eq(sfx_query("q1"), PF_OK);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(fx.c.score[i], -3.0);
}

Test(linear, remapped_ids_score_as_the_dense_ones)
{
	/* the rows' columns are ids 4000001..4000003 (stage.h's column
	   map) and the weights name them: the first test's scores */
	static const uint32_t ids[] = {4000001, 4000002, 4000003};
	double dense[3];

	open_weights(WEIGHTS);
	sfx_three_rows(1);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	memcpy(dense, fx.c.score, sizeof(dense));
	open_weights("# shifted\n\nbias 0.25\n4000001 2.0\n4000003 -0.5\n"
	    "4000007 10\n");
	sfx_three_rows(1);
	fx.c.feats.id = ids;
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(fx.c.score[i], dense[i], "row %zu: %a, dense %a",
		    i, fx.c.score[i], dense[i]);
}

Test(linear, remapped_ids_between_the_columns_add_nothing)
{
	static const uint32_t ids[] = {2, 50, 2000000000};

	open_weights("1 100\n50 1\n51 100\n2000000000 10\n");
	sfx_three_rows(1);
	fx.c.feats.id = ids;
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.score[0], 0.0);		/* row 2: NaN, NaN */
	cr_assert_eq(fx.c.score[1], 2.0 + 30.0);	/* row 0 */
	cr_assert_eq(fx.c.score[2], 5.0 + 40.0);	/* row 1 */
}

/* A weights file refused at line with part in the message. */
static void
refused(const char *text, long line, const char *part)
{
	static int n;
	char name[16];

	snprintf(name, sizeof(name), "r%d.txt", n++);
	sfx_put(name, text);
	const char *kv[] = {"weights", name, NULL};
	sfx_expect_err(sfx_open("linear", kv), PF_EFORMAT, sfx_at(name, line),
	    part);
}

Test(linear, an_empty_weights_file_is_refused)
{
	/* no weight and no bias: every candidate the same score */
	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	refused("", 1, "no weights and no bias");
	refused("# only\n\n  # comments\n", 3, "no weights and no bias");
}

Test(linear, a_feature_id_given_twice_is_refused_at_its_second_line)
{
	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	refused("bias 1\n3 1\n2 1\n3 1\n", 4, "feature 3 given twice "
	    "(first at line 2)");
	/* the earliest repeat in the file, whatever the ids' order */
	refused("9 1\n2 1\n2 5\n9 1\n", 3, "feature 2 given twice (first at "
	    "line 2)");
}

Test(linear, a_second_bias_line_is_refused)
{
	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	refused("bias 1\n1 2\n\nbias -3\n", 4, "a second bias line (the "
	    "first is line 1)");
}

Test(linear, an_empty_list_needs_no_features)
{
	open_weights(WEIGHTS);
	fx.c.n = 0;
	fx.c.feats = (pf_feats){NULL, NULL, 0, 0, NULL, NULL};
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
}

Test(linear, candidates_without_features_are_a_stage_error)
{
	const char *docs[] = {"a"};
	const double s[] = {1.0};

	open_weights(WEIGHTS);
	sfx_list(docs, s, 1);
	sfx_expect_err(sfx_query("q1"), PF_ESTAGE, "", "linear needs a stage "
	    "before it that provides features");
}

Test(linear, an_unreadable_weights_file_names_the_file)
{
	const char *kv[] = {"weights", "absent.txt", NULL};

	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	sfx_expect_err(sfx_open("linear", kv), PF_EIO, sfx_at("absent.txt", 0),
	    "cannot open");
}

Test(linear, malformed_lines_are_errors_at_path_and_line)
{
	static const char *const bad[] = {
		"1 2\nbias 0\n2 abc\n",		/* line 3: not a number */
		"1 2\n\nx 1\n",			/* an id that is no integer */
		"# c\n1 2\n1 2 3\n",		/* three fields */
		"1 2\nbias\n",			/* line 2: one field */
		"bias 1\n2 inf\n3 1\n",		/* not finite */
		"1 1\n-1 2\n",			/* a negative id */
		"1 1\n4.5 2\n",			/* a fractional id */
	};
	static const long line[] = {3, 3, 3, 2, 2, 2, 2};
	char name[16];

	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "w%zu.txt", i);
		sfx_put(name, bad[i]);
		const char *kv[] = {"weights", name, NULL};
		sfx_expect_err(sfx_open("linear", kv), PF_EFORMAT,
		    sfx_at(name, line[i]), "expected '<feature id> <weight>' or "
		    "'bias <value>'");
	}
}

/*
 * Was a bug, fixed with this test: linear.c does not check its required
 * weights=; without it the path is "" and open fails with PF_EIO, an
 * empty err.where and "cannot open: No such file or directory", naming
 * neither the parameter nor the stage (only scenario.xsd requires it).
 */
Test(linear, a_missing_weights_parameter_is_refused_naming_it)
{
	sfx_golden("qid\ttext\nq1\tx\n", NULL, "q1 0 a 1\n");
	sfx_expect_err(sfx_open("linear", NULL), PF_EINVAL, SFX_SCENARIO ":7",
	    "weights");
}

Test(linear, registry_entry)
{
	const char *params[] = {"weights", "required", NULL};

	sfx_registry("linear", PF_STAGE_SCORES, params);
}

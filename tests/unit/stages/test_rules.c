/*
 * test_rules.c — the rules stage's contract (harness/stages/rules.c) on a
 * hand-made ranked list: pin (to position 1 or n, past the end = last),
 * bury, remove, in file order, each moved document rescored between its
 * new neighbours so the engine's sort (score, then docid descending) keeps
 * the rules' order; rules for other queries, unknown queries and
 * documents not retrieved doing nothing; dedupe on a corpus field keeping
 * the best-ranked document of each value (a pinned one winning, documents
 * without the field kept); its errors (no file and no dedupe, unreadable
 * file, malformed lines at path:line, dedupe without a corpus or on an
 * unknown field); its registry entry.
 */
#include <math.h>

#include "stage_fixture.h"

TestSuite(rules, .init = sfx_setup, .fini = sfx_teardown);

/* A list in the engine's order, as rules gets it. */
static const char *const DOCS[] = {"a", "b", "c", "d", "e"};
static const double SCORES[] = {5, 4, 3, 2, 1};

static const char QUERIES[] = "qid\ttext\nq1\tx\nq2\ty\n";
static const char CORPUS[] = "docid\ttitle\tbody\turl\n"
    "a\tA\ta\thttp://x\n"
    "b\tB\tb\thttp://y\n"
    "c\tC\tc\thttp://x\n"
    "d\tD\td\t\n"		/* no url */
    "e\tE\te\thttp://y\n";

/* Opens rules with the file text (NULL: none) and extra kv, corpus or
   not, and sets the list. */
static int
open_rules(const char *text, const char *dedupe, int corpus)
{
	const char *kv[5] = {NULL};
	size_t n = 0;

	sfx_golden(QUERIES, corpus ? CORPUS : NULL, "q1 0 a 1\nq2 0 b 1\n");
	for (size_t i = 0; i < 5; i++)	/* as a retrieval stage opened before */
		cr_assert_geq(pf_golden_doc(fx.g, DOCS[i], strlen(DOCS[i])), 0);
	if (text != NULL) {
		sfx_put("rules.tsv", text);
		kv[n++] = "file";
		kv[n++] = "rules.tsv";
	}
	if (dedupe != NULL) {
		kv[n++] = "dedupe";
		kv[n++] = dedupe;
	}
	int rc = sfx_open("rules", kv);
	sfx_list(DOCS, SCORES, 5);
	return rc;
}

/* The list is docids in this order, and the engine's sort (score
   descending, then docid descending) would keep that order. */
static void
expect_order(const char *want)
{
	char got[32] = "";

	for (size_t i = 0; i < fx.c.n; i++)
		strcat(got, sfx_doc(i));
	cr_assert_str_eq(got, want);
	for (size_t i = 0; i + 1 < fx.c.n; i++)
		cr_assert(fx.c.score[i] > fx.c.score[i + 1] ||
		    (fx.c.score[i] == fx.c.score[i + 1] &&
		    strcmp(sfx_doc(i), sfx_doc(i + 1)) > 0),
		    "positions %zu (%s %.17g) and %zu (%s %.17g) would swap "
		    "in the engine's sort", i + 1, sfx_doc(i), fx.c.score[i],
		    i + 2, sfx_doc(i + 1), fx.c.score[i + 1]);
}

static void
run_ok(const char *text, const char *want)
{
	cr_assert_eq(open_rules(text, NULL, 0), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	expect_order(want);
}

Test(rules, pin_moves_a_document_to_position_one_by_default)
{
	run_ok("q1\td\tpin\n", "dabce");
	cr_assert_gt(fx.c.score[0], 5.0);
	cr_assert_eq(fx.c.score[1], 5.0, "the others keep their scores");
}

Test(rules, pin_to_a_position_rescores_between_the_new_neighbours)
{
	run_ok("q1\te\tpin\t3\n", "abecd");
	cr_assert(fx.c.score[2] < 4.0 && fx.c.score[2] > 3.0, "%g",
	    fx.c.score[2]);
}

Test(rules, pin_past_the_end_means_last)
{
	run_ok("q1\ta\tpin\t99\n", "bcdea");
}

Test(rules, bury_moves_a_document_below_the_last)
{
	run_ok("q1\tb\tbury\n", "acdeb");
	cr_assert_lt(fx.c.score[4], 1.0);
}

Test(rules, remove_drops_a_document)
{
	run_ok("q1\tc\tremove\n", "abde");
	cr_assert_eq(fx.c.n, 4);
}

Test(rules, rules_apply_in_file_order)
{
	/* e to the top, then d above it, then a to the bottom, then e to
	   position 2 (of d e b c a: already there), then c out */
	run_ok("q1\te\tpin\nq1\td\tpin\t1\nq1\ta\tbury\n"
	    "q2\tb\tremove\n"	/* another query: not for q1 */
	    "q1\te\tpin\t2\nq1\tc\tremove\n", "deba");
}

Test(rules, rules_for_other_queries_or_unretrieved_documents_do_nothing)
{
	/* q2's rule, a query the golden set lacks, a document q1 lacks */
	run_ok("q2\te\tpin\nq7\ta\tremove\nq1\tzz\tpin\nq1\tzz\tremove\n",
	    "abcde");
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(fx.c.score[i], SCORES[i]);
	cr_assert_eq(sfx_query("q2"), PF_OK);
	expect_order("eabcd");
}

Test(rules, comments_and_blank_lines_are_skipped)
{
	run_ok("# merchandising, week 12\n\nq1\tc\tpin\n  \n", "cabde");
}

Test(rules, a_one_document_list_can_be_pinned_and_buried)
{
	cr_assert_eq(open_rules("q1\ta\tpin\nq1\ta\tbury\n", NULL, 0), PF_OK);
	fx.c.n = 1;
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	expect_order("a");
	cr_assert(isfinite(fx.c.score[0]));
}

/*
 * Was a bug, fixed with this test: a document pinned between two neighbours
 * with the same score gets that score (next + (prev - next) / 2 = prev),
 * so the engine's sort then orders the three by docid and the pin can
 * land above its position. Here the engine's list is b(3) a(3) c(1)
 * (ties by docid descending); pinning c to position 2 gives b c a with
 * c's score 3, and the engine's sort makes it c b a: c is first, not
 * second. README: "a moved document gets a score between its new
 * neighbours so the written run sorts the same way".
 */
Test(rules, a_pin_between_tied_neighbours_keeps_its_position)
{
	const char *docs[] = {"b", "a", "c"};
	const double s[] = {3, 3, 1};

	cr_assert_eq(open_rules("q1\tc\tpin\t2\n", NULL, 0), PF_OK);
	sfx_list(docs, s, 3);
	cr_assert_eq(sfx_query("q1"), PF_OK);
	expect_order("bca");
}

Test(rules, dedupe_keeps_the_best_ranked_document_of_each_value)
{
	/* url: a x, b y, c x, d none, e y: c and e go, d stays */
	cr_assert_eq(open_rules(NULL, "url", 1), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	expect_order("abd");
	cr_assert_eq(fx.c.score[2], 2.0);
}

Test(rules, dedupe_runs_after_the_rules_so_a_pinned_document_wins)
{
	cr_assert_eq(open_rules("q1\te\tpin\n", "url", 1), PF_OK, "%s",
	    fx.err.msg);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	expect_order("ead");	/* e beats b (y), a beats c (x) */
}

Test(rules, documents_outside_the_corpus_are_never_deduplicated)
{
	const char *docs[] = {"a", "x1", "c", "x2"};
	const double s[] = {4, 3, 2, 1};

	cr_assert_eq(open_rules(NULL, "url", 1), PF_OK, "%s", fx.err.msg);
	sfx_list(docs, s, 4);	/* x1, x2: candidates, not corpus documents */
	cr_assert_eq(sfx_query("q1"), PF_OK);
	cr_assert_eq(fx.c.n, 3);
	cr_assert_eq(sfx_find("c"), -1);
	cr_assert_geq(sfx_find("x1"), 0);
	cr_assert_geq(sfx_find("x2"), 0);
}

Test(rules, needs_a_file_or_dedupe)
{
	sfx_expect_err(open_rules(NULL, NULL, 0), PF_EINVAL, SFX_SCENARIO ":7",
	    "rules wants file= (pin, bury, remove), dedupe= or both");
}

Test(rules, an_unreadable_file_names_the_file)
{
	const char *kv[] = {"file", "absent.tsv", NULL};

	sfx_golden(QUERIES, NULL, "q1 0 a 1\n");
	sfx_expect_err(sfx_open("rules", kv), PF_EIO, sfx_at("absent.tsv", 0),
	    "cannot open");
}

Test(rules, malformed_lines_are_errors_at_path_and_line)
{
	static const struct {
		const char	*text;
		long		 line;
	} bad[] = {
		{"q1\ta\tpin\nq1\tb\tpromote\n", 2},	/* unknown action */
		{"q1\ta\n", 1},				/* no action */
		{"q1\ta\tpin\t0\n", 1},			/* position 0 */
		{"q1\ta\tpin\tfirst\n", 1},
		{"\nq1\ta\tbury\t2\n", 2},		/* only pin has one */
		{"q1\ta\tremove\t1\n", 1},
		{"q1\ta\tpin\t1\textra\n", 1},
		{"q1\ta\tPIN\n", 1},			/* case matters */
	};
	char name[16];

	sfx_golden(QUERIES, NULL, "q1 0 a 1\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "r%zu.tsv", i);
		sfx_put(name, bad[i].text);
		const char *kv[] = {"file", name, NULL};
		sfx_expect_err(sfx_open("rules", kv), PF_EFORMAT, sfx_at(name,
		    bad[i].line), "expected qid, docid, pin [position] | bury "
		    "| remove");
	}
}

Test(rules, dedupe_needs_a_corpus_with_the_field)
{
	sfx_expect_err(open_rules(NULL, "url", 0), PF_EINVAL, SFX_SCENARIO
	    ":8", "dedupe='url': needs a corpus");
	pf_golden_free(fx.g);
	fx.g = NULL;
	sfx_expect_err(open_rules(NULL, "site", 1), PF_EINVAL, SFX_SCENARIO
	    ":8", "dedupe='site': no document of the corpus has that field");
}

Test(rules, registry_entry)
{
	const char *params[] = {"file", "optional", "dedupe", "optional",
	    NULL};

	sfx_registry("rules", PF_STAGE_SCORES, params);
}

Test(rules, rules_naming_unknown_queries_or_documents_are_warned_about)
{
	char want[256];

	fx.strict = 0;
	cr_assert_eq(open_rules("q1\tc\tpin\t2\nqX\ta\tbury\nq1\tnodoc\t"
	    "remove\nqY\tb\tpin\n", NULL, 0), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.warnings.n, 1);
	snprintf(want, sizeof(want), "%s:2: 2 rules name a query the golden "
	    "set lacks and 1 a document no stack can rank (first at this "
	    "line); they do nothing", sfx_path("rules.tsv"));
	cr_assert_str_eq(fx.warnings.msg[0], want);
}

Test(rules, under_strict_an_unknown_query_or_document_is_an_error)
{
	fx.strict = 1;
	cr_assert_eq(open_rules("q1\tc\tpin\t2\nq1\tnodoc\tremove\n", NULL,
	    0), PF_EDATA);
	cr_assert(strstr(fx.err.msg, "0 rules name a query the golden set "
	    "lacks and 1 a document no stack can rank (first at this line): "
	    "refused under --strict") != NULL, "%s", fx.err.msg);
	cr_assert(strstr(fx.err.where, ":2") != NULL, "%s", fx.err.where);
}

Test(rules, a_repeated_query_and_document_applies_and_is_warned_about)
{
	char want[256];

	fx.strict = 0;
	/* lines 1, 3 and 4 are the same (q1, e); line 4 is the second repeat */
	run_ok("q1\te\tpin\nq1\ta\tbury\nq1\te\tbury\nq1\te\tpin\t2\n",
	    "becda");
	cr_assert_eq(fx.warnings.n, 1);
	snprintf(want, sizeof(want), "%s:3: 2 rules repeat an earlier one's "
	    "query and document (here query 'q1', document 'e', first at line "
	    "1); all apply, in file order", sfx_path("rules.tsv"));
	cr_assert_str_eq(fx.warnings.msg[0], want);
}

Test(rules, under_strict_a_repeated_query_and_document_is_an_error)
{
	fx.strict = 1;
	cr_assert_eq(open_rules("q1\tc\tpin\nq2\tc\tpin\nq1\tc\tbury\n", NULL,
	    0), PF_EDATA);
	cr_assert(strstr(fx.err.msg, "a second rule for query 'q1', document "
	    "'c' (the first is at line 1): refused under --strict") != NULL,
	    "%s", fx.err.msg);
	cr_assert(strstr(fx.err.where, ":3") != NULL, "%s", fx.err.where);
}

/*
 * test_featnames.c — the feature names file (harness/load/featnames.h) and
 * the name table (harness/util/fnames.h): lines read into (id, name,
 * query-level), sorted by id whatever the file's order; comments, blank
 * lines, CRLF and a byte-order mark accepted; every malformed line refused
 * at path:line with what was expected; the display form of a feature
 * (reports/featname.h).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/load/featnames.h"
#include "reports/featname.h"

static char path[128];

static const char *
put(const char *text, size_t len)
{
	snprintf(path, sizeof(path), "/tmp/pf_fnames_%d.tsv", (int)getpid());
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	fwrite(text, 1, len, f);
	fclose(f);
	return path;
}

static pf_fnames *
load_ok(const char *text, size_t len)
{
	pf_fnames *t = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_featnames_load(&t, put(text, len), &err), PF_OK,
	    "%s: %s", err.where, err.msg);
	cr_assert_not_null(t);
	return t;
}

static void
load_bad(const char *text, long line, const char *what)
{
	pf_fnames *t = (pf_fnames *)1;
	pf_err err = {0};
	char where[160];

	cr_assert_eq(pf_featnames_load(&t, put(text, strlen(text)), &err),
	    PF_EFORMAT, "%s", text);
	cr_assert_null(t);
	snprintf(where, sizeof(where), "%s:%ld", path, line);
	cr_assert_str_eq(err.where, where, "%s", err.msg);
	cr_assert(strstr(err.msg, what) != NULL, "'%s' lacks '%s'", err.msg,
	    what);
}

Test(featnames, lines_sorted_by_id_with_query_marks)
{
	static const char txt[] = "# id name level\n\n12\tbm25_title\n"
	    "3\tidf_sum\tquery\r\n0\tzero\n";
	pf_fnames *t = load_ok(txt, sizeof(txt) - 1);

	cr_assert_eq(t->n, 3);
	cr_assert_eq(t->id[0], 0);
	cr_assert_eq(t->id[1], 3);
	cr_assert_eq(t->id[2], 12);
	cr_assert_str_eq(pf_fnames_get(t, 12), "bm25_title");
	cr_assert_str_eq(pf_fnames_get(t, 3), "idf_sum", "CR dropped");
	cr_assert_null(pf_fnames_get(t, 4));
	cr_assert_eq(pf_fnames_query(t, 3), 1);
	cr_assert_eq(pf_fnames_query(t, 12), 0);
	cr_assert_eq(t->line[2], 3, "line of id 12");
	cr_assert_eq(pf_fnames_id(t, "zero"), 0);
	cr_assert_eq(pf_fnames_id(t, "nope"), -1);
	pf_fnames_free(t);
}

Test(featnames, byte_order_mark_is_dropped)
{
	static const char txt[] = "\xef\xbb\xbf" "1\ta\n";
	pf_fnames *t = load_ok(txt, sizeof(txt) - 1);

	cr_assert_str_eq(pf_fnames_get(t, 1), "a");
	pf_fnames_free(t);
}

Test(featnames, malformed_lines_are_refused_at_their_line)
{
	load_bad("1\ta\nx\tb\n", 2, "expected a feature id");
	load_bad("1\ta\n1.5\tb\n", 2, "expected a feature id");
	load_bad("-1\ta\n", 1, "expected a feature id");
	load_bad("2147483648\ta\n", 1, "expected a feature id");
	load_bad("1 a\n", 1, "expected 'id<TAB>name'");
	load_bad("1\ta\tquery\tx\n", 1, "expected 'id<TAB>name'");
	load_bad("1\t\n", 1, "expected a name in column 2");
	load_bad("1\t a\n", 1, "no leading or trailing space");
	load_bad("1\ta\tdoc\n", 1, "expected 'query'");
	load_bad("1\ta\n2\tb\n01\tc\n", 3, "feature 1 named twice (first at "
	    "line 1)");
	load_bad("1\ta\n2\tb\n3\ta\n", 3, "name 'a' given twice (first at "
	    "line 1, feature 3 here)");
	load_bad("# nothing\n\n", 2, "no names");
}

Test(featnames, nul_byte_is_refused)
{
	static const char txt[] = "1\ta\n2\tb\0c\n";
	pf_fnames *t = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_featnames_load(&t, put(txt, sizeof(txt) - 1), &err),
	    PF_EFORMAT);
	char where[160];
	snprintf(where, sizeof(where), "%s:2", path);
	cr_assert_str_eq(err.where, where, "%s", err.msg);
}

Test(featnames, disagreements_are_the_ids_named_differently)
{
	pf_fnames *a = pf_fnames_new("a"), *b = pf_fnames_new("b");
	long ids[2];

	cr_assert_eq(pf_fnames_add(a, 1, "x", 1, 0, 0), 0);
	cr_assert_eq(pf_fnames_add(a, 2, "y", 1, 0, 0), 0);
	cr_assert_eq(pf_fnames_add(a, 3, "z", 1, 0, 0), 0);
	cr_assert_eq(pf_fnames_add(a, 5, "v", 1, 0, 0), 0);
	cr_assert_eq(pf_fnames_add(b, 3, "zz", 2, 0, 0), 0);
	cr_assert_eq(pf_fnames_add(b, 1, "x", 1, 0, 0), 0);
	cr_assert_eq(pf_fnames_add(b, 2, "w", 1, 0, 0), 0);
	cr_assert_eq(pf_fnames_add(b, 4, "u", 1, 0, 0), 0);
	cr_assert_eq(pf_fnames_sort(b), 0);
	/* 2 and 3 differ; 1 agrees; 4 and 5 are named by one side only */
	cr_assert_eq(pf_fnames_disagree(a, b, ids, 1), 2);
	cr_assert_eq(ids[0], 2);
	cr_assert_eq(pf_fnames_disagree(a, b, ids, 2), 2);
	cr_assert_eq(ids[1], 3);
	pf_fnames_free(a);
	pf_fnames_free(b);
}

Test(featnames, label_is_name_and_id_or_f_and_id)
{
	char b[64];

	cr_assert_str_eq(pf_feat_label(b, sizeof(b), "bm25_title", 1),
	    "bm25_title (1)");
	cr_assert_str_eq(pf_feat_label(b, sizeof(b), NULL, 12), "f12");
	cr_assert_str_eq(pf_feat_label(b, sizeof(b), "", 12), "f12");
	cr_assert_str_eq(pf_feat_label(b, sizeof(b), "f12", 12), "f12",
	    "the nameless form is not repeated");
	cr_assert_str_eq(pf_feat_label(b, sizeof(b), "f3", 12), "f3 (12)");
	cr_assert(pf_feat_is_plain("f7", 7));
	cr_assert(!pf_feat_is_plain("f7", 8));
}

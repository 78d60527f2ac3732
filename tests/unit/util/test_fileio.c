/*
 * test_fileio.c — harness/util/fileio.c: the text rules every loader
 * shares (a byte-order mark dropped with a warning, a NUL byte refused at
 * its line), whether two paths are one file, and all-or-nothing commits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "harness/util/fileio.h"

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/pf_test_fileio_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(fileio, .init = setup, .fini = teardown);

/* dir/name holding n bytes of text; the path in a static buffer. */
static const char *
put(const char *name, const char *text, size_t n)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(path, "wb"));
	cr_assert_eq(fwrite(text, 1, n, f), n);
	fclose(f);
	return path;
}

static char *
slurp(const char *path)
{
	char *buf;
	size_t len;
	pf_err err = {0};

	cr_assert_eq(pf_read_file(&buf, &len, path, &err), PF_OK, "%s",
	    err.msg);
	return buf;
}

Test(fileio, read_text_drops_a_byte_order_mark_with_one_warning,
    .init = cr_redirect_stderr)
{
	const char *p = put("q.txt", "\xef\xbb\xbf" "1 0 a 1\n", 11);
	char *buf;
	size_t len;
	pf_err err = {0};
	char want[200];

	cr_assert_eq(pf_read_text(&buf, &len, p, &err), PF_OK);
	cr_assert_eq(len, 8);
	cr_assert_str_eq(buf, "1 0 a 1\n");
	free(buf);
	fflush(stderr);
	snprintf(want, sizeof(want), "preflight: warning: %s: a UTF-8 "
	    "byte-order mark at its start was ignored\n", p);
	cr_assert_stderr_eq_str(want);
}

Test(fileio, read_text_refuses_a_nul_byte_at_its_line)
{
	const char *p = put("r.run", "1 Q0 a 1 1 r\n1 Q0 b\0 2 0 r\n", 27);
	char *buf = (char *)1;
	size_t len = 7;
	pf_err err = {0};

	cr_assert_eq(pf_read_text(&buf, &len, p, &err), PF_EFORMAT);
	cr_assert_null(buf);
	cr_assert_eq(len, 0);
	cr_assert(strstr(err.where, "r.run:2") != NULL, "%s", err.where);
	cr_assert_str_eq(err.msg, "NUL byte in the line (expected text)");
}

Test(fileio, read_text_keeps_a_mark_that_is_not_at_the_start)
{
	const char *p = put("d.tsv", "d1\t\xef\xbb\xbfx\ty\n", 10);
	char *buf;
	size_t len;
	pf_err err = {0};

	cr_assert_eq(pf_read_text(&buf, &len, p, &err), PF_OK);
	cr_assert_eq(len, 10);
	cr_assert_eq(memcmp(buf, "d1\t\xef\xbb\xbfx\ty\n", 10), 0);
	free(buf);
}

Test(fileio, text_line_applies_the_same_rules_a_line_at_a_time,
    .init = cr_redirect_stderr)
{
	char l1[] = "\xef\xbb\xbf" "2 qid:1 1:0.5\n", l2[] = "\xef\xbb\xbfx\n",
	    l3[] = "1 q\0id:1\n";
	char *t = l1;
	size_t n = strlen(l1);
	pf_err err = {0};

	cr_assert_eq(pf_text_line(&t, &n, 1, "f.svm", &err), PF_OK);
	cr_assert_eq(n, strlen("2 qid:1 1:0.5\n"));
	cr_assert_eq(memcmp(t, "2 qid:1", 7), 0);
	t = l2;		/* a mark on line 2 is text, not a mark */
	n = strlen(l2);
	cr_assert_eq(pf_text_line(&t, &n, 2, "f.svm", &err), PF_OK);
	cr_assert_eq(t, l2);
	t = l3;
	n = sizeof(l3) - 1;
	cr_assert_eq(pf_text_line(&t, &n, 7, "f.svm", &err), PF_EFORMAT);
	cr_assert_str_eq(err.where, "f.svm:7");
	fflush(stderr);
	cr_assert_stderr_eq_str("preflight: warning: f.svm: a UTF-8 "
	    "byte-order mark at its start was ignored\n");
}

Test(fileio, same_file_compares_files_not_spellings)
{
	char a[160], b[160], c[160], sub[128];

	put("x", "x", 1);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	cr_assert_eq(mkdir(sub, 0777), 0);
	snprintf(a, sizeof(a), "%s/x", dir);
	snprintf(b, sizeof(b), "%s/sub/../x", dir);
	snprintf(c, sizeof(c), "%s/sub/x", dir);
	cr_assert(pf_same_file(a, b));
	cr_assert(!pf_same_file(a, c));
	/* not there yet: the same folder and name */
	snprintf(a, sizeof(a), "%s/new", dir);
	snprintf(b, sizeof(b), "%s/sub/../new", dir);
	cr_assert(pf_same_file(a, b));
}

Test(fileio, commit_all_replaces_every_file_or_none)
{
	pf_atomic_file af[2];
	pf_err err = {0};
	char p1[128], p2[128];
	char *t;

	strcpy(p1, put("one", "old1", 4));
	strcpy(p2, put("two", "old2", 4));
	cr_assert_eq(pf_atomic_open(&af[0], p1, &err), PF_OK);
	cr_assert_eq(pf_atomic_open(&af[1], p2, &err), PF_OK);
	fputs("new1", af[0].f);
	fputs("new2", af[1].f);
	cr_assert_eq(pf_atomic_commit_all(af, 2, &err), PF_OK, "%s",
	    err.msg);
	cr_assert_str_eq(t = slurp(p1), "new1");
	free(t);
	cr_assert_str_eq(t = slurp(p2), "new2");
	free(t);
	/* the second cannot be renamed (its folder is gone): the first is
	   put back as it was */
	char sub[128], p3[160];
	snprintf(sub, sizeof(sub), "%s/gone", dir);
	cr_assert_eq(mkdir(sub, 0777), 0);
	snprintf(p3, sizeof(p3), "%s/three", sub);
	cr_assert_eq(pf_atomic_open(&af[0], p1, &err), PF_OK);
	cr_assert_eq(pf_atomic_open(&af[1], p3, &err), PF_OK);
	fputs("newer1", af[0].f);
	fputs("x", af[1].f);
	char moved[160];
	snprintf(moved, sizeof(moved), "%s/moved", dir);
	cr_assert_eq(rename(sub, moved), 0);	/* p3's folder goes away */
	cr_assert_neq(pf_atomic_commit_all(af, 2, &err), PF_OK);
	cr_assert(strstr(err.where, "three") != NULL, "%s", err.where);
	cr_assert_str_eq(t = slurp(p1), "new1");
	free(t);
}

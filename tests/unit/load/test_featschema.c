/*
 * test_featschema.c — the feature schema file (harness/load/featschema.h):
 * rows read into (id, name, type, range, missing, level, description),
 * sorted by id whatever the file's order; comments, blank lines and CRLF
 * accepted; a malformed line refused at path:line; ranges written back
 * as read.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/load/featschema.h"

#define HDR	"id\tname\ttype\trange\tmissing\tlevel\tdescription\n"

static char path[128];

static const char *
put(const char *text)
{
	snprintf(path, sizeof(path), "/tmp/pf_fschema_%d.tsv", (int)getpid());
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

Test(featschema, rows_are_read_and_sorted_by_id)
{
	pf_fschema *s = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_fschema_load(&s, put("# a comment\r\n\r\n" HDR
	    "9\tnine\tcategory\t3|1|2\tyes\tdoc\tcodes\r\n"
	    "2\ttwo\tint\t,10\tno\tquery\t\r\n"
	    "5\tfive\tbool\t-\tyes\tdoc\ta flag\n"
	    "1\tone\tfloat\t-0.5,\tno\tdoc\tscore in [-0.5, inf)\n"), &err),
	    PF_OK, "%s: %s", err.where, err.msg);
	cr_assert_eq(s->n, 4);
	cr_assert_eq(s->row[0].id, 1);
	cr_assert_eq(s->row[0].type, PF_FT_FLOAT);
	cr_assert_eq(s->row[0].min, -0.5);
	cr_assert(isinf(s->row[0].max) && s->row[0].max > 0);
	cr_assert_str_eq(s->row[0].desc, "score in [-0.5, inf)");
	cr_assert_eq(s->row[1].id, 2);
	cr_assert(isinf(s->row[1].min) && s->row[1].min < 0);
	cr_assert_eq(s->row[1].max, 10);
	cr_assert(s->row[1].query_level);
	cr_assert(!s->row[1].missing_ok);
	cr_assert_str_eq(s->row[1].desc, "");
	cr_assert_eq(s->row[1].line, 5);
	cr_assert_eq(s->row[2].type, PF_FT_BOOL);
	cr_assert_eq(s->row[3].type, PF_FT_CATEGORY);
	cr_assert_eq(s->row[3].ncat, 3);
	cr_assert(pf_fschema_in_cats(&s->row[3], 2));
	cr_assert(!pf_fschema_in_cats(&s->row[3], 4));
	cr_assert_eq(pf_fschema_find(s, 5), &s->row[2]);
	cr_assert_null(pf_fschema_find(s, 3));
	pf_fschema_free(s);
}

Test(featschema, ranges_are_written_back_as_read)
{
	pf_fschema *s = NULL;
	pf_err err = {0};
	char buf[64];

	cr_assert_eq(pf_fschema_load(&s, put(HDR
	    "1\ta\tfloat\t0.1,0.7\tno\tdoc\tx\n"
	    "2\tb\tfloat\t,3\tno\tdoc\tx\n"
	    "3\tc\tcategory\t7|-1\tno\tdoc\tx\n"
	    "4\td\tint\t-\tno\tdoc\tx\n"), &err), PF_OK, "%s", err.msg);
	pf_fschema_range_text(&s->row[0], buf, sizeof(buf));
	cr_assert_str_eq(buf, "0.1,0.7");
	pf_fschema_range_text(&s->row[1], buf, sizeof(buf));
	cr_assert_str_eq(buf, ",3");
	pf_fschema_range_text(&s->row[2], buf, sizeof(buf));
	cr_assert_str_eq(buf, "-1|7");
	pf_fschema_range_text(&s->row[3], buf, sizeof(buf));
	cr_assert_str_eq(buf, "-");
	pf_fschema_free(s);
}

static void
refused(const char *text, const char *where, const char *msg)
{
	pf_fschema *s = NULL;
	pf_err err = {0};
	char want[160];

	cr_assert_eq(pf_fschema_load(&s, put(text), &err), PF_EFORMAT);
	cr_assert_null(s);
	snprintf(want, sizeof(want), "%s:%s", path, where);
	cr_assert_str_eq(err.where, want);
	cr_assert(strstr(err.msg, msg) != NULL, "message: %s", err.msg);
}

Test(featschema, malformed_lines_are_refused_at_their_line)
{
	refused("1\ta\tfloat\t-\tno\tdoc\tx\n", "1", "expected the header");
	refused(HDR, "1", "no features");
	refused(HDR "1\ta\tfloat\t-\tno\tdoc\n", "2", "7 tab-separated");
	refused(HDR "\n# c\n1\ta\tfloat\t-\tno\tdoc\tx\n1\tb\tint\t-\tno\tdoc"
	    "\tx\n", "5", "described twice (first at line 4)");
	refused(HDR "1\ta\tfloat\t0,1\tno\tdoc\tx\n2\ta\tint\t-\tno\tdoc"
	    "\tx\n", "3", "name 'a' given twice");
	refused(HDR "-1\ta\tfloat\t-\tno\tdoc\tx\n", "2", "feature id");
	refused(HDR "1\ta\tfloat\t0x1p1,2\tno\tdoc\tx\n", "2", "MIN,MAX");
	refused(HDR "1\ta\tfloat\tnan,1\tno\tdoc\tx\n", "2", "MIN,MAX");
	refused(HDR "1\ta\tint\t5,1\tno\tdoc\tx\n", "2", "MIN above MAX");
	refused(HDR "1\ta\tcategory\t1||2\tno\tdoc\tx\n", "2", "categories");
	refused(HDR "1\ta\tfloat\t-\tN\tdoc\tx\n", "2", "yes or no");
	refused(HDR "1\ta\tfloat\t-\tno\tQ\tx\n", "2", "query or doc");
}

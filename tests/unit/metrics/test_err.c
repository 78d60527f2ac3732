/*
 * test_err.c — metrics/err.c: errors carry where and what, and an
 * out-of-memory error names the size asked for.
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/err.h"

Test(err, set_records_where_with_a_line_only_when_positive)
{
	pf_err e;

	cr_assert_eq(pf_err_set(&e, PF_EFORMAT, "q.txt", 7, "bad %s", "x"),
	    PF_EFORMAT);
	cr_assert_str_eq(e.where, "q.txt:7");
	cr_assert_str_eq(e.msg, "bad x");
	pf_err_set(&e, PF_EIO, "q.txt", 0, "gone");
	cr_assert_str_eq(e.where, "q.txt");
	pf_err_set(&e, PF_EIO, NULL, 3, "gone");
	cr_assert_str_eq(e.where, "");
	cr_assert_eq(pf_err_set(NULL, PF_EDATA, "x", 1, "y"), PF_EDATA);
}

Test(err, nomem_names_the_count_the_size_and_the_total)
{
	pf_err e;

	cr_assert_eq(pf_err_nomem(&e, "m.txt", 1000, 1200, "candidate rows"),
	    PF_ENOMEM);
	cr_assert_str_eq(e.where, "m.txt");
	cr_assert_str_eq(e.msg, "out of memory: cannot allocate 1000 "
	    "candidate rows of 1200 bytes each (1200000 bytes)");
	pf_err_nomem(&e, NULL, SIZE_MAX / 2, 4, "nodes");
	cr_assert(strstr(e.msg, "nodes of 4 bytes each (more than ") != NULL,
	    "%s", e.msg);
}

/*
 * tests/unit/decide/test_perquery.c — the --per-query table, byte for
 * byte: header with the dimensions, stacks x queries x metrics in order,
 * %.17g values, an unjudged query's empty value and judged 0, the file
 * left untouched until committed.
 */
#include <math.h>

#include "decide_fixture.h"
#include "harness/decide/perquery.h"
#include "harness/util/fileio.h"

TestSuite(perquery, .init = fx_mkdir, .fini = fx_rmdir);

static char *
slurp(const char *path)
{
	char *buf;
	size_t len;
	pf_err err = {0};

	cr_assert_eq(pf_read_text(&buf, &len, path, &err), PF_OK, "%s",
	    err.msg);
	return buf;
}

Test(perquery, rows_in_order_with_dimensions_and_unjudged_empty)
{
	pf_golden *g = fx_golden("qid\ttext\tlang\tdevice\n"
	    "q1\ta\ten\tmobile\nq2\tb\tde\t\nq3\tc\tfr\tdesktop\n",
	    "q1 0 d1 1\nq3 0 d2 2\n", NULL);
	pf_measured m = {0};
	pf_atomic_file af = {0};
	pf_err err = {0};
	const char *path = fx_path("pq.tsv");

	fx_measured(&m, g, (const char *[]){"map", "P.1", NULL},
	    (const char *[]){"ctl", "trt", NULL}, "map");
	size_t vmap = fx_vi(&m, "map"), vp = fx_vi(&m, "P_1");
	cr_assert(m.judged[0] && !m.judged[1] && m.judged[2]);
	m.stacks[0].values[0 * m.nv + vmap] = 1.0 / 3.0;
	m.stacks[0].values[0 * m.nv + vp] = 1;
	m.stacks[0].values[2 * m.nv + vmap] = 0.1;
	m.stacks[1].values[0 * m.nv + vmap] = 0.5;
	m.stacks[1].values[2 * m.nv + vp] = 1;
	fx_put("pq.tsv", "OLD\n");
	cr_assert_eq(pf_outputs_per_query(&m, &af, path, &err), PF_OK, "%s",
	    err.msg);
	char *old = slurp(path);
	cr_assert_str_eq(old, "OLD\n");	/* not before the commit */
	free(old);
	cr_assert_eq(pf_atomic_commit(&af, &err), PF_OK, "%s", err.msg);
	char *got = slurp(path), want[1024];
	/* metrics in the spec's value order, as results.json lists them */
	const char *n0 = vmap < vp ? "map" : "P_1", *n1 = vmap < vp ? "P_1" :
	    "map";
	size_t v0 = vmap < vp ? vmap : vp, v1 = vmap < vp ? vp : vmap;
	size_t w = (size_t)snprintf(want, sizeof(want),
	    "stack\tqid\tmetric\tvalue\tjudged\tlang\tdevice\n");
	const char *qid[] = {"q1", "q2", "q3"}, *dims[] = {"en\tmobile",
	    "de\t", "fr\tdesktop"}, *ids[] = {"ctl", "trt"};
	for (size_t k = 0; k < 2; k++)
		for (size_t q = 0; q < 3; q++)
			for (size_t i = 0; i < 2; i++) {
				size_t v = i ? v1 : v0;
				char val[32] = "";
				if (q != 1)
					snprintf(val, sizeof(val), "%.17g",
					    m.stacks[k].values[q * m.nv + v]);
				w += (size_t)snprintf(want + w, sizeof(want) - w,
				    "%s\t%s\t%s\t%s\t%d\t%s\n", ids[k], qid[q],
				    i ? n1 : n0, val, q != 1, dims[q]);
			}
	cr_assert_str_eq(got, want);
	/* a third of one, to the last bit, and the unjudged row */
	cr_assert_not_null(strstr(got, "ctl\tq1\tmap\t0.33333333333333331\t1\t"
	    "en\tmobile\n"));
	cr_assert_not_null(strstr(got, "trt\tq2\tmap\t\t0\tde\t\n"));
	free(got);
	pf_measured_clear(&m);
	pf_golden_free(g);
}

Test(perquery, a_write_error_leaves_nothing_behind)
{
	pf_golden *g = fx_golden("qid\ttext\nq1\ta\n", "q1 0 d1 1\n", NULL);
	pf_measured m = {0};
	pf_atomic_file af = {0};
	pf_err err = {0};

	fx_measured(&m, g, (const char *[]){"map", NULL},
	    (const char *[]){"a", "b", NULL}, "map");
	/* a folder that is not there: nothing opened, the error names it */
	cr_assert_neq(pf_outputs_per_query(&m, &af, fx_path("no/pq.tsv"),
	    &err), PF_OK);
	cr_assert_not_null(strstr(err.where, "no/pq.tsv"), "%s", err.where);
	pf_measured_clear(&m);
	pf_golden_free(g);
}

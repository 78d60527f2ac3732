/*
 * test_lifthist.c — the CSV history of past A/B tests (harness/load/lift_history.h):
 * METHODS.md §8 item 9 end to end through the loader (the worked example
 * stored as fractions, so every lift is the printed percent / 100 and tau^2
 * the printed value / 10^4), the filters (offline_metric, golden_set), the
 * wide form, comments and quoting, and every bad-input error with its
 * path:line. The pure model is tested in test_lift.c (simulated coverage
 * included); this file does not repeat it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/lift_history.h"
#include "metrics/lift.h"

#define NEAR(a, b, tol)	cr_assert(fabs((a) - (b)) <= (tol), \
			    "%s = %.10g, want %.10g", #a, (double)(a), \
			    (double)(b))

static char tmp_path[64];

/* Writes text to a fresh temporary file; its path in tmp_path. */
static const char *
write_tmp(const char *text)
{
	strcpy(tmp_path, "/tmp/pf_lifthist_XXXXXX");
	int fd = mkstemp(tmp_path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return tmp_path;
}

static pf_lifthist *
load_ok(const char *path, const char *metric, const char *golden,
    const char *gdir)
{
	pf_lifthist *h = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_lifthist_load(&h, path, metric, golden, gdir, &err),
	    PF_OK, "%s: %s", err.where, err.msg);
	cr_assert_not_null(h);
	return h;
}

/* Loads text and expects code, "TMP:line" in where and want in msg. */
static void
load_bad(const char *text, int code, long line, const char *want)
{
	pf_lifthist *h = NULL;
	pf_err err = {0};
	char where[128];
	const char *p = write_tmp(text);

	cr_assert_eq(pf_lifthist_load(&h, p, "ndcg_cut_10", NULL, NULL, &err),
	    code, "%s: %s", err.where, err.msg);
	cr_assert_null(h);
	snprintf(where, sizeof(where), "%s:%ld", p, line);
	cr_assert_str_eq(err.where, where);
	cr_assert(strstr(err.msg, want) != NULL, "'%s' lacks '%s'", err.msg,
	    want);
	unlink(p);
}

Test(lifthist, methods_worked_example_through_the_csv)
{
	pf_lifthist *h = load_ok(FIXTURES "/lift/methods-example.csv",
	    "ndcg_cut_10", NULL, NULL);
	pf_lift_model *m = NULL;
	pf_lift_prediction p;
	pf_err err = {0};

	cr_assert_eq(h->n, 10);
	cr_assert_eq(h->nexcl_metric, 0);
	cr_assert_null(h->date);
	cr_assert_null(h->x_se);
	cr_assert_eq(h->synthetic, 0);
	cr_assert_str_eq(h->id[7], "ex-08");
	cr_assert_eq(h->line[0], 3);
	pf_lift_history lh = {h->n, 1, h->x, h->x_se, h->y, h->y_se, h->date};
	pf_lift_opts o;	/* METHODS.md's interval: tau^2 plugged in */
	pf_lift_opts_init(&o);
	o.interval = PF_LIFT_PI_PLUGIN;
	cr_assert_eq(pf_lift_fit(&m, &lh, &o, &err), PF_OK, "%s", err.msg);
	const pf_lift_summary *s = pf_lift_model_summary(m);
	cr_assert_eq(s->calibrated, 1);
	NEAR(s->tau2 * 1e4, 0.1483, 0.00005);		/* METHODS: 0.1483 */
	NEAR(s->beta[1].est * 100, 89.96, 0.005);	/* 89.96 */
	NEAR(s->beta[0].est * 100, -0.271, 0.0005);
	double x0 = 0.011, s0 = 0.002;
	cr_assert_eq(pf_lift_predict(m, &x0, &s0, 0.0, &p, &err), PF_OK);
	cr_assert_eq(p.status, PF_LIFT_CALIBRATED);
	NEAR(p.mean * 100, 0.719, 0.0005);
	NEAR(p.pi95[0] * 100, -0.37, 0.005);		/* [-0.37, 1.81]% */
	NEAR(p.pi95[1] * 100, 1.81, 0.005);
	NEAR(p.pi80[0] * 100, 0.07, 0.005);
	NEAR(p.pi80[1] * 100, 1.37, 0.005);
	cr_assert_eq(s->loo.n_in80, 9);
	cr_assert_eq(s->loo.n_sign, 9);
	pf_lift_model_free(m);
	pf_lifthist_free(h);
}

Test(lifthist, shipped_synthetic_history_loads_every_row)
{
	pf_lifthist *h = load_ok(SOURCE_DIR "/golden/lift/history-synthetic.csv",
	    "ndcg_cut_10", "Cranfield 1400, test half", "../golden/cranfield");

	cr_assert_eq(h->n, 24);
	cr_assert_eq(h->nexcl_metric + h->nexcl_golden, 0);
	cr_assert_str_eq(h->kpi, "clicks_per_search");
	cr_assert_str_eq(h->xcol, "offline_delta");
	cr_assert_not_null(h->date);
	cr_assert_str_eq(h->date[0], "2024-01-03");
	NEAR(h->x[1], 0.0708, 0);
	NEAR(h->x_se[1], 0.0074, 0);
	NEAR(h->il[1], 0.192, 0);
	NEAR(h->y[1], 0.0169, 0);
	NEAR(h->y_se[1], 0.0016, 0);
	cr_assert_eq(h->launched[0], 0);
	cr_assert_eq(h->launched[1], 1);
	pf_lifthist_free(h);
}

Test(lifthist, other_metrics_and_golden_sets_are_excluded_and_counted)
{
	const char *p = write_tmp(
	    "launch_id,offline_metric,golden_set,offline_delta,online_lift,"
	    "online_se\n"
	    "a,ndcg_cut_10,web-v7,0.01,0.002,0.001\n"
	    "a,map,web-v7,0.02,0.002,0.001\n"	/* same id, other metric */
	    "b,ndcg_cut_10,web-v6,0.03,0.004,0.001\n"
	    "c,ndcg_cut_10,gold,0.04,0.005,0.001\n");
	pf_lifthist *h = load_ok(p, "ndcg_cut_10", "gold", "/x/web-v7/");

	cr_assert_eq(h->n, 2);
	cr_assert_eq(h->nexcl_metric, 1);
	cr_assert_eq(h->nexcl_golden, 1);
	cr_assert_str_eq(h->id[0], "a");
	cr_assert_str_eq(h->id[1], "c");
	cr_assert_eq(h->line[1], 5);
	cr_assert_null(h->kpi);
	cr_assert_eq(h->launched[0], -1);
	pf_lifthist_free(h);
	unlink(p);
}

Test(lifthist, wide_form_comments_quotes_crlf_and_bom)
{
	const char *p = write_tmp(
	    "\xef\xbb\xbf# made-up rows: SYNTHETIC, for a test\r\n"
	    "\r\n"
	    "\"launch_id\",map,ndcg_cut_10,ndcg_cut_10_se,online_lift,"
	    "online_se,note\r\n"
	    "\"x,1\", 0.5 ,0.012,0.003,0.004,0.002,\"say \"\"hi\"\"\"\r\n"
	    "y2,0.1,-0.002,0,-0.001,0.002,\r\n");
	pf_lifthist *h = load_ok(p, "ndcg_cut_10", NULL, NULL);

	cr_assert_eq(h->synthetic, 1);
	cr_assert_eq(h->n, 2);
	cr_assert_str_eq(h->xcol, "ndcg_cut_10");
	cr_assert_str_eq(h->id[0], "x,1");
	NEAR(h->x[0], 0.012, 0);	/* the metric's column, not map's */
	NEAR(h->x_se[0], 0.003, 0);
	NEAR(h->x_se[1], 0.0, 0);
	NEAR(h->y[1], -0.001, 0);
	cr_assert_eq(h->line[1], 5);
	cr_assert_null(h->il);
	pf_lifthist_free(h);
	unlink(p);
}

/* One data row after a six-column header: what is wrong, on which line. */
static const struct {
	const char	*rows;
	long		 line;
	const char	*want;
} bad_rows[] = {
	{"a,2024-01-01,0.01,0.001,0.002,0.001\nb,2024-02-01,abc,0.001,0.002,"
	    "0.001\n", 3, "offline_delta: expected a number, found 'abc'"},
	{"a,2024-01-01,0.01,0.001,nan,0.001\n", 2,
	    "online_lift: expected a finite number"},
	{"a,2024-01-01,0.01,0.001,0.002,inf\n", 2,
	    "online_se: expected a finite number"},
	{"a,2024-01-01,0.01,0.001,0.002,-0.001\n", 2,
	    "online_se: expected a standard error > 0"},
	{"a,2024-01-01,0.01,0.001,0.002,0\n", 2,
	    "online_se: expected a standard error > 0"},
	{"a,2024-01-01,0.01,-0.001,0.002,0.001\n", 2,
	    "offline_se: expected a standard error >= 0"},
	{"a,2024-01-01,0.01,,0.002,0.001\n", 2,
	    "offline_se: expected a number, found ''"},
	{"a,2024-01-01,0.01,0.001,0.002,0.001\nc,2024-01-02,0.01,0.001,0.002,"
	    "0.001\na,2024-03-01,0.02,0.001,0.003,0.001\n", 4,
	    "launch_id 'a' already on line 2"},
	{"a,2024-02-30,0.01,0.001,0.002,0.001\n", 2,
	    "date: expected YYYY-MM-DD, found '2024-02-30'"},
	{"a,14/03/2024,0.01,0.001,0.002,0.001\n", 2,
	    "date: expected YYYY-MM-DD"},
	{"a,2024-01-01,0.01,0.001,0.002\n", 2,
	    "expected 6 fields as in the header, found 5"},
	{"\"a,2024-01-01,0.01,0.001,0.002,0.001\n", 2,
	    "quoted field does not end"},
};

Test(lifthist, bad_input_names_path_and_line)
{
	const char *hd = "launch_id,date,offline_delta,offline_se,online_lift,"
	    "online_se\n";
	char b[512];

	load_bad("launch_id,offline_delta,online_lift\n", PF_EFORMAT, 1,
	    "missing column 'online_se'");
	load_bad("launch_id,online_lift,online_se\n", PF_EFORMAT, 1,
	    "missing column 'offline_delta'");
	load_bad("launch_id,launch_id,offline_delta,online_lift,online_se\n",
	    PF_EFORMAT, 1, "appears twice");
	load_bad("# only a comment\n", PF_EFORMAT, 1, "expected a header");
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		snprintf(b, sizeof(b), "%s%s", hd, bad_rows[i].rows);
		load_bad(b, PF_EFORMAT, bad_rows[i].line, bad_rows[i].want);
	}
	load_bad("launch_id,offline_delta,online_lift,online_se,online_kpi\n"
	    "a,0.01,0.002,0.001,ctr\nb,0.02,0.003,0.001,bookings\n", PF_EDATA,
	    3, "online_kpi 'bookings' differs from 'ctr' of line 2");
	load_bad("launch_id,offline_delta,online_lift,online_se,launched\n"
	    "a,0.01,0.002,0.001,yes\n", PF_EFORMAT, 2, "launched: expected 0, "
	    "1 or nothing");
}

Test(lifthist, leap_day_is_a_date)
{
	const char *p = write_tmp("launch_id,date,offline_delta,online_lift,"
	    "online_se\na,2024-02-29,0.01,0.002,0.001\n");
	pf_lifthist *h = load_ok(p, "ndcg_cut_10", NULL, NULL);

	cr_assert_str_eq(h->date[0], "2024-02-29");
	pf_lifthist_free(h);
	unlink(p);
}

Test(lifthist, missing_file_is_an_io_error)
{
	pf_lifthist *h = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_lifthist_load(&h, "/nonexistent/h.csv", "map", NULL,
	    NULL, &err), PF_EIO);
	cr_assert_null(h);
}

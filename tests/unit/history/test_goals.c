/*
 * test_goals.c — goals as the history stores them (harness/history/
 * goals.c), on SQLite with the hand-built run of history_fixture.h: an
 * absolute goal; a relative goal with no labelled run yet (unknown, never
 * met), then against a labelled run (the paired delta worked out by hand,
 * met and missed); the queries' dimensions stored for judged queries; and
 * a version-1 history migrated to version 2 (old goals get a status).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "history_fixture.h"

TestSuite(goals, .init = setup, .fini = teardown);

static void
exec(const char *sql)
{
	sqlite3 *c;
	char *msg = NULL;

	cr_assert_eq(sqlite3_open(db, &c), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(c, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s",
	    sql, msg ? msg : "");
	sqlite3_close(c);
}

/* Appends the fixture run labelled model=label, the new stack's values
   replaced by vals when not NULL, with ngoals goals. */
static int64_t
append(pf_history *h, const char *label, const double *vals,
    const pf_hist_goal *goals, size_t ngoals)
{
	fixture x;
	pf_hist_label lab[] = {{"model", (char *)label}};
	pf_err err = {0};
	int64_t id = 0;

	fill(&x, "nightly", 0);
	if (vals != NULL)
		x.st[1].values = vals;
	x.run.labels = lab;
	x.run.nlabels = 1;
	x.run.goals = goals;
	x.run.ngoals = ngoals;
	cr_assert_eq(pf_history_append(h, &x.run, &id, &err), PF_OK, "%s",
	    err.msg);
	return id;
}

/* map: q1 0.25, q3 0.5 (the fixture's new stack has 0.5 and 1/3) */
static const double vals2[] = {0.625, 0.25, 0, 0, 0.0, 0.5};

Test(goals, relative_goal_unknown_then_paired_delta_by_hand)
{
	pf_history *h = NULL;
	pf_hist_table t;
	pf_err err = {0};
	pf_hist_goal g[] = {
		{.metric = "map", .stack = "new", .has_min_delta = 1,
		    .min_delta = -0.05, .against = "label:model=v41"},
		{.metric = "map", .stack = "new", .has_min_delta = 1,
		    .min_delta = -0.01, .against = "label:model=v41"},
		{.metric = "ndcg_cut_10", .has_min = 1, .min = 0.5},
	};

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK, "%s", err.msg);
	/* run 1: no run labelled model=v41 before it, not even itself */
	cr_assert_eq(append(h, "v41", NULL, g, 1), 1);
	cr_assert_eq(pf_history_goals(h, 1, &t, &err), PF_OK);
	cr_assert_eq(t.nrows, 1);
	cr_assert_str_eq(pf_hist_cell(&t, 0, 10), "unknown");
	cr_assert_str_eq(pf_hist_cell(&t, 0, 5), "0", "unknown is never met");
	cr_assert_null(pf_hist_cell(&t, 0, 4), "no value");
	cr_assert_null(pf_hist_cell(&t, 0, 9), "no reference run");
	cr_assert_str_eq(pf_hist_cell(&t, 0, 8), "label:model=v41");
	pf_hist_table_free(&t);

	/*
	 * run 2 (model=v42) against run 1: map q1 0.25 - 0.5 = -0.25,
	 * q3 0.5 - 1/3 = +1/6; mean -1/24 = -0.041666...: met at -0.05,
	 * missed at -0.01. The absolute goal (no stack: both) has
	 * ndcg_cut_10 means 0.75 (met) and 0.3125 (missed).
	 */
	cr_assert_eq(append(h, "v42", vals2, g, 3), 2);
	cr_assert_eq(pf_history_goals(h, 2, &t, &err), PF_OK);
	cr_assert_eq(t.nrows, 4);
	for (size_t i = 0; i < 2; i++) {
		cr_assert_str_eq(pf_hist_cell(&t, i, 0), "map");
		cr_assert_str_eq(pf_hist_cell(&t, i, 9), "1");
		cr_assert_float_eq(strtod(pf_hist_cell(&t, i, 4), NULL),
		    -1.0 / 24.0, 1e-15);
	}
	/* the two rows differ only by min_delta: status says which */
	int met = strcmp(pf_hist_cell(&t, 0, 6), "-0.05") == 0 ? 0 : 1;
	cr_assert_str_eq(pf_hist_cell(&t, met, 10), "met");
	cr_assert_str_eq(pf_hist_cell(&t, met, 5), "1");
	cr_assert_str_eq(pf_hist_cell(&t, 1 - met, 10), "missed");
	cr_assert_str_eq(pf_hist_cell(&t, 2, 1), "ctl");
	cr_assert_str_eq(pf_hist_cell(&t, 2, 10), "met");
	cr_assert_str_eq(pf_hist_cell(&t, 3, 1), "new");
	cr_assert_str_eq(pf_hist_cell(&t, 3, 10), "missed");
	pf_hist_table_free(&t);

	/* run 3 (model=v41 again) compares with run 1, the latest v41 */
	cr_assert_eq(append(h, "v41", vals2, g, 1), 3);
	cr_assert_eq(pf_history_goals(h, 3, &t, &err), PF_OK);
	cr_assert_str_eq(pf_hist_cell(&t, 0, 9), "1");
	pf_hist_table_free(&t);
	pf_history_close(h);
}

Test(goals, dimensions_of_judged_queries_are_stored)
{
	pf_history *h = NULL;
	pf_hist_table t;
	pf_err err = {0};

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK, "%s", err.msg);
	append(h, "v41", NULL, NULL, 0);
	cr_assert_eq(pf_history_query_dims(h, 1, &t, &err), PF_OK);
	cr_assert_eq(t.nrows, 2, "q2 is not judged");
	cr_assert_str_eq(pf_hist_cell(&t, 0, 0), "q1");
	cr_assert_str_eq(pf_hist_cell(&t, 0, 1), "len");
	cr_assert_str_eq(pf_hist_cell(&t, 0, 2), "short");
	cr_assert_str_eq(pf_hist_cell(&t, 1, 0), "q3");
	pf_hist_table_free(&t);
	cr_assert_eq(pf_history_gate_results(h, 1, &t, &err), PF_OK);
	cr_assert_eq(t.nrows, 1);
	cr_assert_str_eq(pf_hist_cell(&t, 0, 0), "gate");
	cr_assert_str_eq(pf_hist_cell(&t, 0, 3), "pass");
	pf_hist_table_free(&t);
	pf_history_close(h);
}

Test(goals, a_version_1_history_is_migrated)
{
	pf_history *h = NULL;
	pf_hist_table t;
	pf_err err = {0};
	pf_hist_goal g = {.metric = "map", .stack = "new", .has_min = 1,
	    .min = 0.3};

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK, "%s", err.msg);
	append(h, "v41", NULL, &g, 1);
	pf_history_close(h);
	/* back to version 1 by hand: what version 2 added, gone */
	exec("DROP TABLE query_dims");
	exec("ALTER TABLE goals DROP COLUMN status");
	exec("ALTER TABLE goals DROP COLUMN against_run");
	exec("ALTER TABLE goals DROP COLUMN against");
	exec("ALTER TABLE goals DROP COLUMN max_delta");
	exec("ALTER TABLE goals DROP COLUMN min_delta");
	exec("UPDATE schema_version SET version = 1");
	/* a reader migrates it (one write transaction) */
	cr_assert_eq(pf_history_open(&h, db, 0, &err), PF_OK, "%s", err.msg);
	cr_assert_eq(pf_history_version(h), 2);
	cr_assert_eq(pf_history_goals(h, 1, &t, &err), PF_OK, "%s", err.msg);
	cr_assert_str_eq(pf_hist_cell(&t, 0, 10), "met", "from met = 1");
	pf_hist_table_free(&t);
	cr_assert_eq(pf_history_query_dims(h, 1, &t, &err), PF_OK);
	cr_assert_eq(t.nrows, 0);
	pf_hist_table_free(&t);
	pf_history_close(h);
}

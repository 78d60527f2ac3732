/*
 * test_history.c — the history store on SQLite (harness/history/history.h)
 * with a hand-built run: two stacks, three queries (one unjudged), two
 * metrics. What is appended reads back through the read API value for
 * value; ids grow; the last run whose gates passed; pruning keeps the last
 * N per scenario and their rows only; a newer schema, a missing file and a
 * table gone are refused without changing anything; labels parse.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "harness/history/history.h"

static char dir[] = "/tmp/pf_test_historyXXXXXX";
static char db[64];

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/h.db", dir);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(history, .init = setup, .fini = teardown);

static const char *const metrics[] = {"ndcg_cut_10", "map"};
static const char *const qids[] = {"q1", "q2", "q3"};
static const unsigned char judged[] = {1, 0, 1};
/* q x metric, per stack; q2 unjudged */
static const double vals0[] = {0.5, 0.25, 0, 0, 1.0, 0.75};
static const double vals1[] = {0.625, 0.5, 0, 0, 0.0, 1.0 / 3.0};
static const double mean0[] = {0.75, 0.5}, mean1[] = {0.3125, 0.3125};

/* Everything one hand-built run points into. */
typedef struct fixture {
	pf_hist_run	 run;
	pf_report	 rep;
	pf_rep_stack	 st[2];
	pf_rep_gate	 gate;
	pf_rep_input	 in;
	pf_rep_delta	 dl[2];
	const char	*top[2 * 3 * PF_REP_TOPK];
	double		 score[2 * 3 * PF_REP_TOPK];
	pf_hist_featstat fs;
} fixture;

/* A run of scenario name whose gate has status gate_status. */
static void
fill(fixture *x, const char *name, int gate_status)
{
	pf_hist_run *run = &x->run;
	pf_report *rep = &x->rep;
	pf_rep_stack *st = x->st;
	pf_rep_gate *gate = &x->gate;
	pf_rep_input *in = &x->in;
	pf_rep_delta *dl = x->dl;
	const char **top = x->top;
	double *score = x->score;
	pf_hist_featstat *fs = &x->fs;

	st[0] = (pf_rep_stack){.id = "ctl", .name = "control", .stages = "bm25",
	    .mean = mean0, .values = vals0};
	st[1] = (pf_rep_stack){.id = "new", .name = "new", .stages = "bm25 > gbdt",
	    .mean = mean1, .values = vals1};
	*gate = (pf_rep_gate){"g1", "ndcg_cut_10 delta", gate_status, "msg"};
	*in = (pf_rep_input){"scenario", "s.xml", "ab", 12};
	memset(in->sha256, 'a', 64);
	dl[0] = (pf_rep_delta){.control = 0.75, .treatment = 0.3125,
	    .delta = -0.4375, .lo = NAN, .hi = -0.1, .p_perm = 0.5,
	    .p_adj = 0.5, .wins = 1, .losses = 1};
	dl[1] = dl[0];
	for (size_t i = 0; i < 2 * 3 * PF_REP_TOPK; i++) {
		top[i] = i % PF_REP_TOPK < 2 ? (i % 2 ? "dB" : "dA") : NULL;
		score[i] = 10.0 - (double)(i % PF_REP_TOPK);
	}
	*fs = (pf_hist_featstat){.stack = "new", .feature = 3, .name = "f3",
	    .count = 10, .missing = 4, .mean = 1.5, .sd = 0.5, .min = 1,
	    .max = 2};
	for (size_t i = 0; i < PF_HIST_NQUANT; i++)
		fs->q[i] = 1.0 + (double)i / 32.0;
	*rep = (pf_report){.title = name, .scenario = "s.xml",
	    .scenario_sha256 = in->sha256, .version = "test",
	    .generated = "2026-01-02T03:04:05Z", .seed = 18446744073709551615ULL,
	    .inputs = in, .ninputs = 1, .golden = "g", .metrics = metrics,
	    .nmetrics = 2, .primary_name = "ndcg_cut_10", .qids = qids,
	    .judged = judged, .nq = 3, .njudged = 2, .stacks = st,
	    .nstacks = 2, .top_id = top, .deltas = dl, .verdict = "DO NOT "
	    "REQUEST", .verdict_why = "why", .gates = gate, .ngates = 1};
	*run = (pf_hist_run){.rep = rep, .top_score = score, .fs = fs,
	    .nfs = 1, .exit_code = gate_status == 1, .time = rep->generated};
}


/* Appends a run of scenario name; its id. */
static int64_t
append(pf_history *h, const char *name, int gate_status)
{
	fixture x;
	pf_hist_label lab[] = {{"commit", "abc"}};
	pf_hist_goal goal = {"map", "new", 1, 0, 0.3, 0};
	pf_err err = {0};
	int64_t id = 0;

	fill(&x, name, gate_status);
	x.run.labels = lab;
	x.run.nlabels = 1;
	x.run.goals = &goal;
	x.run.ngoals = 1;
	cr_assert_eq(pf_history_append(h, &x.run, &id, &err), PF_OK, "%s",
	    err.msg);
	return id;
}

static long
count(const char *sql)
{
	sqlite3 *c;
	sqlite3_stmt *st;
	long n = -1;

	cr_assert_eq(sqlite3_open(db, &c), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(c));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(c);
	return n;
}

Test(history, appended_run_reads_back_value_for_value)
{
	pf_history *h = NULL;
	pf_hist_runs runs;
	pf_hist_qvalues qv;
	pf_hist_table t;
	pf_err err = {0};

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK, "%s", err.msg);
	cr_assert_eq(pf_history_version(h), PF_HISTORY_SCHEMA);
	cr_assert_eq(append(h, "nightly", 0), 1);
	cr_assert_eq(append(h, "nightly", 1), 2);
	cr_assert_eq(pf_history_list(h, "nightly", &runs, &err), PF_OK);
	cr_assert_eq(runs.n, 2);
	cr_assert_str_eq(runs.v[0].seed, "18446744073709551615");
	cr_assert_str_eq(runs.v[0].labels, "commit=abc");
	cr_assert_eq(runs.v[1].exit_code, 1);
	cr_assert_eq(runs.v[1].gates_failed, 1);
	cr_assert_eq(runs.v[0].nqueries, 2);
	pf_hist_runs_free(&runs);

	/* judged queries only, in qid order */
	cr_assert_eq(pf_history_query_values(h, 2, "new", "map", &qv, &err),
	    PF_OK);
	cr_assert_eq(qv.n, 2);
	cr_assert_str_eq(qv.qid[0], "q1");
	cr_assert_float_eq(qv.value[0], 0.5, 1e-15);
	cr_assert_str_eq(qv.qid[1], "q3");
	cr_assert(qv.value[1] == 1.0 / 3.0, "read back to the bit: %.17g",
	    qv.value[1]);
	pf_hist_qvalues_free(&qv);

	cr_assert_eq(pf_history_stack_metrics(h, 1, &t, &err), PF_OK);
	cr_assert_eq(t.nrows, 4);
	cr_assert_str_eq(pf_hist_cell(&t, 0, 0), "ctl");
	cr_assert_null(pf_hist_cell(&t, 0, 4), "the control has no delta");
	cr_assert_str_eq(pf_hist_cell(&t, 2, 0), "new");
	cr_assert_float_eq(strtod(pf_hist_cell(&t, 2, 4), NULL), -0.4375,
	    1e-15);
	cr_assert_null(pf_hist_cell(&t, 2, 5), "NaN is stored as NULL");
	pf_hist_table_free(&t);

	cr_assert_eq(pf_history_feature_stats(h, 1, NULL, &t, &err), PF_OK);
	cr_assert_eq(t.nrows, 1);
	cr_assert_str_eq(pf_hist_cell(&t, 0, 5), "0.4");
	cr_assert(strncmp(pf_hist_cell(&t, 0, 10), "[1,1.03125,", 11) == 0);
	pf_hist_table_free(&t);

	cr_assert_eq(pf_history_goals(h, 1, &t, &err), PF_OK);
	cr_assert_eq(t.nrows, 1);
	cr_assert_str_eq(pf_hist_cell(&t, 0, 5), "1", "map 0.3125 >= 0.3");
	pf_hist_table_free(&t);

	cr_assert_eq(pf_history_inputs(h, 1, &t, &err), PF_OK);
	cr_assert_eq(t.nrows, 1);
	cr_assert_str_eq(pf_hist_cell(&t, 0, 3), "12");
	pf_hist_table_free(&t);
	pf_history_close(h);

	cr_assert_eq(count("SELECT COUNT(*) FROM query_metrics WHERE run = 1"),
	    2 * 2 * 2);
	cr_assert_eq(count("SELECT COUNT(*) FROM rankings WHERE run = 1"),
	    2 * 3 * 2);
	cr_assert_eq(count("SELECT COUNT(*) FROM rankings WHERE run = 1 AND "
	    "rank = 2 AND docid = 'dB' AND score = 9"), 6);
}

Test(history, last_pass_and_prune_keep_the_last_per_scenario)
{
	pf_history *h = NULL;
	pf_hist_runs runs;
	pf_err err = {0};
	int64_t id;
	size_t nd;

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK);
	append(h, "a", 0);	/* 1 */
	append(h, "b", 0);	/* 2 */
	append(h, "a", 0);	/* 3 */
	append(h, "a", 1);	/* 4: its gate failed */
	cr_assert_eq(pf_history_last_pass(h, "a", &id, &err), PF_OK);
	cr_assert_eq(id, 3);
	cr_assert_eq(pf_history_last_pass(h, "zzz", &id, &err), PF_OK);
	cr_assert_eq(id, 0);
	cr_assert_eq(pf_history_prune(h, NULL, 1, &nd, &err), PF_OK);
	cr_assert_eq(nd, 2);
	cr_assert_eq(pf_history_list(h, NULL, &runs, &err), PF_OK);
	cr_assert_eq(runs.n, 2);
	cr_assert_eq(runs.v[0].id, 2);
	cr_assert_eq(runs.v[1].id, 4);
	pf_hist_runs_free(&runs);
	pf_history_close(h);
	cr_assert_eq(count("SELECT COUNT(*) FROM query_metrics WHERE run IN "
	    "(1, 3)"), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM feature_stats"), 2);
}

Test(history, a_newer_schema_is_refused_naming_both_versions)
{
	pf_history *h = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK);
	pf_history_close(h);
	cr_assert_eq(count("SELECT COUNT(*) FROM schema_version"), 1);
	sqlite3 *c;
	cr_assert_eq(sqlite3_open(db, &c), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(c, "UPDATE schema_version SET version = 5",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(c);
	for (int create = 0; create <= 1; create++) {
		cr_assert_eq(pf_history_open(&h, db, create, &err), PF_EDATA);
		cr_assert_null(h);
		cr_assert_str_eq(err.where, db);
		cr_assert(strstr(err.msg, "version 5") != NULL, "%s", err.msg);
		cr_assert(strstr(err.msg, "(version 1)") != NULL, "%s",
		    err.msg);
	}
}

Test(history, reading_a_missing_file_creates_nothing)
{
	pf_history *h = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_history_open(&h, db, 0, &err), PF_EIO);
	cr_assert_null(h);
	cr_assert_eq(access(db, F_OK), -1);
}

Test(history, a_failed_append_leaves_the_database_as_it_was)
{
	pf_history *h = NULL;
	pf_err err = {0};
	sqlite3 *c;

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK);
	append(h, "a", 0);
	cr_assert_eq(sqlite3_open(db, &c), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(c, "DROP TABLE goals", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(c);

	fixture x;
	int64_t id = 7;
	fill(&x, "a", 0);
	cr_assert_neq(pf_history_append(h, &x.run, &id, &err), PF_OK);
	cr_assert_eq(id, 0);
	cr_assert_str_eq(err.where, db);
	cr_assert(strstr(err.msg, "goals") != NULL, "%s", err.msg);
	pf_history_close(h);
	cr_assert_eq(count("SELECT COUNT(*) FROM runs"), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM query_metrics"), 8);
	cr_assert_eq(count("SELECT COUNT(*) FROM rankings"), 12);
}

Test(history_labels, key_value_items_parse_and_a_key_given_again_wins)
{
	pf_hist_labels l = {0};
	pf_err err = {0};

	cr_assert_eq(pf_hist_labels_add(&l, "commit=abc;model=v1;;", ';',
	    "s.xml:3", &err), PF_OK);
	cr_assert_eq(pf_hist_labels_add(&l, "model=v2;x", '\0', "--label",
	    &err), PF_OK, "one --label is one item, ';' and all");
	cr_assert_eq(pf_hist_labels_add(&l, "empty=", '\0', "--label", &err),
	    PF_OK);
	cr_assert_eq(l.n, 3);
	cr_assert_str_eq(l.v[1].key, "model");
	cr_assert_str_eq(l.v[1].value, "v2;x");
	cr_assert_str_eq(l.v[2].value, "");
	pf_hist_labels_free(&l);
}

Test(history_labels, malformed_items_are_refused_with_where)
{
	static const char *const badv[] = {"nokey", "=v", "a b=c", "k=\x01"};
	pf_hist_labels l = {0};
	pf_err err = {0};

	for (size_t i = 0; i < sizeof(badv) / sizeof(*badv); i++) {
		cr_assert_eq(pf_hist_labels_add(&l, badv[i], '\0', "--label",
		    &err), PF_EINVAL, "%s", badv[i]);
		cr_assert_str_eq(err.where, "--label");
		cr_assert(strstr(err.msg, "expected key=value") != NULL);
	}
	cr_assert_eq(pf_hist_labels_add(&l, "a=1;b", ';', "s.xml:4", &err),
	    PF_EINVAL);
	cr_assert_str_eq(err.where, "s.xml:4");
	pf_hist_labels_free(&l);
}

/*
 * test_reference.c — the run a gate against="last-pass" or
 * "label:KEY=VALUE" compares with (harness/history/reference.h), on a
 * SQLite history of hand-built runs of two scenarios, some failed: the
 * last run that passed (of its scenario only; before a given id), the
 * last run carrying a label (passed or not), none on an empty history,
 * a malformed against refused; and the references a scenario's gates
 * get: the stored values of the stack each judges (the named one, or
 * every treatment), or why there are none.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/history/reference.h"
#include "tmpdb.h"

TestSuite(reference, .init = setup, .fini = teardown);

static const char *const metrics[] = {"map"};
static const char *const qids[] = {"q1", "q2"};
static const unsigned char judged[] = {1, 1};

/*
 * Appends run number n of scenario name, labelled model=model, its gate
 * passed or failed; stack "new" scores 0.1 n and 0.2 n on map, "ctl" 0.
 */
static int64_t
append(pf_history *h, const char *name, int n, const char *model, int fail)
{
	double v0[2] = {0, 0}, v1[2] = {0.1 * n, 0.2 * n};
	double m0[1] = {0}, m1[1] = {0.15 * n};
	pf_rep_stack st[2] = {
		{.id = "ctl", .name = "ctl", .stages = "s", .mean = m0,
		    .values = v0},
		{.id = "new", .name = "new", .stages = "s", .mean = m1,
		    .values = v1},
	};
	pf_rep_gate gate = {"g", "g: map delta", fail, "m"};
	pf_report rep = {.title = name, .scenario = "s.xml",
	    .scenario_sha256 = "", .version = "t", .generated = "T",
	    .golden = "g", .metrics = metrics, .nmetrics = 1,
	    .primary_name = "map", .qids = qids, .judged = judged, .nq = 2,
	    .njudged = 2, .stacks = st, .nstacks = 2, .verdict = "V",
	    .verdict_why = "W", .gates = &gate, .ngates = 1};
	pf_hist_label lab = {"model", (char *)model};
	pf_hist_run run = {.rep = &rep, .labels = &lab, .nlabels = 1,
	    .exit_code = fail, .time = "2026-01-0" "1T00:00:00Z"};
	pf_err err = {0};
	int64_t id = 0;

	cr_assert_eq(pf_history_append(h, &run, &id, &err), PF_OK, "%s",
	    err.msg);
	return id;
}

/* Runs 1..5 of "s" (1 pass v41, 2 fail v41, 3 pass v42, 4 fail v42) and
   run 5 of "other" (pass). */
static pf_history *
nights(void)
{
	pf_history *h = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK, "%s", err.msg);
	cr_assert_eq(append(h, "s", 1, "v41", 0), 1);
	cr_assert_eq(append(h, "s", 2, "v41", 1), 2);
	cr_assert_eq(append(h, "s", 3, "v42", 0), 3);
	cr_assert_eq(append(h, "s", 4, "v42", 1), 4);
	cr_assert_eq(append(h, "other", 5, "v41", 0), 5);
	return h;
}

static int64_t
reference(pf_history *h, const char *scn, const char *against,
    int64_t before)
{
	pf_err err = {0};
	int64_t id = -1;

	cr_assert_eq(pf_history_reference(h, scn, against, before, &id, &err),
	    PF_OK, "%s", err.msg);
	return id;
}

Test(reference, the_last_pass_and_the_last_labelled_run)
{
	pf_history *h = NULL;
	pf_err err = {0};
	int64_t id;

	cr_assert_eq(pf_history_open(&h, db, 1, &err), PF_OK);
	cr_assert_eq(reference(h, "s", "last-pass", 0), 0, "empty history");
	pf_history_close(h);
	h = nights();
	cr_assert_eq(reference(h, "s", "last-pass", 0), 3, "4 failed");
	cr_assert_eq(reference(h, "s", "last-pass", 3), 1, "before 3");
	cr_assert_eq(reference(h, "other", "last-pass", 0), 5);
	cr_assert_eq(reference(h, "s", "label:model=v41", 0), 2,
	    "failed or not");
	cr_assert_eq(reference(h, "s", "label:model=v42", 0), 4);
	cr_assert_eq(reference(h, "s", "label:model=v43", 0), 0);
	cr_assert_eq(reference(h, "s", "label:model=", 0), 0);
	cr_assert_eq(pf_history_reference(h, "s", "label:model", 0, &id,
	    &err), PF_EINVAL);
	cr_assert(strstr(err.msg, "expected last-pass or label:KEY=VALUE") !=
	    NULL, "%s", err.msg);
	pf_history_close(h);
}

Test(reference, gate_references_hold_the_stored_values)
{
	pf_history *h = nights();
	pf_scn_stack stacks[] = {{.id = "ctl"}, {.id = "new"}};
	pf_scn_gate gates[] = {
		{.id = "plain", .metric = "map", .min_delta = 0},
		{.id = "lp", .metric = "map", .against = "last-pass"},
		{.id = "v43", .metric = "map", .stack = "ctl", .against =
		    "label:model=v43"},
		{.id = "p10", .metric = "P_10", .stack = "new", .against =
		    "label:model=v41"},
	};
	pf_scenario s = {.name = "s", .stacks = stacks, .nstacks = 2,
	    .gates = gates, .ngates = 4};
	pf_gate_refs r = {0};
	pf_err err = {0};

	cr_assert_eq(pf_history_gate_refs(h, &s, &r, &err), PF_OK, "%s",
	    err.msg);
	cr_assert_eq(r.n, 3, "one per against= gate and stack judged");
	/* lp: every treatment (new), run 3's values */
	cr_assert_eq(r.v[0].gate, 1);
	cr_assert_eq(r.v[0].stack, 1);
	cr_assert_eq(r.v[0].run, 3);
	cr_assert_str_eq(r.v[0].run_desc, "run 3 of 2026-01-01T00:00:00Z "
	    "(model=v42)");
	cr_assert_eq(r.v[0].n, 2);
	cr_assert_str_eq(r.v[0].qid[1], "q2");
	cr_assert(fabs(r.v[0].value[1] - 0.6) < 1e-15);
	/* v43: the control, no such run */
	cr_assert_eq(r.v[1].stack, 0);
	cr_assert_eq(r.v[1].run, 0);
	cr_assert_str_eq(r.v[1].why, "no earlier run of scenario 's' labelled "
	    "model=v43: nothing to compare with yet");
	/* p10: a run, but nothing stored for that metric */
	cr_assert_eq(r.v[2].run, 2);
	cr_assert_eq(r.v[2].n, 0);
	cr_assert_str_eq(r.v[2].why, "run 2 of 2026-01-01T00:00:00Z "
	    "(model=v41) stored no value of stack 'new' on P_10");
	pf_gate_refs_clear(&r);
	pf_history_close(h);
}

Test(reference, a_gate_against_a_stored_run_needs_a_history)
{
	pf_scn_gate gates[] = {{.id = "lp", .metric = "map", .line = 7,
	    .against = "last-pass"}};
	pf_scenario s = {.name = "s", .path = "s.xml", .gates = gates,
	    .ngates = 1};
	pf_diags d = {0};

	cr_assert_eq(pf_history_check_against(&s, "h.db", &d), PF_OK);
	cr_assert_neq(pf_history_check_against(&s, NULL, &d), PF_OK);
	cr_assert_eq(d.n, 1);
	cr_assert_str_eq(d.msg[0], "s.xml:7: gate 'lp': against=\"last-pass\" "
	    "compares with a run stored in a history: give run --history DB "
	    "or a <history db> in the scenario");
}

/*
 * tests/unit/history/history_fixture.h — a hand-built run for the history
 * tests: two stacks (ctl, new), three queries (q2 unjudged), two metrics
 * (ndcg_cut_10, map), one gate, one input, one feature's statistics, and
 * one dimension (len: short, long, short). Header-only; include it once
 * per test file.
 */
#ifndef PF_TESTS_UNIT_HISTORY_FIXTURE_H
#define PF_TESTS_UNIT_HISTORY_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/history/history.h"
#include "tmpdb.h"

static const char *const metrics[] = {"ndcg_cut_10", "map"};
static const char *const qids[] = {"q1", "q2", "q3"};
static const unsigned char judged[] = {1, 0, 1};
/* q x metric, per stack; q2 unjudged */
static const double vals0[] = {0.5, 0.25, 0, 0, 1.0, 0.75};
static const double vals1[] = {0.625, 0.5, 0, 0, 0.0, 1.0 / 3.0};
static const double mean0[] = {0.75, 0.5}, mean1[] = {0.3125, 0.3125};
static const char *const dim_name[] = {"len"};
static const char *const dims[] = {"short", "long", "short"};

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
	    .nfs = 1, .exit_code = gate_status == 1, .time = rep->generated,
	    .ndims = 1, .dim_name = dim_name, .dim = dims};
}


#endif /* PF_TESTS_UNIT_HISTORY_FIXTURE_H */

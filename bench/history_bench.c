/*
 * bench/history_bench.c — how long one run takes to append to a history
 * (harness/history/history.h): a synthetic run of Q queries x S stacks x M
 * metrics (every query judged), with every stack's top ten (docid, score),
 * the treatments' comparisons, 20 segments, 3 gates, 10 inputs and 13
 * features' statistics per stack, appended to a new SQLite file (or the
 * database named by the fourth argument). Prints the median wall time of
 * REPS appends, each into a fresh database, and the rows written.
 *
 *   pf_bench_history [Q S M [DB]]      defaults 10000 3 8, a temporary file
 * Environment: REPS (default 5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/history/history.h"

static double
clock_s(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A deterministic pseudo-random number in [0, 1) (splitmix64). */
static double
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

typedef struct synth {
	pf_report	 rep;
	pf_rep_stack	*stacks;
	pf_rep_delta	*deltas;
	pf_rep_segment	 segs[20];
	pf_rep_gate	 gates[3];
	pf_rep_input	 inputs[10];
	pf_rep_verdict	*verdicts;
	pf_hist_featstat *fs;
	char		**qids, **docs, **names, **ids;
	const char	**top_id;
	double		*top_score, *values, *means;
	unsigned char	*judged;
} synth;

static const char *const metric_names[] = {"ndcg_cut_5", "ndcg_cut_10",
    "ndcg_exp_cut_10", "map", "recip_rank", "P_10", "judged_10", "err_10"};

/* Queries, documents, values and the top tens of S stacks. */
static void
fill_stacks(synth *x, size_t nq, size_t ns, size_t nm, uint64_t *seed)
{
	char b[32];

	for (size_t q = 0; q < nq; q++) {
		snprintf(b, sizeof(b), "q%zu", q + 1);
		x->qids[q] = strdup(b);
		x->judged[q] = 1;
	}
	for (size_t d = 0; d < 1000; d++) {
		snprintf(b, sizeof(b), "doc%zu", d);
		x->docs[d] = strdup(b);
	}
	for (size_t k = 0; k < ns; k++) {
		snprintf(b, sizeof(b), "stack%zu", k);
		x->ids[k] = strdup(b);
		double *v = x->values + k * nq * nm, *mean = x->means + k * nm;
		for (size_t i = 0; i < nq * nm; i++) {
			v[i] = rnd(seed);
			mean[i % nm] += v[i] / (double)nq;
		}
		x->stacks[k] = (pf_rep_stack){.id = x->ids[k], .name = x->ids[k],
		    .stages = "bm25 > gbdt", .mean = mean, .values = v};
		for (size_t q = 0; q < nq; q++) {
			size_t at = (k * nq + q) * PF_REP_TOPK;
			for (size_t i = 0; i < PF_REP_TOPK; i++) {
				x->top_id[at + i] = x->docs[(size_t)(rnd(seed) *
				    1000)];
				x->top_score[at + i] = 10 * rnd(seed);
			}
			qsort(x->top_score + at, PF_REP_TOPK, sizeof(double),
			    cmp_double);
		}
	}
}

/* The rest of the report: comparisons, segments, gates, inputs, features. */
static void
fill_rest(synth *x, size_t ns, size_t nm, uint64_t *seed)
{
	for (size_t i = 0; i < (ns - 1) * nm; i++)
		x->deltas[i] = (pf_rep_delta){.control = 0.5, .treatment = 0.51,
		    .delta = 0.01, .lo = -0.01, .hi = 0.03, .p_perm = 0.2,
		    .p_adj = 0.4, .wins = 10, .losses = 8, .ties = 3};
	for (size_t i = 0; i < 20; i++)
		x->segs[i] = (pf_rep_segment){"locale", i % 2 ? "en" : "de",
		    x->ids[1 + i % (ns - 1)], 500, 0.5, 0.01, -0.02, 0.04, 0.3,
		    0, 0};
	for (size_t i = 0; i < 3; i++)
		x->gates[i] = (pf_rep_gate){"gate", "ndcg_cut_10 delta", 0,
		    "ndcg_cut_10 delta +0.0100 at or above -0.0200"};
	for (size_t i = 0; i < 10; i++)
		x->inputs[i] = (pf_rep_input){"model", "golden/x/model.json",
		    "0123456789abcdef0123456789abcdef0123456789abcdef"
		    "0123456789abcdef", 123456};
	for (size_t k = 0; k < ns; k++)
		x->verdicts[k] = (pf_rep_verdict){x->ids[k], "INCONCLUSIVE",
		    "no treatment clears the rule"};
	for (size_t i = 0; i < 13 * ns; i++) {
		pf_hist_featstat *f = &x->fs[i];
		*f = (pf_hist_featstat){.stack = x->ids[i / 13],
		    .feature = (long)(i % 13) + 1, .count = 1000000,
		    .missing = 12, .mean = rnd(seed), .sd = 1, .min = 0,
		    .max = 9};
		snprintf(f->name, sizeof(f->name), "f%ld", f->feature);
		for (size_t j = 0; j < PF_HIST_NQUANT; j++)
			f->q[j] = (double)j / 32.0 * 9.0;
	}
}

static int
build(synth *x, size_t nq, size_t ns, size_t nm)
{
	uint64_t seed = 42;

	x->stacks = calloc(ns, sizeof(*x->stacks));
	x->deltas = calloc(ns * nm, sizeof(*x->deltas));
	x->verdicts = calloc(ns, sizeof(*x->verdicts));
	x->fs = calloc(13 * ns, sizeof(*x->fs));
	x->qids = calloc(nq, sizeof(char *));
	x->docs = calloc(1000, sizeof(char *));
	x->ids = calloc(ns, sizeof(char *));
	x->top_id = calloc(ns * nq * PF_REP_TOPK, sizeof(char *));
	x->top_score = calloc(ns * nq * PF_REP_TOPK, sizeof(double));
	x->values = calloc(ns * nq * nm, sizeof(double));
	x->means = calloc(ns * nm, sizeof(double));
	x->judged = calloc(nq, 1);
	if (!x->stacks || !x->deltas || !x->verdicts || !x->fs || !x->qids ||
	    !x->docs || !x->ids || !x->top_id || !x->top_score ||
	    !x->values || !x->means || !x->judged)
		return -1;
	fill_stacks(x, nq, ns, nm, &seed);
	fill_rest(x, ns, nm, &seed);
	x->rep = (pf_report){.title = "bench", .scenario = "bench.xml",
	    .scenario_sha256 = x->inputs[0].sha256, .version = PF_VERSION,
	    .generated = "2026-01-01T00:00:00Z", .command = "pf_bench_history",
	    .seed = 1, .inputs = x->inputs, .ninputs = 10,
	    .golden = "synthetic", .metrics = metric_names, .nmetrics = nm,
	    .primary = 1, .primary_name = "ndcg_cut_10",
	    .qids = (const char *const *)x->qids, .judged = x->judged,
	    .nq = nq, .njudged = nq, .stacks = x->stacks, .nstacks = ns,
	    .top_id = x->top_id, .deltas = x->deltas, .segs = x->segs,
	    .nsegs = 20, .verdict = "INCONCLUSIVE", .verdict_why = "bench",
	    .verdicts = x->verdicts, .nverdicts = ns, .gates = x->gates,
	    .ngates = 3};
	return 0;
}

/* One append into a fresh database at path: its wall seconds (and CPU
   seconds in *cpu), or -1. */
static double
append_once(const synth *x, const char *path, size_t ns, double *cpu)
{
	pf_history *h = NULL;
	pf_err err = {0};
	pf_hist_label lab[] = {{"commit", "0123abc"}, {"model", "bench"}};
	pf_hist_run run = {.rep = &x->rep, .top_score = x->top_score,
	    .golden_name = "synthetic", .fs = x->fs, .nfs = 13 * ns,
	    .labels = lab, .nlabels = 2, .exit_code = 0,
	    .time = "2026-01-01T00:00:00Z"};
	int64_t id;
	double t;

	if (pf_history_open(&h, path, 1, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		return -1;
	}
	t = clock_s(CLOCK_MONOTONIC);
	*cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	if (pf_history_append(h, &run, &id, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		pf_history_close(h);
		return -1;
	}
	t = clock_s(CLOCK_MONOTONIC) - t;
	*cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - *cpu;
	pf_history_close(h);
	return t;
}

int
main(int argc, char **argv)
{
	size_t nq = argc > 3 ? strtoul(argv[1], NULL, 10) : 10000;
	size_t ns = argc > 3 ? strtoul(argv[2], NULL, 10) : 3;
	size_t nm = argc > 3 ? strtoul(argv[3], NULL, 10) : 8;
	int reps = getenv("REPS") ? atoi(getenv("REPS")) : 5;
	char path[] = "/tmp/pf_bench_historyXXXXXX";
	double t[64], c[64];
	synth x = {0};

	if (ns < 2 || nm < 1 || nm > 8 || reps < 1 || reps > 64 ||
	    build(&x, nq, ns, nm) != 0) {
		fprintf(stderr, "usage: pf_bench_history [Q S(>=2) M(1-8) "
		    "[DB]]; REPS 1-64\n");
		return 2;
	}
	char *dir = mkdtemp(path);
	if (dir == NULL) {
		perror("mkdtemp");
		return 1;
	}
	for (int r = 0; r < reps; r++) {
		char db[256];
		if (argc > 4)
			snprintf(db, sizeof(db), "%s", argv[4]);
		else
			snprintf(db, sizeof(db), "%s/h%d.db", dir, r);
		if ((t[r] = append_once(&x, db, ns, &c[r])) < 0)
			return 1;
	}
	qsort(t, (size_t)reps, sizeof(double), cmp_double);
	qsort(c, (size_t)reps, sizeof(double), cmp_double);
	printf("append: %zu queries x %zu stacks x %zu metrics: %zu "
	    "query_metrics rows, %zu rankings rows\n  wall: median %.3f s of "
	    "%d (min %.3f, max %.3f)\n  cpu:  median %.3f s (min %.3f)\n", nq,
	    ns, nm, nq * ns * nm, nq * ns * PF_REP_TOPK, t[reps / 2], reps,
	    t[reps - 1], t[0], c[reps / 2], c[reps - 1]);
	if (argc <= 4) {
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", dir);
	}
	return 0;
}

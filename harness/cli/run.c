/*
 * harness/cli/run.c — `preflight run [--check] SCENARIO`: a thin layer
 * over the scenario and golden loaders, the replay (engine/replay.h), the
 * analyses and the decision (decide/run.h) and the outputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/cli/cli.h"
#include "harness/cli/dist.h"
#include "harness/cli/run_internal.h"
#include "harness/cli/run_mem.h"
#include "harness/decide/expectations.h"
#include "harness/decide/export.h"
#include "harness/decide/files.h"
#include "harness/decide/perquery.h"
#include "harness/decide/run.h"
#include "harness/history/history.h"
#include "harness/history/reference.h"
#include "harness/load/label_quality.h"
#include "harness/text/analyzer.h"
#include "harness/util/diags.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"

/* The outputs folder and files of s, for the writers. */
static void
outputs_cfg(pf_outputs_cfg *c, const pf_scenario *s, const char *golden,
    const run_args *a, double secs)
{
	*c = (pf_outputs_cfg){.name = s->name, .source = s->path, .scn = s,
	    .golden = golden, .seed = s->seed, .dir = s->out_dir,
	    .results = s->results, .report = s->report, .junit = s->junit,
	    .junit_path = a->junit,
	    .runs = s->runs, .command = a->cmdline, .seconds = secs};
}

/* Whether path is one of the files the run reads (never overwritten). */
static int
is_input(const run_args *a, const pf_scenario *s, const char *path)
{
	pf_outputs_cfg c;
	pf_inputs in = {0};
	pf_err err = {0};
	int hit = pf_same_file(path, a->path);

	if (s != NULL) {
		outputs_cfg(&c, s, "", a, 0);
		if (pf_inputs_collect(&in, &c, 0, &err) != PF_OK)
			hit = 1;	/* when in doubt, write nothing */
		for (size_t i = 0; i < in.n && !hit; i++)
			hit = pf_same_file(path, in.v[i].path);
		pf_inputs_free(&in);
	}
	return hit;
}

/*
 * The error suite where this run's junit.xml would have gone (--junit,
 * or the outputs folder: --out, or the scenario's when it could be read),
 * so no older junit.xml is left for a CI reader to take as this run's;
 * never over an input.
 */
static void
junit_error(const run_args *a, const pf_scenario *s, const pf_diags *d,
    int failed)
{
	const char *dir = a->out ? a->out : s ? s->out_dir : NULL;
	char *jp;
	pf_err e2 = {0};

	if (a->check)
		return;
	if (a->junit != NULL && is_input(a, s, a->junit))
		return;
	if (a->junit != NULL) {
		pf_outputs_junit_error(a->junit, a->path, d, failed);
		return;
	}
	if (dir == NULL || (jp = pf_path_join(dir, s ? s->junit :
	    "junit.xml")) == NULL)
		return;
	if (!is_input(a, s, jp) && pf_mkdirs(dir, &e2) == PF_OK)
		pf_outputs_junit_error(jp, a->path, d, failed);
	free(jp);
}

/* A run that stopped after loading (a stage failed, an output could not
   be written): its junit.xml says why, as for bad input. */
static void
junit_failure(const run_args *a, const pf_scenario *s, const pf_err *err)
{
	pf_diags *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return;
	pf_diags_add(d, err->where[0] ? err->where : NULL, 0, "%s", err->msg);
	junit_error(a, s, d, 1);
	free(d);
}

/* --out DIR: the outputs folder instead of the scenario's. */
static int
set_out(pf_scenario *s, const char *dir, pf_diags *d)
{
	char *o = strdup(dir);

	if (o == NULL) {
		pf_diags_add(d, NULL, 0, "out of memory");
		return PF_ENOMEM;
	}
	free(s->out_dir);
	s->out_dir = o;
	return PF_OK;
}

/* No output of the run is an input or another output. */
static int
check_outputs(const run_args *a, const pf_scenario *s, pf_diags *d)
{
	pf_outputs_cfg c;
	const char *ids[64], *extra[2], *what[2];
	size_t n = s->nstacks < 64 ? s->nstacks : 64, nx = 0;

	outputs_cfg(&c, s, "", a, 0);
	for (size_t k = 0; k < n; k++)
		ids[k] = s->stacks[k].id;
	if (a->export != NULL) {
		extra[nx] = a->export;
		what[nx++] = "--export-features";
	}
	if (a->per_query != NULL) {
		extra[nx] = a->per_query;
		what[nx++] = "--per-query";
	}
	return pf_outputs_check(&c, ids, n, extra, what, nx, d);
}

/* The share of the candidate rows this process reads (dist.h). */
static void
set_share(const run_args *a, const pf_scenario *s, pf_golden *g)
{
	size_t q0, q1;

	if (pf_dist_share(a->dist, s, a->check, g->nq, &q0, &q1))
		pf_golden_set_share(g, q0, q1);
	else if (pf_run_mem_may(a->dist, s, a->check, a->history, a->export))
		pf_run_mem_probe(g, a->mem);
}

/* The stages' warnings on stderr, each once (stacks sharing a file warn
   alike). */
static void
print_warnings(const pf_diags *w)
{
	for (size_t i = 0; w != NULL && i < w->n; i++) {
		size_t j = 0;
		while (j < i && strcmp(w->msg[j], w->msg[i]) != 0)
			j++;
		if (j == i)
			fprintf(stderr, "preflight: warning: %s\n", w->msg[i]);
	}
}

/* Scenario, golden set, every stage opened: PF_OK or problems in d. The
   stages' warnings printed, or into *wout when the stages opened for run
   --mem's probe (they may open again: stream() prints them). */
static int
load(const run_args *a, pf_scenario **s, pf_golden **g, pf_replay **r,
    pf_diags *d, pf_diags **wout)
{
	pf_golden_spec gspec;
	pf_diags *w = calloc(1, sizeof(*w));
	pf_replay_opts ro = {a->strict, w};

	if (w == NULL)
		return PF_ENOMEM;

	if (pf_scenario_load(s, a->path, d) != PF_OK ||
	    (a->out != NULL && set_out(*s, a->out, d) != PF_OK) ||
	    check_outputs(a, *s, d) != PF_OK ||
	    (pf_scenario_golden_spec(*s, &gspec),
	    gspec.progress = pf_opts_progress(a->quiet),
	    gspec.cache_dir = a->cache,
	    pf_golden_load(g, &gspec, d)) != PF_OK ||
	    (set_share(a, *s, *g), pf_golden_check_judged_docs(*g, d)) !=
	    PF_OK ||	/* validate counts them */
	    pf_replay_open_with(r, *s, *g, &ro, d) != PF_OK ||
	    pf_run_check(*r, d) != PF_OK || pf_history_check(*r, d) != PF_OK) {
		free(w);
		return PF_EFORMAT;
	}
	if ((*g)->share && !pf_dist_active(a->dist)) {
		*wout = w;
		return PF_OK;
	}
	if (a->dist->rank == 0)
		print_warnings(w);
	free(w);
	return PF_OK;
}

static void
warnings(const pf_golden *g)
{
	size_t nempty = 0;	/* Cranfield has two: they stay, empty */

	if (g->nunjudged_queries > 0)
		fprintf(stderr, "preflight: warning: %zu of %zu queries have "
		    "no judgments and are left out of the means\n",
		    g->nunjudged_queries, g->nq);
	if (g->norphan_topics > 0)
		fprintf(stderr, "preflight: warning: %zu judged quer%s of %s "
		    "%s not in %s (the first: '%s'); %s judgments are left "
		    "out\n", g->norphan_topics, g->norphan_topics == 1 ? "y" :
		    "ies", g->judgments_path, g->norphan_topics == 1 ? "is" :
		    "are", g->queries_path, g->orphan_topic,
		    g->norphan_topics == 1 ? "its" : "their");
	for (size_t i = 0; i < g->corpus.n; i++)
		nempty += pf_text_empty(g->corpus.title[i]) &&
		    pf_text_empty(g->corpus.body[i]);
	if (nempty > 0)
		fprintf(stderr, "preflight: warning: %zu of %zu documents in %s "
		    "have no text (no token in title or body); indexed as "
		    "empty\n", nempty, g->corpus.n, g->corpus.path);
}

static void
print_all(const run_args *a, const pf_replay *r, const pf_run_result *x)
{
	pf_outputs_print_table(&r->m);
	pf_outputs_print_verdict(&x->outcome);
	if (x->lift != NULL)	/* the lift headline, under it */
		printf("%s\n", x->lift->headline);
	pf_importance_print(x->imp, stdout);
	pf_attrib_print(x->attrib, stdout);
	pf_goldq_print(stdout, r->golden->labelq, r->golden->qrels);
	if (x->vfailed > 0)
		printf("golden set checks: %ld rule%s failed (preflight validate "
		    "%s says which)\n", x->vfailed, x->vfailed == 1 ? "" : "s",
		    a->path);
	pf_lboot_print(stdout, x->lboot, r);
}

static double
since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Replays, analyses, decides and writes; the exit code. */
static int
replay_and_decide(const run_args *a, pf_replay *r, run_history *hi,
    const struct timespec *t0)
{
	const pf_scenario *s = r->scn;
	pf_run_result *x = NULL;
	pf_outputs_cfg oc;
	pf_atomic_file extra[2] = {{0}};	/* --export-features, --per-query */
	pf_err err = {0};
	char golden[512], stamp[32];
	time_t now = time(NULL);
	int rc = 2, writing = 0, drc;

	snprintf(golden, sizeof(golden), "%s%s%s", s->golden_name ?
	    s->golden_name : "", s->golden_name ? ", " : "", s->golden_dir);
	/* the run's one time: results.json's and the history's */
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	r->keep_feats = a->export != NULL || hi->h != NULL;
	r->progress = pf_opts_progress(a->quiet);
	outputs_cfg(&oc, s, golden, a, 0);
	if (pf_dist_replay(a->dist, r, &oc, &drc, &err) != PF_OK)
		goto done;
	if (drc >= 0) {		/* a shard written, an MPI rank done */
		rc = drc;
		goto done;
	}
	if (pf_run_analyze(&x, r, &hi->refs, &err) != PF_OK)
		goto done;
	oc.seconds = since(t0);
	oc.stamp = stamp;
	writing = 1;	/* a failure now leaves every output as it was */
	/* replaced with the others, or not */
	if ((a->export != NULL || a->per_query != NULL) &&
	    pf_mkdirs(oc.dir, &err) != PF_OK)	/* it may be there */
		goto done;
	if (a->export != NULL && pf_outputs_export_features(r,
	    a->export_stack, a->dist->export_rows, a->dist->export_len,
	    &extra[oc.nextra++], a->export, &err) != PF_OK)
		goto done;
	if (a->per_query != NULL && pf_outputs_per_query(&r->m,
	    &extra[oc.nextra++], a->per_query, &err) != PF_OK)
		goto done;
	oc.extra = extra;
	if (pf_outputs_write(&oc, &x->outcome, &err) != PF_OK)
		goto done;
	if (!a->quiet)
		print_all(a, r, x);
	else
		pf_outputs_print_quiet(&x->outcome);
	if (a->junit != NULL)
		fprintf(stderr, "preflight: wrote %s/{%s,%s} and %s\n",
		    s->out_dir, s->results, s->report, a->junit);
	else
		fprintf(stderr, "preflight: wrote %s/{%s,%s,%s}\n", s->out_dir,
		    s->results, s->report, s->junit);
	rc = pf_decision_exit(x->decision);
	/* after the outputs, only for a replay that finished (exit 0 or 1) */
	if (hi->h != NULL && pf_run__append_history(a, r, x, &oc, hi, rc, &err) !=
	    PF_OK)
		rc = 2;
done:
	if (err.code != PF_OK) {
		pf_err_print(&err, stderr);
		if (rc == 2 && !writing)	/* a stage failed: say so */
			junit_failure(a, s, &err);
	}
	pf_atomic_abort(&extra[0]);	/* zeroed when taken */
	pf_atomic_abort(&extra[1]);
	pf_run_result_free(x);
	return rc;
}

/* load or open_history failed with d (all MPI ranks agree first): the
   problems on stderr (under MPI from the first failing rank only). */
static void
load_failed(const run_args *a, const pf_scenario *s, const pf_diags *d)
{
	pf_diags_print(d, stderr);
	if (a->dist->rank == 0)
		junit_error(a, s, d, 0);
}

/* After run --mem's blocks (every file's documents known now) or its
   whole opening: the expectations' documents checked as one process
   checks them at load (the probe knew no rows). 0, or -1 (printed). */
static int
expectations_again(const run_args *a, const pf_scenario *s, pf_golden *g)
{
	pf_diags *d = calloc(1, sizeof(*d));
	int partial = g->share_partial, rc = 0;

	if (d == NULL)
		return -1;
	g->share_partial = 0;
	if (pf_expect_validate(g, d) != PF_OK) {
		load_failed(a, s, d);
		rc = -1;
	}
	g->share_partial = partial;
	free(d);
	return rc;
}

/* run --mem: the blocks replayed when the candidates exceed it (the
   stages reopened). 0, or -1 after the error (printed, junit.xml). */
static int
stream(const run_args *a, const pf_scenario *s, pf_replay **r, pf_golden *g,
    const pf_diags *probe_w)
{
	pf_diags *w = calloc(1, sizeof(*w));
	pf_replay_opts ro = {a->strict, w};
	pf_err err = {0};
	size_t nb;
	int rc = 0, reopened = 0;

	if (w == NULL || pf_run_mem_stream(a->dist, r, g, &ro, a->mem, &nb,
	    &reopened, &err) != PF_OK) {
		if (err.code == PF_OK)
			pf_err_set(&err, PF_ENOMEM, NULL, 0, "out of memory");
		pf_err_print(&err, stderr);
		junit_failure(a, s, &err);
		rc = -1;
	}
	/* the probe's warnings, or those of the openings that replayed */
	print_warnings(reopened ? w : probe_w);
	free(w);
	if (rc != 0)
		return rc;
	if (reopened && (rc = expectations_again(a, s, g)) != 0)
		return rc;
	if (nb > 0 && !a->quiet)
		fprintf(stderr, "preflight: the candidates exceed --mem %.2f "
		    "GiB: replayed in %zu query blocks\n",
		    (double)a->mem / (1 << 30), nb);
	return 0;
}

/* run --shard I/N with importance: every other shard's rows read for the
   summary the tasks need (run_mem.h), r opened on this shard's again. 0,
   or -1 after the error (printed, junit.xml). */
static int
shard_summaries(const run_args *a, const pf_scenario *s, pf_replay **r,
    pf_golden *g)
{
	pf_diags *w = calloc(1, sizeof(*w));
	pf_replay_opts ro = {a->strict, w};
	pf_err err = {0};
	int rc = 0;

	if (w == NULL || pf_run_mem_summaries(a->dist, r, g, &ro,
	    a->dist->nshards, a->dist->shard, &err) != PF_OK) {
		if (err.code == PF_OK)
			pf_err_set(&err, PF_ENOMEM, NULL, 0, "out of memory");
		pf_err_print(&err, stderr);
		junit_failure(a, s, &err);
		rc = -1;
	}
	free(w);	/* load printed the stages' warnings */
	return rc;
}

/* --cache-max: the cache's least recently used entries removed, never
   those this run used (touched or written since it started; a second's
   margin for the file system's coarser clock). Never an error. */
static void
prune_cache(const run_args *a, const struct timespec *started)
{
	struct timespec since = *started;
	unsigned long long freed;
	size_t removed;
	pf_err err = {0};

	if (a->cache == NULL || a->check)
		return;
	since.tv_sec -= 1;
	if (pf_svm_cache_prune(a->cache, a->cache_max, &since, &removed,
	    &freed, &err) != PF_OK)
		fprintf(stderr, "preflight: warning: --cache %s: %s%s%s\n",
		    a->cache, err.where, err.where[0] ? ": " : "", err.msg);
	else if (removed > 0 && !a->quiet)
		fprintf(stderr, "preflight: --cache %s: removed %zu least "
		    "recently used entr%s (%.1f MiB) to stay under "
		    "--cache-max %.1f MiB\n", a->cache, removed, removed == 1 ?
		    "y" : "ies", (double)freed / (1 << 20),
		    (double)a->cache_max / (1 << 20));
}

/* `run` for d (NULL: one process); d->cmdline replaces the command. */
int
pf_cli_run_dist(int argc, char **argv, pf_dist *dist)
{
	run_args a = {0};
	pf_dist one = {0};
	int failed, first;
	pf_diags *d = calloc(1, sizeof(*d));
	pf_scenario *s = NULL;
	pf_golden *g = NULL;
	pf_replay *r = NULL;
	run_history hi = {0};
	pf_diags *probe_w = NULL;	/* run --mem's probe's warnings */
	struct timespec t0, started;
	int rc = 2, pa;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_REALTIME, &started);
	if (d == NULL || (a.label = calloc((size_t)argc + 1,
	    sizeof(*a.label))) == NULL) {
		free(d);
		return 2;
	}
	a.dist = dist ? dist : &one;
	a.mem = pf_run_mem_default();
	a.cache_max = (size_t)20 << 30;
	if (dist == NULL)
		pf_dist_mpi_start(&one);
	if ((pa = pf_run__parse_args(&a, argc, argv)) != 0) {
		rc = pa > 0 ? 0 : 2;
		goto done;
	}
	if (a.dist->cmdline != NULL)
		snprintf(a.cmdline, sizeof(a.cmdline), "%s", a.dist->cmdline);
	a.dist->export = a.export != NULL;	/* MPI: the ranks' rows */
	a.dist->export_stack = a.export_stack;
	if (a.dist->rank > 0)
		a.quiet = 1;	/* rank 0 speaks for the run */
	failed = load(&a, &s, &g, &r, d, &probe_w) != PF_OK ||
	    pf_run__open_history(&a, s, &hi, d) != PF_OK;
	a.load_s = since(&t0);
	if ((first = pf_dist_first_failed(a.dist, failed)) >= 0) {
		if (first == a.dist->rank)
			load_failed(&a, s, d);
		goto done;
	}
	if (a.dist->rank == 0) {
		warnings(g);
		prune_cache(&a, &started);
	}
	if (pf_run_mem_may(a.dist, s, a.check, a.history, a.export) &&
	    stream(&a, s, &r, g, probe_w) != 0)
		goto done;
	/* (no file read in shares: this shard holds every query's rows,
	   its parts summarise them all) */
	if (a.dist->sharded && !a.check && s->nfimp > 0 && g->share_partial &&
	    shard_summaries(&a, s, &r, g) != 0)
		goto done;
	rc = a.check ? (a.dist->rank == 0 ? pf_run__check_only(&a, r) : 0) :
	    replay_and_decide(&a, r, &hi, &t0);
done:
	pf_history_close(hi.h);
	pf_hist_labels_free(&hi.labels);
	pf_gate_refs_clear(&hi.refs);
	free(a.label);
	free(probe_w);
	pf_replay_free(r);
	pf_golden_free(g);
	pf_scenario_free(s);
	free(d);
	pf_dist_clear(a.dist);
	pf_dist_mpi_end(&one);
	return rc;
}

int
pf_cli_run(int argc, char **argv)
{
	return pf_cli_run_dist(argc, argv, NULL);
}

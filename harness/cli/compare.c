/*
 * harness/cli/compare.c — `preflight compare QRELS RUN_A RUN_B [RUN...]`:
 * the statistics, verdict and reports of `preflight run` for plain TREC run
 * files. RUN_A is the control. Every qrels topic is a query; a run that
 * lacks a topic scores 0 on it (trec_eval -c), so the comparison is paired
 * over the same queries for every run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/decide/assess.h"
#include "harness/cli/cli.h"
#include "harness/util/diags.h"
#include "harness/engine/eval.h"
#include "harness/load/golden.h"
#include "harness/decide/outputs.h"
#include "harness/engine/replay.h"
#include "harness/util/scan.h"

static void
compare_usage(FILE *f)
{
	fputs("usage: preflight compare [-m MEASURE]... [-p PRIMARY] "
	    "[-o OUTDIR] [--seed N]\n"
	    "                         [--bootstrap B] [--permutations P] "
	    "QRELS RUN_A RUN_B [RUN...]\n"
	    "  RUN_A is the control. Prints means, each run's delta on the "
	    "primary\n  metric with its 95% CI and p, and the verdict; with -o "
	    "also writes\n  results.json, report.html and junit.xml there.\n",
	    f);
}

static char *
base_id(const char *path)
{
	const char *b = strrchr(path, '/');
	char *id = strdup(b ? b + 1 : path);

	if (id != NULL && strlen(id) > 64)
		id[64] = '\0';
	return id;
}

int
pf_cli_compare(int argc, char **argv)
{
	const char *files[64], *outdir = NULL, *primary = NULL;
	const char *measures[64];
	size_t nfiles = 0, nm = 0;
	long seed = 1, nboot = 10000, nperm = 10000;
	int rc = 2;
	pf_err err = {0};
	pf_qrels *q = NULL;
	pf_scenario *s = NULL;
	pf_golden *g = NULL;
	pf_replay *r = NULL;
	pf_assess *as = NULL;
	pf_evalrun **ev = NULL;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		long *lv = !strcmp(a, "--seed") ? &seed : !strcmp(a,
		    "--bootstrap") ? &nboot : !strcmp(a, "--permutations") ?
		    &nperm : NULL;
		if (lv != NULL && i + 1 < argc) {
			const char *v = argv[++i];
			if (pf_parse_long(v, strlen(v), 1, 100000000, lv) != 0) {
				fprintf(stderr, "preflight compare: %s needs a "
				    "positive integer\n", a);
				goto usage;
			}
		} else if (!strcmp(a, "-m") && i + 1 < argc && nm < 64) {
			measures[nm++] = argv[++i];
		} else if (!strcmp(a, "-p") && i + 1 < argc) {
			primary = argv[++i];
		} else if (!strcmp(a, "-o") && i + 1 < argc) {
			outdir = argv[++i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			compare_usage(stdout);
			return 0;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "preflight compare: unknown option "
			    "'%s'\n", a);
			goto usage;
		} else if (nfiles < 64) {
			files[nfiles++] = a;
		}
	}
	if (nfiles < 3)
		goto usage;

	/* a scenario in memory: one stack per run, no stages */
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->stacks = calloc(nfiles - 1, sizeof(*s->stacks))) == NULL)
		goto nomem;
	s->nstacks = nfiles - 1;
	s->name = strdup("compare");
	s->seed = (uint64_t)seed;
	s->n_boot = (size_t)nboot;
	s->n_perm = (size_t)nperm;
	s->alpha = 0.05;
	s->tie_tol = 1e-9;
	s->qrels = strdup(files[0]);
	s->golden_dir = strdup(files[0]);
	s->out_dir = strdup(outdir ? outdir : ".");
	s->results = strdup("results.json");
	s->report = strdup("report.html");
	s->junit = strdup("junit.xml");
	if (!s->name || !s->qrels || !s->golden_dir || !s->out_dir ||
	    !s->results || !s->report || !s->junit)
		goto nomem;
	for (size_t k = 0; k < s->nstacks; k++) {
		pf_scn_stack *st = &s->stacks[k];
		if ((st->id = base_id(files[k + 1])) == NULL ||
		    (st->name = strdup(files[k + 1])) == NULL)
			goto nomem;
		for (size_t j = 0; j < k; j++)
			if (strcmp(st->id, s->stacks[j].id) == 0) {
				fprintf(stderr, "preflight compare: two runs "
				    "named '%s'\n", st->id);
				goto done;
			}
	}
	if (pf_qrels_load(&q, files[0], PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err) != PF_OK)
		goto fail;

	/* the golden set: every qrels topic, in strcmp order */
	if ((g = calloc(1, sizeof(*g))) == NULL)
		goto nomem;
	g->qrels = q;
	q = NULL;
	g->nq = pf_qrels_ntopics(g->qrels);
	if ((g->qid = calloc(g->nq + 1, sizeof(char *))) == NULL ||
	    (g->topic = calloc(g->nq + 1, sizeof(long))) == NULL)
		goto nomem;
	for (size_t t = 0; t < g->nq; t++) {
		if ((g->qid[t] = strdup(pf_qrels_qid(g->qrels, t))) == NULL)
			goto nomem;
		g->topic[t] = (long)t;
	}

	/* measure every run */
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    pf_te_spec_new(&r->m.spec) != PF_OK)
		goto nomem;
	static const char *const def[] = {"ndcg_cut.5,10", "ndcg_exp_cut.10",
	    "map", "recip_rank", "P.10", "judged.10"};
	for (size_t i = 0; i < (nm ? nm : sizeof(def) / sizeof(*def)); i++)
		if (pf_te_spec_add(r->m.spec, nm ? measures[i] : def[i], &err) !=
		    PF_OK)
			goto fail;
	if (pf_te_spec_finish(r->m.spec, &err) != PF_OK)
		goto fail;
	r->scn = s;
	r->golden = g;
	r->m.nq = g->nq;
	r->m.nv = pf_te_spec_nvalues(r->m.spec);
	r->m.nstacks = s->nstacks;
	r->m.njudged = g->nq;
	pf_te_opts_init(&r->m.te);
	int32_t mg = pf_qrels_max_grade(g->qrels);
	r->m.te.max_grade = mg > 0 ? mg : 1;
	char pbuf[160];
	if (primary == NULL && pf_te_value_index(r->m.spec, "ndcg_cut_10") >= 0)
		snprintf(pbuf, sizeof(pbuf), "ndcg_cut_10");
	else if (primary == NULL)
		pf_te_value_name(r->m.spec, 0, pbuf, sizeof(pbuf));
	else
		snprintf(pbuf, sizeof(pbuf), "%s", primary);
	if ((s->primary = strdup(pbuf)) == NULL)
		goto nomem;
	r->m.primary = pf_te_value_index(r->m.spec, s->primary);
	if (r->m.primary < 0) {
		fprintf(stderr, "preflight compare: primary metric '%s' is not "
		    "among the measures\n", s->primary);
		goto done;
	}
	if ((r->m.judged = malloc(r->m.nq + 1)) == NULL ||
	    (r->m.stacks = calloc(r->m.nstacks, sizeof(*r->m.stacks))) == NULL ||
	    (ev = calloc(r->m.nstacks, sizeof(*ev))) == NULL)
		goto nomem;
	memset(r->m.judged, 1, r->m.nq + 1);
	for (size_t k = 0; k < r->m.nstacks; k++) {
		pf_evalrun_opts eo = {.spec = r->m.spec, .te = &r->m.te,
		    .complete = 1};
		pf_stack_result *sr = &r->m.stacks[k];
		if (pf_evalrun_file(&ev[k], g->qrels, files[k + 1], &eo, &err) !=
		    PF_OK)
			goto fail;
		sr->id = s->stacks[k].id;
		sr->name = s->stacks[k].name;
		if ((sr->values = malloc((r->m.nq * r->m.nv + 1) * sizeof(double)))
		    == NULL || (sr->mean = calloc(r->m.nv + 1, sizeof(double)))
		    == NULL || (sr->n = calloc(r->m.nq + 1, sizeof(size_t))) ==
		    NULL)
			goto nomem;
		memcpy(sr->values, ev[k]->values, r->m.nq * r->m.nv *
		    sizeof(double));
		pf_te_summarize(r->m.spec, sr->values, r->m.nq, sr->mean);
		if (ev[k]->nmissing > 0)
			fprintf(stderr, "preflight compare: %s lacks %zu of %zu "
			    "qrels topics; they score 0\n", files[k + 1],
			    ev[k]->nmissing, r->m.nq);
	}
	if (pf_assess_run(&as, r, &err) != PF_OK)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pf_outputs_print_table(r);
	pf_outputs_print_verdict(r, as);
	if (outdir != NULL) {
		char cmd[2048];
		size_t cl = 0;
		for (int i = 0; i < argc && cl < sizeof(cmd); i++)
			cl += (size_t)snprintf(cmd + cl, sizeof(cmd) - cl,
			    "%s%s", i ? " " : "preflight ", argv[i]);
		if (pf_outputs_write(s, r, as, (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9, cmd, &err) !=
		    PF_OK)
			goto fail;
		fprintf(stderr, "preflight: wrote %s/{results.json,report.html,"
		    "junit.xml}\n", outdir);
	}
	rc = 0;
	goto done;
usage:
	compare_usage(stderr);
	goto done;
nomem:
	pf_err_set(&err, PF_ENOMEM, NULL, 0, "out of memory");
fail:
	pf_err_print(&err, stderr);
done:
	for (size_t k = 0; ev != NULL && r != NULL && k < r->m.nstacks; k++)
		pf_evalrun_free(ev[k]);
	free(ev);
	pf_assess_free(as);
	pf_replay_free(r);
	pf_golden_free(g);
	pf_scenario_free(s);
	pf_qrels_free(q);
	return rc;
}

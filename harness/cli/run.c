/*
 * harness/cli/run.c — `preflight run [--check] SCENARIO` and
 * `preflight stages`: a thin layer over scenario, golden, replay, assess
 * and outputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/util/grow.h"
#include "harness/decide/assess.h"
#include "harness/analysis/attrib.h"
#include "harness/cli/cli.h"
#include "harness/util/diags.h"
#include "harness/util/fileio.h"
#include "harness/load/golden.h"
#include "harness/analysis/lift.h"
#include "harness/load/label_quality.h"
#include "harness/analysis/label_boot.h"
#include "harness/analysis/importance.h"
#include "harness/decide/outputs.h"
#include "harness/engine/replay.h"
#include "harness/load/scenario.h"
#include "harness/stages/stage.h"
#include "harness/text/analyzer.h"
#include "harness/check/validate.h"

/*
 * The checks of `preflight validate` on the scenario's golden set, for
 * results.json and the report (a failed rule is reported, not a gate).
 * Returns the number of failed rules, or -1 when they could not run
 * (the replay already loaded the same files, so that is rare).
 */
static long
golden_checks(const char *path, pf_assess *as)
{
	pf_validate_opts o = {.max_no_relevant = 0, .min_alpha = 0.667};
	pf_validation *v = NULL;
	pf_diags *d = calloc(1, sizeof(*d));
	long nfailed = -1;

	if (d != NULL && pf_validate(&v, path, &o, d) == PF_OK &&
	    (as->validation = pf_validation_json(v)) != NULL)
		nfailed = (long)pf_validation_failed(v);
	pf_validation_free(v);
	free(d);
	return nfailed;
}

static void
run_usage(FILE *f)
{
	fputs("usage: preflight run [--check] [--quiet] SCENARIO.xml\n"
	    "  Replays the scenario's golden set through its stacks and\n"
	    "  writes results.json and one TREC run per stack.\n"
	    "  --check  validate the scenario and every file it names, then "
	    "stop\n"
	    "  --junit PATH  where a junit.xml saying why goes when the input "
	    "is bad\n"
	    "  --export-features FILE.svm [--export-stack ID]  also write the "
	    "features\n    of a stack's final candidates (default: the control) "
	    "in SVMlight format\n"
	    "  --quiet  no table on stdout\n", f);
}

int
pf_cli_stages(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; pf_stage_registry[i] != NULL; i++) {
		const pf_stage_ops *s = pf_stage_registry[i];
		printf("%-12s %s\n", s->name, s->summary);
		for (const pf_stage_param_doc *p = s->params;
		    p != NULL && p->name != NULL; p++)
			printf("    %-16s %-7s %-9s %s\n", p->name, p->type,
			    p->required ? "required" : "optional", p->doc);
	}
	return 0;
}

int
pf_cli_run(int argc, char **argv)
{
	int check = 0, quiet = 0, rc = 2;
	const char *path = NULL;
	pf_diags *d = calloc(1, sizeof(*d));
	pf_scenario *s = NULL;
	pf_golden *g = NULL;
	pf_golden_spec gspec;
	pf_replay *r = NULL;
	pf_assess *as = NULL;
	pf_err err = {0};
	const char *junit = NULL, *export = NULL, *export_stack = NULL;
	char cmdline[2048];
	size_t cl = 0;
	struct timespec t0, t1;
	long vfailed = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	cmdline[0] = '\0';
	for (int i = 0; i < argc && cl < sizeof(cmdline); i++)
		cl += (size_t)snprintf(cmdline + cl, sizeof(cmdline) - cl,
		    "%s%s", i ? " " : "preflight ", argv[i]);

	if (d == NULL)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--check") == 0)
			check = 1;
		else if (strcmp(argv[i], "--junit") == 0 && i + 1 < argc)
			junit = argv[++i];
		else if (strcmp(argv[i], "--export-features") == 0 &&
		    i + 1 < argc)
			export = argv[++i];
		else if (strcmp(argv[i], "--export-stack") == 0 && i + 1 < argc)
			export_stack = argv[++i];
		else if (strcmp(argv[i], "--quiet") == 0 ||
		    strcmp(argv[i], "-q") == 0)
			quiet = 1;
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			run_usage(stdout);
			rc = 0;
			goto done;
		} else if (argv[i][0] == '-' || path != NULL) {
			fprintf(stderr, "preflight run: unexpected '%s'\n",
			    argv[i]);
			run_usage(stderr);
			goto done;
		} else
			path = argv[i];
	}
	if (path == NULL) {
		run_usage(stderr);
		goto done;
	}
	if (pf_scenario_load(&s, path, d) != PF_OK ||
	    (pf_scenario_golden_spec(s, &gspec),
	    pf_golden_load(&g, &gspec, d)) != PF_OK ||
	    pf_golden_check_judged_docs(g, d) != PF_OK ||	/* validate counts them */
	    pf_replay_open(&r, s, g, d) != PF_OK ||
	    pf_liftrun_check(r, d) != PF_OK) {
		pf_diags_print(d, stderr);
		if (junit == NULL && s != NULL && !check) {
			char *jp = pf_path_join(s->out_dir, s->junit);
			pf_err e2 = {0};
			if (jp != NULL && pf_mkdirs(s->out_dir, &e2) == PF_OK)
				pf_outputs_junit_error(jp, path, d);
			free(jp);
		} else if (junit != NULL) {
			pf_outputs_junit_error(junit, path, d);
		}
		goto done;
	}
	if (g->nunjudged_queries > 0)
		fprintf(stderr, "preflight: warning: %zu of %zu queries have "
		    "no judgments and are left out of the means\n",
		    g->nunjudged_queries, g->nq);
	size_t nempty = 0;	/* Cranfield has two: they stay, empty */
	for (size_t i = 0; i < g->corpus.n; i++)
		nempty += pf_text_empty(g->corpus.title[i]) &&
		    pf_text_empty(g->corpus.body[i]);
	if (nempty > 0)
		fprintf(stderr, "preflight: warning: %zu of %zu documents in %s "
		    "have no text (no token in title or body); indexed as "
		    "empty\n", nempty, g->corpus.n, g->corpus.path);
	if (check && pf_attrib_check(r, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		goto done;
	}
	if (check) {
		size_t nst = 0;
		for (size_t k = 0; k < s->nstacks; k++)
			nst += s->stacks[k].nstages;
		printf("%s: OK: %zu queries (%zu judged), %zu stacks, %zu "
		    "stages, %zu metric values\n", path, g->nq, r->m.njudged,
		    s->nstacks, nst, r->m.nv);
		rc = 0;
		goto done;
	}
	r->keep_feats = export != NULL;
	if (pf_replay_run(r, &err) == PF_OK &&
	    pf_assess_run(&as, r, &err) == PF_OK &&
	    pf_attrib_run(&as->attrib, r, &err) == PF_OK &&
	    pf_importance_all(&as->imp, r, as, &err) == PF_OK) {
		vfailed = golden_checks(path, as);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double secs = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
		if (pf_outputs_write(s, r, as, secs, cmdline, &err) == PF_OK &&
		    export != NULL)
			pf_outputs_export_features(r, export_stack, export, &err);
	}
	if (err.code != PF_OK) {
		pf_err_print(&err, stderr);
		goto done;
	}
	if (!quiet) {
		pf_outputs_print_table(r);
		pf_outputs_print_verdict(r, as);
		if (as->lift != NULL)	/* the lift headline, under it */
			printf("%s\n", as->lift->headline);
		pf_importance_print(as->imp, stdout);
		pf_attrib_print(as->attrib, stdout);
		pf_goldq_print(stdout, g->labelq, g->qrels);
		if (vfailed > 0)
			printf("golden set checks: %ld rule%s failed (preflight "
			    "validate %s says which)\n", vfailed, vfailed == 1 ?
			    "" : "s", path);
		pf_lboot_print(stdout, as->lboot, r);
	}
	fprintf(stderr, "preflight: wrote %s/{%s,%s,%s}\n", s->out_dir,
	    s->results, s->report, s->junit);
	rc = as->nfailed + as->nexp_failed > 0 ? 1 : 0;
done:
	pf_assess_free(as);
	pf_replay_free(r);
	pf_golden_free(g);
	pf_scenario_free(s);
	free(d);
	return rc;
}

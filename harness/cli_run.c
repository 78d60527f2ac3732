/*
 * harness/cli_run.c — `preflight run [--check] SCENARIO` and
 * `preflight stages`: a thin layer over scenario, golden, replay and the
 * results writer.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli.h"
#include "harness/fileio.h"
#include "harness/golden.h"
#include "harness/replay.h"
#include "harness/scenario.h"
#include "harness/stage.h"
#include "reports/results.h"

static void
run_usage(FILE *f)
{
	fputs("usage: preflight run [--check] [--quiet] SCENARIO.xml\n"
	    "  Replays the scenario's golden set through its stacks and\n"
	    "  writes results.json and one TREC run per stack.\n"
	    "  --check  validate the scenario and every file it names, then "
	    "stop\n"
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

typedef struct inputs {
	pf_res_input	*v;
	size_t		 n;
} inputs;

static int
add_input(inputs *in, const char *role, const char *path, pf_err *err)
{
	if (path == NULL)
		return PF_OK;
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].path, path) == 0)
			return PF_OK;
	pf_res_input *v = realloc(in->v, (in->n + 1) * sizeof(*v));
	if (v == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	in->v = v;
	v = &in->v[in->n];
	memset(v, 0, sizeof(*v));
	v->role = role;
	v->path = path;
	unsigned long long b;
	int rc = pf_sha256_file(path, v->sha256, &b, err);
	v->bytes = b;
	if (rc == PF_OK)
		in->n++;
	return rc;
}

/* Every file the scenario names: the scenario, golden files, and stage
 * parameters of type path (resolved as the stages resolve them). */
static int
collect_inputs(inputs *in, const pf_scenario *s, char ***owned, size_t *nown,
    pf_err *err)
{
	int rc;

	if ((rc = add_input(in, "scenario", s->path, err)) != PF_OK ||
	    (rc = add_input(in, "queries", s->queries, err)) != PF_OK ||
	    (rc = add_input(in, "qrels", s->qrels, err)) != PF_OK ||
	    (rc = add_input(in, "labels", s->labels, err)) != PF_OK ||
	    (rc = add_input(in, "labels", s->labels_qfile, err)) != PF_OK)
		return rc;
	for (size_t k = 0; k < s->nstacks; k++)
		for (size_t i = 0; i < s->stacks[k].nstages; i++) {
			const pf_scn_stage *g = &s->stacks[k].stages[i];
			const pf_stage_ops *ops = pf_stage_find(g->name);
			for (size_t j = 0; ops && j < g->nparams; j++)
				for (const pf_stage_param_doc *p = ops->params;
				    p->name != NULL; p++) {
					if (strcmp(p->name, g->params[j].key) ||
					    strcmp(p->type, "path"))
						continue;
					char *path = pf_path_join(s->dir,
					    g->params[j].value), **o;
					if (path == NULL || (o = realloc(*owned,
					    (*nown + 1) * sizeof(*o))) == NULL) {
						free(path);
						return pf_err_set(err,
						    PF_ENOMEM, NULL, 0,
						    "out of memory");
					}
					*owned = o;
					o[(*nown)++] = path;
					if ((rc = add_input(in, g->name, path,
					    err)) != PF_OK)
						return rc;
				}
		}
	return PF_OK;
}

static int
write_run(pf_atomic_file *af, const pf_replay *r, size_t k, pf_err *err)
{
	const pf_stack_result *s = &r->stacks[k];

	for (size_t q = 0; q < r->nq; q++)
		for (size_t i = 0; i < s->n[q]; i++)
			fprintf(af->f, "%s Q0 %s %zu %.17g %s\n",
			    r->golden->qid[q], pf_golden_docid(r->golden,
			    s->doc[q][i]), i + 1, s->score[q][i], s->id);
	if (ferror(af->f))
		return pf_err_set(err, PF_EIO, af->path, 0, "write error");
	return PF_OK;
}

static void
print_table(const pf_replay *r)
{
	char name[160];

	printf("%-24s", "stack");
	for (size_t v = 0; v < r->nv; v++) {
		pf_te_value_name(r->spec, v, name, sizeof(name));
		printf(" %14s", name);
	}
	printf("\n");
	for (size_t k = 0; k < r->nstacks; k++) {
		char label[64];
		snprintf(label, sizeof(label), "%s%s", r->stacks[k].id,
		    k == 0 ? " (control)" : "");
		printf("%-24s", label);
		for (size_t v = 0; v < r->nv; v++)
			printf(pf_te_value_is_count(r->spec, v) ? " %14.0f" :
			    " %14.4f", r->stacks[k].mean[v]);
		printf("\n");
	}
	printf("%zu queries with judgments", r->njudged);
	if (r->njudged != r->nq)
		printf(" (%zu without, left out of the means)",
		    r->nq - r->njudged);
	printf("; primary metric %s\n", r->scn->primary);
}

static int
write_outputs(const pf_scenario *s, const pf_replay *r, pf_err *err)
{
	inputs in = {0};
	char **owned = NULL, *rpath = NULL;
	size_t nown = 0, nv = r->nv;
	pf_atomic_file *af = NULL;
	size_t naf = 0;
	char **names = NULL, **runpaths = NULL;
	unsigned char *is_count = NULL;
	pf_res_stack *rs = NULL;
	pf_res_stage **stg = NULL;
	int rc;

	if ((rc = collect_inputs(&in, s, &owned, &nown, err)) != PF_OK ||
	    (rc = pf_mkdirs(s->out_dir, err)) != PF_OK)
		goto done;
	rc = PF_ENOMEM;
	if ((af = calloc(r->nstacks + 1, sizeof(*af))) == NULL ||
	    (names = calloc(nv + 1, sizeof(*names))) == NULL ||
	    (is_count = calloc(nv + 1, 1)) == NULL ||
	    (runpaths = calloc(r->nstacks, sizeof(*runpaths))) == NULL ||
	    (rs = calloc(r->nstacks, sizeof(*rs))) == NULL ||
	    (stg = calloc(r->nstacks, sizeof(*stg))) == NULL)
		goto nomem;
	for (size_t v = 0; v < nv; v++) {
		char b[160];
		pf_te_value_name(r->spec, v, b, sizeof(b));
		if ((names[v] = strdup(b)) == NULL)
			goto nomem;
		is_count[v] = (unsigned char)pf_te_value_is_count(r->spec, v);
	}
	for (size_t k = 0; k < r->nstacks; k++) {
		const pf_scn_stack *st = &s->stacks[k];
		if (s->runs) {
			char b[4200];
			snprintf(b, sizeof(b), "%s/%s.run", s->out_dir, st->id);
			if ((runpaths[k] = strdup(b)) == NULL)
				goto nomem;
			if ((rc = pf_atomic_open(&af[naf], b, err)) != PF_OK)
				goto done;
			naf++;
			if ((rc = write_run(&af[naf - 1], r, k, err)) != PF_OK)
				goto done;
		}
		if ((stg[k] = calloc(st->nstages + 1, sizeof(**stg))) == NULL)
			goto nomem;
		for (size_t i = 0; i < st->nstages; i++) {
			pf_res_stage *g = &stg[k][i];
			g->stage = st->stages[i].name;
			g->nparams = st->stages[i].nparams;
			const char **keys = calloc(g->nparams + 1,
			    sizeof(char *));
			const char **vals = calloc(g->nparams + 1,
			    sizeof(char *));
			if (keys == NULL || vals == NULL) {
				free(keys);
				free(vals);
				goto nomem;
			}
			for (size_t j = 0; j < g->nparams; j++) {
				keys[j] = st->stages[i].params[j].key;
				vals[j] = st->stages[i].params[j].value;
			}
			g->keys = keys;
			g->values = vals;
		}
		rs[k] = (pf_res_stack){st->id, st->name, stg[k], st->nstages,
		    r->stacks[k].mean, r->stacks[k].values, r->stacks[k].n,
		    runpaths[k]};
	}
	pf_results res = {PF_VERSION, s->name, s->seed, omp_get_max_threads(),
	    in.v, in.n, (const char *const *)names, is_count, nv, s->primary,
	    (const char *const *)r->golden->qid, r->judged, r->nq, r->njudged,
	    rs, r->nstacks};
	if ((rpath = pf_path_join(s->out_dir, s->results)) == NULL)
		goto nomem;
	if ((rc = pf_atomic_open(&af[naf], rpath, err)) != PF_OK)
		goto done;
	naf++;
	if ((rc = pf_results_write_json(&res, af[naf - 1].f, err)) != PF_OK)
		goto done;
	/* Everything written: now replace the old outputs. */
	for (size_t i = 0; i < naf; i++)
		if ((rc = pf_atomic_commit(&af[i], err)) != PF_OK)
			goto done;
	rc = PF_OK;
	goto done;
nomem:
	rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
done:
	for (size_t i = 0; af != NULL && i < naf; i++)
		pf_atomic_abort(&af[i]);
	free(af);
	for (size_t i = 0; names != NULL && i < nv; i++)
		free(names[i]);
	free(names);
	free(is_count);
	for (size_t k = 0; stg != NULL && k < r->nstacks; k++) {
		for (size_t i = 0; stg[k] != NULL && i < s->stacks[k].nstages;
		    i++) {
			free((void *)stg[k][i].keys);
			free((void *)stg[k][i].values);
		}
		free(stg[k]);
	}
	free(stg);
	for (size_t k = 0; runpaths != NULL && k < r->nstacks; k++)
		free(runpaths[k]);
	free(runpaths);
	free(rs);
	for (size_t i = 0; i < nown; i++)
		free(owned[i]);
	free(owned);
	free(in.v);
	free(rpath);
	return rc;
}

int
pf_cli_run(int argc, char **argv)
{
	int check = 0, quiet = 0, rc = 2;
	const char *path = NULL;
	pf_diags *d = calloc(1, sizeof(*d));
	pf_scenario *s = NULL;
	pf_golden *g = NULL;
	pf_replay *r = NULL;
	pf_err err = {0};

	if (d == NULL)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--check") == 0)
			check = 1;
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
	    pf_golden_load(&g, s, d) != PF_OK ||
	    pf_replay_open(&r, s, g, d) != PF_OK) {
		pf_diags_print(d, stderr);
		goto done;
	}
	if (g->nunjudged_queries > 0)
		fprintf(stderr, "preflight: warning: %zu of %zu queries have "
		    "no judgments and are left out of the means\n",
		    g->nunjudged_queries, g->nq);
	if (check) {
		size_t nst = 0;
		for (size_t k = 0; k < s->nstacks; k++)
			nst += s->stacks[k].nstages;
		printf("%s: OK: %zu queries (%zu judged), %zu stacks, %zu "
		    "stages, %zu metric values\n", path, g->nq, r->njudged,
		    s->nstacks, nst, r->nv);
		rc = 0;
		goto done;
	}
	if (pf_replay_run(r, &err) != PF_OK ||
	    write_outputs(s, r, &err) != PF_OK) {
		if (err.where[0] != '\0')
			fprintf(stderr, "preflight: %s: %s\n", err.where,
			    err.msg);
		else
			fprintf(stderr, "preflight: %s\n", err.msg);
		goto done;
	}
	if (!quiet)
		print_table(r);
	fprintf(stderr, "preflight: wrote %s/%s\n", s->out_dir, s->results);
	rc = 0;
done:
	pf_replay_free(r);
	pf_golden_free(g);
	pf_scenario_free(s);
	free(d);
	return rc;
}

/*
 * harness/cli/history.c — `preflight history DB`: the runs a history holds
 * (id, time, scenario, labels, verdict, exit code), as a table or JSON;
 * with --prune-keep N, first keeps only the last N runs of every scenario
 * (or of --scenario's), in one transaction. A history is never created
 * here: DB must exist and hold the schema.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/cli/cli.h"
#include "harness/history/history.h"
#include "harness/util/diags.h"

enum { O_SCENARIO = PF_OPT_LONG, O_JSON, O_PRUNE };

static const pf_opt history_opts[] = {
	{O_SCENARIO, "scenario", "NAME", "only that scenario's runs"},
	{O_JSON, "json", NULL, "the list as JSON on stdout"},
	{O_PRUNE, "prune-keep", "N", "first delete all but the last N runs "
	    "of every\nscenario (of NAME's only, with --scenario), in one "
	    "transaction"},
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_history_doc = {"history", "[OPTIONS] DB",
	"  Lists the runs a history database holds (a SQLite file or a\n"
	"  postgresql:// URI), oldest first.\n", history_opts, NULL};

typedef struct history_args {
	const char	*db, *scenario;
	int		 json, prune;
	size_t		 keep;
} history_args;

static int
parse_keep(const char *v, size_t *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || n < 0)
		return -1;
	*out = (size_t)n;
	return 0;
}

/* 0 to go on, 1 after --help, -1 on a usage error (printed). */
static int
parse_args(history_args *a, int argc, char **argv)
{
	pf_opts p;
	int c;

	pf_opts_init(&p, &pf_cli_history_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		if (c == O_SCENARIO)
			a->scenario = p.val;
		else if (c == O_JSON)
			a->json = 1;
		else if (c == O_PRUNE) {
			if (parse_keep(p.val, &a->keep) != 0) {
				pf_opts_fail(&pf_cli_history_doc, "--prune-keep: "
				    "expected a whole number of runs (0 or "
				    "more), got '%s'", p.val);
				return -1;
			}
			a->prune = 1;
		} else
			return c == PF_OPTS_EXIT0 ? 1 : -1;
	}
	if (p.npos != 1) {
		pf_opts_fail(&pf_cli_history_doc, p.npos == 0 ? "the history "
		    "DB is missing" : "one history DB at most");
		return -1;
	}
	a->db = p.pos[0];
	return 0;
}

static void
print_table(const pf_hist_runs *r)
{
	int ws = 8, wv = 7;

	for (size_t i = 0; i < r->n; i++) {
		int ls = (int)strlen(r->v[i].scenario);
		int lv = (int)strlen(r->v[i].verdict);
		ws = ls > ws ? ls : ws;
		wv = lv > wv ? lv : wv;
	}
	printf("%6s  %-20s  %-*s  %4s  %-*s  %s\n", "id", "time (UTC)", ws,
	    "scenario", "exit", wv, "verdict", "labels");
	for (size_t i = 0; i < r->n; i++) {
		const pf_hist_runinfo *x = &r->v[i];
		printf("%6lld  %-20s  %-*s  %4d  %-*s  %s\n", (long long)x->id,
		    x->time, ws, x->scenario, x->exit_code, wv, x->verdict,
		    x->labels);
	}
	printf("%zu run%s\n", r->n, r->n == 1 ? "" : "s");
}

static int
print_json(const pf_history *h, const pf_hist_runs *r)
{
	json_t *root = json_object(), *runs = json_array();
	int rc;

	if (root == NULL || runs == NULL) {
		json_decref(root);
		json_decref(runs);
		return -1;
	}
	json_object_set_new(root, "schema", json_string("preflight.history/1"));
	json_object_set_new(root, "db", json_string(pf_history_shown(h)));
	json_object_set_new(root, "schema_version",
	    json_integer(pf_history_version(h)));
	for (size_t i = 0; i < r->n; i++) {
		const pf_hist_runinfo *x = &r->v[i];
		json_array_append_new(runs, json_pack("{sI ss ss ss ss ss ss "
		    "ss ss ss ss sI sI sI sI si}", "id", (json_int_t)x->id,
		    "time", x->time, "scenario", x->scenario, "scenario_sha256",
		    x->scenario_sha256, "golden", x->golden, "golden_sha256",
		    x->golden_sha256, "seed", x->seed, "version", x->version,
		    "labels", x->labels, "primary_metric", x->primary,
		    "verdict", x->verdict, "stacks", (json_int_t)x->nstacks,
		    "queries", (json_int_t)x->nqueries, "metrics",
		    (json_int_t)x->nmetrics, "gates_failed",
		    (json_int_t)x->gates_failed, "exit_code", x->exit_code));
	}
	json_object_set_new(root, "runs", runs);
	rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
	return rc;
}

int
pf_cli_history(int argc, char **argv)
{
	history_args a = {0};
	pf_history *h = NULL;
	pf_hist_runs runs = {0};
	pf_err err = {0};
	size_t ndel = 0;
	int rc = 2, pa;

	if ((pa = parse_args(&a, argc, argv)) != 0)
		return pa > 0 ? 0 : 2;
	if (pf_history_open(&h, a.db, 0, &err) != PF_OK)
		goto done;
	if (a.prune && pf_history_prune(h, a.scenario, a.keep, &ndel,
	    &err) != PF_OK)
		goto done;
	if (a.prune)
		fprintf(stderr, "preflight: pruned %zu run%s from %s, keeping "
		    "the last %zu of %s\n", ndel, ndel == 1 ? "" : "s",
		    pf_history_shown(h), a.keep, a.scenario ? a.scenario :
		    "every scenario");
	if (pf_history_list(h, a.scenario, &runs, &err) != PF_OK)
		goto done;
	if (a.json) {
		if (print_json(h, &runs) != 0) {
			pf_err_set(&err, PF_EIO, NULL, 0, "cannot write the JSON "
			    "list");
			goto done;
		}
	} else
		print_table(&runs);
	rc = 0;
done:
	if (err.code != PF_OK)
		pf_err_print(&err, stderr);
	pf_hist_runs_free(&runs);
	pf_history_close(h);
	return rc;
}

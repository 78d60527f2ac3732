/*
 * harness/cli/compare.c — `preflight compare QRELS RUN_A RUN_B [RUN...]`:
 * the statistics, verdict and reports of `preflight run` for plain TREC run
 * files. RUN_A is the control. The qrels are the golden set (every topic
 * a query); each run is evaluated into the same measured-results interface
 * the replay fills (engine/runs.h), then the same comparison, decision and
 * outputs run. A run that lacks a topic scores 0 on it (trec_eval -c), so
 * the comparison is paired over the same queries for every run.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/cli/cli.h"
#include "harness/decide/files.h"
#include "harness/decide/gates.h"
#include "harness/decide/outputs.h"
#include "harness/decide/perquery.h"
#include "harness/engine/runs.h"
#include "harness/util/diags.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"
#include "harness/util/scan.h"

#define MAXFILES	64

typedef struct compare_args {
	const char	*files[MAXFILES], *measures[MAXFILES];
	size_t		 nfiles, nm;
	const char	*outdir, *primary, *junit, *gates_file, *per_query;
	const char	*queries;	/* --queries: dimensions, or NULL */
	const char	*in_role[MAXFILES + 1], *in_path[MAXFILES + 1];
	size_t		 nin;		/* the inputs: qrels, runs, queries */
	const char	*gate_specs[MAXFILES];
	size_t		 ngates;
	int		 common;	/* --common-topics */
	long		 seed, nboot, nperm;
	char		 cmdline[2048];
} compare_args;

enum {
	O_JUNIT = PF_OPT_LONG, O_GATE, O_GATES, O_COMMON, O_SEED, O_BOOT,
	O_PERM, O_PER_QUERY, O_QUERIES
};

static const pf_opt compare_opts[] = {
	{'m', "measure", "MEASURE", "a measure, as preflight eval -m "
	    "(repeatable; default\nndcg_cut.5,10 ndcg_exp_cut.10 map "
	    "recip_rank P.10 judged.10)"},
	{'p', "primary", "PRIMARY", "the primary metric (default "
	    "ndcg_cut_10)"},
	{'o', "out", "OUTDIR", "also write results.json, report.html and "
	    "junit.xml there"},
	{O_JUNIT, "junit", "PATH", "junit.xml goes here"},
	{O_PER_QUERY, "per-query", "FILE.tsv", "also write one row per "
	    "(run, query, metric)"},
	{O_QUERIES, "queries", "QUERIES.tsv", "a golden set's queries.tsv: "
	    "its dimension columns give\nthe segments and --per-query's "
	    "columns (matched by qid)"},
	{O_GATE, "gate", "SPEC", "METRIC[@RUN]:min=X | :min-delta=X"
	    "[:on=ci-lower] |\n:significant — a gate as in a scenario's "
	    "<gates> (RUN: a\nrun's file name); a failed gate exits 1 "
	    "(repeatable)"},
	{O_GATES, "gates", "FILE", "a <gates> element of gates"},
	{O_COMMON, "common-topics", NULL, "only the topics every run has "
	    "(trec_eval without\n-c); by default a run's missing topic "
	    "scores 0 (-c)"},
	{O_SEED, "seed", "N", "random numbers' seed (default 1)"},
	{O_BOOT, "bootstrap", "B", "bootstrap resamples (default 10000)"},
	{O_PERM, "permutations", "P", "randomization test permutations "
	    "(default 10000)"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_compare_doc = {"compare",
	"[OPTIONS] QRELS RUN_A RUN_B [RUN...]",
	"  RUN_A is the control. Prints means, each run's delta on the "
	"primary\n  metric with its 95% CI and p, and the verdict.\n",
	compare_opts, NULL};

/* 0 to go on, 1 after --help, -1 on a usage error (printed). */
static int
parse_args(compare_args *a, int argc, char **argv)
{
	pf_opts p;
	int c;

	pf_opts_cmdline(a->cmdline, sizeof(a->cmdline), argc, argv);
	pf_opts_init(&p, &pf_cli_compare_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		long *lv = c == O_SEED ? &a->seed : c == O_BOOT ? &a->nboot :
		    c == O_PERM ? &a->nperm : NULL;
		const char *nm = c == O_SEED ? "--seed" : c == O_BOOT ?
		    "--bootstrap" : "--permutations";
		if (lv != NULL) {
			if (pf_opts_long(&p, nm, 1, 100000000,
			    "a positive integer", lv) != 0)
				return -1;
			continue;
		}
		if ((c == 'm' && a->nm == MAXFILES) || (c == O_GATE &&
		    a->ngates == MAXFILES)) {
			pf_opts_fail(&pf_cli_compare_doc, "at most %d of %s",
			    MAXFILES, c == 'm' ? "-m" : "--gate");
			return -1;
		}
		switch (c) {
		case 'm':
			a->measures[a->nm++] = p.val;
			break;
		case 'p':
			a->primary = p.val;
			break;
		case 'o':
			a->outdir = p.val;
			break;
		case O_JUNIT:
			a->junit = p.val;
			break;
		case O_PER_QUERY:
			a->per_query = p.val;
			break;
		case O_QUERIES:
			a->queries = p.val;
			break;
		case O_GATES:
			a->gates_file = p.val;
			break;
		case O_GATE:
			a->gate_specs[a->ngates++] = p.val;
			break;
		case O_COMMON:
			a->common = 1;
			break;
		case PF_OPTS_EXIT0:
			return 1;
		default:
			return -1;
		}
	}
	if (p.npos < 3) {
		pf_opts_fail(&pf_cli_compare_doc, "expected QRELS and at least "
		    "two runs, got %d file%s", p.npos, p.npos == 1 ? "" : "s");
		return -1;
	}
	if (p.npos > MAXFILES) {
		pf_opts_fail(&pf_cli_compare_doc, "at most %d runs, got %d",
		    MAXFILES - 1, p.npos - 1);
		return -1;
	}
	for (int i = 0; i < p.npos; i++) {
		a->files[a->nfiles++] = p.pos[i];
		a->in_role[a->nin] = i ? "run" : "qrels";
		a->in_path[a->nin++] = p.pos[i];
	}
	if (a->queries != NULL) {
		a->in_role[a->nin] = "queries";
		a->in_path[a->nin++] = a->queries;
	}
	return 0;
}

/* A run's id: its file name, at most 64 bytes. */
static char *
base_id(const char *path)
{
	const char *b = strrchr(path, '/');
	char *id = strdup(b ? b + 1 : path);

	if (id != NULL && strlen(id) > 64)
		id[64] = '\0';
	return id;
}

/* The metrics: -m as given, or the defaults; and the primary. */
static int
metrics(const compare_args *a, pf_te_spec **out, char *primary, size_t psz,
    pf_err *err)
{
	static const char *const def[] = {"ndcg_cut.5,10", "ndcg_exp_cut.10",
	    "map", "recip_rank", "P.10", "judged.10"};
	size_t n = a->nm ? a->nm : sizeof(def) / sizeof(*def);
	int rc;

	if (pf_te_spec_new(out) != PF_OK)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < n; i++)
		if ((rc = pf_te_spec_add(*out, a->nm ? a->measures[i] : def[i],
		    err)) != PF_OK)
			return rc;
	if ((rc = pf_te_spec_finish(*out, err)) != PF_OK)
		return rc;
	/* -p names its value in its own spelling (README "Measure names") */
	long v = a->primary != NULL ? pf_te_spec_prefer(*out, a->primary) :
	    pf_te_value_index(*out, "ndcg_cut_10");
	if (v < 0 && a->primary != NULL)
		return pf_err_set(err, PF_EINVAL, NULL, 0, "compare: primary "
		    "metric '%s' is not among the measures", a->primary);
	pf_te_value_name(*out, v < 0 ? 0 : (size_t)v, primary, psz);
	return PF_OK;
}

/* "ndcg_cut_10-min-delta-b.run": a gate id the schema's idType takes. */
static char *
gate_id(const pf_scn_gate *g, const char *kind)
{
	char b[65];
	size_t n = (size_t)snprintf(b, sizeof(b), "%s-%s%s%s", g->metric,
	    kind, g->stack ? "-" : "", g->stack ? g->stack : "");

	for (size_t i = 0; i < n && i < sizeof(b) - 1; i++)
		if (!isalnum((unsigned char)b[i]) && !strchr("_.-", b[i]))
			b[i] = '_';
	return strdup(b);
}

/*
 * One --gate: METRIC[@RUN]:min=X | METRIC[@RUN]:min-delta=X[:on=ci-lower]
 * | METRIC[@RUN]:significant. i: its place among the --gate options.
 */
static int
parse_gate(const char *spec, size_t i, pf_scn_gate *g, pf_err *err)
{
	const char *colon = strchr(spec, ':'), *at, *kind, *val;
	char k[32];
	size_t kl;

	memset(g, 0, sizeof(*g));
	g->line = (long)i + 1;
	if (colon == NULL || colon == spec)
		goto bad;
	/* the last '@' not followed by digits only names the run, so
	   "ndcg@10" stays a metric name and "ndcg@10@b.run" has a run */
	at = NULL;
	for (const char *p = spec; p < colon; p++)
		if (*p == '@' && strspn(p + 1, "0123456789.") !=
		    (size_t)(colon - p - 1))
			at = p;
	if ((g->metric = strndup(spec, (size_t)((at ? at : colon) - spec))) ==
	    NULL || (at != NULL && (g->stack = strndup(at + 1, (size_t)(colon -
	    at - 1))) == NULL))
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	kind = colon + 1;
	kl = strcspn(kind, "=:");
	if (kl == 0 || kl >= sizeof(k))
		goto bad;
	memcpy(k, kind, kl);
	k[kl] = '\0';
	val = kind[kl] == '=' ? kind + kl + 1 : NULL;
	const char *on = strstr(kind, ":on=");
	size_t vl = val ? (on ? (size_t)(on - val) : strlen(val)) : 0;
	double x = 0;
	if (strcmp(k, "significant") == 0 && val == NULL) {
		g->significant = 1;
	} else if ((strcmp(k, "min") == 0 || strcmp(k, "min-delta") == 0) &&
	    val != NULL && pf_parse_double(val, vl, &x) == 0 && isfinite(x)) {
		g->has_min = k[3] == '\0';
		g->has_min_delta = !g->has_min;
		g->min = g->min_delta = x;
	} else
		goto bad;
	if (on != NULL) {
		if (strcmp(on, ":on=ci-lower") != 0 && strcmp(on,
		    ":on=estimate") != 0)
			goto bad;
		g->on_ci = strcmp(on, ":on=ci-lower") == 0;
	}
	if ((g->id = gate_id(g, k)) == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	return PF_OK;
bad:
	return pf_err_set(err, PF_EINVAL, "--gate", (long)i + 1, "'%s': "
	    "expected METRIC[@RUN]:min=X, METRIC[@RUN]:min-delta=X[:on="
	    "ci-lower] or METRIC[@RUN]:significant, X a finite number", spec);
}

/* The gates of --gates FILE and of each --gate, checked against m. */
static int
load_gates(const compare_args *a, const pf_measured *m, pf_scn_gate **fg,
    size_t *nfg, pf_scn_gate **cg, pf_err *err)
{
	pf_diags *d = calloc(1, sizeof(*d));
	int rc = PF_OK;

	if (d == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if (a->gates_file != NULL &&
	    pf_gates_load(fg, nfg, a->gates_file, d) != PF_OK)
		rc = PF_EFORMAT;
	if ((*cg = calloc(a->ngates + 1, sizeof(**cg))) == NULL)
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; rc == PF_OK && i < a->ngates; i++)
		rc = parse_gate(a->gate_specs[i], i, &(*cg)[i], err);
	for (size_t i = 0; rc == PF_OK && i < a->ngates; i++)	/* unique ids */
		for (size_t j = 0; j < i; j++)
			if (strcmp((*cg)[i].id, (*cg)[j].id) == 0) {
				size_t n = strlen((*cg)[i].id) + 24;
				char *id = malloc(n);
				if (id == NULL)
					return pf_err_set(err, PF_ENOMEM, NULL,
					    0, "out of memory");
				snprintf(id, n, "%s-%zu", (*cg)[i].id, i + 1);
				free((*cg)[i].id);
				(*cg)[i].id = id;
				break;
			}
	pf_gate_defs fd = {*fg, *nfg, a->gates_file, 0.05, 0, NULL, NULL};
	pf_gate_defs cd = {*cg, a->ngates, "--gate", 0.05, 0, NULL, NULL};
	if (rc == PF_OK && (pf_gates_check(&fd, m, 0, d) != PF_OK ||
	    pf_gates_check(&cd, m, 0, d) != PF_OK))
		rc = PF_EFORMAT;
	if (rc == PF_EFORMAT) {
		pf_diags_print(d, stderr);
		pf_err_set(err, PF_EFORMAT, NULL, 0, "the gates cannot be "
		    "evaluated");
	}
	free(d);
	return rc;
}

/* Every run evaluated into one stack of m; ids unique. */
static int
measure(pf_measured *m, const compare_args *a, char **ids, pf_err *err)
{
	int rc;

	for (size_t k = 0; k < m->nstacks; k++) {
		const char *path = a->files[k + 1];
		if ((ids[k] = base_id(path)) == NULL)
			return pf_err_set(err, PF_ENOMEM, NULL, 0,
			    "out of memory");
		for (size_t j = 0; j < k; j++)
			if (strcmp(ids[k], ids[j]) == 0)
				return pf_err_set(err, PF_EINVAL, NULL, 0,
				    "compare: two runs named '%s'", ids[k]);
		m->stacks[k].id = ids[k];
		m->stacks[k].name = path;
		if ((rc = pf_runs_measure(m, k, path, err)) != PF_OK)
			return rc;
	}
	if (a->common)
		pf_measured_common(m);
	if (m->njudged == 0)
		return pf_err_set(err, PF_EDATA, NULL, 0, "compare: no topic is "
		    "in every run (--common-topics)");
	return pf_measured_summarize(m, err);
}

/* --queries: its dimensions onto g's queries; PF_EFORMAT (printed) or
   PF_ENOMEM in err. */
static int
dims(const compare_args *a, pf_golden *g, pf_err *err)
{
	pf_diags *d = calloc(1, sizeof(*d));
	size_t nmiss = 0;
	int rc;

	if (d == NULL)
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	if ((rc = pf_golden_add_dims(g, a->queries, &nmiss, d)) != PF_OK) {
		pf_diags_print(d, stderr);
		pf_err_set(err, rc, a->queries, 0, "%s", rc == PF_ENOMEM ?
		    "out of memory" : "cannot take its dimensions");
	} else if (nmiss > 0)
		fprintf(stderr, "preflight: warning: %zu of %zu qrels topics "
		    "are not in %s: their dimensions are empty\n", nmiss,
		    g->nq, a->queries);
	free(d);
	return rc;
}

/* -o's files and --junit are none of the inputs, nor each other. */
static int
check_outputs(const compare_args *a)
{
	pf_diags *d = calloc(1, sizeof(*d));
	int rc;

	if (d == NULL)
		return PF_ENOMEM;
	pf_outputs_cfg oc = {.dir = a->outdir, .results = "results.json",
	    .report = "report.html", .junit = "junit.xml",
	    .junit_path = a->junit, .in_role = a->in_role,
	    .in_path = a->in_path, .nin = a->nin};
	const char *extra[1] = {a->per_query}, *what[1] = {"--per-query"};
	if ((rc = pf_outputs_check(&oc, NULL, 0, extra, what, a->per_query ?
	    1 : 0, d)) != PF_OK)
		pf_diags_print(d, stderr);
	free(d);
	return rc;
}

/* The comparison, the gates, the decision, the terminal and (with -o or
   --junit) the files: the exit code. */
static int
decide_and_write(const compare_args *a, const pf_measured *m, double secs,
    int *writing, pf_err *err)
{
	pf_compare_opts co = {.seed = (uint64_t)a->seed,
	    .n_boot = (size_t)a->nboot, .n_perm = (size_t)a->nperm,
	    .alpha = 0.05, .tie_tol = 1e-9, .min_segment = 10,
	    .progress = pf_opts_progress(0)};
	pf_verdict_rule rule = {0.0, 0.05, NULL};
	pf_comparison *c = NULL;
	pf_decision *d = NULL;
	pf_scn_gate *fg = NULL, *cg = NULL;
	size_t nfg = 0;
	pf_gate_list gl = {0};
	pf_atomic_file pq = {0};
	int rc = 2;

	if (load_gates(a, m, &fg, &nfg, &cg, err) != PF_OK ||
	    pf_compare_run(&c, m, &co, err) != PF_OK)
		goto done;
	pf_gate_defs fd = {fg, nfg, a->gates_file, co.alpha, 0, NULL, NULL};
	pf_gate_defs cd = {cg, a->ngates, "--gate", co.alpha, 0, NULL, NULL};
	const pf_gate_list *lists[] = {&gl};
	if (pf_gates_eval(&gl, &fd, m, c, NULL, err) != PF_OK ||
	    pf_gates_eval(&gl, &cd, m, c, NULL, err) != PF_OK ||
	    pf_decide(&d, m, c, lists, 1, NULL, &rule, err) != PF_OK)
		goto done;
	pf_outcome o = {.m = m, .cmp = c, .decision = d};
	pf_outputs_print_table(m);
	pf_outputs_print_verdict(&o);
	pf_outputs_cfg oc = {.name = "compare", .golden = a->files[0],
	    .seed = (uint64_t)a->seed, .dir = a->outdir,
	    .results = "results.json", .report = "report.html",
	    .junit = "junit.xml", .junit_path = a->junit,
	    .command = a->cmdline, .seconds = secs, .in_role = a->in_role,
	    .in_path = a->in_path, .nin = a->nin};
	*writing = 1;
	if (a->per_query != NULL) {	/* replaced with the others, or not */
		if (pf_outputs_per_query(m, &pq, a->per_query, err) != PF_OK)
			goto done;
		oc.extra = &pq;
		oc.nextra = 1;
	}
	if (a->outdir != NULL) {
		if (pf_outputs_write(&oc, &o, err) != PF_OK)
			goto done;
		fprintf(stderr, "preflight: wrote %s/{results.json,report.html}"
		    " and %s\n", a->outdir, a->junit ? a->junit : "junit.xml");
	} else if (a->junit != NULL || a->per_query != NULL) {
		if (pf_outputs_write_junit(&oc, &o, err) != PF_OK)
			goto done;
		fprintf(stderr, "preflight: wrote %s%s%s\n", a->junit ?
		    a->junit : "", a->junit && a->per_query ? " and " : "",
		    a->per_query ? a->per_query : "");
	}
	rc = pf_decision_exit(d);
done:
	pf_atomic_abort(&pq);	/* zeroed when taken */
	pf_gates_free(fg, nfg);
	pf_gates_free(cg, a->ngates);
	pf_gate_list_clear(&gl);
	pf_comparison_free(c);
	pf_decision_free(d);
	return rc;
}

/* A compare that cannot decide leaves an error suite where its
   junit.xml would go (--junit, or -o's folder), never an older one. */
static void
junit_error(const compare_args *a, const pf_err *err, int failed)
{
	pf_diags *d = calloc(1, sizeof(*d));
	char *path = a->junit ? strdup(a->junit) : a->outdir ?
	    pf_path_join(a->outdir, "junit.xml") : NULL;
	pf_err e2 = {0};

	if (d != NULL && path != NULL && (a->junit != NULL ||
	    pf_mkdirs(a->outdir, &e2) == PF_OK)) {
		pf_diags_add(d, err->where[0] ? err->where : NULL, 0, "%s",
		    err->msg);
		pf_outputs_junit_error(path, "compare", d, failed);
	}
	free(path);
	free(d);
}

int
pf_cli_compare(int argc, char **argv)
{
	compare_args a = {.seed = 1, .nboot = 10000, .nperm = 10000};
	pf_measured m = {0};
	pf_golden *g = NULL;
	pf_qrels *q = NULL;
	pf_te_spec *spec = NULL;
	pf_err err = {0};
	char primary[160], *ids[MAXFILES] = {0};
	struct timespec t0, t1;
	int rc = 2, pa, measured = 0, writing = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pa = parse_args(&a, argc, argv)) != 0)
		return pa > 0 ? 0 : 2;
	if (check_outputs(&a) != PF_OK)
		return 2;	/* no junit: it may be what collides */
	if (pf_qrels_load(&q, a.files[0], PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err) != PF_OK || pf_golden_from_qrels(&g, q, &err) != PF_OK ||
	    (a.queries != NULL && dims(&a, g, &err) != PF_OK) ||
	    metrics(&a, &spec, primary, sizeof(primary), &err) != PF_OK)
		goto done;
	if (pf_measured_init(&m, g, spec, a.nfiles - 1, &err) != PF_OK)
		goto done;
	spec = NULL;	/* m owns it */
	m.primary = pf_te_value_index(m.spec, primary);
	m.primary_name = primary;
	if (measure(&m, &a, ids, &err) != PF_OK)
		goto done;
	measured = 1;	/* what fails from here is the run, not its input */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rc = decide_and_write(&a, &m, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9, &writing, &err);
done:
	if (err.code != PF_OK) {
		pf_err_print(&err, stderr);
		if (rc == 2 && !writing)	/* writing: all left as it was */
			junit_error(&a, &err, measured && err.code != PF_EFORMAT &&
			    err.code != PF_EINVAL);
	}
	pf_measured_clear(&m);
	pf_te_spec_free(spec);
	pf_golden_free(g);
	for (size_t k = 0; k < MAXFILES; k++)
		free(ids[k]);
	return rc;
}

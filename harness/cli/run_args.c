/*
 * harness/cli/run_args.c — `preflight run`'s command line: the options
 * table (its --help), the checks between options, and what --shard,
 * merge and MPI ranks cannot do (dist.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/dist.h"
#include "harness/cli/run_internal.h"
#include "harness/cli/run_mem.h"

enum {
	O_CHECK = PF_OPT_LONG, O_OUT, O_JUNIT, O_EXPORT, O_EXPORT_STACK,
	O_STRICT, O_HISTORY, O_LABEL, O_PER_QUERY, O_CACHE, O_CACHE_MAX,
	O_SHARD, O_MEM
};

static const pf_opt run_opts[] = {
	{O_CHECK, "check", NULL, "validate the scenario and every file it "
	    "names, then stop"},
	{'o', "out", "DIR", "the outputs folder instead of <outputs dir>"},
	{O_CACHE, "cache", "DIR", "keep the parsed candidate files here "
	    "and map them\nback on the next run (README \"--cache\")"},
	{O_CACHE_MAX, "cache-max", "BYTES", "keep the --cache folder under "
	    "BYTES (K, M, G suffixes;\ndefault 20G): its least recently "
	    "used entries are removed"},
	{O_SHARD, "shard", "I/N", "replay only shard I of N (0 <= I < N: "
	    "contiguous\nquery ranges) and write DIR/part.pfp for "
	    "`preflight\nmerge` (README \"Running on a cluster\")"},
	{O_MEM, "mem", "BYTES", "when the candidate files would hold more, "
	    "replay in\nquery blocks, each reading only its rows (K, M, G;\n"
	    "default: 70% of physical memory; README \"--mem\")"},
	{O_JUNIT, "junit", "PATH", "junit.xml goes here, whether the run "
	    "passes, fails\nor stops on bad input"},
	{O_PER_QUERY, "per-query", "FILE.tsv", "also write one row per "
	    "(stack, query, metric)\nwith the query's dimensions (README "
	    "\"--per-query\")"},
	{O_EXPORT, "export-features", "FILE.svm", "also write the features "
	    "of a stack's final\ncandidates in SVMlight format"},
	{O_EXPORT_STACK, "export-stack", "ID", "the stack --export-features "
	    "writes (default:\nthe control)"},
	{'q', "quiet", NULL, "no tables, no progress: only the verdict line "
	    "and each\nfailed gate's line"},
	{O_STRICT, "strict", NULL, "what is only warned about (rules naming "
	    "unknown\nqueries or documents) is an error"},
	{O_HISTORY, "history", "DB", "append the run to a history database "
	    "(a SQLite\nfile or a postgresql:// URI) once its outputs are "
	    "written"},
	{O_LABEL, "label", "KEY=VALUE", "a label stored with the run "
	    "(repeatable;\ncommit=..., model=...)"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_run_doc = {"run", "[OPTIONS] SCENARIO.xml",
	"  Replays the scenario's golden set through its stacks and writes\n"
	"  results.json, report.html, junit.xml and one TREC run per stack.\n"
	"  Progress of the long phases goes to stderr when it is a "
	"terminal.\n",
	run_opts, NULL};

/* With --shard, merge or MPI ranks: what cannot be done (dist.h). 0,
   or -1 after the usage error (printed). */
static int
check_dist(const run_args *a)
{
	const char *what = pf_dist_refused(a->dist, a->history, a->export,
	    a->nlabel, a->per_query);

	if (what == NULL)
		return 0;
	if (strcmp(what, "--export-features") == 0)
		pf_opts_fail(&pf_cli_run_doc, "%s is not available with "
		    "--shard or merge (a part does not hold the feature rows): "
		    "run it in one process or under mpirun", what);
	else
		pf_opts_fail(&pf_cli_run_doc, "%s is not available with "
		    "--shard, merge or MPI ranks: run it in one process", what);
	return -1;
}

/* 0 to go on, 1 after --help, -1 on a usage error (printed). */
int
pf_run__parse_args(run_args *a, int argc, char **argv)
{
	pf_opts p;
	int c;

	pf_opts_cmdline(a->cmdline, sizeof(a->cmdline), argc, argv);
	pf_opts_init(&p, &pf_cli_run_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		switch (c) {
		case O_CHECK:
			a->check = 1;
			break;
		case O_JUNIT:
			a->junit = p.val;
			break;
		case 'o':
			a->out = p.val;
			break;
		case O_SHARD:
			if (pf_dist_parse_shard(a->dist, p.val) != 0) {
				pf_opts_fail(&pf_cli_run_doc, "--shard '%s': "
				    "expected I/N with 0 <= I < N, e.g. 0/4",
				    p.val);
				return -1;
			}
			break;
		case O_EXPORT:
			a->export = p.val;
			break;
		case O_EXPORT_STACK:
			a->export_stack = p.val;
			break;
		case O_PER_QUERY:
			a->per_query = p.val;
			break;
		case O_HISTORY:
			a->history = p.val;
			break;
		case O_CACHE:
			a->cache = p.val;
			break;
		case O_CACHE_MAX:
			if (pf_run_mem_parse(p.val, &a->cache_max) != 0) {
				pf_opts_fail(&pf_cli_run_doc, "--cache-max "
				    "'%s': expected a number of bytes > 0, with "
				    "K, M or G for KiB, MiB, GiB (e.g. 50G)",
				    p.val);
				return -1;
			}
			break;
		case O_MEM:
			if (pf_run_mem_parse(p.val, &a->mem) != 0) {
				pf_opts_fail(&pf_cli_run_doc, "--mem '%s': "
				    "expected a number of bytes > 0, with K, M "
				    "or G for KiB, MiB, GiB (e.g. 8G)", p.val);
				return -1;
			}
			break;
		case O_LABEL:
			a->label[a->nlabel++] = p.val;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case O_STRICT:
			a->strict = 1;
			break;
		case PF_OPTS_EXIT0:
			return 1;
		default:
			return -1;
		}
	}
	if (p.npos == 0) {
		pf_opts_fail(&pf_cli_run_doc, "the scenario is missing");
		return -1;
	}
	if (p.npos > 1) {
		pf_opts_fail(&pf_cli_run_doc, "one scenario at most, got '%s'",
		    p.pos[1]);
		return -1;
	}
	a->path = p.pos[0];
	return check_dist(a);
}

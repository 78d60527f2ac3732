/*
 * harness/cli/diff.c — `preflight diff A B [-o DIR] [--seed N] [--top N]`:
 * what changed between two runs (harness/history/diff.h), each a
 * results.json or DB#RUN (a history: DB#3, DB#last, DB#last-pass). The
 * summary on stdout; with -o, diff.json and diff.html in DIR. Exit 0 when
 * the diff is made, 2 on bad input (a side that cannot be read, two runs
 * with nothing in common) or when an output cannot be written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/history/diff.h"
#include "harness/util/diags.h"

enum { O_SEED = PF_OPT_LONG, O_TOP };

static const pf_opt diff_opts[] = {
	{'o', "out", "DIR", "also write DIR/diff.json and DIR/diff.html"},
	{O_SEED, "seed", "N", "the statistics' seed (default: B's)"},
	{O_TOP, "top", "N", "queries shown per stack (default 10)"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_diff_doc = {"diff", "[OPTIONS] A B",
	"  What changed from run A to run B: inputs (sha256) and labels,\n"
	"  every stack's metrics paired on the common queries (95% CI, p),\n"
	"  the queries whose first relevant document moved most, the gates\n"
	"  and expectations that flipped, the features that drifted.\n"
	"  A, B  a results.json, or DB#RUN: a run of a history (a SQLite "
	"file\n        or a postgresql:// URI); RUN an id, last or "
	"last-pass\n", diff_opts, NULL};

typedef struct diff_args {
	const char	*a, *b, *dir;
	pf_diff_opts	 o;
	char		 cmdline[2048];
} diff_args;

/* A positive integer option; -1 with the message printed. */
static int
positive(const char *opt, const char *v, uint64_t *out)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = v[0] >= '0' && v[0] <= '9' ? strtoull(v, &end, 10) : 0;
	if (n == 0 || errno != 0 || *end != '\0') {
		return pf_opts_fail(&pf_cli_diff_doc, "%s needs a positive "
		    "integer, got '%s'", opt, v);
	}
	*out = n;
	return 0;
}

/* 0 to go on, 1 after --help, -1 on a usage error (printed). */
static int
parse_args(diff_args *a, int argc, char **argv)
{
	uint64_t top = 0;
	pf_opts p;
	int c;

	pf_opts_cmdline(a->cmdline, sizeof(a->cmdline), argc, argv);
	a->o.command = a->cmdline;
	pf_opts_init(&p, &pf_cli_diff_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		if (c == 'o')
			a->dir = p.val;
		else if (c == O_SEED) {
			if (positive("--seed", p.val, &a->o.seed) != 0)
				return -1;
			a->o.has_seed = 1;
		} else if (c == O_TOP) {
			if (positive("--top", p.val, &top) != 0)
				return -1;
			a->o.top = top;
		} else
			return c == PF_OPTS_EXIT0 ? 1 : -1;
	}
	if (p.npos != 2) {
		pf_opts_fail(&pf_cli_diff_doc, "expected two runs A and B, got "
		    "%d", p.npos);
		return -1;
	}
	a->a = p.pos[0];
	a->b = p.pos[1];
	return 0;
}

int
pf_cli_diff(int argc, char **argv)
{
	diff_args a = {0};
	pf_diff *d = NULL;
	pf_err err = {0};
	int pa, rc = 2;

	if ((pa = parse_args(&a, argc, argv)) != 0)
		return pa > 0 ? 0 : 2;
	a.o.progress = pf_opts_progress(0);
	if (pf_diff_run(&d, a.a, a.b, &a.o, &err) != PF_OK)
		goto done;
	if (a.dir != NULL && pf_diff_write(pf_diff_report_of(d), a.dir,
	    &err) != PF_OK)
		goto done;
	pf_diff_print(pf_diff_report_of(d), stdout);
	if (a.dir != NULL)
		fprintf(stderr, "preflight: wrote %s/{diff.json,diff.html}\n",
		    a.dir);
	rc = 0;
done:
	if (rc != 0)
		pf_err_print(&err, stderr);
	pf_diff_free(d);
	return rc;
}

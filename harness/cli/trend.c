/*
 * harness/cli/trend.c — `preflight trend DB -o DIR`: a scenario's nights
 * from a history (never created here) into DIR/trend.html and
 * DIR/summary.md, both written or neither (pf_atomic_commit_all); the
 * summary is printed on stdout too, for a nightly job to forward. What
 * the page and the summary hold: harness/history/trend.h, README
 * "preflight trend". Exit 0 when both are written, 2 otherwise (a bad
 * option, a missing or foreign database, no run to trend, an output that
 * cannot be written).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/cli/cli.h"
#include "harness/history/trend.h"
#include "harness/util/diags.h"
#include "harness/util/fileio.h"
#include "harness/util/grow.h"

#define MAXLINKS	16

enum {
	O_SCENARIO = PF_OPT_LONG, O_SINCE, O_MIN_EFFECT, O_ALPHA,
	O_RESAMPLES, O_SEED, O_NOTE, O_LINK
};

static const pf_opt trend_opts[] = {
	{'o', "out", "DIR", "where trend.html and summary.md go (required)"},
	{O_SCENARIO, "scenario", "NAME", "the scenario (needed when the "
	    "history holds several)"},
	{O_SINCE, "since", "DATE", "only nights at or after DATE (YYYY-MM-DD "
	    "or\nYYYY-MM-DDTHH:MM:SSZ, UTC)"},
	{O_MIN_EFFECT, "min-effect", "X", "smallest |change| a change point "
	    "needs (0.01)"},
	{O_ALPHA, "alpha", "A", "BH level of the change points (0.05)"},
	{O_RESAMPLES, "resamples", "N", "bootstrap resamples and "
	    "permutations (2000)"},
	{O_SEED, "seed", "N", "random numbers' seed (1)"},
	{O_NOTE, "note", "TEXT", "a line shown first on the page and in the "
	    "summary"},
	{O_LINK, "link", "KEY=URL", "link label KEY's values, {} in URL is "
	    "the value\n(repeatable)"},
	{'q', "quiet", NULL, "do not print the summary"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_trend_doc = {"trend", "DB -o DIR [OPTIONS]",
	"  Writes DIR/trend.html and DIR/summary.md: each goal over the "
	"nights a\n  history (a SQLite file or a postgresql:// URI) holds, "
	"change points,\n  segments, and what changed on the last night. "
	"Prints the summary.\n", trend_opts, NULL};

typedef struct trend_args {
	const char	*db, *out;
	char		 since[21];
	int		 quiet;
	pf_trend_opts	 o;
	pf_trend_link	 links[MAXLINKS];
} trend_args;

static int
bad(const char *opt, const char *what, const char *v)
{
	return pf_opts_fail(&pf_cli_trend_doc, "%s: expected %s, got '%s'",
	    opt, what, v);
}

/* A number option into *out within [lo, hi]; -1 (printed) when not. */
static int
number(const char *opt, const char *v, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !(*out >= lo) ||
	    !(*out <= hi)) {
		char what[80];
		snprintf(what, sizeof(what), "a number in [%g, %g]", lo, hi);
		return bad(opt, what, v);
	}
	return 0;
}

static int
whole(const char *opt, const char *v, unsigned long long lo,
    unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || v[0] == '-' ||
	    *out < lo)
		return bad(opt, lo > 0 ? "a whole number of at least 100" :
		    "a whole number", v);
	return 0;
}

/* One option c with its value v; 0, or -1 (printed). */
static int
option(trend_args *a, int c, const char *v)
{
	unsigned long long u;
	pf_err err = {0};

	switch (c) {
	case O_SCENARIO:
		a->o.scenario = v;
		return 0;
	case 'o':
		a->out = v;
		return 0;
	case O_NOTE:
		a->o.note = v;
		return 0;
	case O_SINCE:
		if (pf_trend_parse_since(v, a->since, &err) != PF_OK) {
			pf_opts_fail(&pf_cli_trend_doc, "--since: %s", err.msg);
			return -1;
		}
		a->o.since = a->since;
		return 0;
	case O_MIN_EFFECT:
		return number("--min-effect", v, 0, INFINITY, &a->o.min_effect);
	case O_ALPHA:
		return number("--alpha", v, 1e-9, 0.5, &a->o.alpha);
	case O_RESAMPLES:
		if (whole("--resamples", v, 100, &u) != 0 || u > 10000000)
			return u > 10000000 ? bad("--resamples",
			    "at most 10000000", v) : -1;
		a->o.resamples = (size_t)u;
		return 0;
	case O_SEED:
		if (whole("--seed", v, 0, &u) != 0)
			return -1;
		a->o.seed = u;
		return 0;
	case O_LINK: {
		const char *eq = strchr(v, '=');
		if (eq == NULL || eq == v || a->o.nlinks == MAXLINKS)
			return bad("--link", "KEY=URL (at most 16)", v);
		a->links[a->o.nlinks].key = strndup(v, (size_t)(eq - v));
		a->links[a->o.nlinks++].url = eq + 1;
		return 0;
	}
	case 'q':
		a->quiet = 1;
		return 0;
	default:
		return -1;
	}
}

/* 0 to go on, 1 after --help, -1 on a usage error (printed). */
static int
parse_args(trend_args *a, int argc, char **argv)
{
	pf_opts p;
	int c;

	pf_opts_init(&p, &pf_cli_trend_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		if (c == PF_OPTS_EXIT0)
			return 1;
		if (option(a, c, p.val) != 0)
			return -1;
	}
	if (p.npos != 1 || a->out == NULL) {
		pf_opts_fail(&pf_cli_trend_doc, "%s", p.npos == 0 ? "the "
		    "history DB is missing" : p.npos > 1 ? "one history DB at "
		    "most" : "-o DIR is missing");
		return -1;
	}
	a->db = p.pos[0];
	return 0;
}

/* trend.html and summary.md into dir, both or neither. */
static int
write_outputs(const char *dir, const pf_trend *t, pf_err *err)
{
	pf_atomic_file af[2] = {{0}};
	char *path[2] = {pf_path_join(dir, "trend.html"),
	    pf_path_join(dir, "summary.md")};
	int rc;

	if (path[0] == NULL || path[1] == NULL) {
		rc = pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if ((rc = pf_mkdirs(dir, err)) != PF_OK ||
	    (rc = pf_atomic_open(&af[0], path[0], err)) != PF_OK ||
	    (rc = pf_atomic_open(&af[1], path[1], err)) != PF_OK)
		goto done;
	if (pf_trend_write_html(t, af[0].f, err) != PF_OK) {
		rc = pf_err_set(err, PF_EIO, path[0], 0, "cannot write");
		goto done;
	}
	if (pf_trend_write_md(t, af[1].f, err) != PF_OK) {
		rc = pf_err_set(err, PF_EIO, path[1], 0, "cannot write");
		goto done;
	}
	rc = pf_atomic_commit_all(af, 2, err);
done:
	pf_atomic_abort(&af[0]);
	pf_atomic_abort(&af[1]);
	free(path[0]);
	free(path[1]);
	return rc;
}

int
pf_cli_trend(int argc, char **argv)
{
	trend_args a = {0};
	pf_history *h = NULL;
	pf_trend_doc *d = NULL;
	pf_err err = {0};
	char stamp[32];
	time_t now = time(NULL);
	int rc = 2, pa;

	pf_trend_opts_init(&a.o);
	a.o.links = a.links;
	if ((pa = parse_args(&a, argc, argv)) != 0) {
		rc = pa > 0 ? 0 : 2;
		goto done;
	}
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	a.o.generated = stamp;
	a.o.progress = pf_opts_progress(a.quiet);
	if (pf_history_open(&h, a.db, 0, &err) != PF_OK ||
	    pf_trend_build(&d, h, &a.o, &err) != PF_OK ||
	    write_outputs(a.out, &d->t, &err) != PF_OK)
		goto done;
	if (!a.quiet && pf_trend_write_md(&d->t, stdout, &err) != PF_OK)
		goto done;
	fprintf(stderr, "preflight: wrote %s/{trend.html,summary.md}: %zu "
	    "night%s of %s\n", a.out, d->t.nnights, d->t.nnights == 1 ? "" :
	    "s", d->t.scenario);
	rc = 0;
done:
	if (err.code != PF_OK)
		pf_err_print(&err, stderr);
	for (size_t i = 0; i < a.o.nlinks; i++)
		free((char *)a.links[i].key);
	pf_trend_doc_free(d);
	pf_history_close(h);
	return rc;
}

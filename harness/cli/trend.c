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

static void
trend_usage(FILE *f)
{
	fputs("usage: preflight trend DB -o DIR [--scenario NAME] [--since "
	    "DATE]\n"
	    "                       [--min-effect X] [--alpha A] [--resamples N] "
	    "[--seed N]\n"
	    "                       [--note TEXT] [--link KEY=URL]... "
	    "[--quiet]\n"
	    "  Writes DIR/trend.html and DIR/summary.md: each goal over the "
	    "nights a\n"
	    "  history (a SQLite file or a postgresql:// URI) holds, change "
	    "points,\n"
	    "  segments, and what changed on the last night. Prints the "
	    "summary.\n"
	    "  --scenario NAME  the scenario (needed when the history holds "
	    "several)\n"
	    "  --since DATE     only nights at or after DATE (YYYY-MM-DD or\n"
	    "                   YYYY-MM-DDTHH:MM:SSZ, UTC)\n"
	    "  --min-effect X   smallest |change| a change point needs "
	    "(0.01)\n"
	    "  --alpha A        BH level of the change points (0.05)\n"
	    "  --resamples N    bootstrap resamples and permutations (2000)\n"
	    "  --seed N         random numbers' seed (1)\n"
	    "  --note TEXT      a line shown first on the page and in the "
	    "summary\n"
	    "  --link KEY=URL   link label KEY's values, {} in URL is the "
	    "value\n"
	    "  --quiet          do not print the summary\n", f);
}

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
	fprintf(stderr, "preflight trend: %s: expected %s, got '%s'\n", opt,
	    what, v);
	return -1;
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

/* One option with its value v; 0, or -1 (printed). */
static int
option(trend_args *a, const char *o, const char *v)
{
	unsigned long long u;
	pf_err err = {0};

	if (!strcmp(o, "--scenario"))
		a->o.scenario = v;
	else if (!strcmp(o, "-o") || !strcmp(o, "--out"))
		a->out = v;
	else if (!strcmp(o, "--note"))
		a->o.note = v;
	else if (!strcmp(o, "--since")) {
		if (pf_trend_parse_since(v, a->since, &err) != PF_OK) {
			pf_err_print(&err, stderr);
			return -1;
		}
		a->o.since = a->since;
	} else if (!strcmp(o, "--min-effect"))
		return number(o, v, 0, INFINITY, &a->o.min_effect);
	else if (!strcmp(o, "--alpha"))
		return number(o, v, 1e-9, 0.5, &a->o.alpha);
	else if (!strcmp(o, "--resamples")) {
		if (whole(o, v, 100, &u) != 0 || u > 10000000)
			return u > 10000000 ? bad(o, "at most 10000000", v) : -1;
		a->o.resamples = (size_t)u;
	} else if (!strcmp(o, "--seed")) {
		if (whole(o, v, 0, &u) != 0)
			return -1;
		a->o.seed = u;
	} else if (!strcmp(o, "--link")) {
		const char *eq = strchr(v, '=');
		if (eq == NULL || eq == v || a->o.nlinks == MAXLINKS)
			return bad(o, "KEY=URL (at most 16)", v);
		a->links[a->o.nlinks].key = strndup(v, (size_t)(eq - v));
		a->links[a->o.nlinks++].url = eq + 1;
	} else
		return 1;	/* not an option with a value */
	return 0;
}

/* 0 to go on, 1 after --help, -1 on a usage error (printed). */
static int
parse_args(trend_args *a, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int r = v != NULL && o[0] == '-' ? option(a, o, v) : 1;
		if (r < 0)
			return -1;
		if (r == 0) {
			i++;
			continue;
		}
		if (!strcmp(o, "--quiet") || !strcmp(o, "-q"))
			a->quiet = 1;
		else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			trend_usage(stdout);
			return 1;
		} else if ((o[0] == '-' && o[1] != '\0') || a->db != NULL) {
			fprintf(stderr, "preflight trend: unexpected '%s'%s\n", o,
			    o[0] == '-' && v == NULL ? " (a value is missing)" :
			    "");
			trend_usage(stderr);
			return -1;
		} else
			a->db = o;
	}
	if (a->db == NULL || a->out == NULL) {
		fprintf(stderr, "preflight trend: %s\n", a->db == NULL ?
		    "the history DB is missing" : "-o DIR is missing");
		trend_usage(stderr);
		return -1;
	}
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

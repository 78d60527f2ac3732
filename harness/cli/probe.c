/*
 * harness/cli/probe.c — `preflight probe MODEL [options]`: the model unit
 * tester (harness/check/probe.h). Exit 0 clean, 1 a problem (non-finite score,
 * monotone violation, a feature never split on that changes the score;
 * dead features with --strict), 2 bad input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/util/fileio.h"
#include "harness/util/diags.h"
#include "harness/check/probe.h"
#include "harness/util/scan.h"
#include "harness/load/scenario.h"

#define PROBE_MAXMONO	256

enum {
	O_FEATURES = PF_OPT_LONG, O_QUERY_FILE, O_FIRST, O_ROWS, O_SEED,
	O_GRID, O_MONO, O_PARAMS, O_JSON, O_STRICT, O_SCENARIO, O_NAMES
};

static const pf_opt probe_opts[] = {
	{O_FEATURES, "features", "FILE.svm", "reference rows and observed "
	    "ranges (default:\nsynthesised from the model's split "
	    "thresholds)"},
	{O_QUERY_FILE, "query-file", "F", "the LightGBM .query file of "
	    "--features"},
	{O_FIRST, "first-feature", "N", "file feature id of model feature "
	    "f0 (default 0);\nfeatures are shown by file id: fN, or name (N)"},
	{O_NAMES, "names", "FILE", "feature names: id<TAB>name lines (README "
	    "\"Formats\")"},
	{O_ROWS, "rows", "N", "reference rows: a seeded sample (default 256; "
	    "0 = all)"},
	{O_SEED, "seed", "N", "the sample's seed (default 1)"},
	{O_GRID, "grid", "N", "even points of a monotone sweep, thresholds "
	    "added\n(default 33)"},
	{O_MONO, "monotone", "F:+1|-1", "feature fN (file id N, or a name) "
	    "must not\ndecrease / increase the score (repeatable)"},
	{O_SCENARIO, "scenario", "S.xml", "also check its <probe><monotone "
	    "feature=\ndirection=/>"},
	{O_PARAMS, "params", "K=V;K=V", "a plugin's parameters"},
	{O_JSON, "json", "FILE", "also write the report as JSON"},
	{O_STRICT, "strict", NULL, "dead features are a problem, not a "
	    "warning"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_probe_doc = {"probe", "[OPTIONS] MODEL",
	"  MODEL is an XGBoost JSON or LightGBM text model, or a plugin "
	"shared object\n  (which needs --features). Each feature of each "
	"reference row is set to its\n  min, max, median, -FLT_MAX, -1e30, "
	"0, +1e30, +FLT_MAX and missing in turn;\n  reports non-finite "
	"scores, dead features and monotone violations.\n", probe_opts,
	"exit: 0 clean, 1 a problem found, 2 bad input\n"};

/*
 * "f2:+1", "2:-1", "f2:increasing", "bm25_title:+1": a feature (a file
 * feature id, or a name the names file or the model knows) and a
 * direction. A name is copied into name (sz bytes), which out borrows.
 */
static int
parse_mono(const char *s, pf_probe_mono *out, char *name, size_t sz)
{
	const char *c = strrchr(s, ':'), *p = s;
	long j;

	if (c == NULL || c == s)
		return -1;
	if (*p == 'f')
		p++;
	out->name = NULL;
	out->id = 0;
	if (pf_parse_long(p, (size_t)(c - p), 0, INT32_MAX, &j) == 0)
		out->id = j;
	else if ((size_t)(c - s) < sz) {
		memcpy(name, s, (size_t)(c - s));
		name[c - s] = '\0';
		out->name = name;
	} else
		return -1;
	c++;
	if (!strcmp(c, "+1") || !strcmp(c, "1") || !strcmp(c, "increasing"))
		out->dir = 1;
	else if (!strcmp(c, "-1") || !strcmp(c, "decreasing"))
		out->dir = -1;
	else
		return -1;
	out->origin = "--monotone";
	return 0;
}

/*
 * Appends the scenario's <probe><monotone> expectations to mono (origin
 * "path:line" in origins[]). Returns 0, or -1 after printing the problems.
 */
static int
scenario_mono(const char *path, pf_probe_mono *mono, size_t *n,
    char (*origins)[320])
{
	pf_diags *d = calloc(1, sizeof(*d));
	pf_scenario *s = NULL;
	int rc = -1;

	if (d == NULL) {
		fputs("preflight: out of memory\n", stderr);
		return -1;
	}
	if (pf_scenario_load(&s, path, d) != PF_OK) {
		pf_diags_print(d, stderr);
		goto done;
	}
	for (size_t i = 0; i < s->nmono; i++) {
		if (*n == PROBE_MAXMONO) {
			fprintf(stderr, "preflight: %s: more than %d monotone "
			    "expectations\n", path, PROBE_MAXMONO);
			goto done;
		}
		snprintf(origins[*n], 320, "%s:%ld", path, s->mono[i].line);
		mono[*n].id = (long)s->mono[i].feat;
		mono[*n].name = NULL;
		mono[*n].dir = s->mono[i].dir;
		mono[*n].origin = origins[*n];
		(*n)++;
	}
	rc = 0;
done:
	pf_scenario_free(s);
	free(d);
	return rc;
}

int
pf_cli_probe(int argc, char **argv)
{
	pf_probe_opts o;
	pf_probe_mono mono[PROBE_MAXMONO];
	char mname[PROBE_MAXMONO][256];
	const char *model = NULL, *json = NULL, *scenario = NULL;
	char (*origins)[320] = NULL;
	long rows = 256, seed = 1, grid = 33, first = 0;
	int strict = 0, rc = 2, c;
	pf_opts p;
	pf_probe_report *r = NULL;
	pf_err err = {0};

	memset(&o, 0, sizeof(o));
	pf_opts_init(&p, &pf_cli_probe_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		long *lv = c == O_ROWS ? &rows : c == O_SEED ? &seed : c ==
		    O_GRID ? &grid : c == O_FIRST ? &first : NULL;
		if (lv != NULL) {
			const char *nm = c == O_ROWS ? "--rows" : c == O_SEED ?
			    "--seed" : c == O_GRID ? "--grid" :
			    "--first-feature";
			if (pf_opts_long(&p, nm, c == O_GRID ? 2 : 0, INT32_MAX,
			    c == O_GRID ? "an integer >= 2" : "an integer >= 0",
			    lv) != 0)
				return 2;
			continue;
		}
		switch (c) {
		case O_FEATURES:
			o.features = p.val;
			break;
		case O_QUERY_FILE:
			o.query_file = p.val;
			break;
		case O_NAMES:
			o.names = p.val;
			break;
		case O_PARAMS:
			o.params = p.val;
			break;
		case O_SCENARIO:
			scenario = p.val;
			break;
		case O_JSON:
			json = p.val;
			break;
		case O_MONO:
			if (o.nmono == PROBE_MAXMONO ||
			    parse_mono(p.val, &mono[o.nmono], mname[o.nmono],
			    sizeof(mname[0])) != 0) {
				pf_opts_fail(&pf_cli_probe_doc, "--monotone: "
				    "expected FEATURE:+1 or FEATURE:-1 (e.g. "
				    "f2:+1), got '%s'", p.val);
				return 2;
			}
			o.nmono++;
			break;
		case O_STRICT:
			strict = 1;
			break;
		default:
			return c == PF_OPTS_EXIT0 ? 0 : 2;
		}
	}
	if (p.npos != 1) {
		pf_opts_fail(&pf_cli_probe_doc, p.npos == 0 ? "the model is "
		    "missing" : "one model at most");
		return 2;
	}
	model = p.pos[0];
	o.first = first;
	o.nrows = (size_t)rows;
	o.seed = (uint64_t)seed;
	o.grid = (size_t)grid;
	o.mono = mono;
	if (scenario != NULL) {
		if ((origins = calloc(PROBE_MAXMONO, sizeof(*origins))) ==
		    NULL || scenario_mono(scenario, mono, &o.nmono, origins) !=
		    0) {
			free(origins);
			return 2;
		}
	}

	const char *ins[] = {model, o.features, o.query_file, scenario,
	    o.names};
	for (size_t i = 0; json != NULL && i < 5; i++)
		if (ins[i] != NULL && pf_same_file(json, ins[i])) {
			fprintf(stderr, "preflight: %s: --json would overwrite an "
			    "input (%s): refused\n", json, ins[i]);
			free(origins);
			return 2;
		}
	if (pf_probe_run(&r, model, &o, &err) != PF_OK ||
	    (json != NULL && pf_probe_write_json(r, json, strict, &err) !=
	    PF_OK)) {
		pf_err_print(&err, stderr);
		pf_probe_free(r);
		free(origins);
		return 2;
	}
	pf_probe_print(stdout, r, strict);
	rc = pf_probe_failed(r, strict);
	pf_probe_free(r);
	free(origins);
	return rc;
}

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

static void
probe_usage(FILE *f)
{
	fputs("usage: preflight probe [--features FILE.svm] [--query-file F] "
	    "[--first-feature N]\n"
	    "                       [--names FILE] [--rows N] [--seed N] "
	    "[--grid N] [--monotone F:+1|-1]...\n"
	    "                       [--params K=V;K=V] [--json FILE] "
	    "[--strict] MODEL\n"
	    "  MODEL is an XGBoost JSON or LightGBM text model, or a plugin "
	    "shared object\n"
	    "  (which needs --features). Each feature of each reference row "
	    "is set to its\n"
	    "  min, max, median, -FLT_MAX, -1e30, 0, +1e30, +FLT_MAX and "
	    "missing in turn;\n"
	    "  reports non-finite scores, dead features and monotone "
	    "violations.\n"
	    "  --features    reference rows and observed ranges (default: "
	    "synthesised\n"
	    "                from the model's split thresholds)\n"
	    "  --first-feature  file feature id of model feature f0 "
	    "(default 0);\n"
	    "                features are shown by file id: fN, or name (N)\n"
	    "  --names FILE  feature names: id<TAB>name lines (README "
	    "\"Formats\")\n"
	    "  --rows N      reference rows: a seeded sample (default 256; 0 "
	    "= all)\n"
	    "  --grid N      even points of a monotone sweep, thresholds "
	    "added (default 33)\n"
	    "  --monotone F:+1|-1  feature fN (file id N, or a name) must "
	    "not decrease /\n"
	    "                increase the score\n"
	    "  --scenario S.xml  also check its <probe><monotone "
	    "feature= direction=/>\n"
	    "  --strict      dead features are a problem, not a warning\n"
	    "exit: 0 clean, 1 a problem found, 2 bad input\n", f);
}

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
	int strict = 0, rc = 2;
	pf_probe_report *r = NULL;
	pf_err err = {0};

	memset(&o, 0, sizeof(o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		long *lv = !strcmp(a, "--rows") ? &rows : !strcmp(a, "--seed") ?
		    &seed : !strcmp(a, "--grid") ? &grid : !strcmp(a,
		    "--first-feature") ? &first : NULL;
		if (lv != NULL && i + 1 < argc) {
			const char *v = argv[++i];
			long min = lv == &grid ? 2 : 0;
			if (pf_parse_long(v, strlen(v), min, INT32_MAX, lv) !=
			    0) {
				fprintf(stderr, "preflight probe: %s needs an "
				    "integer >= %ld, got '%s'\n", a, min, v);
				goto usage;
			}
		} else if (!strcmp(a, "--features") && i + 1 < argc) {
			o.features = argv[++i];
		} else if (!strcmp(a, "--names") && i + 1 < argc) {
			o.names = argv[++i];
		} else if (!strcmp(a, "--query-file") && i + 1 < argc) {
			o.query_file = argv[++i];
		} else if (!strcmp(a, "--params") && i + 1 < argc) {
			o.params = argv[++i];
		} else if (!strcmp(a, "--scenario") && i + 1 < argc) {
			scenario = argv[++i];
		} else if (!strcmp(a, "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (!strcmp(a, "--monotone") && i + 1 < argc) {
			if (o.nmono == PROBE_MAXMONO ||
			    parse_mono(argv[++i], &mono[o.nmono],
			    mname[o.nmono], sizeof(mname[0])) != 0) {
				fprintf(stderr, "preflight probe: --monotone: "
				    "expected FEATURE:+1 or FEATURE:-1 (e.g. "
				    "f2:+1), got '%s'\n", argv[i]);
				goto usage;
			}
			o.nmono++;
		} else if (!strcmp(a, "--strict")) {
			strict = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			probe_usage(stdout);
			return 0;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "preflight probe: unknown option or "
			    "missing value: '%s'\n", a);
			goto usage;
		} else if (model == NULL) {
			model = a;
		} else {
			fprintf(stderr, "preflight probe: unexpected '%s'\n", a);
			goto usage;
		}
	}
	if (model == NULL)
		goto usage;
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
usage:
	probe_usage(stderr);
	return 2;
}

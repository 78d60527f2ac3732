/*
 * harness/cli/features_schema.c — `preflight features schema` (draft a
 * feature schema from candidate files) and `preflight features check`
 * (files against a schema; or one schema against the next). The work is in
 * harness/check/features.h and harness/load/featschema.h. Exit 0 clean, 1
 * a rule failed (a violation; a removed or retyped feature), 2 bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness/cli/cli.h"
#include "harness/check/features.h"
#include "harness/load/featnames.h"
#include "harness/load/scenario.h"
#include "harness/util/diags.h"
#include "harness/util/fileio.h"
#include "harness/util/jsonfile.h"

/* A usage error: its message and hint (opts.h), exit 2. */
#define USAGE(...)	(pf_opts_fail(__VA_ARGS__), 2)

enum { O_NAMES = PF_OPT_LONG, O_QFILE, O_OUTPUT, O_SCHEMA, O_AGAINST,
	O_SCENARIO, O_JSON };

static const pf_opt schema_opts[] = {
	{O_NAMES, "names", "FILE", "feature names (id<TAB>name a line) for "
	    "the name column\n(default f<id>)"},
	{O_QFILE, "query-file", "FILE", "LightGBM group sizes of the one "
	    "FILE (default FILE.query\nwhen it exists and FILE has no qid:)"},
	{O_OUTPUT, "output", "FILE", "write the schema there (atomically) "
	    "instead of stdout"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_features_schema_doc = {"features schema",
	"[OPTIONS] FILE...",
	"  Drafts a feature schema (features.schema.tsv) from candidate "
	"files: types\n  (int when every value is an integer, bool when 0/1, "
	"else float), observed\n  ranges, missing seen or not, query-level "
	"features (constant within every\n  query). Edit it into what the "
	"features are meant to be.\n", schema_opts, NULL};

static const pf_opt check_opts[] = {
	{O_SCHEMA, "schema", "FILE", "the feature schema (features.schema.tsv)"},
	{O_QFILE, "query-file", "FILE", "LightGBM group sizes of the one "
	    "FILE (default FILE.query\nwhen it exists and FILE has no qid:)"},
	{O_AGAINST, "against", "NEW", "compare the schema with a newer one "
	    "instead: added,\nremoved, retyped, re-ranged features"},
	{O_SCENARIO, "scenario", "FILE", "with --against: which models of "
	    "this scenario split\non a removed or retyped feature"},
	{O_JSON, "json", "FILE", "also write the result as JSON"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_features_check_doc = {"features check",
	"--schema S [OPTIONS] FILE... | --schema OLD --against NEW "
	"[--scenario X]",
	"  Checks candidate files against a feature schema: values out of "
	"range,\n  wrong types, missing values where not allowed, "
	"query-level features that\n  vary within a query, features "
	"undocumented or absent; each rule with a\n  count and its first "
	"path:line examples. With --against, what changed\n  between two "
	"schemas. Exit 0 clean, 1 a violation (a removed or retyped\n  "
	"feature), 2 unreadable.\n", check_opts, NULL};

/* Reads the n files into files[] (NULLs on error). 0, or 2. */
static int
read_files(pf_svm **files, const char **paths, int n, const char *qfile)
{
	pf_err err = {0};

	for (int i = 0; i < n; i++)
		if (pf_features_read(&files[i], paths[i], qfile, &err) !=
		    PF_OK) {
			pf_err_print(&err, stderr);
			return 2;
		}
	return 0;
}

static void
free_files(pf_svm **files, int n)
{
	for (int i = 0; i < n && files != NULL; i++)
		pf_svm_free(files[i]);
	free(files);
}

/* Whether out names one of the n inputs (an output must not). */
static int
onto_input(const char *out, const char *const *in, int n)
{
	for (int i = 0; i < n; i++)
		if (in[i] != NULL && pf_same_file(out, in[i])) {
			fprintf(stderr, "preflight: %s: the output would "
			    "overwrite a file it reads: refused\n", out);
			return 1;
		}
	return 0;
}

static int
write_draft(const pf_fschema *s, pf_svm **files, int n, const char *out)
{
	pf_atomic_file af = {0};
	pf_err err = {0};

	if (out == NULL) {
		pf_features_draft_write(s, files, (size_t)n, stdout);
		return fflush(stdout) == 0 ? 0 : 2;
	}
	if (pf_atomic_open(&af, out, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		return 2;
	}
	pf_features_draft_write(s, files, (size_t)n, af.f);
	if (pf_atomic_commit(&af, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		pf_atomic_abort(&af);
		return 2;
	}
	return 0;
}

int
pf_cli_features_schema(int argc, char **argv)
{
	const char *names = NULL, *qfile = NULL, *out = NULL;
	pf_fnames *nm = NULL;
	pf_fschema *s = NULL;
	pf_svm **files = NULL;
	pf_err err = {0};
	pf_opts p;
	int c, rc = 2;

	pf_opts_init(&p, &pf_cli_features_schema_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		if (c == O_NAMES)
			names = p.val;
		else if (c == O_QFILE)
			qfile = p.val;
		else if (c == O_OUTPUT)
			out = p.val;
		else
			return c == PF_OPTS_EXIT0 ? 0 : 2;
	}
	if (p.npos == 0)
		return USAGE(&pf_cli_features_schema_doc, "a candidate "
		    "file is missing");
	if (qfile != NULL && p.npos != 1)
		return USAGE(&pf_cli_features_schema_doc, "--query-file "
		    "goes with one FILE, got %d", p.npos);
	if (out != NULL && (onto_input(out, p.pos, p.npos) ||
	    onto_input(out, (const char *[]){names, qfile}, 2)))
		return 2;
	if ((files = calloc((size_t)p.npos, sizeof(*files))) == NULL) {
		fputs("preflight: out of memory\n", stderr);
		return 2;
	}
	if (read_files(files, p.pos, p.npos, qfile) != 0)
		goto done;
	if (names != NULL && pf_featnames_load(&nm, names, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		goto done;
	}
	if (pf_features_draft(&s, files, (size_t)p.npos, nm, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		goto done;
	}
	rc = write_draft(s, files, p.npos, out);
done:
	pf_fschema_free(s);
	pf_fnames_free(nm);
	free_files(files, p.npos);
	return rc;
}

static int
write_json(json_t *doc, const char *path)
{
	pf_err err = {0};

	if (pf_json_write_file(doc, path, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		return 2;
	}
	return 0;
}

/* --schema OLD --against NEW [--scenario X]. */
static int
evolve(const char *old, const char *new, const char *scn, const char *json)
{
	pf_fschema *a = NULL, *b = NULL;
	pf_scenario *s = NULL;
	pf_fevolve *e = NULL;
	pf_err err = {0};
	int rc = 2;

	if (json != NULL && onto_input(json, (const char *[]){old, new, scn},
	    3))
		return 2;
	if (pf_fschema_load(&a, old, &err) != PF_OK ||
	    pf_fschema_load(&b, new, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		goto done;
	}
	if (scn != NULL) {
		pf_diags d = {0};
		if (pf_scenario_load(&s, scn, &d) != PF_OK) {
			pf_diags_print(&d, stderr);
			goto done;
		}
	}
	if (pf_features_evolve(&e, a, b, s, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		goto done;
	}
	pf_fevolve_print(e, stdout);
	rc = e->count[PF_FEV_REMOVED] + e->count[PF_FEV_RETYPED] > 0;
	if (json != NULL && write_json(pf_fevolve_json(e), json) != 0)
		rc = 2;
done:
	pf_fevolve_free(e);
	pf_scenario_free(s);
	pf_fschema_free(a);
	pf_fschema_free(b);
	return rc;
}

/* --schema S FILE... */
static int
conform(const char *schema, const char *qfile, const char *json,
    const char **paths, int n)
{
	pf_fschema *s = NULL;
	pf_fcheck *c = NULL;
	pf_svm **files = NULL;
	pf_err err = {0};
	int rc = 2;

	if (json != NULL && (onto_input(json, paths, n) || onto_input(json,
	    (const char *[]){schema, qfile}, 2)))
		return 2;
	if (pf_fschema_load(&s, schema, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		return 2;
	}
	if ((files = calloc((size_t)n, sizeof(*files))) == NULL) {
		fputs("preflight: out of memory\n", stderr);
		goto done;
	}
	if (read_files(files, paths, n, qfile) != 0)
		goto done;
	if (pf_features_check(&c, s, files, (size_t)n, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		goto done;
	}
	pf_fcheck_print(c, stdout, 0);
	rc = pf_fcheck_failed(c) > 0;
	if (json != NULL && write_json(pf_fcheck_json(c), json) != 0)
		rc = 2;
done:
	pf_fcheck_free(c);
	free_files(files, n);
	pf_fschema_free(s);
	return rc;
}

int
pf_cli_features_check(int argc, char **argv)
{
	const pf_cmd_doc *doc = &pf_cli_features_check_doc;
	const char *schema = NULL, *qfile = NULL, *against = NULL,
	    *scn = NULL, *json = NULL;
	pf_opts p;
	int c;

	pf_opts_init(&p, doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		if (c == O_SCHEMA)
			schema = p.val;
		else if (c == O_QFILE)
			qfile = p.val;
		else if (c == O_AGAINST)
			against = p.val;
		else if (c == O_SCENARIO)
			scn = p.val;
		else if (c == O_JSON)
			json = p.val;
		else
			return c == PF_OPTS_EXIT0 ? 0 : 2;
	}
	if (schema == NULL)
		return USAGE(doc, "--schema is missing");
	if (against != NULL) {
		if (p.npos > 0 || qfile != NULL)
			return USAGE(doc, "--against compares two "
			    "schemas: no candidate file or --query-file");
		return evolve(schema, against, scn, json);
	}
	if (scn != NULL)
		return USAGE(doc, "--scenario goes with --against");
	if (p.npos == 0)
		return USAGE(doc, "a candidate file is missing");
	if (qfile != NULL && p.npos != 1)
		return USAGE(doc, "--query-file goes with one FILE, got "
		    "%d", p.npos);
	return conform(schema, qfile, json, p.pos, p.npos);
}

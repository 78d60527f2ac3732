/*
 * harness/cli/validate.c — `preflight validate [--json FILE]
 * [--max-no-relevant SHARE] [--min-alpha A] GOLDEN_DIR|SCENARIO`: checks a
 * golden set (harness/check/validate.h). Exit 0 every rule holds, 1 a rule
 * failed, 2 a file is unreadable or malformed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/util/diags.h"
#include "harness/util/scan.h"
#include "harness/check/validate.h"

enum { O_JSON = PF_OPT_LONG, O_MAX_NOREL, O_MIN_ALPHA };

static const pf_opt validate_opts[] = {
	{O_JSON, "json", "FILE", "also write the checks as JSON"},
	{O_MAX_NOREL, "max-no-relevant", "SHARE", "share of queries allowed "
	    "without a relevant\ndocument (default 0)"},
	{O_MIN_ALPHA, "min-alpha", "ALPHA", "smallest Krippendorff's ordinal "
	    "alpha (default\n0.667)"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_validate_doc = {"validate",
	"[OPTIONS] GOLDEN_DIR|SCENARIO",
	"  Checks a golden set's files, duplicates, unknown queries and "
	"documents,\n  queries without a relevant document (default: none "
	"allowed), annotator\n  agreement (Krippendorff's ordinal alpha >= "
	"0.667 by default) and\n  dimension coverage. Exit 0 all rules "
	"hold, 1 a rule failed, 2 unreadable.\n", validate_opts, NULL};

static int
share_arg(const char *opt, const char *v, double *out)
{
	double x;

	if (pf_parse_double_slow(v, strlen(v), &x) != 0 || !(x >= 0) ||
	    x > 1) {
		return pf_opts_fail(&pf_cli_validate_doc, "%s needs a number in "
		    "[0, 1], got '%s'", opt, v);
	}
	*out = x;
	return 0;
}

int
pf_cli_validate(int argc, char **argv)
{
	pf_validate_opts o = {.max_no_relevant = 0, .min_alpha = 0.667};
	const char *json = NULL, *target = NULL;
	pf_validation *v = NULL;
	pf_diags *d;
	pf_err err = {0};
	pf_opts p;
	int rc, c;

	pf_opts_init(&p, &pf_cli_validate_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		if (c == O_JSON)
			json = p.val;
		else if (c == O_MAX_NOREL || c == O_MIN_ALPHA) {
			if (share_arg(c == O_MAX_NOREL ? "--max-no-relevant" :
			    "--min-alpha", p.val, c == O_MAX_NOREL ?
			    &o.max_no_relevant : &o.min_alpha) != 0)
				return 2;
		} else
			return c == PF_OPTS_EXIT0 ? 0 : 2;
	}
	if (p.npos != 1) {
		pf_opts_fail(&pf_cli_validate_doc, p.npos == 0 ? "the golden "
		    "folder or scenario is missing" : "one golden folder or "
		    "scenario at most");
		return 2;
	}
	target = p.pos[0];
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		fputs("preflight: out of memory\n", stderr);
		return 2;
	}
	if (pf_validate(&v, target, &o, d) != PF_OK) {
		pf_diags_print(d, stderr);
		free(d);
		return 2;
	}
	free(d);
	pf_validation_print(v, stdout);
	rc = pf_validation_failed(v) > 0;
	if (json != NULL && pf_validation_reads(v, json)) {
		fprintf(stderr, "preflight: %s: --json would overwrite a file the "
		    "check read: refused\n", json);
		rc = 2;
	} else if (json != NULL && pf_validation_write_json(v, json, &err) !=
	    PF_OK) {
		pf_err_print(&err, stderr);
		rc = 2;
	}
	pf_validation_free(v);
	return rc;
}

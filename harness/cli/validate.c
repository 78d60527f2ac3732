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

static void
validate_usage(FILE *f)
{
	fputs("usage: preflight validate [--json FILE] [--max-no-relevant "
	    "SHARE]\n"
	    "                          [--min-alpha ALPHA] GOLDEN_DIR|SCENARIO\n"
	    "  Checks a golden set's files, duplicates, unknown queries and "
	    "documents,\n  queries without a relevant document (default: none "
	    "allowed), annotator\n  agreement (Krippendorff's ordinal alpha >= "
	    "0.667 by default) and\n  dimension coverage. Exit 0 all rules "
	    "hold, 1 a rule failed, 2 unreadable.\n", f);
}

static int
share_arg(const char *opt, const char *v, double *out)
{
	double x;

	if (pf_parse_double_slow(v, strlen(v), &x) != 0 || !(x >= 0) ||
	    x > 1) {
		fprintf(stderr, "preflight validate: %s needs a number in "
		    "[0, 1], got '%s'\n", opt, v);
		return -1;
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
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (!strcmp(a, "--max-no-relevant") && i + 1 < argc) {
			if (share_arg(a, argv[++i], &o.max_no_relevant) != 0)
				return 2;
		} else if (!strcmp(a, "--min-alpha") && i + 1 < argc) {
			if (share_arg(a, argv[++i], &o.min_alpha) != 0)
				return 2;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			validate_usage(stdout);
			return 0;
		} else if (a[0] == '-' || target != NULL) {
			validate_usage(stderr);
			return 2;
		} else {
			target = a;
		}
	}
	if (target == NULL) {
		validate_usage(stderr);
		return 2;
	}
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

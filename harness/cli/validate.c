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
#include "harness/util/fileio.h"
#include "harness/util/scan.h"
#include "harness/check/validate.h"
#include "harness/check/labeldrift.h"
#include "harness/util/jsonfile.h"

enum { O_JSON = PF_OPT_LONG, O_MAX_NOREL, O_MIN_ALPHA, O_AGAINST };

static const pf_opt validate_opts[] = {
	{O_JSON, "json", "FILE", "also write the checks as JSON"},
	{O_MAX_NOREL, "max-no-relevant", "SHARE", "share of queries allowed "
	    "without a relevant\ndocument (default 0)"},
	{O_MIN_ALPHA, "min-alpha", "ALPHA", "smallest Krippendorff's ordinal "
	    "alpha (default\n0.667)"},
	{O_AGAINST, "against", "REF", "label drift from an earlier version "
	    "REF (a golden folder\nor scenario): grade distribution and its "
	    "PSI, pairs\nrelabelled, queries added and removed"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_validate_doc = {"validate",
	"[OPTIONS] GOLDEN_DIR|SCENARIO [--against REF]",
	"  Checks a golden set's files, duplicates, unknown queries and "
	"documents,\n  queries without a relevant document (default: none "
	"allowed), annotator\n  agreement (Krippendorff's ordinal alpha >= "
	"0.667 by default),\n  dimension coverage and, with features.schema.tsv "
	"in the golden folder, its\n  candidate files' features. Exit 0 all rules "
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

/*
 * The label drift of v's judgments against those of the golden set ref
 * (loaded and validated on its own; its rules do not count). *out NULL
 * and 0 when v's judgments were not loaded; 2 when ref is unreadable.
 */
static int
drift_against(pf_ldrift **out, const pf_validation *v, const char *target,
    const char *ref, const pf_validate_opts *o)
{
	pf_validation *vr = NULL;
	pf_diags *d = calloc(1, sizeof(*d));
	pf_err err = {0};
	int rc = 2;

	*out = NULL;
	if (d == NULL) {
		fputs("preflight: out of memory\n", stderr);
		return 2;
	}
	if (pf_validate(&vr, ref, o, d) != PF_OK) {
		pf_diags_print(d, stderr);
		goto done;
	}
	if (pf_validation_qrels(v) == NULL || pf_validation_qrels(vr) ==
	    NULL) {
		fprintf(stderr, "preflight: label drift not computed: the "
		    "judgments of %s have duplicates\n",
		    pf_validation_qrels(v) == NULL ? target : ref);
		rc = 0;
		goto done;
	}
	if (pf_ldrift_compute(out, pf_validation_qrels(vr), ref,
	    pf_validation_qrels(v), target, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		goto done;
	}
	rc = 0;
done:
	pf_validation_free(vr);
	free(d);
	return rc;
}

static int
write_json(const pf_validation *v, const pf_ldrift *ld, const char *path)
{
	json_t *doc = pf_validation_json(v);
	pf_err err = {0};

	if (doc != NULL && ld != NULL)
		json_object_set_new(doc, "label_drift", pf_ldrift_json(ld));
	if (pf_json_write_file(doc, path, &err) != PF_OK) {
		pf_err_print(&err, stderr);
		return 2;
	}
	return 0;
}

int
pf_cli_validate(int argc, char **argv)
{
	pf_validate_opts o = {.max_no_relevant = 0, .min_alpha = 0.667};
	const char *json = NULL, *target = NULL, *against = NULL;
	pf_ldrift *ld = NULL;
	pf_validation *v = NULL;
	pf_diags *d;
	pf_err err = {0};
	pf_opts p;
	int rc, c;

	pf_opts_init(&p, &pf_cli_validate_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		if (c == O_JSON)
			json = p.val;
		else if (c == O_AGAINST)
			against = p.val;
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
	if (against != NULL && drift_against(&ld, v, target, against, &o) !=
	    0) {
		pf_validation_free(v);
		return 2;
	}
	pf_validation_print(v, stdout);
	if (ld != NULL)
		pf_ldrift_print(ld, stdout);
	rc = pf_validation_failed(v) > 0;
	if (json != NULL && (pf_validation_reads(v, json) || (against !=
	    NULL && pf_same_file(json, against)))) {
		fprintf(stderr, "preflight: %s: --json would overwrite a file the "
		    "check read: refused\n", json);
		rc = 2;
	} else if (json != NULL && write_json(v, ld, json) != 0)
		rc = 2;
	(void)err;
	pf_ldrift_free(ld);
	pf_validation_free(v);
	return rc;
}

/*
 * harness/cli/features_stats.c — `preflight features stats FILE...` and
 * `preflight features skew A B` (harness/check/featstats.h): the
 * statistics of candidate files' features, and the skew of B against A.
 * Exit 0 clean, 1 a threshold given (--max-psi, --max-mismatch) exceeded,
 * 2 bad input.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/check/featstats.h"
#include "harness/cli/cli.h"
#include "harness/load/featnames.h"
#include "harness/util/fileio.h"
#include "harness/util/jsonfile.h"
#include "harness/util/scan.h"

enum {
	O_NAMES = PF_OPT_LONG, O_QUERY_FILE, O_JSON, O_NO_CORR, O_MAX_PSI,
	O_MAX_MISMATCH
};

static const pf_opt stats_opts[] = {
	{O_NAMES, "names", "FILE", "feature names: id<TAB>name lines (README "
	    "\"Formats\")"},
	{O_QUERY_FILE, "query-file", "F", "the LightGBM .query file of a "
	    "single FILE (default:\nFILE.query where FILE has no qid:)"},
	{O_NO_CORR, "no-corr", NULL, "skip the Spearman matrix and its "
	    "clusters"},
	{O_JSON, "json", "FILE", "also write the statistics as JSON"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_features_stats_doc = {"features stats",
	"[OPTIONS] FILE...",
	"  Per feature of each SVMlight/LETOR candidate FILE: count, missing "
	"and zero\n  rates, min/max, mean, sd, quantiles, distinct values, "
	"mean by relevance\n  grade, and correlation clusters (|Spearman| >= "
	"0.9: permute them jointly).\n", stats_opts,
	"exit: 0 done, 2 bad input\n"};

static const pf_opt skew_opts[] = {
	{O_NAMES, "names", "FILE", "feature names: id<TAB>name lines"},
	{O_MAX_PSI, "max-psi", "X", "exit 1 when a feature's PSI exceeds X "
	    "(0.25: large)"},
	{O_MAX_MISMATCH, "max-mismatch", "R", "exit 1 when more than R (0..1) "
	    "of the shared\n(qid, docid) rows differ"},
	{O_JSON, "json", "FILE", "also write the skew as JSON"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_features_skew_doc = {"features skew",
	"[OPTIONS] A B",
	"  The skew of candidate file B against A (the reference): per "
	"feature PSI,\n  two-sample KS with its p-value (BH across features), "
	"missing-rate and range\n  changes, largest drift first; on the rows "
	"both share by (qid, docid), the\n  mismatch rate and the largest "
	"differences (training-serving skew).\n", skew_opts,
	"exit: 0 clean, 1 a threshold exceeded, 2 bad input\n"};

/* Loads path (its .query beside it when it has no qid: and qf is NULL). */
static int
load(pf_svm **out, const char *path, const char *qf, pf_err *err)
{
	pf_svm_opts o = {.query_file = qf, .feature_base = PF_SVM_BASE_ONE,
	    .need_double = 1, .progress = pf_opts_progress(0)};

	return pf_svm_load_beside(out, path, &o, err);
}

/* Whether json would overwrite an input (the files, their .query beside,
   the names file, a --query-file): said, and 1. */
static int
json_is_input(const char *json, const char **files, int n, const char *qf,
    const char *names)
{
	char beside[4096];

	if (json == NULL)
		return 0;
	for (int i = -2; i < n; i++) {
		const char *in = i == -2 ? qf : i == -1 ? names : files[i];
		if (in == NULL)
			continue;
		for (int k = 0; k < 2; k++) {
			if (k == 1) {
				if (i < 0)
					break;
				snprintf(beside, sizeof(beside), "%s.query", in);
				in = beside;
			}
			if (pf_same_file(json, in)) {
				fprintf(stderr, "preflight: %s: --json would "
				    "overwrite an input (%s): refused\n", json,
				    in);
				return 1;
			}
		}
	}
	return 0;
}

static int
fail(const pf_err *err)
{
	if (err->where[0] != '\0')
		fprintf(stderr, "preflight: %s: %s\n", err->where, err->msg);
	else
		fprintf(stderr, "preflight: %s\n", err->msg);
	return 2;
}

/* A number option in [0, max] into *out; -1 after the usage error. */
static int
opt_real(const pf_cmd_doc *doc, const pf_opts *p, const char *opt,
    double max, double *out)
{
	char *end;
	double v = strtod(p->val, &end);

	if (end == p->val || *end != '\0' || !(v >= 0.0 && v <= max)) {
		if (isinf(max))
			pf_opts_fail(doc, "%s needs a number >= 0, got '%s'",
			    opt, p->val);
		else
			pf_opts_fail(doc, "%s needs a number in [0, %g], got "
			    "'%s'", opt, max, p->val);
		return -1;
	}
	*out = v;
	return 0;
}

int
pf_cli_features_stats(int argc, char **argv)
{
	const pf_cmd_doc *doc = &pf_cli_features_stats_doc;
	const char *names_path = NULL, *json = NULL, *qf = NULL;
	pf_fnames *names = NULL;
	pf_svm **s = NULL;
	pf_fst **t = NULL;
	int c, corr = 1, rc = 2, n = 0;
	pf_opts p;
	pf_err err = {0};

	pf_opts_init(&p, doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		switch (c) {
		case PF_OPTS_EXIT0:
			return 0;
		case PF_OPTS_ERROR:
			return 2;
		case O_NAMES:
			names_path = p.val;
			break;
		case O_QUERY_FILE:
			qf = p.val;
			break;
		case O_JSON:
			json = p.val;
			break;
		case O_NO_CORR:
			corr = 0;
			break;
		}
	}
	if (p.npos < 1)
		return pf_opts_fail(doc, "needs at least one FILE"), 2;
	if (qf != NULL && p.npos > 1)
		return pf_opts_fail(doc, "--query-file goes with a single FILE "
		    "(several: each FILE.query beside it)"), 2;
	n = p.npos;
	if (json_is_input(json, p.pos, n, qf, names_path))
		return 2;
	if ((s = calloc((size_t)n, sizeof(*s))) == NULL ||
	    (t = calloc((size_t)n, sizeof(*t))) == NULL) {
		fputs("preflight: out of memory\n", stderr);
		goto done;
	}
	if (names_path != NULL && pf_featnames_load(&names, names_path,
	    &err) != PF_OK) {
		fail(&err);
		goto done;
	}
	for (int i = 0; i < n; i++) {
		if (load(&s[i], p.pos[i], qf, &err) != PF_OK ||
		    pf_fst_compute(&t[i], s[i], names, corr, &err) != PF_OK) {
			fail(&err);
			goto done;
		}
		if (i > 0)
			putchar('\n');
		pf_fst_print(t[i], stdout);
	}
	if (json != NULL && pf_json_write_file(pf_fst_json((const pf_fst *
	    const *)t, (size_t)n), json, &err) != PF_OK) {
		fail(&err);
		goto done;
	}
	rc = 0;
done:
	for (int i = 0; i < n && s != NULL && t != NULL; i++) {
		pf_fst_free(t[i]);
		pf_svm_free(s[i]);
	}
	free(s);
	free(t);
	pf_fnames_free(names);
	return rc;
}

int
pf_cli_features_skew(int argc, char **argv)
{
	const pf_cmd_doc *doc = &pf_cli_features_skew_doc;
	const char *names_path = NULL, *json = NULL;
	double max_psi = NAN, max_mis = NAN;
	pf_fnames *names = NULL;
	pf_svm *sa = NULL, *sb = NULL;
	pf_fst *ta = NULL, *tb = NULL;
	pf_fsk *k = NULL;
	int c, rc = 2;
	pf_opts p;
	pf_err err = {0};

	pf_opts_init(&p, doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		switch (c) {
		case PF_OPTS_EXIT0:
			return 0;
		case PF_OPTS_ERROR:
			return 2;
		case O_NAMES:
			names_path = p.val;
			break;
		case O_JSON:
			json = p.val;
			break;
		case O_MAX_PSI:
			if (opt_real(doc, &p, "--max-psi", INFINITY, &max_psi) != 0)
				return 2;
			break;
		case O_MAX_MISMATCH:
			if (opt_real(doc, &p, "--max-mismatch", 1.0,
			    &max_mis) != 0)
				return 2;
			break;
		}
	}
	if (p.npos != 2)
		return pf_opts_fail(doc, "needs two files, A and B (got %d)",
		    p.npos), 2;
	if (json_is_input(json, p.pos, 2, NULL, names_path))
		return 2;
	if ((names_path != NULL && pf_featnames_load(&names, names_path,
	    &err) != PF_OK) ||
	    load(&sa, p.pos[0], NULL, &err) != PF_OK ||
	    load(&sb, p.pos[1], NULL, &err) != PF_OK ||
	    pf_fst_compute(&ta, sa, names, 0, &err) != PF_OK ||
	    pf_fst_compute(&tb, sb, names, 0, &err) != PF_OK ||
	    pf_fsk_compute(&k, ta, sa, tb, sb, &err) != PF_OK) {
		fail(&err);
		goto done;
	}
	pf_fsk_print(k, sa, sb, stdout);
	if (json != NULL && pf_json_write_file(pf_fsk_json(k, sa, sb, max_psi,
	    max_mis), json, &err) != PF_OK) {
		fail(&err);
		goto done;
	}
	rc = 0;
	if (!pf_fsk_pass_psi(k, max_psi)) {
		printf("FAIL: %s's PSI %.4g exceeds --max-psi %g\n",
		    k->f[0].name, k->f[0].psi, max_psi);
		rc = 1;
	}
	if (!pf_fsk_pass_mismatch(k, max_mis)) {
		printf("FAIL: mismatch rate %.4g of the shared rows exceeds "
		    "--max-mismatch %g\n", k->mismatch_rate, max_mis);
		rc = 1;
	}
done:
	pf_fsk_free(k);
	pf_fst_free(ta);
	pf_fst_free(tb);
	pf_svm_free(sa);
	pf_svm_free(sb);
	pf_fnames_free(names);
	return rc;
}

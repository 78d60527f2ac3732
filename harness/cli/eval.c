/*
 * harness/cli/eval.c — `preflight eval`: trec_eval's command line, measures and
 * output, stricter input checking, parallel and streaming.
 *
 *   preflight eval [-q] [-c] [-J] [-l L] [-M N] [-m MEASURE]... [-o FILE]
 *                  QRELS RUN
 *
 * Differences from trec_eval 10.0 (README "Differences from trec_eval"):
 * bad input is refused with path:line and exit 2 (fractional or non-numeric
 * grades, non-numeric/NaN/infinite scores, short lines, duplicate documents
 * in a topic, duplicate qrels pairs); a qrels topic missing from the run is
 * skipped with a warning on stderr when -c is not given (9.0.8's behaviour:
 * 10.0 aborts with a backwards message). ir_measures' and ranx's measure
 * names, gzip, JSON and BEIR inputs: README "Measure names", "Formats".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/util/diags.h"
#include "harness/engine/eval.h"
#include "harness/util/fileio.h"
#include "harness/load/qrels.h"
#include "harness/util/scan.h"
#include "metrics/treceval.h"

enum { O_OUTPUT = 'o' };

/*
 * trec_eval's letters, with trec_eval 9's long names (its
 * --query_eval_wanted, --measure...), and preflight's -o and --threads.
 */
static const pf_opt eval_opts[] = {
	{'q', "query_eval_wanted", NULL, "per-topic lines before the "
	    "summary"},
	{'n', "nosummary", NULL, "no summary lines (with -q: the per-topic "
	    "lines only)"},
	{'c', "complete_rel_info_wanted", NULL, "average over all qrels "
	    "topics (missing = 0)"},
	{'J', "Judged_docs_only", NULL, "judged documents only"},
	{'l', "level_for_rel", "LEVEL", "minimum grade counted as relevant "
	    "(default 1)"},
	{'M', "Max_retrieved_per_topic", "MAXRET", "evaluate only the top "
	    "MAXRET of each topic"},
	{'m', "measure", "MEASURE", "trec_eval measure or nickname, e.g. "
	    "official, map,\nP.5,10, ndcg_cut.10, ndcg_exp_cut.10, err.10, "
	    "judged.10;\nor an ir_measures / ranx name: nDCG@10, P@5, AP, "
	    "RR@10,\nndcg@10 (repeatable)"},
	{O_OUTPUT, "output", "FILE", "write to FILE (atomically) instead of "
	    "stdout"},
	PF_OPT_ROW_THREADS,
	PF_OPT_ROW_HELP,
	{0, NULL, NULL, NULL},
};

const pf_cmd_doc pf_cli_eval_doc = {"eval", "[OPTIONS] QRELS RUN",
	"  trec_eval's measures and output; stricter input checks.\n",
	eval_opts, NULL};

static int
report(const pf_err *err)
{
	pf_err_print(err, stderr);
	return 2;
}

typedef struct qid_ref {
	const char	*qid;
	size_t		 topic;
} qid_ref;

static int
cmp_qid_ref(const void *a, const void *b)
{
	return strcmp(((const qid_ref *)a)->qid, ((const qid_ref *)b)->qid);
}

/* trec_eval prints topics in strcmp order of their qids. */
static int
sort_topics(size_t *v, size_t n, const pf_qrels *q)
{
	qid_ref *refs = malloc((n ? n : 1) * sizeof(*refs));

	if (refs == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		refs[i] = (qid_ref){pf_qrels_qid(q, v[i]), v[i]};
	qsort(refs, n, sizeof(*refs), cmp_qid_ref);
	for (size_t i = 0; i < n; i++)
		v[i] = refs[i].topic;
	free(refs);
	return 0;
}

typedef struct eval_args {
	const char	*outpath, *files[2];
	int		 per_query, complete, nosummary;
} eval_args;

static int
write_out(FILE *f, pf_te_spec *spec, const pf_qrels *q, const pf_evalrun *r,
    const size_t *order, size_t n, const eval_args *ea)
{
	size_t cap = 1 << 16, nv = r->nvalues;
	char *buf = malloc(cap);
	double *vals = malloc((n ? n : 1) * (nv ? nv : 1) * sizeof(*vals));
	double *all = malloc((nv ? nv : 1) * sizeof(*all));
	int rc = -1;

	if (buf == NULL || vals == NULL || all == NULL)
		goto done;
	for (size_t i = 0; i < n; i++) {
		size_t t = order[i];
		memcpy(vals + i * nv, r->values + t * nv, nv * sizeof(*vals));
		if (!ea->per_query)
			continue;
		for (;;) {
			size_t k = pf_te_format_topic(spec, pf_qrels_qid(q, t),
			    r->values + t * nv, r->str[t] ? r->str[t] : "",
			    buf, cap);
			if (k < cap) {
				fwrite(buf, 1, k, f);
				break;
			}
			char *nb = realloc(buf, cap = k + 1);
			if (nb == NULL)
				goto done;
			buf = nb;
		}
	}
	pf_te_summarize(spec, vals, n, all);
	while (!ea->nosummary) {
		size_t k = pf_te_format_all(spec, r->runid ? r->runid : "",
		    n, all, buf, cap);
		if (k < cap) {
			fwrite(buf, 1, k, f);
			break;
		}
		char *nb = realloc(buf, cap = k + 1);
		if (nb == NULL)
			goto done;
		buf = nb;
	}
	rc = 0;
done:
	free(buf);
	free(vals);
	free(all);
	return rc;
}

/* One option c (its value in p) into ea, spec and te: 0, -1 on a usage
   error, -2 on a measure error (printed). */
static int
option(eval_args *ea, pf_te_spec *spec, pf_te_opts *te, const pf_opts *p,
    int c)
{
	pf_err err = {0};
	char opt[4] = {'-', (char)c, '\0', '\0'};
	long n;

	switch (c) {
	case 'q':
		ea->per_query = 1;
		return 0;
	case 'n':
		ea->nosummary = 1;
		return 0;
	case 'c':
		ea->complete = 1;
		return 0;
	case 'J':
		te->judged_only = 1;
		return 0;
	case 'l':
	case 'M':
		if (pf_opts_long(p, opt, c == 'M' ? 0 : -1000000, 1000000000,
		    "an integer", &n) != 0)
			return -1;
		if (c == 'l')
			te->level = (int)n;
		else
			te->max_ret = n;
		return 0;
	case 'm':
		if (pf_te_spec_add(spec, p->val, &err) != PF_OK) {
			report(&err);
			return -2;
		}
		return 0;
	case O_OUTPUT:
		ea->outpath = p->val;
		return 0;
	default:
		return -1;
	}
}

/* 0 to go on, 1 after -h, -1 on a usage error, -2 on another error. */
static int
parse_args(eval_args *ea, pf_te_spec *spec, pf_te_opts *te, int argc,
    char **argv)
{
	pf_opts p;
	int c, rc;

	pf_opts_init(&p, &pf_cli_eval_doc, argc, argv);
	while ((c = pf_opts_next(&p)) != PF_OPTS_END) {
		if (c == PF_OPTS_EXIT0)
			return 1;
		if (c == PF_OPTS_ERROR)
			return -1;
		if ((rc = option(ea, spec, te, &p, c)) != 0)
			return rc;
	}
	if (p.npos != 2) {
		pf_opts_fail(&pf_cli_eval_doc, "expected QRELS and RUN, got %d "
		    "file%s", p.npos, p.npos == 1 ? "" : "s");
		return -1;
	}
	ea->files[0] = p.pos[0];
	ea->files[1] = p.pos[1];
	return 0;
}

/* The evaluated topics in trec_eval's order, written to outpath or stdout:
   the exit code. */
static int
output(const eval_args *ea, pf_te_spec *spec, const pf_qrels *q,
    const pf_evalrun *r)
{
	pf_atomic_file af = {0};
	pf_err err = {0};
	size_t *order = malloc((r->ntopics + 1) * sizeof(*order)), n = 0;
	FILE *f = stdout;
	int rc = 2;

	if (order == NULL)
		goto nomem;
	for (size_t t = 0; t < r->ntopics; t++)
		if (r->evaluated[t])
			order[n++] = t;
	if (sort_topics(order, n, q) != 0)
		goto nomem;
	if (ea->outpath != NULL) {
		if (pf_atomic_open(&af, ea->outpath, &err) != PF_OK) {
			rc = report(&err);
			goto done;
		}
		f = af.f;
	}
	if (write_out(f, spec, q, r, order, n, ea) != 0)
		goto nomem;
	if (ea->outpath != NULL && pf_atomic_commit(&af, &err) != PF_OK)
		rc = report(&err);
	else if (ea->outpath == NULL && fflush(stdout) != 0)
		fputs("preflight: cannot write to standard output\n", stderr);
	else
		rc = 0;
	goto done;
nomem:
	fputs("preflight: out of memory\n", stderr);
done:
	pf_atomic_abort(&af);
	free(order);
	return rc;
}

int
pf_cli_eval(int argc, char **argv)
{
	eval_args ea = {0};
	pf_err err = {0};
	pf_te_spec *spec = NULL;
	pf_te_opts te;
	pf_qrels *q = NULL;
	pf_evalrun *r = NULL;
	int rc = 2, pa;

	pf_te_opts_init(&te);
	if (pf_te_spec_new(&spec) != PF_OK) {
		fputs("preflight: out of memory\n", stderr);
		return 2;
	}
	if ((pa = parse_args(&ea, spec, &te, argc, argv)) != 0) {
		rc = pa == 1 ? 0 : 2;
		goto done;
	}
	if (ea.outpath != NULL && (pf_same_file(ea.outpath, ea.files[0]) ||
	    pf_same_file(ea.outpath, ea.files[1]))) {
		fprintf(stderr, "preflight: %s: -o would overwrite an input: "
		    "refused\n", ea.outpath);
		goto done;
	}
	if (pf_te_spec_finish(spec, &err) != PF_OK ||
	    pf_qrels_load(&q, ea.files[0], PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err) != PF_OK) {
		rc = report(&err);
		goto done;
	}
	te.max_grade = pf_qrels_max_grade(q) > 0 ? pf_qrels_max_grade(q) : 1;
	pf_evalrun_opts eo = {.spec = spec, .te = &te,
	    .complete = ea.complete, .progress = pf_opts_progress(0)};
	const char *cs = getenv("PF_EVAL_CHUNK");	/* tests: tiny chunks */
	long cb;
	if (cs != NULL && pf_parse_long(cs, strlen(cs), 1, 1L << 30, &cb) == 0)
		eo.chunk_bytes = (size_t)cb;
	if (pf_evalrun_file(&r, q, ea.files[1], &eo, &err) != PF_OK) {
		rc = report(&err);
		goto done;
	}
	if (r->bom)
		pf_warn_bom(ea.files[1]);
	if (r->nmissing > 0 && !ea.complete)
		fprintf(stderr, "preflight: warning: %zu qrels topic%s not in "
		    "the run, skipped (use -c to score them as 0)\n",
		    r->nmissing, r->nmissing == 1 ? " is" : "s are");
	rc = output(&ea, spec, q, r);
done:
	pf_evalrun_free(r);
	pf_qrels_free(q);
	pf_te_spec_free(spec);
	return rc;
}

/*
 * harness/check/validate_rules.c — the rules of `preflight validate` and its summary
 * (validate.h lists the rules; README "preflight validate" states them).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/golden.h"
#include "harness/util/strtab.h"
#include "harness/check/validate_rules.h"

void
vnote(pf_validation *v, const char *fmt, ...)
{
	va_list ap;

	if (v->nnotes == VR_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(v->notes[v->nnotes++], sizeof(v->notes[0]), fmt, ap);
	va_end(ap);
}

static vrule *
rule(pf_validation *v, const char *id)
{
	vrule *r = &v->rules[v->nrules++];

	memset(r, 0, sizeof(*r));
	r->id = id;
	return r;
}

static void
say(vrule *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(vrule *r, int status, const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
}

static void
example(vrule *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
example(vrule *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nex == VR_EXAMPLES)
		return;
	va_start(ap, fmt);
	vsnprintf(r->ex[r->nex++], sizeof(r->ex[0]), fmt, ap);
	va_end(ap);
}

#define QID(v, j)	pf_strtab_str((v)->tq, (j)->q)
#define DOC(v, j)	pf_strtab_str((v)->td, (j)->d)
#define ANN(v, j)	pf_strtab_str((v)->ta, (j)->a)

static void
rule_duplicates(pf_validation *v)
{
	vrule *r = rule(v, "duplicate-judgments");

	for (size_t i = 0; i < v->nj; i++) {
		const vjudg *j = &v->j[i];
		if (j->dup_of == 0)
			continue;
		example(r, "%s:%u: annotator '%s' judged query '%s' document "
		    "'%s' before, on line %u", v->s->qrels, j->line,
		    ANN(v, j), QID(v, j), DOC(v, j), j->dup_of);
	}
	r->count = v->ndup;
	if (v->ndup == 0)
		say(r, VR_PASS, "one judgment per (qid, annotator, docid)");
	else
		say(r, VR_FAIL, "%zu duplicate judgment%s (same qid, annotator "
		    "and docid); the later ones are ignored below", v->ndup,
		    v->ndup == 1 ? "" : "s");
}

/* Judgments naming a qid (docs: a docid) the golden set does not know. */
static int
rule_unknown(pf_validation *v, int docs)
{
	vrule *r = rule(v, docs ? "unknown-documents" : "unknown-queries");
	const char *file = docs ? v->s->docs : v->s->queries;
	size_t n = pf_strtab_count(docs ? v->td : v->tq), nj = 0;
	unsigned char *seen;

	if (v->g == NULL || file == NULL) {
		say(r, VR_SKIP, file != NULL ? "not checked (see the notes)" :
		    docs ? "no docs.tsv: documents come from candidate files" :
		    "no queries.tsv: the judged topics are the queries");
		return 0;
	}
	if ((seen = calloc(n ? n : 1, 1)) == NULL)
		return -1;
	for (size_t i = 0; i < v->nj; i++) {
		const vjudg *j = &v->j[i];
		uint32_t id = docs ? j->d : j->q;
		const char *s = docs ? DOC(v, j) : QID(v, j);
		long k;

		if (j->dup_of != 0)
			continue;
		if (docs) {
			k = pf_strtab_find(v->g->docs, s, strlen(s));
			k = k >= 0 && (size_t)k < v->g->corpus.n ? k : -1;
		} else {
			k = pf_golden_query(v->g, s);
		}
		if (k >= 0)
			continue;
		nj++;
		if (seen[id])
			continue;
		seen[id] = 1;
		r->count++;
		example(r, "%s:%u: %s '%s' is not in %s", v->s->qrels, j->line,
		    docs ? "document" : "query", s, file);
	}
	free(seen);
	if (r->count == 0)
		say(r, VR_PASS, "every judged %s is in %s", docs ? "docid" :
		    "qid", file);
	else if (!docs && v->scenario) {
		/* a scenario may evaluate a subset (cranfield.xml: the test
		   half); a golden folder's queries.tsv must be complete */
		say(r, VR_PASS, "%zu judged quer%s not in %s: left out of "
		    "this scenario", r->count, r->count == 1 ? "y is" :
		    "ies are", file);
		r->nex = 0;
	} else
		say(r, VR_FAIL, "%zu judged %s%s not in %s (%zu judgment%s)",
		    r->count, docs ? "document" : "quer", docs ? (r->count == 1 ?
		    " is" : "s are") : (r->count == 1 ? "y is" : "ies are"),
		    file, nj, nj == 1 ? "" : "s");
	return 0;
}

static int
rule_no_relevant(pf_validation *v)
{
	vrule *r = rule(v, "queries-without-relevant");
	size_t nt = pf_strtab_count(v->tq), nq = 0, nnojudg = 0;
	unsigned char *rel = calloc(nt ? nt : 1, 1);

	if (rel == NULL)
		return -1;
	/* fallback when the loader did not aggregate: any grade > 0 */
	for (size_t i = 0; i < v->nj; i++)
		if (v->j[i].dup_of == 0 && v->j[i].grade > 0)
			rel[v->j[i].q] = 1;
	if (v->g != NULL) {
		const pf_qrels *q = v->g->qrels;
		nq = v->g->nq;
		for (size_t i = 0; i < nq; i++) {
			long t = v->g->topic[i];
			int has = 0;
			if (q == NULL) {
				long k = pf_strtab_find(v->tq, v->g->qid[i],
				    strlen(v->g->qid[i]));
				has = k >= 0 && rel[k];
				nnojudg += k < 0;
			} else if (t < 0) {
				nnojudg++;
			} else {
				for (size_t p = 0; p < pf_qrels_npairs(q,
				    (size_t)t) && !has; p++)
					has = pf_qrels_pair(q, (size_t)t,
					    p)->grade_int > 0;
			}
			if (has)
				continue;
			r->count++;
			example(r, "query '%s'%s", v->g->qid[i], t < 0 &&
			    q != NULL ? " has no judgments" : "");
		}
		if (q == NULL)
			vnote(v, "relevance without aggregation (qrels with "
			    "duplicates): a query counts as having a relevant "
			    "document when any annotator graded one above 0");
	} else {
		nq = nt;
		for (size_t k = 0; k < nt; k++)
			if (!rel[k]) {
				r->count++;
				example(r, "query '%s'", pf_strtab_str(v->tq,
				    k));
			}
	}
	free(rel);
	v->nqueries = nq;
	v->nnorel = r->count;
	if (nnojudg > 0)
		vnote(v, "%zu quer%s in queries.tsv without any judgment "
		    "(dropped from every metric)", nnojudg, nnojudg == 1 ?
		    "y" : "ies");
	double share = nq ? (double)r->count / (double)nq : 0;
	say(r, share > v->opts.max_no_relevant ? VR_FAIL : VR_PASS,
	    "%zu of %zu quer%s without a relevant document (%.1f%%, allowed "
	    "%.1f%%)", r->count, nq, nq == 1 ? "y" : "ies", 100 * share,
	    100 * v->opts.max_no_relevant);
	return 0;
}

static int
cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static int
grade_table(pf_validation *v)
{
	size_t na = pf_strtab_count(v->ta), ng = 0;

	if ((v->grades = malloc((v->nj ? v->nj : 1) * sizeof(int32_t))) ==
	    NULL)
		return -1;
	for (size_t i = 0; i < v->nj; i++)
		v->grades[i] = v->j[i].grade;
	qsort(v->grades, v->nj, sizeof(int32_t), cmp_i32);
	for (size_t i = 0; i < v->nj; i++)
		if (ng == 0 || v->grades[i] != v->grades[ng - 1])
			v->grades[ng++] = v->grades[i];
	v->ngrades = ng;
	if ((v->gcount = calloc(na * ng + 1, sizeof(size_t))) == NULL)
		return -1;
	for (size_t i = 0; i < v->nj; i++) {
		const vjudg *j = &v->j[i];
		if (j->dup_of != 0)
			continue;
		int32_t *g = bsearch(&j->grade, v->grades, ng,
		    sizeof(int32_t), cmp_i32);
		v->gcount[j->a * ng + (size_t)(g - v->grades)]++;
		v->nneg += j->grade < 0;
	}
	if (v->nneg > 0)
		vnote(v, "%zu judgment%s with a negative grade (pooled but "
		    "unjudged, as trec_eval reads them): not relevant, and "
		    "left out of the agreement", v->nneg, v->nneg == 1 ? "" :
		    "s");
	return 0;
}

static int
rule_agreement(pf_validation *v)
{
	vrule *r = rule(v, "agreement");
	pf_rating *rt = malloc((v->nj ? v->nj : 1) * sizeof(*rt));
	size_t *grp = malloc((v->nj ? v->nj : 1) * sizeof(*grp)), n = 0;
	pf_err err = {0};
	int rc;

	if (rt == NULL || grp == NULL) {
		free(rt);
		free(grp);
		return -1;
	}
	for (size_t i = 0; i < v->nj; i++) {
		const vjudg *j = &v->j[i];
		if (j->dup_of != 0 || j->grade < 0)
			continue;
		rt[n] = (pf_rating){j->item, j->a, (double)j->grade};
		grp[n++] = j->q;
	}
	rc = pf_labelq_compute(&v->lq, rt, n, grp, pf_strtab_count(v->tq),
	    &err);
	free(rt);
	free(grp);
	if (rc == PF_ENOMEM)
		return -1;
	if (rc != PF_OK) {	/* cannot happen: duplicates were dropped */
		say(r, VR_SKIP, "not computed: %s", err.msg);
		return 0;
	}
	v->has_lq = 1;
	const pf_alpha *a = &v->lq.ordinal;
	r->count = a->n_pairable;
	if (a->n_pairable == 0)
		say(r, VR_SKIP, "one label per item (%zu items): no agreement "
		    "information", a->n_items);
	else if (isnan(a->alpha))
		say(r, VR_PASS, "alpha undefined: every label on the %zu "
		    "multiply-labelled items is the same grade", a->n_pairable);
	else
		say(r, a->alpha < v->opts.min_alpha ? VR_FAIL : VR_PASS,
		    "Krippendorff's alpha (ordinal) %.3f, %s, over %zu items "
		    "with two or more labels (required >= %.3f)", a->alpha,
		    pf_alpha_reading(a->alpha), a->n_pairable,
		    v->opts.min_alpha);
	return 0;
}

static void
rule_expectations(pf_validation *v)
{
	vrule *r = rule(v, "expectations");

	if (v->g == NULL || v->g->exp_path == NULL) {
		say(r, VR_SKIP, "no expectations.tsv");
		return;
	}
	for (size_t i = 0; i < v->g->nexp; i++)
		if (v->g->exp_query[i] < 0) {
			r->count++;
			example(r, "%s:%ld: query '%s' is not in the golden set",
			    v->g->exp_path, v->g->exp_line[i],
			    v->g->exp_qid[i]);
		}
	if (r->count == 0)
		say(r, VR_PASS, "%zu expectation%s, all on known queries",
		    v->g->nexp, v->g->nexp == 1 ? "" : "s");
	else
		say(r, VR_FAIL, "%zu expectation%s on unknown queries",
		    r->count, r->count == 1 ? "" : "s");
}

/* Documents with neither title nor body: retrievable by nothing. */
static void
note_empty_docs(pf_validation *v)
{
	size_t n = 0;
	const char *first = NULL;

	for (size_t i = 0; v->g != NULL && i < v->g->corpus.n; i++)
		if (v->g->corpus.title[i][0] == '\0' && v->g->corpus.body[i][0] == '\0') {
			if (n++ == 0)
				first = pf_golden_docid(v->g, (uint32_t)i);
		}
	if (n > 0)
		vnote(v, "%zu document%s in %s with an empty title and body "
		    "(first: '%s'): no text stage can retrieve %s", n, n == 1 ?
		    "" : "s", v->s->docs, first, n == 1 ? "it" : "them");
}

int
pf_vrules_run(pf_validation *v)
{
	note_empty_docs(v);
	rule_duplicates(v);
	if (rule_unknown(v, 0) != 0 || rule_unknown(v, 1) != 0 ||
	    rule_no_relevant(v) != 0 || grade_table(v) != 0 ||
	    rule_agreement(v) != 0)
		return -1;
	rule_expectations(v);
	return 0;
}

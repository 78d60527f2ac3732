/*
 * test_features.c — knowing the features (harness/check/features.h,
 * labeldrift.h) on hand-made files whose every expected number is counted
 * by hand in tests/fixtures/features/README.md: a planted violation of
 * each conformance rule found at its file:line, a clean file reported
 * clean, a draft with the types, ranges and levels the data shows, the
 * draft of golden/letor's candidates checked back clean, the evolution of
 * two hand-made schemas, and the label drift of a hand-edited qrels copy.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/check/features.h"
#include "harness/check/labeldrift.h"
#include "harness/load/qrels.h"

#define FX	FIXTURES "/features/"

static pf_svm *
read_svm(const char *path)
{
	pf_svm *s = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_features_read(&s, path, NULL, &err), PF_OK, "%s: %s",
	    err.where, err.msg);
	return s;
}

static pf_fschema *
read_schema(const char *path)
{
	pf_fschema *s = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_fschema_load(&s, path, &err), PF_OK, "%s: %s",
	    err.where, err.msg);
	return s;
}

static pf_fcheck *
check(const char *schema, pf_svm *f, pf_fschema **keep)
{
	pf_fcheck *c = NULL;
	pf_err err = {0};

	*keep = read_schema(schema);
	cr_assert_eq(pf_features_check(&c, *keep, &f, 1, &err), PF_OK);
	return c;
}

static const pf_fcheck_rule *
rule(const pf_fcheck *c, const char *id)
{
	for (int k = 0; k < PF_FCHECK_NRULES; k++)
		if (strcmp(c->rule[k].id, id) == 0)
			return &c->rule[k];
	cr_assert_fail("no rule %s", id);
	return NULL;
}

/* Example e of rule id starts with "PATH:LINE: feature ID". */
static void
at(const pf_fcheck *c, const char *id, size_t e, const char *file, int line,
    long feat)
{
	const pf_fcheck_rule *r = rule(c, id);
	char want[256];

	cr_assert(e < r->nex, "rule %s has %zu examples", id, r->nex);
	snprintf(want, sizeof(want), "%s:%d: feature %ld ", file, line, feat);
	cr_assert(strncmp(r->ex[e], want, strlen(want)) == 0,
	    "rule %s example %zu: '%s', want '%s...'", id, e, r->ex[e], want);
}

Test(features, planted_violations_are_found_at_their_lines)
{
	pf_svm *f = read_svm(FX "cands.svm");
	pf_fschema *s;
	pf_fcheck *c = check(FX "planted.tsv", f, &s);

	cr_assert_eq(rule(c, "out-of-range")->count, 1);
	at(c, "out-of-range", 0, FX "cands.svm", 5, 2);
	cr_assert_eq(rule(c, "wrong-type")->count, 5);
	for (int i = 0; i < 5; i++)	/* lines 2..6, in file order */
		at(c, "wrong-type", (size_t)i, FX "cands.svm", 2 + i, 1);
	cr_assert_eq(rule(c, "missing")->count, 1);
	at(c, "missing", 0, FX "cands.svm", 5, 3);
	cr_assert_eq(rule(c, "query-level")->count, 2);
	at(c, "query-level", 0, FX "cands.svm", 3, 3);
	at(c, "query-level", 1, FX "cands.svm", 5, 3);
	cr_assert_eq(rule(c, "undocumented")->count, 1);
	at(c, "undocumented", 0, FX "cands.svm", 6, 5);
	cr_assert_eq(rule(c, "absent")->count, 1);
	cr_assert(strncmp(rule(c, "absent")->ex[0], FX "planted.tsv:7: "
	    "feature 7 (ghost)", strlen(FX "planted.tsv:7: feature 7 (ghost)"))
	    == 0, "%s", rule(c, "absent")->ex[0]);
	cr_assert_eq(pf_fcheck_failed(c), 6);
	cr_assert_eq(c->nrows, 5);
	cr_assert_eq(c->nqueries, 3);
	pf_fcheck_free(c);
	pf_fschema_free(s);
	pf_svm_free(f);
}

Test(features, a_clean_file_is_reported_clean)
{
	pf_svm *f = read_svm(FX "cands.svm");
	pf_fschema *s;
	pf_fcheck *c = check(FX "clean.tsv", f, &s);

	for (int k = 0; k < PF_FCHECK_NRULES; k++)
		cr_assert_eq(c->rule[k].count, 0, "rule %s: %zu",
		    c->rule[k].id, c->rule[k].count);
	cr_assert_eq(pf_fcheck_failed(c), 0);
	cr_assert_eq(c->ndata, 5);
	pf_fcheck_free(c);
	pf_fschema_free(s);
	pf_svm_free(f);
}

Test(features, the_draft_states_what_the_data_shows)
{
	pf_svm *f = read_svm(FX "cands.svm");
	pf_fschema *d = NULL;
	pf_err err = {0};
	/* id, type, min, max, missing, query-level: by hand from cands.svm */
	const struct {
		long id;
		int type;
		double min, max;
		int miss, q;
	} want[] = {
		{1, PF_FT_FLOAT, 0.1, 0.9, 0, 0},
		{2, PF_FT_INT, 2, 6, 0, 0},
		{3, PF_FT_BOOL, 0, 1, 1, 0},	/* varies in query 1 */
		{4, PF_FT_INT, 7, 9, 0, 1},	/* 7 7 | 8 8 | 9 */
		{5, PF_FT_BOOL, 0, 1, 1, 1},	/* missing, missing, 1 */
	};

	cr_assert_eq(pf_features_draft(&d, &f, 1, NULL, &err), PF_OK);
	cr_assert_eq(d->n, 5);
	for (size_t i = 0; i < 5; i++) {
		const pf_fschema_row *r = &d->row[i];
		cr_assert_eq(r->id, want[i].id);
		cr_assert_eq(r->type, want[i].type, "feature %ld", r->id);
		cr_assert_eq(r->min, want[i].min, "feature %ld", r->id);
		cr_assert_eq(r->max, want[i].max, "feature %ld", r->id);
		cr_assert_eq(r->missing_ok, want[i].miss, "feature %ld", r->id);
		cr_assert_eq(r->query_level, want[i].q, "feature %ld", r->id);
	}
	cr_assert_str_eq(d->row[0].name, "f1");
	pf_fschema_free(d);
	pf_svm_free(f);
}

/* The draft of golden/letor's candidates, written and read back, holds
   for them: a draft is what the data shows. */
Test(features, the_letor_draft_checks_back_clean)
{
	char path[128];
	pf_svm *f = read_svm(SOURCE_DIR "/golden/letor/rank.test");
	pf_fschema *d = NULL, *s;
	pf_err err = {0};
	FILE *o;

	cr_assert_eq(f->nrows, 768);
	cr_assert_eq(f->nq, 50);
	cr_assert_eq(pf_features_draft(&d, &f, 1, NULL, &err), PF_OK);
	snprintf(path, sizeof(path), "/tmp/pf_letor_schema_%d.tsv",
	    (int)getpid());
	cr_assert_not_null(o = fopen(path, "w"));
	pf_features_draft_write(d, &f, 1, o);
	fclose(o);
	pf_fcheck *c = check(path, f, &s);
	cr_assert_eq(pf_fcheck_failed(c), 0);
	cr_assert_eq(s->n, d->n);
	cr_assert_eq(c->ndata, d->n);
	remove(path);
	pf_fcheck_free(c);
	pf_fschema_free(s);
	pf_fschema_free(d);
	pf_svm_free(f);
}

Test(features, evolution_of_two_hand_made_schemas)
{
	pf_fschema *a = read_schema(FX "old.tsv"), *b = read_schema(FX
	    "new.tsv");
	pf_fevolve *e = NULL;
	pf_err err = {0};
	const struct {
		int kind;
		long id;
	} want[] = {{PF_FEV_RETYPED, 2}, {PF_FEV_REMOVED, 3},
	    {PF_FEV_RERANGED, 4}, {PF_FEV_RERANGED, 5}, {PF_FEV_ADDED, 6}};

	cr_assert_eq(pf_features_evolve(&e, a, b, NULL, &err), PF_OK);
	cr_assert_eq(e->count[PF_FEV_ADDED], 1);
	cr_assert_eq(e->count[PF_FEV_REMOVED], 1);
	cr_assert_eq(e->count[PF_FEV_RETYPED], 1);
	cr_assert_eq(e->count[PF_FEV_RERANGED], 2);
	cr_assert_eq(e->nch, 5);
	for (size_t i = 0; i < 5; i++) {
		cr_assert_eq(e->ch[i].kind, want[i].kind, "change %zu", i);
		cr_assert_eq(e->ch[i].id, want[i].id, "change %zu", i);
	}
	cr_assert(strstr(e->ch[2].text, "1|2|3 -> 1|2|3|4") != NULL, "%s",
	    e->ch[2].text);
	cr_assert(strstr(e->ch[3].text, "- -> 0,") != NULL, "%s",
	    e->ch[3].text);
	cr_assert_eq(e->nrd, 0);
	pf_fevolve_free(e);
	/* a schema against itself: nothing changed */
	cr_assert_eq(pf_features_evolve(&e, a, a, NULL, &err), PF_OK);
	cr_assert_eq(e->nch, 0);
	pf_fevolve_free(e);
	pf_fschema_free(a);
	pf_fschema_free(b);
}

Test(features, label_drift_of_a_hand_edited_qrels_copy)
{
	pf_qrels *v1 = NULL, *v2 = NULL;
	pf_ldrift *d = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_qrels_load(&v1, FX "v1/qrels.txt", PF_QRELS_STRICT,
	    PF_AGG_MEDIAN, &err), PF_OK);
	cr_assert_eq(pf_qrels_load(&v2, FX "v2/qrels.txt", PF_QRELS_STRICT,
	    PF_AGG_MEDIAN, &err), PF_OK);
	cr_assert_eq(pf_ldrift_compute(&d, v1, "v1", v2, "v2", &err), PF_OK);
	cr_assert_eq(d->ngrades, 3);
	const size_t nref[] = {2, 2, 2}, ncur[] = {1, 3, 2};
	for (size_t k = 0; k < 3; k++) {
		cr_assert_eq(d->grade[k], (int32_t)k);
		cr_assert_eq(d->nref[k], nref[k]);
		cr_assert_eq(d->ncur[k], ncur[k]);
	}
	cr_assert_float_eq(d->psi, log(3.0) / 6, 1e-15);
	cr_assert_eq(d->npairs_ref, 6);
	cr_assert_eq(d->npairs_cur, 6);
	cr_assert_eq(d->ncommon, 4);
	cr_assert_eq(d->nrelabel, 2);
	cr_assert_eq(d->nadded, 2);
	cr_assert_eq(d->nremoved, 2);
	cr_assert_str_eq(d->ex[0], "q1 d2: 0 -> 1");
	cr_assert_str_eq(d->ex[1], "q1 d3: 1 -> 0");
	cr_assert_eq(d->nq_added, 1);
	cr_assert_eq(d->nq_removed, 1);
	cr_assert_str_eq(d->qadded[0], "q4");
	cr_assert_str_eq(d->qremoved[0], "q3");
	pf_ldrift_free(d);
	/* against itself: no drift at all */
	cr_assert_eq(pf_ldrift_compute(&d, v1, "v1", v1, "v1", &err), PF_OK);
	cr_assert_eq(d->psi, 0.0);
	cr_assert_eq(d->nrelabel + d->nadded + d->nremoved + d->nq_added +
	    d->nq_removed, 0);
	pf_ldrift_free(d);
	pf_qrels_free(v1);
	pf_qrels_free(v2);
}

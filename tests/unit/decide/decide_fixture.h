/*
 * decide_fixture.h — what the tests of harness/decide/ build by hand: a
 * scratch folder (TestSuite .init/.fini), a golden set loaded from small
 * files written there, and a pf_measured over it whose values and
 * rankings the test sets itself, so every number the decision reads is
 * known. Included by one test file each; every helper is static inline.
 */
#ifndef PF_TESTS_DECIDE_FIXTURE_H
#define PF_TESTS_DECIDE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/analysis/gate.h"
#include "harness/engine/measured.h"
#include "harness/load/golden.h"

static char fx_dir[64];

static inline void
fx_mkdir(void)
{
	snprintf(fx_dir, sizeof(fx_dir), "/tmp/pf_decide.XXXXXX");
	cr_assert_not_null(mkdtemp(fx_dir));
}

static inline void
fx_rmdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx_dir);
	cr_assert_eq(system(cmd), 0);
}

/* fx_dir/name; the string lives for the next seven calls. */
static inline const char *
fx_path(const char *name)
{
	static char paths[8][160];
	static unsigned next;
	char *p = paths[next++ % 8];

	snprintf(p, sizeof(paths[0]), "%s/%s", fx_dir, name);
	return p;
}

/* Writes text to fx_dir/name; returns the path (as fx_path). */
static inline const char *
fx_put(const char *name, const char *text)
{
	const char *p = fx_path(name);
	FILE *f = fopen(p, "w");

	cr_assert_not_null(f, "%s", p);
	fputs(text, f);
	fclose(f);
	return p;
}

/* A golden set of these files (exp may be NULL); asserts it loads. */
static inline pf_golden *
fx_golden(const char *queries, const char *qrels, const char *exp)
{
	pf_golden_spec s = {.source = "unit.xml"};
	pf_diags *d = calloc(1, sizeof(*d));
	pf_golden *g;

	cr_assert_not_null(d);
	s.queries = fx_put("queries.tsv", queries);
	s.qrels = fx_put("qrels.txt", qrels);
	if (exp != NULL)
		s.expectations = fx_put("expectations.tsv", exp);
	cr_assert_eq(pf_golden_load(&g, &s, d), PF_OK, "%s", d->msg[0]);
	free(d);
	return g;
}

/*
 * m over g with the metrics (`-m` spellings, NULL-terminated) and one
 * stack per id (NULL-terminated); the primary metric by printed name.
 * Values are all 0 until the test sets them.
 */
static inline void
fx_measured(pf_measured *m, const pf_golden *g, const char *const *metrics,
    const char *const *ids, const char *primary)
{
	pf_te_spec *spec;
	pf_err err = {0};
	size_t n = 0;

	cr_assert_eq(pf_te_spec_new(&spec), PF_OK);
	for (size_t i = 0; metrics[i] != NULL; i++)
		cr_assert_eq(pf_te_spec_add(spec, metrics[i], &err), PF_OK,
		    "%s", err.msg);
	cr_assert_eq(pf_te_spec_finish(spec, &err), PF_OK, "%s", err.msg);
	while (ids[n] != NULL)
		n++;
	cr_assert_eq(pf_measured_init(m, g, spec, n, &err), PF_OK);
	for (size_t k = 0; k < n; k++)
		m->stacks[k].id = m->stacks[k].name = ids[k];
	m->primary = pf_te_value_index(m->spec, primary);
	m->primary_name = primary;
	cr_assert_geq(m->primary, 0, "%s", primary);
}

/* Value index of a printed metric name in m. */
static inline size_t
fx_vi(const pf_measured *m, const char *name)
{
	long v = pf_te_value_index(m->spec, name);

	cr_assert_geq(v, 0, "%s", name);
	return (size_t)v;
}

/*
 * Stack k's ranking of query q: the docids (NULL-terminated, added to
 * g's document table), scores n, n - 1, ... 1. The lists are freed by
 * pf_measured_clear.
 */
static inline void
fx_rank(pf_measured *m, pf_golden *g, size_t k, size_t q,
    const char *const *docs)
{
	pf_stack_result *s = &m->stacks[k];
	size_t n = 0;

	while (docs[n] != NULL)
		n++;
	if (s->doc == NULL) {
		cr_assert_not_null(s->doc = calloc(m->nq, sizeof(*s->doc)));
		cr_assert_not_null(s->score = calloc(m->nq,
		    sizeof(*s->score)));
	}
	cr_assert_not_null(s->doc[q] = malloc((n + 1) * sizeof(uint32_t)));
	cr_assert_not_null(s->score[q] = malloc((n + 1) * sizeof(double)));
	for (size_t i = 0; i < n; i++) {
		long d = pf_golden_doc(g, docs[i], strlen(docs[i]));
		cr_assert_geq(d, 0);
		s->doc[q][i] = (uint32_t)d;
		s->score[q][i] = (double)(n - i);
	}
	s->n[q] = n;
}

/*
 * Appends a gate result "ID: primary delta, trt vs ctl" on stack 1 with
 * this status and message; its details hold characters XML escapes.
 */
static inline void
fx_gate(pf_gate_list *l, const char *id, int status, const char *msg)
{
	pf_gate_result *g = pf_gate_add(l);

	cr_assert_not_null(g);
	snprintf(g->id, sizeof(g->id), "%s", id);
	snprintf(g->name, sizeof(g->name), "%s: primary delta, trt vs ctl",
	    id);
	snprintf(g->message, sizeof(g->message), "%s", msg);
	snprintf(g->details, sizeof(g->details), "gate:      %s\n"
	    "queries:   3 <&> \"quoted\"", id);
	g->status = status;
	g->line = (long)strlen(id);
	g->stack = 1;
}

#endif /* PF_TESTS_DECIDE_FIXTURE_H */

/*
 * tests/unit/stages/stage_fixture.h — what the stage tests (test_<stage>.c)
 * share: a temporary folder with files written from strings, a golden set
 * loaded from them, a stage opened from key/value pairs as a scenario
 * element gives them (the element on line SFX_LINE of SFX_SCENARIO, its
 * attributes on the lines after it), one query processed, and the
 * registry facts every stage must have.
 *
 * One fixture per test process (Criterion forks each test): the global fx,
 * set up and removed by the suite's .init/.fini, so a failed assertion
 * still removes the folder:
 *
 *	TestSuite(bm25, .init = sfx_setup, .fini = sfx_teardown);
 */
#ifndef PF_TESTS_STAGE_FIXTURE_H
#define PF_TESTS_STAGE_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/golden.h"
#include "harness/stages/stage.h"

#define SFX_SCENARIO	"s.xml"	/* pf_stage_cfg.file */
#define SFX_LINE	7	/* the element's line; parameter i: 8 + i */
#define SFX_MAXFILES	16
#define SFX_MAXPARAMS	8

typedef struct sfx {
	char			 dir[64];
	size_t			 nfiles;
	pf_golden		*g;
	pf_diags		 d;
	int			 need_double;	/* for the next sfx_open */
	int			 strict;	/* for the next sfx_open */
	pf_diags		 warnings;	/* what the stages warn about */
	int			 stale;		/* a failed open left *state
					   set (STYLE.md C5 (e) says NULL) */
	const pf_stage_ops	*ops;
	void			*st;
	pf_param		 p[SFX_MAXPARAMS];
	pf_arena		*scratch;
	pf_cands		 c;
	pf_err			 err;
} sfx;

static sfx fx;
/* Apart from fx: snprintf must not read and write the same object. */
static char sfx_file[SFX_MAXFILES][128];	/* the golden set borrows */
static char sfx_buf[512];			/* sfx_at's answer */

static inline void
sfx_setup(void)
{
	memset(&fx, 0, sizeof(fx));
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/pf_stage_XXXXXX");
	cr_assert_not_null(mkdtemp(fx.dir));
	cr_assert_not_null(fx.scratch = pf_arena_new(1 << 16));
}

/* Closes the open stage, if any. */
static inline void
sfx_close(void)
{
	if (fx.ops != NULL)
		fx.ops->close(fx.st);
	fx.st = NULL;
}

static inline void
sfx_teardown(void)
{
	char cmd[128];

	sfx_close();
	pf_cands_free(&fx.c);
	pf_arena_free(fx.scratch);
	pf_golden_free(fx.g);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx.dir);
	cr_assert_eq(system(cmd), 0);
}

/* A path in the folder, kept for the fixture's life; nothing written. */
static inline const char *
sfx_path(const char *name)
{
	cr_assert_lt(fx.nfiles, SFX_MAXFILES);
	char *p = sfx_file[fx.nfiles++];
	snprintf(p, sizeof(sfx_file[0]), "%s/%s", fx.dir, name);
	return p;
}

/* Writes text to name in the folder; returns its path (kept). */
static inline const char *
sfx_put(const char *name, const char *text)
{
	const char *p = sfx_path(name);
	FILE *f = fopen(p, "w");

	cr_assert_not_null(f, "%s", p);
	cr_assert_eq(fputs(text, f) >= 0, 1);
	cr_assert_eq(fclose(f), 0);
	return p;
}

/* "DIR/name:line" (or "DIR/name" for line 0), as err.where has it. */
static inline const char *
sfx_at(const char *name, long line)
{
	if (line > 0)
		snprintf(sfx_buf, sizeof(sfx_buf), "%s/%s:%ld", fx.dir, name,
		    line);
	else
		snprintf(sfx_buf, sizeof(sfx_buf), "%s/%s", fx.dir, name);
	return sfx_buf;
}

/* Loads the golden set spec names; every problem fails the test. */
static inline void
sfx_load(const pf_golden_spec *spec)
{
	int rc = pf_golden_load(&fx.g, spec, &fx.d);

	cr_assert_eq(rc, PF_OK, "golden set: %s", fx.d.n ? fx.d.msg[0] : "?");
	cr_assert_eq(fx.d.n, 0, "%s", fx.d.msg[0]);
}

/*
 * A golden set from texts: queries.tsv, docs.tsv and qrels.txt written
 * into the folder (NULL: not part of the set).
 */
static inline void
sfx_golden(const char *queries, const char *docs, const char *qrels)
{
	pf_golden_spec s = {.source = SFX_SCENARIO, .line = 3};

	s.queries = queries ? sfx_put("queries.tsv", queries) : NULL;
	s.docs = docs ? sfx_put("docs.tsv", docs) : NULL;
	s.qrels = qrels ? sfx_put("qrels.txt", qrels) : NULL;
	sfx_load(&s);
}

/*
 * Opens stage name with kv = {key, value, ..., NULL}, parameter i on line
 * SFX_LINE + 1 + i, paths relative to the folder, after closing the stage
 * open before. The state goes to fx.st (closed by the next sfx_open or
 * sfx_teardown), the error to fx.err.
 */
static inline int
sfx_open(const char *name, const char *const *kv)
{
	size_t n = 0;

	sfx_close();
	cr_assert_not_null(fx.ops = pf_stage_find(name), "%s", name);
	for (; kv != NULL && kv[2 * n] != NULL; n++) {
		cr_assert_lt(n, SFX_MAXPARAMS);
		fx.p[n] = (pf_param){kv[2 * n], kv[2 * n + 1],
		    SFX_LINE + 1 + (long)n};
	}
	pf_stage_cfg cfg = {SFX_SCENARIO, SFX_LINE, fx.dir, fx.p, n, fx.g,
	    fx.need_double, fx.strict, &fx.warnings};
	pf_err_clear(&fx.err);
	fx.st = (void *)0x1;	/* open must set it, NULL on failure */
	int rc = fx.ops->open(&fx.st, &cfg, &fx.err);
	if (rc != PF_OK) {
		fx.stale = fx.st != NULL;
		fx.st = NULL;	/* nothing for sfx_teardown to close */
	}
	return rc;
}

/* sfx_open that must succeed. */
static inline void
sfx_open_ok(const char *name, const char *const *kv)
{
	int rc = sfx_open(name, kv);

	cr_assert_eq(rc, PF_OK, "%s: %s: %s", name, fx.err.where, fx.err.msg);
}

/* Processes query qid (of the golden set) on fx.c. */
static inline int
sfx_query(const char *qid)
{
	long i = pf_golden_query(fx.g, qid);

	cr_assert_geq(i, 0, "query %s", qid);
	pf_query q = {(size_t)i, fx.g->qid[i], fx.g->text[i]};
	pf_arena_reset(fx.scratch);
	pf_err_clear(&fx.err);
	return fx.ops->process(fx.st, &q, &fx.c, fx.scratch, &fx.err);
}

/* A list of n documents by docid (added to the golden set when new),
   row i for candidate i, no features. */
static inline void
sfx_list(const char *const *docids, const double *scores, size_t n)
{
	cr_assert_eq(pf_cands_reserve(&fx.c, n), PF_OK);
	for (size_t i = 0; i < n; i++) {
		long d = pf_golden_doc(fx.g, docids[i], strlen(docids[i]));
		cr_assert_geq(d, 0);
		fx.c.doc[i] = (uint32_t)d;
		fx.c.row[i] = (uint32_t)i;
		fx.c.score[i] = scores[i];
	}
	fx.c.n = n;
	fx.c.feats = (pf_feats){NULL, NULL, 0, 0, NULL, NULL};
}

/*
 * Candidates a, b, c reading rows 2, 0, 1 of three feature rows (the
 * scorers' tests), columns ids base, base + 1, base + 2:
 *	row 0: 1    2    3
 *	row 1: NaN  5    4
 *	row 2: 0.1f NaN  NaN
 */
static inline void
sfx_three_rows(int base)
{
	static const float x[] = {1.0f, 2.0f, 3.0f, NAN, 5.0f, 4.0f, 0.1f,
	    NAN, NAN};
	const char *docs[] = {"a", "b", "c"};
	const double zero[] = {0, 0, 0};

	sfx_list(docs, zero, 3);
	fx.c.row[0] = 2;
	fx.c.row[1] = 0;
	fx.c.row[2] = 1;
	fx.c.feats = (pf_feats){x, NULL, 3, base, NULL, NULL};
}

/* The docid of candidate i. */
static inline const char *
sfx_doc(size_t i)
{
	cr_assert_lt(i, fx.c.n);
	return pf_golden_docid(fx.g, fx.c.doc[i]);
}

/* The candidate index of docid, -1 when not in the list. */
static inline long
sfx_find(const char *docid)
{
	for (size_t i = 0; i < fx.c.n; i++)
		if (strcmp(sfx_doc(i), docid) == 0)
			return (long)i;
	return -1;
}

/*
 * An error as the contract wants it: rc and err.code are code, err.where
 * is where exactly (NULL: not checked), err.msg holds part.
 */
static inline void
sfx_expect_err(int rc, int code, const char *where, const char *part)
{
	cr_assert_eq(rc, code, "rc %d, want %d (%s: %s)", rc, code,
	    fx.err.where, fx.err.msg);
	cr_assert_eq(fx.err.code, code);
	cr_assert_eq(fx.stale, 0, "a failed open leaves *state NULL");
	if (where != NULL)
		cr_assert_str_eq(fx.err.where, where, "where '%s', want '%s' "
		    "(%s)", fx.err.where, where, fx.err.msg);
	cr_assert_not_null(strstr(fx.err.msg, part), "'%s' lacks '%s'",
	    fx.err.msg, part);
}

/*
 * The registry facts of stage name: found by name, this ABI, exactly
 * these flags, exactly these parameters in this order (docs = {name,
 * "required" | "optional", ..., NULL}: every parameter open reads, as
 * each test file lists them from the stage's source), each accepted by
 * pf_stage_check and an unknown one refused at its line; close(NULL) is a
 * no-op.
 */
static inline void
sfx_registry(const char *name, unsigned flags, const char *const *docs)
{
	const pf_stage_ops *ops = pf_stage_find(name);
	size_t n = 0;

	cr_assert_not_null(ops, "%s is in the registry", name);
	cr_assert_str_eq(ops->name, name);
	cr_assert_eq(ops->abi, PF_STAGE_ABI);
	cr_assert_eq(ops->flags, flags, "%s flags %u, want %u", name,
	    ops->flags, flags);
	cr_assert(ops->summary != NULL && ops->summary[0] != '\0');
	cr_assert(ops->open != NULL && ops->process != NULL &&
	    ops->close != NULL);
	pf_param req[16];
	size_t nreq = 0;
	for (size_t i = 0; docs[2 * i] != NULL && nreq < 15; i++)
		if (strcmp(docs[2 * i + 1], "required") == 0)
			req[nreq++] = (pf_param){docs[2 * i], "1", 12};
	for (; docs[2 * n] != NULL; n++) {
		const pf_stage_param_doc *pd = &ops->params[n];
		cr_assert_not_null(pd->name, "%s documents %zu parameters, "
		    "want more: %s", name, n, docs[2 * n]);
		cr_assert_str_eq(pd->name, docs[2 * n]);
		cr_assert_eq(pd->required, strcmp(docs[2 * n + 1],
		    "required") == 0, "%s.%s required", name, pd->name);
		cr_assert(pd->type != NULL && pd->doc != NULL && pd->doc[0]);
		/* each parameter is accepted beside the required ones */
		pf_param set[17];
		size_t ns = nreq;
		memcpy(set, req, nreq * sizeof(*req));
		if (!pd->required)
			set[ns++] = (pf_param){pd->name, "1", 12};
		pf_diags d = {0};
		cr_assert_eq(pf_stage_check(name, set, ns, SFX_SCENARIO, 11, &d),
		    ops, "%s", d.msg[0]);
		cr_assert_eq(d.n, 0);
		if (pd->required) {	/* and without it, refused naming it */
			size_t at = 0;
			while (strcmp(req[at].key, pd->name) != 0)
				at++;
			memmove(set + at, set + at + 1, (ns - at - 1) *
			    sizeof(*set));
			char want[128];
			snprintf(want, sizeof(want), SFX_SCENARIO ":11: stage "
			    "'%s' needs %s=", name, pd->name);
			pf_diags d2 = {0};
			cr_assert_null(pf_stage_check(name, set, ns - 1,
			    SFX_SCENARIO, 11, &d2));
			cr_assert_str_eq(d2.msg[0], want);
		}
	}
	cr_assert_null(ops->params[n].name, "%s documents '%s' too", name,
	    ops->params[n].name);
	pf_param bad[17];
	memcpy(bad, req, nreq * sizeof(*req));
	bad[nreq] = (pf_param){"nope", "1", 13};
	pf_diags d = {0};
	char want[128];
	snprintf(want, sizeof(want), SFX_SCENARIO ":13: stage '%s' has no "
	    "parameter 'nope'", name);
	cr_assert_null(pf_stage_check(name, bad, nreq + 1, SFX_SCENARIO, 11,
	    &d));
	cr_assert_eq(d.n, 1);
	cr_assert_str_eq(d.msg[0], want);
	ops->close(NULL);	/* a no-op: must not crash */
}

#endif /* PF_TESTS_STAGE_FIXTURE_H */

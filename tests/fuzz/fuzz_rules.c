/*
 * tests/fuzz/fuzz_rules.c — the rules stage's file (qid<TAB>docid<TAB>pin
 * [position] | bury | remove; harness/stages/rules.c) from any bytes,
 * opened through the stage registry as a scenario's <rules file=...>
 * would be, against a tiny golden set built once (two queries, five
 * documents with a url field). The input's size picks dedupe="url" and
 * run --strict. Each query's list then goes through the stage, and what
 * comes out must be what the engine expects of a scoring stage: finite
 * scores in its order (score descending, then docid descending), no
 * document twice, none added.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/golden.h"
#include "harness/stages/stage.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NDOCS = 5 };

static fuzz_file in;
static pf_golden *golden;
static pf_arena *scratch;
static const pf_stage_ops *ops;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_file queries, docs, qrels;
	pf_golden_spec spec = {.source = "fuzz.xml", .line = 1};
	pf_diags d = {0};

	(void)argc;
	(void)argv;
	fuzz_file_open(&in, NULL);
	fuzz_file_open(&queries, NULL);
	fuzz_file_open(&docs, NULL);
	fuzz_file_open(&qrels, NULL);
	fuzz_file_puts(&queries, "qid\ttext\nq1\tx\nq2\ty\n");
	fuzz_file_puts(&docs, "docid\ttitle\tbody\turl\na\tA\ta\thttp://x\n"
	    "b\tB\tb\thttp://y\nc\tC\tc\thttp://x\nd\tD\td\t\n"
	    "e\tE\te\thttp://y\n");
	fuzz_file_puts(&qrels, "q1 0 a 1\nq2 0 b 1\n");
	spec.queries = queries.path;
	spec.docs = docs.path;
	spec.qrels = qrels.path;
	if (pf_golden_load(&golden, &spec, &d) != PF_OK ||
	    (scratch = pf_arena_new(1 << 16)) == NULL ||
	    (ops = pf_stage_find("rules")) == NULL)
		abort();
	return 0;
}

/* q1 gets distinct scores, q2 ties (in the engine's order: docid
   descending among equal scores). */
static void
list(pf_cands *c, size_t q)
{
	static const char *const docs[2][NDOCS] = {{"a", "b", "c", "d", "e"},
	    {"a", "d", "c", "b", "e"}};
	static const double scores[2][NDOCS] = {{5, 4, 3, 2, 1},
	    {5, 4, 4, 4, 1}};

	if (pf_cands_reserve(c, NDOCS) != PF_OK)
		abort();
	for (size_t i = 0; i < NDOCS; i++) {
		c->doc[i] = (uint32_t)pf_golden_find_doc(golden, docs[q][i], 1);
		c->row[i] = (uint32_t)i;
		c->score[i] = scores[q][i];
	}
	c->n = NDOCS;
	c->feats = (pf_feats){0};	/* no features */
}

static void
check(const pf_cands *c)
{
	assert(c->n <= NDOCS);
	for (size_t i = 0; i < c->n; i++) {
		assert(isfinite(c->score[i]));
		for (size_t j = i + 1; j < c->n; j++)
			assert(c->doc[i] != c->doc[j]);
		if (i + 1 < c->n)
			assert(c->score[i] > c->score[i + 1] ||
			    (c->score[i] == c->score[i + 1] &&
			    strcmp(pf_golden_docid(golden, c->doc[i]),
			    pf_golden_docid(golden, c->doc[i + 1])) > 0));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_param p[2] = {{"file", in.path, 8}, {"dedupe", "url", 9}};
	pf_diags warnings = {0};
	pf_stage_cfg cfg = {"fuzz.xml", 7, "/", p, (size & 1) ? 2 : 1,
	    golden, 0, (size & 2) != 0, &warnings};
	pf_cands c = {0};
	pf_err err = {0};
	void *st = NULL;

	fuzz_file_set(&in, data, size);
	int rc = ops->open(&st, &cfg, &err);
	fuzz_say_err("rules", rc, &err);
	if (rc != PF_OK) {
		assert(st == NULL && err.code != PF_OK);
		return 0;
	}
	for (size_t q = 0; q < golden->nq; q++) {
		pf_query pq = {q, golden->qid[q], golden->text[q]};
		list(&c, q);
		pf_arena_reset(scratch);
		if (ops->process(st, &pq, &c, scratch, &err) == PF_OK)
			check(&c);
	}
	ops->close(st);
	pf_cands_free(&c);
	return 0;
}

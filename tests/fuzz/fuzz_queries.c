/*
 * tests/fuzz/fuzz_queries.c — a golden set's query list from any bytes,
 * read both ways (harness/load/golden.h): as queries.tsv (a header
 * qid<TAB>text[<TAB>dimension...], one query a line) and as BEIR-style
 * queries.jsonl, beside a small fixed qrels file. A set that loads is
 * checked as the replay reads it: every query findable by its qid, its
 * dimension values all set, its qrels topic the one of its qid.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/golden.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fuzz_file tsv, jsonl, qrels;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_one_thread();
	fuzz_file_open(&tsv, NULL);
	fuzz_file_open(&jsonl, "queries.jsonl");
	fuzz_file_open(&qrels, NULL);
	fuzz_file_puts(&qrels, "q1 0 d1 1\nq2 0 d2 2\n1 0 184 1\n"
	    "2 0 12 3\n");
	return 0;
}

static void
check(const pf_golden *g)
{
	assert(g->nq > 0);
	for (size_t i = 0; i < g->nq; i++) {
		assert(pf_golden_query(g, g->qid[i]) == (long)i);
		assert(g->topic[i] == pf_qrels_topic(g->qrels, g->qid[i],
		    strlen(g->qid[i])));
		for (size_t k = 0; k < g->ndims; k++)
			assert(g->dim[i * g->ndims + k] != NULL);
	}
	for (size_t k = 0; k < g->ndims; k++)
		assert(g->dim_name[k] != NULL);
}

static void
load(const char *queries)
{
	pf_golden_spec spec = {.source = "fuzz.xml", .line = 1,
	    .queries = queries, .qrels = qrels.path};
	pf_golden *g = NULL;
	pf_diags d = {0};

	int rc = pf_golden_load(&g, &spec, &d);

	fuzz_say_diags(queries, rc, &d);
	if (rc == PF_OK)
		check(g);
	else
		assert(g == NULL && d.n > 0);
	pf_golden_free(g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_file_set(&tsv, data, size);
	fuzz_file_set(&jsonl, data, size);
	load(tsv.path);
	load(jsonl.path);
	return 0;
}

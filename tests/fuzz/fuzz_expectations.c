/*
 * tests/fuzz/fuzz_expectations.c — expectations.tsv (qid<TAB>docid<TAB>
 * max_rank, hand-written must-hold checks; harness/load/golden.c) from any
 * bytes, loaded with a small fixed golden set. What loads is checked as
 * the gates read it: every expectation's query index is its qid's in the
 * golden set (-1 when unknown), its max_rank positive, its line in the
 * file.
 */
#include <assert.h>
#include <string.h>

#include "harness/load/golden.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fuzz_file in, queries, qrels;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_one_thread();
	fuzz_file_open(&in, NULL);
	fuzz_file_open(&queries, NULL);
	fuzz_file_open(&qrels, NULL);
	fuzz_file_puts(&queries, "qid\ttext\tlocale\n"
	    "q1\tjet engine noise\ten\nq2\twing flutter\tde\n");
	fuzz_file_puts(&qrels, "q1 0 d1 2\nq1 0 d2 1\nq2 0 d3 1\n");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_golden_spec spec = {.source = "fuzz.xml", .line = 1,
	    .queries = queries.path, .qrels = qrels.path,
	    .expectations = in.path};
	pf_golden *g = NULL;
	pf_diags d = {0};

	fuzz_file_set(&in, data, size);
	int rc = pf_golden_load(&g, &spec, &d);
	fuzz_say_diags("expectations", rc, &d);
	if (rc != PF_OK) {
		assert(g == NULL && d.n > 0);
		return 0;
	}
	for (size_t i = 0; i < g->nexp; i++) {
		assert(g->exp_query[i] == pf_golden_query(g, g->exp_qid[i]));
		assert(g->exp_doc[i] != NULL && g->exp_max[i] > 0);
		assert(g->exp_line[i] > 0);
	}
	pf_golden_free(g);
	return 0;
}

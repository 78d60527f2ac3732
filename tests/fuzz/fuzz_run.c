/*
 * tests/fuzz/fuzz_run.c — TREC run files (`qid Q0 docid rank score tag`)
 * from any bytes, through the reader `preflight eval` and `preflight
 * compare` use (pf_evalrun_file, harness/engine/eval.h), evaluated with
 * every trec_eval measure preflight implements against a small fixed
 * qrels (topics of the seed runs, a negative grade, a topic no seed run
 * has). The input's size picks the options: -c, -J, -M 5, and a tiny
 * chunk size that splits topics over chunks (the gather path).
 */
#include <assert.h>
#include <stdlib.h>

#include "harness/engine/eval.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Documents of the seed runs (results.test, the Cranfield BM25 run). */
static const char QRELS[] =
    "301 0 FR940202-2-00150 3\n"
    "301 0 FR940202-2-00151 0\n"
    "301 0 FR940203-1-00036 1\n"
    "301 0 FR940203-1-00038 -1\n"
    "301 0 FBIS3-27619 2\n"
    "302 0 FR940126-2-00101 1\n"
    "302 0 FR940126-2-00104 2\n"
    "303 0 FT941-17652 1\n"
    "1 0 184 4\n"
    "1 0 13 2\n"
    "1 0 51 1\n"
    "q 0 d 1\n"
    "2024-224960 0 msmarco_v2.1_doc_50_2286987788#13_3087841662 2\n"
    "2024-224960 0 m#1 1\n"
    "999 0 nowhere 1\n";

/* Every measure preflight knows, each with its default parameters. */
static const char *const MEASURES[] = {
	"official", "num_rel", "Rprec", "bpref", "relstring", "recall",
	"infAP", "ndcg", "ndcg_cut", "map_cut", "success", "ndcg_exp",
	"ndcg_exp_cut", "err", "judged", "ndcg.1=3,2=9", "P.1,2,3",
};

static fuzz_file in;
static pf_qrels *qrels;
static pf_te_spec *spec;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_file q;
	pf_err err = {0};

	(void)argc;
	(void)argv;
	fuzz_one_thread();
	fuzz_file_open(&in, NULL);
	fuzz_file_open(&q, NULL);
	fuzz_file_puts(&q, QRELS);
	if (pf_qrels_load(&qrels, q.path, PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err) != PF_OK || pf_te_spec_new(&spec) != PF_OK)
		abort();
	for (size_t i = 0; i < sizeof(MEASURES) / sizeof(*MEASURES); i++)
		if (pf_te_spec_add(spec, MEASURES[i], &err) != PF_OK)
			abort();
	if (pf_te_spec_finish(spec, &err) != PF_OK)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_evalrun *r = NULL;
	pf_te_opts te;
	pf_err err = {0};

	fuzz_file_set(&in, data, size);
	pf_te_opts_init(&te);
	te.judged_only = (size & 1) != 0;
	te.max_ret = (size & 2) ? 5 : -1;
	te.max_grade = pf_qrels_max_grade(qrels);
	pf_evalrun_opts o = {.spec = spec, .te = &te,
	    .complete = (size & 4) != 0, .chunk_bytes = (size & 8) ? 97 : 0};
	int rc = pf_evalrun_file(&r, qrels, in.path, &o, &err);

	fuzz_say_err("run", rc, &err);
	if (rc == PF_OK) {
		assert(r->ntopics == pf_qrels_ntopics(qrels));
		fuzz_touch(r->values, r->ntopics * r->nvalues *
		    sizeof(*r->values));
	} else
		assert(r == NULL && err.code != PF_OK);
	pf_evalrun_free(r);
	return 0;
}

/*
 * tests/fuzz/fuzz_qrels.c — TREC qrels (harness/load/qrels.h) from any
 * bytes: loaded strict (trec_eval's meaning), as the judgments of a golden
 * set (with annotators, the aggregate chosen by the input's size, and
 * their agreement computed: harness/load/label_quality.c), and as
 * `preflight validate` reads them (duplicates kept, every bad line into a
 * diags list). What a load accepts is then walked as the evaluator walks
 * it: every pair found again through its topic's table, the grades sorted
 * per topic.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/golden.h"
#include "harness/load/qrels.h"
#include "harness/util/strtab.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fuzz_file in;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_one_thread();
	fuzz_file_open(&in, NULL);
	return 0;
}

/* Every judged pair is found again, in its own topic, by its docid. */
static void
walk(const pf_qrels *q)
{
	int32_t *grades = NULL;
	size_t *off = NULL;

	for (size_t t = 0; t < pf_qrels_ntopics(q); t++) {
		const char *qid = pf_qrels_qid(q, t);
		pf_qrels_view v;

		assert(pf_qrels_topic(q, qid, strlen(qid)) == (long)t);
		pf_qrels_view_of(q, t, &v);
		for (size_t i = 0; i < pf_qrels_npairs(q, t); i++) {
			const pf_pair *p = pf_qrels_pair(q, t, i);
			uint64_t h = pf_hash_bytes(p->docid, p->docid_len);
			assert(pf_qrels_find(q, t, p->docid, p->docid_len,
			    h) == (long)i);
			assert(pf_qrels_view_find(&v, p->docid, p->docid_len,
			    h) == (long)i);
			for (uint32_t j = 0; j < p->nj; j++)
				assert(pf_qrels_judgment(q, p->j0 + j)->
				    annotator < pf_qrels_nannotators(q));
		}
	}
	if (pf_qrels_grades_desc(q, &grades, &off) == PF_OK) {
		size_t nt = pf_qrels_ntopics(q);
		for (size_t t = 0; t < nt; t++)
			for (size_t i = off[t] + 1; i < off[t + 1]; i++)
				assert(grades[i - 1] >= grades[i]);
	}
	free(grades);
	free(off);
	(void)pf_qrels_max_grade(q);
	for (size_t i = 0; i < pf_qrels_nduplicates(q); i++)
		(void)pf_qrels_duplicate(q, i)->line;
}

static void
load(const pf_qrels_opts *o)
{
	pf_qrels *q = NULL;
	pf_err err = {0};
	int rc = pf_qrels_load_opts(&q, in.path, o, &err);

	fuzz_say_err(o->diags ? "qrels (validate)" : "qrels", rc, &err);
	if (rc == PF_OK)
		walk(q);
	else
		assert(q == NULL && err.code != PF_OK);
	pf_qrels_free(q);
}

/* The qrels as a golden set's judgments: the queries are its topics. */
static void
golden(pf_agg agg)
{
	pf_golden_spec spec = {.source = "fuzz.xml", .line = 1,
	    .qrels = in.path, .agg = agg};
	pf_golden *g = NULL;
	pf_diags d = {0};
	int rc = pf_golden_load(&g, &spec, &d);

	fuzz_say_diags("golden", rc, &d);
	if (rc == PF_OK) {
		walk(g->qrels);
		assert(g->nq == pf_qrels_ntopics(g->qrels));
		for (size_t i = 0; i < g->nq; i++)
			assert(g->topic[i] == (long)i);
	} else
		assert(g == NULL && d.n > 0);
	pf_golden_free(g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_diags d = {0};

	fuzz_file_set(&in, data, size);
	load(&(pf_qrels_opts){PF_QRELS_STRICT, PF_AGG_MEDIAN, 0, NULL});
	golden((pf_agg)(size % 3));
	load(&(pf_qrels_opts){PF_QRELS_ANNOTATORS, PF_AGG_MEAN, 1, &d});
	return 0;
}

/*
 * tests/fuzz/fuzz_svmlight.c — LETOR / SVMlight candidate files
 * (harness/load/svmlight.h) from any bytes. An input without a NUL byte
 * is a file with qid: (MSLR, Yahoo, Istella); with one, the part before it
 * is LightGBM's data file and the part after its .query file of group
 * sizes. The input's size picks the options (feature ids from 1, from 0
 * or as the file says; the parsed doubles kept). What loads is checked against the
 * header's invariants: query offsets increasing to nrows, every row's
 * docid set, a remapped layout's ids ascending.
 *
 * A sparse file with large ids (hashed features) is stored remapped, one
 * column per id present (the finding in tests/fuzz/crashes/svmlight/,
 * now fixed: one id of 10^7 made a 20-byte file cost seconds and
 * gigabytes).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/svmlight.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fuzz_file in, qfile;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_one_thread();
	fuzz_file_open(&in, NULL);
	fuzz_file_open(&qfile, NULL);
	return 0;
}

static void
check(const pf_svm *s, const pf_svm_opts *o)
{
	(void)o;
	if (s->id != NULL) {	/* remapped: ascending ids, one per column */
		for (size_t j = 1; j < s->nf; j++)
			assert(s->id[j - 1] < s->id[j]);
	}	/* dense: its width bounded by the loader (2 d + slack); a
		   blowup is libFuzzer's rss_limit and timeout to find */
	assert(s->qoff[0] == 0 && s->qoff[s->nq] == s->nrows);
	for (size_t q = 0; q < s->nq; q++) {
		assert(s->qoff[q] <= s->qoff[q + 1]);
		assert(s->qid[q] != NULL);
	}
	for (size_t r = 0; r < s->nrows; r++)
		assert(s->docid[r] != NULL);
	fuzz_touch(s->grade, s->nrows * sizeof(*s->grade));
	fuzz_touch(s->x32, s->nrows * s->nf * sizeof(*s->x32));
	if (s->x64 != NULL)
		fuzz_touch(s->x64, s->nrows * s->nf * sizeof(*s->x64));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_svm *s = NULL;
	pf_err err = {0};

	int lgb = fuzz_split2(data, size, &in, &qfile);
	pf_svm_opts o = {.query_file = lgb ? qfile.path : NULL,
	    .feature_base = (int)(size % 3),	/* ONE, ZERO or AUTO */
	    .need_double = (size & 16) != 0};

	int rc = pf_svm_load(&s, in.path, &o, &err);

	fuzz_say_err(lgb ? "svmlight (.query)" : "svmlight", rc, &err);
	if (rc == PF_OK)
		check(s, &o);
	else
		assert(s == NULL && err.code != PF_OK);
	/* The parallel reader's promise: tiny chunks on 2 threads read the
	   same arrays, or fail with the same error at the same line. */
	pf_svm *t = NULL;
	pf_err err2 = {0};
	pf_svm_opts o2 = o;
	o2.threads = 2;
	o2.chunk_bytes = 1 + size % 61;
	assert(pf_svm_load(&t, in.path, &o2, &err2) == rc);
	assert(strcmp(err.where, err2.where) == 0);
	assert(strcmp(err.msg, err2.msg) == 0);
	if (rc == PF_OK) {
		size_t cells = s->nrows * s->nf;
		assert(t->nrows == s->nrows && t->nf == s->nf &&
		    t->base == s->base && t->nq == s->nq);
		assert((t->id == NULL) == (s->id == NULL));
		assert(s->id == NULL || memcmp(t->id, s->id, s->nf *
		    sizeof(*s->id)) == 0);
		assert(memcmp(t->x32, s->x32, cells * sizeof(float)) == 0);
		assert(s->x64 == NULL || memcmp(t->x64, s->x64, cells *
		    sizeof(double)) == 0);
		assert(memcmp(t->grade, s->grade, s->nrows *
		    sizeof(*s->grade)) == 0);
		assert(memcmp(t->qoff, s->qoff, (s->nq + 1) *
		    sizeof(*s->qoff)) == 0);
		for (size_t q = 0; q < s->nq; q++)
			assert(strcmp(t->qid[q], s->qid[q]) == 0);
		for (size_t r = 0; r < s->nrows; r++)
			assert(strcmp(t->docid[r], s->docid[r]) == 0);
	}
	pf_svm_free(t);
	pf_svm_free(s);
	return 0;
}

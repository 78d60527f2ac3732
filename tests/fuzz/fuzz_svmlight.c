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
	pf_svm_free(s);
	return 0;
}

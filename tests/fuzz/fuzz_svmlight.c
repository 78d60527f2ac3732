/*
 * tests/fuzz/fuzz_svmlight.c — LETOR / SVMlight candidate files
 * (harness/load/svmlight.h) from any bytes. An input without a NUL byte
 * is a file with qid: (MSLR, Yahoo, Istella); with one, the part before it
 * is LightGBM's data file and the part after its .query file of group
 * sizes. The input's size picks the options (base 1, or 2 for
 * one input in five; the parsed
 * doubles kept, a minimum width). What loads is checked against the
 * header's invariants: query offsets increasing to nrows, every row's
 * docid set.
 *
 * Known finding, not fixed here (svmlight.c is being changed on another
 * branch): the loader stores rows densely, as wide as the largest feature
 * id, so one id of 10^7 makes a 20-byte file cost seconds and gigabytes,
 * and 2147483647 asks malloc for 128 GiB (tests/fuzz/crashes/svmlight/).
 * Until the width is bounded, inputs naming an id above MAX_ID are
 * skipped, so the fuzzer looks for other things instead of finding that
 * again (and `make test` does not fail on it); PF_FUZZ_KNOWN=1 in the
 * environment lets them through.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/svmlight.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_ID = 1 << 14 };

static fuzz_file in, qfile;
static int known;	/* PF_FUZZ_KNOWN: no MAX_ID guard */

/* Whether some "N:" of data names a feature id above MAX_ID. */
static int
wide(const uint8_t *data, size_t size)
{
	unsigned long v = 0;
	int digits = 0;

	for (size_t i = 0; i < size; i++) {
		if (data[i] >= '0' && data[i] <= '9') {
			v = v > MAX_ID ? v : v * 10 + (data[i] - '0');
			digits = 1;
			continue;
		}
		if (data[i] == ':' && digits && v > MAX_ID)
			return 1;
		v = 0;
		digits = 0;
	}
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_one_thread();
	fuzz_file_open(&in, NULL);
	fuzz_file_open(&qfile, NULL);
	known = getenv("PF_FUZZ_KNOWN") != NULL;
	return 0;
}

static void
check(const pf_svm *s, const pf_svm_opts *o)
{
	assert(s->nf >= o->min_features);
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

	if (!known && wide(data, size))
		return 0;
	int lgb = fuzz_split2(data, size, &in, &qfile);
	pf_svm_opts o = {lgb ? qfile.path : NULL, 1 + (size % 5 == 0),
	    (size >> 1) & 3, (size & 16) != 0};

	int rc = pf_svm_load(&s, in.path, &o, &err);

	fuzz_say_err(lgb ? "svmlight (.query)" : "svmlight", rc, &err);
	if (rc == PF_OK)
		check(s, &o);
	else
		assert(s == NULL && err.code != PF_OK);
	pf_svm_free(s);
	return 0;
}

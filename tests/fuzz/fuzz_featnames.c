/*
 * tests/fuzz/fuzz_featnames.c — a feature names file (harness/load/
 * featnames.h, <candidates names="features.tsv"/>, probe --names) from any
 * bytes. What loads is checked against the loader's promises: at least
 * one name; ids ascending, unique and in 0 .. 2^31 - 1; every name
 * non-empty, without NUL, without leading or trailing whitespace, and
 * unique; each found again by its id (pf_fnames_get) and by its name
 * (pf_fnames_id); the query mark 0 or 1; a line number on each. Then the
 * table is compared with itself and with a shifted copy
 * (pf_fnames_disagree), as the replay compares a model's names with the
 * data's.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/featnames.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fuzz_file in;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_open(&in, NULL);
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

static void
check(const pf_fnames *t)
{
	long ids[4];

	assert(t->n > 0);
	for (size_t i = 0; i < t->n; i++) {
		const char *nm = t->name[i];
		size_t len = strlen(nm);
		assert(t->id[i] >= 0 && t->id[i] <= 2147483647L);
		assert(i == 0 || t->id[i - 1] < t->id[i]);
		assert(len > 0 && !is_space(nm[0]) && !is_space(nm[len - 1]));
		assert(t->query[i] <= 1 && t->line[i] > 0);
		assert(pf_fnames_find(t, t->id[i]) == (long)i);
		assert(pf_fnames_get(t, t->id[i]) == nm);
		assert(pf_fnames_id(t, nm) == t->id[i]);	/* unique */
	}
	assert(pf_fnames_disagree(t, t, ids, 4) == 0);
	if (t->n < 64) {	/* every id named otherwise by a shifted copy */
		pf_fnames *s = pf_fnames_new("shifted");
		assert(s != NULL);
		for (size_t i = 0; i < t->n; i++)
			assert(pf_fnames_add(s, t->id[i], t->name[(i + 1) %
			    t->n], strlen(t->name[(i + 1) % t->n]), 0, 0) == 0);
		assert(pf_fnames_sort(s) == 0);
		assert(pf_fnames_disagree(t, s, ids, 4) ==
		    (t->n == 1 ? 0 : t->n));
		pf_fnames_free(s);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_fnames *t = NULL;
	pf_err err = {0};

	fuzz_file_set(&in, data, size);
	int rc = pf_featnames_load(&t, in.path, &err);
	fuzz_say_err("featnames", rc, &err);
	if (rc == PF_OK)
		check(t);
	else
		assert(t == NULL && err.code != PF_OK);
	pf_fnames_free(t);
	return 0;
}

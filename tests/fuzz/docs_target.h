/*
 * tests/fuzz/docs_target.h — the body of fuzz_docs_tsv.c and
 * fuzz_docs_jsonl.c: a corpus file (harness/load/corpus.h) from any bytes,
 * named DOCS_NAME, since the loader picks the format by the extension.
 * What loads is checked as the text stages read it: one document per
 * interned docid, titles and bodies set, and every document field listed
 * through pf_corpus_field (what rules' dedupe= reads).
 */
#ifndef PF_TESTS_FUZZ_DOCS_TARGET_H
#define PF_TESTS_FUZZ_DOCS_TARGET_H

#include <assert.h>
#include <stdlib.h>

#include "harness/load/corpus.h"
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
	fuzz_file_open(&in, DOCS_NAME);
	return 0;
}

static void
check(const pf_corpus *c, const pf_strtab *docs)
{
	size_t nf = c->fnames != NULL ? pf_strtab_count(c->fnames) : 0;

	assert(c->n == pf_strtab_count(docs));
	for (size_t i = 0; i < c->n; i++)
		assert(c->title[i] != NULL && c->body[i] != NULL);
	for (size_t i = 0; i < c->nfv; i++)
		assert(c->fv_doc[i] < c->n && c->fv_name[i] < nf &&
		    c->fv_val[i] != NULL);
	for (size_t k = 0; k < nf; k++) {
		int nomem = 0;
		const char **v = pf_corpus_field(c,
		    pf_strtab_str(c->fnames, k), &nomem);
		assert(v != NULL || nomem);
		fuzz_touch(v, c->n * sizeof(*v));
		free(v);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_corpus c = {0};
	pf_strtab *docs = pf_strtab_new();
	pf_diags d = {0};

	if (docs == NULL)
		abort();
	fuzz_file_set(&in, data, size);
	int rc = pf_corpus_load(&c, in.path, docs, &d);
	fuzz_say_diags(DOCS_NAME, rc == 0 && d.n == 0 ? PF_OK : PF_EFORMAT,
	    &d);
	if (rc == 0 && d.n == 0)
		check(&c, docs);
	pf_corpus_clear(&c);
	pf_strtab_free(docs);
	return 0;
}

#endif /* PF_TESTS_FUZZ_DOCS_TARGET_H */

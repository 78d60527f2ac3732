/*
 * test_corpus.c — the corpus loaders (harness/load/corpus.h): docs.jsonl fields
 * (flattened metadata), docs.tsv with a header of extra columns, empty
 * documents counted, errors at path:line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/corpus.h"
#include "harness/util/strtab.h"

static pf_golden *
golden(void)
{
	pf_golden *g = calloc(1, sizeof(*g));

	cr_assert_not_null(g);
	g->docs = pf_strtab_new();
	g->qids = pf_strtab_new();
	return g;
}

static char *
tmpfile_with(const char *suffix, const char *text)
{
	static char path[64];
	char dir[] = "/tmp/pf_corpusXXXXXX";
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/docs%s", dir, suffix);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	return path;
}

Test(corpus, jsonl_fixture_docs_and_fields)
{
	pf_golden *g = golden();
	pf_diags *d = calloc(1, sizeof(*d));
	int nomem;

	cr_assert_eq(pf_corpus_load(g, FIXTURES "/text/docs.jsonl", d), 0);
	cr_assert_eq(d->n, 0, "%s", d->msg[0]);
	cr_assert_eq(g->ncorpus, 6);
	cr_assert_str_eq(pf_golden_docid(g, 2), "d3");
	cr_assert_str_eq(g->title[2], "CAF\xC3\x89 \xC3\x89lan");
	cr_assert_str_eq(g->title[3], "");	/* no "title" */
	cr_assert_eq(g->nempty_docs, 1);	/* d5 */
	const char **url = pf_corpus_field(g, "metadata.url", &nomem);
	cr_assert_not_null(url);
	cr_assert_str_eq(url[0], "http://a/1");
	cr_assert_str_eq(url[1], "http://a/1");
	cr_assert_null(url[2]);
	cr_assert_str_eq(url[3], "http://c/4");
	free(url);
	const char **site = pf_corpus_field(g, "site", &nomem);
	cr_assert_not_null(site);
	cr_assert_str_eq(site[2], "b");
	free(site);
	/* numbers are not fields; unknown names give NULL */
	cr_assert_null(pf_corpus_field(g, "metadata.year", &nomem));
	cr_assert_null(pf_corpus_field(g, "nope", &nomem));
	cr_assert_eq(nomem, 0);
	pf_golden_free(g);
	free(d);
}

Test(corpus, tsv_header_names_extra_columns)
{
	pf_golden *g = golden();
	pf_diags *d = calloc(1, sizeof(*d));
	int nomem;
	char *p = tmpfile_with(".tsv", "docid\ttitle\tbody\turl\n"
	    "a\tT\tB\thttp://x\nb\t\t \t\nc\tx\ty\thttp://x\n");

	cr_assert_eq(pf_corpus_load(g, p, d), 0);
	cr_assert_eq(d->n, 0, "%s", d->msg[0]);
	cr_assert_eq(g->ncorpus, 3);
	cr_assert_eq(g->nempty_docs, 1);
	const char **url = pf_corpus_field(g, "url", &nomem);
	cr_assert_not_null(url);
	cr_assert_str_eq(url[0], "http://x");
	cr_assert_null(url[1]);			/* empty cell: no value */
	cr_assert_str_eq(url[2], "http://x");
	free(url);
	unlink(p);
	rmdir(dirname(p));
	pf_golden_free(g);
	free(d);
}

Test(corpus, tsv_errors_have_lines)
{
	pf_golden *g = golden();
	pf_diags *d = calloc(1, sizeof(*d));
	char *p = tmpfile_with(".tsv", "a\tT\tB\nb\tonly two\na\tT\tB\n"
	    "\tT\tB\nc\tT\tB\textra\n");
	char want[5][128];

	cr_assert_eq(pf_corpus_load(g, p, d), 0);
	snprintf(want[0], 128, "%s:2: expected docid<TAB>title<TAB>body", p);
	snprintf(want[1], 128, "%s:3: duplicate docid 'a'", p);
	snprintf(want[2], 128, "%s:4: expected docid<TAB>title<TAB>body", p);
	snprintf(want[3], 128, "%s:5: expected docid<TAB>title<TAB>body", p);
	cr_assert_eq(d->n, 4);
	for (int i = 0; i < 4; i++)
		cr_assert_str_eq(d->msg[i], want[i]);
	cr_assert_eq(g->ncorpus, 1);
	unlink(p);
	rmdir(dirname(p));
	pf_golden_free(g);
	free(d);
}

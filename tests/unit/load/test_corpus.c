/*
 * test_corpus.c — the corpus loaders (harness/load/corpus.h): docs.jsonl fields
 * (flattened metadata), docs.tsv with a header of extra columns, docids
 * interned in file order, empty documents (text/analyzer's pf_text_empty),
 * errors at path:line, queries.jsonl through a sink.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/corpus.h"
#include "harness/text/analyzer.h"
#include "harness/util/strtab.h"

/* Documents with no token in title or body, as `preflight run` counts. */
static size_t
nempty(const pf_corpus *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += pf_text_empty(c->title[i]) && pf_text_empty(c->body[i]);
	return n;
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
	pf_corpus c = {0}, *g = &c;
	pf_strtab *docs = pf_strtab_new();
	pf_diags *d = calloc(1, sizeof(*d));
	int nomem;

	cr_assert_eq(pf_corpus_load(g, FIXTURES "/text/docs.jsonl", docs, d),
	    0);
	cr_assert_eq(d->n, 0, "%s", d->msg[0]);
	cr_assert_eq(g->n, 6);
	cr_assert_eq(pf_strtab_count(docs), 6);
	cr_assert_str_eq(pf_strtab_str(docs, 2), "d3");
	cr_assert_str_eq(g->title[2], "CAF\xC3\x89 \xC3\x89lan");
	cr_assert_str_eq(g->title[3], "");	/* no "title" */
	cr_assert_eq(nempty(g), 1);	/* d5 */
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
	pf_corpus_clear(g);
	pf_strtab_free(docs);
	free(d);
}

Test(corpus, tsv_header_names_extra_columns)
{
	pf_corpus c = {0}, *g = &c;
	pf_strtab *docs = pf_strtab_new();
	pf_diags *d = calloc(1, sizeof(*d));
	int nomem;
	char *p = tmpfile_with(".tsv", "docid\ttitle\tbody\turl\n"
	    "a\tT\tB\thttp://x\nb\t\t \t\nc\tx\ty\thttp://x\n");

	cr_assert_eq(pf_corpus_load(g, p, docs, d), 0);
	cr_assert_eq(d->n, 0, "%s", d->msg[0]);
	cr_assert_eq(g->n, 3);
	cr_assert_eq(nempty(g), 1);
	const char **url = pf_corpus_field(g, "url", &nomem);
	cr_assert_not_null(url);
	cr_assert_str_eq(url[0], "http://x");
	cr_assert_null(url[1]);			/* empty cell: no value */
	cr_assert_str_eq(url[2], "http://x");
	free(url);
	unlink(p);
	rmdir(dirname(p));
	pf_corpus_clear(g);
	pf_strtab_free(docs);
	free(d);
}

Test(corpus, tsv_errors_have_lines)
{
	pf_corpus c = {0}, *g = &c;
	pf_strtab *docs = pf_strtab_new();
	pf_diags *d = calloc(1, sizeof(*d));
	char *p = tmpfile_with(".tsv", "a\tT\tB\nb\tonly two\na\tT\tB\n"
	    "\tT\tB\nc\tT\tB\textra\n");
	char want[5][128];

	cr_assert_eq(pf_corpus_load(g, p, docs, d), 0);
	snprintf(want[0], 128, "%s:2: expected docid<TAB>title<TAB>body", p);
	snprintf(want[1], 128, "%s:3: duplicate docid 'a'", p);
	snprintf(want[2], 128, "%s:4: expected docid<TAB>title<TAB>body", p);
	snprintf(want[3], 128, "%s:5: expected docid<TAB>title<TAB>body", p);
	cr_assert_eq(d->n, 4);
	for (int i = 0; i < 4; i++)
		cr_assert_str_eq(d->msg[i], want[i]);
	cr_assert_eq(g->n, 1);
	unlink(p);
	rmdir(dirname(p));
	pf_corpus_clear(g);
	pf_strtab_free(docs);
	free(d);
}

/* A sink that keeps qids and refuses a repeated one, as the golden set's. */
struct qlist {
	char	qid[8][16], text[8][32];
	long	line[8];
	size_t	n;
};

static int
take(void *ctx, const char *qid, size_t len, const char *text, size_t tlen,
    long line)
{
	struct qlist *l = ctx;

	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->qid[i]) == len && !memcmp(l->qid[i], qid, len))
			return 1;
	snprintf(l->qid[l->n], 16, "%.*s", (int)len, qid);
	snprintf(l->text[l->n], 32, "%.*s", (int)tlen, text);
	l->line[l->n++] = line;
	return 0;
}

Test(corpus, queries_jsonl_go_to_the_sink_duplicates_at_their_line)
{
	struct qlist l = {0};
	pf_diags *d = calloc(1, sizeof(*d));
	char *p = tmpfile_with(".jsonl", "{\"_id\": \"q1\", \"text\": \"a b\"}\n"
	    "\n{\"_id\": \"q2\", \"text\": \"c\"}\n"
	    "{\"_id\": \"q1\", \"text\": \"again\"}\n{\"_id\": \"q3\"}\n");
	char want[2][128];

	cr_assert_eq(pf_queries_load_jsonl(p, take, &l, d), 0);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.qid[1], "q2");
	cr_assert_str_eq(l.text[0], "a b");
	cr_assert_eq(l.line[1], 3);
	snprintf(want[0], 128, "%s:4: duplicate \"_id\" 'q1'", p);
	snprintf(want[1], 128, "%s:5: missing \"text\"", p);
	cr_assert_eq(d->n, 2);
	cr_assert_str_eq(d->msg[0], want[0]);
	cr_assert_str_eq(d->msg[1], want[1]);
	unlink(p);
	rmdir(dirname(p));
	free(d);
}

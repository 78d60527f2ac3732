/*
 * test_qrels.c — the qrels loader: grouping, lookup, aggregation of several
 * annotators, and every refusal with path:line; with pf_qrels_load_opts,
 * duplicates kept and listed, and every malformed line in the diags.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/qrels.h"
#include "harness/util/strtab.h"

static char *
write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/pf_qrels_%d.txt", (int)getpid());
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static long
find(const pf_qrels *q, const char *qid, const char *doc)
{
	long t = pf_qrels_topic(q, qid, strlen(qid));
	cr_assert_geq(t, 0);
	return pf_qrels_find(q, (size_t)t, doc, strlen(doc),
	    pf_hash_bytes(doc, strlen(doc)));
}

Test(qrels, groups_topics_and_finds_documents)
{
	pf_qrels *q;
	pf_err err = {0};
	char *p = write_tmp("# comment\n1 0 a 2\n2 0 a 1\r\n\n1 0 b -1\n1 0 c 0");

	cr_assert_eq(pf_qrels_load(&q, p, PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err), PF_OK, "%s: %s", err.where, err.msg);
	cr_assert_eq(pf_qrels_ntopics(q), 2);
	cr_assert_str_eq(pf_qrels_qid(q, 0), "1");
	cr_assert_eq(pf_qrels_npairs(q, 0), 3);
	long k = find(q, "1", "b");
	cr_assert_eq(k, 1);
	cr_assert_eq(pf_qrels_pair(q, 0, (size_t)k)->grade_int, -1);
	cr_assert_eq(find(q, "1", "zz"), -1);
	cr_assert_eq(find(q, "2", "b"), -1);
	cr_assert_eq(pf_qrels_max_grade(q), 2);
	pf_qrels_free(q);
	unlink(p);
}

Test(qrels, fractional_grade_is_refused_with_path_and_line)
{
	pf_qrels *q;
	pf_err err = {0};
	char *p = write_tmp("1 0 a 2\n1 0 b 1.7\n");
	char want[128];

	cr_assert_eq(pf_qrels_load(&q, p, PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err), PF_EFORMAT);
	cr_assert_null(q);
	snprintf(want, sizeof(want), "%s:2", p);
	cr_assert_str_eq(err.where, want);
	cr_assert(strstr(err.msg, "not an integer") != NULL, "%s", err.msg);
	unlink(p);
}

Test(qrels, wrong_field_count_is_refused)
{
	pf_qrels *q;
	pf_err err = {0};
	char *p = write_tmp("1 0 a 2 extra\n");

	cr_assert_eq(pf_qrels_load(&q, p, PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "expected 4 fields") != NULL, "%s", err.msg);
	unlink(p);
}

Test(qrels, duplicate_pair_names_both_lines_in_strict_mode)
{
	pf_qrels *q;
	pf_err err = {0};
	char *p = write_tmp("1 0 a 2\n1 0 b 0\n1 7 a 1\n");
	char want[128];

	cr_assert_eq(pf_qrels_load(&q, p, PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err), PF_EFORMAT);
	snprintf(want, sizeof(want), "%s:3", p);
	cr_assert_str_eq(err.where, want);
	cr_assert(strstr(err.msg, "first at line 1") != NULL, "%s", err.msg);
	unlink(p);
}

Test(qrels, annotators_are_kept_and_aggregated)
{
	pf_err err = {0};
	char *p = write_tmp("1 ann1 a 3\n1 ann2 a 1\n1 ann3 a 1\n1 ann4 a 2\n"
	    "1 ann1 b 2\n1 ann2 b 3\n");
	pf_qrels *q;

	cr_assert_eq(pf_qrels_load(&q, p, PF_QRELS_ANNOTATORS, PF_AGG_MEDIAN,
	    &err), PF_OK, "%s", err.msg);
	cr_assert_eq(pf_qrels_nannotators(q), 4);
	const pf_pair *a = pf_qrels_pair(q, 0, 0);
	cr_assert_eq(a->nj, 4);
	cr_assert_eq(a->grade_int, 1);	/* lower median of 1 1 2 3 */
	cr_assert_eq(pf_qrels_pair(q, 0, 1)->grade_int, 2);
	pf_qrels_free(q);

	cr_assert_eq(pf_qrels_load(&q, p, PF_QRELS_ANNOTATORS, PF_AGG_MEAN,
	    &err), PF_OK);
	cr_assert_float_eq(pf_qrels_pair(q, 0, 0)->grade, 1.75, 1e-12);
	cr_assert_eq(pf_qrels_pair(q, 0, 0)->grade_int, 2);
	cr_assert_eq(pf_qrels_pair(q, 0, 1)->grade_int, 3);	/* 2.5 -> 3 */
	pf_qrels_free(q);

	cr_assert_eq(pf_qrels_load(&q, p, PF_QRELS_ANNOTATORS, PF_AGG_MAJORITY,
	    &err), PF_OK);
	cr_assert_eq(pf_qrels_pair(q, 0, 0)->grade_int, 1);
	cr_assert_eq(pf_qrels_pair(q, 0, 1)->grade_int, 2);	/* tie: lower */
	pf_qrels_free(q);
	unlink(p);
}

Test(qrels, same_annotator_twice_is_refused)
{
	pf_qrels *q;
	pf_err err = {0};
	char *p = write_tmp("1 ann1 a 3\n1 ann1 a 1\n");

	cr_assert_eq(pf_qrels_load(&q, p, PF_QRELS_ANNOTATORS, PF_AGG_MEDIAN,
	    &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "same annotator") != NULL, "%s", err.msg);
	unlink(p);
}

Test(qrels, missing_file_is_an_io_error)
{
	pf_qrels *q;
	pf_err err = {0};
	cr_assert_eq(pf_qrels_load(&q, "/nonexistent/q.txt", PF_QRELS_STRICT,
	    PF_AGG_MEDIAN, &err), PF_EIO);
	cr_assert_str_eq(err.where, "/nonexistent/q.txt");
}

/*
 * The per-topic tables under load: every judged document of a large topic
 * is found at its first-seen index (directly and through a topic view),
 * and none of as many unjudged ones is, whatever their slot tags share.
 */
Test(qrels, large_topic_finds_every_document_and_no_other)
{
	enum { N = 5000 };
	static char text[N * 24];
	size_t o = 0;
	pf_qrels *q;
	pf_err err = {0};

	for (int i = 0; i < N; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o,
		    "7 0 doc%d %d\n", i * 7919 % 100003, i % 4);
	char *p = write_tmp(text);
	cr_assert_eq(pf_qrels_load(&q, p, PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err), PF_OK, "%s: %s", err.where, err.msg);
	cr_assert_eq(pf_qrels_npairs(q, 0), N);
	pf_qrels_view v;
	pf_qrels_view_of(q, 0, &v);
	for (int i = 0; i < N; i++) {
		char d[32], u[32];
		snprintf(d, sizeof(d), "doc%d", i * 7919 % 100003);
		snprintf(u, sizeof(u), "doc%d", 100003 + i);
		cr_assert_eq(find(q, "7", d), i, "%s", d);
		cr_assert_eq(pf_qrels_view_find(&v, d, strlen(d),
		    pf_hash_bytes(d, strlen(d))), i);
		cr_assert_eq(pf_qrels_pair(q, 0, (size_t)i)->grade_int, i % 4);
		cr_assert_eq(find(q, "7", u), -1, "%s", u);
	}
	pf_qrels_free(q);
	unlink(p);
}

/* --- pf_qrels_load_opts: duplicates kept and listed, every bad line --- */

static pf_qrels *
load_opts(const char *p, int mode, int keep, pf_diags *d, pf_err *err,
    int want)
{
	pf_qrels_opts o = {.mode = mode, .agg = PF_AGG_MEDIAN,
	    .keep_duplicates = keep, .diags = d};
	pf_qrels *q = (pf_qrels *)1;

	cr_assert_eq(pf_qrels_load_opts(&q, p, &o, err), want, "%s: %s",
	    err->where, err->msg);
	if (want != PF_OK)
		cr_assert_null(q);
	return q;
}

/* Duplicate i is (line, first_line, qid, annotator, docid, grade). */
static void
assert_dup(const pf_qrels *q, size_t i, uint32_t line, uint32_t first,
    const char *qid, const char *ann, const char *doc, int32_t grade)
{
	const pf_qrels_dup *d = pf_qrels_duplicate(q, i);

	cr_assert_eq(d->line, line, "dup %zu: line %u", i, d->line);
	cr_assert_eq(d->first_line, first, "dup %zu: first %u", i,
	    d->first_line);
	cr_assert_str_eq(pf_qrels_qid(q, d->topic), qid);
	cr_assert_str_eq(pf_qrels_annotator(q, d->annotator), ann);
	cr_assert_str_eq(pf_qrels_pair(q, d->topic, d->pair)->docid, doc);
	cr_assert_eq(d->grade, grade);
}

/*
 * A temporary qrels file of n lines, line i (0-based) written by line(i,
 * buf, size). The tests use it for files over 1 MiB, which are parsed in
 * chunks by several threads.
 */
static char *
write_lines(int n, void (*line)(int i, char *buf, size_t size))
{
	size_t cap = (size_t)n * 32 + 1, o = 0;
	char *text = malloc(cap), *p;

	cr_assert_not_null(text);
	text[0] = '\0';
	for (int i = 0; i < n; i++) {
		line(i, text + o, cap - o);
		o += strlen(text + o);
	}
	cr_assert_gt(o, (size_t)1 << 20);
	p = write_tmp(text);
	free(text);
	return p;
}

Test(qrels, keep_duplicates_lists_every_one_with_its_line)
{
	pf_err err = {0};
	char *p = write_tmp("# three annotators\n"
	    "1 a d1 2\n1 b d1 1\n1 a d1 0\n2 a d1 3\n"	/* lines 2-5 */
	    "1 a d1 3\n2 a d1 1\n\n1 b d2 1\n1 b d1 2\n");	/* 6-10 */
	pf_qrels *q = load_opts(p, PF_QRELS_ANNOTATORS, 1, NULL, &err, PF_OK);

	cr_assert_eq(pf_qrels_nduplicates(q), 4);
	assert_dup(q, 0, 4, 2, "1", "a", "d1", 0);
	assert_dup(q, 1, 6, 2, "1", "a", "d1", 3);
	assert_dup(q, 2, 7, 5, "2", "a", "d1", 1);
	assert_dup(q, 3, 10, 3, "1", "b", "d1", 2);
	/* the duplicates are in no pair: (1, d1) is lines 2 and 3 */
	const pf_pair *a = pf_qrels_pair(q, 0, 0);
	cr_assert_eq(a->nj, 2);
	cr_assert_eq(pf_qrels_judgment(q, a->j0)->line, 2);
	cr_assert_eq(pf_qrels_judgment(q, a->j0 + 1)->line, 3);
	cr_assert_eq(a->grade_int, 1);		/* lower median of 1 2 */
	cr_assert_eq(pf_qrels_pair(q, 1, 0)->grade_int, 3);
	cr_assert_eq(pf_qrels_max_grade(q), 3);
	pf_qrels_free(q);
	unlink(p);
}

Test(qrels, keep_duplicates_in_strict_mode_means_same_pair)
{
	pf_err err = {0};
	char *p = write_tmp("1 0 a 2\n1 0 b 0\n1 7 a 1\n");
	pf_qrels *q = load_opts(p, PF_QRELS_STRICT, 1, NULL, &err, PF_OK);

	cr_assert_eq(pf_qrels_nduplicates(q), 1);
	assert_dup(q, 0, 3, 1, "1", "7", "a", 1);
	cr_assert_eq(pf_qrels_pair(q, 0, 0)->nj, 1);
	cr_assert_eq(pf_qrels_pair(q, 0, 0)->grade_int, 2);
	pf_qrels_free(q);
	unlink(p);
}

/* Every 997th line repeats the one 500 lines up, with grade 9. */
static void
dup_every_997(int i, char *buf, size_t size)
{
	int k = i % 997 == 996 ? i - 500 : i;

	snprintf(buf, size, "t%d a%d d%d %d\n", k % 37, k % 3, k,
	    k == i ? i % 4 : 9);
}

/*
 * In a file parsed in chunks by several threads and built topic by topic,
 * the duplicates still come in file order, each with the line it repeats.
 */
Test(qrels, keep_duplicates_of_a_large_file_are_in_file_order)
{
	enum { N = 90000 };
	char *p = write_lines(N, dup_every_997);
	size_t ndup = N / 997;
	pf_err err = {0};
	pf_qrels *q = load_opts(p, PF_QRELS_ANNOTATORS, 1, NULL, &err, PF_OK);

	cr_assert_eq(pf_qrels_nduplicates(q), ndup);
	for (size_t i = 0; i < ndup; i++) {
		const pf_qrels_dup *d = pf_qrels_duplicate(q, i);
		cr_assert_eq(d->line, 997 * (i + 1), "%zu: %u", i, d->line);
		cr_assert_eq(d->first_line, d->line - 500);
		cr_assert_eq(d->grade, 9);
	}
	cr_assert_eq(pf_qrels_max_grade(q), 3);
	pf_qrels_free(q);
	unlink(p);
}

/* Everything a caller can read of a and b is the same. */
static void
assert_same_qrels(const pf_qrels *a, const pf_qrels *b)
{
	cr_assert_eq(pf_qrels_ntopics(a), pf_qrels_ntopics(b));
	cr_assert_eq(pf_qrels_nannotators(a), pf_qrels_nannotators(b));
	cr_assert_eq(pf_qrels_max_grade(a), pf_qrels_max_grade(b));
	for (size_t k = 0; k < pf_qrels_nannotators(a); k++)
		cr_assert_str_eq(pf_qrels_annotator(a, k),
		    pf_qrels_annotator(b, k));
	for (size_t t = 0; t < pf_qrels_ntopics(a); t++) {
		cr_assert_str_eq(pf_qrels_qid(a, t), pf_qrels_qid(b, t));
		cr_assert_eq(pf_qrels_npairs(a, t), pf_qrels_npairs(b, t));
		for (size_t i = 0; i < pf_qrels_npairs(a, t); i++) {
			const pf_pair *x = pf_qrels_pair(a, t, i);
			const pf_pair *y = pf_qrels_pair(b, t, i);
			cr_assert_str_eq(x->docid, y->docid);
			cr_assert_eq(x->grade_int, y->grade_int);
			cr_assert_eq(x->grade, y->grade);
			cr_assert_eq(x->j0, y->j0);
			cr_assert_eq(x->nj, y->nj);
			for (uint32_t j = 0; j < x->nj; j++)
				cr_assert_eq(memcmp(pf_qrels_judgment(a,
				    x->j0 + j), pf_qrels_judgment(b, y->j0 + j),
				    sizeof(pf_judgment)), 0);
		}
	}
}

/* Four annotators, grades -1..3, no (qid, annotator, docid) twice. */
static void
no_dup_line(int i, char *buf, size_t size)
{
	snprintf(buf, size, "%sq%d r%d d%d %d\r\n", i == 0 ? "# c\n\n" : "",
	    i * 7 % 101, i % 4, i / 4 % 5000, i * 13 % 5 - 1);
}

Test(qrels, without_duplicates_the_options_give_the_default_table)
{
	char *p = write_lines(120000, no_dup_line);
	pf_err err = {0};
	pf_diags *d = calloc(1, sizeof(*d));

	for (int keep = 0; keep < 2; keep++) {
		pf_qrels *a, *b;
		cr_assert_eq(pf_qrels_load(&a, p, PF_QRELS_ANNOTATORS,
		    PF_AGG_MEDIAN, &err), PF_OK, "%s", err.msg);
		b = load_opts(p, PF_QRELS_ANNOTATORS, keep, keep ? d : NULL,
		    &err, PF_OK);
		assert_same_qrels(a, b);
		cr_assert_eq(pf_qrels_nduplicates(b), 0);
		pf_qrels_free(a);
		pf_qrels_free(b);
	}
	cr_assert_eq(d->n + d->dropped, 0);
	free(d);
	unlink(p);
}

Test(qrels, keep_duplicates_still_refuses_a_malformed_line_with_path_and_line)
{
	pf_err err = {0};
	char *p = write_tmp("1 a d1 2\n1 a d1 2\n1 a d2\n1 b d3 x\n");
	char want[128];

	load_opts(p, PF_QRELS_ANNOTATORS, 1, NULL, &err, PF_EFORMAT);
	snprintf(want, sizeof(want), "%s:3", p);
	cr_assert_str_eq(err.where, want);
	cr_assert_str_eq(err.msg, "expected 4 fields (qid annotator docid "
	    "grade), got 3");
	unlink(p);
}

Test(qrels, diags_get_every_malformed_line_in_file_order)
{
	pf_err err = {0};
	pf_diags *d = calloc(1, sizeof(*d));
	char *p = write_tmp("1 a d1 2\n1 a d2\n1 a d1 2\n1 b d3 1.5\n"
	    "\n1 b d4 2 extra\n");
	char want[3][256];

	load_opts(p, PF_QRELS_ANNOTATORS, 1, d, &err, PF_EFORMAT);
	snprintf(want[0], sizeof(want[0]), "%s:2", p);
	cr_assert_str_eq(err.where, want[0]);
	snprintf(want[0], sizeof(want[0]), "%s:2: expected 4 fields (qid "
	    "annotator docid grade), got 3", p);
	snprintf(want[1], sizeof(want[1]), "%s:4: grade '1.5' is not an "
	    "integer", p);
	snprintf(want[2], sizeof(want[2]), "%s:6: expected 4 fields (qid "
	    "annotator docid grade), got 5", p);
	cr_assert_eq(d->n, 3);
	cr_assert_eq(d->dropped, 0);
	for (int i = 0; i < 3; i++)
		cr_assert_str_eq(d->msg[i], want[i]);
	free(d);
	unlink(p);
}

/* Every 1000th line lacks its grade. */
static void
bad_every_1000(int i, char *buf, size_t size)
{
	snprintf(buf, size, i % 1000 == 999 ? "q%d a d%d\n" : "q%d a d%d 1\n",
	    i % 50, i);
}

/* More bad lines than the diags keep, over several parse chunks. */
Test(qrels, diags_count_malformed_lines_beyond_their_cap)
{
	enum { N = 100000 };
	char *p = write_lines(N, bad_every_1000);
	pf_err err = {0};
	pf_diags *d = calloc(1, sizeof(*d));
	char want[256];

	load_opts(p, PF_QRELS_ANNOTATORS, 1, d, &err, PF_EFORMAT);
	cr_assert_eq(d->n, PF_DIAGS_MAX);
	cr_assert_eq(d->n + d->dropped, N / 1000);
	for (size_t i = 0; i < d->n; i++) {
		snprintf(want, sizeof(want), "%s:%zu: expected 4 fields (qid "
		    "annotator docid grade), got 3", p, 1000 * (i + 1));
		cr_assert_str_eq(d->msg[i], want);
	}
	free(d);
	unlink(p);
}

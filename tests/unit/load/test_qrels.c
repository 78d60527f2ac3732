/*
 * test_qrels.c — the qrels loader: grouping, lookup, aggregation of several
 * annotators, and every refusal with path:line.
 */
#include <stdio.h>
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

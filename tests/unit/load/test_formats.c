/*
 * test_formats.c — qrels and runs in other tools' formats (formats.h):
 * ranx / ir_measures JSON qrels and BEIR's qrels TSV load to the same
 * judgments as their TREC twins; a JSON run becomes TREC text that reads
 * back to the same scores; each bad input is refused naming the file and
 * what is wrong (the line, or the query and document).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/formats.h"
#include "harness/load/qrels.h"

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/pf_test_formats_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(formats, .init = setup, .fini = teardown);

/* dir/name holding text; the path in one of two static buffers. */
static const char *
put(const char *name, const char *text)
{
	static char path[2][128];
	static int k;
	char *p = path[k++ & 1];
	FILE *f;

	snprintf(p, 128, "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(p, "wb"));
	fputs(text, f);
	fclose(f);
	return p;
}

/* A TREC-style qrels file and its judgments. */
static const char trec_qrels[] =
    "q1 0 d1 2\nq1 0 d2 0\nq1 0 d9 -1\nq2 0 d3 1\nq2 0 d1 3\n";

/* Whether a and b hold the same topics, documents and grades. */
static void
same_qrels(const pf_qrels *a, const pf_qrels *b)
{
	cr_assert_eq(pf_qrels_ntopics(a), pf_qrels_ntopics(b));
	for (size_t t = 0; t < pf_qrels_ntopics(a); t++) {
		const char *qid = pf_qrels_qid(a, t);
		long u = pf_qrels_topic(b, qid, strlen(qid));
		cr_assert_geq(u, 0, "topic %s", qid);
		cr_assert_eq(pf_qrels_npairs(a, t), pf_qrels_npairs(b, (size_t)u));
		for (size_t i = 0; i < pf_qrels_npairs(a, t); i++) {
			const pf_pair *x = pf_qrels_pair(a, t, i);
			const pf_pair *y = pf_qrels_pair(b, (size_t)u, i);
			cr_assert_str_eq(x->docid, y->docid);
			cr_assert_eq(x->grade_int, y->grade_int);
		}
	}
}

static pf_qrels *
load(const char *path)
{
	pf_qrels *q;
	pf_err err = {0};

	cr_assert_eq(pf_qrels_load(&q, path, PF_QRELS_STRICT, PF_AGG_MEDIAN,
	    &err), PF_OK, "%s: %s", err.where, err.msg);
	return q;
}

Test(formats, json_and_beir_qrels_load_as_their_trec_twin)
{
	pf_qrels *t = load(put("q.txt", trec_qrels));
	pf_qrels *j = load(put("q.json", "{\"q1\": {\"d1\": 2, \"d2\": 0, "
	    "\"d9\": -1},\n \"q2\": {\"d3\": 1.0, \"d1\": 3}}\n"));
	/* BEIR's qrels/test.tsv, CRLF line ends, a blank line */
	pf_qrels *b = load(put("test.tsv", "query-id\tcorpus-id\tscore\r\n"
	    "q1\td1\t2\r\nq1\td2\t0\r\nq1\td9\t-1\r\n\r\nq2\td3\t1\r\n"
	    "q2\td1\t3\r\n"));
	/* JSON found by its content under any name */
	pf_qrels *n = load(put("qrels.txt", "  {\"q1\": {\"d1\": 2, \"d2\": 0,"
	    " \"d9\": -1}, \"q2\": {\"d3\": 1, \"d1\": 3}}"));

	same_qrels(t, j);
	same_qrels(t, b);
	same_qrels(t, n);
	pf_qrels_free(t);
	pf_qrels_free(j);
	pf_qrels_free(b);
	pf_qrels_free(n);
}

/* The load of text as name fails with PF_EFORMAT; where and msg hold want. */
static void
refused(const char *name, const char *text, const char *where,
    const char *want)
{
	pf_qrels *q;
	pf_err err = {0};

	cr_assert_eq(pf_qrels_load(&q, put(name, text), PF_QRELS_STRICT,
	    PF_AGG_MEDIAN, &err), PF_EFORMAT, "accepted %s", text);
	cr_assert_null(q);
	cr_assert_not_null(strstr(err.where, where), "%s: where %s", text,
	    err.where);
	cr_assert_not_null(strstr(err.msg, want), "%s: %s", text, err.msg);
}

Test(formats, bad_json_qrels_are_refused)
{
	refused("q.json", "{\"q1\": {\"d1\": 1.5}}", "q.json",
	    "query 'q1', document 'd1': grade 1.5 is not an integer");
	refused("q.json", "{\"q1\": {\"d1\": \"1\"}}", "q.json",
	    "grade \"1\" (a string) is not an integer");
	refused("q.json", "{\"q1\": {\"d1\": 1, \"d1\": 2}}", "q.json:1",
	    "duplicate object key");
	refused("q.json", "{\"q1\": {\"d1\": 1},\n\"q1\": {}}", "q.json:2",
	    "duplicate object key");
	refused("q.json", "[1, 2]", "q.json", "expected a JSON object of "
	    "queries");
	refused("q.json", "{\"q1\": [\"d1\"]}", "q.json",
	    "expected an object of documents");
	refused("q.json", "{\"q 1\": {\"d1\": 1}}", "q.json",
	    "query id must be non-empty and without whitespace");
	refused("q.json", "{\"q1\": {\"\": 1}}", "q.json",
	    "document id '' must be non-empty");
	refused("q.json", "{\"q1\": {\"d1\": 1}", "q.json:1", "invalid JSON");
	refused("q.json", "{\"q1\": {\"d1\": 99999999999}}", "q.json",
	    "is not an integer");
}

Test(formats, bad_beir_qrels_are_refused_at_their_line)
{
	refused("t.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\n",
	    "t.tsv:3", "expected 3 tab-separated fields (query-id corpus-id "
	    "score), got 2");
	refused("t.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\t7\n",
	    "t.tsv:2", "got 4");
	refused("t.tsv", "query-id\tcorpus-id\tscore\nq1\td 1\t1\n",
	    "t.tsv:2", "corpus-id 'd 1' must be non-empty");
	refused("t.tsv", "query-id\tcorpus-id\tscore\n\td1\t1\n", "t.tsv:2",
	    "query-id '' must be non-empty");
	/* the TREC parser's checks keep their lines */
	refused("t.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0.5\n",
	    "t.tsv:3", "grade '0.5' is not an integer");
	refused("t.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td1\t2\n",
	    "t.tsv:3", "duplicate judgment for topic 'q1' document 'd1' "
	    "(first at line 2)");
}

Test(formats, formats_are_recognised_by_content)
{
	cr_assert_eq(pf_qrels_format("x", trec_qrels, strlen(trec_qrels)),
	    PF_FMT_TREC);
	cr_assert_eq(pf_qrels_format("x", "\n {", 3), PF_FMT_JSON);
	cr_assert_eq(pf_qrels_format("x.json", "", 0), PF_FMT_JSON);
	cr_assert_eq(pf_qrels_format("x.json.gz", "", 0), PF_FMT_JSON);
	cr_assert_eq(pf_qrels_format("x", "query-id\tcorpus-id\tscore", 24),
	    PF_FMT_BEIR);
	cr_assert_eq(pf_qrels_format("x", "query-id\tcorpus-id\tscores\n",
	    26), PF_FMT_TREC);
	cr_assert(pf_run_is_json("r", "\xef\xbb\xbf{}", 5));
	cr_assert(!pf_run_is_json("r", "1 Q0 d 1 1 r\n", 13));
}

Test(formats, a_json_run_becomes_trec_text_with_the_same_scores)
{
	static const char json[] = "{\"q1\": {\"d1\": 1.5, \"d2\": 0.1, "
	    "\"d3\": -2e-7}, \"q2\": {\"d9\": 7}}";
	char *out;
	size_t len;
	pf_err err = {0};

	cr_assert_eq(pf_json_run_to_trec(&out, &len, json, strlen(json),
	    "/x/bm25 run.json.gz", &err), PF_OK, "%s", err.msg);
	cr_assert_str_eq(out,
	    "q1 Q0 d1 1 1.5 bm25_run\n"
	    "q1 Q0 d2 2 0.10000000000000001 bm25_run\n"
	    "q1 Q0 d3 3 -1.9999999999999999e-07 bm25_run\n"
	    "q2 Q0 d9 1 7 bm25_run\n");
	cr_assert_eq(len, strlen(out));
	free(out);
}

/* The run text json from path is refused: where and msg hold want. */
static void
run_refused(const char *json, const char *where, const char *want)
{
	char *out;
	size_t len;
	pf_err err = {0};

	cr_assert_eq(pf_json_run_to_trec(&out, &len, json, strlen(json),
	    "r.json", &err), PF_EFORMAT, "accepted %s", json);
	cr_assert_null(out);
	cr_assert_not_null(strstr(err.where, where), "%s", err.where);
	cr_assert_not_null(strstr(err.msg, want), "%s: %s", json, err.msg);
}

Test(formats, bad_json_runs_are_refused)
{
	run_refused("{\"q1\": {\"d1\": \"high\"}}", "r.json",
	    "query 'q1', document 'd1': the score is not a number");
	run_refused("{\"q1\": {\"d1\": null}}", "r.json", "not a number");
	run_refused("{\"q1\": {\"d1\": NaN}}", "r.json:1", "JSON has no NaN "
	    "or Infinity");
	run_refused("{\"q1\": {\"d1\": Infinity}}", "r.json:1", "no NaN");
	run_refused("{\"q1\": {\"d1\": 1e999}}", "r.json:1", "invalid JSON");
	run_refused("{\"q1\": {\"d1\": 1,\n \"d1\": 2}}", "r.json:2",
	    "duplicate object key");
	run_refused("{\"q1\": {\"d 1\": 1}}", "r.json", "document id must be "
	    "non-empty and without whitespace");
}

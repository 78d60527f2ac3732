/*
 * test_golden.c — the golden-set loader (harness/load/golden.h) on small
 * files written to a fresh folder: queries in file order with their text,
 * line and dimension values; each query's qrels topic and the count of
 * queries without judgments; expectations, an unknown query's index -1;
 * every problem of the queries and expectations files reported at its
 * path:line, all of them; the set with no queries; judgments from a
 * candidate file's grades (the shipped LETOR set); a golden set made of
 * qrels alone; grades of judged, unjudged and negatively graded
 * documents; judged documents missing from the corpus; candidate files
 * loaded once and shared, reloaded when doubles are wanted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/golden.h"

static char dir[64];

static void
mk_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/pf_golden.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
rm_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(golden, .init = mk_dir, .fini = rm_dir);

/* Writes text to dir/name and returns its path, which stays valid for
   the next seven calls (enough for a spec and a few rewrites). */
static const char *
put(const char *name, const char *text)
{
	static char paths[8][128];
	static size_t next;
	char *p = paths[next++ % 8];
	FILE *f;

	snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(p, "w"), "%s", p);
	fputs(text, f);
	fclose(f);
	return p;
}

/* d->msg[i] is exactly "path:line: what". */
static void
assert_diag(const pf_diags *d, size_t i, const char *path, long line,
    const char *what)
{
	char want[640];

	if (line > 0)
		snprintf(want, sizeof(want), "%s:%ld: %s", path, line, what);
	else
		snprintf(want, sizeof(want), "%s: %s", path, what);
	cr_assert_lt(i, d->n, "want diagnostic %zu: %s", i, want);
	cr_assert_str_eq(d->msg[i], want);
}

static const char qrels_txt[] =
    "q3 0 d1 2\n"
    "q3 0 d2 0\n"
    "q10 0 d4 -1\n"
    "q10 0 d5 1\n";

/*
 * Loads s with the qrels above and, when queries is not NULL, a
 * queries.tsv of that text; the set must load without a problem.
 */
static pf_golden *
load_ok(pf_golden_spec *s, const char *queries)
{
	pf_diags d = {0};
	pf_golden *g;

	if (queries != NULL)
		s->queries = put("queries.tsv", queries);
	s->qrels = put("qrels.txt", qrels_txt);
	cr_assert_eq(pf_golden_load(&g, s, &d), PF_OK, "%s", d.msg[0]);
	cr_assert_eq(d.n, 0, "%s", d.msg[0]);
	return g;
}

Test(golden, queries_keep_file_order_text_line_and_dimensions)
{
	pf_golden_spec s = {.source = "scn.xml", .line = 4};
	pf_golden *g = load_ok(&s, "qid\ttext\tlang\tkind\n"
	    "q3\tthird query\tde\thead\n"
	    "\n"
	    "q10\ttenth\ten\ttail\n"
	    "q1\t\tfr\thead\n");

	cr_assert_eq(g->nq, 3);
	/* file order, not strcmp order (q1 < q10 < q3) */
	cr_assert_str_eq(g->qid[0], "q3");
	cr_assert_str_eq(g->qid[1], "q10");
	cr_assert_str_eq(g->qid[2], "q1");
	cr_assert_str_eq(g->text[0], "third query");
	cr_assert_str_eq(g->text[1], "tenth");
	cr_assert_str_eq(g->text[2], "");
	/* lines count the header and the blank line */
	cr_assert_eq(g->qline[0], 2);
	cr_assert_eq(g->qline[1], 4);
	cr_assert_eq(g->qline[2], 5);
	cr_assert_str_eq(g->queries_path, s.queries);
	cr_assert_eq(g->ndims, 2);
	cr_assert_str_eq(g->dim_name[0], "lang");
	cr_assert_str_eq(g->dim_name[1], "kind");
	static const char *const want[3][2] = {{"de", "head"}, {"en", "tail"},
	    {"fr", "head"}};
	for (size_t q = 0; q < 3; q++)
		for (size_t k = 0; k < 2; k++)
			cr_assert_str_eq(g->dim[q * g->ndims + k], want[q][k],
			    "query %zu dimension %zu", q, k);
	cr_assert_eq(pf_golden_query(g, "q10"), 1);
	cr_assert_eq(pf_golden_query(g, "q2"), -1);
	pf_golden_free(g);
}

/*
 * The queries reader strips a '\r' before '\n', so a CRLF file reads like
 * an LF one, blank lines included.
 */
Test(golden, a_crlf_queries_file_reads_like_an_lf_one)
{
	pf_golden_spec s = {.source = "scn.xml"};
	pf_golden *g = load_ok(&s, "qid\ttext\r\nq3\tx\r\n\r\nq10\ty\r\n");

	cr_assert_eq(g->nq, 2);
	cr_assert_str_eq(g->text[0], "x");
	cr_assert_eq(g->qline[1], 4);
	pf_golden_free(g);
}

Test(golden, each_query_has_its_qrels_topic_and_unjudged_ones_are_counted)
{
	pf_golden_spec s = {.source = "scn.xml"};
	pf_golden *g = load_ok(&s, "qid\ttext\n"
	    "q1\tone\nq10\tten\nq3\tthree\nq7\tseven\n");

	cr_assert_eq(g->nq, 4);
	cr_assert_eq(g->ndims, 0);
	/* qrels topics in first-seen order: q3 is 0, q10 is 1 */
	cr_assert_eq(g->topic[0], -1);
	cr_assert_eq(g->topic[1], 1);
	cr_assert_eq(g->topic[2], 0);
	cr_assert_eq(g->topic[3], -1);
	cr_assert_eq(g->nunjudged_queries, 2);
	pf_golden_free(g);
}

Test(golden, expectations_are_read_in_order_and_an_unknown_query_gets_minus_one)
{
	pf_golden_spec s = {.source = "scn.xml"};
	pf_golden *g;

	s.expectations = put("exp.tsv", "# qid docid max_rank\n"
	    "q10\td5\t3\n"
	    "\n"
	    "q99\td1\t1\n"
	    "q3  d2  10\n");
	g = load_ok(&s, "qid\ttext\nq3\tx\nq10\ty\n");
	cr_assert_eq(g->nexp, 3);
	cr_assert_str_eq(g->exp_path, s.expectations);
	static const char *const qid[] = {"q10", "q99", "q3"};
	static const char *const doc[] = {"d5", "d1", "d2"};
	static const long query[] = {1, -1, 0}, mx[] = {3, 1, 10},
	    line[] = {2, 4, 5};
	for (size_t i = 0; i < 3; i++) {
		cr_assert_str_eq(g->exp_qid[i], qid[i]);
		cr_assert_str_eq(g->exp_doc[i], doc[i]);
		cr_assert_eq(g->exp_query[i], query[i], "expectation %zu", i);
		cr_assert_eq(g->exp_max[i], mx[i]);
		cr_assert_eq(g->exp_line[i], line[i]);
	}
	pf_golden_free(g);
}

Test(golden, every_problem_of_queries_and_expectations_is_reported_at_its_line)
{
	pf_golden_spec s = {.source = "scn.xml"};
	pf_diags d = {0};
	pf_golden *g = (pf_golden *)&s;	/* must be reset to NULL */

	s.queries = put("queries.tsv", "qid\ttext\tlang\n"
	    "q3\tx\tde\n"
	    "q3\tagain\ten\n"		/* 3: duplicate */
	    "q10\tno language\n"	/* 4: two columns */
	    "\ty\tfr\n"			/* 5: empty qid */
	    "q1\ta\tb\tc\n");		/* 6: four columns */
	s.qrels = put("qrels.txt", qrels_txt);
	s.expectations = put("exp.tsv", "q3\td1\t1\n"
	    "q3\td2\n"			/* 2: no max_rank */
	    "q3\td2\t0\n"		/* 3: not positive */
	    "q3\td2\tten\n");		/* 4: not a number */
	cr_assert_eq(pf_golden_load(&g, &s, &d), PF_EFORMAT);
	cr_assert_null(g);
	cr_assert_eq(d.n, 7, "%zu diagnostics, first %s", d.n, d.msg[0]);
	assert_diag(&d, 0, s.queries, 3, "duplicate qid 'q3'");
	assert_diag(&d, 1, s.queries, 4, "expected 3 tab-separated columns "
	    "as in the header, got 2");
	assert_diag(&d, 2, s.queries, 5, "empty qid");
	assert_diag(&d, 3, s.queries, 6, "expected 3 tab-separated columns "
	    "as in the header, got 4");
	for (size_t i = 4; i < 7; i++)
		assert_diag(&d, i, s.expectations, (long)i - 2, "expected qid, "
		    "docid and a positive max_rank");
}

Test(golden, bad_header_is_reported_at_line_1_with_the_other_files_problems)
{
	pf_golden_spec s = {.source = "scn.xml"};
	pf_diags d = {0};
	pf_golden *g;

	s.queries = put("queries.tsv", "id\ttext\nq3\tx\n");
	s.qrels = put("qrels.txt", qrels_txt);
	s.expectations = put("exp.tsv", "q3 d1\n");
	cr_assert_eq(pf_golden_load(&g, &s, &d), PF_EFORMAT);
	cr_assert_null(g);
	cr_assert_eq(d.n, 2, "%s", d.msg[0]);
	assert_diag(&d, 0, s.queries, 1, "expected the header "
	    "qid<TAB>text[<TAB>dimension...]");
	assert_diag(&d, 1, s.expectations, 1, "expected qid, docid and a "
	    "positive max_rank");

	d = (pf_diags){0};
	s.queries = put("queries.tsv", "qid\n");	/* text missing */
	s.expectations = NULL;
	cr_assert_eq(pf_golden_load(&g, &s, &d), PF_EFORMAT);
	cr_assert_eq(d.n, 1);
	assert_diag(&d, 0, s.queries, 1, "expected the header "
	    "qid<TAB>text[<TAB>dimension...]");
}

Test(golden, a_set_without_queries_is_refused)
{
	pf_golden_spec s = {.source = "scn.xml", .line = 7};
	pf_diags d = {0};
	pf_golden *g;

	/* a queries file with its header only: at the file */
	s.queries = put("queries.tsv", "qid\ttext\n");
	s.qrels = put("qrels.txt", qrels_txt);
	cr_assert_eq(pf_golden_load(&g, &s, &d), PF_EFORMAT);
	cr_assert_null(g);
	cr_assert_eq(d.n, 1);
	assert_diag(&d, 0, s.queries, 0, "the golden set has no queries");

	/* no queries file and judgments of no topic: at the <golden> line */
	d = (pf_diags){0};
	s.queries = NULL;
	s.qrels = put("qrels.txt", "# nothing judged yet\n");
	cr_assert_eq(pf_golden_load(&g, &s, &d), PF_EFORMAT);
	cr_assert_null(g);
	cr_assert_eq(d.n, 1, "%s", d.msg[0]);
	assert_diag(&d, 0, "scn.xml", 7, "the golden set has no queries");
}

Test(golden, without_a_queries_file_the_judged_topics_are_the_queries)
{
	pf_golden_spec s = {.source = "scn.xml"};
	pf_golden *g = load_ok(&s, NULL);

	cr_assert_eq(g->nq, 2);
	cr_assert_str_eq(g->qid[0], "q3");
	cr_assert_str_eq(g->qid[1], "q10");
	cr_assert_null(g->text[0]);
	cr_assert_eq(g->qline[0], 0);
	cr_assert_eq(g->topic[0], 0);
	cr_assert_eq(g->topic[1], 1);
	cr_assert_eq(g->nunjudged_queries, 0);
	pf_golden_free(g);
}

/* The grades and group sizes of a LightGBM-layout file, read here. */
static size_t
letor_truth(const char *svm, const char *qfile, int *grade, size_t *gsize,
    size_t *ng)
{
	FILE *f = fopen(svm, "r");
	char line[8192];
	size_t n = 0;
	int c;

	cr_assert_not_null(f, "%s", svm);
	while (fgets(line, sizeof(line), f) != NULL) {
		cr_assert_lt(n, 1000);
		grade[n++] = (int)strtol(line, NULL, 10);
		cr_assert_not_null(strchr(line, '\n'), "line %zu too long", n);
	}
	fclose(f);
	cr_assert_not_null(f = fopen(qfile, "r"), "%s", qfile);
	*ng = 0;
	while (fscanf(f, "%d", &c) == 1)
		gsize[(*ng)++] = (size_t)c;
	fclose(f);
	return n;
}

Test(golden, labels_are_the_grades_of_a_candidate_file)
{
	const char *svm = SOURCE_DIR "/golden/letor/rank.test";
	const char *qf = SOURCE_DIR "/golden/letor/rank.test.query";
	pf_golden_spec s = {.source = "scn.xml", .labels = svm,
	    .labels_qfile = qf};
	static int grade[1000];
	size_t gsize[100], ng, n = letor_truth(svm, qf, grade, gsize, &ng);
	pf_diags d = {0};
	pf_golden *g;
	char docid[48], qid[24];

	cr_assert_eq(n, 768);
	cr_assert_eq(ng, 50);
	cr_assert_eq(pf_golden_load(&g, &s, &d), PF_OK, "%s", d.msg[0]);
	cr_assert_eq(g->nq, ng);
	cr_assert_eq(g->nunjudged_queries, 0);
	cr_assert_not_null(g->qrels);
	for (size_t q = 0, r = 0; q < ng; q++) {
		snprintf(qid, sizeof(qid), "%zu", q + 1);
		cr_assert_str_eq(g->qid[q], qid);
		cr_assert_geq(g->topic[q], 0);
		cr_assert_eq(pf_qrels_npairs(g->qrels, (size_t)g->topic[q]),
		    gsize[q]);
		for (size_t k = 1; k <= gsize[q]; k++, r++) {
			snprintf(docid, sizeof(docid), "q%zu_d%zu", q + 1, k);
			cr_assert_eq(pf_golden_grade(g, q, docid), grade[r],
			    "%s/%s", qid, docid);
		}
	}
	/* a document of another query is not judged for this one */
	cr_assert_eq(pf_golden_grade(g, 0, "q2_d1"), PF_GOLDEN_UNJUDGED);
	pf_golden_free(g);
}

Test(golden, from_qrels_every_topic_is_a_query_in_qrels_order)
{
	pf_qrels *q;
	pf_golden *g;
	pf_err err = {0};

	cr_assert_eq(pf_qrels_load(&q, put("qrels.txt", "b 0 d1 1\n"
	    "a 0 d1 0\nc10 0 d2 1\nc9 0 d2 1\na 0 d3 2\n"), PF_QRELS_STRICT,
	    PF_AGG_MEDIAN, &err), PF_OK, "%s", err.msg);
	cr_assert_eq(pf_golden_from_qrels(&g, q, &err), PF_OK);
	cr_assert_eq(g->qrels, q);	/* taken */
	cr_assert_eq(g->nq, 4);
	static const char *const want[] = {"b", "a", "c10", "c9"};
	for (size_t i = 0; i < 4; i++) {
		cr_assert_str_eq(g->qid[i], want[i]);
		cr_assert_eq(g->topic[i], (long)i);
		cr_assert_null(g->text[i]);
	}
	cr_assert_eq(g->nunjudged_queries, 0);
	cr_assert_eq(g->nexp, 0);
	cr_assert_eq(pf_golden_grade(g, 1, "d3"), 2);
	pf_golden_free(g);
}

Test(golden, grade_of_judged_unjudged_and_negatively_graded_documents)
{
	pf_golden_spec s = {.source = "scn.xml"};
	pf_golden *g = load_ok(&s, "qid\ttext\nq3\tx\nq10\ty\nq7\tz\n");

	cr_assert_eq(pf_golden_grade(g, 0, "d1"), 2);
	cr_assert_eq(pf_golden_grade(g, 0, "d2"), 0);
	cr_assert_eq(pf_golden_grade(g, 0, "d5"), PF_GOLDEN_UNJUDGED);
	cr_assert_eq(pf_golden_grade(g, 1, "d4"), -1);
	cr_assert_eq(pf_golden_grade(g, 1, "d5"), 1);
	cr_assert_eq(pf_golden_grade(g, 1, "d1"), PF_GOLDEN_UNJUDGED);
	/* q7 has no judgments at all */
	cr_assert_eq(pf_golden_grade(g, 2, "d1"), PF_GOLDEN_UNJUDGED);
	pf_golden_free(g);
}

Test(golden,
    judged_documents_missing_from_the_corpus_are_reported_at_the_qrels_line)
{
	const char *queries = "qid\ttext\nq3\tx\nq10\ty\n";
	pf_golden_spec s = {.source = "scn.xml"};
	pf_diags d = {0};
	pf_golden *g;

	s.docs = put("docs.tsv", "d1\tt\tb\nd4\tt\tb\nd5\tt\tb\n");
	g = load_ok(&s, queries);
	cr_assert_eq(g->corpus.n, 3);
	cr_assert_eq(pf_golden_check_judged_docs(g, &d), PF_EFORMAT);
	cr_assert_eq(d.n, 1, "%s", d.msg[1]);
	char what[256];
	snprintf(what, sizeof(what), "docid 'd2' (query 'q3') is not in the "
	    "corpus (%s)", s.docs);
	assert_diag(&d, 0, s.qrels, 2, what);
	pf_golden_free(g);

	/* every missing one, each at its own line */
	d = (pf_diags){0};
	s.docs = put("docs.tsv", "d1\tt\tb\n");
	g = load_ok(&s, queries);
	cr_assert_eq(pf_golden_check_judged_docs(g, &d), PF_EFORMAT);
	cr_assert_eq(d.n, 3);
	cr_assert(strncmp(d.msg[0], s.qrels, strlen(s.qrels)) == 0);
	cr_assert(strstr(d.msg[0], ":2: docid 'd2'") != NULL, "%s", d.msg[0]);
	cr_assert(strstr(d.msg[1], ":3: docid 'd4'") != NULL, "%s", d.msg[1]);
	cr_assert(strstr(d.msg[2], ":4: docid 'd5'") != NULL, "%s", d.msg[2]);
	pf_golden_free(g);

	/* a complete corpus, and no corpus at all, are fine */
	d = (pf_diags){0};
	s.docs = put("docs.tsv", "d1\t\t\nd2\t\t\nd4\t\t\nd5\t\t\n");
	g = load_ok(&s, queries);
	cr_assert_eq(pf_golden_check_judged_docs(g, &d), PF_OK);
	pf_golden_free(g);
	s.docs = NULL;
	g = load_ok(&s, queries);
	cr_assert_eq(pf_golden_check_judged_docs(g, &d), PF_OK);
	cr_assert_eq(d.n, 0);
	pf_golden_free(g);
}

Test(golden, a_candidate_file_is_loaded_once_and_takes_doubles_later)
{
	pf_golden_spec s = {.source = "scn.xml"};
	const char *svm = put("c.svm", "2 qid:q3 1:0.5 3:7 # d1\n"
	    "0 qid:q3 2:1.25 # d2\n");
	const pf_svm *a, *b, *x, *y;
	pf_err err = {0};
	pf_golden *g = load_ok(&s, NULL);

	cr_assert_eq(pf_golden_svm(g, svm, NULL, 0, &a, &err), PF_OK, "%s",
	    err.msg);
	cr_assert_eq(a->nrows, 2);
	cr_assert_eq(a->nf, 3);
	cr_assert_null(a->x64);
	cr_assert_eq(pf_golden_svm(g, svm, NULL, 0, &b, &err), PF_OK);
	cr_assert_eq(b, a, "a second request shares the first copy");
	cr_assert_eq(g->nsvm, 1);
	/* doubles wanted: read again, and the first copy (stages may
	   point into it) takes them: float32 rows held once */
	cr_assert_eq(pf_golden_svm(g, svm, NULL, 1, &x, &err), PF_OK);
	cr_assert_eq(x, a);
	cr_assert_eq(g->nsvm, 1);
	cr_assert_not_null(x->x64);
	cr_assert_float_eq(x->x64[0 * 3 + 2], 7.0, 1e-15);
	cr_assert_float_eq(x->x64[1 * 3 + 1], 1.25, 1e-15);
	cr_assert_float_eq(x->x64[1 * 3 + 0], 0.0, 1e-15);	/* absent */
	cr_assert_float_eq(a->x32[0], 0.5f, 1e-7);
	/* the one copy is shared from now on */
	cr_assert_eq(pf_golden_svm(g, svm, NULL, 1, &y, &err), PF_OK);
	cr_assert_eq(y, x);
	cr_assert_eq(pf_golden_svm(g, svm, NULL, 0, &y, &err), PF_OK);
	cr_assert_eq(y, a);
	cr_assert_eq(g->nsvm, 1);
	/* a file that does not load is an error naming it; nothing is added */
	const char *empty = put("empty.svm", "");
	cr_assert_eq(pf_golden_svm(g, empty, NULL, 0, &y, &err), PF_EFORMAT);
	cr_assert(strncmp(err.where, empty, strlen(empty)) == 0, "%s",
	    err.where);
	cr_assert_eq(g->nsvm, 1);
	pf_golden_free(g);
}

/* A candidate file needed with doubles after a float32-only load (the
   labels, then a LightGBM stack): one copy, which takes the doubles; its
   float32 rows are those a fresh load with doubles gives. */
Test(golden, doubles_join_the_float_copy_of_the_same_file)
{
	const char *svm = SOURCE_DIR "/golden/letor/rank.test";
	const char *qf = SOURCE_DIR "/golden/letor/rank.test.query";
	pf_golden_spec s = {.source = "scn.xml", .labels = svm,
	    .labels_qfile = qf};
	pf_diags d = {0};
	pf_golden *g;
	const pf_svm *a, *b;
	pf_err err = {0};

	cr_assert_eq(pf_golden_load(&g, &s, &d), PF_OK, "%s", d.msg[0]);
	cr_assert_eq(pf_golden_svm(g, svm, qf, 0, &a, &err), PF_OK);
	cr_assert_null(a->x64);
	cr_assert_eq(pf_golden_svm(g, svm, qf, 1, &b, &err), PF_OK, "%s",
	    err.msg);
	cr_assert_eq(a, b, "the same copy");
	cr_assert_not_null(b->x64);
	pf_svm *fresh;
	pf_svm_opts o = {.query_file = qf, .feature_base = PF_SVM_BASE_AUTO,
	    .need_double = 1};
	cr_assert_eq(pf_svm_load(&fresh, svm, &o, &err), PF_OK);
	cr_assert_eq(fresh->nrows * fresh->nf, b->nrows * b->nf);
	cr_assert_eq(memcmp(fresh->x32, b->x32, b->nrows * b->nf * 4), 0);
	cr_assert_eq(memcmp(fresh->x64, b->x64, b->nrows * b->nf * 8), 0);
	pf_svm_free(fresh);
	pf_golden_free(g);
}

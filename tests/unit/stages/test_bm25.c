/*
 * test_bm25.c — the bm25 stage's contract (harness/stages/bm25.c) on a
 * six-document corpus whose counts are written out by hand below: scores
 * from its documented formula (Lucene idf, k1, b, field weights, repeated
 * query terms counting again), every document with a positive score and
 * only those, depth, stemming; exact counts in a long document (repeated
 * terms, many distinct terms); its errors (no corpus, no query text, bad
 * parameters at their line); its registry entry.
 */
#include <math.h>

#include "stage_fixture.h"

TestSuite(bm25, .init = sfx_setup, .fini = sfx_teardown);

/*
 * Tokens per document (title + body), by hand:
 *   d1 wind tunnel | wind flow       dl 4: wind 2, tunnel 1, flow 1
 *   d2 flow        | heat transfer   dl 3: flow 1, heat 1, transfer 1
 *   d3 tunnel      | tunnel tunnel   dl 3: tunnel 3
 *   d4 heat        | heat heat       dl 3: heat 3
 *   d5 other       | nothing         dl 2
 *   d6 (empty)                       dl 0: counts in N and avgdl
 * N 6, avgdl 15 / 6 = 2.5; df: wind 1, tunnel 2, flow 2, heat 2.
 */
static const char DOCS[] = "d1\tWind tunnel\twind, flow\n"
    "d2\tFlow\tHeat transfer\n"
    "d3\tTunnel\ttunnel tunnel\n"
    "d4\tHEAT\theat heat\n"
    "d5\tother\tnothing\n"
    "d6\t\t\n";
static const char QUERIES[] = "qid\ttext\n"
    "q1\twind tunnel\n"
    "q2\ttunnel tunnel\n"
    "q3\theat\n"
    "q4\tzebra\n"
    "q5\ttunnels\n";
static const char QRELS[] = "q1 0 d1 1\nq3 0 d4 2\n";

/* One query term's BM25 contribution, the documented formula. */
static double
term(double N, double df, double tf, double dl, double avgdl, double k1,
    double b)
{
	double idf = log(1.0 + (N - df + 0.5) / (df + 0.5));

	return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl));
}

/* Query qid's list holds exactly these documents with these scores (any
   order: the engine sorts). */
static void
expect(const char *qid, const char *const *docs, const double *want,
    size_t n)
{
	cr_assert_eq(sfx_query(qid), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.n, n, "%zu documents, want %zu", fx.c.n, n);
	for (size_t i = 0; i < n; i++) {
		long at = sfx_find(docs[i]);
		cr_assert_geq(at, 0, "%s retrieved", docs[i]);
		cr_assert_float_eq(fx.c.score[at], want[i], 1e-12, "%s: %.15g, "
		    "want %.15g", docs[i], fx.c.score[at], want[i]);
	}
}

static void
open_default(const char *const *kv)
{
	sfx_golden(QUERIES, DOCS, QRELS);
	sfx_open_ok("bm25", kv);
}

/* Query qid retrieves exactly d0 and d1 with scores w0 and w1. */
static void
expect2(const char *qid, const char *d0, double w0, const char *d1,
    double w1)
{
	const char *docs[] = {d0, d1};
	const double want[] = {w0, w1};

	expect(qid, docs, want, 2);
}

Test(bm25, scores_follow_the_documented_formula_with_defaults)
{
	open_default(NULL);	/* k1 0.9, b 0.4 */
	expect2("q1", "d1", term(6, 1, 2, 4, 2.5, 0.9, 0.4) +
	    term(6, 2, 1, 4, 2.5, 0.9, 0.4),
	    "d3", term(6, 2, 3, 3, 2.5, 0.9, 0.4));
	cr_assert_null(fx.c.feats.x32, "bm25 provides no features");
	cr_assert_eq(fx.c.feats.nf, 0);
}

Test(bm25, k1_and_b_are_the_formulas_parameters)
{
	const char *kv[] = {"k1", "1.2", "b", "0.75", NULL};

	open_default(kv);
	expect2("q1", "d1", term(6, 1, 2, 4, 2.5, 1.2, 0.75) +
	    term(6, 2, 1, 4, 2.5, 1.2, 0.75),
	    "d3", term(6, 2, 3, 3, 2.5, 1.2, 0.75));
}

Test(bm25, b_zero_ignores_document_length)
{
	const char *kv[] = {"b", "0", NULL};
	/* heat: tf 1 and 3; with b 0 the length plays no part */
	const double idf = log(1.0 + 4.5 / 2.5);

	open_default(kv);
	expect2("q3", "d2", idf * 1.9 / (1 + 0.9), "d4",
	    idf * 3 * 1.9 / (3 + 0.9));
}

Test(bm25, a_repeated_query_term_counts_again)
{
	open_default(NULL);
	expect2("q2", "d1", 2 * term(6, 2, 1, 4, 2.5, 0.9, 0.4),
	    "d3", 2 * term(6, 2, 3, 3, 2.5, 0.9, 0.4));
}

Test(bm25, field_weights_scale_tf_and_length_and_drop_a_zero_field)
{
	/*
	 * fields title:2,body:0: only titles count, each token twice.
	 * Title dl: d1 4, d2 2, d3 2, d4 2, d5 2, d6 0; avgdl 12 / 6 = 2;
	 * df over titles: wind 1, tunnel 2 (d1, d3).
	 */
	const char *kv[] = {"fields", "title:2,body:0", NULL};

	open_default(kv);
	expect2("q1", "d1", term(6, 1, 2, 4, 2, 0.9, 0.4) +
	    term(6, 2, 2, 4, 2, 0.9, 0.4),
	    "d3", term(6, 2, 2, 2, 2, 0.9, 0.4));
}

Test(bm25, only_documents_with_a_positive_score_are_retrieved)
{
	open_default(NULL);
	cr_assert_eq(sfx_query("q4"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.n, 0, "no document has 'zebra'");
	cr_assert_eq(sfx_query("q5"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.n, 0, "'tunnels' is not 'tunnel' without stem=");
}

Test(bm25, stem_english_matches_inflected_query_terms)
{
	const char *kv[] = {"stem", "english", NULL};

	open_default(kv);	/* the same numbers as the query "tunnel" */
	expect2("q5", "d1", term(6, 2, 1, 4, 2.5, 0.9, 0.4),
	    "d3", term(6, 2, 3, 3, 2.5, 0.9, 0.4));
}

Test(bm25, depth_keeps_the_best_scores)
{
	const char *kv[] = {"depth", "1", NULL};
	const char *docs[] = {"d4"};
	const double want[] = {term(6, 2, 3, 3, 2.5, 0.9, 0.4)};

	open_default(kv);
	expect("q3", docs, want, 1);	/* d2 has heat once */
}

Test(bm25, ties_at_the_depth_cut_keep_the_earlier_corpus_document)
{
	/* bm25.c's heap: "ties: larger doc index first out". (The engine
	   then orders ties by docid descending; dense cuts by that order.) */
	const char *kv[] = {"depth", "1", NULL};

	sfx_golden("qid\ttext\nq1\tsame\n", "b\tsame\tx\na\tsame\tx\n"
	    "c\tother\tx\n", "q1 0 a 1\n");
	sfx_open_ok("bm25", kv);
	cr_assert_eq(sfx_query("q1"), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.n, 1);
	cr_assert_str_eq(sfx_doc(0), "b");
}

/* Text of n copies of unit (strlen(unit) bytes each), to free. */
static char *
repeat(const char *unit, size_t n)
{
	size_t len = strlen(unit);
	char *s = malloc(n * len + 1);

	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[n * len] = '\0';
	return s;
}

Test(bm25, a_long_documents_term_counts_are_exact)
{
	/*
	 * "long": title "a", body "a b a c a " 20000 times: tf a 60001,
	 * b 20000, c 20000, dl 100001; "short": title "b", body "z", dl 2.
	 * N 2, avgdl 100003 / 2; df a 1, b 2, c 1.
	 */
	enum { N = 20000 };
	char *body = repeat("a b a c a ", N);
	char *docs = malloc(strlen(body) + 64);
	const double avgdl = (5.0 * N + 3) / 2;

	cr_assert_not_null(docs);
	snprintf(docs, strlen(body) + 64, "long\ta\t%s\nshort\tb\tz\n", body);
	sfx_golden("qid\ttext\nqa\ta\nqb\tb\nqc\tc\n", docs, "qa 0 long 1\n");
	free(body);
	free(docs);
	sfx_open_ok("bm25", NULL);
	const char *lng[] = {"long"};
	double want = term(2, 1, 3.0 * N + 1, 5.0 * N + 1, avgdl, 0.9, 0.4);
	expect("qa", lng, &want, 1);
	expect2("qb", "long", term(2, 2, N, 5.0 * N + 1, avgdl, 0.9, 0.4),
	    "short", term(2, 2, 1, 2, avgdl, 0.9, 0.4));
	want = term(2, 1, N, 5.0 * N + 1, avgdl, 0.9, 0.4);
	expect("qc", lng, &want, 1);
}

Test(bm25, a_document_with_many_distinct_terms_counts_each)
{
	/*
	 * "long": w0 .. w4999 twice over, then w7 once more: tf 2 each,
	 * w7 3, dl 10001; "short": "w7 x", dl 2. N 2, avgdl 10003 / 2;
	 * df w0 1, w4999 1, w7 2.
	 */
	enum { M = 5000 };
	size_t cap = 2 * M * 7 + 64, at = 0;
	char *docs = malloc(cap);
	const double avgdl = (2.0 * M + 3) / 2;

	cr_assert_not_null(docs);
	at += (size_t)snprintf(docs, cap, "long\t\t");
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < M; i++)
			at += (size_t)snprintf(docs + at, cap - at, "w%d ", i);
	snprintf(docs + at, cap - at, "w7\nshort\tw7\tx\n");
	sfx_golden("qid\ttext\nq0\tw0\nq7\tw7\nqm\tw4999\n", docs,
	    "q0 0 long 1\n");
	free(docs);
	sfx_open_ok("bm25", NULL);
	const char *lng[] = {"long"};
	double want = term(2, 1, 2, 2.0 * M + 1, avgdl, 0.9, 0.4);
	expect("q0", lng, &want, 1);
	expect("qm", lng, &want, 1);
	expect2("q7", "long", term(2, 2, 3, 2.0 * M + 1, avgdl, 0.9, 0.4),
	    "short", term(2, 2, 1, 2, avgdl, 0.9, 0.4));
}

Test(bm25, needs_a_corpus)
{
	sfx_golden(QUERIES, NULL, QRELS);
	sfx_expect_err(sfx_open("bm25", NULL), PF_EINVAL, "",
	    "bm25 needs a corpus");
}

Test(bm25, needs_query_text)
{
	sfx_golden(NULL, DOCS, QRELS);	/* queries from the qrels: no text */
	sfx_expect_err(sfx_open("bm25", NULL), PF_EDATA, "",
	    "bm25 needs query text");
}

Test(bm25, a_query_without_a_token_is_an_error_at_its_line)
{
	sfx_golden("qid\ttext\nq1\twind\nq2\t ...\n", DOCS, QRELS);
	sfx_expect_err(sfx_open("bm25", NULL), PF_EDATA,
	    sfx_at("queries.tsv", 3), "query 'q2' has empty text");
}

Test(bm25, process_without_query_text_is_a_stage_error)
{
	open_default(NULL);
	pf_query q = {0, "q1", NULL};
	int rc = fx.ops->process(fx.st, &q, &fx.c, fx.scratch, &fx.err);
	sfx_expect_err(rc, PF_ESTAGE, "", "bm25 needs query text");
	cr_assert_eq(fx.c.n, 0);
}

Test(bm25, bad_parameters_are_refused_at_their_line)
{
	static const struct {
		const char	*k, *v, *msg;
		long		 line;
	} bad[] = {
		{"k1", "abc", "k1='abc': expected a finite number", 8},
		{"k1", "inf", "k1='inf': expected a finite number", 8},
		{"k1", "-1", "wants k1 >= 0 and 0 <= b <= 1", SFX_LINE},
		{"b", "1.5", "wants k1 >= 0 and 0 <= b <= 1", SFX_LINE},
		{"depth", "0", "depth='0': expected an integer in [1, ", 8},
		{"depth", "ten", "depth='ten': expected an integer", 8},
		{"fields", "title:1,abstract:1", "fields='title:1,abstract:1': "
		    "expected title[:w],body[:w]", 8},
		{"fields", "title:0,body:0", "expected title[:w],body[:w]", 8},
		{"fields", "title:-1", "expected title[:w],body[:w]", 8},
		{"stopwords", "big", "stopwords='big': expected none or small",
		    8},
		{"stem", "klingon", "klingon", 8},
	};
	char where[64];

	sfx_golden(QUERIES, DOCS, QRELS);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *kv[] = {bad[i].k, bad[i].v, NULL};
		snprintf(where, sizeof(where), SFX_SCENARIO ":%ld", bad[i].line);
		sfx_expect_err(sfx_open("bm25", kv), PF_EINVAL, where,
		    bad[i].msg);
	}
}

Test(bm25, registry_entry)
{
	const char *params[] = {"k1", "optional", "b", "optional", "depth",
	    "optional", "fields", "optional", "stopwords", "optional", "stem",
	    "optional", NULL};

	sfx_registry("bm25", PF_STAGE_RETRIEVES | PF_STAGE_SCORES, params);
}

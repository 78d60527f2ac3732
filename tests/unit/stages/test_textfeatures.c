/*
 * test_textfeatures.c — the textfeatures stage's contract
 * (harness/stages/textfeatures.c): all twelve features of one query and
 * document computed by hand from a three-document corpus counted below
 * (BM25 per field with the title + body idf, TF-IDF cosine, coverage,
 * idf sum/min/max, lengths, rank, score), a document without a query
 * term, a candidate outside the corpus, stopwords in coverage, feature 13
 * (the dense score, NaN without an embedding), exact counts in a long
 * document; its errors (no corpus, no query text, bad parameters at their
 * line, half-given embeddings); its registry entry. Two disabled tests record how a repeated query term
 * skews coverage and the cosine.
 */
#include <math.h>

#include "harness/load/npy.h"
#include "stage_fixture.h"

TestSuite(textfeatures, .init = sfx_setup, .fini = sfx_teardown);

/*
 * Tokens, by hand:
 *   t1 title "wind tunnel" (2)  body "wind flow" (2)   both 4
 *   t2 title "heat"        (1)  body "heat transfer"   both 3
 *   t3 title "wind"        (1)  body "calm sea"        both 3
 * N 3; average lengths: title 4/3, body 2, both 10/3.
 * df over title + body: wind 2, every other term 1, so
 * idf(wind) = ln(1 + 1.5/2.5) = ln 1.6, idf(other) = ln(1 + 2.5/1.5) = ln 8/3.
 */
static const char DOCS[] = "t1\tWind tunnel\twind flow\n"
    "t2\tHeat\theat transfer\n"
    "t3\tWind\tcalm sea\n";
static const char QUERIES[] = "qid\ttext\n"
    "q1\twind tunnel zebra\n"
    "q2\tthe wind\n"
    "q3\twind wind\n"
    "q4\twind\n";
static const char QRELS[] = "q1 0 t1 1\n";

#define IDF_W	log(1.6)
#define IDF_1	log(8.0 / 3.0)

/* BM25 of one term, k1 0.9, b 0.4. */
static double
bm25(double idf, double tf, double dl, double avg)
{
	return idf * tf * 1.9 / (tf + 0.9 * (0.6 + 0.4 * dl / avg));
}

static void
open_tf(const char *const *kv)
{
	sfx_golden(QUERIES, DOCS, QRELS);
	sfx_open_ok("textfeatures", kv);
}

/* Runs qid on the list docs (ranks 1..n, scores given). */
static void
run(const char *qid, const char *const *docs, const double *scores,
    size_t n)
{
	sfx_list(docs, scores, n);
	cr_assert_eq(sfx_query(qid), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.n, n, "textfeatures keeps the list");
	cr_assert_eq(fx.c.feats.base, 1, "feature ids from 1");
	cr_assert_not_null(fx.c.feats.x32);
}

/* Runs qid on a list of one document (rank 1, score 1). */
static void
run_one(const char *qid, const char *doc)
{
	const double one = 1.0;

	run(qid, &doc, &one, 1);
}

/* Feature id of candidate i (float32, relative tolerance 1e-6). */
static void
expect_feat(size_t i, int id, double want)
{
	const pf_feats *f = &fx.c.feats;
	double got = f->x32[(size_t)fx.c.row[i] * f->nf + (size_t)(id - 1)];

	cr_assert_float_eq(got, want, 1e-6 * fmax(1.0, fabs(want)),
	    "candidate %zu feature %d: %.9g, want %.9g", i, id, got, want);
}

/* Features 1..12 of candidate i. */
static void
expect_all(size_t i, const double want[12])
{
	for (int id = 1; id <= 12; id++)
		expect_feat(i, id, want[id - 1]);
}

Test(textfeatures, every_feature_of_a_matching_document_by_hand)
{
	const char *docs[] = {"t2", "t1"};
	const double sc[] = {9.0, 7.5};
	/* t1 at rank 2 */
	const double dw = (1 + log(2)) * IDF_W, dn = sqrt(dw * dw + 2 * IDF_1 *
	    IDF_1), qn = sqrt(IDF_W * IDF_W + IDF_1 * IDF_1);
	const double want[12] = {
		/* 1 title BM25: wind 1, tunnel 1, dl 2 */
		bm25(IDF_W, 1, 2, 4.0 / 3) + bm25(IDF_1, 1, 2, 4.0 / 3),
		/* 2 body BM25: wind 1, dl 2 */
		bm25(IDF_W, 1, 2, 2),
		/* 3 title + body BM25: wind 2, tunnel 1, dl 4 */
		bm25(IDF_W, 2, 4, 10.0 / 3) + bm25(IDF_1, 1, 4, 10.0 / 3),
		/* 4 cosine: document weights (1 + ln tf) idf over all its
		   terms, query weights idf over its terms in the corpus */
		(dw * IDF_W + IDF_1 * IDF_1) / (dn * qn),
		2.0 / 3,		/* 5: zebra counts, is not there */
		IDF_W + IDF_1, IDF_W, IDF_1,	/* 6-8: sum, min, max idf */
		4, 2,			/* 9-10: lengths */
		2, 7.5,			/* 11-12: rank, score */
	};

	open_tf(NULL);
	run("q1", docs, sc, 2);
	cr_assert_eq(fx.c.feats.nf, 12, "twelve without embeddings");
	cr_assert_eq(fx.c.row[1], 1);
	expect_all(1, want);
}

Test(textfeatures, a_document_without_query_terms_keeps_the_query_features)
{
	const char *docs[] = {"t2", "t1"};
	const double sc[] = {9.0, 7.5};
	const double want[12] = {0, 0, 0, 0, 0, IDF_W + IDF_1, IDF_W, IDF_1,
	    3, 1, 1, 9.0};

	open_tf(NULL);
	run("q1", docs, sc, 2);
	expect_all(0, want);
}

Test(textfeatures, a_candidate_outside_the_corpus_has_no_text_features)
{
	const char *docs[] = {"x9", "t3"};
	const double sc[] = {2.0, 1.0};
	const double want[12] = {0, 0, 0, 0, 0, IDF_W, IDF_W, IDF_W, 0, 0, 1,
	    2.0};

	open_tf(NULL);
	run("q4", docs, sc, 2);
	expect_all(0, want);
	/* t3: wind in the title only */
	expect_feat(1, 1, bm25(IDF_W, 1, 1, 4.0 / 3));
	expect_feat(1, 2, 0.0);
	expect_feat(1, 5, 1.0);
}

Test(textfeatures, no_query_term_in_the_corpus_gives_zero_idf_features)
{
	sfx_golden("qid\ttext\nq1\tzebra okapi\n", DOCS, QRELS);
	sfx_open_ok("textfeatures", NULL);
	run_one("q1", "t1");
	for (int id = 1; id <= 8; id++)
		expect_feat(0, id, 0.0);	/* 7: "0 when none is" */
}

Test(textfeatures, stopwords_leave_the_coverage_denominator)
{
	const char *kv[] = {"stopwords", "small", NULL};

	open_tf(NULL);
	run_one("q2", "t3");
	expect_feat(0, 5, 0.5);		/* "the" counts and is not there */
	sfx_open_ok("textfeatures", kv);
	run_one("q2", "t3");
	expect_feat(0, 5, 1.0);
}

/*
 * Was a bug, fixed with this test: feature 5 is documented as "share of
 * distinct query terms in the document", but tf_process counts every
 * query token in the denominator (nall++) while the numerator counts
 * distinct terms: "wind wind" on t3 (which has wind) gives 1/2, "wind"
 * gives 1.
 */
Test(textfeatures, coverage_counts_a_repeated_query_term_once)
{
	open_tf(NULL);
	run_one("q3", "t3");
	expect_feat(0, 5, 1.0);
}

/*
 * Was a bug, fixed with this test: feature 4's dot product counts a repeated
 * query term once (the `seen` check) but the query norm sums idf^2 over
 * every token, repeats included, so the two describe different query
 * vectors: "wind wind" scores 1/sqrt(2) of "wind" on the same document,
 * although any tf weighting of a one-term query gives the same direction
 * and so the same cosine.
 */
Test(textfeatures, cosine_does_not_change_when_a_query_repeats_its_term)
{
	open_tf(NULL);
	run_one("q4", "t3");
	double once = fx.c.feats.x32[3];
	cr_assert_gt(once, 0.0);
	run_one("q3", "t3");
	expect_feat(0, 4, once);
}

/* Embeddings for t1 and t2 (t3 has none) and the queries q1..q4. */
Test(textfeatures, a_long_documents_counts_are_exact_in_every_field)
{
	/*
	 * "long": title "a", body "a b a c a " 20000 times; "short": title
	 * "b", body "z". Lengths: long title 1, body 100000, both 100001;
	 * short 1, 1, 2. Averages: title 1, body 100001 / 2, both 100003 / 2.
	 * tf in long: a title 1, body 60000, both 60001; b body 20000.
	 * df: a 1 (idf ln 2), b 2 (idf ln 1.2).
	 */
	enum { N = 20000 };
	size_t cap = 10 * N + 64;
	char *docs = malloc(cap);
	int at;

	cr_assert_not_null(docs);
	at = snprintf(docs, cap, "long\ta\t");
	for (int i = 0; i < N; i++, at += 10)
		memcpy(docs + at, "a b a c a ", 10);
	snprintf(docs + at, cap - (size_t)at, "\nshort\tb\tz\n");
	sfx_golden("qid\ttext\nqa\ta\nqb\tb\n", docs, "qa 0 long 1\n");
	free(docs);
	sfx_open_ok("textfeatures", NULL);
	run_one("qa", "long");
	expect_feat(0, 1, bm25(log(2.0), 1, 1, 1));
	expect_feat(0, 2, bm25(log(2.0), 3.0 * N, 5.0 * N, (5.0 * N + 1) / 2));
	expect_feat(0, 3, bm25(log(2.0), 3.0 * N + 1, 5.0 * N + 1,
	    (5.0 * N + 3) / 2));
	expect_feat(0, 9, 5.0 * N + 1);
	expect_feat(0, 10, 1);
	run_one("qb", "long");
	expect_feat(0, 1, 0);
	expect_feat(0, 2, bm25(log(1.2), N, 5.0 * N, (5.0 * N + 1) / 2));
	expect_feat(0, 3, bm25(log(1.2), N, 5.0 * N + 1, (5.0 * N + 3) / 2));
}

static void
write_embeddings(void)
{
	const float d[] = {1, 2, 0, 3}, q[] = {0, 0, 1, 1, 2, 2, 3, 0};
	const char *dids[] = {"t1", "t2"}, *qids[] = {"q4", "q3", "q2", "q1"};
	pf_err err = {0};

	cr_assert_eq(pf_npy_write(sfx_path("d.npy"), d, 2, 2, 2, &err), PF_OK);
	cr_assert_eq(pf_ids_write(sfx_path("d.txt"), dids, 2, &err), PF_OK);
	cr_assert_eq(pf_npy_write(sfx_path("q.npy"), q, 4, 2, 2, &err), PF_OK);
	cr_assert_eq(pf_ids_write(sfx_path("q.txt"), qids, 4, &err), PF_OK);
}

Test(textfeatures, feature_13_is_the_dense_score_nan_without_an_embedding)
{
	const char *kv[] = {"dense-docs", "d.npy", "dense-doc-ids", "d.txt",
	    "dense-queries", "q.npy", "dense-query-ids", "q.txt", NULL};
	const char *docs[] = {"t1", "t2", "t3"};
	const double sc[] = {3, 2, 1};

	write_embeddings();
	open_tf(kv);
	run("q1", docs, sc, 3);		/* q1 = (3, 0): row 3 of q.npy */
	cr_assert_eq(fx.c.feats.nf, 13);
	expect_feat(0, 13, 3 * 1 + 0 * 2);	/* t1 = (1, 2) */
	expect_feat(1, 13, 3 * 0 + 0 * 3);	/* t2 = (0, 3) */
	cr_assert(isnan(fx.c.feats.x32[2 * 13 + 12]), "t3: no embedding");
	expect_feat(0, 3, bm25(IDF_W, 2, 4, 10.0 / 3) + bm25(IDF_1, 1, 4,
	    10.0 / 3));	/* the text features do not move */
}

Test(textfeatures, dense_metric_cosine_divides_by_both_norms)
{
	const char *kv[] = {"dense-docs", "d.npy", "dense-doc-ids", "d.txt",
	    "dense-queries", "q.npy", "dense-query-ids", "q.txt",
	    "dense-metric", "cosine", NULL};
	const char *docs[] = {"t1", "t2"};
	const double sc[] = {2, 1};

	write_embeddings();
	open_tf(kv);
	run("q2", docs, sc, 2);		/* q2 = (2, 2) */
	expect_feat(0, 13, (2 + 4) / (sqrt(8) * sqrt(5)));
	expect_feat(1, 13, 6 / (sqrt(8) * 3));
}

Test(textfeatures, needs_a_corpus_and_query_text)
{
	sfx_golden(QUERIES, NULL, QRELS);
	sfx_expect_err(sfx_open("textfeatures", NULL), PF_EINVAL, "",
	    "textfeatures needs a corpus");
	pf_golden_free(fx.g);
	sfx_golden(NULL, DOCS, QRELS);
	sfx_expect_err(sfx_open("textfeatures", NULL), PF_EDATA, "",
	    "textfeatures needs query text");
}

Test(textfeatures, process_without_query_text_is_a_stage_error)
{
	const char *doc = "t1";
	const double one = 1.0;

	open_tf(NULL);
	sfx_list(&doc, &one, 1);
	pf_query q = {0, "q1", NULL};
	sfx_expect_err(fx.ops->process(fx.st, &q, &fx.c, fx.scratch, &fx.err),
	    PF_ESTAGE, "", "textfeatures needs query text");
}

Test(textfeatures, bad_parameters_are_refused_at_their_line)
{
	const char *half[] = {"dense-docs", "d.npy", "dense-doc-ids", "d.txt",
	    NULL};
	const char *metric[] = {"dense-metric", "dot", NULL};
	const char *stop[] = {"stopwords", "english", NULL};
	const char *stem[] = {"stem", "klingon", NULL};

	write_embeddings();
	sfx_golden(QUERIES, DOCS, QRELS);
	sfx_expect_err(sfx_open("textfeatures", half), PF_EINVAL, SFX_SCENARIO
	    ":7", "dense embeddings need dense-queries and dense-query-ids");
	sfx_expect_err(sfx_open("textfeatures", metric), PF_EINVAL,
	    SFX_SCENARIO ":8", "dense-metric='dot': expected ip or cosine");
	sfx_expect_err(sfx_open("textfeatures", stop), PF_EINVAL, SFX_SCENARIO
	    ":8", "stopwords='english': expected none or small");
	sfx_expect_err(sfx_open("textfeatures", stem), PF_EINVAL, SFX_SCENARIO
	    ":8", "klingon");
}

Test(textfeatures, registry_entry)
{
	const char *params[] = {"stopwords", "optional", "stem", "optional",
	    "dense-docs", "optional", "dense-doc-ids", "optional",
	    "dense-queries", "optional", "dense-query-ids", "optional",
	    "dense-metric", "optional", NULL};

	sfx_registry("textfeatures", PF_STAGE_FEATURES, params);
}

/* Each feature has its name beside its id (README "textfeatures"), on
   every list and from features() before any query; the three idf
   features, one value per query, are marked query-level. */
Test(textfeatures, features_are_named_by_id_and_idf_ones_query_level)
{
	static const char *const want[12] = {"bm25_title", "bm25_body",
	    "bm25_title_body", "tfidf_cosine", "query_coverage", "idf_sum",
	    "idf_min", "idf_max", "doc_length", "title_length",
	    "retrieval_rank", "retrieval_score"};
	const char *docs[] = {"t2", "t1"};
	const double sc[] = {9.0, 7.5};
	pf_feats f;

	open_tf(NULL);
	cr_assert_eq(fx.ops->features(fx.st, &f), PF_OK);
	cr_assert_eq(f.nf, 12);
	cr_assert_eq(f.base, 1);
	cr_assert_null(f.x32, "no values before a query");
	for (long id = 1; id <= 12; id++) {
		cr_assert_str_eq(pf_fnames_get(f.names, id), want[id - 1]);
		cr_assert_eq(pf_fnames_query(f.names, id), id >= 6 && id <= 8,
		    "feature %ld", id);
	}
	cr_assert_null(pf_fnames_get(f.names, 13), "no dense score here");
	run("q1", docs, sc, 2);
	cr_assert_eq(fx.c.feats.names, f.names);
}

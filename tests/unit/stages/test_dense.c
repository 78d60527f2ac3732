/*
 * test_dense.c — the dense stage's contract (harness/stages/dense.c): each
 * query's top depth documents and scores against a brute-force double
 * loop written here (inner product, cosine with a zero vector, ties at the
 * cut going by docid descending as the engine orders lists), with and
 * without a corpus, query ids in another order than the golden set's;
 * its errors (missing or bad parameters at their line, unreadable,
 * truncated and inconsistent files naming the file and the id's line);
 * its registry entry.
 */
#include <math.h>

#include "harness/load/npy.h"
#include "harness/util/strtab.h"
#include "stage_fixture.h"

TestSuite(dense, .init = sfx_setup, .fini = sfx_teardown);

#define ND	60
#define NQ	4
#define DIM	6

static float D[ND * DIM], Q[NQ * DIM];
static char docid[ND][8];
static const char *const qids[NQ] = {"q9", "q3", "q1", "q2"}; /* q9: extra */

/* Small multiples of 1/4 (exact in float32, many exact ties); document 7
   is the zero vector, 20..29 repeat 10..19. */
static void
make_vectors(void)
{
	uint32_t x = 12345;

	for (size_t i = 0; i < ND * DIM + NQ * DIM; i++) {
		x = x * 1103515245u + 12345u;
		float v = (float)((int)((x >> 16) % 9) - 4) / 4.0f;
		if (i < ND * DIM)
			D[i] = v;
		else
			Q[i - ND * DIM] = v;
	}
	for (size_t j = 0; j < DIM; j++) {
		D[7 * DIM + j] = 0.0f;
		for (size_t r = 20; r < 30; r++)
			D[r * DIM + j] = D[(r - 10) * DIM + j];
	}
	for (size_t r = 0; r < ND; r++)
		snprintf(docid[r], sizeof(docid[r]), "d%02zu", r);
}

static void
write_embeddings(void)
{
	const char *ids[ND];
	pf_err err = {0};

	make_vectors();
	for (size_t r = 0; r < ND; r++)
		ids[r] = docid[r];
	cr_assert_eq(pf_npy_write(sfx_path("d.npy"), D, ND, DIM, 2, &err),
	    PF_OK, "%s", err.msg);
	cr_assert_eq(pf_ids_write(sfx_path("d.txt"), ids, ND, &err), PF_OK);
	cr_assert_eq(pf_npy_write(sfx_path("q.npy"), Q, NQ, DIM, 2, &err),
	    PF_OK);
	cr_assert_eq(pf_ids_write(sfx_path("q.txt"), qids, NQ, &err), PF_OK);
}

static const char QUERIES[] = "qid\ttext\nq1\ta\nq2\tb\nq3\tc\n";
static const char QRELS[] = "q1 0 d01 1\nq2 0 d02 1\n";

/* The documented score, in double, written here. */
static double
score(const float *q, const float *d, int cosine)
{
	double s = 0, nq = 0, nd = 0;

	for (size_t i = 0; i < DIM; i++) {
		s += (double)q[i] * (double)d[i];
		nq += (double)q[i] * (double)q[i];
		nd += (double)d[i] * (double)d[i];
	}
	if (!cosine)
		return s;
	return nq == 0 || nd == 0 ? 0.0 : s / (sqrt(nq) * sqrt(nd));
}

/*
 * The stage's list for qid is the exact top k of the brute-force scores:
 * k documents, each with its brute-force score, and none of them below a
 * document left out, where equal scores go by docid descending (scores
 * within 1e-12 of each other may go either way: rounding). Returns
 * whether a score ties exactly across the cut.
 */
static int
check_query(const char *qid, size_t qrow, size_t k, int cosine)
{
	double all[ND];
	int straddle = 0;

	for (size_t r = 0; r < ND; r++)
		all[r] = score(Q + qrow * DIM, D + r * DIM, cosine);
	cr_assert_eq(sfx_query(qid), PF_OK, "%s", fx.err.msg);
	cr_assert_eq(fx.c.n, k, "%s: %zu documents, want %zu", qid, fx.c.n, k);
	cr_assert_null(fx.c.feats.x32);
	for (size_t x = 0; x < ND; x++) {
		long at = sfx_find(docid[x]);
		if (at < 0)
			continue;
		cr_assert_float_eq(fx.c.score[at], all[x], 1e-12, "%s %s", qid,
		    docid[x]);
		for (size_t y = 0; y < ND; y++) {
			if (sfx_find(docid[y]) >= 0)
				continue;
			straddle |= all[x] == all[y];
			cr_assert(all[x] > all[y] - 1e-12 && (all[x] != all[y] ||
			    strcmp(docid[x], docid[y]) > 0), "%s: %s (%.17g) "
			    "kept, %s (%.17g) left out", qid, docid[x], all[x],
			    docid[y], all[y]);
		}
	}
	return straddle;
}

static void
open_dense(const char *metric, const char *depth, int corpus)
{
	const char *kv[] = {"docs", "d.npy", "doc-ids", "d.txt", "queries",
	    "q.npy", "query-ids", "q.txt", "metric", metric, "depth", depth,
	    NULL};
	char docs[ND * 16] = "";

	write_embeddings();
	for (size_t r = 0; corpus && r < ND; r++)
		snprintf(docs + strlen(docs), sizeof(docs) - strlen(docs),
		    "%s\tt\tb\n", docid[r]);
	sfx_golden(QUERIES, corpus ? docs : NULL, QRELS);
	sfx_open_ok("dense", kv);
}

Test(dense, inner_product_top_k_is_the_brute_force_top_k)
{
	open_dense("ip", "9", 0);
	check_query("q1", 2, 9, 0);
	check_query("q2", 3, 9, 0);
	check_query("q3", 1, 9, 0);
	cr_assert_eq(fx.c.row[0], 0, "no feature rows");
}

Test(dense, cosine_top_k_is_the_brute_force_top_k_with_a_zero_vector)
{
	open_dense("cosine", "25", 1);
	check_query("q1", 2, 25, 1);
	check_query("q2", 3, 25, 1);
	check_query("q3", 1, 25, 1);
	/* d07, the zero vector, scores exactly 0 wherever it is listed */
	long z = sfx_find("d07");
	cr_assert(z < 0 || fx.c.score[z] == 0.0);
}

Test(dense, ties_across_the_cut_keep_the_larger_docid)
{
	/* q1 is d13's vector, and d23 repeats d13: at depth 1 the best
	   cosine ties, and the engine's order (docid descending) keeps d23 */
	const char *kv[] = {"docs", "d.npy", "doc-ids", "d.txt", "queries",
	    "q.npy", "query-ids", "q.txt", "metric", "cosine", "depth", "1",
	    NULL};
	pf_err err = {0};

	write_embeddings();
	memcpy(Q + 2 * DIM, D + 13 * DIM, DIM * sizeof(float));
	cr_assert_eq(pf_npy_write(sfx_file[2], Q, NQ, DIM, 2, &err), PF_OK);
	sfx_golden(QUERIES, NULL, QRELS);
	sfx_open_ok("dense", kv);
	cr_assert_eq(check_query("q1", 2, 1, 1), 1, "a tie across the cut");
	cr_assert_str_eq(sfx_doc(0), "d23");
}

Test(dense, depth_beyond_the_documents_returns_them_all)
{
	open_dense("ip", "1000", 1);
	check_query("q2", 3, ND, 0);
}

Test(dense, without_a_corpus_the_ids_become_golden_documents)
{
	open_dense("ip", "3", 0);
	for (size_t r = 0; r < ND; r++)
		cr_assert_geq(pf_strtab_find(fx.g->docs, docid[r],
		    strlen(docid[r])), 0, "%s", docid[r]);
}

/* The parameters of open_dense with key k's value replaced by v (k not
   among them: added). */
static int
open_with(const char *k, const char *v)
{
	const char *kv[16] = {"docs", "d.npy", "doc-ids", "d.txt", "queries",
	    "q.npy", "query-ids", "q.txt", NULL};
	size_t n = 0;

	while (kv[2 * n] != NULL && strcmp(kv[2 * n], k) != 0)
		n++;
	kv[2 * n] = k;
	kv[2 * n + 1] = v;
	if (v == NULL)	/* drop k */
		for (; kv[2 * n] != NULL; n++) {
			kv[2 * n] = kv[2 * n + 2];
			kv[2 * n + 1] = kv[2 * n + 3];
		}
	return sfx_open("dense", kv);
}

Test(dense, a_missing_required_path_is_refused_at_the_element)
{
	static const char *const keys[] = {"docs", "doc-ids", "queries",
	    "query-ids"};

	write_embeddings();
	sfx_golden(QUERIES, NULL, QRELS);
	for (size_t i = 0; i < 4; i++)
		sfx_expect_err(open_with(keys[i], NULL), PF_EINVAL, SFX_SCENARIO
		    ":7", i < 2 ? "dense embeddings need docs and doc-ids" :
		    "dense embeddings need queries and query-ids");
}

Test(dense, bad_metric_and_depth_are_refused_at_their_line)
{
	write_embeddings();
	sfx_golden(QUERIES, NULL, QRELS);
	sfx_expect_err(open_with("metric", "l2"), PF_EINVAL, SFX_SCENARIO
	    ":12", "metric='l2': expected ip or cosine");
	sfx_expect_err(open_with("depth", "0"), PF_EINVAL, SFX_SCENARIO ":12",
	    "depth='0': expected an integer in [1, ");
	sfx_expect_err(open_with("depth", "1e3"), PF_EINVAL, SFX_SCENARIO
	    ":12", "depth='1e3'");
}

Test(dense, unreadable_and_truncated_files_name_the_file)
{
	write_embeddings();
	sfx_golden(QUERIES, NULL, QRELS);
	sfx_expect_err(open_with("docs", "absent.npy"), PF_EIO,
	    sfx_at("absent.npy", 0), "cannot open");
	sfx_expect_err(open_with("query-ids", "absent.txt"), PF_EIO,
	    sfx_at("absent.txt", 0), "cannot open");
	/* the header of d.npy without its data */
	FILE *f = fopen(sfx_file[0], "r+");
	cr_assert_not_null(f);
	cr_assert_eq(ftruncate(fileno(f), 100), 0);
	fclose(f);
	sfx_expect_err(open_with("docs", "d.npy"), PF_EFORMAT, sfx_at("d.npy",
	    0), "");
}

Test(dense, inconsistent_files_are_errors_at_the_file_and_line)
{
	pf_err err = {0};

	write_embeddings();
	sfx_golden(QUERIES, NULL, QRELS);
	sfx_put("dup.txt", "a\nb\na\n");
	cr_assert_eq(pf_npy_write(sfx_path("three.npy"), D, 3, DIM, 2, &err),
	    PF_OK);
	const char *kv[] = {"docs", "three.npy", "doc-ids", "dup.txt",
	    "queries", "q.npy", "query-ids", "q.txt", NULL};
	sfx_expect_err(sfx_open("dense", kv), PF_EDATA, sfx_at("dup.txt", 3),
	    "duplicate document id 'a'");
	/* 60 ids for 3 rows */
	sfx_expect_err(open_with("docs", "three.npy"), PF_EDATA, sfx_at("d.txt",
	    0), "60 ids for the 3 rows");
	/* q2 has no row in the query ids */
	sfx_put("q3ids.txt", "q9\nq3\nq1\nqx\n");
	sfx_expect_err(open_with("query-ids", "q3ids.txt"), PF_EDATA,
	    sfx_at("q3ids.txt", 0), "query 'q2' of the golden set has no "
	    "embedding");
}

Test(dense, a_document_outside_the_corpus_is_an_error_at_its_id_line)
{
	write_embeddings();
	sfx_golden(QUERIES, "d00\tt\tb\nd01\tt\tb\n", QRELS);
	/* d02, line 3 of d.txt, is not one of the corpus' documents */
	sfx_expect_err(open_with("metric", "ip"), PF_EDATA, sfx_at("d.txt", 3),
	    "document 'd02' is not in the corpus");
}

Test(dense, dimension_mismatch_and_non_finite_values_are_refused)
{
	pf_err err = {0};

	write_embeddings();
	sfx_golden(QUERIES, NULL, QRELS);
	cr_assert_eq(pf_npy_write(sfx_path("q5.npy"), Q, NQ, DIM - 1, 2,
	    &err), PF_OK);
	sfx_expect_err(open_with("queries", "q5.npy"), PF_EDATA,
	    sfx_at("q5.npy", 0), "dimension 5");
	D[3 * DIM + 2] = NAN;
	cr_assert_eq(pf_npy_write(sfx_path("nan.npy"), D, ND, DIM, 2, &err),
	    PF_OK);
	sfx_expect_err(open_with("docs", "nan.npy"), PF_EDATA,
	    sfx_at("nan.npy", 0), "row 3 (id 'd03'), column 2");
}

Test(dense, registry_entry)
{
	const char *params[] = {"docs", "required", "doc-ids", "required",
	    "queries", "required", "query-ids", "required", "metric",
	    "optional", "depth", "optional", NULL};

	sfx_registry("dense", PF_STAGE_RETRIEVES | PF_STAGE_SCORES, params);
}

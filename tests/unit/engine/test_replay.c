/*
 * test_replay.c — the replay engine (harness/engine/replay.h) and what it
 * measures (harness/engine/measured.h) on a scenario small enough to
 * compute by hand: linear weights over a hand-written candidate file, so
 * every score, every ranking (score descending, then docid descending by
 * strcmp, exact ties included) and every metric value is known without
 * running anything. Unjudged queries are ranked but their rows stay 0 and
 * the means are over judged queries only; 1 and 3 threads give the same
 * bits; a non-finite score stops the run with a message naming the stack,
 * the stage, the document and the query; pf_replay_open reports unknown
 * stage parameters and a stack that does not start by retrieving at the
 * scenario's path:line.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/engine/replay.h"

static char dir[64];

static void
mk_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/pf_replay.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
rm_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(replay, .init = mk_dir, .fini = rm_dir);

static void
put(const char *name, const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	cr_assert_not_null(f = fopen(p, "w"), "%s", p);
	fputs(text, f);
	fclose(f);
}

/*
 * The hand-made golden set. Features 1 and 2 are small integers, so
 * every score is exact in double. q1's rows are not in score order; q2's
 * docids sort differently as strings (d9 > d11 > d10) than as numbers;
 * q3's only relevant document is never retrieved; q4 has no judgments.
 */
static const char svm_txt[] =
    "2 qid:q1 1:2 2:2 # d2\n"
    "1 qid:q1 1:2 2:3 # d3\n"
    "0 qid:q1 1:3 2:1 # d1\n"
    "0 qid:q1 1:1 2:0 # d4\n"
    "0 qid:q2 1:5 2:3 # d10\n"
    "0 qid:q2 1:5 2:2 # d9\n"
    "0 qid:q2 1:5 2:2 # d11\n"
    "0 qid:q3 1:1 2:1 # x1\n"
    "0 qid:q4 1:1 2:2 # y1\n"
    "0 qid:q4 1:2 2:1 # y2\n";

static const char qrels_txt[] =
    "q1 0 d1 0\nq1 0 d2 2\nq1 0 d3 1\n"
    "q2 0 d9 0\nq2 0 d10 1\nq2 0 d11 2\nq2 0 d12 1\n"
    "q3 0 x1 0\nq3 0 x2 1\n";

/* Stack a: score = f1. Stack b: score = f2 + 0.5, top 3 kept. */
static const char stacks_ab[] =
    " <stack id=\"a\"><candidates file=\"c.svm\"/>"
    "<linear weights=\"wa.txt\"/></stack>\n"
    " <stack id=\"b\"><candidates file=\"c.svm\"/>"
    "<linear weights=\"wb.txt\"/><cutoff k=\"3\"/></stack>\n";

typedef struct fixture {
	char		 path[128];
	pf_scenario	*s;
	pf_golden	*g;
	pf_replay	*r;
	pf_diags	 d;
} fixture;

/*
 * Writes the scenario (stacks on lines 3 and 4 when given one a line)
 * and the files, loads it and opens the replay; returns what
 * pf_replay_open returned (problems in fx->d).
 */
static int
open_scenario(fixture *fx, const char *stacks, const char *svm,
    const char *qrels, const char *queries)
{
	char xml[2048];
	pf_golden_spec gs;

	memset(fx, 0, sizeof(*fx));
	put("c.svm", svm);
	put("qrels.txt", qrels);
	put("queries.tsv", queries);
	put("wa.txt", "# score = f1\n1 1\n");
	put("wb.txt", "2 1.0\nbias 0.5\n");
	snprintf(xml, sizeof(xml), "<scenario name=\"t\" seed=\"3\">\n"
	    " <golden dir=\".\"><queries file=\"queries.tsv\"/>"
	    "<qrels file=\"qrels.txt\"/></golden>\n%s"
	    " <metrics primary=\"ndcg_cut_2\"><metric name=\"P.1\"/>"
	    "<metric name=\"recip_rank\"/><metric name=\"ndcg_cut.2\"/>"
	    "</metrics>\n</scenario>\n", stacks);
	put("s.xml", xml);
	snprintf(fx->path, sizeof(fx->path), "%s/s.xml", dir);
	cr_assert_eq(pf_scenario_load(&fx->s, fx->path, &fx->d), PF_OK, "%s",
	    fx->d.msg[0]);
	pf_scenario_golden_spec(fx->s, &gs);
	cr_assert_eq(pf_golden_load(&fx->g, &gs, &fx->d), PF_OK, "%s",
	    fx->d.msg[0]);
	return pf_replay_open(&fx->r, fx->s, fx->g, &fx->d);
}

static void
open_hand_made(fixture *fx, const char *stacks)
{
	cr_assert_eq(open_scenario(fx, stacks, svm_txt, qrels_txt,
	    "qid\ttext\nq1\tone\nq2\ttwo\nq3\tthree\nq4\tfour\n"), PF_OK,
	    "%s", fx->d.msg[0]);
}

static void
close_fixture(fixture *fx)
{
	pf_replay_free(fx->r);
	pf_golden_free(fx->g);
	pf_scenario_free(fx->s);
}

/* Value index of a metric by its printed name. */
static size_t
vi(const pf_replay *r, const char *name)
{
	long v = pf_te_value_index(r->m.spec, name);

	cr_assert_geq(v, 0, "%s", name);
	return (size_t)v;
}

/* Opens and runs the hand-made set through stacks a and b; the value
   indexes of P_1, recip_rank and ndcg_cut_2 go to ix. */
static const pf_measured *
run_ab(fixture *fx, size_t ix[3])
{
	pf_err err = {0};

	open_hand_made(fx, stacks_ab);
	cr_assert_eq(pf_replay_run(fx->r, &err), PF_OK, "%s", err.msg);
	ix[0] = vi(fx->r, "P_1");
	ix[1] = vi(fx->r, "recip_rank");
	ix[2] = vi(fx->r, "ndcg_cut_2");
	return &fx->r->m;
}

/* Stack k's ranking of query q is exactly the docids want[0..n). */
static void
assert_ranking(const pf_replay *r, size_t k, size_t q,
    const char *const *want, const double *score, size_t n)
{
	const pf_stack_result *s = &r->m.stacks[k];

	cr_assert_eq(s->n[q], n, "stack %zu query %zu: %zu documents", k, q,
	    s->n[q]);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(pf_golden_docid(r->golden, s->doc[q][i]),
		    want[i], "stack %zu query %zu rank %zu", k, q, i + 1);
		cr_assert_float_eq(s->score[q][i], score[i], 1e-15);
	}
}

Test(replay, rankings_sort_by_score_then_docid_descending_with_exact_ties)
{
	fixture fx;
	size_t ix[3];

	run_ab(&fx, ix);
	cr_assert_eq(fx.r->m.nstacks, 2);
	cr_assert_str_eq(fx.r->m.stacks[0].id, "a");
	cr_assert_str_eq(fx.r->m.stacks[1].id, "b");
	/* f1: d1 3, d2 and d3 tied at 2 (d3 > d2), d4 1 */
	assert_ranking(fx.r, 0, 0, (const char *[]){"d1", "d3", "d2", "d4"},
	    (const double[]){3, 2, 2, 1}, 4);
	/* f2 + 0.5, cut at 3: d3 3.5, d2 2.5, d1 1.5 */
	assert_ranking(fx.r, 1, 0, (const char *[]){"d3", "d2", "d1"},
	    (const double[]){3.5, 2.5, 1.5}, 3);
	/* a three-way tie: strcmp descending, d9 > d11 > d10 */
	assert_ranking(fx.r, 0, 1, (const char *[]){"d9", "d11", "d10"},
	    (const double[]){5, 5, 5}, 3);
	assert_ranking(fx.r, 1, 1, (const char *[]){"d10", "d9", "d11"},
	    (const double[]){3.5, 2.5, 2.5}, 3);
	assert_ranking(fx.r, 0, 2, (const char *[]){"x1"},
	    (const double[]){1}, 1);
	/* the unjudged query is ranked all the same */
	assert_ranking(fx.r, 0, 3, (const char *[]){"y2", "y1"},
	    (const double[]){2, 1}, 2);
	assert_ranking(fx.r, 1, 3, (const char *[]){"y1", "y2"},
	    (const double[]){2.5, 1.5}, 2);
	close_fixture(&fx);
}

Test(replay, per_query_values_equal_hand_computed_ones)
{
	fixture fx;
	size_t ix[3];
	const pf_measured *m = run_ab(&fx, ix);
	const double L = log2(3.0);

	cr_assert_eq(m->nv, 3);
	cr_assert_eq(m->primary, (long)ix[2]);
	/*
	 * Per stack and query: P@1, reciprocal rank, NDCG@2 with gain =
	 * grade and discount log2(rank + 1); the ideal list takes every
	 * judged document, retrieved or not (q1: 2 1 0, q2: 2 1 1 0).
	 */
	const double want[2][3][3] = {
		{{0, 0.5, (1 / L) / (2 + 1 / L)},	/* a: d1 d3 */
		 {0, 0.5, (2 / L) / (2 + 1 / L)},	/* a: d9 d11 */
		 {0, 0, 0}},				/* x2 never retrieved */
		{{1, 1, (1 + 2 / L) / (2 + 1 / L)},	/* b: d3 d2 */
		 {1, 1, 1 / (2 + 1 / L)},		/* b: d10 d9 */
		 {0, 0, 0}},
	};
	for (size_t k = 0; k < 2; k++)
		for (size_t q = 0; q < 3; q++) {
			const double *v = m->stacks[k].values + q * m->nv;
			for (size_t j = 0; j < 3; j++)
				cr_assert_float_eq(v[ix[j]], want[k][q][j],
				    1e-12, "value %zu stack %zu query %zu: "
				    "%.17g", j, k, q, v[ix[j]]);
		}
	close_fixture(&fx);
}

Test(replay, unjudged_queries_have_zero_rows_and_are_left_out_of_the_means)
{
	fixture fx;
	size_t ix[3];
	const pf_measured *m = run_ab(&fx, ix);
	const double L = log2(3.0);
	const size_t p1 = ix[0], rr = ix[1], nd = ix[2];

	cr_assert_eq(m->nq, 4);
	cr_assert_eq(m->njudged, 3);
	cr_assert(m->judged[0] && m->judged[1] && m->judged[2]);
	cr_assert_not(m->judged[3]);
	cr_assert_eq(fx.g->nunjudged_queries, 1);
	for (size_t k = 0; k < 2; k++)
		for (size_t v = 0; v < m->nv; v++)
			cr_assert(m->stacks[k].values[3 * m->nv + v] == 0.0,
			    "stack %zu value %zu of q4", k, v);
	/* over the three judged queries (q3's zeros count, q4 does not) */
	cr_assert_float_eq(m->stacks[0].mean[p1], 0.0, 1e-12);
	cr_assert_float_eq(m->stacks[0].mean[rr], 1.0 / 3, 1e-12);
	cr_assert_float_eq(m->stacks[0].mean[nd],
	    ((1 / L) + (2 / L)) / (2 + 1 / L) / 3, 1e-12);
	cr_assert_float_eq(m->stacks[1].mean[p1], 2.0 / 3, 1e-12);
	cr_assert_float_eq(m->stacks[1].mean[rr], 2.0 / 3, 1e-12);
	cr_assert_float_eq(m->stacks[1].mean[nd],
	    ((1 + 2 / L) + 1) / (2 + 1 / L) / 3, 1e-12);
	close_fixture(&fx);
}

/* A larger generated set (ties on purpose: features in 0..3) for the
   thread counts: 97 queries of 1 to 9 documents, one in 7 unjudged. */
static void
generated_set(char **svm, char **qrels, char **queries)
{
	size_t sz = 1 << 17, a = 0, b = 0, c = 0;
	uint32_t x = 12345;

	*svm = malloc(sz);
	*qrels = malloc(sz);
	*queries = malloc(sz);
	cr_assert(*svm && *qrels && *queries);
	c += (size_t)snprintf(*queries + c, sz - c, "qid\ttext\n");
	for (int q = 0; q < 97; q++) {
		int nd = 1 + q % 9;
		c += (size_t)snprintf(*queries + c, sz - c, "g%d\tt\n", q);
		for (int i = 0; i < nd; i++) {
			x = x * 1103515245u + 12345u;
			int f1 = (int)(x >> 16) % 4, f2 = (int)(x >> 20) % 4;
			int gr = (int)(x >> 24) % 3;
			a += (size_t)snprintf(*svm + a, sz - a, "0 qid:g%d "
			    "1:%d 2:%d # g%dd%d\n", q, f1, f2, q, i);
			if (q % 7 != 3)
				b += (size_t)snprintf(*qrels + b, sz - b,
				    "g%d 0 g%dd%d %d\n", q, q, i, gr);
		}
	}
	cr_assert_lt(a, sz);
	cr_assert_lt(b, sz);
	cr_assert_lt(c, sz);
}

/* Every list of stack k is in trec_eval's order of its own scores:
   score descending, then docid descending. */
static void
assert_trec_order(const pf_replay *r, size_t k)
{
	const pf_stack_result *s = &r->m.stacks[k];

	for (size_t q = 0; q < r->m.nq; q++)
		for (size_t i = 1; i < s->n[q]; i++) {
			const char *a = pf_golden_docid(r->golden,
			    s->doc[q][i - 1]);
			const char *b = pf_golden_docid(r->golden,
			    s->doc[q][i]);
			cr_assert(s->score[q][i - 1] > s->score[q][i] ||
			    (s->score[q][i - 1] == s->score[q][i] &&
			    strcmp(a, b) > 0), "stack %s query %s: %s (%g) "
			    "before %s (%g) at rank %zu", s->id,
			    r->golden->qid[q], a, s->score[q][i - 1], b,
			    s->score[q][i], i + 1);
		}
}

/*
 * The engine sorts after every stage that scores or retrieves: candidates
 * retrieves without scoring (every score 0.0), so its list is in docid
 * descending order, as trec_eval and `preflight eval` read the run file
 * written from it; a cutoff after it keeps that order's top k. On this
 * set, stack c's P_1 for q1 is what its run file gives.
 */
Test(replay, a_stack_without_a_scoring_stage_is_ranked_in_trec_eval_order)
{
	fixture fx;
	pf_err err = {0};

	open_hand_made(&fx, " <stack id=\"c\"><candidates file=\"c.svm\"/>"
	    "</stack>\n" " <stack id=\"k\"><candidates file=\"c.svm\"/>"
	    "<cutoff k=\"2\"/></stack>\n");
	cr_assert_eq(pf_replay_run(fx.r, &err), PF_OK, "%s", err.msg);
	assert_trec_order(fx.r, 0);
	assert_trec_order(fx.r, 1);
	close_fixture(&fx);
}

Test(replay, one_and_three_threads_give_identical_results)
{
	char *svm, *qrels, *queries;
	fixture fx[2];
	int nt[2] = {1, 3};

	generated_set(&svm, &qrels, &queries);
	for (int t = 0; t < 2; t++) {
		pf_err err = {0};
		cr_assert_eq(open_scenario(&fx[t], stacks_ab, svm, qrels,
		    queries), PF_OK, "%s", fx[t].d.msg[0]);
		omp_set_num_threads(nt[t]);
		cr_assert_eq(pf_replay_run(fx[t].r, &err), PF_OK, "%s",
		    err.msg);
	}
	const pf_measured *m1 = &fx[0].r->m, *m3 = &fx[1].r->m;
	cr_assert_eq(m1->nq, 97);
	cr_assert_eq(m3->nq, 97);
	cr_assert_eq(m1->njudged, 97 - 14);
	for (size_t k = 0; k < 2; k++) {
		const pf_stack_result *a = &m1->stacks[k], *b = &m3->stacks[k];
		cr_assert_eq(memcmp(a->values, b->values, m1->nq * m1->nv *
		    sizeof(double)), 0, "stack %zu values differ", k);
		cr_assert_eq(memcmp(a->mean, b->mean, m1->nv * sizeof(double)),
		    0, "stack %zu means differ", k);
		for (size_t q = 0; q < m1->nq; q++) {
			cr_assert_eq(a->n[q], b->n[q]);
			for (size_t i = 0; i < a->n[q]; i++) {
				cr_assert_str_eq(pf_golden_docid(fx[0].g,
				    a->doc[q][i]), pf_golden_docid(fx[1].g,
				    b->doc[q][i]));
				cr_assert(a->score[q][i] == b->score[q][i]);
			}
		}
	}
	for (size_t k = 0; k < 2; k++)
		assert_trec_order(fx[0].r, k);
	close_fixture(&fx[0]);
	close_fixture(&fx[1]);
	free(svm);
	free(qrels);
	free(queries);
}

/* Runs the hand-made set with stack "boom" weighted by weights; the
   run must fail with PF_ESTAGE; its message is in err. */
static void
run_boom(const char *weights, pf_err *err)
{
	fixture fx;

	put("boom.txt", weights);
	open_hand_made(&fx, " <stack id=\"a\"><candidates file=\"c.svm\"/>"
	    "<linear weights=\"wa.txt\"/></stack>\n"
	    " <stack id=\"boom\"><candidates file=\"c.svm\"/>"
	    "<linear weights=\"boom.txt\"/></stack>\n");
	omp_set_num_threads(3);
	cr_assert_eq(pf_replay_run(fx.r, err), PF_ESTAGE, "%d %s", err->code,
	    err->msg);
	close_fixture(&fx);
}

Test(replay,
    an_infinite_score_fails_the_run_naming_stack_stage_document_and_query)
{
	pf_err err = {0};

	/* the list reaches linear in docid descending order (d4 d3 d2 d1):
	   1e308 x 1 is finite for d4, 1e308 x 2 overflows to inf for d3 */
	run_boom("1 1e308\n", &err);
	cr_assert_eq(err.code, PF_ESTAGE);
	cr_assert_str_eq(err.msg, "stack 'boom', stage 'linear' gave document "
	    "'d3' of query 'q1' the score inf (scores must be finite "
	    "numbers)");
}

Test(replay, a_nan_score_fails_the_run_the_same_way)
{
	pf_err err = {0};

	/* d3, the first non-finite in list order: inf + (-inf) is NaN */
	run_boom("1 1e308\n2 -1e308\n", &err);
	cr_assert(strstr(err.msg, "stack 'boom'") != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "stage 'linear'") != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "document 'd3'") != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "query 'q1'") != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "nan") != NULL, "%s", err.msg);
}

Test(replay, open_reports_unknown_stage_parameters_at_their_line)
{
	fixture fx;
	/* the XSD refuses unknown attributes, so add one after loading, as
	   a scenario from elsewhere could */
	pf_param extra[2];

	open_hand_made(&fx, stacks_ab);
	pf_replay_free(fx.r);
	fx.r = NULL;
	pf_scn_stage *lin = &fx.s->stacks[1].stages[1];
	cr_assert_str_eq(lin->name, "linear");
	pf_param *saved = lin->params;
	size_t nsaved = lin->nparams;
	extra[0] = saved[0];
	extra[1] = (pf_param){"colour", "red", 4};
	lin->params = extra;
	lin->nparams = 2;
	fx.d = (pf_diags){0};
	int rc = pf_replay_open(&fx.r, fx.s, fx.g, &fx.d);
	lin->params = saved;
	lin->nparams = nsaved;
	cr_assert_eq(rc, PF_EFORMAT);
	cr_assert_null(fx.r);
	cr_assert_eq(fx.d.n, 1, "%zu: %s", fx.d.n, fx.d.msg[0]);
	char want[256];
	snprintf(want, sizeof(want), "%s:4: stage 'linear' has no parameter "
	    "'colour'", fx.path);
	cr_assert_str_eq(fx.d.msg[0], want);
	close_fixture(&fx);
}

Test(replay, open_reports_a_stack_that_does_not_start_by_retrieving)
{
	fixture fx;
	char want[2][256];

	int rc = open_scenario(&fx, " <stack id=\"a\">"
	    "<candidates file=\"c.svm\"/><linear weights=\"wa.txt\"/></stack>\n"
	    " <stack id=\"b\"><linear weights=\"wb.txt\"/>"
	    "<candidates file=\"c.svm\"/></stack>\n", svm_txt, qrels_txt,
	    "qid\ttext\nq1\tone\n");
	cr_assert_eq(rc, PF_EFORMAT);
	cr_assert_null(fx.r);
	snprintf(want[0], sizeof(want[0]), "%s:4: stack 'b' must start with a "
	    "retrieval stage (bm25, dense, candidates)", fx.path);
	snprintf(want[1], sizeof(want[1]), "%s:4: stage 'candidates' "
	    "retrieves and must come first in its stack", fx.path);
	cr_assert_eq(fx.d.n, 2, "%zu: %s", fx.d.n, fx.d.msg[0]);
	cr_assert_str_eq(fx.d.msg[0], want[0]);
	cr_assert_str_eq(fx.d.msg[1], want[1]);
	close_fixture(&fx);
}

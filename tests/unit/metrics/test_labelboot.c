/*
 * test_labelboot.c — the nested (queries, then labels) bootstrap of
 * metrics/labelboot.h: with one label per pair the nested CI is the query
 * bootstrap's CI of pf_stats_compare_paired to the bit (same stream) and
 * the labels-only CI is a point; with disagreeing annotators the nested CI
 * is wider; identical stacks give delta 0 in every draw (common random
 * numbers); one thread and two give the same bytes; the aggregators.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "metrics/labelboot.h"
#include "metrics/stats.h"

#define NQ	12
#define NP	4	/* pairs per query */
#define NL	3	/* labels per pair (or 1) */

typedef struct fixture {
	pf_te_spec	*spec;
	pf_te_opts	 te;
	size_t		 value;
	int32_t		 labels[NQ][NP * NL];
	uint32_t	 loff[NQ][NP + 1];
	int32_t		 ra[NQ][NP + 1], rb[NQ][NP + 1];
	pf_lb_query	 q[NQ];
} fixture;

/* NDCG@4 of a ranking under the median of each pair's labels. */
static double
value(fixture *f, size_t i, const int32_t *rank, size_t nret)
{
	int32_t gr[NP], qr[NP], rel[NP + 1], tmp[NL];
	double v[64];

	for (size_t p = 0; p < NP; p++) {
		uint32_t m = f->loff[i][p + 1] - f->loff[i][p];
		memcpy(tmp, &f->labels[i][f->loff[i][p]], m * sizeof(int32_t));
		for (uint32_t a = 1; a < m; a++)	/* sort */
			for (uint32_t b = a; b > 0 && tmp[b - 1] > tmp[b]; b--) {
				int32_t t = tmp[b];
				tmp[b] = tmp[b - 1];
				tmp[b - 1] = t;
			}
		gr[p] = tmp[(m - 1) / 2];
		qr[p] = gr[p];
	}
	for (size_t a = 1; a < NP; a++)		/* descending */
		for (size_t b = a; b > 0 && qr[b - 1] < qr[b]; b--) {
			int32_t t = qr[b];
			qr[b] = qr[b - 1];
			qr[b - 1] = t;
		}
	for (size_t r = 0; r < nret; r++)
		rel[r] = rank[r] < 0 ? PF_TE_NONPOOL : gr[rank[r]];
	pf_te_topic t = {.rel = rel, .nret = nret, .qrels = qr, .nqrels = NP};
	cr_assert_eq(pf_te_eval_topic(f->spec, &f->te, &t, v, NULL, 0), PF_OK);
	return v[f->value];
}

/*
 * Query i: pairs 0..3, control ranks 0 1 2 3, treatment i-dependent. With
 * multi, pair p's labels are three: (base, base, other) with the third
 * disagreeing on half the pairs; without, the base label alone.
 */
static void
build(fixture *f, int multi, int same_stacks)
{
	pf_err err = {0};

	memset(f, 0, sizeof(*f));
	cr_assert_eq(pf_te_spec_new(&f->spec), PF_OK);
	cr_assert_eq(pf_te_spec_add(f->spec, "ndcg_cut.4", &err), PF_OK);
	cr_assert_eq(pf_te_spec_finish(f->spec, &err), PF_OK);
	f->value = (size_t)pf_te_value_index(f->spec, "ndcg_cut_4");
	pf_te_opts_init(&f->te);
	for (size_t i = 0; i < NQ; i++) {
		uint32_t o = 0;
		for (size_t p = 0; p < NP; p++) {
			int32_t base = (int32_t)((i * 5 + p * p + p / 2) % 3);
			f->loff[i][p] = o;
			f->labels[i][o++] = base;
			if (multi) {
				f->labels[i][o++] = (base + 1 + (int32_t)((i +
				    p) % 2)) % 3;
				f->labels[i][o++] = (p * i) % 3 == 1 ? 0 : 2;
			}
		}
		f->loff[i][NP] = o;
		for (size_t r = 0; r < NP; r++) {
			f->ra[i][r] = (int32_t)r;
			f->rb[i][r] = same_stacks ? (int32_t)r :
			    (int32_t)((r + i) % NP);
		}
		f->ra[i][NP] = f->rb[i][NP] = -1;	/* an unjudged doc */
		f->q[i] = (pf_lb_query){f->labels[i], f->loff[i], NP,
		    f->ra[i], f->rb[i], NP + 1, NP + 1, 0, 0};
		f->q[i].value_a = value(f, i, f->ra[i], NP + 1);
		f->q[i].value_b = value(f, i, f->rb[i], NP + 1);
	}
}

static pf_lb_opts
opts(const fixture *f, size_t B)
{
	return (pf_lb_opts){.spec = f->spec, .te = &f->te, .value = f->value,
	    .agg = PF_GRADE_MEDIAN, .n_boot = B, .alpha = 0.05, .seed = 42,
	    .id_a = 3, .id_b = 5};
}

Test(labelboot, single_label_nested_ci_is_query_ci)
{
	fixture f;
	pf_lb_result r;
	pf_stats_opts so;
	pf_stats_cmp st;
	double x[NQ], y[NQ];
	pf_err err = {0};

	build(&f, 0, 0);
	pf_lb_opts o = opts(&f, 2000);
	cr_assert_eq(pf_lb_run(f.q, NQ, &o, &r, &err), PF_OK);
	for (size_t i = 0; i < NQ; i++) {
		x[i] = f.q[i].value_a;
		y[i] = f.q[i].value_b;
	}
	pf_stats_opts_init(&so);
	so.n_boot = 2000;
	so.n_perm = 100;
	so.seed = 42;
	so.id_a = 3;
	so.id_b = 5;
	cr_assert_eq(pf_stats_compare_paired(x, y, NQ, &so, &st, &err), PF_OK);
	cr_assert(st.ci_lo < st.ci_hi, "a non-degenerate CI");
	cr_assert_eq(r.n_multi, 0);
	cr_assert_eq(r.q_lo, st.ci_lo);
	cr_assert_eq(r.q_hi, st.ci_hi);
	cr_assert_eq(r.n_lo, st.ci_lo);
	cr_assert_eq(r.n_hi, st.ci_hi);
	cr_assert_eq(r.l_lo, r.l_hi, "labels fixed: no label noise");
	cr_assert(fabs(r.l_lo - st.delta) < 1e-15);
	cr_assert_eq(r.flip, 0);
	pf_te_spec_free(f.spec);
}

Test(labelboot, disagreement_widens_the_ci)
{
	fixture f;
	pf_lb_result r;
	pf_err err = {0};

	build(&f, 1, 0);
	pf_lb_opts o = opts(&f, 2000);
	cr_assert_eq(pf_lb_run(f.q, NQ, &o, &r, &err), PF_OK);
	cr_assert_eq(r.n_multi, NQ);
	cr_assert(r.n_hi - r.n_lo > r.q_hi - r.q_lo, "nested [%g, %g] vs "
	    "queries [%g, %g]", r.n_lo, r.n_hi, r.q_lo, r.q_hi);
	cr_assert(r.l_hi > r.l_lo, "labels-only CI has width");
	cr_assert(r.flip >= 0 && r.flip <= 1);
	pf_te_spec_free(f.spec);
}

Test(labelboot, same_stacks_cancel)
{
	fixture f;
	pf_lb_result r;
	pf_err err = {0};

	build(&f, 1, 1);
	pf_lb_opts o = opts(&f, 500);
	cr_assert_eq(pf_lb_run(f.q, NQ, &o, &r, &err), PF_OK);
	cr_assert_eq(r.delta, 0);
	cr_assert_eq(r.n_lo, 0);
	cr_assert_eq(r.n_hi, 0);
	cr_assert_eq(r.l_lo, 0);
	cr_assert_eq(r.l_hi, 0);
	cr_assert_eq(r.flip, 0);
	pf_te_spec_free(f.spec);
}

Test(labelboot, same_bytes_for_one_and_two_threads)
{
	fixture f;
	pf_lb_result r1, r2;
	pf_err err = {0};

	build(&f, 1, 0);
	pf_lb_opts o = opts(&f, 3001);
	omp_set_num_threads(1);
	cr_assert_eq(pf_lb_run(f.q, NQ, &o, &r1, &err), PF_OK);
	omp_set_num_threads(2);
	cr_assert_eq(pf_lb_run(f.q, NQ, &o, &r2, &err), PF_OK);
	cr_assert_eq(memcmp(&r1, &r2, sizeof(r1)), 0);
	pf_te_spec_free(f.spec);
}

Test(labelboot, aggregators)
{
	int32_t g;
	const int32_t a[] = {0, 1, 2, 3}, b[] = {0, 0, 2, 2, 3}, c[] = {1, 2};

	cr_assert_eq(pf_grade_aggregate(a, 4, PF_GRADE_MEDIAN, &g), 1);
	cr_assert_eq(g, 1);
	cr_assert_eq(pf_grade_aggregate(a, 4, PF_GRADE_MEAN, &g), 1.5);
	cr_assert_eq(g, 2, "half rounds up");
	cr_assert_eq(pf_grade_aggregate(b, 5, PF_GRADE_MAJORITY, &g), 0);
	cr_assert_eq(g, 0, "tie 0/2 goes to the lower grade");
	cr_assert_eq(pf_grade_aggregate(c, 2, PF_GRADE_MEDIAN, &g), 1);
	cr_assert_eq(pf_grade_aggregate(b + 4, 1, PF_GRADE_MEAN, &g), 3);
	cr_assert_eq(g, 3);
}

Test(labelboot, refuses_a_pair_without_labels)
{
	fixture f;
	pf_lb_result r;
	pf_err err = {0};

	build(&f, 0, 0);
	f.loff[2][1] = f.loff[2][0];	/* pair 0 of query 2: no labels */
	pf_lb_opts o = opts(&f, 10);
	cr_assert_eq(pf_lb_run(f.q, NQ, &o, &r, &err), PF_EINVAL);
	cr_assert_str_eq(err.msg, "a judged pair of query 2 has no labels");
	pf_te_spec_free(f.spec);
}

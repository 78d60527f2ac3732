/*
 * test_pair.c — harness/analysis/pair.h: which queries pair (a value on
 * both sides; NaN is no value; a duplicate qid counts once, its first
 * value), in qid byte order whatever the lists' order; the comparison is
 * exactly pf_compare_paired on the hand-paired arrays, and the same bits
 * for the lists shuffled; no common query gives n 0 and NaN.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/analysis/pair.h"

static const pf_compare_opts opts = {.seed = 7, .n_boot = 500,
    .n_perm = 500, .alpha = 0.05, .tie_tol = 1e-9, .min_segment = 10};

Test(pair, common_queries_in_qid_order)
{
	const char *qa[] = {"q2", "q1", "q3", "q3", "q10"};
	const double va[] = {0.5, NAN, 1.0, 0.2, 0.4};
	const char *qb[] = {"q3", "q1", "q2", "q9"};
	const double vb[] = {0.5, 0.25, 0.5, 0.1};
	pf_qlist a = {qa, va, 5}, b = {qb, vb, 4};
	pf_pairing p;
	pf_err err = {0};

	cr_assert_eq(pf_pair_qids(&p, &a, &b, &err), PF_OK);
	cr_assert_eq(p.n, 2);
	/* "q10" < "q2" < "q3": q2 then q3 (its first value, position 2) */
	cr_assert_eq(p.ia[0], 0);
	cr_assert_eq(p.ib[0], 2);
	cr_assert_eq(p.ia[1], 2);
	cr_assert_eq(p.ib[1], 0);
	cr_assert_eq(p.only_a, 1, "q10");
	cr_assert_eq(p.only_b, 2, "q1 (NaN on a) and q9");
	pf_pairing_free(&p);
}

/* Twelve queries, b = a shifted on some: the paired comparison. */
static void
lists(const char **q, double *va, double *vb, size_t n)
{
	static char names[12][24];

	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "q%02zu", i);
		q[i] = names[i];
		va[i] = (double)((i * 7) % 5) / 4.0;
		vb[i] = va[i] + (i % 3 == 0 ? -0.25 : i % 3 == 1 ? 0.125 : 0);
	}
}

/* Every field the same, doubles to the bit (a memcmp of the structs
   would read the padding after `exact`). */
static int
same_cmp(const pf_cmp *a, const pf_cmp *b)
{
	const double x[] = {a->mean_a, a->mean_b, a->delta, a->rel, a->lo,
	    a->hi, a->p_perm, a->t, a->df, a->p_t, a->t_lo, a->t_hi, a->d_z,
	    a->n_needed};
	const double y[] = {b->mean_a, b->mean_b, b->delta, b->rel, b->lo,
	    b->hi, b->p_perm, b->t, b->df, b->p_t, b->t_lo, b->t_hi, b->d_z,
	    b->n_needed};

	return memcmp(x, y, sizeof(x)) == 0 && a->n == b->n &&
	    a->exact == b->exact && a->wins == b->wins &&
	    a->losses == b->losses && a->ties == b->ties;
}

Test(pair, compare_is_compare_paired_on_the_pairs)
{
	const char *q[12];
	double va[12], vb[12];
	pf_cmp got, want;
	pf_err err = {0};

	lists(q, va, vb, 12);
	pf_qlist a = {q, va, 12}, b = {q, vb, 12};
	cr_assert_eq(pf_pair_compare(&got, NULL, &a, &b, &opts, 3, 4, &err),
	    PF_OK, "%s", err.msg);
	cr_assert_eq(pf_compare_paired(&opts, va, vb, 12, opts.n_boot, 3, 4,
	    &want, &err), PF_OK);
	cr_assert(same_cmp(&got, &want));
	cr_assert_eq(got.n, 12);
	cr_assert_float_eq(got.delta, (4 * -0.25 + 4 * 0.125) / 12.0, 1e-15);
	cr_assert_eq(got.wins, 4);
	cr_assert_eq(got.losses, 4);
}

Test(pair, the_lists_order_changes_nothing)
{
	const char *q[12], *qr[12];
	double va[12], vb[12], vbr[12];
	pf_cmp x, y;
	pf_pairing p;
	pf_err err = {0};

	lists(q, va, vb, 12);
	for (size_t i = 0; i < 12; i++) {	/* b reversed */
		qr[i] = q[11 - i];
		vbr[i] = vb[11 - i];
	}
	pf_qlist a = {q, va, 12}, b = {q, vb, 12}, br = {qr, vbr, 12};
	cr_assert_eq(pf_pair_compare(&x, NULL, &a, &b, &opts, 1, 2, &err),
	    PF_OK);
	cr_assert_eq(pf_pair_compare(&y, &p, &a, &br, &opts, 1, 2, &err),
	    PF_OK);
	cr_assert(same_cmp(&x, &y));
	cr_assert_eq(p.n, 12);
	cr_assert_eq(p.ib[0], 11);
	pf_pairing_free(&p);
}

Test(pair, nothing_in_common)
{
	const char *qa[] = {"a"}, *qb[] = {"b"};
	const double v[] = {1.0};
	pf_qlist a = {qa, v, 1}, b = {qb, v, 1};
	pf_cmp c;
	pf_err err = {0};

	cr_assert_eq(pf_pair_compare(&c, NULL, &a, &b, &opts, 1, 2, &err),
	    PF_OK);
	cr_assert_eq(c.n, 0);
	cr_assert(isnan(c.delta) && isnan(c.lo) && isnan(c.p_perm));
}

/*
 * test_termcount.c — a document's term counter (harness/text/termcount.h):
 * counts and summed weights in first-seen order, term ids far beyond the
 * ones seen so far (data-driven cases), a reset that forgets one document
 * and keeps counting right for the next, and a long document counted
 * exactly.
 */
#include <criterion/criterion.h>

#include "harness/text/termcount.h"
#include "metrics/err.h"

/* Adds terms t[i] with weights w[i] in order. */
static void
add_all(pf_termcount *c, const uint32_t *t, const double *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(pf_termcount_add(c, t[i], w[i]), PF_OK);
}

/* c holds exactly terms id[i] with weights tf[i], in this order. */
static void
expect_list(const pf_termcount *c, const uint32_t *id, const double *tf,
    size_t n)
{
	cr_assert_eq(c->n, n, "%zu distinct terms, want %zu", c->n, n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(c->id[i], id[i], "entry %zu: term %u, want %u", i,
		    c->id[i], id[i]);
		cr_assert_eq(c->tf[i], tf[i], "entry %zu: tf %.17g, want %.17g",
		    i, c->tf[i], tf[i]);
	}
}

/* Documents as (term, weight) lists and the counts they must give. */
static const struct {
	const char	*what;
	uint32_t	 t[8];
	double		 w[8];
	size_t		 n;
	uint32_t	 id[8];
	double		 tf[8];
	size_t		 nid;
} cases[] = {
	{"weights summed, first seen first", {5, 2, 5, 9, 2, 5, 9},
	    {1, 1, 1, 1, 1, 1, 0.5}, 7, {5, 2, 9}, {3, 2, 1.5}, 3},
	/* a term id far above those seen grows the slots (zero-filled) */
	{"a large term id first", {100000, 0, 100000, 99999}, {2, 1, 2, 1}, 4,
	    {100000, 0, 99999}, {4, 1, 1}, 3},
};

Test(termcount, counts_in_first_seen_order_with_weights_summed)
{
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		pf_termcount c = PF_TERMCOUNT_INIT;

		cr_log_info("%s", cases[k].what);
		add_all(&c, cases[k].t, cases[k].w, cases[k].n);
		expect_list(&c, cases[k].id, cases[k].tf, cases[k].nid);
		pf_termcount_free(&c);
		cr_assert_null(c.id);
		cr_assert_eq(c.n, 0);
	}
	pf_termcount_free(NULL);	/* a no-op */
}

Test(termcount, reset_forgets_the_document_and_the_next_counts_afresh)
{
	const uint32_t t[] = {42, 7, 42};
	const double w[] = {1, 1, 1};
	const uint32_t id[] = {42, 7};
	const double tf[] = {2, 1};
	pf_termcount c = PF_TERMCOUNT_INIT;

	for (uint32_t k = 0; k < 100; k++)	/* the document before */
		cr_assert_eq(pf_termcount_add(&c, k, 1.0), PF_OK);
	pf_termcount_reset(&c);
	cr_assert_eq(c.n, 0);
	add_all(&c, t, w, 3);
	expect_list(&c, id, tf, 2);
	pf_termcount_free(&c);
}

Test(termcount, a_long_document_is_counted_exactly)
{
	/* "a b a c a" (terms 0 1 0 2 0) n times, then 3000 terms once
	   each: tf a 3n, b n, c n, every other 1. */
	enum { N = 200000, M = 3000 };
	const uint32_t unit[] = {0, 1, 0, 2, 0};
	const double one[] = {1, 1, 1, 1, 1};
	static uint32_t id[3 + M];
	static double tf[3 + M];
	pf_termcount c = PF_TERMCOUNT_INIT;

	for (size_t i = 0; i < N; i++)
		add_all(&c, unit, one, 5);
	for (uint32_t t = 0; t < 3 + M; t++) {
		id[t] = t;
		tf[t] = t == 0 ? 3.0 * N : t < 3 ? N : 1;
		if (t >= 3)
			cr_assert_eq(pf_termcount_add(&c, t, 1.0), PF_OK);
	}
	expect_list(&c, id, tf, 3 + M);
	pf_termcount_free(&c);
}

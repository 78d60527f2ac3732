/*
 * test_termcount.c — a document's term counter (harness/text/termcount.h):
 * counts and summed weights in first-seen order, term ids far beyond the
 * ones seen so far, a reset that forgets one document and keeps counting
 * right for the next, and a long document counted exactly.
 */
#include <criterion/criterion.h>

#include "harness/text/termcount.h"
#include "metrics/err.h"

/* Term id of c's entry i and its weight. */
static void
expect_entry(const pf_termcount *c, size_t i, uint32_t id, double tf)
{
	cr_assert_lt(i, c->n);
	cr_assert_eq(c->id[i], id, "entry %zu: term %u, want %u", i, c->id[i],
	    id);
	cr_assert_eq(c->tf[i], tf, "entry %zu: tf %.17g, want %.17g", i,
	    c->tf[i], tf);
}

Test(termcount, counts_in_first_seen_order_with_weights_summed)
{
	pf_termcount c = PF_TERMCOUNT_INIT;
	const uint32_t toks[] = {5, 2, 5, 9, 2, 5};

	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(pf_termcount_add(&c, toks[i], 1.0), PF_OK);
	cr_assert_eq(pf_termcount_add(&c, 9, 0.5), PF_OK);
	cr_assert_eq(c.n, 3);
	expect_entry(&c, 0, 5, 3.0);
	expect_entry(&c, 1, 2, 2.0);
	expect_entry(&c, 2, 9, 1.5);
	pf_termcount_free(&c);
	cr_assert_null(c.id);
	cr_assert_eq(c.n, 0);
	pf_termcount_free(NULL);	/* a no-op */
}

Test(termcount, a_large_term_id_first_grows_the_slots)
{
	pf_termcount c = PF_TERMCOUNT_INIT;

	cr_assert_eq(pf_termcount_add(&c, 100000, 2.0), PF_OK);
	cr_assert_eq(pf_termcount_add(&c, 0, 1.0), PF_OK);
	cr_assert_eq(pf_termcount_add(&c, 100000, 2.0), PF_OK);
	cr_assert_eq(pf_termcount_add(&c, 99999, 1.0), PF_OK);
	cr_assert_eq(c.n, 3);
	expect_entry(&c, 0, 100000, 4.0);
	expect_entry(&c, 1, 0, 1.0);
	expect_entry(&c, 2, 99999, 1.0);
	pf_termcount_free(&c);
}

Test(termcount, reset_forgets_the_document_and_the_next_counts_afresh)
{
	pf_termcount c = PF_TERMCOUNT_INIT;

	for (uint32_t t = 0; t < 100; t++)
		cr_assert_eq(pf_termcount_add(&c, t, 1.0), PF_OK);
	pf_termcount_reset(&c);
	cr_assert_eq(c.n, 0);
	cr_assert_eq(pf_termcount_add(&c, 42, 1.0), PF_OK);
	cr_assert_eq(pf_termcount_add(&c, 7, 1.0), PF_OK);
	cr_assert_eq(pf_termcount_add(&c, 42, 1.0), PF_OK);
	cr_assert_eq(c.n, 2);
	expect_entry(&c, 0, 42, 2.0);
	expect_entry(&c, 1, 7, 1.0);
	pf_termcount_free(&c);
}

Test(termcount, a_long_document_is_counted_exactly)
{
	/* "a b a c a" (terms 0 1 0 2 0) n times, then 3000 terms once
	   each: tf a 3n, b n, c n, every other 1. */
	enum { N = 200000, M = 3000 };
	const uint32_t unit[] = {0, 1, 0, 2, 0};
	pf_termcount c = PF_TERMCOUNT_INIT;

	for (size_t i = 0; i < N; i++)
		for (size_t j = 0; j < 5; j++)
			cr_assert_eq(pf_termcount_add(&c, unit[j], 1.0), PF_OK);
	for (uint32_t t = 3; t < 3 + M; t++)
		cr_assert_eq(pf_termcount_add(&c, t, 1.0), PF_OK);
	cr_assert_eq(c.n, 3 + M);
	expect_entry(&c, 0, 0, 3.0 * N);
	expect_entry(&c, 1, 1, N);
	expect_entry(&c, 2, 2, N);
	for (size_t i = 3; i < 3 + M; i++)
		expect_entry(&c, i, (uint32_t)i, 1.0);
	pf_termcount_free(&c);
}

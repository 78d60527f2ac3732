/*
 * test_featstats.c — a night's feature statistics (pf_hist_featstats) on
 * a replay built by hand: one stack, two queries of 3 and 2 candidates,
 * two feature columns (ids 1 and 2; column 2 all missing). Count, missing,
 * mean, sample sd, min, max and the 33-point quantile sketch against
 * values worked out by hand (numpy's linear interpolation).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/history/history.h"

Test(featstats, column_statistics_and_quantiles_by_hand)
{
	const float x0[] = {1, NAN, NAN, NAN, 3, NAN};	/* 3 rows x 2 */
	const float x1[] = {2, NAN, 4, NAN};		/* 2 rows x 2 */
	uint32_t r0[] = {0, 1, 2}, r1[] = {0, 1};
	uint32_t *rows[] = {r0, r1}, **rowk[] = {rows};
	pf_feats f[] = {{x0, NULL, 2, 1, NULL, NULL}, {x1, NULL, 2, 1, NULL, NULL}},
	    *fk[] = {f};
	size_t n[] = {3, 2};
	pf_stack_result st = {.id = "s", .n = n};
	pf_replay r;
	pf_hist_featstat *fs = NULL;
	size_t nfs = 0;
	pf_err err = {0};

	memset(&r, 0, sizeof(r));
	r.m.nq = 2;
	r.m.nstacks = 1;
	r.m.stacks = &st;
	r.row = rowk;
	r.feats = fk;
	cr_assert_eq(pf_hist_featstats(&fs, &nfs, &r, 0, &err), PF_OK);
	cr_assert_eq(nfs, 2);
	cr_assert_eq(fs[0].feature, 1);
	cr_assert_str_eq(fs[0].name, "f1");
	cr_assert_eq(fs[0].count, 5);
	cr_assert_eq(fs[0].missing, 1);
	cr_assert_float_eq(fs[0].mean, 2.5, 1e-15);
	cr_assert_float_eq(fs[0].sd, sqrt(5.0 / 3.0), 1e-15);
	cr_assert_float_eq(fs[0].min, 1, 0);
	cr_assert_float_eq(fs[0].max, 4, 0);
	/* sorted 1 2 3 4: quantile k/32 sits at position 3k/32 */
	cr_assert_float_eq(fs[0].q[0], 1, 0);
	cr_assert_float_eq(fs[0].q[1], 1.09375, 1e-15);
	cr_assert_float_eq(fs[0].q[16], 2.5, 1e-15);
	cr_assert_float_eq(fs[0].q[31], 3.90625, 1e-15);
	cr_assert_float_eq(fs[0].q[32], 4, 0);
	cr_assert_eq(fs[1].count, 5);
	cr_assert_eq(fs[1].missing, 5);
	cr_assert(isnan(fs[1].mean) && isnan(fs[1].q[16]));
	free(fs);
}

/*
 * A remapped list (hashed ids, stage.h's column map): the statistics are
 * per id present, named by the id, and cost what is present, not the
 * largest id; a query whose columns lack an id counts its rows missing.
 */
Test(featstats, remapped_ids_are_named_by_their_id)
{
	static const uint32_t ids0[] = {7, 4000000}, ids1[] = {7};
	const float x0[] = {1, 10, 3, NAN};	/* 2 rows x {7, 4000000} */
	const float x1[] = {5};			/* 1 row x {7} */
	uint32_t r0[] = {0, 1}, r1[] = {0};
	uint32_t *rows[] = {r0, r1}, **rowk[] = {rows};
	pf_feats f[] = {{x0, NULL, 2, 1, ids0, NULL}, {x1, NULL, 1, 1, ids1, NULL}},
	    *fk[] = {f};
	size_t n[] = {2, 1};
	pf_stack_result st = {.id = "s", .n = n};
	pf_replay r;
	pf_hist_featstat *fs = NULL;
	size_t nfs = 0;
	pf_err err = {0};

	memset(&r, 0, sizeof(r));
	r.m.nq = 2;
	r.m.nstacks = 1;
	r.m.stacks = &st;
	r.row = rowk;
	r.feats = fk;
	cr_assert_eq(pf_hist_featstats(&fs, &nfs, &r, 0, &err), PF_OK);
	cr_assert_eq(nfs, 2);
	cr_assert_eq(fs[0].feature, 7);
	cr_assert_eq(fs[0].count, 3);
	cr_assert_eq(fs[0].missing, 0);
	cr_assert_float_eq(fs[0].mean, 3.0, 1e-15);	/* 1, 3, 5 */
	cr_assert_eq(fs[1].feature, 4000000);
	cr_assert_str_eq(fs[1].name, "f4000000");
	cr_assert_eq(fs[1].count, 3);
	cr_assert_eq(fs[1].missing, 2);	/* a NaN, and query 2 lacks it */
	cr_assert_float_eq(fs[1].mean, 10.0, 0);
	free(fs);
}

/* Names the lists carry (a names file, textfeatures) name the rows; an id
   without one keeps f<id>. */
Test(featstats, named_features_keep_their_names)
{
	static const uint32_t ids0[] = {7, 4000000};
	const float x0[] = {1, 10, 3, NAN};
	uint32_t r0[] = {0, 1};
	uint32_t *rows[] = {r0}, **rowk[] = {rows};
	pf_fnames *nm = pf_fnames_new("n.tsv");
	cr_assert_not_null(nm);
	cr_assert_eq(pf_fnames_add(nm, 4000000, "hashed_ctr", 10, 0, 3), 0);
	pf_feats f[] = {{x0, NULL, 2, 1, ids0, nm}}, *fk[] = {f};
	size_t n[] = {2};
	pf_stack_result st = {.id = "s", .n = n};
	pf_replay r;
	pf_hist_featstat *fs = NULL;
	size_t nfs = 0;
	pf_err err = {0};

	memset(&r, 0, sizeof(r));
	r.m.nq = 1;
	r.m.nstacks = 1;
	r.m.stacks = &st;
	r.row = rowk;
	r.feats = fk;
	cr_assert_eq(pf_hist_featstats(&fs, &nfs, &r, 0, &err), PF_OK);
	cr_assert_eq(nfs, 2);
	cr_assert_str_eq(fs[0].name, "f7");
	cr_assert_str_eq(fs[1].name, "hashed_ctr");
	cr_assert_eq(fs[1].feature, 4000000);
	free(fs);
	pf_fnames_free(nm);
}

Test(featstats, a_stack_without_features_has_none)
{
	pf_feats f[2] = {{0}}, *fk[] = {f};
	size_t n[] = {1, 1};
	pf_stack_result st = {.id = "bm25", .n = n};
	pf_replay r;
	pf_hist_featstat *fs = (pf_hist_featstat *)1;
	size_t nfs = 9;
	pf_err err = {0};

	memset(&r, 0, sizeof(r));
	r.m.nq = 2;
	r.m.nstacks = 1;
	r.m.stacks = &st;
	r.feats = fk;
	cr_assert_eq(pf_hist_featstats(&fs, &nfs, &r, 0, &err), PF_OK);
	cr_assert_null(fs);
	cr_assert_eq(nfs, 0);
}

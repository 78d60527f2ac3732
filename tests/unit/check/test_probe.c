/*
 * test_probe.c — harness/probe: the findings on the hand-designed models of
 * tests/fixtures/probe (make_fixtures.py says what each one hides), the
 * ranges derived from split thresholds and observed in a feature file,
 * the split listing, the seeded sample, thread-count independence and the
 * refusals of bad input.
 */
#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/model/gbdt.h"
#include "harness/check/probe.h"
#include "harness/load/scenario.h"

#define PFIX	FIXTURES "/probe"

static pf_probe_opts
opts(const char *features)
{
	pf_probe_opts o;

	memset(&o, 0, sizeof(o));
	o.features = features;
	o.first = 1;		/* rows.svm: id 1 is f0 */
	o.nrows = 256;
	o.seed = 1;
	o.grid = 33;
	return o;
}

static pf_probe_report *
run(const char *model, const pf_probe_opts *o)
{
	pf_probe_report *r = NULL;
	pf_err err = {0};
	int rc = pf_probe_run(&r, model, o, &err);

	cr_assert_eq(rc, PF_OK, "%s: %s", err.where, err.msg);
	return r;
}

static void
expect_bad(const pf_probe_bad *b, size_t feat, int kind, int sign,
    size_t nrows)
{
	cr_expect_eq(b->feat, feat);
	cr_expect_eq(b->kind, kind, "kind %s", pf_probe_kind_name(b->kind));
	cr_expect_eq(b->nrows, nrows);
	cr_expect_eq(b->row, 0);
	cr_expect(isinf(b->score) && (b->score > 0) == (sign > 0), "%g",
	    b->score);
}

Test(probe, overflow_model_reports_exactly_its_four_nonfinite_probes)
{
	pf_probe_opts o = opts(PFIX "/rows.svm");
	pf_probe_report *r = run(PFIX "/overflow.json", &o);

	cr_assert_eq(r->nrows, 12);
	cr_assert_eq(r->nbad, 4);
	/* f0 >= 1e20: 3e38 + 3e38 overflows float32 */
	expect_bad(&r->bad[0], 0, PF_PROBE_POS_BIG, 1, 12);
	expect_bad(&r->bad[1], 0, PF_PROBE_POS_FLTMAX, 1, 12);
	/* f1 < -1e20: -3e38 + -3e38 overflows the other way */
	expect_bad(&r->bad[2], 1, PF_PROBE_NEG_FLTMAX, -1, 12);
	expect_bad(&r->bad[3], 1, PF_PROBE_NEG_BIG, -1, 12);
	cr_expect_eq(r->bad[1].value, (double)FLT_MAX);
	cr_expect_eq(r->nbad_rows, 48);
	cr_expect_str_eq(r->rowname[0], "row 1 (qid 1, d1)");
	/* f2 is never split on, so dead; the others are live */
	cr_expect_eq(r->ndead, 1);
	cr_expect(r->feat[2].dead);
	cr_expect_eq(r->feat[2].nsplit, 0);
	cr_expect(!r->feat[0].dead && !r->feat[1].dead);
	cr_expect_eq(r->nlive_unsplit, 0);
	cr_expect_eq(pf_probe_failed(r, 0), 1);
	pf_probe_free(r);
}

Test(probe, observed_ranges_are_min_max_and_lower_median_of_the_file)
{
	pf_probe_opts o = opts(PFIX "/rows.svm");
	pf_probe_report *r = run(PFIX "/overflow.json", &o);

	/* id 1: 0 0.7 0.3 1 0.6 0.2 0.9 0.5 0.1 0.8 0.4 0 -> sorted idx 5 */
	cr_expect_eq(r->feat[0].lo, 0.0);
	cr_expect_eq(r->feat[0].hi, 1.0);
	cr_expect_eq(r->feat[0].med, (double)0.4f);
	pf_probe_free(r);
}

Test(probe, dead_features_split_on_or_not_and_ranges_from_thresholds)
{
	pf_probe_opts o = opts(NULL);
	pf_probe_report *r = run(PFIX "/mono.json", &o);

	cr_assert_eq(r->nrows, 256);
	cr_expect_eq(r->nbad, 0);
	cr_expect_eq(r->ndead, 2);
	cr_expect_eq(r->ndead_split, 1);
	cr_expect(r->feat[1].dead);	/* split on, equal leaves */
	cr_expect_eq(r->feat[1].nsplit, 1);
	cr_expect(r->feat[3].dead);	/* never split on */
	cr_expect_eq(r->feat[3].nsplit, 0);
	cr_expect(!r->feat[0].dead && !r->feat[2].dead);
	/* f2's thresholds 0.3f, 0.6f: d = 1, median = lower median of
	   {0.3f - 1, 0.3f, 0.6f, 0.6f + 1} */
	cr_expect_eq(r->feat[2].lo, (double)0.3f - 1.0);
	cr_expect_eq(r->feat[2].hi, (double)0.6f + 1.0);
	cr_expect_eq(r->feat[2].med, (double)0.3f);
	cr_expect_eq(r->feat[3].lo, 0.0);
	cr_expect_eq(pf_probe_failed(r, 0), 0);
	cr_expect_eq(pf_probe_failed(r, 1), 1);	/* --strict */
	pf_probe_free(r);
}

Test(probe, monotone_violation_in_f2_found_on_every_row_with_its_amount)
{
	/* file ids (first-feature 1): id 3 is column 2, id 1 column 0 */
	pf_probe_mono m[3] = {{3, NULL, 1, "t"}, {1, NULL, 1, "t"},
	    {1, NULL, -1, "t"}};
	pf_probe_opts o = opts(NULL);
	pf_probe_report *r;

	o.mono = m;
	o.nmono = 3;
	r = run(PFIX "/mono.json", &o);
	cr_assert_eq(r->nmono, 3);
	/* f2: 1.0 on [0.3, 0.6), 0.5 above: one drop of 0.5 per row */
	cr_expect_eq(r->mono[0].nrows_bad, 256);
	cr_expect_eq(r->mono[0].nsteps_bad, 256);
	cr_expect_eq(r->mono[0].worst_amount, 0.5);
	cr_expect_eq(r->mono[0].worst_to, (double)0.6f);
	cr_expect_lt(r->mono[0].worst_from, (double)0.6f);
	cr_expect_geq(r->mono[0].worst_from, (double)0.3f);
	cr_expect_eq(r->mono[0].worst_row, 0);
	/* 33 even points plus the two thresholds inside the range */
	cr_expect_eq(r->mono[0].npoints, 35);
	/* f0 adds 1 + 1 at 0.5: increasing holds, decreasing fails by 2 */
	cr_expect_eq(r->mono[1].nsteps_bad, 0);
	cr_expect_eq(r->mono[2].nrows_bad, 256);
	cr_expect_eq(r->mono[2].worst_amount, 2.0);
	cr_expect_eq(pf_probe_failed(r, 0), 1);
	pf_probe_free(r);
}

Test(probe, splits_lists_nodes_and_distinct_sorted_thresholds)
{
	pf_gbdt *m = NULL;
	pf_gbdt_splits *s = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_gbdt_load(&m, PFIX "/mono.json", &err), PF_OK);
	cr_assert_eq(pf_gbdt_splits_get(&s, m, &err), PF_OK);
	cr_assert_eq(s->nfeat, 4);
	cr_expect_eq(s->nsplit[0], 2);	/* two nodes, one threshold 0.5 */
	cr_expect_eq(s->nsplit[1], 1);
	cr_expect_eq(s->nsplit[2], 2);
	cr_expect_eq(s->nsplit[3], 0);
	cr_assert_eq(s->off[1] - s->off[0], 1);
	cr_expect_eq(s->thr[s->off[0]], 0.5);
	cr_assert_eq(s->off[3] - s->off[2], 2);
	cr_expect_eq(s->thr[s->off[2]], (double)0.3f);
	cr_expect_eq(s->thr[s->off[2] + 1], (double)0.6f);
	cr_expect_eq(s->off[4], s->off[3]);
	pf_gbdt_splits_free(s);
	pf_gbdt_free(m);
}

static int
same_report(const pf_probe_report *a, const pf_probe_report *b)
{
	if (a->nbad != b->nbad || a->nfeat != b->nfeat || a->nmono != b->nmono)
		return 0;
	return memcmp(a->bad, b->bad, a->nbad * sizeof(*a->bad)) == 0 &&
	    memcmp(a->feat, b->feat, a->nfeat * sizeof(*a->feat)) == 0 &&
	    memcmp(a->mono, b->mono, a->nmono * sizeof(*a->mono)) == 0;
}

Test(probe, same_findings_for_one_and_two_threads)
{
	pf_probe_mono m[1] = {{3, NULL, 1, "t"}};
	pf_probe_opts o = opts(NULL);
	pf_probe_report *r1, *r2;

	o.mono = m;
	o.nmono = 1;
	omp_set_num_threads(1);
	r1 = run(PFIX "/mono.json", &o);
	omp_set_num_threads(2);
	r2 = run(PFIX "/mono.json", &o);
	cr_expect(same_report(r1, r2));
	pf_probe_free(r1);
	pf_probe_free(r2);
	omp_set_num_threads(1);
	r1 = run(PFIX "/overflow.json", &o);
	omp_set_num_threads(2);
	r2 = run(PFIX "/overflow.json", &o);
	cr_expect(same_report(r1, r2));
	pf_probe_free(r1);
	pf_probe_free(r2);
}

Test(probe, seeded_sample_is_sorted_reproducible_and_seed_dependent)
{
	pf_probe_opts o = opts(PFIX "/rows.svm");
	pf_probe_report *a, *b, *c;
	int differ = 0;

	o.nrows = 5;
	a = run(PFIX "/mono.json", &o);
	b = run(PFIX "/mono.json", &o);
	o.seed = 2;
	c = run(PFIX "/mono.json", &o);
	cr_assert_eq(a->nrows, 5);
	cr_expect_eq(a->nrows_avail, 12);
	for (size_t i = 0; i < 5; i++) {
		cr_expect_str_eq(a->rowname[i], b->rowname[i]);
		differ |= strcmp(a->rowname[i], c->rowname[i]) != 0;
		if (i > 0) {	/* "row N (...": ascending N */
			unsigned long p = strtoul(a->rowname[i - 1] + 4, NULL,
			    10), q = strtoul(a->rowname[i] + 4, NULL, 10);
			cr_expect_lt(p, q);
		}
	}
	cr_expect(differ, "seeds 1 and 2 drew the same 5 of 12 rows");
	pf_probe_free(a);
	pf_probe_free(b);
	pf_probe_free(c);
}

static void
expect_refused(const char *model, const pf_probe_opts *o, int code,
    const char *where, const char *frag)
{
	pf_probe_report *r = NULL;
	pf_err err = {0};

	cr_expect_eq(pf_probe_run(&r, model, o, &err), code, "%s: %s",
	    err.where, err.msg);
	cr_expect_null(r);
	cr_expect_str_eq(err.where, where);
	cr_expect(strstr(err.msg, frag) != NULL, "message: %s", err.msg);
}

Test(probe, bad_input_is_refused_with_the_file_named)
{
	pf_probe_opts o = opts(NULL);
	pf_probe_mono m[1] = {{8, NULL, 1, "scn.xml:3"}};

	expect_refused(PFIX "/none.json", &o, PF_EIO, PFIX "/none.json",
	    "cannot open");
	expect_refused(PFIX "/rows.svm", &o, PF_EFORMAT, PFIX "/rows.svm:1",
	    "expected an XGBoost JSON model");
	o.features = PFIX "/wide.svm";
	expect_refused(PFIX "/mono.json", &o, PF_EDATA, PFIX "/wide.svm:2",
	    "feature ids up to 9");
	o.features = PFIX "/missing.svm";
	expect_refused(PFIX "/mono.json", &o, PF_EIO, PFIX "/missing.svm",
	    "");
	o.features = NULL;
	o.mono = m;
	o.nmono = 1;
	expect_refused(PFIX "/mono.json", &o, PF_EDATA, "scn.xml:3",
	    "monotone feature f8: the model reads file feature ids 1..4");
}

Test(probe, scenario_declares_monotone_expectations_with_their_lines)
{
	pf_diags d;
	pf_scenario *s = NULL;

	memset(&d, 0, sizeof(d));
	cr_assert_eq(pf_scenario_load(&s, PFIX "/probe.xml", &d), PF_OK,
	    "%s", d.n ? d.msg[0] : "");
	cr_assert_eq(s->nmono, 3);
	cr_expect_eq(s->mono[0].feat, 0);
	cr_expect_eq(s->mono[0].dir, 1);
	cr_expect_eq(s->mono[0].line, 10);
	cr_expect_eq(s->mono[1].feat, 2);
	cr_expect_eq(s->mono[2].feat, 3);
	cr_expect_eq(s->mono[2].dir, -1);
	pf_scenario_free(s);

	memset(&d, 0, sizeof(d));
	cr_expect_eq(pf_scenario_load(&s, PFIX "/probe_bad.xml", &d),
	    PF_EFORMAT);
	cr_assert_geq(d.n, 1);
	cr_expect(strstr(d.msg[0], "probe_bad.xml:12:") != NULL, "%s",
	    d.msg[0]);
}

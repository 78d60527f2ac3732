/*
 * test_svmlight.c — LETOR / SVMlight and LightGBM-layout loading: the
 * column map (dense for near-contiguous ids, remapped to the ids present
 * otherwise, by the rule of svmlight.h, whatever the rows' order), values
 * float32 cannot hold refused at path:line, malformed lines.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/svmlight.h"
#include "harness/stages/stage.h"

Test(svmlight, scattered_ids_are_remapped_with_nan_for_absent)
{
	pf_svm *s;
	pf_err err = {0};
	pf_svm_opts o = {.need_double = 1};

	/* ids 1, 2, 3 and 300: 4 distinct ids, width 300 > 2 x 4 + 16 */
	cr_assert_eq(pf_svm_load(&s, FIXTURES "/svm/small.svm", &o, &err),
	    PF_OK, "%s: %s", err.where, err.msg);
	cr_assert_eq(s->nrows, 3);
	cr_assert_eq(s->nf, 4, "one column per id present");
	cr_assert_not_null(s->id);
	const uint32_t want[] = {1, 2, 3, 300};
	cr_assert_arr_eq(s->id, want, sizeof(want));
	cr_assert_eq(s->nq, 2);
	cr_assert_str_eq(s->qid[0], "10");
	cr_assert_str_eq(s->qid[1], "7");
	cr_assert_eq(s->qoff[1], 2);
	cr_assert_str_eq(s->docid[1], "docB");
	cr_assert_eq(s->grade[0], 2);
	cr_assert_eq(s->x32[0], 0.5f);
	cr_assert(isnan(s->x32[1]));
	cr_assert_eq(s->x64[1], 0.0);	/* LightGBM: absent = 0.0 */
	cr_assert_eq(s->x32[2], 1.25f);
	cr_assert(isnan(s->x32[3]));
	cr_assert_eq(s->x32[4 + 1], -1.0f);
	cr_assert_eq(s->x32[8 + 0], 3.0f);
	cr_assert_eq(s->x32[8 + 3], 0.1f);
	cr_assert_eq(s->x64[8 + 3], 0.1);
	pf_svm_free(s);
}

/* Loads text written to a temporary file; *out NULL on failure. */
static int
load_into(pf_svm **out, const char *text, int dbl, pf_err *err)
{
	char path[64];
	pf_svm_opts o = {.need_double = dbl};

	snprintf(path, sizeof(path), "/tmp/pf_svm_%d.svm", (int)getpid());
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	int rc = pf_svm_load(out, path, &o, err);
	cr_assert((rc == PF_OK) == (*out != NULL));
	unlink(path);
	return rc;
}

/* load_into that must succeed. */
static pf_svm *
load_ok(const char *text, int dbl)
{
	pf_svm *s;
	pf_err err = {0};

	cr_assert_eq(load_into(&s, text, dbl, &err), PF_OK, "%s: %s",
	    err.where, err.msg);
	return s;
}

Test(svmlight, near_contiguous_ids_are_dense_with_nan_for_absent)
{
	pf_svm *s;

	/* ids 1, 2, 3, 20: width 20 <= 2 x 4 + 16 */
	s = load_ok("2 qid:10 1:0.5 3:1.25 # docA\n"
	    "0 qid:10 2:-1 # docB\n1 qid:7 1:3 20:0.1 # x\n", 1);
	cr_assert_null(s->id, "dense: column j is id j + 1");
	cr_assert_eq(s->nf, 20);
	cr_assert_eq(s->base, 1);
	cr_assert_eq(s->x32[0], 0.5f);
	cr_assert(isnan(s->x32[1]));
	cr_assert_eq(s->x64[1], 0.0);
	cr_assert_eq(s->x32[2], 1.25f);
	cr_assert_eq(s->x32[20 + 1], -1.0f);
	cr_assert_eq(s->x32[40 + 19], 0.1f);
	cr_assert_eq(s->x64[40 + 19], 0.1);
	pf_svm_free(s);
}

Test(svmlight, the_layout_rule_is_width_at_most_twice_the_ids_plus_slack)
{
	pf_svm *s;
	char text[128];

	/* one id: dense up to width 2 + PF_SVM_SLACK, remapped beyond */
	snprintf(text, sizeof(text), "1 qid:1 %d:7\n", 2 + PF_SVM_SLACK);
	s = load_ok(text, 0);
	cr_assert_null(s->id);
	cr_assert_eq(s->nf, 2 + PF_SVM_SLACK);
	cr_assert_eq(s->x32[s->nf - 1], 7.0f);
	pf_svm_free(s);
	snprintf(text, sizeof(text), "1 qid:1 %d:7\n", 3 + PF_SVM_SLACK);
	s = load_ok(text, 0);
	cr_assert_not_null(s->id);
	cr_assert_eq(s->nf, 1);
	cr_assert_eq(s->id[0], 3 + PF_SVM_SLACK);
	cr_assert_eq(s->x32[0], 7.0f);
	pf_svm_free(s);
}

/* Three rows over ids 1..5, every id shifted by shift. */
static void
shifted_rows(char *buf, size_t n, long shift)
{
	snprintf(buf, n, "2 qid:1 %ld:0.5 %ld:1 %ld:-3 # a\n"
	    "0 qid:1 %ld:4 %ld:0.25 # b\n1 qid:2 %ld:1e-3 %ld:8 %ld:2 # c\n",
	    1 + shift, 2 + shift, 5 + shift, 2 + shift, 3 + shift, 1 + shift,
	    4 + shift, 5 + shift);
}

Test(svmlight, ids_shifted_by_four_million_keep_the_same_values)
{
	pf_svm *d, *r;
	char dt[256], rt[256];

	shifted_rows(dt, sizeof(dt), 0);
	shifted_rows(rt, sizeof(rt), 4000000);
	d = load_ok(dt, 1);
	r = load_ok(rt, 1);
	cr_assert_null(d->id);
	cr_assert_not_null(r->id, "ids 4000001..4000005: remapped");
	cr_assert_eq(d->nf, 5);
	cr_assert_eq(r->nf, 5);
	for (size_t j = 0; j < 5; j++)
		cr_assert_eq(r->id[j], 4000001 + j);
	/* the same matrix, bit for bit (NaN where absent) */
	cr_assert_arr_eq(d->x32, r->x32, 3 * 5 * sizeof(float));
	cr_assert_arr_eq(d->x64, r->x64, 3 * 5 * sizeof(double));
	pf_svm_free(d);
	pf_svm_free(r);
}

Test(svmlight, one_huge_id_takes_one_column_and_little_memory)
{
	struct rusage before, after;
	pf_svm *s;

	/* was 16 rows x 2^22 floats (268 MB) before the column map */
	cr_assert_eq(getrusage(RUSAGE_SELF, &before), 0);
	s = load_ok("1 qid:1 4000000:1 # d1\n", 1);
	cr_assert_eq(getrusage(RUSAGE_SELF, &after), 0);
	cr_assert_eq(s->nf, 1);
	cr_assert_eq(s->id[0], 4000000);
	cr_assert_eq(s->x32[0], 1.0f);
	cr_assert_eq(s->x64[0], 1.0);
	cr_assert_lt(after.ru_maxrss - before.ru_maxrss, 16 * 1024,
	    "peak RSS grew by %ld KiB", after.ru_maxrss - before.ru_maxrss);
	pf_svm_free(s);
}

Test(svmlight, the_layout_depends_on_the_ids_not_on_their_order)
{
	pf_svm *a, *b;
	char *ta = calloc(1, 8192), *tb = calloc(1, 8192);
	size_t la = 0, lb = 0;

	/* ids 1..60, one a row: first ascending (dense all along), then
	   60 first (remapped while it reads, dense at the end) */
	for (int i = 1; i <= 60; i++) {
		la += (size_t)snprintf(ta + la, 8192 - la, "0 qid:1 %d:%d # "
		    "d%d\n", i, i, i);
		int id = i == 1 ? 60 : i - 1;
		lb += (size_t)snprintf(tb + lb, 8192 - lb, "0 qid:1 %d:%d # "
		    "d%d\n", id, id, id);
	}
	a = load_ok(ta, 0);
	b = load_ok(tb, 0);
	cr_assert_null(a->id);
	cr_assert_null(b->id, "ids 1..60 fill in: dense at the end");
	cr_assert_eq(a->nf, 60);
	cr_assert_eq(b->nf, 60);
	for (size_t i = 0; i < 60; i++) {
		size_t ja = i, jb = i == 0 ? 59 : i - 1;
		cr_assert_eq(a->x32[i * 60 + ja], (float)(ja + 1));
		cr_assert_eq(b->x32[i * 60 + jb], (float)(jb + 1), "row %zu", i);
	}
	pf_svm_free(a);
	pf_svm_free(b);
	free(ta);
	free(tb);
}

Test(svmlight, a_late_huge_id_turns_a_dense_matrix_remapped)
{
	pf_svm *s;

	s = load_ok("1 qid:1 1:1 2:2 3:3 # a\n"
	    "0 qid:1 2:5 # b\n0 qid:1 3:6 900000:7 # c\n", 1);
	const uint32_t want[] = {1, 2, 3, 900000};
	cr_assert_eq(s->nf, 4);
	cr_assert_arr_eq(s->id, want, sizeof(want));
	const float x[] = {1, 2, 3, NAN, NAN, 5, NAN, NAN, NAN, NAN, 6, 7};
	for (size_t i = 0; i < 12; i++)
		cr_assert(isnan(x[i]) ? isnan(s->x32[i]) : s->x32[i] == x[i],
		    "value %zu: %g", i, (double)s->x32[i]);
	cr_assert_eq(s->x64[3], 0.0);
	cr_assert_eq(s->x64[11], 7.0);
	pf_svm_free(s);
}

Test(svmlight, many_scattered_ids_grow_the_hash)
{
	pf_svm *s;
	char *t = calloc(1, 1 << 16);
	size_t len = 0;

	/* 500 hashed ids, descending across rows, 5 per row */
	for (int r = 0; r < 100; r++) {
		len += (size_t)snprintf(t + len, (1 << 16) - len, "0 qid:1");
		for (int k = 0; k < 5; k++)
			len += (size_t)snprintf(t + len, (1 << 16) - len,
			    " %d:%d", (100 - r) * 7919 + k * 1000003, r * 5 + k);
		len += (size_t)snprintf(t + len, (1 << 16) - len, " # d%d\n",
		    r);
	}
	s = load_ok(t, 0);
	cr_assert_eq(s->nf, 500);
	for (size_t j = 1; j < s->nf; j++)
		cr_assert_lt(s->id[j - 1], s->id[j], "ascending ids");
	pf_feats f = {s->x32, NULL, s->nf, s->base, s->id, NULL};
	for (int r = 0; r < 100; r++)
		for (int k = 0; k < 5; k++) {
			long c = pf_feats_col(&f, (100 - r) * 7919 + k *
			    1000003);
			cr_assert_geq(c, 0);
			cr_assert_eq(s->x32[(size_t)r * 500 + (size_t)c],
			    (float)(r * 5 + k));
		}
	cr_assert_eq(pf_feats_col(&f, 12), -1);
	pf_svm_free(s);
	free(t);
}

Test(svmlight, values_beyond_float32_are_refused_with_the_feature_id)
{
	static const char *const bad[] = {"3:1e39", "3:-1e39", "3:inf",
	    "3:-inf", "3:3.4028236e38"};
	pf_svm *s;
	pf_err err = {0};
	char text[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "1 qid:1 1:0\n1 qid:1 1:2 %s\n",
		    bad[i]);
		cr_assert_eq(load_into(&s, text, 0, &err), PF_EFORMAT, "%s",
		    bad[i]);
		cr_assert(strlen(err.where) > 2 && strcmp(err.where +
		    strlen(err.where) - 2, ":2") == 0, "%s", err.where);
		cr_assert(strstr(err.msg, "feature 3: value") != NULL, "%s",
		    err.msg);
	}
	cr_assert_not_null(strstr(err.msg, "float32"), "%s", err.msg);
	cr_assert_eq(load_into(&s, "1 qid:1 3:inf\n", 0, &err), PF_EFORMAT);
	cr_assert_not_null(strstr(err.msg, "is infinite"), "%s", err.msg);
	/* the largest float32 (and what rounds to it) is a value */
	s = load_ok("1 qid:1 3:3.4028235e38 4:-3.4028235e38\n", 0);
	cr_assert_eq(s->x32[2], FLT_MAX);
	cr_assert_eq(s->x32[3], -FLT_MAX);
	pf_svm_free(s);
}

/*
 * "nan" is an explicit missing value, as XGBoost and LightGBM read it: NaN
 * in the float32 rows (as absent is) and NaN in the doubles, where absent
 * is 0.0 (LightGBM's missing, not its zero).
 */
Test(svmlight, nan_is_an_explicit_missing_value)
{
	pf_svm *s = load_ok("1 qid:1 1:0.5 2:nan 3:NaN\n", 1);

	cr_assert_eq(s->x32[0], 0.5f);
	cr_assert(isnan(s->x32[1]) && isnan(s->x32[2]));
	cr_assert(isnan(s->x64[1]) && isnan(s->x64[2]));
	pf_svm_free(s);
	s = load_ok("1 qid:1 1:0.5 3:1\n", 1);
	cr_assert(isnan(s->x32[1]), "absent: NaN in float32");
	cr_assert_eq(s->x64[1], 0.0, "absent: 0.0 in the doubles");
	pf_svm_free(s);
}

/* The text rules of every loader, on a file read a line at a time. */
Test(svmlight, a_byte_order_mark_is_dropped_and_a_nul_byte_refused)
{
	pf_svm *s;
	pf_err err = {0};

	s = load_ok("\xef\xbb\xbf" "2 qid:1 1:0.5\n1 qid:1 1:1\n", 0);
	cr_assert_eq(s->nrows, 2);
	cr_assert_eq(s->grade[0], 2);
	pf_svm_free(s);
	static const char nul[] = "2 qid:1 1:0.5\n1 qid:1 1:\0" "1\n";
	char path[64];
	pf_svm_opts o = {0};
	snprintf(path, sizeof(path), "/tmp/pf_svm_nul_%d.svm", (int)getpid());
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(nul, 1, sizeof(nul) - 1, f), sizeof(nul) - 1);
	fclose(f);
	cr_assert_eq(pf_svm_load(&s, path, &o, &err), PF_EFORMAT);
	unlink(path);
	cr_assert(strstr(err.where, ":2") != NULL, "%s", err.where);
	cr_assert_str_eq(err.msg, "NUL byte in the line (expected text)");
}

Test(svmlight, lightgbm_layout_synthesises_qids_and_docids)
{
	pf_svm *s;
	pf_err err = {0};
	pf_svm_opts o = {.query_file = FIXTURES "/svm/lgb.svm.query"};

	cr_assert_eq(pf_svm_load(&s, FIXTURES "/svm/lgb.svm", &o, &err), PF_OK,
	    "%s", err.msg);
	cr_assert_eq(s->nq, 2);
	cr_assert_str_eq(s->qid[1], "2");
	cr_assert_str_eq(s->docid[1], "q1_d2");
	cr_assert_str_eq(s->docid[2], "q2_d1");
	pf_svm_free(s);
}

static int
load_text(const char *text, pf_err *err)
{
	pf_svm *s = NULL;
	int rc = load_into(&s, text, 0, err);

	pf_svm_free(s);
	return rc;
}

Test(svmlight, bad_lines_are_refused_with_line_numbers)
{
	pf_err err = {0};

	cr_assert_eq(load_text("1 qid:1 1:0.5\n1.5 qid:1 1:2\n", &err),
	    PF_EFORMAT);
	cr_assert(strstr(err.where, ":2") != NULL);
	cr_assert_eq(load_text("1 qid:1 2:0.5 1:2\n", &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "increase") != NULL, "%s", err.msg);
	cr_assert_eq(load_text("1 qid:1 1:abc\n", &err), PF_EFORMAT);
	cr_assert_eq(load_text("1 1:1\n", &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "qid") != NULL, "%s", err.msg);
	cr_assert_eq(load_text("1 qid:1 1:1 # a\n1 qid:2 1:1\n1 qid:1 1:1\n",
	    &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "contiguous") != NULL, "%s", err.msg);
	cr_assert_eq(load_text("1 qid:1 1:1 # a\n1 qid:1 1:1 # a\n", &err),
	    PF_EFORMAT);
	cr_assert(strstr(err.msg, "duplicate docid") != NULL, "%s", err.msg);
	cr_assert_eq(load_text("", &err), PF_EFORMAT);
}

Test(svmlight, shipped_lightgbm_test_data_loads)
{
	pf_svm *s;
	pf_err err = {0};
	pf_svm_opts o = {.query_file = SHARED_DIR
	    "/data/lightgbm_lambdarank/rank.test.query"};

	if (access(SHARED_DIR "/data/lightgbm_lambdarank/rank.test", R_OK))
		cr_skip_test("shared data absent");
	cr_assert_eq(pf_svm_load(&s, SHARED_DIR
	    "/data/lightgbm_lambdarank/rank.test", &o, &err), PF_OK, "%s",
	    err.msg);
	cr_assert_eq(s->nrows, 768);
	cr_assert_eq(s->nq, 50);
	pf_svm_free(s);
}

/*
 * Values are strtod's correctly rounded double, and (float) of it in
 * float32, whichever path reads them: the 8-digits-at-a-time one (a token
 * in the middle of a line, 32 bytes or more before the chunk's end, float32
 * only, a column an earlier row of the chunk has), the byte loop (the last
 * token of the file, the doubles kept) and strtod (exponents, long
 * mantissas). Each spelling is put at both places of rows 2 and 3, the
 * expectation computed here by strtod.
 */
Test(svmlight, values_are_strtods_on_every_path)
{
	static const char *const v[] = {
	    "0.123456", "2601.085300", "26", "0", "5.", ".5", "+.5", "-.5",
	    "+5", "-0", "-0.0", "1234567.1234567", "12345678.1",
	    "1.12345678", "0.00000001", "9999999.9999999",
	    "9007199254740993", "9007199254740992.5",
	    "0.1000000000000000055511151231257827",
	    "123456789012345678901234567890", "0.30000000000000004",
	    "16777217", "16777219", "1.00000005960464477539062",
	    "1.0000000596046448", "1.00000017881393432617187",
	    "0.000000000000000000000001", "1e5", "1E-5", "2.5e+3", "-7e0",
	    "1.4e-45", "7e-46", "1e-320", "2.4703282292062328e-324",
	    "3.4028235e38", "-3.4028235e38", "1e22", "1e23",
	    "4.9406564584124654e-324"};
	char text[512];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		double d = strtod(v[i], NULL);
		float f = (float)d;
		for (int dbl = 0; dbl < 2; dbl++) {
			snprintf(text, sizeof(text), "1 qid:1 1:1 2:1 3:1 "
			    "4:1\n1 qid:1 1:%s 2:%s 3:1 4:0.5 # a docid "
			    "padding the line\n1 qid:1 1:%s 2:%s", v[i], v[i],
			    v[i], v[i]);
			pf_svm *s = load_ok(text, dbl);
			cr_assert_eq(s->nf, 4);
			for (size_t k = 0; k < 4; k++) {
				size_t at = 4 + k / 2 * 4 + k % 2;
				cr_assert(memcmp(&s->x32[at], &f, sizeof(f)) ==
				    0, "%s (float32, dbl %d, cell %zu): %a, "
				    "expected %a", v[i], dbl, at,
				    (double)s->x32[at], (double)f);
				cr_assert(!dbl || memcmp(&s->x64[at], &d,
				    sizeof(d)) == 0, "%s (double): %a, "
				    "expected %a", v[i], s->x64[at], d);
			}
			pf_svm_free(s);
		}
	}
}

/* What no path reads as a number is refused at its line by every path:
   mid-line (where the fast path looks first) as at the end. */
Test(svmlight, non_numbers_are_refused_mid_line_as_at_the_end)
{
	static const char *const bad[] = {"1e39", "-1e39", "inf", "1..5",
	    "1.5.", "--5", "+-5", "5-", "0x10", ".", "-", "1e", "1e+",
	    "12345678.1x", "1.5e3x", "nan(1)", "1,5"};
	char text[512];
	pf_svm *s;
	pf_err err = {0};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (int at_end = 0; at_end < 2; at_end++) {
			snprintf(text, sizeof(text), "1 qid:1 1:0.5 2:0.25 3:1 "
			    "4:1 5:1 6:1 7:1\n1 qid:1 1:0.5 2:%s%s\n", bad[i],
			    at_end ? "" :
			    " 3:0.125 4:0.0625 5:1 6:2 7:3 # a long docid");
			cr_assert_eq(load_into(&s, text, 0, &err), PF_EFORMAT,
			    "%s", bad[i]);
			cr_assert(strcmp(err.where + strlen(err.where) - 2,
			    ":2") == 0, "%s: %s", bad[i], err.where);
			cr_assert_not_null(strstr(err.msg, "feature 2: value"),
			    "%s: %s", bad[i], err.msg);
		}
	/* ids: leading zeros are the same id; one that does not increase
	   is refused mid-line too */
	s = load_ok("1 qid:1 1:1 2:1 3:1\n1 qid:1 01:0.5 0002:0.25 3:1 4:1 5:1 "
	    "6:1 # docid\n1 qid:1 1:1\n", 0);
	cr_assert_eq(s->x32[6], 0.5f);
	cr_assert_eq(s->x32[7], 0.25f);
	pf_svm_free(s);
	cr_assert_eq(load_into(&s, "1 qid:1 1:1 2:1 3:1\n1 qid:1 1:0.5 "
	    "0001:0.25 3:1 4:1 5:1 6:1 # docid\n", 0, &err), PF_EFORMAT);
	cr_assert_not_null(strstr(err.msg, "must increase"), "%s", err.msg);
}

/*
 * test_svmlight_base.c — zero-based SVMlight files (the libsvm files
 * XGBoost and LightGBM write) and gzip-compressed ones: the feature base
 * given (0, 1) or read from the file (0 when some row has feature id 0),
 * the layout a one-based read of a one-based file gives either way, id 0
 * refused where the base is 1 with the way around it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <zlib.h>

#include "harness/load/svmlight.h"

/* text in a temporary file (gzip-compressed when gz), loaded with base. */
static int
load_as(pf_svm **out, const char *text, int base, int gz, pf_err *err)
{
	char path[64];
	pf_svm_opts o = {.feature_base = base, .need_double = 1};

	snprintf(path, sizeof(path), "/tmp/pf_svmb_%d.svm%s", (int)getpid(),
	    gz ? ".gz" : "");
	if (gz) {
		gzFile g = gzopen(path, "wb");
		cr_assert_not_null(g);
		gzputs(g, text);
		gzclose(g);
	} else {
		FILE *f = fopen(path, "w");
		cr_assert_not_null(f);
		fputs(text, f);
		fclose(f);
	}
	int rc = pf_svm_load(out, path, &o, err);
	unlink(path);
	return rc;
}

static pf_svm *
ok(const char *text, int base, int gz)
{
	pf_svm *s;
	pf_err err = {0};

	cr_assert_eq(load_as(&s, text, base, gz, &err), PF_OK, "%s: %s",
	    err.where, err.msg);
	return s;
}

/* Same rows, layout and values. */
static void
same(const pf_svm *a, const pf_svm *b)
{
	cr_assert_eq(a->nrows, b->nrows);
	cr_assert_eq(a->nf, b->nf);
	cr_assert_eq(a->base, b->base);
	cr_assert_eq(a->id == NULL, b->id == NULL);
	if (a->id != NULL)
		cr_assert_arr_eq(a->id, b->id, a->nf * sizeof(*a->id));
	for (size_t i = 0; i < a->nrows * a->nf; i++) {
		cr_assert(a->x32[i] == b->x32[i] || (isnan(a->x32[i]) &&
		    isnan(b->x32[i])), "x32[%zu]", i);
		cr_assert_eq(a->x64[i], b->x64[i]);
	}
	for (size_t i = 0; i < a->nrows; i++)
		cr_assert_str_eq(a->docid[i], b->docid[i]);
}

static const char zero_based[] =
    "2 qid:1 0:0.5 2:1.5 # a\n0 qid:1 1:0.25 3:7 # b\n1 qid:2 0:-1 # c\n";
static const char one_based[] =
    "2 qid:1 1:0.5 3:1.5 # a\n0 qid:1 2:0.25 4:7 # b\n1 qid:2 1:-1 # c\n";

Test(svmlight_base, a_zero_based_file_is_read_from_its_feature_zero)
{
	pf_svm *a = ok(zero_based, PF_SVM_BASE_AUTO, 0);
	pf_svm *z = ok(zero_based, PF_SVM_BASE_ZERO, 0);

	cr_assert_eq(a->base, 0);
	cr_assert_null(a->id);
	cr_assert_eq(a->nf, 4);
	cr_assert_eq(a->x32[0], 0.5f);		/* column j = id j */
	cr_assert(isnan(a->x32[1]));
	cr_assert_eq(a->x32[2], 1.5f);
	cr_assert_eq(a->x32[4 + 3], 7.0f);
	cr_assert_eq(a->x64[4 + 0], 0.0);	/* absent: LightGBM's 0 */
	cr_assert_eq(a->x32[8 + 0], -1.0f);
	same(a, z);
	pf_svm_free(a);
	pf_svm_free(z);
}

Test(svmlight_base, a_one_based_file_reads_the_same_from_the_file_or_told)
{
	pf_svm *a = ok(one_based, PF_SVM_BASE_AUTO, 0);
	pf_svm *o = ok(one_based, PF_SVM_BASE_ONE, 0);
	pf_svm *z = ok(one_based, PF_SVM_BASE_ZERO, 0);

	same(a, o);
	cr_assert_eq(a->base, 1);
	cr_assert_eq(a->nf, 4);
	/* told zero-based: a column 0 no row has, the same values beside */
	cr_assert_eq(z->base, 0);
	cr_assert_eq(z->nf, 5);
	for (size_t i = 0; i < z->nrows; i++) {
		cr_assert(isnan(z->x32[i * 5]));
		for (size_t j = 0; j < 4; j++)
			cr_assert(z->x32[i * 5 + j + 1] == a->x32[i * 4 + j] ||
			    isnan(a->x32[i * 4 + j]));
	}
	pf_svm_free(a);
	pf_svm_free(o);
	pf_svm_free(z);
}

Test(svmlight_base, remapped_files_keep_their_ids_either_way)
{
	pf_svm *z = ok("1 qid:1 0:1 4000000:2\n", PF_SVM_BASE_AUTO, 0);
	pf_svm *o = ok("1 qid:1 1:1 4000000:2\n", PF_SVM_BASE_AUTO, 0);
	const uint32_t wz[] = {0, 4000000}, wo[] = {1, 4000000};

	cr_assert_not_null(z->id);
	cr_assert_arr_eq(z->id, wz, sizeof(wz));
	cr_assert_eq(z->base, 0);
	cr_assert_arr_eq(o->id, wo, sizeof(wo));
	cr_assert_eq(o->base, 1);
	pf_svm_free(z);
	pf_svm_free(o);
	/* a width that is dense only from 1: the rule sees the real base */
	char text[512] = "1 qid:1";
	for (int id = 1; id <= 9; id++) {
		char t[16];
		snprintf(t, sizeof(t), " %d:1", id);
		strcat(text, t);
	}
	strcat(text, " 34:1\n");	/* 10 ids, width 34 <= 2 x 10 + 16 */
	pf_svm *a = ok(text, PF_SVM_BASE_AUTO, 0), *b = ok(text,
	    PF_SVM_BASE_ONE, 0);
	same(a, b);
	cr_assert_null(a->id);
	pf_svm_free(a);
	pf_svm_free(b);
}

Test(svmlight_base, feature_zero_is_refused_where_the_base_is_one)
{
	pf_svm *s;
	pf_err err = {0};

	cr_assert_eq(load_as(&s, zero_based, PF_SVM_BASE_ONE, 0, &err),
	    PF_EFORMAT);
	cr_assert_null(s);
	cr_assert(strstr(err.where, ":1") != NULL, "%s", err.where);
	cr_assert_str_eq(err.msg, "feature id '0' is not an integer >= 1 "
	    "(feature ids start at 1 here; a zero-based file: "
	    "feature-base=\"0\")");
	cr_assert_eq(load_as(&s, "1 qid:1 -1:2\n", PF_SVM_BASE_AUTO, 0, &err),
	    PF_EFORMAT);
	cr_assert_str_eq(err.msg, "feature id '-1' is not an integer >= 0");
}

Test(svmlight_base, a_gzip_file_loads_as_its_text)
{
	pf_svm *p = ok(zero_based, PF_SVM_BASE_AUTO, 0);
	pf_svm *g = ok(zero_based, PF_SVM_BASE_AUTO, 1);

	same(p, g);
	pf_svm_free(p);
	pf_svm_free(g);
}

/*
 * test_svmlight.c — LETOR / SVMlight and LightGBM-layout loading.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/svmlight.h"

Test(svmlight, letor_rows_are_dense_with_nan_for_absent)
{
	pf_svm *s;
	pf_err err = {0};
	pf_svm_opts o = {.base = 1, .need_double = 1};

	cr_assert_eq(pf_svm_load(&s, FIXTURES "/svm/small.svm", &o, &err),
	    PF_OK, "%s: %s", err.where, err.msg);
	cr_assert_eq(s->nrows, 3);
	cr_assert_eq(s->nf, 300);
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
	cr_assert_eq(s->x32[300 + 1], -1.0f);
	cr_assert_eq(s->x32[600 + 299], 0.1f);
	cr_assert_eq(s->x64[600 + 299], 0.1);
	pf_svm_free(s);
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
	char path[64];
	pf_svm *s = NULL;
	pf_svm_opts o = {0};

	snprintf(path, sizeof(path), "/tmp/pf_svm_%d.svm", (int)getpid());
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	int rc = pf_svm_load(&s, path, &o, err);
	cr_assert((rc == PF_OK) == (s != NULL));
	pf_svm_free(s);
	unlink(path);
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

/*
 * test_svmindex.c — a candidate file read in shares (load/svmindex.h):
 * for files of each column map (dense base 1, dense base 0 by the auto
 * rule, remapped ids), every split of the queries into 1..4 shares, each
 * read alone, gives the whole read's rows: the same column map (nf, base,
 * ids), bitwise the same float32 and double values, grades, docids,
 * qids and file lines. An error planted in one query is met only by the
 * share that holds it, at the whole read's path:line. A file changed
 * after the index is refused by name. The LightGBM layout (a query file
 * of group sizes) likewise.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/svmindex.h"

#define NQ	9

/* Writes a file of NQ queries; ids: "dense" 1..12, "zero" 0..12,
   "sparse" spread to 90000; bad_q >= 0: an "inf" in that query's
   second row. Blank and comment lines between queries, a leading
   comment line, docids on odd queries. */
static void
write_file_q(const char *path, const char *ids, int bad_q, int grouped)
{
	FILE *f = fopen(path, "w");
	unsigned r = 12345;

	cr_assert_not_null(f);
	fprintf(f, "# a header comment\n");
	for (int q = 0; q < NQ; q++) {
		int rows = 1 + q % 4;
		for (int i = 0; i < rows; i++) {
			if (grouped)
				fprintf(f, "%d", (q + i) % 3);
			else
				fprintf(f, "%d qid:Q%d", (q + i) % 3, q);
			for (int id = 0; id <= 12; id++) {
				r = r * 1103515245u + 12345u;
				if (id == 0 && strcmp(ids, "zero") != 0)
					continue;
				if ((r >> 16) % 3 == 0 && id != q % 12 + 1)
					continue;	/* absent */
				long fid = strcmp(ids, "sparse") == 0 ?
				    (long)id * 7919 : id;
				if (bad_q == q && i == 1 && id == q % 12 + 1)
					fprintf(f, " %ld:inf", fid);
				else
					fprintf(f, " %ld:%.3f", fid,
					    (double)((r >> 8) % 2000) / 7.0);
			}
			if (q % 2)
				fprintf(f, " # d%d_%d", q, i);
			fprintf(f, "\n");
		}
		fprintf(f, q % 3 ? "\n" : "# between\n");
	}
	fclose(f);
}

static void
write_file(const char *path, const char *ids, int bad_q)
{
	write_file_q(path, ids, bad_q, 0);
}

/* The LightGBM layout: the same rows without qid:, and PATH.query with
   the group sizes (extra: added to the last one). */
static void
write_grouped(const char *path, char *qpath, int bad_q, int extra)
{
	FILE *f;

	write_file_q(path, "dense", bad_q, 1);
	sprintf(qpath, "%s.query", path);
	cr_assert_not_null(f = fopen(qpath, "w"));
	for (int q = 0; q < NQ; q++)
		fprintf(f, "%d\n", 1 + q % 4 + (q == NQ - 1 ? extra : 0));
	fclose(f);
}

static void
same_rows(const pf_svm *w, const pf_svm *s)
{
	cr_assert_eq(s->nf, w->nf);
	cr_assert_eq(s->base, w->base);
	cr_assert_eq(s->id == NULL, w->id == NULL);
	if (w->id != NULL)
		cr_assert_eq(memcmp(s->id, w->id, w->nf * sizeof(*w->id)), 0);
	for (size_t k = 0; k < s->nq; k++) {
		size_t q = 0;
		while (q < w->nq && strcmp(w->qid[q], s->qid[k]) != 0)
			q++;
		cr_assert_lt(q, w->nq, "qid %s", s->qid[k]);
		size_t n = s->qoff[k + 1] - s->qoff[k];
		cr_assert_eq(n, w->qoff[q + 1] - w->qoff[q]);
		for (size_t i = 0; i < n; i++) {
			size_t a = s->qoff[k] + i, b = w->qoff[q] + i;
			cr_assert_eq(s->grade[a], w->grade[b]);
			cr_assert_eq(s->line[a], w->line[b]);
			cr_assert_str_eq(s->docid[a], w->docid[b]);
			size_t nf = w->nf;
			cr_assert_eq(memcmp(s->x32 + a * nf, w->x32 + b * nf,
			    nf * sizeof(float)), 0);
			cr_assert_eq(memcmp(s->x64 + a * nf, w->x64 + b * nf,
			    nf * sizeof(double)), 0);
		}
	}
}

/* Every split of the queries in 1 to 4 shares reads the whole read w's
   rows, each share its own. */
static void
every_split(const char *path, const pf_svm_index *x, const pf_svm_opts *o,
    const pf_svm *w)
{
	pf_svm *s = NULL;
	pf_err err = {0};

	for (size_t n = 1; n <= 4; n++) {
		size_t rows = 0;
		for (size_t i = 0; i < n; i++) {
			size_t k0 = NQ * i / n, k1 = NQ * (i + 1) / n;
			cr_assert_eq(pf_svm_load_share(&s, path, x, k0, k1, o,
			    &err), PF_OK, "%s", err.msg);
			cr_assert_eq(s->nq, k1 - k0);
			same_rows(w, s);
			rows += s->nrows;
			pf_svm_free(s);
		}
		cr_assert_eq(rows, w->nrows);
	}
}

/* Queries 1-6 of path read; 7-9 hold a bad line: the share's error is
   the whole read's (whole), at its path:line. Then a line added to
   changed (the file or its query file): a share read is refused, naming
   it. */
static void
bad_share_then_changed(const char *path, const pf_svm_index *x,
    const pf_svm_opts *o, const pf_err *whole, const char *changed,
    const char *line)
{
	pf_svm *s = NULL;
	pf_err err = {0};
	FILE *f;

	cr_assert_eq(pf_svm_load_share(&s, path, x, 0, 6, o, &err), PF_OK);
	pf_svm_free(s);
	cr_assert_eq(pf_svm_load_share(&s, path, x, 6, 9, o, &err),
	    whole->code);
	cr_assert_str_eq(err.where, whole->where);
	cr_assert_str_eq(err.msg, whole->msg);
	cr_assert_not_null(f = fopen(changed, "a"));
	fputs(line, f);
	fclose(f);
	memset(&err, 0, sizeof(err));
	cr_assert_eq(pf_svm_load_share(&s, path, x, 0, 2, o, &err), PF_EDATA);
	cr_assert_str_eq(err.where, changed);
	cr_assert_not_null(strstr(err.msg, "changed"));
}

static void
check_splits(const char *ids, int base)
{
	char path[] = "/tmp/pf_svmindex_XXXXXX";
	int fd = mkstemp(path);
	pf_svm_opts o = {.feature_base = base, .need_double = 1};
	pf_svm *w = NULL, *s = NULL;
	pf_svm_index *x = NULL;
	pf_err err = {0};

	cr_assert_geq(fd, 0);
	close(fd);
	write_file(path, ids, -1);
	cr_assert_eq(pf_svm_load(&w, path, &o, &err), PF_OK, "%s", err.msg);
	cr_assert_eq(pf_svm_index_build(&x, path, &err), PF_OK, "%s", err.msg);
	cr_assert_not_null(x);
	cr_assert_eq(x->nq, w->nq);
	cr_assert_eq(x->rows, w->nrows);
	every_split(path, x, &o, w);
	/* no query: no row, the file's columns */
	cr_assert_eq(pf_svm_load_share(&s, path, x, 3, 3, &o, &err), PF_OK);
	cr_assert_eq(s->nrows, 0);
	cr_assert_eq(s->nf, w->nf);
	pf_svm_free(s);
	pf_svm_index_free(x);
	pf_svm_free(w);
	unlink(path);
}

Test(svmindex, dense_base_one) { check_splits("dense", PF_SVM_BASE_AUTO); }
Test(svmindex, zero_auto_base) { check_splits("zero", PF_SVM_BASE_AUTO); }
Test(svmindex, zero_explicit_base) { check_splits("zero", PF_SVM_BASE_ZERO); }
Test(svmindex, remapped) { check_splits("sparse", PF_SVM_BASE_AUTO); }

/* lines across the index's read blocks, one line longer than a block */
Test(svmindex, small_blocks)
{
	pf_svm_index_block_size(7);
	check_splits("dense", PF_SVM_BASE_AUTO);
	pf_svm_index_block_size(64);
	check_splits("sparse", PF_SVM_BASE_AUTO);
	pf_svm_index_block_size(0);
}

Test(svmindex, error_in_its_share_only)
{
	char path[] = "/tmp/pf_svmindex_XXXXXX";
	int fd = mkstemp(path);
	pf_svm_opts o = {0};
	pf_svm *w = NULL;
	pf_svm_index *x = NULL;
	pf_err whole = {0}, err = {0};

	cr_assert_geq(fd, 0);
	close(fd);
	write_file(path, "dense", 6);
	cr_assert_neq(pf_svm_load(&w, path, &o, &whole), PF_OK);
	cr_assert_eq(pf_svm_index_build(&x, path, &err), PF_OK);
	bad_share_then_changed(path, x, &o, &whole, path, "1 qid:Q99 1:1\n");
	pf_svm_index_free(x);
	unlink(path);
}

Test(svmindex, not_indexed)
{
	char path[] = "/tmp/pf_svmindex_XXXXXX";
	int fd = mkstemp(path);
	pf_svm_index *x = NULL;
	pf_err err = {0};

	cr_assert_geq(fd, 0);
	/* a query met twice: read whole (its error is the whole read's) */
	cr_assert_gt(write(fd, "1 qid:a 1:1\n1 qid:b 1:1\n1 qid:a 1:2\n", 36),
	    0);
	close(fd);
	cr_assert_eq(pf_svm_index_build(&x, path, &err), PF_OK);
	cr_assert_null(x);
	unlink(path);
}

/* LightGBM layout: indexed through the query file, every split gives the
   whole read's rows (its qids "1".."9", docids, lines); a bad value is
   met by its share only, at the whole read's path:line. */
Test(svmindex, query_file)
{
	char path[] = "/tmp/pf_svmindex_XXXXXX", qpath[64];
	int fd = mkstemp(path);
	pf_svm_opts o = {.need_double = 1};
	pf_svm *w = NULL;
	pf_svm_index *x = NULL;
	pf_err err = {0}, whole = {0};
	FILE *f;

	cr_assert_geq(fd, 0);
	close(fd);
	write_grouped(path, qpath, -1, 0);
	o.query_file = qpath;
	cr_assert_eq(pf_svm_load(&w, path, &o, &err), PF_OK, "%s", err.msg);
	cr_assert_eq(pf_svm_index_build_groups(&x, path, qpath, &err), PF_OK,
	    "%s", err.msg);
	cr_assert_not_null(x);
	cr_assert_eq(x->nq, w->nq);
	cr_assert_eq(x->rows, w->nrows);
	for (size_t k = 0; k < x->nq; k++)
		cr_assert_str_eq(x->qid[k], w->qid[k]);
	every_split(path, x, &o, w);
	pf_svm_index_free(x);
	pf_svm_free(w);
	/* a bad value in query 7 (index 6): shares [0, 6) read fine */
	write_grouped(path, qpath, 6, 0);
	cr_assert_neq(pf_svm_load(&w, path, &o, &whole), PF_OK);
	cr_assert_eq(pf_svm_index_build_groups(&x, path, qpath, &err), PF_OK);
	bad_share_then_changed(path, x, &o, &whole, qpath, "1\n");
	pf_svm_index_free(x);
	/* groups that do not cover the rows (one row short, one over):
	   read whole, where the whole read says what is wrong */
	for (int extra = -1; extra <= 1; extra += 2) {
		write_grouped(path, qpath, -1, extra);
		cr_assert_eq(pf_svm_index_build_groups(&x, path, qpath, &err),
		    PF_OK);
		cr_assert_null(x, "extra %d", extra);
	}
	/* a row with qid: although the groups are given: read whole */
	write_file(path, "dense", -1);
	write_grouped(path, qpath, -1, 0);
	f = fopen(path, "a");
	fprintf(f, "1 qid:9 1:1\n");
	fclose(f);
	f = fopen(qpath, "a");
	fprintf(f, "1\n");
	fclose(f);
	cr_assert_eq(pf_svm_index_build_groups(&x, path, qpath, &err), PF_OK);
	cr_assert_null(x);
	unlink(qpath);
	unlink(path);
}

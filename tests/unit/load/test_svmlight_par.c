/*
 * test_svmlight_par.c — the parallel SVMlight reader: a generated file of
 * many chunks read at 1, 2 and 3 threads, and as one chunk, gives the same
 * arrays, and the values the generator wrote; an error planted in a late
 * chunk is reported at its line, and an earlier one (in another chunk,
 * whichever thread meets it) wins over it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/load/svmlight.h"

#define NQ	120
#define NF	40

static unsigned long long rng = 88172645463325252ULL;

static unsigned
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

/* What the generator wrote: row-major NF values (NaN absent), grades,
   docids, query sizes. */
typedef struct truth {
	size_t	 nrows;
	float	 x[NQ * 40][NF];
	double	 y[NQ * 40][NF];
	int	 grade[NQ * 40];
	char	 doc[NQ * 40][48];
	size_t	 qsize[NQ];
} truth;

static truth T;

/*
 * Writes the file: NQ queries of 1..40 rows, ids 1..NF (some absent),
 * values at several spellings, docids in comments for odd queries
 * (synthesised for even ones), blank and comment lines between.
 * bad_line > 0: that line's first value is replaced by "x" (an error).
 * Returns the number of lines.
 */
static long
write_file(const char *path, long bad_line)
{
	FILE *f = fopen(path, "w");
	long line = 0;

	cr_assert_not_null(f);
	rng = 88172645463325252ULL;
	T.nrows = 0;
	for (size_t q = 0; q < NQ; q++) {
		size_t n = 1 + next() % 40;
		T.qsize[q] = n;
		if (next() % 5 == 0) {
			fprintf(f, "# query %zu\n\n", q);
			line += 2;
		}
		for (size_t k = 0; k < n; k++) {
			size_t r = T.nrows++;
			int g = (int)(next() % 5);
			T.grade[r] = g;
			line++;
			fprintf(f, "%d qid:%zu", g, 1000 + q * 7);
			int first = 1;
			for (int j = 0; j < NF; j++) {
				if (next() % 4 == 0) {
					T.x[r][j] = NAN;
					T.y[r][j] = 0.0;
					continue;
				}
				int m = (int)(next() % 200000) - 100000;
				double v = m / 1000.0;
				if (line == bad_line && first)
					fprintf(f, " %d:x", j + 1);
				else if (m % 3 == 0)
					fprintf(f, " %d:%de-3", j + 1, m);
				else
					fprintf(f, " %d:%.3f", j + 1, v);
				first = 0;
				T.x[r][j] = (float)v;
				T.y[r][j] = v;
			}
			if (q % 2 == 1) {
				snprintf(T.doc[r], sizeof(T.doc[r]), "D%zu-%zu",
				    q, k);
				fprintf(f, " # %s extra", T.doc[r]);
			} else
				snprintf(T.doc[r], sizeof(T.doc[r]), "q%zu_d%zu",
				    1000 + q * 7, k + 1);
			fputc('\n', f);
		}
	}
	fclose(f);
	return line;
}

static pf_svm *
load(const char *path, int threads, size_t chunk, int dbl)
{
	pf_svm *s = NULL;
	pf_err err = {0};
	pf_svm_opts o = {.need_double = dbl, .threads = threads,
	    .chunk_bytes = chunk};

	cr_assert_eq(pf_svm_load(&s, path, &o, &err), PF_OK, "%s: %s",
	    err.where, err.msg);
	return s;
}

static void
same(const pf_svm *a, const pf_svm *b)
{
	cr_assert_eq(a->nrows, b->nrows);
	cr_assert_eq(a->nf, b->nf);
	cr_assert_eq(a->base, b->base);
	cr_assert_eq(a->nq, b->nq);
	cr_assert_eq(memcmp(a->x32, b->x32, a->nrows * a->nf * 4), 0);
	if (a->x64 != NULL && b->x64 != NULL)
		cr_assert_eq(memcmp(a->x64, b->x64, a->nrows * a->nf * 8), 0);
	cr_assert_arr_eq(a->grade, b->grade, a->nrows * sizeof(*a->grade));
	cr_assert_arr_eq(a->qoff, b->qoff, (a->nq + 1) * sizeof(*a->qoff));
	for (size_t q = 0; q < a->nq; q++)
		cr_assert_str_eq(a->qid[q], b->qid[q]);
	for (size_t r = 0; r < a->nrows; r++)
		cr_assert_str_eq(a->docid[r], b->docid[r]);
}

Test(svmlight_par, any_thread_count_and_chunking_reads_the_same)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/pf_svm_par_%d.svm", (int)getpid());
	write_file(path, 0);

	pf_svm *ref = load(path, 1, (size_t)1 << 30, 1);	/* one chunk */
	/* The generator's values, independently of the reader. */
	cr_assert_eq(ref->nrows, T.nrows);
	cr_assert_eq(ref->nf, NF);
	cr_assert_eq(ref->base, 1);
	cr_assert_null(ref->id);
	cr_assert_eq(ref->nq, NQ);
	for (size_t r = 0; r < T.nrows; r++) {
		cr_assert_eq(ref->grade[r], T.grade[r]);
		cr_assert_str_eq(ref->docid[r], T.doc[r]);
		for (size_t j = 0; j < NF; j++) {
			float x = ref->x32[r * NF + j];
			cr_assert(isnan(T.x[r][j]) ? isnan(x) : x == T.x[r][j],
			    "row %zu col %zu", r, j);
			cr_assert_eq(ref->x64[r * NF + j], T.y[r][j]);
		}
	}
	size_t qmax = 0;
	for (size_t q = 0, r = 0; q < NQ; r += T.qsize[q++]) {
		cr_assert_eq(ref->qoff[q], r);
		qmax = T.qsize[q] > qmax ? T.qsize[q] : qmax;
	}
	/* What --check's memory estimate counts for it. */
	pf_svm_mem mem = {0};
	pf_svm_mem_add(ref, &mem);
	cr_assert_eq(mem.x32, T.nrows * NF * 4);
	cr_assert_eq(mem.x64, T.nrows * NF * 8);
	cr_assert_eq(mem.rows, T.nrows);
	cr_assert_eq(mem.nf, NF);
	cr_assert_eq(mem.qrows, qmax);
	cr_assert_gt(mem.other, T.nrows * 8);
	/* Small chunks (a few rows each, queries cut across them). */
	for (int t = 1; t <= 3; t++) {
		pf_svm *s = load(path, t, 4096, 1);
		same(ref, s);
		pf_svm_free(s);
		s = load(path, t, 777, 0);
		cr_assert_null(s->x64);
		same(ref, s);
		pf_svm_free(s);
	}
	/* gzip: inflated by one reader, parsed in chunks. */
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "gzip -c %s > %s.gz", path, path);
	cr_assert_eq(system(cmd), 0);
	strcat(path, ".gz");
	for (int t = 1; t <= 3; t += 2) {
		pf_svm *s = load(path, t, 5000, 1);
		same(ref, s);
		pf_svm_free(s);
	}
	unlink(path);
	path[strlen(path) - 3] = '\0';
	unlink(path);
	pf_svm_free(ref);
}

/* Loads text (written to a file) in chunks of chunk bytes at 3 threads. */
static int
load_text(const char *text, size_t chunk, pf_svm **s, pf_err *err)
{
	char path[64];
	pf_svm_opts o = {.threads = 3, .chunk_bytes = chunk,
	    .feature_base = PF_SVM_BASE_AUTO};

	snprintf(path, sizeof(path), "/tmp/pf_svm_part_%d.svm", (int)getpid());
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	int rc = pf_svm_load(s, path, &o, err);
	unlink(path);
	return rc;
}

Test(svmlight_par, the_first_error_in_file_order_wins)
{
	char path[64];
	pf_svm *s = NULL;
	pf_err err = {0};
	char where[128];
	snprintf(path, sizeof(path), "/tmp/pf_svm_bad_%d.svm", (int)getpid());
	long n = write_file(path, 0);
	long bad = n - 3;	/* a data line in the last chunks */
	write_file(path, bad);

	for (int t = 1; t <= 3; t++) {
		pf_svm_opts o = {.threads = t, .chunk_bytes = 3000};
		cr_assert_eq(pf_svm_load(&s, path, &o, &err), PF_EFORMAT);
		cr_assert_null(s);
		snprintf(where, sizeof(where), "%s:%ld", path, bad);
		cr_assert_str_eq(err.where, where);
		cr_assert(strstr(err.msg, "value 'x' is not a number") != NULL,
		    "%s", err.msg);
	}
	unlink(path);

	/* A query split by another (line 4) before a bad grade (line 7),
	   each in its own chunk: the earlier line is reported. */
	static const char split[] =
	    "1 qid:1 1:1\n1 qid:1 1:2\n1 qid:2 1:3\n1 qid:1 1:4\n"
	    "1 qid:3 1:5\n1 qid:3 1:6\nx qid:3 1:7\n";
	cr_assert_eq(load_text(split, 12, &s, &err), PF_EFORMAT);
	cr_assert(strstr(err.where, ":4") != NULL, "%s", err.where);
	cr_assert_str_eq(err.msg, "rows of query '1' are not contiguous");
	/* A duplicate docid (line 3) before an id going down (line 6). */
	static const char dup[] =
	    "1 qid:1 1:1 # a\n1 qid:1 1:2 # b\n1 qid:1 1:3 # a\n"
	    "1 qid:2 1:4\n1 qid:2 1:5\n1 qid:2 2:6 1:7\n";
	cr_assert_eq(load_text(dup, 16, &s, &err), PF_EFORMAT);
	cr_assert(strstr(err.where, ":3") != NULL, "%s", err.where);
	cr_assert_str_eq(err.msg, "duplicate docid 'a' in query '1'");
	/* The other way round: the id order (line 2) wins. */
	static const char dup2[] =
	    "1 qid:1 1:1 # a\n1 qid:1 2:1 1:2 # b\n1 qid:1 1:3 # a\n";
	cr_assert_eq(load_text(dup2, 16, &s, &err), PF_EFORMAT);
	cr_assert(strstr(err.where, ":2") != NULL, "%s", err.where);
	/* An id 0 in the last chunk only: the whole file is zero-based
	   (auto), and a sparse id there makes it remapped. */
	static const char late[] =
	    "1 qid:1 1:1 2:2\n1 qid:1 2:3\n1 qid:2 1:4\n1 qid:2 0:5 900:6\n";
	cr_assert_eq(load_text(late, 16, &s, &err), PF_OK, "%s", err.msg);
	cr_assert_eq(s->nf, 4);
	cr_assert_not_null(s->id);
	const uint32_t want[] = {0, 1, 2, 900};
	cr_assert_arr_eq(s->id, want, sizeof(want));
	cr_assert_eq(s->x32[3 * 4 + 0], 5.0f);
	cr_assert_eq(s->x32[3 * 4 + 3], 6.0f);
	cr_assert(isnan(s->x32[0 * 4 + 0]));
	cr_assert_eq(s->x32[0 * 4 + 2], 2.0f);
	pf_svm_free(s);
	/* The same, dense: the columns move right by one for column 0. */
	static const char late_dense[] =
	    "1 qid:1 1:1 2:2\n1 qid:1 2:3\n1 qid:2 1:4\n1 qid:2 0:5 3:6\n";
	cr_assert_eq(load_text(late_dense, 16, &s, &err), PF_OK, "%s",
	    err.msg);
	cr_assert_eq(s->nf, 4);
	cr_assert_eq(s->base, 0);
	cr_assert_null(s->id);
	const float want_x[] = {NAN, 1, 2, NAN, NAN, NAN, 3, NAN,
	    NAN, 4, NAN, NAN, 5, NAN, NAN, 6};
	for (size_t i = 0; i < 16; i++)
		cr_assert(isnan(want_x[i]) ? isnan(s->x32[i]) :
		    s->x32[i] == want_x[i], "cell %zu", i);
	pf_svm_free(s);
}

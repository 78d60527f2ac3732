/*
 * test_featstats.c — harness/check/featstats: the statistics of a small
 * candidate file and the skew of a changed copy, against values worked out
 * by hand: per-grade means, missing and zero counts, the shared-row
 * mismatches and the largest difference, a feature in one file only, and
 * the same numbers for 1 and 2 threads.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <omp.h>

#include "harness/check/featstats.h"

/* The rows into a temporary file; its path into path. */
static void
put(char *path, size_t sz, const char *tag, const char *rows)
{
	snprintf(path, sz, "/tmp/pf_featstats_%s_%d.svm", tag, (int)getpid());
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(rows, f);
	fclose(f);
}

static pf_svm *
load(const char *path)
{
	pf_svm_opts o = {NULL, PF_SVM_BASE_ONE, 1, 0};
	pf_svm *s = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_svm_load(&s, path, &o, &err), PF_OK, "%s: %s",
	    err.where, err.msg);
	return s;
}

/*
 * A: q1 {d1 g2 f1=1 f2=0, d2 g0 f1=3, d3 g0 f1=0 f3=5}, q2 {d4 g2 f1=4 f2=2}.
 * f1: present 1 3 0 4, mean 2, zeros 1; by grade: 0 -> (3+0)/2, 2 -> (1+4)/2.
 * f2: present 0 2 (2 missing), zeros 1. f3: one value.
 */
static const char A[] =
    "2 qid:1 1:1 2:0 # d1\n"
    "0 qid:1 1:3 # d2\n"
    "0 qid:1 1:0 3:5 # d3\n"
    "2 qid:2 1:4 2:2 # d4\n";
/* B: d2's f1 3 -> 3.5, d4's f2 missing, f3 gone, f4 new, d9 not in A. */
static const char B[] =
    "2 qid:1 1:1 2:0 # d1\n"
    "0 qid:1 1:3.5 # d2\n"
    "0 qid:1 1:0 4:1 # d3\n"
    "2 qid:2 1:4 # d4\n"
    "1 qid:2 1:9 # d9\n";

Test(featstats, statistics_and_skew_by_hand)
{
	char pa[256], pb[256];
	pf_svm *sa, *sb;
	pf_fst *ta = NULL, *tb = NULL;
	pf_fsk *k = NULL;
	pf_err err = {0};

	put(pa, sizeof(pa), "a", A);
	put(pb, sizeof(pb), "b", B);
	sa = load(pa);
	sb = load(pb);
	cr_assert_eq(pf_fst_compute(&ta, sa, NULL, 1, &err), PF_OK);
	cr_assert_eq(pf_fst_compute(&tb, sb, NULL, 0, &err), PF_OK);
	cr_assert_eq(ta->nf, 3);
	cr_assert_eq(ta->ngrades, 2);
	cr_assert_eq(ta->grades[0], 0);
	cr_assert_eq(ta->grades[1], 2);
	const pf_fst_feat *f1 = &ta->f[0], *f2 = &ta->f[1];
	cr_assert_str_eq(f1->name, "f1");
	cr_assert_eq(f1->c.rows, 4);
	cr_assert_eq(f1->c.missing, 0);
	cr_assert_eq(f1->c.zeros, 1);
	cr_assert_float_eq(f1->c.mean, 2.0, 1e-15);
	cr_assert_float_eq(ta->gmean[0 * 2 + 0], 1.5, 1e-15);
	cr_assert_float_eq(ta->gmean[0 * 2 + 1], 2.5, 1e-15);
	cr_assert_eq(f2->c.missing, 2);
	cr_assert_eq(f2->c.zeros, 1);
	cr_assert(isnan(ta->gmean[1 * 2 + 0]));	/* f2 absent at grade 0 */
	/* the pct median of 0 1 3 4 is 2; f1 and f2 share 2 rows < 30 */
	cr_assert_float_eq(f1->pct[3], 2.0, 1e-15);
	cr_assert(isnan(ta->rho[0 * 3 + 1]));

	cr_assert_eq(pf_fsk_compute(&k, ta, sa, tb, sb, &err), PF_OK);
	cr_assert_eq(k->nf, 4);		/* f1 f2 f3 (A only) f4 (B only) */
	cr_assert_eq(k->shared, 4);	/* d1..d4 */
	/* d2 (f1), d3 (f3 gone, f4 new), d4 (f2 missing) differ; d1 not */
	cr_assert_eq(k->mismatched, 3);
	cr_assert_float_eq(k->mismatch_rate, 0.75, 1e-15);
	/* missing on one side first (inf), then |3.5 - 3| */
	cr_assert_eq(k->ndiff, 4);
	cr_assert(isinf(k->diff[0].size));
	cr_assert_float_eq(k->diff[3].size, 0.5, 1e-15);
	cr_assert_str_eq(k->diff[3].docid, "d2");
	int seen_a = 0, seen_b = 0;
	for (size_t i = 0; i < k->nf; i++) {
		if (k->f[i].in == 1) {
			seen_a = 1;
			cr_assert_eq(k->f[i].id, 3);
			cr_assert_float_eq(k->f[i].miss_b, 1.0, 0);
			cr_assert(isnan(k->f[i].ks_d));
			cr_assert(k->f[i].psi > 1.0);
			cr_assert_lt(i, 2, "a one-file feature sorts first");
		}
		if (k->f[i].in == 2) {
			seen_b = 1;
			cr_assert_eq(k->f[i].id, 4);
		}
	}
	cr_assert(seen_a && seen_b);
	cr_assert_eq(pf_fsk_pass_psi(k, 1e9), 1);
	cr_assert_eq(pf_fsk_pass_psi(k, 0.25), 0);
	cr_assert_eq(pf_fsk_pass_mismatch(k, 0.75), 1);
	cr_assert_eq(pf_fsk_pass_mismatch(k, 0.5), 0);
	pf_fsk_free(k);
	pf_fst_free(ta);
	pf_fst_free(tb);
	pf_svm_free(sa);
	pf_svm_free(sb);
	unlink(pa);
	unlink(pb);
}

/* 300 rows x 20 features: the same bits for 1 and 2 threads. */
Test(featstats, same_numbers_for_any_thread_count)
{
	char p[256], line[512];
	static char rows[300 * 512];
	size_t len = 0;
	pf_fst *t[2] = {NULL, NULL};
	pf_err err = {0};

	for (int r = 0; r < 300; r++) {
		int n = snprintf(line, sizeof(line), "%d qid:%d", r % 3,
		    r / 10);
		for (int j = 1; j <= 20; j++)
			if ((r * j) % 7 != 0)
				n += snprintf(line + n, sizeof(line) - (size_t)n,
				    " %d:%g", j, (double)((r * 37 + j * 11) %
				    101) / 7.0 + (j % 4 == 0 ? r * 0.01 : 0));
		memcpy(rows + len, line, (size_t)n);
		len += (size_t)n;
		rows[len++] = '\n';
	}
	rows[len] = '\0';
	put(p, sizeof(p), "threads", rows);
	pf_svm *s = load(p);
	for (int i = 0; i < 2; i++) {
		omp_set_num_threads(i + 1);
		cr_assert_eq(pf_fst_compute(&t[i], s, NULL, 1, &err), PF_OK);
	}
	cr_assert_eq(t[0]->nf, t[1]->nf);
	for (size_t i = 0; i < t[0]->nf; i++) {
		cr_assert_eq(memcmp(&t[0]->f[i].c, &t[1]->f[i].c,
		    sizeof(pf_fs_col)), 0);
		cr_assert_eq(t[0]->f[i].cluster, t[1]->f[i].cluster);
	}
	cr_assert_eq(memcmp(t[0]->rho, t[1]->rho, t[0]->nf * t[0]->nf *
	    sizeof(double)), 0);
	pf_fst_free(t[0]);
	pf_fst_free(t[1]);
	pf_svm_free(s);
	unlink(p);
}

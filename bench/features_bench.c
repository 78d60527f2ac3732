/*
 * bench/features_bench.c — `preflight features stats` against the time to
 * read its input (bench/features.sh):
 *   pf_bench_features gen ROWS FEATS PATH   a LETOR-shaped file: grades
 *       0-4, queries of 100 rows, FEATS dense features (MSLR-like mix:
 *       counts, fractions, a few sparse columns of zeros, a few columns
 *       that are near copies of others), seeded: the same file always
 *   pf_bench_features time PATH             wall seconds of the plain load
 *       (pf_svm_load, as features stats loads: doubles kept) and of the
 *       statistics (pf_fst_compute with the Spearman matrix), one line
 *       each, and their sum over the load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/check/featstats.h"
#include "harness/load/svmlight.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double
cpu(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
unif(uint64_t *s)
{
	return (double)(next(s) >> 11) * 0x1.0p-53;
}

static int
gen(long rows, long feats, const char *path)
{
	FILE *f = fopen(path, "w");
	uint64_t s = 20261206;
	double *x = malloc((size_t)feats * sizeof(*x));

	if (f == NULL || x == NULL) {
		perror(path);
		return 1;
	}
	for (long r = 0; r < rows; r++) {
		double rel = unif(&s);
		int grade = rel < 0.5 ? 0 : rel < 0.8 ? 1 : rel < 0.93 ? 2 :
		    rel < 0.98 ? 3 : 4;
		fprintf(f, "%d qid:%ld", grade, r / 100 + 1);
		for (long j = 0; j < feats; j++) {
			double u = unif(&s);
			switch (j % 8) {
			case 0:	/* a count */
				x[j] = (double)(long)(u * 20 * (1 + grade));
				break;
			case 1:	/* a near copy of the previous count */
				x[j] = x[j - 1] + (u < 0.05 ? 1 : 0);
				break;
			case 2:	/* mostly zeros */
				x[j] = u < 0.8 ? 0 : u;
				break;
			default:	/* a fraction, 4 digits */
				x[j] = (double)(long)((u * 0.7 + 0.075 * grade) *
				    1e4) / 1e4;
			}
			fprintf(f, " %ld:%.10g", j + 1, x[j]);
		}
		fputc('\n', f);
	}
	free(x);
	return fclose(f) == 0 ? 0 : 1;
}

static int
timeit(const char *path)
{
	pf_svm_opts o = {NULL, PF_SVM_BASE_ONE, 1, 0};
	pf_svm *s = NULL;
	pf_fst *t = NULL;
	pf_err err = {0};

	double t0 = now(), c0 = cpu();
	if (pf_svm_load(&s, path, &o, &err) != PF_OK) {
		fprintf(stderr, "%s: %s\n", err.where, err.msg);
		return 1;
	}
	double t1 = now(), c1 = cpu();
	if (pf_fst_compute(&t, s, NULL, 1, &err) != PF_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	double t2 = now(), c2 = cpu();
	pf_fst *t0c = NULL;
	if (getenv("PF_BENCH_NOCORR") != NULL &&
	    pf_fst_compute(&t0c, s, NULL, 0, &err) == PF_OK)
		printf("stats without the Spearman matrix %.3f s wall, %.3f s "
		    "cpu\n", now() - t2, cpu() - c2);
	pf_fst_free(t0c);
	printf("rows %zu features %zu clusters %zu\n", s->nrows, t->nf,
	    t->nclusters);
	printf("load  %.3f s wall, %.3f s cpu\nstats %.3f s wall, %.3f s cpu\n"
	    "ratio (load + stats) / load %.2f wall, %.2f cpu\n", t1 - t0,
	    c1 - c0, t2 - t1, c2 - c1, (t2 - t0) / (t1 - t0), (c2 - c0) /
	    (c1 - c0));
	pf_fst_free(t);
	pf_svm_free(s);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return gen(strtol(argv[2], NULL, 10), strtol(argv[3], NULL, 10), argv[4]);
	if (argc == 3 && strcmp(argv[1], "time") == 0)
		return timeit(argv[2]);
	fputs("usage: pf_bench_features gen ROWS FEATS PATH | time PATH\n",
	    stderr);
	return 2;
}

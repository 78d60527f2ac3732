/*
 * bench/lgb_bench.c — preflight's compiled LightGBM scorer against its
 * node walk (the scorer LightGBM models had before), same rows, same
 * process, at one thread count: docs/s of each (median of the repeats),
 * the ratio, and whether every raw score is bit-identical.
 *
 *   pf_bench_lgb MODEL.txt ROWS.f32 NFEAT THREADS REPEATS [NWALK]
 *
 * ROWS.f32 is row-major float32 (bench/gbdt_make.py). The gbdt stage
 * hands LightGBM models doubles parsed from text, so the rows are timed
 * as such: each value rounded to 6 decimals in double (what strtod gives
 * for "%.6f" text: mostly not a float32, so the kernel's double fallback
 * is in play), and also as the float32 rows themselves. The walk is timed
 * on the first NWALK rows (default 200,000; it is ~10x slower), and the
 * compiled scores are compared with the walk's on those rows bit for bit.
 * PF_BENCH_SCORER=avx512|avx2|scalar times that compiled kernel instead of
 * the default. The last line is a Markdown table row: docs/s by wall time, and in
 * parentheses docs per CPU-second of all threads.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/model/gbdt.h"

#define MAXREP	32

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of the whole process (all threads). */
static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/*
 * Median seconds of rep predict calls on nr rows (f64 when x64); *c: the
 * median CPU seconds of all threads, which other jobs on the machine
 * perturb less than wall time.
 */
static double
timed(pf_gbdt *m, const float *x32, const double *x64, size_t nr, size_t nf,
    int rep, double *out, double *c)
{
	double t[MAXREP], ct[MAXREP];

	for (int r = 0; r < rep; r++) {
		double t0 = now(), c0 = cpu();
		if (x64 != NULL)
			pf_gbdt_predict_f64(m, x64, nr, nf, nf, out);
		else
			pf_gbdt_predict_f32(m, x32, nr, nf, nf, out);
		t[r] = now() - t0;
		ct[r] = cpu() - c0;
	}
	*c = median(ct, rep);
	return median(t, rep);
}

static size_t
ndiff(const double *a, const double *b, size_t n)
{
	size_t d = 0;

	for (size_t i = 0; i < n; i++)
		d += memcmp(&a[i], &b[i], sizeof(double)) != 0;
	return d;
}

int
main(int argc, char **argv)
{
	pf_gbdt *m;
	pf_err err = {0};
	FILE *f;
	long bytes;

	if (argc < 6) {
		fprintf(stderr, "usage: %s MODEL.txt ROWS.f32 NFEAT THREADS "
		    "REPEATS [NWALK]\n", argv[0]);
		return 2;
	}
	size_t nf = (size_t)atol(argv[3]);
	int th = atoi(argv[4]), rep = atoi(argv[5]);
	size_t nw = argc > 6 ? (size_t)atol(argv[6]) : 200000;
	if (rep < 1 || rep > MAXREP || th < 1 || nf == 0) {
		fprintf(stderr, "bad arguments\n");
		return 2;
	}
	if (pf_gbdt_load(&m, argv[1], &err) != PF_OK) {
		fprintf(stderr, "%s: %s\n", err.where, err.msg);
		return 2;
	}
	if ((f = fopen(argv[2], "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (bytes = ftell(f)) < 0) {
		perror(argv[2]);
		return 2;
	}
	rewind(f);
	size_t nr = (size_t)bytes / (nf * sizeof(float));
	float *x32 = malloc(nr * nf * sizeof(float));
	double *x64 = malloc(nr * nf * sizeof(double));
	double *got = malloc(nr * sizeof(double));
	double *walk = malloc(nr * sizeof(double));
	if (x32 == NULL || x64 == NULL || got == NULL || walk == NULL ||
	    fread(x32, sizeof(float), nr * nf, f) != nr * nf) {
		fprintf(stderr, "%s: cannot read %zu rows\n", argv[2], nr);
		return 2;
	}
	fclose(f);
	size_t inexact = 0;
	for (size_t i = 0; i < nr * nf; i++) {
		x64[i] = nearbyint((double)x32[i] * 1e6) / 1e6;
		inexact += (double)(float)x64[i] != x64[i];
	}
	nw = nw < nr ? nw : nr;
	omp_set_num_threads(th);
	const char *want = getenv("PF_BENCH_SCORER");
	if (want != NULL && pf_gbdt__set_path(m, want) != PF_OK) {
		fprintf(stderr, "scorer %s not available\n", want);
		return 2;
	}
	const char *best = pf_gbdt__path(m);

	/* warm-up, then the walk on the first nw rows */
	pf_gbdt_predict_f64(m, x64, nr < 10000 ? nr : 10000, nf, nf, got);
	pf_gbdt__set_path(m, "walk");
	double cw, cc, cf;
	double tw = timed(m, NULL, x64, nw, nf, rep, walk, &cw);
	pf_gbdt__set_path(m, best);
	double tc = timed(m, NULL, x64, nr, nf, rep, got, &cc);
	size_t d64 = ndiff(got, walk, nw);
	/* float32 rows: the walk's scores of the same floats */
	pf_gbdt__set_path(m, "walk");
	pf_gbdt_predict_f32(m, x32, nw, nf, nf, walk);
	pf_gbdt__set_path(m, best);
	double tf = timed(m, x32, NULL, nr, nf, rep, got, &cf);
	size_t d32 = ndiff(got, walk, nw);

	double rw = (double)nw / tw, rc = (double)nr / tc, rf = (double)nr / tf;
	printf("threads %d, %zu rows x %zu features (%.1f%% of the doubles not "
	    "float32), %zu trees (max depth %d), scorer %s, median of %d\n", th,
	    nr, nf, 100.0 * (double)inexact / (double)(nr * nf),
	    pf_gbdt_ntrees(m), pf_gbdt_max_depth(m), best, rep);
	printf("  walk, doubles (%zu rows)   %7.3f s  %9.0f docs/s\n", nw, tw,
	    rw);
	printf("  compiled, doubles         %7.3f s  %9.0f docs/s  %.2fx the "
	    "walk\n", tc, rc, rc / rw);
	printf("  compiled, float32         %7.3f s  %9.0f docs/s  %.2fx the "
	    "walk\n", tf, rf, rf / rw);
	double pw = (double)nw / cw, pc = (double)nr / cc, pf = (double)nr / cf;
	printf("  CPU time (all threads): docs per CPU-second walk %.0f, "
	    "compiled doubles %.0f (%.2fx), float32 %.0f (%.2fx)\n", pw, pc,
	    pc / pw, pf, pf / pw);
	printf("  raw scores: %zu / %zu (doubles), %zu / %zu (float32) "
	    "bit-identical to the walk\n", nw - d64, nw, nw - d32, nw);
	printf("| %d | %.0f (%.0f) | %.0f (%.0f) | **%.2f×** (%.2f×) | %.0f "
	    "(%.0f) | %.2f× (%.2f×) | %zu / %zu |\n", th, rw, pw, rc, pc,
	    rc / rw, pc / pw, rf, pf, rf / rw, pf / pw, 2 * nw - d64 - d32,
	    2 * nw);
	pf_gbdt_free(m);
	free(x32);
	free(x64);
	free(got);
	free(walk);
	return d64 || d32 ? 1 : 0;
}

/*
 * bench/gbdt_bench.c — preflight's gbdt scorer against XGBoost's own
 * predictor (libxgboost's C API) on the same rows, in the same process, at
 * one thread count: docs/s of each (median of the repeats), the ratio, and
 * whether all margins are bit-identical.
 *
 *   pf_bench_gbdt MODEL.json ROWS.f32 NFEAT THREADS REPEATS [NROWS]
 *
 * ROWS.f32 is row-major float32 (bench/gbdt_make.py); "-" makes NROWS
 * LETOR-like rows (k/100) here instead. XGBoost is timed two ways:
 * XGBoosterPredict on a DMatrix built beforehand and never predicted
 * before (the learner caches predictions per DMatrix; what Python's
 * predict(DMatrix, output_margin=True) runs), and XGBoosterPredictFromDense
 * (Python's inplace_predict). The last line is a Markdown table row.
 * PF_BENCH_SCORER=walk|scalar|avx512 in the environment times that scorer
 * instead of the default.
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xgboost/c_api.h>

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

static void
die_xgb(const char *what)
{
	fprintf(stderr, "xgboost %s: %s\n", what, XGBGetLastError());
	exit(2);
}

static float *
read_rows(const char *path, size_t nf, size_t *nr)
{
	FILE *f = fopen(path, "rb");
	long bytes;
	float *x;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (bytes = ftell(f)) < 0) {
		perror(path);
		exit(2);
	}
	rewind(f);
	if (*nr == 0 || *nr > (size_t)bytes / (nf * sizeof(float)))
		*nr = (size_t)bytes / (nf * sizeof(float));
	if ((x = malloc(*nr * nf * sizeof(float))) == NULL ||
	    fread(x, sizeof(float), *nr * nf, f) != *nr * nf) {
		fprintf(stderr, "%s: cannot read %zu rows\n", path, *nr);
		exit(2);
	}
	fclose(f);
	return x;
}

int
main(int argc, char **argv)
{
	double tpf[MAXREP], tdm[MAXREP], tip[MAXREP], cpf[MAXREP], cdm[MAXREP];
	pf_gbdt *m;
	pf_err err = {0};
	BoosterHandle b;
	bst_ulong n, dim;
	const bst_ulong *shape;
	const float *ref;
	char nt[16], arr[256];
	size_t nr, nf;
	float *x;

	if (argc < 6) {
		fprintf(stderr, "usage: %s MODEL.json ROWS.f32|- NFEAT THREADS "
		    "REPEATS [NROWS]\n", argv[0]);
		return 2;
	}
	nf = (size_t)atol(argv[3]);
	int th = atoi(argv[4]), rep = atoi(argv[5]);
	nr = argc > 6 ? (size_t)atol(argv[6]) : 0;
	if (rep < 1 || rep > MAXREP || th < 1 || nf == 0) {
		fprintf(stderr, "bad arguments\n");
		return 2;
	}
	if (pf_gbdt_load(&m, argv[1], &err) != PF_OK) {
		fprintf(stderr, "%s: %s\n", err.where, err.msg);
		return 2;
	}
	/* PF_BENCH_SCORER=walk|scalar|avx512 times another scorer. */
	if (getenv("PF_BENCH_SCORER") != NULL &&
	    pf_gbdt__set_path(m, getenv("PF_BENCH_SCORER")) != PF_OK) {
		fprintf(stderr, "scorer %s not available\n",
		    getenv("PF_BENCH_SCORER"));
		return 2;
	}
	if (strcmp(argv[2], "-") == 0) {
		uint64_t s = 0x9e3779b97f4a7c15ull;
		nr = nr ? nr : 1000000;
		x = malloc(nr * nf * sizeof(float));
		for (size_t i = 0; i < nr * nf; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			x[i] = (float)((double)(s % 100) / 100.0);
		}
	} else {
		x = read_rows(argv[2], nf, &nr);
	}
	double *got = malloc(nr * sizeof(double));
	float *xgb_dm = malloc(nr * sizeof(float));
	omp_set_num_threads(th);
	snprintf(nt, sizeof(nt), "%d", th);
	if (XGBoosterCreate(NULL, 0, &b) != 0 ||
	    XGBoosterLoadModel(b, argv[1]) != 0 ||
	    XGBoosterSetParam(b, "nthread", nt) != 0)
		die_xgb("load");

	/* XGBoost, DMatrix: a fresh matrix per run, built outside the clock. */
	DMatrixHandle warm;
	if (XGDMatrixCreateFromMat(x, nr < 10000 ? nr : 10000, nf, NAN,
	    &warm) != 0 || XGBoosterPredict(b, warm, 1, 0, 0, &n, &ref) != 0)
		die_xgb("warm-up");
	XGDMatrixFree(warm);
	for (int r = 0; r < rep; r++) {
		DMatrixHandle dm;
		if (XGDMatrixCreateFromMat_omp(x, nr, nf, NAN, &dm, th) != 0)
			die_xgb("DMatrix");
		double t0 = now(), c0 = cpu();
		if (XGBoosterPredict(b, dm, 1, 0, 0, &n, &ref) != 0)
			die_xgb("predict");
		tdm[r] = now() - t0;
		cdm[r] = cpu() - c0;
		memcpy(xgb_dm, ref, nr * sizeof(float));
		XGDMatrixFree(dm);
	}
	/* XGBoost, in place (inplace_predict). */
	snprintf(arr, sizeof(arr), "{\"data\": [%lu, true], \"shape\": [%zu, "
	    "%zu], \"typestr\": \"<f4\", \"version\": 3}",
	    (unsigned long)(uintptr_t)x, nr, nf);
	const char *cfg = "{\"type\": 1, \"training\": false, "
	    "\"iteration_begin\": 0, \"iteration_end\": 0, \"strict_shape\": "
	    "false, \"missing\": NaN, \"cache_id\": 0}";
	for (int r = 0; r < rep; r++) {
		double t0 = now();
		if (XGBoosterPredictFromDense(b, arr, cfg, NULL, &shape, &dim,
		    &ref) != 0)
			die_xgb("inplace predict");
		tip[r] = now() - t0;
	}
	size_t diff_ip = 0, diff_dm = 0;
	for (size_t i = 0; i < nr; i++)
		diff_ip += memcmp(&ref[i], &xgb_dm[i], sizeof(float)) != 0;

	/* preflight. */
	pf_gbdt_predict_f32(m, x, nr < 10000 ? nr : 10000, nf, nf, got);
	for (int r = 0; r < rep; r++) {
		double t0 = now(), c0 = cpu();
		pf_gbdt_predict_f32(m, x, nr, nf, nf, got);
		tpf[r] = now() - t0;
		cpf[r] = cpu() - c0;
	}
	for (size_t i = 0; i < nr; i++) {
		double want = xgb_dm[i];
		diff_dm += memcmp(&got[i], &want, sizeof(double)) != 0;
	}
	double mdm = median(tdm, rep), mip = median(tip, rep), mpf = median(tpf,
	    rep);
	printf("threads %d, %zu rows x %zu features, %zu trees (max depth %d), "
	    "scorer %s, median of %d\n", th, nr, nf, pf_gbdt_ntrees(m),
	    pf_gbdt_max_depth(m), pf_gbdt__path(m), rep);
	printf("  xgboost predict(DMatrix)  %7.3f s  %9.0f docs/s\n", mdm,
	    (double)nr / mdm);
	printf("  xgboost inplace_predict   %7.3f s  %9.0f docs/s\n", mip,
	    (double)nr / mip);
	printf("  preflight                 %7.3f s  %9.0f docs/s  %.2fx "
	    "predict(DMatrix), %.2fx inplace\n", mpf, (double)nr / mpf,
	    mdm / mpf, mip / mpf);
	double ccdm = median(cdm, rep), ccpf = median(cpf, rep);
	printf("  CPU time (all threads): xgboost %.3f s, preflight %.3f s: "
	    "%.0f vs %.0f docs per CPU-second, %.2fx\n", ccdm, ccpf,
	    (double)nr / ccdm, (double)nr / ccpf, ccdm / ccpf);
	printf("  runs (s): preflight");
	for (int r = 0; r < rep; r++)
		printf(" %.3f", tpf[r]);
	printf("; xgboost");
	for (int r = 0; r < rep; r++)
		printf(" %.3f", tdm[r]);
	printf("\n  margins: %zu / %zu bit-identical to predict(DMatrix); "
	    "inplace_predict differs from predict(DMatrix) on %zu\n",
	    nr - diff_dm, nr, diff_ip);
	printf("| %d | %.3f s, %.0f docs/s | %.3f s, %.0f docs/s | %.3f s, "
	    "%.0f docs/s | **%.2f×** | %.2f× | %zu / %zu |\n", th, mdm,
	    (double)nr / mdm, mip, (double)nr / mip, mpf, (double)nr / mpf,
	    mdm / mpf, mip / mpf, nr - diff_dm, nr);
	XGBoosterFree(b);
	pf_gbdt_free(m);
	free(x);
	free(got);
	free(xgb_dm);
	return diff_dm ? 1 : 0;
}

/*
 * bench/gbdt_bench.c — preflight's gbdt scorer against XGBoost's own
 * predictor (libxgboost C API) on the same rows in the same process:
 * docs/s for each at the given thread count, and whether every margin is
 * bit-identical.
 *   pf_bench_gbdt MODEL.json NROWS THREADS
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

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
	pf_gbdt *m;
	pf_err err = {0};
	BoosterHandle b;
	DMatrixHandle dm;
	bst_ulong n;
	const float *ref;
	char nt[16];

	if (argc != 4) {
		fprintf(stderr, "usage: %s MODEL.json NROWS THREADS\n", argv[0]);
		return 2;
	}
	size_t nr = (size_t)atol(argv[2]);
	int th = atoi(argv[3]);
	if (pf_gbdt_load(&m, argv[1], &err) != PF_OK) {
		fprintf(stderr, "%s: %s\n", err.where, err.msg);
		return 2;
	}
	size_t nf = pf_gbdt_nfeatures(m);
	float *x = malloc(nr * nf * sizeof(float));
	double *got = malloc(nr * sizeof(double));
	uint64_t s = 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < nr * nf; i++) {	/* LETOR-like: [0, 1), 2 dp */
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		x[i] = (float)((double)(s % 100) / 100.0);
	}
	omp_set_num_threads(th);
	snprintf(nt, sizeof(nt), "%d", th);
	XGBoosterCreate(NULL, 0, &b);
	if (XGBoosterLoadModel(b, argv[1]) != 0) {
		fprintf(stderr, "xgboost: %s\n", XGBGetLastError());
		return 2;
	}
	XGBoosterSetParam(b, "nthread", nt);
	/* warm up on a small matrix: XGBoost caches predictions per DMatrix,
	   so the timed call must see a matrix it has not predicted yet */
	DMatrixHandle warm;
	XGDMatrixCreateFromMat(x, nr < 1000 ? nr : 1000, nf, NAN, &warm);
	XGBoosterPredict(b, warm, 1, 0, 0, &n, &ref);
	XGDMatrixCreateFromMat(x, nr, nf, NAN, &dm);
	double t0 = now();
	XGBoosterPredict(b, dm, 1, 0, 0, &n, &ref);
	double txgb = now() - t0;
	pf_gbdt_predict_f32(m, x, nr, nf, nf, got);	/* warm-up */
	t0 = now();
	pf_gbdt_predict_f32(m, x, nr, nf, nf, got);
	double tpf = now() - t0;
	size_t diff = 0;
	for (size_t r = 0; r < nr; r++)
		diff += (float)got[r] != ref[r];
	printf("threads %d  rows %zu  trees %zu  features %zu\n", th, nr,
	    pf_gbdt_ntrees(m), nf);
	printf("  xgboost   %8.3f s  %9.0f docs/s\n", txgb, (double)nr / txgb);
	printf("  preflight %8.3f s  %9.0f docs/s  (%.2fx xgboost)\n", tpf,
	    (double)nr / tpf, txgb / tpf);
	printf("  margins bit-identical: %s (%zu differ)\n", diff ? "NO" : "yes",
	    diff);
	XGDMatrixFree(dm);
	XGDMatrixFree(warm);
	XGBoosterFree(b);
	pf_gbdt_free(m);
	free(x);
	free(got);
	return diff ? 1 : 0;
}

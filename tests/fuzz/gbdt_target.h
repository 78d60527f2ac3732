/*
 * tests/fuzz/gbdt_target.h — the body of fuzz_xgb_json.c and
 * fuzz_lgb_text.c: a gradient-boosted model (harness/model/gbdt.h) loaded
 * from any bytes (the loader picks the format from the first bytes; the
 * two targets differ in their seeds and dictionaries). A model that loads
 * is then used as `preflight run` uses it: its splits listed, and rows
 * that sit on and around its thresholds, missing and zero values scored
 * through every scorer this machine has ("walk", "scalar", "avx2",
 * "avx512"), in float32 and double, and each row's leaves found. Every
 * scorer must give the same bits as the node-by-node walk: a difference is
 * a finding too.
 *
 * Counts a model declares (num_leaves, num_cat, max_feature_idx;
 * XGBoost's num_nodes, num_feature) are checked against the arrays they
 * count and against the feature cap before they size anything (the
 * findings in tests/fuzz/crashes/lgb_text/ and xgb_json/, now fixed: a
 * short file asked for gigabytes).
 */
#ifndef PF_TESTS_FUZZ_GBDT_TARGET_H
#define PF_TESTS_FUZZ_GBDT_TARGET_H

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/model/gbdt.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NROWS = 6, MAXCOLS = 64, MAXTREES = 4096 };

static fuzz_file in;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_one_thread();
	fuzz_file_open(&in, NULL);
	return 0;
}

/*
 * Rows of ncols features: all missing, all zero, then each feature at its
 * first threshold, its last, just below its first and just above its last
 * (features without splits: 1.0).
 */
static void
make_rows(const pf_gbdt_splits *sp, size_t ncols, double *x64, float *x32)
{
	for (size_t j = 0; j < ncols; j++) {
		int has = j < sp->nfeat && sp->off[j] < sp->off[j + 1];
		double lo = has ? sp->thr[sp->off[j]] : 1.0;
		double hi = has ? sp->thr[sp->off[j + 1] - 1] : 1.0;
		double v[NROWS] = {NAN, 0.0, lo, hi, nextafter(lo, -INFINITY),
		    nextafter(hi, INFINITY)};
		for (size_t r = 0; r < NROWS; r++) {
			x64[r * ncols + j] = v[r];
			x32[r * ncols + j] = (float)v[r];
		}
	}
}

/* Same bits, or both NaN. */
static int
same(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0 || (isnan(a) && isnan(b));
}

static void
score(pf_gbdt *m, const pf_gbdt_splits *sp)
{
	static const char *const paths[] = {"scalar", "avx2", "avx512"};
	size_t ncols = pf_gbdt_nfeatures(m);
	double x64[NROWS * MAXCOLS], want32[NROWS], want64[NROWS], got[NROWS];
	float x32[NROWS * MAXCOLS];

	ncols = ncols < MAXCOLS ? ncols : MAXCOLS;
	make_rows(sp, ncols, x64, x32);
	pf_gbdt__set_path(m, "walk");	/* gblinear: stays "linear" */
	pf_gbdt_predict_f32(m, x32, NROWS, ncols, ncols, want32);
	pf_gbdt_predict_f64(m, x64, NROWS, ncols, ncols, want64);
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		if (pf_gbdt__set_path(m, paths[i]) != PF_OK)
			continue;
		pf_gbdt_predict_f32(m, x32, NROWS, ncols, ncols, got);
		for (size_t r = 0; r < NROWS; r++)
			assert(same(got[r], want32[r]));
		pf_gbdt_predict_f64(m, x64, NROWS, ncols, ncols, got);
		for (size_t r = 0; r < NROWS; r++)
			assert(same(got[r], want64[r]));
	}
	pf_gbdt__set_path(m, NULL);
	size_t nt = pf_gbdt_ntrees(m);
	int32_t *leaves = malloc((nt + 1) * sizeof(*leaves));
	if (leaves != NULL && nt <= MAXTREES)
		for (size_t r = 0; r < NROWS; r++) {
			pf_gbdt_leaves_f32(m, x32 + r * ncols, ncols, leaves);
			pf_gbdt_leaves_f64(m, x64 + r * ncols, ncols, leaves);
		}
	free(leaves);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_gbdt *m = NULL;
	pf_gbdt_splits *sp = NULL;
	pf_err err = {0};

	fuzz_file_set(&in, data, size);
	int rc = pf_gbdt_load(&m, in.path, &err);
	fuzz_say_err("gbdt", rc, &err);
	if (rc != PF_OK) {
		assert(m == NULL && err.code != PF_OK);
		return 0;
	}
	assert(pf_gbdt_kind(m) == PF_GBDT_XGBOOST ||
	    pf_gbdt_kind(m) == PF_GBDT_LIGHTGBM);
	(void)pf_gbdt_max_depth(m);
	assert(pf_gbdt_objective(m) != NULL && pf_gbdt_booster(m) != NULL);
	if (pf_gbdt_splits_get(&sp, m, &err) == PF_OK)
		score(m, sp);
	pf_gbdt_splits_free(sp);
	pf_gbdt_free(m);
	return 0;
}

#endif /* PF_TESTS_FUZZ_GBDT_TARGET_H */

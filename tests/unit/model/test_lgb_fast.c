/*
 * tests/unit/model/test_lgb_fast.c — the compiled LightGBM scorers
 * (harness/model/lgb_fast.c, kernels_lgb.c) against the node walk and
 * against LightGBM's own raw scores.
 *
 * The walk is LightGBM's Tree::Predict rule by rule (test_gbdt.c checks
 * it on the goldens); the compiled trees read float32 keys and must give
 * the walk's bits anyway. Random leaf-wise models mix every decision type
 * (None / Zero / NaN missing types, default left or right, categorical
 * bitsets of one to three words) and trees of 1 to 32 leaves (in-register
 * slots) or up to 90 (gathered slots); thresholds and row values come
 * from one pool of awkward doubles — values at and one ulp around
 * thresholds, doubles between two float32 neighbours of a threshold,
 * +-0, the 1e-35f zero band and its edges, categories beyond 2^24 and
 * int32, NaN — so the steps a float32 key cannot decide are hit often.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/model/gbdt.h"
#include "model_fixture.h"

#define MODELS	SHARED_DIR "/data/models"

static uint64_t rng_s;

static uint64_t
rnd(void)
{
	rng_s ^= rng_s << 13;
	rng_s ^= rng_s >> 7;
	rng_s ^= rng_s << 17;
	return rng_s;
}

static double
unif(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

#define NPOOL	48
static double pool[NPOOL];

static void
make_pool(void)
{
	static const double fixed[] = {0.0, -0.0, 1e-36, -1e-36, 0.5, 0.73,
	    0.7300000000000001, 1.0, 1.0000000000000002, 2.0, 3.0, 7.5, -1.0,
	    -0.5, 16777216.5, 16777217.0, 3e9, 31.0, 32.0, 33.0, 64.5, 1e300,
	    -1e300, 5.0, 95.0, 1e-50, -1e-50, 1e-40, -1e-40, 3.4028236e38,
	    -3.4028236e38, INFINITY, -INFINITY};	/* the round-down's edges */
	size_t n = sizeof(fixed) / sizeof(*fixed), k = 0;

	for (; k < n; k++)
		pool[k] = fixed[k];
	pool[k++] = (double)1e-35f;
	pool[k++] = nextafter((double)1e-35f, 1.0);
	pool[k++] = nextafter((double)1e-35f, 0.0);
	pool[k++] = -(double)1e-35f;
	pool[k++] = nextafter(-(double)1e-35f, -1.0);
	pool[k++] = (double)0.73f;
	pool[k++] = nextafter((double)0.73f, 1.0);
	pool[k++] = nextafter((double)0.73f, 0.0);
	pool[k++] = nextafter(-1.0, 0.0);
	pool[k++] = nextafter(-1.0, -2.0);
	pool[k++] = 2147483647.5;
	pool[k++] = 2147483648.0;
	while (k < NPOOL)
		pool[k++] = (double)(int)(rnd() % 200) / 10.0 - 5.0 + unif() *
		    (rnd() % 2 ? 1e-9 : 0.0);
}

/* A pool value, or one close to it (a float32 neighbour, one ulp off). */
static double
near_pool(void)
{
	double v = pool[rnd() % NPOOL];
	float f = (float)v;

	switch (rnd() % 8) {
	case 0:
		return nextafter(v, INFINITY);
	case 1:
		return nextafter(v, -INFINITY);
	case 2:
		return isfinite(f) ? (double)f : v;
	case 3:
		return isfinite(f) ? (double)nextafterf(f, INFINITY) : v;
	case 4:	/* strictly between two float32 neighbours */
		return isfinite(f) ? ((double)f + (double)nextafterf(f,
		    INFINITY)) / 2 : v;
	default:
		return v;
	}
}

/* Writes a random leaf-wise LightGBM model of minl to maxl leaves a tree. */
static void
write_model(const char *path, size_t nf, size_t nt, size_t minl,
    size_t maxl)
{
	FILE *f = fopen(path, "w");
	int32_t *lc = malloc(maxl * sizeof(int32_t)), *rc = malloc(maxl *
	    sizeof(int32_t)), *pn = malloc(maxl * sizeof(int32_t));
	int32_t *ps = malloc(maxl * sizeof(int32_t));
	int *dt = malloc(maxl * sizeof(int));
	size_t *nw = malloc(maxl * sizeof(size_t));

	cr_assert_not_null(f);
	fprintf(f, "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\n"
	    "label_index=0\nmax_feature_idx=%zu\nobjective=lambdarank\n\n",
	    nf - 1);
	for (size_t t = 0; t < nt; t++) {
		size_t nl = minl + rnd() % (maxl - minl + 1), ni = nl - 1;
		size_t ncat = 0;
		/* grow leaf-wise: split a random leaf nl - 1 times */
		for (size_t k = 1; k < nl; k++) {
			size_t leaf = rnd() % k, n = k - 1;
			lc[n] = ~(int32_t)leaf;
			rc[n] = ~(int32_t)k;
			if (n > 0) {	/* the parent now points at node n */
				if (ps[leaf])
					rc[pn[leaf]] = (int32_t)n;
				else
					lc[pn[leaf]] = (int32_t)n;
			}
			pn[leaf] = (int32_t)n, ps[leaf] = 0;
			pn[k] = (int32_t)n, ps[k] = 1;
		}
		for (size_t i = 0; i < ni; i++) {
			static const int dts[] = {0, 2, 4, 6, 8, 10, 1, 9};
			dt[i] = dts[rnd() % 8];
			if (dt[i] & 1)
				ncat++;
		}
		fprintf(f, "Tree=%zu\nnum_leaves=%zu\nnum_cat=%zu\n", t, nl, ncat);
		if (ni > 0) {
			fprintf(f, "split_feature=");
			for (size_t i = 0; i < ni; i++)
				fprintf(f, "%s%zu", i ? " " : "", (size_t)(rnd() %
				    nf));
			fprintf(f, "\nthreshold=");
			for (size_t i = 0, c = 0; i < ni; i++) {
				if (dt[i] & 1)
					fprintf(f, "%s%zu", i ? " " : "", c++);
				else {
					double v = near_pool();
					if (!isfinite(v))
						v = 0.5;
					fprintf(f, "%s%.17g", i ? " " : "", v);
				}
			}
			fprintf(f, "\ndecision_type=");
			for (size_t i = 0; i < ni; i++)
				fprintf(f, "%s%d", i ? " " : "", dt[i]);
			fprintf(f, "\nleft_child=");
			for (size_t i = 0; i < ni; i++)
				fprintf(f, "%s%d", i ? " " : "", lc[i]);
			fprintf(f, "\nright_child=");
			for (size_t i = 0; i < ni; i++)
				fprintf(f, "%s%d", i ? " " : "", rc[i]);
			fprintf(f, "\n");
		}
		fprintf(f, "leaf_value=");
		for (size_t k = 0; k < nl; k++)
			fprintf(f, "%s%.17g", k ? " " : "", (unif() - 0.5) *
			    (rnd() % 2 ? 1.0 : 1e-3));
		fprintf(f, "\n");
		if (ncat > 0) {
			size_t off = 0;
			fprintf(f, "cat_boundaries=0");
			for (size_t c = 0; c < ncat; c++) {
				nw[c] = 1 + rnd() % 3;
				off += nw[c];
				fprintf(f, " %zu", off);
			}
			fprintf(f, "\ncat_threshold=");
			for (size_t k = 0; k < off; k++)
				fprintf(f, "%s%u", k ? " " : "", (unsigned)(rnd() &
				    0xFFFFFFFFu));
			fprintf(f, "\n");
		}
		fprintf(f, "is_linear=0\nshrinkage=1\n\n\n");
	}
	fprintf(f, "end of trees\n");
	cr_assert_eq(fclose(f), 0);
	free(lc);
	free(rc);
	free(pn);
	free(ps);
	free(dt);
	free(nw);
}

static int
same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* Row values: near the pool, small categories, NaN. */
static double
row_value(void)
{
	switch (rnd() % 10) {
	case 0:
		return NAN;
	case 1:
		return (double)(rnd() % 100);		/* categories */
	case 2:
		return (double)(rnd() % 100) + unif();	/* truncated */
	default:
		return near_pool();
	}
}

/* Every compiled scorer of m gives the walk's bits on rows x (f64, f32). */
static int
check_paths(pf_gbdt *m, const double *x, size_t nr, size_t nf, size_t ncols,
    const char *what)
{
	static const char *const paths[] = {"scalar", "avx512", "avx2"};
	double *want = malloc(nr * sizeof(double));
	double *got = malloc(nr * sizeof(double));
	float *x32 = malloc(nr * nf * sizeof(float));
	int nrun = 0;

	for (size_t i = 0; i < nr * nf; i++)
		x32[i] = (float)x[i];
	for (int in = 0; in < 2; in++) {
		cr_assert_eq(pf_gbdt__set_path(m, "walk"), PF_OK);
		if (in)
			pf_gbdt_predict_f32(m, x32, nr, nf, ncols, want);
		else
			pf_gbdt_predict_f64(m, x, nr, nf, ncols, want);
		for (size_t p = 0; p < 3; p++) {
			if (pf_gbdt__set_path(m, paths[p]) != PF_OK) {
				cr_assert_neq(p, 0, "%s: no scalar path", what);
				continue;
			}
			if (in)
				pf_gbdt_predict_f32(m, x32, nr, nf, ncols, got);
			else
				pf_gbdt_predict_f64(m, x, nr, nf, ncols, got);
			for (size_t r = 0; r < nr; r++)
				cr_assert(same_bits(got[r], want[r]), "%s [%s, %s, "
				    "%zu of %zu columns] row %zu: %a, walk %a", what,
				    paths[p], in ? "f32" : "f64", ncols, nf, r,
				    got[r], want[r]);
			nrun++;
		}
	}
	pf_gbdt__set_path(m, NULL);
	free(want);
	free(got);
	free(x32);
	return nrun;
}

TestSuite(lgb_fast, .init = mfx_setup, .fini = mfx_teardown);

Test(lgb_fast, compiled_trees_give_the_walks_bits_on_random_models)
{
	size_t nrows = 0, nmodels = 0;
	char path[256];

	rng_s = 0x243f6a8885a308d3ull;
	make_pool();
	for (int k = 0; k < 40; k++) {
		size_t nf = 1 + rnd() % 12, nt = 1 + rnd() % 40;
		size_t maxl = k % 4 == 3 ? 90 : 32, nr = 300 + rnd() % 300;
		snprintf(path, sizeof(path), "%s/m%d.txt", mfx_dir, k);
		write_model(path, nf, nt, 1, maxl);
		pf_gbdt *m = mfx_load_ok(path);
		double *x = malloc(nr * nf * sizeof(double));
		for (size_t i = 0; i < nr * nf; i++)
			x[i] = row_value();
		check_paths(m, x, nr, nf, nf, path);
		/* absent columns are 0.0 */
		check_paths(m, x, nr, nf, nf / 2, path);
		nrows += nr;
		nmodels++;
		free(x);
		pf_gbdt_free(m);
	}
	cr_log_info("%zu models, %zu rows: compiled == walk", nmodels, nrows);
}

/* Trees of 20,000 leaves: slots past 32,767 (both halves of kids). */
Test(lgb_fast, trees_with_tens_of_thousands_of_leaves)
{
	char path[256];
	size_t nf = 6, nr = 400;

	rng_s = 0xa4093822299f31d0ull;
	make_pool();
	snprintf(path, sizeof(path), "%s/big.txt", mfx_dir);
	write_model(path, nf, 3, 17000, 20000);
	pf_gbdt *m = mfx_load_ok(path);
	double *x = malloc(nr * nf * sizeof(double));
	for (size_t i = 0; i < nr * nf; i++)
		x[i] = row_value();
	check_paths(m, x, nr, nf, nf, path);
	free(x);
	pf_gbdt_free(m);
}

/* The rows and raw scores of a golden (shared/data/models/README.md). */
static size_t
golden(const char *name, double **x, size_t *nf, double **want)
{
	char path[512], line[1 << 16];
	size_t nr = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.rows.csv", MODELS, name);
	cr_assert_not_null(f = fopen(path, "r"), "%s", path);
	cr_assert_not_null(fgets(line, sizeof(line), f));
	*nf = 1;
	for (char *p = line; *p; p++)
		*nf += *p == ',';
	*x = malloc(64 * *nf * sizeof(double));
	while (fgets(line, sizeof(line), f) != NULL && nr < 64) {
		char *p = line;
		for (size_t j = 0; j < *nf; j++) {
			(*x)[nr * *nf + j] = strtod(p, &p);	/* "nan" too */
			p += *p == ',';
		}
		nr++;
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s.pred.csv", MODELS, name);
	cr_assert_not_null(f = fopen(path, "r"), "%s", path);
	cr_assert_not_null(fgets(line, sizeof(line), f));
	*want = malloc(nr * sizeof(double));
	for (size_t r = 0; r < nr; r++) {
		cr_assert_not_null(fgets(line, sizeof(line), f));
		char *hex = strrchr(line, ',');
		cr_assert_not_null(hex);
		(*want)[r] = strtod(hex + 1, NULL);
	}
	fclose(f);
	return nr;
}

Test(lgb_fast, every_lightgbm_golden_on_the_compiled_scorers)
{
	static const char *const names[] = {"lgb_lambdarank_letor",
	    "lgb_lambdarank_nan", "lgb_regression_zero"};
	static const char *const paths[] = {"scalar", "avx512", "avx2"};
	char path[512];

	for (size_t k = 0; k < 3; k++) {
		double *x, *want;
		size_t nf, nr = golden(names[k], &x, &nf, &want);
		snprintf(path, sizeof(path), "%s/%s.txt", MODELS, names[k]);
		pf_gbdt *m = mfx_load_ok(path);
		double got[64];
		cr_assert_eq(nr, 20);
		for (size_t p = 0; p < 3; p++) {
			if (pf_gbdt__set_path(m, paths[p]) != PF_OK) {
				cr_assert_neq(p, 0, "%s: no scalar path", names[k]);
				continue;
			}
			pf_gbdt_predict_f64(m, x, nr, nf, nf, got);
			for (size_t r = 0; r < nr; r++)
				cr_expect(same_bits(got[r], want[r]), "%s [%s] row "
				    "%zu: %a, LightGBM %a", names[k], paths[p], r,
				    got[r], want[r]);
		}
		pf_gbdt__set_path(m, NULL);
		free(x);
		free(want);
		pf_gbdt_free(m);
	}
}

/* Rows parsed from text as doubles are mostly not float32s: the kernels'
   double fallback decides their open steps. Same bits as the walk on the
   LETOR model with values at and around its own thresholds. */
Test(lgb_fast, letor_doubles_match_the_walk)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/lgb_lambdarank_letor.txt", MODELS);
	pf_gbdt *m = mfx_load_ok(path);
	size_t nf = pf_gbdt_nfeatures(m), nr = 2000;
	double *x = malloc(nr * nf * sizeof(double));

	rng_s = 0x13198a2e03707344ull;
	pf_gbdt_splits *sp;
	pf_err err = {0};
	cr_assert_eq(pf_gbdt_splits_get(&sp, m, &err), PF_OK);
	/* values with few digits, as text files hold them, and the model's
	   own thresholds, their float32 roundings and neighbours */
	for (size_t i = 0; i < nr * nf; i++) {
		size_t j = i % nf, nt = sp->off[j + 1] - sp->off[j];
		if (nt > 0 && rnd() % 2) {
			double t = sp->thr[sp->off[j] + rnd() % nt];
			int k = (int)(rnd() % 4);
			x[i] = k == 0 ? t : k == 1 ? (double)(float)t : k == 2 ?
			    nextafter(t, INFINITY) : ((double)(float)t +
			    (double)nextafterf((float)t, INFINITY)) / 2;
		} else {
			x[i] = rnd() % 3 == 0 ? 0.0 : (double)(rnd() % 100000) /
			    (double)(1u << (rnd() % 3)) / 1000.0;
		}
	}
	pf_gbdt_splits_free(sp);
	check_paths(m, x, nr, nf, nf, path);
	free(x);
	pf_gbdt_free(m);
}

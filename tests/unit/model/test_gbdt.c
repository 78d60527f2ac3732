/*
 * test_gbdt.c — harness/model: every golden in shared/data/models (the
 * libraries' own margins as C99 hex, and leaf indices) bit for bit on every
 * scorer; libxgboost's C API on thousands of rows built from the models'
 * own thresholds (exact, one ulp either side, NaN, 0); absent columns,
 * cross-kind input, thread counts; one-split models scored by hand. What
 * the loaders refuse is in test_xgb_json.c and test_lgb_text.c.
 */
#include <dirent.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <xgboost/c_api.h>

#include "harness/model/gbdt.h"
#include "model_fixture.h"

#define MODELS	MFX_MODELS
#define GFIX	MFX_GFIX

/* Scorers to try; NULL is the default. Unavailable ones are skipped. */
static const char *const scorers[] = {NULL, "walk", "scalar", "avx512",
    "avx2"};
#define NSCORERS (sizeof(scorers) / sizeof(*scorers))

static int
same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* Next line of *p (NUL-terminated in place), or NULL at the end. */
static char *
next_line(char **p)
{
	char *s = *p, *e;

	if (s == NULL || *s == '\0')
		return NULL;
	e = strchr(s, '\n');
	if (e != NULL) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = s + strlen(s);
	}
	if (e != NULL && e > s && e[-1] == '\r')
		e[-1] = '\0';
	return s;
}

/* Next comma-separated field of *p (in place). */
static char *
next_field(char **p)
{
	char *s = *p, *e = strchr(s, ',');

	if (e != NULL) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

typedef struct golden {
	size_t	 nrows, ncols, nleaf;
	float	*x32;		/* as XGBoost reads the rows */
	double	*x64;		/* as LightGBM reads them (strtod) */
	double	 want[64];
	char	 kind[64][48];
	int32_t	*leaf;		/* nrows x nleaf, or NULL */
} golden;

static void
golden_free(golden *g)
{
	free(g->x32);
	free(g->x64);
	free(g->leaf);
}

/*
 * Rows: strtof for XGBoost rows except kinds "double*" (strtod then a float
 * cast, as XGBoost converts float64 input); strtod for LightGBM.
 */
static void
golden_load(golden *g, const char *name, int xgb)
{
	char path[1024], *buf, *p, *l;

	memset(g, 0, sizeof(*g));
	snprintf(path, sizeof(path), "%s/%s.pred.csv", MODELS, name);
	cr_assert_not_null(buf = mfx_slurp(path), "%s", path);
	p = buf;
	next_line(&p);
	while ((l = next_line(&p)) != NULL && *l != '\0') {
		cr_assert_lt(g->nrows, 64);
		next_field(&l);
		snprintf(g->kind[g->nrows], sizeof(g->kind[0]), "%s",
		    next_field(&l));
		next_field(&l);
		g->want[g->nrows++] = strtod(next_field(&l), NULL);
	}
	free(buf);
	snprintf(path, sizeof(path), "%s/%s.rows.csv", MODELS, name);
	cr_assert_not_null(buf = mfx_slurp(path), "%s", path);
	p = buf;
	l = next_line(&p);
	g->ncols = 1;
	for (char *c = l; *c; c++)
		g->ncols += *c == ',';
	g->x32 = calloc(g->nrows * g->ncols, sizeof(float));
	g->x64 = calloc(g->nrows * g->ncols, sizeof(double));
	for (size_t r = 0; r < g->nrows; r++) {
		cr_assert_not_null(l = next_line(&p), "%s: row %zu", path, r);
		for (size_t j = 0; j < g->ncols; j++) {
			char *s = next_field(&l);
			double d = strtod(s, NULL);
			float f = strtof(s, NULL);
			g->x64[r * g->ncols + j] = d;
			g->x32[r * g->ncols + j] = xgb &&
			    strncmp(g->kind[r], "double", 6) == 0 ? (float)d : f;
		}
	}
	free(buf);
	snprintf(path, sizeof(path), "%s/%s.leaf.csv", MODELS, name);
	if ((buf = mfx_slurp(path)) == NULL)
		return;
	p = buf;
	l = next_line(&p);
	g->nleaf = 1;
	for (char *c = l; *c; c++)
		g->nleaf += *c == ',';
	g->leaf = calloc(g->nrows * g->nleaf, sizeof(int32_t));
	for (size_t r = 0; r < g->nrows; r++) {
		cr_assert_not_null(l = next_line(&p), "%s: row %zu", path, r);
		for (size_t t = 0; t < g->nleaf; t++)
			g->leaf[r * g->nleaf + t] = (int32_t)strtol(
			    next_field(&l), NULL, 10);
	}
	free(buf);
}

static int
is_model_file(const char *s)
{
	size_t n = strlen(s);

	if (strncmp(s, "xgb_", 4) == 0)
		return n > 5 && strcmp(s + n - 5, ".json") == 0 &&
		    strstr(s, ".dump.") == NULL && strcmp(s, "xgb_report.json");
	return strncmp(s, "lgb_", 4) == 0 && n > 4 &&
	    strcmp(s + n - 4, ".txt") == 0;
}

static void
check_golden(const char *file, int *nscored)
{
	char path[1024], name[256];
	int xgb = file[0] == 'x';
	golden g;
	pf_gbdt *m;

	snprintf(name, sizeof(name), "%.*s", (int)(strrchr(file, '.') - file),
	    file);
	snprintf(path, sizeof(path), "%s/%s", MODELS, file);
	m = mfx_load_ok(path);
	cr_assert_eq(pf_gbdt_kind(m), xgb ? PF_GBDT_XGBOOST : PF_GBDT_LIGHTGBM);
	golden_load(&g, name, xgb);
	cr_assert_geq(pf_gbdt_nfeatures(m), g.ncols - (xgb ? 0 : 1),
	    "%s: nfeatures", file);
	double got[64];
	for (size_t s = 0; s < NSCORERS; s++) {
		if (pf_gbdt__set_path(m, scorers[s]) != PF_OK)
			continue;
		for (int in = 0; in < 2; in++) {
			/* XGBoost: float rows, and double rows it narrows;
			   LightGBM: double rows only (floats change 1 row). */
			if (!xgb && in == 0)
				continue;
			if (in == 0)
				pf_gbdt_predict_f32(m, g.x32, g.nrows, g.ncols,
				    g.ncols, got);
			else
				pf_gbdt_predict_f64(m, g.x64, g.nrows, g.ncols,
				    g.ncols, got);
			for (size_t r = 0; r < g.nrows; r++)
				cr_expect(same_bits(got[r], g.want[r]), "%s "
				    "[%s, %s] row %zu (%s): %a, library %a",
				    file, pf_gbdt__path(m), in ? "f64" : "f32",
				    r, g.kind[r], got[r], g.want[r]);
			(*nscored)++;
		}
	}
	pf_gbdt__set_path(m, NULL);
	if (g.leaf != NULL) {
		size_t nt = pf_gbdt_ntrees(m);
		int32_t *lv = calloc(nt, sizeof(int32_t));
		cr_assert_eq(nt, g.nleaf, "%s: %zu trees, leaf file %zu", file,
		    nt, g.nleaf);
		for (size_t r = 0; r < g.nrows; r++) {
			if (xgb)
				pf_gbdt_leaves_f32(m, g.x32 + r * g.ncols,
				    g.ncols, lv);
			else
				pf_gbdt_leaves_f64(m, g.x64 + r * g.ncols,
				    g.ncols, lv);
			for (size_t t = 0; t < nt; t++)
				cr_expect_eq(lv[t], g.leaf[r * nt + t], "%s row "
				    "%zu tree %zu: leaf %d, library %d", file, r,
				    t, lv[t], g.leaf[r * nt + t]);
		}
		free(lv);
	}
	golden_free(&g);
	pf_gbdt_free(m);
}

Test(gbdt, every_golden_model_is_bit_exact_on_every_scorer)
{
	DIR *d = opendir(MODELS);
	struct dirent *e;
	int nmodels = 0, nscored = 0;

	if (d == NULL)
		cr_skip_test("%s absent", MODELS);
	while ((e = readdir(d)) != NULL)
		if (is_model_file(e->d_name)) {
			check_golden(e->d_name, &nscored);
			nmodels++;
		}
	closedir(d);
	cr_assert_geq(nmodels, 8, "only %d models in %s", nmodels, MODELS);
	cr_log_info("%d models, %d scorer x input runs bit-exact", nmodels,
	    nscored);
}

/* Every split threshold of an XGBoost JSON model, per feature. */
typedef struct thr_set {
	float	*v[512];
	size_t	 n[512];
} thr_set;

static void
thresholds(thr_set *ts, const char *path, size_t nf)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *gb, *trees;

	memset(ts, 0, sizeof(*ts));
	cr_assert_not_null(root, "%s: %s", path, je.text);
	gb = json_object_get(json_object_get(root, "learner"),
	    "gradient_booster");
	if (json_object_get(gb, "gbtree") != NULL)	/* dart */
		gb = json_object_get(gb, "gbtree");
	trees = json_object_get(json_object_get(gb, "model"), "trees");
	for (size_t t = 0; t < json_array_size(trees); t++) {
		json_t *tr = json_array_get(trees, t);
		json_t *L = json_object_get(tr, "left_children");
		json_t *F = json_object_get(tr, "split_indices");
		json_t *C = json_object_get(tr, "split_conditions");
		for (size_t i = 0; i < json_array_size(L); i++) {
			size_t f = (size_t)json_integer_value(
			    json_array_get(F, i));
			if (json_integer_value(json_array_get(L, i)) < 0 ||
			    f >= nf || f >= 512)
				continue;
			ts->v[f] = realloc(ts->v[f], (ts->n[f] + 1) *
			    sizeof(float));
			ts->v[f][ts->n[f]++] = (float)json_number_value(
			    json_array_get(C, i));
		}
	}
	json_decref(root);
}

/*
 * Rows that hit the model's decisions: a feature's own thresholds exactly
 * and one ulp either side, NaN, 0, and uniform values.
 */
static void
boundary_rows(float *x, size_t nr, size_t nf, const thr_set *ts, uint64_t s)
{
	for (size_t r = 0; r < nr; r++)
		for (size_t j = 0; j < nf; j++) {
			uint64_t k = mfx_rnd(&s) % 10;
			float u = (float)((double)(mfx_rnd(&s) >> 11) /
			    9007199254740992.0 * 6.0 - 2.0), t = u;
			if (j < 512 && ts->n[j] > 0)
				t = ts->v[j][mfx_rnd(&s) % ts->n[j]];
			x[r * nf + j] = k == 0 ? NAN : k == 1 ? 0.0f : k <= 4 ? t :
			    k == 5 ? nextafterf(t, INFINITY) : k == 6 ?
			    nextafterf(t, -INFINITY) : u;
		}
}

static void
check_libxgboost(const char *path)
{
	pf_gbdt *m = mfx_load_ok(path);
	size_t nf = pf_gbdt_nfeatures(m), nt = pf_gbdt_ntrees(m), nr = 3000;
	float *x = malloc(nr * nf * sizeof(float));
	double *x64 = malloc(nr * nf * sizeof(double)), *got = malloc(nr *
	    sizeof(double));
	int32_t *lv = malloc((nt ? nt : 1) * sizeof(int32_t));
	BoosterHandle b;
	DMatrixHandle dm;
	bst_ulong n;
	const float *ref;
	thr_set ts;

	thresholds(&ts, path, nf);
	boundary_rows(x, nr, nf, &ts, 0x9e3779b97f4a7c15ull ^ nf ^ (nt << 20));
	for (size_t i = 0; i < nr * nf; i++)
		x64[i] = x[i];
	cr_assert_eq(XGBoosterCreate(NULL, 0, &b), 0);
	cr_assert_eq(XGBoosterLoadModel(b, path), 0, "%s", XGBGetLastError());
	cr_assert_eq(XGDMatrixCreateFromMat(x, nr, nf, NAN, &dm), 0);
	cr_assert_eq(XGBoosterPredict(b, dm, 1, 0, 0, &n, &ref), 0, "%s",
	    XGBGetLastError());
	cr_assert_eq(n, nr);
	for (size_t s = 0; s < NSCORERS; s++) {
		if (pf_gbdt__set_path(m, scorers[s]) != PF_OK)
			continue;
		for (int in = 0; in < 2; in++) {
			if (in == 0)
				pf_gbdt_predict_f32(m, x, nr, nf, nf, got);
			else
				pf_gbdt_predict_f64(m, x64, nr, nf, nf, got);
			for (size_t r = 0; r < nr; r++)
				cr_assert(same_bits(got[r], (double)ref[r]),
				    "%s [%s, %s] row %zu: %a, libxgboost %a",
				    path, pf_gbdt__path(m), in ? "f64" : "f32",
				    r, got[r], (double)ref[r]);
		}
	}
	pf_gbdt__set_path(m, NULL);
	/* pred_leaf: node ids per tree, as floats. */
	if (nt > 0) {
		cr_assert_eq(XGBoosterPredict(b, dm, 2, 0, 0, &n, &ref), 0, "%s",
		    XGBGetLastError());
		cr_assert_eq(n, nr * nt, "%s: pred_leaf shape", path);
		for (size_t r = 0; r < nr; r++) {
			pf_gbdt_leaves_f32(m, x + r * nf, nf, lv);
			for (size_t t = 0; t < nt; t++)
				cr_assert_eq(lv[t], (int32_t)ref[r * nt + t],
				    "%s row %zu tree %zu: leaf %d, libxgboost "
				    "%g", path, r, t, lv[t],
				    (double)ref[r * nt + t]);
		}
	}
	cr_log_info("%s: %zu rows bit-identical to libxgboost (%s)", path, nr,
	    pf_gbdt__path(m));
	XGDMatrixFree(dm);
	XGBoosterFree(b);
	for (size_t j = 0; j < 512; j++)
		free(ts.v[j]);
	free(x);
	free(x64);
	free(got);
	free(lv);
	pf_gbdt_free(m);
}

Test(gbdt, agrees_with_libxgboost_on_boundary_rows)
{
	static const char *const shared[] = {"xgb_ndcg_small.json",
	    "xgb_ndcg_500x6.json", "xgb_pairwise_letor.json",
	    "xgb_binary_base0.3.json", "xgb_gblinear.json"};
	static const char *const fixtures[] = {"xgb_dart.json",
	    "xgb_rf_logitraw.json", "xgb_poisson.json", "xgb_stumps.json",
	    "xgb_depth2.json", "xgb_depth7.json", "xgb_depth8.json",
	    "xgb_depth10.json", "xgb_lossguide.json",
	    "xgb_gblinear_logistic.json"};
	char path[1024];

	for (size_t k = 0; k < sizeof(fixtures) / sizeof(*fixtures); k++) {
		snprintf(path, sizeof(path), "%s/%s", GFIX, fixtures[k]);
		check_libxgboost(path);
	}
	for (size_t k = 0; k < sizeof(shared) / sizeof(*shared); k++) {
		snprintf(path, sizeof(path), "%s/%s", MODELS, shared[k]);
		if (access(path, R_OK) != 0)
			cr_skip_test("%s absent", path);
		check_libxgboost(path);
	}
}

Test(gbdt, same_bits_for_any_thread_count_block_split_and_stride)
{
	char path[1024];
	size_t nf = 136, nr = 4099, ld = nf + 5;
	uint64_t s = 42;

	snprintf(path, sizeof(path), "%s/xgb_ndcg_500x6.json", MODELS);
	if (access(path, R_OK) != 0)
		cr_skip_test("%s absent", path);
	pf_gbdt *m = mfx_load_ok(path);
	float *x = malloc(nr * ld * sizeof(float));
	double *a = malloc(nr * sizeof(double)), *b = malloc(nr *
	    sizeof(double));
	for (size_t i = 0; i < nr * ld; i++)
		x[i] = mfx_rnd(&s) % 50 == 0 ? NAN : (float)(mfx_rnd(&s) % 400) / 100.0f
		    - 1.0f;
	omp_set_num_threads(1);
	pf_gbdt_predict_f32(m, x, nr, ld, nf, a);
	omp_set_num_threads(2);
	pf_gbdt_predict_f32(m, x, nr, ld, nf, b);
	cr_assert_eq(memcmp(a, b, nr * sizeof(double)), 0, "1 vs 2 threads");
	/* Odd pieces: every block boundary and tail moves. */
	for (size_t r = 0, step = 1; r < nr; r += step, step = step * 3 % 37 +
	    1)
		pf_gbdt_predict_f32(m, x + r * ld, nr - r < step ? nr - r : step,
		    ld, nf, b + r);
	cr_assert_eq(memcmp(a, b, nr * sizeof(double)), 0, "split calls");
	pf_gbdt_free(m);
	free(x);
	free(a);
	free(b);
}

/* XGBoost: columns >= ncols are missing; LightGBM: they are 0.0. */
Test(gbdt, absent_columns_follow_each_library)
{
	static const char *const files[] = {"xgb_ndcg_500x6.json",
	    "xgb_gblinear.json", "lgb_lambdarank_nan.txt",
	    "lgb_regression_zero.txt"};
	uint64_t s = 7;

	for (size_t k = 0; k < sizeof(files) / sizeof(*files); k++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", MODELS, files[k]);
		if (access(path, R_OK) != 0)
			cr_skip_test("%s absent", path);
		pf_gbdt *m = mfx_load_ok(path);
		int lgb = pf_gbdt_kind(m) == PF_GBDT_LIGHTGBM;
		size_t nf = pf_gbdt_nfeatures(m), nr = 300, nc = nf / 3;
		double *x = malloc(nr * nf * sizeof(double));
		double *full = malloc(nr * nf * sizeof(double));
		double *a = malloc(nr * sizeof(double)), *b = malloc(nr *
		    sizeof(double));
		for (size_t i = 0; i < nr * nf; i++) {
			x[i] = (double)(mfx_rnd(&s) % 1000) / 250.0 - 2.0;
			full[i] = i % nf < nc ? x[i] : lgb ? 0.0 : NAN;
		}
		for (size_t s2 = 0; s2 < NSCORERS; s2++) {
			if (pf_gbdt__set_path(m, scorers[s2]) != PF_OK)
				continue;
			pf_gbdt_predict_f64(m, x, nr, nf, nc, a);
			pf_gbdt_predict_f64(m, full, nr, nf, nf, b);
			for (size_t r = 0; r < nr; r++)
				cr_assert(same_bits(a[r], b[r]), "%s [%s] row "
				    "%zu: %a vs %a", files[k], pf_gbdt__path(m),
				    r, a[r], b[r]);
		}
		pf_gbdt_free(m);
		free(x);
		free(full);
		free(a);
		free(b);
	}
}

/* A LightGBM model given floats scores their exact double widening. */
Test(gbdt, lightgbm_model_widens_float_input)
{
	char path[1024];
	uint64_t s = 11;

	snprintf(path, sizeof(path), "%s/lgb_lambdarank_letor.txt", MODELS);
	if (access(path, R_OK) != 0)
		cr_skip_test("%s absent", path);
	pf_gbdt *m = mfx_load_ok(path);
	size_t nf = pf_gbdt_nfeatures(m), nr = 200;
	float *x = malloc(nr * nf * sizeof(float));
	double *xd = malloc(nr * nf * sizeof(double));
	double a[200], b[200];
	for (size_t i = 0; i < nr * nf; i++) {
		x[i] = mfx_rnd(&s) % 7 == 0 ? NAN : (float)(mfx_rnd(&s) % 100) / 100.0f;
		xd[i] = x[i];
	}
	pf_gbdt_predict_f32(m, x, nr, nf, nf, a);
	pf_gbdt_predict_f64(m, xd, nr, nf, nf, b);
	cr_assert_eq(memcmp(a, b, sizeof(a)), 0);
	pf_gbdt_free(m);
	free(x);
	free(xd);
}

/*
 * tests/fixtures/gbdt/lgb_cat.txt, by hand: tree 0 sends feature 1 in
 * {1, 3, 32} (bitset words 10, 1) left to 10, else feature 0 <= 0.5 to 20,
 * else 30 (NaN is 0.0: missing type None); tree 1 sends feature 2 == 2
 * (its own bitset, after tree 0's words) to 100, else 0.25; tree 2 is a
 * single leaf 0.5. NaN, negatives (below -1: (int)-0.5 is 0) and words
 * past the set go right.
 */
Test(gbdt, lightgbm_categorical_splits)
{
	static const double rows[][3] = {
		{0, 1, 0}, {0, 3.7, 0}, {0, 32, 2}, {0.5, 2, 0}, {0.6, 2, 0},
		{NAN, 64, 2.9}, {0, -0.5, 1}, {0.7, -3, 0}, {0, NAN, NAN},
		{0, 1e10, 3}, {1, 0, 2},
	};
	static const double want[] = {10.75, 10.75, 110.5, 20.75, 30.75,
	    120.5, 20.75, 30.75, 20.75, 20.75, 130.5};
	static const int32_t leaves0[] = {0, 0, 0, 1, 2, 1, 1, 2, 1, 1, 2};
	double got[11];
	int32_t lv[3];
	pf_gbdt *m = mfx_load_ok(GFIX "/lgb_cat.txt");

	cr_assert_eq(pf_gbdt_ntrees(m), 3);
	cr_assert_eq(pf_gbdt_nfeatures(m), 3);
	pf_gbdt_predict_f64(m, &rows[0][0], 11, 3, 3, got);
	for (size_t r = 0; r < 11; r++) {
		cr_expect_eq(got[r], want[r], "row %zu: %g, want %g", r, got[r],
		    want[r]);
		pf_gbdt_leaves_f64(m, rows[r], 3, lv);
		cr_expect_eq(lv[0], leaves0[r], "row %zu: leaf %d", r, lv[0]);
		cr_expect_eq(lv[2], 0);
	}
	pf_gbdt_free(m);
}

Test(gbdt, accessors_describe_the_model)
{
	char path[1024];
	pf_gbdt *m;

	snprintf(path, sizeof(path), "%s/xgb_ndcg_500x6.json", MODELS);
	if (access(path, R_OK) != 0)
		cr_skip_test("%s absent", path);
	m = mfx_load_ok(path);
	cr_assert_eq(pf_gbdt_ntrees(m), 500);
	cr_assert_eq(pf_gbdt_nfeatures(m), 136);
	cr_assert_eq(pf_gbdt_max_depth(m), 6);
	cr_assert_str_eq(pf_gbdt_objective(m), "rank:ndcg");
	cr_assert_str_eq(pf_gbdt_booster(m), "gbtree");
	pf_gbdt_free(m);
	m = mfx_load_ok(GFIX "/xgb_dart.json");
	cr_assert_str_eq(pf_gbdt_booster(m), "dart");
	pf_gbdt_free(m);
	m = mfx_load_ok(GFIX "/xgb_depth10.json");
	cr_assert_eq(pf_gbdt_max_depth(m), 10);
	cr_assert_neq(strcmp(pf_gbdt__path(m), "walk"), 0, "padded");
	pf_gbdt_free(m);
	m = mfx_load_ok(GFIX "/xgb_lossguide.json");
	cr_assert_gt(pf_gbdt_max_depth(m), 12);
	cr_assert_str_eq(pf_gbdt__path(m), "walk", "too deep to pad");
	pf_gbdt_free(m);
	snprintf(path, sizeof(path), "%s/lgb_lambdarank_nan.txt", MODELS);
	m = mfx_load_ok(path);
	cr_assert_eq(pf_gbdt_kind(m), PF_GBDT_LIGHTGBM);
	cr_assert_str_eq(pf_gbdt_objective(m), "lambdarank");
	cr_assert_eq(pf_gbdt_ntrees(m), 30);
	pf_gbdt_free(m);
}

Test(gbdt, valid_one_split_models_score_by_hand, .init = mfx_setup,
    .fini = mfx_teardown)
{
	static const float xf[] = {9, 0.4f, 9, 0.5f, 9, NAN};
	static const double xd[] = {0.5, 9, 0.6, 9, NAN, 9};
	char path[256];
	double got[3];
	pf_gbdt *m;

	mfx_put(path, MFX_XGB);
	m = mfx_load_ok(path);
	pf_gbdt_predict_f32(m, xf, 3, 2, 2, got);	/* <, equal right, NaN */
	cr_assert(got[0] == -0.5 && got[1] == 2.5 && got[2] == -0.5,
	    "%g %g %g", got[0], got[1], got[2]);
	pf_gbdt_free(m);
	mfx_put(path, MFX_LGB);
	m = mfx_load_ok(path);
	pf_gbdt_predict_f64(m, xd, 3, 2, 2, got);	/* <=, NaN is 0.0 */
	cr_assert(got[0] == 1 && got[1] == 2 && got[2] == 1, "%g %g %g",
	    got[0], got[1], got[2]);
	pf_gbdt_free(m);
}

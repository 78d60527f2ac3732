/*
 * test_gbdt.c — the gbdt scorer is bit-exact against every golden in
 * ../shared/data/models (the libraries' own margins, as C99 hex, and leaf
 * indices), and against libxgboost's C API on random rows with NaNs.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <xgboost/c_api.h>

#include "harness/model/gbdt.h"

#define MODELS	SHARED_DIR "/data/models"

typedef struct golden {
	size_t	 nrows, ncols;
	double	*x64;		/* as parsed by strtod */
	float	*x32;		/* as XGBoost reads them */
	char	 kind[64][32];
	double	 want[64];
	int32_t	 leaf[64][600];
	size_t	 nleaf;
} golden;

static char *
slurp_line(FILE *f)
{
	static char buf[1 << 16];
	if (fgets(buf, sizeof(buf), f) == NULL)
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf;
}

static void
load_golden(const char *model, golden *g, int is_xgb)
{
	char path[1024];
	FILE *f;
	char *l;

	memset(g, 0, sizeof(*g));
	snprintf(path, sizeof(path), "%s/%s.pred.csv", MODELS, model);
	cr_assert_not_null(f = fopen(path, "r"), "%s", path);
	slurp_line(f);
	while ((l = slurp_line(f)) != NULL && g->nrows < 64) {
		char *a = strtok(l, ","), *k = strtok(NULL, ","),
		    *v = strtok(NULL, ","), *h = strtok(NULL, ",");
		cr_assert(a && k && v && h);
		snprintf(g->kind[g->nrows], sizeof(g->kind[0]), "%s", k);
		g->want[g->nrows++] = strtod(h, NULL);
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s.rows.csv", MODELS, model);
	cr_assert_not_null(f = fopen(path, "r"), "%s", path);
	l = slurp_line(f);
	for (char *c = l; *c; c++)
		g->ncols += *c == ',';
	g->ncols++;
	g->x64 = calloc(g->nrows * g->ncols, sizeof(double));
	g->x32 = calloc(g->nrows * g->ncols, sizeof(float));
	for (size_t r = 0; r < g->nrows; r++) {
		cr_assert_not_null(l = slurp_line(f));
		char *s = l;
		for (size_t j = 0; j < g->ncols; j++) {
			char *e;
			double d = strtod(s, &e);
			float fl = strtof(s, NULL);
			if (strncmp(s, "nan", 3) == 0)
				d = NAN, fl = NAN;
			g->x64[r * g->ncols + j] = d;
			g->x32[r * g->ncols + j] = is_xgb &&
			    strncmp(g->kind[r], "double", 6) == 0 ?
			    (float)d : fl;
			s = strchr(s, ',');
			s = s ? s + 1 : s;
			if (s == NULL)
				break;
		}
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s.leaf.csv", MODELS, model);
	if ((f = fopen(path, "r")) != NULL) {
		l = slurp_line(f);
		for (char *c = l; *c; c++)
			g->nleaf += *c == ',';
		g->nleaf++;
		for (size_t r = 0; r < g->nrows && (l = slurp_line(f)); r++) {
			char *s = l;
			for (size_t t = 0; t < g->nleaf && s; t++) {
				g->leaf[r][t] = (int32_t)strtol(s, NULL, 10);
				s = strchr(s, ',');
				s = s ? s + 1 : s;
			}
		}
		fclose(f);
	}
}

static void
check_model(const char *file)
{
	char path[1024], name[256];
	pf_gbdt *m;
	pf_err err = {0};
	golden *g = calloc(1, sizeof(*g));
	int is_xgb = strncmp(file, "xgb_", 4) == 0;

	snprintf(name, sizeof(name), "%.*s", (int)(strrchr(file, '.') - file),
	    file);
	snprintf(path, sizeof(path), "%s/%s", MODELS, file);
	cr_assert_eq(pf_gbdt_load(&m, path, &err), PF_OK, "%s: %s", file,
	    err.msg);
	load_golden(name, g, is_xgb);
	double *got = calloc(g->nrows, sizeof(double));
	if (is_xgb)
		pf_gbdt_predict_f32(m, g->x32, g->nrows, g->ncols, g->ncols,
		    got);
	else
		pf_gbdt_predict_f64(m, g->x64, g->nrows, g->ncols, g->ncols,
		    got);
	for (size_t r = 0; r < g->nrows; r++)
		cr_expect(got[r] == g->want[r] || (isnan(got[r]) &&
		    isnan(g->want[r])), "%s row %zu (%s): %a != %a", file, r,
		    g->kind[r], got[r], g->want[r]);
	if (g->nleaf > 0 && pf_gbdt_ntrees(m) > 0) {
		int32_t *lv = calloc(pf_gbdt_ntrees(m), sizeof(int32_t));
		cr_assert_eq(pf_gbdt_ntrees(m), g->nleaf, "%s: trees", file);
		for (size_t r = 0; r < g->nrows; r++) {
			if (is_xgb)
				pf_gbdt_leaves_f32(m, g->x32 + r * g->ncols,
				    g->ncols, lv);
			else
				pf_gbdt_leaves_f64(m, g->x64 + r * g->ncols,
				    g->ncols, lv);
			for (size_t t = 0; t < g->nleaf; t++)
				cr_expect_eq(lv[t], g->leaf[r][t], "%s row %zu "
				    "tree %zu: leaf %d != %d", file, r, t,
				    lv[t], g->leaf[r][t]);
		}
		free(lv);
	}
	cr_log_info("%s: %zu rows bit-exact", file, g->nrows);
	free(got);
	free(g->x32);
	free(g->x64);
	free(g);
	pf_gbdt_free(m);
}

Test(gbdt, every_golden_model_bit_exact)
{
	DIR *d = opendir(MODELS);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		cr_skip_test("%s absent", MODELS);
	while ((e = readdir(d)) != NULL) {
		const char *s = e->d_name;
		size_t len = strlen(s);
		int xgb = strncmp(s, "xgb_", 4) == 0 && len > 5 &&
		    strcmp(s + len - 5, ".json") == 0 && !strstr(s, ".dump.") &&
		    strcmp(s, "xgb_report.json") != 0;
		int lgb = strncmp(s, "lgb_", 4) == 0 && len > 4 &&
		    strcmp(s + len - 4, ".txt") == 0;
		if (xgb || lgb) {
			check_model(s);
			n++;
		}
	}
	closedir(d);
	cr_assert_geq(n, 8, "only %d models found", n);
}

/* libxgboost's own predictor on random rows, 10% missing. */
Test(gbdt, agrees_with_libxgboost_c_api)
{
	const char *files[] = {"xgb_ndcg_500x6.json", "xgb_pairwise_letor.json",
	    "xgb_binary_base0.3.json", "xgb_gblinear.json"};
	for (size_t k = 0; k < sizeof(files) / sizeof(*files); k++) {
		char path[1024];
		pf_gbdt *m;
		pf_err err = {0};
		BoosterHandle b;
		DMatrixHandle dm;
		bst_ulong n;
		const float *ref;
		snprintf(path, sizeof(path), "%s/%s", MODELS, files[k]);
		if (access(path, R_OK) != 0)
			cr_skip_test("%s absent", path);
		cr_assert_eq(pf_gbdt_load(&m, path, &err), PF_OK, "%s",
		    err.msg);
		size_t nf = pf_gbdt_nfeatures(m), nr = 2000;
		float *x = malloc(nr * nf * sizeof(float));
		double *got = malloc(nr * sizeof(double));
		uint64_t s = 88172645463325252ull + k;
		for (size_t i = 0; i < nr * nf; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			x[i] = (s % 10 == 0) ? NAN :
			    (float)((double)(s >> 11) / 9007199254740992.0 *
			    4.0 - 1.0);
		}
		cr_assert_eq(XGBoosterCreate(NULL, 0, &b), 0);
		cr_assert_eq(XGBoosterLoadModel(b, path), 0, "%s",
		    XGBGetLastError());
		cr_assert_eq(XGDMatrixCreateFromMat(x, nr, nf, NAN, &dm), 0);
		cr_assert_eq(XGBoosterPredict(b, dm, 1, 0, 0, &n, &ref), 0,
		    "%s", XGBGetLastError());
		cr_assert_eq(n, nr);
		pf_gbdt_predict_f32(m, x, nr, nf, nf, got);
		for (size_t r = 0; r < nr; r++)
			cr_assert_eq((float)got[r], ref[r], "%s row %zu: %a "
			    "!= %a", files[k], r, got[r], (double)ref[r]);
		XGDMatrixFree(dm);
		XGBoosterFree(b);
		free(x);
		free(got);
		pf_gbdt_free(m);
	}
}

Test(gbdt, bad_models_are_refused)
{
	static const char *const cases[][2] = {
		{"{\"learner\": {", "invalid JSON"},
		{"{\"learner\": {\"learner_model_param\": {\"base_score\": "
		    "\"5E-1\", \"num_feature\": \"2\"}, \"gradient_booster\": "
		    "{\"name\": \"gbtree\", \"model\": {\"trees\": [{"
		    "\"left_children\": [1, -1, -1], \"right_children\": [2, -1,"
		    " -1], \"split_indices\": [0, 0], \"split_conditions\": "
		    "[0.5, 1, 2], \"default_left\": [0, 0, 0]}]}}}}",
		    "different lengths"},
		{"tree\nversion=v4\nmax_feature_idx=1\n\nTree=0\nnum_leaves=2"
		    "\nsplit_feature=0\nthreshold=0.5\ndecision_type=2\n"
		    "left_child=-1\nright_child=-2\nleaf_value=1\n\nend of "
		    "trees\n", "not num_leaves long"},
		{"tree\nversion=v4\nTree=0\nnum_leaves=1\nleaf_value=1\n",
		    "no 'end of trees'"},
		{"hello\n", "neither an XGBoost"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char path[64];
		pf_gbdt *m = NULL;
		pf_err err = {0};
		snprintf(path, sizeof(path), "/tmp/pf_gbdt_%d.model",
		    (int)getpid());
		FILE *f = fopen(path, "w");
		fputs(cases[i][0], f);
		fclose(f);
		cr_assert_eq(pf_gbdt_load(&m, path, &err), PF_EFORMAT,
		    "case %zu accepted", i);
		cr_assert_null(m);
		cr_assert_not_null(strstr(err.msg, cases[i][1]), "case %zu: %s",
		    i, err.msg);
		cr_assert_eq(strncmp(err.where, path, strlen(path)), 0, "%s",
		    err.where);
		unlink(path);
	}
}

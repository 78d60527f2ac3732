/*
 * tests/unit/model/model_fixture.h — what the model tests (test_gbdt.c,
 * test_xgb_json.c, test_lgb_text.c) share: a file read whole, a temporary
 * folder, model files written there from a valid one-split model of each
 * kind (or a fixture) with one piece of text replaced, the check that the
 * loader refuses such a file as it must, and a shaker that feeds truncated
 * and corrupted copies of a real model to the loader.
 *
 * One folder per test process (Criterion forks each test), made and
 * removed by the suite's .init/.fini, so a failed assertion still removes
 * it:
 *
 *	TestSuite(lgb_text, .init = mfx_setup, .fini = mfx_teardown);
 */
#ifndef PF_TESTS_MODEL_FIXTURE_H
#define PF_TESTS_MODEL_FIXTURE_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/model/gbdt.h"

#define MFX_MODELS	SHARED_DIR "/data/models"
#define MFX_GFIX	FIXTURES "/gbdt"

/*
 * A valid one-split model of each kind: x1 < 0.5 ? -1 : 2 (missing left)
 * plus base_score 0.5, and x0 <= 0.5 ? 1 : 2 (NaN is 0.0). MFX_LGB's
 * lines: 6 max_feature_idx, 9 Tree=0, 10 num_leaves, 12 split_feature,
 * 13 threshold, 14 decision_type, 15 left_child, 16 right_child,
 * 17 leaf_value, 18 is_linear, 22 end of trees.
 */
#define MFX_XGB	"{\"learner\":{\"attributes\":{},"			\
    "\"gradient_booster\":{\"model\":{\"gbtree_model_param\":{"		\
    "\"num_parallel_tree\":\"1\",\"num_trees\":\"1\",\"size_leaf_vector\":" \
    "\"0\"},\"tree_info\":[0],\"trees\":[{\"default_left\":[1,0,0],\"id\":0," \
    "\"left_children\":[1,-1,-1],\"right_children\":[2,-1,-1],"		\
    "\"split_conditions\":[0.5,-1.0,2.0],\"split_indices\":[1,0,0],"	\
    "\"split_type\":[0,0,0],\"tree_param\":{\"num_deleted\":\"0\","	\
    "\"num_feature\":\"2\",\"num_nodes\":\"3\",\"size_leaf_vector\":\"0\"}}]}," \
    "\"name\":\"gbtree\"},\"learner_model_param\":{\"base_score\":\"5E-1\"," \
    "\"num_class\":\"0\",\"num_feature\":\"2\",\"num_target\":\"1\"},"	\
    "\"objective\":{\"name\":\"reg:squarederror\"}},\"version\":[1,7,4]}"

#define MFX_LGB	"tree\nversion=v4\nnum_class=1\n"			\
    "num_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx=1\n"	\
    "objective=regression\n\nTree=0\nnum_leaves=2\nnum_cat=0\n"		\
    "split_feature=0\nthreshold=0.5\ndecision_type=2\nleft_child=-1\n"	\
    "right_child=-2\nleaf_value=1 2\nis_linear=0\nshrinkage=1\n\n\n"	\
    "end of trees\n"

static char mfx_dir[64];

static inline void
mfx_setup(void)
{
	snprintf(mfx_dir, sizeof(mfx_dir), "/tmp/pf_test_model_XXXXXX");
	cr_assert_not_null(mkdtemp(mfx_dir));
}

static inline void
mfx_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", mfx_dir);
	cr_assert_eq(system(cmd), 0);
}

/* The file at path, NUL-terminated (NULL when it cannot be opened). */
static inline char *
mfx_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static inline void
mfx_write(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fwrite(s, 1, n, f), n);
	fclose(f);
}

/* base with the first `from` replaced by `to` (from must occur); free it. */
static inline char *
mfx_mutate(const char *base, const char *from, const char *to)
{
	const char *p = strstr(base, from);
	size_t a, nb = strlen(base), nf = strlen(from), nt = strlen(to);
	char *s;

	cr_assert_not_null(p, "'%s' not in the base model", from);
	a = (size_t)(p - base);
	s = malloc(nb - nf + nt + 1);
	cr_assert_not_null(s);
	memcpy(s, base, a);
	memcpy(s + a, to, nt);
	memcpy(s + a + nt, p + nf, nb - a - nf + 1);
	return s;
}

static inline pf_gbdt *
mfx_load_ok(const char *path)
{
	pf_gbdt *m = NULL;
	pf_err err = {0};

	cr_assert_eq(pf_gbdt_load(&m, path, &err), PF_OK, "%s: %s: %s", path,
	    err.where, err.msg);
	cr_assert_not_null(m);
	return m;
}

/* Writes text as mfx_dir/m.json or m.txt; the path is in path (256). */
static inline void
mfx_put(char *path, const char *text)
{
	snprintf(path, 256, "%s/m.%s", mfx_dir, text[0] == '{' ? "json" :
	    "txt");
	mfx_write(path, text, strlen(text));
}

/*
 * The model text must be refused: the code, *out NULL, err.where the
 * file's path (":line" after it when line > 0) and frag in err.msg.
 */
static inline void
mfx_refused(const char *text, int code, long line, const char *frag)
{
	char path[256], where[300];
	pf_err err;
	pf_gbdt *m;
	int rc;

	mfx_put(path, text);
	memset(&err, 0, sizeof(err));
	m = (pf_gbdt *)&err;	/* must be reset to NULL */
	rc = pf_gbdt_load(&m, path, &err);
	cr_assert_eq(rc, code, "\"%s\": code %d, want %d (%s: %s)", frag, rc,
	    code, err.where, err.msg);
	cr_assert_null(m, "\"%s\"", frag);
	cr_assert_eq(err.code, code);
	cr_assert_not_null(strstr(err.msg, frag), "\"%s\" not in \"%s\"", frag,
	    err.msg);
	if (line > 0)
		snprintf(where, sizeof(where), "%s:%ld", path, line);
	else
		snprintf(where, sizeof(where), "%s", path);
	cr_assert_str_eq(err.where, where, "\"%s\" (%s)", frag, err.msg);
}

/* mfx_refused on base with from replaced by to. */
static inline void
mfx_refused_as(const char *base, const char *from, const char *to, int code,
    long line, const char *frag)
{
	char *s = mfx_mutate(base, from, to);

	mfx_refused(s, code, line, frag);
	free(s);
}

/* A mutation of a base model and what its refusal must say. */
typedef struct mfx_case {
	const char	*from, *to;	/* the text replaced, and by what */
	const char	*msg;		/* expected in err.msg */
	long		 line;		/* expected in err.where; 0 none */
} mfx_case;

/* mfx_refused_as for each of the n cases, all refused with code. */
static inline void
mfx_refused_each(const char *base, const mfx_case *cases, size_t n,
    int code)
{
	for (size_t i = 0; i < n; i++)
		mfx_refused_as(base, cases[i].from, cases[i].to, code,
		    cases[i].line, cases[i].msg);
}

/* xorshift64: deterministic rows without a shared generator. */
static inline uint64_t
mfx_rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Every prefix length and many one-byte corruptions of a real model: the
 * loader refuses (PF_EFORMAT or PF_EDATA, the file named) or accepts, and
 * an accepted model scores without touching memory it does not own (the
 * ASan run).
 */
static inline void
mfx_shake(const char *src, uint64_t seed)
{
	static const char junk[] = "0123456789.eE-+,:[]{}\" \nxnan";
	char *buf = mfx_slurp(src), path[128];
	size_t n;
	uint64_t s = seed;
	double out[40];
	float x[40 * 64];

	cr_assert_not_null(buf, "%s", src);
	n = strlen(buf);
	for (size_t i = 0; i < 40 * 64; i++)
		x[i] = mfx_rnd(&s) % 9 == 0 ? NAN :
		    (float)(mfx_rnd(&s) % 300) / 100.0f;
	snprintf(path, sizeof(path), "%s/shaken", mfx_dir);
	for (size_t k = 0; k < 360; k++) {
		pf_gbdt *m = NULL;
		pf_err err = {0};
		char *t = strdup(buf);
		size_t len = n;
		if (k < 120) {
			len = n * k / 120;
		} else {
			for (int j = 0; j < 1 + (int)(k % 3); j++)
				t[mfx_rnd(&s) % n] = junk[mfx_rnd(&s) %
				    (sizeof(junk) - 1)];
		}
		mfx_write(path, t, len);
		int rc = pf_gbdt_load(&m, path, &err);
		cr_assert(rc == PF_OK || rc == PF_EFORMAT || rc == PF_EDATA,
		    "%s cut %zu: rc %d", src, k, rc);
		if (rc != PF_OK) {
			cr_assert_null(m);
			cr_assert_eq(strncmp(err.where, path, strlen(path)), 0);
		} else if (pf_gbdt_nfeatures(m) <= 64) {
			int32_t *lv = malloc((pf_gbdt_ntrees(m) + 1) *
			    sizeof(int32_t));
			pf_gbdt_predict_f32(m, x, 40, 64, 64, out);
			pf_gbdt_predict_f32(m, x, 40, 64, 7, out);
			pf_gbdt_leaves_f32(m, x, 64, lv);
			free(lv);
		}
		pf_gbdt_free(m);
		free(t);
	}
	free(buf);
}

#endif /* PF_TESTS_MODEL_FIXTURE_H */

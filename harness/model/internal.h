/*
 * harness/model/internal.h — the model representation shared by the
 * loaders (xgb_json.c, lgb_text.c), the scorers (gbdt.c) and the block
 * kernels (kernels.c). Never included from outside harness/model/.
 *
 * XGBoost trees keep the JSON's node order (node ids are what pred_leaf
 * reports) in one node pool; LightGBM trees keep their internal-node order
 * and leaf order in a node pool and a leaf pool. toff[t]..toff[t + 1] are
 * tree t's nodes in either pool.
 *
 * XGBoost trees no deeper than PF_GBDT_MAXPAD also get a padded,
 * complete-tree copy (pf_ctrees) for the predicated block kernels: heap
 * order (root 1, children 2i and 2i + 1, level l = [2^l, 2^(l+1))), a
 * shallower leaf copied to every padded descendant, so every row takes
 * exactly `depth` steps and the step is i = 2i + (go right).
 */
#ifndef PF_HARNESS_MODEL_INTERNAL_H
#define PF_HARNESS_MODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/model/gbdt.h"

#define PF_GBDT_MAXPAD	12	/* deepest tree padded: 4096 leaves */
#define PF_GBDT_LANES	16	/* rows per kernel group (one zmm) */
#define PF_GBDT_GROUPS	3	/* groups interleaved by the AVX-512 kernel */
#define PF_GBDT_BLOCK	(PF_GBDT_LANES * PF_GBDT_GROUPS)
#define PF_GBDT_GROUPS8	3	/* groups of 8 rows for the AVX2 kernel */
#define PF_GBDT_BLOCK8	(8 * PF_GBDT_GROUPS8)

/* LightGBM's kZeroThreshold (tree.h): a float literal, compared in double. */
#define PF_LGB_ZERO	((double)1e-35f)

/*
 * The most features a model may declare (XGBoost num_feature, LightGBM
 * max_feature_idx + 1): callers build rows of that many values per
 * document, so a larger count is refused at load with the size it asks for
 * rather than failing later as a bare "out of memory".
 */
#define PF_GBDT_MAXFEAT	((size_t)1 << 24)

enum {
	PF_PATH_WALK = 0,	/* node-by-node walk, any tree */
	PF_PATH_SCALAR,		/* predicated complete trees, portable C */
	PF_PATH_AVX512,		/* predicated complete trees, AVX-512 */
	PF_PATH_AVX2,		/* predicated complete trees, AVX2 */
	PF_PATH_LINEAR		/* gblinear */
};

/* An XGBoost node; the right child is always left + 1 (checked at load). */
typedef struct pf_xnode {
	int32_t		left;		/* -1 on leaves */
	uint32_t	feat;		/* split feature */
	float		val;		/* threshold, or the leaf value */
	uint32_t	dleft;		/* 1: missing goes left */
} pf_xnode;

/* A LightGBM internal node. */
typedef struct pf_lnode {
	double		thr;		/* threshold (numerical splits) */
	int32_t		child[2];	/* left, right: >= 0 node, < 0 ~leaf */
	uint32_t	feat;
	uint32_t	cat_off;	/* categorical: bitset words in cbits */
	uint32_t	cat_n;
	uint8_t		dt;		/* decision_type */
} pf_lnode;

/*
 * Padded complete trees. Every array has stride entries per tree (stride =
 * max(2^depth, 16), so the levels 0-3 share one 16-entry vector). feat,
 * thr and dleft are indexed by heap index i; leaf by i for depth <= 3 and
 * by i - 2^depth otherwise (the low depth bits of i).
 */
typedef struct pf_ctrees {
	int		 depth;
	size_t		 stride;
	size_t		 nused;		/* largest split feature + 1 (>= 1) */
	int32_t		*feat;
	float		*thr;
	int32_t		*dleft;		/* -1 where missing goes left, else 0 */
	float		*leaf;
} pf_ctrees;

/*
 * LightGBM trees compiled for the block kernels (lgb_fast.c): every tree
 * in `stride` slots (a power of two, >= 64), internal node k of the file
 * at slot k, leaf k at slot stride / 2 + k; a leaf's children are itself,
 * so a row that reaches it stays there and every row can take the tree's
 * `depth` steps. Per slot: feat, thr (the largest float32 <= the double
 * threshold, so that x <= t in double is xf <= thr for a float32 xf; -1
 * on categorical nodes, NaN on leaves), kids (left | right << 16), flag
 * (PF_LF_*) and, when a tree has categorical splits, coff / cn (its
 * bitset in cbits). leaf: the double values, stride / 2 per tree. topf:
 * the split feature at heap positions 1..15 (levels 0-3: a row's node
 * there depends only on the turns it took), 16 per tree; tops / topt /
 * topk: the slot, thr and flag there (index 0 unused). krec (the AVX2
 * kernel's steps): per slot s, its left child's record at 2s and its
 * right child's at 2s + 1, child slot | child feat << 16 in the low 32
 * bits and the child's thr bits above, 2 * stride per tree (allocated
 * only where the CPU has AVX2), so that one 64-bit load of the chosen
 * half gives the next step's slot, feature and threshold. Rows are read
 * as float32: exactly for float input; doubles are rounded down (kernel
 * notes in lgb_fast.c) and a step whose float comparison cannot decide
 * is decided again on the double by pf_lgb__decide.
 */
enum {
	PF_LF_NANL = 1,		/* a NaN goes left */
	PF_LF_ZERO = 2,		/* missing type Zero: |x| <= 1e-35f is missing */
	PF_LF_DL = 4,		/* default_left */
	PF_LF_CAT = 8		/* categorical */
};

typedef struct pf_ltrees {
	size_t		 stride;
	size_t		 nused;		/* largest split feature + 1 (>= 1) */
	int		 special;	/* any Zero-type or categorical node */
	int32_t		*feat, *kids, *flag, *coff, *cn;
	float		*thr;
	double		*leaf;
	int32_t		*depth;		/* ntrees */
	int32_t		*root;		/* ntrees: slot of the root */
	int32_t		*topf;		/* ntrees x 16 */
	int32_t		*tops, *topk;	/* ntrees x 16 */
	float		*topt;		/* ntrees x 16 */
	uint64_t	*krec;		/* ntrees x 2 x stride */
} pf_ltrees;

struct pf_gbdt {
	int		 kind;		/* PF_GBDT_XGBOOST / PF_GBDT_LIGHTGBM */
	char		 booster[16];
	char		*objective;
	size_t		 nfeat;		/* declared or used, whichever is more */
	size_t		 ntrees;
	int		 maxdepth;
	int		 path;		/* PF_PATH_*: what predict uses now */
	int		 best_path;	/* the default */
	size_t		*toff;		/* ntrees + 1 */

	/* XGBoost */
	float		 base;		/* base margin, float32 margin space */
	pf_xnode	*xn;
	float		*lin_w;		/* gblinear: nfeat weights */
	float		 lin_bias;
	pf_ctrees	 ct;

	/* LightGBM */
	pf_lnode	*ln;
	size_t		*loff;		/* ntrees + 1: leaves of tree t */
	double		*leaf;
	uint32_t	*cbits;		/* categorical bitsets of all trees */
	pf_ltrees	 lt;		/* compiled copy, or lt.feat NULL */

	char		**fname;	/* nfname feature names, or NULL */
	size_t		 nfname;
};

/*
 * LightGBM's decision at internal node p for the double v (tree.h
 * NumericalDecision / CategoricalDecision): 1 left, 0 right.
 */
static inline int
pf_lgb__decide(const pf_lnode *p, double v, const uint32_t *cbits)
{
	if (p->dt & 1) {		/* CategoricalDecision */
		/* NaN, negatives and ints beyond int32 go right. */
		if (v != v || v <= -1.0 || v >= 2147483648.0)
			return 0;
		uint32_t c = (uint32_t)(int32_t)v, w = c / 32;
		return w < p->cat_n && ((cbits[p->cat_off + w] >> (c % 32)) & 1);
	}
	int mt = (p->dt >> 2) & 3;	/* NumericalDecision */
	if (v != v && mt != 2)
		v = 0.0;
	if ((mt == 1 && v >= -PF_LGB_ZERO && v <= PF_LGB_ZERO) ||
	    (mt == 2 && v != v))
		return (p->dt >> 1) & 1;
	return v <= p->thr;		/* equal: left */
}

/* One row's raw score by the node walk (gbdt.c). */
double	pf_gbdt__walk_lgb(const pf_gbdt *m, const void *x, int dbl,
	    size_t ncols);
/* Builds m->lt when the trees fit it (else leaves it empty). PF_ENOMEM. */
int	pf_lgb__compile(pf_gbdt *m, const char *path, pf_err *err);
void	pf_lgb__compiled_free(pf_ltrees *lt);
/*
 * Raw scores of rows [0, nrows) through the compiled trees with the
 * kernel of path (PF_PATH_AVX512, PF_PATH_AVX2 or PF_PATH_SCALAR): the
 * node walk's bits.
 */
void	pf_lgb__predict(const pf_gbdt *m, const void *x, int dbl,
	    size_t nrows, size_t ld, size_t ncols, int path, double *out);
/*
 * The AVX-512 kernel (kernels_lgb.c): PF_LGB_BLOCK rows transposed per 16
 * (row 16g + j's feature f at xt[(g * w + f) * 16 + j], float32, rounded
 * down from doubles), acc receives their raw scores. nan: a NaN among
 * them; rows (when not NULL): each row's doubles, read where a rounded
 * value cannot decide a step (ncols columns, the rest 0.0).
 */
#define PF_LGB_GROUPS	3
#define PF_LGB_BLOCK	(16 * PF_LGB_GROUPS)
void	pf_lgb__kern_avx512(const pf_gbdt *m, const float *xt, size_t w,
	    int nan, const double *const *rows, size_t ncols, double *acc);
/* AVX-512: one row of nc doubles as float32 keys at dst[j * V] (rounded
   toward -inf); bit 0: a NaN, bit 1: a value that is not a float32. */
int	pf_lgb__keys_avx512(const double *xr, size_t nc, float *dst,
	    size_t V);
/* The AVX2 kernel (kernels_lgb_avx2.c): PF_LGB_BLOCK8 rows transposed per
   8 likewise. */
#define PF_LGB_GROUPS8	3
#define PF_LGB_BLOCK8	(8 * PF_LGB_GROUPS8)
void	pf_lgb__kern_avx2(const pf_gbdt *m, const float *xt, size_t w,
	    int nan, const double *const *rows, size_t ncols, double *acc);
/* AVX2: 8 rows' first nc doubles as float32 keys, row j's column c at
   dst[c * 8 + j] (rounded toward -inf); bits as pf_lgb__keys_avx512. */
int	pf_lgb__keys_avx2(const double *const *rows, size_t nc, float *dst);

/* Sets m->fname from n names [s[j], s[j] + len[j]) when n is m->nfeat and
   none is empty (else leaves it NULL). PF_OK or PF_ENOMEM. */
int	pf_gbdt__set_names(pf_gbdt *m, const char *const *s,
	    const size_t *len, size_t n);

/*
 * The LightGBM text loader, in two files: lgb_text.c reads the file (its
 * header, the key=value lines of each Tree= block, what must hold across
 * blocks) and lgb_tree.c turns one block into nodes and leaves. A field is
 * one key's value as it stands in the file; line 0 means absent.
 */
typedef struct pf_lgb_field {
	const char	*v;		/* value, not NUL-terminated */
	size_t		 n;
	long		 line;		/* 0: absent */
} pf_lgb_field;

enum {	/* the keys of a Tree= block that are read or checked */
	PF_LK_NUM_LEAVES, PF_LK_NUM_CAT, PF_LK_SPLIT_FEATURE, PF_LK_THRESHOLD,
	PF_LK_DECISION_TYPE, PF_LK_LEFT, PF_LK_RIGHT, PF_LK_LEAF_VALUE,
	PF_LK_CAT_BOUNDARIES, PF_LK_CAT_THRESHOLD, PF_LK_IS_LINEAR,
	PF_LK_SPLIT_GAIN, PF_LK_INTERNAL_VALUE, PF_LK_INTERNAL_WEIGHT,
	PF_LK_INTERNAL_COUNT, PF_LK_LEAF_WEIGHT, PF_LK_LEAF_COUNT, PF_LK_N
};
extern const char *const pf_lgb__keys[PF_LK_N];

typedef struct pf_lgb_ctx {
	const char	*path;
	pf_err		*err;
	pf_gbdt		*m;
	size_t		 cap_nodes, cap_leaves, cap_toff, cap_loff, cap_bits;
	size_t		 nbits;		/* cbits words used */
	long		*tmp;		/* integer arrays of one tree */
	double		*dtmp;
	size_t		 cap_tmp;
} pf_lgb_ctx;

/* Sets err (path:line, line 0: none) and returns code. */
int	pf_lgb__bad(pf_lgb_ctx *c, int code, long line, const char *fmt,
	    ...) __attribute__((format(printf, 4, 5)));
/* PF_ENOMEM naming the file and what could not be had: n items of sz. */
int	pf_lgb__nomem(pf_lgb_ctx *c, long line, size_t n, size_t sz,
	    const char *what);
/* Makes *p hold need elements of sz bytes (PF_ENOMEM names what). */
int	pf_lgb__grow(pf_lgb_ctx *c, void **p, size_t *cap, size_t need,
	    size_t sz, long line, const char *what);
/* Makes c->tmp and c->dtmp hold n elements each. */
int	pf_lgb__tmp(pf_lgb_ctx *c, size_t n);
/* The whitespace-separated values of f. */
size_t	pf_lgb__count(const pf_lgb_field *f);
/*
 * Parses exactly want values of f, counted before anything is allocated:
 * integers in [min, max] into c->tmp, or doubles into c->dtmp (dbl).
 */
int	pf_lgb__array(pf_lgb_ctx *c, const pf_lgb_field *f,
	    const char *key, size_t want, int dbl, long min, long max);
int	pf_lgb__scalar(pf_lgb_ctx *c, const pf_lgb_field *f,
	    const char *key, long min, long max, long *out);
/* Reads the block f (opened by Tree= at line tline) as tree m->ntrees. */
int	pf_lgb__tree(pf_lgb_ctx *c, pf_lgb_field *f, long tline);

/*
 * The XGBoost JSON loader, in two files: xgb_json.c reads the document
 * (the learner, base_score, gblinear) and holds these helpers, whose
 * errors name the member at fault ("learner.gradient_booster.model
 * .trees[3].split_conditions[7]"); xgb_trees.c reads gbtree and dart
 * trees. jansson's json_t is declared by its struct tag and json_type
 * passed as int, so this header does not need jansson.h.
 */
typedef struct pf_xgb_ctx {
	const char	*path;
	pf_err		*err;
} pf_xgb_ctx;
struct json_t;

/* Sets err (the file, no line) and returns code. */
int	pf_xgb__bad(pf_xgb_ctx *c, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* PF_ENOMEM naming the file and what could not be had: n items of sz. */
int	pf_xgb__nomem(pf_xgb_ctx *c, size_t n, size_t sz, const char *what);
/* "an object", "a string", ... for a json_type. */
const char	*pf_xgb__tname(int type);
/* obj[key] of the given json_type, or NULL with the error set. */
struct json_t	*pf_xgb__member(pf_xgb_ctx *c, const struct json_t *obj,
		    const char *where, const char *key, int type);
/* A count stored as a string ("136"), or a plain integer, in [min, max]. */
int	pf_xgb__strnum(pf_xgb_ctx *c, const struct json_t *obj,
	    const char *where, const char *key, long min, long max, long *out);
/* An array of exactly n elements (n == (size_t)-1: any length). */
struct json_t	*pf_xgb__array(pf_xgb_ctx *c, const struct json_t *obj,
		    const char *where, const char *key, size_t n);
/* Element i of array a: an integer (or boolean) in [min, max]. */
int	pf_xgb__long(pf_xgb_ctx *c, const struct json_t *a, size_t i,
	    const char *where, const char *key, long min, long max, long *out);
/* Element i of array a: a number that is a finite float32. */
int	pf_xgb__float(pf_xgb_ctx *c, const struct json_t *a, size_t i,
	    const char *where, const char *key, float *out);
/* The trees of booster gb (dart: its weight_drop and inner gbtree). */
int	pf_xgb__trees(pf_xgb_ctx *c, pf_gbdt *m, const struct json_t *gb,
	    int dart);

/* Loaders: fill m from the file's bytes (NUL-terminated). */
int	pf_gbdt__load_xgb(pf_gbdt *m, const char *buf, size_t len,
	    const char *path, pf_err *err);
int	pf_gbdt__load_lgb(pf_gbdt *m, const char *buf, size_t len,
	    const char *path, pf_err *err);

/*
 * Block kernels (kernels.c); acc receives base + the leaves of each row,
 * summed in tree order. nan says whether any value the kernel may read is
 * NaN (the missing-value logic is skipped when it is 0).
 *   scalar: PF_GBDT_LANES rows at xb, row stride ld floats, each holding
 *           at least ct.nused columns;
 *   avx512: PF_GBDT_BLOCK rows transposed per group of 16 (gbdt.c
 *           fill_transposed): row 16g + j's feature f is
 *           xt[(g * w + f) * 16 + j], w >= ct.nused;
 *   avx2:   PF_GBDT_BLOCK8 rows transposed per group of 8 likewise
 *           (kernels_avx2.c).
 */
void	pf_gbdt__kern_scalar(const pf_gbdt *m, const float *xb, size_t ld,
	    int nan, float *acc);
void	pf_gbdt__kern_avx512(const pf_gbdt *m, const float *xt, size_t w,
	    int nan, float *acc);
void	pf_gbdt__kern_avx2(const pf_gbdt *m, const float *xt, size_t w,
	    int nan, float *acc);
/* The importance kernel of trees.h pf_gbdt_imp_score (AVX-512 only). */
void	pf_gbdt__kern_imp(const pf_gbdt *m, const float *xt, size_t w,
	    size_t n, int nan, const uint32_t *slot, const int32_t *tch,
	    uint8_t *idx, const uint32_t *pf, const float *pv, size_t np,
	    float *acc);
int	pf_gbdt__have_avx512(void);
int	pf_gbdt__have_avx2(void);
/* Whether any of rows x nfeat values at xb (stride ld) is NaN. */
int	pf_gbdt__any_nan(const float *xb, size_t ld, size_t rows,
	    size_t nfeat);

#endif /* PF_HARNESS_MODEL_INTERNAL_H */

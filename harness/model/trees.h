/*
 * harness/model/trees.h — an XGBoost model one tree at a time, for scoring
 * that re-walks only some trees (the importance fast path): the margin is
 * base + the trees' leaf values added one float32 addition per tree in
 * tree order (gbdt.h), so keeping every tree's value of a row and
 * re-adding them in order gives the predict functions' bits.
 */
#ifndef PF_HARNESS_MODEL_TREES_H
#define PF_HARNESS_MODEL_TREES_H

#include <stddef.h>
#include <stdint.h>

#include "harness/model/gbdt.h"

/* XGBoost gbtree or dart (not gblinear, not LightGBM). */
int	pf_gbdt_trees_ok(const pf_gbdt *m);

/* The base margin the sum starts from (float32, margin space). */
float	pf_gbdt_base_f32(const pf_gbdt *m);

/* The value tree t adds for row x (features j < ncols; the rest missing). */
float	pf_gbdt_tree_value_f32(const pf_gbdt *m, size_t t, const float *x,
	    size_t ncols);

/*
 * The value tree t adds for row x with model feature pf[k] replaced by
 * pv[k] (k < np): a walk that needs no patched copy of the row.
 */
float	pf_gbdt_tree_value_patched_f32(const pf_gbdt *m, size_t t,
	    const float *x, size_t ncols, const uint32_t *pf, const float *pv,
	    size_t np);

/*
 * The same for rows[0..nr) of x (row stride ld), feature pf[k] of row r
 * replaced by pcol[k][rows[r]] (np <= PF_GBDT_PATCH_MAX): out[r] = the
 * value tree t adds for row rows[r]. Four rows walk together, so their
 * steps overlap.
 */
#define PF_GBDT_PATCH_MAX	64
void	pf_gbdt_tree_values_patched_f32(const pf_gbdt *m, size_t t,
	    const float *x, size_t ld, size_t ncols, const uint32_t *rows,
	    size_t nr, const uint32_t *pf, const float *const *pcol,
	    size_t np, float *out);

/*
 * LightGBM models (pf_gbdt_kind PF_GBDT_LIGHTGBM): a row x of nf doubles
 * whose column j + shift is model feature j (features outside the row are
 * 0.0, as the gbdt stage reads them), the raw score the trees' values
 * added in double in tree order from 0.0. The leaf index tree t sends row x to, a leaf's
 * value, and the value of tree t for x with model feature pf[k] replaced
 * by pv[k] (k < np). pf_gbdt_tree_nodes, pf_gbdt_tree_touch and
 * pf_gbdt_tree_features below work on either kind; for LightGBM their
 * ids are leaf indices.
 */
int32_t	pf_gbdt_lgb_leaf_f64(const pf_gbdt *m, size_t t, const double *x,
	    long shift, size_t nf);
double	pf_gbdt_lgb_leaf_value(const pf_gbdt *m, size_t t, int32_t leaf);
double	pf_gbdt_lgb_value_patched_f64(const pf_gbdt *m, size_t t,
	    const double *x, long shift, size_t nf, const uint32_t *pf,
	    const double *pv, size_t np);
/*
 * The same for rows[0..nr) of x (row stride ld), feature pf[k] of row r
 * replaced by pcol[k][rows[r]]: out[r], four rows walking together.
 */
void	pf_gbdt_lgb_values_patched_f64(const pf_gbdt *m, size_t t,
	    const double *x, size_t ld, long shift, size_t nf,
	    const uint32_t *rows, size_t nr, const uint32_t *pf,
	    const double *const *pcol, size_t np, double *out);
size_t	pf_gbdt__lgb_tree_leaves(const pf_gbdt *m, size_t t);
void	pf_gbdt__lgb_tree_touch(const pf_gbdt *m, size_t t,
	    const unsigned char *fmask, unsigned char *touch);
void	pf_gbdt__lgb_tree_features(const pf_gbdt *m, size_t t,
	    unsigned char *uses);

/* The node id of the leaf tree t sends row x to, and a node's value. */
int32_t	pf_gbdt_tree_leaf_f32(const pf_gbdt *m, size_t t, const float *x,
	    size_t ncols);
float	pf_gbdt_node_value(const pf_gbdt *m, size_t t, int32_t node);
/* Nodes of tree t (node ids are 0 .. this - 1; LightGBM: leaves). */
size_t	pf_gbdt_tree_nodes(const pf_gbdt *m, size_t t);
/*
 * touch[node] = 1 for every node of tree t whose path from the root tests
 * a model feature j with fmask[j] set (and 0 for the others): a row that
 * reaches a leaf with touch 0 reaches it whatever those features hold.
 */
void	pf_gbdt_tree_touch(const pf_gbdt *m, size_t t,
	    const unsigned char *fmask, unsigned char *touch);

/* uses[j] = 1 for every model feature j tree t splits on (nfeatures). */
void	pf_gbdt_tree_features(const pf_gbdt *m, size_t t, unsigned char *uses);

/*
 * The SIMD form of the same idea, for the n rows of one query when
 * pf_gbdt_imp_ok(m, ncols): the AVX-512 scorer is in use, the trees are
 * at most 7 deep and every row holds the ncols >= the features they read.
 * pf_gbdt_imp_transpose copies rows x (row stride ld) to xt, n16 (n
 * rounded up to 16) x pf_gbdt_imp_width(m) floats, and returns whether any
 * value is NaN (nan below); pf_gbdt_imp_leaves keeps the leaf of every
 * tree t and row r in idx[t * n16 + r] (one byte) and writes the margins
 * to acc (n16); pf_gbdt_imp_score adds the kept leaf of every tree with
 * slot[t] == 0 and walks the others with model feature pf[k] of row r
 * replaced by pv[k * n16 + r]: the predict functions' bits (nan: whether
 * xt or pv holds a NaN). The changed trees' touch bounds are at
 * tch + (slot[t] - 1) * pf_gbdt_imp_stride(m).
 */
int	pf_gbdt_imp_ok(const pf_gbdt *m, size_t ncols);
size_t	pf_gbdt_imp_width(const pf_gbdt *m);
int	pf_gbdt_imp_transpose(const pf_gbdt *m, const float *x, size_t ld,
	    size_t n, float *xt);
void	pf_gbdt_imp_leaves(const pf_gbdt *m, const float *xt, size_t n,
	    int nan, uint8_t *idx, float *acc);
void	pf_gbdt_imp_score(const pf_gbdt *m, const float *xt, size_t n,
	    int nan, const uint8_t *idx, const uint32_t *slot,
	    const int32_t *tch, const uint32_t *pf, const float *pv, size_t np,
	    float *acc);
/*
 * Per leaf of tree t, the values of the changed model feature (the one j
 * with fmask[j] set) that keep a row on its path to that leaf, for
 * pf_gbdt_imp_score, pf_gbdt_imp_stride(m) int32 at tch (64-byte aligned;
 * for every changed tree; with several features set, no
 * value keeps a leaf below a node testing one); a group of rows all of
 * whose new values keep their kept leaves adds them without a walk.
 */
size_t	pf_gbdt_imp_stride(const pf_gbdt *m);
void	pf_gbdt_imp_touch(const pf_gbdt *m, size_t t,
	    const unsigned char *fmask, int32_t *tch);

#endif /* PF_HARNESS_MODEL_TREES_H */

/*
 * harness/model/gbdt.h — gradient-boosted tree models scored exactly as
 * their own libraries score them (shared/MODELS.md).
 *
 * Two formats, detected from the file's first bytes:
 *   - XGBoost JSON (`save_model("m.json")`), boosters gbtree, dart and
 *     gblinear, one output group. Scored in float32 exactly as XGBoost
 *     1.7.4's CPU predictor: features are float32, NaN is missing, a split
 *     goes left iff x < threshold (equal goes right), missing goes to
 *     default_left, and the margin is base_score (in margin space) plus the
 *     leaf values added one float32 addition per tree, in tree order.
 *   - LightGBM text (`save_model("m.txt")`), one tree per iteration. Scored
 *     in double exactly as LightGBM's Tree::Predict: a split goes left iff
 *     x <= threshold, decision_type selects default_left and the missing
 *     type (None: NaN counts as 0.0; Zero: |x| <= 1e-35f is missing; NaN),
 *     categorical splits test a bitset, and the raw score is the leaf values
 *     summed in double in tree order from 0.0 (the init score lives in tree
 *     0). average_output is ignored, as LightGBM's raw score ignores it.
 *
 * Feature j of a row is x[r * ld + j] for j < ncols; columns j >= ncols are
 * absent: missing (NaN) for XGBoost, 0.0 for LightGBM, each library's rule
 * for sparse input. Either kind can be scored through either entry point:
 *   - an XGBoost model given doubles converts each to float32 first (NaN
 *     stays missing), exactly as XGBoost converts a float64 numpy array;
 *   - a LightGBM model given floats widens each to double (exact; NaN stays
 *     NaN and follows the node's missing type).
 *
 * Every predict function is thread-safe on a const model, parallel over
 * rows with OpenMP (each row independent, so results are the same bits for
 * any thread count), and allocates at most one scratch block per thread
 * per call, never per row. All trees are used (Booster.predict's default;
 * the sklearn wrapper's best_iteration cut is not applied).
 */
#ifndef PF_HARNESS_MODEL_GBDT_H
#define PF_HARNESS_MODEL_GBDT_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"

typedef struct pf_gbdt pf_gbdt;

enum { PF_GBDT_XGBOOST = 1, PF_GBDT_LIGHTGBM = 2 };

/*
 * Loads an XGBoost JSON model or a LightGBM text model from path. On
 * success *out is owned by the caller (pf_gbdt_free). Errors: PF_EIO (cannot
 * read), PF_ENOMEM (with what was asked for), PF_EFORMAT (not a model, a
 * field missing, duplicated or of the wrong type, a NaN or infinite
 * threshold, leaf value or base_score, no trees, a truncated file, a size
 * the file does not back, more than 2^24 features, or something not
 * supported: several outputs per row (multi-class, multi-target), XGBoost
 * categorical splits or UBJSON, LightGBM linear trees), PF_EDATA (fields
 * well-formed but inconsistent: a split on a feature beyond num_feature
 * or max_feature_idx, tree_info, weight_drop, tree_sizes or feature_names
 * not one per tree or feature, a base_score the objective cannot take);
 * err->where names the file (and the line for LightGBM text) and err->msg
 * says what was expected and where (e.g.
 * "learner.gradient_booster.model.trees[3].split_conditions[7]"). All of
 * it is checked at load; scoring checks nothing. *out is NULL on error.
 * The file is read as text (pf_read_text): a UTF-8 byte-order mark is
 * dropped with a warning, a NUL byte refused with its line.
 */
int		 pf_gbdt_load(pf_gbdt **out, const char *path, pf_err *err);

/* NULL is a no-op. */
void		 pf_gbdt_free(pf_gbdt *m);

/* PF_GBDT_XGBOOST or PF_GBDT_LIGHTGBM. */
int		 pf_gbdt_kind(const pf_gbdt *m);

/*
 * Features the model declares: XGBoost num_feature, LightGBM
 * max_feature_idx + 1 (every split feature is below it: checked at load).
 * Rows of this width hold every feature the model reads.
 */
size_t		 pf_gbdt_nfeatures(const pf_gbdt *m);

/*
 * The model's own name of its feature j (< pf_gbdt_nfeatures), or NULL:
 * XGBoost's learner.feature_names (set when the model was trained from a
 * DataFrame or with feature_names=), LightGBM's feature_names= line unless
 * it holds only the default Column_<j> names. Names that are not one
 * non-empty string per feature are ignored (they do not change a score).
 * Borrowed from m.
 */
const char	*pf_gbdt_feature_name(const pf_gbdt *m, size_t j);

/* Trees (0 for gblinear). */
size_t		 pf_gbdt_ntrees(const pf_gbdt *m);

/* Deepest root-to-leaf path over all trees, in splits (0 for gblinear). */
int		 pf_gbdt_max_depth(const pf_gbdt *m);

/*
 * The objective as the file names it ("rank:ndcg", "lambdarank",
 * "binary sigmoid:1"); borrowed from m.
 */
const char	*pf_gbdt_objective(const pf_gbdt *m);

/*
 * XGBoost: the booster ("gbtree", "dart", "gblinear"); LightGBM: "gbdt".
 * Borrowed from m.
 */
const char	*pf_gbdt_booster(const pf_gbdt *m);

/*
 * Raw margins, one per row: XGBoost's predict(output_margin=True),
 * LightGBM's raw_score. out[r] for r < nrows; ld >= ncols.
 */
void		 pf_gbdt_predict_f32(const pf_gbdt *m, const float *x,
		    size_t nrows, size_t ld, size_t ncols, double *out);
void		 pf_gbdt_predict_f64(const pf_gbdt *m, const double *x,
		    size_t nrows, size_t ld, size_t ncols, double *out);

/*
 * The leaf one row reaches in every tree: leaves[t] for t < ntrees.
 * XGBoost: the node id in the JSON arrays (pred_leaf); LightGBM: the leaf
 * index (predict_leaf_index). Nothing is written for gblinear. Same input
 * rules as the predict functions.
 */
void		 pf_gbdt_leaves_f32(const pf_gbdt *m, const float *x,
		    size_t ncols, int32_t *leaves);
void		 pf_gbdt_leaves_f64(const pf_gbdt *m, const double *x,
		    size_t ncols, int32_t *leaves);

/*
 * What the model splits on, per feature j < nfeat (= pf_gbdt_nfeatures):
 * nsplit[j] nodes split on j (gblinear: 1 when j's weight is nonzero, else
 * 0), and thr[off[j]..off[j + 1]) the distinct thresholds of its numerical
 * splits in increasing order (LightGBM categorical splits add the
 * categories they test). Owned by the caller (pf_gbdt_splits_free).
 * Errors: PF_ENOMEM.
 */
typedef struct pf_gbdt_splits {
	size_t	 nfeat;
	size_t	*nsplit;	/* nfeat */
	size_t	*off;		/* nfeat + 1 */
	double	*thr;		/* off[nfeat] */
} pf_gbdt_splits;

int		 pf_gbdt_splits_get(pf_gbdt_splits **out, const pf_gbdt *m,
		    pf_err *err);
void		 pf_gbdt_splits_free(pf_gbdt_splits *s);

/*
 * Internal, exported for tests and the benchmark: the scorer predict calls
 * on m use ("avx512", "avx2" or "scalar": predicated complete trees, the
 * first available by default; "walk": the node-by-node walk; "linear":
 * gblinear), and a way to choose it. Returns PF_EINVAL when name is
 * unknown or not available for m (the CPU lacks the instructions, or the
 * trees are too deep to pad). NULL restores the default.
 * Not thread-safe against concurrent predict calls on the same m.
 */
const char	*pf_gbdt__path(const pf_gbdt *m);
int		 pf_gbdt__set_path(pf_gbdt *m, const char *name);

#endif /* PF_HARNESS_MODEL_GBDT_H */

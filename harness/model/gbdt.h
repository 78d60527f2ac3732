/*
 * harness/model/gbdt.h — gradient-boosted tree models scored exactly as
 * their own libraries score them (../shared/MODELS.md):
 *  - XGBoost JSON (gbtree, dart, gblinear): float32 features, NaN = missing
 *    (absent sparse entries are missing), go left iff x < threshold,
 *    default_left for missing, margin = base_margin + leaves accumulated in
 *    float32 in tree order;
 *  - LightGBM text (v3/v4): double features, absent = 0.0, go left iff
 *    x <= threshold, decision_type bits (default_left, missing None / Zero /
 *    NaN), categorical bitsets, raw = sum of leaf values in double.
 * A loaded model is immutable and thread-safe; prediction allocates nothing.
 */
#ifndef PF_HARNESS_MODEL_GBDT_H
#define PF_HARNESS_MODEL_GBDT_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"

typedef struct pf_gbdt pf_gbdt;

enum { PF_GBDT_XGBOOST = 1, PF_GBDT_LIGHTGBM = 2 };

/* Loads an XGBoost JSON or LightGBM text model; the format is detected. */
int	pf_gbdt_load(pf_gbdt **out, const char *path, pf_err *err);
void	pf_gbdt_free(pf_gbdt *m);

int		 pf_gbdt_kind(const pf_gbdt *m);
size_t		 pf_gbdt_nfeatures(const pf_gbdt *m);	/* declared */
size_t		 pf_gbdt_ntrees(const pf_gbdt *m);	/* 0 for gblinear */
const char	*pf_gbdt_objective(const pf_gbdt *m);

/*
 * Raw margins, one per row. Row r's feature j is x[r * ld + j] for
 * j < ncols; features j >= ncols are absent (XGBoost: missing, LightGBM:
 * 0.0). predict_f32 is XGBoost's path (a LightGBM model widens the floats
 * to double); predict_f64 is LightGBM's (an XGBoost model narrows the
 * doubles to float first, as XGBoost does with float64 input).
 */
void	pf_gbdt_predict_f32(const pf_gbdt *m, const float *x, size_t nrows,
	    size_t ld, size_t ncols, double *out);
void	pf_gbdt_predict_f64(const pf_gbdt *m, const double *x, size_t nrows,
	    size_t ld, size_t ncols, double *out);

/* The leaf reached in every tree for one row (XGBoost: node id;
   LightGBM: leaf index); leaves has pf_gbdt_ntrees entries. */
void	pf_gbdt_leaves_f32(const pf_gbdt *m, const float *x, size_t ncols,
	    int32_t *leaves);
void	pf_gbdt_leaves_f64(const pf_gbdt *m, const double *x, size_t ncols,
	    int32_t *leaves);

#endif /* PF_HARNESS_MODEL_GBDT_H */

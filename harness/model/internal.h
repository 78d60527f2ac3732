/*
 * harness/model/internal.h — the in-memory model shared by the loaders
 * (xgb_json.c, lgb_text.c) and the scorer (gbdt.c).
 */
#ifndef PF_HARNESS_MODEL_INTERNAL_H
#define PF_HARNESS_MODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/model/gbdt.h"

struct pf_gbdt {
	int		 kind;
	int		 linear;	/* XGBoost gblinear */
	size_t		 nfeat, ntrees;
	char		 objective[64];
	/* XGBoost trees: nodes of tree t are toff[t]..toff[t+1); child ids
	   are tree-local; right == left + 1 holds for every node */
	size_t		*toff;
	int32_t		*left, *right, *feat;
	float		*cond;		/* threshold, or the leaf value */
	uint8_t		*defl;
	float		*tweight;	/* dart weight_drop, or NULL */
	float		 base;		/* base margin (logit for logistic) */
	/* gblinear */
	float		*w;		/* nfeat weights */
	float		 bias;
	/* LightGBM trees: internal nodes ioff[t].., leaves loff[t].. */
	size_t		*ioff, *loff;
	int32_t		*lchild, *rchild, *sfeat;
	double		*thr;
	int8_t		*dtype;
	double		*leafv;
	int32_t		*catb;		/* cat_boundaries (tree-local), or NULL */
	uint32_t	*catt;		/* cat_threshold bitsets */
	size_t		*cboff, *ctoff;	/* per tree offsets into catb / catt */
};

int	pf_gbdt__load_xgb(pf_gbdt *m, const char *path, const char *text,
	    size_t len, pf_err *err);
int	pf_gbdt__load_lgb(pf_gbdt *m, const char *path, char *text, size_t len,
	    pf_err *err);

#endif /* PF_HARNESS_MODEL_INTERNAL_H */

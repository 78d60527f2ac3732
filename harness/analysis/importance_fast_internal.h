/*
 * harness/analysis/importance_fast_internal.h — between the changed-trees
 * scorer's two halves: importance_fast.c (the model's tables, the kept
 * leaves and values of a chunk of queries) and importance_fast_score.c
 * (per-worker space, the items' changed trees, scoring one query). Not for
 * other files.
 */
#ifndef PF_HARNESS_ANALYSIS_IMPORTANCE_FAST_INTERNAL_H
#define PF_HARNESS_ANALYSIS_IMPORTANCE_FAST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/analysis/importance_internal.h"

/* One item's changed trees in the SIMD form (trees.h pf_gbdt_imp_score). */
typedef struct fitem {
	const size_t	*cols;		/* the key: the item's columns */
	uint32_t	*slot;		/* ntrees: slot + 1 of a changed tree */
	int32_t		*tch;		/* nu x imp stride: their bounds */
	uint32_t	*pf;		/* the changed model features */
	size_t		*kof;		/* their positions among cols */
	size_t		 np, nu;
} fitem;

struct pf_imp_fast {
	pf_gbdt		*m;
	size_t		 ntrees, nf, ncols;	/* ncols: model columns */
	long		 shift;			/* file column of model f0 */
	float		 base;
	int		 lgb;			/* LightGBM: double rows, val64 */
	size_t		*foff;			/* nf + 1: trees of column c */
	uint32_t	*ftree;
	/* the chunk */
	size_t		 q0, q1;
	size_t		*qoff;			/* nq + 1 (chunk-relative) */
	float		*val;			/* kept values */
	double		*val64;			/* LightGBM's kept values */
	uint16_t	*leaf;			/* kept leaves (node ids) */
	size_t		*noff;			/* ntrees + 1: node offsets */
	size_t		 mf;			/* model features */
	/* the SIMD form (trees.h pf_gbdt_imp_ok): leaves kept as bytes */
	int		 simd;
	uint8_t		*idx;			/* [tree][row, n16] per query */
	float		*xt;			/* the rows transposed */
	size_t		 w;			/* their width */
	size_t		*qoff16;		/* nq + 1: rows rounded to 16 */
	unsigned char	*qnan;			/* nq: a NaN among the rows */
	fitem		*items;			/* nitems, by cols; or NULL */
	size_t		 nitems;
	size_t		 cap_val, cap_leaf, cap_idx, cap_xt;	/* bytes, kept
						   from chunk to chunk */
	size_t		 cap_val64;
};

struct pf_imp_fast_ws {
	uint32_t	*mark;		/* ntrees: slot + 1, 0 = unchanged */
	uint32_t	*slot;		/* ntrees */
	float		*newv;		/* ntrees x maxn */
	float		*acc;		/* maxn */
	size_t		 maxn;
	unsigned char	*fmask;		/* mf: the changed model features */
	unsigned char	*touch;		/* noff[ntrees]: leaf under a change */
	const size_t	*tkey;		/* the columns touch was computed for */
	size_t		 nu;		/* and their trees, in slot */
	uint32_t	*pf;		/* the changed model features */
	float		*pv;		/* their values in one row */
	size_t		*kof;		/* their positions among the columns */
	const float	**pcol;		/* their new values in one query */
	uint32_t	*rows;		/* maxn: the rows one tree re-walks */
	float		*rv;		/* maxn: their values */
	size_t		 np;
	unsigned char	*chg;		/* ntrees: the changed trees */
	float		*pvb;		/* nf x n16: their new values */
	double		*newv64;	/* LightGBM: ntrees x maxn */
	double		*acc64;		/* maxn */
	double		*pv64;		/* nf */
	const double	**pcol64;	/* nf */
	fitem		 own;		/* SIMD: the item, when not shared */
	const fitem	*cur;		/* SIMD: the item of tkey */
};

void	pf_imp__fitem_free(fitem *it);
void	pf_imp__fitem_fill(const pf_imp_fast *f, fitem *it, const size_t *cols,
	    size_t ncols, unsigned char *fmask);
int	pf_imp__fitem_alloc(const pf_imp_fast *f, fitem *it, size_t ncols,
	    size_t nu);

#endif /* PF_HARNESS_ANALYSIS_IMPORTANCE_FAST_INTERNAL_H */

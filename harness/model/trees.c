/*
 * harness/model/trees.c — see trees.h. The walk is gbdt.c's xwalk on
 * float32 rows (x < threshold goes left, NaN follows default_left).
 */
#include <math.h>
#include <string.h>

#include "harness/model/internal.h"
#include "harness/model/trees.h"

int
pf_gbdt_trees_ok(const pf_gbdt *m)
{
	return m->kind == PF_GBDT_XGBOOST && m->path != PF_PATH_LINEAR &&
	    strcmp(m->booster, "gblinear") != 0;
}

float
pf_gbdt_base_f32(const pf_gbdt *m)
{
	return m->base;
}

float
pf_gbdt_tree_value_f32(const pf_gbdt *m, size_t t, const float *x,
    size_t ncols)
{
	const pf_xnode *n = m->xn + m->toff[t];
	int32_t i = 0;

	while (n[i].left >= 0) {
		float v = n[i].feat < ncols ? x[n[i].feat] : NAN;
		if (isnan(v))
			i = n[i].left + (n[i].dleft ? 0 : 1);
		else
			i = n[i].left + !(v < n[i].val);	/* equal: right */
	}
	return n[i].val;
}

void
pf_gbdt_tree_features(const pf_gbdt *m, size_t t, unsigned char *uses)
{
	for (size_t i = m->toff[t]; i < m->toff[t + 1]; i++)
		if (m->xn[i].left >= 0 && m->xn[i].feat < m->nfeat)
			uses[m->xn[i].feat] = 1;
}

/*
 * harness/model/trees.c — see trees.h. The walk is gbdt.c's xwalk on
 * float32 rows (x < threshold goes left, NaN follows default_left).
 */
#include <assert.h>
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

int32_t
pf_gbdt_tree_leaf_f32(const pf_gbdt *m, size_t t, const float *x,
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
	return i;
}

float
pf_gbdt_tree_value_f32(const pf_gbdt *m, size_t t, const float *x,
    size_t ncols)
{
	return m->xn[m->toff[t] + (size_t)pf_gbdt_tree_leaf_f32(m, t, x,
	    ncols)].val;
}

float
pf_gbdt_tree_value_patched_f32(const pf_gbdt *m, size_t t, const float *x,
    size_t ncols, const uint32_t *pf, const float *pv, size_t np)
{
	const pf_ctrees *ct = &m->ct;

	if (ct->feat != NULL && ct->depth > 0) {
		/* the padded complete tree: depth steps, no branch on data */
		size_t base = t * ct->stride, h = 1;
		for (int l = 0; l < ct->depth; l++) {
			uint32_t f = (uint32_t)ct->feat[base + h];
			float v = f < ncols ? x[f] : NAN;
			for (size_t k = 0; k < np; k++)
				v = pf[k] == f ? pv[k] : v;
			size_t right = isnan(v) ? (size_t)(ct->dleft[base + h] +
			    1) : (size_t)!(v < ct->thr[base + h]);
			h = 2 * h + right;
		}
		return ct->leaf[base + (ct->depth <= 3 ? h : h -
		    ((size_t)1 << ct->depth))];
	}
	const pf_xnode *n = m->xn + m->toff[t];
	int32_t i = 0;

	while (n[i].left >= 0) {
		uint32_t f = n[i].feat;
		float v = f < ncols ? x[f] : NAN;
		for (size_t k = 0; k < np; k++)
			if (pf[k] == f)
				v = pv[k];
		if (isnan(v))
			i = n[i].left + (n[i].dleft ? 0 : 1);
		else
			i = n[i].left + !(v < n[i].val);	/* equal: right */
	}
	return n[i].val;
}

void
pf_gbdt_tree_values_patched_f32(const pf_gbdt *m, size_t t, const float *x,
    size_t ld, size_t ncols, const uint32_t *rows, size_t nr,
    const uint32_t *pf, const float *const *pcol, size_t np, float *out)
{
	const pf_ctrees *ct = &m->ct;
	size_t r = 0;

	if (ct->feat != NULL && ct->depth > 0) {
		size_t base = t * ct->stride;
		size_t loff = ct->depth <= 3 ? 0 : (size_t)1 << ct->depth;
		for (; r + 4 <= nr; r += 4) {
			size_t h[4] = {1, 1, 1, 1};
			for (int l = 0; l < ct->depth; l++)
				for (int j = 0; j < 4; j++) {
					size_t i = rows[r + (size_t)j];
					uint32_t f = (uint32_t)ct->feat[base + h[j]];
					float v = f < ncols ? x[i * ld + f] : NAN;
					for (size_t k = 0; k < np; k++)
						v = pf[k] == f ? pcol[k][i] : v;
					size_t right = isnan(v) ?
					    (size_t)(ct->dleft[base + h[j]] + 1) :
					    (size_t)!(v < ct->thr[base + h[j]]);
					h[j] = 2 * h[j] + right;
				}
			for (int j = 0; j < 4; j++)
				out[r + (size_t)j] = ct->leaf[base + h[j] - loff];
		}
	}
	float pv[PF_GBDT_PATCH_MAX];
	assert(np <= PF_GBDT_PATCH_MAX);
	for (; r < nr; r++) {
		size_t i = rows[r];
		for (size_t k = 0; k < np; k++)
			pv[k] = pcol[k][i];
		out[r] = pf_gbdt_tree_value_patched_f32(m, t, x + i * ld, ncols,
		    pf, pv, np);
	}
}

float
pf_gbdt_node_value(const pf_gbdt *m, size_t t, int32_t node)
{
	return m->xn[m->toff[t] + (size_t)node].val;
}

size_t
pf_gbdt_tree_nodes(const pf_gbdt *m, size_t t)
{
	if (m->kind == PF_GBDT_LIGHTGBM)
		return pf_gbdt__lgb_tree_leaves(m, t);
	return m->toff[t + 1] - m->toff[t];
}

void
pf_gbdt_tree_touch(const pf_gbdt *m, size_t t, const unsigned char *fmask,
    unsigned char *touch)
{
	if (m->kind == PF_GBDT_LIGHTGBM) {
		pf_gbdt__lgb_tree_touch(m, t, fmask, touch);
		return;
	}

	const pf_xnode *n = m->xn + m->toff[t];
	size_t nn = m->toff[t + 1] - m->toff[t];

	/* children are visited after their parent: walk a stack of ids */
	int32_t stack[128];
	size_t sp = 0;

	memset(touch, 0, nn);
	stack[sp++] = 0;
	while (sp > 0) {
		int32_t i = stack[--sp];
		if (n[i].left < 0)
			continue;
		unsigned char on = touch[i] | (fmask[n[i].feat] != 0);
		touch[n[i].left] = on;
		touch[n[i].left + 1] = on;
		if (sp + 2 > sizeof(stack) / sizeof(stack[0])) {
			/* deeper than the stack: mark the subtree touched */
			for (size_t k = 0; k < nn; k++)
				touch[k] = 1;
			return;
		}
		stack[sp++] = n[i].left;
		stack[sp++] = n[i].left + 1;
	}
}

void
pf_gbdt_tree_features(const pf_gbdt *m, size_t t, unsigned char *uses)
{
	if (m->kind == PF_GBDT_LIGHTGBM) {
		pf_gbdt__lgb_tree_features(m, t, uses);
		return;
	}
	for (size_t i = m->toff[t]; i < m->toff[t + 1]; i++)
		if (m->xn[i].left >= 0 && m->xn[i].feat < m->nfeat)
			uses[m->xn[i].feat] = 1;
}

int
pf_gbdt_imp_ok(const pf_gbdt *m, size_t ncols)
{
	return pf_gbdt_trees_ok(m) && m->path == PF_PATH_AVX512 &&
	    m->ct.feat != NULL && m->ct.depth <= 7 && ncols >= m->ct.nused;
}

size_t
pf_gbdt_imp_width(const pf_gbdt *m)
{
	return m->ct.nused;
}

int
pf_gbdt_imp_transpose(const pf_gbdt *m, const float *x, size_t ld,
    size_t n, float *xt)
{
	size_t w = m->ct.nused, n16 = (n + 15) / 16 * 16;
	int any = 0;

	for (size_t r = 0; r < n16; r++) {
		const float *xr = x + (r < n ? r : 0) * ld;
		float *dst = xt + (r / 16) * w * 16 + r % 16;
		for (size_t j = 0; j < w; j++) {
			dst[j * 16] = xr[j];
			any |= xr[j] != xr[j];
		}
	}
	return any;
}

void
pf_gbdt_imp_leaves(const pf_gbdt *m, const float *xt, size_t n, int nan,
    uint8_t *idx, float *acc)
{
	pf_gbdt__kern_imp(m, xt, m->ct.nused, n, nan, NULL, NULL, idx, NULL,
	    NULL, 0, acc);
}

void
pf_gbdt_imp_score(const pf_gbdt *m, const float *xt, size_t n, int nan,
    const uint8_t *idx, const uint32_t *slot, const int32_t *tch,
    const uint32_t *pf, const float *pv, size_t np, float *acc)
{
	/* idx is only read when slot is not NULL */
	pf_gbdt__kern_imp(m, xt, m->ct.nused, n, nan, slot, tch,
	    (uint8_t *)(uintptr_t)idx, pf, pv, np, acc);
}

size_t
pf_gbdt_imp_stride(const pf_gbdt *m)
{
	return 4 * m->ct.stride;	/* lo, hi, NaN stays, first level */
}

/* The only model feature set in fmask, or -1. */
static long
only_feature(const pf_gbdt *m, const unsigned char *fmask)
{
	long j = -1;
	size_t f = 0;

	for (; f + 8 <= m->nfeat; f += 8) {	/* 8 bytes at a time */
		uint64_t u;
		memcpy(&u, fmask + f, sizeof(u));
		if (u == 0)
			continue;
		for (size_t k = f; k < f + 8; k++)
			if (fmask[k]) {
				if (j >= 0)
					return -1;
				j = (long)k;
			}
	}
	for (; f < m->nfeat; f++)
		if (fmask[f]) {
			if (j >= 0)
				return -1;
			j = (long)f;
		}
	return j;
}

/*
 * Per leaf h, the values v of the changed feature that keep the walk on
 * the kept path: !(v < lo) && !(v >= hi), and for a NaN v nok[h]. The
 * kernel's comparisons on the same thresholds: v >= th goes right, a NaN
 * goes left where dleft is set. hi NaN: no bound; lo NaN: never kept (a
 * leaf below a test of a changed feature when several changed, or a NaN
 * threshold). Each node testing a changed feature bounds the leaves of its
 * two halves (the bounds are intersections: any node order gives them).
 * fl[h]: the level of the first node on the path to leaf h that tests a
 * changed feature (the depth when none): where a walk of a row that
 * leaves the kept path can start.
 */
void
pf_gbdt_imp_touch(const pf_gbdt *m, size_t t, const unsigned char *fmask,
    int32_t *tch)
{
	const pf_ctrees *ct = &m->ct;
	const int32_t *F = ct->feat + t * ct->stride;
	const float *TH = ct->thr + t * ct->stride;
	const int32_t *DL = ct->dleft + t * ct->stride;
	int D = ct->depth;
	size_t nl = (size_t)1 << D, st = ct->stride, e0 = D <= 3 ? nl : 0;
	long j = only_feature(m, fmask);
	float *lo = (float *)(void *)tch + e0;
	float *hi = (float *)(void *)(tch + st) + e0;
	int32_t *nok = tch + 2 * st + e0, *fl = tch + 3 * st + e0;

	/* padded nodes test feature 0: at worst a needless walk */
	for (size_t e = 0; e < nl; e++) {
		lo[e] = -INFINITY;
		hi[e] = NAN;
		nok[e] = -1;
		fl[e] = D;
	}
	for (int d = 0; d < D; d++)
		for (size_t h = (size_t)1 << d; h < (size_t)2 << d; h++) {
			if (!fmask[F[h]])
				continue;
			float th = TH[h];
			size_t half = nl >> (d + 1);
			size_t a = (h - ((size_t)1 << d)) * 2 * half;
			for (size_t e = a; e < a + 2 * half; e++) {
				int right = e >= a + half;
				if (fl[e] > d)
					fl[e] = d;
				if (j < 0 || th != th) {
					lo[e] = NAN;
					nok[e] = 0;
					continue;
				}
				/* left: v < th; right: v >= th */
				if (!right && (hi[e] != hi[e] || th < hi[e]))
					hi[e] = th;
				if (right && lo[e] == lo[e] && th > lo[e])
					lo[e] = th;
				if ((DL[h] != 0) != !right)
					nok[e] = 0;
			}
		}
}

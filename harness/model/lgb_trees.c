/*
 * harness/model/lgb_trees.c — trees.h for LightGBM models: one tree at a
 * time on a row of nf doubles whose column j + shift is model feature j
 * (the others 0.0, as the gbdt stage reads them), leaf ids being
 * LightGBM's leaf indices. The raw score is the trees' leaf values added in double in tree
 * order from 0.0 (gbdt.h), so keeping every tree's value of a row and
 * re-adding them in order gives the predict functions' bits.
 */
#include <string.h>

#include "harness/model/internal.h"
#include "harness/model/trees.h"

/* Model feature j of row x. */
static inline double
feat(const double *x, long shift, size_t nf, uint32_t j)
{
	long c = (long)j + shift;

	return c >= 0 && (size_t)c < nf ? x[c] : 0.0;
}

int32_t
pf_gbdt_lgb_leaf_f64(const pf_gbdt *m, size_t t, const double *x,
    long shift, size_t nf)
{
	const pf_lnode *n = m->ln + m->toff[t];
	int32_t i = 0;

	if (m->toff[t + 1] == m->toff[t])
		return 0;
	do {
		const pf_lnode *p = &n[i];
		double v = feat(x, shift, nf, p->feat);
		i = p->child[!pf_lgb__decide(p, v, m->cbits)];
	} while (i >= 0);
	return ~i;
}

double
pf_gbdt_lgb_leaf_value(const pf_gbdt *m, size_t t, int32_t leaf)
{
	return m->leaf[m->loff[t] + (size_t)leaf];
}

double
pf_gbdt_lgb_value_patched_f64(const pf_gbdt *m, size_t t, const double *x,
    long shift, size_t nf, const uint32_t *pf, const double *pv, size_t np)
{
	const pf_lnode *n = m->ln + m->toff[t];
	int32_t i = 0;

	if (m->toff[t + 1] == m->toff[t])
		return m->leaf[m->loff[t]];
	do {
		const pf_lnode *p = &n[i];
		double v = feat(x, shift, nf, p->feat);
		for (size_t k = 0; k < np; k++)
			if (pf[k] == p->feat)
				v = pv[k];
		i = p->child[!pf_lgb__decide(p, v, m->cbits)];
	} while (i >= 0);
	return m->leaf[m->loff[t] + (size_t)~i];
}

void
pf_gbdt_lgb_values_patched_f64(const pf_gbdt *m, size_t t, const double *x,
    size_t ld, long shift, size_t nf, const uint32_t *rows, size_t nr,
    const uint32_t *pf, const double *const *pcol, size_t np, double *out)
{
	const pf_lnode *n = m->ln + m->toff[t];
	const double *lv = m->leaf + m->loff[t];
	size_t r = 0;

	if (m->toff[t + 1] == m->toff[t]) {
		for (; r < nr; r++)
			out[r] = lv[0];
		return;
	}
	/* four rows at a time: their dependent loads overlap */
	for (; r + 4 <= nr; r += 4) {
		int32_t i[4] = {0, 0, 0, 0};
		int live;
		do {
			live = 0;
			for (int j = 0; j < 4; j++) {
				if (i[j] < 0)
					continue;
				const pf_lnode *p = &n[i[j]];
				size_t row = rows[r + (size_t)j];
				double v = feat(x + row * ld, shift, nf, p->feat);
				for (size_t k = 0; k < np; k++)
					v = pf[k] == p->feat ? pcol[k][row] : v;
				i[j] = p->child[!pf_lgb__decide(p, v, m->cbits)];
				live |= i[j] >= 0;
			}
		} while (live);
		for (int j = 0; j < 4; j++)
			out[r + (size_t)j] = lv[~i[j]];
	}
	for (; r < nr; r++) {
		int32_t i = 0;
		size_t row = rows[r];
		do {
			const pf_lnode *p = &n[i];
			double v = feat(x + row * ld, shift, nf, p->feat);
			for (size_t k = 0; k < np; k++)
				v = pf[k] == p->feat ? pcol[k][row] : v;
			i = p->child[!pf_lgb__decide(p, v, m->cbits)];
		} while (i >= 0);
		out[r] = lv[~i];
	}
}

size_t
pf_gbdt__lgb_tree_leaves(const pf_gbdt *m, size_t t)
{
	return m->loff[t + 1] - m->loff[t];
}

void
pf_gbdt__lgb_tree_touch(const pf_gbdt *m, size_t t,
    const unsigned char *fmask, unsigned char *touch)
{
	const pf_lnode *n = m->ln + m->toff[t];
	size_t nl = m->loff[t + 1] - m->loff[t], sp = 0;
	struct { int32_t i; unsigned char on; } stack[128];

	memset(touch, 0, nl);
	if (m->toff[t + 1] == m->toff[t])
		return;
	stack[sp].i = 0;
	stack[sp++].on = 0;
	while (sp > 0) {
		int32_t i = stack[--sp].i;
		unsigned char on = stack[sp].on | (fmask[n[i].feat] != 0);
		for (int k = 0; k < 2; k++) {
			int32_t c = n[i].child[k];
			if (c < 0) {
				touch[~c] = on;
				continue;
			}
			if (sp == sizeof(stack) / sizeof(stack[0])) {
				/* deeper than the stack: every leaf touched */
				memset(touch, 1, nl);
				return;
			}
			stack[sp].i = c;
			stack[sp++].on = on;
		}
	}
}

void
pf_gbdt__lgb_tree_features(const pf_gbdt *m, size_t t, unsigned char *uses)
{
	for (size_t i = m->toff[t]; i < m->toff[t + 1]; i++)
		uses[m->ln[i].feat] = 1;
}

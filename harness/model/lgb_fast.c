/*
 * lgb_fast.c — LightGBM trees compiled for block scoring (internal.h
 * pf_ltrees): the layout, the rows' float32 keys, the portable kernel and
 * the block loop; the AVX-512 kernel is kernels_lgb.c.
 *
 * LightGBM compares in double (x <= t, equal goes left). For a float32 x
 * and the largest float32 tl <= t, x <= t exactly when x <= tl, so float
 * rows are scored in float32 with no loss. A double row is rounded down
 * to xd <= x (the largest float32 not above it): xd < tl gives x < t,
 * xd > tl gives x > t, and only xd == tl leaves it open (x and t in the
 * same float32 interval) when x is not itself a float32 — that step is
 * then decided on the double (pf_lgb__decide). The same holds for the
 * other comparisons: the Zero missing type's |x| <= 1e-35f is open only
 * at xd == 1e-35f, and a categorical split's truncation to an integer
 * only at xd == -1 (its tl) and xd >= 2^24. So the compiled trees give
 * the node walk's leaves, hence its sums, bit for bit.
 *
 * Leaf-wise trees have no fixed depth; a leaf's slot loops to itself, so
 * every row of a block takes the tree's depth in steps, and the kernels
 * stop early once every row of the block is at a leaf.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/model/internal.h"

#define LGB_MAXSLOTS	((size_t)1 << 16)	/* kids hold 16-bit slots */
#define LGB_MAXCOLS	((uint32_t)1 << 16)	/* block rows: 48 x 256 KiB */
#define LGB_ZERO_F	1e-35f
#define LGB_CAT_EXACT	16777216.0f		/* 2^24 */

void
pf_lgb__compiled_free(pf_ltrees *lt)
{
	free(lt->feat);
	free(lt->kids);
	free(lt->flag);
	free(lt->coff);
	free(lt->cn);
	free(lt->thr);
	free(lt->leaf);
	free(lt->depth);
	free(lt->root);
	free(lt->topf);
	free(lt->tops);
	free(lt->topk);
	free(lt->topt);
	free(lt->krec);
	memset(lt, 0, sizeof(*lt));
}

/* The largest float32 <= t (t not NaN; FLT_MAX for t above it). */
static float
round_down(double t)
{
	float f = (float)t;

	if ((double)f > t) {
		uint32_t u;
		memcpy(&u, &f, sizeof(u));
		if (f > 0)
			u--;
		else if (f == 0)
			u = 0x80000001u;	/* -0 -> the negative denormal */
		else
			u++;
		memcpy(&f, &u, sizeof(f));
	}
	return f;
}

/* Depth of slot s of a compiled tree (0 at a leaf). */
static int32_t
slot_depth(const int32_t *kids, size_t P, int32_t s)
{
	if ((size_t)s >= P)
		return 0;
	int32_t a = slot_depth(kids, P, kids[s] & 0xFFFF);
	int32_t b = slot_depth(kids, P, (int32_t)((uint32_t)kids[s] >> 16));
	return 1 + (a > b ? a : b);
}

/* Fills the slots of tree t from its nodes and leaves. */
static void
compile_tree(pf_gbdt *m, size_t t)
{
	pf_ltrees *lt = &m->lt;
	size_t S = lt->stride, P = S / 2, b = t * S;
	size_t ni = m->toff[t + 1] - m->toff[t];
	size_t nl = m->loff[t + 1] - m->loff[t];
	const pf_lnode *n = m->ln + m->toff[t];

	for (size_t s = 0; s < S; s++) {	/* unused slots: leaf 0 */
		lt->feat[b + s] = 0;
		lt->thr[b + s] = NAN;
		lt->flag[b + s] = 0;
		lt->kids[b + s] = (int32_t)(uint32_t)(P | (P << 16));
		if (lt->coff != NULL)
			lt->coff[b + s] = lt->cn[b + s] = 0;
	}
	for (size_t k = 0; k < P; k++) {
		size_t s = P + (k < nl ? k : 0);
		lt->kids[b + P + k] = (int32_t)(uint32_t)(s | (s << 16));
		lt->leaf[t * P + k] = m->leaf[m->loff[t] + (k < nl ? k : 0)];
	}
	for (size_t i = 0; i < ni; i++) {
		const pf_lnode *p = &n[i];
		uint32_t ch[2];
		int32_t fl = 0;
		for (int k = 0; k < 2; k++)
			ch[k] = p->child[k] >= 0 ? (uint32_t)p->child[k] :
			    (uint32_t)(P + (size_t)~p->child[k]);
		if (p->dt & 1) {
			fl = PF_LF_CAT;
			lt->thr[b + i] = -1.0f;
			lt->coff[b + i] = (int32_t)p->cat_off;
			lt->cn[b + i] = (int32_t)p->cat_n;
		} else {
			int mt = (p->dt >> 2) & 3, dl = (p->dt >> 1) & 1;
			lt->thr[b + i] = round_down(p->thr);
			if (dl)
				fl |= PF_LF_DL;
			if (mt == 1)
				fl |= PF_LF_ZERO;
			/* None: NaN is 0.0, compared; Zero: 0.0 is missing */
			if (mt == 0 ? 0.0 <= p->thr : dl)
				fl |= PF_LF_NANL;
		}
		lt->feat[b + i] = (int32_t)p->feat;
		lt->flag[b + i] = fl;
		lt->kids[b + i] = (int32_t)(ch[0] | (ch[1] << 16));	/* wraps */
		if ((size_t)p->feat + 1 > lt->nused)
			lt->nused = (size_t)p->feat + 1;
	}
	int32_t root = ni > 0 ? 0 : (int32_t)P;
	lt->root[t] = root;
	lt->depth[t] = slot_depth(lt->kids + b, P, root);
	/* heap positions 1..15: the slot a row is at after its turns */
	int32_t hs[16];
	hs[1] = root;
	for (int h = 2; h < 16; h++) {
		uint32_t k = (uint32_t)lt->kids[b + (size_t)hs[h / 2]];
		hs[h] = (int32_t)(h % 2 ? k >> 16 : k & 0xFFFF);
	}
	hs[0] = root;	/* unused */
	for (int h = 0; h < 16; h++) {
		size_t s = b + (size_t)hs[h];
		lt->topf[t * 16 + (size_t)h] = h > 0 ? lt->feat[s] : 0;
		lt->tops[t * 16 + (size_t)h] = hs[h];
		lt->topt[t * 16 + (size_t)h] = lt->thr[s];
		lt->topk[t * 16 + (size_t)h] = lt->flag[s];
	}
	for (size_t s = 0; s < S && lt->krec != NULL; s++)
		for (int k = 0; k < 2; k++) {
			uint32_t c = (uint32_t)lt->kids[b + s];
			uint32_t tb;
			c = k ? c >> 16 : c & 0xFFFF;
			memcpy(&tb, &lt->thr[b + c], sizeof(tb));
			lt->krec[2 * (b + s) + (size_t)k] = (uint64_t)c |
			    (uint64_t)(uint32_t)lt->feat[b + c] << 16 |
			    (uint64_t)tb << 32;
		}
}

int
pf_lgb__compile(pf_gbdt *m, const char *path, pf_err *err)
{
	pf_ltrees *lt = &m->lt;
	size_t maxl = 1, S = 64, total, nt = m->ntrees;
	int cat = 0;

	if (nt == 0 || m->nfeat > ((size_t)1 << 20) || m->maxdepth > 64)
		return PF_OK;
	for (size_t t = 0; t < nt; t++)
		if (m->loff[t + 1] - m->loff[t] > maxl)
			maxl = m->loff[t + 1] - m->loff[t];
	while (S / 2 < maxl)
		S *= 2;
	if (S > LGB_MAXSLOTS || pf_mul_size(nt, S, &total) != PF_OK ||
	    total > ((size_t)1 << 24))	/* > 576 MiB of compiled trees */
		return PF_OK;
	for (size_t i = 0; i < m->toff[nt]; i++)	/* rows of that width */
		if (m->ln[i].feat >= LGB_MAXCOLS)	/* per block: the walk */
			return PF_OK;
	for (size_t i = 0; i < m->toff[nt]; i++) {
		cat |= m->ln[i].dt & 1;
		lt->special |= (m->ln[i].dt & 1) || ((m->ln[i].dt >> 2) & 3) == 1;
	}
	lt->stride = S;
	lt->nused = 1;
	lt->feat = aligned_alloc(64, total * sizeof(int32_t));
	lt->kids = aligned_alloc(64, total * sizeof(int32_t));
	lt->flag = aligned_alloc(64, total * sizeof(int32_t));
	lt->thr = aligned_alloc(64, total * sizeof(float));
	lt->leaf = aligned_alloc(64, total / 2 * sizeof(double));
	lt->depth = malloc(nt * sizeof(int32_t));
	lt->root = malloc(nt * sizeof(int32_t));
	lt->topf = malloc(nt * 16 * sizeof(int32_t));
	lt->tops = aligned_alloc(64, nt * 16 * sizeof(int32_t));
	lt->topk = aligned_alloc(64, nt * 16 * sizeof(int32_t));
	lt->topt = aligned_alloc(64, nt * 16 * sizeof(float));
	if (pf_gbdt__have_avx2())	/* only the AVX2 kernel reads it */
		lt->krec = aligned_alloc(64, total * 2 * sizeof(uint64_t));
	if (cat) {
		lt->coff = aligned_alloc(64, total * sizeof(int32_t));
		lt->cn = aligned_alloc(64, total * sizeof(int32_t));
	}
	if (lt->feat == NULL || lt->kids == NULL || lt->flag == NULL ||
	    lt->thr == NULL || lt->leaf == NULL || lt->depth == NULL ||
	    lt->root == NULL || lt->topf == NULL || lt->tops == NULL ||
	    lt->topk == NULL || lt->topt == NULL || (lt->krec == NULL &&
	    pf_gbdt__have_avx2()) ||
	    (cat && (lt->coff == NULL ||
	    lt->cn == NULL))) {
		pf_lgb__compiled_free(lt);
		return pf_err_set(err, PF_ENOMEM, path, 0, "out of memory: cannot "
		    "allocate the compiled copy of %zu trees (%zu slots of about "
		    "%d bytes)", nt, total, pf_gbdt__have_avx2() ? 44 : 28);
	}
	for (size_t t = 0; t < nt; t++)
		compile_tree(m, t);
	return PF_OK;
}

/*
 * Copies rows [r0, r0 + nb) into xt transposed per V rows as float32
 * keys (doubles rounded down), absent columns 0.0, lanes past nb repeating
 * row r0; rows[i] = lane i's doubles (dbl) or NULL. Returns bit 0: a NaN,
 * bit 1: a double that is not a float32 (the kernel must check its
 * undecided steps).
 */
static int
fill_keys(float *xt, size_t B, size_t V, size_t w, const void *x, int dbl,
    size_t r0, size_t nb, size_t ld, size_t ncols, const double **rows,
    int path)
{
	size_t nc = ncols < w ? ncols : w;
	int nan = 0, inexact = 0;

	if (dbl && path == PF_PATH_AVX2) {	/* 8 rows at a time */
		for (size_t i = 0; i < B; i++)
			rows[i] = (const double *)x + (r0 + (i < nb ? i : 0)) * ld;
		for (size_t g = 0; g < B / V; g++) {
			float *dst = xt + g * w * V;
			int k = pf_lgb__keys_avx2(rows + g * V, nc, dst);
			nan |= k & 1;
			inexact |= k >> 1;
			for (size_t j = nc * V; j < w * V; j++)
				dst[j] = 0.0f;
		}
		return nan | inexact << 1;
	}
	for (size_t i = 0; i < B; i++) {
		size_t r = r0 + (i < nb ? i : 0);
		float *dst = xt + (i / V) * w * V + i % V;
		if (dbl) {
			const double *xr = (const double *)x + r * ld;
			rows[i] = xr;
			if (path == PF_PATH_AVX512) {
				int k = pf_lgb__keys_avx512(xr, nc, dst, V);
				nan |= k & 1;
				inexact |= k >> 1;
			}
			for (size_t j = 0; j < nc && path != PF_PATH_AVX512; j++) {
				double v = xr[j];
				float f = v == v ? round_down(v) : NAN;
				dst[j * V] = f;
				nan |= v != v;
				inexact |= v == v && (double)f != v;
			}
		} else {
			const float *xr = (const float *)x + r * ld;
			rows[i] = NULL;
			for (size_t j = 0; j < nc; j++) {
				dst[j * V] = xr[j];
				nan |= xr[j] != xr[j];
			}
		}
		for (size_t j = nc; j < w; j++)
			dst[j * V] = 0.0f;
	}
	return nan | inexact << 1;
}

/*
 * Lane j's step at slot s of tree t from its float32 key v: 1 left, 0
 * right; the double row (when not NULL) where the key cannot decide.
 */
static inline int
step_left(const pf_gbdt *m, size_t t, size_t b, int32_t s, float v,
    const double *row, size_t ncols)
{
	const pf_ltrees *lt = &m->lt;
	int32_t fl = lt->flag[b + (size_t)s];
	float th = lt->thr[b + (size_t)s];
	int open;

	if (v != v)
		return fl & PF_LF_NANL ? 1 : 0;
	if (fl & PF_LF_CAT)
		open = v == -1.0f || v >= LGB_CAT_EXACT;
	else if ((fl & PF_LF_ZERO) && fabsf(v) <= LGB_ZERO_F)
		open = v == LGB_ZERO_F;
	else
		open = v == th;
	if (open && row != NULL) {
		const pf_lnode *p = m->ln + m->toff[t] + (size_t)s;
		return pf_lgb__decide(p, p->feat < ncols ? row[p->feat] : 0.0,
		    m->cbits);
	}
	if (fl & PF_LF_CAT) {
		if (!(v > -1.0f && v < 2147483648.0f))
			return 0;
		uint32_t c = (uint32_t)(int32_t)v, w = c / 32;
		return w < (uint32_t)lt->cn[b + (size_t)s] &&
		    ((m->cbits[(size_t)lt->coff[b + (size_t)s] + w] >> (c % 32)) &
		    1);
	}
	if ((fl & PF_LF_ZERO) && fabsf(v) <= LGB_ZERO_F)
		return fl & PF_LF_DL ? 1 : 0;
	return v <= th;
}

/* The portable kernel: 16 rows (one transposed group), tree by tree. */
static void
kern_scalar(const pf_gbdt *m, const float *xg, const double *const *rows,
    size_t ncols, double *acc)
{
	const pf_ltrees *lt = &m->lt;
	size_t S = lt->stride, P = S / 2;
	int32_t s[16];

	for (int j = 0; j < 16; j++)
		acc[j] = 0.0;
	for (size_t t = 0; t < m->ntrees; t++) {
		size_t b = t * S;
		for (int j = 0; j < 16; j++)
			s[j] = lt->root[t];
		for (int32_t l = 0; l < lt->depth[t]; l++)
			for (int j = 0; j < 16; j++) {
				if ((size_t)s[j] >= P)
					continue;
				float v = xg[(size_t)lt->feat[b + (size_t)s[j]] *
				    16 + (size_t)j];
				uint32_t k = (uint32_t)lt->kids[b + (size_t)s[j]];
				s[j] = step_left(m, t, b, s[j], v, rows[j], ncols) ?
				    (int32_t)(k & 0xFFFF) : (int32_t)(k >> 16);
			}
		for (int j = 0; j < 16; j++)
			acc[j] += lt->leaf[t * P + (size_t)s[j] - P];
	}
}

#define PF_GBDT_PAR_ROWS	1024	/* as gbdt.c */

void
pf_lgb__predict(const pf_gbdt *m, const void *x, int dbl, size_t nrows,
    size_t ld, size_t ncols, int path, double *out)
{
	size_t B = path == PF_PATH_AVX512 ? PF_LGB_BLOCK : path ==
	    PF_PATH_AVX2 ? PF_LGB_BLOCK8 : 16, w = m->lt.nused;
	size_t V = path == PF_PATH_AVX2 ? 8 : 16;
	size_t nblk = (nrows + B - 1) / B;

#pragma omp parallel if (nrows >= PF_GBDT_PAR_ROWS)
	{
		const double *rows[PF_LGB_BLOCK];
		double acc[PF_LGB_BLOCK];
		float *buf = aligned_alloc(64, (B * w * sizeof(float) + 63) /
		    64 * 64);

#pragma omp for schedule(static)
		for (size_t b = 0; b < nblk; b++) {
			size_t r0 = b * B, nb = nrows - r0 < B ? nrows - r0 : B;
			if (buf == NULL) {	/* no memory: the walk */
				for (size_t i = 0; i < nb; i++)
					out[r0 + i] = pf_gbdt__walk_lgb(m, dbl ?
					    (const void *)((const double *)x +
					    (r0 + i) * ld) : (const void *)
					    ((const float *)x + (r0 + i) * ld),
					    dbl, ncols);
				continue;
			}
			int fl = fill_keys(buf, B, V, w, x, dbl, r0, nb, ld,
			    ncols, rows, path);
			const double *const *rr = (fl & 2) ? rows : NULL;
			if (path == PF_PATH_AVX512) {
				pf_lgb__kern_avx512(m, buf, w, fl & 1, rr, ncols,
				    acc);
			} else if (path == PF_PATH_AVX2) {
				pf_lgb__kern_avx2(m, buf, w, fl & 1, rr, ncols,
				    acc);
			} else {
				const double *none[16] = {NULL};
				kern_scalar(m, buf, rr ? rows : none, ncols, acc);
			}
			for (size_t i = 0; i < nb; i++)
				out[r0 + i] = acc[i];
		}
		free(buf);
	}
}

/*
 * kernels.c — predicated block kernels over the padded complete trees of
 * internal.h (VPred: Asadi, Lin, de Vries, TKDE 2014; shared/MODELS.md
 * 4-5).
 *
 * Every row takes exactly `depth` steps per tree, i = 2i + (go right),
 * with go right = !(x < t), which sends NaN right, corrected to left where
 * the node's default is left (only in blocks that have a NaN at all). The
 * leaf value of each tree is added to the row's float32 accumulator in tree
 * order, which is XGBoost's sum bit for bit.
 *
 * The AVX-512 kernel keeps 3 x 16 rows in flight (measured: 1 x 16 runs
 * at half the speed of 3 x 16, 4 x 16 no faster) and gathers little: node
 * fields of a level with at most 16 nodes are one register and a lookup is
 * a permute (levels 0-3 share the first 16 heap slots), 32 nodes a
 * two-register permute, 64 two of those and a blend, deeper levels a
 * gather. Feature values come from the block transposed per 16 rows: at
 * levels 0-3 a group's lanes sit on at most 8 nodes, so their features are
 * 8 plain loads and 7 blends; deeper levels gather. Compiled with a target
 * attribute and chosen at run time (__builtin_cpu_supports), so the
 * library still runs on any x86-64 (and builds elsewhere, scalar only).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/model/internal.h"

/* The portable kernel: 16 rows, one tree at a time, branch-free steps. */
static inline __attribute__((always_inline)) void
kern_scalar(const pf_gbdt *m, const float *xb, size_t ld, int nan,
    float *acc)
{
	const pf_ctrees *ct = &m->ct;
	const int D = ct->depth;
	const size_t loff = D <= 3 ? 0 : (size_t)1 << D;
	uint32_t idx[PF_GBDT_LANES];

	for (int r = 0; r < PF_GBDT_LANES; r++)
		acc[r] = m->base;
	for (size_t t = 0; t < m->ntrees; t++) {
		const int32_t *F = ct->feat + t * ct->stride;
		const int32_t *DL = ct->dleft + t * ct->stride;
		const float *T = ct->thr + t * ct->stride;
		const float *L = ct->leaf + t * ct->stride;

		for (int r = 0; r < PF_GBDT_LANES; r++)
			idx[r] = 1;
		for (int l = 0; l < D; l++)
			for (int r = 0; r < PF_GBDT_LANES; r++) {
				uint32_t i = idx[r];
				float v = xb[(size_t)r * ld + (size_t)F[i]];
				uint32_t right = !(v < T[i]);
				if (nan)
					right &= !(isnan(v) && DL[i] != 0);
				idx[r] = 2 * i + right;
			}
		for (int r = 0; r < PF_GBDT_LANES; r++)
			acc[r] += L[idx[r] - loff];
	}
}

void
pf_gbdt__kern_scalar(const pf_gbdt *m, const float *xb, size_t ld, int nan,
    float *acc)
{
	if (nan)
		kern_scalar(m, xb, ld, 1, acc);
	else
		kern_scalar(m, xb, ld, 0, acc);
}

static int
any_nan_c(const float *xb, size_t ld, size_t rows, size_t nfeat)
{
	for (size_t r = 0; r < rows; r++) {
		const float *x = xb + r * ld;
		int any = 0;
		for (size_t j = 0; j < nfeat; j++)
			any |= x[j] != x[j];
		if (any)
			return 1;
	}
	return 0;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define AVX512	__attribute__((target("avx512f")))
#define AVX512I	__attribute__((target("avx512f"), always_inline))

int
pf_gbdt__have_avx512(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f");
}

/*
 * The entries of a level region for the heap indices in i: region a holds
 * the level's 2^l entries at a[i mod 2^l] (l <= 4: 16 entries, indexed by
 * the low 4 bits of i).
 */
static inline AVX512I __m512i
lut(const int32_t *a, __m512i i, int l)
{
	if (l <= 4)
		return _mm512_permutexvar_epi32(i, _mm512_load_si512(a));
	if (l == 5)
		return _mm512_permutex2var_epi32(_mm512_load_si512(a), i,
		    _mm512_load_si512(a + 16));
	if (l == 6) {
		__m512i lo = _mm512_permutex2var_epi32(_mm512_load_si512(a), i,
		    _mm512_load_si512(a + 16));
		__m512i hi = _mm512_permutex2var_epi32(_mm512_load_si512(a + 32),
		    i, _mm512_load_si512(a + 48));
		__mmask16 up = _mm512_test_epi32_mask(i, _mm512_set1_epi32(32));
		return _mm512_mask_blend_epi32(up, lo, hi);
	}
	return _mm512_i32gather_epi32(_mm512_and_si512(i,
	    _mm512_set1_epi32((1 << l) - 1)), a, 4);
}

/* Internal-node region of level l in a tree's heap array. */
static inline AVX512I const int32_t *
region(const int32_t *a, int l)
{
	return l <= 3 ? a : a + ((size_t)1 << l);
}

/*
 * 16 lanes x PF_GBDT_GROUPS groups over a transposed block: group g's
 * feature f for its 16 lanes is xt[(g * w + f) * 16 + lane]. Levels 0-3
 * need no gather: every lane of a group is at one of 1, 2, 4 or 8 nodes,
 * whose feature vectors are plain loads, selected by the masks of the
 * comparisons above (r0 picks the half, r1 the quarter, r2 the eighth).
 */
static inline AVX512I void
kern_avx512(const pf_gbdt *m, const float *xt, size_t w, int nan,
    float *acc, const int D)
{
	const pf_ctrees *ct = &m->ct;
	const __m512i one = _mm512_set1_epi32(1);
	const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12, 13, 14, 15);
	const float *xg[PF_GBDT_GROUPS];
	__m512 a[PF_GBDT_GROUPS];

	for (int g = 0; g < PF_GBDT_GROUPS; g++) {
		xg[g] = xt + (size_t)g * w * 16;
		a[g] = _mm512_set1_ps(m->base);
	}
	for (size_t t = 0; t < m->ntrees; t++) {
		const int32_t *F = ct->feat + t * ct->stride;
		const int32_t *T = (const int32_t *)(const void *)(ct->thr +
		    t * ct->stride);
		const int32_t *DL = ct->dleft + t * ct->stride;
		const int32_t *L = (const int32_t *)(const void *)(ct->leaf +
		    t * ct->stride);
		__m512i i[PF_GBDT_GROUPS];
		__mmask16 r0[PF_GBDT_GROUPS], r1[PF_GBDT_GROUPS];
		__mmask16 r2[PF_GBDT_GROUPS];

		for (int g = 0; g < PF_GBDT_GROUPS; g++)
			i[g] = one;
#pragma GCC unroll 8
		for (int l = 0; l < D; l++) {
			const int32_t *Fl = region(F, l), *Tl = region(T, l);
#pragma GCC unroll 4
			for (int g = 0; g < PF_GBDT_GROUPS; g++) {
				__m512 x;
				if (l == 0) {
					x = _mm512_load_ps(xg[g] + (size_t)F[1] * 16);
				} else if (l == 1) {
					x = _mm512_mask_blend_ps(r0[g],
					    _mm512_load_ps(xg[g] + (size_t)F[2] * 16),
					    _mm512_load_ps(xg[g] + (size_t)F[3] * 16));
				} else if (l == 2) {
					__m512 lo = _mm512_mask_blend_ps(r1[g],
					    _mm512_load_ps(xg[g] + (size_t)F[4] * 16),
					    _mm512_load_ps(xg[g] + (size_t)F[5] * 16));
					__m512 hi = _mm512_mask_blend_ps(r1[g],
					    _mm512_load_ps(xg[g] + (size_t)F[6] * 16),
					    _mm512_load_ps(xg[g] + (size_t)F[7] * 16));
					x = _mm512_mask_blend_ps(r0[g], lo, hi);
				} else if (l == 3) {
					__m512 v[8];
					for (int k = 0; k < 8; k++)
						v[k] = _mm512_load_ps(xg[g] +
						    (size_t)F[8 + k] * 16);
					for (int k = 0; k < 4; k++)
						v[k] = _mm512_mask_blend_ps(r2[g],
						    v[2 * k], v[2 * k + 1]);
					for (int k = 0; k < 2; k++)
						v[k] = _mm512_mask_blend_ps(r1[g],
						    v[2 * k], v[2 * k + 1]);
					x = _mm512_mask_blend_ps(r0[g], v[0], v[1]);
				} else {
					__m512i f = lut(Fl, i[g], l);
					x = _mm512_i32gather_ps(_mm512_add_epi32(
					    _mm512_slli_epi32(f, 4), lane), xg[g], 4);
				}
				__m512 th = _mm512_castsi512_ps(lut(Tl, i[g], l));
				__mmask16 r = _mm512_cmp_ps_mask(x, th,
				    _CMP_NLT_UQ);
				if (nan) {
					__mmask16 nm = _mm512_cmp_ps_mask(x, x,
					    _CMP_UNORD_Q);
					__m512i dl = lut(region(DL, l), i[g], l);
					__mmask16 left = _mm512_test_epi32_mask(
					    dl, dl);
					r = (__mmask16)(r & ~(nm & left));
				}
				if (l == 0)
					r0[g] = r;
				else if (l == 1)
					r1[g] = r;
				else if (l == 2)
					r2[g] = r;
				__m512i i2 = _mm512_add_epi32(i[g], i[g]);
				i[g] = _mm512_mask_add_epi32(i2, r, i2, one);
			}
		}
		for (int g = 0; g < PF_GBDT_GROUPS; g++)
			a[g] = _mm512_add_ps(a[g],
			    _mm512_castsi512_ps(lut(L, i[g], D)));
	}
	for (int g = 0; g < PF_GBDT_GROUPS; g++)
		_mm512_storeu_ps(acc + 16 * g, a[g]);
}

#define KERN_CASE(d)							\
	case d:								\
		if (nan)						\
			kern_avx512(m, xt, w, 1, acc, d);		\
		else							\
			kern_avx512(m, xt, w, 0, acc, d);		\
		break

AVX512 void
pf_gbdt__kern_avx512(const pf_gbdt *m, const float *xt, size_t w, int nan,
    float *acc)
{
	switch (m->ct.depth) {
	KERN_CASE(0);
	KERN_CASE(1);
	KERN_CASE(2);
	KERN_CASE(3);
	KERN_CASE(4);
	KERN_CASE(5);
	KERN_CASE(6);
	KERN_CASE(7);
	KERN_CASE(8);
	KERN_CASE(9);
	KERN_CASE(10);
	KERN_CASE(11);
	KERN_CASE(12);
	default:	/* NOTREACHED: build_complete caps the depth */
		break;
	}
}

/*
 * The importance kernel (trees.h pf_gbdt_imp_score): the n rows of a
 * query transposed per group of 16 (row 16g + j's feature f is
 * xt[(g * w + f) * 16 + j], as the block kernel reads them), tree by tree,
 * every group of a tree in turn so that their walks overlap. A tree with
 * slot[t] == 0 adds the leaf kept in idx (one byte: the leaf's heap index);
 * the others are walked with model feature pf[k] read from pv + k * n16,
 * and their leaf goes to idx when slot is NULL (every tree walked). A group
 * none of whose lanes' new value leaves its kept path (tch: the bounds of
 * trees.c pf_gbdt_imp_touch) adds its kept leaves without a walk. Levels
 * 0-3 load the features as the block kernel does; below, a lane still on
 * its kept path at a node that tests no changed feature takes the kept
 * step, and only the other lanes gather.
 */
static inline AVX512I const float *
imp_col(const float *xg, int32_t f, const uint32_t *pf, const float *pv,
    size_t np, size_t n16)
{
	for (size_t k = 0; k < np; k++)
		if (pf[k] == (uint32_t)f)
			return pv + k * n16;
	return xg + (size_t)f * 16;
}

/*
 * A group with at most this many lanes off their kept path walks those
 * lanes one by one, from the first level that tests a changed feature,
 * instead of the whole group from the root.
 */
#define IMP_SCALAR_LANES	2

/*
 * The lanes in bad of one group of tree t: each walked in scalar code from
 * level fl[its kept leaf] (trees.c pf_gbdt_imp_touch; above it the path is
 * the kept one) with the kernel's comparisons, the other lanes' kept
 * leaves, added to acc[0..16): the same values as the vector walk.
 */
static inline AVX512I void
imp_lanes(const pf_ctrees *ct, size_t t, const int D, int nan, unsigned bad,
    __m512i kept, const int32_t *fl, const float *xg, const float *pg,
    const uint32_t *pf, size_t np, size_t n16, float *acc)
{
	const int32_t *F = ct->feat + t * ct->stride;
	const float *TH = ct->thr + t * ct->stride;
	const int32_t *DL = ct->dleft + t * ct->stride;
	const float *L = ct->leaf + t * ct->stride;
	const uint32_t lmask = D <= 3 ? 15u : (1u << D) - 1;
	int32_t kp[16];
	float lv[16];

	_mm512_storeu_si512(kp, kept);
	_mm512_storeu_ps(lv, _mm512_castsi512_ps(lut((const int32_t *)(const
	    void *)L, kept, D)));
	for (; bad != 0; bad &= bad - 1) {
		unsigned j = (unsigned)__builtin_ctz(bad);
		uint32_t k = (uint32_t)kp[j];
		int l0 = fl[k & lmask];
		uint32_t i = k >> (D - l0);
		for (int l = l0; l < D; l++) {
			int32_t f = F[i];
			float v = xg[(size_t)f * 16 + j];
			for (size_t c = 0; c < np; c++)
				if (pf[c] == (uint32_t)f)
					v = pg[c * n16 + j];
			int right = !(v < TH[i]);
			if (nan && v != v && DL[i] != 0)
				right = 0;
			i = 2 * i + (uint32_t)right;
		}
		lv[j] = L[i & lmask];
	}
	_mm512_storeu_ps(acc, _mm512_add_ps(_mm512_loadu_ps(acc),
	    _mm512_loadu_ps(lv)));
}

static inline AVX512I void
kern_imp(const pf_gbdt *m, const float *xt, size_t w, size_t n, int nan,
    const uint32_t *slot, const int32_t *tch, uint8_t *idx,
    const uint32_t *pf, const float *pv, size_t np, float *acc, const int D)
{
	const pf_ctrees *ct = &m->ct;
	const __m512i one = _mm512_set1_epi32(1);
	const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12, 13, 14, 15);
	size_t G = (n + 15) / 16, n16 = G * 16;

	for (size_t g = 0; g < G; g++)
		_mm512_storeu_ps(acc + 16 * g, _mm512_set1_ps(m->base));
	for (size_t t = 0; t < m->ntrees; t++) {
		const int32_t *F = ct->feat + t * ct->stride;
		const int32_t *T = (const int32_t *)(const void *)(ct->thr +
		    t * ct->stride);
		const int32_t *DL = ct->dleft + t * ct->stride;
		const int32_t *L = (const int32_t *)(const void *)(ct->leaf +
		    t * ct->stride);
		uint8_t *it = idx + t * n16;

		if (slot != NULL && slot[t] == 0) {
			for (size_t g = 0; g < G; g++) {
				__m512i i = _mm512_cvtepu8_epi32(_mm_loadu_si128(
				    (const __m128i *)(const void *)(it + 16 * g)));
				__m512 a = _mm512_loadu_ps(acc + 16 * g);
				_mm512_storeu_ps(acc + 16 * g, _mm512_add_ps(a,
				    _mm512_castsi512_ps(lut(L, i, D))));
			}
			continue;
		}
		for (size_t g = 0; g < G; g++) {
			const float *xg = xt + g * w * 16, *pg = pv + 16 * g;
			__m512i i = one, kept = one;
			__mmask16 r0 = 0, r1 = 0, r2 = 0;
			if (slot != NULL) {
				kept = _mm512_cvtepu8_epi32(_mm_loadu_si128(
				    (const __m128i *)(const void *)(it + 16 * g)));
				/* every lane's new value keeps its path */
				const int32_t *tc = tch + (slot[t] - 1) * 4 *
				    ct->stride;
				__m512 v0 = np ? _mm512_loadu_ps(pg) :
				    _mm512_setzero_ps();
				__mmask16 ok = (__mmask16)(_mm512_cmp_ps_mask(v0,
				    _mm512_castsi512_ps(lut(tc, kept, D)),
				    _CMP_GE_OQ) & _mm512_cmp_ps_mask(v0,
				    _mm512_castsi512_ps(lut(tc + ct->stride, kept,
				    D)), _CMP_NGE_UQ));
				if (nan) {
					__m512i nk = lut(tc + 2 * ct->stride,
					    kept, D);
					ok |= (__mmask16)(_mm512_cmp_ps_mask(v0, v0,
					    _CMP_UNORD_Q) &
					    _mm512_test_epi32_mask(nk, nk));
				}
				/* lanes past n are padding: never walked */
				unsigned bad = (unsigned)(__mmask16)~ok & (n - 16 * g
				    >= 16 ? 0xFFFFu : (1u << (n - 16 * g)) - 1);
				if (bad == 0) {
					__m512 a = _mm512_loadu_ps(acc + 16 * g);
					_mm512_storeu_ps(acc + 16 * g,
					    _mm512_add_ps(a, _mm512_castsi512_ps(
					    lut(L, kept, D))));
					continue;
				}
				if (__builtin_popcount(bad) <= IMP_SCALAR_LANES) {
					imp_lanes(ct, t, D, nan, bad, kept, tc + 3 *
					    ct->stride, xg, pg, pf, np, n16,
					    acc + 16 * g);
					continue;
				}
			}
#pragma GCC unroll 8
			for (int l = 0; l < D; l++) {
				__mmask16 keep = 0;
				__m512 v;
#define IMP_LD(h)	_mm512_loadu_ps(imp_col(xg, F[h], pf, pg, np, n16))
				if (l == 0) {
					v = IMP_LD(1);
				} else if (l == 1) {
					v = _mm512_mask_blend_ps(r0, IMP_LD(2),
					    IMP_LD(3));
				} else if (l == 2) {
					__m512 lo = _mm512_mask_blend_ps(r1,
					    IMP_LD(4), IMP_LD(5));
					__m512 hi = _mm512_mask_blend_ps(r1,
					    IMP_LD(6), IMP_LD(7));
					v = _mm512_mask_blend_ps(r0, lo, hi);
				} else if (l == 3) {
					__m512 u[8];
					for (int k = 0; k < 8; k++)
						u[k] = IMP_LD(8 + k);
					for (int k = 0; k < 4; k++)
						u[k] = _mm512_mask_blend_ps(r2,
						    u[2 * k], u[2 * k + 1]);
					for (int k = 0; k < 2; k++)
						u[k] = _mm512_mask_blend_ps(r1,
						    u[2 * k], u[2 * k + 1]);
					v = _mm512_mask_blend_ps(r0, u[0], u[1]);
				} else {
					__m512i f = lut(region(F, l), i, l);
					__mmask16 pat = 0;
					v = _mm512_setzero_ps();
					for (size_t k = 0; k < np; k++) {
						__mmask16 e =
						    _mm512_cmpeq_epi32_mask(f,
						    _mm512_set1_epi32((int)pf[k]));
						v = _mm512_mask_loadu_ps(v, e,
						    pg + k * n16);
						pat |= e;
					}
					if (slot != NULL)
						keep = (__mmask16)(
						    _mm512_cmpeq_epi32_mask(i,
						    _mm512_srli_epi32(kept,
						    (unsigned)(D - l))) & ~pat);
					__mmask16 rd = (__mmask16)(~(keep | pat));
					if (rd)
						v = _mm512_mask_i32gather_ps(v, rd,
						    _mm512_add_epi32(
						    _mm512_slli_epi32(f, 4), lane),
						    xg, 4);
				}
#undef IMP_LD
				__m512 th = _mm512_castsi512_ps(lut(region(T, l),
				    i, l));
				__mmask16 r = _mm512_cmp_ps_mask(v, th,
				    _CMP_NLT_UQ);
				if (nan) {
					__mmask16 nm = _mm512_cmp_ps_mask(v, v,
					    _CMP_UNORD_Q);
					__m512i dl = lut(region(DL, l), i, l);
					r = (__mmask16)(r & ~(nm &
					    _mm512_test_epi32_mask(dl, dl)));
				}
				if (keep)
					r = (__mmask16)((r & ~keep) | (keep &
					    _mm512_test_epi32_mask(kept,
					    _mm512_set1_epi32(1 << (D - 1 - l)))));
				if (l == 0)
					r0 = r;
				else if (l == 1)
					r1 = r;
				else if (l == 2)
					r2 = r;
				__m512i i2 = _mm512_add_epi32(i, i);
				i = _mm512_mask_add_epi32(i2, r, i2, one);
			}
			if (slot == NULL)
				_mm_storeu_si128((__m128i *)(void *)(it + 16 * g),
				    _mm512_cvtepi32_epi8(i));
			__m512 a = _mm512_loadu_ps(acc + 16 * g);
			_mm512_storeu_ps(acc + 16 * g, _mm512_add_ps(a,
			    _mm512_castsi512_ps(lut(L, i, D))));
		}
	}
}

#define IMP_CASE(d)							\
	case d:								\
		if (nan)						\
			kern_imp(m, xt, w, n, 1, slot, tch, idx, pf, pv,	\
			    np, acc, d);				\
		else							\
			kern_imp(m, xt, w, n, 0, slot, tch, idx, pf, pv,	\
			    np, acc, d);				\
		break

AVX512 void
pf_gbdt__kern_imp(const pf_gbdt *m, const float *xt, size_t w, size_t n,
    int nan, const uint32_t *slot, const int32_t *tch, uint8_t *idx,
    const uint32_t *pf, const float *pv, size_t np, float *acc)
{
	switch (m->ct.depth) {
	IMP_CASE(0);
	IMP_CASE(1);
	IMP_CASE(2);
	IMP_CASE(3);
	IMP_CASE(4);
	IMP_CASE(5);
	IMP_CASE(6);
	IMP_CASE(7);
	default:	/* NOTREACHED: pf_gbdt_imp_ok caps the depth */
		break;
	}
}

int
pf_gbdt__any_nan(const float *xb, size_t ld, size_t rows, size_t nfeat)
{
	return any_nan_c(xb, ld, rows, nfeat);
}

#else	/* not x86-64 GCC/Clang: the portable kernel only */

int
pf_gbdt__have_avx512(void)
{
	return 0;
}

void
pf_gbdt__kern_avx512(const pf_gbdt *m, const float *xt, size_t w, int nan,
    float *acc)
{
	/* NOTREACHED: choose_path never picks it without AVX-512. */
	(void)m, (void)xt, (void)w, (void)nan, (void)acc;
}

void
pf_gbdt__kern_imp(const pf_gbdt *m, const float *xt, size_t w, size_t n,
    int nan, const uint32_t *slot, const int32_t *tch, uint8_t *idx,
    const uint32_t *pf, const float *pv, size_t np, float *acc)
{
	/* NOTREACHED: pf_gbdt_imp_ok is 0 without AVX-512. */
	(void)m, (void)xt, (void)w, (void)n, (void)nan, (void)slot, (void)tch;
	(void)idx;
	(void)pf, (void)pv, (void)np, (void)acc;
}

int
pf_gbdt__any_nan(const float *xb, size_t ld, size_t rows, size_t nfeat)
{
	return any_nan_c(xb, ld, rows, nfeat);
}
#endif

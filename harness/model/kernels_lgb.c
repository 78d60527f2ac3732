/*
 * kernels_lgb.c — the AVX-512 kernel of the compiled LightGBM trees
 * (internal.h pf_ltrees, lgb_fast.c): 3 groups of 16 rows in flight per
 * tree, as kernels.c does for XGBoost.
 *
 * A step at slot i: th = thr[i], go right = !(x <= th) (a NaN goes right,
 * corrected to left where flag has PF_LF_NANL), then the Zero missing
 * type and categorical bitsets where the model has them; i becomes the
 * chosen half of kids[i]. Slot fields of trees of at most 64 slots (32
 * leaves) are looked up by two two-register permutes and a blend, larger
 * trees by gathers. At levels 0-3 a row's node depends only on its turns
 * so far, so its feature value is one of at most 8 plain loads, selected
 * by the earlier comparisons; deeper levels gather. A step a float32 key
 * cannot decide (lgb_fast.c) is decided on the row's double, lane by lane.
 * The leaves' doubles are added per row in tree order from 0.0: the node
 * walk's sum.
 */
#include <stddef.h>
#include <stdint.h>

#include "harness/model/internal.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define AVX512	__attribute__((target("avx512f")))
#define AVX512I	__attribute__((target("avx512f"), always_inline))

/* Slot fields for the 16 slots in i: 64-slot trees in registers. */
static inline AVX512I __m512i
lut(const int32_t *a, __m512i i, const int GA)
{
	if (!GA) {
		__m512i lo = _mm512_permutex2var_epi32(_mm512_load_si512(a), i,
		    _mm512_load_si512(a + 16));
		__m512i hi = _mm512_permutex2var_epi32(_mm512_load_si512(a + 32),
		    i, _mm512_load_si512(a + 48));
		return _mm512_mask_blend_epi32(_mm512_test_epi32_mask(i,
		    _mm512_set1_epi32(32)), lo, hi);
	}
	return _mm512_i32gather_epi32(i, a, 4);
}

/* The lanes in fm decided on their doubles; r: go right. */
static __attribute__((noinline)) unsigned
fixup(const pf_gbdt *m, size_t t, const int32_t *slot, unsigned fm,
    unsigned r, const double *const *rows, size_t ncols)
{
	for (; fm != 0; fm &= fm - 1) {
		unsigned j = (unsigned)__builtin_ctz(fm);
		const pf_lnode *p = m->ln + m->toff[t] + (size_t)slot[j];
		double v = p->feat < ncols ? rows[j][p->feat] : 0.0;
		if (pf_lgb__decide(p, v, m->cbits))
			r &= ~(1u << j);
		else
			r |= 1u << j;
	}
	return r;
}

typedef struct tptr {
	const int32_t	*T, *C, *K, *CO, *CN;
} tptr;

/* One step of 16 rows at slots *i with keys x; returns go right. */
static inline AVX512I __mmask16
step(const pf_gbdt *m, size_t t, const tptr *p, __m512i *i, __m512 x,
    const double *const *rows, size_t ncols, const int GA, const int NANF,
    const int FIX, const int SPEC)
{
	__m512 th = _mm512_castsi512_ps(lut(p->T, *i, GA));
	__mmask16 r = _mm512_cmp_ps_mask(x, th, _CMP_NLE_UQ), fm = 0;

	if (NANF || SPEC) {
		__m512i k = lut(p->K, *i, GA);
		if (NANF) {
			__mmask16 nm = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
			r = (__mmask16)(r & ~(nm & _mm512_test_epi32_mask(k,
			    _mm512_set1_epi32(PF_LF_NANL))));
		}
		if (SPEC) {
			__mmask16 zm = (__mmask16)(_mm512_cmp_ps_mask(
			    _mm512_abs_ps(x), _mm512_set1_ps(1e-35f), _CMP_LE_OQ) &
			    _mm512_test_epi32_mask(k, _mm512_set1_epi32(
			    PF_LF_ZERO)));
			__mmask16 dl = _mm512_test_epi32_mask(k,
			    _mm512_set1_epi32(PF_LF_DL));
			r = (__mmask16)((r & ~zm) | (zm & ~dl));
			if (FIX)
				fm |= (__mmask16)(zm & _mm512_cmp_ps_mask(x,
				    _mm512_set1_ps(1e-35f), _CMP_EQ_OQ));
			__mmask16 cm = _mm512_test_epi32_mask(k,
			    _mm512_set1_epi32(PF_LF_CAT));
			if (cm) {
				__mmask16 ok = (__mmask16)(cm &
				    _mm512_cmp_ps_mask(x, _mm512_set1_ps(-1.0f),
				    _CMP_GT_OQ) & _mm512_cmp_ps_mask(x,
				    _mm512_set1_ps(2147483648.0f), _CMP_LT_OQ));
				__m512i c = _mm512_maskz_cvttps_epi32(ok, x);
				__m512i w = _mm512_srli_epi32(c, 5);
				ok &= _mm512_cmplt_epu32_mask(w, lut(p->CN, *i,
				    GA));
				__m512i word = _mm512_mask_i32gather_epi32(
				    _mm512_setzero_si512(), ok, _mm512_add_epi32(
				    lut(p->CO, *i, GA), w), (const void *)m->cbits,
				    4);
				__mmask16 bit = _mm512_test_epi32_mask(
				    _mm512_srlv_epi32(word, _mm512_and_si512(c,
				    _mm512_set1_epi32(31))), _mm512_set1_epi32(1));
				r = (__mmask16)((r & ~cm) | (cm & ~(ok & bit)));
				if (FIX)
					fm |= (__mmask16)(cm & _mm512_cmp_ps_mask(x,
					    _mm512_set1_ps(16777216.0f),
					    _CMP_GE_OQ));
			}
		}
	}
	if (FIX) {
		fm |= _mm512_cmp_ps_mask(x, th, _CMP_EQ_OQ);
		if (fm) {
			int32_t slot[16];
			_mm512_storeu_si512(slot, *i);
			r = (__mmask16)fixup(m, t, slot, fm, r, rows, ncols);
		}
	}
	__m512i c = lut(p->C, *i, GA);
	*i = _mm512_mask_blend_epi32(r, _mm512_and_si512(c,
	    _mm512_set1_epi32(0xFFFF)), _mm512_srli_epi32(c, 16));
	return r;
}

static inline AVX512I __m512
col(const float *xg, const int32_t *TF, int h)
{
	return _mm512_load_ps(xg + (size_t)TF[h] * 16);
}

static inline AVX512I void
kern(const pf_gbdt *m, const float *xt, size_t w, const double *const *rows,
    size_t ncols, double *acc, const int GA, const int NANF, const int FIX,
    const int SPEC)
{
	const pf_ltrees *lt = &m->lt;
	const size_t S = lt->stride, P = S / 2;
	const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12, 13, 14, 15), Pv = _mm512_set1_epi32((int)P);
	__m512d a[PF_LGB_GROUPS][2];
	const float *xg[PF_LGB_GROUPS];
	const double *const *rg[PF_LGB_GROUPS];

	for (int g = 0; g < PF_LGB_GROUPS; g++) {
		a[g][0] = a[g][1] = _mm512_setzero_pd();
		xg[g] = xt + (size_t)g * w * 16;
		rg[g] = FIX ? rows + 16 * g : NULL;
	}
	for (size_t t = 0; t < m->ntrees; t++) {
		size_t b = t * S;
		tptr p = {(const int32_t *)(const void *)(lt->thr + b),
		    lt->kids + b, lt->flag + b, lt->coff ? lt->coff + b : NULL,
		    lt->cn ? lt->cn + b : NULL};
		const int32_t *F = lt->feat + b, *TF = lt->topf + t * 16;
		const double *LV = lt->leaf + t * P;
		const int D = lt->depth[t];
		__m512i i[PF_LGB_GROUPS];
		__mmask16 r0[PF_LGB_GROUPS], r1[PF_LGB_GROUPS];
		__mmask16 r2[PF_LGB_GROUPS];

		for (int g = 0; g < PF_LGB_GROUPS; g++)
			i[g] = _mm512_set1_epi32(lt->root[t]);
		for (int l = 0; l < D; l++) {
			__mmask16 act = 0;
#pragma GCC unroll 4
			for (int g = 0; g < PF_LGB_GROUPS; g++) {
				__m512 x;
				if (l == 0) {
					x = col(xg[g], TF, 1);
				} else if (l == 1) {
					x = _mm512_mask_blend_ps(r0[g],
					    col(xg[g], TF, 2), col(xg[g], TF, 3));
				} else if (l == 2) {
					__m512 lo = _mm512_mask_blend_ps(r1[g],
					    col(xg[g], TF, 4), col(xg[g], TF, 5));
					__m512 hi = _mm512_mask_blend_ps(r1[g],
					    col(xg[g], TF, 6), col(xg[g], TF, 7));
					x = _mm512_mask_blend_ps(r0[g], lo, hi);
				} else if (l == 3) {
					__m512 v[8];
					for (int k = 0; k < 8; k++)
						v[k] = col(xg[g], TF, 8 + k);
					for (int k = 0; k < 4; k++)
						v[k] = _mm512_mask_blend_ps(r2[g],
						    v[2 * k], v[2 * k + 1]);
					for (int k = 0; k < 2; k++)
						v[k] = _mm512_mask_blend_ps(r1[g],
						    v[2 * k], v[2 * k + 1]);
					x = _mm512_mask_blend_ps(r0[g], v[0], v[1]);
				} else {
					__m512i f = lut(F, i[g], GA);
					x = _mm512_i32gather_ps(_mm512_add_epi32(
					    _mm512_slli_epi32(f, 4), lane), xg[g], 4);
				}
				__mmask16 r = step(m, t, &p, &i[g], x, rg[g], ncols,
				    GA, NANF, FIX, SPEC);
				if (l == 0)
					r0[g] = r;
				else if (l == 1)
					r1[g] = r;
				else if (l == 2)
					r2[g] = r;
				act |= _mm512_cmplt_epi32_mask(i[g], Pv);
			}
			if (act == 0)
				break;
		}
		for (int g = 0; g < PF_LGB_GROUPS; g++) {
			__m512i li = _mm512_sub_epi32(i[g], Pv);
			a[g][0] = _mm512_add_pd(a[g][0], _mm512_i32gather_pd(
			    _mm512_castsi512_si256(li), LV, 8));
			a[g][1] = _mm512_add_pd(a[g][1], _mm512_i32gather_pd(
			    _mm512_extracti64x4_epi64(li, 1), LV, 8));
		}
	}
	for (int g = 0; g < PF_LGB_GROUPS; g++) {
		_mm512_storeu_pd(acc + 16 * g, a[g][0]);
		_mm512_storeu_pd(acc + 16 * g + 8, a[g][1]);
	}
}

#define K4(ga, nanf, fix, spec)						\
	case (ga) << 3 | (nanf) << 2 | (fix) << 1 | (spec):		\
		kern(m, xt, w, rows, ncols, acc, ga, nanf, fix, spec);	\
		break

AVX512 void
pf_lgb__kern_avx512(const pf_gbdt *m, const float *xt, size_t w, int nan,
    const double *const *rows, size_t ncols, double *acc)
{
	int ga = m->lt.stride > 64, fix = rows != NULL;

	switch (ga << 3 | (nan != 0) << 2 | fix << 1 | (m->lt.special != 0)) {
	K4(0, 0, 0, 0); K4(0, 0, 0, 1); K4(0, 0, 1, 0); K4(0, 0, 1, 1);
	K4(0, 1, 0, 0); K4(0, 1, 0, 1); K4(0, 1, 1, 0); K4(0, 1, 1, 1);
	K4(1, 0, 0, 0); K4(1, 0, 0, 1); K4(1, 0, 1, 0); K4(1, 0, 1, 1);
	K4(1, 1, 0, 0); K4(1, 1, 0, 1); K4(1, 1, 1, 0); K4(1, 1, 1, 1);
	default:
		break;
	}
}

/*
 * One row's float32 keys (lgb_fast.c fill_keys): nc doubles rounded
 * toward -inf by the conversion itself (the largest float32 not above
 * each: FLT_MAX for larger ones, -inf below -FLT_MAX, NaN stays NaN) to
 * dst[j * V]. Returns bit 0: a NaN, bit 1: a value that is not a float32.
 */
AVX512 int
pf_lgb__keys_avx512(const double *xr, size_t nc, float *dst, size_t V)
{
	__mmask8 nm = 0, im = 0;
	float tmp[8];
	size_t j = 0;

	for (; j < nc; j += 8) {
		__mmask8 k = (__mmask8)(nc - j >= 8 ? 0xFFu : (1u << (nc - j)) - 1);
		__m512d v = _mm512_maskz_loadu_pd(k, xr + j);
		__m256 f = _mm512_cvt_roundpd_ps(v, _MM_FROUND_TO_NEG_INF |
		    _MM_FROUND_NO_EXC);
		nm |= _mm512_cmp_pd_mask(v, v, _CMP_UNORD_Q);
		im |= _mm512_cmp_pd_mask(_mm512_cvtps_pd(f), v, _CMP_NEQ_OQ);
		_mm256_storeu_ps(tmp, f);
		for (size_t i = 0; i < 8 && j + i < nc; i++)
			dst[(j + i) * V] = tmp[i];
	}
	return (nm != 0) | (im != 0) << 1;
}

#else	/* not x86-64 GCC/Clang */

int
pf_lgb__keys_avx512(const double *xr, size_t nc, float *dst, size_t V)
{
	/* NOTREACHED: only the AVX-512 path calls it. */
	(void)xr, (void)nc, (void)dst, (void)V;
	return 0;
}

void
pf_lgb__kern_avx512(const pf_gbdt *m, const float *xt, size_t w, int nan,
    const double *const *rows, size_t ncols, double *acc)
{
	/* NOTREACHED: choose_path never picks it without AVX-512. */
	(void)m, (void)xt, (void)w, (void)nan, (void)rows, (void)ncols;
	(void)acc;
}
#endif

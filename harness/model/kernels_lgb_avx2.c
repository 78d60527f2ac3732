/*
 * kernels_lgb_avx2.c — the compiled LightGBM kernel of kernels_lgb.c
 * redone for AVX2 CPUs: 3 groups of 8 rows, the same steps (x <= th on
 * float32 keys, NaN and Zero missing types, categorical bitsets, the
 * undecided steps redone on the row's doubles), slot fields gathered
 * (eight 64-slot registers per field would not fit AVX2's sixteen), the
 * leaves' doubles added in tree order from 0.0: the same bits. Rows come
 * transposed per 8 (lgb_fast.c): row 8g + j's feature f is
 * xt[(g * w + f) * 8 + j].
 */
#include <stddef.h>
#include <stdint.h>

#include "harness/model/internal.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define AVX2	__attribute__((target("avx2")))
#define AVX2I	__attribute__((target("avx2"), always_inline))

/* The lanes in fm decided on their doubles; r: go right (bits). */
static __attribute__((noinline)) unsigned
fixup8(const pf_gbdt *m, size_t t, const int32_t *slot, unsigned fm,
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

static inline AVX2I __m256i
gat(const int32_t *a, __m256i i)
{
	return _mm256_i32gather_epi32(a, i, 4);
}

/* Lanes whose flag word has bit b set, as a vector mask. */
static inline AVX2I __m256i
has(__m256i k, int b)
{
	__m256i v = _mm256_set1_epi32(b);
	return _mm256_cmpeq_epi32(_mm256_and_si256(k, v), v);
}

typedef struct tptr8 {
	const int32_t	*T, *C, *K, *CO, *CN;
} tptr8;

/* One step of 8 rows at slots *i with keys x; returns go right (mask). */
static inline AVX2I __m256
step8(const pf_gbdt *m, size_t t, const tptr8 *p, __m256i *i, __m256 x,
    const double *const *rows, size_t ncols, const int NANF, const int FIX,
    const int SPEC)
{
	__m256 th = _mm256_castsi256_ps(gat(p->T, *i));
	__m256 r = _mm256_cmp_ps(x, th, _CMP_NLE_UQ), fm = _mm256_setzero_ps();

	if (NANF || SPEC) {
		__m256i k = gat(p->K, *i);
		if (NANF) {
			__m256 nm = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
			r = _mm256_andnot_ps(_mm256_and_ps(nm, _mm256_castsi256_ps(
			    has(k, PF_LF_NANL))), r);
		}
		if (SPEC) {
			__m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
			__m256 zm = _mm256_and_ps(_mm256_cmp_ps(ax,
			    _mm256_set1_ps(1e-35f), _CMP_LE_OQ),
			    _mm256_castsi256_ps(has(k, PF_LF_ZERO)));
			__m256 dl = _mm256_castsi256_ps(has(k, PF_LF_DL));
			r = _mm256_or_ps(_mm256_andnot_ps(zm, r),
			    _mm256_andnot_ps(dl, zm));
			if (FIX)
				fm = _mm256_or_ps(fm, _mm256_and_ps(zm,
				    _mm256_cmp_ps(x, _mm256_set1_ps(1e-35f),
				    _CMP_EQ_OQ)));
			__m256 cm = _mm256_castsi256_ps(has(k, PF_LF_CAT));
			if (_mm256_movemask_ps(cm)) {
				__m256 ok = _mm256_and_ps(cm, _mm256_and_ps(
				    _mm256_cmp_ps(x, _mm256_set1_ps(-1.0f),
				    _CMP_GT_OQ), _mm256_cmp_ps(x,
				    _mm256_set1_ps(2147483648.0f), _CMP_LT_OQ)));
				__m256i c = _mm256_and_si256(_mm256_cvttps_epi32(x),
				    _mm256_castps_si256(ok));
				__m256i w = _mm256_srli_epi32(c, 5);
				/* both below 2^27 where ok: a signed compare */
				ok = _mm256_and_ps(ok, _mm256_castsi256_ps(
				    _mm256_cmpgt_epi32(gat(p->CN, *i), w)));
				__m256i word = _mm256_mask_i32gather_epi32(
				    _mm256_setzero_si256(), (const int *)(const void *)
				    m->cbits, _mm256_add_epi32(gat(p->CO, *i), w),
				    _mm256_castps_si256(ok), 4);
				__m256i bit = _mm256_and_si256(_mm256_srlv_epi32(
				    word, _mm256_and_si256(c, _mm256_set1_epi32(31))),
				    _mm256_set1_epi32(1));
				__m256 left = _mm256_and_ps(ok, _mm256_castsi256_ps(
				    _mm256_cmpeq_epi32(bit, _mm256_set1_epi32(1))));
				r = _mm256_or_ps(_mm256_andnot_ps(cm, r),
				    _mm256_andnot_ps(left, cm));
				if (FIX)
					fm = _mm256_or_ps(fm, _mm256_and_ps(cm,
					    _mm256_cmp_ps(x, _mm256_set1_ps(
					    16777216.0f), _CMP_GE_OQ)));
			}
		}
	}
	if (FIX) {
		fm = _mm256_or_ps(fm, _mm256_cmp_ps(x, th, _CMP_EQ_OQ));
		unsigned fb = (unsigned)_mm256_movemask_ps(fm);
		if (fb) {
			int32_t slot[8];
			_mm256_storeu_si256((__m256i *)(void *)slot, *i);
			unsigned rb = fixup8(m, t, slot, fb,
			    (unsigned)_mm256_movemask_ps(r), rows, ncols);
			__m256i bits = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64,
			    128);
			r = _mm256_castsi256_ps(_mm256_cmpeq_epi32(
			    _mm256_and_si256(_mm256_set1_epi32((int)rb), bits),
			    bits));
		}
	}
	__m256i c = gat(p->C, *i);
	*i = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(
	    _mm256_and_si256(c, _mm256_set1_epi32(0xFFFF))),
	    _mm256_castsi256_ps(_mm256_srli_epi32(c, 16)), r));
	return r;
}

static inline AVX2I __m256
col8(const float *xg, const int32_t *TF, int h)
{
	return _mm256_load_ps(xg + (size_t)TF[h] * 8);
}

static inline AVX2I void
kern8(const pf_gbdt *m, const float *xt, size_t w, const double *const *rows,
    size_t ncols, double *acc, const int NANF, const int FIX, const int SPEC)
{
	const pf_ltrees *lt = &m->lt;
	const size_t S = lt->stride, P = S / 2;
	const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
	const __m256i Pv = _mm256_set1_epi32((int)P);
	__m256d a[PF_LGB_GROUPS8][2];
	const float *xg[PF_LGB_GROUPS8];
	const double *const *rg[PF_LGB_GROUPS8];

	for (int g = 0; g < PF_LGB_GROUPS8; g++) {
		a[g][0] = a[g][1] = _mm256_setzero_pd();
		xg[g] = xt + (size_t)g * w * 8;
		rg[g] = FIX ? rows + 8 * g : NULL;
	}
	for (size_t t = 0; t < m->ntrees; t++) {
		size_t b = t * S;
		tptr8 p = {(const int32_t *)(const void *)(lt->thr + b),
		    lt->kids + b, lt->flag + b, lt->coff ? lt->coff + b : NULL,
		    lt->cn ? lt->cn + b : NULL};
		const int32_t *F = lt->feat + b, *TF = lt->topf + t * 16;
		const double *LV = lt->leaf + t * P;
		const int D = lt->depth[t];
		__m256i i[PF_LGB_GROUPS8];
		__m256 r0[PF_LGB_GROUPS8], r1[PF_LGB_GROUPS8];

		for (int g = 0; g < PF_LGB_GROUPS8; g++)
			i[g] = _mm256_set1_epi32(lt->root[t]);
		for (int l = 0; l < D; l++) {
			int act = 0;
#pragma GCC unroll 4
			for (int g = 0; g < PF_LGB_GROUPS8; g++) {
				__m256 x;
				if (l == 0) {
					x = col8(xg[g], TF, 1);
				} else if (l == 1) {
					x = _mm256_blendv_ps(col8(xg[g], TF, 2),
					    col8(xg[g], TF, 3), r0[g]);
				} else if (l == 2) {
					__m256 lo = _mm256_blendv_ps(col8(xg[g], TF,
					    4), col8(xg[g], TF, 5), r1[g]);
					__m256 hi = _mm256_blendv_ps(col8(xg[g], TF,
					    6), col8(xg[g], TF, 7), r1[g]);
					x = _mm256_blendv_ps(lo, hi, r0[g]);
				} else {
					__m256i f = gat(F, i[g]);
					x = _mm256_i32gather_ps(xg[g], _mm256_add_epi32(
					    _mm256_slli_epi32(f, 3), lane), 4);
				}
				__m256 r = step8(m, t, &p, &i[g], x, rg[g], ncols,
				    NANF, FIX, SPEC);
				if (l == 0)
					r0[g] = r;
				else if (l == 1)
					r1[g] = r;
				act |= _mm256_movemask_ps(_mm256_castsi256_ps(
				    _mm256_cmpgt_epi32(Pv, i[g])));
			}
			if (act == 0)
				break;
		}
		for (int g = 0; g < PF_LGB_GROUPS8; g++) {
			__m256i li = _mm256_sub_epi32(i[g], Pv);
			a[g][0] = _mm256_add_pd(a[g][0], _mm256_i32gather_pd(LV,
			    _mm256_castsi256_si128(li), 8));
			a[g][1] = _mm256_add_pd(a[g][1], _mm256_i32gather_pd(LV,
			    _mm256_extracti128_si256(li, 1), 8));
		}
	}
	for (int g = 0; g < PF_LGB_GROUPS8; g++) {
		_mm256_storeu_pd(acc + 8 * g, a[g][0]);
		_mm256_storeu_pd(acc + 8 * g + 4, a[g][1]);
	}
}

#define K3(nanf, fix, spec)						\
	case (nanf) << 2 | (fix) << 1 | (spec):				\
		kern8(m, xt, w, rows, ncols, acc, nanf, fix, spec);	\
		break

AVX2 void
pf_lgb__kern_avx2(const pf_gbdt *m, const float *xt, size_t w, int nan,
    const double *const *rows, size_t ncols, double *acc)
{
	switch ((nan != 0) << 2 | (rows != NULL) << 1 |
	    (m->lt.special != 0)) {
	K3(0, 0, 0); K3(0, 0, 1); K3(0, 1, 0); K3(0, 1, 1);
	K3(1, 0, 0); K3(1, 0, 1); K3(1, 1, 0); K3(1, 1, 1);
	default:
		break;
	}
}

#else	/* not x86-64 GCC/Clang */

void
pf_lgb__kern_avx2(const pf_gbdt *m, const float *xt, size_t w, int nan,
    const double *const *rows, size_t ncols, double *acc)
{
	/* NOTREACHED: choose_path never picks it without AVX2. */
	(void)m, (void)xt, (void)w, (void)nan, (void)rows, (void)ncols;
	(void)acc;
}
#endif

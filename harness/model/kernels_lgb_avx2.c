/*
 * kernels_lgb_avx2.c — the compiled LightGBM kernel of kernels_lgb.c
 * redone for AVX2 CPUs: 3 groups of 8 rows, the same steps (x <= th on
 * float32 keys, NaN and Zero missing types, categorical bitsets, the
 * undecided steps redone on the row's doubles), the leaves' doubles
 * added in tree order from 0.0: the same bits. A step reads one 64-bit
 * record of the chosen child (its slot, feature and threshold: internal.h
 * krec) per row instead of the slot fields one by one (eight 64-slot
 * registers per field would not fit AVX2's sixteen); the first three
 * steps take theirs from the tree's heap entries by register permutes.
 * Every per-row lookup is scalar loads (gat), not vpgather. Rows come
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

/*
 * a[i_j] in lane j. Every "gather" of this kernel is 8 scalar loads: on
 * AMD Zen 4 vpgatherdd ymm takes longer than the 8 loads and inserts it
 * stands for (bench/RESULTS.md, LightGBM), and earlier Zen cores and
 * Intel cores under the Gather Data Sampling mitigation are slow at
 * gathers too.
 */
static inline AVX2I __m256i
gat(const int32_t *a, __m256i i)
{
	int32_t k[8];

	_mm256_storeu_si256((__m256i *)(void *)k, i);
	return _mm256_setr_epi32(a[k[0]], a[k[1]], a[k[2]], a[k[3]], a[k[4]],
	    a[k[5]], a[k[6]], a[k[7]]);
}

/* Lanes whose flag word has bit b set, as a vector mask. */
static inline AVX2I __m256i
has(__m256i k, int b)
{
	__m256i v = _mm256_set1_epi32(b);
	return _mm256_cmpeq_epi32(_mm256_and_si256(k, v), v);
}

typedef struct tptr8 {
	const int32_t	*K, *CO, *CN;
} tptr8;

/*
 * One step of 8 rows at slots i (thresholds th, flag words k where NANF
 * or SPEC) with keys x; returns go right (mask).
 */
static inline AVX2I __m256
step8(const pf_gbdt *m, size_t t, const tptr8 *p, __m256i i, __m256 th,
    __m256i k, __m256 x, const double *const *rows, size_t ncols,
    const int NANF, const int FIX, const int SPEC)
{
	__m256 r = _mm256_cmp_ps(x, th, _CMP_NLE_UQ), fm = _mm256_setzero_ps();

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
			    _mm256_cmpgt_epi32(gat(p->CN, i), w)));
			__m256i word = _mm256_mask_i32gather_epi32(
			    _mm256_setzero_si256(), (const int *)(const void *)
			    m->cbits, _mm256_add_epi32(gat(p->CO, i), w),
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
	if (FIX) {
		fm = _mm256_or_ps(fm, _mm256_cmp_ps(x, th, _CMP_EQ_OQ));
		unsigned fb = (unsigned)_mm256_movemask_ps(fm);
		if (fb) {
			int32_t slot[8];
			_mm256_storeu_si256((__m256i *)(void *)slot, i);
			unsigned rb = fixup8(m, t, slot, fb,
			    (unsigned)_mm256_movemask_ps(r), rows, ncols);
			__m256i bits = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64,
			    128);
			r = _mm256_castsi256_ps(_mm256_cmpeq_epi32(
			    _mm256_and_si256(_mm256_set1_epi32((int)rb), bits),
			    bits));
		}
	}
	return r;
}

static inline AVX2I __m256
col8(const float *xg, const int32_t *TF, int h)
{
	return _mm256_load_ps(xg + (size_t)TF[h] * 8);
}

/* Lane j of x = xg[f_j * 8 + j]: the rows' values of their features. */
static inline AVX2I __m256
colx(const float *xg, __m256i f)
{
	int32_t k[8];

	_mm256_storeu_si256((__m256i *)(void *)k, _mm256_slli_epi32(f, 3));
	return _mm256_setr_ps(xg[k[0]], xg[k[1] + 1], xg[k[2] + 2],
	    xg[k[3] + 3], xg[k[4] + 4], xg[k[5] + 5], xg[k[6] + 6],
	    xg[k[7] + 7]);
}

/*
 * The next slots, features and thresholds of 8 rows at slots *i that go
 * right where r: the chosen child's record (internal.h krec), one 64-bit
 * load per row. The records are paired in the lane order 0 1 4 5 |
 * 2 3 6 7 so that one shuffle per field puts them back.
 */
static inline AVX2I void
next8(const long long *R, __m256i *i, __m256i *f, __m256 *th, __m256 r)
{
	__m256i idx = _mm256_sub_epi32(_mm256_slli_epi32(*i, 1),
	    _mm256_castps_si256(r));
	int32_t k[8];
	_mm256_storeu_si256((__m256i *)(void *)k, idx);
	__m128i a = _mm_insert_epi64(_mm_cvtsi64_si128(R[k[0]]), R[k[1]], 1);
	__m128i b = _mm_insert_epi64(_mm_cvtsi64_si128(R[k[2]]), R[k[3]], 1);
	__m128i c = _mm_insert_epi64(_mm_cvtsi64_si128(R[k[4]]), R[k[5]], 1);
	__m128i d = _mm_insert_epi64(_mm_cvtsi64_si128(R[k[6]]), R[k[7]], 1);
	__m256 lo = _mm256_castsi256_ps(_mm256_set_m128i(c, a));
	__m256 hi = _mm256_castsi256_ps(_mm256_set_m128i(d, b));
	__m256i sf = _mm256_castps_si256(_mm256_shuffle_ps(lo, hi,
	    _MM_SHUFFLE(2, 0, 2, 0)));
	*th = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1));
	*i = _mm256_and_si256(sf, _mm256_set1_epi32(0xFFFF));
	*f = _mm256_srli_epi32(sf, 16);
}

/*
 * The rows' first three steps depend only on their turns: their heap
 * position h (1 at the root, 2h or 2h + 1 after a step) picks the slot,
 * threshold and flags from the tree's 16 heap entries (internal.h tops,
 * topt, topk) by register permutes and the feature values from plain
 * loads blended by the earlier turns; from the fourth step on, each
 * step's x is loaded lane by lane (colx) and its successor comes from
 * next8.
 */
static inline AVX2I void
kern8(const pf_gbdt *m, const float *xt, size_t w, const double *const *rows,
    size_t ncols, double *acc, const int NANF, const int FIX, const int SPEC)
{
	const pf_ltrees *lt = &m->lt;
	const size_t S = lt->stride, P = S / 2;
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
		tptr8 p = {lt->flag + b, lt->coff ? lt->coff + b : NULL,
		    lt->cn ? lt->cn + b : NULL};
		const long long *R = (const long long *)(const void *)
		    (lt->krec + 2 * b);
		const int32_t *TF = lt->topf + t * 16;
		const int32_t *HS = lt->tops + t * 16, *HK = lt->topk + t * 16;
		const float *HT = lt->topt + t * 16;
		const double *LV = lt->leaf + t * P;
		const int D = lt->depth[t];
		__m256i i[PF_LGB_GROUPS8], f[PF_LGB_GROUPS8];
		__m256i h[PF_LGB_GROUPS8];
		__m256 th[PF_LGB_GROUPS8];
		__m256 r0[PF_LGB_GROUPS8], r1[PF_LGB_GROUPS8];

		for (int g = 0; g < PF_LGB_GROUPS8; g++) {
			h[g] = _mm256_set1_epi32(1);
			i[g] = _mm256_set1_epi32(lt->root[t]);
			th[g] = _mm256_set1_ps(HT[1]);
			f[g] = _mm256_setzero_si256();
			r0[g] = r1[g] = _mm256_setzero_ps();
		}
		for (int l = 0; l < D; l++) {
			int act = 0;
#pragma GCC unroll 4
			for (int g = 0; g < PF_LGB_GROUPS8; g++) {
				__m256 x;
				__m256i k = _mm256_setzero_si256();
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
					x = colx(xg[g], f[g]);
				}
				if ((NANF || SPEC) && l < 4)
					k = _mm256_permutevar8x32_epi32(
					    _mm256_load_si256((const __m256i *)
					    (const void *)(HK + (l < 3 ? 0 : 8))),
					    h[g]);
				else if (NANF || SPEC)
					k = gat(p.K, i[g]);
				__m256 r = step8(m, t, &p, i[g], th[g], k, x, rg[g],
				    ncols, NANF, FIX, SPEC);
				if (l == 0)
					r0[g] = r;
				else if (l == 1)
					r1[g] = r;
				if (l < 3) {
					/* h < 16 here: its low 3 bits index */
					const int o = l < 2 ? 0 : 8;
					h[g] = _mm256_sub_epi32(_mm256_slli_epi32(
					    h[g], 1), _mm256_castps_si256(r));
					i[g] = _mm256_permutevar8x32_epi32(
					    _mm256_load_si256((const __m256i *)
					    (const void *)(HS + o)), h[g]);
					th[g] = _mm256_permutevar8x32_ps(
					    _mm256_load_ps(HT + o), h[g]);
					if (l == 2)
						f[g] = _mm256_permutevar8x32_epi32(
						    _mm256_loadu_si256((const __m256i *)
						    (const void *)(TF + 8)), h[g]);
				} else {
					next8(R, &i[g], &f[g], &th[g], r);
				}
				act |= _mm256_movemask_ps(_mm256_castsi256_ps(
				    _mm256_cmpgt_epi32(Pv, i[g])));
			}
			if (act == 0)
				break;
		}
		for (int g = 0; g < PF_LGB_GROUPS8; g++) {
			__m256i li = _mm256_sub_epi32(i[g], Pv);
			int32_t k[8];
			_mm256_storeu_si256((__m256i *)(void *)k, li);
			a[g][0] = _mm256_add_pd(a[g][0], _mm256_setr_pd(LV[k[0]],
			    LV[k[1]], LV[k[2]], LV[k[3]]));
			a[g][1] = _mm256_add_pd(a[g][1], _mm256_setr_pd(LV[k[4]],
			    LV[k[5]], LV[k[6]], LV[k[7]]));
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

/* 4 doubles as the largest float32 not above each (lgb_fast.c
   round_down: NaN stays NaN); *nm, *im: NaN and not-a-float32 lanes. */
static inline AVX2I __m128
down4(__m256d v, __m256d *nm, __m256d *im)
{
	__m128 f = _mm256_cvtpd_ps(v);
	__m256d gt = _mm256_cmp_pd(_mm256_cvtps_pd(f), v, _CMP_GT_OQ);
	__m128i g = _mm_castps_si128(_mm_shuffle_ps(_mm256_castps256_ps128(
	    _mm256_castpd_ps(gt)), _mm256_extractf128_ps(_mm256_castpd_ps(gt),
	    1), _MM_SHUFFLE(2, 0, 2, 0)));
	__m128i u = _mm_castps_si128(f);
	/* one float32 step toward -inf: positive -1, negative (-0 too) +1 */
	u = _mm_sub_epi32(u, _mm_and_si128(g, _mm_or_si128(_mm_srai_epi32(u,
	    31), _mm_set1_epi32(1))));
	f = _mm_castsi128_ps(u);
	*nm = _mm256_or_pd(*nm, _mm256_cmp_pd(v, v, _CMP_UNORD_Q));
	*im = _mm256_or_pd(*im, _mm256_cmp_pd(_mm256_cvtps_pd(f), v,
	    _CMP_NEQ_OQ));
	return f;
}

/*
 * 8 rows' first nc doubles as float32 keys, transposed: row j's column c
 * at dst[c * 8 + j] (lgb_fast.c fill_keys). Returns bit 0: a NaN, bit 1:
 * a value that is not a float32.
 */
AVX2 int
pf_lgb__keys_avx2(const double *const *rows, size_t nc, float *dst)
{
	__m256d nm = _mm256_setzero_pd(), im = _mm256_setzero_pd();

	for (size_t c = 0; c < nc; c += 8) {
		size_t n = nc - c < 8 ? nc - c : 8;
		__m256i m0 = _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)n),
		    _mm256_setr_epi64x(0, 1, 2, 3));
		__m256i m1 = _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)n),
		    _mm256_setr_epi64x(4, 5, 6, 7));
		__m256 v[8], u[8];
		for (int j = 0; j < 8; j++) {
			const double *x = rows[j] + c;
			__m256d a = n == 8 ? _mm256_loadu_pd(x) :
			    _mm256_maskload_pd(x, m0);
			__m256d b = n == 8 ? _mm256_loadu_pd(x + 4) :
			    _mm256_maskload_pd(x + 4, m1);
			v[j] = _mm256_set_m128(down4(b, &nm, &im), down4(a, &nm,
			    &im));
		}
		/* the 8 x 8 transpose */
		for (int j = 0; j < 8; j += 2) {
			u[j] = _mm256_unpacklo_ps(v[j], v[j + 1]);
			u[j + 1] = _mm256_unpackhi_ps(v[j], v[j + 1]);
		}
		for (int j = 0; j < 8; j += 4)
			for (int k = 0; k < 2; k++) {
				v[j + 2 * k] = _mm256_shuffle_ps(u[j + k],
				    u[j + k + 2], _MM_SHUFFLE(1, 0, 1, 0));
				v[j + 2 * k + 1] = _mm256_shuffle_ps(u[j + k],
				    u[j + k + 2], _MM_SHUFFLE(3, 2, 3, 2));
			}
		for (int k = 0; k < 4; k++) {
			u[k] = _mm256_permute2f128_ps(v[k], v[k + 4], 0x20);
			u[k + 4] = _mm256_permute2f128_ps(v[k], v[k + 4], 0x31);
		}
		for (size_t k = 0; k < n; k++)
			_mm256_store_ps(dst + (c + k) * 8, u[k]);
	}
	return (_mm256_movemask_pd(nm) != 0) | (_mm256_movemask_pd(im) != 0)
	    << 1;
}

#else	/* not x86-64 GCC/Clang */

int
pf_lgb__keys_avx2(const double *const *rows, size_t nc, float *dst)
{
	/* NOTREACHED: only the AVX2 path calls it. */
	(void)rows, (void)nc, (void)dst;
	return 0;
}

void
pf_lgb__kern_avx2(const pf_gbdt *m, const float *xt, size_t w, int nan,
    const double *const *rows, size_t ncols, double *acc)
{
	/* NOTREACHED: choose_path never picks it without AVX2. */
	(void)m, (void)xt, (void)w, (void)nan, (void)rows, (void)ncols;
	(void)acc;
}
#endif

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
 * The AVX-512 kernel keeps 3 x 16 rows in flight and never gathers node
 * fields: a level with at most 16 nodes is one register and a lookup is a
 * permute (levels 0-3 share the first 16 heap slots), 32 nodes are a
 * two-register permute, 64 two of those and a blend; only deeper levels
 * and the feature values themselves are gathered. It is compiled with a
 * target attribute and chosen at run time (__builtin_cpu_supports), so
 * the library still runs on any x86-64 (and builds elsewhere, scalar only).
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

static inline AVX512I void
kern_avx512(const pf_gbdt *m, const float *xb, size_t ld, int nan,
    float *acc, const int D)
{
	const pf_ctrees *ct = &m->ct;
	const __m512i one = _mm512_set1_epi32(1);
	const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12, 13, 14, 15);
	__m512i off[PF_GBDT_GROUPS];
	__m512 a[PF_GBDT_GROUPS];

	for (int g = 0; g < PF_GBDT_GROUPS; g++) {
		off[g] = _mm512_mullo_epi32(_mm512_add_epi32(lane,
		    _mm512_set1_epi32(16 * g)), _mm512_set1_epi32((int)ld));
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

		for (int g = 0; g < PF_GBDT_GROUPS; g++)
			i[g] = one;
#pragma GCC unroll 8
		for (int l = 0; l < D; l++) {
			const int32_t *Fl = region(F, l), *Tl = region(T, l);
#pragma GCC unroll 4
			for (int g = 0; g < PF_GBDT_GROUPS; g++) {
				__m512i f = lut(Fl, i[g], l);
				__m512 th = _mm512_castsi512_ps(lut(Tl, i[g], l));
				__m512 x = _mm512_i32gather_ps(
				    _mm512_add_epi32(f, off[g]), xb, 4);
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
			kern_avx512(m, xb, ld, 1, acc, d);		\
		else							\
			kern_avx512(m, xb, ld, 0, acc, d);		\
		break

AVX512 void
pf_gbdt__kern_avx512(const pf_gbdt *m, const float *xb, size_t ld, int nan,
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
	default:	/* NOTREACHED: build_complete caps the depth */
		for (int g = 0; g < PF_GBDT_GROUPS; g++)
			pf_gbdt__kern_scalar(m, xb + (size_t)(16 * g) * ld, ld,
			    nan, acc + 16 * g);
	}
}

static AVX512 int
any_nan_avx512(const float *xb, size_t ld, size_t rows, size_t nfeat)
{
	for (size_t r = 0; r < rows; r++) {
		const float *x = xb + r * ld;
		__mmask16 any = 0;
		size_t j = 0;
		for (; j + 16 <= nfeat; j += 16) {
			__m512 v = _mm512_loadu_ps(x + j);
			any |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
		}
		if (j < nfeat) {
			__mmask16 k = (__mmask16)((1u << (nfeat - j)) - 1);
			__m512 v = _mm512_maskz_loadu_ps(k, x + j);
			any |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
		}
		if (any)
			return 1;
	}
	return 0;
}

int
pf_gbdt__any_nan(const float *xb, size_t ld, size_t rows, size_t nfeat,
    int avx512)
{
	if (avx512)
		return any_nan_avx512(xb, ld, rows, nfeat);
	return any_nan_c(xb, ld, rows, nfeat);
}

#else	/* not x86-64 GCC/Clang: the portable kernel only */

int
pf_gbdt__have_avx512(void)
{
	return 0;
}

void
pf_gbdt__kern_avx512(const pf_gbdt *m, const float *xb, size_t ld, int nan,
    float *acc)
{
	for (int g = 0; g < PF_GBDT_GROUPS; g++)
		pf_gbdt__kern_scalar(m, xb + (size_t)(16 * g) * ld, ld, nan,
		    acc + 16 * g);
}

int
pf_gbdt__any_nan(const float *xb, size_t ld, size_t rows, size_t nfeat,
    int avx512)
{
	(void)avx512;
	return any_nan_c(xb, ld, rows, nfeat);
}
#endif

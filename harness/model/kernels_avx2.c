/*
 * kernels_avx2.c — the AVX-512 kernel of kernels.c redone for AVX2 CPUs
 * (8 lanes, 16 vector registers, no mask registers): the same padded
 * complete trees, the same predicated step and float32 sums in tree order,
 * so the same bits. Rows come transposed per 8 (gbdt.c fill_transposed):
 * row 8g + j's feature f is xt[(g * w + f) * 8 + j].
 *
 * Node fields of a level with at most 8 nodes are one register and a
 * lookup is vpermd (levels 0-2 share the first 8 heap slots), 16 nodes two
 * of those and a blend, 32 nodes four and three blends, deeper levels a
 * gather; features at levels 0-2 are plain loads selected by the earlier
 * comparisons, deeper ones gathers. Compiled with a target attribute,
 * chosen at run time.
 */
#include <stddef.h>
#include <stdint.h>

#include "harness/model/internal.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define AVX2	__attribute__((target("avx2")))
#define AVX2I	__attribute__((target("avx2"), always_inline))

int
pf_gbdt__have_avx2(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}

/* Entries of a region of 16 entries for the indices i (mod 16). */
static inline AVX2I __m256i
lut16(const int32_t *a, __m256i i)
{
	__m256i lo = _mm256_permutevar8x32_epi32(_mm256_load_si256(
	    (const __m256i *)(const void *)a), i);
	__m256i hi = _mm256_permutevar8x32_epi32(_mm256_load_si256(
	    (const __m256i *)(const void *)(a + 8)), i);
	__m256i up = _mm256_cmpeq_epi32(_mm256_and_si256(i,
	    _mm256_set1_epi32(8)), _mm256_set1_epi32(8));
	return _mm256_blendv_epi8(lo, hi, up);
}

/*
 * Entries of a region of n = 2^k entries for the indices i (mod n). Not
 * recursive (32 is two lut16s): GCC refuses to inline an always_inline
 * function into itself, which it is asked to at -O0.
 */
static inline AVX2I __m256i
lut8(const int32_t *a, __m256i i, int n)
{
	if (n <= 8)
		return _mm256_permutevar8x32_epi32(_mm256_load_si256(
		    (const __m256i *)(const void *)a), i);
	if (n == 16)
		return lut16(a, i);
	if (n == 32) {
		__m256i lo = lut16(a, i), hi = lut16(a + 16, i);
		__m256i up = _mm256_cmpeq_epi32(_mm256_and_si256(i,
		    _mm256_set1_epi32(16)), _mm256_set1_epi32(16));
		return _mm256_blendv_epi8(lo, hi, up);
	}
	return _mm256_i32gather_epi32(a, _mm256_and_si256(i,
	    _mm256_set1_epi32(n - 1)), 4);
}

/* Internal nodes of level l: levels 0-2 share slots 0-7 (index i). */
static inline AVX2I __m256i
node(const int32_t *a, __m256i i, int l)
{
	return l <= 2 ? lut8(a, i, 8) : lut8(a + ((size_t)1 << l), i, 1 << l);
}

static inline AVX2I __m256
xload(const float *xg, int32_t f)
{
	return _mm256_load_ps(xg + (size_t)f * 8);
}

static inline AVX2I void
kern_avx2(const pf_gbdt *m, const float *xt, size_t w, int nan, float *acc,
    const int D)
{
	const pf_ctrees *ct = &m->ct;
	const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
	const float *xg[PF_GBDT_GROUPS8];
	__m256 a[PF_GBDT_GROUPS8];

	for (int g = 0; g < PF_GBDT_GROUPS8; g++) {
		xg[g] = xt + (size_t)g * w * 8;
		a[g] = _mm256_set1_ps(m->base);
	}
	for (size_t t = 0; t < m->ntrees; t++) {
		const int32_t *F = ct->feat + t * ct->stride;
		const int32_t *T = (const int32_t *)(const void *)(ct->thr +
		    t * ct->stride);
		const int32_t *DL = ct->dleft + t * ct->stride;
		const int32_t *L = (const int32_t *)(const void *)(ct->leaf +
		    t * ct->stride);
		__m256i i[PF_GBDT_GROUPS8];
		__m256 r0[PF_GBDT_GROUPS8], r1[PF_GBDT_GROUPS8];

		for (int g = 0; g < PF_GBDT_GROUPS8; g++)
			i[g] = _mm256_set1_epi32(1);
#pragma GCC unroll 8
		for (int l = 0; l < D; l++) {
#pragma GCC unroll 4
			for (int g = 0; g < PF_GBDT_GROUPS8; g++) {
				__m256 x;
				if (l == 0) {
					x = xload(xg[g], F[1]);
				} else if (l == 1) {
					x = _mm256_blendv_ps(xload(xg[g], F[2]),
					    xload(xg[g], F[3]), r0[g]);
				} else if (l == 2) {
					__m256 lo = _mm256_blendv_ps(xload(xg[g],
					    F[4]), xload(xg[g], F[5]), r1[g]);
					__m256 hi = _mm256_blendv_ps(xload(xg[g],
					    F[6]), xload(xg[g], F[7]), r1[g]);
					x = _mm256_blendv_ps(lo, hi, r0[g]);
				} else {
					__m256i f = node(F, i[g], l);
					x = _mm256_i32gather_ps(xg[g],
					    _mm256_add_epi32(_mm256_slli_epi32(f,
					    3), lane), 4);
				}
				__m256 th = _mm256_castsi256_ps(node(T, i[g], l));
				__m256 r = _mm256_cmp_ps(x, th, _CMP_NLT_UQ);
				if (nan) {
					__m256 nm = _mm256_cmp_ps(x, x,
					    _CMP_UNORD_Q);
					__m256 left = _mm256_castsi256_ps(
					    node(DL, i[g], l));
					r = _mm256_andnot_ps(_mm256_and_ps(nm,
					    left), r);
				}
				if (l == 0)
					r0[g] = r;
				else if (l == 1)
					r1[g] = r;
				/* i = 2i + 1 where r is all ones (-1). */
				i[g] = _mm256_sub_epi32(_mm256_add_epi32(i[g],
				    i[g]), _mm256_castps_si256(r));
			}
		}
		for (int g = 0; g < PF_GBDT_GROUPS8; g++) {
			/* Leaves: heap index for depth <= 2, then from 8
			   (depth 3) or the low depth bits (depth >= 4). */
			__m256i lv = D <= 2 ? lut8(L, i[g], 8) : D == 3 ?
			    lut8(L + 8, i[g], 8) : lut8(L, i[g], 1 << D);
			a[g] = _mm256_add_ps(a[g], _mm256_castsi256_ps(lv));
		}
	}
	for (int g = 0; g < PF_GBDT_GROUPS8; g++)
		_mm256_storeu_ps(acc + 8 * g, a[g]);
}

#define KERN_CASE(d)							\
	case d:								\
		if (nan)						\
			kern_avx2(m, xt, w, 1, acc, d);			\
		else							\
			kern_avx2(m, xt, w, 0, acc, d);			\
		break

AVX2 void
pf_gbdt__kern_avx2(const pf_gbdt *m, const float *xt, size_t w, int nan,
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

#else	/* not x86-64 GCC/Clang */

int
pf_gbdt__have_avx2(void)
{
	return 0;
}

void
pf_gbdt__kern_avx2(const pf_gbdt *m, const float *xt, size_t w, int nan,
    float *acc)
{
	/* NOTREACHED: choose_path never picks it without AVX2. */
	(void)m, (void)xt, (void)w, (void)nan, (void)acc;
}
#endif

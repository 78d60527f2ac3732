/*
 * metrics/featstats_corr.c — the rank correlation matrix of featstats.h.
 * For columns x, y over the rows where both are present (n of them):
 * rho = (Sxy - Sx Sy / n) / sqrt((Sxx - Sx^2 / n)(Syy - Sy^2 / n)). With
 * R the block's centred ranks (0 where missing) and M its presence mask,
 * Sxy = R'R, Sx(i | j) = (R'M)_ij, Sxx(i | j) = ((R.R)'M)_ij, n = (M'M)_ij.
 * A block without a missing value needs only R'R: M is all ones there.
 */
#include <math.h>

#include <cblas.h>

#include "metrics/featstats.h"

void
pf_fs_corr_block(double *acc, const float *rank, size_t nrows, size_t nf,
    size_t r0, size_t r1, const double *center, double *buf)
{
	size_t b = r1 - r0, ff = nf * nf;
	double *xy = acc, *sx = acc + ff, *sxx = acc + 2 * ff,
	    *cnt = acc + 3 * ff;
	double *r = buf, *r2 = buf + b * nf, *m = buf + 2 * b * nf;
	int missing = 0;

	if (b == 0)
		return;
	for (size_t f = 0; f < nf; f++) {
		const float *col = rank + f * nrows;
		for (size_t i = 0; i < b; i++) {
			float v = col[r0 + i];
			int ok = v == v;
			double c = ok ? (double)v - center[f] : 0.0;
			r[i * nf + f] = c;
			r2[i * nf + f] = c * c;
			m[i * nf + f] = ok;
			missing |= !ok;
		}
	}
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)nf, (int)b,
	    1.0, r, (int)nf, 1.0, xy, (int)nf);
	if (missing) {
		cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)nf,
		    (int)nf, (int)b, 1.0, r, (int)nf, m, (int)nf, 1.0, sx,
		    (int)nf);
		cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)nf,
		    (int)nf, (int)b, 1.0, r2, (int)nf, m, (int)nf, 1.0, sxx,
		    (int)nf);
		cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)nf,
		    (int)b, 1.0, m, (int)nf, 1.0, cnt, (int)nf);
		return;
	}
	for (size_t f = 0; f < nf; f++) {	/* M all ones */
		double s = 0.0, s2 = 0.0;
		for (size_t i = 0; i < b; i++) {
			s += r[i * nf + f];
			s2 += r2[i * nf + f];
		}
		for (size_t g = 0; g < nf; g++) {
			sx[f * nf + g] += s;
			sxx[f * nf + g] += s2;
			if (g >= f)
				cnt[f * nf + g] += (double)b;
		}
	}
}

void
pf_fs_corr_add(double *a, const double *b, size_t nf)
{
	for (size_t i = 0; i < PF_FS_CORR_ACC(nf); i++)
		a[i] += b[i];
}

void
pf_fs_corr_finish(double *rho, const double *acc, size_t nf)
{
	size_t ff = nf * nf;
	const double *xy = acc, *sx = acc + ff, *sxx = acc + 2 * ff,
	    *cnt = acc + 3 * ff;

	for (size_t i = 0; i < nf; i++) {
		rho[i * nf + i] = cnt[i * nf + i] >= 2 ? 1.0 : NAN;
		for (size_t j = i + 1; j < nf; j++) {
			double n = cnt[i * nf + j], a = sx[i * nf + j],
			    c = sx[j * nf + i];
			double vx = sxx[i * nf + j] - a * a / n;
			double vy = sxx[j * nf + i] - c * c / n;
			double cov = xy[i * nf + j] - a * c / n, v = NAN;
			/* a constant side: rounding leaves a tiny variance */
			if (n >= PF_FS_CORR_MIN && vx > 1e-9 * (sxx[i * nf + j] + 1.0) &&
			    vy > 1e-9 * (sxx[j * nf + i] + 1.0)) {
				v = cov / sqrt(vx * vy);
				v = v > 1.0 ? 1.0 : v < -1.0 ? -1.0 : v;
			}
			rho[i * nf + j] = rho[j * nf + i] = v;
		}
	}
}

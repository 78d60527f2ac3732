/*
 * metrics/featstats.c — see featstats.h: a column's summary, sorting a
 * column once (radix sort of value/row pairs: 1M rows in a few
 * milliseconds a pass, passes whose byte is constant skipped), average
 * ranks and the Spearman of two columns, correlation clusters. The KS
 * test is in featstats_ks.c, the correlation matrix in featstats_corr.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/drift.h"
#include "metrics/featstats.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
pf_fs_moments(const double *v, size_t n, double *mean, double *sd)
{
	double m = 0.0, m2 = 0.0;

	for (size_t i = 0; i < n; i++) {	/* Welford, in the order given */
		double d = v[i] - m;
		m += d / (double)(i + 1);
		m2 += d * (v[i] - m);
	}
	*mean = n > 0 ? m : NAN;
	*sd = n > 1 ? sqrt(m2 / (double)(n - 1)) : NAN;
}

double
pf_fs_quantile(const double *sorted, size_t n, double p)
{
	if (n == 0 || !(p >= 0.0 && p <= 1.0))
		return NAN;
	if (n == 1)
		return sorted[0];
	return pf_drift_quantile(sorted, n, p);
}

void
pf_fs_describe(pf_fs_col *out, const double *sorted, size_t n,
    uint64_t rows)
{
	out->rows = rows;
	out->missing = rows - n;
	out->zeros = out->distinct = 0;
	out->distinct_more = 0;
	out->min = out->max = NAN;
	for (size_t k = 0; k < PF_FS_NQUANT; k++)
		out->q[k] = NAN;
	if (n == 0)
		return;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	for (size_t i = 0; i < n; i++) {
		if (sorted[i] == 0.0)
			out->zeros++;
		if (i > 0 && sorted[i] == sorted[i - 1])
			continue;
		if (out->distinct == PF_FS_DISTINCT_MAX) {
			out->distinct_more = 1;
			continue;
		}
		out->distinct++;
	}
	for (size_t k = 0; k < PF_FS_NQUANT; k++)
		out->q[k] = pf_fs_quantile(sorted, n, (double)k /
		    (double)(PF_FS_NQUANT - 1));
}

void
pf_fs_summarize(pf_fs_col *out, double *v, size_t n, uint64_t rows)
{
	pf_fs_moments(v, n, &out->mean, &out->sd);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_double);
	pf_fs_describe(out, v, n, rows);
}

/* The IEEE bits of x mapped so unsigned order is numeric order (-0.0 and
   0.0 adjacent). */
pf_fs_pair
pf_fs_pair_of(double x, uint64_t row)
{
	pf_fs_pair p;
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	p.key = (u >> 63) ? ~u : u ^ ((uint64_t)1 << 63);
	p.row = row;
	return p;
}

double
pf_fs_pair_value(pf_fs_pair p)
{
	uint64_t u = (p.key >> 63) ? p.key ^ ((uint64_t)1 << 63) : ~p.key;
	double x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

pf_fs_pair *
pf_fs_sort(pf_fs_pair *p, size_t n, pf_fs_pair *tmp)
{
	size_t count[256];

	for (unsigned shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(p[i].key >> shift) & 0xff]++;
		if (n == 0 || count[(p[0].key >> shift) & 0xff] == n)
			continue;	/* one byte value: the pass is a no-op */
		size_t sum = 0;
		for (size_t b = 0; b < 256; b++) {
			size_t c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(p[i].key >> shift) & 0xff]++] = p[i];
		pf_fs_pair *t = p;
		p = tmp;
		tmp = t;
	}
	return p;
}

void
pf_fs_ranks(float *rank, size_t nrows, const pf_fs_pair *sorted, size_t n)
{
	for (size_t r = 0; r < nrows; r++)
		rank[r] = NAN;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && pf_fs_pair_value(sorted[j]) ==
		    pf_fs_pair_value(sorted[i]))
			j++;
		/* ranks i + 1 .. j share their mean */
		float rk = (float)(((double)i + 1.0 + (double)j) / 2.0);
		for (size_t k = i; k < j; k++)
			rank[sorted[k].row] = rk;
		i = j;
	}
}

double
pf_fs_rank_corr(const float *ra, const float *rb, size_t n)
{
	double ma = 0.0, mb = 0.0, sab = 0.0, saa = 0.0, sbb = 0.0;
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (ra[i] == ra[i] && rb[i] == rb[i]) {
			ma += ra[i];
			mb += rb[i];
			m++;
		}
	if (m < 2)
		return NAN;
	ma /= (double)m;
	mb /= (double)m;
	for (size_t i = 0; i < n; i++)
		if (ra[i] == ra[i] && rb[i] == rb[i]) {
			double a = ra[i] - ma, b = rb[i] - mb;
			sab += a * b;
			saa += a * a;
			sbb += b * b;
		}
	if (saa == 0.0 || sbb == 0.0)
		return NAN;
	return sab / sqrt(saa * sbb);
}

static size_t
find(size_t *root, size_t i)
{
	while (root[i] != i) {
		root[i] = root[root[i]];
		i = root[i];
	}
	return i;
}

size_t
pf_fs_clusters(int *cluster, const double *rho, size_t nf, double thr,
    size_t *root)
{
	size_t nc = 0;

	for (size_t i = 0; i < nf; i++)
		root[i] = i;
	for (size_t i = 0; i < nf; i++)
		for (size_t j = i + 1; j < nf; j++) {
			if (!(fabs(rho[i * nf + j]) >= thr))
				continue;
			size_t a = find(root, i), b = find(root, j);
			if (a != b)	/* the smaller index is the root */
				root[a > b ? a : b] = a < b ? a : b;
		}
	/* a component's root is its smallest member: count the members,
	   then number the roots of two or more in index order */
	for (size_t i = 0; i < nf; i++)
		cluster[i] = 0;
	for (size_t i = 0; i < nf; i++)
		cluster[find(root, i)]++;
	for (size_t i = 0; i < nf; i++)
		cluster[i] = root[i] == i && cluster[i] > 1 ? (int)nc++ : -1;
	for (size_t i = 0; i < nf; i++)
		if (root[i] != i)
			cluster[i] = cluster[find(root, i)];
	return nc;
}

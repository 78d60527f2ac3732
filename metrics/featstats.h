/*
 * metrics/featstats.h — statistics of feature columns (README "Know your
 * features"): the one module behind `preflight features stats|skew`, the
 * <features-report/> section and the history store's per-night feature
 * snapshot (harness/history/featstats.c), so all three print the same
 * numbers from the same sketch. Pure functions on arrays: a column is n
 * doubles with NaN for a missing value; callers pass every buffer (no
 * allocation here); thread-safe.
 *
 * Column summary (pf_fs_summarize): rows, missing (NaN), zeros (present
 * values equal to 0), over the present values the mean and the sample
 * standard deviation (n - 1; Welford's update in the order given, so a
 * caller that passes rows in file order gets the same bits on any thread
 * count), min, max, the distinct count (exact up to PF_FS_DISTINCT_MAX,
 * then "at least" that many) and the quantile sketch: PF_FS_NQUANT = 33
 * quantiles k/32, numpy's default "linear" interpolation between order
 * statistics (position (n - 1) p; pf_drift_quantile on the sorted values).
 * The sketch is what PSI reads (metrics/drift.h: the one PSI).
 *
 * Spearman: each column ranked over its present values (average ranks for
 * ties, 1-based), then Pearson's correlation of the ranks over the rows
 * where both are present. Without missing values this is exactly
 * Spearman's rho (scipy.stats.spearmanr); with them it is the pairwise
 * complete correlation of the columns' own ranks. Clusters: connected
 * components of the graph |rho| >= threshold (0.9 by default) — the groups
 * a permutation importance should permute jointly.
 *
 * Two-sample Kolmogorov-Smirnov: D = sup |F_a - F_b| over the two sorted
 * samples; p-value exact (the lattice-path probability, as
 * scipy.stats.ks_2samp(method="exact")) when na nb <= PF_FS_KS_EXACT and
 * a scratch buffer is given, else Smirnov's limit: Kolmogorov's Q at
 * sqrt(na nb / (na + nb)) D (scipy.special.kolmogorov). The exact form is
 * 1 - P(inside): below PF_FS_KS_FLOOR it is rounding, and the limit (good
 * in the far tail) is returned instead.
 */
#ifndef PF_METRICS_FEATSTATS_H
#define PF_METRICS_FEATSTATS_H

#include <stddef.h>
#include <stdint.h>

#define PF_FS_NQUANT		33	/* sketch: quantiles k/32 */
#define PF_FS_DISTINCT_MAX	10000	/* distinct values counted up to */
#define PF_FS_CLUSTER_RHO	0.9	/* |Spearman| joining a cluster */
#define PF_FS_KS_EXACT		1000000	/* na nb up to which p is exact */
#define PF_FS_KS_FLOOR		1e-10	/* exact p below: the limit instead */

typedef struct pf_fs_col {
	uint64_t	rows, missing, zeros;
	uint64_t	distinct;	/* exact, or PF_FS_DISTINCT_MAX: more */
	int		distinct_more;	/* 1: at least PF_FS_DISTINCT_MAX */
	double		mean, sd, min, max;	/* NaN without present values */
	double		q[PF_FS_NQUANT];	/* quantiles k/32, NaN: none */
} pf_fs_col;

/*
 * Summary of a column: v[0..n) its present values (finite, in row order;
 * sorted in place here), rows the column's length (rows - n missing).
 * sd is NaN below two present values. The same as pf_fs_moments on v in
 * row order, then pf_fs_describe on v sorted.
 */
void	pf_fs_summarize(pf_fs_col *out, double *v, size_t n, uint64_t rows);

/* Mean and sample sd of v[0..n) by Welford's update in the order given. */
void	pf_fs_moments(const double *v, size_t n, double *mean, double *sd);

/* The rest of the summary from the ascending present values sorted[0..n)
   of a column of rows rows: missing, zeros, min, max, distinct, sketch. */
void	pf_fs_describe(pf_fs_col *out, const double *sorted, size_t n,
	    uint64_t rows);

/* The p-quantile (p in [0, 1]) of sorted[0..n) by numpy's "linear"
   method; NaN for n == 0. */
double	pf_fs_quantile(const double *sorted, size_t n, double p);

/* A present value and its row, for sorting a column once (radix sort on
   the value's order-preserving bits): what ranks and quantiles read. */
typedef struct pf_fs_pair {
	uint64_t	key;
	uint64_t	row;
} pf_fs_pair;

/* The pair of value x (finite) at row. */
pf_fs_pair	pf_fs_pair_of(double x, uint64_t row);
/* The value a pair holds. */
double		pf_fs_pair_value(pf_fs_pair p);

/*
 * Sorts p[0..n) by value, ties by row (stable LSD radix sort from pairs
 * in row order); tmp: scratch of n pairs. Returns p or tmp, whichever
 * holds the result.
 */
pf_fs_pair	*pf_fs_sort(pf_fs_pair *p, size_t n, pf_fs_pair *tmp);

/*
 * Average ranks (1-based, ties share their mean rank) of the n present
 * values sorted[0..n) (pf_fs_sort) into rank[row]; rows without a value
 * get NaN (rank has nrows entries). Half-integers: exact in a float below
 * 2^23 present values, relative error under 1e-7 beyond.
 */
void	pf_fs_ranks(float *rank, size_t nrows, const pf_fs_pair *sorted,
	    size_t n);

/*
 * Spearman of two columns from their ranks (pf_fs_ranks): Pearson over
 * the rows where both are present. NaN below two such rows or when one
 * side is constant there.
 */
double	pf_fs_rank_corr(const float *ra, const float *rb, size_t n);

/*
 * Correlation clusters: the components of the graph joining features i,
 * j (of nf) with |rho[i nf + j]| >= thr (NaN never joins). cluster[i]
 * gets the component number of i: components numbered 0, 1, ... in the
 * order of their smallest member; features alone are -1. root: scratch
 * of nf. Returns the number of clusters (components of two or more).
 */
size_t	pf_fs_clusters(int *cluster, const double *rho, size_t nf,
	    double thr, size_t *root);

/* KS statistic D of two ascending samples (NaN-free); NaN when one is
   empty. */
double	pf_fs_ks(const double *a, size_t na, const double *b, size_t nb);

/*
 * Two-sided p-value of D for sample sizes na, nb (definition above).
 * scratch: NULL (limit only) or room for min(na, nb) + 1 doubles.
 */
double	pf_fs_ks_p(double d, size_t na, size_t nb, double *scratch);

/* Kolmogorov's survival function Q(z) = 2 sum (-1)^(k-1) exp(-2 k^2 z^2). */
double	pf_fs_kolmogorov(double z);

/*
 * The rank correlation matrix of nf columns in blocks of rows, for 1M rows
 * x 136 features (BLAS: one dsyrk a block, three dgemm more where the
 * block has missing values): acc (PF_FS_CORR_ACC(nf) doubles, zeroed by
 * the caller) gathers, over the rows r0..r1 of rank (column-major: column
 * f at rank + f nrows, NaN missing), each pair's complete-row count and
 * sums of x, x^2, xy of the ranks less center[f] (the column's mean rank,
 * (present + 1) / 2: keeps the sums small). buf: 3 (r1 - r0) nf doubles.
 * Blocks added in the same order give the same bits: callers that split
 * the rows among threads keep a fixed split and add the partial sums in
 * order. Call with BLAS single-threaded inside a parallel region.
 */
#define PF_FS_CORR_ACC(nf)	(4 * (nf) * (nf))
void	pf_fs_corr_block(double *acc, const float *rank, size_t nrows,
	    size_t nf, size_t r0, size_t r1, const double *center,
	    double *buf);
/* Adds the sums of acc b into a (one partial into the total). */
void	pf_fs_corr_add(double *a, const double *b, size_t nf);
/*
 * The nf x nf matrix of rank correlations (pf_fs_rank_corr of every pair;
 * 1 on the diagonal) from acc into rho. NaN where undefined, and where a
 * pair shares fewer than PF_FS_CORR_MIN complete rows: sparse features
 * that meet on two rows correlate +-1 by chance, and would chain every
 * feature into one cluster.
 */
#define PF_FS_CORR_MIN	30
void	pf_fs_corr_finish(double *rho, const double *acc, size_t nf);

#endif /* PF_METRICS_FEATSTATS_H */

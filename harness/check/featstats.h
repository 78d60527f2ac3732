/*
 * harness/check/featstats.h — what the candidate features look like
 * (README "Know your features"): `preflight features stats` (per feature
 * of one candidate file: count, missing, zeros, min/max, mean, sd,
 * quantiles, distinct, mean by relevance grade, correlation clusters) and
 * `preflight features skew` (two files: per feature PSI, KS with its
 * BH-adjusted p-value, missing-rate and range changes; on the rows the two
 * share by (qid, docid), the row-level mismatch rate and the largest
 * differences). The numbers are metrics/featstats.h's (and metrics/drift.h's
 * PSI): the same the history store keeps each night.
 *
 * A feature is a file feature id with at least one present value (an
 * absent SVMlight entry and "nan" are missing, as XGBoost reads them);
 * values are the file's as parsed (double). One pass over the rows per
 * feature, features in parallel (OpenMP), each column sorted once (radix)
 * for the quantiles, the distinct count, the ranks and KS; the Spearman
 * matrix by row blocks in a fixed split: the same bytes on any --threads.
 */
#ifndef PF_HARNESS_CHECK_FEATSTATS_H
#define PF_HARNESS_CHECK_FEATSTATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "harness/load/svmlight.h"
#include "harness/util/fnames.h"
#include "metrics/err.h"
#include "metrics/featstats.h"

#define PF_FST_NPCT	7	/* quantiles printed: 1 5 25 50 75 95 99 % */
extern const double	pf_fst_pct[PF_FST_NPCT];

typedef struct pf_fst_feat {
	long		 id;		/* the file's feature id */
	char		 name[128];	/* the names file's, or f<id> */
	pf_fs_col	 c;
	double		 pct[PF_FST_NPCT];
	int		 cluster;	/* correlation cluster, -1: none */
	double		*sorted;	/* present values ascending (c.rows -
					   c.missing of them) */
} pf_fst_feat;

typedef struct pf_fst {
	const char	*path;		/* borrowed */
	size_t		 nrows, nq, nf;
	pf_fst_feat	*f;		/* nf, by id */
	size_t		 ngrades;
	int32_t		*grades;	/* the grades present, ascending */
	double		*gmean;		/* nf x ngrades: mean by grade, NaN */
	uint64_t	*gcount;	/* nf x ngrades: present values */
	double		*rho;		/* nf x nf Spearman, or NULL */
	size_t		 nclusters;
} pf_fst;

/*
 * The statistics of s's features into *out (caller frees with
 * pf_fst_free); names (NULL: f<id>) borrowed only during the call; corr:
 * also the Spearman matrix and its clusters. PF_ENOMEM only.
 */
int	pf_fst_compute(pf_fst **out, const pf_svm *s, const pf_fnames *names,
	    int corr, pf_err *err);
void	pf_fst_free(pf_fst *t);

/* The terminal table of t on f. */
void	pf_fst_print(const pf_fst *t, FILE *f);

/* One feature difference of a shared row (qid, docid). */
typedef struct pf_fsk_diff {
	const char	*qid, *docid;	/* borrowed from A */
	size_t		 row_a, row_b;	/* rows in A and B */
	size_t		 feat;		/* index into pf_fsk.f */
	double		 a, b;		/* NaN: missing */
	double		 size;		/* |a - b|, inf: missing on one side */
} pf_fsk_diff;

#define PF_FSK_NDIFF	10	/* largest differences kept */

typedef struct pf_fsk_feat {
	long		 id;
	char		 name[128];
	int		 in;		/* 3 both, 1 only in A, 2 only in B */
	size_t		 col_a, col_b;	/* the files' matrix columns */
	const pf_fs_col	*a, *b;		/* NULL where absent */
	double		 miss_a, miss_b;
	double		 psi, ks_d, ks_p, ks_q;	/* q: BH over features */
	uint64_t	 mismatch;	/* shared rows whose values differ */
} pf_fsk_feat;

typedef struct pf_fsk {
	size_t		 nf;
	pf_fsk_feat	*f;		/* largest drift first */
	uint64_t	 shared, mismatched;	/* rows by (qid, docid) */
	double		 mismatch_rate;	/* NaN without shared rows */
	size_t		 ndiff;
	pf_fsk_diff	 diff[PF_FSK_NDIFF];	/* largest first */
} pf_fsk;

/*
 * Skew of B against A (the reference): their statistics ta, tb (which
 * the result borrows) and the files themselves (for the shared rows).
 * A feature present in one file only has missing rate 1 on the other
 * side: its PSI is the missing bin's (large), KS undefined; it sorts
 * first. Order: PSI descending, then KS D, then id. PF_ENOMEM only.
 */
int	pf_fsk_compute(pf_fsk **out, const pf_fst *ta, const pf_svm *sa,
	    const pf_fst *tb, const pf_svm *sb, pf_err *err);
void	pf_fsk_free(pf_fsk *k);

/* The terminal report of k on f (sa, sb name the rows). */
void	pf_fsk_print(const pf_fsk *k, const pf_svm *sa, const pf_svm *sb,
	    FILE *f);

/*
 * The JSON of the statistics of n files (featstats_json.c), of a skew
 * (with the thresholds given, NaN: none, and whether each held), as new
 * jansson objects (NULL on OOM). Doubles round-trip; NaN is null.
 */
json_t	*pf_fst_json(const pf_fst *const *t, size_t n);
json_t	*pf_fsk_json(const pf_fsk *k, const pf_svm *sa, const pf_svm *sb,
	    double max_psi, double max_mismatch);

/* Whether k passes the thresholds (NaN: not given): 1 yes, 0 no. */
int	pf_fsk_pass_psi(const pf_fsk *k, double max_psi);
int	pf_fsk_pass_mismatch(const pf_fsk *k, double max_mismatch);

#endif /* PF_HARNESS_CHECK_FEATSTATS_H */

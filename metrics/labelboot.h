/*
 * metrics/labelboot.h — label uncertainty in a paired comparison
 * (../shared/METHODS.md §6.2): a nested bootstrap that resamples queries,
 * then, inside every drawn query, the labels of each (query, document)
 * pair among that pair's annotators, re-aggregates them and recomputes the
 * metric of both stacks on the SAME label draw (common random numbers:
 * label noise on documents both stacks retrieve cancels in the delta).
 * Pure: rankings and labels in, intervals out.
 *
 * Random numbers (metrics/rng.h), so results are the same bytes for any
 * thread count:
 *  - query draws: resample r takes its n indices from stream r of key
 *    (seed, id_a, id_b, PF_RNG_BOOT) exactly as pf_stats_boot_means does,
 *    so with one label per pair the nested CI IS the query-only CI;
 *  - label draws: for draw position i of resample r, stream r * n + i of
 *    key (seed, PF_LB_LABELS, 0, 0); independent of the stacks and
 *    metrics, hence shared by every stack. Each pair with m >= 2 labels,
 *    in pair order, takes m draws pf_rng_below32(m); single-label pairs
 *    take none and keep their label;
 *  - labels-only draws (queries fixed): stream r * n + q of key
 *    (seed, PF_LB_LABELS, 1, 0).
 * Percentile CIs with pf_stats_quantile, as pf_stats_compare_paired.
 */
#ifndef PF_METRICS_LABELBOOT_H
#define PF_METRICS_LABELBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/err.h"
#include "metrics/treceval.h"

#define PF_LB_LABELS	UINT64_C(0x6c61626c)	/* "labl" */

/* How labels aggregate into one grade (harness/load/qrels.h's pf_agg). */
enum {
	PF_GRADE_MEDIAN = 0,	/* lower median */
	PF_GRADE_MEAN,		/* mean; the integer grade rounds half up */
	PF_GRADE_MAJORITY,	/* most frequent; ties to the lower grade */
};

/*
 * The aggregate of n >= 1 grades sorted ascending: the integer grade into
 * *grade_int, the (possibly fractional) grade returned.
 */
double	pf_grade_aggregate(const int32_t *sorted, size_t n, int agg,
	    int32_t *grade_int);

/* One query: its judged pairs' labels and both stacks' rankings. */
typedef struct pf_lb_query {
	const int32_t	*labels;	/* pair after pair */
	const uint32_t	*loff;		/* npairs + 1 offsets into labels */
	size_t		 npairs;
	/* per rank: the pair index of the document, or -1 (not judged) */
	const int32_t	*rank_a, *rank_b;
	size_t		 nret_a, nret_b;
	double		 value_a, value_b;	/* with all labels aggregated */
} pf_lb_query;

typedef struct pf_lb_opts {
	const pf_te_spec *spec;		/* the run's measures */
	const pf_te_opts *te;
	size_t		 value;		/* the measure's value index */
	int		 agg;		/* PF_GRADE_* */
	size_t		 n_boot;
	double		 alpha;		/* CI level 1 - alpha */
	uint64_t	 seed, id_a, id_b;	/* as the query bootstrap's */
} pf_lb_opts;

typedef struct pf_lb_result {
	double	delta;		/* mean of value_b - value_a */
	double	q_lo, q_hi;	/* queries resampled, labels fixed */
	double	n_lo, n_hi;	/* nested: queries, then labels */
	double	l_lo, l_hi;	/* labels resampled, queries fixed */
	double	flip;		/* share of labels-only draws with the sign
				   of their delta unlike delta's */
	size_t	n_multi;	/* queries with a pair of 2+ labels */
} pf_lb_result;

/*
 * The three intervals for the paired delta over queries q[0..n-1].
 * PF_OK, PF_ENOMEM, or PF_EINVAL (n_boot 0, a pair without labels).
 */
int	pf_lb_run(const pf_lb_query *q, size_t n, const pf_lb_opts *o,
	    pf_lb_result *out, pf_err *err);

#endif /* PF_METRICS_LABELBOOT_H */

/*
 * harness/analysis/compare.h — every treatment stack against the control
 * on every metric (metrics/stats.h): paired over the judged queries, a
 * bootstrap CI, a randomization p and the paired t; the confirmatory family
 * is the primary metric over the treatments (Holm: the verdict reads it),
 * every other metric is exploratory (Benjamini–Hochberg q); per dimension value of queries.tsv on
 * the primary metric (Benjamini–Hochberg over each treatment's segments);
 * with three or more stacks every pair of stacks (ranx-style markers); and
 * judged@10 of every stack. Reads only what was measured
 * (harness/engine/measured.h), so `run` and `compare` share it.
 */
#ifndef PF_HARNESS_ANALYSIS_COMPARE_H
#define PF_HARNESS_ANALYSIS_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "harness/engine/measured.h"
#include "metrics/stats.h"

typedef struct pf_compare_opts {
	uint64_t	seed;
	size_t		n_boot, n_perm;
	double		alpha, tie_tol;
	size_t		min_segment;	/* fewer judged queries: no CI */
	int		progress;	/* comparisons done, on stderr */
} pf_compare_opts;

/* The harness's view of one paired comparison (from pf_stats_cmp). */
typedef struct pf_cmp {
	size_t	n;
	double	mean_a, mean_b, delta, rel;
	double	lo, hi;			/* bootstrap percentile CI */
	double	p_perm;			/* randomization test */
	int	exact;			/* p_perm by full enumeration */
	double	t, df, p_t, t_lo, t_hi;	/* paired t-test and its CI */
	double	d_z;
	size_t	wins, losses, ties;
	double	n_needed;		/* queries for 80% power (t) */
} pf_cmp;

/* One dimension value of queries.tsv, one treatment, the primary metric. */
typedef struct pf_segment {
	size_t		 dim, treatment;	/* treatment: stack index */
	const char	*value;
	pf_cmp		 cmp;
	double		 p_bh;		/* BH over the treatment's segments */
	int		 too_few;	/* n < min-segment: no CI shown */
	int		 flipped;	/* significant, sign opposite overall */
} pf_segment;

typedef struct pf_comparison {
	size_t		 nt, nv;	/* treatments (stacks 1..), values */
	pf_cmp		*cmp;		/* nt x nv */
	double		*p_adj;		/* nt x nv: Holm over the treatments on
					   the primary, BH q on the others */
	size_t		 nfamily;	/* comparisons in the Holm family */
	size_t		 nexplore;	/* in the exploratory BH family */
	double		*judged;	/* nstacks: judged@10 mean or NaN */
	/* with three or more stacks: beats[(i * nstacks + j) * nv + v] is 1
	   when stack i is significantly better than stack j on value v
	   (pairwise randomization tests, Holm over all pairs x metrics) */
	unsigned char	*beats;
	pf_segment	*segs;
	size_t		 nsegs;
	char		 method[768];	/* the statistics, in words */
} pf_comparison;

/* PF_OK with *out, or PF_ENOMEM / the errors of pf_stats_compare_paired. */
int	pf_compare_run(pf_comparison **out, const pf_measured *m,
	    const pf_compare_opts *o, pf_err *err);
void	pf_comparison_free(pf_comparison *c);

/* The comparison of treatment k (1..) on value v. */
static inline const pf_cmp *
pf_compare_at(const pf_comparison *c, size_t k, size_t v)
{
	return &c->cmp[(k - 1) * c->nv + v];
}

static inline double
pf_compare_p_adj(const pf_comparison *c, size_t k, size_t v)
{
	return c->p_adj[(k - 1) * c->nv + v];
}

/*
 * Positions 0..n-1 of a query list (qs[i], or i when qs is NULL) grouped
 * by their value of dimension dm of g, in linear time: values in order of
 * first appearance; value v's positions are mem[off[v]..off[v+1]) in list
 * order. The caller frees mem and off. PF_OK or PF_ENOMEM.
 */
int	pf_dim_groups(const pf_golden *g, size_t dm, const size_t *qs,
	    size_t n, size_t **mem_out, size_t **off_out, size_t *nvals);

/*
 * The random-number key of metric v: its printed name hashed (not its
 * position), so measuring other metrics changes no number of this one.
 * The label bootstrap keys its query draws with it too.
 */
uint64_t	pf_compare_metric_key(const pf_measured *m, size_t v);

/*
 * One paired comparison of y against x over n queries (delta = y - x) by
 * metrics/stats with o's alpha, permutations and tie tolerance, n_boot
 * resamples, and streams keyed by (o->seed, id_a, id_b): what every
 * treatment-versus-control comparison above runs, for the callers that
 * pair values themselves (analysis/pair.h).
 */
int	pf_compare_paired(const pf_compare_opts *o, const double *x,
	    const double *y, size_t n, size_t n_boot, uint64_t id_a,
	    uint64_t id_b, pf_cmp *out, pf_err *err);

/* A stream id for (seed, a, b), keying a bootstrap (interleaving). */
uint64_t	pf_compare_stream(uint64_t seed, uint64_t a, uint64_t b);

#endif /* PF_HARNESS_ANALYSIS_COMPARE_H */

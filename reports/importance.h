/*
 * reports/importance.h — feature importance of one scoring stage
 * (METHODS.md §3) as the writers see it: plain data, filled by
 * harness/analysis/importance.c, written to results.json ("importance"), the HTML
 * report ("Why") and junit.xml (the max-share gate).
 *
 * The arrays follow scikit-learn's permutation_importance: importances is
 * nitems x nrep (baseline - permuted metric mean), importances_std is the
 * population SD (ddof = 0) over repeats. ci_lo / ci_hi are a query
 * bootstrap percentile CI of the mean of the per-query importances.
 */
#ifndef PF_REPORTS_IMPORTANCE_H
#define PF_REPORTS_IMPORTANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* One feature, or one group of features permuted jointly. */
typedef struct pf_rep_imp_item {
	char		*name;		/* the group's name, or the feature's
					   label: "bm25_title (12)", "f12"
					   (reports/featname.h) */
	int		*feat;		/* file feature ids, nfeat */
	char		**fname;	/* nfeat: each one's name, or NULL */
	size_t		 nfeat;
	int		 group;		/* named in a <group> */
	int		 query_level;	/* constant inside every query: permuted
					   across queries (query-block) */
	double		 mean, std, lo, hi;
	double		 share;		/* max(mean, 0) / sum of max(mean, 0) */
} pf_rep_imp_item;

typedef struct pf_rep_importance {
	char		*stack;		/* stack id */
	char		*stage;		/* stage name ("gbdt") */
	size_t		 stage_pos;	/* 1-based */
	char		*metric;	/* printed name */
	char		*method;	/* permute mean query-mean zero missing */
	uint64_t	 seed;
	size_t		 nitems, nrep, nq;	/* nq: judged queries used */
	size_t		 n_boot;
	double		 baseline;	/* mean metric, intact features */
	pf_rep_imp_item	*items;		/* in scenario order: groups, then
					   the other features by id */
	double		*imp;		/* nitems x nrep */
	size_t		 top;		/* items shown before folding */
	int		 has_max_share;
	double		 max_share;
	int		 fast;		/* scores by the changed trees only */
	long		 line;		/* the <features> element */
} pf_rep_importance;

/* Owned strings and arrays; NULL is a no-op. */
void	pf_rep_importance_free(pf_rep_importance *m);

/* The "importance" value of results.json. */
json_t	*pf_results_importance(const pf_rep_importance *const *m, size_t n);

/* The report's "Why" section (nothing when n is 0). */
void	pf_html_importance(FILE *f, const pf_rep_importance *const *m,
	    size_t n);

/* The items by mean importance, largest first (ties by index). */
void	pf_rep_importance_order(const pf_rep_importance *m, size_t *ord);

/* The largest share, and its item (index) in *at. */
double	pf_rep_importance_top_share(const pf_rep_importance *m, size_t *at);

#endif /* PF_REPORTS_IMPORTANCE_H */

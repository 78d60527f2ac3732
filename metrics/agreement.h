/*
 * metrics/agreement.h — inter-annotator agreement over (item, rater, value)
 * triples (../shared/METHODS.md §6.1). Items are (query, document) pairs,
 * raters the annotators of qrels column 2, values the grades. Pure: arrays
 * in, numbers out; no I/O, no global state; thread-safe. Functions allocate
 * scratch proportional to the number of ratings and free it before
 * returning.
 *
 * Krippendorff's alpha (Krippendorff 2004, 2011; Hayes & Krippendorff
 * 2007): any number of raters per item, missing ratings allowed (a rater
 * who did not judge an item simply has no triple). Only items with m_u >= 2
 * values are pairable; n is the number of pairable values, n_c those equal
 * to c, o_ck the coincidences (ordered within-item pairs, each weighted
 * 1 / (m_u - 1)):
 *
 *	alpha = 1 - D_o / D_e,  D_o = (1/n) sum_ck o_ck d2(c,k),
 *	D_e = 1/(n(n-1)) sum_ck n_c n_k d2(c,k)
 *
 * with d2 nominal [c != k], interval (c - k)^2, ratio ((c - k)/(c + k))^2
 * (0 when c = k = 0; values must be >= 0), and ordinal
 * (sum_{g=c..k} n_g - (n_c + n_k)/2)^2 — which equals (G_k - G_c)^2 for the
 * mid-rank G_c = sum_{g<c} n_g + n_c/2, so ordinal alpha is interval alpha
 * on mid-ranks of the pairable values (the `krippendorff` PyPI package's
 * _ordinal_metric). alpha is NaN when no item is pairable or D_e = 0 (all
 * pairable values equal: no variation to agree about).
 *
 * Per-group (per-query) alpha, for finding queries whose labels are
 * unusable: D_o(g) is the observed disagreement of the group's items alone
 * (same formula, n_g its pairable values, the whole set's ordinal ranks),
 * and alpha(g) = 1 - D_o(g) / D_e with the WHOLE set's D_e. A query has
 * ten-odd items, often mostly one grade, so its own D_e is unstable and
 * often 0; against the global D_e, alpha(g) ranks queries by how much their
 * annotators disagree, is 1 when they all agree, and the n_g-weighted mean
 * of D_o(g) is D_o. The group's stand-alone alpha (its own D_e and ranks) is
 * reported too, as alpha_local, NaN when undefined.
 *
 * Fleiss' kappa (Fleiss 1971): N items with exactly n >= 2 ratings each, k
 * categories (the distinct values; nominal), n_ij raters putting item i in
 * category j: p_j = sum_i n_ij / (N n), P_i = (sum_j n_ij^2 - n) /
 * (n (n - 1)), kappa = (Pbar - Pbar_e) / (1 - Pbar_e), Pbar_e = sum p_j^2;
 * NaN when Pbar_e = 1 (one category only).
 *
 * Errors: PF_EINVAL for a non-finite value, a negative value on the ratio
 * scale, a rater rating the same item twice (named in err), and for Fleiss
 * when the items do not all have the same number (>= 2) of raters;
 * PF_ENOMEM.
 */
#ifndef PF_METRICS_AGREEMENT_H
#define PF_METRICS_AGREEMENT_H

#include <stddef.h>

#include "metrics/err.h"

typedef struct pf_rating {
	size_t	item;	/* any id: (query, document) pair */
	size_t	rater;	/* any id: the annotator */
	double	value;	/* the grade */
} pf_rating;

typedef enum pf_alpha_level {
	PF_ALPHA_NOMINAL,
	PF_ALPHA_ORDINAL,	/* preflight's primary: graded relevance */
	PF_ALPHA_INTERVAL,
	PF_ALPHA_RATIO
} pf_alpha_level;

typedef struct pf_alpha {
	double	alpha;		/* NaN when undefined (see above) */
	double	d_o, d_e;	/* observed and expected disagreement */
	size_t	n_items;	/* distinct items */
	size_t	n_pairable;	/* items with >= 2 values */
	size_t	n_single;	/* items with one value: no agreement info */
	size_t	n_values;	/* n: values in pairable items */
	size_t	n_pairs;	/* unordered within-item pairs of values */
	double	exact;		/* share of those pairs with equal values */
	double	within1;	/* share with |difference| <= 1 (grades) */
} pf_alpha;

/*
 * Krippendorff's alpha of ratings r[0..n-1] (any order) at level lv.
 * Never fails on degenerate data: alpha is NaN and the counts say why.
 */
int	pf_alpha_compute(const pf_rating *r, size_t n, pf_alpha_level lv,
	    pf_alpha *out, pf_err *err);

typedef struct pf_alpha_group {
	double	alpha;		/* 1 - D_o(g) / D_e(all); NaN: no pairable */
	double	alpha_local;	/* the group's own alpha; NaN: undefined */
	double	d_o;		/* D_o(g) */
	size_t	n_items, n_pairable, n_values;
} pf_alpha_group;

/*
 * Per-group alpha: group[i] < ngroups is the group (query) of rating i;
 * every rating of one item must carry the same group (PF_EINVAL). Fills
 * all_out (the whole set, as pf_alpha_compute; may be NULL) and
 * out[0..ngroups-1]; a group without ratings gets NaN and zero counts.
 */
int	pf_alpha_by_group(const pf_rating *r, size_t n, const size_t *group,
	    size_t ngroups, pf_alpha_level lv, pf_alpha *all_out,
	    pf_alpha_group *out, pf_err *err);

typedef struct pf_fleiss {
	double	kappa;		/* NaN when Pbar_e = 1 */
	double	p_bar, p_e;	/* Pbar and Pbar_e */
	size_t	n_items, n_raters, n_cats;
} pf_fleiss;

/*
 * Fleiss' kappa over ratings (categories: the distinct values). PF_EINVAL
 * naming two items when the number of raters per item is not constant, or
 * when it is 1.
 */
int	pf_fleiss_kappa(const pf_rating *r, size_t n, pf_fleiss *out,
	    pf_err *err);

/* The same from an item x category count table (row-major, nitems rows). */
int	pf_fleiss_kappa_counts(const size_t *counts, size_t nitems,
	    size_t ncats, pf_fleiss *out, pf_err *err);

#endif /* PF_METRICS_AGREEMENT_H */

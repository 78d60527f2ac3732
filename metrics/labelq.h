/*
 * metrics/labelq.h — the quality of a golden set's labels in one summary
 * (../shared/METHODS.md §6.1): Krippendorff's alpha at the ordinal
 * (primary), nominal and interval levels, Fleiss' kappa when every item has
 * the same number of raters, and per-group (per-query) ordinal alpha to find
 * the queries whose annotators disagree most. Pure: ratings in, numbers
 * out (metrics/agreement.h does the arithmetic).
 */
#ifndef PF_METRICS_LABELQ_H
#define PF_METRICS_LABELQ_H

#include <stddef.h>

#include "metrics/agreement.h"
#include "metrics/err.h"

typedef struct pf_labelq {
	size_t		 n_ratings;
	size_t		 max_raters;	/* most ratings on one item */
	pf_alpha	 ordinal, nominal, interval;
	int		 has_fleiss;	/* same number (>= 2) of raters per item */
	pf_fleiss	 fleiss;
	char		 no_fleiss[160];	/* why not, when !has_fleiss */
	size_t		 ngroups;
	pf_alpha_group	*group;		/* ngroups, ordinal level */
} pf_labelq;

/*
 * Fills out from ratings r[0..n-1]; group[i] < ngroups is rating i's group
 * (query), the same for every rating of an item. PF_OK, PF_ENOMEM or
 * PF_EINVAL (as pf_alpha_compute). Free with pf_labelq_free.
 */
int	pf_labelq_compute(pf_labelq *out, const pf_rating *r, size_t n,
	    const size_t *group, size_t ngroups, pf_err *err);
void	pf_labelq_free(pf_labelq *q);

/*
 * Up to k groups with pairable items and the lowest alpha (ties: lower
 * index first) into idx, most confusing first; returns how many.
 */
size_t	pf_labelq_worst(const pf_labelq *q, size_t *idx, size_t k);

/* Krippendorff's reading of alpha: "reliable" (>= 0.800), "tentative"
   (>= 0.667), "unreliable", or "undefined" for NaN. */
const char	*pf_alpha_reading(double alpha);
/* Landis & Koch's band for a kappa: "poor" ... "almost perfect". */
const char	*pf_kappa_band(double kappa);

#endif /* PF_METRICS_LABELQ_H */

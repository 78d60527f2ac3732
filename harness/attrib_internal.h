/*
 * harness/attrib_internal.h — shared by harness/attrib.c and
 * harness/attrib_oracle.c only.
 */
#ifndef PF_HARNESS_ATTRIB_INTERNAL_H
#define PF_HARNESS_ATTRIB_INTERNAL_H

#include <stddef.h>

#include "harness/replay.h"
#include "metrics/rng.h"
#include "reports/attrib.h"

/* pf_rng_key purpose of the attribution bootstrap: "attr" */
#define PF_ATTRIB_RNG	UINT64_C(0x61747472)

/* Percentile CI of mean(x) over n_boot query resamples drawn from key. */
int	pf_attrib__ci(const double *x, size_t n, pf_key key, size_t n_boot,
	    double alpha, double *lo, double *hi);
int	pf_attrib__cmp_double(const void *a, const void *b);
/* Fills a->oracle, one per stack, for value m over the judged queries jq. */
int	pf_attrib__oracle(pf_attrib *a, const pf_replay *r, size_t m,
	    const size_t *jq, size_t nj, pf_err *err);

#endif /* PF_HARNESS_ATTRIB_INTERNAL_H */

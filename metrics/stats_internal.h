/*
 * metrics/stats_internal.h — shared by metrics/stats.c and
 * metrics/resample.c; never included from another folder (STYLE.md C1).
 */
#ifndef PF_METRICS_STATS_INTERNAL_H
#define PF_METRICS_STATS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/rng.h"

/*
 * The Monte Carlo sign-flip test: of n_perm random sign patterns (pattern
 * r: bit i % 32 of word i / 32 of stream r of key flips d_i), how many
 * give |sum| >= thr. Same count for any thread count.
 */
uint64_t	pf_stats__perm_mc(const double *d, size_t n, double thr,
		    pf_key key, size_t n_perm);

/* Tests: 1 makes the resampling loops compute Philox in portable C even
   where AVX2 is there (both give the same bits); not thread-safe. */
void		pf_stats__lanes_portable(int on);

#endif /* PF_METRICS_STATS_INTERNAL_H */

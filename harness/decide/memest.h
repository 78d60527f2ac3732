/*
 * harness/decide/memest.h — `run --check`'s estimate of the replay's peak
 * memory, from what --check has loaded (every candidate file, at the
 * precision its stages need: float32, and the doubles only when a
 * LightGBM stage reads them) and what the replay would add: per stack a
 * score and a row index per candidate and the metric values per query;
 * with <importance><features>, each thread's copies of the largest
 * query's rows and the per-query importance values. Loading apart: the
 * files held and each thread's chunks in flight (text and parsed rows).
 */
#ifndef PF_HARNESS_DECIDE_MEMEST_H
#define PF_HARNESS_DECIDE_MEMEST_H

#include <stddef.h>
#include <stdio.h>

#include "harness/engine/replay.h"

typedef struct pf_memest {
	size_t	 x32, x64, other;	/* candidate files held */
	size_t	 scores;		/* per-stack scores, ranks, values */
	size_t	 importance;		/* its copies and per-query values */
	size_t	 total;			/* the replay's */
	size_t	 load;			/* while a file loads: the files
					   held and the chunks in flight */
} pf_memest;

void	pf_memest_of(const pf_replay *r, int threads, pf_memest *e);
/* "memory: peak estimate 1.2 GiB in the replay, ... while loading
   (candidates ...)", one line. */
void	pf_memest_print(FILE *f, const pf_memest *e);

#endif /* PF_HARNESS_DECIDE_MEMEST_H */

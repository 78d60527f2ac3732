/*
 * harness/analysis/pair.h — two lists of per-query values keyed by qid
 * (tonight's stack and a run stored in the history, for a gate
 * against="last-pass"; the two sides of `preflight diff`) paired on the
 * queries both have, then compared exactly as every other delta is
 * (compare.h: bootstrap CI, randomization p, paired t, wins / losses /
 * ties, streams keyed by the seed and two ids).
 *
 * The pairs are in qid order (strcmp: bytes), whatever order each list
 * came in — a results.json lists queries in golden order, a database in
 * its own collation — so the same two runs give the same bootstrap draws
 * and the same numbers whichever way they were read. A query counts when
 * both sides have a finite value for it; a qid a list holds twice counts
 * once, its first value.
 */
#ifndef PF_HARNESS_ANALYSIS_PAIR_H
#define PF_HARNESS_ANALYSIS_PAIR_H

#include <stddef.h>
#include <stdint.h>

#include "harness/analysis/compare.h"

/* One side: n qids and their values (NaN: no value). Borrowed. */
typedef struct pf_qlist {
	const char *const	*qid;
	const double		*value;
	size_t			 n;
} pf_qlist;

typedef struct pf_pairing {
	size_t	*ia, *ib;	/* n positions in a and in b, qid order */
	size_t	 n;		/* queries with a value on both sides */
	size_t	 only_a, only_b;	/* with a value on one side only */
} pf_pairing;

/* Pairs a and b (above); *out freed with pf_pairing_free. PF_ENOMEM. */
int	pf_pair_qids(pf_pairing *out, const pf_qlist *a, const pf_qlist *b,
	    pf_err *err);
void	pf_pairing_free(pf_pairing *p);

/*
 * b against a on their common queries (delta = b - a; every number NaN
 * and n 0 when there is none): pf_compare_paired with o's settings and
 * o->n_boot resamples, keyed (id_a, id_b). The pairing in *pairs when it
 * is not NULL (the caller frees it), e.g. for the most hurt queries.
 */
int	pf_pair_compare(pf_cmp *out, pf_pairing *pairs, const pf_qlist *a,
	    const pf_qlist *b, const pf_compare_opts *o, uint64_t id_a,
	    uint64_t id_b, pf_err *err);

#endif /* PF_HARNESS_ANALYSIS_PAIR_H */

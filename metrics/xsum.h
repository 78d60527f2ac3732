/*
 * metrics/xsum.h — an exact sum of doubles: a fixed-point two's-complement
 * integer in units of 2^-1074 (the smallest subnormal) wide enough for
 * 2^64 terms of any finite double, so adding is exact and the order of the
 * terms and how they were split into partial sums change nothing.
 * pf_xsum_round gives the exact sum rounded to the nearest double (ties to
 * even): the same bits however the terms were grouped. Infinities are
 * counted apart (+inf and -inf both present: NaN); NaN terms are the
 * caller's to skip. Pure functions; no allocation; thread-safe.
 *
 * Why: importance's global means (analysis/importance.c, method "mean")
 * are summed over every query's rows, and the distributed replay
 * (cli/dist.h) sums each share's rows apart: these sums combine to the
 * single process's bits for any split.
 */
#ifndef PF_METRICS_XSUM_H
#define PF_METRICS_XSUM_H

#include <stdint.h>

#define PF_XSUM_WORDS	35	/* 2240 bits: 2^-1074 .. 2^1024, x 2^64 */

typedef struct pf_xsum {
	uint64_t	w[PF_XSUM_WORDS];	/* little-endian words */
	uint64_t	pinf, ninf;		/* +inf, -inf terms */
} pf_xsum;

/* Adds v (finite or infinite; not NaN) exactly. */
void	pf_xsum_add(pf_xsum *s, double v);
/* s += t, exactly. */
void	pf_xsum_merge(pf_xsum *s, const pf_xsum *t);
/* The sum rounded to the nearest double, ties to even (+0.0 when 0). */
double	pf_xsum_round(const pf_xsum *s);

#endif /* PF_METRICS_XSUM_H */

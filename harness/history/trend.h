/*
 * harness/history/trend.h — the trend of one scenario's nights, built from
 * the history into the plain-data model of reports/trend.h, which
 * trend.html and summary.md are written from (`preflight trend`, README
 * "preflight trend" for every definition).
 *
 * What it computes, in short:
 *  - nights: the scenario's runs in id order, those at or after `since`;
 *  - series: each goal (metric, stack, against) stored on any night; with
 *    no goal at all, the primary metric of every stack of the last night;
 *  - per night and series: the stack's mean over its queries with a 95%
 *    percentile bootstrap CI (a relative goal: the paired delta against
 *    the night's reference run), the goal's stored status and bounds;
 *  - change points: each night against the one before, paired on common
 *    queries (metrics/changepoint.h), BH over the window;
 *  - segments: every dimension with 2 to PF_TREND_MAXSEG values, its
 *    values' means night by night;
 *  - the comparison: the last night against a base night (the night
 *    before the focus goal's current run of misses, else before its latest
 *    change point, else the night before), with segment and query drops,
 *    gates and expectations newly failed, feature drift (PSI on the
 *    quantile sketches, missing-rate jumps) and inputs whose sha256
 *    changed.
 * Deterministic: random numbers are keyed by (seed, series, run), sums run
 * in qid (strcmp) order, ties are broken by name; the same history gives
 * the same bytes on SQLite and PostgreSQL and for any thread count.
 */
#ifndef PF_HARNESS_HISTORY_TREND_H
#define PF_HARNESS_HISTORY_TREND_H

#include <stddef.h>
#include <stdint.h>

#include "harness/history/history.h"
#include "reports/trend.h"

#define PF_TREND_MAXSEG	20	/* values of a dimension drawn, at most */

typedef struct pf_trend_opts {
	const char		*scenario;	/* NULL: the only one stored */
	const char		*since;		/* normalised (parse_since) */
	size_t			 resamples;	/* bootstrap and permutations */
	uint64_t		 seed;
	double			 alpha;		/* change points' BH level */
	double			 min_effect;	/* smallest |change| flagged */
	double			 psi_flag;	/* drift when PSI >= this */
	double			 miss_jump;	/* or |missing change| >= this */
	size_t			 seg_min;	/* queries for a segment's CI */
	size_t			 nqdrop;	/* query drops kept */
	const char		*note, *generated;
	const pf_trend_link	*links;
	size_t			 nlinks;
	int			 progress;	/* the series, on stderr */
} pf_trend_opts;

/* Fills o with the defaults (README): 2000 resamples, seed 1, alpha 0.05,
   min effect 0.01, PSI 0.1, missing jump 0.05, 5 queries, 10 drops. */
void	pf_trend_opts_init(pf_trend_opts *o);

/* The model and the memory behind it. */
typedef struct pf_trend_doc {
	pf_trend	 t;
	void		*own;
} pf_trend_doc;

/*
 * Builds the trend of o->scenario from h into *out (free with
 * pf_trend_doc_free). Errors: PF_EDATA naming the history when it holds
 * no run of the scenario (since: none since then), or runs of several
 * scenarios and none is named (the names listed); what the reads return.
 */
int	pf_trend_build(pf_trend_doc **out, pf_history *h,
	    const pf_trend_opts *o, pf_err *err);
void	pf_trend_doc_free(pf_trend_doc *d);	/* NULL is a no-op */

/*
 * A --since value, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (a real date, UTC),
 * as the history's times are written ("...T00:00:00Z" for a date), into
 * out. PF_EINVAL with what was expected.
 */
int	pf_trend_parse_since(const char *s, char out[21], pf_err *err);

#endif /* PF_HARNESS_HISTORY_TREND_H */

/*
 * harness/engine/measured.h — what was measured: the one interface between
 * what produces rankings and metric values (the replay of a scenario's
 * stacks, harness/engine/replay.h; TREC run files evaluated by
 * `preflight compare`, harness/engine/eval.h) and everything that reads
 * them (the comparison statistics, interleaving, the decision, the
 * outputs).
 *
 * Queries are the golden set's, in its order; a query is judged when the
 * golden set has judgments for it, and only judged queries count in the
 * means and the statistics. Rankings are optional: a producer that has
 * none (run files evaluated in a stream) leaves doc and score NULL.
 */
#ifndef PF_HARNESS_ENGINE_MEASURED_H
#define PF_HARNESS_ENGINE_MEASURED_H

#include <stddef.h>
#include <stdint.h>

#include "harness/load/golden.h"
#include "metrics/err.h"
#include "metrics/treceval.h"

/* One stack's (or run's) measurements. */
typedef struct pf_stack_result {
	const char	*id, *name;
	double		*values;	/* nq x nv; rows of unjudged queries 0 */
	double		*mean;		/* nv, over judged queries */
	size_t		*n;		/* nq: ranked list length */
	uint32_t	**doc;		/* nq lists of golden document indexes,
					   or NULL: no rankings */
	double		**score;	/* nq lists of scores, descending */
	const char	*source;	/* the run file read, or NULL */
	size_t		 nmissing;	/* judged queries the source lacks */
	unsigned char	*present;	/* nq: the source has the query, or
					   NULL (a replay has them all) */
} pf_stack_result;

typedef struct pf_measured {
	const pf_golden	*golden;	/* queries, judgments, documents */
	pf_te_spec	*spec;		/* the metrics (owned) */
	pf_te_opts	 te;
	size_t		 nq, nv, nstacks, njudged;
	unsigned char	*judged;	/* nq: the query has judgments */
	long		 primary;	/* value index of the primary metric */
	const char	*primary_name;	/* its printed name (borrowed) */
	pf_stack_result	*stacks;	/* nstacks; the first is the control */
} pf_measured;

/*
 * Sets up m for golden set g (borrowed) and the metrics spec (taken):
 * the judged mask, te's max grade, and nstacks empty stacks with values,
 * mean and n allocated (ids borrowed, set by the caller). PF_ENOMEM.
 */
int	pf_measured_init(pf_measured *m, const pf_golden *g, pf_te_spec *spec,
	    size_t nstacks, pf_err *err);
/*
 * Each stack's means over the judged queries, summed in query order (the
 * same bits for any thread count).
 */
int	pf_measured_summarize(pf_measured *m, pf_err *err);
/*
 * Leaves out of the judged queries those a stack's source lacks (trec_eval
 * without -c: only the queries every run has) and recomputes njudged; call
 * before pf_measured_summarize.
 */
void	pf_measured_common(pf_measured *m);

/* Frees what m holds (rankings included), not m itself. */
void	pf_measured_clear(pf_measured *m);

#endif /* PF_HARNESS_ENGINE_MEASURED_H */

/*
 * harness/analysis/importance.h — permutation and ablation importance of the
 * features one scoring stage reads (METHODS.md §3, scenario
 * <importance><features>), without retraining.
 *
 * The stack's prefix (the stages before the chosen one) is replayed once
 * per query and the candidates' feature rows at the stage's input are kept.
 * Then for every (item, repeat) — an item is one feature or one <group> —
 * the item's columns are changed in a per-thread copy of one query's rows
 * (permuted within the query with one permutation for the whole group;
 * across queries for query-level features, constant inside every query;
 * or replaced by the global mean, the query's mean, 0 or missing), the
 * stage re-scores them (its own process(), or for XGBoost gbdt models only
 * the trees that split on the item's features), the list is sorted as the
 * replay sorts, the stages after the chosen one run, and the metric is
 * measured. importance = baseline - permuted, per query and on the mean.
 *
 * Determinism: the permutation of query q in (item, repeat) is drawn from
 * stream q of pf_rng_key(seed, item, repeat, "fimp"), the query-block one
 * from stream nq, and each task writes its own slots, so results are the
 * same bytes for any OMP_NUM_THREADS.
 */
#ifndef PF_HARNESS_ANALYSIS_IMPORTANCE_H
#define PF_HARNESS_ANALYSIS_IMPORTANCE_H

#include <stddef.h>
#include <stdio.h>

#include "harness/analysis/gate.h"
#include "harness/engine/replay.h"
#include "reports/importance.h"

/* Options beyond the scenario (tests and the benchmark). */
typedef struct pf_imp_opts {
	int	fast;		/* 1 (default): the changed trees only, when
				   the stage is an XGBoost gbdt model;
				   0: the stage's own process() every time */
	size_t	n_boot;		/* 0: the scenario's n-boot */
	/*
	 * Distributed replay (harness/cli/dist.h). With pq_out: the tasks
	 * run only on queries [q0, q1), and instead of a result *pq_out gets
	 * their per-query values (npq = items x repeats x nq doubles, task
	 * major; the other queries' 0), *out stays NULL. With pq_in: no task
	 * runs, the values are pq_in's (every query's, npq_in doubles, as
	 * pq_out gives them, gathered from the ranges); the result is then
	 * the one process's, bit for bit: each (task, query) value depends on
	 * the task's key, the query and the query-block permutation (drawn
	 * from every query's candidates, which every range loads) alone.
	 */
	size_t	 q0, q1;
	double	**pq_out;
	size_t	*npq_out;
	const double *pq_in;
	size_t	 npq_in;
} pf_imp_opts;

void	pf_imp_opts_init(pf_imp_opts *o);

/*
 * Computes the importance one <features> element asks for on a replay that
 * has run (pf_replay_run). A stage that does not score from features, a
 * stack or stage that does not exist, a group naming a feature the stage
 * does not get or an unknown metric is PF_EDATA with err->where the
 * scenario's path:line.
 */
int	pf_importance_run(pf_rep_importance **out, const pf_replay *r,
	    const pf_scn_featimp *fi, const pf_imp_opts *o, pf_err *err);

/*
 * Before anything runs: each <features> names a stack, a stage that scores
 * from features and a metric the scenario measures. Problems go to d at
 * the scenario's path:line. PF_OK or PF_EFORMAT.
 */
int	pf_importance_check(const pf_replay *r, pf_diags *d);

/* Every <features> element of a run, and its max-share gates. */
typedef struct pf_imp_all {
	pf_rep_importance	**m;
	size_t			  n;
	pf_gate_list		  gates;	/* one per max-share */
} pf_imp_all;

/*
 * Runs every <features> of the scenario (nothing when it has none, *out
 * NULL) and evaluates one gate per max-share into (*out)->gates.
 */
int	pf_importance_all(pf_imp_all **out, const pf_replay *r, pf_err *err);

/*
 * Every <features>' per-query task values on queries [q0, q1) of r (one
 * shard's or MPI rank's share; see pf_imp_opts): pq[i] and npq[i] for
 * the scenario's <features> i (s->nfimp of them), owned by the caller.
 */
int	pf_importance_share(const pf_replay *r, size_t q0, size_t q1,
	    double **pq, size_t *npq, pf_err *err);
/*
 * The values gathered from every share, for pf_importance_all: set on the
 * replay (r->imp_given) by the merge, so that the analyses run as one
 * process runs them without running the tasks again.
 */
typedef struct pf_imp_given {
	double	**pq;		/* per <features>: items x repeats x nq */
	size_t	 *npq;
	size_t	  n;
} pf_imp_given;
void	pf_imp_all_free(pf_imp_all *a);
/* The top items of each on f (the table `preflight run` prints). */
void	pf_importance_print(const pf_imp_all *a, FILE *f);

#endif /* PF_HARNESS_ANALYSIS_IMPORTANCE_H */

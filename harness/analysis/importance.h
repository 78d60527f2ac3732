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
#include <stdint.h>
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
	 * Distributed replay (harness/cli/dist.h). With out: the tasks run
	 * only on queries [q0, q1) (sum: every query's summary, combined),
	 * and instead of a result *out gets their values (pf_imp_part),
	 * *result NULL. With in: no task runs, the values are in's (every
	 * query's, gathered from the ranges); the result is then the one
	 * process's, bit for bit: each (task, query) value depends on the
	 * task's key, the query's rows and the summary alone (see
	 * pf_imp_summary), which every range combines to the same bytes.
	 */
	size_t	 q0, q1;
	const struct pf_imp_summary *sum;
	struct pf_imp_part *out;
	const struct pf_imp_part *in;
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
 * What importance needs from every query's rows besides the query's own
 * (importance_sum.c): the global feature summary of one <features>, over
 * the queries a process holds, combinable across processes in any order
 * to the bytes one process computes over all of them:
 *   qn	   per query: it has candidates at the stage's input (the queries
 *	   the query-level permutation draws among);
 *   konst per column: the same (bitwise) inside every query seen (AND);
 *   q32, q64 per query, for the columns that may be query-level only
 *	   (constant inside every query seen, or marked query-level by the
 *	   names file: kcol): its first row's values (a query-level item
 *	   takes another query's; whether a column varies between queries
 *	   is read from them);
 *   s32, s64, k32, k64 per column (method "mean" only): exact sums
 *	   (metrics/xsum.h) and counts of the non-missing values.
 * nf 0: no query of the summary had candidates (it combines as nothing).
 * Its size: nq x nk floats (and doubles for a stage that reads them), nk
 * the columns constant inside every query (few where queries have many
 * candidates), plus the sums.
 */
typedef struct pf_imp_summary {
	size_t		 nq, nf;
	int		 has64, mean, base;
	unsigned char	*qn;		/* nq */
	unsigned char	*konst;		/* nf */
	unsigned char	*named;		/* nf: query-level by its name */
	size_t		 nk;		/* the columns kept: konst or named */
	uint32_t	*kcol;		/* nk, ascending */
	float		*q32;		/* nq x nk */
	double		*q64;		/* nq x nk, or NULL */
	struct pf_xsum	*s32, *s64;	/* nf each, or NULL */
	uint64_t	*k32, *k64;
} pf_imp_summary;

void	pf_imp_summary_free(pf_imp_summary *s);
/* Every <features>' summary over queries [q0, q1) of r (opened, its rows
   those of the range): out[i] for <features> i (s->nfimp). */
int	pf_importance_summarize(const pf_replay *r, size_t q0, size_t q1,
	    pf_imp_summary *out, pf_err *err);
/* into += from (disjoint queries): PF_OK, or PF_EDATA when the two saw
   different columns at the stage's input. */
int	pf_imp_summary_merge(pf_imp_summary *into, const pf_imp_summary *from,
	    pf_err *err);
/* Serialised (native byte order: MPI ranks of one build) and back. */
int	pf_imp_summary_encode(const pf_imp_summary *s, char **buf,
	    size_t *len);
int	pf_imp_summary_decode(pf_imp_summary *s, const char *buf, size_t len);

/* One <features>' values of a share (pf_imp_opts out/in): the tasks'
   per-query values (items x repeats x nq, task major, the other queries'
   0), the baseline metric of each query (nq; the range's), and each
   item's query-level flag (nitems; from the combined summary). */
typedef struct pf_imp_part {
	double		*pq;
	size_t		 npq;
	double		*bq;
	unsigned char	*ql;
	size_t		 nitems;
} pf_imp_part;
void	pf_imp_part_clear(pf_imp_part *p);

/*
 * The values gathered from every share, for pf_importance_all: set on the
 * replay (r->imp_given) by the merge, so that the analyses run as one
 * process runs them without running the tasks again (and without the
 * rows: the baseline and the query-level flags come with the values).
 */
typedef struct pf_imp_given {
	pf_imp_part	*p;		/* per <features> */
	size_t		 n;
} pf_imp_given;

/*
 * Every <features>' values on queries [q0, q1) of r (one shard's, MPI
 * rank's or run --mem block's share) into out (out->n = s->nfimp), with
 * sum the combined summaries (s->nfimp; NULL: the share's own rows').
 */
int	pf_importance_share(const pf_replay *r, size_t q0, size_t q1,
	    const pf_imp_summary *sum, pf_imp_given *out, pf_err *err);
void	pf_imp_all_free(pf_imp_all *a);
/* The top items of each on f (the table `preflight run` prints). */
void	pf_importance_print(const pf_imp_all *a, FILE *f);

#endif /* PF_HARNESS_ANALYSIS_IMPORTANCE_H */

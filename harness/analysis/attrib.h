/*
 * harness/analysis/attrib.h — why it moved, by stage (METHODS.md §3.5): exact
 * Shapley attribution of the end-to-end change over the stage slots in
 * which a treatment differs from the control, stage ablation, and the
 * oracle headroom split of each stack's loss into retrieval and ranking.
 *
 * Alignment (README "Stage attribution"): the two stacks' stages are
 * matched by name with a longest common subsequence (ties: the earliest
 * match in the control); unmatched stages between two matches are paired
 * in order (the treatment replaced that stage) and the rest become slots
 * one stack lacks (a missing stage passes the list through). A slot
 * differs when its two stages differ in name or parameters. Each
 * differing slot is a player, except that a differing slot whose stages
 * only add features (PF_STAGE_FEATURES without scoring or retrieving:
 * textfeatures) joins the next differing slot's player: a scorer cannot
 * run without its features, and features change nothing without a scorer
 * (the report says which were merged).
 * At most 5 players; every hybrid must start with its one retrieval stage.
 *
 * Each hybrid stack (player i from the treatment when bit i of the
 * coalition is set, else from the control) runs through the replay
 * engine's stages; the hybrids of a query share prefixes: a stage runs
 * once per distinct (choices of slots 0..j) prefix. Per-query Shapley
 * values are averaged over the judged queries; CIs come from one query
 * bootstrap shared by every player, the total and the ablations (same
 * resamples: the players' draws sum to the total's). Deterministic for
 * any thread count.
 */
#ifndef PF_HARNESS_ANALYSIS_ATTRIB_H
#define PF_HARNESS_ANALYSIS_ATTRIB_H

#include <stdint.h>
#include <stdio.h>

#include "harness/engine/replay.h"
#include "reports/attrib.h"

/*
 * Runs the scenario's <importance><stages/> and <oracle/> parts after
 * pf_replay_run. Bad alignment is PF_EDATA at the <stages> line. *out is
 * NULL when neither part is configured.
 */
int	pf_attrib_run(pf_attrib **out, const pf_replay *r, pf_err *err);
/*
 * Distributed replay (harness/cli/dist.h): the hybrids of every treatment
 * pair replayed on the judged queries of [q0, q1) only (one shard's or
 * MPI rank's share), kept per query instead of summarised. The merge
 * gathers every share into one pf_attrib_given and sets it on the replay
 * (r->attrib_given): pf_attrib_run then summarises those values instead
 * of replaying, which gives one process's result bit for bit (each
 * (configuration, query) value depends on the query alone; a failed
 * configuration is reported with its first failing query, as one process
 * reports it).
 */
typedef struct pf_attrib_share {
	size_t	 ncfg, nj;	/* configurations; judged queries (all) */
	double	*val;		/* nj x ncfg; rows outside the share 0 */
	size_t	*fail_x;	/* ncfg: first failing judged query, or
				   SIZE_MAX */
	pf_err	*fail_err;	/* ncfg: its error */
} pf_attrib_share;

/*
 * The oracle split's per-query values (attrib_oracle.c): for each judged
 * query (all, the share's filled) and stack, ideal, oracle, recall and
 * the number of candidates; each depends on the query's candidates alone.
 * A share whose oracle run fails fails (one process stops at the first
 * failing query: the first failing share's).
 */
typedef struct pf_attrib_given {
	pf_attrib_share	*p;	/* one per treatment pair, in order */
	size_t		 n;
	double		*oracle;	/* onj x ons x 4, or NULL */
	size_t		 onj, ons;
} pf_attrib_given;

int	pf_attrib_share_run(const pf_replay *r, size_t q0, size_t q1,
	    pf_attrib_given *out, pf_err *err);
void	pf_attrib_given_clear(pf_attrib_given *g);

/* The same checks (metric, alignment, hybrids) without replaying. */
int	pf_attrib_check(const pf_replay *r, pf_err *err);
void	pf_attrib_free(pf_attrib *a);
/* Terminal lines, one per player, ablation and stack. */
void	pf_attrib_print(const pf_attrib *a, FILE *f);

#endif /* PF_HARNESS_ANALYSIS_ATTRIB_H */

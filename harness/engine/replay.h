/*
 * harness/engine/replay.h — replay a golden set through stacks of stages
 * (DESIGN.md "Stacks and stages"), in parallel over queries, and measure
 * every stack with the scenario's metrics (metrics/treceval.h semantics).
 *
 * Determinism: each (stack, query) is computed from its inputs alone; the
 * engine sorts after every scoring stage by score descending, then docid
 * descending (trec_eval's order, a total order), so results are identical
 * for any thread count.
 */
#ifndef PF_HARNESS_ENGINE_REPLAY_H
#define PF_HARNESS_ENGINE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "harness/engine/measured.h"
#include "harness/util/diags.h"
#include "harness/load/golden.h"
#include "harness/load/scenario.h"
#include "harness/stages/stage.h"
#include "metrics/treceval.h"

typedef struct pf_replay pf_replay;

/* How the stages open: strict (`run --strict`) and where warnings go. */
typedef struct pf_replay_opts {
	int		 strict;
	pf_diags	*warnings;	/* NULL: none kept */
} pf_replay_opts;


struct pf_replay {
	pf_measured	 m;		/* what the replay measured */
	const pf_scenario *scn;
	pf_golden	*golden;	/* = m.golden, for the stages */
	int32_t		*qgrades;	/* pf_qrels_grades_desc: per topic */
	size_t		*qoff;
	/* per stack: the final lists' feature rows (nq lists), and with
	   keep_feats a copy of their features, row i = candidate i */
	uint32_t	***row;
	pf_feats	**feats;
	/* stage instances, per stack */
	const pf_stage_ops ***ops;
	void		***state;
	pf_replay_opts	 opts;
	int		 progress;	/* show progress on stderr */
	int		 keep_feats;	/* keep the final lists' features (export) */
	/* with ranged, pf_replay_run replays only queries [q0, q1) (a shard,
	   an MPI rank); the other queries' lists stay empty */
	int		 ranged;
	size_t		 q0, q1;
	/* what the analyses gathered from the ranges (harness/analysis/
	   importance.h pf_imp_given), or NULL: opaque to the engine */
	const struct pf_imp_given *imp_given;
	const struct pf_attrib_given *attrib_given;	/* attrib.h */
	char		 primary_name[160];	/* m.primary_name points here */
};

/*
 * Builds the metric spec and opens every stage (this reads every file the
 * scenario names and checks models against features). Problems go to d.
 * pf_replay_open is pf_replay_open_with default options.
 */
int	pf_replay_open(pf_replay **out, const pf_scenario *s, pf_golden *g,
	    pf_diags *d);
int	pf_replay_open_with(pf_replay **out, const pf_scenario *s,
	    pf_golden *g, const pf_replay_opts *o, pf_diags *d);
/* Replays every query (with ranged, those of [q0, q1)) through every
   stack. */
int	pf_replay_run(pf_replay *r, pf_err *err);
void	pf_replay_free(pf_replay *r);

/*
 * Building blocks of the replay for hybrid stacks (harness/analysis/attrib.c), from
 * inside OpenMP workers. pf_replay_step runs stage i of stack k on c (then
 * checks and sorts when the stage scores); q->index is the query.
 * pf_replay_measure writes the nv metric values of the ranked list c for
 * judged query qi; it is pf_replay_grades (the list's grades for the
 * metrics, into a) then pf_replay_eval_grades (any list of grades, e.g. an
 * oracle ordering). They use a only as scratch.
 */
int	pf_replay_step(const pf_replay *r, size_t k, size_t i,
	    const pf_query *q, pf_cands *c, pf_arena *a, pf_err *err);
int	pf_replay_measure(const pf_replay *r, size_t qi, const pf_cands *c,
	    pf_arena *a, double *values, pf_err *err);
int	pf_replay_grades(const pf_replay *r, size_t qi, const pf_cands *c,
	    pf_arena *a, int32_t **out, pf_err *err);
int	pf_replay_eval_grades(const pf_replay *r, size_t qi,
	    const int32_t *rel, size_t n, double *values, pf_err *err);
/* The grades metrics see for n golden documents of judged query qi. */
void	pf_replay_doc_grades(const pf_replay *r, size_t qi,
	    const uint32_t *doc, size_t n, int32_t *rel);
/*
 * Runs stages [from, to) of stack k on query qi into c, sorting after every
 * scoring stage as the replay does (from 0 starts an empty list). For the
 * importance analyses, which replay a stack's prefix and suffix themselves.
 */
int	pf_replay_stages(const pf_replay *r, size_t k, size_t from, size_t to,
	    size_t qi, pf_cands *c, pf_arena *a, pf_err *err);

#endif /* PF_HARNESS_ENGINE_REPLAY_H */

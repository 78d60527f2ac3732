/*
 * harness/cli/dist.h — distributed replay for `preflight run`: one shard
 * of the queries (`run --shard I/N`, a partial result written for `preflight
 * merge`), the merge of the parts, and MPI (`mpirun -np N preflight run`:
 * every rank replays its range, rank 0 gathers the parts, merges them and
 * writes the outputs). The parts are decide/partial.h's; the rest of the
 * run is the one-process pipeline, so the outputs are the same bytes.
 *
 * MPI is compiled in when CMake finds it (PF_HAVE_MPI) and used only when
 * the process was started by an MPI launcher (mpirun, srun with PMIx).
 */
#ifndef PF_HARNESS_CLI_DIST_H
#define PF_HARNESS_CLI_DIST_H

#include <stddef.h>

#include "harness/decide/outputs.h"
#include "harness/decide/partial.h"

typedef struct pf_dist {
	int		 sharded;	/* --shard I/N */
	size_t		 shard, nshards;
	pf_part		*parts;		/* merge: the parts, in shard order */
	size_t		 nparts;
	const char	*cmdline;	/* merge: the command to record */
	int		 rank, size;	/* MPI; size 0 when not under MPI */
	pf_imp_given	 given;		/* merged: the importance values of
					   every range (r->imp_given) */
	pf_attrib_given	 agiven;	/* and the attribution's */
	int		 inproc;	/* parts: run --mem's blocks, made in
					   this process (owned, no input
					   sha256: the inputs are this run's) */
	pf_imp_summary	*sums;		/* importance: every query's summary
					   (s->nfimp), combined from the
					   ranges; NULL: none yet */
	size_t		 nsums;
	/* MPI with --export-features: each rank renders its queries' rows
	   of the stack (NULL: the control); rank 0 gets every rank's, in
	   rank order, which is query order (export_rows, malloc'd) */
	int		 export;
	const char	*export_stack;
	char		*export_rows;
	size_t		 export_len;
} pf_dist;

/* Frees what a merge gathered into d (not d). */
void	pf_dist_clear(pf_dist *d);

/* Whether d changes what `run` does (a shard, a merge, MPI ranks). */
int	pf_dist_active(const pf_dist *d);

/* --shard I/N (0 <= I < N) into d: 0, or -1 when v is not that. */
int	pf_dist_parse_shard(pf_dist *d, const char *v);
/*
 * What a distributed run cannot do yet, by its option name, or NULL: the
 * history's feature statistics read every query's feature rows, which
 * stay with the shard (or rank) that replayed them; --export-features
 * needs them too, and MPI ranks send theirs to rank 0 (a shard's part
 * does not hold them); a shard writes no --per-query file.
 */
const char	*pf_dist_refused(const pf_dist *d, const char *history,
		    const char *export, size_t nlabel, const char *per_query);

/*
 * The queries whose candidate rows this process reads (golden.h
 * pf_golden_set_share): a shard's or rank's range, none for a merge (the
 * parts hold the values); 0 when it reads every row: one process or
 * --check. Importance <features> need a summary of every query's rows
 * besides (pf_dist_add_summary); stage attribution nothing more.
 */
int	pf_dist_share(const pf_dist *d, const pf_scenario *s, int check,
	    size_t nq, size_t *q0, size_t *q1);

/*
 * run --mem: block b of nb (pf_part_range) replayed on r (opened with the
 * golden set's share set to that block) and kept in d as a part, as a
 * shard would write it; after the last, a replay opened with no rows
 * (share [0, 0)) and pf_dist_replay merge them: the outputs of one
 * in-memory run (decide/partial.h says why).
 */
int	pf_dist_stream_block(pf_dist *d, pf_replay *r, size_t b, size_t nb,
	    pf_err *err);

/*
 * Importance: the summary (analysis/importance.h pf_imp_summary) of r's
 * queries [q0, q1) added into d->sums; the ranges added must be disjoint
 * and, once the tasks run, cover every query (any order).
 */
int	pf_dist_add_summary(pf_dist *d, const pf_replay *r, size_t q0,
	    size_t q1, pf_err *err);

/* MPI (dist_sum.c): every rank's summary of its queries (ok: its replay
   succeeded) combined into d->sums on every rank; a collective. */
int	pf_dist__mpi_summaries(pf_dist *d, pf_replay *r, int ok, pf_err *err);

/* Starts MPI when launched by an MPI launcher: d->rank and d->size. */
void	pf_dist_mpi_start(pf_dist *d);
void	pf_dist_mpi_end(pf_dist *d);
/*
 * Every MPI rank calls it with whether it failed (loading): the lowest
 * rank that failed, or -1 when none did. Without MPI: 0 or -1.
 */
int	pf_dist_first_failed(const pf_dist *d, int failed);

/*
 * The replay of r for d: every query (no d), this shard's queries then
 * the part written into oc->dir/part.pfp (*rc 0), the parts merged, or
 * under MPI this rank's queries gathered at rank 0, which merges them
 * (ranks other than 0: *rc their exit code, 0 or 2). *rc -1: r holds every
 * query, the run goes on. A failure is PF_* with err (under MPI at rank
 * 0: the first failing rank's error, as one process would give it).
 */
int	pf_dist_replay(pf_dist *d, pf_replay *r, const pf_outputs_cfg *oc,
	    int *rc, pf_err *err);

/* `preflight run` (harness/cli/run.c) for d: NULL is one process (MPI
   when launched by mpirun); a merge's d holds its parts. */
int	pf_cli_run_dist(int argc, char **argv, pf_dist *d);

#endif /* PF_HARNESS_CLI_DIST_H */

/*
 * harness/cli/run_mem.h — `run --mem BYTES`: a replay whose candidate
 * files would hold more than BYTES (default: 70% of physical memory)
 * runs as in-process shards over blocks of queries, each block reading
 * only its byte ranges of the files (load/svmindex.h), then the merge of
 * `preflight merge` (cli/dist.h): the outputs of the in-memory run.
 */
#ifndef PF_HARNESS_CLI_RUN_MEM_H
#define PF_HARNESS_CLI_RUN_MEM_H

#include <stddef.h>
#include <stdio.h>

#include "harness/cli/dist.h"

/* BYTES, BYTESK, BYTESM, BYTESG (1024-based) into *out: 0, or -1. */
int	pf_run_mem_parse(const char *v, size_t *out);
/* 70% of physical memory. */
size_t	pf_run_mem_default(void);

/*
 * Whether the run may stream: one process (no shard, merge or MPI), not
 * --check, no history and no --export-features (they keep the final
 * lists' features). Importance <features> stream in two passes
 * (pf_run_mem_summaries), stage attribution as the replay does. When it may, before the stages open: the golden
 * set's files larger than mem / 4 are indexed, none of their rows read.
 */
int	pf_run_mem_may(const pf_dist *d, const pf_scenario *s, int check,
	    const char *history, const char *export);
void	pf_run_mem_probe(pf_golden *g, size_t mem);

/*
 * After the probe: the files fit mem (r reopened on whole files) or the
 * replay streams (the blocks replayed into d, r reopened on no rows:
 * pf_dist_replay merges them). *nb: the blocks (0: none); *reopened: the
 * stages opened again (their warnings in ro->warnings, those of the
 * probe's opening superseded). Problems of a reopen or a block: err.
 */
int	pf_run_mem_stream(pf_dist *d, pf_replay **r, pf_golden *g,
	    const pf_replay_opts *ro, size_t mem, size_t *nb, int *reopened,
	    pf_err *err);

/*
 * Importance (s->nfimp > 0): the summary of every query's rows in d
 * (dist.h pf_dist_add_summary), read block by block — block b of nb
 * (pf_part_range) opened, summarised and dropped — for a shard (the other
 * shards' queries; own: its shard, r opened again on it last) and for
 * run --mem's streamed blocks (own SIZE_MAX: a pass before the replay).
 * Memory: one block's rows at a time, and the summary.
 */
int	pf_run_mem_summaries(pf_dist *d, pf_replay **r, pf_golden *g,
	    const pf_replay_opts *ro, size_t nb, size_t own, pf_err *err);

/* run --check: the blocks a run would stream in (0: it fits), from the
   estimate of the files held (memest). */
size_t	pf_run_mem_blocks(size_t candidates, size_t nq, size_t mem);
/* Its line ("memory: the candidates fit --mem ..."); may: pf_run_mem_may
   but for --check; importance: the scenario has <features> (the blocks
   are read twice). */
void	pf_run_mem_print_check(FILE *f, size_t candidates, size_t nq,
	    size_t mem, int may, int importance);

#endif /* PF_HARNESS_CLI_RUN_MEM_H */

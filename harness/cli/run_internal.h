/*
 * harness/cli/run_internal.h — what run.c shares with the files that hold
 * parts of `preflight run`: run_check.c (--check's report) and
 * run_history.c (the history the run is appended to).
 */
#ifndef PF_HARNESS_CLI_RUN_INTERNAL_H
#define PF_HARNESS_CLI_RUN_INTERNAL_H

#include <stddef.h>

#include "harness/cli/dist.h"
#include "harness/decide/files.h"
#include "harness/decide/run.h"
#include "harness/history/history.h"
#include "harness/history/reference.h"
#include "harness/util/diags.h"

typedef struct run_args {
	const char	*path, *junit, *out, *export, *export_stack;
	const char	*per_query;	/* --per-query, or NULL */
	const char	*history;	/* --history, or NULL */
	const char	*cache;		/* --cache, or NULL */
	size_t		 cache_max;	/* --cache-max, or its default */
	const char	**label;	/* --label values */
	size_t		 nlabel;
	int		 check, quiet, strict;
	size_t		 mem;		/* --mem, or its default */
	double		 load_s;	/* scenario, golden set and stages
					   opened: wall seconds (--check) */
	char		 cmdline[2048];
	pf_dist		*dist;		/* --shard, merge, MPI */
} run_args;

/* The run's history database and labels, when it has one. */
typedef struct run_history {
	const char	*db;
	pf_history	*h;
	pf_hist_labels	 labels;
	pf_gate_refs	 refs;	/* what against= gates compare with */
} run_history;

/* run --check: what a run would do, without replaying; the exit code. */
int	pf_run__check_only(const run_args *a, const pf_replay *r);
/* The command line into a (run_args.c): 0 to go on, 1 after --help, -1
   on a usage error (printed). */
int	pf_run__parse_args(run_args *a, int argc, char **argv);

/*
 * The labels (the scenario's, then --label's) and the database (--history,
 * else the scenario's <history db>), opened before the replay. PF_OK, or
 * PF_EFORMAT with the problem in d.
 */
int	pf_run__open_history(const run_args *a, const pf_scenario *s,
	    run_history *hi, pf_diags *d);
/* Appends the finished run (exit code rc) to the history. PF_OK or err. */
int	pf_run__append_history(const run_args *a, pf_replay *r,
	    pf_run_result *x, const pf_outputs_cfg *oc, run_history *hi,
	    int rc, pf_err *err);

#endif /* PF_HARNESS_CLI_RUN_INTERNAL_H */

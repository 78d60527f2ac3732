/*
 * harness/decide/export.h — `run --export-features`: SVMlight/LETOR rows
 * (`grade qid:Q id:v ... # docid`) of one stack's final candidates, the
 * features as the stack's rankers saw them, so a model can be trained on
 * exactly what is replayed.
 */
#ifndef PF_HARNESS_DECIDE_EXPORT_H
#define PF_HARNESS_DECIDE_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "harness/engine/replay.h"
#include "harness/util/fileio.h"

/*
 * Stack id (NULL = the control) of a replay run with keep_feats, written
 * to a temporary beside path (af, open and not committed: hand it to
 * pf_outputs_cfg.extra so it is replaced with the other outputs, all or
 * none; aborted on error). An explicit "nan" the stack kept as a double
 * is written as nan; absent features are left out. rows (nrows bytes):
 * the rows already rendered (pf_outputs_export_rows of every query, in
 * query order: MPI ranks' pieces gathered at rank 0), or NULL: rendered
 * from r.
 */
int	pf_outputs_export_features(const pf_replay *r, const char *stack,
	    const char *rows, size_t nrows, pf_atomic_file *af,
	    const char *path, pf_err *err);
/* The index of stack id (NULL: the control, 0) in r, or -1. */
long	pf_outputs_export_stack(const pf_replay *r, const char *stack);
/*
 * The rows of stack k for queries [q0, q1) (r holds their features: the
 * replay of that range with keep_feats) into f, as the export writes
 * them. 0, or -1 on a write error.
 */
int	pf_outputs_export_rows(const pf_replay *r, long k, size_t q0,
	    size_t q1, FILE *f);

#endif /* PF_HARNESS_DECIDE_EXPORT_H */

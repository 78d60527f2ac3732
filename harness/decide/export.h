/*
 * harness/decide/export.h — `run --export-features`: SVMlight/LETOR rows
 * (`grade qid:Q id:v ... # docid`) of one stack's final candidates, the
 * features as the stack's rankers saw them, so a model can be trained on
 * exactly what is replayed.
 */
#ifndef PF_HARNESS_DECIDE_EXPORT_H
#define PF_HARNESS_DECIDE_EXPORT_H

#include "harness/engine/replay.h"
#include "harness/util/fileio.h"

/*
 * Stack id (NULL = the control) of a replay run with keep_feats, written
 * to a temporary beside path (af, open and not committed: hand it to
 * pf_outputs_cfg.extra so it is replaced with the other outputs, all or
 * none; aborted on error). An explicit "nan" the stack kept as a double
 * is written as nan; absent features are left out.
 */
int	pf_outputs_export_features(const pf_replay *r, const char *stack,
	    pf_atomic_file *af, const char *path, pf_err *err);

#endif /* PF_HARNESS_DECIDE_EXPORT_H */

/*
 * harness/engine/runs.h — TREC run files as measurements (the producer
 * behind `preflight compare`): each run evaluated against the golden set's
 * qrels with trec_eval's semantics (harness/engine/eval.h) into one stack
 * of a pf_measured. A judged query the run lacks scores 0 (trec_eval -c),
 * so every run is paired over the same queries; the count is kept.
 */
#ifndef PF_HARNESS_ENGINE_RUNS_H
#define PF_HARNESS_ENGINE_RUNS_H

#include "harness/engine/measured.h"

/*
 * Evaluates the run at path into stack k of m (set up by
 * pf_measured_init): values, list lengths, source and nmissing. Errors:
 * those of pf_evalrun_file (path:line), PF_ENOMEM.
 */
int	pf_runs_measure(pf_measured *m, size_t k, const char *path,
	    pf_err *err);

#endif /* PF_HARNESS_ENGINE_RUNS_H */

/*
 * harness/history/reference.h — the run a gate against="last-pass" (or
 * "label:KEY=VALUE") compares with, and its stored per-query values
 * (README "Against last known good"); also the run `preflight diff`
 * names by DB#last-pass.
 */
#ifndef PF_HARNESS_HISTORY_REFERENCE_H
#define PF_HARNESS_HISTORY_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "harness/decide/gates.h"
#include "harness/history/history.h"
#include "harness/load/scenario.h"
#include "harness/util/diags.h"

/*
 * The reference run of scenario for against ("last-pass": the last run
 * whose gates all passed and that exited 0; "label:KEY=VALUE": the last
 * run carrying that label, passed or not), among the runs with an id
 * below before (0: all). *id_out 0 when there is none. Errors name the
 * database.
 */
int	pf_history_reference(pf_history *h, const char *scenario,
	    const char *against, int64_t before, int64_t *id_out, pf_err *err);

/* "run 3 of 2026-01-31T02:00:00Z (commit=c3)": a run, for messages. */
void	pf_history_run_words(const pf_hist_runinfo *r, char *b, size_t sz);

/*
 * Before anything runs: a gate with against= needs a history (db NULL:
 * there is none); each such gate is a problem in d at its line.
 */
int	pf_history_check_against(const pf_scenario *s, const char *db,
	    pf_diags *d);

/*
 * For every against= gate of s and every stack it judges (its stack, or
 * every treatment), the reference run's stored values of that stack id on
 * the gate's metric, or why there are none, appended to out. Called
 * before the replay: tonight's run is appended after its outputs, so it
 * is never its own reference.
 */
int	pf_history_gate_refs(pf_history *h, const pf_scenario *s,
	    pf_gate_refs *out, pf_err *err);

#endif /* PF_HARNESS_HISTORY_REFERENCE_H */

/*
 * harness/decide/outputs.h — the files a run leaves behind (DESIGN.md "Outputs").
 */
#ifndef PF_HARNESS_DECIDE_OUTPUTS_H
#define PF_HARNESS_DECIDE_OUTPUTS_H

#include "harness/decide/assess.h"
#include "harness/util/diags.h"
#include "harness/engine/replay.h"
#include "harness/load/scenario.h"

/* results.json, report.html, junit.xml and (when s->runs) one TREC run per
   stack, into s->out_dir; nothing is replaced unless all are written. */
int	pf_outputs_write(const pf_scenario *s, const pf_replay *r,
	    const pf_assess *as, double secs, const char *cmdline, pf_err *err);
/* A junit.xml with one error case listing the problems (bad input). */
void	pf_outputs_junit_error(const char *path, const char *scn,
	    const pf_diags *d);
/*
 * SVMlight/LETOR rows (`grade qid:Q id:v ... # docid`) of one stack's final
 * candidates (stack NULL = the control), the features as the stack's
 * rankers saw them, so a model can be trained on exactly what is replayed.
 */
int	pf_outputs_export_features(const pf_replay *r, const char *stack,
	    const char *path, pf_err *err);
/* The per-stack table of means on stdout. */
void	pf_outputs_print_table(const pf_replay *r);
/* Each treatment's primary delta, the gates and the verdict on stdout. */
void	pf_outputs_print_verdict(const pf_replay *r, const pf_assess *as);

#endif /* PF_HARNESS_DECIDE_OUTPUTS_H */

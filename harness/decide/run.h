/*
 * harness/decide/run.h — everything `preflight run` computes after the
 * replay, in order: the comparison statistics, interleaving, the label
 * bootstrap, stage attribution, feature importance, the predicted lift,
 * the golden-set checks, the declared gates and the expectations; then the
 * decision, once, from every gate result the analyses returned.
 */
#ifndef PF_HARNESS_DECIDE_RUN_H
#define PF_HARNESS_DECIDE_RUN_H

#include "harness/analysis/featrun.h"
#include "harness/decide/gates.h"
#include "harness/decide/outputs.h"
#include "harness/engine/replay.h"

typedef struct pf_run_result {
	pf_comparison	*cmp;
	pf_interleaving	*il;
	pf_lboot	*lboot;
	pf_attrib	*attrib;
	pf_imp_all	*imp;
	pf_liftrun	*lift;
	pf_featrun	*feat;		/* feature gates and report */
	struct json_t	*validation;	/* NULL when the checks could not run */
	long		 vfailed;	/* golden-set rules failed, -1: n/a */
	pf_gate_list	 gates;		/* the scenario's <gates> */
	pf_expectations	 exps;
	pf_decision	*decision;
	pf_outcome	 outcome;	/* all of the above, for the outputs */
} pf_run_result;

/* The scenario's <compare> attributes as the statistics take them. */
void	pf_run_compare_opts(const pf_scenario *s, pf_compare_opts *out);

/*
 * What a run would evaluate, checked before anything is replayed (`run`
 * and `run --check` refuse the scenario, exit 2): the <lift> block, every
 * gate, the expectations, every <importance><features>. Every problem goes
 * to d with the scenario's (or the expectations file's) path:line.
 */
int	pf_run_check(const pf_replay *r, pf_diags *d);

/*
 * Runs every analysis of r's scenario and decides. refs: what its
 * against= gates compare with (read from the history before the replay),
 * or NULL (those gates are then skipped).
 */
int	pf_run_analyze(pf_run_result **out, const pf_replay *r,
	    const pf_gate_refs *refs, pf_err *err);
void	pf_run_result_free(pf_run_result *x);

#endif /* PF_HARNESS_DECIDE_RUN_H */

/*
 * harness/analysis/featrun.h — the scenario's feature elements in a run
 * (README "Know your features"): each <gates><feature-gate> compares a
 * stack's candidates with its reference file (`features skew REF
 * CANDIDATES`) and passes or fails on max-psi / max-mismatch (one gate
 * result each, for the verdict and JUnit); <features-report> keeps the
 * statistics (and the skew against its reference) as JSON for
 * results.json and report.html. The numbers are harness/check/featstats.h's.
 */
#ifndef PF_HARNESS_ANALYSIS_FEATRUN_H
#define PF_HARNESS_ANALYSIS_FEATRUN_H

#include <jansson.h>

#include "harness/analysis/gate.h"
#include "harness/load/scenario.h"
#include "metrics/err.h"

typedef struct pf_featrun {
	pf_gate_list	 gates;		/* one per <feature-gate> */
	json_t		*report;	/* <features-report>, or NULL */
} pf_featrun;

/*
 * Runs s's feature gates and report into *out (NULL when s has neither;
 * caller frees with pf_featrun_free). A candidates or reference file
 * that cannot be read is bad input: PF_EFORMAT / PF_EIO with its
 * file:line, as `features skew` says it; a gate naming a stack without a
 * candidates file PF_EINVAL at the scenario's line.
 */
int	pf_featrun_run(pf_featrun **out, const pf_scenario *s, pf_err *err);
void	pf_featrun_free(pf_featrun *f);

#endif /* PF_HARNESS_ANALYSIS_FEATRUN_H */

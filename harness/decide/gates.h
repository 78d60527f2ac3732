/*
 * harness/decide/gates.h — the declared gates (a scenario's <gates>, or
 * `compare --gate`): thresholds on a treatment's mean (min), its delta
 * against the control (min-delta, on the estimate or the CI lower bound),
 * a significant gain (Holm p below alpha, CI above 0), the control's mean
 * (min), or the interleaving delta (metric="interleave"). One result per
 * (gate, treatment it applies to), in declaration order.
 */
#ifndef PF_HARNESS_DECIDE_GATES_H
#define PF_HARNESS_DECIDE_GATES_H

#include <stddef.h>

#include "harness/analysis/compare.h"
#include "harness/analysis/gate.h"
#include "harness/analysis/interleave.h"
#include "harness/engine/measured.h"
#include "harness/load/scenario.h"

typedef struct pf_gate_defs {
	const pf_scn_gate	*v;
	size_t			 n;
	const char		*source;	/* the file declaring them */
	double			 alpha;		/* for significant gains */
} pf_gate_defs;

/*
 * Before anything runs (`run` and `run --check` refuse the scenario): every
 * gate names a metric m measures (by its printed name, ndcg_cut_10) or
 * "interleave" with <interleave> present (interleave says so), and a stack
 * m has; a gate on the control sets min. Each problem goes to d at the
 * gate's line, with what would be valid. PF_OK or PF_EFORMAT.
 */
int	pf_gates_check(const pf_gate_defs *defs, const pf_measured *m,
	    int interleave, pf_diags *d);

/*
 * Evaluates every gate of defs into out (appended). il may be NULL (an
 * interleave gate is then an error result). PF_ENOMEM.
 */
int	pf_gates_eval(pf_gate_list *out, const pf_gate_defs *defs,
	    const pf_measured *m, const pf_comparison *c,
	    const pf_interleaving *il, pf_err *err);

#endif /* PF_HARNESS_DECIDE_GATES_H */

/*
 * harness/decide/gates.h — the declared gates (a scenario's <gates>, or
 * `compare --gate`): thresholds on a treatment's mean (min), its delta
 * against the control (min-delta, on the estimate or the CI lower bound),
 * a significant gain (Holm p below alpha, CI above 0), the control's mean
 * (min), the interleaving delta (metric="interleave"), or a delta against
 * a run stored in the history (against="last-pass"). One result per
 * (gate, stack it applies to), in declaration order.
 */
#ifndef PF_HARNESS_DECIDE_GATES_H
#define PF_HARNESS_DECIDE_GATES_H

#include <stddef.h>
#include <stdint.h>

#include "harness/analysis/compare.h"
#include "harness/analysis/gate.h"
#include "harness/analysis/interleave.h"
#include "harness/engine/measured.h"
#include "harness/load/scenario.h"

/*
 * What a gate against="last-pass" (or "label:KEY=VALUE") compares with:
 * the per-query values of the stack it judges in the reference run, read
 * from the history before the replay (harness/history/history.h,
 * pf_history_gate_refs), or why there are none (the gate is then
 * skipped). One per (gate, stack it judges).
 */
typedef struct pf_gate_ref {
	size_t		 gate, stack;	/* index in the defs; stack judged */
	int64_t		 run;		/* the reference run; 0: none */
	char		 run_desc[256];	/* "run 3 (TIME, labels)" */
	char		 why[320];	/* nothing to compare: why */
	char		**qid;		/* n qids and values, owned */
	double		*value;
	size_t		 n;
} pf_gate_ref;

typedef struct pf_gate_refs {
	pf_gate_ref	*v;
	size_t		 n, cap;
} pf_gate_refs;

/* A new zeroed reference at the end of r, or NULL when out of memory. */
pf_gate_ref	*pf_gate_refs_add(pf_gate_refs *r);
/* Frees r's references and what they own, and empties r. */
void	pf_gate_refs_clear(pf_gate_refs *r);

/* An against= gate with fewer common queries than this is skipped. */
#define PF_AGAINST_MIN_QUERIES	10

typedef struct pf_gate_defs {
	const pf_scn_gate	*v;
	size_t			 n;
	const char		*source;	/* the file declaring them */
	double			 alpha;		/* for significant gains */
	/* against= gates: allowed (the caller reads their references from
	   a history), their references and the statistics' settings */
	int			 stored;
	const pf_gate_refs	*refs;
	const pf_compare_opts	*co;
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
 * Gate gi of defs, against="...", on stack k (decide/against.c): tonight's
 * judged values of its metric paired by qid with the reference's
 * (analysis/pair.h) and tested as every delta is; min-delta on the
 * estimate or the CI lower bound. Skipped, with the reason, when there is
 * no reference run or fewer than PF_AGAINST_MIN_QUERIES common queries.
 */
int	pf_gates_against(pf_gate_result *gr, const pf_gate_defs *defs,
	    const pf_measured *m, size_t gi, size_t k, pf_err *err);

/*
 * Evaluates every gate of defs into out (appended). il may be NULL (an
 * interleave gate is then an error result). PF_ENOMEM.
 */
int	pf_gates_eval(pf_gate_list *out, const pf_gate_defs *defs,
	    const pf_measured *m, const pf_comparison *c,
	    const pf_interleaving *il, pf_err *err);

#endif /* PF_HARNESS_DECIDE_GATES_H */

/*
 * harness/analysis/gate.h — the result of one gate, as every analysis
 * that can hold a run back returns it: the scenario's declared <gates>
 * (harness/decide/gates.h), the expectations, the min-lift gate
 * (harness/analysis/lift.h), the importance max-share gates
 * (harness/analysis/importance.h). Each analysis fills its own list; the
 * decision (harness/decide/verdict.h) reads them all, once, last.
 */
#ifndef PF_HARNESS_ANALYSIS_GATE_H
#define PF_HARNESS_ANALYSIS_GATE_H

#include <stddef.h>

/* pass, fail, could not be evaluated, not applicable */
enum { PF_GATE_PASS, PF_GATE_FAIL, PF_GATE_ERROR, PF_GATE_SKIP };

typedef struct pf_gate_result {
	char		 id[64];	/* "ndcg10_no_big_loss", "min_lift" */
	long		 line;		/* where it is declared, 0 = none */
	size_t		 stack;		/* the stack it judges */
	int		 status;	/* PF_GATE_* */
	char		 name[256];	/* "id: what, B vs A" */
	char		 message[512];	/* one line */
	char		 details[2048];
} pf_gate_result;

typedef struct pf_gate_list {
	pf_gate_result	*v;
	size_t		 n, cap;
} pf_gate_list;

/* A new zeroed result at the end of l, or NULL when out of memory. */
pf_gate_result	*pf_gate_add(pf_gate_list *l);
/* How many of l's results have status st. */
size_t	pf_gate_count(const pf_gate_list *l, int st);
/* Frees l's results and empties it (l itself is the caller's). */
void	pf_gate_list_clear(pf_gate_list *l);

#endif /* PF_HARNESS_ANALYSIS_GATE_H */

/*
 * harness/decide/verdict.h — the decision, made once and last: every gate
 * result the analyses returned (the declared gates, the min-lift gate, the
 * importance max-share gates) and the expectations are collected, then the
 * verdict rule declared in <compare> (scenario.xsd) is applied:
 *
 * for each treatment,
 *	DO NOT REQUEST	a gate judging it (or the control) fails, one of
 *			its expectations fails, or its primary metric is a
 *			significant regression (Holm p below alpha, CI below 0);
 *	REQUEST A SLOT	its primary delta is at least min-effect, its CI
 *			excludes 0 and its Holm p is below alpha;
 *	INCONCLUSIVE	otherwise;
 * and overall: DO NOT REQUEST when any gate or judged expectation fails
 * (the exit code is then 1), else REQUEST A SLOT when some treatment
 * earns one, DO NOT REQUEST when every treatment is refused, otherwise
 * INCONCLUSIVE.
 *
 * The exit code follows from the same collection (pf_decision_exit), so
 * the terminal, results.json, junit.xml, report.html and the exit code
 * cannot disagree.
 */
#ifndef PF_HARNESS_DECIDE_VERDICT_H
#define PF_HARNESS_DECIDE_VERDICT_H

#include <stddef.h>

#include "harness/analysis/compare.h"
#include "harness/analysis/gate.h"
#include "harness/decide/expectations.h"
#include "harness/engine/measured.h"
#include "harness/load/scenario.h"

typedef struct pf_verdict_rule {
	double	min_effect;	/* smallest primary delta worth a slot */
	double	alpha;
	/* the scenario whose declared gates (<gates>, min-lift) and
	   expectations file the rule text names with their thresholds as
	   written; NULL: none (compare) */
	const pf_scenario	*scn;
} pf_verdict_rule;

/* The verdict on one treatment. */
typedef struct pf_treatment_verdict {
	size_t		 stack;
	const char	*verdict;
	char		 why[640];
} pf_treatment_verdict;

typedef struct pf_decision {
	pf_gate_list		 gates;		/* every gate, in order */
	size_t			 nfailed;	/* gates that failed */
	const pf_expectations	*exps;		/* borrowed, or NULL */
	pf_treatment_verdict	*per;		/* one per treatment */
	size_t			 nper;
	const char		*verdict;	/* overall: REQUEST A SLOT, DO
						   NOT REQUEST, INCONCLUSIVE */
	char			 why[768];
	char			 rule[2048];
} pf_decision;

/*
 * Collects the nlists gate lists (copied, in order) and e, and decides
 * each treatment and the whole run. PF_OK or PF_ENOMEM.
 */
int	pf_decide(pf_decision **out, const pf_measured *m,
	    const pf_comparison *c, const pf_gate_list *const *lists,
	    size_t nlists, const pf_expectations *e,
	    const pf_verdict_rule *rule, pf_err *err);
void	pf_decision_free(pf_decision *d);

/* 1 when a gate or a judged expectation failed, else 0. */
int	pf_decision_exit(const pf_decision *d);

#endif /* PF_HARNESS_DECIDE_VERDICT_H */

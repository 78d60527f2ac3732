/*
 * harness/decide/expectations.h — the golden set's expectations.tsv
 * (qid, docid, max_rank: "this item stays in the top 3 for this query")
 * checked on every stack's ranking: one result per (expectation, stack).
 *
 * What is judged: the treatments' rankings, or the control's when it is
 * the only stack (a nightly job on one stack). With treatments, the
 * control's results are shown but not judged: a broken one is reported as
 * skipped ("the control breaks it"), since the verdict is about the
 * treatments and a treatment that fixes it must not fail the run. A query
 * the golden set lacks is skipped on every stack.
 */
#ifndef PF_HARNESS_DECIDE_EXPECTATIONS_H
#define PF_HARNESS_DECIDE_EXPECTATIONS_H

#include <stddef.h>

#include "harness/analysis/gate.h"
#include "harness/engine/measured.h"
#include "harness/util/diags.h"

/* One expectation (qid, docid, max_rank) checked on one stack. */
typedef struct pf_exp_result {
	size_t	 exp, stack;
	int	 status;		/* PF_GATE_* */
	long	 rank;			/* 1-based, 0 = not in the ranking */
	char	 name[320];		/* "QID/DOCID max_rank K: STACK" */
	char	 message[512];
	char	 details[1536];
} pf_exp_result;

typedef struct pf_expectations {
	pf_exp_result	*v;		/* expectation-major, then stack */
	size_t		 n;
	size_t		 nfailed;	/* judged and broken */
} pf_expectations;

/*
 * Before anything runs (once every stage has opened, so every document a
 * stack can rank is known): each expectation names a query of the golden
 * set and a document it knows (of its corpus when it has one). Each
 * problem goes to d at the expectation's line. PF_OK or PF_EFORMAT.
 */
int	pf_expect_validate(const pf_golden *g, pf_diags *d);

/* Checks every expectation of m->golden on m's rankings. PF_ENOMEM. */
int	pf_expect_check(pf_expectations *out, const pf_measured *m,
	    pf_err *err);
void	pf_expectations_clear(pf_expectations *e);

#endif /* PF_HARNESS_DECIDE_EXPECTATIONS_H */

/*
 * harness/decide/assess.h — from measurements to a decision: every treatment
 * stack against the control on every metric (metrics/stats.h), Holm over
 * the gate family (treatments x metrics), the scenario's gates, and the
 * verdict by the rule declared in <compare> (scenario.xsd).
 */
#ifndef PF_HARNESS_DECIDE_ASSESS_H
#define PF_HARNESS_DECIDE_ASSESS_H

#include <stddef.h>

#include "harness/engine/replay.h"
#include "metrics/stats.h"

/* The harness's view of one paired comparison (from pf_stats_cmp). */
typedef struct pf_cmp {
	size_t	n;
	double	mean_a, mean_b, delta, rel;
	double	lo, hi;			/* bootstrap percentile CI */
	double	p_perm;			/* randomization test */
	int	exact;			/* p_perm by full enumeration */
	double	t, df, p_t, t_lo, t_hi;	/* paired t-test and its CI */
	double	d_z;
	size_t	wins, losses, ties;
	double	n_needed;		/* queries for 80% power (t) */
} pf_cmp;
#include "metrics/interleave.h"

enum { PF_GATE_PASS, PF_GATE_FAIL, PF_GATE_ERROR, PF_GATE_SKIP };

typedef struct pf_gate_result {
	const pf_scn_gate	*gate;
	size_t			 stack;		/* treatment stack index */
	int			 status;	/* PF_GATE_* */
	char			 name[256];	/* "id: what, B vs A" */
	char			 message[512];	/* one line */
	char			 details[2048];
} pf_gate_result;

/* One dimension value of queries.tsv, one treatment, the primary metric. */
typedef struct pf_segment {
	size_t		 dim, treatment;	/* treatment: stack index */
	const char	*value;
	pf_cmp		 cmp;
	double		 p_bh;		/* BH over the treatment's segments */
	int		 too_few;	/* n < min-segment: no CI shown */
	int		 flipped;	/* significant, sign opposite overall */
} pf_segment;

/* One expectation (qid, docid, max_rank) checked on one stack. */
typedef struct pf_exp_result {
	size_t	 exp, stack;
	int	 status;		/* PF_GATE_* (SKIP: query unknown) */
	long	 rank;			/* 1-based, 0 = not in the ranking */
	char	 name[320];		/* "QID/DOCID max_rank K: STACK" */
	char	 message[512];
	char	 details[1536];
} pf_exp_result;

typedef struct pf_assess {
	size_t		 nt, nv;	/* treatments (stacks 1..), values */
	pf_cmp		*cmp;		/* nt x nv */
	double		*p_adj;		/* nt x nv, Holm over the family */
	double		*judged;	/* nstacks: judged@10 mean or NaN */
	/* with three or more stacks: beats[(i * nstacks + j) * nv + v] is 1
	   when stack i is significantly better than stack j on value v
	   (pairwise randomization tests, Holm over all pairs x metrics) */
	unsigned char	*beats;
	pf_gate_result	*gates;
	size_t		 ngates, nfailed;
	pf_segment	*segs;
	size_t		 nsegs;
	/* <interleave>: each treatment (B) against the control (A) */
	pf_il_summary	*il;		/* nt, or NULL */
	pf_click_model	 il_cm;
	pf_il_opts	 il_opts;
	int		 il_rescaled;	/* grades mapped onto the preset scale */
	/* the interleaving outcome per dimension value (queries.tsv) */
	struct pf_il_segment {
		size_t		 dim, treatment;
		const char	*value;
		pf_il_summary	 sum;
	}		*ilsegs;
	size_t		 nilsegs;
	pf_exp_result	*exps;
	size_t		 nexps, nexp_failed, nexp_failed_treat;
	struct pf_liftrun *lift;	/* <lift>, or NULL (harness/analysis/lift.h) */
	const char	*verdict;	/* REQUEST A SLOT / DO NOT REQUEST /
					   INCONCLUSIVE */
	char		 why[768];
	char		 rule[512];
	char		 method[768];
	struct pf_attrib *attrib;	/* stage attribution (harness/analysis/attrib.h),
					   set by the CLI, or NULL */
	struct pf_lboot	*lboot;		/* label bootstrap, or NULL */
	struct pf_imp_all *imp;		/* <importance><features> or NULL */
	/* `preflight validate`'s checks of the golden set (jansson object,
	   owned), set by the CLI, or NULL when they could not run */
	struct json_t	*validation;
} pf_assess;

int	pf_assess_run(pf_assess **out, const pf_replay *r, pf_err *err);
void	pf_assess_free(pf_assess *a);

#endif /* PF_HARNESS_DECIDE_ASSESS_H */

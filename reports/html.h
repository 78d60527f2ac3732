/*
 * reports/html.h — the self-contained HTML report (../shared/REPORTS.md
 * §2): one polyglot (well-formed XML) file, no network, no JavaScript,
 * charts as inline SVG, meaning carried by text and signs as well as
 * colour. Plain data in; the harness fills it.
 */
#ifndef PF_REPORTS_HTML_H
#define PF_REPORTS_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics/err.h"

#define PF_REP_TOPK	10
#define PF_REP_UNJUDGED	INT32_MIN

/* One treatment stack against the control on one metric. */
typedef struct pf_rep_delta {
	double	control, treatment;	/* means */
	double	delta, rel;		/* treatment - control; / control */
	double	lo, hi;			/* 95% bootstrap CI of delta */
	double	p_perm, p_t, p_adj;	/* randomization, paired t, Holm */
	double	effect;			/* Cohen's d_z */
	size_t	wins, losses, ties;
	double	n_needed;		/* queries for 80% power, NaN = n/a */
} pf_rep_delta;

typedef struct pf_rep_stack {
	const char	*id, *name;
	const char	*stages;	/* "candidates > gbdt(model.json)" */
	const char	*models;	/* "model.json sha256 ..." or NULL */
	double		 judged;	/* judged@10 mean, NaN = not measured */
} pf_rep_stack;

typedef struct pf_rep_gate {
	const char	*id, *what;
	int		 status;	/* 0 pass, 1 fail, 2 error, 3 skipped */
	const char	*message;
} pf_rep_gate;

/* One dimension value (queries.tsv column) for one treatment. */
typedef struct pf_rep_segment {
	const char	*dim, *value, *treatment;
	size_t		 n;
	double		 control, delta, lo, hi, p_bh;
	int		 too_few;	/* no CI: fewer queries than the floor */
	int		 flipped;	/* significant, opposite to the overall */
} pf_rep_segment;

/* Simulated interleaving of one treatment (B) with the control (A). */
typedef struct pf_rep_il {
	const char	*treatment;
	const char	*dim, *value;	/* a segment, or NULL for all queries */
	size_t		 nq, nq_clicked, q_wins, q_losses, q_ties;
	double		 mean_o, mean_o_lo, mean_o_hi;
	double		 delta, delta_lo, delta_hi;
	double		 p_pref, p_pref_lo, p_pref_hi;
	double		 share_b, share_a, share_tie, no_click;
	int		 exact;
} pf_rep_il;

/*
 * The optional analyses of a run, shared by the report and results.json
 * (reports/results.h): each NULL (or 0) when the scenario did not ask.
 */
typedef struct pf_rep_analyses {
	const struct pf_rep_lift *lift;	/* <lift> (replift.h) */
	const struct pf_attrib	*attrib;	/* stage attribution (attrib.h) */
	/* golden-set label quality (html_golden.c, labelq_json.h) */
	const struct pf_labelq	*labelq;	/* NULL: one label a pair */
	const char *const	*labelq_names;	/* per group (qrels topic) */
	size_t			 nannotators, njudgments;
	/* label-bootstrap: per treatment, the primary metric */
	const struct pf_lb_result *lboot;
	size_t			 lboot_B;
	const struct pf_rep_importance *const *imp;	/* nimp */
	size_t			 nimp;
	/* `preflight validate`'s summary (jansson object) */
	const struct json_t	*validation;
} pf_rep_analyses;

typedef struct pf_report {
	const char		*title;		/* scenario name */
	const char		*scenario, *scenario_sha256, *version;
	const char		*generated;	/* the one timestamp */
	const char		*command;
	uint64_t		 seed;
	int			 threads;
	double			 seconds;
	const char		*verdict;	/* REQUEST A SLOT, ... */
	const char		*verdict_why;	/* one sentence */
	const char		*rule;		/* the declared decision rule */
	const char		*golden;	/* golden set description */
	const pf_rep_stack	*stacks;	/* [0] = control */
	size_t			 nstacks;
	const char *const	*metrics;	/* nmetrics printed names */
	size_t			 nmetrics, primary;
	const pf_rep_delta	*deltas;	/* (nstacks-1) x nmetrics */
	/* beats[(i * nstacks + j) * nmetrics + m]: stack i significantly
	   better than stack j (three or more stacks), or NULL */
	const unsigned char	*beats;
	const char *const	*qids;		/* nq */
	const char *const	*qtext;		/* nq or NULL */
	size_t			 nq;
	const double		*primary_values;	/* nstacks x nq, NaN = unjudged */
	size_t			 nmovers;	/* top/bottom N */
	/* top PF_REP_TOPK of every stack and query, for the movers'
	   side-by-side lists: ids NULL past the list's end, grade
	   PF_REP_UNJUDGED when the document has no judgment */
	const char *const	*top_id;	/* nstacks x nq x PF_REP_TOPK */
	const int32_t		*top_grade;
	const pf_rep_gate	*gates;
	size_t			 ngates;
	const pf_rep_segment	*segs;
	size_t			 nsegs;
	const pf_rep_il		*il;		/* nstacks - 1, or NULL */
	const pf_rep_il		*ilsegs;	/* per dimension value */
	size_t			 nilsegs;
	const char		*il_setup;	/* method, click model, ... */
	int			 il_biased, il_rescaled;
	const char		*method;	/* statistics description */
	const char		*const *input_path;
	const char		*const *input_sha256;
	size_t			 ninputs;
	pf_rep_analyses		 an;
} pf_report;

int	pf_report_write_html(const pf_report *r, FILE *f, pf_err *err);
/* The "Golden set" section (reports/html_golden.c). */
void	pf_html_golden(FILE *f, const pf_report *r);

#endif /* PF_REPORTS_HTML_H */

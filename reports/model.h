/*
 * reports/model.h — one report model: everything a run leaves to its
 * writers, built once by the harness (harness/decide/report.c) and read by
 * results.json (reports/results.h) and report.html (reports/html.h). A new
 * section is one field here and one writer per output. Plain data; every
 * pointer is borrowed from the harness for the duration of the writes.
 */
#ifndef PF_REPORTS_MODEL_H
#define PF_REPORTS_MODEL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/*
 * v as it should print with `digits` decimals: 0.0 when it rounds to zero,
 * so "%+.4f" never shows "-0.0000".
 */
static inline double
pf_nz(double v, int digits)
{
	double half = 0.5;

	for (int i = 0; i < digits; i++)
		half /= 10;
	return fabs(v) < half ? 0.0 : v;
}

#define PF_REP_TOPK	10
#define PF_REP_UNJUDGED	INT32_MIN

/* One treatment stack against the control on one metric. */
typedef struct pf_rep_delta {
	double	control, treatment;	/* means */
	double	delta, rel;		/* treatment - control; / control */
	double	lo, hi;			/* 95% bootstrap CI of delta */
	double	p_perm, p_t;		/* randomization, paired t */
	double	p_adj;			/* confirmatory: Holm; exploratory: BH q */
	int	exploratory;		/* not the primary metric */
	double	effect;			/* Cohen's d_z */
	size_t	wins, losses, ties;
	double	n_needed;		/* queries for 80% power, NaN = n/a */
} pf_rep_delta;

/* One input file, hashed. */
typedef struct pf_rep_input {
	const char	*role;		/* "scenario", "qrels", "model", ... */
	const char	*path;
	char		 sha256[65];	/* lowercase hex */
	uint64_t	 bytes;
} pf_rep_input;

/* One stage of a stack, its parameters as in the scenario. */
typedef struct pf_rep_stage {
	const char	*stage;
	const char	*const *keys;
	const char	*const *values;
	size_t		 nparams;
} pf_rep_stage;

typedef struct pf_rep_stack {
	const char		*id, *name;
	const char		*stages;	/* "candidates > gbdt(model.json)" */
	const pf_rep_stage	*stage;		/* nstages */
	size_t			 nstages;
	const char		*models;	/* "model.json sha256 ..." or NULL */
	double			 judged;	/* judged@10 mean, NaN = not
						   measured */
	const double		*mean;		/* nmetrics */
	const double		*values;	/* nq x nmetrics */
	const size_t		*nret;		/* nq */
	const char		*run;		/* run file written, or NULL */
} pf_rep_stack;

/* The verdict on one treatment. */
typedef struct pf_rep_verdict {
	const char	*stack, *verdict, *why;
} pf_rep_verdict;

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
	/* <features-report>: {"stack", "stats", "skew"} (jansson object;
	   harness/analysis/featrun.h), or NULL */
	const struct json_t	*features;
} pf_rep_analyses;

typedef struct pf_report {
	/* where it came from */
	const char		*title;		/* scenario name */
	const char		*scenario;	/* its path, or NULL */
	const char		*scenario_sha256, *version;
	const char		*generated;	/* the one timestamp */
	const char		*command;
	uint64_t		 seed;
	int			 threads;
	double			 seconds;
	const pf_rep_input	*inputs;
	size_t			 ninputs;
	const char		*golden;	/* golden set description */
	/* what was measured */
	const char *const	*metrics;	/* nmetrics printed names */
	const unsigned char	*is_count;	/* nmetrics */
	size_t			 nmetrics, primary;
	const char		*primary_name;
	const char *const	*qids;		/* nq */
	const char *const	*qtext;		/* nq or NULL */
	const unsigned char	*judged;	/* nq */
	const char *const	*dim_name;	/* ndims queries.tsv columns */
	const char *const	*dim;		/* nq x ndims, NULL = none */
	size_t			 ndims;
	size_t			 nq, njudged;
	const pf_rep_stack	*stacks;	/* [0] = control */
	size_t			 nstacks;
	const double		*primary_values;	/* nstacks x nq, NaN =
							   unjudged */
	size_t			 nmovers;	/* top/bottom N */
	/* top PF_REP_TOPK of every stack and query, for the movers'
	   side-by-side lists: ids NULL past the list's end, grade
	   PF_REP_UNJUDGED when the document has no judgment */
	const char *const	*top_id;	/* nstacks x nq x PF_REP_TOPK */
	const int32_t		*top_grade;
	const char *const	*top_title;	/* docs.tsv title, or NULL */
	/* rank of the first document graded > 0 per stack and query
	   (nstacks x nq, 0 = none retrieved), or NULL without lists */
	const size_t		*first_rel;
	/* the comparison, or deltas NULL */
	const pf_rep_delta	*deltas;	/* (nstacks-1) x nmetrics */
	/* beats[(i * nstacks + j) * nmetrics + m]: stack i significantly
	   better than stack j (three or more stacks), or NULL */
	const unsigned char	*beats;
	const pf_rep_segment	*segs;
	size_t			 nsegs;
	const char		*method;	/* statistics description */
	/* interleaving, or il NULL */
	const pf_rep_il		*il;		/* nstacks - 1 */
	const pf_rep_il		*ilsegs;	/* per dimension value */
	size_t			 nilsegs;
	const char		*il_setup;	/* method, click model, ... */
	int			 il_biased, il_rescaled;
	size_t			 il_short;	/* queries with a list shorter
						   than the interleaved k */
	size_t			 il_k;
	/* the decision */
	const char		*verdict;	/* overall: REQUEST A SLOT, ... */
	const char		*verdict_why;	/* one sentence */
	const char		*rule;		/* the declared decision rule */
	const pf_rep_verdict	*verdicts;	/* one per treatment */
	size_t			 nverdicts;
	const pf_rep_gate	*gates;		/* gates, then expectations */
	size_t			 ngates;
	pf_rep_analyses		 an;
} pf_report;

#endif /* PF_REPORTS_MODEL_H */

/*
 * reports/diff.h — what `preflight diff A B` found between two runs (each
 * a results.json or a run kept in a history), as plain data for its two
 * writers: diff.json ("schema": "preflight.diff/1") and diff.html (one
 * self-contained polyglot page, charts as inline SVG, the rules of
 * report.html). Built by harness/history/diff.c; every pointer is
 * borrowed for the duration of the writes. Deltas are B minus A.
 */
#ifndef PF_REPORTS_DIFF_H
#define PF_REPORTS_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics/err.h"

#define PF_DIFF_SCHEMA	"preflight.diff/1"

/* One side: where it came from and what the run said of itself. */
typedef struct pf_diff_runinfo {
	const char	*source;	/* as given: a path, DB#3 */
	long long	 run;		/* history run id; 0: a results.json */
	const char	*scenario, *time, *version, *labels, *verdict;
	uint64_t	 seed;
	size_t		 nqueries;	/* with a value (judged) */
} pf_diff_runinfo;

/* An input's status between the sides. */
enum { PF_DIFF_SAME, PF_DIFF_CHANGED, PF_DIFF_ADDED, PF_DIFF_REMOVED };

/* One input file: its path and sha256 on each side (NULL: not there). */
typedef struct pf_diff_input {
	const char	*role;
	const char	*path_a, *sha_a, *path_b, *sha_b;
	int		 status;	/* PF_DIFF_* */
} pf_diff_input;

/* A run label whose value differs (NULL: the side lacks the key). */
typedef struct pf_diff_label {
	const char	*key, *a, *b;
} pf_diff_label;

/* The multiple-testing family of a metric row. */
enum { PF_DIFF_CONFIRMATORY, PF_DIFF_EXPLORATORY, PF_DIFF_NO_FAMILY };

/* One stack on one metric: B against A, paired on common queries. */
typedef struct pf_diff_metric {
	const char	*stack, *metric;
	int		 family;	/* Holm (the primary), BH q, none */
	double		 mean_a, mean_b;	/* as each run reported them */
	size_t		 n, only_a, only_b;	/* common, one side only */
	double		 delta, lo, hi;	/* paired; 95% bootstrap CI */
	double		 p, p_adj;	/* randomization; Holm or BH q */
	size_t		 wins, losses, ties;
	int		 changed;	/* some common query's value differs */
} pf_diff_metric;

/*
 * A query whose first relevant document moved: its reciprocal rank on
 * each side (0: none in the ranked list) and, when both runs kept them,
 * both top tens (PF_DIFF_TOPK docids, NULL past a list's end).
 */
#define PF_DIFF_TOPK	10
typedef struct pf_diff_mover {
	const char		*stack, *qid;
	double			 rr_a, rr_b;
	const char *const	*top_a;		/* NULL: not kept */
	const char *const	*top_b;
} pf_diff_mover;

/* A gate or expectation whose outcome differs (NULL: not on that side). */
typedef struct pf_diff_flip {
	const char	*name, *kind;	/* kind: "gate", "expectation" */
	const char	*status_a, *status_b;
	const char	*message_a, *message_b;
} pf_diff_flip;

/* One feature of one stack in both runs' history statistics. */
#define PF_DIFF_NQUANT	33
typedef struct pf_diff_drift {
	const char	*stack, *name;
	long		 feature;
	double		 psi;		/* metrics/drift.h; NaN: n/a */
	double		 miss_a, miss_b, mean_a, mean_b, count_a, count_b;
	const double	*q_a, *q_b;	/* PF_DIFF_NQUANT-point sketches */
	int		 flagged;	/* PSI >= 0.1 or missing rate +-5 pts */
} pf_diff_drift;

typedef struct pf_diff_report {
	pf_diff_runinfo		 a, b;
	const char		*generated;	/* the one timestamp */
	const char		*command;
	uint64_t		 seed;
	size_t			 n_boot, n_perm;
	const char		*primary;	/* B's; NULL: none in common */
	const pf_diff_input	*inputs;	/* every input, sorted */
	size_t			 ninputs;
	const pf_diff_label	*labels;	/* differing only */
	size_t			 nlabels;
	int			 labels_known;	/* both sides from a history */
	const pf_diff_metric	*metrics;	/* stack order, primary first */
	size_t			 nmetrics;
	const pf_diff_mover	*movers;
	size_t			 nmovers;
	const char		*movers_note;	/* why none can be shown */
	const pf_diff_flip	*flips;
	size_t			 nflips;
	const pf_diff_drift	*drift;		/* every feature compared */
	size_t			 ndrift;
	const char		*drift_note;	/* why none, or NULL */
	const char *const	*notes;		/* warnings, one line each */
	size_t			 nnotes;
	const char		*method;
} pf_diff_report;

/* How many inputs differ (changed, added or removed). */
size_t	pf_diff_ninputs_changed(const pf_diff_report *r);

/* diff.json: everything above (PF_DIFF_SCHEMA), %.17g numbers. */
int	pf_diff_write_json(const pf_diff_report *r, FILE *f, pf_err *err);
/* diff.html: the page (reports/diff_html.c). */
int	pf_diff_write_html(const pf_diff_report *r, FILE *f, pf_err *err);

#endif /* PF_REPORTS_DIFF_H */

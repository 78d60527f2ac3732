/*
 * reports/trend.h — the trend model: one scenario's nights from the
 * history, each goal over them with its CI band, change points and
 * per-segment values, and what changed between two nights (the comparison
 * summary.md leads with). Plain data, built by harness/history/trend.c
 * (README "preflight trend" has every definition), written by
 * reports/trend_html.c (trend.html) and reports/summary_md.c (summary.md).
 * Every pointer is borrowed from the builder for the duration of the
 * writes.
 */
#ifndef PF_REPORTS_TREND_H
#define PF_REPORTS_TREND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics/err.h"

/* A goal's status on one night. */
enum {
	PF_TG_NONE = 0,		/* not declared that night */
	PF_TG_MET,
	PF_TG_MISSED,
	PF_TG_UNKNOWN		/* could not be evaluated (never met) */
};

/* One night: one stored run of the scenario, oldest first. */
typedef struct pf_trend_night {
	int64_t		 run;
	const char	*time;		/* ISO-8601 UTC */
	const char	*labels;	/* "k=v;k=v" */
	const char	*verdict;
	int		 exit_code;
	long		 gates_failed, nqueries;
} pf_trend_night;

/* One series on one night. */
typedef struct pf_trend_point {
	double	value, lo, hi;	/* the stack's mean (relative: the paired
				   delta against the reference run) and its
				   95% bootstrap CI; NaN: not measured */
	size_t	n;		/* queries behind value */
	int	status;		/* PF_TG_* */
	double	gmin, gmax;	/* that night's bounds, NaN: none */
	int64_t	against_run;	/* relative: the reference run, 0: none */
	/* against the night before, on the queries both have (night 0 and
	   a night without values: n 0, NaN) */
	size_t	d_n;
	double	d, d_lo, d_hi;	/* mean paired change, 95% bootstrap CI */
	double	p, q;		/* sign-flip p; BH q over the window */
	int	change;		/* a change point (metrics/changepoint.h) */
} pf_trend_point;

/* One dimension value's mean of a series' metric, night by night. */
typedef struct pf_trend_seg {
	const char	*dim, *value;
	const double	*mean;		/* nnights, NaN: no query that night */
	const size_t	*n;		/* nnights */
} pf_trend_seg;

/* A goal (or, with none declared, a stack's primary metric) over nights. */
typedef struct pf_trend_series {
	const char		*metric, *stack;
	int			 goal;		/* declared on some night */
	const char		*against;	/* relative: "label:K=V" */
	const pf_trend_point	*pt;		/* nnights */
	const pf_trend_seg	*seg;		/* nseg, by dimension, value */
	size_t			 nseg;
	size_t			 streak;	/* nights missed in a row,
						   ending with the last */
} pf_trend_series;

/* The comparison: a dimension value's paired change, base to last. */
typedef struct pf_trend_segdrop {
	const char	*dim, *value;
	size_t		 n;
	double		 delta, lo, hi;	/* mean change, 95% bootstrap CI */
	double		 share;		/* of the overall change: sum over
					   the segment / sum over all */
} pf_trend_segdrop;

/* A query's value on the base night and the last. */
typedef struct pf_trend_qdrop {
	const char	*qid;
	double		 before, after;
} pf_trend_qdrop;

/* A gate or expectation that passed on the base night and fails now. */
typedef struct pf_trend_broken {
	const char	*kind, *gate, *what, *message;
} pf_trend_broken;

/* A feature whose statistics moved (PSI or the missing rate). */
typedef struct pf_trend_drift {
	const char	*stack, *name;
	double		 psi;		/* NaN: not computable */
	double		 miss_before, miss_after;
} pf_trend_drift;

/* An input file whose sha256 differs (a NULL side: absent that night). */
typedef struct pf_trend_input {
	const char	*role;
	const char	*path_before, *sha_before;
	const char	*path_after, *sha_after;
} pf_trend_input;

/* A link for run labels: a label KEY's value put into a URL template. */
typedef struct pf_trend_link {
	const char	*key, *url;	/* url with "{}" where the value goes */
} pf_trend_link;

typedef struct pf_trend {
	const char		*scenario, *db, *since, *note;
	const char		*generated, *version;
	const pf_trend_night	*night;
	size_t			 nnights;
	const pf_trend_series	*series;
	size_t			 nseries;
	int			 goals_declared;	/* else: primary metric */
	/* the method's settings */
	size_t			 resamples;
	uint64_t		 seed;
	double			 alpha, min_effect, psi_flag, miss_jump;
	size_t			 seg_min;	/* queries for a segment CI */
	/* the comparison summary.md leads with: night `last` against night
	   `base` (equal when there is one night), on series `focus` */
	size_t			 base, last, focus;
	const char		*base_why;	/* one sentence */
	size_t			 ncommon;	/* queries both nights have */
	double			 delta, lo, hi;	/* focus: overall change */
	const pf_trend_segdrop	*segdrop;	/* worst first */
	size_t			 nsegdrop;
	const pf_trend_qdrop	*qdrop;		/* worst first */
	size_t			 nqdrop;
	const pf_trend_broken	*broken;
	size_t			 nbroken;
	const pf_trend_drift	*drift;		/* largest PSI first */
	size_t			 ndrift;
	const pf_trend_input	*inputs;
	size_t			 ninputs;
	const pf_trend_link	*links;
	size_t			 nlinks;
} pf_trend;

/* trend.html: one self-contained page (REPORTS.md §2.3). PF_EIO. */
int	pf_trend_write_html(const pf_trend *t, FILE *f, pf_err *err);
/* summary.md: a few lines for an e-mail or a chat message. PF_EIO. */
int	pf_trend_write_md(const pf_trend *t, FILE *f, pf_err *err);

#endif /* PF_REPORTS_TREND_H */

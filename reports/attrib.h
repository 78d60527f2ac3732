/*
 * reports/attrib.h — stage attribution and oracle headroom as plain data
 * (filled by harness/analysis/attrib.c, METHODS.md §3.5), and their writers: the
 * "attribution" object of results.json and the HTML report's "Why"
 * section (reports/html_attrib.c). Definitions: README "Stage
 * attribution".
 */
#ifndef PF_REPORTS_ATTRIB_H
#define PF_REPORTS_ATTRIB_H

#include <stddef.h>
#include <stdio.h>

struct json_t;			/* <jansson.h> */

/*
 * One stage slot of the aligned control and treatment stacks: the stage
 * each has there, "" when it has none (the slot passes the list through).
 */
typedef struct pf_attrib_slot {
	char	control[64], treatment[64];
	long	ctl, trt;	/* 0-based stage index, -1 = none */
	int	player;		/* -1: the same stage in both stacks */
} pf_attrib_slot;

/* A player: one differing slot, or a feature stage with its scorer. */
typedef struct pf_attrib_player {
	char	name[192];	/* "textfeatures + gbdt" */
	size_t	nslots;
	double	phi, lo, hi;	/* Shapley value, bootstrap CI */
	double	swap_in;	/* v({i}) - v({}) */
	double	leave_out;	/* v(all) - v(all minus i) */
} pf_attrib_player;

/* The treatment with one stage removed or put back to the control's. */
typedef struct pf_attrib_ablation {
	char	what[192];	/* "remove gbdt", "textfeatures: control's" */
	int	ok;		/* 0: that stack cannot run; why says so */
	char	why[384];
	double	value;		/* mean metric of the ablated stack */
	double	delta, lo, hi;	/* ablated - treatment, bootstrap CI */
} pf_attrib_ablation;

typedef struct pf_attrib_pair {
	const char		*control, *treatment;	/* stack ids */
	pf_attrib_slot		*slots;
	size_t			 nslots;
	pf_attrib_player	*players;
	size_t			 nplayers;
	double			*coalition;	/* 2^nplayers means; bit i set =
						   player i from the treatment */
	double			*interaction;	/* nplayers x nplayers */
	double			 v_control, v_treatment;
	double			 delta, lo, hi;	/* v_treatment - v_control */
	pf_attrib_ablation	*abl;
	size_t			 nabl;
	/* stage executions per query over every hybrid: with prefix
	   caching, and without (each hybrid run from scratch) */
	size_t			 runs_cached, runs_uncached;
} pf_attrib_pair;

/*
 * Oracle headroom of one stack, means over the judged queries, for the
 * attribution metric M: ideal = M of every judged document ordered by
 * grade; oracle = M of the retrieval stage's candidates ordered by grade;
 * actual = M of the stack's ranking. retrieval_loss = ideal - oracle,
 * ranking_loss = oracle - actual, total_loss = ideal - actual (= their
 * sum). recall_cand: relevant documents among the candidates / all
 * relevant (queries with at least one relevant document).
 */
typedef struct pf_attrib_oracle {
	const char	*stack;
	double		 ideal, oracle, actual;
	double		 retrieval_loss, ranking_loss, total_loss;
	double		 recall_cand, mean_cands;
} pf_attrib_oracle;

typedef struct pf_attrib {
	const char		*metric;	/* printed name */
	size_t			 nq;		/* judged queries */
	size_t			 n_boot;
	double			 alpha;
	pf_attrib_pair		*pairs;
	size_t			 npairs;
	pf_attrib_oracle	*oracle;	/* one per stack, or NULL */
	size_t			 noracle;
} pf_attrib;

/* The "attribution" value of results.json (a new reference). */
struct json_t	*pf_attrib_json(const pf_attrib *a);
/* The report's "Why" section's attribution part (inside the section). */
void		 pf_attrib_html(FILE *f, const pf_attrib *a);

#endif /* PF_REPORTS_ATTRIB_H */

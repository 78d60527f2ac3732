/*
 * harness/load/scenario.h — the scenario file (DESIGN.md "Scenarios"): parsed
 * with libxml2, validated against the compiled-in scenarios/scenario.xsd,
 * then read into plain structs. All problems are collected with the
 * scenario's path:line, not just the first.
 */
#ifndef PF_HARNESS_LOAD_SCENARIO_H
#define PF_HARNESS_LOAD_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "harness/util/diags.h"
#include "harness/util/param.h"
#include "harness/load/golden.h"
#include "harness/load/qrels.h"

typedef struct pf_scn_stage {
	char		*name;		/* registry name: "gbdt" */
	long		 line;
	pf_param	*params;	/* attributes, in document order */
	size_t		 nparams;
} pf_scn_stage;

typedef struct pf_scn_stack {
	char		*id;
	char		*name;		/* display name; = id when absent */
	long		 line;
	pf_scn_stage	*stages;
	size_t		 nstages;
} pf_scn_stack;

typedef struct pf_scn_gate {
	char		*id, *metric, *stack;	/* stack NULL = every treatment */
	char		*against;	/* "last-pass", "label:k=v" or NULL */
	long		 line;
	int		 has_min, has_min_delta, on_ci, significant;
	double		 min, min_delta;
} pf_scn_gate;

/* <gates><feature-gate>: a stack's candidates against a reference file
   (README "Know your features"); NaN: no such threshold. */
typedef struct pf_scn_featgate {
	char		*id, *stack;		/* stack NULL: the first with
						   a candidates file */
	char		*reference, *query_file;	/* resolved */
	long		 line;
	double		 max_psi, max_mismatch;
} pf_scn_featgate;

/* <goals><goal>: a target for a stack's mean, stored with each run in the
   history (min and/or max); or a relative one, for the paired delta
   against the latest stored run carrying a label (against="label:K=V",
   min-delta and/or max-delta). */
typedef struct pf_scn_goal {
	char		*metric, *stack;	/* stack NULL = every stack */
	long		 line;
	int		 has_min, has_max;
	double		 min, max;
	int		 has_min_delta, has_max_delta;
	double		 min_delta, max_delta;
	char		*against;	/* "label:K=V" as written, or NULL */
} pf_scn_goal;

/* <importance><features>: one scoring stage's feature importance. */
typedef struct pf_scn_group {
	char		*name;
	int		*feat;		/* file feature ids */
	size_t		 n;
	long		 line;
} pf_scn_group;

typedef struct pf_scn_featimp {
	char		*stack;		/* NULL = the first treatment */
	size_t		 stage;		/* 1-based; 0 = last scoring stage */
	char		*method;	/* permute mean query-mean zero missing */
	size_t		 repeats, top;
	int		 has_max_share;
	double		 max_share;
	pf_scn_group	*groups;
	size_t		 ngroups;
	long		 line;
} pf_scn_featimp;

/* <probe><monotone>: an expectation `preflight probe` checks. */
typedef struct pf_scn_monotone {
	size_t		 feat;		/* model feature (column) */
	int		 dir;		/* +1 increasing, -1 decreasing */
	long		 line;
} pf_scn_monotone;

typedef struct pf_scenario {
	char		*path;		/* as given */
	char		*dir;		/* its folder: relative paths start here */
	char		*name;
	uint64_t	 seed;
	/* golden set; paths already resolved */
	char		*golden_dir;
	char		*golden_name;
	char		*queries;	/* queries.tsv or NULL */
	char		*docs;		/* docs.tsv or NULL */
	char		*qrels;		/* qrels file or NULL ... */
	pf_agg		 agg;
	char		*labels;	/* ... or a candidate file with grades */
	char		*labels_qfile;	/* its LightGBM .query file or NULL */
	long		 golden_line;
	pf_scn_stack	*stacks;	/* the first is the control */
	size_t		 nstacks;
	char		**metrics;	/* `-m` spellings */
	size_t		 nmetrics;
	long		 metrics_line;
	char		*primary;	/* printed name, e.g. ndcg_cut_10 */
	/* <compare> */
	size_t		 n_boot, n_perm;
	double		 alpha, tie_tol, min_effect;
	size_t		 min_segment;
	int		 label_boot;	/* label-bootstrap="true" */
	/* <interleave> */
	int		 il_on;
	char		*il_method, *il_preset, *il_model, *il_mode;
	char		*il_click, *il_stop;	/* custom model, or NULL */
	size_t		 il_impr, il_k, il_depth;
	/* <importance>: metric NULL = primary */
	int		 imp_on;
	char		*imp_metric;
	long		 imp_line;
	pf_scn_featimp	*fimp;
	size_t		 nfimp;
	int		 imp_stages;	/* <stages/> present */
	char		*imp_stages_stack;	/* NULL = every comparable one */
	long		 imp_stages_line;
	int		 imp_oracle;	/* <oracle/> present */
	/* <lift> */
	int		 lift_on;
	char		*lift_history;	/* resolved */
	char		*lift_metric, *lift_stack;
	int		 lift_has_min, lift_synthetic;
	double		 lift_min;
	int		 lift_has_ab;	/* ab-traffic and ab-kpi-cv given */
	double		 lift_ab_traffic, lift_ab_cv;
	long		 lift_line;
	pf_scn_monotone	*mono;		/* <probe> */
	size_t		 nmono;
	pf_scn_gate	*gates;
	size_t		 ngates;
	pf_scn_featgate	*fgates;		/* <feature-gate> */
	size_t		 nfgates;
	/* <features-report>: line 0 when absent; the stack (NULL: the
	   first with a candidates file), a reference file or NULL */
	long		 freport_line;
	char		*freport_stack, *freport_ref, *freport_qf;
	char		*expectations;	/* resolved, or NULL */
	pf_scn_goal	*goals;
	size_t		 ngoals;
	/* <history>: the database (a path resolved, or a postgresql:// URI)
	   each run is appended to, and its labels "k=v;k=v"; NULL: none */
	char		*history_db, *history_labels;
	long		 history_line;
	char		*out_dir;	/* resolved */
	char		*report;	/* file names inside out_dir */
	char		*junit;
	char		*results;	/* file name inside out_dir */
	int		 runs;		/* write one TREC run per stack */
} pf_scenario;

/*
 * Loads and validates. On any problem returns PF_EFORMAT with every problem
 * in d (path:line: message) and *out NULL.
 */
int	pf_scenario_load(pf_scenario **out, const char *path, pf_diags *d);
void	pf_scenario_free(pf_scenario *s);

/*
 * A gates file (`compare --gates`): a <gates> document valid against the
 * same schema. The gates in *out (n of them), to free with pf_gates_free;
 * PF_EFORMAT with every problem in d.
 */
int	pf_gates_load(pf_scn_gate **out, size_t *n, const char *path,
	    pf_diags *d);
void	pf_gates_free(pf_scn_gate *g, size_t n);

/* What the scenario's <golden> names, for pf_golden_load (borrows s). */
void	pf_scenario_golden_spec(const pf_scenario *s, pf_golden_spec *out);

/* The compiled-in schema (for `preflight schema` and the tests). */
const char	*pf_scenario_xsd(size_t *len);


#endif /* PF_HARNESS_LOAD_SCENARIO_H */

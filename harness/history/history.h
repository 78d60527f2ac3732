/*
 * harness/history/history.h — the history store: every run of a scenario
 * appended to a database, so a nightly job remembers the nights before
 * (README "History"). The database is a file path (SQLite, the embedded
 * default) or a postgresql:// URI (PostgreSQL through libpq): the same
 * schema on both, created and migrated here (a schema_version table; a
 * newer schema than this binary knows is refused).
 *
 * An append is one transaction: a reader, a concurrent append or a job
 * killed midway sees complete runs only. Appends queue behind each other
 * (one writer at a time). Handles are not thread-safe; open one per
 * thread or process.
 *
 * The read API is what later commands build on (trend pages, `diff`, the
 * last-pass gate): list the runs of a scenario, load one run's per-query
 * values of a stack and metric, its stack means, its inputs, its feature
 * statistics, and find the last run whose gates all passed.
 */
#ifndef PF_HARNESS_HISTORY_HISTORY_H
#define PF_HARNESS_HISTORY_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "harness/decide/outputs.h"
#include "harness/engine/replay.h"
#include "reports/model.h"

/* The schema this binary writes and reads (schema.c says what each adds). */
#define PF_HISTORY_SCHEMA	2
/* Points of the quantile sketch: quantiles 0, 1/32, ..., 1 (featstats.c). */
#define PF_HIST_NQUANT		33

typedef struct pf_history pf_history;

/* Whether db names a PostgreSQL database (postgresql:// or postgres://). */
int	pf_history_is_uri(const char *db);

/*
 * Opens the history at db: a PostgreSQL URI, else a SQLite file path. With
 * create, a missing SQLite file is created and the schema created or
 * migrated; without, the database must exist and hold the schema (a
 * history is read, never made, by a listing). Errors name the database
 * (PF_EIO cannot open or connect, PF_EDATA not a history or a newer
 * schema). *out NULL on failure.
 */
int	pf_history_open(pf_history **out, const char *db, int create,
	    pf_err *err);
void	pf_history_close(pf_history *h);	/* NULL is a no-op */
/* The database as messages name it (a URI's password left out). */
const char	*pf_history_shown(const pf_history *h);
/* The schema version the database holds. */
int	pf_history_version(const pf_history *h);

/* A run label, key=value (commit=…, model=…, build=…). */
typedef struct pf_hist_label {
	char	*key, *value;
} pf_hist_label;

typedef struct pf_hist_labels {
	pf_hist_label	*v;
	size_t		 n, cap;
} pf_hist_labels;

/*
 * Adds the labels of spec, "key=value" items separated by sep (';' in a
 * scenario, '\0' for one --label); a key given again replaces its value.
 * Keys are [A-Za-z0-9_.-]+; a value may be empty. A malformed item is
 * PF_EINVAL with what was expected (where names the origin for it).
 */
int	pf_hist_labels_add(pf_hist_labels *l, const char *spec, char sep,
	    const char *where, pf_err *err);
void	pf_hist_labels_free(pf_hist_labels *l);

/*
 * A goal (<goals><goal metric= stack= min= max=/>): stored with the run.
 * Relative when against is "label:KEY=VALUE": min_delta and max_delta
 * bound the paired delta against the latest stored run of the scenario
 * with that label (goals.c).
 */
typedef struct pf_hist_goal {
	const char	*metric, *stack;	/* stack NULL: every stack */
	int		 has_min, has_max;
	double		 min, max;
	int		 has_min_delta, has_max_delta;
	double		 min_delta, max_delta;
	const char	*against;		/* NULL: absolute */
} pf_hist_goal;

/* One feature's statistics over a stack's final candidates. */
typedef struct pf_hist_featstat {
	const char	*stack;
	long		 feature;	/* the file's feature id */
	char		 name[256];	/* its name, or f<id> without one */
	uint64_t	 count, missing;	/* rows; of them NaN */
	double		 mean, sd, min, max;	/* of the present values */
	double		 q[PF_HIST_NQUANT];	/* quantiles k/32, NaN: none */
} pf_hist_featstat;

/*
 * Everything one run appends, as plain data (the bench and the unit tests
 * build one by hand). rep is the run's report model; top_score the scores
 * beside rep->top_id (nstacks x nq x PF_REP_TOPK).
 */
typedef struct pf_hist_run {
	const pf_report		*rep;
	const double		*top_score;
	const char		*golden_name;
	const pf_hist_featstat	*fs;
	size_t			 nfs;
	const pf_hist_label	*labels;
	size_t			 nlabels;
	const pf_hist_goal	*goals;
	size_t			 ngoals;
	size_t			 nexpectations;	/* the last ones of
						   rep->gates */
	/* the queries' dimensions (queries.tsv columns): ndims names and
	   rep->nq x ndims values, query q's in row q; 0: none */
	size_t			 ndims;
	const char *const	*dim_name;
	const char *const	*dim;
	int			 exit_code;
	const char		*time;		/* ISO-8601 UTC, ...Z */
} pf_hist_run;

/*
 * Appends run in one transaction; its id in *id_out. On any error nothing
 * of it is left (rolled back) and err names the database.
 */
int	pf_history_append(pf_history *h, const pf_hist_run *run,
	    int64_t *id_out, pf_err *err);

/*
 * The run `preflight run` just made, as pf_history_append stores it: the
 * report model of (cfg, o) (inputs hashed again: the same sha256 as
 * results.json), the top ten of every stack from o->m, the feature
 * statistics of r (replayed with keep_feats; NULL: none), the labels,
 * goals and exit code. cfg->stamp is the run's time.
 */
typedef struct pf_hist_source {
	const pf_outputs_cfg	*cfg;
	const pf_outcome	*o;
	const pf_replay		*r;
	const pf_hist_label	*labels;
	size_t			 nlabels;
	const pf_hist_goal	*goals;
	size_t			 ngoals;
	int			 exit_code;
} pf_hist_source;

int	pf_history_append_run(pf_history *h, const pf_hist_source *src,
	    int64_t *id_out, pf_err *err);

/*
 * Feature statistics of stack k of a replay run with keep_feats: one per
 * column of its final lists' features, in *out (n of them, free()), none
 * when the stack has no features. Count, missing (NaN), mean, sd, min,
 * max and the 33-point quantile sketch of the present values.
 */
int	pf_hist_featstats(pf_hist_featstat **out, size_t *n,
	    const pf_replay *r, size_t k, pf_err *err);

/*
 * Before anything runs: every <goal> names a measured metric (a printed
 * name) and a stack of the scenario, and the <history labels> are
 * key=value items. Problems go to d with the scenario's path:line.
 */
int	pf_history_check(const pf_replay *r, pf_diags *d);

/* ---- reading ---------------------------------------------------------- */

/* One stored run (strings owned by the list that holds it). */
typedef struct pf_hist_runinfo {
	int64_t		 id;
	const char	*time, *scenario, *scenario_sha256;
	const char	*golden, *golden_sha256, *seed, *version;
	const char	*labels;	/* "key=value;key=value" */
	const char	*primary, *verdict;
	long		 nstacks, nqueries, nmetrics;	/* queries: judged */
	long		 gates_failed;
	int		 exit_code;
} pf_hist_runinfo;

typedef struct pf_hist_runs {
	pf_hist_runinfo	*v;
	size_t		 n;
	void		*own;
} pf_hist_runs;

/* Runs in id order (oldest first); scenario NULL: every scenario. */
int	pf_history_list(pf_history *h, const char *scenario,
	    pf_hist_runs *out, pf_err *err);
/* One run by id: out->n is 0 when there is none. */
int	pf_history_run(pf_history *h, int64_t id, pf_hist_runs *out,
	    pf_err *err);
void	pf_hist_runs_free(pf_hist_runs *r);

/*
 * The last run of scenario whose gates all passed (no gate or expectation
 * failed and the run exited 0); *id_out 0 when there is none.
 */
int	pf_history_last_pass(pf_history *h, const char *scenario,
	    int64_t *id_out, pf_err *err);

/* A run's values, one row per qid (judged queries, in qid order). */
typedef struct pf_hist_qvalues {
	const char	**qid;
	double		 *value;	/* NaN: stored as NULL */
	size_t		  n;
	void		 *own;
} pf_hist_qvalues;

/* metric in any spelling ("nDCG@10" finds what a run stored as
   "ndcg_cut_10"); none stored: n 0. */
int	pf_history_query_values(pf_history *h, int64_t run, const char *stack,
	    const char *metric, pf_hist_qvalues *out, pf_err *err);
void	pf_hist_qvalues_free(pf_hist_qvalues *q);

/*
 * A generic result, every cell text (NULL: SQL NULL), for the wider reads:
 * a run's inputs (role, path, sha256, bytes), its stack metrics (stack,
 * metric, mean, control_mean, delta, ci_lo, ci_hi, p_value, p_adjusted),
 * its feature statistics (stack, feature, name, count, missing,
 * missing_rate, mean, sd, min, max, quantiles), its goals (metric,
 * stack, min, max, value, met, min_delta, max_delta, against, against_run,
 * status), its gate results (kind, gate, what, status, message) and its
 * queries' dimensions (qid, dimension, value), each in a fixed order.
 */
typedef struct pf_hist_table {
	size_t		  nrows, ncols;
	const char	**col;		/* ncols names */
	char		**cell;		/* nrows x ncols */
} pf_hist_table;

int	pf_history_inputs(pf_history *h, int64_t run, pf_hist_table *out,
	    pf_err *err);
int	pf_history_stack_metrics(pf_history *h, int64_t run,
	    pf_hist_table *out, pf_err *err);
/* stack NULL: every stack. */
int	pf_history_feature_stats(pf_history *h, int64_t run,
	    const char *stack, pf_hist_table *out, pf_err *err);
int	pf_history_goals(pf_history *h, int64_t run, pf_hist_table *out,
	    pf_err *err);
int	pf_history_gate_results(pf_history *h, int64_t run,
	    pf_hist_table *out, pf_err *err);
int	pf_history_query_dims(pf_history *h, int64_t run, pf_hist_table *out,
	    pf_err *err);
const char	*pf_hist_cell(const pf_hist_table *t, size_t row, size_t col);
void	pf_hist_table_free(pf_hist_table *t);

/*
 * Keeps the last keep runs (by id) of every scenario, or of scenario only,
 * deleting the others with all their rows in one transaction; the number
 * deleted in *ndeleted.
 */
int	pf_history_prune(pf_history *h, const char *scenario, size_t keep,
	    size_t *ndeleted, pf_err *err);

#endif /* PF_HARNESS_HISTORY_HISTORY_H */

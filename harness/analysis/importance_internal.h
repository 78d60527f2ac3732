/*
 * harness/analysis/importance_internal.h — shared by importance.c (capture, tasks,
 * summaries) and importance_fast.c (the changed-trees scorer). Never
 * included from outside harness/.
 */
#ifndef PF_HARNESS_ANALYSIS_IMPORTANCE_INTERNAL_H
#define PF_HARNESS_ANALYSIS_IMPORTANCE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/analysis/importance.h"
#include "harness/model/gbdt.h"

/* One query's candidates at the scored stage's input, in input order. */
typedef struct pf_imp_block {
	size_t		 n;
	uint32_t	*doc;		/* golden document index */
	uint32_t	*tie;		/* rank in docid-descending order */
	int32_t		*rel;		/* grades (judged queries) */
	float		*x32;		/* n x nf */
	double		*x64;		/* n x nf or NULL */
} pf_imp_block;

typedef struct pf_imp_fast pf_imp_fast;		/* importance_fast.c */
typedef struct pf_imp_fast_ws pf_imp_fast_ws;

typedef struct pf_imp_ctx {
	const pf_replay		*r;
	const pf_scn_stack	*st;
	size_t			 k, si;		/* stack, 0-based stage */
	const pf_stage_ops	*ops;
	void			*state;
	size_t			 m;		/* value index of the metric */
	size_t			 nq, nf, maxn;
	size_t			 maxcols;	/* columns of the largest item */
	int			 base, has64;
	const uint32_t		*id;		/* the column map (stage.h) */
	const pf_fnames		*names;		/* the input's names, or NULL */
	uint64_t		*tkey;		/* nitems: each item's random
						   streams (importance.c) */
	int			 no64;		/* keep no doubles (XGBoost) */
	pf_imp_block		*blk;		/* nq */
	double			*base_q;	/* nq: metric, intact rows */
	float			*gmean32;	/* nf: global means */
	double			*gmean64;
	pf_imp_fast		*fast;		/* NULL: process() every time */
	pf_arena		**rows;		/* per thread: blocks' x32, x64 */
	size_t			 cq0, cq1;	/* the queries captured, when */
	int			 cranged;	/* set (else every query) */
	int			 shape_any;	/* no candidates in them: the
						   columns of an empty list */
	const float		*qv32;		/* nq x qnk: each query's first
						   row (the summary's kept
						   columns) */
	const double		*qv64;
	size_t			 qnk;
	long			*qpos;		/* nf: column -> kept, or -1 */
	size_t			 nrows;
} pf_imp_ctx;

/* Per-thread buffers, sized for the longest list. */
typedef struct pf_imp_ws {
	pf_cands	 c;
	pf_arena	*a;
	size_t		 cap;
	float		*b32;		/* one query's rows, changed */
	double		*b64;
	uint32_t	*perm;
	struct rankent	*rank;
	int32_t		*rel, *rel2;
	double		*score;
	float		*v32;		/* maxcols x cap: the changed columns */
	double		*v64;
	double		*vals;		/* nv */
	pf_imp_fast_ws	*fast;
	pf_err		 e;
} pf_imp_ws;

int	pf_imp_ws_grow(pf_imp_ws *w, size_t n, const pf_imp_ctx *x);
int	pf_imp_ws_init(pf_imp_ws *w, const pf_imp_ctx *x);
void	pf_imp_ws_free(pf_imp_ws *w);
void	pf_imp_ctx_free(pf_imp_ctx *x);

/* The name of file id at the stage's input (the input's names, else the
   scored stage's model's), or NULL (importance_plan.c). */
const char	*pf_imp__feat_name(const pf_imp_ctx *x, long id);
/* it->fname: each of its ids' name, or NULL; -1 on OOM. */
int	pf_imp__item_names(pf_rep_imp_item *it, const pf_imp_ctx *x);

/* Replays the stack's prefix of every query and keeps the rows. */
int	pf_imp_capture(pf_imp_ctx *x, pf_err *err);
/* Every judged query's metric with intact rows, and the global means. */
int	pf_imp_baseline(pf_imp_ctx *x, pf_err *err);
/*
 * Scores query q's rows with column cols[k] of row i replaced by
 * w->v32[k * n + i] (and w->v64), sorts them as the replay does, runs the
 * later stages and measures: the metric, or NaN with w->e set.
 */
double	pf_imp_rescore(const pf_imp_ctx *x, pf_imp_ws *w, size_t q,
	    const size_t *cols, size_t ncols);

/*
 * The fast scorer: for an XGBoost gbtree or a LightGBM model read by a
 * gbdt stage (LightGBM: when the rows hold doubles), the
 * per-tree leaf values of every row at baseline, and the trees that split
 * on each column. pf_imp_fast_new returns PF_OK with *out NULL when the
 * stage does not qualify.
 */
/* Whether the stage is gbdt with an XGBoost model (reads float32 only). */
int	pf_imp_stage_xgb(const pf_imp_ctx *x);
int	pf_imp_fast_new(pf_imp_fast **out, const pf_imp_ctx *x, pf_err *err);
void	pf_imp_fast_free(pf_imp_fast *f);
int	pf_imp_fast_ws_new(pf_imp_fast_ws **out, const pf_imp_fast *f, size_t maxn);
void	pf_imp_fast_ws_free(pf_imp_fast_ws *w);
/*
 * Queries [q0, return) form the next chunk whose values fit the cache
 * (all of them when f is NULL); fill computes their values.
 */
size_t	pf_imp_fast_chunk(const pf_imp_fast *f, const pf_imp_ctx *x,
	    size_t q0);
int	pf_imp_fast_fill(pf_imp_fast *f, const pf_imp_ctx *x, size_t q0,
	    size_t q1, pf_err *err);
/*
 * The changed trees of every item (item i: columns cols[coff[i] ..
 * coff[i + 1]), cols ascending in memory), computed once for all workers
 * when they fit pf_imp_fast_item_bytes (256 MiB; tests lower it);
 * pf_imp_fast_score is then called with those column pointers. PF_OK
 * (also when left to the workers) or PF_ENOMEM.
 */
extern size_t	pf_imp_fast_item_bytes;
int	pf_imp_fast_items(pf_imp_fast *f, const size_t *cols,
	    const size_t *coff, size_t nitems);
/*
 * Scores query q's captured rows x32 (n x nf) with column cols[k] of row
 * i replaced by v32[k * n + i]: the margins XGBoost gives them, bit for
 * bit; for a LightGBM model the rows x64 with v64, the raw scores
 * LightGBM (and the gbdt stage) gives them.
 */
void	pf_imp_fast_score(const pf_imp_fast *f, pf_imp_fast_ws *w, size_t q,
	    const float *x32, const float *v32, const double *x64,
	    const double *v64, size_t n, const size_t *cols, size_t ncols,
	    double *out);

/* The summary (importance.h) of queries [q0, q1) of x's rows; the
   sums when mean. PF_OK or PF_ENOMEM. */
int	pf_imp__summary(const pf_imp_ctx *x, size_t q0, size_t q1, int mean,
	    pf_imp_summary *s);

/* Whether column c is query-level by the data: the same inside every
   query, varying between queries (their first rows). */
int	pf_imp__query_level(const pf_imp_summary *sm, size_t c);
/* *sm: sum, or when NULL own computed from x's captured rows (the sums
   when mean); x's first rows and global means from it. Checks that it
   saw x's columns. */
int	pf_imp__use_summary(pf_imp_ctx *x, const pf_imp_summary *sum, int mean,
	    pf_imp_summary *own, const pf_imp_summary **sm, pf_err *err);
/* A share's values out (importance.h pf_imp_part): *pq taken. */
int	pf_imp__share_out(pf_imp_part *p, const pf_imp_ctx *x,
	    const pf_rep_importance *m, double **pq, size_t npq);

/* Resolves fi's stack, stage and metric into x; errors at fi's line. */
int	pf_imp__resolve(pf_imp_ctx *x, const pf_replay *r,
	    const pf_scn_featimp *fi, pf_err *err);

/* The importance tasks' and their bootstrap's random-number purpose. */
#define PF_RNG_FIMP	UINT64_C(0x66696d70)	/* "fimp" */

/* The column map of the stage's input (stage.h). */
pf_feats	pf_imp__colmap(const pf_imp_ctx *x);
/* fi's items into out (importance_items.c); errors at fi's line. */
int	pf_imp__make_items(pf_rep_importance *out, pf_imp_ctx *x,
	    const pf_scn_featimp *fi, pf_err *err);
/* Means, SDs, per-query importances and their bootstrap CIs from the
   tasks' values pq (items x repeats x nj). */
int	pf_imp__summarize(pf_rep_importance *o, const pf_imp_ctx *x,
	    const double *pq, size_t nj, const pf_scenario *s, size_t n_boot,
	    pf_err *err);

#endif /* PF_HARNESS_ANALYSIS_IMPORTANCE_INTERNAL_H */

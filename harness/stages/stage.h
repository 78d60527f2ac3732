/*
 * harness/stages/stage.h — the stage contract (DESIGN.md "Stacks and stages",
 * STYLE.md C11).
 *
 * A stack is an ordered list of stages; a query enters with no candidates
 * and leaves as a ranked list. A stage is a versioned vtable with private
 * state: open once (parameters from the scenario), process one query at a
 * time (from many OpenMP threads at once: process must be thread-safe and
 * may only write the pf_cands it is given and the scratch arena), close.
 * Stages never know about each other or about the scenario file. One table
 * (pf_stage_registry) lists them, so the scenario schema, `preflight stages`
 * and the loader agree.
 */
#ifndef PF_HARNESS_STAGES_STAGE_H
#define PF_HARNESS_STAGES_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "harness/util/arena.h"
#include "harness/util/diags.h"
#include "harness/util/fnames.h"
#include "harness/util/param.h"
#include "metrics/err.h"

#define PF_STAGE_ABI	1

typedef struct pf_golden pf_golden;	/* harness/load/golden.h */

/*
 * Features of candidate rows: row-major, nf columns. Column j holds file
 * feature id pf_feats_id(f, j): j + base when id is NULL (dense: every
 * stage producing its own features, and LETOR files with near-contiguous
 * ids), else id[j] (remapped: a file with hashed or scattered ids keeps
 * only the ids present, ascending; harness/load/svmlight.h has the rule).
 * Consumers that know a column range read it directly on dense features
 * and resolve ids to columns once per query (pf_feats_col,
 * pf_feats_lower) on remapped ones, never per value.
 */
typedef struct pf_feats {
	const float	*x32;	/* float32; absent or missing = NaN (XGBoost) */
	const double	*x64;	/* double as parsed, absent = 0.0 (LightGBM); may be NULL */
	size_t		 nf;	/* columns */
	int		 base;	/* dense: file id of column 0 (1 for LETOR/SVMlight) */
	const uint32_t	*id;	/* nf file ids, ascending, or NULL: dense;
				   borrowed from the producer (lives as long
				   as the golden set or the stage) */
	const pf_fnames	*names;	/* the features' names by file id, or NULL:
				   a names file (candidates), the stage's
				   own (textfeatures); borrowed likewise */
} pf_feats;

/* The file feature id of column j (< nf). */
static inline long
pf_feats_id(const pf_feats *f, size_t j)
{
	return f->id != NULL ? (long)f->id[j] : (long)j + f->base;
}

/* The first column whose file id is >= id; nf when none. O(log nf). */
size_t	pf_feats_lower(const pf_feats *f, long id);
/* The column of file id, or -1 when the features lack it. */
long	pf_feats_col(const pf_feats *f, long id);
/* The largest file id of the columns; base - 1 when there are none. */
long	pf_feats_last_id(const pf_feats *f);

/*
 * The candidate list of one query as it flows through a stack. Arrays are
 * owned by the replay engine (capacity cap); a stage that needs more room
 * calls pf_cands_reserve. After a stage with PF_STAGE_SCORES the engine
 * checks every score is finite and sorts by score descending, then docid
 * descending (trec_eval's order).
 */
typedef struct pf_cands {
	size_t		 n, cap;
	uint32_t	*doc;	/* document index in the golden set (pf_golden_docid) */
	uint32_t	*row;	/* feature row of each candidate in feats */
	double		*score;
	pf_feats	 feats;	/* set by the stage that produces features */
} pf_cands;

int	pf_cands_reserve(pf_cands *c, size_t n);
/* Frees the arrays (not c itself) and leaves c empty. */
void	pf_cands_free(pf_cands *c);

typedef struct pf_query {
	size_t		 index;		/* 0..nqueries-1 in the golden set */
	const char	*qid;
	const char	*text;		/* NULL when the golden set has none */
} pf_query;

typedef struct pf_stage_cfg {
	const char	*file;		/* scenario path, for messages */
	long		 line;		/* the stage element's line */
	const char	*base_dir;	/* relative paths resolve against it */
	const pf_param	*params;
	size_t		 nparams;
	pf_golden	*golden;	/* the golden set (shared, read-mostly) */
	int		 need_double;	/* a later stage wants pf_feats.x64 */
	int		 strict;	/* run --strict: doubtful input is an
					   error, not a warning */
	pf_diags	*warnings;	/* where warnings go, or NULL */
} pf_stage_cfg;

/* Parameter lookup helpers for open(): NULL / default when absent. */
const pf_param	*pf_stage_param(const pf_stage_cfg *cfg, const char *key);
/* PF_EINVAL at the stage element's line when key is absent. */
int	pf_stage_need(const pf_stage_cfg *cfg, const char *stage,
	    const char *key, pf_err *err);
/* Resolves a path parameter against base_dir into buf. */
int	pf_stage_path(const pf_stage_cfg *cfg, const char *key, char *buf,
	    size_t bufsz, pf_err *err);
int	pf_stage_long(const pf_stage_cfg *cfg, const char *key, long def,
	    long min, long max, long *out, pf_err *err);
int	pf_stage_double(const pf_stage_cfg *cfg, const char *key, double def,
	    double *out, pf_err *err);

enum {
	PF_STAGE_SCORES = 1,	/* process() sets scores: engine checks + sorts */
	PF_STAGE_RETRIEVES = 2,	/* process() fills an empty list */
	PF_STAGE_FEATURES = 4,	/* process() sets pf_cands.feats for later
				   stages (stage attribution: harness/analysis/attrib.h) */
};

typedef struct pf_stage_param_doc {
	const char	*name;
	const char	*type;		/* "path", "int", "number", "string" */
	int		 required;
	const char	*doc;
} pf_stage_param_doc;

typedef struct pf_stage_ops {
	int		 abi;		/* PF_STAGE_ABI */
	const char	*name;		/* the scenario element: "gbdt", ... */
	const char	*summary;	/* one line for `preflight stages` */
	unsigned	 flags;		/* PF_STAGE_* */
	const pf_stage_param_doc *params;	/* NULL-name terminated */
	int	(*open)(void **state, const pf_stage_cfg *cfg, pf_err *err);
	int	(*process)(void *state, const pf_query *q, pf_cands *io,
		    pf_arena *scratch, pf_err *err);
	void	(*close)(void *state);	/* NULL state is a no-op */
	/* Optional (NULL): the features this stage provides, known at open
	   (a retrieval stage; a feature stage gives their ids and names
	   with x32 NULL), so later stages can be checked before any query
	   runs (`preflight run --check`). */
	int	(*features)(void *state, pf_feats *out);
	/* Optional (NULL): does this stage fit the features it will get?
	   PF_EDATA with a message when not. */
	int	(*check)(void *state, const pf_feats *in, pf_err *err);
	/* Optional (NULL): the names the stage's model gives the features
	   it reads, by file id (gbdt: XGBoost feature_names, LightGBM
	   feature_names=), or NULL when it has none. Borrowed. */
	const pf_fnames	*(*names)(void *state);
} pf_stage_ops;

/* The registry, NULL-terminated, in documentation order. */
extern const pf_stage_ops *const pf_stage_registry[];
const pf_stage_ops	*pf_stage_find(const char *name);
/*
 * A stage element against the registry: the stage by name, or NULL with
 * "not in this build's registry" in d; every parameter it does not know
 * is a problem in d too (file:line). Returns the stage only when both hold.
 */
const pf_stage_ops	*pf_stage_check(const char *name, const pf_param *params,
			    size_t nparams, const char *file, long line,
			    pf_diags *d);

#endif /* PF_HARNESS_STAGES_STAGE_H */

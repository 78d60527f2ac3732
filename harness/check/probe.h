/*
 * harness/check/probe.h — the model unit tester behind `preflight probe`: feeds a
 * model binary extreme but valid inputs and reports what a broken binary
 * does with them, before an A/B slot is spent on it.
 *
 * Reference rows come from a feature file (SVMlight / LETOR; a seeded
 * sample of at most nrows rows) or, without one, are synthesised from the
 * model's split thresholds (each feature drawn among one value per cell
 * the thresholds cut its axis into). For every feature j and every probe
 * value (observed min, max and median, -FLT_MAX, -1e30, 0, +1e30, FLT_MAX,
 * missing) feature j of every reference row is set to the value and the
 * rows are scored. Findings:
 *   - non-finite scores (NaN, +-inf), per (feature, probe): rows, first row;
 *   - dead features: no probe changes any row's score. Cross-checked with
 *     the model's splits: a feature never split on must be dead (a live one
 *     is a scorer bug); a dead feature that is split on has "no effect on
 *     these rows";
 *   - monotone expectations (feature, +1 / -1): the feature swept over a
 *     grid from its min to its max (even steps plus every split threshold
 *     inside, so a tree model's every step is seen) on each reference row;
 *     a step against the direction is a violation (counted per feature,
 *     the worst one kept).
 *
 * Features are the model's columns (XGBoost f<j>, LightGBM Column_<j>),
 * shown and named by their file feature id: column j is file id j + first
 * (first = the file feature id of column 0, as the gbdt stage's
 * first-feature), the number `preflight run`'s importance shows too, with
 * the feature's name (a names file, else the model's own feature names)
 * as "name (id)" (reports/featname.h).
 *
 * Work is parallel over features (OpenMP); each feature's findings live in
 * its own slot and are summarised serially, so the report is the same
 * bytes for any thread count.
 */
#ifndef PF_HARNESS_CHECK_PROBE_H
#define PF_HARNESS_CHECK_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics/err.h"

/* The probe values, in the order they are tried and reported. */
enum {
	PF_PROBE_MIN = 0, PF_PROBE_MAX, PF_PROBE_MEDIAN, PF_PROBE_NEG_FLTMAX,
	PF_PROBE_NEG_BIG, PF_PROBE_ZERO, PF_PROBE_POS_BIG, PF_PROBE_POS_FLTMAX,
	PF_PROBE_MISSING, PF_PROBE_NKINDS
};

#define PF_PROBE_REFERENCE	(-1)	/* the unmodified reference row */
/* Reference rows probe may hold (rows x features x 8 bytes): 1 GiB. */
#define PF_PROBE_MAX_BYTES	((size_t)1 << 30)

/* "min", "max", ..., "missing"; "reference" for PF_PROBE_REFERENCE. */
const char	*pf_probe_kind_name(int kind);

typedef struct pf_probe_mono {
	long		 id;		/* file feature id (column id - first) */
	const char	*name;		/* or a feature name (id unused), NULL */
	int		 dir;		/* +1 increasing, -1 decreasing */
	const char	*origin;	/* "--monotone", "scenario.xml:12" */
} pf_probe_mono;

typedef struct pf_probe_opts {
	const char	*features;	/* feature file, or NULL */
	const char	*query_file;	/* LightGBM group sizes, or NULL */
	long		 first;		/* file feature id of column 0 */
	size_t		 nrows;		/* sample at most this many; 0 = all */
	uint64_t	 seed;
	size_t		 grid;		/* even monotone grid points (>= 2) */
	const pf_probe_mono *mono;
	size_t		 nmono;
	const char	*params;	/* plugin: "k=v;k=v" for its open */
	const char	*names;		/* feature names file, or NULL */
} pf_probe_opts;

/* Non-finite scores from one (feature, probe). */
typedef struct pf_probe_bad {
	size_t	 feat;			/* SIZE_MAX for the reference rows */
	int	 kind;			/* PF_PROBE_* or PF_PROBE_REFERENCE */
	double	 value;			/* the probe value */
	size_t	 nrows;			/* rows with a non-finite score */
	size_t	 row;			/* the first of them (reference index) */
	double	 score;			/* its score */
} pf_probe_bad;

typedef struct pf_probe_feat {
	double	 lo, hi, med;		/* the range probed */
	size_t	 nsplit;		/* nodes splitting on it; SIZE_MAX unknown */
	size_t	 nchanged;		/* (row, probe) pairs that moved a score */
	int	 dead;
} pf_probe_feat;

typedef struct pf_probe_monores {
	size_t	 feat;			/* model column */
	int	 dir;
	const char *origin;		/* borrowed from the opts' mono */
	size_t	 npoints;		/* grid points */
	size_t	 nrows_bad;		/* rows with at least one violation */
	size_t	 nsteps_bad;		/* violating steps over all rows */
	size_t	 worst_row;
	double	 worst_from, worst_to;	/* the step's feature values */
	double	 worst_amount;		/* score change against dir (> 0) */
} pf_probe_monores;

typedef struct pf_probe_report {
	char		*model;
	const char	*kind;		/* "xgboost", "lightgbm", "plugin" */
	size_t		 nfeat;
	size_t		 nrows;		/* reference rows */
	size_t		 nrows_avail;	/* rows in the feature file */
	char		*reference;	/* the feature file, or NULL */
	uint64_t	 seed;
	pf_probe_feat	*feat;		/* nfeat */
	pf_probe_bad	*bad;
	size_t		 nbad;
	size_t		 nbad_rows;	/* sum of bad[].nrows */
	pf_probe_monores *mono;
	size_t		 nmono;
	size_t		 ndead, ndead_split, nlive_unsplit;
	char		**rowname;	/* nrows: "qid 3 doc D12" or "row 4" */
	long		 first;		/* file feature id of column 0 */
	char		**fname;	/* nfeat: column j's name, or NULL */
} pf_probe_report;

/* Column j as it is shown: "name (id)" or "f<id>", id = j + first. */
const char	*pf_probe_label(const pf_probe_report *r, size_t j, char *buf,
		    size_t sz);

/*
 * Loads the model at path (XGBoost JSON, LightGBM text, or a plugin shared
 * object, which needs o->features for its width and ranges), runs every
 * probe and fills *out (caller frees with pf_probe_free). Errors: PF_EIO,
 * PF_EFORMAT (model or feature file, err->where names it), PF_EDATA (the
 * feature file has ids the model cannot read, a monotone feature beyond
 * the model or a name no names file or model knows; a malformed names
 * file is PF_EFORMAT at its line), PF_EINVAL (a plugin that does not load or open, or without a
 * feature file), PF_ESTAGE (the plugin's score failed), PF_ENOMEM.
 */
int	pf_probe_run(pf_probe_report **out, const char *path,
	    const pf_probe_opts *o, pf_err *err);
void	pf_probe_free(pf_probe_report *r);

/* 1 when the report holds a problem: a non-finite score, a monotone
 * violation, a live feature never split on, or (strict) a dead feature. */
int	pf_probe_failed(const pf_probe_report *r, int strict);

/* The human summary. */
void	pf_probe_print(FILE *f, const pf_probe_report *r, int strict);

/* Internal, exported for the writers and tests: probe kind's value for a
 * feature with range f (NaN for missing). */
double	pf_probe__value(const pf_probe_feat *f, int kind);

/* The JSON report, written to path.tmpPID and renamed. */
int	pf_probe_write_json(const pf_probe_report *r, const char *path,
	    int strict, pf_err *err);

#endif /* PF_HARNESS_CHECK_PROBE_H */
